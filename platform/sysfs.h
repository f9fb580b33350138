/* sysfs: reading the kernel's own trees (/sys, /proc/1) under a root.
 * These are made of symlinks by design (/sys/block/sda → ../devices/…), so
 * unlike root_read_file this follows them — but only within the root
 * (openat2 RESOLVE_IN_ROOT), and only for paths the kernel writes, never a
 * place a user controls. Nothing else in mamori may use it. */
#ifndef MAMORI_SYSFS_H
#define MAMORI_SYSFS_H

#include <stddef.h>
#include "common/err.h"
#include "platform/root.h"

/* Reads a small kernel file (an attribute, mountinfo) into a
 * NUL-terminated buffer, at most cap bytes (more is file_too_large).
 * Trailing newlines are kept. Same statuses and reasons as root_read_file. */
enum file_status sysfs_read(const struct root *r, const char *rel, size_t cap,
    char **buf, size_t *len, struct mm_err *e);

/* The first line of a kernel attribute, trimmed, into out; FILE_ABSENT
 * when there is no such attribute. */
enum file_status sysfs_attr(const struct root *r, const char *rel, char *out,
    size_t outlen, struct mm_err *e);

/* Lists a kernel directory (sorted, at most max names). */
enum file_status sysfs_list(const struct root *r, const char *rel, size_t max,
    char ***names, size_t *n, struct mm_err *e);

#endif
