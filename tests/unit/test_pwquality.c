/* pwquality: settings files and module arguments read as libpwquality and
 * pam_cracklib read them, and the floor those settings put under every
 * accepted password, checked against a brute-force model of
 * libpwquality's own acceptance rules. */
#include <sys/stat.h>
#include "testutil.h"
#include "platform/pwquality.h"

/* ---- files as text ------------------------------------------------------ */

struct parse_case {
	const char *name;
	const char *text;
	int rc;			/* pwquality_parse's answer */
	size_t stop_line;
	int minlen, dcredit, ucredit, lcredit, ocredit, minclass, enforcing;
};

/* Debian 12's shipped file: every setting commented out. */
static const char debian_default[] =
    "# Configuration for systemwide password quality limits\n"
    "# Defaults:\n"
    "#\n"
    "# Number of characters in the new password that must not be present in the\n"
    "# old password.\n"
    "# difok = 1\n"
    "#\n"
    "# Minimum acceptable size for the new password (plus one if\n"
    "# credits are not disabled which is the default). (See pam_cracklib manual.)\n"
    "# Cannot be set to lower value than 6.\n"
    "# minlen = 8\n"
    "#\n"
    "# dcredit = 0\n"
    "# ucredit = 0\n"
    "# lcredit = 0\n"
    "# ocredit = 0\n"
    "# minclass = 0\n"
    "# dictcheck = 1\n"
    "# enforcing = 1\n";

static const struct parse_case parse_cases[] = {
	{ "debian default: all commented, libpwquality defaults stand",
	  debian_default, 0, 0, 8, 0, 0, 0, 0, 0, 1 },
	{ "policy settings",
	  "minlen = 8\ndcredit = -1\nlcredit = -1\n", 0, 0, 8, -1, 0, -1, 0, 0, 1 },
	{ "keys are case-insensitive, '=' optional, comment after value",
	  "MinLen 10\n  DCREDIT=-2   # two digits\n\tminclass =3\n", 0, 0, 10, -2, 0, 0, 0, 3, 1 },
	{ "minlen under 6 is raised to 6 (PWQ_BASE_MIN_LENGTH)",
	  "minlen = 4\n", 0, 0, 6, 0, 0, 0, 0, 0, 1 },
	{ "minclass over 4 is lowered to 4",
	  "minclass = 9\n", 0, 0, 8, 0, 0, 0, 0, 4, 1 },
	{ "a later line wins",
	  "minlen = 12\nminlen = 9\n", 0, 0, 9, 0, 0, 0, 0, 0, 1 },
	{ "known keys that do not matter here are accepted",
	  "retry = 3\nenforce_for_root\nlocal_users_only\nbadwords = foo bar\n"
	  "dictpath = /usr/share/cracklib/pw_dict\nmaxrepeat = 3\nminlen = 11\n",
	  0, 0, 11, 0, 0, 0, 0, 0, 1 },
	{ "enforcing = 0 is read",
	  "enforcing = 0\n", 0, 0, 8, 0, 0, 0, 0, 0, 0 },
	{ "an unknown key stops reading: later lines do not count",
	  "minlen = 10\nminlenn = 12\ndcredit = -1\n", 1, 2, 10, 0, 0, 0, 0, 0, 1 },
	{ "a value that is not a number stops reading",
	  "dcredit = -1\nminlen = ten\nlcredit = -1\n", 1, 2, 8, -1, 0, 0, 0, 0, 1 },
	{ "two '=' make the value \"=8\", not a number",
	  "minlen == 12\n", 1, 1, 8, 0, 0, 0, 0, 0, 1 },
	{ "a number with trailing text stops reading",
	  "minlen = 12chars\n", 1, 1, 8, 0, 0, 0, 0, 0, 1 },
	{ "a number out of int range stops reading",
	  "minlen = 2147483647\n", 1, 1, 8, 0, 0, 0, 0, 0, 1 },
	{ "an int key without a value stops reading",
	  "minlen\n", 1, 1, 8, 0, 0, 0, 0, 0, 1 },
	{ "CRLF line ends are blanks to libpwquality",
	  "minlen = 9\r\ndcredit = -1\r\n", 0, 0, 9, -1, 0, 0, 0, 0, 1 },
	{ "last line without newline",
	  "minlen = 13", 0, 0, 13, 0, 0, 0, 0, 0, 1 },
};

static void
test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct pwquality q;
		struct mm_err e;
		size_t stop = 99;
		int rc;

		pwquality_defaults(&q);
		rc = pwquality_parse(c->text, strlen(c->text), &q, &stop, &e);
		if (rc != c->rc || stop != c->stop_line || q.minlen != c->minlen ||
		    q.dcredit != c->dcredit || q.ucredit != c->ucredit ||
		    q.lcredit != c->lcredit || q.ocredit != c->ocredit ||
		    q.minclass != c->minclass || q.enforcing != c->enforcing)
			fail_msg("%s: rc %d stop %zu minlen %d d %d u %d l %d o %d class %d enf %d",
			    c->name, rc, stop, q.minlen, q.dcredit, q.ucredit, q.lcredit,
			    q.ocredit, q.minclass, q.enforcing);
	}
}

static void
test_parse_overlong_line_stops(void **state)
{
	char buf[1100 + 32];
	struct pwquality q;
	struct mm_err e;
	size_t stop;

	(void)state;
	/* 1022 bytes fit libpwquality's fgets buffer with the newline ... */
	memset(buf, ' ', 1022);
	memcpy(buf, "minlen = 9", 10);
	strcpy(buf + 1022, "\nminlen = 10\n");
	pwquality_defaults(&q);
	assert_int_equal(pwquality_parse(buf, strlen(buf), &q, &stop, &e), 0);
	assert_int_equal(q.minlen, 10);
	/* ... 1023 do not: the line is "malformed" and reading stops. */
	memset(buf, ' ', 1023);
	memcpy(buf, "minlen = 9", 10);
	strcpy(buf + 1023, "\nminlen = 10\n");
	pwquality_defaults(&q);
	assert_int_equal(pwquality_parse(buf, strlen(buf), &q, &stop, &e), 1);
	assert_int_equal(stop, 1);
	assert_int_equal(q.minlen, 8);
}

static void
test_parse_binary_is_parse_error(void **state)
{
	/* An ELF header where a settings file should be. */
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0minlen = 12\n";
	struct pwquality q;
	struct mm_err e;
	size_t stop;

	(void)state;
	pwquality_defaults(&q);
	assert_int_equal(pwquality_parse(elf, sizeof(elf) - 1, &q, &stop, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	assert_int_equal(q.minlen, 8);
}

/* ---- module arguments ---------------------------------------------------- */

static void
test_pwquality_args_override(void **state)
{
	struct pwquality q;

	(void)state;
	pwquality_defaults(&q);
	q.minlen = 12;
	q.dcredit = -1;
	assert_int_equal(pwquality_apply_arg(&q, "minlen=6"), 0);
	assert_int_equal(pwquality_apply_arg(&q, "dcredit=0"), 0);
	assert_int_equal(pwquality_apply_arg(&q, "LCREDIT=-1"), 0);
	assert_int_equal(q.minlen, 6);
	assert_int_equal(q.dcredit, 0);
	assert_int_equal(q.lcredit, -1);
	/* pam_pwquality's own words and options it ignores by design. */
	assert_int_equal(pwquality_apply_arg(&q, "use_authtok"), 0);
	assert_int_equal(pwquality_apply_arg(&q, "try_first_pass"), 0);
	assert_int_equal(pwquality_apply_arg(&q, "retry=3"), 0);
	assert_int_equal(pwquality_apply_arg(&q, "enforce_for_root"), 0);
	assert_int_equal(pwquality_apply_arg(&q, "local_users_only"), 0);
	assert_int_equal(pwquality_apply_arg(&q, "debug"), 0);
	/* Refused: pam_pwquality logs them and goes on with the rest. */
	assert_int_equal(pwquality_apply_arg(&q, "minlen"), -1);
	assert_int_equal(pwquality_apply_arg(&q, "minlen=eight"), -1);
	assert_int_equal(pwquality_apply_arg(&q, "frobnicate=1"), -1);
	assert_int_equal(q.minlen, 6);
	assert_int_equal(pwquality_apply_arg(&q, "enforcing=0"), 0);
	assert_int_equal(q.enforcing, 0);
}

static void
test_cracklib_defaults_and_args(void **state)
{
	struct pwquality q;
	struct pwquality_guarantee g;

	(void)state;
	/* minlen 9 with four credits of 1: "Ab1!x" earns 4 and is 5 long, but
	 * cracklib refuses anything under 6. */
	pwquality_cracklib_defaults(&q);
	pwquality_guarantee(&q, &g);
	assert_int_equal(g.min_length, 6);
	assert_false(g.digits);
	assert_false(g.letters);
	pwquality_cracklib_arg(&q, "minlen=8");
	pwquality_cracklib_arg(&q, "dcredit=-1");
	pwquality_cracklib_arg(&q, "lcredit=-1");
	pwquality_cracklib_arg(&q, "ucredit=0");
	pwquality_cracklib_arg(&q, "ocredit=0");
	pwquality_guarantee(&q, &g);
	assert_int_equal(g.min_length, 8);
	assert_true(g.digits);
	assert_true(g.letters);
	/* pam_cracklib's strtol: garbage is 0, raised to its floor of 5. */
	pwquality_cracklib_arg(&q, "minlen=abc");
	assert_int_equal(q.minlen, 5);
	pwquality_cracklib_arg(&q, "minclass=7");
	assert_int_equal(q.minclass, 4);
}

/* ---- the guarantee -------------------------------------------------------- */

struct floor_case {
	const char *name;
	int minlen, d, u, l, o, minclass, dictcheck;
	long len;
	int digits, letters;
};

static const struct floor_case floor_cases[] = {
	{ "libpwquality defaults: 8, nothing required", 8, 0, 0, 0, 0, 0, 1, 8, 0, 0 },
	{ "the policy's own settings", 8, -1, 0, -1, 0, 0, 1, 8, 1, 1 },
	{ "minlen 6", 6, -1, 0, -1, 0, 0, 1, 6, 1, 1 },
	{ "four credits of 1 bring 8 down to 4, cracklib's floor to 6", 8, 1, 1, 1, 1, 0, 1, 6, 0, 0 },
	{ "same without the dictionary check: 4", 8, 1, 1, 1, 1, 0, 0, 4, 0, 0 },
	{ "required digit and lowercase, credit for upper and other: 6", 8, -1, 1, -1, 1, 0, 1, 6, 1, 1 },
	{ "two digit credits on minlen 12: 10", 12, 2, 0, 0, 0, 0, 1, 10, 0, 0 },
	{ "required characters can exceed minlen", 6, -3, -2, -2, 0, 0, 0, 7, 1, 1 },
	{ "minclass 4: digits and letters", 8, 0, 0, 0, 0, 4, 1, 8, 1, 1 },
	{ "minclass 3: letters, not digits", 8, 0, 0, 0, 0, 3, 1, 8, 0, 1 },
	{ "minclass 3 with ocredit<0: still no digit", 8, 0, 0, 0, -1, 3, 1, 8, 0, 1 },
	{ "minclass 2: neither", 8, 0, 0, 0, 0, 2, 1, 8, 0, 0 },
	{ "ucredit<0 is a letter", 8, -1, -1, 0, 0, 0, 1, 8, 1, 1 },
};

static void
test_guarantee_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(floor_cases) / sizeof(floor_cases[0]); i++) {
		const struct floor_case *c = &floor_cases[i];
		struct pwquality q;
		struct pwquality_guarantee g;

		pwquality_defaults(&q);
		q.minlen = c->minlen;
		q.dcredit = c->d;
		q.ucredit = c->u;
		q.lcredit = c->l;
		q.ocredit = c->o;
		q.minclass = c->minclass;
		q.dictcheck = c->dictcheck;
		pwquality_guarantee(&q, &g);
		if (g.min_length != c->len || g.digits != c->digits || g.letters != c->letters)
			fail_msg("%s: length %ld digits %d letters %d", c->name,
			    g.min_length, g.digits, g.letters);
	}
}

/* libpwquality's simple() and numclass() on a password with d digits, u
 * upper, l lower and o other characters: the model the floor must match. */
static int
accepted(const struct pwquality *q, int d, int u, int l, int o)
{
	int cnt[4] = { d, u, l, o }, cr[4] = { q->dcredit, q->ucredit, q->lcredit, q->ocredit };
	int size = q->minlen, len = d + u + l + o, classes = 0;

	if (len == 0)
		return 0;
	for (int i = 0; i < 4; i++) {
		int n = cnt[i];
		if (n > 0)
			classes++;
		if (cr[i] >= 0) {
			if (n > cr[i])
				n = cr[i];
			size -= n;
		} else if (n < -cr[i])
			return 0;
	}
	return size <= len && classes >= q->minclass;
}

static void
test_guarantee_matches_brute_force(void **state)
{
	(void)state;
	for (int minlen = 6; minlen <= 10; minlen++)
	for (int d = -2; d <= 2; d++)
	for (int u = -2; u <= 2; u++)
	for (int l = -2; l <= 2; l++)
	for (int o = -2; o <= 2; o++)
	for (int k = 0; k <= 4; k++) {
		struct pwquality q;
		struct pwquality_guarantee g;
		int shortest = 1000, nodigit = 0, noletter = 0;

		pwquality_defaults(&q);
		q.minlen = minlen;
		q.dcredit = d;
		q.ucredit = u;
		q.lcredit = l;
		q.ocredit = o;
		q.minclass = k;
		q.dictcheck = 0;
		/* Every composition up to 14 characters covers every minimum
		 * here (at most 8 required plus 10). */
		for (int a = 0; a <= 14; a++)
		for (int b = 0; a + b <= 14; b++)
		for (int c = 0; a + b + c <= 14; c++)
		for (int e = 0; a + b + c + e <= 14; e++) {
			if (!accepted(&q, a, b, c, e))
				continue;
			if (a + b + c + e < shortest)
				shortest = a + b + c + e;
			if (a == 0)
				nodigit = 1;
			if (b == 0 && c == 0)
				noletter = 1;
		}
		pwquality_guarantee(&q, &g);
		if (g.min_length != shortest || g.digits != !nodigit || g.letters != !noletter)
			fail_msg("minlen %d d %d u %d l %d o %d minclass %d: floor %ld/%d/%d, "
			    "brute force %d/%d/%d", minlen, d, u, l, o, k, g.min_length,
			    g.digits, g.letters, shortest, !nodigit, !noletter);
	}
}

/* ---- files on disk ----------------------------------------------------------- */

static void
load(const char *rootdir, struct pwquality *q, enum file_status want, struct mm_err *e)
{
	struct root r;

	assert_int_equal(root_open(&r, rootdir, 0, e), 0);
	assert_int_equal(pwquality_load(&r, q, e), want);
	root_close(&r);
}

static void
test_load_main_file_read_last_wins(void **state)
{
	char *root = tu_mkroot();
	struct pwquality q;
	struct mm_err e;

	(void)state;
	/* libpwquality reads conf.d first and the main file last. */
	tu_write(root, "etc/security/pwquality.conf", "minlen = 6\n");
	tu_write(root, "etc/security/pwquality.conf.d/50-policy.conf", "minlen = 12\ndcredit = -1\n");
	load(root, &q, FILE_OK, &e);
	assert_int_equal(q.minlen, 6);
	assert_int_equal(q.dcredit, -1);
	tu_rmroot(root);
}

static void
test_load_conf_d_sorted_and_filtered(void **state)
{
	char *root = tu_mkroot();
	struct pwquality q;
	struct mm_err e;

	(void)state;
	tu_write(root, "etc/security/pwquality.conf.d/20-b.conf", "minlen = 11\n");
	tu_write(root, "etc/security/pwquality.conf.d/10-a.conf", "minlen = 9\nlcredit = -1\n");
	/* Not "*.conf" by libpwquality's filter: ignored. */
	tu_write(root, "etc/security/pwquality.conf.d/30-c.conf.dpkg-old", "minlen = 30\n");
	tu_write(root, "etc/security/pwquality.conf.d/40-d.conf.conf", "minlen = 40\n");
	load(root, &q, FILE_OK, &e);
	assert_int_equal(q.minlen, 11);
	assert_int_equal(q.lcredit, -1);
	assert_int_equal(q.stop_line, 0);
	tu_rmroot(root);
}

static void
test_load_refused_line_in_conf_d_skips_main(void **state)
{
	char *root = tu_mkroot();
	struct pwquality q;
	struct mm_err e;

	(void)state;
	tu_write(root, "etc/security/pwquality.conf.d/10-a.conf", "minlen = 9\nminimum = 12\n");
	tu_write(root, "etc/security/pwquality.conf", "dcredit = -1\n");
	load(root, &q, FILE_OK, &e);
	assert_int_equal(q.minlen, 9);
	assert_int_equal(q.dcredit, 0);
	assert_string_equal(q.stop_path, "/etc/security/pwquality.conf.d/10-a.conf");
	assert_int_equal(q.stop_line, 2);
	tu_rmroot(root);
}

static void
test_load_nothing_is_defaults(void **state)
{
	char *root = tu_mkroot();
	struct pwquality q;
	struct mm_err e;

	(void)state;
	load(root, &q, FILE_OK, &e);
	assert_int_equal(q.minlen, 8);
	assert_int_equal(q.dcredit, 0);
	tu_rmroot(root);
}

static void
test_load_fifo_symlink_binary_refused(void **state)
{
	char *root = tu_mkroot();
	char path[4096];
	struct pwquality q;
	struct mm_err e;

	(void)state;
	tu_mkdirs(root, "etc/security");
	snprintf(path, sizeof(path), "%s/etc/security/pwquality.conf", root);
	assert_int_equal(mkfifo(path, 0644), 0);
	load(root, &q, FILE_BAD, &e);
	assert_string_equal(e.reason, "file_not_regular");
	assert_int_equal(unlink(path), 0);

	tu_write(root, "tmp/elsewhere.conf", "minlen = 20\n");
	assert_int_equal(symlink("../../tmp/elsewhere.conf", path), 0);
	load(root, &q, FILE_BAD, &e);
	assert_string_equal(e.reason, "file_symlink");
	assert_int_equal(unlink(path), 0);

	tu_write(root, "etc/security/pwquality.conf", "minlen = 9\n\001\002\003\n");
	load(root, &q, FILE_BAD, &e);
	assert_string_equal(e.reason, "parse_error");
	assert_non_null(strstr(e.msg, "/etc/security/pwquality.conf"));
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_overlong_line_stops),
		cmocka_unit_test(test_parse_binary_is_parse_error),
		cmocka_unit_test(test_pwquality_args_override),
		cmocka_unit_test(test_cracklib_defaults_and_args),
		cmocka_unit_test(test_guarantee_table),
		cmocka_unit_test(test_guarantee_matches_brute_force),
		cmocka_unit_test(test_load_main_file_read_last_wins),
		cmocka_unit_test(test_load_conf_d_sorted_and_filtered),
		cmocka_unit_test(test_load_refused_line_in_conf_d_skips_main),
		cmocka_unit_test(test_load_nothing_is_defaults),
		cmocka_unit_test(test_load_fifo_symlink_binary_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
