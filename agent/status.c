/* status: status files in words, and the `mamori status` command. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "agent/status.h"
#include "agent/text_output.h"
#include "agent/userstatus.h"
#include "checks/check.h"
#include "common/i18n.h"
#include "common/render.h"

#define EXIT_USAGE 2
#define EXIT_NO_STATUS 5

/* The paragraphs the checks enforce, in the policy's words. The English is
 * ours; the Japanese (po/ja.po) is the text of the m@tsu net operating
 * policy, articles 15 and 16, as the association wrote it. */
static const struct {
	const char *paragraph;
	const char *words;
} articles[] = {
	/* TRANSLATORS: the policy's own text, article 15 (2); quote it exactly. */
	{ "15-2", N_("Do not share one ID among several people.") },
	/* TRANSLATORS: the policy's own text, article 15 (3). */
	{ "15-3", N_("Passwords mix letters and digits, are at least 8 characters long, and must be changed regularly (at least once every two months).") },
	/* TRANSLATORS: the policy's own text, article 15 (5). */
	{ "15-5", N_("On a PC, always log out also when you leave your seat.") },
	/* TRANSLATORS: the policy's own text, article 15 (6). */
	{ "15-6", N_("Lock every device you use: smartphones, tablets and PCs.") },
	/* TRANSLATORS: the policy's own text, article 16 (1). */
	{ "16-1", N_("Set a start-up password (at least 8 characters, letters and digits mixed) on every device. Avoid passwords that are easy to guess, and change them regularly.") },
	/* TRANSLATORS: the policy's own text, article 16 (2). */
	{ "16-2", N_("Do not install file-sharing software (such as Winny) on any device.") },
	/* TRANSLATORS: the policy's own text, article 16 (3). */
	{ "16-3", N_("Install suitable antivirus software on every device.") },
	/* TRANSLATORS: the policy's own text, article 16 (4). */
	{ "16-4", N_("Do not set browsers to remember IDs or passwords.") },
	/* TRANSLATORS: the policy's own text, article 16 (6). */
	{ "16-6", N_("Consider using a remote wipe service.") },
	/* TRANSLATORS: the policy's own text, article 16 (9). */
	{ "16-9", N_("To take information or devices out, report in writing to the MCS administrator what information, on which medium, for what purpose and for how long, and get approval.") },
};

const char *
status_article_words(const char *paragraph)
{
	for (size_t i = 0; i < sizeof(articles) / sizeof(articles[0]); i++)
		if (strcmp(articles[i].paragraph, paragraph) == 0)
			return articles[i].words;
	return NULL;
}

static const char *
str(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v != NULL ? v : "";
}

int
status_item_is_problem(const json_t *item)
{
	return strcmp(str(item, "verdict"), "fail") == 0 &&
	    strcmp(str(item, "severity"), "required") == 0;
}

size_t
status_problem_count(const json_t *st)
{
	const json_t *items = json_object_get(st, "items"), *it;
	size_t i, n = 0;

	json_array_foreach(items, i, it)
		n += (size_t)status_item_is_problem(it);
	return n;
}

void
status_item_heading(const json_t *item, char *out, size_t outlen)
{
	const struct check_def *c = check_find(str(item, "check"));
	char art[96];

	text_output_article(str(item, "article"), art, sizeof(art));
	snprintf(out, outlen, "%s %s", art, c != NULL ? _(c->title) : str(item, "check"));
}

void
status_item_quote(const json_t *item, int max, char *out, size_t outlen)
{
	char copy[64], *tok, *save = NULL;
	size_t o = 0;
	int shown = 0;

	snprintf(copy, sizeof(copy), "%s", str(item, "article"));
	out[0] = '\0';
	/* device.disk_encrypted names five paragraphs: a few say enough */
	for (tok = strtok_r(copy, ", ", &save); tok != NULL && shown < max;
	    tok = strtok_r(NULL, ", ", &save)) {
		const char *w = status_article_words(tok);
		int n;

		if (w == NULL)
			continue;
		/* TRANSLATORS: the policy's words, quoted: "「%s」" in Japanese. */
		n = snprintf(out + o, outlen - o, _("%s\"%s\""), o ? " " : "", _(w));
		if (n < 0 || (size_t)n >= outlen - o)
			break;
		o += (size_t)n;
		shown++;
	}
}

void
status_item_texts(const json_t *item, char *what, size_t whatlen, char *fix, size_t fixlen)
{
	const struct check_def *c = check_find(str(item, "check"));
	const char *subject = str(item, "subject");
	const json_t *ev = json_object_get(item, "evidence");
	const char *r = check_msg_text(c, json_string_value(json_object_get(item, "reason")));
	const char *m = check_msg_text(c,
	    json_string_value(json_object_get(item, "remediation")));

	if (r != NULL)
		render_msg(_(r), subject, ev, what, whatlen);
	else
		snprintf(what, whatlen, "%s: %s", subject, str(item, "reason"));
	fix[0] = '\0';
	if (m != NULL)
		render_msg(_(m), subject, ev, fix, fixlen);
}

static void
print_item(FILE *out, size_t num, const json_t *item)
{
	char head[256], quote[1024], what[1024], fix[1024];

	status_item_heading(item, head, sizeof(head));
	status_item_quote(item, 2, quote, sizeof(quote));
	status_item_texts(item, what, sizeof(what), fix, sizeof(fix));
	fprintf(out, "%2zu. %s\n", num, head);
	if (quote[0])
		fprintf(out, "    %s\n", quote);
	fprintf(out, "    %s\n", what);
	if (fix[0])
		fprintf(out, "    %s %s\n", _("How to fix:"), fix);
	if (strcmp(str(item, "scope"), "device") == 0)
		fprintf(out, "    %s\n", _("(This concerns the whole PC: the facility's IT staff can fix it.)"));
}

void
status_print(FILE *out, const json_t *st)
{
	const json_t *items = json_object_get(st, "items"), *it;
	size_t i, num = 0, problems = status_problem_count(st);

	fprintf(out, _("mamori status for %s on %s (scanned %s, policy %s)\n"),
	    str(st, "user"), str(st, "hostname"), str(st, "generated_at"),
	    str(json_object_get(st, "policy"), "id"));
	if (problems == 0)
		fprintf(out, "%s\n", _("Nothing to fix: this PC follows articles 15 and 16 of the m@tsu net operating policy."));
	else
		fprintf(out, _("%zu thing(s) to fix on this PC:\n"), problems);
	json_array_foreach(items, i, it)
		if (status_item_is_problem(it))
			print_item(out, ++num, it);
	if (json_array_size(items) > problems) {
		fprintf(out, "%s\n", _("Also worth knowing (advisory, or could not be checked):"));
		json_array_foreach(items, i, it)
			if (!status_item_is_problem(it))
				print_item(out, ++num, it);
	}
}

static void
usage_status(FILE *out)
{
	fprintf(out, _(
	    "usage: mamori status [--all] [--status-dir DIR] [--lang ja|en]\n"
	    "\n"
	    "Shows what this PC breaks of articles 15 and 16 for you, and how to fix it,\n"
	    "from the last scan of the mamori daemon.\n"
	    "\n"
	    "  --all             every person's status (root only)\n"
	    "  --status-dir DIR  where the daemon writes them (default: $MAMORI_STATUS_DIR or %s)\n"
	    "  --lang LANG       ja or en (default: from the locale)\n"
	    "\n"
	    "Exit status: 0 nothing to fix, 1 something to fix, 3 something could not be\n"
	    "checked, 2 usage error, 5 no status yet (the daemon has not scanned).\n"),
	    USERSTATUS_DEFAULT_DIR);
}

/* 0, 1 or 3 as for mamori scan, from one status. */
static int
exit_of(const json_t *st)
{
	const char *v = str(st, "verdict");

	return strcmp(v, "fail") == 0 ? 1 : strcmp(v, "unknown") == 0 ? 3 : 0;
}

static int
show_one(const char *dir, uid_t uid, int quiet_absent)
{
	struct mm_err e;
	json_t *st;
	int rc;

	err_clear(&e);
	rc = userstatus_read(dir, uid, &st, &e);
	if (rc == 1) {
		if (!quiet_absent)
			fprintf(stderr, _("mamori: there is no status for you in %s yet: the mamori "
			    "daemon has not scanned this PC since it started (is mamori.service "
			    "running? `systemctl status mamori`)\n"), dir);
		return EXIT_NO_STATUS;
	}
	if (rc == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		return EXIT_NO_STATUS;
	}
	status_print(stdout, st);
	rc = exit_of(st);
	json_decref(st);
	return rc;
}

int
status_lang_use(const char *lang)
{
	if (lang == NULL)
		return 0;
	if (strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0) {
		fprintf(stderr, _("mamori: --lang takes ja or en, not %s\n"), lang);
		return -1;
	}
	i18n_init(lang);
	return 0;
}

int
status_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "status-dir", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *lang = NULL;
	struct mm_err e;
	uid_t *uids;
	size_t n;
	int ch, all = 0, rc = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "ad:l:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': all = 1; break;
		case 'd': dir = optarg; break;
		case 'l': lang = optarg; break;
		case 'h': usage_status(stdout); return 0;
		default: usage_status(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage_status(stderr);
		return EXIT_USAGE;
	}
	if (status_lang_use(lang) == -1)
		return EXIT_USAGE;
	dir = userstatus_dir_path(dir);
	if (!all)
		return show_one(dir, getuid(), 0);
	if (geteuid() != 0) {
		fprintf(stderr, "%s", _("mamori: status --all reads every person's status; run it as root (sudo mamori status --all)\n"));
		return EXIT_USAGE;
	}
	err_clear(&e);
	if (userstatus_list(dir, &uids, &n, &e) == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		return EXIT_NO_STATUS;
	}
	if (n == 0) {
		fprintf(stderr, _("mamori: there is no status in %s yet: the mamori daemon has not "
		    "scanned this PC since it started\n"), dir);
		free(uids);
		return EXIT_NO_STATUS;
	}
	for (size_t i = 0; i < n; i++) {
		int r;

		if (i > 0)
			fputc('\n', stdout);
		r = show_one(dir, uids[i], 1);
		/* the worst: something to fix, then unknown, then no status */
		if (r == 1 || (r == 3 && rc != 1) || (r == EXIT_NO_STATUS && rc == 0))
			rc = r;
	}
	free(uids);
	if (fflush(stdout) != 0)
		rc = EXIT_USAGE;
	return rc;
}
