/* cycle: one round of the daemon — scan, each person's status file, and,
 * when the PC is enrolled, the signed report into the spool and the spool
 * to the collector. The scan and the report are those of `mamori scan` and
 * `mamori report` (agent/scan.c, agent/report.c); nothing here is
 * daemon-only but the order, which keeps a stop request cheap: once the
 * report is spooled, delivery can wait for the next start. */
#ifndef MAMORI_CYCLE_H
#define MAMORI_CYCLE_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "agent/scan.h"
#include "agent/upload.h"
#include "common/err.h"
#include "common/policy.h"
#include "platform/root.h"

struct cycle_opts {
	const char *state_dir;	/* resolved (state_dir_path) */
	int status_dirfd;	/* where UID.json files go; -1: none */
	int live;		/* the root is this machine's "/" */
	int (*stop)(void);	/* non-zero: a stop was asked; skip delivery */
	FILE *log;		/* upload's per-attempt lines */
};

struct cycle_result {
	enum overall overall;
	int enrolled;		/* 0: scanned and status written, nothing spooled */
	uint64_t sequence;	/* of the report spooled, 0 if none */
	size_t status_files;
	size_t evicted;		/* older reports dropped for room */
	int delivery_tried;
	struct upload_result up;
};

/* Runs a round at time now. -1 with e when the status files or the spool
 * could not be written (the scan's result is still in res->overall). */
int cycle_run(const struct cycle_opts *o, const struct root *r, const struct policy *p,
    time_t now, struct cycle_result *res, struct mm_err *e);

/* Sends what waits in the spool (nothing is scanned). *enrolled is 0 when
 * the PC is not enrolled (then nothing is done). */
int cycle_deliver(const struct cycle_opts *o, int *enrolled, struct upload_result *up,
    struct mm_err *e);

#endif
