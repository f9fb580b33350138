/* test_kde_lock: what KDE Plasma's screen locker does for alice when she
 * steps away, from /etc/xdg/kscreenlockerrc and her own
 * ~/.config/kscreenlockerrc — the administrator's [$i] must win, her own
 * settings must count otherwise, and a planted symlink or FIFO must give a
 * reason, never a hang or a read of another file. */
#include "testutil.h"
#include "platform/kde_lock.h"

#define SYSTEM_RC "etc/xdg/kscreenlockerrc"
#define USER_RC "home/alice/.config/kscreenlockerrc"

static struct person alice = { "alice", 1000, "/home/alice", PW_SET, 1, 19000, 60 };

static const struct {
	const char *what;
	const char *system, *user;	/* NULL: no such file */
	int locks;
	long lock_after_s;
	int admin;
	const char *source;
} cases[] = {
	{ "no files: KDE's defaults lock after 5 minutes and 5 s of grace", NULL, NULL,
	  1, 305, 0, "default" },
	{ "empty files change nothing", "", "", 1, 305, 0, "default" },
	{ "alice turned automatic locking off", NULL, "[Daemon]\nAutolock=false\n",
	  0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "KDE's booleans: \"no\" is false too", NULL, "[Daemon]\nAutolock=No\n",
	  0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "Timeout=30 minutes", NULL, "[Daemon]\nTimeout=30\n", 1, 1805, 0, "~/.config/kscreenlockerrc" },
	{ "Timeout in fractions of a minute (today's Double)", NULL, "[Daemon]\nTimeout=2.5\n",
	  1, 155, 0, "~/.config/kscreenlockerrc" },
	{ "a Timeout that is no number is KDE's default", NULL, "[Daemon]\nTimeout=soon\n",
	  1, 305, 0, "~/.config/kscreenlockerrc" },
	{ "Timeout=0 arms no idle timer", NULL, "[Daemon]\nTimeout=0\n", 0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "no grace time", NULL, "[Daemon]\nLockGrace=0\n", 1, 300, 0, "~/.config/kscreenlockerrc" },
	{ "a negative grace time never ends: no password is ever asked", NULL,
	  "[Daemon]\nLockGrace=-1\n", 0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "Lock=false: the screen blanks but any key unlocks it", NULL, "[Daemon]\nLock=false\n",
	  0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "RequirePassword=false: no password after idle", NULL, "[Daemon]\nRequirePassword=false\n",
	  0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "keys in another group do not count", NULL, "[Greeter]\nAutolock=false\n",
	  1, 305, 0, "default" },
	{ "the system's setting applies when alice sets nothing", "[Daemon]\nTimeout=10\n", NULL,
	  1, 605, 0, "/etc/xdg/kscreenlockerrc" },
	{ "alice's setting overrides a system setting that is not immutable",
	  "[Daemon]\nAutolock=true\nTimeout=5\n", "[Daemon]\nAutolock=false\n",
	  0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "the administrator's immutable [Daemon][$i] wins over alice",
	  "[Daemon][$i]\nAutolock=true\nTimeout=5\n", "[Daemon]\nAutolock=false\nTimeout=600\n",
	  1, 305, 1, "/etc/xdg/kscreenlockerrc" },
	{ "a whole immutable file wins, alice's file is not even opened",
	  "[$i]\n[Daemon]\nTimeout=3\n", "[Daemon]\nAutolock=false\n", 1, 185, 1, "/etc/xdg/kscreenlockerrc" },
	{ "immutable Timeout alone: alice can still turn locking off",
	  "[Daemon]\nTimeout[$i]=5\n", "[Daemon]\nTimeout=60\nAutolock=false\n",
	  0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "immutable Timeout holds, but alice could weaken the rest: not admin-held",
	  "[Daemon]\nTimeout[$i]=5\n", "[Daemon]\nTimeout=60\n", 1, 305, 0, "/etc/xdg/kscreenlockerrc" },
	{ "every key immutable one by one is admin-held",
	  "[Daemon]\nAutolock[$i]=true\nTimeout[$i]=4\nLock[$i]=true\nLockGrace[$i]=0\nRequirePassword[$i]=true\n",
	  "[Daemon]\nTimeout=60\n", 1, 240, 1, "/etc/xdg/kscreenlockerrc" },
	{ "the administrator locking the screen lock off is admin-held",
	  "[Daemon]\nAutolock[$i]=false\n", "[Daemon]\nAutolock=true\n", 0, 0, 1, "/etc/xdg/kscreenlockerrc" },
	{ "[$d] in alice's file brings back the default", "[Daemon]\nTimeout=30\n",
	  "[Daemon]\nTimeout[$d]\n", 1, 305, 0, "default" },
	/* [$i] in alice's own file, the last of the cascade, holds nothing
	 * against her: it is her setting, not the administrator's
	 * (tests/fuzz/corpus/kde_lock/person-immutable-is-admin and
	 * person-file-immutable-is-admin). */
	{ "alice's own Autolock[$i]=false is hers to change", NULL,
	  "[Daemon]\nAutolock[$i]=false\n", 0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "alice's own [$i] file is hers to change", NULL,
	  "[$i]\n[Daemon]\nTimeout=0\n", 0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "alice's own [Daemon][$i] is hers to change", NULL,
	  "[Daemon][$i]\nLock=false\n", 0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "alice's [$i] beside a system file that holds nothing is hers",
	  "[Daemon]\nTimeout=10\n", "[Daemon]\nRequirePassword[$i]=false\n",
	  0, 0, 0, "~/.config/kscreenlockerrc" },
	{ "alice making every key [$i] locks, but not by the administrator", NULL,
	  "[$i]\n[Daemon]\nTimeout=10\n", 1, 605, 0, "~/.config/kscreenlockerrc" },
	{ "the administrator's [$i] is held even where alice's file also says [$i]",
	  "[Daemon]\nAutolock[$i]=false\n", "[Daemon]\nAutolock[$i]=true\n",
	  0, 0, 1, "/etc/xdg/kscreenlockerrc" },
};

static void
write_if(const char *root, const char *rel, const char *text)
{
	if (text != NULL)
		tu_write(root, rel, text);
}

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = tu_mkroot();
		struct root r;
		struct idle_lock il;
		struct mm_err e;

		write_if(dir, SYSTEM_RC, cases[i].system);
		write_if(dir, USER_RC, cases[i].user);
		assert_int_equal(root_open(&r, dir, 0, &e), 0);
		if (idle_lock_kde(&r, &alice, &il, &e) != 0)
			fail_msg("%s: failed: %s", cases[i].what, e.msg);
		if (il.locks != cases[i].locks || (il.locks && il.lock_after_s != cases[i].lock_after_s))
			fail_msg("%s: locks %d after %ld s, want %d after %ld s", cases[i].what,
			    il.locks, il.lock_after_s, cases[i].locks, cases[i].lock_after_s);
		if (il.locked_by_admin != cases[i].admin)
			fail_msg("%s: locked_by_admin %d, want %d", cases[i].what, il.locked_by_admin,
			    cases[i].admin);
		if (strcmp(il.source, cases[i].source) != 0)
			fail_msg("%s: source \"%s\", want \"%s\"", cases[i].what, il.source, cases[i].source);
		root_close(&r);
		tu_rmroot(dir);
	}
}

static void
tu_path(const char *root, const char *rel, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/%s", root, rel);

	assert_true(n > 0 && (size_t)n < len);
}

/* Files KDE reads but mamori must not: a reason, never a guess. */
static void
test_refused(void **state)
{
	enum { SYMLINK, FIFO, BINARY, SYMLINKED_DIR, SYSTEM_FIFO };
	static const char garbage[] = "[Daemon]\nAutolock=\0\x01\x02\n";
	static const struct {
		const char *what;
		int kind;
		const char *reason;
	} bad[] = {
		{ "~/.config/kscreenlockerrc is a symlink (to /etc/shadow)", SYMLINK, "file_symlink" },
		{ "~/.config/kscreenlockerrc is a FIFO", FIFO, "file_not_regular" },
		{ "~/.config/kscreenlockerrc is binary garbage", BINARY, "parse_error" },
		{ "~/.config is a symlink", SYMLINKED_DIR, "file_symlink" },
		{ "/etc/xdg/kscreenlockerrc is a FIFO", SYSTEM_FIFO, "file_not_regular" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *dir = tu_mkroot(), p[4096];
		struct root r;
		struct idle_lock il;
		struct mm_err e;
		FILE *f;

		tu_mkdirs(dir, "home/alice/.config");
		tu_mkdirs(dir, "etc/xdg");
		switch (bad[i].kind) {
		case SYMLINK:
			tu_path(dir, USER_RC, p, sizeof(p));
			assert_int_equal(symlink("/etc/shadow", p), 0);
			break;
		case FIFO:
			tu_path(dir, USER_RC, p, sizeof(p));
			assert_int_equal(mkfifo(p, 0644), 0);
			break;
		case BINARY:
			tu_path(dir, USER_RC, p, sizeof(p));
			assert_non_null(f = fopen(p, "w"));
			assert_int_equal(fwrite(garbage, 1, sizeof(garbage) - 1, f), sizeof(garbage) - 1);
			assert_int_equal(fclose(f), 0);
			break;
		case SYMLINKED_DIR:
			tu_write(dir, "home/alice/elsewhere/kscreenlockerrc", "[Daemon]\nTimeout=1\n");
			tu_path(dir, "home/alice/.config", p, sizeof(p));
			assert_int_equal(rmdir(p), 0);
			assert_int_equal(symlink("elsewhere", p), 0);
			break;
		case SYSTEM_FIFO:
			tu_path(dir, SYSTEM_RC, p, sizeof(p));
			assert_int_equal(mkfifo(p, 0644), 0);
			break;
		}
		assert_int_equal(root_open(&r, dir, 0, &e), 0);
		if (idle_lock_kde(&r, &alice, &il, &e) != -1)
			fail_msg("%s: answered locks=%d", bad[i].what, il.locks);
		if (e.reason == NULL || strcmp(e.reason, bad[i].reason) != 0)
			fail_msg("%s: reason %s, want %s", bad[i].what, e.reason ? e.reason : "(none)",
			    bad[i].reason);
		root_close(&r);
		tu_rmroot(dir);
	}
}

/* A corrupt or planted file of alice's cannot matter when the
 * administrator's file is immutable as a whole: KDE never opens it. */
static void
test_immutable_file_ignores_user_file(void **state)
{
	char *dir = tu_mkroot(), p[4096];
	struct root r;
	struct idle_lock il;
	struct mm_err e;

	(void)state;
	tu_write(dir, SYSTEM_RC, "[$i]\n[Daemon]\nTimeout=5\nLockGrace=0\n");
	tu_mkdirs(dir, "home/alice/.config");
	tu_path(dir, USER_RC, p, sizeof(p));
	assert_int_equal(mkfifo(p, 0644), 0);
	assert_int_equal(root_open(&r, dir, 0, &e), 0);
	assert_int_equal(idle_lock_kde(&r, &alice, &il, &e), 0);
	assert_int_equal(il.locks, 1);
	assert_int_equal(il.lock_after_s, 300);
	assert_int_equal(il.locked_by_admin, 1);
	root_close(&r);
	tu_rmroot(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_immutable_file_ignores_user_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
