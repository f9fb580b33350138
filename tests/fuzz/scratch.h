/* scratch.h: the scratch root the file-reading fuzzers share — a
 * directory made under /dev/shm (or /tmp when /dev/shm will not take
 * one), files written into it by path relative to it, and the whole tree
 * removed at exit. Each fuzzer keeps its own cleanup (closing its root
 * first) and calls scratch_remove from it. */
#ifndef MAMORI_FUZZ_SCRATCH_H
#define MAMORI_FUZZ_SCRATCH_H

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch[64];

static inline int
scratch_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Makes the scratch directory, /dev/shm/NAME-XXXXXX or /tmp/NAME-XXXXXX. */
static inline void
scratch_make(const char *name)
{
	snprintf(scratch, sizeof(scratch), "/dev/shm/%s-XXXXXX", name);
	if (mkdtemp(scratch) == NULL) {
		snprintf(scratch, sizeof(scratch), "/tmp/%s-XXXXXX", name);
		if (mkdtemp(scratch) == NULL)
			abort();
	}
}

/* Removes the scratch tree, if one was made. */
static inline void
scratch_remove(void)
{
	if (scratch[0] != '\0')
		nftw(scratch, scratch_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void
scratch_mkdirs(const char *rel)
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

static inline void
scratch_put(const char *rel, const void *data, size_t size)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) != 0)
		abort();
}

static inline void
scratch_del(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	unlink(path);
}

#endif
