/* notify-recorder: a freedesktop notification server for tests. It owns
 * org.freedesktop.Notifications on the session bus and appends every
 * notification it receives to a file, one JSON object per line
 * ({"app", "replaces_id", "icon", "summary", "body", "urgency", "timeout"}),
 * answering with increasing ids as a real server does.
 * Usage: notify-recorder FILE   (prints "ready" on stdout once it owns the name) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <systemd/sd-bus.h>

static const char *out_path;
static uint32_t next_id = 1;

static int
method_notify(sd_bus_message *m, void *data, sd_bus_error *err)
{
	const char *app, *icon, *summary, *body;
	uint32_t replaces;
	int32_t timeout;
	int urgency = -1, r;
	json_t *o;
	FILE *f;

	(void)data;
	(void)err;
	if ((r = sd_bus_message_read(m, "susss", &app, &replaces, &icon, &summary, &body)) < 0 ||
	    (r = sd_bus_message_skip(m, "as")) < 0 ||
	    (r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const char *key;
		if ((r = sd_bus_message_read(m, "s", &key)) < 0)
			return r;
		if (strcmp(key, "urgency") == 0) {
			uint8_t u;
			if ((r = sd_bus_message_read(m, "v", "y", &u)) < 0)
				return r;
			urgency = u;
		} else if ((r = sd_bus_message_skip(m, "v")) < 0) {
			return r;
		}
		if ((r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0 ||
	    (r = sd_bus_message_read(m, "i", &timeout)) < 0)
		return r;
	o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:i, s:i}", "app", app,
	    "replaces_id", (json_int_t)replaces, "icon", icon, "summary", summary,
	    "body", body, "urgency", urgency, "timeout", timeout);
	if ((f = fopen(out_path, "a")) != NULL) {
		json_dumpf(o, f, JSON_COMPACT);
		fputc('\n', f);
		fclose(f);
	}
	json_decref(o);
	return sd_bus_reply_method_return(m, "u", replaces ? replaces : next_id++);
}

static int
method_caps(sd_bus_message *m, void *data, sd_bus_error *err)
{
	(void)data;
	(void)err;
	return sd_bus_reply_method_return(m, "as", 1, "body");
}

static int
method_info(sd_bus_message *m, void *data, sd_bus_error *err)
{
	(void)data;
	(void)err;
	return sd_bus_reply_method_return(m, "ssss", "notify-recorder", "mamori tests", "1",
	    "1.2");
}

static int
method_close(sd_bus_message *m, void *data, sd_bus_error *err)
{
	(void)data;
	(void)err;
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("Notify", "susssasa{sv}i", "u", method_notify, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("GetCapabilities", "", "as", method_caps, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("GetServerInformation", "", "ssss", method_info, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("CloseNotification", "u", "", method_close, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

int
main(int argc, char **argv)
{
	sd_bus_slot *slot = NULL;
	sd_bus *bus = NULL;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: notify-recorder FILE\n");
		return 2;
	}
	out_path = argv[1];
	if ((r = sd_bus_open_user(&bus)) < 0 ||
	    (r = sd_bus_add_object_vtable(bus, &slot, "/org/freedesktop/Notifications",
	    "org.freedesktop.Notifications", vtable, NULL)) < 0 ||
	    (r = sd_bus_request_name(bus, "org.freedesktop.Notifications", 0)) < 0) {
		fprintf(stderr, "notify-recorder: %s\n", strerror(-r));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		if ((r = sd_bus_process(bus, NULL)) < 0)
			break;
		if (r > 0)
			continue;
		if ((r = sd_bus_wait(bus, UINT64_MAX)) < 0)
			break;
	}
	sd_bus_slot_unref(slot);
	sd_bus_unref(bus);
	return r < 0 ? 1 : 0;
}
