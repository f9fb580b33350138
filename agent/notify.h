/* notify: `mamori notify`, one per desktop session, running as the person.
 * It reads only that person's status file (/run/mamori/users/UID.json, by
 * getuid()), and shows a desktop notification through the freedesktop
 * Notifications interface on the session bus (sd-bus): when the problems
 * change, at most once a day as a reminder while they stay, and once when
 * all is fixed. It remembers what it showed in
 * $XDG_STATE_HOME/mamori/notify.json. See docs/daemon.md. */
#ifndef MAMORI_NOTIFY_H
#define MAMORI_NOTIFY_H

#include <stdint.h>
#include <time.h>
#include <jansson.h>

#define NOTIFY_REMIND_S 86400	/* a problem that stays is shown again after a day */

/* What was last shown. */
struct notify_memory {
	char hash[65];		/* of the problems shown; "" none */
	long long shown_at;	/* epoch seconds */
	int problems;		/* 1: problems were shown and not yet said fixed */
	uint32_t id;		/* the server's id, to replace our own bubble */
};

enum notify_action {
	NOTIFY_NONE = 0,
	NOTIFY_SHOW,		/* new or changed problems */
	NOTIFY_REMIND,		/* the same problems, a day later */
	NOTIFY_FIXED,		/* all fixed since problems were shown */
};

/* The hash of the problems of a status (sha256 hex of their check, subject,
 * reason and remediation: evidence such as a day count does not count as a
 * change); "" when there are none. */
void notify_problem_hash(const json_t *st, char out[65]);

/* What to do now, given what was shown before. */
enum notify_action notify_decide(const struct notify_memory *m, const char *hash,
    long long now);

/* The clock: $MAMORI_NOW (epoch seconds; tests) or time(NULL). */
long long notify_now(void);

int notify_main(int argc, char **argv);

#endif
