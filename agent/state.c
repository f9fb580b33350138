/* state: the agent's state folder; see state.h. Everything is opened
 * relative to the folder's descriptor with O_NOFOLLOW, so a symlink planted
 * in the folder is refused rather than followed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "agent/state.h"

#define LOCK_NAME "lock"
#define DEVICE_NAME "device.json"
#define SEQUENCE_NAME "sequence"

const char *
state_dir_path(const char *given)
{
	const char *env = getenv("MAMORI_STATE_DIR");

	if (given != NULL)
		return given;
	if (env != NULL && env[0] != '\0')
		return env;
	return STATE_DEFAULT_DIR;
}

int
state_open(struct state *st, const char *path, int create, struct mm_err *e)
{
	struct stat sb;

	st->dirfd = -1;
	st->lockfd = -1;
	if (path[0] == '\0' || (size_t)snprintf(st->path, sizeof(st->path), "%s", path) >=
	    sizeof(st->path)) {
		err_set(e, "path_invalid", "the state folder \"%s\" is not a usable path", path);
		return -1;
	}
	if (create && mkdir(path, 0700) == 0) {
		/* the new folder's entry must survive a power cut, or the key
		 * made in it would vanish with it */
		char parent[sizeof(st->path)];
		int pfd;
		snprintf(parent, sizeof(parent), "%s", path);
		pfd = open(dirname(parent), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pfd != -1) {
			fsync(pfd);
			close(pfd);
		}
	} else if (create && errno != EEXIST) {
		err_set(e, "state_unwritable", "cannot create the state folder %s: %s", path,
		    strerror(errno));
		return -1;
	}
	st->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (st->dirfd == -1) {
		if (errno == ENOENT)
			err_set(e, "not_enrolled", "%s does not exist: this PC is not enrolled "
			    "(run `mamori enroll --server URL --token T` first)", path);
		else
			err_set(e, "state_unsafe", "cannot open the state folder %s: %s%s", path,
			    strerror(errno), errno == ELOOP || errno == ENOTDIR ?
			    " (it must be a folder, not a symlink)" : "");
		return -1;
	}
	if (fstat(st->dirfd, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		err_set(e, "state_unsafe", "%s is not a folder", path);
		state_close(st);
		return -1;
	}
	/* The folder holds the device key and the spool: whoever can write
	 * into it can make this PC sign or send anything. */
	if (sb.st_uid != geteuid() || (sb.st_mode & 022) != 0) {
		err_set(e, "state_unsafe", "%s must be owned by the user running mamori and "
		    "writable only by it (chown; chmod 700)", path);
		state_close(st);
		return -1;
	}
	return 0;
}

void
state_close(struct state *st)
{
	if (st->lockfd != -1)
		close(st->lockfd);	/* releases the flock */
	if (st->dirfd != -1)
		close(st->dirfd);
	st->lockfd = -1;
	st->dirfd = -1;
}

/* Removes NAME.tmp files a crashed writer left behind. Only called with
 * the lock held, so no live writer's temporary file is touched. */
static void
remove_tmp_files(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n > 4 && strcmp(de->d_name + n - 4, ".tmp") == 0)
			unlinkat(dirfd, de->d_name, 0);
	}
	closedir(d);
}

int
state_lock(struct state *st, struct mm_err *e)
{
	st->lockfd = openat(st->dirfd, LOCK_NAME, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (st->lockfd == -1) {
		err_set(e, "state_unwritable", "cannot open %s/%s: %s", st->path, LOCK_NAME,
		    strerror(errno));
		return -1;
	}
	while (flock(st->lockfd, LOCK_EX) == -1) {
		if (errno == EINTR)
			continue;
		err_set(e, "state_unwritable", "cannot lock %s/%s: %s", st->path, LOCK_NAME,
		    strerror(errno));
		return -1;
	}
	remove_tmp_files(st->dirfd);
	return 0;
}

int
state_write_at(int dirfd, const char *name, const struct state_buf *bufs, size_t n,
    mode_t mode, struct mm_err *e)
{
	return state_write_owned_at(dirfd, name, bufs, n, mode, (uid_t)-1, e);
}

int
state_write_owned_at(int dirfd, const char *name, const struct state_buf *bufs, size_t n,
    mode_t mode, uid_t owner, struct mm_err *e)
{
	char tmp[STATE_FILE_MAX + 8];
	int fd, saved;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", name) >= sizeof(tmp)) {
		err_set(e, "path_invalid", "%s: name too long", name);
		return -1;
	}
	/* A leftover (even a planted symlink) is removed, then O_EXCL makes
	 * sure the file written is the one just created. */
	unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd == -1)
		goto fail;
	/* The mode, then the owner, before the file has a name its owner
	 * could open: once the file is theirs, root would need CAP_FOWNER to
	 * change its mode; the group stays the writer's. */
	if (owner != (uid_t)-1 && (fchmod(fd, mode) == -1 || fchown(fd, owner, (gid_t)-1) == -1))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const char *p = bufs[i].p;
		size_t left = bufs[i].len;
		while (left > 0) {
			ssize_t w = write(fd, p, left);
			if (w == -1 && errno == EINTR)
				continue;
			if (w <= 0) {
				if (w == 0)
					errno = EIO;
				goto fail;
			}
			p += w;
			left -= (size_t)w;
		}
	}
	if (fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, name) == -1)
		goto fail;
	/* The rename is durable only once the folder's entry is. */
	if (fsync(dirfd) == -1)
		goto fail;
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	err_set(e, "write_failed", "cannot write %s: %s (is the disk full?)", name,
	    strerror(saved));
	return -1;
}

int
state_read_at(int dirfd, const char *name, size_t cap, char **buf, size_t *len,
    struct mm_err *e)
{
	struct stat sb;
	int fd, rc;

	*buf = NULL;
	*len = 0;
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			return 1;
		err_set(e, errno == ELOOP ? "file_symlink" : errno == ENXIO || errno == ENODEV ?
		    "file_not_regular" : "file_unreadable", "cannot read %s: %s", name,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		err_set(e, "file_not_regular", "%s is not a regular file", name);
		return -1;
	}
	if ((uint64_t)sb.st_size > cap) {
		close(fd);
		err_set(e, "file_too_large", "%s is larger than %zu bytes", name, cap);
		return -1;
	}
	rc = state_read_fd(fd, (size_t)sb.st_size, name, buf, len, e);
	close(fd);
	return rc;
}

int
state_read_fd(int fd, size_t size, const char *name, char **buf, size_t *len,
    struct mm_err *e)
{
	size_t have = 0;
	char *b;

	*buf = NULL;
	*len = 0;
	if ((b = malloc(size + 1)) == NULL) {
		err_set(e, "out_of_memory", "out of memory reading %s", name);
		return -1;
	}
	while (have < size) {
		ssize_t r = read(fd, b + have, size - have);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
	}
	if (have != size) {
		free(b);
		err_set(e, "file_unreadable", "%s: short read", name);
		return -1;
	}
	b[have] = '\0';
	*buf = b;
	*len = have;
	return 0;
}

int
state_device_id_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > STATE_DEVICE_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

/* A plain file name inside the folder: no '/', no leading '.'. */
static int
file_name_valid(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < STATE_FILE_MAX && s[0] != '.' && strchr(s, '/') == NULL;
}

/* Copies a string member into out; -1 if absent/wrong type/too long. */
static int
get_str(json_t *o, const char *key, char *out, size_t outlen, int optional)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v)) {
		out[0] = '\0';
		return optional ? 0 : -1;
	}
	if (!json_is_string(v) || json_string_length(v) >= outlen ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

int
state_device_load(const struct state *st, struct state_device *d, struct mm_err *e)
{
	json_error_t je;
	json_t *root, *fac;
	size_t len;
	char *buf;
	int rc;

	memset(d, 0, sizeof(*d));
	rc = state_read_at(st->dirfd, DEVICE_NAME, STATE_READ_CAP, &buf, &len, e);
	if (rc != 0) {
		if (rc == 1)
			err_set(e, "not_enrolled", "this PC is not enrolled (%s/%s is absent): "
			    "run `mamori enroll --server URL --token T` first", st->path,
			    DEVICE_NAME);
		return rc;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (root == NULL || !json_is_object(root) ||
	    get_str(root, "device_id", d->device_id, sizeof(d->device_id), 0) == -1 ||
	    !state_device_id_valid(d->device_id) ||
	    get_str(root, "server", d->server, sizeof(d->server), 0) == -1 ||
	    get_str(root, "key_file", d->key_file, sizeof(d->key_file), 0) == -1 ||
	    !file_name_valid(d->key_file) ||
	    get_str(root, "ca_file", d->ca_file, sizeof(d->ca_file), 1) == -1 ||
	    (d->ca_file[0] != '\0' && !file_name_valid(d->ca_file)) ||
	    get_str(root, "public_key", d->public_key, sizeof(d->public_key), 0) == -1 ||
	    get_str(root, "enrolled_at", d->enrolled_at, sizeof(d->enrolled_at), 1) == -1) {
		json_decref(root);
		err_set(e, "state_corrupt", "%s/%s is damaged; enroll again with "
		    "`mamori enroll --force …`", st->path, DEVICE_NAME);
		return -1;
	}
	fac = json_object_get(root, "facility");
	if (json_is_object(fac)) {
		json_t *id = json_object_get(fac, "id");
		if (json_is_integer(id))
			d->facility_id = json_integer_value(id);
		get_str(fac, "name", d->facility_name, sizeof(d->facility_name), 1);
	}
	json_decref(root);
	return 0;
}

int
state_device_save(const struct state *st, const struct state_device *d, struct mm_err *e)
{
	struct state_buf b[2];
	json_t *o;
	char *txt;
	int rc;

	if (!state_device_id_valid(d->device_id) || !file_name_valid(d->key_file) ||
	    (d->ca_file[0] != '\0' && !file_name_valid(d->ca_file))) {
		err_set(e, "state_invalid", "refusing to save an enrollment with device id \"%s\"",
		    d->device_id);
		return -1;
	}
	o = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:{s:I, s:s}, s:s}",
	    "device_id", d->device_id, "server", d->server, "key_file", d->key_file,
	    "ca_file", d->ca_file[0] ? d->ca_file : NULL, "public_key", d->public_key,
	    "facility", "id", (json_int_t)d->facility_id, "name", d->facility_name,
	    "enrolled_at", d->enrolled_at);
	txt = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
	json_decref(o);
	if (txt == NULL) {
		err_set(e, "state_invalid", "cannot encode %s (a name that is not UTF-8?)",
		    DEVICE_NAME);
		return -1;
	}
	b[0].p = txt;
	b[0].len = strlen(txt);
	b[1].p = "\n";
	b[1].len = 1;
	rc = state_write_at(st->dirfd, DEVICE_NAME, b, 2, 0600, e);
	free(txt);
	return rc;
}

int
state_counter_get(int dirfd, const char *name, uint64_t *v, struct mm_err *e)
{
	uint64_t n = 0;
	size_t len, i;
	char *buf;
	int rc;

	*v = 0;
	rc = state_read_at(dirfd, name, 64, &buf, &len, e);
	if (rc == 1)
		return 0;
	if (rc == -1)
		return -1;
	for (i = 0; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		if (n > (UINT64_MAX - 9) / 10)
			break;
		n = n * 10 + (uint64_t)(buf[i] - '0');
	}
	/* digits, then at most one newline, nothing else */
	if (i == 0 || !(i == len || (i + 1 == len && buf[i] == '\n'))) {
		free(buf);
		err_set(e, "state_corrupt", "the counter file %s is damaged (expected one "
		    "number); restore it or enroll again", name);
		return -1;
	}
	free(buf);
	*v = n;
	return 0;
}

int
state_counter_set(int dirfd, const char *name, uint64_t v, struct mm_err *e)
{
	char txt[32];
	struct state_buf b;

	b.p = txt;
	b.len = (size_t)snprintf(txt, sizeof(txt), "%" PRIu64 "\n", v);
	return state_write_at(dirfd, name, &b, 1, 0600, e);
}

int
state_sequence_get(const struct state *st, uint64_t *seq, struct mm_err *e)
{
	return state_counter_get(st->dirfd, SEQUENCE_NAME, seq, e);
}

int
state_sequence_next(const struct state *st, uint64_t floor, uint64_t *seq,
    struct mm_err *e)
{
	uint64_t cur;

	if (state_counter_get(st->dirfd, SEQUENCE_NAME, &cur, e) == -1)
		return -1;
	if (floor > cur)
		cur = floor;
	if (cur == UINT64_MAX) {
		err_set(e, "state_corrupt", "the report sequence is exhausted");
		return -1;
	}
	if (state_counter_set(st->dirfd, SEQUENCE_NAME, cur + 1, e) == -1)
		return -1;
	*seq = cur + 1;
	return 0;
}
