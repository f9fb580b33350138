/* account.password_max_age (article 15-3): passwords expire within the
 * policy's maximum age, both as the system default for new accounts
 * (PASS_MAX_DAYS in login.defs) and in each person's own shadow entry,
 * which is what actually applies to an existing account. */
#include <stdlib.h>
#include "checks/check.h"
#include "platform/logindefs.h"

static const struct check_msg msgs[] = {
	{ "max_days_unset", N_("login.defs does not set PASS_MAX_DAYS, so new passwords never expire.") },
	{ "max_days_too_long", N_("PASS_MAX_DAYS is {value} days; the policy allows at most {max} days.") },
	{ "max_days_invalid", N_("PASS_MAX_DAYS is not a number.") },
	{ "logindefs_absent", N_("/etc/login.defs does not exist, so new passwords never expire.") },
	{ "account_never_expires", N_("The password of {subject} never expires.") },
	{ "account_max_too_long", N_("The password of {subject} expires only after {value} days; the policy allows at most {max}.") },
	{ "locked", N_("The account is locked for password login.") },
	{ "set_logindefs", N_("As an administrator, set `PASS_MAX_DAYS {max}` in /etc/login.defs.") },
	{ "set_account_max", N_("As an administrator, run `sudo chage -M {max} {subject}`.") },
	{ NULL, NULL },
};

static json_t *
ev_value(long value, long max)
{
	return json_pack("{s:I, s:I}", "value", (json_int_t)value, "max", (json_int_t)max);
}

static void
check_logindefs(const struct scan_ctx *ctx, struct check_result *r)
{
	long max = ctx->policy->password.max_age_days, v;
	struct logindefs d;
	struct mm_err e;
	char *buf;
	size_t len;
	enum file_status s;
	int got;

	err_clear(&e);
	s = root_read_file(ctx->root, "/etc/login.defs", ROOT_CAP_CONFIG, &buf, &len, &e);
	if (s == FILE_ABSENT) {
		result_add(r, "/etc/login.defs", V_FAIL, "logindefs_absent", "set_logindefs",
		    json_pack("{s:I}", "max", (json_int_t)max));
		return;
	}
	if (s == FILE_BAD) {
		result_add_error(r, "/etc/login.defs", &e);
		return;
	}
	if (logindefs_parse(buf, len, &d, &e) == -1) {
		free(buf);
		result_add_error(r, "/etc/login.defs", &e);
		return;
	}
	free(buf);
	got = logindefs_get_long(&d, "PASS_MAX_DAYS", &v);
	logindefs_free(&d);
	if (got == 0)
		result_add(r, "/etc/login.defs", V_FAIL, "max_days_unset", "set_logindefs",
		    json_pack("{s:I}", "max", (json_int_t)max));
	else if (got == -1)
		result_add(r, "/etc/login.defs", V_UNKNOWN, "max_days_invalid", "set_logindefs",
		    json_pack("{s:I}", "max", (json_int_t)max));
	else if (v < 0 || v > max)
		result_add(r, "/etc/login.defs", V_FAIL, "max_days_too_long", "set_logindefs",
		    ev_value(v, max));
	else
		result_add(r, "/etc/login.defs", V_PASS, NULL, NULL, ev_value(v, max));
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	const struct people *pp = ctx->people;
	long max = ctx->policy->password.max_age_days;

	check_logindefs(ctx, r);
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

		if (p->pw == PW_LOCKED) {
			result_add(r, p->name, V_NOT_APPLICABLE, "locked", NULL, NULL);
			continue;
		}
		/* An empty password or a missing shadow entry is password_set's
		 * finding; here only the ageing of a shadow entry matters. */
		if (!p->in_shadow || p->max_days < 0 || p->max_days >= 99999)
			result_add(r, p->name, V_FAIL, "account_never_expires", "set_account_max",
			    json_pack("{s:I}", "max", (json_int_t)max));
		else if (p->max_days > max)
			result_add(r, p->name, V_FAIL, "account_max_too_long", "set_account_max",
			    ev_value(p->max_days, max));
		else
			result_add(r, p->name, V_PASS, NULL, NULL, ev_value(p->max_days, max));
	}
}

const struct check_def check_account_password_max_age = {
	"account.password_max_age", "15-3",
	N_("Passwords expire within the policy's maximum age"),
	run, msgs,
};
