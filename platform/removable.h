/* removable: removable storage attached to the machine now — USB mass
 * storage (sticks and disks), SD cards — from sysfs and the udev database
 * under the root, so that a fixture tree can describe devices. Only the
 * device's identity is read, never anything stored on it. */
#ifndef MAMORI_REMOVABLE_H
#define MAMORI_REMOVABLE_H

#include <stddef.h>
#include "common/err.h"
#include "platform/root.h"

struct removable_dev {
	char name[32];		/* kernel name: "sdb", "mmcblk0" */
	char bus[16];		/* "usb", "mmc", or "" */
	char vendor_id[8];	/* lower-case hex, "" when unknown */
	char product_id[8];
	char serial[128];
	char vendor[64];	/* human-readable, for the administrator */
	char model[64];
	int identified;		/* 0: the udev database did not say who it is */
};

/* Lists removable storage with a medium present. -1 with err when the
 * kernel's device list cannot be read (no /sys under the root). */
int removable_list(const struct root *r, struct removable_dev **out, size_t *n,
    struct mm_err *e);

#endif
