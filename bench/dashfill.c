/* dashfill: fills a mamori-collector database (its schema already made by
 * the collector's own migrations) with a region's worth of data for
 * bench/dashboard.sh: facilities, one used enrollment token each, devices
 * with their enrollment facts, one report a day per device, the devices'
 * current state per check and the history of verdict changes — the rows
 * the collector itself writes when it enrolls devices and stores reports
 * (server-stub/store_sqlite.c), consistent with each other.
 *
 *   dashfill --db FILE --variants FILE [--facilities N] [--devices N]
 *            [--days N] [--seed N] [--now UNIX]
 *
 * --variants: lines "CHECK_ID<TAB>VERDICT<TAB>CHECK_JSON" for the 14 checks
 * (pass, fail, unknown, not_applicable; compact JSON of one check of a real
 * `mamori scan --format json`, with its findings), in report order, and
 * one line "header<TAB>-<TAB>JSON" (the report without checks) that gives
 * the frame; bench/dashboard.sh makes it with jq from scans of the fixture
 * machines.
 *
 * The simulation, per device and day: the PC is off on 3 % of days (no
 * report, no sequence used); each check keeps its verdict from day to day
 * and changes with probability 0.32 % a report (about 4 changes per device
 * in 90 days, most pass <-> fail); 1.5 % of devices fall silent 3 to 20
 * days before the end; 1 % are retired; 0.3 % of reports come after a gap
 * in the sequence (reports lost), 0.1 % say the agent dropped some.
 *
 * The last report of each device carries the real findings (5 to 8 KB, as
 * the agent sends it); older ones the same frame and every check with its
 * verdict but without findings (about 1.7 KB): the dashboard reads only
 * the last report's body, and of older rows only sequence, received_at
 * and dropped, so the full 1.8 million bodies (10 GB) would add disk, not
 * work. Prints key=value lines. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

#define NCHECK 14
#define NV 4
enum { V_PASS, V_FAIL, V_UNKNOWN, V_NA };
static const char *const vname[NV] = { "pass", "fail", "unknown", "not_applicable" };

static struct {
	char id[64], article[64], severity[16];
	char *full[NV];		/* the check with its findings */
	char *compact[NV];	/* the check without */
} chk[NCHECK];
static char *header;		/* the report without "checks" and the closing brace */
static size_t nchk;

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("dashfill: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static uint64_t rng_s = 88172645463325252ull;

static uint64_t
rnd(void)
{
	rng_s ^= rng_s << 13;
	rng_s ^= rng_s >> 7;
	rng_s ^= rng_s << 17;
	return rng_s;
}

/* Uniform in [0, n). */
static long
rn(long n)
{
	return (long)(rnd() % (uint64_t)n);
}

/* True with probability p. */
static int
chance(double p)
{
	return (double)(rnd() >> 11) / 9007199254740992.0 < p;
}

static char *
xstrdup(const char *s)
{
	char *d = strdup(s);
	if (d == NULL)
		die("out of memory");
	return d;
}

/* The value of "KEY":"…" in a compact JSON text, copied. */
static void
json_str(const char *json, const char *key, char *out, size_t len)
{
	char pat[80];
	const char *p, *q;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	if ((p = strstr(json, pat)) == NULL || (q = strchr(p + strlen(pat), '"')) == NULL)
		die("variants: no \"%s\" in %.60s", key, json);
	p += strlen(pat);
	snprintf(out, len, "%.*s", (int)(q - p), p);
}

static void
load_variants(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		char *t1, *t2;
		size_t i;
		int v;

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if ((t1 = strchr(line, '\t')) == NULL || (t2 = strchr(t1 + 1, '\t')) == NULL)
			die("%s: a line is not ID TAB VERDICT TAB JSON", path);
		*t1++ = '\0';
		*t2++ = '\0';
		if (strcmp(line, "header") == 0) {
			size_t l = strlen(t2);
			if (l < 2 || t2[l - 1] != '}')
				die("%s: the header is not a JSON object", path);
			t2[l - 1] = '\0';
			header = xstrdup(t2);
			continue;
		}
		for (v = 0; v < NV && strcmp(vname[v], t1) != 0; v++)
			;
		if (v == NV)
			die("%s: unknown verdict %s", path, t1);
		for (i = 0; i < nchk && strcmp(chk[i].id, line) != 0; i++)
			;
		if (i == nchk) {
			if (nchk == NCHECK)
				die("%s: more than %d checks", path, NCHECK);
			snprintf(chk[i].id, sizeof(chk[i].id), "%s", line);
			json_str(t2, "article", chk[i].article, sizeof(chk[i].article));
			json_str(t2, "severity", chk[i].severity, sizeof(chk[i].severity));
			nchk++;
		}
		chk[i].full[v] = xstrdup(t2);
		{
			char b[512];
			snprintf(b, sizeof(b), "{\"id\":\"%s\",\"article\":\"%s\",\"severity\":\"%s\","
			    "\"verdict\":\"%s\",\"findings\":[]}", chk[i].id, chk[i].article,
			    chk[i].severity, vname[v]);
			chk[i].compact[v] = xstrdup(b);
		}
	}
	free(line);
	fclose(f);
	if (header == NULL || nchk != NCHECK)
		die("%s: want a header and %d checks, have %zu", path, NCHECK, nchk);
	for (size_t i = 0; i < nchk; i++)
		for (int v = 0; v < NV; v++)
			if (chk[i].full[v] == NULL)
				die("%s: %s has no %s variant", path, chk[i].id, vname[v]);
}

/* ---- the region ---- */

static const char *const places[] = {
	"松原", "天美", "河合", "阿保", "上田", "岡", "北新町", "高見の里", "三宅", "若林",
	"立部", "一津屋", "小川", "西大塚", "南新町", "別所", "布忍", "田井城", "新堂", "東新町",
	"大堀", "丹南", "我堂", "油上", "辻", "柴垣", "西野々", "三宅中", "天美我堂", "天美東",
	"天美西", "天美南", "天美北", "松ヶ丘", "野", "北条", "一津屋東", "南町", "恵我之荘", "河内松原",
};
static const char *const kinds[] = {
	"内科クリニック", "整形外科", "歯科医院", "訪問看護ステーション", "調剤薬局",
	"居宅介護支援事業所", "心療内科", "眼科", "皮膚科クリニック", "耳鼻咽喉科", "小児科",
	"訪問介護事業所", "地域包括支援センター", "在宅診療所",
};
static const char *const roles[] = {
	"uketsuke", "shinsatsu", "kango", "jimu", "kaigo", "yakuzai", "rehab", "soudan",
	"reception-pc", "nurse-station", "dr-room", "note",
};
static const char *const versions[] = { "0.1.0", "0.1.1", "0.2.0" };

struct dev {
	int fac;
	int retired, silent_from;	/* day from which it stops reporting (days = never) */
	unsigned char v[NCHECK];
	long seq;
	time_t since[NCHECK];
	long since_seq[NCHECK];
	time_t last_at;
	char last_gen[32], verdict[16];
	char id[40], host[64];
	int ver;
	int reported;
};

static void
fmt_time(time_t t, char *b, size_t n)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(b, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static sqlite3 *db;

static void
ex(const char *s)
{
	char *m = NULL;

	if (sqlite3_exec(db, s, NULL, NULL, &m) != SQLITE_OK)
		die("%s: %s", s, m ? m : sqlite3_errmsg(db));
}

static sqlite3_stmt *
prep(const char *s)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, s, -1, &st, NULL) != SQLITE_OK)
		die("%s: %s", s, sqlite3_errmsg(db));
	return st;
}

static void
done(sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die("insert: %s", sqlite3_errmsg(db));
	sqlite3_reset(st);
}

static void
hex(char *out, int nbytes)
{
	for (int i = 0; i < nbytes; i++)
		sprintf(out + 2 * i, "%02x", (unsigned)(rnd() & 0xff));
}

static void
b64rand(char *out, int chars)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (int i = 0; i < chars; i++)
		out[i] = a[rnd() & 63];
	out[chars] = '\0';
}

static const char *
device_verdict(const unsigned char *v)
{
	int unk = 0;

	for (int i = 0; i < NCHECK; i++) {
		if (strcmp(chk[i].severity, "required") != 0)
			continue;
		if (v[i] == V_FAIL)
			return "noncompliant";
		if (v[i] == V_UNKNOWN)
			unk = 1;
	}
	return unk ? "unknown" : "compliant";
}

int
main(int argc, char **argv)
{
	const char *dbpath = NULL, *variants = NULL;
	long nfac = 500, ndev = 20000, days = 90, seed = 1;
	time_t now = time(NULL);
	struct dev *d;
	int *size;
	long reports = 0, changes = 0, gaps = 0, silent = 0, retired = 0, states = 0;
	size_t bodies_bytes = 0;
	char *body;
	size_t bodycap = 1 << 16;
	struct timespec t0, t1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (v == NULL)
			die("%s needs a value", a);
		if (strcmp(a, "--db") == 0)
			dbpath = v;
		else if (strcmp(a, "--variants") == 0)
			variants = v;
		else if (strcmp(a, "--facilities") == 0)
			nfac = atol(v);
		else if (strcmp(a, "--devices") == 0)
			ndev = atol(v);
		else if (strcmp(a, "--days") == 0)
			days = atol(v);
		else if (strcmp(a, "--seed") == 0)
			seed = atol(v);
		else if (strcmp(a, "--now") == 0)
			now = (time_t)atoll(v);
		else
			die("unknown option %s", a);
		i++;
	}
	if (dbpath == NULL || variants == NULL || nfac < 1 ||
	    nfac > (long)(sizeof(places) / sizeof(places[0]) * sizeof(kinds) / sizeof(kinds[0])) ||
	    ndev < nfac || days < 2)
		die("usage: dashfill --db FILE --variants FILE [--facilities N<=560] [--devices N] "
		    "[--days N] [--seed N] [--now UNIX]");
	rng_s ^= (uint64_t)seed * 0x9E3779B97F4A7C15ull;
	for (int i = 0; i < 8; i++)
		rnd();
	load_variants(variants);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die("%s: %s", dbpath, sqlite3_errmsg(db));
	/* A bulk load: no journal, no fsync, a large cache; the collector
	 * puts the file back in WAL mode when it opens it. */
	ex("PRAGMA journal_mode = OFF");
	ex("PRAGMA synchronous = OFF");
	ex("PRAGMA cache_size = -1048576");
	ex("PRAGMA locking_mode = EXCLUSIVE");

	/* Facility sizes: five hospitals of 150 to 400 PCs, clinics and
	 * care offices of 4 to 70, scaled to the device count. */
	size = calloc((size_t)nfac, sizeof(*size));
	d = calloc((size_t)ndev, sizeof(*d));
	body = malloc(bodycap);
	if (size == NULL || d == NULL || body == NULL)
		die("out of memory");
	{
		long sum = 0, left;
		for (long f = 0; f < nfac; f++) {
			size[f] = f < 5 && nfac >= 50 ? 150 + (int)rn(251) : 4 + (int)rn(67);
			sum += size[f];
		}
		left = ndev;
		for (long f = 0; f < nfac; f++) {
			size[f] = (int)((double)size[f] * (double)ndev / (double)sum);
			if (size[f] < 1)
				size[f] = 1;
			left -= size[f];
		}
		for (long f = 0; left != 0; f = (f + 1) % nfac) {
			if (left > 0) {
				size[f]++;
				left--;
			} else if (size[f] > 1) {
				size[f]--;
				left++;
			}
		}
		/* Facility 1 is the largest (bench/dashboard.sh measures it). */
		for (long f = 1; f < nfac; f++)
			if (size[f] > size[0]) {
				int t = size[0];
				size[0] = size[f];
				size[f] = t;
			}
	}

	ex("BEGIN");
	{
		sqlite3_stmt *fa = prep("INSERT INTO facilities(id, name, created_at) VALUES (?1, ?2, ?3)");
		sqlite3_stmt *ta = prep("INSERT INTO tokens(id, facility_id, sha256, prefix, uses_total, "
		    "uses_left, created_at, expires_at) VALUES (?1, ?1, randomblob(32), ?2, ?3, 0, ?4, ?5)");
		sqlite3_stmt *da = prep("INSERT INTO devices(id, device_id, facility_id, token_id, "
		    "public_key, facts, hostname, enrolled_at, retired_at) "
		    "VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8)");
		long k = 0;
		const size_t np = sizeof(places) / sizeof(places[0]);
		const size_t nk = sizeof(kinds) / sizeof(kinds[0]);

		for (long f = 0; f < nfac; f++) {
			char name[256], prefix[16];
			time_t created = now - (days + 30 + rn(300)) * 86400;
			/* The largest first: the hospitals; then unique (place, kind). */
			if (f < 5 && nfac >= 50)
				snprintf(name, sizeof(name), "%s病院", places[f]);
			else
				snprintf(name, sizeof(name), "%s%s", places[f % np], kinds[(f / np) % nk]);
			sqlite3_bind_int64(fa, 1, f + 1);
			sqlite3_bind_text(fa, 2, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(fa, 3, created);
			done(fa);
			snprintf(prefix, sizeof(prefix), "mt1_");
			hex(prefix + 4, 2);
			sqlite3_bind_int64(ta, 1, f + 1);
			sqlite3_bind_text(ta, 2, prefix, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(ta, 3, size[f]);
			sqlite3_bind_int64(ta, 4, created + 86400);
			sqlite3_bind_int64(ta, 5, created + 8 * 86400);
			done(ta);
			for (int j = 0; j < size[f]; j++, k++) {
				struct dev *x = &d[k];
				char facts[512], pk[45], mid[33];
				time_t enrolled = created + 86400 + rn(7 * 86400);

				x->fac = (int)f;
				memcpy(x->id, "dev_", 4);
				hex(x->id + 4, 16);
				snprintf(x->host, sizeof(x->host), "%s-%02d", roles[j % 12], j / 12 + 1);
				x->ver = (int)rn(3);
				x->silent_from = (int)days;
				if (chance(0.015)) {
					x->silent_from = (int)(days - 3 - rn(18));
					silent++;
				}
				x->retired = chance(0.01);
				retired += x->retired;
				b64rand(pk, 43);
				pk[42] = 'A';	/* 32 bytes: the last character carries 4 bits */
				pk[43] = '=';
				pk[44] = '\0';
				hex(mid, 16);
				snprintf(facts, sizeof(facts), "{\"agent_version\":\"%s\",\"hostname\":\"%s\","
				    "\"machine_id\":\"%s\",\"os\":{\"id\":\"debian\",\"name\":\"Debian "
				    "GNU/Linux 12 (bookworm)\",\"version\":\"12\"}}", versions[x->ver],
				    x->host, mid);
				sqlite3_bind_int64(da, 1, k + 1);
				sqlite3_bind_text(da, 2, x->id, -1, SQLITE_STATIC);
				sqlite3_bind_int64(da, 3, f + 1);
				sqlite3_bind_text(da, 4, pk, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(da, 5, facts, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(da, 6, x->host, -1, SQLITE_STATIC);
				sqlite3_bind_int64(da, 7, enrolled);
				if (x->retired)
					sqlite3_bind_int64(da, 8, now - rn(30) * 86400 - 3600);
				else
					sqlite3_bind_null(da, 8);
				done(da);
				/* The first verdicts: most checks pass. */
				for (int c = 0; c < NCHECK; c++) {
					long r = rn(1000);
					x->v[c] = r < 850 ? V_PASS : r < 930 ? V_FAIL : r < 950 ? V_UNKNOWN :
					    V_NA;
				}
			}
		}
		sqlite3_finalize(fa);
		sqlite3_finalize(ta);
		sqlite3_finalize(da);
	}
	ex("COMMIT");

	{
		sqlite3_stmt *ra = prep("INSERT INTO reports(device, sequence, received_at, "
		    "generated_at, verdict, dropped, signature, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		    "?7, ?8)");
		sqlite3_stmt *ca = prep("INSERT INTO check_changes(device, check_id, verdict_from, "
		    "verdict_to, at, sequence) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

		for (long day = 0; day < days; day++) {
			ex("BEGIN");
			for (long k = 0; k < ndev; k++) {
				struct dev *x = &d[k];
				unsigned char old[NCHECK];
				time_t at;
				long dropped = 0;
				int last, cnt[NV] = { 0 };
				size_t len;
				char gen[32], sig[89];

				/* The last report of the device: the one the dashboard reads. */
				last = day == days - 1 || day == x->silent_from - 1;
				if (day >= x->silent_from || (!last && chance(0.03)))
					continue;
				at = now - (days - 1 - day) * 86400 - 3600 - rn(9 * 3600);
				memcpy(old, x->v, sizeof(old));
				if (x->reported)
					for (int c = 0; c < NCHECK; c++) {
						if (x->v[c] == V_NA || !chance(0.0032))
							continue;
						x->v[c] = x->v[c] == V_PASS ? (chance(0.85) ? V_FAIL : V_UNKNOWN) :
						    V_PASS;
					}
				x->seq += 1;
				if (x->reported && chance(0.003)) {
					x->seq += 1 + rn(3);
					gaps++;
				}
				if (chance(0.001))
					dropped = 1 + rn(20);
				fmt_time(at - 5 - rn(60), gen, sizeof(gen));
				b64rand(sig, 86);
				sig[86] = sig[87] = '=';
				sig[88] = '\0';
				for (int c = 0; c < NCHECK; c++)
					cnt[x->v[c]]++;
				/* header + hostname/agent as the device says + checks + the agent's tail */
				len = (size_t)snprintf(body, bodycap, "%s", header);
				snprintf(x->verdict, sizeof(x->verdict), "%s", device_verdict(x->v));
				len += (size_t)snprintf(body + len, bodycap - len, ",\"verdict\":\"%s\","
				    "\"summary\":{\"pass\":%d,\"fail\":%d,\"not_applicable\":%d,"
				    "\"unknown\":%d},\"checks\":[", x->verdict, cnt[V_PASS], cnt[V_FAIL],
				    cnt[V_NA], cnt[V_UNKNOWN]);
				for (int c = 0; c < NCHECK; c++) {
					const char *cj = last ? chk[c].full[x->v[c]] : chk[c].compact[x->v[c]];
					size_t cl = strlen(cj);
					if (len + cl + 256 > bodycap)
						die("a report is larger than %zu bytes", bodycap);
					if (c > 0)
						body[len++] = ',';
					memcpy(body + len, cj, cl);
					len += cl;
				}
				len += (size_t)snprintf(body + len, bodycap - len, "],\"device_id\":\"%s\","
				    "\"sequence\":%ld,\"spool\":{\"dropped\":%ld}}", x->id, x->seq, dropped);
				/* hostname, agent version and time as this device says them */
				{
					char *p = strstr(body, "\"hostname\":\"ws-");
					char *q = p ? strchr(p + 12, '"') : NULL;
					char *g = strstr(body, "\"generated_at\":\"");
					char *vv = strstr(body, "\"version\":\"0.1.0\"");
					if (g != NULL && strlen(gen) == 20)
						memcpy(g + 16, gen, 20);
					if (vv != NULL)
						memcpy(vv + 11, versions[x->ver], 5);
					if (p != NULL && q != NULL) {
						size_t hl = strlen(x->host), ol = (size_t)(q - (p + 12));
						memmove(p + 12 + hl, q, len - (size_t)(q - body) + 1);
						memcpy(p + 12, x->host, hl);
						len = len - ol + hl;
					}
				}
				sqlite3_bind_int64(ra, 1, k + 1);
				sqlite3_bind_int64(ra, 2, x->seq);
				sqlite3_bind_int64(ra, 3, at);
				sqlite3_bind_text(ra, 4, gen, -1, SQLITE_STATIC);
				sqlite3_bind_text(ra, 5, x->verdict, -1, SQLITE_STATIC);
				sqlite3_bind_int64(ra, 6, dropped);
				sqlite3_bind_text(ra, 7, sig, -1, SQLITE_STATIC);
				sqlite3_bind_text(ra, 8, body, (int)len, SQLITE_STATIC);
				done(ra);
				reports++;
				bodies_bytes += len;
				for (int c = 0; c < NCHECK; c++) {
					if (x->reported && old[c] == x->v[c])
						continue;
					sqlite3_bind_int64(ca, 1, k + 1);
					sqlite3_bind_text(ca, 2, chk[c].id, -1, SQLITE_STATIC);
					if (x->reported)
						sqlite3_bind_text(ca, 3, vname[old[c]], -1, SQLITE_STATIC);
					else
						sqlite3_bind_null(ca, 3);
					sqlite3_bind_text(ca, 4, vname[x->v[c]], -1, SQLITE_STATIC);
					sqlite3_bind_int64(ca, 5, at);
					sqlite3_bind_int64(ca, 6, x->seq);
					done(ca);
					changes++;
					x->since[c] = at;
					x->since_seq[c] = x->seq;
				}
				x->reported = 1;
				x->last_at = at;
				snprintf(x->last_gen, sizeof(x->last_gen), "%s", gen);
			}
			ex("COMMIT");
		}
		sqlite3_finalize(ra);
		sqlite3_finalize(ca);
	}

	ex("BEGIN");
	{
		sqlite3_stmt *du = prep("UPDATE devices SET last_sequence = ?2, last_sha256 = "
		    "randomblob(32), last_report_at = ?3, last_generated_at = ?4, last_verdict = ?5 "
		    "WHERE id = ?1");
		sqlite3_stmt *sa = prep("INSERT INTO check_state(device, check_id, article, severity, "
		    "verdict, since, since_sequence, last_seen, last_sequence) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");

		for (long k = 0; k < ndev; k++) {
			struct dev *x = &d[k];

			if (!x->reported)
				continue;
			sqlite3_bind_int64(du, 1, k + 1);
			sqlite3_bind_int64(du, 2, x->seq);
			sqlite3_bind_int64(du, 3, x->last_at);
			sqlite3_bind_text(du, 4, x->last_gen, -1, SQLITE_STATIC);
			sqlite3_bind_text(du, 5, x->verdict, -1, SQLITE_STATIC);
			done(du);
			for (int c = 0; c < NCHECK; c++) {
				sqlite3_bind_int64(sa, 1, k + 1);
				sqlite3_bind_text(sa, 2, chk[c].id, -1, SQLITE_STATIC);
				sqlite3_bind_text(sa, 3, chk[c].article, -1, SQLITE_STATIC);
				sqlite3_bind_text(sa, 4, chk[c].severity, -1, SQLITE_STATIC);
				sqlite3_bind_text(sa, 5, vname[x->v[c]], -1, SQLITE_STATIC);
				sqlite3_bind_int64(sa, 6, x->since[c]);
				sqlite3_bind_int64(sa, 7, x->since_seq[c]);
				sqlite3_bind_int64(sa, 8, x->last_at);
				sqlite3_bind_int64(sa, 9, x->seq);
				done(sa);
				states++;
			}
		}
		sqlite3_finalize(du);
		sqlite3_finalize(sa);
	}
	ex("COMMIT");
	ex("PRAGMA locking_mode = NORMAL");
	ex("PRAGMA journal_mode = WAL");
	if (sqlite3_close(db) != SQLITE_OK)
		die("closing: %s", sqlite3_errmsg(db));
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("fill_facilities=%ld\nfill_devices=%ld\nfill_devices_silent=%ld\n"
	    "fill_devices_retired=%ld\nfill_days=%ld\nfill_reports=%ld\nfill_report_bytes_avg=%zu\n"
	    "fill_check_state=%ld\nfill_check_changes=%ld\nfill_gaps=%ld\nfill_largest_facility=%d\n"
	    "fill_seconds=%.1f\n", nfac, ndev, silent, retired, days, reports,
	    reports ? bodies_bytes / (size_t)reports : 0, states, changes, gaps, size[0],
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(size);
	free(d);
	free(body);
	return 0;
}
