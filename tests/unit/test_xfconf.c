/* test_xfconf: XFCE channel files as xfconfd reads them. The XML comes
 * from a person's home and is read as root, so hostile documents (entity
 * bombs, external entities, deep nesting, other encodings) must be refused
 * fast and silently; and the merge must give what XFCE gives — the
 * administrator's locks holding, xfconfd's early stops followed. */
#include <fcntl.h>
#include <time.h>
#include "testutil.h"
#include "platform/xfconf.h"

/* ---- parsing ---------------------------------------------------------- */

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

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every refused document: parse_error, the line where it is, in well
 * under a second, and not a byte on stderr. */
static void
test_refused(void **state)
{
	static char deep[4096];
	static const struct {
		const char *what, *text;
		size_t len;	/* 0: strlen */
		const char *line;
	} bad[] = {
		{ "billion laughs (entity expansion bomb)", billion_laughs, 0, "line 2 " },
		{ "external entity (XXE) naming /etc/shadow",
		  "<?xml version=\"1.0\"?>\n<!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/shadow\">]>\n"
		  "<channel name=\"c\" version=\"1.0\"><property name=\"p\" type=\"string\" value=\"&x;\"/></channel>\n",
		  0, "line 2 " },
		{ "a DOCTYPE alone", "<?xml version=\"1.0\"?>\n\n<!DOCTYPE channel SYSTEM \"http://example.com/x.dtd\">\n<channel/>\n",
		  0, "line 3 " },
		{ "an ENTITY declaration without DOCTYPE keyword first", "<channel>\n<!ENTITY x \"y\">\n</channel>\n",
		  0, "line 2 " },
		{ "an undefined entity reference", "<channel name=\"c\" version=\"1.0\">\n<property name=\"p\" type=\"string\" value=\"&foo;\"/>\n</channel>\n",
		  0, "line 2" },
		{ "malformed: unclosed element", "<channel name=\"c\" version=\"1.0\">\n  <property name=\"p\" type=\"int\" value=\"1\">\n</channel>\n",
		  0, "line 3" },
		{ "malformed: two roots", "<channel/>\n<channel/>\n", 0, "line 2" },
		{ "malformed: duplicate attribute", "<channel name=\"a\" name=\"b\"/>\n", 0, "line 1" },
		{ "empty file", "", 0, "line " },
		{ "not XML at all", "[Daemon]\nTimeout=5\n", 0, "line 1" },
		{ "not UTF-8 (Latin-1 byte)", "<channel name=\"caf\xe9\" version=\"1.0\"/>\n", 0, "line 1 " },
		{ "UTF-16 with a BOM, hiding a DOCTYPE from a byte scan",
		  "\xff\xfe<\0!\0D\0O\0C\0T\0Y\0P\0E\0 \0x\0>\0", 26, "line 1 " },
		{ "a NUL byte", "<channel/>\0<x/>", 15, "line 1" },
		{ "nested 100 deep", deep, 0, "line 1" },
	};

	(void)state;
	{
		size_t n = 0;

		for (int i = 0; i < 100; i++)
			n += (size_t)snprintf(deep + n, sizeof(deep) - n, "<property>");
		for (int i = 0; i < 100; i++)
			n += (size_t)snprintf(deep + n, sizeof(deep) - n, "</property>");
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xfconf_doc doc;
		struct mm_err e;
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
		char errfile[] = "/tmp/mamori-stderr-XXXXXX";
		int fd = mkstemp(errfile), saved;
		double t0;
		struct stat st;
		int rc;

		assert_true(fd >= 0);
		fflush(stderr);
		saved = dup(2);
		assert_true(saved >= 0);
		assert_int_equal(dup2(fd, 2), 2);
		t0 = now_s();
		rc = xfconf_parse(bad[i].text, len, &doc, &e);
		t0 = now_s() - t0;
		fflush(stderr);
		assert_int_equal(dup2(saved, 2), 2);
		close(saved);
		assert_int_equal(fstat(fd, &st), 0);
		close(fd);
		unlink(errfile);
		if (rc != -1)
			fail_msg("%s: accepted", bad[i].what);
		assert_string_equal(e.reason, "parse_error");
		if (strstr(e.msg, bad[i].line) == NULL)
			fail_msg("%s: message \"%s\" does not say %s", bad[i].what, e.msg, bad[i].line);
		if (t0 > 0.5)
			fail_msg("%s: took %.2f s to refuse", bad[i].what, t0);
		if (st.st_size != 0)
			fail_msg("%s: libxml2 wrote %lld bytes to stderr", bad[i].what, (long long)st.st_size);
		assert_int_equal(doc.n, 0);
	}
}

/* ---- merging ---------------------------------------------------------- */

static const char *const staff_members[] = { "alice", NULL };

static int
in_group(void *ctx, const char *group, struct mm_err *e)
{
	(void)ctx;
	if (strcmp(group, "broken") == 0) {
		err_set(e, "file_unreadable", "/etc/group could not be read");
		return -1;
	}
	if (strcmp(group, "staff") == 0)
		for (size_t i = 0; staff_members[i] != NULL; i++)
			if (strcmp(staff_members[i], "alice") == 0)
				return 1;
	return 0;
}

static const struct xfconf_who alice = { "alice", in_group, NULL };

#define CH(body) "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<channel name=\"xfce4-screensaver\" version=\"1.0\">\n" body "</channel>\n"
#define LOCKED_CH(attrs, body) "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<channel name=\"xfce4-screensaver\" version=\"1.0\" " attrs ">\n" body "</channel>\n"
#define LOCK_ENABLED(v) "<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"bool\" value=\"" v "\"/></property>\n"
#define DELAY(t, v) "<property name=\"saver\" type=\"empty\"><property name=\"idle-activation\" type=\"empty\">" \
    "<property name=\"delay\" type=\"" t "\" value=\"" v "\"/></property></property>\n"

enum { ABSENT = -99 };

static const struct {
	const char *what;
	const char *sys1, *sys2, *user;	/* sys1 then sys2, the system files */
	const char *path;
	int b;		/* xfconf_get_bool(path, -1) */
	long i;		/* xfconf_get_int(path, ABSENT) */
	int locked;	/* xfconf_is_locked(path) */
	int ch_locked;
	size_t stopped;
} cases[] = {
	{ "a bool from the system file", CH(LOCK_ENABLED("false")), NULL, NULL,
	  "/lock/enabled", 0, ABSENT, 0, 0, 0 },
	{ "nested properties make a path", CH(DELAY("int", "15")), NULL, NULL,
	  "/saver/idle-activation/delay", -1, 15, 0, 0, 0 },
	{ "the person's value overrides the system's", CH(LOCK_ENABLED("true")), NULL,
	  CH(LOCK_ENABLED("false")), "/lock/enabled", 0, ABSENT, 0, 0, 0 },
	{ "a later system file overrides an earlier one", CH(DELAY("int", "5")), CH(DELAY("int", "7")),
	  NULL, "/saver/idle-activation/delay", -1, 7, 0, 0, 0 },
	{ "type empty in the person's file leaves the system's value",
	  CH(DELAY("int", "5")), NULL,
	  CH("<property name=\"saver\" type=\"empty\"><property name=\"idle-activation\" type=\"empty\">"
	     "<property name=\"delay\" type=\"empty\"/></property></property>\n"),
	  "/saver/idle-activation/delay", -1, 5, 0, 0, 0 },
	{ "integers in base 0: hex", CH(DELAY("int", "0x10")), NULL, NULL,
	  "/saver/idle-activation/delay", -1, 16, 0, 0, 0 },
	{ "integers in base 0: a leading 0 is octal", CH(DELAY("int", "010")), NULL, NULL,
	  "/saver/idle-activation/delay", -1, 8, 0, 0, 0 },
	{ "a uint is not an int to xfconf_channel_get_int", CH(DELAY("uint", "15")), NULL, NULL,
	  "/saver/idle-activation/delay", -1, ABSENT, 0, 0, 0 },
	{ "an int16 reaches programs as an int", CH(DELAY("int16", "15")), NULL, NULL,
	  "/saver/idle-activation/delay", -1, 15, 0, 0, 0 },
	{ "a string \"false\" is not a bool", CH("<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"string\" value=\"false\"/></property>\n"),
	  NULL, NULL, "/lock/enabled", -1, ABSENT, 0, 0, 0 },
	{ "comments, text and processing instructions are ignored",
	  CH("<!-- c --><?pi x?>text<property name=\"lock\" type=\"empty\">more<![CDATA[ z ]]><property name=\"enabled\" type=\"bool\" value=\"false\"/></property>\n"),
	  NULL, NULL, "/lock/enabled", 0, ABSENT, 0, 0, 0 },
	{ "arrays with <value> elements are read past",
	  CH("<property name=\"saver\" type=\"empty\"><property name=\"themes\" type=\"empty\">"
	     "<property name=\"list\" type=\"array\"><value type=\"string\" value=\"a\"/><value type=\"int\" value=\"2\"/></property>"
	     "</property></property>\n" LOCK_ENABLED("false")),
	  NULL, NULL, "/lock/enabled", 0, ABSENT, 0, 0, 0 },

	/* xfconfd stops reading a file at the first element it refuses. */
	{ "a bool that does not parse is false, and reading stops there",
	  CH(LOCK_ENABLED("true")), NULL, CH(LOCK_ENABLED("yes") DELAY("int", "1")),
	  "/lock/enabled", 0, ABSENT, 0, 0, 1 },
	{ "... so what follows it is not read",
	  CH(DELAY("int", "5")), NULL, CH(LOCK_ENABLED("yes") DELAY("int", "1")),
	  "/saver/idle-activation/delay", -1, 5, 0, 0, 1 },
	{ "an int with trailing text is 0, and reading stops", CH(DELAY("int", "5")), NULL,
	  CH(DELAY("int", "15 ")), "/saver/idle-activation/delay", -1, 0, 0, 0, 1 },
	{ "an unknown attribute stops reading, changing nothing", CH(LOCK_ENABLED("true")), NULL,
	  CH("<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"bool\" value=\"false\" color=\"red\"/></property>\n"),
	  "/lock/enabled", 1, ABSENT, 0, 0, 1 },
	{ "an unknown type stops reading, clearing the person's value",
	  CH(LOCK_ENABLED("true")), NULL,
	  CH(LOCK_ENABLED("false") "<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"boolean\" value=\"false\"/></property>\n"),
	  "/lock/enabled", 1, ABSENT, 0, 0, 1 },
	{ "an unknown element stops reading", NULL, NULL,
	  CH("<setting name=\"x\"/>\n" LOCK_ENABLED("false")), "/lock/enabled", -1, ABSENT, 0, 0, 1 },
	{ "a namespace declaration is an unknown attribute to GMarkup", NULL, NULL,
	  "<channel xmlns=\"urn:x\" name=\"c\" version=\"1.0\">" LOCK_ENABLED("false") "</channel>",
	  "/lock/enabled", -1, ABSENT, 0, 0, 1 },
	{ "version 2 is not read at all", NULL, NULL,
	  "<channel name=\"c\" version=\"2.0\">" LOCK_ENABLED("false") "</channel>",
	  "/lock/enabled", -1, ABSENT, 0, 0, 1 },
	{ "a root other than <channel> is not read", NULL, NULL,
	  "<settings name=\"c\" version=\"1.0\">" LOCK_ENABLED("false") "</settings>",
	  "/lock/enabled", -1, ABSENT, 0, 0, 1 },
	{ "a name holding '/' shifts its siblings, as in xfconfd", NULL, NULL,
	  CH("<property name=\"a/b\" type=\"empty\"><property name=\"c\" type=\"int\" value=\"1\"/></property>"
	     "<property name=\"d\" type=\"int\" value=\"2\"/>\n"),
	  "/a/d", -1, 2, 0, 0, 0 },

	/* Administrator locks (system files only). */
	{ "locked=\"alice\" holds against alice's own file",
	  CH("<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"bool\" value=\"true\" locked=\"alice\"/></property>\n"),
	  NULL, CH(LOCK_ENABLED("false")), "/lock/enabled", 1, ABSENT, 1, 0, 0 },
	{ "locked=\"@staff\" holds for a member of staff",
	  CH("<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"bool\" value=\"true\" locked=\"bob;@staff\"/></property>\n"),
	  NULL, CH(LOCK_ENABLED("false")), "/lock/enabled", 1, ABSENT, 1, 0, 0 },
	{ "locked=\"bob\" does not hold for alice",
	  CH("<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"bool\" value=\"true\" locked=\"bob\"/></property>\n"),
	  NULL, CH(LOCK_ENABLED("false")), "/lock/enabled", 0, ABSENT, 0, 0, 0 },
	{ "\"*\" is no wildcard to xfconf: it locks nobody",
	  CH("<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"bool\" value=\"true\" locked=\"*\"/></property>\n"),
	  NULL, CH(LOCK_ENABLED("false")), "/lock/enabled", 0, ABSENT, 0, 0, 0 },
	{ "unlocked=\"bob\" locks it for everyone else",
	  CH("<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"bool\" value=\"true\" unlocked=\"bob\"/></property>\n"),
	  NULL, CH(LOCK_ENABLED("false")), "/lock/enabled", 1, ABSENT, 1, 0, 0 },
	{ "a locked channel: alice's file is not read",
	  LOCKED_CH("locked=\"@staff\"", DELAY("int", "5")), NULL, CH(DELAY("int", "60")),
	  "/saver/idle-activation/delay", -1, 5, 1, 1, 0 },
	{ "a locked channel locks even what it does not set",
	  LOCKED_CH("locked=\"alice\"", DELAY("int", "5")), NULL, CH(LOCK_ENABLED("false")),
	  "/lock/enabled", -1, ABSENT, 1, 1, 0 },
	{ "a lock starts the channel afresh: earlier system values are dropped",
	  CH(LOCK_ENABLED("false")), LOCKED_CH("locked=\"alice\"", DELAY("int", "5")), NULL,
	  "/lock/enabled", -1, ABSENT, 1, 1, 0 },
	{ "a later system file that unlocks a locked channel is not read",
	  LOCKED_CH("locked=\"alice\"", DELAY("int", "5")), LOCKED_CH("unlocked=\"alice\"", DELAY("int", "60")),
	  NULL, "/saver/idle-activation/delay", -1, 5, 1, 1, 1 },
	{ "a later system file without lock attributes still merges into a locked channel",
	  LOCKED_CH("locked=\"alice\"", DELAY("int", "5")), CH(DELAY("int", "3")),
	  NULL, "/saver/idle-activation/delay", -1, 3, 1, 1, 0 },
	{ "locked= in alice's own file is refused there, clearing her value",
	  CH(LOCK_ENABLED("true")), NULL,
	  CH("<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"bool\" value=\"false\" locked=\"alice\"/></property>\n"),
	  "/lock/enabled", 1, ABSENT, 0, 0, 1 },
	{ "a locked channel in alice's own file is refused", NULL, NULL,
	  LOCKED_CH("locked=\"alice\"", LOCK_ENABLED("false")), "/lock/enabled", -1, ABSENT, 0, 0, 1 },
};

static void
merge_text(struct xfconf_channel *ch, const char *text, int is_system, size_t origin,
    const char *what)
{
	struct xfconf_doc doc;
	struct mm_err e;

	if (text == NULL)
		return;
	if (xfconf_parse(text, strlen(text), &doc, &e) != 0)
		fail_msg("%s: refused: %s", what, e.msg);
	if (xfconf_merge(ch, &doc, is_system, origin, &alice, &e) != 0)
		fail_msg("%s: merge failed: %s", what, e.msg);
	xfconf_doc_free(&doc);
}

static void
test_merge(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xfconf_channel ch;
		int b;
		long v;

		xfconf_channel_init(&ch);
		merge_text(&ch, cases[i].sys1, 1, 0, cases[i].what);
		merge_text(&ch, cases[i].sys2, 1, 1, cases[i].what);
		merge_text(&ch, cases[i].user, 0, 2, cases[i].what);
		b = xfconf_get_bool(&ch, cases[i].path, -1);
		v = xfconf_get_int(&ch, cases[i].path, ABSENT);
		if (b != cases[i].b || v != cases[i].i)
			fail_msg("%s: %s is bool %d int %ld, want bool %d int %ld", cases[i].what,
			    cases[i].path, b, v, cases[i].b, cases[i].i);
		if (xfconf_is_locked(&ch, cases[i].path) != cases[i].locked)
			fail_msg("%s: locked %d, want %d", cases[i].what,
			    xfconf_is_locked(&ch, cases[i].path), cases[i].locked);
		if (ch.locked != cases[i].ch_locked)
			fail_msg("%s: channel locked %d, want %d", cases[i].what, ch.locked,
			    cases[i].ch_locked);
		if (ch.stopped != cases[i].stopped)
			fail_msg("%s: stopped %zu times (%s), want %zu", cases[i].what, ch.stopped,
			    ch.stop_msg, cases[i].stopped);
		xfconf_channel_free(&ch);
	}
}

/* Whether a lock holds cannot be told without /etc/group: an error, not a
 * guess either way. */
static void
test_group_unknown(void **state)
{
	static const char sys[] = CH("<property name=\"lock\" type=\"empty\"><property name=\"enabled\" type=\"bool\" value=\"true\" locked=\"@broken\"/></property>\n");
	struct xfconf_doc doc;
	struct xfconf_channel ch;
	struct mm_err e;

	(void)state;
	xfconf_channel_init(&ch);
	assert_int_equal(xfconf_parse(sys, strlen(sys), &doc, &e), 0);
	assert_int_equal(xfconf_merge(&ch, &doc, 1, 0, &alice, &e), -1);
	assert_string_equal(e.reason, "file_unreadable");
	xfconf_doc_free(&doc);
	xfconf_channel_free(&ch);
}

/* Where a value came from, for evidence. */
static void
test_origin(void **state)
{
	struct xfconf_channel ch;
	const struct xfconf_value *v;

	(void)state;
	xfconf_channel_init(&ch);
	merge_text(&ch, CH(DELAY("int", "5") LOCK_ENABLED("true")), 1, 0, "origin");
	merge_text(&ch, CH("\n\n" DELAY("int", "9")), 0, 1, "origin");
	assert_non_null(v = xfconf_get(&ch, "/saver/idle-activation/delay"));
	assert_int_equal(v->origin, 1);
	assert_int_equal(v->line, 5);
	assert_non_null(v = xfconf_get(&ch, "/lock/enabled"));
	assert_int_equal(v->origin, 0);
	assert_null(xfconf_get(&ch, "/saver"));	/* a branch holds no value */
	assert_null(xfconf_get(&ch, "/nowhere"));
	xfconf_channel_free(&ch);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_group_unknown),
		cmocka_unit_test(test_origin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
