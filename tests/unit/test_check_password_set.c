/* test_check_password_set: article 16-1 — no account a person logs in
 * with may be without a password. Each verdict a PC can get, from a root
 * tree written here. */
#include "testutil.h"
#include "common/render.h"

extern const struct check_def check_account_password_set;

#define NOW ((time_t)20000 * 86400 + 9 * 3600)	/* day 20000, 09:00 UTC */

#define SYS_PASSWD \
	"root:x:0:0:root:/root:/bin/bash\n" \
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
#define SYS_SHADOW \
	"root:!:19990:0:99999:7:::\n" \
	"daemon:*:19990:0:99999:7:::\n"

struct want {
	const char *subject;
	enum verdict v;
	const char *reason;
	const char *remediation;
};

static const struct {
	const char *what;
	const char *passwd, *shadow;	/* NULL: absent; "@link": symlink to the host's */
	enum verdict verdict;
	size_t n;
	struct want f[4];
} cases[] = {
	{ "pass: every person has a password or is locked",
	  SYS_PASSWD "sato:x:1000:1000::/home/sato:/bin/bash\n",
	  SYS_SHADOW "sato:$y$j9T$s$h:19990:1:60:7:::\n", V_PASS, 2, {
		{ "root", V_PASS, "locked", NULL },
		{ "sato", V_PASS, NULL, NULL } } },
	{ "fail: an empty password in shadow",
	  SYS_PASSWD "sato:x:1000:1000::/home/sato:/bin/bash\n"
	  "suzuki:x:1001:1001::/home/suzuki:/bin/bash\n",
	  SYS_SHADOW "sato:$y$j9T$s$h:19990:1:60:7:::\nsuzuki::19990:1:60:7:::\n", V_FAIL, 3, {
		{ "sato", V_PASS, NULL, NULL },
		{ "suzuki", V_FAIL, "empty_password", "set_password" } } },
	{ "fail: an empty password field in passwd itself, whatever shadow says",
	  SYS_PASSWD "tanaka::1002:1002::/home/tanaka:/bin/bash\n",
	  SYS_SHADOW "tanaka:$y$j9T$s$h:19990:1:60:7:::\n", V_FAIL, 2, {
		{ "tanaka", V_FAIL, "empty_password", "set_password" } } },
	{ "pass: an empty password on a system account is not a person's",
	  SYS_PASSWD "backup:x:34:34::/var/backups:/usr/sbin/nologin\n"
	  "games:x:60:60::/usr/games:/bin/bash\n",
	  SYS_SHADOW "backup::19990::::::\ngames::19990::::::\n", V_PASS, 1, {
		{ "root", V_PASS, "locked", NULL } } },
	{ "not_applicable: no account is used by a person",
	  "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
	  "daemon:*:19990:0:99999:7:::\n", V_NOT_APPLICABLE, 1, {
		{ "system", V_NOT_APPLICABLE, "no_persons", NULL } } },
	{ "unknown: shadow has no entry for a person",
	  SYS_PASSWD "kato:x:1003:1003::/home/kato:/bin/bash\n", SYS_SHADOW, V_UNKNOWN, 2, {
		{ "kato", V_UNKNOWN, "shadow_entry_missing", NULL } } },
	{ "unknown: shadow absent",
	  SYS_PASSWD "sato:x:1000:1000::/home/sato:/bin/bash\n", NULL, V_UNKNOWN, 2, {
		{ "root", V_UNKNOWN, "file_absent", NULL },
		{ "sato", V_UNKNOWN, "file_absent", NULL } } },
	{ "unknown: shadow is a symlink (never followed)",
	  SYS_PASSWD "sato:x:1000:1000::/home/sato:/bin/bash\n", "@link", V_UNKNOWN, 2, {
		{ "sato", V_UNKNOWN, "file_symlink", NULL } } },
	{ "unknown: passwd absent", NULL, SYS_SHADOW, V_UNKNOWN, 1, {
		{ "/etc/passwd", V_UNKNOWN, "file_absent", NULL } } },
	{ "fail beats unknown in the check's verdict",
	  SYS_PASSWD "kato:x:1003:1003::/home/kato:/bin/bash\n"
	  "ito::1004:1004::/home/ito:/bin/bash\n", SYS_SHADOW, V_FAIL, 3, {
		{ "kato", V_UNKNOWN, "shadow_entry_missing", NULL },
		{ "ito", V_FAIL, "empty_password", "set_password" } } },
};

static void
test_cases(void **state)
{
	struct policy pol;

	(void)state;
	tu_policy(&pol);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = tu_mkroot(), p[4200];
		struct check_result r;
		struct people pp;

		tu_mkdirs(dir, "etc");
		if (cases[i].passwd)
			tu_write(dir, "etc/passwd", cases[i].passwd);
		if (cases[i].shadow && strcmp(cases[i].shadow, "@link") == 0) {
			snprintf(p, sizeof(p), "%s/etc/shadow", dir);
			assert_int_equal(symlink("/etc/shadow", p), 0);
		} else if (cases[i].shadow)
			tu_write(dir, "etc/shadow", cases[i].shadow);
		tu_run(&check_account_password_set, dir, &pol, NOW, &r, &pp);
		if (result_verdict(&r) != cases[i].verdict || r.n != cases[i].n)
			fail_msg("%s: verdict %s with %zu findings, want %s with %zu", cases[i].what,
			    verdict_name(result_verdict(&r)), r.n, verdict_name(cases[i].verdict),
			    cases[i].n);
		for (size_t k = 0; k < 4 && cases[i].f[k].subject != NULL; k++) {
			const struct want *w = &cases[i].f[k];
			const struct finding *f = tu_finding(&r, w->subject);

			tu_assert_finding(&r, w->subject, w->v, w->reason);
			if (w->remediation == NULL)
				assert_null(f->remediation);
			else
				assert_string_equal(f->remediation, w->remediation);
			/* every key has a text a person can read */
			if (f->reason != NULL)
				assert_non_null(check_msg_text(&check_account_password_set, f->reason));
			if (f->remediation != NULL)
				assert_non_null(check_msg_text(&check_account_password_set,
				    f->remediation));
		}
		result_free(&r);
		people_free(&pp);
		tu_rmroot(dir);
	}
	policy_free(&pol);
}

/* The message for an empty password names the account to fix. */
static void
test_message_names_account(void **state)
{
	struct policy pol;
	struct check_result r;
	struct people pp;
	char *dir = tu_mkroot(), line[512];

	(void)state;
	tu_policy(&pol);
	tu_write(dir, "etc/passwd", "suzuki:x:1001:1001::/home/suzuki:/bin/bash\n");
	tu_write(dir, "etc/shadow", "suzuki::19990:1:60:7:::\n");
	tu_run(&check_account_password_set, dir, &pol, NOW, &r, &pp);
	assert_int_equal(r.n, 1);
	render_msg(check_msg_text(&check_account_password_set, r.f[0].remediation),
	    r.f[0].subject, r.f[0].evidence, line, sizeof(line));
	assert_non_null(strstr(line, "sudo passwd suzuki"));
	result_free(&r);
	people_free(&pp);
	policy_free(&pol);
	tu_rmroot(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_message_names_account),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
