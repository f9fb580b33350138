/* jscan: strict JSON scanning into a flat token array; see jscan.h. */
#include <stdlib.h>
#include <string.h>
#include "server-stub/jscan.h"

#define JSCAN_MAX_DEPTH 256

enum state {
	ST_VALUE,		/* a value must come */
	ST_VALUE_OR_CLOSE,	/* just after '[' */
	ST_KEY_OR_CLOSE,	/* just after '{' */
	ST_KEY,			/* after ',' in an object */
	ST_COLON,		/* after a key */
	ST_COMMA_OR_CLOSE,	/* after a value inside a container */
};

/* Length of the valid UTF-8 sequence at s (2..4 for non-ASCII), or 0:
 * no overlongs, no surrogates, nothing above U+10FFFF. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		return (n >= 2 && (s[1] & 0xc0) == 0x80) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80 || (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

static int
hex4(const char *s, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Decodes the character or escape at *p (inside a string already
 * validated) into out; the number of bytes written (1..4). */
static size_t
decode_one(const char *b, size_t *p, unsigned char out[4])
{
	unsigned cp, lo;

	if (b[*p] != '\\') {
		out[0] = (unsigned char)b[(*p)++];
		return 1;
	}
	switch (b[*p + 1]) {
	case 'b': out[0] = '\b'; break;
	case 'f': out[0] = '\f'; break;
	case 'n': out[0] = '\n'; break;
	case 'r': out[0] = '\r'; break;
	case 't': out[0] = '\t'; break;
	case 'u':
		hex4(b + *p + 2, &cp);
		*p += 6;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			hex4(b + *p + 2, &lo);
			*p += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		}
		if (cp < 0x80) {
			out[0] = (unsigned char)cp;
			return 1;
		}
		if (cp < 0x800) {
			out[0] = (unsigned char)(0xc0 | (cp >> 6));
			out[1] = (unsigned char)(0x80 | (cp & 0x3f));
			return 2;
		}
		if (cp < 0x10000) {
			out[0] = (unsigned char)(0xe0 | (cp >> 12));
			out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			out[2] = (unsigned char)(0x80 | (cp & 0x3f));
			return 3;
		}
		out[0] = (unsigned char)(0xf0 | (cp >> 18));
		out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (unsigned char)(0x80 | (cp & 0x3f));
		return 4;
	default:	/* '"', '\\', '/' stand for themselves */
		out[0] = (unsigned char)b[*p + 1];
		break;
	}
	*p += 2;
	return 1;
}

/* A decoded string as a stream of bytes, for comparisons without a copy. */
struct stream {
	const char *b;
	size_t p, end;
	unsigned char chunk[4];
	size_t have, used;
};

static int
stream_next(struct stream *s)
{
	if (s->used == s->have) {
		if (s->p >= s->end)
			return -1;
		s->have = decode_one(s->b, &s->p, s->chunk);
		s->used = 0;
	}
	return s->chunk[s->used++];
}

/* Orders string tokens by their decoded bytes. */
static int
tok_cmp(const struct jscan *j, const struct jscan_tok *a, const struct jscan_tok *b)
{
	struct stream x = { j->buf, a->start, a->end, { 0 }, 0, 0 };
	struct stream y = { j->buf, b->start, b->end, { 0 }, 0, 0 };
	int cx, cy;

	if (!a->escaped && !b->escaped) {
		size_t la = a->end - a->start, lb = b->end - b->start;
		int c = memcmp(j->buf + a->start, j->buf + b->start, la < lb ? la : lb);
		return c != 0 ? c : (la > lb) - (la < lb);
	}
	do {
		cx = stream_next(&x);
		cy = stream_next(&y);
	} while (cx == cy && cx != -1);
	return (cx > cy) - (cx < cy);
}

static int
key_cmp(const void *a, const void *b, void *arg)
{
	const struct jscan *j = arg;

	return tok_cmp(j, &j->t[*(const uint32_t *)a], &j->t[*(const uint32_t *)b]);
}

/* 1 if the object token o has two equal keys. Small objects compare each
 * pair; bigger ones sort their keys, so that no object can make this
 * quadratic. */
static int
has_duplicate_keys(const struct jscan *j, size_t o, int *oom)
{
	uint32_t small[16], *keys;
	size_t n = 0, i;
	int dup = 0;

	if (j->t[o].size < 2)
		return 0;
	keys = j->t[o].size <= 16 ? small : malloc(j->t[o].size * sizeof(*keys));
	if (keys == NULL) {
		*oom = 1;
		return 1;
	}
	for (i = o + 1; i < j->t[o].next; i = j->t[i + 1].next)
		keys[n++] = (uint32_t)i;
	if (n <= 16) {
		for (size_t a = 0; a < n && !dup; a++)
			for (size_t b = a + 1; b < n && !dup; b++)
				dup = tok_cmp(j, &j->t[keys[a]], &j->t[keys[b]]) == 0;
	} else {
		qsort_r(keys, n, sizeof(*keys), key_cmp, (void *)j);
		for (size_t a = 1; a < n && !dup; a++)
			dup = tok_cmp(j, &j->t[keys[a - 1]], &j->t[keys[a]]) == 0;
	}
	if (keys != small)
		free(keys);
	return dup;
}

static long
add(struct jscan *j, enum jscan_type type, size_t start)
{
	struct jscan_tok *t;

	if (j->n == j->cap) {
		size_t cap = j->cap > 0 ? j->cap * 2 : 64;
		if ((t = realloc(j->t, cap * sizeof(*t))) == NULL)
			return -1;
		j->t = t;
		j->cap = cap;
	}
	t = &j->t[j->n];
	memset(t, 0, sizeof(*t));
	t->type = (uint8_t)type;
	t->start = (uint32_t)start;
	t->end = (uint32_t)start;
	t->next = (uint32_t)j->n + 1;
	return (long)j->n++;
}

/* Scans the string whose opening quote is at *pos; on success *pos is
 * past the closing quote. Returns an error text or NULL. */
static const char *
scan_string(struct jscan *j, struct jscan_tok *t, size_t *pos)
{
	const unsigned char *b = (const unsigned char *)j->buf;
	size_t p = *pos + 1, len = j->len, k;
	unsigned cp, lo;

	t->start = (uint32_t)p;
	for (;;) {
		if (p >= len)
			return "unterminated string";
		if (b[p] == '"')
			break;
		if (b[p] == '\\') {
			t->escaped = 1;
			if (p + 1 >= len)
				return "unterminated string";
			switch (b[p + 1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				p += 2;
				continue;
			case 'u':
				break;
			default:
				return "invalid escape in a string";
			}
			if (p + 6 > len || hex4((const char *)b + p + 2, &cp) != 0)
				return "invalid \\u escape";
			if (cp == 0)
				return "\\u0000 in a string";
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return "lone low surrogate in a \\u escape";
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p + 12 > len || b[p + 6] != '\\' || b[p + 7] != 'u' ||
				    hex4((const char *)b + p + 8, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
					return "high surrogate without a low one in a \\u escape";
				p += 12;
			} else {
				p += 6;
			}
			continue;
		}
		if (b[p] < 0x20)
			return "control character in a string";
		if (b[p] < 0x80) {
			p++;
			continue;
		}
		if ((k = utf8_seq(b + p, len - p)) == 0)
			return "invalid UTF-8";
		p += k;
	}
	t->end = (uint32_t)p;
	*pos = p + 1;
	return NULL;
}

static const char *
scan_number(struct jscan *j, struct jscan_tok *t, size_t *pos)
{
	const char *b = j->buf;
	size_t p = *pos, len = j->len;

#define DIGIT(i) ((i) < len && b[i] >= '0' && b[i] <= '9')
	t->integer = 1;
	if (p < len && b[p] == '-')
		p++;
	if (p < len && b[p] == '0')
		p++;
	else if (DIGIT(p))
		while (DIGIT(p))
			p++;
	else
		return "invalid number";
	if (p < len && b[p] == '.') {
		t->integer = 0;
		if (!DIGIT(p + 1))
			return "invalid number";
		for (p++; DIGIT(p); p++)
			;
	}
	if (p < len && (b[p] == 'e' || b[p] == 'E')) {
		t->integer = 0;
		p++;
		if (p < len && (b[p] == '+' || b[p] == '-'))
			p++;
		if (!DIGIT(p))
			return "invalid number";
		while (DIGIT(p))
			p++;
	}
#undef DIGIT
	t->end = (uint32_t)p;
	*pos = p;
	return NULL;
}

static void
fail(const struct jscan *j, size_t pos, const char *what, struct mm_err *e)
{
	size_t line = 1, col = 1;

	for (size_t i = 0; i < pos && i < j->len; i++) {
		if (j->buf[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	err_set(e, "bad_json", "line %zu, column %zu: %s", line, col, what);
}

int
jscan_parse(struct jscan *j, const char *buf, size_t len, int max_depth, struct mm_err *e)
{
	uint32_t stack[JSCAN_MAX_DEPTH];
	enum state st = ST_VALUE;
	size_t pos = 0;
	int depth = 0;
	const char *bad;
	long i;

	memset(j, 0, sizeof(*j));
	j->buf = buf;
	j->len = len;
	if (len >= UINT32_MAX) {
		err_set(e, "bad_json", "the text is too large");
		return -1;
	}
	if (max_depth > JSCAN_MAX_DEPTH)
		max_depth = JSCAN_MAX_DEPTH;
	for (;;) {
		while (pos < len && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\n' ||
		    buf[pos] == '\r'))
			pos++;
		if (pos == len) {
			fail(j, pos, j->n == 0 ? "no JSON value" : "the text ends too early", e);
			return -1;
		}
		char c = buf[pos];

		switch (st) {
		case ST_KEY_OR_CLOSE:
		case ST_VALUE_OR_CLOSE:
			if (c == (st == ST_KEY_OR_CLOSE ? '}' : ']'))
				goto close;
			if (st == ST_VALUE_OR_CLOSE)
				goto value;
			/* FALLTHROUGH */
		case ST_KEY:
			if (c != '"') {
				fail(j, pos, "expected a key (a string in double quotes)", e);
				return -1;
			}
			if ((i = add(j, JSCAN_STRING, pos)) < 0)
				goto oom;
			if ((bad = scan_string(j, &j->t[i], &pos)) != NULL) {
				fail(j, pos, bad, e);
				return -1;
			}
			j->t[stack[depth - 1]].size++;
			st = ST_COLON;
			continue;
		case ST_COLON:
			if (c != ':') {
				fail(j, pos, "expected ':' after a key", e);
				return -1;
			}
			pos++;
			st = ST_VALUE;
			continue;
		case ST_COMMA_OR_CLOSE:
			if (c == ',') {
				pos++;
				st = j->t[stack[depth - 1]].type == JSCAN_OBJECT ? ST_KEY : ST_VALUE;
				continue;
			}
			if (c == (j->t[stack[depth - 1]].type == JSCAN_OBJECT ? '}' : ']'))
				goto close;
			fail(j, pos, "expected ',' or the end of the array or object", e);
			return -1;
		case ST_VALUE:
			goto value;
		}
value:
		if (depth > 0 && j->t[stack[depth - 1]].type == JSCAN_ARRAY)
			j->t[stack[depth - 1]].size++;
		if (c == '{' || c == '[') {
			if (depth >= max_depth) {
				fail(j, pos, "arrays and objects nest too deep", e);
				return -1;
			}
			if ((i = add(j, c == '{' ? JSCAN_OBJECT : JSCAN_ARRAY, pos)) < 0)
				goto oom;
			stack[depth++] = (uint32_t)i;
			st = c == '{' ? ST_KEY_OR_CLOSE : ST_VALUE_OR_CLOSE;
			pos++;
			continue;
		}
		if (c == '"') {
			if ((i = add(j, JSCAN_STRING, pos)) < 0)
				goto oom;
			bad = scan_string(j, &j->t[i], &pos);
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			if ((i = add(j, JSCAN_NUMBER, pos)) < 0)
				goto oom;
			bad = scan_number(j, &j->t[i], &pos);
		} else {
			static const struct { const char *w; enum jscan_type t; } lit[] = {
				{ "true", JSCAN_TRUE }, { "false", JSCAN_FALSE }, { "null", JSCAN_NULL },
			};
			size_t k;
			for (k = 0; k < 3; k++)
				if (len - pos >= strlen(lit[k].w) &&
				    memcmp(buf + pos, lit[k].w, strlen(lit[k].w)) == 0)
					break;
			if (k == 3) {
				fail(j, pos, "expected a value", e);
				return -1;
			}
			if ((i = add(j, lit[k].t, pos)) < 0)
				goto oom;
			pos += strlen(lit[k].w);
			j->t[i].end = (uint32_t)pos;
			bad = NULL;
		}
		if (bad != NULL) {
			fail(j, pos, bad, e);
			return -1;
		}
		goto done;
close:
		i = stack[--depth];
		j->t[i].end = (uint32_t)pos + 1;
		j->t[i].next = (uint32_t)j->n;
		pos++;
		if (j->t[i].type == JSCAN_OBJECT) {
			int oom = 0;
			if (has_duplicate_keys(j, (size_t)i, &oom)) {
				if (oom)
					goto oom;
				fail(j, pos - 1, "an object has the same key twice", e);
				return -1;
			}
		}
done:
		if (depth > 0) {
			st = ST_COMMA_OR_CLOSE;
			continue;
		}
		while (pos < len && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\n' ||
		    buf[pos] == '\r'))
			pos++;
		if (pos != len) {
			fail(j, pos, "text after the JSON value", e);
			return -1;
		}
		return 0;
	}
oom:
	err_set(e, "out_of_memory", "out of memory");
	return -1;
}

void
jscan_free(struct jscan *j)
{
	free(j->t);
	memset(j, 0, sizeof(*j));
}

int
jscan_streq(const struct jscan *j, size_t i, const char *s)
{
	const struct jscan_tok *t = &j->t[i];
	size_t n = strlen(s);
	struct stream x = { j->buf, t->start, t->end, { 0 }, 0, 0 };
	int c;

	if (t->type != JSCAN_STRING)
		return 0;
	if (!t->escaped)
		return t->end - t->start == n && memcmp(j->buf + t->start, s, n) == 0;
	for (size_t k = 0; k < n; k++)
		if ((c = stream_next(&x)) != (unsigned char)s[k])
			return 0;
	return stream_next(&x) == -1;
}

long
jscan_get(const struct jscan *j, size_t o, const char *key)
{
	if (j->t[o].type != JSCAN_OBJECT)
		return -1;
	for (size_t i = o + 1; i < j->t[o].next; i = j->t[i + 1].next)
		if (jscan_streq(j, i, key))
			return (long)i + 1;
	return -1;
}

long
jscan_str(const struct jscan *j, size_t i, char *out, size_t outlen)
{
	const struct jscan_tok *t = &j->t[i];
	size_t p = t->start, n = 0, k;
	unsigned char chunk[4];

	if (t->type != JSCAN_STRING || outlen == 0)
		return -1;
	while (p < t->end) {
		k = decode_one(j->buf, &p, chunk);
		if (n + k >= outlen)
			return -1;
		memcpy(out + n, chunk, k);
		n += k;
	}
	out[n] = '\0';
	return (long)n;
}

int
jscan_int(const struct jscan *j, size_t i, int64_t *v)
{
	const struct jscan_tok *t = &j->t[i];
	const char *p = j->buf + t->start, *end = j->buf + t->end;
	int neg = 0;
	uint64_t u = 0;

	if (t->type != JSCAN_NUMBER || !t->integer)
		return -1;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; p < end; p++) {
		if (u > (UINT64_MAX - 9) / 10)
			return -1;
		u = u * 10 + (uint64_t)(*p - '0');
	}
	if (u > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*v = neg ? (u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u) : (int64_t)u;
	return 0;
}
