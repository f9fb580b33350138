/* userstatus: the per-person status files; see userstatus.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "agent/report.h"
#include "agent/state.h"
#include "agent/userstatus.h"
#include "common/utf8.h"

const char *
userstatus_dir_path(const char *given)
{
	const char *env = getenv("MAMORI_STATUS_DIR");

	if (given != NULL)
		return given;
	if (env != NULL && env[0] != '\0')
		return env;
	return USERSTATUS_DEFAULT_DIR;
}

static int
is_person(const struct scan *s, const char *name)
{
	for (size_t i = 0; i < s->people.n; i++)
		if (strcmp(s->people.v[i].name, name) == 0)
			return 1;
	return 0;
}

/* "own", "device", or NULL: another person's, never shown to p. */
static const char *
scope_of(const struct scan *s, const struct person *p, const struct finding *f)
{
	const char *user = json_string_value(json_object_get(f->evidence, "user"));

	if (is_person(s, f->subject))
		return strcmp(f->subject, p->name) == 0 ? "own" : NULL;
	/* a program found in someone's home folder: that person's to remove */
	if (user != NULL)
		return strcmp(user, p->name) == 0 ? "own" : NULL;
	return "device";
}

json_t *
userstatus_build(const struct scan *s, const struct person *p)
{
	json_t *items = json_array(), *st;
	int fail = 0, unknown = 0;
	char when[32];

	for (size_t i = 0; i < s->n; i++) {
		const struct scan_item *it = &s->items[i];

		for (size_t k = 0; k < it->result.n; k++) {
			const struct finding *f = &it->result.f[k];
			const char *scope;

			if (f->verdict != V_FAIL && f->verdict != V_UNKNOWN)
				continue;
			if ((scope = scope_of(s, p, f)) == NULL)
				continue;
			if (f->verdict == V_FAIL && it->severity == SEV_REQUIRED)
				fail = 1;
			if (f->verdict == V_UNKNOWN && it->severity == SEV_REQUIRED)
				unknown = 1;
			json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, "
			    "s:s?, s:s?, s:O}",
			    "check", it->def->id,
			    "article", it->def->article,
			    "severity", severity_name(it->severity),
			    "scope", scope,
			    "verdict", verdict_name(f->verdict),
			    "subject", utf8_json_string(f->subject),
			    "reason", f->reason,
			    "remediation", f->remediation,
			    "evidence", f->evidence ? f->evidence : json_object()));
		}
	}
	report_time(s->at, when);
	st = json_pack("{s:s, s:I, s:o, s:o, s:s, s:{s:s, s:s}, s:s, s:o}",
	    "schema", USERSTATUS_SCHEMA,
	    "uid", (json_int_t)p->uid,
	    "user", utf8_json_string(p->name),
	    "hostname", utf8_json_string(s->device.hostname),
	    "generated_at", when,
	    "policy", "id", s->policy->id, "sha256", s->policy->sha256,
	    /* only required checks decide; advisory ones are shown, not counted */
	    "verdict", fail ? "fail" : unknown ? "unknown" : "pass",
	    "items", items);
	return st;
}

int
userstatus_dir_open(const char *path, int *dirfd, struct mm_err *e)
{
	char parent[4096];
	struct stat sb;

	*dirfd = -1;
	if (path[0] == '\0' || strlen(path) >= sizeof(parent)) {
		err_set(e, "path_invalid", "the status folder \"%s\" is not a usable path", path);
		return -1;
	}
	/* /run/mamori/users: /run is empty after each boot */
	/* chmod after mkdir: under the unit's UMask=0077 a new folder would be
	 * 0700, and nobody could reach their own file */
	snprintf(parent, sizeof(parent), "%s", path);
	if (mkdir(dirname(parent), 0755) == 0)
		chmod(parent, 0755);
	else if (errno != EEXIST) {
		err_set(e, "status_unwritable", "cannot create %s: %s", parent, strerror(errno));
		return -1;
	}
	if (mkdir(path, 0755) == 0)
		chmod(path, 0755);
	else if (errno != EEXIST) {
		err_set(e, "status_unwritable", "cannot create the status folder %s: %s", path,
		    strerror(errno));
		return -1;
	}
	*dirfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*dirfd == -1) {
		err_set(e, "status_unsafe", "cannot open the status folder %s: %s", path,
		    strerror(errno));
		return -1;
	}
	/* whoever could write here could swap a person's file for another's */
	if (fstat(*dirfd, &sb) == -1 || !S_ISDIR(sb.st_mode) || sb.st_uid != geteuid() ||
	    (sb.st_mode & 022) != 0) {
		err_set(e, "status_unsafe", "%s must be a folder owned by the user running the "
		    "daemon and writable only by it (chown root; chmod 755)", path);
		close(*dirfd);
		*dirfd = -1;
		return -1;
	}
	return 0;
}

int
userstatus_write(int dirfd, uid_t uid, const json_t *st, struct mm_err *e)
{
	struct state_buf b[2];
	char name[32];
	char *txt;
	int rc;

	snprintf(name, sizeof(name), "%lu.json", (unsigned long)uid);
	if ((txt = json_dumps(st, JSON_INDENT(1) | JSON_SORT_KEYS)) == NULL) {
		err_set(e, "out_of_memory", "out of memory writing %s", name);
		return -1;
	}
	b[0].p = txt;
	b[0].len = strlen(txt);
	b[1].p = "\n";
	b[1].len = 1;
	/* 0600 and the person's before it is named UID.json */
	rc = state_write_owned_at(dirfd, name, b, 2, 0600, uid, e);
	free(txt);
	return rc;
}

/* "1000.json" → 1000; -1 for any other name. */
static long
uid_of_name(const char *n)
{
	char *end;
	long v;

	if (n[0] < '0' || n[0] > '9')
		return -1;
	errno = 0;
	v = strtol(n, &end, 10);
	if (errno != 0 || strcmp(end, ".json") != 0 || v < 0)
		return -1;
	return v;
}

int
userstatus_write_all(int dirfd, const struct scan *s, size_t *written, struct mm_err *e)
{
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	*written = 0;
	for (size_t i = 0; i < s->people.n; i++) {
		const struct person *p = &s->people.v[i];
		json_t *st;

		if (p->uid < 0)
			continue;
		if ((st = userstatus_build(s, p)) == NULL) {
			err_set(e, "out_of_memory", "out of memory building the status of %s",
			    p->name);
			return -1;
		}
		rc = userstatus_write(dirfd, (uid_t)p->uid, st, e);
		json_decref(st);
		if (rc == -1)
			return -1;
		(*written)++;
	}
	/* a person removed from the PC: their file goes too (only when the
	 * accounts were read, or an unreadable passwd would empty the folder) */
	if (!s->people.passwd_ok)
		return 0;
	if ((fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		long uid = uid_of_name(de->d_name);
		int keep = 0;

		if (uid < 0)
			continue;
		for (size_t i = 0; i < s->people.n && !keep; i++)
			keep = s->people.v[i].uid == uid;
		if (!keep)
			unlinkat(dirfd, de->d_name, 0);
	}
	closedir(d);
	return 0;
}

int
userstatus_read(const char *dir, uid_t uid, json_t **out, struct mm_err *e)
{
	char name[32];
	struct stat sb;
	json_error_t je;
	json_t *st, *u;
	char *buf;
	size_t have = 0;
	int dfd, fd;

	*out = NULL;
	snprintf(name, sizeof(name), "%lu.json", (unsigned long)uid);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1) {
		if (errno == ENOENT)
			return 1;
		err_set(e, "status_unreadable", "cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	close(dfd);
	if (fd == -1) {
		if (errno == ENOENT)
			return 1;
		err_set(e, "status_unreadable", "cannot open %s/%s: %s", dir, name,
		    strerror(errno));
		return -1;
	}
	/* only the daemon's file for this person: a file of someone else, a
	 * FIFO, or a symlink placed there is not believed */
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_uid != uid ||
	    sb.st_size > USERSTATUS_CAP) {
		err_set(e, "status_refused", "%s/%s is not a status file of uid %lu (a regular "
		    "file it owns, at most %u bytes)", dir, name, (unsigned long)uid,
		    USERSTATUS_CAP);
		close(fd);
		return -1;
	}
	if (state_read_fd(fd, (size_t)sb.st_size, name, &buf, &have, e) == -1) {
		close(fd);
		return -1;
	}
	close(fd);
	st = json_loadb(buf, have, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	u = json_object_get(st, "uid");
	if (st == NULL || !json_is_object(st) ||
	    !json_is_string(json_object_get(st, "schema")) ||
	    strcmp(json_string_value(json_object_get(st, "schema")), USERSTATUS_SCHEMA) != 0 ||
	    !json_is_integer(u) || json_integer_value(u) != (json_int_t)uid ||
	    !json_is_array(json_object_get(st, "items"))) {
		err_set(e, "status_invalid", "%s/%s is not a %s file for uid %lu", dir, name,
		    USERSTATUS_SCHEMA, (unsigned long)uid);
		json_decref(st);
		return -1;
	}
	*out = st;
	return 0;
}

static int
cmp_uid(const void *a, const void *b)
{
	uid_t x = *(const uid_t *)a, y = *(const uid_t *)b;

	return x < y ? -1 : x > y;
}

int
userstatus_list(const char *dir, uid_t **uids, size_t *n, struct mm_err *e)
{
	struct dirent *de;
	size_t cap = 0;
	uid_t *v = NULL;
	DIR *d;

	*uids = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		err_set(e, "status_unreadable", "cannot list %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		long uid = uid_of_name(de->d_name);

		if (uid < 0)
			continue;
		if (*n == cap) {
			uid_t *nv = realloc(v, (cap ? cap * 2 : 16) * sizeof(*v));
			if (nv == NULL) {
				free(v);
				closedir(d);
				err_set(e, "out_of_memory", "out of memory listing %s", dir);
				return -1;
			}
			v = nv;
			cap = cap ? cap * 2 : 16;
		}
		v[(*n)++] = (uid_t)uid;
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), cmp_uid);
	*uids = v;
	return 0;
}
