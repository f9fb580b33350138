/* test_lightdm: the per-seat view of LightDM's settings — [Seat:GLOB]
 * matched as GLib's g_pattern_match_simple matches ('*' any run, '?' one
 * UTF-8 character, nothing else special) — in bounded time: a pattern of
 * many stars used to backtrack exponentially and hang the check. */
#include "testutil.h"
#include "platform/lightdm.h"

static void
load(const char *rootdir, struct lightdm_conf *c)
{
	struct root r;
	struct mm_err e;

	assert_int_equal(root_open(&r, rootdir, 0, &e), 0);
	/* A hang is a failure: SIGALRM ends the test program. */
	alarm(60);
	assert_int_equal(lightdm_load(&r, c, &e), 0);
	alarm(0);
	root_close(&r);
}

static const char *
get(const struct lightdm_conf *c, const char *seat, const char *key)
{
	const char *v;

	alarm(60);
	v = lightdm_seat_get(c, seat, key, NULL);
	alarm(0);
	return v;
}

static void
test_seat_globs(void **state)
{
	char *root = tu_mkroot();
	struct lightdm_conf c;
	const char *seats[16];

	(void)state;
	/* GLib refuses '[' and ']' in a group name: a pattern has no
	 * brackets to give meaning to. */
	tu_write(root, "etc/lightdm/lightdm.conf",
	    "[Seat:*]\n"
	    "autologin-user=\n"
	    "greeter-session=default\n"
	    "[Seat:seat?]\n"
	    "autologin-user=one\n"
	    "[Seat:seat1*]\n"
	    "autologin-user=tens\n"
	    "[Seat:*x*y]\n"
	    "autologin-user=xy\n"
	    "[Seat:seat\\?]\n"			/* no escapes */
	    "autologin-user=escape\n"
	    "[Seat:seat12]\n"
	    "greeter-session=own\n"
	    "[Seat:seatあ]\n"
	    "greeter-session=kana\n");
	load(root, &c);
	assert_int_equal(c.n_problems, 0);
	assert_int_equal(c.n_refused, 0);
	assert_int_equal(lightdm_seats(&c, seats, 16), 3);
	assert_string_equal(seats[0], "seat0");
	assert_string_equal(seats[1], "seat12");
	assert_string_equal(seats[2], "seatあ");

	assert_string_equal(get(&c, "seat0", "autologin-user"), "one");
	assert_string_equal(get(&c, "seat0", "greeter-session"), "default");
	/* later groups win: seat1* comes after seat? */
	assert_string_equal(get(&c, "seat1", "autologin-user"), "tens");
	assert_string_equal(get(&c, "seat12", "autologin-user"), "tens");
	assert_string_equal(get(&c, "seat12", "greeter-session"), "own");
	/* '?' is one character, not one byte: あ is three */
	assert_string_equal(get(&c, "seatあ", "autologin-user"), "one");
	assert_string_equal(get(&c, "seatあ", "greeter-session"), "kana");
	/* '*' takes any run; with two, the first one's run is retried */
	assert_string_equal(get(&c, "axbxcy", "autologin-user"), "xy");
	assert_string_equal(get(&c, "xy", "autologin-user"), "xy");
	assert_string_equal(get(&c, "axbycyz", "autologin-user"), "");
	/* '\' is itself, and escapes nothing */
	assert_string_equal(get(&c, "seat\\0", "autologin-user"), "escape");
	assert_string_equal(get(&c, "seat\\", "autologin-user"), "one");
	assert_string_equal(get(&c, "seat", "autologin-user"), "");
	assert_string_equal(get(&c, "seat22", "autologin-user"), "");
	lightdm_free(&c);
	tu_rmroot(root);
}

/* tests/fuzz/corpus/lightdm/seat-glob-backtracking: [Seat:*a*a...*a*b]
 * against the seat [Seat:aaa...a] took 2^n steps. */
static void
test_many_stars_finish(void **state)
{
	char *root = tu_mkroot();
	char conf[4096], *p = conf;
	struct lightdm_conf c;
	const char *seats[16];

	(void)state;
	p += sprintf(p, "[Seat:");
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "*a");
	p += sprintf(p, "*b]\nautologin-user=x\n[Seat:");
	for (int i = 0; i < 200; i++)
		*p++ = 'a';
	p += sprintf(p, "]\nuser-session=ubuntu\n");
	tu_write(root, "etc/lightdm/lightdm.conf", conf);
	load(root, &c);
	assert_int_equal(c.n_problems, 0);
	assert_int_equal(lightdm_seats(&c, seats, 16), 2);
	assert_null(get(&c, seats[1], "autologin-user"));
	assert_string_equal(get(&c, seats[1], "user-session"), "ubuntu");
	lightdm_free(&c);
	tu_rmroot(root);
}

/* A pattern and a seat name so long that matching them would take
 * billions of steps: the settings are a problem (so the checks say
 * unknown), not an answer. */
static void
test_huge_globs_are_a_problem(void **state)
{
	char *root = tu_mkroot();
	size_t n = 20000, len = 3 * n + 200;
	char *conf = malloc(len), *p = conf;
	struct lightdm_conf c;

	(void)state;
	assert_non_null(conf);
	p += sprintf(p, "[Seat:*");
	memset(p, 'a', n / 2);
	p += n / 2;
	p += sprintf(p, "b]\nautologin-user=x\n[Seat:");
	memset(p, 'a', n);
	p += n;
	sprintf(p, "]\nuser-session=ubuntu\n");
	tu_write(root, "etc/lightdm/lightdm.conf", conf);
	free(conf);
	load(root, &c);
	assert_int_equal(c.n_problems, 1);
	assert_string_equal(c.problems[0].path, "/etc/lightdm/lightdm.conf");
	assert_string_equal(c.problems[0].err.reason, "parse_error");
	lightdm_free(&c);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seat_globs),
		cmocka_unit_test(test_many_stars_finish),
		cmocka_unit_test(test_huge_globs_are_a_problem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
