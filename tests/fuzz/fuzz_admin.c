/* fuzz_admin: what an administrator types for the collector to check —
 * a token lifetime ("7d", "12h", "30m", "45s") and a token's shape — and,
 * as the dashboard will pass them on, anything at all. The input is cut at
 * NUL bytes into strings; each is tried as both.
 *
 * Invariants: a lifetime is accepted exactly when it is digits then one
 * unit and nothing else, with a value from 1 second to 366 days, and then
 * it is that many seconds; a refusal says "bad_duration". A token is
 * well-formed exactly when it is "mt1_" and 43 base64url characters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "server-stub/admin.h"

/* The reference lifetime parser, with no overflow possible. */
static long
ref_duration(const char *s)
{
	size_t n = strlen(s), digits = 0;
	unsigned long long v = 0;
	long unit;

	while (digits < n && s[digits] >= '0' && s[digits] <= '9') {
		if (v <= ADMIN_TOKEN_LIFETIME_MAX)
			v = v * 10 + (unsigned)(s[digits] - '0');
		digits++;
	}
	if (digits == 0 || digits + 1 != n)
		return -1;
	switch (s[digits]) {
	case 'd': unit = 86400; break;
	case 'h': unit = 3600; break;
	case 'm': unit = 60; break;
	case 's': unit = 1; break;
	default: return -1;
	}
	if (v == 0 || v > (unsigned long long)(ADMIN_TOKEN_LIFETIME_MAX / unit))
		return -1;
	return (long)v * unit;
}

static int
ref_token(const char *s)
{
	if (strlen(s) != ADMIN_TOKEN_LEN || memcmp(s, "mt1_", 4) != 0)
		return 0;
	for (s += 4; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static void
one(const char *s)
{
	struct mm_err e;
	long secs = -12345, want = ref_duration(s);
	int rc;

	err_clear(&e);
	rc = admin_parse_duration(s, &secs, &e);
	if (rc == 0) {
		if (want < 0 || secs != want || secs < 1 || secs > ADMIN_TOKEN_LIFETIME_MAX)
			__builtin_trap();
	} else if (rc != -1 || want >= 0 || e.reason == NULL ||
	    strcmp(e.reason, "bad_duration") != 0 || secs != -12345) {
		__builtin_trap();
	}
	if (admin_token_wellformed(s) != ref_token(s))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* One exact-size copy with a NUL at the end: each string is read up
	 * to its own NUL, and never past the input. */
	char *b = malloc(size + 1);
	size_t i = 0;

	if (b == NULL)
		abort();
	memcpy(b, data, size);
	b[size] = '\0';
	do {
		one(b + i);
		i += strlen(b + i) + 1;
	} while (i <= size);
	free(b);
	return 0;
}
