/* kde_lock: whether KDE Plasma's screen locker (ksld, in kscreenlocker)
 * locks a person's session when idle, from kscreenlockerrc read the way
 * KConfig reads it (kconfig.h).
 *
 * What kscreenlocker does, verified in its sources:
 * - settings/kscreenlockersettings.kcfg (and the older kcfg/ copy), group
 *   [Daemon]: Autolock (Bool, default true), Timeout (minutes; Double
 *   with no minimum now, Int with minimum 1 before), Lock (Bool, default
 *   true), LockGrace (Int, seconds, default 5; 0..300 in the older kcfg),
 *   RequirePassword (Bool, default true), LockOnResume (Bool, default
 *   true).
 * - ksldapp.cpp KSldApp::configure/updateIdleTimeout: an idle timeout of
 *   Timeout minutes is armed only when Autolock is true and Timeout > 0.
 *   Lock false sets the grace time to -1, "grace time lasts forever", and
 *   the greeter is started with --nolock, as it is when RequirePassword is
 *   false: then any key press or mouse move ends the "lock" without a
 *   password, which is no lock. Otherwise, for LockGrace seconds after the
 *   idle lock, activity unlocks without a password (m_inGraceTime), and a
 *   negative LockGrace (possible since the kcfg lost its minimum) keeps
 *   that grace from ever ending.
 * So the session is protected Timeout * 60 + LockGrace seconds after the
 * person left: LockGrace is the lock delay of idle_lock.h, as GNOME's
 * lock-delay is. LockOnResume is about suspend, not idle, and not read.
 *
 * Files, as KConfig finds kscreenlockerrc: the folders of XDG_CONFIG_DIRS
 * (default /etc/xdg) then the person's XDG_CONFIG_HOME (default
 * ~/.config). A scan cannot see a session's environment, so the defaults
 * are used. KConfig also reads kdeglobals into every config; a [Daemon]
 * group there is not looked for. "[$e]" values are taken as written, never
 * expanded: the environment they would expand in is the session's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform/kconfig.h"
#include "platform/kde_lock.h"

#define KDE_SYSTEM_RC	"/etc/xdg/kscreenlockerrc"
#define KDE_USER_RC	".config/kscreenlockerrc"
#define KDE_GROUP	"Daemon"

enum { ORIGIN_SYSTEM = 0, ORIGIN_USER = 1 };

/* Labels for evidence: no account name in a home path. */
static const char *const origin_label[] = { KDE_SYSTEM_RC, "~/" KDE_USER_RC };

/* Reads one file of the cascade; an absent file is no error. */
static int
load(const struct root *r, const char *path, int flags, size_t origin,
    struct kconfig *kc, struct mm_err *e)
{
	char *buf = NULL;
	size_t len = 0;
	enum file_status s;
	int rc;

	s = root_read_file(r, path, ROOT_CAP_CONFIG, &buf, &len, e);
	if (s == FILE_ABSENT)
		return 0;
	if (s == FILE_BAD)
		return -1;
	rc = kconfig_parse(kc, buf, len, flags, origin, e);
	free(buf);
	if (rc == -1) {
		char msg[sizeof(e->msg)];

		snprintf(msg, sizeof(msg), "%s", e->msg);
		err_set(e, e->reason, "%s: %s", origin_label[origin], msg);
	}
	return rc;
}

/* The value KDE reads for key, or NULL for the program's default. */
static const char *
value_of(const struct kconfig *kc, const char *key)
{
	const struct kconfig_entry *en = kconfig_entry(kc, KDE_GROUP, key);

	return en != NULL ? en->value : NULL;
}

static void
set_source(struct idle_lock *out, const struct kconfig *kc, const char *key)
{
	const struct kconfig_entry *en = kconfig_entry(kc, KDE_GROUP, key);

	snprintf(out->source, sizeof(out->source), "%s",
	    en != NULL && en->value != NULL ? origin_label[en->origin] : "default");
}

/* The keys read, and which of them the system files hold. */
enum { K_AUTOLOCK, K_TIMEOUT, K_LOCK, K_GRACE, K_REQUIRE, N_KEYS };
static const char *const key_names[N_KEYS] = {
	"Autolock", "Timeout", "Lock", "LockGrace", "RequirePassword",
};

int
idle_lock_kde(const struct root *r, const struct person *p, struct idle_lock *out,
    struct mm_err *e)
{
	struct kconfig kc;
	char user_rc[4096];
	int held[N_KEYS];	/* immutable in the system files: the administrator's */
	int autolock, lock, require, rc = -1;
	double timeout_min;
	long grace;

	memset(out, 0, sizeof(*out));
	kconfig_init(&kc);
	if (load(r, KDE_SYSTEM_RC, KCONFIG_DEFAULTS, ORIGIN_SYSTEM, &kc, e) == -1)
		goto done;
	/* What the administrator holds is decided here, before the person's
	 * file: [$i] there, the last file of the cascade, makes nothing
	 * immutable against anyone but files read after it (there are none),
	 * so it is the person's own value, which they may change. Only an
	 * immutable mark in a system file locks the person's value. */
	for (int k = 0; k < N_KEYS; k++)
		held[k] = kconfig_is_immutable(&kc, KDE_GROUP, key_names[k]);
	/* A system file immutable as a whole ends the cascade: KDE never
	 * opens the person's own file, so nothing in it can matter. */
	if (!kc.file_immutable && p->home != NULL && p->home[0] == '/') {
		int n = snprintf(user_rc, sizeof(user_rc), "%s%s%s", p->home,
		    p->home[strlen(p->home) - 1] == '/' ? "" : "/", KDE_USER_RC);

		if (n < 0 || (size_t)n >= sizeof(user_rc)) {
			err_set(e, "path_invalid", "the home folder of %s is too long a path",
			    p->name ? p->name : "a person");
			goto done;
		}
		if (load(r, user_rc, KCONFIG_LOCAL, ORIGIN_USER, &kc, e) == -1)
			goto done;
	}

	autolock = kconfig_bool(value_of(&kc, "Autolock"), 1);
	timeout_min = kconfig_double(value_of(&kc, "Timeout"), 5.0);
	lock = kconfig_bool(value_of(&kc, "Lock"), 1);
	grace = kconfig_int(value_of(&kc, "LockGrace"), 5);
	require = kconfig_bool(value_of(&kc, "RequirePassword"), 1);

	/* The first reason it never locks is the one a person must fix. */
	if (!autolock) {
		set_source(out, &kc, "Autolock");
		out->locked_by_admin = held[K_AUTOLOCK];
	} else if (!(timeout_min > 0)) {
		/* No idle timeout is armed. (The older Int kcfg clamped 0 to
		 * its minimum of 1 minute; today's Double has no minimum, and
		 * a value that locks on one version but never on another is
		 * not a lock to rely on.) */
		set_source(out, &kc, "Timeout");
		out->locked_by_admin = held[K_TIMEOUT];
	} else if (!lock) {
		set_source(out, &kc, "Lock");
		out->locked_by_admin = held[K_LOCK];
	} else if (!require) {
		set_source(out, &kc, "RequirePassword");
		out->locked_by_admin = held[K_REQUIRE];
	} else if (grace < 0) {
		set_source(out, &kc, "LockGrace");
		out->locked_by_admin = held[K_GRACE];
	} else {
		double s = timeout_min * 60.0;
		long idle_s;

		/* Whole seconds, rounded up; beyond 30 years is "never" in
		 * all but name, and must not overflow. */
		if (s > 1e9)
			idle_s = 1000000000L;
		else {
			idle_s = (long)s;
			if ((double)idle_s < s)
				idle_s++;
		}
		out->locks = 1;
		out->lock_after_s = idle_s + grace;
		set_source(out, &kc, value_of(&kc, "Timeout") != NULL ? "Timeout" :
		    value_of(&kc, "LockGrace") != NULL ? "LockGrace" : "Autolock");
		/* Admin-held only if the person can weaken none of it. */
		out->locked_by_admin = held[K_AUTOLOCK] && held[K_TIMEOUT] && held[K_LOCK] &&
		    held[K_GRACE] && held[K_REQUIRE];
	}
	rc = 0;
done:
	kconfig_free(&kc);
	return rc;
}
