/* test_logindefs: /etc/login.defs as login(1) and useradd(8) read it —
 * the PASS_MAX_DAYS that new passwords get comes from here. */
#include "testutil.h"
#include "platform/logindefs.h"

/* Each file, a key, and what a reader gets: its value (NULL when unset)
 * and its number (1 found, 0 unset, -1 not a number). */
static const struct {
	const char *what, *text, *key, *value;
	int num_rc;
	long num;
} cases[] = {
	{ "plain KEY VALUE with a tab", "PASS_MAX_DAYS\t60\n", "PASS_MAX_DAYS", "60", 1, 60 },
	{ "several spaces", "PASS_MAX_DAYS     90\n", "PASS_MAX_DAYS", "90", 1, 90 },
	{ "comment lines are not settings",
	  "# PASS_MAX_DAYS 30\n#PASS_MAX_DAYS 30\n   # PASS_MAX_DAYS 30\n", "PASS_MAX_DAYS", NULL, 0, 0 },
	{ "a commented line after the real one does not undo it",
	  "PASS_MAX_DAYS 60\n# PASS_MAX_DAYS 99999\n", "PASS_MAX_DAYS", "60", 1, 60 },
	{ "indentation and trailing blanks", "  PASS_MAX_DAYS 45  \t\n", "PASS_MAX_DAYS", "45", 1, 45 },
	{ "double quotes are removed", "ENCRYPT_METHOD \"YESCRYPT\"\n", "ENCRYPT_METHOD", "YESCRYPT", -1, 0 },
	{ "quoted number", "PASS_MAX_DAYS \"30\"\n", "PASS_MAX_DAYS", "30", 1, 30 },
	{ "later setting wins", "PASS_MAX_DAYS 99999\nUMASK 022\nPASS_MAX_DAYS 60\n",
	  "PASS_MAX_DAYS", "60", 1, 60 },
	{ "a key without value is skipped, the earlier value stays",
	  "PASS_MAX_DAYS 60\nPASS_MAX_DAYS\n", "PASS_MAX_DAYS", "60", 1, 60 },
	{ "non-numeric value", "PASS_MAX_DAYS sixty\n", "PASS_MAX_DAYS", "sixty", -1, 0 },
	{ "number with trailing text", "PASS_MAX_DAYS 60days\n", "PASS_MAX_DAYS", "60days", -1, 0 },
	{ "number with a trailing comment is not a number",
	  "PASS_MAX_DAYS 60 # two months\n", "PASS_MAX_DAYS", "60 # two months", -1, 0 },
	{ "negative number (never expires)", "PASS_MAX_DAYS -1\n", "PASS_MAX_DAYS", "-1", 1, -1 },
	{ "too large for a long", "PASS_MAX_DAYS 99999999999999999999999\n", "PASS_MAX_DAYS",
	  "99999999999999999999999", -1, 0 },
	{ "CRLF line ends", "UMASK 077\r\nPASS_MAX_DAYS 60\r\n", "PASS_MAX_DAYS", "60", 1, 60 },
	{ "no final newline", "PASS_MAX_DAYS 60", "PASS_MAX_DAYS", "60", 1, 60 },
	{ "keys are case-sensitive", "pass_max_days 60\n", "PASS_MAX_DAYS", NULL, 0, 0 },
	{ "unset key", "UMASK 022\n", "PASS_MAX_DAYS", NULL, 0, 0 },
	{ "empty file", "", "PASS_MAX_DAYS", NULL, 0, 0 },
};

static void
test_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct logindefs d;
		struct mm_err e;
		const char *v;
		long num = 12345;
		int rc;

		if (logindefs_parse(cases[i].text, strlen(cases[i].text), &d, &e) != 0)
			fail_msg("%s: refused: %s", cases[i].what, e.msg);
		v = logindefs_get(&d, cases[i].key);
		if ((v == NULL) != (cases[i].value == NULL) ||
		    (v != NULL && strcmp(v, cases[i].value) != 0))
			fail_msg("%s: %s is \"%s\", want \"%s\"", cases[i].what, cases[i].key,
			    v ? v : "(unset)", cases[i].value ? cases[i].value : "(unset)");
		rc = logindefs_get_long(&d, cases[i].key, &num);
		if (rc != cases[i].num_rc)
			fail_msg("%s: number rc %d, want %d", cases[i].what, rc, cases[i].num_rc);
		if (rc == 1)
			assert_int_equal(num, cases[i].num);
		logindefs_free(&d);
	}
}

/* Binary content is not a settings file: refused with the line it was met
 * on, so a person can look at it, rather than half-read. */
static void
test_binary(void **state)
{
	static const struct {
		const char *what;
		const char *text;
		size_t len;
		const char *line;
	} bin[] = {
		{ "NUL byte on line 3", "PASS_MAX_DAYS 60\nUMASK 022\nX\0Y\n", 31, "line 3 " },
		{ "escape byte on line 1", "\x1b[0mPASS_MAX_DAYS 60\n", 21, "line 1 " },
		{ "DEL on line 2, after a comment", "# c\nPASS\x7f 1\n", 12, "line 2 " },
		{ "control byte inside a comment", "PASS_MAX_DAYS 60\n# \x01\n", 21, "line 2 " },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bin) / sizeof(bin[0]); i++) {
		struct logindefs d;
		struct mm_err e;

		err_clear(&e);
		if (logindefs_parse(bin[i].text, bin[i].len, &d, &e) != -1)
			fail_msg("%s: accepted", bin[i].what);
		assert_string_equal(e.reason, "parse_error");
		if (strstr(e.msg, bin[i].line) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", bin[i].what, e.msg, bin[i].line);
		assert_int_equal(d.n, 0);
		assert_null(d.v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
