/* gvdb: dconf databases as `dconf compile` writes them — nested keys,
 * the ".locks" table an administrator's lock lives in — and files that
 * are not sound: each corruption below names what it breaks, and each
 * must end in "parse_error" (or simply "no such key"), never a crash. */
#include "testutil.h"
#include "platform/gvariant.h"
#include "platform/gvdb.h"

/* --- a tiny GVDB writer, flat tables only, for shapes dconf never writes */

struct titem {
	const char *key;	/* the item's own key bytes */
	const char *full;	/* the full name it is hashed by (NULL: key) */
	uint32_t parent;	/* 0xffffffff: none */
	char type;		/* 'v', 'H', 'L' */
	const unsigned char *val;
	size_t vlen;
};

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t
djb(const char *s)
{
	uint32_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (uint32_t)(int32_t)(signed char)*s;
	return h;
}

/* One table of n items in one bucket at offset 24; keys and values after
 * it (values 8-aligned). Returns the file size. */
static size_t
build(unsigned char *out, size_t cap, int big_endian, const struct titem *it, size_t n)
{
	size_t table = 24, items = table + 8 + 4, pos = items + n * 24;

	assert_true(pos < cap);
	memset(out, 0, cap);
	memcpy(out, big_endian ? "raVGtnai" : "GVariant", 8);
	put32(out + 16, (uint32_t)table);
	put32(out + 20, (uint32_t)(items + n * 24));
	put32(out + table, 0);		/* no bloom filter */
	put32(out + table + 4, 1);	/* one bucket */
	put32(out + table + 8, 0);	/* it starts at item 0 */
	for (size_t i = 0; i < n; i++) {
		unsigned char *p = out + items + i * 24;
		size_t kl = strlen(it[i].key);

		put32(p, djb(it[i].full ? it[i].full : it[i].key));
		put32(p + 4, it[i].parent);
		put32(p + 8, (uint32_t)pos);
		p[12] = (unsigned char)kl;
		p[13] = (unsigned char)(kl >> 8);
		p[14] = (unsigned char)it[i].type;
		memcpy(out + pos, it[i].key, kl);
		pos += kl;
		pos = (pos + 7) & ~(size_t)7;
		assert_true(pos + it[i].vlen < cap);
		put32(p + 16, (uint32_t)pos);
		memcpy(out + pos, it[i].val, it[i].vlen);
		pos += it[i].vlen;
		put32(p + 20, (uint32_t)pos);
	}
	return pos;
}

#define B(...) ((const unsigned char[]){ __VA_ARGS__ })
#define NONE 0xffffffffu

static void
test_big_endian_values(void **state)
{
	/* A database written on a big-endian machine: the structure stays
	 * little-endian, the numbers inside values do not. */
	const struct titem it[] = {
		{ "/idle-delay", NULL, NONE, 'v', B(0, 0, 0x02, 0x58, 0, 'u'), 6 },
	};
	unsigned char f[512];
	size_t n = build(f, sizeof(f), 1, it, 1);
	struct gvdb t;
	struct mm_err e;
	const unsigned char *v;
	size_t vl;
	struct gvariant gv;
	uint32_t u;

	(void)state;
	assert_int_equal(gvdb_open(f, n, &t, &e), 0);
	assert_int_equal(t.big_endian, 1);
	assert_int_equal(gvdb_lookup(&t, "/idle-delay", &v, &vl, &e), 1);
	assert_int_equal(gvariant_from_variant(v, vl, t.big_endian, &gv, &e), 0);
	assert_int_equal(gvariant_get_u32(&gv, &u, &e), 0);
	assert_int_equal(u, 600);
	assert_int_equal(gvdb_lookup(&t, "/idle", &v, &vl, &e), 0);
}

/* Corruptions of a sound one-item file, each a patch at an offset. */
struct corruption {
	const char *what;
	size_t off;		/* where to write */
	uint32_t val;		/* what (32 bits, little-endian) */
	size_t truncate;	/* 0: keep the size */
	int open_fails;		/* 1: gvdb_open refuses; 0: the lookup does */
	int lookup;		/* expected lookup result when open succeeds */
};

/* Layout of build() with one item "/k": table at 24 (hdr 8, bucket 4),
 * item at 36..60, key at 60, value at 64. */
static const struct corruption corruptions[] = {
	{ "shorter than a header", 0, 0, 23, 1, 0 },
	{ "a single byte", 0, 0, 1, 1, 0 },
	{ "signature gone (dconf update zeroes old files)", 0, 0, 0, 1, 0 },
	{ "unknown version", 8, 1, 0, 1, 0 },
	{ "root table pointer past the end", 20, 100000, 0, 1, 0 },
	{ "root table pointer start after end", 16, 61, 0, 1, 0 },
	{ "root table misaligned", 16, 25, 0, 1, 0 },
	{ "bloom filter larger than the table", 24, 1000, 0, 1, 0 },
	{ "more buckets than the table holds", 28, 0x40000000, 0, 1, 0 },
	{ "table size not a whole number of items", 20, 59, 0, 1, 0 },
	{ "item's key out of bounds", 44, 0x7ffffff0, 0, 0, -1 },
	{ "item's value out of bounds", 56, 0x7ffffff0, 0, 0, -1 },
	{ "item's value misaligned", 52, 65, 0, 0, -1 },
	{ "item's value start after its end", 52, 80, 0, 0, -1 },
	{ "bucket points past the items (key simply absent)", 32, 7, 0, 0, 0 },
	{ "hash does not match (key simply absent)", 36, 1, 0, 0, 0 },
	{ "parent index out of range (name cannot match)", 40, 5, 0, 0, 0 },
	{ "item is a list, not a value", 50, 'L', 0, 0, 0 },
};

static void
test_corruptions(void **state)
{
	const struct titem it[] = { { "/k", NULL, NONE, 'v', B(1, 0, 'b'), 3 } };

	(void)state;
	for (size_t i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		const struct corruption *c = &corruptions[i];
		unsigned char f[256];
		size_t n = build(f, sizeof(f), 0, it, 1);
		struct gvdb t;
		struct mm_err e;
		const unsigned char *v;
		size_t vl;
		int rc;

		assert_int_equal(n, 67);
		if (c->truncate)
			n = c->truncate;
		else if (c->off == 0)
			memset(f, 0, 8);
		else if (c->off == 50)
			f[50] = (unsigned char)c->val;
		else
			put32(f + c->off, c->val);
		err_clear(&e);
		rc = gvdb_open(f, n, &t, &e);
		if (c->open_fails) {
			if (rc != -1)
				fail_msg("%s: opened", c->what);
			assert_string_equal(e.reason, "parse_error");
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", c->what, e.msg);
		rc = gvdb_lookup(&t, "/k", &v, &vl, &e);
		if (rc != c->lookup)
			fail_msg("%s: lookup %d, want %d", c->what, rc, c->lookup);
		if (rc == -1)
			assert_string_equal(e.reason, "parse_error");
	}
}

static void
test_parent_cycle(void **state)
{
	/* Two items that are each other's parent: a name check must not
	 * loop, and a listing must leave them out. */
	const struct titem it[] = {
		{ "a/", "b/a/b/a/", 1, 'v', B(1, 0, 'b'), 3 },
		{ "b/", NULL, 0, 'v', B(1, 0, 'b'), 3 },
		{ "/ok", NULL, NONE, 'v', B(1, 0, 'b'), 3 },
	};
	unsigned char f[512];
	size_t n = build(f, sizeof(f), 0, it, 3);
	struct gvdb t;
	struct mm_err e;
	const unsigned char *v;
	size_t vl, nn;
	char **names;

	(void)state;
	assert_int_equal(gvdb_open(f, n, &t, &e), 0);
	/* Walks a/ → b/ → a/ → b/ and stops when the name runs out. */
	assert_int_equal(gvdb_lookup(&t, "b/a/b/a/", &v, &vl, &e), 0);
	assert_int_equal(gvdb_lookup(&t, "/ok", &v, &vl, &e), 1);
	assert_int_equal(gvdb_names(&t, &names, &nn, &e), 0);
	assert_int_equal(nn, 1);
	assert_string_equal(names[0], "/ok");
	gvdb_free_names(names, nn);
}

static void
test_zero_length_key_chain(void **state)
{
	/* An empty key with a parent must not count as a step up (GLib's
	 * guard); otherwise "/x" would match through the empty item. */
	const struct titem it[] = {
		{ "", "/x", 1, 'v', B(0, 0, 'b'), 3 },
		{ "/x", NULL, NONE, 'v', B(1, 0, 'b'), 3 },
	};
	unsigned char f[512];
	size_t n = build(f, sizeof(f), 0, it, 2);
	struct gvdb t;
	struct mm_err e;
	const unsigned char *v;
	size_t vl;

	(void)state;
	assert_int_equal(gvdb_open(f, n, &t, &e), 0);
	assert_int_equal(gvdb_lookup(&t, "/x", &v, &vl, &e), 1);
	assert_int_equal(v[0], 1);	/* the real item, not the empty one */
}

/* --- real files from `dconf compile` */

static int
have_dconf(void)
{
	return system("command -v dconf >/dev/null 2>&1") == 0;
}

static char *
compile(const char *root, const char *keyfile, const char *locks, size_t *len)
{
	char cmd[8500], *buf;
	struct root r;
	struct mm_err e;

	tu_write(root, "kf/00-settings", keyfile);
	if (locks != NULL)
		tu_write(root, "kf/locks/00-locks", locks);
	snprintf(cmd, sizeof(cmd), "dconf compile '%s/db' '%s/kf'", root, root);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(root_open(&r, root, 0, &e), 0);
	assert_int_equal(root_read_file(&r, "/db", ROOT_CAP_TABLE, &buf, len, &e), FILE_OK);
	root_close(&r);
	return buf;
}

static void
test_dconf_compiled(void **state)
{
	char *root, *buf, **names;
	size_t len, nn;
	struct gvdb t, locks, none;
	struct mm_err e;
	const unsigned char *v;
	size_t vl;
	struct gvariant gv;
	uint32_t u;
	int found = 0;

	(void)state;
	if (!have_dconf())
		skip();
	root = tu_mkroot();
	buf = compile(root,
	    "[org/gnome/desktop/session]\nidle-delay=uint32 600\n\n"
	    "[org/gnome/desktop/screensaver]\nlock-enabled=true\nlock-delay=uint32 0\n",
	    "/org/gnome/desktop/session/idle-delay\n", &len);
	assert_int_equal(gvdb_open(buf, len, &t, &e), 0);
	assert_int_equal(t.big_endian, 0);	/* dconf compile always writes little-endian */

	assert_int_equal(gvdb_lookup(&t, "/org/gnome/desktop/session/idle-delay", &v, &vl, &e), 1);
	assert_int_equal(gvariant_from_variant(v, vl, 0, &gv, &e), 0);
	assert_int_equal(gvariant_get_u32(&gv, &u, &e), 0);
	assert_int_equal(u, 600);
	assert_int_equal(gvdb_lookup(&t, "/org/gnome/desktop/screensaver/lock-delay", &v, &vl, &e), 1);
	/* Directories are lists, not values; near misses are absent. */
	assert_int_equal(gvdb_lookup(&t, "/org/gnome/desktop/session/", &v, &vl, &e), 0);
	assert_int_equal(gvdb_lookup(&t, "/org/gnome/desktop/session/idle-dela", &v, &vl, &e), 0);
	assert_int_equal(gvdb_lookup(&t, "org/gnome/desktop/session/idle-delay", &v, &vl, &e), 0);
	assert_int_equal(gvdb_lookup(&t, "", &v, &vl, &e), 0);

	/* The administrator's lock, as `dconf update` stores it. */
	assert_int_equal(gvdb_lookup_table(&t, ".locks", &locks, &e), 1);
	assert_int_equal(gvdb_lookup(&locks, "/org/gnome/desktop/session/idle-delay", &v, &vl, &e), 1);
	assert_int_equal(gvdb_lookup(&locks, "/org/gnome/desktop/screensaver/lock-enabled", &v, &vl, &e), 0);
	assert_int_equal(gvdb_lookup_table(&t, ".nothing", &none, &e), 0);
	/* A value is not a table. */
	assert_int_equal(gvdb_lookup_table(&t, "/org/gnome/desktop/session/idle-delay", &none, &e), 0);

	assert_int_equal(gvdb_names(&t, &names, &nn, &e), 0);
	for (size_t i = 0; i < nn; i++)
		found += strcmp(names[i], "/org/gnome/desktop/screensaver/lock-enabled") == 0;
	assert_int_equal(found, 1);
	gvdb_free_names(names, nn);
	free(buf);
	tu_rmroot(root);
}

static void
test_every_truncation(void **state)
{
	/* A file cut short at any byte (a copy interrupted, a full disk)
	 * opens as parse_error or answers lookups without reading past the
	 * end; the sanitizers hold the second half of that promise. */
	char *root, *buf;
	size_t len;

	(void)state;
	if (!have_dconf())
		skip();
	root = tu_mkroot();
	buf = compile(root, "[a/b]\nc=uint32 1\nd=('x', true)\n[e]\nf='g'\n", "/a/b/c\n", &len);
	for (size_t n = 0; n < len; n++) {
		unsigned char *copy = malloc(n ? n : 1);
		struct gvdb t, l;
		struct mm_err e;
		const unsigned char *v;
		size_t vl, nn;
		char **names;

		memcpy(copy, buf, n);
		if (gvdb_open(copy, n, &t, &e) == 0) {
			(void)gvdb_lookup(&t, "/a/b/c", &v, &vl, &e);
			(void)gvdb_lookup(&t, "/e/f", &v, &vl, &e);
			if (gvdb_lookup_table(&t, ".locks", &l, &e) == 1)
				(void)gvdb_lookup(&l, "/a/b/c", &v, &vl, &e);
			if (gvdb_names(&t, &names, &nn, &e) == 0)
				gvdb_free_names(names, nn);
		} else
			assert_string_equal(e.reason, "parse_error");
		free(copy);
	}
	free(buf);
	tu_rmroot(root);
}

static void
test_compiled_schema(void **state)
{
	/* gschemas.compiled: a table per schema id, a tuple per key with the
	 * default first, the dconf path under ".path". */
	char *root, cmd[8500], *buf;
	size_t len;
	struct root r;
	struct mm_err e;
	struct gvdb t, s;
	const unsigned char *v;
	size_t vl;
	struct gvariant gv, def;
	uint32_t u;
	const char *path;

	(void)state;
	if (system("command -v glib-compile-schemas >/dev/null 2>&1") != 0)
		skip();
	root = tu_mkroot();
	tu_write(root, "s/org.gnome.desktop.session.gschema.xml",
	    "<schemalist>\n"
	    "  <schema id=\"org.gnome.desktop.session\" path=\"/org/gnome/desktop/session/\">\n"
	    "    <key name=\"idle-delay\" type=\"u\"><default>300</default></key>\n"
	    "  </schema>\n"
	    "</schemalist>\n");
	snprintf(cmd, sizeof(cmd), "glib-compile-schemas --strict '%s/s'", root);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(root_open(&r, root, 0, &e), 0);
	assert_int_equal(root_read_file(&r, "/s/gschemas.compiled", ROOT_CAP_TABLE, &buf, &len, &e), FILE_OK);
	root_close(&r);
	assert_int_equal(gvdb_open(buf, len, &t, &e), 0);
	assert_int_equal(gvdb_lookup_table(&t, "org.gnome.desktop.session", &s, &e), 1);
	assert_int_equal(gvdb_lookup_table(&t, "org.gnome.desktop.screensaver", &s, &e), 0);
	assert_int_equal(gvdb_lookup_table(&t, "org.gnome.desktop.session", &s, &e), 1);
	assert_int_equal(gvdb_lookup(&s, "idle-delay", &v, &vl, &e), 1);
	assert_int_equal(gvariant_from_variant(v, vl, s.big_endian, &gv, &e), 0);
	assert_true(gvariant_is_type(&gv, "(u)"));
	assert_int_equal(gvariant_tuple_item(&gv, 0, &def, &e), 0);
	assert_int_equal(gvariant_get_u32(&def, &u, &e), 0);
	assert_int_equal(u, 300);
	assert_int_equal(gvdb_lookup(&s, ".path", &v, &vl, &e), 1);
	assert_int_equal(gvariant_from_variant(v, vl, s.big_endian, &gv, &e), 0);
	assert_int_equal(gvariant_get_string(&gv, &path, NULL, &e), 0);
	assert_string_equal(path, "/org/gnome/desktop/session/");
	free(buf);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_endian_values),
		cmocka_unit_test(test_corruptions),
		cmocka_unit_test(test_parent_cycle),
		cmocka_unit_test(test_zero_length_key_chain),
		cmocka_unit_test(test_dconf_compiled),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_compiled_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
