/* test_proc: running programs from a proc/ tree written by hand, shaped
 * like Linux's: comm (cut at 15 bytes by the kernel), the exe link, and a
 * Wine process whose argv[0] is the Windows program. And the matching of
 * policy patterns against those names. */
#include <fnmatch.h>
#include <locale.h>
#include "testutil.h"
#include "platform/proc.h"

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

static const struct proc_entry *
by_pid(const struct proc_list *pl, long pid)
{
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].pid == pid)
			return &pl->v[i];
	return NULL;
}

static void
test_reads_proc_tree(void **state)
{
	static const char wine_cmd[] = "C:\\users\\alice\\Desktop\\Winny\\Winny.exe\0-secret-argument\0";
	static const char bash_cmd[] = "/bin/bash\0--patient-file=/home/alice/karte.txt\0";
	char *root = tu_mkroot();
	struct proc_list pl;
	struct root r;
	struct mm_err e;
	const struct proc_entry *p;

	(void)state;
	tu_write(root, "proc/1234/comm", "transmission-gt\n");
	tu_symlink(root, "/usr/bin/transmission-gtk", "proc/1234/exe");
	tu_write(root, "proc/77/comm", "clamd\n");
	tu_symlink(root, "/usr/sbin/clamd (deleted)", "proc/77/exe");
	tu_write(root, "proc/2/comm", "kthreadd\n");		/* a kernel thread: no exe */
	tu_write(root, "proc/4000/comm", "Winny.exe\n");
	tu_symlink(root, "/usr/lib/wine/wine64-preloader", "proc/4000/exe");
	tu_write_bytes(root, "proc/4000/cmdline", wine_cmd, sizeof(wine_cmd) - 1);
	tu_write(root, "proc/4100/comm", "bash\n");
	tu_symlink(root, "/usr/bin/bash", "proc/4100/exe");
	tu_write_bytes(root, "proc/4100/cmdline", bash_cmd, sizeof(bash_cmd) - 1);
	tu_write(root, "proc/self", "");		/* not a process folder */
	tu_write(root, "proc/meminfo", "MemTotal: 1 kB\n");
	tu_mkdirs(root, "proc/999");			/* ended while listed: no comm */

	assert_int_equal(root_open(&r, root, 0, &e), 0);
	assert_int_equal(proc_list_load(&r, 100, &pl, &e), FILE_OK);
	assert_int_equal(pl.n, 5);
	p = by_pid(&pl, 1234);
	assert_non_null(p);
	assert_string_equal(p->comm, "transmission-gt");
	assert_string_equal(p->exe, "/usr/bin/transmission-gtk");
	assert_string_equal(p->wine_prog, "");
	p = by_pid(&pl, 77);
	assert_string_equal(p->exe, "/usr/sbin/clamd");	/* upgraded under it: still clamd */
	p = by_pid(&pl, 2);
	assert_string_equal(p->exe, "");
	p = by_pid(&pl, 4000);
	assert_string_equal(p->wine_prog, "Winny.exe");	/* the name only, no arguments */
	/* A program that is not Wine: its command line is not even read. */
	p = by_pid(&pl, 4100);
	assert_string_equal(p->wine_prog, "");
	proc_list_free(&pl);

	/* Too many processes is a reason, not a silent cut. */
	assert_int_equal(proc_list_load(&r, 3, &pl, &e), FILE_BAD);
	assert_string_equal(e.reason, "dir_too_large");
	root_close(&r);
	tu_rmroot(root);
}

static void
test_no_proc_is_absent(void **state)
{
	char *root = tu_mkroot();
	struct proc_list pl;
	struct root r;
	struct mm_err e;

	(void)state;
	tu_mkdirs(root, "etc");
	assert_int_equal(root_open(&r, root, 0, &e), 0);
	assert_int_equal(proc_list_load(&r, 100, &pl, &e), FILE_ABSENT);
	assert_int_equal(pl.present, 0);
	root_close(&r);
	tu_rmroot(root);
}

static void
test_match(void **state)
{
	static const struct {
		const char *comm, *exe, *wine, *pattern, *want;
	} cases[] = {
		{ "qbittorrent", "/usr/bin/qbittorrent", "", "qbittorrent", "qbittorrent" },
		{ "QBittorrent", "", "", "qbittorrent", "QBittorrent" },	/* any case */
		/* comm cut at 15 bytes: still the longer name */
		{ "transmission-gt", "", "", "transmission-gtk", "transmission-gt" },
		{ "transmission-da", "", "", "transmission-daemon", "transmission-da" },
		{ "sophos_threat_d", "", "", "sophos_threat_detector", "sophos_threat_d" },
		{ "transmission-gt", "", "", "transmission-qt", NULL },
		/* a 15-byte comm is not a prefix of a shorter name */
		{ "deluge-somethin", "", "", "deluge", NULL },
		/* a short comm is whole: no prefix matching */
		{ "transmission", "", "", "transmission-gtk", NULL },
		/* exe base name when comm differs (a renamed thread) */
		{ "QThread", "/usr/bin/ktorrent", "", "ktorrent", "ktorrent" },
		/* a pattern with '/' is matched against the program's path */
		{ "scand", "/opt/eset/eea/lib/scand", "", "/opt/eset/eea/*", "scand" },
		{ "scand", "/usr/local/bin/scand", "", "/opt/eset/eea/*", NULL },
		{ "scand", "", "", "/opt/eset/eea/*", NULL },
		/* Wine: the Windows program's name */
		{ "wine64-preload", "/usr/lib/wine/wine64-preloader", "Winny.exe", "winny*.exe", "Winny.exe" },
		{ "Share.exe", "/usr/lib/wine/wine64-preloader", "Share.exe", "share.exe", "Share.exe" },
		{ "ShareX.exe", "/usr/lib/wine/wine-preloader", "ShareX.exe", "share.exe", NULL },
		/* globs in a cut name */
		{ "PerfectDark.exe", "", "", "perfectdark*.exe", "PerfectDark.exe" },
		{ "perfectdark_v1.", "", "", "perfectdark*.exe", "perfectdark_v1." },
		{ "bitcomet_setup_", "", "", "bitcomet*.exe", "bitcomet_setup_" },
		{ "emule_x_x_x_x_x", "", "", "e[mM]ule*.exe", "emule_x_x_x_x_x" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct proc_entry p;
		const char *m;

		memset(&p, 0, sizeof(p));
		snprintf(p.comm, sizeof(p.comm), "%s", cases[i].comm);
		snprintf(p.exe, sizeof(p.exe), "%s", cases[i].exe);
		snprintf(p.wine_prog, sizeof(p.wine_prog), "%s", cases[i].wine);
		m = proc_match(&p, cases[i].pattern);
		if (cases[i].want == NULL && m != NULL)
			fail_msg("case %zu: %s matched %s", i, cases[i].pattern, m);
		if (cases[i].want != NULL && (m == NULL || strcmp(m, cases[i].want) != 0))
			fail_msg("case %zu: %s gave %s, want %s", i, cases[i].pattern,
			    m ? m : "(none)", cases[i].want);
	}
	assert_string_equal(proc_base_name("C:\\P2P\\Winny.exe"), "Winny.exe");
	assert_string_equal(proc_base_name("/usr/bin/clamd"), "clamd");
	assert_string_equal(proc_base_name("clamd"), "clamd");
}

/* A comm the kernel cut to 15 bytes matches a pattern when some name
 * starting with it does, as fnmatch(3) says: bracket expressions with
 * classes, long ones, escapes, an unterminated '[' (tests/fuzz/corpus/
 * proc/prefix-match-char-class and prefix-match-long-bracket). */
static void
test_prefix_match(void **state)
{
	static const struct {
		const char *pattern, *prefix;
		int want;
	} cases[] = {
		{ "[[:alpha:]]*", "transmission-gt", 1 },
		{ "transmission-[[:alpha:]]tk", "transmission-gt", 1 },
		{ "transmission-[[:digit:]]tk", "transmission-gt", 0 },
		{ "[[:digit:]]*", "transmission-gt", 0 },
		{ "transmission-gt[[:alpha:]]", "transmission-gt", 1 },
		{ "transmission-gt[[:digit:]]*", "transmission-gt", 1 },
		{ "transmission-gk[[:alpha:]]", "transmission-gt", 0 },
		{ "transmission-[]g]t[!k]", "transmission-gt", 1 },
		{ "transmission-[!g]t*", "transmission-gt", 0 },
		{ "transmission-[a-h]tk", "transmission-gt", 1 },
		{ "transmission-[h-z]tk", "transmission-gt", 0 },
		{ "TRANSMISSION-[G]TK", "transmission-gt", 1 },
		{ "transmission\\-gtk", "transmission-gt", 1 },
		{ "transmission-[[=g=]]tk", "transmission-gt", 1 },
		{ "transmission-[[.g.]]tk", "transmission-gt", 1 },
		/* an unterminated '[' is itself */
		{ "transmission-g[tk", "transmission-g[", 1 },
		{ "transmission-g[tk", "transmission-gt", 0 },
		/* fnmatch gives up on a class it does not know */
		{ "transmission-[[:nope:]]tk", "transmission-gt", 0 },
		/* a trailing '\' matches nothing */
		{ "transmission-gt\\", "transmission-gt", 0 },
		{ "qbittorrent*", "qbittorrent-nox", 1 },
		{ "*[[:digit:]].exe", "perfectdark_v1.", 1 },
		{ "*[[:digit:]]x.exe", "perfectdark_v1.", 1 },
		{ "perfectdark?[[:digit:]]", "perfectdark_v1.", 0 },
	};
	char longer[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (proc_glob_prefix_match(cases[i].pattern, cases[i].prefix) != cases[i].want)
			fail_msg("case %zu: %s against %s, want %d", i, cases[i].pattern,
			    cases[i].prefix, cases[i].want);

	/* A bracket expression of 128 bytes or more is one too. */
	snprintf(longer, sizeof(longer), "[q%0200d]bittorrent*.exe", 0);
	assert_int_equal(proc_glob_prefix_match(longer, "qbittorrent-ins"), 1);
	assert_int_equal(proc_glob_prefix_match(longer, "xbittorrent-ins"), 0);
	snprintf(longer, sizeof(longer), "qbittorrent-ins[q%0200d]", 0);
	assert_int_equal(proc_glob_prefix_match(longer, "qbittorrent-ins"), 1);

	/* Whatever fnmatch matches whole, it matches as a cut name. */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (fnmatch(cases[i].pattern, cases[i].prefix, FNM_CASEFOLD) == 0)
			assert_int_equal(proc_glob_prefix_match(cases[i].pattern,
			    cases[i].prefix), 1);
}

/* In a UTF-8 locale, fnmatch matches characters: '?' is one, and the
 * kernel may have cut the last one in two. */
static void
test_prefix_match_utf8(void **state)
{
	/* ファイル共有ソフト: ソ is e3 82 bd; the kernel kept e3 82 */
	static const char cut[] = "ファイル共有\xe3\x82";

	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		skip();
	assert_int_equal(proc_glob_prefix_match("ファイル共有?フト", cut), 1);
	assert_int_equal(proc_glob_prefix_match("ファイル共有ソフト*", cut), 1);
	assert_int_equal(proc_glob_prefix_match("ファイル共有[ソ]フト", cut), 1);
	assert_int_equal(proc_glob_prefix_match("ファイル共有[[:digit:]]フト", cut), 0);
	/* ア is e3 82 a2: a name going on with it starts with the cut bytes */
	assert_int_equal(proc_glob_prefix_match("ファイル共有ア*", cut), 1);
	assert_int_equal(proc_glob_prefix_match("ファイル共有ン*", cut), 0);
	assert_int_equal(proc_glob_prefix_match("ファ?ル*", "ファイル"), 1);
	setlocale(LC_ALL, "C");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_proc_tree),
		cmocka_unit_test(test_no_proc_is_absent),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_prefix_match),
		cmocka_unit_test(test_prefix_match_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
