/* kconfig: KDE's INI dialect and its cascade; see kconfig.h.
 *
 * What KDE does, read in KDE Frameworks' kconfig for this module:
 * - kconfigini.cpp parseConfig: each line is trimmed; empty lines and
 *   lines starting with '#' are skipped (';' is no comment). A line
 *   starting with '[' is a group header "[A][B]..." whose parts are joined
 *   with 0x1d; a last part of exactly "$i" makes the group immutable, or,
 *   on a line "[$i]" alone, the whole file (every later group of the file
 *   and, through ParseImmutable, no more specific file is read). A header
 *   without its ']' is ignored (the group stays the previous one). Before
 *   the first header, keys belong to "<default>".
 * - A key line "key=value" has both sides trimmed; bracketed suffixes are
 *   taken from the right: "[$...]" are options ('i' immutable, 'e'
 *   expansion, 'd' deleted: the key is deleted at once), anything else is
 *   a locale (a second one is an error). A line without '=' is an error,
 *   after a [$d] was honoured. An entry for a locale is used only in that
 *   locale; a scan has no locale, and kscreenlocker's keys are never
 *   localized, so such entries are skipped ("Key[]" names no locale and
 *   is the key itself).
 * - printableToString unescapes \s \t \n \r \\ and \xHH; "\;" and "\,"
 *   stay as written; a trailing lone backslash is dropped; an unknown
 *   escape is an error that leaves the text half-decoded, as kept here.
 * - After 100 errors KDE stops reading the file.
 * - kconfigdata.cpp setEntry: an immutable entry is never changed, and no
 *   key is added to a group that an earlier file made immutable (groups
 *   become immutable when their file ends). For the person's own file,
 *   which KDE reads without ParseDefaults, the lines of such a group are
 *   skipped altogether.
 * - kconfig.cpp parseConfigFiles: files are read from the least specific
 *   (the last folder of XDG_CONFIG_DIRS) to the person's own, and reading
 *   stops after a file that is immutable as a whole.
 * - kconfiggroup.cpp convertToQVariant: a bool is true unless the value
 *   is false/no/off/0 in any case; a number that does not convert gives
 *   the program's default. */
#include <limits.h>
#include <math.h>	/* isfinite: a macro, no libm */
#include <stdlib.h>
#include <string.h>
#include "platform/kconfig.h"
#include "platform/text.h"

/* A kscreenlockerrc holds a handful of keys; these bounds keep a hostile
 * file from making the linear lookups quadratic. */
#define KCONFIG_MAX_ENTRIES	2048
#define KCONFIG_MAX_GROUPS	512
#define KCONFIG_MAX_ERRORS	100	/* KConfigIniBackend's MAX_ERRORS */

enum {
	OPT_IMMUTABLE = 1,
	OPT_EXPAND = 2,
	OPT_DELETED = 4,
};

void
kconfig_init(struct kconfig *kc)
{
	memset(kc, 0, sizeof(*kc));
}

static int
is_space(char c)
{
	/* QByteArray::trimmed: ASCII whitespace; \v and \f never get here
	 * (text_is_clean). */
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/* printableToString on [s, s+n) into a new string (*out, *outlen).
 * Returns 1 decoded, 0 an invalid escape (KDE counts an error and keeps
 * the half-decoded text), -1 no memory or a decoded NUL (a C string
 * cannot hold it; e says which). */
static int
unescape(const char *s, size_t n, char **out, size_t *outlen, size_t line,
    struct mm_err *e)
{
	char *b;
	size_t l, i, r;
	int ok = 1;

	if (n == 0 || memchr(s, '\\', n) == NULL) {
		l = n;
		if ((b = text_dup(s, n)) == NULL)
			goto oom;
		*out = b;
		*outlen = l;
		return 1;
	}
	trim(&s, &n);
	l = n;
	if ((b = text_dup(s, n)) == NULL)
		goto oom;
	/* In place, as KDE does: r never passes i. */
	for (i = 0, r = 0; i < l; i++, r++) {
		if (b[i] != '\\') {
			b[r] = b[i];
			continue;
		}
		if (++i >= l)
			break;		/* a lone trailing backslash is dropped */
		switch (b[i]) {
		case 's':
			b[r] = ' ';
			break;
		case 't':
			b[r] = '\t';
			break;
		case 'n':
			b[r] = '\n';
			break;
		case 'r':
			b[r] = '\r';
			break;
		case '\\':
			b[r] = '\\';
			break;
		case ';':
		case ',':
			b[r] = '\\';
			b[++r] = b[i];
			break;
		case 'x':
			if (i + 2 < l) {
				int hi = text_hexval(b[i + 1]), lo = text_hexval(b[i + 2]);

				b[r] = (hi < 0 || lo < 0) ? 'x' : (char)(hi * 16 + lo);
				i += 2;
				if (b[r] == '\0') {
					free(b);
					err_set(e, "parse_error",
					    "line %zu: the escape \\x00 stands for a NUL byte, which no setting holds",
					    line);
					return -1;
				}
			} else {
				b[r] = 'x';
				i = l - 1;
			}
			break;
		default:
			b[r] = '\\';
			ok = 0;
			break;
		}
		if (!ok)
			break;
	}
	if (ok)
		l = r;
	b[l] = '\0';
	*out = b;
	*outlen = l;
	return ok;
oom:
	err_set(e, "out_of_memory", "out of memory reading a KDE settings file");
	return -1;
}

static struct kconfig_group *
find_group(const struct kconfig *kc, const char *name)
{
	for (size_t i = 0; i < kc->ng; i++)
		if (strcmp(kc->g[i].name, name) == 0)
			return &kc->g[i];
	return NULL;
}

static struct kconfig_group *
add_group(struct kconfig *kc, const char *name, struct mm_err *e)
{
	struct kconfig_group *g;

	if (kc->ng == KCONFIG_MAX_GROUPS) {
		err_set(e, "parse_error", "more than %d groups; not a settings file mamori reads",
		    KCONFIG_MAX_GROUPS);
		return NULL;
	}
	if (kc->ng == kc->gcap) {
		size_t nc = kc->gcap ? kc->gcap * 2 : 8;
		struct kconfig_group *ng = realloc(kc->g, nc * sizeof(*ng));
		if (ng == NULL)
			goto oom;
		kc->g = ng;
		kc->gcap = nc;
	}
	g = &kc->g[kc->ng];
	if ((g->name = strdup(name)) == NULL)
		goto oom;
	g->immutable = 0;
	kc->ng++;
	return g;
oom:
	err_set(e, "out_of_memory", "out of memory reading a KDE settings file");
	return NULL;
}

static struct kconfig_entry *
find_entry(const struct kconfig *kc, const char *group, const char *key)
{
	for (size_t i = 0; i < kc->n; i++)
		if (strcmp(kc->v[i].key, key) == 0 && strcmp(kc->v[i].group, group) == 0)
			return &kc->v[i];
	return NULL;
}

/* KEntryMap::setEntry. value NULL deletes. Takes value over (frees it
 * when refused). 0, or -1 with e. */
static int
set_entry(struct kconfig *kc, const char *group, const char *key, char *value,
    int opts, size_t origin, size_t line, struct mm_err *e)
{
	struct kconfig_entry *en = find_entry(kc, group, key);
	struct kconfig_group *g;

	if (en != NULL) {
		if (en->immutable) {
			free(value);	/* "we cannot change this entry" */
			return 0;
		}
	} else {
		g = find_group(kc, group);
		if (g == NULL && add_group(kc, group, e) == NULL) {
			free(value);
			return -1;
		}
		if (g != NULL && g->immutable) {
			free(value);	/* "this group is immutable" */
			return 0;
		}
		if (kc->n == KCONFIG_MAX_ENTRIES) {
			free(value);
			err_set(e, "parse_error", "more than %d settings; not a settings file mamori reads",
			    KCONFIG_MAX_ENTRIES);
			return -1;
		}
		if (kc->n == kc->cap) {
			size_t nc = kc->cap ? kc->cap * 2 : 16;
			struct kconfig_entry *nv = realloc(kc->v, nc * sizeof(*nv));
			if (nv == NULL)
				goto oom;
			kc->v = nv;
			kc->cap = nc;
		}
		en = &kc->v[kc->n];
		memset(en, 0, sizeof(*en));
		en->group = strdup(group);
		en->key = strdup(key);
		if (en->group == NULL || en->key == NULL) {
			free(en->group);
			free(en->key);
			goto oom;
		}
		kc->n++;
	}
	free(en->value);
	en->value = value;
	en->immutable = en->immutable || (opts & OPT_IMMUTABLE);
	en->expand = (opts & OPT_EXPAND) != 0;
	en->origin = origin;
	en->line = line;
	return 0;
oom:
	free(value);
	err_set(e, "out_of_memory", "out of memory reading a KDE settings file");
	return -1;
}

/* setEntry with an empty key: the group's marker, whose immutability is
 * set (either way) as given. */
static int
set_group_marker(struct kconfig *kc, const char *group, int immutable, struct mm_err *e)
{
	struct kconfig_group *g = find_group(kc, group);

	if (g == NULL && (g = add_group(kc, group, e)) == NULL)
		return -1;
	g->immutable = immutable;
	return 0;
}

/* A growing byte string for group names. */
struct buf {
	char *p;
	size_t n, cap;
};

static int
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 64;
		char *np;

		while (nc < b->n + n + 1)
			nc *= 2;
		if ((np = realloc(b->p, nc)) == NULL)
			return -1;
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

struct parse_state {
	struct kconfig *kc;
	int defaults;		/* KCONFIG_DEFAULTS */
	size_t origin;
	char *group;		/* current group */
	int file_imm, group_imm, group_skip;
	char **imm_groups;	/* groups this file makes immutable at its end */
	size_t n_imm, cap_imm;
	size_t errors;
};

/* One group header line [s, s+n), n > 0 and s[0] == '['. 0, or -1. */
static int
parse_header(struct parse_state *st, const char *s, size_t n, size_t line, struct mm_err *e)
{
	struct buf name = { NULL, 0, 0 };
	size_t start = 1, end;
	int rc = -1;

	st->group_imm = st->file_imm;
	if (buf_add(&name, "", 0) == -1)
		goto oom;
	do {
		for (end = start; end < n && s[end] != ']'; end++)
			;
		if (end == n) {
			/* "Invalid group header": the group stays as it was. */
			st->kc->skipped++;
			rc = 0;
			goto done;
		}
		if (end + 1 == n && start + 2 == end && s[start] == '$' && s[start + 1] == 'i') {
			if (name.n == 0)
				st->file_imm = 1;
			else
				st->group_imm = 1;
		} else {
			char *part;
			size_t pl;

			if (name.n > 0) {
				char sep = KCONFIG_GROUP_SEP;
				if (buf_add(&name, &sep, 1) == -1)
					goto oom;
			}
			/* Group names are unescaped too; its errors are not counted. */
			if (unescape(s + start, end - start, &part, &pl, line, e) == -1)
				goto done;
			if (buf_add(&name, part, pl) == -1) {
				free(part);
				goto oom;
			}
			free(part);
		}
		start = end + 2;
	} while (start <= n && s[end + 1] == '[');

	free(st->group);
	st->group = name.p;
	name.p = NULL;
	{
		struct kconfig_group *g = find_group(st->kc, st->group);
		st->group_skip = g != NULL && g->immutable;
	}
	if (st->group_skip && !st->defaults)
		return 0;
	if (st->group_imm) {
		for (size_t i = 0; i < st->n_imm; i++)
			if (strcmp(st->imm_groups[i], st->group) == 0)
				return 0;
		if (st->n_imm == KCONFIG_MAX_GROUPS) {
			err_set(e, "parse_error", "line %zu: more than %d immutable groups; not a settings file mamori reads",
			    line, KCONFIG_MAX_GROUPS);
			return -1;
		}
		if (st->n_imm == st->cap_imm) {
			size_t nc = st->cap_imm ? st->cap_imm * 2 : 4;
			char **ni = realloc(st->imm_groups, nc * sizeof(*ni));

			if (ni == NULL)
				goto oom;
			st->imm_groups = ni;
			st->cap_imm = nc;
		}
		if ((st->imm_groups[st->n_imm] = strdup(st->group)) == NULL)
			goto oom;
		st->n_imm++;
	}
	return 0;
oom:
	err_set(e, "out_of_memory", "out of memory reading a KDE settings file");
done:
	free(name.p);
	return rc;
}

/* One key line. 0, or -1. */
static int
parse_key(struct parse_state *st, const char *s, size_t n, size_t line, struct mm_err *e)
{
	const char *eq = memchr(s, '=', n), *k = s, *v = NULL;
	size_t kl = eq ? (size_t)(eq - s) : n, vl = 0, locale_len = 0;
	int opts = st->group_imm ? OPT_IMMUTABLE : 0, have_locale = 0, rc;
	char *key, *value;
	size_t keylen, valuelen;

	if (st->group_skip && !st->defaults)
		return 0;
	if (eq != NULL) {
		trim(&k, &kl);
		v = eq + 1;
		vl = n - (size_t)(v - s);
		trim(&v, &vl);
	}
	if (kl == 0) {
		st->kc->skipped++;	/* "Invalid entry (empty key)" */
		return 0;
	}
	for (;;) {
		size_t start, end;

		for (start = kl; start > 0 && k[start - 1] != '['; start--)
			;
		if (start == 0)
			break;
		start--;		/* k[start] == '[' */
		for (end = start; end < kl && k[end] != ']'; end++)
			;
		if (end == kl) {
			st->errors++;	/* "Invalid entry (missing ']')" */
			return 0;
		}
		if (end > start + 1 && k[start + 1] == '$') {
			for (size_t i = start + 2; i < end; i++) {
				if (k[i] == 'i')
					opts |= OPT_IMMUTABLE;
				else if (k[i] == 'e')
					opts |= OPT_EXPAND;
				else if (k[i] == 'd') {
					if ((rc = unescape(k, start, &key, &keylen, line, e)) == -1)
						return -1;
					rc = key[0] == '\0'
					    ? set_group_marker(st->kc, st->group, opts & OPT_IMMUTABLE, e)
					    : set_entry(st->kc, st->group, key, NULL,
						opts | OPT_DELETED, st->origin, line, e);
					free(key);
					return rc;
				}
			}
		} else {
			if (have_locale) {
				st->errors++;	/* "Invalid entry (second locale!?)" */
				return 0;
			}
			have_locale = 1;
			locale_len = end - start - 1;
		}
		kl = start;
	}
	if (eq == NULL) {
		st->errors++;		/* "Invalid entry (missing '=')" */
		return 0;
	}
	if (have_locale && locale_len > 0) {
		st->kc->skipped++;	/* another language's text */
		return 0;
	}
	if (unescape(k, kl, &key, &keylen, line, e) == -1)
		return -1;
	if ((rc = unescape(v, vl, &value, &valuelen, line, e)) == -1) {
		free(key);
		return -1;
	}
	if (rc == 0)
		st->errors++;		/* "Invalid escape sequence" */
	if (key[0] == '\0') {
		/* An empty key after unescaping is the group's marker. */
		free(value);
		rc = set_group_marker(st->kc, st->group, opts & OPT_IMMUTABLE, e);
	} else
		rc = set_entry(st->kc, st->group, key, value, opts, st->origin, line, e);
	free(key);
	return rc;
}

int
kconfig_parse(struct kconfig *kc, const char *buf, size_t len, int flags, size_t origin,
    struct mm_err *e)
{
	struct parse_state st;
	size_t pos = 0, ll, lineno = 0;
	const char *line;
	int rc = -1;

	if (!text_is_clean(buf, len)) {
		size_t bad = 0, nl = 1;

		while (bad < len && (((unsigned char)buf[bad] >= 0x20 && buf[bad] != 0x7f) ||
		    buf[bad] == '\t' || buf[bad] == '\n' || buf[bad] == '\r')) {
			if (buf[bad] == '\n')
				nl++;
			bad++;
		}
		err_set(e, "parse_error",
		    "line %zu holds binary data (byte 0x%02x); not a KDE settings file",
		    nl, (unsigned)(unsigned char)buf[bad]);
		return -1;
	}
	memset(&st, 0, sizeof(st));
	st.kc = kc;
	st.defaults = (flags & KCONFIG_DEFAULTS) != 0;
	st.origin = origin;
	if ((st.group = strdup("<default>")) == NULL) {
		err_set(e, "out_of_memory", "out of memory reading a KDE settings file");
		return -1;
	}
	while (st.errors < KCONFIG_MAX_ERRORS && text_next_line(buf, len, &pos, &line, &ll)) {
		lineno++;
		trim(&line, &ll);
		if (ll == 0 || line[0] == '#')
			continue;
		if (line[0] == '[') {
			if (parse_header(&st, line, ll, lineno, e) == -1)
				goto done;
		} else if (parse_key(&st, line, ll, lineno, e) == -1)
			goto done;
	}
	kc->skipped += st.errors;
	/* Groups become immutable only when their file is read. */
	for (size_t i = 0; i < st.n_imm; i++)
		if (set_group_marker(kc, st.imm_groups[i], 1, e) == -1)
			goto done;
	if (st.file_imm) {
		kc->file_immutable = 1;
		kc->immutable_origin = origin;
	}
	rc = 0;
done:
	for (size_t i = 0; i < st.n_imm; i++)
		free(st.imm_groups[i]);
	free(st.imm_groups);
	free(st.group);
	return rc;
}

const struct kconfig_entry *
kconfig_entry(const struct kconfig *kc, const char *group, const char *key)
{
	return find_entry(kc, group, key);
}

int
kconfig_is_immutable(const struct kconfig *kc, const char *group, const char *key)
{
	const struct kconfig_group *g = find_group(kc, group);
	const struct kconfig_entry *en = find_entry(kc, group, key);

	return kc->file_immutable || (g != NULL && g->immutable) ||
	    (en != NULL && en->immutable);
}

static int
ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return *a == *b;
}

int
kconfig_bool(const char *value, int dflt)
{
	static const char *const negatives[] = { "false", "no", "off", "0" };

	if (value == NULL)
		return dflt;
	for (size_t i = 0; i < sizeof(negatives) / sizeof(negatives[0]); i++)
		if (ascii_ieq(value, negatives[i]))
			return 0;
	return 1;
}

long
kconfig_int(const char *value, long dflt)
{
	const char *s = value;
	size_t n;
	long v;

	if (value == NULL)
		return dflt;
	n = strlen(s);
	trim(&s, &n);
	if (text_parse_long(s, n, 1, &v) == -1 || v < INT_MIN || v > INT_MAX)
		return dflt;
	return v;
}

double
kconfig_double(const char *value, double dflt)
{
	const char *s = value;
	size_t n, i = 0, digits = 0;
	double m = 0.0;
	long ex = 0, ex2 = 0;
	int neg = 0, eneg = 0;

	if (value == NULL)
		return dflt;
	n = strlen(s);
	trim(&s, &n);
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		m = m * 10.0 + (s[i] - '0');
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
			m = m * 10.0 + (s[i] - '0');
			ex--;
		}
	if (digits == 0)
		return dflt;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t ed = 0;

		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, ed++)
			if (ex2 < 100000)
				ex2 = ex2 * 10 + (s[i] - '0');
		if (ed == 0)
			return dflt;
	}
	if (i != n)
		return dflt;
	ex += eneg ? -ex2 : ex2;
	if (ex > 400 || ex < -400)
		return dflt;	/* out of a double's range either way */
	for (; ex > 0; ex--)
		m *= 10.0;
	for (; ex < 0; ex++)
		m /= 10.0;
	if (!isfinite(m))
		return dflt;
	return neg ? -m : m;
}

void
kconfig_free(struct kconfig *kc)
{
	for (size_t i = 0; i < kc->n; i++) {
		free(kc->v[i].group);
		free(kc->v[i].key);
		free(kc->v[i].value);
	}
	free(kc->v);
	for (size_t i = 0; i < kc->ng; i++)
		free(kc->g[i].name);
	free(kc->g);
	memset(kc, 0, sizeof(*kc));
}
