/* store: everything the collector keeps — facilities, enrollment tokens,
 * devices, reports and each device's current state per check — behind one
 * interface. The HTTP code, the administration commands and (later) the
 * dashboard call only these functions; each dispatches to a backend
 * (SQLite now; PostgreSQL can be added as another backend without
 * touching the callers).
 *
 * A handle is one database connection: use it from one thread at a time.
 * Every function that changes something either completes or changes
 * nothing. Called outside store_begin/store_commit it is its own
 * transaction; inside, it joins the caller's (and a refusal still leaves
 * the rest of the batch as it was). */
#ifndef MAMORI_COLL_STORE_H
#define MAMORI_COLL_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "common/err.h"

#define STORE_SHA256_LEN 32
#define STORE_NAME_MAX 200	/* facility names, in bytes of UTF-8 */
#define STORE_DEVICE_ID_MAX 64
#define STORE_HOSTNAME_MAX 255
#define STORE_TOKEN_PREFIX_LEN 8	/* "mt1_" and 4 characters, enough to tell tokens apart */
#define STORE_MAX_CHECKS 256		/* per report */

/* What a call did. Negative is a failure of the store itself (disk,
 * corruption, lock timeout: the message says which); the others are
 * answers. */
enum store_status {
	STORE_ERROR = -1,
	STORE_OK = 0,
	STORE_NOT_FOUND,	/* no such facility, token or device */
	STORE_EXISTS,		/* a facility of that name already exists */
	STORE_TOKEN_INVALID,	/* unknown, expired, revoked or used up */
	STORE_UNKNOWN_DEVICE,	/* no such device, or retired */
	STORE_DUPLICATE,	/* the report is byte-identical to the last accepted one */
	STORE_REPLAYED,		/* the report's sequence is not above the last accepted one */
};

struct store;

/* Open flags. */
#define STORE_MIGRATE 1		/* apply pending schema migrations (else refuse an old schema) */

/* database: a path of an SQLite file (created if absent). */
struct store *store_open(const char *database, unsigned busy_timeout_ms, int flags,
    struct mm_err *e);
void store_close(struct store *s);
/* The schema version of the database and the newest this program knows. */
int store_schema_version(struct store *s, int *have, int *known, struct mm_err *e);

/* Transactions that group many calls, e.g. a batch of reports. */
int store_begin(struct store *s, struct mm_err *e);
/* Makes the batch durable (the call returns after the data are on disk). */
int store_commit(struct store *s, struct mm_err *e);
void store_rollback(struct store *s);

/* Facilities. */
struct store_facility {
	int64_t id;
	char name[STORE_NAME_MAX + 1];
	time_t created_at;
	int64_t devices;	/* active (not retired) devices */
};
int store_facility_add(struct store *s, const char *name, time_t now, int64_t *id,
    struct mm_err *e);
int store_facility_get(struct store *s, int64_t id, struct store_facility *f, struct mm_err *e);
/* Calls fn for each facility in id order; a non-zero return of fn stops. */
int store_facility_list(struct store *s, int (*fn)(const struct store_facility *, void *),
    void *arg, struct mm_err *e);

/* Enrollment tokens. Only the SHA-256 of a token is ever stored. */
struct store_token {
	int64_t id;
	int64_t facility_id;
	char prefix[STORE_TOKEN_PREFIX_LEN + 1];
	int64_t uses_left, uses_total;
	time_t created_at;
	time_t expires_at;	/* 0 = never */
	time_t revoked_at;	/* 0 = not revoked */
};
int store_token_add(struct store *s, int64_t facility_id,
    const unsigned char sha256[STORE_SHA256_LEN], const char *prefix, int64_t uses,
    time_t expires_at, time_t now, int64_t *id, struct mm_err *e);
/* facility_id 0 lists the tokens of every facility. */
int store_token_list(struct store *s, int64_t facility_id,
    int (*fn)(const struct store_token *, void *), void *arg, struct mm_err *e);
/* STORE_NOT_FOUND if there is no such token; revoking twice is not an error. */
int store_token_revoke(struct store *s, int64_t id, time_t now, struct mm_err *e);

/* Devices. */
struct store_device {
	char device_id[STORE_DEVICE_ID_MAX + 1];
	int64_t facility_id;
	char facility_name[STORE_NAME_MAX + 1];
	char hostname[STORE_HOSTNAME_MAX + 1];
	char public_key[64];	/* base64 of the 32-byte Ed25519 key */
	time_t enrolled_at;
	time_t retired_at;	/* 0 = active */
	int64_t last_sequence;	/* 0 = no report yet */
	time_t last_report_at;
	char last_verdict[16];	/* "" before the first report */
};
int store_device_get(struct store *s, const char *device_id, struct store_device *d,
    struct mm_err *e);
int store_device_list(struct store *s, int64_t facility_id,
    int (*fn)(const struct store_device *, void *), void *arg, struct mm_err *e);
/* STORE_NOT_FOUND if there is no such device; retiring twice keeps the first date. */
int store_device_retire(struct store *s, const char *device_id, time_t now, struct mm_err *e);

/* An enrollment: one use of the token whose hash is given buys a device. */
struct store_enrollment {
	unsigned char token_sha256[STORE_SHA256_LEN];
	const char *device_id;
	const char *public_key;
	const char *facts;	/* the "device" object of the request, as JSON */
	const char *hostname;	/* from the facts, "" if none */
};
struct store_enrolled {
	int64_t token_id;
	int64_t facility_id;
	char facility_name[STORE_NAME_MAX + 1];
};
/* STORE_OK, STORE_TOKEN_INVALID (nothing changed) or STORE_ERROR. */
int store_enroll(struct store *s, const struct store_enrollment *in, time_t now,
    struct store_enrolled *out, struct mm_err *e);

/* A report that passed validation and whose signature verified. */
struct store_check {
	const char *id, *article, *severity, *verdict;
};
struct store_report {
	const char *device_id;
	int64_t sequence;
	const char *generated_at;
	const char *verdict;
	int64_t dropped;
	const char *body;	/* the exact signed bytes */
	size_t body_len;
	const char *signature;	/* base64, kept so the report stays verifiable */
	unsigned char sha256[STORE_SHA256_LEN];	/* of the body */
	const struct store_check *checks;
	size_t n_checks;		/* at most STORE_MAX_CHECKS, ids unique */
};
/* Stores the report, moves the device's last sequence and updates its
 * state per check (and the history of verdict changes). STORE_OK,
 * STORE_DUPLICATE or STORE_REPLAYED (nothing changed), STORE_UNKNOWN_DEVICE
 * (no such device, or retired: nothing changed), or STORE_ERROR. */
int store_report_put(struct store *s, const struct store_report *r, time_t now,
    struct mm_err *e);

/* Verdict changes of one check of one device, newest first (for the
 * device history; check_id NULL = every check). */
struct store_change {
	char check_id[129];
	char verdict_from[16];	/* "" for the first report */
	char verdict_to[16];
	time_t at;
	int64_t sequence;
};
int store_device_history(struct store *s, const char *device_id, const char *check_id,
    int (*fn)(const struct store_change *, void *), void *arg, struct mm_err *e);

#endif
