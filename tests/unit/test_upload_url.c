/* upload_url_check: which collector URLs the agent will talk to. Reports
 * say who is noncompliant, so plain http:// may only stay on this PC; the
 * URL is parsed by libcurl itself, so what is checked is what is used. */
#include "testutil.h"
#include "agent/upload.h"

struct url_case {
	const char *url;
	const char *reason;	/* NULL = accepted */
	const char *norm;	/* normalized base when accepted (NULL: not checked) */
	const char *note;
};

static const struct url_case cases[] = {
	{ "http://127.0.0.1", NULL, "http://127.0.0.1", "IPv4 loopback" },
	{ "http://127.0.0.1:8080/", NULL, "http://127.0.0.1:8080", "trailing slash dropped" },
	{ "http://127.45.6.7:9", NULL, NULL, "all of 127.0.0.0/8 is loopback" },
	{ "http://[::1]", NULL, NULL, "IPv6 loopback" },
	{ "http://[::1]:8443/mamori/", NULL, "http://[::1]:8443/mamori", "path kept" },
	{ "http://localhost", NULL, NULL, "localhost" },
	{ "http://LOCALHOST:80", NULL, NULL, "host names are case-insensitive" },
	{ "https://example.org", NULL, "https://example.org", "https to anywhere" },
	{ "https://10.0.0.1:8443/mamori/", NULL, "https://10.0.0.1:8443/mamori", "https, private address" },
	{ "HTTPS://collector.example.jp", NULL, NULL, "scheme is case-insensitive" },
	{ "http://10.0.0.1", "url_insecure", NULL, "private address over plain HTTP" },
	{ "http://example.org", "url_insecure", NULL, "a name over plain HTTP" },
	{ "http://128.0.0.1", "url_insecure", NULL, "just outside 127/8" },
	{ "http://[::2]", "url_insecure", NULL, "not ::1" },
	{ "http://localhost.example.org", "url_insecure", NULL, "only localhost itself" },
	{ "http://127.0.0.1.example.org", "url_insecure", NULL, "a name that starts like an address" },
	{ "http://127.0.0.1:80@example.org/", "url_invalid", NULL, "user info that hides the real host" },
	{ "https://user:pw@example.org", "url_invalid", NULL, "credentials in the URL" },
	{ "https://example.org/?x=1", "url_invalid", NULL, "a query" },
	{ "https://example.org/#frag", "url_invalid", NULL, "a fragment" },
	{ "ftp://127.0.0.1", "url_invalid", NULL, "another scheme" },
	{ "file:///etc/passwd", "url_invalid", NULL, "a file URL" },
	{ "127.0.0.1:8443", "url_invalid", NULL, "no scheme" },
	{ "http://", "url_invalid", NULL, "no host" },
	{ "", "url_invalid", NULL, "empty" },
};

static void
test_url_rules(void **state)
{
	char norm[STATE_SERVER_MAX + 1];
	struct mm_err e;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct url_case *c = &cases[i];
		int rc;

		err_clear(&e);
		rc = upload_url_check(c->url, norm, sizeof(norm), &e);
		if (c->reason == NULL) {
			if (rc != 0)
				fail_msg("%s (%s): refused: %s", c->url, c->note, e.msg);
			if (c->norm != NULL && strcmp(norm, c->norm) != 0)
				fail_msg("%s: normalized to %s, expected %s", c->url, norm, c->norm);
		} else {
			if (rc != -1)
				fail_msg("%s (%s): accepted", c->url, c->note);
			if (strcmp(e.reason, c->reason) != 0)
				fail_msg("%s (%s): reason %s, expected %s", c->url, c->note, e.reason,
				    c->reason);
			/* the message names what to do */
			assert_true(strlen(e.msg) > 10);
		}
	}
}

/* The rule is enforced at every request, not only at enrollment: an
 * edited device.json cannot send reports in clear text to another host. */
static void
test_post_refuses_plain_http_elsewhere(void **state)
{
	struct upload_target t = { "http://192.0.2.1", NULL };
	struct upload_answer a;
	struct mm_err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(upload_post(&t, "/api/v1/reports", "dev_x", NULL, "{}", 2, &a, &e), -1);
	assert_string_equal(e.reason, "url_insecure");
}

/* A closed port on loopback is a network error, reported as such (the
 * caller retries it), not a crash or a hang. */
static void
test_post_network_error(void **state)
{
	struct upload_target t = { "http://127.0.0.1:1", NULL };
	struct upload_answer a;
	struct mm_err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(upload_post(&t, "/api/v1/reports", "dev_x", NULL, "{}", 2, &a, &e), -1);
	assert_string_equal(e.reason, "upload_network");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_rules),
		cmocka_unit_test(test_post_refuses_plain_http_elsewhere),
		cmocka_unit_test(test_post_network_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
