/* test_xfce_lock: what XFCE (xfce4-screensaver) does for alice when she
 * steps away, from the system's and her own xfce4-screensaver channel —
 * her settings count unless the administrator locked them, hostile XML is
 * refused fast, a planted symlink or FIFO gives a reason, and an XFCE
 * without xfce4-screensaver is not guessed at. */
#include <time.h>
#include "testutil.h"
#include "platform/xfce_lock.h"

#define DAEMON "usr/bin/xfce4-screensaver"
#define SYSTEM_XML "etc/xdg/xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml"
#define USER_XML "home/alice/.config/xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml"
#define USER_LABEL "~/.config/xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml"
#define SYSTEM_LABEL "/etc/xdg/xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml"

static struct person alice = { "alice", 1000, "/home/alice", PW_SET, 1, 19000, 60 };

/* The shape xfce4-screensaver-preferences writes. */
#define CH(body) "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n" \
    "<channel name=\"xfce4-screensaver\" version=\"1.0\">\n" body "</channel>\n"
#define LOCKED_CH(attrs, body) "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n" \
    "<channel name=\"xfce4-screensaver\" version=\"1.0\" " attrs ">\n" body "</channel>\n"
#define SAVER(body) "  <property name=\"saver\" type=\"empty\">\n" body "  </property>\n"
#define LOCK(body) "  <property name=\"lock\" type=\"empty\">\n" body "  </property>\n"
#define IDLE(body) "    <property name=\"idle-activation\" type=\"empty\">\n" body "    </property>\n"
#define LOCK_ACT(body) "    <property name=\"saver-activation\" type=\"empty\">\n" body "    </property>\n"
#define P(name, type, value) "      <property name=\"" name "\" type=\"" type "\" value=\"" value "\"/>\n"
#define P4(name, type, value) "    <property name=\"" name "\" type=\"" type "\" value=\"" value "\"/>\n"

static const struct {
	const char *what;
	const char *system, *user, *group;	/* NULL: no such file */
	int locks;
	long lock_after_s;
	int admin;
	const char *source;
} cases[] = {
	{ "no settings: xfce4-screensaver's defaults lock after 5 minutes", NULL, NULL, NULL,
	  1, 300, 0, "default" },
	{ "alice turned locking off", NULL, CH(LOCK(P4("enabled", "bool", "false"))), NULL,
	  0, 0, 0, USER_LABEL },
	{ "idle delay of 15 minutes", NULL, CH(SAVER(IDLE(P("delay", "int", "15")))), NULL,
	  1, 900, 0, USER_LABEL },
	{ "idle 3 minutes plus a lock delay of 2", NULL,
	  CH(SAVER(IDLE(P("delay", "int", "3"))) LOCK(LOCK_ACT(P("delay", "int", "2")))), NULL,
	  1, 300, 0, USER_LABEL },
	{ "an idle delay of 0 is taken as 10 minutes", NULL, CH(SAVER(IDLE(P("delay", "int", "0")))), NULL,
	  1, 600, 0, USER_LABEL },
	{ "an idle delay over 480 is taken as 480 minutes", NULL,
	  CH(SAVER(IDLE(P("delay", "int", "1000")))), NULL, 1, 28800, 0, USER_LABEL },
	{ "a negative lock delay is taken as 0", NULL, CH(LOCK(LOCK_ACT(P("delay", "int", "-5")))), NULL,
	  1, 300, 0, USER_LABEL },
	{ "the screensaver switched off never locks", NULL, CH(SAVER(P4("enabled", "bool", "false"))), NULL,
	  0, 0, 0, USER_LABEL },
	{ "no activation when idle never locks", NULL, CH(SAVER(IDLE(P("enabled", "bool", "false")))), NULL,
	  0, 0, 0, USER_LABEL },
	{ "no lock when the saver starts never locks", NULL, CH(LOCK(LOCK_ACT(P("enabled", "bool", "false")))), NULL,
	  0, 0, 0, USER_LABEL },
	{ "a delay written as a string is not an int: the default holds", NULL,
	  CH(SAVER(IDLE(P("delay", "string", "60")))), NULL, 1, 300, 0, USER_LABEL },
	{ "the system's copy applies when alice has none", CH(SAVER(IDLE(P("delay", "int", "10")))), NULL, NULL,
	  1, 600, 0, SYSTEM_LABEL },
	{ "alice overrides a system setting that is not locked",
	  CH(LOCK(P4("enabled", "bool", "true"))), CH(LOCK(P4("enabled", "bool", "false"))), NULL,
	  0, 0, 0, USER_LABEL },
	{ "a property locked for alice's group holds against her file",
	  CH(LOCK("    <property name=\"enabled\" type=\"bool\" value=\"true\" locked=\"@staff\"/>\n")),
	  CH(LOCK(P4("enabled", "bool", "false"))), "staff:x:50:bob,alice\n",
	  1, 300, 0, "default" },
	{ "a lock for another group does not hold",
	  CH(LOCK("    <property name=\"enabled\" type=\"bool\" value=\"true\" locked=\"@staff\"/>\n")),
	  CH(LOCK(P4("enabled", "bool", "false"))), "staff:x:50:bob\nalice:x:1000:\n",
	  0, 0, 0, USER_LABEL },
	{ "the administrator locking the lock off is admin-held",
	  CH(LOCK("    <property name=\"enabled\" type=\"bool\" value=\"false\" locked=\"alice\"/>\n")),
	  CH(LOCK(P4("enabled", "bool", "true"))), NULL, 0, 0, 1, SYSTEM_LABEL },
	{ "a channel locked for alice: her file is not read, and all of it is admin-held",
	  LOCKED_CH("locked=\"@staff\"", SAVER(IDLE(P("delay", "int", "4")))),
	  CH(LOCK(P4("enabled", "bool", "false"))), "staff:x:50:alice\n",
	  1, 240, 1, SYSTEM_LABEL },
	{ "xfconfd's early stop is followed: a bad bool is false",
	  NULL, CH(LOCK(P4("enabled", "bool", "no"))), NULL, 0, 0, 0, USER_LABEL },
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

		tu_write(dir, DAEMON, "");
		write_if(dir, SYSTEM_XML, cases[i].system);
		write_if(dir, USER_XML, cases[i].user);
		write_if(dir, "etc/group", cases[i].group);
		assert_int_equal(root_open(&r, dir, 0, &e), 0);
		if (idle_lock_xfce(&r, &alice, &il, &e) != 0)
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

static const char billion_laughs[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE lolz [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    "]>\n"
    "<channel name=\"xfce4-screensaver\" version=\"1.0\">\n"
    "  <property name=\"lock\" type=\"empty\">\n"
    "    <property name=\"enabled\" type=\"string\" value=\"&lol9;\"/>\n"
    "  </property>\n"
    "</channel>\n";

/* What must give a reason, never an answer. */
static void
test_refused(void **state)
{
	enum { NO_DAEMON, BOMB, MALFORMED, SYMLINK, FIFO, SYMLINKED_DIR, GROUP_FIFO };
	static const struct {
		const char *what;
		int kind;
		const char *reason;
	} bad[] = {
		{ "xfce4-screensaver is not installed (light-locker, or nothing)", NO_DAEMON, "no_reader" },
		{ "an entity bomb in alice's channel file", BOMB, "parse_error" },
		{ "malformed XML in alice's channel file", MALFORMED, "parse_error" },
		{ "alice's channel file is a symlink to /etc/shadow", SYMLINK, "file_symlink" },
		{ "alice's channel file is a FIFO", FIFO, "file_not_regular" },
		{ "alice's ~/.config/xfce4 is a symlink", SYMLINKED_DIR, "file_symlink" },
		{ "/etc/group is a FIFO when a lock names a group", GROUP_FIFO, "file_not_regular" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *dir = tu_mkroot(), p[4096];
		struct root r;
		struct idle_lock il;
		struct mm_err e;
		struct timespec t0, t1;

		if (bad[i].kind != NO_DAEMON)
			tu_write(dir, DAEMON, "");
		tu_mkdirs(dir, "home/alice/.config/xfce4/xfconf/xfce-perchannel-xml");
		switch (bad[i].kind) {
		case NO_DAEMON:
			tu_write(dir, "usr/bin/light-locker", "");
			tu_write(dir, USER_XML, CH(LOCK(P4("enabled", "bool", "true"))));
			break;
		case BOMB:
			tu_write(dir, USER_XML, billion_laughs);
			break;
		case MALFORMED:
			tu_write(dir, USER_XML, "<channel name=\"xfce4-screensaver\" version=\"1.0\">\n<property name=\"lock\"\n");
			break;
		case SYMLINK:
			tu_path(dir, USER_XML, p, sizeof(p));
			assert_int_equal(symlink("/etc/shadow", p), 0);
			break;
		case FIFO:
			tu_path(dir, USER_XML, p, sizeof(p));
			assert_int_equal(mkfifo(p, 0644), 0);
			break;
		case SYMLINKED_DIR:
			tu_write(dir, "home/alice/elsewhere/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml",
			    CH(SAVER(IDLE(P("delay", "int", "1")))));
			tu_path(dir, "home/alice/.config/xfce4", p, sizeof(p));
			{
				char cmd[4200];
				int n = snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p);

				assert_true(n > 0 && (size_t)n < sizeof(cmd));
				assert_int_equal(system(cmd), 0);
			}
			assert_int_equal(symlink("../elsewhere", p), 0);
			break;
		case GROUP_FIFO:
			tu_write(dir, SYSTEM_XML,
			    CH(LOCK("    <property name=\"enabled\" type=\"bool\" value=\"true\" locked=\"@staff\"/>\n")));
			tu_mkdirs(dir, "etc");
			tu_path(dir, "etc/group", p, sizeof(p));
			assert_int_equal(mkfifo(p, 0644), 0);
			break;
		}
		assert_int_equal(root_open(&r, dir, 0, &e), 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (idle_lock_xfce(&r, &alice, &il, &e) != -1)
			fail_msg("%s: answered locks=%d", bad[i].what, il.locks);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (e.reason == NULL || strcmp(e.reason, bad[i].reason) != 0)
			fail_msg("%s: reason %s (%s), want %s", bad[i].what, e.reason ? e.reason : "(none)",
			    e.msg, bad[i].reason);
		if ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 > 500)
			fail_msg("%s: took over half a second", bad[i].what);
		root_close(&r);
		tu_rmroot(dir);
	}
}

/* A channel locked for alice: whatever she planted in her own file is
 * never opened, as xfconfd never opens it. */
static void
test_locked_channel_ignores_user_file(void **state)
{
	char *dir = tu_mkroot(), p[4096];
	struct root r;
	struct idle_lock il;
	struct mm_err e;

	(void)state;
	tu_write(dir, DAEMON, "");
	tu_write(dir, SYSTEM_XML, LOCKED_CH("locked=\"alice\"", SAVER(IDLE(P("delay", "int", "5")))));
	tu_mkdirs(dir, "home/alice/.config/xfce4/xfconf/xfce-perchannel-xml");
	tu_path(dir, USER_XML, p, sizeof(p));
	assert_int_equal(mkfifo(p, 0644), 0);
	assert_int_equal(root_open(&r, dir, 0, &e), 0);
	assert_int_equal(idle_lock_xfce(&r, &alice, &il, &e), 0);
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
		cmocka_unit_test(test_locked_channel_ignores_user_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
