/* dpkg: the status database, reduced to name → installed version. A
 * package is "present" when its files are on disk: every Status state but
 * not-installed and config-files (only conffiles left behind). */
#include <stdlib.h>
#include <string.h>
#include "platform/dpkg.h"
#include "platform/text.h"

#define DPKG_STATUS "/var/lib/dpkg/status"

static int
field_is(const char *line, size_t ll, const char *name, const char **val, size_t *vl)
{
	size_t n = strlen(name);

	if (ll <= n || memcmp(line, name, n) != 0 || line[n] != ':')
		return 0;
	*val = line + n + 1;
	*vl = ll - n - 1;
	text_trim(val, vl);
	return 1;
}

/* The last word of "want flag state" decides whether files are on disk. */
static int
status_present(const char *v, size_t vl)
{
	const char *sp = v + vl;

	while (sp > v && sp[-1] != ' ')
		sp--;
	vl -= (size_t)(sp - v);
	if (vl == 13 && memcmp(sp, "not-installed", 13) == 0)
		return 0;
	if (vl == 12 && memcmp(sp, "config-files", 12) == 0)
		return 0;
	return vl > 0;
}

static int
cmp_pkg(const void *a, const void *b)
{
	return strcmp(((const struct dpkg_pkg *)a)->name, ((const struct dpkg_pkg *)b)->name);
}

int
dpkg_parse(const char *buf, size_t len, struct dpkg_db *db, struct mm_err *e)
{
	size_t pos = 0, ll, cap = 0, lineno = 0;
	const char *line, *v;
	size_t vl;
	const char *name = NULL, *ver = NULL;
	size_t name_l = 0, ver_l = 0;
	int inst = 0, done = 0;

	memset(db, 0, sizeof(*db));
	db->present = 1;
	while (!done) {
		if (!text_next_line(buf, len, &pos, &line, &ll)) {
			done = 1;
			ll = 0;
		} else {
			lineno++;
			if (!text_is_clean(line, ll)) {
				dpkg_free(db);
				err_set(e, "parse_error", "dpkg status line %zu holds binary data", lineno);
				return -1;
			}
		}
		if (ll == 0) {
			/* end of a stanza */
			if (name != NULL && inst) {
				if (db->n == cap) {
					size_t nc = cap ? cap * 2 : 256;
					struct dpkg_pkg *nv = realloc(db->v, nc * sizeof(*nv));
					if (nv == NULL)
						goto oom;
					db->v = nv;
					cap = nc;
				}
				db->v[db->n].name = text_dup(name, name_l);
				db->v[db->n].version = text_dup(ver ? ver : "", ver ? ver_l : 0);
				db->v[db->n].installed = 1;
				db->n++;
				if (!db->v[db->n - 1].name || !db->v[db->n - 1].version)
					goto oom;
			}
			name = ver = NULL;
			inst = 0;
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t')
			continue;	/* continuation of a long field */
		if (field_is(line, ll, "Package", &v, &vl)) {
			name = v;
			name_l = vl;
		} else if (field_is(line, ll, "Version", &v, &vl)) {
			ver = v;
			ver_l = vl;
		} else if (field_is(line, ll, "Status", &v, &vl))
			inst = status_present(v, vl);
	}
	if (db->n > 1)
		qsort(db->v, db->n, sizeof(*db->v), cmp_pkg);
	return 0;
oom:
	dpkg_free(db);
	err_set(e, "out_of_memory", "out of memory reading the dpkg status");
	return -1;
}

enum file_status
dpkg_load(const struct root *r, struct dpkg_db *db, struct mm_err *e)
{
	enum file_status s;
	char *buf;
	size_t len;

	memset(db, 0, sizeof(*db));
	s = root_read_file(r, DPKG_STATUS, 64u << 20, &buf, &len, e);
	if (s != FILE_OK)
		return s;
	if (dpkg_parse(buf, len, db, e) == -1) {
		free(buf);
		return FILE_BAD;
	}
	free(buf);
	return FILE_OK;
}

const struct dpkg_pkg *
dpkg_installed(const struct dpkg_db *db, const char *name)
{
	struct dpkg_pkg key;

	if (db->n == 0)
		return NULL;
	key.name = (char *)name;
	return bsearch(&key, db->v, db->n, sizeof(*db->v), cmp_pkg);
}

void
dpkg_free(struct dpkg_db *db)
{
	for (size_t i = 0; i < db->n; i++) {
		free(db->v[i].name);
		free(db->v[i].version);
	}
	free(db->v);
	memset(db, 0, sizeof(*db));
}
