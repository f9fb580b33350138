/* fuzz_upload_url: a collector URL as `mamori enroll --server` takes it and
 * as device.json keeps it (a file an administrator may edit), checked
 * before every request the agent makes. The input, up to its first NUL,
 * is the URL.
 *
 * Invariants: what is accepted is an https:// URL, or an http:// one whose
 * host — as libcurl reads the normalized URL, the one that is stored and
 * used — is this PC (127.0.0.0/8, ::1, localhost); it carries no user,
 * password, query or fragment and no trailing '/'; checked again it is
 * accepted unchanged. A refusal says url_invalid or url_insecure. A buffer
 * too small for the normalized URL is a refusal, never a cut URL. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include "agent/upload.h"

static int
loopback_host(const char *h)
{
	struct in_addr a4;
	struct in6_addr a6;
	char v6[256];
	size_t n = strlen(h);

	if (strcasecmp(h, "localhost") == 0 || strcasecmp(h, "localhost.") == 0)
		return 1;
	if (inet_pton(AF_INET, h, &a4) == 1)
		return ((const unsigned char *)&a4)[0] == 127;
	if (n >= 2 && n - 2 < sizeof(v6) && h[0] == '[' && h[n - 1] == ']') {
		memcpy(v6, h + 1, n - 2);
		v6[n - 2] = '\0';
		return inet_pton(AF_INET6, v6, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
	}
	return 0;
}

static void
accepted(const char *norm)
{
	char again[STATE_SERVER_MAX + 1];
	char *scheme = NULL, *host = NULL, *part = NULL;
	struct mm_err e;
	CURLU *u = curl_url();
	size_t n = strlen(norm);

	if (u == NULL)
		abort();
	if (n == 0 || norm[n - 1] == '/' ||
	    curl_url_set(u, CURLUPART_URL, norm, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || host[0] == '\0')
		__builtin_trap();
	if (strcmp(scheme, "https") != 0 && !(strcmp(scheme, "http") == 0 && loopback_host(host)))
		__builtin_trap();
	if (curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_QUERY, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &part, 0) == CURLUE_OK)
		__builtin_trap();
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);

	err_clear(&e);
	if (upload_url_check(norm, again, sizeof(again), &e) != 0 || strcmp(again, norm) != 0)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char norm[STATE_SERVER_MAX + 1], small[24];
	struct mm_err e;
	char *url = malloc(size + 1);
	int rc;

	if (url == NULL)
		abort();
	memcpy(url, data, size);
	url[size] = '\0';
	err_clear(&e);
	rc = upload_url_check(url, norm, sizeof(norm), &e);
	if (rc == 0)
		accepted(norm);
	else if (rc != -1 || e.reason == NULL ||
	    (strcmp(e.reason, "url_invalid") != 0 && strcmp(e.reason, "url_insecure") != 0 &&
	    strcmp(e.reason, "out_of_memory") != 0))
		__builtin_trap();

	/* The same URL into a small buffer: the same URL, or a refusal. */
	memset(small, 'x', sizeof(small));
	err_clear(&e);
	if (upload_url_check(url, small, sizeof(small), &e) == 0) {
		if (rc != 0 || strcmp(small, norm) != 0)
			__builtin_trap();
	} else if (e.reason == NULL || (rc == 0 && strcmp(e.reason, "url_invalid") != 0)) {
		__builtin_trap();
	}
	free(url);
	return 0;
}
