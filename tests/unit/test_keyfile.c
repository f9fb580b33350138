/* keyfile: the three dialects the display managers read, the booleans each
 * of them believes in, overlaying files in order, and refusing what is not
 * a settings file. */
#include "testutil.h"
#include <fcntl.h>
#include "platform/keyfile.h"

struct parse_case {
	const char *what;
	const char *text;
	int flags;
	const char *group, *key;
	const char *want;		/* NULL: the key must be absent */
	size_t rejected_line;
	size_t skipped;
};

static const struct parse_case parse_cases[] = {
	{ "GDM's own file", "[daemon]\nAutomaticLoginEnable=true\nAutomaticLogin=alice\n",
	  KEYFILE_GLIB, "daemon", "AutomaticLogin", "alice", 0, 0 },
	{ "blanks around = go, the value's trailing blanks stay (GLib)",
	  "[a]\n  key \t=  value  \n", KEYFILE_DEFAULT, "a", "key", "value  ", 0, 0 },
	{ "# and ; comment lines", "[a]\n# x=1\n; y=2\nz=3\n", KEYFILE_DEFAULT, "a", "y", NULL, 0, 0 },
	{ "the key after comments is read", "[a]\n# x=1\n; y=2\nz=3\n", KEYFILE_DEFAULT, "a", "z", "3", 0, 0 },
	{ "a later key in the same group wins", "[a]\nk=1\nk=2\n", KEYFILE_GLIB, "a", "k", "2", 0, 0 },
	{ "keys before any group belong to \"\"", "k=v\n[a]\nj=w\n", KEYFILE_DEFAULT, "", "k", "v", 0, 0 },
	{ "a repeated group is one group", "[a]\nk=1\n[b]\nj=2\n[a]\nk=3\n", KEYFILE_GLIB, "a", "k", "3", 0, 0 },
	{ "CRLF line ends", "[a]\r\nk=v\r\n", KEYFILE_GLIB, "a", "k", "v", 0, 0 },
	{ "no newline at the end", "[a]\nk=v", KEYFILE_GLIB, "a", "k", "v", 0, 0 },
	{ "GLib: a key before the first group stops the file", "k=v\n[a]\nj=w\n",
	  KEYFILE_GLIB, "a", "j", NULL, 1, 0 },
	{ "GLib: ';' is no comment; what came before stays", "[a]\nk=1\n; c\nm=2\n",
	  KEYFILE_GLIB, "a", "k", "1", 3, 0 },
	{ "GLib: ... and what came after is gone", "[a]\nk=1\n; c\nm=2\n",
	  KEYFILE_GLIB, "a", "m", NULL, 3, 0 },
	{ "GLib: a localised key is its own key", "[a]\nName[de]=x\n", KEYFILE_GLIB, "a", "Name[de]", "x", 0, 0 },
	{ "GLib: a stray ']' in a key is refused", "[a]\nk]=x\n", KEYFILE_GLIB, "a", "k]", NULL, 2, 0 },
	{ "GLib: blanks after ']' are fine", "[a]  \nk=v\n", KEYFILE_GLIB, "a", "k", "v", 0, 0 },
	{ "GLib: words after ']' are not", "[a] x\nk=v\n", KEYFILE_GLIB, "a", "k", NULL, 1, 0 },
	{ "GLib: an empty key is refused", "[a]\n=v\n", KEYFILE_GLIB, "a", "", NULL, 2, 0 },
	{ "lenient: a line of no shape is skipped", "[a]\nfoo\nk=v\n", KEYFILE_DEFAULT, "a", "k", "v", 0, 1 },
	{ "lenient: \"[]\" names nothing", "[a]\n[]\nk=v\n", KEYFILE_DEFAULT, "a", "k", "v", 0, 1 },
	{ "lenient: a group line wins over '='", "[a=b]\nk=v\n", KEYFILE_DEFAULT, "a=b", "k", "v", 0, 0 },
	{ "SDDM: '#' anywhere ends the line", "[Autologin]\nUser=alice # the nurse\n",
	  KEYFILE_SDDM, "Autologin", "User", "alice", 0, 0 },
	{ "SDDM: an empty value", "[Autologin]\nUser = \n", KEYFILE_SDDM, "Autologin", "User", "", 0, 0 },
	{ "SDDM: '=' is tested before '['", "[Autologin]\n[x=y]\n", KEYFILE_SDDM, "Autologin", "[x", "y]", 0, 0 },
	{ "SDDM: a commented-out section header", "[Autologin]\n#[Theme]\nUser=bob\n",
	  KEYFILE_SDDM, "Autologin", "User", "bob", 0, 0 },
	{ "empty file", "", KEYFILE_GLIB, "a", "k", NULL, 0, 0 },
};

static void
test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct keyfile kf;
		struct mm_err e;
		const char *got;

		if (keyfile_parse(c->text, strlen(c->text), c->flags, &kf, &e) != 0)
			fail_msg("%s: parse failed: %s", c->what, e.msg);
		got = keyfile_get(&kf, c->group, c->key);
		if (c->want == NULL && got != NULL)
			fail_msg("%s: [%s] %s is \"%s\", expected absent", c->what, c->group, c->key, got);
		if (c->want != NULL && (got == NULL || strcmp(got, c->want) != 0))
			fail_msg("%s: [%s] %s is %s%s%s, expected \"%s\"", c->what, c->group, c->key,
			    got ? "\"" : "", got ? got : "absent", got ? "\"" : "", c->want);
		if (kf.rejected_line != c->rejected_line)
			fail_msg("%s: rejected_line %zu, expected %zu", c->what, kf.rejected_line,
			    c->rejected_line);
		if (kf.skipped != c->skipped)
			fail_msg("%s: skipped %zu, expected %zu", c->what, kf.skipped, c->skipped);
		keyfile_free(&kf);
	}
}

/* Binary garbage is not guessed at: -1, parse_error, and the line. */
static void
test_binary_is_refused_with_line(void **state)
{
	static const struct {
		const char *what;
		const char *buf;
		size_t len;
		const char *line;
	} cases[] = {
#define S(x) x, sizeof(x) - 1
		{ "control byte in a value", S("[a]\nk=\x01v\n"), "line 2" },
		{ "NUL in a group line", S("[daemon]\n[a\0b]\n"), "line 2" },
		{ "escape byte on the first line", S("\x1b[31m[a]\n"), "line 1" },
		{ "DEL byte", S("[a]\nk=v\n\x7f\n"), "line 3" },
#undef S
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int flags = 0; flags <= KEYFILE_SDDM; flags++) {
			struct keyfile kf;
			struct mm_err e;

			err_clear(&e);
			if (keyfile_parse(cases[i].buf, cases[i].len, flags, &kf, &e) != -1)
				fail_msg("%s (flags %d): accepted", cases[i].what, flags);
			assert_string_equal(e.reason, "parse_error");
			if (strstr(e.msg, cases[i].line) == NULL)
				fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].what, e.msg,
				    cases[i].line);
			assert_int_equal(kf.n, 0);
		}
	}
}

struct bool_case {
	const char *value;
	enum keyfile_bool_dialect d;
	int want;
};

static const struct bool_case bool_cases[] = {
	/* g_key_file_parse_value_as_boolean */
	{ "true", KEYFILE_BOOL_GLIB, 1 }, { "1", KEYFILE_BOOL_GLIB, 1 },
	{ "true \t", KEYFILE_BOOL_GLIB, 1 }, { "false", KEYFILE_BOOL_GLIB, 0 },
	{ "0", KEYFILE_BOOL_GLIB, 0 }, { "True", KEYFILE_BOOL_GLIB, -1 },
	{ "yes", KEYFILE_BOOL_GLIB, -1 }, { "", KEYFILE_BOOL_GLIB, -1 },
	{ "truex", KEYFILE_BOOL_GLIB, -1 }, { "tru", KEYFILE_BOOL_GLIB, -1 },
	/* gdm_settings_parse_value_as_boolean */
	{ "true", KEYFILE_BOOL_GDM, 1 }, { "True", KEYFILE_BOOL_GDM, 1 },
	{ "TRUE", KEYFILE_BOOL_GDM, 1 }, { "1", KEYFILE_BOOL_GDM, 1 },
	{ "False", KEYFILE_BOOL_GDM, 0 }, { "0", KEYFILE_BOOL_GDM, 0 },
	{ "true ", KEYFILE_BOOL_GDM, -1 }, { "yes", KEYFILE_BOOL_GDM, -1 },
	/* LightDM config_get_boolean */
	{ "true", KEYFILE_BOOL_LIGHTDM, 1 }, { "true  ", KEYFILE_BOOL_LIGHTDM, 1 },
	{ "1", KEYFILE_BOOL_LIGHTDM, 0 }, { "True", KEYFILE_BOOL_LIGHTDM, 0 },
	{ "", KEYFILE_BOOL_LIGHTDM, 0 },
	/* SDDM operator>>(bool) */
	{ " TRUE ", KEYFILE_BOOL_SDDM, 1 }, { "true", KEYFILE_BOOL_SDDM, 1 },
	{ "1", KEYFILE_BOOL_SDDM, 0 }, { "false", KEYFILE_BOOL_SDDM, 0 },
};

static void
test_booleans_per_reader(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bool_cases) / sizeof(bool_cases[0]); i++) {
		int got = keyfile_bool(bool_cases[i].value, bool_cases[i].d);
		if (got != bool_cases[i].want)
			fail_msg("\"%s\" in dialect %d is %d, expected %d", bool_cases[i].value,
			    (int)bool_cases[i].d, got, bool_cases[i].want);
	}
	assert_int_equal(keyfile_bool(NULL, KEYFILE_BOOL_GLIB), -1);
}

/* Several files read in turn: the later one wins, and says so. */
static void
test_merge_later_wins_with_origin(void **state)
{
	static const char one[] = "[Seat:*]\nautologin-user=alice\nallow-guest=true\n";
	static const char two[] = "[SeatDefaults]\nautologin-user=\n[LightDM]\nx=1\n";
	struct keyfile a, b, m;
	const struct keyfile_entry *en;
	struct mm_err e;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(keyfile_parse(one, strlen(one), KEYFILE_GLIB, &a, &e), 0);
	assert_int_equal(keyfile_parse(two, strlen(two), KEYFILE_GLIB, &b, &e), 0);
	assert_int_equal(keyfile_merge(&m, &a, 0, &e), 0);
	/* LightDM files [SeatDefaults] under [Seat:*]. */
	assert_int_equal(keyfile_merge_group(&m, "Seat:*", keyfile_group(&b, "SeatDefaults"), 1, &e), 0);
	assert_int_equal(keyfile_merge_group(&m, "LightDM", keyfile_group(&b, "LightDM"), 1, &e), 0);
	en = keyfile_entry(&m, "Seat:*", "autologin-user");
	assert_non_null(en);
	assert_string_equal(en->value, "");
	assert_int_equal(en->origin, 1);
	en = keyfile_entry(&m, "Seat:*", "allow-guest");
	assert_string_equal(en->value, "true");
	assert_int_equal(en->origin, 0);
	assert_string_equal(keyfile_get(&m, "LightDM", "x"), "1");
	assert_null(keyfile_group(&m, "SeatDefaults"));
	/* Groups keep the order they first appeared in. */
	assert_string_equal(m.g[0].name, "Seat:*");
	assert_string_equal(m.g[1].name, "LightDM");
	keyfile_free(&a);
	keyfile_free(&b);
	keyfile_free(&m);
}

/* A hostile file cannot make lookups quadratic: too many keys is refused. */
static void
test_too_many_keys_is_refused(void **state)
{
	size_t n = 9000, len = 0;
	char *buf = malloc(n * 16 + 8);
	struct keyfile kf;
	struct mm_err e;

	(void)state;
	assert_non_null(buf);
	len += (size_t)sprintf(buf, "[a]\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "k%zu=v\n", i);
	assert_int_equal(keyfile_parse(buf, len, KEYFILE_DEFAULT, &kf, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	free(buf);
}

/* Reading from a machine: the safe-read rules hold and messages name the file. */
static void
test_load_under_root(void **state)
{
	char *root = tu_mkroot();
	char path[4200], target[4200];
	struct root r;
	struct keyfile kf;
	struct mm_err e;

	(void)state;
	tu_write(root, "etc/gdm3/daemon.conf", "[daemon]\nAutomaticLoginEnable=True\n");
	tu_write(root, "etc/bad.conf", "[daemon]\n\x02\n");
	tu_write(root, "etc/real.conf", "[daemon]\nAutomaticLoginEnable=true\n");
	snprintf(path, sizeof(path), "%s/etc/link.conf", root);
	snprintf(target, sizeof(target), "%s/etc/real.conf", root);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/etc/fifo.conf", root);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(root_open(&r, root, 0, &e), 0);

	assert_int_equal(keyfile_load(&r, "/etc/gdm3/daemon.conf", KEYFILE_GLIB, &kf, &e), FILE_OK);
	assert_int_equal(keyfile_bool(keyfile_get(&kf, "daemon", "AutomaticLoginEnable"),
	    KEYFILE_BOOL_GDM), 1);
	keyfile_free(&kf);
	assert_int_equal(keyfile_load(&r, "/etc/none.conf", KEYFILE_GLIB, &kf, &e), FILE_ABSENT);
	assert_int_equal(keyfile_load(&r, "/etc/link.conf", KEYFILE_GLIB, &kf, &e), FILE_BAD);
	assert_string_equal(e.reason, "file_symlink");
	assert_int_equal(keyfile_load(&r, "/etc/fifo.conf", KEYFILE_GLIB, &kf, &e), FILE_BAD);
	assert_string_equal(e.reason, "file_not_regular");
	assert_int_equal(keyfile_load(&r, "/etc/bad.conf", KEYFILE_GLIB, &kf, &e), FILE_BAD);
	assert_string_equal(e.reason, "parse_error");
	assert_non_null(strstr(e.msg, "/etc/bad.conf"));
	assert_non_null(strstr(e.msg, "line 2"));
	root_close(&r);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_binary_is_refused_with_line),
		cmocka_unit_test(test_booleans_per_reader),
		cmocka_unit_test(test_merge_later_wins_with_origin),
		cmocka_unit_test(test_too_many_keys_is_refused),
		cmocka_unit_test(test_load_under_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
