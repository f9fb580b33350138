/* The collector's store: the schema migrates once and refuses what it
 * does not know; tokens are kept only as hashes and stop at their uses,
 * their expiry and their revocation; a report is stored once, a retry of
 * the last one is recognised, an older one refused, and a refusal changes
 * nothing; the state per check and its history follow the reports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <openssl/sha.h>
#include "server-stub/admin.h"
#include "server-stub/store.h"

#define NOW 1800000000	/* 2027-01-15 */

struct fx {
	char dir[64];
	char path[128];
	struct store *s;
	int64_t facility;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct mm_err e;

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/mamori-coll-store-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/collector.db", f->dir);
	f->s = store_open(f->path, 1000, STORE_MIGRATE, &e);
	if (f->s == NULL)
		fail_msg("store_open: %s", e.msg);
	assert_int_equal(admin_facility_add(f->s, "松原クリニック", NOW, &f->facility, &e), STORE_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[160];

	store_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* One integer from the database, read with sqlite3 directly so that the
 * test does not trust the code it tests. */
static long long
sql_int(struct fx *f, const char *q)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", q, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
sql_text(struct fx *f, const char *q, char *out, size_t outlen)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", q, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Creates a token and enrolls one device with it. */
static void
enroll(struct fx *f, const char *device_id, const char *key)
{
	char token[ADMIN_TOKEN_LEN + 1];
	struct store_enrollment in = { .device_id = device_id, .public_key = key,
	    .facts = "{\"hostname\":\"pc\"}", .hostname = "pc" };
	struct store_enrolled out;
	struct mm_err e;
	int64_t id;

	assert_int_equal(admin_token_create(f->s, f->facility, 1, 3600, NOW, token, &id, &e), STORE_OK);
	admin_token_hash(token, in.token_sha256);
	assert_int_equal(store_enroll(f->s, &in, NOW, &out, &e), STORE_OK);
	assert_int_equal(out.facility_id, f->facility);
}

static const struct store_check checks_a[] = {
	{ "account.password_set", "16-1", "required", "pass" },
	{ "account.password_changed", "15-3", "required", "fail" },
};

static struct store_report
report(const char *device_id, int64_t seq, const char *body, const struct store_check *c, size_t n)
{
	struct store_report r = {
		.device_id = device_id, .sequence = seq, .generated_at = "2027-01-15T00:00:00Z",
		.verdict = "noncompliant", .body = body, .body_len = strlen(body), .signature = "sig",
		.checks = c, .n_checks = n,
	};
	SHA256((const unsigned char *)body, strlen(body), r.sha256);
	return r;
}

static void
test_migrations(void **state)
{
	struct fx *f = *state;
	struct store *s2;
	struct mm_err e;
	int have, known;

	assert_int_equal(store_schema_version(f->s, &have, &known, &e), 0);
	assert_true(known >= 1);
	assert_int_equal(have, known);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_migrations"), known);
	/* Opening again migrates nothing. */
	s2 = store_open(f->path, 1000, STORE_MIGRATE, &e);
	assert_non_null(s2);
	store_close(s2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_migrations"), known);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM facilities"), 1);
	/* WAL: readers never wait for the writer. */
	{
		char mode[16];
		sql_text(f, "PRAGMA journal_mode", mode, sizeof(mode));
		assert_string_equal(mode, "wal");
	}
}

static void
test_schema_refusals(void **state)
{
	struct fx *f = *state;
	char path[160];
	struct store *s;
	struct mm_err e;
	sqlite3 *db;

	/* A handle that must not migrate refuses an empty database. */
	snprintf(path, sizeof(path), "%s/empty.db", f->dir);
	assert_null(store_open(path, 1000, 0, &e));
	assert_string_equal(e.reason, "schema_old");

	/* A database from a newer collector is refused, not damaged. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, 0)", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	s = store_open(f->path, 1000, STORE_MIGRATE, &e);
	assert_null(s);
	assert_string_equal(e.reason, "schema_newer");
	assert_non_null(strstr(e.msg, "999"));
}

static int
count_facility(const struct store_facility *fa, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void
test_facilities(void **state)
{
	struct fx *f = *state;
	struct store_facility fa;
	struct mm_err e;
	int64_t id, again;
	int n = 0;

	assert_int_equal(admin_facility_add(f->s, "Clinic B", NOW, &id, &e), STORE_OK);
	assert_int_equal(admin_facility_add(f->s, "Clinic B", NOW, &again, &e), STORE_EXISTS);
	assert_int_equal(again, id);
	assert_int_equal(admin_facility_add(f->s, "", NOW, &again, &e), STORE_ERROR);
	assert_int_equal(admin_facility_add(f->s, "a\tb", NOW, &again, &e), STORE_ERROR);
	assert_int_equal(admin_facility_add(f->s, "\xff\xfe", NOW, &again, &e), STORE_ERROR);
	assert_int_equal(store_facility_get(f->s, id, &fa, &e), STORE_OK);
	assert_string_equal(fa.name, "Clinic B");
	assert_int_equal(fa.devices, 0);
	assert_int_equal(store_facility_get(f->s, 9999, &fa, &e), STORE_NOT_FOUND);
	assert_int_equal(admin_facility_list(f->s, count_facility, &n, &e), STORE_OK);
	assert_int_equal(n, 2);
}

static void
test_token_only_hash_kept(void **state)
{
	struct fx *f = *state;
	char token[ADMIN_TOKEN_LEN + 1], hex[65], want[65];
	unsigned char sha[STORE_SHA256_LEN];
	struct mm_err e;
	int64_t id;
	FILE *db;
	char *buf;
	long size;

	assert_int_equal(admin_token_create(f->s, f->facility, 3, 86400, NOW, token, &id, &e), STORE_OK);
	assert_int_equal(strlen(token), ADMIN_TOKEN_LEN);
	assert_true(admin_token_wellformed(token));
	assert_int_equal(strncmp(token, "mt1_", 4), 0);
	admin_token_hash(token, sha);
	for (int i = 0; i < 32; i++)
		snprintf(want + 2 * i, 3, "%02x", sha[i]);
	sql_text(f, "SELECT lower(hex(sha256)) FROM tokens", hex, sizeof(hex));
	assert_string_equal(hex, want);
	assert_int_equal(sql_int(f, "SELECT uses_left FROM tokens"), 3);

	/* The token itself is nowhere in the database files. */
	for (const char *suffix = ""; suffix != NULL; suffix = *suffix == '\0' ? "-wal" : NULL) {
		char p[200];
		snprintf(p, sizeof(p), "%s%s", f->path, suffix);
		if ((db = fopen(p, "rb")) == NULL)
			continue;
		fseek(db, 0, SEEK_END);
		size = ftell(db);
		rewind(db);
		buf = malloc((size_t)size + 1);
		assert_non_null(buf);
		assert_int_equal(fread(buf, 1, (size_t)size, db), (size_t)size);
		fclose(db);
		assert_null(memmem(buf, (size_t)size, token + 8, ADMIN_TOKEN_LEN - 8));
		free(buf);
	}
	/* Two tokens never collide. */
	{
		char other[ADMIN_TOKEN_LEN + 1];
		assert_int_equal(admin_token_create(f->s, f->facility, 1, 60, NOW, other, &id, &e), STORE_OK);
		assert_string_not_equal(token, other);
	}
	/* A token for no facility is refused. */
	assert_int_equal(admin_token_create(f->s, 4242, 1, 60, NOW, token, &id, &e), STORE_NOT_FOUND);
	assert_int_equal(admin_token_create(f->s, f->facility, 0, 60, NOW, token, &id, &e), STORE_ERROR);
}

static int
enroll_with(struct fx *f, const char *token, const char *device_id, time_t now)
{
	struct store_enrollment in = { .device_id = device_id, .public_key = "key",
	    .facts = "{}", .hostname = "" };
	struct store_enrolled out;
	struct mm_err e;

	admin_token_hash(token, in.token_sha256);
	return store_enroll(f->s, &in, now, &out, &e);
}

static void
test_token_uses_expiry_revocation(void **state)
{
	struct fx *f = *state;
	char two[ADMIN_TOKEN_LEN + 1], short_lived[ADMIN_TOKEN_LEN + 1], revoked[ADMIN_TOKEN_LEN + 1];
	struct mm_err e;
	int64_t id_two, id, id_rev;

	assert_int_equal(admin_token_create(f->s, f->facility, 2, 86400, NOW, two, &id_two, &e), STORE_OK);
	assert_int_equal(enroll_with(f, two, "dev_1", NOW), STORE_OK);
	assert_int_equal(enroll_with(f, two, "dev_2", NOW + 1), STORE_OK);
	/* Used up: refused, and nothing changed. */
	assert_int_equal(enroll_with(f, two, "dev_3", NOW + 2), STORE_TOKEN_INVALID);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM devices"), 2);
	assert_int_equal(sql_int(f, "SELECT uses_left FROM tokens WHERE id = 1"), 0);

	assert_int_equal(admin_token_create(f->s, f->facility, 5, 600, NOW, short_lived, &id, &e),
	    STORE_OK);
	assert_int_equal(enroll_with(f, short_lived, "dev_4", NOW + 599), STORE_OK);
	assert_int_equal(enroll_with(f, short_lived, "dev_5", NOW + 600), STORE_TOKEN_INVALID);

	assert_int_equal(admin_token_create(f->s, f->facility, 5, 600, NOW, revoked, &id_rev, &e),
	    STORE_OK);
	assert_int_equal(admin_token_revoke(f->s, id_rev, NOW, &e), STORE_OK);
	assert_int_equal(admin_token_revoke(f->s, id_rev, NOW + 5, &e), STORE_OK);
	assert_int_equal(sql_int(f, "SELECT revoked_at FROM tokens WHERE id = 3"), NOW);
	assert_int_equal(enroll_with(f, revoked, "dev_6", NOW + 1), STORE_TOKEN_INVALID);
	assert_int_equal(admin_token_revoke(f->s, 4242, NOW, &e), STORE_NOT_FOUND);

	/* Unknown tokens, and strings that are no token at all. */
	assert_int_equal(enroll_with(f, "mt1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "dev_7", NOW),
	    STORE_TOKEN_INVALID);
	assert_int_equal(enroll_with(f, "", "dev_8", NOW), STORE_TOKEN_INVALID);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM devices"), 3);
}

static void
test_token_states(void **state)
{
	struct store_token t = { .uses_left = 1, .uses_total = 1, .expires_at = NOW + 10 };

	assert_string_equal(admin_token_state(&t, NOW), "active");
	assert_string_equal(admin_token_state(&t, NOW + 10), "expired");
	t.uses_left = 0;
	assert_string_equal(admin_token_state(&t, NOW), "used_up");
	t.revoked_at = NOW;
	assert_string_equal(admin_token_state(&t, NOW), "revoked");
}

static void
test_durations(void **state)
{
	static const struct { const char *in; long want; } good[] = {
		{ "7d", 7 * 86400 }, { "12h", 12 * 3600 }, { "30m", 1800 }, { "45s", 45 }, { "366d", 366 * 86400 },
	};
	static const char *const bad[] = { "", "d", "7", "7x", "-1d", "0d", "7dd", "367d", "99999999999999999999d" };
	struct mm_err e;
	long v;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(admin_parse_duration(good[i].in, &v, &e), 0);
		assert_int_equal(v, good[i].want);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (admin_parse_duration(bad[i], &v, &e) != -1)
			fail_msg("accepted duration \"%s\"", bad[i]);
}

static void
test_device_ids(void **state)
{
	char a[ADMIN_DEVICE_ID_LEN + 1], b[ADMIN_DEVICE_ID_LEN + 1];
	struct mm_err e;

	assert_int_equal(admin_device_id_new(a, &e), 0);
	assert_int_equal(admin_device_id_new(b, &e), 0);
	assert_int_equal(strlen(a), ADMIN_DEVICE_ID_LEN);
	assert_int_equal(strncmp(a, "dev_", 4), 0);
	assert_string_not_equal(a, b);
}

static void
test_report_store_duplicate_replay(void **state)
{
	struct fx *f = *state;
	struct store_report r1 = report("dev_a", 1, "{\"sequence\":1}", checks_a, 2);
	struct store_report r2 = report("dev_a", 2, "{\"sequence\":2}", checks_a, 2);
	struct store_report other1 = report("dev_a", 1, "{\"sequence\":1,\"x\":1}", checks_a, 2);
	struct store_report r5 = report("dev_a", 5, "{\"sequence\":5}", checks_a, 2);
	struct store_device d;
	struct mm_err e;

	enroll(f, "dev_a", "KEY");
	assert_int_equal(store_report_put(f->s, &r1, NOW, &e), STORE_OK);
	/* The same bytes again: a retry after a lost answer, stored once. */
	assert_int_equal(store_report_put(f->s, &r1, NOW + 1, &e), STORE_DUPLICATE);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM reports"), 1);
	assert_int_equal(store_report_put(f->s, &r2, NOW + 2, &e), STORE_OK);
	/* Once a newer one is in, the old bytes are a replay. */
	assert_int_equal(store_report_put(f->s, &r1, NOW + 3, &e), STORE_REPLAYED);
	/* Another body with an old sequence is a replay too. */
	assert_int_equal(store_report_put(f->s, &other1, NOW + 3, &e), STORE_REPLAYED);
	assert_string_equal(e.reason, "sequence_replayed");
	/* Gaps are fine: the agent may have dropped reports. */
	assert_int_equal(store_report_put(f->s, &r5, NOW + 4, &e), STORE_OK);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM reports"), 3);

	assert_int_equal(store_device_get(f->s, "dev_a", &d, &e), STORE_OK);
	assert_int_equal(d.last_sequence, 5);
	assert_int_equal(d.last_report_at, NOW + 4);
	assert_string_equal(d.last_verdict, "noncompliant");
	/* The exact signed bytes are what is stored. */
	{
		char body[64];
		sql_text(f, "SELECT body FROM reports WHERE sequence = 2", body, sizeof(body));
		assert_string_equal(body, "{\"sequence\":2}");
	}
}

static void
test_report_unknown_and_retired(void **state)
{
	struct fx *f = *state;
	struct store_report r = report("dev_r", 1, "{}", checks_a, 2);
	struct store_report nobody = report("dev_nobody", 1, "{}", checks_a, 2);
	struct store_device d;
	struct mm_err e;

	enroll(f, "dev_r", "KEY");
	assert_int_equal(store_report_put(f->s, &nobody, NOW, &e), STORE_UNKNOWN_DEVICE);
	assert_int_equal(admin_device_retire(f->s, "dev_r", NOW + 10, &e), STORE_OK);
	assert_int_equal(admin_device_retire(f->s, "dev_r", NOW + 20, &e), STORE_OK);
	assert_int_equal(store_device_get(f->s, "dev_r", &d, &e), STORE_OK);
	assert_int_equal(d.retired_at, NOW + 10);
	assert_int_equal(store_report_put(f->s, &r, NOW + 30, &e), STORE_UNKNOWN_DEVICE);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM reports"), 0);
	assert_int_equal(admin_device_retire(f->s, "dev_gone", NOW, &e), STORE_NOT_FOUND);
	assert_int_equal(store_device_get(f->s, "dev_gone", &d, &e), STORE_NOT_FOUND);
}

struct history {
	int n;
	struct store_change c[16];
};

static int
collect(const struct store_change *c, void *arg)
{
	struct history *h = arg;

	if (h->n < 16)
		h->c[h->n++] = *c;
	return 0;
}

static void
test_check_state_and_history(void **state)
{
	struct fx *f = *state;
	static const struct store_check fixed[] = {
		{ "account.password_set", "16-1", "required", "pass" },
		{ "account.password_changed", "15-3", "required", "pass" },
	};
	static const struct store_check advisory[] = {
		{ "account.password_set", "16-1", "advisory", "pass" },
		{ "account.password_changed", "15-3", "required", "pass" },
		{ "screen.lock", "15-5,15-6", "required", "unknown" },
	};
	struct store_report r1 = report("dev_h", 1, "1", checks_a, 2);
	struct store_report r2 = report("dev_h", 2, "2", checks_a, 2);
	struct store_report r3 = report("dev_h", 3, "3", fixed, 2);
	struct store_report r4 = report("dev_h", 4, "4", advisory, 3);
	struct history h = { 0 };
	struct mm_err e;

	enroll(f, "dev_h", "KEY");
	assert_int_equal(store_report_put(f->s, &r1, NOW + 100, &e), STORE_OK);
	/* Same verdicts: last_seen moves, since stays. */
	assert_int_equal(store_report_put(f->s, &r2, NOW + 200, &e), STORE_OK);
	assert_int_equal(sql_int(f, "SELECT since FROM check_state WHERE check_id = "
	    "'account.password_changed'"), NOW + 100);
	assert_int_equal(sql_int(f, "SELECT last_seen FROM check_state WHERE check_id = "
	    "'account.password_changed'"), NOW + 200);
	assert_int_equal(sql_int(f, "SELECT last_sequence FROM check_state WHERE check_id = "
	    "'account.password_set'"), 2);
	/* The fail is fixed: since moves to this report. */
	assert_int_equal(store_report_put(f->s, &r3, NOW + 300, &e), STORE_OK);
	assert_int_equal(sql_int(f, "SELECT since FROM check_state WHERE check_id = "
	    "'account.password_changed'"), NOW + 300);
	assert_int_equal(sql_int(f, "SELECT since_sequence FROM check_state WHERE check_id = "
	    "'account.password_changed'"), 3);
	assert_int_equal(sql_int(f, "SELECT since FROM check_state WHERE check_id = "
	    "'account.password_set'"), NOW + 100);
	/* A new check and a new severity: state follows, history only for
	 * verdicts. */
	assert_int_equal(store_report_put(f->s, &r4, NOW + 400, &e), STORE_OK);
	{
		char sev[16];
		sql_text(f, "SELECT severity FROM check_state WHERE check_id = 'account.password_set'",
		    sev, sizeof(sev));
		assert_string_equal(sev, "advisory");
	}
	assert_int_equal(sql_int(f, "SELECT count(*) FROM check_state"), 3);
	assert_int_equal(sql_int(f, "SELECT last_seen FROM check_state WHERE check_id = "
	    "'account.password_set'"), NOW + 400);

	assert_int_equal(store_device_history(f->s, "dev_h", NULL, collect, &h, &e), STORE_OK);
	/* first seen ×2 (report 1), fail→pass (report 3), screen.lock first seen (4) */
	assert_int_equal(h.n, 4);
	assert_string_equal(h.c[0].check_id, "screen.lock");
	assert_string_equal(h.c[0].verdict_from, "");
	assert_string_equal(h.c[0].verdict_to, "unknown");
	assert_string_equal(h.c[1].check_id, "account.password_changed");
	assert_string_equal(h.c[1].verdict_from, "fail");
	assert_string_equal(h.c[1].verdict_to, "pass");
	assert_int_equal(h.c[1].at, NOW + 300);
	assert_int_equal(h.c[1].sequence, 3);

	h.n = 0;
	assert_int_equal(store_device_history(f->s, "dev_h", "account.password_set", collect, &h, &e),
	    STORE_OK);
	assert_int_equal(h.n, 1);
}

static void
test_batches(void **state)
{
	struct fx *f = *state;
	struct store_report a1 = report("dev_b1", 1, "a1", checks_a, 2);
	struct store_report a1_again = report("dev_b1", 1, "a1 other", checks_a, 2);
	struct store_report b1 = report("dev_b2", 1, "b1", checks_a, 2);
	struct store_report b2 = report("dev_b2", 2, "b2", checks_a, 2);
	struct mm_err e;

	enroll(f, "dev_b1", "KEY1");
	enroll(f, "dev_b2", "KEY2");
	/* A refusal inside a batch leaves the others of the batch alone. */
	assert_int_equal(store_begin(f->s, &e), 0);
	assert_int_equal(store_report_put(f->s, &a1, NOW, &e), STORE_OK);
	assert_int_equal(store_report_put(f->s, &a1_again, NOW, &e), STORE_REPLAYED);
	assert_int_equal(store_report_put(f->s, &b1, NOW, &e), STORE_OK);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM reports"), 2);
	/* A batch rolled back stores nothing. */
	assert_int_equal(store_begin(f->s, &e), 0);
	assert_int_equal(store_report_put(f->s, &b2, NOW, &e), STORE_OK);
	store_rollback(f->s);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM reports"), 2);
	assert_int_equal(sql_int(f, "SELECT last_sequence FROM devices WHERE device_id = 'dev_b2'"), 1);
	/* Inside a batch the second report of a device sees the first. */
	assert_int_equal(store_begin(f->s, &e), 0);
	assert_int_equal(store_report_put(f->s, &b2, NOW, &e), STORE_OK);
	assert_int_equal(store_report_put(f->s, &b2, NOW, &e), STORE_DUPLICATE);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM reports"), 3);
}

static int
count_device(const struct store_device *d, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void
test_device_list(void **state)
{
	struct fx *f = *state;
	struct mm_err e;
	int64_t other;
	int n = 0;

	enroll(f, "dev_l1", "K");
	enroll(f, "dev_l2", "K");
	assert_int_equal(admin_device_list(f->s, 0, count_device, &n, &e), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(admin_facility_add(f->s, "Other", NOW, &other, &e), STORE_OK);
	n = 0;
	assert_int_equal(admin_device_list(f->s, other, count_device, &n, &e), STORE_OK);
	assert_int_equal(n, 0);
	n = 0;
	assert_int_equal(admin_device_list(f->s, f->facility, count_device, &n, &e), STORE_OK);
	assert_int_equal(n, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facilities, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_only_hash_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_uses_expiry_revocation, setup, teardown),
		cmocka_unit_test(test_token_states),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_device_ids),
		cmocka_unit_test_setup_teardown(test_report_store_duplicate_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_unknown_and_retired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_state_and_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_list, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
