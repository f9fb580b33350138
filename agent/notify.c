/* notify: the desktop notification of a person's status; see notify.h.
 *
 * sd-bus (libsystemd) rather than GDBus or libnotify: libsystemd is
 * already the daemon's dependency (sd_notify), it is a plain C API with no
 * main loop or type system to adopt, and a notification is one method call.
 * The bus is opened for each notification and closed after it, so an idle
 * notifier holds no connection whose unread signals could pile up.
 * libsystemd is loaded when the notifier starts (agent/sdbus_api.h), so
 * that the other commands of the same binary never map it. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "agent/notify.h"
#include "agent/sdbus_api.h"
#include "agent/state.h"
#include "agent/status.h"
#include "agent/userstatus.h"
#include "common/i18n.h"

#define EXIT_USAGE 2
#define MEMORY_FILE "notify.json"
#define MAX_SHOWN 3		/* problems spelled out in one bubble */
#define DIR_RETRY_S 60		/* no status folder yet: look again this often */

long long
notify_now(void)
{
	const char *s = getenv("MAMORI_NOW");
	char *end;
	long long v;

	if (s != NULL && *s != '\0') {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0' && v > 0)
			return v;
	}
	return (long long)time(NULL);
}

void
notify_problem_hash(const json_t *st, char out[65])
{
	const json_t *items = json_object_get(st, "items"), *it;
	static const char *const keys[] = { "check", "subject", "reason", "remediation" };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	size_t i, n = 0;

	out[0] = '\0';
	if ((ctx = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return;
	}
	json_array_foreach(items, i, it) {
		if (!status_item_is_problem(it))
			continue;
		n++;
		for (size_t k = 0; k < 4; k++) {
			const char *v = json_string_value(json_object_get(it, keys[k]));
			EVP_DigestUpdate(ctx, v ? v : "", v ? strlen(v) : 0);
			EVP_DigestUpdate(ctx, k < 3 ? "\t" : "\n", 1);
		}
	}
	if (n > 0 && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1)
		for (unsigned int k = 0; k < mdlen && k < 32; k++)
			snprintf(out + 2 * k, 3, "%02x", md[k]);
	EVP_MD_CTX_free(ctx);
}

enum notify_action
notify_decide(const struct notify_memory *m, const char *hash, long long now)
{
	if (hash[0] != '\0') {
		if (strcmp(hash, m->hash) != 0)
			return NOTIFY_SHOW;
		/* a clock set back must not hold the reminder off for years */
		if (now - m->shown_at >= NOTIFY_REMIND_S || now < m->shown_at)
			return NOTIFY_REMIND;
		return NOTIFY_NONE;
	}
	return m->problems ? NOTIFY_FIXED : NOTIFY_NONE;
}

/* --- what was shown: $XDG_STATE_HOME/mamori/notify.json -------------------- */

static int
memory_dir(char *out, size_t outlen)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (x != NULL && x[0] == '/')
		return (size_t)snprintf(out, outlen, "%s/mamori", x) < outlen ? 0 : -1;
	if (home != NULL && home[0] == '/')
		return (size_t)snprintf(out, outlen, "%s/.local/state/mamori", home) < outlen ?
		    0 : -1;
	return -1;
}

static void
memory_load(struct notify_memory *m)
{
	char dir[4096], *buf = NULL;
	size_t len;
	json_t *o;
	int fd;

	memset(m, 0, sizeof(*m));
	if (memory_dir(dir, sizeof(dir)) == -1 ||
	    (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	if (state_read_at(fd, MEMORY_FILE, 4096, &buf, &len, NULL) == 0 &&
	    (o = json_loadb(buf, len, 0, NULL)) != NULL) {
		const char *h = json_string_value(json_object_get(o, "hash"));
		snprintf(m->hash, sizeof(m->hash), "%s", h != NULL ? h : "");
		m->shown_at = json_integer_value(json_object_get(o, "shown_at"));
		m->problems = json_is_true(json_object_get(o, "problems"));
		m->id = (uint32_t)json_integer_value(json_object_get(o, "id"));
		json_decref(o);
	}
	free(buf);
	close(fd);
}

/* One notifier per person: a session started both by XDG autostart and by
 * the user unit must not show everything twice. 0 when this one is it. */
static int
single_instance(void)
{
	char dir[4096], path[4200], parent[4096];
	int fd;

	if (memory_dir(dir, sizeof(dir)) == -1)
		return 0;
	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	mkdir(parent, 0700);
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/notify.lock", dir);
	/* kept open for the life of the process: the lock is its presence */
	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) == -1)
		return 0;
	return flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : -1;
}

static void
memory_save(const struct notify_memory *m)
{
	char dir[4096], parent[4096], *txt;
	struct state_buf b;
	json_t *o;
	int fd;

	if (memory_dir(dir, sizeof(dir)) == -1)
		return;
	/* $XDG_STATE_HOME may not exist yet on a fresh account */
	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	if (mkdir(parent, 0700) == -1 && errno != EEXIST)
		return;
	if ((mkdir(dir, 0700) == -1 && errno != EEXIST) ||
	    (fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	o = json_pack("{s:s, s:I, s:b, s:I}", "hash", m->hash, "shown_at",
	    (json_int_t)m->shown_at, "problems", m->problems, "id", (json_int_t)m->id);
	if (o != NULL && (txt = json_dumps(o, JSON_COMPACT)) != NULL) {
		b.p = txt;
		b.len = strlen(txt);
		if (state_write_at(fd, MEMORY_FILE, &b, 1, 0600, NULL) == -1)
			fprintf(stderr, "mamori notify: cannot save %s/%s\n", dir, MEMORY_FILE);
		free(txt);
	}
	json_decref(o);
	close(fd);
}

/* --- the notification ----------------------------------------------------- */

/* Appends s with &, < and > escaped: servers that support body markup
 * would take them as tags. */
static void
append_escaped(char *out, size_t outlen, const char *s)
{
	size_t o = strlen(out);

	for (; *s != '\0' && o + 6 < outlen; s++) {
		const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" :
		    NULL;
		if (rep != NULL) {
			memcpy(out + o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

static void
compose(const json_t *st, enum notify_action a, char *summary, size_t slen, char *body,
    size_t blen)
{
	const json_t *items = json_object_get(st, "items"), *it;
	size_t i, shown = 0, problems = status_problem_count(st);
	char head[256], quote[1024], what[1024], fix[1024];

	body[0] = '\0';
	if (a == NOTIFY_FIXED) {
		snprintf(summary, slen, "%s", _("mamori: everything is fixed"));
		append_escaped(body, blen, _("This PC follows articles 15 and 16 of the m@tsu net "
		    "operating policy again. Thank you."));
		return;
	}
	if (a == NOTIFY_REMIND)
		snprintf(summary, slen, _("Reminder — mamori: %zu thing(s) to fix on this PC"),
		    problems);
	else
		snprintf(summary, slen, _("mamori: %zu thing(s) to fix on this PC"), problems);
	/* the person's own problems first: those they can fix themselves */
	for (int pass = 0; pass < 2 && shown <= MAX_SHOWN; pass++) {
		json_array_foreach(items, i, it) {
			const char *scope = json_string_value(json_object_get(it, "scope"));
			int own = scope != NULL && strcmp(scope, "own") == 0;

			if (!status_item_is_problem(it) || own != (pass == 0))
				continue;
			if (shown == MAX_SHOWN) {
				char more[256];
				snprintf(more, sizeof(more), _("…and %zu more."), problems - shown);
				append_escaped(body, blen, more);
				append_escaped(body, blen, "\n");
				shown++;
				break;
			}
			status_item_heading(it, head, sizeof(head));
			status_item_quote(it, 1, quote, sizeof(quote));
			status_item_texts(it, what, sizeof(what), fix, sizeof(fix));
			if (shown > 0)
				append_escaped(body, blen, "\n");
			append_escaped(body, blen, head);
			append_escaped(body, blen, "\n");
			if (quote[0]) {
				append_escaped(body, blen, quote);
				append_escaped(body, blen, "\n");
			}
			append_escaped(body, blen, what);
			append_escaped(body, blen, "\n");
			if (fix[0]) {
				append_escaped(body, blen, _("How to fix:"));
				append_escaped(body, blen, " ");
				append_escaped(body, blen, fix);
				append_escaped(body, blen, "\n");
			}
			if (!own) {
				append_escaped(body, blen, _("(This concerns the whole PC: the "
				    "facility's IT staff can fix it.)"));
				append_escaped(body, blen, "\n");
			}
			shown++;
		}
	}
	append_escaped(body, blen, _("`mamori status` in a terminal shows this again."));
}

/* One Notify call on the session bus. */
static int
send_notification(const char *summary, const char *body, int fixed, uint32_t *id)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL, *reply = NULL;
	sd_bus *bus = NULL;
	uint32_t got = 0;
	struct mm_err e;
	const struct sdbus_api *sd;
	int r;

	/* Loaded at start (notify_main); this only fetches the table. */
	if ((sd = sdbus_api_load(&e)) == NULL) {
		fprintf(stderr, "mamori notify: %s\n", e.msg);
		return -1;
	}
	r = sd->bus_open_user(&bus);
	if (r >= 0)
		r = sd->bus_message_new_method_call(bus, &m, "org.freedesktop.Notifications",
		    "/org/freedesktop/Notifications", "org.freedesktop.Notifications", "Notify");
	if (r >= 0)
		r = sd->bus_message_append(m, "susss", "mamori", *id,
		    fixed ? "security-high" : "dialog-warning", summary, body);
	if (r >= 0)
		r = sd->bus_message_append(m, "as", 0);
	/* urgency 1 (normal); problems stay until dismissed (timeout 0) */
	if (r >= 0)
		r = sd->bus_message_append(m, "a{sv}", 2, "urgency", "y", (uint8_t)1,
		    "desktop-entry", "s", "mamori-notify");
	if (r >= 0)
		r = sd->bus_message_append(m, "i", (int32_t)(fixed ? -1 : 0));
	if (r >= 0)
		r = sd->bus_call(bus, m, 25 * 1000000ULL, &err, &reply);
	if (r >= 0)
		r = sd->bus_message_read(reply, "u", &got);
	if (r < 0)
		fprintf(stderr, "mamori notify: the desktop's notification service did not take "
		    "the notification: %s\n", err.message ? err.message : strerror(-r));
	else
		*id = got;
	sd->bus_error_free(&err);
	sd->bus_message_unref(reply);
	sd->bus_message_unref(m);
	sd->bus_flush_close_unref(bus);
	return r < 0 ? -1 : 0;
}

/* Reads the status and shows what is due. Returns when the next reminder
 * is due (epoch seconds), 0 for none. */
static long long
consider(const char *dir, struct notify_memory *mem, int dry)
{
	char hash[65], summary[256], body[8192];
	enum notify_action a;
	struct mm_err e;
	long long now = notify_now();
	json_t *st;
	int rc;

	err_clear(&e);
	rc = userstatus_read(dir, getuid(), &st, &e);
	if (rc == -1)
		fprintf(stderr, "mamori notify: %s\n", e.msg);
	if (rc != 0)	/* no news is no notification */
		return mem->problems && mem->hash[0] ? mem->shown_at + NOTIFY_REMIND_S : 0;
	notify_problem_hash(st, hash);
	a = notify_decide(mem, hash, now);
	if (a != NOTIFY_NONE) {
		compose(st, a, summary, sizeof(summary), body, sizeof(body));
		if (dry)
			printf("%s\n%s\n", summary, body);
		else if (send_notification(summary, body, a == NOTIFY_FIXED, &mem->id) == -1) {
			json_decref(st);
			return now + DIR_RETRY_S;	/* no server yet: try again */
		}
		snprintf(mem->hash, sizeof(mem->hash), "%s", hash);
		mem->shown_at = now;
		mem->problems = a != NOTIFY_FIXED;
		memory_save(mem);
	}
	json_decref(st);
	return mem->problems ? mem->shown_at + NOTIFY_REMIND_S : 0;
}

static void
usage_notify(FILE *out)
{
	fprintf(out, _(
	    "usage: mamori notify [--once] [--status-dir DIR] [--lang ja|en] [--print]\n"
	    "\n"
	    "Runs in your desktop session: shows a notification when mamori finds that\n"
	    "this PC breaks articles 15 or 16 for you, with the steps to fix it; again\n"
	    "when that changes, once a day while it stays, and once when all is fixed.\n"
	    "\n"
	    "  --once            look once and exit (default: keep watching)\n"
	    "  --status-dir DIR  where the daemon writes status (default: $MAMORI_STATUS_DIR\n"
	    "                    or %s)\n"
	    "  --lang LANG       ja or en (default: the session's language)\n"
	    "  --print           print the notification instead of showing it\n"),
	    USERSTATUS_DEFAULT_DIR);
}

/* Watches the folder (the daemon replaces the file by rename, which a
 * watch on the file itself would not survive). -1 while it is absent. */
static int
watch_dir(int ino, const char *dir)
{
	return inotify_add_watch(ino, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE |
	    IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
}

/* Arms the timer to ring in secs seconds (0: never). Relative, and on
 * CLOCK_BOOTTIME: the reminder is due a day of the clock notify_now()
 * reads (MAMORI_NOW in tests) after the last showing, whatever the wall
 * clock does meanwhile. */
static void
arm_in(int tfd, long long secs)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)secs;
	timerfd_settime(tfd, 0, &its, NULL);
}

int
notify_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "status-dir", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "print", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *lang = NULL;
	struct notify_memory mem;
	char mine[32];
	sigset_t ss;
	int ch, once = 0, dry = 0, ino, tfd, sfd, wd;
	long long due;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "od:l:Ph", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': once = 1; break;
		case 'd': dir = optarg; break;
		case 'l': lang = optarg; break;
		case 'P': dry = 1; break;
		case 'h': usage_notify(stdout); return 0;
		default: usage_notify(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage_notify(stderr);
		return EXIT_USAGE;
	}
	if (status_lang_use(lang) == -1)
		return EXIT_USAGE;
	/* A notifier that can never show anything says so and stops, rather
	 * than fail at every change; --print shows nothing. */
	if (!dry) {
		struct mm_err e;

		if (sdbus_api_load(&e) == NULL) {
			fprintf(stderr, "mamori notify: %s\n", e.msg);
			return 1;
		}
	}
	dir = userstatus_dir_path(dir);
	snprintf(mine, sizeof(mine), "%lu.json", (unsigned long)getuid());
	memory_load(&mem);
	if (once) {
		consider(dir, &mem, dry);
		return 0;
	}
	if (single_instance() == -1) {
		fprintf(stderr, "%s", _("mamori notify: already running in this session\n"));
		return 0;
	}
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGHUP);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	if ((ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1 ||
	    (tfd = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK | TFD_CLOEXEC)) == -1 ||
	    (sfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		fprintf(stderr, "mamori notify: %s\n", strerror(errno));
		return 1;
	}
	wd = watch_dir(ino, dir);
	due = consider(dir, &mem, dry);
	for (;;) {
		struct pollfd p[3] = { { ino, POLLIN, 0 }, { tfd, POLLIN, 0 }, { sfd, POLLIN, 0 } };
		long long in = due > 0 ? due - notify_now() : 0;
		int look = 0;

		if (due > 0 && in < 1)
			in = 1;	/* overdue (a failed showing): soon, never a busy loop */
		/* the folder is absent (the daemon has not started): the one case
		 * where the notifier wakes without an event */
		if (wd == -1 && (in == 0 || in > DIR_RETRY_S))
			in = DIR_RETRY_S;
		arm_in(tfd, in);
		if (poll(p, 3, -1) == -1 && errno != EINTR)
			break;
		if (p[2].revents & POLLIN) {
			struct signalfd_siginfo si;
			int stop = 0;
			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				stop |= si.ssi_signo != SIGHUP;
			if (stop)
				break;
			look = 1;
		}
		if (p[1].revents & POLLIN) {
			uint64_t x;
			while (read(tfd, &x, sizeof(x)) == sizeof(x))
				;
			if (wd == -1)
				wd = watch_dir(ino, dir);
			look = 1;
		}
		if (p[0].revents & POLLIN) {
			char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
			ssize_t n;
			while ((n = read(ino, buf, sizeof(buf))) > 0) {
				for (char *q = buf; q < buf + n; ) {
					const struct inotify_event *ev = (const struct inotify_event *)q;
					q += sizeof(*ev) + ev->len;
					if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))
						wd = -1;
					else if (ev->len > 0 && strcmp(ev->name, mine) == 0)
						look = 1;
				}
			}
		}
		if (look)
			due = consider(dir, &mem, dry);
		fflush(stdout);
	}
	close(ino);
	close(tfd);
	close(sfd);
	return 0;
}
