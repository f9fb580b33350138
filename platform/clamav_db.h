/* clamav_db: the header of a ClamAV signature database (main, daily,
 * bytecode; .cvd as downloaded, .cld as freshclam keeps it after applying
 * updates). The first 512 bytes are ASCII, padded with spaces:
 *
 *   ClamAV-VDB:BUILD TIME:VERSION:SIGS:FLEVEL:MD5:DSIG:BUILDER:STIME
 *
 * BUILD TIME is "%d %b %Y %H-%M %z" (hyphen, because ':' separates the
 * fields), STIME the same moment in seconds since the epoch (sigtool's
 * build(), libclamav's cl_cvdparse). The age of the signatures is read
 * from STIME, never from the file's modification time, which a copy or a
 * restore changes. */
#ifndef MAMORI_CLAMAV_DB_H
#define MAMORI_CLAMAV_DB_H

#include <stddef.h>
#include "common/err.h"

#define CLAMAV_DB_HEADER_LEN 512

struct clamav_db_header {
	char build_time[64];	/* as written: "14 Nov 2023 07-33 -0500" */
	long version;		/* daily: one more each update */
	long sigs;		/* signatures in the database */
	long flevel;		/* engine functionality level it needs */
	char builder[64];
	long long stime;	/* build time, seconds since the epoch */
};

/* Parses the header at the start of buf (only its first 512 bytes are
 * looked at). 0, or -1 with e->reason "parse_error": not a ClamAV
 * database, a field missing or not a number, bytes that are not text. */
int clamav_db_parse(const char *buf, size_t len, struct clamav_db_header *h,
    struct mm_err *e);

#endif
