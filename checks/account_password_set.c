/* account.password_set (article 16-1): every account a person can log in
 * with has a password. A locked account cannot be used with a password at
 * all, so it passes; an empty password field fails. */
#include "checks/check.h"

static const struct check_msg msgs[] = {
	{ "empty_password", N_("The account {subject} has no password: anyone at this PC can log in as it.") },
	{ "locked", N_("The account is locked for password login.") },
	{ "shadow_entry_missing", N_("passwd defers to /etc/shadow, but shadow has no entry for this account.") },
	{ "no_persons", N_("No account on this machine is used by a person.") },
	{ "set_password", N_("Set a password of at least {min_length} characters mixing letters and digits: run `sudo passwd {subject}` (or Settings → Users → Password).") },
	{ NULL, NULL },
};

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	const struct people *pp = ctx->people;

	if (!pp->passwd_ok) {
		result_add_error(r, "/etc/passwd", &pp->passwd_err);
		return;
	}
	for (size_t i = 0; i < pp->n; i++) {
		const struct person *p = &pp->v[i];

		switch (p->pw) {
		case PW_EMPTY:
			result_add(r, p->name, V_FAIL, "empty_password", "set_password",
			    json_pack("{s:I}", "min_length",
			    (json_int_t)ctx->policy->password.min_length));
			break;
		case PW_LOCKED:
			result_add(r, p->name, V_PASS, "locked", NULL, NULL);
			break;
		case PW_SET:
			result_add(r, p->name, V_PASS, NULL, NULL, NULL);
			break;
		case PW_SHADOWED:
			if (!pp->shadow_ok)
				result_add_error(r, p->name, &pp->shadow_err);
			else
				result_add(r, p->name, V_UNKNOWN, "shadow_entry_missing", NULL, NULL);
			break;
		}
	}
	if (pp->n == 0)
		result_add(r, "system", V_NOT_APPLICABLE, "no_persons", NULL, NULL);
}

const struct check_def check_account_password_set = {
	"account.password_set", "16-1",
	N_("Every login account has a password"),
	run, msgs,
};
