/* fuzz_kconfig: KDE's INI dialect through a two-file cascade (a system
 * file, then a person's), with the invariants kde_lock relies on: every
 * entry found by its group and key, immutability never lost, numbers and
 * booleans always answered. The first byte chooses where the input is cut
 * into the two files. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/kconfig.h"

static void
check_shape(const struct kconfig *kc)
{
	for (size_t i = 0; i < kc->n; i++) {
		const struct kconfig_entry *en = &kc->v[i];
		int b;

		/* One entry per group and key, never an empty key. */
		if (en->key[0] == '\0' || kconfig_entry(kc, en->group, en->key) != en)
			__builtin_trap();
		if (en->origin > 1)
			__builtin_trap();
		if (en->immutable && !kconfig_is_immutable(kc, en->group, en->key))
			__builtin_trap();
		b = kconfig_bool(en->value, 2);
		if (b != 0 && b != 1 && !(b == 2 && en->value == NULL))
			__builtin_trap();
		(void)kconfig_int(en->value, 5);
		{
			double d = kconfig_double(en->value, 5.0);
			if (d != d)	/* NaN never comes out */
				__builtin_trap();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kconfig kc;
	struct mm_err e;
	size_t cut;
	char *b;

	if (size == 0)
		return 0;
	cut = (size_t)data[0] * (size - 1) / 255;
	data++;
	size--;
	b = malloc(size ? size : 1);
	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	kconfig_init(&kc);
	err_clear(&e);
	if (kconfig_parse(&kc, b, cut, KCONFIG_DEFAULTS, 0, &e) == 0) {
		check_shape(&kc);
		if (!kc.file_immutable) {
			/* What the system made immutable must stay so, with its value. */
			size_t n0 = kc.n;
			char **vals = calloc(n0 ? n0 : 1, sizeof(*vals));
			int *imm = calloc(n0 ? n0 : 1, sizeof(*imm));

			if (vals == NULL || imm == NULL)
				abort();
			for (size_t i = 0; i < n0; i++) {
				imm[i] = kc.v[i].immutable;
				vals[i] = kc.v[i].value ? strdup(kc.v[i].value) : NULL;
			}
			err_clear(&e);
			if (kconfig_parse(&kc, b + cut, size - cut, KCONFIG_LOCAL, 1, &e) == 0) {
				check_shape(&kc);
				for (size_t i = 0; i < n0 && i < kc.n; i++)
					if (imm[i] && ((vals[i] == NULL) != (kc.v[i].value == NULL) ||
					    (vals[i] != NULL && strcmp(vals[i], kc.v[i].value) != 0) ||
					    kc.v[i].origin != 0))
						__builtin_trap();
			} else if (e.reason == NULL)
				__builtin_trap();
			for (size_t i = 0; i < n0; i++)
				free(vals[i]);
			free(vals);
			free(imm);
		}
	} else if (e.reason == NULL)
		__builtin_trap();
	kconfig_free(&kc);
	free(b);
	return 0;
}
