/* spool: signed reports wait here until the collector has them. Oldest
 * goes first; nothing is lost except by the policy's bounds, and what is
 * dropped is counted; a crash's leftovers and damaged files are cleaned
 * up, never sent, never a crash. */
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include "testutil.h"
#include "agent/spool.h"
#include "agent/upload.h"
#include "common/sign.h"

struct fixture {
	char *root;
	char dir[4200];
	struct state st;
	struct spool sp;
	struct sign_key *key;
	char pub[SIGN_PUBKEY_B64_LEN + 1];
};

static struct fixture *
fx_new(uint64_t max_reports, uint64_t max_bytes)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct mm_err e;

	assert_non_null(f);
	f->root = tu_mkroot();
	snprintf(f->dir, sizeof(f->dir), "%s/state", f->root);
	assert_int_equal(state_open(&f->st, f->dir, 1, &e), 0);
	assert_int_equal(state_lock(&f->st, &e), 0);
	assert_int_equal(spool_open(&f->sp, f->st.dirfd, max_reports, max_bytes, &e), 0);
	f->key = sign_key_new(&e);
	assert_non_null(f->key);
	assert_int_equal(sign_key_public_b64(f->key, f->pub, &e), 0);
	return f;
}

static void
fx_free(struct fixture *f)
{
	spool_close(&f->sp);
	state_close(&f->st);
	sign_key_free(f->key);
	tu_rmroot(f->root);
	free(f);
}

/* A signed report of about size bytes with that sequence. */
static void
put(struct fixture *f, uint64_t seq, uint64_t dropped, size_t size, size_t *evicted)
{
	struct spool_entry en;
	struct mm_err e;
	char *body = malloc(size + 64);
	int n;

	assert_non_null(body);
	n = snprintf(body, size + 64, "{\"sequence\":%" PRIu64 ",\"pad\":\"", seq);
	while ((size_t)n < size - 2)
		body[n++] = 'x';
	body[n++] = '"';
	body[n++] = '}';
	body[n] = '\0';
	memset(&en, 0, sizeof(en));
	en.sequence = seq;
	en.dropped = dropped;
	snprintf(en.device_id, sizeof(en.device_id), "dev_test");
	assert_int_equal(sign_bytes(f->key, body, (size_t)n, en.signature, &e), 0);
	en.body = body;
	en.body_len = (size_t)n;
	if (spool_put(&f->sp, &en, evicted, &e) != 0)
		fail_msg("spool_put %" PRIu64 ": %s", seq, e.msg);
	free(body);
}

static void
assert_spool(struct fixture *f, const uint64_t *want, size_t n)
{
	struct mm_err e;
	uint64_t *got;
	size_t cnt;

	assert_int_equal(spool_list(&f->sp, &got, &cnt, NULL, &e), 0);
	if (cnt != n)
		fail_msg("spool holds %zu reports, expected %zu", cnt, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
	free(got);
}

static uint64_t
unacked(struct fixture *f)
{
	struct mm_err e;
	uint64_t n;

	assert_int_equal(spool_dropped_unacked(&f->sp, &n, &e), 0);
	return n;
}

static uint64_t
pending(struct fixture *f)
{
	struct mm_err e;
	uint64_t n;

	assert_int_equal(spool_dropped_pending(&f->sp, &n, &e), 0);
	return n;
}

static void
test_put_list_in_order_read_delete(void **state)
{
	static const uint64_t all[] = { 1, 2, 9, 10, 100 }, rest[] = { 1, 9, 10, 100 };
	struct fixture *f = fx_new(1000, 50u << 20);
	struct spool_entry en;
	struct mm_err e;
	uint64_t max;
	size_t ev;

	(void)state;
	/* written out of order; sent oldest first (9 before 10: numeric order) */
	put(f, 10, 0, 300, &ev);
	put(f, 2, 0, 300, &ev);
	put(f, 100, 0, 300, &ev);
	put(f, 1, 0, 300, &ev);
	put(f, 9, 0, 300, &ev);
	assert_int_equal(ev, 0);
	assert_spool(f, all, 5);
	assert_int_equal(spool_max_sequence(&f->sp, &max, &e), 0);
	assert_int_equal(max, 100);
	/* what comes back is what was signed, byte for byte */
	assert_int_equal(spool_read(&f->sp, 2, f->pub, &en, &e), 0);
	assert_int_equal(en.sequence, 2);
	assert_string_equal(en.device_id, "dev_test");
	assert_int_equal(sign_verify(f->pub, en.body, en.body_len, en.signature, &e), 0);
	assert_int_equal(spool_delivered(&f->sp, &en, &e), 0);
	spool_entry_free(&en);
	assert_spool(f, rest, 4);
	assert_int_equal(unacked(f), 0);
	fx_free(f);
}

/* A sequence is never reused: an existing entry is never overwritten. */
static void
test_put_never_overwrites(void **state)
{
	struct fixture *f = fx_new(1000, 50u << 20);
	struct spool_entry en;
	struct mm_err e;
	size_t ev;

	(void)state;
	put(f, 5, 0, 200, &ev);
	memset(&en, 0, sizeof(en));
	en.sequence = 5;
	snprintf(en.device_id, sizeof(en.device_id), "dev_test");
	assert_int_equal(sign_bytes(f->key, "{}", 2, en.signature, &e), 0);
	en.body = "{}";
	en.body_len = 2;
	assert_int_equal(spool_put(&f->sp, &en, &ev, &e), -1);
	assert_string_equal(e.reason, "spool_conflict");
	assert_int_equal(spool_read(&f->sp, 5, f->pub, &en, &e), 0);
	assert_true(en.body_len > 100);	/* still the first report */
	spool_entry_free(&en);
	fx_free(f);
}

/* Full by count: the oldest goes, and every loss is counted once. */
static void
test_bound_by_count_drops_oldest_and_counts(void **state)
{
	static const uint64_t after5[] = { 3, 4, 5 }, after6[] = { 4, 5, 6 };
	struct fixture *f = fx_new(3, 50u << 20);
	struct spool_entry en;
	struct mm_err e;
	size_t ev, total = 0;

	(void)state;
	for (uint64_t s = 1; s <= 5; s++) {
		put(f, s, 0, 200, &ev);
		total += ev;
	}
	assert_int_equal(total, 2);
	assert_spool(f, after5, 3);
	assert_int_equal(unacked(f), 2);
	/* the next report carries the two ... */
	assert_int_equal(pending(f), 2);
	put(f, 6, 2, 200, &ev);
	assert_int_equal(ev, 1);
	assert_spool(f, after6, 3);
	/* ... and the one its own arrival pushed out goes with a later one */
	assert_int_equal(unacked(f), 3);
	assert_int_equal(pending(f), 1);
	/* the collector hears of the two only when report 6 is delivered */
	for (uint64_t s = 4; s <= 6; s++) {
		assert_int_equal(spool_read(&f->sp, s, f->pub, &en, &e), 0);
		assert_int_equal(spool_delivered(&f->sp, &en, &e), 0);
		spool_entry_free(&en);
	}
	assert_int_equal(unacked(f), 1);
	assert_int_equal(pending(f), 1);
	fx_free(f);
}

/* Full by bytes: as many of the oldest go as needed to fit the new one. */
static void
test_bound_by_bytes_drops_oldest_and_counts(void **state)
{
	static const uint64_t want[] = { 4, 5 };
	struct fixture *f = fx_new(1000, 2500);
	struct spool_entry en;
	struct mm_err e;
	uint64_t bytes, *seqs;
	size_t ev, n;

	(void)state;
	put(f, 1, 0, 800, &ev);
	put(f, 2, 0, 800, &ev);
	assert_int_equal(ev, 0);
	put(f, 3, 0, 800, &ev);	/* 3 × (800 + header) > 2500 */
	assert_int_equal(ev, 1);
	put(f, 4, 0, 1000, &ev);
	put(f, 5, 0, 1000, &ev);
	assert_spool(f, want, 2);
	assert_int_equal(unacked(f), 3);
	assert_int_equal(spool_list(&f->sp, &seqs, &n, &bytes, &e), 0);
	assert_true(bytes <= 2500);
	free(seqs);
	/* a report larger than the whole spool is refused, and nothing is dropped for it */
	memset(&en, 0, sizeof(en));
	en.sequence = 6;
	snprintf(en.device_id, sizeof(en.device_id), "dev_test");
	en.body = calloc(1, 4000);
	assert_non_null(en.body);
	memset(en.body, ' ', 3999);
	en.body[0] = '{';
	en.body[3998] = '}';
	en.body_len = 3999;
	assert_int_equal(sign_bytes(f->key, en.body, en.body_len, en.signature, &e), 0);
	assert_int_equal(spool_put(&f->sp, &en, &ev, &e), -1);
	assert_string_equal(e.reason, "spool_too_small");
	free(en.body);
	assert_spool(f, want, 2);
	assert_int_equal(unacked(f), 3);
	fx_free(f);
}

/* A crash between create and rename leaves NAME.tmp; it was never a
 * complete report, so the next start removes it. Other files stay. */
static void
test_tmp_leftovers_removed_at_start(void **state)
{
	static const uint64_t want[] = { 7 };
	struct fixture *f = fx_new(1000, 50u << 20);
	char path[4400];
	struct mm_err e;
	size_t ev;

	(void)state;
	put(f, 7, 0, 200, &ev);
	tu_write(f->dir, "spool/00000000000000000008.tmp", "mamori-spool/1 sequence=8 dev");
	tu_write(f->dir, "spool/00000000000000000007.tmp", "half a rewrite");
	tu_write(f->dir, "spool/notes.txt", "a person's file");
	spool_close(&f->sp);
	assert_int_equal(spool_open(&f->sp, f->st.dirfd, 1000, 50u << 20, &e), 0);
	snprintf(path, sizeof(path), "%s/spool/00000000000000000008.tmp", f->dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/spool/00000000000000000007.tmp", f->dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/spool/notes.txt", f->dir);
	assert_int_equal(access(path, F_OK), 0);
	assert_spool(f, want, 1);
	fx_free(f);
}

/* Damaged entries: each is refused with spool_corrupt, never a crash. */
struct corrupt_case {
	const char *name;	/* file name in the spool */
	const char *content;	/* NULL: special, see kind */
	int kind;		/* 0 file, 1 symlink, 2 folder, 3 fifo */
	const char *note;
};

#define SIG88 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="
static const struct corrupt_case corrupt[] = {
	{ "00000000000000000001", "", 0, "empty file" },
	{ "00000000000000000002", "garbage without a newline", 0, "no header line" },
	{ "00000000000000000003", "mamori-spool/9 sequence=3 device=dev_test dropped=0 length=2 signature=" SIG88 "\n{}", 0, "unknown format version" },
	{ "00000000000000000004", "mamori-spool/1 sequence=4 device=dev_test dropped=0 length=20 signature=" SIG88 "\n{}", 0, "truncated body" },
	{ "00000000000000000005", "mamori-spool/1 sequence=5 device=dev_test dropped=0 length=2 signature=" SIG88 "\n{}{}", 0, "bytes appended" },
	{ "00000000000000000006", "mamori-spool/1 sequence=99 device=dev_test dropped=0 length=2 signature=" SIG88 "\n{}", 0, "sequence differs from its name" },
	{ "00000000000000000007", "mamori-spool/1 sequence=7 device=dev\rX dropped=0 length=2 signature=" SIG88 "\n{}", 0, "device id with a control character" },
	{ "00000000000000000008", "mamori-spool/1 sequence=8 device=dev_test dropped=-1 length=2 signature=" SIG88 "\n{}", 0, "negative count" },
	{ "00000000000000000009", "mamori-spool/1 sequence=9 device=dev_test dropped=0 length=2 signature=short\n{}", 0, "signature of the wrong length" },
	{ "00000000000000000010", "mamori-spool/1 sequence=10 device=dev_test dropped=0 length=2 signature=" SIG88 "\n{}", 0, "signature that does not verify" },
	{ "00000000000000000011", "mamori-spool/1 sequence=11 device=dev_test dropped=0 length=99999999999999999999999 signature=" SIG88 "\n{}", 0, "length overflows" },
	{ "00000000000000000012", "mamori-spool/1 sequence=12 device=dev_test dropped=0 length=2 signature=" SIG88 " extra=1\n{}", 0, "an extra field" },
	{ "00000000000000000013", "mamori-spool/1 sequence=13 device=dev_test dropped=0 length=2 signature=" SIG88 "\nxx", 0, "body not a JSON object" },
	{ "00000000000000000014", NULL, 1, "a symlink to another file" },
	{ "00000000000000000015", NULL, 2, "a folder" },
	{ "00000000000000000016", NULL, 3, "a FIFO (must not block)" },
};

static void
plant(struct fixture *f, const struct corrupt_case *c)
{
	char path[4400], victim[4400];

	snprintf(path, sizeof(path), "%s/spool/%s", f->dir, c->name);
	switch (c->kind) {
	case 0: {
		char rel[128];
		snprintf(rel, sizeof(rel), "spool/%s", c->name);
		tu_write(f->dir, rel, c->content);
		break;
	}
	case 1:
		tu_write(f->root, "victim", "{\"not\": \"a report\"}");
		snprintf(victim, sizeof(victim), "%s/victim", f->root);
		assert_int_equal(symlink(victim, path), 0);
		break;
	case 2:
		assert_int_equal(mkdir(path, 0700), 0);
		break;
	case 3:
		assert_int_equal(mkfifo(path, 0600), 0);
		break;
	}
}

static void
test_corrupt_entries_refused(void **state)
{
	struct fixture *f = fx_new(1000, 50u << 20);
	size_t n = sizeof(corrupt) / sizeof(corrupt[0]);
	struct spool_entry en;
	struct mm_err e;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		uint64_t seq = (uint64_t)strtoull(corrupt[i].name, NULL, 10);
		plant(f, &corrupt[i]);
		err_clear(&e);
		if (spool_read(&f->sp, seq, f->pub, &en, &e) != -1)
			fail_msg("%s (%s) was read as a report", corrupt[i].name, corrupt[i].note);
		if (strcmp(e.reason, "spool_corrupt") != 0)
			fail_msg("%s (%s): reason %s", corrupt[i].name, corrupt[i].note, e.reason);
	}
	fx_free(f);
}

/* Delivery skips nothing good and keeps nothing bad: damaged entries are
 * logged, dropped and counted; the good report behind them is tried (and
 * stays, since no collector listens here). */
static void
test_upload_drops_corrupt_and_logs(void **state)
{
	struct fixture *f = fx_new(1000, 50u << 20);
	struct upload_retry once = { 1, 0, 0, 0 };
	struct state_device dev;
	struct upload_result res;
	size_t n = sizeof(corrupt) / sizeof(corrupt[0]), ev;
	static const uint64_t left[] = { 40 };
	struct mm_err e;
	char logtext[16384];
	FILE *log = tmpfile();
	size_t got;

	(void)state;
	assert_non_null(log);
	for (size_t i = 0; i < n; i++)
		plant(f, &corrupt[i]);
	put(f, 40, 0, 300, &ev);
	memset(&dev, 0, sizeof(dev));
	snprintf(dev.device_id, sizeof(dev.device_id), "dev_test");
	snprintf(dev.server, sizeof(dev.server), "http://127.0.0.1:1");
	snprintf(dev.public_key, sizeof(dev.public_key), "%s", f->pub);
	assert_int_equal(upload_spool(&f->sp, &dev, NULL, &once, &res, log, &e), 0);
	assert_int_equal(res.delivered, 0);
	assert_int_equal(res.dropped, n);
	assert_int_equal(res.remaining, 1);
	assert_spool(f, left, 1);
	assert_int_equal(unacked(f), n);
	rewind(log);
	got = fread(logtext, 1, sizeof(logtext) - 1, log);
	logtext[got] = '\0';
	fclose(log);
	assert_non_null(strstr(logtext, "00000000000000000004"));
	assert_non_null(strstr(logtext, "report 40 not delivered"));
	fx_free(f);
}

/* Reports of an earlier enrollment cannot go under the new device id. */
static void
test_upload_drops_other_device(void **state)
{
	struct fixture *f = fx_new(1000, 50u << 20);
	struct upload_retry once = { 1, 0, 0, 0 };
	struct state_device dev;
	struct upload_result res;
	struct mm_err e;
	FILE *log = tmpfile();
	size_t ev;

	(void)state;
	put(f, 1, 0, 300, &ev);
	memset(&dev, 0, sizeof(dev));
	snprintf(dev.device_id, sizeof(dev.device_id), "dev_new");
	snprintf(dev.server, sizeof(dev.server), "http://127.0.0.1:1");
	assert_int_equal(upload_spool(&f->sp, &dev, NULL, &once, &res, log, &e), 0);
	assert_int_equal(res.dropped, 1);
	assert_int_equal(res.remaining, 0);
	assert_int_equal(unacked(f), 1);
	fclose(log);
	fx_free(f);
}

/* Random damage to a good entry: refused or parsed, never a crash (run
 * under ASan/UBSan). */
static void
test_parse_survives_mutations(void **state)
{
	char good[] = "mamori-spool/1 sequence=12 device=dev_test dropped=3 length=11 signature="
	    SIG88 "\n{\"a\":\"bcd\"}";
	size_t len = strlen(good);
	struct spool_entry en;
	struct mm_err e;
	unsigned seed = 12345;

	(void)state;
	assert_int_equal(spool_entry_parse(good, len, &en, &e), 0);
	assert_int_equal(en.sequence, 12);
	assert_int_equal(en.dropped, 3);
	assert_int_equal(en.body_len, 11);
	spool_entry_free(&en);
	for (int i = 0; i < 20000; i++) {
		char *m = malloc(len);
		size_t cut;
		assert_non_null(m);
		memcpy(m, good, len);
		seed = seed * 1103515245u + 12345u;
		m[(seed >> 8) % len] = (char)(seed >> 16);
		seed = seed * 1103515245u + 12345u;
		cut = (seed >> 4) % (len + 1);
		if (spool_entry_parse(m, cut, &en, &e) == 0) {
			assert_true(en.body_len <= cut);
			spool_entry_free(&en);
		}
		free(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_list_in_order_read_delete),
		cmocka_unit_test(test_put_never_overwrites),
		cmocka_unit_test(test_bound_by_count_drops_oldest_and_counts),
		cmocka_unit_test(test_bound_by_bytes_drops_oldest_and_counts),
		cmocka_unit_test(test_tmp_leftovers_removed_at_start),
		cmocka_unit_test(test_corrupt_entries_refused),
		cmocka_unit_test(test_upload_drops_corrupt_and_logs),
		cmocka_unit_test(test_upload_drops_other_device),
		cmocka_unit_test(test_parse_survives_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
