/* store_sqlite: the SQLite backend of store.h — one file in WAL mode, the
 * schema as numbered migrations applied at open, prepared statements
 * kept per connection. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "server-stub/store_backend.h"

/* The schema, one migration per entry, applied in order inside one
 * transaction and recorded in schema_migrations. Never edit an entry
 * that has shipped: add the next one. */
static const char *const migrations[] = {
	/* 1: the first schema. Times are Unix seconds (UTC). */
	"CREATE TABLE facilities (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  created_at INTEGER NOT NULL\n"
	");\n"
	/* Only the SHA-256 of a token is kept: a copy of the database
	 * cannot enroll anything. prefix ("mt1_" + 4) tells them apart. */
	"CREATE TABLE tokens (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  facility_id INTEGER NOT NULL REFERENCES facilities(id),\n"
	"  sha256 BLOB NOT NULL UNIQUE CHECK (length(sha256) = 32),\n"
	"  prefix TEXT NOT NULL,\n"
	"  uses_total INTEGER NOT NULL CHECK (uses_total > 0),\n"
	"  uses_left INTEGER NOT NULL CHECK (uses_left >= 0 AND uses_left <= uses_total),\n"
	"  created_at INTEGER NOT NULL,\n"
	"  expires_at INTEGER,\n"
	"  revoked_at INTEGER\n"
	");\n"
	"CREATE INDEX tokens_facility ON tokens(facility_id);\n"
	/* last_sequence and last_sha256 decide replay and duplicate;
	 * last_* let the dashboard list devices without reading reports. */
	"CREATE TABLE devices (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  device_id TEXT NOT NULL UNIQUE,\n"
	"  facility_id INTEGER NOT NULL REFERENCES facilities(id),\n"
	"  token_id INTEGER REFERENCES tokens(id),\n"
	"  public_key TEXT NOT NULL,\n"
	"  facts TEXT NOT NULL,\n"
	"  hostname TEXT NOT NULL DEFAULT '',\n"
	"  enrolled_at INTEGER NOT NULL,\n"
	"  retired_at INTEGER,\n"
	"  last_sequence INTEGER NOT NULL DEFAULT 0,\n"
	"  last_sha256 BLOB,\n"
	"  last_report_at INTEGER,\n"
	"  last_generated_at TEXT,\n"
	"  last_verdict TEXT\n"
	");\n"
	"CREATE INDEX devices_facility ON devices(facility_id);\n"
	/* body: the exact signed bytes; with the signature and the
	 * device's key anyone can verify a stored report later. */
	"CREATE TABLE reports (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  device INTEGER NOT NULL REFERENCES devices(id),\n"
	"  sequence INTEGER NOT NULL,\n"
	"  received_at INTEGER NOT NULL,\n"
	"  generated_at TEXT NOT NULL,\n"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('compliant', 'noncompliant', 'unknown')),\n"
	"  dropped INTEGER NOT NULL DEFAULT 0,\n"
	"  signature TEXT NOT NULL,\n"
	"  body TEXT NOT NULL,\n"
	"  UNIQUE (device, sequence)\n"
	");\n"
	"CREATE INDEX reports_received ON reports(received_at);\n"
	/* The current state per device and check; since = when (server
	 * time) and since_sequence = in which report this verdict began. */
	"CREATE TABLE check_state (\n"
	"  device INTEGER NOT NULL REFERENCES devices(id),\n"
	"  check_id TEXT NOT NULL,\n"
	"  article TEXT NOT NULL,\n"
	"  severity TEXT NOT NULL,\n"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'not_applicable', 'unknown')),\n"
	"  since INTEGER NOT NULL,\n"
	"  since_sequence INTEGER NOT NULL,\n"
	"  last_seen INTEGER NOT NULL,\n"
	"  last_sequence INTEGER NOT NULL,\n"
	"  PRIMARY KEY (device, check_id)\n"
	") WITHOUT ROWID;\n"
	/* The device history: one row each time a check's verdict changes,
	 * and when a check is first seen (verdict_from NULL). */
	"CREATE TABLE check_changes (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  device INTEGER NOT NULL REFERENCES devices(id),\n"
	"  check_id TEXT NOT NULL,\n"
	"  verdict_from TEXT,\n"
	"  verdict_to TEXT NOT NULL,\n"
	"  at INTEGER NOT NULL,\n"
	"  sequence INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX check_changes_device ON check_changes(device, check_id, at);\n",

	/* 2: the dashboard's administrators, their sessions, login attempts
	 * (rate limits) and the audit log (docs/dashboard.md). */
	"CREATE TABLE admins (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  role TEXT NOT NULL CHECK (role IN ('association', 'facility')),\n"
	"  facility_id INTEGER REFERENCES facilities(id),\n"
	"  password_hash TEXT NOT NULL,\n"
	"  password_changed_at INTEGER NOT NULL,\n"
	"  must_change INTEGER NOT NULL DEFAULT 0,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  CHECK ((role = 'facility') = (facility_id IS NOT NULL))\n"
	");\n"
	/* Only the SHA-256 of a session id is kept, as with tokens. */
	"CREATE TABLE sessions (\n"
	"  sha256 BLOB PRIMARY KEY CHECK (length(sha256) = 32),\n"
	"  admin_id INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,\n"
	"  csrf TEXT NOT NULL,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  last_seen INTEGER NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE login_failures (\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('account', 'address')),\n"
	"  key TEXT NOT NULL,\n"
	"  at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX login_failures_key ON login_failures(kind, key, at);\n"
	"CREATE TABLE audit_log (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  at INTEGER NOT NULL,\n"
	"  admin TEXT NOT NULL,\n"
	"  action TEXT NOT NULL,\n"
	"  facility_id INTEGER,\n"
	"  target TEXT NOT NULL DEFAULT '',\n"
	"  address TEXT NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE INDEX audit_log_at ON audit_log(at);\n"
	"CREATE INDEX check_changes_at ON check_changes(at);\n",

	/* 3: the overview's summary of check_state: per device, the worst
	 * required verdict (0 pass, 1 unknown, 2 fail) of each article
	 * group, as "LEN:ARTICLE" followed by the digit, LEN the article
	 * text's bytes. Written with check_state (S_SUMMARY_PUT), so the
	 * overview reads one row a device instead of grouping 14. */
	"CREATE TABLE device_articles (\n"
	"  device INTEGER PRIMARY KEY REFERENCES devices(id),\n"
	"  worst TEXT NOT NULL\n"
	");\n"
	"INSERT INTO device_articles(device, worst) SELECT device, "
	"group_concat(length(CAST(article AS BLOB)) || ':' || article || w, '') FROM ("
	"SELECT device, article, max(CASE WHEN severity <> 'required' THEN 0 "
	"WHEN verdict = 'fail' THEN 2 WHEN verdict = 'unknown' THEN 1 ELSE 0 END) AS w "
	"FROM check_state GROUP BY device, article) GROUP BY device;\n",
};
#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Every statement the backend runs, prepared once per connection. */
enum sid {
	S_FAC_ADD, S_FAC_BY_NAME, S_FAC_GET, S_FAC_LIST,
	S_TOK_ADD, S_TOK_LIST, S_TOK_REVOKE, S_TOK_EXISTS, S_TOK_FIND, S_TOK_USE,
	S_DEV_GET, S_DEV_LIST, S_DEV_RETIRE, S_DEV_ADD,
	S_REP_DEVICE, S_REP_ADD, S_REP_DEV_UPDATE,
	S_STATE_GET, S_STATE_SEEN, S_STATE_PUT, S_CHANGE_ADD, S_SUMMARY_PUT,
	S_HISTORY,
	S_COUNT
};

static const char *const sql[S_COUNT] = {
	[S_FAC_ADD] = "INSERT INTO facilities(name, created_at) VALUES (?1, ?2)",
	[S_FAC_BY_NAME] = "SELECT id FROM facilities WHERE name = ?1",
	[S_FAC_GET] = "SELECT f.id, f.name, f.created_at, (SELECT count(*) FROM devices d "
	    "WHERE d.facility_id = f.id AND d.retired_at IS NULL) FROM facilities f WHERE f.id = ?1",
	[S_FAC_LIST] = "SELECT f.id, f.name, f.created_at, (SELECT count(*) FROM devices d "
	    "WHERE d.facility_id = f.id AND d.retired_at IS NULL) FROM facilities f ORDER BY f.id",
	[S_TOK_ADD] = "INSERT INTO tokens(facility_id, sha256, prefix, uses_total, uses_left, "
	    "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)",
	[S_TOK_LIST] = "SELECT id, facility_id, prefix, uses_left, uses_total, created_at, "
	    "coalesce(expires_at, 0), coalesce(revoked_at, 0) FROM tokens "
	    "WHERE ?1 = 0 OR facility_id = ?1 ORDER BY id",
	[S_TOK_REVOKE] = "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
	[S_TOK_EXISTS] = "SELECT 1 FROM tokens WHERE id = ?1",
	[S_TOK_FIND] = "SELECT t.id, t.facility_id, t.uses_left, coalesce(t.expires_at, 0), "
	    "t.revoked_at IS NOT NULL, f.name FROM tokens t JOIN facilities f ON f.id = t.facility_id "
	    "WHERE t.sha256 = ?1",
	[S_TOK_USE] = "UPDATE tokens SET uses_left = uses_left - 1 WHERE id = ?1 AND uses_left > 0",
	[S_DEV_GET] = "SELECT d.device_id, d.facility_id, f.name, d.hostname, d.public_key, "
	    "d.enrolled_at, coalesce(d.retired_at, 0), d.last_sequence, coalesce(d.last_report_at, 0), "
	    "coalesce(d.last_verdict, '') FROM devices d JOIN facilities f ON f.id = d.facility_id "
	    "WHERE d.device_id = ?1",
	[S_DEV_LIST] = "SELECT d.device_id, d.facility_id, f.name, d.hostname, d.public_key, "
	    "d.enrolled_at, coalesce(d.retired_at, 0), d.last_sequence, coalesce(d.last_report_at, 0), "
	    "coalesce(d.last_verdict, '') FROM devices d JOIN facilities f ON f.id = d.facility_id "
	    "WHERE ?1 = 0 OR d.facility_id = ?1 ORDER BY d.facility_id, d.id",
	[S_DEV_RETIRE] = "UPDATE devices SET retired_at = coalesce(retired_at, ?2) WHERE device_id = ?1",
	[S_DEV_ADD] = "INSERT INTO devices(device_id, facility_id, token_id, public_key, facts, "
	    "hostname, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_REP_DEVICE] = "SELECT id, retired_at IS NOT NULL, last_sequence, last_sha256 "
	    "FROM devices WHERE device_id = ?1",
	[S_REP_ADD] = "INSERT INTO reports(device, sequence, received_at, generated_at, verdict, "
	    "dropped, signature, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_REP_DEV_UPDATE] = "UPDATE devices SET last_sequence = ?2, last_sha256 = ?3, "
	    "last_report_at = ?4, last_generated_at = ?5, last_verdict = ?6 WHERE id = ?1",
	[S_STATE_GET] = "SELECT check_id, verdict, article, severity FROM check_state WHERE device = ?1",
	[S_STATE_SEEN] = "UPDATE check_state SET last_seen = ?2, last_sequence = ?3 WHERE device = ?1",
	/* `since` moves only when the verdict changes. */
	[S_STATE_PUT] = "INSERT INTO check_state(device, check_id, article, severity, verdict, "
	    "since, since_sequence, last_seen, last_sequence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7) "
	    "ON CONFLICT (device, check_id) DO UPDATE SET article = excluded.article, "
	    "severity = excluded.severity, "
	    "since = CASE WHEN verdict = excluded.verdict THEN since ELSE excluded.since END, "
	    "since_sequence = CASE WHEN verdict = excluded.verdict THEN since_sequence "
	    "ELSE excluded.since_sequence END, "
	    "verdict = excluded.verdict, last_seen = excluded.last_seen, "
	    "last_sequence = excluded.last_sequence",
	[S_CHANGE_ADD] = "INSERT INTO check_changes(device, check_id, verdict_from, verdict_to, at, "
	    "sequence) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* The device's row of device_articles (migration 3) from its
	 * check_state; none while it has no check. */
	[S_SUMMARY_PUT] = "INSERT OR REPLACE INTO device_articles(device, worst) SELECT ?1, g FROM "
	    "(SELECT group_concat(length(CAST(article AS BLOB)) || ':' || article || w, '') AS g "
	    "FROM (SELECT article, max(CASE WHEN severity <> 'required' THEN 0 "
	    "WHEN verdict = 'fail' THEN 2 WHEN verdict = 'unknown' THEN 1 ELSE 0 END) AS w "
	    "FROM check_state WHERE device = ?1 GROUP BY article)) WHERE g IS NOT NULL",
	[S_HISTORY] = "SELECT c.check_id, coalesce(c.verdict_from, ''), c.verdict_to, c.at, c.sequence "
	    "FROM check_changes c JOIN devices d ON d.id = c.device WHERE d.device_id = ?1 "
	    "AND (?2 IS NULL OR c.check_id = ?2) ORDER BY c.at DESC, c.id DESC",
};

/* A device's stored state of one check, as read before a report. */
struct state_row {
	char id[129], article[129];
	char verdict[16], severity[16];
	int seen;		/* in the report being stored */
};

struct sq {
	struct store base;
	sqlite3 *db;
	char path[1024];
	int batch;		/* inside store_begin … store_commit */
	sqlite3_stmt *st[S_COUNT];
	struct state_row *rows;	/* scratch for report_put, kept between calls */
	size_t nrows, caprows;
};

static const struct store_ops sqlite_ops;

/* The message for a failed call, with what to do where we know it. */
static int
db_err(struct sq *q, struct mm_err *e, const char *what)
{
	int code = sqlite3_extended_errcode(q->db);
	const char *hint = "";

	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		hint = " (another program holds the database lock; retry, or raise busy_timeout_ms)";
		break;
	case SQLITE_FULL:
		hint = " (the disk is full: free space, then retry)";
		break;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		hint = " (check that the collector's user owns the database file and its folder)";
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		hint = " (the file is damaged or not a collector database: restore a backup)";
		break;
	}
	err_set(e, "database_error", "%s: %s: %s%s", q->path, what, sqlite3_errmsg(q->db), hint);
	return STORE_ERROR;
}

static int
exec(struct sq *q, const char *s, struct mm_err *e)
{
	if (sqlite3_exec(q->db, s, NULL, NULL, NULL) != SQLITE_OK)
		return db_err(q, e, s);
	return 0;
}

/* The prepared statement id, reset and ready for binding. */
static sqlite3_stmt *
stmt(struct sq *q, enum sid id, struct mm_err *e)
{
	if (q->st[id] == NULL &&
	    sqlite3_prepare_v3(q->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &q->st[id], NULL) !=
	    SQLITE_OK) {
		db_err(q, e, "preparing a statement");
		return NULL;
	}
	sqlite3_reset(q->st[id]);
	sqlite3_clear_bindings(q->st[id]);
	return q->st[id];
}

/* Copies a text column into a fixed buffer (truncating, always terminated). */
static void
col_text(sqlite3_stmt *s, int i, char *out, size_t outlen)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	snprintf(out, outlen, "%s", t != NULL ? (const char *)t : "");
}

/* A change that is its own transaction, or a savepoint inside the
 * caller's batch, so that a refusal undoes only itself. */
static int
tx_open(struct sq *q, int *own, struct mm_err *e)
{
	if (sqlite3_get_autocommit(q->db)) {
		if (q->batch) {
			/* SQLite rolled the batch back after an I/O or disk-full
			 * error: nothing more may join it. */
			err_set(e, "database_error", "%s: the transaction was rolled back by an "
			    "earlier error", q->path);
			return STORE_ERROR;
		}
		*own = 1;
		return exec(q, "BEGIN IMMEDIATE", e);
	}
	*own = 0;
	return exec(q, "SAVEPOINT op", e);
}

static int
tx_close(struct sq *q, int own, int ok, struct mm_err *e)
{
	if (own) {
		if (ok && exec(q, "COMMIT", e) == 0)
			return 0;
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
		return ok ? STORE_ERROR : 0;
	}
	if (sqlite3_get_autocommit(q->db))
		return ok ? STORE_ERROR : 0;	/* the batch is gone already */
	if (ok)
		return exec(q, "RELEASE op", e);
	sqlite3_exec(q->db, "ROLLBACK TO op; RELEASE op", NULL, NULL, NULL);
	return 0;
}

static int
migrate(struct sq *q, int apply, struct mm_err *e)
{
	sqlite3_stmt *s;
	int have = 0;

	if (apply) {
		if (exec(q, "BEGIN IMMEDIATE", e) != 0 ||
		    exec(q, "CREATE TABLE IF NOT EXISTS schema_migrations ("
		    "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)", e) != 0)
			goto fail;
	}
	if (sqlite3_prepare_v2(q->db, "SELECT coalesce(max(version), 0) FROM schema_migrations",
	    -1, &s, NULL) != SQLITE_OK) {
		if (!apply) {
			err_set(e, "schema_old", "%s has no collector schema yet; start "
			    "`mamori-collector serve` once to create it", q->path);
			return STORE_ERROR;
		}
		db_err(q, e, "reading the schema version");
		goto fail;
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		have = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (have > NMIGRATIONS) {
		err_set(e, "schema_newer", "%s has schema version %d but this collector knows only "
		    "%d: run the newer collector, or restore a backup made for this one",
		    q->path, have, NMIGRATIONS);
		goto fail;
	}
	if (!apply) {
		if (have < NMIGRATIONS) {
			err_set(e, "schema_old", "%s has schema version %d, this collector needs %d; "
			    "start `mamori-collector serve` to migrate it", q->path, have, NMIGRATIONS);
			return STORE_ERROR;
		}
		return 0;
	}
	for (int v = have + 1; v <= NMIGRATIONS; v++) {
		char rec[128];
		char what[64];

		snprintf(what, sizeof(what), "migration %d", v);
		if (sqlite3_exec(q->db, migrations[v - 1], NULL, NULL, NULL) != SQLITE_OK) {
			db_err(q, e, what);
			goto fail;
		}
		snprintf(rec, sizeof(rec), "INSERT INTO schema_migrations VALUES (%d, strftime('%%s','now'))", v);
		if (exec(q, rec, e) != 0)
			goto fail;
	}
	if (exec(q, "COMMIT", e) != 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return STORE_ERROR;
}

struct store *
store_sqlite_open(const char *path, unsigned busy_timeout_ms, int flags, struct mm_err *e)
{
	struct sq *q = calloc(1, sizeof(*q));

	if (q == NULL) {
		err_set(e, "out_of_memory", "out of memory");
		return NULL;
	}
	q->base.ops = &sqlite_ops;
	snprintf(q->path, sizeof(q->path), "%s", path);
	/* NOMUTEX: a handle belongs to one thread (store.h). */
	if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (q->db == NULL)
			err_set(e, "out_of_memory", "out of memory");
		else
			db_err(q, e, "opening");
		goto fail;
	}
	sqlite3_extended_result_codes(q->db, 1);
	sqlite3_busy_timeout(q->db, (int)busy_timeout_ms);
	/* WAL: readers (the request threads) never wait for the writer.
	 * synchronous=FULL: in WAL mode a COMMIT is durable only with FULL,
	 * and a report is answered only after it is durable.
	 * temp_store=MEMORY: savepoints inside a batch keep their undo
	 * pages in memory instead of a temporary file. */
	if (exec(q, "PRAGMA journal_mode = WAL", e) != 0 ||
	    exec(q, "PRAGMA synchronous = FULL", e) != 0 ||
	    exec(q, "PRAGMA foreign_keys = ON", e) != 0 ||
	    exec(q, "PRAGMA temp_store = MEMORY", e) != 0)
		goto fail;
	if (migrate(q, flags & STORE_MIGRATE, e) != 0)
		goto fail;
	return &q->base;
fail:
	sqlite3_close(q->db);
	free(q);
	return NULL;
}

static void
sq_close(struct store *s)
{
	struct sq *q = (struct sq *)s;

	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(q->st[i]);
	sqlite3_close(q->db);
	free(q->rows);
	free(q);
}

static int
sq_schema_version(struct store *s, int *have, int *known, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st;

	*known = NMIGRATIONS;
	*have = 0;
	if (sqlite3_prepare_v2(q->db, "SELECT coalesce(max(version), 0) FROM schema_migrations",
	    -1, &st, NULL) != SQLITE_OK)
		return db_err(q, e, "reading the schema version");
	if (sqlite3_step(st) == SQLITE_ROW)
		*have = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int
sq_begin(struct store *s, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;

	if (exec(q, "BEGIN IMMEDIATE", e) != 0)
		return STORE_ERROR;
	q->batch = 1;
	return 0;
}

static int
sq_commit(struct store *s, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	int rc;

	q->batch = 0;
	if (sqlite3_get_autocommit(q->db)) {
		err_set(e, "database_error", "%s: the transaction was rolled back by an earlier "
		    "error", q->path);
		return STORE_ERROR;
	}
	rc = exec(q, "COMMIT", e);
	if (rc != 0)
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static void
sq_rollback(struct store *s)
{
	struct sq *q = (struct sq *)s;

	q->batch = 0;
	if (!sqlite3_get_autocommit(q->db))
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Steps a statement that returns no row; 0 or STORE_ERROR. */
static int
step_done(struct sq *q, sqlite3_stmt *s, struct mm_err *e, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(q, e, what);
	return 0;
}

static int
sq_facility_add(struct store *s, const char *name, time_t now, int64_t *id, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st;
	int own, rc, ok = 0;

	if (tx_open(q, &own, e) != 0)
		return STORE_ERROR;
	if ((st = stmt(q, S_FAC_BY_NAME, e)) == NULL)
		goto out;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		tx_close(q, own, 0, e);
		err_set(e, "facility_exists", "a facility named \"%s\" exists already (id %lld)",
		    name, (long long)*id);
		return STORE_EXISTS;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_err(q, e, "looking up a facility");
		goto out;
	}
	if ((st = stmt(q, S_FAC_ADD, e)) == NULL)
		goto out;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	if (step_done(q, st, e, "adding a facility") != 0)
		goto out;
	*id = sqlite3_last_insert_rowid(q->db);
	ok = 1;
out:
	if (tx_close(q, own, ok, e) != 0 || !ok)
		return STORE_ERROR;
	return STORE_OK;
}

static void
row_facility(sqlite3_stmt *st, struct store_facility *f)
{
	f->id = sqlite3_column_int64(st, 0);
	col_text(st, 1, f->name, sizeof(f->name));
	f->created_at = (time_t)sqlite3_column_int64(st, 2);
	f->devices = sqlite3_column_int64(st, 3);
}

static int
sq_facility_get(struct store *s, int64_t id, struct store_facility *f, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt(q, S_FAC_GET, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row_facility(st, f);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc == SQLITE_DONE) {
		err_set(e, "facility_unknown", "there is no facility %lld "
		    "(`mamori-collector facility list` shows them)", (long long)id);
		return STORE_NOT_FOUND;
	}
	return db_err(q, e, "reading a facility");
}

static int
sq_facility_list(struct store *s, int (*fn)(const struct store_facility *, void *), void *arg,
    struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	struct store_facility f;
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt(q, S_FAC_LIST, e)) == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_facility(st, &f);
		if (fn(&f, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : db_err(q, e, "listing facilities");
}

static int
sq_token_add(struct store *s, int64_t facility_id, const unsigned char *sha256, const char *prefix,
    int64_t uses, time_t expires_at, time_t now, int64_t *id, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	struct store_facility f;
	sqlite3_stmt *st;
	int own, rc, ok = 0;

	if (tx_open(q, &own, e) != 0)
		return STORE_ERROR;
	rc = sq_facility_get(s, facility_id, &f, e);
	if (rc != STORE_OK) {
		tx_close(q, own, 0, NULL);
		return rc;
	}
	if ((st = stmt(q, S_TOK_ADD, e)) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, facility_id);
	sqlite3_bind_blob(st, 2, sha256, STORE_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, uses);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	if (expires_at != 0)
		sqlite3_bind_int64(st, 6, (sqlite3_int64)expires_at);
	if (step_done(q, st, e, "adding a token") != 0)
		goto out;
	*id = sqlite3_last_insert_rowid(q->db);
	ok = 1;
out:
	if (tx_close(q, own, ok, e) != 0 || !ok)
		return STORE_ERROR;
	return STORE_OK;
}

static int
sq_token_list(struct store *s, int64_t facility_id, int (*fn)(const struct store_token *, void *),
    void *arg, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	struct store_token t;
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt(q, S_TOK_LIST, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, facility_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t.id = sqlite3_column_int64(st, 0);
		t.facility_id = sqlite3_column_int64(st, 1);
		col_text(st, 2, t.prefix, sizeof(t.prefix));
		t.uses_left = sqlite3_column_int64(st, 3);
		t.uses_total = sqlite3_column_int64(st, 4);
		t.created_at = (time_t)sqlite3_column_int64(st, 5);
		t.expires_at = (time_t)sqlite3_column_int64(st, 6);
		t.revoked_at = (time_t)sqlite3_column_int64(st, 7);
		if (fn(&t, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : db_err(q, e, "listing tokens");
}

static int
sq_token_revoke(struct store *s, int64_t id, time_t now, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st;
	int own, rc, ok = 0, found = 0;

	if (tx_open(q, &own, e) != 0)
		return STORE_ERROR;
	if ((st = stmt(q, S_TOK_EXISTS, e)) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_err(q, e, "looking up a token");
		goto out;
	}
	found = rc == SQLITE_ROW;
	if (found) {
		if ((st = stmt(q, S_TOK_REVOKE, e)) == NULL)
			goto out;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
		if (step_done(q, st, e, "revoking a token") != 0)
			goto out;
	}
	ok = 1;
out:
	if (tx_close(q, own, ok, e) != 0 || !ok)
		return STORE_ERROR;
	if (!found) {
		err_set(e, "token_unknown", "there is no token %lld (`mamori-collector token list` "
		    "shows them)", (long long)id);
		return STORE_NOT_FOUND;
	}
	return STORE_OK;
}

static void
row_device(sqlite3_stmt *st, struct store_device *d)
{
	col_text(st, 0, d->device_id, sizeof(d->device_id));
	d->facility_id = sqlite3_column_int64(st, 1);
	col_text(st, 2, d->facility_name, sizeof(d->facility_name));
	col_text(st, 3, d->hostname, sizeof(d->hostname));
	col_text(st, 4, d->public_key, sizeof(d->public_key));
	d->enrolled_at = (time_t)sqlite3_column_int64(st, 5);
	d->retired_at = (time_t)sqlite3_column_int64(st, 6);
	d->last_sequence = sqlite3_column_int64(st, 7);
	d->last_report_at = (time_t)sqlite3_column_int64(st, 8);
	col_text(st, 9, d->last_verdict, sizeof(d->last_verdict));
}

static int
sq_device_get(struct store *s, const char *device_id, struct store_device *d, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt(q, S_DEV_GET, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row_device(st, d);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc == SQLITE_DONE) {
		err_set(e, "device_unknown", "there is no device %.64s", device_id);
		return STORE_NOT_FOUND;
	}
	return db_err(q, e, "reading a device");
}

static int
sq_device_list(struct store *s, int64_t facility_id, int (*fn)(const struct store_device *, void *),
    void *arg, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	struct store_device d;
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt(q, S_DEV_LIST, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, facility_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_device(st, &d);
		if (fn(&d, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : db_err(q, e, "listing devices");
}

static int
sq_device_retire(struct store *s, const char *device_id, time_t now, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st;
	int own, ok = 0, changed = 0;

	if (tx_open(q, &own, e) != 0)
		return STORE_ERROR;
	if ((st = stmt(q, S_DEV_RETIRE, e)) == NULL)
		goto out;
	sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	if (step_done(q, st, e, "retiring a device") != 0)
		goto out;
	changed = sqlite3_changes(q->db);
	ok = 1;
out:
	if (tx_close(q, own, ok, e) != 0 || !ok)
		return STORE_ERROR;
	if (changed == 0) {
		err_set(e, "device_unknown", "there is no device %.64s "
		    "(`mamori-collector device list` shows them)", device_id);
		return STORE_NOT_FOUND;
	}
	return STORE_OK;
}

static int
sq_enroll(struct store *s, const struct store_enrollment *in, time_t now,
    struct store_enrolled *out, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st;
	int own, rc, ok = 0, valid = 0;

	if (tx_open(q, &own, e) != 0)
		return STORE_ERROR;
	if ((st = stmt(q, S_TOK_FIND, e)) == NULL)
		goto out;
	sqlite3_bind_blob(st, 1, in->token_sha256, STORE_SHA256_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		time_t expires = (time_t)sqlite3_column_int64(st, 3);

		out->token_id = sqlite3_column_int64(st, 0);
		out->facility_id = sqlite3_column_int64(st, 1);
		col_text(st, 5, out->facility_name, sizeof(out->facility_name));
		/* Read here, in the same transaction that uses the token: a
		 * revocation or the last use is seen at once. */
		valid = sqlite3_column_int64(st, 2) > 0 && sqlite3_column_int(st, 4) == 0 &&
		    (expires == 0 || now < expires);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_err(q, e, "looking up a token");
		goto out;
	}
	if (!valid) {
		ok = 1;
		goto out;
	}
	if ((st = stmt(q, S_TOK_USE, e)) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, out->token_id);
	if (step_done(q, st, e, "using a token") != 0)
		goto out;
	if ((st = stmt(q, S_DEV_ADD, e)) == NULL)
		goto out;
	sqlite3_bind_text(st, 1, in->device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, out->facility_id);
	sqlite3_bind_int64(st, 3, out->token_id);
	sqlite3_bind_text(st, 4, in->public_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, in->facts, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, in->hostname != NULL ? in->hostname : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
	if (step_done(q, st, e, "adding a device") != 0)
		goto out;
	ok = 1;
out:
	/* An invalid token ends in a rollback: nothing changed. */
	if (tx_close(q, own, ok && valid, e) != 0 || !ok)
		return STORE_ERROR;
	if (!valid) {
		err_set(e, "token_invalid", "the token is unknown, expired, revoked or used up");
		return STORE_TOKEN_INVALID;
	}
	return STORE_OK;
}

/* Reads the device's current state of every check into q->rows. */
static int
load_states(struct sq *q, sqlite3_int64 dev, struct mm_err *e)
{
	sqlite3_stmt *st;
	int rc;

	q->nrows = 0;
	if ((st = stmt(q, S_STATE_GET, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, dev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct state_row *row;

		if (q->nrows == q->caprows) {
			size_t cap = q->caprows > 0 ? q->caprows * 2 : 32;
			struct state_row *n = realloc(q->rows, cap * sizeof(*n));
			if (n == NULL) {
				sqlite3_reset(st);
				err_set(e, "out_of_memory", "out of memory");
				return STORE_ERROR;
			}
			q->rows = n;
			q->caprows = cap;
		}
		row = &q->rows[q->nrows++];
		col_text(st, 0, row->id, sizeof(row->id));
		col_text(st, 1, row->verdict, sizeof(row->verdict));
		col_text(st, 2, row->article, sizeof(row->article));
		col_text(st, 3, row->severity, sizeof(row->severity));
		row->seen = 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_err(q, e, "reading a device's check states");
}

/* Moves the device's state per check to this report. Most reports repeat
 * the verdicts of the one before: then one UPDATE marks every check seen.
 * Only a change (a verdict, a new check, another article or severity)
 * costs a statement per check, and a verdict change or a new check adds
 * a row to the history; then the device's row of device_articles (the
 * overview's summary) is made again from its check_state. */
static int
put_states(struct sq *q, sqlite3_int64 dev, const struct store_report *r, time_t now,
    struct mm_err *e)
{
	struct state_row *match[STORE_MAX_CHECKS];
	int same = 1;
	sqlite3_stmt *st;

	if (load_states(q, dev, e) != 0)
		return STORE_ERROR;
	for (size_t i = 0; i < r->n_checks; i++) {
		const struct store_check *c = &r->checks[i];
		struct state_row *row = NULL;

		for (size_t j = 0; j < q->nrows && row == NULL; j++)
			if (strcmp(q->rows[j].id, c->id) == 0)
				row = &q->rows[j];
		match[i] = row;
		if (row == NULL || strcmp(row->verdict, c->verdict) != 0 ||
		    strcmp(row->article, c->article) != 0 || strcmp(row->severity, c->severity) != 0)
			same = 0;
		else
			row->seen = 1;
	}
	/* Ids are unique in a report, so equal counts mean the same set. */
	if (same && q->nrows == r->n_checks) {
		if ((st = stmt(q, S_STATE_SEEN, e)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, dev);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
		sqlite3_bind_int64(st, 3, r->sequence);
		return step_done(q, st, e, "updating check states");
	}
	for (size_t i = 0; i < r->n_checks; i++) {
		const struct store_check *c = &r->checks[i];
		const struct state_row *row = match[i];

		if ((st = stmt(q, S_STATE_PUT, e)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, dev);
		sqlite3_bind_text(st, 2, c->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, c->article, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, c->severity, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, c->verdict, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
		sqlite3_bind_int64(st, 7, r->sequence);
		if (step_done(q, st, e, "updating a check's state") != 0)
			return STORE_ERROR;
		if (row != NULL && strcmp(row->verdict, c->verdict) == 0)
			continue;
		if ((st = stmt(q, S_CHANGE_ADD, e)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, dev);
		sqlite3_bind_text(st, 2, c->id, -1, SQLITE_STATIC);
		if (row != NULL)
			sqlite3_bind_text(st, 3, row->verdict, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, c->verdict, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
		sqlite3_bind_int64(st, 6, r->sequence);
		if (step_done(q, st, e, "recording a verdict change") != 0)
			return STORE_ERROR;
	}
	/* A verdict, article or severity moved: the overview's summary too. */
	if ((st = stmt(q, S_SUMMARY_PUT, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, dev);
	return step_done(q, st, e, "updating the device's summary");
}

static int
sq_report_put(struct store *s, const struct store_report *r, time_t now, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st;
	sqlite3_int64 dev = 0, last = 0;
	int own, rc, ok = 0, answer = STORE_OK;

	if (r->n_checks > STORE_MAX_CHECKS) {
		err_set(e, "too_many_checks", "a report holds at most %d checks", STORE_MAX_CHECKS);
		return STORE_ERROR;
	}
	if (tx_open(q, &own, e) != 0)
		return STORE_ERROR;
	/* The device's state is read again here, inside the transaction that
	 * writes: a retirement, or a concurrent copy of this report, that
	 * happened after the request thread's checks is seen. */
	if ((st = stmt(q, S_REP_DEVICE, e)) == NULL)
		goto out;
	sqlite3_bind_text(st, 1, r->device_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const void *sha = sqlite3_column_blob(st, 3);

		dev = sqlite3_column_int64(st, 0);
		last = sqlite3_column_int64(st, 2);
		if (sqlite3_column_int(st, 1) != 0)
			answer = STORE_UNKNOWN_DEVICE;
		else if (r->sequence <= last)
			answer = sha != NULL && sqlite3_column_bytes(st, 3) == STORE_SHA256_LEN &&
			    memcmp(sha, r->sha256, STORE_SHA256_LEN) == 0 ?
			    STORE_DUPLICATE : STORE_REPLAYED;
	} else if (rc == SQLITE_DONE) {
		answer = STORE_UNKNOWN_DEVICE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_err(q, e, "reading a device");
		goto out;
	}
	if (answer != STORE_OK) {
		ok = 1;
		goto out;
	}

	if ((st = stmt(q, S_REP_ADD, e)) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, dev);
	sqlite3_bind_int64(st, 2, r->sequence);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	sqlite3_bind_text(st, 4, r->generated_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->verdict, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, r->dropped);
	sqlite3_bind_text(st, 7, r->signature, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->body, (int)r->body_len, SQLITE_STATIC);
	if (step_done(q, st, e, "storing a report") != 0)
		goto out;

	if ((st = stmt(q, S_REP_DEV_UPDATE, e)) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, dev);
	sqlite3_bind_int64(st, 2, r->sequence);
	sqlite3_bind_blob(st, 3, r->sha256, STORE_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	sqlite3_bind_text(st, 5, r->generated_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->verdict, -1, SQLITE_STATIC);
	if (step_done(q, st, e, "updating a device") != 0)
		goto out;

	if (put_states(q, dev, r, now, e) != 0)
		goto out;
	ok = 1;
out:
	if (tx_close(q, own, ok && answer == STORE_OK, e) != 0 || !ok)
		return STORE_ERROR;
	switch (answer) {
	case STORE_UNKNOWN_DEVICE:
		err_set(e, "unknown_device", "device %.64s is not enrolled or was retired",
		    r->device_id);
		break;
	case STORE_DUPLICATE:
		err_set(e, "duplicate", "report %lld of %.64s was stored already",
		    (long long)r->sequence, r->device_id);
		break;
	case STORE_REPLAYED:
		err_set(e, "sequence_replayed", "report %lld of %.64s is not newer than the last "
		    "accepted one (%lld)", (long long)r->sequence, r->device_id, (long long)last);
		break;
	}
	return answer;
}

static int
sq_device_history(struct store *s, const char *device_id, const char *check_id,
    int (*fn)(const struct store_change *, void *), void *arg, struct mm_err *e)
{
	struct sq *q = (struct sq *)s;
	struct store_change c;
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt(q, S_HISTORY, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
	if (check_id != NULL)
		sqlite3_bind_text(st, 2, check_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		col_text(st, 0, c.check_id, sizeof(c.check_id));
		col_text(st, 1, c.verdict_from, sizeof(c.verdict_from));
		col_text(st, 2, c.verdict_to, sizeof(c.verdict_to));
		c.at = (time_t)sqlite3_column_int64(st, 3);
		c.sequence = sqlite3_column_int64(st, 4);
		if (fn(&c, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : db_err(q, e, "reading a device's history");
}

sqlite3 *
store_sqlite_db(struct store *s)
{
	return s->ops == &sqlite_ops ? ((struct sq *)s)->db : NULL;
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.schema_version = sq_schema_version,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.facility_add = sq_facility_add,
	.facility_get = sq_facility_get,
	.facility_list = sq_facility_list,
	.token_add = sq_token_add,
	.token_list = sq_token_list,
	.token_revoke = sq_token_revoke,
	.device_get = sq_device_get,
	.device_list = sq_device_list,
	.device_retire = sq_device_retire,
	.enroll = sq_enroll,
	.report_put = sq_report_put,
	.device_history = sq_device_history,
};
