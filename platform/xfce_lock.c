/* xfce_lock: whether an XFCE session locks itself when its person steps
 * away, from xfce4-screensaver's xfconf channel (xfconf.h) as xfconfd
 * merges it for that person.
 *
 * What xfce4-screensaver does, verified in its sources (src/gs-prefs.h
 * for the property names and defaults, src/gs-prefs.c for the clamps,
 * src/gs-listener.c, gs-listener-x11.c lock_timer and gs-manager.c
 * add_lock_timer for how they combine), channel "xfce4-screensaver":
 *   /saver/enabled                  bool  TRUE
 *   /saver/idle-activation/enabled  bool  TRUE
 *   /saver/idle-activation/delay    int   5   minutes; < 1 becomes 10, > 480 becomes 480
 *   /lock/enabled                   bool  TRUE
 *   /lock/saver-activation/enabled  bool  TRUE
 *   /lock/saver-activation/delay    int   0   minutes after the saver starts; clamped 0..480
 * The saver starts after the idle delay only when the first two are true;
 * it locks lock-delay minutes later only when both /lock switches are.
 * So the session is locked (idle + lock delay) * 60 seconds after the
 * person left.
 *
 * Not read, on purpose: /xfce4-power-manager/lock-screen-suspend-hibernate
 * (in xfce4-power-manager's channel, shared with xfce4-screensaver) is
 * about locking on suspend, not when idle.
 *
 * light-locker, the locker some distributions pair with XFCE instead,
 * keeps its settings in GSettings (apps.light-locker: lock-after-
 * screensaver seconds, late-locking) and locks when the X server's own
 * screensaver timeout fires (set by xfce4-power-manager or xset) — state
 * no file fully tells. So when xfce4-screensaver is not installed this
 * reader answers -1 ("no_reader") rather than guess from settings nobody
 * acts on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform/text.h"
#include "platform/xfce_lock.h"
#include "platform/xfconf.h"

#define XFCE_DAEMON	"/usr/bin/xfce4-screensaver"
#define XFCE_CHANNEL	"xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml"
#define XFCE_SYSTEM	"/etc/xdg/" XFCE_CHANNEL
#define XFCE_USER	".config/" XFCE_CHANNEL

enum { ORIGIN_SYSTEM = 0, ORIGIN_USER = 1 };

/* Labels for evidence: no account name in a home path. */
static const char *const origin_label[] = { XFCE_SYSTEM, "~/" XFCE_USER };

/* /etc/group read on the first "@group" of a locked= list. */
struct groups {
	const struct root *r;
	const char *user;
	int loaded;
	char *buf;
	size_t len;
};

/* Membership as xfconfd's group cache sees it: the member list of the
 * group's entry (the last one of that name wins, as in its hash table);
 * a primary group (passwd's gid) does not count there either. */
static int
in_group(void *ctx, const char *group, struct mm_err *e)
{
	struct groups *g = ctx;
	size_t pos = 0, ll, gl = strlen(group);
	const char *line;
	int found = 0;

	if (g->user == NULL)
		return 0;
	if (!g->loaded) {
		enum file_status s = root_read_file(g->r, "/etc/group", ROOT_CAP_TABLE,
		    &g->buf, &g->len, e);

		if (s == FILE_BAD)
			return -1;
		g->loaded = 1;
	}
	if (g->buf == NULL)
		return 0;
	while (text_next_line(g->buf, g->len, &pos, &line, &ll)) {
		const char *f[4];
		size_t fl[4];

		if (text_split(line, ll, ':', f, fl, 4) != 4 || fl[0] != gl ||
		    memcmp(f[0], group, gl) != 0)
			continue;
		/* A later entry of the same name replaces an earlier one. */
		found = 0;
		for (size_t i = 0, start = 0; i <= fl[3]; i++)
			if (i == fl[3] || f[3][i] == ',') {
				if (i - start == strlen(g->user) &&
				    memcmp(f[3] + start, g->user, i - start) == 0)
					found = 1;
				start = i + 1;
			}
	}
	return found;
}

/* Reads, parses and merges one channel file; an absent one is no error. */
static int
merge_file(const struct root *r, const char *path, size_t origin, struct xfconf_channel *ch,
    const struct xfconf_who *who, struct mm_err *e)
{
	struct xfconf_doc doc;
	char *buf = NULL;
	size_t len = 0;
	enum file_status s;
	int rc;

	s = root_read_file(r, path, ROOT_CAP_CONFIG, &buf, &len, e);
	if (s == FILE_ABSENT)
		return 0;
	if (s == FILE_BAD)
		return -1;
	rc = xfconf_parse(buf, len, &doc, e);
	free(buf);
	if (rc == -1) {
		char msg[sizeof(e->msg)];

		snprintf(msg, sizeof(msg), "%s", e->msg);
		err_set(e, e->reason, "%s: %s", origin_label[origin], msg);
		return -1;
	}
	rc = xfconf_merge(ch, &doc, origin == ORIGIN_SYSTEM, origin, who, e);
	xfconf_doc_free(&doc);
	return rc;
}

static void
set_source(struct idle_lock *out, const struct xfconf_channel *ch, const char *path)
{
	const struct xfconf_value *v = xfconf_get(ch, path);

	snprintf(out->source, sizeof(out->source), "%s",
	    v != NULL ? origin_label[v->origin] : "default");
}

int
idle_lock_xfce(const struct root *r, const struct person *p, struct idle_lock *out,
    struct mm_err *e)
{
	static const char *const never[] = {
		"/lock/enabled", "/lock/saver-activation/enabled",
		"/saver/enabled", "/saver/idle-activation/enabled",
	};
	struct xfconf_channel ch;
	struct groups g;
	struct xfconf_who who;
	char user_path[4096], kind;
	off_t size;
	long idle, delay;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (root_stat(r, XFCE_DAEMON, &kind, &size, e) == FILE_ABSENT) {
		err_set(e, "no_reader",
		    "xfce4-screensaver is not installed (%s); the session's locker, if any "
		    "(light-locker, xscreensaver), keeps settings mamori does not read yet",
		    XFCE_DAEMON);
		return -1;
	}
	err_clear(e);
	memset(&g, 0, sizeof(g));
	g.r = r;
	g.user = p->name;
	who.user = p->name;
	who.in_group = in_group;
	who.ctx = &g;
	xfconf_channel_init(&ch);

	if (merge_file(r, XFCE_SYSTEM, ORIGIN_SYSTEM, &ch, &who, e) == -1)
		goto done;
	/* A channel locked for this person: xfconfd never opens their file. */
	if (!ch.locked && p->home != NULL && p->home[0] == '/') {
		int n = snprintf(user_path, sizeof(user_path), "%s%s%s", p->home,
		    p->home[strlen(p->home) - 1] == '/' ? "" : "/", XFCE_USER);

		if (n < 0 || (size_t)n >= sizeof(user_path)) {
			err_set(e, "path_invalid", "the home folder of %s is too long a path",
			    p->name ? p->name : "a person");
			goto done;
		}
		if (merge_file(r, user_path, ORIGIN_USER, &ch, &who, e) == -1)
			goto done;
	}

	/* The first reason it never locks is the one a person must fix. */
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (!xfconf_get_bool(&ch, never[i], 1)) {
			set_source(out, &ch, never[i]);
			out->locked_by_admin = xfconf_is_locked(&ch, never[i]);
			rc = 0;
			goto done;
		}
	idle = xfconf_get_int(&ch, "/saver/idle-activation/delay", 5);
	if (idle < 1)
		idle = 10;	/* _gs_prefs_set_timeout */
	if (idle > 480)
		idle = 480;
	delay = xfconf_get_int(&ch, "/lock/saver-activation/delay", 0);
	if (delay < 0)
		delay = 0;
	if (delay > 480)
		delay = 480;
	out->locks = 1;
	out->lock_after_s = (idle + delay) * 60;
	set_source(out, &ch, xfconf_get(&ch, "/saver/idle-activation/delay") != NULL
	    ? "/saver/idle-activation/delay" : "/lock/saver-activation/delay");
	/* Admin-held only if the person can weaken none of it. */
	out->locked_by_admin = xfconf_is_locked(&ch, "/saver/idle-activation/delay") &&
	    xfconf_is_locked(&ch, "/lock/saver-activation/delay");
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		out->locked_by_admin = out->locked_by_admin && xfconf_is_locked(&ch, never[i]);
	rc = 0;
done:
	xfconf_channel_free(&ch);
	free(g.buf);
	return rc;
}
