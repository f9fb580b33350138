/* password: the dashboard administrators' passwords — the rule they must
 * follow (article 15-3 of the network's policy: at least 8 characters,
 * letters and digits) and their storage as scrypt hashes through
 * OpenSSL's EVP_KDF (why scrypt: docs/dashboard.md). */
#ifndef MAMORI_COLL_PASSWORD_H
#define MAMORI_COLL_PASSWORD_H

#include <stddef.h>
#include "common/err.h"

#define PASSWORD_MIN_LEN 8
#define PASSWORD_MAX_LEN 256		/* bytes: longer input is refused, not truncated */
#define PASSWORD_MAX_AGE_DAYS 60	/* older passwords must be changed at login */
/* "scrypt$LOG2N$R$P$SALT$HASH", salt and hash in base64 */
#define PASSWORD_HASH_MAX 160

/* 0 if the password follows the rule; -1 with reason "weak_password" and
 * a message that says what is missing. */
int password_check_rule(const char *pw, struct mm_err *e);
/* A new hash with a fresh random salt and the current parameters. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX], struct mm_err *e);
/* 1 if pw matches the stored hash, 0 if not, -1 if the hash is not one
 * this program can read (reason "bad_hash"). Compares in constant time. */
int password_verify(const char *pw, const char *stored, struct mm_err *e);

#endif
