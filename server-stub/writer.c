/* writer: the group-commit thread; see writer.h. */
#include <pthread.h>
#include <stdlib.h>
#include "server-stub/clock.h"
#include "server-stub/writer.h"

struct writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct writer_job *head, *tail;
	int stopping;
	unsigned batch_max;
	struct store *store;
};

static void
apply(struct writer *w, struct writer_job *j, time_t now)
{
	err_clear(&j->err);
	if (j->kind == WRITER_REPORT)
		j->status = store_report_put(w->store, &j->report, now, &j->err);
	else
		j->status = store_enroll(w->store, &j->enroll, now, &j->enrolled, &j->err);
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	struct writer_job *batch, *j, *next;
	struct mm_err e;
	unsigned n;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (w->head == NULL && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->head == NULL) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		batch = w->head;
		for (n = 1, j = batch; n < w->batch_max && j->next != NULL; n++)
			j = j->next;
		w->head = j->next;
		if (w->head == NULL)
			w->tail = NULL;
		j->next = NULL;
		pthread_mutex_unlock(&w->lock);

		time_t now = clock_now();
		/* A failure is logged once per request, by its refusal. */
		if (store_begin(w->store, &e) != 0) {
			for (j = batch; j != NULL; j = j->next) {
				j->status = STORE_ERROR;
				j->err = e;
			}
		} else {
			for (j = batch; j != NULL; j = j->next)
				apply(w, j, now);
			if (store_commit(w->store, &e) != 0) {
				/* Refusals stay true (they changed nothing);
				 * what was to be stored is not. */
				for (j = batch; j != NULL; j = j->next)
					if (j->status == STORE_OK) {
						j->status = STORE_ERROR;
						j->err = e;
					}
			}
		}
		for (j = batch; j != NULL; j = next) {
			next = j->next;
			j->next = NULL;
			j->done(j);
		}
	}
	return NULL;
}

struct writer *
writer_start(const char *database, unsigned busy_timeout_ms, unsigned batch_max, struct mm_err *e)
{
	struct writer *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		err_set(e, "out_of_memory", "out of memory");
		return NULL;
	}
	w->batch_max = batch_max > 0 ? batch_max : 1;
	if ((w->store = store_open(database, busy_timeout_ms, STORE_MIGRATE, e)) == NULL) {
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		err_set(e, "thread_failed", "cannot start the database writer thread");
		store_close(w->store);
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		free(w);
		return NULL;
	}
	return w;
}

int
writer_submit(struct writer *w, struct writer_job *j)
{
	int rc = 0;

	j->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		rc = -1;
	} else {
		if (w->tail != NULL)
			w->tail->next = j;
		else
			w->head = j;
		w->tail = j;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	return rc;
}

void
writer_stop(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		return;
	}
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	store_close(w->store);
	w->store = NULL;
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	writer_stop(w);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w);
}
