/* browsers: profiles, installations and password stores; see browsers.h.
 *
 * Where the places come from (upstream, checked for this module):
 * - Chromium family user data folders: chromium docs/user_data_dir.md
 *   (~/.config/google-chrome, ~/.config/chromium), Edge ~/.config/microsoft-edge,
 *   Brave ~/.config/BraveSoftware/Brave-Browser; the snap keeps Chromium's
 *   in ~/snap/chromium/common/chromium (its launcher sets CHROME_CONFIG_HOME
 *   to $SNAP_USER_COMMON), flatpaks in ~/.var/app/ID/config/ (Chrome
 *   com.google.Chrome, Chromium org.chromium.Chromium, Edge
 *   com.microsoft.Edge, Brave com.brave.Browser). The Brave snap runs with
 *   XDG_CONFIG_HOME=$SNAP_USER_DATA, so its profiles are in
 *   ~/snap/brave/current/.config/BraveSoftware/Brave-Browser; its
 *   snapcraft.yaml also sets BRAVE_CONFIG_HOME=$SNAP_USER_COMMON, so
 *   ~/snap/brave/common/BraveSoftware/Brave-Browser is read too. "current"
 *   is snapd's link to the revision in use; it is resolved by hand (one
 *   name, never a path) since nothing else here follows a link.
 * - Profiles: Local State's profile.info_cache keys, and the folders
 *   "Default" and "Profile N" beside it.
 * - Policy folders (chromium docs/enterprise, ConfigDirPolicyLoader):
 *   /etc/opt/chrome/policies, /etc/chromium/policies (Debian, Fedora,
 *   Arch), /etc/chromium-browser/policies (Ubuntu's snap),
 *   /etc/opt/edge/policies (the Edge flatpak links the host's files in,
 *   flathub com.microsoft.Edge edge.sh), /etc/brave/policies (the Brave
 *   flatpak copies the host's in, flathub com.brave.Browser#105; the Brave
 *   snap cannot read it: snapd's browser-support interface opens only
 *   /etc/opt/chrome and /etc/chromium to a snap, and Brave's snap asks for
 *   no other /etc folder, so it has no policy folder), the Chromium flatpak
 *   reads its org.chromium.Chromium.Extension (and older .Policy) flatpak
 *   extensions; each holds managed/ and recommended/, every file in them
 *   is read, the last by name wins.
 * - Firefox: ~/.mozilla/firefox, and since Firefox 147
 *   $XDG_CONFIG_HOME/mozilla/firefox (bug 259356); the snap keeps it under
 *   ~/snap/firefox/common, the flatpak under ~/.var/app/org.mozilla.firefox.
 *   Profiles are profiles.ini's [ProfileN] Path= / IsRelative=.
 * - Firefox policies (EnterprisePoliciesParent JSONPoliciesProvider): on
 *   Linux /etc/firefox/policies/policies.json when it exists — then it is
 *   the only file read — else the installation's distribution/policies.json;
 *   the snap reads the /etc one too (bug 1717216), the flatpak the
 *   org.mozilla.firefox.systemconfig extension's policies/policies.json.
 * - Firefox default prefs: the installation's defaults/pref/ and
 *   browser/defaults/preferences/; Debian links browser/defaults/syspref to
 *   /etc/firefox-esr (firefox-esr) or /etc/firefox; the snap also reads
 *   /etc/firefox/defaults/pref/; an autoconfig file named by
 *   general.config.filename is read from /etc/firefox/, then the
 *   installation folder (nsReadConfig). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <sqlite3.h>
#include "platform/browsers.h"
#include "platform/chromium_prefs.h"
#include "platform/keyfile.h"
#include "platform/text.h"

#define MAX_DIR_ENTRIES	4096	/* a user data folder holds a few dozen */
#define MAX_GLOB	32	/* folders a policy pattern may expand to */

static const char *const browser_names[] = {
	"chrome", "chromium", "edge", "brave", "firefox",
};
static const char *const browser_products[] = {
	"Google Chrome", "Chromium", "Microsoft Edge", "Brave", "Firefox",
};
static const char *const install_names[] = { "native", "snap", "flatpak" };

const char *
browser_name(enum browser_id b)
{
	return browser_names[b];
}

const char *
browser_product(enum browser_id b)
{
	return browser_products[b];
}

const char *
browser_install_name(enum browser_install i)
{
	return install_names[i];
}

/* Where a browser keeps its profiles, relative to the home folder, and
 * (Chromium family) where its policies are; a '*' part of a policy path
 * matches any one folder name. */
struct place {
	enum browser_id browser;
	enum browser_install install;
	const char *rel;
	const char *policy[2];
};

static const struct place places[] = {
	{ BROWSER_CHROME, INSTALL_NATIVE, ".config/google-chrome",
	    { "/etc/opt/chrome/policies", NULL } },
	{ BROWSER_CHROME, INSTALL_FLATPAK, ".var/app/com.google.Chrome/config/google-chrome",
	    { "/etc/opt/chrome/policies", NULL } },
	{ BROWSER_CHROMIUM, INSTALL_NATIVE, ".config/chromium",
	    { "/etc/chromium/policies", NULL } },
	{ BROWSER_CHROMIUM, INSTALL_SNAP, "snap/chromium/common/chromium",
	    { "/etc/chromium-browser/policies", NULL } },
	{ BROWSER_CHROMIUM, INSTALL_FLATPAK, ".var/app/org.chromium.Chromium/config/chromium",
	    { "/var/lib/flatpak/extension/org.chromium.Chromium.Extension.*/*/*/policies",
	      "/var/lib/flatpak/extension/org.chromium.Chromium.Policy.*/*/*/policies" } },
	{ BROWSER_EDGE, INSTALL_NATIVE, ".config/microsoft-edge",
	    { "/etc/opt/edge/policies", NULL } },
	{ BROWSER_EDGE, INSTALL_FLATPAK, ".var/app/com.microsoft.Edge/config/microsoft-edge",
	    { "/etc/opt/edge/policies", NULL } },
	{ BROWSER_BRAVE, INSTALL_NATIVE, ".config/BraveSoftware/Brave-Browser",
	    { "/etc/brave/policies", NULL } },
	{ BROWSER_BRAVE, INSTALL_SNAP, "snap/brave/current/.config/BraveSoftware/Brave-Browser",
	    { NULL, NULL } },
	{ BROWSER_BRAVE, INSTALL_SNAP, "snap/brave/common/BraveSoftware/Brave-Browser",
	    { NULL, NULL } },
	{ BROWSER_BRAVE, INSTALL_FLATPAK,
	    ".var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser",
	    { "/etc/brave/policies", NULL } },
	{ BROWSER_FIREFOX, INSTALL_NATIVE, ".mozilla/firefox", { NULL, NULL } },
	{ BROWSER_FIREFOX, INSTALL_NATIVE, ".config/mozilla/firefox", { NULL, NULL } },
	{ BROWSER_FIREFOX, INSTALL_SNAP, "snap/firefox/common/.mozilla/firefox", { NULL, NULL } },
	{ BROWSER_FIREFOX, INSTALL_SNAP, "snap/firefox/common/.config/mozilla/firefox",
	    { NULL, NULL } },
	{ BROWSER_FIREFOX, INSTALL_FLATPAK, ".var/app/org.mozilla.firefox/.mozilla/firefox",
	    { NULL, NULL } },
	{ BROWSER_FIREFOX, INSTALL_FLATPAK, ".var/app/org.mozilla.firefox/config/mozilla/firefox",
	    { NULL, NULL } },
};

/* Program folders that show a browser is installed. */
static const char *const install_marks[] = {
	"/opt/google/chrome", "/usr/lib/chromium", "/usr/lib/chromium-browser",
	"/usr/lib64/chromium-browser", "/opt/microsoft/msedge", "/opt/brave.com/brave",
	"/usr/lib/firefox", "/usr/lib/firefox-esr", "/usr/lib64/firefox", "/opt/firefox",
	"/snap/chromium", "/snap/firefox", "/snap/brave",
	"/var/lib/flatpak/app/com.google.Chrome", "/var/lib/flatpak/app/org.chromium.Chromium",
	"/var/lib/flatpak/app/com.brave.Browser", "/var/lib/flatpak/app/com.microsoft.Edge",
	"/var/lib/flatpak/app/org.mozilla.firefox",
};

/* Native Firefox installations: program folder and the /etc folder Debian
 * links in as browser/defaults/syspref. */
static const struct {
	const char *label, *dir, *syspref;
} firefox_native[] = {
	{ "firefox", "/usr/lib/firefox", "/etc/firefox" },
	{ "firefox-esr", "/usr/lib/firefox-esr", "/etc/firefox-esr" },
	{ "firefox", "/usr/lib64/firefox", NULL },
	{ "firefox", "/opt/firefox", NULL },
};

#define FIREFOX_SYSTEM_POLICIES "/etc/firefox/policies/policies.json"

static char *
path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p;

	while (la > 1 && a[la - 1] == '/')
		la--;
	if ((p = malloc(la + 1 + lb + 1)) == NULL)
		return NULL;
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

void
browser_free_paths(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
push_path(char ***v, size_t *n, char *p)
{
	char **nv;

	if (p == NULL)
		return -1;
	if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL) {
		free(p);
		return -1;
	}
	nv[(*n)++] = p;
	*v = nv;
	return 0;
}

/* Adds an entry; user_dir, dir and name are copied (dir, name may be NULL). */
static int
add_profile(struct browser_profiles *bp, const struct place *pl, const char *user_dir,
    const char *dir, const char *name, const struct mm_err *err)
{
	struct browser_profile *p;

	if (bp->n == bp->cap) {
		size_t nc = bp->cap ? bp->cap * 2 : 8;
		struct browser_profile *nv = realloc(bp->v, nc * sizeof(*nv));
		if (nv == NULL)
			return -1;
		bp->v = nv;
		bp->cap = nc;
	}
	p = &bp->v[bp->n];
	memset(p, 0, sizeof(*p));
	p->browser = pl->browser;
	p->install = pl->install;
	p->user_dir = strdup(user_dir);
	p->dir = dir ? strdup(dir) : NULL;
	p->name = name ? strdup(name) : NULL;
	if (p->user_dir == NULL || (dir && !p->dir) || (name && !p->name)) {
		free(p->user_dir);
		free(p->dir);
		free(p->name);
		return -1;
	}
	p->ok = err == NULL;
	if (err != NULL)
		p->err = *err;
	bp->n++;
	return 0;
}

void
browser_profiles_free(struct browser_profiles *bp)
{
	for (size_t i = 0; i < bp->n; i++) {
		free(bp->v[i].user_dir);
		free(bp->v[i].dir);
		free(bp->v[i].name);
	}
	free(bp->v);
	memset(bp, 0, sizeof(*bp));
}

/* Checks that path is a real folder. 1 yes, 0 absent, -1 not usable (err). */
static int
stat_dir(const struct root *r, const char *path, struct mm_err *err)
{
	char kind;
	off_t size;
	enum file_status s;

	err_clear(err);
	s = root_stat(r, path, &kind, &size, err);
	if (s == FILE_ABSENT)
		return 0;
	if (s == FILE_BAD)
		return -1;
	if (kind == 'l') {
		err_set(err, "file_symlink", "%s is a symbolic link; mamori does not follow it",
		    path);
		return -1;
	}
	if (kind != 'd') {
		err_set(err, "file_not_regular", "%s is not a folder", path);
		return -1;
	}
	return 1;
}

static int
looks_like_chromium_profile(const char *name)
{
	const char *p;

	if (strcmp(name, "Default") == 0)
		return 1;
	if (strncmp(name, "Profile ", 8) != 0 || name[8] == '\0')
		return 0;
	for (p = name + 8; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

static int
has_name(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int
find_chromium(const struct root *r, const struct place *pl, const char *user_dir,
    struct browser_profiles *out)
{
	char **listed = NULL, **cand = NULL, **known = NULL, *path, *buf;
	size_t nlisted = 0, ncand = 0, nknown = 0, len;
	struct mm_err err;
	int rc = -1, st;

	st = stat_dir(r, user_dir, &err);
	if (st == 0)
		return 0;
	if (st < 0)
		return add_profile(out, pl, user_dir, NULL, NULL, &err);
	/* Local State names profiles a browser knows; it is a help, not a
	 * must: the folders are listed too, so an unreadable one is ignored. */
	if ((path = path_join(user_dir, "Local State")) == NULL)
		return -1;
	if (root_read_file(r, path, CHROMIUM_PREFS_CAP, &buf, &len, &err) == FILE_OK) {
		if (chromium_local_state_profiles(buf, len, &known, &nknown, &err) == -1 &&
		    err.reason != NULL && strcmp(err.reason, "out_of_memory") == 0) {
			free(buf);
			free(path);
			return -1;
		}
		free(buf);
	}
	free(path);
	err_clear(&err);
	if (root_list_dir(r, user_dir, MAX_DIR_ENTRIES, &listed, &nlisted, &err) != FILE_OK) {
		rc = add_profile(out, pl, user_dir, NULL, NULL, &err);
		goto done;
	}
	for (size_t i = 0; i < nlisted; i++)
		if (looks_like_chromium_profile(listed[i]) || has_name(known, nknown, listed[i]))
			if (push_path(&cand, &ncand, strdup(listed[i])) == -1)
				goto done;
	for (size_t i = 0; i < ncand; i++) {
		char *dir = path_join(user_dir, cand[i]);

		if (dir == NULL)
			goto done;
		st = stat_dir(r, dir, &err);
		if (st != 0 && add_profile(out, pl, user_dir, dir, cand[i],
		    st > 0 ? NULL : &err) == -1) {
			free(dir);
			goto done;
		}
		free(dir);
	}
	rc = 0;
done:
	root_free_names(listed, nlisted);
	browser_free_paths(cand, ncand);
	chromium_free_names(known, nknown);
	return rc;
}

/* A profiles.ini relative path: no empty, ".." or absolute part. */
static int
relpath_ok(const char *s)
{
	const char *p = s;

	if (*s == '\0' || *s == '/')
		return 0;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += n;
		while (*p == '/')
			p++;
	}
	return 1;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int
find_firefox(const struct root *r, const struct place *pl, const char *home,
    const char *user_dir, struct browser_profiles *out)
{
	struct keyfile kf;
	struct mm_err err;
	char *ini, **seen = NULL;
	size_t nseen = 0;
	enum file_status s;
	int st, rc = -1;

	st = stat_dir(r, user_dir, &err);
	if (st == 0)
		return 0;
	if (st < 0)
		return add_profile(out, pl, user_dir, NULL, NULL, &err);
	if ((ini = path_join(user_dir, "profiles.ini")) == NULL)
		return -1;
	s = keyfile_load(r, ini, KEYFILE_DEFAULT, &kf, &err);
	free(ini);
	if (s == FILE_ABSENT)
		return 0;	/* Firefox, too, sees no profile without it */
	if (s == FILE_BAD)
		return add_profile(out, pl, user_dir, NULL, NULL, &err);
	for (size_t g = 0; g < kf.n; g++) {
		const struct keyfile_group *grp = &kf.g[g];
		const char *path = keyfile_get(&kf, grp->name, "Path");
		const char *isrel = keyfile_get(&kf, grp->name, "IsRelative");
		char *pathc, *dir;
		size_t pl_len;
		int relative;

		if (strncmp(grp->name, "Profile", 7) != 0 || path == NULL)
			continue;
		pl_len = strlen(path);
		text_trim(&path, &pl_len);
		if ((pathc = text_dup(path, pl_len)) == NULL)
			goto done;
		if (isrel != NULL)
			relative = isrel[0] == '1';
		else
			relative = pathc[0] != '/';
		if (pathc[0] == '\0') {
			free(pathc);
			continue;
		}
		if (relative) {
			if (!relpath_ok(pathc)) {
				err_set(&err, "path_invalid",
				    "%s/profiles.ini names a profile path that climbs out of it", user_dir);
				free(pathc);
				if (add_profile(out, pl, user_dir, NULL, NULL, &err) == -1)
					goto done;
				continue;
			}
			dir = path_join(user_dir, pathc);
		} else {
			/* A profile elsewhere must still be the person's own:
			 * what mamori reads of it is reported as theirs. */
			size_t hl = strlen(home);
			while (hl > 1 && home[hl - 1] == '/')
				hl--;
			if (pathc[0] != '/' || strncmp(pathc, home, hl) != 0 ||
			    pathc[hl] != '/' || !relpath_ok(pathc + hl + 1)) {
				err_set(&err, "profile_outside_home",
				    "%s/profiles.ini names a profile outside the home folder %s",
				    user_dir, home);
				free(pathc);
				if (add_profile(out, pl, user_dir, NULL, NULL, &err) == -1)
					goto done;
				continue;
			}
			dir = strdup(pathc);
		}
		free(pathc);
		if (dir == NULL)
			goto done;
		while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
			dir[strlen(dir) - 1] = '\0';
		if (has_name(seen, nseen, dir)) {
			free(dir);
			continue;
		}
		st = stat_dir(r, dir, &err);
		if (st != 0 && add_profile(out, pl, user_dir, dir, base_name(dir),
		    st > 0 ? NULL : &err) == -1) {
			free(dir);
			goto done;
		}
		if (push_path(&seen, &nseen, dir) == -1)
			goto done;
	}
	rc = 0;
done:
	keyfile_free(&kf);
	browser_free_paths(seen, nseen);
	return rc;
}

/* A snap's "current": snapd makes it a link to the revision folder in use
 * ("512", "x1"). For a place "snap/NAME/current/REST", *out becomes
 * HOME/snap/NAME/REVISION/REST. 1 resolved, 0 no such snap folder, -1 not
 * usable (err; *out is the unresolved path), -2 no memory. Only a link to
 * one plain name beside it is taken: anything else was not made by snapd. */
static int
resolve_snap_current(const struct root *r, const char *home, const char *rel, char **out,
    struct mm_err *err)
{
	const char *cur = strstr(rel, "/current/");
	char *head, *snapdir, target[256], *revdir;
	struct stat st;
	ssize_t n;
	int fd, rc;

	*out = path_join(home, rel);
	if (*out == NULL)
		return -2;
	if (cur == NULL)
		return 1;
	if ((head = text_dup(rel, (size_t)(cur - rel))) == NULL)
		return -2;
	snapdir = path_join(home, head);
	free(head);
	if (snapdir == NULL)
		return -2;
	rc = stat_dir(r, snapdir, err);
	if (rc <= 0) {
		free(snapdir);
		return rc;
	}
	if ((fd = root_open_dir(r, snapdir, err)) == -1) {
		free(snapdir);
		return -1;
	}
	if (fstatat(fd, "current", &st, AT_SYMLINK_NOFOLLOW) == -1) {
		int saved = errno;

		close(fd);
		if (saved == ENOENT) {
			free(snapdir);
			return 0;
		}
		err_set(err, "file_unreadable", "%s/current cannot be examined: %s", snapdir,
		    strerror(saved));
		free(snapdir);
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		snprintf(target, sizeof(target), "current");
	else if (S_ISLNK(st.st_mode)) {
		n = readlinkat(fd, "current", target, sizeof(target) - 1);
		if (n <= 0 || (size_t)n >= sizeof(target) - 1 ||
		    memchr(target, '/', (size_t)n) != NULL || memchr(target, '\0', (size_t)n) != NULL ||
		    (n == 1 && target[0] == '.') || (n == 2 && target[0] == '.' && target[1] == '.')) {
			close(fd);
			err_set(err, "file_symlink", "%s/current does not lead to a revision folder "
			    "beside it; mamori does not follow it", snapdir);
			free(snapdir);
			return -1;
		}
		target[n] = '\0';
	} else {
		close(fd);
		err_set(err, "file_not_regular", "%s/current is not a folder", snapdir);
		free(snapdir);
		return -1;
	}
	close(fd);
	revdir = path_join(snapdir, target);
	free(snapdir);
	if (revdir == NULL)
		return -2;
	free(*out);
	*out = path_join(revdir, cur + strlen("/current/"));
	free(revdir);
	return *out == NULL ? -2 : 1;
}

/* 1 when the first folder of a place ("snap", ".var", ".config"…) is not
 * in the home folder at all: then nothing under it is either, and every
 * place below it would only be looked up to be found absent (most homes
 * have no snap or flatpak folder, and the lookups were most of a scan's
 * system calls). Anything else there — a folder, a symlink, a file — is
 * left to the full lookup, which reports what it is. first[] remembers
 * the answers for one home. */
struct first_part {
	const char *name;
	size_t len;
	int absent;
};

static int
first_part_absent(const struct root *r, const char *home, const char *rel,
    struct first_part *seen, size_t *nseen)
{
	const char *slash = strchr(rel, '/');
	size_t len = slash ? (size_t)(slash - rel) : strlen(rel);
	char *first, *path, kind;
	off_t size;

	for (size_t i = 0; i < *nseen; i++)
		if (seen[i].len == len && strncmp(seen[i].name, rel, len) == 0)
			return seen[i].absent;
	if ((first = text_dup(rel, len)) == NULL)
		return 0;	/* the full lookup decides */
	path = path_join(home, first);
	free(first);
	if (path == NULL)
		return 0;
	seen[*nseen].name = rel;
	seen[*nseen].len = len;
	seen[*nseen].absent = root_stat(r, path, &kind, &size, NULL) == FILE_ABSENT;
	free(path);
	return seen[(*nseen)++].absent;
}

int
browsers_find_profiles(const struct root *r, const struct person *p,
    struct browser_profiles *out, struct mm_err *e)
{
	struct first_part seen[sizeof(places) / sizeof(places[0])];
	size_t nseen = 0;

	memset(out, 0, sizeof(*out));
	if (p->home == NULL || p->home[0] != '/')
		return 0;	/* no home folder: no profiles */
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		const struct place *pl = &places[i];
		struct mm_err err;
		char *user_dir;
		int rc;

		if (first_part_absent(r, p->home, pl->rel, seen, &nseen))
			continue;
		err_clear(&err);
		rc = resolve_snap_current(r, p->home, pl->rel, &user_dir, &err);
		if (rc == 1)
			rc = pl->browser == BROWSER_FIREFOX ?
			    find_firefox(r, pl, p->home, user_dir, out) :
			    find_chromium(r, pl, user_dir, out);
		else if (rc == -1)
			rc = add_profile(out, pl, user_dir, NULL, NULL, &err);
		else if (rc == -2)
			rc = -1;
		free(user_dir);
		if (rc == -1)
			goto oom;
	}
	return 0;
oom:
	browser_profiles_free(out);
	err_set(e, "out_of_memory", "out of memory listing the browser profiles of %s",
	    p->name);
	return -1;
}

int
browsers_any_installed(const struct root *r)
{
	for (size_t i = 0; i < sizeof(install_marks) / sizeof(install_marks[0]); i++) {
		char kind;
		off_t size;

		if (root_stat(r, install_marks[i], &kind, &size, NULL) == FILE_OK)
			return 1;
	}
	return 0;
}

/* Expands a path whose parts may be '*' into the existing folders it
 * names, in sorted order, at most MAX_GLOB. */
static int
expand(const struct root *r, const char *pattern, char ***v, size_t *n)
{
	const char *star = strstr(pattern, "/*");
	char *head, **names = NULL;
	size_t nn = 0;
	int rc = 0;

	if (star == NULL || (star[2] != '/' && star[2] != '\0')) {
		struct mm_err err;

		/* A folder that is there, or there but unusable (a symlink):
		 * the caller reports the latter. */
		if (stat_dir(r, pattern, &err) != 0 && *n < MAX_GLOB &&
		    push_path(v, n, strdup(pattern)) == -1)
			return -1;
		return 0;
	}
	/* "/dir/prefix.*" style: a part that only ends in '*'. */
	if ((head = text_dup(pattern, (size_t)(star - pattern))) == NULL)
		return -1;
	if (root_list_dir(r, head[0] ? head : "/", MAX_DIR_ENTRIES, &names, &nn, NULL) == FILE_OK) {
		for (size_t i = 0; i < nn && rc == 0; i++) {
			char *sub = path_join(head, names[i]), *full;
			if (sub == NULL) {
				rc = -1;
				break;
			}
			full = star[2] ? path_join(sub, star + 3) : strdup(sub);
			free(sub);
			if (full == NULL) {
				rc = -1;
				break;
			}
			rc = expand(r, full, v, n);
			free(full);
		}
		root_free_names(names, nn);
	}
	free(head);
	return rc;
}

/* Like expand, for patterns with a part that starts with a fixed prefix and
 * ends in '*' ("org.chromium.Chromium.Policy.*"). */
static int
expand_prefix(const struct root *r, const char *pattern, char ***v, size_t *n)
{
	const char *star = strchr(pattern, '*');
	const char *slash;
	char *parent, *prefix, **names = NULL;
	size_t nn = 0, plen;
	int rc = 0;

	if (star == NULL || star == pattern || star[-1] == '/')
		return expand(r, pattern, v, n);
	for (slash = star; slash > pattern && slash[-1] != '/'; slash--)
		;
	if (slash == pattern)
		return 0;
	if ((parent = text_dup(pattern, (size_t)(slash - 1 - pattern))) == NULL)
		return -1;
	plen = (size_t)(star - slash);
	if ((prefix = text_dup(slash, plen)) == NULL) {
		free(parent);
		return -1;
	}
	if (root_list_dir(r, parent[0] ? parent : "/", MAX_DIR_ENTRIES, &names, &nn, NULL) ==
	    FILE_OK) {
		for (size_t i = 0; i < nn && rc == 0; i++) {
			char *sub, *full;
			if (strncmp(names[i], prefix, plen) != 0)
				continue;
			if ((sub = path_join(parent, names[i])) == NULL) {
				rc = -1;
				break;
			}
			full = star[1] ? path_join(sub, star + 2) : strdup(sub);
			free(sub);
			if (full == NULL) {
				rc = -1;
				break;
			}
			rc = expand(r, full, v, n);
			free(full);
		}
		root_free_names(names, nn);
	}
	free(parent);
	free(prefix);
	return rc;
}

static const struct place *
place_of(const struct browser_profile *p)
{
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++)
		if (places[i].browser == p->browser && places[i].install == p->install)
			return &places[i];
	return NULL;
}

int
browsers_chromium_policy_dirs(const struct root *r, const struct browser_profile *p,
    char ***dirs, size_t *n, struct mm_err *e)
{
	const struct place *pl = place_of(p);

	*dirs = NULL;
	*n = 0;
	if (pl == NULL || pl->browser == BROWSER_FIREFOX)
		return 0;
	for (size_t i = 0; i < 2 && pl->policy[i] != NULL; i++) {
		int rc = strchr(pl->policy[i], '*') ?
		    expand_prefix(r, pl->policy[i], dirs, n) :
		    push_path(dirs, n, strdup(pl->policy[i]));
		if (rc == -1) {
			browser_free_paths(*dirs, *n);
			*dirs = NULL;
			*n = 0;
			err_set(e, "out_of_memory", "out of memory listing policy folders");
			return -1;
		}
	}
	return 0;
}

void
browsers_firefox_configs_free(struct firefox_config *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		browser_free_paths(c[i].policies, c[i].n_policies);
		browser_free_paths(c[i].pref_dirs, c[i].n_pref_dirs);
		browser_free_paths(c[i].cfg_dirs, c[i].n_cfg_dirs);
	}
	free(c);
}

static struct firefox_config *
new_config(struct firefox_config **v, size_t *n, const char *label)
{
	struct firefox_config *nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (nv == NULL)
		return NULL;
	*v = nv;
	memset(&nv[*n], 0, sizeof(nv[*n]));
	nv[*n].label = label;
	return &nv[(*n)++];
}

int
browsers_firefox_configs(const struct root *r, const struct browser_profile *p,
    struct firefox_config **out, size_t *n, struct mm_err *e)
{
	struct firefox_config *c;
	char **ext = NULL;
	size_t next = 0;

	*out = NULL;
	*n = 0;
	switch (p->install) {
	case INSTALL_NATIVE:
		for (size_t i = 0; i < sizeof(firefox_native) / sizeof(firefox_native[0]); i++) {
			const char *dir = firefox_native[i].dir;
			struct mm_err err;

			if (stat_dir(r, dir, &err) <= 0)
				continue;
			if ((c = new_config(out, n, firefox_native[i].label)) == NULL ||
			    push_path(&c->policies, &c->n_policies, strdup(FIREFOX_SYSTEM_POLICIES)) ||
			    push_path(&c->policies, &c->n_policies,
				path_join(dir, "distribution/policies.json")) ||
			    push_path(&c->pref_dirs, &c->n_pref_dirs, path_join(dir, "defaults/pref")) ||
			    push_path(&c->pref_dirs, &c->n_pref_dirs,
				path_join(dir, "browser/defaults/preferences")) ||
			    (firefox_native[i].syspref && push_path(&c->pref_dirs, &c->n_pref_dirs,
				strdup(firefox_native[i].syspref))) ||
			    push_path(&c->cfg_dirs, &c->n_cfg_dirs, strdup("/etc/firefox")) ||
			    push_path(&c->cfg_dirs, &c->n_cfg_dirs, strdup(dir)))
				goto oom;
		}
		if (*n == 0) {
			/* A Firefox from the person's own folder, or gone:
			 * only the system-wide policy is known to apply. */
			if ((c = new_config(out, n, "unknown")) == NULL ||
			    push_path(&c->policies, &c->n_policies, strdup(FIREFOX_SYSTEM_POLICIES)))
				goto oom;
		}
		break;
	case INSTALL_SNAP:
		/* The snap's own folder is the publisher's, read-only; what an
		 * administrator can change is under /etc/firefox. */
		if ((c = new_config(out, n, "snap")) == NULL ||
		    push_path(&c->policies, &c->n_policies, strdup(FIREFOX_SYSTEM_POLICIES)) ||
		    push_path(&c->pref_dirs, &c->n_pref_dirs, strdup("/etc/firefox/defaults/pref")) ||
		    push_path(&c->cfg_dirs, &c->n_cfg_dirs, strdup("/etc/firefox")))
			goto oom;
		break;
	case INSTALL_FLATPAK:
		if ((c = new_config(out, n, "flatpak")) == NULL)
			goto oom;
		if (expand(r, "/var/lib/flatpak/extension/org.mozilla.firefox.systemconfig/*/*",
		    &ext, &next) == -1)
			goto oom;
		for (size_t i = 0; i < next; i++)
			if (push_path(&c->policies, &c->n_policies,
			    path_join(ext[i], "policies/policies.json")) ||
			    push_path(&c->pref_dirs, &c->n_pref_dirs, path_join(ext[i], "defaults/pref")))
				goto oom;
		browser_free_paths(ext, next);
		ext = NULL;
		break;
	}
	return 0;
oom:
	browser_free_paths(ext, next);
	browsers_firefox_configs_free(*out, *n);
	*out = NULL;
	*n = 0;
	err_set(e, "out_of_memory", "out of memory listing Firefox's settings");
	return -1;
}

/* Firefox's schema accepts true/false and the numbers 0 and 1 for a
 * boolean (JsonSchemaValidator); anything else drops the policy. */
static int
policy_bool(json_t *v)
{
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_number(v)) {
		double d = json_number_value(v);
		if (d == 0.0)
			return 0;
		if (d == 1.0)
			return 1;
	}
	return -1;
}

int
browsers_firefox_policy_parse(const char *buf, size_t len, struct firefox_policy *out,
    struct mm_err *e)
{
	json_error_t je;
	json_t *root, *pol;

	out->password_manager_enabled = out->offer_to_save = out->offer_to_save_default = -1;
	root = json_loadb(buf, len, 0, &je);
	if (root == NULL) {
		err_set(e, "parse_error", "policies.json is not valid JSON (line %d: %s)",
		    je.line, je.text);
		return -1;
	}
	pol = json_object_get(root, "policies");
	if (!json_is_object(pol)) {
		json_decref(root);
		err_set(e, "parse_error", "policies.json has no \"policies\" object");
		return -1;
	}
	out->password_manager_enabled = policy_bool(json_object_get(pol, "PasswordManagerEnabled"));
	out->offer_to_save = policy_bool(json_object_get(pol, "OfferToSaveLogins"));
	out->offer_to_save_default = policy_bool(json_object_get(pol, "OfferToSaveLoginsDefault"));
	json_decref(root);
	return 0;
}

/* ---- Chromium's login database ---- */

/* Steps of SQLite's virtual machine (in thousands) a count may take: a
 * real store is counted in far fewer; a crafted one must not hang a scan. */
#define LOGINDB_MAX_PROGRESS 200000

static int
on_progress(void *arg)
{
	unsigned *calls = arg;

	return ++*calls > LOGINDB_MAX_PROGRESS;
}

static const char *
db_reason(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
	case SQLITE_FORMAT:
		return "db_corrupt";
	case SQLITE_INTERRUPT:
		return "db_too_slow";
	case SQLITE_NOMEM:
		return "out_of_memory";
	default:
		return "db_unreadable";
	}
}

/* Counts in buf, which is ours to change and stays valid throughout. */
static int
logindb_count_owned(unsigned char *buf, size_t len, long *count, struct mm_err *e)
{
	static const char has_table[] =
	    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'logins'";
	/* blacklisted_by_user = 1 rows are "never save for this site"
	 * entries with no password (login_database.cc). The value itself is
	 * only measured, never selected. */
	static const char count_sql[] =
	    "SELECT count(*) FROM logins WHERE blacklisted_by_user = 0 "
	    "AND length(password_value) > 0";
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	unsigned calls = 0;
	int rc, step;

	*count = 0;
	if (len == 0)
		return 0;	/* an empty file is an empty database */
	/* A database in WAL mode says so in header bytes 18 and 19; memory
	 * databases cannot open a WAL, and this copy has none to read, so it
	 * is marked as a rollback-journal database. */
	if (len >= 100 && memcmp(buf, "SQLite format 3", 16) == 0) {
		if (buf[18] == 2)
			buf[18] = 1;
		if (buf[19] == 2)
			buf[19] = 1;
	}
	rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_PRIVATECACHE | SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	/* A store comes from the person: treat its schema as hostile. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
	sqlite3_progress_handler(db, 1000, on_progress, &calls);
	rc = sqlite3_deserialize(db, "main", buf, (sqlite3_int64)len, (sqlite3_int64)len,
	    SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK)
		goto fail;
	rc = sqlite3_prepare_v2(db, has_table, -1, &st, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		rc = step;
		goto fail;
	}
	if (sqlite3_column_int64(st, 0) != 1) {
		sqlite3_finalize(st);
		sqlite3_close(db);
		err_set(e, "db_schema_unknown",
		    "the login database has no logins table; it is not Chromium's");
		return -1;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = sqlite3_prepare_v2(db, count_sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		int corrupt = strcmp(db_reason(rc), "db_corrupt") == 0;
		sqlite3_close(db);
		if (corrupt) {
			err_set(e, "db_corrupt", "the login database is damaged");
			return -1;
		}
		err_set(e, "db_schema_unknown",
		    "the login database's logins table lacks Chromium's columns");
		return -1;
	}
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		rc = step;
		goto fail;
	}
	*count = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
fail:
	{
		const char *why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
		err_set(e, db_reason(rc), "the login database could not be read: %s", why);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return -1;
}

int
browsers_logindb_count(const void *buf, size_t len, long *count, struct mm_err *e)
{
	unsigned char *copy;
	int rc;

	if (len > BROWSERS_LOGINDB_CAP) {
		*count = 0;
		err_set(e, "file_too_large", "the login database is %zu bytes, more than the %u read",
		    len, BROWSERS_LOGINDB_CAP);
		return -1;
	}
	if ((copy = malloc(len ? len : 1)) == NULL) {
		err_set(e, "out_of_memory", "out of memory reading a login database");
		return -1;
	}
	if (len)
		memcpy(copy, buf, len);
	rc = logindb_count_owned(copy, len, count, e);
	free(copy);
	return rc;
}

/* 1 if NAME-wal beside it is a regular file with frames in it. */
static int
wal_has_frames(int dfd, const char *name)
{
	char wal[512];
	struct stat st;

	if ((size_t)snprintf(wal, sizeof(wal), "%s-wal", name) >= sizeof(wal))
		return 0;
	if (fstatat(dfd, wal, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return 0;
	return S_ISREG(st.st_mode) && st.st_size > 32;	/* more than its header */
}

enum file_status
browsers_chromium_count_logins(const struct root *r, const char *dir, const char *name,
    long *count, struct mm_err *e)
{
	struct stat st, st2;
	unsigned char *buf = NULL;
	size_t have = 0;
	int dfd, pfd, fd, wal_pending;

	*count = 0;
	if ((dfd = root_open_dir(r, dir, e)) == -1)
		return e && e->reason && strcmp(e->reason, "file_absent") == 0 ?
		    FILE_ABSENT : FILE_BAD;
	/* As root_read_file: look with O_PATH first (opening a FIFO or a
	 * device can block or act), then open the same inode for reading. */
	pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd == -1) {
		int saved = errno;
		close(dfd);
		if (saved == ENOENT)
			return FILE_ABSENT;
		err_set(e, "file_unreadable", "%s/%s cannot be opened: %s", dir, name,
		    strerror(saved));
		return FILE_BAD;
	}
	if (fstat(pfd, &st) == -1) {
		int saved = errno;
		close(pfd);
		close(dfd);
		err_set(e, "file_unreadable", "%s/%s: %s", dir, name, strerror(saved));
		return FILE_BAD;
	}
	close(pfd);
	if (S_ISLNK(st.st_mode)) {
		close(dfd);
		err_set(e, "file_symlink", "%s/%s is a symbolic link; refused", dir, name);
		return FILE_BAD;
	}
	if (!S_ISREG(st.st_mode)) {
		close(dfd);
		err_set(e, "file_not_regular",
		    "%s/%s is not a regular file (a FIFO, device or folder); refused", dir, name);
		return FILE_BAD;
	}
	if ((uintmax_t)st.st_size > BROWSERS_LOGINDB_CAP) {
		close(dfd);
		err_set(e, "file_too_large", "%s/%s is %jd bytes, more than the %u read", dir,
		    name, (intmax_t)st.st_size, BROWSERS_LOGINDB_CAP);
		return FILE_BAD;
	}
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	wal_pending = wal_has_frames(dfd, name);
	close(dfd);
	if (fd == -1) {
		err_set(e, "file_unreadable", "%s/%s cannot be opened: %s", dir, name,
		    strerror(errno));
		return FILE_BAD;
	}
	if (fstat(fd, &st2) == -1 || st2.st_ino != st.st_ino || st2.st_dev != st.st_dev ||
	    !S_ISREG(st2.st_mode)) {
		close(fd);
		err_set(e, "file_not_regular", "%s/%s changed while it was opened; refused", dir,
		    name);
		return FILE_BAD;
	}
	/* The private copy: a running browser may write on; what is read is
	 * one moment of the file, and SQLite never sees the path. */
	if ((buf = malloc((size_t)st2.st_size + 1)) == NULL) {
		close(fd);
		err_set(e, "out_of_memory", "out of memory reading %s/%s", dir, name);
		return FILE_BAD;
	}
	for (;;) {
		ssize_t got;

		if (have == (size_t)st2.st_size + 1) {
			free(buf);
			close(fd);
			err_set(e, "file_unreadable", "%s/%s grew while it was read; try again",
			    dir, name);
			return FILE_BAD;
		}
		got = read(fd, buf + have, (size_t)st2.st_size + 1 - have);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			int saved = errno;
			free(buf);
			close(fd);
			err_set(e, "file_unreadable", "%s/%s: read failed: %s", dir, name,
			    strerror(saved));
			return FILE_BAD;
		}
		if (got == 0)
			break;
		have += (size_t)got;
	}
	close(fd);
	if (logindb_count_owned(buf, have, count, e) == -1) {
		char msg[sizeof(e->msg)];
		snprintf(msg, sizeof(msg), "%s", e->msg);
		err_set(e, e->reason, "%s/%s: %s", dir, name, msg);
		free(buf);
		return FILE_BAD;
	}
	free(buf);
	/* Rows committed to a write-ahead log are not in the main file yet;
	 * "none" cannot be told then, while any count found is real. */
	if (*count == 0 && wal_pending) {
		err_set(e, "db_busy", "%s/%s has changes in its write-ahead log that are not "
		    "counted; scan again once the browser is closed", dir, name);
		return FILE_BAD;
	}
	return FILE_OK;
}

/* ---- Firefox's logins.json ---- */

/* A streaming reader: logins.json comes from the person and may be tens of
 * MiB; only a count is wanted, so nothing is built in memory. Strict JSON
 * as JSON.parse reads it; depth is bounded. */
#define LOGINS_MAX_DEPTH 256

struct js {
	const unsigned char *s;
	size_t n, i;
};

static void
js_ws(struct js *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
	    j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

static int
js_peek(struct js *j)
{
	js_ws(j);
	return j->i < j->n ? j->s[j->i] : -1;
}

/* Reads a string; its first out_cap-1 bytes (escapes decoded, non-ASCII
 * \u escapes as '?') go to out, *trunc says whether more followed. */
static int
js_string(struct js *j, char *out, size_t out_cap, int *trunc)
{
	size_t o = 0;

	*trunc = 0;
	if (js_peek(j) != '"')
		return -1;
	j->i++;
	while (j->i < j->n) {
		int c = j->s[j->i++];

		if (c == '"') {
			if (out_cap)
				out[o] = '\0';
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (j->i >= j->n)
				return -1;
			c = j->s[j->i++];
			switch (c) {
			case '"': case '\\': case '/':
				break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u': {
				unsigned v = 0;
				for (int k = 0; k < 4; k++) {
					int h;
					if (j->i >= j->n || (h = text_hexval(j->s[j->i])) < 0)
						return -1;
					v = v << 4 | (unsigned)h;
					j->i++;
				}
				c = v < 0x80 ? (int)v : '?';
				break;
			}
			default:
				return -1;
			}
		}
		if (o + 1 < out_cap)
			out[o++] = (char)c;
		else
			*trunc = 1;
	}
	return -1;
}

static int
js_literal(struct js *j, const char *lit)
{
	size_t l = strlen(lit);

	if (j->n - j->i < l || memcmp(j->s + j->i, lit, l) != 0)
		return -1;
	j->i += l;
	return 0;
}

static int
js_number(struct js *j)
{
	size_t start = j->i;

	if (j->i < j->n && j->s[j->i] == '-')
		j->i++;
	if (j->i >= j->n)
		return -1;
	if (j->s[j->i] == '0')
		j->i++;
	else if (j->s[j->i] >= '1' && j->s[j->i] <= '9')
		while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	else
		return -1;
	if (j->i < j->n && j->s[j->i] == '.') {
		j->i++;
		if (j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
			return -1;
		while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	}
	if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		if (j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
			return -1;
		while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	}
	return j->i > start ? 0 : -1;
}

/* Skips one value. Arrays and objects are walked with an explicit depth
 * bound instead of recursion so that no input can exhaust the stack. */
static int
js_skip(struct js *j, int depth)
{
	char trunc_buf[1];
	int trunc, c = js_peek(j);

	if (depth > LOGINS_MAX_DEPTH)
		return -1;
	switch (c) {
	case '"':
		return js_string(j, trunc_buf, 0, &trunc);
	case 't':
		return js_literal(j, "true");
	case 'f':
		return js_literal(j, "false");
	case 'n':
		return js_literal(j, "null");
	case '[':
		j->i++;
		if (js_peek(j) == ']') {
			j->i++;
			return 0;
		}
		for (;;) {
			if (js_skip(j, depth + 1) == -1)
				return -1;
			c = js_peek(j);
			j->i++;
			if (c == ']')
				return 0;
			if (c != ',')
				return -1;
		}
	case '{':
		j->i++;
		if (js_peek(j) == '}') {
			j->i++;
			return 0;
		}
		for (;;) {
			if (js_string(j, trunc_buf, 0, &trunc) == -1 || js_peek(j) != ':')
				return -1;
			j->i++;
			if (js_skip(j, depth + 1) == -1)
				return -1;
			c = js_peek(j);
			j->i++;
			if (c == '}')
				return 0;
			if (c != ',')
				return -1;
		}
	default:
		return js_number(j);
	}
}

/* One entry of "logins": 1 if it holds a saved password, 0 if not. */
static int
js_login(struct js *j, int depth)
{
	char key[32], val[32];
	int trunc, c, deleted = 0, fxa = 0, has_pw = 0;

	if (js_peek(j) != '{')
		return js_skip(j, depth) == -1 ? -1 : 0;
	j->i++;
	if (js_peek(j) == '}') {
		j->i++;
		return 0;
	}
	for (;;) {
		if (js_string(j, key, sizeof(key), &trunc) == -1 || js_peek(j) != ':')
			return -1;
		j->i++;
		if (trunc)
			key[0] = '\0';
		c = js_peek(j);
		/* A repeated key: JSON.parse keeps the last value. */
		if (strcmp(key, "deleted") == 0) {
			deleted = c == 't';
			if (js_skip(j, depth + 1) == -1)
				return -1;
		} else if (strcmp(key, "hostname") == 0 && c == '"') {
			if (js_string(j, val, sizeof(val), &trunc) == -1)
				return -1;
			fxa = !trunc && strcmp(val, "chrome://FirefoxAccounts") == 0;
		} else if (strcmp(key, "encryptedPassword") == 0 && c == '"') {
			if (js_string(j, val, 2, &trunc) == -1)
				return -1;
			has_pw = val[0] != '\0';
		} else {
			if (strcmp(key, "hostname") == 0)
				fxa = 0;
			else if (strcmp(key, "encryptedPassword") == 0)
				has_pw = 0;
			if (js_skip(j, depth + 1) == -1)
				return -1;
		}
		c = js_peek(j);
		j->i++;
		if (c == '}')
			break;
		if (c != ',')
			return -1;
	}
	return !deleted && !fxa && has_pw;
}

int
browsers_firefox_logins_count(const char *buf, size_t len, long *count, struct mm_err *e)
{
	struct js j = { (const unsigned char *)buf, len, 0 };
	char key[16];
	int trunc, c;
	long n = 0;

	*count = 0;
	if (len > BROWSERS_LOGINS_JSON_CAP) {
		err_set(e, "file_too_large", "logins.json is %zu bytes, more than the %u read",
		    len, BROWSERS_LOGINS_JSON_CAP);
		return -1;
	}
	if (js_peek(&j) != '{')
		goto bad;
	j.i++;
	if (js_peek(&j) == '}')
		j.i++;
	else {
		for (;;) {
			if (js_string(&j, key, sizeof(key), &trunc) == -1 || js_peek(&j) != ':')
				goto bad;
			j.i++;
			if (!trunc && strcmp(key, "logins") == 0 && js_peek(&j) == '[') {
				/* The last "logins" is the one that counts. */
				n = 0;
				j.i++;
				if (js_peek(&j) == ']')
					j.i++;
				else {
					for (;;) {
						int got = js_login(&j, 2);
						if (got == -1)
							goto bad;
						n += got;
						c = js_peek(&j);
						j.i++;
						if (c == ']')
							break;
						if (c != ',')
							goto bad;
					}
				}
			} else if (!trunc && strcmp(key, "logins") == 0) {
				/* Firefox reads a missing list as empty, but a list
				 * that is something else is not a store it wrote. */
				goto bad;
			} else if (js_skip(&j, 1) == -1)
				goto bad;
			c = js_peek(&j);
			j.i++;
			if (c == '}')
				break;
			if (c != ',')
				goto bad;
		}
	}
	if (js_peek(&j) != -1)
		goto bad;
	*count = n;
	return 0;
bad:
	err_set(e, "parse_error", "logins.json is not valid JSON of Firefox's shape (near byte %zu)",
	    j.i);
	return -1;
}
