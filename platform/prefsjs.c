/* prefsjs: the Mozilla pref-file grammar, token by token; see prefsjs.h.
 * The tokenizer follows Firefox's own (modules/libpref/parser): the same
 * keywords, comments, string escapes, int32 range and the same recovery
 * (skip to the next ';'), so that a line Firefox ignores is ignored here
 * too and a prefs.js cannot make mamori see a setting Firefox does not. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/prefsjs.h"
#include "platform/text.h"

enum tok {
	T_EOF = 0,
	T_CHAR,		/* one of ( ) + , - ; and, in autoconfig, any other byte */
	T_PREF,
	T_STICKY_PREF,
	T_USER_PREF,
	T_LOCK_PREF,	/* autoconfig only */
	T_DEFAULT_PREF,	/* autoconfig only */
	T_TRUE,
	T_FALSE,
	T_STICKY,
	T_LOCKED,
	T_STRING,
	T_INT,
	T_IDENT,	/* autoconfig: any other identifier */
	T_ERROR,
};

struct sbuf {
	char *p;
	size_t n, cap;
};

struct lexer {
	const unsigned char *buf;
	size_t len, i;
	size_t line;
	enum prefsjs_mode mode;
	int oom;
	/* the current token */
	enum tok t;
	int ch;			/* T_CHAR */
	uint32_t num;		/* T_INT */
	size_t tline;		/* line the token started on */
	struct sbuf *str;	/* where T_STRING text goes */
};

static int
sbuf_put(struct sbuf *b, unsigned char c)
{
	if (b->n + 1 >= b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 64;
		char *np = realloc(b->p, nc);
		if (np == NULL)
			return -1;
		b->p = np;
		b->cap = nc;
	}
	b->p[b->n++] = (char)c;
	b->p[b->n] = '\0';
	return 0;
}

/* The next byte, or 0 at the end: a NUL byte ends the text, as in Firefox. */
static int
peek(const struct lexer *lx)
{
	return lx->i < lx->len ? lx->buf[lx->i] : 0;
}

static int
next(struct lexer *lx)
{
	int c = peek(lx);

	if (c != 0)
		lx->i++;
	return c;
}

static int
is_kw_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (c == '$');
}

/* Firefox keywords are made of letters and '_' only; JavaScript names in an
 * autoconfig file may also hold digits and '$'. */
static int
is_kw_char(const struct lexer *lx, int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return 1;
	return lx->mode == PREFSJS_AUTOCONFIG && ((c >= '0' && c <= '9') || c == '$');
}

static void
newline(struct lexer *lx, int c)
{
	if (c == '\n')
		lx->line++;
	else if (c == '\r') {
		lx->line++;
		if (peek(lx) == '\n')
			lx->i++;
	}
}

static int
hex_digits(struct lexer *lx, int n, uint32_t *out)
{
	uint32_t v = 0;

	for (int k = 0; k < n; k++) {
		int h = text_hexval(peek(lx));
		if (h < 0)
			return -1;
		lx->i++;
		v = v << 4 | (uint32_t)h;
	}
	*out = v;
	return 0;
}

static int
put_utf8(struct sbuf *b, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	for (size_t k = 0; k < n; k++)
		if (sbuf_put(b, u[k]) == -1)
			return -1;
	return 0;
}

/* A string literal after its opening quote. A bad escape makes the whole
 * token an error, but the string is still read to its end, as Firefox
 * does, so the recovery starts after it. */
static enum tok
lex_string(struct lexer *lx, int quote)
{
	struct sbuf *b = lx->str;
	int bad = 0;

	/* Start empty but allocated, so an empty literal is "" and not NULL. */
	b->n = 0;
	if (sbuf_put(b, 0) == -1)
		goto oom;
	b->n = 0;
	for (;;) {
		int c = next(lx);
		uint32_t v, lo;

		if (c == 0)
			return T_ERROR;		/* unterminated */
		if (c == quote)
			break;
		if (c == '\n' || c == '\r') {
			size_t before = lx->i;

			newline(lx, c);
			if (sbuf_put(b, (unsigned char)c) == -1)
				goto oom;
			if (lx->i != before && sbuf_put(b, '\n') == -1)
				goto oom;
			continue;
		}
		if (c != '\\') {
			if (sbuf_put(b, (unsigned char)c) == -1)
				goto oom;
			continue;
		}
		c = next(lx);
		switch (c) {
		case '"': case '\'': case '\\':
			if (sbuf_put(b, (unsigned char)c) == -1)
				goto oom;
			break;
		case 'n':
			if (sbuf_put(b, '\n') == -1)
				goto oom;
			break;
		case 'r':
			if (sbuf_put(b, '\r') == -1)
				goto oom;
			break;
		case 'x':
			if (hex_digits(lx, 2, &v) == -1 || v == 0) {
				bad = 1;
				break;
			}
			if (sbuf_put(b, (unsigned char)v) == -1)
				goto oom;
			break;
		case 'u':
			if (hex_digits(lx, 4, &v) == -1 || v == 0) {
				bad = 1;
				break;
			}
			if (v >= 0xd800 && v <= 0xdbff) {
				/* A high surrogate must be followed by \u and a low one. */
				if (peek(lx) != '\\' || lx->i + 1 >= lx->len ||
				    lx->buf[lx->i + 1] != 'u') {
					bad = 1;
					break;
				}
				lx->i += 2;
				if (hex_digits(lx, 4, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff) {
					bad = 1;
					break;
				}
				v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
			} else if (v >= 0xdc00 && v <= 0xdfff) {
				bad = 1;
				break;
			}
			if (put_utf8(b, v) == -1)
				goto oom;
			break;
		case 0:
			return T_ERROR;
		default:
			/* JavaScript keeps unknown escapes' characters; the pref
			 * grammar refuses them. */
			if (lx->mode != PREFSJS_AUTOCONFIG) {
				bad = 1;
				break;
			}
			if (c == 't')
				c = '\t';
			if (c == '\n' || c == '\r') {
				newline(lx, c);
				break;		/* a JavaScript line continuation */
			}
			if (sbuf_put(b, (unsigned char)c) == -1)
				goto oom;
			break;
		}
	}
	return bad ? T_ERROR : T_STRING;
oom:
	lx->oom = 1;
	return T_EOF;
}

static enum tok
lex_keyword(struct lexer *lx, size_t start)
{
	static const struct {
		const char *s;
		enum tok t;
		int autoconfig_only;
	} kw[] = {
		{ "pref", T_PREF, 0 },
		{ "true", T_TRUE, 0 },
		{ "false", T_FALSE, 0 },
		{ "user_pref", T_USER_PREF, 0 },
		{ "sticky", T_STICKY, 0 },
		{ "locked", T_LOCKED, 0 },
		{ "sticky_pref", T_STICKY_PREF, 0 },
		{ "lockPref", T_LOCK_PREF, 1 },
		{ "defaultPref", T_DEFAULT_PREF, 1 },
	};
	size_t n;

	while (is_kw_char(lx, peek(lx)))
		lx->i++;
	n = lx->i - start;
	for (size_t k = 0; k < sizeof(kw) / sizeof(kw[0]); k++) {
		if (kw[k].autoconfig_only && lx->mode != PREFSJS_AUTOCONFIG)
			continue;
		if (strlen(kw[k].s) == n && memcmp(lx->buf + start, kw[k].s, n) == 0)
			return kw[k].t;
	}
	return lx->mode == PREFSJS_AUTOCONFIG ? T_IDENT : T_ERROR;
}

static enum tok
lex_int(struct lexer *lx, int first)
{
	uint64_t v = (uint64_t)(first - '0');
	int overflow = 0;

	while (peek(lx) >= '0' && peek(lx) <= '9') {
		v = v * 10 + (uint64_t)(next(lx) - '0');
		if (v > UINT32_MAX) {
			overflow = 1;
			v = UINT32_MAX;
		}
	}
	/* "123abc" is one bad token, not a number and a name. */
	if (is_kw_start(peek(lx)) && peek(lx) != '$') {
		while (is_kw_char(lx, peek(lx)))
			lx->i++;
		return T_ERROR;
	}
	if (overflow)
		return T_ERROR;
	lx->num = (uint32_t)v;
	return T_INT;
}

/* Reads the next token into lx->t. */
static void
lex(struct lexer *lx)
{
	for (;;) {
		size_t start = lx->i;
		int c = next(lx);

		lx->tline = lx->line;
		switch (c) {
		case 0:
			lx->t = T_EOF;
			return;
		case ' ': case '\t': case '\v': case '\f':
			continue;
		case '\n': case '\r':
			newline(lx, c);
			continue;
		case '(': case ')': case '+': case ',': case '-': case ';':
			lx->t = T_CHAR;
			lx->ch = c;
			return;
		case '"': case '\'':
			lx->t = lex_string(lx, c);
			return;
		case '#':
			if (lx->mode == PREFSJS_AUTOCONFIG)
				break;
			while ((c = peek(lx)) != 0 && c != '\n' && c != '\r')
				lx->i++;
			continue;
		case '/':
			if (peek(lx) == '/') {
				while ((c = peek(lx)) != 0 && c != '\n' && c != '\r')
					lx->i++;
				continue;
			}
			if (peek(lx) == '*') {
				lx->i++;
				for (;;) {
					c = next(lx);
					if (c == 0) {
						lx->t = T_ERROR;	/* unterminated */
						return;
					}
					if (c == '*' && peek(lx) == '/') {
						lx->i++;
						break;
					}
					newline(lx, c);
				}
				continue;
			}
			break;
		default:
			if (c >= '0' && c <= '9') {
				lx->t = lex_int(lx, c);
				return;
			}
			if (is_kw_start(c) && (c != '$' || lx->mode == PREFSJS_AUTOCONFIG)) {
				lx->t = lex_keyword(lx, start);
				return;
			}
			break;
		}
		/* Any other byte: an error in a pref file, punctuation of no
		 * interest in JavaScript. */
		if (lx->mode == PREFSJS_AUTOCONFIG) {
			lx->t = T_CHAR;
			lx->ch = c;
		} else
			lx->t = T_ERROR;
		return;
	}
}

static int
is_char(const struct lexer *lx, int c)
{
	return lx->t == T_CHAR && lx->ch == c;
}

/* Firefox's panic-mode recovery: drop tokens up to and including the next
 * ';' (or the end). Leaves the token after it in lx->t. */
static void
recover(struct lexer *lx, size_t *errors)
{
	(*errors)++;
	while (lx->t != T_EOF && !is_char(lx, ';') && !lx->oom)
		lex(lx);
	if (lx->t != T_EOF)
		lex(lx);
}

const char *
prefsjs_spec_name(enum prefsjs_spec s)
{
	static const char *const names[] = {
		"user_pref", "pref", "sticky_pref", "lockPref", "defaultPref",
	};
	return names[s];
}

/* After the spec keyword: "(" name "," value [attrs] ")" [";"]. Returns 1
 * with it filled, 0 on a syntax error (the offending token is current). */
static int
parse_call(struct lexer *lx, struct sbuf *name, struct sbuf *val,
    struct prefsjs_item *it)
{
	lex(lx);
	if (!is_char(lx, '('))
		return 0;
	lx->str = name;
	lex(lx);
	lx->str = val;
	if (lx->t != T_STRING)
		return 0;
	it->line = lx->tline;
	lex(lx);
	if (!is_char(lx, ','))
		return 0;
	lex(lx);
	switch (lx->t) {
	case T_TRUE:
	case T_FALSE:
		it->type = PREFSJS_BOOL;
		it->boolean = lx->t == T_TRUE;
		break;
	case T_STRING:
		it->type = PREFSJS_STRING;
		break;
	case T_INT:
		if (lx->num > INT32_MAX)
			return 0;
		it->type = PREFSJS_INT;
		it->integer = (long)lx->num;
		break;
	case T_CHAR:
		if (lx->ch != '-' && lx->ch != '+')
			return 0;
		{
			int neg = lx->ch == '-';
			lex(lx);
			if (lx->t != T_INT)
				return 0;
			if (lx->num > (uint32_t)INT32_MAX + (neg ? 1u : 0u))
				return 0;
			it->type = PREFSJS_INT;
			it->integer = neg ? -(long)lx->num : (long)lx->num;
		}
		break;
	default:
		return 0;
	}
	it->locked = it->sticky = 0;
	lex(lx);
	if (lx->mode == PREFSJS_DEFAULT) {
		while (is_char(lx, ',')) {
			lex(lx);
			if (lx->t == T_STICKY)
				it->sticky = 1;
			else if (lx->t == T_LOCKED)
				it->locked = 1;
			else
				return 0;
			lex(lx);
		}
	}
	if (!is_char(lx, ')'))
		return 0;
	lex(lx);
	/* JavaScript does not need the ';'; the pref grammar does. */
	if (lx->mode == PREFSJS_AUTOCONFIG) {
		if (is_char(lx, ';'))
			lex(lx);
		return 1;
	}
	if (!is_char(lx, ';'))
		return 0;
	lex(lx);
	return 1;
}

static int
spec_of(const struct lexer *lx, enum prefsjs_spec *spec)
{
	switch (lx->t) {
	case T_USER_PREF:
		*spec = PREFSJS_USER_PREF;
		return lx->mode != PREFSJS_AUTOCONFIG;
	case T_PREF:
		*spec = PREFSJS_PREF;
		return lx->mode != PREFSJS_USER;
	case T_STICKY_PREF:
		*spec = PREFSJS_STICKY_PREF;
		return lx->mode == PREFSJS_DEFAULT;
	case T_LOCK_PREF:
		*spec = PREFSJS_LOCK_PREF;
		return lx->mode == PREFSJS_AUTOCONFIG;
	case T_DEFAULT_PREF:
		*spec = PREFSJS_DEFAULT_PREF;
		return lx->mode == PREFSJS_AUTOCONFIG;
	default:
		return 0;
	}
}

int
prefsjs_parse(const char *buf, size_t len, enum prefsjs_mode mode,
    prefsjs_cb cb, void *ctx, size_t *errors, struct mm_err *e)
{
	struct sbuf name = { NULL, 0, 0 }, val = { NULL, 0, 0 };
	struct lexer lx;
	size_t nerr = 0, pos, pline;
	int rc = 0, prev_dot = 0;

	memset(&lx, 0, sizeof(lx));
	lx.buf = (const unsigned char *)buf;
	lx.len = len;
	lx.line = 1;
	lx.mode = mode;
	lx.str = &val;
	lex(&lx);
	while (lx.t != T_EOF && !lx.oom) {
		struct prefsjs_item it;
		enum prefsjs_spec spec;

		if (mode == PREFSJS_AUTOCONFIG) {
			/* Pick calls out of JavaScript: a spec keyword not
			 * reached through a '.' (prefs.lockPref(name) is another
			 * API), followed by a well-formed call. Anything else
			 * moves on by one token. */
			int dot = lx.t == T_CHAR && lx.ch == '.';
			if (!prev_dot && spec_of(&lx, &spec)) {
				pos = lx.i;
				pline = lx.line;
				memset(&it, 0, sizeof(it));
				it.spec = spec;
				if (parse_call(&lx, &name, &val, &it)) {
					it.name = name.p;
					it.str = it.type == PREFSJS_STRING ? val.p : NULL;
					if ((rc = cb(&it, ctx)) != 0)
						break;
					prev_dot = 0;
					continue;
				}
				if (lx.oom)
					break;
				/* Restart right after the keyword. */
				lx.i = pos;
				lx.line = pline;
				nerr++;
			}
			prev_dot = dot;
			lex(&lx);
			continue;
		}
		if (!spec_of(&lx, &spec)) {
			recover(&lx, &nerr);
			continue;
		}
		memset(&it, 0, sizeof(it));
		it.spec = spec;
		if (!parse_call(&lx, &name, &val, &it)) {
			if (!lx.oom)
				recover(&lx, &nerr);
			continue;
		}
		it.name = name.p;
		it.str = it.type == PREFSJS_STRING ? val.p : NULL;
		if ((rc = cb(&it, ctx)) != 0)
			break;
	}
	free(name.p);
	free(val.p);
	if (errors != NULL)
		*errors = nerr;
	if (lx.oom) {
		err_set(e, "out_of_memory", "out of memory reading a preferences file");
		return -1;
	}
	return rc;
}
