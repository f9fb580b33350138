/* rpmdb: see rpmdb.h. RPM's SQLite backend keeps one table per index; the
 * "Name" table is (key TEXT, hnum INTEGER, idx INTEGER) with the package
 * name as key (rpm lib/backend/sqlite.c, init_table). Reading that index
 * spares parsing the header blobs in "Packages".
 *
 * SQLite opens files by name, which would follow links; so the file is
 * opened here (O_NOFOLLOW, under the root, checked regular) and SQLite is
 * handed /proc/self/fd/N of that very descriptor, with immutable=1: no
 * locks, no journal or WAL files created, nothing written. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include "platform/rpmdb.h"

#define RPMDB_MAX_NAMES 200000
#define RPMDB_MAX_BYTES (2ull << 30)	/* a real one is tens of MB */

static const char *const sqlite_dirs[] = {
	"/var/lib/rpm",
	"/usr/lib/sysimage/rpm",	/* openSUSE, newer Fedora */
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
rpmdb_free(struct rpm_db *db)
{
	for (size_t i = 0; i < db->n; i++)
		free(db->names[i]);
	free(db->names);
	memset(db, 0, sizeof(*db));
}

int
rpmdb_installed(const struct rpm_db *db, const char *name)
{
	if (db->n == 0)
		return 0;
	return bsearch(&name, db->names, db->n, sizeof(*db->names), cmp_str) != NULL;
}

/* Opens dir/rpmdb.sqlite as a regular file; -1 with errno otherwise. */
static int
open_db(const struct root *r, const char *dir, struct mm_err *e)
{
	struct stat st;
	int dfd, fd;

	dfd = root_open_dir(r, dir, e);
	if (dfd == -1)
		return -1;
	fd = openat(dfd, "rpmdb.sqlite", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	close(dfd);
	if (fd == -1) {
		if (errno == ENOENT)
			return -1;
		err_set(e, errno == ELOOP ? "file_symlink" : "file_unreadable",
		    "%s/rpmdb.sqlite cannot be opened: %s", dir, strerror(errno));
		return -2;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		err_set(e, "file_not_regular", "%s/rpmdb.sqlite is not a regular file; refused", dir);
		return -2;
	}
	if ((unsigned long long)st.st_size > RPMDB_MAX_BYTES) {
		close(fd);
		err_set(e, "file_too_large", "%s/rpmdb.sqlite is larger than mamori reads", dir);
		return -2;
	}
	return fd;
}

static enum file_status
read_names(int fd, const char *dir, struct rpm_db *db, struct mm_err *e)
{
	char uri[64];
	sqlite3 *s = NULL;
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	snprintf(uri, sizeof(uri), "file:/proc/self/fd/%d?immutable=1", fd);
	rc = sqlite3_open_v2(uri, &s, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK)
		goto bad;
	rc = sqlite3_prepare_v2(s, "SELECT DISTINCT key FROM Name", -1, &st, NULL);
	if (rc != SQLITE_OK)
		goto bad;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *k = sqlite3_column_text(st, 0);
		char *dup;

		if (k == NULL || k[0] == '\0')
			continue;
		if (db->n == RPMDB_MAX_NAMES) {
			sqlite3_finalize(st);
			sqlite3_close(s);
			err_set(e, "file_too_large", "%s/rpmdb.sqlite names more than %d packages",
			    dir, RPMDB_MAX_NAMES);
			return FILE_BAD;
		}
		if (db->n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			char **nv = realloc(db->names, nc * sizeof(*nv));
			if (nv == NULL)
				goto oom;
			db->names = nv;
			cap = nc;
		}
		if ((dup = strdup((const char *)k)) == NULL)
			goto oom;
		db->names[db->n++] = dup;
	}
	if (rc != SQLITE_DONE)
		goto bad;
	sqlite3_finalize(st);
	sqlite3_close(s);
	if (db->n > 1)
		qsort(db->names, db->n, sizeof(*db->names), cmp_str);
	return FILE_OK;
bad:
	err_set(e, "parse_error", "%s/rpmdb.sqlite could not be read as RPM's database: %s",
	    dir, s != NULL ? sqlite3_errmsg(s) : sqlite3_errstr(rc));
	sqlite3_finalize(st);
	sqlite3_close(s);
	return FILE_BAD;
oom:
	sqlite3_finalize(st);
	sqlite3_close(s);
	err_set(e, "out_of_memory", "out of memory reading %s/rpmdb.sqlite", dir);
	return FILE_BAD;
}

enum file_status
rpmdb_load(const struct root *r, struct rpm_db *db, struct mm_err *e)
{
	static const char *const others[] = {
		"/var/lib/rpm/Packages", "/var/lib/rpm/Packages.db",
		"/usr/lib/sysimage/rpm/Packages", "/usr/lib/sysimage/rpm/Packages.db",
	};
	struct mm_err oe;

	memset(db, 0, sizeof(*db));
	for (size_t i = 0; i < sizeof(sqlite_dirs) / sizeof(sqlite_dirs[0]); i++) {
		enum file_status s;
		int fd;

		err_clear(&oe);
		fd = open_db(r, sqlite_dirs[i], &oe);
		if (fd == -1 && (oe.reason == NULL || strcmp(oe.reason, "file_absent") == 0))
			continue;
		if (fd < 0) {
			if (e != NULL)
				*e = oe;
			db->kind = RPMDB_SQLITE;
			return FILE_BAD;
		}
		db->kind = RPMDB_SQLITE;
		s = read_names(fd, sqlite_dirs[i], db, e);
		close(fd);
		if (s != FILE_OK) {
			for (size_t k = 0; k < db->n; k++)
				free(db->names[k]);
			free(db->names);
			db->names = NULL;
			db->n = 0;
		}
		return s;
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		char kind;
		off_t size;

		if (root_stat(r, others[i], &kind, &size, NULL) == FILE_OK) {
			db->kind = RPMDB_OTHER;
			return FILE_OK;
		}
	}
	return FILE_ABSENT;
}
