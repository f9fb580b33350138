/* fuzz_prefsjs: Mozilla pref files in the three modes a profile, an
 * installation and an autoconfig file are read in. The first byte picks
 * the mode ('u' user, 'd' default, 'a' autoconfig; any other by value),
 * the rest is the file. Every call handed out must be one that mode
 * allows, with a name, a value of its type and a line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/prefsjs.h"

struct ctx {
	enum prefsjs_mode mode;
	size_t size, calls;
};

static int
check(const struct prefsjs_item *it, void *arg)
{
	struct ctx *c = arg;

	c->calls++;
	if (it->name == NULL || it->line == 0 || strlen(it->name) > c->size)
		__builtin_trap();
	switch (it->type) {
	case PREFSJS_BOOL:
		if (it->boolean != 0 && it->boolean != 1)
			__builtin_trap();
		break;
	case PREFSJS_INT:
		if (it->integer < -2147483648L || it->integer > 2147483647L)
			__builtin_trap();
		break;
	case PREFSJS_STRING:
		/* \uXXXX turns 6 bytes into at most 3, a pair 12 into 4 */
		if (it->str == NULL || strlen(it->str) > c->size)
			__builtin_trap();
		break;
	default:
		__builtin_trap();
	}
	switch (c->mode) {
	case PREFSJS_USER:
		if (it->spec != PREFSJS_USER_PREF || it->locked || it->sticky)
			__builtin_trap();
		break;
	case PREFSJS_DEFAULT:
		if (it->spec == PREFSJS_LOCK_PREF || it->spec == PREFSJS_DEFAULT_PREF)
			__builtin_trap();
		break;
	case PREFSJS_AUTOCONFIG:
		if (it->spec == PREFSJS_USER_PREF || it->spec == PREFSJS_STICKY_PREF ||
		    it->locked || it->sticky)
			__builtin_trap();
		break;
	}
	if (prefsjs_spec_name(it->spec) == NULL)
		__builtin_trap();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c;
	struct mm_err e;
	size_t errors;
	char *b;

	if (size == 0)
		return 0;
	switch (data[0]) {
	case 'u': c.mode = PREFSJS_USER; break;
	case 'd': c.mode = PREFSJS_DEFAULT; break;
	case 'a': c.mode = PREFSJS_AUTOCONFIG; break;
	default: c.mode = (enum prefsjs_mode)(data[0] % 3); break;
	}
	/* An exact-size copy, so reading past the end is caught. */
	if ((b = malloc(size - 1 ? size - 1 : 1)) == NULL)
		abort();
	memcpy(b, data + 1, size - 1);
	c.size = size - 1;
	c.calls = 0;
	if (prefsjs_parse(b, size - 1, c.mode, check, &c, &errors, &e) != 0)
		__builtin_trap();	/* the callback never stops it; memory never runs out here */
	if (c.calls + errors > size)
		__builtin_trap();
	free(b);
	return 0;
}
