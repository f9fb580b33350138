/* utf8: JSON strings from bytes that may not be UTF-8. Host names, account
 * names and paths on a PC are bytes; jansson refuses invalid UTF-8, and a
 * report must never fail to be built because of one odd name. */
#ifndef MAMORI_UTF8_H
#define MAMORI_UTF8_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

/* 1 if [s, s+n) is valid UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t n);
/* A JSON string of s with each invalid byte replaced by U+FFFD. */
json_t *utf8_json_string(const char *s);

/* Columns s takes on a terminal: 2 for East Asian wide characters
 * (kanji, kana, fullwidth forms), 1 for the rest; an invalid byte counts 1.
 * printf's "%-10s" counts bytes, which puts Japanese columns askew. */
size_t utf8_width(const char *s);
/* Writes s as a column: s, then spaces up to WIDTH columns, and at least
 * one, so that a value wider than its column stays apart from the next. */
void utf8_pad(FILE *out, const char *s, size_t width);

#endif
