/* ingest: how many signed reports a second a real mamori-collector accepts
 * and makes durable, and how long each waits for its answer.
 *
 * It starts build/mamori-collector on a loopback port with a new SQLite
 * database in a temporary folder, creates a facility and a token with the
 * collector's own administration verbs, enrolls --devices devices (each
 * with its own Ed25519 key, POST /api/v1/enroll), then sends reports
 * (POST /api/v1/reports: the report's exact bytes, X-Mamori-Device and
 * X-Mamori-Signature, as docs/protocol.md and the agent do) from
 * --connections keep-alive connections for --seconds seconds, one request
 * in flight per connection, each device's sequence growing by one. Then it
 * stops the collector (SIGTERM, or SIGKILL with --stop kill) and counts,
 * with the sqlite3 program, the reports the database holds per device:
 * every report answered 201 must be there, and nothing else.
 *
 * Raw sockets and epoll rather than libcurl's multi interface: the load
 * generator shares the two CPUs with the collector it measures, so it must
 * cost as little as possible per request. Requests are built in a buffer
 * and written with one write(2); a response is parsed for its status line
 * and Content-Length, nothing more. Every report is signed before the
 * clock starts (a signature costs about as much CPU as the collector's
 * verification), so the timed part is the collector's work plus a few
 * microseconds per request here.
 *
 * Prints key=value lines; see bench/README.md. Exit status: 0 measured
 * (whatever the figures), 1 the durability check failed or the run could
 * not be made, 2 usage. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include <openssl/evp.h>

#define DEVICE_ID_MAX	64
#define SIG_B64_LEN	88
#define OUT_HEAD_MAX	512
#define IN_CAP		16384
#define SUFFIX_MAX	160
#define DRAIN_SECONDS	60

/* ---- options ---- */

static struct {
	const char *collector;
	const char *report;
	const char *keep;
	const char *stop;
	long devices, connections, enroll_connections, seconds, change_every;
	long max_rate, sign_threads, target;
	char conf_extra[4096];
} opt = {
	"build/mamori-collector", NULL, NULL, "term",
	1000, 0, 50, 10, 20, 12000, 2, 5000, "",
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: ingest [--collector PATH] [--devices N] [--connections N] [--seconds N]\n"
	    "              [--report FILE] [--change-every N] [--max-rate N] [--sign-threads N]\n"
	    "              [--stop term|kill] [--conf KEY=VALUE]... [--keep DIR] [--target N]\n"
	    "\n"
	    "  --collector PATH   the mamori-collector to measure (default build/mamori-collector)\n"
	    "  --devices N        devices enrolled, each with its own key (default 1000)\n"
	    "  --connections N    keep-alive connections sending at once, the devices shared\n"
	    "                     among them (default: one per device)\n"
	    "  --seconds N        how long reports are sent (default 10)\n"
	    "  --report FILE      the report sent (a `mamori scan --format json`); device_id,\n"
	    "                     sequence and spool are added as the agent adds them\n"
	    "                     (default: a built-in report of 14 checks, about 5 KB)\n"
	    "  --change-every N   every Nth report of a device flips one check's verdict, so\n"
	    "                     the collector records changes too (default 20; 0: never)\n"
	    "  --max-rate N       reports signed in advance: enough for N a second over the\n"
	    "                     run (default 12000); a device that runs out stops\n"
	    "  --sign-threads N   threads signing in advance (default 2)\n"
	    "  --stop term|kill   how the collector is stopped before the count: SIGTERM\n"
	    "                     (default), or SIGKILL while reports are in flight\n"
	    "  --conf KEY=VALUE   an extra line for the collector's configuration\n"
	    "                     (commit_batch_max=64, threads=1, …); may be repeated\n"
	    "  --keep DIR         use DIR (new) for the database and log, and keep it\n"
	    "  --target N         reports a second to reach (default 5000): PASS or MISS\n");
}

static int
parse_long(const char *s, long min, long max, long *out)
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

/* ---- small helpers ---- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ingest: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory (%zu bytes)", n);
	return p;
}

static void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

/* Runs argv, its standard output into out (NUL-terminated, cut at len).
 * Returns the exit status, or -1. */
static int
run_capture(char *const argv[], char *out, size_t len)
{
	int p[2], ws;
	size_t have = 0;
	pid_t pid;

	if (pipe(p) == -1)
		return -1;
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execv(argv[0], argv);
		fprintf(stderr, "ingest: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], out + have, len - 1 - have);
		if (n > 0 && have + (size_t)n < len - 1) {
			have += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n > 0)
			have += (size_t)n;
		break;
	}
	out[have] = '\0';
	close(p[0]);
	while (waitpid(pid, &ws, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

static void
b64(const unsigned char *in, int n, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, in, n);
}

/* ---- the report ---- */

/* The report body is PREFIX + SUFFIX, as the agent makes it: the scan's
 * compact JSON without its closing brace, then
 * ,"device_id":"…","sequence":N,"spool":{"dropped":0}}  (agent/main.c). */
static char *prefix[2];
static size_t prefix_len[2];

static size_t
make_suffix(char *buf, const char *device_id, long seq)
{
	return (size_t)snprintf(buf, SUFFIX_MAX,
	    ",\"device_id\":\"%s\",\"sequence\":%ld,\"spool\":{\"dropped\":0}}", device_id, seq);
}

static int
variant_of(long seq)
{
	return opt.change_every > 0 && seq % opt.change_every == 0;
}

/* A report of the 14 checks, two findings each, about 5 KB: what a clinic
 * PC with two people sends. */
static json_t *
builtin_report(void)
{
	static const char *const ids[] = {
		"account.password_set", "account.no_autologin", "account.no_guest",
		"account.password_quality", "account.password_max_age",
		"account.password_changed", "screen.lock", "media.removable_approved",
		"device.disk_encrypted", "browser.password_saving_off",
		"browser.no_saved_passwords", "p2p.absent", "antivirus.present",
		"antivirus.signatures_fresh",
	};
	static const char *const articles[] = {
		"16-1", "16-1", "15-2,16-1", "15-3,16-1", "15-3", "15-3", "15-5,15-6", "16-9",
		"16-6,16-7,16-8,16-9,16-10", "16-4", "16-4", "16-2", "16-3", "16-3",
	};
	json_t *checks = json_array();

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		json_t *f = json_array();
		json_array_append_new(f, json_pack("{s:s, s:s, s:n, s:{s:s, s:s, s:i, s:i}, s:n}",
		    "subject", "sato", "verdict", "pass", "reason", "evidence",
		    "desktop", "gnome", "source", "/etc/dconf/db/local", "max", 60,
		    "lock_after_seconds", 300, "remediation"));
		json_array_append_new(f, json_pack("{s:s, s:s, s:n, s:{s:s, s:s, s:i, s:i}, s:n}",
		    "subject", "suzuki", "verdict", "pass", "reason", "evidence",
		    "desktop", "gnome", "source", "~/.config/dconf/user", "max", 60,
		    "lock_after_seconds", 540, "remediation"));
		json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:s, s:o}",
		    "id", ids[i], "article", articles[i], "severity",
		    i == 8 ? "advisory" : "required", "verdict", "pass", "findings", f));
	}
	return json_pack("{s:s, s:{s:s, s:s}, s:{s:s, s:{s:s, s:s, s:s}, s:s}, s:s, "
	    "s:{s:s, s:s}, s:s, s:{s:i, s:i, s:i, s:i}, s:o}",
	    "schema", "mamori.report/1",
	    "agent", "name", "mamori", "version", "0.1.0",
	    "device", "hostname", "reception-pc", "os", "id", "debian", "version", "12",
	    "name", "Debian GNU/Linux 12 (bookworm)", "machine_id", "36ba35995b98cd5df463932e5a7442f0",
	    "generated_at", "2026-11-24T09:30:00Z",
	    "policy", "id", "matsunet-2020-04", "sha256",
	    "3c744180b657afb8c13302c7e3c8608391dbc35bb10473d42ac055717f8972b9",
	    "verdict", "compliant",
	    "summary", "pass", 14, "fail", 0, "not_applicable", 0, "unknown", 0,
	    "checks", checks);
}

static void
load_report(void)
{
	json_error_t je;
	json_t *r;
	char *txt, *p;
	size_t n;

	if (opt.report != NULL) {
		r = json_load_file(opt.report, JSON_REJECT_DUPLICATES, &je);
		if (r == NULL || !json_is_object(r))
			die("%s: not a report: %s (line %d)", opt.report, je.text, je.line);
		/* A report from a spool or a collector: the agent's own fields
		 * are set again per request. */
		json_object_del(r, "device_id");
		json_object_del(r, "sequence");
		json_object_del(r, "spool");
	} else
		r = builtin_report();
	if (r == NULL)
		die("out of memory building the report");
	txt = json_dumps(r, JSON_COMPACT);
	json_decref(r);
	if (txt == NULL || (n = strlen(txt)) < 2 || txt[n - 1] != '}')
		die("cannot serialize the report");
	prefix_len[0] = prefix_len[1] = n - 1;
	prefix[0] = txt;
	prefix[1] = xmalloc(n);
	memcpy(prefix[1], txt, n);
	/* The variant: the first required check that passes fails instead
	 * (same length, so both bodies have the same size). */
	p = strstr(prefix[1], "\"severity\":\"required\",\"verdict\":\"pass\"");
	if (p == NULL)
		p = strstr(prefix[1], "\"verdict\":\"pass\"");
	if (p == NULL && opt.change_every > 0) {
		fprintf(stderr, "ingest: the report has no passing check to flip; --change-every 0\n");
		opt.change_every = 0;
	}
	if (p != NULL) {
		p = strstr(p, "\"pass\"");
		memcpy(p, "\"fail\"", 6);
	}
}

/* ---- devices ---- */

struct device {
	EVP_PKEY *key;
	char pub_b64[48];
	char id[DEVICE_ID_MAX + 1];
	long seq;		/* last sequence sent */
	long acked;		/* reports answered 201 */
	long last_acked;	/* sequence of the last 201 */
	long lost;		/* requests whose answer never came (connection lost) */
	char *sigs;		/* per sequence 1..per_device: SIG_B64_LEN + 1 bytes */
};

static struct device *dev;
static long per_device;		/* reports signed in advance per device */

struct sign_job {
	long first, step;
};

static void *
sign_thread(void *arg)
{
	struct sign_job *j = arg;
	size_t cap = prefix_len[0] + SUFFIX_MAX;
	unsigned char *body = xmalloc(cap), sig[64];
	EVP_MD_CTX *m = EVP_MD_CTX_new();

	if (m == NULL)
		die("out of memory");
	for (long d = j->first; d < opt.devices; d += j->step) {
		for (long s = 1; s <= per_device; s++) {
			int v = variant_of(s);
			size_t n = prefix_len[v], sl = sizeof(sig);

			memcpy(body, prefix[v], n);
			n += make_suffix((char *)body + n, dev[d].id, s);
			/* Reset: OpenSSL 3 keeps the first key of a reused context. */
			EVP_MD_CTX_reset(m);
			if (EVP_DigestSignInit(m, NULL, NULL, NULL, dev[d].key) != 1 ||
			    EVP_DigestSign(m, sig, &sl, body, n) != 1 || sl != 64)
				die("signing failed");
			b64(sig, 64, dev[d].sigs + (size_t)(s - 1) * (SIG_B64_LEN + 1));
		}
	}
	EVP_MD_CTX_free(m);
	free(body);
	return NULL;
}

/* ---- the HTTP engine: many keep-alive connections, one request each ---- */

struct conn;
struct engine;
typedef int (*next_fn)(struct engine *en, struct conn *c);
typedef void (*done_fn)(struct engine *en, struct conn *c, int status, const char *body,
    size_t len);
typedef void (*lost_fn)(struct engine *en, struct conn *c);

struct conn {
	int fd;
	int connecting;
	int busy;		/* a request is written or being written */
	int finished;		/* nothing more to send */
	char *out;
	size_t out_len, out_off, out_cap;
	char in[IN_CAP];
	size_t in_len;
	double t0;
	long cursor;		/* the job's own position */
	long item;		/* what is in flight (device) */
	long tries;
};

struct engine {
	int ep;
	struct conn *c;
	long n;
	next_fn next;
	done_fn done;
	lost_fn lost;
	int stopping;
	int no_drain;		/* at the deadline, stop at once (--stop kill) */
	long inflight;
	long conn_errors, reconnects;
	unsigned short port;
	/* latencies, in microseconds */
	uint32_t *lat;
	size_t nlat, lat_cap;
	long status[600];
};

static void
conn_open(struct engine *en, struct conn *c)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(en->port) };
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
	int one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd == -1)
		die("socket: %s", strerror(errno));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) == -1 && errno != EINPROGRESS)
		die("connect to 127.0.0.1:%u: %s", en->port, strerror(errno));
	c->connecting = 1;
	c->in_len = 0;
	ev.data.ptr = c;
	if (epoll_ctl(en->ep, EPOLL_CTL_ADD, c->fd, &ev) == -1)
		die("epoll_ctl: %s", strerror(errno));
}

static void
conn_close(struct engine *en, struct conn *c)
{
	epoll_ctl(en->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
}

static void
want_out(struct engine *en, struct conn *c, int on)
{
	struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0) };

	ev.data.ptr = c;
	epoll_ctl(en->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes what is left of the request; 0 done or waiting for EPOLLOUT,
 * -1 the connection failed. */
static int
conn_write(struct engine *en, struct conn *c, int armed)
{
	while (c->out_off < c->out_len) {
		ssize_t w = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
		if (w > 0) {
			c->out_off += (size_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!armed)
				want_out(en, c, 1);
			return 0;
		}
		return -1;
	}
	if (armed)
		want_out(en, c, 0);
	return 0;
}

/* Asks the job for the next request and starts sending it. */
static void
conn_start(struct engine *en, struct conn *c)
{
	if (en->stopping || c->finished || c->fd == -1 || c->connecting)
		return;
	if (en->next(en, c) != 0) {
		c->finished = 1;
		return;
	}
	c->busy = 1;
	en->inflight++;
	c->out_off = 0;
	c->in_len = 0;
	c->t0 = now_s();
	if (conn_write(en, c, 0) == -1) {
		/* handled by the EPOLLERR/HUP that follows */
	}
}

static void
conn_fail(struct engine *en, struct conn *c)
{
	en->conn_errors++;
	if (c->busy) {
		c->busy = 0;
		en->inflight--;
		en->lost(en, c);
	}
	conn_close(en, c);
	if (!en->stopping && !c->finished) {
		en->reconnects++;
		conn_open(en, c);
	}
}

static void
record_latency(struct engine *en, double s)
{
	if (en->nlat == en->lat_cap) {
		en->lat_cap = en->lat_cap ? en->lat_cap * 2 : 65536;
		en->lat = realloc(en->lat, en->lat_cap * sizeof(*en->lat));
		if (en->lat == NULL)
			die("out of memory");
	}
	en->lat[en->nlat++] = s * 1e6 > 4e9 ? 4000000000u : (uint32_t)(s * 1e6);
}

/* A whole response in c->in? 1 yes (status, body, and whether the
 * server closes), 0 not yet, -1 not HTTP. */
static int
parse_response(struct conn *c, int *status, const char **body, size_t *blen, int *closes)
{
	char *end, *p;
	size_t hlen, clen = 0;

	if (c->in_len < 12)
		return 0;
	if (memcmp(c->in, "HTTP/1.", 7) != 0)
		return -1;
	c->in[c->in_len] = '\0';
	end = strstr(c->in, "\r\n\r\n");
	if (end == NULL)
		return c->in_len >= IN_CAP - 1 ? -1 : 0;
	hlen = (size_t)(end - c->in) + 4;
	*status = atoi(c->in + 9);
	*closes = 0;
	for (p = strstr(c->in, "\r\n"); p != NULL && p < end; p = strstr(p + 2, "\r\n")) {
		const char *ls = p + 2, *le = strstr(ls, "\r\n");

		if (strncasecmp(ls, "Content-Length:", 15) == 0)
			clen = strtoul(ls + 15, NULL, 10);
		else if (strncasecmp(ls, "Connection:", 11) == 0 &&
		    memmem(ls, (size_t)(le - ls), "close", 5) != NULL)
			*closes = 1;
	}
	if (hlen + clen > IN_CAP - 1)
		return -1;
	if (c->in_len < hlen + clen)
		return 0;
	*body = c->in + hlen;
	*blen = clen;
	return 1;
}

static void
conn_read(struct engine *en, struct conn *c)
{
	for (;;) {
		ssize_t r = read(c->fd, c->in + c->in_len, IN_CAP - 1 - c->in_len);
		int st, closes, got;
		const char *body;
		size_t blen;

		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r <= 0) {
			conn_fail(en, c);
			return;
		}
		c->in_len += (size_t)r;
		got = parse_response(c, &st, &body, &blen, &closes);
		if (got == 0)
			continue;
		if (got == -1 || !c->busy) {
			conn_fail(en, c);
			return;
		}
		record_latency(en, now_s() - c->t0);
		if (st >= 0 && st < 600)
			en->status[st]++;
		c->busy = 0;
		en->inflight--;
		en->done(en, c, st, body, blen);
		c->in_len = 0;
		if (closes) {
			conn_close(en, c);
			if (!en->stopping && !c->finished)
				conn_open(en, c);
			return;
		}
		conn_start(en, c);
		return;
	}
}

/* Runs until every connection is finished, or until the deadline (0:
 * none), then waits for the answers still due. */
static void
engine_run(struct engine *en, double deadline)
{
	struct epoll_event evs[512];
	double drain_until = 0;

	for (long i = 0; i < en->n; i++)
		conn_open(en, &en->c[i]);
	for (;;) {
		long active = 0;
		double t = now_s();
		int n;

		if (!en->stopping && deadline > 0 && t >= deadline) {
			en->stopping = 1;
			drain_until = t + DRAIN_SECONDS;
		}
		for (long i = 0; i < en->n && !active; i++)
			active = en->c[i].fd != -1 && (en->c[i].busy ||
			    (!en->stopping && !en->c[i].finished));
		if (!active || (en->stopping && (en->inflight == 0 || en->no_drain)))
			break;
		if (en->stopping && t > drain_until) {
			fprintf(stderr, "ingest: %ld answers never came\n", en->inflight);
			break;
		}
		n = epoll_wait(en->ep, evs, 512, 100);
		if (n == -1 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (c->fd == -1)
				continue;
			if (c->connecting) {
				int err = 0;
				socklen_t el = sizeof(err);

				if (!(evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
					continue;
				getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
				if (err != 0 || (evs[i].events & (EPOLLERR | EPOLLHUP))) {
					en->conn_errors++;
					conn_close(en, c);
					if (en->conn_errors > 10 * en->n + 100)
						die("cannot connect to the collector: %s", strerror(err));
					if (!en->stopping)
						conn_open(en, c);
					continue;
				}
				c->connecting = 0;
				want_out(en, c, 0);
				conn_start(en, c);
				continue;
			}
			if ((evs[i].events & EPOLLOUT) && c->busy && c->out_off < c->out_len) {
				if (conn_write(en, c, 1) == -1)
					conn_fail(en, c);
				continue;
			}
			/* An answer, or the end of the connection (read says which). */
			if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
				conn_read(en, c);
		}
	}
	for (long i = 0; i < en->n; i++)
		if (en->c[i].fd != -1)
			conn_close(en, &en->c[i]);
}

static void
engine_init(struct engine *en, long n, unsigned short port, size_t out_cap)
{
	memset(en, 0, sizeof(*en));
	en->ep = epoll_create1(EPOLL_CLOEXEC);
	if (en->ep == -1)
		die("epoll_create1: %s", strerror(errno));
	en->n = n;
	en->port = port;
	en->c = xcalloc((size_t)n, sizeof(*en->c));
	for (long i = 0; i < n; i++) {
		en->c[i].fd = -1;
		en->c[i].out_cap = out_cap;
		en->c[i].out = xmalloc(out_cap);
		en->c[i].cursor = i;
		en->c[i].item = -1;
	}
}

static void
engine_free(struct engine *en)
{
	for (long i = 0; i < en->n; i++)
		free(en->c[i].out);
	free(en->c);
	free(en->lat);
	close(en->ep);
}

/* ---- enrollment ---- */

static const char *token;
static long enrolled, enroll_failed;

static int
enroll_next(struct engine *en, struct conn *c)
{
	char body[1024];
	int bl;
	long d = c->item;

	if (d == -1 || dev[d].id[0] != '\0' || c->tries >= 3) {
		if (d != -1 && dev[d].id[0] == '\0')
			enroll_failed++;
		d = c->cursor;
		if (d >= opt.devices)
			return 1;
		c->cursor += en->n;
		c->item = d;
		c->tries = 0;
	}
	c->tries++;
	bl = snprintf(body, sizeof(body),
	    "{\"token\":\"%s\",\"public_key\":\"%s\",\"device\":{\"hostname\":\"bench-pc-%04ld\","
	    "\"os\":{\"id\":\"debian\",\"version\":\"12\",\"name\":\"Debian GNU/Linux 12 (bookworm)\"},"
	    "\"machine_id\":\"%032lx\",\"agent_version\":\"0.1.0\"}}",
	    token, dev[d].pub_b64, d, (unsigned long)d * 2654435761ul);
	c->out_len = (size_t)snprintf(c->out, c->out_cap,
	    "POST /api/v1/enroll HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nContent-Type: application/json\r\n"
	    "Content-Length: %d\r\n\r\n%s", en->port, bl, body);
	return 0;
}

static void
enroll_done(struct engine *en, struct conn *c, int status, const char *body, size_t len)
{
	const char *p;
	char id[DEVICE_ID_MAX + 1];

	(void)en;
	if (status != 201) {
		fprintf(stderr, "ingest: enrollment of device %ld: %d %.*s\n", c->item, status,
		    (int)len, body);
		return;
	}
	p = memmem(body, len, "\"device_id\"", 11);
	if (p == NULL || sscanf(p + 11, " : \"%64[^\"]\"", id) != 1) {
		fprintf(stderr, "ingest: enrollment answer without device_id: %.*s\n", (int)len, body);
		return;
	}
	snprintf(dev[c->item].id, sizeof(dev[c->item].id), "%s", id);
	enrolled++;
}

static void
enroll_lost(struct engine *en, struct conn *c)
{
	(void)en;
	(void)c;
}

/* ---- reports ---- */

static long exhausted;

/* Connection c serves devices c, c + n, c + 2n…, in turn. */
static int
report_next(struct engine *en, struct conn *c)
{
	long tries = 0, d;

	for (;;) {
		d = c->cursor;
		c->cursor += en->n;
		if (c->cursor >= opt.devices)
			c->cursor = (long)(c - en->c);
		if (dev[d].seq < per_device)
			break;
		if (++tries > opt.devices / en->n + 1) {
			exhausted++;
			return 1;
		}
	}
	long s = ++dev[d].seq;
	int v = variant_of(s);
	char suffix[SUFFIX_MAX];
	size_t sl = make_suffix(suffix, dev[d].id, s), blen = prefix_len[v] + sl;
	int hl = snprintf(c->out, OUT_HEAD_MAX,
	    "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nContent-Type: application/json\r\n"
	    "X-Mamori-Device: %s\r\nX-Mamori-Signature: %s\r\nContent-Length: %zu\r\n\r\n",
	    en->port, dev[d].id, dev[d].sigs + (size_t)(s - 1) * (SIG_B64_LEN + 1), blen);

	memcpy(c->out + hl, prefix[v], prefix_len[v]);
	memcpy(c->out + hl + prefix_len[v], suffix, sl);
	c->out_len = (size_t)hl + blen;
	c->item = d;
	return 0;
}

static long first_errors_shown;

static void
report_done(struct engine *en, struct conn *c, int status, const char *body, size_t len)
{
	struct device *d = &dev[c->item];

	(void)en;
	if (status == 201) {
		d->acked++;
		d->last_acked = d->seq;
	} else if (first_errors_shown++ < 5)
		fprintf(stderr, "ingest: report %ld of %s: %d %.*s\n", d->seq, d->id, status,
		    (int)(len > 300 ? 300 : len), body);
}

static void
report_lost(struct engine *en, struct conn *c)
{
	(void)en;
	dev[c->item].lost++;
}

/* ---- the collector ---- */

static char dir[PATH_MAX], conf[PATH_MAX + 32], db[PATH_MAX + 32], logf[PATH_MAX + 32];
static pid_t coll = -1;

static void
stop_collector_on_exit(void)
{
	if (coll > 0)
		kill(coll, SIGKILL);
}

static unsigned short
start_collector(void)
{
	char *argv[8], buf[4096];
	double until;
	int fd;

	coll = fork();
	if (coll == -1)
		die("fork: %s", strerror(errno));
	if (coll == 0) {
		fd = open(logf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd == -1)
			_exit(127);
		dup2(fd, STDERR_FILENO);
		argv[0] = (char *)opt.collector;
		argv[1] = "--config";
		argv[2] = conf;
		argv[3] = "serve";
		argv[4] = NULL;
		execv(argv[0], argv);
		_exit(127);
	}
	atexit(stop_collector_on_exit);
	until = now_s() + 20;
	while (now_s() < until) {
		FILE *f = fopen(logf, "r");
		int ws;

		if (f != NULL) {
			while (fgets(buf, sizeof(buf), f) != NULL) {
				char *p = strstr(buf, "listening on 127.0.0.1:");
				if (p != NULL) {
					fclose(f);
					fprintf(stderr, "ingest: %s", buf);
					return (unsigned short)atoi(p + 23);
				}
			}
			fclose(f);
		}
		if (waitpid(coll, &ws, WNOHANG) == coll) {
			coll = -1;
			die("the collector stopped at start; its log is %s", logf);
		}
		usleep(10000);
	}
	die("the collector did not say where it listens within 20 s; see %s", logf);
	return 0;
}

/* ---- results ---- */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const uint32_t *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i] / 1000.0;
}

/* CPU seconds of process pid (user + system), from /proc/PID/stat. */
static double
proc_cpu_s(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) == NULL || (p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		ut = st = 0;
	fclose(f);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* CPU seconds the whole machine spent busy, and idle (idle + iowait). */
static void
machine_cpu_s(double *busy, double *idle)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	double hz = (double)sysconf(_SC_CLK_TCK);

	*busy = *idle = 0;
	if (f == NULL)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
	    &v[4], &v[5], &v[6], &v[7]) == 8) {
		*busy = (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / hz;
		*idle = (double)(v[3] + v[4]) / hz;
	}
	fclose(f);
}

static double
cpu_s(const struct rusage *ru)
{
	return (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
	    (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

/* Reads "DEVICE_ID COUNT MAX" lines of the sqlite3 program and holds
 * them against what the collector answered. Returns the rows counted, and
 * the devices whose rows disagree in *bad. */
static long
verify(int killed, long *bad, long *total_rows)
{
	char cmd[PATH_MAX * 2], line[256];
	long rows = 0, matched = 0;
	FILE *p;

	*bad = 0;
	snprintf(cmd, sizeof(cmd), "sqlite3 -batch -separator ' ' '%s' "
	    "'SELECT count(*) FROM reports'", db);
	if ((p = popen(cmd, "r")) == NULL || fgets(line, sizeof(line), p) == NULL)
		die("sqlite3 could not count the reports (is the sqlite3 program installed?)");
	pclose(p);
	*total_rows = atol(line);
	snprintf(cmd, sizeof(cmd), "sqlite3 -batch -separator ' ' '%s' "
	    "'SELECT d.device_id, count(r.id), coalesce(max(r.sequence), 0) FROM devices d "
	    "LEFT JOIN reports r ON r.device = d.id GROUP BY d.id'", db);
	if ((p = popen(cmd, "r")) == NULL)
		die("cannot run sqlite3");
	while (fgets(line, sizeof(line), p) != NULL) {
		char id[DEVICE_ID_MAX + 1];
		long n, mx, k;

		if (sscanf(line, "%64s %ld %ld", id, &n, &mx) != 3)
			continue;
		rows += n;
		for (k = 0; k < opt.devices && strcmp(dev[k].id, id) != 0; k++)
			;
		if (k == opt.devices) {
			(*bad)++;
			continue;
		}
		matched++;
		/* Every 201 is there. A request whose answer was lost (or, after
		 * SIGKILL, never sent) may be there too, nothing else. */
		int ok = n >= dev[k].acked && mx >= dev[k].last_acked &&
		    n <= dev[k].acked + dev[k].lost + (killed ? 1 : 0) && mx <= dev[k].seq;
		if (!ok) {
			if (*bad < 5)
				fprintf(stderr, "ingest: %s: database holds %ld reports up to %ld; "
				    "answered 201: %ld up to %ld, sent up to %ld\n", id, n, mx,
				    dev[k].acked, dev[k].last_acked, dev[k].seq);
			(*bad)++;
		}
	}
	pclose(p);
	if (matched != opt.devices)
		*bad += opt.devices - matched;
	return rows;
}

int
main(int argc, char **argv)
{
	struct engine en;
	struct rusage ru0, ru1;
	char out[4096], facility[32], tokbuf[256], upath[PATH_MAX];
	double t0, t1, elapsed, busy0, busy1, idle0, idle1, coll0, coll1;
	long requests = 0, accepted = 0, lost = 0, bad, rows, db_rows, others = 0;
	int ws, killed;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long *num = NULL, min = 1, max = 10000000;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (v == NULL) {
			usage(stderr);
			return 2;
		}
		if (strcmp(a, "--collector") == 0)
			opt.collector = v;
		else if (strcmp(a, "--report") == 0)
			opt.report = v;
		else if (strcmp(a, "--keep") == 0)
			opt.keep = v;
		else if (strcmp(a, "--stop") == 0 && (strcmp(v, "term") == 0 || strcmp(v, "kill") == 0))
			opt.stop = v;
		else if (strcmp(a, "--conf") == 0 && strchr(v, '=') != NULL && strchr(v, '\n') == NULL) {
			size_t l = strlen(opt.conf_extra);
			snprintf(opt.conf_extra + l, sizeof(opt.conf_extra) - l, "%s\n", v);
		} else if (strcmp(a, "--devices") == 0)
			num = &opt.devices, max = 100000;
		else if (strcmp(a, "--connections") == 0)
			num = &opt.connections, max = 100000;
		else if (strcmp(a, "--seconds") == 0)
			num = &opt.seconds, max = 3600;
		else if (strcmp(a, "--change-every") == 0)
			num = &opt.change_every, min = 0;
		else if (strcmp(a, "--max-rate") == 0)
			num = &opt.max_rate;
		else if (strcmp(a, "--sign-threads") == 0)
			num = &opt.sign_threads, max = 64;
		else if (strcmp(a, "--target") == 0)
			num = &opt.target, min = 0;
		else {
			usage(stderr);
			return 2;
		}
		if (num != NULL && parse_long(v, min, max, num) == -1) {
			fprintf(stderr, "ingest: %s takes a whole number from %ld to %ld\n", a, min, max);
			return 2;
		}
		i++;
	}
	if (opt.connections == 0 || opt.connections > opt.devices)
		opt.connections = opt.devices;
	signal(SIGPIPE, SIG_IGN);
	{
		struct rlimit rl;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
		    rl.rlim_cur < (rlim_t)(opt.connections + 64))
			die("%ld connections need more open files than the limit %ju (ulimit -n)",
			    opt.connections, (uintmax_t)rl.rlim_cur);
	}
	if (access(opt.collector, X_OK) != 0)
		die("%s: %s (build it with make)", opt.collector, strerror(errno));

	/* The folder, the configuration, a facility and a token. */
	if (opt.keep != NULL) {
		if (mkdir(opt.keep, 0700) == -1)
			die("%s: %s (give a new folder)", opt.keep, strerror(errno));
		if (realpath(opt.keep, dir) == NULL)
			die("%s: %s", opt.keep, strerror(errno));
	} else {
		snprintf(dir, sizeof(dir), "%s/mamori-ingest.XXXXXX",
		    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (mkdtemp(dir) == NULL)
			die("mkdtemp: %s", strerror(errno));
	}
	snprintf(conf, sizeof(conf), "%s/collector.conf", dir);
	snprintf(db, sizeof(db), "%s/collector.db", dir);
	snprintf(logf, sizeof(logf), "%s/collector.log", dir);
	if ((f = fopen(conf, "w")) == NULL)
		die("%s: %s", conf, strerror(errno));
	fprintf(f, "listen = 127.0.0.1\nport = 0\ndatabase = %s\n%s", db, opt.conf_extra);
	fclose(f);
	{
		char *fa[] = { (char *)opt.collector, "--config", conf, "facility", "add",
		    "ベンチ診療所", NULL };
		if (run_capture(fa, out, sizeof(out)) != 0 || sscanf(out, "%31[0-9]", facility) != 1)
			die("facility add failed: %s", out);
	}
	{
		char uses[32];
		char *ta[] = { (char *)opt.collector, "--config", conf, "token", "create",
		    "--facility", facility, "--uses", uses, "--expires", "1d", NULL };
		snprintf(uses, sizeof(uses), "%ld", opt.devices + 100);
		if (run_capture(ta, out, sizeof(out)) != 0 || sscanf(out, "%255s", tokbuf) != 1)
			die("token create failed: %s", out);
		token = tokbuf;
	}
	load_report();

	/* Keys. */
	dev = xcalloc((size_t)opt.devices, sizeof(*dev));
	for (long d = 0; d < opt.devices; d++) {
		EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
		unsigned char pub[32];
		size_t pl = sizeof(pub);

		if (kc == NULL || EVP_PKEY_keygen_init(kc) != 1 ||
		    EVP_PKEY_keygen(kc, &dev[d].key) != 1 ||
		    EVP_PKEY_get_raw_public_key(dev[d].key, pub, &pl) != 1 || pl != 32)
			die("cannot make an Ed25519 key");
		EVP_PKEY_CTX_free(kc);
		b64(pub, 32, dev[d].pub_b64);
	}

	unsigned short port = start_collector();

	/* Enrollment, over a few keep-alive connections. */
	t0 = now_s();
	engine_init(&en, opt.enroll_connections < opt.devices ? opt.enroll_connections :
	    opt.devices, port, 2048);
	en.next = enroll_next;
	en.done = enroll_done;
	en.lost = enroll_lost;
	engine_run(&en, 0);
	engine_free(&en);
	if (enrolled != opt.devices)
		die("%ld of %ld devices enrolled (%ld failed); see %s", enrolled, opt.devices,
		    enroll_failed, logf);
	fprintf(stderr, "ingest: %ld devices enrolled in %.2f s\n", enrolled, now_s() - t0);

	/* Every report of the run, signed in advance. */
	per_device = (opt.max_rate * opt.seconds + opt.devices - 1) / opt.devices + 1;
	t0 = now_s();
	for (long d = 0; d < opt.devices; d++)
		dev[d].sigs = xmalloc((size_t)per_device * (SIG_B64_LEN + 1));
	{
		pthread_t th[64];
		struct sign_job jobs[64];
		for (long t = 0; t < opt.sign_threads; t++) {
			jobs[t].first = t;
			jobs[t].step = opt.sign_threads;
			if (pthread_create(&th[t], NULL, sign_thread, &jobs[t]) != 0)
				die("pthread_create failed");
		}
		for (long t = 0; t < opt.sign_threads; t++)
			pthread_join(th[t], NULL);
	}
	fprintf(stderr, "ingest: %ld reports signed in advance in %.2f s (%ld per device)\n",
	    per_device * opt.devices, now_s() - t0, per_device);

	/* The run. */
	engine_init(&en, opt.connections, port, OUT_HEAD_MAX + prefix_len[0] + SUFFIX_MAX);
	en.next = report_next;
	en.done = report_done;
	en.lost = report_lost;
	getrusage(RUSAGE_SELF, &ru0);
	machine_cpu_s(&busy0, &idle0);
	coll0 = proc_cpu_s(coll);
	t0 = now_s();
	/* With --stop kill the collector is killed while every connection
	 * waits for an answer: no draining after the deadline. */
	killed = strcmp(opt.stop, "kill") == 0;
	en.no_drain = killed;
	engine_run(&en, t0 + (double)opt.seconds);
	t1 = now_s();
	getrusage(RUSAGE_SELF, &ru1);
	coll1 = proc_cpu_s(coll);
	machine_cpu_s(&busy1, &idle1);
	elapsed = t1 - t0;

	/* Stop the collector, then count what is on disk. */
	kill(coll, killed ? SIGKILL : SIGTERM);
	while (waitpid(coll, &ws, 0) == -1)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	coll = -1;
	if (!killed && !(WIFEXITED(ws) && WEXITSTATUS(ws) == 0))
		fprintf(stderr, "ingest: the collector did not stop cleanly (status 0x%x); see %s\n",
		    ws, logf);
	rows = verify(killed, &bad, &db_rows);

	for (long d = 0; d < opt.devices; d++) {
		requests += dev[d].seq;
		accepted += dev[d].acked;
		lost += dev[d].lost;
	}
	qsort(en.lat, en.nlat, sizeof(*en.lat), cmp_u32);
	printf("collector=%s\n", opt.collector);
	printf("devices=%ld\n", opt.devices);
	printf("connections=%ld\n", opt.connections);
	{
		char sfx[SUFFIX_MAX];
		printf("report_bytes=%zu\n", prefix_len[0] + make_suffix(sfx, dev[0].id, 1));
	}
	printf("seconds=%.2f\n", elapsed);
	printf("requests=%ld\n", requests);
	printf("accepted=%ld\n", accepted);
	printf("accepted_per_s=%.0f\n", accepted / elapsed);
	printf("latency_ms_p50=%.2f\n", pct(en.lat, en.nlat, 0.50));
	printf("latency_ms_p99=%.2f\n", pct(en.lat, en.nlat, 0.99));
	printf("latency_ms_max=%.2f\n", en.nlat ? en.lat[en.nlat - 1] / 1000.0 : 0.0);
	for (int s = 0; s < 600; s++) {
		if (en.status[s] == 0)
			continue;
		printf("status_%d=%ld\n", s, en.status[s]);
		if (s != 201)
			others += en.status[s];
	}
	printf("errors_non_201=%ld\n", others);
	printf("errors_connection=%ld\n", en.conn_errors);
	printf("answers_lost=%ld\n", lost);
	if (exhausted > 0)
		printf("connections_out_of_signed_reports=%ld\n", exhausted);
	/* Where the CPUs went during the run: a busy machine (another build or
	 * test) makes every figure smaller, and other_cpu_s says so. */
	{
		double gen = cpu_s(&ru1) - cpu_s(&ru0), col = coll1 - coll0;
		double other = (busy1 - busy0) - gen - col;

		printf("collector_cpu_s=%.2f\n", col);
		printf("loadgen_cpu_s=%.2f\n", gen);
		printf("other_cpu_s=%.2f\n", other < 0 ? 0.0 : other);
		printf("idle_cpu_s=%.2f\n", idle1 - idle0);
	}
	printf("collector_stopped_by=%s\n", killed ? "SIGKILL" : "SIGTERM");
	printf("db_reports=%ld\n", db_rows);
	printf("db_devices_disagreeing=%ld\n", bad);
	int durable = bad == 0 && db_rows == rows && (killed ? db_rows >= accepted : db_rows == accepted);
	printf("durable=%s\n", durable ? "PASS" : "FAIL");
	printf("durable_per_s=%.0f\n", durable ? accepted / elapsed : 0.0);
	if (opt.target > 0)
		printf("target_accepted_per_s=%ld %s\n", opt.target,
		    durable && accepted / elapsed >= (double)opt.target ? "PASS" : "MISS");
	if (opt.keep == NULL) {
		static const char *const files[] = {
			"collector.db", "collector.db-wal", "collector.db-shm", "collector.db-journal",
			"collector.conf", "collector.log",
		};
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			snprintf(upath, sizeof(upath), "%.4000s/%s", dir, files[i]);
			unlink(upath);
		}
		if (rmdir(dir) == -1)
			fprintf(stderr, "ingest: could not remove %s: %s\n", dir, strerror(errno));
	} else
		fprintf(stderr, "ingest: database, configuration and log kept in %s\n", dir);
	for (long d = 0; d < opt.devices; d++) {
		EVP_PKEY_free(dev[d].key);
		free(dev[d].sigs);
	}
	free(dev);
	free(prefix[0]);
	free(prefix[1]);
	engine_free(&en);
	return durable ? 0 : 1;
}
