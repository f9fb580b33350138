/* lightdm: LightDM's effective configuration; see lightdm.h. The order and
 * the rules below were read in LightDM's src/configuration.c
 * (config_load_from_standard_locations, load_config_directories,
 * load_config_directory, config_load_from_file), src/lightdm.c
 * (get_config_sections, set_seat_properties, the built-in defaults) and
 * src/guest-account.c (guest_account_is_installed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform/lightdm.h"

/* g_get_system_data_dirs() is "/usr/local/share/:/usr/share/" and
 * g_get_system_config_dirs() "/etc/xdg/" when the daemon's environment sets
 * no XDG_* (the systemd unit sets none); LightDM walks each list backwards
 * so the first directory wins, then reads CONFIG_DIR's own folder and file. */
static const char *const conf_dirs[] = {
	"/usr/share/lightdm/lightdm.conf.d",
	"/usr/local/share/lightdm/lightdm.conf.d",
	"/etc/xdg/lightdm/lightdm.conf.d",
	"/etc/lightdm/lightdm.conf.d",
};
static const char conf_file[] = "/etc/lightdm/lightdm.conf";

/* systemd's default PATH for system services (merged and split /usr). */
static const char *const daemon_path[] = {
	"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
};

#define LIGHTDM_MAX_DIR_ENTRIES 512

static int
push_str(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (nv == NULL)
		return -1;
	*v = nv;
	if ((nv[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

static int
add_problem(struct lightdm_conf *c, const char *path, const struct mm_err *err)
{
	struct lightdm_problem *np = realloc(c->problems, (c->n_problems + 1) * sizeof(*np));

	if (np == NULL)
		return -1;
	c->problems = np;
	snprintf(np[c->n_problems].path, sizeof(np[c->n_problems].path), "%s", path);
	np[c->n_problems].err = *err;
	c->n_problems++;
	return 0;
}

/* Reads one file onto the merged configuration. 0, or -1 on no memory. */
static int
load_file(const struct root *r, struct lightdm_conf *c, const char *path, struct mm_err *e)
{
	struct keyfile one;
	struct mm_err fe;
	enum file_status s;
	int rc = 0;

	err_clear(&fe);
	s = keyfile_load(r, path, KEYFILE_GLIB, &one, &fe);
	if (s == FILE_ABSENT)
		return 0;
	if (s == FILE_BAD) {
		if (fe.reason != NULL && strcmp(fe.reason, "out_of_memory") == 0) {
			*e = fe;
			return -1;
		}
		return add_problem(c, path, &fe) == 0 ? 0 : -1;
	}
	if (one.rejected_line != 0) {
		/* config_load_from_file gives up on a file GLib will not load
		 * and merges none of it; LightDM only prints a warning. */
		rc = push_str(&c->refused, &c->n_refused, path);
		keyfile_free(&one);
		return rc;
	}
	if (push_str(&c->sources, &c->n_sources, path) == -1) {
		keyfile_free(&one);
		return -1;
	}
	for (size_t i = 0; i < one.n && rc == 0; i++) {
		/* "[SeatDefaults] is now called [Seat:*]": the old name's keys
		 * are moved into the new group as they are read. */
		const char *name = strcmp(one.g[i].name, "SeatDefaults") == 0 ?
		    "Seat:*" : one.g[i].name;
		rc = keyfile_merge_group(&c->kf, name, &one.g[i], c->n_sources - 1, e);
	}
	keyfile_free(&one);
	return rc;
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

static int
load_dir(const struct root *r, struct lightdm_conf *c, const char *dir, struct mm_err *e)
{
	struct mm_err de;
	char **names;
	size_t n;
	enum file_status s;
	int rc = 0;

	err_clear(&de);
	s = root_list_dir(r, dir, LIGHTDM_MAX_DIR_ENTRIES, &names, &n, &de);
	if (s == FILE_ABSENT)
		return 0;
	if (s == FILE_BAD)
		return add_problem(c, dir, &de) == 0 ? 0 : -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[512], kind;
		off_t size;

		/* load_config_directory reads only names ending in ".conf". */
		if (!has_suffix(names[i], ".conf"))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path)) {
			err_set(&de, "path_invalid", "%s/%s: path too long", dir, names[i]);
			rc = add_problem(c, dir, &de);
			continue;
		}
		/* A folder named *.conf is not a key file; GLib refuses it and
		 * LightDM carries on, so do we. */
		if (root_stat(r, path, &kind, &size, NULL) == FILE_OK && kind == 'd')
			continue;
		rc = load_file(r, c, path, e);
	}
	root_free_names(names, n);
	return rc;
}

int
lightdm_load(const struct root *r, struct lightdm_conf *c, struct mm_err *e)
{
	struct mm_err local;

	if (e == NULL)
		e = &local;
	err_clear(e);
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < sizeof(conf_dirs) / sizeof(conf_dirs[0]); i++)
		if (load_dir(r, c, conf_dirs[i], e) == -1)
			goto oom;
	if (load_file(r, c, conf_file, e) == -1)
		goto oom;
	return 0;
oom:
	if (e->reason == NULL)
		err_set(e, "out_of_memory", "out of memory reading LightDM's settings");
	lightdm_free(c);
	return -1;
}

void
lightdm_free(struct lightdm_conf *c)
{
	keyfile_free(&c->kf);
	for (size_t i = 0; i < c->n_sources; i++)
		free(c->sources[i]);
	free(c->sources);
	for (size_t i = 0; i < c->n_refused; i++)
		free(c->refused[i]);
	free(c->refused);
	free(c->problems);
	memset(c, 0, sizeof(*c));
}

int
lightdm_has_config(const struct lightdm_conf *c)
{
	return c->n_sources > 0 || c->n_problems > 0 || c->n_refused > 0;
}

/* g_pattern_match_simple: '*' any run, '?' one character, nothing else. */
static int
glob_match(const char *p, const char *s)
{
	for (; *p != '\0'; p++, s++) {
		if (*p == '*') {
			while (p[1] == '*')
				p++;
			if (p[1] == '\0')
				return 1;
			for (; *s != '\0'; s++)
				if (glob_match(p + 1, s))
					return 1;
			return 0;
		}
		if (*s == '\0' || (*p != '?' && *p != *s))
			return 0;
	}
	return *s == '\0';
}

size_t
lightdm_seats(const struct lightdm_conf *c, const char **out, size_t max)
{
	size_t n = 0;

	if (max == 0)
		return 0;
	out[n++] = "seat0";
	for (size_t i = 0; i < c->kf.n && n < max; i++) {
		const char *g = c->kf.g[i].name;
		if (strncmp(g, "Seat:", 5) != 0)
			continue;
		g += 5;
		if (*g == '\0' || strchr(g, '*') != NULL || strchr(g, '?') != NULL ||
		    strcmp(g, "seat0") == 0)
			continue;
		out[n++] = g;
	}
	return n;
}

const char *
lightdm_seat_get(const struct lightdm_conf *c, const char *seat, const char *key,
    const char **source)
{
	const struct keyfile_entry *best = keyfile_entry(&c->kf, "Seat:*", key), *en;

	for (size_t i = 0; i < c->kf.n; i++) {
		const char *g = c->kf.g[i].name;
		if (strncmp(g, "Seat:", 5) != 0 || strcmp(g, "Seat:*") == 0)
			continue;
		if (!glob_match(g + 5, seat))
			continue;
		if ((en = keyfile_entry(&c->kf, g, key)) != NULL)
			best = en;
	}
	if (source != NULL)
		*source = best != NULL && best->origin < c->n_sources ?
		    c->sources[best->origin] : NULL;
	return best != NULL ? best->value : NULL;
}

int
lightdm_guest_script(const struct lightdm_conf *c, const struct root *r, char *out,
    size_t outsz)
{
	const char *script = keyfile_get(&c->kf, "LightDM", "guest-account-script");
	char path[512], kind;
	off_t size;

	if (script == NULL)
		script = "guest-account";	/* lightdm.c's built-in default */
	if (script[0] == '\0')
		return 0;
	if (script[0] == '/') {
		/* A link counts: LightDM would follow it, we only ask whether
		 * something is there. */
		if (root_stat(r, script, &kind, &size, NULL) == FILE_OK &&
		    (kind == 'f' || kind == 'l')) {
			snprintf(out, outsz, "%s", script);
			return 1;
		}
		return 0;
	}
	/* g_find_program_in_path with a relative name holding '/' looks in the
	 * daemon's working directory; nothing to find under a root. */
	if (strchr(script, '/') != NULL)
		return 0;
	for (size_t i = 0; i < sizeof(daemon_path) / sizeof(daemon_path[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", daemon_path[i], script) >=
		    sizeof(path))
			return 0;
		if (root_stat(r, path, &kind, &size, NULL) == FILE_OK &&
		    (kind == 'f' || kind == 'l')) {
			snprintf(out, outsz, "%s", path);
			return 1;
		}
	}
	return 0;
}
