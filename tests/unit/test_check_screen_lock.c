/* test_check_screen_lock: articles 15-5 and 15-6 — a PC left on the desk
 * locks itself within the policy's minutes, for every person and every
 * desktop installed. Each case is a small machine: session files, the
 * desktops' schemas (their lock keys copied from the real schemas), and
 * dconf databases compiled from keyfile text by the real `dconf compile`. */
#include "testutil.h"
#include "common/render.h"
#include <fcntl.h>
#include <sys/stat.h>

extern const struct check_def check_screen_lock;

/* The lock keys of each desktop, types and defaults as shipped:
 * gsettings-desktop-schemas 43 (Debian 12), mate-screensaver,
 * mate-session-manager, mate-desktop, cinnamon-desktop. */
#define SCHEMAS_GNOME \
	"<schemalist>\n" \
	"<schema id=\"org.gnome.desktop.session\" path=\"/org/gnome/desktop/session/\">\n" \
	"  <key name=\"idle-delay\" type=\"u\"><default>300</default></key>\n" \
	"</schema>\n" \
	"<schema id=\"org.gnome.desktop.screensaver\" path=\"/org/gnome/desktop/screensaver/\">\n" \
	"  <key name=\"idle-activation-enabled\" type=\"b\"><default>true</default></key>\n" \
	"  <key name=\"lock-enabled\" type=\"b\"><default>true</default></key>\n" \
	"  <key name=\"lock-delay\" type=\"u\"><default>0</default></key>\n" \
	"</schema>\n" \
	"<schema id=\"org.gnome.desktop.lockdown\" path=\"/org/gnome/desktop/lockdown/\">\n" \
	"  <key name=\"disable-lock-screen\" type=\"b\"><default>false</default></key>\n" \
	"</schema>\n" \
	"</schemalist>\n"
#define SCHEMAS_MATE \
	"<schemalist>\n" \
	"<schema id=\"org.mate.session\" path=\"/org/mate/desktop/session/\">\n" \
	"  <key name=\"idle-delay\" type=\"i\"><default>5</default></key>\n" \
	"</schema>\n" \
	"<schema id=\"org.mate.screensaver\" path=\"/org/mate-screensaver/\">\n" \
	"  <key name=\"idle-activation-enabled\" type=\"b\"><default>true</default></key>\n" \
	"  <key name=\"lock-enabled\" type=\"b\"><default>true</default></key>\n" \
	"  <key name=\"idle-delay\" type=\"i\"><default>10</default></key>\n" \
	"  <key name=\"lock-delay\" type=\"i\"><default>0</default></key>\n" \
	"</schema>\n" \
	"<schema id=\"org.mate.lockdown\" path=\"/desktop/mate/lockdown/\">\n" \
	"  <key name=\"disable-lock-screen\" type=\"b\"><default>false</default></key>\n" \
	"</schema>\n" \
	"</schemalist>\n"
#define SCHEMAS_CINNAMON \
	"<schemalist>\n" \
	"<schema id=\"org.cinnamon.desktop.session\" path=\"/org/cinnamon/desktop/session/\">\n" \
	"  <key name=\"idle-delay\" type=\"u\"><default>900</default></key>\n" \
	"</schema>\n" \
	"<schema id=\"org.cinnamon.desktop.screensaver\" path=\"/org/cinnamon/desktop/screensaver/\">\n" \
	"  <key name=\"idle-activation-enabled\" type=\"b\"><default>true</default></key>\n" \
	"  <key name=\"lock-enabled\" type=\"b\"><default>true</default></key>\n" \
	"  <key name=\"lock-delay\" type=\"u\"><default>0</default></key>\n" \
	"</schema>\n" \
	"<schema id=\"org.cinnamon.desktop.lockdown\" path=\"/org/cinnamon/desktop/lockdown/\">\n" \
	"  <key name=\"disable-lock-screen\" type=\"b\"><default>false</default></key>\n" \
	"</schema>\n" \
	"</schemalist>\n"

#define PASSWD \
	"root:x:0:0:root:/root:/bin/bash\n" \
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" \
	"sato:x:1000:1000:Sato Hanako:/home/sato:/bin/bash\n"
#define SHADOW "root:!:19990:0:99999:7:::\ndaemon:*:19990:0:99999:7:::\nsato:$6$h:19990:1:60:7:::\n"

#define XS(name) "usr/share/xsessions/" name
#define WS(name) "usr/share/wayland-sessions/" name
#define GNOME_DESKTOP "[Desktop Entry]\nName=GNOME\nExec=/usr/bin/gnome-session\nType=Application\nDesktopNames=GNOME\n"
#define MATE_DESKTOP "[Desktop Entry]\nName=MATE\nExec=mate-session\nType=Application\nDesktopNames=MATE\n"
#define CINNAMON_DESKTOP "[Desktop Entry]\nName=Cinnamon\nExec=cinnamon-session-cinnamon\nType=XSession\nDesktopNames=X-Cinnamon\n"

#define GS "[org/gnome/desktop/session]\n"
#define GSS "[org/gnome/desktop/screensaver]\n"
#define ALL_GNOME_LOCKS \
	"/org/gnome/desktop/session/idle-delay\n/org/gnome/desktop/screensaver/lock-enabled\n" \
	"/org/gnome/desktop/screensaver/lock-delay\n/org/gnome/desktop/lockdown/disable-lock-screen\n"

enum plant { P_NONE, P_SYMLINK, P_FIFO, P_TRUNCATED, P_GARBAGE };

struct want {
	const char *subject, *desktop;	/* desktop NULL: the finding has none */
	enum verdict v;
	const char *reason;
	long after_min;		/* lock_after_minutes; -1: absent; -2: not checked */
	const char *remedy;
	const char *source;	/* substring of evidence "source", or NULL */
	int admin;		/* locked_by_admin; -1: not checked */
};

struct ccase {
	const char *what;
	const char *files[4][2];	/* extra files: {path, text} */
	const char *profile, *local_kf, *local_locks, *user_kf;
	enum plant plant;
	int schemas;			/* 0: none installed */
	enum verdict verdict;
	size_t n;			/* findings in all */
	struct want f[3];
};

#define DEFAULT_PROFILE "user-db:user\nsystem-db:local\n"

static const struct ccase cases[] = {
	{ "pass: GNOME's defaults lock after 5 minutes",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, NULL, P_NONE, 1,
	  V_PASS, 2, {
		{ "sato", "gnome", V_PASS, NULL, 5, NULL, "idle-delay from schema default", 0 },
		{ "root", NULL, V_NOT_APPLICABLE, "locked", -1, NULL, NULL, -1 } } },
	{ "fail: idle-delay 0 — the session never goes idle",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, GS "idle-delay=uint32 0\n",
	  P_NONE, 1, V_FAIL, 2, {
		{ "sato", "gnome", V_FAIL, "never_locks", -1, "fix_gnome",
		  "org.gnome.desktop.session idle-delay from ~/.config/dconf/user", 0 } } },
	{ "fail: Automatic Screen Lock turned off",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, GSS "lock-enabled=false\n",
	  P_NONE, 1, V_FAIL, 2, {
		{ "sato", "gnome", V_FAIL, "never_locks", -1, "fix_gnome", "lock-enabled", 0 } } },
	{ "fail: 30 minutes idle (1800 s)",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, GS "idle-delay=uint32 1800\n",
	  P_NONE, 1, V_FAIL, 2, {
		{ "sato", "gnome", V_FAIL, "locks_too_late", 30, "fix_gnome", NULL, 0 } } },
	{ "fail: 9 minutes idle plus a 2-minute lock delay is 11",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL,
	  GS "idle-delay=uint32 540\n" GSS "lock-delay=uint32 120\n",
	  P_NONE, 1, V_FAIL, 2, {
		{ "sato", "gnome", V_FAIL, "locks_too_late", 11, "fix_gnome", NULL, 0 } } },
	{ "pass: exactly the policy's 10 minutes",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, GS "idle-delay=uint32 600\n",
	  P_NONE, 1, V_PASS, 2, {
		{ "sato", "gnome", V_PASS, NULL, 10, NULL, NULL, 0 } } },
	{ "fail: an administrator disabled locking (lockdown)",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, DEFAULT_PROFILE,
	  "[org/gnome/desktop/lockdown]\ndisable-lock-screen=true\n",
	  "/org/gnome/desktop/lockdown/disable-lock-screen\n", NULL,
	  P_NONE, 1, V_FAIL, 2, {
		{ "sato", "gnome", V_FAIL, "never_locks", -1, "fix_gnome_admin",
		  "disable-lock-screen from /etc/dconf/db/local", 1 } } },
	{ "pass: the administrator's locked 5 minutes override the person's 0",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, DEFAULT_PROFILE,
	  GS "idle-delay=uint32 300\n" GSS "lock-enabled=true\n", ALL_GNOME_LOCKS,
	  GS "idle-delay=uint32 0\n" GSS "lock-enabled=false\n",
	  P_NONE, 1, V_PASS, 2, {
		{ "sato", "gnome", V_PASS, NULL, 5, NULL, "from /etc/dconf/db/local", 1 } } },
	{ "fail: without a lock the system value is only a default the person overrides",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, DEFAULT_PROFILE,
	  GS "idle-delay=uint32 300\n", NULL, GS "idle-delay=uint32 0\n",
	  P_NONE, 1, V_FAIL, 2, {
		{ "sato", "gnome", V_FAIL, "never_locks", -1, "fix_gnome", "~/.config/dconf/user", 0 } } },
	{ "fail: the administrator locked a bad value; the person cannot fix it",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, DEFAULT_PROFILE,
	  GSS "lock-enabled=false\n", "/org/gnome/desktop/screensaver/lock-enabled\n", NULL,
	  P_NONE, 1, V_FAIL, 2, {
		{ "sato", "gnome", V_FAIL, "never_locks", -1, "fix_gnome_admin", NULL, 1 } } },
	{ "pass: \"idle-delay=300\" (int32, a common slip) is ignored for the default",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, GS "idle-delay=3000\n",
	  P_NONE, 1, V_PASS, 2, {
		{ "sato", "gnome", V_PASS, NULL, 5, NULL, "wrong type", 0 } } },
	{ "not_applicable: no desktop session installed",
	  { { NULL, NULL } }, NULL, NULL, NULL, NULL, P_NONE, 1,
	  V_NOT_APPLICABLE, 1, {
		{ "system", NULL, V_NOT_APPLICABLE, "no_desktop", -1, NULL, NULL, -1 } } },
	{ "unknown: only desktops mamori cannot read (openbox, i3) — never passed unread",
	  { { XS("openbox.desktop"), "[Desktop Entry]\nName=Openbox\nExec=openbox-session\n" },
	    { XS("i3.desktop"), "[Desktop Entry]\nName=i3\nExec=i3\nDesktopNames=i3\n" } },
	  NULL, NULL, NULL, NULL, P_NONE, 1, V_UNKNOWN, 3, {
		{ "sato", "openbox", V_UNKNOWN, "desktop_unsupported", -1, NULL, NULL, -1 },
		{ "sato", "i3", V_UNKNOWN, "desktop_unsupported", -1, NULL, NULL, -1 },
		{ "root", NULL, V_NOT_APPLICABLE, "locked", -1, NULL, NULL, -1 } } },
	{ "unknown: GNOME passes, but the Sway session beside it cannot be read",
	  { { XS("gnome.desktop"), GNOME_DESKTOP },
	    { WS("sway.desktop"), "[Desktop Entry]\nName=Sway\nExec=sway\nType=Application\n" } },
	  NULL, NULL, NULL, NULL, P_NONE, 1, V_UNKNOWN, 3, {
		{ "sato", "gnome", V_PASS, NULL, 5, NULL, NULL, 0 },
		{ "sato", "sway", V_UNKNOWN, "desktop_unsupported", -1, NULL, NULL, -1 } } },
	{ "not_applicable: a session hidden or whose program is gone",
	  { { XS("gnome.desktop"), "[Desktop Entry]\nExec=gnome-session\nTryExec=gnome-session\n" },
	    { WS("gnome.desktop"), "[Desktop Entry]\nExec=gnome-session\nHidden=true\n" } },
	  NULL, NULL, NULL, NULL, P_NONE, 1, V_NOT_APPLICABLE, 1, {
		{ "system", NULL, V_NOT_APPLICABLE, "no_desktop", -1, NULL, NULL, -1 } } },
	{ "pass: a Wayland-only GNOME whose TryExec program exists",
	  { { WS("gnome.desktop"), "[Desktop Entry]\nExec=gnome-session\nTryExec=gnome-session\n" },
	    { "usr/bin/gnome-session", "#!/bin/sh\n" } },
	  NULL, NULL, NULL, NULL, P_NONE, 1, V_PASS, 2, {
		{ "sato", "gnome", V_PASS, NULL, 5, NULL, NULL, 0 } } },
	{ "pass: Ubuntu's session (DesktopNames=ubuntu:GNOME) is GNOME, counted once",
	  { { XS("ubuntu.desktop"), "[Desktop Entry]\nExec=env GNOME_SHELL_SESSION_MODE=ubuntu /usr/bin/gnome-session --session=ubuntu\nDesktopNames=ubuntu:GNOME\n" },
	    { WS("ubuntu-wayland.desktop"), "[Desktop Entry]\nExec=env GNOME_SHELL_SESSION_MODE=ubuntu /usr/bin/gnome-session\n" } },
	  NULL, NULL, NULL, NULL, P_NONE, 1, V_PASS, 2, {
		{ "sato", "gnome", V_PASS, NULL, 5, NULL, NULL, 0 } } },
	{ "unknown: the person's dconf database is corrupt",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, NULL, P_GARBAGE, 1,
	  V_UNKNOWN, 2, {
		{ "sato", "gnome", V_UNKNOWN, "parse_error", -1, NULL, NULL, -1 } } },
	{ "unknown: the person's dconf database was cut short",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, NULL, P_TRUNCATED, 1,
	  V_UNKNOWN, 2, {
		{ "sato", "gnome", V_UNKNOWN, "parse_error", -1, NULL, NULL, -1 } } },
	{ "unknown: ~/.config/dconf/user is a symlink (planted)",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, NULL, P_SYMLINK, 1,
	  V_UNKNOWN, 2, {
		{ "sato", "gnome", V_UNKNOWN, "file_symlink", -1, NULL, NULL, -1 } } },
	{ "unknown: ~/.config/dconf/user is a FIFO (a read would hang)",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, NULL, P_FIFO, 1,
	  V_UNKNOWN, 2, {
		{ "sato", "gnome", V_UNKNOWN, "file_not_regular", -1, NULL, NULL, -1 } } },
	{ "unknown: a desktop whose schemas are not installed",
	  { { XS("gnome.desktop"), GNOME_DESKTOP } }, NULL, NULL, NULL, NULL, P_NONE, 0,
	  V_UNKNOWN, 2, {
		{ "sato", "gnome", V_UNKNOWN, "schema_absent", -1, NULL, NULL, -1 } } },
	{ "pass: MATE's defaults (5 minutes, in minutes)",
	  { { XS("mate.desktop"), MATE_DESKTOP } }, NULL, NULL, NULL, NULL, P_NONE, 1,
	  V_PASS, 2, {
		{ "sato", "mate", V_PASS, NULL, 5, NULL, "org.mate.session idle-delay", 0 } } },
	{ "pass: MATE takes idle-delay 0 as 10 minutes, not never",
	  { { XS("mate.desktop"), MATE_DESKTOP } }, NULL, NULL, NULL,
	  "[org/mate/desktop/session]\nidle-delay=0\n", P_NONE, 1, V_PASS, 2, {
		{ "sato", "mate", V_PASS, NULL, 10, NULL, NULL, 0 } } },
	{ "fail: MATE's screensaver never activates on idle",
	  { { XS("mate.desktop"), MATE_DESKTOP } }, NULL, NULL, NULL,
	  "[org/mate-screensaver]\nidle-activation-enabled=false\n", P_NONE, 1, V_FAIL, 2, {
		{ "sato", "mate", V_FAIL, "never_locks", -1, "fix_mate", "idle-activation-enabled", 0 } } },
	{ "fail: MATE 5 minutes idle plus a 10-minute lock delay",
	  { { XS("mate.desktop"), MATE_DESKTOP } }, NULL, NULL, NULL,
	  "[org/mate-screensaver]\nlock-delay=10\n", P_NONE, 1, V_FAIL, 2, {
		{ "sato", "mate", V_FAIL, "locks_too_late", 15, "fix_mate", NULL, 0 } } },
	{ "fail: Cinnamon's 15-minute default is longer than the policy",
	  { { XS("cinnamon.desktop"), CINNAMON_DESKTOP } }, NULL, NULL, NULL, NULL, P_NONE, 1,
	  V_FAIL, 2, {
		{ "sato", "cinnamon", V_FAIL, "locks_too_late", 15, "fix_cinnamon", NULL, 0 } } },
	{ "pass: Cinnamon set to 5 minutes (cinnamon2d session, known by its program)",
	  { { XS("cinnamon2d.desktop"), "[Desktop Entry]\nExec=cinnamon-session-cinnamon2d\n" } },
	  NULL, NULL, NULL, "[org/cinnamon/desktop/session]\nidle-delay=uint32 300\n", P_NONE, 1,
	  V_PASS, 2, {
		{ "sato", "cinnamon", V_PASS, NULL, 5, NULL, NULL, 0 } } },
	{ "fail: GNOME and MATE both installed; only MATE is set to never lock",
	  { { XS("gnome.desktop"), GNOME_DESKTOP }, { XS("mate.desktop"), MATE_DESKTOP } },
	  NULL, NULL, NULL, "[org/mate-screensaver]\nlock-enabled=false\n", P_NONE, 1,
	  V_FAIL, 3, {
		{ "sato", "gnome", V_PASS, NULL, 5, NULL, NULL, 0 },
		{ "sato", "mate", V_FAIL, "never_locks", -1, "fix_mate", NULL, 0 } } },
	{ "pass: a KDE Plasma session with KDE's defaults goes to its reader",
	  { { WS("plasmawayland.desktop"), "[Desktop Entry]\nExec=/usr/bin/startplasma-wayland\nDesktopNames=KDE\n" } },
	  NULL, NULL, NULL, NULL, P_NONE, 1, V_PASS, 2, {
		{ "sato", "kde", V_PASS, NULL, -2, NULL, NULL, 0 } } },
	{ "unknown: XFCE whose locker mamori cannot read (no xfce4-screensaver)",
	  { { XS("xfce.desktop"), "[Desktop Entry]\nExec=startxfce4\n" } },
	  NULL, NULL, NULL, NULL, P_NONE, 1, V_UNKNOWN, 2, {
		{ "sato", "xfce", V_UNKNOWN, "no_reader", -1, NULL, NULL, -1 } } },
};

static void
compile_db(const char *root, const char *rel, const char *keyfile, const char *locks)
{
	char kf[4200], p[4300], cmd[9000];
	static int seq;

	snprintf(p, sizeof(p), ".kf%d/00-settings", seq);
	tu_write(root, p, keyfile);
	if (locks != NULL) {
		snprintf(p, sizeof(p), ".kf%d/locks/00-locks", seq);
		tu_write(root, p, locks);
	}
	snprintf(kf, sizeof(kf), "%s/.kf%d", root, seq++);
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	*strrchr(p, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && dconf compile '%s/%s' '%s'", p, root, rel, kf);
	assert_int_equal(system(cmd), 0);
}

static void
build(const char *root, const struct ccase *c)
{
	char path[4300], other[4300], cmd[9000];

	tu_write(root, "etc/passwd", PASSWD);
	tu_write(root, "etc/shadow", SHADOW);
	for (size_t i = 0; i < 4 && c->files[i][0] != NULL; i++)
		tu_write(root, c->files[i][0], c->files[i][1]);
	if (c->schemas) {
		tu_write(root, "usr/share/glib-2.0/schemas/org.gnome.desktop.gschema.xml", SCHEMAS_GNOME);
		tu_write(root, "usr/share/glib-2.0/schemas/org.mate.gschema.xml", SCHEMAS_MATE);
		tu_write(root, "usr/share/glib-2.0/schemas/org.cinnamon.desktop.gschema.xml", SCHEMAS_CINNAMON);
		snprintf(cmd, sizeof(cmd), "glib-compile-schemas --strict '%s/usr/share/glib-2.0/schemas'", root);
		assert_int_equal(system(cmd), 0);
	}
	if (c->profile)
		tu_write(root, "etc/dconf/profile/user", c->profile);
	if (c->local_kf)
		compile_db(root, "etc/dconf/db/local", c->local_kf, c->local_locks);
	if (c->user_kf)
		compile_db(root, "home/sato/.config/dconf/user", c->user_kf, NULL);
	if (c->plant == P_NONE)
		return;
	compile_db(root, "home/sato/.config/dconf/elsewhere", GS "idle-delay=uint32 60\n", NULL);
	snprintf(path, sizeof(path), "%s/home/sato/.config/dconf/user", root);
	snprintf(other, sizeof(other), "%s/home/sato/.config/dconf/elsewhere", root);
	switch (c->plant) {
	case P_SYMLINK:
		assert_int_equal(symlink(other, path), 0);
		break;
	case P_FIFO:
		assert_int_equal(mkfifo(path, 0600), 0);
		break;
	case P_TRUNCATED:
		assert_int_equal(rename(other, path), 0);
		assert_int_equal(truncate(path, 60), 0);
		break;
	case P_GARBAGE:
		tu_write(root, "home/sato/.config/dconf/user", "not a database at all, just text\n");
		break;
	case P_NONE:
		break;
	}
}

static const struct finding *
find(const struct check_result *r, const struct want *w)
{
	for (size_t i = 0; i < r->n; i++) {
		json_t *d = json_object_get(r->f[i].evidence, "desktop");

		if (strcmp(r->f[i].subject, w->subject) != 0)
			continue;
		if (w->desktop == NULL || (d != NULL && strcmp(json_string_value(d), w->desktop) == 0))
			return &r->f[i];
	}
	return NULL;
}

static void
check_want(const struct ccase *c, const struct want *w, const struct finding *f)
{
	json_t *ev = f->evidence, *x;

	if (f->verdict != w->v || (w->reason == NULL) != (f->reason == NULL) ||
	    (w->reason != NULL && strcmp(w->reason, f->reason) != 0))
		fail_msg("%s: %s is %s/%s, want %s/%s", c->what, w->subject, verdict_name(f->verdict),
		    f->reason ? f->reason : "-", verdict_name(w->v), w->reason ? w->reason : "-");
	if ((w->remedy == NULL) != (f->remediation == NULL) ||
	    (w->remedy != NULL && strcmp(w->remedy, f->remediation) != 0))
		fail_msg("%s: remediation %s, want %s", c->what,
		    f->remediation ? f->remediation : "-", w->remedy ? w->remedy : "-");
	/* Every key a remediation or reason names is in the check's messages. */
	if (f->reason != NULL && check_msg_text(&check_screen_lock, f->reason) == NULL)
		fail_msg("%s: reason %s has no text", c->what, f->reason);
	if (f->remediation != NULL && check_msg_text(&check_screen_lock, f->remediation) == NULL)
		fail_msg("%s: remediation %s has no text", c->what, f->remediation);
	x = json_object_get(ev, "lock_after_minutes");
	if (w->after_min == -2)
		;
	else if (w->after_min < 0 ? x != NULL : (x == NULL || json_integer_value(x) != w->after_min))
		fail_msg("%s: lock_after_minutes %lld, want %ld", c->what,
		    x ? (long long)json_integer_value(x) : -1LL, w->after_min);
	if (w->source != NULL) {
		x = json_object_get(ev, "source");
		if (x == NULL || strstr(json_string_value(x), w->source) == NULL)
			fail_msg("%s: source \"%s\", want \"%s\"", c->what,
			    x ? json_string_value(x) : "-", w->source);
	}
	if (w->admin >= 0) {
		x = json_object_get(ev, "locked_by_admin");
		if (x == NULL || json_is_true(x) != w->admin)
			fail_msg("%s: locked_by_admin %d, want %d", c->what, x ? json_is_true(x) : -1, w->admin);
	}
	if (w->v == V_PASS || w->v == V_FAIL) {
		x = json_object_get(ev, "max_minutes");
		assert_non_null(x);
		assert_int_equal(json_integer_value(x), 10);
	}
}

static void
test_cases(void **state)
{
	struct policy pol;

	(void)state;
	if (system("command -v dconf >/dev/null 2>&1 && command -v glib-compile-schemas >/dev/null 2>&1") != 0)
		skip();
	tu_policy(&pol);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ccase *c = &cases[i];
		char *root = tu_mkroot();
		struct check_result r;
		struct people pp;

		build(root, c);
		tu_run(&check_screen_lock, root, &pol, 0, &r, &pp);
		if (r.n != c->n)
			fail_msg("%s: %zu findings, want %zu (first: %s %s)", c->what, r.n, c->n,
			    r.n ? r.f[0].subject : "-", r.n && r.f[0].reason ? r.f[0].reason : "-");
		if (result_verdict(&r) != c->verdict)
			fail_msg("%s: verdict %s, want %s", c->what, verdict_name(result_verdict(&r)),
			    verdict_name(c->verdict));
		for (size_t k = 0; k < 3 && c->f[k].subject != NULL; k++) {
			const struct finding *f = find(&r, &c->f[k]);

			if (f == NULL)
				fail_msg("%s: no finding for %s", c->what, c->f[k].subject);
			check_want(c, &c->f[k], f);
		}
		result_free(&r);
		people_free(&pp);
		tu_rmroot(root);
	}
	policy_free(&pol);
}

static void
test_stricter_policy(void **state)
{
	/* A facility that allows only 3 minutes fails GNOME's default 5. */
	static const char policy_json[] =
	    "{ \"id\": \"strict\", \"checks\": { \"screen.lock\": { \"severity\": \"required\" } },"
	    "  \"screen_lock\": { \"max_idle_minutes\": 3 } }";
	struct policy_known k = scan_known_checks();
	struct policy pol;
	struct mm_err e;
	struct check_result r;
	struct people pp;
	char *root;

	(void)state;
	if (system("command -v dconf >/dev/null 2>&1 && command -v glib-compile-schemas >/dev/null 2>&1") != 0)
		skip();
	assert_int_equal(policy_load_buf(&pol, policy_json, strlen(policy_json), NULL, &k, &e), 0);
	root = tu_mkroot();
	build(root, &cases[0]);
	tu_run(&check_screen_lock, root, &pol, 0, &r, &pp);
	tu_assert_finding(&r, "sato", V_FAIL, "locks_too_late");
	assert_int_equal(json_integer_value(json_object_get(tu_finding(&r, "sato")->evidence, "max_minutes")), 3);
	result_free(&r);
	people_free(&pp);
	tu_rmroot(root);
	policy_free(&pol);
}

static const char *
ev_str(const struct finding *f, const char *key)
{
	json_t *v = json_object_get(f->evidence, key);

	return v ? json_string_value(v) : NULL;
}

/* Runs screen.lock on a tree holding only the given session files (and
 * the two accounts); readers that find nothing give what they give. */
static void
run_sessions(const char *const files[][2], size_t n, struct check_result *r)
{
	char *root = tu_mkroot();
	struct policy pol;
	struct people pp;

	tu_write(root, "etc/passwd", PASSWD);
	tu_write(root, "etc/shadow", SHADOW);
	for (size_t i = 0; i < n; i++)
		tu_write(root, files[i][0], files[i][1]);
	tu_policy(&pol);
	tu_run(&check_screen_lock, root, &pol, 0, r, &pp);
	people_free(&pp);
	policy_free(&pol);
	tu_rmroot(root);
}

static size_t
count_reason(const struct check_result *r, const char *reason)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		if (r->f[i].reason != NULL && strcmp(r->f[i].reason, reason) == 0)
			n++;
	return n;
}

/* A PC with only an LXQt session: before, "no desktop is installed"; now
 * each person's LXQt session is unknown, named with its session file, and
 * its message reads in full. */
static void
test_unsupported_desktop_is_named(void **state)
{
	static const char *const files[][2] = {
		{ XS("lxqt.desktop"), "[Desktop Entry]\nType=XSession\nExec=startlxqt\n"
		  "TryExec=startlxqt\nName=LXQt Desktop\nName[ja]=LXQt デスクトップ\n"
		  "DesktopNames=LXQt\n" },
		{ "usr/bin/startlxqt", "#!/bin/sh\n" },
	};
	struct check_result r;
	const struct finding *f;
	char text[1024];

	(void)state;
	run_sessions(files, 2, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(result_verdict(&r), V_UNKNOWN);
	tu_assert_finding(&r, "sato", V_UNKNOWN, "desktop_unsupported");
	tu_assert_finding(&r, "root", V_NOT_APPLICABLE, "locked");
	f = tu_finding(&r, "sato");
	assert_string_equal(ev_str(f, "desktop"), "lxqt");
	assert_string_equal(ev_str(f, "desktop_name"), "LXQt Desktop");
	assert_string_equal(ev_str(f, "session"), "lxqt.desktop");
	render_msg(check_msg_text(&check_screen_lock, f->reason), f->subject, f->evidence,
	    text, sizeof(text));
	assert_non_null(strstr(text, "LXQt Desktop session (session file lxqt.desktop)"));
	assert_non_null(strstr(text, "at most 10 minutes"));
	result_free(&r);
}

/* Sessions that are forms of a known desktop stay with its reader; only
 * the others are "unsupported", one finding per desktop however many
 * session files it has. Counted by reason: the readers' own answers
 * (no schemas here) do not matter to this test. */
static void
test_session_variants_map_to_their_desktop(void **state)
{
	static const char *const known[][2] = {
		{ XS("gnome-xorg.desktop"), "[Desktop Entry]\nName=GNOME on Xorg\nExec=gnome-session\n" },
		{ XS("gnome-classic.desktop"), "[Desktop Entry]\nName=GNOME Classic\n"
		  "Exec=env GNOME_SHELL_SESSION_MODE=classic gnome-session\n"
		  "DesktopNames=GNOME-Classic:GNOME\n" },
		{ XS("ubuntu.desktop"), "[Desktop Entry]\nExec=env GNOME_SHELL_SESSION_MODE=ubuntu "
		  "/usr/bin/gnome-session --session=ubuntu\nDesktopNames=ubuntu:GNOME\n" },
		{ WS("ubuntu-wayland.desktop"), "[Desktop Entry]\nExec=env GNOME_SHELL_SESSION_MODE=ubuntu "
		  "/usr/bin/gnome-session\n" },
		{ XS("plasmax11.desktop"), "[Desktop Entry]\nExec=/usr/bin/startplasma-x11\n" },
		{ WS("plasmawayland.desktop"), "[Desktop Entry]\nExec=/usr/bin/startplasma-wayland\n" },
		{ XS("plasma.desktop"), "[Desktop Entry]\nExec=/usr/bin/startplasma-x11\nDesktopNames=KDE\n" },
		{ XS("xfce.desktop"), "[Desktop Entry]\nName=Xfce Session\nExec=startxfce4\n" },
		{ WS("xfce-wayland.desktop"), "[Desktop Entry]\nExec=startxfce4 --wayland\nDesktopNames=XFCE\n" },
		{ XS("cinnamon.desktop"), "[Desktop Entry]\nExec=cinnamon-session-cinnamon\nDesktopNames=X-Cinnamon\n" },
		{ XS("cinnamon2d.desktop"), "[Desktop Entry]\nExec=cinnamon-session-cinnamon2d\n" },
		{ XS("mate.desktop"), "[Desktop Entry]\nExec=mate-session\n" },
		/* lightdm's "Default Xsession" starts one of the above */
		{ XS("lightdm-xsession.desktop"), "[Desktop Entry]\nName=Default Xsession\nExec=default\n" },
	};
	const char *files[32][2];
	struct check_result r;
	size_t n = 0, per_desktop[5] = { 0 };
	static const char *const ids[] = { "gnome", "mate", "cinnamon", "kde", "xfce" };

	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		files[n][0] = known[i][0];
		files[n++][1] = known[i][1];
	}
	/* i3 in two session files: one desktop, one finding */
	files[n][0] = XS("i3.desktop");
	files[n++][1] = "[Desktop Entry]\nName=i3\nExec=i3\nDesktopNames=i3\n";
	files[n][0] = XS("i3-with-shmlog.desktop");
	files[n++][1] = "[Desktop Entry]\nName=i3 (with debug log)\nExec=i3-with-shmlog\nDesktopNames=i3\n";
	/* many DesktopNames: every one is looked at, the known one decides */
	files[n][0] = WS("budgie.desktop");
	files[n++][1] = "[Desktop Entry]\nExec=budgie-desktop\n"
	    "DesktopNames=a:b:c:d:e:f:g:h:i:j:Budgie:GNOME\n";
	run_sessions(files, n, &r);
	assert_int_equal(count_reason(&r, "desktop_unsupported"), 1);
	for (size_t i = 0; i < r.n; i++) {
		const char *d = ev_str(&r.f[i], "desktop");

		if (strcmp(r.f[i].subject, "sato") != 0)
			continue;
		assert_non_null(d);
		for (size_t k = 0; k < 5; k++)
			if (strcmp(d, ids[k]) == 0)
				per_desktop[k]++;
		if (strcmp(d, "i3") == 0) {
			assert_string_equal(r.f[i].reason, "desktop_unsupported");
			assert_string_equal(ev_str(&r.f[i], "session"),
			    "i3-with-shmlog.desktop, i3.desktop");
		}
	}
	for (size_t k = 0; k < 5; k++)
		if (per_desktop[k] != 1)
			fail_msg("%s: %zu findings for sato, want 1", ids[k], per_desktop[k]);
	assert_int_equal(r.n, 1 + 6);	/* root locked; sato: five desktops and i3 */
	result_free(&r);
}

/* The default X session alone starts something mamori cannot name:
 * unknown, not "no desktop". Beside a desktop it is that desktop. */
static void
test_default_xsession(void **state)
{
	static const char *const alone[][2] = {
		{ XS("lightdm-xsession.desktop"), "[Desktop Entry]\nName=Default Xsession\nExec=default\n" },
	};
	static const char *const custom[][2] = {
		{ XS("xsession.desktop"), "[Desktop Entry]\nName=X session\nExec=/etc/X11/Xsession\n" },
		{ XS("mate.desktop"), MATE_DESKTOP },
	};
	struct check_result r;
	const struct finding *f;

	(void)state;
	run_sessions(alone, 1, &r);
	tu_assert_finding(&r, "sato", V_UNKNOWN, "desktop_unsupported");
	f = tu_finding(&r, "sato");
	assert_string_equal(ev_str(f, "session"), "lightdm-xsession.desktop");
	assert_string_equal(ev_str(f, "desktop_name"), "Default Xsession");
	result_free(&r);
	run_sessions(custom, 2, &r);
	assert_int_equal(count_reason(&r, "desktop_unsupported"), 0);
	result_free(&r);
}

static void
test_registered(void **state)
{
	(void)state;
	assert_ptr_equal(check_find("screen.lock"), &check_screen_lock);
	assert_string_equal(check_screen_lock.article, "15-5,15-6");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_stricter_policy),
		cmocka_unit_test(test_unsupported_desktop_is_named),
		cmocka_unit_test(test_session_variants_map_to_their_desktop),
		cmocka_unit_test(test_default_xsession),
		cmocka_unit_test(test_registered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
