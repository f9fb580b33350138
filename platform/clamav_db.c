/* clamav_db: see clamav_db.h. Stricter than cl_cvdparse, which takes
 * atoi() of anything: a field that is not a number, or a build time
 * before ClamAV existed, is a garbled header, and a garbled header is
 * "could not be read", never an age. */
#include <stdio.h>
#include <string.h>
#include "platform/clamav_db.h"
#include "platform/text.h"

#define MAGIC "ClamAV-VDB:"
#define MAX_FIELDS 16
#define STIME_MIN 946684800LL		/* 2000-01-01: older is not a real header */
#define STIME_MAX 32503680000LL		/* 3000-01-01 */

static int
all_digits(const char *s, size_t n)
{
	if (n == 0 || n > 18)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
number(const char *s, size_t n, long *out)
{
	return all_digits(s, n) && text_parse_long(s, n, 0, out) == 0 ? 0 : -1;
}

static int
copy_field(char *dst, size_t dstlen, const char *s, size_t n)
{
	if (n >= dstlen)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

int
clamav_db_parse(const char *buf, size_t len, struct clamav_db_header *h,
    struct mm_err *e)
{
	const char *f[MAX_FIELDS + 1];
	size_t fl[MAX_FIELDS + 1], n = 0, nf;
	long stime;

	memset(h, 0, sizeof(*h));
	if (len > CLAMAV_DB_HEADER_LEN)
		len = CLAMAV_DB_HEADER_LEN;
	if (len < sizeof(MAGIC) - 1 || memcmp(buf, MAGIC, sizeof(MAGIC) - 1) != 0) {
		err_set(e, "parse_error", "not a ClamAV database: the header does not start with \"%s\"", MAGIC);
		return -1;
	}
	/* The header ends at a line break or NUL, then the space padding. */
	while (n < len && buf[n] != '\n' && buf[n] != '\r' && buf[n] != '\0')
		n++;
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e) {
			err_set(e, "parse_error", "the ClamAV database header holds binary data at byte %zu", i);
			return -1;
		}
	nf = text_split(buf, n, ':', f, fl, MAX_FIELDS);
	if (nf < 9 || nf > MAX_FIELDS) {
		err_set(e, "parse_error", "the ClamAV database header has %zu fields; 9 were expected", nf);
		return -1;
	}
	if (fl[1] == 0 || copy_field(h->build_time, sizeof(h->build_time), f[1], fl[1]) == -1 ||
	    copy_field(h->builder, sizeof(h->builder), f[7], fl[7]) == -1) {
		err_set(e, "parse_error", "the ClamAV database header has a bad build time or builder");
		return -1;
	}
	if (number(f[2], fl[2], &h->version) == -1 || number(f[3], fl[3], &h->sigs) == -1 ||
	    number(f[4], fl[4], &h->flevel) == -1) {
		err_set(e, "parse_error", "the ClamAV database header's version, signature count or level is not a number");
		return -1;
	}
	if (number(f[8], fl[8], &stime) == -1 || stime < STIME_MIN || stime > STIME_MAX) {
		err_set(e, "parse_error", "the ClamAV database header has no valid build time in seconds");
		return -1;
	}
	h->stime = stime;
	return 0;
}
