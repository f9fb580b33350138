/* gvdb: a reader of GVDB files, the hash-table format of dconf databases
 * (~/.config/dconf/user, /etc/dconf/db/NAME) and of compiled GSettings
 * schemas (gschemas.compiled). It works on a buffer and its length, checks
 * every offset it follows, and answers "parse_error" for anything that is
 * not a well-formed file — never a crash, never a read out of bounds.
 *
 * Format (GLib's gvdb-format.h, gvdb-reader.c, gvdb-builder.c): a 24-byte
 * header ("GVariant", version 0, a pointer to the root table); each table
 * is a header (bloom word count, bucket count), the bloom words, the
 * buckets and 24-byte items. An item names its key as a suffix of its
 * parent's; its value is a serialized "v" (type 'v'), a nested table
 * ('H') or a list of child items ('L'). The structure is always
 * little-endian; the signature's byte order tells how numbers inside the
 * values are stored. */
#ifndef MAMORI_GVDB_H
#define MAMORI_GVDB_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

/* A view of one table inside a buffer the caller keeps alive. */
struct gvdb {
	const unsigned char *buf;
	size_t len;
	int big_endian;		/* values store numbers big-endian */
	size_t buckets;		/* offset of the bucket array */
	uint32_t n_buckets;
	size_t items;		/* offset of the item array */
	uint32_t n_items;
};

/* Opens the root table of the file in [buf, buf+len). 0, or -1 with
 * reason "parse_error". */
int gvdb_open(const void *buf, size_t len, struct gvdb *t, struct mm_err *e);

/* Looks up the value of key (type 'v'). Returns 1 and sets *val and *vlen to
 * the serialized "v" bytes (see gvariant_from_variant), 0 when the table
 * has no such value, -1 when the table is corrupt on the way. */
int gvdb_lookup(const struct gvdb *t, const char *key, const unsigned char **val,
    size_t *vlen, struct mm_err *e);

/* Looks up a nested table (type 'H'): a compiled schema per schema id,
 * dconf's ".locks". 1 found (sub set), 0 absent, -1 corrupt. */
int gvdb_lookup_table(const struct gvdb *t, const char *key, struct gvdb *sub,
    struct mm_err *e);

/* Every full name in the table, in item order (names whose parent chain is
 * broken are left out, as GLib does). Free with gvdb_free_names. */
int gvdb_names(const struct gvdb *t, char ***names, size_t *n, struct mm_err *e);
void gvdb_free_names(char **names, size_t n);

#endif
