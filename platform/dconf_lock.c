/* dconf_lock: the GSettings keys that decide whether GNOME, MATE and
 * Cinnamon lock an idle session, and how each desktop combines them.
 *
 * Keys, types and units, as verified:
 *
 * GNOME (gsettings-desktop-schemas 43, Debian 12's
 * /usr/share/glib-2.0/schemas; gnome-shell js/ui/screenShield.js):
 *   org.gnome.desktop.session idle-delay        u  seconds, 0 = never idle
 *   org.gnome.desktop.screensaver lock-enabled  b  lock when the screen blanks
 *   org.gnome.desktop.screensaver lock-delay    u  seconds after blanking
 *   org.gnome.desktop.lockdown disable-lock-screen b  true: the shell refuses
 *     to lock at all ("Screen lock is locked down, not locking")
 *   idle-activation-enabled is documented "deprecated and ignored".
 *
 * MATE (mate-screensaver data/org.mate.screensaver.gschema.xml.in, path
 * /org/mate-screensaver/; src/gs-prefs.c, src/gs-monitor.c;
 * mate-session-manager data/org.mate.session.gschema.xml.in;
 * mate-desktop schemas/org.mate.lockdown.gschema.xml.in):
 *   org.mate.session idle-delay                 i  MINUTES; mate-screensaver
 *     takes < 1 as 10 and caps it at 480 (_gs_prefs_set_timeout)
 *   org.mate.screensaver idle-activation-enabled b  false: never activates
 *   org.mate.screensaver lock-enabled           b
 *   org.mate.screensaver lock-delay             i  MINUTES after activation,
 *     clamped to 0..480 (_gs_prefs_set_lock_timeout)
 *   org.mate.lockdown disable-lock-screen       b  (path /desktop/mate/lockdown/)
 *   (org.mate.screensaver has its own idle-delay key, but mate-screensaver
 *   reads the session's: SESSION_SETTINGS_SCHEMA "org.mate.session".)
 *
 * Cinnamon (cinnamon-desktop schemas/org.cinnamon.desktop.screensaver,
 * .session, .lockdown .gschema.xml.in; cinnamon-screensaver src/manager.py
 * start_lock_delay, src/util/settings.py):
 *   org.cinnamon.desktop.session idle-delay     u  seconds (0 = never, as in
 *     gnome-session, which cinnamon-session forks)
 *   org.cinnamon.desktop.screensaver idle-activation-enabled b  false keeps
 *     the screensaver from starting on idle (cinnamon-settings-daemon)
 *   org.cinnamon.desktop.screensaver lock-enabled b
 *   org.cinnamon.desktop.screensaver lock-delay u  seconds after activation
 *   org.cinnamon.desktop.lockdown disable-lock-screen b
 */
#include <stdio.h>
#include <string.h>
#include "platform/dconf.h"
#include "platform/dconf_lock.h"

struct desktop_keys {
	const char *session_schema;	/* idle-delay */
	int idle_signed_minutes;	/* MATE: "i" minutes, clamped; else "u" seconds */
	const char *saver_schema;	/* lock-enabled, lock-delay */
	int has_activation;		/* idle-activation-enabled decides */
	const char *lockdown_schema;	/* disable-lock-screen */
};

static const struct desktop_keys gnome_keys = {
	"org.gnome.desktop.session", 0,
	"org.gnome.desktop.screensaver", 0,
	"org.gnome.desktop.lockdown",
};
static const struct desktop_keys mate_keys = {
	"org.mate.session", 1,
	"org.mate.screensaver", 1,
	"org.mate.lockdown",
};
static const struct desktop_keys cinnamon_keys = {
	"org.cinnamon.desktop.session", 0,
	"org.cinnamon.desktop.screensaver", 1,
	"org.cinnamon.desktop.lockdown",
};

/* One key's reading, kept for the evidence of where it came from. */
struct reading {
	const char *schema, *key;
	struct dconf_value v;
};

static int
read_key(struct dconf *d, struct reading *rd, const char *schema, const char *key,
    struct mm_err *e)
{
	rd->schema = schema;
	rd->key = key;
	return dconf_read(d, schema, key, &rd->v, e);
}

static int
get_bool(struct dconf *d, struct reading *rd, const char *schema, const char *key,
    int *out, struct mm_err *e)
{
	if (read_key(d, rd, schema, key, e) == -1)
		return -1;
	if (gvariant_get_bool(&rd->v.v, out, e) == -1) {
		/* The schema says another type than the desktop reads. */
		err_set(e, "parse_error", "%s %s (%s) is not a boolean", schema, key, rd->v.source);
		return -1;
	}
	return 0;
}

/* A delay in seconds from a "u" seconds key or a MATE "i" minutes key,
 * with MATE's clamping (lo_as: what a value below lo becomes). */
static int
get_delay(struct dconf *d, struct reading *rd, const char *schema, const char *key,
    int signed_minutes, long lo, long lo_as, long *secs, struct mm_err *e)
{
	if (read_key(d, rd, schema, key, e) == -1)
		return -1;
	if (signed_minutes) {
		int32_t m;

		if (gvariant_get_i32(&rd->v.v, &m, e) == -1) {
			err_set(e, "parse_error", "%s %s (%s) is not a 32-bit integer",
			    schema, key, rd->v.source);
			return -1;
		}
		if (m < lo)
			m = (int32_t)lo_as;
		if (m > 480)
			m = 480;
		*secs = (long)m * 60;
	} else {
		uint32_t s;

		if (gvariant_get_u32(&rd->v.v, &s, e) == -1) {
			err_set(e, "parse_error", "%s %s (%s) is not an unsigned 32-bit integer",
			    schema, key, rd->v.source);
			return -1;
		}
		*secs = (long)s;
	}
	return 0;
}

static void
describe(struct idle_lock *out, const struct reading *rd)
{
	/* Cut to fit if need be: the source is evidence, not a key. */
	if (snprintf(out->source, sizeof(out->source), "%s %s from %s", rd->schema, rd->key,
	    rd->v.source) < 0)
		out->source[0] = '\0';
}

static int
read_desktop(const struct desktop_keys *k, struct dconf_cache *c, const struct root *r,
    const struct person *p, struct idle_lock *out, struct mm_err *e)
{
	struct dconf d;
	struct reading idle, enabled, delay, act, lockdown;
	long idle_s, delay_s;
	int lock_enabled, activation = 1, disabled, rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&act, 0, sizeof(act));
	if (dconf_open_cached(&d, r, p, c, e) == -1)
		return -1;
	if (get_delay(&d, &idle, k->session_schema, "idle-delay", k->idle_signed_minutes,
	    1, 10, &idle_s, e) == -1 ||
	    get_bool(&d, &enabled, k->saver_schema, "lock-enabled", &lock_enabled, e) == -1 ||
	    get_delay(&d, &delay, k->saver_schema, "lock-delay", k->idle_signed_minutes,
	    0, 0, &delay_s, e) == -1 ||
	    get_bool(&d, &lockdown, k->lockdown_schema, "disable-lock-screen", &disabled, e) == -1)
		goto done;
	if (k->has_activation &&
	    get_bool(&d, &act, k->saver_schema, "idle-activation-enabled", &activation, e) == -1)
		goto done;

	/* The first reason it never locks is the one a person must fix. */
	if (disabled) {
		describe(out, &lockdown);
		out->locked_by_admin = lockdown.v.locked;
	} else if (!lock_enabled) {
		describe(out, &enabled);
		out->locked_by_admin = enabled.v.locked;
	} else if (!activation) {
		describe(out, &act);
		out->locked_by_admin = act.v.locked;
	} else if (idle_s == 0) {
		describe(out, &idle);
		out->locked_by_admin = idle.v.locked;
	} else {
		out->locks = 1;
		out->lock_after_s = idle_s + delay_s;
		describe(out, &idle);
		/* Admin-held only if the person can weaken none of it. */
		out->locked_by_admin = idle.v.locked && delay.v.locked && enabled.v.locked &&
		    lockdown.v.locked && (!k->has_activation || act.v.locked);
	}
	rc = 0;
done:
	dconf_close(&d);
	return rc;
}

int
dconf_lock_gnome(struct dconf_cache *c, const struct root *r, const struct person *p,
    struct idle_lock *out, struct mm_err *e)
{
	return read_desktop(&gnome_keys, c, r, p, out, e);
}

int
dconf_lock_mate(struct dconf_cache *c, const struct root *r, const struct person *p,
    struct idle_lock *out, struct mm_err *e)
{
	return read_desktop(&mate_keys, c, r, p, out, e);
}

int
dconf_lock_cinnamon(struct dconf_cache *c, const struct root *r, const struct person *p,
    struct idle_lock *out, struct mm_err *e)
{
	return read_desktop(&cinnamon_keys, c, r, p, out, e);
}

int
idle_lock_gnome(const struct root *r, const struct person *p, struct idle_lock *out,
    struct mm_err *e)
{
	return read_desktop(&gnome_keys, NULL, r, p, out, e);
}

int
idle_lock_mate(const struct root *r, const struct person *p, struct idle_lock *out,
    struct mm_err *e)
{
	return read_desktop(&mate_keys, NULL, r, p, out, e);
}

int
idle_lock_cinnamon(const struct root *r, const struct person *p, struct idle_lock *out,
    struct mm_err *e)
{
	return read_desktop(&cinnamon_keys, NULL, r, p, out, e);
}
