/* policy: JSON → struct policy through one table of fields. Each field
 * states its type and bounds, so validation, defaults and error messages
 * come from the same row. Adding a setting is adding a row. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "common/jsonpos.h"
#include "common/policy.h"
#include "common/sha256.h"

#define POLICY_MAX_BYTES (1u << 20)
#define PATH_MAX_DEPTH 8

enum ftype { F_INT, F_BOOL, F_STRING, F_STRLIST, F_ENUM, F_OBJECT, F_OBJLIST, F_CUSTOM };

struct loader;
struct field {
	const char *name;
	enum ftype type;
	size_t off;			/* into the enclosing struct */
	long min, max;			/* F_INT bounds; F_STRING max length */
	const char *const *enums;	/* F_ENUM names, index = value */
	const struct field *sub;	/* F_OBJECT/F_OBJLIST members, NULL-ended */
	int (*custom)(struct loader *, json_t *, void *base);
	size_t elem_size;		/* F_OBJLIST: size of one element */
	void (*elem_free)(void *);	/* F_OBJLIST: frees one element's insides */
	const char *expect;		/* what a person should write, for messages */
};

struct loader {
	const char *buf, *name;
	size_t len;
	const struct policy_known *known;
	struct jsonpos_step path[PATH_MAX_DEPTH];
	size_t depth;
	struct mm_err *e;
};

static const char *const severity_names[] = { "required", "advisory", "off", NULL };
static const char *const name_modes[] = { "plain", "hashed", NULL };

/* Appends the location of the current path to a message and fills e. */
static int
fail_at(struct loader *l, int at_key, const char *fmt, const char *a, const char *b)
{
	char what[384], where[160] = "";
	int line, col;
	size_t o = 0;

	snprintf(what, sizeof(what), fmt, a, b);
	for (size_t d = 0; d < l->depth && o < sizeof(where) - 1; d++) {
		int n = l->path[d].key != NULL ?
		    snprintf(where + o, sizeof(where) - o, "%s%s", d ? "." : "", l->path[d].key) :
		    snprintf(where + o, sizeof(where) - o, "[%zu]", l->path[d].index);
		if (n < 0 || (size_t)n >= sizeof(where) - o)
			break;
		o += (size_t)n;
	}
	if (jsonpos_locate(l->buf, l->len, l->path, l->depth, at_key, &line, &col) == 0)
		err_set(l->e, "policy_invalid", "%s:%d:%d: %s: %s", l->name, line, col,
		    where[0] ? where : "(top level)", what);
	else
		err_set(l->e, "policy_invalid", "%s: %s: %s", l->name,
		    where[0] ? where : "(top level)", what);
	return -1;
}

static const char *
json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a decimal number";
	case JSON_TRUE: case JSON_FALSE: return "true/false";
	default: return "null";
	}
}

static void
strlist_free(struct strlist *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static int apply_object(struct loader *l, json_t *obj, const struct field *fields,
    void *base);

/* An array of objects: all elements are decoded into a new array, which
 * replaces the old one only when every element is valid. */
static int
apply_objlist(struct loader *l, const struct field *f, json_t *v, char *at)
{
	struct { void *v; size_t n; } *list = (void *)at, nl;
	size_t i;
	json_t *it;

	if (!json_is_array(v))
		return fail_at(l, 0, "expected %s, found %s", f->expect, json_kind(v));
	nl.n = 0;
	nl.v = calloc(json_array_size(v) + 1, f->elem_size);
	if (nl.v == NULL)
		return fail_at(l, 0, "%s%s", "out of memory", "");
	json_array_foreach(v, i, it) {
		void *el = (char *)nl.v + i * f->elem_size;

		if (l->depth == PATH_MAX_DEPTH)
			return fail_at(l, 0, "%s%s", "nested too deeply", "");
		l->path[l->depth].key = NULL;
		l->path[l->depth].index = i;
		l->depth++;
		nl.n = i + 1;
		if (!json_is_object(it) || apply_object(l, it, f->sub, el) == -1) {
			int rc = json_is_object(it) ? -1 :
			    fail_at(l, 0, "expected %s, found %s", "an object", json_kind(it));
			for (size_t k = 0; k < nl.n; k++)
				f->elem_free((char *)nl.v + k * f->elem_size);
			free(nl.v);
			return rc;
		}
		l->depth--;
	}
	for (size_t k = 0; k < list->n; k++)
		f->elem_free((char *)list->v + k * f->elem_size);
	free(list->v);
	*list = nl;
	return 0;
}

static int
apply_field(struct loader *l, const struct field *f, json_t *v, void *base)
{
	char *at = (char *)base + f->off;
	char num[64];

	switch (f->type) {
	case F_INT:
		if (!json_is_integer(v))
			return fail_at(l, 0, "expected %s, found %s", f->expect, json_kind(v));
		if (json_integer_value(v) < f->min || json_integer_value(v) > f->max) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
			return fail_at(l, 0, "expected %s, found %s", f->expect, num);
		}
		*(long *)at = (long)json_integer_value(v);
		return 0;
	case F_BOOL:
		if (!json_is_boolean(v))
			return fail_at(l, 0, "expected %s, found %s", "true or false", json_kind(v));
		*(int *)at = json_is_true(v);
		return 0;
	case F_STRING:
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > (size_t)f->max)
			return fail_at(l, 0, "expected %s, found %s", f->expect,
			    json_is_string(v) ? "a string of the wrong length" : json_kind(v));
		memcpy(at, json_string_value(v), json_string_length(v) + 1);
		return 0;
	case F_ENUM:
		if (json_is_string(v))
			for (int i = 0; f->enums[i] != NULL; i++)
				if (strcmp(f->enums[i], json_string_value(v)) == 0) {
					*(int *)at = i;
					return 0;
				}
		return fail_at(l, 0, "expected %s, found %s", f->expect,
		    json_is_string(v) ? json_string_value(v) : json_kind(v));
	case F_STRLIST: {
		struct strlist nl = { NULL, 0 };
		size_t i;
		json_t *it;

		if (!json_is_array(v))
			return fail_at(l, 0, "expected %s, found %s", f->expect, json_kind(v));
		nl.v = calloc(json_array_size(v) + 1, sizeof(char *));
		if (nl.v == NULL)
			return fail_at(l, 0, "%s%s", "out of memory", "");
		json_array_foreach(v, i, it) {
			if (!json_is_string(it) || json_string_length(it) == 0) {
				l->path[l->depth].key = NULL;
				l->path[l->depth].index = i;
				l->depth++;
				strlist_free(&nl);
				return fail_at(l, 0, "expected %s, found %s",
				    "a non-empty string",
				    json_is_string(it) ? "an empty string" : json_kind(it));
			}
			nl.v[nl.n++] = strdup(json_string_value(it));
		}
		strlist_free((struct strlist *)at);
		*(struct strlist *)at = nl;
		return 0;
	}
	case F_OBJECT:
		if (!json_is_object(v))
			return fail_at(l, 0, "expected %s, found %s", "an object", json_kind(v));
		return apply_object(l, v, f->sub, base);
	case F_OBJLIST:
		return apply_objlist(l, f, v, at);
	case F_CUSTOM:
		return f->custom(l, v, base);
	}
	return -1;
}

static int
apply_object(struct loader *l, json_t *obj, const struct field *fields, void *base)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		const struct field *f;

		if (l->depth == PATH_MAX_DEPTH)
			return fail_at(l, 0, "%s%s", "nested too deeply", "");
		l->path[l->depth].key = key;
		l->depth++;
		for (f = fields; f->name != NULL; f++)
			if (strcmp(f->name, key) == 0)
				break;
		if (f->name == NULL) {
			char known[256] = "";
			for (const struct field *g = fields; g->name != NULL; g++) {
				if (known[0])
					strncat(known, ", ", sizeof(known) - strlen(known) - 1);
				strncat(known, g->name, sizeof(known) - strlen(known) - 1);
			}
			return fail_at(l, 1, "unknown key \"%s\"; expected one of: %s", key, known);
		}
		if (apply_field(l, f, v, base) == -1)
			return -1;
		l->depth--;
	}
	return 0;
}

/* "checks": { "<check id>": { "severity": "required" } } */
static int
apply_checks(struct loader *l, json_t *v, void *base)
{
	struct policy *p = base;
	const char *id;
	json_t *c;

	if (!json_is_object(v))
		return fail_at(l, 0, "expected %s, found %s", "an object of check ids", json_kind(v));
	json_object_foreach(v, id, c) {
		size_t k, slot;
		const char *sk;
		json_t *sv;

		l->path[l->depth].key = id;
		l->depth++;
		for (k = 0; k < l->known->n; k++)
			if (strcmp(l->known->ids[k], id) == 0)
				break;
		if (k == l->known->n)
			return fail_at(l, 1, "unknown check \"%s\"%s; see `mamori scan --help` or docs/checks", id, "");
		if (!json_is_object(c))
			return fail_at(l, 0, "expected %s, found %s", "an object such as {\"severity\": \"required\"}", json_kind(c));
		for (slot = 0; slot < p->n_checks; slot++)
			if (strcmp(p->checks[slot].id, id) == 0)
				break;
		if (slot == p->n_checks) {
			if (p->n_checks == POLICY_MAX_CHECKS)
				return fail_at(l, 1, "%s%s", "too many checks", "");
			snprintf(p->checks[slot].id, sizeof(p->checks[slot].id), "%s", id);
			p->checks[slot].severity = SEV_REQUIRED;
			p->n_checks++;
		}
		json_object_foreach(c, sk, sv) {
			l->path[l->depth].key = sk;
			l->depth++;
			if (strcmp(sk, "severity") != 0)
				return fail_at(l, 1, "unknown key \"%s\"; expected %s", sk, "severity");
			if (!json_is_string(sv))
				return fail_at(l, 0, "expected %s, found %s", "\"required\", \"advisory\" or \"off\"", json_kind(sv));
			int i;
			for (i = 0; severity_names[i] != NULL; i++)
				if (strcmp(severity_names[i], json_string_value(sv)) == 0)
					break;
			if (severity_names[i] == NULL)
				return fail_at(l, 0, "expected %s, found %s", "\"required\", \"advisory\" or \"off\"", json_string_value(sv));
			p->checks[slot].severity = (enum severity)i;
			l->depth--;
		}
		l->depth--;
	}
	return 0;
}

/* "description" is for people reading the file; any string is fine. */
static int
apply_description(struct loader *l, json_t *v, void *base)
{
	(void)base;
	if (!json_is_string(v))
		return fail_at(l, 0, "expected %s, found %s", "a string", json_kind(v));
	return 0;
}

#define OFF(m) offsetof(struct policy, m)
#define END { .name = NULL }

static const struct field account_fields[] = {
	{ .name = "min_uid", .type = F_INT, .off = OFF(accounts.min_uid), .min = 1, .max = 2147483647, .expect = "a UID from 1 up" },
	{ .name = "max_uid", .type = F_INT, .off = OFF(accounts.max_uid), .min = 1, .max = 2147483647, .expect = "a UID from 1 up" },
	{ .name = "include_root", .type = F_BOOL, .off = OFF(accounts.include_root) },
	{ .name = "non_login_shells", .type = F_STRLIST, .off = OFF(accounts.non_login_shells), .expect = "an array of shell paths" },
	END,
};

static const struct field password_fields[] = {
	{ .name = "max_age_days", .type = F_INT, .off = OFF(password.max_age_days), .min = 1, .max = 3650, .expect = "a number of days from 1 to 3650" },
	{ .name = "min_length", .type = F_INT, .off = OFF(password.min_length), .min = 1, .max = 256, .expect = "a length from 1 to 256" },
	{ .name = "require_letters", .type = F_BOOL, .off = OFF(password.require_letters) },
	{ .name = "require_digits", .type = F_BOOL, .off = OFF(password.require_digits) },
	END,
};

static const struct field privacy_fields[] = {
	{ .name = "account_names", .type = F_ENUM, .off = OFF(privacy.account_names), .enums = name_modes, .expect = "\"plain\" or \"hashed\"" },
	END,
};

static const struct field screen_lock_fields[] = {
	{ .name = "max_idle_minutes", .type = F_INT, .off = OFF(screen_lock.max_idle_minutes), .min = 1, .max = 1440, .expect = "minutes from 1 to 1440" },
	END,
};

#define P2P(m) offsetof(struct p2p_entry, m)
static const struct field p2p_entry_fields[] = {
	{ .name = "name", .type = F_STRING, .off = P2P(name), .max = 63, .expect = "a program name of 1 to 63 characters" },
	{ .name = "packages", .type = F_STRLIST, .off = P2P(packages), .expect = "an array of package names" },
	{ .name = "flatpaks", .type = F_STRLIST, .off = P2P(flatpaks), .expect = "an array of flatpak application ids" },
	{ .name = "snaps", .type = F_STRLIST, .off = P2P(snaps), .expect = "an array of snap names" },
	{ .name = "files", .type = F_STRLIST, .off = P2P(files), .expect = "an array of file name patterns" },
	{ .name = "processes", .type = F_STRLIST, .off = P2P(processes), .expect = "an array of process names" },
	END,
};

static void
p2p_entry_free(void *el)
{
	struct p2p_entry *x = el;

	strlist_free(&x->packages);
	strlist_free(&x->flatpaks);
	strlist_free(&x->snaps);
	strlist_free(&x->files);
	strlist_free(&x->processes);
}

static const struct field p2p_fields[] = {
	{ .name = "deny", .type = F_OBJLIST, .off = OFF(p2p.v), .sub = p2p_entry_fields, .elem_size = sizeof(struct p2p_entry), .elem_free = p2p_entry_free, .expect = "an array of programs" },
	{ .name = "walk_max_depth", .type = F_INT, .off = OFF(p2p.walk_max_depth), .min = 1, .max = 64, .expect = "a depth from 1 to 64" },
	{ .name = "walk_max_entries", .type = F_INT, .off = OFF(p2p.walk_max_entries), .min = 100, .max = 10000000, .expect = "a count from 100 to 10000000" },
	END,
};

#define AV(m) offsetof(struct av_product, m)
static const char *const freshness_kinds[] = { "clamav", "none", NULL };
static const struct field av_product_fields[] = {
	{ .name = "name", .type = F_STRING, .off = AV(name), .max = 63, .expect = "a product name of 1 to 63 characters" },
	{ .name = "packages", .type = F_STRLIST, .off = AV(packages), .expect = "an array of package names" },
	{ .name = "paths", .type = F_STRLIST, .off = AV(paths), .expect = "an array of install paths" },
	{ .name = "processes", .type = F_STRLIST, .off = AV(processes), .expect = "an array of process names" },
	{ .name = "freshness", .type = F_ENUM, .off = AV(freshness), .enums = freshness_kinds, .expect = "\"clamav\" or \"none\"" },
	END,
};

static void
av_product_free(void *el)
{
	struct av_product *x = el;

	strlist_free(&x->packages);
	strlist_free(&x->paths);
	strlist_free(&x->processes);
}

static const struct field antivirus_fields[] = {
	{ .name = "max_signature_age_days", .type = F_INT, .off = OFF(antivirus.max_signature_age_days), .min = 1, .max = 365, .expect = "days from 1 to 365" },
	{ .name = "products", .type = F_OBJLIST, .off = OFF(antivirus.v), .sub = av_product_fields, .elem_size = sizeof(struct av_product), .elem_free = av_product_free, .expect = "an array of products" },
	END,
};

#define DEV(m) offsetof(struct approved_device, m)
static const struct field device_fields[] = {
	{ .name = "vendor_id", .type = F_STRING, .off = DEV(vendor_id), .max = 4, .expect = "4 hex digits, as lsusb shows them" },
	{ .name = "product_id", .type = F_STRING, .off = DEV(product_id), .max = 4, .expect = "4 hex digits, as lsusb shows them" },
	{ .name = "serial", .type = F_STRING, .off = DEV(serial), .max = 127, .expect = "the device's serial number" },
	{ .name = "label", .type = F_STRING, .off = DEV(label), .max = 127, .expect = "a name such as \"事務用USB 1\"" },
	END,
};

static void
device_free(void *el)
{
	(void)el;
}

static const struct field removable_fields[] = {
	{ .name = "approved", .type = F_OBJLIST, .off = OFF(removable.v), .sub = device_fields, .elem_size = sizeof(struct approved_device), .elem_free = device_free, .expect = "an array of devices" },
	END,
};

static const struct field spool_fields[] = {
	{ .name = "max_reports", .type = F_INT, .off = OFF(spool.max_reports), .min = 1, .max = 1000000, .expect = "a count from 1 to 1000000" },
	{ .name = "max_bytes", .type = F_INT, .off = OFF(spool.max_bytes), .min = 65536, .max = 2147483647, .expect = "bytes from 65536 to 2147483647" },
	END,
};

static const struct field daemon_fields[] = {
	{ .name = "interval_minutes", .type = F_INT, .off = OFF(daemon.interval_minutes), .min = 5, .max = 10080, .expect = "minutes from 5 to 10080 (a week)" },
	{ .name = "splay_minutes", .type = F_INT, .off = OFF(daemon.splay_minutes), .min = 0, .max = 1440, .expect = "minutes from 0 to 1440" },
	END,
};

static const struct field top_fields[] = {
	{ .name = "id", .type = F_STRING, .off = OFF(id), .max = 63, .expect = "a policy name of 1 to 63 characters" },
	{ .name = "description", .type = F_CUSTOM, .custom = apply_description },
	{ .name = "checks", .type = F_CUSTOM, .custom = apply_checks },
	{ .name = "accounts", .type = F_OBJECT, .sub = account_fields },
	{ .name = "password", .type = F_OBJECT, .sub = password_fields },
	{ .name = "privacy", .type = F_OBJECT, .sub = privacy_fields },
	{ .name = "screen_lock", .type = F_OBJECT, .sub = screen_lock_fields },
	{ .name = "p2p", .type = F_OBJECT, .sub = p2p_fields },
	{ .name = "antivirus", .type = F_OBJECT, .sub = antivirus_fields },
	{ .name = "removable", .type = F_OBJECT, .sub = removable_fields },
	{ .name = "spool", .type = F_OBJECT, .sub = spool_fields },
	{ .name = "daemon", .type = F_OBJECT, .sub = daemon_fields },
	END,
};

static int
apply_buf(struct policy *p, const char *buf, size_t len, const char *name,
    const struct policy_known *k, struct mm_err *e)
{
	struct loader l;
	json_error_t je;
	json_t *root;
	int rc;

	memset(&l, 0, sizeof(l));
	l.buf = buf;
	l.len = len;
	l.name = name;
	l.known = k;
	l.e = e;
	if (len > POLICY_MAX_BYTES) {
		err_set(e, "policy_invalid", "%s: larger than %u bytes", name, POLICY_MAX_BYTES);
		return -1;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		err_set(e, "policy_invalid", "%s:%d:%d: %s", name, je.line, je.column, je.text);
		return -1;
	}
	if (!json_is_object(root)) {
		rc = fail_at(&l, 0, "expected %s, found %s", "an object { … }", json_kind(root));
		json_decref(root);
		return rc;
	}
	rc = apply_object(&l, root, top_fields, p);
	json_decref(root);
	if (rc == 0 && p->accounts.min_uid > p->accounts.max_uid) {
		err_set(e, "policy_invalid", "%s: accounts.min_uid (%ld) is above accounts.max_uid (%ld)",
		    name, p->accounts.min_uid, p->accounts.max_uid);
		return -1;
	}
	return rc;
}

static void
sha256_hex(const char *buf, size_t len, char out[65])
{
	unsigned char md[SHA256_LEN];

	sha256(buf, len, md);
	for (unsigned int i = 0; i < SHA256_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

int
policy_load_buf(struct policy *p, const char *buf, size_t len, const char *name,
    const struct policy_known *k, struct mm_err *e)
{
	memset(p, 0, sizeof(*p));
	if (apply_buf(p, policy_default_json, policy_default_json_len,
	    "built-in default policy", k, e) == -1) {
		policy_free(p);
		return -1;
	}
	if (buf == NULL) {
		sha256_hex(policy_default_json, policy_default_json_len, p->sha256);
		return 0;
	}
	if (apply_buf(p, buf, len, name, k, e) == -1) {
		policy_free(p);
		return -1;
	}
	sha256_hex(buf, len, p->sha256);
	return 0;
}

int
policy_load(struct policy *p, const char *path, const struct policy_known *k,
    struct mm_err *e)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t have = 0;
	int fd, rc;

	if (path == NULL)
		return policy_load_buf(p, NULL, 0, NULL, k, e);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1) {
		err_set(e, "policy_unreadable", "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size > POLICY_MAX_BYTES) {
		close(fd);
		err_set(e, "policy_unreadable", "%s: not a regular file of at most %u bytes",
		    path, POLICY_MAX_BYTES);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		err_set(e, "out_of_memory", "out of memory");
		return -1;
	}
	while (have < (size_t)st.st_size) {
		n = read(fd, buf + have, (size_t)st.st_size - have);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			break;
		}
		have += (size_t)n;
	}
	close(fd);
	rc = policy_load_buf(p, buf, have, path, k, e);
	free(buf);
	return rc;
}

void
policy_free(struct policy *p)
{
	strlist_free(&p->accounts.non_login_shells);
	for (size_t i = 0; i < p->p2p.n; i++)
		p2p_entry_free(&p->p2p.v[i]);
	free(p->p2p.v);
	for (size_t i = 0; i < p->antivirus.n; i++)
		av_product_free(&p->antivirus.v[i]);
	free(p->antivirus.v);
	free(p->removable.v);
	memset(p, 0, sizeof(*p));
}

enum severity
policy_severity(const struct policy *p, const char *check_id)
{
	for (size_t i = 0; i < p->n_checks; i++)
		if (strcmp(p->checks[i].id, check_id) == 0)
			return p->checks[i].severity;
	return SEV_REQUIRED;
}

const char *
severity_name(enum severity s)
{
	return severity_names[s];
}
