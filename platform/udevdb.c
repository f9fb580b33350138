/* udevdb: "E:" lines of a udev database entry. */
#include <stdlib.h>
#include <string.h>
#include "platform/text.h"
#include "platform/udevdb.h"

int
udevdb_parse(const char *buf, size_t len, struct udevdb *db, struct mm_err *e)
{
	size_t pos = 0, ll, cap = 0, lineno = 0;
	const char *line, *eq;

	memset(db, 0, sizeof(*db));
	while (text_next_line(buf, len, &pos, &line, &ll)) {
		lineno++;
		if (!text_is_clean(line, ll)) {
			udevdb_free(db);
			err_set(e, "parse_error", "udev database line %zu holds binary data", lineno);
			return -1;
		}
		if (ll < 3 || line[0] != 'E' || line[1] != ':')
			continue;
		eq = memchr(line + 2, '=', ll - 2);
		if (eq == NULL || eq == line + 2)
			continue;
		if (db->n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct udevdb_prop *nv = realloc(db->v, nc * sizeof(*nv));
			if (nv == NULL)
				goto oom;
			db->v = nv;
			cap = nc;
		}
		db->v[db->n].key = text_dup(line + 2, (size_t)(eq - line - 2));
		db->v[db->n].value = text_dup(eq + 1, ll - (size_t)(eq + 1 - line));
		db->n++;
		if (!db->v[db->n - 1].key || !db->v[db->n - 1].value)
			goto oom;
	}
	return 0;
oom:
	udevdb_free(db);
	err_set(e, "out_of_memory", "out of memory reading the udev database");
	return -1;
}

const char *
udevdb_get(const struct udevdb *db, const char *key)
{
	for (size_t i = db->n; i > 0; i--)
		if (strcmp(db->v[i - 1].key, key) == 0)
			return db->v[i - 1].value;
	return NULL;
}

void
udevdb_free(struct udevdb *db)
{
	for (size_t i = 0; i < db->n; i++) {
		free(db->v[i].key);
		free(db->v[i].value);
	}
	free(db->v);
	memset(db, 0, sizeof(*db));
}
