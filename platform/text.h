/* text: the small pieces every line-oriented parser here needs. Parsers
 * take a buffer and a length, so tests and fuzzers feed them literal text. */
#ifndef MAMORI_TEXT_H
#define MAMORI_TEXT_H

#include <stddef.h>

/* Next line of buf starting at *pos: sets *line and *linelen (without the
 * newline) and advances *pos. Returns 0 at the end. */
int text_next_line(const char *buf, size_t len, size_t *pos, const char **line,
    size_t *linelen);

/* 1 if buf is text a settings file may hold: no NUL and no control bytes
 * other than tab, CR and LF. Binary garbage is refused, never guessed at. */
int text_is_clean(const char *buf, size_t len);

/* Trims spaces and tabs on both ends of [*s, *s + *n). */
void text_trim(const char **s, size_t *n);

/* Parses a decimal long in [s, s+n) exactly (no sign unless allow_neg, no
 * trailing bytes). Returns 0 and sets *out, or -1. */
int text_parse_long(const char *s, size_t n, int allow_neg, long *out);

/* Splits [s, s+n) at sep into at most max fields; returns the count. */
size_t text_split(const char *s, size_t n, char sep, const char **fields,
    size_t *lens, size_t max);

/* Copies [s, s+n) into a new NUL-terminated string (NULL on no memory). */
char *text_dup(const char *s, size_t n);
/* The value of hexadecimal digit c (0-9, a-f, A-F), or -1. */
int text_hexval(int c);

#endif
