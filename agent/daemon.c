/* daemon: the event loop of `mamori daemon`; see daemon.h. The work of a
 * round is agent/cycle.c; this file decides when a round runs. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <libudev.h>
#include <systemd/sd-daemon.h>
#include "agent/cycle.h"
#include "agent/daemon.h"
#include "agent/state.h"
#include "agent/userstatus.h"
#include "common/i18n.h"
#include "platform/accounts.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define EXIT_USAGE 2
#define EXIT_STATE 5
#define EVENT_DELAY_MS 2000	/* after a file or device event: let the writer finish */
#define MIN_GAP_S 60		/* event-driven rounds at most this often */
#define RETRY_FIRST_S 60	/* undelivered reports: first retry, doubling */

enum wkind { W_SETTINGS, W_POLICY, W_DEVICE };

struct watch {
	int wd;
	enum wkind kind;
	const char *const *names;	/* only these names count; NULL: any */
	char name1[256];		/* or this one name (the policy file) */
};

struct daemon {
	const char *rootdir, *policy_file, *status_dir;
	struct root root;
	struct policy policy;
	struct cycle_opts co;
	int live, verbose;
	long interval_s, splay_s;	/* -1: from the policy */
	long event_delay_ms, min_gap_s;
	int ep, sigfd, timerfd, wdogfd, inofd;
	struct udev *udev;
	struct udev_monitor *mon;
	struct watch *w;
	size_t nw, capw;
	uint64_t due_periodic, due_event, due_retry, last_end;	/* CLOCK_BOOTTIME ms */
	unsigned retry_s;
	int reload;			/* re-read the policy before the next round */
	char why[64];			/* what asked for the next round */
	int last_overall, last_enrolled;
};

static int journal;	/* stderr is the journal: lines carry <N> priorities */
static int verbose_log;

static void
logmsg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !verbose_log)
		return;
	if (journal)
		fprintf(stderr, "<%d>", prio);
	else
		fputs("mamori daemon: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	/* BOOTTIME counts suspend: a PC that slept past its hour scans on wake */
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t
random_below(uint64_t n)
{
	uint64_t r = 0;

	if (n == 0)
		return 0;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	return r % n;
}

/* A stop was asked while a round ran: SIGTERM is blocked (it comes through
 * the signalfd), so it waits as pending. */
static int
stop_pending(void)
{
	sigset_t p;

	return sigpending(&p) == 0 && (sigismember(&p, SIGTERM) || sigismember(&p, SIGINT));
}

/* --- what is watched ------------------------------------------------------ */

static const char *const etc_names[] = { "passwd", "shadow", "group", "login.defs",
    "hostname", NULL };
static const char *const dconf_user[] = { "user", NULL };
static const char *const kde_names[] = { "kscreenlockerrc", "kdeglobals", NULL };

/* System places of the settings the checks read (relative to the root). */
static const struct {
	const char *dir;
	const char *const *names;
} system_watches[] = {
	{ "/etc", etc_names },
	{ "/etc/pam.d", NULL },
	{ "/etc/security", NULL },
	{ "/etc/gdm3", NULL },
	{ "/etc/lightdm", NULL },
	{ "/etc/lightdm/lightdm.conf.d", NULL },
	{ "/etc/sddm.conf.d", NULL },
	{ "/etc/dconf/db", NULL },
	{ "/etc/dconf/profile", NULL },
	{ "/etc/xdg/xfce4/xfconf/xfce-perchannel-xml", NULL },
	{ "/etc/firefox/policies", NULL },
	{ "/etc/chromium/policies/managed", NULL },
	{ "/etc/opt/chrome/policies/managed", NULL },
};

/* Per person, under the home folder: the desktops' idle-lock settings. */
static const struct {
	const char *dir;
	const char *const *names;
} home_watches[] = {
	{ "/.config/dconf", dconf_user },
	{ "/.config", kde_names },
	{ "/.config/xfce4/xfconf/xfce-perchannel-xml", NULL },
};

static void
add_watch(struct daemon *d, const char *path, enum wkind kind, const char *const *names,
    const char *name1)
{
	struct watch *w;
	int wd;

	/* IN_DONT_FOLLOW: a symlink a person planted is not watched through;
	 * the worst a person can do here is ask for a round, and rounds from
	 * events are at most one per --min-gap */
	wd = inotify_add_watch(d->inofd, path, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
	    IN_CREATE | IN_DELETE | IN_DONT_FOLLOW | IN_ONLYDIR | IN_EXCL_UNLINK);
	if (wd == -1) {
		if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
			logmsg(LOG_DEBUG, "cannot watch %s: %s", path, strerror(errno));
		return;
	}
	if (d->nw == d->capw) {
		struct watch *nv = realloc(d->w, (d->capw ? d->capw * 2 : 32) * sizeof(*nv));
		if (nv == NULL)
			return;
		d->w = nv;
		d->capw = d->capw ? d->capw * 2 : 32;
	}
	w = &d->w[d->nw++];
	w->wd = wd;
	w->kind = kind;
	w->names = names;
	snprintf(w->name1, sizeof(w->name1), "%s", name1 ? name1 : "");
}

static void
under_root(const struct daemon *d, const char *rel, char *out, size_t outlen)
{
	if (strcmp(d->rootdir, "/") == 0)
		snprintf(out, outlen, "%s", rel);
	else
		snprintf(out, outlen, "%s%s", d->rootdir, rel);
}

/* The policy file, or where the system's would appear. */
static void
watch_policy(struct daemon *d)
{
	char dir[4096], base[256];

	if (d->policy_file != NULL) {
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s", d->policy_file);
		snprintf(base, sizeof(base), "%s", basename(tmp));
		snprintf(tmp, sizeof(tmp), "%s", d->policy_file);
		snprintf(dir, sizeof(dir), "%s", dirname(tmp));
	} else if (d->live) {
		snprintf(dir, sizeof(dir), "%s", SYSCONFDIR "/mamori");
		snprintf(base, sizeof(base), "policy.json");
	} else {
		return;
	}
	add_watch(d, dir, W_POLICY, NULL, base);
}

/* Builds the watches anew: the people and their folders may have changed
 * since the last round. */
static int
watches_rebuild(struct daemon *d)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct people pp;
	char path[4400];
	int fd;

	if ((fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		logmsg(LOG_WARNING, "inotify: %s; changed settings are seen at the next "
		    "interval only", strerror(errno));
		return -1;
	}
	if (d->inofd != -1)
		close(d->inofd);	/* also drops it from the epoll set */
	d->inofd = fd;
	d->nw = 0;
	for (size_t i = 0; i < sizeof(system_watches) / sizeof(system_watches[0]); i++) {
		under_root(d, system_watches[i].dir, path, sizeof(path));
		add_watch(d, path, W_SETTINGS, system_watches[i].names, NULL);
	}
	people_load(&pp, &d->root, &d->policy);
	for (size_t p = 0; p < pp.n; p++) {
		if (pp.v[p].home == NULL || pp.v[p].home[0] != '/' ||
		    strcmp(pp.v[p].home, "/") == 0)
			continue;
		for (size_t i = 0; i < sizeof(home_watches) / sizeof(home_watches[0]); i++) {
			char rel[4200];
			snprintf(rel, sizeof(rel), "%s%s", pp.v[p].home, home_watches[i].dir);
			under_root(d, rel, path, sizeof(path));
			add_watch(d, path, W_SETTINGS, home_watches[i].names, NULL);
		}
	}
	people_free(&pp);
	watch_policy(d);
	/* a test tree has no udev: its sysfs and udev database are the device
	 * list, and appear as files */
	if (!d->live) {
		under_root(d, "/sys/block", path, sizeof(path));
		add_watch(d, path, W_DEVICE, NULL, NULL);
		under_root(d, "/run/udev/data", path, sizeof(path));
		add_watch(d, path, W_DEVICE, NULL, NULL);
	}
	ev.data.fd = fd;
	if (epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		logmsg(LOG_WARNING, "epoll: %s", strerror(errno));
		return -1;
	}
	logmsg(LOG_DEBUG, "watching %zu folders", d->nw);
	return 0;
}

/* --- scheduling ----------------------------------------------------------- */

static void
want_round(struct daemon *d, const char *why, int now_too)
{
	uint64_t now = now_ms(), t = now;

	if (!now_too) {
		t = now + (uint64_t)d->event_delay_ms;
		if (d->last_end && t < d->last_end + (uint64_t)d->min_gap_s * 1000)
			t = d->last_end + (uint64_t)d->min_gap_s * 1000;
	}
	/* a burst of events makes one round: the earliest wish stands */
	if (d->due_event == 0 || t < d->due_event) {
		d->due_event = t;
		snprintf(d->why, sizeof(d->why), "%s", why);
	}
}

static int
arm_timer(struct daemon *d)
{
	uint64_t next = d->due_periodic;
	struct itimerspec its;

	if (d->due_event && d->due_event < next)
		next = d->due_event;
	if (d->due_retry && d->due_retry < next)
		next = d->due_retry;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(next / 1000);
	its.it_value.tv_nsec = (long)(next % 1000) * 1000000;
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;	/* zero would disarm it */
	return timerfd_settime(d->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static long
interval_s(const struct daemon *d)
{
	return d->interval_s >= 0 ? d->interval_s : d->policy.daemon.interval_minutes * 60;
}

static long
splay_s(const struct daemon *d)
{
	return d->splay_s >= 0 ? d->splay_s : d->policy.daemon.splay_minutes * 60;
}

/* --- rounds --------------------------------------------------------------- */

static void
reload_policy(struct daemon *d)
{
	struct policy_known known = scan_known_checks();
	struct policy np;
	struct mm_err e;

	d->reload = 0;
	err_clear(&e);
	if (policy_load(&np, d->policy_file, &known, &e) == -1) {
		logmsg(LOG_ERR, "the policy was not reloaded, the previous one stays in force: %s",
		    e.msg);
		return;
	}
	if (strcmp(np.sha256, d->policy.sha256) != 0)
		logmsg(LOG_NOTICE, "policy \"%s\" (sha256 %.12s…) loaded", np.id, np.sha256);
	policy_free(&d->policy);
	d->policy = np;
}

static void
after_delivery(struct daemon *d, const struct upload_result *up, uint64_t now)
{
	if (up->remaining > 0) {
		logmsg(LOG_WARNING, "%zu report(s) wait in the spool; next try in %u s",
		    up->remaining, d->retry_s);
		d->due_retry = now + (uint64_t)d->retry_s * 1000;
		if ((long)d->retry_s * 2 <= interval_s(d))
			d->retry_s *= 2;
	} else {
		d->due_retry = 0;
		d->retry_s = RETRY_FIRST_S;
	}
}

static void
note_enrolled(struct daemon *d, int enrolled)
{
	if (enrolled == d->last_enrolled)
		return;
	if (!enrolled)
		logmsg(LOG_NOTICE, "this PC is not enrolled: status files are written, no report "
		    "is sent (mamori enroll --server URL --token T)");
	else if (d->last_enrolled == 0)
		logmsg(LOG_NOTICE, "this PC is enrolled now: reports are sent");
	d->last_enrolled = enrolled;
}

static void
run_round(struct daemon *d)
{
	struct cycle_result res;
	struct mm_err e;
	uint64_t start = now_ms(), end;
	int rc;

	if (d->reload)
		reload_policy(d);
	sd_notifyf(0, "STATUS=Scanning (%s)\nWATCHDOG=1", d->why);
	err_clear(&e);
	rc = cycle_run(&d->co, &d->root, &d->policy, time(NULL), &res, &e);
	end = now_ms();
	if (rc == -1)
		logmsg(LOG_ERR, "%s", e.msg);
	note_enrolled(d, res.enrolled);
	/* quiet: one line when the verdict changes, else only with --verbose */
	logmsg((int)res.overall != d->last_overall ? LOG_INFO : LOG_DEBUG,
	    "scan (%s): %s in %llu ms; %zu status file(s); %s",
	    d->why, overall_name(res.overall), (unsigned long long)(end - start),
	    res.status_files, !res.enrolled ? "not enrolled" : res.sequence == 0 ?
	    "no report" : res.delivery_tried && res.up.remaining == 0 ? "report delivered" :
	    res.delivery_tried ? "report spooled, not delivered" : "report spooled");
	if (res.enrolled && res.sequence != 0 && !res.delivery_tried)
		logmsg(LOG_INFO, "stop asked during the scan: report %llu is spooled and is sent "
		    "at the next start", (unsigned long long)res.sequence);
	if (res.evicted > 0)
		logmsg(LOG_WARNING, "the spool was full: %zu older report(s) were dropped and counted",
		    res.evicted);
	d->last_overall = (int)res.overall;
	if (res.delivery_tried)
		after_delivery(d, &res.up, end);
	d->last_end = end;
	d->due_event = 0;
	d->due_periodic = end + (uint64_t)interval_s(d) * 1000 +
	    random_below((uint64_t)splay_s(d) * 1000);
	watches_rebuild(d);
	sd_notifyf(0, "STATUS=%s; next scan in %llu s\nWATCHDOG=1", overall_name(res.overall),
	    (unsigned long long)((d->due_periodic - end) / 1000));
}

static void
run_delivery(struct daemon *d)
{
	struct upload_result up;
	struct mm_err e;
	int enrolled;

	err_clear(&e);
	if (cycle_deliver(&d->co, &enrolled, &up, &e) == -1)
		logmsg(LOG_ERR, "%s", e.msg);
	if (up.delivered > 0)
		logmsg(LOG_INFO, "%zu waiting report(s) delivered", up.delivered);
	if (enrolled)
		after_delivery(d, &up, now_ms());
	else
		d->due_retry = 0;
}

/* --- events --------------------------------------------------------------- */

static const struct watch *
watch_of(const struct daemon *d, int wd)
{
	for (size_t i = 0; i < d->nw; i++)
		if (d->w[i].wd == wd)
			return &d->w[i];
	return NULL;
}

static int
name_counts(const struct watch *w, const char *name)
{
	if (w->name1[0] != '\0')
		return strcmp(w->name1, name) == 0;
	if (w->names == NULL)
		return 1;
	for (size_t i = 0; w->names[i] != NULL; i++)
		if (strcmp(w->names[i], name) == 0)
			return 1;
	return 0;
}

static void
on_inotify(struct daemon *d)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(d->inofd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n; ) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			const struct watch *w = watch_of(d, ev->wd);

			p += sizeof(*ev) + ev->len;
			if (w == NULL || ev->len == 0 || ev->name[0] == '.' ||
			    !name_counts(w, ev->name))
				continue;
			logmsg(LOG_DEBUG, "changed: %s", ev->name);
			if (w->kind == W_POLICY) {
				d->reload = 1;
				want_round(d, "policy changed", 0);
			} else if (w->kind == W_DEVICE) {
				want_round(d, "device", 0);
			} else {
				want_round(d, "settings changed", 0);
			}
		}
	}
}

static void
on_udev(struct daemon *d)
{
	struct udev_device *dev;

	while ((dev = udev_monitor_receive_device(d->mon)) != NULL) {
		const char *a = udev_device_get_action(dev);

		if (a != NULL && (strcmp(a, "add") == 0 || strcmp(a, "change") == 0 ||
		    strcmp(a, "remove") == 0)) {
			logmsg(LOG_DEBUG, "udev: %s %s", a, udev_device_get_sysname(dev));
			want_round(d, "removable storage", 0);
		}
		udev_device_unref(dev);
	}
}

/* Returns 1 when asked to stop. */
static int
on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			return 1;
		case SIGHUP:
			d->reload = 1;
			want_round(d, "SIGHUP", 1);
			break;
		}
	}
	return 0;
}

/* --- setup ---------------------------------------------------------------- */

static int
epoll_add(struct daemon *d, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &ev);
}

static int
setup_loop(struct daemon *d)
{
	uint64_t wd_usec = 0;
	sigset_t ss;

	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGHUP);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &ss, NULL) == -1 ||
	    (d->ep = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (d->sigfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC)) == -1 ||
	    (d->timerfd = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK | TFD_CLOEXEC)) == -1 ||
	    epoll_add(d, d->sigfd) == -1 || epoll_add(d, d->timerfd) == -1) {
		logmsg(LOG_ERR, "cannot set up the event loop: %s", strerror(errno));
		return -1;
	}
	/* WatchdogSec= in the unit: a ping at half the period, the one timer
	 * that wakes an idle daemon (none without a watchdog) */
	if (sd_watchdog_enabled(0, &wd_usec) > 0 && wd_usec > 0) {
		struct itimerspec its;
		uint64_t half = wd_usec / 2;
		memset(&its, 0, sizeof(its));
		its.it_value.tv_sec = its.it_interval.tv_sec = (time_t)(half / 1000000);
		its.it_value.tv_nsec = its.it_interval.tv_nsec = (long)(half % 1000000) * 1000;
		if ((d->wdogfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) == -1 ||
		    timerfd_settime(d->wdogfd, 0, &its, NULL) == -1 || epoll_add(d, d->wdogfd) == -1)
			logmsg(LOG_WARNING, "watchdog timer: %s", strerror(errno));
	}
	if (d->live) {
		d->udev = udev_new();
		d->mon = d->udev ? udev_monitor_new_from_netlink(d->udev, "udev") : NULL;
		if (d->mon == NULL ||
		    udev_monitor_filter_add_match_subsystem_devtype(d->mon, "block", "disk") < 0 ||
		    udev_monitor_enable_receiving(d->mon) < 0 ||
		    epoll_add(d, udev_monitor_get_fd(d->mon)) == -1) {
			logmsg(LOG_WARNING, "no udev monitor; removable storage is seen at the next "
			    "scan only");
			if (d->mon != NULL)
				udev_monitor_unref(d->mon);
			d->mon = NULL;
		}
	}
	return 0;
}

static void
teardown(struct daemon *d)
{
	int fds[] = { d->ep, d->sigfd, d->timerfd, d->wdogfd, d->inofd };

	if (d->mon != NULL)
		udev_monitor_unref(d->mon);
	if (d->udev != NULL)
		udev_unref(d->udev);
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] != -1)
			close(fds[i]);
	if (d->co.status_dirfd != -1)
		close(d->co.status_dirfd);
	free(d->w);
	root_close(&d->root);
	policy_free(&d->policy);
}

static void
usage_daemon(FILE *out)
{
	fprintf(out, _(
	    "usage: mamori daemon [--root DIR] [--policy FILE] [--state-dir DIR]\n"
	    "                     [--status-dir DIR] [--interval S] [--splay S]\n"
	    "                     [--event-delay MS] [--min-gap S] [--check] [--verbose]\n"
	    "\n"
	    "Runs as a system service: scans and reports at start, every policy interval\n"
	    "(daemon.interval_minutes, plus a random daemon.splay_minutes), when removable\n"
	    "storage is attached, when the policy or a watched setting changes, and on\n"
	    "SIGHUP. Writes each person's status for mamori notify and mamori status.\n"
	    "\n"
	    "  --root DIR         read the machine from DIR instead of / (tests)\n"
	    "  --policy FILE      policy file (default: %s/mamori/policy.json when it exists)\n"
	    "  --state-dir DIR    enrollment and spool (default: $MAMORI_STATE_DIR or %s)\n"
	    "  --status-dir DIR   per-person status files (default: $MAMORI_STATUS_DIR or %s)\n"
	    "  --interval S       seconds between scans, instead of the policy's\n"
	    "  --splay S          random extra seconds, instead of the policy's\n"
	    "  --event-delay MS   wait after a file or device event (default %d)\n"
	    "  --min-gap S        at least this long between event-driven scans (default %d)\n"
	    "  --check            check the configuration and exit (0 good, 2 bad, 5 state)\n"
	    "  --verbose          log every scan, not only changes\n"),
	    SYSCONFDIR, STATE_DEFAULT_DIR, USERSTATUS_DEFAULT_DIR, EVENT_DELAY_MS, MIN_GAP_S);
}

static int
number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
daemon_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "state-dir", required_argument, NULL, 'd' },
		{ "status-dir", required_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "splay", required_argument, NULL, 'S' },
		{ "event-delay", required_argument, NULL, 'E' },
		{ "min-gap", required_argument, NULL, 'g' },
		{ "check", no_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char sys_policy[] = SYSCONFDIR "/mamori/policy.json";
	struct policy_known known = scan_known_checks();
	const char *pol = NULL, *state_dir = NULL, *status_dir = NULL;
	struct daemon d;
	struct mm_err e;
	int ch, check = 0, rc = 0;

	memset(&d, 0, sizeof(d));
	d.rootdir = "/";
	d.interval_s = d.splay_s = -1;
	d.event_delay_ms = EVENT_DELAY_MS;
	d.min_gap_s = MIN_GAP_S;
	d.ep = d.sigfd = d.timerfd = d.wdogfd = d.inofd = -1;
	d.co.status_dirfd = -1;
	d.last_overall = d.last_enrolled = -1;
	d.retry_s = RETRY_FIRST_S;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "r:p:d:s:i:S:E:g:cvh", opts, NULL)) != -1) {
		long v;
		switch (ch) {
		case 'r': d.rootdir = optarg; break;
		case 'p': pol = optarg; break;
		case 'd': state_dir = optarg; break;
		case 's': status_dir = optarg; break;
		case 'i': if (number(optarg, 1, 7 * 86400, &d.interval_s) == -1) goto bad; break;
		case 'S': if (number(optarg, 0, 86400, &d.splay_s) == -1) goto bad; break;
		case 'E': if (number(optarg, 0, 600000, &d.event_delay_ms) == -1) goto bad; break;
		case 'g': if (number(optarg, 0, 86400, &v) == -1) goto bad; d.min_gap_s = v; break;
		case 'c': check = 1; break;
		case 'v': d.verbose = verbose_log = 1; break;
		case 'h': usage_daemon(stdout); return 0;
		default: goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	journal = getenv("JOURNAL_STREAM") != NULL;
	d.live = strcmp(d.rootdir, "/") == 0;
	/* a test tree must not pick up this machine's policy */
	d.policy_file = pol != NULL ? pol : d.live && access(sys_policy, F_OK) == 0 ? sys_policy :
	    NULL;
	d.status_dir = userstatus_dir_path(status_dir);
	d.co.state_dir = state_dir_path(state_dir);
	d.co.live = d.live;
	d.co.stop = stop_pending;
	d.co.log = stderr;
	err_clear(&e);
	/* configuration first, before anything is read from the machine */
	if (policy_load(&d.policy, d.policy_file, &known, &e) == -1) {
		logmsg(LOG_ERR, "%s", e.msg);
		return EXIT_USAGE;
	}
	if (root_open(&d.root, d.rootdir, getenv("MAMORI_NO_OPENAT2") ? ROOT_NO_OPENAT2 : 0,
	    &e) == -1) {
		logmsg(LOG_ERR, "%s", e.msg);
		policy_free(&d.policy);
		return EXIT_USAGE;
	}
	if (userstatus_dir_open(d.status_dir, &d.co.status_dirfd, &e) == -1) {
		logmsg(LOG_ERR, "%s", e.msg);
		teardown(&d);
		return EXIT_STATE;
	}
	if (check) {
		struct state st;
		struct state_device dev;
		int en = -1;

		if (state_open(&st, d.co.state_dir, 0, &e) == 0) {
			en = state_device_load(&st, &dev, &e);
			state_close(&st);
		}
		printf(_("policy \"%s\" (sha256 %s), every %ld min + up to %ld min\n"),
		    d.policy.id, d.policy.sha256, interval_s(&d) / 60, splay_s(&d) / 60);
		printf(_("status files in %s\n"), d.status_dir);
		if (en == 0)
			printf(_("enrolled as %s, reporting to %s\n"), dev.device_id, dev.server);
		else
			printf(_("not enrolled (%s): status files only, no reports\n"), e.msg);
		teardown(&d);
		return en == -1 && strcmp(e.reason, "not_enrolled") != 0 ? EXIT_STATE : 0;
	}
	if (setup_loop(&d) == -1) {
		teardown(&d);
		return EXIT_STATE;
	}
	logmsg(LOG_INFO, "started: policy \"%s\", every %ld s + up to %ld s, status in %s",
	    d.policy.id, interval_s(&d), splay_s(&d), d.status_dir);
	/* ready before the first scan: starting the service does not wait for it */
	sd_notify(0, "READY=1\nSTATUS=Starting the first scan");
	want_round(&d, "start", 1);
	d.due_periodic = now_ms() + (uint64_t)interval_s(&d) * 1000;
	for (;;) {
		struct epoll_event evs[8];
		uint64_t now;
		int n, stop = 0;

		if (arm_timer(&d) == -1) {
			logmsg(LOG_ERR, "timer: %s", strerror(errno));
			rc = EXIT_STATE;
			break;
		}
		n = epoll_wait(d.ep, evs, 8, -1);
		if (n == -1 && errno != EINTR) {
			logmsg(LOG_ERR, "epoll: %s", strerror(errno));
			rc = EXIT_STATE;
			break;
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			uint64_t x;

			if (fd == d.sigfd)
				stop |= on_signal(&d);
			else if (fd == d.timerfd)
				while (read(fd, &x, sizeof(x)) == sizeof(x))
					;
			else if (fd == d.wdogfd) {
				while (read(fd, &x, sizeof(x)) == sizeof(x))
					;
				sd_notify(0, "WATCHDOG=1");
			} else if (fd == d.inofd)
				on_inotify(&d);
			else if (d.mon != NULL && fd == udev_monitor_get_fd(d.mon))
				on_udev(&d);
		}
		if (stop || stop_pending())
			break;
		now = now_ms();
		if ((d.due_event && now >= d.due_event) || now >= d.due_periodic) {
			if (!d.due_event || now < d.due_event)
				snprintf(d.why, sizeof(d.why), "interval");
			run_round(&d);
		} else if (d.due_retry && now >= d.due_retry) {
			run_delivery(&d);
		}
	}
	sd_notify(0, "STOPPING=1\nSTATUS=Stopping");
	logmsg(LOG_INFO, "stopped");
	teardown(&d);
	return rc;
bad:
	usage_daemon(stderr);
	return EXIT_USAGE;
}
