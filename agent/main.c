/* mamori: the agent's command line. One verb per run; configuration is
 * parsed and validated before anything is read from the machine. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "agent/daemon.h"
#include "agent/notify.h"
#include "agent/report.h"
#include "agent/scan.h"
#include "agent/spool.h"
#include "agent/state.h"
#include "agent/status.h"
#include "agent/text_output.h"
#include "agent/upload.h"
#include "common/i18n.h"
#include "common/policy.h"
#include "common/sign.h"
#include "common/utf8.h"

#ifndef MAMORI_VERSION
#define MAMORI_VERSION "0.0.0"
#endif
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define EXIT_USAGE 2
#define EXIT_UNDELIVERED 4	/* spooled (or enrollment tried) but the collector did not take it */
#define EXIT_STATE 5		/* not enrolled, or the state folder cannot be used */

static void
usage(FILE *out)
{
	fprintf(out, "%s",
	    _("usage: mamori scan [--root DIR] [--policy FILE] [--format text|json] [--lang ja|en]\n"
	      "       mamori enroll --server URL --token T [--ca FILE] [--state-dir DIR] [--force]\n"
	      "       mamori report [--root DIR] [--policy FILE] [--state-dir DIR]\n"
	      "       mamori upload [--state-dir DIR]\n"
	      "       mamori daemon [--root DIR] [--policy FILE] [--check] …\n"
	      "       mamori notify [--once] [--status-dir DIR]\n"
	      "       mamori status [--all] [--status-dir DIR] [--lang ja|en]\n"
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
		utf8_pad(stdout, check_table[i]->id, 31);
		utf8_pad(stdout, check_table[i]->article, 11);
		utf8_pad(stdout, art, 25);
		printf("%s\n", _(check_table[i]->title));
	}
	return 0;
}

/* --- enroll, report, upload: the way to the collector (docs/protocol.md) --- */

static void
usage_enroll(FILE *out)
{
	fprintf(out, _(
	    "usage: mamori enroll --server URL --token T [--ca FILE] [--state-dir DIR] [--force]\n"
	    "\n"
	    "Enrolls this PC with the association's collector: creates the device key,\n"
	    "sends it with the one-time token, and keeps the device id it gets back.\n"
	    "\n"
	    "  --server URL     the collector, https://… (http:// only to this PC, for tests)\n"
	    "  --token T        the token the administrator created for the facility\n"
	    "  --ca FILE        the CA certificate (PEM) that signed the collector's certificate;\n"
	    "                   only this CA is trusted from now on (without it: the system's CAs)\n"
	    "  --state-dir DIR  where the key and state are kept (default: $MAMORI_STATE_DIR or %s)\n"
	    "  --force          enroll again although this PC is enrolled\n"
	    "\n"
	    "Exit status: 0 enrolled, 2 usage error or already enrolled, 4 the collector could\n"
	    "not be reached or refused, 5 the state folder cannot be used.\n"), STATE_DEFAULT_DIR);
}

static void
usage_report(FILE *out)
{
	fprintf(out, _(
	    "usage: mamori report [--root DIR] [--policy FILE] [--state-dir DIR]\n"
	    "\n"
	    "Scans this PC, signs the report, keeps it in the spool and sends everything\n"
	    "the spool holds to the collector, oldest first.\n"
	    "\n"
	    "Exit status: 0 compliant, 1 noncompliant, 3 undetermined (the report was\n"
	    "delivered); 2 usage or policy error; 4 spooled but not delivered yet;\n"
	    "5 not enrolled, or the state folder cannot be used.\n"));
}

static void
usage_upload(FILE *out)
{
	fprintf(out, _(
	    "usage: mamori upload [--state-dir DIR]\n"
	    "\n"
	    "Sends the reports waiting in the spool to the collector, oldest first.\n"
	    "\n"
	    "Exit status: 0 the spool is empty, 4 reports still wait, 5 not enrolled or\n"
	    "the state folder cannot be used.\n"));
}

/* STATE/name, for the APIs that take a path (the key, libcurl's CA). */
static int
state_file(const struct state *st, const char *name, char *out, size_t outlen)
{
	return (size_t)snprintf(out, outlen, "%s/%s", st->path, name) < outlen ? 0 : -1;
}

/* The CA certificate named on the command line: a regular PEM file (a
 * symlink the person gave is followed; a FIFO or device is not read). */
static char *
read_ca_file(const char *path, size_t *len, struct mm_err *e)
{
	struct stat sb;
	size_t have = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		err_set(e, "ca_unreadable", "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_size > STATE_CA_CAP ||
	    (buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		err_set(e, "ca_unreadable", "%s must be a regular file of at most %u bytes",
		    path, STATE_CA_CAP);
		return NULL;
	}
	while (have < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + have, (size_t)sb.st_size - have);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
	}
	close(fd);
	buf[have] = '\0';
	*len = have;
	if (strstr(buf, "-----BEGIN CERTIFICATE-----") == NULL) {
		free(buf);
		err_set(e, "ca_invalid", "%s holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\")",
		    path);
		return NULL;
	}
	return buf;
}

static int
token_valid(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n > 512)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (t[i] < 0x21 || t[i] > 0x7e)
			return 0;
	return 1;
}

static int
cmd_enroll(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "token", required_argument, NULL, 't' },
		{ "ca", required_argument, NULL, 'c' },
		{ "state-dir", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char key_tmp[] = "enroll-key.tmp", ca_tmp[] = "enroll-ca.tmp";
	const char *server = NULL, *token = NULL, *ca = NULL, *dir = NULL;
	char base[STATE_SERVER_MAX + 1], path[4200], capath[4200];
	char pub[SIGN_PUBKEY_B64_LEN + 1];
	struct state_device old, dev;
	struct upload_enrolled got;
	struct upload_target t;
	struct device_facts facts;
	struct sign_key *key = NULL;
	struct state st;
	struct root root;
	struct mm_err e;
	char *cabuf = NULL;
	size_t calen = 0, discarded = 0;
	int ch, force = 0, had, rc = EXIT_STATE;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "s:t:c:d:fh", opts, NULL)) != -1) {
		switch (ch) {
		case 's': server = optarg; break;
		case 't': token = optarg; break;
		case 'c': ca = optarg; break;
		case 'd': dir = optarg; break;
		case 'f': force = 1; break;
		case 'h': usage_enroll(stdout); return 0;
		default: usage_enroll(stderr); return EXIT_USAGE;
		}
	}
	if (server == NULL || token == NULL || optind != argc) {
		usage_enroll(stderr);
		return EXIT_USAGE;
	}
	err_clear(&e);
	if (upload_url_check(server, base, sizeof(base), &e) == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		return EXIT_USAGE;
	}
	if (!token_valid(token)) {
		fprintf(stderr, "%s", _("mamori: the token must be the printable text the "
		    "administrator gave you (no spaces)\n"));
		return EXIT_USAGE;
	}
	if (ca != NULL && (cabuf = read_ca_file(ca, &calen, &e)) == NULL) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		return EXIT_USAGE;
	}
	dir = state_dir_path(dir);
	if (state_open(&st, dir, 1, &e) == -1 || state_lock(&st, &e) == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		state_close(&st);
		free(cabuf);
		return EXIT_STATE;
	}
	had = state_device_load(&st, &old, &e);
	if (had == 0 && !force) {
		fprintf(stderr, _("mamori: this PC is already enrolled as %s with %s; add --force "
		    "to enroll it again (reports not yet delivered are then dropped)\n"),
		    old.device_id, old.server);
		rc = EXIT_USAGE;
		goto out;
	}
	if (had == -1 && !force) {
		fprintf(stderr, _("mamori: %s (add --force to enroll anew)\n"), e.msg);
		goto out;
	}
	/* The new key and CA are staged under temporary names; only the
	 * collector's yes makes them the device's (and device.json, written
	 * last, is the commit): a failed enrollment changes nothing. */
	if ((key = sign_key_new(&e)) == NULL || sign_key_public_b64(key, pub, &e) == -1 ||
	    state_file(&st, key_tmp, path, sizeof(path)) == -1 ||
	    sign_key_save(key, path, &e) == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		goto out;
	}
	if (cabuf != NULL) {
		struct state_buf b = { cabuf, calen };
		if (state_write_at(st.dirfd, ca_tmp, &b, 1, 0644, &e) == -1 ||
		    state_file(&st, ca_tmp, capath, sizeof(capath)) == -1) {
			fprintf(stderr, "mamori: %s\n", e.msg);
			goto out;
		}
	}
	if (root_open(&root, "/", 0, &e) == 0) {
		device_read(&facts, &root, 1);
		root_close(&root);
	} else {
		memset(&facts, 0, sizeof(facts));
	}
	t.server = base;
	t.ca_file = cabuf != NULL ? capath : NULL;
	if (upload_enroll(&t, token, pub, &facts, &got, &e) == -1) {
		fprintf(stderr, _("mamori: enrollment failed: %s\n"
		    "Nothing was changed; check the URL, the token and the CA file, then try again.\n"),
		    e.msg);
		rc = EXIT_UNDELIVERED;
		goto out;
	}
	memset(&dev, 0, sizeof(dev));
	snprintf(dev.device_id, sizeof(dev.device_id), "%s", got.device_id);
	snprintf(dev.server, sizeof(dev.server), "%s", base);
	snprintf(dev.key_file, sizeof(dev.key_file), "device-%s.key", got.device_id);
	if (cabuf != NULL)
		snprintf(dev.ca_file, sizeof(dev.ca_file), "ca-%s.pem", got.device_id);
	snprintf(dev.public_key, sizeof(dev.public_key), "%s", pub);
	dev.facility_id = got.facility_id;
	snprintf(dev.facility_name, sizeof(dev.facility_name), "%s", got.facility_name);
	report_time(time(NULL), dev.enrolled_at);
	err_clear(&e);
	if (renameat(st.dirfd, key_tmp, st.dirfd, dev.key_file) == -1 ||
	    (cabuf != NULL && renameat(st.dirfd, ca_tmp, st.dirfd, dev.ca_file) == -1) ||
	    fsync(st.dirfd) == -1 || state_device_save(&st, &dev, &e) == -1) {
		fprintf(stderr, _("mamori: the collector enrolled this PC as %s, but its state "
		    "could not be saved in %s: %s\nFree the disk, then enroll again with --force "
		    "and a new token.\n"), got.device_id, st.path,
		    e.reason != NULL ? e.msg : strerror(errno));
		goto out;
	}
	if (had == 0) {
		struct spool sp;
		uint64_t *seqs;
		size_t n;

		if (strcmp(old.key_file, dev.key_file) != 0)
			unlinkat(st.dirfd, old.key_file, 0);
		if (old.ca_file[0] != '\0' && strcmp(old.ca_file, dev.ca_file) != 0)
			unlinkat(st.dirfd, old.ca_file, 0);
		/* Reports signed for the old device id cannot go under the new
		 * one; they are counted as dropped (and, should this stop half
		 * way, `mamori upload` drops the rest the same way). */
		if (spool_open(&sp, st.dirfd, 0, 0, &e) == 0) {
			if (spool_list(&sp, &seqs, &n, NULL, &e) == 0) {
				for (size_t i = 0; i < n; i++)
					if (spool_drop(&sp, seqs[i], &e) == 0)
						discarded++;
				free(seqs);
			}
			spool_close(&sp);
		}
	}
	printf(_("Enrolled this PC as %s in facility \"%s\".\n"), dev.device_id,
	    dev.facility_name);
	if (strncmp(base, "http:", 5) == 0)
		printf(_("Reports go to %s over plain HTTP (allowed only to this PC).\n"), base);
	else if (cabuf != NULL)
		printf(_("Reports go to %s; its certificate must be signed by the CA in %s/%s.\n"),
		    base, st.path, dev.ca_file);
	else
		printf(_("Reports go to %s; its certificate is checked against the system's "
		    "trusted CAs.\n"), base);
	printf(_("The device key is %s/%s (readable only by its owner).\n"), st.path,
	    dev.key_file);
	if (discarded > 0)
		printf(_("%zu undelivered report(s) of the previous enrollment were dropped "
		    "and counted.\n"), discarded);
	rc = 0;
out:
	if (rc != 0) {
		unlinkat(st.dirfd, key_tmp, 0);
		unlinkat(st.dirfd, ca_tmp, 0);
	}
	sign_key_free(key);
	free(cabuf);
	state_close(&st);
	return rc;
}

/* The enrolled state, locked: shared by report and upload. */
static int
open_enrolled(const char *dir, struct state *st, struct state_device *dev, char *capath,
    size_t caplen)
{
	struct mm_err e;

	err_clear(&e);
	if (state_open(st, state_dir_path(dir), 0, &e) == -1 || state_lock(st, &e) == -1 ||
	    state_device_load(st, dev, &e) != 0) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		state_close(st);
		return -1;
	}
	capath[0] = '\0';
	if (dev->ca_file[0] != '\0' && state_file(st, dev->ca_file, capath, caplen) == -1) {
		fprintf(stderr, "mamori: %s: path too long\n", st->path);
		state_close(st);
		return -1;
	}
	return 0;
}

/* Sends the spool; prints what happened. 0 when the spool is empty after. */
static int
deliver(struct spool *sp, const struct state_device *dev, const char *capath)
{
	struct upload_retry retry = UPLOAD_RETRY_DEFAULT;
	struct upload_result res;
	struct mm_err e;

	err_clear(&e);
	if (upload_spool(sp, dev, capath, &retry, &res, stderr, &e) == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		return -1;
	}
	if (res.delivered > 0)
		printf(_("%zu report(s) delivered to %s.\n"), res.delivered, dev->server);
	if (res.remaining > 0) {
		fprintf(stderr, _("mamori: %zu report(s) wait in the spool; they are sent on the "
		    "next run (mamori upload).\n"), res.remaining);
		return -1;
	}
	return 0;
}

static int
cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "state-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rootdir = "/", *pol = NULL, *dir = NULL;
	struct policy_known known = scan_known_checks();
	char capath[4200], path[4200], sig[SIGN_SIG_B64_LEN + 1];
	struct spool_entry en;
	struct state_device dev;
	struct sign_key *key = NULL;
	struct policy policy;
	struct spool sp = { -1, -1, 0, 0 };
	struct state st;
	struct root root;
	struct scan s;
	struct mm_err e;
	uint64_t seq, floor, dropped;
	json_t *rep = NULL;
	char *body = NULL;
	size_t evicted;
	int ch, rc = EXIT_STATE;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "r:p:d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': rootdir = optarg; break;
		case 'p': pol = optarg; break;
		case 'd': dir = optarg; break;
		case 'h': usage_report(stdout); return 0;
		default: usage_report(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage_report(stderr);
		return EXIT_USAGE;
	}
	err_clear(&e);
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
	if (open_enrolled(dir, &st, &dev, capath, sizeof(capath)) == -1) {
		root_close(&root);
		policy_free(&policy);
		return EXIT_STATE;
	}
	if (state_file(&st, dev.key_file, path, sizeof(path)) == -1 ||
	    (key = sign_key_load(path, &e)) == NULL) {
		fprintf(stderr, "mamori: %s\n", e.reason ? e.msg : "state folder path too long");
		goto out;
	}
	scan_run(&s, &root, &policy, time(NULL), strcmp(rootdir, "/") == 0);
	rep = report_build(&s);
	if (spool_open(&sp, st.dirfd, (uint64_t)policy.spool.max_reports,
	    (uint64_t)policy.spool.max_bytes, &e) == -1 ||
	    spool_max_sequence(&sp, &floor, &e) == -1 ||
	    /* durable before the report exists: a crash can skip a number,
	     * never hand it out twice */
	    state_sequence_next(&st, floor, &seq, &e) == -1 ||
	    spool_dropped_pending(&sp, &dropped, &e) == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		goto out_scan;
	}
	if (rep == NULL ||
	    json_object_set_new(rep, "device_id", json_string(dev.device_id)) == -1 ||
	    json_object_set_new(rep, "sequence", json_integer((json_int_t)seq)) == -1 ||
	    json_object_set_new(rep, "spool", json_pack("{s:I}", "dropped",
	    (json_int_t)dropped)) == -1 ||
	    (body = json_dumps(rep, JSON_COMPACT)) == NULL) {
		fprintf(stderr, "%s", _("mamori: could not build the report\n"));
		goto out_scan;
	}
	if (sign_bytes(key, body, strlen(body), sig, &e) == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		goto out_scan;
	}
	memset(&en, 0, sizeof(en));
	en.sequence = seq;
	en.dropped = dropped;
	snprintf(en.device_id, sizeof(en.device_id), "%s", dev.device_id);
	snprintf(en.signature, sizeof(en.signature), "%s", sig);
	en.body = body;
	en.body_len = strlen(body);
	if (spool_put(&sp, &en, &evicted, &e) == -1) {
		fprintf(stderr, _("mamori: the report could not be spooled: %s\n"), e.msg);
		goto out_scan;
	}
	if (evicted > 0)
		fprintf(stderr, _("mamori: the spool was full: %zu older report(s) were dropped "
		    "and counted\n"), evicted);
	printf(_("Report %" PRIu64 " (%s) signed and spooled.\n"), seq,
	    text_output_overall(s.overall));
	rc = deliver(&sp, &dev, capath) == 0 ? (int)s.overall : EXIT_UNDELIVERED;
out_scan:
	scan_free(&s);
out:
	free(body);
	json_decref(rep);
	spool_close(&sp);
	sign_key_free(key);
	state_close(&st);
	root_close(&root);
	policy_free(&policy);
	return rc;
}

static int
cmd_upload(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL;
	char capath[4200];
	struct state_device dev;
	struct spool sp;
	struct state st;
	struct mm_err e;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'h': usage_upload(stdout); return 0;
		default: usage_upload(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage_upload(stderr);
		return EXIT_USAGE;
	}
	if (open_enrolled(dir, &st, &dev, capath, sizeof(capath)) == -1)
		return EXIT_STATE;
	err_clear(&e);
	if (spool_open(&sp, st.dirfd, 0, 0, &e) == -1) {
		fprintf(stderr, "mamori: %s\n", e.msg);
		state_close(&st);
		return EXIT_STATE;
	}
	rc = deliver(&sp, &dev, capath) == 0 ? 0 : EXIT_UNDELIVERED;
	spool_close(&sp);
	state_close(&st);
	return rc;
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
	if (strcmp(argv[1], "enroll") == 0)
		return cmd_enroll(argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return cmd_report(argc - 1, argv + 1);
	if (strcmp(argv[1], "upload") == 0)
		return cmd_upload(argc - 1, argv + 1);
	if (strcmp(argv[1], "daemon") == 0)
		return daemon_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "notify") == 0)
		return notify_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return status_main(argc - 1, argv + 1);
	fprintf(stderr, _("mamori: unknown command \"%s\"\n"), argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
