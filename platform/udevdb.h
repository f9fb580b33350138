/* udevdb: a device's entry in the udev database (/run/udev/data/bMAJ:MIN),
 * the same facts libudev hands out: "E:KEY=VALUE" properties. */
#ifndef MAMORI_UDEVDB_H
#define MAMORI_UDEVDB_H

#include <stddef.h>
#include "common/err.h"

struct udevdb_prop {
	char *key, *value;
};

struct udevdb {
	struct udevdb_prop *v;
	size_t n;
};

/* Parses an entry; only E: lines are kept. Binary data → parse_error. */
int udevdb_parse(const char *buf, size_t len, struct udevdb *db, struct mm_err *e);
/* The property's value, or NULL. */
const char *udevdb_get(const struct udevdb *db, const char *key);
void udevdb_free(struct udevdb *db);

#endif
