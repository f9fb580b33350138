/* test_report: the JSON object that leaves the clinic (docs/report.md).
 * The collector and dashboard rely on its fields; the association relies
 * on its verdict; the staff rely on it not carrying their names when the
 * policy says so. */
#include "testutil.h"
#include "agent/report.h"

#define NOW ((time_t)20000 * 86400 + 9 * 3600)	/* 2024-10-04T09:00:00Z */

#define PASSWD \
	"root:x:0:0:root:/root:/bin/bash\n" \
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" \
	"sato:x:1000:1000:Sato Hanako:/home/sato:/bin/bash\n" \
	"suzuki:x:1001:1001:Suzuki Ichiro:/home/suzuki:/bin/bash\n"
#define SHADOW_OK \
	"root:!:19990:0:99999:7:::\n" \
	"daemon:*:19990:0:99999:7:::\n" \
	"sato:$y$j9T$s$h:19990:1:60:7:::\n" \
	"suzuki:$y$j9T$s$h:19995:1:60:7:::\n"
#define SHADOW_EMPTY_PW \
	"root:!:19990:0:99999:7:::\n" \
	"sato:$y$j9T$s$h:19990:1:60:7:::\n" \
	"suzuki::19995:1:60:7:::\n"
#define SHADOW_OLD \
	"root:!:19990:0:99999:7:::\n" \
	"sato:$y$j9T$s$h:19990:1:60:7:::\n" \
	"suzuki:$y$j9T$s$h:19600:1:60:7:::\n"	/* 400 days */

static const char *const account_checks[] = {
	"account.password_set", "account.password_max_age", "account.password_changed",
};

/* Sets a check's severity, naming it in the policy if need be. */
static void
set_severity(struct policy *p, const char *id, enum severity s)
{
	size_t i;

	for (i = 0; i < p->n_checks; i++)
		if (strcmp(p->checks[i].id, id) == 0)
			break;
	if (i == p->n_checks) {
		assert_true(p->n_checks < POLICY_MAX_CHECKS);
		snprintf(p->checks[i].id, sizeof(p->checks[i].id), "%s", id);
		p->n_checks++;
	}
	p->checks[i].severity = s;
}

/* The default policy with only the account checks on, so that the trees
 * here decide the verdict alone. */
static void
account_policy(struct policy *p)
{
	tu_policy(p);
	for (size_t i = 0; i < check_table_len; i++) {
		const char *id = check_table[i]->id;
		int keep = 0;
		for (size_t k = 0; k < 3; k++)
			keep |= strcmp(id, account_checks[k]) == 0;
		if (!keep)
			set_severity(p, id, SEV_OFF);
	}
}

static char *
make_tree(const char *shadow, const char *hostname)
{
	char *dir = tu_mkroot();

	tu_write(dir, "etc/passwd", PASSWD);
	if (shadow)
		tu_write(dir, "etc/shadow", shadow);
	tu_write(dir, "etc/login.defs", "PASS_MAX_DAYS 60\n");
	tu_write(dir, "etc/hostname", hostname);
	tu_write(dir, "etc/machine-id", "0f5c2a8e9d4b4c1e8a7f3b2d1c0e9f8a\n");
	tu_write(dir, "etc/os-release",
	    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
	return dir;
}

/* Scans dir under p and returns the report (and the scan, to be freed). */
static json_t *
build(const char *dir, const struct policy *p, struct scan *s)
{
	struct root r;
	struct mm_err e;
	json_t *rep;

	assert_int_equal(root_open(&r, dir, 0, &e), 0);
	scan_run(s, &r, p, NOW, 0);
	root_close(&r);
	rep = report_build(s);
	assert_non_null(rep);
	return rep;
}

static const char *
str_at(json_t *o, const char *k1, const char *k2, const char *k3)
{
	json_t *v = json_object_get(o, k1);

	if (k2)
		v = json_object_get(v, k2);
	if (k3)
		v = json_object_get(v, k3);
	if (!json_is_string(v))
		fail_msg("%s%s%s%s%s is not a string", k1, k2 ? "." : "", k2 ? k2 : "",
		    k3 ? "." : "", k3 ? k3 : "");
	return json_string_value(v);
}

static json_t *
check_obj(json_t *rep, const char *id)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(rep, "checks"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "id")), id) == 0)
			return c;
	return NULL;
}

static void
test_schema_fields(void **state)
{
	struct policy p;
	struct scan s;
	char *dir = make_tree(SHADOW_OK, "reception-pc\n");
	json_t *rep, *checks, *c, *f;
	size_t i, k;

	(void)state;
	account_policy(&p);
	rep = build(dir, &p, &s);
	assert_string_equal(str_at(rep, "schema", NULL, NULL), "mamori.report/1");
	assert_string_equal(str_at(rep, "agent", "name", NULL), "mamori");
	assert_true(strlen(str_at(rep, "agent", "version", NULL)) > 0);
	assert_string_equal(str_at(rep, "device", "hostname", NULL), "reception-pc");
	assert_string_equal(str_at(rep, "device", "os", "id"), "debian");
	assert_string_equal(str_at(rep, "device", "os", "version"), "12");
	assert_string_equal(str_at(rep, "device", "os", "name"), "Debian GNU/Linux 12 (bookworm)");
	/* not the machine-id itself: HMAC-SHA256("mamori.device/1") keyed
	 * with it, as `openssl dgst -sha256 -hmac ID` computes it */
	assert_string_equal(str_at(rep, "device", "machine_id", NULL),
	    "36ba35995b98cd5df463932e5a7442f0");
	assert_string_equal(str_at(rep, "generated_at", NULL, NULL), "2024-10-04T09:00:00Z");
	assert_string_equal(str_at(rep, "policy", "id", NULL), p.id);
	assert_string_equal(str_at(rep, "policy", "sha256", NULL), p.sha256);
	assert_string_equal(str_at(rep, "verdict", NULL, NULL), "compliant");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(rep, "summary"), "pass")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(rep, "summary"), "fail")), 0);
	assert_non_null(json_object_get(json_object_get(rep, "summary"), "not_applicable"));
	assert_non_null(json_object_get(json_object_get(rep, "summary"), "unknown"));
	checks = json_object_get(rep, "checks");
	assert_int_equal(json_array_size(checks), 3);	/* off checks are absent */
	json_array_foreach(checks, i, c) {
		const struct check_def *d = check_find(str_at(c, "id", NULL, NULL));
		assert_non_null(d);
		assert_string_equal(str_at(c, "article", NULL, NULL), d->article);
		assert_string_equal(str_at(c, "severity", NULL, NULL), "required");
		assert_string_equal(str_at(c, "verdict", NULL, NULL), "pass");
		assert_true(json_array_size(json_object_get(c, "findings")) > 0);
		json_array_foreach(json_object_get(c, "findings"), k, f) {
			const char *reason;
			assert_true(json_is_string(json_object_get(f, "subject")));
			assert_true(json_is_string(json_object_get(f, "verdict")));
			assert_true(json_is_object(json_object_get(f, "evidence")));
			/* reason and remediation are keys with a text, or null */
			assert_non_null(json_object_get(f, "reason"));
			assert_non_null(json_object_get(f, "remediation"));
			reason = json_string_value(json_object_get(f, "reason"));
			if (reason != NULL)
				assert_non_null(check_msg_text(d, reason));
		}
	}
	json_decref(rep);
	scan_free(&s);
	policy_free(&p);
	tu_rmroot(dir);
}

/* The device verdict: only required checks count; fail beats unknown. */
static void
test_verdict_folding(void **state)
{
	static const struct {
		const char *what, *shadow;
		const char *changed_severity;	/* of account.password_changed */
		const char *verdict;
		const char *changed_verdict;	/* NULL: absent from the report */
	} cases[] = {
		{ "all pass", SHADOW_OK, "required", "compliant", "pass" },
		{ "a required check fails (an empty password)", SHADOW_EMPTY_PW, "required", "noncompliant", "pass" },
		{ "a required check is unknown, none fails", NULL, "required", "unknown", "unknown" },
		{ "a required check fails (a password too old)", SHADOW_OLD, "required", "noncompliant", "fail" },
		{ "an advisory fail does not fail the device", SHADOW_OLD, "advisory", "compliant", "fail" },
		{ "an off check is not run or reported", SHADOW_OLD, "off", "compliant", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy p;
		struct scan s;
		char *dir = make_tree(cases[i].shadow, "pc\n");
		json_t *rep, *c;
		enum severity sev = strcmp(cases[i].changed_severity, "off") == 0 ? SEV_OFF :
		    strcmp(cases[i].changed_severity, "advisory") == 0 ? SEV_ADVISORY : SEV_REQUIRED;

		account_policy(&p);
		set_severity(&p, "account.password_changed", sev);
		rep = build(dir, &p, &s);
		if (strcmp(str_at(rep, "verdict", NULL, NULL), cases[i].verdict) != 0)
			fail_msg("%s: device verdict %s, want %s", cases[i].what,
			    str_at(rep, "verdict", NULL, NULL), cases[i].verdict);
		c = check_obj(rep, "account.password_changed");
		if (cases[i].changed_verdict == NULL)
			assert_null(c);
		else {
			assert_non_null(c);
			assert_string_equal(str_at(c, "verdict", NULL, NULL), cases[i].changed_verdict);
			assert_string_equal(str_at(c, "severity", NULL, NULL), cases[i].changed_severity);
		}
		/* the exit status follows the verdict */
		assert_int_equal(s.overall, strcmp(cases[i].verdict, "compliant") == 0 ? 0 :
		    strcmp(cases[i].verdict, "noncompliant") == 0 ? 1 : 3);
		json_decref(rep);
		scan_free(&s);
		policy_free(&p);
		tu_rmroot(dir);
	}
}

/* With account_names "hashed", no account name reaches the report, and
 * the pseudonym is stable for one device and differs between devices. */
static void
test_hashed_names(void **state)
{
	struct policy p;
	struct scan s;
	char *dir = make_tree(SHADOW_OLD, "pc\n");
	json_t *rep, *c, *f;
	char *text, first[32] = "";
	size_t i;

	(void)state;
	account_policy(&p);
	p.privacy.account_names = NAMES_HASHED;
	rep = build(dir, &p, &s);
	text = json_dumps(rep, 0);
	assert_non_null(text);
	assert_null(strstr(text, "sato"));
	assert_null(strstr(text, "suzuki"));
	assert_null(strstr(text, "\"root\""));
	assert_null(strstr(text, "Hanako"));
	/* configuration paths are not names and stay readable */
	assert_non_null(strstr(text, "/etc/login.defs"));
	c = check_obj(rep, "account.password_changed");
	json_array_foreach(json_object_get(c, "findings"), i, f) {
		const char *subj = str_at(f, "subject", NULL, NULL);
		assert_int_equal(strlen(subj), 18);
		assert_memory_equal(subj, "u-", 2);
		assert_int_equal(strspn(subj + 2, "0123456789abcdef"), 16);
		if (strcmp(str_at(f, "verdict", NULL, NULL), "fail") == 0)
			snprintf(first, sizeof(first), "%s", subj);
	}
	assert_int_equal(strlen(first), 18);	/* suzuki's finding is there */
	free(text);
	json_decref(rep);
	scan_free(&s);

	/* the same device gives the same pseudonym; another device another */
	rep = build(dir, &p, &s);
	text = json_dumps(rep, 0);
	assert_non_null(strstr(text, first));
	free(text);
	json_decref(rep);
	scan_free(&s);
	tu_write(dir, "etc/machine-id", "11111111111111111111111111111111\n");
	rep = build(dir, &p, &s);
	text = json_dumps(rep, 0);
	assert_null(strstr(text, first));
	assert_null(strstr(text, "suzuki"));
	free(text);
	json_decref(rep);
	scan_free(&s);

	/* plain names, the default, show the account to fix */
	p.privacy.account_names = NAMES_PLAIN;
	rep = build(dir, &p, &s);
	text = json_dumps(rep, 0);
	assert_non_null(strstr(text, "\"suzuki\""));
	free(text);
	json_decref(rep);
	scan_free(&s);
	policy_free(&p);
	tu_rmroot(dir);
}

/* The host name as the dashboard lists it. One that is not UTF-8
 * (Latin-1, Shift_JIS) must not stop the report from being built or sent. */
static void
test_hostname(void **state)
{
	static const struct {
		const char *what, *hostname, *want;
	} cases[] = {
		{ "Latin-1", "caf\xe9-pc\n", "caf\xef\xbf\xbd-pc" },
		{ "Shift_JIS", "\x8e\xf3\x95\x74\n", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "t" },
		{ "UTF-8 Japanese", "受付-pc\n", "受付-pc" },
		/* hostname(5): comment lines are not the name */
		{ "after a comment", "# set by the installer\nreception-pc\n", "reception-pc" },
		{ "after blank lines", "\n  \nreception-pc", "reception-pc" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy p;
		struct scan s;
		char *dir = make_tree(SHADOW_OK, cases[i].hostname), *text;
		json_t *rep;

		account_policy(&p);
		rep = build(dir, &p, &s);
		if (strcmp(str_at(rep, "device", "hostname", NULL), cases[i].want) != 0)
			fail_msg("%s: hostname \"%s\"", cases[i].what,
			    str_at(rep, "device", "hostname", NULL));
		text = json_dumps(rep, 0);
		assert_non_null(text);
		free(text);
		json_decref(rep);
		scan_free(&s);
		policy_free(&p);
		tu_rmroot(dir);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_fields),
		cmocka_unit_test(test_verdict_folding),
		cmocka_unit_test(test_hashed_names),
		cmocka_unit_test(test_hostname),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
