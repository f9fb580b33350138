/* browser.no_saved_passwords (article 16-4): no browser profile holds saved
 * passwords. They are counted, never read: Chromium's "Login Data" and
 * "Login Data For Account" databases are counted from a private in-memory
 * copy given to SQLite read-only, Firefox's logins.json by a streaming
 * count of its entries (key4.db, which holds the key, is never opened).
 * The report carries the number only — no site, login name or password. */
#include <stdlib.h>
#include <string.h>
#include "checks/check.h"
#include "common/utf8.h"
#include "platform/browsers.h"

static const struct check_msg msgs[] = {
	{ "passwords_saved", N_("The {product} profile “{profile}” holds saved passwords ({saved_passwords}).") },
	{ "no_browser", N_("No supported web browser (Chrome, Chromium, Edge, Brave, Firefox) is installed.") },
	{ "no_browser_profiles", N_("No one on this machine has used a web browser yet.") },
	{ "profile_outside_home", N_("Firefox's profiles.ini names a profile outside the person's home folder; mamori does not read it. ({detail})") },
	{ "db_corrupt", N_("A browser's password database is damaged or is not a database, so its passwords cannot be counted. ({detail})") },
	{ "db_schema_unknown", N_("A browser's password database is not laid out as the browser makes it, so its passwords cannot be counted. ({detail})") },
	{ "db_too_slow", N_("Counting a browser's password database took too long and was stopped. ({detail})") },
	{ "db_unreadable", N_("A browser's password database could not be read. ({detail})") },
	{ "db_busy", N_("A browser is writing its password database, so its passwords cannot be counted now; mamori will look again at the next scan. ({detail})") },
	{ "delete_chrome", N_("In Google Chrome open the menu ⋮ → Passwords and autofill → Google Password Manager, and delete every saved password (or: Delete browsing data → Advanced → “Passwords and passkeys”). Then turn off “Offer to save passwords and passkeys” under Settings.") },
	{ "delete_chromium", N_("In Chromium open the menu ⋮ → Settings → Autofill and passwords → Password Manager, and delete every saved password (or: Delete browsing data → Advanced → “Passwords and passkeys”). Then turn off “Offer to save passwords” under Settings.") },
	{ "delete_edge", N_("In Microsoft Edge open Settings → Profiles → Passwords and delete every saved password (or: Privacy → Clear browsing data → “Passwords”). Then turn off “Offer to save passwords”.") },
	{ "delete_brave", N_("In Brave open the menu ≡ → Settings → Autofill and passwords → Password Manager and delete every saved password (or: Delete browsing data → Advanced → “Passwords and passkeys”). Then turn off “Offer to save passwords”.") },
	{ "delete_firefox", N_("In Firefox open Settings → Privacy & Security → Passwords → Saved passwords (about:logins) and remove every saved login (menu ⋯ → Remove All Passwords). Then untick “Ask to save passwords”.") },
	{ NULL, NULL },
};

static json_t *
evidence(const struct browser_profile *p)
{
	json_t *ev = json_object();

	json_object_set_new(ev, "browser", json_string(browser_name(p->browser)));
	json_object_set_new(ev, "product", json_string(browser_product(p->browser)));
	json_object_set_new(ev, "install", json_string(browser_install_name(p->install)));
	if (p->name != NULL)
		json_object_set_new(ev, "profile", utf8_json_string(p->name));
	return ev;
}

static const char *
remediation(enum browser_id b)
{
	static const char *const keys[] = {
		"delete_chrome", "delete_chromium", "delete_edge", "delete_brave", "delete_firefox",
	};
	return keys[b];
}

/* Counts a profile's stores. Returns 0 with *count when every store could
 * be counted, -1 with err when one could not (*count still holds what the
 * others hold: saved passwords found are a fail even so). */
static int
count_profile(const struct root *r, const struct browser_profile *p, long *count,
    struct mm_err *err)
{
	int bad = 0;

	*count = 0;
	if (p->browser == BROWSER_FIREFOX) {
		char *path, *buf;
		size_t len;
		enum file_status s;
		long n;
		struct mm_err pe;

		if ((path = malloc(strlen(p->dir) + sizeof("/logins.json"))) == NULL)
			abort();	/* as result_add: a lost finding could hide a fail */
		strcpy(path, p->dir);
		strcat(path, "/logins.json");
		s = root_read_file(r, path, BROWSERS_LOGINS_JSON_CAP, &buf, &len, err);
		if (s == FILE_OK) {
			err_clear(&pe);
			if (browsers_firefox_logins_count(buf, len, &n, &pe) == 0)
				*count = n;
			else {
				err_set(err, pe.reason, "%s: %s", path, pe.msg);
				bad = 1;
			}
			free(buf);
		} else if (s == FILE_BAD)
			bad = 1;
		free(path);
		return bad ? -1 : 0;
	}
	/* "Login Data For Account" is the store of passwords kept in the
	 * signed-in account; both hold saved passwords. */
	static const char *const stores[] = { "Login Data", "Login Data For Account" };
	for (size_t i = 0; i < 2; i++) {
		struct mm_err fe;
		long n;
		enum file_status s;

		err_clear(&fe);
		s = browsers_chromium_count_logins(r, p->dir, stores[i], &n, &fe);
		if (s == FILE_OK)
			*count += n;
		else if (s == FILE_BAD && !bad) {
			bad = 1;
			*err = fe;
		}
	}
	return bad ? -1 : 0;
}

static void
check_profile(const struct scan_ctx *ctx, const struct person *person,
    const struct browser_profile *p, struct check_result *r)
{
	json_t *ev = evidence(p);
	struct mm_err err;
	long n;
	int rc;

	if (!p->ok) {
		json_object_set_new(ev, "detail", utf8_json_string(p->err.msg));
		result_add(r, person->name, V_UNKNOWN, p->err.reason ? p->err.reason :
		    "file_unreadable", NULL, ev);
		return;
	}
	err_clear(&err);
	rc = count_profile(ctx->root, p, &n, &err);
	json_object_set_new(ev, "saved_passwords", json_integer(n));
	if (n > 0)
		result_add(r, person->name, V_FAIL, "passwords_saved", remediation(p->browser), ev);
	else if (rc == -1) {
		json_object_set_new(ev, "detail", utf8_json_string(err.msg));
		json_object_del(ev, "saved_passwords");
		result_add(r, person->name, V_UNKNOWN, err.reason ? err.reason : "file_unreadable",
		    NULL, ev);
	} else
		result_add(r, person->name, V_PASS, NULL, NULL, ev);
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	const struct people *pp = ctx->people;
	size_t profiles = 0;

	if (!pp->passwd_ok) {
		result_add_error(r, "/etc/passwd", &pp->passwd_err);
		return;
	}
	for (size_t i = 0; i < pp->n; i++) {
		const struct browser_profiles *bp;
		const struct mm_err *e;

		if (scan_ctx_browser_profiles(ctx, i, &bp, &e) == -1) {
			result_add_error(r, pp->v[i].name, e);
			continue;
		}
		for (size_t k = 0; k < bp->n; k++)
			check_profile(ctx, &pp->v[i], &bp->v[k], r);
		profiles += bp->n;
	}
	if (profiles == 0)
		result_add(r, "system", V_NOT_APPLICABLE,
		    browsers_any_installed(ctx->root) ? "no_browser_profiles" : "no_browser",
		    NULL, NULL);
}

const struct check_def check_browser_no_saved_passwords = {
	"browser.no_saved_passwords", "16-4",
	N_("Browsers hold no saved passwords"),
	run, msgs,
};
