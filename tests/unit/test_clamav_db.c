/* test_clamav_db: the ClamAV database header as sigtool writes it — 512
 * bytes, ':'-separated, space-padded — and the ways a header is garbled.
 * A garbled header must be refused, never read as an age. */
#include "testutil.h"
#include "platform/clamav_db.h"

#define MD5 "4b1f0e0f8d5b9b8e3f43ad1c6ec2c0b6"
#define DSIG "Zx9c2Ymt3dQ1rVb8pKdJz0g5uL2aHq4nWs7eXo6yRf1TbGc3vNj8kMi0lPa9hUe2Sw5tDr7q"

/* The header padded with spaces to 512 bytes, then the gzip'd tar. */
static size_t
padded(const char *head, char out[600])
{
	size_t n = strlen(head);

	assert_true(n <= 512);
	memcpy(out, head, n);
	memset(out + n, ' ', 512 - n);
	memcpy(out + 512, "\x1f\x8b\x08\x00", 4);
	return 516;
}

static void
test_real_headers(void **state)
{
	static const struct {
		const char *what, *head;
		long version, sigs, flevel;
		long long stime;
		const char *build_time, *builder;
	} cases[] = {
		{ "daily.cvd as downloaded",
		  "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117:2047617:90:" MD5 ":" DSIG ":raynman:1702027869",
		  27117, 2047617, 90, 1702027869LL, "08 Dec 2023 09-31 +0000", "raynman" },
		{ "daily.cld after freshclam applied updates (no MD5, no signature)",
		  "ClamAV-VDB:14 Nov 2023 07-33 -0500:27093:2047181:90:X:X:raynman:1699965180",
		  27093, 2047181, 90, 1699965180LL, "14 Nov 2023 07-33 -0500", "raynman" },
		{ "main.cvd",
		  "ClamAV-VDB:16 Sep 2021 08-32 -0400:62:6647427:90:" MD5 ":" DSIG ":sigmgr:1631795571",
		  62, 6647427, 90, 1631795571LL, "16 Sep 2021 08-32 -0400", "sigmgr" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct clamav_db_header h;
		struct mm_err e;
		char buf[600];
		size_t len = padded(cases[i].head, buf);

		if (clamav_db_parse(buf, len, &h, &e) != 0)
			fail_msg("%s: refused: %s", cases[i].what, e.msg);
		assert_int_equal(h.version, cases[i].version);
		assert_int_equal(h.sigs, cases[i].sigs);
		assert_int_equal(h.flevel, cases[i].flevel);
		assert_true(h.stime == cases[i].stime);
		assert_string_equal(h.build_time, cases[i].build_time);
		assert_string_equal(h.builder, cases[i].builder);
	}
}

/* cl_cvdhead stops at a line break; a header read from a file shorter
 * than 512 bytes (a truncated download) still parses if it is whole. */
static void
test_line_break_and_short_read(void **state)
{
	static const char text[] = "ClamAV-VDB:05 Mar 2024 15-51 +0000:335:86:90:" MD5 ":" DSIG
	    ":raynman:1709653860\n\x1f\x8b binary after the line";
	struct clamav_db_header h;
	struct mm_err e;

	(void)state;
	assert_int_equal(clamav_db_parse(text, sizeof(text) - 1, &h, &e), 0);
	assert_true(h.stime == 1709653860LL);
	assert_int_equal(h.version, 335);
}

static void
test_garbled_headers_are_refused(void **state)
{
	static const struct {
		const char *what, *head;
	} cases[] = {
		{ "not a ClamAV database", "clamav-vdb:08 Dec 2023 09-31 +0000:27117:2047617:90:X:X:raynman:1702027869" },
		{ "old format without seconds", "ClamAV-VDB:21 Jan 2005 13-47 +0100:683:29000:4:" MD5 ":" DSIG ":ccordes" },
		{ "seconds not a number", "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117:2047617:90:X:X:raynman:17020x7869" },
		{ "seconds negative", "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117:2047617:90:X:X:raynman:-1702027869" },
		{ "seconds zero (before ClamAV)", "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117:2047617:90:X:X:raynman:0" },
		{ "seconds far in the future", "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117:2047617:90:X:X:raynman:99999999999" },
		{ "seconds with a sign", "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117:2047617:90:X:X:raynman:+1702027869" },
		{ "version not a number", "ClamAV-VDB:08 Dec 2023 09-31 +0000:27x17:2047617:90:X:X:raynman:1702027869" },
		{ "signature count empty", "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117::90:X:X:raynman:1702027869" },
		{ "build time empty", "ClamAV-VDB::27117:2047617:90:X:X:raynman:1702027869" },
		{ "only the magic", "ClamAV-VDB:" },
		{ "builder too long", "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117:2047617:90:X:X:"
		  "builderbuilderbuilderbuilderbuilderbuilderbuilderbuilderbuilderbuilder:1702027869" },
		{ "too many fields", "ClamAV-VDB:a:1:2:3:X:X:b:1702027869:1:2:3:4:5:6:7:8:9" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct clamav_db_header h;
		struct mm_err e;
		char buf[600];
		size_t len = padded(cases[i].head, buf);

		err_clear(&e);
		if (clamav_db_parse(buf, len, &h, &e) == 0)
			fail_msg("%s: accepted", cases[i].what);
		assert_string_equal(e.reason, "parse_error");
	}
}

/* Binary data: a control byte in the header, a gzip stream where the
 * header should be, a buffer shorter than the magic. */
static void
test_binary_is_refused(void **state)
{
	static const char ctrl[] = "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117:2047617:90:X:X:ray\x01man:1702027869";
	static const char high[] = "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117:2047617:90:X:X:r\xc3\xa4ynman:1702027869";
	static const char gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03";
	struct clamav_db_header h;
	struct mm_err e;

	(void)state;
	assert_int_equal(clamav_db_parse(ctrl, sizeof(ctrl) - 1, &h, &e), -1);
	assert_non_null(strstr(e.msg, "binary"));
	assert_int_equal(clamav_db_parse(high, sizeof(high) - 1, &h, &e), -1);
	assert_int_equal(clamav_db_parse(gz, sizeof(gz) - 1, &h, &e), -1);
	assert_int_equal(clamav_db_parse("ClamAV", 6, &h, &e), -1);
	assert_int_equal(clamav_db_parse("", 0, &h, &e), -1);
}

/* Only the first 512 bytes are the header: the seconds written past them
 * (a header that overflows its block) are not read. */
static void
test_only_512_bytes(void **state)
{
	char buf[700];
	struct clamav_db_header h;
	struct mm_err e;
	static const char head[] = "ClamAV-VDB:08 Dec 2023 09-31 +0000:27117:2047617:90:X:X:";

	(void)state;
	memcpy(buf, head, sizeof(head) - 1);
	memset(buf + sizeof(head) - 1, 'b', 512 - (sizeof(head) - 1));
	memcpy(buf + 512, ":1702027869", 11);
	assert_int_equal(clamav_db_parse(buf, 523, &h, &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_headers),
		cmocka_unit_test(test_line_break_and_short_read),
		cmocka_unit_test(test_garbled_headers_are_refused),
		cmocka_unit_test(test_binary_is_refused),
		cmocka_unit_test(test_only_512_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
