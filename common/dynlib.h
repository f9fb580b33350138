/* dynlib: a shared library loaded with dlopen(3) at its first use, and the
 * symbols a module calls resolved once into a table of typed pointers.
 * Why: libcurl, libxml2 and libsystemd pull some forty libraries with them;
 * linked into mamori, every run (a scan, --version) mapped them all. Now
 * only a run that uploads, reads an XFCE file or shows a notification
 * does. The tables are agent/curl_api.h, platform/xml_api.h and
 * agent/sdbus_api.h; this is only the helper they share. */
#ifndef MAMORI_DYNLIB_H
#define MAMORI_DYNLIB_H

#include <stddef.h>
#include "common/err.h"

/* One symbol: its name in the library and where its pointer goes in the
 * table (offsetof the table's member). */
struct dynlib_sym {
	const char *name;
	size_t offset;
};

/* A library and its table. Only handle changes: NULL until loaded. */
struct dynlib {
	const char *soname;	/* the exact soname, "libcurl.so.4" */
	const char *package;	/* what to install, for the message: "libcurl4" */
	const struct dynlib_sym *syms;
	size_t nsyms;
	void *table;		/* the struct of pointers that syms fill */
	size_t size;		/* sizeof that struct */
	void *handle;
};

/* Loads l (RTLD_NOW | RTLD_LOCAL) and fills its table with every symbol,
 * once: a loaded library returns 0 at once. -1 with reason
 * library_missing and a message naming the soname, what dlopen or dlsym
 * said and the package to install, when the library or one of the
 * symbols is missing; the table is then left zeroed and nothing stays
 * loaded, so a later call tries again (after the package is installed). */
int dynlib_load(struct dynlib *l, struct mm_err *e);

/* Whether l is loaded. */
int dynlib_loaded(const struct dynlib *l);

#endif
