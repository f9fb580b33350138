/* test_scan_facts: the package list, the process list and each person's
 * browser profiles are read once a scan and shared by the checks that ask
 * (scan_ctx_packages, scan_ctx_processes, scan_ctx_browser_profiles) — and
 * a list that could not be read is reported by every one of those checks,
 * each in its own words, as when each read it. */
#include <unistd.h>
#include "testutil.h"

extern const struct check_def check_account_no_autologin;
extern const struct check_def check_account_no_guest;
extern const struct check_def check_antivirus_present;
extern const struct check_def check_antivirus_signatures_fresh;
extern const struct check_def check_p2p_absent;
extern const struct check_def check_browser_password_saving_off;
extern const struct check_def check_browser_no_saved_passwords;

static const time_t NOW = 1795000000;

#define PASSWD "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n"
#define DPKG_BASE "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\n\n"
#define DPKG_GUEST DPKG_BASE \
	"Package: guest-users\nStatus: install ok installed\nVersion: 1.0\n\n" \
	"Package: clamav-daemon\nStatus: install ok installed\nVersion: 1.4.6+dfsg-0+deb12u1\n\n"

/* One scan's context over a root, as scan_run makes it. */
struct scan_fixture {
	struct root root;
	struct policy policy;
	struct people people;
	struct scan_facts facts;
	struct scan_ctx ctx;
};

static void
fixture_open(struct scan_fixture *x, const char *rootdir)
{
	struct mm_err e;

	assert_int_equal(root_open(&x->root, rootdir, 0, &e), 0);
	tu_policy(&x->policy);
	people_load(&x->people, &x->root, &x->policy);
	scan_facts_init(&x->facts);
	x->ctx.root = &x->root;
	x->ctx.policy = &x->policy;
	x->ctx.people = &x->people;
	x->ctx.now = NOW;
	x->ctx.facts = &x->facts;
}

static void
fixture_close(struct scan_fixture *x)
{
	scan_facts_free(&x->facts);
	people_free(&x->people);
	policy_free(&x->policy);
	root_close(&x->root);
}

static void
run_in(struct scan_fixture *x, const struct check_def *c, struct check_result *r)
{
	memset(r, 0, sizeof(*r));
	c->run(&x->ctx, r);
}

static void
tu_symlink(const char *root, const char *target, const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void
tu_unlink(const char *root, const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(unlink(p), 0);
}

static const char *
ev_str(const struct finding *f, const char *key)
{
	json_t *v = json_object_get(f->evidence, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The second check of a scan sees the package list the first one read,
 * even when the file changed in between: it was read once. */
static void
test_packages_are_read_once_a_scan(void **state)
{
	char *root = tu_mkroot();
	struct scan_fixture x;
	struct check_result r;
	const struct packages *pk;

	(void)state;
	tu_write(root, "etc/passwd", PASSWD);
	tu_write(root, "var/lib/dpkg/status", DPKG_GUEST);
	fixture_open(&x, root);
	run_in(&x, &check_account_no_guest, &r);
	tu_assert_finding(&r, "guest-users", V_FAIL, "guest_users_package");
	result_free(&r);
	pk = scan_ctx_packages(&x.ctx);
	assert_ptr_equal(scan_ctx_packages(&x.ctx), pk);
	assert_int_equal(pk->dpkg.n, 3);

	tu_write(root, "var/lib/dpkg/status", DPKG_BASE);
	run_in(&x, &check_account_no_guest, &r);
	tu_assert_finding(&r, "guest-users", V_FAIL, "guest_users_package");
	result_free(&r);
	fixture_close(&x);

	/* The next scan reads it again. */
	fixture_open(&x, root);
	run_in(&x, &check_account_no_guest, &r);
	assert_null(tu_finding(&r, "guest-users"));
	tu_assert_finding(&r, "system", V_PASS, "no_guest_login");
	result_free(&r);
	fixture_close(&x);
	tu_rmroot(root);
}

/* A status file that is a link is refused once, and every check that
 * needs the packages says so, each as it always did. */
static void
test_unreadable_packages_are_reported_by_each_check(void **state)
{
	char *root = tu_mkroot();
	struct scan_fixture x;
	struct check_result r;
	const struct finding *f;

	(void)state;
	tu_write(root, "etc/passwd", PASSWD);
	tu_write(root, "etc/shadow-like", DPKG_GUEST);
	tu_mkdirs(root, "var/lib/dpkg");
	tu_symlink(root, "/etc/shadow-like", "var/lib/dpkg/status");
	tu_write(root, "etc/lightdm/lightdm.conf", "[Seat:*]\nautologin-user=alice\n");
	fixture_open(&x, root);

	run_in(&x, &check_account_no_guest, &r);
	tu_assert_finding(&r, "/var/lib/dpkg/status", V_UNKNOWN, "file_symlink");
	result_free(&r);

	run_in(&x, &check_antivirus_present, &r);
	tu_assert_finding(&r, "system", V_UNKNOWN, "packages_unreadable");
	f = tu_finding(&r, "system");
	assert_non_null(strstr(ev_str(f, "detail"), "symbolic link"));
	result_free(&r);

	run_in(&x, &check_antivirus_signatures_fresh, &r);
	tu_assert_finding(&r, "system", V_UNKNOWN, "packages_unreadable");
	result_free(&r);

	run_in(&x, &check_p2p_absent, &r);
	tu_assert_finding(&r, "system", V_UNKNOWN, "packages_unreadable");
	f = tu_finding(&r, "system");
	assert_string_equal(ev_str(f, "packages"), "unreadable");
	result_free(&r);

	/* LightDM's program is not there and the packages cannot say
	 * whether it is installed: its settings are judged, autologin and all. */
	run_in(&x, &check_account_no_autologin, &r);
	assert_string_equal(verdict_name(result_verdict(&r)), "fail");
	result_free(&r);
	fixture_close(&x);
	tu_rmroot(root);
}

/* The process list too is read once: clamd seen by antivirus.present is
 * still there for the checks after it. */
static void
test_processes_are_read_once_a_scan(void **state)
{
	char *root = tu_mkroot();
	struct scan_fixture x;
	struct check_result r;
	const struct proc_list *pl, *pl2;
	const struct mm_err *e;

	(void)state;
	tu_write(root, "etc/passwd", PASSWD);
	tu_write(root, "var/lib/dpkg/status", DPKG_GUEST);
	tu_write(root, "proc/1/comm", "systemd\n");
	tu_write(root, "proc/640/comm", "clamd\n");
	tu_symlink(root, "/usr/sbin/clamd", "proc/640/exe");
	fixture_open(&x, root);
	run_in(&x, &check_antivirus_present, &r);
	assert_string_equal(verdict_name(result_verdict(&r)), "pass");
	result_free(&r);
	assert_int_equal(scan_ctx_processes(&x.ctx, &pl, &e), FILE_OK);
	assert_int_equal(pl->n, 2);

	tu_unlink(root, "proc/640/comm");
	tu_unlink(root, "proc/640/exe");
	run_in(&x, &check_antivirus_present, &r);
	assert_string_equal(verdict_name(result_verdict(&r)), "pass");
	result_free(&r);
	assert_int_equal(scan_ctx_processes(&x.ctx, &pl2, NULL), FILE_OK);
	assert_ptr_equal(pl2, pl);
	fixture_close(&x);
	tu_rmroot(root);
}

/* /proc that is a link: unreadable, said by each check that looks, with
 * the reason; the list handed out is empty, never what the link shows. */
static void
test_unreadable_processes_are_reported_by_each_check(void **state)
{
	char *root = tu_mkroot();
	struct scan_fixture x;
	struct check_result r;
	const struct finding *f;
	const struct proc_list *pl;
	const struct mm_err *e;

	(void)state;
	tu_write(root, "etc/passwd", PASSWD);
	tu_write(root, "var/lib/dpkg/status", DPKG_GUEST);
	tu_write(root, "elsewhere/640/comm", "clamd\n");
	tu_symlink(root, "elsewhere", "proc");
	fixture_open(&x, root);

	run_in(&x, &check_antivirus_present, &r);
	f = tu_finding(&r, "ClamAV");
	assert_non_null(f);
	assert_string_equal(verdict_name(f->verdict), "unknown");
	assert_string_equal(f->reason, "engine_unknown");
	assert_non_null(strstr(ev_str(f, "detail"), "symbolic link"));
	result_free(&r);

	run_in(&x, &check_p2p_absent, &r);
	tu_assert_finding(&r, "system", V_UNKNOWN, "processes_unreadable");
	f = tu_finding(&r, "system");
	assert_string_equal(ev_str(f, "processes"), "unreadable");
	assert_non_null(strstr(ev_str(f, "detail"), "symbolic link"));
	result_free(&r);

	assert_int_equal(scan_ctx_processes(&x.ctx, &pl, &e), FILE_BAD);
	assert_int_equal(pl->n, 0);
	assert_string_equal(e->reason, "file_symlink");
	fixture_close(&x);
	tu_rmroot(root);
}

static size_t
alice_findings(const struct check_result *r)
{
	size_t n = 0;

	for (size_t k = 0; k < r->n; k++)
		n += strcmp(r->f[k].subject, "alice") == 0;
	return n;
}

/* Both browser checks see the profiles listed at the first one, even when
 * a profile appears in between; the next scan lists them again. */
static void
test_browser_profiles_are_listed_once_a_scan(void **state)
{
	char *root = tu_mkroot();
	struct scan_fixture x;
	struct check_result r;
	const struct browser_profiles *bp, *bp2;
	const struct mm_err *e;
	size_t alice = (size_t)-1;

	(void)state;
	tu_write(root, "etc/passwd", PASSWD);
	tu_write(root, "home/alice/.config/chromium/Default/Preferences", "{}");
	fixture_open(&x, root);
	for (size_t i = 0; i < x.people.n; i++)
		if (strcmp(x.people.v[i].name, "alice") == 0)
			alice = i;
	assert_true(alice != (size_t)-1);

	run_in(&x, &check_browser_password_saving_off, &r);
	assert_int_equal(alice_findings(&r), 1);
	result_free(&r);
	assert_int_equal(scan_ctx_browser_profiles(&x.ctx, alice, &bp, &e), 0);
	assert_int_equal(bp->n, 1);
	assert_string_equal(bp->v[0].name, "Default");

	tu_write(root, "home/alice/.config/chromium/Profile 1/Preferences", "{}");
	run_in(&x, &check_browser_no_saved_passwords, &r);
	assert_int_equal(alice_findings(&r), 1);
	tu_assert_finding(&r, "alice", V_PASS, NULL);
	result_free(&r);
	assert_int_equal(scan_ctx_browser_profiles(&x.ctx, alice, &bp2, &e), 0);
	assert_ptr_equal(bp2, bp);
	assert_int_equal(bp->n, 1);
	fixture_close(&x);

	/* The next scan lists them again. */
	fixture_open(&x, root);
	run_in(&x, &check_browser_no_saved_passwords, &r);
	assert_int_equal(alice_findings(&r), 2);
	result_free(&r);
	assert_int_equal(scan_ctx_browser_profiles(&x.ctx, alice, &bp, &e), 0);
	assert_int_equal(bp->n, 2);
	fixture_close(&x);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packages_are_read_once_a_scan),
		cmocka_unit_test(test_unreadable_packages_are_reported_by_each_check),
		cmocka_unit_test(test_processes_are_read_once_a_scan),
		cmocka_unit_test(test_unreadable_processes_are_reported_by_each_check),
		cmocka_unit_test(test_browser_profiles_are_listed_once_a_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
