/* test_chromium_prefs: a Chromium-family profile's password-saving choice,
 * the profile names of Local State and the PasswordManagerEnabled policy
 * are read as the browser reads them — including the JSON liberties it
 * allows in policy files, and nothing it would not. */
#include "testutil.h"
#include "platform/chromium_prefs.h"

static const struct {
	const char *what, *json;
	int rc;
	enum chromium_bool want;
} prefs_cases[] = {
	{ "saving turned off", "{\"credentials_enable_service\": false}", 0, CHROMIUM_FALSE },
	{ "saving turned on", "{\"credentials_enable_service\": true, \"x\": [1,2]}", 0,
	  CHROMIUM_TRUE },
	{ "never touched: the default applies",
	  "{\"profile\": {\"name\": \"Person 1\"}, \"browser\": {}}", 0, CHROMIUM_UNSET },
	{ "the old profile.password_manager_enabled when the new one is absent",
	  "{\"profile\": {\"password_manager_enabled\": false}}", 0, CHROMIUM_FALSE },
	{ "the new setting wins over the old one",
	  "{\"credentials_enable_service\": true, \"profile\": {\"password_manager_enabled\": false}}",
	  0, CHROMIUM_TRUE },
	{ "a value of the wrong type is ignored, as the browser ignores it",
	  "{\"credentials_enable_service\": \"false\"}", 0, CHROMIUM_UNSET },
	{ "a repeated key: the last one", "{\"credentials_enable_service\": true, "
	  "\"credentials_enable_service\": false}", 0, CHROMIUM_FALSE },
	{ "a key spelled with escapes is the same key",
	  "{\"\\u0070rofile\": {\"password_manager_\\u0065nabled\": false}}", 0, CHROMIUM_FALSE },
	{ "a repeated object: the last one, whole",
	  "{\"profile\": {\"password_manager_enabled\": false}, \"profile\": {\"name\": \"x\"}}",
	  0, CHROMIUM_UNSET },
	{ "a repeated key whose last value is not a boolean",
	  "{\"credentials_enable_service\": false, \"credentials_enable_service\": null}", 0,
	  CHROMIUM_UNSET },
	{ "the key inside another object does not count",
	  "{\"other\": {\"credentials_enable_service\": false}, \"x\": [{\"profile\": "
	  "{\"password_manager_enabled\": false}}]}", 0, CHROMIUM_UNSET },
	{ "bad JSON after the key is still bad JSON",
	  "{\"credentials_enable_service\": false, \"x\": [1,]}", -1, CHROMIUM_UNSET },
	{ "an integer beyond int64, which jansson refuses",
	  "{\"credentials_enable_service\": false, \"x\": 9223372036854775808}", -1, CHROMIUM_UNSET },
	{ "a real that overflows, which jansson refuses",
	  "{\"credentials_enable_service\": false, \"x\": 1e309}", -1, CHROMIUM_UNSET },
	{ "\\u0000, which jansson refuses",
	  "{\"credentials_enable_service\": false, \"x\": \"a\\u0000\"}", -1, CHROMIUM_UNSET },
	{ "a lone surrogate", "{\"credentials_enable_service\": false, \"x\": \"\\ud800\"}", -1,
	  CHROMIUM_UNSET },
	{ "invalid UTF-8 in a string", "{\"credentials_enable_service\": false, \"x\": \"\xc0\xaf\"}",
	  -1, CHROMIUM_UNSET },
	{ "not JSON", "{\"credentials_enable_service\": fals", -1, CHROMIUM_UNSET },
	{ "JSON but not an object", "[false]", -1, CHROMIUM_UNSET },
	{ "empty", "", -1, CHROMIUM_UNSET },
};

static void
test_prefs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(prefs_cases) / sizeof(prefs_cases[0]); i++) {
		enum chromium_bool v = CHROMIUM_TRUE;
		struct mm_err e;
		int rc;

		err_clear(&e);
		rc = chromium_prefs_saving(prefs_cases[i].json, strlen(prefs_cases[i].json), &v, &e);
		if (rc != prefs_cases[i].rc || v != prefs_cases[i].want)
			fail_msg("%s: rc %d value %d", prefs_cases[i].what, rc, v);
		if (rc == -1)
			assert_string_equal(e.reason, "parse_error");
	}
}

/* Nesting: jansson's 2,048 levels are accepted, one more is parse_error,
 * and a nesting far deeper costs no stack. */
static void
test_prefs_depth(void **state)
{
	static const size_t depths[] = { 2047, 2048, 100000 };
	(void)state;
	for (size_t d = 0; d < 3; d++) {
		size_t n = depths[d], len = 0;
		char *b = malloc(2 * n + 64);
		enum chromium_bool v;
		struct mm_err e;
		int rc;

		assert_non_null(b);
		len += (size_t)sprintf(b, "{\"x\":");
		memset(b + len, '[', n - 1);
		len += n - 1;
		memset(b + len, ']', n - 1);
		len += n - 1;
		len += (size_t)sprintf(b + len, ",\"credentials_enable_service\":false}");
		err_clear(&e);
		rc = chromium_prefs_saving(b, len, &v, &e);
		if (n <= 2048) {
			assert_int_equal(rc, 0);
			assert_int_equal(v, CHROMIUM_FALSE);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(e.reason, "parse_error");
		}
		free(b);
	}
}

/* A refused file says why in the words it always did: jansson's line and
 * text, which the finding's detail carries. */
static void
test_prefs_error_text(void **state)
{
	const char *bad = "{\n\"credentials_enable_service\": fals}";
	enum chromium_bool v;
	struct mm_err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(chromium_prefs_saving(bad, strlen(bad), &v, &e), -1);
	assert_string_equal(e.msg, "Preferences is not valid JSON (line 2: invalid token near 'fals')");
	bad = "[]";
	assert_int_equal(chromium_prefs_saving(bad, strlen(bad), &v, &e), -1);
	assert_string_equal(e.msg, "Preferences does not hold a JSON object");
}

/* A Preferences file over the cap is refused before it is parsed. */
static void
test_prefs_cap(void **state)
{
	size_t len = CHROMIUM_PREFS_CAP + 1;
	char *big = malloc(len);
	enum chromium_bool v;
	struct mm_err e;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', len);
	big[0] = '{';
	big[len - 1] = '}';
	assert_int_equal(chromium_prefs_saving(big, len, &v, &e), -1);
	assert_string_equal(e.reason, "file_too_large");
	free(big);
}

static void
test_local_state(void **state)
{
	const char *ls = "{\"profile\": {\"info_cache\": {"
	    "\"Profile 1\": {\"name\": \"Work\"}, \"Default\": {\"name\": \"Person 1\"},"
	    "\"../../etc\": {}, \"\": {}, \"a/b\": {}, \"..\": {}}, \"last_used\": \"Default\"}}";
	char **names;
	size_t n;
	struct mm_err e;

	(void)state;
	assert_int_equal(chromium_local_state_profiles(ls, strlen(ls), &names, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "Default");
	assert_string_equal(names[1], "Profile 1");
	chromium_free_names(names, n);

	ls = "{\"browser\": {}}";
	assert_int_equal(chromium_local_state_profiles(ls, strlen(ls), &names, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_null(names);

	ls = "{\"profile\": {\"info_cache\": []}}";
	assert_int_equal(chromium_local_state_profiles(ls, strlen(ls), &names, &n, &e), 0);
	assert_int_equal(n, 0);

	/* a repeated name is one profile; a repeated info_cache, the last */
	ls = "{\"profile\": {\"info_cache\": {\"Old\": {}}, \"info_cache\": {\"Default\": {}, "
	    "\"D\\u0065fault\": {}}}}";
	assert_int_equal(chromium_local_state_profiles(ls, strlen(ls), &names, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "Default");
	chromium_free_names(names, n);

	ls = "not json";
	assert_int_equal(chromium_local_state_profiles(ls, strlen(ls), &names, &n, &e), -1);
	assert_string_equal(e.reason, "parse_error");
}

static const struct {
	const char *what, *json;
	int rc;
	enum chromium_bool want;
} policy_cases[] = {
	{ "off", "{\"PasswordManagerEnabled\": false}", 0, CHROMIUM_FALSE },
	{ "on", "{\"PasswordManagerEnabled\": true}", 0, CHROMIUM_TRUE },
	{ "other policies only", "{\"HomepageLocation\": \"https://example.invalid/\"}", 0,
	  CHROMIUM_UNSET },
	{ "comments and a trailing comma, which Chromium accepts",
	  "// mamori\n{\n  /* article 16-4 */ \"PasswordManagerEnabled\": false, // off\n}\n", 0,
	  CHROMIUM_FALSE },
	{ "a trailing comma in a list", "{\"URLBlocklist\": [\"a\", \"b\",], "
	  "\"PasswordManagerEnabled\": false,}", 0, CHROMIUM_FALSE },
	{ "comment markers inside strings are text",
	  "{\"HomepageLocation\": \"https://example.invalid/*x*/\", "
	  "\"PasswordManagerEnabled\": false}", 0, CHROMIUM_FALSE },
	{ "\"//\" inside a string does not start a comment",
	  "{\"HomepageLocation\": \"https://example.invalid\", \"PasswordManagerEnabled\": false}",
	  0, CHROMIUM_FALSE },
	{ "a string value is not a boolean", "{\"PasswordManagerEnabled\": \"false\"}", 0,
	  CHROMIUM_UNSET },
	{ "broken JSON", "{\"PasswordManagerEnabled\": false", -1, CHROMIUM_UNSET },
	{ "an unterminated comment", "{\"PasswordManagerEnabled\": false} /* x", 0,
	  CHROMIUM_FALSE },
	{ "a list, not an object", "[{\"PasswordManagerEnabled\": false}]", -1, CHROMIUM_UNSET },
};

static void
test_policy(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(policy_cases) / sizeof(policy_cases[0]); i++) {
		enum chromium_bool v = CHROMIUM_TRUE;
		struct mm_err e;
		int rc;

		err_clear(&e);
		rc = chromium_policy_password_manager(policy_cases[i].json,
		    strlen(policy_cases[i].json), &v, &e);
		if (rc != policy_cases[i].rc || v != policy_cases[i].want)
			fail_msg("%s: rc %d value %d (%s)", policy_cases[i].what, rc, v, e.msg);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefs),
		cmocka_unit_test(test_prefs_cap),
		cmocka_unit_test(test_prefs_depth),
		cmocka_unit_test(test_prefs_error_text),
		cmocka_unit_test(test_local_state),
		cmocka_unit_test(test_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
