/* account.no_autologin (article 16-1): no display manager and no text
 * console logs anyone in without a password. Reads GDM's, LightDM's and
 * SDDM's settings the way each program reads them, and systemd's getty
 * units with their drop-ins.
 *
 * Where each rule comes from (upstream sources):
 * - GDM common/gdm-settings-keys.h: [daemon] AutomaticLoginEnable,
 *   AutomaticLogin, TimedLoginEnable, TimedLogin, TimedLoginDelay;
 *   daemon/gdm-display.c and gdm-manager.c: login happens when the
 *   Enable key is true and the user is not empty. common/gdm-settings.c
 *   reads GDM_CUSTOM_CONF (a build option: /etc/gdm3/daemon.conf on
 *   Debian, /etc/gdm3/custom.conf on Ubuntu, /etc/gdm/custom.conf
 *   upstream and on Fedora) and GDM_RUNTIME_CONF (/run/gdm3/custom.conf or /run/gdm/custom.conf).
 * - LightDM: platform/lightdm.c; src/seat.c starts a seat logged in when
 *   autologin-user is set (after autologin-user-timeout seconds when that
 *   is above 0) or autologin-guest is true.
 * - SDDM src/common/ConfigReader.cpp ConfigBase::load: every file of
 *   /usr/lib/sddm/sddm.conf.d, then of /etc/sddm.conf.d, then
 *   /etc/sddm.conf, later wins; src/daemon/Display.cpp logs in when
 *   [Autologin] User is not empty.
 * - util-linux agetty: getopt "8a:cC:d:..." with -a/--autologin USER.
 *   systemd: a unit's drop-ins (NAME.service.d/ *.conf, the template's
 *   NAME@.service.d, and service.d) are applied in file-name order over
 *   the unit file; an empty "ExecStart=" clears the earlier ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks/check.h"
#include "platform/packages.h"
#include "platform/keyfile.h"
#include "platform/lightdm.h"
#include "platform/text.h"

static const struct check_msg msgs[] = {
	{ "gdm_autologin", N_("GDM logs an account in automatically when the PC starts, without a password ({subject}).") },
	{ "gdm_timed_login", N_("GDM logs an account in without a password after {delay} seconds at the login screen ({subject}).") },
	{ "lightdm_autologin", N_("LightDM logs an account in automatically when the PC starts, without a password (set in {file}).") },
	{ "lightdm_timed_login", N_("LightDM logs an account in without a password after {delay} seconds at the login screen (set in {file}).") },
	{ "lightdm_autologin_guest", N_("LightDM starts a guest session automatically, without a password (set in {file}).") },
	{ "sddm_autologin", N_("SDDM logs an account in automatically when the PC starts, without a password (set in {file}).") },
	{ "getty_autologin", N_("The text console {terminal} logs an account in without a password (set in {file}).") },
	{ "getty_autologin_all", N_("Every text console logs an account in without a password (set in {file}).") },
	{ "dm_defaults", N_("{display_manager} has no settings file of its own; by default it asks for a password.") },
	{ "dm_not_installed", N_("{display_manager} is not installed; its leftover settings have no effect.") },
	{ "console_password", N_("No login screen or text console is set to log in without a password.") },
	/* TRANSLATORS: the menu path is GNOME's Settings app. */
	{ "fix_gdm", N_("As an administrator, open {subject} and, under [daemon], set AutomaticLoginEnable=false and TimedLoginEnable=false (or in Settings → Users, turn Automatic Login off); then restart the PC.") },
	{ "fix_lightdm", N_("As an administrator, open {file} and delete the autologin-user, autologin-user-timeout and autologin-guest lines (in [Seat:*], [SeatDefaults] or [Seat:…]); then restart the PC.") },
	/* TRANSLATORS: the menu path is KDE Plasma's System Settings. */
	{ "fix_sddm", N_("As an administrator, open {file} and make the User= line under [Autologin] empty (or in System Settings → Login Screen (SDDM) → Behavior, turn automatic login off); then restart the PC.") },
	{ "fix_getty", N_("As an administrator, delete the --autologin option from the ExecStart= line in {file} (or run `sudo systemctl revert {unit}`), run `sudo systemctl daemon-reload` and restart the PC.") },
	{ NULL, NULL },
};

/* Whether a display manager is on the machine: its package (Debian) or its
 * program (any distribution). When the package list could not be read, a
 * settings file alone counts, so a leftover-looking file is never excused
 * on a guess. */
struct dm_probe {
	const char *name;		/* "gdm" */
	const char *const *pkgs;
	const char *const *bins;
};

static const char *const gdm_pkgs[] = { "gdm3", "gdm", NULL };
static const char *const gdm_bins[] = { "/usr/sbin/gdm3", "/usr/sbin/gdm", "/usr/bin/gdm", NULL };
static const char *const lightdm_pkgs[] = { "lightdm", NULL };
static const char *const lightdm_bins[] = { "/usr/sbin/lightdm", "/usr/bin/lightdm", NULL };
static const char *const sddm_pkgs[] = { "sddm", NULL };
static const char *const sddm_bins[] = { "/usr/bin/sddm", "/usr/sbin/sddm", NULL };

static const struct dm_probe probe_gdm = { "gdm", gdm_pkgs, gdm_bins };
static const struct dm_probe probe_lightdm = { "lightdm", lightdm_pkgs, lightdm_bins };
static const struct dm_probe probe_sddm = { "sddm", sddm_pkgs, sddm_bins };

struct state {
	const struct scan_ctx *ctx;
	struct check_result *r;
	const struct dpkg_db *db;	/* the scan's (scan_ctx_packages) */
	enum file_status db_status;
	int unit_dir_ok[8];	/* which of unit_dirs to read (see check_getty) */
};

/* 1 installed, 0 not, -1 cannot tell (package list unreadable). */
static int
dm_installed(struct state *st, const struct dm_probe *p)
{
	char kind;
	off_t size;

	for (const char *const *b = p->bins; *b != NULL; b++)
		if (root_stat(st->ctx->root, *b, &kind, &size, NULL) == FILE_OK &&
		    (kind == 'f' || kind == 'l'))
			return 1;
	if (st->db_status == FILE_BAD)
		return -1;
	for (const char *const *k = p->pkgs; *k != NULL; k++)
		if (dpkg_installed(st->db, *k) != NULL)
			return 1;
	return 0;
}

/* Evidence that names the account only when the policy lets names travel. */
static void
ev_user(const struct state *st, json_t *ev, const char *user)
{
	if (user != NULL && st->ctx->policy->privacy.account_names == NAMES_PLAIN)
		json_object_set_new(ev, "user", json_string(user));
}

static json_t *
ev_dm(const char *dm)
{
	return json_pack("{s:s}", "display_manager", dm);
}

static void
add_not_installed(struct state *st, const char *dm)
{
	result_add(st->r, dm, V_NOT_APPLICABLE, "dm_not_installed", NULL, ev_dm(dm));
}

/* ---- GDM ---------------------------------------------------------------- */

static const char *const gdm_files[] = {
	"/etc/gdm3/daemon.conf",	/* Debian: -Dcustom-conf=/etc/gdm3/daemon.conf */
	"/etc/gdm3/custom.conf",	/* Ubuntu */
	"/etc/gdm/custom.conf",		/* upstream default, Fedora, RHEL */
	"/run/gdm3/custom.conf",	/* GDM_RUNTIME_CONF, read before the others */
	"/run/gdm/custom.conf",
};

static int
nonempty(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static void
gdm_judge(struct state *st, const char *path, const struct keyfile *kf)
{
	const char *user = keyfile_get(kf, "daemon", "AutomaticLogin");
	const char *tuser = keyfile_get(kf, "daemon", "TimedLogin");
	const char *delay_s = keyfile_get(kf, "daemon", "TimedLoginDelay");
	long delay = 30;	/* gdm.schemas default for TimedLoginDelay */
	json_t *ev;

	if (keyfile_bool(keyfile_get(kf, "daemon", "AutomaticLoginEnable"),
	    KEYFILE_BOOL_GDM) == 1 && nonempty(user)) {
		ev = ev_dm("gdm");
		json_object_set_new(ev, "mode", json_string("automatic"));
		ev_user(st, ev, user);
		result_add(st->r, path, V_FAIL, "gdm_autologin", "fix_gdm", ev);
		return;
	}
	if (keyfile_bool(keyfile_get(kf, "daemon", "TimedLoginEnable"),
	    KEYFILE_BOOL_GDM) == 1 && nonempty(tuser)) {
		if (delay_s != NULL)
			(void)text_parse_long(delay_s, strlen(delay_s), 1, &delay);
		ev = ev_dm("gdm");
		json_object_set_new(ev, "mode", json_string("timed"));
		json_object_set_new(ev, "delay", json_integer(delay));
		ev_user(st, ev, tuser);
		result_add(st->r, path, V_FAIL, "gdm_timed_login", "fix_gdm", ev);
		return;
	}
	result_add(st->r, path, V_PASS, NULL, NULL, ev_dm("gdm"));
}

static void
check_gdm(struct state *st)
{
	int inst = dm_installed(st, &probe_gdm), seen = 0;

	for (size_t i = 0; i < sizeof(gdm_files) / sizeof(gdm_files[0]); i++) {
		struct keyfile kf;
		struct mm_err e;
		enum file_status s;

		err_clear(&e);
		s = keyfile_load(st->ctx->root, gdm_files[i], KEYFILE_GLIB, &kf, &e);
		if (s == FILE_ABSENT)
			continue;
		seen = 1;
		if (inst == 0) {
			if (s == FILE_OK)
				keyfile_free(&kf);
			continue;
		}
		if (s == FILE_BAD) {
			result_add_error(st->r, gdm_files[i], &e);
			continue;
		}
		/* GKeyFile stops at a line it refuses and GDM keeps what came
		 * before it (a warning in the log, no more): kf is that part. */
		gdm_judge(st, gdm_files[i], &kf);
		keyfile_free(&kf);
	}
	if (inst == 1 && !seen)
		result_add(st->r, "gdm", V_PASS, "dm_defaults", NULL, ev_dm("gdm"));
	else if (inst == 0 && seen)
		add_not_installed(st, "gdm");
}

/* ---- LightDM -------------------------------------------------------------- */

static void
check_lightdm(struct state *st)
{
	struct lightdm_conf c;
	struct mm_err e;
	const char *seats[16];
	size_t ns;
	int inst = dm_installed(st, &probe_lightdm);

	if (inst == 0) {
		/* Only to say "leftover" when there is something left over. */
		if (lightdm_load(st->ctx->root, &c, &e) == 0) {
			if (lightdm_has_config(&c))
				add_not_installed(st, "lightdm");
			lightdm_free(&c);
		}
		return;
	}
	if (lightdm_load(st->ctx->root, &c, &e) == -1) {
		result_add_error(st->r, "lightdm", &e);
		return;
	}
	if (inst == -1 && !lightdm_has_config(&c)) {
		lightdm_free(&c);
		return;
	}
	for (size_t i = 0; i < c.n_problems; i++)
		result_add_error(st->r, c.problems[i].path, &c.problems[i].err);
	ns = lightdm_seats(&c, seats, sizeof(seats) / sizeof(seats[0]));
	for (size_t i = 0; i < ns; i++) {
		const char *src = NULL, *tsrc = NULL, *gsrc = NULL;
		const char *user = lightdm_seat_get(&c, seats[i], "autologin-user", &src);
		const char *timeout = lightdm_seat_get(&c, seats[i], "autologin-user-timeout", &tsrc);
		const char *guest = lightdm_seat_get(&c, seats[i], "autologin-guest", &gsrc);
		const char *subject = strcmp(seats[i], "seat0") == 0 ? "lightdm" : NULL;
		char sub[96];
		long t = 0;
		json_t *ev;

		if (subject == NULL) {
			snprintf(sub, sizeof(sub), "lightdm:%s", seats[i]);
			subject = sub;
		}
		if (nonempty(user)) {
			ev = ev_dm("lightdm");
			json_object_set_new(ev, "seat", json_string(seats[i]));
			json_object_set_new(ev, "file", json_string(src ? src : ""));
			ev_user(st, ev, user);
			if (timeout != NULL && text_parse_long(timeout, strlen(timeout), 1, &t) == 0 &&
			    t > 0) {
				json_object_set_new(ev, "delay", json_integer(t));
				result_add(st->r, subject, V_FAIL, "lightdm_timed_login",
				    "fix_lightdm", ev);
			} else
				result_add(st->r, subject, V_FAIL, "lightdm_autologin",
				    "fix_lightdm", ev);
		} else if (keyfile_bool(guest, KEYFILE_BOOL_LIGHTDM) == 1) {
			ev = ev_dm("lightdm");
			json_object_set_new(ev, "seat", json_string(seats[i]));
			json_object_set_new(ev, "file", json_string(gsrc ? gsrc : ""));
			result_add(st->r, subject, V_FAIL, "lightdm_autologin_guest",
			    "fix_lightdm", ev);
		} else if (c.n_problems == 0) {
			/* An unreadable file could hold the autologin line, so
			 * a pass is only said when every file was read. */
			if (lightdm_has_config(&c))
				result_add(st->r, subject, V_PASS, NULL, NULL, ev_dm("lightdm"));
			else
				result_add(st->r, subject, V_PASS, "dm_defaults", NULL,
				    ev_dm("lightdm"));
		}
	}
	lightdm_free(&c);
}

/* ---- SDDM ----------------------------------------------------------------- */

#define SDDM_MAX_DIR_ENTRIES 512

struct sddm_conf {
	struct keyfile kf;
	char **sources;
	size_t n_sources;
	int problems;
};

static void
sddm_file(struct state *st, struct sddm_conf *c, const char *path, int report)
{
	struct keyfile one;
	struct mm_err e;
	enum file_status s;
	char **nv;

	err_clear(&e);
	s = keyfile_load(st->ctx->root, path, KEYFILE_SDDM, &one, &e);
	if (s == FILE_ABSENT)
		return;
	if (s == FILE_BAD) {
		c->problems++;
		if (report)
			result_add_error(st->r, path, &e);
		return;
	}
	nv = realloc(c->sources, (c->n_sources + 1) * sizeof(*nv));
	if (nv == NULL)
		goto oom;
	c->sources = nv;
	if ((nv[c->n_sources] = strdup(path)) == NULL)
		goto oom;
	c->n_sources++;
	if (keyfile_merge(&c->kf, &one, c->n_sources - 1, &e) == -1)
		goto oom;
	keyfile_free(&one);
	return;
oom:
	/* Out of memory in a short-lived scan: say so, never pass. */
	err_set(&e, "out_of_memory", "out of memory reading %s", path);
	c->problems++;
	if (report)
		result_add_error(st->r, path, &e);
	keyfile_free(&one);
}

static void
sddm_dir(struct state *st, struct sddm_conf *c, const char *dir, int report)
{
	struct mm_err e;
	char **names;
	size_t n;
	enum file_status s;

	err_clear(&e);
	s = root_list_dir(st->ctx->root, dir, SDDM_MAX_DIR_ENTRIES, &names, &n, &e);
	if (s == FILE_ABSENT)
		return;
	if (s == FILE_BAD) {
		c->problems++;
		if (report)
			result_add_error(st->r, dir, &e);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char path[512], kind;
		off_t size;

		/* QDir::Files without QDir::Hidden: no folders, no dot files;
		 * any name, not only *.conf. */
		if (names[i][0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path))
			continue;
		if (root_stat(st->ctx->root, path, &kind, &size, NULL) == FILE_OK && kind == 'd')
			continue;
		sddm_file(st, c, path, report);
	}
	root_free_names(names, n);
}

static void
check_sddm(struct state *st)
{
	struct sddm_conf c;
	int inst = dm_installed(st, &probe_sddm);
	const struct keyfile_entry *en;

	memset(&c, 0, sizeof(c));
	sddm_dir(st, &c, "/usr/lib/sddm/sddm.conf.d", inst != 0);
	sddm_dir(st, &c, "/etc/sddm.conf.d", inst != 0);
	sddm_file(st, &c, "/etc/sddm.conf", inst != 0);
	if (inst == 0) {
		if (c.n_sources > 0 || c.problems > 0)
			add_not_installed(st, "sddm");
		goto out;
	}
	if (inst == -1 && c.n_sources == 0 && c.problems == 0)
		goto out;
	en = keyfile_entry(&c.kf, "Autologin", "User");
	if (en != NULL && en->value[0] != '\0') {
		json_t *ev = ev_dm("sddm");
		json_object_set_new(ev, "file", json_string(en->origin < c.n_sources ?
		    c.sources[en->origin] : ""));
		ev_user(st, ev, en->value);
		result_add(st->r, "sddm", V_FAIL, "sddm_autologin", "fix_sddm", ev);
	} else if (c.problems == 0) {
		if (c.n_sources > 0)
			result_add(st->r, "sddm", V_PASS, NULL, NULL, ev_dm("sddm"));
		else
			result_add(st->r, "sddm", V_PASS, "dm_defaults", NULL, ev_dm("sddm"));
	}
out:
	keyfile_free(&c.kf);
	for (size_t i = 0; i < c.n_sources; i++)
		free(c.sources[i]);
	free(c.sources);
}

/* ---- getty ---------------------------------------------------------------- */

/* systemd's system unit search path, highest priority first. The first
 * three are where an administrator (or a tool acting for one) overrides a
 * unit; the rest hold what the distribution ships. */
static const char *const unit_dirs[] = {
	"/etc/systemd/system",
	"/run/systemd/system",
	"/usr/local/lib/systemd/system",
	"/usr/lib/systemd/system",
	"/lib/systemd/system",
};
#define N_UNIT_DIRS (sizeof(unit_dirs) / sizeof(unit_dirs[0]))
_Static_assert(sizeof(unit_dirs) / sizeof(unit_dirs[0]) <=
    sizeof(((struct state *)0)->unit_dir_ok) / sizeof(int), "unit_dir_ok too small");
#define N_ADMIN_DIRS 3
#define UNIT_MAX_DIR_ENTRIES 4096

/* The getty templates; autovt@ is shipped as an alias of getty@, so its
 * drop-ins apply to getty@ too (logind starts autovt@ttyN). */
struct getty_family {
	const char *tmpl;	/* "getty@" */
	const char *alias;	/* "autovt@" or NULL */
};

static const struct getty_family families[] = {
	{ "getty@", "autovt@" },
	{ "serial-getty@", NULL },
	{ "container-getty@", NULL },
};

/* Long options of agetty that take a value (util-linux term-utils/agetty.c). */
static const char *const agetty_long_arg[] = {
	"autologin", "chdir", "delay", "issue-file", "host", "init-string",
	"login-program", "login-options", "nice", "timeout", "erase-chars",
	"kill-chars", "nologin-message", NULL,
};
static const char *const agetty_long_noarg[] = {
	"8bits", "noreset", "remote", "show-issue", "flow-control", "noissue",
	"noclear", "local-line", "extract-baud", "list-speeds", "skip-login",
	"login-pause", "keep-baud", "detect-case", "wait-cr", "nohints",
	"nohostname", "long-hostname", "reload", "version", "help",
	"keep-cflags", NULL,
};

/* The long option a token names, allowing getopt_long's unique prefixes;
 * *takes_arg tells whether it has a value. NULL when unknown or ambiguous. */
static const char *
long_option(const char *name, size_t n, int *takes_arg)
{
	const char *hit = NULL;
	int hits = 0;

	for (int pass = 0; pass < 2; pass++) {
		const char *const *list = pass == 0 ? agetty_long_arg : agetty_long_noarg;
		for (const char *const *o = list; *o != NULL; o++) {
			if (strncmp(*o, name, n) != 0)
				continue;
			if (strlen(*o) == n) {
				*takes_arg = pass == 0;
				return *o;
			}
			hit = *o;
			*takes_arg = pass == 0;
			hits++;
		}
	}
	return hits == 1 ? hit : NULL;
}

/* Splits a command line at blanks; quotes are removed, not interpreted
 * further. Returns the token count (at most max). */
static size_t
split_command(char *s, char **tok, size_t max)
{
	size_t n = 0;

	while (*s != '\0' && n < max) {
		char *out;
		char q = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		tok[n++] = out = s;
		for (; *s != '\0'; s++) {
			if (q != 0) {
				if (*s == q)
					q = 0;
				else
					*out++ = *s;
			} else if (*s == '"' || *s == '\'')
				q = *s;
			else if (*s == ' ' || *s == '\t')
				break;
			else
				*out++ = *s;
		}
		if (*s != '\0')
			s++;
		*out = '\0';
	}
	return n;
}

/* Whether an ExecStart= command runs a getty that logs someone in by itself. */
static int
execstart_autologins(const char *value)
{
	char buf[4096], *tok[128], *prog;
	size_t n, i = 1;
	const char *base;
	int argv0 = 0;

	snprintf(buf, sizeof(buf), "%s", value);
	n = split_command(buf, tok, sizeof(tok) / sizeof(tok[0]));
	if (n == 0)
		return 0;
	prog = tok[0];
	/* systemd's prefixes: "@" (next word is argv[0]), "-", ":", "+", "!". */
	while (*prog == '@' || *prog == '-' || *prog == ':' || *prog == '+' || *prog == '!') {
		if (*prog == '@')
			argv0 = 1;
		prog++;
	}
	base = strrchr(prog, '/');
	base = base != NULL ? base + 1 : prog;
	if (strcmp(base, "agetty") != 0 && strcmp(base, "getty") != 0 &&
	    strcmp(base, "mingetty") != 0)
		return 0;
	if (argv0)
		i++;
	for (; i < n; i++) {
		const char *t = tok[i];

		if (strcmp(t, "--") == 0)
			break;
		if (t[0] == '-' && t[1] == '-') {
			const char *eq = strchr(t + 2, '=');
			size_t nl = eq != NULL ? (size_t)(eq - t - 2) : strlen(t + 2);
			int takes = 0;
			const char *o = long_option(t + 2, nl, &takes);

			if (o != NULL && strcmp(o, "autologin") == 0)
				return 1;
			if (o != NULL && takes && eq == NULL)
				i++;	/* its value is the next word */
			continue;
		}
		if (t[0] == '-' && t[1] != '\0') {
			/* A cluster of short options, "8a:cC:d:Ef:hH:iI:Jl:L::mnNo:pP:r:Rst:Uw". */
			for (const char *c = t + 1; *c != '\0'; c++) {
				if (*c == 'a')
					return 1;
				if (strchr("CdfHIloPrt", *c) != NULL) {
					if (c[1] == '\0')
						i++;
					break;
				}
				if (*c == 'L')
					break;	/* optional value, attached only */
			}
		}
	}
	return 0;
}

struct unit_eval {
	int exists;		/* a unit file was found: the unit can run */
	int autologin;		/* after folding every file */
	char file[800];		/* the file whose ExecStart= set it */
	int override;		/* an administrator's file was found */
	int problems;
};

/* Folds one unit file or drop-in into ev. -1 when it could not be read. */
static int
fold_unit_file(struct state *st, struct unit_eval *ev, const char *path)
{
	struct mm_err e;
	char *buf, logical[4096];
	size_t len, pos = 0, ll, have = 0, lineno = 0;
	const char *line;
	int in_service = 0;
	enum file_status s;

	err_clear(&e);
	s = root_read_file(st->ctx->root, path, ROOT_CAP_CONFIG, &buf, &len, &e);
	if (s == FILE_ABSENT)
		return 0;
	if (s == FILE_OK && !text_is_clean(buf, len)) {
		free(buf);
		err_set(&e, "parse_error", "%s holds binary data; it is not a unit file", path);
		s = FILE_BAD;
	}
	if (s == FILE_BAD) {
		result_add_error(st->r, path, &e);
		ev->problems++;
		return -1;
	}
	while (text_next_line(buf, len, &pos, &line, &ll)) {
		const char *k, *v;
		size_t kl, vl;
		int cont;

		lineno++;
		text_trim(&line, &ll);
		if (have == 0 && (ll == 0 || line[0] == '#' || line[0] == ';'))
			continue;
		/* systemd joins a line ending in a backslash with the next. */
		cont = ll > 0 && line[ll - 1] == '\\';
		if (cont)
			ll--;
		if (have + ll + 1 < sizeof(logical)) {
			memcpy(logical + have, line, ll);
			have += ll;
			if (cont)
				logical[have++] = ' ';
		}
		if (cont)
			continue;
		logical[have] = '\0';
		line = logical;
		ll = have;
		have = 0;
		if (line[0] == '[') {
			in_service = ll == 9 && memcmp(line, "[Service]", 9) == 0;
			continue;
		}
		if (!in_service || (v = memchr(line, '=', ll)) == NULL)
			continue;
		k = line;
		kl = (size_t)(v - line);
		text_trim(&k, &kl);
		if (kl != 9 || memcmp(k, "ExecStart", 9) != 0)
			continue;
		v++;
		vl = ll - (size_t)(v - line);
		text_trim(&v, &vl);
		if (vl == 0) {
			ev->autologin = 0;	/* "ExecStart=" empties the list */
			continue;
		}
		{
			char cmd[4096];
			snprintf(cmd, sizeof(cmd), "%.*s", (int)vl, v);
			if (execstart_autologins(cmd)) {
				ev->autologin = 1;
				snprintf(ev->file, sizeof(ev->file), "%s", path);
			}
		}
	}
	free(buf);
	return 0;
}

struct dropin {
	char name[256];
	char path[800];
};

static int
cmp_dropin(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

/* Evaluates one unit: the first unit file found for base_names (in order,
 * each through the search path), then the drop-ins of dropin_dirs in
 * file-name order, a name in a higher-priority folder hiding the same name
 * lower down. */
static void
eval_unit(struct state *st, const char *const *base_names, const char *const *dropin_dirs,
    struct unit_eval *ev)
{
	struct dropin *d = NULL;
	size_t nd = 0, cap = 0;
	int found = 0;

	memset(ev, 0, sizeof(*ev));
	for (const char *const *b = base_names; *b != NULL && !found; b++) {
		for (size_t k = 0; k < N_UNIT_DIRS && !found; k++) {
			char path[512], kind;

			if (!st->unit_dir_ok[k])
				continue;
			off_t size;
			struct mm_err e;

			snprintf(path, sizeof(path), "%s/%s", unit_dirs[k], *b);
			err_clear(&e);
			if (root_stat(st->ctx->root, path, &kind, &size, &e) != FILE_OK)
				continue;
			if (kind == 'd')
				continue;
			found = ev->exists = 1;
			if (k < N_ADMIN_DIRS)
				ev->override = 1;
			if (kind == 'l') {
				/* A linked or masked unit: mamori does not follow
				 * links, so what runs here is not known. */
				err_set(&e, "file_symlink",
				    "%s is a symbolic link; refused", path);
				result_add_error(st->r, path, &e);
				ev->problems++;
			} else
				(void)fold_unit_file(st, ev, path);
		}
	}
	for (size_t k = 0; k < N_UNIT_DIRS; k++) {
		if (!st->unit_dir_ok[k])
			continue;
		for (const char *const *dd = dropin_dirs; *dd != NULL; dd++) {
			char dir[512];
			char **names;
			size_t n;
			struct mm_err e;
			enum file_status s;

			snprintf(dir, sizeof(dir), "%s/%s", unit_dirs[k], *dd);
			err_clear(&e);
			s = root_list_dir(st->ctx->root, dir, UNIT_MAX_DIR_ENTRIES, &names, &n, &e);
			if (s == FILE_ABSENT)
				continue;
			if (s == FILE_BAD) {
				result_add_error(st->r, dir, &e);
				ev->problems++;
				continue;
			}
			for (size_t i = 0; i < n; i++) {
				size_t nl = strlen(names[i]);
				int dup = 0;

				if (nl < 6 || strcmp(names[i] + nl - 5, ".conf") != 0 ||
				    nl >= sizeof(d->name))
					continue;
				for (size_t j = 0; j < nd && !dup; j++)
					dup = strcmp(d[j].name, names[i]) == 0;
				if (dup)
					continue;
				if (nd == cap) {
					size_t nc = cap ? cap * 2 : 8;
					struct dropin *nv = realloc(d, nc * sizeof(*nv));
					if (nv == NULL)
						abort();	/* as result_add: never hide a fail */
					d = nv;
					cap = nc;
				}
				snprintf(d[nd].name, sizeof(d[nd].name), "%s", names[i]);
				snprintf(d[nd].path, sizeof(d[nd].path), "%s/%s", dir, names[i]);
				nd++;
				if (k < N_ADMIN_DIRS || strcmp(*dd, "service.d") != 0)
					ev->override = 1;
			}
			root_free_names(names, n);
		}
	}
	if (nd > 1)
		qsort(d, nd, sizeof(*d), cmp_dropin);
	for (size_t i = 0; i < nd; i++)
		(void)fold_unit_file(st, ev, d[i].path);
	free(d);
}

static void
report_unit(struct state *st, const char *subject, const char *unit,
    const char *terminal, const struct unit_eval *ev)
{
	json_t *j;

	if (ev->autologin) {
		j = json_pack("{s:s, s:s, s:s}", "unit", unit, "file", ev->file,
		    "terminal", terminal != NULL ? terminal : "*");
		result_add(st->r, subject, V_FAIL,
		    terminal != NULL ? "getty_autologin" : "getty_autologin_all", "fix_getty", j);
	} else if (ev->exists && ev->override && ev->problems == 0)
		result_add(st->r, subject, V_PASS, NULL, NULL, json_pack("{s:s}", "unit", unit));
}

/* Instance names an administrator gave their own unit or drop-in folder. */
static size_t
find_instances(struct state *st, const struct getty_family *f, char (*out)[64], size_t max,
    int report)
{
	size_t n_out = 0;

	for (size_t k = 0; k < N_ADMIN_DIRS; k++) {
		char **names;
		size_t n;
		struct mm_err e;

		if (!st->unit_dir_ok[k])
			continue;
		err_clear(&e);
		if (root_list_dir(st->ctx->root, unit_dirs[k], UNIT_MAX_DIR_ENTRIES, &names,
		    &n, &e) != FILE_OK) {
			/* Overrides may hide in a folder we cannot list. */
			if (report)
				result_add_error(st->r, unit_dirs[k], &e);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			const char *prefixes[2] = { f->tmpl, f->alias };
			for (int p = 0; p < 2; p++) {
				const char *nm = names[i], *inst, *dot;
				size_t il;
				int dup = 0;

				if (prefixes[p] == NULL ||
				    strncmp(nm, prefixes[p], strlen(prefixes[p])) != 0)
					continue;
				inst = nm + strlen(prefixes[p]);
				dot = strstr(inst, ".service");
				if (dot == NULL || (strcmp(dot, ".service") != 0 &&
				    strcmp(dot, ".service.d") != 0))
					continue;
				il = (size_t)(dot - inst);
				if (il == 0 || il >= 64)
					continue;
				for (size_t j = 0; j < n_out && !dup; j++)
					dup = strlen(out[j]) == il && memcmp(out[j], inst, il) == 0;
				if (!dup && n_out < max) {
					memcpy(out[n_out], inst, il);
					out[n_out][il] = '\0';
					n_out++;
				}
			}
		}
		root_free_names(names, n);
	}
	return n_out;
}

/* Which unit folders to read. On a merged-/usr system /lib is a link to
 * usr/lib, so /lib/systemd/system is /usr/lib/systemd/system again: a
 * distribution folder reached through a link is skipped, not refused. An
 * administrator's folder that is a link is not followed and makes the
 * answer unknown. */
static void
pick_unit_dirs(struct state *st)
{
	for (size_t k = 0; k < N_UNIT_DIRS; k++) {
		char kind = 0;
		off_t size;
		struct mm_err e;
		enum file_status s;

		err_clear(&e);
		s = root_stat(st->ctx->root, unit_dirs[k], &kind, &size, &e);
		st->unit_dir_ok[k] = s == FILE_OK && kind == 'd';
		if (k >= N_ADMIN_DIRS || s == FILE_ABSENT || st->unit_dir_ok[k])
			continue;
		if (s == FILE_OK)
			err_set(&e, kind == 'l' ? "file_symlink" : "file_not_regular",
			    "%s is not a folder; refused", unit_dirs[k]);
		result_add_error(st->r, unit_dirs[k], &e);
	}
}

static void
check_getty(struct state *st)
{
	pick_unit_dirs(st);
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		const struct getty_family *fam = &families[f];
		char tmpl_unit[64], tmpl_d[64], alias_d[64], subject[96], unit[128];
		char inst[64][64];
		size_t ni;
		struct unit_eval ev;

		snprintf(tmpl_unit, sizeof(tmpl_unit), "%s.service", fam->tmpl);
		snprintf(tmpl_d, sizeof(tmpl_d), "%s.service.d", fam->tmpl);
		snprintf(alias_d, sizeof(alias_d), "%s.service.d", fam->alias ? fam->alias : fam->tmpl);
		{
			const char *bases[] = { tmpl_unit, NULL };
			const char *drops[] = { tmpl_d, alias_d, "service.d", NULL };
			eval_unit(st, bases, drops, &ev);
			snprintf(subject, sizeof(subject), "%s*", fam->tmpl);
			report_unit(st, subject, tmpl_unit, NULL, &ev);
		}
		ni = find_instances(st, fam, inst, sizeof(inst) / sizeof(inst[0]), f == 0);
		for (size_t i = 0; i < ni; i++) {
			char b1[128], b2[128], d1[136], d2[136];

			snprintf(b1, sizeof(b1), "%s%s.service", fam->tmpl, inst[i]);
			snprintf(b2, sizeof(b2), "%s%s.service", fam->alias ? fam->alias : fam->tmpl,
			    inst[i]);
			snprintf(d1, sizeof(d1), "%s.d", b1);
			snprintf(d2, sizeof(d2), "%s.d", b2);
			{
				const char *bases[] = { b1, b2, tmpl_unit, NULL };
				const char *drops[] = { d1, d2, tmpl_d, alias_d, "service.d", NULL };
				eval_unit(st, bases, drops, &ev);
			}
			snprintf(subject, sizeof(subject), "%s%s", fam->tmpl, inst[i]);
			snprintf(unit, sizeof(unit), "%s", b1);
			report_unit(st, subject, unit, inst[i], &ev);
		}
	}
	{
		const char *bases[] = { "console-getty.service", NULL };
		const char *drops[] = { "console-getty.service.d", "service.d", NULL };
		struct unit_eval ev;

		eval_unit(st, bases, drops, &ev);
		report_unit(st, "console-getty", "console-getty.service", "console", &ev);
	}
}

/* ---- the check ------------------------------------------------------------- */

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	struct state st;
	const struct packages *pk = scan_ctx_packages(ctx);
	size_t decided = 0;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.r = r;
	st.db = &pk->dpkg;
	st.db_status = pk->dpkg_status;

	check_gdm(&st);
	check_lightdm(&st);
	check_sddm(&st);
	check_getty(&st);

	for (size_t i = 0; i < r->n; i++)
		if (r->f[i].verdict != V_NOT_APPLICABLE)
			decided++;
	/* Nothing logs in by itself: the console's login asks for a password. */
	if (decided == 0)
		result_add(r, "system", V_PASS, "console_password", NULL, NULL);
}

const struct check_def check_account_no_autologin = {
	"account.no_autologin", "16-1",
	N_("No login screen or console logs in without a password"),
	run, msgs,
};
