/* fuzz_enroll_check: an enrollment body as anyone on the network may send
 * it to POST /api/v1/enroll. Whatever the bytes, validation either refuses
 * with a reason and a message, or yields a request the store can take: a
 * token of 1..128 bytes, a public key that decodes to 32 bytes, a host
 * name of at most 255 bytes, and facts that are a flat enough JSON object
 * of short strings (docs/protocol.md). The request it yields, sent again,
 * must be accepted again with the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "common/sign.h"
#include "server-stub/enroll_check.h"

/* The facts as docs/protocol.md promises them to the dashboard. */
static void
facts_shape(json_t *v, int depth)
{
	const char *k;
	json_t *m;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		if (json_string_length(v) > ENROLL_FACT_MAX)
			__builtin_trap();
		break;
	case JSON_OBJECT:
		if (depth >= 3 || json_object_size(v) > 32)
			__builtin_trap();
		json_object_foreach(v, k, m) {
			if (strlen(k) > 64)
				__builtin_trap();
			facts_shape(m, depth + 1);
		}
		break;
	case JSON_ARRAY:
		if (depth >= 3 || json_array_size(v) > 32)
			__builtin_trap();
		json_array_foreach(v, i, m)
			facts_shape(m, depth + 1);
		break;
	default:
		break;
	}
}

static void
accepted(const struct enroll_request *r)
{
	unsigned char key[33];
	struct enroll_request again;
	struct mm_err e;
	json_error_t jerr;
	json_t *facts, *body, *host;
	char *txt;
	size_t tl = strlen(r->token);

	if (tl == 0 || tl > ENROLL_TOKEN_MAX || strlen(r->public_key) != SIGN_PUBKEY_B64_LEN ||
	    b64_decode(r->public_key, SIGN_PUBKEY_B64_LEN, key, sizeof(key)) != 32 ||
	    strlen(r->hostname) > ENROLL_FACT_MAX || r->facts == NULL)
		__builtin_trap();
	facts = json_loads(r->facts, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(facts))
		__builtin_trap();
	facts_shape(facts, 0);
	host = json_object_get(facts, "hostname");
	if (host != NULL ? !json_is_string(host) || strcmp(json_string_value(host), r->hostname) != 0
	    : r->hostname[0] != '\0')
		__builtin_trap();

	/* What was accepted once is accepted again, unchanged. */
	body = json_pack("{s:s, s:s, s:O}", "token", r->token, "public_key", r->public_key,
	    "device", facts);
	json_decref(facts);
	if (body == NULL)
		__builtin_trap();
	txt = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (txt == NULL)
		abort();
	err_clear(&e);
	if (enroll_check(txt, strlen(txt), &again, &e) != 0 ||
	    strcmp(again.token, r->token) != 0 || strcmp(again.public_key, r->public_key) != 0 ||
	    strcmp(again.hostname, r->hostname) != 0 || strcmp(again.facts, r->facts) != 0)
		__builtin_trap();
	enroll_request_free(&again);
	free(txt);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct enroll_request r;
	struct mm_err e;
	/* An exact-size copy, so that a read past the body is caught. */
	char *b = malloc(size ? size : 1);

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	err_clear(&e);
	if (enroll_check(b, size, &r, &e) == 0) {
		accepted(&r);
		enroll_request_free(&r);
	} else if (e.reason == NULL || e.msg[0] == '\0' || r.facts != NULL) {
		__builtin_trap();
	}
	free(b);
	return 0;
}
