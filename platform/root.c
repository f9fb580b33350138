/* root: symlink-refusing, size-capped, non-blocking reads under a root dir.
 * Each open is done twice: first O_PATH to learn what the thing is without
 * touching it (opening a device node or FIFO can block or have effects),
 * then a real open of the same path, checked to be the same inode. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>
#include "platform/root.h"

static int
sys_openat2(int dirfd, const char *path, int flags)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)flags;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

int
root_open(struct root *r, const char *path, int flags, struct mm_err *e)
{
	int fd;

	memset(r, 0, sizeof(*r));
	r->dirfd = -1;
	if (strlen(path) >= sizeof(r->path)) {
		err_set(e, "path_invalid", "root path is too long");
		return -1;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1) {
		err_set(e, "root_unreadable", "cannot open root directory %s: %s",
		    path, strerror(errno));
		return -1;
	}
	r->dirfd = fd;
	strcpy(r->path, path);
	r->use_openat2 = 0;
	if (!(flags & ROOT_NO_OPENAT2)) {
		int t = sys_openat2(fd, ".", O_PATH | O_CLOEXEC);
		if (t >= 0) {
			close(t);
			r->use_openat2 = 1;
		}
	}
	return 0;
}

void
root_close(struct root *r)
{
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->dirfd = -1;
}

/* Rejects empty paths and any ".." component: nothing may climb out. */
static int
path_ok(const char *rel)
{
	const char *p = rel;

	if (*p == '\0')
		return 0;
	while (*p) {
		while (*p == '/')
			p++;
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return 0;
		while (*p && *p != '/')
			p++;
	}
	return 1;
}

/* The O_NOFOLLOW walk for kernels without openat2: every directory on the
 * way is opened with O_NOFOLLOW|O_DIRECTORY, the last part with the caller's
 * flags plus O_NOFOLLOW. ELOOP means a symlink was met. */
static int
walk_open(int dirfd, const char *rel, int flags)
{
	char buf[4096], *part, *next;
	int fd, nfd;

	if (strlen(rel) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, rel);
	fd = dup(dirfd);
	if (fd == -1)
		return -1;
	part = buf;
	while (*part == '/')
		part++;
	if (*part == '\0') {
		nfd = openat(fd, ".", flags | O_NOFOLLOW);
		close(fd);
		return nfd;
	}
	for (;;) {
		next = strchr(part, '/');
		if (next != NULL) {
			*next++ = '\0';
			while (*next == '/')
				next++;
			if (*next == '\0')
				next = NULL;
		}
		if (strcmp(part, ".") == 0 && next != NULL) {
			part = next;
			continue;
		}
		if (next == NULL) {
			nfd = openat(fd, part, flags | O_NOFOLLOW);
			close(fd);
			return nfd;
		}
		nfd = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd == -1) {
			int saved = errno;
			/* O_PATH|O_NOFOLLOW on a symlink gives ENOTDIR with
			 * O_DIRECTORY; tell the caller it was a link. */
			struct stat st;
			if (fstatat(fd, part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode))
				saved = ELOOP;
			close(fd);
			errno = saved;
			return -1;
		}
		close(fd);
		fd = nfd;
		part = next;
	}
}

static int
open_under(const struct root *r, const char *rel, int flags)
{
	int fd;

	if (r->use_openat2) {
		do {
			fd = sys_openat2(r->dirfd, rel, flags);
		} while (fd == -1 && errno == EAGAIN);
		return fd;
	}
	return walk_open(r->dirfd, rel, flags);
}

/* Turns errno from an open into a status and reason. */
static enum file_status
open_failure(const char *rel, struct mm_err *e)
{
	switch (errno) {
	case ENOENT:
	case ENOTDIR:
		return FILE_ABSENT;
	case ELOOP:
	case EXDEV:
		err_set(e, "file_symlink",
		    "%s is or passes through a symbolic link; refused", rel);
		return FILE_BAD;
	case EACCES:
	case EPERM:
		err_set(e, "file_unreadable",
		    "%s cannot be read: %s (run as root)", rel, strerror(errno));
		return FILE_BAD;
	default:
		err_set(e, "file_unreadable", "%s cannot be opened: %s", rel,
		    strerror(errno));
		return FILE_BAD;
	}
}

/* Opens rel for reading only if it is a regular file; fills st. */
static enum file_status
open_regular(const struct root *r, const char *rel, struct stat *st, int *out,
    struct mm_err *e)
{
	struct stat st2;
	int pfd, fd = -1;

	if (!path_ok(rel)) {
		err_set(e, "path_invalid", "%s: path may not be empty or contain ..", rel);
		return FILE_BAD;
	}
	pfd = open_under(r, rel, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd == -1)
		return open_failure(rel, e);
	if (fstat(pfd, st) == -1) {
		close(pfd);
		return open_failure(rel, e);
	}
	close(pfd);
	if (S_ISLNK(st->st_mode)) {
		err_set(e, "file_symlink", "%s is a symbolic link; refused", rel);
		return FILE_BAD;
	}
	if (!S_ISREG(st->st_mode)) {
		err_set(e, "file_not_regular",
		    "%s is not a regular file (a FIFO, device or directory); refused", rel);
		return FILE_BAD;
	}
	fd = open_under(r, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1)
		return open_failure(rel, e);
	if (fstat(fd, &st2) == -1 || st2.st_ino != st->st_ino ||
	    st2.st_dev != st->st_dev || !S_ISREG(st2.st_mode)) {
		close(fd);
		err_set(e, "file_not_regular", "%s changed while it was opened; refused", rel);
		return FILE_BAD;
	}
	*st = st2;
	*out = fd;
	return FILE_OK;
}

enum file_status
root_read_file(const struct root *r, const char *rel, size_t cap, char **buf,
    size_t *len, struct mm_err *e)
{
	struct stat st;
	enum file_status s;
	size_t have = 0, want;
	char *b;
	ssize_t n;
	int fd = -1;

	*buf = NULL;
	*len = 0;
	s = open_regular(r, rel, &st, &fd, e);
	if (s != FILE_OK)
		return s;
	if ((uintmax_t)st.st_size > cap) {
		close(fd);
		err_set(e, "file_too_large", "%s is %jd bytes, more than the %zu allowed",
		    rel, (intmax_t)st.st_size, cap);
		return FILE_BAD;
	}
	/* Read at most cap+1 bytes: a file that grows past its cap after
	 * fstat is still caught. */
	want = (size_t)st.st_size + 1;
	if (want > cap + 1)
		want = cap + 1;
	b = malloc(want + 1);
	if (b == NULL) {
		close(fd);
		err_set(e, "out_of_memory", "out of memory reading %s", rel);
		return FILE_BAD;
	}
	for (;;) {
		if (have == want) {
			if (want > cap)
				break;
			size_t nw = want * 2 > cap + 1 ? cap + 1 : want * 2;
			char *nb = realloc(b, nw + 1);
			if (nb == NULL) {
				free(b);
				close(fd);
				err_set(e, "out_of_memory", "out of memory reading %s", rel);
				return FILE_BAD;
			}
			b = nb;
			want = nw;
		}
		n = read(fd, b + have, want - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			int saved = errno;
			free(b);
			close(fd);
			err_set(e, "file_unreadable", "%s: read failed: %s", rel,
			    strerror(saved));
			return FILE_BAD;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	if (have > cap) {
		free(b);
		err_set(e, "file_too_large", "%s grew past the %zu bytes allowed", rel, cap);
		return FILE_BAD;
	}
	b[have] = '\0';
	*buf = b;
	*len = have;
	return FILE_OK;
}

enum file_status
root_read_head(const struct root *r, const char *rel, size_t n, void *buf,
    size_t *len, struct mm_err *e)
{
	struct stat st;
	enum file_status s;
	size_t have = 0;
	ssize_t got;
	int fd = -1;

	*len = 0;
	s = open_regular(r, rel, &st, &fd, e);
	if (s != FILE_OK)
		return s;
	while (have < n) {
		got = read(fd, (char *)buf + have, n - have);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			int saved = errno;
			close(fd);
			err_set(e, "file_unreadable", "%s: read failed: %s", rel,
			    strerror(saved));
			return FILE_BAD;
		}
		if (got == 0)
			break;
		have += (size_t)got;
	}
	close(fd);
	*len = have;
	return FILE_OK;
}

int
root_open_dir(const struct root *r, const char *rel, struct mm_err *e)
{
	int fd;

	if (!path_ok(rel)) {
		err_set(e, "path_invalid", "%s: path may not be empty or contain ..", rel);
		return -1;
	}
	fd = open_under(r, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		enum file_status s = open_failure(rel, e);
		if (s == FILE_ABSENT)
			err_set(e, "file_absent", "%s does not exist", rel);
		return -1;
	}
	return fd;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
root_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

enum file_status
root_list_dir(const struct root *r, const char *rel, size_t max, char ***names,
    size_t *n, struct mm_err *e)
{
	struct dirent *de;
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	DIR *d;
	int fd;

	*names = NULL;
	*n = 0;
	if (!path_ok(rel)) {
		err_set(e, "path_invalid", "%s: path may not be empty or contain ..", rel);
		return FILE_BAD;
	}
	fd = open_under(r, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		int saved = errno;
		char kind;
		off_t sz;
		if ((saved == ENOTDIR || saved == ELOOP) &&
		    root_stat(r, rel, &kind, &sz, NULL) == FILE_OK && kind == 'l') {
			err_set(e, "file_symlink", "%s is a symbolic link; refused", rel);
			return FILE_BAD;
		}
		errno = saved;
		return open_failure(rel, e);
	}
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return open_failure(rel, e);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (cnt == max) {
			closedir(d);
			root_free_names(v, cnt);
			err_set(e, "dir_too_large", "%s holds more than %zu entries", rel, max);
			return FILE_BAD;
		}
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nv = realloc(v, nc * sizeof(*v));
			if (nv == NULL)
				goto oom;
			v = nv;
			cap = nc;
		}
		if ((v[cnt] = strdup(de->d_name)) == NULL)
			goto oom;
		cnt++;
	}
	closedir(d);
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), cmp_names);
	*names = v;
	*n = cnt;
	return FILE_OK;
oom:
	closedir(d);
	root_free_names(v, cnt);
	err_set(e, "out_of_memory", "out of memory listing %s", rel);
	return FILE_BAD;
}

enum file_status
root_stat(const struct root *r, const char *rel, char *kind, off_t *size,
    struct mm_err *e)
{
	struct stat st;
	int pfd;

	if (!path_ok(rel)) {
		err_set(e, "path_invalid", "%s: path may not be empty or contain ..", rel);
		return FILE_BAD;
	}
	pfd = open_under(r, rel, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd == -1)
		return open_failure(rel, e);
	if (fstat(pfd, &st) == -1) {
		close(pfd);
		return open_failure(rel, e);
	}
	close(pfd);
	*kind = S_ISREG(st.st_mode) ? 'f' : S_ISDIR(st.st_mode) ? 'd' :
	    S_ISLNK(st.st_mode) ? 'l' : 'o';
	*size = st.st_size;
	return FILE_OK;
}
