/* state: the agent's state folder (default /var/lib/mamori): the
 * enrollment (device.json), the device key, the pinned CA, the report
 * sequence counter and the spool. Every write is atomic (temporary file,
 * fsync, rename, fsync of the folder); every read refuses symlinks,
 * non-regular files and oversize files. One process at a time holds the
 * folder's lock, so a report, an upload and the daemon never interleave. */
#ifndef MAMORI_STATE_H
#define MAMORI_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "common/err.h"

#define STATE_DEFAULT_DIR "/var/lib/mamori"
#define STATE_DEVICE_ID_MAX 64
#define STATE_SERVER_MAX 1024
#define STATE_FILE_MAX 96
#define STATE_READ_CAP (64u << 10)	/* device.json, counters */
#define STATE_CA_CAP (1u << 20)		/* a CA bundle */

struct state {
	int dirfd;		/* the folder, opened without following symlinks */
	int lockfd;		/* -1 until state_lock */
	char path[4096];
};

/* What enrollment established (device.json). */
struct state_device {
	char device_id[STATE_DEVICE_ID_MAX + 1];	/* [A-Za-z0-9_.-], safe in a header */
	char server[STATE_SERVER_MAX + 1];		/* base URL, no trailing '/' */
	char key_file[STATE_FILE_MAX];			/* name inside the folder */
	char ca_file[STATE_FILE_MAX];			/* "" = no pinned CA */
	char public_key[64];				/* base64, for checking spooled entries */
	long long facility_id;
	char facility_name[256];
	char enrolled_at[32];
};

/* The folder to use: the one named, else $MAMORI_STATE_DIR, else the default. */
const char *state_dir_path(const char *given);

/* Opens the folder; create makes it (mode 0700) when absent. Refuses a
 * symlink, a non-folder, and a folder others may write to. */
int state_open(struct state *st, const char *path, int create, struct mm_err *e);
void state_close(struct state *st);
/* Takes the folder's exclusive lock, waiting for another mamori to finish. */
int state_lock(struct state *st, struct mm_err *e);

/* Writes the concatenation of n buffers to name inside dirfd, atomically
 * and durably. On return 0 the new content is on disk under name. */
struct state_buf {
	const void *p;
	size_t len;
};
int state_write_at(int dirfd, const char *name, const struct state_buf *bufs, size_t n,
    mode_t mode, struct mm_err *e);
/* The same for a file that root writes for someone else: mode and owner
 * (uid; the group is left) are set on the temporary file before it is
 * renamed. owner (uid_t)-1 is state_write_at. */
int state_write_owned_at(int dirfd, const char *name, const struct state_buf *bufs,
    size_t n, mode_t mode, uid_t owner, struct mm_err *e);
/* Reads the regular file name inside dirfd (no symlink, at most cap bytes)
 * into a NUL-terminated heap buffer. 0 read, 1 absent, -1 refused/error. */
int state_read_at(int dirfd, const char *name, size_t cap, char **buf, size_t *len,
    struct mm_err *e);
/* Reads exactly size bytes (the size fstat gave) from fd, opened and
 * checked by the caller, into a NUL-terminated heap buffer; name is for
 * the error. 0, or -1 (out of memory, or fewer bytes than size). */
int state_read_fd(int fd, size_t size, const char *name, char **buf, size_t *len,
    struct mm_err *e);

/* The enrollment; 1 when the folder holds none (not enrolled). */
int state_device_load(const struct state *st, struct state_device *d, struct mm_err *e);
int state_device_save(const struct state *st, const struct state_device *d, struct mm_err *e);
/* 1 if s is a device id the agent accepts (it goes into an HTTP header). */
int state_device_id_valid(const char *s);

/* A non-negative decimal counter in a file of its own; absent reads 0. A
 * file that is not a counter is an error, never read as 0. */
int state_counter_get(int dirfd, const char *name, uint64_t *v, struct mm_err *e);
int state_counter_set(int dirfd, const char *name, uint64_t v, struct mm_err *e);

/* The next report sequence: max(stored, floor) + 1, persisted durably
 * before it is returned, so that no crash can hand out a number twice. */
int state_sequence_next(const struct state *st, uint64_t floor, uint64_t *seq,
    struct mm_err *e);
/* The last sequence handed out (0 = none yet). */
int state_sequence_get(const struct state *st, uint64_t *seq, struct mm_err *e);

#endif
