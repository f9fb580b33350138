/* fuzz_device: what a report and an enrollment say of the machine — the
 * host name, the machine id (kept secret, only its keyed hash is sent)
 * and os-release — read by device_read from /etc under a scratch root, as
 * an image or a hand-edited file may hold them. The input is
 * NUL-separated: /etc/hostname, /etc/machine-id, /etc/os-release (absent
 * when the input stops before it).
 *
 * Invariants: every fact fits its field and holds no control character
 * (they go into JSON and onto the dashboard); the host name and the
 * secret hold no blank either; the public id is empty exactly when the
 * secret is, and otherwise 32 lower-case hex digits that are not the
 * secret itself. */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "platform/device.h"

static struct root root;

static void
cleanup(void)
{
	root_close(&root);
	scratch_remove();
}

static void
init(void)
{
	char path[128];
	struct mm_err e;

	scratch_make("fuzz_device");
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/etc", scratch);
	if (mkdir(path, 0755) != 0 || root_open(&root, scratch, ROOT_DEFAULT, &e) != 0)
		abort();
}

static void
text_ok(const char *s, size_t size, int blanks)
{
	if (memchr(s, '\0', size) == NULL)
		__builtin_trap();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || (!blanks && *s == ' '))
			__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const files[] = { "etc/hostname", "etc/machine-id", "etc/os-release" };
	const uint8_t *p = data, *end = data + size;
	struct device_facts d;
	char again[33];

	if (scratch[0] == '\0')
		init();
	for (size_t i = 0; i < 3; i++) {
		const uint8_t *nul = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;

		if (p > end || (p == end && i > 0)) {
			scratch_del(files[i]);
			continue;
		}
		scratch_put(files[i], p, (size_t)((nul ? nul : end) - p));
		p = nul ? nul + 1 : end + 1;
	}

	device_read(&d, &root, 0);
	text_ok(d.hostname, sizeof(d.hostname), 0);
	text_ok(d.machine_secret, sizeof(d.machine_secret), 0);
	text_ok(d.os_id, sizeof(d.os_id), 1);
	text_ok(d.os_version, sizeof(d.os_version), 1);
	text_ok(d.os_name, sizeof(d.os_name), 1);
	if ((d.machine_id[0] == '\0') != (d.machine_secret[0] == '\0'))
		__builtin_trap();
	if (d.machine_id[0] != '\0') {
		if (strlen(d.machine_id) != 32 || strcmp(d.machine_id, d.machine_secret) == 0)
			__builtin_trap();
		for (const char *s = d.machine_id; *s; s++)
			if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
				__builtin_trap();
	}
	device_public_id(d.machine_secret, again);
	if (strcmp(again, d.machine_id) != 0)
		__builtin_trap();
	return 0;
}
