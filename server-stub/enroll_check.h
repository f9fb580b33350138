/* enroll_check: is a request body an enrollment request (docs/protocol.md)?
 * Buffer and length in, the fields the store needs out. */
#ifndef MAMORI_COLL_ENROLL_CHECK_H
#define MAMORI_COLL_ENROLL_CHECK_H

#include <stddef.h>
#include "common/err.h"
#include "common/sign.h"

#define ENROLL_TOKEN_MAX 128
#define ENROLL_FACTS_MAX_DEPTH 8
#define ENROLL_FACT_MAX 255	/* bytes per string in the device facts */

struct enroll_request {
	char token[ENROLL_TOKEN_MAX + 1];
	char public_key[SIGN_PUBKEY_B64_LEN + 1];
	char hostname[ENROLL_FACT_MAX + 1];	/* "" when the request gives none */
	char *facts;	/* the "device" object as compact JSON; free with enroll_request_free */
};

/* 0 and a filled request, or -1 with reason "bad_request" and a message
 * naming the field. The token is only checked to be a string here: whether
 * it is valid is the store's answer. */
int enroll_check(const char *buf, size_t len, struct enroll_request *out, struct mm_err *e);
void enroll_request_free(struct enroll_request *r);

#endif
