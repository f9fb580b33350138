/* sdbus_api: the sd-bus table, loaded once; see sdbus_api.h. */
#include <stddef.h>
#include "agent/sdbus_api.h"
#include "common/dynlib.h"

static const struct dynlib_sym syms[] = {
#define SDBUS_API_SYM(sym, member) { #sym, offsetof(struct sdbus_api, member) },
	SDBUS_API_SYMBOLS(SDBUS_API_SYM)
#undef SDBUS_API_SYM
};

static struct sdbus_api api;
static struct dynlib lib = {
	SDBUS_API_SONAME, SDBUS_API_PACKAGE, syms, sizeof(syms) / sizeof(syms[0]),
	&api, sizeof(api), NULL
};

const struct sdbus_api *
sdbus_api_load(struct mm_err *e)
{
	return dynlib_load(&lib, e) == -1 ? NULL : &api;
}
