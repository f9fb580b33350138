/* test_check_password_changed: article 15-3 — each person's password was
 * actually changed within the maximum age, judged from shadow's date of
 * the last change against a fixed "now". */
#include "testutil.h"

extern const struct check_def check_account_password_changed;

#define TODAY 20000L
#define NOW ((time_t)TODAY * 86400 + 9 * 3600)	/* 09:00 UTC on day 20000 */

#define PASSWD \
	"root:x:0:0:root:/root:/bin/bash\n" \
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" \
	"sato:x:1000:1000::/home/sato:/bin/bash\n"
#define ROOT_LOCKED "root:!:19000:0:99999:7:::\ndaemon:*:1:0:99999:7:::\n"

struct want {
	const char *subject;
	enum verdict v;
	const char *reason;
	long days;	/* evidence "days"; -1: not present */
};

static const struct {
	const char *what;
	const char *passwd, *shadow;	/* NULL: absent */
	enum verdict verdict;
	size_t n;
	struct want f[3];
} cases[] = {
	{ "pass: changed 10 days ago", PASSWD, ROOT_LOCKED "sato:$6$h:19990:1:60:7:::\n",
	  V_PASS, 2, {
		{ "sato", V_PASS, NULL, 10 },
		{ "root", V_NOT_APPLICABLE, "locked", -1 } } },
	{ "pass: changed today", PASSWD, ROOT_LOCKED "sato:$6$h:20000:1:60:7:::\n",
	  V_PASS, 2, { { "sato", V_PASS, NULL, 0 } } },
	{ "pass: exactly the maximum age", PASSWD, ROOT_LOCKED "sato:$6$h:19940:1:60:7:::\n",
	  V_PASS, 2, { { "sato", V_PASS, NULL, 60 } } },
	{ "pass: dated tomorrow (a time zone ahead of UTC)", PASSWD,
	  ROOT_LOCKED "sato:$6$h:20001:1:60:7:::\n", V_PASS, 2, { { "sato", V_PASS, NULL, -1 } } },
	{ "fail: one day over the maximum age", PASSWD, ROOT_LOCKED "sato:$6$h:19939:1:60:7:::\n",
	  V_FAIL, 2, { { "sato", V_FAIL, "too_old", 61 } } },
	{ "fail: changed 400 days ago", PASSWD, ROOT_LOCKED "sato:$6$h:19600:1:60:7:::\n",
	  V_FAIL, 2, { { "sato", V_FAIL, "too_old", 400 } } },
	{ "fail: must change at next login (date 0)", PASSWD, ROOT_LOCKED "sato:$6$h:0:1:60:7:::\n",
	  V_FAIL, 2, { { "sato", V_FAIL, "must_change", -1 } } },
	{ "fail: no date recorded", PASSWD, ROOT_LOCKED "sato:$6$h::1:60:7:::\n",
	  V_FAIL, 2, { { "sato", V_FAIL, "no_change_date", -1 } } },
	{ "fail: no shadow entry for the person", PASSWD, ROOT_LOCKED,
	  V_FAIL, 2, { { "sato", V_FAIL, "no_change_date", -1 } } },
	{ "not_applicable: locked person", PASSWD, ROOT_LOCKED "sato:!:19000:1:60:7:::\n",
	  V_NOT_APPLICABLE, 2, { { "sato", V_NOT_APPLICABLE, "locked", -1 } } },
	{ "not_applicable: no password (password_set's finding)", PASSWD,
	  ROOT_LOCKED "sato::19000:1:60:7:::\n",
	  V_NOT_APPLICABLE, 2, { { "sato", V_NOT_APPLICABLE, "no_password", -1 } } },
	{ "not_applicable: nobody logs in", "daemon:x:1:1::/:/usr/sbin/nologin\n",
	  "daemon:*:1:0:99999:7:::\n",
	  V_NOT_APPLICABLE, 1, { { "system", V_NOT_APPLICABLE, "no_persons", -1 } } },
	{ "unknown: dated in the future (clock wrong)", PASSWD,
	  ROOT_LOCKED "sato:$6$h:20030:1:60:7:::\n",
	  V_UNKNOWN, 2, { { "sato", V_UNKNOWN, "date_in_future", -30 } } },
	{ "unknown: shadow absent", PASSWD, NULL,
	  V_UNKNOWN, 1, { { "/etc/shadow", V_UNKNOWN, "file_absent", -1 } } },
	{ "unknown: passwd absent", NULL, ROOT_LOCKED,
	  V_UNKNOWN, 1, { { "/etc/passwd", V_UNKNOWN, "file_absent", -1 } } },
};

static void
test_cases(void **state)
{
	struct policy pol;

	(void)state;
	tu_policy(&pol);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = tu_mkroot();
		struct check_result r;
		struct people pp;

		tu_mkdirs(dir, "etc");
		if (cases[i].passwd)
			tu_write(dir, "etc/passwd", cases[i].passwd);
		if (cases[i].shadow)
			tu_write(dir, "etc/shadow", cases[i].shadow);
		tu_run(&check_account_password_changed, dir, &pol, NOW, &r, &pp);
		if (result_verdict(&r) != cases[i].verdict || r.n != cases[i].n)
			fail_msg("%s: verdict %s with %zu findings, want %s with %zu", cases[i].what,
			    verdict_name(result_verdict(&r)), r.n, verdict_name(cases[i].verdict),
			    cases[i].n);
		for (size_t k = 0; k < 3 && cases[i].f[k].subject != NULL; k++) {
			const struct want *w = &cases[i].f[k];
			const struct finding *f;
			json_t *days;

			tu_assert_finding(&r, w->subject, w->v, w->reason);
			f = tu_finding(&r, w->subject);
			days = json_object_get(f->evidence, "days");
			if (w->days != -1 && (!json_is_integer(days) ||
			    json_integer_value(days) != w->days))
				fail_msg("%s: days is not %ld", cases[i].what, w->days);
			if (f->verdict == V_FAIL)
				assert_non_null(f->remediation);
		}
		result_free(&r);
		people_free(&pp);
		tu_rmroot(dir);
	}
	policy_free(&pol);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
