/* test_accounts: who is a person. Every account check speaks only of the
 * accounts someone logs in with; a system account counted as a person
 * gives false alarms, a person missed gives a false pass. */
#include "testutil.h"
#include "platform/accounts.h"

static struct policy pol;

static int
setup(void **state)
{
	(void)state;
	tu_policy(&pol);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	policy_free(&pol);
	return 0;
}

static void
test_is_person(void **state)
{
	static const struct {
		const char *what;
		long uid;
		const char *shell;
		int include_root;
		long min_uid, max_uid;	/* 0: the default policy's */
		int want;
	} cases[] = {
		{ "first user", 1000, "/bin/bash", 1, 0, 0, 1 },
		{ "last UID of the range", 59999, "/bin/zsh", 1, 0, 0, 1 },
		{ "UID below the range: a system account", 999, "/bin/bash", 1, 0, 0, 0 },
		{ "UID above the range: nobody-like", 65534, "/bin/bash", 1, 0, 0, 0 },
		{ "nologin shell", 1000, "/usr/sbin/nologin", 1, 0, 0, 0 },
		{ "old nologin path", 1000, "/sbin/nologin", 1, 0, 0, 0 },
		{ "false as shell", 1000, "/bin/false", 1, 0, 0, 0 },
		{ "usr false as shell", 1000, "/usr/bin/false", 1, 0, 0, 0 },
		{ "sync as shell", 1000, "/bin/sync", 1, 0, 0, 0 },
		{ "empty shell", 1000, "", 1, 0, 0, 0 },
		{ "a nologin lookalike is a login shell", 1000, "/usr/sbin/nologin2", 1, 0, 0, 1 },
		{ "root with a shell, root included", 0, "/bin/bash", 1, 0, 0, 1 },
		{ "root with a shell, root excluded", 0, "/bin/bash", 0, 0, 0, 0 },
		{ "root with nologin is never a person", 0, "/usr/sbin/nologin", 1, 0, 0, 0 },
		{ "a facility's own range", 500, "/bin/bash", 1, 500, 999, 1 },
		{ "outside a facility's own range", 1000, "/bin/bash", 1, 500, 999, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy p = pol;
		struct passwd_entry pw = { "u", cases[i].uid, cases[i].uid, "/home/u",
		    (char *)cases[i].shell, PW_SHADOWED };

		p.accounts.include_root = cases[i].include_root;
		if (cases[i].min_uid) {
			p.accounts.min_uid = cases[i].min_uid;
			p.accounts.max_uid = cases[i].max_uid;
		}
		if (people_is_person(&pw, &p) != cases[i].want)
			fail_msg("%s: uid %ld shell \"%s\": want %d", cases[i].what, cases[i].uid,
			    cases[i].shell, cases[i].want);
	}
}

/* passwd joined with shadow: the password state a check sees. */
static void
test_join(void **state)
{
	static const char passwd[] =
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	    "sato:x:1000:1000:Sato:/home/sato:/bin/bash\n"
	    "suzuki:x:1001:1001::/home/suzuki:/bin/bash\n"
	    "tanaka::1002:1002::/home/tanaka:/bin/bash\n"	/* empty in passwd */
	    "kato:x:1003:1003::/home/kato:/bin/bash\n"		/* no shadow line */
	    "nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n";
	static const char shadow[] =
	    "root:!:19700:0:99999:7:::\n"
	    "daemon:*:19700:0:99999:7:::\n"
	    "sato:$y$j9T$s$h:19700:0:60:7:::\n"
	    "suzuki::19650::::::\n"
	    "tanaka:$y$j9T$s$h:19700:0:60:7:::\n";	/* passwd's empty field wins */
	static const struct {
		const char *name;
		enum pw_state pw;
		int in_shadow;
		long last_change, max_days;
	} want[] = {
		{ "root", PW_LOCKED, 1, 19700, 99999 },
		{ "sato", PW_SET, 1, 19700, 60 },
		{ "suzuki", PW_EMPTY, 1, 19650, -1 },
		{ "tanaka", PW_EMPTY, 1, 19700, 60 },
		{ "kato", PW_SHADOWED, 0, -1, -1 },
	};
	struct people pp;

	(void)state;
	people_from_buffers(&pp, passwd, strlen(passwd), shadow, strlen(shadow), &pol);
	assert_true(pp.passwd_ok);
	assert_true(pp.shadow_ok);
	assert_int_equal(pp.malformed, 0);
	assert_int_equal(pp.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < pp.n; i++) {
		assert_string_equal(pp.v[i].name, want[i].name);
		if (pp.v[i].pw != want[i].pw)
			fail_msg("%s: password state %d, want %d", want[i].name, pp.v[i].pw,
			    want[i].pw);
		assert_int_equal(pp.v[i].in_shadow, want[i].in_shadow);
		assert_int_equal(pp.v[i].last_change, want[i].last_change);
		assert_int_equal(pp.v[i].max_days, want[i].max_days);
	}
	assert_string_equal(pp.v[1].home, "/home/sato");
	people_free(&pp);
}

/* What could not be read is recorded, so checks answer unknown, not pass. */
static void
test_unreadable(void **state)
{
	static const char passwd[] = "sato:x:1000:1000::/home/sato:/bin/bash\nbad\n";
	static const char binary[] = "sato:x:1000:1000::/home/sato:/bin/bash\n\0";
	struct people pp;

	(void)state;
	people_from_buffers(&pp, passwd, strlen(passwd), NULL, 0, &pol);
	assert_true(pp.passwd_ok);
	assert_false(pp.shadow_ok);
	assert_string_equal(pp.shadow_err.reason, "file_unreadable");
	assert_int_equal(pp.n, 1);
	assert_int_equal(pp.v[0].pw, PW_SHADOWED);
	assert_int_equal(pp.malformed, 1);
	people_free(&pp);

	people_from_buffers(&pp, binary, sizeof(binary) - 1, "", 0, &pol);
	assert_false(pp.passwd_ok);
	assert_string_equal(pp.passwd_err.reason, "parse_error");
	assert_int_equal(pp.n, 0);
	people_free(&pp);

	people_from_buffers(&pp, passwd, strlen(passwd), binary, sizeof(binary) - 1, &pol);
	assert_true(pp.passwd_ok);
	assert_false(pp.shadow_ok);
	assert_string_equal(pp.shadow_err.reason, "parse_error");
	people_free(&pp);
}

static void
test_load_from_root(void **state)
{
	static const struct {
		const char *what;
		const char *passwd;	/* NULL: absent */
		const char *shadow;	/* NULL: absent; "@link": a symlink */
		int passwd_ok, shadow_ok;
		const char *reason;	/* of the error of what is not ok */
		size_t n;
	} cases[] = {
		{ "both present", "sato:x:1000:1000::/home/sato:/bin/bash\n",
		  "sato:!:19700::::::\n", 1, 1, NULL, 1 },
		{ "no passwd", NULL, "sato:!:19700::::::\n", 0, 0, "file_absent", 0 },
		{ "no shadow", "sato:x:1000:1000::/home/sato:/bin/bash\n", NULL, 1, 0,
		  "file_absent", 1 },
		{ "shadow is a symlink", "sato:x:1000:1000::/home/sato:/bin/bash\n", "@link", 1, 0,
		  "file_symlink", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = tu_mkroot(), p[4200];
		struct root r;
		struct people pp;
		struct mm_err e;

		tu_mkdirs(dir, "etc");
		if (cases[i].passwd)
			tu_write(dir, "etc/passwd", cases[i].passwd);
		if (cases[i].shadow && strcmp(cases[i].shadow, "@link") == 0) {
			snprintf(p, sizeof(p), "%s/etc/shadow", dir);
			assert_int_equal(symlink("/etc/shadow", p), 0);
		} else if (cases[i].shadow)
			tu_write(dir, "etc/shadow", cases[i].shadow);
		assert_int_equal(root_open(&r, dir, 0, &e), 0);
		people_load(&pp, &r, &pol);
		root_close(&r);
		if (pp.passwd_ok != cases[i].passwd_ok || pp.shadow_ok != cases[i].shadow_ok)
			fail_msg("%s: passwd_ok %d shadow_ok %d", cases[i].what, pp.passwd_ok,
			    pp.shadow_ok);
		if (!pp.passwd_ok)
			assert_string_equal(pp.passwd_err.reason, cases[i].reason);
		else if (!pp.shadow_ok)
			assert_string_equal(pp.shadow_err.reason, cases[i].reason);
		assert_int_equal(pp.n, cases[i].n);
		people_free(&pp);
		tu_rmroot(dir);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_person),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_load_from_root),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
