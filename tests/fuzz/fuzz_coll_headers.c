/* fuzz_coll_headers: the two headers of POST /api/v1/reports as any client
 * may send them, handled as the collector handles them (server.c
 * report_start): the X-Mamori-Device value cleaned for the log line, the
 * X-Mamori-Signature value decoded as base64 and verified over the body
 * with the device's stored key. The input is the device header, '\n', the
 * signature header, '\n', then the body.
 *
 * Invariants: a cleaned log value is printable ASCII and never longer than
 * the buffer; b64_decode agrees with a plain RFC 4648 decoder (padding
 * required, pad bits not checked) on what it accepts and what it yields;
 * a signature verifies only when it decodes to the key's own signature of
 * those bytes (Ed25519 is deterministic, so no other one can be made
 * without the private key); a public key that is not one (the device
 * header tried as one) is refused with a reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "common/sign.h"
#include "server-stub/admin.h"
#include "server-stub/logline.h"

static EVP_PKEY *key;
static char pub_b64[SIGN_PUBKEY_B64_LEN + 1];

static int
b64_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* The reference: groups of four, '=' only as the last one or two
 * characters of the text. -1 when refused or when it does not fit. */
static long
ref_decode(const char *in, size_t len, unsigned char *out, size_t outlen)
{
	size_t pad = 0, o = 0;

	if (len == 0 || len % 4 != 0)
		return -1;
	if (in[len - 1] == '=')
		pad = in[len - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < len - pad; i++)
		if (b64_val(in[i]) < 0)
			return -1;
	if ((len / 4) * 3 - pad > outlen)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		uint32_t v = 0;
		size_t take = i + 4 == len ? 3 - pad : 3;

		for (size_t k = 0; k < 4; k++)
			v = v << 6 | (uint32_t)(in[i + k] == '=' ? 0 : b64_val(in[i + k]));
		for (size_t k = 0; k < take; k++)
			out[o++] = (unsigned char)(v >> (16 - 8 * k));
	}
	return (long)o;
}

static void
b64_agrees(const char *s, size_t n)
{
	static const size_t sizes[] = { 0, 1, 32, 33, 64, 65, 256 };
	unsigned char got[256], want[256], again[256];
	char enc[400];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		long g = b64_decode(s, n, got, sizes[i]);
		long w = ref_decode(s, n, want, sizes[i]);

		if (g != w || (g > 0 && memcmp(got, want, (size_t)g) != 0))
			__builtin_trap();
		/* What was decoded encodes to canonical text that decodes back. */
		if (g > 0 && (b64_encode(got, (size_t)g, enc, sizeof(enc)) == 0 ||
		    b64_decode(enc, strlen(enc), again, sizeof(again)) != g ||
		    memcmp(again, got, (size_t)g) != 0))
			__builtin_trap();
	}
}

static void
init(void)
{
	/* A fixed device key, so that runs repeat. */
	static const unsigned char priv[32] = {
		0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4,
		0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19,
		0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60,
	};
	unsigned char pub[32];
	size_t pl = sizeof(pub);

	key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, sizeof(priv));
	if (key == NULL || EVP_PKEY_get_raw_public_key(key, pub, &pl) != 1 || pl != 32 ||
	    b64_encode(pub, 32, pub_b64, sizeof(pub_b64)) != SIGN_PUBKEY_B64_LEN)
		abort();
}

/* The key's own signature of body. */
static void
true_signature(const char *body, size_t len, unsigned char sig[64])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t sl = 64;

	if (ctx == NULL || EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, sig, &sl, (const unsigned char *)body, len) != 1 || sl != 64)
		abort();
	EVP_MD_CTX_free(ctx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl1, *nl2;
	char *dev, *sig, *body, clean[80];
	size_t dl, sl, bl;
	struct mm_err e;
	unsigned char raw[65], want[64];
	long n;

	if (key == NULL)
		init();
	if ((nl1 = memchr(data, '\n', size)) == NULL)
		return 0;
	if ((nl2 = memchr(nl1 + 1, '\n', size - (size_t)(nl1 + 1 - data))) == NULL)
		return 0;
	dl = (size_t)(nl1 - data);
	sl = (size_t)(nl2 - nl1 - 1);
	bl = size - (size_t)(nl2 + 1 - data);
	/* Header values arrive as C strings (libmicrohttpd stops at NUL). */
	if ((dev = malloc(dl + 1)) == NULL || (sig = malloc(sl + 1)) == NULL ||
	    (body = malloc(bl ? bl : 1)) == NULL)
		abort();
	memcpy(dev, data, dl);
	dev[dl] = '\0';
	memcpy(sig, nl1 + 1, sl);
	sig[sl] = '\0';
	memcpy(body, nl2 + 1, bl);
	dl = strlen(dev);
	sl = strlen(sig);

	/* The log line's copy of the device header. */
	logline_clean(clean, sizeof(clean), dev);
	if (strlen(clean) != (dl < sizeof(clean) - 1 ? dl : sizeof(clean) - 1))
		__builtin_trap();
	for (size_t i = 0; clean[i] != '\0'; i++)
		if ((unsigned char)clean[i] < 0x20 || (unsigned char)clean[i] > 0x7e ||
		    (clean[i] != '?' && clean[i] != dev[i]))
			__builtin_trap();
	logline_clean(clean, 1, dev);
	if (clean[0] != '\0')
		__builtin_trap();

	b64_agrees(sig, sl);
	b64_agrees(dev, dl);

	/* report_start: an over-long signature is refused before decoding. */
	if (sl > 0 && sl <= SIGN_SIG_B64_LEN) {
		int ok;

		err_clear(&e);
		ok = sign_verify(pub_b64, body, bl, sig, &e) == 0;
		n = b64_decode(sig, sl, raw, sizeof(raw));
		if (ok) {
			true_signature(body, bl, want);
			if (n != 64 || memcmp(raw, want, 64) != 0)
				__builtin_trap();
		} else if (e.reason == NULL || (n != 64 &&
		    strcmp(e.reason, "bad_signature_encoding") != 0))
			__builtin_trap();
	}
	/* The device header where a stored key would be: any 32 bytes may
	 * or may not be a key, but a refusal says why. */
	if (dl > 0 && dl <= ADMIN_DEVICE_ID_LEN + 8 && sl > 0 && sl <= SIGN_SIG_B64_LEN) {
		err_clear(&e);
		if (sign_verify(dev, body, bl, sig, &e) == -1 && e.reason == NULL)
			__builtin_trap();
	}
	free(dev);
	free(sig);
	free(body);
	return 0;
}
