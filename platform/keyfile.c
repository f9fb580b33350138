/* keyfile: INI-style settings files in the dialects the display managers
 * read; see keyfile.h.
 *
 * Where the rules come from (upstream sources, read for this module):
 * - GLib glib/gkeyfile.c: g_key_file_parse_line strips leading whitespace;
 *   only '#' starts a comment; a group line is '[' name ']' followed only
 *   by blanks; key=value has the key's trailing and the value's leading
 *   whitespace dropped and the value's trailing whitespace kept; a key
 *   before the first group, or a line of no known shape, is a parse error
 *   that stops g_key_file_parse_data with what came before kept;
 *   g_key_file_parse_value_as_boolean accepts "true"/"1" and "false"/"0",
 *   case-sensitively, ignoring trailing whitespace. Repeated keys: the
 *   last wins; repeated groups merge.
 * - GDM common/gdm-settings-utils.c gdm_settings_parse_value_as_boolean:
 *   g_ascii_strcasecmp with "true"/"false", strcmp with "1"/"0".
 * - LightDM src/configuration.c config_get_boolean: g_strchomp, then
 *   strcmp (value, "true") == 0.
 * - SDDM src/common/ConfigReader.cpp ConfigBase::loadInternal: line
 *   trimmed, cut at the first '#', "name=value" both trimmed, "[name]"
 *   when the line starts with '[' and ends with ']'; operator>>(bool):
 *   trimmed, compared to "true" case-insensitively. */
#include <stdlib.h>
#include <string.h>
#include "platform/keyfile.h"
#include "platform/text.h"

/* A real settings file holds a few dozen keys; these bounds keep a hostile
 * file from turning the linear lookups below quadratic. */
#define KEYFILE_MAX_GROUPS	1024
#define KEYFILE_MAX_KEYS	8192

static int
is_space(char c)
{
	/* g_ascii_isspace; \v and \f never get here (text_is_clean). */
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static size_t
total_keys(const struct keyfile *kf)
{
	size_t n = 0;

	for (size_t i = 0; i < kf->n; i++)
		n += kf->g[i].n;
	return n;
}

static struct keyfile_group *
find_group(const struct keyfile *kf, const char *name, size_t nl)
{
	for (size_t i = 0; i < kf->n; i++)
		if (strlen(kf->g[i].name) == nl && memcmp(kf->g[i].name, name, nl) == 0)
			return &kf->g[i];
	return NULL;
}

/* The group of that name, created at the end if new; NULL on no memory or
 * too many groups (e says which). */
static struct keyfile_group *
get_group(struct keyfile *kf, const char *name, size_t nl, struct mm_err *e)
{
	struct keyfile_group *g = find_group(kf, name, nl);

	if (g != NULL)
		return g;
	if (kf->n == KEYFILE_MAX_GROUPS) {
		err_set(e, "parse_error", "more than %d groups; not a settings file mamori reads",
		    KEYFILE_MAX_GROUPS);
		return NULL;
	}
	if (kf->n == kf->cap) {
		size_t nc = kf->cap ? kf->cap * 2 : 8;
		struct keyfile_group *ng = realloc(kf->g, nc * sizeof(*ng));
		if (ng == NULL)
			goto oom;
		kf->g = ng;
		kf->cap = nc;
	}
	g = &kf->g[kf->n];
	memset(g, 0, sizeof(*g));
	if ((g->name = text_dup(name, nl)) == NULL)
		goto oom;
	kf->n++;
	return g;
oom:
	err_set(e, "out_of_memory", "out of memory reading a settings file");
	return NULL;
}

static int
set_value(struct keyfile *kf, struct keyfile_group *g, const char *key, size_t kl,
    const char *val, size_t vl, size_t origin, struct mm_err *e)
{
	struct keyfile_entry *en = NULL;
	char *nv;

	for (size_t i = 0; i < g->n; i++)
		if (strlen(g->v[i].key) == kl && memcmp(g->v[i].key, key, kl) == 0) {
			en = &g->v[i];
			break;
		}
	if (en == NULL) {
		if (total_keys(kf) >= KEYFILE_MAX_KEYS) {
			err_set(e, "parse_error",
			    "more than %d settings; not a settings file mamori reads",
			    KEYFILE_MAX_KEYS);
			return -1;
		}
		if (g->n == g->cap) {
			size_t nc = g->cap ? g->cap * 2 : 8;
			struct keyfile_entry *ne = realloc(g->v, nc * sizeof(*ne));
			if (ne == NULL)
				goto oom;
			g->v = ne;
			g->cap = nc;
		}
		en = &g->v[g->n];
		if ((en->key = text_dup(key, kl)) == NULL)
			goto oom;
		if ((en->value = text_dup(val, vl)) == NULL) {
			free(en->key);
			goto oom;
		}
		en->origin = origin;
		g->n++;
		return 0;
	}
	if ((nv = text_dup(val, vl)) == NULL)
		goto oom;
	free(en->value);
	en->value = nv;
	en->origin = origin;
	return 0;
oom:
	err_set(e, "out_of_memory", "out of memory reading a settings file");
	return -1;
}

/* g_key_file_is_group_name: non-empty, no '[' or ']' (control bytes were
 * refused before). */
static int
glib_group_name_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '[' || s[i] == ']')
			return 0;
	return 1;
}

/* g_key_file_is_key_name: non-empty; "name" or "name[locale]" with the
 * locale of letters, digits and -_.@ only. */
static int
glib_key_name_ok(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] != '[' && s[i] != ']')
		i++;
	if (i == 0)
		return 0;
	if (i == n)
		return 1;
	if (s[i] == ']')
		return 0;
	for (i++; i < n && s[i] != ']'; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c >= 0x80 ||
		    c == '-' || c == '_' || c == '.' || c == '@'))
			return 0;
	}
	return i + 1 == n;
}

/* One line of a GLib key file; 1 parsed, 0 GLib refuses it, -1 error. */
static int
parse_glib_line(struct keyfile *kf, struct keyfile_group **cur, const char *s,
    size_t n, struct mm_err *e)
{
	const char *eq;

	if (s[0] == '#')
		return 1;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (close != NULL) {
			size_t after = (size_t)(close - s) + 1;
			while (after < n && (s[after] == ' ' || s[after] == '\t'))
				after++;
			if (after == n) {
				if (!glib_group_name_ok(s + 1, (size_t)(close - s) - 1))
					return 0;
				*cur = get_group(kf, s + 1, (size_t)(close - s) - 1, e);
				return *cur != NULL ? 1 : -1;
			}
		}
	}
	eq = memchr(s, '=', n);
	if (eq == NULL || eq == s)
		return 0;
	{
		size_t kl = (size_t)(eq - s), vo = kl + 1;
		while (kl > 0 && is_space(s[kl - 1]))
			kl--;
		if (!glib_key_name_ok(s, kl))
			return 0;
		/* "Key file does not start with a group". */
		if (*cur == NULL)
			return 0;
		while (vo < n && is_space(s[vo]))
			vo++;
		return set_value(kf, *cur, s, kl, s + vo, n - vo, 0, e) == 0 ? 1 : -1;
	}
}

/* One line of the lenient or SDDM dialect; 1 parsed, 0 skipped, -1 error. */
static int
parse_ini_line(struct keyfile *kf, struct keyfile_group **cur, const char *s,
    size_t n, int flags, struct mm_err *e)
{
	const char *eq, *k, *v;
	size_t kl, vl;

	if (flags & KEYFILE_SDDM) {
		const char *hash = memchr(s, '#', n);
		if (hash != NULL)
			n = (size_t)(hash - s);
		text_trim(&s, &n);
		if (n == 0)
			return 1;
	} else {
		if (s[0] == '#' || s[0] == ';')
			return 1;
		/* A group line wins over '=' so "[a=b]" is a group, as in GLib. */
		if (s[0] == '[') {
			size_t m = n;
			while (m > 0 && is_space(s[m - 1]))
				m--;
			if (m >= 2 && s[m - 1] == ']') {
				if (m == 2)
					return 0;	/* "[]" names nothing */
				*cur = get_group(kf, s + 1, m - 2, e);
				return *cur != NULL ? 1 : -1;
			}
		}
	}
	eq = memchr(s, '=', n);
	if (eq != NULL) {
		k = s;
		kl = (size_t)(eq - s);
		v = eq + 1;
		vl = n - kl - 1;
		text_trim(&k, &kl);
		while (vl > 0 && is_space(v[0])) {
			v++;
			vl--;
		}
		if (flags & KEYFILE_SDDM)
			text_trim(&v, &vl);
		if (kl == 0)
			return 0;
		if (*cur == NULL && (*cur = get_group(kf, "", 0, e)) == NULL)
			return -1;
		return set_value(kf, *cur, k, kl, v, vl, 0, e) == 0 ? 1 : -1;
	}
	/* SDDM tests '=' before '[' (ConfigBase::loadInternal). */
	if ((flags & KEYFILE_SDDM) && n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		*cur = get_group(kf, s + 1, n - 2, e);
		return *cur != NULL ? 1 : -1;
	}
	return 0;
}

int
keyfile_parse(const char *buf, size_t len, int flags, struct keyfile *out,
    struct mm_err *e)
{
	struct keyfile_group *cur = NULL;
	size_t pos = 0, ll, lineno = 0;
	const char *line;
	struct mm_err local;

	if (e == NULL)
		e = &local;
	memset(out, 0, sizeof(*out));
	while (text_next_line(buf, len, &pos, &line, &ll)) {
		int rc;

		lineno++;
		if (!text_is_clean(line, ll)) {
			keyfile_free(out);
			err_set(e, "parse_error",
			    "line %zu holds binary data; it is not a settings file", lineno);
			return -1;
		}
		while (ll > 0 && is_space(line[0])) {
			line++;
			ll--;
		}
		if (ll == 0)
			continue;
		if (flags & KEYFILE_GLIB)
			rc = parse_glib_line(out, &cur, line, ll, e);
		else
			rc = parse_ini_line(out, &cur, line, ll, flags, e);
		if (rc == -1) {
			struct mm_err inner = *e;
			keyfile_free(out);
			err_set(e, inner.reason, "line %zu: %s", lineno, inner.msg);
			return -1;
		}
		if (rc == 0) {
			if (flags & KEYFILE_GLIB) {
				/* g_key_file_parse_data stops at its first error. */
				out->rejected_line = lineno;
				return 0;
			}
			out->skipped++;
		}
	}
	return 0;
}

enum file_status
keyfile_load(const struct root *r, const char *rel, int flags, struct keyfile *out,
    struct mm_err *e)
{
	enum file_status s;
	char *buf;
	size_t len;
	struct mm_err local;

	if (e == NULL)
		e = &local;
	memset(out, 0, sizeof(*out));
	s = root_read_file(r, rel, ROOT_CAP_CONFIG, &buf, &len, e);
	if (s != FILE_OK)
		return s;
	if (keyfile_parse(buf, len, flags, out, e) == -1) {
		struct mm_err inner = *e;
		free(buf);
		err_set(e, inner.reason, "%s: %s", rel, inner.msg);
		return FILE_BAD;
	}
	free(buf);
	return FILE_OK;
}

int
keyfile_merge_group(struct keyfile *dst, const char *dst_group,
    const struct keyfile_group *src, size_t origin, struct mm_err *e)
{
	struct keyfile_group *g = get_group(dst, dst_group, strlen(dst_group), e);

	if (g == NULL)
		return -1;
	for (size_t i = 0; i < src->n; i++) {
		const struct keyfile_entry *en = &src->v[i];
		if (set_value(dst, g, en->key, strlen(en->key), en->value,
		    strlen(en->value), origin, e) == -1)
			return -1;
	}
	return 0;
}

int
keyfile_merge(struct keyfile *dst, const struct keyfile *src, size_t origin,
    struct mm_err *e)
{
	for (size_t i = 0; i < src->n; i++)
		if (keyfile_merge_group(dst, src->g[i].name, &src->g[i], origin, e) == -1)
			return -1;
	return 0;
}

const struct keyfile_group *
keyfile_group(const struct keyfile *kf, const char *name)
{
	return find_group(kf, name, strlen(name));
}

const struct keyfile_entry *
keyfile_entry(const struct keyfile *kf, const char *group, const char *key)
{
	const struct keyfile_group *g = keyfile_group(kf, group);

	if (g == NULL)
		return NULL;
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->v[i].key, key) == 0)
			return &g->v[i];
	return NULL;
}

const char *
keyfile_get(const struct keyfile *kf, const char *group, const char *key)
{
	const struct keyfile_entry *en = keyfile_entry(kf, group, key);

	return en != NULL ? en->value : NULL;
}

static int
ascii_casecmp_n(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);

	if (an != bn)
		return 1;
	for (size_t i = 0; i < an; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 1;
	}
	return 0;
}

static int
exact_n(const char *a, size_t an, const char *b)
{
	return strlen(b) == an && memcmp(a, b, an) == 0;
}

int
keyfile_bool(const char *value, enum keyfile_bool_dialect d)
{
	size_t n, start = 0;

	if (value == NULL)
		return -1;
	n = strlen(value);
	switch (d) {
	case KEYFILE_BOOL_GLIB:
		while (n > 0 && is_space(value[n - 1]))
			n--;
		if (exact_n(value, n, "true") || exact_n(value, n, "1"))
			return 1;
		if (exact_n(value, n, "false") || exact_n(value, n, "0"))
			return 0;
		return -1;
	case KEYFILE_BOOL_GDM:
		if (ascii_casecmp_n(value, n, "true") == 0 || strcmp(value, "1") == 0)
			return 1;
		if (ascii_casecmp_n(value, n, "false") == 0 || strcmp(value, "0") == 0)
			return 0;
		return -1;
	case KEYFILE_BOOL_LIGHTDM:
		while (n > 0 && is_space(value[n - 1]))
			n--;
		return exact_n(value, n, "true");
	case KEYFILE_BOOL_SDDM:
		while (n > 0 && is_space(value[n - 1]))
			n--;
		while (start < n && is_space(value[start]))
			start++;
		return ascii_casecmp_n(value + start, n - start, "true") == 0;
	}
	return -1;
}

void
keyfile_free(struct keyfile *kf)
{
	for (size_t i = 0; i < kf->n; i++) {
		for (size_t k = 0; k < kf->g[i].n; k++) {
			free(kf->g[i].v[k].key);
			free(kf->g[i].v[k].value);
		}
		free(kf->g[i].v);
		free(kf->g[i].name);
	}
	free(kf->g);
	memset(kf, 0, sizeof(*kf));
}
