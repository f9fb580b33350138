/* dash_query: what the dashboard's pages show, read from the collector's
 * SQLite database as JSON (jansson) or CSV: the overview of facilities by
 * article, a facility's devices, a device's findings and history, and the
 * exports. Access rules are the caller's (dashboard.c): these functions
 * answer for whatever facility they are given. */
#ifndef MAMORI_COLL_DASH_QUERY_H
#define MAMORI_COLL_DASH_QUERY_H

#include <stdint.h>
#include <time.h>
#include <jansson.h>
#include "common/err.h"
#include "server-stub/csv.h"
#include "server-stub/store.h"

/* When a device counts as silent: no report since `since`. */
struct dash_when {
	time_t now;
	time_t silent_before;	/* now - silent_after */
};

/* facility 0: every facility. Facilities come worst first. */
int dash_overview(struct store *s, int64_t facility, const struct dash_when *w, json_t **out,
    struct mm_err *e);
/* The facility's active devices; STORE_NOT_FOUND if there is no such facility. */
int dash_facility(struct store *s, int64_t facility, const struct dash_when *w, json_t **out,
    struct mm_err *e);
/* The device's current findings (with their texts in Japanese and
 * English), its verdict changes, sequence gaps and dropped reports. */
int dash_device(struct store *s, const struct store_device *d, const struct dash_when *w,
    json_t **out, struct mm_err *e);
/* Every check of the table with its article and title in both languages. */
json_t *dash_checks(void);

/* CSV exports (header line first); facility 0 = every facility. */
int dash_csv_current(struct store *s, int64_t facility, const struct dash_when *w,
    struct csv *out, struct mm_err *e);
/* Verdict changes with from <= at < to. */
int dash_csv_history(struct store *s, int64_t facility, time_t from, time_t to,
    struct csv *out, struct mm_err *e);

#endif
