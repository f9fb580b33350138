/* daemon_log: the daemon's log lines, for `mamori daemon` and
 * mamori-watchd alike; see daemon_log.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include "agent/daemon_log.h"

static int journal;	/* stderr is the journal: lines carry <N> priorities */
static int verbose_log;

void
daemon_log_verbose(int on)
{
	verbose_log = on;
}

int
daemon_log_is_verbose(void)
{
	return verbose_log;
}

void
daemon_log_open(void)
{
	journal = getenv("JOURNAL_STREAM") != NULL;
}

void
daemon_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !verbose_log)
		return;
	if (journal)
		fprintf(stderr, "<%d>", prio);
	else
		fputs("mamori daemon: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
