/* The collector's configuration: what an operator writes in
 * collector.conf is taken as meant, and every mistake is refused with the
 * line it is on, before the collector listens or opens its database. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "server-stub/config.h"

static int
parse(struct coll_config *c, const char *text, struct mm_err *e)
{
	config_defaults(c);
	return config_parse_buf(c, text, strlen(text), "collector.conf", e);
}

static void
test_defaults(void **state)
{
	struct coll_config c;
	struct mm_err e;

	assert_int_equal(parse(&c, "", &e), 0);
	assert_string_equal(c.listen, "127.0.0.1");
	assert_int_equal(c.port, 8443);
	assert_string_equal(c.tls_cert, "");
	assert_string_equal(c.database, "/var/lib/mamori-collector/collector.db");
	assert_int_equal(c.max_report_bytes, 1024 * 1024);
	assert_int_equal(c.max_enroll_bytes, 16 * 1024);
	assert_int_equal(c.threads, 0);
	assert_true(c.commit_batch_max >= 1);
}

static void
test_full_file(void **state)
{
	static const char text[] =
	    "# the association's collector\n"
	    "\n"
	    "   listen = 0.0.0.0\r\n"
	    "port=443\n"
	    "tls_cert = /etc/mamori-collector/cert.pem\n"
	    "tls_key =   /etc/mamori-collector/key.pem   \n"
	    "\t# indented comment\n"
	    "database = /srv/mamori/collector.db\n"
	    "max_report_bytes = 2M\n"
	    "max_enroll_bytes = 32KiB\n"
	    "threads = 4\n"
	    "commit_batch_max = 100\n"
	    "max_connections = 2000\n"
	    "connection_timeout = 30\n"
	    "busy_timeout_ms = 1000";	/* no newline at the end */
	struct coll_config c;
	struct mm_err e;

	assert_int_equal(parse(&c, text, &e), 0);
	assert_string_equal(c.listen, "0.0.0.0");
	assert_int_equal(c.port, 443);
	assert_string_equal(c.tls_cert, "/etc/mamori-collector/cert.pem");
	assert_string_equal(c.tls_key, "/etc/mamori-collector/key.pem");
	assert_string_equal(c.database, "/srv/mamori/collector.db");
	assert_int_equal(c.max_report_bytes, 2 * 1024 * 1024);
	assert_int_equal(c.max_enroll_bytes, 32 * 1024);
	assert_int_equal(c.threads, 4);
	assert_int_equal(c.commit_batch_max, 100);
	assert_int_equal(c.max_connections, 2000);
	assert_int_equal(c.connection_timeout, 30);
	assert_int_equal(c.busy_timeout_ms, 1000);
}

static void
test_ipv6_and_port_zero(void **state)
{
	struct coll_config c;
	struct mm_err e;

	assert_int_equal(parse(&c, "listen = ::1\nport = 0\n", &e), 0);
	assert_string_equal(c.listen, "::1");
	assert_int_equal(c.port, 0);
}

/* Each mistake an operator can make, and the message that must point at it. */
static const struct {
	const char *note, *text, *message;
} bad[] = {
	{ "unknown key, with its line", "port = 1\n\nprot = 2\n", "collector.conf:3: unknown key \"prot\"" },
	{ "a key twice", "port = 1\nport = 2\n", "collector.conf:2: port is set twice" },
	{ "no '='", "port 8443\n", "collector.conf:1: expected \"key = value\"" },
	{ "empty value", "database =\n", "collector.conf:1: database has no value" },
	{ "port too high", "port = 70000\n", "collector.conf:1: port must be a whole number from 0 to 65535" },
	{ "negative port", "port = -1\n", "port must be a whole number" },
	{ "port with text", "port = 84x\n", "port must be a whole number" },
	{ "port with a sign", "port = +1\n", "port must be a whole number" },
	{ "number too large to hold", "threads = 99999999999999999999999\n", "threads must be a whole number" },
	{ "report limit too small", "max_report_bytes = 100\n", "max_report_bytes must be a whole number from 1024" },
	{ "unknown size unit", "max_report_bytes = 1G\n", "max_report_bytes must be a whole number" },
	{ "batch of zero", "commit_batch_max = 0\n", "commit_batch_max must be a whole number from 1" },
	{ "host name for listen", "listen = localhost\n", "collector.conf:1: listen must be an IPv4 or IPv6 address" },
	{ "certificate without key", "tls_cert = /c.pem\n", "tls_cert and tls_key go together" },
	{ "key without certificate", "tls_key = /k.pem\n", "tls_cert and tls_key go together" },
	{ "plain HTTP on the network", "listen = 0.0.0.0\n", "listen = 0.0.0.0 without TLS" },
	{ "plain HTTP on IPv6 any", "listen = ::\n", "listen = :: without TLS" },
	{ "control characters in an unknown key", "po\x01rt = 1\n", "unknown key \"po?rt\"" },
};

static void
test_bad_values(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct coll_config c;
		struct mm_err e;

		err_clear(&e);
		if (parse(&c, bad[i].text, &e) != -1)
			fail_msg("accepted: %s", bad[i].note);
		if (strstr(e.msg, bad[i].message) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].note, e.msg, bad[i].message);
	}
}

static void
test_nul_and_long_line(void **state)
{
	struct coll_config c;
	struct mm_err e;
	char *long_line;

	config_defaults(&c);
	assert_int_equal(config_parse_buf(&c, "port = 1\0\n", 10, "collector.conf", &e), -1);
	assert_non_null(strstr(e.msg, "NUL"));

	long_line = malloc(6000);
	assert_non_null(long_line);
	memset(long_line, 'a', 5999);
	long_line[5999] = '\0';
	assert_int_equal(parse(&c, long_line, &e), -1);
	assert_non_null(strstr(e.msg, "collector.conf:1: line longer than"));
	free(long_line);
}

static void
test_loopback(void **state)
{
	assert_true(config_listen_is_loopback("127.0.0.1"));
	assert_true(config_listen_is_loopback("127.8.9.10"));
	assert_true(config_listen_is_loopback("::1"));
	assert_false(config_listen_is_loopback("0.0.0.0"));
	assert_false(config_listen_is_loopback("10.0.0.1"));
	assert_false(config_listen_is_loopback("::"));
	assert_false(config_listen_is_loopback("128.0.0.1"));
}

static void
test_load_file(void **state)
{
	char path[] = "/tmp/mamori-coll-conf-XXXXXX";
	struct coll_config c;
	struct mm_err e;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "port = 9000\n", 12), 12);
	close(fd);
	assert_int_equal(config_load(&c, path, 1, &e), 0);
	assert_int_equal(c.port, 9000);
	unlink(path);

	/* Named on the command line but missing: an error. */
	assert_int_equal(config_load(&c, path, 1, &e), -1);
	assert_non_null(strstr(e.msg, path));
	/* The default path missing: the built-in defaults. */
	assert_int_equal(config_load(&c, path, 0, &e), 0);
	assert_int_equal(c.port, 8443);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_ipv6_and_port_zero),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_nul_and_long_line),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_load_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
