/* browsers: each person's web browser profiles — Chrome, Chromium, Edge,
 * Brave and Firefox, installed as distribution packages, snaps or
 * flatpaks — the system places each installation takes its settings from,
 * and how many passwords a profile's store holds. Counts only: no URL,
 * login name or password is ever read out of a store. */
#ifndef MAMORI_BROWSERS_H
#define MAMORI_BROWSERS_H

#include <stddef.h>
#include "common/err.h"
#include "platform/accounts.h"
#include "platform/root.h"

enum browser_id {
	BROWSER_CHROME = 0,
	BROWSER_CHROMIUM,
	BROWSER_EDGE,
	BROWSER_BRAVE,
	BROWSER_FIREFOX,
};

enum browser_install {
	INSTALL_NATIVE = 0,	/* a distribution package or a tarball */
	INSTALL_SNAP,
	INSTALL_FLATPAK,
};

/* Stable names for reports: "chrome", "chromium", "edge", "brave",
 * "firefox"; "native", "snap", "flatpak". */
const char *browser_name(enum browser_id b);
const char *browser_install_name(enum browser_install i);
/* The product as its maker and its menus name it: "Google Chrome",
 * "Chromium", "Microsoft Edge", "Brave", "Firefox". For messages. */
const char *browser_product(enum browser_id b);

/* One profile, or one place where profiles could not be listed. */
struct browser_profile {
	enum browser_id browser;
	enum browser_install install;
	char *user_dir;		/* root-relative folder holding the profiles */
	char *dir;		/* root-relative profile folder; NULL if !ok before one was known */
	char *name;		/* the profile folder's own name ("Default",
				 * "x1y2z3.default-release"); NULL likewise */
	int ok;			/* 0: unusable (a symlink, a bad profiles.ini…); see err */
	struct mm_err err;
};

struct browser_profiles {
	struct browser_profile *v;
	size_t n, cap;
};

/* Lists the profiles of person p under the root. Never fails as a whole:
 * what could not be read becomes an entry with ok == 0. A browser whose
 * folder does not exist adds nothing. Returns -1 only for no memory. */
int browsers_find_profiles(const struct root *r, const struct person *p,
    struct browser_profiles *out, struct mm_err *e);
void browser_profiles_free(struct browser_profiles *bp);

/* 1 if some supported browser looks installed on the machine (its program
 * folder, snap or flatpak exists). */
int browsers_any_installed(const struct root *r);

/* Chromium family: the policy folders a profile's browser reads, each
 * holding managed/ and recommended/ ("/etc/opt/chrome/policies"), in the
 * order the browser reads them. Free with browser_free_paths. */
int browsers_chromium_policy_dirs(const struct root *r, const struct browser_profile *p,
    char ***dirs, size_t *n, struct mm_err *e);

/* Firefox: where one installation that may open a profile takes system
 * settings from. Paths are root-relative; every list is in reading order. */
struct firefox_config {
	const char *label;	/* "firefox", "firefox-esr", "snap", "flatpak", … */
	char **policies;	/* policies.json candidates: the first that exists is read */
	size_t n_policies;
	char **pref_dirs;	/* folders of default pref files (*.js) */
	size_t n_pref_dirs;
	char **cfg_dirs;	/* where an autoconfig file named by
				 * general.config.filename is looked for */
	size_t n_cfg_dirs;
};

/* The installations that may open a Firefox profile: for a native profile
 * every native installation found (none found: one entry with only the
 * system policy file), for a snap or flatpak profile that package's. */
int browsers_firefox_configs(const struct root *r, const struct browser_profile *p,
    struct firefox_config **out, size_t *n, struct mm_err *e);
void browsers_firefox_configs_free(struct firefox_config *c, size_t n);

void browser_free_paths(char **v, size_t n);

/* What Firefox's policies.json says about saving passwords. */
struct firefox_policy {
	int password_manager_enabled;	/* -1 absent, 0 false, 1 true */
	int offer_to_save;		/* OfferToSaveLogins */
	int offer_to_save_default;	/* OfferToSaveLoginsDefault */
};

/* Parses a policies.json ({"policies": {…}}). A value of the wrong type is
 * absent, as Firefox's schema check drops it. -1 with parse_error when it
 * is not JSON with a "policies" object (Firefox then applies nothing). */
int browsers_firefox_policy_parse(const char *buf, size_t len,
    struct firefox_policy *out, struct mm_err *e);

/* Caps on the stores: a real one is far smaller, a bigger file is refused
 * (unknown) rather than copied or parsed. */
#define BROWSERS_LOGINDB_CAP	(64u << 20)
#define BROWSERS_LOGINS_JSON_CAP (64u << 20)

/* Counts the saved passwords in a Chromium login database held in memory:
 * rows of `logins` with a password and not a "never save" entry. The
 * bytes are a private copy, given to SQLite read-only; nothing is written
 * or locked. Reasons: db_corrupt (not a database or damaged),
 * db_schema_unknown (no logins table as Chromium makes it), db_too_slow. */
int browsers_logindb_count(const void *buf, size_t len, long *count, struct mm_err *e);

/* The same for the file name (e.g. "Login Data") in profile folder dir:
 * opened without following symlinks, regular files only, under the cap,
 * copied into memory and counted. FILE_ABSENT when it does not exist.
 * A count of 0 while a write-ahead log beside it holds changes is
 * FILE_BAD with db_busy: those rows are not in the copy. */
enum file_status browsers_chromium_count_logins(const struct root *r, const char *dir,
    const char *name, long *count, struct mm_err *e);

/* Counts the saved logins in a Firefox logins.json held in memory: the
 * entries of "logins" with an encrypted password, leaving out deletion
 * tombstones and Firefox's own account entry. -1 with parse_error when
 * it is not such a file. */
int browsers_firefox_logins_count(const char *buf, size_t len, long *count,
    struct mm_err *e);

#endif
