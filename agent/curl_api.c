/* curl_api: the libcurl table, loaded once; see curl_api.h. */
#include <stddef.h>
#include "agent/curl_api.h"
#include "common/dynlib.h"

static const struct dynlib_sym syms[] = {
#define CURL_API_SYM(sym, member) { #sym, offsetof(struct curl_api, member) },
	CURL_API_SYMBOLS(CURL_API_SYM)
#undef CURL_API_SYM
};

static struct curl_api api;
static struct dynlib lib = {
	CURL_API_SONAME, CURL_API_PACKAGE, syms, sizeof(syms) / sizeof(syms[0]),
	&api, sizeof(api), NULL
};
static int started;

const struct curl_api *
curl_api_load(struct mm_err *e)
{
	if (dynlib_load(&lib, e) == -1)
		return NULL;
	/* Once, before any handle: curl_easy_init would otherwise do it
	 * itself, and not thread-safely. */
	if (!started) {
		CURLcode cc = api.global_init(CURL_GLOBAL_DEFAULT);

		if (cc != CURLE_OK) {
			err_set(e, "upload_setup", "libcurl could not start: %s",
			    api.easy_strerror(cc));
			return NULL;
		}
		started = 1;
	}
	return &api;
}
