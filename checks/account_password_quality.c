/* account.password_quality (articles 15-3, 16-1): the PAM password stack
 * refuses every new password shorter than the policy's minimum or without
 * both letters and digits.
 *
 * The stack of the `passwd` service is followed the way libpam runs it
 * (platform/pam.h), and every way a new password can reach a module that
 * stores it is judged by the checks it passed on that way (pam_pwquality
 * or pam_cracklib, with their files and arguments, platform/pwquality.h).
 * The weakest way decides: a stack passes only when every way is
 * guaranteed to refuse a weak password. The shared stacks other services
 * use (Debian common-password, RHEL system-auth and password-auth) are
 * judged too when the passwd stack does not already cover them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks/check.h"
#include "platform/pam.h"
#include "platform/pwquality.h"
#include "platform/text.h"

static const struct check_msg msgs[] = {
	{ "no_quality_module", N_("New passwords are not checked by a password quality module (pam_pwquality), so short passwords without digits are accepted.") },
	{ "pam_unix_only", N_("Only pam_unix checks new passwords: it asks for {effective_min_length} characters but cannot require letters and digits.") },
	{ "quality_module_bypassed", N_("pam_pwquality is configured, but the PAM stack can store a new password without it being checked.") },
	{ "quality_not_enforcing", N_("pam_pwquality only warns about weak passwords (enforcing = 0) and accepts them.") },
	{ "too_short", N_("New passwords may be as short as {effective_min_length} characters; the policy asks for at least {min}.") },
	{ "digits_not_required", N_("New passwords are not required to contain a digit.") },
	{ "letters_not_required", N_("New passwords are not required to contain a letter.") },
	{ "unsupported_module", N_("New passwords are checked by pam_passwdqc, whose settings mamori cannot judge yet.") },
	{ "no_password_change", N_("This PAM stack never stores a new password, so there is nothing to check.") },
	{ "pam_absent", N_("No PAM configuration was found (/etc/pam.d/passwd, other, common-password, system-auth), so the password rules cannot be read.") },
	{ "stack_too_complex", N_("The PAM password stack is too large or branches too much to follow. ({detail})") },
	{ "install_pwquality", N_("As an administrator on Debian or Ubuntu, run `sudo apt install libpam-pwquality` (this adds pam_pwquality to /etc/pam.d/common-password), then in /etc/security/pwquality.conf set `minlen = {min}`, `dcredit = -1`, `lcredit = -1`, `ucredit = 0` and `ocredit = 0`.") },
	{ "set_pwquality", N_("As an administrator, set `minlen = {min}`, `dcredit = -1`, `lcredit = -1`, `ucredit = 0` and `ocredit = 0` in /etc/security/pwquality.conf, and remove minlen=, dcredit=, ucredit=, lcredit=, ocredit= and minclass= from the pam_pwquality line in {subject}: arguments there override the file.") },
	{ "set_enforcing", N_("As an administrator, remove `enforcing = 0` from /etc/security/pwquality.conf (and enforcing=0 from the pam_pwquality line in {subject}).") },
	{ "fix_stack", N_("As an administrator, make pam_pwquality the first password rule in {subject} with `requisite`, and give pam_unix the `use_authtok` option. On Debian or Ubuntu, `sudo pam-auth-update` writes the standard order.") },
	{ NULL, NULL },
};

/* What one way to a stored password guarantees, and how it ranks. */
enum rank {
	R_UNCHECKED = 0,	/* no quality check on this way */
	R_TOO_SHORT,
	R_NO_DIGITS,
	R_NO_LETTERS,
	R_PASS,
};

struct way {
	enum rank rank;
	int guarded;
	int has_len;
	long len;
	int digits, letters;
	const char *mechanism;
	size_t decider;		/* entry whose file is the finding's subject */
};

struct run {
	const struct scan_ctx *sc;
	struct check_result *r;
	int files_loaded;
	enum file_status files_st;
	struct pwquality files;
	struct mm_err files_err;
	char **covered;		/* files already judged as part of a stack */
	size_t ncovered;
	int judged;
};

static int
covered(const struct run *R, const char *path)
{
	for (size_t i = 0; i < R->ncovered; i++)
		if (strcmp(R->covered[i], path) == 0)
			return 1;
	return 0;
}

static void
cover(struct run *R, const struct pam_stack *s)
{
	for (size_t i = 0; i < s->nfiles; i++) {
		char **nv;
		if (covered(R, s->files[i]))
			continue;
		nv = realloc(R->covered, (R->ncovered + 1) * sizeof(*nv));
		if (nv == NULL || (nv[R->ncovered] = strdup(s->files[i])) == NULL)
			abort();	/* as result_add: a lost finding could hide a fail */
		R->covered = nv;
		R->ncovered++;
	}
}

/* The settings a checker entry runs with; -1 when the files cannot be read. */
static int
checker_settings(struct run *R, const struct pam_entry *en, struct pwquality *q)
{
	if (strcmp(en->module, "pam_cracklib") == 0) {
		pwquality_cracklib_defaults(q);
		for (size_t i = 0; i < en->argc; i++)
			pwquality_cracklib_arg(q, en->argv[i]);
		return 0;
	}
	if (!R->files_loaded) {
		err_clear(&R->files_err);
		R->files_st = pwquality_load(R->sc->root, &R->files, &R->files_err);
		R->files_loaded = 1;
	}
	if (R->files_st == FILE_BAD)
		return -1;
	*q = R->files;
	/* pam_pwquality reads the files, then its arguments override them. */
	for (size_t i = 0; i < en->argc; i++)
		(void)pwquality_apply_arg(q, en->argv[i]);
	return 0;
}

/* pam_unix's own minlen= (the only quality rule it has). */
static long
unix_minlen(const struct pam_entry *en)
{
	const char *v;
	long n;

	if (en->module == NULL || strcmp(en->module, "pam_unix") != 0)
		return 0;
	if ((v = pam_entry_arg(en, "minlen")) == NULL ||
	    text_parse_long(v, strlen(v), 0, &n) == -1)
		return 0;
	return n;
}

static void
judge_way(const struct pam_stack *s, const struct pam_walk *w, const struct pam_write *wr,
    const struct pwquality *qs, const struct policy *p, size_t first_checker,
    struct way *out)
{
	long umin = unix_minlen(&s->v[wr->writer]);

	memset(out, 0, sizeof(*out));
	out->mechanism = "none";
	out->decider = first_checker != SIZE_MAX ? first_checker : wr->writer;
	for (size_t b = 0; b < w->ncheckers; b++) {
		struct pwquality_guarantee g;
		size_t i = w->checker[b];

		if (!(wr->checked & ((uint32_t)1 << b)))
			continue;
		pwquality_guarantee(&qs[i], &g);
		if (!out->guarded) {
			out->mechanism = s->v[i].module;
			out->decider = i;
			out->len = g.min_length;
		} else if (g.min_length > out->len)
			out->len = g.min_length;
		out->guarded = out->has_len = 1;
		out->digits |= g.digits;
		out->letters |= g.letters;
	}
	if (umin > 0) {
		if (!out->guarded)
			out->mechanism = "pam_unix";
		if (!out->has_len || umin > out->len)
			out->len = umin;
		out->has_len = 1;
	}
	if (out->has_len && out->len >= p->password.min_length &&
	    (!p->password.require_digits || out->digits) &&
	    (!p->password.require_letters || out->letters))
		out->rank = R_PASS;
	else if (!out->guarded)
		out->rank = R_UNCHECKED;
	else if (!out->has_len || out->len < p->password.min_length)
		out->rank = R_TOO_SHORT;
	else if (p->password.require_digits && !out->digits)
		out->rank = R_NO_DIGITS;
	else
		out->rank = R_NO_LETTERS;
}

static int
worse(const struct way *a, const struct way *b)
{
	if (a->rank != b->rank)
		return a->rank < b->rank;
	if (a->has_len != b->has_len)
		return !a->has_len;
	return a->len < b->len;
}

static void
judge_stack(struct run *R, const struct pam_stack *s)
{
	const struct policy *p = R->sc->policy;
	enum pam_role *roles = calloc(s->n ? s->n : 1, sizeof(*roles));
	struct pwquality *qs = calloc(s->n ? s->n : 1, sizeof(*qs));
	size_t first_checker = SIZE_MAX;
	int demoted = 0, enforcing = 0, passwdqc = 0;
	const char *reason = NULL, *remedy = NULL;
	struct pam_walk w;
	struct mm_err e;
	struct way worst = { 0 };
	json_t *ev;

	if (roles == NULL || qs == NULL)
		abort();
	R->judged = 1;
	for (size_t i = 0; i < s->n; i++) {
		const struct pam_entry *en = &s->v[i];

		roles[i] = pam_role_of(en);
		if (en->module != NULL && strcmp(en->module, "pam_passwdqc") == 0)
			passwdqc = 1;
		if (roles[i] != PAM_ROLE_CHECKER)
			continue;
		if (first_checker == SIZE_MAX)
			first_checker = i;
		if (checker_settings(R, en, &qs[i]) == -1) {
			result_add_error(R->r, s->files[en->file], &R->files_err);
			goto out;
		}
		if (!qs[i].enforcing) {
			/* It still asks for the password but lets weak ones through. */
			roles[i] = PAM_ROLE_PROMPTER;
			demoted = 1;
		} else
			enforcing = 1;
	}
	if (passwdqc) {
		result_add(R->r, s->files[0], V_UNKNOWN, "unsupported_module", NULL,
		    json_pack("{s:s}", "mechanism", "pam_passwdqc"));
		goto out;
	}
	err_clear(&e);
	if (pam_walk(s, roles, &w, &e) == -1) {
		result_add_error(R->r, s->files[0], &e);
		goto out;
	}
	if (w.n == 0) {
		result_add(R->r, s->files[0], V_NOT_APPLICABLE, "no_password_change", NULL, NULL);
		pam_walk_free(&w);
		goto out;
	}
	for (size_t i = 0; i < w.n; i++) {
		struct way way;
		judge_way(s, &w, &w.w[i], qs, p, first_checker, &way);
		if (i == 0 || worse(&way, &worst))
			worst = way;
	}
	pam_walk_free(&w);

	switch (worst.rank) {
	case R_UNCHECKED:
		if (demoted && !enforcing) {
			reason = "quality_not_enforcing";
			remedy = "set_enforcing";
		} else if (enforcing || demoted) {
			reason = "quality_module_bypassed";
			remedy = "fix_stack";
		} else if (strcmp(worst.mechanism, "pam_unix") == 0) {
			reason = "pam_unix_only";
			remedy = "install_pwquality";
		} else {
			reason = "no_quality_module";
			remedy = "install_pwquality";
		}
		break;
	case R_TOO_SHORT:
		reason = "too_short";
		break;
	case R_NO_DIGITS:
		reason = "digits_not_required";
		break;
	case R_NO_LETTERS:
		reason = "letters_not_required";
		break;
	case R_PASS:
		break;
	}
	if (remedy == NULL && reason != NULL)
		remedy = strcmp(worst.mechanism, "pam_cracklib") == 0 ?
		    "install_pwquality" : "set_pwquality";

	/* Numbers, booleans and paths only: never a module argument's text. */
	ev = json_pack("{s:s, s:b, s:b, s:I}", "mechanism", worst.mechanism,
	    "digits_required", worst.digits, "letters_required", worst.letters,
	    "min", (json_int_t)p->password.min_length);
	if (ev == NULL)
		abort();
	if (worst.has_len)
		json_object_set_new(ev, "effective_min_length", json_integer(worst.len));
	if (worst.guarded && qs[worst.decider].stop_line > 0) {
		/* libpwquality stopped reading here; later settings do not count. */
		json_object_set_new(ev, "settings_ignored_after",
		    json_string(qs[worst.decider].stop_path));
		json_object_set_new(ev, "settings_ignored_line",
		    json_integer((json_int_t)qs[worst.decider].stop_line));
	}
	result_add(R->r, s->files[s->v[worst.decider].file],
	    worst.rank == R_PASS ? V_PASS : V_FAIL, reason, remedy, ev);
out:
	free(roles);
	free(qs);
}

/* Loads and judges one service's password stack; FILE_ABSENT when it has
 * no file or no password rules (libpam then falls back to "other"). */
static enum file_status
judge_service(struct run *R, const char *service)
{
	struct pam_stack s;
	struct mm_err e;
	enum file_status st;
	char subject[256];

	err_clear(&e);
	st = pam_stack_load(R->sc->root, service, PAM_TYPE_PASSWORD, &s, &e);
	if (st == FILE_ABSENT)
		return FILE_ABSENT;
	if (st == FILE_BAD) {
		snprintf(subject, sizeof(subject), "/etc/pam.d/%s", service);
		result_add_error(R->r, subject, &e);
		R->judged = 1;
		cover(R, &s);	/* one finding per stack, not one per file of it */
		pam_stack_free(&s);
		return FILE_BAD;
	}
	if (s.n == 0) {
		cover(R, &s);
		pam_stack_free(&s);
		return FILE_ABSENT;
	}
	cover(R, &s);
	judge_stack(R, &s);
	pam_stack_free(&s);
	return FILE_OK;
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	static const char *const shared[] = { "common-password", "system-auth", "password-auth" };
	struct run R;
	char kind;
	off_t size;

	memset(&R, 0, sizeof(R));
	R.sc = ctx;
	R.r = r;
	if ((root_stat(ctx->root, "/etc/pam.d", &kind, &size, NULL) != FILE_OK || kind != 'd') &&
	    (root_stat(ctx->root, "/usr/lib/pam.d", &kind, &size, NULL) != FILE_OK || kind != 'd')) {
		result_add(r, "/etc/pam.d", V_UNKNOWN, "pam_absent", NULL, NULL);
		return;
	}
	/* What `passwd` runs: its own file, else libpam's "other". */
	if (judge_service(&R, "passwd") == FILE_ABSENT)
		(void)judge_service(&R, "other");
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/etc/pam.d/%s", shared[i]);
		if (!covered(&R, path))
			(void)judge_service(&R, shared[i]);
	}
	if (!R.judged)
		result_add(r, "/etc/pam.d", V_UNKNOWN, "pam_absent", NULL, NULL);
	for (size_t i = 0; i < R.ncovered; i++)
		free(R.covered[i]);
	free(R.covered);
}

const struct check_def check_account_password_quality = {
	"account.password_quality", "15-3,16-1",
	N_("New passwords must be at least the policy's length and mix letters and digits"),
	run, msgs,
};
