/* mamori-collector: the command line of the collector. One verb per run:
 * serve (the default), or an administration verb over the same database.
 * The configuration is read and validated before anything else. */
#include <getopt.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "server-stub/admin.h"
#include "server-stub/clock.h"
#include "server-stub/config.h"
#include "server-stub/dash_store.h"
#include "server-stub/password.h"
#include "server-stub/server.h"
#include "server-stub/store.h"

#ifndef MAMORI_VERSION
#define MAMORI_VERSION "0.0.0"
#endif

#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori-collector [--config FILE] [--database PATH] [--port N] [serve]\n"
	    "       mamori-collector [--config FILE] --check-config\n"
	    "       mamori-collector [--config FILE] [--database PATH] VERB …\n"
	    "\n"
	    "verbs:\n"
	    "  serve                                  serve the agents' API (the default)\n"
	    "  facility add NAME | facility list\n"
	    "  token create --facility ID [--uses N] [--expires 7d|12h|30m]\n"
	    "  token list [--facility ID] | token revoke ID\n"
	    "  device list [--facility ID] | device retire DEVICE_ID\n"
	    "  device history DEVICE_ID [--check CHECK_ID]\n"
	    "  admin add --role association|facility [--facility ID] [--password-stdin] NAME\n"
	    "  admin list                             the dashboard's administrators\n"
	    "\n"
	    "  --config FILE    configuration (default %s)\n"
	    "  --database PATH  database file, over the configuration's\n"
	    "  --port N         port to listen on, over the configuration's (0: any free port)\n"
	    "  --check-config   validate the configuration and exit\n"
	    "  VERB --help      the verb's own options\n"
	    "\n"
	    "Exit status: 0 done, 1 failed (database, network), 2 usage or configuration error.\n",
	    CONFIG_DEFAULT_PATH);
}

/* What every verb gets: the configuration and, for administration, the
 * store (opened, migrated). */
struct ctx {
	struct coll_config cfg;
	struct store *store;
};

/* Text from the database for a tab-separated line: no tab or newline may
 * break the columns. */
static void
put_field(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static int
open_store(struct ctx *x)
{
	struct mm_err e;

	x->store = store_open(x->cfg.database, x->cfg.busy_timeout_ms, STORE_MIGRATE, &e);
	if (x->store == NULL) {
		fprintf(stderr, "mamori-collector: %s\n", e.msg);
		return -1;
	}
	return 0;
}

/* The exit status for a store answer, with its message on stderr. */
static int
fail(int rc, const struct mm_err *e)
{
	fprintf(stderr, "mamori-collector: %s\n", e->msg);
	(void)rc;
	return EXIT_RUNTIME;
}

/* Parses a verb's options: --help, and --facility/--uses/--expires/--check
 * where the verb takes them (allowed is a string of the short letters). */
struct verb_opts {
	int64_t facility;
	int64_t uses;
	long expires;
	const char *check;
	const char *role;
	int password_stdin;
	int help;
};

static int
verb_getopt(int argc, char **argv, const char *allowed, struct verb_opts *o)
{
	static const struct option opts[] = {
		{ "facility", required_argument, NULL, 'f' },
		{ "uses", required_argument, NULL, 'u' },
		{ "expires", required_argument, NULL, 'e' },
		{ "check", required_argument, NULL, 'c' },
		{ "role", required_argument, NULL, 'r' },
		{ "password-stdin", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mm_err e;
	int ch;

	memset(o, 0, sizeof(*o));
	o->uses = 1;
	o->expires = ADMIN_TOKEN_LIFETIME_DEFAULT;
	optind = 0;	/* GNU getopt: start over on the verb's arguments */
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h') {
			o->help = 1;
			continue;
		}
		if (ch == '?' || strchr(allowed, ch) == NULL) {
			if (ch != '?')
				fprintf(stderr, "mamori-collector: %s does not take that option\n", argv[0]);
			return -1;
		}
		switch (ch) {
		case 'f':
			if (parse_id(optarg, &o->facility) != 0) {
				fprintf(stderr, "mamori-collector: --facility takes a facility id "
				    "(a number; `facility list` shows them)\n");
				return -1;
			}
			break;
		case 'u':
			if (parse_id(optarg, &o->uses) != 0 || o->uses > ADMIN_TOKEN_USES_MAX) {
				fprintf(stderr, "mamori-collector: --uses takes a number from 1 to %d\n",
				    ADMIN_TOKEN_USES_MAX);
				return -1;
			}
			break;
		case 'e':
			if (admin_parse_duration(optarg, &o->expires, &e) != 0) {
				fprintf(stderr, "mamori-collector: --expires %s\n", e.msg);
				return -1;
			}
			break;
		case 'c':
			o->check = optarg;
			break;
		case 'r':
			o->role = optarg;
			break;
		case 'P':
			o->password_stdin = 1;
			break;
		}
	}
	return 0;
}

static int
print_facility(const struct store_facility *f, void *arg)
{
	char t[32];

	clock_format(f->created_at, t, sizeof(t));
	printf("%lld\t", (long long)f->id);
	put_field(f->name);
	printf("\t%lld\t%s\n", (long long)f->devices, t);
	return 0;
}

static int
cmd_facility(struct ctx *x, int argc, char **argv)
{
	static const char help[] =
	    "usage: mamori-collector facility add NAME\n"
	    "       mamori-collector facility list\n"
	    "\n"
	    "add prints the new facility's id and name; list prints\n"
	    "ID, NAME, DEVICES (active) and CREATED, separated by tabs.\n";
	struct verb_opts o;
	struct mm_err e;
	int64_t id;
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (verb_getopt(argc - 1, argv + 1, "", &o) != 0)
		return EXIT_USAGE;
	if (o.help) {
		fputs(help, stdout);
		return 0;
	}
	if (strcmp(argv[1], "add") == 0 && argc - 1 - optind == 1) {
		if (open_store(x) != 0)
			return EXIT_RUNTIME;
		rc = admin_facility_add(x->store, argv[1 + optind], clock_now(), &id, &e);
		if (rc != STORE_OK)
			return fail(rc, &e);
		printf("%lld\t", (long long)id);
		put_field(argv[1 + optind]);
		putchar('\n');
		return 0;
	}
	if (strcmp(argv[1], "list") == 0 && argc - 1 == optind) {
		if (open_store(x) != 0)
			return EXIT_RUNTIME;
		printf("ID\tNAME\tDEVICES\tCREATED\n");
		rc = admin_facility_list(x->store, print_facility, NULL, &e);
		return rc == STORE_OK ? 0 : fail(rc, &e);
	}
	fputs(help, stderr);
	return EXIT_USAGE;
}

static int
print_token(const struct store_token *t, void *arg)
{
	char exp[32];

	clock_format(t->expires_at, exp, sizeof(exp));
	printf("%lld\t%lld\t%s…\t%lld/%lld\t%s\t%s\n", (long long)t->id, (long long)t->facility_id,
	    t->prefix, (long long)t->uses_left, (long long)t->uses_total, exp,
	    admin_token_state(t, *(const time_t *)arg));
	return 0;
}

static int
cmd_token(struct ctx *x, int argc, char **argv)
{
	static const char help[] =
	    "usage: mamori-collector token create --facility ID [--uses N] [--expires DURATION]\n"
	    "       mamori-collector token list [--facility ID]\n"
	    "       mamori-collector token revoke ID\n"
	    "\n"
	    "create prints the new token on stdout, once: the database keeps only its\n"
	    "SHA-256. --uses: enrollments it allows (default 1); --expires: lifetime\n"
	    "such as 7d, 12h or 30m (default 7d, at most 366d).\n"
	    "list prints ID, FACILITY, PREFIX, USES (left/total), EXPIRES and STATE\n"
	    "(active, expired, revoked, used_up), never the token.\n"
	    "revoke stops the token at once; devices it enrolled stay enrolled.\n";
	struct verb_opts o;
	struct mm_err e;
	char token[ADMIN_TOKEN_LEN + 1], exp[32];
	time_t now = clock_now();
	int64_t id;
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (verb_getopt(argc - 1, argv + 1, strcmp(argv[1], "create") == 0 ? "fue" :
	    strcmp(argv[1], "list") == 0 ? "f" : "", &o) != 0)
		return EXIT_USAGE;
	if (o.help) {
		fputs(help, stdout);
		return 0;
	}
	if (strcmp(argv[1], "create") == 0 && argc - 1 == optind) {
		if (o.facility == 0) {
			fprintf(stderr, "mamori-collector: token create needs --facility ID\n");
			return EXIT_USAGE;
		}
		if (open_store(x) != 0)
			return EXIT_RUNTIME;
		rc = admin_token_create(x->store, o.facility, o.uses, o.expires, now, token, &id, &e);
		if (rc != STORE_OK)
			return fail(rc, &e);
		clock_format(now + o.expires, exp, sizeof(exp));
		printf("%s\n", token);
		fprintf(stderr, "mamori-collector: token %lld for facility %lld: %lld enrollment%s, "
		    "expires %s. It is shown only this once.\n", (long long)id,
		    (long long)o.facility, (long long)o.uses, o.uses == 1 ? "" : "s", exp);
		return 0;
	}
	if (strcmp(argv[1], "list") == 0 && argc - 1 == optind) {
		if (open_store(x) != 0)
			return EXIT_RUNTIME;
		printf("ID\tFACILITY\tPREFIX\tUSES\tEXPIRES\tSTATE\n");
		rc = admin_token_list(x->store, o.facility, print_token, &now, &e);
		return rc == STORE_OK ? 0 : fail(rc, &e);
	}
	if (strcmp(argv[1], "revoke") == 0 && argc - 1 - optind == 1) {
		if (parse_id(argv[1 + optind], &id) != 0) {
			fprintf(stderr, "mamori-collector: token revoke takes a token id "
			    "(`token list` shows them)\n");
			return EXIT_USAGE;
		}
		if (open_store(x) != 0)
			return EXIT_RUNTIME;
		rc = admin_token_revoke(x->store, id, now, &e);
		return rc == STORE_OK ? 0 : fail(rc, &e);
	}
	fputs(help, stderr);
	return EXIT_USAGE;
}

static int
print_device(const struct store_device *d, void *arg)
{
	char enrolled[32], last[32];

	clock_format(d->enrolled_at, enrolled, sizeof(enrolled));
	clock_format(d->last_report_at, last, sizeof(last));
	printf("%s\t%lld\t", d->device_id, (long long)d->facility_id);
	put_field(d->hostname[0] != '\0' ? d->hostname : "-");
	printf("\t%s\t%s\t%lld\t%s\t%s\n", enrolled, last, (long long)d->last_sequence,
	    d->last_verdict[0] != '\0' ? d->last_verdict : "-",
	    d->retired_at != 0 ? "retired" : "active");
	return 0;
}

static int
print_change(const struct store_change *c, void *arg)
{
	char at[32];

	clock_format(c->at, at, sizeof(at));
	printf("%s\t%s\t%s\t%s\t%lld\n", at, c->check_id,
	    c->verdict_from[0] != '\0' ? c->verdict_from : "-", c->verdict_to,
	    (long long)c->sequence);
	return 0;
}

static int
cmd_device(struct ctx *x, int argc, char **argv)
{
	static const char help[] =
	    "usage: mamori-collector device list [--facility ID]\n"
	    "       mamori-collector device retire DEVICE_ID\n"
	    "       mamori-collector device history DEVICE_ID [--check CHECK_ID]\n"
	    "\n"
	    "list prints DEVICE_ID, FACILITY, HOSTNAME, ENROLLED, LAST_REPORT, SEQUENCE,\n"
	    "VERDICT and STATE, separated by tabs.\n"
	    "retire refuses the device's reports from now on (a replaced or lost PC);\n"
	    "its history stays.\n"
	    "history prints when each check changed verdict, newest first:\n"
	    "AT, CHECK, FROM, TO, SEQUENCE.\n";
	struct store_device d;
	struct verb_opts o;
	struct mm_err e;
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (verb_getopt(argc - 1, argv + 1, strcmp(argv[1], "list") == 0 ? "f" :
	    strcmp(argv[1], "history") == 0 ? "c" : "", &o) != 0)
		return EXIT_USAGE;
	if (o.help) {
		fputs(help, stdout);
		return 0;
	}
	if (strcmp(argv[1], "list") == 0 && argc - 1 == optind) {
		if (open_store(x) != 0)
			return EXIT_RUNTIME;
		printf("DEVICE_ID\tFACILITY\tHOSTNAME\tENROLLED\tLAST_REPORT\tSEQUENCE\tVERDICT\tSTATE\n");
		rc = admin_device_list(x->store, o.facility, print_device, NULL, &e);
		return rc == STORE_OK ? 0 : fail(rc, &e);
	}
	if (strcmp(argv[1], "retire") == 0 && argc - 1 - optind == 1) {
		if (open_store(x) != 0)
			return EXIT_RUNTIME;
		rc = admin_device_retire(x->store, argv[1 + optind], clock_now(), &e);
		return rc == STORE_OK ? 0 : fail(rc, &e);
	}
	if (strcmp(argv[1], "history") == 0 && argc - 1 - optind == 1) {
		if (open_store(x) != 0)
			return EXIT_RUNTIME;
		rc = store_device_get(x->store, argv[1 + optind], &d, &e);
		if (rc != STORE_OK)
			return fail(rc, &e);
		printf("AT\tCHECK\tFROM\tTO\tSEQUENCE\n");
		rc = store_device_history(x->store, argv[1 + optind], o.check, print_change, NULL, &e);
		return rc == STORE_OK ? 0 : fail(rc, &e);
	}
	fputs(help, stderr);
	return EXIT_USAGE;
}

static int
print_admin(const struct dash_admin *a, void *arg)
{
	char t[32];

	clock_format(a->password_changed_at, t, sizeof(t));
	printf("%lld\t", (long long)a->id);
	put_field(a->name);
	printf("\t%s\t", a->role);
	if (a->facility_id != 0)
		printf("%lld", (long long)a->facility_id);
	else
		putchar('-');
	printf("\t%s\t%s\n", t, a->must_change ? "yes" : "no");
	return 0;
}

/* A first password that follows the rule: 16 characters of base64url
 * with at least one letter and one digit (drawn again until it has both). */
static int
first_password(char out[PASSWORD_MAX_LEN + 1])
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
	unsigned char raw[16];
	struct mm_err e;

	do {
		if (RAND_bytes(raw, sizeof(raw)) != 1)
			return -1;
		for (size_t i = 0; i < sizeof(raw); i++)
			out[i] = alphabet[raw[i] % (sizeof(alphabet) - 1)];
		out[sizeof(raw)] = '\0';
	} while (password_check_rule(out, &e) != 0);
	return 0;
}

static int
cmd_admin(struct ctx *x, int argc, char **argv)
{
	static const char help[] =
	    "usage: mamori-collector admin add --role association|facility [--facility ID]\n"
	    "                                  [--password-stdin] NAME\n"
	    "       mamori-collector admin list\n"
	    "\n"
	    "add creates an administrator of the dashboard. An association administrator\n"
	    "sees every facility; a facility administrator (--facility ID) only that one.\n"
	    "Without --password-stdin a first password is made up and printed once; it must\n"
	    "be changed at the first login. With --password-stdin the first line of standard\n"
	    "input is the password (8+ characters, letters and digits; article 15-3).\n"
	    "list prints ID, NAME, ROLE, FACILITY, PASSWORD_CHANGED and MUST_CHANGE.\n";
	struct verb_opts o;
	struct mm_err e;
	char pw[PASSWORD_MAX_LEN + 2], hash[PASSWORD_HASH_MAX];
	const char *name;
	int64_t id;
	int rc, made_up = 0;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (verb_getopt(argc - 1, argv + 1, strcmp(argv[1], "add") == 0 ? "frP" : "", &o) != 0)
		return EXIT_USAGE;
	if (o.help) {
		fputs(help, stdout);
		return 0;
	}
	if (strcmp(argv[1], "list") == 0 && argc - 1 == optind) {
		if (open_store(x) != 0)
			return EXIT_RUNTIME;
		printf("ID\tNAME\tROLE\tFACILITY\tPASSWORD_CHANGED\tMUST_CHANGE\n");
		rc = dash_admin_list(x->store, print_admin, NULL, &e);
		return rc == STORE_OK ? 0 : fail(rc, &e);
	}
	if (strcmp(argv[1], "add") != 0 || argc - 1 - optind != 1) {
		fputs(help, stderr);
		return EXIT_USAGE;
	}
	name = argv[1 + optind];
	if (o.role == NULL || (strcmp(o.role, "association") != 0 &&
	    strcmp(o.role, "facility") != 0)) {
		fprintf(stderr, "mamori-collector: admin add needs --role association or "
		    "--role facility\n");
		return EXIT_USAGE;
	}
	if ((strcmp(o.role, "facility") == 0) != (o.facility != 0)) {
		fprintf(stderr, "mamori-collector: --facility ID goes with --role facility, "
		    "and only with it\n");
		return EXIT_USAGE;
	}
	if (*name == '\0' || strlen(name) > DASH_NAME_MAX || strpbrk(name, "\t\r\n") != NULL) {
		fprintf(stderr, "mamori-collector: a name is 1 to %d bytes, without tabs or line "
		    "breaks\n", DASH_NAME_MAX);
		return EXIT_USAGE;
	}
	if (o.password_stdin) {
		if (fgets(pw, sizeof(pw), stdin) == NULL) {
			fprintf(stderr, "mamori-collector: no password on standard input\n");
			return EXIT_USAGE;
		}
		pw[strcspn(pw, "\r\n")] = '\0';
		if (password_check_rule(pw, &e) != 0) {
			fprintf(stderr, "mamori-collector: %s\n", e.msg);
			return EXIT_USAGE;
		}
	} else {
		if (first_password(pw) != 0) {
			fprintf(stderr, "mamori-collector: the system's random generator failed\n");
			return EXIT_RUNTIME;
		}
		made_up = 1;
	}
	if (password_hash(pw, hash, &e) != 0)
		return fail(STORE_ERROR, &e);
	if (open_store(x) != 0)
		return EXIT_RUNTIME;
	rc = dash_admin_add(x->store, name, o.role, o.facility, hash, made_up, clock_now(), &id, &e);
	if (rc != STORE_OK)
		return fail(rc, &e);
	dash_audit_add(x->store, clock_now(), "(command line)", "admin_added", o.facility, name, "",
	    &e);
	printf("%lld\t", (long long)id);
	put_field(name);
	if (made_up)
		printf("\t%s\n", pw);
	else
		putchar('\n');
	if (made_up)
		fprintf(stderr, "mamori-collector: administrator %lld created; the password above is "
		    "shown only this once and must be changed at the first login.\n", (long long)id);
	memset(pw, 0, sizeof(pw));
	return 0;
}

static int
check_readable(const char *path, const char *key)
{
	if (path[0] != '\0' && access(path, R_OK) != 0) {
		fprintf(stderr, "mamori-collector: %s %s cannot be read by this user\n", key, path);
		return -1;
	}
	return 0;
}

static int
cmd_serve(struct ctx *x, int argc, char **argv)
{
	sigset_t stop;
	struct mm_err e;

	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
			fputs("usage: mamori-collector [--config FILE] [--database PATH] [--port N] serve\n"
			    "\n"
			    "Serves the agents' API until SIGTERM or SIGINT; see docs/collector.md.\n",
			    stdout);
			return 0;
		}
		fprintf(stderr, "mamori-collector: serve takes no arguments\n");
		return EXIT_USAGE;
	}
	/* Blocked in every thread that will exist; server_run waits for them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (server_run(&x->cfg, &e) != 0) {
		fprintf(stderr, "mamori-collector: %s\n", e.msg);
		return EXIT_RUNTIME;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "database", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *database = NULL, *port = NULL, *verb;
	struct ctx x = { .store = NULL };
	struct mm_err e;
	int ch, check = 0, rc;

	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': config = optarg; break;
		case 'd': database = optarg; break;
		case 'p': port = optarg; break;
		case 'k': check = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("mamori-collector %s\n", MAMORI_VERSION); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (config_load(&x.cfg, config != NULL ? config : CONFIG_DEFAULT_PATH, config != NULL,
	    &e) != 0) {
		fprintf(stderr, "mamori-collector: %s\n", e.msg);
		return EXIT_USAGE;
	}
	if (database != NULL) {
		if (*database == '\0' || strlen(database) >= sizeof(x.cfg.database)) {
			fprintf(stderr, "mamori-collector: --database needs a file path\n");
			return EXIT_USAGE;
		}
		snprintf(x.cfg.database, sizeof(x.cfg.database), "%s", database);
	}
	if (port != NULL) {
		char *end;
		long p = strtol(port, &end, 10);
		if (*port == '\0' || *end != '\0' || p < 0 || p > 65535) {
			fprintf(stderr, "mamori-collector: --port takes a number from 0 to 65535\n");
			return EXIT_USAGE;
		}
		x.cfg.port = (unsigned)p;
	}
	if (check) {
		if (optind != argc) {
			usage(stderr);
			return EXIT_USAGE;
		}
		if (check_readable(x.cfg.tls_cert, "tls_cert") != 0 ||
		    check_readable(x.cfg.tls_key, "tls_key") != 0)
			return EXIT_USAGE;
		printf("%s: configuration OK\n", config != NULL ? config : CONFIG_DEFAULT_PATH);
		return 0;
	}
	/* The database holds device keys and the association's records:
	 * files the collector creates are its own. */
	umask(077);
	verb = optind < argc ? argv[optind] : "serve";
	argc -= optind;
	argv += optind;
	if (strcmp(verb, "serve") == 0)
		rc = cmd_serve(&x, argc, argv);
	else if (strcmp(verb, "facility") == 0)
		rc = cmd_facility(&x, argc, argv);
	else if (strcmp(verb, "token") == 0)
		rc = cmd_token(&x, argc, argv);
	else if (strcmp(verb, "device") == 0)
		rc = cmd_device(&x, argc, argv);
	else if (strcmp(verb, "admin") == 0)
		rc = cmd_admin(&x, argc, argv);
	else {
		fprintf(stderr, "mamori-collector: unknown verb \"%s\"\n", verb);
		usage(stderr);
		rc = EXIT_USAGE;
	}
	store_close(x.store);
	return rc;
}
