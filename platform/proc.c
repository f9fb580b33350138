/* proc: see proc.h. Every read is a root_* read of a procfs file or a
 * readlinkat(2) of the exe link, so a test tree with a hand-made proc/
 * folder (comm files, exe symlinks) is read exactly like the real one. */
#include <ctype.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
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

/* The end of the bracket expression starting at p ('['), or NULL when it
 * is not one (then '[' is an ordinary character, as fnmatch treats it). */
static const char *
bracket_end(const char *p)
{
	const char *q = p + 1;

	if (*q == '!' || *q == '^')
		q++;
	if (*q == ']')
		q++;
	while (*q && *q != ']')
		q++;
	return *q == ']' ? q : NULL;
}

static int
prefix_match(const char *p, const char *s)
{
	if (*s == '\0')
		return 1;	/* the rest of the pattern can always be completed */
	if (*p == '\0')
		return 0;
	if (*p == '*') {
		while (p[1] == '*')
			p++;
		return prefix_match(p + 1, s) || prefix_match(p, s + 1);
	}
	if (*p == '?')
		return prefix_match(p + 1, s + 1);
	if (*p == '[') {
		const char *end = bracket_end(p);
		if (end != NULL) {
			char cls[128], one[2] = { *s, '\0' };
			size_t k = (size_t)(end - p) + 1;

			if (k >= sizeof(cls))
				return 0;
			memcpy(cls, p, k);
			cls[k] = '\0';
			return fnmatch(cls, one, FNM_CASEFOLD) == 0 && prefix_match(end + 1, s + 1);
		}
	}
	if (*p == '\\' && p[1] != '\0')
		p++;
	return tolower((unsigned char)*p) == tolower((unsigned char)*s) &&
	    prefix_match(p + 1, s + 1);
}

int
proc_glob_prefix_match(const char *pattern, const char *prefix)
{
	return prefix_match(pattern, prefix);
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
