/* fuzz_gvariant: a serialized value with a type string, as a settings
 * database may hold anything. The first byte picks the byte order, the
 * bytes up to the first NUL after it are a type string, the rest the
 * value; the whole input is also read as a variant ("v"). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/gvariant.h"

static void
read_all(const struct gvariant *v, int depth)
{
	struct gvariant item, inner;
	struct mm_err e;
	uint32_t u;
	int32_t i;
	int b;
	const char *s;
	size_t sl;
	long n;

	if (depth > 4)
		return;
	(void)gvariant_get_u32(v, &u, &e);
	(void)gvariant_get_i32(v, &i, &e);
	(void)gvariant_get_bool(v, &b, &e);
	if (gvariant_get_string(v, &s, &sl, &e) == 0 && strlen(s) != sl)
		__builtin_trap();
	if (gvariant_is_type(v, "v") && gvariant_from_variant(v->data, v->len, v->big_endian, &inner, &e) == 0)
		read_all(&inner, depth + 1);
	n = gvariant_n_members(v);
	for (long k = 0; k < n && k < 8; k++) {
		if (gvariant_tuple_item(v, (size_t)k, &item, &e) == -1) {
			if (e.reason == NULL)
				__builtin_trap();
			continue;
		}
		if ((item.len > 0 && (item.data < v->data || item.data + item.len > v->data + v->len)) ||
		    item.type < v->type || item.type + item.type_len > v->type + v->type_len ||
		    gvariant_type_valid(item.type, item.type_len) == -1)
			__builtin_trap();
		read_all(&item, depth + 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *b;
	const unsigned char *nul;
	struct gvariant v;
	struct mm_err e;
	int be;

	if (size < 1)
		return 0;
	b = malloc(size);
	if (b == NULL)
		abort();
	memcpy(b, data, size);
	be = b[0] & 1;
	e.reason = NULL;
	if (gvariant_from_variant(b + 1, size - 1, be, &v, &e) == 0)
		read_all(&v, 0);
	else if (e.reason == NULL)
		__builtin_trap();
	nul = memchr(b + 1, '\0', size - 1);
	if (nul != NULL) {
		size_t tl = (size_t)(nul - (b + 1));

		if (gvariant_type_valid((const char *)b + 1, tl) == 0) {
			v.type = (const char *)b + 1;
			v.type_len = tl;
			v.data = nul + 1;
			v.len = size - 1 - tl - 1;
			v.big_endian = be;
			read_all(&v, 0);
		}
	}
	free(b);
	return 0;
}
