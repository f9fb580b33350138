/* fuzz_pwquality: pwquality.conf parsing, each line again as a
 * pam_pwquality and a pam_cracklib module argument, and the floor. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/pwquality.h"

static void
check_floor(const struct pwquality *q)
{
	struct pwquality_guarantee g;

	pwquality_guarantee(q, &g);
	if (g.min_length < 1)
		__builtin_trap();
	if ((q->dictcheck || q->cracklib) && g.min_length < 6)
		__builtin_trap();
	if (q->dcredit < 0 && !g.digits)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pwquality q, a, c;
	struct mm_err e;
	size_t stop;
	char *copy;
	int rc;

	pwquality_defaults(&q);
	rc = pwquality_parse((const char *)data, size, &q, &stop, &e);
	if (rc == -1) {
		if (e.reason == NULL)
			__builtin_trap();
		return 0;
	}
	if ((rc == 1) != (stop > 0) || q.minlen < 6 || q.minclass > 4)
		__builtin_trap();
	check_floor(&q);

	copy = malloc(size + 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	pwquality_defaults(&a);
	pwquality_cracklib_defaults(&c);
	for (char *line = copy, *next; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		(void)pwquality_apply_arg(&a, line);
		pwquality_cracklib_arg(&c, line);
	}
	if (a.minlen < 6 || c.minlen < 5 || a.minclass > 4 || c.minclass > 4)
		__builtin_trap();
	check_floor(&a);
	check_floor(&c);
	free(copy);
	return 0;
}
