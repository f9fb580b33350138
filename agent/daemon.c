/* daemon: `mamori daemon`; see daemon.h. This file checks the
 * configuration and hands the waiting to mamori-watchd (agent/watchd.c);
 * for each round mamori-watchd runs `mamori daemon --round`, which is also
 * here: one cycle (agent/cycle.c), then what to watch until the next. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "agent/cycle.h"
#include "agent/daemon.h"
#include "agent/daemon_log.h"
#include "agent/state.h"
#include "agent/userstatus.h"
#include "common/i18n.h"
#include "platform/accounts.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef LIBEXECDIR
#define LIBEXECDIR "/usr/libexec"
#endif

#define EXIT_USAGE 2
#define EXIT_STATE 5
#define EVENT_DELAY_MS 2000	/* after a file or device event: let the writer finish */
#define MIN_GAP_S 60		/* event-driven rounds at most this often */

struct daemon {
	const char *rootdir, *policy_file, *status_dir;
	struct root root;
	struct policy policy;
	struct cycle_opts co;
	int live;
	long interval_s, splay_s;	/* -1: from the policy */
	long event_delay_ms, min_gap_s;
	int have_policy, have_root;
};

/* A stop was asked while a round ran: mamori-watchd passes SIGTERM on, and
 * it stays blocked here (inherited), so it waits as pending. */
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

/* One "watch" line for mamori-watchd: kind, folder, and the names that
 * count (none: any), tab-separated. A folder with a tab or newline in its
 * name is left out (the hourly scan still sees it). */
static void
print_watch(const char *kind, const char *path, const char *const *names, const char *name1)
{
	if (strpbrk(path, "\t\n") != NULL)
		return;
	printf("watch\t%s\t%s", kind, path);
	if (name1 != NULL)
		printf("\t%s", name1);
	for (size_t i = 0; names != NULL && names[i] != NULL; i++)
		printf("\t%s", names[i]);
	putchar('\n');
}

static void
under_root(const struct daemon *d, const char *rel, char *out, size_t outlen)
{
	if (strcmp(d->rootdir, "/") == 0)
		snprintf(out, outlen, "%s", rel);
	else
		snprintf(out, outlen, "%s%s", d->rootdir, rel);
}

/* The folders to watch until the next round: the people and their
 * folders may have changed since the last. */
static void
print_watches(struct daemon *d)
{
	char path[4400], dir[4096], base[256];
	struct people pp;

	for (size_t i = 0; i < sizeof(system_watches) / sizeof(system_watches[0]); i++) {
		under_root(d, system_watches[i].dir, path, sizeof(path));
		print_watch("settings", path, system_watches[i].names, NULL);
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
			print_watch("settings", path, home_watches[i].names, NULL);
		}
	}
	people_free(&pp);
	/* the policy file, or where the system's would appear */
	if (d->policy_file != NULL) {
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s", d->policy_file);
		snprintf(base, sizeof(base), "%s", basename(tmp));
		snprintf(tmp, sizeof(tmp), "%s", d->policy_file);
		snprintf(dir, sizeof(dir), "%s", dirname(tmp));
		print_watch("policy", dir, NULL, base);
	} else if (d->live) {
		print_watch("policy", SYSCONFDIR "/mamori", NULL, "policy.json");
	}
	/* a test tree has no udev: its sysfs and udev database are the device
	 * list, and appear as files */
	if (!d->live) {
		under_root(d, "/sys/block", path, sizeof(path));
		print_watch("device", path, NULL, NULL);
		under_root(d, "/run/udev/data", path, sizeof(path));
		print_watch("device", path, NULL, NULL);
	}
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

/* --- a round (mamori daemon --round) --------------------------------------- */

/* The policy in force, kept beside the status folder (/run/mamori): when
 * the policy file is changed into something that does not validate, the
 * rounds go on under the last one that did. */
static void
in_force_path(const struct daemon *d, char *out, size_t outlen)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", d->status_dir);
	snprintf(out, outlen, "%s/policy-in-force.json", dirname(tmp));
}

static int
load_policy(struct daemon *d)
{
	struct policy_known known = scan_known_checks();
	char keep[4200], old_sha[65] = "";
	struct policy old;
	struct mm_err e;

	in_force_path(d, keep, sizeof(keep));
	err_clear(&e);
	if (policy_load(&old, access(keep, F_OK) == 0 ? keep : NULL, &known, &e) == 0) {
		snprintf(old_sha, sizeof(old_sha), "%s", old.sha256);
		policy_free(&old);
	}
	if (policy_load(&d->policy, d->policy_file, &known, &e) == 0) {
		d->have_policy = 1;
		if (old_sha[0] != '\0' && strcmp(old_sha, d->policy.sha256) != 0)
			daemon_log(LOG_NOTICE, "policy \"%s\" (sha256 %.12s…) loaded", d->policy.id,
			    d->policy.sha256);
		if (d->policy_file != NULL && strcmp(old_sha, d->policy.sha256) != 0) {
			/* the exact bytes, so that its sha256 stays the same */
			FILE *in = fopen(d->policy_file, "rb"), *out;
			char tmpname[4300];
			snprintf(tmpname, sizeof(tmpname), "%s.tmp", keep);
			if (in != NULL && (out = fopen(tmpname, "wb")) != NULL) {
				char buf[8192];
				size_t n;
				while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
					fwrite(buf, 1, n, out);
				if (fclose(out) == 0)
					rename(tmpname, keep);
			}
			if (in != NULL)
				fclose(in);
		} else if (d->policy_file == NULL) {
			unlink(keep);
		}
		return 0;
	}
	daemon_log(LOG_ERR, "%s", e.msg);
	if (old_sha[0] == '\0' || policy_load(&d->policy, keep, &known, NULL) == -1)
		return -1;
	d->have_policy = 1;
	daemon_log(LOG_ERR, "the policy file does not validate; the previous one stays in force "
	    "(\"%s\")", d->policy.id);
	return 0;
}

static int
run_round(struct daemon *d)
{
	struct cycle_result res;
	struct mm_err e;

	if (load_policy(d) == -1)
		return EXIT_USAGE;
	err_clear(&e);
	if (cycle_run(&d->co, &d->root, &d->policy, time(NULL), &res, &e) == -1)
		daemon_log(LOG_ERR, "%s", e.msg);
	printf("result overall=%d enrolled=%d sequence=%llu delivery_tried=%d delivered=%zu "
	    "remaining=%zu evicted=%zu status_files=%zu\n", (int)res.overall, res.enrolled,
	    (unsigned long long)res.sequence, res.delivery_tried, res.up.delivered,
	    res.up.remaining, res.evicted, res.status_files);
	printf("schedule interval=%ld splay=%ld\n", interval_s(d), splay_s(d));
	print_watches(d);
	return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
}

static int
run_delivery(struct daemon *d)
{
	struct upload_result up;
	struct mm_err e;
	int enrolled;

	err_clear(&e);
	if (cycle_deliver(&d->co, &enrolled, &up, &e) == -1)
		daemon_log(LOG_ERR, "%s", e.msg);
	if (up.delivered > 0)
		daemon_log(LOG_INFO, "%zu waiting report(s) delivered", up.delivered);
	printf("result enrolled=%d delivery_tried=1 delivered=%zu remaining=%zu\n", enrolled,
	    up.delivered, up.remaining);
	return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
}

/* mamori-watchd: beside this program in a build tree, else installed. */
static int
watchd_path(char *out, size_t outlen)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			snprintf(out, outlen, "%s/mamori-watchd", self);
			if (access(out, X_OK) == 0)
				return 0;
		}
	}
	snprintf(out, outlen, "%s", LIBEXECDIR "/mamori/mamori-watchd");
	return access(out, X_OK);
}

static void
teardown(struct daemon *d)
{
	if (d->co.status_dirfd != -1)
		close(d->co.status_dirfd);
	d->co.status_dirfd = -1;
	if (d->have_root)
		root_close(&d->root);
	if (d->have_policy)
		policy_free(&d->policy);
	d->have_root = d->have_policy = 0;
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
		{ "round", no_argument, NULL, 'R' },
		{ "deliver", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char sys_policy[] = SYSCONFDIR "/mamori/policy.json";
	struct policy_known known = scan_known_checks();
	const char *pol = NULL, *state_dir = NULL, *status_dir = NULL;
	char watchd[4200], self[4096];
	char a_int[32], a_splay[32], a_delay[32], a_gap[32], a_live[4];
	struct daemon d;
	struct mm_err e;
	int ch, check = 0, mode = 0, rc;
	ssize_t n;

	memset(&d, 0, sizeof(d));
	d.rootdir = "/";
	d.interval_s = d.splay_s = -1;
	d.event_delay_ms = EVENT_DELAY_MS;
	d.min_gap_s = MIN_GAP_S;
	d.co.status_dirfd = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "r:p:d:s:i:S:E:g:cvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': d.rootdir = optarg; break;
		case 'p': pol = optarg; break;
		case 'd': state_dir = optarg; break;
		case 's': status_dir = optarg; break;
		case 'i': if (number(optarg, 1, 7 * 86400, &d.interval_s) == -1) goto bad; break;
		case 'S': if (number(optarg, 0, 86400, &d.splay_s) == -1) goto bad; break;
		case 'E': if (number(optarg, 0, 600000, &d.event_delay_ms) == -1) goto bad; break;
		case 'g': if (number(optarg, 0, 86400, &d.min_gap_s) == -1) goto bad; break;
		case 'c': check = 1; break;
		case 'v': daemon_log_verbose(1); break;
		case 'R': mode = 'R'; break;
		case 'D': mode = 'D'; break;
		case 'h': usage_daemon(stdout); return 0;
		default: goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	daemon_log_open();
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
	if (mode == 'D')
		return run_delivery(&d);
	/* configuration first, before anything is read from the machine */
	if (mode != 'R') {
		if (policy_load(&d.policy, d.policy_file, &known, &e) == -1) {
			daemon_log(LOG_ERR, "%s", e.msg);
			return EXIT_USAGE;
		}
		d.have_policy = 1;
	}
	if (root_open(&d.root, d.rootdir, getenv("MAMORI_NO_OPENAT2") ? ROOT_NO_OPENAT2 : 0,
	    &e) == -1) {
		daemon_log(LOG_ERR, "%s", e.msg);
		teardown(&d);
		return EXIT_USAGE;
	}
	d.have_root = 1;
	if (userstatus_dir_open(d.status_dir, &d.co.status_dirfd, &e) == -1) {
		daemon_log(LOG_ERR, "%s", e.msg);
		rc = EXIT_STATE;
		goto out;
	}
	if (mode == 'R') {
		rc = run_round(&d);
		goto out;
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
			printf(_("device id %s; the collector is %s\n"), dev.device_id, dev.server);
		else
			printf(_("not enrolled (%s): status files only, no reports\n"), e.msg);
		rc = en == -1 && strcmp(e.reason, "not_enrolled") != 0 ? EXIT_STATE : 0;
		/* the service would exec it next: a missing one is a broken install */
		if (watchd_path(watchd, sizeof(watchd)) == -1) {
			daemon_log(LOG_ERR, "%s is missing: reinstall the mamori package", watchd);
			rc = EXIT_STATE;
		}
		goto out;
	}
	/* The waiting is mamori-watchd's, in this same process (systemd's
	 * MAINPID stays), with none of the libraries a round needs. */
	if (watchd_path(watchd, sizeof(watchd)) == -1 ||
	    (n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0) {
		daemon_log(LOG_ERR, "%s is missing: reinstall the mamori package", watchd);
		rc = EXIT_STATE;
		goto out;
	}
	self[n] = '\0';
	snprintf(a_int, sizeof(a_int), "%ld", interval_s(&d));
	snprintf(a_splay, sizeof(a_splay), "%ld", splay_s(&d));
	snprintf(a_delay, sizeof(a_delay), "%ld", d.event_delay_ms);
	snprintf(a_gap, sizeof(a_gap), "%ld", d.min_gap_s);
	snprintf(a_live, sizeof(a_live), "%d", d.live);
	{
		/* the round gets the options that say where things are */
		char *av[32];
		int k = 0;

		av[k++] = watchd;
		av[k++] = "--live"; av[k++] = a_live;
		av[k++] = "--interval"; av[k++] = a_int;
		av[k++] = "--splay"; av[k++] = a_splay;
		av[k++] = "--event-delay"; av[k++] = a_delay;
		av[k++] = "--min-gap"; av[k++] = a_gap;
		if (daemon_log_is_verbose())
			av[k++] = "--verbose";
		av[k++] = "--";
		av[k++] = self;
		av[k++] = "--root"; av[k++] = (char *)d.rootdir;
		if (d.policy_file != NULL) {
			av[k++] = "--policy";
			av[k++] = (char *)d.policy_file;
		}
		av[k++] = "--state-dir"; av[k++] = (char *)d.co.state_dir;
		av[k++] = "--status-dir"; av[k++] = (char *)d.status_dir;
		if (d.interval_s >= 0) {
			av[k++] = "--interval";
			av[k++] = a_int;
		}
		if (d.splay_s >= 0) {
			av[k++] = "--splay";
			av[k++] = a_splay;
		}
		if (daemon_log_is_verbose())
			av[k++] = "--verbose";
		av[k] = NULL;
		daemon_log(LOG_DEBUG, "policy \"%s\", status in %s", d.policy.id, d.status_dir);
		teardown(&d);
		fflush(stderr);
		execv(watchd, av);
		daemon_log(LOG_ERR, "cannot run %s: %s", watchd, strerror(errno));
		return EXIT_STATE;
	}
out:
	teardown(&d);
	return rc;
bad:
	usage_daemon(stderr);
	return EXIT_USAGE;
}
