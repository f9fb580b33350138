/* packages: the installed packages of every package manager a machine
 * has — dpkg, and RPM's SQLite database — loaded once, so that a check
 * asks one question ("is NAME installed, and by whom?") and knows when
 * the answer "no" cannot be trusted because a database was unreadable. */
#ifndef MAMORI_PACKAGES_H
#define MAMORI_PACKAGES_H

#include "common/err.h"
#include "platform/dpkg.h"
#include "platform/root.h"
#include "platform/rpmdb.h"

struct packages {
	struct dpkg_db dpkg;
	enum file_status dpkg_status;	/* FILE_ABSENT: not a Debian system */
	struct mm_err dpkg_err;		/* when FILE_BAD */
	struct rpm_db rpm;
	enum file_status rpm_status;	/* FILE_ABSENT: no RPM database */
	struct mm_err rpm_err;		/* when FILE_BAD */
};

void packages_load(struct packages *pk, const struct root *r);
/* "dpkg" or "rpm" when a package of that name is installed, else NULL. */
const char *packages_find(const struct packages *pk, const char *name);
/* 0 when a database that exists could not be read: a NULL from
 * packages_find then means "not known", not "not installed". An RPM
 * database in a format not read (Berkeley DB) does not count here; the
 * caller reports it as not examined. */
int packages_complete(const struct packages *pk);
/* The first unreadable database's error, or NULL. */
const struct mm_err *packages_error(const struct packages *pk);
void packages_free(struct packages *pk);

#endif
