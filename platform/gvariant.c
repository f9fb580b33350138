/* gvariant: strict reading of serialized GVariant values; see gvariant.h.
 *
 * The rules are GLib's (gio's gvariant-serialiser.c, gvarianttypeinfo.c):
 * every type has an alignment and is either fixed-size or variable-size;
 * a container stores its variable-size members back to back and, at its
 * very end, one "framing offset" per variable-size member except the last,
 * in reverse order, each 1, 2, 4 or 8 bytes wide depending on the
 * container's total size. Framing offsets are always little-endian; only
 * the numbers inside values follow the file's byte order. */
#include <string.h>
#include "common/utf8.h"
#include "platform/gvariant.h"

/* GLib refuses types nested deeper than 128; settings never come close. */
#define GV_MAX_DEPTH 64

/* What the serialiser needs to know of a type: its alignment as a mask
 * (0, 1, 3 or 7) and its fixed size (0 = variable-size). */
struct gv_info {
	unsigned align;
	size_t fixed;
};

static int
is_basic(char c)
{
	return c != '\0' && strchr("bynqiuxthdsog", c) != NULL;
}

/* Parses one complete type starting at *pos, advancing *pos past it. */
static int
type_info(const char *t, size_t n, size_t *pos, int depth, struct gv_info *out)
{
	char c;

	if (*pos >= n || depth > GV_MAX_DEPTH)
		return -1;
	c = t[(*pos)++];
	switch (c) {
	case 'b': case 'y':
		out->align = 0; out->fixed = 1;
		return 0;
	case 'n': case 'q':
		out->align = 1; out->fixed = 2;
		return 0;
	case 'i': case 'u': case 'h':
		out->align = 3; out->fixed = 4;
		return 0;
	case 'x': case 't': case 'd':
		out->align = 7; out->fixed = 8;
		return 0;
	case 's': case 'o': case 'g':
		out->align = 0; out->fixed = 0;
		return 0;
	case 'v':
		out->align = 7; out->fixed = 0;
		return 0;
	case 'a': case 'm': {
		struct gv_info el;

		if (type_info(t, n, pos, depth + 1, &el) == -1)
			return -1;
		out->align = el.align;
		out->fixed = 0;
		return 0;
	}
	case '(': case '{': {
		char close = c == '(' ? ')' : '}';
		size_t count = 0, off = 0;
		unsigned align = 0;
		int all_fixed = 1;

		while (*pos < n && t[*pos] != close) {
			struct gv_info m;

			/* A dict entry is exactly {basic-key value}. */
			if (c == '{' && (count >= 2 || (count == 0 && !is_basic(t[*pos]))))
				return -1;
			if (type_info(t, n, pos, depth + 1, &m) == -1)
				return -1;
			count++;
			if (m.align > align)
				align = m.align;
			if (m.fixed == 0)
				all_fixed = 0;
			else if (all_fixed)
				off = ((off + m.align) & ~(size_t)m.align) + m.fixed;
		}
		if (*pos >= n || (c == '{' && count != 2))
			return -1;
		(*pos)++;
		out->align = align;
		if (!all_fixed)
			out->fixed = 0;
		else if (count == 0)
			out->fixed = 1;		/* the unit tuple is one zero byte */
		else
			out->fixed = (off + align) & ~(size_t)align;
		return 0;
	}
	default:
		/* Includes the indefinite 'r', '*', '?': a stored value always
		 * has a definite type. */
		return -1;
	}
}

int
gvariant_type_valid(const char *type, size_t n)
{
	size_t pos = 0;
	struct gv_info info;

	if (type == NULL || n == 0)
		return -1;
	if (type_info(type, n, &pos, 0, &info) == -1 || pos != n)
		return -1;
	return 0;
}

int
gvariant_is_type(const struct gvariant *v, const char *t)
{
	size_t n = strlen(t);

	return v->type_len == n && memcmp(v->type, t, n) == 0;
}

static int
bad(struct mm_err *e, const char *what)
{
	err_set(e, "parse_error", "a stored settings value is malformed (%s)", what);
	return -1;
}

/* Width of the framing offsets of a container of this size (GLib's
 * gvs_get_offset_size). */
static size_t
offset_size(size_t len)
{
	if (len == 0)
		return 0;
	if (len <= 0xff)
		return 1;
	if (len <= 0xffff)
		return 2;
	if ((uint64_t)len <= 0xffffffffu)
		return 4;
	return 8;
}

static uint64_t
read_le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = n; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

int
gvariant_from_variant(const void *buf, size_t len, int big_endian,
    struct gvariant *child, struct mm_err *e)
{
	const unsigned char *d = buf;
	size_t nul, pos = 0;
	struct gv_info info;

	memset(child, 0, sizeof(*child));
	if (len == 0)
		return bad(e, "empty variant");
	/* The type string follows the last NUL; it holds none itself. */
	for (nul = len - 1; nul > 0 && d[nul] != '\0'; nul--)
		;
	if (d[nul] != '\0')
		return bad(e, "variant without a type");
	child->type = (const char *)d + nul + 1;
	child->type_len = len - nul - 1;
	if (child->type_len == 0 ||
	    type_info(child->type, child->type_len, &pos, 0, &info) == -1 ||
	    pos != child->type_len)
		return bad(e, "variant with an invalid type");
	if (info.fixed != 0 && info.fixed != nul)
		return bad(e, "variant whose value has the wrong size");
	child->data = d;
	child->len = nul;
	child->big_endian = big_endian;
	return 0;
}

int
gvariant_get_bool(const struct gvariant *v, int *out, struct mm_err *e)
{
	if (!gvariant_is_type(v, "b"))
		return bad(e, "expected a boolean");
	if (v->len != 1 || v->data[0] > 1)
		return bad(e, "boolean that is neither 0 nor 1");
	*out = v->data[0];
	return 0;
}

static int
get_32(const struct gvariant *v, const char *t, uint32_t *out, struct mm_err *e)
{
	const unsigned char *p = v->data;

	if (!gvariant_is_type(v, t))
		return bad(e, "expected a 32-bit number");
	if (v->len != 4)
		return bad(e, "32-bit number of the wrong size");
	if (v->big_endian)
		*out = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	else
		*out = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
	return 0;
}

int
gvariant_get_u32(const struct gvariant *v, uint32_t *out, struct mm_err *e)
{
	return get_32(v, "u", out, e);
}

int
gvariant_get_i32(const struct gvariant *v, int32_t *out, struct mm_err *e)
{
	uint32_t u;

	if (get_32(v, "i", &u, e) == -1)
		return -1;
	/* Two's complement by arithmetic, not by a cast the standard leaves
	 * to the implementation. */
	*out = u <= INT32_MAX ? (int32_t)u : (int32_t)(u - 2147483648u) - INT32_MAX - 1;
	return 0;
}

int
gvariant_get_string(const struct gvariant *v, const char **out, size_t *n,
    struct mm_err *e)
{
	if (!gvariant_is_type(v, "s"))
		return bad(e, "expected a string");
	if (v->len == 0 || v->data[v->len - 1] != '\0' ||
	    memchr(v->data, '\0', v->len - 1) != NULL)
		return bad(e, "string not ended by exactly one NUL");
	if (!utf8_valid((const char *)v->data, v->len - 1))
		return bad(e, "string that is not UTF-8");
	*out = (const char *)v->data;
	if (n != NULL)
		*n = v->len - 1;
	return 0;
}

long
gvariant_n_members(const struct gvariant *v)
{
	size_t pos = 1;
	long count = 0;

	if (v->type_len < 2 || (v->type[0] != '(' && v->type[0] != '{') ||
	    gvariant_type_valid(v->type, v->type_len) == -1)
		return -1;
	while (pos < v->type_len - 1) {
		struct gv_info m;

		if (type_info(v->type, v->type_len, &pos, 1, &m) == -1)
			return -1;
		count++;
	}
	return count;
}

int
gvariant_tuple_item(const struct gvariant *v, size_t idx, struct gvariant *item,
    struct mm_err *e)
{
	long count = gvariant_n_members(v);
	size_t pos = 1, data_pos = 0, frame_end, osz;
	size_t whole_pos = 0;
	struct gv_info whole;

	memset(item, 0, sizeof(*item));
	if (count < 0)
		return bad(e, "expected a tuple");
	if ((size_t)count <= idx)
		return bad(e, "tuple has fewer members than expected");
	if (type_info(v->type, v->type_len, &whole_pos, 0, &whole) == -1)
		return bad(e, "tuple with an invalid type");
	if (whole.fixed != 0 && v->len != whole.fixed)
		return bad(e, "fixed-size tuple of the wrong size");
	osz = offset_size(v->len);
	frame_end = v->len;
	for (size_t k = 0; k < (size_t)count; k++) {
		size_t tstart = pos, end;
		struct gv_info m;

		if (type_info(v->type, v->type_len, &pos, 1, &m) == -1)
			return bad(e, "tuple with an invalid member type");
		if (data_pos > SIZE_MAX - m.align)
			return bad(e, "tuple member out of bounds");
		data_pos = (data_pos + m.align) & ~(size_t)m.align;
		if (data_pos > frame_end)
			return bad(e, "tuple member out of bounds");
		if (m.fixed != 0) {
			if (m.fixed > frame_end - data_pos)
				return bad(e, "tuple member out of bounds");
			end = data_pos + m.fixed;
		} else if (k == (size_t)count - 1) {
			end = frame_end;
		} else {
			uint64_t o;

			if (frame_end - data_pos < osz)
				return bad(e, "tuple framing offsets out of bounds");
			frame_end -= osz;
			o = read_le(v->data + frame_end, osz);
			if (o < data_pos || o > frame_end)
				return bad(e, "tuple framing offset out of bounds");
			end = (size_t)o;
		}
		if (k == idx) {
			item->data = v->data + data_pos;
			item->len = end - data_pos;
			item->type = v->type + tstart;
			item->type_len = pos - tstart;
			item->big_endian = v->big_endian;
			return 0;
		}
		data_pos = end;
	}
	return bad(e, "tuple member not found");
}
