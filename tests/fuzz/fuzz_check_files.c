/* fuzz_check_files: the files that two checks parse themselves rather than
 * through a platform/ reader — systemd getty units and their drop-ins
 * (ExecStart= lines split as systemd splits them, agetty's options as
 * getopt_long reads them), GDM's and SDDM's settings, read by
 * account.no_autologin; desktop session files, read by screen.lock to
 * learn which desktops are installed. The first byte picks the file the
 * rest becomes under a scratch root where GDM, LightDM, SDDM and getty are
 * installed:
 *   'd' /etc/systemd/system/getty@tty1.service.d/autologin.conf
 *   'u' /etc/systemd/system/getty@.service
 *   'g' /etc/gdm3/custom.conf
 *   's' /etc/sddm.conf
 *   'x' /usr/share/xsessions/fuzz.desktop
 *   'w' /usr/share/wayland-sessions/fuzz.desktop
 * (any other byte by value); the check that reads it then runs in full.
 *
 * Invariants: every finding has a subject and a verdict; every reason and
 * remediation key has a message to show (a key without one would reach a
 * person as a bare key); evidence is an object; nothing leaks. */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "agent/scan.h"
#include "checks/check.h"

static const struct {
	char key;
	const char *check;
	const char *rel;
} files[] = {
	{ 'd', "account.no_autologin", "etc/systemd/system/getty@tty1.service.d/autologin.conf" },
	{ 'u', "account.no_autologin", "etc/systemd/system/getty@.service" },
	{ 'g', "account.no_autologin", "etc/gdm3/custom.conf" },
	{ 's', "account.no_autologin", "etc/sddm.conf" },
	{ 'x', "screen.lock", "usr/share/xsessions/fuzz.desktop" },
	{ 'w', "screen.lock", "usr/share/wayland-sessions/fuzz.desktop" },
};
#define N_FILES (sizeof(files) / sizeof(files[0]))

static const char passwd[] =
    "root:x:0:0:root:/root:/bin/bash\n"
    "sato:x:1000:1000:Sato Hanako,,,:/home/sato:/bin/bash\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
static const char shadow[] =
    "root:*:19990:0:99999:7:::\n"
    "sato:$y$j9T$abcdefghijklmnopqrstu.$0123456789abcdefghijklmnopqrstuvwxyzABCDE:19990:0:60:7:::\n"
    "nobody:*:19990:0:99999:7:::\n";

static struct root root;
static struct policy pol;
static struct people people;

static void
cleanup(void)
{
	root_close(&root);
	people_free(&people);
	policy_free(&pol);
	scratch_remove();
}

static void
init(void)
{
	static const char getty[] =
	    "[Unit]\nDescription=Getty on %I\n\n[Service]\n"
	    "ExecStart=-/sbin/agetty -o '-p -- \\\\u' --noclear - $TERM\nType=idle\n";
	struct policy_known k = scan_known_checks();
	struct mm_err e;

	scratch_make("fuzz_check_files");
	atexit(cleanup);
	scratch_mkdirs("etc/systemd/system/getty@tty1.service.d");
	scratch_mkdirs("lib/systemd/system");
	scratch_mkdirs("etc/gdm3");
	scratch_mkdirs("usr/sbin");
	scratch_mkdirs("usr/bin");
	scratch_mkdirs("sbin");
	scratch_mkdirs("usr/share/xsessions");
	scratch_mkdirs("usr/share/wayland-sessions");
	scratch_mkdirs("home/sato");
	scratch_put("lib/systemd/system/getty@.service", getty, sizeof(getty) - 1);
	scratch_put("usr/sbin/gdm3", "\x7f" "ELF", 4);
	scratch_put("usr/sbin/lightdm", "\x7f" "ELF", 4);
	scratch_put("usr/bin/sddm", "\x7f" "ELF", 4);
	scratch_put("sbin/agetty", "\x7f" "ELF", 4);
	scratch_put("usr/bin/gnome-session", "\x7f" "ELF", 4);
	if (root_open(&root, scratch, ROOT_DEFAULT, &e) != 0 ||
	    policy_load_buf(&pol, NULL, 0, NULL, &k, &e) != 0)
		abort();
	people_from_buffers(&people, passwd, sizeof(passwd) - 1, shadow, sizeof(shadow) - 1, &pol);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct check_def *def;
	struct check_result res;
	struct scan_ctx ctx;
	struct scan_facts facts;
	size_t w;

	if (scratch[0] == '\0')
		init();
	if (size == 0)
		return 0;
	for (w = 0; w < N_FILES && files[w].key != (char)data[0]; w++)
		;
	if (w == N_FILES)
		w = data[0] % N_FILES;
	if ((def = check_find(files[w].check)) == NULL)
		abort();
	scratch_put(files[w].rel, data + 1, size - 1);

	ctx.root = &root;
	ctx.policy = &pol;
	ctx.people = &people;
	ctx.now = 19990L * 86400 + 3600;
	/* Facts of this input's own: the file just written may be one. */
	scan_facts_init(&facts);
	ctx.facts = &facts;
	memset(&res, 0, sizeof(res));
	def->run(&ctx, &res);
	scan_facts_free(&facts);
	for (size_t i = 0; i < res.n; i++) {
		const struct finding *f = &res.f[i];

		if (f->subject == NULL || f->verdict > V_UNKNOWN)
			__builtin_trap();
		if (f->reason != NULL && check_msg_text(def, f->reason) == NULL)
			__builtin_trap();
		if (f->remediation != NULL && check_msg_text(def, f->remediation) == NULL)
			__builtin_trap();
		if (f->evidence != NULL && !json_is_object(f->evidence))
			__builtin_trap();
	}
	(void)result_verdict(&res);
	result_free(&res);
	scratch_del(files[w].rel);
	return 0;
}
