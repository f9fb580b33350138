/* device.disk_encrypted (articles 16-6 to 16-10, advisory): the
 * filesystems holding / and /home sit on dm-crypt, so a lost or stolen
 * laptop gives away nothing. Device-mapper stacks are followed down
 * (LVM on LUKS: the logical volume's slaves lead to the crypt target).
 *
 * The kernel decides: what is encrypted is what sysfs shows running now.
 * /etc/crypttab only says what the administrator set up to be opened at
 * boot; it is reported beside the answer and never changes it. When the
 * truth cannot be read (no /sys, a folder that cannot be listed, a stack
 * deeper than we follow), the answer is unknown, never a guess. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks/check.h"
#include "common/utf8.h"
#include "platform/crypttab.h"
#include "platform/mountinfo.h"
#include "platform/sysfs.h"

#define MAX_STACK 8

static const struct check_msg msgs[] = {
	{ "encrypted", N_("{subject} is on an encrypted disk ({via}).") },
	{ "not_encrypted", N_("{subject} is on a disk that is not encrypted: if this PC is lost, its data can be read.") },
	{ "not_block_device", N_("{subject} is on a {fstype} filesystem, not on a local disk; encryption cannot be determined.") },
	{ "sysfs_unreadable", N_("How the disk under {subject} is built cannot be read from the kernel's /sys, so whether it is encrypted is not known. ({detail})") },
	{ "stack_too_deep", N_("{subject} is on more than 8 storage layers stacked on one another; mamori does not look that deep, so whether it is encrypted is not known.") },
	{ "crypt_type_unknown", N_("{subject} is on a disk set up by cryptsetup as “{crypt_type}”, a kind mamori does not know, so whether it is encrypted is not known.") },
	{ "encrypt_disk", N_("Ask the facility's IT person to encrypt this PC's disk (Debian: reinstall with \"encrypted LVM\" in the partitioning step, after a backup).") },
	{ NULL, NULL },
};

/* cryptsetup names its device-mapper devices "CRYPT-TYPE-[UUID-]NAME"
 * (lib/libdevmapper.c dm_prepare_uuid), TYPE being the format of
 * libcryptsetup.h. These set up a dm-crypt target: the data is encrypted. */
static const char *const encrypting_types[] = {
	"LUKS1", "LUKS2", "PLAIN", "LOOPAES", "TCRYPT", "BITLK",
	"FVAULT2",	/* FileVault 2, cryptsetup 2.6 */
};

/* These do not encrypt: dm-verity and dm-integrity check data, TEMP and
 * SUBDEV are cryptsetup's helpers below another device. What lies under
 * them decides. */
static const char *const other_types[] = {
	"VERITY", "INTEGRITY", "TEMP", "SUBDEV",
};

/* What the walk down a device stack found. */
struct stack_answer {
	char via[64];		/* "dm-crypt LUKS2" */
	char crypt_name[128];	/* the dm name of the crypt device, for crypttab */
	const char *why;	/* the reason when the answer is unknown */
	char detail[256];	/* what could not be read */
	char crypt_type[32];	/* an unknown CRYPT- type */
};

static int
in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
			return 1;
	return 0;
}

static int
unknown(struct stack_answer *a, const char *why, const char *detail)
{
	size_t l = strlen(detail);

	a->why = why;
	if (l >= sizeof(a->detail))
		l = sizeof(a->detail) - 1;	/* a path cut short is still a clue */
	memcpy(a->detail, detail, l);
	a->detail[l] = '\0';
	return -1;
}

/* The folder of the disk that holds partition dev: partitions have no
 * slaves/ of their own (only whole disks do), and a partition of an md
 * array over dm-crypt devices is only as encrypted as the array. The disk
 * is the /sys/block entry holding a folder of the partition's name. 1
 * found (out filled), 0 not. */
static int
partition_disk(const struct root *r, const char *dev, char *out, size_t outlen)
{
	char path[400], *buf, **disks;
	const char *name = NULL;
	size_t len, nd;
	int found = 0;

	snprintf(path, sizeof(path), "%s/uevent", dev);
	if (sysfs_read(r, path, 4096, &buf, &len, NULL) != FILE_OK)
		return 0;
	for (char *save, *line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "DEVNAME=", 8) == 0 && line[8] != '\0' &&
		    strchr(line + 8, '/') == NULL && strlen(line + 8) < 64)
			name = line + 8;
	if (name == NULL || sysfs_list(r, "/sys/block", 1024, &disks, &nd, NULL) != FILE_OK) {
		free(buf);
		return 0;
	}
	for (size_t i = 0; i < nd && !found; i++) {
		char attr[16];

		if (strlen(disks[i]) > 64)
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/%s/partition", disks[i], name);
		if (sysfs_attr(r, path, attr, sizeof(attr), NULL) == FILE_OK) {
			snprintf(out, outlen, "/sys/block/%s", disks[i]);
			found = 1;
		}
	}
	root_free_names(disks, nd);
	free(buf);
	return found;
}

/* 1 encrypted (a filled), 0 not, -1 could not tell (a->why). */
static int
is_encrypted(const struct root *r, const char *dev, int depth, struct stack_answer *a)
{
	char path[400], uuid[160], attr[16];
	char **slaves;
	size_t n;
	struct mm_err e;
	enum file_status s;
	int all = 1, any_unknown = 0;

	if (depth > MAX_STACK)
		return unknown(a, "stack_too_deep", dev);
	err_clear(&e);
	snprintf(path, sizeof(path), "%s/dm/uuid", dev);
	s = sysfs_attr(r, path, uuid, sizeof(uuid), &e);
	if (s == FILE_BAD)
		return unknown(a, "sysfs_unreadable", e.msg);
	if (s == FILE_OK && strncmp(uuid, "CRYPT-", 6) == 0) {
		const char *type = uuid + 6, *dash = strchr(type, '-');
		size_t tl = dash ? (size_t)(dash - type) : strlen(type);

		if (in_list(encrypting_types, sizeof(encrypting_types) / sizeof(encrypting_types[0]),
		    type, tl)) {
			snprintf(a->via, sizeof(a->via), "dm-crypt %.*s", (int)tl, type);
			snprintf(path, sizeof(path), "%s/dm/name", dev);
			if (sysfs_attr(r, path, a->crypt_name, sizeof(a->crypt_name), NULL) != FILE_OK)
				a->crypt_name[0] = '\0';
			return 1;
		}
		if (!in_list(other_types, sizeof(other_types) / sizeof(other_types[0]), type, tl)) {
			snprintf(a->crypt_type, sizeof(a->crypt_type), "%.*s",
			    (int)(tl < 31 ? tl : 31), type);
			return unknown(a, "crypt_type_unknown", uuid);
		}
	}
	/* A partition is a slice of its disk and has no slaves/. */
	snprintf(path, sizeof(path), "%s/partition", dev);
	s = sysfs_attr(r, path, attr, sizeof(attr), &e);
	if (s == FILE_BAD)
		return unknown(a, "sysfs_unreadable", e.msg);
	if (s == FILE_OK) {
		char disk[96];

		if (partition_disk(r, dev, disk, sizeof(disk)))
			return is_encrypted(r, disk, depth + 1, a);
		return 0;	/* a disk not listed in /sys/block: taken as plain */
	}
	/* A whole disk always has slaves/, empty unless it is made of other
	 * devices (device-mapper, md). None there: the disk is not known. */
	snprintf(path, sizeof(path), "%s/slaves", dev);
	s = sysfs_list(r, path, 64, &slaves, &n, &e);
	if (s == FILE_ABSENT) {
		char msg[420];

		snprintf(msg, sizeof(msg), "%s does not exist", path);
		return unknown(a, "sysfs_unreadable", msg);
	}
	if (s != FILE_OK)
		return unknown(a, "sysfs_unreadable", e.msg);
	if (n == 0)
		all = 0;	/* a plain disk */
	/* Every device below must be encrypted; one plain one is enough to
	 * say no, whatever could not be read beside it. */
	for (size_t i = 0; i < n && all != 0; i++) {
		char sub[160];
		int got;

		if (strlen(slaves[i]) > 64 || strchr(slaves[i], '/') != NULL) {
			any_unknown = 1;
			unknown(a, "sysfs_unreadable", "a name in slaves/ is not a device name");
			continue;
		}
		snprintf(sub, sizeof(sub), "/sys/class/block/%s", slaves[i]);
		got = is_encrypted(r, sub, depth + 1, a);
		if (got == 0)
			all = 0;
		else if (got == -1)
			any_unknown = 1;
	}
	root_free_names(slaves, n);
	if (all == 0)
		return 0;
	return any_unknown ? -1 : 1;
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

/* What /etc/crypttab says, as evidence: how many devices it lists, and
 * whether the crypt device found holds one of its names. */
static void
crypttab_evidence(json_t *ev, const struct crypttab *ct, enum file_status cs,
    const struct mm_err *ce, const char *crypt_name)
{
	if (cs == FILE_BAD) {
		json_object_set_new(ev, "crypttab", json_string(ce->reason ? ce->reason :
		    "file_unreadable"));
		return;
	}
	json_object_set_new(ev, "crypttab_entries", json_integer((json_int_t)ct->n));
	if (crypt_name != NULL && crypt_name[0] != '\0' && crypttab_find(ct, crypt_name) != NULL)
		json_object_set_new(ev, "crypttab_name", utf8_json_string(crypt_name));
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	static const char *const paths[] = { "/", "/home" };
	struct mount_entry seen[2];
	int found[2] = { 0, 0 };
	struct crypttab ct;
	struct mm_err e, ce;
	enum file_status cs;
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
	err_clear(&ce);
	cs = crypttab_read(ctx->root, &ct, &ce);
	for (size_t i = 0; i < 2; i++) {
		struct stack_answer a;
		char dev[320];
		json_t *ev;
		int enc;

		if (mountinfo_find(buf, len, paths[i], &seen[i], &e) == -1) {
			result_add_error(r, paths[i], &e);
			continue;
		}
		found[i] = 1;
		/* /home on the root filesystem is covered by the finding for /. */
		if (i == 1 && found[0] && strcmp(seen[1].mountpoint, seen[0].mountpoint) == 0)
			break;
		ev = json_pack("{s:s, s:s}", "mountpoint", seen[i].mountpoint,
		    "fstype", seen[i].fstype);
		if (ev == NULL)
			ev = json_object();
		if (device_dir(ctx->root, &seen[i], dev, sizeof(dev)) == -1) {
			result_add(r, paths[i], V_UNKNOWN, "not_block_device", NULL, ev);
			continue;
		}
		memset(&a, 0, sizeof(a));
		enc = is_encrypted(ctx->root, dev, 0, &a);
		crypttab_evidence(ev, &ct, cs, &ce, enc == 1 ? a.crypt_name : NULL);
		if (enc == 1) {
			json_object_set_new(ev, "via", json_string(a.via));
			result_add(r, paths[i], V_PASS, "encrypted", NULL, ev);
		} else if (enc == 0)
			result_add(r, paths[i], V_FAIL, "not_encrypted", "encrypt_disk", ev);
		else {
			json_object_set_new(ev, "detail", utf8_json_string(a.detail));
			if (a.crypt_type[0] != '\0')
				json_object_set_new(ev, "crypt_type", utf8_json_string(a.crypt_type));
			result_add(r, paths[i], V_UNKNOWN, a.why, NULL, ev);
		}
	}
	crypttab_free(&ct);
	free(buf);
}

const struct check_def check_device_disk_encrypted = {
	"device.disk_encrypted", "16-6,16-7,16-8,16-9,16-10",
	N_("The system disk is encrypted"),
	run, msgs,
};
