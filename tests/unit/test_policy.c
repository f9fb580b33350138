/* test_policy: the policy a facility writes. A mistake in it must be
 * refused with the file, line and column to edit and what was expected —
 * never silently ignored — and a good file overrides only what it names. */
#include "testutil.h"
#include "common/policy.h"

static const struct policy_known *
known(void)
{
	static struct policy_known k;

	k = scan_known_checks();
	return &k;
}

static void
test_default_loads(void **state)
{
	struct policy p;
	struct mm_err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(policy_load_buf(&p, NULL, 0, NULL, known(), &e), 0);
	assert_string_equal(p.id, "matsunet-2020-04");
	/* Article 15-3: 60 days, 8 characters, letters and digits. */
	assert_int_equal(p.password.max_age_days, 60);
	assert_int_equal(p.password.min_length, 8);
	assert_true(p.password.require_letters);
	assert_true(p.password.require_digits);
	assert_int_equal(p.accounts.min_uid, 1000);
	assert_int_equal(p.accounts.max_uid, 59999);
	assert_true(p.accounts.include_root);
	assert_true(p.accounts.non_login_shells.n >= 2);
	assert_int_equal(p.privacy.account_names, NAMES_PLAIN);
	assert_true(p.p2p.n >= 1);
	assert_true(p.antivirus.n >= 1);
	/* Every check of the table is named and runs; article 15-3's are required. */
	for (size_t i = 0; i < check_table_len; i++) {
		size_t k;
		for (k = 0; k < p.n_checks; k++)
			if (strcmp(p.checks[k].id, check_table[i]->id) == 0)
				break;
		if (k == p.n_checks)
			fail_msg("the default policy does not name %s", check_table[i]->id);
		assert_int_not_equal(p.checks[k].severity, SEV_OFF);
	}
	assert_int_equal(policy_severity(&p, "account.password_set"), SEV_REQUIRED);
	assert_int_equal(policy_severity(&p, "account.password_max_age"), SEV_REQUIRED);
	assert_int_equal(policy_severity(&p, "account.password_changed"), SEV_REQUIRED);
	assert_int_equal(strlen(p.sha256), 64);
	assert_int_equal(strspn(p.sha256, "0123456789abcdef"), 64);
	policy_free(&p);
}

/* A policy file that names one setting changes that one and keeps the
 * default's others — and its own hash is what the report carries. */
static void
test_override_single_key(void **state)
{
	static const char file[] = "{ \"password\": { \"max_age_days\": 30 } }";
	struct policy def, p;
	struct mm_err e;

	(void)state;
	tu_policy(&def);
	assert_int_equal(policy_load_buf(&p, file, strlen(file), "facility.json", known(), &e), 0);
	assert_int_equal(p.password.max_age_days, 30);
	assert_int_equal(p.password.min_length, def.password.min_length);
	assert_string_equal(p.id, def.id);
	assert_int_equal(p.accounts.min_uid, def.accounts.min_uid);
	assert_int_equal(p.accounts.non_login_shells.n, def.accounts.non_login_shells.n);
	assert_int_equal(p.p2p.n, def.p2p.n);
	assert_string_equal(p.p2p.v[0].name, def.p2p.v[0].name);
	assert_string_not_equal(p.sha256, def.sha256);
	policy_free(&p);
	policy_free(&def);
}

/* Lists are replaced whole, not merged: a facility's deny-list is the list. */
static void
test_override_replaces_lists(void **state)
{
	static const char file[] =
	    "{\"p2p\": {\"deny\": [{\"name\": \"Share\", \"files\": [\"share*.exe\"]}]},\n"
	    " \"accounts\": {\"non_login_shells\": [\"/bin/false\"]},\n"
	    " \"removable\": {\"approved\": [{\"vendor_id\": \"0781\", \"product_id\": \"5581\","
	    " \"serial\": \"4C53\", \"label\": \"事務用USB 1\"}]},\n"
	    " \"privacy\": {\"account_names\": \"hashed\"}}";
	struct policy p;
	struct mm_err e;

	(void)state;
	err_clear(&e);
	if (policy_load_buf(&p, file, strlen(file), "facility.json", known(), &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(p.p2p.n, 1);
	assert_string_equal(p.p2p.v[0].name, "Share");
	assert_int_equal(p.p2p.v[0].files.n, 1);
	assert_string_equal(p.p2p.v[0].files.v[0], "share*.exe");
	assert_int_equal(p.accounts.non_login_shells.n, 1);
	assert_int_equal(p.removable.n, 1);
	assert_string_equal(p.removable.v[0].label, "事務用USB 1");
	assert_int_equal(p.privacy.account_names, NAMES_HASHED);
	policy_free(&p);
}

static void
test_severity(void **state)
{
	static const char file[] = "{\"checks\": {"
	    "\"account.password_changed\": {\"severity\": \"off\"},"
	    "\"account.password_max_age\": {\"severity\": \"advisory\"}}}";
	struct policy p;
	struct mm_err e;

	(void)state;
	assert_int_equal(policy_load_buf(&p, file, strlen(file), "f.json", known(), &e), 0);
	assert_int_equal(policy_severity(&p, "account.password_changed"), SEV_OFF);
	assert_int_equal(policy_severity(&p, "account.password_max_age"), SEV_ADVISORY);
	assert_int_equal(policy_severity(&p, "account.password_set"), SEV_REQUIRED);
	assert_string_equal(severity_name(SEV_OFF), "off");
	assert_string_equal(severity_name(SEV_ADVISORY), "advisory");
	policy_free(&p);
}

/* Each bad file, what is wrong with it, and the start of the message a
 * person gets ("FILE:LINE:COL: where: what") plus words it must contain. */
static const struct {
	const char *what, *text, *prefix, *has1, *has2;
} bad[] = {
	{ "unknown key, with the keys that are allowed",
	  "{\n  \"password\": {\n    \"max_age\": 30\n  }\n}\n",
	  "p.json:3:5: password.max_age: ",
	  "unknown key \"max_age\"", "expected one of: max_age_days, min_length, require_letters, require_digits" },
	{ "unknown top-level key lists the sections",
	  "{\"passwords\": {}}", "p.json:1:2: passwords: ",
	  "unknown key", "accounts, password, privacy" },
	{ "wrong type: a number written as a string",
	  "{\n  \"password\": {\n    \"max_age_days\": \"60\"\n  }\n}\n",
	  "p.json:3:21: password.max_age_days: ",
	  "expected a number of days from 1 to 3650", "found a string" },
	{ "wrong type: a decimal number",
	  "{\"screen_lock\": {\"max_idle_minutes\": 5.5}}",
	  "p.json:1:38: screen_lock.max_idle_minutes: ", "minutes from 1 to 1440", "a decimal number" },
	{ "wrong type: a section that is not an object",
	  "{\"screen_lock\": 5}", "p.json:1:17: screen_lock: ", "expected an object", "an integer" },
	{ "wrong type: true/false expected",
	  "{\"accounts\": {\"include_root\": \"yes\"}}",
	  "p.json:1:31: accounts.include_root: ", "true or false", "a string" },
	{ "out of range: zero days",
	  "{\"password\": {\"max_age_days\": 0}}",
	  "p.json:1:31: password.max_age_days: ", "from 1 to 3650", "found 0" },
	{ "out of range: ten years and a day",
	  "{\"password\": {\"max_age_days\": 3651}}",
	  "p.json:1:31: ", "from 1 to 3650", "found 3651" },
	{ "unknown check id",
	  "{\n\"checks\": {\n  \"account.nope\": {\"severity\": \"off\"}}}",
	  "p.json:3:3: checks.account.nope: ", "unknown check \"account.nope\"", "docs/checks" },
	{ "unknown severity",
	  "{\"checks\": {\"account.password_set\": {\"severity\": \"sometimes\"}}}",
	  "p.json:1:50: checks.account.password_set.severity: ",
	  "\"required\", \"advisory\" or \"off\"", "found sometimes" },
	{ "check entry that is not an object",
	  "{\"checks\": {\"account.password_set\": \"off\"}}",
	  "p.json:1:37: checks.account.password_set: ", "{\"severity\": \"required\"}", "a string" },
	{ "duplicate key",
	  "{\n  \"id\": \"a\",\n  \"id\": \"b\"\n}", "p.json:3:", "duplicate", "\"id\"" },
	{ "malformed JSON: trailing comma",
	  "{\n  \"id\": \"x\",\n}", "p.json:3:1: ", "expected", NULL },
	{ "malformed JSON: truncated",
	  "{\"accounts\": {\"min_uid\": ", "p.json:1:", "expected", NULL },
	{ "not an object at the top",
	  "[]", "p.json:1:1: (top level): ", "expected an object", "found an array" },
	{ "min_uid above max_uid",
	  "{\"accounts\": {\"min_uid\": 70000}}", "p.json: ",
	  "accounts.min_uid (70000) is above accounts.max_uid (59999)", NULL },
	{ "empty string in a list",
	  "{\"accounts\": {\"non_login_shells\": [\"/bin/false\", \"\"]}}",
	  "p.json:1:50: accounts.non_login_shells[1]: ", "a non-empty string", "found an empty string" },
	{ "bad element of an array of objects",
	  "{\"p2p\": {\"deny\": [{\"name\": \"x\"},\n  {\"name\": \"\"}]}}",
	  "p.json:2:12: p2p.deny[1].name: ", "1 to 63 characters", NULL },
	{ "too long vendor id",
	  "{\"removable\": {\"approved\": [{\"vendor_id\": \"12345\"}]}}",
	  "p.json:1:43: removable.approved[0].vendor_id: ", "4 hex digits", NULL },
	{ "unknown privacy mode",
	  "{\"privacy\": {\"account_names\": \"secret\"}}",
	  "p.json:1:31: privacy.account_names: ", "\"plain\" or \"hashed\"", "found secret" },
	/* Columns count characters, as jansson's own errors and editors do. */
	{ "column after Japanese text",
	  "{\"description\": \"日本語\", \"bogus\": 1}",
	  "p.json:1:24: bogus: ", "unknown key", NULL },
};

static void
test_bad_policies(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct policy p;
		struct mm_err e;

		err_clear(&e);
		memset(&p, 0x5a, sizeof(p));
		if (policy_load_buf(&p, bad[i].text, strlen(bad[i].text), "p.json", known(), &e) != -1)
			fail_msg("%s: accepted", bad[i].what);
		assert_string_equal(e.reason, "policy_invalid");
		if (strncmp(e.msg, bad[i].prefix, strlen(bad[i].prefix)) != 0)
			fail_msg("%s: message \"%s\" does not start with \"%s\"", bad[i].what,
			    e.msg, bad[i].prefix);
		if (strstr(e.msg, bad[i].has1) == NULL ||
		    (bad[i].has2 != NULL && strstr(e.msg, bad[i].has2) == NULL))
			fail_msg("%s: message \"%s\" lacks \"%s\" / \"%s\"", bad[i].what, e.msg,
			    bad[i].has1, bad[i].has2 ? bad[i].has2 : "");
		/* A refused policy holds nothing to free or use. */
		assert_null(p.accounts.non_login_shells.v);
		assert_null(p.p2p.v);
	}
}

static void
test_load_file(void **state)
{
	char *root = tu_mkroot(), path[4200];
	struct policy p;
	struct mm_err e;

	(void)state;
	tu_write(root, "good.json", "{\"id\": \"clinic-a\"}\n");
	tu_write(root, "bad.json", "{\n\"id\": 5}\n");
	snprintf(path, sizeof(path), "%s/good.json", root);
	assert_int_equal(policy_load(&p, path, known(), &e), 0);
	assert_string_equal(p.id, "clinic-a");
	policy_free(&p);
	/* The message names the file the person gave. */
	snprintf(path, sizeof(path), "%s/bad.json", root);
	assert_int_equal(policy_load(&p, path, known(), &e), -1);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, ":2:7: id: "));
	snprintf(path, sizeof(path), "%s/absent.json", root);
	assert_int_equal(policy_load(&p, path, known(), &e), -1);
	assert_string_equal(e.reason, "policy_unreadable");
	assert_non_null(strstr(e.msg, "absent.json"));
	/* A directory is not a policy file (and is not read). */
	assert_int_equal(policy_load(&p, root, known(), &e), -1);
	assert_string_equal(e.reason, "policy_unreadable");
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_loads),
		cmocka_unit_test(test_override_single_key),
		cmocka_unit_test(test_override_replaces_lists),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_bad_policies),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
