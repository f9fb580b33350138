/* mamori: the agent's command line. One verb per run; configuration is
 * parsed and validated before anything is read from the machine. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "agent/report.h"
#include "agent/scan.h"
#include "agent/text_output.h"
#include "common/i18n.h"
#include "common/policy.h"

#ifndef MAMORI_VERSION
#define MAMORI_VERSION "0.0.0"
#endif
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define EXIT_USAGE 2

static void
usage(FILE *out)
{
	fprintf(out, "%s",
	    _("usage: mamori scan [--root DIR] [--policy FILE] [--format text|json] [--lang ja|en]\n"
	      "       mamori policy check FILE\n"
	      "       mamori checks\n"
	      "       mamori --version | --help\n"));
}

static void
usage_scan(FILE *out)
{
	fprintf(out, _(
	    "usage: mamori scan [--root DIR] [--policy FILE] [--format text|json] [--lang ja|en]\n"
	    "\n"
	    "Checks this PC against articles 15 and 16 of the m@tsu net operating policy.\n"
	    "\n"
	    "  --root DIR      read the machine from DIR instead of / (a mounted disk, a test tree)\n"
	    "  --policy FILE   policy to apply over the built-in default\n"
	    "                  (default: %s/mamori/policy.json when it exists)\n"
	    "  --format FMT    text (default) or json (the report of docs/report.md)\n"
	    "  --lang LANG     ja or en (default: from the locale)\n"
	    "\n"
	    "Exit status: 0 compliant, 1 noncompliant, 3 undetermined, 2 usage or policy error.\n"),
	    SYSCONFDIR);
}

/* The policy file to use: the one named, else the system's if present. */
static const char *
policy_path(const char *given)
{
	static const char sys[] = SYSCONFDIR "/mamori/policy.json";

	if (given != NULL)
		return given;
	return access(sys, F_OK) == 0 ? sys : NULL;
}

static int
cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rootdir = "/", *pol = NULL, *format = "text", *lang = NULL;
	struct policy_known known = scan_known_checks();
	struct policy policy;
	struct mm_err e;
	struct root root;
	struct scan s;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "r:p:f:l:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': rootdir = optarg; break;
		case 'p': pol = optarg; break;
		case 'f': format = optarg; break;
		case 'l': lang = optarg; break;
		case 'h': usage_scan(stdout); return 0;
		default: usage_scan(stderr); return EXIT_USAGE;
		}
	}
	if (lang != NULL && strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0) {
		fprintf(stderr, _("mamori: --lang takes ja or en, not %s\n"), lang);
		return EXIT_USAGE;
	}
	if (lang != NULL)
		i18n_init(lang);
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, _("mamori: --format takes text or json, not %s\n"), format);
		return EXIT_USAGE;
	}
	if (optind != argc) {
		usage_scan(stderr);
		return EXIT_USAGE;
	}
	err_clear(&e);
	/* A scan of another root must not pick up this machine's policy. */
	if (policy_load(&policy, strcmp(rootdir, "/") == 0 ? policy_path(pol) : pol,
	    &known, &e) == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		return EXIT_USAGE;
	}
	if (root_open(&root, rootdir, getenv("MAMORI_NO_OPENAT2") ? ROOT_NO_OPENAT2 : 0,
	    &e) == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		policy_free(&policy);
		return EXIT_USAGE;
	}
	scan_run(&s, &root, &policy, time(NULL), strcmp(rootdir, "/") == 0);
	if (strcmp(format, "json") == 0) {
		json_t *rep = report_build(&s);
		char *txt = rep ? json_dumps(rep, JSON_INDENT(2)) : NULL;
		if (txt == NULL) {
			fprintf(stderr, "mamori: could not build the report\n");
			rc = EXIT_USAGE;
		} else {
			printf("%s\n", txt);
			rc = (int)s.overall;
		}
		free(txt);
		json_decref(rep);
	} else {
		text_output_print(stdout, &s);
		rc = (int)s.overall;
	}
	scan_free(&s);
	root_close(&root);
	policy_free(&policy);
	if (fflush(stdout) != 0)
		rc = EXIT_USAGE;
	return rc;
}

static int
cmd_policy(int argc, char **argv)
{
	struct policy_known known = scan_known_checks();
	struct policy policy;
	struct mm_err e;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("%s", _("usage: mamori policy check FILE\n\n"
		    "Validates a policy file; prints the first error with its line and column.\n"
		    "Exit status: 0 valid, 2 invalid.\n"));
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "check") != 0) {
		fprintf(stderr, "%s", _("usage: mamori policy check FILE\n"));
		return EXIT_USAGE;
	}
	err_clear(&e);
	if (policy_load(&policy, argv[2], &known, &e) == -1) {
		fprintf(stderr, "%s\n", e.msg);
		return EXIT_USAGE;
	}
	printf(_("%s: valid policy \"%s\" (sha256 %s)\n"), argv[2], policy.id, policy.sha256);
	policy_free(&policy);
	return 0;
}

/* The check table, for people and for the docs test: id, article, title. */
static int
cmd_checks(int argc, char **argv)
{
	char art[96];

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("%s", _("usage: mamori checks\n\nLists every check: id, article, title.\n"));
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "%s", _("usage: mamori checks\n"));
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < check_table_len; i++) {
		text_output_article(check_table[i]->article, art, sizeof(art));
		printf("%-30s %-10s %-24s %s\n", check_table[i]->id, check_table[i]->article,
		    art, _(check_table[i]->title));
	}
	return 0;
}

int
main(int argc, char **argv)
{
	i18n_init(NULL);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("mamori %s\n", MAMORI_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "scan") == 0)
		return cmd_scan(argc - 1, argv + 1);
	if (strcmp(argv[1], "policy") == 0)
		return cmd_policy(argc - 1, argv + 1);
	if (strcmp(argv[1], "checks") == 0)
		return cmd_checks(argc - 1, argv + 1);
	fprintf(stderr, _("mamori: unknown command \"%s\"\n"), argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
