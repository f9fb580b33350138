/* pwquality: libpwquality's settings files and pam_cracklib's arguments,
 * and the floor they put under every accepted password; see pwquality.h.
 * The parsing follows libpwquality's src/settings.c and pam_cracklib's
 * _pam_parse line by line, because a reader that is "mostly" the same
 * would judge a different machine than the one that checks passwords. */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "platform/pwquality.h"
#include "platform/text.h"

#define CONF_MAIN	"/etc/security/pwquality.conf"
#define CONF_DIR	"/etc/security/pwquality.conf.d"
#define CONF_DIR_MAX	256

/* libpwquality reads with fgets into 1024 bytes: a line of 1023 bytes or
 * more (without its newline) does not fit and is "malformed". */
#define LINE_MAX_FIT	1022

/* libpwquality's hard floor for minlen (PWQ_BASE_MIN_LENGTH); pam_cracklib's
 * is 5 (CO_MIN_LENGTH_BASE). cracklib's own "too short" limit is 6 (a build
 * time constant, documented in pwquality.conf(5) under minlen). */
#define PWQ_BASE_MIN_LENGTH	6
#define CRACKLIB_MIN_LENGTH_BASE 5
#define CRACKLIB_DICT_FLOOR	6
#define NUM_CLASSES		4

enum setting_type { T_INT, T_STR, T_SET };

struct setting {
	const char *name;
	enum setting_type type;
	int *(*field)(struct pwquality *);
};

static int *f_minlen(struct pwquality *q) { return &q->minlen; }
static int *f_dcredit(struct pwquality *q) { return &q->dcredit; }
static int *f_ucredit(struct pwquality *q) { return &q->ucredit; }
static int *f_lcredit(struct pwquality *q) { return &q->lcredit; }
static int *f_ocredit(struct pwquality *q) { return &q->ocredit; }
static int *f_minclass(struct pwquality *q) { return &q->minclass; }
static int *f_dictcheck(struct pwquality *q) { return &q->dictcheck; }
static int *f_enforcing(struct pwquality *q) { return &q->enforcing; }

/* Every key the current libpwquality knows (s_map in settings.c). Keys
 * that do not matter here are still listed: an unknown key stops reading,
 * a known one does not. */
static const struct setting settings[] = {
	{ "difok", T_INT, NULL },
	{ "minlen", T_INT, f_minlen },
	{ "dcredit", T_INT, f_dcredit },
	{ "ucredit", T_INT, f_ucredit },
	{ "lcredit", T_INT, f_lcredit },
	{ "ocredit", T_INT, f_ocredit },
	{ "minclass", T_INT, f_minclass },
	{ "maxrepeat", T_INT, NULL },
	{ "maxclassrepeat", T_INT, NULL },
	{ "maxsequence", T_INT, NULL },
	{ "gecoscheck", T_INT, NULL },
	{ "dictcheck", T_INT, f_dictcheck },
	{ "usercheck", T_INT, NULL },
	{ "usersubstr", T_INT, NULL },
	{ "enforcing", T_INT, f_enforcing },
	{ "badwords", T_STR, NULL },
	{ "dictpath", T_STR, NULL },
	{ "retry", T_INT, NULL },
	{ "enforce_for_root", T_SET, NULL },
	{ "local_users_only", T_SET, NULL },
	{ "allowclasses", T_STR, NULL },
};

void
pwquality_defaults(struct pwquality *q)
{
	memset(q, 0, sizeof(*q));
	q->minlen = 8;
	q->dictcheck = 1;
	q->enforcing = 1;
}

void
pwquality_cracklib_defaults(struct pwquality *q)
{
	memset(q, 0, sizeof(*q));
	q->minlen = 9;
	q->dcredit = q->ucredit = q->lcredit = q->ocredit = 1;
	q->dictcheck = 1;
	q->enforcing = 1;
	q->cracklib = 1;
}

/* pwquality_set_int_value's clamps. */
static void
set_int(struct pwquality *q, const struct setting *s, int v)
{
	int *f;

	if (s->field == NULL)
		return;
	f = s->field(q);
	if (f == &q->minlen && v < PWQ_BASE_MIN_LENGTH)
		v = PWQ_BASE_MIN_LENGTH;
	if (f == &q->minclass && v > NUM_CLASSES)
		v = NUM_CLASSES;
	*f = v;
}

/* set_name_value: 0 applied, -1 refused (unknown name or not a number). */
static int
set_name_value(struct pwquality *q, const char *name, size_t namelen,
    const char *value, size_t valuelen)
{
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		const struct setting *s = &settings[i];
		long v;

		if (strlen(s->name) != namelen || strncasecmp(s->name, name, namelen) != 0)
			continue;
		switch (s->type) {
		case T_INT:
			/* strtol(value, &end, 10) with the whole value used and
			 * INT_MIN < v < INT_MAX, else PWQ_ERROR_INTEGER. */
			if (text_parse_long(value, valuelen, 1, &v) == -1 ||
			    v >= INT_MAX || v <= INT_MIN)
				return -1;
			set_int(q, s, (int)v);
			return 0;
		case T_STR:
		case T_SET:
			return 0;
		}
	}
	return -1;
}

int
pwquality_parse(const char *buf, size_t len, struct pwquality *q,
    size_t *stop_line, struct mm_err *e)
{
	size_t pos = 0, lineno = 0;

	*stop_line = 0;
	if (!text_is_clean(buf, len)) {
		/* Name the first line holding binary so the person can look. */
		size_t ln = 1;
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)buf[i];
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				break;
			if (c == '\n')
				ln++;
		}
		err_set(e, "parse_error",
		    "pwquality.conf line %zu holds binary data; it is not a settings file", ln);
		return -1;
	}
	while (pos < len) {
		const char *line = buf + pos, *nl, *p, *end, *name, *value;
		size_t ll, namelen;
		int eq = 0;

		lineno++;
		nl = memchr(line, '\n', len - pos);
		ll = nl ? (size_t)(nl - line) : len - pos;
		pos += ll + (nl ? 1 : 0);
		if (ll > LINE_MAX_FIT) {
			*stop_line = lineno;
			return 1;
		}
		end = memchr(line, '#', ll);
		if (end == NULL)
			end = line + ll;
		while (end > line && isspace((unsigned char)end[-1]))
			end--;
		for (p = line; p < end && isspace((unsigned char)*p); p++)
			;
		if (p == end)
			continue;
		name = p;
		while (p < end && !isspace((unsigned char)*p) && *p != '=')
			p++;
		namelen = (size_t)(p - name);
		if (p < end) {
			eq = *p == '=';
			p++;
		}
		/* At most one '=' among the spaces between name and value. */
		while (p < end) {
			if (*p != '=' || eq) {
				if (!isspace((unsigned char)*p))
					break;
			} else
				eq = 1;
			p++;
		}
		value = p;
		if (set_name_value(q, name, namelen, value, (size_t)(end - value)) == -1) {
			*stop_line = lineno;
			return 1;
		}
	}
	return 0;
}

/* libpwquality's filter_conf: the first ".conf" in the name ends it. */
static int
conf_name_ok(const char *name)
{
	const char *p = strstr(name, ".conf");

	return p != NULL && p[5] == '\0';
}

/* Reads and applies one file. 1: reading stopped in it; 0 read to the end
 * or absent; -1 error. */
static int
apply_file(const struct root *r, const char *path, struct pwquality *q,
    struct mm_err *e)
{
	enum file_status s;
	size_t len, stop;
	char *buf;
	int rc;

	s = root_read_file(r, path, ROOT_CAP_CONFIG, &buf, &len, e);
	if (s == FILE_ABSENT)
		return 0;
	if (s == FILE_BAD)
		return -1;
	rc = pwquality_parse(buf, len, q, &stop, e);
	free(buf);
	if (rc == -1) {
		char msg[sizeof(e->msg)];
		snprintf(msg, sizeof(msg), "%s", e->msg);
		err_set(e, "parse_error", "%s: %s", path, msg);
		return -1;
	}
	if (rc == 1) {
		snprintf(q->stop_path, sizeof(q->stop_path), "%s", path);
		q->stop_line = stop;
	}
	return rc;
}

enum file_status
pwquality_load(const struct root *r, struct pwquality *q, struct mm_err *e)
{
	enum file_status s;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	pwquality_defaults(q);
	s = root_list_dir(r, CONF_DIR, CONF_DIR_MAX, &names, &n, e);
	if (s == FILE_BAD)
		return FILE_BAD;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[512];

		if (!conf_name_ok(names[i]))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", CONF_DIR, names[i]) >=
		    (int)sizeof(path)) {
			err_set(e, "path_invalid", "%s/%s: name too long", CONF_DIR, names[i]);
			rc = -1;
			break;
		}
		rc = apply_file(r, path, q, e);
	}
	root_free_names(names, n);
	if (rc == -1)
		return FILE_BAD;
	/* A refused line in conf.d ends reading before the main file. */
	if (rc == 1)
		return FILE_OK;
	return apply_file(r, CONF_MAIN, q, e) == -1 ? FILE_BAD : FILE_OK;
}

int
pwquality_apply_arg(struct pwquality *q, const char *arg)
{
	/* Arguments pam_pwquality's _pam_parse takes for itself (by prefix)
	 * before handing the rest to pwquality_set_option. */
	static const char *const own[] = {
		"type=", "difignore=", "reject_username", "authtok_type",
		"use_authtok", "use_first_pass", "try_first_pass",
	};
	const char *eqp;
	size_t namelen;

	if (strcmp(arg, "debug") == 0)
		return 0;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strncmp(arg, own[i], strlen(own[i])) == 0)
			return 0;
	eqp = strchr(arg, '=');
	namelen = eqp ? (size_t)(eqp - arg) : strlen(arg);
	if (namelen > 79)
		return -1;
	eqp = eqp ? eqp + 1 : arg + namelen;
	return set_name_value(q, arg, namelen, eqp, strlen(eqp));
}

/* strtol(s, &ep, 10) stored into an int, as pam_cracklib does: leading
 * space and sign, then digits; nothing usable is 0; the long is narrowed
 * the way gcc and clang narrow it. */
static int
cracklib_strtol(const char *s)
{
	char *ep;
	long v = strtol(s, &ep, 10);

	return (int)(uint32_t)(unsigned long)v;
}

void
pwquality_cracklib_arg(struct pwquality *q, const char *arg)
{
	if (strncmp(arg, "minlen=", 7) == 0) {
		q->minlen = cracklib_strtol(arg + 7);
		if (q->minlen < CRACKLIB_MIN_LENGTH_BASE)
			q->minlen = CRACKLIB_MIN_LENGTH_BASE;
	} else if (strncmp(arg, "dcredit=", 8) == 0)
		q->dcredit = cracklib_strtol(arg + 8);
	else if (strncmp(arg, "ucredit=", 8) == 0)
		q->ucredit = cracklib_strtol(arg + 8);
	else if (strncmp(arg, "lcredit=", 8) == 0)
		q->lcredit = cracklib_strtol(arg + 8);
	else if (strncmp(arg, "ocredit=", 8) == 0)
		q->ocredit = cracklib_strtol(arg + 8);
	else if (strncmp(arg, "minclass=", 9) == 0) {
		q->minclass = cracklib_strtol(arg + 9);
		if (q->minclass > NUM_CLASSES)
			q->minclass = NUM_CLASSES;
	}
}

/* Keeps the arithmetic below far from overflow; nobody types 10^6. */
static long
clamp(long v)
{
	if (v > 1000000)
		return 1000000;
	if (v < -1000000)
		return -1000000;
	return v;
}

/*
 * The floor, following libpwquality's simple() and numclass():
 *
 * A password of L characters passes "simple" when L >= minlen - credits,
 * where each class with credit c > 0 earns min(count in class, c) and each
 * class with c < 0 must hold at least -c characters and earns nothing.
 * The shortest password therefore
 *   - holds N = sum(-c, c < 0) required characters that earn nothing,
 *   - reaches minclass K with as few extra characters as possible: the
 *     E = K - (classes with c < 0) missing classes come first from classes
 *     with c > 0 (those characters also earn credit), and only the
 *     Z = max(0, E - P) left over (P = classes with c > 0) cost a
 *     character that earns nothing,
 *   - puts every other character where it earns credit, up to S = sum of
 *     the positive credits.
 * With F = N + Z characters that earn nothing, L must satisfy
 *   L >= F + min(E, P)  and  L + min(L - F, S) >= minlen;
 * the least such L is ceil((minlen + F) / 2) when that leaves
 * L - F <= S, and minlen - S otherwise. The dictionary check (when on)
 * refuses anything under 6 characters, so that is a floor too.
 *
 * Digits and letters (pwquality counts classes with isdigit, isupper,
 * islower; anything else is "other"):
 *   - a digit is unavoidable iff dcredit < 0, or minclass = 4: a password
 *     without digits can still show upper, lower and other, i.e. 3 classes;
 *   - a letter is unavoidable iff lcredit < 0 or ucredit < 0, or
 *     minclass >= 3: without letters only digits and other remain, i.e.
 *     2 classes. minclass = 3 thus forces a letter but not a digit.
 * Negative credits in other classes never force a digit or a letter.
 */
void
pwquality_guarantee(const struct pwquality *q, struct pwquality_guarantee *g)
{
	const int c[NUM_CLASSES] = { q->dcredit, q->ucredit, q->lcredit, q->ocredit };
	long minlen = clamp(q->minlen), n_req = 0, s_pos = 0, lower, f, l;
	long k = q->minclass < 0 ? 0 : q->minclass > NUM_CLASSES ? NUM_CLASSES : q->minclass;
	long nc = 0, p = 0, e, z;

	for (int i = 0; i < NUM_CLASSES; i++) {
		long ci = clamp(c[i]);
		if (ci < 0) {
			n_req += -ci;
			nc++;
		} else if (ci > 0) {
			s_pos += ci;
			p++;
		}
	}
	e = k > nc ? k - nc : 0;
	z = e > p ? e - p : 0;
	f = n_req + z;
	lower = f + (e < p ? e : p);
	l = (minlen + f + 1) / 2;
	if (l - f > s_pos)
		l = minlen - s_pos;
	if (l < lower)
		l = lower;
	if (l < 1)
		l = 1;	/* pwquality refuses an empty password */
	if ((q->dictcheck || q->cracklib) && l < CRACKLIB_DICT_FLOOR)
		l = CRACKLIB_DICT_FLOOR;
	g->min_length = l;
	g->digits = q->dcredit < 0 || k >= 4;
	g->letters = q->lcredit < 0 || q->ucredit < 0 || k >= 3;
}
