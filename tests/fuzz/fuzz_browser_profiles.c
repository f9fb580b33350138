/* fuzz_browser_profiles: the files by which a person's browsers name their
 * profiles — Firefox's profiles.ini and Chrome's Local State — both the
 * person's to write, read through browsers_find_profiles under a scratch
 * root that also holds real profile folders, a folder of another person,
 * a symlink to /etc and a file where a folder should be. The first byte
 * picks the file ('f' ~/.mozilla/firefox/profiles.ini, 'c'
 * ~/.config/google-chrome/Local State; any other by value), the rest is
 * its content.
 *
 * Invariants: every usable profile is a real folder inside the person's
 * home, reached without a symlink and without "..", named by its last
 * part, listed once; every unusable one says why; nothing leaks. */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "platform/browsers.h"

#define HOME "/home/sato"

static struct root root;
static const struct person sato = { "sato", 1000, HOME, PW_SET, 1, 19990, 60 };

static void
cleanup(void)
{
	root_close(&root);
	scratch_remove();
}

/* mkdir -p of scratch/rel. */
static void
link_at(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	if (symlink(target, path) != 0)
		abort();
}

static void
init(void)
{
	char path[512];
	struct mm_err e;
	int fd;

	scratch_make("fuzz_browser_profiles");
	atexit(cleanup);
	scratch_mkdirs("etc/firefox");
	scratch_mkdirs("home/sato/.mozilla/firefox/ab12cd34.default-release");
	scratch_mkdirs("home/sato/.mozilla/firefox/Profiles/xyz.default");
	scratch_mkdirs("home/sato/ff-work");
	scratch_mkdirs("home/other/.mozilla/firefox/x.default");
	scratch_mkdirs("home/sato/.config/google-chrome/Default");
	scratch_mkdirs("home/sato/.config/google-chrome/Profile 1");
	scratch_mkdirs("home/sato/.config/google-chrome/Work");
	link_at("/etc", "home/sato/.mozilla/firefox/linked");
	link_at("/etc", "home/sato/.config/google-chrome/Profile 2");
	link_at("../../../other", "home/sato/.mozilla/firefox/Profiles/up");
	snprintf(path, sizeof(path), "%s/home/sato/.mozilla/firefox/file.default", scratch);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 || close(fd) != 0)
		abort();
	if (root_open(&root, scratch, ROOT_DEFAULT, &e) != 0)
		abort();
}

static void
put(const char *rel, const uint8_t *data, size_t size)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) != 0)
		abort();
}

/* A real folder inside the home: every part after the root is a folder,
 * none a link, none "..". */
static int
inside_home(const char *dir)
{
	char path[1024], *p;
	struct stat sb;
	size_t hl = strlen(HOME);

	if (strncmp(dir, HOME "/", hl + 1) != 0 || dir[hl + 1] == '\0' ||
	    strlen(scratch) + strlen(dir) >= sizeof(path))
		return 0;
	snprintf(path, sizeof(path), "%s%s", scratch, dir);
	for (p = path + strlen(scratch) + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			const char *part = p;

			while (part > path && part[-1] != '/')
				part--;
			if ((size_t)(p - part) == 2 && part[0] == '.' && part[1] == '.')
				return 0;
			*p = '\0';
			if (lstat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
				return 0;
			*p = c;
			if (c == '\0')
				break;
		}
	}
	return 1;
}

static void
check(const struct browser_profiles *bp)
{
	for (size_t i = 0; i < bp->n; i++) {
		const struct browser_profile *p = &bp->v[i];
		const char *base;

		if (p->user_dir == NULL || strncmp(p->user_dir, HOME "/", strlen(HOME) + 1) != 0)
			__builtin_trap();
		if (!p->ok) {
			if (p->err.reason == NULL || p->err.msg[0] == '\0')
				__builtin_trap();
			continue;
		}
		if (p->dir == NULL || p->name == NULL || !inside_home(p->dir))
			__builtin_trap();
		base = strrchr(p->dir, '/') + 1;
		if (strcmp(base, p->name) != 0)
			__builtin_trap();
		for (size_t k = 0; k < i; k++)
			if (bp->v[k].ok && bp->v[k].browser == p->browser &&
			    bp->v[k].install == p->install && strcmp(bp->v[k].dir, p->dir) == 0)
				__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char ini[] = "home/sato/.mozilla/firefox/profiles.ini";
	static const char state[] = "home/sato/.config/google-chrome/Local State";
	struct browser_profiles bp;
	struct mm_err e;
	int firefox;

	if (scratch[0] == '\0')
		init();
	if (size == 0)
		return 0;
	firefox = data[0] == 'f' ? 1 : data[0] == 'c' ? 0 : data[0] % 2;
	put(firefox ? ini : state, data + 1, size - 1);
	err_clear(&e);
	if (browsers_find_profiles(&root, &sato, &bp, &e) != 0)
		__builtin_trap();
	check(&bp);
	browser_profiles_free(&bp);
	scratch_del(firefox ? ini : state);
	return 0;
}
