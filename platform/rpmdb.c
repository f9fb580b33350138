/* rpmdb: see rpmdb.h. RPM's SQLite backend keeps one table per index; the
 * "Name" table is (key TEXT, hnum INTEGER, idx INTEGER) with the package
 * name as key (rpm lib/backend/sqlite.c, init_table). Reading that index
 * spares parsing the header blobs in "Packages".
 *
 * SQLite opens files by name, which would follow links; so the file is
 * opened here (O_NOFOLLOW, under the root, checked regular) and SQLite is
 * handed /proc/self/fd/N of that very descriptor, with immutable=1: no
 * locks, no journal or WAL files created, nothing written.
 *
 * The file may come from an image or a hostile tree under --root, so its
 * schema is not trusted (as browsers_logindb_count does): defensive mode,
 * no triggers, no views, no functions called from the schema, "Name" must
 * be an ordinary table, and a budget of virtual-machine steps, so that no
 * view over an endless recursive query can hang a scan. */
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
/* Steps of SQLite's virtual machine (in thousands) the read may take:
 * RPMDB_MAX_NAMES names take a few million; a crafted file must not hang
 * a scan. */
#define RPMDB_MAX_PROGRESS 100000
#define RPMDB_MAX_VALUE (1 << 20)	/* bytes in one value SQLite makes */

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

static int
on_progress(void *arg)
{
	unsigned *calls = arg;

	return ++*calls > RPMDB_MAX_PROGRESS;
}

/* The one integer a query yields, in *n; an SQLite code otherwise. */
static int
query_int(sqlite3 *s, const char *sql, long long *n)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*n = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static enum file_status
read_names(int fd, const char *dir, struct rpm_db *db, struct mm_err *e)
{
	/* RPM makes Name an ordinary table (init_table); a view, a virtual
	 * table or anything else is not RPM's, and is not read. Nor is a
	 * generated column: its expression would run once a row, beyond the
	 * step budget's reach. */
	static const char is_table[] =
	    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 "
	    "AND name = 'Name' COLLATE NOCASE";
	static const char generated[] =
	    "SELECT count(*) FROM pragma_table_xinfo('Name') WHERE hidden <> 0";
	long long n = 0;
	char uri[64];
	sqlite3 *s = NULL;
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	unsigned calls = 0;
	int rc;

	snprintf(uri, sizeof(uri), "file:/proc/self/fd/%d?immutable=1", fd);
	rc = sqlite3_open_v2(uri, &s, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK)
		goto bad;
	sqlite3_db_config(s, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(s, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_db_config(s, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	sqlite3_db_config(s, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
	/* A package name is short; no value read needs more. */
	sqlite3_limit(s, SQLITE_LIMIT_LENGTH, RPMDB_MAX_VALUE);
	sqlite3_progress_handler(s, 1000, on_progress, &calls);
	if ((rc = query_int(s, is_table, &n)) != SQLITE_OK)
		goto bad;
	if (n == 1 && (rc = query_int(s, generated, &n)) == SQLITE_OK)
		n = n == 0;
	if (rc != SQLITE_OK)
		goto bad;
	if (n != 1) {
		sqlite3_close(s);
		err_set(e, "db_schema_unknown",
		    "%s/rpmdb.sqlite has no Name table as RPM makes it; not RPM's database", dir);
		return FILE_BAD;
	}
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
	if ((rc & 0xff) == SQLITE_INTERRUPT)
		err_set(e, "db_too_slow", "%s/rpmdb.sqlite took too long to read and was stopped",
		    dir);
	else
		err_set(e, (rc & 0xff) == SQLITE_NOMEM ? "out_of_memory" : "parse_error",
		    "%s/rpmdb.sqlite could not be read as RPM's database: %s",
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
