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
	char machine_id[33];
};

/* Fills what it can; a missing fact is an empty string. On the live root
 * ("/") the host name falls back to uname(2) when /etc/hostname is absent. */
void device_read(struct device_facts *d, const struct root *r, int live);

/* os-release "KEY=value" lookup with shell quoting removed; 0 if found. */
int osrelease_get(const char *buf, size_t len, const char *key, char *out,
    size_t outlen);

#endif
