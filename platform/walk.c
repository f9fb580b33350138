/* walk: see walk.h. Every folder is opened with openat(2) relative to its
 * parent's descriptor with O_NOFOLLOW|O_DIRECTORY, so a link planted in
 * place of a folder (or swapped in during the walk) fails the open
 * instead of leading elsewhere; no path string is ever resolved twice.
 * Folders are read with getdents64(2) on that descriptor rather than
 * through fdopendir(3), which would fstat and fcntl every folder again:
 * the walk meets thousands of folders a scan, and the one fstat that
 * tells another filesystem is all it needs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "platform/walk.h"

#define WALK_PATH_MAX 4096
#define WALK_DIRBUF 16384	/* one getdents64 call's worth of names */

/* The record getdents64(2) fills, as the kernel lays it out. */
struct walk_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* A folder being read: its descriptor and the names not yet handed out. */
struct dirstream {
	int fd;
	size_t pos, len, cap;
	char *buf;
};

/* The next name of ds, "." and ".." included: 1 with *de set, 0 at the
 * end, -1 (errno set) when the folder cannot be read further. As
 * readdir(3) does, a folder removed while open (ENOENT) simply ends and
 * a record with inode 0 (a deleted name) is skipped. */
static int
dir_next(struct dirstream *ds, const struct walk_dirent64 **de)
{
	do {
		while (ds->pos >= ds->len) {
			ssize_t n;

			do {
				n = getdents64(ds->fd, ds->buf, ds->cap);
			} while (n == -1 && errno == EINTR);
			if (n == -1 && errno == ENOENT)
				n = 0;
			if (n <= 0)
				return n == 0 ? 0 : -1;
			ds->len = (size_t)n;
			ds->pos = 0;
		}
		*de = (const struct walk_dirent64 *)(void *)(ds->buf + ds->pos);
		ds->pos += (*de)->d_reclen;
	} while ((*de)->d_ino == 0);
	return 1;
}

static int
dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

struct walker {
	const struct walk_limits *lim;
	walk_visit_fn visit;
	void *arg;
	struct walk_result *res;
	dev_t dev;			/* the start's filesystem */
	struct timespec deadline;
	char path[WALK_PATH_MAX];	/* current folder, relative to the start */
	int abort;			/* a bound that ends the whole walk was hit */
};

static void
note_stop(struct walker *w, enum walk_stop s)
{
	if (w->res->stop == WALK_COMPLETE)
		w->res->stop = s;
}

static int
past_deadline(const struct walker *w)
{
	struct timespec now;

	if (w->lim->max_ms <= 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > w->deadline.tv_sec ||
	    (now.tv_sec == w->deadline.tv_sec && now.tv_nsec >= w->deadline.tv_nsec);
}

static char
kind_of(int dfd, const struct walk_dirent64 *de)
{
	struct stat st;

	switch (de->d_type) {
	case DT_REG: return 'f';
	case DT_DIR: return 'd';
	case DT_LNK: return 'l';
	case DT_UNKNOWN: break;
	default: return 'o';
	}
	/* Some filesystems do not fill d_type; ask without following. */
	if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return 'o';
	return S_ISREG(st.st_mode) ? 'f' : S_ISDIR(st.st_mode) ? 'd' :
	    S_ISLNK(st.st_mode) ? 'l' : 'o';
}

static int
open_subdir(int dfd, const char *name)
{
	int fd;

	do {
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_NONBLOCK | O_CLOEXEC);
	} while (fd == -1 && errno == EINTR);
	return fd;
}

/* 1 if the folder name in dfd holds anything: a folder beyond the depth
 * bound is a cut in the search only when there was something to see. */
static int
has_entries(int dfd, const char *name)
{
	union { char b[2048]; uint64_t align; } buf;
	struct dirstream ds = { .buf = buf.b, .cap = sizeof(buf.b) };
	const struct walk_dirent64 *de;
	int any = 0, r;

	ds.fd = open_subdir(dfd, name);
	if (ds.fd == -1)
		return errno != ENOTDIR && errno != ELOOP;	/* unknown: assume so */
	while (!any && (r = dir_next(&ds, &de)) == 1)
		any = !dot_or_dotdot(de->d_name);
	if (r == -1)
		any = 1;			/* unreadable: assume so */
	close(ds.fd);
	return any;
}

/* Walks the open folder dfd (taken over) whose entries are at depth. */
static void
walk_dir(struct walker *w, int dfd, long depth)
{
	struct dirstream ds = { .fd = dfd, .cap = WALK_DIRBUF };
	const struct walk_dirent64 *de;

	/* A buffer per open folder: the walk recurses while one is open. */
	ds.buf = malloc(ds.cap);
	if (ds.buf == NULL) {
		close(dfd);
		w->res->unreadable++;
		note_stop(w, WALK_UNREADABLE);
		return;
	}
	w->res->dirs++;
	while (!w->abort) {
		char kind;
		int r = dir_next(&ds, &de);

		if (r != 1) {
			if (r == -1) {
				w->res->unreadable++;
				note_stop(w, WALK_UNREADABLE);
			}
			break;
		}
		if (dot_or_dotdot(de->d_name))
			continue;
		if (past_deadline(w)) {
			note_stop(w, WALK_TIME);
			w->abort = 1;
			break;
		}
		if ((long)w->res->entries >= w->lim->max_entries) {
			note_stop(w, WALK_ENTRIES);
			w->abort = 1;
			break;
		}
		w->res->entries++;
		kind = kind_of(dfd, de);
		if (kind == 'l')
			w->res->links++;
		if (w->visit != NULL && w->visit(w->arg, w->path, de->d_name, kind) != 0) {
			note_stop(w, WALK_STOPPED);
			w->abort = 1;
			break;
		}
		if (kind != 'd')
			continue;
		if (depth >= w->lim->max_depth) {
			if (has_entries(dfd, de->d_name))
				note_stop(w, WALK_DEPTH);
			continue;
		}
		size_t plen = strlen(w->path), nlen = strlen(de->d_name);
		if (plen + 1 + nlen + 1 > sizeof(w->path)) {
			note_stop(w, WALK_DEPTH);	/* too long to name: as good as too deep */
			continue;
		}
		int sub = open_subdir(dfd, de->d_name);
		if (sub == -1) {
			/* Became a link or vanished since readdir: nothing to enter. */
			if (errno == ELOOP || errno == ENOTDIR || errno == ENOENT)
				continue;
			w->res->unreadable++;
			note_stop(w, WALK_UNREADABLE);
			continue;
		}
		struct stat st;
		if (fstat(sub, &st) == -1 || st.st_dev != w->dev) {
			/* A mount point: another disk, a network share or a FUSE
			 * folder that could hang. Not entered — but what lies
			 * there was not searched, so the walk is not complete. */
			close(sub);
			w->res->other_fs++;
			note_stop(w, WALK_OTHER_FS);
			continue;
		}
		if (plen > 0)
			w->path[plen] = '/';
		memcpy(w->path + plen + (plen > 0), de->d_name, nlen + 1);
		walk_dir(w, sub, depth + 1);
		w->path[plen] = '\0';
	}
	free(ds.buf);
	close(dfd);
}

enum file_status
walk_tree(const struct root *r, const char *rel, const struct walk_limits *lim,
    walk_visit_fn visit, void *arg, struct walk_result *res, struct mm_err *e)
{
	struct walker w;
	struct stat st;
	struct mm_err oe;
	int fd;

	memset(res, 0, sizeof(*res));
	err_clear(&oe);
	fd = root_open_dir(r, rel, &oe);
	if (fd == -1) {
		if (oe.reason != NULL && strcmp(oe.reason, "file_absent") == 0) {
			char kind;
			off_t size;

			/* O_DIRECTORY|O_NOFOLLOW on a link can fail as "not a
			 * folder": tell a link or a file from nothing there. */
			if (root_stat(r, rel, &kind, &size, NULL) != FILE_OK)
				return FILE_ABSENT;
			if (kind == 'l')
				err_set(e, "file_symlink", "%s is a symbolic link; refused", rel);
			else
				err_set(e, "file_not_regular", "%s is not a folder", rel);
			return FILE_BAD;
		}
		if (e != NULL)
			*e = oe;
		return FILE_BAD;
	}
	if (fstat(fd, &st) == -1) {
		close(fd);
		err_set(e, "file_unreadable", "%s cannot be examined: %s", rel, strerror(errno));
		return FILE_BAD;
	}
	memset(&w, 0, sizeof(w));
	w.lim = lim;
	w.visit = visit;
	w.arg = arg;
	w.res = res;
	w.dev = st.st_dev;
	clock_gettime(CLOCK_MONOTONIC, &w.deadline);
	if (lim->max_ms > 0) {
		w.deadline.tv_sec += lim->max_ms / 1000;
		w.deadline.tv_nsec += (lim->max_ms % 1000) * 1000000L;
		if (w.deadline.tv_nsec >= 1000000000L) {
			w.deadline.tv_sec++;
			w.deadline.tv_nsec -= 1000000000L;
		}
	}
	walk_dir(&w, fd, 1);
	return FILE_OK;
}

/* 1 when rel surely does not exist under the folder dfd: a part of it is
 * missing (ENOENT) from a folder reached without following a link. The
 * parts are looked up one at a time, relative to the folder before: a
 * link on the way fails its O_NOFOLLOW open with ENOTDIR or ELOOP, never
 * ENOENT, so it is left to walk_tree, which refuses it and says so. */
static int
absent_under(int dfd, const char *rel)
{
	char part[NAME_MAX + 1];
	const char *p = rel;
	int fd = dfd, absent = 0;

	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		struct stat st;
		int sub;

		if (len == 0 || len > NAME_MAX)
			break;		/* "a//b", a name too long: walk_tree judges */
		memcpy(part, p, len);
		part[len] = '\0';
		if (strcmp(part, ".") == 0 || strcmp(part, "..") == 0)
			break;
		if (slash == NULL) {
			absent = fstatat(fd, part, &st, AT_SYMLINK_NOFOLLOW) == -1 &&
			    errno == ENOENT;
			break;
		}
		sub = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub == -1) {
			absent = errno == ENOENT;
			break;
		}
		if (fd != dfd)
			close(fd);
		fd = sub;
		p = slash + 1;
	}
	if (fd != dfd)
		close(fd);
	return absent;
}

void
walk_absent_places(const struct root *r, const char *rel,
    const char *const *places, size_t n, unsigned char *absent)
{
	int fd;

	memset(absent, 0, n);
	fd = root_open_dir(r, rel, NULL);
	if (fd == -1)
		return;
	for (size_t i = 0; i < n; i++)
		absent[i] = (unsigned char)absent_under(fd, places[i]);
	close(fd);
}

const char *
walk_stop_name(enum walk_stop s)
{
	switch (s) {
	case WALK_COMPLETE: return "complete";
	case WALK_DEPTH: return "depth";
	case WALK_ENTRIES: return "entries";
	case WALK_TIME: return "time";
	case WALK_UNREADABLE: return "unreadable";
	case WALK_STOPPED: return "stopped";
	case WALK_OTHER_FS: return "skipped_mounts";
	}
	return "unknown";
}
