/* account.password_quality against PAM and pwquality trees written as a
 * Debian 12 or RHEL 9 machine has them, then changed one thing at a time:
 * each case says what the person at the clinic would be told. */
#include <sys/stat.h>
#include "testutil.h"
#include "common/render.h"

extern const struct check_def check_account_password_quality;

static const time_t NOW = 1795000000;

/* Debian 12: /etc/pam.d/passwd and common-password as pam-auth-update
 * writes them, with and without libpam-pwquality. */
#define DEB_PASSWD \
	"#\n# The PAM configuration file for the Shadow `passwd' service\n#\n\n" \
	"@include common-password\n"
#define DEB_PLAIN \
	"password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\n" \
	"password\trequisite\t\t\tpam_deny.so\n" \
	"password\trequired\t\t\tpam_permit.so\n"
#define DEB_PWQ_ARGS(args) \
	"password\trequisite\t\t\tpam_pwquality.so retry=3" args "\n" \
	"password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt\n" \
	"password\trequisite\t\t\tpam_deny.so\n" \
	"password\trequired\t\t\tpam_permit.so\n" \
	"password\toptional\tpam_gnome_keyring.so\n"
#define DEB_PWQ DEB_PWQ_ARGS("")
#define POLICY_CONF "minlen = 8\ndcredit = -1\nlcredit = -1\n"

/* RHEL 9 (authselect "local" profile), files copied out of the symlinks. */
#define RHEL_PASSWD \
	"#%PAM-1.0\n" \
	"auth       include\tsystem-auth\n" \
	"account    include\tsystem-auth\n" \
	"password   substack\tsystem-auth\n" \
	"-password   optional\tpam_gnome_keyring.so use_authtok\n" \
	"password   substack\tpostlogin\n"
#define RHEL_AUTH \
	"auth        required                                     pam_env.so\n" \
	"auth        sufficient                                   pam_unix.so nullok\n" \
	"auth        required                                     pam_deny.so\n" \
	"password    requisite                                    pam_pwquality.so local_users_only\n" \
	"password    sufficient                                   pam_unix.so yescrypt shadow nullok use_authtok\n" \
	"password    required                                     pam_deny.so\n" \
	"session     required                                     pam_unix.so\n"
#define RHEL_POSTLOGIN \
	"session optional pam_umask.so silent\n" \
	"session optional pam_lastlog.so silent noupdate showfailed\n"

struct file {
	const char *path;
	const char *text;
};

struct qcase {
	const char *name;
	struct file files[6];
	void (*setup)(const char *root);
	const char *subject;
	enum verdict v;
	const char *reason;
	long len;		/* effective_min_length; -1 when not given */
	int digits, letters;	/* -1: not checked */
	const char *mechanism;	/* NULL: not checked */
	const char *remedy;	/* NULL: not checked */
	const char *subject2;	/* a second stack's finding, same verdict */
};

static void
mkfifo_at(const char *root, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(mkfifo(path, 0644), 0);
}

static void
setup_fifo_common_password(const char *root)
{
	mkfifo_at(root, "etc/pam.d/common-password");
}

static void
setup_symlink_common_password(const char *root)
{
	char path[4096];

	tu_write(root, "etc/pam.d/common-password.dpkg-dist", DEB_PWQ);
	snprintf(path, sizeof(path), "%s/etc/pam.d/common-password", root);
	assert_int_equal(symlink("common-password.dpkg-dist", path), 0);
}

static void
setup_fifo_pwquality(const char *root)
{
	tu_mkdirs(root, "etc/security");
	mkfifo_at(root, "etc/security/pwquality.conf");
}

static const struct qcase cases[] = {
	/* ---- pass ---- */
	{ "debian: pwquality with minlen 8, dcredit -1, lcredit -1",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", POLICY_CONF } }, NULL,
	  "/etc/pam.d/common-password", V_PASS, NULL, 8, 1, 1, "pam_pwquality", NULL, NULL },
	{ "rhel: passwd's substack and password-auth both judged",
	  { { "etc/pam.d/passwd", RHEL_PASSWD }, { "etc/pam.d/system-auth", RHEL_AUTH },
	    { "etc/pam.d/password-auth", RHEL_AUTH }, { "etc/pam.d/postlogin", RHEL_POSTLOGIN },
	    { "etc/security/pwquality.conf", "minlen = 8\ndcredit = -1\nucredit = -1\n" } }, NULL,
	  "/etc/pam.d/system-auth", V_PASS, NULL, 8, 1, 1, "pam_pwquality", NULL,
	  "/etc/pam.d/password-auth" },
	{ "minclass 4 forces digits and letters",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", "minlen = 8\nminclass = 4\n" } }, NULL,
	  "/etc/pam.d/common-password", V_PASS, NULL, 8, 1, 1, NULL, NULL, NULL },
	{ "minclass 3 forces a letter, dcredit -1 a digit",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", "minlen = 9\nminclass = 3\ndcredit = -1\n" } }, NULL,
	  "/etc/pam.d/common-password", V_PASS, NULL, 9, 1, 1, NULL, NULL, NULL },
	{ "[success=2 default=ignore] with pam_sss after pam_unix",
	  { { "etc/pam.d/passwd", DEB_PASSWD },
	    { "etc/pam.d/common-password",
	      "password\trequisite\t\t\tpam_pwquality.so retry=3\n"
	      "password\t[success=2 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt\n"
	      "password\tsufficient\t\t\tpam_sss.so use_authtok\n"
	      "password\trequisite\t\t\tpam_deny.so\n"
	      "password\trequired\t\t\tpam_permit.so\n" },
	    { "etc/security/pwquality.conf", POLICY_CONF } }, NULL,
	  "/etc/pam.d/common-password", V_PASS, NULL, 8, 1, 1, NULL, NULL, NULL },
	{ "-password: the dash only silences libpam's log",
	  { { "etc/pam.d/passwd", DEB_PASSWD },
	    { "etc/pam.d/common-password",
	      "-password requisite pam_pwquality.so\n"
	      "password required pam_unix.so use_authtok yescrypt\n"
	      "-password optional pam_gnome_keyring.so\n" },
	    { "etc/security/pwquality.conf", POLICY_CONF } }, NULL,
	  "/etc/pam.d/common-password", V_PASS, NULL, 8, 1, 1, NULL, NULL, NULL },
	{ "conf.d adds what the main file leaves out",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", "minlen = 8\n" },
	    { "etc/security/pwquality.conf.d/50-matsunet.conf", "dcredit = -1\nlcredit = -1\n" } },
	  NULL, "/etc/pam.d/common-password", V_PASS, NULL, 8, 1, 1, NULL, NULL, NULL },
	{ "module arguments set what the files do not",
	  { { "etc/pam.d/passwd", DEB_PASSWD },
	    { "etc/pam.d/common-password", DEB_PWQ_ARGS(" minlen=8 dcredit=-1 lcredit=-1") } },
	  NULL, "/etc/pam.d/common-password", V_PASS, NULL, 8, 1, 1, NULL, NULL, NULL },
	{ "pam_cracklib with its credits turned off",
	  { { "etc/pam.d/passwd", DEB_PASSWD },
	    { "etc/pam.d/common-password",
	      "password required pam_cracklib.so retry=3 minlen=8 dcredit=-1 lcredit=-1 ucredit=0 ocredit=0\n"
	      "password required pam_unix.so use_authtok sha512\n" } },
	  NULL, "/etc/pam.d/common-password", V_PASS, NULL, 8, 1, 1, "pam_cracklib", NULL, NULL },
	{ "no passwd: libpam's \"other\" (which @includes common-password) decides",
	  { { "etc/pam.d/other", "@include common-auth\n@include common-password\n" },
	    { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", POLICY_CONF } }, NULL,
	  "/etc/pam.d/common-password", V_PASS, NULL, 8, 1, 1, NULL, NULL, NULL },

	/* ---- fail ---- */
	{ "debian without libpam-pwquality",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PLAIN } },
	  NULL, "/etc/pam.d/common-password", V_FAIL, "no_quality_module", -1, 0, 0, "none",
	  "install_pwquality", NULL },
	{ "pam_unix minlen=8 alone cannot require digits",
	  { { "etc/pam.d/passwd", DEB_PASSWD },
	    { "etc/pam.d/common-password",
	      "password\t[success=1 default=ignore]\tpam_unix.so obscure minlen=8 yescrypt\n"
	      "password\trequisite\t\t\tpam_deny.so\n"
	      "password\trequired\t\t\tpam_permit.so\n" } },
	  NULL, "/etc/pam.d/common-password", V_FAIL, "pam_unix_only", 8, 0, 0, "pam_unix",
	  "install_pwquality", NULL },
	{ "libpam-pwquality installed, pwquality.conf as shipped: no digit required",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", "# minlen = 8\n# dcredit = 0\n" } }, NULL,
	  "/etc/pam.d/common-password", V_FAIL, "digits_not_required", 8, 0, 0, "pam_pwquality",
	  "set_pwquality", NULL },
	{ "minlen = 6",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", "minlen = 6\ndcredit = -1\nlcredit = -1\n" } }, NULL,
	  "/etc/pam.d/common-password", V_FAIL, "too_short", 6, 1, 1, NULL, "set_pwquality", NULL },
	{ "positive credits let a 6-character password earn its way to 8",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf",
	      "minlen = 8\ndcredit = -1\nlcredit = -1\nucredit = 1\nocredit = 1\n" } }, NULL,
	  "/etc/pam.d/common-password", V_FAIL, "too_short", 6, 1, 1, NULL, NULL, NULL },
	{ "no digit requirement",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", "minlen = 10\nlcredit = -1\n" } }, NULL,
	  "/etc/pam.d/common-password", V_FAIL, "digits_not_required", 10, 0, 1, NULL, NULL, NULL },
	{ "no letter requirement",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", "minlen = 8\ndcredit = -1\n" } }, NULL,
	  "/etc/pam.d/common-password", V_FAIL, "letters_not_required", 8, 1, 0, NULL, NULL, NULL },
	{ "the main file is read after conf.d, so its minlen = 6 wins",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", "minlen = 6\ndcredit = -1\nlcredit = -1\n" },
	    { "etc/security/pwquality.conf.d/50-matsunet.conf", "minlen = 10\n" } }, NULL,
	  "/etc/pam.d/common-password", V_FAIL, "too_short", 6, 1, 1, NULL, NULL, NULL },
	{ "module argument minlen=6 overrides the file's 12",
	  { { "etc/pam.d/passwd", DEB_PASSWD },
	    { "etc/pam.d/common-password", DEB_PWQ_ARGS(" minlen=6") },
	    { "etc/security/pwquality.conf", "minlen = 12\ndcredit = -1\nlcredit = -1\n" } }, NULL,
	  "/etc/pam.d/common-password", V_FAIL, "too_short", 6, 1, 1, NULL, NULL, NULL },
	{ "[success=2 default=ignore] pam_unix before pwquality stores unchecked passwords",
	  { { "etc/pam.d/passwd", DEB_PASSWD },
	    { "etc/pam.d/common-password",
	      "password\t[success=2 default=ignore]\tpam_unix.so obscure yescrypt\n"
	      "password\trequisite\t\t\tpam_pwquality.so retry=3\n"
	      "password\t[success=1 default=ignore]\tpam_unix.so use_authtok yescrypt\n"
	      "password\trequisite\t\t\tpam_deny.so\n"
	      "password\trequired\t\t\tpam_permit.so\n" },
	    { "etc/security/pwquality.conf", POLICY_CONF } }, NULL,
	  "/etc/pam.d/common-password", V_FAIL, "quality_module_bypassed", -1, 0, 0, "none",
	  "fix_stack", NULL },
	{ "enforcing = 0 only warns",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf", POLICY_CONF "enforcing = 0\n" } }, NULL,
	  "/etc/pam.d/common-password", V_FAIL, "quality_not_enforcing", -1, 0, 0, NULL,
	  "set_enforcing", NULL },
	{ "a line libpwquality refuses hides the settings after it",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ },
	    { "etc/security/pwquality.conf",
	      "minlen = 8\ndcredit = -1\nminimum_length = 12\nlcredit = -1\n" } }, NULL,
	  "/etc/pam.d/common-password", V_FAIL, "letters_not_required", 8, 1, 0, NULL, NULL, NULL },

	/* ---- not applicable ---- */
	{ "a stack that never stores a password",
	  { { "etc/pam.d/passwd", "password required pam_deny.so\n" } }, NULL,
	  "/etc/pam.d/passwd", V_NOT_APPLICABLE, "no_password_change", -1, -1, -1, NULL, NULL, NULL },

	/* ---- unknown ---- */
	{ "include loop",
	  { { "etc/pam.d/passwd", DEB_PASSWD },
	    { "etc/pam.d/common-password", "@include passwd\n" } }, NULL,
	  "/etc/pam.d/passwd", V_UNKNOWN, "include_loop", -1, -1, -1, NULL, NULL, NULL },
	{ "common-password is a FIFO",
	  { { "etc/pam.d/passwd", DEB_PASSWD } }, setup_fifo_common_password,
	  "/etc/pam.d/passwd", V_UNKNOWN, "file_not_regular", -1, -1, -1, NULL, NULL, NULL },
	{ "common-password is a symlink",
	  { { "etc/pam.d/passwd", DEB_PASSWD } }, setup_symlink_common_password,
	  "/etc/pam.d/passwd", V_UNKNOWN, "file_symlink", -1, -1, -1, NULL, NULL, NULL },
	{ "common-password is binary garbage",
	  { { "etc/pam.d/passwd", DEB_PASSWD },
	    { "etc/pam.d/common-password", "\x7f" "ELF\x02\x01\x01\x03\x04password required\n" } },
	  NULL, "/etc/pam.d/passwd", V_UNKNOWN, "parse_error", -1, -1, -1, NULL, NULL, NULL },
	{ "pwquality.conf is a FIFO",
	  { { "etc/pam.d/passwd", DEB_PASSWD }, { "etc/pam.d/common-password", DEB_PWQ } },
	  setup_fifo_pwquality,
	  "/etc/pam.d/common-password", V_UNKNOWN, "file_not_regular", -1, -1, -1, NULL, NULL, NULL },
	{ "pam_passwdqc: settings mamori does not read",
	  { { "etc/pam.d/passwd", DEB_PASSWD },
	    { "etc/pam.d/common-password",
	      "password requisite pam_passwdqc.so min=disabled,24,11,8,7\n"
	      "password required pam_unix.so use_authtok\n" } }, NULL,
	  "/etc/pam.d/passwd", V_UNKNOWN, "unsupported_module", -1, -1, -1, "pam_passwdqc", NULL, NULL },
	{ "no PAM configuration at all",
	  { { "etc/hostname", "clinic-pc-01\n" } }, NULL,
	  "/etc/pam.d", V_UNKNOWN, "pam_absent", -1, -1, -1, NULL, NULL, NULL },
};

static void
run_case(const struct qcase *c, const char *policy_json, struct check_result *r)
{
	struct policy_known k = scan_known_checks();
	char *root = tu_mkroot();
	struct people pp;
	struct policy p;
	struct mm_err e;

	for (size_t i = 0; i < sizeof(c->files) / sizeof(c->files[0]) && c->files[i].path; i++)
		tu_write(root, c->files[i].path, c->files[i].text);
	if (c->setup)
		c->setup(root);
	if (policy_json != NULL)
		assert_int_equal(policy_load_buf(&p, policy_json, strlen(policy_json), "t", &k, &e), 0);
	else
		tu_policy(&p);
	tu_run(&check_account_password_quality, root, &p, NOW, r, &pp);
	people_free(&pp);
	policy_free(&p);
	tu_rmroot(root);
}

static void
check_finding(const struct qcase *c, const struct check_result *r, const char *subject)
{
	const struct finding *f = tu_finding(r, subject);
	json_t *v;

	if (f == NULL) {
		for (size_t i = 0; i < r->n; i++)
			print_message("  have: %s %s %s\n", r->f[i].subject,
			    verdict_name(r->f[i].verdict), r->f[i].reason ? r->f[i].reason : "-");
		fail_msg("%s: no finding for %s", c->name, subject);
	}
	if (f->verdict != c->v || (c->reason == NULL) != (f->reason == NULL) ||
	    (c->reason && strcmp(c->reason, f->reason) != 0))
		fail_msg("%s: %s %s, expected %s %s", c->name, verdict_name(f->verdict),
		    f->reason ? f->reason : "-", verdict_name(c->v), c->reason ? c->reason : "-");
	v = json_object_get(f->evidence, "effective_min_length");
	if (c->len == -1 && c->v != V_UNKNOWN && v != NULL)
		fail_msg("%s: effective_min_length %lld given", c->name,
		    (long long)json_integer_value(v));
	if (c->len >= 0 && (v == NULL || json_integer_value(v) != c->len))
		fail_msg("%s: effective_min_length %lld, expected %ld", c->name,
		    v ? (long long)json_integer_value(v) : -1LL, c->len);
	if (c->digits >= 0 &&
	    json_is_true(json_object_get(f->evidence, "digits_required")) != c->digits)
		fail_msg("%s: digits_required wrong", c->name);
	if (c->letters >= 0 &&
	    json_is_true(json_object_get(f->evidence, "letters_required")) != c->letters)
		fail_msg("%s: letters_required wrong", c->name);
	if (c->mechanism != NULL) {
		v = json_object_get(f->evidence, "mechanism");
		if (v == NULL || strcmp(json_string_value(v), c->mechanism) != 0)
			fail_msg("%s: mechanism %s, expected %s", c->name,
			    v ? json_string_value(v) : "-", c->mechanism);
	}
	if (c->remedy != NULL && (f->remediation == NULL || strcmp(f->remediation, c->remedy) != 0))
		fail_msg("%s: remediation %s, expected %s", c->name,
		    f->remediation ? f->remediation : "-", c->remedy);
	/* Every message the finding names exists, for the notifier. */
	if (f->reason != NULL)
		assert_non_null(check_msg_text(&check_account_password_quality, f->reason));
	if (f->remediation != NULL)
		assert_non_null(check_msg_text(&check_account_password_quality, f->remediation));
}

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct qcase *c = &cases[i];
		struct check_result r;
		size_t want = c->subject2 ? 2 : 1;

		run_case(c, NULL, &r);
		check_finding(c, &r, c->subject);
		if (c->subject2)
			check_finding(c, &r, c->subject2);
		/* One finding per stack judged. */
		if (r.n != want)
			fail_msg("%s: %zu findings, expected %zu", c->name, r.n, want);
		result_free(&r);
	}
}

/* What the person reads for the commonest failure. */
static void
test_too_short_message(void **state)
{
	const struct qcase *c = NULL;
	const struct finding *f;
	struct check_result r;
	char out[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(cases[i].name, "minlen = 6") == 0)
			c = &cases[i];
	assert_non_null(c);
	run_case(c, NULL, &r);
	f = tu_finding(&r, "/etc/pam.d/common-password");
	assert_non_null(f);
	render_msg(check_msg_text(&check_account_password_quality, f->reason), f->subject,
	    f->evidence, out, sizeof(out));
	assert_string_equal(out,
	    "New passwords may be as short as 6 characters; the policy asks for at least 8.");
	render_msg(check_msg_text(&check_account_password_quality, f->remediation), f->subject,
	    f->evidence, out, sizeof(out));
	assert_non_null(strstr(out, "`minlen = 8`"));
	assert_non_null(strstr(out, "/etc/pam.d/common-password"));
	result_free(&r);
}

/* The file libpwquality stopped reading is named, so it can be fixed. */
static void
test_refused_line_is_named(void **state)
{
	const struct qcase *c = NULL;
	const struct finding *f;
	struct check_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strncmp(cases[i].name, "a line libpwquality refuses", 27) == 0)
			c = &cases[i];
	assert_non_null(c);
	run_case(c, NULL, &r);
	f = tu_finding(&r, "/etc/pam.d/common-password");
	assert_non_null(f);
	assert_string_equal(json_string_value(json_object_get(f->evidence, "settings_ignored_after")),
	    "/etc/security/pwquality.conf");
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "settings_ignored_line")), 3);
	result_free(&r);
}

/* The policy, not the code, holds the 8: a stricter policy fails the
 * machine that passes the default one. */
static void
test_policy_min_length_decides(void **state)
{
	static const char policy[] = "{ \"password\": { \"min_length\": 12 } }";
	const struct qcase *c = &cases[0];
	const struct finding *f;
	struct check_result r;

	(void)state;
	run_case(c, policy, &r);
	f = tu_finding(&r, "/etc/pam.d/common-password");
	assert_non_null(f);
	assert_int_equal(f->verdict, V_FAIL);
	assert_string_equal(f->reason, "too_short");
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "min")), 12);
	result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_too_short_message),
		cmocka_unit_test(test_refused_line_is_named),
		cmocka_unit_test(test_policy_min_length_decides),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
