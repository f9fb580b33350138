/* report: a scan as the JSON object of docs/report.md ("mamori.report/1").
 * This is what leaves the clinic: verdicts, counts and small evidence,
 * never passwords, hashes, URLs, file contents or command lines. */
#ifndef MAMORI_REPORT_H
#define MAMORI_REPORT_H

#include <jansson.h>
#include "agent/scan.h"

#define REPORT_SCHEMA "mamori.report/1"

/* A new reference to the report object. */
json_t *report_build(const struct scan *s);
/* RFC 3339 UTC, "2026-11-24T09:30:00Z". */
void report_time(time_t t, char out[32]);

#endif
