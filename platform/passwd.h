/* passwd: parsers for /etc/passwd and /etc/shadow. The shadow parser keeps
 * only what the checks need to know about a password — empty, locked or
 * set — never the hash itself, so it cannot leak into a report. */
#ifndef MAMORI_PASSWD_H
#define MAMORI_PASSWD_H

#include <stddef.h>
#include "common/err.h"

enum pw_state {
	PW_SET = 0,	/* a hash is present */
	PW_EMPTY,	/* empty field: login without a password */
	PW_LOCKED,	/* "!" or "*" prefix: no password login */
	PW_SHADOWED,	/* passwd field "x": look in shadow */
};

struct passwd_entry {
	char *name;
	long uid, gid;
	char *home, *shell;
	enum pw_state pw;
};

struct shadow_entry {
	char *name;
	enum pw_state pw;
	long last_change;	/* days since 1970-01-01; -1 empty; 0 = must change */
	long max_days;		/* -1 when empty */
};

/* Malformed lines (wrong field count, bad numbers) are counted in
 * *malformed and skipped, as the C library does; NIS "+"/"-" lines too.
 * Returns -1 only for input that is not text at all or on no memory. */
int passwd_parse(const char *buf, size_t len, struct passwd_entry **out,
    size_t *n, size_t *malformed, struct mm_err *e);
void passwd_free(struct passwd_entry *v, size_t n);

int shadow_parse(const char *buf, size_t len, struct shadow_entry **out,
    size_t *n, size_t *malformed, struct mm_err *e);
void shadow_free(struct shadow_entry *v, size_t n);

#endif
