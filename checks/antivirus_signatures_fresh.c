/* antivirus.signatures_fresh (article 16-3): the antivirus product's
 * signatures are no older than the policy's antivirus.max_signature_age_days.
 *
 * For ClamAV the age is read from the databases themselves: the header of
 * /var/lib/clamav/daily.cvd or daily.cld carries its build time in
 * seconds (platform/clamav_db); the newest daily decides, as it is the
 * one ClamAV loads. main and bytecode change rarely and are only shown.
 * Whether freshclam keeps them current is shown too: its process, or its
 * service enabled (the systemd "wants" link, looked at, never followed),
 * and it picks the advice when the signatures are old.
 *
 * Products whose signatures mamori cannot date (freshness "none") are
 * `unknown` with reason freshness_unreadable, never a guessed pass. The
 * products looked at are those running (antivirus.present's pass), or,
 * when none runs, every installed one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "checks/check.h"
#include "common/utf8.h"
#include "platform/clamav_db.h"
#include "platform/packages.h"
#include "platform/proc.h"

#define CLAMAV_DIR "/var/lib/clamav"
#define FUTURE_SLACK (24 * 3600)	/* a clock a day behind is not a finding */

static const struct check_msg msgs[] = {
	{ "fresh", N_("{subject}'s signatures were built on {built}, {age_days} days ago; the policy allows {max} days.") },
	{ "signatures_old", N_("{subject}'s signatures were built on {built}, {age_days} days ago; the policy allows at most {max} days, so new viruses are not recognised.") },
	{ "no_signatures", N_("{subject} has no daily signature database in {dir}, so it recognises no recent viruses.") },
	{ "signatures_in_future", N_("{subject}'s signatures say they were built on {built}, later than the PC's clock; the age cannot be told.") },
	{ "freshness_unreadable", N_("mamori cannot tell how old {subject}'s signatures are.") },
	{ "parse_error", N_("{subject}'s signature database {file} could not be understood. ({detail})") },
	{ "packages_unreadable", N_("The list of installed packages could not be read, so whether an antivirus product is installed is not known. ({detail})") },
	{ "no_antivirus", N_("No antivirus product is installed (antivirus.present reports this), so there are no signatures to date.") },
	{ "enable_freshclam", N_("As an administrator, turn on ClamAV's updates: `sudo apt install clamav-freshclam`, then `sudo systemctl enable --now clamav-freshclam`, and check again in a few minutes.") },
	{ "check_freshclam", N_("ClamAV's updater is on, but the signatures stay old: as an administrator, read /var/log/clamav/freshclam.log (network or proxy problems) and run `sudo systemctl restart clamav-freshclam`.") },
	{ "reinstall_signatures", N_("As an administrator, fetch the signatures again: `sudo systemctl stop clamav-freshclam`, `sudo freshclam`, then `sudo systemctl start clamav-freshclam`.") },
	{ "fix_clock", N_("As an administrator, set the PC's date and time right (`timedatectl`), then check again.") },
	{ "check_product_signatures", N_("Open {subject} and check that its signatures (definitions) were updated within the last {max} days; if not, update them or tell the facility's m@tsu net administrator.") },
	{ NULL, NULL },
};

struct product_state {
	int installed, running;
};

static int
installed(const struct scan_ctx *ctx, const struct packages *pk, const struct av_product *p)
{
	for (size_t k = 0; k < p->packages.n; k++)
		if (packages_find(pk, p->packages.v[k]) != NULL)
			return 1;
	for (size_t k = 0; k < p->paths.n; k++) {
		char kind;
		off_t size;

		if (root_stat(ctx->root, p->paths.v[k], &kind, &size, NULL) == FILE_OK)
			return 1;
	}
	return 0;
}

static int
running(const struct proc_list *pl, const struct av_product *p)
{
	for (size_t j = 0; j < pl->n; j++)
		for (size_t k = 0; k < p->processes.n; k++)
			if (proc_match(&pl->v[j], p->processes.v[k]) != NULL)
				return 1;
	return 0;
}

static void
date_of(long long t, char out[16])
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL || strftime(out, 16, "%Y-%m-%d", &tm) == 0)
		snprintf(out, 16, "?");
}

/* "running", "enabled" or "not_enabled": is freshclam keeping ClamAV
 * current? The unit's "wants" link is only looked at (root_stat), so a
 * link is the answer, not a path to follow. */
static const char *
freshclam_state(const struct scan_ctx *ctx, const struct proc_list *pl)
{
	static const char *const wants[] = {
		"/etc/systemd/system/multi-user.target.wants/clamav-freshclam.service",
		"/etc/systemd/system/timers.target.wants/clamav-freshclam.timer",
	};
	for (size_t j = 0; j < pl->n; j++)
		if (proc_match(&pl->v[j], "freshclam") != NULL)
			return "running";
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		char kind;
		off_t size;

		if (root_stat(ctx->root, wants[i], &kind, &size, NULL) == FILE_OK &&
		    (kind == 'l' || kind == 'f'))
			return "enabled";
	}
	return "not_enabled";
}

/* Reads and parses one database header: 1 read, 0 absent, -1 failed. */
static int
read_header(const struct scan_ctx *ctx, const char *name, struct clamav_db_header *h,
    struct mm_err *e)
{
	char path[128], buf[CLAMAV_DB_HEADER_LEN];
	size_t len;
	enum file_status s;

	snprintf(path, sizeof(path), "%s/%s", CLAMAV_DIR, name);
	s = root_read_head(ctx->root, path, sizeof(buf), buf, &len, e);
	if (s == FILE_ABSENT)
		return 0;
	if (s == FILE_BAD)
		return -1;
	return clamav_db_parse(buf, len, h, e) == 0 ? 1 : -1;
}

/* main and bytecode: shown, not judged. */
static void
add_other_db(const struct scan_ctx *ctx, json_t *ev, const char *base)
{
	static const char *const ext[] = { "cld", "cvd" };
	struct clamav_db_header h, best;
	int have = 0;

	memset(&best, 0, sizeof(best));
	for (size_t i = 0; i < 2; i++) {
		char name[32];
		struct mm_err e;

		snprintf(name, sizeof(name), "%s.%s", base, ext[i]);
		if (read_header(ctx, name, &h, &e) == 1 && (!have || h.stime > best.stime)) {
			best = h;
			have = 1;
		}
	}
	if (have) {
		char built[16];

		date_of(best.stime, built);
		json_object_set_new(ev, base, json_pack("{s:I, s:s}",
		    "version", (json_int_t)best.version, "built", built));
	}
}

static void
check_clamav(const struct scan_ctx *ctx, const struct av_product *p,
    const struct proc_list *pl, struct check_result *r)
{
	static const char *const dailies[] = { "daily.cld", "daily.cvd" };
	long max = ctx->policy->antivirus.max_signature_age_days;
	const char *fc = freshclam_state(ctx, pl);
	struct clamav_db_header h, best;
	const char *best_file = NULL;
	char built[16];
	long long age;
	json_t *ev;

	memset(&best, 0, sizeof(best));
	for (size_t i = 0; i < 2; i++) {
		struct mm_err e;
		int got;

		err_clear(&e);
		got = read_header(ctx, dailies[i], &h, &e);
		if (got == 0)
			continue;
		if (got == -1) {
			/* ClamAV would refuse it too; which copy it uses is unclear. */
			result_add(r, p->name, V_UNKNOWN, e.reason ? e.reason : "file_unreadable",
			    "reinstall_signatures", json_pack("{s:s, s:o, s:s}",
			    "file", dailies[i], "detail", utf8_json_string(e.msg), "freshclam", fc));
			return;
		}
		if (best_file == NULL || h.stime > best.stime) {
			best = h;
			best_file = dailies[i];
		}
	}
	if (best_file == NULL) {
		result_add(r, p->name, V_FAIL, "no_signatures",
		    strcmp(fc, "not_enabled") == 0 ? "enable_freshclam" : "reinstall_signatures",
		    json_pack("{s:s, s:s, s:I}", "dir", CLAMAV_DIR, "freshclam", fc, "max", (json_int_t)max));
		return;
	}
	date_of(best.stime, built);
	age = (long long)ctx->now - best.stime;
	ev = json_pack("{s:s, s:I, s:I, s:s, s:I, s:I, s:s}",
	    "file", best_file, "version", (json_int_t)best.version, "signatures", (json_int_t)best.sigs,
	    "built", built, "age_days", (json_int_t)(age > 0 ? age / 86400 : 0),
	    "max", (json_int_t)max, "freshclam", fc);
	add_other_db(ctx, ev, "main");
	add_other_db(ctx, ev, "bytecode");
	if (age < -FUTURE_SLACK)
		result_add(r, p->name, V_UNKNOWN, "signatures_in_future", "fix_clock", ev);
	else if (age > (long long)max * 86400)
		result_add(r, p->name, V_FAIL, "signatures_old",
		    strcmp(fc, "not_enabled") == 0 ? "enable_freshclam" : "check_freshclam", ev);
	else
		result_add(r, p->name, V_PASS, "fresh", NULL, ev);
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	const struct policy *pol = ctx->policy;
	struct product_state *ps;
	const struct packages *pk;
	const struct proc_list *pl;
	size_t n = pol->antivirus.n, ninst = 0, nrun = 0;

	ps = calloc(n ? n : 1, sizeof(*ps));
	if (ps == NULL)
		abort();	/* as result_add: a lost finding could hide a fail */
	pk = scan_ctx_packages(ctx);
	/* Unreadable or absent, the list is empty: nothing seen running. */
	(void)scan_ctx_processes(ctx, &pl, NULL);
	for (size_t i = 0; i < n; i++) {
		ps[i].installed = installed(ctx, pk, &pol->antivirus.v[i]);
		ps[i].running = ps[i].installed && running(pl, &pol->antivirus.v[i]);
		ninst += ps[i].installed;
		nrun += ps[i].running;
	}
	for (size_t i = 0; i < n; i++) {
		const struct av_product *p = &pol->antivirus.v[i];

		if (!ps[i].installed || (nrun > 0 && !ps[i].running))
			continue;
		if (p->freshness == AV_FRESH_CLAMAV)
			check_clamav(ctx, p, pl, r);
		else
			result_add(r, p->name, V_UNKNOWN, "freshness_unreadable", "check_product_signatures",
			    json_pack("{s:s, s:I}", "product", p->name,
			    "max", (json_int_t)pol->antivirus.max_signature_age_days));
	}
	if (ninst == 0) {
		const struct mm_err *e = packages_error(pk);

		/* Not knowing the packages is not knowing whether there is
		 * anything to date; antivirus.present says the same. */
		if (e != NULL)
			result_add(r, "system", V_UNKNOWN, "packages_unreadable", NULL,
			    json_pack("{s:o}", "detail", utf8_json_string(e->msg)));
		else
			result_add(r, "system", V_NOT_APPLICABLE, "no_antivirus", NULL, NULL);
	}
	free(ps);
}

const struct check_def check_antivirus_signatures_fresh = {
	"antivirus.signatures_fresh", "16-3",
	N_("Antivirus signatures are up to date"),
	run, msgs,
};
