/* scan: runs every check the policy turns on against one root and folds
 * the results into the device's verdict. `mamori scan`, `mamori report`
 * and the daemon all call this one engine. */
#ifndef MAMORI_SCAN_H
#define MAMORI_SCAN_H

#include <time.h>
#include "checks/check.h"
#include "common/policy.h"
#include "platform/accounts.h"
#include "platform/device.h"
#include "platform/root.h"

enum overall {
	OVERALL_COMPLIANT = 0,		/* exit 0 */
	OVERALL_NONCOMPLIANT = 1,	/* exit 1: a required check fails */
	OVERALL_UNDETERMINED = 3,	/* exit 3: a required check is unknown, none fails */
};

struct scan_item {
	const struct check_def *def;
	enum severity severity;
	enum verdict verdict;
	struct check_result result;
};

struct scan {
	struct scan_item items[POLICY_MAX_CHECKS];
	size_t n;
	struct device_facts device;
	struct people people;
	const struct policy *policy;
	time_t at;
	enum overall overall;
};

/* Most threads scan_run runs checks on. */
#define SCAN_MAX_THREADS 4

/* live: the root is this machine's "/" (host name may come from uname).
 * The checks run side by side on up to one thread per CPU
 * (MAMORI_SCAN_THREADS=N sets how many); the result is the same. */
void scan_run(struct scan *s, const struct root *r, const struct policy *p,
    time_t now, int live);
void scan_free(struct scan *s);
const char *overall_name(enum overall o);

/* The ids of the check table, for policy validation. */
struct policy_known scan_known_checks(void);

#endif
