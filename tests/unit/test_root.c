/* test_root: the agent runs as root over files users control; every read
 * goes through root_*. A planted symlink, FIFO, huge file or ".." must give
 * a reason — never a hang, a crash, or a read of another file — and the
 * same with openat2(2) and with the O_NOFOLLOW walk of older kernels. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <grp.h>
#include "testutil.h"
#include "platform/root.h"

static const struct {
	const char *name;
	int flags;
} modes[] = {
	{ "openat2", ROOT_DEFAULT },
	{ "O_NOFOLLOW walk", ROOT_NO_OPENAT2 },
};
#define N_MODES (sizeof(modes) / sizeof(modes[0]))

#define PASSWD "root:x:0:0:root:/root:/bin/bash\n"

static void
mkpath(const char *root, const char *rel, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", root, rel);
}

static void
tu_symlink(const char *root, const char *target, const char *rel)
{
	char p[4096];

	mkpath(root, rel, p, sizeof(p));
	assert_int_equal(symlink(target, p), 0);
}

/* A tree with one of each thing a user could plant where a file is read. */
static int
setup(void **state)
{
	char *root = tu_mkroot(), p[4096];
	int fd;

	tu_write(root, "etc/passwd", PASSWD);
	tu_write(root, "etc/empty", "");
	tu_write(root, "etc/hundred", "0123456789012345678901234567890123456789"
	    "012345678901234567890123456789012345678901234567890123456789");
	tu_symlink(root, "passwd", "etc/link");
	tu_symlink(root, "/etc/shadow", "etc/host_shadow");	/* would read the host's */
	tu_symlink(root, "nowhere", "etc/dangling");
	tu_symlink(root, "etc", "linkdir");
	tu_mkdirs(root, "home/alice");
	tu_symlink(root, "/", "home/alice/escape");
	mkpath(root, "etc/fifo", p, sizeof(p));
	assert_int_equal(mkfifo(p, 0644), 0);
	mkpath(root, "etc/sparse", p, sizeof(p));
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)2 << 30), 0);	/* 2 GiB, no blocks */
	close(fd);
	tu_mkdirs(root, "list/sub");
	tu_write(root, "list/b", "");
	tu_write(root, "list/a", "");
	tu_write(root, "list/C", "");
	tu_write(root, "list/\xc3\xa4", "");	/* "ä" sorts after ASCII bytewise */
	tu_mkdirs(root, "emptydir");
	*state = root;
	return 0;
}

static int
teardown(void **state)
{
	tu_rmroot(*state);
	return 0;
}

static void
open_root(struct root *r, const char *dir, size_t mode)
{
	struct mm_err e;

	err_clear(&e);
	if (root_open(r, dir, modes[mode].flags, &e) != 0)
		fail_msg("root_open(%s) in %s mode: %s", dir, modes[mode].name, e.msg);
	if (modes[mode].flags & ROOT_NO_OPENAT2)
		assert_int_equal(r->use_openat2, 0);
}

static void
test_read_file(void **state)
{
	static const struct {
		const char *what, *rel;
		size_t cap;
		enum file_status want;
		const char *reason;	/* for FILE_BAD */
		const char *content;	/* for FILE_OK */
	} cases[] = {
		{ "regular file", "etc/passwd", ROOT_CAP_TABLE, FILE_OK, NULL, PASSWD },
		{ "leading slash", "/etc/passwd", ROOT_CAP_TABLE, FILE_OK, NULL, PASSWD },
		{ "dot and double slash", "etc/.//passwd", ROOT_CAP_TABLE, FILE_OK, NULL, PASSWD },
		{ "empty file", "etc/empty", ROOT_CAP_TABLE, FILE_OK, NULL, "" },
		{ "exactly at the cap", "etc/hundred", 100, FILE_OK, NULL, NULL },
		{ "one byte over the cap", "etc/hundred", 99, FILE_BAD, "file_too_large", NULL },
		{ "symlink as final component", "etc/link", ROOT_CAP_TABLE, FILE_BAD, "file_symlink", NULL },
		{ "symlink to the host's shadow", "etc/host_shadow", ROOT_CAP_TABLE, FILE_BAD, "file_symlink", NULL },
		{ "dangling symlink", "etc/dangling", ROOT_CAP_TABLE, FILE_BAD, "file_symlink", NULL },
		{ "symlink as intermediate directory", "linkdir/passwd", ROOT_CAP_TABLE, FILE_BAD, "file_symlink", NULL },
		{ "symlink to / in a home", "home/alice/escape/etc/passwd", ROOT_CAP_TABLE, FILE_BAD, "file_symlink", NULL },
		{ "dot-dot climbing out", "etc/../../etc/passwd", ROOT_CAP_TABLE, FILE_BAD, "path_invalid", NULL },
		{ "dot-dot alone", "..", ROOT_CAP_TABLE, FILE_BAD, "path_invalid", NULL },
		{ "dot-dot at the end", "etc/..", ROOT_CAP_TABLE, FILE_BAD, "path_invalid", NULL },
		{ "empty path", "", ROOT_CAP_TABLE, FILE_BAD, "path_invalid", NULL },
		{ "FIFO", "etc/fifo", ROOT_CAP_TABLE, FILE_BAD, "file_not_regular", NULL },
		{ "directory", "etc", ROOT_CAP_TABLE, FILE_BAD, "file_not_regular", NULL },
		{ "2 GiB sparse file", "etc/sparse", ROOT_CAP_TABLE, FILE_BAD, "file_too_large", NULL },
		{ "absent file", "etc/shadow", ROOT_CAP_TABLE, FILE_ABSENT, NULL, NULL },
		{ "absent directory", "nope/passwd", ROOT_CAP_TABLE, FILE_ABSENT, NULL, NULL },
		{ "a file used as a directory", "etc/passwd/x", ROOT_CAP_TABLE, FILE_ABSENT, NULL, NULL },
	};

	for (size_t m = 0; m < N_MODES; m++) {
		struct root r;

		open_root(&r, *state, m);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct mm_err e;
			char *buf = (char *)1;
			size_t len = 99;
			enum file_status s;

			err_clear(&e);
			/* A FIFO opened for reading blocks forever: fail, don't hang. */
			alarm(10);
			s = root_read_file(&r, cases[i].rel, cases[i].cap, &buf, &len, &e);
			alarm(0);
			if (s != cases[i].want)
				fail_msg("%s (%s): status %d, want %d (%s)", cases[i].what,
				    modes[m].name, s, cases[i].want, e.msg);
			if (s == FILE_OK) {
				assert_non_null(buf);
				assert_int_equal(buf[len], '\0');
				if (cases[i].content != NULL) {
					assert_int_equal(len, strlen(cases[i].content));
					assert_string_equal(buf, cases[i].content);
				}
				free(buf);
				continue;
			}
			/* Nothing is handed out for a refused or absent file. */
			assert_null(buf);
			assert_int_equal(len, 0);
			if (s == FILE_BAD) {
				if (e.reason == NULL || strcmp(e.reason, cases[i].reason) != 0)
					fail_msg("%s (%s): reason %s, want %s", cases[i].what,
					    modes[m].name, e.reason ? e.reason : "(none)",
					    cases[i].reason);
				/* The message names the path a person has to look at. */
				assert_non_null(strstr(e.msg, cases[i].rel));
			}
		}
		root_close(&r);
	}
}

/* The size is taken from fstat: a 2 GiB file is refused with its size in
 * the message, not read until the cap is hit. */
static void
test_sparse_file_size_in_message(void **state)
{
	for (size_t m = 0; m < N_MODES; m++) {
		struct root r;
		struct mm_err e;
		char *buf;
		size_t len;

		open_root(&r, *state, m);
		assert_int_equal(root_read_file(&r, "etc/sparse", ROOT_CAP_CONFIG, &buf, &len, &e),
		    FILE_BAD);
		assert_non_null(strstr(e.msg, "2147483648 bytes"));
		root_close(&r);
	}
}

/* Reads etc/secret in every mode: 0 when each refuses it as file_unreadable
 * with the path in the message. */
static int
read_secret(const char *dir)
{
	for (size_t m = 0; m < N_MODES; m++) {
		struct root r;
		struct mm_err e;
		char *buf;
		size_t len;
		enum file_status s;

		if (root_open(&r, dir, modes[m].flags, &e) != 0)
			return 1;
		s = root_read_file(&r, "etc/secret", ROOT_CAP_CONFIG, &buf, &len, &e);
		root_close(&r);
		if (s != FILE_BAD || strcmp(e.reason, "file_unreadable") != 0 ||
		    strstr(e.msg, "etc/secret") == NULL)
			return 2 + (int)m;
	}
	return 0;
}

/* As root nothing is unreadable, so then the case runs in a child that
 * drops to nobody; it is skipped only where even that is not allowed. */
static void
test_unreadable_file(void **state)
{
	char p[4096];
	pid_t pid;
	int st;

	tu_write(*state, "etc/secret", "s3cret\n");
	mkpath(*state, "etc/secret", p, sizeof(p));
	assert_int_equal(chmod(p, 0), 0);
	assert_int_equal(chmod(*state, 0755), 0);
	if (getuid() != 0) {
		assert_int_equal(read_secret(*state), 0);
		return;
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
			_exit(77);
		_exit(read_secret(*state));
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
test_list_dir(void **state)
{
	static const struct {
		const char *what, *rel;
		size_t max;
		enum file_status want;
		const char *reason;
		const char *names;	/* space-separated, in order, for FILE_OK */
	} cases[] = {
		{ "sorted bytewise", "list", 100, FILE_OK, NULL, "C a b sub \xc3\xa4" },
		{ "exactly max entries", "list", 5, FILE_OK, NULL, "C a b sub \xc3\xa4" },
		{ "one entry over max", "list", 4, FILE_BAD, "dir_too_large", NULL },
		{ "empty directory", "emptydir", 10, FILE_OK, NULL, "" },
		{ "symlink to a directory", "linkdir", 100, FILE_BAD, "file_symlink", NULL },
		{ "through a symlink", "home/alice/escape/etc", 100, FILE_BAD, "file_symlink", NULL },
		{ "dot-dot", "list/..", 100, FILE_BAD, "path_invalid", NULL },
		{ "absent", "nope", 100, FILE_ABSENT, NULL, NULL },
	};

	for (size_t m = 0; m < N_MODES; m++) {
		struct root r;

		open_root(&r, *state, m);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct mm_err e;
			char **names, got[256] = "";
			size_t n;
			enum file_status s;

			err_clear(&e);
			s = root_list_dir(&r, cases[i].rel, cases[i].max, &names, &n, &e);
			if (s != cases[i].want)
				fail_msg("%s (%s): status %d, want %d (%s)", cases[i].what,
				    modes[m].name, s, cases[i].want, e.msg);
			if (s == FILE_BAD) {
				assert_non_null(e.reason);
				assert_string_equal(e.reason, cases[i].reason);
			}
			if (s != FILE_OK) {
				assert_null(names);
				assert_int_equal(n, 0);
				continue;
			}
			for (size_t k = 0; k < n; k++) {
				if (k)
					strcat(got, " ");
				strcat(got, names[k]);
			}
			assert_string_equal(got, cases[i].names);
			root_free_names(names, n);
		}
		root_close(&r);
	}
}

static void
test_stat_kinds(void **state)
{
	static const struct {
		const char *rel;
		enum file_status want;
		char kind;
		off_t size;
		const char *reason;
	} cases[] = {
		{ "etc/passwd", FILE_OK, 'f', sizeof(PASSWD) - 1, NULL },
		{ "etc/sparse", FILE_OK, 'f', (off_t)2 << 30, NULL },
		{ "etc", FILE_OK, 'd', -1, NULL },
		{ "etc/link", FILE_OK, 'l', -1, NULL },	/* the link itself, not followed */
		{ "linkdir", FILE_OK, 'l', -1, NULL },
		{ "etc/fifo", FILE_OK, 'o', -1, NULL },
		{ "etc/absent", FILE_ABSENT, 0, -1, NULL },
		{ "linkdir/passwd", FILE_BAD, 0, -1, "file_symlink" },
		{ "../etc", FILE_BAD, 0, -1, "path_invalid" },
	};

	for (size_t m = 0; m < N_MODES; m++) {
		struct root r;

		open_root(&r, *state, m);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct mm_err e;
			char kind = 0;
			off_t size = -1;
			enum file_status s;

			err_clear(&e);
			s = root_stat(&r, cases[i].rel, &kind, &size, &e);
			if (s != cases[i].want)
				fail_msg("%s (%s): status %d, want %d (%s)", cases[i].rel,
				    modes[m].name, s, cases[i].want, e.msg);
			if (s == FILE_OK) {
				if (kind != cases[i].kind)
					fail_msg("%s (%s): kind %c, want %c", cases[i].rel,
					    modes[m].name, kind, cases[i].kind);
				if (cases[i].size >= 0)
					assert_int_equal(size, cases[i].size);
			} else if (s == FILE_BAD)
				assert_string_equal(e.reason, cases[i].reason);
		}
		root_close(&r);
	}
}

static void
test_open_root_missing(void **state)
{
	struct root r;
	struct mm_err e;

	(void)state;
	assert_int_equal(root_open(&r, "/nonexistent/mamori-root", 0, &e), -1);
	assert_string_equal(e.reason, "root_unreadable");
	assert_non_null(strstr(e.msg, "/nonexistent/mamori-root"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sparse_file_size_in_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stat_kinds, setup, teardown),
		cmocka_unit_test(test_open_root_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
