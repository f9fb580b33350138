/* test_kconfig: KDE's INI dialect as KConfig reads it — an administrator's
 * [$i] in /etc/xdg must hold against whatever a person writes in their own
 * file, and what KDE ignores must be ignored here too. Each case is the
 * text of one or two files (system, then the person's) and what KDE would
 * read for one key. */
#include "testutil.h"
#include "platform/kconfig.h"

#define NONE ((const char *)1)	/* the key is absent */

static const struct {
	const char *what;
	const char *system, *user;	/* NULL: no such file */
	const char *group, *key;
	const char *value;		/* NONE absent; NULL deleted */
	int immutable;
} cases[] = {
	{ "plain key in a group", "[Daemon]\nTimeout=10\n", NULL, "Daemon", "Timeout", "10", 0 },
	{ "spaces around key and value are trimmed", "[Daemon]\n  Timeout =  10 \t\n", NULL,
	  "Daemon", "Timeout", "10", 0 },
	{ "CRLF line ends", "[Daemon]\r\nTimeout=10\r\n", NULL, "Daemon", "Timeout", "10", 0 },
	{ "keys before any group are in <default>", "Timeout=3\n[Daemon]\n", NULL,
	  "<default>", "Timeout", "3", 0 },
	{ "'#' starts a comment line", "[Daemon]\n#Autolock=false\n", NULL, "Daemon", "Autolock", NONE, 0 },
	{ "';' does not: it is part of a key", "[Daemon]\n;Autolock=false\n", NULL,
	  "Daemon", ";Autolock", "false", 0 },
	{ "a repeated key: the last wins", "[Daemon]\nTimeout=1\nTimeout=2\n", NULL,
	  "Daemon", "Timeout", "2", 0 },
	{ "a repeated group is one group", "[Daemon]\nTimeout=1\n[Greeter]\nTheme=x\n[Daemon]\nAutolock=false\n",
	  NULL, "Daemon", "Timeout", "1", 0 },
	{ "nested groups are joined with 0x1d", "[Greeter][Wallpaper]\nImage=x\n", NULL,
	  "Greeter\x1dWallpaper", "Image", "x", 0 },
	{ "a header without ']' keeps the group before it", "[Daemon]\n[Broken\nTimeout=7\n", NULL,
	  "Daemon", "Timeout", "7", 0 },
	{ "text after a header's ']' is ignored", "[Daemon] trailing\nTimeout=7\n", NULL,
	  "Daemon", "Timeout", "7", 0 },
	{ "a line without '=' sets nothing", "[Daemon]\nAutolock\n", NULL, "Daemon", "Autolock", NONE, 0 },
	{ "an empty value is a value", "[Daemon]\nAutolock=\n", NULL, "Daemon", "Autolock", "", 0 },
	{ "escapes: \\s \\t \\\\ \\x41", "[G]\nK=\\sa\\tb\\\\c\\x41\n", NULL, "G", "K", " a\tb\\cA", 0 },
	{ "\\; and \\, stay as written", "[G]\nK=a\\;b\\,c\n", NULL, "G", "K", "a\\;b\\,c", 0 },
	{ "a lone trailing backslash is dropped", "[G]\nK=abc\\\n", NULL, "G", "K", "abc", 0 },
	{ "a bad \\x keeps an x", "[G]\nK=\\xzz1\n", NULL, "G", "K", "x1", 0 },
	{ "an unknown escape leaves the value half-decoded", "[G]\nK=\\sa\\qb\n", NULL,
	  "G", "K", " a\\\\qb", 0 },
	{ "an escaped '$' in a header is a name, not [$i]", "[Daemon][\\x24i]\nTimeout=1\n", NULL,
	  "Daemon\x1d$i", "Timeout", "1", 0 },
	{ "[$e]: the value is kept unexpanded", "[G]\nK[$e]=$HOME/x\n", NULL, "G", "K", "$HOME/x", 0 },
	{ "[$d] deletes", "[Daemon]\nAutolock=false\nAutolock[$d]\n", NULL, "Daemon", "Autolock", NULL, 0 },
	{ "another language's entry is not used", "[Daemon]\nTimeout[de]=1\n", NULL,
	  "Daemon", "Timeout", NONE, 0 },
	{ "Key[] names no language: the key itself", "[Daemon]\nTimeout[]=4\n", NULL,
	  "Daemon", "Timeout", "4", 0 },
	{ "two languages on one key is an error", "[Daemon]\nTimeout[de][fr]=1\n", NULL,
	  "Daemon", "Timeout", NONE, 0 },
	{ "a blank before [$i] stays in the key", "[Daemon]\nAutolock [$i]=false\n", NULL,
	  "Daemon", "Autolock ", "false", 1 },

	/* Immutability within one file. */
	{ "key[$i]", "[Daemon]\nAutolock[$i]=true\n", NULL, "Daemon", "Autolock", "true", 1 },
	{ "an immutable key is not changed later in its file",
	  "[Daemon]\nAutolock[$i]=true\nAutolock=false\n", NULL, "Daemon", "Autolock", "true", 1 },
	{ "[Group][$i] makes its keys immutable", "[Daemon][$i]\nTimeout=5\n", NULL,
	  "Daemon", "Timeout", "5", 1 },
	{ "[$i] alone makes the file immutable", "[$i]\n[Daemon]\nTimeout=5\n", NULL,
	  "Daemon", "Timeout", "5", 1 },
	{ "[$i] not last on its line is a group name part", "[$i][Daemon]\nTimeout=5\n", NULL,
	  "$i\x1d" "Daemon", "Timeout", "5", 0 },

	/* The cascade: the system file, then the person's. */
	{ "the person's value overrides the system's", "[Daemon]\nTimeout=5\n", "[Daemon]\nTimeout=60\n",
	  "Daemon", "Timeout", "60", 0 },
	{ "the system's value stays where the person sets nothing", "[Daemon]\nTimeout=5\n",
	  "[Daemon]\nAutolock=true\n", "Daemon", "Timeout", "5", 0 },
	{ "an immutable key holds against the person", "[Daemon]\nTimeout[$i]=5\n",
	  "[Daemon]\nTimeout=60\n", "Daemon", "Timeout", "5", 1 },
	{ "an immutable group holds its keys", "[Daemon][$i]\nTimeout=5\n",
	  "[Daemon]\nTimeout=60\n", "Daemon", "Timeout", "5", 1 },
	{ "an immutable group takes no new keys", "[Daemon][$i]\nTimeout=5\n",
	  "[Daemon]\nAutolock=false\n", "Daemon", "Autolock", NONE, 1 },
	{ "an immutable group holds against [$d]", "[Daemon][$i]\nAutolock=true\n",
	  "[Daemon]\nAutolock[$d]\n", "Daemon", "Autolock", "true", 1 },
	{ "an immutable key holds against [$d]", "[Daemon]\nAutolock[$i]=true\n",
	  "[Daemon]\nAutolock[$d]\n", "Daemon", "Autolock", "true", 1 },
	{ "a person's own [$i] marks only their own value",
	  "[Daemon]\nTimeout=5\n", "[Daemon]\nTimeout[$i]=60\n", "Daemon", "Timeout", "60", 1 },
	{ "[$d] in the person's file removes the system's value", "[Daemon]\nAutolock=false\n",
	  "[Daemon]\nAutolock[$d]\n", "Daemon", "Autolock", NULL, 0 },
	{ "another group's [$i] does not lock this one", "[Greeter][$i]\nTheme=x\n",
	  "[Daemon]\nTimeout=60\n", "Daemon", "Timeout", "60", 0 },
};

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kconfig kc;
		struct mm_err e;
		const struct kconfig_entry *en;

		kconfig_init(&kc);
		if (cases[i].system != NULL &&
		    kconfig_parse(&kc, cases[i].system, strlen(cases[i].system), KCONFIG_DEFAULTS, 0, &e) != 0)
			fail_msg("%s: system file refused: %s", cases[i].what, e.msg);
		if (cases[i].user != NULL && !kc.file_immutable &&
		    kconfig_parse(&kc, cases[i].user, strlen(cases[i].user), KCONFIG_LOCAL, 1, &e) != 0)
			fail_msg("%s: user file refused: %s", cases[i].what, e.msg);
		en = kconfig_entry(&kc, cases[i].group, cases[i].key);
		if (cases[i].value == NONE) {
			if (en != NULL)
				fail_msg("%s: %s is set (\"%s\"), want absent", cases[i].what,
				    cases[i].key, en->value ? en->value : "(deleted)");
		} else if (en == NULL)
			fail_msg("%s: %s is absent", cases[i].what, cases[i].key);
		else if (cases[i].value == NULL) {
			if (en->value != NULL)
				fail_msg("%s: %s is \"%s\", want deleted", cases[i].what, cases[i].key,
				    en->value);
		} else if (en->value == NULL || strcmp(en->value, cases[i].value) != 0)
			fail_msg("%s: %s is \"%s\", want \"%s\"", cases[i].what, cases[i].key,
			    en->value ? en->value : "(deleted)", cases[i].value);
		if (kconfig_is_immutable(&kc, cases[i].group, cases[i].key) != cases[i].immutable)
			fail_msg("%s: immutable is %d, want %d", cases[i].what,
			    kconfig_is_immutable(&kc, cases[i].group, cases[i].key), cases[i].immutable);
		kconfig_free(&kc);
	}
}

/* A file immutable as a whole ends the cascade: KDE never opens the
 * person's file, and says so. */
static void
test_file_immutable(void **state)
{
	static const char sys[] = "[$i]\n[Daemon]\nAutolock=true\n";
	struct kconfig kc;
	struct mm_err e;

	(void)state;
	kconfig_init(&kc);
	assert_int_equal(kconfig_parse(&kc, sys, strlen(sys), KCONFIG_DEFAULTS, 0, &e), 0);
	assert_true(kc.file_immutable);
	assert_int_equal(kc.immutable_origin, 0);
	/* Even a key the system file never set cannot be set by anyone. */
	assert_true(kconfig_is_immutable(&kc, "Daemon", "Timeout"));
	kconfig_free(&kc);
}

/* Binary data is not a settings file: refused with the line it was met
 * on, and nothing of it is kept. */
static void
test_binary(void **state)
{
	static const struct {
		const char *what, *text;
		size_t len;
		const char *line;
	} bin[] = {
#define BIN(what, text, line) { what, text, sizeof(text) - 1, line }
		BIN("NUL on line 2", "[Daemon]\nAuto\0lock=false\n", "line 2 "),
		BIN("escape byte on line 1", "\x1b[0m[Daemon]\n", "line 1 "),
		BIN("DEL on line 3", "[Daemon]\nTimeout=5\nx\x7f=1\n", "line 3 "),
#undef BIN
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bin) / sizeof(bin[0]); i++) {
		struct kconfig kc;
		struct mm_err e;

		kconfig_init(&kc);
		if (kconfig_parse(&kc, bin[i].text, bin[i].len, KCONFIG_LOCAL, 0, &e) != -1)
			fail_msg("%s: accepted", bin[i].what);
		assert_string_equal(e.reason, "parse_error");
		if (strstr(e.msg, bin[i].line) == NULL)
			fail_msg("%s: message \"%s\" does not say %s", bin[i].what, e.msg, bin[i].line);
		assert_int_equal(kc.n, 0);
		kconfig_free(&kc);
	}
}

/* An escape that decodes to NUL cannot be held as text: refused. */
static void
test_escaped_nul(void **state)
{
	static const char text[] = "[Daemon]\nAutolock=\\x00false\n";
	struct kconfig kc;
	struct mm_err e;

	(void)state;
	kconfig_init(&kc);
	assert_int_equal(kconfig_parse(&kc, text, strlen(text), KCONFIG_LOCAL, 0, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	assert_non_null(strstr(e.msg, "line 2"));
	kconfig_free(&kc);
}

/* After 100 errors KDE reads no further; neither does this. */
static void
test_error_limit(void **state)
{
	char text[4096];
	size_t n = 0;
	struct kconfig kc;
	struct mm_err e;

	(void)state;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "[Daemon]\n");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "broken\n");
	n += (size_t)snprintf(text + n, sizeof(text) - n, "Autolock=false\n");
	kconfig_init(&kc);
	assert_int_equal(kconfig_parse(&kc, text, n, KCONFIG_LOCAL, 0, &e), 0);
	assert_null(kconfig_entry(&kc, "Daemon", "Autolock"));
	kconfig_free(&kc);
}

/* How kscreenlocker's readEntry turns text into its settings. */
static void
test_conversions(void **state)
{
	static const struct {
		const char *v;
		int b;
	} bools[] = {
		{ "true", 1 }, { "false", 0 }, { "FALSE", 0 }, { "No", 0 }, { "off", 0 }, { "0", 0 },
		{ "1", 1 }, { "yes", 1 }, { "", 1 }, { "nonsense", 1 }, { " false", 1 },
	};
	static const struct {
		const char *v;
		long i;
	} ints[] = {
		{ "5", 5 }, { "-3", -3 }, { "+7", 7 }, { "2.5", 99 }, { "", 99 }, { "5min", 99 },
		{ "99999999999", 99 }, { "0x10", 99 },
	};
	static const struct {
		const char *v;
		double d;
	} doubles[] = {
		{ "5", 5.0 }, { "2.5", 2.5 }, { "-1", -1.0 }, { ".5", 0.5 }, { "1e1", 10.0 },
		{ "1.", 1.0 }, { "abc", 99.0 }, { "", 99.0 }, { "1e", 99.0 }, { "inf", 99.0 },
		{ "nan", 99.0 }, { "1e999", 99.0 }, { "2,5", 99.0 },
	};

	(void)state;
	assert_int_equal(kconfig_bool(NULL, 1), 1);
	assert_int_equal(kconfig_bool(NULL, 0), 0);
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
		if (kconfig_bool(bools[i].v, 1) != bools[i].b)
			fail_msg("bool \"%s\": want %d", bools[i].v, bools[i].b);
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (kconfig_int(ints[i].v, 99) != ints[i].i)
			fail_msg("int \"%s\": got %ld, want %ld", ints[i].v, kconfig_int(ints[i].v, 99),
			    ints[i].i);
	for (size_t i = 0; i < sizeof(doubles) / sizeof(doubles[0]); i++) {
		double d = kconfig_double(doubles[i].v, 99.0);

		if (d < doubles[i].d - 1e-9 || d > doubles[i].d + 1e-9)
			fail_msg("double \"%s\": got %g, want %g", doubles[i].v, d, doubles[i].d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_file_immutable),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_escaped_nul),
		cmocka_unit_test(test_error_limit),
		cmocka_unit_test(test_conversions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
