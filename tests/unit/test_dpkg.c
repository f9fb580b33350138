/* test_dpkg: which packages are on the machine, from dpkg's status file.
 * A P2P client or an antivirus is "installed" when its files are on disk:
 * a removed package whose config files stay behind is not. */
#include "testutil.h"
#include "platform/dpkg.h"

static const char status[] =
    "Package: transmission-gtk\n"
    "Status: install ok installed\n"
    "Priority: optional\n"
    "Version: 3.00-2.1\n"
    "Description: lightweight BitTorrent client\n"
    " Transmission is a set of lightweight BitTorrent clients.\n"
    " .\n"
    " Package: not-a-field\n"		/* continuation text, not a field */
    "\n"
    "Package: clamav\n"
    "Status: deinstall ok config-files\n"	/* removed, conffiles left */
    "Version: 1.0.3\n"
    "\n"
    "Package: amule\n"
    "Status: purge ok not-installed\n"
    "\n"
    "Package: bash\n"
    "Version: 5.2.15-2+b2\n"			/* Status after Version */
    "Status: hold ok installed\n"
    "\n"
    "Package: qbittorrent\n"
    "Status: install reinstreq half-installed\n"
    "\n"
    "Package: clamav-daemon\n"
    "Status: install ok unpacked\n"
    "\n\n\n"					/* several blank lines */
    "Package: nostatus\n"
    "Version: 1\n"
    "\n"
    "Package: aria2\n"
    "Status: install ok triggers-pending\n"
    "Version: 1.36.0-1\n";			/* last stanza, no blank line */

static void
test_installed(void **state)
{
	static const struct {
		const char *name;
		int present;
		const char *version;
	} cases[] = {
		{ "transmission-gtk", 1, "3.00-2.1" },
		{ "clamav", 0, NULL },
		{ "amule", 0, NULL },
		{ "bash", 1, "5.2.15-2+b2" },
		{ "qbittorrent", 1, "" },
		{ "clamav-daemon", 1, "" },
		{ "nostatus", 0, NULL },
		{ "aria2", 1, "1.36.0-1" },
		{ "not-a-field", 0, NULL },
		{ "transmission", 0, NULL },	/* no prefix matches */
		{ "", 0, NULL },
	};
	struct dpkg_db db;
	struct mm_err e;

	(void)state;
	assert_int_equal(dpkg_parse(status, strlen(status), &db, &e), 0);
	assert_true(db.present);
	assert_int_equal(db.n, 5);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct dpkg_pkg *p = dpkg_installed(&db, cases[i].name);

		if ((p != NULL) != cases[i].present)
			fail_msg("%s: installed %d, want %d", cases[i].name, p != NULL,
			    cases[i].present);
		if (p != NULL) {
			assert_string_equal(p->name, cases[i].name);
			assert_string_equal(p->version, cases[i].version);
			assert_true(p->installed);
		}
	}
	dpkg_free(&db);
}

static void
test_edge_files(void **state)
{
	static const struct {
		const char *what, *text;
		size_t n;
	} cases[] = {
		{ "empty file", "", 0 },
		{ "only blank lines", "\n\n\n", 0 },
		{ "CRLF line ends", "Package: a\r\nStatus: install ok installed\r\n\r\n", 1 },
		{ "trailing spaces after the state",
		  "Package: a\nStatus: install ok installed  \n", 1 },
		{ "field names need their colon", "Package a\nStatus: install ok installed\n", 0 },
		{ "no Package field", "Status: install ok installed\n", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dpkg_db db;
		struct mm_err e;

		if (dpkg_parse(cases[i].text, strlen(cases[i].text), &db, &e) != 0)
			fail_msg("%s: refused: %s", cases[i].what, e.msg);
		if (db.n != cases[i].n)
			fail_msg("%s: %zu packages, want %zu", cases[i].what, db.n, cases[i].n);
		if (db.n == 1)
			assert_non_null(dpkg_installed(&db, "a"));
		dpkg_free(&db);
	}
}

/* The table is sorted so lookups are by bsearch: names given in any order
 * are all found. */
static void
test_many_unsorted(void **state)
{
	char *buf = malloc(200 * 64), name[32];
	size_t o = 0;
	struct dpkg_db db;
	struct mm_err e;

	(void)state;
	assert_non_null(buf);
	for (int i = 199; i >= 0; i--)
		o += (size_t)snprintf(buf + o, 64, "Package: pkg%03d\nStatus: install ok installed\n\n",
		    (i * 37) % 200);
	assert_int_equal(dpkg_parse(buf, o, &db, &e), 0);
	assert_int_equal(db.n, 200);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "pkg%03d", i);
		assert_non_null(dpkg_installed(&db, name));
	}
	dpkg_free(&db);
	free(buf);
}

static void
test_binary(void **state)
{
	static const char text[] = "Package: a\nStatus: install ok installed\n\nPackage: \x01\n";
	struct dpkg_db db;
	struct mm_err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(dpkg_parse(text, sizeof(text) - 1, &db, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	assert_non_null(strstr(e.msg, "line 4 "));
	assert_int_equal(db.n, 0);
	assert_null(db.v);
}

static void
test_load(void **state)
{
	char *dir = tu_mkroot(), p[4200];
	struct root r;
	struct dpkg_db db;
	struct mm_err e;

	(void)state;
	assert_int_equal(root_open(&r, dir, 0, &e), 0);
	/* Not a Debian system: absent, not an error. */
	assert_int_equal(dpkg_load(&r, &db, &e), FILE_ABSENT);
	assert_false(db.present);
	assert_null(dpkg_installed(&db, "bash"));
	dpkg_free(&db);

	tu_write(dir, "var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\n");
	assert_int_equal(dpkg_load(&r, &db, &e), FILE_OK);
	assert_true(db.present);
	assert_non_null(dpkg_installed(&db, "bash"));
	dpkg_free(&db);

	snprintf(p, sizeof(p), "%s/var/lib/dpkg/status", dir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink("/var/lib/dpkg/status", p), 0);
	err_clear(&e);
	assert_int_equal(dpkg_load(&r, &db, &e), FILE_BAD);
	assert_string_equal(e.reason, "file_symlink");
	dpkg_free(&db);
	root_close(&r);
	tu_rmroot(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed),
		cmocka_unit_test(test_edge_files),
		cmocka_unit_test(test_many_unsorted),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
