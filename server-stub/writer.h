/* writer: the one thread that writes reports and enrollments to the
 * database. It takes every job waiting, up to commit_batch_max, applies
 * them in one transaction and commits once (group commit): one fsync
 * makes a whole batch durable, and while it runs the next batch gathers.
 * Each job's answer is known, and its done() called, only after the
 * commit returned. */
#ifndef MAMORI_COLL_WRITER_H
#define MAMORI_COLL_WRITER_H

#include "common/err.h"
#include "server-stub/store.h"

enum writer_kind { WRITER_REPORT, WRITER_ENROLL };

struct writer_job {
	enum writer_kind kind;
	struct store_report report;		/* in, for WRITER_REPORT */
	struct store_enrollment enroll;		/* in, for WRITER_ENROLL */
	int status;				/* out: a store_status */
	struct store_enrolled enrolled;		/* out, for WRITER_ENROLL */
	struct mm_err err;			/* out, when status is not STORE_OK */
	/* Called on the writer's thread once the answer is final; the job
	 * belongs to the submitter again from then on. */
	void (*done)(struct writer_job *j);
	void *arg;
	struct writer_job *next;
};

struct writer;

struct writer *writer_start(const char *database, unsigned busy_timeout_ms, unsigned batch_max,
    struct mm_err *e);
/* Queues a job. -1 once writer_stop began: the job will not run and
 * done() is not called. */
int writer_submit(struct writer *w, struct writer_job *j);
/* Refuses new jobs, finishes (and answers) every queued one, ends the
 * thread and closes the database. writer_submit stays safe to call (it
 * refuses) until writer_free: other threads may still try. */
void writer_stop(struct writer *w);
void writer_free(struct writer *w);

#endif
