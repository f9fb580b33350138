/* dconf: resolving a GSettings key for one person as dconf and GLib do;
 * see dconf.h for the rules and where they were verified. Databases are
 * read only when a lookup needs them, so a lock in a system database
 * decides even when the person's own database is unreadable. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform/dconf.h"
#include "platform/text.h"

static int
is_space(char c)
{
	/* g_ascii_isspace, which dconf uses to trim profile lines */
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Prefixes e's message with where it happened, keeping its reason. */
static void
err_prefix(struct mm_err *e, const char *where)
{
	char tmp[sizeof(e->msg)];
	size_t wl, ml;

	if (e == NULL)
		return;
	/* By hand rather than snprintf: both parts may be long, and a cut
	 * message is fine. */
	wl = strnlen(where, sizeof(tmp) - 3);
	ml = strnlen(e->msg, sizeof(tmp) - 3 - wl);
	memcpy(tmp, where, wl);
	memcpy(tmp + wl, ": ", 2);
	memcpy(tmp + wl + 2, e->msg, ml);
	tmp[wl + 2 + ml] = '\0';
	memcpy(e->msg, tmp, sizeof(e->msg));
}

static int
fmt(char *dst, size_t n, struct mm_err *e, const char *f, ...)
	__attribute__((format(printf, 4, 5)));

static int
fmt(char *dst, size_t n, struct mm_err *e, const char *f, ...)
{
	va_list ap;
	int w;

	va_start(ap, f);
	w = vsnprintf(dst, n, f, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= n) {
		err_set(e, "path_invalid", "a dconf path is too long");
		return -1;
	}
	return 0;
}

void
dconf_cache_init(struct dconf_cache *c, const struct root *r)
{
	memset(c, 0, sizeof(*c));
	c->root = r;
}

void
dconf_cache_free(struct dconf_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->f[i].buf);
	memset(c, 0, sizeof(*c));
}

/* root_read_file of path for d; a machine-wide file (machine) through
 * d's cache when it has one, *shared then saying that *buf is the
 * cache's, not the caller's to free. The error a cached refusal or
 * absence replays is the one the first read gave. */
static enum file_status
read_file(struct dconf *d, const char *path, size_t cap, int machine, char **buf,
    size_t *len, int *shared, struct mm_err *e)
{
	struct dconf_cache *c = d->cache;
	struct dconf_cache_file *f;

	*shared = 0;
	if (!machine || c == NULL || c->root != d->root || strlen(path) >= sizeof(c->f[0].path))
		return root_read_file(d->root, path, cap, buf, len, e);
	for (size_t i = 0; i < c->n; i++) {
		f = &c->f[i];
		if (f->cap != cap || strcmp(f->path, path) != 0)
			continue;
		if (f->st == FILE_OK) {
			*buf = f->buf;
			*len = f->len;
			*shared = 1;
		} else if (e != NULL)
			*e = f->err;
		return f->st;
	}
	if (c->n == DCONF_CACHE_FILES)
		return root_read_file(d->root, path, cap, buf, len, e);
	f = &c->f[c->n];
	memset(f, 0, sizeof(*f));
	err_clear(&f->err);
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->cap = cap;
	f->st = root_read_file(d->root, path, cap, &f->buf, &f->len, &f->err);
	c->n++;
	if (f->st == FILE_OK) {
		*buf = f->buf;
		*len = f->len;
		*shared = 1;
	} else if (e != NULL)
		*e = f->err;
	return f->st;
}

/* One profile line, already trimmed: "type:name". Unknown types are
 * ignored, as dconf ignores them (with a warning). */
static int
add_source(struct dconf *d, const char *line, size_t n, struct mm_err *e)
{
	const char *colon = memchr(line, ':', n), *name;
	size_t tl, nl;
	enum dconf_source_kind kind;
	struct dconf_source *s;

	if (colon == NULL || colon == line + n - 1)
		return 0;
	tl = (size_t)(colon - line);
	name = colon + 1;
	nl = n - tl - 1;
	if (tl == 7 && memcmp(line, "user-db", 7) == 0)
		kind = DCONF_USER_DB;
	else if (tl == 10 && memcmp(line, "service-db", 10) == 0)
		kind = DCONF_SERVICE_DB;
	else if (tl == 9 && memcmp(line, "system-db", 9) == 0)
		kind = DCONF_SYSTEM_DB;
	else if (tl == 7 && memcmp(line, "file-db", 7) == 0)
		kind = DCONF_FILE_DB;
	else
		return 0;
	if (d->n == DCONF_MAX_SOURCES) {
		err_set(e, "parse_error",
		    "the dconf profile lists more than %d databases", DCONF_MAX_SOURCES);
		return -1;
	}
	s = &d->src[d->n];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	switch (kind) {
	case DCONF_USER_DB:
		if (fmt(s->path, sizeof(s->path), e, "%s/.config/dconf/%.*s",
		    strcmp(d->home, "/") == 0 ? "" : d->home, (int)nl, name) == -1 ||
		    fmt(s->label, sizeof(s->label), e, "~/.config/dconf/%.*s", (int)nl, name) == -1)
			return -1;
		break;
	case DCONF_SYSTEM_DB:
		if (fmt(s->path, sizeof(s->path), e, "/etc/dconf/db/%.*s", (int)nl, name) == -1 ||
		    fmt(s->label, sizeof(s->label), e, "/etc/dconf/db/%.*s", (int)nl, name) == -1)
			return -1;
		break;
	case DCONF_FILE_DB:
		if (fmt(s->path, sizeof(s->path), e, "%.*s", (int)nl, name) == -1 ||
		    fmt(s->label, sizeof(s->label), e, "%.*s", (int)nl, name) == -1)
			return -1;
		break;
	case DCONF_SERVICE_DB:
		if (fmt(s->label, sizeof(s->label), e, "service-db:%.*s", (int)nl, name) == -1)
			return -1;
		break;
	}
	d->n++;
	return 0;
}

int
dconf_profile_parse(struct dconf *d, const char *buf, size_t len, const char *home,
    struct mm_err *e)
{
	size_t pos = 0, ll;
	const char *line;

	d->n = 0;
	if (home != NULL && fmt(d->home, sizeof(d->home), e, "%s", home) == -1)
		return -1;
	if (!text_is_clean(buf, len)) {
		err_set(e, "parse_error", "the dconf profile holds binary data");
		return -1;
	}
	while (text_next_line(buf, len, &pos, &line, &ll)) {
		const char *hash = memchr(line, '#', ll);

		if (hash != NULL)
			ll = (size_t)(hash - line);
		while (ll > 0 && is_space(line[0])) {
			line++;
			ll--;
		}
		while (ll > 0 && is_space(line[ll - 1]))
			ll--;
		if (ll == 0)
			continue;
		if (add_source(d, line, ll, e) == -1)
			return -1;
	}
	return 0;
}

int
dconf_open(struct dconf *d, const struct root *r, const struct person *p,
    struct mm_err *e)
{
	return dconf_open_cached(d, r, p, NULL, e);
}

int
dconf_open_cached(struct dconf *d, const struct root *r, const struct person *p,
    struct dconf_cache *c, struct mm_err *e)
{
	char cand[5][128];
	size_t nc = 0;

	memset(d, 0, sizeof(*d));
	d->root = r;
	d->cache = c;
	if (p->home == NULL || p->home[0] != '/') {
		err_set(e, "path_invalid", "the home folder of %s is not an absolute path",
		    p->name);
		return -1;
	}
	if (fmt(d->home, sizeof(d->home), e, "%s", p->home) == -1)
		return -1;
	/* dconf's order (dconf_engine_profile_open): the mandatory profile,
	 * the runtime profile, then "user" in /etc and XDG_DATA_DIRS. */
	snprintf(cand[nc++], sizeof(cand[0]), "/run/dconf/user/%ld", p->uid);
	snprintf(cand[nc++], sizeof(cand[0]), "/run/user/%ld/dconf/profile", p->uid);
	snprintf(cand[nc++], sizeof(cand[0]), "/etc/dconf/profile/user");
	snprintf(cand[nc++], sizeof(cand[0]), "/usr/local/share/dconf/profile/user");
	snprintf(cand[nc++], sizeof(cand[0]), "/usr/share/dconf/profile/user");
	for (size_t i = 0; i < nc; i++) {
		char *buf;
		size_t len;
		enum file_status s;
		int rc, shared;

		/* The first two are the person's own; the rest the machine's. */
		s = read_file(d, cand[i], ROOT_CAP_CONFIG, i >= 2, &buf, &len, &shared, e);
		if (s == FILE_ABSENT)
			continue;
		if (s == FILE_BAD)
			return -1;
		rc = dconf_profile_parse(d, buf, len, NULL, e);
		if (!shared)
			free(buf);
		if (rc == -1) {
			err_prefix(e, cand[i]);
			return -1;
		}
		if (fmt(d->profile, sizeof(d->profile), e, "%s", cand[i]) == -1)
			return -1;
		return 0;
	}
	/* No profile file: dconf acts as if one said "user-db:user". */
	snprintf(d->profile, sizeof(d->profile), "built-in default (user-db:user)");
	return add_source(d, "user-db:user", 12, e);
}

void
dconf_close(struct dconf *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->src[i].shared)
			free(d->src[i].buf);
	for (size_t i = 0; i < d->n_schemas; i++)
		if (!d->schemas[i].shared)
			free(d->schemas[i].buf);
	memset(d, 0, sizeof(*d));
}

/* Reads database i if no lookup has yet. An absent file is no error: a
 * person without settings has no ~/.config/dconf/user. */
static int
load_source(struct dconf *d, size_t i, struct mm_err *e)
{
	struct dconf_source *s = &d->src[i];
	enum file_status st;
	int rc;

	if (s->loaded)
		return 0;
	if (s->kind == DCONF_SERVICE_DB) {
		err_set(e, "dconf_service_db",
		    "the dconf profile keeps %s in the dconf service, which mamori cannot read",
		    s->label);
		return -1;
	}
	if (s->path[0] != '/') {
		err_set(e, "path_invalid", "the dconf profile names %s, which is not an absolute path",
		    s->label);
		return -1;
	}
	st = read_file(d, s->path, ROOT_CAP_TABLE, s->kind == DCONF_SYSTEM_DB, &s->buf,
	    &s->len, &s->shared, e);
	if (st == FILE_ABSENT) {
		s->loaded = 1;
		return 0;
	}
	if (st == FILE_BAD)
		return -1;
	if (gvdb_open(s->buf, s->len, &s->values, e) == -1)
		goto bad;
	rc = gvdb_lookup_table(&s->values, ".locks", &s->locks, e);
	if (rc == -1)
		goto bad;
	s->has_locks = rc == 1;
	s->loaded = 1;
	s->present = 1;
	return 0;
bad:
	err_prefix(e, s->path);
	if (!s->shared)
		free(s->buf);
	s->buf = NULL;
	s->shared = 0;
	return -1;
}

static int
writable(enum dconf_source_kind k)
{
	return k == DCONF_USER_DB || k == DCONF_SERVICE_DB;
}

/* dconf_engine_read without flags: *idx is the database that gave the
 * value (-1 none); *locked whether a database after the first locks key. */
static int
lookup(struct dconf *d, const char *key, const unsigned char **val, size_t *vlen,
    int *idx, int *locked, struct mm_err *e)
{
	size_t level = 0;
	int rc;

	*idx = -1;
	*locked = 0;
	/* Locks: the last database that locks the key wins; the first
	 * database's own locks are ignored. */
	for (size_t i = d->n; i > 1; i--) {
		struct dconf_source *s = &d->src[i - 1];

		if (load_source(d, i - 1, e) == -1)
			return -1;
		if (!s->present || !s->has_locks)
			continue;
		rc = gvdb_lookup(&s->locks, key, val, vlen, e);
		if (rc == -1) {
			err_prefix(e, s->path);
			return -1;
		}
		if (rc == 1) {
			level = i - 1;
			*locked = 1;
			break;
		}
	}
	if (level == 0 && d->n > 0 && writable(d->src[0].kind)) {
		if (load_source(d, 0, e) == -1)
			return -1;
		if (d->src[0].present) {
			rc = gvdb_lookup(&d->src[0].values, key, val, vlen, e);
			if (rc == -1) {
				err_prefix(e, d->src[0].path);
				return -1;
			}
			if (rc == 1) {
				*idx = 0;
				return 1;
			}
		}
		level = 1;
	}
	for (size_t i = level; i < d->n; i++) {
		struct dconf_source *s = &d->src[i];

		if (load_source(d, i, e) == -1)
			return -1;
		if (!s->present)
			continue;
		rc = gvdb_lookup(&s->values, key, val, vlen, e);
		if (rc == -1) {
			err_prefix(e, s->path);
			return -1;
		}
		if (rc == 1) {
			*idx = (int)i;
			return 1;
		}
	}
	*val = NULL;
	*vlen = 0;
	return 0;
}

static int
load_schemas(struct dconf *d, struct mm_err *e)
{
	char paths[DCONF_MAX_SCHEMA_FILES][1100];
	const char *labels[DCONF_MAX_SCHEMA_FILES] = {
		"~/.local/share/glib-2.0/schemas/gschemas.compiled",
		"/usr/local/share/glib-2.0/schemas/gschemas.compiled",
		"/usr/share/glib-2.0/schemas/gschemas.compiled",
	};

	if (d->schemas_loaded)
		return 0;
	if (fmt(paths[0], sizeof(paths[0]), e, "%s/.local/share/glib-2.0/schemas/gschemas.compiled",
	    strcmp(d->home, "/") == 0 ? "" : d->home) == -1)
		return -1;
	snprintf(paths[1], sizeof(paths[1]), "%s", labels[1]);
	snprintf(paths[2], sizeof(paths[2]), "%s", labels[2]);
	for (size_t i = 0; i < DCONF_MAX_SCHEMA_FILES; i++) {
		struct dconf_schema_file *f = &d->schemas[d->n_schemas];
		enum file_status st;

		/* The first is the person's own; the rest the machine's. */
		st = read_file(d, paths[i], ROOT_CAP_TABLE, i >= 1, &f->buf, &f->len, &f->shared, e);
		if (st == FILE_ABSENT)
			continue;
		if (st == FILE_BAD)
			return -1;
		if (gvdb_open(f->buf, f->len, &f->table, e) == -1) {
			err_prefix(e, paths[i]);
			if (!f->shared)
				free(f->buf);
			f->buf = NULL;
			f->shared = 0;
			return -1;
		}
		snprintf(f->label, sizeof(f->label), "%s", labels[i]);
		d->n_schemas++;
	}
	d->schemas_loaded = 1;
	return 0;
}

/* The schema's dconf path for key and the key's default value. */
static int
schema_key(struct dconf *d, const char *schema, const char *key, char *dpath,
    size_t dpath_len, struct gvariant *def, struct mm_err *e)
{
	const struct dconf_schema_file *f = NULL;
	struct gvdb st;
	const unsigned char *val;
	size_t vlen;
	struct gvariant v, tuple;
	const char *path;
	int rc;

	if (load_schemas(d, e) == -1)
		return -1;
	/* The first schema file that holds the schema id decides, whole. */
	for (size_t i = 0; i < d->n_schemas && f == NULL; i++) {
		rc = gvdb_lookup_table(&d->schemas[i].table, schema, &st, e);
		if (rc == -1) {
			err_prefix(e, d->schemas[i].label);
			return -1;
		}
		if (rc == 1)
			f = &d->schemas[i];
	}
	if (f == NULL) {
		err_set(e, "schema_absent",
		    "the settings schema %s is not installed (no gschemas.compiled holds it)",
		    schema);
		return -1;
	}
	rc = gvdb_lookup(&st, ".path", &val, &vlen, e);
	if (rc == 0) {
		err_set(e, "parse_error", "%s: schema %s has no dconf path", f->label, schema);
		return -1;
	}
	if (rc == -1 || gvariant_from_variant(val, vlen, st.big_endian, &v, e) == -1 ||
	    gvariant_get_string(&v, &path, NULL, e) == -1) {
		err_prefix(e, f->label);
		return -1;
	}
	if (path[0] != '/' || path[strlen(path) - 1] != '/') {
		err_set(e, "parse_error", "%s: schema %s has an invalid path", f->label, schema);
		return -1;
	}
	if (fmt(dpath, dpath_len, e, "%s%s", path, key) == -1)
		return -1;
	rc = gvdb_lookup(&st, key, &val, &vlen, e);
	if (rc == 0) {
		err_set(e, "schema_absent", "%s: schema %s has no key %s", f->label, schema, key);
		return -1;
	}
	if (rc == -1 || gvariant_from_variant(val, vlen, st.big_endian, &tuple, e) == -1 ||
	    gvariant_tuple_item(&tuple, 0, def, e) == -1) {
		err_prefix(e, f->label);
		return -1;
	}
	return 0;
}

int
dconf_read(struct dconf *d, const char *schema, const char *key,
    struct dconf_value *out, struct mm_err *e)
{
	char dpath[1024];
	struct gvariant def, got;
	const unsigned char *val;
	size_t vlen;
	int idx, locked, rc;

	memset(out, 0, sizeof(*out));
	if (schema_key(d, schema, key, dpath, sizeof(dpath), &def, e) == -1)
		return -1;
	rc = lookup(d, dpath, &val, &vlen, &idx, &locked, e);
	if (rc == -1)
		return -1;
	out->locked = locked;
	if (rc == 1) {
		const struct dconf_source *s = &d->src[idx];

		if (gvariant_from_variant(val, vlen, s->values.big_endian, &got, e) == -1) {
			err_prefix(e, s->path);
			return -1;
		}
		/* GSettings drops a value of another type than the schema's
		 * (g_settings_backend_read) and shows the default instead —
		 * the classic "idle-delay=300" without "uint32". */
		if (got.type_len == def.type_len &&
		    memcmp(got.type, def.type, def.type_len) == 0) {
			out->v = got;
			snprintf(out->source, sizeof(out->source), "%s", s->label);
			return 0;
		}
		out->v = def;
		out->is_default = 1;
		snprintf(out->source, sizeof(out->source),
		    "schema default (%s holds a value of the wrong type)", s->label);
		return 0;
	}
	out->v = def;
	out->is_default = 1;
	snprintf(out->source, sizeof(out->source), "schema default");
	return 0;
}
