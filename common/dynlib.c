/* dynlib: dlopen at first use, every symbol resolved at once; see dynlib.h.
 * All symbols are looked up before any is used, so a library too old for
 * mamori is refused with its name and the missing symbol, never found out
 * by a NULL call in the middle of an upload. */
#include <dlfcn.h>
#include <string.h>
#include "common/dynlib.h"

int
dynlib_loaded(const struct dynlib *l)
{
	return l->handle != NULL;
}

int
dynlib_load(struct dynlib *l, struct mm_err *e)
{
	const char *why;
	void *h;

	if (l->handle != NULL)
		return 0;
	/* RTLD_NOW: the library's own undefined symbols fail here, not
	 * later; RTLD_LOCAL: its symbols do not become anyone else's. */
	if ((h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		why = dlerror();
		err_set(e, "library_missing", "%s could not be loaded: %s (install %s)",
		    l->soname, why != NULL ? why : "unknown error", l->package);
		return -1;
	}
	for (size_t i = 0; i < l->nsyms; i++) {
		void *p;

		dlerror();
		p = dlsym(h, l->syms[i].name);
		if (p == NULL) {
			why = dlerror();
			err_set(e, "library_missing", "%s could not be loaded: it has no %s (%s); "
			    "install a newer %s", l->soname, l->syms[i].name,
			    why != NULL ? why : "symbol is NULL", l->package);
			memset(l->table, 0, l->size);
			dlclose(h);
			return -1;
		}
		/* POSIX makes dlsym's void * convertible to a function
		 * pointer; memcpy stores it without an aliasing cast. */
		memcpy((char *)l->table + l->syms[i].offset, &p, sizeof(p));
	}
	l->handle = h;
	return 0;
}
