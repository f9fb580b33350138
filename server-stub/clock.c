/* clock: now, with the test override; see clock.h. */
#include <stdio.h>
#include <stdlib.h>
#include "server-stub/clock.h"

time_t
clock_now(void)
{
	const char *fake = getenv("MAMORI_COLLECTOR_NOW");
	char *end;
	long long v;

	if (fake != NULL && *fake != '\0') {
		v = strtoll(fake, &end, 10);
		if (*end == '\0' && v > 0)
			return (time_t)v;
	}
	return time(NULL);
}

void
clock_format(time_t t, char *out, size_t outlen)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(out, outlen, "-");
		return;
	}
	strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
