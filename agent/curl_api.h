/* curl_api: libcurl, loaded at the first upload, enrollment or URL check
 * (common/dynlib.h), so that a scan never maps it and the forty libraries
 * it brings. Types and constants still come from <curl/curl.h>; calls go
 * through the table: cu->easy_setopt(c, CURLOPT_URL, url).
 * A member is the function's name without "curl_": curl.h makes
 * curl_easy_setopt and curl_easy_getinfo function-like macros (its type
 * checks), which would swallow a member of the same name. */
#ifndef MAMORI_CURL_API_H
#define MAMORI_CURL_API_H

#include <curl/curl.h>
#include "common/err.h"

#define CURL_API_SONAME		"libcurl.so.4"
#define CURL_API_PACKAGE	"libcurl4"

/* Every libcurl function mamori calls: X(symbol, member). */
#define CURL_API_SYMBOLS(X) \
	X(curl_global_init, global_init) \
	X(curl_easy_init, easy_init) \
	X(curl_easy_setopt, easy_setopt) \
	X(curl_easy_getinfo, easy_getinfo) \
	X(curl_easy_perform, easy_perform) \
	X(curl_easy_cleanup, easy_cleanup) \
	X(curl_easy_strerror, easy_strerror) \
	X(curl_slist_append, slist_append) \
	X(curl_slist_free_all, slist_free_all) \
	X(curl_url, url) \
	X(curl_url_set, url_set) \
	X(curl_url_get, url_get) \
	X(curl_url_cleanup, url_cleanup) \
	X(curl_free, free)

/* Pointers of the headers' own types: easy_setopt and easy_getinfo stay
 * variadic, as the functions are. */
struct curl_api {
#define CURL_API_MEMBER(sym, member) __typeof__(sym) *member;
	CURL_API_SYMBOLS(CURL_API_MEMBER)
#undef CURL_API_MEMBER
};

/* Loads libcurl.so.4 and runs curl_global_init once. NULL with reason
 * library_missing ("libcurl.so.4 could not be loaded: … (install
 * libcurl4)") or upload_setup when libcurl cannot start. */
const struct curl_api *curl_api_load(struct mm_err *e);

#endif
