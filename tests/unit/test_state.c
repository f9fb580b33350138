/* state: the agent's state folder. The sequence only grows, across runs
 * and crashes; writes replace a file whole or not at all; nothing planted
 * in the folder (symlink, FIFO, huge file) is followed or read. */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "testutil.h"
#include "agent/state.h"

static char *
state_dir(char *root)
{
	static char path[4200];
	snprintf(path, sizeof(path), "%s/state", root);
	return path;
}

static void
slurp(const char *path, char *out, size_t outlen)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	fclose(f);
}

static void
test_sequence_persists_and_only_grows(void **state)
{
	char *root = tu_mkroot();
	struct state st;
	struct mm_err e;
	uint64_t seq, last;

	(void)state;
	assert_int_equal(state_open(&st, state_dir(root), 1, &e), 0);
	assert_int_equal(state_sequence_get(&st, &last, &e), 0);
	assert_int_equal(last, 0);
	assert_int_equal(state_sequence_next(&st, 0, &seq, &e), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(state_sequence_next(&st, 0, &seq, &e), 0);
	assert_int_equal(seq, 2);
	state_close(&st);
	/* a new run (a new process, after a reboot) continues */
	assert_int_equal(state_open(&st, state_dir(root), 0, &e), 0);
	assert_int_equal(state_sequence_next(&st, 0, &seq, &e), 0);
	assert_int_equal(seq, 3);
	/* a floor (the newest spooled report) above the counter wins ... */
	assert_int_equal(state_sequence_next(&st, 10, &seq, &e), 0);
	assert_int_equal(seq, 11);
	/* ... and one below it never takes the counter back */
	assert_int_equal(state_sequence_next(&st, 5, &seq, &e), 0);
	assert_int_equal(seq, 12);
	assert_int_equal(state_sequence_get(&st, &last, &e), 0);
	assert_int_equal(last, 12);
	state_close(&st);
	tu_rmroot(root);
}

/* A damaged counter is an error, never read as 0: starting again from 1
 * would reuse sequences the collector already holds. */
static void
test_damaged_sequence_is_refused(void **state)
{
	static const char *const bad[] = { "abc\n", "", "12 \n", "-3\n", "7\n8\n",
	    "99999999999999999999999\n", "1e3\n" };
	char *root = tu_mkroot(), path[4300], got[64];
	struct state st;
	struct mm_err e;
	uint64_t seq;

	(void)state;
	assert_int_equal(state_open(&st, state_dir(root), 1, &e), 0);
	snprintf(path, sizeof(path), "%s/sequence", state_dir(root));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tu_write(state_dir(root), "sequence", bad[i]);
		err_clear(&e);
		if (state_sequence_next(&st, 0, &seq, &e) != -1)
			fail_msg("counter \"%s\" was accepted as %llu", bad[i], (unsigned long long)seq);
		assert_string_equal(e.reason, "state_corrupt");
		slurp(path, got, sizeof(got));
		assert_string_equal(got, bad[i]);	/* left for a person to look at */
	}
	state_close(&st);
	tu_rmroot(root);
}

static void
test_atomic_write_replaces_whole_file(void **state)
{
	char *root = tu_mkroot(), path[4300], got[256];
	struct state_buf b[2] = { { "hello ", 6 }, { "world\n", 6 } };
	struct state st;
	struct stat sb;
	struct mm_err e;

	(void)state;
	assert_int_equal(state_open(&st, state_dir(root), 1, &e), 0);
	assert_int_equal(stat(state_dir(root), &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	tu_write(state_dir(root), "f", "old content that is longer than the new one\n");
	assert_int_equal(state_write_at(st.dirfd, "f", b, 2, 0600, &e), 0);
	snprintf(path, sizeof(path), "%s/f", state_dir(root));
	slurp(path, got, sizeof(got));
	assert_string_equal(got, "hello world\n");
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* no temporary file is left behind */
	snprintf(path, sizeof(path), "%s/f.tmp", state_dir(root));
	assert_int_equal(access(path, F_OK), -1);
	state_close(&st);
	tu_rmroot(root);
}

/* Symlinks planted where the agent writes are replaced, never followed:
 * the file they point to is untouched. */
static void
test_write_does_not_follow_symlinks(void **state)
{
	char *root = tu_mkroot(), victim[4300], link[4300], got[64];
	struct state_buf b = { "7\n", 2 };
	struct state st;
	struct mm_err e;

	(void)state;
	assert_int_equal(state_open(&st, state_dir(root), 1, &e), 0);
	tu_write(root, "victim", "precious\n");
	snprintf(victim, sizeof(victim), "%s/victim", root);
	snprintf(link, sizeof(link), "%s/sequence.tmp", state_dir(root));
	assert_int_equal(symlink(victim, link), 0);
	snprintf(link, sizeof(link), "%s/sequence", state_dir(root));
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(state_write_at(st.dirfd, "sequence", &b, 1, 0600, &e), 0);
	slurp(victim, got, sizeof(got));
	assert_string_equal(got, "precious\n");
	slurp(link, got, sizeof(got));
	assert_string_equal(got, "7\n");
	state_close(&st);
	tu_rmroot(root);
}

static void
test_reads_refuse_symlink_fifo_and_oversize(void **state)
{
	char *root = tu_mkroot(), path[4300], victim[4300], big[2048];
	struct state st;
	struct mm_err e;
	size_t len;
	char *buf;

	(void)state;
	assert_int_equal(state_open(&st, state_dir(root), 1, &e), 0);
	tu_write(root, "victim", "12\n");
	snprintf(victim, sizeof(victim), "%s/victim", root);
	snprintf(path, sizeof(path), "%s/device.json", state_dir(root));
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(state_read_at(st.dirfd, "device.json", 100, &buf, &len, &e), -1);
	assert_string_equal(e.reason, "file_symlink");
	snprintf(path, sizeof(path), "%s/sequence", state_dir(root));
	assert_int_equal(mkfifo(path, 0600), 0);
	/* must not block on the FIFO */
	assert_int_equal(state_read_at(st.dirfd, "sequence", 100, &buf, &len, &e), -1);
	assert_string_equal(e.reason, "file_not_regular");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tu_write(state_dir(root), "dropped", big);
	assert_int_equal(state_read_at(st.dirfd, "dropped", 1024, &buf, &len, &e), -1);
	assert_string_equal(e.reason, "file_too_large");
	assert_int_equal(state_read_at(st.dirfd, "absent", 1024, &buf, &len, &e), 1);
	state_close(&st);
	tu_rmroot(root);
}

static void
test_open_refuses_unsafe_folders(void **state)
{
	char *root = tu_mkroot(), path[4300], real[4300];
	struct state st;
	struct mm_err e;

	(void)state;
	/* not there and not to be created: not enrolled */
	snprintf(path, sizeof(path), "%s/none", root);
	assert_int_equal(state_open(&st, path, 0, &e), -1);
	assert_string_equal(e.reason, "not_enrolled");
	/* writable by others: anyone could plant a report or a key */
	snprintf(path, sizeof(path), "%s/open", root);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(chmod(path, 0777), 0);
	assert_int_equal(state_open(&st, path, 0, &e), -1);
	assert_string_equal(e.reason, "state_unsafe");
	/* a symlink to a folder */
	snprintf(real, sizeof(real), "%s/real", root);
	assert_int_equal(mkdir(real, 0700), 0);
	snprintf(path, sizeof(path), "%s/link", root);
	assert_int_equal(symlink(real, path), 0);
	assert_int_equal(state_open(&st, path, 1, &e), -1);
	assert_string_equal(e.reason, "state_unsafe");
	tu_rmroot(root);
}

static void
test_device_roundtrip_and_damage(void **state)
{
	char *root = tu_mkroot();
	struct state_device d, got;
	struct state st;
	struct mm_err e;

	(void)state;
	assert_int_equal(state_open(&st, state_dir(root), 1, &e), 0);
	assert_int_equal(state_device_load(&st, &got, &e), 1);
	assert_string_equal(e.reason, "not_enrolled");
	memset(&d, 0, sizeof(d));
	snprintf(d.device_id, sizeof(d.device_id), "dev_0123abcd");
	snprintf(d.server, sizeof(d.server), "https://collector.example.jp");
	snprintf(d.key_file, sizeof(d.key_file), "device-dev_0123abcd.key");
	snprintf(d.ca_file, sizeof(d.ca_file), "ca-dev_0123abcd.pem");
	snprintf(d.public_key, sizeof(d.public_key), "MCowBQYDK2VwAyEAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	d.facility_id = 3;
	snprintf(d.facility_name, sizeof(d.facility_name), "松原クリニック");
	assert_int_equal(state_device_save(&st, &d, &e), 0);
	assert_int_equal(state_device_load(&st, &got, &e), 0);
	assert_string_equal(got.device_id, d.device_id);
	assert_string_equal(got.server, d.server);
	assert_string_equal(got.key_file, d.key_file);
	assert_string_equal(got.ca_file, d.ca_file);
	assert_string_equal(got.facility_name, d.facility_name);
	assert_int_equal(got.facility_id, 3);
	/* a device id that would inject a header line is refused on save ... */
	snprintf(d.device_id, sizeof(d.device_id), "dev\r\nX-Evil: 1");
	assert_int_equal(state_device_save(&st, &d, &e), -1);
	/* ... and on load, as are key files outside the folder */
	tu_write(state_dir(root), "device.json", "{\"device_id\": \"dev\\r\\nX: y\", "
	    "\"server\": \"https://a\", \"key_file\": \"k\", \"public_key\": \"x\"}");
	assert_int_equal(state_device_load(&st, &got, &e), -1);
	assert_string_equal(e.reason, "state_corrupt");
	tu_write(state_dir(root), "device.json", "{\"device_id\": \"dev_1\", "
	    "\"server\": \"https://a\", \"key_file\": \"../../etc/key\", \"public_key\": \"x\"}");
	assert_int_equal(state_device_load(&st, &got, &e), -1);
	assert_string_equal(e.reason, "state_corrupt");
	tu_write(state_dir(root), "device.json", "{\"device_id\": 5}");
	assert_int_equal(state_device_load(&st, &got, &e), -1);
	tu_write(state_dir(root), "device.json", "not json");
	assert_int_equal(state_device_load(&st, &got, &e), -1);
	state_close(&st);
	tu_rmroot(root);
}

/* The lock keeps two mamori runs apart, and taking it clears what a
 * crashed writer left (its temporary files), never the real files. */
static void
test_lock_excludes_and_clears_leftovers(void **state)
{
	char *root = tu_mkroot(), path[4300];
	struct state st;
	struct mm_err e;
	uint64_t seq;
	int fd;

	(void)state;
	assert_int_equal(state_open(&st, state_dir(root), 1, &e), 0);
	tu_write(state_dir(root), "sequence", "41\n");
	tu_write(state_dir(root), "sequence.tmp", "garbage from a crash");
	assert_int_equal(state_lock(&st, &e), 0);
	snprintf(path, sizeof(path), "%s/sequence.tmp", state_dir(root));
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(state_sequence_next(&st, 0, &seq, &e), 0);
	assert_int_equal(seq, 42);
	snprintf(path, sizeof(path), "%s/lock", state_dir(root));
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	state_close(&st);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	close(fd);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequence_persists_and_only_grows),
		cmocka_unit_test(test_damaged_sequence_is_refused),
		cmocka_unit_test(test_atomic_write_replaces_whole_file),
		cmocka_unit_test(test_write_does_not_follow_symlinks),
		cmocka_unit_test(test_reads_refuse_symlink_fifo_and_oversize),
		cmocka_unit_test(test_open_refuses_unsafe_folders),
		cmocka_unit_test(test_device_roundtrip_and_damage),
		cmocka_unit_test(test_lock_excludes_and_clears_leftovers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
