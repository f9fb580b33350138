/* jsonpos: where in a JSON text a value sits, by its path, so that an error
 * found after parsing ("password.min_length must be a number") can still
 * name the line and column a person has to edit. jansson keeps no positions. */
#ifndef MAMORI_JSONPOS_H
#define MAMORI_JSONPOS_H

#include <stddef.h>

/* A path step is an object key, or an array index when key is NULL. */
struct jsonpos_step {
	const char *key;
	size_t index;
};

/* Finds the value at path (depth steps; depth 0 is the whole document) in
 * buf. For a key step whose key is present, *line and *col (1-based, columns in
 * characters, as jansson counts them in its own errors and editors show
 * them) point at the key when want_key is set, else at its value. Returns 0
 * when found, -1 when the path is absent or the text is not well-formed
 * before it. Never reads past len. */
int jsonpos_locate(const char *buf, size_t len, const struct jsonpos_step *path,
    size_t depth, int want_key, int *line, int *col);

#endif
