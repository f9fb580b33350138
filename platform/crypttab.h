/* crypttab: /etc/crypttab (crypttab(5)), the encrypted devices the system
 * sets up at boot. It says what the administrator meant to encrypt; what
 * is encrypted now is the kernel's to say (device-mapper uuids in sysfs),
 * so a check takes it as evidence, never as the answer. Only the names of
 * the devices and their noauto option are kept: the key file or password
 * field is skipped, never opened, never reported. */
#ifndef MAMORI_CRYPTTAB_H
#define MAMORI_CRYPTTAB_H

#include <stddef.h>
#include "common/err.h"
#include "platform/root.h"

#define CRYPTTAB_PATH		"/etc/crypttab"
#define CRYPTTAB_CAP		(64u << 10)	/* a real one is a few lines */
#define CRYPTTAB_MAX_ENTRIES	256
#define CRYPTTAB_NAME_MAX	128		/* a device-mapper name is < 128 */

struct crypttab_entry {
	char name[CRYPTTAB_NAME_MAX];	/* the mapping: /dev/mapper/NAME */
	int noauto;			/* "noauto" among the options */
};

struct crypttab {
	struct crypttab_entry *v;
	size_t n;		/* entries kept */
	size_t malformed;	/* lines systemd-cryptsetup-generator would
				 * refuse (fewer than 2 or more than 4 fields,
				 * a name too long for device-mapper) */
	int truncated;		/* more than CRYPTTAB_MAX_ENTRIES entries */
};

/* Parses crypttab text: one device per line, fields separated by blanks
 * (name, encrypted device, key, options), '#' comments. -1 with
 * parse_error when it is not text (a NUL or control byte), out_of_memory;
 * else 0 and out filled (free with crypttab_free). */
int crypttab_parse(const char *buf, size_t len, struct crypttab *out, struct mm_err *e);

/* Reads and parses /etc/crypttab under the root: FILE_ABSENT when there is
 * none (out is then empty), FILE_BAD with root_read_file's reasons or
 * parse_error. */
enum file_status crypttab_read(const struct root *r, struct crypttab *out, struct mm_err *e);

/* The entry named name, or NULL. */
const struct crypttab_entry *crypttab_find(const struct crypttab *ct, const char *name);

void crypttab_free(struct crypttab *ct);

#endif
