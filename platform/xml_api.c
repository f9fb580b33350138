/* xml_api: the libxml2 table, loaded once; see xml_api.h. */
#include <stddef.h>
#include "common/dynlib.h"
#include "platform/xml_api.h"

static const struct dynlib_sym syms[] = {
#define XML_API_SYM(sym, member) { #sym, offsetof(struct xml_api, member) },
	XML_API_SYMBOLS(XML_API_SYM)
#undef XML_API_SYM
};

static struct xml_api api;
static struct dynlib lib = {
	XML_API_SONAME, XML_API_PACKAGE, syms, sizeof(syms) / sizeof(syms[0]),
	&api, sizeof(api), NULL
};
static int started;

const struct xml_api *
xml_api_load(struct mm_err *e)
{
	if (dynlib_load(&lib, e) == -1)
		return NULL;
	if (!started) {
		api.InitParser();
		started = 1;
	}
	return &api;
}
