/* test_passwd: /etc/passwd and /etc/shadow as the C library reads them.
 * What the checks decide from these — empty password, locked, when last
 * changed — is only as right as the parse, so each field state is here. */
#include "testutil.h"
#include "platform/passwd.h"

struct pw_want {
	const char *name;
	long uid, gid;
	const char *home, *shell;
	enum pw_state pw;
};

static const struct {
	const char *what, *text;
	size_t malformed;
	struct pw_want want[6];	/* name NULL ends */
} pw_cases[] = {
	{ "password field: x, empty, !, *, a hash, !hash",
	  "root:x:0:0:root:/root:/bin/bash\n"
	  "alice::1000:1000:Alice:/home/alice:/bin/bash\n"
	  "bob:!:1001:1001::/home/bob:/bin/sh\n"
	  "carol:*:1002:1002::/home/carol:/bin/zsh\n"
	  "dave:$6$salt$hash:1003:1003::/home/dave:/bin/bash\n"
	  "eve:!$6$salt$hash:1004:1004::/home/eve:/bin/bash\n", 0, {
		{ "root", 0, 0, "/root", "/bin/bash", PW_SHADOWED },
		{ "alice", 1000, 1000, "/home/alice", "/bin/bash", PW_EMPTY },
		{ "bob", 1001, 1001, "/home/bob", "/bin/sh", PW_LOCKED },
		{ "carol", 1002, 1002, "/home/carol", "/bin/zsh", PW_LOCKED },
		{ "dave", 1003, 1003, "/home/dave", "/bin/bash", PW_SET },
		{ "eve", 1004, 1004, "/home/eve", "/bin/bash", PW_LOCKED } } },
	{ "NIS lines, comments and blank lines are skipped, not malformed",
	  "+@netgroup::::::\n-baduser:::::: \n+\n# a comment\n\n"
	  "sato:x:1000:1000::/home/sato:/bin/bash\n", 0, {
		{ "sato", 1000, 1000, "/home/sato", "/bin/bash", PW_SHADOWED } } },
	{ "malformed lines are counted and skipped",
	  "short:x:1000:1000\n"				/* 4 fields */
	  "long:x:1000:1000::/h:/bin/sh:extra\n"	/* 8 fields */
	  ":x:1000:1000::/h:/bin/sh\n"			/* no name */
	  "letters:x:abc:1000::/h:/bin/sh\n"		/* uid not a number */
	  "neg:x:-1:1000::/h:/bin/sh\n"			/* negative uid */
	  "huge:x:99999999999999999999999:1::/h:/bin/sh\n"	/* overflows */
	  "nogid:x:1000:::/h:/bin/sh\n"			/* empty gid */
	  "ok:x:1005:1005::/home/ok:/bin/bash\n", 7, {
		{ "ok", 1005, 1005, "/home/ok", "/bin/bash", PW_SHADOWED } } },
	{ "CRLF line ends and a last line without newline",
	  "a:x:1000:1000::/home/a:/bin/bash\r\nb:x:1001:1001::/home/b:/bin/sh", 0, {
		{ "a", 1000, 1000, "/home/a", "/bin/bash", PW_SHADOWED },
		{ "b", 1001, 1001, "/home/b", "/bin/sh", PW_SHADOWED } } },
	{ "empty shell and home are kept as empty",
	  "svc:x:999:999:::\n", 0, {
		{ "svc", 999, 999, "", "", PW_SHADOWED } } },
	{ "empty file", "", 0, { { NULL, 0, 0, NULL, NULL, 0 } } },
};

static void
test_passwd_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pw_cases) / sizeof(pw_cases[0]); i++) {
		struct passwd_entry *v;
		size_t n, bad, want_n = 0;
		struct mm_err e;

		if (passwd_parse(pw_cases[i].text, strlen(pw_cases[i].text), &v, &n, &bad, &e) != 0)
			fail_msg("%s: refused: %s", pw_cases[i].what, e.msg);
		while (want_n < 6 && pw_cases[i].want[want_n].name != NULL)
			want_n++;
		if (n != want_n || bad != pw_cases[i].malformed)
			fail_msg("%s: %zu entries, %zu malformed; want %zu, %zu", pw_cases[i].what,
			    n, bad, want_n, pw_cases[i].malformed);
		for (size_t k = 0; k < n; k++) {
			const struct pw_want *w = &pw_cases[i].want[k];
			assert_string_equal(v[k].name, w->name);
			assert_int_equal(v[k].uid, w->uid);
			assert_int_equal(v[k].gid, w->gid);
			assert_string_equal(v[k].home, w->home);
			assert_string_equal(v[k].shell, w->shell);
			if (v[k].pw != w->pw)
				fail_msg("%s: %s: password state %d, want %d", pw_cases[i].what,
				    w->name, v[k].pw, w->pw);
		}
		passwd_free(v, n);
	}
}

/* A NUL byte means the file is not passwd at all: refused, not half-read. */
static void
test_passwd_binary(void **state)
{
	static const char text[] = "root:x:0:0::/root:/bin/bash\n\0garbage\n";
	struct passwd_entry *v;
	size_t n, bad;
	struct mm_err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(passwd_parse(text, sizeof(text) - 1, &v, &n, &bad, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	assert_null(v);
	assert_int_equal(n, 0);
}

struct sh_want {
	const char *name;
	enum pw_state pw;
	long last_change, max_days;
};

static const struct {
	const char *what, *text;
	size_t malformed;
	struct sh_want want[6];
} sh_cases[] = {
	{ "password states",
	  "root:$y$j9T$salt$hash:19700:0:99999:7:::\n"
	  "alice::19700:0:60:7:::\n"
	  "bob:!:19700:0:60:7:::\n"
	  "carol:*:19700::::::\n"
	  "dave:!*:19700::::::\n"
	  "eve:!$6$salt$hash:19700:0:60:7:::\n", 0, {
		{ "root", PW_SET, 19700, 99999 },
		{ "alice", PW_EMPTY, 19700, 60 },
		{ "bob", PW_LOCKED, 19700, 60 },
		{ "carol", PW_LOCKED, 19700, -1 },
		{ "dave", PW_LOCKED, 19700, -1 },
		{ "eve", PW_LOCKED, 19700, 60 } } },
	{ "empty date and maximum are -1; 0 means must change",
	  "a:$6$h:::::::\nb:$6$h:0:0:30:7:::\n", 0, {
		{ "a", PW_SET, -1, -1 },
		{ "b", PW_SET, 0, 30 } } },
	{ "malformed lines are counted",
	  "eight:$6$h:19700:0:60:7::\n"		/* 8 fields */
	  "ten:$6$h:19700:0:60:7::::\n"		/* 10 fields */
	  ":$6$h:19700:0:60:7:::\n"		/* no name */
	  "date:$6$h:yesterday:0:60:7:::\n"	/* date not a number */
	  "max:$6$h:19700:0:-5:7:::\n"		/* negative maximum */
	  "ok:$6$h:19700:0:60:7:::\n", 5, {
		{ "ok", PW_SET, 19700, 60 } } },
	{ "NIS lines and comments are skipped",
	  "+::::::::\n-x::::::::\n# c\n\n", 0, {
		{ NULL, 0, 0, 0 } } },
	{ "CRLF and no final newline",
	  "a:!:19000:0:60:7:::\r\nb::19001:0:::::", 0, {
		{ "a", PW_LOCKED, 19000, 60 },
		{ "b", PW_EMPTY, 19001, -1 } } },
};

static void
test_shadow_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sh_cases) / sizeof(sh_cases[0]); i++) {
		struct shadow_entry *v;
		size_t n, bad, want_n = 0;
		struct mm_err e;

		if (shadow_parse(sh_cases[i].text, strlen(sh_cases[i].text), &v, &n, &bad, &e) != 0)
			fail_msg("%s: refused: %s", sh_cases[i].what, e.msg);
		while (want_n < 6 && sh_cases[i].want[want_n].name != NULL)
			want_n++;
		if (n != want_n || bad != sh_cases[i].malformed)
			fail_msg("%s: %zu entries, %zu malformed; want %zu, %zu", sh_cases[i].what,
			    n, bad, want_n, sh_cases[i].malformed);
		for (size_t k = 0; k < n; k++) {
			const struct sh_want *w = &sh_cases[i].want[k];
			assert_string_equal(v[k].name, w->name);
			if (v[k].pw != w->pw)
				fail_msg("%s: %s: password state %d, want %d", sh_cases[i].what,
				    w->name, v[k].pw, w->pw);
			assert_int_equal(v[k].last_change, w->last_change);
			assert_int_equal(v[k].max_days, w->max_days);
		}
		shadow_free(v, n);
	}
}

static void
test_shadow_binary(void **state)
{
	static const char text[] = "root:!:19700:0:60:7:::\n\0";
	struct shadow_entry *v;
	size_t n, bad;
	struct mm_err e;

	(void)state;
	assert_int_equal(shadow_parse(text, sizeof(text) - 1, &v, &n, &bad, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	assert_null(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passwd_parse),
		cmocka_unit_test(test_passwd_binary),
		cmocka_unit_test(test_shadow_parse),
		cmocka_unit_test(test_shadow_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
