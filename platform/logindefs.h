/* logindefs: /etc/login.defs, the shadow suite's "KEY VALUE" settings. */
#ifndef MAMORI_LOGINDEFS_H
#define MAMORI_LOGINDEFS_H

#include <stddef.h>
#include "common/err.h"

struct logindefs_item {
	char *key, *value;
};

struct logindefs {
	struct logindefs_item *v;
	size_t n;
};

/* Binary content (NUL or control bytes) is refused with parse_error and the
 * line it was met on; a line that is not KEY VALUE is skipped, as login(1)
 * does. A later repetition of a key wins. */
int logindefs_parse(const char *buf, size_t len, struct logindefs *out,
    struct mm_err *e);
/* The value of key, or NULL when the file does not set it. */
const char *logindefs_get(const struct logindefs *d, const char *key);
/* The value as a whole number; 1 found, 0 not set, -1 set but not a number. */
int logindefs_get_long(const struct logindefs *d, const char *key, long *out);
void logindefs_free(struct logindefs *d);

#endif
