/* removable: which block devices are removable storage, and who they are.
 * The udev database holds the USB identity (the same properties libudev
 * returns, so libudev would add nothing for these facts); sysfs holds the
 * kernel's removable flag, the size (0: a card reader with no card) and,
 * for SD cards, the card's own manufacturer, OEM and serial. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform/removable.h"
#include "platform/sysfs.h"
#include "platform/udevdb.h"

#define MAX_BLOCK_DEVICES 1024

/* Block devices that are never removable storage: virtual devices, and
 * optical drives, whose disc has no identity to approve. */
static int
skipped(const char *name)
{
	static const char *const pre[] = { "loop", "ram", "zram", "dm-", "md", "sr",
	    "nbd", "zd", "fd", NULL };

	for (int i = 0; pre[i] != NULL; i++)
		if (strncmp(name, pre[i], strlen(pre[i])) == 0)
			return 1;
	return 0;
}

static void
copy_lower(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; src != NULL && src[i] && i + 1 < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

/* "0x000003" → "0003": the last four hex digits, as USB ids are written. */
static void
last4(char *dst, const char *src)
{
	size_t l = strlen(src);

	copy_lower(dst, 8, l > 4 ? src + l - 4 : src);
}

static void
attr(const struct root *r, const char *name, const char *leaf, char *out, size_t n)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/block/%s/%s", name, leaf);
	if (sysfs_attr(r, path, out, n, NULL) != FILE_OK)
		out[0] = '\0';
}

static void
set(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

int
removable_list(const struct root *r, struct removable_dev **out, size_t *n,
    struct mm_err *e)
{
	struct removable_dev *v;
	enum file_status s;
	char **names;
	size_t nn, cnt = 0;

	*out = NULL;
	*n = 0;
	s = sysfs_list(r, "/sys/block", MAX_BLOCK_DEVICES, &names, &nn, e);
	if (s == FILE_ABSENT) {
		err_set(e, "no_device_information",
		    "/sys/block does not exist under the root; attached devices cannot be listed");
		return -1;
	}
	if (s != FILE_OK)
		return -1;
	v = calloc(nn + 1, sizeof(*v));
	if (v == NULL) {
		root_free_names(names, nn);
		err_set(e, "out_of_memory", "out of memory listing devices");
		return -1;
	}
	for (size_t i = 0; i < nn; i++) {
		char rem[8], size[32], dev[32], type[16], path[96];
		struct removable_dev *d = &v[cnt];
		struct udevdb db = { NULL, 0 };
		const char *bus, *drv;
		char *buf;
		size_t len;
		int sd = 0;

		if (skipped(names[i]) || strlen(names[i]) >= sizeof(d->name))
			continue;
		attr(r, names[i], "removable", rem, sizeof(rem));
		attr(r, names[i], "size", size, sizeof(size));
		attr(r, names[i], "dev", dev, sizeof(dev));
		if (strcmp(size, "0") == 0)
			continue;	/* a reader with no medium in it */
		snprintf(path, sizeof(path), "/run/udev/data/b%s", dev);
		if (dev[0] && root_read_file(r, path, 65536, &buf, &len, NULL) == FILE_OK) {
			if (udevdb_parse(buf, len, &db, NULL) == -1)
				memset(&db, 0, sizeof(db));
			free(buf);
		}
		bus = udevdb_get(&db, "ID_BUS");
		drv = udevdb_get(&db, "ID_USB_DRIVER");
		if (strncmp(names[i], "mmcblk", 6) == 0) {
			attr(r, names[i], "device/type", type, sizeof(type));
			sd = strcmp(type, "SD") == 0;
			if (!sd) {	/* soldered-in eMMC is the system disk */
				udevdb_free(&db);
				continue;
			}
		}
		if (!sd && strcmp(rem, "1") != 0 && !(bus && strcmp(bus, "usb") == 0) &&
		    !(drv && (strcmp(drv, "usb-storage") == 0 || strcmp(drv, "uas") == 0))) {
			udevdb_free(&db);
			continue;
		}
		set(d->name, sizeof(d->name), names[i]);
		set(d->bus, sizeof(d->bus), sd ? "mmc" : bus);
		if (sd) {
			char raw[64];
			attr(r, names[i], "device/manfid", raw, sizeof(raw));
			last4(d->vendor_id, raw);
			attr(r, names[i], "device/oemid", raw, sizeof(raw));
			last4(d->product_id, raw);
			attr(r, names[i], "device/serial", d->serial, sizeof(d->serial));
			attr(r, names[i], "device/name", d->model, sizeof(d->model));
		} else {
			copy_lower(d->vendor_id, sizeof(d->vendor_id), udevdb_get(&db, "ID_VENDOR_ID"));
			copy_lower(d->product_id, sizeof(d->product_id), udevdb_get(&db, "ID_MODEL_ID"));
			set(d->serial, sizeof(d->serial), udevdb_get(&db, "ID_SERIAL_SHORT"));
			set(d->vendor, sizeof(d->vendor), udevdb_get(&db, "ID_VENDOR"));
			set(d->model, sizeof(d->model), udevdb_get(&db, "ID_MODEL"));
		}
		d->identified = d->vendor_id[0] != '\0' && d->product_id[0] != '\0';
		udevdb_free(&db);
		cnt++;
	}
	root_free_names(names, nn);
	*out = v;
	*n = cnt;
	return 0;
}
