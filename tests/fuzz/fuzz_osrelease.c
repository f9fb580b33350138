/* fuzz_osrelease: os-release lookups into small buffers. What comes out
 * goes on the dashboard: it must fit and hold no control bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/device.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "ID", "VERSION_ID", "PRETTY_NAME", "NAME" };
	static const size_t sizes[] = { 1, 2, 8, 64 };
	char *b = malloc(size ? size : 1);

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			char *out = malloc(sizes[s]);
			if (out == NULL)
				abort();
			if (osrelease_get(b, size, keys[i], out, sizes[s]) == 0) {
				size_t n = strnlen(out, sizes[s]);
				if (n >= sizes[s])
					__builtin_trap();
				for (size_t k = 0; k < n; k++)
					if ((unsigned char)out[k] < 0x20 || out[k] == 0x7f)
						__builtin_trap();
			}
			free(out);
		}
	free(b);
	return 0;
}
