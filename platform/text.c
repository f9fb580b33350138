/* text: line splitting, trimming and strict number parsing for parsers. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "platform/text.h"

int
text_next_line(const char *buf, size_t len, size_t *pos, const char **line,
    size_t *linelen)
{
	const char *nl;

	if (*pos >= len)
		return 0;
	*line = buf + *pos;
	nl = memchr(*line, '\n', len - *pos);
	if (nl == NULL) {
		*linelen = len - *pos;
		*pos = len;
	} else {
		*linelen = (size_t)(nl - *line);
		*pos += *linelen + 1;
	}
	if (*linelen > 0 && (*line)[*linelen - 1] == '\r')
		(*linelen)--;
	return 1;
}

int
text_is_clean(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return 0;
	}
	return 1;
}

void
text_trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

int
text_parse_long(const char *s, size_t n, int allow_neg, long *out)
{
	long v = 0;
	int neg = 0;
	size_t i = 0;

	if (n > 0 && s[0] == '-' && allow_neg) {
		neg = 1;
		i = 1;
	} else if (n > 0 && s[0] == '+')
		i = 1;
	if (i == n)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (LONG_MAX - (s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

size_t
text_split(const char *s, size_t n, char sep, const char **fields, size_t *lens,
    size_t max)
{
	size_t k = 0, start = 0;

	if (max == 0)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == sep) {
			if (k == max)
				return max + 1;
			fields[k] = s + start;
			lens[k] = i - start;
			k++;
			start = i + 1;
		}
	}
	return k;
}

char *
text_dup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

int
text_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
