/* enroll_check: validating an enrollment body; see enroll_check.h. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "server-stub/enroll_check.h"
#include "server-stub/report_check.h"

/* The device facts are stored and shown as they came: strings must be
 * short, and the values flat enough to show in a table. */
static int
facts_ok(json_t *v, int depth)
{
	const char *k;
	json_t *m;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_length(v) <= ENROLL_FACT_MAX;
	case JSON_OBJECT:
		if (depth >= 3 || json_object_size(v) > 32)
			return 0;
		json_object_foreach(v, k, m)
			if (strlen(k) > 64 || !facts_ok(m, depth + 1))
				return 0;
		return 1;
	case JSON_ARRAY:
		if (depth >= 3 || json_array_size(v) > 32)
			return 0;
		json_array_foreach(v, i, m)
			if (!facts_ok(m, depth + 1))
				return 0;
		return 1;
	default:
		return 1;
	}
}

int
enroll_check(const char *buf, size_t len, struct enroll_request *out, struct mm_err *e)
{
	unsigned char key[33];
	json_error_t jerr;
	json_t *root, *v, *dev;
	const char *s;

	memset(out, 0, sizeof(*out));
	if (len == 0 || report_check_depth(buf, len, ENROLL_FACTS_MAX_DEPTH) != 0) {
		err_set(e, "bad_request", "the body must be a JSON object nesting at most %d levels",
		    ENROLL_FACTS_MAX_DEPTH);
		return -1;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		err_set(e, "bad_request", "the body is not JSON (line %d, column %d: %.200s)",
		    jerr.line, jerr.column, jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		err_set(e, "bad_request", "the body must be a JSON object");
		goto fail;
	}
	v = json_object_get(root, "token");
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > ENROLL_TOKEN_MAX) {
		err_set(e, "bad_request", "token must be the enrollment token, a string");
		goto fail;
	}
	memcpy(out->token, json_string_value(v), json_string_length(v) + 1);
	v = json_object_get(root, "public_key");
	s = json_is_string(v) ? json_string_value(v) : "";
	if (strlen(s) != SIGN_PUBKEY_B64_LEN || b64_decode(s, strlen(s), key, sizeof(key)) != 32) {
		err_set(e, "bad_request", "public_key must be the base64 of a 32-byte Ed25519 "
		    "public key (%d characters)", SIGN_PUBKEY_B64_LEN);
		goto fail;
	}
	memcpy(out->public_key, s, SIGN_PUBKEY_B64_LEN + 1);
	dev = json_object_get(root, "device");
	if (!json_is_object(dev) || !facts_ok(dev, 0)) {
		err_set(e, "bad_request", "device must be an object of facts about the machine "
		    "(hostname, os, machine_id, agent_version), strings of at most %d bytes",
		    ENROLL_FACT_MAX);
		goto fail;
	}
	v = json_object_get(dev, "hostname");
	if (v != NULL) {
		if (!json_is_string(v)) {
			err_set(e, "bad_request", "device.hostname must be a string");
			goto fail;
		}
		memcpy(out->hostname, json_string_value(v), json_string_length(v) + 1);
		if (strlen(out->hostname) != json_string_length(v)) {
			err_set(e, "bad_request", "device.hostname holds a NUL character");
			goto fail;
		}
	}
	out->facts = json_dumps(dev, JSON_COMPACT | JSON_SORT_KEYS);
	if (out->facts == NULL) {
		err_set(e, "out_of_memory", "out of memory");
		goto fail;
	}
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	return -1;
}

void
enroll_request_free(struct enroll_request *r)
{
	if (r == NULL)
		return;
	free(r->facts);
	r->facts = NULL;
}
