/* result: collecting a check's findings and folding them into a verdict. */
#include <stdlib.h>
#include <string.h>
#include "checks/check.h"
#include "common/utf8.h"

static const char *const verdict_names[] = {
	"pass", "fail", "not_applicable", "unknown",
};

const char *
verdict_name(enum verdict v)
{
	return verdict_names[v];
}

void
result_add(struct check_result *r, const char *subject, enum verdict v,
    const char *reason, const char *remediation, json_t *evidence)
{
	struct finding *f;

	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 8;
		struct finding *nf = realloc(r->f, nc * sizeof(*nf));
		if (nf == NULL) {
			/* Losing a finding silently could hide a fail; abort is
			 * the honest answer to no memory in a short-lived scan. */
			abort();
		}
		r->f = nf;
		r->cap = nc;
	}
	f = &r->f[r->n++];
	f->subject = strdup(subject ? subject : "system");
	f->verdict = v;
	f->reason = reason;
	f->remediation = remediation;
	f->evidence = evidence ? evidence : json_object();
	if (f->subject == NULL || f->evidence == NULL)
		abort();
}

void
result_add_error(struct check_result *r, const char *subject, const struct mm_err *e)
{
	json_t *ev = json_object();

	/* The message names a path and what went wrong, never file contents. */
	json_object_set_new(ev, "detail", utf8_json_string(e->msg));
	result_add(r, subject, V_UNKNOWN, e->reason ? e->reason : "file_unreadable",
	    NULL, ev);
}

enum verdict
result_verdict(const struct check_result *r)
{
	int pass = 0, unknown = 0;

	for (size_t i = 0; i < r->n; i++) {
		switch (r->f[i].verdict) {
		case V_FAIL:
			return V_FAIL;
		case V_UNKNOWN:
			unknown = 1;
			break;
		case V_PASS:
			pass = 1;
			break;
		case V_NOT_APPLICABLE:
			break;
		}
	}
	if (unknown)
		return V_UNKNOWN;
	return pass ? V_PASS : V_NOT_APPLICABLE;
}

void
result_free(struct check_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->f[i].subject);
		json_decref(r->f[i].evidence);
	}
	free(r->f);
	memset(r, 0, sizeof(*r));
}
