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
#include "platform/kde_lock.h"

#define SYSTEM_REL "etc/xdg/kscreenlockerrc"
#define USER_REL "home/sato/.config/kscreenlockerrc"

static char scratch[64];
static struct root root;
static const struct person sato = { "sato", 1000, "/home/sato", PW_SET, 1, 19990, 60 };

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
cleanup(void)
{
	root_close(&root);
	if (scratch[0] != '\0')
		nftw(scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
mkdirs(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	for (char *p = path + strlen(scratch) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

static void
put(const char *rel, const void *data, size_t size)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) != 0)
		abort();
}

static void
del(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	unlink(path);
}

static void
init(void)
{
	struct mm_err e;

	snprintf(scratch, sizeof(scratch), "/dev/shm/fuzz_kde_lock-XXXXXX");
	if (mkdtemp(scratch) == NULL) {
		snprintf(scratch, sizeof(scratch), "/tmp/fuzz_kde_lock-XXXXXX");
		if (mkdtemp(scratch) == NULL)
			abort();
	}
	atexit(cleanup);
	mkdirs("etc/xdg");
	mkdirs("home/sato/.config");
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
		put(SYSTEM_REL, data, cut);
	if (have_user)
		put(USER_REL, data + cut, size - cut);

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
	del(SYSTEM_REL);
	del(USER_REL);
	return 0;
}
