/* account.no_guest: LightDM's guest session as Ubuntu and Debian ship it
 * and as an administrator turns it on or off, the guest-users package, and
 * a shared "guest" account with no password. */
#include "testutil.h"
#include <fcntl.h>

extern const struct check_def check_account_no_guest;

static const char *
dpkg_status(const char *pkgs)
{
	static char buf[4096];
	const char *p = pkgs;
	size_t n = 0;

	buf[0] = '\0';
	while (*p != '\0') {
		size_t l = strcspn(p, " ");
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		    "Package: %.*s\nStatus: install ok installed\nVersion: 1.0\n\n", (int)l, p);
		p += l;
		while (*p == ' ')
			p++;
	}
	return buf;
}

/* Ubuntu's lightdm package ships the script that makes guest accounts. */
#define GUEST_SCRIPT { "usr/sbin/guest-account", "#!/bin/sh\n" }
#define PASSWD "root:x:0:0:root:/root:/bin/bash\n" \
	"alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"

struct file {
	const char *path, *text;
};

struct want {
	const char *subject;
	enum verdict v;
	const char *reason;
	const char *remediation;
};

struct tcase {
	const char *what;
	const char *pkgs;		/* NULL: not a dpkg system */
	struct file files[5];
	struct want want[3];
	enum verdict overall;
	size_t n_findings;
};

static const struct tcase cases[] = {
	{ "no display manager, no guest account", NULL, { { NULL, NULL } },
	  { { "system", V_PASS, "no_guest_login", NULL } }, V_PASS, 1 },
	{ "Ubuntu: the script is there, 50-disable-guest.conf turns guests off", "lightdm",
	  { GUEST_SCRIPT,
	    { "usr/share/lightdm/lightdm.conf.d/50-disable-guest.conf", "[Seat:*]\nallow-guest=false\n" } },
	  { { "lightdm", V_PASS, NULL, NULL } }, V_PASS, 1 },
	{ "the script and LightDM's default (allow-guest=true)", "lightdm",
	  { GUEST_SCRIPT },
	  { { "lightdm", V_FAIL, "lightdm_guest_default", "fix_lightdm_guest_new" } }, V_FAIL, 1 },
	{ "lightdm.conf turns guests back on", "lightdm",
	  { GUEST_SCRIPT,
	    { "usr/share/lightdm/lightdm.conf.d/50-disable-guest.conf", "[Seat:*]\nallow-guest=false\n" },
	    { "etc/lightdm/lightdm.conf", "[SeatDefaults]\nallow-guest=true\n" } },
	  { { "lightdm", V_FAIL, "lightdm_guest", "fix_lightdm_guest_file" } }, V_FAIL, 1 },
	{ "a later conf.d file turns guests on", "lightdm",
	  { GUEST_SCRIPT,
	    { "usr/share/lightdm/lightdm.conf.d/50-disable-guest.conf", "[Seat:*]\nallow-guest=false\n" },
	    { "etc/lightdm/lightdm.conf.d/90-guest.conf", "[Seat:*]\nallow-guest=true\n" } },
	  { { "lightdm", V_FAIL, "lightdm_guest", "fix_lightdm_guest_new" } }, V_FAIL, 1 },
	{ "a later conf.d file turns guests off", "lightdm",
	  { GUEST_SCRIPT,
	    { "usr/share/lightdm/lightdm.conf.d/50-guest.conf", "[Seat:*]\nallow-guest=true\n" },
	    { "etc/lightdm/lightdm.conf.d/90-no-guest.conf", "[Seat:*]\nallow-guest=false\n" } },
	  { { "lightdm", V_PASS, NULL, NULL } }, V_PASS, 1 },
	{ "LightDM reads only \"true\" as true: allow-guest=1 is off", "lightdm",
	  { GUEST_SCRIPT, { "etc/lightdm/lightdm.conf", "[Seat:*]\nallow-guest=1\n" } },
	  { { "lightdm", V_PASS, NULL, NULL } }, V_PASS, 1 },
	{ "Debian: no guest-account script, so no guest session", "lightdm",
	  { { NULL, NULL } },
	  { { "lightdm", V_PASS, "lightdm_guest_unavailable", NULL } }, V_PASS, 1 },
	{ "a guest-account-script of the administrator's own", "lightdm",
	  { { "opt/guest/setup", "#!/bin/sh\n" },
	    { "etc/lightdm/lightdm.conf", "[LightDM]\nguest-account-script=/opt/guest/setup\n" } },
	  { { "lightdm", V_FAIL, "lightdm_guest_default", "fix_lightdm_guest_new" } }, V_FAIL, 1 },
	{ "LightDM removed, its settings left behind", "gdm3",
	  { GUEST_SCRIPT, { "etc/lightdm/lightdm.conf", "[Seat:*]\nallow-guest=true\n" } },
	  { { "lightdm", V_NOT_APPLICABLE, "dm_not_installed", NULL },
	    { "system", V_PASS, "no_guest_login", NULL } }, V_PASS, 2 },
	{ "the guest-users package", "gdm3 guest-users", { { NULL, NULL } },
	  { { "guest-users", V_FAIL, "guest_users_package", "fix_guest_users" } }, V_FAIL, 1 },
	{ "a person's account named guest with no password", NULL,
	  { { "etc/passwd", PASSWD "guest:x:1001:1001:Guest:/home/guest:/bin/bash\n" },
	    { "etc/shadow", "root:$6$x$y:19000:0:99999:7:::\nalice:$6$a$b:19000:0:60:7:::\nguest::19000:0:99999:7:::\n" } },
	  { { "guest", V_FAIL, "guest_account", "fix_guest_account" } }, V_FAIL, 1 },
	{ "an account named guest with a password of its own", NULL,
	  { { "etc/passwd", PASSWD "guest:x:1001:1001:Guest:/home/guest:/bin/bash\n" },
	    { "etc/shadow", "root:$6$x$y:19000:0:99999:7:::\nalice:$6$a$b:19000:0:60:7:::\nguest:$6$g$h:19000:0:60:7:::\n" } },
	  { { "system", V_PASS, "no_guest_login", NULL } }, V_PASS, 1 },
	{ "a system account named guest cannot log in", NULL,
	  { { "etc/passwd", PASSWD "guest:x:120:120::/nonexistent:/usr/sbin/nologin\n" },
	    { "etc/shadow", "guest::19000:0:99999:7:::\n" } },
	  { { "system", V_PASS, "no_guest_login", NULL } }, V_PASS, 1 },
};

static void
test_cases(void **state)
{
	struct policy p;

	(void)state;
	tu_policy(&p);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct tcase *c = &cases[k];
		struct check_result r;
		struct people pp;
		char *root = tu_mkroot();
		int has_passwd = 0;

		if (c->pkgs != NULL)
			tu_write(root, "var/lib/dpkg/status", dpkg_status(c->pkgs));
		for (size_t i = 0; i < sizeof(c->files) / sizeof(c->files[0]) && c->files[i].path; i++) {
			tu_write(root, c->files[i].path, c->files[i].text);
			has_passwd |= strcmp(c->files[i].path, "etc/passwd") == 0;
		}
		if (!has_passwd) {
			tu_write(root, "etc/passwd", PASSWD);
			tu_write(root, "etc/shadow", "root:$6$x$y:19000:0:99999:7:::\n"
			    "alice:$6$a$b:19000:0:60:7:::\n");
		}
		tu_run(&check_account_no_guest, root, &p, 1795000000, &r, &pp);
		people_free(&pp);
		if (r.n != c->n_findings) {
			for (size_t i = 0; i < r.n; i++)
				print_message("  %s: %s %s\n", r.f[i].subject,
				    verdict_name(r.f[i].verdict), r.f[i].reason ? r.f[i].reason : "-");
			fail_msg("%s: %zu findings, expected %zu", c->what, r.n, c->n_findings);
		}
		for (size_t i = 0; i < sizeof(c->want) / sizeof(c->want[0]) && c->want[i].subject; i++) {
			const struct want *w = &c->want[i];
			const struct finding *f = tu_finding(&r, w->subject);
			if (f == NULL)
				fail_msg("%s: no finding for %s", c->what, w->subject);
			if (f->verdict != w->v || (w->reason == NULL) != (f->reason == NULL) ||
			    (f->reason != NULL && strcmp(f->reason, w->reason) != 0))
				fail_msg("%s: %s is %s/%s, expected %s/%s", c->what, f->subject,
				    verdict_name(f->verdict), f->reason ? f->reason : "-",
				    verdict_name(w->v), w->reason ? w->reason : "-");
			if ((w->remediation == NULL) != (f->remediation == NULL) ||
			    (f->remediation != NULL && strcmp(f->remediation, w->remediation) != 0))
				fail_msg("%s: remediation %s, expected %s", c->what,
				    f->remediation ? f->remediation : "-",
				    w->remediation ? w->remediation : "-");
			if (w->reason != NULL)
				assert_non_null(check_msg_text(&check_account_no_guest, w->reason));
			if (w->remediation != NULL)
				assert_non_null(check_msg_text(&check_account_no_guest, w->remediation));
		}
		if (result_verdict(&r) != c->overall)
			fail_msg("%s: check is %s, expected %s", c->what,
			    verdict_name(result_verdict(&r)), verdict_name(c->overall));
		result_free(&r);
		tu_rmroot(root);
	}
	policy_free(&p);
}

/* The fail says which file switched guests on and which script makes them. */
static void
test_evidence(void **state)
{
	struct policy p;
	struct check_result r;
	struct people pp;
	char *root = tu_mkroot();
	const struct finding *f;
	char *ev;

	(void)state;
	tu_policy(&p);
	tu_write(root, "var/lib/dpkg/status", dpkg_status("lightdm"));
	tu_write(root, "usr/sbin/guest-account", "#!/bin/sh\n");
	tu_write(root, "etc/lightdm/lightdm.conf.d/90-guest.conf", "[Seat:*]\nallow-guest=true\n");
	tu_run(&check_account_no_guest, root, &p, 1795000000, &r, &pp);
	people_free(&pp);
	f = tu_finding(&r, "lightdm");
	assert_non_null(f);
	ev = json_dumps(f->evidence, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(ev, "{\"allow_guest\":true,\"display_manager\":\"lightdm\","
	    "\"file\":\"/etc/lightdm/lightdm.conf.d/90-guest.conf\","
	    "\"guest_account_script\":\"/usr/sbin/guest-account\",\"seat\":\"seat0\"}");
	free(ev);
	result_free(&r);
	tu_rmroot(root);
	policy_free(&p);
}

/* What cannot be read safely is unknown, never a pass. */
static void
test_unreadable_is_unknown(void **state)
{
	static const char *const kinds[] = { "symlink", "fifo", "binary", "dpkg" };
	struct policy p;

	(void)state;
	tu_policy(&p);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct check_result r;
		struct people pp;
		char *root = tu_mkroot();
		char path[4200], target[4200];
		const char *subject = "/etc/lightdm/lightdm.conf", *reason = NULL;

		tu_write(root, "usr/sbin/guest-account", "#!/bin/sh\n");
		tu_write(root, "usr/share/lightdm/lightdm.conf.d/50-disable-guest.conf",
		    "[Seat:*]\nallow-guest=false\n");
		tu_write(root, "var/lib/dpkg/status", dpkg_status("lightdm"));
		tu_mkdirs(root, "etc/lightdm");
		snprintf(path, sizeof(path), "%s/etc/lightdm/lightdm.conf", root);
		if (strcmp(kinds[k], "symlink") == 0) {
			/* A link to a file an unprivileged person can write. */
			tu_write(root, "tmp/guest.conf", "[Seat:*]\nallow-guest=true\n");
			snprintf(target, sizeof(target), "%s/tmp/guest.conf", root);
			assert_int_equal(symlink(target, path), 0);
			reason = "file_symlink";
		} else if (strcmp(kinds[k], "fifo") == 0) {
			assert_int_equal(mkfifo(path, 0600), 0);
			reason = "file_not_regular";
		} else if (strcmp(kinds[k], "binary") == 0) {
			tu_write(root, "etc/lightdm/lightdm.conf", "[Seat:*]\nallow-guest=\x01\x02\n");
			reason = "parse_error";
		} else {
			/* A package list that is not one: guest-users cannot be ruled out. */
			tu_write(root, "var/lib/dpkg/status", "Package: lightdm\n\x01\x02\x03\n");
			tu_write(root, "usr/sbin/lightdm", "");
			subject = "/var/lib/dpkg/status";
			reason = "parse_error";
		}
		tu_run(&check_account_no_guest, root, &p, 1795000000, &r, &pp);
		people_free(&pp);
		tu_assert_finding(&r, subject, V_UNKNOWN, reason);
		if (strcmp(kinds[k], "dpkg") != 0)
			assert_null(tu_finding(&r, "lightdm"));
		assert_null(tu_finding(&r, "system"));
		if (result_verdict(&r) != V_UNKNOWN)
			fail_msg("%s: check is %s, expected unknown", kinds[k],
			    verdict_name(result_verdict(&r)));
		result_free(&r);
		tu_rmroot(root);
	}
	policy_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_unreadable_is_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
