/* sign: Ed25519 keys, signatures and base64 as the agent and collector use them. */
#include <sys/stat.h>
#include "testutil.h"
#include "common/sign.h"

static void
test_sign_and_verify_roundtrip(void **state)
{
	static const char report[] = "{\"schema\":\"mamori.report/1\"}";
	char pub[SIGN_PUBKEY_B64_LEN + 1], sig[SIGN_SIG_B64_LEN + 1];
	struct sign_key *k;
	struct mm_err e;

	(void)state;
	k = sign_key_new(&e);
	assert_non_null(k);
	assert_int_equal(sign_key_public_b64(k, pub, &e), 0);
	assert_int_equal(strlen(pub), SIGN_PUBKEY_B64_LEN);
	assert_int_equal(sign_bytes(k, report, strlen(report), sig, &e), 0);
	assert_int_equal(strlen(sig), SIGN_SIG_B64_LEN);
	assert_int_equal(sign_verify(pub, report, strlen(report), sig, &e), 0);
	sign_key_free(k);
}

static void
test_tampered_report_or_other_key_is_refused(void **state)
{
	static const char report[] = "{\"verdict\":\"noncompliant\"}";
	static const char forged[] = "{\"verdict\":\"compliant\"}   ";
	char pub2[SIGN_PUBKEY_B64_LEN + 1], sig[SIGN_SIG_B64_LEN + 1];
	char pub[SIGN_PUBKEY_B64_LEN + 1];
	struct sign_key *k = sign_key_new(NULL), *k2 = sign_key_new(NULL);
	struct mm_err e;

	(void)state;
	assert_int_equal(sign_key_public_b64(k, pub, &e), 0);
	assert_int_equal(sign_key_public_b64(k2, pub2, &e), 0);
	assert_int_equal(sign_bytes(k, report, strlen(report), sig, &e), 0);
	assert_int_equal(sign_verify(pub, forged, strlen(forged), sig, &e), -1);
	assert_string_equal(e.reason, "signature_mismatch");
	assert_int_equal(sign_verify(pub2, report, strlen(report), sig, &e), -1);
	assert_string_equal(e.reason, "signature_mismatch");
	assert_int_equal(sign_verify(pub, report, strlen(report), "not base64!", &e), -1);
	assert_string_equal(e.reason, "bad_signature_encoding");
	assert_int_equal(sign_verify("AAAA", report, strlen(report), sig, &e), -1);
	assert_string_equal(e.reason, "bad_key");
	sign_key_free(k);
	sign_key_free(k2);
}

static void
test_key_saved_0600_and_reloaded(void **state)
{
	char *root = tu_mkroot(), path[4200], pub[SIGN_PUBKEY_B64_LEN + 1];
	char pub2[SIGN_PUBKEY_B64_LEN + 1];
	struct sign_key *k = sign_key_new(NULL), *k2;
	struct stat st;
	struct mm_err e;

	(void)state;
	snprintf(path, sizeof(path), "%s/device.key", root);
	assert_int_equal(sign_key_save(k, path, &e), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	k2 = sign_key_load(path, &e);
	assert_non_null(k2);
	sign_key_public_b64(k, pub, &e);
	sign_key_public_b64(k2, pub2, &e);
	assert_string_equal(pub, pub2);
	sign_key_free(k2);
	/* a key others can read is refused: it may have leaked */
	assert_int_equal(chmod(path, 0644), 0);
	assert_null(sign_key_load(path, &e));
	assert_string_equal(e.reason, "key_unsafe");
	sign_key_free(k);
	tu_rmroot(root);
}

static void
test_base64_strict(void **state)
{
	unsigned char out[16];
	char enc[32];

	(void)state;
	assert_int_equal(b64_encode((const unsigned char *)"mamori", 6, enc, sizeof(enc)), 8);
	assert_string_equal(enc, "bWFtb3Jp");
	assert_int_equal(b64_decode("bWFtb3Jp", 8, out, sizeof(out)), 6);
	assert_memory_equal(out, "mamori", 6);
	assert_int_equal(b64_decode("bWFtbw==", 8, out, sizeof(out)), 4);
	assert_int_equal(b64_decode("bWFtb3J", 7, out, sizeof(out)), -1);	/* length */
	assert_int_equal(b64_decode("bW=tb3Jp", 8, out, sizeof(out)), -1);	/* inner pad */
	assert_int_equal(b64_decode("bWFt\nb3J", 8, out, sizeof(out)), -1);	/* newline */
	assert_int_equal(b64_decode("bWFtb3Jp", 8, out, 3), -1);		/* too small */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_and_verify_roundtrip),
		cmocka_unit_test(test_tampered_report_or_other_key_is_refused),
		cmocka_unit_test(test_key_saved_0600_and_reloaded),
		cmocka_unit_test(test_base64_strict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
