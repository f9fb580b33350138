/* logindefs: a strict reader of login.defs; see logindefs.h. */
#include <stdlib.h>
#include <string.h>
#include "platform/logindefs.h"
#include "platform/text.h"

int
logindefs_parse(const char *buf, size_t len, struct logindefs *out, struct mm_err *e)
{
	size_t pos = 0, ll, cap = 0, lineno = 0;
	const char *line;

	memset(out, 0, sizeof(*out));
	while (text_next_line(buf, len, &pos, &line, &ll)) {
		const char *k, *v;
		size_t kl, vl;

		lineno++;
		if (!text_is_clean(line, ll)) {
			logindefs_free(out);
			err_set(e, "parse_error",
			    "login.defs line %zu holds binary data; it is not a settings file", lineno);
			return -1;
		}
		text_trim(&line, &ll);
		if (ll == 0 || line[0] == '#')
			continue;
		k = line;
		for (kl = 0; kl < ll && line[kl] != ' ' && line[kl] != '\t'; kl++)
			;
		v = line + kl;
		vl = ll - kl;
		text_trim(&v, &vl);
		if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
			v++;
			vl -= 2;
		}
		if (vl == 0)
			continue;
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			struct logindefs_item *nv = realloc(out->v, nc * sizeof(*nv));
			if (nv == NULL)
				goto oom;
			out->v = nv;
			cap = nc;
		}
		out->v[out->n].key = text_dup(k, kl);
		out->v[out->n].value = text_dup(v, vl);
		out->n++;
		if (!out->v[out->n - 1].key || !out->v[out->n - 1].value)
			goto oom;
	}
	return 0;
oom:
	logindefs_free(out);
	err_set(e, "out_of_memory", "out of memory reading login.defs");
	return -1;
}

const char *
logindefs_get(const struct logindefs *d, const char *key)
{
	for (size_t i = d->n; i > 0; i--)
		if (strcmp(d->v[i - 1].key, key) == 0)
			return d->v[i - 1].value;
	return NULL;
}

int
logindefs_get_long(const struct logindefs *d, const char *key, long *out)
{
	const char *v = logindefs_get(d, key);

	if (v == NULL)
		return 0;
	return text_parse_long(v, strlen(v), 1, out) == 0 ? 1 : -1;
}

void
logindefs_free(struct logindefs *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].key);
		free(d->v[i].value);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}
