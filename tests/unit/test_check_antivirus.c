/* antivirus.present and antivirus.signatures_fresh against machines
 * written by hand: ClamAV's packages in dpkg's status, clamd in a proc/
 * tree, /var/lib/clamav/daily.cvd and daily.cld headers of a given age —
 * fresh, old, garbled, missing, from the future — and a vendor product
 * found by its install path and program path. */
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "platform/clamav_db.h"

extern const struct check_def check_antivirus_present;
extern const struct check_def check_antivirus_signatures_fresh;

static const time_t NOW = 1795000000;	/* 2026-11-18 11:06 UTC */
#define NO_DAILY (-1000000000LL)
#define DAY 86400

#define PASSWD "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n"
#define DPKG_BASE "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\n\n"
#define DPKG_CLAMAV DPKG_BASE \
	"Package: clamav\nStatus: install ok installed\nVersion: 1.4.6+dfsg-0+deb12u1\n\n" \
	"Package: clamav-daemon\nStatus: install ok installed\nVersion: 1.4.6+dfsg-0+deb12u1\n\n" \
	"Package: clamav-freshclam\nStatus: install ok installed\nVersion: 1.4.6+dfsg-0+deb12u1\n\n"

static void
tu_symlink(const char *root, const char *target, const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

/* A database file as freshclam leaves it: the 512-byte header, built
 * `age` seconds before NOW, then (a stand-in for) the signatures. */
static void
write_db(const char *root, const char *name, long version, long long age)
{
	char rel[256], head[600], date[64];
	time_t t = NOW - age;
	struct tm tm;
	size_t n;

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%d %b %Y %H-%M +0000", &tm);
	n = (size_t)snprintf(head, sizeof(head), "ClamAV-VDB:%s:%ld:2047617:90:X:X:raynman:%lld",
	    date, version, (long long)t);
	memset(head + n, ' ', 512 - n);
	memcpy(head + 512, "\x1f\x8b\x08", 4);	/* the gzip'd tar starts here */
	snprintf(rel, sizeof(rel), "var/lib/clamav/%s", name);
	tu_write(root, rel, head);
}

static char *
base_machine(void)
{
	char *root = tu_mkroot();

	tu_write(root, "etc/passwd", PASSWD);
	tu_write(root, "var/lib/dpkg/status", DPKG_BASE);
	tu_write(root, "proc/1/comm", "systemd\n");
	tu_symlink(root, "/usr/lib/systemd/systemd", "proc/1/exe");
	return root;
}

/* ClamAV installed by its Debian packages, clamd running, freshclam on. */
static char *
clamav_machine(long long daily_age)
{
	char *root = base_machine();

	tu_write(root, "var/lib/dpkg/status", DPKG_CLAMAV);
	tu_write(root, "usr/sbin/clamd", "");
	tu_write(root, "proc/640/comm", "clamd\n");
	tu_symlink(root, "/usr/sbin/clamd", "proc/640/exe");
	tu_write(root, "proc/641/comm", "freshclam\n");
	tu_symlink(root, "/usr/bin/freshclam", "proc/641/exe");
	write_db(root, "main.cvd", 62, 900LL * DAY);
	write_db(root, "bytecode.cvd", 335, 200LL * DAY);
	if (daily_age != NO_DAILY)
		write_db(root, "daily.cld", 27117, daily_age);
	return root;
}

static void
run_check(const struct check_def *c, const char *root, const char *policy_json,
    struct check_result *r)
{
	struct policy_known k = scan_known_checks();
	struct people pp;
	struct policy p;
	struct mm_err e;

	if (policy_json != NULL)
		assert_int_equal(policy_load_buf(&p, policy_json, strlen(policy_json), "t", &k, &e), 0);
	else
		tu_policy(&p);
	tu_run(c, root, &p, NOW, r, &pp);
	people_free(&pp);
	policy_free(&p);
}

static const char *
ev_str(const struct finding *f, const char *key)
{
	json_t *v = json_object_get(f->evidence, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long
ev_int(const struct finding *f, const char *key)
{
	return json_integer_value(json_object_get(f->evidence, key));
}

static void
assert_messages(const struct check_def *c, const struct check_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->f[i].reason != NULL && check_msg_text(c, r->f[i].reason) == NULL)
			fail_msg("no text for reason %s", r->f[i].reason);
		if (r->f[i].remediation != NULL && check_msg_text(c, r->f[i].remediation) == NULL)
			fail_msg("no text for remediation %s", r->f[i].remediation);
	}
}

/* --- antivirus.present --- */

/* A package list that cannot be read says nothing about antivirus: the
 * finding is unknown, and it does not tell the person to install one. */
static void
test_unreadable_packages_are_unknown_without_advice(void **state)
{
	char *root = base_machine();
	char p[4096];
	struct check_result r;
	const struct finding *f;

	(void)state;
	snprintf(p, sizeof(p), "%s/var/lib/dpkg/status", root);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0600), 0);
	run_check(&check_antivirus_present, root, NULL, &r);
	tu_assert_finding(&r, "system", V_UNKNOWN, "packages_unreadable");
	f = tu_finding(&r, "system");
	assert_null(f->remediation);
	assert_non_null(ev_str(f, "detail"));
	assert_messages(&check_antivirus_present, &r);
	result_free(&r);
	tu_rmroot(root);
}

static void
test_clamav_running_passes(void **state)
{
	char *root = clamav_machine(1LL * DAY);
	struct check_result r;
	const struct finding *f;

	(void)state;
	run_check(&check_antivirus_present, root, NULL, &r);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "ClamAV", V_PASS, "running");
	f = tu_finding(&r, "ClamAV");
	assert_string_equal(ev_str(f, "installed_by"), "dpkg");
	assert_string_equal(ev_str(f, "package"), "clamav");
	assert_string_equal(ev_str(f, "process"), "clamd");
	assert_messages(&check_antivirus_present, &r);
	result_free(&r);
	tu_rmroot(root);
}

static void
test_clamav_installed_not_running_fails(void **state)
{
	char *root = clamav_machine(1LL * DAY);
	struct check_result r;
	char p[4096];

	(void)state;
	/* freshclam alone is the updater, not the engine. */
	snprintf(p, sizeof(p), "rm -rf '%s/proc/640'", root);
	assert_int_equal(system(p), 0);
	run_check(&check_antivirus_present, root, NULL, &r);
	tu_assert_finding(&r, "ClamAV", V_FAIL, "engine_not_running");
	assert_string_equal(tu_finding(&r, "ClamAV")->remediation, "start_clamav");
	assert_messages(&check_antivirus_present, &r);
	result_free(&r);
	tu_rmroot(root);
}

static void
test_nothing_installed_fails(void **state)
{
	char *root = base_machine();
	struct check_result r;

	(void)state;
	run_check(&check_antivirus_present, root, NULL, &r);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "system", V_FAIL, "none_installed");
	assert_string_equal(tu_finding(&r, "system")->remediation, "install_antivirus");
	result_free(&r);

	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "system", V_NOT_APPLICABLE, "no_antivirus");
	result_free(&r);
	tu_rmroot(root);
}

/* A vendor product found by its install path; its engine by the path of
 * the running program (a pattern with '/'), or by comm cut at 15 bytes. */
static void
test_vendor_products(void **state)
{
	char *root = base_machine();
	struct check_result r;
	const struct finding *f;

	(void)state;
	tu_mkdirs(root, "opt/eset/eea/lib");
	tu_write(root, "proc/900/comm", "scand\n");
	tu_symlink(root, "/opt/eset/eea/lib/scand", "proc/900/exe");
	tu_mkdirs(root, "opt/sophos-spl/base");
	tu_write(root, "proc/910/comm", "sophos_threat_d\n");
	run_check(&check_antivirus_present, root, NULL, &r);
	tu_assert_finding(&r, "ESET Endpoint Antivirus for Linux", V_PASS, "running");
	f = tu_finding(&r, "ESET Endpoint Antivirus for Linux");
	assert_string_equal(ev_str(f, "installed_by"), "path");
	assert_string_equal(ev_str(f, "path"), "/opt/eset/eea");
	assert_string_equal(ev_str(f, "process"), "scand");
	tu_assert_finding(&r, "Sophos Protection for Linux", V_PASS, "running");
	result_free(&r);

	/* Their signatures' age is not something mamori can read. */
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	tu_assert_finding(&r, "ESET Endpoint Antivirus for Linux", V_UNKNOWN, "freshness_unreadable");
	assert_string_equal(tu_finding(&r, "Sophos Protection for Linux")->remediation,
	    "check_product_signatures");
	assert_messages(&check_antivirus_signatures_fresh, &r);
	result_free(&r);
	tu_rmroot(root);
}

/* Microsoft Defender runs; a leftover ClamAV scanner without its daemon
 * does not fail the PC, and its signatures are not judged. */
static void
test_one_running_product_is_enough(void **state)
{
	char *root = base_machine();
	struct check_result r;

	(void)state;
	tu_write(root, "var/lib/dpkg/status", DPKG_BASE
	    "Package: mdatp\nStatus: install ok installed\nVersion: 101.24082.0004\n\n"
	    "Package: clamav\nStatus: install ok installed\nVersion: 1.4.6+dfsg-0+deb12u1\n\n");
	tu_write(root, "proc/700/comm", "wdavdaemon\n");
	tu_symlink(root, "/opt/microsoft/mdatp/sbin/wdavdaemon", "proc/700/exe");
	write_db(root, "daily.cvd", 26000, 400LL * DAY);
	run_check(&check_antivirus_present, root, NULL, &r);
	tu_assert_finding(&r, "Microsoft Defender for Endpoint", V_PASS, "running");
	tu_assert_finding(&r, "ClamAV", V_NOT_APPLICABLE, "engine_not_running_other_active");
	assert_int_equal(result_verdict(&r), V_PASS);
	result_free(&r);

	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "Microsoft Defender for Endpoint", V_UNKNOWN, "freshness_unreadable");
	result_free(&r);
	tu_rmroot(root);
}

/* An image, not a running PC: whether the engine runs is not known. */
static void
test_without_proc_engine_is_unknown(void **state)
{
	char *root = clamav_machine(1LL * DAY);
	struct check_result r;
	char p[4096];

	(void)state;
	snprintf(p, sizeof(p), "rm -rf '%s/proc'", root);
	assert_int_equal(system(p), 0);
	run_check(&check_antivirus_present, root, NULL, &r);
	tu_assert_finding(&r, "ClamAV", V_UNKNOWN, "engine_unknown");
	assert_messages(&check_antivirus_present, &r);
	result_free(&r);
	tu_rmroot(root);
}

/* --- antivirus.signatures_fresh --- */

static void
test_fresh_signatures_pass(void **state)
{
	char *root = clamav_machine(1LL * DAY);
	struct check_result r;
	const struct finding *f;
	json_t *main_db;

	(void)state;
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "ClamAV", V_PASS, "fresh");
	f = tu_finding(&r, "ClamAV");
	assert_string_equal(ev_str(f, "file"), "daily.cld");
	assert_int_equal(ev_int(f, "version"), 27117);
	assert_int_equal(ev_int(f, "age_days"), 1);
	assert_int_equal(ev_int(f, "max"), 3);
	assert_string_equal(ev_str(f, "built"), "2026-11-17");
	assert_string_equal(ev_str(f, "freshclam"), "running");
	/* main is years old by design (it changes rarely): shown, not judged. */
	main_db = json_object_get(f->evidence, "main");
	assert_int_equal(json_integer_value(json_object_get(main_db, "version")), 62);
	assert_messages(&check_antivirus_signatures_fresh, &r);
	result_free(&r);
	tu_rmroot(root);
}

static void
test_old_signatures_fail(void **state)
{
	char *root = clamav_machine(10LL * DAY);
	struct check_result r;
	const struct finding *f;
	char p[4096];

	(void)state;
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	tu_assert_finding(&r, "ClamAV", V_FAIL, "signatures_old");
	f = tu_finding(&r, "ClamAV");
	assert_int_equal(ev_int(f, "age_days"), 10);
	/* freshclam runs, yet they are old: look at why it does not update. */
	assert_string_equal(f->remediation, "check_freshclam");
	result_free(&r);

	/* With no freshclam at all, the advice is to turn it on … */
	snprintf(p, sizeof(p), "rm -rf '%s/proc/641'", root);
	assert_int_equal(system(p), 0);
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	assert_string_equal(ev_str(tu_finding(&r, "ClamAV"), "freshclam"), "not_enabled");
	assert_string_equal(tu_finding(&r, "ClamAV")->remediation, "enable_freshclam");
	result_free(&r);

	/* … and an enabled service is seen from its "wants" link alone. */
	tu_mkdirs(root, "etc/systemd/system/multi-user.target.wants");
	tu_symlink(root, "/lib/systemd/system/clamav-freshclam.service",
	    "etc/systemd/system/multi-user.target.wants/clamav-freshclam.service");
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	assert_string_equal(ev_str(tu_finding(&r, "ClamAV"), "freshclam"), "enabled");
	result_free(&r);

	/* The policy's limit decides: 30 days allowed, 10 days old passes. */
	run_check(&check_antivirus_signatures_fresh, root,
	    "{\"antivirus\": {\"max_signature_age_days\": 30}}", &r);
	tu_assert_finding(&r, "ClamAV", V_PASS, "fresh");
	result_free(&r);
	tu_rmroot(root);
}

/* daily.cvd (downloaded whole, old) beside daily.cld (updated since):
 * the newest decides, as it is the one ClamAV loads. */
static void
test_newest_daily_decides(void **state)
{
	char *root = clamav_machine(2LL * DAY);
	struct check_result r;

	(void)state;
	write_db(root, "daily.cvd", 26900, 60LL * DAY);
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	tu_assert_finding(&r, "ClamAV", V_PASS, "fresh");
	assert_string_equal(ev_str(tu_finding(&r, "ClamAV"), "file"), "daily.cld");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_missing_daily_fails(void **state)
{
	char *root = clamav_machine(NO_DAILY);
	struct check_result r;

	(void)state;
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	tu_assert_finding(&r, "ClamAV", V_FAIL, "no_signatures");
	assert_string_equal(ev_str(tu_finding(&r, "ClamAV"), "dir"), "/var/lib/clamav");
	assert_messages(&check_antivirus_signatures_fresh, &r);
	result_free(&r);
	tu_rmroot(root);
}

/* A garbled header is not an age: unknown with parse_error. So is a
 * daily.cld replaced by a link, or a FIFO that would block a reader. */
static void
test_garbled_or_planted_database_is_unknown(void **state)
{
	char *root = clamav_machine(NO_DAILY);
	struct check_result r;
	const struct finding *f;
	char p[4096];

	(void)state;
	tu_write(root, "var/lib/clamav/daily.cld", "\x1f\x8b\x08\x00 garbage where the header should be");
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	tu_assert_finding(&r, "ClamAV", V_UNKNOWN, "parse_error");
	f = tu_finding(&r, "ClamAV");
	assert_string_equal(ev_str(f, "file"), "daily.cld");
	assert_string_equal(f->remediation, "reinstall_signatures");
	assert_messages(&check_antivirus_signatures_fresh, &r);
	result_free(&r);

	snprintf(p, sizeof(p), "%s/var/lib/clamav/daily.cld", root);
	assert_int_equal(unlink(p), 0);
	tu_symlink(root, "/etc/shadow", "var/lib/clamav/daily.cld");
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	tu_assert_finding(&r, "ClamAV", V_UNKNOWN, "file_symlink");
	result_free(&r);

	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0644), 0);
	alarm(10);
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	alarm(0);
	tu_assert_finding(&r, "ClamAV", V_UNKNOWN, "file_not_regular");
	result_free(&r);
	tu_rmroot(root);
}

/* Signatures "built" two days after the PC's clock: the clock is wrong,
 * the age cannot be told. */
static void
test_future_signatures_are_unknown(void **state)
{
	char *root = clamav_machine(-2LL * DAY);
	struct check_result r;

	(void)state;
	run_check(&check_antivirus_signatures_fresh, root, NULL, &r);
	tu_assert_finding(&r, "ClamAV", V_UNKNOWN, "signatures_in_future");
	assert_string_equal(tu_finding(&r, "ClamAV")->remediation, "fix_clock");
	result_free(&r);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clamav_running_passes),
		cmocka_unit_test(test_clamav_installed_not_running_fails),
		cmocka_unit_test(test_nothing_installed_fails),
		cmocka_unit_test(test_vendor_products),
		cmocka_unit_test(test_one_running_product_is_enough),
		cmocka_unit_test(test_without_proc_engine_is_unknown),
		cmocka_unit_test(test_unreadable_packages_are_unknown_without_advice),
		cmocka_unit_test(test_fresh_signatures_pass),
		cmocka_unit_test(test_old_signatures_fail),
		cmocka_unit_test(test_newest_daily_decides),
		cmocka_unit_test(test_missing_daily_fails),
		cmocka_unit_test(test_garbled_or_planted_database_is_unknown),
		cmocka_unit_test(test_future_signatures_are_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
