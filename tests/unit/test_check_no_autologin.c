/* account.no_autologin: machine trees with GDM, LightDM, SDDM and getty
 * settings as each distribution ships them and as an administrator (or a
 * kiosk how-to) changes them; the verdict must be what the program would
 * actually do. */
#include "testutil.h"
#include <fcntl.h>

extern const struct check_def check_account_no_autologin;

#define STANDARD_GETTY \
	"[Unit]\nDescription=Getty on %I\n[Service]\n" \
	"ExecStart=-/sbin/agetty -o '-p -- \\\\u' --noclear - $TERM\nType=idle\n"

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

struct file {
	const char *path, *text;
};

struct want {
	const char *subject;
	enum verdict v;
	const char *reason;
};

struct tcase {
	const char *what;
	const char *pkgs;		/* installed packages; NULL: not a dpkg system */
	struct file files[6];
	struct want want[4];
	enum verdict overall;
	size_t n_findings;
};

static const struct tcase cases[] = {
	{ "nothing installed: the console asks for a password", NULL, { { NULL, NULL } },
	  { { "system", V_PASS, "console_password" } }, V_PASS, 1 },
	{ "GDM installed with no settings file keeps its default", "gdm3", { { NULL, NULL } },
	  { { "gdm", V_PASS, "dm_defaults" } }, V_PASS, 1 },
	{ "Debian GDM, automatic login on (GDM reads True in any case)", "gdm3",
	  { { "etc/gdm3/daemon.conf", "[daemon]\nAutomaticLoginEnable=True\nAutomaticLogin=alice\n" } },
	  { { "/etc/gdm3/daemon.conf", V_FAIL, "gdm_autologin" } }, V_FAIL, 1 },
	{ "Fedora GDM, enabled but nobody named: no login", NULL,
	  { { "usr/sbin/gdm", "" },
	    { "etc/gdm/custom.conf", "[daemon]\nAutomaticLoginEnable=true\nAutomaticLogin=\n" } },
	  { { "/etc/gdm/custom.conf", V_PASS, NULL } }, V_PASS, 1 },
	{ "Ubuntu GDM, timed login", "gdm3",
	  { { "etc/gdm3/custom.conf",
	      "# GDM configuration storage\n[daemon]\nTimedLoginEnable = true\nTimedLogin = bob\nTimedLoginDelay = 10\n" } },
	  { { "/etc/gdm3/custom.conf", V_FAIL, "gdm_timed_login" } }, V_FAIL, 1 },
	{ "GDM ignores what follows a line GLib refuses", "gdm3",
	  { { "etc/gdm3/daemon.conf", "[daemon]\nnot a setting\nAutomaticLoginEnable=true\nAutomaticLogin=alice\n" } },
	  { { "/etc/gdm3/daemon.conf", V_PASS, NULL } }, V_PASS, 1 },
	{ "GDM 'yes' is no boolean to GDM", "gdm3",
	  { { "etc/gdm3/daemon.conf", "[daemon]\nAutomaticLoginEnable=yes\nAutomaticLogin=alice\n" } },
	  { { "/etc/gdm3/daemon.conf", V_PASS, NULL } }, V_PASS, 1 },
	{ "GDM removed, its conffile left behind", "lightdm-gtk-greeter",
	  { { "etc/gdm3/daemon.conf", "[daemon]\nAutomaticLoginEnable=true\nAutomaticLogin=alice\n" } },
	  { { "gdm", V_NOT_APPLICABLE, "dm_not_installed" }, { "system", V_PASS, "console_password" } },
	  V_PASS, 2 },
	{ "LightDM installed with no settings file keeps its default", "lightdm", { { NULL, NULL } },
	  { { "lightdm", V_PASS, "dm_defaults" } }, V_PASS, 1 },
	{ "LightDM: a later conf.d folder turns off what a vendor file turned on", "lightdm",
	  { { "usr/share/lightdm/lightdm.conf.d/60-kiosk.conf", "[Seat:*]\nautologin-user=alice\n" },
	    { "etc/lightdm/lightdm.conf.d/90-mamori.conf", "[Seat:*]\nautologin-user=\n" } },
	  { { "lightdm", V_PASS, NULL } }, V_PASS, 1 },
	{ "LightDM: lightdm.conf ([SeatDefaults], the old name) turns on what conf.d turned off", "lightdm",
	  { { "usr/share/lightdm/lightdm.conf.d/50-off.conf", "[Seat:*]\nautologin-user=\n" },
	    { "etc/lightdm/lightdm.conf.d/50-off.conf", "[Seat:*]\nautologin-user=\n" },
	    { "etc/lightdm/lightdm.conf", "[SeatDefaults]\nautologin-user=kiosk\n" } },
	  { { "lightdm", V_FAIL, "lightdm_autologin" } }, V_FAIL, 1 },
	{ "LightDM: names in one folder are read in sorted order", "lightdm",
	  { { "etc/lightdm/lightdm.conf.d/20-off.conf", "[Seat:*]\nautologin-user=\n" },
	    { "etc/lightdm/lightdm.conf.d/10-on.conf", "[Seat:*]\nautologin-user=alice\n" } },
	  { { "lightdm", V_PASS, NULL } }, V_PASS, 1 },
	{ "LightDM: /etc/xdg is read after /usr/local/share", "lightdm",
	  { { "etc/xdg/lightdm/lightdm.conf.d/10-on.conf", "[Seat:*]\nautologin-user=alice\n" },
	    { "usr/local/share/lightdm/lightdm.conf.d/90-off.conf", "[Seat:*]\nautologin-user=\n" } },
	  { { "lightdm", V_FAIL, "lightdm_autologin" } }, V_FAIL, 1 },
	{ "LightDM: only *.conf names are read", "lightdm",
	  { { "etc/lightdm/lightdm.conf.d/autologin.conf.disabled", "[Seat:*]\nautologin-user=alice\n" } },
	  { { "lightdm", V_PASS, "dm_defaults" } }, V_PASS, 1 },
	{ "LightDM skips a file GLib will not load, whole", "lightdm",
	  { { "etc/lightdm/lightdm.conf.d/99-broken.conf", "autologin-user=alice\n[Seat:*]\nautologin-user=alice\n" } },
	  { { "lightdm", V_PASS, NULL } }, V_PASS, 1 },
	{ "LightDM: [Seat:seat0] overrides [Seat:*]", "lightdm",
	  { { "etc/lightdm/lightdm.conf", "[Seat:*]\nautologin-user=\n[Seat:seat0]\nautologin-user=alice\n" } },
	  { { "lightdm", V_FAIL, "lightdm_autologin" } }, V_FAIL, 1 },
	{ "LightDM: a second seat of its own", "lightdm",
	  { { "etc/lightdm/lightdm.conf", "[Seat:seat1]\nautologin-user=alice\n" } },
	  { { "lightdm", V_PASS, NULL }, { "lightdm:seat1", V_FAIL, "lightdm_autologin" } }, V_FAIL, 2 },
	{ "LightDM: timed login", "lightdm",
	  { { "etc/lightdm/lightdm.conf", "[Seat:*]\nautologin-user=alice\nautologin-user-timeout=30\n" } },
	  { { "lightdm", V_FAIL, "lightdm_timed_login" } }, V_FAIL, 1 },
	{ "LightDM: guest autologin", "lightdm",
	  { { "etc/lightdm/lightdm.conf", "[Seat:*]\nautologin-guest=true\n" } },
	  { { "lightdm", V_FAIL, "lightdm_autologin_guest" } }, V_FAIL, 1 },
	{ "SDDM: the user's file overrides the vendor default", "sddm",
	  { { "usr/lib/sddm/sddm.conf.d/default.conf", "[Autologin]\nRelogin=false\nSession=\nUser=\n" },
	    { "etc/sddm.conf.d/kde_settings.conf", "[Autologin]\nSession=plasma\nUser=alice # kiosk\n" } },
	  { { "sddm", V_FAIL, "sddm_autologin" } }, V_FAIL, 1 },
	{ "SDDM: /etc/sddm.conf is read last", "sddm",
	  { { "etc/sddm.conf.d/kde_settings.conf", "[Autologin]\nUser=alice\n" },
	    { "etc/sddm.conf", "[Autologin]\nUser=\n" } },
	  { { "sddm", V_PASS, NULL } }, V_PASS, 1 },
	{ "getty: a drop-in with --autologin on tty1", NULL,
	  { { "usr/lib/systemd/system/getty@.service", STANDARD_GETTY },
	    { "etc/systemd/system/getty@tty1.service.d/override.conf",
	      "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin alice --noclear %I $TERM\n" } },
	  { { "getty@tty1", V_FAIL, "getty_autologin" } }, V_FAIL, 1 },
	{ "getty: -a in a cluster of short options", NULL,
	  { { "usr/lib/systemd/system/getty@.service", STANDARD_GETTY },
	    { "etc/systemd/system/getty@tty3.service.d/autologin.conf",
	      "[Service]\nExecStart=\nExecStart=-/sbin/agetty -8a alice %I 38400 linux\n" } },
	  { { "getty@tty3", V_FAIL, "getty_autologin" } }, V_FAIL, 1 },
	{ "getty: -o's value is not an option", NULL,
	  { { "usr/lib/systemd/system/getty@.service", STANDARD_GETTY },
	    { "etc/systemd/system/getty@tty1.service.d/noclear.conf",
	      "[Service]\nExecStart=\nExecStart=-/sbin/agetty -o '-a x' --noclear %I $TERM\nTTYVTDisallocate=no\n" } },
	  { { "getty@tty1", V_PASS, NULL } }, V_PASS, 1 },
	{ "getty: the template's drop-in reaches every console", NULL,
	  { { "lib/systemd/system/getty@.service", STANDARD_GETTY },
	    { "etc/systemd/system/getty@.service.d/autologin.conf",
	      "[Service]\nExecStart=\nExecStart=-/sbin/agetty \\\n  --autologin alice --noclear %I $TERM\n" } },
	  { { "getty@*", V_FAIL, "getty_autologin_all" } }, V_FAIL, 1 },
	{ "getty: a later drop-in clears the autologin", NULL,
	  { { "usr/lib/systemd/system/getty@.service", STANDARD_GETTY },
	    { "etc/systemd/system/getty@tty1.service.d/10-auto.conf",
	      "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin alice %I $TERM\n" },
	    { "etc/systemd/system/getty@tty1.service.d/20-plain.conf",
	      "[Service]\nExecStart=\nExecStart=-/sbin/agetty --noclear %I $TERM\n" } },
	  { { "getty@tty1", V_PASS, NULL } }, V_PASS, 1 },
	{ "getty: a whole unit of its own for tty2", NULL,
	  { { "usr/lib/systemd/system/getty@.service", STANDARD_GETTY },
	    { "etc/systemd/system/getty@tty2.service",
	      "[Service]\nExecStart=-/sbin/agetty --autologin=alice %I $TERM\n" } },
	  { { "getty@tty2", V_FAIL, "getty_autologin" } }, V_FAIL, 1 },
	{ "getty: an autologin outside [Service] does nothing", NULL,
	  { { "usr/lib/systemd/system/getty@.service", STANDARD_GETTY },
	    { "etc/systemd/system/getty@tty1.service.d/x.conf",
	      "[Unit]\nExecStart=-/sbin/agetty --autologin alice %I\n" } },
	  { { "getty@tty1", V_PASS, NULL } }, V_PASS, 1 },
	{ "serial console autologin", NULL,
	  { { "usr/lib/systemd/system/serial-getty@.service", STANDARD_GETTY },
	    { "etc/systemd/system/serial-getty@ttyS0.service.d/override.conf",
	      "[Service]\nExecStart=\nExecStart=-/sbin/agetty -a root -L 115200 %I vt102\n" } },
	  { { "serial-getty@ttyS0", V_FAIL, "getty_autologin" } }, V_FAIL, 1 },
};

static void
run_case(const struct tcase *c, struct check_result *r, struct policy *p, char **rootp)
{
	char *root = tu_mkroot();
	struct people pp;

	if (c->pkgs != NULL)
		tu_write(root, "var/lib/dpkg/status", dpkg_status(c->pkgs));
	for (size_t i = 0; i < sizeof(c->files) / sizeof(c->files[0]) && c->files[i].path; i++)
		tu_write(root, c->files[i].path, c->files[i].text);
	tu_run(&check_account_no_autologin, root, p, 1795000000, r, &pp);
	people_free(&pp);
	*rootp = root;
}

static void
test_cases(void **state)
{
	struct policy p;

	(void)state;
	tu_policy(&p);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct tcase *c = &cases[k];
		struct check_result r;
		char *root;

		run_case(c, &r, &p, &root);
		if (r.n != c->n_findings) {
			for (size_t i = 0; i < r.n; i++)
				print_message("  %s: %s %s\n", r.f[i].subject,
				    verdict_name(r.f[i].verdict), r.f[i].reason ? r.f[i].reason : "-");
			fail_msg("%s: %zu findings, expected %zu", c->what, r.n, c->n_findings);
		}
		for (size_t i = 0; i < sizeof(c->want) / sizeof(c->want[0]) && c->want[i].subject; i++) {
			const struct finding *f = tu_finding(&r, c->want[i].subject);
			if (f == NULL)
				fail_msg("%s: no finding for %s", c->what, c->want[i].subject);
			if (f->verdict != c->want[i].v ||
			    (c->want[i].reason == NULL) != (f->reason == NULL) ||
			    (f->reason != NULL && strcmp(f->reason, c->want[i].reason) != 0))
				fail_msg("%s: %s is %s/%s, expected %s/%s", c->what, f->subject,
				    verdict_name(f->verdict), f->reason ? f->reason : "-",
				    verdict_name(c->want[i].v),
				    c->want[i].reason ? c->want[i].reason : "-");
		}
		if (result_verdict(&r) != c->overall)
			fail_msg("%s: check is %s, expected %s", c->what,
			    verdict_name(result_verdict(&r)), verdict_name(c->overall));
		result_free(&r);
		tu_rmroot(root);
	}
	policy_free(&p);
}

static char *
evidence_text(const struct finding *f)
{
	char *s = json_dumps(f->evidence, JSON_SORT_KEYS | JSON_COMPACT);
	assert_non_null(s);
	return s;
}

/* What travels: the display manager, the file, and the login name only
 * while the policy lets names travel; never a getty command line. */
static void
test_evidence_and_privacy(void **state)
{
	static const struct tcase gdm = { "gdm", "gdm3",
	    { { "etc/gdm3/daemon.conf", "[daemon]\nAutomaticLoginEnable=true\nAutomaticLogin=alice\n" },
	      { "usr/lib/systemd/system/getty@.service", STANDARD_GETTY },
	      { "etc/systemd/system/getty@tty1.service.d/override.conf",
		"[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin alice --noclear %I $TERM\n" } },
	    { { NULL, 0, NULL } }, V_FAIL, 2 };
	struct policy p;
	struct check_result r;
	const struct finding *f;
	char *root, *ev;

	(void)state;
	tu_policy(&p);
	run_case(&gdm, &r, &p, &root);
	f = tu_finding(&r, "/etc/gdm3/daemon.conf");
	assert_non_null(f);
	ev = evidence_text(f);
	assert_string_equal(ev, "{\"display_manager\":\"gdm\",\"mode\":\"automatic\",\"user\":\"alice\"}");
	free(ev);
	assert_string_equal(f->remediation, "fix_gdm");
	f = tu_finding(&r, "getty@tty1");
	assert_non_null(f);
	ev = evidence_text(f);
	assert_string_equal(ev, "{\"file\":\"/etc/systemd/system/getty@tty1.service.d/override.conf\","
	    "\"terminal\":\"tty1\",\"unit\":\"getty@tty1.service\"}");
	free(ev);
	result_free(&r);
	tu_rmroot(root);

	p.privacy.account_names = NAMES_HASHED;
	run_case(&gdm, &r, &p, &root);
	f = tu_finding(&r, "/etc/gdm3/daemon.conf");
	ev = evidence_text(f);
	assert_null(strstr(ev, "alice"));
	free(ev);
	result_free(&r);
	tu_rmroot(root);
	policy_free(&p);
}

/* Each remediation and reason names a message of the check, and each
 * message renders without a hole left open. */
static void
test_messages_exist(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		for (size_t i = 0; i < 4 && cases[k].want[i].subject; i++)
			if (cases[k].want[i].reason != NULL)
				assert_non_null(check_msg_text(&check_account_no_autologin,
				    cases[k].want[i].reason));
	assert_non_null(check_msg_text(&check_account_no_autologin, "fix_lightdm"));
	assert_non_null(check_msg_text(&check_account_no_autologin, "fix_sddm"));
	assert_non_null(check_msg_text(&check_account_no_autologin, "fix_getty"));
}

/* Files that may not be read safely make the answer unknown, never pass. */
static void
test_unreadable_settings_are_unknown(void **state)
{
	struct policy p;
	struct check_result r;
	struct people pp;
	char *root = tu_mkroot();
	char path[4200], target[4200];

	(void)state;
	tu_policy(&p);
	tu_write(root, "var/lib/dpkg/status", dpkg_status("gdm3 lightdm sddm"));
	/* A planted link: LightDM would follow it, mamori does not. */
	tu_write(root, "home/alice/on.conf", "[Seat:*]\nautologin-user=alice\n");
	tu_mkdirs(root, "etc/lightdm/lightdm.conf.d");
	snprintf(path, sizeof(path), "%s/etc/lightdm/lightdm.conf.d/50-user.conf", root);
	snprintf(target, sizeof(target), "%s/home/alice/on.conf", root);
	assert_int_equal(symlink(target, path), 0);
	/* A FIFO would hang a naive reader. */
	snprintf(path, sizeof(path), "%s/etc/sddm.conf", root);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* Binary garbage where GDM's settings belong. */
	tu_write(root, "etc/gdm3/daemon.conf", "\x7f" "ELF\x02\x01\x01");
	tu_run(&check_account_no_autologin, root, &p, 1795000000, &r, &pp);
	people_free(&pp);
	tu_assert_finding(&r, "/etc/lightdm/lightdm.conf.d/50-user.conf", V_UNKNOWN, "file_symlink");
	tu_assert_finding(&r, "/etc/sddm.conf", V_UNKNOWN, "file_not_regular");
	tu_assert_finding(&r, "/etc/gdm3/daemon.conf", V_UNKNOWN, "parse_error");
	/* No pass is claimed for a display manager whose files were not all read. */
	assert_null(tu_finding(&r, "lightdm"));
	assert_null(tu_finding(&r, "sddm"));
	assert_null(tu_finding(&r, "system"));
	assert_int_equal(result_verdict(&r), V_UNKNOWN);
	result_free(&r);
	tu_rmroot(root);
	policy_free(&p);
}

/* A symlinked drop-in folder or unit: not followed, unknown. */
static void
test_symlinked_getty_override_is_unknown(void **state)
{
	struct policy p;
	struct check_result r;
	struct people pp;
	char *root = tu_mkroot();
	char path[4200];

	(void)state;
	tu_policy(&p);
	tu_write(root, "usr/lib/systemd/system/getty@.service", STANDARD_GETTY);
	tu_mkdirs(root, "etc/systemd/system");
	snprintf(path, sizeof(path), "%s/etc/systemd/system/getty@tty1.service", root);
	assert_int_equal(symlink("/dev/null", path), 0);
	tu_run(&check_account_no_autologin, root, &p, 1795000000, &r, &pp);
	people_free(&pp);
	tu_assert_finding(&r, "/etc/systemd/system/getty@tty1.service", V_UNKNOWN, "file_symlink");
	assert_int_equal(result_verdict(&r), V_UNKNOWN);
	result_free(&r);
	tu_rmroot(root);
	policy_free(&p);
}

/* Regression: on a merged-/usr system /lib, /bin and /sbin are links into
 * /usr; reading the distribution's units must not turn into unknown. */
static void
test_merged_usr_links_are_not_unknown(void **state)
{
	struct policy p;
	struct check_result r;
	struct people pp;
	char *root = tu_mkroot();
	char path[4200];

	(void)state;
	tu_policy(&p);
	tu_write(root, "usr/lib/systemd/system/getty@.service", STANDARD_GETTY);
	tu_write(root, "usr/lib/systemd/system/getty@.service.d/vendor.conf", "[Unit]\n");
	tu_write(root, "etc/systemd/system/getty@tty1.service.d/override.conf",
	    "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin alice %I $TERM\n");
	tu_mkdirs(root, "usr/sbin");
	for (size_t i = 0; i < 3; i++) {
		static const char *const links[][2] = {
			{ "lib", "usr/lib" }, { "sbin", "usr/sbin" }, { "bin", "usr/bin" },
		};
		snprintf(path, sizeof(path), "%s/%s", root, links[i][0]);
		assert_int_equal(symlink(links[i][1], path), 0);
	}
	tu_run(&check_account_no_autologin, root, &p, 1795000000, &r, &pp);
	people_free(&pp);
	for (size_t i = 0; i < r.n; i++)
		if (r.f[i].verdict == V_UNKNOWN)
			fail_msg("unknown for %s (%s)", r.f[i].subject, r.f[i].reason);
	tu_assert_finding(&r, "getty@tty1", V_FAIL, "getty_autologin");
	tu_assert_finding(&r, "getty@*", V_PASS, NULL);
	result_free(&r);
	tu_rmroot(root);
	policy_free(&p);
}

/* An administrator's unit folder that is a link is not followed. */
static void
test_symlinked_unit_folder_is_unknown(void **state)
{
	struct policy p;
	struct check_result r;
	struct people pp;
	char *root = tu_mkroot();
	char path[4200];

	(void)state;
	tu_policy(&p);
	tu_write(root, "usr/lib/systemd/system/getty@.service", STANDARD_GETTY);
	tu_write(root, "home/alice/units/getty@tty1.service.d/override.conf",
	    "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin alice %I $TERM\n");
	tu_mkdirs(root, "etc/systemd");
	snprintf(path, sizeof(path), "%s/etc/systemd/system", root);
	assert_int_equal(symlink("../home/alice/units", path), 0);
	tu_run(&check_account_no_autologin, root, &p, 1795000000, &r, &pp);
	people_free(&pp);
	tu_assert_finding(&r, "/etc/systemd/system", V_UNKNOWN, "file_symlink");
	assert_int_equal(result_verdict(&r), V_UNKNOWN);
	result_free(&r);
	tu_rmroot(root);
	policy_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_evidence_and_privacy),
		cmocka_unit_test(test_messages_exist),
		cmocka_unit_test(test_unreadable_settings_are_unknown),
		cmocka_unit_test(test_symlinked_getty_override_is_unknown),
		cmocka_unit_test(test_merged_usr_links_are_not_unknown),
		cmocka_unit_test(test_symlinked_unit_folder_is_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
