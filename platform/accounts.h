/* accounts: who the persons on a machine are — the accounts someone can
 * log in with — joined with what shadow says of their passwords. Loaded
 * once per scan and shared by every check that speaks of people. */
#ifndef MAMORI_ACCOUNTS_H
#define MAMORI_ACCOUNTS_H

#include <stddef.h>
#include "common/err.h"
#include "common/policy.h"
#include "platform/passwd.h"
#include "platform/root.h"

struct person {
	char *name;
	long uid;
	char *home;		/* as in passwd, absolute */
	enum pw_state pw;	/* from shadow when passwd says "x" */
	int in_shadow;		/* shadow has an entry for this name */
	long last_change;	/* shadow field 3; -1 empty, 0 must change */
	long max_days;		/* shadow field 5; -1 empty */
};

struct people {
	struct person *v;
	size_t n;
	int passwd_ok;		/* 0: passwd could not be read; see passwd_err */
	int shadow_ok;		/* 0: shadow could not be read; see shadow_err */
	struct mm_err passwd_err, shadow_err;
	size_t malformed;	/* lines of passwd/shadow skipped */
};

/* Reads /etc/passwd and /etc/shadow under root. Never fails as a whole:
 * what could not be read is recorded so checks can answer `unknown`. */
void people_load(struct people *pp, const struct root *r, const struct policy *pol);
/* The same from buffers (tests, fuzzing); shadow may be NULL (unreadable). */
void people_from_buffers(struct people *pp, const char *passwd, size_t plen,
    const char *shadow, size_t slen, const struct policy *pol);
void people_free(struct people *pp);

/* Whether a passwd entry is a person under the policy. */
int people_is_person(const struct passwd_entry *pw, const struct policy *pol);

#endif
