/* jsonpos: a skipping scanner over JSON text that follows one path.
 * It validates only as much as it must to stay in step; recursion depth is
 * bounded so that hostile nesting cannot exhaust the stack. */
#include <string.h>
#include "common/jsonpos.h"

#define JSONPOS_MAX_DEPTH 256

struct scan {
	const char *b;
	size_t len, i;
};

static void
skip_ws(struct scan *s)
{
	while (s->i < s->len && (s->b[s->i] == ' ' || s->b[s->i] == '\t' ||
	    s->b[s->i] == '\n' || s->b[s->i] == '\r'))
		s->i++;
}

/* At a '"': moves past the closing quote. Returns -1 on an unterminated string. */
static int
skip_string(struct scan *s)
{
	s->i++;
	while (s->i < s->len) {
		char c = s->b[s->i++];
		if (c == '\\') {
			if (s->i >= s->len)
				return -1;
			s->i++;
		} else if (c == '"')
			return 0;
	}
	return -1;
}

/* Compares the raw string at s->i (a '"') with key; escapes never match,
 * which is fine: policy keys are plain ASCII. Leaves s->i after the string. */
static int
string_equals(struct scan *s, const char *key)
{
	size_t start = s->i + 1, klen = strlen(key);

	if (skip_string(s) == -1)
		return -1;
	return (s->i - 1 - start == klen && memcmp(s->b + start, key, klen) == 0) ? 1 : 0;
}

static int skip_value(struct scan *s, int depth);

static int
skip_container(struct scan *s, char close, int depth)
{
	s->i++;
	skip_ws(s);
	if (s->i < s->len && s->b[s->i] == close) {
		s->i++;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		if (close == '}') {
			if (s->i >= s->len || s->b[s->i] != '"' || skip_string(s) == -1)
				return -1;
			skip_ws(s);
			if (s->i >= s->len || s->b[s->i] != ':')
				return -1;
			s->i++;
			skip_ws(s);
		}
		if (skip_value(s, depth + 1) == -1)
			return -1;
		skip_ws(s);
		if (s->i >= s->len)
			return -1;
		if (s->b[s->i] == ',') {
			s->i++;
			continue;
		}
		if (s->b[s->i] == close) {
			s->i++;
			return 0;
		}
		return -1;
	}
}

static int
skip_value(struct scan *s, int depth)
{
	if (depth > JSONPOS_MAX_DEPTH || s->i >= s->len)
		return -1;
	switch (s->b[s->i]) {
	case '"':
		return skip_string(s);
	case '{':
		return skip_container(s, '}', depth);
	case '[':
		return skip_container(s, ']', depth);
	default:
		/* number, true, false, null: up to a delimiter */
		if (strchr(",]}: \t\r\n", s->b[s->i]) != NULL)
			return -1;
		while (s->i < s->len && strchr(",]} \t\r\n", s->b[s->i]) == NULL)
			s->i++;
		return 0;
	}
}

static void
to_line_col(const struct scan *s, size_t at, int *line, int *col)
{
	int l = 1, c = 1;

	for (size_t k = 0; k < at && k < s->len; k++) {
		if (s->b[k] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)s->b[k] & 0xc0) != 0x80)
			c++;	/* a UTF-8 continuation byte is not a new column */
	}
	*line = l;
	*col = c;
}

int
jsonpos_locate(const char *buf, size_t len, const struct jsonpos_step *path,
    size_t depth, int want_key, int *line, int *col)
{
	struct scan s = { buf, len, 0 };
	size_t key_at = 0;

	skip_ws(&s);
	for (size_t d = 0; d < depth; d++) {
		const struct jsonpos_step *st = &path[d];
		int found = 0;

		if (s.i >= s.len)
			return -1;
		if (st->key != NULL) {
			if (s.b[s.i] != '{')
				return -1;
			s.i++;
			skip_ws(&s);
			if (s.i < s.len && s.b[s.i] == '}')
				return -1;
			while (!found) {
				int eq;
				skip_ws(&s);
				if (s.i >= s.len || s.b[s.i] != '"')
					return -1;
				key_at = s.i;
				if ((eq = string_equals(&s, st->key)) == -1)
					return -1;
				skip_ws(&s);
				if (s.i >= s.len || s.b[s.i] != ':')
					return -1;
				s.i++;
				skip_ws(&s);
				if (eq) {
					found = 1;
					break;
				}
				if (skip_value(&s, 0) == -1)
					return -1;
				skip_ws(&s);
				if (s.i >= s.len || s.b[s.i] != ',')
					return -1;
				s.i++;
			}
		} else {
			if (s.b[s.i] != '[')
				return -1;
			s.i++;
			for (size_t k = 0; k < st->index; k++) {
				skip_ws(&s);
				if (skip_value(&s, 0) == -1)
					return -1;
				skip_ws(&s);
				if (s.i >= s.len || s.b[s.i] != ',')
					return -1;
				s.i++;
			}
			skip_ws(&s);
			if (s.i >= s.len || s.b[s.i] == ']')
				return -1;
			key_at = s.i;
		}
	}
	if (s.i >= s.len)
		return -1;
	to_line_col(&s, (want_key && depth > 0) ? key_at : s.i, line, col);
	return 0;
}
