/* account.no_guest (articles 15-2 and 16-1): no guest session and no shared
 * guest account — every login belongs to one person, who is known by it.
 *
 * What offers a guest login on a Linux PC, and how it is established:
 * - LightDM (src/seat.c seat_get_allow_guest): allow-guest, which is true
 *   unless a settings file says otherwise (src/lightdm.c's built-in
 *   defaults), and the guest-account script (guest_account_is_installed:
 *   [LightDM] guest-account-script, default "guest-account", found in the
 *   daemon's PATH). Ubuntu's lightdm package ships /usr/sbin/guest-account
 *   and, since 16.10, 50-disable-guest.conf; Debian's ships no script.
 *   Both must hold for a guest session to start, so a true allow-guest
 *   without the script passes, and says so.
 * - the guest-users package (PAM + NSS: a "guest" login that creates a
 *   throw-away account with no password), from its Debian package.
 * - a person's account literally named "guest" with an empty password.
 * GDM and SDDM have no guest sessions. */
#include <stdio.h>
#include <strings.h>
#include <string.h>
#include "checks/check.h"
#include "platform/packages.h"
#include "platform/keyfile.h"
#include "platform/lightdm.h"

static const struct check_msg msgs[] = {
	{ "lightdm_guest", N_("LightDM offers a guest session: anyone at this PC can log in without an account or password (allow-guest in {file}).") },
	{ "lightdm_guest_default", N_("LightDM offers a guest session: anyone at this PC can log in without an account or password (no settings file turns allow-guest off).") },
	{ "lightdm_guest_unavailable", N_("LightDM's allow-guest is on, but its guest-account script is not installed, so no guest session can start.") },
	{ "guest_users_package", N_("The guest-users package is installed: anyone can log in as a temporary guest without a password.") },
	{ "guest_account", N_("The account {subject} has no password: anyone can log in with it, and what is done with it belongs to no one person.") },
	{ "dm_not_installed", N_("{display_manager} is not installed; its leftover settings have no effect.") },
	{ "no_guest_login", N_("No guest session or shared guest account is set up.") },
	{ "fix_lightdm_guest_file", N_("As an administrator, open {file} and set allow-guest=false in its [Seat:*] (or [SeatDefaults]) section; then restart the PC.") },
	{ "fix_lightdm_guest_new", N_("As an administrator, create the file /etc/lightdm/lightdm.conf.d/99-no-guest.conf holding the two lines [Seat:*] and allow-guest=false; then restart the PC.") },
	{ "fix_guest_users", N_("As an administrator, remove the package: run `sudo apt purge guest-users`.") },
	{ "fix_guest_account", N_("As an administrator, lock the shared account (`sudo passwd -l {subject}`) or remove it (`sudo deluser --remove-home {subject}`), and give each person an account of their own.") },
	{ NULL, NULL },
};

static const char *const lightdm_bins[] = { "/usr/sbin/lightdm", "/usr/bin/lightdm", NULL };

/* 1 installed, 0 not, -1 cannot tell (package list unreadable). */
static int
lightdm_installed(const struct scan_ctx *ctx, const struct dpkg_db *db,
    enum file_status db_status)
{
	char kind;
	off_t size;

	for (const char *const *b = lightdm_bins; *b != NULL; b++)
		if (root_stat(ctx->root, *b, &kind, &size, NULL) == FILE_OK &&
		    (kind == 'f' || kind == 'l'))
			return 1;
	if (db_status == FILE_BAD)
		return -1;
	return dpkg_installed(db, "lightdm") != NULL;
}

/* The remediation for a guest session switched on in src: a file read last
 * is edited; anything else is overridden by a file of our own, which
 * LightDM reads after every vendor folder. */
static const char *
lightdm_fix(const char *src)
{
	if (src != NULL && strcmp(src, "/etc/lightdm/lightdm.conf") == 0)
		return "fix_lightdm_guest_file";
	return "fix_lightdm_guest_new";
}

static void
check_lightdm(const struct scan_ctx *ctx, struct check_result *r, const struct dpkg_db *db,
    enum file_status db_status)
{
	struct lightdm_conf c;
	struct mm_err e;
	const char *seats[16];
	char script[512];
	size_t ns;
	int inst = lightdm_installed(ctx, db, db_status), have_script;

	err_clear(&e);
	if (lightdm_load(ctx->root, &c, &e) == -1) {
		result_add_error(r, "lightdm", &e);
		return;
	}
	if (inst == 0 || (inst == -1 && !lightdm_has_config(&c))) {
		if (inst == 0 && lightdm_has_config(&c))
			result_add(r, "lightdm", V_NOT_APPLICABLE, "dm_not_installed", NULL,
			    json_pack("{s:s}", "display_manager", "lightdm"));
		lightdm_free(&c);
		return;
	}
	for (size_t i = 0; i < c.n_problems; i++)
		result_add_error(r, c.problems[i].path, &c.problems[i].err);
	have_script = lightdm_guest_script(&c, ctx->root, script, sizeof(script));
	ns = lightdm_seats(&c, seats, sizeof(seats) / sizeof(seats[0]));
	for (size_t i = 0; i < ns; i++) {
		const char *src = NULL;
		const char *v = lightdm_seat_get(&c, seats[i], "allow-guest", &src);
		/* Unset means LightDM's own default, true. */
		int allow = v == NULL ? 1 : keyfile_bool(v, KEYFILE_BOOL_LIGHTDM) == 1;
		char sub[96];
		const char *subject = "lightdm";
		json_t *ev;

		if (strcmp(seats[i], "seat0") != 0) {
			snprintf(sub, sizeof(sub), "lightdm:%s", seats[i]);
			subject = sub;
		}
		ev = json_pack("{s:s, s:s, s:b}", "display_manager", "lightdm",
		    "seat", seats[i], "allow_guest", allow);
		if (src != NULL)
			json_object_set_new(ev, "file", json_string(src));
		if (allow && have_script) {
			json_object_set_new(ev, "guest_account_script", json_string(script));
			result_add(r, subject, V_FAIL, src != NULL ? "lightdm_guest" :
			    "lightdm_guest_default", lightdm_fix(src), ev);
		} else if (c.n_problems > 0) {
			/* An unreadable file may turn guests on: no pass. */
			json_decref(ev);
		} else if (allow) {
			json_object_set_new(ev, "guest_account_script", json_false());
			result_add(r, subject, V_PASS, "lightdm_guest_unavailable", NULL, ev);
		} else
			result_add(r, subject, V_PASS, NULL, NULL, ev);
	}
	lightdm_free(&c);
}

static void
check_packages(struct check_result *r, const struct dpkg_db *db, enum file_status s,
    const struct mm_err *e)
{
	if (s == FILE_BAD) {
		result_add_error(r, "/var/lib/dpkg/status", e);
		return;
	}
	if (s == FILE_OK && dpkg_installed(db, "guest-users") != NULL)
		result_add(r, "guest-users", V_FAIL, "guest_users_package", "fix_guest_users",
		    json_pack("{s:s}", "package", "guest-users"));
}

static void
check_accounts(const struct scan_ctx *ctx, struct check_result *r)
{
	const struct people *pp = ctx->people;

	if (!pp->passwd_ok) {
		result_add_error(r, "/etc/passwd", &pp->passwd_err);
		return;
	}
	for (size_t i = 0; i < pp->n; i++) {
		const struct person *p = &pp->v[i];

		if (strcasecmp(p->name, "guest") != 0)
			continue;
		/* A "guest" with a password of its own is password_set's and
		 * the administrator's business; without one it is a door. */
		if (p->pw == PW_EMPTY)
			result_add(r, p->name, V_FAIL, "guest_account", "fix_guest_account", NULL);
		else if (p->pw == PW_SHADOWED && !pp->shadow_ok)
			result_add_error(r, p->name, &pp->shadow_err);
	}
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	const struct packages *pk = scan_ctx_packages(ctx);
	size_t decided = 0;

	check_lightdm(ctx, r, &pk->dpkg, pk->dpkg_status);
	check_packages(r, &pk->dpkg, pk->dpkg_status, &pk->dpkg_err);
	check_accounts(ctx, r);

	for (size_t i = 0; i < r->n; i++)
		if (r->f[i].verdict != V_NOT_APPLICABLE)
			decided++;
	if (decided == 0)
		result_add(r, "system", V_PASS, "no_guest_login", NULL, NULL);
}

const struct check_def check_account_no_guest = {
	"account.no_guest", "15-2,16-1",
	N_("No guest session: every login belongs to one person"),
	run, msgs,
};
