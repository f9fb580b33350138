/* utf8: JSON strings from bytes that may not be UTF-8. Host names, account
 * names and paths on a PC are bytes; jansson refuses invalid UTF-8, and a
 * report must never fail to be built because of one odd name. */
#ifndef MAMORI_UTF8_H
#define MAMORI_UTF8_H

#include <stddef.h>
#include <jansson.h>

/* 1 if [s, s+n) is valid UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t n);
/* A JSON string of s with each invalid byte replaced by U+FFFD. */
json_t *utf8_json_string(const char *s);

#endif
