/* fuzz_lightdm: LightDM's settings as account.no_autologin and
 * account.no_guest read them — a drop-in from a package in
 * /usr/share/lightdm/lightdm.conf.d/ and the administrator's
 * /etc/lightdm/lightdm.conf, overlaid in LightDM's order under a scratch
 * root, then asked, for every seat, what LightDM would do. The first byte
 * chooses where the rest is cut into the two files (0: no drop-in; 255:
 * no lightdm.conf).
 *
 * Invariants: loading never fails but for memory; the seats are seat0 and
 * then only names of one seat (no glob characters); a setting's source is
 * one of the files read; a guest script found is an absolute path under
 * the root; no input makes an answer take longer than libFuzzer's
 * -timeout (the check must finish). */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "platform/lightdm.h"

#define DROPIN_REL "usr/share/lightdm/lightdm.conf.d/50-ubuntu.conf"
#define CONF_REL "etc/lightdm/lightdm.conf"

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
	struct mm_err e;

	scratch_make("fuzz_lightdm");
	atexit(cleanup);
	scratch_mkdirs("usr/share/lightdm/lightdm.conf.d");
	scratch_mkdirs("etc/lightdm");
	scratch_mkdirs("usr/sbin");
	scratch_mkdirs("opt/guest");
	scratch_put("usr/sbin/guest-account", "#!/bin/sh\n", 10);
	scratch_put("opt/guest/make-guest", "#!/bin/sh\n", 10);
	if (root_open(&root, scratch, ROOT_DEFAULT, &e) != 0)
		abort();
}

static int
is_source(const struct lightdm_conf *c, const char *s)
{
	for (size_t i = 0; i < c->n_sources; i++)
		if (c->sources[i] == s)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "autologin-user", "autologin-user-timeout",
	    "autologin-guest", "allow-guest", "greeter-allow-guest", "autologin-session" };
	const char *seats[16], *v, *src;
	struct lightdm_conf c;
	struct mm_err e;
	int have_dropin, have_conf;
	char script[512];
	size_t cut, ns;

	if (scratch[0] == '\0')
		init();
	if (size == 0)
		return 0;
	have_dropin = data[0] != 0;
	have_conf = data[0] != 255;
	cut = (size_t)data[0] * (size - 1) / 255;
	data++;
	size--;
	if (have_dropin)
		scratch_put(DROPIN_REL, data, cut);
	if (have_conf)
		scratch_put(CONF_REL, data + cut, size - cut);

	err_clear(&e);
	if (lightdm_load(&root, &c, &e) != 0)
		__builtin_trap();
	if (!lightdm_has_config(&c))
		__builtin_trap();
	ns = lightdm_seats(&c, seats, sizeof(seats) / sizeof(seats[0]));
	if (ns < 1 || ns > 16 || strcmp(seats[0], "seat0") != 0)
		__builtin_trap();
	for (size_t i = 0; i < ns; i++) {
		if (i > 0 && (seats[i][0] == '\0' || strchr(seats[i], '*') != NULL ||
		    strchr(seats[i], '?') != NULL || strcmp(seats[i], "seat0") == 0))
			__builtin_trap();
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			src = NULL;
			v = lightdm_seat_get(&c, seats[i], keys[k], &src);
			if (src != NULL && (v == NULL || !is_source(&c, src)))
				__builtin_trap();
		}
	}
	if (lightdm_guest_script(&c, &root, script, sizeof(script)) == 1 && script[0] != '/')
		__builtin_trap();
	for (size_t i = 0; i < c.n_problems; i++)
		if (c.problems[i].err.reason == NULL)
			__builtin_trap();
	lightdm_free(&c);
	scratch_del(DROPIN_REL);
	scratch_del(CONF_REL);
	return 0;
}
