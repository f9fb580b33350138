/* gvdb: reading GVDB hash tables from a buffer; see gvdb.h. Every number
 * taken from the file is checked before it is used as an offset, a size or
 * an index, and every integer is assembled byte by byte so the reader does
 * not depend on the host's byte order or on alignment. */
#include <stdlib.h>
#include <string.h>
#include "platform/gvdb.h"

#define GVDB_HEADER_SIZE	24
#define GVDB_ITEM_SIZE		24
#define GVDB_NO_PARENT		0xffffffffu
/* Names deeper or longer than any settings path are not followed: a
 * crafted chain of parents must not cost quadratic time or memory. */
#define GVDB_MAX_DEPTH		64
#define GVDB_MAX_NAME		4096
#define GVDB_MAX_NAMES_BYTES	(32u << 20)

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static int
corrupt(struct mm_err *e, const char *what)
{
	err_set(e, "parse_error",
	    "a settings database (GVDB) is corrupt: %s; it cannot be read", what);
	return -1;
}

/* A pointer {start, end} at p: the range it names, if it lies inside the
 * buffer and starts on the given alignment (GLib's gvdb_table_dereference). */
static int
deref(const unsigned char *buf, size_t len, const unsigned char *p, uint32_t align,
    size_t *start, size_t *size)
{
	uint32_t s = le32(p), end = le32(p + 4);

	if (s > end || end > len || (s & (align - 1)) != 0)
		return -1;
	*start = s;
	*size = end - s;
	return 0;
}

/* Sets up the table whose hash header the pointer at p names. */
static int
table_at(const unsigned char *buf, size_t len, int big_endian, const unsigned char *p,
    struct gvdb *t, struct mm_err *e)
{
	size_t start, size, n_bloom, n_buckets;

	memset(t, 0, sizeof(*t));
	t->buf = buf;
	t->len = len;
	t->big_endian = big_endian;
	if (deref(buf, len, p, 4, &start, &size) == -1)
		return corrupt(e, "a table pointer is out of bounds");
	if (size < 8)
		return corrupt(e, "a table is shorter than its header");
	/* The top 5 bits of the first word are the bloom filter's shift. */
	n_bloom = le32(buf + start) & ((1u << 27) - 1);
	n_buckets = le32(buf + start + 4);
	size -= 8;
	start += 8;
	if (n_bloom > size / 4)
		return corrupt(e, "the bloom filter is larger than its table");
	size -= n_bloom * 4;
	start += n_bloom * 4;
	if (n_buckets > size / 4)
		return corrupt(e, "the bucket array is larger than its table");
	t->buckets = start;
	t->n_buckets = (uint32_t)n_buckets;
	size -= n_buckets * 4;
	start += n_buckets * 4;
	if (size % GVDB_ITEM_SIZE != 0)
		return corrupt(e, "a table does not end on a whole item");
	t->items = start;
	t->n_items = (uint32_t)(size / GVDB_ITEM_SIZE);
	return 0;
}

int
gvdb_open(const void *buf, size_t len, struct gvdb *t, struct mm_err *e)
{
	const unsigned char *b = buf;
	int big_endian;

	memset(t, 0, sizeof(*t));
	if (b == NULL || len < GVDB_HEADER_SIZE)
		return corrupt(e, "the file is shorter than a GVDB header");
	/* The signature is two native 32-bit words: "GVariant" from a
	 * little-endian writer, each word reversed from a big-endian one. */
	if (memcmp(b, "GVariant", 8) == 0)
		big_endian = 0;
	else if (memcmp(b, "raVGtnai", 8) == 0)
		big_endian = 1;
	else
		return corrupt(e, "the GVDB signature is missing");
	if (le32(b + 8) != 0)
		return corrupt(e, "unknown GVDB version");
	return table_at(b, len, big_endian, b + 16, t, e);
}

static const unsigned char *
item_at(const struct gvdb *t, uint32_t i)
{
	return t->buf + t->items + (size_t)i * GVDB_ITEM_SIZE;
}

/* The item's own part of its name. */
static int
item_key(const struct gvdb *t, const unsigned char *it, const unsigned char **k,
    size_t *kn)
{
	uint32_t start = le32(it + 8);
	size_t size = (size_t)it[12] | (size_t)it[13] << 8;

	if (start > t->len || size > t->len - start)
		return -1;
	*k = t->buf + start;
	*kn = size;
	return 0;
}

/* Whether the item's full name (its key after its parents' keys) is exactly
 * key[0..klen). 1 yes, 0 no, -1 corrupt. Each step up consumes at least one
 * byte of the key, so a cycle of parents cannot loop forever. */
static int
name_matches(const struct gvdb *t, const unsigned char *it, const char *key,
    size_t klen, struct mm_err *e)
{
	for (;;) {
		const unsigned char *k;
		size_t kn;
		uint32_t parent;

		if (item_key(t, it, &k, &kn) == -1)
			return corrupt(e, "an item's name is out of bounds");
		if (kn > klen)
			return 0;
		klen -= kn;
		if (memcmp(k, key + klen, kn) != 0)
			return 0;
		parent = le32(it + 4);
		if (klen == 0 && parent == GVDB_NO_PARENT)
			return 1;
		if (parent >= t->n_items || kn == 0)
			return 0;
		it = item_at(t, parent);
	}
}

/* The item named key of the given type, or NULL (absent or corrupt). */
static const unsigned char *
find(const struct gvdb *t, const char *key, char type, int *rc, struct mm_err *e)
{
	uint32_t hash = 5381, bucket, itemno, lastno;
	size_t klen = strlen(key);

	*rc = 0;
	if (t->n_buckets == 0 || t->n_items == 0)
		return NULL;
	/* djb2 over signed chars, as gvdb-builder hashes. */
	for (size_t i = 0; i < klen; i++)
		hash = hash * 33 + (uint32_t)(int32_t)(signed char)key[i];
	/* The bloom filter only ever says "absent" earlier; the builders write
	 * none, and skipping it cannot change an answer for a sound file. */
	bucket = hash % t->n_buckets;
	itemno = le32(t->buf + t->buckets + (size_t)bucket * 4);
	if (bucket == t->n_buckets - 1)
		lastno = t->n_items;
	else {
		lastno = le32(t->buf + t->buckets + ((size_t)bucket + 1) * 4);
		if (lastno > t->n_items)
			lastno = t->n_items;
	}
	for (; itemno < lastno; itemno++) {
		const unsigned char *it = item_at(t, itemno);
		int m;

		if (le32(it) != hash)
			continue;
		m = name_matches(t, it, key, klen, e);
		if (m == -1) {
			*rc = -1;
			return NULL;
		}
		if (m == 1 && (char)it[14] == type)
			return it;
	}
	return NULL;
}

int
gvdb_lookup(const struct gvdb *t, const char *key, const unsigned char **val,
    size_t *vlen, struct mm_err *e)
{
	const unsigned char *it;
	size_t start, size;
	int rc;

	*val = NULL;
	*vlen = 0;
	it = find(t, key, 'v', &rc, e);
	if (it == NULL)
		return rc;
	/* Values are 8-aligned so GLib can map them in place. */
	if (deref(t->buf, t->len, it + 16, 8, &start, &size) == -1)
		return corrupt(e, "a value pointer is out of bounds");
	*val = t->buf + start;
	*vlen = size;
	return 1;
}

int
gvdb_lookup_table(const struct gvdb *t, const char *key, struct gvdb *sub,
    struct mm_err *e)
{
	const unsigned char *it;
	int rc;

	memset(sub, 0, sizeof(*sub));
	it = find(t, key, 'H', &rc, e);
	if (it == NULL)
		return rc;
	if (table_at(t->buf, t->len, t->big_endian, it + 16, sub, e) == -1)
		return -1;
	return 1;
}

void
gvdb_free_names(char **names, size_t n)
{
	if (names == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
gvdb_names(const struct gvdb *t, char ***names, size_t *n, struct mm_err *e)
{
	size_t cnt = t->n_items, total = 0, out = 0;
	char **v;

	*names = NULL;
	*n = 0;
	v = calloc(cnt ? cnt : 1, sizeof(*v));
	if (v == NULL) {
		err_set(e, "out_of_memory", "out of memory listing a settings database");
		return -1;
	}
	/* Pass by pass, as GLib does: a name is known once its parent's is,
	 * so each pass adds at least one level; a broken or cyclic chain
	 * simply never fills in. */
	for (int pass = 0; pass < GVDB_MAX_DEPTH; pass++) {
		size_t filled = 0;

		for (size_t i = 0; i < cnt; i++) {
			const unsigned char *it = item_at(t, (uint32_t)i), *k;
			size_t kn, pl = 0;
			uint32_t parent = le32(it + 4);
			char *name;

			if (v[i] != NULL || item_key(t, it, &k, &kn) == -1 ||
			    memchr(k, '\0', kn) != NULL)
				continue;
			if (parent != GVDB_NO_PARENT) {
				if (parent >= cnt || parent == i || v[parent] == NULL)
					continue;
				pl = strlen(v[parent]);
			}
			if (pl + kn > GVDB_MAX_NAME)
				continue;
			total += pl + kn + 1;
			if (total > GVDB_MAX_NAMES_BYTES) {
				gvdb_free_names(v, cnt);
				return corrupt(e, "its names are larger than any settings database");
			}
			name = malloc(pl + kn + 1);
			if (name == NULL) {
				gvdb_free_names(v, cnt);
				err_set(e, "out_of_memory", "out of memory listing a settings database");
				return -1;
			}
			if (pl > 0)
				memcpy(name, v[parent], pl);
			if (kn > 0)
				memcpy(name + pl, k, kn);
			name[pl + kn] = '\0';
			v[i] = name;
			filled++;
		}
		if (filled == 0)
			break;
	}
	for (size_t i = 0; i < cnt; i++)
		if (v[i] != NULL)
			v[out++] = v[i];
	*names = v;
	*n = out;
	return 0;
}
