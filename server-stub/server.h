/* server: the collector's HTTP(S) API (docs/protocol.md) on libmicrohttpd:
 * enrollment, signed reports, health. */
#ifndef MAMORI_COLL_SERVER_H
#define MAMORI_COLL_SERVER_H

#include "common/err.h"
#include "server-stub/config.h"

/* Listens as configured and serves until SIGINT or SIGTERM, then stops
 * accepting, answers every request that is waiting for the database, and
 * returns 0. The caller must have blocked SIGINT and SIGTERM (so that no
 * other thread takes them). -1 if it could not start. */
int server_run(const struct coll_config *cfg, struct mm_err *e);

#endif
