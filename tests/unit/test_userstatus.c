/* userstatus and the notifier's decisions: a person's status file carries
 * their own findings and the PC's, never another person's; it is written
 * whole or not at all, owned by the person, 0600; a reader believes only
 * a regular file its uid owns; a notification comes on a change, at most
 * once a day while nothing changes, and once when all is fixed. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "testutil.h"
#include "agent/notify.h"
#include "agent/status.h"
#include "agent/userstatus.h"

static const char passwd[] =
    "root:x:0:0:root:/root:/bin/bash\n"
    "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
    "bob:x:1001:1001:Bob:/home/bob:/bin/bash\n";
static const char shadow[] =
    "root:!:19000:0:60:7:::\n"
    "alice:$6$x$y:19000:0:60:7:::\n"
    "bob:$6$x$y:19000:0:60:7:::\n";

struct fixture {
	struct policy pol;
	struct scan s;
};

static struct scan_item *
item(struct scan *s, const char *id, enum severity sev)
{
	struct scan_item *it = &s->items[s->n++];

	it->def = check_find(id);
	assert_non_null(it->def);
	it->severity = sev;
	return it;
}

/* alice and bob each fail the password age; bob has Winny in his home;
 * the PC has no antivirus; alice's screen lock could not be read; the
 * disk is not encrypted (advisory). */
static void
fixture_build(struct fixture *fx)
{
	struct scan_item *it;

	memset(fx, 0, sizeof(*fx));
	tu_policy(&fx->pol);
	fx->s.policy = &fx->pol;
	fx->s.at = 1790000000;
	snprintf(fx->s.device.hostname, sizeof(fx->s.device.hostname), "reception-pc");
	people_from_buffers(&fx->s.people, passwd, strlen(passwd), shadow, strlen(shadow),
	    &fx->pol);
	it = item(&fx->s, "account.password_changed", SEV_REQUIRED);
	result_add(&it->result, "alice", V_FAIL, "too_old", "change_password",
	    json_pack("{s:i, s:i}", "days", 400, "max", 60));
	result_add(&it->result, "bob", V_FAIL, "too_old", "change_password",
	    json_pack("{s:i, s:i}", "days", 90, "max", 60));
	result_add(&it->result, "root", V_NOT_APPLICABLE, "locked", NULL, NULL);
	it = item(&fx->s, "p2p.absent", SEV_REQUIRED);
	result_add(&it->result, "Winny", V_FAIL, "found_file", "delete_file",
	    json_pack("{s:s, s:s, s:s}", "file", "winny2.exe", "where", "~/Downloads",
	    "user", "bob"));
	it = item(&fx->s, "antivirus.present", SEV_REQUIRED);
	result_add(&it->result, "system", V_FAIL, "none_installed", "install_antivirus", NULL);
	it = item(&fx->s, "screen.lock", SEV_REQUIRED);
	result_add(&it->result, "alice", V_UNKNOWN, "no_reader", NULL, NULL);
	result_add(&it->result, "bob", V_PASS, NULL, NULL, NULL);
	it = item(&fx->s, "device.disk_encrypted", SEV_ADVISORY);
	result_add(&it->result, "/", V_FAIL, "not_encrypted", "encrypt_disk", NULL);
}

static void
fixture_free(struct fixture *fx)
{
	scan_free(&fx->s);
	policy_free(&fx->pol);
}

static const struct person *
person(const struct scan *s, const char *name)
{
	for (size_t i = 0; i < s->people.n; i++)
		if (strcmp(s->people.v[i].name, name) == 0)
			return &s->people.v[i];
	fail_msg("no person %s", name);
	return NULL;
}

/* "check subject scope" of each item, one per line. */
static void
summarize(const json_t *st, char *out, size_t outlen)
{
	const json_t *items = json_object_get(st, "items"), *it;
	size_t i, o = 0;

	out[0] = '\0';
	json_array_foreach(items, i, it)
		o += (size_t)snprintf(out + o, outlen - o, "%s %s %s\n",
		    json_string_value(json_object_get(it, "check")),
		    json_string_value(json_object_get(it, "subject")),
		    json_string_value(json_object_get(it, "scope")));
}

static void
test_build_only_own_and_device(void **state)
{
	struct fixture fx;
	char got[2048];
	json_t *st;

	(void)state;
	fixture_build(&fx);
	st = userstatus_build(&fx.s, person(&fx.s, "alice"));
	summarize(st, got, sizeof(got));
	/* bob's password and bob's Winny are not alice's business */
	assert_string_equal(got,
	    "account.password_changed alice own\n"
	    "antivirus.present system device\n"
	    "screen.lock alice own\n"
	    "device.disk_encrypted / device\n");
	assert_string_equal(json_string_value(json_object_get(st, "schema")), USERSTATUS_SCHEMA);
	assert_int_equal(json_integer_value(json_object_get(st, "uid")), 1000);
	assert_string_equal(json_string_value(json_object_get(st, "verdict")), "fail");
	/* the failing required items are the problems; unknown and advisory are not */
	assert_int_equal(status_problem_count(st), 2);
	json_decref(st);

	st = userstatus_build(&fx.s, person(&fx.s, "bob"));
	summarize(st, got, sizeof(got));
	assert_string_equal(got,
	    "account.password_changed bob own\n"
	    "p2p.absent Winny own\n"
	    "antivirus.present system device\n"
	    "device.disk_encrypted / device\n");
	{
		char *txt = json_dumps(st, 0);
		assert_null(strstr(txt, "alice"));
		free(txt);
	}
	json_decref(st);
	fixture_free(&fx);
}

static uid_t
someone(void)
{
	/* as root the file can be given to anybody; otherwise only to us */
	return geteuid() == 0 ? 4242 : geteuid();
}

static void
test_write_owner_mode_atomic(void **state)
{
	char *root = tu_mkroot(), path[4200];
	struct fixture fx;
	struct stat sb;
	struct mm_err e;
	json_t *st, *back;
	int dfd;

	(void)state;
	fixture_build(&fx);
	tu_mkdirs(root, "run");	/* /run is there; /run/mamori is made */
	snprintf(path, sizeof(path), "%s/run/mamori/users", root);
	/* the unit's UMask=0077 must not make the folders unreachable */
	mode_t old = umask(077);
	assert_int_equal(userstatus_dir_open(path, &dfd, &e), 0);
	umask(old);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0755);
	snprintf(path, sizeof(path), "%s/run/mamori", root);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0755);
	snprintf(path, sizeof(path), "%s/run/mamori/users", root);
	/* a temporary file left by a writer that died (state_write_owned_at
	 * names it UID.json.tmp) is replaced, not kept */
	snprintf(path, sizeof(path), "run/mamori/users/%lu.json.tmp", (unsigned long)someone());
	tu_write(root, path, "half a file");
	st = userstatus_build(&fx.s, person(&fx.s, "alice"));
	json_object_set_new(st, "uid", json_integer((json_int_t)someone()));
	assert_int_equal(userstatus_write(dfd, someone(), st, &e), 0);
	snprintf(path, sizeof(path), "%s/run/mamori/users/%lu.json", root,
	    (unsigned long)someone());
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_uid, someone());
	snprintf(path, sizeof(path), "%s/run/mamori/users/%lu.json.tmp", root,
	    (unsigned long)someone());
	assert_int_equal(access(path, F_OK), -1);
	/* what the person reads is what was written */
	snprintf(path, sizeof(path), "%s/run/mamori/users", root);
	assert_int_equal(userstatus_read(path, someone(), &back, &e), 0);
	assert_true(json_equal(st, back));
	json_decref(back);
	/* rewritten: replaced whole */
	json_object_set_new(st, "verdict", json_string("pass"));
	assert_int_equal(userstatus_write(dfd, someone(), st, &e), 0);
	assert_int_equal(userstatus_read(path, someone(), &back, &e), 0);
	assert_string_equal(json_string_value(json_object_get(back, "verdict")), "pass");
	json_decref(back);
	json_decref(st);
	close(dfd);
	fixture_free(&fx);
	tu_rmroot(root);
}

static void
test_write_all_removes_departed(void **state)
{
	char *root = tu_mkroot(), path[4200];
	struct fixture fx;
	struct mm_err e;
	size_t n;
	int dfd;

	(void)state;
	if (geteuid() != 0)
		skip();	/* files for uid 1000 and 1001 need root to chown */
	fixture_build(&fx);
	snprintf(path, sizeof(path), "%s/users", root);
	assert_int_equal(userstatus_dir_open(path, &dfd, &e), 0);
	tu_write(root, "users/1002.json", "{}");	/* carol left the clinic */
	tu_write(root, "users/notes.txt", "not ours");
	assert_int_equal(userstatus_write_all(dfd, &fx.s, &n, &e), 0);
	assert_int_equal(n, 3);
	snprintf(path, sizeof(path), "%s/users/1002.json", root);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/users/notes.txt", root);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/users/1001.json", root);
	assert_int_equal(access(path, F_OK), 0);
	close(dfd);
	fixture_free(&fx);
	tu_rmroot(root);
}

static void
test_read_refuses(void **state)
{
	char *root = tu_mkroot(), dir[4200], path[4300];
	char full[8700];
	uid_t me = geteuid();
	struct mm_err e;
	json_t *st;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/users", root);
	tu_mkdirs(root, "users");
	/* absent: no news */
	assert_int_equal(userstatus_read(dir, me, &st, &e), 1);
	/* a symlink to another person's file */
	tu_write(root, "users/other.json", "{\"schema\":\"mamori.status/1\",\"uid\":0,\"items\":[]}");
	snprintf(path, sizeof(path), "%s/%lu.json", dir, (unsigned long)me);
	assert_int_equal(symlink("other.json", path), 0);
	assert_int_equal(userstatus_read(dir, me, &st, &e), -1);
	unlink(path);
	/* a FIFO: refused, and the read does not hang */
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(userstatus_read(dir, me, &st, &e), -1);
	unlink(path);
	/* a file for someone else's uid inside */
	snprintf(path, sizeof(path), "users/%lu.json", (unsigned long)me);
	tu_write(root, path, "{\"schema\":\"mamori.status/1\",\"uid\":99999,\"items\":[]}");
	assert_int_equal(userstatus_read(dir, me, &st, &e), -1);
	assert_string_equal(e.reason, "status_invalid");
	/* not JSON */
	tu_write(root, path, "{\"schema\":");
	assert_int_equal(userstatus_read(dir, me, &st, &e), -1);
	/* owned by another uid (root only can make one) */
	if (me == 0) {

		tu_write(root, path, "{\"schema\":\"mamori.status/1\",\"uid\":0,\"items\":[]}");
		snprintf(full, sizeof(full), "%s/%s", root, path);
		assert_int_equal(chown(full, 1000, 1000), 0);
		assert_int_equal(userstatus_read(dir, 0, &st, &e), -1);
		assert_string_equal(e.reason, "status_refused");
		assert_int_equal(chown(full, 0, 0), 0);
		assert_int_equal(userstatus_read(dir, 0, &st, &e), 0);
		json_decref(st);
	}
	tu_rmroot(root);
}

static void
test_dir_open_refuses_unsafe(void **state)
{
	char *root = tu_mkroot(), path[4200], link[4200];
	struct mm_err e;
	int dfd;

	(void)state;
	tu_mkdirs(root, "open");
	snprintf(path, sizeof(path), "%s/open", root);
	chmod(path, 0777);
	assert_int_equal(userstatus_dir_open(path, &dfd, &e), -1);
	assert_string_equal(e.reason, "status_unsafe");
	snprintf(link, sizeof(link), "%s/link", root);
	assert_int_equal(symlink("open", link), 0);
	assert_int_equal(userstatus_dir_open(link, &dfd, &e), -1);
	tu_rmroot(root);
}

static void
test_notify_decisions(void **state)
{
	struct notify_memory m;
	const long long t0 = 1790000000, day = NOTIFY_REMIND_S;
	static const struct {
		const char *note;
		const char *hash;
		long long at;
		enum notify_action want;
	} steps[] = {
		{ "nothing wrong, nothing shown before", "", 0, NOTIFY_NONE },
		{ "a problem appears", "aaaa", 0, NOTIFY_SHOW },
		{ "the same, an hour later", "aaaa", 3600, NOTIFY_NONE },
		{ "the same, a minute short of a day", "aaaa", 86400 - 60, NOTIFY_NONE },
		{ "the same, a day later", "aaaa", 86400, NOTIFY_REMIND },
		{ "it changes an hour after the reminder", "bbbb", 86400 + 3600, NOTIFY_SHOW },
		{ "fixed", "", 86400 + 7200, NOTIFY_FIXED },
		{ "still fixed, a day later", "", 3 * 86400, NOTIFY_NONE },
		{ "back again", "bbbb", 3 * 86400 + 1, NOTIFY_SHOW },
		{ "the clock was set back a year", "bbbb", -365 * 86400, NOTIFY_REMIND },
	};

	(void)state;
	(void)day;
	memset(&m, 0, sizeof(m));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		enum notify_action a = notify_decide(&m, steps[i].hash, t0 + steps[i].at);
		if (a != steps[i].want)
			fail_msg("%s: got action %d, want %d", steps[i].note, a, steps[i].want);
		if (a != NOTIFY_NONE) {	/* what consider() records */
			snprintf(m.hash, sizeof(m.hash), "%s", steps[i].hash);
			m.shown_at = t0 + steps[i].at;
			m.problems = a != NOTIFY_FIXED;
		}
	}
}

static void
test_problem_hash_ignores_counts(void **state)
{
	struct fixture fx;
	char h1[65], h2[65], h3[65];
	json_t *st;

	(void)state;
	fixture_build(&fx);
	st = userstatus_build(&fx.s, person(&fx.s, "alice"));
	notify_problem_hash(st, h1);
	assert_int_equal(strlen(h1), 64);
	/* a day later the password is a day older: not news */
	json_object_set_new(json_object_get(json_array_get(json_object_get(st, "items"), 0),
	    "evidence"), "days", json_integer(401));
	notify_problem_hash(st, h2);
	assert_string_equal(h1, h2);
	/* another problem is */
	json_object_set_new(json_array_get(json_object_get(st, "items"), 0), "reason",
	    json_string("must_change"));
	notify_problem_hash(st, h3);
	assert_string_not_equal(h1, h3);
	/* no problems: no hash */
	json_array_clear(json_object_get(st, "items"));
	notify_problem_hash(st, h3);
	assert_string_equal(h3, "");
	json_decref(st);
	fixture_free(&fx);
}

/* Every check can quote the policy's words for at least one of its
 * paragraphs: the notification always says which rule, in its words. */
static void
test_every_check_quotes_its_article(void **state)
{
	(void)state;
	for (size_t i = 0; i < check_table_len; i++) {
		char copy[64], *tok, *save = NULL;
		int found = 0;

		snprintf(copy, sizeof(copy), "%s", check_table[i]->article);
		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			found |= status_article_words(tok) != NULL;
		if (!found)
			fail_msg("%s (%s): no words for its article", check_table[i]->id,
			    check_table[i]->article);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_only_own_and_device),
		cmocka_unit_test(test_write_owner_mode_atomic),
		cmocka_unit_test(test_write_all_removes_departed),
		cmocka_unit_test(test_read_refuses),
		cmocka_unit_test(test_dir_open_refuses_unsafe),
		cmocka_unit_test(test_notify_decisions),
		cmocka_unit_test(test_problem_hash_ignores_counts),
		cmocka_unit_test(test_every_check_quotes_its_article),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
