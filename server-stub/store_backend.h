/* store_backend: what a storage backend provides (see store.h for the
 * meaning of each operation). store.c dispatches every store_* call
 * through this table, so a backend is one file and one table. */
#ifndef MAMORI_COLL_STORE_BACKEND_H
#define MAMORI_COLL_STORE_BACKEND_H

#include "server-stub/store.h"

struct store_ops {
	const char *name;
	void (*close)(struct store *s);
	int (*schema_version)(struct store *s, int *have, int *known, struct mm_err *e);
	int (*begin)(struct store *s, struct mm_err *e);
	int (*commit)(struct store *s, struct mm_err *e);
	void (*rollback)(struct store *s);
	int (*facility_add)(struct store *s, const char *name, time_t now, int64_t *id,
	    struct mm_err *e);
	int (*facility_get)(struct store *s, int64_t id, struct store_facility *f,
	    struct mm_err *e);
	int (*facility_list)(struct store *s, int (*fn)(const struct store_facility *, void *),
	    void *arg, struct mm_err *e);
	int (*token_add)(struct store *s, int64_t facility_id, const unsigned char *sha256,
	    const char *prefix, int64_t uses, time_t expires_at, time_t now, int64_t *id,
	    struct mm_err *e);
	int (*token_list)(struct store *s, int64_t facility_id,
	    int (*fn)(const struct store_token *, void *), void *arg, struct mm_err *e);
	int (*token_revoke)(struct store *s, int64_t id, time_t now, struct mm_err *e);
	int (*device_get)(struct store *s, const char *device_id, struct store_device *d,
	    struct mm_err *e);
	int (*device_list)(struct store *s, int64_t facility_id,
	    int (*fn)(const struct store_device *, void *), void *arg, struct mm_err *e);
	int (*device_retire)(struct store *s, const char *device_id, time_t now,
	    struct mm_err *e);
	int (*enroll)(struct store *s, const struct store_enrollment *in, time_t now,
	    struct store_enrolled *out, struct mm_err *e);
	int (*report_put)(struct store *s, const struct store_report *r, time_t now,
	    struct mm_err *e);
	int (*device_history)(struct store *s, const char *device_id, const char *check_id,
	    int (*fn)(const struct store_change *, void *), void *arg, struct mm_err *e);
};

/* Every backend's handle starts with this. */
struct store {
	const struct store_ops *ops;
};

/* The SQLite backend (store_sqlite.c). */
struct store *store_sqlite_open(const char *path, unsigned busy_timeout_ms, int flags,
    struct mm_err *e);
/* The SQLite connection of a store opened on that backend, NULL on any
 * other: the dashboard's queries (dash_store.c) are written for it. */
struct sqlite3;
struct sqlite3 *store_sqlite_db(struct store *s);

#endif
