/* device: what identifies the machine in a report — host name, operating
 * system (os-release) and machine-id — read under the root like
 * everything else, so a fixture tree describes itself. */
#ifndef MAMORI_DEVICE_H
#define MAMORI_DEVICE_H

#include <stddef.h>
#include "platform/root.h"

struct device_facts {
	char hostname[256];
	char os_id[64];
	char os_version[64];
	char os_name[128];
	/* What the report carries: HMAC-SHA256("mamori.device/1") keyed with
	 * /etc/machine-id, 32 hex digits. systemd asks programs not to send the
	 * machine-id itself, and the raw id stays a secret of this PC: it keys
	 * the account pseudonyms, which would be reversible if the key
	 * travelled with them. */
	char machine_id[33];
	char machine_secret[33];	/* /etc/machine-id; never leaves the PC */
};

/* Fills what it can; a missing fact is an empty string. On the live root
 * ("/") the host name falls back to uname(2) when /etc/hostname is absent. */
void device_read(struct device_facts *d, const struct root *r, int live);

/* The id a report carries for MACHINE_SECRET (see machine_id above);
 * empty when the secret is empty. */
void device_public_id(const char *machine_secret, char out[33]);

/* os-release "KEY=value" lookup with shell quoting removed; 0 if found. */
int osrelease_get(const char *buf, size_t len, const char *key, char *out,
    size_t outlen);

#endif
