/* userstatus: each person's own view of the last scan, the file
 * /run/mamori/users/UID.json that `mamori notify` and `mamori status` read
 * ("mamori.status/1", docs/daemon.md). The daemon (root) writes it owned by
 * the person, mode 0600, atomically (temporary file, fsync, rename, fsync
 * of the folder); a person reads only their own. It carries that person's
 * findings and the PC's own (not another person's), as keys and evidence:
 * the reader renders them in its session's language. */
#ifndef MAMORI_USERSTATUS_H
#define MAMORI_USERSTATUS_H

#include <stddef.h>
#include <sys/types.h>
#include <jansson.h>
#include "agent/scan.h"
#include "common/err.h"

#define USERSTATUS_SCHEMA "mamori.status/1"
#define USERSTATUS_DEFAULT_DIR "/run/mamori/users"
#define USERSTATUS_CAP (1u << 20)	/* a status file larger than this is refused */

/* The folder to use: the one named, else $MAMORI_STATUS_DIR, else the default. */
const char *userstatus_dir_path(const char *given);

/* The status of person p (a new reference): fail and unknown findings
 * that are p's own (subject p, or evidence "user" p) or the PC's (the
 * subject is no person and names no person); never another person's. */
json_t *userstatus_build(const struct scan *s, const struct person *p);

/* Opens the folder for writing (root): creates it 0755 when absent (and
 * its parent, /run/mamori); refuses a symlink, a non-folder, and a folder
 * others may write to. */
int userstatus_dir_open(const char *path, int *dirfd, struct mm_err *e);

/* Writes st to UID.json in dirfd: owned by uid, mode 0600, atomic and
 * durable. */
int userstatus_write(int dirfd, uid_t uid, const json_t *st, struct mm_err *e);

/* Writes the file of every person of the scan and removes the files of
 * uids that are no longer persons. *written: files written. */
int userstatus_write_all(int dirfd, const struct scan *s, size_t *written,
    struct mm_err *e);

/* Reads UID.json from the folder at path as its owner: a regular file (no
 * symlink) owned by uid, at most USERSTATUS_CAP bytes, schema
 * mamori.status/1 with the same uid inside. 0 read (*out a new
 * reference), 1 absent, -1 refused or unreadable (reason status_*). */
int userstatus_read(const char *dir, uid_t uid, json_t **out, struct mm_err *e);

/* The uids that have a status file in the folder, ascending (free *uids). */
int userstatus_list(const char *dir, uid_t **uids, size_t *n, struct mm_err *e);

#endif
