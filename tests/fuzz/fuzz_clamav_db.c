/* fuzz_clamav_db: the header of a ClamAV signature database, as read from
 * the first 512 bytes of daily.cvd/daily.cld. Whatever the bytes, the
 * parser either refuses them with a reason or returns a header whose
 * build time is plausible and whose strings are terminated; and it looks
 * at no byte past the 512th. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/clamav_db.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct clamav_db_header h, h2;
	struct mm_err e;
	char *b = malloc(size ? size : 1);
	int rc, rc2;

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	err_clear(&e);
	rc = clamav_db_parse(b, size, &h, &e);
	if (rc == 0) {
		if (h.stime < 946684800LL || h.build_time[0] == '\0' ||
		    memchr(h.build_time, '\0', sizeof(h.build_time)) == NULL ||
		    memchr(h.builder, '\0', sizeof(h.builder)) == NULL ||
		    h.version < 0 || h.sigs < 0 || h.flevel < 0)
			__builtin_trap();
	} else if (e.reason == NULL || strcmp(e.reason, "parse_error") != 0)
		__builtin_trap();
	/* Only the header counts: the same bytes cut at 512 give the same answer. */
	if (size > CLAMAV_DB_HEADER_LEN) {
		rc2 = clamav_db_parse(b, CLAMAV_DB_HEADER_LEN, &h2, &e);
		if (rc2 != rc || (rc == 0 && (h2.stime != h.stime || h2.version != h.version)))
			__builtin_trap();
	}
	free(b);
	return 0;
}
