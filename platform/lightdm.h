/* lightdm: LightDM's effective configuration — the files LightDM reads,
 * overlaid in the order it reads them, and the per-seat view of them —
 * so that account.no_autologin and account.no_guest see what LightDM
 * would do. Shared by both checks so the order lives in one place. */
#ifndef MAMORI_LIGHTDM_H
#define MAMORI_LIGHTDM_H

#include <stddef.h>
#include "common/err.h"
#include "platform/keyfile.h"
#include "platform/root.h"

/* A file or folder that could not be read safely: checks say `unknown`. */
struct lightdm_problem {
	char path[256];
	struct mm_err err;
};

struct lightdm_conf {
	struct keyfile kf;	/* merged; [SeatDefaults] is filed as [Seat:*] */
	char **sources;		/* entry origin → path of the file that set it */
	size_t n_sources;
	struct lightdm_problem *problems;
	size_t n_problems;
	char **refused;		/* files GLib refuses to load: LightDM skips them */
	size_t n_refused;
};

/* Reads, in LightDM's order (src/configuration.c,
 * config_load_from_standard_locations, with the default XDG dirs):
 *   /usr/share/lightdm/lightdm.conf.d/ *.conf
 *   /usr/local/share/lightdm/lightdm.conf.d/ *.conf
 *   /etc/xdg/lightdm/lightdm.conf.d/ *.conf
 *   /etc/lightdm/lightdm.conf.d/ *.conf
 *   /etc/lightdm/lightdm.conf
 * each folder's names sorted bytewise; a later setting wins. Never fails as
 * a whole: what could not be read is in problems, and so are [Seat:GLOB]
 * patterns and seat names too long to match in bounded time. 0, or -1 on
 * no memory. */
int lightdm_load(const struct root *r, struct lightdm_conf *c, struct mm_err *e);
void lightdm_free(struct lightdm_conf *c);

/* Whether any LightDM settings file or problem was found at all. */
int lightdm_has_config(const struct lightdm_conf *c);

/* The seats whose settings can differ: "seat0" (the seat of every PC's
 * screen and keyboard) and each [Seat:NAME] that names one seat. Returns
 * the count (at most max). */
size_t lightdm_seats(const struct lightdm_conf *c, const char **out, size_t max);

/* A seat's setting as LightDM computes it (set_seat_properties): [Seat:*]
 * first, then each [Seat:GLOB] matching the seat name (GLib's
 * g_pattern_match_simple: '*' any run, '?' one UTF-8 character), in the
 * order the groups first appeared. NULL when unset; *source (may be NULL)
 * is the file that set it. */
const char *lightdm_seat_get(const struct lightdm_conf *c, const char *seat,
    const char *key, const char **source);

/* Whether LightDM can start guest sessions at all (guest_account_is_installed):
 * [LightDM] guest-account-script, default "guest-account", found in the
 * daemon's PATH (systemd's default). 1 with the path in out, else 0. */
int lightdm_guest_script(const struct lightdm_conf *c, const struct root *r,
    char *out, size_t outsz);

#endif
