/* dash_query: the dashboard's read models over the SQLite database; see
 * dash_query.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "checks/check.h"
#include "common/i18n.h"
#include "common/render.h"
#include "server-stub/clock.h"
#include "server-stub/dash_query.h"
#include "server-stub/dash_sql.h"

#define MAX_ARTICLES 64

static const char *
col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t != NULL ? (const char *)t : "";
}

static json_t *
time_json(time_t t)
{
	char b[32];

	if (t == 0)
		return json_null();
	clock_format(t, b, sizeof(b));
	return json_string(b);
}

/* "15-2" < "15-3" < "16-1" < "16-10": by article, then paragraph. */
static int
article_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int xa = atoi(x), ya = atoi(y);
	const char *xd = strchr(x, '-'), *yd = strchr(y, '-');
	int xp = xd ? atoi(xd + 1) : 0, yp = yd ? atoi(yd + 1) : 0;

	if (xa != ya)
		return xa < ya ? -1 : 1;
	if (xp != yp)
		return xp < yp ? -1 : 1;
	return strcmp(x, y);
}

/* The articles the check table enforces ("16-6..10" and other ranges
 * count as written), sorted. */
struct articles {
	char *name[MAX_ARTICLES];
	size_t n;
	char store[MAX_ARTICLES * 16];
};

static int
article_index(struct articles *a, const char *name, size_t len, int add)
{
	for (size_t i = 0; i < a->n; i++)
		if (strlen(a->name[i]) == len && memcmp(a->name[i], name, len) == 0)
			return (int)i;
	if (!add || a->n == MAX_ARTICLES || len >= 16)
		return -1;
	a->name[a->n] = a->store + a->n * 16;
	memcpy(a->name[a->n], name, len);
	a->name[a->n][len] = '\0';
	return (int)a->n++;
}

static void
articles_load(struct articles *a)
{
	a->n = 0;
	for (size_t i = 0; i < check_table_len; i++) {
		const char *p = check_table[i]->article;
		while (*p) {
			size_t len = strcspn(p, ",");
			article_index(a, p, len, 1);
			p += len;
			if (*p == ',')
				p++;
		}
	}
	qsort(a->name, a->n, sizeof(a->name[0]), article_cmp);
}

enum { C_COMPLIANT, C_NONCOMPLIANT, C_UNKNOWN, C_SILENT, C_N };
static const char *const count_names[C_N] = { "compliant", "noncompliant", "unknown", "silent" };

struct fac_row {
	int64_t id;
	char name[STORE_NAME_MAX + 1];
	int64_t total[C_N];
	int64_t cell[MAX_ARTICLES][C_N];
	int64_t devices;
};

struct fac_list {
	struct fac_row *f;
	size_t n, cap;
	int64_t only;
};

static int
collect_facility(const struct store_facility *f, void *arg)
{
	struct fac_list *l = arg;

	if (l->only != 0 && f->id != l->only)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct fac_row *n = realloc(l->f, cap * sizeof(*n));
		if (n == NULL)
			return 1;
		l->f = n;
		l->cap = cap;
	}
	memset(&l->f[l->n], 0, sizeof(l->f[0]));
	l->f[l->n].id = f->id;
	snprintf(l->f[l->n].name, sizeof(l->f[0].name), "%s", f->name);
	l->n++;
	return 0;
}

static struct fac_row *
fac_find(struct fac_list *l, int64_t id)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->f[mid].id == id)
			return &l->f[mid];
		if (l->f[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The worst first: most noncompliant devices, then silent, then unknown. */
static int
fac_cmp(const void *a, const void *b)
{
	const struct fac_row *x = a, *y = b;
	static const int order[] = { C_NONCOMPLIANT, C_SILENT, C_UNKNOWN };

	for (size_t i = 0; i < 3; i++)
		if (x->total[order[i]] != y->total[order[i]])
			return x->total[order[i]] > y->total[order[i]] ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
device_state(const char *verdict, time_t last_report, const struct dash_when *w)
{
	if (last_report == 0 || last_report < w->silent_before)
		return C_SILENT;
	if (strcmp(verdict, "compliant") == 0)
		return C_COMPLIANT;
	if (strcmp(verdict, "noncompliant") == 0)
		return C_NONCOMPLIANT;
	return C_UNKNOWN;
}

static const char *
state_name(int c)
{
	return count_names[c];
}

/* Adds one device's per-article worst (0 pass, 1 unknown, 2 fail, -1
 * absent) to its facility's cells. */
static void
flush_device(struct fac_row *f, const int *worst, size_t n, int silent)
{
	static const int to_count[] = { C_COMPLIANT, C_UNKNOWN, C_NONCOMPLIANT };

	if (f == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		if (worst[i] < 0)
			continue;
		f->cell[i][silent ? C_SILENT : to_count[worst[i]]]++;
	}
}

/* An article group as stored (e.g. "16-6,16-7,16-8,16-9,16-10") and the
 * indexes of its articles among the known ones, so that each is split and
 * looked up once per call, not once per device. */
struct group {
	char s[64];
	size_t len;
	int idx[MAX_ARTICLES];
	int n;
};

struct groups {
	struct group g[MAX_ARTICLES];
	size_t n;
	struct group tmp;	/* a group that is not cached */
};

static void
group_split(struct group *g, struct articles *a, const char *s, size_t len)
{
	g->n = 0;
	for (const char *art = s; art < s + len;) {
		size_t n = strcspn(art, ",");
		int k;

		if (n > (size_t)(s + len - art))
			n = (size_t)(s + len - art);
		k = article_index(a, art, n, 0);
		if (k >= 0 && g->n < MAX_ARTICLES)
			g->idx[g->n++] = k;
		art += n;
		if (art < s + len && *art == ',')
			art++;
	}
}

/* The group s (len bytes, not terminated); pos is its place in the
 * device's list, which is most often the place it had for the device
 * before. A group too long or beyond the cache is split each time, in
 * c->tmp. */
static const struct group *
group_find(struct groups *c, struct articles *a, const char *s, size_t len, size_t pos)
{
	struct group *g;

	if (pos < c->n && c->g[pos].len == len && memcmp(c->g[pos].s, s, len) == 0)
		return &c->g[pos];
	for (size_t i = 0; i < c->n; i++)
		if (c->g[i].len == len && memcmp(c->g[i].s, s, len) == 0)
			return &c->g[i];
	if (len >= sizeof(c->g[0].s) || c->n == MAX_ARTICLES) {
		group_split(&c->tmp, a, s, len);
		return &c->tmp;
	}
	g = &c->g[c->n++];
	memcpy(g->s, s, len);
	g->len = len;
	group_split(g, a, s, len);
	return g;
}

int
dash_overview(struct store *s, int64_t facility, const struct dash_when *w, json_t **out,
    struct mm_err *e)
{
	struct articles a;
	struct fac_list l = { .only = facility };
	int worst[MAX_ARTICLES];
	struct groups gc = { .n = 0 };
	int rc;
	sqlite3 *db;
	sqlite3_stmt *st;
	json_t *arts, *facs;

	articles_load(&a);
	if (store_facility_list(s, collect_facility, &l, e) != STORE_OK) {
		free(l.f);
		return STORE_ERROR;
	}
	/* Device totals by their own verdict, and per article the device's
	 * worst required verdict among the checks that enforce it, from the
	 * summary the writer keeps (device_articles, store_sqlite.c:
	 * "LEN:ARTICLES" and a digit per article group, 0 pass, 1 unknown,
	 * 2 fail; no row while the device has no check). */
	if ((st = dash_sql_prep(s, "SELECT d.facility_id, coalesce(d.last_verdict, ''), "
	    "coalesce(d.last_report_at, 0), a.worst FROM devices d "
	    "LEFT JOIN device_articles a ON a.device = d.id WHERE d.retired_at IS NULL "
	    "AND (?1 = 0 OR d.facility_id = ?1)", &db, e)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, facility);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fac_row *f = fac_find(&l, sqlite3_column_int64(st, 0));
		time_t last = (time_t)sqlite3_column_int64(st, 2);
		const char *p = (const char *)sqlite3_column_text(st, 3);
		/* NULL (no summary row yet) must not be offset, even by 0 */
		const char *end = p != NULL ? p + sqlite3_column_bytes(st, 3) : NULL;

		if (f == NULL)
			continue;
		f->devices++;
		f->total[device_state(col(st, 1), last, w)]++;
		/* A device that never reported has no check rows: it is silent
		 * on every article. */
		if (last == 0)
			for (size_t k = 0; k < a.n; k++)
				f->cell[k][C_SILENT]++;
		if (p == NULL)
			continue;
		for (size_t i = 0; i < a.n; i++)
			worst[i] = -1;
		for (size_t j = 0; p < end; j++) {
			const struct group *g;
			char *colon;
			unsigned long len = strtoul(p, &colon, 10);
			const char *q;
			int v;

			if (colon == p || *colon != ':' || end - colon < 2 ||
			    len > (unsigned long)(end - colon - 2))
				break;	/* not written by this collector: what was read counts */
			q = colon + 1;
			v = q[len] - '0';
			if (v < 0 || v > 2)
				break;
			if ((g = group_find(&gc, &a, q, len, j)) != NULL)
				for (int i = 0; i < g->n; i++)
					if (v > worst[g->idx[i]])
						worst[g->idx[i]] = v;
			p = q + len + 1;
		}
		flush_device(f, worst, a.n, last == 0 || last < w->silent_before);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		dash_sql_fail(db, e, "counting devices");
		goto fail;
	}
	qsort(l.f, l.n, sizeof(l.f[0]), fac_cmp);

	arts = json_array();
	for (size_t i = 0; i < a.n; i++)
		json_array_append_new(arts, json_string(a.name[i]));
	facs = json_array();
	for (size_t i = 0; i < l.n; i++) {
		json_t *cells = json_object(), *tot = json_object();
		for (size_t k = 0; k < a.n; k++) {
			json_t *c = json_object();
			for (int j = 0; j < C_N; j++)
				json_object_set_new(c, count_names[j], json_integer(l.f[i].cell[k][j]));
			json_object_set_new(cells, a.name[k], c);
		}
		for (int j = 0; j < C_N; j++)
			json_object_set_new(tot, count_names[j], json_integer(l.f[i].total[j]));
		json_array_append_new(facs, json_pack("{s:I, s:s, s:I, s:o, s:o}", "id",
		    (json_int_t)l.f[i].id, "name", l.f[i].name, "devices",
		    (json_int_t)l.f[i].devices, "totals", tot, "articles", cells));
	}
	free(l.f);
	*out = json_pack("{s:o, s:o, s:o}", "articles", arts, "facilities", facs, "generated_at",
	    time_json(w->now));
	return STORE_OK;
fail:
	free(l.f);
	return STORE_ERROR;
}

int
dash_facility(struct store *s, int64_t facility, const struct dash_when *w, json_t **out,
    struct mm_err *e)
{
	struct store_facility f;
	sqlite3 *db;
	sqlite3_stmt *st;
	json_t *devs;
	int rc;

	if ((rc = store_facility_get(s, facility, &f, e)) != STORE_OK)
		return rc;
	if ((st = dash_sql_prep(s, "SELECT d.device_id, d.hostname, coalesce(d.last_verdict, ''), "
	    "coalesce(d.last_report_at, 0), d.enrolled_at, d.last_sequence, "
	    "coalesce((SELECT json_extract(r.body, '$.agent.version') FROM reports r "
	    "WHERE r.device = d.id AND r.sequence = d.last_sequence), "
	    "json_extract(d.facts, '$.agent_version'), ''), "
	    "(SELECT group_concat(cs.check_id || ' ' || cs.article, ';') FROM check_state cs "
	    "WHERE cs.device = d.id AND cs.verdict = 'fail' AND cs.severity = 'required') "
	    "FROM devices d WHERE d.facility_id = ?1 AND d.retired_at IS NULL ORDER BY d.id",
	    &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, facility);
	devs = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *checks = json_array(), *arts = json_array();
		char buf[4096];
		time_t last = (time_t)sqlite3_column_int64(st, 3);
		char *save = NULL;

		snprintf(buf, sizeof(buf), "%s", col(st, 7));
		for (char *t = strtok_r(buf, ";", &save); t != NULL; t = strtok_r(NULL, ";", &save)) {
			char *sp = strchr(t, ' ');
			if (sp == NULL)
				continue;
			*sp = '\0';
			json_array_append_new(checks, json_string(t));
			for (char *p = sp + 1; *p;) {
				size_t len = strcspn(p, ",");
				char art[32];
				size_t k;
				snprintf(art, sizeof(art), "%.*s", (int)len, p);
				for (k = 0; k < json_array_size(arts); k++)
					if (strcmp(json_string_value(json_array_get(arts, k)), art) == 0)
						break;
				if (k == json_array_size(arts))
					json_array_append_new(arts, json_string(art));
				p += len;
				if (*p == ',')
					p++;
			}
		}
		json_array_append_new(devs, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:s, "
		    "s:o, s:o}", "device_id", col(st, 0), "hostname", col(st, 1),
		    "verdict", col(st, 2)[0] != '\0' ? col(st, 2) : "unknown",
		    "state", state_name(device_state(col(st, 2), last, w)),
		    "last_report_at", time_json(last),
		    "enrolled_at", time_json((time_t)sqlite3_column_int64(st, 4)),
		    "sequence", (json_int_t)sqlite3_column_int64(st, 5),
		    "agent_version", col(st, 6), "failing_checks", checks, "failing_articles", arts));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(devs);
		return dash_sql_fail(db, e, "listing devices");
	}
	*out = json_pack("{s:{s:I, s:s}, s:o, s:o}", "facility", "id", (json_int_t)f.id, "name",
	    f.name, "devices", devs, "generated_at", time_json(w->now));
	return STORE_OK;
}

/* One message in both languages, with its holes filled. */
static json_t *
msg_json(const struct check_def *c, const char *key, const char *subject,
    const json_t *evidence)
{
	const char *en = c != NULL && key != NULL ? check_msg_text(c, key) : NULL;
	char ja_out[1024], en_out[1024];

	if (en == NULL)
		return json_null();
	render_msg(dgettext("mamori", en), subject, evidence, ja_out, sizeof(ja_out));
	render_msg(en, subject, evidence, en_out, sizeof(en_out));
	return json_pack("{s:s, s:s}", "ja", ja_out, "en", en_out);
}

static json_t *
title_json(const struct check_def *c)
{
	if (c == NULL)
		return json_null();
	return json_pack("{s:s, s:s}", "ja", dgettext("mamori", c->title), "en", c->title);
}

json_t *
dash_checks(void)
{
	json_t *a = json_array();

	for (size_t i = 0; i < check_table_len; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "id", check_table[i]->id,
		    "article", check_table[i]->article, "title", title_json(check_table[i])));
	return a;
}

/* The checks of the last report, with each finding's texts, and since
 * when each check has had its verdict. */
static json_t *
device_checks(sqlite3 *db, sqlite3_int64 dev, const char *body)
{
	json_t *report = body != NULL ? json_loads(body, 0, NULL) : NULL;
	json_t *checks = json_object_get(report, "checks"), *out = json_array(), *c;
	sqlite3_stmt *st = NULL;
	size_t i;

	sqlite3_prepare_v2(db, "SELECT since, since_sequence FROM check_state WHERE device = ?1 "
	    "AND check_id = ?2", -1, &st, NULL);
	json_array_foreach(checks, i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		const struct check_def *def = id != NULL ? check_find(id) : NULL;
		json_t *fs = json_array(), *f;
		time_t since = 0;
		size_t k;

		if (id == NULL)
			continue;
		json_array_foreach(json_object_get(c, "findings"), k, f) {
			const char *subject = json_string_value(json_object_get(f, "subject"));
			const char *reason = json_string_value(json_object_get(f, "reason"));
			const char *rem = json_string_value(json_object_get(f, "remediation"));
			const json_t *ev = json_object_get(f, "evidence");

			json_array_append_new(fs, json_pack("{s:s, s:O, s:O, s:O, s:o, s:o}",
			    "subject", subject != NULL ? subject : "",
			    "verdict", json_object_get(f, "verdict") ? json_object_get(f, "verdict") :
			    json_null(), "reason", reason ? json_object_get(f, "reason") : json_null(),
			    "remediation", rem ? json_object_get(f, "remediation") : json_null(),
			    "reason_text", msg_json(def, reason, subject, ev),
			    "remediation_text", msg_json(def, rem, subject, ev)));
		}
		if (st != NULL) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, dev);
			sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(st) == SQLITE_ROW)
				since = (time_t)sqlite3_column_int64(st, 0);
		}
		json_array_append_new(out, json_pack("{s:s, s:O, s:O, s:O, s:o, s:o, s:o}",
		    "id", id, "article", json_object_get(c, "article") ? json_object_get(c, "article") :
		    json_null(), "severity", json_object_get(c, "severity") ?
		    json_object_get(c, "severity") : json_null(), "verdict",
		    json_object_get(c, "verdict") ? json_object_get(c, "verdict") : json_null(),
		    "title", title_json(def), "since", time_json(since), "findings", fs));
	}
	sqlite3_finalize(st);
	json_decref(report);
	return out;
}

int
dash_device(struct store *s, const struct store_device *d, const struct dash_when *w,
    json_t **out, struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	sqlite3_int64 dev = 0, prev = 0, dropped_total = 0;
	json_t *checks = NULL, *changes, *gaps, *dropped;
	char *body = NULL;
	int rc;

	if ((st = dash_sql_prep(s, "SELECT d.id, r.body FROM devices d LEFT JOIN reports r ON "
	    "r.device = d.id AND r.sequence = d.last_sequence WHERE d.device_id = ?1", &db,
	    e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, d->device_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		dev = sqlite3_column_int64(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			body = strdup(col(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		err_set(e, "device_unknown", "there is no device %.64s", d->device_id);
		return rc == SQLITE_DONE ? STORE_NOT_FOUND : dash_sql_fail(db, e, "reading a device");
	}
	checks = device_checks(db, dev, body);
	free(body);

	changes = json_array();
	if ((st = dash_sql_prep(s, "SELECT check_id, coalesce(verdict_from, ''), verdict_to, at, sequence "
	    "FROM check_changes WHERE device = ?1 ORDER BY at DESC, id DESC LIMIT 1000", &db,
	    e)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, dev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(changes, json_pack("{s:s, s:s, s:s, s:o, s:I}", "check_id",
		    col(st, 0), "from", col(st, 1), "to", col(st, 2), "at",
		    time_json((time_t)sqlite3_column_int64(st, 3)), "sequence",
		    (json_int_t)sqlite3_column_int64(st, 4)));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(changes);
		dash_sql_fail(db, e, "reading the history");
		goto fail;
	}

	/* Gaps in the sequence are reports that never arrived; dropped
	 * counts are the ones the agent's full spool had to give up. */
	gaps = json_array();
	dropped = json_array();
	if ((st = dash_sql_prep(s, "SELECT sequence, received_at, dropped FROM reports "
	    "WHERE device = ?1 ORDER BY sequence", &db, e)) == NULL) {
		json_decref(changes);
		json_decref(gaps);
		json_decref(dropped);
		goto fail;
	}
	sqlite3_bind_int64(st, 1, dev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 seq = sqlite3_column_int64(st, 0), n = sqlite3_column_int64(st, 2);
		time_t at = (time_t)sqlite3_column_int64(st, 1);

		if (prev != 0 && seq > prev + 1)
			json_array_append_new(gaps, json_pack("{s:I, s:I, s:I, s:o}", "after",
			    (json_int_t)prev, "before", (json_int_t)seq, "missing",
			    (json_int_t)(seq - prev - 1), "at", time_json(at)));
		if (n > 0) {
			dropped_total += n;
			json_array_append_new(dropped, json_pack("{s:I, s:I, s:o}", "sequence",
			    (json_int_t)seq, "dropped", (json_int_t)n, "at", time_json(at)));
		}
		prev = seq;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(changes);
		json_decref(gaps);
		json_decref(dropped);
		dash_sql_fail(db, e, "reading the reports");
		goto fail;
	}
	*out = json_pack("{s:{s:s, s:s, s:{s:I, s:s}, s:s, s:s, s:o, s:o, s:I}, s:o, s:o, s:o, "
	    "s:o, s:I, s:o}",
	    "device", "device_id", d->device_id, "hostname", d->hostname, "facility", "id",
	    (json_int_t)d->facility_id, "name", d->facility_name,
	    "verdict", d->last_verdict[0] != '\0' ? d->last_verdict : "unknown",
	    "state", state_name(device_state(d->last_verdict, d->last_report_at, w)),
	    "last_report_at", time_json(d->last_report_at), "enrolled_at",
	    time_json(d->enrolled_at), "sequence", (json_int_t)d->last_sequence,
	    "checks", checks, "history", changes, "gaps", gaps, "dropped", dropped,
	    "dropped_total", (json_int_t)dropped_total, "generated_at", time_json(w->now));
	return STORE_OK;
fail:
	json_decref(checks);
	return STORE_ERROR;
}

int
dash_csv_current(struct store *s, int64_t facility, const struct dash_when *w, struct csv *out,
    struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int rc;

	if ((st = dash_sql_prep(s, "SELECT f.id, f.name, d.device_id, d.hostname, "
	    "coalesce(d.last_verdict, ''), coalesce(d.last_report_at, 0), cs.check_id, "
	    "cs.article, cs.severity, cs.verdict, cs.since FROM devices d "
	    "JOIN facilities f ON f.id = d.facility_id "
	    "LEFT JOIN check_state cs ON cs.device = d.id "
	    "WHERE d.retired_at IS NULL AND (?1 = 0 OR d.facility_id = ?1) "
	    "ORDER BY f.id, d.id, cs.check_id", &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, facility);
	csv_init(out);
	{
		static const char *const head[] = { "facility_id", "facility", "device_id",
		    "hostname", "device_verdict", "device_state", "last_report_at", "check_id",
		    "article", "severity", "verdict", "since" };
		for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
			csv_field(out, head[i]);
		csv_end_line(out);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char t[32];
		time_t last = (time_t)sqlite3_column_int64(st, 5);

		csv_field_int(out, sqlite3_column_int64(st, 0));
		csv_field(out, col(st, 1));
		csv_field(out, col(st, 2));
		csv_field(out, col(st, 3));
		csv_field(out, col(st, 4));
		csv_field(out, state_name(device_state(col(st, 4), last, w)));
		clock_format(last, t, sizeof(t));
		csv_field(out, last != 0 ? t : "");
		csv_field(out, col(st, 6));
		csv_field(out, col(st, 7));
		csv_field(out, col(st, 8));
		csv_field(out, col(st, 9));
		clock_format((time_t)sqlite3_column_int64(st, 10), t, sizeof(t));
		csv_field(out, sqlite3_column_type(st, 10) != SQLITE_NULL ? t : "");
		csv_end_line(out);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		csv_free(out);
		return dash_sql_fail(db, e, "exporting the current state");
	}
	return STORE_OK;
}

int
dash_csv_history(struct store *s, int64_t facility, time_t from, time_t to, struct csv *out,
    struct mm_err *e)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int rc;

	if ((st = dash_sql_prep(s, "SELECT c.at, f.id, f.name, d.device_id, d.hostname, c.check_id, "
	    "coalesce(c.verdict_from, ''), c.verdict_to, c.sequence FROM check_changes c "
	    "JOIN devices d ON d.id = c.device JOIN facilities f ON f.id = d.facility_id "
	    "WHERE c.at >= ?2 AND c.at < ?3 AND (?1 = 0 OR d.facility_id = ?1) "
	    "ORDER BY c.at, c.id", &db, e)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, facility);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)to);
	csv_init(out);
	{
		static const char *const head[] = { "at", "facility_id", "facility", "device_id",
		    "hostname", "check_id", "from", "to", "sequence" };
		for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
			csv_field(out, head[i]);
		csv_end_line(out);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char t[32];

		clock_format((time_t)sqlite3_column_int64(st, 0), t, sizeof(t));
		csv_field(out, t);
		csv_field_int(out, sqlite3_column_int64(st, 1));
		for (int i = 2; i <= 7; i++)
			csv_field(out, col(st, i));
		csv_field_int(out, sqlite3_column_int64(st, 8));
		csv_end_line(out);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		csv_free(out);
		return dash_sql_fail(db, e, "exporting the history");
	}
	return STORE_OK;
}
