/* sha256: SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) for the hashes
 * every scan computes — the policy's sha256, the report's device id, the
 * hashed account names. OpenSSL's first digest loads its providers and
 * configuration, 2.3 MiB of a scan's 12 MiB budget for three short
 * hashes; signatures (common/sign) still use OpenSSL. */
#ifndef MAMORI_SHA256_H
#define MAMORI_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;		/* message length so far */
	unsigned char block[64];
	size_t fill;		/* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, unsigned char out[SHA256_LEN]);
/* One call: out = SHA-256(data). */
void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);
/* out = HMAC-SHA256(key, data). */
void hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
    unsigned char out[SHA256_LEN]);

#endif
