/* test_browsers: every profile of every supported browser is found for a
 * person — packages, snaps, flatpaks, Firefox's old and XDG folders — and
 * what is planted to mislead (a symlinked profile, a profiles.ini pointing
 * outside the home folder or up with "..") is reported, never followed.
 * The stores are counted right, from files made with the real tools. */
#include <sqlite3.h>
#include "testutil.h"
#include "platform/browsers.h"

#define HOME "home/alice"

static struct person alice = { "alice", 1000, "/home/alice", PW_SET, 1, 19000, 60 };

static void
link_at(const char *root, const char *target, const char *rel)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static const struct browser_profile *
find(const struct browser_profiles *bp, enum browser_id b, enum browser_install in,
    const char *name)
{
	for (size_t i = 0; i < bp->n; i++)
		if (bp->v[i].browser == b && bp->v[i].install == in &&
		    ((name == NULL && bp->v[i].name == NULL) ||
		    (name && bp->v[i].name && strcmp(bp->v[i].name, name) == 0)))
			return &bp->v[i];
	return NULL;
}

static void
list(const char *dir, struct browser_profiles *bp)
{
	struct root r;
	struct mm_err e;

	assert_int_equal(root_open(&r, dir, 0, &e), 0);
	assert_int_equal(browsers_find_profiles(&r, &alice, bp, &e), 0);
	root_close(&r);
}

/* Chrome: Local State's names and the folders that look like profiles;
 * not the browser's own "System Profile", "Guest Profile" or caches. */
static void
test_chromium_profiles(void **state)
{
	char *dir = tu_mkroot();
	struct browser_profiles bp;
	const struct browser_profile *p;

	(void)state;
	tu_write(dir, HOME "/.config/google-chrome/Local State",
	    "{\"profile\": {\"info_cache\": {\"Default\": {}, \"Work\": {}, \"Gone\": {},"
	    " \"../../../etc\": {}}}}");
	tu_mkdirs(dir, HOME "/.config/google-chrome/Default");
	tu_mkdirs(dir, HOME "/.config/google-chrome/Work");
	tu_mkdirs(dir, HOME "/.config/google-chrome/Profile 3");
	tu_mkdirs(dir, HOME "/.config/google-chrome/System Profile");
	tu_mkdirs(dir, HOME "/.config/google-chrome/Guest Profile");
	tu_mkdirs(dir, HOME "/.config/google-chrome/Crashpad");
	tu_mkdirs(dir, "elsewhere");
	link_at(dir, "/elsewhere", HOME "/.config/google-chrome/Profile 2");
	tu_mkdirs(dir, HOME "/snap/chromium/common/chromium/Default");
	tu_mkdirs(dir, HOME "/.var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser/Default");
	tu_mkdirs(dir, HOME "/.config");
	link_at(dir, "/elsewhere", HOME "/.config/microsoft-edge");
	list(dir, &bp);

	assert_int_equal(bp.n, 7);
	p = find(&bp, BROWSER_CHROME, INSTALL_NATIVE, "Default");
	assert_non_null(p);
	assert_true(p->ok);
	assert_string_equal(p->dir, "/home/alice/.config/google-chrome/Default");
	assert_non_null(find(&bp, BROWSER_CHROME, INSTALL_NATIVE, "Work"));
	assert_non_null(find(&bp, BROWSER_CHROME, INSTALL_NATIVE, "Profile 3"));
	p = find(&bp, BROWSER_CHROME, INSTALL_NATIVE, "Profile 2");
	assert_non_null(p);
	assert_false(p->ok);
	assert_string_equal(p->err.reason, "file_symlink");
	p = find(&bp, BROWSER_CHROMIUM, INSTALL_SNAP, "Default");
	assert_non_null(p);
	assert_string_equal(p->dir, "/home/alice/snap/chromium/common/chromium/Default");
	assert_non_null(find(&bp, BROWSER_BRAVE, INSTALL_FLATPAK, "Default"));
	/* the whole Edge folder is a link: one unusable entry, no profile */
	p = find(&bp, BROWSER_EDGE, INSTALL_NATIVE, NULL);
	assert_non_null(p);
	assert_false(p->ok);
	assert_string_equal(p->err.reason, "file_symlink");
	browser_profiles_free(&bp);
	tu_rmroot(dir);
}

/* Firefox: profiles.ini's paths, relative and absolute, in the old folder,
 * the XDG one, the snap's and the flatpak's. */
static void
test_firefox_profiles(void **state)
{
	char *dir = tu_mkroot();
	struct browser_profiles bp;
	const struct browser_profile *p;

	(void)state;
	tu_write(dir, HOME "/.mozilla/firefox/profiles.ini",
	    "[Install4F96D1932A9F858E]\nDefault=ab12cd34.default-release\nLocked=1\n\n"
	    "[Profile1]\nName=default\nIsRelative=1\nPath=ef56gh78.default\nDefault=1\n\n"
	    "[Profile0]\nName=default-release\nIsRelative=1\nPath=ab12cd34.default-release\n\n"
	    "[Profile2]\nName=work\nIsRelative=0\nPath=/home/alice/ff-work\n\n"
	    "[Profile3]\nName=sneaky\nIsRelative=0\nPath=/home/bob/.mozilla/firefox/x.default\n\n"
	    "[Profile4]\nName=climber\nIsRelative=1\nPath=../../../../etc\n\n"
	    "[Profile5]\nName=stale\nIsRelative=1\nPath=deleted.profile\n\n"
	    "[General]\nStartWithLastProfile=1\nVersion=2\n");
	tu_mkdirs(dir, HOME "/.mozilla/firefox/ab12cd34.default-release");
	tu_mkdirs(dir, HOME "/.mozilla/firefox/ef56gh78.default");
	tu_mkdirs(dir, HOME "/ff-work");
	tu_write(dir, HOME "/.config/mozilla/firefox/profiles.ini",
	    "[Profile0]\nName=xdg\nIsRelative=1\nPath=Profiles/xyz.default-release\n");
	tu_mkdirs(dir, HOME "/.config/mozilla/firefox/Profiles/xyz.default-release");
	tu_write(dir, HOME "/snap/firefox/common/.mozilla/firefox/profiles.ini",
	    "[Profile0]\nName=default\nIsRelative=1\nPath=snap1.default\n");
	tu_mkdirs(dir, HOME "/snap/firefox/common/.mozilla/firefox/snap1.default");
	tu_write(dir, HOME "/.var/app/org.mozilla.firefox/.mozilla/firefox/profiles.ini",
	    "[Profile0]\nName=default\nIsRelative=1\nPath=flat1.default\n");
	tu_mkdirs(dir, HOME "/.var/app/org.mozilla.firefox/.mozilla/firefox/flat1.default");
	tu_mkdirs(dir, "home/bob/.mozilla/firefox/x.default");
	list(dir, &bp);

	p = find(&bp, BROWSER_FIREFOX, INSTALL_NATIVE, "ab12cd34.default-release");
	assert_non_null(p);
	assert_true(p->ok);
	assert_string_equal(p->dir, "/home/alice/.mozilla/firefox/ab12cd34.default-release");
	assert_non_null(find(&bp, BROWSER_FIREFOX, INSTALL_NATIVE, "ef56gh78.default"));
	p = find(&bp, BROWSER_FIREFOX, INSTALL_NATIVE, "ff-work");
	assert_non_null(p);
	assert_string_equal(p->dir, "/home/alice/ff-work");
	p = find(&bp, BROWSER_FIREFOX, INSTALL_NATIVE, "xyz.default-release");
	assert_non_null(p);
	assert_string_equal(p->dir,
	    "/home/alice/.config/mozilla/firefox/Profiles/xyz.default-release");
	assert_non_null(find(&bp, BROWSER_FIREFOX, INSTALL_SNAP, "snap1.default"));
	assert_non_null(find(&bp, BROWSER_FIREFOX, INSTALL_FLATPAK, "flat1.default"));
	/* bob's profile and the climb out are refused, the stale one skipped */
	assert_null(find(&bp, BROWSER_FIREFOX, INSTALL_NATIVE, "x.default"));
	assert_null(find(&bp, BROWSER_FIREFOX, INSTALL_NATIVE, "deleted.profile"));
	{
		int outside = 0, climb = 0;
		for (size_t i = 0; i < bp.n; i++) {
			if (bp.v[i].ok)
				continue;
			if (strcmp(bp.v[i].err.reason, "profile_outside_home") == 0)
				outside++;
			if (strcmp(bp.v[i].err.reason, "path_invalid") == 0)
				climb++;
		}
		assert_int_equal(outside, 1);
		assert_int_equal(climb, 1);
	}
	assert_int_equal(bp.n, 8);
	browser_profiles_free(&bp);
	tu_rmroot(dir);
}

/* A profiles.ini that is a link, or binary, makes one unusable entry; a
 * symlinked Firefox profile folder is not entered. */
static void
test_firefox_hostile(void **state)
{
	char *dir = tu_mkroot();
	struct browser_profiles bp;
	const struct browser_profile *p;

	(void)state;
	tu_write(dir, "etc/real.ini", "[Profile0]\nIsRelative=1\nPath=a\n");
	tu_mkdirs(dir, HOME "/.mozilla/firefox");
	link_at(dir, "/etc/real.ini", HOME "/.mozilla/firefox/profiles.ini");
	tu_write(dir, HOME "/.config/mozilla/firefox/profiles.ini",
	    "[Profile0]\nIsRelative=1\nPath=linked\n");
	tu_mkdirs(dir, "etc/x");
	link_at(dir, "/etc/x", HOME "/.config/mozilla/firefox/linked");
	tu_write(dir, HOME "/snap/firefox/common/.mozilla/firefox/profiles.ini",
	    "[Profile0]\n\x01\x02\x7f" "ELF\n");
	list(dir, &bp);
	assert_int_equal(bp.n, 3);
	p = find(&bp, BROWSER_FIREFOX, INSTALL_NATIVE, NULL);
	assert_non_null(p);
	assert_string_equal(p->err.reason, "file_symlink");
	p = find(&bp, BROWSER_FIREFOX, INSTALL_NATIVE, "linked");
	assert_non_null(p);
	assert_false(p->ok);
	assert_string_equal(p->err.reason, "file_symlink");
	p = find(&bp, BROWSER_FIREFOX, INSTALL_SNAP, NULL);
	assert_non_null(p);
	assert_string_equal(p->err.reason, "parse_error");
	browser_profiles_free(&bp);
	tu_rmroot(dir);
}

/* Every snap and flatpak install of each browser has its profile folder
 * listed, and its policy folder where the package reads one: a browser
 * that counts as installed must never have profiles that are not read. */
static const struct {
	enum browser_id b;
	enum browser_install in;
	const char *profile;	/* under the home folder */
	const char *policy;	/* the policy folder, NULL: none */
} install_places[] = {
	{ BROWSER_CHROME, INSTALL_FLATPAK,
	  ".var/app/com.google.Chrome/config/google-chrome/Default", "/etc/opt/chrome/policies" },
	{ BROWSER_CHROMIUM, INSTALL_SNAP,
	  "snap/chromium/common/chromium/Default", "/etc/chromium-browser/policies" },
	/* its policy folders are flatpak extensions, none installed here */
	{ BROWSER_CHROMIUM, INSTALL_FLATPAK,
	  ".var/app/org.chromium.Chromium/config/chromium/Default", NULL },
	{ BROWSER_EDGE, INSTALL_FLATPAK,
	  ".var/app/com.microsoft.Edge/config/microsoft-edge/Default", "/etc/opt/edge/policies" },
	{ BROWSER_BRAVE, INSTALL_SNAP,
	  "snap/brave/512/.config/BraveSoftware/Brave-Browser/Default", NULL },
	{ BROWSER_BRAVE, INSTALL_FLATPAK,
	  ".var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser/Default",
	  "/etc/brave/policies" },
};

static void
test_snap_and_flatpak_places(void **state)
{
	char *dir = tu_mkroot();
	struct browser_profiles bp;
	const struct browser_profile *p;
	struct root r;
	struct mm_err e;
	char rel[512];
	size_t n_inst = sizeof(install_places) / sizeof(install_places[0]);

	(void)state;
	for (size_t i = 0; i < n_inst; i++) {
		snprintf(rel, sizeof(rel), HOME "/%s", install_places[i].profile);
		tu_mkdirs(dir, rel);
	}
	/* snapd's "current" names the revision in use; an older revision's
	 * copy beside it is not what the browser opens. */
	link_at(dir, "512", HOME "/snap/brave/current");
	tu_mkdirs(dir, HOME "/snap/brave/511/.config/BraveSoftware/Brave-Browser/Profile 1");
	/* a Brave that follows the snap's BRAVE_CONFIG_HOME keeps them in common/ */
	tu_mkdirs(dir, HOME "/snap/brave/common/BraveSoftware/Brave-Browser/Profile 2");
	tu_write(dir, HOME "/snap/firefox/common/.mozilla/firefox/profiles.ini",
	    "[Profile0]\nIsRelative=1\nPath=s.default\n");
	tu_mkdirs(dir, HOME "/snap/firefox/common/.mozilla/firefox/s.default");
	tu_write(dir, HOME "/.var/app/org.mozilla.firefox/.mozilla/firefox/profiles.ini",
	    "[Profile0]\nIsRelative=1\nPath=f.default\n");
	tu_mkdirs(dir, HOME "/.var/app/org.mozilla.firefox/.mozilla/firefox/f.default");
	list(dir, &bp);

	assert_int_equal(bp.n, n_inst + 3);
	assert_int_equal(root_open(&r, dir, 0, &e), 0);
	for (size_t i = 0; i < n_inst; i++) {
		char want[512], **dirs;
		size_t n;

		p = find(&bp, install_places[i].b, install_places[i].in, "Default");
		if (p == NULL)
			fail_msg("no profile of %s %s", browser_name(install_places[i].b),
			    browser_install_name(install_places[i].in));
		assert_true(p->ok);
		snprintf(want, sizeof(want), "/home/alice/%s", install_places[i].profile);
		assert_string_equal(p->dir, want);
		assert_int_equal(browsers_chromium_policy_dirs(&r, p, &dirs, &n, &e), 0);
		if (install_places[i].policy == NULL)
			assert_int_equal(n, 0);
		else {
			assert_int_equal(n, 1);
			assert_string_equal(dirs[0], install_places[i].policy);
		}
		browser_free_paths(dirs, n);
	}
	root_close(&r);
	assert_null(find(&bp, BROWSER_BRAVE, INSTALL_SNAP, "Profile 1"));
	p = find(&bp, BROWSER_BRAVE, INSTALL_SNAP, "Profile 2");
	assert_non_null(p);
	assert_string_equal(p->dir, "/home/alice/snap/brave/common/BraveSoftware/Brave-Browser/Profile 2");
	assert_non_null(find(&bp, BROWSER_FIREFOX, INSTALL_SNAP, "s.default"));
	assert_non_null(find(&bp, BROWSER_FIREFOX, INSTALL_FLATPAK, "f.default"));
	browser_profiles_free(&bp);
	tu_rmroot(dir);
}

/* The snap's "current" is resolved by hand, and only to a revision folder
 * beside it: a link planted to lead elsewhere is refused and reported. A
 * "current" that is a real folder is read as it is. */
static void
test_snap_current_hostile(void **state)
{
	static const char *const targets[] = { "../../../../etc", "/etc", ".." };
	struct browser_profiles bp;
	const struct browser_profile *p;

	(void)state;
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char *dir = tu_mkroot();

		tu_mkdirs(dir, "etc/.config/BraveSoftware/Brave-Browser/Default");
		tu_mkdirs(dir, HOME "/snap/brave");
		link_at(dir, targets[i], HOME "/snap/brave/current");
		list(dir, &bp);
		assert_int_equal(bp.n, 1);
		p = find(&bp, BROWSER_BRAVE, INSTALL_SNAP, NULL);
		assert_non_null(p);
		assert_false(p->ok);
		assert_string_equal(p->err.reason, "file_symlink");
		browser_profiles_free(&bp);
		tu_rmroot(dir);
	}
	{
		char *dir = tu_mkroot();

		tu_mkdirs(dir, HOME "/snap/brave/current/.config/BraveSoftware/Brave-Browser/Default");
		list(dir, &bp);
		p = find(&bp, BROWSER_BRAVE, INSTALL_SNAP, "Default");
		assert_non_null(p);
		assert_true(p->ok);
		browser_profiles_free(&bp);
		/* a whole snap folder that is a link is refused, not skipped */
		tu_rmroot(dir);
		dir = tu_mkroot();
		tu_mkdirs(dir, "elsewhere/current/.config/BraveSoftware/Brave-Browser/Default");
		tu_mkdirs(dir, HOME "/snap");
		link_at(dir, "/elsewhere", HOME "/snap/brave");
		list(dir, &bp);
		p = find(&bp, BROWSER_BRAVE, INSTALL_SNAP, NULL);
		assert_non_null(p);
		assert_string_equal(p->err.reason, "file_symlink");
		browser_profiles_free(&bp);
		tu_rmroot(dir);
	}
}

/* Nobody home: nothing, and no error. */
static void
test_no_browser(void **state)
{
	char *dir = tu_mkroot();
	struct browser_profiles bp;
	struct root r;
	struct mm_err e;

	(void)state;
	tu_mkdirs(dir, HOME);
	list(dir, &bp);
	assert_int_equal(bp.n, 0);
	browser_profiles_free(&bp);
	assert_int_equal(root_open(&r, dir, 0, &e), 0);
	assert_false(browsers_any_installed(&r));
	tu_mkdirs(dir, "usr/lib/firefox-esr");
	assert_true(browsers_any_installed(&r));
	root_close(&r);
	tu_rmroot(dir);
}

/* Where each installation takes its settings from. */
static void
test_configs(void **state)
{
	char *dir = tu_mkroot();
	struct browser_profile p;
	struct firefox_config *c;
	char **dirs;
	size_t n;
	struct root r;
	struct mm_err e;

	(void)state;
	tu_mkdirs(dir, "usr/lib/firefox-esr");
	tu_mkdirs(dir, "var/lib/flatpak/extension/org.mozilla.firefox.systemconfig/x86_64/stable");
	tu_mkdirs(dir, "var/lib/flatpak/extension/org.chromium.Chromium.Policy.corp/x86_64/1/policies");
	tu_mkdirs(dir, "var/lib/flatpak/extension/org.chromium.Chromium.Extension.ext/x86_64/1/policies");
	tu_mkdirs(dir, "var/lib/flatpak/extension/org.other.App/x86_64/1/policies");
	assert_int_equal(root_open(&r, dir, 0, &e), 0);
	memset(&p, 0, sizeof(p));
	p.browser = BROWSER_FIREFOX;
	p.install = INSTALL_NATIVE;
	assert_int_equal(browsers_firefox_configs(&r, &p, &c, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].label, "firefox-esr");
	assert_int_equal(c[0].n_policies, 2);
	assert_string_equal(c[0].policies[0], "/etc/firefox/policies/policies.json");
	assert_string_equal(c[0].policies[1], "/usr/lib/firefox-esr/distribution/policies.json");
	assert_int_equal(c[0].n_pref_dirs, 3);
	assert_string_equal(c[0].pref_dirs[2], "/etc/firefox-esr");
	browsers_firefox_configs_free(c, n);

	p.install = INSTALL_FLATPAK;
	assert_int_equal(browsers_firefox_configs(&r, &p, &c, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].n_policies, 1);
	assert_string_equal(c[0].policies[0], "/var/lib/flatpak/extension/"
	    "org.mozilla.firefox.systemconfig/x86_64/stable/policies/policies.json");
	browsers_firefox_configs_free(c, n);

	p.browser = BROWSER_CHROMIUM;
	p.install = INSTALL_FLATPAK;
	assert_int_equal(browsers_chromium_policy_dirs(&r, &p, &dirs, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(dirs[0], "/var/lib/flatpak/extension/"
	    "org.chromium.Chromium.Extension.ext/x86_64/1/policies");
	assert_string_equal(dirs[1], "/var/lib/flatpak/extension/"
	    "org.chromium.Chromium.Policy.corp/x86_64/1/policies");
	browser_free_paths(dirs, n);
	p.browser = BROWSER_EDGE;
	p.install = INSTALL_NATIVE;
	assert_int_equal(browsers_chromium_policy_dirs(&r, &p, &dirs, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(dirs[0], "/etc/opt/edge/policies");
	browser_free_paths(dirs, n);
	root_close(&r);
	tu_rmroot(dir);
}

static void
test_firefox_policy(void **state)
{
	struct firefox_policy fp;
	struct mm_err e;
	const char *t;

	(void)state;
	t = "{\"policies\": {\"PasswordManagerEnabled\": false, \"OfferToSaveLogins\": 1}}";
	assert_int_equal(browsers_firefox_policy_parse(t, strlen(t), &fp, &e), 0);
	assert_int_equal(fp.password_manager_enabled, 0);
	assert_int_equal(fp.offer_to_save, 1);
	assert_int_equal(fp.offer_to_save_default, -1);
	/* Firefox's schema drops a string where a boolean belongs */
	t = "{\"policies\": {\"PasswordManagerEnabled\": \"false\", \"OfferToSaveLoginsDefault\": 0}}";
	assert_int_equal(browsers_firefox_policy_parse(t, strlen(t), &fp, &e), 0);
	assert_int_equal(fp.password_manager_enabled, -1);
	assert_int_equal(fp.offer_to_save_default, 0);
	t = "{\"PasswordManagerEnabled\": false}";
	assert_int_equal(browsers_firefox_policy_parse(t, strlen(t), &fp, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	t = "{\"policies\": {\"PasswordManagerEnabled\": false,}}";
	assert_int_equal(browsers_firefox_policy_parse(t, strlen(t), &fp, &e), -1);
}

/* logins.json in Firefox's own shape (fake data). */
#define LOGIN(id, host, pw) \
	"{\"id\": " #id ", \"hostname\": \"" host "\", \"httpRealm\": null, " \
	"\"formSubmitURL\": \"https://login.example.invalid\", \"usernameField\": \"user\", " \
	"\"passwordField\": \"pass\", \"encryptedUsername\": \"MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECGZha2V1c2Vy\", " \
	"\"encryptedPassword\": \"" pw "\", \"guid\": \"{00000000-0000-4000-8000-00000000000" #id "}\", " \
	"\"encType\": 1, \"timeCreated\": 1700000000000, \"timeLastUsed\": 1700000000000, " \
	"\"timePasswordChanged\": 1700000000000, \"timesUsed\": 1, \"syncCounter\": 0, " \
	"\"everSynced\": false, \"encryptedUnknownFields\": null}"
#define FAKE_PW "MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECGZha2VwYXNz"

static const struct {
	const char *what, *json;
	int rc;
	long n;
} logins_cases[] = {
	{ "two logins", "{\"nextId\": 3, \"logins\": [" LOGIN(1, "https://a.example.invalid", FAKE_PW)
	  ", " LOGIN(2, "https://b.example.invalid", FAKE_PW) "], "
	  "\"potentiallyVulnerablePasswords\": [], \"dismissedBreachAlertsByLoginGUID\": {}, "
	  "\"version\": 3}", 0, 2 },
	{ "a deletion tombstone is no password",
	  "{\"logins\": [{\"id\": 4, \"guid\": \"{x}\", \"timePasswordChanged\": 1, "
	  "\"syncCounter\": 1, \"everSynced\": true, \"deleted\": true}, "
	  LOGIN(5, "https://c.example.invalid", FAKE_PW) "], \"version\": 3}", 0, 1 },
	{ "Firefox's own account entry is not a site password",
	  "{\"logins\": [" LOGIN(6, "chrome://FirefoxAccounts", FAKE_PW) "], \"version\": 3}", 0, 0 },
	{ "an empty store", "{\"nextId\": 1, \"logins\": [], \"version\": 3}", 0, 0 },
	{ "no logins key: Firefox reads it as empty", "{\"version\": 3}", 0, 0 },
	{ "escaped key names are the same keys",
	  "{\"\\u006cogins\": [{\"encrypted\\u0050assword\": \"x\"}]}", 0, 1 },
	{ "the last of two logins lists counts",
	  "{\"logins\": [{\"encryptedPassword\": \"x\"}], \"logins\": []}", 0, 0 },
	{ "an empty encrypted password is none", "{\"logins\": [{\"encryptedPassword\": \"\"}]}", 0, 0 },
	{ "logins that is not a list", "{\"logins\": {}}", -1, 0 },
	{ "truncated", "{\"logins\": [" LOGIN(1, "https://a.example.invalid", FAKE_PW), -1, 0 },
	{ "trailing garbage", "{\"logins\": []} x", -1, 0 },
	{ "a trailing comma (JSON.parse refuses it)", "{\"logins\": [],}", -1, 0 },
	{ "control byte in a string", "{\"a\": \"\x01\"}", -1, 0 },
	{ "not an object", "[]", -1, 0 },
	{ "empty file", "", -1, 0 },
};

static void
test_logins_json(void **state)
{
	char deep[2 * 600 + 32];
	struct mm_err e;
	long n;
	size_t o = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(logins_cases) / sizeof(logins_cases[0]); i++) {
		int rc = browsers_firefox_logins_count(logins_cases[i].json,
		    strlen(logins_cases[i].json), &n, &e);
		if (rc != logins_cases[i].rc || (rc == 0 && n != logins_cases[i].n))
			fail_msg("%s: rc %d count %ld", logins_cases[i].what, rc, n);
	}
	/* deep nesting is refused, not recursed into without bound */
	o += (size_t)snprintf(deep, sizeof(deep), "{\"x\": ");
	for (int k = 0; k < 600; k++)
		deep[o++] = '[';
	for (int k = 0; k < 600; k++)
		deep[o++] = ']';
	deep[o++] = '}';
	deep[o] = '\0';
	assert_int_equal(browsers_firefox_logins_count(deep, o, &n, &e), -1);
}

/* A Chromium login database made with SQLite from Chromium's schema. */
static void
make_logindb(const char *path, const char *rows)
{
	char sqlpath[4096], *schema;
	const char *top = getenv("MAMORI_TOP");
	FILE *f;
	long len;
	sqlite3 *db;

	snprintf(sqlpath, sizeof(sqlpath), "%s/tests/fixtures/browser/chromium-login-data.sql",
	    top ? top : ".");
	f = fopen(sqlpath, "r");
	if (f == NULL)
		fail_msg("cannot open %s (run from the source tree or set MAMORI_TOP)", sqlpath);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	schema = calloc(1, (size_t)len + 1);
	assert_non_null(schema);
	assert_int_equal(fread(schema, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema, NULL, NULL, NULL), SQLITE_OK);
	if (rows != NULL && sqlite3_exec(db, rows, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("rows: %s", sqlite3_errmsg(db));
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	free(schema);
}

#define ROW(user, pw, never) \
	"INSERT INTO logins (origin_url, action_url, username_element, username_value, " \
	"password_element, password_value, submit_element, signon_realm, date_created, " \
	"blacklisted_by_user, scheme) VALUES ('https://login.example.invalid/', " \
	"'https://login.example.invalid/post', 'user', '" user "', 'pass', " pw ", '', " \
	"'https://login.example.invalid/', 13300000000000000, " #never ", 0);"

/* The whole file, in a heap buffer. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
test_logindb(void **state)
{
	char *dir = tu_mkroot(), path[4200], *buf;
	struct mm_err e;
	long n;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/Login Data", dir);
	make_logindb(path, ROW("u1", "X'7631309a8b7c'", 0) ROW("u2", "X'763130aabbcc'", 0)
	    ROW("", "X''", 1) ROW("u4", "X''", 0));
	buf = slurp(path, &len);
	assert_int_equal(browsers_logindb_count(buf, len, &n, &e), 0);
	assert_int_equal(n, 2);
	/* an empty file is an empty database */
	assert_int_equal(browsers_logindb_count("", 0, &n, &e), 0);
	assert_int_equal(n, 0);
	/* not a database */
	assert_int_equal(browsers_logindb_count("this is not a database, only text.",
	    34, &n, &e), -1);
	assert_string_equal(e.reason, "db_corrupt");
	/* damaged: the header survives, the pages are garbage */
	memset(buf + 100, 0xa5, len - 100);
	assert_int_equal(browsers_logindb_count(buf, len, &n, &e), -1);
	assert_string_equal(e.reason, "db_corrupt");
	free(buf);
	tu_rmroot(dir);
}

/* Another SQLite database is not a login store. */
static void
test_logindb_foreign(void **state)
{
	char *dir = tu_mkroot(), path[4200], *buf;
	struct mm_err e;
	sqlite3 *db;
	long n;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/other.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE moz_places(id INTEGER);"
	    "CREATE TABLE logins(origin_url TEXT);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	buf = slurp(path, &len);
	assert_int_equal(browsers_logindb_count(buf, len, &n, &e), -1);
	assert_string_equal(e.reason, "db_schema_unknown");
	free(buf);
	tu_rmroot(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chromium_profiles),
		cmocka_unit_test(test_firefox_profiles),
		cmocka_unit_test(test_firefox_hostile),
		cmocka_unit_test(test_snap_and_flatpak_places),
		cmocka_unit_test(test_snap_current_hostile),
		cmocka_unit_test(test_no_browser),
		cmocka_unit_test(test_configs),
		cmocka_unit_test(test_firefox_policy),
		cmocka_unit_test(test_logins_json),
		cmocka_unit_test(test_logindb),
		cmocka_unit_test(test_logindb_foreign),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
