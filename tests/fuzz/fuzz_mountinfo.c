/* Fuzz target: /proc/PID/mountinfo (platform/mountinfo.c). */
#include <stddef.h>
#include <stdint.h>
#include "platform/mountinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mount_entry m;
	struct mm_err e;

	(void)mountinfo_find((const char *)data, size, "/", &m, &e);
	(void)mountinfo_find((const char *)data, size, "/home", &m, &e);
	return 0;
}
