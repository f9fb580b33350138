/* fuzz_coll_config: collector.conf as an operator (or a broken editor)
 * may write it. Whatever the bytes, parsing either fails with a message
 * that names the file, or yields settings inside their documented bounds:
 * TLS both or neither, plain HTTP only on loopback. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "server-stub/config.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct coll_config c;
	struct mm_err e;
	unsigned char addr[16];

	config_defaults(&c);
	err_clear(&e);
	if (config_parse_buf(&c, (const char *)data, size, "fuzz.conf", &e) == 0) {
		if (c.port > 65535 || c.max_report_bytes < 1024 || c.max_report_bytes > (256u << 20) ||
		    c.max_enroll_bytes < 1024 || c.max_enroll_bytes > (1u << 20) || c.threads > 64 ||
		    c.commit_batch_max < 1 || c.commit_batch_max > 10000 ||
		    c.max_connections < 16 || c.connection_timeout < 1 ||
		    (c.tls_cert[0] == '\0') != (c.tls_key[0] == '\0') || c.database[0] == '\0' ||
		    (inet_pton(AF_INET, c.listen, addr) != 1 && inet_pton(AF_INET6, c.listen, addr) != 1) ||
		    (c.tls_cert[0] == '\0' && !config_listen_is_loopback(c.listen)))
			__builtin_trap();
	} else if (e.reason == NULL || strncmp(e.msg, "fuzz.conf", 9) != 0) {
		__builtin_trap();
	}
	return 0;
}
