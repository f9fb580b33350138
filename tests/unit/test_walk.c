/* test_walk: the bounded walk through folders users control. A link loop,
 * a link to /, a tree deeper or larger than the bounds, a slow disk: the
 * walk ends, never follows a link, and says when it did not see all. */
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include "testutil.h"
#include "platform/walk.h"

struct seen {
	char names[512][256];
	size_t n;
	int sleep_ms;		/* per entry: a slow disk */
	size_t stop_after;	/* 0: never ask to stop */
};

static int
collect(void *arg, const char *dir, const char *name, char kind)
{
	struct seen *s = arg;

	if (s->n < 512)
		snprintf(s->names[s->n++], sizeof(s->names[0]), "%c %s%s%s", kind, dir,
		    dir[0] ? "/" : "", name);
	if (s->sleep_ms > 0) {
		struct timespec ts = { 0, s->sleep_ms * 1000000L };
		nanosleep(&ts, NULL);
	}
	return s->stop_after != 0 && s->n >= s->stop_after;
}

static int
has(const struct seen *s, const char *entry)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->names[i], entry) == 0)
			return 1;
	return 0;
}

static void
tu_symlink(const char *root, const char *target, const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static enum file_status
walk(const char *rootdir, int flags, const char *rel, long depth, long entries, long ms,
    struct seen *s, struct walk_result *res, struct mm_err *e)
{
	struct walk_limits lim = { depth, entries, ms };
	struct root r;
	enum file_status st;

	assert_int_equal(root_open(&r, rootdir, flags, e), 0);
	err_clear(e);
	st = walk_tree(&r, rel, &lim, collect, s, res, e);
	root_close(&r);
	return st;
}

static const int modes[] = { ROOT_DEFAULT, ROOT_NO_OPENAT2 };

static void
test_sees_every_name_with_its_folder(void **state)
{
	char *root = tu_mkroot();
	static struct seen s;
	struct walk_result res;
	struct mm_err e;

	(void)state;
	tu_write(root, "home/alice/Downloads/qbittorrent-4.6.AppImage", "");
	tu_write(root, "home/alice/Downloads/tools/p2p/Winny.exe", "");
	tu_mkdirs(root, "home/alice/Downloads/empty");
	for (size_t m = 0; m < 2; m++) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(walk(root, modes[m], "/home/alice/Downloads", 6, 1000, 2000,
		    &s, &res, &e), FILE_OK);
		assert_int_equal(res.stop, WALK_COMPLETE);
		assert_true(has(&s, "f qbittorrent-4.6.AppImage"));
		assert_true(has(&s, "d tools"));
		assert_true(has(&s, "f tools/p2p/Winny.exe"));
		assert_true(has(&s, "d empty"));
		assert_int_equal(res.entries, 5);
		assert_int_equal(res.dirs, 4);	/* the start, tools, p2p, empty */
	}
	tu_rmroot(root);
}

/* Links are names like any other: reported, never entered. A loop, a link
 * to the parent and a link to / end the walk as fast as plain files. */
static void
test_link_loops_are_not_followed(void **state)
{
	char *root = tu_mkroot();
	static struct seen s;
	struct walk_result res;
	struct mm_err e;

	(void)state;
	tu_write(root, "home/bob/Desktop/a/b/note.txt", "");
	tu_symlink(root, ".", "home/bob/Desktop/self");
	tu_symlink(root, "../..", "home/bob/Desktop/a/b/up");
	tu_symlink(root, "/", "home/bob/Desktop/a/root");
	tu_symlink(root, "loop2", "home/bob/Desktop/loop1");
	tu_symlink(root, "loop1", "home/bob/Desktop/loop2");
	for (size_t m = 0; m < 2; m++) {
		memset(&s, 0, sizeof(s));
		alarm(10);
		assert_int_equal(walk(root, modes[m], "home/bob/Desktop", 64, 1000000, 2000,
		    &s, &res, &e), FILE_OK);
		alarm(0);
		assert_int_equal(res.stop, WALK_COMPLETE);
		assert_true(has(&s, "l self"));
		assert_true(has(&s, "l a/b/up"));
		assert_true(has(&s, "l a/root"));
		assert_true(has(&s, "f a/b/note.txt"));
		assert_int_equal(res.links, 5);
		assert_int_equal(res.entries, 8);	/* nothing seen twice */
	}
	tu_rmroot(root);
}

/* A tree deeper than the bound: the walk ends and says "depth"; what lies
 * within the bound is still seen. An empty folder at the bound is not a
 * gap: there was nothing more to see. */
static void
test_depth_bound(void **state)
{
	char *root = tu_mkroot(), rel[512] = "home/c/Downloads";
	static struct seen s;
	struct walk_result res;
	struct mm_err e;

	(void)state;
	for (int i = 1; i <= 20; i++) {
		size_t o = strlen(rel);
		snprintf(rel + o, sizeof(rel) - o, "/d%d", i);
	}
	strcat(rel, "/deep.exe");
	tu_write(root, rel, "");
	tu_write(root, "home/c/Downloads/d1/d2/shallow.exe", "");
	tu_mkdirs(root, "home/e/Downloads/x/y/z");
	for (size_t m = 0; m < 2; m++) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(walk(root, modes[m], "home/c/Downloads", 5, 100000, 2000,
		    &s, &res, &e), FILE_OK);
		assert_int_equal(res.stop, WALK_DEPTH);
		assert_string_equal(walk_stop_name(res.stop), "depth");
		assert_true(has(&s, "f d1/d2/shallow.exe"));
		assert_true(has(&s, "d d1/d2/d3/d4/d5"));	/* seen at depth 5 … */
		assert_false(has(&s, "d d1/d2/d3/d4/d5/d6"));	/* … not entered */

		memset(&s, 0, sizeof(s));
		assert_int_equal(walk(root, modes[m], "home/e/Downloads", 3, 100000, 2000,
		    &s, &res, &e), FILE_OK);
		assert_int_equal(res.stop, WALK_COMPLETE);
		assert_true(has(&s, "d x/y/z"));
	}
	tu_rmroot(root);
}

static void
test_entries_bound(void **state)
{
	char *root = tu_mkroot();
	static struct seen s;
	struct walk_result res;
	struct mm_err e;

	(void)state;
	for (int i = 0; i < 300; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "home/d/Downloads/f%03d", i);
		tu_write(root, rel, "");
	}
	for (size_t m = 0; m < 2; m++) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(walk(root, modes[m], "home/d/Downloads", 6, 100, 2000,
		    &s, &res, &e), FILE_OK);
		assert_int_equal(res.stop, WALK_ENTRIES);
		assert_int_equal(res.entries, 100);
		assert_int_equal(s.n, 100);
	}
	tu_rmroot(root);
}

/* A slow disk (here, a slow visitor) is given max_ms, then left. */
static void
test_time_bound(void **state)
{
	char *root = tu_mkroot();
	static struct seen s;
	struct walk_result res;
	struct mm_err e;
	struct timespec t0, t1;

	(void)state;
	for (int i = 0; i < 100; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "home/f/Desktop/f%03d", i);
		tu_write(root, rel, "");
	}
	memset(&s, 0, sizeof(s));
	s.sleep_ms = 10;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(walk(root, ROOT_DEFAULT, "home/f/Desktop", 6, 100000, 100,
	    &s, &res, &e), FILE_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(res.stop, WALK_TIME);
	assert_true(res.entries < 100);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	tu_rmroot(root);
}

static void
test_visitor_can_stop(void **state)
{
	char *root = tu_mkroot();
	static struct seen s;
	struct walk_result res;
	struct mm_err e;

	(void)state;
	tu_write(root, "g/a", "");
	tu_write(root, "g/b", "");
	tu_write(root, "g/c", "");
	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	assert_int_equal(walk(root, ROOT_DEFAULT, "g", 6, 100, 2000, &s, &res, &e), FILE_OK);
	assert_int_equal(res.stop, WALK_STOPPED);
	assert_int_equal(s.n, 2);
	tu_rmroot(root);
}

/* The start itself: absent is a normal answer, a link or a file is refused. */
static void
test_start(void **state)
{
	char *root = tu_mkroot();
	static struct seen s;
	struct walk_result res;
	struct mm_err e;

	(void)state;
	tu_mkdirs(root, "home/h/real");
	tu_symlink(root, "real", "home/h/Downloads");
	tu_symlink(root, "/etc", "home/h/Desktop");
	tu_write(root, "home/h/file", "x");
	for (size_t m = 0; m < 2; m++) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(walk(root, modes[m], "home/h/Games", 6, 100, 2000, &s, &res, &e),
		    FILE_ABSENT);
		assert_int_equal(walk(root, modes[m], "home/h/Downloads", 6, 100, 2000, &s, &res, &e),
		    FILE_BAD);
		assert_string_equal(e.reason, "file_symlink");
		assert_int_equal(walk(root, modes[m], "home/h/Desktop", 6, 100, 2000, &s, &res, &e),
		    FILE_BAD);
		assert_string_equal(e.reason, "file_symlink");
		assert_int_equal(s.n, 0);
		assert_int_equal(walk(root, modes[m], "home/h/file", 6, 100, 2000, &s, &res, &e),
		    FILE_BAD);
		assert_string_equal(e.reason, "file_not_regular");
	}
	tu_rmroot(root);
}

/* A folder on another filesystem inside the searched place (a USB disk
 * mounted under ~/Downloads) is not entered — and so the walk did not see
 * everything: it must say so, or a search that skipped the mount would
 * pass for one that found nothing. The mount is made in a private mount
 * namespace of a child process; where that is not allowed, the test is
 * skipped. */
static int
walk_over_mount(const char *root, int mode)
{
	static struct seen s;
	struct walk_result res;
	struct mm_err e;
	char inner[4200];

	snprintf(inner, sizeof(inner), "%s/home/m/Downloads/usb", root);
	if (unshare(CLONE_NEWNS) == -1 &&
	    unshare(CLONE_NEWUSER | CLONE_NEWNS) == -1)
		return 77;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    mount("mamori-test", inner, "tmpfs", 0, "size=64k") == -1)
		return 77;
	/* Something to hide in the mount, where the mount allows it. */
	snprintf(inner, sizeof(inner), "%s/home/m/Downloads/usb/Winny.exe", root);
	close(open(inner, O_WRONLY | O_CREAT, 0600));
	memset(&s, 0, sizeof(s));
	if (walk(root, mode, "home/m/Downloads", 6, 1000, 2000, &s, &res, &e) != FILE_OK)
		return 1;
	if (res.stop != WALK_OTHER_FS || res.other_fs != 1 ||
	    strcmp(walk_stop_name(res.stop), "skipped_mounts") != 0)
		return 2;
	if (!has(&s, "d usb") || !has(&s, "f a.txt") || has(&s, "f usb/Winny.exe"))
		return 3;
	return 0;
}

static void
test_other_filesystem_is_a_cut(void **state)
{
	char *root = tu_mkroot();

	(void)state;
	tu_mkdirs(root, "home/m/Downloads/usb");
	tu_write(root, "home/m/Downloads/a.txt", "");
	for (size_t m = 0; m < 2; m++) {
		int status;
		pid_t pid = fork();

		assert_true(pid != -1);
		if (pid == 0)
			_exit(walk_over_mount(root, modes[m]));
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) == 77) {
			tu_rmroot(root);
			skip();
		}
		if (WEXITSTATUS(status) != 0)
			fail_msg("mode %zu: the walk over a mount point failed check %d", m,
			    WEXITSTATUS(status));
	}
	tu_rmroot(root);
}

/* walk_absent_places rules out only what walk_tree would find absent: a
 * place missing from its folder, or one whose parent folder is missing.
 * A link, a file or an odd path on the way is left to the walk, which
 * refuses the link and says so — as it did before the shortcut. */
static void
test_absent_places_only_what_a_walk_finds_absent(void **state)
{
	static const char *const places[] = {
		"Downloads",			/* a folder */
		"Desktop",			/* a file */
		"Games",			/* nothing */
		".local/share/wineprefixes",	/* .local is a link */
		".var/app/com.usebottles.bottles/data/bottles/bottles", /* .var/app only */
		".PlayOnLinux/wineprefix",	/* nothing */
		"Music/..",			/* odd */
		"Pictures/old",			/* a link at the end */
	};
	static const unsigned char want[] = { 0, 0, 1, 0, 1, 1, 0, 0 };
	const size_t n = sizeof(places) / sizeof(places[0]);
	char *root = tu_mkroot();
	unsigned char absent[sizeof(places) / sizeof(places[0])];

	(void)state;
	tu_mkdirs(root, "home/alice/Downloads");
	tu_write(root, "home/alice/Desktop", "");
	tu_mkdirs(root, "elsewhere");
	tu_symlink(root, "../../elsewhere", "home/alice/.local");
	tu_mkdirs(root, "home/alice/.var/app");
	tu_mkdirs(root, "home/alice/Music");
	tu_mkdirs(root, "home/alice/Pictures");
	tu_symlink(root, "/nowhere", "home/alice/Pictures/old");
	tu_symlink(root, "alice", "home/alink");
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct root r;
		struct mm_err e;

		assert_int_equal(root_open(&r, root, modes[m], &e), 0);
		memset(absent, 7, sizeof(absent));
		walk_absent_places(&r, "/home/alice", places, n, absent);
		for (size_t i = 0; i < n; i++) {
			struct walk_limits lim = { 8, 1000, 0 };
			struct walk_result res;
			char rel[512];

			if (absent[i] != want[i])
				fail_msg("%s: absent %d, want %d", places[i], absent[i], want[i]);
			/* What is ruled out is what the walk finds absent. */
			snprintf(rel, sizeof(rel), "/home/alice/%s", places[i]);
			err_clear(&e);
			if (absent[i])
				assert_int_equal(walk_tree(&r, rel, &lim, NULL, NULL, &res, &e),
				    FILE_ABSENT);
		}
		/* The .local link is still the walk's to refuse. */
		{
			struct walk_limits lim = { 8, 1000, 0 };
			struct walk_result res;

			err_clear(&e);
			assert_int_equal(walk_tree(&r, "/home/alice/.local/share/wineprefixes",
			    &lim, NULL, NULL, &res, &e), FILE_BAD);
			assert_string_equal(e.reason, "file_symlink");
		}
		/* A folder that is a link (or missing) rules nothing out. */
		memset(absent, 7, sizeof(absent));
		walk_absent_places(&r, "/home/alink", places, n, absent);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(absent[i], 0);
		memset(absent, 7, sizeof(absent));
		walk_absent_places(&r, "/home/nobody", places, n, absent);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(absent[i], 0);
		root_close(&r);
	}
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sees_every_name_with_its_folder),
		cmocka_unit_test(test_link_loops_are_not_followed),
		cmocka_unit_test(test_depth_bound),
		cmocka_unit_test(test_entries_bound),
		cmocka_unit_test(test_time_bound),
		cmocka_unit_test(test_visitor_can_stop),
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_other_filesystem_is_a_cut),
		cmocka_unit_test(test_absent_places_only_what_a_walk_finds_absent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
