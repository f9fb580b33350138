/* err: filling an error record; the only place that formats one. */
#include <stdarg.h>
#include <stdio.h>
#include "common/err.h"

void
err_clear(struct mm_err *e)
{
	if (e == NULL)
		return;
	e->reason = NULL;
	e->msg[0] = '\0';
}

void
err_set(struct mm_err *e, const char *reason, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return;
	e->reason = reason;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}
