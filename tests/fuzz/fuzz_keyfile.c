/* fuzz_keyfile: INI/key-file parsing in the three dialects, lookups,
 * booleans and overlaying, with the invariants the checks rely on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/keyfile.h"

static void
check_shape(const struct keyfile *kf)
{
	for (size_t i = 0; i < kf->n; i++) {
		const struct keyfile_group *g = &kf->g[i];

		/* One group per name, found by its name. */
		if (keyfile_group(kf, g->name) != g)
			__builtin_trap();
		for (size_t k = 0; k < g->n; k++) {
			const struct keyfile_entry *en = &g->v[k];
			/* One entry per key, found by its key; never empty. */
			if (en->key[0] == '\0' || keyfile_entry(kf, g->name, en->key) != en)
				__builtin_trap();
			for (int d = KEYFILE_BOOL_GLIB; d <= KEYFILE_BOOL_SDDM; d++) {
				int b = keyfile_bool(en->value, (enum keyfile_bool_dialect)d);
				if (b < -1 || b > 1)
					__builtin_trap();
				/* LightDM and SDDM never call a value "not a boolean". */
				if (b == -1 && d >= KEYFILE_BOOL_LIGHTDM)
					__builtin_trap();
			}
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int flags[] = { KEYFILE_DEFAULT, KEYFILE_GLIB, KEYFILE_SDDM };
	struct keyfile all;
	struct mm_err e;
	char *b = malloc(size ? size : 1);

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	memset(&all, 0, sizeof(all));
	for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
		struct keyfile kf;

		err_clear(&e);
		if (keyfile_parse(b, size, flags[f], &kf, &e) != 0) {
			if (e.reason == NULL || kf.n != 0)
				__builtin_trap();
			continue;
		}
		check_shape(&kf);
		if (flags[f] != KEYFILE_GLIB && kf.rejected_line != 0)
			__builtin_trap();
		if (flags[f] == KEYFILE_GLIB && kf.skipped != 0)
			__builtin_trap();
		/* Overlaying: every key of the newer file reads back as it. */
		if (keyfile_merge(&all, &kf, f, &e) == 0) {
			for (size_t i = 0; i < kf.n; i++)
				for (size_t k = 0; k < kf.g[i].n; k++) {
					const struct keyfile_entry *en =
					    keyfile_entry(&all, kf.g[i].name, kf.g[i].v[k].key);
					if (en == NULL || en->origin != f ||
					    strcmp(en->value, kf.g[i].v[k].value) != 0)
						__builtin_trap();
				}
			check_shape(&all);
		} else if (e.reason == NULL)
			__builtin_trap();
		keyfile_free(&kf);
	}
	keyfile_free(&all);
	free(b);
	return 0;
}
