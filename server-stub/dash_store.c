/* dash_store: administrators, sessions, login failures and the audit log
 * in the collector's SQLite database; see dash_store.h. Statements are
 * prepared per call: these are a person's clicks, not the agents' load. */
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "server-stub/dash_store.h"
#include "server-stub/dash_sql.h"
#include "server-stub/store_backend.h"

/* Runs a statement that returns no row; finalizes it. */
static int
run(sqlite3 *db, sqlite3_stmt *st, struct mm_err *e, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_EXISTS;
	return rc == SQLITE_DONE ? STORE_OK : dash_sql_fail(db, e, what);
}

static void
text(sqlite3_stmt *st, int i, char *out, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, len, "%s", t != NULL ? (const char *)t : "");
}

#define ADMIN_COLS "a.id, a.name, a.role, coalesce(a.facility_id, 0), coalesce(f.name, ''), " \
	"a.password_hash, a.password_changed_at, a.must_change, a.created_at"
#define ADMIN_FROM " FROM admins a LEFT JOIN facilities f ON f.id = a.facility_id "

static void
row_admin(sqlite3_stmt *st, int c, struct dash_admin *a)
{
	a->id = sqlite3_column_int64(st, c);
	text(st, c + 1, a->name, sizeof(a->name));
	text(st, c + 2, a->role, sizeof(a->role));
	a->facility_id = sqlite3_column_int64(st, c + 3);
	text(st, c + 4, a->facility_name, sizeof(a->facility_name));
	text(st, c + 5, a->password_hash, sizeof(a->password_hash));
	a->password_changed_at = (time_t)sqlite3_column_int64(st, c + 6);
	a->must_change = sqlite3_column_int(st, c + 7);
	a->created_at = (time_t)sqlite3_column_int64(st, c + 8);
}

int
dash_admin_add(struct store *s, const char *name, const char *role, int64_t facility_id,
    const char *hash, int must_change, time_t now, int64_t *id, struct mm_err *e)
{
	struct store_facility f;
	sqlite3 *db;
	sqlite3_stmt *st;
	int rc;

	if (facility_id != 0) {
		rc = store_facility_get(s, facility_id, &f, e);
		if (rc != STORE_OK) {
			if (rc == STORE_NOT_FOUND)
				err_set(e, "facility_unknown", "there is no facility %lld",
				    (long long)facility_id);
			return rc;
		}
	}
	if ((st = dash_sql_prep(s, "INSERT INTO admins(name, role, facility_id, password_hash, "
	    "password_changed_at, must_change, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
	    &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
	if (facility_id != 0)
		sqlite3_bind_int64(st, 3, facility_id);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	sqlite3_bind_int(st, 6, must_change != 0);
	rc = run(db, st, e, "adding an administrator");
	if (rc == STORE_EXISTS)
		err_set(e, "name_taken", "there is an administrator named \"%.64s\" already", name);
	else if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(db);
	return rc;
}

static int
admin_one(struct store *s, const char *where, const char *name, int64_t id,
    struct dash_admin *a, struct mm_err *e)
{
	char q[512];
	sqlite3 *db;
	sqlite3_stmt *st;
	int rc;

	snprintf(q, sizeof(q), "SELECT " ADMIN_COLS ADMIN_FROM "WHERE %s", where);
	if ((st = dash_sql_prep(s, q, &db, e)) == NULL)
		return STORE_ERROR;
	if (name != NULL)
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row_admin(st, 0, a);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc == SQLITE_DONE) {
		err_set(e, "admin_unknown", "there is no such administrator");
		return STORE_NOT_FOUND;
	}
	return dash_sql_fail(db, e, "reading an administrator");
}

int
dash_admin_by_name(struct store *s, const char *name, struct dash_admin *a, struct mm_err *e)
{
	return admin_one(s, "a.name = ?1", name, 0, a, e);
}

int
dash_admin_get(struct store *s, int64_t id, struct dash_admin *a, struct mm_err *e)
{
	return admin_one(s, "a.id = ?1", NULL, id, a, e);
}

int
dash_admin_list(struct store *s, int (*fn)(const struct dash_admin *, void *), void *arg,
    struct mm_err *e)
{
	struct dash_admin a;
	sqlite3 *db;
	sqlite3_stmt *st;
	int rc;

	if ((st = dash_sql_prep(s, "SELECT " ADMIN_COLS ADMIN_FROM "ORDER BY a.id", &db, e)) == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_admin(st, 0, &a);
		if (fn(&a, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? STORE_OK : dash_sql_fail(db, e, "listing administrators");
}

int
dash_admin_set_password(struct store *s, int64_t id, const char *hash,
    const unsigned char keep_session[DASH_SESSION_SHA_LEN], time_t now, struct mm_err *e)
{
	sqlite3 *db = store_sqlite_db(s);
	sqlite3_stmt *st;

	if (db == NULL || sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return dash_sql_fail(db, e, "starting a transaction");
	if ((st = dash_sql_prep(s, "UPDATE admins SET password_hash = ?2, password_changed_at = ?3, "
	    "must_change = 0 WHERE id = ?1", &db, e)) == NULL)
		goto undo;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (run(db, st, e, "changing a password") != STORE_OK)
		goto undo;
	/* Whoever knew the old password loses their sessions with it. */
	if ((st = dash_sql_prep(s, "DELETE FROM sessions WHERE admin_id = ?1 AND sha256 IS NOT ?2", &db,
	    e)) == NULL)
		goto undo;
	sqlite3_bind_int64(st, 1, id);
	if (keep_session != NULL)
		sqlite3_bind_blob(st, 2, keep_session, DASH_SESSION_SHA_LEN, SQLITE_STATIC);
	if (run(db, st, e, "ending sessions") != STORE_OK)
		goto undo;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return STORE_OK;
	dash_sql_fail(db, e, "committing a password change");
undo:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return STORE_ERROR;
}

int
dash_session_add(struct store *s, const unsigned char sha[DASH_SESSION_SHA_LEN], int64_t admin_id,
    const char *csrf, time_t now, struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	if ((st = dash_sql_prep(s, "INSERT INTO sessions(sha256, admin_id, csrf, created_at, last_seen) "
	    "VALUES (?1, ?2, ?3, ?4, ?4)", &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(st, 1, sha, DASH_SESSION_SHA_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, admin_id);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	return run(db, st, e, "starting a session") == STORE_OK ? STORE_OK : STORE_ERROR;
}

int
dash_session_get(struct store *s, const unsigned char sha[DASH_SESSION_SHA_LEN],
    struct dash_session *out, struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int rc;

	if ((st = dash_sql_prep(s, "SELECT " ADMIN_COLS ", s.csrf, s.created_at, s.last_seen FROM sessions s "
	    "JOIN admins a ON a.id = s.admin_id LEFT JOIN facilities f ON f.id = a.facility_id "
	    "WHERE s.sha256 = ?1", &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(st, 1, sha, DASH_SESSION_SHA_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		row_admin(st, 0, &out->admin);
		text(st, 9, out->csrf, sizeof(out->csrf));
		out->created_at = (time_t)sqlite3_column_int64(st, 10);
		out->last_seen = (time_t)sqlite3_column_int64(st, 11);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	return rc == SQLITE_DONE ? STORE_NOT_FOUND : dash_sql_fail(db, e, "reading a session");
}

static int
session_stmt(struct store *s, const char *sql, const unsigned char *sha, time_t now,
    struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	if ((st = dash_sql_prep(s, sql, &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(st, 1, sha, DASH_SESSION_SHA_LEN, SQLITE_STATIC);
	if (now != 0)
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return run(db, st, e, "updating a session") == STORE_OK ? STORE_OK : STORE_ERROR;
}

int
dash_session_touch(struct store *s, const unsigned char sha[DASH_SESSION_SHA_LEN], time_t now,
    struct mm_err *e)
{
	return session_stmt(s, "UPDATE sessions SET last_seen = ?2 WHERE sha256 = ?1", sha, now, e);
}

int
dash_session_delete(struct store *s, const unsigned char sha[DASH_SESSION_SHA_LEN],
    struct mm_err *e)
{
	return session_stmt(s, "DELETE FROM sessions WHERE sha256 = ?1", sha, 0, e);
}

int
dash_session_purge(struct store *s, time_t idle_before, time_t created_before,
    time_t failures_before, struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	if ((st = dash_sql_prep(s, "DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2", &db,
	    e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)idle_before);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)created_before);
	if (run(db, st, e, "ending idle sessions") != STORE_OK)
		return STORE_ERROR;
	if ((st = dash_sql_prep(s, "DELETE FROM login_failures WHERE at < ?1", &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)failures_before);
	return run(db, st, e, "forgetting old login failures") == STORE_OK ? STORE_OK :
	    STORE_ERROR;
}

int
dash_login_failures(struct store *s, const char *kind, const char *key, time_t since, int *count,
    struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int rc;

	if ((st = dash_sql_prep(s, "SELECT count(*) FROM login_failures WHERE kind = ?1 AND key = ?2 "
	    "AND at >= ?3", &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)since);
	rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? STORE_OK : dash_sql_fail(db, e, "counting login failures");
}

int
dash_login_failure_add(struct store *s, const char *kind, const char *key, time_t now,
    struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	if ((st = dash_sql_prep(s, "INSERT INTO login_failures(kind, key, at) VALUES (?1, ?2, ?3)", &db,
	    e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	return run(db, st, e, "recording a login failure") == STORE_OK ? STORE_OK : STORE_ERROR;
}

int
dash_login_failures_clear(struct store *s, const char *kind, const char *key, struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	if ((st = dash_sql_prep(s, "DELETE FROM login_failures WHERE kind = ?1 AND key = ?2", &db,
	    e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	return run(db, st, e, "clearing login failures") == STORE_OK ? STORE_OK : STORE_ERROR;
}

int
dash_audit_add(struct store *s, time_t at, const char *admin, const char *action,
    int64_t facility_id, const char *target, const char *address, struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	if ((st = dash_sql_prep(s, "INSERT INTO audit_log(at, admin, action, facility_id, target, address) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)at);
	sqlite3_bind_text(st, 2, admin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	if (facility_id != 0)
		sqlite3_bind_int64(st, 4, facility_id);
	sqlite3_bind_text(st, 5, target != NULL ? target : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, address != NULL ? address : "", -1, SQLITE_STATIC);
	return run(db, st, e, "writing the audit log") == STORE_OK ? STORE_OK : STORE_ERROR;
}

int
dash_audit_list(struct store *s, int limit, int (*fn)(const struct dash_audit *, void *),
    void *arg, struct mm_err *e)
{
	struct dash_audit a;
	sqlite3 *db;
	sqlite3_stmt *st;
	int rc;

	if ((st = dash_sql_prep(s, "SELECT id, at, admin, action, coalesce(facility_id, 0), target, address "
	    "FROM audit_log ORDER BY id DESC LIMIT ?1", &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a.id = sqlite3_column_int64(st, 0);
		a.at = (time_t)sqlite3_column_int64(st, 1);
		text(st, 2, a.admin, sizeof(a.admin));
		text(st, 3, a.action, sizeof(a.action));
		a.facility_id = sqlite3_column_int64(st, 4);
		text(st, 5, a.target, sizeof(a.target));
		text(st, 6, a.address, sizeof(a.address));
		if (fn(&a, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? STORE_OK : dash_sql_fail(db, e, "reading the audit log");
}
