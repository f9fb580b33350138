/* p2p.absent (article 16-2): no file-sharing software is installed, lying
 * in the places people keep programs, or running. What counts as
 * file-sharing software is policy data (p2p.deny); this file only knows
 * where to look:
 *
 * - packages: dpkg's status file and RPM's SQLite database;
 * - Flatpak: /var/lib/flatpak/app/ID and each person's
 *   ~/.local/share/flatpak/app/ID; snap: /snap/NAME and
 *   /var/lib/snapd/snaps/NAME_REVISION.snap;
 * - files, by name only: bounded walks (platform/walk) of each person's
 *   Downloads, Desktop (and their Japanese names), Applications, Games
 *   and Wine prefixes (~/.wine*, winetricks, PlayOnLinux, Bottles) —
 *   where AppImages and Windows programs such as Winny.exe end up;
 * - running programs: comm and the program path of each process, and for
 *   Wine the Windows program's name (platform/proc).
 *
 * A search that was cut short (depth, entries, time, an unreadable
 * folder or database) never yields `pass`: with nothing found it is
 * `unknown` with reason walk_truncated (or the database's reason). */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks/check.h"
#include "common/utf8.h"
#include "platform/packages.h"
#include "platform/proc.h"
#include "platform/walk.h"

#define WALK_MS 2000		/* per place; a cold disk may need it */
#define MAX_SIGHTINGS 8		/* per program, in the evidence */
#define MAX_LISTED 10000	/* flatpak apps, snaps in one folder */

static const struct check_msg msgs[] = {
	{ "found_package", N_("{subject}, file-sharing software, is installed (package {package}).") },
	{ "found_flatpak", N_("{subject}, file-sharing software, is installed as the Flatpak application {flatpak}.") },
	{ "found_snap", N_("{subject}, file-sharing software, is installed as the snap {snap}.") },
	{ "found_file", N_("{subject}, file-sharing software, is in {where} ({file}).") },
	{ "found_wine", N_("{subject}, a Windows file-sharing program, is in the Wine folder {where} ({file}).") },
	{ "found_process", N_("{subject}, file-sharing software, is running (program {process}).") },
	{ "none_found", N_("No file-sharing software was found: {packages} packages, {flatpaks} Flatpak applications, {snaps} snaps, {entries} files in {places} folders and {processes} running programs were examined.") },
	{ "walk_truncated", N_("The search for file-sharing software in {truncated} was cut short, so a program there could have been missed.") },
	{ "packages_unreadable", N_("The list of installed packages could not be read, so installed file-sharing software could have been missed. ({detail})") },
	{ "processes_unreadable", N_("The list of running programs could not be read, so running file-sharing software could have been missed. ({detail})") },
	{ "accounts_unreadable", N_("The list of accounts could not be read, so home folders were not searched. ({detail})") },
	/* TRANSLATORS: "administrator" is the facility's m@tsu net administrator. */
	{ "uninstall_package", N_("As an administrator, uninstall it: `sudo apt purge {package}`. Then tell the facility's m@tsu net administrator that it was installed (article 16-2).") },
	{ "uninstall_rpm", N_("As an administrator, uninstall it: `sudo dnf remove {package}`. Then tell the facility's m@tsu net administrator that it was installed (article 16-2).") },
	{ "uninstall_flatpak", N_("Uninstall it: `flatpak uninstall --delete-data {flatpak}` (with sudo for a system-wide installation). Then tell the facility's m@tsu net administrator that it was installed (article 16-2).") },
	{ "uninstall_snap", N_("As an administrator, uninstall it: `sudo snap remove --purge {snap}`. Then tell the facility's m@tsu net administrator that it was installed (article 16-2).") },
	{ "delete_file", N_("Delete {file} from {where} (search for it there) and empty the trash. Then tell the facility's m@tsu net administrator that it was there (article 16-2).") },
	/* TRANSLATORS: a Wine folder may also hold Windows programs the clinic needs. */
	{ "remove_wine_prefix", N_("Quit the program, then delete {file} and the folder it came in from the Wine folder {where} (delete the whole Wine folder only if nothing else in it is needed), and empty the trash. Then tell the facility's m@tsu net administrator that it was there (article 16-2).") },
	{ "stop_process", N_("Quit {process} now and uninstall it. Then tell the facility's m@tsu net administrator that it was running (article 16-2).") },
	{ "search_by_hand", N_("Ask the facility's m@tsu net administrator to check {truncated} by hand; the policy's p2p.walk_max_depth and p2p.walk_max_entries bound this search.") },
	{ NULL, NULL },
};

/* Places in a home folder where downloaded programs end up. Folders in
 * `containers` hold Wine prefixes, one per subfolder. */
static const char *const places[] = {
	"Downloads", "Desktop", "ダウンロード", "デスクトップ", "Applications", "Games",
	".local/share/wineprefixes", ".PlayOnLinux/wineprefix",
	".local/share/bottles/bottles", ".var/app/com.usebottles.bottles/data/bottles/bottles",
};
#define NPLACES (sizeof(places) / sizeof(places[0]))

enum found_in { IN_DPKG, IN_RPM, IN_FLATPAK, IN_SNAP, IN_WINE, IN_FILE, IN_PROCESS };

static const char *const found_in_names[] = {
	"dpkg", "rpm", "flatpak", "snap", "file", "file", "process",
};

struct sighting {
	enum found_in in;
	char what[256];		/* package, flatpak id, snap, file or process name */
	char where[512];	/* "~/Downloads", "~/.wine"; files only */
	const char *user;	/* whose home; files only */
};

struct hit {
	struct sighting s[MAX_SIGHTINGS];
	size_t n, total;
};

/* A file pattern of the policy (p2p.deny[entry].files), with the length
 * of the literal ASCII text it starts with (see glob_may_match). */
struct file_glob {
	const char *glob;
	size_t entry;
	size_t lit;
};

struct state {
	const struct scan_ctx *ctx;
	const struct policy *pol;
	struct hit *hits;		/* one per deny entry */
	struct file_glob *globs;	/* every entry's file patterns, in order */
	size_t nglobs;
	/* what was examined */
	size_t flatpaks, snaps, homes, nplaces, entries, processes;
	int procs_examined;
	/* what was not finished */
	char truncated[1024];		/* "~/.wine (depth), …" */
	int walk_cut;
	const struct mm_err *pkg_err;
	struct mm_err proc_err;
	int proc_bad;
	struct mm_err acct_err;
	int acct_bad;
};

static void
add_sighting(struct state *st, size_t prog, enum found_in in, const char *what,
    const char *where, const char *user)
{
	struct hit *h = &st->hits[prog];

	for (size_t i = 0; i < h->n; i++)
		if (h->s[i].in == in && strcmp(h->s[i].what, what) == 0 &&
		    strcmp(h->s[i].where, where ? where : "") == 0 &&
		    (h->s[i].user == user || (user && h->s[i].user && strcmp(h->s[i].user, user) == 0)))
			return;
	h->total++;
	if (h->n == MAX_SIGHTINGS)
		return;
	struct sighting *s = &h->s[h->n++];
	s->in = in;
	snprintf(s->what, sizeof(s->what), "%s", what);
	snprintf(s->where, sizeof(s->where), "%s", where ? where : "");
	s->user = user;
}

static void
note_truncated(struct state *st, const char *where, const char *user, const char *why)
{
	size_t o = strlen(st->truncated);

	st->walk_cut = 1;
	if (o + 4 >= sizeof(st->truncated))
		return;
	if (user != NULL && st->pol->privacy.account_names == NAMES_PLAIN)
		snprintf(st->truncated + o, sizeof(st->truncated) - o, "%s%s of %s (%s)",
		    o ? ", " : "", where, user, why);
	else
		snprintf(st->truncated + o, sizeof(st->truncated) - o, "%s%s (%s)",
		    o ? ", " : "", where, why);
}

/* --- packages --- */

static void
scan_packages(struct state *st, const struct packages *pk)
{
	for (size_t i = 0; i < st->pol->p2p.n; i++) {
		const struct strlist *pl = &st->pol->p2p.v[i].packages;

		for (size_t k = 0; k < pl->n; k++) {
			const char *by = packages_find(pk, pl->v[k]);
			if (by != NULL)
				add_sighting(st, i, strcmp(by, "rpm") == 0 ? IN_RPM : IN_DPKG,
				    pl->v[k], NULL, NULL);
		}
	}
	if (!packages_complete(pk))
		st->pkg_err = packages_error(pk);
}

/* --- Flatpak and snap: names of folders and files, compared exactly --- */

static int
listed(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* A folder that could not be listed is a gap in the search like a cut walk. */
static void
list_failed(struct state *st, const char *where, const char *user, const struct mm_err *e)
{
	note_truncated(st, where, user, e->reason ? e->reason : "unreadable");
}

static void
scan_flatpak_dir(struct state *st, const char *rel, const char *where, const char *user)
{
	struct mm_err e;
	char **names;
	size_t n;
	enum file_status s;

	err_clear(&e);
	s = root_list_dir(st->ctx->root, rel, MAX_LISTED, &names, &n, &e);
	if (s == FILE_ABSENT)
		return;
	if (s == FILE_BAD) {
		list_failed(st, where, user, &e);
		return;
	}
	st->flatpaks += n;
	for (size_t i = 0; i < st->pol->p2p.n; i++) {
		const struct strlist *fl = &st->pol->p2p.v[i].flatpaks;
		for (size_t k = 0; k < fl->n; k++)
			if (listed(names, n, fl->v[k]))
				add_sighting(st, i, IN_FLATPAK, fl->v[k], NULL, NULL);
	}
	root_free_names(names, n);
}

static void
scan_snaps(struct state *st)
{
	struct mm_err e;
	char **snapdir = NULL, **files = NULL;
	size_t nd = 0, nf = 0;
	enum file_status s1, s2;

	err_clear(&e);
	s1 = root_list_dir(st->ctx->root, "/snap", MAX_LISTED, &snapdir, &nd, &e);
	if (s1 == FILE_BAD)
		list_failed(st, "/snap", NULL, &e);
	err_clear(&e);
	s2 = root_list_dir(st->ctx->root, "/var/lib/snapd/snaps", MAX_LISTED, &files, &nf, &e);
	if (s2 == FILE_BAD)
		list_failed(st, "/var/lib/snapd/snaps", NULL, &e);
	for (size_t j = 0; j < nf; j++)
		if (strlen(files[j]) > 5 && strcmp(files[j] + strlen(files[j]) - 5, ".snap") == 0)
			st->snaps++;
	for (size_t i = 0; i < st->pol->p2p.n; i++) {
		const struct strlist *sl = &st->pol->p2p.v[i].snaps;

		for (size_t k = 0; k < sl->n; k++) {
			size_t len = strlen(sl->v[k]);
			int found = listed(snapdir, nd, sl->v[k]);

			/* NAME_REVISION.snap: the name ends at the last '_'. */
			for (size_t j = 0; j < nf && !found; j++) {
				const char *us = strrchr(files[j], '_');
				found = us != NULL && (size_t)(us - files[j]) == len &&
				    strncmp(files[j], sl->v[k], len) == 0;
			}
			if (found)
				add_sighting(st, i, IN_SNAP, sl->v[k], NULL, NULL);
		}
	}
	root_free_names(snapdir, nd);
	root_free_names(files, nf);
}

/* --- files in home folders --- */

struct place_walk {
	struct state *st;
	const char *where;	/* "~/.wine" */
	const char *user;
};

/* The Wine prefix a file lies in: the folders before "drive_c". */
static int
wine_prefix(const char *dir, char *prefix, size_t len)
{
	const char *p = dir;

	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == 7 && strncmp(p, "drive_c", 7) == 0) {
			size_t k = (size_t)(p - dir);
			if (k > 0)
				k--;	/* the '/' before drive_c */
			if (k >= len)
				return 0;
			memcpy(prefix, dir, k);
			prefix[k] = '\0';
			return 1;
		}
		if (slash == NULL)
			return 0;
		p = slash + 1;
	}
}

/* The literal text a glob starts with: the bytes before its first
 * wildcard or escape ('*', '?', '[', '\\'), as long as they are ASCII. */
static size_t
glob_literal_len(const char *glob)
{
	size_t n = 0;

	while (glob[n] != '\0' && strchr("*?[\\", glob[n]) == NULL &&
	    (unsigned char)glob[n] < 0x80)
		n++;
	return n;
}

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* 0 when fnmatch(g->glob, name, FNM_CASEFOLD) surely fails, 1 when it
 * has to be asked. fnmatch in a UTF-8 locale turns both strings into wide
 * characters on every call, which made it most of this check's time over
 * thousands of names; this test rejects nearly all of them for the cost
 * of a byte or two, and gives the same answer in every locale, as it only
 * says no where fnmatch must:
 * - an ASCII byte of the name that is not the glob's literal byte, ASCII
 *   case aside: in any locale FNM_CASEFOLD compares lowercase forms, and
 *   no locale lowers two ASCII letters that differ apart from case to one
 *   character (Turkish lowers 'I' to U+0131, which is then fnmatch's no);
 * - a name of ASCII bytes shorter than the literal text.
 * A byte >= 0x80 is left to fnmatch: in a UTF-8 locale U+212A KELVIN SIGN
 * lowers to 'k' and U+0130 to 'i', a byte sequence that is not UTF-8 is
 * no match at all, and in the C locale it is a byte that matches '*'. */
static int
glob_may_match(const struct file_glob *g, const char *name)
{
	for (size_t i = 0; i < g->lit; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '\0')
			return 0;
		if (c >= 0x80)
			return 1;
		if (ascii_lower(c) != ascii_lower((unsigned char)g->glob[i]))
			return 0;
	}
	return 1;
}

static void
globs_build(struct state *st)
{
	size_t n = 0;

	for (size_t i = 0; i < st->pol->p2p.n; i++)
		n += st->pol->p2p.v[i].files.n;
	st->globs = calloc(n ? n : 1, sizeof(*st->globs));
	if (st->globs == NULL)
		abort();	/* as result_add: a lost finding could hide a fail */
	for (size_t i = 0; i < st->pol->p2p.n; i++) {
		const struct strlist *fl = &st->pol->p2p.v[i].files;

		for (size_t k = 0; k < fl->n; k++) {
			struct file_glob *g = &st->globs[st->nglobs++];

			g->glob = fl->v[k];
			g->entry = i;
			g->lit = glob_literal_len(fl->v[k]);
		}
	}
}

static int
visit_file(void *arg, const char *dir, const char *name, char kind)
{
	struct place_walk *pw = arg;
	struct state *st = pw->st;

	if (kind != 'f' && kind != 'l')
		return 0;
	for (size_t j = 0; j < st->nglobs; j++) {
		const struct file_glob *g = &st->globs[j];
		char prefix[512], where[1024];

		if (!glob_may_match(g, name) ||
		    fnmatch(g->glob, name, FNM_CASEFOLD) != 0)
			continue;
		if (wine_prefix(dir, prefix, sizeof(prefix))) {
			/* The prefix folder is named: it is what to delete. */
			snprintf(where, sizeof(where), "%s%s%s", pw->where,
			    prefix[0] ? "/" : "", prefix);
			add_sighting(st, g->entry, IN_WINE, name, where, pw->user);
		} else
			add_sighting(st, g->entry, IN_FILE, name, pw->where, pw->user);
		/* One sighting a name for each program: on to the next one. */
		while (j + 1 < st->nglobs && st->globs[j + 1].entry == g->entry)
			j++;
	}
	return 0;
}

static void
walk_place(struct state *st, const char *home, const char *rel, const char *user)
{
	struct walk_limits lim = {
		st->pol->p2p.walk_max_depth, st->pol->p2p.walk_max_entries, WALK_MS,
	};
	struct place_walk pw;
	struct walk_result res;
	char path[4096], where[512];
	struct mm_err e;
	enum file_status s;

	snprintf(path, sizeof(path), "%s/%s", home, rel);
	snprintf(where, sizeof(where), "~/%s", rel);
	pw.st = st;
	pw.where = where;
	pw.user = user;
	err_clear(&e);
	s = walk_tree(st->ctx->root, path, &lim, visit_file, &pw, &res, &e);
	if (s == FILE_ABSENT)
		return;
	if (s == FILE_BAD) {
		note_truncated(st, where, user, e.reason ? e.reason : "unreadable");
		return;
	}
	st->nplaces++;
	st->entries += res.entries;
	if (res.stop != WALK_COMPLETE)
		note_truncated(st, where, user, walk_stop_name(res.stop));
}

static void
scan_home(struct state *st, const struct person *p)
{
	char kind, rel[4096];
	unsigned char absent[NPLACES];
	off_t size;
	struct mm_err e;
	char **names;
	size_t n;
	enum file_status s;

	err_clear(&e);
	s = root_stat(st->ctx->root, p->home, &kind, &size, &e);
	if (s == FILE_ABSENT || (s == FILE_OK && kind != 'd' && kind != 'l'))
		return;		/* no home folder: nothing kept there */
	if (s == FILE_BAD || kind == 'l') {
		note_truncated(st, "~", p->name, s == FILE_BAD && e.reason ? e.reason : "file_symlink");
		return;
	}
	st->homes++;
	/* Most homes lack most places: one look in the home folder rules
	 * them out, rather than two lookups from the root for each. */
	walk_absent_places(st->ctx->root, p->home, places, NPLACES, absent);
	for (size_t i = 0; i < NPLACES; i++)
		if (!absent[i])
			walk_place(st, p->home, places[i], p->name);
	/* Every ~/.wine* folder is a Wine prefix (WINEPREFIX=~/.wine-foo). */
	err_clear(&e);
	s = root_list_dir(st->ctx->root, p->home, (size_t)st->pol->p2p.walk_max_entries,
	    &names, &n, &e);
	if (s == FILE_BAD)
		note_truncated(st, "~", p->name, e.reason ? e.reason : "unreadable");
	if (s == FILE_OK) {
		for (size_t i = 0; i < n; i++)
			if (strncmp(names[i], ".wine", 5) == 0)
				walk_place(st, p->home, names[i], p->name);
		root_free_names(names, n);
	}
	snprintf(rel, sizeof(rel), "%s/.local/share/flatpak/app", p->home);
	scan_flatpak_dir(st, rel, "~/.local/share/flatpak/app", p->name);
}

/* --- running programs --- */

static void
scan_processes(struct state *st)
{
	const struct proc_list *pl;
	const struct mm_err *pe;
	enum file_status s;

	s = scan_ctx_processes(st->ctx, &pl, &pe);
	if (s == FILE_ABSENT)
		return;		/* not a running system: nothing runs */
	if (s == FILE_BAD) {
		st->proc_err = *pe;
		st->proc_bad = 1;
		return;
	}
	st->procs_examined = 1;
	st->processes = pl->n;
	for (size_t j = 0; j < pl->n; j++)
		for (size_t i = 0; i < st->pol->p2p.n; i++) {
			const struct strlist *ps = &st->pol->p2p.v[i].processes;
			for (size_t k = 0; k < ps->n; k++) {
				const char *m = proc_match(&pl->v[j], ps->v[k]);
				if (m != NULL) {
					add_sighting(st, i, IN_PROCESS, m, NULL, NULL);
					break;
				}
			}
		}
}

/* --- findings --- */

static const char *
reason_of(enum found_in in)
{
	switch (in) {
	case IN_DPKG: case IN_RPM: return "found_package";
	case IN_FLATPAK: return "found_flatpak";
	case IN_SNAP: return "found_snap";
	case IN_WINE: return "found_wine";
	case IN_FILE: return "found_file";
	case IN_PROCESS: return "found_process";
	}
	return NULL;
}

static const char *
remedy_of(enum found_in in)
{
	switch (in) {
	case IN_DPKG: return "uninstall_package";
	case IN_RPM: return "uninstall_rpm";
	case IN_FLATPAK: return "uninstall_flatpak";
	case IN_SNAP: return "uninstall_snap";
	case IN_WINE: return "remove_wine_prefix";
	case IN_FILE: return "delete_file";
	case IN_PROCESS: return "stop_process";
	}
	return NULL;
}

static const char *
what_key(enum found_in in)
{
	switch (in) {
	case IN_DPKG: case IN_RPM: return "package";
	case IN_FLATPAK: return "flatpak";
	case IN_SNAP: return "snap";
	case IN_WINE: case IN_FILE: return "file";
	case IN_PROCESS: return "process";
	}
	return "what";
}

/* One sighting's facts; only names of programs and coarse places. */
static void
sighting_fill(const struct state *st, const struct sighting *s, json_t *o)
{
	json_object_set_new(o, "found_in", json_string(found_in_names[s->in]));
	json_object_set_new(o, what_key(s->in), utf8_json_string(s->what));
	if (s->where[0])
		json_object_set_new(o, "where", utf8_json_string(s->where));
	if (s->in == IN_WINE)
		json_object_set_new(o, "wine", json_true());
	if (s->user != NULL && st->pol->privacy.account_names == NAMES_PLAIN)
		json_object_set_new(o, "user", utf8_json_string(s->user));
}

static void
report_hit(const struct state *st, struct check_result *r, size_t i)
{
	const struct hit *h = &st->hits[i];
	const struct sighting *primary = &h->s[0];
	json_t *ev = json_object(), *all = json_array();

	/* The sighting that says best what to do comes first: a package
	 * is uninstalled, a file deleted, a process only stopped. */
	for (size_t k = 1; k < h->n; k++)
		if (h->s[k].in < primary->in)
			primary = &h->s[k];
	sighting_fill(st, primary, ev);
	for (size_t k = 0; k < h->n; k++) {
		json_t *o = json_object();
		sighting_fill(st, &h->s[k], o);
		json_array_append_new(all, o);
	}
	json_object_set_new(ev, "found", all);
	json_object_set_new(ev, "sightings", json_integer((json_int_t)h->total));
	result_add(r, st->pol->p2p.v[i].name, V_FAIL, reason_of(primary->in),
	    remedy_of(primary->in), ev);
}

static json_t *
examined(const struct state *st, const struct packages *pk)
{
	json_t *ev = json_object();

	if (pk->dpkg_status == FILE_OK)
		json_object_set_new(ev, "packages", json_integer((json_int_t)pk->dpkg.n));
	else
		json_object_set_new(ev, "packages", json_string(
		    pk->dpkg_status == FILE_ABSENT ? "no dpkg" : "unreadable"));
	json_object_set_new(ev, "rpm", pk->rpm_status == FILE_ABSENT ? json_string("absent") :
	    pk->rpm_status == FILE_BAD ? json_string("unreadable") :
	    pk->rpm.kind == RPMDB_OTHER ? json_string("not_examined") :
	    json_integer((json_int_t)pk->rpm.n));
	json_object_set_new(ev, "flatpaks", json_integer((json_int_t)st->flatpaks));
	json_object_set_new(ev, "snaps", json_integer((json_int_t)st->snaps));
	json_object_set_new(ev, "homes", json_integer((json_int_t)st->homes));
	json_object_set_new(ev, "places", json_integer((json_int_t)st->nplaces));
	json_object_set_new(ev, "entries", json_integer((json_int_t)st->entries));
	if (st->procs_examined)
		json_object_set_new(ev, "processes", json_integer((json_int_t)st->processes));
	else
		json_object_set_new(ev, "processes", json_string(st->proc_bad ? "unreadable" : "not_examined"));
	json_object_set_new(ev, "walk_truncated", json_boolean(st->walk_cut));
	if (st->walk_cut)
		json_object_set_new(ev, "truncated", utf8_json_string(st->truncated));
	return ev;
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	struct state st;
	const struct packages *pk = scan_ctx_packages(ctx);
	int found = 0;
	json_t *ev;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.pol = ctx->policy;
	st.hits = calloc(st.pol->p2p.n ? st.pol->p2p.n : 1, sizeof(*st.hits));
	if (st.hits == NULL)
		abort();	/* as result_add: a lost finding could hide a fail */
	globs_build(&st);

	scan_packages(&st, pk);
	scan_flatpak_dir(&st, "/var/lib/flatpak/app", "/var/lib/flatpak/app", NULL);
	scan_snaps(&st);
	if (ctx->people->passwd_ok) {
		for (size_t i = 0; i < ctx->people->n; i++)
			scan_home(&st, &ctx->people->v[i]);
	} else {
		st.acct_err = ctx->people->passwd_err;
		st.acct_bad = 1;
	}
	scan_processes(&st);

	for (size_t i = 0; i < st.pol->p2p.n; i++)
		if (st.hits[i].n > 0) {
			report_hit(&st, r, i);
			found = 1;
		}

	/* What could not be searched is said once, on "system"; with a
	 * program found the check fails anyway, but the gap is still shown. */
	ev = examined(&st, pk);
	if (st.pkg_err != NULL || st.proc_bad || st.acct_bad || st.walk_cut) {
		const struct mm_err *e = st.pkg_err != NULL ? st.pkg_err :
		    st.acct_bad ? &st.acct_err : st.proc_bad ? &st.proc_err : NULL;
		const char *reason = st.pkg_err != NULL ? "packages_unreadable" :
		    st.acct_bad ? "accounts_unreadable" :
		    st.proc_bad ? "processes_unreadable" : "walk_truncated";

		if (e != NULL)
			json_object_set_new(ev, "detail", utf8_json_string(e->msg));
		result_add(r, "system", V_UNKNOWN, reason,
		    st.walk_cut ? "search_by_hand" : NULL, ev);
	} else if (!found)
		result_add(r, "system", V_PASS, "none_found", NULL, ev);
	else
		json_decref(ev);
	free(st.globs);
	free(st.hits);
}

const struct check_def check_p2p_absent = {
	"p2p.absent", "16-2",
	N_("No file-sharing software is installed or running"),
	run, msgs,
};
