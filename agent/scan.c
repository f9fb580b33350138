/* scan: the engine between the check table and every way of reporting. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agent/scan.h"

struct policy_known
scan_known_checks(void)
{
	static const char *ids[POLICY_MAX_CHECKS];
	struct policy_known k;

	for (size_t i = 0; i < check_table_len && i < POLICY_MAX_CHECKS; i++)
		ids[i] = check_table[i]->id;
	k.ids = ids;
	k.n = check_table_len;
	return k;
}

void
scan_facts_init(struct scan_facts *f)
{
	memset(f, 0, sizeof(*f));
	err_clear(&f->procs_err);
	pthread_mutex_init(&f->lock, NULL);
}

void
scan_facts_free(struct scan_facts *f)
{
	if (f->packages_loaded)
		packages_free(&f->packages);
	proc_list_free(&f->procs);
	for (size_t i = 0; i < f->n_profiles; i++)
		browser_profiles_free(&f->profiles[i].bp);
	free(f->profiles);
	pthread_mutex_destroy(&f->lock);
	scan_facts_init(f);
}

const struct packages *
scan_ctx_packages(const struct scan_ctx *ctx)
{
	struct scan_facts *f = ctx->facts;

	pthread_mutex_lock(&f->lock);
	if (!f->packages_loaded) {
		packages_load(&f->packages, ctx->root);
		f->packages_loaded = 1;
	}
	pthread_mutex_unlock(&f->lock);
	return &f->packages;
}

enum file_status
scan_ctx_processes(const struct scan_ctx *ctx, const struct proc_list **pl,
    const struct mm_err **e)
{
	struct scan_facts *f = ctx->facts;

	pthread_mutex_lock(&f->lock);
	if (!f->procs_loaded) {
		err_clear(&f->procs_err);
		f->procs_status = proc_list_load(ctx->root, SCAN_MAX_PROCS,
		    &f->procs, &f->procs_err);
		/* What a failed load left behind is no list to look at. */
		if (f->procs_status != FILE_OK)
			proc_list_free(&f->procs);
		f->procs_loaded = 1;
	}
	pthread_mutex_unlock(&f->lock);
	*pl = &f->procs;
	if (e != NULL)
		*e = &f->procs_err;
	return f->procs_status;
}

int
scan_ctx_browser_profiles(const struct scan_ctx *ctx, size_t i,
    const struct browser_profiles **bp, const struct mm_err **e)
{
	static const struct browser_profiles none;
	static _Thread_local struct mm_err oom;
	struct scan_facts *f = ctx->facts;
	struct person_profiles *pp;

	pthread_mutex_lock(&f->lock);
	if (f->profiles == NULL && ctx->people->n > 0) {
		f->profiles = calloc(ctx->people->n, sizeof(*f->profiles));
		if (f->profiles == NULL) {
			/* Nowhere to keep the list: this call fails as the
			 * listing itself would have without memory. */
			err_set(&oom, "out_of_memory",
			    "out of memory listing the browser profiles of %s",
			    ctx->people->v[i].name);
			*bp = &none;
			*e = &oom;
			pthread_mutex_unlock(&f->lock);
			return -1;
		}
		f->n_profiles = ctx->people->n;
	}
	pp = &f->profiles[i];
	if (!pp->loaded) {
		err_clear(&pp->err);
		pp->rc = browsers_find_profiles(ctx->root, &ctx->people->v[i],
		    &pp->bp, &pp->err);
		pp->loaded = 1;
	}
	pthread_mutex_unlock(&f->lock);
	*bp = &pp->bp;
	*e = &pp->err;
	return pp->rc;
}

/* Checks that walk home folders or read every browser profile: started
 * first, so that on two CPUs the long ones run side by side instead of
 * one waiting behind the other at the end (a scheduling hint only; the
 * report keeps the table's order). */
static const char *const long_checks[] = {
	"p2p.absent", "browser.no_saved_passwords", "browser.password_saving_off",
};

struct runner {
	const struct scan_ctx *ctx;
	struct scan_item **order;
	size_t n;
	atomic_size_t next;
};

static void *
run_items(void *arg)
{
	struct runner *rn = arg;
	size_t k;

	while ((k = atomic_fetch_add(&rn->next, 1)) < rn->n)
		rn->order[k]->def->run(rn->ctx, &rn->order[k]->result);
	return NULL;
}

/* Threads for the checks: the CPUs there are, at most SCAN_MAX_THREADS;
 * MAMORI_SCAN_THREADS=1 runs them one after the other. */
static size_t
thread_count(size_t items)
{
	const char *env = getenv("MAMORI_SCAN_THREADS");
	long n = env != NULL ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > SCAN_MAX_THREADS)
		n = SCAN_MAX_THREADS;
	if ((size_t)n > items)
		n = (long)(items > 0 ? items : 1);
	return (size_t)n;
}

void
scan_run(struct scan *s, const struct root *r, const struct policy *p, time_t now,
    int live)
{
	struct scan_ctx ctx;
	struct scan_facts facts;
	struct scan_item *order[POLICY_MAX_CHECKS];
	struct runner rn;
	pthread_t th[SCAN_MAX_THREADS];
	size_t nth, started = 0, no = 0;
	int fail = 0, unknown = 0;

	memset(s, 0, sizeof(*s));
	s->policy = p;
	s->at = now;
	device_read(&s->device, r, live);
	people_load(&s->people, r, p);
	ctx.root = r;
	ctx.policy = p;
	ctx.people = &s->people;
	ctx.now = now;
	scan_facts_init(&facts);
	ctx.facts = &facts;
	for (size_t i = 0; i < check_table_len && s->n < POLICY_MAX_CHECKS; i++) {
		const struct check_def *c = check_table[i];
		struct scan_item *it;
		enum severity sev = policy_severity(p, c->id);

		if (sev == SEV_OFF)
			continue;
		it = &s->items[s->n++];
		it->def = c;
		it->severity = sev;
	}
	/* the long checks first, then the rest in the table's order */
	for (size_t l = 0; l < sizeof(long_checks) / sizeof(long_checks[0]); l++)
		for (size_t i = 0; i < s->n; i++)
			if (strcmp(s->items[i].def->id, long_checks[l]) == 0)
				order[no++] = &s->items[i];
	for (size_t i = 0; i < s->n; i++) {
		size_t l = 0;

		while (l < sizeof(long_checks) / sizeof(long_checks[0]) &&
		    strcmp(s->items[i].def->id, long_checks[l]) != 0)
			l++;
		if (l == sizeof(long_checks) / sizeof(long_checks[0]))
			order[no++] = &s->items[i];
	}
	rn.ctx = &ctx;
	rn.order = order;
	rn.n = no;
	atomic_init(&rn.next, 0);
	nth = thread_count(no);
	for (size_t t = 1; t < nth; t++)
		if (pthread_create(&th[started], NULL, run_items, &rn) == 0)
			started++;
	run_items(&rn);		/* this thread works too; fewer threads just take longer */
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	for (size_t i = 0; i < s->n; i++) {
		struct scan_item *it = &s->items[i];

		it->verdict = result_verdict(&it->result);
		if (it->severity == SEV_REQUIRED && it->verdict == V_FAIL)
			fail = 1;
		if (it->severity == SEV_REQUIRED && it->verdict == V_UNKNOWN)
			unknown = 1;
	}
	/* The findings hold copies of what they name: nothing points here. */
	scan_facts_free(&facts);
	s->overall = fail ? OVERALL_NONCOMPLIANT :
	    unknown ? OVERALL_UNDETERMINED : OVERALL_COMPLIANT;
}

void
scan_free(struct scan *s)
{
	for (size_t i = 0; i < s->n; i++)
		result_free(&s->items[i].result);
	people_free(&s->people);
	s->n = 0;
}

const char *
overall_name(enum overall o)
{
	switch (o) {
	case OVERALL_COMPLIANT: return "compliant";
	case OVERALL_NONCOMPLIANT: return "noncompliant";
	default: return "unknown";
	}
}
