/* fuzz_gvdb: a GVDB file from anywhere (a person's ~/.config/dconf/user is
 * theirs to write): open, look keys up, follow nested tables, decode what
 * the values hold, list every name. Nothing may read out of bounds, loop
 * or leak; a refusal must carry a reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/gvariant.h"
#include "platform/gvdb.h"

/* What dconf and GSettings look up in such files. */
static const char *const keys[] = {
	"/org/gnome/desktop/session/idle-delay",
	"/org/gnome/desktop/screensaver/lock-enabled",
	"/org/gnome/desktop/screensaver/lock-delay",
	"/org/mate/desktop/session/idle-delay",
	"/a/b/c", "/e/f", "/k", "", "idle-delay", "lock-enabled", ".path",
};
static const char *const tables[] = {
	".locks", "org.gnome.desktop.session", "org.gnome.desktop.screensaver",
	"org.mate.screensaver", "org.cinnamon.desktop.session",
};

static void
decode(const unsigned char *v, size_t vl, int be)
{
	struct gvariant gv, item;
	struct mm_err e;
	uint32_t u;
	int32_t i;
	int b;
	const char *s;
	size_t sl;

	if (gvariant_from_variant(v, vl, be, &gv, &e) == -1) {
		if (e.reason == NULL)
			__builtin_trap();
		return;
	}
	(void)gvariant_get_u32(&gv, &u, &e);
	(void)gvariant_get_i32(&gv, &i, &e);
	(void)gvariant_get_bool(&gv, &b, &e);
	if (gvariant_get_string(&gv, &s, &sl, &e) == 0 && strlen(s) != sl)
		__builtin_trap();
	/* A compiled schema key: the default is member 0. */
	for (size_t k = 0; k < 3; k++)
		if (gvariant_tuple_item(&gv, k, &item, &e) == 0 &&
		    (item.data < gv.data || item.data + item.len > gv.data + gv.len))
			__builtin_trap();
}

static void
probe(const struct gvdb *t)
{
	struct mm_err e;
	const unsigned char *v;
	size_t vl;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		int rc = gvdb_lookup(t, keys[i], &v, &vl, &e);

		if (rc == 1) {
			if (v < t->buf || v + vl > t->buf + t->len)
				__builtin_trap();
			decode(v, vl, t->big_endian);
		} else if (rc == -1 && e.reason == NULL)
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *b = malloc(size ? size : 1);
	struct gvdb t, sub, subsub;
	struct mm_err e;
	char **names;
	size_t n;

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	e.reason = NULL;
	if (gvdb_open(b, size, &t, &e) == 0) {
		probe(&t);
		for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
			if (gvdb_lookup_table(&t, tables[i], &sub, &e) == 1) {
				probe(&sub);
				if (gvdb_lookup_table(&sub, tables[0], &subsub, &e) == 1)
					probe(&subsub);
			}
		if (gvdb_names(&t, &names, &n, &e) == 0) {
			/* Every listed name that is a value must be found again. */
			for (size_t i = 0; i < n && i < 64; i++) {
				const unsigned char *v;
				size_t vl;

				if (gvdb_lookup(&t, names[i], &v, &vl, &e) == 1)
					decode(v, vl, t.big_endian);
			}
			gvdb_free_names(names, n);
		}
	} else if (e.reason == NULL)
		__builtin_trap();
	free(b);
	return 0;
}
