/* fuzz_dpkg: the dpkg status database. Every package the parser keeps must
 * be found again by name (the table is sorted for bsearch). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/dpkg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "bash", "transmission-gtk", "clamav", "", "zzz" };
	struct dpkg_db db;
	struct mm_err e;
	char *b = malloc(size ? size : 1);

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	if (dpkg_parse(b, size, &db, &e) == 0) {
		for (size_t i = 0; i < db.n; i++) {
			const struct dpkg_pkg *p = dpkg_installed(&db, db.v[i].name);
			if (p == NULL || strcmp(p->name, db.v[i].name) != 0 || !p->installed)
				__builtin_trap();
			if (i > 0 && strcmp(db.v[i - 1].name, db.v[i].name) > 0)
				__builtin_trap();
		}
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			const struct dpkg_pkg *p = dpkg_installed(&db, names[i]);
			if (p != NULL && strcmp(p->name, names[i]) != 0)
				__builtin_trap();
		}
		dpkg_free(&db);
	} else if (e.reason == NULL)
		__builtin_trap();
	free(b);
	return 0;
}
