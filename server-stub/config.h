/* config: the collector's configuration file, one "key = value" per line.
 * Parsed and validated whole before anything listens or opens the
 * database; every key is documented in docs/collector.md. */
#ifndef MAMORI_COLL_CONFIG_H
#define MAMORI_COLL_CONFIG_H

#include <stddef.h>
#include "common/err.h"

#define CONFIG_DEFAULT_PATH "/etc/mamori-collector/collector.conf"
#define CONFIG_PATH_MAX 1024

struct coll_config {
	char listen[64];		/* an IPv4 or IPv6 literal */
	unsigned port;			/* 0 = any free port (printed at start) */
	char tls_cert[CONFIG_PATH_MAX];	/* both empty = plain HTTP (loopback only) */
	char tls_key[CONFIG_PATH_MAX];
	char database[CONFIG_PATH_MAX];
	size_t max_report_bytes;
	size_t max_enroll_bytes;
	unsigned threads;		/* HTTP worker threads; 0 = one per CPU */
	unsigned commit_batch_max;	/* reports per database transaction, at most */
	unsigned max_connections;
	unsigned connection_timeout;	/* seconds an idle connection is kept */
	unsigned busy_timeout_ms;	/* how long to wait for a database lock */
	/* The dashboard (docs/dashboard.md). */
	char dashboard_dir[CONFIG_PATH_MAX];	/* its static files */
	unsigned session_idle_minutes;	/* a session ends after this long unused */
	unsigned silent_after_hours;	/* a device without a report this long is silent */
};

/* The built-in values of every key. */
void config_defaults(struct coll_config *c);
/* Applies the lines of buf over c (start from config_defaults). name is
 * what errors call the file ("collector.conf:12: …"). Stops at the first
 * error: an unknown or repeated key, a bad value, a line without "=". */
int config_parse_buf(struct coll_config *c, const char *buf, size_t len, const char *name,
    struct mm_err *e);
/* config_defaults, then the file at path. A missing file is an error
 * only when must_exist (the path was given on the command line). */
int config_load(struct coll_config *c, const char *path, int must_exist, struct mm_err *e);
/* 1 if the listen address is a loopback address (127.0.0.0/8, ::1). */
int config_listen_is_loopback(const char *listen);

#endif
