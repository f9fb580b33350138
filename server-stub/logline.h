/* logline: the collector's log, one line per event on stderr (the
 * journal under systemd). Lines say what the operator needs to act —
 * which device, which reason — and never carry report contents. */
#ifndef MAMORI_COLL_LOGLINE_H
#define MAMORI_COLL_LOGLINE_H

#include <stddef.h>

void logline(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Copies text a client sent (a device id, a host name) for a log line:
 * at most outlen - 1 bytes, anything but printable ASCII as '?', so that a
 * client cannot forge log lines. */
void logline_clean(char *out, size_t outlen, const char *in);

#endif
