/* crypttab: see crypttab.h. The fields are split as systemd's
 * cryptsetup-generator and Debian's cryptdisks split them: on blanks, with
 * no quoting; a line of fewer than two or more than four fields is
 * skipped by both, and counted here as malformed. */
#include <stdlib.h>
#include <string.h>
#include "platform/crypttab.h"
#include "platform/text.h"

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits a line into at most max fields on runs of blanks; the count, or
 * max + 1 when there are more. */
static size_t
fields(const char *s, size_t n, const char **f, size_t *fl, size_t max)
{
	size_t i = 0, k = 0;

	while (i < n) {
		size_t start;

		while (i < n && is_blank(s[i]))
			i++;
		if (i == n)
			break;
		if (k == max)
			return max + 1;
		start = i;
		while (i < n && !is_blank(s[i]))
			i++;
		f[k] = s + start;
		fl[k++] = i - start;
	}
	return k;
}

/* 1 if the comma-separated options [s, s+n) hold "noauto". */
static int
has_noauto(const char *s, size_t n)
{
	size_t i = 0;

	while (i <= n) {
		size_t start = i;

		while (i < n && s[i] != ',')
			i++;
		if (i - start == 6 && memcmp(s + start, "noauto", 6) == 0)
			return 1;
		i++;
	}
	return 0;
}

int
crypttab_parse(const char *buf, size_t len, struct crypttab *out, struct mm_err *e)
{
	size_t pos = 0, ll, cap = 0;
	const char *line;

	memset(out, 0, sizeof(*out));
	if (!text_is_clean(buf, len)) {
		err_set(e, "parse_error", "%s holds binary data; it is not a crypttab",
		    CRYPTTAB_PATH);
		return -1;
	}
	while (text_next_line(buf, len, &pos, &line, &ll)) {
		const char *f[4];
		size_t fl[4], nf;
		struct crypttab_entry *en;

		text_trim(&line, &ll);
		if (ll == 0 || line[0] == '#')
			continue;
		nf = fields(line, ll, f, fl, 4);
		if (nf < 2 || nf > 4 || fl[0] >= CRYPTTAB_NAME_MAX ||
		    memchr(f[0], '/', fl[0]) != NULL) {
			out->malformed++;
			continue;
		}
		if (out->n == CRYPTTAB_MAX_ENTRIES) {
			out->truncated = 1;
			continue;
		}
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct crypttab_entry *nv = realloc(out->v, nc * sizeof(*nv));

			if (nv == NULL) {
				crypttab_free(out);
				err_set(e, "out_of_memory", "out of memory reading %s", CRYPTTAB_PATH);
				return -1;
			}
			out->v = nv;
			cap = nc;
		}
		en = &out->v[out->n++];
		memcpy(en->name, f[0], fl[0]);
		en->name[fl[0]] = '\0';
		en->noauto = nf == 4 && has_noauto(f[3], fl[3]);
	}
	return 0;
}

enum file_status
crypttab_read(const struct root *r, struct crypttab *out, struct mm_err *e)
{
	char *buf;
	size_t len;
	enum file_status s;

	memset(out, 0, sizeof(*out));
	s = root_read_file(r, CRYPTTAB_PATH, CRYPTTAB_CAP, &buf, &len, e);
	if (s != FILE_OK)
		return s;
	if (crypttab_parse(buf, len, out, e) == -1) {
		free(buf);
		return FILE_BAD;
	}
	free(buf);
	return FILE_OK;
}

const struct crypttab_entry *
crypttab_find(const struct crypttab *ct, const char *name)
{
	for (size_t i = 0; i < ct->n; i++)
		if (strcmp(ct->v[i].name, name) == 0)
			return &ct->v[i];
	return NULL;
}

void
crypttab_free(struct crypttab *ct)
{
	free(ct->v);
	memset(ct, 0, sizeof(*ct));
}
