/* dash_sql: the two SQLite helpers the dashboard's modules (dash_query,
 * dash_store) share: an error from the database in words, and a statement
 * prepared on the collector's database. */
#ifndef MAMORI_DASH_SQL_H
#define MAMORI_DASH_SQL_H

#include <sqlite3.h>
#include "common/err.h"
#include "server-stub/store.h"

/* Fills e with what (what was being done) and SQLite's message;
 * returns STORE_ERROR. */
int dash_sql_fail(sqlite3 *db, struct mm_err *e, const char *what);

/* Prepares sql on the store's SQLite database (*dbp: that database, for
 * the caller's later errors); NULL with e filled on failure. */
sqlite3_stmt *dash_sql_prep(struct store *s, const char *sql, sqlite3 **dbp,
    struct mm_err *e);

#endif
