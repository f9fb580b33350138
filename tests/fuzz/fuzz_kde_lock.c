/* fuzz_kde_lock: whether KDE Plasma locks an idle session, from the two
 * kscreenlockerrc files KConfig cascades — /etc/xdg/kscreenlockerrc, the
 * administrator's, and ~/.config/kscreenlockerrc, the person's — put under
 * a scratch root and read by idle_lock_kde. The first byte chooses where
 * the rest is cut into the two files (0: no system file; 255: no
 * person's file).
 *
 * Invariants: an answer has a source that is one of the two files or
 * "default"; a lock comes with a delay from 1 second up to KDE's largest
 * (30 years of timeout plus the longest grace); no lock, no delay; only
 * the system file can hold a setting against the person; a refusal says
 * why. */
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "platform/kde_lock.h"

#define SYSTEM_REL "etc/xdg/kscreenlockerrc"
#define USER_REL "home/sato/.config/kscreenlockerrc"

static struct root root;
static const struct person sato = { "sato", 1000, "/home/sato", PW_SET, 1, 19990, 60 };

static void
cleanup(void)
{
	root_close(&root);
	scratch_remove();
}

static void
init(void)
{
	struct mm_err e;

	scratch_make("fuzz_kde_lock");
	atexit(cleanup);
	scratch_mkdirs("etc/xdg");
	scratch_mkdirs("home/sato/.config");
	if (root_open(&root, scratch, ROOT_DEFAULT, &e) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idle_lock il;
	struct mm_err e;
	int have_system, have_user;
	size_t cut;

	if (scratch[0] == '\0')
		init();
	if (size == 0)
		return 0;
	have_system = data[0] != 0;
	have_user = data[0] != 255;
	cut = (size_t)data[0] * (size - 1) / 255;
	data++;
	size--;
	if (have_system)
		scratch_put(SYSTEM_REL, data, cut);
	if (have_user)
		scratch_put(USER_REL, data + cut, size - cut);

	err_clear(&e);
	if (idle_lock_kde(&root, &sato, &il, &e) == 0) {
		if (strcmp(il.source, "/etc/xdg/kscreenlockerrc") != 0 &&
		    strcmp(il.source, "~/.config/kscreenlockerrc") != 0 &&
		    strcmp(il.source, "default") != 0)
			__builtin_trap();
		if ((il.locks != 0 && il.locks != 1) ||
		    (il.locked_by_admin != 0 && il.locked_by_admin != 1))
			__builtin_trap();
		if (il.locks && (il.lock_after_s < 1 || il.lock_after_s > 1000000000L + INT_MAX))
			__builtin_trap();
		if (!il.locks && il.lock_after_s != 0)
			__builtin_trap();
		if (il.locked_by_admin && !have_system)
			__builtin_trap();
	} else if (e.reason == NULL || e.msg[0] == '\0') {
		__builtin_trap();
	}
	scratch_del(SYSTEM_REL);
	scratch_del(USER_REL);
	return 0;
}
