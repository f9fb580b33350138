/* config: parsing and validating collector.conf; see config.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "server-stub/config.h"

#ifndef DATADIR
#define DATADIR "/usr/local/share"
#endif
#define DASHBOARD_DIR_DEFAULT DATADIR "/mamori-collector/dashboard"
#define CONFIG_FILE_MAX (64 * 1024)
#define CONFIG_LINE_MAX 4096

enum value_kind { V_ADDR, V_PORT, V_PATH, V_BYTES, V_UINT };

/* One row per key: where it goes and which values it takes. */
struct key_def {
	const char *name;
	enum value_kind kind;
	size_t off;
	unsigned long long min, max;
};

#define OFF(f) offsetof(struct coll_config, f)
static const struct key_def keys[] = {
	{ "listen", V_ADDR, OFF(listen), 0, 0 },
	{ "port", V_PORT, OFF(port), 0, 65535 },
	{ "tls_cert", V_PATH, OFF(tls_cert), 0, 0 },
	{ "tls_key", V_PATH, OFF(tls_key), 0, 0 },
	{ "database", V_PATH, OFF(database), 0, 0 },
	{ "max_report_bytes", V_BYTES, OFF(max_report_bytes), 1024, 256ull << 20 },
	{ "max_enroll_bytes", V_BYTES, OFF(max_enroll_bytes), 1024, 1ull << 20 },
	{ "threads", V_UINT, OFF(threads), 0, 64 },
	{ "commit_batch_max", V_UINT, OFF(commit_batch_max), 1, 10000 },
	{ "max_connections", V_UINT, OFF(max_connections), 16, 100000 },
	{ "connection_timeout", V_UINT, OFF(connection_timeout), 1, 3600 },
	{ "busy_timeout_ms", V_UINT, OFF(busy_timeout_ms), 0, 600000 },
	{ "dashboard_dir", V_PATH, OFF(dashboard_dir), 0, 0 },
	{ "session_idle_minutes", V_UINT, OFF(session_idle_minutes), 1, 480 },
	{ "silent_after_hours", V_UINT, OFF(silent_after_hours), 1, 8760 },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

void
config_defaults(struct coll_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1");
	c->port = 8443;
	snprintf(c->database, sizeof(c->database), "/var/lib/mamori-collector/collector.db");
	c->max_report_bytes = 1u << 20;
	c->max_enroll_bytes = 16u << 10;
	c->threads = 0;
	c->commit_batch_max = 512;
	c->max_connections = 4096;
	c->connection_timeout = 120;
	c->busy_timeout_ms = 5000;
	snprintf(c->dashboard_dir, sizeof(c->dashboard_dir), "%s", DASHBOARD_DIR_DEFAULT);
	c->session_idle_minutes = 15;
	c->silent_after_hours = 48;
}

int
config_listen_is_loopback(const char *listen)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, listen, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, listen, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

/* A decimal number without sign, spaces or overflow; with kind V_BYTES an
 * optional K, KiB, M or MiB. */
static int
parse_number(const char *s, enum value_kind kind, unsigned long long *out)
{
	unsigned long long v = 0, mult = 1;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(*s++ - '0');
	}
	if (kind == V_BYTES) {
		if (strcmp(s, "K") == 0 || strcmp(s, "KiB") == 0)
			mult = 1024, s = "";
		else if (strcmp(s, "M") == 0 || strcmp(s, "MiB") == 0)
			mult = 1024 * 1024, s = "";
	}
	if (*s != '\0' || v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

static int
set_value(struct coll_config *c, const struct key_def *k, const char *val, const char *name,
    unsigned line, struct mm_err *e)
{
	char *field = (char *)c + k->off;
	unsigned long long n;
	size_t len = strlen(val);

	switch (k->kind) {
	case V_ADDR: {
		unsigned char buf[sizeof(struct in6_addr)];
		if (len >= sizeof(c->listen) || (inet_pton(AF_INET, val, buf) != 1 &&
		    inet_pton(AF_INET6, val, buf) != 1)) {
			err_set(e, "config_value", "%s:%u: listen must be an IPv4 or IPv6 address "
			    "such as 127.0.0.1, 0.0.0.0 or ::1 (not a host name)", name, line);
			return -1;
		}
		memcpy(field, val, len + 1);
		return 0;
	}
	case V_PATH:
		if (len >= CONFIG_PATH_MAX) {
			err_set(e, "config_value", "%s:%u: %s is longer than %d bytes", name, line,
			    k->name, CONFIG_PATH_MAX - 1);
			return -1;
		}
		memcpy(field, val, len + 1);
		return 0;
	case V_PORT:
	case V_BYTES:
	case V_UINT:
		if (parse_number(val, k->kind, &n) == -1 || n < k->min || n > k->max) {
			err_set(e, "config_value", "%s:%u: %s must be a whole number from %llu to %llu%s",
			    name, line, k->name, k->min, k->max,
			    k->kind == V_BYTES ? " (bytes; K or M may follow)" : "");
			return -1;
		}
		if (k->kind == V_BYTES)
			*(size_t *)(void *)field = (size_t)n;
		else
			*(unsigned *)(void *)field = (unsigned)n;
		return 0;
	}
	return -1;
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Settings that hold only together, checked once the whole file is read. */
static int
check_whole(const struct coll_config *c, const char *name, struct mm_err *e)
{
	if ((c->tls_cert[0] == '\0') != (c->tls_key[0] == '\0')) {
		err_set(e, "config_value", "%s: tls_cert and tls_key go together: set both (HTTPS) "
		    "or neither (plain HTTP on a loopback address)", name);
		return -1;
	}
	/* Reports and tokens must not cross a network in clear text; plain
	 * HTTP is for the quick start, tests, or a TLS proxy on this host. */
	if (c->tls_cert[0] == '\0' && !config_listen_is_loopback(c->listen)) {
		err_set(e, "config_value", "%s: listen = %s without TLS: set tls_cert and tls_key, "
		    "or listen on 127.0.0.1 behind a TLS proxy", name, c->listen);
		return -1;
	}
	if (c->database[0] == '\0') {
		err_set(e, "config_value", "%s: database must name a file", name);
		return -1;
	}
	return 0;
}

int
config_parse_buf(struct coll_config *c, const char *buf, size_t len, const char *name,
    struct mm_err *e)
{
	char line[CONFIG_LINE_MAX + 1];
	unsigned char seen[NKEYS] = { 0 };
	unsigned lineno = 0;
	size_t pos = 0;

	if (memchr(buf, '\0', len) != NULL) {
		err_set(e, "config_syntax", "%s: the file holds a NUL byte; it must be text", name);
		return -1;
	}
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = (nl != NULL ? (size_t)(nl - buf) : len) - pos;
		char *key, *val, *eq, *end;
		size_t i;

		lineno++;
		if (n > CONFIG_LINE_MAX) {
			err_set(e, "config_syntax", "%s:%u: line longer than %d bytes", name, lineno,
			    CONFIG_LINE_MAX);
			return -1;
		}
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos += n + (nl != NULL);

		key = line;
		while (is_space(*key))
			key++;
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			err_set(e, "config_syntax", "%s:%u: expected \"key = value\"", name, lineno);
			return -1;
		}
		end = eq;
		while (end > key && is_space(end[-1]))
			end--;
		*end = '\0';
		val = eq + 1;
		while (is_space(*val))
			val++;
		end = val + strlen(val);
		while (end > val && is_space(end[-1]))
			end--;
		*end = '\0';

		for (i = 0; i < NKEYS && strcmp(keys[i].name, key) != 0; i++)
			;
		if (i == NKEYS) {
			/* The key is the file's text: keep it short and printable. */
			for (char *p = key; *p; p++)
				if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
					*p = '?';
			err_set(e, "config_unknown_key", "%s:%u: unknown key \"%.64s\" "
			    "(see docs/collector.md for the keys)", name, lineno, key);
			return -1;
		}
		if (seen[i]) {
			err_set(e, "config_duplicate_key", "%s:%u: %s is set twice", name, lineno, key);
			return -1;
		}
		seen[i] = 1;
		if (*val == '\0') {
			err_set(e, "config_value", "%s:%u: %s has no value", name, lineno, key);
			return -1;
		}
		if (set_value(c, &keys[i], val, name, lineno, e) == -1)
			return -1;
	}
	return check_whole(c, name, e);
}

int
config_load(struct coll_config *c, const char *path, int must_exist, struct mm_err *e)
{
	char *buf;
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd, rc;

	config_defaults(c);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		if (errno == ENOENT && !must_exist)
			return check_whole(c, "built-in defaults", e);
		err_set(e, "config_unreadable", "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size > CONFIG_FILE_MAX) {
		close(fd);
		err_set(e, "config_unreadable", "%s must be a regular file of at most %d bytes",
		    path, CONFIG_FILE_MAX);
		return -1;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		err_set(e, "out_of_memory", "out of memory");
		return -1;
	}
	while (len < (size_t)st.st_size &&
	    (n = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)n;
	close(fd);
	rc = config_parse_buf(c, buf, len, path, e);
	free(buf);
	return rc;
}
