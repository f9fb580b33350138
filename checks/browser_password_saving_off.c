/* browser.password_saving_off (article 16-4): no browser profile offers to
 * remember passwords. The setting is what the browser itself would use,
 * each source in the browser's own order of precedence:
 * - Chromium family: a managed policy (PasswordManagerEnabled), else the
 *   profile's Preferences (credentials_enable_service), else a
 *   recommended policy, else on.
 * - Firefox, for signon.rememberSignons: a policy that locks it
 *   (PasswordManagerEnabled or OfferToSaveLogins), else a default locked
 *   by the installation's pref files or autoconfig, else the profile's
 *   user.js / prefs.js, else a default from policy
 *   (OfferToSaveLoginsDefault) or from the installation, else on.
 * A source that exists but cannot be read makes the answer unknown, but
 * only if it could change it: a locking policy decides without the rest. */
#include <stdlib.h>
#include <string.h>
#include "checks/check.h"
#include "common/utf8.h"
#include "platform/browsers.h"
#include "platform/chromium_prefs.h"
#include "platform/prefsjs.h"

#define MAX_POLICY_FILES 256
#define PREFS_JS_CAP (16u << 20)	/* prefs.js grows with use, like Preferences */

static const struct check_msg msgs[] = {
	{ "saving_on_default", N_("The {product} profile “{profile}” offers to save passwords: that is the browser's default and nothing turns it off.") },
	{ "saving_on_user", N_("The {product} profile “{profile}” offers to save passwords: its own settings turn saving on.") },
	{ "saving_on_system", N_("The {product} profile “{profile}” offers to save passwords: this machine's browser settings turn saving on.") },
	{ "no_browser", N_("No supported web browser (Chrome, Chromium, Edge, Brave, Firefox) is installed.") },
	{ "no_browser_profiles", N_("No one on this machine has used a web browser yet.") },
	{ "profile_outside_home", N_("Firefox's profiles.ini names a profile outside the person's home folder; mamori does not read it. ({detail})") },
	{ "turn_off_chrome", N_("In Google Chrome open the menu ⋮ → Passwords and autofill → Google Password Manager → Settings and turn off “Offer to save passwords and passkeys”. An administrator can enforce this for everyone: put {\"PasswordManagerEnabled\": false} into {policy_dir}/managed/mamori.json.") },
	{ "turn_off_chromium", N_("In Chromium open the menu ⋮ → Settings → Autofill and passwords → Password Manager → Settings and turn off “Offer to save passwords”. An administrator can enforce this for everyone: put {\"PasswordManagerEnabled\": false} into {policy_dir}/managed/mamori.json.") },
	{ "turn_off_edge", N_("In Microsoft Edge open Settings → Profiles → Passwords and turn off “Offer to save passwords”. An administrator can enforce this for everyone: put {\"PasswordManagerEnabled\": false} into {policy_dir}/managed/mamori.json.") },
	{ "turn_off_brave", N_("In Brave open the menu ≡ → Settings → Autofill and passwords → Password Manager → Settings and turn off “Offer to save passwords”. An administrator can enforce this for everyone: put {\"PasswordManagerEnabled\": false} into {policy_dir}/managed/mamori.json.") },
	{ "turn_off_firefox", N_("In Firefox open Settings → Privacy & Security → Passwords (“Logins and Passwords” in older versions) and untick “Ask to save passwords”. An administrator can enforce this for everyone with {\"policies\": {\"PasswordManagerEnabled\": false}} in {policy_file}.") },
	{ NULL, NULL },
};

/* What one source or the whole evaluation says. */
struct answer {
	int saving;		/* 1 on, 0 off, -1 unknown */
	const char *source;	/* "policy", "preference", "default", … */
	const char *on_reason;	/* the reason key when saving is on */
	struct mm_err err;	/* when unknown */
};

static void
set_answer(struct answer *a, int saving, const char *source, const char *on_reason)
{
	a->saving = saving;
	a->source = source;
	a->on_reason = on_reason;
}

static char *
join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p = malloc(la + lb + 2);

	if (p == NULL)
		abort();	/* as result_add: a lost finding could hide a fail */
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

/* ---- what the profiles of one run share ----
 *
 * The system layers — a Chromium policy folder, a Firefox installation's
 * policies.json, default pref files and autoconfig — are the same for
 * every profile they apply to, so each is read once per run of the check
 * and its outcome replayed for the next profile: the value, the return
 * code and the error exactly as the first reading left them. The memo
 * lives in run() and ends with it, so a later scan reads afresh. */

struct folder_memo {
	char *dir;
	int rc;
	enum chromium_bool val;
	int wrote;		/* the reading filled err */
	struct mm_err err;
};

struct ff_memo;

struct shared {
	struct folder_memo *folders;
	size_t nfolders;
	struct ff_memo *ff;
	size_t nff;
};

static int
err_written(const struct mm_err *e)
{
	return e->reason != NULL || e->msg[0] != '\0';
}

static void *
grow(void *v, size_t n, size_t size)
{
	/* one more element; a lost finding could hide a fail, as result_add */
	void *nv = realloc(v, (n + 1) * size);

	if (nv == NULL)
		abort();
	return nv;
}

/* ---- Chromium family ---- */

/* Reads every file of one policy folder (managed or recommended) in name
 * order; the last that sets PasswordManagerEnabled wins, as in
 * ConfigDirPolicyLoader. A file that cannot be read or parsed after the
 * last one that decides leaves the value open: -1 with err. */
static int
read_policy_folder_now(const struct root *r, const char *dir, enum chromium_bool *val,
    struct mm_err *err)
{
	char **names = NULL;
	size_t n = 0;
	enum file_status s;
	int open_question = 0;

	s = root_list_dir(r, dir, MAX_POLICY_FILES, &names, &n, err);
	if (s == FILE_ABSENT)
		return 0;
	if (s == FILE_BAD)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *path = join(dir, names[i]), *buf, kind;
		enum chromium_bool v;
		struct mm_err fe;
		off_t size;
		size_t len;

		err_clear(&fe);
		if (root_stat(r, path, &kind, &size, &fe) == FILE_OK && kind == 'd') {
			free(path);
			continue;	/* the browser reads files only */
		}
		s = root_read_file(r, path, ROOT_CAP_CONFIG, &buf, &len, &fe);
		if (s == FILE_OK) {
			if (chromium_policy_password_manager(buf, len, &v, &fe) == -1) {
				char msg[sizeof(fe.msg)];
				snprintf(msg, sizeof(msg), "%s", fe.msg);
				err_set(&fe, fe.reason, "%s: %s", path, msg);
				open_question = 1;
				*err = fe;
			} else if (v != CHROMIUM_UNSET) {
				*val = v;
				open_question = 0;
			}
			free(buf);
		} else if (s == FILE_BAD) {
			open_question = 1;
			*err = fe;
		}
		free(path);
	}
	root_free_names(names, n);
	return open_question ? -1 : 0;
}

/* read_policy_folder_now, once per folder and run. */
static int
read_policy_folder(const struct root *r, struct shared *sh, const char *dir,
    enum chromium_bool *val, struct mm_err *err)
{
	struct folder_memo *m = NULL;

	for (size_t i = 0; i < sh->nfolders && m == NULL; i++)
		if (strcmp(sh->folders[i].dir, dir) == 0)
			m = &sh->folders[i];
	if (m == NULL) {
		sh->folders = grow(sh->folders, sh->nfolders, sizeof(*sh->folders));
		m = &sh->folders[sh->nfolders++];
		if ((m->dir = strdup(dir)) == NULL)
			abort();
		m->val = CHROMIUM_UNSET;
		err_clear(&m->err);
		m->rc = read_policy_folder_now(r, dir, &m->val, &m->err);
		m->wrote = err_written(&m->err);
	}
	if (m->val != CHROMIUM_UNSET)
		*val = m->val;
	if (m->wrote)
		*err = m->err;
	return m->rc;
}

/* Both levels from every policy folder of the profile's browser. */
static int
chromium_policies(const struct root *r, struct shared *sh, char **dirs, size_t n,
    const char *level, enum chromium_bool *val, struct mm_err *err)
{
	int open_question = 0;

	*val = CHROMIUM_UNSET;
	for (size_t i = 0; i < n; i++) {
		char *dir = join(dirs[i], level);
		enum chromium_bool v = CHROMIUM_UNSET;
		int rc = read_policy_folder(r, sh, dir, &v, err);

		free(dir);
		if (v != CHROMIUM_UNSET) {
			*val = v;
			open_question = 0;
		}
		if (rc == -1)
			open_question = 1;
	}
	return open_question ? -1 : 0;
}

static void
eval_chromium(const struct root *r, struct shared *sh, const struct browser_profile *p,
    char **dirs, size_t ndirs, struct answer *a)
{
	enum chromium_bool managed, recommended, pref = CHROMIUM_UNSET;
	struct mm_err perr;
	char *path, *buf;
	size_t len;
	enum file_status s;

	err_clear(&a->err);
	if (chromium_policies(r, sh, dirs, ndirs, "managed", &managed, &a->err) == -1) {
		set_answer(a, -1, "policy", NULL);
		return;
	}
	if (managed != CHROMIUM_UNSET) {
		set_answer(a, managed == CHROMIUM_TRUE, "policy", "saving_on_system");
		return;
	}
	path = join(p->dir, "Preferences");
	err_clear(&perr);
	s = root_read_file(r, path, CHROMIUM_PREFS_CAP, &buf, &len, &perr);
	if (s == FILE_BAD) {
		free(path);
		a->err = perr;
		set_answer(a, -1, "preference", NULL);
		return;
	}
	if (s == FILE_OK) {
		int rc = chromium_prefs_saving(buf, len, &pref, &perr);
		free(buf);
		if (rc == -1) {
			err_set(&a->err, perr.reason, "%s: %s", path, perr.msg);
			free(path);
			set_answer(a, -1, "preference", NULL);
			return;
		}
	}
	free(path);
	if (pref != CHROMIUM_UNSET) {
		set_answer(a, pref == CHROMIUM_TRUE, "preference", "saving_on_user");
		return;
	}
	if (chromium_policies(r, sh, dirs, ndirs, "recommended", &recommended, &a->err) == -1) {
		set_answer(a, -1, "recommended_policy", NULL);
		return;
	}
	if (recommended != CHROMIUM_UNSET) {
		set_answer(a, recommended == CHROMIUM_TRUE, "recommended_policy",
		    "saving_on_system");
		return;
	}
	set_answer(a, 1, "default", "saving_on_default");
}

/* ---- Firefox ---- */

#define SIGNON "signon.rememberSignons"

/* The pref as the layers below the profile leave it. */
struct ff_sys {
	int def;		/* -1 unset, else the default */
	const char *def_src;	/* "system_prefs" or "autoconfig" */
	int locked;
	int user;		/* a user value set by a system file, -1 none */
	const char *user_src;
	char cfg_name[256];	/* general.config.filename */
	long obscure;		/* general.config.obscure_value */
	const char *src;	/* the file kind being read */
};

static int
on_sys_pref(const struct prefsjs_item *it, void *ctx)
{
	struct ff_sys *s = ctx;
	int autoconfig = strcmp(s->src, "autoconfig") == 0;

	if (it->spec != PREFSJS_USER_PREF && !autoconfig) {
		if (strcmp(it->name, "general.config.filename") == 0 &&
		    it->type == PREFSJS_STRING)
			snprintf(s->cfg_name, sizeof(s->cfg_name), "%s", it->str);
		else if (strcmp(it->name, "general.config.obscure_value") == 0 &&
		    it->type == PREFSJS_INT)
			s->obscure = it->integer;
	}
	if (strcmp(it->name, SIGNON) != 0 || it->type != PREFSJS_BOOL)
		return 0;
	switch (it->spec) {
	case PREFSJS_USER_PREF:
		s->user = it->boolean;
		s->user_src = s->src;
		break;
	case PREFSJS_PREF:
		/* In autoconfig, pref() sets the user value (prefcalls.js). */
		if (autoconfig) {
			s->user = it->boolean;
			s->user_src = s->src;
			break;
		}
		/* fall through */
	case PREFSJS_STICKY_PREF:
	case PREFSJS_DEFAULT_PREF:
		/* A lock, once set, stays; the default is the last one read. */
		s->def = it->boolean;
		s->def_src = s->src;
		if (it->locked)
			s->locked = 1;
		break;
	case PREFSJS_LOCK_PREF:
		s->def = it->boolean;
		s->def_src = s->src;
		s->locked = 1;
		break;
	}
	return 0;
}

static int
ends_with_js(const char *s)
{
	size_t n = strlen(s);

	return n > 3 && strcmp(s + n - 3, ".js") == 0;
}

/* Reads the default pref files and autoconfig of one installation.
 * Returns -1 with err when one of them exists but cannot be read. */
static int
read_ff_sys(const struct root *r, const struct firefox_config *c, struct ff_sys *s,
    struct mm_err *err)
{
	s->def = -1;
	s->def_src = NULL;
	s->locked = 0;
	s->user = -1;
	s->user_src = NULL;
	s->cfg_name[0] = '\0';
	s->obscure = 13;	/* Firefox's default general.config.obscure_value */
	s->src = "system_prefs";
	for (size_t d = 0; d < c->n_pref_dirs; d++) {
		char **names = NULL;
		size_t n = 0;
		enum file_status st = root_list_dir(r, c->pref_dirs[d], MAX_POLICY_FILES, &names,
		    &n, err);

		if (st == FILE_ABSENT)
			continue;
		if (st == FILE_BAD)
			return -1;
		for (size_t i = 0; i < n; i++) {
			char *path, *buf, kind;
			size_t len;
			off_t size;

			if (!ends_with_js(names[i]))
				continue;
			path = join(c->pref_dirs[d], names[i]);
			if (root_stat(r, path, &kind, &size, NULL) == FILE_OK && kind == 'd') {
				free(path);
				continue;
			}
			st = root_read_file(r, path, ROOT_CAP_CONFIG, &buf, &len, err);
			free(path);
			if (st == FILE_BAD) {
				root_free_names(names, n);
				return -1;
			}
			if (st == FILE_OK) {
				int rc = prefsjs_parse(buf, len, PREFSJS_DEFAULT, on_sys_pref, s,
				    NULL, err);
				free(buf);
				if (rc == -1) {
					root_free_names(names, n);
					return -1;
				}
			}
		}
		root_free_names(names, n);
	}
	/* Autoconfig: the file general.config.filename names, looked for in
	 * each folder in turn; the first found is the one read. */
	if (s->cfg_name[0] == '\0' || strchr(s->cfg_name, '/') != NULL ||
	    strcmp(s->cfg_name, "..") == 0 || strcmp(s->cfg_name, ".") == 0)
		return 0;
	s->src = "autoconfig";
	for (size_t d = 0; d < c->n_cfg_dirs; d++) {
		char *path = join(c->cfg_dirs[d], s->cfg_name), *buf;
		size_t len, pos = 0;
		enum file_status st = root_read_file(r, path, ROOT_CAP_CONFIG, &buf, &len, err);
		int rc;

		free(path);
		if (st == FILE_ABSENT)
			continue;
		if (st == FILE_BAD)
			return -1;
		/* nsReadConfig: every byte shifted by obscure_value, and the
		 * first line is skipped. */
		if (s->obscure != 0)
			for (size_t i = 0; i < len; i++)
				buf[i] = (char)((unsigned char)buf[i] - (unsigned char)s->obscure);
		while (pos < len && buf[pos] != '\n')
			pos++;
		rc = prefsjs_parse(buf + pos, len - pos, PREFSJS_AUTOCONFIG, on_sys_pref, s,
		    NULL, err);
		free(buf);
		return rc == -1 ? -1 : 0;
	}
	return 0;
}

struct ff_policy_layer {
	int lock;		/* -1 none, else the value locked */
	int def;		/* -1 none, else a default */
};

static int
read_ff_policy(const struct root *r, const struct firefox_config *c,
    struct ff_policy_layer *pl, struct mm_err *err)
{
	pl->lock = pl->def = -1;
	for (size_t i = 0; i < c->n_policies; i++) {
		struct firefox_policy fp;
		struct mm_err pe;
		char *buf;
		size_t len;
		enum file_status s = root_read_file(r, c->policies[i], 4 * ROOT_CAP_CONFIG, &buf,
		    &len, err);

		if (s == FILE_ABSENT)
			continue;
		if (s == FILE_BAD)
			return -1;
		err_clear(&pe);
		if (browsers_firefox_policy_parse(buf, len, &fp, &pe) == -1) {
			/* Firefox applies no policy at all from a broken file;
			 * mamori will not guess which one was meant. */
			free(buf);
			err_set(err, pe.reason, "%s: %s", c->policies[i], pe.msg);
			return -1;
		}
		free(buf);
		/* Both lock the pref to their value; should they disagree,
		 * "on" is the answer that cannot hide a fail. */
		if (fp.password_manager_enabled >= 0)
			pl->lock = fp.password_manager_enabled;
		if (fp.offer_to_save >= 0)
			pl->lock = pl->lock == 1 ? 1 : fp.offer_to_save;
		if (fp.offer_to_save < 0 && fp.offer_to_save_default >= 0)
			pl->def = fp.offer_to_save_default;
		return 0;	/* only the first file found is read */
	}
	return 0;
}

/* One installation's system layers, read at most once per run. */
struct ff_memo {
	char *key;		/* the installation: its label and every path */
	int pol_done, pol_rc, pol_wrote;
	struct ff_policy_layer pl;
	struct mm_err pol_err;
	int sys_done, sys_rc, sys_wrote;
	struct ff_sys sys;
	struct mm_err sys_err;
};

static char *
config_key(const struct firefox_config *c)
{
	char *const *lists[] = { c->policies, c->pref_dirs, c->cfg_dirs };
	size_t counts[] = { c->n_policies, c->n_pref_dirs, c->n_cfg_dirs };
	size_t len = strlen(c->label) + 2;
	char *k;

	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < counts[l]; i++)
			len += strlen(lists[l][i]) + 1;
	len += 3;
	if ((k = malloc(len)) == NULL)
		abort();
	strcpy(k, c->label);
	for (size_t l = 0; l < 3; l++) {
		strcat(k, "\n");
		for (size_t i = 0; i < counts[l]; i++) {
			strcat(k, lists[l][i]);
			strcat(k, "\t");
		}
	}
	return k;
}

static struct ff_memo *
ff_memo_of(struct shared *sh, const struct firefox_config *c)
{
	char *key = config_key(c);
	struct ff_memo *m;

	for (size_t i = 0; i < sh->nff; i++)
		if (strcmp(sh->ff[i].key, key) == 0) {
			free(key);
			return &sh->ff[i];
		}
	sh->ff = grow(sh->ff, sh->nff, sizeof(*sh->ff));
	m = &sh->ff[sh->nff++];
	memset(m, 0, sizeof(*m));
	m->key = key;
	return m;
}

/* read_ff_policy and read_ff_sys through the memo: err is left as the
 * reading left it. */
static int
memo_ff_policy(const struct root *r, struct ff_memo *m, const struct firefox_config *c,
    struct ff_policy_layer *pl, struct mm_err *err)
{
	if (!m->pol_done) {
		err_clear(&m->pol_err);
		m->pol_rc = read_ff_policy(r, c, &m->pl, &m->pol_err);
		m->pol_wrote = err_written(&m->pol_err);
		m->pol_done = 1;
	}
	*pl = m->pl;
	if (m->pol_wrote)
		*err = m->pol_err;
	return m->pol_rc;
}

static int
memo_ff_sys(const struct root *r, struct ff_memo *m, const struct firefox_config *c,
    struct ff_sys *sys, struct mm_err *err)
{
	if (!m->sys_done) {
		err_clear(&m->sys_err);
		m->sys_rc = read_ff_sys(r, c, &m->sys, &m->sys_err);
		m->sys_wrote = err_written(&m->sys_err);
		m->sys_done = 1;
	}
	*sys = m->sys;
	if (m->sys_wrote)
		*err = m->sys_err;
	return m->sys_rc;
}

static void
shared_free(struct shared *sh)
{
	for (size_t i = 0; i < sh->nfolders; i++)
		free(sh->folders[i].dir);
	free(sh->folders);
	for (size_t i = 0; i < sh->nff; i++)
		free(sh->ff[i].key);
	free(sh->ff);
}

struct ff_user {
	int value;
};

static int
on_user_pref(const struct prefsjs_item *it, void *ctx)
{
	struct ff_user *u = ctx;

	if (it->spec == PREFSJS_USER_PREF && it->type == PREFSJS_BOOL &&
	    strcmp(it->name, SIGNON) == 0)
		u->value = it->boolean;
	return 0;
}

/* prefs.js, then user.js (which Firefox reads last). -1 with err when one
 * exists but cannot be read. */
static int
read_ff_user(const struct root *r, const struct browser_profile *p, int *value,
    struct mm_err *err)
{
	static const char *const files[] = { "prefs.js", "user.js" };
	struct ff_user u = { -1 };

	for (size_t i = 0; i < 2; i++) {
		char *path = join(p->dir, files[i]), *buf;
		size_t len;
		enum file_status s = root_read_file(r, path, PREFS_JS_CAP, &buf, &len, err);
		int rc;

		free(path);
		if (s == FILE_ABSENT)
			continue;
		if (s == FILE_BAD)
			return -1;
		rc = prefsjs_parse(buf, len, PREFSJS_USER, on_user_pref, &u, NULL, err);
		free(buf);
		if (rc == -1)
			return -1;
	}
	*value = u.value;
	return 0;
}

static void
eval_firefox_config(const struct root *r, struct shared *sh, const struct firefox_config *c,
    int user, int user_bad, const struct mm_err *user_err, struct answer *a)
{
	struct ff_memo *m = ff_memo_of(sh, c);
	struct ff_policy_layer pl;
	struct ff_sys sys;

	err_clear(&a->err);
	if (memo_ff_policy(r, m, c, &pl, &a->err) == -1) {
		set_answer(a, -1, "policy", NULL);
		return;
	}
	if (pl.lock >= 0) {
		set_answer(a, pl.lock, "policy", "saving_on_system");
		return;
	}
	if (memo_ff_sys(r, m, c, &sys, &a->err) == -1) {
		set_answer(a, -1, "system_prefs", NULL);
		return;
	}
	if (sys.locked && sys.def >= 0) {
		set_answer(a, sys.def, sys.def_src, "saving_on_system");
		return;
	}
	if (user_bad) {
		a->err = *user_err;
		set_answer(a, -1, "user_prefs", NULL);
		return;
	}
	if (user >= 0) {
		set_answer(a, user, "user_prefs", "saving_on_user");
		return;
	}
	if (sys.user >= 0) {
		set_answer(a, sys.user, sys.user_src, "saving_on_system");
		return;
	}
	if (pl.def >= 0) {
		set_answer(a, pl.def, "policy_default", "saving_on_system");
		return;
	}
	if (sys.def >= 0) {
		set_answer(a, sys.def, sys.def_src, "saving_on_system");
		return;
	}
	set_answer(a, 1, "default", "saving_on_default");
}

static void
eval_firefox(const struct root *r, struct shared *sh, const struct browser_profile *p,
    struct answer *a)
{
	struct firefox_config *cfg = NULL;
	struct mm_err user_err;
	size_t n = 0;
	int user = -1, user_bad, unknown = 0;

	err_clear(&user_err);
	user_bad = read_ff_user(r, p, &user, &user_err) == -1;
	if (browsers_firefox_configs(r, p, &cfg, &n, &a->err) == -1) {
		set_answer(a, -1, "system_prefs", NULL);
		return;
	}
	/* Each installation that may open the profile: the profile saves
	 * passwords if any one of them would. */
	set_answer(a, 0, "default", NULL);
	for (size_t i = 0; i < n; i++) {
		struct answer one;

		eval_firefox_config(r, sh, &cfg[i], user, user_bad, &user_err, &one);
		if (one.saving == 1) {
			*a = one;
			break;
		}
		if (one.saving == -1 && !unknown) {
			unknown = 1;
			*a = one;
		} else if (one.saving == 0 && !unknown)
			*a = one;
	}
	browsers_firefox_configs_free(cfg, n);
}

/* ---- findings ---- */

static json_t *
evidence(const struct browser_profile *p)
{
	json_t *ev = json_object();

	json_object_set_new(ev, "browser", json_string(browser_name(p->browser)));
	json_object_set_new(ev, "product", json_string(browser_product(p->browser)));
	json_object_set_new(ev, "install", json_string(browser_install_name(p->install)));
	if (p->name != NULL)
		json_object_set_new(ev, "profile", utf8_json_string(p->name));
	return ev;
}

static const char *
remediation(enum browser_id b)
{
	static const char *const keys[] = {
		"turn_off_chrome", "turn_off_chromium", "turn_off_edge", "turn_off_brave",
		"turn_off_firefox",
	};
	return keys[b];
}

static const char *
firefox_policy_file(enum browser_install i)
{
	return i == INSTALL_FLATPAK ?
	    "/var/lib/flatpak/extension/org.mozilla.firefox.systemconfig/x86_64/stable/policies/policies.json" :
	    "/etc/firefox/policies/policies.json";
}

static void
check_profile(const struct scan_ctx *ctx, struct shared *sh, const struct person *person,
    const struct browser_profile *p, struct check_result *r)
{
	struct answer a;
	json_t *ev = evidence(p);
	char **dirs = NULL;
	size_t ndirs = 0;

	if (!p->ok) {
		json_object_set_new(ev, "detail", utf8_json_string(p->err.msg));
		result_add(r, person->name, V_UNKNOWN, p->err.reason ? p->err.reason :
		    "file_unreadable", NULL, ev);
		return;
	}
	memset(&a, 0, sizeof(a));
	if (p->browser == BROWSER_FIREFOX) {
		eval_firefox(ctx->root, sh, p, &a);
		json_object_set_new(ev, "policy_file",
		    json_string(firefox_policy_file(p->install)));
	} else {
		if (browsers_chromium_policy_dirs(ctx->root, p, &dirs, &ndirs, &a.err) == -1)
			set_answer(&a, -1, "policy", NULL);
		else
			eval_chromium(ctx->root, sh, p, dirs, ndirs, &a);
		/* Only the flatpak's extension folders can be missing. */
		json_object_set_new(ev, "policy_dir", json_string(ndirs > 0 ? dirs[0] :
		    "/var/lib/flatpak/extension/org.chromium.Chromium.Extension.mamori/x86_64/1/policies"));
		browser_free_paths(dirs, ndirs);
	}
	if (a.saving == -1) {
		json_object_set_new(ev, "detail", utf8_json_string(a.err.msg));
		result_add(r, person->name, V_UNKNOWN,
		    a.err.reason ? a.err.reason : "file_unreadable", remediation(p->browser), ev);
		return;
	}
	json_object_set_new(ev, "saving", json_string(a.saving ? "on" : "off"));
	json_object_set_new(ev, "source", json_string(a.source));
	if (a.saving)
		result_add(r, person->name, V_FAIL, a.on_reason, remediation(p->browser), ev);
	else
		result_add(r, person->name, V_PASS, NULL, NULL, ev);
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	const struct people *pp = ctx->people;
	struct shared sh = { NULL, 0, NULL, 0 };
	size_t profiles = 0;

	if (!pp->passwd_ok) {
		result_add_error(r, "/etc/passwd", &pp->passwd_err);
		return;
	}
	for (size_t i = 0; i < pp->n; i++) {
		const struct browser_profiles *bp;
		const struct mm_err *e;

		if (scan_ctx_browser_profiles(ctx, i, &bp, &e) == -1) {
			result_add_error(r, pp->v[i].name, e);
			continue;
		}
		for (size_t k = 0; k < bp->n; k++)
			check_profile(ctx, &sh, &pp->v[i], &bp->v[k], r);
		profiles += bp->n;
	}
	shared_free(&sh);
	if (profiles == 0)
		result_add(r, "system", V_NOT_APPLICABLE,
		    browsers_any_installed(ctx->root) ? "no_browser_profiles" : "no_browser",
		    NULL, NULL);
}

const struct check_def check_browser_password_saving_off = {
	"browser.password_saving_off", "16-4",
	N_("Browsers do not offer to save passwords"),
	run, msgs,
};
