/* pam: service files parsed as libpam's pam_line.c/pam_misc.c read them,
 * stacks loaded as pam_handlers.c builds them, and the walk that follows
 * pam_dispatch.c to every place a new password gets stored. */
#include <sys/stat.h>
#include "testutil.h"
#include "platform/pam.h"

/* ---- parsing ------------------------------------------------------------- */

static void
parse_ok(const char *text, struct pam_file *f)
{
	struct mm_err e;

	if (pam_parse(text, strlen(text), f, &e) != 0)
		fail_msg("parse failed: %s", e.msg);
}

static void
test_parse_debian_common_password(void **state)
{
	/* Debian 12 with libpam-pwquality, as pam-auth-update writes it. */
	static const char text[] =
	    "#\n# /etc/pam.d/common-password - password-related modules\n#\n"
	    "# here are the per-package modules (the \"Primary\" block)\n"
	    "password\trequisite\t\t\tpam_pwquality.so retry=3\n"
	    "password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt\n"
	    "# here's the fallback if no module succeeds\n"
	    "password\trequisite\t\t\tpam_deny.so\n"
	    "password\trequired\t\t\tpam_permit.so\n"
	    "# and here are more per-package modules (the \"Additional\" block)\n"
	    "password\toptional\tpam_gnome_keyring.so \n";
	struct pam_file f;
	const struct pam_line *l;

	(void)state;
	parse_ok(text, &f);
	assert_int_equal(f.n, 5);
	l = &f.v[0];
	assert_int_equal(l->lineno, 5);
	assert_int_equal(l->type, PAM_TYPE_PASSWORD);
	assert_string_equal(l->control, "requisite");
	assert_string_equal(l->module, "pam_pwquality.so");
	assert_int_equal(l->argc, 1);
	assert_string_equal(l->argv[0], "retry=3");
	assert_int_equal(l->actions[PAM_RET_SUCCESS], PAM_ACT_OK);
	assert_int_equal(l->actions[PAM_RET_IGNORE], PAM_ACT_IGNORE);
	assert_int_equal(l->actions[PAM_RET_AUTHTOK_ERR], PAM_ACT_DIE);
	/* The jump: success skips one rule, anything else is ignored. */
	l = &f.v[1];
	assert_string_equal(l->control, "success=1 default=ignore");
	assert_false(l->control_error);
	assert_int_equal(l->actions[PAM_RET_SUCCESS], 1);
	assert_int_equal(l->actions[PAM_RET_AUTHTOK_ERR], PAM_ACT_IGNORE);
	assert_int_equal(l->argc, 4);
	assert_string_equal(l->argv[3], "yescrypt");
	assert_int_equal(f.v[4].argc, 0);
	pam_file_free(&f);
}

struct ctl_case {
	const char *control;
	int success, authtok_err, ignore, error;
};

static const struct ctl_case ctl_cases[] = {
	{ "required", PAM_ACT_OK, PAM_ACT_BAD, PAM_ACT_IGNORE, 0 },
	{ "REQUISITE", PAM_ACT_OK, PAM_ACT_DIE, PAM_ACT_IGNORE, 0 },
	{ "optional", PAM_ACT_OK, PAM_ACT_IGNORE, PAM_ACT_IGNORE, 0 },
	{ "sufficient", PAM_ACT_DONE, PAM_ACT_IGNORE, PAM_ACT_IGNORE, 0 },
	{ "[success=2 default=ignore]", 2, PAM_ACT_IGNORE, PAM_ACT_IGNORE, 0 },
	/* unset values default to bad, as libpam sets them */
	{ "[success=ok]", PAM_ACT_OK, PAM_ACT_BAD, PAM_ACT_BAD, 0 },
	{ "[success=done ignore=ignore default=die]", PAM_ACT_DONE, PAM_ACT_DIE, PAM_ACT_IGNORE, 0 },
	{ "[ success = 1  authtok_err = reset ]", 1, PAM_ACT_RESET, PAM_ACT_BAD, 0 },
	/* libpam refuses these and makes every action bad */
	{ "[success=maybe]", PAM_ACT_BAD, PAM_ACT_BAD, PAM_ACT_BAD, 1 },
	{ "[success=0]", PAM_ACT_BAD, PAM_ACT_BAD, PAM_ACT_BAD, 1 },
	{ "[sucess=1]", PAM_ACT_BAD, PAM_ACT_BAD, PAM_ACT_BAD, 1 },
	{ "[success=99999999999]", PAM_ACT_BAD, PAM_ACT_BAD, PAM_ACT_BAD, 1 },
	{ "whenever", PAM_ACT_BAD, PAM_ACT_BAD, PAM_ACT_BAD, 1 },
};

static void
test_parse_controls(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ctl_cases) / sizeof(ctl_cases[0]); i++) {
		const struct ctl_case *c = &ctl_cases[i];
		char text[256];
		struct pam_file f;

		snprintf(text, sizeof(text), "password %s pam_unix.so\n", c->control);
		parse_ok(text, &f);
		assert_int_equal(f.n, 1);
		if (f.v[0].actions[PAM_RET_SUCCESS] != c->success ||
		    f.v[0].actions[PAM_RET_AUTHTOK_ERR] != c->authtok_err ||
		    f.v[0].actions[PAM_RET_IGNORE] != c->ignore ||
		    f.v[0].control_error != c->error)
			fail_msg("%s: success %d authtok_err %d ignore %d error %d", c->control,
			    f.v[0].actions[PAM_RET_SUCCESS], f.v[0].actions[PAM_RET_AUTHTOK_ERR],
			    f.v[0].actions[PAM_RET_IGNORE], f.v[0].control_error);
		pam_file_free(&f);
	}
}

static void
test_parse_syntax_corners(void **state)
{
	static const char text[] =
	    "password required \\\n"
	    "    pam_pwquality.so minlen=8 \\\n"
	    "\tdcredit=-1   # the rest is a comment \\\n"
	    "password required pam_unix.so use_authtok\n"
	    "# a comment ending in a backslash does not continue \\\n"
	    "-password optional pam_gnome_keyring.so\n"
	    "@include common-password\n"
	    "Password Sufficient pam_exec.so [quiet expose_authtok] /bin/true\n"
	    "password\n"
	    "password required\n"
	    "pasword required pam_unix.so\n";
	struct pam_file f;

	(void)state;
	parse_ok(text, &f);
	assert_int_equal(f.n, 8);
	/* three physical lines, one rule */
	assert_int_equal(f.v[0].lineno, 1);
	assert_string_equal(f.v[0].module, "pam_pwquality.so");
	assert_int_equal(f.v[0].argc, 2);
	assert_string_equal(f.v[0].argv[1], "dcredit=-1");
	assert_string_equal(f.v[1].module, "pam_unix.so");
	assert_int_equal(f.v[1].lineno, 4);
	/* "-" only silences libpam's log when the module is missing */
	assert_true(f.v[2].silent);
	assert_int_equal(f.v[2].type, PAM_TYPE_PASSWORD);
	assert_true(f.v[3].at_include);
	assert_string_equal(f.v[3].module, "common-password");
	/* case-insensitive words; "[...]" is one argument */
	assert_int_equal(f.v[4].type, PAM_TYPE_PASSWORD);
	assert_int_equal(f.v[4].actions[PAM_RET_SUCCESS], PAM_ACT_DONE);
	assert_int_equal(f.v[4].argc, 2);
	assert_string_equal(f.v[4].argv[0], "quiet expose_authtok");
	/* broken rules: no control, no module, unknown type */
	assert_int_equal(f.v[5].ctl, PAM_CTL_MISSING);
	assert_null(f.v[6].module);
	assert_int_equal(f.v[7].type, PAM_TYPE_INVALID);
	pam_file_free(&f);
}

static void
test_parse_refuses_binary_and_dangling_continuation(void **state)
{
	/* A gzip header where a PAM file should be. */
	static const char gz[] = "\x1f\x8b\x08\0\0\0\0\0\0\x03password required pam_unix.so\n";
	static const char dangling[] = "password required pam_unix.so \\\n";
	struct pam_file f;
	struct mm_err e;

	(void)state;
	assert_int_equal(pam_parse(gz, sizeof(gz) - 1, &f, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	assert_int_equal(f.n, 0);
	assert_int_equal(pam_parse(dangling, strlen(dangling), &f, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	assert_int_equal(pam_parse("", 0, &f, &e), 0);
	assert_int_equal(f.n, 0);
}

/* ---- loading ---------------------------------------------------------------- */

static enum file_status
load(const char *rootdir, const char *service, struct pam_stack *s, struct mm_err *e)
{
	struct root r;
	enum file_status st;

	assert_int_equal(root_open(&r, rootdir, 0, e), 0);
	st = pam_stack_load(&r, service, PAM_TYPE_PASSWORD, s, e);
	root_close(&r);
	if (st == FILE_BAD) {
		/* No rules, but the files met so far, the bad one last. */
		assert_int_equal(s->n, 0);
		pam_stack_free(s);
	}
	return st;
}

static void
test_load_debian_include(void **state)
{
	char *root = tu_mkroot();
	struct pam_stack s;
	struct mm_err e;

	(void)state;
	tu_write(root, "etc/pam.d/passwd",
	    "# The PAM configuration file for the Shadow `passwd' service\n"
	    "@include common-password\n");
	tu_write(root, "etc/pam.d/common-password",
	    "password requisite pam_pwquality.so retry=3\n"
	    "auth required pam_unix.so\n"
	    "password [success=1 default=ignore] pam_unix.so obscure use_authtok try_first_pass yescrypt\n"
	    "password requisite pam_deny.so\n"
	    "password required pam_permit.so\n");
	assert_int_equal(load(root, "passwd", &s, &e), FILE_OK);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.nfiles, 2);
	assert_string_equal(s.files[0], "/etc/pam.d/passwd");
	assert_string_equal(s.files[1], "/etc/pam.d/common-password");
	assert_string_equal(s.v[0].module, "pam_pwquality");
	assert_int_equal(s.v[0].file, 1);
	assert_int_equal(s.v[0].lineno, 1);
	assert_string_equal(s.v[1].module, "pam_unix");
	assert_int_equal(s.v[1].lineno, 3);
	assert_int_equal(pam_role_of(&s.v[0]), PAM_ROLE_CHECKER);
	assert_int_equal(pam_role_of(&s.v[1]), PAM_ROLE_WRITER);
	assert_int_equal(pam_role_of(&s.v[2]), PAM_ROLE_NEUTRAL);
	pam_stack_free(&s);
	tu_rmroot(root);
}

static void
test_load_rhel_substack_and_module_paths(void **state)
{
	char *root = tu_mkroot();
	struct pam_stack s;
	struct mm_err e;

	(void)state;
	tu_write(root, "etc/pam.d/passwd",
	    "auth       include      system-auth\n"
	    "password   substack     system-auth\n"
	    "-password   optional    pam_gnome_keyring.so use_authtok\n"
	    "password   substack     postlogin\n");
	tu_write(root, "etc/pam.d/system-auth",
	    "password    requisite                                    pam_pwquality.so local_users_only\n"
	    "password    sufficient                                   /usr/lib64/security/pam_unix.so yescrypt shadow use_authtok\n"
	    "password    required                                     pam_deny.so\n");
	/* postlogin has no password rules: an empty substack */
	tu_write(root, "etc/pam.d/postlogin", "session optional pam_lastlog.so silent\n");
	assert_int_equal(load(root, "passwd", &s, &e), FILE_OK);
	assert_int_equal(s.n, 6);
	assert_int_equal(s.v[0].kind, PAM_ENTRY_SUBSTACK);
	assert_int_equal(s.v[0].level, 0);
	assert_int_equal(s.v[1].level, 1);
	assert_string_equal(s.v[2].module, "pam_unix");	/* path and .so stripped */
	assert_int_equal(s.v[4].level, 0);
	assert_true(s.v[4].silent);
	assert_int_equal(s.v[5].kind, PAM_ENTRY_SUBSTACK);
	pam_stack_free(&s);
	tu_rmroot(root);
}

static void
test_load_missing_include_fails_that_rule(void **state)
{
	char *root = tu_mkroot();
	struct pam_stack s;
	struct mm_err e;

	(void)state;
	tu_write(root, "etc/pam.d/passwd",
	    "password include common-password-local\n"
	    "password required pam_unix.so\n");
	assert_int_equal(load(root, "passwd", &s, &e), FILE_OK);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.v[0].kind, PAM_ENTRY_MUST_FAIL);
	assert_int_equal(s.v[0].actions[PAM_RET_SUCCESS], PAM_ACT_BAD);
	pam_stack_free(&s);
	assert_int_equal(load(root, "chpasswd", &s, &e), FILE_ABSENT);
	tu_rmroot(root);
}

static void
test_load_vendor_dir_fallback(void **state)
{
	char *root = tu_mkroot();
	struct pam_stack s;
	struct mm_err e;

	(void)state;
	tu_write(root, "usr/lib/pam.d/passwd", "password include common-password\n");
	tu_write(root, "etc/pam.d/common-password", "password required pam_unix.so\n");
	assert_int_equal(load(root, "passwd", &s, &e), FILE_OK);
	assert_string_equal(s.files[0], "/usr/lib/pam.d/passwd");
	assert_int_equal(s.n, 1);
	pam_stack_free(&s);
	tu_rmroot(root);
}

static void
test_load_include_loops(void **state)
{
	char *root = tu_mkroot();
	struct pam_stack s;
	struct mm_err e;
	char name[32], text[64];

	(void)state;
	/* directly */
	tu_write(root, "etc/pam.d/passwd", "@include passwd\n");
	assert_int_equal(load(root, "passwd", &s, &e), FILE_BAD);
	assert_string_equal(e.reason, "include_loop");
	/* through another file, with include and substack */
	tu_write(root, "etc/pam.d/passwd", "password include common-password\n");
	tu_write(root, "etc/pam.d/common-password", "password substack passwd\n");
	assert_int_equal(load(root, "passwd", &s, &e), FILE_BAD);
	assert_string_equal(e.reason, "include_loop");
	assert_non_null(strstr(e.msg, "/etc/pam.d/common-password"));
	/* 16 files deep is what libpam allows; 17 is not */
	for (int i = 1; i <= 16; i++) {
		snprintf(name, sizeof(name), "etc/pam.d/c%d", i);
		snprintf(text, sizeof(text), "password include c%d\n", i + 1);
		tu_write(root, name, text);
	}
	tu_write(root, "etc/pam.d/c16", "password required pam_unix.so\n");
	assert_int_equal(load(root, "c1", &s, &e), FILE_OK);
	assert_int_equal(s.n, 1);
	pam_stack_free(&s);
	tu_write(root, "etc/pam.d/c16", "password include c17\n");
	tu_write(root, "etc/pam.d/c17", "password required pam_unix.so\n");
	assert_int_equal(load(root, "c1", &s, &e), FILE_BAD);
	assert_string_equal(e.reason, "include_loop");
	tu_rmroot(root);
}

static void
test_load_unsafe_files(void **state)
{
	char *root = tu_mkroot();
	char path[4096];
	struct pam_stack s;
	struct mm_err e;

	(void)state;
	tu_write(root, "etc/pam.d/passwd", "@include common-password\n");
	snprintf(path, sizeof(path), "%s/etc/pam.d/common-password", root);

	/* a FIFO would block a reader forever */
	assert_int_equal(mkfifo(path, 0644), 0);
	assert_int_equal(load(root, "passwd", &s, &e), FILE_BAD);
	assert_string_equal(e.reason, "file_not_regular");
	assert_int_equal(unlink(path), 0);

	/* a symlink is never followed */
	tu_write(root, "etc/pam.d/common-password.real", "password required pam_unix.so\n");
	assert_int_equal(symlink("common-password.real", path), 0);
	assert_int_equal(load(root, "passwd", &s, &e), FILE_BAD);
	assert_string_equal(e.reason, "file_symlink");
	assert_int_equal(unlink(path), 0);

	/* binary garbage, named with its file */
	tu_write(root, "etc/pam.d/common-password", "password required pam_unix.so\n\x01\x02\xff\n");
	assert_int_equal(load(root, "passwd", &s, &e), FILE_BAD);
	assert_string_equal(e.reason, "parse_error");
	assert_non_null(strstr(e.msg, "/etc/pam.d/common-password"));
	tu_rmroot(root);
}

/* ---- the walk ------------------------------------------------------------------ */

/* Loads text as /etc/pam.d/passwd, walks it, and describes each write as
 * "MODULE:MASK" sorted, e.g. "pam_unix:1 pam_unix:0". */
static void
walk_text(const char *text, char *out, size_t outlen)
{
	char *root = tu_mkroot();
	struct pam_stack s;
	struct pam_walk w;
	struct mm_err e;
	enum pam_role *roles;
	char items[16][48];
	size_t n = 0;

	tu_write(root, "etc/pam.d/passwd", text);
	if (load(root, "passwd", &s, &e) != FILE_OK)
		fail_msg("load: %s", e.msg);
	roles = calloc(s.n + 1, sizeof(*roles));
	assert_non_null(roles);
	for (size_t i = 0; i < s.n; i++)
		roles[i] = pam_role_of(&s.v[i]);
	if (pam_walk(&s, roles, &w, &e) != 0)
		fail_msg("walk: %s", e.msg);
	for (size_t i = 0; i < w.n && n < 16; i++, n++)
		snprintf(items[n], sizeof(items[n]), "%s:%u", s.v[w.w[i].writer].module,
		    (unsigned)w.w[i].checked);
	qsort(items, n, sizeof(items[0]), (int (*)(const void *, const void *))strcmp);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strncat(out, items[i], outlen - strlen(out) - 1);
		if (i + 1 < n)
			strncat(out, " ", outlen - strlen(out) - 1);
	}
	pam_walk_free(&w);
	free(roles);
	pam_stack_free(&s);
	tu_rmroot(root);
}

struct walk_case {
	const char *name;
	const char *text;
	const char *writes;	/* every (writer, checks passed); "" = never stored */
};

static const struct walk_case walk_cases[] = {
	{ "debian with pwquality: only checked passwords are stored",
	  "password requisite pam_pwquality.so retry=3\n"
	  "password [success=1 default=ignore] pam_unix.so obscure use_authtok try_first_pass yescrypt\n"
	  "password requisite pam_deny.so\n"
	  "password required pam_permit.so\n"
	  "password optional pam_gnome_keyring.so\n",
	  "pam_unix:1" },
	{ "debian without pwquality",
	  "password [success=1 default=ignore] pam_unix.so obscure yescrypt\n"
	  "password requisite pam_deny.so\n"
	  "password required pam_permit.so\n",
	  "pam_unix:0" },
	{ "[success=2 default=ignore] pam_unix first: stores before any check",
	  "password [success=2 default=ignore] pam_unix.so obscure yescrypt\n"
	  "password requisite pam_pwquality.so\n"
	  "password [success=1 default=ignore] pam_unix.so use_authtok\n"
	  "password requisite pam_deny.so\n"
	  "password required pam_permit.so\n",
	  "pam_unix:0 pam_unix:1" },
	{ "a jump over the check to a pam_unix that asks anew",
	  "password [success=1 default=ignore] pam_succeed_if.so uid >= 1000\n"
	  "password requisite pam_pwquality.so\n"
	  "password required pam_unix.so try_first_pass\n",
	  "pam_unix:0 pam_unix:1" },
	{ "a jump over the check to a pam_unix with use_authtok stores nothing unchecked",
	  "password [success=1 default=ignore] pam_succeed_if.so uid >= 1000\n"
	  "password requisite pam_pwquality.so\n"
	  "password required pam_unix.so use_authtok\n",
	  "pam_unix:1" },
	{ "optional check, use_authtok: a refused password is unset, so not stored",
	  "password optional pam_pwquality.so\n"
	  "password required pam_unix.so use_authtok\n",
	  "pam_unix:1" },
	{ "optional check, try_first_pass: pam_unix asks again after a refusal",
	  "password optional pam_pwquality.so\n"
	  "password required pam_unix.so try_first_pass\n",
	  "pam_unix:0 pam_unix:1" },
	{ "required check, pam_unix without options asks anew",
	  "password required pam_pwquality.so\n"
	  "password required pam_unix.so\n",
	  "pam_unix:0" },
	{ "sufficient pam_sss before the check",
	  "password sufficient pam_sss.so\n"
	  "password requisite pam_pwquality.so\n"
	  "password sufficient pam_unix.so use_authtok\n"
	  "password required pam_deny.so\n",
	  "pam_sss:0 pam_unix:1" },
	{ "pam_pwhistory asking anew after a refusal feeds pam_unix an unchecked password",
	  "password optional pam_pwquality.so\n"
	  "password required pam_pwhistory.so remember=5\n"
	  "password required pam_unix.so use_authtok\n",
	  "pam_unix:0 pam_unix:1" },
	{ "fedora: pam_systemd_home takes the checked password",
	  "password    requisite                                    pam_pwquality.so local_users_only\n"
	  "-password   [success=1 default=ignore]                   pam_systemd_home.so\n"
	  "password    sufficient                                   pam_unix.so yescrypt shadow nullok use_authtok\n"
	  "password    [success=1 default=ignore]                   pam_sss.so use_authtok\n"
	  "password    required                                     pam_deny.so\n",
	  "pam_sss:1 pam_systemd_home:1 pam_unix:1" },
	{ "two checks in a row: both apply",
	  "password requisite pam_pwquality.so\n"
	  "password requisite pam_cracklib.so\n"
	  "password required pam_unix.so use_authtok\n",
	  "pam_unix:3" },
	{ "a jump past the end fails the stack but pam_unix already ran",
	  "password required pam_unix.so\n"
	  "password [default=5] pam_permit.so\n",
	  "pam_unix:0" },
	{ "pam_permit always jumps: the check is never reached",
	  "password [success=1 default=ignore] pam_permit.so\n"
	  "password requisite pam_pwquality.so\n"
	  "password required pam_unix.so try_first_pass\n",
	  "pam_unix:0" },
	{ "only pam_deny: nothing is ever stored",
	  "password required pam_deny.so\n",
	  "" },
	{ "a missing include fails its rule; bad does not stop the stack",
	  "password include nowhere\n"
	  "password required pam_unix.so\n",
	  "pam_unix:0" },
};

static void
test_walk_table(void **state)
{
	char got[512];

	(void)state;
	for (size_t i = 0; i < sizeof(walk_cases) / sizeof(walk_cases[0]); i++) {
		const struct walk_case *c = &walk_cases[i];

		walk_text(c->text, got, sizeof(got));
		if (strcmp(got, c->writes) != 0)
			fail_msg("%s: stored as \"%s\", expected \"%s\"", c->name, got, c->writes);
	}
}

/* Substack rules need the file; walk_text only writes passwd. */
static void
test_walk_substack_file(void **state)
{
	char *root = tu_mkroot();
	struct pam_stack s;
	struct pam_walk w;
	struct mm_err e;
	enum pam_role roles[8];

	(void)state;
	tu_write(root, "etc/pam.d/passwd",
	    "password substack system-auth\n"
	    "password optional pam_unix.so\n");
	tu_write(root, "etc/pam.d/system-auth",
	    "password requisite pam_pwquality.so\n"
	    "password sufficient pam_unix.so use_authtok\n"
	    "password required pam_deny.so\n");
	assert_int_equal(load(root, "passwd", &s, &e), FILE_OK);
	assert_int_equal(s.n, 5);
	for (size_t i = 0; i < s.n; i++)
		roles[i] = pam_role_of(&s.v[i]);
	assert_int_equal(pam_walk(&s, roles, &w, &e), 0);
	/* The die in the substack returns to passwd, whose own pam_unix then
	 * asks for a new password that nothing checks. */
	assert_int_equal(w.ncheckers, 1);
	assert_int_equal(w.checker[0], 1);
	assert_int_equal(w.n, 2);
	for (size_t i = 0; i < w.n; i++)
		if (w.w[i].writer == 4)
			assert_int_equal(w.w[i].checked, 0);
		else
			assert_int_equal(w.w[i].checked, 1);
	pam_walk_free(&w);
	pam_stack_free(&s);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_debian_common_password),
		cmocka_unit_test(test_parse_controls),
		cmocka_unit_test(test_parse_syntax_corners),
		cmocka_unit_test(test_parse_refuses_binary_and_dangling_continuation),
		cmocka_unit_test(test_load_debian_include),
		cmocka_unit_test(test_load_rhel_substack_and_module_paths),
		cmocka_unit_test(test_load_missing_include_fails_that_rule),
		cmocka_unit_test(test_load_vendor_dir_fallback),
		cmocka_unit_test(test_load_include_loops),
		cmocka_unit_test(test_load_unsafe_files),
		cmocka_unit_test(test_walk_table),
		cmocka_unit_test(test_walk_substack_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
