/* report_check: is a request body a report (docs/report.md, with the
 * fields of docs/protocol.md) that the collector can store? Takes a buffer
 * and its length, so tests and the fuzzer feed it bytes directly. The
 * summary it returns is what the store needs; it owns its strings, so the
 * parsed JSON is freed before the report waits for the database. */
#ifndef MAMORI_COLL_REPORT_CHECK_H
#define MAMORI_COLL_REPORT_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

#define REPORT_SCHEMA "mamori.report/1"
#define REPORT_MAX_DEPTH 32		/* nesting of arrays and objects */
#define REPORT_MAX_CHECKS 256
#define REPORT_MAX_FINDINGS 4096	/* per check */
#define REPORT_MAX_ID 128		/* check ids, articles, severities */
#define REPORT_MAX_DEVICE_ID 64
#define REPORT_MAX_TIME 64		/* generated_at */
#define REPORT_MAX_SEQUENCE 9007199254740991LL	/* 2^53 - 1: exact in every JSON reader */

struct report_item {
	const char *id, *article, *severity, *verdict;
};

struct report_summary {
	const char *device_id;
	int64_t sequence;
	const char *generated_at;
	const char *verdict;
	int64_t dropped;		/* spool.dropped, 0 when absent */
	struct report_item *checks;
	size_t n_checks;
	char *arena;			/* holds everything above */
};

/* 0 and a filled summary (free it with report_summary_free), or -1 with
 * reason "bad_request" and a message naming the first field that is
 * wrong, e.g. "checks[2].verdict must be one of pass, fail, …". */
int report_check(const char *buf, size_t len, struct report_summary *out, struct mm_err *e);
void report_summary_free(struct report_summary *s);

/* 0 if the arrays and objects of the JSON text in buf nest at most
 * max_depth deep, -1 otherwise; checked before parsing so that no parser
 * recurses deeper. Shared with the enrollment check. */
int report_check_depth(const char *buf, size_t len, int max_depth);

#endif
