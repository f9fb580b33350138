/* Unit tests for the dashboard's building blocks that a person relies on
 * without seeing them: the password rule of article 15-3, scrypt hashes
 * that verify only the right password, and CSV that Excel in Japan opens
 * as text (BOM, quoting, no formulas from report data). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "server-stub/csv.h"
#include "server-stub/password.h"

static void
password_rule_follows_article_15_3(void **state)
{
	struct mm_err e;
	static const char *const good[] = { "abcdefg1", "Matsu2026net", "パスワードab12", "1234567a" };
	static const char *const bad[] = {
		"abc1234",	/* 7 characters */
		"abcdefgh",	/* no digit */
		"12345678",	/* no letter */
		"パスワード1234",	/* no Latin letter */
		"",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(password_check_rule(good[i], &e), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(password_check_rule(bad[i], &e), -1);
		assert_string_equal(e.reason, "weak_password");
	}
}

static void
scrypt_hash_verifies_only_the_password(void **state)
{
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	struct mm_err e;

	assert_int_equal(password_hash("Matsu2026net", h1, &e), 0);
	assert_int_equal(password_hash("Matsu2026net", h2, &e), 0);
	assert_int_equal(strncmp(h1, "scrypt$17$8$1$", 14), 0);
	assert_string_not_equal(h1, h2);	/* a fresh salt each time */
	assert_int_equal(password_verify("Matsu2026net", h1, &e), 1);
	assert_int_equal(password_verify("Matsu2026neT", h1, &e), 0);
	assert_int_equal(password_verify("", h1, &e), 0);
	assert_int_equal(password_verify("Matsu2026net", "$6$salt$crypt-hash", &e), -1);
	assert_string_equal(e.reason, "bad_hash");
	assert_int_equal(password_verify("x", "scrypt$40$8$1$AAAA$AAAA", &e), -1);
}

static void
csv_is_excel_safe(void **state)
{
	struct csv c;

	csv_init(&c);
	csv_field(&c, "施設");
	csv_field(&c, "a,b");
	csv_field(&c, "say \"hi\"");
	csv_field_int(&c, 42);
	csv_end_line(&c);
	csv_field(&c, "=HYPERLINK(\"http://x\")");
	csv_field(&c, "-1+2");
	csv_field(&c, "<script>");
	csv_end_line(&c);
	assert_false(c.failed);
	assert_string_equal(c.buf, "\xef\xbb\xbf" "施設,\"a,b\",\"say \"\"hi\"\"\",42\r\n"
	    "\"'=HYPERLINK(\"\"http://x\"\")\",\"'-1+2\",<script>\r\n");
	csv_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_rule_follows_article_15_3),
		cmocka_unit_test(scrypt_hash_verifies_only_the_password),
		cmocka_unit_test(csv_is_excel_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
