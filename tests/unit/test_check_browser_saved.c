/* test_check_browser_saved: article 16-4 — no browser profile holds saved
 * passwords. Stores are made with the real tools (SQLite with Chromium's
 * schema, logins.json in Firefox's shape, fake data), counted and never
 * read out: the report says how many, never a site or a login. Planted
 * and damaged stores give unknown with a reason, a store another program
 * holds locked is still counted, and nothing hangs. */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include "testutil.h"

extern const struct check_def check_browser_no_saved_passwords;

#define PASSWD \
	"root:x:0:0:root:/root:/bin/bash\n" \
	"alice:x:1000:1000::/home/alice:/bin/bash\n" \
	"bob:x:1001:1001::/home/bob:/bin/bash\n"

#define CHROME "home/alice/.config/google-chrome/Default"
#define FF "home/alice/.mozilla/firefox"
#define FF_INI "[Profile0]\nName=default-release\nIsRelative=1\nPath=q.default-release\n"
#define FF_LOGINS FF "/q.default-release/logins.json"

/* A row of Chromium's logins table, fake: example.invalid, "v10"-style
 * encrypted-looking bytes. never = 1 is a "never save for this site" row. */
#define ROW(user, pw, never) \
	"INSERT INTO logins (origin_url, action_url, username_element, username_value, " \
	"password_element, password_value, submit_element, signon_realm, date_created, " \
	"blacklisted_by_user, scheme) VALUES ('https://" user ".example.invalid/', " \
	"'https://" user ".example.invalid/post', 'user', '" user "', 'pass', " pw ", '', " \
	"'https://" user ".example.invalid/', 13300000000000000, " #never ", 0);"
#define PW "X'7631309a8b7c6d5e4f'"

#define LOGIN(id, host) \
	"{\"id\": " #id ", \"hostname\": \"" host "\", \"httpRealm\": null, " \
	"\"formSubmitURL\": \"https://login.example.invalid\", \"usernameField\": \"user\", " \
	"\"passwordField\": \"pass\", \"encryptedUsername\": \"MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECGZha2V1c2Vy\", " \
	"\"encryptedPassword\": \"MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECGZha2VwYXNz\", " \
	"\"guid\": \"{00000000-0000-4000-8000-00000000000" #id "}\", \"encType\": 1, " \
	"\"timeCreated\": 1700000000000, \"timeLastUsed\": 1700000000000, " \
	"\"timePasswordChanged\": 1700000000000, \"timesUsed\": 1, \"syncCounter\": 0, " \
	"\"everSynced\": false, \"encryptedUnknownFields\": null}"

/* text: content, or "@dir", "@fifo", "@link=TARGET", "@db=SQL" (a login
 * database from Chromium's schema plus SQL), "@sparse=BYTES". */
struct file {
	const char *path, *text;
};

struct want {
	const char *browser, *profile;
	enum verdict v;
	const char *reason;
	long saved;	/* evidence saved_passwords; -1: absent */
};

static const struct {
	const char *what;
	struct file files[6];
	enum verdict verdict;
	size_t n;
	struct want w[2];
} cases[] = {
	{ "not_applicable: no browser on the machine", { { NULL, NULL } },
	  V_NOT_APPLICABLE, 1, { { NULL, NULL, V_NOT_APPLICABLE, "no_browser", -1 } } },
	{ "not_applicable: Chrome installed, nobody has used it",
	  { { "opt/google/chrome", "@dir" } },
	  V_NOT_APPLICABLE, 1, { { NULL, NULL, V_NOT_APPLICABLE, "no_browser_profiles", -1 } } },

	/* Chromium family */
	{ "fail: two saved passwords; never-save and empty rows are not counted",
	  { { CHROME "/Login Data", "@db=" ROW("a", PW, 0) ROW("b", PW, 0) ROW("c", "X''", 1)
	      ROW("d", "X''", 0) } },
	  V_FAIL, 1, { { "chrome", "Default", V_FAIL, "passwords_saved", 2 } } },
	{ "fail: the account store counts too",
	  { { CHROME "/Login Data", "@db=" },
	    { CHROME "/Login Data For Account", "@db=" ROW("e", PW, 0) } },
	  V_FAIL, 1, { { "chrome", "Default", V_FAIL, "passwords_saved", 1 } } },
	{ "pass: only never-save entries",
	  { { CHROME "/Login Data", "@db=" ROW("a", "X''", 1) ROW("b", "NULL", 1) } },
	  V_PASS, 1, { { "chrome", "Default", V_PASS, NULL, 0 } } },
	{ "pass: a profile without a store",
	  { { CHROME, "@dir" } },
	  V_PASS, 1, { { "chrome", "Default", V_PASS, NULL, 0 } } },
	{ "unknown: Login Data is not a database",
	  { { CHROME "/Login Data", "SQLite? no, a text file that only looks like one.\n" } },
	  V_UNKNOWN, 1, { { "chrome", "Default", V_UNKNOWN, "db_corrupt", -1 } } },
	{ "fail: a damaged store does not hide the other one's passwords",
	  { { CHROME "/Login Data", "garbage" },
	    { CHROME "/Login Data For Account", "@db=" ROW("a", PW, 0) ROW("b", PW, 0) ROW("c", PW, 0) } },
	  V_FAIL, 1, { { "chrome", "Default", V_FAIL, "passwords_saved", 3 } } },
	{ "unknown: another SQLite database under the store's name",
	  { { CHROME "/Login Data", "@sql=CREATE TABLE cookies(host_key TEXT);" } },
	  V_UNKNOWN, 1, { { "chrome", "Default", V_UNKNOWN, "db_schema_unknown", -1 } } },
	{ "unknown: Login Data is a symlink (to another person's store)",
	  { { "home/bob/stolen", "@db=" ROW("a", PW, 0) },
	    { CHROME "/Login Data", "@link=/home/bob/stolen" } },
	  V_UNKNOWN, 1, { { "chrome", "Default", V_UNKNOWN, "file_symlink", -1 } } },
	{ "unknown: Login Data is a FIFO (no hang)",
	  { { CHROME "/Login Data", "@fifo" } },
	  V_UNKNOWN, 1, { { "chrome", "Default", V_UNKNOWN, "file_not_regular", -1 } } },
	{ "unknown: a 65 MiB sparse Login Data is not copied",
	  { { CHROME "/Login Data", "@sparse=68157440" } },
	  V_UNKNOWN, 1, { { "chrome", "Default", V_UNKNOWN, "file_too_large", -1 } } },
	{ "unknown: a symlinked profile folder is not entered",
	  { { "home/bob/prof/Login Data", "@db=" ROW("a", PW, 0) },
	    { "home/alice/.config/chromium/Default", "@link=/home/bob/prof" } },
	  V_UNKNOWN, 1, { { "chromium", "Default", V_UNKNOWN, "file_symlink", -1 } } },

	/* Firefox */
	{ "fail: two logins; a deletion tombstone and Firefox's account entry are none",
	  { { FF "/profiles.ini", FF_INI },
	    { FF_LOGINS, "{\"nextId\": 5, \"logins\": [" LOGIN(1, "https://a.example.invalid") ", "
	      LOGIN(2, "https://b.example.invalid") ", "
	      "{\"id\": 3, \"guid\": \"{x}\", \"timePasswordChanged\": 1, \"syncCounter\": 1, "
	      "\"everSynced\": true, \"deleted\": true}, " LOGIN(4, "chrome://FirefoxAccounts")
	      "], \"potentiallyVulnerablePasswords\": [], "
	      "\"dismissedBreachAlertsByLoginGUID\": {}, \"version\": 3}" } },
	  V_FAIL, 1, { { "firefox", "q.default-release", V_FAIL, "passwords_saved", 2 } } },
	{ "pass: an empty store",
	  { { FF "/profiles.ini", FF_INI },
	    { FF_LOGINS, "{\"nextId\": 1, \"logins\": [], \"potentiallyVulnerablePasswords\": [], "
	      "\"dismissedBreachAlertsByLoginGUID\": {}, \"version\": 3}" } },
	  V_PASS, 1, { { "firefox", "q.default-release", V_PASS, NULL, 0 } } },
	{ "pass: no logins.json; key4.db is never opened (a FIFO there changes nothing)",
	  { { FF "/profiles.ini", FF_INI }, { FF "/q.default-release/key4.db", "@fifo" } },
	  V_PASS, 1, { { "firefox", "q.default-release", V_PASS, NULL, 0 } } },
	{ "unknown: a 2 GiB sparse logins.json is refused, not read",
	  { { FF "/profiles.ini", FF_INI }, { FF_LOGINS, "@sparse=2147483648" } },
	  V_UNKNOWN, 1, { { "firefox", "q.default-release", V_UNKNOWN, "file_too_large", -1 } } },
	{ "unknown: logins.json is not JSON",
	  { { FF "/profiles.ini", FF_INI }, { FF_LOGINS, "{\"logins\": [{\"id\": 1," } },
	  V_UNKNOWN, 1, { { "firefox", "q.default-release", V_UNKNOWN, "parse_error", -1 } } },
	{ "unknown: logins.json is a FIFO (no hang)",
	  { { FF "/profiles.ini", FF_INI }, { FF_LOGINS, "@fifo" } },
	  V_UNKNOWN, 1, { { "firefox", "q.default-release", V_UNKNOWN, "file_not_regular", -1 } } },
	{ "both families: each profile its own finding",
	  { { CHROME "/Login Data", "@db=" },
	    { FF "/profiles.ini", FF_INI },
	    { FF_LOGINS, "{\"logins\": [" LOGIN(1, "https://a.example.invalid") "]}" } },
	  V_FAIL, 2, {
		{ "chrome", "Default", V_PASS, NULL, 0 },
		{ "firefox", "q.default-release", V_FAIL, "passwords_saved", 1 } } },
};

static char *
read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (f == NULL)
		fail_msg("cannot open %s (run from the source tree or set MAMORI_TOP)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

/* A login database made by SQLite from Chromium's schema (the fixture
 * file) and the given rows; schema NULL: only the given SQL. */
static void
make_db(const char *path, int chromium, const char *sql)
{
	char sqlpath[4096];
	const char *top = getenv("MAMORI_TOP");
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (chromium) {
		char *schema;
		snprintf(sqlpath, sizeof(sqlpath),
		    "%s/tests/fixtures/browser/chromium-login-data.sql", top ? top : ".");
		schema = read_all(sqlpath);
		assert_int_equal(sqlite3_exec(db, schema, NULL, NULL, NULL), SQLITE_OK);
		free(schema);
	}
	if (sql[0] != '\0' && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void
place(const char *root, const struct file *f)
{
	char p[4200], dir[4200], *slash;

	snprintf(p, sizeof(p), "%s/%s", root, f->path);
	snprintf(dir, sizeof(dir), "%s", f->path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		tu_mkdirs(root, dir);
	}
	if (strcmp(f->text, "@dir") == 0)
		tu_mkdirs(root, f->path);
	else if (strcmp(f->text, "@fifo") == 0)
		assert_int_equal(mkfifo(p, 0644), 0);
	else if (strncmp(f->text, "@link=", 6) == 0)
		assert_int_equal(symlink(f->text + 6, p), 0);
	else if (strncmp(f->text, "@db=", 4) == 0)
		make_db(p, 1, f->text + 4);
	else if (strncmp(f->text, "@sql=", 5) == 0)
		make_db(p, 0, f->text + 5);
	else if (strncmp(f->text, "@sparse=", 8) == 0) {
		int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, (off_t)strtoll(f->text + 8, NULL, 10)), 0);
		close(fd);
	} else
		tu_write(root, f->path, f->text);
}

static const struct finding *
finding_for(const struct check_result *r, const char *browser, const char *profile)
{
	for (size_t i = 0; i < r->n; i++) {
		json_t *b = json_object_get(r->f[i].evidence, "browser");
		json_t *p = json_object_get(r->f[i].evidence, "profile");

		if (browser == NULL) {
			if (b == NULL)
				return &r->f[i];
			continue;
		}
		if (b != NULL && strcmp(json_string_value(b), browser) == 0 && p != NULL &&
		    strcmp(json_string_value(p), profile) == 0)
			return &r->f[i];
	}
	return NULL;
}

/* The report leaves the clinic: no site, login name or password may be in
 * a finding's evidence — only browser, install, profile, a count, and for
 * an unknown the reason's detail. */
static void
assert_private(const char *what, const struct finding *f)
{
	char *dump = json_dumps(f->evidence, JSON_SORT_KEYS);
	const char *key;
	json_t *v;

	assert_non_null(dump);
	if (strstr(dump, "example.invalid") != NULL || strstr(dump, "MDoE") != NULL ||
	    strstr(dump, "FirefoxAccounts") != NULL)
		fail_msg("%s: evidence carries store content: %s", what, dump);
	json_object_foreach(f->evidence, key, v) {
		if (strcmp(key, "browser") != 0 && strcmp(key, "install") != 0 &&
		    strcmp(key, "profile") != 0 && strcmp(key, "saved_passwords") != 0 &&
		    strcmp(key, "product") != 0 &&
		    strcmp(key, "detail") != 0)
			fail_msg("%s: unexpected evidence %s", what, key);
	}
	free(dump);
}

static void
run_check(const char *dir, struct check_result *r, struct people *pp, struct policy *pol)
{
	tu_policy(pol);
	tu_run(&check_browser_no_saved_passwords, dir, pol, 0, r, pp);
}

static void
test_cases(void **state)
{
	(void)state;
	alarm(60);	/* a FIFO that blocked would hang here: fail instead */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = tu_mkroot();
		struct check_result r;
		struct people pp;
		struct policy pol;

		tu_write(dir, "etc/passwd", PASSWD);
		tu_mkdirs(dir, "home/bob");
		for (size_t k = 0; k < 6 && cases[i].files[k].path != NULL; k++)
			place(dir, &cases[i].files[k]);
		run_check(dir, &r, &pp, &pol);
		if (result_verdict(&r) != cases[i].verdict || r.n != cases[i].n)
			fail_msg("%s: verdict %s with %zu findings, want %s with %zu", cases[i].what,
			    verdict_name(result_verdict(&r)), r.n, verdict_name(cases[i].verdict),
			    cases[i].n);
		for (size_t k = 0; k < cases[i].n && k < 2; k++) {
			const struct want *w = &cases[i].w[k];
			const struct finding *f = finding_for(&r, w->browser, w->profile);
			json_t *saved;

			if (f == NULL)
				fail_msg("%s: no finding for %s", cases[i].what,
				    w->browser ? w->browser : "(system)");
			if (f->verdict != w->v || (w->reason == NULL) != (f->reason == NULL) ||
			    (w->reason && strcmp(w->reason, f->reason) != 0))
				fail_msg("%s: %s (%s), want %s (%s)", cases[i].what,
				    verdict_name(f->verdict), f->reason ? f->reason : "-",
				    verdict_name(w->v), w->reason ? w->reason : "-");
			assert_string_equal(f->subject, w->browser ? "alice" : "system");
			saved = json_object_get(f->evidence, "saved_passwords");
			if (w->saved == -1 ? saved != NULL :
			    (!json_is_integer(saved) || json_integer_value(saved) != w->saved))
				fail_msg("%s: saved_passwords is not %ld", cases[i].what, w->saved);
			assert_private(cases[i].what, f);
			if (f->reason != NULL)
				assert_non_null(check_msg_text(&check_browser_no_saved_passwords,
				    f->reason));
			if (f->verdict == V_FAIL)
				assert_non_null(check_msg_text(&check_browser_no_saved_passwords,
				    f->remediation));
		}
		result_free(&r);
		people_free(&pp);
		policy_free(&pol);
		tu_rmroot(dir);
	}
	alarm(0);
}

/* A child process holds the store the way a running browser does; the
 * parent counts it meanwhile. mode 0: BEGIN EXCLUSIVE with an uncommitted
 * row; mode 1: WAL mode with rows committed to the log only. */
static pid_t
hold_store(const char *path, int mode)
{
	int p[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sqlite3 *db;
		const char *sql = mode == 0 ?
		    "BEGIN EXCLUSIVE;" ROW("uncommitted", PW, 0) :
		    "PRAGMA journal_mode=WAL;" ROW("w1", PW, 0) ROW("w2", PW, 0);

		close(p[0]);
		if (sqlite3_open(path, &db) != SQLITE_OK ||
		    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static void
test_locked_store(void **state)
{
	char *dir = tu_mkroot(), path[4200];
	struct check_result r;
	struct people pp;
	struct policy pol;
	const struct finding *f;
	pid_t pid;

	(void)state;
	tu_write(dir, "etc/passwd", PASSWD);
	tu_mkdirs(dir, CHROME);
	snprintf(path, sizeof(path), "%s/%s/Login Data", dir, CHROME);
	make_db(path, 1, ROW("committed", PW, 0));
	pid = hold_store(path, 0);
	alarm(30);
	run_check(dir, &r, &pp, &pol);
	alarm(0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* the committed row is counted; the lock neither blocks nor fails it */
	f = finding_for(&r, "chrome", "Default");
	assert_non_null(f);
	assert_string_equal(verdict_name(f->verdict), "fail");
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "saved_passwords")), 1);
	result_free(&r);
	people_free(&pp);
	policy_free(&pol);
	tu_rmroot(dir);
}

static void
test_wal_store(void **state)
{
	char *dir = tu_mkroot(), path[4200];
	struct check_result r;
	struct people pp;
	struct policy pol;
	const struct finding *f;
	pid_t pid;
	sqlite3 *db;

	(void)state;
	tu_write(dir, "etc/passwd", PASSWD);
	tu_mkdirs(dir, CHROME);
	snprintf(path, sizeof(path), "%s/%s/Login Data", dir, CHROME);
	make_db(path, 1, "");
	/* rows only in the write-ahead log: "none" cannot be told */
	pid = hold_store(path, 1);
	alarm(30);
	run_check(dir, &r, &pp, &pol);
	alarm(0);
	f = finding_for(&r, "chrome", "Default");
	assert_non_null(f);
	assert_string_equal(verdict_name(f->verdict), "unknown");
	assert_string_equal(f->reason, "db_busy");
	result_free(&r);
	people_free(&pp);
	policy_free(&pol);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* checkpointed into the file, which still says "WAL" in its header */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	run_check(dir, &r, &pp, &pol);
	f = finding_for(&r, "chrome", "Default");
	assert_non_null(f);
	assert_string_equal(verdict_name(f->verdict), "fail");
	assert_int_equal(json_integer_value(json_object_get(f->evidence, "saved_passwords")), 2);
	result_free(&r);
	people_free(&pp);
	policy_free(&pol);
	tu_rmroot(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_locked_store),
		cmocka_unit_test(test_wal_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
