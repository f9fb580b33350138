/* mountinfo: which filesystem holds a path, from /proc/PID/mountinfo
 * (proc(5)): device numbers, type and source of each mount. */
#ifndef MAMORI_MOUNTINFO_H
#define MAMORI_MOUNTINFO_H

#include <stddef.h>
#include "common/err.h"

struct mount_entry {
	unsigned major, minor;
	char mountpoint[256];	/* octal escapes (\040) decoded */
	char fstype[32];
	char source[256];
};

/* Finds the mount that holds path: the longest mount point that is a
 * prefix of it on a component boundary; among equals, the last one (the
 * one mounted on top). 0 found, -1 malformed text (parse_error) or none. */
int mountinfo_find(const char *buf, size_t len, const char *path,
    struct mount_entry *out, struct mm_err *e);

#endif
