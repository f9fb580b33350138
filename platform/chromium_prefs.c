/* chromium_prefs: Chromium's JSON files, read by a streaming scanner; see
 * chromium_prefs.h.
 *
 * A Preferences file is tens of KiB to several MiB of JSON of which one or
 * two values matter. Building it whole (jansson) cost most of the
 * browser.password_saving_off check, so the scanner below walks the text
 * once, validating all of it, skipping every value and descending only
 * into the objects on the path of a wanted key. It accepts exactly what
 * json_loadb(buf, len, 0) accepts — strict RFC 8259 JSON, UTF-8 checked,
 * no "\u0000", integers within int64, reals that do not overflow, at most
 * JSON_PARSER_MAX_DEPTH (2048) levels — and keeps jansson's meaning of a
 * repeated key: the last one wins. tests/fuzz/fuzz_chromium_prefs.c holds
 * the two to the same answers. What it refuses is handed to jansson once
 * more, only to phrase the error as before (line and column). */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "platform/chromium_prefs.h"
#include "platform/text.h"

/* jansson's own bound; the scanner keeps it with an explicit stack, so no
 * input can exhaust the C stack. */
#define SCAN_MAX_DEPTH	2048
/* Keys compared or kept: folder names are under 256 bytes, the keys looked
 * for shorter still; a longer key matches nothing. */
#define SCAN_KEY_MAX	256
#define NO_WANT		(-1)
#define ROOT_WANT	(-2)

enum want_kind {
	WANT_BOOL,	/* a true/false value; any other type is as if absent */
	WANT_OBJECT,	/* an object whose members are wanted */
	WANT_KEYS,	/* an object whose member names are collected */
};

/* One key on the path to a value: its name and its parent's index
 * (ROOT_WANT for the top-level object). */
struct want {
	const char *key;
	int parent;
	enum want_kind kind;
};

struct scan {
	const unsigned char *s;
	size_t n, i;
	const struct want *wants;
	int nwants;
	enum chromium_bool *vals;	/* per want, WANT_BOOL */
	char **names;			/* WANT_KEYS: the names collected */
	size_t nnames, cap;
	int oom;
};

static void
skip_ws(struct scan *sc)
{
	while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\n' ||
	    sc->s[sc->i] == '\r' || sc->s[sc->i] == '\t'))
		sc->i++;
}

/* One UTF-8 sequence starting at s[i] >= 0x80, checked as jansson's
 * utf8_check_first/utf8_check_full do: no overlong forms, no surrogates,
 * nothing above U+10FFFF. Returns its length, 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];
	size_t len;
	unsigned long v;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
	} else
		return 0;
	if (avail < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
		v = v << 6 | (s[k] & 0x3f);
	}
	if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ||
	    (len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000))
		return 0;
	return len;
}

static int
read_u4(struct scan *sc, unsigned *v)
{
	*v = 0;
	if (sc->n - sc->i < 5 || sc->s[sc->i] != 'u')
		return -1;
	for (size_t k = 1; k <= 4; k++) {
		int h = text_hexval(sc->s[sc->i + k]);
		if (h < 0)
			return -1;
		*v = *v << 4 | (unsigned)h;
	}
	sc->i += 5;
	return 0;
}

/* Appends code point v as UTF-8 to out (as jansson's utf8_encode). */
static size_t
put_utf8(unsigned long v, char *o)
{
	if (v < 0x80) {
		o[0] = (char)v;
		return 1;
	}
	if (v < 0x800) {
		o[0] = (char)(0xc0 | v >> 6);
		o[1] = (char)(0x80 | (v & 0x3f));
		return 2;
	}
	if (v < 0x10000) {
		o[0] = (char)(0xe0 | v >> 12);
		o[1] = (char)(0x80 | (v >> 6 & 0x3f));
		o[2] = (char)(0x80 | (v & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | v >> 18);
	o[1] = (char)(0x80 | (v >> 12 & 0x3f));
	o[2] = (char)(0x80 | (v >> 6 & 0x3f));
	o[3] = (char)(0x80 | (v & 0x3f));
	return 4;
}

/* A string at s[i] == '"'. With out, its decoded text (as jansson decodes
 * it) goes there while it fits in SCAN_KEY_MAX - 1 bytes; *olen is its
 * length, or SCAN_KEY_MAX when it did not fit. */
static int
scan_string(struct scan *sc, char *out, size_t *olen)
{
	const unsigned char *s = sc->s;
	size_t i = sc->i + 1, n = sc->n, o = 0;
	char tmp[4];

	for (;;) {
		size_t run = i;
		unsigned c;

		/* The common case: plain ASCII text. */
		while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
			i++;
		if (out != NULL && run < i) {
			if (o + (i - run) < SCAN_KEY_MAX) {
				memcpy(out + o, s + run, i - run);
				o += i - run;
			} else
				o = SCAN_KEY_MAX;
		}
		if (i >= n)
			return -1;
		c = s[i];
		if (c == '"') {
			sc->i = i + 1;
			if (out != NULL) {
				if (o < SCAN_KEY_MAX)
					out[o] = '\0';
				*olen = o;
			}
			return 0;
		}
		if (c < 0x20)
			return -1;	/* a control character */
		if (c >= 0x80) {
			size_t l = utf8_len(s + i, n - i);
			if (l == 0)
				return -1;
			if (out != NULL) {
				if (o + l < SCAN_KEY_MAX) {
					memcpy(out + o, s + i, l);
					o += l;
				} else
					o = SCAN_KEY_MAX;
			}
			i += l;
			continue;
		}
		/* A backslash. */
		if (++i >= n)
			return -1;
		c = s[i];
		size_t l = 1;
		switch (c) {
		case '"': case '\\': case '/':
			tmp[0] = (char)c;
			i++;
			break;
		case 'b': tmp[0] = '\b'; i++; break;
		case 'f': tmp[0] = '\f'; i++; break;
		case 'n': tmp[0] = '\n'; i++; break;
		case 'r': tmp[0] = '\r'; i++; break;
		case 't': tmp[0] = '\t'; i++; break;
		case 'u': {
			unsigned v, v2;
			unsigned long cp;

			sc->i = i;
			if (read_u4(sc, &v) == -1)
				return -1;
			if (v >= 0xd800 && v <= 0xdbff) {
				if (sc->n - sc->i < 1 || s[sc->i] != '\\')
					return -1;
				sc->i++;
				if (read_u4(sc, &v2) == -1 || v2 < 0xdc00 || v2 > 0xdfff)
					return -1;
				cp = ((unsigned long)(v - 0xd800) << 10) + (v2 - 0xdc00) + 0x10000;
			} else if ((v >= 0xdc00 && v <= 0xdfff) || v == 0)
				return -1;	/* a lone surrogate; "\u0000" (JSON_ALLOW_NUL unset) */
			else
				cp = v;
			i = sc->i;
			l = put_utf8(cp, tmp);
			break;
		}
		default:
			return -1;
		}
		if (out != NULL) {
			if (o + l < SCAN_KEY_MAX) {
				memcpy(out + o, tmp, l);
				o += l;
			} else
				o = SCAN_KEY_MAX;
		}
	}
}

/* jansson reads one byte past a number or a literal and puts it back;
 * a NUL byte put back is lost (stream_get takes a NUL in its buffer for
 * "empty"), so one NUL right after them is read as if absent. Kept, so
 * that the same files are accepted as before. */
static void
skip_lost_nul(struct scan *sc)
{
	if (sc->i < sc->n && sc->s[sc->i] == '\0')
		sc->i++;
}

static int
scan_literal(struct scan *sc, const char *lit, size_t l)
{
	if (sc->n - sc->i < l || memcmp(sc->s + sc->i, lit, l) != 0)
		return -1;
	sc->i += l;
	skip_lost_nul(sc);
	return 0;
}

static int
digits(struct scan *sc)
{
	size_t start = sc->i;

	while (sc->i < sc->n && sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9')
		sc->i++;
	return sc->i > start ? 0 : -1;
}

/* A real that strtod would round to infinity: jansson refuses it ("real
 * number overflow"). Decided from the decimal exponent of the first
 * significant digit; only a value of about 1e308 needs strtod itself. */
static int
real_overflows(const unsigned char *s, size_t len)
{
	size_t i = 0, int_start, int_end, frac_start = 0, frac_end = 0;
	long long e = 0, p;
	int eneg = 0;

	if (s[i] == '-')
		i++;
	int_start = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	int_end = i;
	if (i < len && s[i] == '.') {
		frac_start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		frac_end = i;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < len; i++)
			if (e < 1000000000LL)
				e = e * 10 + (s[i] - '0');
		if (eneg)
			e = -e;
	}
	if (!(int_end - int_start == 1 && s[int_start] == '0'))
		p = (long long)(int_end - int_start) - 1 + e;	/* no leading zeros in JSON */
	else {
		size_t k = frac_start;
		while (k < frac_end && s[k] == '0')
			k++;
		if (frac_start == 0 || k == frac_end)
			return 0;	/* zero */
		p = -(long long)(k - frac_start) - 1 + e;
	}
	if (p < 308)
		return 0;
	if (p > 308)
		return 1;
	{
		/* jansson reads reals with the "C" decimal point */
		locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
		char small[128], *copy = small, *end;
		double d;

		if (c_locale == (locale_t)0)
			return 1;
		if (len >= sizeof(small) && (copy = malloc(len + 1)) == NULL) {
			freelocale(c_locale);
			return 1;
		}
		memcpy(copy, s, len);
		copy[len] = '\0';
		d = strtod_l(copy, &end, c_locale);
		freelocale(c_locale);
		if (copy != small)
			free(copy);
		return d == HUGE_VAL || d == -HUGE_VAL;
	}
}

/* A number as jansson lexes it: integers must fit int64_t. */
static int
scan_number(struct scan *sc)
{
	const unsigned char *s = sc->s;
	size_t start = sc->i, dstart;
	int neg = 0, real = 0;

	if (s[sc->i] == '-') {
		neg = 1;
		sc->i++;
	}
	dstart = sc->i;
	if (sc->i >= sc->n)
		return -1;
	if (s[sc->i] == '0')
		sc->i++;
	else if (digits(sc) == -1)
		return -1;
	if (sc->i < sc->n && s[sc->i] == '.') {
		sc->i++;
		real = 1;
		if (digits(sc) == -1)
			return -1;
	}
	if (sc->i < sc->n && (s[sc->i] == 'e' || s[sc->i] == 'E')) {
		sc->i++;
		real = 1;
		if (sc->i < sc->n && (s[sc->i] == '+' || s[sc->i] == '-'))
			sc->i++;
		if (digits(sc) == -1)
			return -1;
	}
	if (real) {
		if (real_overflows(s + start, sc->i - start))
			return -1;
	} else {
		/* strtoll's range: 19 digits at most, compared as text */
		size_t nd = sc->i - dstart;

		if (nd > 19 || (nd == 19 && memcmp(s + dstart, neg ? "9223372036854775808" :
		    "9223372036854775807", 19) > 0))
			return -1;
	}
	skip_lost_nul(sc);
	return 0;
}

/* A wanted object's value is replaced (a repeated key, the last wins):
 * everything found under it so far is forgotten. */
static void
forget_under(struct scan *sc, int w)
{
	for (int k = 0; k < sc->nwants; k++) {
		int a = k;	/* w itself, and every want beneath it */

		while (a >= 0 && a != w)
			a = sc->wants[a].parent;
		if (a != w)
			continue;
		if (sc->wants[k].kind == WANT_BOOL)
			sc->vals[k] = CHROMIUM_UNSET;
		else if (sc->wants[k].kind == WANT_KEYS) {
			for (size_t j = 0; j < sc->nnames; j++)
				free(sc->names[j]);
			sc->nnames = 0;
		}
	}
}

/* A name the user data folder can hold as a direct child. */
static int
folder_name_ok(const char *s, size_t n)
{
	return n > 0 && n < 256 && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 &&
	    strchr(s, '/') == NULL;
}

static void
keep_name(struct scan *sc, const char *key, size_t len)
{
	char **v;

	if (!folder_name_ok(key, len) || sc->oom)
		return;
	if (sc->nnames == sc->cap) {
		size_t cap = sc->cap ? 2 * sc->cap : 8;
		if ((v = realloc(sc->names, cap * sizeof(*v))) == NULL) {
			sc->oom = 1;
			return;
		}
		sc->names = v;
		sc->cap = cap;
	}
	if ((sc->names[sc->nnames] = strdup(key)) == NULL) {
		sc->oom = 1;
		return;
	}
	sc->nnames++;
}

/* Walks the whole text: 0 if it is one JSON object and nothing else, -1
 * where jansson would refuse it. No recursion: the open containers are a
 * stack of SCAN_MAX_DEPTH entries. */
static int
scan_document(struct scan *sc)
{
	unsigned char kind[SCAN_MAX_DEPTH];	/* '{' or '[' */
	int node[SCAN_MAX_DEPTH];		/* the want an object is, or NO_WANT */
	char key[SCAN_KEY_MAX];
	size_t open = 0, klen;
	int pending;			/* the want the next value is */
	int c;

	skip_ws(sc);
	if (sc->i >= sc->n || sc->s[sc->i] != '{')
		return -1;	/* jansson: not an array or object; or an array */
	pending = ROOT_WANT;
value:
	/* jansson's parse_value: a value inside 2048 open containers is
	 * one level too deep. */
	if (open >= SCAN_MAX_DEPTH)
		return -1;
	skip_ws(sc);
	if (sc->i >= sc->n)
		return -1;
	c = sc->s[sc->i];
	if (pending >= 0 && sc->wants[pending].kind == WANT_BOOL) {
		sc->vals[pending] = CHROMIUM_UNSET;
		if (c == 't' && scan_literal(sc, "true", 4) == 0) {
			sc->vals[pending] = CHROMIUM_TRUE;
			goto after;
		}
		if (c == 'f' && scan_literal(sc, "false", 5) == 0) {
			sc->vals[pending] = CHROMIUM_FALSE;
			goto after;
		}
	} else if (pending >= 0)
		forget_under(sc, pending);
	switch (c) {
	case '{':
		sc->i++;
		kind[open] = '{';
		node[open] = pending >= 0 && sc->wants[pending].kind == WANT_BOOL ? NO_WANT : pending;
		open++;
		skip_ws(sc);
		if (sc->i < sc->n && sc->s[sc->i] == '}') {
			sc->i++;
			open--;
			goto after;
		}
		goto member;
	case '[':
		sc->i++;
		kind[open] = '[';
		node[open] = NO_WANT;
		open++;
		skip_ws(sc);
		if (sc->i < sc->n && sc->s[sc->i] == ']') {
			sc->i++;
			open--;
			goto after;
		}
		pending = NO_WANT;
		goto value;
	case '"':
		if (scan_string(sc, NULL, NULL) == -1)
			return -1;
		goto after;
	case 't':
		if (scan_literal(sc, "true", 4) == -1)
			return -1;
		goto after;
	case 'f':
		if (scan_literal(sc, "false", 5) == -1)
			return -1;
		goto after;
	case 'n':
		if (scan_literal(sc, "null", 4) == -1)
			return -1;
		goto after;
	default:
		if (c != '-' && (c < '0' || c > '9'))
			return -1;
		if (scan_number(sc) == -1)
			return -1;
		goto after;
	}
member:
	/* At a member's name, after '{' or ','. */
	skip_ws(sc);
	if (sc->i >= sc->n || sc->s[sc->i] != '"')
		return -1;
	pending = NO_WANT;
	if (node[open - 1] == NO_WANT) {
		if (scan_string(sc, NULL, NULL) == -1)
			return -1;
	} else {
		int parent = node[open - 1];

		if (scan_string(sc, key, &klen) == -1)
			return -1;
		if (parent >= 0 && sc->wants[parent].kind == WANT_KEYS) {
			if (klen < SCAN_KEY_MAX)
				keep_name(sc, key, klen);
		} else if (klen < SCAN_KEY_MAX) {
			for (int k = 0; k < sc->nwants; k++)
				if (sc->wants[k].parent == parent &&
				    strcmp(sc->wants[k].key, key) == 0) {
					pending = k;
					break;
				}
		}
	}
	skip_ws(sc);
	if (sc->i >= sc->n || sc->s[sc->i] != ':')
		return -1;
	sc->i++;
	goto value;
after:
	/* After a value: a separator, the end of its container, or of the text. */
	skip_ws(sc);
	if (open == 0)
		return sc->i == sc->n ? 0 : -1;
	if (sc->i >= sc->n)
		return -1;
	c = sc->s[sc->i++];
	if (c == ',') {
		if (kind[open - 1] == '{')
			goto member;
		pending = NO_WANT;
		goto value;
	}
	if ((c == '}' && kind[open - 1] == '{') || (c == ']' && kind[open - 1] == '[')) {
		open--;
		goto after;
	}
	return -1;
}

/* The scanner refused the text. jansson, which read these files before,
 * says why in the words the reports carried (line and text); should it
 * accept what the scanner refused, the scanner's answer still stands. */
static void
refusal(const char *buf, size_t len, const char *what, size_t at, struct mm_err *e)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, 0, &je);

	if (root == NULL)
		err_set(e, "parse_error", "%s is not valid JSON (line %d: %s)", what,
		    je.line, je.text);
	else if (!json_is_object(root))
		err_set(e, "parse_error", "%s does not hold a JSON object", what);
	else
		err_set(e, "parse_error", "%s is not valid JSON (near byte %zu)", what, at);
	json_decref(root);
}

/* Scans buf for the wanted keys: vals[k] for each WANT_BOOL, sc->names for
 * a WANT_KEYS. Returns 0, or -1 with err (the names freed). */
static int
scan_for(struct scan *sc, const char *buf, size_t len, const char *what,
    const struct want *wants, int nwants, enum chromium_bool *vals, struct mm_err *e)
{
	memset(sc, 0, sizeof(*sc));
	for (int k = 0; k < nwants; k++)
		vals[k] = CHROMIUM_UNSET;
	if (len > CHROMIUM_PREFS_CAP) {
		err_set(e, "file_too_large", "%s is %zu bytes, more than the %u read",
		    what, len, CHROMIUM_PREFS_CAP);
		return -1;
	}
	sc->s = (const unsigned char *)buf;
	sc->n = len;
	sc->wants = wants;
	sc->nwants = nwants;
	sc->vals = vals;
	if (scan_document(sc) == -1 || sc->oom) {
		chromium_free_names(sc->names, sc->nnames);
		sc->names = NULL;
		sc->nnames = 0;
		for (int k = 0; k < nwants; k++)
			vals[k] = CHROMIUM_UNSET;
		if (sc->oom)
			err_set(e, "out_of_memory", "out of memory reading %s", what);
		else
			refusal(buf, len, what, sc->i, e);
		return -1;
	}
	return 0;
}

int
chromium_prefs_saving(const char *buf, size_t len, enum chromium_bool *out,
    struct mm_err *e)
{
	static const struct want wants[] = {
		{ "credentials_enable_service", ROOT_WANT, WANT_BOOL },
		{ "profile", ROOT_WANT, WANT_OBJECT },
		{ "password_manager_enabled", 1, WANT_BOOL },
	};
	enum chromium_bool vals[3];
	struct scan sc;

	*out = CHROMIUM_UNSET;
	if (scan_for(&sc, buf, len, "Preferences", wants, 3, vals, e) == -1)
		return -1;
	*out = vals[0] != CHROMIUM_UNSET ? vals[0] : vals[2];
	return 0;
}

void
chromium_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
chromium_local_state_profiles(const char *buf, size_t len, char ***names,
    size_t *n, struct mm_err *e)
{
	static const struct want wants[] = {
		{ "profile", ROOT_WANT, WANT_OBJECT },
		{ "info_cache", 0, WANT_KEYS },
	};
	enum chromium_bool vals[2];
	struct scan sc;
	size_t cnt = 0;

	*names = NULL;
	*n = 0;
	if (scan_for(&sc, buf, len, "Local State", wants, 2, vals, e) == -1)
		return -1;
	if (sc.nnames == 0) {
		free(sc.names);
		return 0;
	}
	qsort(sc.names, sc.nnames, sizeof(*sc.names), cmp_names);
	/* A repeated name is one member of the object, as in jansson. */
	for (size_t i = 0; i < sc.nnames; i++) {
		if (cnt > 0 && strcmp(sc.names[cnt - 1], sc.names[i]) == 0)
			free(sc.names[i]);
		else
			sc.names[cnt++] = sc.names[i];
	}
	*names = sc.names;
	*n = cnt;
	return 0;
}

/* Skips a JSON string starting at s[i] == '"'; returns the index after it. */
static size_t
skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n && s[i] != '"'; i++)
		if (s[i] == '\\' && i + 1 < n)
			i++;
	return i < n ? i + 1 : n;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Chromium reads policy files with comments and trailing commas allowed
 * (JSON_PARSE_CHROMIUM_EXTENSIONS | JSON_ALLOW_TRAILING_COMMAS). jansson
 * does not, so both are blanked out first — comments in one pass, then
 * commas before a closing bracket — outside strings, keeping every other
 * byte where it was so that error lines still match the file. */
static void
relax_json(char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		if (s[i] == '"')
			i = skip_string(s, n, i);
		else if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
			while (i < n && s[i] != '\n')
				s[i++] = ' ';
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			s[i] = s[i + 1] = ' ';
			i += 2;
			while (i < n && !(s[i] == '*' && i + 1 < n && s[i + 1] == '/')) {
				if (s[i] != '\n')
					s[i] = ' ';
				i++;
			}
			if (i < n) {
				s[i] = s[i + 1] = ' ';
				i += 2;
			}
		} else
			i++;
	}
	i = 0;
	while (i < n) {
		if (s[i] == '"') {
			i = skip_string(s, n, i);
			continue;
		}
		if (s[i] == ',') {
			for (j = i + 1; j < n && is_space(s[j]); j++)
				;
			if (j < n && (s[j] == '}' || s[j] == ']'))
				s[i] = ' ';
		}
		i++;
	}
}

int
chromium_policy_password_manager(const char *buf, size_t len,
    enum chromium_bool *out, struct mm_err *e)
{
	static const struct want wants[] = {
		{ "PasswordManagerEnabled", ROOT_WANT, WANT_BOOL },
	};
	enum chromium_bool vals[1];
	struct scan sc;
	char *copy;
	int rc;

	*out = CHROMIUM_UNSET;
	if (len > CHROMIUM_PREFS_CAP) {
		err_set(e, "file_too_large", "a policy file is %zu bytes, more than the %u read",
		    len, CHROMIUM_PREFS_CAP);
		return -1;
	}
	if ((copy = malloc(len + 1)) == NULL) {
		err_set(e, "out_of_memory", "out of memory reading a policy file");
		return -1;
	}
	memcpy(copy, buf, len);
	copy[len] = '\0';
	relax_json(copy, len);
	rc = scan_for(&sc, copy, len, "the policy file", wants, 1, vals, e);
	free(copy);
	if (rc == -1)
		return -1;
	*out = vals[0];
	return 0;
}
