/* fuzz_state: the agent's state folder as a crash, a full disk or a hand
 * edit may leave it — device.json (the enrollment) and the counter files
 * (the report sequence, the drops not yet told). The first byte picks the
 * file ('d' device.json, 'c' the sequence counter; any other by value),
 * the rest is its content, put into a scratch state folder and read the
 * way every `mamori` command reads it.
 *
 * Invariants: an enrollment read has a device id fit for an HTTP header
 * and key and CA file names that stay inside the folder; saved and read
 * again it is the same. A damaged file is refused with a reason. A counter is accepted exactly when it is decimal digits with
 * at most one newline after them (in at most 64 bytes), and read as that
 * number (one of 10^19 or more may be refused: no PC counts that far); the next
 * sequence handed out is one more than the larger of it and the floor. */
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scratch.h"
#include "agent/state.h"

static struct state st;

static void
cleanup(void)
{
	state_close(&st);
	scratch_remove();
}

static void
init(void)
{
	struct mm_err e;

	scratch_make("fuzz_state");
	atexit(cleanup);
	if (state_open(&st, scratch, 0, &e) != 0)
		abort();
}

static void
put(const char *name, const uint8_t *data, size_t size)
{
	int fd = openat(st.dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd == -1 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) != 0)
		abort();
}

static int
name_inside(const char *s)
{
	return s[0] != '\0' && s[0] != '.' && strchr(s, '/') == NULL &&
	    strlen(s) < STATE_FILE_MAX;
}

static void
device(const uint8_t *data, size_t size)
{
	struct state_device d, again;
	struct mm_err e;
	int rc;

	put("device.json", data, size);
	err_clear(&e);
	rc = state_device_load(&st, &d, &e);
	if (rc == 0) {
		if (!state_device_id_valid(d.device_id) || !name_inside(d.key_file) ||
		    (d.ca_file[0] != '\0' && !name_inside(d.ca_file)) ||
		    memchr(d.server, '\0', sizeof(d.server)) == NULL ||
		    memchr(d.public_key, '\0', sizeof(d.public_key)) == NULL ||
		    memchr(d.facility_name, '\0', sizeof(d.facility_name)) == NULL ||
		    memchr(d.enrolled_at, '\0', sizeof(d.enrolled_at)) == NULL)
			__builtin_trap();
		/* Written back (as `mamori enroll` writes it) and read again. */
		if (state_device_save(&st, &d, &e) != 0)
			__builtin_trap();
		if (state_device_load(&st, &again, &e) != 0 ||
		    strcmp(again.device_id, d.device_id) != 0 ||
		    strcmp(again.server, d.server) != 0 ||
		    strcmp(again.key_file, d.key_file) != 0 ||
		    strcmp(again.ca_file, d.ca_file) != 0 ||
		    strcmp(again.public_key, d.public_key) != 0 ||
		    again.facility_id != d.facility_id ||
		    strcmp(again.facility_name, d.facility_name) != 0 ||
		    strcmp(again.enrolled_at, d.enrolled_at) != 0)
			__builtin_trap();
	} else if (rc != -1 || e.reason == NULL ||
	    (strcmp(e.reason, "state_corrupt") != 0 && strcmp(e.reason, "file_too_large") != 0)) {
		__builtin_trap();
	}
	unlinkat(st.dirfd, "device.json", 0);
}

/* The reference: digits, at most one newline, nothing else; the value
 * if it fits 64 bits. -1 refused, -2 a number too large to read. */
static int
ref_counter(const uint8_t *s, size_t n, uint64_t *v)
{
	size_t i = 0;

	*v = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return -2;
		*v = *v * 10 + d;
	}
	if (i == 0 || !(i == n || (i + 1 == n && s[i] == '\n')))
		return -1;
	return 0;
}

static void
counter(const uint8_t *data, size_t size)
{
	uint64_t v = 12345, want, seq, got;
	struct mm_err e;
	int rc, ref;

	put("sequence", data, size);
	ref = ref_counter(data, size, &want);
	err_clear(&e);
	rc = state_counter_get(st.dirfd, "sequence", &v, &e);
	if (rc == 0) {
		if (ref != 0 || v != want)
			__builtin_trap();
	} else if (rc != -1 || e.reason == NULL ||
	    (ref == 0 && want < 10000000000000000000u && size <= 64) ||
	    (ref == -1 && strcmp(e.reason, "state_corrupt") != 0 &&
	    strcmp(e.reason, "file_too_large") != 0)) {
		__builtin_trap();
	}
	if (rc == 0 && v < UINT64_MAX) {
		uint64_t floor = 7;

		if (state_sequence_next(&st, floor, &seq, &e) != 0 ||
		    seq != (v > floor ? v : floor) + 1 ||
		    state_sequence_get(&st, &got, &e) != 0 || got != seq)
			__builtin_trap();
	}
	unlinkat(st.dirfd, "sequence", 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (scratch[0] == '\0')
		init();
	if (size == 0)
		return 0;
	switch (data[0]) {
	case 'd': device(data + 1, size - 1); break;
	case 'c': counter(data + 1, size - 1); break;
	default:
		if (data[0] % 2)
			counter(data + 1, size - 1);
		else
			device(data + 1, size - 1);
		break;
	}
	return 0;
}
