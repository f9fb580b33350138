/* logline: single-line log records on stderr; see logline.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "server-stub/logline.h"

void
logline(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "mamori-collector: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	/* One write per line: lines of different threads never interleave. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void
logline_clean(char *out, size_t outlen, const char *in)
{
	size_t i;

	if (outlen == 0)
		return;
	for (i = 0; in != NULL && in[i] != '\0' && i + 1 < outlen; i++)
		out[i] = (unsigned char)in[i] >= 0x20 && (unsigned char)in[i] < 0x7f ? in[i] : '?';
	out[i] = '\0';
}
