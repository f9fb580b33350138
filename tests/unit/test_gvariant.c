/* gvariant: the values dconf and compiled schemas store — what a desktop's
 * idle delay and lock switch really are — and every malformed shape
 * refused rather than guessed. Byte vectors are by hand (framing offsets
 * worked out from GLib's rules) and, where `dconf compile` is installed,
 * from GLib itself: GVariant text compiled into a database and read back. */
#include "testutil.h"
#include "platform/gvariant.h"
#include "platform/gvdb.h"

#define B(...) ((const unsigned char[]){ __VA_ARGS__ })

static const struct {
	const char *type;
	int valid;
} types[] = {
	{ "u", 1 }, { "b", 1 }, { "s", 1 }, { "v", 1 }, { "(u)", 1 }, { "()", 1 },
	{ "(u(yv))", 1 }, { "a{sv}", 1 }, { "(su)", 1 }, { "maas", 1 }, { "{yv}", 1 },
	{ "", 0 }, { "(", 0 }, { "(u", 0 }, { ")", 0 }, { "uu", 0 }, { "a", 0 },
	{ "{vs}", 0 },		/* a dict key must be basic */
	{ "{s}", 0 }, { "{sss}", 0 }, { "r", 0 }, { "*", 0 }, { "?", 0 }, { "z", 0 },
	{ "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((u))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))", 0 },
};

static void
test_type_strings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int got = gvariant_type_valid(types[i].type, strlen(types[i].type)) == 0;

		if (got != types[i].valid)
			fail_msg("type \"%s\": valid %d, want %d", types[i].type, got, types[i].valid);
	}
}

/* A serialized "v" from bytes: the child's data, NUL, its type. */
struct vcase {
	const char *what;
	const unsigned char *bytes;
	size_t len;
	int big_endian;
	const char *type;	/* NULL: must be refused */
	long want;		/* u/i/b value */
	const char *want_s;	/* s value */
};

static const struct vcase vcases[] = {
	{ "idle-delay=uint32 600 (little-endian)", B(0x58, 0x02, 0, 0, 0, 'u'), 6, 0, "u", 600, NULL },
	{ "the same number written big-endian", B(0, 0, 0x02, 0x58, 0, 'u'), 6, 1, "u", 600, NULL },
	{ "uint32 0: never idle", B(0, 0, 0, 0, 0, 'u'), 6, 0, "u", 0, NULL },
	{ "uint32 max", B(0xff, 0xff, 0xff, 0xff, 0, 'u'), 6, 0, "u", 4294967295L, NULL },
	{ "int32 -1 (MATE minutes)", B(0xff, 0xff, 0xff, 0xff, 0, 'i'), 6, 0, "i", -1, NULL },
	{ "int32 min", B(0, 0, 0, 0x80, 0, 'i'), 6, 0, "i", -2147483647L - 1, NULL },
	{ "lock-enabled=true", B(1, 0, 'b'), 3, 0, "b", 1, NULL },
	{ "lock-enabled=false", B(0, 0, 'b'), 3, 0, "b", 0, NULL },
	{ "a string", B('o', 'k', 0, 0, 's'), 5, 0, "s", 0, "ok" },
	{ "the empty string", B(0, 0, 's'), 3, 0, "s", 0, "" },
	{ "no bytes at all", B(0), 0, 0, NULL, 0, NULL },
	{ "no NUL before a type", B('u'), 1, 0, NULL, 0, NULL },
	{ "nothing after the NUL", B(1, 2, 3, 4, 0), 5, 0, NULL, 0, NULL },
	{ "an unknown type letter", B(1, 2, 3, 4, 0, 'z'), 6, 0, NULL, 0, NULL },
	{ "two types after the NUL", B(1, 2, 3, 4, 0, 'u', 'u'), 7, 0, NULL, 0, NULL },
	{ "an indefinite type", B(1, 0, 'r'), 3, 0, NULL, 0, NULL },
	{ "a uint32 of three bytes", B(1, 2, 3, 0, 'u'), 5, 0, NULL, 0, NULL },
	{ "a boolean of two bytes", B(1, 1, 0, 'b'), 4, 0, NULL, 0, NULL },
	{ "an unclosed tuple type", B(1, 0, '(', 'b'), 4, 0, NULL, 0, NULL },
};

static void
test_variants(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vcases) / sizeof(vcases[0]); i++) {
		const struct vcase *c = &vcases[i];
		struct gvariant v;
		struct mm_err e;
		int rc;

		err_clear(&e);
		rc = gvariant_from_variant(c->bytes, c->len, c->big_endian, &v, &e);
		if (c->type == NULL) {
			if (rc != -1)
				fail_msg("%s: accepted", c->what);
			assert_string_equal(e.reason, "parse_error");
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", c->what, e.msg);
		if (!gvariant_is_type(&v, c->type))
			fail_msg("%s: type %.*s", c->what, (int)v.type_len, v.type);
		if (strcmp(c->type, "u") == 0) {
			uint32_t u;
			assert_int_equal(gvariant_get_u32(&v, &u, &e), 0);
			assert_true((long)u == c->want);
			/* A number is not a boolean or a signed number. */
			int b;
			int32_t s;
			assert_int_equal(gvariant_get_bool(&v, &b, &e), -1);
			assert_int_equal(gvariant_get_i32(&v, &s, &e), -1);
		} else if (strcmp(c->type, "i") == 0) {
			int32_t s;
			uint32_t u;
			assert_int_equal(gvariant_get_i32(&v, &s, &e), 0);
			assert_true((long)s == c->want);
			assert_int_equal(gvariant_get_u32(&v, &u, &e), -1);
		} else if (strcmp(c->type, "b") == 0) {
			int b;
			assert_int_equal(gvariant_get_bool(&v, &b, &e), 0);
			assert_int_equal(b, c->want);
		} else if (strcmp(c->type, "s") == 0) {
			const char *s;
			size_t n;
			assert_int_equal(gvariant_get_string(&v, &s, &n, &e), 0);
			assert_string_equal(s, c->want_s);
			assert_int_equal(n, strlen(c->want_s));
		}
	}
}

/* Typed readers refuse values whose bytes break the type's rules even
 * though the type string is right. */
static void
test_malformed_values(void **state)
{
	struct gvariant v = { 0 };
	struct mm_err e;
	const char *s;
	int b;

	(void)state;
	v.type = "b"; v.type_len = 1;
	v.data = B(2); v.len = 1;
	assert_int_equal(gvariant_get_bool(&v, &b, &e), -1);		/* neither 0 nor 1 */
	v.type = "s";
	v.data = B('a', 'b'); v.len = 2;
	assert_int_equal(gvariant_get_string(&v, &s, NULL, &e), -1);	/* no NUL */
	v.data = B('a', 0, 'b', 0); v.len = 4;
	assert_int_equal(gvariant_get_string(&v, &s, NULL, &e), -1);	/* NUL inside */
	v.data = B(0xc3, 0x28, 0); v.len = 3;
	assert_int_equal(gvariant_get_string(&v, &s, NULL, &e), -1);	/* not UTF-8 */
	v.data = B(0); v.len = 0;
	assert_int_equal(gvariant_get_string(&v, &s, NULL, &e), -1);	/* empty */
	assert_string_equal(e.reason, "parse_error");
}

struct tcase {
	const char *what;
	const char *type;
	const unsigned char *bytes;
	size_t len;
	size_t idx;
	const char *item_type;	/* NULL: refused */
	size_t start, len_item;
};

static const struct tcase tcases[] = {
	/* A compiled schema key without extras: (u) holding 300. */
	{ "(u) default", "(u)", B(0x2c, 0x01, 0, 0), 4, 0, "u", 0, 4 },
	{ "(u) has no member 1", "(u)", B(0x2c, 0x01, 0, 0), 4, 1, NULL, 0, 0 },
	{ "(u) of the wrong size", "(u)", B(0x2c, 0x01, 0), 3, 0, NULL, 0, 0 },
	/* "ab\0", a pad byte, uint32 7, then the framing offset 3. */
	{ "(su) member 0", "(su)", B('a', 'b', 0, 0, 7, 0, 0, 0, 3), 9, 0, "s", 0, 3 },
	{ "(su) member 1", "(su)", B('a', 'b', 0, 0, 7, 0, 0, 0, 3), 9, 1, "u", 4, 4 },
	{ "(su) framing offset past the end", "(su)", B('a', 'b', 0, 0, 7, 0, 0, 0, 9), 9, 0, NULL, 0, 0 },
	{ "(su) member 1 into the framing", "(su)", B('a', 'b', 0, 0, 7, 0, 0, 0, 6), 9, 1, NULL, 0, 0 },
	/* Two strings: the last one needs no offset. */
	{ "(ss) member 1", "(ss)", B('a', 0, 'b', 'c', 0, 2), 6, 1, "s", 2, 3 },
	/* As GLib: zero bytes read as empty members, which no string reader
	 * then accepts. */
	{ "(ss) of zero bytes", "(ss)", B(0), 0, 0, "s", 0, 0 },
	{ "(su) too short for its fixed member", "(su)", B('a', 0, 1), 3, 1, NULL, 0, 0 },
	{ "a dict entry {sv}", "{sv}", B('k', 0, 0, 0, 0, 0, 0, 0, 1, 0, 'b', 2), 12, 1, "v", 8, 3 },
	{ "not a tuple", "u", B(1, 0, 0, 0), 4, 0, NULL, 0, 0 },
	{ "the unit tuple has no members", "()", B(0), 1, 0, NULL, 0, 0 },
};

static void
test_tuples(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		const struct tcase *c = &tcases[i];
		struct gvariant t = { c->bytes, c->len, c->type, strlen(c->type), 0 }, it;
		struct mm_err e;
		int rc;

		err_clear(&e);
		rc = gvariant_tuple_item(&t, c->idx, &it, &e);
		if (c->item_type == NULL) {
			if (rc != -1)
				fail_msg("%s: accepted", c->what);
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", c->what, e.msg);
		if (!gvariant_is_type(&it, c->item_type) || it.data != c->bytes + c->start ||
		    it.len != c->len_item)
			fail_msg("%s: got %.*s at %td+%zu", c->what, (int)it.type_len, it.type,
			    it.data - c->bytes, it.len);
	}
}

/* GLib's own serialisation, through `dconf compile`: each GVariant text
 * becomes a value in a database, and must read back as written. */
static int
have_dconf(void)
{
	return system("command -v dconf >/dev/null 2>&1") == 0;
}

static void
test_glib_serialisation(void **state)
{
	static const char *const kf =
	    "[t]\n"
	    "u=uint32 600\n"
	    "i=int32 -5\n"
	    "b=true\n"
	    "s='Blank Screen'\n"
	    "su=('ab', uint32 7)\n"
	    "nested=(uint32 300, ('x', <uint32 5>))\n";
	char *root, cmd[8500], *buf;
	size_t len;
	struct root r;
	struct mm_err e;
	struct gvdb t;
	const unsigned char *val;
	size_t vlen;
	struct gvariant v, it, inner, deep;
	uint32_t u;
	int32_t s;
	int b;
	const char *str;

	(void)state;
	if (!have_dconf())
		skip();
	root = tu_mkroot();
	tu_write(root, "kf/00", kf);
	snprintf(cmd, sizeof(cmd), "dconf compile '%s/db' '%s/kf'", root, root);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(root_open(&r, root, 0, &e), 0);
	assert_int_equal(root_read_file(&r, "/db", ROOT_CAP_TABLE, &buf, &len, &e), FILE_OK);
	assert_int_equal(gvdb_open(buf, len, &t, &e), 0);

	assert_int_equal(gvdb_lookup(&t, "/t/u", &val, &vlen, &e), 1);
	assert_int_equal(gvariant_from_variant(val, vlen, t.big_endian, &v, &e), 0);
	assert_int_equal(gvariant_get_u32(&v, &u, &e), 0);
	assert_int_equal(u, 600);

	assert_int_equal(gvdb_lookup(&t, "/t/i", &val, &vlen, &e), 1);
	assert_int_equal(gvariant_from_variant(val, vlen, t.big_endian, &v, &e), 0);
	assert_int_equal(gvariant_get_i32(&v, &s, &e), 0);
	assert_int_equal(s, -5);

	assert_int_equal(gvdb_lookup(&t, "/t/b", &val, &vlen, &e), 1);
	assert_int_equal(gvariant_from_variant(val, vlen, t.big_endian, &v, &e), 0);
	assert_int_equal(gvariant_get_bool(&v, &b, &e), 0);
	assert_int_equal(b, 1);

	assert_int_equal(gvdb_lookup(&t, "/t/s", &val, &vlen, &e), 1);
	assert_int_equal(gvariant_from_variant(val, vlen, t.big_endian, &v, &e), 0);
	assert_int_equal(gvariant_get_string(&v, &str, NULL, &e), 0);
	assert_string_equal(str, "Blank Screen");

	assert_int_equal(gvdb_lookup(&t, "/t/su", &val, &vlen, &e), 1);
	assert_int_equal(gvariant_from_variant(val, vlen, t.big_endian, &v, &e), 0);
	assert_true(gvariant_is_type(&v, "(su)"));
	assert_int_equal(gvariant_n_members(&v), 2);
	assert_int_equal(gvariant_tuple_item(&v, 0, &it, &e), 0);
	assert_int_equal(gvariant_get_string(&it, &str, NULL, &e), 0);
	assert_string_equal(str, "ab");
	assert_int_equal(gvariant_tuple_item(&v, 1, &it, &e), 0);
	assert_int_equal(gvariant_get_u32(&it, &u, &e), 0);
	assert_int_equal(u, 7);

	/* (u(sv)): a fixed member first, then a variable one holding a variant. */
	assert_int_equal(gvdb_lookup(&t, "/t/nested", &val, &vlen, &e), 1);
	assert_int_equal(gvariant_from_variant(val, vlen, t.big_endian, &v, &e), 0);
	assert_true(gvariant_is_type(&v, "(u(sv))"));
	assert_int_equal(gvariant_tuple_item(&v, 0, &it, &e), 0);
	assert_int_equal(gvariant_get_u32(&it, &u, &e), 0);
	assert_int_equal(u, 300);
	assert_int_equal(gvariant_tuple_item(&v, 1, &inner, &e), 0);
	assert_int_equal(gvariant_tuple_item(&inner, 1, &it, &e), 0);
	assert_int_equal(gvariant_from_variant(it.data, it.len, it.big_endian, &deep, &e), 0);
	assert_int_equal(gvariant_get_u32(&deep, &u, &e), 0);
	assert_int_equal(u, 5);
	assert_int_equal(gvariant_tuple_item(&inner, 0, &it, &e), 0);
	assert_int_equal(gvariant_get_string(&it, &str, NULL, &e), 0);
	assert_string_equal(str, "x");

	free(buf);
	root_close(&r);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_strings),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_malformed_values),
		cmocka_unit_test(test_tuples),
		cmocka_unit_test(test_glib_serialisation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
