/* gvariant: a strict decoder of the few serialized GVariant values that
 * desktop settings hold (dconf databases, compiled GSettings schemas).
 * It takes bytes and a type string, checks both, and never trusts either:
 * a value that does not have exactly the shape its type demands is an
 * error ("parse_error"), never a guess. The format is GLib's serialisation
 * (gvariant-serialiser.c); nothing here allocates. */
#ifndef MAMORI_GVARIANT_H
#define MAMORI_GVARIANT_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

/* One serialized value: its bytes and its type string. Both point into a
 * buffer the caller owns (a GVDB file); the type string is not
 * NUL-terminated. big_endian says how numbers in the bytes are stored. */
struct gvariant {
	const unsigned char *data;
	size_t len;
	const char *type;
	size_t type_len;
	int big_endian;
};

/* Checks that [type, type+n) is exactly one complete definite type
 * ("u", "(u(yv))", "a{sv}"…). Returns 0 or -1. */
int gvariant_type_valid(const char *type, size_t n);

/* 1 if v's type is exactly the NUL-terminated type string t. */
int gvariant_is_type(const struct gvariant *v, const char *t);

/* Reads a serialized "v" (a variant: the child's bytes, a NUL, the child's
 * type string) from [buf, buf+len) and sets child to what it holds. */
int gvariant_from_variant(const void *buf, size_t len, int big_endian,
    struct gvariant *child, struct mm_err *e);

/* The typed readers: 0 and *out set, or -1 with e when v is not exactly
 * of that type and shape. */
int gvariant_get_bool(const struct gvariant *v, int *out, struct mm_err *e);
int gvariant_get_u32(const struct gvariant *v, uint32_t *out, struct mm_err *e);
int gvariant_get_i32(const struct gvariant *v, int32_t *out, struct mm_err *e);
/* A string ("s"): *out points into the data, NUL-terminated, valid UTF-8. */
int gvariant_get_string(const struct gvariant *v, const char **out, size_t *n,
    struct mm_err *e);

/* Number of members of a tuple or dict entry type, or -1 for another type. */
long gvariant_n_members(const struct gvariant *v);
/* Member idx of a tuple ("(…)") or dict entry ("{…}"), framing offsets
 * checked. A compiled GSettings key is such a tuple, its default first. */
int gvariant_tuple_item(const struct gvariant *v, size_t idx,
    struct gvariant *item, struct mm_err *e);

#endif
