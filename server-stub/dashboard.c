/* dashboard: the dashboard's API and static files; see dashboard.h and
 * docs/dashboard.md.
 *
 * Every API call goes through the same gate (authenticate): the session
 * cookie names a session in the database (only its SHA-256 is kept);
 * a session unused for session_idle_minutes, or older than
 * SESSION_MAX_AGE, is ended; a state-changing call must carry the
 * session's CSRF token in X-CSRF-Token; an account whose password is
 * older than 60 days may only change it. Then each handler checks the
 * role: a facility administrator who names anything of another facility
 * gets the same 404 as for something that does not exist. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include "common/i18n.h"
#include "common/sign.h"
#include "common/utf8.h"
#include "server-stub/admin.h"
#include "server-stub/clock.h"
#include "server-stub/csv.h"
#include "server-stub/dash_query.h"
#include "server-stub/dash_store.h"
#include "server-stub/dashboard.h"
#include "server-stub/logline.h"
#include "server-stub/password.h"

#define COOKIE_NAME "mamori_session"
#define SESSION_MAX_AGE (12 * 3600)	/* a working day, however active */
#define TOUCH_EVERY 15			/* seconds between writes of last_seen */
#define FAIL_WINDOW (15 * 60)
#define FAIL_MAX_ACCOUNT 5		/* failed logins per account per window */
#define FAIL_MAX_ADDRESS 20		/* failed logins per address per window */
#define STATIC_MAX (2 << 20)
#define AUDIT_LIMIT 500
#define HISTORY_MAX_DAYS 400

/* What every handler gets. */
struct call {
	const struct coll_config *cfg;
	struct store *s;
	struct MHD_Connection *c;
	const char *method;
	const char *body;
	size_t len;
	const char *addr;
	time_t now;
	struct dash_session sess;
	unsigned char sha[DASH_SESSION_SHA_LEN];
	int authed;
};

static const char *const security_headers[][2] = {
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "no-referrer" },
	{ "X-Frame-Options", "DENY" },
	{ "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
	    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
	    "form-action 'self'" },
};

static void
add_security_headers(struct MHD_Response *r)
{
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

static enum MHD_Result
send_buf(struct MHD_Connection *c, unsigned status, char *text, size_t len, const char *type,
    const char *cookie, const char *disposition)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	add_security_headers(resp);
	if (cookie != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie);
	if (disposition != NULL)
		MHD_add_response_header(resp, "Content-Disposition", disposition);
	rc = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
send_json(struct call *k, unsigned status, json_t *obj, const char *cookie)
{
	char *text = obj != NULL ? json_dumps(obj, JSON_COMPACT) : NULL;

	json_decref(obj);
	if (text == NULL)
		return MHD_NO;
	return send_buf(k->c, status, text, strlen(text), "application/json; charset=utf-8", cookie,
	    NULL);
}

/* A refusal: {"error": key, "message": …}; nothing stored has changed. */
static enum MHD_Result
refuse(struct call *k, unsigned status, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum MHD_Result
refuse(struct call *k, unsigned status, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (status == 403 || status == 429)
		logline("dashboard: refused %s from %s%s%s: %u %s: %s", k->method, k->addr,
		    k->authed ? ", administrator " : "", k->authed ? k->sess.admin.name : "",
		    status, key, msg);
	return send_json(k, status, json_pack("{s:s, s:s}", "error", key, "message", msg), NULL);
}

static enum MHD_Result
not_found(struct call *k, const char *what)
{
	return refuse(k, 404, "not_found", "there is no such %s", what);
}

static enum MHD_Result
storage_failed(struct call *k, const struct mm_err *e)
{
	logline("dashboard: storage failed for %s from %s: %s", k->method, k->addr, e->msg);
	return send_json(k, 503, json_pack("{s:s, s:s}", "error", "storage_unavailable",
	    "message", "the collector cannot read or write its database right now; nothing "
	    "was changed, retry later"), NULL);
}

static void
audit(struct call *k, const char *who, const char *action, int64_t facility, const char *target)
{
	struct mm_err e;

	if (dash_audit_add(k->s, k->now, who, action, facility, target, k->addr, &e) != STORE_OK)
		logline("dashboard: audit log not written (%s by %s): %s", action, who, e.msg);
}

static int
is_admin_association(const struct call *k)
{
	return strcmp(k->sess.admin.role, "association") == 0;
}

/* May this session see facility id? (Facility administrators: their own.) */
static int
may_see(const struct call *k, int64_t facility)
{
	return is_admin_association(k) || k->sess.admin.facility_id == facility;
}

static int
password_expired(const struct dash_admin *a, time_t now)
{
	return a->must_change ||
	    now - a->password_changed_at > (time_t)PASSWORD_MAX_AGE_DAYS * 86400;
}

static json_t *
admin_json(const struct dash_admin *a, time_t now)
{
	char t[32];

	clock_format(a->password_changed_at, t, sizeof(t));
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:b}", "id", (json_int_t)a->id,
	    "name", a->name, "role", a->role, "facility_id",
	    a->facility_id != 0 ? json_integer(a->facility_id) : json_null(),
	    "facility_name", a->facility_name, "password_changed_at", t,
	    "must_change_password", password_expired(a, now));
}

static void
random_b64url(char *out, size_t nbytes)
{
	unsigned char raw[48];
	char b64[72];

	RAND_bytes(raw, (int)nbytes);
	b64_encode(raw, nbytes, b64, sizeof(b64));
	for (char *p = b64; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
	b64[strcspn(b64, "=")] = '\0';
	strcpy(out, b64);
}

/* The session of the request's cookie; 0 and k->sess, or an answer queued. */
static int
authenticate(struct call *k, enum MHD_Result *answer)
{
	const char *cookie = MHD_lookup_connection_value(k->c, MHD_COOKIE_KIND, COOKIE_NAME);
	time_t idle = (time_t)k->cfg->session_idle_minutes * 60;
	struct mm_err e;
	int rc;

	if (cookie == NULL || strlen(cookie) != 43) {
		*answer = refuse(k, 401, "not_logged_in", "log in first");
		return -1;
	}
	SHA256((const unsigned char *)cookie, 43, k->sha);
	rc = dash_session_get(k->s, k->sha, &k->sess, &e);
	if (rc == STORE_ERROR) {
		*answer = storage_failed(k, &e);
		return -1;
	}
	if (rc != STORE_OK) {
		*answer = refuse(k, 401, "not_logged_in", "the session has ended; log in again");
		return -1;
	}
	if (k->now - k->sess.last_seen > idle || k->now - k->sess.created_at > SESSION_MAX_AGE) {
		dash_session_delete(k->s, k->sha, &e);
		*answer = refuse(k, 401, "session_expired", "the session ended after %u minutes "
		    "without use (article 15-5); log in again", k->cfg->session_idle_minutes);
		return -1;
	}
	k->authed = 1;
	if (strcmp(k->method, "GET") != 0 && strcmp(k->method, "HEAD") != 0) {
		const char *t = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND, "X-CSRF-Token");
		if (t == NULL || strlen(t) != strlen(k->sess.csrf) ||
		    CRYPTO_memcmp(t, k->sess.csrf, strlen(t)) != 0) {
			*answer = refuse(k, 403, "csrf_failed", "the request lacks this session's "
			    "X-CSRF-Token; reload the page");
			return -1;
		}
	}
	if (k->now - k->sess.last_seen >= TOUCH_EVERY &&
	    dash_session_touch(k->s, k->sha, k->now, &e) != STORE_OK) {
		*answer = storage_failed(k, &e);
		return -1;
	}
	return 0;
}

/* The body as a JSON object, or an answer queued. */
static json_t *
body_object(struct call *k, enum MHD_Result *answer)
{
	const char *type = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	json_error_t je;
	json_t *o;

	/* application/json cannot be sent cross-site without a preflight,
	 * which this server never grants. */
	if (type == NULL || strncmp(type, "application/json", 16) != 0) {
		*answer = refuse(k, 415, "unsupported_media_type", "send the body as "
		    "Content-Type: application/json");
		return NULL;
	}
	o = json_loadb(k->body != NULL ? k->body : "", k->len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		*answer = refuse(k, 400, "bad_request", "the body must be a JSON object");
		return NULL;
	}
	return o;
}

static const char *
str_field(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v;
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (s == NULL || *s < '1' || *s > '9' || strlen(s) > 18)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static struct dash_when
when(const struct call *k)
{
	struct dash_when w = { .now = k->now,
	    .silent_before = k->now - (time_t)k->cfg->silent_after_hours * 3600 };
	return w;
}

/* --- sessions --------------------------------------------------------- */

static const char dummy_hash[] = "scrypt$17$8$1$c2FsdHNhbHRzYWx0c2FsdA==$"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

static enum MHD_Result
login(struct call *k)
{
	enum MHD_Result answer;
	json_t *o = body_object(k, &answer);
	const char *name, *pw;
	struct dash_admin a;
	struct mm_err e;
	char sid[64], csrf[64], cookie[160], who[DASH_NAME_MAX + 1];
	int n_acct = 0, n_addr = 0, rc, ok;

	if (o == NULL)
		return answer;
	name = str_field(o, "name");
	pw = str_field(o, "password");
	if (name == NULL || pw == NULL || *name == '\0' || strlen(name) > DASH_NAME_MAX) {
		json_decref(o);
		return refuse(k, 400, "bad_request", "give \"name\" and \"password\" as strings");
	}
	snprintf(who, sizeof(who), "%s", name);
	/* Counted before the password is looked at, so that a guesser pays
	 * nothing in scrypt time after the limit. */
	if (dash_login_failures(k->s, "account", who, k->now - FAIL_WINDOW, &n_acct, &e) != STORE_OK ||
	    dash_login_failures(k->s, "address", k->addr, k->now - FAIL_WINDOW, &n_addr, &e) !=
	    STORE_OK) {
		json_decref(o);
		return storage_failed(k, &e);
	}
	if (n_acct >= FAIL_MAX_ACCOUNT || n_addr >= FAIL_MAX_ADDRESS) {
		json_decref(o);
		audit(k, who, "login_limited", 0, n_acct >= FAIL_MAX_ACCOUNT ? "account" : "address");
		return refuse(k, 429, "too_many_attempts", "too many failed logins %s; wait %d "
		    "minutes", n_acct >= FAIL_MAX_ACCOUNT ? "for this account" : "from this address",
		    FAIL_WINDOW / 60);
	}
	rc = dash_admin_by_name(k->s, who, &a, &e);
	if (rc == STORE_ERROR) {
		json_decref(o);
		return storage_failed(k, &e);
	}
	/* An unknown name costs the same scrypt as a wrong password. */
	ok = password_verify(pw, rc == STORE_OK ? a.password_hash : dummy_hash, &e);
	json_decref(o);
	if (ok != 1 || rc != STORE_OK) {
		dash_login_failure_add(k->s, "account", who, k->now, &e);
		dash_login_failure_add(k->s, "address", k->addr, k->now, &e);
		audit(k, who, "login_failed", 0, "");
		return refuse(k, 401, "login_failed", "the name or the password is wrong");
	}
	dash_login_failures_clear(k->s, "account", who, &e);
	/* Purge what has ended, now and then: at each login. */
	dash_session_purge(k->s, k->now - (time_t)k->cfg->session_idle_minutes * 60,
	    k->now - SESSION_MAX_AGE, k->now - FAIL_WINDOW, &e);
	random_b64url(sid, 32);
	random_b64url(csrf, 32);
	SHA256((const unsigned char *)sid, strlen(sid), k->sha);
	if (dash_session_add(k->s, k->sha, a.id, csrf, k->now, &e) != STORE_OK)
		return storage_failed(k, &e);
	audit(k, a.name, "login", a.facility_id, "");
	logline("dashboard: %s logged in from %s", a.name, k->addr);
	snprintf(cookie, sizeof(cookie), COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Strict%s",
	    sid, k->cfg->tls_cert[0] != '\0' ? "; Secure" : "");
	return send_json(k, 200, json_pack("{s:o, s:s, s:I}", "admin", admin_json(&a, k->now),
	    "csrf", csrf, "idle_minutes", (json_int_t)k->cfg->session_idle_minutes), cookie);
}

static enum MHD_Result
logout(struct call *k)
{
	struct mm_err e;
	char cookie[128];

	if (dash_session_delete(k->s, k->sha, &e) != STORE_OK)
		return storage_failed(k, &e);
	audit(k, k->sess.admin.name, "logout", k->sess.admin.facility_id, "");
	snprintf(cookie, sizeof(cookie), COOKIE_NAME "=; Path=/; HttpOnly; SameSite=Strict; "
	    "Max-Age=0%s", k->cfg->tls_cert[0] != '\0' ? "; Secure" : "");
	return send_json(k, 200, json_pack("{s:s}", "status", "logged_out"), cookie);
}

static enum MHD_Result
change_password(struct call *k)
{
	enum MHD_Result answer;
	json_t *o = body_object(k, &answer);
	const char *cur, *nw;
	char hash[PASSWORD_HASH_MAX];
	struct mm_err e;
	int ok;

	if (o == NULL)
		return answer;
	cur = str_field(o, "current");
	nw = str_field(o, "new");
	if (cur == NULL || nw == NULL) {
		json_decref(o);
		return refuse(k, 400, "bad_request", "give \"current\" and \"new\" as strings");
	}
	if (password_check_rule(nw, &e) != 0) {
		json_decref(o);
		return refuse(k, 400, "weak_password", "%s", e.msg);
	}
	ok = password_verify(cur, k->sess.admin.password_hash, &e);
	if (ok != 1) {
		json_decref(o);
		dash_login_failure_add(k->s, "account", k->sess.admin.name, k->now, &e);
		return refuse(k, 403, "wrong_password", "the current password is wrong");
	}
	if (strcmp(cur, nw) == 0) {
		json_decref(o);
		return refuse(k, 400, "same_password", "choose a new password, not the current one");
	}
	ok = password_hash(nw, hash, &e);
	json_decref(o);
	if (ok != 0)
		return storage_failed(k, &e);
	if (dash_admin_set_password(k->s, k->sess.admin.id, hash, k->sha, k->now, &e) != STORE_OK)
		return storage_failed(k, &e);
	audit(k, k->sess.admin.name, "password_changed", k->sess.admin.facility_id, "");
	dash_admin_get(k->s, k->sess.admin.id, &k->sess.admin, &e);
	return send_json(k, 200, json_pack("{s:o}", "admin", admin_json(&k->sess.admin, k->now)),
	    NULL);
}

/* --- data --------------------------------------------------------------- */

static enum MHD_Result
send_result(struct call *k, int rc, json_t *out, const struct mm_err *e, const char *what)
{
	if (rc == STORE_OK)
		return send_json(k, 200, out, NULL);
	if (rc == STORE_NOT_FOUND)
		return not_found(k, what);
	return storage_failed(k, e);
}

static enum MHD_Result
overview(struct call *k)
{
	struct dash_when w = when(k);
	struct mm_err e;
	json_t *out = NULL;
	int rc = dash_overview(k->s, is_admin_association(k) ? 0 : k->sess.admin.facility_id, &w,
	    &out, &e);

	return send_result(k, rc, out, &e, "facility");
}

struct fac_acc {
	json_t *a;
	const struct call *k;
};

static int
facility_json(const struct store_facility *f, void *arg)
{
	struct fac_acc *x = arg;

	if (may_see(x->k, f->id))
		json_array_append_new(x->a, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)f->id,
		    "name", f->name, "devices", (json_int_t)f->devices));
	return 0;
}

static enum MHD_Result
facilities_list(struct call *k)
{
	struct fac_acc x = { json_array(), k };
	struct mm_err e;

	if (store_facility_list(k->s, facility_json, &x, &e) != STORE_OK) {
		json_decref(x.a);
		return storage_failed(k, &e);
	}
	return send_json(k, 200, json_pack("{s:o}", "facilities", x.a), NULL);
}

static enum MHD_Result
facility_add(struct call *k)
{
	enum MHD_Result answer;
	json_t *o;
	const char *name;
	struct mm_err e;
	int64_t id;
	int rc;

	if (!is_admin_association(k))
		return refuse(k, 403, "forbidden", "only the association's administrator adds "
		    "facilities");
	if ((o = body_object(k, &answer)) == NULL)
		return answer;
	name = str_field(o, "name");
	if (name == NULL) {
		json_decref(o);
		return refuse(k, 400, "bad_request", "give the facility's \"name\" as a string");
	}
	rc = admin_facility_add(k->s, name, k->now, &id, &e);
	if (rc == STORE_OK) {
		audit(k, k->sess.admin.name, "facility_added", id, name);
		json_decref(o);
		return send_json(k, 201, json_pack("{s:I}", "id", (json_int_t)id), NULL);
	}
	json_decref(o);
	if (rc == STORE_EXISTS)
		return refuse(k, 409, "name_taken", "a facility of that name exists already");
	if (e.reason != NULL && strcmp(e.reason, "bad_name") == 0)
		return refuse(k, 400, "bad_name", "%s", e.msg);
	return storage_failed(k, &e);
}

static enum MHD_Result
facility_get(struct call *k, int64_t id)
{
	struct dash_when w = when(k);
	struct mm_err e;
	json_t *out = NULL;
	int rc;

	if (!may_see(k, id))
		return not_found(k, "facility");
	rc = dash_facility(k->s, id, &w, &out, &e);
	return send_result(k, rc, out, &e, "facility");
}

struct tok_acc {
	json_t *a;
	time_t now;
	int64_t want;		/* token_find: the id looked for */
	struct store_token found;
	int have;
};

static int
token_json(const struct store_token *t, void *arg)
{
	struct tok_acc *x = arg;
	char c[32], ex[32], rv[32];

	clock_format(t->created_at, c, sizeof(c));
	clock_format(t->expires_at, ex, sizeof(ex));
	clock_format(t->revoked_at, rv, sizeof(rv));
	json_array_append_new(x->a, json_pack("{s:I, s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s}",
	    "id", (json_int_t)t->id, "facility_id", (json_int_t)t->facility_id, "prefix", t->prefix,
	    "uses_left", (json_int_t)t->uses_left, "uses_total", (json_int_t)t->uses_total,
	    "created_at", c, "expires_at", ex, "revoked_at", rv, "state",
	    admin_token_state(t, x->now)));
	return 0;
}

static enum MHD_Result
tokens_list(struct call *k, int64_t facility)
{
	struct tok_acc x = { .a = json_array(), .now = k->now };
	struct store_facility f;
	struct mm_err e;
	int rc;

	if (!may_see(k, facility)) {
		json_decref(x.a);
		return not_found(k, "facility");
	}
	if ((rc = store_facility_get(k->s, facility, &f, &e)) != STORE_OK ||
	    (rc = admin_token_list(k->s, facility, token_json, &x, &e)) != STORE_OK) {
		json_decref(x.a);
		return rc == STORE_NOT_FOUND ? not_found(k, "facility") : storage_failed(k, &e);
	}
	return send_json(k, 200, json_pack("{s:o}", "tokens", x.a), NULL);
}

static enum MHD_Result
token_create(struct call *k, int64_t facility)
{
	enum MHD_Result answer;
	struct store_facility f;
	json_t *o, *uses_j;
	const char *expires;
	char token[ADMIN_TOKEN_LEN + 1], exp[32], target[64];
	long lifetime = ADMIN_TOKEN_LIFETIME_DEFAULT;
	json_int_t uses = 1;
	struct mm_err e;
	int64_t id;
	int rc;

	if (!may_see(k, facility))
		return not_found(k, "facility");
	if ((rc = store_facility_get(k->s, facility, &f, &e)) != STORE_OK)
		return rc == STORE_NOT_FOUND ? not_found(k, "facility") : storage_failed(k, &e);
	if ((o = body_object(k, &answer)) == NULL)
		return answer;
	uses_j = json_object_get(o, "uses");
	expires = str_field(o, "expires");
	if (uses_j != NULL && (!json_is_integer(uses_j) || (uses = json_integer_value(uses_j)) < 1 ||
	    uses > ADMIN_TOKEN_USES_MAX)) {
		json_decref(o);
		return refuse(k, 400, "bad_uses", "\"uses\" is a whole number from 1 to %d",
		    ADMIN_TOKEN_USES_MAX);
	}
	if (json_object_get(o, "expires") != NULL &&
	    (expires == NULL || admin_parse_duration(expires, &lifetime, &e) != 0)) {
		json_decref(o);
		return refuse(k, 400, "bad_duration", "\"expires\" is a lifetime such as 7d, 12h or "
		    "30m (at most 366d)");
	}
	json_decref(o);
	rc = admin_token_create(k->s, facility, uses, lifetime, k->now, token, &id, &e);
	if (rc != STORE_OK)
		return storage_failed(k, &e);
	snprintf(target, sizeof(target), "token %lld (%.8s…)", (long long)id, token);
	audit(k, k->sess.admin.name, "token_created", facility, target);
	clock_format(k->now + lifetime, exp, sizeof(exp));
	return send_json(k, 201, json_pack("{s:I, s:I, s:s, s:I, s:s}", "id", (json_int_t)id,
	    "facility_id", (json_int_t)facility, "token", token, "uses", uses, "expires_at", exp),
	    NULL);
}

static int
token_find(const struct store_token *t, void *arg)
{
	struct tok_acc *x = arg;

	if (t->id != x->want)
		return 0;
	x->found = *t;
	x->have = 1;
	return 1;
}

static enum MHD_Result
token_revoke(struct call *k, int64_t id)
{
	struct tok_acc x = { .want = id };
	struct mm_err e;
	char target[64];

	if (admin_token_list(k->s, 0, token_find, &x, &e) != STORE_OK)
		return storage_failed(k, &e);
	if (!x.have || !may_see(k, x.found.facility_id))
		return not_found(k, "token");
	if (admin_token_revoke(k->s, id, k->now, &e) != STORE_OK)
		return storage_failed(k, &e);
	snprintf(target, sizeof(target), "token %lld (%s…)", (long long)id, x.found.prefix);
	audit(k, k->sess.admin.name, "token_revoked", x.found.facility_id, target);
	return send_json(k, 200, json_pack("{s:s}", "status", "revoked"), NULL);
}

/* The device, if this session may see it; else an answer queued. */
static int
device_visible(struct call *k, const char *id, struct store_device *d, enum MHD_Result *answer)
{
	struct mm_err e;
	int rc;

	if (strlen(id) > ADMIN_DEVICE_ID_LEN) {
		*answer = not_found(k, "device");
		return -1;
	}
	rc = store_device_get(k->s, id, d, &e);
	if (rc == STORE_ERROR) {
		*answer = storage_failed(k, &e);
		return -1;
	}
	if (rc != STORE_OK || !may_see(k, d->facility_id)) {
		*answer = not_found(k, "device");
		return -1;
	}
	return 0;
}

static enum MHD_Result
device_get(struct call *k, const char *id)
{
	struct store_device d;
	struct dash_when w = when(k);
	enum MHD_Result answer;
	struct mm_err e;
	json_t *out = NULL;
	int rc;

	if (device_visible(k, id, &d, &answer) != 0)
		return answer;
	rc = dash_device(k->s, &d, &w, &out, &e);
	return send_result(k, rc, out, &e, "device");
}

static enum MHD_Result
device_retire(struct call *k, const char *id)
{
	struct store_device d;
	enum MHD_Result answer;
	struct mm_err e;

	if (device_visible(k, id, &d, &answer) != 0)
		return answer;
	if (admin_device_retire(k->s, id, k->now, &e) != STORE_OK)
		return storage_failed(k, &e);
	audit(k, k->sess.admin.name, "device_retired", d.facility_id, id);
	return send_json(k, 200, json_pack("{s:s}", "status", "retired"), NULL);
}

/* "YYYY-MM-DD" as the Unix time of its midnight UTC. */
static int
parse_day(const char *s, time_t *t)
{
	struct tm tm;
	char *end;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strlen(s) != 10 || (end = strptime(s, "%Y-%m-%d", &tm)) == NULL ||
	    *end != '\0')
		return -1;
	*t = timegm(&tm);
	return 0;
}

static enum MHD_Result
export_csv(struct call *k, int history)
{
	const char *fs = MHD_lookup_connection_value(k->c, MHD_GET_ARGUMENT_KIND, "facility");
	const char *from_s = MHD_lookup_connection_value(k->c, MHD_GET_ARGUMENT_KIND, "from");
	const char *to_s = MHD_lookup_connection_value(k->c, MHD_GET_ARGUMENT_KIND, "to");
	struct dash_when w = when(k);
	struct store_facility f;
	int64_t facility = 0;
	time_t from = 0, to = 0;
	struct csv out;
	struct mm_err e;
	char disp[160], day[16], target[80];
	int rc;

	if (fs != NULL && *fs != '\0' && parse_id(fs, &facility) != 0)
		return refuse(k, 400, "bad_request", "facility is a facility id");
	if (!is_admin_association(k)) {
		if (facility == 0)
			facility = k->sess.admin.facility_id;
		if (facility != k->sess.admin.facility_id)
			return not_found(k, "facility");
	}
	if (facility != 0 && (rc = store_facility_get(k->s, facility, &f, &e)) != STORE_OK)
		return rc == STORE_NOT_FOUND ? not_found(k, "facility") : storage_failed(k, &e);
	if (history) {
		if (parse_day(from_s, &from) != 0 || parse_day(to_s, &to) != 0 || to < from ||
		    to - from > (time_t)HISTORY_MAX_DAYS * 86400)
			return refuse(k, 400, "bad_period", "give from and to as YYYY-MM-DD, from "
			    "not after to, at most %d days apart", HISTORY_MAX_DAYS);
		to += 86400;	/* "to" is the last day included */
		rc = dash_csv_history(k->s, facility, from, to, &out, &e);
	} else {
		rc = dash_csv_current(k->s, facility, &w, &out, &e);
	}
	if (rc != STORE_OK)
		return storage_failed(k, &e);
	if (out.failed) {
		csv_free(&out);
		err_set(&e, "out_of_memory", "out of memory building the export");
		return storage_failed(k, &e);
	}
	{
		struct tm tm;
		gmtime_r(&k->now, &tm);
		strftime(day, sizeof(day), "%Y%m%d", &tm);
	}
	if (facility != 0)
		snprintf(disp, sizeof(disp), "attachment; filename=\"mamori-%s-facility%lld-%s.csv\"",
		    history ? "history" : "current", (long long)facility, day);
	else
		snprintf(disp, sizeof(disp), "attachment; filename=\"mamori-%s-all-%s.csv\"",
		    history ? "history" : "current", day);
	if (history)
		snprintf(target, sizeof(target), "%s..%s", from_s, to_s);
	else
		snprintf(target, sizeof(target), "current");
	audit(k, k->sess.admin.name, history ? "export_history" : "export_current", facility,
	    target);
	return send_buf(k->c, 200, out.buf, out.len, "text/csv; charset=utf-8", NULL, disp);
}

static int
admin_list_json(const struct dash_admin *a, void *arg)
{
	json_array_append_new(((struct fac_acc *)arg)->a, admin_json(a, ((struct fac_acc *)arg)->k->now));
	return 0;
}

static enum MHD_Result
admins_list(struct call *k)
{
	struct fac_acc x = { json_array(), k };
	struct mm_err e;

	if (!is_admin_association(k)) {
		json_decref(x.a);
		return refuse(k, 403, "forbidden", "only the association's administrator manages "
		    "accounts");
	}
	if (dash_admin_list(k->s, admin_list_json, &x, &e) != STORE_OK) {
		json_decref(x.a);
		return storage_failed(k, &e);
	}
	return send_json(k, 200, json_pack("{s:o}", "admins", x.a), NULL);
}

/* The rule for administrator names, shared with the command line. */
static int
name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > DASH_NAME_MAX || !utf8_valid(name, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	return 1;
}

static enum MHD_Result
admin_add(struct call *k)
{
	enum MHD_Result answer;
	json_t *o, *fj;
	const char *name, *role, *pw;
	int64_t facility = 0, id;
	char hash[PASSWORD_HASH_MAX];
	struct mm_err e;
	int rc;

	if (!is_admin_association(k))
		return refuse(k, 403, "forbidden", "only the association's administrator adds "
		    "administrators");
	if ((o = body_object(k, &answer)) == NULL)
		return answer;
	name = str_field(o, "name");
	role = str_field(o, "role");
	pw = str_field(o, "password");
	fj = json_object_get(o, "facility_id");
	if (name == NULL || !name_ok(name) || role == NULL || pw == NULL ||
	    (strcmp(role, "association") != 0 && strcmp(role, "facility") != 0)) {
		json_decref(o);
		return refuse(k, 400, "bad_request", "give \"name\" (1 to %d characters), \"role\" "
		    "(association or facility) and an initial \"password\"", DASH_NAME_MAX);
	}
	if (strcmp(role, "facility") == 0) {
		if (!json_is_integer(fj) || (facility = json_integer_value(fj)) <= 0) {
			json_decref(o);
			return refuse(k, 400, "bad_request", "a facility administrator needs "
			    "\"facility_id\"");
		}
	} else if (fj != NULL && !json_is_null(fj)) {
		json_decref(o);
		return refuse(k, 400, "bad_request", "an association administrator has no "
		    "facility_id");
	}
	if (password_check_rule(pw, &e) != 0) {
		json_decref(o);
		return refuse(k, 400, "weak_password", "%s", e.msg);
	}
	if (password_hash(pw, hash, &e) != 0) {
		json_decref(o);
		return storage_failed(k, &e);
	}
	/* The person changes the password someone else chose at first login. */
	rc = dash_admin_add(k->s, name, role, facility, hash, 1, k->now, &id, &e);
	if (rc == STORE_OK)
		audit(k, k->sess.admin.name, "admin_added", facility, name);
	json_decref(o);
	if (rc == STORE_OK)
		return send_json(k, 201, json_pack("{s:I}", "id", (json_int_t)id), NULL);
	if (rc == STORE_EXISTS)
		return refuse(k, 409, "name_taken", "there is an administrator of that name already");
	if (rc == STORE_NOT_FOUND)
		return refuse(k, 400, "bad_request", "there is no facility %lld", (long long)facility);
	return storage_failed(k, &e);
}

static int
audit_json(const struct dash_audit *a, void *arg)
{
	char t[32];

	clock_format(a->at, t, sizeof(t));
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s}", "id",
	    (json_int_t)a->id, "at", t, "admin", a->admin, "action", a->action, "facility_id",
	    a->facility_id != 0 ? json_integer(a->facility_id) : json_null(), "target", a->target,
	    "address", a->address));
	return 0;
}

static enum MHD_Result
audit_list(struct call *k)
{
	json_t *a;
	struct mm_err e;

	if (!is_admin_association(k))
		return refuse(k, 403, "forbidden", "only the association's administrator reads the "
		    "audit log");
	a = json_array();
	if (dash_audit_list(k->s, AUDIT_LIMIT, audit_json, a, &e) != STORE_OK) {
		json_decref(a);
		return storage_failed(k, &e);
	}
	return send_json(k, 200, json_pack("{s:o}", "entries", a), NULL);
}

/* --- routing ------------------------------------------------------------ */

static enum MHD_Result
wrong_method(struct call *k, const char *allow)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	char *text;
	char msg[96];
	json_t *o;

	snprintf(msg, sizeof(msg), "use %s here", allow);
	o = json_pack("{s:s, s:s}", "error", "method_not_allowed", "message", msg);
	text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (text == NULL)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	add_security_headers(resp);
	rc = MHD_queue_response(k->c, 405, resp);
	MHD_destroy_response(resp);
	return rc;
}

static int
is(const struct call *k, const char *m)
{
	return strcmp(k->method, m) == 0;
}

void
dashboard_init(void)
{
	/* The check texts are looked up in Japanese with dgettext; English
	 * is their msgid. Nothing else in the collector is translated. */
	i18n_init("ja");
}

enum MHD_Result
dashboard_api(const struct coll_config *cfg, struct store *s, struct MHD_Connection *c,
    const char *url, const char *method, const char *body, size_t len, const char *addr)
{
	struct call k = { .cfg = cfg, .s = s, .c = c, .method = method, .body = body, .len = len,
	    .addr = addr, .now = clock_now() };
	enum MHD_Result answer;
	const char *p = url + strlen("/api/v1/");
	char seg[4][80];
	int nseg = 0;
	int64_t id = 0;
	struct mm_err e;

	if (s == NULL) {
		err_set(&e, "database_error", "no database handle");
		return storage_failed(&k, &e);
	}
	/* Split the path: at most 4 segments of printable ASCII. */
	while (*p != '\0' && nseg < 4) {
		size_t n = strcspn(p, "/");
		if (n == 0 || n >= sizeof(seg[0]))
			return not_found(&k, "API");
		memcpy(seg[nseg], p, n);
		seg[nseg++][n] = '\0';
		p += n;
		if (*p == '/')
			p++;
	}
	if (*p != '\0' || nseg == 0)
		return not_found(&k, "API");
	{
		static const char *const known[] = { "session", "password", "checks", "overview",
		    "facilities", "tokens", "devices", "export", "admins", "audit" };
		size_t i;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(seg[0], known[i]) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0])) {
			char u[80];
			logline_clean(u, sizeof(u), url);
			return refuse(&k, 404, "not_found", "no such API: %s", u);
		}
	}

	if (strcmp(seg[0], "session") == 0 && nseg == 1) {
		if (is(&k, "POST"))
			return login(&k);
		if (!is(&k, "GET") && !is(&k, "DELETE"))
			return wrong_method(&k, "GET, POST, DELETE");
		if (authenticate(&k, &answer) != 0)
			return answer;
		if (is(&k, "DELETE"))
			return logout(&k);
		return send_json(&k, 200, json_pack("{s:o, s:s, s:I}", "admin",
		    admin_json(&k.sess.admin, k.now), "csrf", k.sess.csrf, "idle_minutes",
		    (json_int_t)cfg->session_idle_minutes), NULL);
	}
	if (strcmp(seg[0], "password") == 0 && nseg == 1) {
		if (!is(&k, "POST"))
			return wrong_method(&k, "POST");
		if (authenticate(&k, &answer) != 0)
			return answer;
		return change_password(&k);
	}

	/* Everything else needs a session, and a password that has not expired. */
	if (authenticate(&k, &answer) != 0)
		return answer;
	if (password_expired(&k.sess.admin, k.now))
		return refuse(&k, 403, "password_expired", "the password is older than %d days or "
		    "was set by someone else: change it first (article 15-3)", PASSWORD_MAX_AGE_DAYS);

#define ONLY(m) do { if (!is(&k, m)) return wrong_method(&k, m); } while (0)
	if (strcmp(seg[0], "checks") == 0 && nseg == 1) {
		ONLY("GET");
		return send_json(&k, 200, json_pack("{s:o}", "checks", dash_checks()), NULL);
	}
	if (strcmp(seg[0], "overview") == 0 && nseg == 1) {
		ONLY("GET");
		return overview(&k);
	}
	if (strcmp(seg[0], "facilities") == 0) {
		if (nseg == 1) {
			if (is(&k, "POST"))
				return facility_add(&k);
			ONLY("GET");
			return facilities_list(&k);
		}
		if (parse_id(seg[1], &id) != 0)
			return not_found(&k, "facility");
		if (nseg == 2) {
			ONLY("GET");
			return facility_get(&k, id);
		}
		if (nseg == 3 && strcmp(seg[2], "tokens") == 0) {
			if (is(&k, "POST"))
				return token_create(&k, id);
			ONLY("GET");
			return tokens_list(&k, id);
		}
		return not_found(&k, "API");
	}
	if (strcmp(seg[0], "tokens") == 0 && nseg == 3 && strcmp(seg[2], "revoke") == 0) {
		ONLY("POST");
		if (parse_id(seg[1], &id) != 0)
			return not_found(&k, "token");
		return token_revoke(&k, id);
	}
	if (strcmp(seg[0], "devices") == 0 && nseg >= 2) {
		if (nseg == 2) {
			ONLY("GET");
			return device_get(&k, seg[1]);
		}
		if (nseg == 3 && strcmp(seg[2], "retire") == 0) {
			ONLY("POST");
			return device_retire(&k, seg[1]);
		}
		return not_found(&k, "API");
	}
	if (strcmp(seg[0], "export") == 0 && nseg == 2) {
		ONLY("GET");
		if (strcmp(seg[1], "current.csv") == 0)
			return export_csv(&k, 0);
		if (strcmp(seg[1], "history.csv") == 0)
			return export_csv(&k, 1);
		return not_found(&k, "export");
	}
	if (strcmp(seg[0], "admins") == 0 && nseg == 1) {
		if (is(&k, "POST"))
			return admin_add(&k);
		ONLY("GET");
		return admins_list(&k);
	}
	if (strcmp(seg[0], "audit") == 0 && nseg == 1) {
		ONLY("GET");
		return audit_list(&k);
	}
#undef ONLY
	return not_found(&k, "API");
}

/* --- static files ------------------------------------------------------- */

static const char *
content_type(const char *path)
{
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i][0]) == 0)
			return types[i][1];
	return NULL;
}

static enum MHD_Result
static_refuse(struct MHD_Connection *c, unsigned status, const char *msg)
{
	char *text = strdup(msg);

	if (text == NULL)
		return MHD_NO;
	return send_buf(c, status, text, strlen(text), "text/plain; charset=utf-8", NULL, NULL);
}

enum MHD_Result
dashboard_static(const struct coll_config *cfg, struct MHD_Connection *c, const char *url,
    const char *method)
{
	char path[CONFIG_PATH_MAX + 128];
	const char *rel = strcmp(url, "/") == 0 ? "/index.html" : url;
	const char *type = content_type(rel);
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return static_refuse(c, 405, "use GET\n");
	/* Names of letters, digits, - _ . and /, never "..": nothing outside
	 * the dashboard's folder can be named. */
	for (const char *p = rel; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '/'))
			type = NULL;
	if (type == NULL || strstr(rel, "..") != NULL || strstr(rel, "//") != NULL ||
	    strlen(rel) > 100)
		return static_refuse(c, 404, "not found\n");
	snprintf(path, sizeof(path), "%s%s", cfg->dashboard_dir, rel);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > STATIC_MAX ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL) {
		if (fd != -1)
			close(fd);
		else if (errno != ENOENT)
			logline("dashboard: cannot open %s: %s", path, strerror(errno));
		return static_refuse(c, 404, "not found\n");
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return send_buf(c, 200, buf, got, type, NULL, NULL);
}
