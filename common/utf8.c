/* utf8: validation and repair; see utf8.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/utf8.h"

/* Length of the valid sequence at s (1..4), or 0 if invalid. */
static size_t
seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (n >= 2 && (s[1] & 0xc0) == 0x80) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

int
utf8_valid(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((k = seq_len((const unsigned char *)s + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* East Asian Wide and Fullwidth ranges (UAX #11) that Japanese text uses:
 * Hangul Jamo, CJK radicals to Yi, Hangul syllables, CJK compatibility,
 * vertical and small forms, fullwidth forms, and the supplementary
 * ideographic planes. */
static int
wide(unsigned long cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

size_t
utf8_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, w = 0, k;

	while (i < n) {
		unsigned long cp;

		if ((k = seq_len(p + i, n - i)) == 0) {
			w++;		/* shown as one replacement glyph */
			i++;
			continue;
		}
		cp = k == 1 ? p[i] : (unsigned long)(p[i] & (0x7f >> k));
		for (size_t j = 1; j < k; j++)
			cp = (cp << 6) | (p[i + j] & 0x3f);
		w += wide(cp) ? 2 : 1;
		i += k;
	}
	return w;
}

void
utf8_pad(FILE *out, const char *s, size_t width)
{
	size_t w = utf8_width(s);

	fputs(s, out);
	do
		fputc(' ', out);
	while (++w < width);
}

json_t *
utf8_json_string(const char *s)
{
	size_t n = strlen(s), i = 0, o = 0, k;
	char *out;
	json_t *j;

	if (utf8_valid(s, n))
		return json_stringn(s, n);
	out = malloc(n * 3 + 1);
	if (out == NULL)
		return json_string("");
	while (i < n) {
		if ((k = seq_len((const unsigned char *)s + i, n - i)) == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, s + i, k);
		o += k;
		i += k;
	}
	j = json_stringn(out, o);
	free(out);
	return j;
}
