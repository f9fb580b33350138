/* sign: Ed25519 through OpenSSL's EVP interface; see sign.h. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include "common/sign.h"

struct sign_key {
	EVP_PKEY *pkey;
};

size_t
b64_encode(const unsigned char *in, size_t len, char *out, size_t outlen)
{
	if (outlen < 4 * ((len + 2) / 3) + 1)
		return 0;
	return (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

long
b64_decode(const char *in, size_t len, unsigned char *out, size_t outlen)
{
	unsigned char *tmp;
	size_t pad = 0;
	int n;

	if (len == 0 || len % 4 != 0 || len > 1u << 20)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '+' || c == '/' ||
		    (c == '=' && i >= len - 2);
		if (!ok)
			return -1;
	}
	if (in[len - 1] == '=')
		pad++;
	if (in[len - 2] == '=')
		pad++;
	if (pad == 1 && in[len - 2] == '=')
		return -1;
	tmp = malloc(len / 4 * 3 + 1);
	if (tmp == NULL)
		return -1;
	/* EVP_DecodeBlock ignores padding in its count; correct for it. */
	n = EVP_DecodeBlock(tmp, (const unsigned char *)in, (int)len);
	if (n < 0 || (size_t)n < pad || (size_t)n - pad > outlen) {
		free(tmp);
		return -1;
	}
	memcpy(out, tmp, (size_t)n - pad);
	free(tmp);
	return (long)((size_t)n - pad);
}

struct sign_key *
sign_key_new(struct mm_err *e)
{
	struct sign_key *k = calloc(1, sizeof(*k));
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);

	if (k == NULL || ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_keygen(ctx, &k->pkey) <= 0) {
		EVP_PKEY_CTX_free(ctx);
		free(k);
		err_set(e, "crypto_error", "could not create an Ed25519 key");
		return NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	return k;
}

int
sign_key_save(const struct sign_key *k, const char *path, struct mm_err *e)
{
	char tmp[4096], dir[4096];
	FILE *f;
	int fd, dfd, ok;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		err_set(e, "path_invalid", "%s: path too long", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		if (fd != -1)
			close(fd);
		err_set(e, "write_failed", "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	ok = PEM_write_PrivateKey(f, k->pkey, NULL, NULL, 0, NULL, NULL) == 1;
	ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) == -1) {
		unlink(tmp);
		err_set(e, "write_failed", "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd != -1) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

struct sign_key *
sign_key_load(const char *path, struct mm_err *e)
{
	struct sign_key *k;
	struct stat st;
	FILE *f;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd == -1) {
		err_set(e, "key_unreadable", "cannot read the device key %s: %s (enroll first)",
		    path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0 ||
	    st.st_size > 65536) {
		close(fd);
		err_set(e, "key_unsafe", "%s must be a regular file readable only by its owner (chmod 600)",
		    path);
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL || (k = calloc(1, sizeof(*k))) == NULL) {
		if (f != NULL)
			fclose(f);
		else
			close(fd);
		err_set(e, "out_of_memory", "out of memory");
		return NULL;
	}
	k->pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (k->pkey == NULL || EVP_PKEY_get_id(k->pkey) != EVP_PKEY_ED25519) {
		sign_key_free(k);
		err_set(e, "key_invalid", "%s does not hold an Ed25519 private key", path);
		return NULL;
	}
	return k;
}

void
sign_key_free(struct sign_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

int
sign_key_public_b64(const struct sign_key *k, char out[SIGN_PUBKEY_B64_LEN + 1],
    struct mm_err *e)
{
	unsigned char raw[32];
	size_t len = sizeof(raw);

	if (EVP_PKEY_get_raw_public_key(k->pkey, raw, &len) != 1 || len != 32) {
		err_set(e, "crypto_error", "could not read the public key");
		return -1;
	}
	b64_encode(raw, 32, out, SIGN_PUBKEY_B64_LEN + 1);
	return 0;
}

int
sign_bytes(const struct sign_key *k, const void *buf, size_t len,
    char out[SIGN_SIG_B64_LEN + 1], struct mm_err *e)
{
	unsigned char sig[64];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx != NULL && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	    EVP_DigestSign(ctx, sig, &siglen, buf, len) == 1 && siglen == 64;
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		err_set(e, "crypto_error", "could not sign");
		return -1;
	}
	b64_encode(sig, 64, out, SIGN_SIG_B64_LEN + 1);
	return 0;
}

int
sign_verify(const char *pub_b64, const void *buf, size_t len, const char *sig_b64,
    struct mm_err *e)
{
	unsigned char pub[33], sig[65];
	EVP_PKEY *pkey;
	EVP_MD_CTX *ctx;
	int ok;

	if (b64_decode(pub_b64, strlen(pub_b64), pub, sizeof(pub)) != 32 ||
	    (pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32)) == NULL) {
		err_set(e, "bad_key", "the stored public key is not an Ed25519 key");
		return -1;
	}
	if (b64_decode(sig_b64, strlen(sig_b64), sig, sizeof(sig)) != 64) {
		EVP_PKEY_free(pkey);
		err_set(e, "bad_signature_encoding", "the signature is not 64 bytes of base64");
		return -1;
	}
	ctx = EVP_MD_CTX_new();
	ok = ctx != NULL && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
	    EVP_DigestVerify(ctx, sig, 64, buf, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	if (!ok) {
		err_set(e, "signature_mismatch", "the signature does not match the report and the device's key");
		return -1;
	}
	return 0;
}
