/* sysfs: symlink-following reads confined to the root; see sysfs.h. Without
 * openat2 the confinement cannot be had, so on such kernels only the live
 * root "/" is read (where /sys is the kernel's and following is harmless). */
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
#include "platform/sysfs.h"

static int
kopen(const struct root *r, const char *rel, int flags)
{
	struct open_how how;
	int fd;

	if (strstr(rel, "..") != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (r->use_openat2) {
		memset(&how, 0, sizeof(how));
		how.flags = (uint64_t)flags;
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
		do {
			fd = (int)syscall(SYS_openat2, r->dirfd, rel, &how, sizeof(how));
		} while (fd == -1 && errno == EAGAIN);
		return fd;
	}
	if (strcmp(r->path, "/") != 0) {
		errno = EXDEV;
		return -1;
	}
	while (*rel == '/')
		rel++;
	return openat(r->dirfd, rel, flags);
}

static enum file_status
kfail(const char *rel, struct mm_err *e)
{
	if (errno == ENOENT || errno == ENOTDIR)
		return FILE_ABSENT;
	if (errno == EXDEV || errno == ELOOP)
		err_set(e, "file_symlink", "%s leads outside the root; refused", rel);
	else
		err_set(e, "file_unreadable", "%s cannot be read: %s", rel, strerror(errno));
	return FILE_BAD;
}

enum file_status
sysfs_read(const struct root *r, const char *rel, size_t cap, char **buf,
    size_t *len, struct mm_err *e)
{
	struct stat st;
	size_t have = 0;
	ssize_t n;
	char *b;
	int fd;

	*buf = NULL;
	*len = 0;
	fd = kopen(r, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1)
		return kfail(rel, e);
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		err_set(e, "file_not_regular", "%s is not a regular file; refused", rel);
		return FILE_BAD;
	}
	/* sysfs and procfs report sizes that are not the content's (4096 or
	 * 0), so read up to the cap and judge by what arrives. */
	if ((b = malloc(cap + 2)) == NULL) {
		close(fd);
		err_set(e, "out_of_memory", "out of memory reading %s", rel);
		return FILE_BAD;
	}
	while (have <= cap) {
		n = read(fd, b + have, cap + 1 - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			int saved = errno;
			close(fd);
			free(b);
			errno = saved;
			return kfail(rel, e);
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	if (have > cap) {
		free(b);
		err_set(e, "file_too_large", "%s is larger than the %zu bytes allowed", rel, cap);
		return FILE_BAD;
	}
	b[have] = '\0';
	*buf = b;
	*len = have;
	return FILE_OK;
}

enum file_status
sysfs_attr(const struct root *r, const char *rel, char *out, size_t outlen,
    struct mm_err *e)
{
	enum file_status s;
	char *buf;
	size_t len, o = 0;

	out[0] = '\0';
	s = sysfs_read(r, rel, 4096, &buf, &len, e);
	if (s != FILE_OK)
		return s;
	for (size_t i = 0; i < len && buf[i] != '\n' && o + 1 < outlen; i++)
		if ((unsigned char)buf[i] >= 0x20 && buf[i] != 0x7f)
			out[o++] = buf[i];
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	free(buf);
	return FILE_OK;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum file_status
sysfs_list(const struct root *r, const char *rel, size_t max, char ***names,
    size_t *n, struct mm_err *e)
{
	struct dirent *de;
	char **v = NULL;
	size_t cnt = 0;
	DIR *d;
	int fd;

	*names = NULL;
	*n = 0;
	fd = kopen(r, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return kfail(rel, e);
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return kfail(rel, e);
	}
	if ((v = calloc(max + 1, sizeof(*v))) == NULL) {
		closedir(d);
		err_set(e, "out_of_memory", "out of memory listing %s", rel);
		return FILE_BAD;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (cnt == max) {
			closedir(d);
			root_free_names(v, cnt);
			err_set(e, "dir_too_large", "%s holds more than %zu entries", rel, max);
			return FILE_BAD;
		}
		if ((v[cnt] = strdup(de->d_name)) == NULL) {
			closedir(d);
			root_free_names(v, cnt);
			err_set(e, "out_of_memory", "out of memory listing %s", rel);
			return FILE_BAD;
		}
		cnt++;
	}
	closedir(d);
	qsort(v, cnt, sizeof(*v), cmp_names);
	*names = v;
	*n = cnt;
	return FILE_OK;
}
