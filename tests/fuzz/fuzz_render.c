/* fuzz_render: message templates filled from a subject and evidence, into
 * a small buffer so that truncation is exercised. The input is one byte of
 * output size, then template NUL subject NUL evidence-JSON. When template
 * and subject are valid UTF-8 (JSON strings always are), the output must
 * be too: a notification must never carry half a character. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "common/render.h"
#include "common/utf8.h"

/* The next NUL-terminated part of [*d, *d + *n) as a new string. */
static char *
part(const uint8_t **d, size_t *n)
{
	const uint8_t *z = memchr(*d, '\0', *n);
	size_t len = z ? (size_t)(z - *d) : *n;
	char *s = malloc(len + 1);

	if (s == NULL)
		abort();
	memcpy(s, *d, len);
	s[len] = '\0';
	*d += z ? len + 1 : len;
	*n -= z ? len + 1 : len;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tmpl, *subject, *out;
	json_t *ev = NULL;
	size_t outlen;

	if (size < 1)
		return 0;
	outlen = data[0] % 48;	/* 0 is allowed: nothing may be written */
	data++;
	size--;
	tmpl = part(&data, &size);
	subject = part(&data, &size);
	if (size > 0)
		ev = json_loadb((const char *)data, size, 0, NULL);
	out = malloc(outlen ? outlen : 1);
	if (out == NULL)
		abort();
	render_msg(tmpl, subject, ev, out, outlen);
	if (outlen > 0) {
		size_t n = strnlen(out, outlen);
		if (n >= outlen)
			__builtin_trap();
		if (utf8_valid(tmpl, strlen(tmpl)) && utf8_valid(subject, strlen(subject)) &&
		    !utf8_valid(out, n))
			__builtin_trap();
	}
	free(out);
	json_decref(ev);
	free(tmpl);
	free(subject);
	return 0;
}
