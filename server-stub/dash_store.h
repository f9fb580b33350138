/* dash_store: what the dashboard keeps besides the agents' data —
 * administrators, their sessions, failed logins (for rate limits) and the
 * audit log. Written for the SQLite backend (store_sqlite_db); each
 * function returns a store_status (store.h) and is its own transaction. */
#ifndef MAMORI_COLL_DASH_STORE_H
#define MAMORI_COLL_DASH_STORE_H

#include <stdint.h>
#include <time.h>
#include "common/err.h"
#include "server-stub/password.h"
#include "server-stub/store.h"

#define DASH_NAME_MAX 64	/* administrator names, bytes of UTF-8 */
#define DASH_SESSION_SHA_LEN 32

struct dash_admin {
	int64_t id;
	char name[DASH_NAME_MAX + 1];
	char role[16];			/* "association" or "facility" */
	int64_t facility_id;		/* 0 for the association */
	char facility_name[STORE_NAME_MAX + 1];
	char password_hash[PASSWORD_HASH_MAX];
	time_t password_changed_at;
	int must_change;		/* set by whoever created the account */
	time_t created_at;
};

/* STORE_EXISTS if the name is taken, STORE_NOT_FOUND if facility_id names
 * no facility. */
int dash_admin_add(struct store *s, const char *name, const char *role, int64_t facility_id,
    const char *hash, int must_change, time_t now, int64_t *id, struct mm_err *e);
int dash_admin_by_name(struct store *s, const char *name, struct dash_admin *a,
    struct mm_err *e);
int dash_admin_get(struct store *s, int64_t id, struct dash_admin *a, struct mm_err *e);
int dash_admin_list(struct store *s, int (*fn)(const struct dash_admin *, void *), void *arg,
    struct mm_err *e);
/* Sets a new password (must_change cleared) and ends every other session
 * of the account. */
int dash_admin_set_password(struct store *s, int64_t id, const char *hash,
    const unsigned char keep_session[DASH_SESSION_SHA_LEN], time_t now, struct mm_err *e);

struct dash_session {
	struct dash_admin admin;
	char csrf[64];
	time_t created_at, last_seen;
};
int dash_session_add(struct store *s, const unsigned char sha[DASH_SESSION_SHA_LEN],
    int64_t admin_id, const char *csrf, time_t now, struct mm_err *e);
int dash_session_get(struct store *s, const unsigned char sha[DASH_SESSION_SHA_LEN],
    struct dash_session *out, struct mm_err *e);
int dash_session_touch(struct store *s, const unsigned char sha[DASH_SESSION_SHA_LEN],
    time_t now, struct mm_err *e);
int dash_session_delete(struct store *s, const unsigned char sha[DASH_SESSION_SHA_LEN],
    struct mm_err *e);
/* Removes sessions unused since idle_before or created before
 * created_before, and login failures older than failures_before. */
int dash_session_purge(struct store *s, time_t idle_before, time_t created_before,
    time_t failures_before, struct mm_err *e);

/* Failed logins: kind "account" (the name tried) or "address". */
int dash_login_failures(struct store *s, const char *kind, const char *key, time_t since,
    int *count, struct mm_err *e);
int dash_login_failure_add(struct store *s, const char *kind, const char *key, time_t now,
    struct mm_err *e);
int dash_login_failures_clear(struct store *s, const char *kind, const char *key,
    struct mm_err *e);

struct dash_audit {
	int64_t id;
	time_t at;
	char admin[DASH_NAME_MAX + 1];
	char action[32];
	int64_t facility_id;	/* 0 = none */
	char target[256];
	char address[64];
};
int dash_audit_add(struct store *s, time_t at, const char *admin, const char *action,
    int64_t facility_id, const char *target, const char *address, struct mm_err *e);
/* Newest first, at most limit entries. */
int dash_audit_list(struct store *s, int limit, int (*fn)(const struct dash_audit *, void *),
    void *arg, struct mm_err *e);

#endif
