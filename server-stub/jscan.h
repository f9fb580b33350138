/* jscan: a strict JSON (RFC 8259) scanner for the report path. It checks
 * the whole text and records one token per value in a flat array, without
 * building a tree: a 5 KB report scans in a few microseconds, where a tree
 * of allocated objects costs as much as verifying its signature.
 *
 * Strict means: UTF-8 only, no control characters or \u0000 in strings,
 * no lone surrogates, no duplicate keys in any object, numbers as the RFC
 * writes them, nothing but whitespace after the value, nesting capped. */
#ifndef MAMORI_COLL_JSCAN_H
#define MAMORI_COLL_JSCAN_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

enum jscan_type { JSCAN_OBJECT, JSCAN_ARRAY, JSCAN_STRING, JSCAN_NUMBER, JSCAN_TRUE,
	JSCAN_FALSE, JSCAN_NULL };

struct jscan_tok {
	uint8_t type;		/* enum jscan_type */
	uint8_t escaped;	/* a string holding backslash escapes */
	uint8_t integer;	/* a number without fraction or exponent */
	uint32_t start, end;	/* the value's bytes; a string's without the quotes */
	uint32_t size;		/* an array's values, an object's keys */
	uint32_t next;		/* the token after this value and everything in it */
};

struct jscan {
	const char *buf;
	size_t len;
	struct jscan_tok *t;	/* t[0] is the top value; an object's children
				 * are key, value, key, value… */
	size_t n, cap;
};

/* 0 when buf holds one JSON value nesting at most max_depth arrays and
 * objects; -1 with reason "bad_json" and where it went wrong ("line 3,
 * column 14: …") otherwise. Free with jscan_free either way. */
int jscan_parse(struct jscan *j, const char *buf, size_t len, int max_depth, struct mm_err *e);
void jscan_free(struct jscan *j);

/* The token of key's value in object token o, or -1. */
long jscan_get(const struct jscan *j, size_t o, const char *key);
/* 1 if string token i decodes exactly to s. */
int jscan_streq(const struct jscan *j, size_t i, const char *s);
/* Decodes string token i into out (NUL-terminated); the decoded length,
 * or -1 if it does not fit in outlen - 1 bytes. */
long jscan_str(const struct jscan *j, size_t i, char *out, size_t outlen);
/* 0 and *v for an integer token within int64; -1 otherwise. */
int jscan_int(const struct jscan *j, size_t i, int64_t *v);

#endif
