/* device.disk_encrypted (articles 16-6 to 16-10, advisory): the
 * filesystems holding / and /home sit on dm-crypt, so a lost or stolen
 * laptop gives away nothing. Device-mapper stacks are followed down
 * (LVM on LUKS: the logical volume's slaves lead to the crypt target). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks/check.h"
#include "platform/mountinfo.h"
#include "platform/sysfs.h"

#define MAX_STACK 8

static const struct check_msg msgs[] = {
	{ "encrypted", N_("{subject} is on an encrypted disk ({via}).") },
	{ "not_encrypted", N_("{subject} is on a disk that is not encrypted: if this PC is lost, its data can be read.") },
	{ "not_block_device", N_("{subject} is on a {fstype} filesystem, not on a local disk; encryption cannot be determined.") },
	{ "encrypt_disk", N_("Ask the facility's IT person to encrypt this PC's disk (Debian: reinstall with \"encrypted LVM\" in the partitioning step, after a backup).") },
	{ NULL, NULL },
};

/* 1 encrypted (via filled), 0 not, -1 could not tell. */
static int
is_encrypted(const struct root *r, const char *dev, int depth, char *via, size_t vialen)
{
	char path[320], uuid[160];
	char **slaves;
	size_t n;
	int all = 1;

	if (depth > MAX_STACK)
		return -1;
	snprintf(path, sizeof(path), "%s/dm/uuid", dev);
	if (sysfs_attr(r, path, uuid, sizeof(uuid), NULL) == FILE_OK &&
	    strncmp(uuid, "CRYPT-", 6) == 0) {
		char *dash = strchr(uuid + 6, '-');
		if (dash != NULL)
			*dash = '\0';
		snprintf(via, vialen, "dm-crypt %.40s", uuid + 6);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/slaves", dev);
	if (sysfs_list(r, path, 64, &slaves, &n, NULL) != FILE_OK || n == 0)
		return 0;
	for (size_t i = 0; i < n && all == 1; i++) {
		char sub[160];
		snprintf(sub, sizeof(sub), "/sys/class/block/%s", slaves[i]);
		all = is_encrypted(r, sub, depth + 1, via, vialen);
	}
	root_free_names(slaves, n);
	return all;
}

/* The sysfs folder of the block device behind a mount, or -1. */
static int
device_dir(const struct root *r, const struct mount_entry *m, char *out, size_t n)
{
	const char *base;

	if (m->major != 0) {
		snprintf(out, n, "/sys/dev/block/%u:%u", m->major, m->minor);
		return 0;
	}
	/* btrfs and others report an anonymous device; the source names it. */
	if (strncmp(m->source, "/dev/mapper/", 12) == 0) {
		char **names, name[160], path[96];
		size_t k;
		int found = -1;

		if (sysfs_list(r, "/sys/block", 1024, &names, &k, NULL) != FILE_OK)
			return -1;
		for (size_t i = 0; i < k && found == -1; i++) {
			if (strncmp(names[i], "dm-", 3) != 0 || strlen(names[i]) > 32)
				continue;
			snprintf(path, sizeof(path), "/sys/block/%s/dm/name", names[i]);
			if (sysfs_attr(r, path, name, sizeof(name), NULL) == FILE_OK &&
			    strcmp(name, m->source + 12) == 0) {
				snprintf(out, n, "/sys/class/block/%s", names[i]);
				found = 0;
			}
		}
		root_free_names(names, k);
		return found;
	}
	if (strncmp(m->source, "/dev/", 5) == 0 && (base = strrchr(m->source, '/')) != NULL &&
	    base[1] != '\0' && strstr(base, "..") == NULL) {
		snprintf(out, n, "/sys/class/block/%s", base + 1);
		return 0;
	}
	return -1;
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	static const char *const paths[] = { "/", "/home" };
	struct mount_entry seen[2];
	struct mm_err e;
	char *buf;
	size_t len;

	err_clear(&e);
	/* PID 1's view: the machine's own mounts, not a private namespace. */
	if (sysfs_read(ctx->root, "/proc/1/mountinfo", 1u << 20, &buf, &len, &e) != FILE_OK) {
		if (e.reason == NULL)
			err_set(&e, "file_absent", "/proc/1/mountinfo does not exist under the root");
		result_add_error(r, "/", &e);
		return;
	}
	for (size_t i = 0; i < 2; i++) {
		char dev[320], via[64] = "";
		json_t *ev;
		int enc;

		if (mountinfo_find(buf, len, paths[i], &seen[i], &e) == -1) {
			result_add_error(r, paths[i], &e);
			continue;
		}
		/* /home on the root filesystem is covered by the finding for /. */
		if (i == 1 && strcmp(seen[1].mountpoint, seen[0].mountpoint) == 0)
			break;
		ev = json_pack("{s:s, s:s}", "mountpoint", seen[i].mountpoint,
		    "fstype", seen[i].fstype);
		if (ev == NULL)
			ev = json_object();
		if (device_dir(ctx->root, &seen[i], dev, sizeof(dev)) == -1) {
			result_add(r, paths[i], V_UNKNOWN, "not_block_device", NULL, ev);
			continue;
		}
		enc = is_encrypted(ctx->root, dev, 0, via, sizeof(via));
		if (enc == 1) {
			json_object_set_new(ev, "via", json_string(via));
			result_add(r, paths[i], V_PASS, "encrypted", NULL, ev);
		} else if (enc == 0)
			result_add(r, paths[i], V_FAIL, "not_encrypted", "encrypt_disk", ev);
		else
			result_add(r, paths[i], V_UNKNOWN, "not_block_device", NULL, ev);
	}
	free(buf);
}

const struct check_def check_device_disk_encrypted = {
	"device.disk_encrypted", "16-6,16-7,16-8,16-9,16-10",
	N_("The system disk is encrypted"),
	run, msgs,
};
