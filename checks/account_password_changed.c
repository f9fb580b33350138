/* account.password_changed (article 15-3): each person's password was
 * actually changed within the maximum age. Expiry settings say what will
 * happen; the last-change date in shadow says what did. */
#include "checks/check.h"

static const struct check_msg msgs[] = {
	{ "must_change", N_("{subject} must change the password at the next login; until then the old one is in use.") },
	{ "no_change_date", N_("shadow records no date of the last password change for {subject}, so regular changes are not tracked.") },
	{ "too_old", N_("The password of {subject} was last changed {days} days ago; the policy asks for a change at least every {max} days.") },
	{ "date_in_future", N_("The last password change of {subject} is dated in the future; check the PC's clock.") },
	{ "locked", N_("The account is locked for password login.") },
	{ "no_password", N_("The account has no password; see account.password_set.") },
	{ "no_persons", N_("No account on this machine is used by a person.") },
	{ "change_password", N_("Change your password now: run `passwd` in a terminal (or Settings → Users → Password). Use at least {min_length} characters, mixing letters and digits.") },
	{ "fix_clock", N_("As an administrator, correct the date and time, then have {subject} change the password.") },
	{ NULL, NULL },
};

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	const struct people *pp = ctx->people;
	long max = ctx->policy->password.max_age_days;
	long today = (long)(ctx->now / 86400);
	json_int_t min_len = (json_int_t)ctx->policy->password.min_length;

	if (!pp->passwd_ok) {
		result_add_error(r, "/etc/passwd", &pp->passwd_err);
		return;
	}
	if (pp->n > 0 && !pp->shadow_ok) {
		result_add_error(r, "/etc/shadow", &pp->shadow_err);
		return;
	}
	for (size_t i = 0; i < pp->n; i++) {
		const struct person *p = &pp->v[i];
		json_t *ev;

		if (p->pw == PW_LOCKED) {
			result_add(r, p->name, V_NOT_APPLICABLE, "locked", NULL, NULL);
			continue;
		}
		if (p->pw == PW_EMPTY) {
			result_add(r, p->name, V_NOT_APPLICABLE, "no_password", NULL, NULL);
			continue;
		}
		if (!p->in_shadow || p->last_change < 0) {
			result_add(r, p->name, V_FAIL, "no_change_date", "change_password",
			    json_pack("{s:I}", "min_length", min_len));
			continue;
		}
		if (p->last_change == 0) {
			result_add(r, p->name, V_FAIL, "must_change", "change_password",
			    json_pack("{s:I}", "min_length", min_len));
			continue;
		}
		ev = json_pack("{s:I, s:I}", "days", (json_int_t)(today - p->last_change),
		    "max", (json_int_t)max);
		if (p->last_change > today + 1)
			result_add(r, p->name, V_UNKNOWN, "date_in_future", "fix_clock", ev);
		else if (today - p->last_change > max) {
			json_object_set_new(ev, "min_length", json_integer(min_len));
			result_add(r, p->name, V_FAIL, "too_old", "change_password", ev);
		}
		else
			result_add(r, p->name, V_PASS, NULL, NULL, ev);
	}
	if (pp->n == 0)
		result_add(r, "system", V_NOT_APPLICABLE, "no_persons", NULL, NULL);
}

const struct check_def check_account_password_changed = {
	"account.password_changed", "15-3",
	N_("Each person's password was changed within the maximum age"),
	run, msgs,
};
