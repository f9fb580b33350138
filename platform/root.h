/* root: every file the agent reads, read relative to a machine's root
 * directory without following symlinks, without blocking on FIFOs or
 * devices, and never more than a stated number of bytes.
 *
 * The root is "/" on a live machine and a directory tree in tests
 * (tests/fixtures/…) or for a mounted disk; nothing here knows which. */
#ifndef MAMORI_ROOT_H
#define MAMORI_ROOT_H

#include <stddef.h>
#include <sys/types.h>
#include "common/err.h"

struct root {
	int dirfd;
	int use_openat2;	/* kernel has openat2(2); else an O_NOFOLLOW walk */
	char path[4096];
};

enum root_open_flags {
	ROOT_DEFAULT = 0,
	ROOT_NO_OPENAT2 = 1,	/* force the O_NOFOLLOW walk (tests, old kernels) */
};

/* Outcome of a read. ABSENT is a normal answer ("no such file"); BAD means
 * the file exists but may not or could not be read, with the reason in err. */
enum file_status {
	FILE_OK = 0,
	FILE_ABSENT = 1,
	FILE_BAD = 2,
};

/* Size caps callers choose from; a file over its cap is FILE_BAD/file_too_large. */
#define ROOT_CAP_CONFIG	(1u << 20)	/* a settings file */
#define ROOT_CAP_TABLE	(16u << 20)	/* passwd, shadow, dpkg status */

int root_open(struct root *r, const char *path, int flags, struct mm_err *e);
void root_close(struct root *r);

/* Reads the regular file at rel (relative to the root, leading '/' allowed)
 * into a NUL-terminated heap buffer. Refuses symlinks anywhere on the path,
 * "..", non-regular files and files over cap. Reasons: file_symlink,
 * file_not_regular, file_too_large, file_unreadable, path_invalid. */
enum file_status root_read_file(const struct root *r, const char *rel,
    size_t cap, char **buf, size_t *len, struct mm_err *e);

/* Reads at most n bytes from the start of the regular file at rel into buf
 * (not NUL-terminated); *len is what was read, less than n for a shorter
 * file. The same refusals as root_read_file, but no size cap: for the
 * header of a file too large to read whole (a 100 MB signature database). */
enum file_status root_read_head(const struct root *r, const char *rel,
    size_t n, void *buf, size_t *len, struct mm_err *e);

/* Lists the names in directory rel (no "." or ".."), sorted bytewise, at
 * most max entries (more is FILE_BAD/dir_too_large). Free with
 * root_free_names. */
enum file_status root_list_dir(const struct root *r, const char *rel,
    size_t max, char ***names, size_t *n, struct mm_err *e);
void root_free_names(char **names, size_t n);

/* What kind of thing is at rel, without following a final symlink:
 * 'f' regular, 'd' directory, 'l' symlink, 'o' other; FILE_ABSENT if none. */
enum file_status root_stat(const struct root *r, const char *rel,
    char *kind, off_t *size, struct mm_err *e);

/* Opens a directory under the root (no symlinks) for a caller that walks
 * it with openat(2)/fdopendir(3). Returns an fd or -1 with err. */
int root_open_dir(const struct root *r, const char *rel, struct mm_err *e);

#endif
