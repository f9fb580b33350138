/* mamori-watchd: the idle half of `mamori daemon`. `mamori daemon` checks
 * its configuration and then execs this small program (same PID, so
 * systemd's Type=notify sees one service), which waits in one epoll loop
 * over a signalfd, timerfds, an inotify descriptor and a udev monitor, and
 * for each round runs `mamori daemon --round …` as a child. The round does
 * the work (scan, status files, report, spool, upload) with every library
 * mamori needs, then exits and gives its memory back; what waits between
 * rounds links only libc and libudev, so an idle daemon stays a couple of
 * MiB. The round tells on its stdout, one line each, what it found and
 * what to watch next (docs/daemon.md, "Inside").
 *
 * Nothing here reads a file a person controls: the round computes the
 * folders to watch; here they are only handed to inotify_add_watch. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <libudev.h>
#include "agent/daemon_log.h"

#define EVENT_DELAY_MS 2000
#define MIN_GAP_S 60
#define RETRY_FIRST_S 60
#define MAX_WATCHES 4096
#define MAX_NAMES 8
#define OUT_MAX (1u << 20)	/* a round's output; more is cut */

enum wkind { W_SETTINGS, W_POLICY, W_DEVICE };

struct watch {
	int wd;
	enum wkind kind;
	char *names[MAX_NAMES];	/* only these count; none: any */
	size_t nnames;
};

/* What the last round said. */
struct round_result {
	int ok;			/* a result line came */
	int overall, enrolled, delivery_tried;
	unsigned long long seq, remaining, evicted, status_files, ms;
};

struct watchd {
	char **round_argv;	/* mamori daemon --round … */
	char **deliver_argv;	/* mamori daemon --deliver … */
	int live, verbose;
	long interval_s, splay_s, event_delay_ms, min_gap_s;
	int ep, sigfd, timerfd, wdogfd, inofd;
	struct udev *udev;
	struct udev_monitor *mon;
	struct watch *w;
	size_t nw;
	uint64_t due_periodic, due_event, due_retry, last_end;
	unsigned retry_s;
	char why[64];
	int last_overall, last_enrolled;
	/* the child running a round or a delivery */
	pid_t child;
	int child_is_round, outfd;
	char *out;
	size_t outlen;
	uint64_t child_start;
	int stopping;
};

/* sd_notify(3)'s protocol, which is one datagram: libsystemd would add
 * more to this process's memory than the rest of it together. */
static void
notify_systemd(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	size_t len;
	int fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@') ||
	    (len = strlen(path)) >= sizeof(sa.sun_path))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract namespace */
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	close(fd);
}

/* WatchdogSec= of the unit, in microseconds, 0 for none (sd_watchdog_enabled). */
static uint64_t
watchdog_usec(void)
{
	const char *u = getenv("WATCHDOG_USEC"), *p = getenv("WATCHDOG_PID");

	if (u == NULL || (p != NULL && strtol(p, NULL, 10) != (long)getpid()))
		return 0;
	return strtoull(u, NULL, 10);
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

static int
epoll_add(struct watchd *d, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &ev);
}

/* --- scheduling ----------------------------------------------------------- */

static void
want_round(struct watchd *d, const char *why, int now_too)
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
arm_timer(struct watchd *d)
{
	uint64_t next = d->due_periodic;
	struct itimerspec its;

	if (d->due_event && d->due_event < next)
		next = d->due_event;
	if (d->due_retry && d->due_retry < next)
		next = d->due_retry;
	memset(&its, 0, sizeof(its));
	if (d->child == 0) {	/* while a child runs, only its end matters */
		its.it_value.tv_sec = (time_t)(next / 1000);
		its.it_value.tv_nsec = (long)(next % 1000) * 1000000;
		if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
			its.it_value.tv_nsec = 1;
	}
	return timerfd_settime(d->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* --- watches -------------------------------------------------------------- */

static void
watches_clear(struct watchd *d)
{
	for (size_t i = 0; i < d->nw; i++)
		for (size_t k = 0; k < d->w[i].nnames; k++)
			free(d->w[i].names[k]);
	d->nw = 0;
	if (d->inofd != -1)
		close(d->inofd);	/* also leaves the epoll set */
	d->inofd = -1;
}

/* "watch KIND PATH [NAME…]", fields separated by tabs. */
static void
watch_line(struct watchd *d, char *line)
{
	char *save = NULL, *kind = strtok_r(line, "\t", &save);
	char *path = strtok_r(NULL, "\t", &save), *name;
	struct watch *w;
	int wd;

	if (kind == NULL || path == NULL || d->inofd == -1 || d->nw == MAX_WATCHES)
		return;
	/* IN_DONT_FOLLOW: a symlink a person planted is not watched through;
	 * the worst a person can do here is ask for a round, and rounds from
	 * events are at most one per --min-gap */
	wd = inotify_add_watch(d->inofd, path, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
	    IN_CREATE | IN_DELETE | IN_DONT_FOLLOW | IN_ONLYDIR | IN_EXCL_UNLINK);
	if (wd == -1)
		return;	/* absent now; the next round names it again */
	w = &d->w[d->nw++];
	memset(w, 0, sizeof(*w));
	w->wd = wd;
	w->kind = strcmp(kind, "policy") == 0 ? W_POLICY : strcmp(kind, "device") == 0 ?
	    W_DEVICE : W_SETTINGS;
	while ((name = strtok_r(NULL, "\t", &save)) != NULL && w->nnames < MAX_NAMES)
		if ((w->names[w->nnames] = strdup(name)) != NULL)
			w->nnames++;
}

static const struct watch *
watch_of(const struct watchd *d, int wd)
{
	for (size_t i = 0; i < d->nw; i++)
		if (d->w[i].wd == wd)
			return &d->w[i];
	return NULL;
}

static int
name_counts(const struct watch *w, const char *name)
{
	if (w->nnames == 0)
		return 1;
	for (size_t i = 0; i < w->nnames; i++)
		if (strcmp(w->names[i], name) == 0)
			return 1;
	return 0;
}

static void
on_inotify(struct watchd *d)
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
			daemon_log(LOG_DEBUG, "changed: %s", ev->name);
			want_round(d, w->kind == W_POLICY ? "policy changed" :
			    w->kind == W_DEVICE ? "device" : "settings changed", 0);
		}
	}
}

static void
on_udev(struct watchd *d)
{
	struct udev_device *dev;

	while ((dev = udev_monitor_receive_device(d->mon)) != NULL) {
		const char *a = udev_device_get_action(dev);

		if (a != NULL && (strcmp(a, "add") == 0 || strcmp(a, "change") == 0 ||
		    strcmp(a, "remove") == 0)) {
			daemon_log(LOG_DEBUG, "udev: %s %s", a, udev_device_get_sysname(dev));
			want_round(d, "removable storage", 0);
		}
		udev_device_unref(dev);
	}
}

/* --- rounds, as children -------------------------------------------------- */

static int
start_child(struct watchd *d, int round)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) == -1) {
		daemon_log(LOG_ERR, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		daemon_log(LOG_ERR, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		char **argv = round ? d->round_argv : d->deliver_argv;
		/* SIGTERM stays blocked: the round sees it pending and skips
		 * delivery, but finishes what it writes */
		dup2(p[1], STDOUT_FILENO);
		execv(argv[0], argv);
		fprintf(stderr, "mamori daemon: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	d->child = pid;
	d->child_is_round = round;
	d->outfd = p[0];
	d->outlen = 0;
	d->child_start = now_ms();
	fcntl(d->outfd, F_SETFL, O_NONBLOCK);
	epoll_add(d, d->outfd);
	if (round)
		notify_systemd("STATUS=Scanning");
	return 0;
}

static unsigned long long
field(const char *line, const char *key)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	return p != NULL ? strtoull(p + strlen(pat), NULL, 10) : 0;
}

static const char *const overall_names[] = { "compliant", "noncompliant", "?", "unknown" };

static void
log_result(struct watchd *d, const struct round_result *r)
{
	const char *ov = r->overall >= 0 && r->overall <= 3 ? overall_names[r->overall] : "?";

	if (r->enrolled != d->last_enrolled) {
		if (!r->enrolled)
			daemon_log(LOG_NOTICE, "this PC is not enrolled: status files are written, no "
			    "report is sent (mamori enroll --server URL --token T)");
		else if (d->last_enrolled == 0)
			daemon_log(LOG_NOTICE, "this PC is enrolled now: reports are sent");
		d->last_enrolled = r->enrolled;
	}
	/* quiet: one line when the verdict changes, else only with --verbose */
	daemon_log(r->overall != d->last_overall ? LOG_INFO : LOG_DEBUG,
	    "scan (%s): %s in %llu ms; %llu status file(s); %s", d->why, ov, r->ms,
	    r->status_files, !r->enrolled ? "not enrolled" : r->seq == 0 ? "no report" :
	    r->delivery_tried && r->remaining == 0 ? "report delivered" :
	    r->delivery_tried ? "report spooled, not delivered" : "report spooled");
	if (r->enrolled && r->seq != 0 && !r->delivery_tried)
		daemon_log(LOG_INFO, "stop asked during the scan: report %llu is spooled and is sent "
		    "at the next start", r->seq);
	if (r->evicted > 0)
		daemon_log(LOG_WARNING, "the spool was full: %llu older report(s) were dropped and "
		    "counted", r->evicted);
	d->last_overall = r->overall;
}

static void
after_delivery(struct watchd *d, int tried, int enrolled, unsigned long long remaining,
    uint64_t now)
{
	if (!tried || !enrolled) {
		if (!enrolled)
			d->due_retry = 0;
		return;
	}
	if (remaining > 0) {
		daemon_log(LOG_WARNING, "%llu report(s) wait in the spool; next try in %u s",
		    remaining, d->retry_s);
		d->due_retry = now + (uint64_t)d->retry_s * 1000;
		if ((long)d->retry_s * 2 <= d->interval_s)
			d->retry_s *= 2;
	} else {
		d->due_retry = 0;
		d->retry_s = RETRY_FIRST_S;
	}
}

/* The child's output is complete (EOF): reap it and act on what it said. */
static void
finish_child(struct watchd *d)
{
	struct round_result r;
	uint64_t end = now_ms();
	int status = 0, rebuilt = 0;
	char *line, *save = NULL;

	epoll_ctl(d->ep, EPOLL_CTL_DEL, d->outfd, NULL);
	close(d->outfd);
	d->outfd = -1;
	while (waitpid(d->child, &status, 0) == -1 && errno == EINTR)
		;
	d->child = 0;
	memset(&r, 0, sizeof(r));
	r.overall = -1;
	if (d->out != NULL)
		d->out[d->outlen] = '\0';
	for (line = d->out ? strtok_r(d->out, "\n", &save) : NULL; line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "result ", 7) == 0) {
			r.ok = 1;
			r.overall = (int)field(line, "overall");
			r.enrolled = (int)field(line, "enrolled");
			r.delivery_tried = (int)field(line, "delivery_tried");
			r.seq = field(line, "sequence");
			r.remaining = field(line, "remaining");
			r.evicted = field(line, "evicted");
			r.status_files = field(line, "status_files");
			r.ms = end - d->child_start;
		} else if (strncmp(line, "schedule ", 9) == 0) {
			d->interval_s = (long)field(line, "interval");
			d->splay_s = (long)field(line, "splay");
		} else if (strncmp(line, "watch\t", 6) == 0) {
			if (!rebuilt) {
				watches_clear(d);
				d->inofd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
				if (d->inofd != -1)
					epoll_add(d, d->inofd);
				rebuilt = 1;
			}
			watch_line(d, line + 6);
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !r.ok)
		daemon_log(LOG_ERR, "the %s ended without a result (status %d); trying again at the "
		    "next interval", d->child_is_round ? "scan" : "delivery",
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (d->child_is_round) {
		if (r.ok)
			log_result(d, &r);
		after_delivery(d, r.delivery_tried, r.enrolled, r.remaining, end);
		d->last_end = end;
		/* events during the round stay wished for: it may not have seen them */
		d->due_periodic = end + (uint64_t)d->interval_s * 1000 +
		    random_below((uint64_t)d->splay_s * 1000);
		if (rebuilt)
			daemon_log(LOG_DEBUG, "watching %zu folders", d->nw);
		{
			char st[128];
			snprintf(st, sizeof(st), "STATUS=%s; next scan in %llu s",
			    r.overall >= 0 && r.overall <= 3 ? overall_names[r.overall] : "?",
			    (unsigned long long)((d->due_periodic - end) / 1000));
			notify_systemd(st);
		}
	} else if (r.ok) {
		after_delivery(d, 1, r.enrolled, r.remaining, end);
	}
}

static void
on_child_output(struct watchd *d)
{
	for (;;) {
		ssize_t n;

		if (d->out == NULL && (d->out = malloc(OUT_MAX + 1)) == NULL)
			return;
		n = read(d->outfd, d->out + d->outlen, OUT_MAX - d->outlen);
		if (n > 0) {
			d->outlen += (size_t)n;
			if (d->outlen < OUT_MAX)
				continue;
			/* too much: keep reading, drop the rest */
			char sink[4096];
			while (read(d->outfd, sink, sizeof(sink)) > 0)
				;
			return;
		}
		if (n == 0) {
			finish_child(d);
			/* the buffer is a MiB: not kept while idle */
			free(d->out);
			d->out = NULL;
			return;
		}
		if (errno != EINTR)
			return;	/* EAGAIN: more later */
	}
}

/* Returns 1 when asked to stop. */
static int
on_signal(struct watchd *d)
{
	struct signalfd_siginfo si;
	int stop = 0;

	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			stop = 1;
			/* blocked in the child: it finishes what it writes, skips
			 * the upload, and exits */
			if (d->child > 0)
				kill(d->child, SIGTERM);
			break;
		case SIGHUP:
			want_round(d, "SIGHUP", 1);
			break;
		}
	}
	return stop;
}

/* --- setup ---------------------------------------------------------------- */

static int
setup_loop(struct watchd *d)
{
	uint64_t wd_usec = watchdog_usec();
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
		daemon_log(LOG_ERR, "cannot set up the event loop: %s", strerror(errno));
		return -1;
	}
	/* WatchdogSec= in the unit: a ping at half the period, the one timer
	 * that wakes an idle daemon (none without a watchdog) */
	if (wd_usec > 0) {
		struct itimerspec its;
		uint64_t half = wd_usec / 2;
		memset(&its, 0, sizeof(its));
		its.it_value.tv_sec = its.it_interval.tv_sec = (time_t)(half / 1000000);
		its.it_value.tv_nsec = its.it_interval.tv_nsec = (long)(half % 1000000) * 1000;
		if ((d->wdogfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) == -1 ||
		    timerfd_settime(d->wdogfd, 0, &its, NULL) == -1 || epoll_add(d, d->wdogfd) == -1)
			daemon_log(LOG_WARNING, "watchdog timer: %s", strerror(errno));
	}
	if (d->live) {
		d->udev = udev_new();
		d->mon = d->udev ? udev_monitor_new_from_netlink(d->udev, "udev") : NULL;
		if (d->mon == NULL ||
		    udev_monitor_filter_add_match_subsystem_devtype(d->mon, "block", "disk") < 0 ||
		    udev_monitor_enable_receiving(d->mon) < 0 ||
		    epoll_add(d, udev_monitor_get_fd(d->mon)) == -1) {
			daemon_log(LOG_WARNING, "no udev monitor; removable storage is seen at the next "
			    "scan only");
			if (d->mon != NULL)
				udev_monitor_unref(d->mon);
			d->mon = NULL;
		}
	}
	return 0;
}

static long
number(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno != 0 || end == s || *end != '\0' || v < 0 ? -1 : v;
}

/* usage: mamori-watchd --live 0|1 --interval S --splay S --event-delay MS
 *        --min-gap S [--verbose] -- MAMORI daemon-options…
 * Only `mamori daemon` runs it, after checking the options. */
int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "live", required_argument, NULL, 'L' },
		{ "interval", required_argument, NULL, 'i' },
		{ "splay", required_argument, NULL, 'S' },
		{ "event-delay", required_argument, NULL, 'E' },
		{ "min-gap", required_argument, NULL, 'g' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct watchd d;
	int ch, nrest, rc = 0;

	memset(&d, 0, sizeof(d));
	d.ep = d.sigfd = d.timerfd = d.wdogfd = d.inofd = d.outfd = -1;
	d.event_delay_ms = EVENT_DELAY_MS;
	d.min_gap_s = MIN_GAP_S;
	d.interval_s = 3600;
	d.last_overall = d.last_enrolled = -1;
	d.retry_s = RETRY_FIRST_S;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'L': d.live = number(optarg) == 1; break;
		case 'i': d.interval_s = number(optarg); break;
		case 'S': d.splay_s = number(optarg); break;
		case 'E': d.event_delay_ms = number(optarg); break;
		case 'g': d.min_gap_s = number(optarg); break;
		case 'v': d.verbose = 1; daemon_log_verbose(1); break;
		default: goto bad;
		}
	}
	nrest = argc - optind;
	if (nrest < 1 || d.interval_s < 1 || d.splay_s < 0 || d.event_delay_ms < 0 ||
	    d.min_gap_s < 0)
		goto bad;
	/* MAMORI daemon OPTIONS… --round / --deliver */
	d.round_argv = calloc((size_t)nrest + 3, sizeof(char *));
	d.deliver_argv = calloc((size_t)nrest + 3, sizeof(char *));
	if (d.round_argv == NULL || d.deliver_argv == NULL)
		return 1;
	d.round_argv[0] = d.deliver_argv[0] = argv[optind];
	d.round_argv[1] = d.deliver_argv[1] = "daemon";
	for (int i = 1; i < nrest; i++)
		d.round_argv[i + 1] = d.deliver_argv[i + 1] = argv[optind + i];
	d.round_argv[nrest + 1] = "--round";
	d.deliver_argv[nrest + 1] = "--deliver";
	if ((d.w = calloc(MAX_WATCHES, sizeof(*d.w))) == NULL)
		return 1;
	daemon_log_open();
	if (setup_loop(&d) == -1)
		return 5;
	daemon_log(LOG_INFO, "started: every %ld s + up to %ld s", d.interval_s, d.splay_s);
	/* ready before the first scan: starting the service does not wait for it */
	notify_systemd("READY=1\nSTATUS=Starting the first scan");
	want_round(&d, "start", 1);
	d.due_periodic = now_ms() + (uint64_t)d.interval_s * 1000;
	for (;;) {
		struct epoll_event evs[8];
		uint64_t now;
		int n;

		if (arm_timer(&d) == -1) {
			daemon_log(LOG_ERR, "timer: %s", strerror(errno));
			rc = 5;
			break;
		}
		n = epoll_wait(d.ep, evs, 8, -1);
		if (n == -1 && errno != EINTR) {
			daemon_log(LOG_ERR, "epoll: %s", strerror(errno));
			rc = 5;
			break;
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			uint64_t x;

			if (fd == d.sigfd)
				d.stopping |= on_signal(&d);
			else if (fd == d.timerfd)
				while (read(fd, &x, sizeof(x)) == sizeof(x))
					;
			else if (fd == d.wdogfd) {
				while (read(fd, &x, sizeof(x)) == sizeof(x))
					;
				notify_systemd("WATCHDOG=1");
			} else if (fd == d.inofd)
				on_inotify(&d);
			else if (fd == d.outfd && d.child > 0)
				on_child_output(&d);
			else if (d.mon != NULL && fd == udev_monitor_get_fd(d.mon))
				on_udev(&d);
		}
		if (d.stopping && d.child == 0)
			break;
		if (d.stopping || d.child != 0)
			continue;
		now = now_ms();
		if ((d.due_event && now >= d.due_event) || now >= d.due_periodic) {
			if (!d.due_event || now < d.due_event)
				snprintf(d.why, sizeof(d.why), "interval");
			if (start_child(&d, 1) == -1)
				d.due_periodic = now + (uint64_t)d.interval_s * 1000;
			d.due_event = 0;
		} else if (d.due_retry && now >= d.due_retry) {
			d.due_retry = 0;
			start_child(&d, 0);
		}
	}
	notify_systemd("STOPPING=1\nSTATUS=Stopping");
	daemon_log(LOG_INFO, "stopped");
	watches_clear(&d);
	if (d.mon != NULL)
		udev_monitor_unref(d.mon);
	if (d.udev != NULL)
		udev_unref(d.udev);
	free(d.w);
	free(d.round_argv);
	free(d.deliver_argv);
	return rc;
bad:
	fprintf(stderr, "usage: mamori-watchd --live 0|1 --interval S --splay S "
	    "--event-delay MS --min-gap S [--verbose] -- MAMORI DAEMON-OPTIONS…\n"
	    "(run by `mamori daemon`; not meant to be run by hand)\n");
	return 2;
}
