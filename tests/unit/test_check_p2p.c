/* p2p.absent against machines written by hand: a package in dpkg's status
 * or RPM's database, a Flatpak or snap folder, an AppImage in Downloads,
 * Winny.exe in a Wine prefix, a running program in a proc/ tree — and the
 * traps: link loops and trees deeper than the walk's bound, which must end
 * the search with "unknown", never hang it or pass it. */
#include <fnmatch.h>
#include <locale.h>
#include <sqlite3.h>
#include "testutil.h"
#include "common/utf8.h"

extern const struct check_def check_p2p_absent;

static const time_t NOW = 1795000000;

#define PASSWD "root:x:0:0:root:/root:/bin/bash\n" \
	"alice:x:1000:1000:Alice:/home/alice:/bin/bash\n" \
	"bob:x:1001:1001:Bob:/home/bob:/bin/bash\n" \
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"

#define DPKG_BASE "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\n\n" \
	"Package: libtorrent-rasterbar2.0\nStatus: install ok installed\nVersion: 2.0.8-1\n\n"

static void
tu_symlink(const char *root, const char *target, const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void
tu_write_bytes(const char *root, const char *rel, const char *bytes, size_t n)
{
	char p[4096];
	FILE *f;

	tu_write(root, rel, "");
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* A clean Debian desktop: two people with ordinary files, a few
 * ordinary processes. */
static char *
clean_machine(void)
{
	char *root = tu_mkroot();

	tu_write(root, "etc/passwd", PASSWD);
	tu_write(root, "var/lib/dpkg/status", DPKG_BASE);
	tu_write(root, "home/alice/Downloads/report.pdf", "%PDF");
	tu_write(root, "home/alice/Desktop/notes.txt", "");
	tu_write(root, "home/bob/Downloads/LibreOffice_7.6_Linux_x86-64_deb.tar.gz", "");
	tu_write(root, "proc/1/comm", "systemd\n");
	tu_symlink(root, "/usr/lib/systemd/systemd", "proc/1/exe");
	tu_write(root, "proc/812/comm", "gnome-shell\n");
	tu_symlink(root, "/usr/bin/gnome-shell", "proc/812/exe");
	tu_write(root, "proc/uptime", "1.0 1.0\n");
	return root;
}

static void
run_policy(const char *root, const char *policy_json, struct check_result *r)
{
	struct policy_known k = scan_known_checks();
	struct people pp;
	struct policy p;
	struct mm_err e;

	if (policy_json != NULL)
		assert_int_equal(policy_load_buf(&p, policy_json, strlen(policy_json), "t", &k, &e), 0);
	else
		tu_policy(&p);
	tu_run(&check_p2p_absent, root, &p, NOW, r, &pp);
	people_free(&pp);
	policy_free(&p);
}

static void
run(const char *root, struct check_result *r)
{
	run_policy(root, NULL, r);
}

static const char *
ev_str(const struct finding *f, const char *key)
{
	json_t *v = json_object_get(f->evidence, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The whole result as text, to look for what must never be in it. */
static char *
dump(const struct check_result *r)
{
	json_t *a = json_array();
	char *s;

	for (size_t i = 0; i < r->n; i++)
		json_array_append(a, r->f[i].evidence);
	s = json_dumps(a, 0);
	json_decref(a);
	return s;
}

static void
test_clean_machine_passes_with_what_was_examined(void **state)
{
	char *root = clean_machine();
	struct check_result r;
	const struct finding *f;

	(void)state;
	run(root, &r);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "system", V_PASS, "none_found");
	f = tu_finding(&r, "system");
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "packages")), 2);
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "homes")), 2);
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "places")), 3);
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "processes")), 2);
	assert_true(json_is_false(json_object_get(f->evidence, "walk_truncated")));
	assert_string_equal(ev_str(f, "rpm"), "absent");
	assert_int_equal(result_verdict(&r), V_PASS);
	result_free(&r);
	tu_rmroot(root);
}

static void
test_dpkg_package_fails(void **state)
{
	char *root = clean_machine();
	struct check_result r;
	const struct finding *f;

	(void)state;
	tu_write(root, "var/lib/dpkg/status", DPKG_BASE
	    "Package: qbittorrent\nStatus: install ok installed\nVersion: 4.5.2-3\n\n"
	    "Package: amule\nStatus: deinstall ok config-files\nVersion: 1:2.3.3-3\n\n");
	run(root, &r);
	tu_assert_finding(&r, "qBittorrent", V_FAIL, "found_package");
	f = tu_finding(&r, "qBittorrent");
	assert_string_equal(ev_str(f, "found_in"), "dpkg");
	assert_string_equal(ev_str(f, "package"), "qbittorrent");
	assert_string_equal(f->remediation, "uninstall_package");
	/* Only its configuration files are left: aMule is not installed. */
	assert_null(tu_finding(&r, "aMule"));
	assert_int_equal(result_verdict(&r), V_FAIL);
	result_free(&r);
	tu_rmroot(root);
}

static void
test_rpm_package_fails(void **state)
{
	char *root = clean_machine();
	char path[4096];
	struct check_result r;
	const struct finding *f;
	sqlite3 *db;

	(void)state;
	/* RPM 4.16's schema: the Name index table, key = package name. */
	tu_mkdirs(root, "var/lib/rpm");
	snprintf(path, sizeof(path), "%s/var/lib/rpm/rpmdb.sqlite", root);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);"
	    "CREATE TABLE Name (key TEXT NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL,"
	    " FOREIGN KEY (hnum) REFERENCES Packages(hnum));"
	    "INSERT INTO Packages (blob) VALUES (x'00'), (x'00'), (x'00');"
	    "INSERT INTO Name VALUES ('bash', 1, 0), ('deluge-gtk', 2, 0), ('kernel', 3, 0);",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	run(root, &r);
	tu_assert_finding(&r, "Deluge", V_FAIL, "found_package");
	f = tu_finding(&r, "Deluge");
	assert_string_equal(ev_str(f, "found_in"), "rpm");
	assert_string_equal(f->remediation, "uninstall_rpm");
	result_free(&r);

	/* Read immutably: no journal or WAL file was left behind. */
	snprintf(path, sizeof(path), "%s/var/lib/rpm/rpmdb.sqlite-wal", root);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/var/lib/rpm/rpmdb.sqlite-journal", root);
	assert_int_equal(access(path, F_OK), -1);

	/* A database that is not RPM's: unknown, not a pass. */
	tu_write(root, "var/lib/rpm/rpmdb.sqlite", "this is not a database, it is text\n");
	run(root, &r);
	tu_assert_finding(&r, "system", V_UNKNOWN, "packages_unreadable");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_flatpak_and_snap_fail(void **state)
{
	char *root = clean_machine();
	struct check_result r;
	const struct finding *f;

	(void)state;
	tu_mkdirs(root, "var/lib/flatpak/app/de.haeckerfelix.Fragments/current");
	tu_mkdirs(root, "var/lib/flatpak/app/org.gnome.Calculator");
	tu_mkdirs(root, "home/alice/.local/share/flatpak/app/org.nicotine_plus.Nicotine");
	tu_mkdirs(root, "snap/ktorrent/53");
	tu_mkdirs(root, "snap/bin");
	tu_write(root, "var/lib/snapd/snaps/deluge-lukewh_12.snap", "");
	tu_write(root, "var/lib/snapd/snaps/core22_1380.snap", "");
	run(root, &r);
	tu_assert_finding(&r, "Fragments", V_FAIL, "found_flatpak");
	f = tu_finding(&r, "Fragments");
	assert_string_equal(ev_str(f, "flatpak"), "de.haeckerfelix.Fragments");
	assert_string_equal(f->remediation, "uninstall_flatpak");
	tu_assert_finding(&r, "Nicotine+", V_FAIL, "found_flatpak");
	tu_assert_finding(&r, "KTorrent", V_FAIL, "found_snap");
	tu_assert_finding(&r, "Deluge", V_FAIL, "found_snap");
	f = tu_finding(&r, "Deluge");
	assert_string_equal(ev_str(f, "snap"), "deluge-lukewh");
	assert_string_equal(f->remediation, "uninstall_snap");
	result_free(&r);
	tu_rmroot(root);
}

static void
test_winny_in_wine_prefix_fails(void **state)
{
	char *root = clean_machine();
	struct check_result r;
	const struct finding *f;
	char *s;

	(void)state;
	tu_write(root, "home/alice/.wine/drive_c/Program Files/Winny/Winny.exe", "MZ");
	tu_write(root, "home/alice/.wine/drive_c/Program Files/Winny/Noderef.txt", "");
	tu_mkdirs(root, "home/alice/.wine/dosdevices");
	tu_symlink(root, "../drive_c", "home/alice/.wine/dosdevices/c:");
	tu_symlink(root, "/", "home/alice/.wine/dosdevices/z:");
	/* A winetricks prefix per program, and a Share in another prefix. */
	tu_write(root, "home/bob/.local/share/wineprefixes/p2p/drive_c/Share/Share.exe", "MZ");
	run(root, &r);
	tu_assert_finding(&r, "Winny", V_FAIL, "found_wine");
	f = tu_finding(&r, "Winny");
	assert_string_equal(ev_str(f, "found_in"), "file");
	assert_string_equal(ev_str(f, "where"), "~/.wine");
	assert_string_equal(ev_str(f, "file"), "Winny.exe");
	assert_string_equal(ev_str(f, "user"), "alice");
	assert_string_equal(f->remediation, "remove_wine_prefix");
	tu_assert_finding(&r, "Share", V_FAIL, "found_wine");
	f = tu_finding(&r, "Share");
	assert_string_equal(ev_str(f, "where"), "~/.local/share/wineprefixes/p2p");
	assert_string_equal(ev_str(f, "user"), "bob");
	/* Names of other files and folders on the way stay on the PC. */
	s = dump(&r);
	assert_null(strstr(s, "Noderef"));
	assert_null(strstr(s, "Program Files"));
	free(s);
	result_free(&r);
	tu_rmroot(root);
}

static void
test_appimage_in_downloads_fails(void **state)
{
	char *root = clean_machine();
	struct check_result r;
	const struct finding *f;
	char *s;

	(void)state;
	tu_write(root, "home/alice/Downloads/p2p/qbittorrent-4.6.AppImage", "\x7f" "ELF");
	tu_write(root, "home/alice/Downloads/患者一覧.xlsx", "");
	tu_write(root, "home/bob/ダウンロード/Tixati", "");	/* a Japanese desktop's Downloads */
	run(root, &r);
	tu_assert_finding(&r, "qBittorrent", V_FAIL, "found_file");
	f = tu_finding(&r, "qBittorrent");
	assert_string_equal(ev_str(f, "where"), "~/Downloads");
	assert_string_equal(ev_str(f, "file"), "qbittorrent-4.6.AppImage");
	assert_string_equal(f->remediation, "delete_file");
	tu_assert_finding(&r, "Tixati", V_FAIL, "found_file");
	assert_string_equal(ev_str(tu_finding(&r, "Tixati"), "where"), "~/ダウンロード");
	s = dump(&r);
	assert_null(strstr(s, "xlsx"));
	assert_null(strstr(s, "p2p"));		/* the folder it was in is not named */
	free(s);
	result_free(&r);
	tu_rmroot(root);
}

static void
test_running_programs_fail(void **state)
{
	static const char wine_cmd[] = "C:\\users\\bob\\Desktop\\PerfectDark.exe\0--secret-cluster-word\0";
	char *root = clean_machine();
	struct check_result r;
	const struct finding *f;
	json_t *found;
	char *s;

	(void)state;
	/* The kernel keeps 15 bytes of a name: "transmission-gtk" reads
	 * "transmission-gt". */
	tu_write(root, "proc/1234/comm", "transmission-gt\n");
	tu_symlink(root, "/usr/bin/transmission-gtk", "proc/1234/exe");
	/* The daemon's exe cannot be read (another namespace): comm alone. */
	tu_write(root, "proc/1240/comm", "transmission-da\n");
	tu_write(root, "proc/5000/comm", "PerfectDark.exe\n");
	tu_symlink(root, "/usr/lib/wine/wine64-preloader", "proc/5000/exe");
	tu_write_bytes(root, "proc/5000/cmdline", wine_cmd, sizeof(wine_cmd) - 1);
	run(root, &r);
	tu_assert_finding(&r, "Transmission", V_FAIL, "found_process");
	f = tu_finding(&r, "Transmission");
	assert_string_equal(f->remediation, "stop_process");
	found = json_object_get(f->evidence, "found");
	assert_int_equal(json_array_size(found), 2);	/* the GUI and the daemon */
	tu_assert_finding(&r, "Perfect Dark", V_FAIL, "found_process");
	assert_string_equal(ev_str(tu_finding(&r, "Perfect Dark"), "process"), "PerfectDark.exe");
	s = dump(&r);
	assert_null(strstr(s, "secret"));	/* never a command line */
	assert_null(strstr(s, "Desktop"));
	assert_null(strstr(s, "/usr/bin"));	/* nor a program path */
	free(s);
	result_free(&r);
	tu_rmroot(root);
}

/* The same program installed and running: one finding, the package first
 * (uninstalling is the fix), every sighting in the evidence. */
static void
test_one_finding_per_program(void **state)
{
	char *root = clean_machine();
	struct check_result r;
	const struct finding *f;

	(void)state;
	tu_write(root, "var/lib/dpkg/status", DPKG_BASE
	    "Package: qbittorrent\nStatus: install ok installed\nVersion: 4.5.2-3\n\n");
	tu_write(root, "proc/3000/comm", "qbittorrent\n");
	tu_symlink(root, "/usr/bin/qbittorrent", "proc/3000/exe");
	tu_write(root, "home/bob/Desktop/qBittorrent-5.0.AppImage", "");
	run(root, &r);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "qBittorrent", V_FAIL, "found_package");
	f = tu_finding(&r, "qBittorrent");
	assert_int_equal(json_array_size(json_object_get(f->evidence, "found")), 3);
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "sightings")), 3);
	result_free(&r);
	tu_rmroot(root);
}

/* A link loop and a tree deeper than the bound: the search ends, and with
 * nothing found the answer is unknown (walk_truncated), naming the place. */
static void
test_loops_and_deep_trees_end_unknown(void **state)
{
	char *root = clean_machine(), rel[1024] = "home/alice/Downloads/extract";
	struct check_result r;
	const struct finding *f;

	(void)state;
	tu_symlink(root, ".", "home/alice/Downloads/loop");
	tu_symlink(root, "/home", "home/alice/Downloads/homes");
	tu_symlink(root, "../Downloads", "home/alice/Desktop/back");
	for (int i = 0; i < 20; i++)
		strcat(rel, "/deeper");
	strcat(rel, "/Winny.exe");
	tu_write(root, rel, "MZ");
	alarm(20);
	run(root, &r);
	alarm(0);
	assert_int_equal(r.n, 1);
	tu_assert_finding(&r, "system", V_UNKNOWN, "walk_truncated");
	f = tu_finding(&r, "system");
	assert_true(json_is_true(json_object_get(f->evidence, "walk_truncated")));
	assert_non_null(strstr(ev_str(f, "truncated"), "~/Downloads of alice (depth)"));
	assert_string_equal(f->remediation, "search_by_hand");
	result_free(&r);

	/* With a program found elsewhere: fail, and the gap still said. */
	tu_write(root, "home/bob/Downloads/eMule0.50a.exe", "MZ");
	run(root, &r);
	tu_assert_finding(&r, "eMule", V_FAIL, "found_file");
	tu_assert_finding(&r, "system", V_UNKNOWN, "walk_truncated");
	assert_int_equal(result_verdict(&r), V_FAIL);
	result_free(&r);

	/* A policy that allows the depth finds it. */
	run_policy(root, "{\"p2p\": {\"walk_max_depth\": 30}}", &r);
	tu_assert_finding(&r, "Winny", V_FAIL, "found_file");
	assert_null(tu_finding(&r, "system"));
	result_free(&r);
	tu_rmroot(root);
}

/* A home folder replaced by a link is not searched through it. */
static void
test_home_link_is_a_gap(void **state)
{
	char *root = clean_machine();
	struct check_result r;

	char p[4096];

	(void)state;
	snprintf(p, sizeof(p), "rm -rf '%s/home/bob'", root);
	assert_int_equal(system(p), 0);
	tu_symlink(root, "/etc", "home/bob");
	run(root, &r);
	tu_assert_finding(&r, "system", V_UNKNOWN, "walk_truncated");
	assert_non_null(strstr(ev_str(tu_finding(&r, "system"), "truncated"), "file_symlink"));
	result_free(&r);
	tu_rmroot(root);
}

static void
test_hashed_names_hide_the_user(void **state)
{
	char *root = clean_machine();
	struct check_result r;
	char *s;

	(void)state;
	tu_write(root, "home/alice/.wine-p2p/drive_c/winny2/Winny2.exe", "MZ");
	run_policy(root, "{\"privacy\": {\"account_names\": \"hashed\"}}", &r);
	tu_assert_finding(&r, "Winny", V_FAIL, "found_wine");
	assert_string_equal(ev_str(tu_finding(&r, "Winny"), "where"), "~/.wine-p2p");
	s = dump(&r);
	assert_null(strstr(s, "alice"));
	free(s);
	result_free(&r);
	tu_rmroot(root);
}

static void
test_unreadable_package_list_is_unknown(void **state)
{
	char *root = clean_machine();
	struct check_result r;

	char p[4096];

	(void)state;
	/* The status file replaced by a link to another file: refused. */
	snprintf(p, sizeof(p), "%s/var/lib/dpkg/status", root);
	assert_int_equal(unlink(p), 0);
	tu_symlink(root, "/etc/shadow", "var/lib/dpkg/status");
	run(root, &r);
	tu_assert_finding(&r, "system", V_UNKNOWN, "packages_unreadable");
	assert_string_equal(verdict_name(result_verdict(&r)), "unknown");
	result_free(&r);
	tu_rmroot(root);
}

/* Not a running system (an image): no proc/ folder. Nothing runs there;
 * the rest is searched and the evidence says processes were not. */
static void
test_image_without_proc(void **state)
{
	char *root = clean_machine();
	struct check_result r;
	char p[4096];

	(void)state;
	snprintf(p, sizeof(p), "rm -rf '%s/proc'", root);
	assert_int_equal(system(p), 0);
	run(root, &r);
	tu_assert_finding(&r, "system", V_PASS, "none_found");
	assert_string_equal(ev_str(tu_finding(&r, "system"), "processes"), "not_examined");
	result_free(&r);
	tu_rmroot(root);
}

/* Every message key a finding carries has a text. */
static void
test_messages_exist(void **state)
{
	char *root = clean_machine();
	struct check_result r;

	(void)state;
	tu_write(root, "var/lib/dpkg/status", DPKG_BASE
	    "Package: rtorrent\nStatus: install ok installed\nVersion: 0.9.8-1\n\n");
	tu_write(root, "home/alice/Downloads/BitComet_setup.exe", "");
	tu_write(root, "home/alice/.wine/drive_c/Share.exe", "");
	tu_write(root, "proc/9/comm", "amuled\n");
	run(root, &r);
	assert_true(r.n >= 4);
	for (size_t i = 0; i < r.n; i++) {
		assert_non_null(check_msg_text(&check_p2p_absent, r.f[i].reason));
		if (r.f[i].remediation != NULL)
			assert_non_null(check_msg_text(&check_p2p_absent, r.f[i].remediation));
	}
	result_free(&r);
	tu_rmroot(root);
}

/* File names are matched as fnmatch(FNM_CASEFOLD) matches them in the
 * locale the agent runs in, though most names are ruled out before
 * fnmatch is asked (p2p_absent.c, glob_may_match). Mixed case, Japanese
 * names, bytes that are not UTF-8 (glibc 2.36 then matches byte by byte),
 * U+212A KELVIN SIGN and U+0130 (which lower to ASCII 'k' and 'i' in UTF-8
 * locales, not in C), Turkish casing ('I' lowers to U+0131 there), full-
 * width letters, and globs with '?', brackets, an escape or Japanese text:
 * in each locale the answer is fnmatch's own. */
static const char *const odd_names[] = {
	"Winny2.EXE", "ウィニー.exe", "WINNY v2.0b7.1.exe", "winny", "WINNY.exe.txt",
	"wInNy.ExE", "W1NNY.exe", "W\xc4\xb0NNY.exe", "winny\xff.exe", "\xff\xfe.exe",
	"Share.Exe", "share.exe.lnk", "sHARE.EXE", "bhare.exe", "Perfect Dark 1.05.exe",
	"PERFECTDARK.EXE", "perfectdar\xe2\x84\xaa.exe", "\xe2\x84\xaa\x41ZAA.exe",
	"kazaa-lite.EXE", "B\xc4\xb0TCOMET.exe", "TIXATI", "tixati_3.19.exe",
	"紹介状_1755.pdf", "ウィニー2.EXE", "qbittorrent.exe", "QBit.deb", "ｗｉｎｎｙ.exe",
};

#define ODD_POLICY "{\"p2p\": {\"deny\": [" \
	"{\"name\": \"Winny\", \"files\": [\"winny*.exe\"]}," \
	"{\"name\": \"Share\", \"files\": [\"share.exe\"]}," \
	"{\"name\": \"Perfect Dark\", \"files\": [\"perfectdark*.exe\", \"perfect dark*.exe\"]}," \
	"{\"name\": \"Kazaa\", \"files\": [\"kazaa*.exe\"]}," \
	"{\"name\": \"BitComet\", \"files\": [\"bitcomet*.exe\"]}," \
	"{\"name\": \"Tixati\", \"files\": [\"tixati\", \"tixati*.exe\"]}," \
	"{\"name\": \"Any Winny\", \"files\": [\"w?nny*.exe\"]}," \
	"{\"name\": \"Bracket\", \"files\": [\"[sb]hare.exe\"]}," \
	"{\"name\": \"Escape\", \"files\": [\"\\\\qbit*\"]}," \
	"{\"name\": \"Japanese\", \"files\": [\"ウィニー*\"]}" \
	"]}}"

static const char *const odd_globs[][2] = {
	{ "Winny", "winny*.exe" }, { "Share", "share.exe" },
	{ "Perfect Dark", "perfectdark*.exe" }, { "Perfect Dark", "perfect dark*.exe" },
	{ "Kazaa", "kazaa*.exe" }, { "BitComet", "bitcomet*.exe" },
	{ "Tixati", "tixati" }, { "Tixati", "tixati*.exe" },
	{ "Any Winny", "w?nny*.exe" }, { "Bracket", "[sb]hare.exe" },
	{ "Escape", "\\qbit*" }, { "Japanese", "ウィニー*" },
};
#define N_ODD_NAMES (sizeof(odd_names) / sizeof(odd_names[0]))
#define N_ODD_GLOBS (sizeof(odd_globs) / sizeof(odd_globs[0]))

/* Whether fnmatch, asked directly, matches name with a glob of program. */
static int
fnmatch_says(const char *program, const char *name)
{
	for (size_t g = 0; g < N_ODD_GLOBS; g++)
		if (strcmp(odd_globs[g][0], program) == 0 &&
		    fnmatch(odd_globs[g][1], name, FNM_CASEFOLD) == 0)
			return 1;
	return 0;
}

/* Whether the check's finding about program names the file. */
static int
check_says(const struct check_result *r, const char *program, const char *name)
{
	const struct finding *f = tu_finding(r, program);
	json_t *want = utf8_json_string(name), *found;
	size_t i;
	json_t *o;
	int yes = 0;

	if (f != NULL) {
		found = json_object_get(f->evidence, "found");
		json_array_foreach(found, i, o)
			yes |= json_equal(json_object_get(o, "file"), want);
	}
	json_decref(want);
	return yes;
}

static void
test_file_names_match_as_fnmatch_does(void **state)
{
	static const char *const locales[] = { "C", "C.UTF-8", "ja_JP.UTF-8", "tr_TR.UTF-8" };
	char *root = clean_machine();
	size_t tried = 0;

	(void)state;
	for (size_t i = 0; i < N_ODD_NAMES; i++) {
		char rel[512];

		snprintf(rel, sizeof(rel), "home/alice/Downloads/%s", odd_names[i]);
		tu_write(root, rel, "MZ");
	}
	for (size_t l = 0; l < sizeof(locales) / sizeof(locales[0]); l++) {
		struct check_result r;

		if (setlocale(LC_ALL, locales[l]) == NULL)
			continue;	/* not installed here */
		tried++;
		run_policy(root, ODD_POLICY, &r);
		for (size_t i = 0; i < N_ODD_NAMES; i++)
			for (size_t g = 0; g < N_ODD_GLOBS; g++) {
				const char *prog = odd_globs[g][0];
				int want = fnmatch_says(prog, odd_names[i]);

				if (check_says(&r, prog, odd_names[i]) != want)
					fail_msg("%s: %s %s %s", locales[l], prog,
					    want ? "misses" : "wrongly matches", odd_names[i]);
			}
		/* Whatever the locale, these are what they are. */
		assert_true(check_says(&r, "Winny", "Winny2.EXE"));
		assert_true(check_says(&r, "Winny", "winny\xff.exe"));
		assert_false(check_says(&r, "Winny", "ウィニー.exe"));
		assert_false(check_says(&r, "Winny", "WINNY.exe.txt"));
		assert_true(check_says(&r, "Share", "sHARE.EXE"));
		assert_false(check_says(&r, "Share", "share.exe.lnk"));
		assert_true(check_says(&r, "Japanese", "ウィニー2.EXE"));
		assert_true(check_says(&r, "Escape", "QBit.deb"));
		/* Turkish lowers 'I' to U+0131: fnmatch's no, and the check's. */
		assert_int_equal(check_says(&r, "Winny", "WINNY v2.0b7.1.exe"),
		    strcmp(locales[l], "tr_TR.UTF-8") != 0);
		/* The Kelvin sign is a k in a UTF-8 locale, a byte in C. */
		assert_int_equal(check_says(&r, "Kazaa", "\xe2\x84\xaa\x41ZAA.exe"),
		    strcmp(locales[l], "C") != 0);
		result_free(&r);
	}
	setlocale(LC_ALL, "C");
	assert_true(tried >= 1);
	tu_rmroot(root);
}

/* A home's folder that is a link, on the way to a place searched: the
 * search is cut there and says so, though the place behind it is absent. */
static void
test_link_on_the_way_to_a_place_is_a_gap(void **state)
{
	char *root = clean_machine();
	struct check_result r;
	const struct finding *f;

	(void)state;
	tu_mkdirs(root, "elsewhere");
	tu_symlink(root, "../../elsewhere", "home/alice/.local");
	run(root, &r);
	tu_assert_finding(&r, "system", V_UNKNOWN, "walk_truncated");
	f = tu_finding(&r, "system");
	assert_non_null(strstr(ev_str(f, "truncated"), "~/.local/share/wineprefixes of alice (file_symlink)"));
	assert_non_null(strstr(ev_str(f, "truncated"), "~/.local/share/bottles/bottles of alice (file_symlink)"));
	result_free(&r);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_machine_passes_with_what_was_examined),
		cmocka_unit_test(test_dpkg_package_fails),
		cmocka_unit_test(test_rpm_package_fails),
		cmocka_unit_test(test_flatpak_and_snap_fail),
		cmocka_unit_test(test_winny_in_wine_prefix_fails),
		cmocka_unit_test(test_appimage_in_downloads_fails),
		cmocka_unit_test(test_running_programs_fail),
		cmocka_unit_test(test_one_finding_per_program),
		cmocka_unit_test(test_loops_and_deep_trees_end_unknown),
		cmocka_unit_test(test_home_link_is_a_gap),
		cmocka_unit_test(test_hashed_names_hide_the_user),
		cmocka_unit_test(test_unreadable_package_list_is_unknown),
		cmocka_unit_test(test_image_without_proc),
		cmocka_unit_test(test_messages_exist),
		cmocka_unit_test(test_file_names_match_as_fnmatch_does),
		cmocka_unit_test(test_link_on_the_way_to_a_place_is_a_gap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
