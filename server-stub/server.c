/* server: the HTTP(S) API on libmicrohttpd; see server.h and
 * docs/protocol.md.
 *
 * Threading. The target is thousands of signed reports a second from a
 * thousand devices that keep their connections open, on a small machine,
 * each answered only once it is durable. So:
 *  - libmicrohttpd runs its own threads: a pool of `threads` event loops
 *    (epoll), each serving many connections. Thread-per-connection would
 *    need a thread per device, and one external loop would leave the
 *    other CPUs idle.
 *  - A request's CPU work — parsing, validating, verifying the Ed25519
 *    signature (the most expensive step), hashing — happens on the pool
 *    thread that received it, so it spreads over every CPU.
 *  - Only one thread writes: writer.c takes every report waiting and
 *    commits them in one transaction (synchronous=FULL in WAL mode), so
 *    one fsync covers a whole batch. While a report waits for its commit
 *    its connection is suspended (MHD_suspend_connection): the pool
 *    thread goes on serving other connections instead of blocking, and
 *    the writer resumes the connection once the commit returned; the
 *    handler then sends the answer.
 *  - Reads (the device's key and state) go through one SQLite connection
 *    per pool thread; WAL lets them run while the writer writes. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <microhttpd.h>
#include <openssl/sha.h>
#include "common/sign.h"
#include "server-stub/admin.h"
#include "server-stub/clock.h"
#include "server-stub/dashboard.h"
#include "server-stub/enroll_check.h"
#include "server-stub/logline.h"
#include "server-stub/report_check.h"
#include "server-stub/server.h"
#include "server-stub/store.h"
#include "server-stub/writer.h"

#define TLS_FILE_MAX (1 << 20)

struct server {
	const struct coll_config *cfg;
	struct writer *writer;
	pthread_key_t reader_key;	/* this thread's read-only store handle */
};

enum route { ROUTE_HEALTH, ROUTE_ENROLL, ROUTE_REPORTS, ROUTE_DASHBOARD, ROUTE_STATIC };
enum phase { PHASE_RECEIVING, PHASE_WAITING };

/* One request, from its first byte to its answer. */
struct req {
	enum route route;
	enum phase phase;
	struct MHD_Connection *conn;
	char *body;
	size_t len, cap, limit;
	struct writer_job job;
	struct report_summary summary;
	struct store_check *checks;
	struct enroll_request enroll;
	char device_id[ADMIN_DEVICE_ID_LEN + 1];
	char signature[SIGN_SIG_B64_LEN + 1];
};

/* The client's address, for log lines. */
static const char *
peer(struct MHD_Connection *c, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

	snprintf(buf, len, "?");
	if (sa != NULL && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
		    (socklen_t)len);
	else if (sa != NULL && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
		    (socklen_t)len);
	return buf;
}

/* Queues obj (consumed) as the answer; allow is the Allow header of a
 * 405, NULL otherwise. */
static enum MHD_Result
send_json(struct MHD_Connection *c, unsigned status, json_t *obj, const char *allow)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	char *text = obj != NULL ? json_dumps(obj, JSON_COMPACT) : NULL;

	json_decref(obj);
	if (text == NULL)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	rc = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* Every refusal: one log line for the operator, {"error","message"} for
 * the client. device may be NULL; allow is the Allow header of a 405. */
static enum MHD_Result
refuse_msg(struct MHD_Connection *c, const char *what, const char *device, unsigned status,
    const char *key, const char *allow, const char *msg)
{
	char addr[INET6_ADDRSTRLEN], dev[80];

	logline_clean(dev, sizeof(dev), device);
	logline("refused %s from %s%s%s: %u %s: %s", what, peer(c, addr, sizeof(addr)),
	    dev[0] != '\0' ? ", device " : "", dev, status, key, msg);
	return send_json(c, status, json_pack("{s:s, s:s}", "error", key, "message", msg), allow);
}

static enum MHD_Result
refuse(struct MHD_Connection *c, const char *what, const char *device, unsigned status,
    const char *key, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static enum MHD_Result
refuse(struct MHD_Connection *c, const char *what, const char *device, unsigned status,
    const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return refuse_msg(c, what, device, status, key, NULL, msg);
}

/* 405, naming the methods the path takes. */
static enum MHD_Result
refuse_method(struct MHD_Connection *c, const char *method, const char *url, const char *allow)
{
	char m[16], msg[160];

	logline_clean(m, sizeof(m), method);
	snprintf(msg, sizeof(msg), "use %s on %s", allow, url);
	return refuse_msg(c, m, NULL, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", allow, msg);
}

static void
reader_free(void *s)
{
	store_close(s);
}

/* This thread's read handle, opened on first use. */
static struct store *
reader(struct server *sv, struct mm_err *e)
{
	struct store *s = pthread_getspecific(sv->reader_key);

	if (s == NULL) {
		s = store_open(sv->cfg->database, sv->cfg->busy_timeout_ms, 0, e);
		if (s != NULL && pthread_setspecific(sv->reader_key, s) != 0) {
			store_close(s);
			err_set(e, "thread_failed", "cannot keep a database handle for this thread");
			s = NULL;
		}
	}
	return s;
}

/* Runs on the writer's thread once the job's answer is final. */
static void
job_done(struct writer_job *j)
{
	struct req *r = j->arg;

	MHD_resume_connection(r->conn);
}

/* Hands the job to the writer and parks the connection until it is
 * answered. Suspended before it is queued, so that the writer can never
 * resume a connection that is not suspended yet. */
static enum MHD_Result
wait_for_writer(struct server *sv, struct req *r)
{
	r->job.done = job_done;
	r->job.arg = r;
	r->phase = PHASE_WAITING;
	MHD_suspend_connection(r->conn);
	if (writer_submit(sv->writer, &r->job) != 0) {
		MHD_resume_connection(r->conn);
		r->job.status = STORE_ERROR;
		err_set(&r->job.err, "shutting_down", "the collector is stopping");
	}
	return MHD_YES;
}

/* 503: the log says what failed (the database's own words, for the
 * operator); the client only learns to retry. */
static enum MHD_Result
storage_failed(struct MHD_Connection *c, const char *what, const char *device,
    const struct mm_err *e)
{
	char addr[INET6_ADDRSTRLEN], dev[80];

	logline_clean(dev, sizeof(dev), device);
	logline("refused %s from %s%s%s: 503 storage_unavailable: %s", what,
	    peer(c, addr, sizeof(addr)), dev[0] != '\0' ? ", device " : "", dev, e->msg);
	return send_json(c, MHD_HTTP_SERVICE_UNAVAILABLE, json_pack("{s:s, s:s}", "error",
	    "storage_unavailable", "message", "the collector cannot store this right now; "
	    "nothing was stored, retry later"), NULL);
}

static enum MHD_Result
enroll_start(struct server *sv, struct MHD_Connection *c, struct req *r)
{
	struct mm_err e;

	if (enroll_check(r->body, r->len, &r->enroll, &e) != 0)
		return refuse(c, "enrollment", NULL, MHD_HTTP_BAD_REQUEST, "bad_request", "%s", e.msg);
	if (admin_device_id_new(r->device_id, &e) != 0)
		return storage_failed(c, "enrollment", NULL, &e);
	/* A malformed token is unknown like any other: one answer for all,
	 * so tokens cannot be probed. */
	admin_token_hash(r->enroll.token, r->job.enroll.token_sha256);
	r->job.kind = WRITER_ENROLL;
	r->job.enroll.device_id = r->device_id;
	r->job.enroll.public_key = r->enroll.public_key;
	r->job.enroll.facts = r->enroll.facts;
	r->job.enroll.hostname = r->enroll.hostname;
	return wait_for_writer(sv, r);
}

static enum MHD_Result
enroll_answer(struct MHD_Connection *c, struct req *r)
{
	char addr[INET6_ADDRSTRLEN], host[80], prefix[STORE_TOKEN_PREFIX_LEN + 1] = "?";

	if (admin_token_wellformed(r->enroll.token)) {
		memcpy(prefix, r->enroll.token, STORE_TOKEN_PREFIX_LEN);
		prefix[STORE_TOKEN_PREFIX_LEN] = '\0';
	}
	switch (r->job.status) {
	case STORE_OK:
		logline_clean(host, sizeof(host), r->enroll.hostname);
		logline("enrolled %s (host \"%s\") in facility %lld \"%s\" with token %lld from %s",
		    r->device_id, host, (long long)r->job.enrolled.facility_id,
		    r->job.enrolled.facility_name, (long long)r->job.enrolled.token_id,
		    peer(c, addr, sizeof(addr)));
		return send_json(c, MHD_HTTP_CREATED, json_pack("{s:s, s:{s:I, s:s}}",
		    "device_id", r->device_id, "facility", "id",
		    (json_int_t)r->job.enrolled.facility_id, "name", r->job.enrolled.facility_name),
		    NULL);
	case STORE_TOKEN_INVALID:
		return refuse(c, "enrollment", NULL, MHD_HTTP_FORBIDDEN, "token_invalid",
		    "the token (%s…) is unknown, expired, revoked or used up; ask the administrator "
		    "for a new one", prefix);
	default:
		return storage_failed(c, "enrollment", NULL, &r->job.err);
	}
}

static enum MHD_Result
report_start(struct server *sv, struct MHD_Connection *c, struct req *r)
{
	const char *dev = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Mamori-Device");
	const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Mamori-Signature");
	struct store_device d;
	struct store *s;
	struct mm_err e;
	int rc;

	if (dev == NULL || sig == NULL || *dev == '\0' || *sig == '\0')
		return refuse(c, "report", dev, MHD_HTTP_BAD_REQUEST, "bad_request",
		    "the X-Mamori-Device and X-Mamori-Signature headers are required");
	if (report_check(r->body, r->len, &r->summary, &e) != 0)
		return refuse(c, "report", dev, MHD_HTTP_BAD_REQUEST, "bad_request", "%s", e.msg);
	if (strlen(dev) > ADMIN_DEVICE_ID_LEN)
		rc = STORE_NOT_FOUND;
	else if ((s = reader(sv, &e)) == NULL)
		return storage_failed(c, "report", dev, &e);
	else
		rc = store_device_get(s, dev, &d, &e);
	if (rc == STORE_ERROR)
		return storage_failed(c, "report", dev, &e);
	if (rc == STORE_NOT_FOUND || d.retired_at != 0)
		return refuse(c, "report", dev, MHD_HTTP_UNAUTHORIZED, "unknown_device",
		    "this device is not enrolled or was retired; enroll it again with a new token");
	if (strlen(sig) > SIGN_SIG_B64_LEN ||
	    sign_verify(d.public_key, r->body, r->len, sig, &e) != 0)
		return refuse(c, "report", dev, MHD_HTTP_UNAUTHORIZED, "bad_signature",
		    "the signature does not verify with this device's key");
	if (strcmp(r->summary.device_id, dev) != 0)
		return refuse(c, "report", dev, MHD_HTTP_BAD_REQUEST, "device_mismatch",
		    "device_id in the report differs from the X-Mamori-Device header");

	if (r->summary.n_checks > 0 &&
	    (r->checks = calloc(r->summary.n_checks, sizeof(*r->checks))) == NULL) {
		err_set(&e, "out_of_memory", "out of memory");
		return storage_failed(c, "report", dev, &e);
	}
	for (size_t i = 0; i < r->summary.n_checks; i++) {
		r->checks[i].id = r->summary.checks[i].id;
		r->checks[i].article = r->summary.checks[i].article;
		r->checks[i].severity = r->summary.checks[i].severity;
		r->checks[i].verdict = r->summary.checks[i].verdict;
	}
	snprintf(r->device_id, sizeof(r->device_id), "%s", dev);
	snprintf(r->signature, sizeof(r->signature), "%s", sig);
	r->job.kind = WRITER_REPORT;
	r->job.report = (struct store_report){
		.device_id = r->device_id,
		.sequence = r->summary.sequence,
		.generated_at = r->summary.generated_at,
		.verdict = r->summary.verdict,
		.dropped = r->summary.dropped,
		.body = r->body,
		.body_len = r->len,
		.signature = r->signature,
		.checks = r->checks,
		.n_checks = r->summary.n_checks,
	};
	SHA256((const unsigned char *)r->body, r->len, r->job.report.sha256);
	return wait_for_writer(sv, r);
}

static enum MHD_Result
report_answer(struct MHD_Connection *c, struct req *r)
{
	switch (r->job.status) {
	case STORE_OK:
		return send_json(c, MHD_HTTP_CREATED, json_pack("{s:s, s:I}", "status", "stored",
		    "sequence", (json_int_t)r->summary.sequence), NULL);
	case STORE_DUPLICATE:
		return send_json(c, MHD_HTTP_OK, json_pack("{s:s}", "status", "duplicate"), NULL);
	case STORE_REPLAYED:
		return refuse(c, "report", r->device_id, MHD_HTTP_CONFLICT, "sequence_replayed",
		    "%s", r->job.err.msg);
	case STORE_UNKNOWN_DEVICE:
		return refuse(c, "report", r->device_id, MHD_HTTP_UNAUTHORIZED, "unknown_device",
		    "this device is not enrolled or was retired; enroll it again with a new token");
	default:
		return storage_failed(c, "report", r->device_id, &r->job.err);
	}
}

/* The first call for a request: route it and check its announced size,
 * so that an oversized body is refused before it is read. */
static enum MHD_Result
first_call(struct server *sv, struct MHD_Connection *c, const char *url, const char *method,
    void **con_cls)
{
	const char *clen = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	int is_post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	struct req *r;
	enum route route;
	size_t limit;

	if (strcmp(url, "/api/v1/health") == 0) {
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
			return refuse_method(c, method, url, "GET, HEAD");
		/* Answered on the next call: an answer queued on the first
		 * call makes libmicrohttpd close the connection. */
		route = ROUTE_HEALTH;
		limit = 0;
	} else if (strcmp(url, "/api/v1/enroll") == 0) {
		route = ROUTE_ENROLL;
		limit = sv->cfg->max_enroll_bytes;
	} else if (strcmp(url, "/api/v1/reports") == 0) {
		route = ROUTE_REPORTS;
		limit = sv->cfg->max_report_bytes;
	} else if (strncmp(url, "/api/v1/", 8) == 0) {
		/* The dashboard's API (dashboard.c): any method, small bodies. */
		route = ROUTE_DASHBOARD;
		limit = DASHBOARD_MAX_BODY;
	} else if (strncmp(url, "/api/", 5) != 0) {
		/* The dashboard's pages; answered on the next call. */
		route = ROUTE_STATIC;
		limit = 0;
	} else {
		char u[80];
		logline_clean(u, sizeof(u), url);
		return refuse(c, "request", NULL, MHD_HTTP_NOT_FOUND, "not_found",
		    "no such API: %s", u);
	}
	if (!is_post && (route == ROUTE_ENROLL || route == ROUTE_REPORTS))
		return refuse_method(c, method, url, "POST");
	if (clen != NULL) {
		char *end;
		unsigned long long n;

		/* libmicrohttpd has checked the header's syntax already. */
		errno = 0;
		n = strtoull(clen, &end, 10);
		if (errno != 0 || *end != '\0' || n > limit)
			return refuse(c, route == ROUTE_ENROLL ? "enrollment" :
			    route == ROUTE_REPORTS ? "report" : "request",
			    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Mamori-Device"),
			    MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
			    "the body (%llu bytes) is over the limit of %zu bytes", n, limit);
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return MHD_NO;
	r->route = route;
	r->conn = c;
	r->limit = limit;
	/* The announced size is known to be within the limit: one
	 * allocation. Chunked bodies grow as they come. */
	if (clen != NULL && (r->cap = (size_t)strtoull(clen, NULL, 10)) > 0 &&
	    (r->body = malloc(r->cap)) == NULL) {
		free(r);
		return MHD_NO;
	}
	*con_cls = r;
	return MHD_YES;
}

static enum MHD_Result
receive(struct req *r, struct MHD_Connection *c, const char *data, size_t n)
{
	if (n > r->limit - r->len) {
		/* Only a body without Content-Length gets here. libmicrohttpd
		 * cannot send an answer in the middle of a body: close. */
		char addr[INET6_ADDRSTRLEN];
		logline("refused %s from %s: body over the limit of %zu bytes (connection closed)",
		    r->route == ROUTE_ENROLL ? "enrollment" : "report", peer(c, addr, sizeof(addr)),
		    r->limit);
		return MHD_NO;
	}
	if (r->len + n > r->cap) {
		size_t cap = r->cap > 0 ? r->cap : 16384;
		char *b;
		while (cap < r->len + n)
			cap *= 2;
		if (cap > r->limit)
			cap = r->limit;
		if ((b = realloc(r->body, cap)) == NULL)
			return MHD_NO;
		r->body = b;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	return MHD_YES;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct server *sv = cls;
	struct req *r = *con_cls;

	if (r == NULL)
		return first_call(sv, c, url, method, con_cls);
	if (*upload_data_size != 0) {
		enum MHD_Result rc = receive(r, c, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return rc;
	}
	switch (r->route) {
	case ROUTE_HEALTH:
		return send_json(c, MHD_HTTP_OK, json_pack("{s:s}", "status", "ok"), NULL);
	case ROUTE_ENROLL:
		return r->phase == PHASE_WAITING ? enroll_answer(c, r) : enroll_start(sv, c, r);
	case ROUTE_REPORTS:
		break;
	case ROUTE_DASHBOARD: {
		char addr[INET6_ADDRSTRLEN];
		struct mm_err e;
		return dashboard_api(sv->cfg, reader(sv, &e), c, url, method, r->body, r->len,
		    peer(c, addr, sizeof(addr)));
	}
	case ROUTE_STATIC:
		return dashboard_static(sv->cfg, c, url, method);
	}
	return r->phase == PHASE_WAITING ? report_answer(c, r) : report_start(sv, c, r);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;

	if (r == NULL)
		return;
	free(r->body);
	free(r->checks);
	report_summary_free(&r->summary);
	enroll_request_free(&r->enroll);
	free(r);
	*con_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	logline("http: %s", msg);
}

static char *
read_file(const char *path, const char *what, struct mm_err *e)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size > TLS_FILE_MAX ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL) {
		err_set(e, "tls_unreadable", "cannot read the %s %s: %s", what, path,
		    fd == -1 ? strerror(errno) : "not a regular file of at most 1 MiB");
		if (fd != -1)
			close(fd);
		return NULL;
	}
	while (len < (size_t)st.st_size && (n = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* As many descriptors as connections need: raise the soft limit to the
 * hard one, and serve fewer connections if even that is too low. */
static unsigned
connection_limit(unsigned wanted)
{
	struct rlimit rl;
	const unsigned spare = 64;	/* database, listen socket, pipes, log */

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return wanted;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)wanted + spare) {
		unsigned n = rl.rlim_cur > spare * 2 ? (unsigned)rl.rlim_cur - spare : spare;
		logline("max_connections lowered from %u to %u by the open-file limit (%llu); "
		    "raise LimitNOFILE", wanted, n, (unsigned long long)rl.rlim_cur);
		return n;
	}
	return wanted;
}

int
server_run(const struct coll_config *cfg, struct mm_err *e)
{
	struct server sv = { .cfg = cfg };
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr *sa;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	struct MHD_OptionItem opt[12];
	size_t k = 0;
	char *cert = NULL, *key = NULL;
	unsigned flags, threads = cfg->threads;
	sigset_t stop;
	int sig, rc = -1;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME |
	    MHD_USE_ERROR_LOG | MHD_USE_TURBO;
	if (inet_pton(AF_INET, cfg->listen, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)cfg->port);
		sa = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, cfg->listen, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)cfg->port);
		sa = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		err_set(e, "config_value", "listen = %s is not an IP address", cfg->listen);
		return -1;
	}
	if (cfg->tls_cert[0] != '\0') {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			err_set(e, "tls_unavailable", "this libmicrohttpd has no TLS support; "
			    "install Debian's libmicrohttpd12 (built with GnuTLS)");
			return -1;
		}
		if ((cert = read_file(cfg->tls_cert, "certificate (tls_cert)", e)) == NULL ||
		    (key = read_file(cfg->tls_key, "private key (tls_key)", e)) == NULL)
			goto out;
		flags |= MHD_USE_TLS;
	}
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
	}
	dashboard_init();
	if (pthread_key_create(&sv.reader_key, reader_free) != 0) {
		err_set(e, "thread_failed", "cannot create thread-local storage");
		goto out;
	}
	/* The writer opens the database first and applies migrations, so
	 * that the pool threads' read handles find the current schema. */
	sv.writer = writer_start(cfg->database, cfg->busy_timeout_ms, cfg->commit_batch_max, e);
	if (sv.writer == NULL) {
		pthread_key_delete(sv.reader_key);
		goto out;
	}

	/* Options that apply only sometimes (the pool, TLS) go in an array;
	 * the logger comes first so that even option errors reach it. */
	opt[k++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, sa };
	if (threads > 1)
		opt[k++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, threads, NULL };
	opt[k++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT,
	    connection_limit(cfg->max_connections), NULL };
	opt[k++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout,
	    NULL };
	opt[k++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL };
	if (cert != NULL) {
		opt[k++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, cert };
		opt[k++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, key };
	}
	opt[k++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	d = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, handle, &sv,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_ARRAY, opt,
	    MHD_OPTION_END);
	if (d == NULL) {
		err_set(e, "listen_failed", "cannot listen on %s port %u (in use? not an address "
		    "of this machine? a bad TLS certificate or key?)", cfg->listen, cfg->port);
		writer_free(sv.writer);
		pthread_key_delete(sv.reader_key);
		goto out;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	logline("listening on %s%s%s:%u (%s, %u thread%s, database %s)",
	    sa->sa_family == AF_INET6 ? "[" : "", cfg->listen, sa->sa_family == AF_INET6 ? "]" : "",
	    info != NULL ? info->port : cfg->port, cert != NULL ? "https" : "http", threads,
	    threads == 1 ? "" : "s", cfg->database);

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	while (sigwait(&stop, &sig) != 0)
		;
	logline("stopping on signal %d", sig);
	/* Stop accepting; answer everything waiting for the database (the
	 * writer finishes its queue and resumes each connection); only then
	 * stop the daemon, which must find no connection suspended. */
	{
		MHD_socket ls = MHD_quiesce_daemon(d);
		if (ls != MHD_INVALID_SOCKET)
			close(ls);
	}
	writer_stop(sv.writer);
	MHD_stop_daemon(d);
	writer_free(sv.writer);
	pthread_key_delete(sv.reader_key);
	logline("stopped");
	rc = 0;
out:
	free(cert);
	free(key);
	return rc;
}
