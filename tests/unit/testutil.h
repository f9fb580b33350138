/* testutil: small helpers shared by the unit tests — temporary root trees
 * written from literal text, the default policy, running one check.
 * Header-only so each test stays one file. */
#ifndef MAMORI_TESTUTIL_H
#define MAMORI_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "agent/scan.h"
#include "checks/check.h"

/* A fresh empty directory; free the result with tu_rmroot. */
static inline char *
tu_mkroot(void)
{
	char *d = strdup("/tmp/mamori-test-XXXXXX");
	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static inline void
tu_mkdirs(const char *root, const char *rel)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	mkdir(path, 0755);
}

/* Writes text to root/rel, making the folders on the way. */
static inline void
tu_write(const char *root, const char *rel, const char *text)
{
	char path[4096], dir[4096];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", rel);
	char *slash = strrchr(dir, '/');
	if (slash != NULL) {
		*slash = '\0';
		tu_mkdirs(root, dir);
	}
	int n = snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static inline void
tu_rmroot(char *root)
{
	char cmd[4200];
	int n = snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_true(n > 0 && (size_t)n < sizeof(cmd));
	assert_int_equal(system(cmd), 0);
	free(root);
}

static inline void
tu_policy(struct policy *p)
{
	struct policy_known k = scan_known_checks();
	struct mm_err e;
	assert_int_equal(policy_load_buf(p, NULL, 0, NULL, &k, &e), 0);
}

/* Runs one check against a root directory, with facts of its own (as a
 * scan whose first check it is). */
static inline void
tu_run(const struct check_def *c, const char *rootdir, const struct policy *p,
    time_t now, struct check_result *r, struct people *pp)
{
	struct root root;
	struct scan_ctx ctx;
	struct scan_facts facts;
	struct mm_err e;

	memset(r, 0, sizeof(*r));
	assert_int_equal(root_open(&root, rootdir, 0, &e), 0);
	people_load(pp, &root, p);
	scan_facts_init(&facts);
	ctx.root = &root;
	ctx.policy = p;
	ctx.people = pp;
	ctx.now = now;
	ctx.facts = &facts;
	c->run(&ctx, r);
	scan_facts_free(&facts);
	root_close(&root);
}

/* The finding about subject, or NULL. */
static inline const struct finding *
tu_finding(const struct check_result *r, const char *subject)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->f[i].subject, subject) == 0)
			return &r->f[i];
	return NULL;
}

/* Asserts that the finding about subject has verdict v and reason key. */
#define tu_assert_finding(r, subject, v, reason_key) do {                      \
	const struct finding *f_ = tu_finding((r), (subject));                  \
	if (f_ == NULL)                                                         \
		fail_msg("no finding for %s", (subject));                       \
	assert_string_equal(verdict_name(f_->verdict), verdict_name(v));        \
	if ((reason_key) == NULL)                                               \
		assert_null(f_->reason);                                        \
	else {                                                                  \
		assert_non_null(f_->reason);                                    \
		assert_string_equal(f_->reason, (const char *)(reason_key));    \
	}                                                                       \
} while (0)

#endif
