/* upload: everything the agent says to the collector (docs/protocol.md),
 * through libcurl: the enrollment request, one report, and the delivery of
 * the spool oldest first with retries. TLS is verified against the CA
 * pinned at enrollment; redirects are not followed; plain http:// is
 * allowed only to a loopback address, checked before every request. */
#ifndef MAMORI_UPLOAD_H
#define MAMORI_UPLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "agent/spool.h"
#include "agent/state.h"
#include "common/err.h"
#include "platform/device.h"

/* Checks a collector URL and writes its normalized base (scheme, host,
 * port and path, no trailing '/') to norm. https:// is accepted for any
 * host; http:// only for 127.0.0.0/8, [::1] and localhost. Refused: other
 * schemes, user names or passwords, queries, fragments, a missing host.
 * Reasons: url_invalid, url_insecure. */
int upload_url_check(const char *url, char *norm, size_t normlen, struct mm_err *e);

/* Where requests go: the base URL and the pinned CA file (NULL or "":
 * the system's trusted CAs). */
struct upload_target {
	const char *server;
	const char *ca_file;
};

/* The collector's answer. */
struct upload_answer {
	long status;		/* HTTP status */
	char error[64];		/* "error" of a refusal, "" if none */
	char message[512];	/* "message" of a refusal, control characters removed */
	json_t *json;		/* the body when it is a JSON object, else NULL */
};
void upload_answer_free(struct upload_answer *a);

/* POSTs body (JSON) to server + path. Returns 0 when the collector
 * answered (any status, in a), -1 when it could not be reached or TLS
 * failed (reason upload_network, upload_tls) or the URL is refused. */
int upload_post(const struct upload_target *t, const char *path, const char *device_id,
    const char *signature, const void *body, size_t len, struct upload_answer *a,
    struct mm_err *e);

/* POST /api/v1/enroll. On 201, device_id and the facility are filled.
 * -1 with the collector's refusal or the network error in e. */
struct upload_enrolled {
	char device_id[STATE_DEVICE_ID_MAX + 1];
	long long facility_id;
	char facility_name[256];
};
int upload_enroll(const struct upload_target *t, const char *token, const char *pub_b64,
    const struct device_facts *facts, struct upload_enrolled *out, struct mm_err *e);

/* Retries of a run: at most tries attempts per report; waits drawn
 * uniformly from [0, min(cap, base * 2^attempt)) ("full jitter"); no
 * wait that would end after budget_ms from the start of the run. */
struct upload_retry {
	unsigned tries;
	unsigned base_ms;
	unsigned cap_ms;
	unsigned budget_ms;
};
#define UPLOAD_RETRY_DEFAULT { 3, 1000, 8000, 10000 }

/* What a delivery run did. */
struct upload_result {
	size_t delivered;	/* accepted (201 stored or 200 duplicate) and removed */
	size_t dropped;		/* 409, damaged, or of an earlier enrollment: counted, removed */
	size_t remaining;	/* still spooled when the run stopped */
};

/* Sends the spool oldest first until it is empty or a report cannot be
 * delivered now: a network error or 5xx that outlived the retries, or a
 * 4xx other than 409 (which will not get better by repeating, and must
 * not be skipped: a newer report accepted first would turn it into a
 * 409). Each failure is logged to log (stderr). Returns 0 when the run
 * completed (res->remaining may be > 0), -1 on a spool/state error. */
int upload_spool(struct spool *sp, const struct state_device *dev, const char *ca_path,
    const struct upload_retry *retry, struct upload_result *res, FILE *log,
    struct mm_err *e);

#endif
