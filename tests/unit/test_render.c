/* test_render: the sentence a person reads, filled from a finding. The
 * same function fills the terminal, the desktop notification and the
 * dashboard, so a hole left wrong or a character cut in half shows up
 * everywhere. */
#include "testutil.h"
#include "common/render.h"
#include "common/utf8.h"

static void
test_holes(void **state)
{
	static const struct {
		const char *what, *tmpl, *subject, *evidence, *want;
	} cases[] = {
		{ "subject and numbers",
		  "The password of {subject} was last changed {days} days ago; at most {max}.",
		  "alice", "{\"days\": 400, \"max\": 60}",
		  "The password of alice was last changed 400 days ago; at most 60." },
		{ "Japanese template and subject",
		  "{subject} さんのパスワードは {days} 日前に変更されました。", "山田",
		  "{\"days\": 75}", "山田 さんのパスワードは 75 日前に変更されました。" },
		{ "string and boolean evidence", "{path}: {enabled}", "x",
		  "{\"path\": \"/etc/login.defs\", \"enabled\": false}", "/etc/login.defs: false" },
		{ "negative number", "{value} days", "x", "{\"value\": -1}", "-1 days" },
		{ "a hole with no value is left as written", "max {max}, {nope}", "x",
		  "{\"max\": 60}", "max 60, {nope}" },
		{ "no evidence at all", "{subject}: {max}", "bob", NULL, "bob: {max}" },
		{ "a decimal or null value is not shown", "{r} {n} {o}", "x",
		  "{\"r\": 1.5, \"n\": null, \"o\": {}}", "{r} {n} {o}" },
		{ "empty braces", "a {} b", "x", NULL, "a {} b" },
		{ "unterminated hole", "see {subject", "x", NULL, "see {subject" },
		{ "a brace inside a hole name", "{{subject}}", "eve", NULL, "{eve}" },
		{ "hole name too long",
		  "{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}", "x",
		  NULL, "{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}" },
		{ "a value is not itself filled", "{a}", "x", "{\"a\": \"{subject}\"}", "{subject}" },
		{ "empty template", "", "x", NULL, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *ev = cases[i].evidence ? json_loads(cases[i].evidence, 0, NULL) : NULL;
		char out[256];

		if (cases[i].evidence)
			assert_non_null(ev);
		render_msg(cases[i].tmpl, cases[i].subject, ev, out, sizeof(out));
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", cases[i].what, out, cases[i].want);
		json_decref(ev);
	}
}

/* Regression: truncation used to cut a multi-byte character in half, and
 * the notifier and the JSON report then carried invalid UTF-8. */
static void
test_truncation_never_splits_a_character(void **state)
{
	static const struct {
		const char *what, *tmpl, *subject;
		size_t outlen;
		const char *want;
	} cases[] = {
		{ "ASCII is cut at the byte", "abcdef", "x", 4, "abc" },
		{ "room for the NUL only", "abc", "x", 1, "" },
		{ "exact fit", "abc", "x", 4, "abc" },
		{ "3-byte characters, one byte short", "あいう", "x", 9, "あい" },
		{ "3-byte characters, cut after the first byte", "あいう", "x", 5, "あ" },
		{ "3-byte characters, cut after the second byte", "あいう", "x", 6, "あ" },
		{ "3-byte characters, exact fit", "あいう", "x", 10, "あいう" },
		{ "first character does not fit", "あいう", "x", 3, "" },
		{ "inside the subject", "{subject}さん", "山田太郎", 8, "山田" },
		{ "4-byte character", "a😀b", "x", 5, "a" },
		{ "2-byte character", "é!", "x", 2, "" },
		{ "nothing after a cut is added", "あ{subject}", "bob", 3, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = malloc(cases[i].outlen);	/* exact size: ASan sees overruns */

		assert_non_null(out);
		render_msg(cases[i].tmpl, cases[i].subject, NULL, out, cases[i].outlen);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", cases[i].what, out, cases[i].want);
		assert_true(utf8_valid(out, strlen(out)));
		free(out);
	}
}

static void
test_zero_length_output(void **state)
{
	char out[4] = "zzz";

	(void)state;
	render_msg("{subject}", "alice", NULL, out, 0);
	assert_string_equal(out, "zzz");	/* nothing written, not even a NUL */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holes),
		cmocka_unit_test(test_truncation_never_splits_a_character),
		cmocka_unit_test(test_zero_length_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
