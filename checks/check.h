/* check: what a check is given, what it gives back, and the one table of
 * checks. A check reads the machine through platform/ only, starts from
 * `unknown` and earns `pass`; it never prints, exits, writes or sends. */
#ifndef MAMORI_CHECK_H
#define MAMORI_CHECK_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>
#include <jansson.h>
#include "common/err.h"
#include "common/i18n.h"
#include "common/policy.h"
#include "platform/accounts.h"
#include "platform/browsers.h"
#include "platform/packages.h"
#include "platform/proc.h"
#include "platform/root.h"

enum verdict {
	V_PASS = 0,
	V_FAIL,
	V_NOT_APPLICABLE,
	V_UNKNOWN,
};

const char *verdict_name(enum verdict v);

/* One message of a check: a stable key (carried in the report) and its
 * English text, which is also the gettext msgid. "{name}" in the text is
 * filled from the finding's evidence of that name. */
struct check_msg {
	const char *key;
	const char *text;
};

struct finding {
	char *subject;		/* "alice", "/etc/login.defs", "system" */
	enum verdict verdict;
	const char *reason;	/* key of a reason message; NULL for a plain pass */
	const char *remediation;/* key of a remediation message, or NULL */
	json_t *evidence;	/* small object of facts: counts, settings, paths */
};

struct check_result {
	struct finding *f;
	size_t n, cap;
};

/* One person's browser profiles as browsers_find_profiles listed them. */
struct person_profiles {
	int loaded;
	int rc;				/* 0, or -1 with err */
	struct browser_profiles bp;	/* empty unless rc == 0 */
	struct mm_err err;
};

/* Facts several checks read — the installed packages, the running
 * processes, each person's browser profiles — each read at most once a
 * scan: the first check that asks loads it, later ones get the same
 * answer, a failure included, so that each check reports it as if it had
 * read it itself. Whoever makes a scan_ctx owns one (scan_facts_init,
 * scan_facts_free after the checks). */
struct scan_facts {
	/* The checks of one scan may run on several threads (scan_run):
	 * loading and handing out a fact happens under this lock; what was
	 * loaded is not changed again until scan_facts_free. */
	pthread_mutex_t lock;
	int packages_loaded;
	struct packages packages;
	int procs_loaded;
	enum file_status procs_status;
	struct proc_list procs;		/* empty unless procs_status is FILE_OK */
	struct mm_err procs_err;	/* when FILE_BAD */
	/* Each person's browser profiles, by index in scan_ctx.people. */
	struct person_profiles *profiles;
	size_t n_profiles;		/* people->n once profiles is allocated */
};

/* The most processes a scan reads from /proc; more is FILE_BAD. */
#define SCAN_MAX_PROCS 65536

/* What a check may look at. people is loaded once for all checks; facts
 * is filled as checks ask (scan_ctx_packages, scan_ctx_processes). */
struct scan_ctx {
	const struct root *root;
	const struct policy *policy;
	const struct people *people;
	time_t now;
	struct scan_facts *facts;
};

void scan_facts_init(struct scan_facts *f);
void scan_facts_free(struct scan_facts *f);
/* The installed packages of every package manager (packages_load),
 * loaded at the first call of the scan. */
const struct packages *scan_ctx_packages(const struct scan_ctx *ctx);
/* The running processes (proc_list_load under the root), loaded at the
 * first call of the scan: FILE_OK, FILE_ABSENT (no /proc: not a running
 * system) or FILE_BAD with *e. *pl is always a list, empty unless
 * FILE_OK; e may be NULL. */
enum file_status scan_ctx_processes(const struct scan_ctx *ctx,
    const struct proc_list **pl, const struct mm_err **e);
/* The browser profiles of ctx->people->v[i] (browsers_find_profiles),
 * listed at the first call for that person in the scan: 0 with *bp, or
 * -1 with *e (no memory) as browsers_find_profiles failed, the same at
 * every call. *bp is always a list, empty on -1. */
int scan_ctx_browser_profiles(const struct scan_ctx *ctx, size_t i,
    const struct browser_profiles **bp, const struct mm_err **e);

struct check_def {
	const char *id;			/* stable: "account.password_set" */
	const char *article;		/* "16-1", "15-2,16-1" */
	const char *title;		/* English, gettext msgid */
	void (*run)(const struct scan_ctx *, struct check_result *);
	const struct check_msg *msgs;	/* reasons and remediations, NULL-key ended */
};

/* Adds a finding; evidence is taken over (may be NULL). Subject is copied. */
void result_add(struct check_result *r, const char *subject, enum verdict v,
    const char *reason, const char *remediation, json_t *evidence);
/* Adds an `unknown` finding from a platform error, with the path as evidence. */
void result_add_error(struct check_result *r, const char *subject,
    const struct mm_err *e);
/* The check's verdict from its findings: any fail → fail, else any unknown
 * → unknown, else any pass → pass, else not_applicable. */
enum verdict result_verdict(const struct check_result *r);
void result_free(struct check_result *r);

/* The table. */
extern const struct check_def *const check_table[];
extern const size_t check_table_len;
const struct check_def *check_find(const char *id);

/* Text of a message key for a check (its own messages, then the common
 * ones), untranslated; NULL if the key is unknown. */
const char *check_msg_text(const struct check_def *c, const char *key);
/* The common messages (platform errors) shared by every check. */
extern const struct check_msg check_common_msgs[];

#endif
