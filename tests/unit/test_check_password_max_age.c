/* test_check_password_max_age: article 15-3 — passwords expire within the
 * policy's maximum age, for new accounts (login.defs) and for each
 * person's own shadow entry. */
#include "testutil.h"

extern const struct check_def check_account_password_max_age;

#define NOW ((time_t)20000 * 86400 + 9 * 3600)

#define PASSWD \
	"root:x:0:0:root:/root:/bin/bash\n" \
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" \
	"sato:x:1000:1000::/home/sato:/bin/bash\n"
#define ROOT_LOCKED "root:!:19990:0:99999:7:::\ndaemon:*:19990:0:99999:7:::\n"
#define DEFS_60 "# login.defs\nPASS_MAX_DAYS\t60\nPASS_MIN_DAYS\t1\n"

struct want {
	const char *subject;
	enum verdict v;
	const char *reason;
	long value, max;	/* evidence; -2: not present */
};

static const struct {
	const char *what;
	long policy_max;	/* 0: the default's 60 */
	const char *logindefs, *shadow;	/* NULL absent; "@link" symlink; "@bin" binary */
	enum verdict verdict;
	size_t n;
	struct want f[4];
} cases[] = {
	{ "pass: 60 days in login.defs and in the person's entry", 0,
	  DEFS_60, ROOT_LOCKED "sato:$6$h:19990:1:60:7:::\n", V_PASS, 3, {
		{ "/etc/login.defs", V_PASS, NULL, 60, 60 },
		{ "sato", V_PASS, NULL, 60, 60 },
		{ "root", V_NOT_APPLICABLE, "locked", -2, -2 } } },
	{ "pass: shorter than the policy", 0,
	  "PASS_MAX_DAYS 30\n", ROOT_LOCKED "sato:$6$h:19990:1:1:7:::\n", V_PASS, 3, {
		{ "/etc/login.defs", V_PASS, NULL, 30, 60 },
		{ "sato", V_PASS, NULL, 1, 60 } } },
	{ "fail: login.defs lets passwords live forever", 0,
	  "PASS_MAX_DAYS 99999\n", ROOT_LOCKED "sato:$6$h:19990:1:60:7:::\n", V_FAIL, 3, {
		{ "/etc/login.defs", V_FAIL, "max_days_too_long", 99999, 60 },
		{ "sato", V_PASS, NULL, 60, 60 } } },
	{ "fail: PASS_MAX_DAYS -1 (never)", 0,
	  "PASS_MAX_DAYS -1\n", ROOT_LOCKED "sato:$6$h:19990:1:60:7:::\n", V_FAIL, 3, {
		{ "/etc/login.defs", V_FAIL, "max_days_too_long", -1, 60 } } },
	{ "fail: login.defs does not set it", 0,
	  "UMASK 022\n# PASS_MAX_DAYS 60\n", ROOT_LOCKED "sato:$6$h:19990:1:60:7:::\n", V_FAIL, 3, {
		{ "/etc/login.defs", V_FAIL, "max_days_unset", -2, 60 } } },
	{ "fail: no login.defs", 0,
	  NULL, ROOT_LOCKED "sato:$6$h:19990:1:60:7:::\n", V_FAIL, 3, {
		{ "/etc/login.defs", V_FAIL, "logindefs_absent", -2, 60 } } },
	{ "fail: the person's password never expires (99999)", 0,
	  DEFS_60, ROOT_LOCKED "sato:$6$h:19990:0:99999:7:::\n", V_FAIL, 3, {
		{ "/etc/login.defs", V_PASS, NULL, 60, 60 },
		{ "sato", V_FAIL, "account_never_expires", -2, 60 } } },
	{ "fail: the person's maximum is empty", 0,
	  DEFS_60, ROOT_LOCKED "sato:$6$h:19990::::::\n", V_FAIL, 3, {
		{ "sato", V_FAIL, "account_never_expires", -2, 60 } } },
	{ "fail: the person's maximum is above the policy's", 0,
	  DEFS_60, ROOT_LOCKED "sato:$6$h:19990:0:90:7:::\n", V_FAIL, 3, {
		{ "sato", V_FAIL, "account_max_too_long", 90, 60 } } },
	{ "fail: a facility's stricter policy", 30,
	  DEFS_60, ROOT_LOCKED "sato:$6$h:19990:0:60:7:::\n", V_FAIL, 3, {
		{ "/etc/login.defs", V_FAIL, "max_days_too_long", 60, 30 },
		{ "sato", V_FAIL, "account_max_too_long", 60, 30 } } },
	{ "not_applicable finding: a locked person has no password to age", 0,
	  DEFS_60, ROOT_LOCKED "sato:!$6$h:19990:0:99999:7:::\n", V_PASS, 3, {
		{ "sato", V_NOT_APPLICABLE, "locked", -2, -2 } } },
	{ "unknown: PASS_MAX_DAYS is not a number", 0,
	  "PASS_MAX_DAYS sixty\n", ROOT_LOCKED "sato:$6$h:19990:1:60:7:::\n", V_UNKNOWN, 3, {
		{ "/etc/login.defs", V_UNKNOWN, "max_days_invalid", -2, 60 } } },
	{ "unknown: login.defs is binary", 0,
	  "@bin", ROOT_LOCKED "sato:$6$h:19990:1:60:7:::\n", V_UNKNOWN, 3, {
		{ "/etc/login.defs", V_UNKNOWN, "parse_error", -2, -2 } } },
	{ "unknown: login.defs is a symlink", 0,
	  "@link", ROOT_LOCKED "sato:$6$h:19990:1:60:7:::\n", V_UNKNOWN, 3, {
		{ "/etc/login.defs", V_UNKNOWN, "file_symlink", -2, -2 } } },
	{ "unknown: shadow cannot be read", 0,
	  DEFS_60, NULL, V_UNKNOWN, 2, {
		{ "/etc/login.defs", V_PASS, NULL, 60, 60 },
		{ "/etc/shadow", V_UNKNOWN, "file_absent", -2, -2 } } },
};

static void
place(const char *dir, const char *rel, const char *text)
{
	char p[4200];

	if (text == NULL)
		return;
	if (strcmp(text, "@link") == 0) {
		snprintf(p, sizeof(p), "%s/%s", dir, rel);
		assert_int_equal(symlink("/etc/passwd", p), 0);
	} else if (strcmp(text, "@bin") == 0)
		tu_write(dir, rel, "PASS_MAX_DAYS 60\n\x7f" "ELF\x02\x01\x01\n");
	else
		tu_write(dir, rel, text);
}

static void
assert_evidence(const char *what, const struct finding *f, const char *key, long want)
{
	json_t *v = json_object_get(f->evidence, key);

	if (want == -2) {
		if (v != NULL)
			fail_msg("%s: %s: unexpected evidence %s", what, f->subject, key);
		return;
	}
	if (!json_is_integer(v) || json_integer_value(v) != want)
		fail_msg("%s: %s: evidence %s is not %ld", what, f->subject, key, want);
}

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = tu_mkroot();
		struct check_result r;
		struct people pp;
		struct policy pol;

		tu_policy(&pol);
		if (cases[i].policy_max)
			pol.password.max_age_days = cases[i].policy_max;
		tu_mkdirs(dir, "etc");
		tu_write(dir, "etc/passwd", PASSWD);
		place(dir, "etc/login.defs", cases[i].logindefs);
		place(dir, "etc/shadow", cases[i].shadow);
		tu_run(&check_account_password_max_age, dir, &pol, NOW, &r, &pp);
		if (result_verdict(&r) != cases[i].verdict || r.n != cases[i].n)
			fail_msg("%s: verdict %s with %zu findings, want %s with %zu", cases[i].what,
			    verdict_name(result_verdict(&r)), r.n, verdict_name(cases[i].verdict),
			    cases[i].n);
		for (size_t k = 0; k < 4 && cases[i].f[k].subject != NULL; k++) {
			const struct want *w = &cases[i].f[k];
			const struct finding *f;

			tu_assert_finding(&r, w->subject, w->v, w->reason);
			f = tu_finding(&r, w->subject);
			assert_evidence(cases[i].what, f, "value", w->value);
			if (f->verdict != V_UNKNOWN || w->max != -2)
				assert_evidence(cases[i].what, f, "max", w->max);
			/* a fail always says how to fix it */
			if (f->verdict == V_FAIL)
				assert_non_null(check_msg_text(&check_account_password_max_age,
				    f->remediation));
		}
		result_free(&r);
		people_free(&pp);
		policy_free(&pol);
		tu_rmroot(dir);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
