/* prefsjs: Mozilla preference files — a profile's prefs.js and user.js, the
 * default pref files of an installation, and the calls of an autoconfig
 * (mozilla.cfg) file. A tokenizer of the pref grammar, nothing is evaluated:
 * the file is text, never a program. */
#ifndef MAMORI_PREFSJS_H
#define MAMORI_PREFSJS_H

#include <stddef.h>
#include "common/err.h"

/* Which file is read; it decides which calls count, as in Firefox:
 * - USER: prefs.js / user.js. Only user_pref(name, value); anything else
 *   is a syntax error, skipped to the next ';'.
 * - DEFAULT: the .js files of defaults/pref and the like. pref, sticky_pref and
 *   user_pref, with the attributes `locked` and `sticky` after the value.
 *   lockPref is not part of this grammar and is skipped like Firefox does.
 * - AUTOCONFIG: an autoconfig file, which is JavaScript. Only the calls
 *   pref, defaultPref and lockPref (the functions autoconfig defines;
 *   user_pref is not one) are picked out of it, wherever they stand; a
 *   call inside an `if` counts as if it ran. */
enum prefsjs_mode {
	PREFSJS_USER = 0,
	PREFSJS_DEFAULT,
	PREFSJS_AUTOCONFIG,
};

enum prefsjs_spec {
	PREFSJS_USER_PREF = 0,	/* user_pref(): the user's value */
	PREFSJS_PREF,		/* pref(): a default (in autoconfig: a user value) */
	PREFSJS_STICKY_PREF,	/* sticky_pref(): a default */
	PREFSJS_LOCK_PREF,	/* lockPref(): a default, locked (autoconfig) */
	PREFSJS_DEFAULT_PREF,	/* defaultPref(): a default (autoconfig) */
};

enum prefsjs_type {
	PREFSJS_BOOL = 0,
	PREFSJS_INT,
	PREFSJS_STRING,
};

/* One call as read. name and str are NUL-terminated and live only during
 * the callback; str may hold bytes from \xNN escapes but never a NUL. */
struct prefsjs_item {
	enum prefsjs_spec spec;
	const char *name;
	enum prefsjs_type type;
	int boolean;		/* PREFSJS_BOOL */
	long integer;		/* PREFSJS_INT, within int32 as in Firefox */
	const char *str;	/* PREFSJS_STRING */
	int locked, sticky;	/* attributes (DEFAULT mode) */
	size_t line;		/* 1-based line of the call's name */
};

/* Called once per well-formed call, in file order; a non-zero return stops
 * the parse (prefsjs_parse then returns that value). */
typedef int (*prefsjs_cb)(const struct prefsjs_item *it, void *ctx);

/* Parses buf. Like Firefox, a NUL byte ends the text and a syntax error
 * skips to the next ';'; the number of such errors goes to *errors (may be
 * NULL). Returns 0, the callback's non-zero value, or -1 with e set when
 * memory ran out. */
int prefsjs_parse(const char *buf, size_t len, enum prefsjs_mode mode,
    prefsjs_cb cb, void *ctx, size_t *errors, struct mm_err *e);

const char *prefsjs_spec_name(enum prefsjs_spec s);

#endif
