/* sign: Ed25519 keys and signatures, through OpenSSL. The agent signs the
 * exact bytes of each report with its device key; the collector verifies
 * them with the public key it stored at enrollment. Keys and signatures
 * travel as standard base64 (RFC 4648, with padding). */
#ifndef MAMORI_SIGN_H
#define MAMORI_SIGN_H

#include <stddef.h>
#include "common/err.h"

#define SIGN_PUBKEY_B64_LEN 44	/* 32 bytes → 44 base64 characters */
#define SIGN_SIG_B64_LEN 88	/* 64 bytes → 88 base64 characters */

struct sign_key;

/* A new random key pair. */
struct sign_key *sign_key_new(struct mm_err *e);
/* Writes the private key as PKCS#8 PEM to path, mode 0600, atomically
 * (temporary file, fsync, rename, fsync of the folder). */
int sign_key_save(const struct sign_key *k, const char *path, struct mm_err *e);
/* Reads a private key saved by sign_key_save; refuses a file readable by
 * others than its owner. */
struct sign_key *sign_key_load(const char *path, struct mm_err *e);
void sign_key_free(struct sign_key *k);

/* The public key as base64 (SIGN_PUBKEY_B64_LEN chars + NUL). */
int sign_key_public_b64(const struct sign_key *k, char out[SIGN_PUBKEY_B64_LEN + 1],
    struct mm_err *e);
/* Signs buf; the signature as base64 (SIGN_SIG_B64_LEN chars + NUL). */
int sign_bytes(const struct sign_key *k, const void *buf, size_t len,
    char out[SIGN_SIG_B64_LEN + 1], struct mm_err *e);
/* 0 when sig_b64 is a valid signature of buf by pub_b64; -1 otherwise,
 * with reason "bad_key", "bad_signature_encoding" or "signature_mismatch". */
int sign_verify(const char *pub_b64, const void *buf, size_t len, const char *sig_b64,
    struct mm_err *e);

/* Standard base64 with padding; decode refuses anything else. */
size_t b64_encode(const unsigned char *in, size_t len, char *out, size_t outlen);
/* Returns the decoded length, or -1 on bad input or too small a buffer. */
long b64_decode(const char *in, size_t len, unsigned char *out, size_t outlen);

#endif
