/* Fuzz target: /etc/crypttab (platform/crypttab.c).
 *
 * Invariants: parsing never fails but for binary input or memory; every
 * name kept is non-empty, shorter than CRYPTTAB_NAME_MAX, holds no blank
 * and no '/', and is found again by crypttab_find; no more than
 * CRYPTTAB_MAX_ENTRIES are kept. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "platform/crypttab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crypttab ct;
	struct mm_err e;

	if (crypttab_parse((const char *)data, size, &ct, &e) == -1) {
		if (e.reason == NULL)
			__builtin_trap();
		return 0;
	}
	if (ct.n > CRYPTTAB_MAX_ENTRIES || (ct.truncated && ct.n != CRYPTTAB_MAX_ENTRIES))
		__builtin_trap();
	for (size_t i = 0; i < ct.n; i++) {
		size_t l = strlen(ct.v[i].name);

		if (l == 0 || l >= CRYPTTAB_NAME_MAX || strpbrk(ct.v[i].name, " \t\r\n/") != NULL)
			__builtin_trap();
		if (crypttab_find(&ct, ct.v[i].name) == NULL)
			__builtin_trap();
	}
	crypttab_free(&ct);
	return 0;
}
