/* dash_sql: the SQLite helpers shared by dash_query and dash_store; see
 * dash_sql.h. */
#include <stddef.h>
#include <sqlite3.h>
#include "server-stub/dash_sql.h"
#include "server-stub/store_backend.h"

int
dash_sql_fail(sqlite3 *db, struct mm_err *e, const char *what)
{
	err_set(e, "database_error", "%s: %s", what, db != NULL ? sqlite3_errmsg(db) :
	    "not an SQLite database");
	return STORE_ERROR;
}

sqlite3_stmt *
dash_sql_prep(struct store *s, const char *sql, sqlite3 **dbp, struct mm_err *e)
{
	sqlite3 *db = store_sqlite_db(s);
	sqlite3_stmt *st = NULL;

	*dbp = db;
	if (db == NULL || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		dash_sql_fail(db, e, "preparing a statement");
		return NULL;
	}
	return st;
}
