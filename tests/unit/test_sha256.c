/* sha256: FIPS 180-4's and RFC 4231's test vectors, and agreement with
 * OpenSSL on every length around the block and padding boundaries, fed
 * whole and in pieces. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "testutil.h"
#include "common/sha256.h"

static void
hex(const unsigned char *md, char out[65])
{
	for (int i = 0; i < SHA256_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void
test_vectors(void **state)
{
	unsigned char md[SHA256_LEN];
	char h[65];
	struct sha256 s;

	(void)state;
	sha256("", 0, md);
	hex(md, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256("abc", 3, md);
	hex(md, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, md);
	hex(md, h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* one million 'a', in pieces of 1,000 */
	{
		char a[1000];

		memset(a, 'a', sizeof(a));
		sha256_init(&s);
		for (int i = 0; i < 1000; i++)
			sha256_update(&s, a, sizeof(a));
		sha256_final(&s, md);
		hex(md, h);
		assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	}
	/* RFC 4231 test case 2: key "Jefe" */
	hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, md);
	hex(md, h);
	assert_string_equal(h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void
test_agrees_with_openssl(void **state)
{
	unsigned char buf[300], key[200], mine[SHA256_LEN], theirs[EVP_MAX_MD_SIZE];
	unsigned int n;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 13 + 1);
	for (size_t len = 0; len <= sizeof(buf); len++) {
		struct sha256 s;
		size_t cut = len / 3;

		EVP_Digest(buf, len, theirs, &n, EVP_sha256(), NULL);
		sha256(buf, len, mine);
		assert_memory_equal(mine, theirs, SHA256_LEN);
		sha256_init(&s);
		sha256_update(&s, buf, cut);
		sha256_update(&s, buf + cut, len - cut);
		sha256_final(&s, mine);
		assert_memory_equal(mine, theirs, SHA256_LEN);
	}
	/* keys shorter than, equal to and longer than the 64-byte block */
	for (size_t kl = 0; kl <= sizeof(key); kl += 7) {
		HMAC(EVP_sha256(), key, (int)kl, buf, 100, theirs, &n);
		hmac_sha256(key, kl, buf, 100, mine);
		assert_memory_equal(mine, theirs, SHA256_LEN);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_agrees_with_openssl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
