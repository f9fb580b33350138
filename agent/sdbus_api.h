/* sdbus_api: libsystemd's sd-bus, loaded when `mamori notify` starts
 * (common/dynlib.h), so that the daemon and a scan never map it. Types
 * and constants still come from <systemd/sd-bus.h>; calls go through the
 * table: sd->bus_call(bus, m, usec, &err, &reply). A member is the
 * function's name without "sd_", as in the other tables. (mamori-watchd
 * speaks sd_notify's datagram itself and needs none of this.) */
#ifndef MAMORI_SDBUS_API_H
#define MAMORI_SDBUS_API_H

#include <systemd/sd-bus.h>
#include "common/err.h"

#define SDBUS_API_SONAME	"libsystemd.so.0"
#define SDBUS_API_PACKAGE	"libsystemd0"

/* Every sd-bus function mamori calls: X(symbol, member). */
#define SDBUS_API_SYMBOLS(X) \
	X(sd_bus_open_user, bus_open_user) \
	X(sd_bus_message_new_method_call, bus_message_new_method_call) \
	X(sd_bus_message_append, bus_message_append) \
	X(sd_bus_call, bus_call) \
	X(sd_bus_message_read, bus_message_read) \
	X(sd_bus_message_unref, bus_message_unref) \
	X(sd_bus_error_free, bus_error_free) \
	X(sd_bus_flush_close_unref, bus_flush_close_unref)

/* Pointers of the header's own types: bus_message_append and
 * bus_message_read stay variadic, as the functions are. */
struct sdbus_api {
#define SDBUS_API_MEMBER(sym, member) __typeof__(sym) *member;
	SDBUS_API_SYMBOLS(SDBUS_API_MEMBER)
#undef SDBUS_API_MEMBER
};

/* Loads libsystemd.so.0. NULL with reason library_missing:
 * "libsystemd.so.0 could not be loaded: … (install libsystemd0)". */
const struct sdbus_api *sdbus_api_load(struct mm_err *e);

#endif
