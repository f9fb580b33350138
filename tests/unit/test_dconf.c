/* dconf: what a person's GNOME really uses — their own value, unless an
 * administrator's lock in a system database holds the key, else the
 * schema's default — and which file said so. Databases and schemas are
 * made at run time by the real tools (`dconf compile`,
 * `glib-compile-schemas`) from keyfile text and small schema files
 * copied from the real ones' keys. */
#include "testutil.h"
#include <fcntl.h>
#include <sys/stat.h>
#include "platform/dconf.h"

/* org.gnome.desktop.session idle-delay as gsettings-desktop-schemas 43
 * ships it; a second key to read a string through. */
#define SCHEMA_SESSION \
	"<schemalist>\n" \
	"  <schema id=\"org.gnome.desktop.session\" path=\"/org/gnome/desktop/session/\">\n" \
	"    <key name=\"idle-delay\" type=\"u\"><default>300</default></key>\n" \
	"    <key name=\"session-name\" type=\"s\"><default>\"gnome\"</default></key>\n" \
	"  </schema>\n" \
	"</schemalist>\n"

#define IDLE "/org/gnome/desktop/session/idle-delay"

static int
have_tools(void)
{
	return system("command -v dconf >/dev/null 2>&1 && "
	    "command -v glib-compile-schemas >/dev/null 2>&1") == 0;
}

static void
run(const char *fmt, const char *a, const char *b)
{
	char cmd[9000];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	assert_int_equal(system(cmd), 0);
}

/* Compiles keyfile text (and lock lines, or NULL) into root/rel. */
static void
compile_db(const char *root, const char *rel, const char *keyfile, const char *locks)
{
	char out[4200], kf[4200];
	static int seq;

	snprintf(kf, sizeof(kf), "%s/.kf%d", root, seq);
	snprintf(out, sizeof(out), ".kf%d/00-settings", seq);
	tu_write(root, out, keyfile);
	if (locks != NULL) {
		snprintf(out, sizeof(out), ".kf%d/locks/00-locks", seq);
		tu_write(root, out, locks);
	}
	seq++;
	snprintf(out, sizeof(out), "%s/%s", root, rel);
	*strrchr(out, '/') = '\0';
	run("mkdir -p '%s'%s", out, "");
	snprintf(out, sizeof(out), "%s/%s", root, rel);
	run("dconf compile '%s' '%s'", out, kf);
}

static void
compile_schemas(const char *root, const char *dir, const char *xml)
{
	char rel[512], path[4200];

	snprintf(rel, sizeof(rel), "%s/org.gnome.desktop.session.gschema.xml", dir);
	tu_write(root, rel, xml);
	snprintf(path, sizeof(path), "%s/%s", root, dir);
	run("glib-compile-schemas --strict '%s'%s", path, "");
}

/* root/rel as a path (one at a time). */
static const char *
at(const char *root, const char *rel)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return path;
}

static const struct person sato = { "sato", 1000, "/home/sato", PW_SET, 1, 19990, 60 };
static const struct person suzuki = { "suzuki", 1001, "/home/suzuki", PW_SET, 1, 19990, 60 };

struct rcase {
	const char *what;
	const char *profile;		/* /etc/dconf/profile/user, NULL none */
	const char *user_kf;		/* ~/.config/dconf/user, NULL none */
	const char *local_kf, *local_locks;	/* /etc/dconf/db/local */
	long want;			/* -1: error */
	const char *source;
	int locked;
};

static const struct rcase rcases[] = {
	{ "no profile, no settings: the schema default (300 s)",
	  NULL, NULL, NULL, NULL, 300, "schema default", 0 },
	{ "no profile: the built-in user-db:user is read",
	  NULL, "[org/gnome/desktop/session]\nidle-delay=uint32 0\n", NULL, NULL,
	  0, "~/.config/dconf/user", 0 },
	{ "the person's value wins over a system value without a lock",
	  "user-db:user\nsystem-db:local\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 1800\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 300\n", NULL,
	  1800, "~/.config/dconf/user", 0 },
	{ "the system value fills in what the person did not set",
	  "user-db:user\nsystem-db:local\n",
	  "[org/gnome/desktop/screensaver]\nlock-enabled=true\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 240\n", NULL,
	  240, "/etc/dconf/db/local", 0 },
	{ "an administrator's lock overrides the person's value",
	  "user-db:user\nsystem-db:local\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 0\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 300\n", IDLE "\n",
	  300, "/etc/dconf/db/local", 1 },
	{ "a lock without a system value leaves the schema default",
	  "user-db:user\nsystem-db:local\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 0\n",
	  "[org/gnome/desktop/screensaver]\nlock-enabled=true\n", IDLE "\n",
	  300, "schema default", 1 },
	{ "a lock on another key changes nothing",
	  "user-db:user\nsystem-db:local\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 0\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 300\n",
	  "/org/gnome/desktop/screensaver/lock-enabled\n",
	  0, "~/.config/dconf/user", 0 },
	{ "a system database first in the profile is read first",
	  "system-db:local\nuser-db:user\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 0\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 120\n", NULL,
	  120, "/etc/dconf/db/local", 0 },
	{ "int32 where the schema says uint32: GSettings shows the default",
	  NULL, "[org/gnome/desktop/session]\nidle-delay=1800\n", NULL, NULL,
	  300, "schema default (~/.config/dconf/user holds a value of the wrong type)", 0 },
	{ "a profile of comments, blanks and unknown lines is no database at all",
	  "# managed by IT\n\n   \nfoo-db:bar\nuser-db:\nnonsense\n",
	  "[org/gnome/desktop/session]\nidle-delay=uint32 0\n", NULL, NULL,
	  300, "schema default", 0 },
	{ "profile lines with blanks and trailing comments",
	  "  user-db:user   # the person\n\tsystem-db:local\t\n",
	  NULL, "[org/gnome/desktop/session]\nidle-delay=uint32 60\n", NULL,
	  60, "/etc/dconf/db/local", 0 },
	{ "a system database the profile names but that is not compiled",
	  "user-db:user\nsystem-db:missing\n", NULL, NULL, NULL, 300, "schema default", 0 },
	{ "service-db cannot be read by mamori",
	  "service-db:keyfile/user\n", NULL, NULL, NULL, -1, "dconf_service_db", 0 },
	{ "a lock decides even when the person's database would be read through the service",
	  "service-db:keyfile/user\nsystem-db:local\n", NULL,
	  "[org/gnome/desktop/session]\nidle-delay=uint32 300\n", IDLE "\n",
	  300, "/etc/dconf/db/local", 1 },
};

static void
test_resolution(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	for (size_t i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		const struct rcase *c = &rcases[i];
		char *root = tu_mkroot();
		struct root r;
		struct dconf d;
		struct dconf_value v;
		struct mm_err e;
		uint32_t u;
		int rc;

		compile_schemas(root, "usr/share/glib-2.0/schemas", SCHEMA_SESSION);
		if (c->profile)
			tu_write(root, "etc/dconf/profile/user", c->profile);
		if (c->user_kf)
			compile_db(root, "home/sato/.config/dconf/user", c->user_kf, NULL);
		if (c->local_kf)
			compile_db(root, "etc/dconf/db/local", c->local_kf, c->local_locks);
		assert_int_equal(root_open(&r, root, 0, &e), 0);
		assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
		err_clear(&e);
		rc = dconf_read(&d, "org.gnome.desktop.session", "idle-delay", &v, &e);
		if (c->want == -1) {
			if (rc != -1)
				fail_msg("%s: read succeeded", c->what);
			assert_string_equal(e.reason, c->source);
		} else {
			if (rc != 0)
				fail_msg("%s: %s", c->what, e.msg);
			assert_int_equal(gvariant_get_u32(&v.v, &u, &e), 0);
			if ((long)u != c->want || strcmp(v.source, c->source) != 0 ||
			    v.locked != c->locked)
				fail_msg("%s: got %u from \"%s\" locked %d", c->what, u, v.source, v.locked);
		}
		dconf_close(&d);
		root_close(&r);
		tu_rmroot(root);
	}
}

/* What dconf reads first: the mandatory profile, then the runtime one,
 * then /etc, then XDG_DATA_DIRS. */
static void
test_profile_order(void **state)
{
	char *root;
	struct root r;
	struct dconf d;
	struct mm_err e;

	(void)state;
	root = tu_mkroot();
	assert_int_equal(root_open(&r, root, 0, &e), 0);
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_string_equal(d.profile, "built-in default (user-db:user)");
	assert_int_equal(d.n, 1);
	assert_string_equal(d.src[0].path, "/home/sato/.config/dconf/user");
	dconf_close(&d);

	tu_write(root, "usr/share/dconf/profile/user", "system-db:a\n");
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_string_equal(d.profile, "/usr/share/dconf/profile/user");
	dconf_close(&d);
	tu_write(root, "etc/dconf/profile/user", "user-db:user\nsystem-db:b\n");
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_string_equal(d.profile, "/etc/dconf/profile/user");
	assert_int_equal(d.n, 2);
	assert_string_equal(d.src[1].path, "/etc/dconf/db/b");
	dconf_close(&d);
	tu_write(root, "run/user/1000/dconf/profile", "system-db:c\n");
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_string_equal(d.profile, "/run/user/1000/dconf/profile");
	dconf_close(&d);
	tu_write(root, "run/dconf/user/1000", "file-db:/srv/kiosk.db\n");
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_string_equal(d.profile, "/run/dconf/user/1000");
	assert_int_equal(d.src[0].kind, DCONF_FILE_DB);
	assert_string_equal(d.src[0].path, "/srv/kiosk.db");
	dconf_close(&d);

	/* A profile that is a symlink is not followed: unknown, not default. */
	assert_int_equal(unlink(at(root, "run/dconf/user/1000")), 0);
	assert_int_equal(symlink("/etc/dconf/profile/user", at(root, "run/dconf/user/1000")), 0);
	assert_int_equal(dconf_open(&d, &r, &sato, &e), -1);
	assert_string_equal(e.reason, "file_symlink");
	root_close(&r);
	tu_rmroot(root);
}

/* The person's own database planted as something else than a file. */
enum plant { P_SYMLINK, P_FIFO, P_TRUNCATED, P_GARBAGE, P_HUGE };

static const struct {
	const char *what;
	enum plant how;
	const char *reason;
} plants[] = {
	{ "~/.config/dconf/user is a symlink to another person's file", P_SYMLINK, "file_symlink" },
	{ "~/.config/dconf/user is a FIFO (a read would block)", P_FIFO, "file_not_regular" },
	{ "~/.config/dconf/user cut short in the middle", P_TRUNCATED, "parse_error" },
	{ "~/.config/dconf/user is not a database", P_GARBAGE, "parse_error" },
	{ "~/.config/dconf/user is larger than any settings database", P_HUGE, "file_too_large" },
};

static void
test_unreadable_user_db(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	for (size_t i = 0; i < sizeof(plants) / sizeof(plants[0]); i++) {
		char *root = tu_mkroot(), path[4200], other[4200];
		struct root r;
		struct dconf d;
		struct dconf_value v;
		struct mm_err e;
		int fd;

		compile_schemas(root, "usr/share/glib-2.0/schemas", SCHEMA_SESSION);
		compile_db(root, "home/sato/.config/dconf/real", "[org/gnome/desktop/session]\nidle-delay=uint32 60\n", NULL);
		snprintf(path, sizeof(path), "%s/home/sato/.config/dconf/user", root);
		snprintf(other, sizeof(other), "%s/home/sato/.config/dconf/real", root);
		switch (plants[i].how) {
		case P_SYMLINK:
			assert_int_equal(symlink(other, path), 0);
			break;
		case P_FIFO:
			assert_int_equal(mkfifo(path, 0600), 0);
			break;
		case P_TRUNCATED:
			assert_int_equal(rename(other, path), 0);
			assert_int_equal(truncate(path, 40), 0);
			break;
		case P_GARBAGE:
			tu_write(root, "home/sato/.config/dconf/user", "[org/gnome/desktop/session]\nidle-delay=0\n");
			break;
		case P_HUGE:
			fd = open(path, O_WRONLY | O_CREAT, 0600);
			assert_true(fd >= 0);
			assert_int_equal(ftruncate(fd, (off_t)ROOT_CAP_TABLE + 1), 0);
			close(fd);
			break;
		}
		assert_int_equal(root_open(&r, root, 0, &e), 0);
		assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
		err_clear(&e);
		if (dconf_read(&d, "org.gnome.desktop.session", "idle-delay", &v, &e) != -1)
			fail_msg("%s: read as %s", plants[i].what, v.source);
		if (strcmp(e.reason, plants[i].reason) != 0)
			fail_msg("%s: reason %s (%s)", plants[i].what, e.reason, e.msg);
		dconf_close(&d);
		root_close(&r);
		tu_rmroot(root);
	}
}

static void
test_lock_survives_broken_user_db(void **state)
{
	/* The administrator's lock decides without consulting the person's
	 * database, so a planted symlink there cannot turn a locked setting
	 * into an unknown one. */
	char *root, path[4200];
	struct root r;
	struct dconf d;
	struct dconf_value v;
	struct mm_err e;
	uint32_t u;

	(void)state;
	if (!have_tools())
		skip();
	root = tu_mkroot();
	compile_schemas(root, "usr/share/glib-2.0/schemas", SCHEMA_SESSION);
	tu_write(root, "etc/dconf/profile/user", "user-db:user\nsystem-db:local\n");
	compile_db(root, "etc/dconf/db/local", "[org/gnome/desktop/session]\nidle-delay=uint32 300\n", IDLE "\n");
	tu_mkdirs(root, "home/sato/.config/dconf");
	snprintf(path, sizeof(path), "%s/home/sato/.config/dconf/user", root);
	assert_int_equal(symlink("/etc/shadow", path), 0);
	assert_int_equal(root_open(&r, root, 0, &e), 0);
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_int_equal(dconf_read(&d, "org.gnome.desktop.session", "idle-delay", &v, &e), 0);
	assert_int_equal(gvariant_get_u32(&v.v, &u, &e), 0);
	assert_int_equal(u, 300);
	assert_int_equal(v.locked, 1);
	/* An unlocked key of the same person does need their database. */
	assert_int_equal(dconf_read(&d, "org.gnome.desktop.session", "session-name", &v, &e), -1);
	assert_string_equal(e.reason, "file_symlink");
	dconf_close(&d);
	root_close(&r);
	tu_rmroot(root);
}

static void
test_schemas(void **state)
{
	char *root;
	struct root r;
	struct dconf d;
	struct dconf_value v;
	struct mm_err e;
	uint32_t u;
	const char *s;

	(void)state;
	if (!have_tools())
		skip();
	root = tu_mkroot();
	assert_int_equal(root_open(&r, root, 0, &e), 0);

	/* No schema installed: the desktop could not even start; unknown. */
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_int_equal(dconf_read(&d, "org.gnome.desktop.session", "idle-delay", &v, &e), -1);
	assert_string_equal(e.reason, "schema_absent");
	dconf_close(&d);

	compile_schemas(root, "usr/share/glib-2.0/schemas", SCHEMA_SESSION);
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_int_equal(dconf_read(&d, "org.gnome.desktop.session", "no-such-key", &v, &e), -1);
	assert_string_equal(e.reason, "schema_absent");
	assert_int_equal(dconf_read(&d, "org.gnome.desktop.session", "session-name", &v, &e), 0);
	assert_int_equal(gvariant_get_string(&v.v, &s, NULL, &e), 0);
	assert_string_equal(s, "gnome");
	dconf_close(&d);

	/* A vendor override compiled into /usr/local/share wins over
	 * /usr/share; the person's own schema directory wins over both. */
	compile_schemas(root, "usr/local/share/glib-2.0/schemas",
	    "<schemalist><schema id=\"org.gnome.desktop.session\" path=\"/org/gnome/desktop/session/\">"
	    "<key name=\"idle-delay\" type=\"u\"><default>120</default></key>"
	    "</schema></schemalist>\n");
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_int_equal(dconf_read(&d, "org.gnome.desktop.session", "idle-delay", &v, &e), 0);
	assert_int_equal(gvariant_get_u32(&v.v, &u, &e), 0);
	assert_int_equal(u, 120);
	dconf_close(&d);
	compile_schemas(root, "home/sato/.local/share/glib-2.0/schemas",
	    "<schemalist><schema id=\"org.gnome.desktop.session\" path=\"/org/gnome/desktop/session/\">"
	    "<key name=\"idle-delay\" type=\"u\"><default>7200</default></key>"
	    "</schema></schemalist>\n");
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_int_equal(dconf_read(&d, "org.gnome.desktop.session", "idle-delay", &v, &e), 0);
	assert_int_equal(gvariant_get_u32(&v.v, &u, &e), 0);
	assert_int_equal(u, 7200);
	dconf_close(&d);

	/* A corrupt schema cache is unknown, not "no schema". */
	tu_write(root, "usr/share/glib-2.0/schemas/gschemas.compiled", "GVariant but not really");
	assert_int_equal(unlink(at(root, "home/sato/.local/share/glib-2.0/schemas/gschemas.compiled")), 0);
	assert_int_equal(dconf_open(&d, &r, &sato, &e), 0);
	assert_int_equal(dconf_read(&d, "org.gnome.desktop.session", "idle-delay", &v, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	dconf_close(&d);
	root_close(&r);
	tu_rmroot(root);
}

/* idle-delay for p through c: its value, or -1 with e. */
static long
cached_idle(struct dconf_cache *c, const struct root *r, const struct person *p,
    char *source, size_t n, struct mm_err *e)
{
	struct dconf d;
	struct dconf_value v;
	uint32_t u;
	long got = -1;

	if (dconf_open_cached(&d, r, p, c, e) == -1)
		return -1;
	if (dconf_read(&d, "org.gnome.desktop.session", "idle-delay", &v, e) == 0 &&
	    gvariant_get_u32(&v.v, &u, e) == 0) {
		got = (long)u;
		snprintf(source, n, "%s", v.source);
	}
	dconf_close(&d);
	return got;
}

/* A screen.lock run shares the machine's files between people through a
 * cache, never a person's own; a refusal is everyone's, as it was before
 * the cache; and a cache is one run's: a new one sees rewritten files. */
static void
test_cache(void **state)
{
	char *root, src[160];
	struct root r;
	struct dconf_cache c;
	struct mm_err e;

	(void)state;
	if (!have_tools())
		skip();
	root = tu_mkroot();
	assert_int_equal(root_open(&r, root, 0, &e), 0);
	compile_schemas(root, "usr/share/glib-2.0/schemas", SCHEMA_SESSION);
	tu_write(root, "etc/dconf/profile/user", "user-db:user\nsystem-db:local\n");
	compile_db(root, "etc/dconf/db/local", "[org/gnome/desktop/session]\nidle-delay=uint32 600\n", NULL);
	compile_db(root, "home/suzuki/.config/dconf/user", "[org/gnome/desktop/session]\nidle-delay=uint32 60\n", NULL);

	dconf_cache_init(&c, &r);
	assert_int_equal(cached_idle(&c, &r, &sato, src, sizeof(src), &e), 600);
	assert_string_equal(src, "/etc/dconf/db/local");
	assert_int_equal(cached_idle(&c, &r, &suzuki, src, sizeof(src), &e), 60);
	assert_string_equal(src, "~/.config/dconf/user");
	/* The profile, the system database, both schema files (the absent
	 * /usr/local/share one as absent): kept; nothing of a person's. */
	assert_int_equal(c.n, 4);
	for (size_t i = 0; i < c.n; i++)
		assert_null(strstr(c.f[i].path, "/home/"));

	/* Rewritten during the run: the run judges everyone on what it read
	 * first; a new run (no cache here) sees the new file. */
	tu_write(root, "etc/dconf/db/local", "GVariant but not really");
	assert_int_equal(cached_idle(&c, &r, &sato, src, sizeof(src), &e), 600);
	assert_int_equal(cached_idle(NULL, &r, &sato, src, sizeof(src), &e), -1);
	assert_string_equal(e.reason, "parse_error");
	dconf_cache_free(&c);

	/* A refused machine file is refused for every person alike. */
	assert_int_equal(unlink(at(root, "etc/dconf/profile/user")), 0);
	assert_int_equal(symlink("/tmp/profile", at(root, "etc/dconf/profile/user")), 0);
	dconf_cache_init(&c, &r);
	err_clear(&e);
	assert_int_equal(cached_idle(&c, &r, &sato, src, sizeof(src), &e), -1);
	assert_string_equal(e.reason, "file_symlink");
	err_clear(&e);
	assert_int_equal(cached_idle(&c, &r, &suzuki, src, sizeof(src), &e), -1);
	assert_string_equal(e.reason, "file_symlink");
	assert_non_null(strstr(e.msg, "profile"));
	dconf_cache_free(&c);
	root_close(&r);
	tu_rmroot(root);
}

static void
test_profile_parse(void **state)
{
	static const char four[] =
	    "user-db:user\nsystem-db:local\nfile-db:/x\nservice-db:keyfile/user\n";
	struct dconf d;
	struct mm_err e;
	char big[4096];

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(dconf_profile_parse(&d, four, strlen(four), "/home/ito", &e), 0);
	assert_int_equal(d.n, 4);
	assert_string_equal(d.src[0].path, "/home/ito/.config/dconf/user");
	assert_string_equal(d.src[0].label, "~/.config/dconf/user");
	assert_string_equal(d.src[1].path, "/etc/dconf/db/local");
	assert_int_equal(d.src[2].kind, DCONF_FILE_DB);
	assert_int_equal(d.src[3].kind, DCONF_SERVICE_DB);
	assert_string_equal(d.src[3].label, "service-db:keyfile/user");
	/* Binary data is not a profile. */
	assert_int_equal(dconf_profile_parse(&d, "user-db:user\0x", 14, "/home/ito", &e), -1);
	assert_string_equal(e.reason, "parse_error");
	/* More databases than dconf would ever be given. */
	big[0] = '\0';
	for (int i = 0; i < 20; i++)
		strcat(big, "system-db:x\n");
	assert_int_equal(dconf_profile_parse(&d, big, strlen(big), "/home/ito", &e), -1);
	/* root's home is "/": its database is /.config/dconf/user. */
	assert_int_equal(dconf_profile_parse(&d, "user-db:user\n", 13, "/", &e), 0);
	assert_string_equal(d.src[0].path, "/.config/dconf/user");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolution),
		cmocka_unit_test(test_profile_order),
		cmocka_unit_test(test_unreadable_user_db),
		cmocka_unit_test(test_lock_survives_broken_user_db),
		cmocka_unit_test(test_schemas),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_profile_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
