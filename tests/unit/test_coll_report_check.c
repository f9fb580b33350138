/* Report validation at the collector: a well-formed report is accepted and
 * summarised exactly; each kind of malformed body is refused with a
 * message that names what is wrong, before anything is stored. The JSON
 * underneath is read strictly (the scanner's grammar is tested here too),
 * since what the collector accepts is what the association keeps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "server-stub/jscan.h"
#include "server-stub/report_check.h"

#define HEAD "{\"schema\":\"mamori.report/1\",\"device_id\":\"dev_0123\",\"sequence\":42," \
	"\"generated_at\":\"2026-11-24T09:30:00Z\",\"verdict\":\"noncompliant\","
#define CHECK(id, v) "{\"id\":\"" id "\",\"article\":\"16-1\",\"severity\":\"required\"," \
	"\"verdict\":\"" v "\",\"findings\":[]}"
#define GOOD HEAD "\"checks\":[" CHECK("account.password_set", "pass") "]}"

static int
check(const char *body, struct report_summary *s, struct mm_err *e)
{
	return report_check(body, strlen(body), s, e);
}

static void
test_minimal(void **state)
{
	struct report_summary s;
	struct mm_err e;

	assert_int_equal(check(GOOD, &s, &e), 0);
	assert_string_equal(s.device_id, "dev_0123");
	assert_int_equal(s.sequence, 42);
	assert_string_equal(s.generated_at, "2026-11-24T09:30:00Z");
	assert_string_equal(s.verdict, "noncompliant");
	assert_int_equal(s.dropped, 0);
	assert_int_equal(s.n_checks, 1);
	assert_string_equal(s.checks[0].id, "account.password_set");
	assert_string_equal(s.checks[0].article, "16-1");
	assert_string_equal(s.checks[0].severity, "required");
	assert_string_equal(s.checks[0].verdict, "pass");
	report_summary_free(&s);
}

/* The example of docs/report.md, with the fields the protocol adds. */
static void
test_full_report(void **state)
{
	static const char body[] =
	    "{\n"
	    "  \"schema\": \"mamori.report/1\",\n"
	    "  \"agent\": { \"name\": \"mamori\", \"version\": \"0.1.0\" },\n"
	    "  \"device\": { \"hostname\": \"受付-pc\", \"os\": { \"id\": \"debian\", \"version\": \"12\" },\n"
	    "              \"machine_id\": \"0f5c2a8e9d4b4c1e8a7f3b2d1c0e9f8a\" },\n"
	    "  \"device_id\": \"dev_6c29e1d55f37bd46ddbc7bb7754e2144\",\n"
	    "  \"sequence\": 9007199254740991,\n"
	    "  \"spool\": { \"dropped\": 3 },\n"
	    "  \"generated_at\": \"2026-11-24T09:30:00Z\",\n"
	    "  \"policy\": { \"id\": \"matsunet-2020-04\", \"sha256\": \"3c74\" },\n"
	    "  \"verdict\": \"noncompliant\",\n"
	    "  \"summary\": { \"pass\": 1, \"fail\": 2, \"not_applicable\": 0, \"unknown\": 0 },\n"
	    "  \"checks\": [\n"
	    "    { \"id\": \"account.password_set\", \"article\": \"16-1\", \"severity\": \"required\",\n"
	    "      \"verdict\": \"pass\", \"findings\": [\n"
	    "        { \"subject\": \"root\", \"verdict\": \"pass\", \"reason\": \"locked\", \"evidence\": {}, \"remediation\": null },\n"
	    "        { \"subject\": \"alice\", \"verdict\": \"pass\", \"reason\": null, \"evidence\": {}, \"remediation\": null } ] },\n"
	    "    { \"id\": \"account.password_max_age\", \"article\": \"15-3\", \"severity\": \"advisory\",\n"
	    "      \"verdict\": \"fail\", \"findings\": [ { \"subject\": \"/etc/login.defs\", \"verdict\": \"fail\",\n"
	    "        \"reason\": \"max_days_too_long\", \"evidence\": { \"value\": 99999, \"max\": 60, \"ratio\": -1.5e3 },\n"
	    "        \"remediation\": \"set_logindefs\" } ] },\n"
	    "    { \"id\": \"screen.lock\", \"article\": \"15-5,15-6\", \"severity\": \"required\",\n"
	    "      \"verdict\": \"not_applicable\", \"findings\": [] },\n"
	    "    { \"id\": \"device.disk_encrypted\", \"article\": \"16-6..10\", \"severity\": \"advisory\",\n"
	    "      \"verdict\": \"unknown\", \"findings\": [] }\n"
	    "  ]\n"
	    "}\n";
	struct report_summary s;
	struct mm_err e;

	if (check(body, &s, &e) != 0)
		fail_msg("refused: %s", e.msg);
	assert_int_equal(s.sequence, 9007199254740991LL);
	assert_int_equal(s.dropped, 3);
	assert_int_equal(s.n_checks, 4);
	assert_string_equal(s.checks[1].severity, "advisory");
	assert_string_equal(s.checks[2].article, "15-5,15-6");
	assert_string_equal(s.checks[2].verdict, "not_applicable");
	assert_string_equal(s.checks[3].verdict, "unknown");
	report_summary_free(&s);
}

static void
test_escapes_decode(void **state)
{
	static const char body[] =
	    "{\"schema\":\"mamori.report\\/1\",\"device_id\":\"dev_\\u0061bc\",\"sequence\":1,"
	    "\"generated_at\":\"2026\",\"verdict\":\"comp\\u006ciant\",\"checks\":[],"
	    "\"note\":\"\\ud83d\\ude00 \\\"quoted\\\" \\\\ \\b\\f\\n\\r\\t\"}";
	struct report_summary s;
	struct mm_err e;

	if (check(body, &s, &e) != 0)
		fail_msg("refused: %s", e.msg);
	assert_string_equal(s.device_id, "dev_abc");
	assert_string_equal(s.verdict, "compliant");
	assert_int_equal(s.n_checks, 0);
	report_summary_free(&s);
}

/* Each way a body can be wrong, with a note of what it is and the words
 * the refusal must hold. */
static const struct {
	const char *note, *body, *message;
} bad[] = {
	{ "empty body", "", "the body is empty" },
	{ "not JSON", "hello", "not valid JSON (line 1, column 1: expected a value)" },
	{ "text after the object", GOOD " x", "text after the JSON value" },
	{ "two objects", GOOD GOOD, "text after the JSON value" },
	{ "cut short", HEAD "\"checks\":[", "the text ends too early" },
	{ "an array, not an object", "[" GOOD "]", "must be a JSON object" },
	{ "a string, not an object", "\"report\"", "must be a JSON object" },
	{ "no schema", "{\"device_id\":\"d\"}", "schema must be \"mamori.report/1\"" },
	{ "another schema", "{\"schema\":\"mamori.report/2\"}", "schema must be" },
	{ "no checks", HEAD "\"x\":1}", "checks must be an array" },
	{ "checks an object", HEAD "\"checks\":{}}", "checks must be an array" },
	{ "no device_id", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"sequence\":1}", "device_id is missing" },
	{ "device_id a number", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":7}", "device_id must be a string" },
	{ "device_id empty", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"\"}", "device_id must be a string of 1 to 64" },
	{ "device_id with a newline", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"a\\nb\"}", "printable ASCII" },
	{ "device_id too long", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":"
	    "\"01234567890123456789012345678901234567890123456789012345678901234\"}", "device_id must be a string of 1 to 64" },
	{ "no sequence", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\"}", "sequence is missing" },
	{ "sequence zero", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\",\"sequence\":0}", "sequence must be a whole number from 1" },
	{ "sequence negative", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\",\"sequence\":-4}", "sequence must be" },
	{ "sequence a fraction", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\",\"sequence\":1.5}", "sequence must be" },
	{ "sequence with exponent", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\",\"sequence\":1e3}", "sequence must be" },
	{ "sequence a string", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\",\"sequence\":\"1\"}", "sequence must be" },
	{ "sequence past 2^53", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\",\"sequence\":9007199254740992}", "sequence must be" },
	{ "sequence past int64", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\",\"sequence\":99999999999999999999999}", "sequence must be" },
	{ "no generated_at", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\",\"sequence\":1}", "generated_at is missing" },
	{ "unknown verdict", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\",\"sequence\":1,"
	    "\"generated_at\":\"t\",\"verdict\":\"ok\"}", "verdict must be one of compliant, noncompliant, unknown" },
	{ "verdict null", "{\"schema\":\"mamori.report/1\",\"checks\":[],\"device_id\":\"d\",\"sequence\":1,"
	    "\"generated_at\":\"t\",\"verdict\":null}", "verdict must be one of" },
	{ "spool a number", HEAD "\"spool\":3,\"checks\":[]}", "spool must be an object" },
	{ "spool.dropped negative", HEAD "\"spool\":{\"dropped\":-1},\"checks\":[]}", "spool.dropped must be a whole number from 0" },
	{ "spool.dropped a string", HEAD "\"spool\":{\"dropped\":\"3\"},\"checks\":[]}", "spool.dropped must be" },
	{ "a check not an object", HEAD "\"checks\":[1]}", "checks[0] must be an object" },
	{ "a check without id", HEAD "\"checks\":[{\"article\":\"1\"}]}", "checks[0].id is missing" },
	{ "a check without article", HEAD "\"checks\":[" CHECK("a", "pass") ",{\"id\":\"b\"}]}", "checks[1].article is missing" },
	{ "severity off", HEAD "\"checks\":[{\"id\":\"a\",\"article\":\"1\",\"severity\":\"off\",\"verdict\":\"pass\",\"findings\":[]}]}",
	    "checks[0].severity must be one of required, advisory" },
	{ "check verdict passed", HEAD "\"checks\":[" CHECK("a", "passed") "]}", "checks[0].verdict must be one of pass, fail, not_applicable, unknown" },
	{ "no findings", HEAD "\"checks\":[{\"id\":\"a\",\"article\":\"1\",\"severity\":\"required\",\"verdict\":\"pass\"}]}",
	    "checks[0].findings must be an array" },
	{ "a finding not an object", HEAD "\"checks\":[{\"id\":\"a\",\"article\":\"1\",\"severity\":\"required\",\"verdict\":\"pass\","
	    "\"findings\":[{},\"x\"]}]}", "checks[0].findings[1] must be an object" },
	{ "a check twice", HEAD "\"checks\":[" CHECK("a", "pass") "," CHECK("b", "pass") "," CHECK("a", "fail") "]}",
	    "checks[2].id repeats checks[0].id" },
	{ "check id with a tab", HEAD "\"checks\":[" CHECK("a\\tb", "pass") "]}", "checks[0].id must be a string of 1 to 128 printable" },
	{ "check id in Japanese", HEAD "\"checks\":[" CHECK("画面ロック", "pass") "]}", "printable ASCII" },
	/* Strict JSON: what another reader might take differently. */
	{ "a key twice at the top", HEAD "\"sequence\":43,\"checks\":[]}", "the same key twice" },
	{ "a key twice, spelt with an escape", HEAD "\"seq\\u0075ence\":43,\"checks\":[]}", "the same key twice" },
	{ "a key twice deep in a finding", HEAD "\"checks\":[{\"id\":\"a\",\"article\":\"1\",\"severity\":\"required\","
	    "\"verdict\":\"pass\",\"findings\":[{\"evidence\":{\"max\":1,\"max\":2}}]}]}", "the same key twice" },
	{ "invalid UTF-8", HEAD "\"x\":\"\xc3\x28\",\"checks\":[]}", "invalid UTF-8" },
	{ "overlong UTF-8", HEAD "\"x\":\"\xc0\xaf\",\"checks\":[]}", "invalid UTF-8" },
	{ "UTF-8 surrogate", HEAD "\"x\":\"\xed\xa0\x80\",\"checks\":[]}", "invalid UTF-8" },
	{ "NUL escape", HEAD "\"x\":\"a\\u0000b\",\"checks\":[]}", "\\u0000 in a string" },
	{ "lone high surrogate", HEAD "\"x\":\"\\ud800\",\"checks\":[]}", "high surrogate without a low one" },
	{ "lone low surrogate", HEAD "\"x\":\"\\udc00\",\"checks\":[]}", "lone low surrogate" },
	{ "raw control character", HEAD "\"x\":\"a\tb\",\"checks\":[]}", "control character in a string" },
	{ "bad escape", HEAD "\"x\":\"\\x41\",\"checks\":[]}", "invalid escape" },
	{ "single quotes", "{'schema':1}", "expected a key" },
	{ "trailing comma", HEAD "\"checks\":[],}", "expected a key" },
	{ "trailing comma in an array", HEAD "\"checks\":[1,]}", "expected a value" },
	{ "comment", "{/* c */}", "expected a key" },
	{ "leading zero", HEAD "\"x\":01,\"checks\":[]}", "expected ','" },
	{ "bare minus", HEAD "\"x\":-,\"checks\":[]}", "invalid number" },
	{ "fraction without digits", HEAD "\"x\":1.,\"checks\":[]}", "invalid number" },
	{ "exponent without digits", HEAD "\"x\":1e+,\"checks\":[]}", "invalid number" },
	{ "plus sign", HEAD "\"x\":+1,\"checks\":[]}", "expected a value" },
	{ "NaN", HEAD "\"x\":NaN,\"checks\":[]}", "expected a value" },
	{ "truncated literal", HEAD "\"x\":tru,\"checks\":[]}", "expected a value" },
	{ "missing colon", "{\"schema\" \"x\"}", "expected ':'" },
	{ "unterminated string", "{\"schema\":\"mamori", "unterminated string" },
};

static void
test_bad_bodies(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct report_summary s;
		struct mm_err e;

		err_clear(&e);
		if (check(bad[i].body, &s, &e) != -1)
			fail_msg("accepted: %s", bad[i].note);
		assert_string_equal(e.reason, "bad_request");
		if (strstr(e.msg, bad[i].message) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].note, e.msg, bad[i].message);
		assert_null(s.arena);
	}
}

/* Nesting is capped, before anything recurses. */
static void
test_depth(void **state)
{
	char body[512];
	struct report_summary s;
	struct mm_err e;
	int n = snprintf(body, sizeof(body), HEAD "\"checks\":[],\"deep\":");

	/* 1 (top) + 31 = 32 levels: accepted. */
	for (int i = 0; i < 31; i++)
		body[n++] = '[';
	for (int i = 0; i < 31; i++)
		body[n++] = ']';
	body[n++] = '}';
	body[n] = '\0';
	if (check(body, &s, &e) != 0)
		fail_msg("refused 32 levels: %s", e.msg);
	report_summary_free(&s);

	n = snprintf(body, sizeof(body), HEAD "\"checks\":[],\"deep\":");
	for (int i = 0; i < 32; i++)
		body[n++] = '[';
	for (int i = 0; i < 32; i++)
		body[n++] = ']';
	body[n++] = '}';
	body[n] = '\0';
	assert_int_equal(check(body, &s, &e), -1);
	assert_non_null(strstr(e.msg, "nest too deep"));
}

static void
test_too_many_checks(void **state)
{
	size_t cap = 300 * 128 + 256, n;
	char *body = malloc(cap);
	struct report_summary s;
	struct mm_err e;

	assert_non_null(body);
	n = (size_t)snprintf(body, cap, HEAD "\"checks\":[");
	for (int i = 0; i < REPORT_MAX_CHECKS + 1; i++)
		n += (size_t)snprintf(body + n, cap - n, "%s{\"id\":\"c%d\",\"article\":\"1\",\"severity\":"
		    "\"required\",\"verdict\":\"pass\",\"findings\":[]}", i ? "," : "", i);
	snprintf(body + n, cap - n, "]}");
	assert_int_equal(check(body, &s, &e), -1);
	assert_non_null(strstr(e.msg, "at most 256 checks"));
	free(body);
}

/* An object with many keys is checked for duplicates without going
 * quadratic, and still finds the one duplicate. */
static void
test_wide_object(void **state)
{
	size_t cap = 20000 * 16, n;
	char *body = malloc(cap);
	struct jscan j;
	struct mm_err e;

	assert_non_null(body);
	n = (size_t)snprintf(body, cap, "{");
	for (int i = 0; i < 20000; i++)
		n += (size_t)snprintf(body + n, cap - n, "%s\"k%d\":%d", i ? "," : "", i, i);
	snprintf(body + n, cap - n, "}");
	assert_int_equal(jscan_parse(&j, body, strlen(body), 32, &e), 0);
	assert_int_equal(j.t[0].size, 20000);
	jscan_free(&j);
	/* The same object with one more key, "k7" again, at the end. */
	snprintf(body + n, cap - n, ",\"k7\":0}");
	assert_int_equal(jscan_parse(&j, body, strlen(body), 32, &e), -1);
	assert_non_null(strstr(e.msg, "the same key twice"));
	jscan_free(&j);
	free(body);
}

static void
test_jscan_values(void **state)
{
	static const char *const good[] = {
		"0", "-0", "12", "-3.25", "1e9", "1E-9", "0.5e+2", "true", "false", "null", "\"\"",
		"[]", "{}", " [ 1 , { \"a\" : [ ] } ] ", "\"\\u00e9\\u3042\"", "\"日本語\"", "\"\xf0\x9f\x98\x80\"",
	};
	struct jscan j;
	struct mm_err e;
	int64_t v;
	char s[16];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (jscan_parse(&j, good[i], strlen(good[i]), 32, &e) != 0)
			fail_msg("refused %s: %s", good[i], e.msg);
		jscan_free(&j);
	}
	static const char nums[] = "[-9223372036854775808, 9223372036854775808, 1.0]";
	assert_int_equal(jscan_parse(&j, nums, strlen(nums), 32, &e), 0);
	assert_int_equal(jscan_int(&j, 1, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(jscan_int(&j, 2, &v), -1);
	assert_int_equal(jscan_int(&j, 3, &v), -1);
	jscan_free(&j);

	static const char esc[] = "\"\\u00e9\\ud83d\\ude00x\"";
	assert_int_equal(jscan_parse(&j, esc, strlen(esc), 32, &e), 0);
	assert_int_equal(jscan_str(&j, 0, s, sizeof(s)), 7);
	assert_string_equal(s, "\xc3\xa9\xf0\x9f\x98\x80x");
	assert_int_equal(jscan_str(&j, 0, s, 7), -1);	/* does not fit */
	jscan_free(&j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_full_report),
		cmocka_unit_test(test_escapes_decode),
		cmocka_unit_test(test_bad_bodies),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_too_many_checks),
		cmocka_unit_test(test_wide_object),
		cmocka_unit_test(test_jscan_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
