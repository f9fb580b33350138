/* media.removable_approved against sysfs and udev trees written by hand,
 * shaped like a real Debian 12 machine's (/sys/block/NAME attributes,
 * /run/udev/data/bMAJ:MIN entries). */
#include "testutil.h"

extern const struct check_def check_media_removable_approved;

static const time_t NOW = 1795000000;

static void
usb_stick(const char *root, const char *name, const char *dev, const char *vid,
    const char *pid, const char *serial)
{
	char p[256], db[512];

	snprintf(p, sizeof(p), "sys/block/%s/removable", name);
	tu_write(root, p, "1\n");
	snprintf(p, sizeof(p), "sys/block/%s/size", name);
	tu_write(root, p, "60063744\n");
	snprintf(p, sizeof(p), "sys/block/%s/dev", name);
	snprintf(db, sizeof(db), "%s\n", dev);
	tu_write(root, p, db);
	snprintf(p, sizeof(p), "run/udev/data/b%s", dev);
	snprintf(db, sizeof(db),
	    "S:disk/by-id/usb-SanDisk_Ultra_%s-0:0\nW:3\nI:123456\n"
	    "E:ID_BUS=usb\nE:ID_USB_DRIVER=usb-storage\nE:ID_VENDOR=SanDisk\n"
	    "E:ID_VENDOR_ID=%s\nE:ID_MODEL=Ultra\nE:ID_MODEL_ID=%s\n"
	    "E:ID_SERIAL_SHORT=%s\nG:systemd\n", serial, vid, pid, serial);
	tu_write(root, p, db);
}

static void
internal_disk(const char *root)
{
	tu_write(root, "sys/block/nvme0n1/removable", "0\n");
	tu_write(root, "sys/block/nvme0n1/size", "1000215216\n");
	tu_write(root, "sys/block/nvme0n1/dev", "259:0\n");
	tu_write(root, "run/udev/data/b259:0", "E:ID_BUS=nvme\nE:ID_MODEL=Samsung SSD\n");
	tu_write(root, "sys/block/loop0/removable", "0\n");
	tu_write(root, "sys/block/loop0/size", "8\n");
}

static void
run(const char *root, const char *policy_json, struct check_result *r)
{
	struct policy_known k = scan_known_checks();
	struct people pp;
	struct policy p;
	struct mm_err e;

	if (policy_json != NULL)
		assert_int_equal(policy_load_buf(&p, policy_json, strlen(policy_json), "t", &k, &e), 0);
	else
		tu_policy(&p);
	tu_run(&check_media_removable_approved, root, &p, NOW, r, &pp);
	people_free(&pp);
	policy_free(&p);
}

static void
test_nothing_attached_passes(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	internal_disk(root);
	run(root, NULL, &r);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "system", V_PASS, "none_attached");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_unapproved_stick_fails_with_identity(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;
	const struct finding *f;

	(void)state;
	internal_disk(root);
	usb_stick(root, "sdb", "8:16", "0781", "5581", "4C530001");
	run(root, NULL, &r);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "sdb", V_FAIL, "not_approved");
	f = tu_finding(&r, "sdb");
	assert_string_equal(json_string_value(json_object_get(f->evidence, "vendor_id")), "0781");
	assert_string_equal(json_string_value(json_object_get(f->evidence, "product_id")), "5581");
	assert_string_equal(json_string_value(json_object_get(f->evidence, "serial")), "4C530001");
	assert_string_equal(f->remediation, "remove_device");
	assert_int_equal(result_verdict(&r), V_FAIL);
	result_free(&r);
	tu_rmroot(root);
}

static void
test_approved_by_serial_and_by_model(void **state)
{
	static const char pol[] =
	    "{\"removable\": {\"approved\": ["
	    "{\"vendor_id\": \"0781\", \"product_id\": \"5581\", \"serial\": \"4C530001\", \"label\": \"事務用USB 1\"},"
	    "{\"vendor_id\": \"090C\", \"product_id\": \"1000\", \"label\": \"受付のカードリーダー\"}]}}";
	char *root = tu_mkroot();
	struct check_result r;
	const struct finding *f;

	(void)state;
	usb_stick(root, "sdb", "8:16", "0781", "5581", "4C530001");
	usb_stick(root, "sdc", "8:32", "0781", "5581", "OTHER999");	/* same model, other stick */
	usb_stick(root, "sdd", "8:48", "090c", "1000", "AA");		/* model approved, any serial */
	run(root, pol, &r);
	tu_assert_finding(&r, "sdb", V_PASS, "approved");
	f = tu_finding(&r, "sdb");
	assert_string_equal(json_string_value(json_object_get(f->evidence, "label")), "事務用USB 1");
	tu_assert_finding(&r, "sdc", V_FAIL, "not_approved");
	tu_assert_finding(&r, "sdd", V_PASS, "approved");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_empty_card_reader_is_not_storage(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	usb_stick(root, "sdb", "8:16", "0bda", "0158", "X");
	tu_write(root, "sys/block/sdb/size", "0\n");
	run(root, NULL, &r);
	tu_assert_finding(&r, "system", V_PASS, "none_attached");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_sd_card_and_emmc(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;
	const struct finding *f;

	(void)state;
	tu_write(root, "sys/block/mmcblk0/removable", "0\n");
	tu_write(root, "sys/block/mmcblk0/size", "61067264\n");
	tu_write(root, "sys/block/mmcblk0/dev", "179:0\n");
	tu_write(root, "sys/block/mmcblk0/device/type", "MMC\n");	/* soldered eMMC */
	tu_write(root, "sys/block/mmcblk1/removable", "0\n");
	tu_write(root, "sys/block/mmcblk1/size", "30318592\n");
	tu_write(root, "sys/block/mmcblk1/dev", "179:8\n");
	tu_write(root, "sys/block/mmcblk1/device/type", "SD\n");
	tu_write(root, "sys/block/mmcblk1/device/manfid", "0x000003\n");
	tu_write(root, "sys/block/mmcblk1/device/oemid", "0x5344\n");
	tu_write(root, "sys/block/mmcblk1/device/serial", "0x1234abcd\n");
	run(root, NULL, &r);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "mmcblk1", V_FAIL, "not_approved");
	f = tu_finding(&r, "mmcblk1");
	assert_string_equal(json_string_value(json_object_get(f->evidence, "bus")), "mmc");
	assert_string_equal(json_string_value(json_object_get(f->evidence, "vendor_id")), "0003");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_unidentified_device_is_unknown(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	tu_write(root, "sys/block/sdb/removable", "1\n");
	tu_write(root, "sys/block/sdb/size", "100\n");
	tu_write(root, "sys/block/sdb/dev", "8:16\n");
	run(root, NULL, &r);	/* no udev entry: who it is cannot be known */
	tu_assert_finding(&r, "sdb", V_UNKNOWN, "unidentified");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_no_sysfs_is_unknown(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;

	(void)state;
	run(root, NULL, &r);
	tu_assert_finding(&r, "system", V_UNKNOWN, "no_device_information");
	assert_non_null(check_msg_text(&check_media_removable_approved, r.f[0].reason));
	result_free(&r);
	tu_rmroot(root);
}

static void
test_hostile_udev_entry(void **state)
{
	char *root = tu_mkroot();
	struct check_result r;
	char path[4200];

	(void)state;
	usb_stick(root, "sdb", "8:16", "0781", "5581", "S");
	/* a symlink in place of the udev entry: not followed, device unidentified */
	snprintf(path, sizeof(path), "%s/run/udev/data/b8:16", root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/etc/shadow", path), 0);
	run(root, NULL, &r);
	tu_assert_finding(&r, "sdb", V_UNKNOWN, "unidentified");
	result_free(&r);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_attached_passes),
		cmocka_unit_test(test_unapproved_stick_fails_with_identity),
		cmocka_unit_test(test_approved_by_serial_and_by_model),
		cmocka_unit_test(test_empty_card_reader_is_not_storage),
		cmocka_unit_test(test_sd_card_and_emmc),
		cmocka_unit_test(test_unidentified_device_is_unknown),
		cmocka_unit_test(test_no_sysfs_is_unknown),
		cmocka_unit_test(test_hostile_udev_entry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
