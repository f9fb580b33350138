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
/* Steps glob_match may take to match all [Seat:GLOB] patterns against all
 * the seat names the settings hold: real ones take hundreds; this is a
 * few hundredths of a second. */
#define LIGHTDM_GLOB_BUDGET (1ul << 24)

static int seat_names_globbable(struct lightdm_conf *c);

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
	if (seat_names_globbable(c) == -1)
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

/* The bytes g_utf8_next_char steps over at s (GLib's g_utf8_skip table),
 * but never past the terminating NUL of a string that is not UTF-8. */
static size_t
utf8_step(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 :
	    c < 0xfc ? 5 : c < 0xfe ? 6 : 1;
	size_t i = 1;

	while (i < n && s[i] != '\0')
		i++;
	return i;
}

/* LightDM matches a seat against [Seat:GLOB] with g_pattern_match_simple:
 * '*' any run of characters, '?' one UTF-8 character, every other byte
 * itself; no brackets, no escapes. Matched here without recursion: on a
 * mismatch only the last '*' takes one more character (a later star can
 * absorb whatever an earlier one could), so the work is at most
 * |pattern| * |seat| steps, never exponential. Each step spends one unit
 * of *budget: 1 match, 0 none, -1 when the budget ran out first. */
static int
glob_match(const char *p, const char *s, unsigned long *budget)
{
	const char *star = NULL, *resume = NULL;

	for (;;) {
		if (*budget == 0)
			return -1;
		--*budget;
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (*p == '\0')
				return 1;
			star = p;
			resume = s;
			continue;
		}
		if (*s == '\0')
			return *p == '\0';	/* a star cannot make the seat longer */
		if (*p == '?') {
			p++;
			s += utf8_step(s);
			continue;
		}
		if (*p == *s) {
			p++;
			s++;
			continue;
		}
		if (star == NULL)
			return 0;
		resume += utf8_step(resume);	/* the last star takes one more character */
		p = star;
		s = resume;
	}
}

/* A [Seat:NAME] that names one seat: what lightdm_seats lists. */
static int
is_seat_name(const char *g)
{
	return *g != '\0' && strchr(g, '*') == NULL && strchr(g, '?') == NULL;
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
		if (!is_seat_name(g) || strcmp(g, "seat0") == 0)
			continue;
		out[n++] = g;
	}
	return n;
}

/* Whether every seat the settings name (and seat0) can be matched against
 * every [Seat:GLOB] that sets something, all within one budget; if not
 * (patterns and names of hundreds of kilobytes), the settings are a
 * problem, not an answer. 0, or -1 on no memory. */
static int
seat_names_globbable(struct lightdm_conf *c)
{
	unsigned long budget = LIGHTDM_GLOB_BUDGET;

	for (size_t i = 0; i <= c->kf.n; i++) {
		const char *seat = i == c->kf.n ? "seat0" : c->kf.g[i].name;

		if (i < c->kf.n) {
			if (strncmp(seat, "Seat:", 5) != 0 || !is_seat_name(seat + 5))
				continue;
			seat += 5;
		}
		for (size_t k = 0; k < c->kf.n; k++) {
			const struct keyfile_group *g = &c->kf.g[k];
			struct mm_err pe;
			size_t o;

			if (strncmp(g->name, "Seat:", 5) != 0 || strcmp(g->name, "Seat:*") == 0 ||
			    g->n == 0 || glob_match(g->name + 5, seat, &budget) != -1)
				continue;
			o = g->v[0].origin;
			err_clear(&pe);
			err_set(&pe, "parse_error", "LightDM's [Seat:...] patterns and seat names are "
			    "too long to tell which settings apply to which seat");
			return add_problem(c, o < c->n_sources ? c->sources[o] : conf_file, &pe);
		}
	}
	return 0;
}

const char *
lightdm_seat_get(const struct lightdm_conf *c, const char *seat, const char *key,
    const char **source)
{
	const struct keyfile_entry *best = keyfile_entry(&c->kf, "Seat:*", key), *en;
	unsigned long budget = LIGHTDM_GLOB_BUDGET;

	for (size_t i = 0; i < c->kf.n; i++) {
		const char *g = c->kf.g[i].name;
		if (strncmp(g, "Seat:", 5) != 0 || strcmp(g, "Seat:*") == 0 ||
		    (en = keyfile_entry(&c->kf, g, key)) == NULL)
			continue;
		/* Over budget only for a seat lightdm_load did not check, or
		 * with a problem recorded: no match then. */
		if (glob_match(g + 5, seat, &budget) == 1)
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
