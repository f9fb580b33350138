/* fuzz_removable: what media.removable_approved learns of attached storage
 * — the udev database entry of a USB disk (whose vendor, model and serial
 * strings come from the stick itself) and the sysfs attributes of the disk
 * and of an SD card (the card's manufacturer, OEM, serial and name come
 * from the card) — laid out under a scratch root as /sys/block/sdb,
 * /sys/block/mmcblk0 and /run/udev/data/b8:16, then listed by
 * removable_list. The input is NUL-separated: the udev entry, then sdb's
 * removable and size, then the card's type, manfid, oemid, serial and
 * name; a missing field takes a real device's value.
 *
 * Invariants: only sdb and mmcblk0 are listed, each once; every string
 * fits its field; the ids are lower case; a device is identified exactly
 * when it has both ids; a card is on bus "mmc" with strings free of
 * control characters (sysfs_attr drops them); a disk's strings hold none
 * but the tab and CR a udev entry may keep. */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "platform/removable.h"

static struct root root;

/* A SanDisk USB stick and a 32 GB SD card, as a live system shows them. */
static const char *const fields[] = {
	"run/udev/data/b8:16",
	"sys/block/sdb/removable",
	"sys/block/sdb/size",
	"sys/block/mmcblk0/device/type",
	"sys/block/mmcblk0/device/manfid",
	"sys/block/mmcblk0/device/oemid",
	"sys/block/mmcblk0/device/serial",
	"sys/block/mmcblk0/device/name",
};
static const char *const defaults[] = {
	"S:disk/by-id/usb-SanDisk_Cruzer_Blade_4C530001230308117214-0:0\n"
	"I:4095238\nE:ID_BUS=usb\nE:ID_USB_DRIVER=usb-storage\nE:ID_VENDOR=SanDisk\n"
	"E:ID_VENDOR_ID=0781\nE:ID_MODEL=Cruzer_Blade\nE:ID_MODEL_ID=5567\n"
	"E:ID_SERIAL_SHORT=4C530001230308117214\nG:systemd\n",
	"1\n",
	"31266816\n",
	"SD\n",
	"0x000003\n",
	"0x5344\n",
	"0x1a2b3c4d\n",
	"SC32G\n",
};

static void
cleanup(void)
{
	root_close(&root);
	scratch_remove();
}

static void
init(void)
{
	struct mm_err e;

	scratch_make("fuzz_removable");
	atexit(cleanup);
	scratch_mkdirs("run/udev/data");
	scratch_mkdirs("sys/block/sdb");
	scratch_mkdirs("sys/block/sda");
	scratch_mkdirs("sys/block/loop0");
	scratch_mkdirs("sys/block/mmcblk0/device");
	scratch_put("sys/block/sdb/dev", "8:16\n", 5);
	/* The system disk: not removable, nothing in udev says USB. */
	scratch_put("sys/block/sda/dev", "8:0\n", 4);
	scratch_put("sys/block/sda/removable", "0\n", 2);
	scratch_put("sys/block/sda/size", "500118192\n", 10);
	scratch_put("sys/block/loop0/removable", "1\n", 2);
	scratch_put("sys/block/mmcblk0/dev", "179:0\n", 6);
	scratch_put("sys/block/mmcblk0/removable", "0\n", 2);
	scratch_put("sys/block/mmcblk0/size", "62333952\n", 9);
	if (root_open(&root, scratch, ROOT_DEFAULT, &e) != 0)
		abort();
}

static void
no_controls(const char *s, int tab_cr)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 || *s == 0x7f) &&
		    !(tab_cr && (*s == '\t' || *s == '\r')))
			__builtin_trap();
}

static void
fits(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct removable_dev *v;
	struct mm_err e;
	const uint8_t *p = data, *end = data + size;
	size_t n;
	int seen_sdb = 0, seen_mmc = 0;

	if (scratch[0] == '\0')
		init();
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const uint8_t *nul = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;

		if (p >= end) {
			scratch_put(fields[i], defaults[i], strlen(defaults[i]));
			continue;
		}
		scratch_put(fields[i], p, (size_t)((nul ? nul : end) - p));
		p = nul ? nul + 1 : end;
	}

	err_clear(&e);
	if (removable_list(&root, &v, &n, &e) != 0)
		__builtin_trap();
	if (n > 2)
		__builtin_trap();
	for (size_t i = 0; i < n; i++) {
		const struct removable_dev *d = &v[i];
		int mmc = strcmp(d->name, "mmcblk0") == 0;

		if (mmc ? seen_mmc++ : (strcmp(d->name, "sdb") != 0 || seen_sdb++))
			__builtin_trap();
		fits(d->bus, sizeof(d->bus));
		fits(d->vendor_id, sizeof(d->vendor_id));
		fits(d->product_id, sizeof(d->product_id));
		fits(d->serial, sizeof(d->serial));
		fits(d->vendor, sizeof(d->vendor));
		fits(d->model, sizeof(d->model));
		for (const char *s = d->vendor_id; *s; s++)
			if (*s >= 'A' && *s <= 'Z')
				__builtin_trap();
		for (const char *s = d->product_id; *s; s++)
			if (*s >= 'A' && *s <= 'Z')
				__builtin_trap();
		if (d->identified != (d->vendor_id[0] != '\0' && d->product_id[0] != '\0'))
			__builtin_trap();
		if (mmc && strcmp(d->bus, "mmc") != 0)
			__builtin_trap();
		no_controls(d->serial, !mmc);
		no_controls(d->model, !mmc);
		no_controls(d->vendor, !mmc);
		no_controls(d->vendor_id, !mmc);
		no_controls(d->product_id, !mmc);
	}
	free(v);
	return 0;
}
