/* proc: see proc.h. Every read is a root_* read of a procfs file or a
 * readlinkat(2) of the exe link, so a test tree with a hand-made proc/
 * folder (comm files, exe symlinks) is read exactly like the real one. */
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>
#include "platform/proc.h"

#define PROC_CMDLINE_CAP (64u << 10)

static int
is_pid(const char *s)
{
	if (*s == '\0' || strlen(s) > 9)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

const char *
proc_base_name(const char *path)
{
	const char *b = path;

	for (const char *p = path; *p; p++)
		if ((*p == '/' || *p == '\\') && p[1] != '\0')
			b = p + 1;
	return b;
}

static int
ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* comm: one line, at most 15 bytes; the newline is the kernel's. */
static int
read_comm(const struct root *r, const char *dir, char out[PROC_COMM_MAX + 1])
{
	char rel[64], *buf;
	size_t len, k;
	struct mm_err e;

	snprintf(rel, sizeof(rel), "%s/comm", dir);
	if (root_read_file(r, rel, 4096, &buf, &len, &e) != FILE_OK)
		return -1;
	for (k = 0; k < len && k < PROC_COMM_MAX && buf[k] != '\n' && buf[k] != '\0'; k++)
		out[k] = buf[k];
	out[k] = '\0';
	free(buf);
	return 0;
}

/* The exe link's target as text; " (deleted)" is dropped: a daemon whose
 * package was upgraded under it is still that daemon, still running. */
static void
read_exe(const struct root *r, const char *dir, char *out, size_t outlen)
{
	static const char deleted[] = " (deleted)";
	struct mm_err e;
	ssize_t n;
	size_t k;
	int dfd;

	out[0] = '\0';
	dfd = root_open_dir(r, dir, &e);
	if (dfd == -1)
		return;
	n = readlinkat(dfd, "exe", out, outlen - 1);
	close(dfd);
	if (n <= 0) {
		out[0] = '\0';
		return;
	}
	out[n] = '\0';
	k = (size_t)n;
	if (k > sizeof(deleted) - 1 &&
	    strcmp(out + k - (sizeof(deleted) - 1), deleted) == 0)
		out[k - (sizeof(deleted) - 1)] = '\0';
}

/* Wine runs a Windows program as wine(64)-preloader with the Windows path
 * as argv[0]; only its last part is kept, and only for such processes. */
static int
looks_like_wine(const struct proc_entry *p)
{
	const char *b = proc_base_name(p->exe);

	return strncmp(b, "wine", 4) == 0 || ends_with_ci(p->comm, ".exe");
}

static void
read_wine_prog(const struct root *r, const char *dir, struct proc_entry *p)
{
	char rel[64], *buf;
	size_t len;
	struct mm_err e;
	const char *base;

	snprintf(rel, sizeof(rel), "%s/cmdline", dir);
	if (root_read_file(r, rel, PROC_CMDLINE_CAP, &buf, &len, &e) != FILE_OK)
		return;
	/* argv[0] ends at the first NUL; root_read_file NUL-terminates. */
	base = proc_base_name(buf);
	if (ends_with_ci(base, ".exe") && strlen(base) < sizeof(p->wine_prog))
		snprintf(p->wine_prog, sizeof(p->wine_prog), "%s", base);
	free(buf);
}

enum file_status
proc_list_load(const struct root *r, size_t max, struct proc_list *pl,
    struct mm_err *e)
{
	enum file_status s;
	char **names;
	size_t n;

	memset(pl, 0, sizeof(*pl));
	/* /proc also holds some 60 entries that are not processes. */
	s = root_list_dir(r, "/proc", max + 256, &names, &n, e);
	if (s != FILE_OK)
		return s;
	pl->present = 1;
	pl->v = calloc(n ? n : 1, sizeof(*pl->v));
	if (pl->v == NULL) {
		root_free_names(names, n);
		err_set(e, "out_of_memory", "out of memory listing processes");
		return FILE_BAD;
	}
	for (size_t i = 0; i < n; i++) {
		struct proc_entry *p;
		char dir[32];

		if (!is_pid(names[i]))
			continue;
		if (pl->n == max) {
			root_free_names(names, n);
			proc_list_free(pl);
			pl->present = 1;
			err_set(e, "dir_too_large", "/proc holds more than %zu processes", max);
			return FILE_BAD;
		}
		p = &pl->v[pl->n];
		memset(p, 0, sizeof(*p));
		snprintf(dir, sizeof(dir), "/proc/%s", names[i]);
		if (read_comm(r, dir, p->comm) == -1)
			continue;	/* ended meanwhile, or not a process folder */
		p->pid = strtol(names[i], NULL, 10);
		read_exe(r, dir, p->exe, sizeof(p->exe));
		if (looks_like_wine(p))
			read_wine_prog(r, dir, p);
		pl->n++;
	}
	root_free_names(names, n);
	return FILE_OK;
}

void
proc_list_free(struct proc_list *pl)
{
	free(pl->v);
	memset(pl, 0, sizeof(*pl));
}

/* ---- A name the kernel cut: could the whole name match? ----
 *
 * proc_glob_prefix_match asks whether some name starting with a prefix
 * matches a pattern as fnmatch(pattern, name, FNM_CASEFOLD) would. Rather
 * than a second glob implementation that could disagree with the C
 * library (bracket expressions alone have classes, equivalence classes,
 * collating symbols, ranges in the locale's collation order, escapes, and
 * an unterminated '[' that is an ordinary character), fnmatch itself
 * decides everything about characters:
 *
 * 1. the prefix is run through the pattern as a set of positions in it: a
 *    '*' keeps its position, '?' takes any character, and whether a
 *    literal or a bracket expression takes a character is asked of
 *    fnmatch with that piece alone as the pattern. Where a bracket ends
 *    is found by scanning it as glibc's fnmatch_loop.c does; as odd
 *    brackets may end elsewhere for some characters, or be an ordinary
 *    '[', those moves are allowed too: the positions are a superset;
 * 2. from each position reached, a completion is built (a literal's own
 *    character, some character each bracket takes, nothing for '*'), and
 *    the answer is yes only when fnmatch accepts prefix + completion.
 *
 * So a yes is always fnmatch's own yes on a name that starts with the
 * prefix; the work is |pattern| * |prefix| fnmatch calls on pieces plus a
 * bounded number on whole names, never exponential. Characters are bytes
 * and, in a multibyte locale (where fnmatch matches characters, and bytes
 * only in strings that are not valid there), also the locale's characters,
 * a character the kernel cut in two included. */

#define PM_ALT_ENDS 4		/* other ']' tried as a bracket's end */
#define PM_TRIES 64		/* completions checked with fnmatch, per search */
/* Longer patterns are matched whole only: finding where each bracket
 * ends takes up to |pattern|^2 steps. No name of a program comes near. */
#define PM_MAX_PATTERN 4096

struct pm {
	const char *pat;
	size_t nc;		/* characters in the pattern */
	size_t *co;		/* their offsets, co[nc] = its length */
	unsigned long *cv;	/* their values, cv[nc] = 0 */
	size_t *end;		/* at a '[': where its bracket ends (a character
				 * index), 0 when it is none */
	size_t *close;		/* the first ']' at or after each character */
	int *wit;		/* at a '[': -1 not looked for, 0 no character
				 * found that the bracket takes, 1 in wbuf */
	char (*wbuf)[MB_LEN_MAX + 1];
	int wide;		/* characters are the locale's, not bytes */
	char *scratch;		/* a piece of the pattern as a pattern */
	unsigned char *cur, *next;	/* positions 0..nc */
};

/* The length of the character at s (avail bytes before the NUL): 1 for
 * bytes; in a multibyte locale mbrtowc's, 0 when not a valid character,
 * (size_t)-2 when cut short by the end. */
static size_t
pm_charlen(const char *s, size_t avail, int wide, unsigned long *value)
{
	mbstate_t st;
	wchar_t wc;
	size_t k;

	if (!wide) {
		*value = (unsigned char)*s;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	k = mbrtowc(&wc, s, avail, &st);
	if (k == (size_t)-2)
		return k;
	if (k == (size_t)-1 || k == 0)
		return 0;
	*value = (unsigned long)wc;
	return k;
}

/* Scans a collating symbol "[." ... ".]" from q (at the '.'): the index
 * after it, or 0 when it never ends. */
static size_t
pm_collating_end(const unsigned long *cv, size_t q)
{
	for (;;) {
		unsigned long c = cv[++q];

		if (c == '.' && cv[q + 1] == ']')
			return q + 2;
		if (c == 0)
			return 0;
	}
}

/* The bracket expression opening at cv[j] == '[', scanned as glibc's
 * fnmatch_loop.c scans one that does not take the character: the index of
 * the character after its ']', or 0 when it has none (unterminated: '['
 * is then an ordinary character; or fnmatch gives up on it: a '\', a
 * range or a collating symbol running into the end, a class name too
 * long). */
static size_t
pm_bracket_end(const unsigned long *cv, size_t j)
{
	const char *posix = getenv("POSIXLY_CORRECT");
	size_t q = j + 1;
	unsigned long c;

	if (cv[q] == '!' || (posix == NULL && cv[q] == '^'))
		q++;
	c = cv[q++];
	for (;;) {
		if (c == '\\') {
			if (cv[q] == 0)
				return 0;
			q++;
			goto normal;
		} else if (c == '[' && cv[q] == ':') {
			size_t start = q, len = 0;

			for (;;) {
				if (len == 256)	/* CHAR_CLASS_MAX_LENGTH */
					return 0;
				c = cv[++q];
				if (c == ':' && cv[q + 1] == ']') {
					q += 2;
					break;
				}
				if (c < 'a' || c >= 'z') {
					q = start;	/* not a class: '[' is itself */
					goto normal;
				}
				len++;
			}
			c = cv[q++];
		} else if (c == '[' && cv[q] == '=') {
			if (cv[q + 1] == 0 || cv[q + 2] != '=' || cv[q + 3] != ']')
				goto normal;	/* not [=c=]: '[' is itself */
			q += 4;
			c = cv[q++];
		} else if (c == 0) {
			return 0;
		} else {
			if (c == '[' && cv[q] == '.') {
				if ((q = pm_collating_end(cv, q)) == 0)
					return 0;
				c = cv[q++];
			} else {
normal:
				c = cv[q++];
			}
			if (c == '-' && cv[q] != ']') {
				unsigned long last = cv[q++];

				if (last == '[' && cv[q] == '.') {
					if ((q = pm_collating_end(cv, q)) == 0)
						return 0;
				} else {
					if (last == '\\')
						last = cv[q++];
					if (last == 0)
						return 0;
				}
				c = cv[q++];
			}
		}
		if (c == ']')
			return q;
	}
}

static void
pm_free(struct pm *m)
{
	free(m->co);
	free(m->cv);
	free(m->end);
	free(m->close);
	free(m->wit);
	free(m->wbuf);
	free(m->scratch);
	free(m->cur);
	free(m->next);
}

/* Reads the pattern's characters. -1 if it is not valid in this domain,
 * or on no memory. */
static int
pm_init(struct pm *m, const char *pat, int wide)
{
	size_t len = strlen(pat), i = 0, k = 0;

	memset(m, 0, sizeof(*m));
	m->pat = pat;
	m->wide = wide;
	m->co = malloc((len + 1) * sizeof(*m->co));
	m->cv = malloc((len + 2) * sizeof(*m->cv));
	m->end = calloc(len + 1, sizeof(*m->end));
	m->close = malloc((len + 2) * sizeof(*m->close));
	m->wit = malloc((len + 1) * sizeof(*m->wit));
	m->wbuf = malloc((len + 1) * sizeof(*m->wbuf));
	m->scratch = malloc(len + 2);
	m->cur = malloc(len + 2);
	m->next = malloc(len + 2);
	if (m->co == NULL || m->cv == NULL || m->end == NULL || m->close == NULL ||
	    m->wit == NULL ||
	    m->wbuf == NULL || m->scratch == NULL || m->cur == NULL || m->next == NULL)
		return -1;
	while (i < len) {
		size_t l = pm_charlen(pat + i, len - i, wide, &m->cv[k]);

		if (l == 0 || l == (size_t)-2)
			return -1;
		m->co[k++] = i;
		i += l;
	}
	m->nc = k;
	m->co[k] = len;
	m->cv[k] = 0;
	m->cv[k + 1] = 0;
	m->close[m->nc] = m->close[m->nc + 1] = m->nc;
	for (k = m->nc; k-- > 0;)
		m->close[k] = m->cv[k] == ']' ? k : m->close[k + 1];
	for (k = 0; k < m->nc; k++) {
		m->wit[k] = -1;
		/* With no ']' after it, a '[' is an ordinary character. */
		if (m->cv[k] == '[' && m->close[k + 1] < m->nc)
			m->end[k] = pm_bracket_end(m->cv, k);
	}
	return 0;
}

/* Whether the pattern's characters [a, b) as a pattern of their own
 * (escaped: one literal character) take the character c. */
static int
pm_takes(struct pm *m, size_t a, size_t b, int escaped, const char *c)
{
	size_t k = 0, n = m->co[b] - m->co[a];

	if (escaped)
		m->scratch[k++] = '\\';
	memcpy(m->scratch + k, m->pat + m->co[a], n);
	m->scratch[k + n] = '\0';
	return fnmatch(m->scratch, c, FNM_CASEFOLD) == 0;
}

/* A '*' at a position also leaves it for the next. */
static void
pm_close(const struct pm *m, unsigned char *set)
{
	for (size_t i = 0; i < m->nc; i++)
		if (set[i] && m->cv[i] == '*')
			set[i + 1] = 1;
}

/* Moves the positions in cur over one character c (of clen bytes). 1 if
 * any position is left. */
static int
pm_step(struct pm *m, const char *c, size_t clen)
{
	char one[MB_LEN_MAX + 1];
	int any = 0;

	memcpy(one, c, clen);
	one[clen] = '\0';
	memset(m->next, 0, m->nc + 1);
	for (size_t i = 0; i < m->nc; i++) {
		unsigned long v = m->cv[i];

		if (!m->cur[i])
			continue;
		if (v == '*') {
			m->next[i] = 1;
		} else if (v == '?') {
			m->next[i + 1] = 1;
		} else if (v == '\\') {
			if (i + 1 < m->nc && pm_takes(m, i + 1, i + 2, 1, one))
				m->next[i + 2] = 1;
		} else if (v != '[') {
			if (pm_takes(m, i, i + 1, 1, one))
				m->next[i + 1] = 1;
		} else {
			size_t k = m->close[i + 2];

			if (m->end[i] != 0 && pm_takes(m, i, m->end[i], 0, one))
				m->next[m->end[i]] = 1;
			for (int alt = 0; alt < PM_ALT_ENDS && k < m->nc; alt++) {
				if (k + 1 != m->end[i] && pm_takes(m, i, k + 1, 0, one))
					m->next[k + 1] = 1;
				k = m->close[k + 1];
			}
			if (pm_takes(m, i, i + 1, 1, one))
				m->next[i + 1] = 1;	/* an ordinary '[' */
		}
	}
	pm_close(m, m->next);
	memcpy(m->cur, m->next, m->nc + 1);
	for (size_t i = 0; i <= m->nc; i++)
		any |= m->cur[i];
	return any;
}

/* A character the bracket at i takes, into m->wbuf[i]: the first of its
 * own characters, then of ASCII, then of a few others, that it takes. */
static int
pm_witness(struct pm *m, size_t i)
{
	static const wchar_t others[] = { 0xe9, 0x3042, 0x30a2, 0x4e00, 0xff21 };
	char c[MB_LEN_MAX + 1];

	if (m->wit[i] != -1)
		return m->wit[i];
	m->wit[i] = 0;
	for (size_t k = i + 1; k < m->end[i] && k < i + 64; k++) {
		size_t l = m->co[k + 1] - m->co[k];

		memcpy(c, m->pat + m->co[k], l);
		c[l] = '\0';
		if (pm_takes(m, i, m->end[i], 0, c))
			goto found;
	}
	for (int b = 1; b < (m->wide ? 0x80 : 0x100); b++) {
		c[0] = (char)b;
		c[1] = '\0';
		if (pm_takes(m, i, m->end[i], 0, c))
			goto found;
	}
	for (size_t k = 0; m->wide && k < sizeof(others) / sizeof(others[0]); k++) {
		mbstate_t st;
		size_t l;

		memset(&st, 0, sizeof(st));
		if ((l = wcrtomb(c, others[k], &st)) == (size_t)-1)
			continue;
		c[l] = '\0';
		if (pm_takes(m, i, m->end[i], 0, c))
			goto found;
	}
	return 0;
found:
	memcpy(m->wbuf[i], c, strlen(c) + 1);
	return m->wit[i] = 1;
}

/* From each position in cur, completes name[0..len) with a character for
 * every piece of the pattern left (brackets as brackets, then as
 * ordinary '[') and asks fnmatch, at most *tries times. 1 if it agrees. */
static int
pm_complete(struct pm *m, const char *name, size_t len, unsigned *tries)
{
	char *buf = malloc(len + m->nc * (MB_LEN_MAX + 1) + 1);
	int ok = 0;

	if (buf == NULL)
		return 0;
	for (size_t start = 0; start <= m->nc && !ok; start++) {
		if (!m->cur[start])
			continue;
		for (int brackets = 1; brackets >= 0 && !ok; brackets--) {
			size_t k = len, i = start;

			memcpy(buf, name, len);
			while (i < m->nc) {
				unsigned long v = m->cv[i];
				size_t a = i, b = i + 1;

				if (v == '*') {
					i++;
					continue;
				}
				if (v == '?') {
					buf[k++] = 'x';
					i++;
					continue;
				}
				if (v == '[' && brackets && m->end[i] != 0 && pm_witness(m, i)) {
					size_t l = strlen(m->wbuf[i]);

					memcpy(buf + k, m->wbuf[i], l);
					k += l;
					i = m->end[i];
					continue;
				}
				if (v == '\\') {
					if (i + 1 == m->nc)
						break;	/* a trailing '\' matches nothing */
					a = i + 1;
					b = i + 2;
				}
				memcpy(buf + k, m->pat + m->co[a], m->co[b] - m->co[a]);
				k += m->co[b] - m->co[a];
				i = b;
			}
			if (i < m->nc)
				break;
			if (*tries == 0) {
				free(buf);
				return 0;
			}
			--*tries;
			buf[k] = '\0';
			ok = fnmatch(m->pat, buf, FNM_CASEFOLD) == 0;
		}
	}
	free(buf);
	return ok;
}

/* Characters that start with the tail bytes of a character the kernel
 * cut in two, offered one by one to pm_try_char: the pattern's own first,
 * then those made by adding bytes, depth first, within a budget. */
struct pm_cut {
	const char *tail;
	size_t len;
	unsigned calls, found;	/* budgets: mbrtowc calls, characters */
	unsigned char *base;	/* the positions before the cut character */
	char *name;		/* the prefix up to it, with room after */
	size_t at;		/* its length */
	unsigned *tries;
};

/* 1 if a name that goes on with c matches; -1 to stop looking. */
static int
pm_try_char(struct pm *m, struct pm_cut *cut, const char *c, size_t clen)
{
	if (*cut->tries == 0)
		return -1;
	memcpy(m->cur, cut->base, m->nc + 1);
	if (!pm_step(m, c, clen))
		return 0;
	memcpy(cut->name + cut->at, c, clen);
	if (pm_complete(m, cut->name, cut->at + clen, cut->tries))
		return 1;
	return 0;
}

static int
pm_extend(struct pm *m, struct pm_cut *cut, char *c, size_t have)
{
	int rc;

	if (have >= MB_CUR_MAX || have >= MB_LEN_MAX)
		return 0;
	/* Trailing bytes (0x80 and up in UTF-8) first. */
	for (unsigned k = 0; k < 255; k++) {
		unsigned long v;
		size_t l;

		if (cut->calls == 0 || cut->found == 0)
			return 0;
		cut->calls--;
		c[have] = (char)(k < 128 ? 0x80 + k : k - 127);
		l = pm_charlen(c, have + 1, 1, &v);
		if (l == (size_t)-2) {
			if ((rc = pm_extend(m, cut, c, have + 1)) != 0)
				return rc;
		} else if (l == have + 1) {
			cut->found--;
			if ((rc = pm_try_char(m, cut, c, l)) != 0)
				return rc;
		}
	}
	return 0;
}

static int
pm_cut_char(struct pm *m, struct pm_cut *cut)
{
	char c[MB_LEN_MAX + 1];
	int rc;

	for (size_t i = 0; i < m->nc; i++) {
		size_t l = m->co[i + 1] - m->co[i];

		if (l > cut->len && memcmp(m->pat + m->co[i], cut->tail, cut->len) == 0 &&
		    (rc = pm_try_char(m, cut, m->pat + m->co[i], l)) != 0)
			return rc;
	}
	memcpy(c, cut->tail, cut->len);
	return pm_extend(m, cut, c, cut->len);
}

/* The search in one domain: bytes (wide 0) or the locale's characters. */
static int
pm_search(const char *pattern, const char *prefix, int wide)
{
	struct pm m;
	size_t len = strlen(prefix), i = 0;
	unsigned tries = PM_TRIES;
	int ok = 0;

	if (pm_init(&m, pattern, wide) == -1)
		goto out;
	memset(m.cur, 0, m.nc + 1);
	m.cur[0] = 1;
	pm_close(&m, m.cur);
	while (i < len) {
		unsigned long v;
		size_t l = pm_charlen(prefix + i, len - i, wide, &v);

		if (l == (size_t)-2)
			break;		/* a character cut in two */
		if (l == 0)
			goto out;	/* no name in the locale's characters */
		if (!pm_step(&m, prefix + i, l))
			goto out;
		i += l;
	}
	if (i == len) {
		ok = pm_complete(&m, prefix, len, &tries);
	} else {
		struct pm_cut cut = { prefix + i, len - i, 8192, 256,
		    malloc(m.nc + 1), malloc(len + MB_LEN_MAX + 1), i, &tries };

		if (cut.base != NULL && cut.name != NULL) {
			memcpy(cut.base, m.cur, m.nc + 1);
			memcpy(cut.name, prefix, i);
			ok = pm_cut_char(&m, &cut) == 1;
		}
		free(cut.base);
		free(cut.name);
	}
out:
	pm_free(&m);
	return ok;
}

int
proc_glob_prefix_match(const char *pattern, const char *prefix)
{
	/* The prefix itself is a name starting with the prefix. */
	if (fnmatch(pattern, prefix, FNM_CASEFOLD) == 0)
		return 1;
	if (strlen(pattern) > PM_MAX_PATTERN)
		return 0;
	if (pm_search(pattern, prefix, 0))
		return 1;
	return MB_CUR_MAX > 1 && pm_search(pattern, prefix, 1);
}

const char *
proc_match(const struct proc_entry *p, const char *pattern)
{
	const char *base;

	if (strchr(pattern, '/') != NULL)
		return p->exe[0] != '\0' && fnmatch(pattern, p->exe, 0) == 0 ?
		    proc_base_name(p->exe) : NULL;
	if (p->comm[0] != '\0') {
		if (fnmatch(pattern, p->comm, FNM_CASEFOLD) == 0)
			return p->comm;
		if (strlen(p->comm) == PROC_COMM_MAX &&
		    proc_glob_prefix_match(pattern, p->comm))
			return p->comm;
	}
	base = proc_base_name(p->exe);
	if (base[0] != '\0' && fnmatch(pattern, base, FNM_CASEFOLD) == 0)
		return base;
	if (p->wine_prog[0] != '\0' && fnmatch(pattern, p->wine_prog, FNM_CASEFOLD) == 0)
		return p->wine_prog;
	return NULL;
}
