/* fuzz_report_check: a report body as a client may send it. Whatever the
 * bytes, validation either refuses with a message or yields a summary
 * whose every field is inside what the store and the dashboard expect.
 * The strict JSON scanner under it must agree with jansson (strict mode,
 * duplicates refused) on what is JSON at all, except where the two differ
 * on purpose: jansson refuses numbers it cannot hold and is lax about NUL
 * bytes; the scanner caps nesting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "server-stub/jscan.h"
#include "server-stub/report_check.h"

static int
printable(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

static int
one_of(const char *s, const char *a, const char *b, const char *c, const char *d)
{
	return strcmp(s, a) == 0 || strcmp(s, b) == 0 || strcmp(s, c) == 0 ||
	    (d != NULL && strcmp(s, d) == 0);
}

static void
differential(const char *b, size_t size)
{
	struct jscan j;
	struct mm_err e;
	json_error_t jerr;
	json_t *root;
	int ours, theirs;

	ours = jscan_parse(&j, b, size, 256, &e) == 0;
	jscan_free(&j);
	/* A raw NUL byte is never JSON (not whitespace, not allowed in a
	 * string); jansson is lax about some (it reads one as the end of the
	 * text, or skips it after a number), so no comparison there. */
	if (memchr(b, '\0', size) != NULL) {
		if (ours)
			__builtin_trap();
		return;
	}
	root = json_loadb(b, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	theirs = root != NULL;
	json_decref(root);
	if (ours && !theirs && strstr(jerr.text, "too big") == NULL &&
	    strstr(jerr.text, "overflow") == NULL && strstr(jerr.text, "maximum parsing depth") == NULL)
		__builtin_trap();	/* we accept what jansson calls invalid JSON */
	if (!ours && theirs && strstr(e.msg, "nest too deep") == NULL)
		__builtin_trap();	/* we refuse valid JSON */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_summary s;
	struct mm_err e;
	char *b = malloc(size ? size : 1);

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	differential(b, size);
	err_clear(&e);
	if (report_check(b, size, &s, &e) == 0) {
		if (!printable(s.device_id, REPORT_MAX_DEVICE_ID) ||
		    s.sequence < 1 || s.sequence > REPORT_MAX_SEQUENCE ||
		    s.dropped < 0 || s.dropped > REPORT_MAX_SEQUENCE ||
		    !printable(s.generated_at, REPORT_MAX_TIME) ||
		    !one_of(s.verdict, "compliant", "noncompliant", "unknown", NULL) ||
		    s.n_checks > REPORT_MAX_CHECKS)
			__builtin_trap();
		for (size_t i = 0; i < s.n_checks; i++) {
			if (!printable(s.checks[i].id, REPORT_MAX_ID) ||
			    !printable(s.checks[i].article, REPORT_MAX_ID) ||
			    !one_of(s.checks[i].severity, "required", "advisory", "required", NULL) ||
			    !one_of(s.checks[i].verdict, "pass", "fail", "not_applicable", "unknown"))
				__builtin_trap();
			for (size_t k = 0; k < i; k++)
				if (strcmp(s.checks[k].id, s.checks[i].id) == 0)
					__builtin_trap();
		}
		report_summary_free(&s);
	} else if (e.reason == NULL || e.msg[0] == '\0' || s.arena != NULL) {
		__builtin_trap();
	}
	free(b);
	return 0;
}
