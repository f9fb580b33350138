/* test_root_head: root_read_head reads the start of a file too large to
 * read whole (ClamAV's daily.cld is over 100 MB) with every refusal of
 * root_read_file — links, FIFOs, folders, ".." — in both open modes, and
 * never more than it was asked for. */
#include <fcntl.h>
#include <signal.h>
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

static void
tu_symlink(const char *root, const char *target, const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int
setup(void **state)
{
	char *root = tu_mkroot(), p[4096];
	int fd;

	tu_write(root, "db/short", "ClamAV-VDB:short");
	tu_write(root, "db/empty", "");
	tu_symlink(root, "short", "db/link");
	tu_symlink(root, "db", "dblink");
	snprintf(p, sizeof(p), "%s/db/fifo", root);
	assert_int_equal(mkfifo(p, 0644), 0);
	/* A 3 GiB sparse file whose first bytes are a header: far past any
	 * cap root_read_file would accept, read here from its start. */
	snprintf(p, sizeof(p), "%s/db/huge", root);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "ClamAV-VDB:huge", 15), 15);
	assert_int_equal(ftruncate(fd, (off_t)3 << 30), 0);
	close(fd);
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
test_reads_head(void **state)
{
	static const struct {
		const char *what, *rel;
		size_t n;
		enum file_status want;
		const char *reason;	/* FILE_BAD */
		const char *content;	/* FILE_OK: exactly these bytes */
	} cases[] = {
		{ "file shorter than asked", "db/short", 512, FILE_OK, NULL, "ClamAV-VDB:short" },
		{ "only the first bytes", "db/short", 6, FILE_OK, NULL, "ClamAV" },
		{ "zero bytes asked", "db/short", 0, FILE_OK, NULL, "" },
		{ "empty file", "db/empty", 512, FILE_OK, NULL, "" },
		{ "3 GiB sparse file, head only", "/db/huge", 15, FILE_OK, NULL, "ClamAV-VDB:huge" },
		{ "symlink", "db/link", 512, FILE_BAD, "file_symlink", NULL },
		{ "symlink as a folder on the way", "dblink/short", 512, FILE_BAD, "file_symlink", NULL },
		{ "FIFO", "db/fifo", 512, FILE_BAD, "file_not_regular", NULL },
		{ "folder", "db", 512, FILE_BAD, "file_not_regular", NULL },
		{ "dot-dot", "db/../../etc/passwd", 512, FILE_BAD, "path_invalid", NULL },
		{ "absent", "db/daily.cvd", 512, FILE_ABSENT, NULL, NULL },
	};

	for (size_t m = 0; m < N_MODES; m++) {
		struct root r;
		struct mm_err e;

		assert_int_equal(root_open(&r, *state, modes[m].flags, &e), 0);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			char buf[600];
			size_t len = 99;
			enum file_status s;

			memset(buf, 'X', sizeof(buf));
			err_clear(&e);
			alarm(10);	/* a FIFO must be refused, not waited on */
			s = root_read_head(&r, cases[i].rel, cases[i].n, buf, &len, &e);
			alarm(0);
			if (s != cases[i].want)
				fail_msg("%s (%s): status %d, want %d (%s)", cases[i].what,
				    modes[m].name, s, cases[i].want, e.msg);
			if (s == FILE_OK) {
				assert_int_equal(len, strlen(cases[i].content));
				assert_memory_equal(buf, cases[i].content, len);
				/* Not a byte past what was asked for is written. */
				assert_int_equal(buf[cases[i].n], 'X');
				continue;
			}
			assert_int_equal(len, 0);
			if (s == FILE_BAD) {
				if (e.reason == NULL || strcmp(e.reason, cases[i].reason) != 0)
					fail_msg("%s (%s): reason %s, want %s", cases[i].what,
					    modes[m].name, e.reason ? e.reason : "(none)", cases[i].reason);
				assert_non_null(strstr(e.msg, cases[i].rel));
			}
		}
		root_close(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reads_head, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
