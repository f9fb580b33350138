/* fuzz_xfce_lock: whether XFCE locks an idle session, from the files
 * xfconfd merges for one person — the system's xfce4-screensaver channel
 * in /etc/xdg, /etc/group (for locked="@group" lists) and the person's own
 * channel in ~/.config — put under a scratch root and read by
 * idle_lock_xfce. The first byte picks the file the rest replaces ('s' the
 * system channel, 'u' the person's, 'g' /etc/group; any other by value);
 * the other two are the fixed ones below, in which the system locks the
 * idle delay at 10 minutes for the group staff, which sato is in.
 *
 * Invariants: an answer names one of the two channel files or "default";
 * a lock comes with xfce4-screensaver's clamped delays, (1..480 + 0..480)
 * whole minutes; no lock, no delay; when only the person's file varies,
 * the system's locked 10 minutes hold; a refusal says why. */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "platform/xfce_lock.h"

#define CHANNEL "xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml"
#define SYSTEM_REL "etc/xdg/" CHANNEL
#define USER_REL "home/sato/.config/" CHANNEL
#define GROUP_REL "etc/group"

static const char system_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<channel name=\"xfce4-screensaver\" version=\"1.0\">\n"
    "  <property name=\"saver\" type=\"empty\">\n"
    "    <property name=\"idle-activation\" type=\"empty\">\n"
    "      <property name=\"delay\" type=\"int\" value=\"10\" locked=\"@staff\"/>\n"
    "    </property>\n"
    "  </property>\n"
    "  <property name=\"lock\" type=\"empty\">\n"
    "    <property name=\"enabled\" type=\"bool\" value=\"true\" locked=\"@staff;root\"/>\n"
    "  </property>\n"
    "</channel>\n";
static const char user_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<channel name=\"xfce4-screensaver\" version=\"1.0\">\n"
    "  <property name=\"saver\" type=\"empty\">\n"
    "    <property name=\"idle-activation\" type=\"empty\">\n"
    "      <property name=\"delay\" type=\"int\" value=\"60\"/>\n"
    "    </property>\n"
    "  </property>\n"
    "  <property name=\"lock\" type=\"empty\">\n"
    "    <property name=\"saver-activation\" type=\"empty\">\n"
    "      <property name=\"delay\" type=\"int\" value=\"5\"/>\n"
    "    </property>\n"
    "  </property>\n"
    "</channel>\n";
static const char group_txt[] =
    "root:x:0:\nsudo:x:27:sato\nstaff:x:50:suzuki,sato\nusers:x:100:\nsato:x:1000:\n";

static struct root root;
static const struct person sato = { "sato", 1000, "/home/sato", PW_SET, 1, 19990, 60 };

static void
cleanup(void)
{
	root_close(&root);
	scratch_remove();
}

static void
init(void)
{
	struct mm_err e;

	scratch_make("fuzz_xfce_lock");
	atexit(cleanup);
	scratch_mkdirs("usr/bin");
	scratch_mkdirs("etc/xdg/xfce4/xfconf/xfce-perchannel-xml");
	scratch_mkdirs("home/sato/.config/xfce4/xfconf/xfce-perchannel-xml");
	scratch_put("usr/bin/xfce4-screensaver", "\x7f" "ELF", 4);
	if (root_open(&root, scratch, ROOT_DEFAULT, &e) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idle_lock il;
	struct mm_err e;
	int which;

	if (scratch[0] == '\0')
		init();
	if (size == 0)
		return 0;
	which = data[0] == 's' ? 0 : data[0] == 'u' ? 1 : data[0] == 'g' ? 2 : data[0] % 3;
	data++;
	size--;
	if (which == 0)
		scratch_put(SYSTEM_REL, data, size);
	else
		scratch_put(SYSTEM_REL, system_xml, sizeof(system_xml) - 1);
	if (which == 1)
		scratch_put(USER_REL, data, size);
	else
		scratch_put(USER_REL, user_xml, sizeof(user_xml) - 1);
	if (which == 2)
		scratch_put(GROUP_REL, data, size);
	else
		scratch_put(GROUP_REL, group_txt, sizeof(group_txt) - 1);

	err_clear(&e);
	if (idle_lock_xfce(&root, &sato, &il, &e) == 0) {
		if (strcmp(il.source, "/etc/xdg/" CHANNEL) != 0 &&
		    strcmp(il.source, "~/.config/" CHANNEL) != 0 && strcmp(il.source, "default") != 0)
			__builtin_trap();
		if ((il.locks != 0 && il.locks != 1) ||
		    (il.locked_by_admin != 0 && il.locked_by_admin != 1))
			__builtin_trap();
		if (il.locks && (il.lock_after_s < 60 || il.lock_after_s > 960 * 60 ||
		    il.lock_after_s % 60 != 0))
			__builtin_trap();
		if (!il.locks && il.lock_after_s != 0)
			__builtin_trap();
		/* The person's file cannot move what the system locked for them. */
		if (which == 1 && il.locks &&
		    (il.lock_after_s < 10 * 60 || il.lock_after_s > (10 + 480) * 60))
			__builtin_trap();
	} else if (e.reason == NULL || e.msg[0] == '\0') {
		__builtin_trap();
	}
	return 0;
}
