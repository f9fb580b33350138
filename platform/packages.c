/* packages: see packages.h. */
#include <string.h>
#include "platform/packages.h"

void
packages_load(struct packages *pk, const struct root *r)
{
	memset(pk, 0, sizeof(*pk));
	err_clear(&pk->dpkg_err);
	err_clear(&pk->rpm_err);
	pk->dpkg_status = dpkg_load(r, &pk->dpkg, &pk->dpkg_err);
	pk->rpm_status = rpmdb_load(r, &pk->rpm, &pk->rpm_err);
}

const char *
packages_find(const struct packages *pk, const char *name)
{
	if (pk->dpkg_status == FILE_OK && dpkg_installed(&pk->dpkg, name) != NULL)
		return "dpkg";
	if (pk->rpm_status == FILE_OK && rpmdb_installed(&pk->rpm, name))
		return "rpm";
	return NULL;
}

int
packages_complete(const struct packages *pk)
{
	return pk->dpkg_status != FILE_BAD && pk->rpm_status != FILE_BAD;
}

const struct mm_err *
packages_error(const struct packages *pk)
{
	if (pk->dpkg_status == FILE_BAD)
		return &pk->dpkg_err;
	if (pk->rpm_status == FILE_BAD)
		return &pk->rpm_err;
	return NULL;
}

void
packages_free(struct packages *pk)
{
	dpkg_free(&pk->dpkg);
	rpmdb_free(&pk->rpm);
}
