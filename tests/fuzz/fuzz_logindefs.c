/* fuzz_logindefs: /etc/login.defs parsing and lookups. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/logindefs.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
		"PASS_MAX_DAYS", "PASS_MIN_DAYS", "ENCRYPT_METHOD", "UMASK", "",
	};
	struct logindefs d;
	struct mm_err e;
	char *b = malloc(size ? size : 1);
	long v;

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	if (logindefs_parse(b, size, &d, &e) == 0) {
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			const char *s = logindefs_get(&d, keys[i]);
			int got = logindefs_get_long(&d, keys[i], &v);
			/* A key is a number, not a number, or absent — consistently. */
			if ((s == NULL) != (got == 0))
				__builtin_trap();
		}
		for (size_t i = 0; i < d.n; i++)
			if (d.v[i].key[0] == '\0' || d.v[i].value[0] == '\0' ||
			    logindefs_get(&d, d.v[i].key) == NULL)
				__builtin_trap();
		logindefs_free(&d);
	} else if (e.reason == NULL)
		__builtin_trap();
	free(b);
	return 0;
}
