/* upload: the agent's side of docs/protocol.md over libcurl; see upload.h.
 * The URL is parsed once by libcurl's own parser and that parse is what
 * libcurl connects to, so the loopback rule cannot be fooled by a URL two
 * parsers read differently. libcurl is loaded at the first call
 * (agent/curl_api.h): a run that only scans never maps it. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "agent/curl_api.h"
#include "agent/upload.h"
#include "common/i18n.h"
#include "common/utf8.h"

#ifndef MAMORI_VERSION
#define MAMORI_VERSION "0.0.0"
#endif

#define ANSWER_MAX (64u << 10)
#define CONNECT_TIMEOUT_S 10L
#define TRANSFER_TIMEOUT_S 30L

static int
host_is_loopback(const char *host)
{
	char h[256];
	size_t n = strlen(host);
	struct in_addr a4;
	struct in6_addr a6;

	if (strcasecmp(host, "localhost") == 0 || strcasecmp(host, "localhost.") == 0)
		return 1;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof(h)) {
		memcpy(h, host + 1, n - 2);
		h[n - 2] = '\0';
		return inet_pton(AF_INET6, h, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
	}
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return 0;
}

/* Parses url with libcurl; on success *out is the handle (caller frees). */
static int
url_parse(const struct curl_api *cu, const char *url, CURLU **out, int *loopback,
    struct mm_err *e)
{
	char *scheme = NULL, *host = NULL, *part = NULL;
	CURLU *u = cu->url();
	int rc = -1;

	*out = NULL;
	if (u == NULL) {
		err_set(e, "out_of_memory", "out of memory");
		return -1;
	}
	if (strlen(url) > STATE_SERVER_MAX || cu->url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    cu->url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    cu->url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || host[0] == '\0') {
		err_set(e, "url_invalid", "\"%s\" is not a URL such as https://collector.example.jp",
		    url);
		goto out;
	}
	if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
		err_set(e, "url_invalid", "%s: only https:// (or http:// to this PC) is supported",
		    url);
		goto out;
	}
	if (cu->url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK ||
	    cu->url_get(u, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK ||
	    cu->url_get(u, CURLUPART_OPTIONS, &part, 0) == CURLUE_OK) {
		err_set(e, "url_invalid", "%s: a collector URL carries no user name or password",
		    url);
		goto out;
	}
	if (cu->url_get(u, CURLUPART_QUERY, &part, 0) == CURLUE_OK ||
	    cu->url_get(u, CURLUPART_FRAGMENT, &part, 0) == CURLUE_OK) {
		err_set(e, "url_invalid", "%s: a collector URL has no \"?\" or \"#\" part", url);
		goto out;
	}
	*loopback = host_is_loopback(host);
	/* Reports are signed, but plain HTTP would still show who is
	 * noncompliant to anyone on the way; it is for tests on this PC. */
	if (strcmp(scheme, "http") == 0 && !*loopback) {
		err_set(e, "url_insecure", "%s: plain http:// is allowed only to this PC "
		    "(127.0.0.1, [::1], localhost); use https://", url);
		goto out;
	}
	*out = u;
	u = NULL;
	rc = 0;
out:
	cu->free(part);
	cu->free(scheme);
	cu->free(host);
	cu->url_cleanup(u);
	return rc;
}

int
upload_url_check(const char *url, char *norm, size_t normlen, struct mm_err *e)
{
	const struct curl_api *cu = curl_api_load(e);
	char *full = NULL;
	CURLU *u;
	size_t n;
	int loopback;

	if (cu == NULL || url_parse(cu, url, &u, &loopback, e) == -1)
		return -1;
	if (cu->url_get(u, CURLUPART_URL, &full, 0) != CURLUE_OK ||
	    (n = strlen(full)) >= normlen) {
		cu->free(full);
		cu->url_cleanup(u);
		err_set(e, "url_invalid", "%s: URL too long", url);
		return -1;
	}
	while (n > 0 && full[n - 1] == '/')
		n--;
	memcpy(norm, full, n);
	norm[n] = '\0';
	cu->free(full);
	cu->url_cleanup(u);
	return 0;
}

void
upload_answer_free(struct upload_answer *a)
{
	json_decref(a->json);
	a->json = NULL;
}

struct sink {
	char *buf;
	size_t len;
};

/* Keeps at most ANSWER_MAX bytes of the answer; the rest is discarded, so
 * a misbehaving server cannot make the agent allocate without bound. */
static size_t
sink_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb, take = n;

	if (s->len + take > ANSWER_MAX)
		take = ANSWER_MAX - s->len;
	if (take > 0) {
		char *nb = realloc(s->buf, s->len + take + 1);
		if (nb == NULL)
			return 0;
		s->buf = nb;
		memcpy(s->buf + s->len, p, take);
		s->len += take;
		s->buf[s->len] = '\0';
	}
	return n;
}

/* Copies a string for a log line: C0 and C1 controls become spaces, so a
 * collector's message cannot drive the terminal it is shown on. */
static void
copy_printable(char *out, size_t outlen, const char *in)
{
	size_t o = 0;

	for (size_t i = 0; in[i] != '\0' && o + 1 < outlen; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == 0xc2 && (unsigned char)in[i + 1] >= 0x80 &&
		    (unsigned char)in[i + 1] <= 0x9f) {
			out[o++] = ' ';
			i++;
			continue;
		}
		out[o++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	/* The input is valid UTF-8 (jansson checks) and the replacements are
	 * whole characters, so only a cut at outlen can break a character. */
	while (o > 0 && !utf8_valid(out, o))
		o--;
	out[o] = '\0';
}

static void
answer_parse(struct upload_answer *a, const struct sink *s)
{
	json_t *j, *v;

	a->error[0] = a->message[0] = '\0';
	a->json = NULL;
	if (s->buf == NULL)
		return;
	j = json_loadb(s->buf, s->len, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return;
	}
	if (json_is_string(v = json_object_get(j, "error")))
		copy_printable(a->error, sizeof(a->error), json_string_value(v));
	if (json_is_string(v = json_object_get(j, "message")))
		copy_printable(a->message, sizeof(a->message), json_string_value(v));
	a->json = j;
}

int
upload_post(const struct upload_target *t, const char *path, const char *device_id,
    const char *signature, const void *body, size_t len, struct upload_answer *a,
    struct mm_err *e)
{
	char url[STATE_SERVER_MAX + 64], hdr_dev[128], hdr_sig[128];
	char errbuf[CURL_ERROR_SIZE] = "";
	const struct curl_api *cu;
	struct curl_slist *h = NULL, *nh;
	struct sink s = { NULL, 0 };
	CURL *c = NULL;
	CURLU *u = NULL;
	CURLcode cc;
	int loopback, rc = -1, ok;

	memset(a, 0, sizeof(*a));
	if ((size_t)snprintf(url, sizeof(url), "%s%s", t->server, path) >= sizeof(url)) {
		err_set(e, "url_invalid", "the collector URL is too long");
		return -1;
	}
	/* Not "network": no retry brings a library back. */
	if ((cu = curl_api_load(e)) == NULL)
		return -1;
	/* Checked again at every request: device.json could have been edited. */
	if (url_parse(cu, url, &u, &loopback, e) == -1)
		return -1;
	c = cu->easy_init();
	ok = c != NULL;
	h = cu->slist_append(NULL, "Content-Type: application/json");
	ok = ok && h != NULL;
#define ADD_HEADER(str) do { if (ok && (nh = cu->slist_append(h, (str))) != NULL) h = nh; \
	else ok = 0; } while (0)
	ADD_HEADER("Accept: application/json");
	ADD_HEADER("Expect:");	/* no 100-continue round trip for large reports */
	if (device_id != NULL) {
		snprintf(hdr_dev, sizeof(hdr_dev), "X-Mamori-Device: %s", device_id);
		ADD_HEADER(hdr_dev);
	}
	if (signature != NULL) {
		snprintf(hdr_sig, sizeof(hdr_sig), "X-Mamori-Signature: %s", signature);
		ADD_HEADER(hdr_sig);
	}
#undef ADD_HEADER
	if (!ok) {
		err_set(e, "out_of_memory", "out of memory");
		goto out;
	}
	ok = cu->easy_setopt(c, CURLOPT_CURLU, u) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_TIMEOUT, TRANSFER_TIMEOUT_S) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_USERAGENT, "mamori/" MAMORI_VERSION) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_HTTPHEADER, h) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_POST, 1L) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_POSTFIELDS, body) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_WRITEDATA, &s) == CURLE_OK &&
	    cu->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) == CURLE_OK;
	/* Pinned: only the CA given at enrollment, not the system's store
	 * (CAPATH would otherwise add /etc/ssl/certs on Debian). */
	if (ok && t->ca_file != NULL && t->ca_file[0] != '\0')
		ok = cu->easy_setopt(c, CURLOPT_CAINFO, t->ca_file) == CURLE_OK &&
		    cu->easy_setopt(c, CURLOPT_CAPATH, NULL) == CURLE_OK;
	/* A proxy from the environment must not see loopback traffic. */
	if (ok && loopback)
		ok = cu->easy_setopt(c, CURLOPT_PROXY, "") == CURLE_OK;
	if (!ok) {
		err_set(e, "upload_setup", "libcurl refused an option (is it older than 7.85?)");
		goto out;
	}
	cc = cu->easy_perform(c);
	if (cc != CURLE_OK) {
		/* Verification failures, told apart from a handshake cut short
		 * (CURLE_SSL_CONNECT_ERROR), which may heal by retrying. */
		int tls = cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE ||
		    cc == CURLE_SSL_CERTPROBLEM;
		err_set(e, tls ? "upload_tls" : "upload_network", "%s: %s%s", url,
		    errbuf[0] ? errbuf : cu->easy_strerror(cc),
		    tls ? " (the server's certificate is not signed by the pinned CA, "
		    "or the CA file is unreadable)" : "");
		goto out;
	}
	cu->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
	answer_parse(a, &s);
	rc = 0;
out:
	free(s.buf);
	cu->slist_free_all(h);
	cu->easy_cleanup(c);
	cu->url_cleanup(u);
	return rc;
}

int
upload_enroll(const struct upload_target *t, const char *token, const char *pub_b64,
    const struct device_facts *facts, struct upload_enrolled *out, struct mm_err *e)
{
	struct upload_answer a;
	json_t *req, *id, *fac;
	char *body;
	int rc;

	memset(out, 0, sizeof(*out));
	req = json_pack("{s:s, s:s, s:{s:o, s:{s:o, s:o, s:o}, s:o, s:s}}",
	    "token", token, "public_key", pub_b64,
	    "device",
	    "hostname", utf8_json_string(facts->hostname),
	    "os", "id", utf8_json_string(facts->os_id),
	    "version", utf8_json_string(facts->os_version),
	    "name", utf8_json_string(facts->os_name),
	    "machine_id", utf8_json_string(facts->machine_id),
	    "agent_version", MAMORI_VERSION);
	body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (body == NULL) {
		err_set(e, "enroll_invalid", "cannot encode the enrollment (is the token UTF-8?)");
		return -1;
	}
	rc = upload_post(t, "/api/v1/enroll", NULL, NULL, body, strlen(body), &a, e);
	free(body);
	if (rc == -1)
		return -1;
	if (a.status != 201) {
		err_set(e, a.error[0] ? "enroll_refused" : "enroll_failed",
		    "the collector answered %ld%s%s%s%s", a.status, a.error[0] ? " " : "", a.error,
		    a.message[0] ? ": " : "", a.message);
		upload_answer_free(&a);
		return -1;
	}
	id = json_object_get(a.json, "device_id");
	if (!json_is_string(id) || json_string_length(id) > STATE_DEVICE_ID_MAX ||
	    !state_device_id_valid(json_string_value(id))) {
		upload_answer_free(&a);
		err_set(e, "enroll_failed", "the collector's answer has no usable device_id "
		    "(is %s a mamori collector?)", t->server);
		return -1;
	}
	snprintf(out->device_id, sizeof(out->device_id), "%s", json_string_value(id));
	fac = json_object_get(a.json, "facility");
	if (json_is_object(fac)) {
		json_t *fid = json_object_get(fac, "id"), *fname = json_object_get(fac, "name");
		if (json_is_integer(fid))
			out->facility_id = json_integer_value(fid);
		if (json_is_string(fname))
			copy_printable(out->facility_name, sizeof(out->facility_name),
			    json_string_value(fname));
	}
	upload_answer_free(&a);
	return 0;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
sleep_ms(uint64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Uniform in [0, bound): full jitter, so that many PCs that lost the
 * collector at once do not come back in step. */
static uint64_t
jitter_ms(uint64_t bound)
{
	uint64_t r;

	if (bound == 0)
		return 0;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16) ^ now_ms();
	return r % bound;
}

/* Statuses that may heal by themselves: the collector's trouble, not the report's. */
static int
status_retryable(long status)
{
	return status >= 500 || status == 408 || status == 429;
}

int
upload_spool(struct spool *sp, const struct state_device *dev, const char *ca_path,
    const struct upload_retry *retry, struct upload_result *res, FILE *log,
    struct mm_err *e)
{
	struct upload_target t = { dev->server, ca_path };
	uint64_t start = now_ms(), *seqs;
	size_t n, i;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (spool_list(sp, &seqs, &n, NULL, e) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned long long sq = (unsigned long long)seqs[i];
		struct spool_entry en;
		struct upload_answer a;
		struct mm_err ue;
		int sent = 0, stop = 0;

		if (spool_read(sp, seqs[i], dev->public_key, &en, &ue) == -1) {
			if (strcmp(ue.reason, "spool_absent") == 0)
				continue;
			if (strcmp(ue.reason, "spool_corrupt") != 0) {
				/* out of memory, an I/O error: not the report's fault */
				err_set(e, ue.reason, "%s", ue.msg);
				rc = -1;
				break;
			}
			/* It can never be sent as it is, and keeping it would
			 * stop every newer report behind it. */
			fprintf(log, _("mamori: %s; it was dropped and counted\n"), ue.msg);
			if (spool_drop(sp, seqs[i], e) == -1) {
				rc = -1;
				break;
			}
			res->dropped++;
			continue;
		}
		if (strcmp(en.device_id, dev->device_id) != 0) {
			fprintf(log, _("mamori: report %llu was made for device %s before this PC "
			    "enrolled again as %s; it was dropped and counted\n"), sq, en.device_id,
			    dev->device_id);
			spool_entry_free(&en);
			if (spool_drop(sp, seqs[i], e) == -1) {
				rc = -1;
				break;
			}
			res->dropped++;
			continue;
		}
		for (unsigned attempt = 0; !sent && !stop; attempt++) {
			int prc = upload_post(&t, "/api/v1/reports", en.device_id, en.signature,
			    en.body, en.body_len, &a, &ue);
			uint64_t wait, bound;

			if (prc == 0 && a.status >= 200 && a.status < 300) {
				sent = 1;
			} else if (prc == 0 && a.status == 409) {
				fprintf(log, _("mamori: the collector already holds a newer report "
				    "than %llu (%s); it was dropped and counted\n"), sq,
				    a.message[0] ? a.message : a.error);
				sent = 2;
			} else if (prc == 0 && !status_retryable(a.status)) {
				fprintf(log, _("mamori: the collector refused report %llu: %ld %s%s%s; "
				    "it stays in the spool, and nothing newer is sent until this "
				    "is resolved\n"), sq, a.status, a.error[0] ? a.error : "",
				    a.message[0] ? ": " : "", a.message);
				stop = 1;
			} else if (prc == -1 && strcmp(ue.reason, "upload_tls") != 0 &&
			    strcmp(ue.reason, "upload_network") != 0) {
				fprintf(log, _("mamori: report %llu not sent: %s\n"), sq, ue.msg);
				stop = 1;
			} else {
				/* network, TLS handshake, 5xx: maybe better in a moment */
				bound = (uint64_t)retry->base_ms << (attempt < 16 ? attempt : 16);
				if (bound > retry->cap_ms)
					bound = retry->cap_ms;
				wait = jitter_ms(bound);
				if (prc == 0)
					fprintf(log, _("mamori: report %llu not delivered: the collector "
					    "answered %ld %s%s%s\n"), sq, a.status, a.error,
					    a.message[0] ? ": " : "", a.message);
				else
					fprintf(log, _("mamori: report %llu not delivered: %s\n"), sq,
					    ue.msg);
				/* A certificate the pinned CA did not sign will not
				 * change in seconds. */
				if (attempt + 1 >= retry->tries ||
				    (prc == -1 && strcmp(ue.reason, "upload_tls") == 0) ||
				    now_ms() + wait - start > retry->budget_ms)
					stop = 1;
				else
					sleep_ms(wait);
			}
			if (prc == 0)
				upload_answer_free(&a);
		}
		if (sent == 1) {
			if (spool_delivered(sp, &en, e) == -1)
				rc = -1;
			else
				res->delivered++;
		} else if (sent == 2) {
			if (spool_drop(sp, seqs[i], e) == -1)
				rc = -1;
			else
				res->dropped++;
		}
		spool_entry_free(&en);
		if (stop || rc == -1)
			break;
	}
	free(seqs);
	/* What is left is what the spool holds now, whatever stopped the run. */
	if (rc == 0) {
		uint64_t *left;
		if (spool_list(sp, &left, &res->remaining, NULL, e) == -1)
			return -1;
		free(left);
	}
	return rc;
}
