/* fuzz_jsonpos: locating values by path in arbitrary text, as policy error
 * messages do after jansson has refused or accepted the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common/jsonpos.h"

static const struct jsonpos_step p_accounts[] = { { "accounts", 0 }, { "min_uid", 0 } };
static const struct jsonpos_step p_deny[] = { { "p2p", 0 }, { "deny", 0 }, { NULL, 1 },
	{ "packages", 0 }, { NULL, 0 } };
static const struct jsonpos_step p_arr[] = { { NULL, 0 }, { NULL, 3 }, { "a", 0 } };
static const struct jsonpos_step p_checks[] = { { "checks", 0 },
	{ "account.password_set", 0 }, { "severity", 0 } };
static const struct jsonpos_step p_empty[] = { { "", 0 } };

static const struct {
	const struct jsonpos_step *p;
	size_t depth;
} paths[] = {
	{ NULL, 0 },
	{ p_accounts, 2 },
	{ p_deny, 5 },
	{ p_arr, 3 },
	{ p_checks, 3 },
	{ p_empty, 1 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *b = malloc(size ? size : 1);

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		for (int want_key = 0; want_key < 2; want_key++) {
			int line = 0, col = 0;
			if (jsonpos_locate(b, size, paths[i].p, paths[i].depth, want_key,
			    &line, &col) == 0 && (line < 1 || col < 1 ||
			    (size_t)line > size + 1 || (size_t)col > size + 1))
				__builtin_trap();
		}
	free(b);
	return 0;
}
