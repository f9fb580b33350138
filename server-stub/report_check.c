/* report_check: validating a report body; see report_check.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "server-stub/jscan.h"
#include "server-stub/report_check.h"

int
report_check_depth(const char *buf, size_t len, int max_depth)
{
	int depth = 0, in_string = 0;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth)
				return -1;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
}

static const char *const report_verdicts[] = { "compliant", "noncompliant", "unknown", NULL };
static const char *const check_verdicts[] = { "pass", "fail", "not_applicable", "unknown", NULL };
static const char *const severities[] = { "required", "advisory", NULL };

/* The summary's strings: the items first (aligned), then the text. */
struct arena {
	char *buf;
	size_t pos;
};

/* Printable ASCII of 1..max bytes: these strings end up in SQL rows, log
 * lines and the dashboard's tables. */
static int
printable(const char *s, size_t n, size_t max)
{
	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* field of object o must be a printable string of at most max bytes; it
 * is decoded into the arena. */
static int
get_string(const struct jscan *j, size_t o, const char *field, size_t max,
    struct arena *a, const char **out, struct mm_err *e)
{
	long v = jscan_get(j, o, field), n = -1;
	char *dst = a->buf + a->pos;

	if (v < 0) {
		err_set(e, "bad_request", "%s is missing", field);
		return -1;
	}
	if (j->t[v].type == JSCAN_STRING && j->t[v].end - j->t[v].start <= max * 6)
		n = jscan_str(j, (size_t)v, dst, j->t[v].end - j->t[v].start + 1);
	if (n < 0 || !printable(dst, (size_t)n, max)) {
		err_set(e, "bad_request", "%s must be a string of 1 to %zu printable ASCII characters",
		    field, max);
		return -1;
	}
	a->pos += (size_t)n + 1;
	*out = dst;
	return 0;
}

/* field must be one of set; *out is the set's own string. */
static int
get_enum(const struct jscan *j, size_t o, const char *field, const char *const *set,
    const char *list, const char **out, struct mm_err *e)
{
	long v = jscan_get(j, o, field);

	if (v < 0) {
		err_set(e, "bad_request", "%s is missing", field);
		return -1;
	}
	for (; *set != NULL; set++)
		if (jscan_streq(j, (size_t)v, *set)) {
			*out = *set;
			return 0;
		}
	err_set(e, "bad_request", "%s must be one of %s", field, list);
	return -1;
}

/* A whole number from min to REPORT_MAX_SEQUENCE. */
static int
get_count(const struct jscan *j, long v, const char *what, long long min, int64_t *out,
    struct mm_err *e)
{
	if (jscan_int(j, (size_t)v, out) != 0 || *out < min || *out > REPORT_MAX_SEQUENCE) {
		err_set(e, "bad_request", "%s must be a whole number from %lld to %lld", what, min,
		    REPORT_MAX_SEQUENCE);
		return -1;
	}
	return 0;
}

/* Room for a string field's decoded text (never longer than its raw text). */
static size_t
room(const struct jscan *j, size_t o, const char *field)
{
	long v = jscan_get(j, o, field);

	return v >= 0 && j->t[v].type == JSCAN_STRING ? j->t[v].end - j->t[v].start + 1 : 1;
}

int
report_check(const char *buf, size_t len, struct report_summary *out, struct mm_err *e)
{
	struct jscan j;
	struct mm_err je;
	struct arena a = { NULL, 0 };
	long v, checks;
	size_t n, i, c, need;

	memset(out, 0, sizeof(*out));
	if (len == 0) {
		err_set(e, "bad_request", "the body is empty; it must be a report (JSON object)");
		return -1;
	}
	/* Strict: duplicate keys are refused too, since two "sequence"
	 * fields could be read differently by the collector and by whoever
	 * audits the stored report. */
	if (jscan_parse(&j, buf, len, REPORT_MAX_DEPTH, &je) != 0) {
		err_set(e, "bad_request", "the body is not valid JSON (%s)", je.msg);
		goto fail;
	}
	if (j.t[0].type != JSCAN_OBJECT) {
		err_set(e, "bad_request", "the body must be a JSON object");
		goto fail;
	}
	if ((v = jscan_get(&j, 0, "schema")) < 0 || !jscan_streq(&j, (size_t)v, REPORT_SCHEMA)) {
		err_set(e, "bad_request", "schema must be \"%s\"", REPORT_SCHEMA);
		goto fail;
	}
	checks = jscan_get(&j, 0, "checks");
	if (checks < 0 || j.t[checks].type != JSCAN_ARRAY || j.t[checks].size > REPORT_MAX_CHECKS) {
		err_set(e, "bad_request", "checks must be an array of at most %d checks",
		    REPORT_MAX_CHECKS);
		goto fail;
	}
	n = j.t[checks].size;
	need = n * sizeof(struct report_item) + room(&j, 0, "device_id") +
	    room(&j, 0, "generated_at");
	for (c = (size_t)checks + 1; c < j.t[checks].next; c = j.t[c].next)
		need += room(&j, c, "id") + room(&j, c, "article");
	if ((a.buf = malloc(need)) == NULL) {
		err_set(e, "out_of_memory", "out of memory");
		goto fail;
	}
	out->arena = a.buf;
	out->checks = (struct report_item *)(void *)a.buf;
	a.pos = n * sizeof(struct report_item);

	if (get_string(&j, 0, "device_id", REPORT_MAX_DEVICE_ID, &a, &out->device_id, e) != 0)
		goto fail;
	if ((v = jscan_get(&j, 0, "sequence")) < 0) {
		err_set(e, "bad_request", "sequence is missing");
		goto fail;
	}
	if (get_count(&j, v, "sequence", 1, &out->sequence, e) != 0 ||
	    get_string(&j, 0, "generated_at", REPORT_MAX_TIME, &a, &out->generated_at, e) != 0 ||
	    get_enum(&j, 0, "verdict", report_verdicts, "compliant, noncompliant, unknown",
	    &out->verdict, e) != 0)
		goto fail;
	if ((v = jscan_get(&j, 0, "spool")) >= 0) {
		long d;

		if (j.t[v].type != JSCAN_OBJECT) {
			err_set(e, "bad_request", "spool must be an object");
			goto fail;
		}
		if ((d = jscan_get(&j, (size_t)v, "dropped")) >= 0 &&
		    get_count(&j, d, "spool.dropped", 0, &out->dropped, e) != 0)
			goto fail;
	}
	for (i = 0, c = (size_t)checks + 1; i < n; i++, c = j.t[c].next) {
		struct report_item *it = &out->checks[i];
		long f;

		if (j.t[c].type != JSCAN_OBJECT) {
			err_set(e, "bad_request", "checks[%zu] must be an object", i);
			goto fail;
		}
		if (get_string(&j, c, "id", REPORT_MAX_ID, &a, &it->id, e) != 0 ||
		    get_string(&j, c, "article", REPORT_MAX_ID, &a, &it->article, e) != 0 ||
		    get_enum(&j, c, "severity", severities, "required, advisory",
		    &it->severity, e) != 0 ||
		    get_enum(&j, c, "verdict", check_verdicts,
		    "pass, fail, not_applicable, unknown", &it->verdict, e) != 0) {
			/* The message names the field; the check's index goes in
			 * front, formatted only here, off the common path. */
			char msg[sizeof(e->msg)];
			snprintf(msg, sizeof(msg), "%s", e->msg);
			err_set(e, "bad_request", "checks[%zu].%s", i, msg);
			goto fail;
		}
		f = jscan_get(&j, c, "findings");
		if (f < 0 || j.t[f].type != JSCAN_ARRAY || j.t[f].size > REPORT_MAX_FINDINGS) {
			err_set(e, "bad_request", "checks[%zu].findings must be an array of at most %d "
			    "findings", i, REPORT_MAX_FINDINGS);
			goto fail;
		}
		for (size_t k = (size_t)f + 1, m = 0; k < j.t[f].next; k = j.t[k].next, m++)
			if (j.t[k].type != JSCAN_OBJECT) {
				err_set(e, "bad_request", "checks[%zu].findings[%zu] must be an object", i, m);
				goto fail;
			}
		/* One state per check and device: a check twice is ambiguous. */
		for (size_t k = 0; k < i; k++)
			if (strcmp(out->checks[k].id, it->id) == 0) {
				err_set(e, "bad_request", "checks[%zu].id repeats checks[%zu].id", i, k);
				goto fail;
			}
	}
	out->n_checks = n;
	jscan_free(&j);
	return 0;
fail:
	jscan_free(&j);
	report_summary_free(out);
	return -1;
}

void
report_summary_free(struct report_summary *s)
{
	if (s == NULL)
		return;
	free(s->arena);
	memset(s, 0, sizeof(*s));
}
