/* scan: the engine between the check table and every way of reporting. */
#include <stdlib.h>
#include <string.h>
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
scan_run(struct scan *s, const struct root *r, const struct policy *p, time_t now,
    int live)
{
	struct scan_ctx ctx;
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
	for (size_t i = 0; i < check_table_len && s->n < POLICY_MAX_CHECKS; i++) {
		const struct check_def *c = check_table[i];
		struct scan_item *it;
		enum severity sev = policy_severity(p, c->id);

		if (sev == SEV_OFF)
			continue;
		it = &s->items[s->n++];
		it->def = c;
		it->severity = sev;
		c->run(&ctx, &it->result);
		it->verdict = result_verdict(&it->result);
		if (sev == SEV_REQUIRED && it->verdict == V_FAIL)
			fail = 1;
		if (sev == SEV_REQUIRED && it->verdict == V_UNKNOWN)
			unknown = 1;
	}
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
