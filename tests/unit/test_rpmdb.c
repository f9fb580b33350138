/* test_rpmdb: installed RPM packages from rpmdb.sqlite's Name table, and
 * a database whose schema is not RPM's — a view, a virtual table, a
 * generated column — refused with a reason in bounded time, never read
 * (a view over an endless recursive query used to hang the scan). */
#include <sqlite3.h>
#include "testutil.h"
#include "platform/rpmdb.h"

/* The schema of RPM 4.16's SQLite backend, as far as it is read. */
static const char rpm_schema[] =
    "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);"
    "INSERT INTO Packages (blob) VALUES (x'00'), (x'00'), (x'00'), (x'00');";

/* A root holding var/lib/rpm/rpmdb.sqlite made by sql. */
static char *
make_db(const char *sql)
{
	char *root = tu_mkroot();
	char path[4096];
	sqlite3 *db;
	char *msg = NULL;

	tu_mkdirs(root, "var/lib/rpm");
	snprintf(path, sizeof(path), "%s/var/lib/rpm/rpmdb.sqlite", root);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
	return root;
}

static enum file_status
load(const char *rootdir, struct rpm_db *db, struct mm_err *e)
{
	struct root r;
	enum file_status s;

	assert_int_equal(root_open(&r, rootdir, 0, e), 0);
	err_clear(e);
	/* A hang is a failure: SIGALRM ends the test program. */
	alarm(60);
	s = rpmdb_load(&r, db, e);
	alarm(0);
	root_close(&r);
	return s;
}

static void
test_reads_names(void **state)
{
	char sql[1024];
	char *root;
	struct rpm_db db;
	struct mm_err e;

	(void)state;
	snprintf(sql, sizeof(sql), "%s%s", rpm_schema,
	    "CREATE TABLE Name (key TEXT NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL,"
	    " FOREIGN KEY (hnum) REFERENCES Packages(hnum));"
	    "INSERT INTO Name VALUES ('kernel', 1, 0), ('bash', 2, 0), ('deluge-gtk', 3, 0),"
	    " ('kernel', 4, 0), ('', 4, 1);");
	root = make_db(sql);
	assert_int_equal(load(root, &db, &e), FILE_OK);
	assert_int_equal(db.kind, RPMDB_SQLITE);
	assert_int_equal(db.n, 3);
	assert_string_equal(db.names[0], "bash");
	assert_string_equal(db.names[1], "deluge-gtk");
	assert_string_equal(db.names[2], "kernel");
	assert_true(rpmdb_installed(&db, "deluge-gtk"));
	assert_false(rpmdb_installed(&db, "deluge"));
	assert_false(rpmdb_installed(&db, ""));
	rpmdb_free(&db);
	tu_rmroot(root);
}

/* tests/fuzz/corpus/rpmdb/view-endless-recursion: "Name" is a view over
 * a recursive query that never yields a row and never ends. */
static void
test_view_is_refused(void **state)
{
	static const char *const views[] = {
		"CREATE VIEW Name AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
		"SELECT x+1 FROM c) SELECT x AS key FROM c WHERE x < 0;",
		/* finite, but still not RPM's table */
		"CREATE TABLE names (key TEXT); INSERT INTO names VALUES ('bash');"
		"CREATE VIEW name AS SELECT key FROM names;",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		char sql[1024];
		char *root;
		struct rpm_db db;
		struct mm_err e;

		snprintf(sql, sizeof(sql), "%s%s", rpm_schema, views[i]);
		root = make_db(sql);
		assert_int_equal(load(root, &db, &e), FILE_BAD);
		assert_non_null(e.reason);
		assert_string_equal(e.reason, "db_schema_unknown");
		assert_non_null(strstr(e.msg, "/var/lib/rpm/rpmdb.sqlite"));
		assert_int_equal(db.kind, RPMDB_SQLITE);
		assert_int_equal(db.n, 0);
		assert_null(db.names);
		rpmdb_free(&db);
		tu_rmroot(root);
	}
}

static void
test_other_schemas_refused(void **state)
{
	static const char *const schemas[] = {
		/* no Name at all */
		"",
		/* a virtual table runs the module's code, not a table's */
		"CREATE VIRTUAL TABLE Name USING fts5(key);"
		"INSERT INTO Name VALUES ('bash');",
		/* a generated column runs its expression on every row read */
		"CREATE TABLE Name (k TEXT, key TEXT GENERATED ALWAYS AS (k || 'x') VIRTUAL,"
		" hnum INTEGER, idx INTEGER); INSERT INTO Name (k, hnum, idx) VALUES ('bash', 1, 0);",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		char sql[1024];
		char *root;
		struct rpm_db db;
		struct mm_err e;

		snprintf(sql, sizeof(sql), "%s%s", rpm_schema, schemas[i]);
		root = make_db(sql);
		assert_int_equal(load(root, &db, &e), FILE_BAD);
		if (e.reason == NULL || strcmp(e.reason, "db_schema_unknown") != 0)
			fail_msg("schema %zu: reason %s (%s)", i, e.reason ? e.reason : "(none)",
			    e.msg);
		assert_int_equal(db.n, 0);
		rpmdb_free(&db);
		tu_rmroot(root);
	}
}

static void
test_not_a_database(void **state)
{
	char *root = tu_mkroot();
	struct rpm_db db;
	struct mm_err e;

	(void)state;
	tu_write(root, "var/lib/rpm/rpmdb.sqlite", "this is not a database, it is text\n");
	assert_int_equal(load(root, &db, &e), FILE_BAD);
	assert_non_null(e.reason);
	assert_int_equal(db.n, 0);
	rpmdb_free(&db);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_names),
		cmocka_unit_test(test_view_is_refused),
		cmocka_unit_test(test_other_schemas_refused),
		cmocka_unit_test(test_not_a_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
