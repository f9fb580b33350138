/* fuzz_policy: a policy file over the built-in default. Whatever the bytes,
 * loading either fails with a message or yields a policy whose values are
 * inside the documented bounds; nothing leaks either way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "agent/scan.h"
#include "common/policy.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_known k = scan_known_checks();
	struct policy p;
	struct mm_err e;
	char *b = malloc(size ? size : 1);

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	err_clear(&e);
	if (policy_load_buf(&p, b, size, "fuzz.json", &k, &e) == 0) {
		if (p.accounts.min_uid > p.accounts.max_uid || p.accounts.min_uid < 1 ||
		    p.password.max_age_days < 1 || p.password.max_age_days > 3650 ||
		    p.id[0] == '\0' || strlen(p.sha256) != 64 ||
		    p.n_checks > POLICY_MAX_CHECKS)
			__builtin_trap();
		for (size_t i = 0; i < p.n_checks; i++)
			if (policy_severity(&p, p.checks[i].id) > SEV_OFF)
				__builtin_trap();
		policy_free(&p);
	} else if (e.reason == NULL || e.msg[0] == '\0')
		__builtin_trap();
	free(b);
	return 0;
}
