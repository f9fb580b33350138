/* pam: PAM service files, stacks and their dispatch; see pam.h. Each part
 * mirrors the libpam code that does the same at run time (pam_line.c,
 * pam_misc.c, pam_handlers.c, pam_dispatch.c), so that what mamori
 * concludes is what libpam will do, not what the file seems to say. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include "platform/pam.h"
#include "platform/text.h"

#define ACT_UNDEF	(-6)	/* libpam's _PAM_ACTION_UNDEF: not yet set */
#define MAX_ENTRIES	4096
#define MAX_STATES	(1u << 17)

/* libpam's _pam_token_returns, in return-code order; "default" last. */
static const char *const ret_names[PAM_NRET + 1] = {
	"success", "open_err", "symbol_err", "service_err", "system_err",
	"buf_err", "perm_denied", "auth_err", "cred_insufficient",
	"authinfo_unavail", "user_unknown", "maxtries", "new_authtok_reqd",
	"acct_expired", "session_err", "cred_unavail", "cred_expired",
	"cred_err", "no_module_data", "conv_err", "authtok_err",
	"authtok_recover_err", "authtok_lock_busy", "authtok_disable_aging",
	"try_again", "ignore", "abort", "authtok_expired", "module_unknown",
	"bad_item", "conv_again", "incomplete", "default",
};

/* libpam's _pam_token_actions: index i is action -i. */
static const char *const act_names[6] = {
	"ignore", "ok", "done", "bad", "die", "reset",
};

/* ---- one file ---------------------------------------------------------- */

/* _pam_tokenize: whitespace-separated words, except that "[...]" is one
 * word (brackets stripped, "\]" kept as "]"). Works in place. */
static char *
tokenize(char *from, char **next)
{
	static const char delim[] = " \n\t";
	char *end;

	if (from == NULL && (from = *next) == NULL)
		return NULL;
	from += strspn(from, delim);
	if (*from == '[') {
		char *to;
		for (to = end = ++from; *end && *end != ']'; ++to, ++end) {
			if (*end == '\\' && end[1] == ']')
				++end;
			if (to != end)
				*to = *end;
		}
		if (to != end)
			*to = '\0';
	} else if (*from) {
		end = from + strcspn(from, delim);
	} else {
		*next = NULL;
		return NULL;
	}
	if (*end)
		*end++ = '\0';
	*next = *end ? end : NULL;
	return from;
}

static void
set_default(int *a, int act)
{
	for (int i = 0; i < PAM_NRET; i++)
		if (a[i] == ACT_UNDEF)
			a[i] = act;
}

/* _pam_parse_control: "value=action ..." with libpam's prefix matching.
 * Returns 0, or -1 when libpam would log a syntax error; then every
 * action is bad, as libpam sets it. */
static int
parse_control(int *a, const char *tok)
{
	while (*tok) {
		size_t len;
		int ret, act;

		while (isspace((unsigned char)*tok) && *++tok)
			;
		if (!*tok)
			break;
		for (ret = 0; ret <= PAM_NRET; ++ret) {
			len = strlen(ret_names[ret]);
			if (strncmp(ret_names[ret], tok, len) == 0)
				break;
		}
		if (ret > PAM_NRET || !*(tok += len))
			goto bad;
		while (isspace((unsigned char)*tok) && *++tok)
			;
		if (!*tok || *tok++ != '=')
			goto bad;
		while (isspace((unsigned char)*tok) && *++tok)
			;
		if (!*tok)
			goto bad;
		for (act = 0; act < 6; ++act) {
			len = strlen(act_names[act]);
			if (strncmp(act_names[act], tok, len) == 0) {
				act = -act;
				tok += len;
				break;
			}
		}
		if (act > 0) {
			if (!isdigit((unsigned char)*tok))
				goto bad;
			act = 0;
			do {
				int digit = *tok - '0';
				if (act > (int)(0x7fffffff / 10))
					goto bad;
				act *= 10;
				if (act > 0x7fffffff - digit)
					goto bad;
				act += digit;
			} while (*++tok && isdigit((unsigned char)*tok));
			if (act == 0)
				goto bad;
		}
		if (ret != PAM_NRET)
			a[ret] = act;
		else
			set_default(a, act);
	}
	set_default(a, PAM_ACT_BAD);
	return 0;
bad:
	for (int i = 0; i < PAM_NRET; i++)
		a[i] = PAM_ACT_BAD;
	return -1;
}

static void
keyword_actions(int *a, int ok, int fail, int ignore_is_ignore)
{
	for (int i = 0; i < PAM_NRET; i++)
		a[i] = ACT_UNDEF;
	a[PAM_RET_SUCCESS] = ok;
	a[12] = ok;	/* new_authtok_reqd */
	if (ignore_is_ignore)
		a[PAM_RET_IGNORE] = PAM_ACT_IGNORE;
	set_default(a, fail);
}

static void
free_line(struct pam_line *l)
{
	free(l->control);
	free(l->module);
	for (size_t i = 0; i < l->argc; i++)
		free(l->argv[i]);
	free(l->argv);
}

void
pam_file_free(struct pam_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		free_line(&f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* Splits one joined rule into a pam_line; s is modified. 0 or -1 (memory). */
static int
split_rule(char *s, size_t lineno, struct pam_line *l)
{
	char *next = NULL, *tok;

	memset(l, 0, sizeof(*l));
	l->lineno = lineno;
	tok = tokenize(s, &next);
	if (tok == NULL)
		return 0;
	if (strcmp(tok, "@include") == 0) {
		l->at_include = 1;	/* every type: the loader picks its own */
		l->ctl = PAM_CTL_INCLUDE;
		for (int i = 0; i < PAM_NRET; i++)
			l->actions[i] = PAM_ACT_BAD;
		tok = tokenize(NULL, &next);
		if (tok != NULL && (l->module = strdup(tok)) == NULL)
			return -1;
		return 0;
	}
	if (tok[0] == '-') {
		l->silent = 1;
		tok++;
	}
	if (strcasecmp(tok, "auth") == 0)
		l->type = PAM_TYPE_AUTH;
	else if (strcasecmp(tok, "account") == 0)
		l->type = PAM_TYPE_ACCOUNT;
	else if (strcasecmp(tok, "password") == 0)
		l->type = PAM_TYPE_PASSWORD;
	else if (strcasecmp(tok, "session") == 0)
		l->type = PAM_TYPE_SESSION;
	else
		l->type = PAM_TYPE_INVALID;

	tok = tokenize(NULL, &next);
	if (tok == NULL) {
		l->ctl = PAM_CTL_MISSING;
		for (int i = 0; i < PAM_NRET; i++)
			l->actions[i] = PAM_ACT_BAD;
		return 0;
	}
	if ((l->control = strdup(tok)) == NULL)
		return -1;
	if (strcasecmp(tok, "required") == 0)
		keyword_actions(l->actions, PAM_ACT_OK, PAM_ACT_BAD, 1);
	else if (strcasecmp(tok, "requisite") == 0)
		keyword_actions(l->actions, PAM_ACT_OK, PAM_ACT_DIE, 1);
	else if (strcasecmp(tok, "optional") == 0)
		keyword_actions(l->actions, PAM_ACT_OK, PAM_ACT_IGNORE, 0);
	else if (strcasecmp(tok, "sufficient") == 0)
		keyword_actions(l->actions, PAM_ACT_DONE, PAM_ACT_IGNORE, 0);
	else if (strcasecmp(tok, "include") == 0)
		l->ctl = PAM_CTL_INCLUDE;
	else if (strcasecmp(tok, "substack") == 0)
		l->ctl = PAM_CTL_SUBSTACK;
	else {
		for (int i = 0; i < PAM_NRET; i++)
			l->actions[i] = ACT_UNDEF;
		l->control_error = parse_control(l->actions, tok) == -1;
	}
	if (l->ctl == PAM_CTL_INCLUDE || l->ctl == PAM_CTL_SUBSTACK)
		for (int i = 0; i < PAM_NRET; i++)
			l->actions[i] = PAM_ACT_BAD;	/* used only if the include fails */

	tok = tokenize(NULL, &next);
	if (tok == NULL)
		return 0;
	if ((l->module = strdup(tok)) == NULL)
		return -1;
	while ((tok = tokenize(NULL, &next)) != NULL) {
		char **nv = realloc(l->argv, (l->argc + 1) * sizeof(*nv));
		if (nv == NULL)
			return -1;
		l->argv = nv;
		if ((l->argv[l->argc] = strdup(tok)) == NULL)
			return -1;
		l->argc++;
	}
	return 0;
}

static int
add_line(struct pam_file *f, size_t *cap, char *rule, size_t lineno)
{
	if (f->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct pam_line *nv = realloc(f->v, nc * sizeof(*nv));
		if (nv == NULL)
			return -1;
		f->v = nv;
		*cap = nc;
	}
	if (split_rule(rule, lineno, &f->v[f->n]) == -1) {
		free_line(&f->v[f->n]);
		return -1;
	}
	f->n++;
	return 0;
}

/*
 * Rules are joined from physical lines as _pam_line_assemble does: a line
 * whose last non-blank character is a backslash continues on the next
 * (the backslash becomes a space) unless the line holds a '#'; a '#' ends
 * the rule's text; leading blanks go. A file that ends inside a
 * continuation is refused by libpam, and so here.
 */
int
pam_parse(const char *buf, size_t len, struct pam_file *out, struct mm_err *e)
{
	size_t pos = 0, lineno = 0, cap = 0, acap = 0, alen = 0, rule_line = 0;
	char *acc = NULL;
	int pending = 0;

	memset(out, 0, sizeof(*out));
	while (pos < len) {
		const char *line = buf + pos, *nl, *s, *end, *bs = NULL, *hash;
		size_t ll, n;
		int eol;

		lineno++;
		nl = memchr(line, '\n', len - pos);
		ll = nl ? (size_t)(nl - line) + 1 : len - pos;
		pos += ll;
		if (!text_is_clean(line, ll)) {
			free(acc);
			pam_file_free(out);
			err_set(e, "parse_error",
			    "line %zu holds binary data; it is not a PAM configuration file",
			    lineno);
			return -1;
		}
		/* _pam_str_unescnl: a backslash before the trailing blanks and
		 * newline continues the rule; it becomes a space and ends the text. */
		end = line + ll;
		while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
			end--;
		if (end > line && end[-1] == '\\')
			bs = end - 1;
		else
			end = line + ll;
		hash = memchr(line, '#', (size_t)(end - line));
		eol = bs == NULL || hash != NULL;
		/* _pam_str_trim: leading blanks go (the backslash counts as the
		 * space it became); '#' ends the text. */
		s = line;
		while (s < end && (*s == ' ' || *s == '\t' || s == bs))
			s++;
		if (hash != NULL)
			end = hash;
		n = end > s ? (size_t)(end - s) : 0;
		/* _pam_line_buffer_add_eol: a rule does not start with a newline. */
		if (n > 0 && (alen > 0 || !(eol && *s == '\n'))) {
			if (alen + n + 1 > acap) {
				size_t nc = (alen + n + 1) * 2;
				char *na = realloc(acc, nc);
				if (na == NULL)
					goto oom;
				acc = na;
				acap = nc;
			}
			if (alen == 0)
				rule_line = lineno;
			memcpy(acc + alen, s, n);
			if (bs != NULL && bs >= s && bs < end)
				acc[alen + (size_t)(bs - s)] = ' ';
			alen += n;
			acc[alen] = '\0';
		}
		pending = !eol;
		if (eol && alen > 0) {
			if (add_line(out, &cap, acc, rule_line) == -1)
				goto oom;
			alen = 0;
		}
	}
	free(acc);
	if (pending) {
		pam_file_free(out);
		err_set(e, "parse_error",
		    "line %zu ends with a backslash but the file ends there", lineno);
		return -1;
	}
	return 0;
oom:
	free(acc);
	pam_file_free(out);
	err_set(e, "out_of_memory", "out of memory reading a PAM file");
	return -1;
}

/* ---- a stack ------------------------------------------------------------ */

struct loader {
	const struct root *r;
	struct pam_stack *s;
	enum pam_type type;
	const char *chain[PAM_MAX_DEPTH + 2];
	size_t depth;
	struct mm_err *e;
};

/* libpam's extract_modulename: the base name without its last extension. */
static char *
module_name(const char *path)
{
	const char *p = strrchr(path, '/');
	char *n, *dot;

	n = strdup(p ? p + 1 : path);
	if (n == NULL)
		return NULL;
	if ((dot = strrchr(n, '.')) != NULL)
		*dot = '\0';
	return n;
}

static int
oom(struct loader *L)
{
	err_set(L->e, "out_of_memory", "out of memory loading the PAM stack");
	return -1;
}

static int
add_entry(struct loader *L, enum pam_entry_kind kind, int level,
    const struct pam_line *l, size_t file)
{
	struct pam_stack *s = L->s;
	struct pam_entry *en;

	if (s->n >= MAX_ENTRIES) {
		err_set(L->e, "stack_too_complex",
		    "%s: the PAM stack has more than %d rules", s->files[0], MAX_ENTRIES);
		return -1;
	}
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		struct pam_entry *nv = realloc(s->v, nc * sizeof(*nv));
		if (nv == NULL)
			return oom(L);
		s->v = nv;
		s->cap = nc;
	}
	en = &s->v[s->n];
	memset(en, 0, sizeof(*en));
	en->kind = kind;
	en->level = level;
	en->file = file;
	en->lineno = l->lineno;
	en->silent = l->silent;
	memcpy(en->actions, l->actions, sizeof(en->actions));
	s->n++;
	if (kind == PAM_ENTRY_MUST_FAIL || l->module == NULL)
		return 0;
	if ((en->module = module_name(l->module)) == NULL)
		return oom(L);
	/* libpam refuses an empty name or "?"; the rule cannot load. */
	if (en->module[0] == '\0' || strcmp(en->module, "?") == 0) {
		free(en->module);
		en->module = NULL;
		en->kind = PAM_ENTRY_MUST_FAIL;
		return 0;
	}
	if (kind == PAM_ENTRY_SUBSTACK)
		return 0;
	if (l->argc > 0 && (en->argv = calloc(l->argc, sizeof(char *))) == NULL)
		return oom(L);
	for (size_t i = 0; i < l->argc; i++) {
		if ((en->argv[i] = strdup(l->argv[i])) == NULL)
			return oom(L);
		en->argc++;
	}
	return 0;
}

static int
add_must_fail(struct loader *L, int level, const struct pam_line *l, size_t file)
{
	struct pam_line bad = *l;

	for (int i = 0; i < PAM_NRET; i++)
		bad.actions[i] = PAM_ACT_BAD;
	return add_entry(L, PAM_ENTRY_MUST_FAIL, level, &bad, file);
}

static int
note_file(struct loader *L, const char *path, size_t *idx)
{
	struct pam_stack *s = L->s;
	char **nv;

	for (size_t i = 0; i < s->nfiles; i++)
		if (strcmp(s->files[i], path) == 0) {
			*idx = i;
			return 0;
		}
	nv = realloc(s->files, (s->nfiles + 1) * sizeof(*nv));
	if (nv == NULL)
		return oom(L);
	s->files = nv;
	if ((s->files[s->nfiles] = strdup(path)) == NULL)
		return oom(L);
	*idx = s->nfiles++;
	return 0;
}

/* Reads a PAM file by libpam's lookup: an absolute name as it is, else
 * /etc/pam.d/NAME, else /usr/lib/pam.d/NAME. */
static enum file_status
read_named(struct loader *L, const char *name, char *path, size_t pathlen,
    char **buf, size_t *len)
{
	static const char *const dirs[] = { "/etc/pam.d/", "/usr/lib/pam.d/" };
	enum file_status st = FILE_ABSENT;

	if (name[0] == '/') {
		if (strlen(name) >= pathlen) {
			err_set(L->e, "path_invalid", "PAM include name too long");
			return FILE_BAD;
		}
		strcpy(path, name);
		return root_read_file(L->r, path, ROOT_CAP_CONFIG, buf, len, L->e);
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (strlen(dirs[i]) + strlen(name) >= pathlen) {
			err_set(L->e, "path_invalid", "PAM include name too long");
			return FILE_BAD;
		}
		strcpy(path, dirs[i]);
		strcat(path, name);
		st = root_read_file(L->r, path, ROOT_CAP_CONFIG, buf, len, L->e);
		if (st != FILE_ABSENT)
			return st;
	}
	/* Name the first place looked in what follows. */
	strcpy(path, dirs[0]);
	strcat(path, name);
	return FILE_ABSENT;
}

static int load_rules(struct loader *L, const char *path, const char *buf,
    size_t len, int level, int top);

/* An include or substack of name at level (substack rules one deeper, the
 * caller adds the marker). On a missing file, a failing rule, as libpam. */
static int
include(struct loader *L, const char *name, int level, const struct pam_line *l,
    size_t file, int fail_level)
{
	char path[4096], *buf;
	size_t len;
	enum file_status st;
	int rc;

	if (name == NULL)
		return add_must_fail(L, fail_level, l, file);
	if (L->depth + 1 > PAM_MAX_DEPTH) {
		err_set(L->e, "include_loop",
		    "%s line %zu: includes nest deeper than %d files (a loop?)",
		    L->s->files[file], l->lineno, PAM_MAX_DEPTH);
		return -1;
	}
	st = read_named(L, name, path, sizeof(path), &buf, &len);
	if (st == FILE_BAD) {
		size_t ignored;
		struct mm_err keep = *L->e;
		(void)note_file(L, path, &ignored);	/* name it among the files */
		*L->e = keep;
		return -1;
	}
	if (st == FILE_ABSENT)
		return add_must_fail(L, fail_level, l, file);
	for (size_t i = 0; i < L->depth; i++)
		if (strcmp(L->chain[i], path) == 0) {
			free(buf);
			err_set(L->e, "include_loop",
			    "%s line %zu includes %s, which includes it back",
			    L->s->files[file], l->lineno, path);
			return -1;
		}
	rc = load_rules(L, path, buf, len, level, 0);
	free(buf);
	return rc;
}

static int
load_rules(struct loader *L, const char *path, const char *buf, size_t len,
    int level, int top)
{
	struct pam_file f;
	size_t file;
	int rc = 0;

	if (note_file(L, path, &file) == -1)
		return -1;
	if (pam_parse(buf, len, &f, L->e) == -1) {
		char msg[sizeof(L->e->msg)];
		snprintf(msg, sizeof(msg), "%s", L->e->msg);
		err_set(L->e, L->e->reason, "%s: %s", path, msg);
		return -1;
	}
	L->chain[L->depth++] = L->s->files[file];
	for (size_t i = 0; i < f.n && rc == 0; i++) {
		const struct pam_line *l = &f.v[i];
		enum pam_type t = l->type;

		/* libpam files a rule of an unknown type under the type it was
		 * asked for (auth at the top), to fail when it runs. */
		if (l->at_include) {
			rc = include(L, l->module, level, l, file, level);
			continue;
		}
		if (t == PAM_TYPE_INVALID) {
			if (top)
				continue;
			rc = add_must_fail(L, level, l, file);
			continue;
		}
		if (t != L->type)
			continue;
		if (l->ctl == PAM_CTL_INCLUDE)
			rc = include(L, l->module, level, l, file, level);
		else if (l->ctl == PAM_CTL_SUBSTACK) {
			rc = add_entry(L, PAM_ENTRY_SUBSTACK, level, l, file);
			if (rc == 0)
				rc = include(L, l->module, level + 1, l, file, level);
		} else if (l->ctl == PAM_CTL_MISSING || l->module == NULL)
			rc = add_entry(L, PAM_ENTRY_MUST_FAIL, level, l, file);
		else
			rc = add_entry(L, PAM_ENTRY_MODULE, level, l, file);
	}
	L->depth--;
	pam_file_free(&f);
	return rc;
}

enum file_status
pam_stack_load(const struct root *r, const char *service, enum pam_type type,
    struct pam_stack *s, struct mm_err *e)
{
	struct loader L;
	char path[4096], *buf;
	size_t len;
	enum file_status st;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(&L, 0, sizeof(L));
	L.r = r;
	L.s = s;
	L.type = type;
	L.e = e;
	if (strchr(service, '/') != NULL || service[0] == '\0') {
		err_set(e, "path_invalid", "PAM service name \"%s\" is not a name", service);
		return FILE_BAD;
	}
	st = read_named(&L, service, path, sizeof(path), &buf, &len);
	if (st != FILE_OK)
		return st;
	rc = load_rules(&L, path, buf, len, 0, 1);
	free(buf);
	if (rc == -1) {
		/* Keep the files met so far: the caller may want to know which
		 * files this stack touches even when one of them is bad. */
		char **files = s->files;
		size_t nfiles = s->nfiles;
		s->files = NULL;
		s->nfiles = 0;
		pam_stack_free(s);
		s->files = files;
		s->nfiles = nfiles;
		return FILE_BAD;
	}
	return FILE_OK;
}

void
pam_stack_free(struct pam_stack *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].module);
		for (size_t j = 0; j < s->v[i].argc; j++)
			free(s->v[i].argv[j]);
		free(s->v[i].argv);
	}
	free(s->v);
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	memset(s, 0, sizeof(*s));
}

/* ---- roles and arguments ------------------------------------------------ */

int
pam_entry_has_arg(const struct pam_entry *en, const char *arg)
{
	for (size_t i = 0; i < en->argc; i++)
		if (strcmp(en->argv[i], arg) == 0)
			return 1;
	return 0;
}

const char *
pam_entry_arg(const struct pam_entry *en, const char *name)
{
	size_t nl = strlen(name);
	const char *v = NULL;

	for (size_t i = 0; i < en->argc; i++)
		if (strncmp(en->argv[i], name, nl) == 0 && en->argv[i][nl] == '=')
			v = en->argv[i] + nl + 1;
	return v;
}

enum pam_role
pam_role_of(const struct pam_entry *en)
{
	/* Modules that run in a password stack without asking for, changing
	 * or storing the new password. */
	static const char *const neutral[] = {
		"pam_deny", "pam_permit", "pam_warn", "pam_echo", "pam_debug",
		"pam_gnome_keyring", "pam_kwallet", "pam_kwallet5",
		"pam_ecryptfs", "pam_systemd", "pam_env", "pam_faildelay",
		"pam_succeed_if", "pam_localuser", "pam_listfile",
	};
	/* Modules that use pam_get_authtok: they ask for a new password when
	 * none is set yet, but do not store it or judge its quality here. */
	static const char *const prompter[] = {
		"pam_pwhistory", "pam_passwdqc",
	};

	if (en->kind != PAM_ENTRY_MODULE || en->module == NULL)
		return PAM_ROLE_NEUTRAL;
	if (strcmp(en->module, "pam_pwquality") == 0 || strcmp(en->module, "pam_cracklib") == 0)
		return PAM_ROLE_CHECKER;
	for (size_t i = 0; i < sizeof(neutral) / sizeof(neutral[0]); i++)
		if (strcmp(en->module, neutral[i]) == 0)
			return PAM_ROLE_NEUTRAL;
	for (size_t i = 0; i < sizeof(prompter) / sizeof(prompter[0]); i++)
		if (strcmp(en->module, prompter[i]) == 0)
			return PAM_ROLE_PROMPTER;
	/* pam_unix, pam_sss, pam_ldap, pam_winbind, pam_krb5, pam_systemd_home
	 * store it; a module not known here is assumed to, which can only make
	 * the verdict stricter. */
	return PAM_ROLE_WRITER;
}

/* ---- the walk ----------------------------------------------------------- */

enum { IMP_UNDEF = 0, IMP_POS = 1, IMP_NEG = 2 };
enum { TOK_FRESH = 0, TOK_TRY, TOK_REQUIRE };

/* One point in libpam's dispatch loop. Laid out without padding so that
 * states compare and hash as bytes. */
struct wstate {
	uint32_t pos;		/* next entry */
	uint32_t mask;		/* checkers the current new password passed */
	uint8_t prev_level;
	uint8_t imp;		/* impression */
	uint8_t ss;		/* status is PAM_SUCCESS */
	uint8_t tok;		/* a new password is set (PAM_AUTHTOK) */
	uint8_t sub[PAM_MAX_DEPTH + 4];	/* saved imp | ss << 2 per level */
};

struct seen {
	struct wstate *v;
	unsigned char *used;
	size_t cap, n;
};

static uint64_t
state_hash(const struct wstate *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < sizeof(*s); i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Inserts s; 1 if new, 0 if seen, -1 on no memory. */
static int
seen_add(struct seen *t, const struct wstate *s)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap) {
		struct seen nt;
		nt.cap = t->cap ? t->cap * 2 : 256;
		nt.n = 0;
		nt.v = malloc(nt.cap * sizeof(*nt.v));
		nt.used = calloc(nt.cap, 1);
		if (nt.v == NULL || nt.used == NULL) {
			free(nt.v);
			free(nt.used);
			return -1;
		}
		for (size_t k = 0; k < t->cap; k++)
			if (t->used[k]) {
				i = state_hash(&t->v[k]) & (nt.cap - 1);
				while (nt.used[i])
					i = (i + 1) & (nt.cap - 1);
				nt.v[i] = t->v[k];
				nt.used[i] = 1;
				nt.n++;
			}
		free(t->v);
		free(t->used);
		*t = nt;
	}
	i = state_hash(s) & (t->cap - 1);
	while (t->used[i]) {
		if (memcmp(&t->v[i], s, sizeof(*s)) == 0)
			return 0;
		i = (i + 1) & (t->cap - 1);
	}
	t->v[i] = *s;
	t->used[i] = 1;
	t->n++;
	return 1;
}

static int
tok_mode(const struct pam_entry *en)
{
	if (pam_entry_has_arg(en, "use_authtok") || pam_entry_has_arg(en, "use_first_pass"))
		return TOK_REQUIRE;
	if (pam_entry_has_arg(en, "try_first_pass"))
		return TOK_TRY;
	/* pam_systemd_home takes the new password with pam_get_authtok, which
	 * returns one already set (Fedora and RHEL put it between
	 * pam_pwquality and pam_unix without use_authtok). Any other writer
	 * is taken to ask anew, as pam_unix does. */
	if (en->module != NULL && strcmp(en->module, "pam_systemd_home") == 0)
		return TOK_TRY;
	return TOK_FRESH;
}

struct walker {
	const struct pam_stack *s;
	const enum pam_role *roles;
	struct pam_walk *out;
	size_t wcap;
	struct seen seen;
	struct wstate *todo;
	size_t ntodo, todocap;
	int bit[MAX_ENTRIES];
	int too_complex;
	struct mm_err *e;
};

static int
push(struct walker *W, const struct wstate *s)
{
	int rc = seen_add(&W->seen, s);

	if (rc <= 0)
		return rc;
	if (W->seen.n > MAX_STATES) {
		W->too_complex = 1;
		err_set(W->e, "stack_too_complex",
		    "%s: the PAM stack has too many paths to follow", W->s->files[0]);
		return -1;
	}
	if (W->ntodo == W->todocap) {
		size_t nc = W->todocap ? W->todocap * 2 : 64;
		struct wstate *nv = realloc(W->todo, nc * sizeof(*nv));
		if (nv == NULL)
			return -1;
		W->todo = nv;
		W->todocap = nc;
	}
	W->todo[W->ntodo++] = *s;
	return 0;
}

static int
record_write(struct walker *W, size_t writer, uint32_t mask)
{
	struct pam_walk *o = W->out;

	for (size_t i = 0; i < o->n; i++)
		if (o->w[i].writer == writer && o->w[i].checked == mask)
			return 0;
	if (o->n == W->wcap) {
		size_t nc = W->wcap ? W->wcap * 2 : 8;
		struct pam_write *nv = realloc(o->w, nc * sizeof(*nv));
		if (nv == NULL)
			return -1;
		o->w = nv;
		W->wcap = nc;
	}
	o->w[o->n].writer = writer;
	o->w[o->n].checked = mask;
	o->n++;
	return 0;
}

/* Moves past the rest of level L from pos (libpam's decision_made). */
static size_t
skip_level(const struct pam_stack *s, size_t pos, int L)
{
	while (pos + 1 < s->n && s->v[pos + 1].level >= L)
		pos++;
	return pos + 1;
}

/* One return code c with action a from state st at entry pos: the next
 * state, as _pam_dispatch_aux computes it (no frozen chain: chauthtok's
 * update pass is not frozen in current libpam). */
static void
step(const struct pam_stack *s, const struct wstate *st, size_t pos, int c, int a,
    struct wstate *ns)
{
	int L = s->v[pos].level;
	size_t next = pos + 1;

	*ns = *st;
	switch (a) {
	case PAM_ACT_RESET:
		ns->imp = st->sub[L] & 3;
		ns->ss = (uint8_t)(st->sub[L] >> 2);
		break;
	case PAM_ACT_OK:
	case PAM_ACT_DONE:
		if (ns->imp == IMP_UNDEF || (ns->imp == IMP_POS && ns->ss)) {
			ns->imp = IMP_POS;
			ns->ss = c == PAM_RET_SUCCESS;
		}
		if (ns->imp == IMP_POS && a == PAM_ACT_DONE)
			next = skip_level(s, pos, L);
		break;
	case PAM_ACT_IGNORE:
		break;
	default:
		if (a > 0) {
			size_t q = pos;
			long k = a;
			while (q + 1 < s->n && s->v[q + 1].level >= L && k > 0) {
				do
					q++;
				while (q + 1 < s->n && s->v[q + 1].level > L);
				k--;
			}
			if (k) {	/* jumped past the end: libpam fails the stack */
				ns->imp = IMP_NEG;
				ns->ss = 0;
			}
			next = q + 1;
			break;
		}
		/* PAM_ACT_BAD, PAM_ACT_DIE (and anything unset, as bad) */
		if (ns->imp != IMP_NEG) {
			ns->imp = IMP_NEG;
			ns->ss = c == PAM_RET_SUCCESS;
		}
		if (a == PAM_ACT_DIE)
			next = skip_level(s, pos, L);
		break;
	}
	ns->prev_level = (uint8_t)L;
	ns->pos = (uint32_t)next;
}

/* Pushes the successors for each code in codes (n of them), deduplicated
 * by what libpam does with them. */
static int
branch(struct walker *W, const struct wstate *st, size_t pos, const int *codes,
    size_t n, int tok, uint32_t mask)
{
	const struct pam_entry *en = &W->s->v[pos];
	int done_a[PAM_NRET], done_k[PAM_NRET];
	size_t nd = 0;

	for (size_t i = 0; i < n; i++) {
		int c = codes[i], a = en->actions[c];
		int kind = (c == PAM_RET_SUCCESS) * 2 + (c == PAM_RET_IGNORE);
		struct wstate ns;
		size_t k;

		for (k = 0; k < nd && (done_a[k] != a || done_k[k] != kind); k++)
			;
		if (k < nd)
			continue;
		done_a[nd] = a;
		done_k[nd++] = kind;
		step(W->s, st, pos, c, a, &ns);
		ns.tok = (uint8_t)tok;
		ns.mask = tok ? mask : 0;
		if (push(W, &ns) == -1)
			return -1;
	}
	return 0;
}

static const int all_codes[PAM_NRET] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
};
/* What pam_pwquality and pam_cracklib return on a password they refuse
 * (authtok_err; maxtries after retry= tries) or when they cannot work. */
static const int reject_codes[] = {
	PAM_RET_AUTHTOK_ERR, PAM_RET_MAXTRIES, PAM_RET_SERVICE_ERR, PAM_RET_BUF_ERR,
};

static int
visit(struct walker *W, struct wstate st)
{
	const struct pam_stack *s = W->s;
	const struct pam_entry *en = &s->v[st.pos];
	size_t pos = st.pos;
	int L = en->level, mode;
	static const int deny[] = { PAM_RET_AUTHTOK_ERR }, permit[] = { PAM_RET_SUCCESS },
	    must_fail[] = { PAM_RET_PERM_DENIED };

	if (st.prev_level < L)
		st.sub[L] = (uint8_t)(st.imp | st.ss << 2);
	if (en->kind == PAM_ENTRY_SUBSTACK) {
		st.prev_level = (uint8_t)L;
		st.pos++;
		return push(W, &st);
	}
	if (en->kind == PAM_ENTRY_MUST_FAIL)
		return branch(W, &st, pos, must_fail, 1, st.tok, st.mask);
	mode = tok_mode(en);
	switch (W->roles[pos]) {
	case PAM_ROLE_NEUTRAL:
		if (en->module && strcmp(en->module, "pam_deny") == 0)
			return branch(W, &st, pos, deny, 1, st.tok, st.mask);
		if (en->module && strcmp(en->module, "pam_permit") == 0)
			return branch(W, &st, pos, permit, 1, st.tok, st.mask);
		return branch(W, &st, pos, all_codes, PAM_NRET, st.tok, st.mask);
	case PAM_ROLE_PROMPTER:
		/* pam_get_authtok returns a set password, else asks anew. */
		if (st.tok)
			return branch(W, &st, pos, all_codes, PAM_NRET, 1, st.mask);
		return branch(W, &st, pos, all_codes, PAM_NRET, mode != TOK_REQUIRE, 0);
	case PAM_ROLE_CHECKER: {
		uint32_t b = (uint32_t)1 << W->bit[pos];
		size_t nrej = sizeof(reject_codes) / sizeof(reject_codes[0]);

		/* A refused password is unset (pam_set_item(PAM_AUTHTOK, NULL)). */
		if (branch(W, &st, pos, reject_codes, nrej, 0, 0) == -1)
			return -1;
		if (!st.tok && mode == TOK_REQUIRE)
			return 0;
		return branch(W, &st, pos, permit, 1, 1, (st.tok ? st.mask : 0) | b);
	}
	case PAM_ROLE_WRITER:
	default:
		/* pam_unix's _unix_read_password: use_authtok/use_first_pass
		 * take the set password or fail; try_first_pass takes it if set;
		 * otherwise it asks anew, unchecked. */
		if (st.tok && mode != TOK_FRESH) {
			if (record_write(W, pos, st.mask) == -1)
				return -1;
			return branch(W, &st, pos, all_codes, PAM_NRET, 1, st.mask);
		}
		if (mode == TOK_REQUIRE)
			return branch(W, &st, pos, all_codes, PAM_NRET, st.tok, st.mask);
		if (record_write(W, pos, 0) == -1)
			return -1;
		return branch(W, &st, pos, all_codes, PAM_NRET, 1, 0);
	}
}

int
pam_walk(const struct pam_stack *s, const enum pam_role *roles,
    struct pam_walk *out, struct mm_err *e)
{
	struct walker *W;
	struct wstate st;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if ((W = calloc(1, sizeof(*W))) == NULL) {
		err_set(e, "out_of_memory", "out of memory following the PAM stack");
		return -1;
	}
	W->s = s;
	W->roles = roles;
	W->out = out;
	W->e = e;
	if (s->n > MAX_ENTRIES) {
		err_set(e, "stack_too_complex", "the PAM stack has more than %d rules",
		    MAX_ENTRIES);
		rc = -1;
		goto done;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (roles[i] != PAM_ROLE_CHECKER || s->v[i].kind != PAM_ENTRY_MODULE)
			continue;
		if (out->ncheckers == PAM_MAX_CHECKERS) {
			err_set(e, "stack_too_complex",
			    "%s: the PAM stack has more than %d password checks",
			    s->nfiles ? s->files[0] : "PAM", PAM_MAX_CHECKERS);
			rc = -1;
			goto done;
		}
		W->bit[i] = (int)out->ncheckers;
		out->checker[out->ncheckers++] = i;
	}
	memset(&st, 0, sizeof(st));
	if (s->n > 0 && (rc = push(W, &st)) == -1)
		goto nomem;
	while (W->ntodo > 0) {
		st = W->todo[--W->ntodo];
		if (st.pos >= s->n)
			continue;
		if ((rc = visit(W, st)) == -1)
			goto nomem;
	}
	goto done;
nomem:
	if (!W->too_complex)
		err_set(e, "out_of_memory", "out of memory following the PAM stack");
done:
	free(W->seen.v);
	free(W->seen.used);
	free(W->todo);
	free(W);
	if (rc == -1)
		pam_walk_free(out);
	return rc;
}

void
pam_walk_free(struct pam_walk *w)
{
	free(w->w);
	memset(w, 0, sizeof(*w));
}
