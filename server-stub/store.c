/* store: picks the backend for a database name and dispatches each call
 * to it; see store.h. */
#include <string.h>
#include "server-stub/store_backend.h"

struct store *
store_open(const char *database, unsigned busy_timeout_ms, int flags, struct mm_err *e)
{
	if (strncmp(database, "postgres://", 11) == 0 ||
	    strncmp(database, "postgresql://", 13) == 0) {
		err_set(e, "backend_unavailable", "%s: this collector is built with the SQLite "
		    "backend only; set database to a file path", "database");
		return NULL;
	}
	return store_sqlite_open(database, busy_timeout_ms, flags, e);
}

void
store_close(struct store *s)
{
	if (s != NULL)
		s->ops->close(s);
}

int
store_schema_version(struct store *s, int *have, int *known, struct mm_err *e)
{
	return s->ops->schema_version(s, have, known, e);
}

int
store_begin(struct store *s, struct mm_err *e)
{
	return s->ops->begin(s, e);
}

int
store_commit(struct store *s, struct mm_err *e)
{
	return s->ops->commit(s, e);
}

void
store_rollback(struct store *s)
{
	s->ops->rollback(s);
}

int
store_facility_add(struct store *s, const char *name, time_t now, int64_t *id, struct mm_err *e)
{
	return s->ops->facility_add(s, name, now, id, e);
}

int
store_facility_get(struct store *s, int64_t id, struct store_facility *f, struct mm_err *e)
{
	return s->ops->facility_get(s, id, f, e);
}

int
store_facility_list(struct store *s, int (*fn)(const struct store_facility *, void *), void *arg,
    struct mm_err *e)
{
	return s->ops->facility_list(s, fn, arg, e);
}

int
store_token_add(struct store *s, int64_t facility_id, const unsigned char sha256[STORE_SHA256_LEN],
    const char *prefix, int64_t uses, time_t expires_at, time_t now, int64_t *id,
    struct mm_err *e)
{
	return s->ops->token_add(s, facility_id, sha256, prefix, uses, expires_at, now, id, e);
}

int
store_token_list(struct store *s, int64_t facility_id,
    int (*fn)(const struct store_token *, void *), void *arg, struct mm_err *e)
{
	return s->ops->token_list(s, facility_id, fn, arg, e);
}

int
store_token_revoke(struct store *s, int64_t id, time_t now, struct mm_err *e)
{
	return s->ops->token_revoke(s, id, now, e);
}

int
store_device_get(struct store *s, const char *device_id, struct store_device *d, struct mm_err *e)
{
	return s->ops->device_get(s, device_id, d, e);
}

int
store_device_list(struct store *s, int64_t facility_id,
    int (*fn)(const struct store_device *, void *), void *arg, struct mm_err *e)
{
	return s->ops->device_list(s, facility_id, fn, arg, e);
}

int
store_device_retire(struct store *s, const char *device_id, time_t now, struct mm_err *e)
{
	return s->ops->device_retire(s, device_id, now, e);
}

int
store_enroll(struct store *s, const struct store_enrollment *in, time_t now,
    struct store_enrolled *out, struct mm_err *e)
{
	return s->ops->enroll(s, in, now, out, e);
}

int
store_report_put(struct store *s, const struct store_report *r, time_t now, struct mm_err *e)
{
	return s->ops->report_put(s, r, now, e);
}

int
store_device_history(struct store *s, const char *device_id, const char *check_id,
    int (*fn)(const struct store_change *, void *), void *arg, struct mm_err *e)
{
	return s->ops->device_history(s, device_id, check_id, fn, arg, e);
}
