/* cycle: scan → status files → signed report → spool → collector. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agent/cycle.h"
#include "agent/report.h"
#include "agent/spool.h"
#include "agent/state.h"
#include "agent/userstatus.h"
#include "common/sign.h"

/* The enrolled state, locked. 1: not enrolled (no folder or no device.json). */
static int
open_enrolled(const struct cycle_opts *o, struct state *st, struct state_device *dev,
    char *capath, size_t caplen, struct mm_err *e)
{
	struct mm_err le;
	int rc;

	err_clear(&le);
	if (state_open(st, o->state_dir, 0, &le) == -1) {
		if (strcmp(le.reason, "not_enrolled") == 0)
			return 1;
		err_set(e, le.reason, "%s", le.msg);
		return -1;
	}
	if (state_lock(st, e) == -1) {
		state_close(st);
		return -1;
	}
	if ((rc = state_device_load(st, dev, e)) != 0) {
		state_close(st);
		return rc;
	}
	capath[0] = '\0';
	if (dev->ca_file[0] != '\0' && (size_t)snprintf(capath, caplen, "%s/%s", st->path,
	    dev->ca_file) >= caplen) {
		err_set(e, "path_invalid", "%s: path too long", st->path);
		state_close(st);
		return -1;
	}
	return 0;
}

static int
deliver(const struct cycle_opts *o, struct state *st, const struct state_device *dev,
    const char *capath, struct upload_result *up, struct mm_err *e)
{
	struct upload_retry retry = UPLOAD_RETRY_DEFAULT;
	struct spool sp;
	int rc;

	if (spool_open(&sp, st->dirfd, 0, 0, e) == -1)
		return -1;
	rc = upload_spool(&sp, dev, capath[0] ? capath : NULL, &retry, up, o->log, e);
	spool_close(&sp);
	return rc;
}

/* Signs the scan's report and spools it; the lock is held. */
static int
spool_report(const struct cycle_opts *o, struct state *st, const struct state_device *dev,
    const struct scan *s, const struct policy *p, struct cycle_result *res,
    struct mm_err *e)
{
	char path[4200], sig[SIGN_SIG_B64_LEN + 1];
	struct spool sp = { -1, -1, 0, 0 };
	struct sign_key *key = NULL;
	struct spool_entry en;
	uint64_t seq, floor, dropped;
	json_t *rep = NULL;
	char *body = NULL;
	int rc = -1;

	(void)o;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", st->path, dev->key_file) >=
	    sizeof(path)) {
		err_set(e, "path_invalid", "%s: path too long", st->path);
		return -1;
	}
	if ((key = sign_key_load(path, e)) == NULL)
		return -1;
	if (spool_open(&sp, st->dirfd, (uint64_t)p->spool.max_reports,
	    (uint64_t)p->spool.max_bytes, e) == -1 ||
	    spool_max_sequence(&sp, &floor, e) == -1 ||
	    state_sequence_next(st, floor, &seq, e) == -1 ||
	    spool_dropped_pending(&sp, &dropped, e) == -1)
		goto out;
	rep = report_build(s);
	if (rep == NULL ||
	    json_object_set_new(rep, "device_id", json_string(dev->device_id)) == -1 ||
	    json_object_set_new(rep, "sequence", json_integer((json_int_t)seq)) == -1 ||
	    json_object_set_new(rep, "spool", json_pack("{s:I}", "dropped",
	    (json_int_t)dropped)) == -1 ||
	    (body = json_dumps(rep, JSON_COMPACT)) == NULL) {
		err_set(e, "out_of_memory", "could not build the report");
		goto out;
	}
	if (sign_bytes(key, body, strlen(body), sig, e) == -1)
		goto out;
	memset(&en, 0, sizeof(en));
	en.sequence = seq;
	en.dropped = dropped;
	snprintf(en.device_id, sizeof(en.device_id), "%s", dev->device_id);
	snprintf(en.signature, sizeof(en.signature), "%s", sig);
	en.body = body;
	en.body_len = strlen(body);
	if (spool_put(&sp, &en, &res->evicted, e) == -1)
		goto out;
	res->sequence = seq;
	rc = 0;
out:
	free(body);
	json_decref(rep);
	spool_close(&sp);
	sign_key_free(key);
	return rc;
}

int
cycle_run(const struct cycle_opts *o, const struct root *r, const struct policy *p,
    time_t now, struct cycle_result *res, struct mm_err *e)
{
	struct state_device dev;
	struct state st;
	struct scan *s;
	char capath[4200];
	int rc = 0, en;

	memset(res, 0, sizeof(*res));
	/* struct scan is large (32 checks' results): not on the stack */
	if ((s = malloc(sizeof(*s))) == NULL) {
		err_set(e, "out_of_memory", "out of memory for a scan");
		return -1;
	}
	scan_run(s, r, p, now, o->live);
	res->overall = s->overall;
	/* the people at the PC first: their notification does not wait for
	 * the collector */
	if (o->status_dirfd != -1 &&
	    userstatus_write_all(o->status_dirfd, s, &res->status_files, e) == -1)
		rc = -1;
	en = open_enrolled(o, &st, &dev, capath, sizeof(capath), rc == -1 ? NULL : e);
	if (en == 0) {
		res->enrolled = 1;
		if (spool_report(o, &st, &dev, s, p, res, rc == -1 ? NULL : e) == -1)
			rc = -1;
		else if (o->stop == NULL || !o->stop()) {
			res->delivery_tried = 1;
			if (deliver(o, &st, &dev, capath, &res->up, rc == -1 ? NULL : e) == -1)
				rc = -1;
		}
		state_close(&st);
	} else if (en == -1) {
		rc = -1;
	}
	scan_free(s);
	free(s);
	/* a scan reads and frees a few MiB; give them back while idle */
	malloc_trim(0);
	return rc;
}

int
cycle_deliver(const struct cycle_opts *o, int *enrolled, struct upload_result *up,
    struct mm_err *e)
{
	struct state_device dev;
	struct state st;
	char capath[4200];
	int rc;

	memset(up, 0, sizeof(*up));
	*enrolled = 0;
	rc = open_enrolled(o, &st, &dev, capath, sizeof(capath), e);
	if (rc != 0)
		return rc == 1 ? 0 : -1;
	*enrolled = 1;
	rc = deliver(o, &st, &dev, capath, up, e);
	state_close(&st);
	malloc_trim(0);
	return rc;
}
