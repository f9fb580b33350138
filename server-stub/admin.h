/* admin: what an administrator does — facilities, enrollment tokens,
 * devices. The command line calls these functions now and the dashboard
 * will call the same ones, so the rules (names, token format, limits)
 * live in one place. Each returns a store_status (store.h). */
#ifndef MAMORI_COLL_ADMIN_H
#define MAMORI_COLL_ADMIN_H

#include <stdint.h>
#include <time.h>
#include "common/err.h"
#include "server-stub/store.h"

/* A token is "mt1_" and the base64url (no padding) of 32 random bytes. */
#define ADMIN_TOKEN_PREFIX "mt1_"
#define ADMIN_TOKEN_LEN (4 + 43)
#define ADMIN_TOKEN_USES_MAX 100000
#define ADMIN_TOKEN_LIFETIME_MAX (366L * 86400)
#define ADMIN_TOKEN_LIFETIME_DEFAULT (7L * 86400)
/* A device id is "dev_" and 32 hex digits (128 random bits). */
#define ADMIN_DEVICE_ID_LEN (4 + 32)

/* "7d", "12h", "30m" or "45s" (a positive whole number and a unit) into
 * seconds, at most ADMIN_TOKEN_LIFETIME_MAX. */
int admin_parse_duration(const char *s, long *seconds, struct mm_err *e);
/* 1 if s has the shape of a token (prefix, length, alphabet). */
int admin_token_wellformed(const char *s);
/* The SHA-256 under which a token is stored and looked up. */
void admin_token_hash(const char *token, unsigned char sha256[STORE_SHA256_LEN]);
/* A new random device id. */
int admin_device_id_new(char out[ADMIN_DEVICE_ID_LEN + 1], struct mm_err *e);
/* "active", "expired", "revoked" or "used_up". */
const char *admin_token_state(const struct store_token *t, time_t now);

/* The name must be 1..STORE_NAME_MAX bytes of UTF-8 without control
 * characters; STORE_EXISTS if the name is taken. */
int admin_facility_add(struct store *s, const char *name, time_t now, int64_t *id,
    struct mm_err *e);
int admin_facility_list(struct store *s, int (*fn)(const struct store_facility *, void *),
    void *arg, struct mm_err *e);

/* Creates a token for facility, good for uses enrollments during
 * lifetime seconds. token receives the only copy of the token: show it
 * once; the store keeps its hash. */
int admin_token_create(struct store *s, int64_t facility, int64_t uses, long lifetime, time_t now,
    char token[ADMIN_TOKEN_LEN + 1], int64_t *id, struct mm_err *e);
int admin_token_list(struct store *s, int64_t facility,
    int (*fn)(const struct store_token *, void *), void *arg, struct mm_err *e);
int admin_token_revoke(struct store *s, int64_t id, time_t now, struct mm_err *e);

int admin_device_list(struct store *s, int64_t facility,
    int (*fn)(const struct store_device *, void *), void *arg, struct mm_err *e);
/* From now on the device's reports are refused (401 unknown_device). */
int admin_device_retire(struct store *s, const char *device_id, time_t now, struct mm_err *e);

#endif
