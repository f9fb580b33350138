/* dpkg: which Debian packages are installed, from /var/lib/dpkg/status.
 * Only names, versions and the install state are kept. */
#ifndef MAMORI_DPKG_H
#define MAMORI_DPKG_H

#include <stddef.h>
#include "common/err.h"
#include "platform/root.h"

struct dpkg_pkg {
	char *name;
	char *version;
	int installed;	/* Status: "install ok installed" (or half-configured etc. counted as present) */
};

struct dpkg_db {
	struct dpkg_pkg *v;	/* sorted by name for dpkg_find */
	size_t n;
	int present;		/* 0: no dpkg status file on this machine (not Debian) */
};

/* Parses a status file: stanzas separated by blank lines, "Field: value"
 * with continuation lines. Binary data is refused (parse_error). */
int dpkg_parse(const char *buf, size_t len, struct dpkg_db *db, struct mm_err *e);
/* Reads /var/lib/dpkg/status under the root. FILE_ABSENT leaves db empty
 * with present = 0; FILE_BAD fills e. Returns the file status. */
enum file_status dpkg_load(const struct root *r, struct dpkg_db *db, struct mm_err *e);
/* The installed package of that name, or NULL. */
const struct dpkg_pkg *dpkg_installed(const struct dpkg_db *db, const char *name);
void dpkg_free(struct dpkg_db *db);

#endif
