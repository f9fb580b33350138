/* password: the rule and scrypt hashing of administrators' passwords; see
 * password.h. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include "common/sign.h"
#include "common/utf8.h"
#include "server-stub/password.h"

/* N = 2^17, r = 8, p = 1: 128 MiB and about half a second per hash on
 * the collector's small machine — the parameters OWASP gives as the
 * minimum for scrypt. The parameters are stored in each hash, so raising
 * them later leaves old hashes readable. */
#define SCRYPT_LOG2N 17
#define SCRYPT_R 8
#define SCRYPT_P 1
#define SALT_LEN 16
#define KEY_LEN 32

/* One hash at a time: each takes 128 MiB, and a burst of logins on every
 * HTTP thread must not take the machine's memory. */
static pthread_mutex_t one_at_a_time = PTHREAD_MUTEX_INITIALIZER;

int
password_check_rule(const char *pw, struct mm_err *e)
{
	size_t n = strlen(pw), chars = 0;
	int letter = 0, digit = 0;

	if (n > PASSWORD_MAX_LEN || !utf8_valid(pw, n)) {
		err_set(e, "weak_password", "a password is at most %d bytes of text",
		    PASSWORD_MAX_LEN);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)pw[i];
		if ((c & 0xc0) != 0x80)
			chars++;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
	}
	if (chars < PASSWORD_MIN_LEN || !letter || !digit) {
		err_set(e, "weak_password", "a password needs at least %d characters with both "
		    "letters and digits (article 15-3)", PASSWORD_MIN_LEN);
		return -1;
	}
	return 0;
}

static int
derive(const char *pw, const unsigned char *salt, size_t saltlen, int log2n, uint32_t r,
    uint32_t p, unsigned char *out, size_t outlen)
{
	EVP_KDF *kdf;
	EVP_KDF_CTX *ctx = NULL;
	uint64_t n = (uint64_t)1 << log2n;
	OSSL_PARAM params[6];
	int ok = 0;

	params[0] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)pw,
	    strlen(pw));
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen);
	params[2] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n);
	params[3] = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r);
	params[4] = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p);
	params[5] = OSSL_PARAM_construct_end();
	pthread_mutex_lock(&one_at_a_time);
	if ((kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL)) != NULL &&
	    (ctx = EVP_KDF_CTX_new(kdf)) != NULL)
		ok = EVP_KDF_derive(ctx, out, outlen, params) == 1;
	pthread_mutex_unlock(&one_at_a_time);
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX], struct mm_err *e)
{
	unsigned char salt[SALT_LEN], key[KEY_LEN];
	char salt64[32], key64[64];

	if (RAND_bytes(salt, sizeof(salt)) != 1 ||
	    derive(pw, salt, sizeof(salt), SCRYPT_LOG2N, SCRYPT_R, SCRYPT_P, key, sizeof(key)) != 0) {
		err_set(e, "crypto_error", "OpenSSL could not compute the scrypt hash "
		    "(out of memory?)");
		return -1;
	}
	b64_encode(salt, sizeof(salt), salt64, sizeof(salt64));
	b64_encode(key, sizeof(key), key64, sizeof(key64));
	snprintf(out, PASSWORD_HASH_MAX, "scrypt$%d$%d$%d$%s$%s", SCRYPT_LOG2N, SCRYPT_R, SCRYPT_P,
	    salt64, key64);
	OPENSSL_cleanse(key, sizeof(key));
	return 0;
}

int
password_verify(const char *pw, const char *stored, struct mm_err *e)
{
	unsigned char salt[64], want[64], got[64];
	char salt64[96], key64[96];
	int log2n, r, p, match;
	long saltlen, keylen;

	if (sscanf(stored, "scrypt$%d$%d$%d$%95[^$]$%95s", &log2n, &r, &p, salt64, key64) != 5 ||
	    log2n < 10 || log2n > 22 || r < 1 || r > 32 || p < 1 || p > 16 ||
	    (saltlen = b64_decode(salt64, strlen(salt64), salt, sizeof(salt))) < 8 ||
	    (keylen = b64_decode(key64, strlen(key64), want, sizeof(want))) < 16) {
		err_set(e, "bad_hash", "the stored password hash is not a scrypt hash this "
		    "collector reads");
		return -1;
	}
	if (strlen(pw) > PASSWORD_MAX_LEN)
		return 0;
	if (derive(pw, salt, (size_t)saltlen, log2n, (uint32_t)r, (uint32_t)p, got,
	    (size_t)keylen) != 0) {
		err_set(e, "crypto_error", "OpenSSL could not compute the scrypt hash "
		    "(out of memory?)");
		return -1;
	}
	match = CRYPTO_memcmp(got, want, (size_t)keylen) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return match;
}
