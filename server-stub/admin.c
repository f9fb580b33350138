/* admin: administration of facilities, tokens and devices; see admin.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include "common/sign.h"
#include "common/utf8.h"
#include "server-stub/admin.h"

int
admin_parse_duration(const char *s, long *seconds, struct mm_err *e)
{
	long v = 0, unit;
	const char *p = s;

	while (*p >= '0' && *p <= '9' && v <= ADMIN_TOKEN_LIFETIME_MAX)
		v = v * 10 + (*p++ - '0');
	switch (*p) {
	case 'd': unit = 86400; break;
	case 'h': unit = 3600; break;
	case 'm': unit = 60; break;
	case 's': unit = 1; break;
	default: unit = 0; break;
	}
	if (p == s || unit == 0 || p[1] != '\0' || v == 0 || v > ADMIN_TOKEN_LIFETIME_MAX / unit) {
		err_set(e, "bad_duration", "\"%.32s\": give a lifetime such as 7d, 12h or 30m "
		    "(at most 366d)", s);
		return -1;
	}
	*seconds = v * unit;
	return 0;
}

static int
b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '_';
}

int
admin_token_wellformed(const char *s)
{
	if (strlen(s) != ADMIN_TOKEN_LEN || strncmp(s, ADMIN_TOKEN_PREFIX, 4) != 0)
		return 0;
	for (s += 4; *s; s++)
		if (!b64url_char(*s))
			return 0;
	return 1;
}

void
admin_token_hash(const char *token, unsigned char sha256[STORE_SHA256_LEN])
{
	SHA256((const unsigned char *)token, strlen(token), sha256);
}

int
admin_device_id_new(char out[ADMIN_DEVICE_ID_LEN + 1], struct mm_err *e)
{
	unsigned char raw[16];

	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		err_set(e, "crypto_error", "the system's random generator failed");
		return -1;
	}
	memcpy(out, "dev_", 4);
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(out + 4 + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

const char *
admin_token_state(const struct store_token *t, time_t now)
{
	if (t->revoked_at != 0)
		return "revoked";
	if (t->uses_left <= 0)
		return "used_up";
	if (t->expires_at != 0 && now >= t->expires_at)
		return "expired";
	return "active";
}

int
admin_facility_add(struct store *s, const char *name, time_t now, int64_t *id, struct mm_err *e)
{
	size_t n = strlen(name), blank = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f) {
			err_set(e, "bad_name", "a facility name must not hold control characters "
			    "(tabs, line breaks)");
			return STORE_ERROR;
		}
		blank += c == ' ';
	}
	if (n == 0 || blank == n || n > STORE_NAME_MAX || !utf8_valid(name, n)) {
		err_set(e, "bad_name", "a facility name is 1 to %d bytes of UTF-8 text, "
		    "e.g. \"松原クリニック\"", STORE_NAME_MAX);
		return STORE_ERROR;
	}
	return store_facility_add(s, name, now, id, e);
}

int
admin_facility_list(struct store *s, int (*fn)(const struct store_facility *, void *), void *arg,
    struct mm_err *e)
{
	return store_facility_list(s, fn, arg, e);
}

int
admin_token_create(struct store *s, int64_t facility, int64_t uses, long lifetime, time_t now,
    char token[ADMIN_TOKEN_LEN + 1], int64_t *id, struct mm_err *e)
{
	unsigned char raw[32], sha[STORE_SHA256_LEN];
	char b64[45], prefix[STORE_TOKEN_PREFIX_LEN + 1];
	int rc;

	if (uses < 1 || uses > ADMIN_TOKEN_USES_MAX) {
		err_set(e, "bad_uses", "a token is good for 1 to %d enrollments", ADMIN_TOKEN_USES_MAX);
		return STORE_ERROR;
	}
	if (lifetime < 1 || lifetime > ADMIN_TOKEN_LIFETIME_MAX) {
		err_set(e, "bad_duration", "a token lives from 1 second to 366 days");
		return STORE_ERROR;
	}
	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		err_set(e, "crypto_error", "the system's random generator failed");
		return STORE_ERROR;
	}
	/* base64url without padding: the token is typed and pasted into
	 * shells and URLs, where + / = get in the way. */
	b64_encode(raw, sizeof(raw), b64, sizeof(b64));
	memcpy(token, ADMIN_TOKEN_PREFIX, 4);
	for (size_t i = 0; i < 43; i++)
		token[4 + i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
	token[ADMIN_TOKEN_LEN] = '\0';
	admin_token_hash(token, sha);
	memcpy(prefix, token, STORE_TOKEN_PREFIX_LEN);
	prefix[STORE_TOKEN_PREFIX_LEN] = '\0';
	rc = store_token_add(s, facility, sha, prefix, uses, now + lifetime, now, id, e);
	if (rc != STORE_OK)
		memset(token, 0, ADMIN_TOKEN_LEN + 1);
	return rc;
}

int
admin_token_list(struct store *s, int64_t facility, int (*fn)(const struct store_token *, void *),
    void *arg, struct mm_err *e)
{
	return store_token_list(s, facility, fn, arg, e);
}

int
admin_token_revoke(struct store *s, int64_t id, time_t now, struct mm_err *e)
{
	return store_token_revoke(s, id, now, e);
}

int
admin_device_list(struct store *s, int64_t facility, int (*fn)(const struct store_device *, void *),
    void *arg, struct mm_err *e)
{
	return store_device_list(s, facility, fn, arg, e);
}

int
admin_device_retire(struct store *s, const char *device_id, time_t now, struct mm_err *e)
{
	return store_device_retire(s, device_id, now, e);
}
