/* test_check_browser_saving: article 16-4 — no browser profile offers to
 * save passwords. Each case is a small machine: the files a browser, its
 * administrator and its user leave, and the verdict the browser's own
 * precedence gives (a managed policy over the person's choice, a locked
 * pref over user.js), with what is planted (FIFO, symlink, broken JSON)
 * giving unknown and never a hang. */
#include <signal.h>
#include "testutil.h"
#include "common/render.h"

extern const struct check_def check_browser_password_saving_off;

#define PASSWD \
	"root:x:0:0:root:/root:/bin/bash\n" \
	"alice:x:1000:1000::/home/alice:/bin/bash\n" \
	"bob:x:1001:1001::/home/bob:/bin/bash\n"

#define CHROME "home/alice/.config/google-chrome"
#define FF "home/alice/.mozilla/firefox"
#define FF_INI "[Profile0]\nName=default\nIsRelative=1\nPath=p.default\nDefault=1\n"
#define FF_PREFS FF "/p.default/prefs.js"
#define FF_USERJS FF "/p.default/user.js"
#define UP_OFF "user_pref(\"signon.rememberSignons\", false);\n"
#define UP_ON "user_pref(\"signon.rememberSignons\", true);\n"
#define PM_OFF "{\"PasswordManagerEnabled\": false}"
#define PM_ON "{\"PasswordManagerEnabled\": true}"
#define FFPOL_OFF "{\"policies\": {\"PasswordManagerEnabled\": false}}"
#define PREF_OFF "{\"credentials_enable_service\": false}"
#define PREF_ON "{\"credentials_enable_service\": true}"

/* text: file content, or "@dir", "@fifo", "@link=TARGET", "@shift13=TEXT"
 * (TEXT with every byte raised by 13, as an obscured autoconfig file). */
struct file {
	const char *path, *text;
};

struct want {
	const char *browser, *profile;
	enum verdict v;
	const char *reason;	/* NULL: a plain pass */
	const char *source;	/* NULL: not checked */
};

static const struct {
	const char *what;
	struct file files[8];
	enum verdict verdict;
	size_t n;
	struct want w[3];
} cases[] = {
	{ "not_applicable: no browser on the machine", { { NULL, NULL } },
	  V_NOT_APPLICABLE, 1, { { NULL, NULL, V_NOT_APPLICABLE, "no_browser", NULL } } },
	{ "not_applicable: Firefox installed, nobody has used it",
	  { { "usr/lib/firefox", "@dir" } },
	  V_NOT_APPLICABLE, 1, { { NULL, NULL, V_NOT_APPLICABLE, "no_browser_profiles", NULL } } },

	/* Chromium family */
	{ "fail: a Chrome profile nobody configured saves by default",
	  { { CHROME "/Default", "@dir" } },
	  V_FAIL, 1, { { "chrome", "Default", V_FAIL, "saving_on_default", "default" } } },
	{ "pass: the person turned saving off", { { CHROME "/Default/Preferences", PREF_OFF } },
	  V_PASS, 1, { { "chrome", "Default", V_PASS, NULL, "preference" } } },
	{ "fail: the person turned saving on", { { CHROME "/Default/Preferences", PREF_ON } },
	  V_FAIL, 1, { { "chrome", "Default", V_FAIL, "saving_on_user", "preference" } } },
	{ "pass: a managed policy outranks the person's choice",
	  { { CHROME "/Default/Preferences", PREF_ON },
	    { "etc/opt/chrome/policies/managed/mamori.json", PM_OFF } },
	  V_PASS, 1, { { "chrome", "Default", V_PASS, NULL, "policy" } } },
	{ "fail: a managed policy forcing saving on outranks the person's off",
	  { { CHROME "/Default/Preferences", PREF_OFF },
	    { "etc/opt/chrome/policies/managed/corp.json", PM_ON } },
	  V_FAIL, 1, { { "chrome", "Default", V_FAIL, "saving_on_system", "policy" } } },
	{ "pass: a recommended policy is the default when the person chose nothing",
	  { { CHROME "/Default/Preferences", "{}" },
	    { "etc/opt/chrome/policies/recommended/mamori.json", PM_OFF } },
	  V_PASS, 1, { { "chrome", "Default", V_PASS, NULL, "recommended_policy" } } },
	{ "fail: the person overrides a recommended policy",
	  { { CHROME "/Default/Preferences", PREF_ON },
	    { "etc/opt/chrome/policies/recommended/mamori.json", PM_OFF } },
	  V_FAIL, 1, { { "chrome", "Default", V_FAIL, "saving_on_user", "preference" } } },
	{ "fail: of two managed files the last by name wins (on)",
	  { { CHROME "/Default", "@dir" },
	    { "etc/opt/chrome/policies/managed/10-off.json", PM_OFF },
	    { "etc/opt/chrome/policies/managed/20-on.json", PM_ON } },
	  V_FAIL, 1, { { "chrome", "Default", V_FAIL, "saving_on_system", "policy" } } },
	{ "pass: of two managed files the last by name wins (off)",
	  { { CHROME "/Default", "@dir" },
	    { "etc/opt/chrome/policies/managed/10-on.json", PM_ON },
	    { "etc/opt/chrome/policies/managed/20-off.json", PM_OFF } },
	  V_PASS, 1, { { "chrome", "Default", V_PASS, NULL, "policy" } } },
	{ "pass: a policy file with comments and a trailing comma, as Chrome allows",
	  { { CHROME "/Default", "@dir" },
	    { "etc/opt/chrome/policies/managed/mamori.json",
	      "// article 16-4\n{\n  \"PasswordManagerEnabled\": false, /* off */\n}\n" } },
	  V_PASS, 1, { { "chrome", "Default", V_PASS, NULL, "policy" } } },
	{ "unknown: a broken managed policy file could be the one that decides",
	  { { CHROME "/Default/Preferences", PREF_OFF },
	    { "etc/opt/chrome/policies/managed/mamori.json", "{\"PasswordManagerEnabled\": fal" } },
	  V_UNKNOWN, 1, { { "chrome", "Default", V_UNKNOWN, "parse_error", NULL } } },
	{ "pass: a broken file before one that decides does not matter",
	  { { CHROME "/Default", "@dir" },
	    { "etc/opt/chrome/policies/managed/00-broken.json", "{" },
	    { "etc/opt/chrome/policies/managed/50-mamori.json", PM_OFF } },
	  V_PASS, 1, { { "chrome", "Default", V_PASS, NULL, "policy" } } },
	{ "unknown: Preferences is a FIFO (no hang)",
	  { { CHROME "/Default/Preferences", "@fifo" } },
	  V_UNKNOWN, 1, { { "chrome", "Default", V_UNKNOWN, "file_not_regular", NULL } } },
	{ "pass: a FIFO Preferences does not matter under a managed policy",
	  { { CHROME "/Default/Preferences", "@fifo" },
	    { "etc/opt/chrome/policies/managed/mamori.json", PM_OFF } },
	  V_PASS, 1, { { "chrome", "Default", V_PASS, NULL, "policy" } } },
	{ "unknown: Preferences is a symlink to someone else's file",
	  { { "home/bob/Preferences", PREF_OFF },
	    { CHROME "/Default/Preferences", "@link=/home/bob/Preferences" } },
	  V_UNKNOWN, 1, { { "chrome", "Default", V_UNKNOWN, "file_symlink", NULL } } },
	{ "unknown: a symlinked profile folder is not entered",
	  { { CHROME "/Default/Preferences", PREF_OFF },
	    { "tmp/planted/Preferences", PREF_OFF },
	    { CHROME "/Profile 1", "@link=/tmp/planted" } },
	  V_UNKNOWN, 2, {
		{ "chrome", "Default", V_PASS, NULL, "preference" },
		{ "chrome", "Profile 1", V_UNKNOWN, "file_symlink", NULL } } },
	{ "unknown: Preferences is not JSON",
	  { { CHROME "/Default/Preferences", "{\"credentials_enable_service\": " } },
	  V_UNKNOWN, 1, { { "chrome", "Default", V_UNKNOWN, "parse_error", NULL } } },
	{ "pass: the Chromium snap reads /etc/chromium-browser",
	  { { "home/alice/snap/chromium/common/chromium/Default", "@dir" },
	    { "etc/chromium-browser/policies/managed/mamori.json", PM_OFF } },
	  V_PASS, 1, { { "chromium", "Default", V_PASS, NULL, "policy" } } },
	{ "fail: /etc/chromium is not what the snap reads",
	  { { "home/alice/snap/chromium/common/chromium/Default", "@dir" },
	    { "etc/chromium/policies/managed/mamori.json", PM_OFF } },
	  V_FAIL, 1, { { "chromium", "Default", V_FAIL, "saving_on_default", "default" } } },
	{ "pass: Edge and Brave each read their own policy folder",
	  { { "home/alice/.config/microsoft-edge/Default", "@dir" },
	    { "home/alice/.config/BraveSoftware/Brave-Browser/Default", "@dir" },
	    { "etc/opt/edge/policies/managed/m.json", PM_OFF },
	    { "etc/brave/policies/managed/m.json", PM_OFF } },
	  V_PASS, 2, {
		{ "edge", "Default", V_PASS, NULL, "policy" },
		{ "brave", "Default", V_PASS, NULL, "policy" } } },

	/* Firefox */
	{ "fail: a Firefox profile nobody configured saves by default",
	  { { FF "/profiles.ini", FF_INI }, { FF "/p.default", "@dir" } },
	  V_FAIL, 1, { { "firefox", "p.default", V_FAIL, "saving_on_default", "default" } } },
	{ "pass: the person unticked “Ask to save passwords” (prefs.js)",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_OFF } },
	  V_PASS, 1, { { "firefox", "p.default", V_PASS, NULL, "user_prefs" } } },
	{ "fail: user.js is read after prefs.js",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_OFF }, { FF_USERJS, UP_ON } },
	  V_FAIL, 1, { { "firefox", "p.default", V_FAIL, "saving_on_user", "user_prefs" } } },
	{ "pass: /etc/firefox/policies locks it off over the person's prefs",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_ON },
	    { "etc/firefox/policies/policies.json", FFPOL_OFF } },
	  V_PASS, 1, { { "firefox", "p.default", V_PASS, NULL, "policy" } } },
	{ "pass: OfferToSaveLogins false locks it off too",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_ON },
	    { "etc/firefox/policies/policies.json", "{\"policies\": {\"OfferToSaveLogins\": false}}" } },
	  V_PASS, 1, { { "firefox", "p.default", V_PASS, NULL, "policy" } } },
	{ "fail: when /etc/firefox/policies exists the distribution file is not read",
	  { { FF "/profiles.ini", FF_INI }, { FF "/p.default", "@dir" },
	    { "etc/firefox/policies/policies.json", "{\"policies\": {\"DisableAppUpdate\": true}}" },
	    { "usr/lib/firefox/distribution/policies.json", FFPOL_OFF } },
	  V_FAIL, 1, { { "firefox", "p.default", V_FAIL, "saving_on_default", "default" } } },
	{ "pass: the installation's distribution/policies.json",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_ON },
	    { "usr/lib/firefox-esr/distribution/policies.json", FFPOL_OFF } },
	  V_PASS, 1, { { "firefox", "p.default", V_PASS, NULL, "policy" } } },
	{ "pass: a locked pref in Debian's /etc/firefox-esr outranks user_pref",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_ON },
	    { "usr/lib/firefox-esr", "@dir" },
	    { "etc/firefox-esr/firefox-esr.js",
	      "// Debian\npref(\"signon.rememberSignons\", false, locked);\n" } },
	  V_PASS, 1, { { "firefox", "p.default", V_PASS, NULL, "system_prefs" } } },
	{ "fail: lockPref is not pref-file syntax; Firefox skips it, so does mamori",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_ON },
	    { "usr/lib/firefox-esr", "@dir" },
	    { "etc/firefox-esr/firefox-esr.js", "lockPref(\"signon.rememberSignons\", false);\n" } },
	  V_FAIL, 1, { { "firefox", "p.default", V_FAIL, "saving_on_user", "user_prefs" } } },
	{ "pass: lockPref in an autoconfig file outranks user_pref",
	  { { FF "/profiles.ini", FF_INI }, { FF_USERJS, UP_ON },
	    { "usr/lib/firefox/defaults/pref/autoconfig.js",
	      "pref(\"general.config.filename\", \"mozilla.cfg\");\n"
	      "pref(\"general.config.obscure_value\", 0);\n" },
	    { "usr/lib/firefox/mozilla.cfg",
	      "// the first line is always skipped\nlockPref(\"signon.rememberSignons\", false);\n" } },
	  V_PASS, 1, { { "firefox", "p.default", V_PASS, NULL, "autoconfig" } } },
	{ "pass: an obscured autoconfig file (the default shift of 13)",
	  { { FF "/profiles.ini", FF_INI }, { FF_USERJS, UP_ON },
	    { "usr/lib/firefox/defaults/pref/autoconfig.js",
	      "pref(\"general.config.filename\", \"mamori.cfg\");\n" },
	    { "etc/firefox/mamori.cfg",
	      "@shift13=//\nlockPref(\"signon.rememberSignons\", false);\n" } },
	  V_PASS, 1, { { "firefox", "p.default", V_PASS, NULL, "autoconfig" } } },
	{ "fail: the autoconfig's first line is skipped, call and all",
	  { { FF "/profiles.ini", FF_INI }, { FF "/p.default", "@dir" },
	    { "usr/lib/firefox/defaults/pref/autoconfig.js",
	      "pref(\"general.config.filename\", \"mozilla.cfg\");\n"
	      "pref(\"general.config.obscure_value\", 0);\n" },
	    { "usr/lib/firefox/mozilla.cfg", "lockPref(\"signon.rememberSignons\", false);\n" } },
	  V_FAIL, 1, { { "firefox", "p.default", V_FAIL, "saving_on_default", "default" } } },
	{ "pass: OfferToSaveLoginsDefault false is the default when the person chose nothing",
	  { { FF "/profiles.ini", FF_INI }, { FF "/p.default", "@dir" },
	    { "etc/firefox/policies/policies.json",
	      "{\"policies\": {\"OfferToSaveLoginsDefault\": false}}" } },
	  V_PASS, 1, { { "firefox", "p.default", V_PASS, NULL, "policy_default" } } },
	{ "fail: the person overrides OfferToSaveLoginsDefault",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_ON },
	    { "etc/firefox/policies/policies.json",
	      "{\"policies\": {\"OfferToSaveLoginsDefault\": false}}" } },
	  V_FAIL, 1, { { "firefox", "p.default", V_FAIL, "saving_on_user", "user_prefs" } } },
	{ "unknown: a broken policies.json (Firefox would apply none of it)",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_OFF },
	    { "etc/firefox/policies/policies.json", "{\"policies\": {" } },
	  V_UNKNOWN, 1, { { "firefox", "p.default", V_UNKNOWN, "parse_error", NULL } } },
	{ "unknown: policies.json is a FIFO (no hang)",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_OFF },
	    { "etc/firefox/policies/policies.json", "@fifo" } },
	  V_UNKNOWN, 1, { { "firefox", "p.default", V_UNKNOWN, "file_not_regular", NULL } } },
	{ "unknown: prefs.js is a FIFO and nothing above it decides",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, "@fifo" } },
	  V_UNKNOWN, 1, { { "firefox", "p.default", V_UNKNOWN, "file_not_regular", NULL } } },
	{ "pass: a FIFO prefs.js does not matter under a locking policy",
	  { { FF "/profiles.ini", FF_INI }, { FF_PREFS, "@fifo" },
	    { "etc/firefox/policies/policies.json", FFPOL_OFF } },
	  V_PASS, 1, { { "firefox", "p.default", V_PASS, NULL, "policy" } } },
	{ "pass: the flatpak reads its systemconfig extension",
	  { { "home/alice/.var/app/org.mozilla.firefox/.mozilla/firefox/profiles.ini", FF_INI },
	    { "home/alice/.var/app/org.mozilla.firefox/.mozilla/firefox/p.default", "@dir" },
	    { "var/lib/flatpak/extension/org.mozilla.firefox.systemconfig/x86_64/stable/"
	      "policies/policies.json", FFPOL_OFF } },
	  V_PASS, 1, { { "firefox", "p.default", V_PASS, NULL, "policy" } } },
	{ "fail: the flatpak does not see /etc/firefox",
	  { { "home/alice/.var/app/org.mozilla.firefox/.mozilla/firefox/profiles.ini", FF_INI },
	    { "home/alice/.var/app/org.mozilla.firefox/.mozilla/firefox/p.default", "@dir" },
	    { "etc/firefox/policies/policies.json", FFPOL_OFF } },
	  V_FAIL, 1, { { "firefox", "p.default", V_FAIL, "saving_on_default", "default" } } },
	{ "fail: one of two installations would save (ESR locked off, the other not)",
	  { { FF "/profiles.ini", FF_INI }, { FF "/p.default", "@dir" },
	    { "usr/lib/firefox", "@dir" }, { "usr/lib/firefox-esr", "@dir" },
	    { "etc/firefox-esr/local.js", "pref(\"signon.rememberSignons\", false, locked);\n" } },
	  V_FAIL, 1, { { "firefox", "p.default", V_FAIL, "saving_on_default", "default" } } },
	{ "unknown: profiles.ini points outside the home folder",
	  { { FF "/profiles.ini",
	      "[Profile0]\nIsRelative=0\nPath=/home/bob/.mozilla/firefox/b.default\n" },
	    { "home/bob/.mozilla/firefox/b.default", "@dir" } },
	  V_UNKNOWN, 1, { { "firefox", NULL, V_UNKNOWN, "profile_outside_home", NULL } } },
	{ "both families, one person: each profile its own finding",
	  { { CHROME "/Default/Preferences", PREF_OFF },
	    { FF "/profiles.ini", FF_INI }, { FF_PREFS, UP_ON } },
	  V_FAIL, 2, {
		{ "chrome", "Default", V_PASS, NULL, "preference" },
		{ "firefox", "p.default", V_FAIL, "saving_on_user", "user_prefs" } } },
};

static void
place(const char *root, const struct file *f)
{
	char p[4200], dir[4200], *slash;

	snprintf(p, sizeof(p), "%s/%s", root, f->path);
	snprintf(dir, sizeof(dir), "%s", f->path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		tu_mkdirs(root, dir);
	}
	if (strcmp(f->text, "@dir") == 0)
		tu_mkdirs(root, f->path);
	else if (strcmp(f->text, "@fifo") == 0)
		assert_int_equal(mkfifo(p, 0644), 0);
	else if (strncmp(f->text, "@link=", 6) == 0)
		assert_int_equal(symlink(f->text + 6, p), 0);
	else if (strncmp(f->text, "@shift13=", 9) == 0) {
		char buf[1024];
		size_t n = strlen(f->text + 9);
		assert_true(n < sizeof(buf));
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)((unsigned char)f->text[9 + i] + 13);
		buf[n] = '\0';
		tu_write(root, f->path, buf);
	} else
		tu_write(root, f->path, f->text);
}

/* The finding for a browser's profile (NULL profile: one with none). */
static const struct finding *
finding_for(const struct check_result *r, const char *browser, const char *profile)
{
	for (size_t i = 0; i < r->n; i++) {
		json_t *b = json_object_get(r->f[i].evidence, "browser");
		json_t *p = json_object_get(r->f[i].evidence, "profile");

		if (browser == NULL) {
			if (b == NULL)
				return &r->f[i];
			continue;
		}
		if (b == NULL || strcmp(json_string_value(b), browser) != 0)
			continue;
		if ((profile == NULL && p == NULL) ||
		    (profile && p && strcmp(json_string_value(p), profile) == 0))
			return &r->f[i];
	}
	return NULL;
}

static void
test_cases(void **state)
{
	(void)state;
	alarm(60);	/* a FIFO that blocked would hang here: fail instead */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = tu_mkroot();
		struct check_result r;
		struct people pp;
		struct policy pol;

		tu_policy(&pol);
		tu_write(dir, "etc/passwd", PASSWD);
		tu_mkdirs(dir, "home/bob");
		for (size_t k = 0; k < 8 && cases[i].files[k].path != NULL; k++)
			place(dir, &cases[i].files[k]);
		tu_run(&check_browser_password_saving_off, dir, &pol, 0, &r, &pp);
		if (result_verdict(&r) != cases[i].verdict || r.n != cases[i].n)
			fail_msg("%s: verdict %s with %zu findings, want %s with %zu", cases[i].what,
			    verdict_name(result_verdict(&r)), r.n, verdict_name(cases[i].verdict),
			    cases[i].n);
		for (size_t k = 0; k < cases[i].n && k < 3; k++) {
			const struct want *w = &cases[i].w[k];
			const struct finding *f = finding_for(&r, w->browser, w->profile);
			json_t *src;

			if (f == NULL)
				fail_msg("%s: no finding for %s %s", cases[i].what,
				    w->browser ? w->browser : "(system)", w->profile ? w->profile : "");
			if (f->verdict != w->v || (w->reason == NULL) != (f->reason == NULL) ||
			    (w->reason && strcmp(w->reason, f->reason) != 0))
				fail_msg("%s: %s is %s (%s), want %s (%s)", cases[i].what,
				    w->profile ? w->profile : "-", verdict_name(f->verdict),
				    f->reason ? f->reason : "-", verdict_name(w->v),
				    w->reason ? w->reason : "-");
			/* the subject is the person, whose desktop needs fixing */
			assert_string_equal(f->subject, w->browser ? "alice" : "system");
			src = json_object_get(f->evidence, "source");
			if (w->source && (src == NULL || strcmp(json_string_value(src), w->source) != 0))
				fail_msg("%s: source %s, want %s", cases[i].what,
				    src ? json_string_value(src) : "(none)", w->source);
			if (f->verdict == V_FAIL) {
				const char *t = check_msg_text(&check_browser_password_saving_off,
				    f->remediation);
				assert_non_null(t);
				assert_non_null(check_msg_text(&check_browser_password_saving_off,
				    f->reason));
			}
			if (f->verdict == V_UNKNOWN)
				assert_non_null(check_msg_text(&check_browser_password_saving_off,
				    f->reason));
		}
		result_free(&r);
		people_free(&pp);
		policy_free(&pol);
		tu_rmroot(dir);
	}
	alarm(0);
}

/* A fail's message and remediation read as sentences with the evidence
 * filled in: the browser, the profile, where to put the policy. */
static void
test_messages(void **state)
{
	char *dir = tu_mkroot();
	struct check_result r;
	struct people pp;
	struct policy pol;
	const struct finding *f;
	char out[1024];

	(void)state;
	tu_policy(&pol);
	tu_write(dir, "etc/passwd", PASSWD);
	tu_write(dir, CHROME "/Default/Preferences", PREF_ON);
	tu_run(&check_browser_password_saving_off, dir, &pol, 0, &r, &pp);
	f = finding_for(&r, "chrome", "Default");
	assert_non_null(f);
	render_msg(check_msg_text(&check_browser_password_saving_off, f->reason), f->subject,
	    f->evidence, out, sizeof(out));
	assert_string_equal(out, "The Google Chrome profile “Default” offers to save passwords: its "
	    "own settings turn saving on.");
	render_msg(check_msg_text(&check_browser_password_saving_off, f->remediation),
	    f->subject, f->evidence, out, sizeof(out));
	assert_non_null(strstr(out, "/etc/opt/chrome/policies/managed/mamori.json"));
	assert_non_null(strstr(out, "{\"PasswordManagerEnabled\": false}"));
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
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
