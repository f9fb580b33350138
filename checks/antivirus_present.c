/* antivirus.present (article 16-3): an antivirus product is installed and
 * its engine is running. The products are policy data (antivirus.products):
 * a product is installed when one of its packages is (dpkg or RPM) or one
 * of its paths exists; it runs when one of its processes is in /proc.
 *
 * One running product is what the article asks for. So when one runs,
 * another that is installed but stopped (a leftover on-demand scanner,
 * say) is reported as not_applicable rather than failing the PC; when
 * none runs, each installed one fails with engine_not_running. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks/check.h"
#include "common/utf8.h"
#include "platform/packages.h"
#include "platform/proc.h"

static const struct check_msg msgs[] = {
	{ "running", N_("{subject} is installed and its engine is running ({process}).") },
	{ "engine_not_running", N_("{subject} is installed, but its engine is not running, so files are not checked as they are opened.") },
	{ "engine_not_running_other_active", N_("{subject} is installed but not running; another antivirus product protects this PC.") },
	{ "none_installed", N_("No antivirus product is installed.") },
	{ "engine_unknown", N_("{subject} is installed, but the running programs could not be read to see whether its engine runs. ({detail})") },
	{ "packages_unreadable", N_("The list of installed packages could not be read, so an installed antivirus product could have been missed. ({detail})") },
	{ "start_clamav", N_("As an administrator, start ClamAV's engine and keep it starting with the PC: `sudo apt install clamav-daemon` if it is missing, then `sudo systemctl enable --now clamav-daemon clamav-freshclam`.") },
	{ "start_product", N_("Start {subject}'s protection (its service) and make it start with the PC, as its manual says; if you cannot, tell the facility's m@tsu net administrator.") },
	/* TRANSLATORS: clamav-daemon and clamav-freshclam are Debian package names. */
	{ "install_antivirus", N_("As an administrator, install an antivirus product and start it, for example ClamAV: `sudo apt install clamav-daemon clamav-freshclam`, then `sudo systemctl enable --now clamav-daemon clamav-freshclam`. Ask the facility's m@tsu net administrator which product the facility uses.") },
	{ NULL, NULL },
};

struct product_state {
	int installed;
	const char *by;		/* "dpkg", "rpm" or "path" */
	const char *what;	/* the package or path */
	const char *process;	/* matched program name, or NULL */
};

static void
probe_installed(const struct scan_ctx *ctx, const struct packages *pk,
    const struct av_product *p, struct product_state *ps)
{
	for (size_t k = 0; k < p->packages.n && !ps->installed; k++) {
		const char *by = packages_find(pk, p->packages.v[k]);
		if (by != NULL) {
			ps->installed = 1;
			ps->by = by;
			ps->what = p->packages.v[k];
		}
	}
	for (size_t k = 0; k < p->paths.n && !ps->installed; k++) {
		char kind;
		off_t size;

		if (root_stat(ctx->root, p->paths.v[k], &kind, &size, NULL) == FILE_OK) {
			ps->installed = 1;
			ps->by = "path";
			ps->what = p->paths.v[k];
		}
	}
}

static void
probe_running(const struct proc_list *pl, const struct av_product *p,
    struct product_state *ps)
{
	for (size_t j = 0; j < pl->n && ps->process == NULL; j++)
		for (size_t k = 0; k < p->processes.n && ps->process == NULL; k++)
			ps->process = proc_match(&pl->v[j], p->processes.v[k]);
}

static json_t *
ev_product(const struct product_state *ps)
{
	json_t *ev = json_object();

	json_object_set_new(ev, "installed_by", json_string(ps->by));
	json_object_set_new(ev, strcmp(ps->by, "path") == 0 ? "path" : "package",
	    json_string(ps->what));
	if (ps->process != NULL)
		json_object_set_new(ev, "process", utf8_json_string(ps->process));
	return ev;
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	const struct policy *pol = ctx->policy;
	struct product_state *ps;
	const struct packages *pk;
	const struct proc_list *pl;
	const struct mm_err *pe;
	enum file_status procs;
	size_t n = pol->antivirus.n, installed = 0, running = 0;

	ps = calloc(n ? n : 1, sizeof(*ps));
	if (ps == NULL)
		abort();	/* as result_add: a lost finding could hide a fail */
	pk = scan_ctx_packages(ctx);
	procs = scan_ctx_processes(ctx, &pl, &pe);
	for (size_t i = 0; i < n; i++) {
		probe_installed(ctx, pk, &pol->antivirus.v[i], &ps[i]);
		if (!ps[i].installed)
			continue;
		installed++;
		if (procs == FILE_OK)
			probe_running(pl, &pol->antivirus.v[i], &ps[i]);
		if (ps[i].process != NULL)
			running++;
	}
	for (size_t i = 0; i < n; i++) {
		const struct av_product *p = &pol->antivirus.v[i];
		const char *start = p->freshness == AV_FRESH_CLAMAV ? "start_clamav" : "start_product";
		json_t *ev;

		if (!ps[i].installed)
			continue;
		ev = ev_product(&ps[i]);
		if (ps[i].process != NULL)
			result_add(r, p->name, V_PASS, "running", NULL, ev);
		else if (running > 0)
			result_add(r, p->name, V_NOT_APPLICABLE, "engine_not_running_other_active", NULL, ev);
		else if (procs != FILE_OK) {
			/* No /proc (an image, not a running PC) or unreadable:
			 * whether the engine runs is not known. */
			json_object_set_new(ev, "detail", utf8_json_string(procs == FILE_ABSENT ?
			    "/proc is not there: not a running system" : pe->msg));
			result_add(r, p->name, V_UNKNOWN, "engine_unknown", start, ev);
		} else
			result_add(r, p->name, V_FAIL, "engine_not_running", start, ev);
	}
	if (installed == 0) {
		const struct mm_err *e = packages_error(pk);

		/* Not knowing what is installed is no reason to tell the
		 * person to install something: no fix, the reason says why. */
		if (e != NULL)
			result_add(r, "system", V_UNKNOWN, "packages_unreadable", NULL,
			    json_pack("{s:o}", "detail", utf8_json_string(e->msg)));
		else
			result_add(r, "system", V_FAIL, "none_installed", "install_antivirus",
			    json_pack("{s:I}", "products_known", (json_int_t)pol->antivirus.n));
	}
	free(ps);
}

const struct check_def check_antivirus_present = {
	"antivirus.present", "16-3",
	N_("An antivirus product is installed and its engine is running"),
	run, msgs,
};
