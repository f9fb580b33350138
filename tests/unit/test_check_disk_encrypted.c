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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
