/* rpmdb: which RPM packages are installed, by name only, from the SQLite
 * database of RPM 4.16 and later (rpmdb.sqlite: Fedora 33+, RHEL 9,
 * openSUSE). Older Berkeley DB and "ndb" databases are recognised but not
 * read: the report says "not examined" rather than guessing. */
#ifndef MAMORI_RPMDB_H
#define MAMORI_RPMDB_H

#include <stddef.h>
#include "common/err.h"
#include "platform/root.h"

enum rpmdb_kind {
	RPMDB_NONE = 0,		/* no RPM database on this machine */
	RPMDB_SQLITE,		/* read */
	RPMDB_OTHER,		/* Berkeley DB or ndb: present, not examined */
};

struct rpm_db {
	char **names;		/* sorted, for rpmdb_installed */
	size_t n;
	enum rpmdb_kind kind;
};

/* Reads the names in the database's Name index (the table RPM keeps of
 * package names, key = name) with SQLite read-only and immutable, from a
 * descriptor opened under the root without following links. FILE_ABSENT
 * when there is no RPM database (kind NONE), FILE_OK with kind OTHER for a
 * database in a format not read, FILE_BAD with e when it cannot be read. */
enum file_status rpmdb_load(const struct root *r, struct rpm_db *db, struct mm_err *e);
/* 1 if a package of that name is installed. */
int rpmdb_installed(const struct rpm_db *db, const char *name);
void rpmdb_free(struct rpm_db *db);

#endif
