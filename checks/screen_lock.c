/* screen.lock (articles 15-5, 15-6): every desktop a person can log in to
 * locks itself after at most the policy's idle minutes, so a PC left on
 * the ward desk does not stay open to whoever passes by. The desktops
 * installed are the session files a display manager offers; each
 * desktop's own reader (platform/dconf_lock.h, kde_lock.h, xfce_lock.h)
 * says what it does for each person. A session of any other desktop is
 * reported `unknown` for each person, never left out: what mamori cannot
 * read must not pass for what is not there. */
#include <stdlib.h>
#include <string.h>
#include "checks/check.h"
#include "common/utf8.h"
#include "platform/dconf_lock.h"
#include "platform/kde_lock.h"
#include "platform/text.h"
#include "platform/xfce_lock.h"

static const struct check_msg msgs[] = {
	{ "no_desktop", N_("No desktop session is installed, so there is no screen to lock.") },
	{ "no_persons", N_("No account on this PC is a person who logs in to a desktop.") },
	{ "never_locks", N_("The {desktop_name} session of {subject} never locks itself when left idle.") },
	{ "locks_too_late", N_("The {desktop_name} session of {subject} locks only after {lock_after_minutes} minutes idle; the policy allows at most {max_minutes} minutes.") },
	{ "locked", N_("The account is locked for password login, so no one can start a desktop with it.") },
	{ "no_reader", N_("mamori cannot read how {desktop_name} locks the screen on this PC.") },
	{ "desktop_unsupported", N_("mamori cannot check whether the {desktop_name} session (session file {session}) locks the screen when left idle: it can read only GNOME, MATE, Cinnamon, KDE Plasma and XFCE. Someone who knows this desktop must check by hand that it locks after at most {max_minutes} minutes.") },
	{ "schema_absent", N_("The settings schemas of {desktop_name} are not installed, so its screen lock settings cannot be read. ({detail})") },
	{ "dconf_service_db", N_("The dconf profile keeps settings in the dconf service, which mamori cannot read. ({detail})") },
	/* TRANSLATORS: GNOME 43 (Debian 12) labels: Settings → Privacy → Screen Lock. */
	{ "fix_gnome", N_("On this PC, open Settings → Privacy → Screen Lock. Set “Blank Screen Delay” to {max_minutes} minutes or less (5 minutes is a good choice), turn “Automatic Screen Lock” on, and set “Automatic Screen Lock Delay” to “Screen Turns Off”.") },
	{ "fix_gnome_admin", N_("An administrator sets this for everyone: write /etc/dconf/db/local.d/00-screensaver with\n"
	    "[org/gnome/desktop/session]\nidle-delay=uint32 {max_seconds}\n"
	    "[org/gnome/desktop/screensaver]\nlock-enabled=true\nlock-delay=uint32 0\n"
	    "[org/gnome/desktop/lockdown]\ndisable-lock-screen=false\n"
	    "and lock the keys by listing them in /etc/dconf/db/local.d/locks/00-screensaver:\n"
	    "/org/gnome/desktop/session/idle-delay\n/org/gnome/desktop/screensaver/lock-enabled\n"
	    "/org/gnome/desktop/screensaver/lock-delay\n/org/gnome/desktop/lockdown/disable-lock-screen\n"
	    "Make sure /etc/dconf/profile/user holds the two lines user-db:user and system-db:local, then run `sudo dconf update`.") },
	/* TRANSLATORS: MATE labels: Control Center → Screensaver (mate-screensaver-preferences). */
	{ "fix_mate", N_("On this PC, open Control Center → Screensaver. Set “Regard the computer as idle after” to {max_minutes} minutes or less, and tick both “Activate screensaver when computer is idle” and “Lock screen when screensaver is active”.") },
	{ "fix_mate_admin", N_("An administrator sets this for everyone: write /etc/dconf/db/local.d/00-screensaver with\n"
	    "[org/mate/desktop/session]\nidle-delay={max_minutes}\n"
	    "[org/mate-screensaver]\nidle-activation-enabled=true\nlock-enabled=true\nlock-delay=0\n"
	    "[desktop/mate/lockdown]\ndisable-lock-screen=false\n"
	    "and lock the keys by listing them in /etc/dconf/db/local.d/locks/00-screensaver:\n"
	    "/org/mate/desktop/session/idle-delay\n/org/mate-screensaver/idle-activation-enabled\n"
	    "/org/mate-screensaver/lock-enabled\n/org/mate-screensaver/lock-delay\n/desktop/mate/lockdown/disable-lock-screen\n"
	    "Make sure /etc/dconf/profile/user holds the two lines user-db:user and system-db:local, then run `sudo dconf update`.") },
	/* TRANSLATORS: Cinnamon labels: System Settings → Screensaver. */
	{ "fix_cinnamon", N_("On this PC, open System Settings → Screensaver. Set “Delay before starting the screensaver” to {max_minutes} minutes or less, turn “Lock the computer after the screensaver starts” on, and set “Delay before locking” to lock immediately.") },
	{ "fix_cinnamon_admin", N_("An administrator sets this for everyone: write /etc/dconf/db/local.d/00-screensaver with\n"
	    "[org/cinnamon/desktop/session]\nidle-delay=uint32 {max_seconds}\n"
	    "[org/cinnamon/desktop/screensaver]\nidle-activation-enabled=true\nlock-enabled=true\nlock-delay=uint32 0\n"
	    "[org/cinnamon/desktop/lockdown]\ndisable-lock-screen=false\n"
	    "and lock the keys by listing them in /etc/dconf/db/local.d/locks/00-screensaver:\n"
	    "/org/cinnamon/desktop/session/idle-delay\n/org/cinnamon/desktop/screensaver/idle-activation-enabled\n"
	    "/org/cinnamon/desktop/screensaver/lock-enabled\n/org/cinnamon/desktop/screensaver/lock-delay\n"
	    "/org/cinnamon/desktop/lockdown/disable-lock-screen\n"
	    "Make sure /etc/dconf/profile/user holds the two lines user-db:user and system-db:local, then run `sudo dconf update`.") },
	/* TRANSLATORS: KDE Plasma 5 labels: System Settings → Workspace Behavior → Screen Locking. */
	{ "fix_kde", N_("On this PC, open System Settings → Workspace Behavior → Screen Locking. Turn on “Lock screen automatically” after {max_minutes} minutes or less (5 minutes is a good choice), and set “Allow unlocking without password for” to 0 seconds.") },
	{ "fix_kde_admin", N_("An administrator sets this for everyone and keeps it from being changed: write /etc/xdg/kscreenlockerrc with\n"
	    "[Daemon][$i]\nAutolock=true\nTimeout={max_minutes}\nLock=true\nLockGrace=0\nRequirePassword=true\n"
	    "It applies from the next login.") },
	/* TRANSLATORS: xfce4-screensaver labels: Settings → Screensaver, tabs Screensaver and Lock Screen. */
	{ "fix_xfce", N_("On this PC, open Settings → Screensaver. On the Screensaver tab, turn on “Enable Screensaver” and “Activate screensaver when computer is idle”, and set “Regard the computer as idle after” to {max_minutes} minutes or less (5 is a good choice). On the Lock Screen tab, turn on “Enable Lock Screen” and “Lock Screen with Screensaver”, and set “Lock the screen after the screensaver is active for” to 0 minutes.") },
	{ "fix_xfce_admin", N_("An administrator sets this for everyone and keeps it from being changed: write /etc/xdg/xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml with\n"
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<channel name=\"xfce4-screensaver\" version=\"1.0\" unlocked=\"root\">\n"
	    "  <property name=\"saver\" type=\"empty\">\n"
	    "    <property name=\"enabled\" type=\"bool\" value=\"true\"/>\n"
	    "    <property name=\"idle-activation\" type=\"empty\">\n"
	    "      <property name=\"enabled\" type=\"bool\" value=\"true\"/>\n"
	    "      <property name=\"delay\" type=\"int\" value=\"{max_minutes}\"/>\n"
	    "    </property>\n  </property>\n"
	    "  <property name=\"lock\" type=\"empty\">\n"
	    "    <property name=\"enabled\" type=\"bool\" value=\"true\"/>\n"
	    "    <property name=\"saver-activation\" type=\"empty\">\n"
	    "      <property name=\"enabled\" type=\"bool\" value=\"true\"/>\n"
	    "      <property name=\"delay\" type=\"int\" value=\"0\"/>\n"
	    "    </property>\n  </property>\n"
	    "</channel>\n"
	    "(unlocked=\"root\" locks the channel for everyone but root.) It applies from the next login.") },
	{ NULL, NULL },
};

/* The desktops mamori knows, with their reader. A desktop with neither
 * reader (or one that answers "no_reader") is `unknown`: an installed
 * desktop is never passed unread. */
enum { D_GNOME, D_MATE, D_CINNAMON, D_KDE, D_XFCE, D_COUNT };

static const struct desktop {
	const char *id, *name;
	idle_lock_reader read;
	dconf_lock_reader read_dconf;	/* instead of read: shares the machine's dconf files */
	const char *fix, *fix_admin;
} desktops[D_COUNT] = {
	[D_GNOME] = { "gnome", "GNOME", NULL, dconf_lock_gnome, "fix_gnome", "fix_gnome_admin" },
	[D_MATE] = { "mate", "MATE", NULL, dconf_lock_mate, "fix_mate", "fix_mate_admin" },
	[D_CINNAMON] = { "cinnamon", "Cinnamon", NULL, dconf_lock_cinnamon, "fix_cinnamon",
	    "fix_cinnamon_admin" },
	[D_KDE] = { "kde", "KDE Plasma", idle_lock_kde, NULL, "fix_kde", "fix_kde_admin" },
	[D_XFCE] = { "xfce", "XFCE", idle_lock_xfce, NULL, "fix_xfce", "fix_xfce_admin" },
};

static int
has_prefix_ci(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);

	if (n < pl)
		return 0;
	for (size_t i = 0; i < pl; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != p[i])
			return 0;
	}
	return 1;
}

static int
equals_ci(const char *s, size_t n, const char *p)
{
	return n == strlen(p) && has_prefix_ci(s, n, p);
}

/* A desktop from one name: a DesktopNames entry ("GNOME", "ubuntu",
 * "X-Cinnamon", "KDE", "XFCE", "MATE"), a session program ("gnome-session",
 * "startplasma-x11", "startxfce4") or a session file's name ("gnome-xorg",
 * "plasmawayland", "cinnamon2d"). -1: not one mamori knows. */
static int
desktop_of(const char *s, size_t n)
{
	if (has_prefix_ci(s, n, "gnome") || has_prefix_ci(s, n, "ubuntu"))
		return D_GNOME;
	if (equals_ci(s, n, "mate") || has_prefix_ci(s, n, "mate-session"))
		return D_MATE;
	if (has_prefix_ci(s, n, "cinnamon") || has_prefix_ci(s, n, "x-cinnamon"))
		return D_CINNAMON;
	if (equals_ci(s, n, "kde") || has_prefix_ci(s, n, "plasma") ||
	    has_prefix_ci(s, n, "startplasma") || equals_ci(s, n, "startkde"))
		return D_KDE;
	if (has_prefix_ci(s, n, "xfce") || has_prefix_ci(s, n, "startxfce"))
		return D_XFCE;
	return -1;
}

/* The value of key in the [Desktop Entry] group of a session file. */
static int
entry_value(const char *buf, size_t len, const char *key, const char **v, size_t *vl)
{
	size_t pos = 0, ll, kl = strlen(key);
	const char *line;
	int in_entry = 0;

	while (text_next_line(buf, len, &pos, &line, &ll)) {
		text_trim(&line, &ll);
		if (ll > 0 && line[0] == '[') {
			in_entry = ll == 15 && memcmp(line, "[Desktop Entry]", 15) == 0;
			continue;
		}
		if (!in_entry || ll <= kl || memcmp(line, key, kl) != 0)
			continue;
		*v = line + kl;
		*vl = ll - kl;
		text_trim(v, vl);
		if (*vl == 0 || **v != '=')
			continue;
		(*v)++;
		(*vl)--;
		text_trim(v, vl);
		return 1;
	}
	return 0;
}

/* Whether a program named by TryExec exists; a display manager hides a
 * session whose TryExec is missing. Unsure (unreadable) counts as present:
 * better a finding too many than a desktop skipped. */
static int
program_present(const struct root *r, const char *v, size_t vl)
{
	static const char *const dirs[] = { "/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", "/sbin" };
	char path[512], kind;
	off_t size;
	struct mm_err e;

	if (vl == 0 || vl > 256)
		return 1;
	if (v[0] == '/') {
		snprintf(path, sizeof(path), "%.*s", (int)vl, v);
		return root_stat(r, path, &kind, &size, &e) != FILE_ABSENT;
	}
	if (memchr(v, '/', vl) != NULL)
		return 1;	/* relative to a working folder we cannot know */
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%.*s", dirs[i], (int)vl, v);
		if (root_stat(r, path, &kind, &size, &e) != FILE_ABSENT)
			return 1;
	}
	return 0;
}

/* The next sep-separated field of [s, s+n) from *pos; 0 when none is left. */
static int
next_field(const char *s, size_t n, char sep, size_t *pos, const char **f, size_t *fl)
{
	size_t i = *pos;

	if (i > n)
		return 0;
	*f = s + i;
	while (i < n && s[i] != sep)
		i++;
	*fl = (size_t)(s + i - *f);
	*pos = i + 1;
	return 1;
}

/* A session file mamori has no reader for, as the person would name it. */
struct other_session {
	char key[33];		/* "lxqt", "i3": DesktopNames' first entry or the
				 * file's name, lower case; one finding per key */
	char name[65];		/* Name= of the file, or the key */
	char files[256];	/* the session files, "lxqt.desktop, …" */
};

#define MAX_OTHERS 16	/* more desktops than this: the rest are still
			 * unknown through these, never a pass */

enum { S_SKIP = -1, S_OTHER = -2, S_GENERIC = -3 };

/* Copies [s, s+n) into out, lower case, keeping only letters, digits and
 * ".-_" so it is a tidy id. */
static void
make_key(char *out, size_t outlen, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < outlen; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		    c == '_')
			out[o++] = c;
	}
	out[o] = '\0';
	if (o == 0)
		snprintf(out, outlen, "other");
}

/* Which desktop a session file starts: DesktopNames first, then the
 * program of Exec, then the file's own name. S_SKIP: hidden or not
 * installed, as a display manager would not offer it; S_GENERIC: the
 * "default X session" (Exec=default or Xsession), which starts the system's
 * x-session-manager — one of the other sessions — or the person's own
 * ~/.xsession; S_OTHER: a desktop mamori cannot read, described in o. */
static int
classify(const struct root *r, const char *file, const char *buf, size_t len,
    struct other_session *o)
{
	const char *v, *prog = NULL;
	size_t vl, progl = 0, base = strlen(file);
	int d;

	memset(o, 0, sizeof(*o));
	if (base > 8 && strcmp(file + base - 8, ".desktop") == 0)
		base -= 8;
	make_key(o->key, sizeof(o->key), file, base);
	if (buf != NULL) {
		if (entry_value(buf, len, "Hidden", &v, &vl) && equals_ci(v, vl, "true"))
			return S_SKIP;
		if (entry_value(buf, len, "TryExec", &v, &vl) && !program_present(r, v, vl))
			return S_SKIP;
		if (entry_value(buf, len, "DesktopNames", &v, &vl)) {
			const char *f;
			size_t fl, pos = 0, k = 0;

			/* Every name, however many: one mamori knows decides. */
			while (next_field(v, vl, ':', &pos, &f, &fl)) {
				if ((d = desktop_of(f, fl)) >= 0)
					return d;
				if (k++ == 0 && fl > 0)
					make_key(o->key, sizeof(o->key), f, fl);
			}
		}
		if (entry_value(buf, len, "Exec", &v, &vl)) {
			/* First word that is neither "env" nor VAR=value. */
			const char *w;
			size_t wl, pos = 0;

			while (next_field(v, vl, ' ', &pos, &w, &wl)) {
				const char *slash;

				if (wl == 0 || equals_ci(w, wl, "env") || memchr(w, '=', wl) != NULL)
					continue;
				for (slash = w + wl; slash > w && slash[-1] != '/'; slash--)
					;
				prog = slash;
				progl = wl - (size_t)(slash - w);
				if ((d = desktop_of(prog, progl)) >= 0)
					return d;
				break;
			}
		}
		if (entry_value(buf, len, "Name", &v, &vl) && vl > 0) {
			size_t n = vl < sizeof(o->name) - 1 ? vl : sizeof(o->name) - 1;

			for (size_t i = 0; i < n; i++)
				o->name[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
			o->name[n] = '\0';
		}
	}
	if ((d = desktop_of(file, base)) >= 0)
		return d;
	if (o->name[0] == '\0')
		snprintf(o->name, sizeof(o->name), "%s", o->key);
	if (prog != NULL && (equals_ci(prog, progl, "default") || equals_ci(prog, progl, "xsession")))
		return S_GENERIC;
	return S_OTHER;
}

/* What the session folders hold. */
struct sessions {
	int installed[D_COUNT];
	struct other_session other[MAX_OTHERS];
	size_t n_other;
	struct other_session generic;	/* the first default-X-session file */
	int has_generic;
};

static void
add_file(struct other_session *o, const char *file)
{
	size_t l = strlen(o->files), fl = strlen(file), sep = l > 0 ? 2 : 0;

	/* Names that do not fit are left out; the first is always there. */
	if (l + sep + fl >= sizeof(o->files)) {
		if (l > 0)
			return;
		fl = sizeof(o->files) - 1;
	}
	memcpy(o->files + l, ", ", sep);
	memcpy(o->files + l + sep, file, fl);
	o->files[l + sep + fl] = '\0';
}

static void
add_other(struct sessions *ss, const struct other_session *o, const char *file)
{
	for (size_t i = 0; i < ss->n_other; i++)
		if (strcmp(ss->other[i].key, o->key) == 0) {
			add_file(&ss->other[i], file);
			return;
		}
	if (ss->n_other == MAX_OTHERS) {
		add_file(&ss->other[MAX_OTHERS - 1], file);
		return;
	}
	ss->other[ss->n_other] = *o;
	add_file(&ss->other[ss->n_other++], file);
}

/* Records the desktops of one session folder. -1: the folder is unreadable
 * (recorded as an unknown finding). */
static int
scan_sessions(const struct root *r, const char *dir, struct sessions *ss,
    struct check_result *res)
{
	char **names;
	size_t n;
	struct mm_err e;
	enum file_status s;

	err_clear(&e);
	s = root_list_dir(r, dir, 1000, &names, &n, &e);
	if (s == FILE_ABSENT)
		return 0;
	if (s == FILE_BAD) {
		result_add_error(res, dir, &e);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char path[4096], *buf = NULL;
		size_t len = 0, nl = strlen(names[i]);
		struct other_session o;
		int d;

		if (nl <= 8 || strcmp(names[i] + nl - 8, ".desktop") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		/* A session file that cannot be read (a symlink some packages
		 * install) is still known by its name. */
		if (root_read_file(r, path, ROOT_CAP_CONFIG, &buf, &len, &e) != FILE_OK)
			buf = NULL;
		d = classify(r, names[i], buf, len, &o);
		free(buf);
		if (d >= 0)
			ss->installed[d] = 1;
		else if (d == S_OTHER)
			add_other(ss, &o, names[i]);
		else if (d == S_GENERIC && !ss->has_generic) {
			ss->generic = o;
			add_file(&ss->generic, names[i]);
			ss->has_generic = 1;
		}
	}
	root_free_names(names, n);
	return 0;
}

static json_t *
evidence(const struct desktop *dt, const struct idle_lock *il, long max_minutes)
{
	json_t *ev = json_pack("{s:s, s:s, s:b, s:I, s:I, s:b, s:s}",
	    "desktop", dt->id, "desktop_name", dt->name, "locks", il->locks,
	    "max_minutes", (json_int_t)max_minutes,
	    "max_seconds", (json_int_t)max_minutes * 60,
	    "locked_by_admin", il->locked_by_admin, "source", il->source);

	if (ev != NULL && il->locks) {
		json_object_set_new(ev, "lock_after_minutes",
		    json_integer((json_int_t)((il->lock_after_s + 59) / 60)));
		json_object_set_new(ev, "lock_after_seconds", json_integer((json_int_t)il->lock_after_s));
	}
	return ev;
}

static void
check_person(const struct scan_ctx *ctx, struct dconf_cache *cache, const struct person *p,
    const struct desktop *dt, struct check_result *r)
{
	long max = ctx->policy->screen_lock.max_idle_minutes;
	struct idle_lock il;
	struct mm_err e;
	const char *why = NULL;

	if (dt->read == NULL && dt->read_dconf == NULL) {
		result_add(r, p->name, V_UNKNOWN, "no_reader", NULL,
		    json_pack("{s:s, s:s}", "desktop", dt->id, "desktop_name", dt->name));
		return;
	}
	err_clear(&e);
	memset(&il, 0, sizeof(il));
	if ((dt->read_dconf != NULL ? dt->read_dconf(cache, ctx->root, p, &il, &e) :
	    dt->read(ctx->root, p, &il, &e)) == -1) {
		json_t *ev;

		result_add_error(r, p->name, &e);
		ev = r->f[r->n - 1].evidence;
		json_object_set_new(ev, "desktop", json_string(dt->id));
		json_object_set_new(ev, "desktop_name", json_string(dt->name));
		return;
	}
	if (!il.locks)
		why = "never_locks";
	else if (il.lock_after_s > max * 60)
		why = "locks_too_late";
	if (why == NULL)
		result_add(r, p->name, V_PASS, NULL, NULL, evidence(dt, &il, max));
	else
		/* A value the administrator holds is theirs to fix. */
		result_add(r, p->name, V_FAIL, why, il.locked_by_admin ? dt->fix_admin : dt->fix,
		    evidence(dt, &il, max));
}

/* A session of a desktop mamori has no reader for: unknown, naming it. */
static void
check_other(const struct scan_ctx *ctx, const struct person *p, const struct other_session *o,
    struct check_result *r)
{
	long max = ctx->policy->screen_lock.max_idle_minutes;
	json_t *ev = json_object();

	json_object_set_new(ev, "desktop", json_string(o->key));
	json_object_set_new(ev, "desktop_name", utf8_json_string(o->name));
	json_object_set_new(ev, "session", utf8_json_string(o->files));
	json_object_set_new(ev, "max_minutes", json_integer((json_int_t)max));
	result_add(r, p->name, V_UNKNOWN, "desktop_unsupported", NULL, ev);
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	const struct people *pp = ctx->people;
	struct sessions ss;
	struct dconf_cache *cache;
	int any = 0;

	memset(&ss, 0, sizeof(ss));
	if (scan_sessions(ctx->root, "/usr/share/xsessions", &ss, r) == -1 ||
	    scan_sessions(ctx->root, "/usr/share/wayland-sessions", &ss, r) == -1)
		return;
	for (int d = 0; d < D_COUNT; d++)
		any |= ss.installed[d];
	any |= ss.n_other > 0;
	/* The default X session starts one of the sessions listed beside it
	 * (x-session-manager) or the person's own ~/.xsession; alone, it is
	 * a session whose desktop cannot be told. */
	if (!any && ss.has_generic) {
		ss.other[ss.n_other++] = ss.generic;
		any = 1;
	}
	if (!any) {
		result_add(r, "system", V_NOT_APPLICABLE, "no_desktop", NULL, NULL);
		return;
	}
	if (!pp->passwd_ok) {
		result_add_error(r, "/etc/passwd", &pp->passwd_err);
		return;
	}
	if (pp->n == 0) {
		result_add(r, "system", V_NOT_APPLICABLE, "no_persons", NULL, NULL);
		return;
	}
	/* The machine's dconf files are read once for everyone, in this run
	 * only. Without the memory for it, each person reads them afresh. */
	cache = malloc(sizeof(*cache));
	if (cache != NULL)
		dconf_cache_init(cache, ctx->root);
	for (size_t i = 0; i < pp->n; i++) {
		const struct person *p = &pp->v[i];

		/* A display manager asks for the password; an account without
		 * one to give never reaches a desktop (autologin is
		 * account.no_autologin's finding). */
		if (p->pw == PW_LOCKED) {
			result_add(r, p->name, V_NOT_APPLICABLE, "locked", NULL, NULL);
			continue;
		}
		for (int d = 0; d < D_COUNT; d++)
			if (ss.installed[d])
				check_person(ctx, cache, p, &desktops[d], r);
		for (size_t k = 0; k < ss.n_other; k++)
			check_other(ctx, p, &ss.other[k], r);
	}
	if (cache != NULL) {
		dconf_cache_free(cache);
		free(cache);
	}
}

const struct check_def check_screen_lock = {
	"screen.lock", "15-5,15-6",
	N_("The screen locks itself when the PC is left idle"),
	run, msgs,
};
