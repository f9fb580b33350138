/* Fuzz target: udev database entries (platform/udevdb.c). */
#include <stddef.h>
#include <stdint.h>
#include "platform/udevdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct udevdb db;
	struct mm_err e;

	if (udevdb_parse((const char *)data, size, &db, &e) == 0) {
		(void)udevdb_get(&db, "ID_VENDOR_ID");
		(void)udevdb_get(&db, "ID_SERIAL_SHORT");
		udevdb_free(&db);
	}
	return 0;
}
