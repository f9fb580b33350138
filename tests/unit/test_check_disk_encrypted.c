/* device.disk_encrypted against mountinfo and sysfs trees shaped like a
 * real machine's: plain partitions, LUKS, LVM on LUKS, btrfs, overlay. */
#include "testutil.h"
#include "platform/mountinfo.h"

extern const struct check_def check_device_disk_encrypted;

static void
run(const char *root, struct check_result *r)
{
	struct people pp;
	struct policy p;

	tu_policy(&p);
	tu_run(&check_device_disk_encrypted, root, &p, 1795000000, r, &pp);
	people_free(&pp);
	policy_free(&p);
}

static void
unlink_rel(const char *root, const char *rel)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(unlink(p), 0);
}

static void
link_rel(const char *root, const char *target, const char *rel)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void
test_plain_partition_fails(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	tu_write(root, "proc/1/mountinfo",
	    "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro\n"
	    "23 22 0:21 / /proc rw shared:12 - proc proc rw\n");
	tu_write(root, "sys/dev/block/8:2/partition", "2\n");
	run(root, &r);
	assert_int_equal(r.n, 1);	/* /home lives on / */
	tu_assert_finding(&r, "/", V_FAIL, "not_encrypted");
	assert_string_equal(r.f[0].remediation, "encrypt_disk");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_lvm_on_luks_passes_and_separate_home(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;
	const struct finding *f;

	(void)state;
	tu_write(root, "proc/1/mountinfo",
	    "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/mapper/vg-root rw\n"
	    "30 22 8:3 / /home rw,relatime shared:2 - ext4 /dev/sda3 rw\n"
	    "31 30 0:40 / /home/alice/mnt rw - fuse.sshfs host: rw\n");
	tu_write(root, "sys/dev/block/254:1/dm/uuid", "LVM-abcdefabcdef\n");
	tu_write(root, "sys/dev/block/254:1/slaves/dm-0", "");
	tu_write(root, "sys/class/block/dm-0/dm/uuid", "CRYPT-LUKS2-0123456789abcdef-sda5_crypt\n");
	tu_write(root, "sys/dev/block/8:3/partition", "3\n");
	run(root, &r);
	tu_assert_finding(&r, "/", V_PASS, "encrypted");
	f = tu_finding(&r, "/");
	assert_string_equal(json_string_value(json_object_get(f->evidence, "via")), "dm-crypt LUKS2");
	tu_assert_finding(&r, "/home", V_FAIL, "not_encrypted");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_btrfs_on_mapper_name(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	tu_write(root, "proc/1/mountinfo",
	    "22 1 0:27 /@ / rw,relatime shared:1 - btrfs /dev/mapper/luks-root rw\n");
	tu_write(root, "sys/block/dm-0/dm/name", "luks-root\n");
	tu_write(root, "sys/class/block/dm-0/dm/uuid", "CRYPT-LUKS1-feedface-luks-root\n");
	run(root, &r);
	tu_assert_finding(&r, "/", V_PASS, "encrypted");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_overlay_root_is_unknown(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	tu_write(root, "proc/1/mountinfo",
	    "600 500 0:52 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u\n");
	run(root, &r);
	tu_assert_finding(&r, "/", V_UNKNOWN, "not_block_device");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_no_or_garbled_mountinfo_is_unknown(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	run(root, &r);
	tu_assert_finding(&r, "/", V_UNKNOWN, "file_absent");
	result_free(&r);
	tu_write(root, "proc/1/mountinfo", "garbage\x01\x02\n");
	run(root, &r);
	tu_assert_finding(&r, "/", V_UNKNOWN, "parse_error");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_mountinfo_escapes_and_stacking(void **state)
{
	static const char mi[] =
	    "22 1 8:2 / / rw - ext4 /dev/sda2 rw\n"
	    "40 22 8:5 / /srv/my\\040data rw - ext4 /dev/sda5 rw\n"
	    "41 22 8:6 / /home rw - ext4 /dev/sda6 rw\n"
	    "42 22 8:7 / /home rw - xfs /dev/sda7 rw\n";
	struct mount_entry m;
	struct mm_err e;

	(void)state;
	assert_int_equal(mountinfo_find(mi, strlen(mi), "/srv/my data/x", &m, &e), 0);
	assert_string_equal(m.mountpoint, "/srv/my data");
	assert_int_equal(m.minor, 5);
	/* the later mount on /home is the one on top */
	assert_int_equal(mountinfo_find(mi, strlen(mi), "/home", &m, &e), 0);
	assert_string_equal(m.fstype, "xfs");
	assert_int_equal(mountinfo_find(mi, strlen(mi), "/homework", &m, &e), 0);
	assert_string_equal(m.mountpoint, "/");
	assert_int_equal(mountinfo_find("1 2 3\n", 6, "/", &m, &e), -1);
	assert_string_equal(e.reason, "parse_error");
}

static const char *
ev_str(const struct finding *f, const char *key)
{
	json_t *v = json_object_get(f->evidence, key);

	return v ? json_string_value(v) : NULL;
}

/* A tree with no /sys (or a device whose folder is not there): what the
 * disk is made of cannot be read, so the answer is unknown — not "a plain
 * disk". */
static void
test_no_sys_is_unknown(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	tu_write(root, "proc/1/mountinfo",
	    "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n"
	    "30 22 254:3 / /home rw - ext4 /dev/mapper/vg-home rw\n");
	/* /home's logical volume is there, but its slaves/ is not */
	tu_write(root, "sys/dev/block/254:3/dm/uuid", "LVM-xyz\n");
	run(root, &r);
	assert_int_equal(r.n, 2);
	tu_assert_finding(&r, "/", V_UNKNOWN, "sysfs_unreadable");
	tu_assert_finding(&r, "/home", V_UNKNOWN, "sysfs_unreadable");
	assert_non_null(strstr(ev_str(tu_finding(&r, "/"), "detail"), "8:2/slaves"));
	assert_null(r.f[0].remediation);
	result_free(&r);
	tu_rmroot(root);
}

/* slaves/ that cannot be listed (more names than read) is unknown; an
 * empty one is a plain whole disk; one plain device among encrypted ones
 * is "not encrypted" even when another could not be read. */
static void
test_slaves_listing(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	tu_write(root, "proc/1/mountinfo",
	    "22 1 254:1 / / rw - ext4 /dev/mapper/vg-root rw\n"
	    "30 22 259:0 / /home rw - ext4 /dev/nvme1n1 rw\n");
	tu_write(root, "sys/dev/block/254:1/dm/uuid", "LVM-root\n");
	for (int i = 0; i < 65; i++) {
		char rel[96];
		snprintf(rel, sizeof(rel), "sys/dev/block/254:1/slaves/dm-%d", i);
		tu_write(root, rel, "");
	}
	tu_mkdirs(root, "sys/dev/block/259:0/slaves");
	run(root, &r);
	tu_assert_finding(&r, "/", V_UNKNOWN, "sysfs_unreadable");
	tu_assert_finding(&r, "/home", V_FAIL, "not_encrypted");
	result_free(&r);
	tu_rmroot(root);

	root = tu_mkroot();
	tu_write(root, "proc/1/mountinfo", "22 1 9:0 / / rw - ext4 /dev/md0 rw\n");
	tu_write(root, "sys/dev/block/9:0/slaves/dm-0", "");
	tu_write(root, "sys/dev/block/9:0/slaves/dm-1", "");
	tu_write(root, "sys/dev/block/9:0/slaves/sdc1", "");
	tu_write(root, "sys/class/block/dm-0/dm/uuid", "CRYPT-LUKS2-aa-md_a\n");
	tu_write(root, "sys/class/block/sdc1/partition", "1\n");
	run(root, &r);
	/* dm-1's folder is missing, but sdc1 is plain: no */
	tu_assert_finding(&r, "/", V_FAIL, "not_encrypted");
	result_free(&r);
	tu_write(root, "sys/class/block/sdc1/dm/uuid", "CRYPT-LUKS2-cc-md_c\n");
	run(root, &r);
	/* the rest encrypted, dm-1 unknown: unknown, not a pass */
	tu_assert_finding(&r, "/", V_UNKNOWN, "sysfs_unreadable");
	result_free(&r);
	tu_write(root, "sys/class/block/dm-1/dm/uuid", "CRYPT-LUKS2-bb-md_b\n");
	run(root, &r);
	tu_assert_finding(&r, "/", V_PASS, "encrypted");
	result_free(&r);
	tu_rmroot(root);
}

/* cryptsetup names each device-mapper device CRYPT-TYPE-…; only the types
 * that set up dm-crypt encrypt. dm-verity and dm-integrity only check the
 * data: what lies under them decides. */
static void
test_crypt_types(void **state)
{
	static const struct {
		const char *uuid;
		enum verdict v;
		const char *reason, *via;
	} cases[] = {
		{ "CRYPT-LUKS1-0123-root", V_PASS, "encrypted", "dm-crypt LUKS1" },
		{ "CRYPT-LUKS2-0123-root", V_PASS, "encrypted", "dm-crypt LUKS2" },
		{ "CRYPT-PLAIN-root", V_PASS, "encrypted", "dm-crypt PLAIN" },
		{ "CRYPT-LOOPAES-root", V_PASS, "encrypted", "dm-crypt LOOPAES" },
		{ "CRYPT-TCRYPT-root", V_PASS, "encrypted", "dm-crypt TCRYPT" },
		{ "CRYPT-BITLK-0123-root", V_PASS, "encrypted", "dm-crypt BITLK" },
		{ "CRYPT-VERITY-0123-root", V_FAIL, "not_encrypted", NULL },
		{ "CRYPT-INTEGRITY-root", V_FAIL, "not_encrypted", NULL },
		{ "CRYPT-LUKS2X-0123-root", V_UNKNOWN, "crypt_type_unknown", NULL },
		{ "CRYPT-", V_UNKNOWN, "crypt_type_unknown", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *root = tu_mkroot(), uuid[96];
		struct check_result r;
		const struct finding *f;

		tu_write(root, "proc/1/mountinfo", "22 1 254:0 / / rw - ext4 /dev/mapper/root rw\n");
		snprintf(uuid, sizeof(uuid), "%s\n", cases[i].uuid);
		tu_write(root, "sys/dev/block/254:0/dm/uuid", uuid);
		tu_write(root, "sys/dev/block/254:0/slaves/sda2", "");
		tu_write(root, "sys/class/block/sda2/partition", "2\n");
		run(root, &r);
		f = tu_finding(&r, "/");
		if (f == NULL || f->verdict != cases[i].v || strcmp(f->reason, cases[i].reason) != 0)
			fail_msg("%s: %s/%s, want %s/%s", cases[i].uuid,
			    f ? verdict_name(f->verdict) : "-", f && f->reason ? f->reason : "-",
			    verdict_name(cases[i].v), cases[i].reason);
		if (cases[i].via != NULL)
			assert_string_equal(ev_str(f, "via"), cases[i].via);
		assert_non_null(check_msg_text(&check_device_disk_encrypted, f->reason));
		result_free(&r);
		tu_rmroot(root);
	}
}

/* LUKS2 with authenticated encryption: the crypt device sits on a
 * dm-integrity one; the crypt device on top decides. */
static void
test_luks2_over_integrity(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	tu_write(root, "proc/1/mountinfo", "22 1 254:1 / / rw - ext4 /dev/mapper/root rw\n");
	tu_write(root, "sys/dev/block/254:1/dm/uuid", "CRYPT-LUKS2-0123-root\n");
	tu_write(root, "sys/dev/block/254:1/slaves/dm-0", "");
	tu_write(root, "sys/class/block/dm-0/dm/uuid", "CRYPT-SUBDEV-0123-root_dif\n");
	run(root, &r);
	tu_assert_finding(&r, "/", V_PASS, "encrypted");
	result_free(&r);
	tu_rmroot(root);
}

/* A stack deeper than mamori follows is unknown for that reason — it is
 * on a local disk, whatever the disk is. */
static void
test_stack_too_deep(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	tu_write(root, "proc/1/mountinfo", "22 1 254:20 / / rw - ext4 /dev/mapper/deep rw\n");
	tu_write(root, "sys/dev/block/254:20/dm/uuid", "LVM-top\n");
	tu_write(root, "sys/dev/block/254:20/slaves/dm-0", "");
	for (int i = 0; i < 12; i++) {
		char rel[96];
		snprintf(rel, sizeof(rel), "sys/class/block/dm-%d/dm/uuid", i);
		tu_write(root, rel, "LVM-layer\n");
		snprintf(rel, sizeof(rel), "sys/class/block/dm-%d/slaves/dm-%d", i, i + 1);
		tu_write(root, rel, "");
	}
	run(root, &r);
	tu_assert_finding(&r, "/", V_UNKNOWN, "stack_too_deep");
	result_free(&r);
	tu_rmroot(root);
}

/* A partition of an md array over LUKS devices is as encrypted as the
 * array: the partition's disk is found through /sys/block. */
static void
test_partition_of_md_over_luks(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	tu_write(root, "proc/1/mountinfo", "22 1 259:5 / / rw - ext4 /dev/md0p1 rw\n");
	tu_write(root, "sys/dev/block/259:5/partition", "1\n");
	tu_write(root, "sys/dev/block/259:5/uevent", "MAJOR=259\nMINOR=5\nDEVNAME=md0p1\nDEVTYPE=partition\n");
	tu_write(root, "sys/block/sda/sda1/partition", "1\n");
	tu_mkdirs(root, "sys/block/sda/slaves");
	tu_write(root, "sys/block/md0/md0p1/partition", "1\n");
	tu_write(root, "sys/block/md0/slaves/dm-0", "");
	tu_write(root, "sys/block/md0/slaves/dm-1", "");
	tu_write(root, "sys/class/block/dm-0/dm/uuid", "CRYPT-LUKS2-aa-a\n");
	tu_write(root, "sys/class/block/dm-1/dm/uuid", "CRYPT-LUKS2-bb-b\n");
	run(root, &r);
	tu_assert_finding(&r, "/", V_PASS, "encrypted");
	result_free(&r);
	tu_write(root, "sys/dev/block/259:5/uevent", "DEVNAME=sda1\n");
	run(root, &r);
	tu_assert_finding(&r, "/", V_FAIL, "not_encrypted");
	result_free(&r);
	tu_rmroot(root);
}

/* Fills the stack below the caller with "/home" strings starting every 8
 * bytes from shift: whatever the check then leaves uninitialised on its
 * stack reads as "/home" for one of the eight shifts. */
__attribute__((noinline)) static void
stain_stack(size_t shift)
{
	volatile char area[32768];

	for (size_t i = 0; i < sizeof(area); i++)
		area[i] = "/home\0\0\0"[(i + 8 - shift) % 8];
}

/* As tu_run, with the stack stained just before the check runs, from the
 * same frame, so the check's locals lie on the stain. */
static void
run_stained(const char *rootdir, size_t shift, struct check_result *r)
{
	struct people pp;
	struct policy p;
	struct root root;
	struct scan_ctx ctx;
	struct mm_err e;

	tu_policy(&p);
	memset(r, 0, sizeof(*r));
	assert_int_equal(root_open(&root, rootdir, 0, &e), 0);
	people_load(&pp, &root, &p);
	ctx.root = &root;
	ctx.policy = &p;
	ctx.people = &pp;
	ctx.now = 1795000000;
	stain_stack(shift);
	check_device_disk_encrypted.run(&ctx, r);
	root_close(&root);
	people_free(&pp);
	policy_free(&p);
}

/* mountinfo with /home but nothing covering / (a crafted tree): "/" is
 * unknown, /home is still judged on its own — never compared with the
 * mount of / that was not found (whatever the stack held there). */
static void
test_home_without_root(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	tu_write(root, "proc/1/mountinfo", "30 1 8:3 / /home rw - ext4 /dev/sda3 rw\n");
	tu_write(root, "sys/dev/block/8:3/partition", "3\n");
	for (size_t shift = 0; shift < 8; shift++) {
		run_stained(root, shift, &r);
		if (r.n != 2)
			fail_msg("stack stained at %zu: %zu findings, want 2", shift, r.n);
		tu_assert_finding(&r, "/", V_UNKNOWN, "parse_error");
		tu_assert_finding(&r, "/home", V_FAIL, "not_encrypted");
		result_free(&r);
	}
	tu_rmroot(root);
}

/* /etc/crypttab is evidence beside the kernel's answer, never the answer:
 * it names what was set up to open at boot, not what is open now. */
static void
test_crypttab_is_evidence(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;
	const struct finding *f;

	(void)state;
	tu_write(root, "proc/1/mountinfo",
	    "22 1 254:1 / / rw - ext4 /dev/mapper/vg-root rw\n"
	    "30 22 8:3 / /home rw - ext4 /dev/sda3 rw\n");
	tu_write(root, "sys/dev/block/254:1/dm/uuid", "LVM-abc\n");
	tu_write(root, "sys/dev/block/254:1/slaves/dm-0", "");
	tu_write(root, "sys/class/block/dm-0/dm/uuid", "CRYPT-LUKS2-0123-sda5_crypt\n");
	tu_write(root, "sys/class/block/dm-0/dm/name", "sda5_crypt\n");
	tu_write(root, "sys/dev/block/8:3/partition", "3\n");
	/* crypttab lists /home's partition too, but it is not open as such */
	tu_write(root, "etc/crypttab",
	    "# <target name> <source device> <key file> <options>\n"
	    "sda5_crypt UUID=4f1e-77 none luks,discard\n"
	    "home_crypt /dev/sda3 /etc/keys/home.key luks,noauto\n");
	run(root, &r);
	f = tu_finding(&r, "/");
	tu_assert_finding(&r, "/", V_PASS, "encrypted");
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "crypttab_entries")), 2);
	assert_string_equal(ev_str(f, "crypttab_name"), "sda5_crypt");
	f = tu_finding(&r, "/home");
	tu_assert_finding(&r, "/home", V_FAIL, "not_encrypted");
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "crypttab_entries")), 2);
	assert_null(json_object_get(f->evidence, "crypttab_name"));
	/* the key file named in crypttab is never reported */
	{
		char *dump = json_dumps(f->evidence, 0);
		assert_null(strstr(dump, "home.key"));
		free(dump);
	}
	result_free(&r);

	/* no crypttab: 0 entries; a crypttab that is a link: named, verdict kept */
	unlink_rel(root, "etc/crypttab");
	run(root, &r);
	f = tu_finding(&r, "/");
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "crypttab_entries")), 0);
	tu_assert_finding(&r, "/", V_PASS, "encrypted");
	result_free(&r);
	tu_write(root, "etc/real-crypttab", "sda5_crypt UUID=x none luks\n");
	link_rel(root, "/etc/real-crypttab", "etc/crypttab");
	run(root, &r);
	f = tu_finding(&r, "/home");
	tu_assert_finding(&r, "/home", V_FAIL, "not_encrypted");
	assert_string_equal(ev_str(f, "crypttab"), "file_symlink");
	result_free(&r);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_partition_fails),
		cmocka_unit_test(test_lvm_on_luks_passes_and_separate_home),
		cmocka_unit_test(test_btrfs_on_mapper_name),
		cmocka_unit_test(test_overlay_root_is_unknown),
		cmocka_unit_test(test_no_or_garbled_mountinfo_is_unknown),
		cmocka_unit_test(test_mountinfo_escapes_and_stacking),
		cmocka_unit_test(test_no_sys_is_unknown),
		cmocka_unit_test(test_slaves_listing),
		cmocka_unit_test(test_crypt_types),
		cmocka_unit_test(test_luks2_over_integrity),
		cmocka_unit_test(test_stack_too_deep),
		cmocka_unit_test(test_partition_of_md_over_luks),
		cmocka_unit_test(test_home_without_root),
		cmocka_unit_test(test_crypttab_is_evidence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
