/* clock: the collector's idea of now. Tests set MAMORI_COLLECTOR_NOW (Unix
 * seconds) to create an already-expired token or to age state; it is not
 * an operator's setting and is documented only for tests. */
#ifndef MAMORI_COLL_CLOCK_H
#define MAMORI_COLL_CLOCK_H

#include <stddef.h>
#include <time.h>

time_t clock_now(void);
/* RFC 3339 UTC ("2026-11-24T09:30:00Z"); "-" for 0. */
void clock_format(time_t t, char *out, size_t outlen);

#endif
