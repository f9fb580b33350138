/* fuzz_logindb: a Chromium "Login Data" file as the person who owns the
 * profile may leave it — damaged, from another program, or made to hurt
 * whoever opens it (a schema with expensive generated columns, views or
 * virtual tables named "logins"). The input is the file; it is counted
 * from memory with SQLite read-only, as browser.no_saved_passwords counts
 * it (platform/browsers.c browsers_logindb_count).
 *
 * Invariants: a count is never negative and never more rows than the file
 * has bytes; a refusal says which of the documented reasons it is and
 * counts nothing; the input is never written to; nothing is left open or
 * allocated (LeakSanitizer). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/browsers.h"

static int
known_reason(const char *r)
{
	static const char *const reasons[] = { "db_corrupt", "db_schema_unknown", "db_too_slow",
	    "db_unreadable", "out_of_memory", "file_too_large" };

	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(r, reasons[i]) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mm_err e;
	long count = -7;
	char *b = malloc(size ? size : 1);
	int rc;

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	err_clear(&e);
	rc = browsers_logindb_count(b, size, &count, &e);
	if (rc == 0) {
		if (count < 0 || (size_t)count > size)
			__builtin_trap();
	} else if (rc != -1 || count != 0 || e.reason == NULL || !known_reason(e.reason) ||
	    e.msg[0] == '\0') {
		__builtin_trap();
	}
	/* The caller's bytes are its own: the WAL flag is changed in a copy. */
	if (size && memcmp(b, data, size) != 0)
		__builtin_trap();
	free(b);
	return 0;
}
