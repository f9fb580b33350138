/* test_utf8: names and paths from a PC are bytes; the report is JSON and
 * must be built whatever they hold, with each bad byte shown as U+FFFD. */
#include "testutil.h"
#include "common/utf8.h"

static const struct {
	const char *what, *bytes;
	int valid;
	const char *repaired;	/* what utf8_json_string makes of it */
} cases[] = {
	{ "empty", "", 1, "" },
	{ "ASCII", "reception-pc", 1, "reception-pc" },
	{ "Japanese host name", "受付PC", 1, "受付PC" },
	{ "2-byte é", "caf\xc3\xa9", 1, "café" },
	{ "4-byte emoji", "\xf0\x9f\x98\x80", 1, "😀" },
	{ "highest code point U+10FFFF", "\xf4\x8f\xbf\xbf", 1, "\xf4\x8f\xbf\xbf" },
	{ "Latin-1 byte", "caf\xe9", 0, "caf\xef\xbf\xbd" },
	{ "Shift_JIS bytes", "\x83\x65\x83\x58\x83\x67", 0,
	  "\xef\xbf\xbd" "e" "\xef\xbf\xbd" "X" "\xef\xbf\xbd" "g" },
	{ "lone continuation byte", "a\x80z", 0, "a\xef\xbf\xbdz" },
	{ "overlong 2-byte slash", "\xc0\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "overlong 3-byte", "\xe0\x80\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "overlong 4-byte", "\xf0\x80\x80\xaf", 0,
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "UTF-16 surrogate", "\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "above U+10FFFF", "\xf4\x90\x80\x80", 0,
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "F5 lead byte", "\xf5\x80\x80\x80", 0,
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "character cut at the end", "\xe5\x8f", 0, "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "character cut before ASCII", "\xe5\x8f" "a", 0, "\xef\xbf\xbd\xef\xbf\xbd" "a" },
	{ "FF byte", "\xff", 0, "\xef\xbf\xbd" },
};

static void
test_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (utf8_valid(cases[i].bytes, strlen(cases[i].bytes)) != cases[i].valid)
			fail_msg("%s: valid %d, want %d", cases[i].what, !cases[i].valid,
			    cases[i].valid);
}

/* Only the given length is looked at: a valid prefix is valid. */
static void
test_valid_length(void **state)
{
	(void)state;
	assert_true(utf8_valid("あ\xff", 3));
	assert_false(utf8_valid("あ", 2));
	assert_true(utf8_valid(NULL, 0));
}

static void
test_json_string(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = utf8_json_string(cases[i].bytes);
		char *dump;

		if (j == NULL)
			fail_msg("%s: no JSON string", cases[i].what);
		if (strcmp(json_string_value(j), cases[i].repaired) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", cases[i].what, json_string_value(j),
			    cases[i].repaired);
		/* and it serializes: a report holding it can be sent */
		dump = json_dumps(j, JSON_ENCODE_ANY);
		assert_non_null(dump);
		free(dump);
		json_decref(j);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_valid_length),
		cmocka_unit_test(test_json_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
