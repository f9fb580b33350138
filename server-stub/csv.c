/* csv: building CSV text for the exports; see csv.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "server-stub/csv.h"

static void
put(struct csv *c, const char *s, size_t n)
{
	if (c->failed)
		return;
	if (c->len + n + 1 > c->cap) {
		size_t cap = c->cap > 0 ? c->cap : 4096;
		char *b;
		while (cap < c->len + n + 1)
			cap *= 2;
		if ((b = realloc(c->buf, cap)) == NULL) {
			c->failed = 1;
			return;
		}
		c->buf = b;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->buf[c->len] = '\0';
}

void
csv_init(struct csv *c)
{
	memset(c, 0, sizeof(*c));
	put(c, "\xef\xbb\xbf", 3);
}

void
csv_field(struct csv *c, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	/* A spreadsheet runs a cell that starts with one of these as a
	 * formula; data from a report must stay text. */
	int defuse = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t';

	if (c->fields++ > 0)
		put(c, ",", 1);
	if (quote || defuse)
		put(c, "\"", 1);
	if (defuse)
		put(c, "'", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			put(c, "\"\"", 2);
		else
			put(c, p, 1);
	}
	if (quote || defuse)
		put(c, "\"", 1);
}

void
csv_field_int(struct csv *c, long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", v);
	if (c->fields++ > 0)
		put(c, ",", 1);
	put(c, b, strlen(b));
}

void
csv_end_line(struct csv *c)
{
	put(c, "\r\n", 2);
	c->fields = 0;
}

void
csv_free(struct csv *c)
{
	free(c->buf);
	memset(c, 0, sizeof(*c));
}
