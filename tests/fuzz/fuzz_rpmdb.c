/* fuzz_rpmdb: RPM's SQLite database (rpmdb.sqlite) as a damaged disk, an
 * image from elsewhere or a hostile tree under --root may hold it. The
 * input is the file; it is put at /var/lib/rpm/rpmdb.sqlite under a
 * scratch root and loaded the way packages_load loads it.
 *
 * Invariants: a database read yields names that are sorted, non-empty and
 * each found again by rpmdb_installed; one that cannot be read is
 * FILE_BAD with a reason and no names; nothing leaks, and no input makes
 * the load take longer than libFuzzer's -timeout (a scan must finish). */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "platform/rpmdb.h"

static struct root root;

static void
cleanup(void)
{
	root_close(&root);
	scratch_remove();
}

static void
init(void)
{
	char path[128];
	struct mm_err e;

	scratch_make("fuzz_rpmdb");
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/var", scratch);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib", scratch);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib/rpm", scratch);
	if (mkdir(path, 0755) != 0 || root_open(&root, scratch, ROOT_DEFAULT, &e) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[128];
	struct rpm_db db;
	struct mm_err e;
	enum file_status s;
	int fd;

	if (scratch[0] == '\0')
		init();
	snprintf(path, sizeof(path), "%s/var/lib/rpm/rpmdb.sqlite", scratch);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) != 0)
		abort();

	err_clear(&e);
	s = rpmdb_load(&root, &db, &e);
	if (s == FILE_OK) {
		if (db.kind != RPMDB_SQLITE)
			__builtin_trap();
		for (size_t i = 0; i < db.n; i++) {
			if (db.names[i] == NULL || db.names[i][0] == '\0' ||
			    !rpmdb_installed(&db, db.names[i]))
				__builtin_trap();
			if (i > 0 && strcmp(db.names[i - 1], db.names[i]) > 0)
				__builtin_trap();
		}
	} else if (s != FILE_BAD || e.reason == NULL || db.n != 0 || db.names != NULL) {
		__builtin_trap();
	}
	if (rpmdb_installed(&db, ""))
		__builtin_trap();
	rpmdb_free(&db);
	return 0;
}
