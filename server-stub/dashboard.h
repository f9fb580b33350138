/* dashboard: the administrators' web dashboard — its JSON API under
 * /api/v1 (sessions, roles, CSRF, rate limits, audit; docs/dashboard.md)
 * and its static files from dashboard_dir. server.c routes every request
 * that is not the agents' (health, enroll, reports) here. */
#ifndef MAMORI_COLL_DASHBOARD_H
#define MAMORI_COLL_DASHBOARD_H

#include <stddef.h>
#include <microhttpd.h>
#include "server-stub/config.h"
#include "server-stub/store.h"

#define DASHBOARD_MAX_BODY (64 * 1024)

/* Once, before the server's threads start: the check texts' catalogs. */
void dashboard_init(void);
/* A request under /api/v1/ with its whole body; s is this thread's store
 * handle (NULL if it could not be opened); addr is the client's address. */
enum MHD_Result dashboard_api(const struct coll_config *cfg, struct store *s,
    struct MHD_Connection *c, const char *url, const char *method, const char *body,
    size_t len, const char *addr);
/* GET or HEAD of anything outside /api/: a file of the dashboard. */
enum MHD_Result dashboard_static(const struct coll_config *cfg, struct MHD_Connection *c,
    const char *url, const char *method);

#endif
