/* accounts: passwd ⨝ shadow, filtered to the accounts a person logs in with
 * (a login shell, and a UID in the policy's range, or root). */
#include <stdlib.h>
#include <string.h>
#include "platform/accounts.h"

int
people_is_person(const struct passwd_entry *pw, const struct policy *pol)
{
	if (pw->shell[0] == '\0')
		return 0;	/* login(1) would use /bin/sh, but no distro ships such accounts */
	for (size_t i = 0; i < pol->accounts.non_login_shells.n; i++)
		if (strcmp(pw->shell, pol->accounts.non_login_shells.v[i]) == 0)
			return 0;
	if (pw->uid == 0)
		return pol->accounts.include_root;
	return pw->uid >= pol->accounts.min_uid && pw->uid <= pol->accounts.max_uid;
}

void
people_from_buffers(struct people *pp, const char *passwd, size_t plen,
    const char *shadow, size_t slen, const struct policy *pol)
{
	struct passwd_entry *pw = NULL;
	struct shadow_entry *sh = NULL;
	size_t npw = 0, nsh = 0, bad = 0;

	memset(pp, 0, sizeof(*pp));
	if (shadow == NULL)
		err_set(&pp->shadow_err, "file_unreadable", "/etc/shadow could not be read");
	if (passwd_parse(passwd, plen, &pw, &npw, &bad, &pp->passwd_err) == -1) {
		pp->passwd_ok = 0;
		return;
	}
	pp->malformed += bad;
	pp->passwd_ok = 1;
	if (shadow != NULL) {
		if (shadow_parse(shadow, slen, &sh, &nsh, &bad, &pp->shadow_err) == 0) {
			pp->shadow_ok = 1;
			pp->malformed += bad;
		}
	}
	pp->v = calloc(npw ? npw : 1, sizeof(*pp->v));
	if (pp->v == NULL) {
		err_set(&pp->passwd_err, "out_of_memory", "out of memory");
		pp->passwd_ok = 0;
		goto done;
	}
	for (size_t i = 0; i < npw; i++) {
		struct person *p;

		if (!people_is_person(&pw[i], pol))
			continue;
		p = &pp->v[pp->n++];
		p->name = strdup(pw[i].name);
		p->home = strdup(pw[i].home);
		p->uid = pw[i].uid;
		p->pw = pw[i].pw;
		p->last_change = -1;
		p->max_days = -1;
		for (size_t k = 0; k < nsh; k++) {
			if (strcmp(sh[k].name, pw[i].name) != 0)
				continue;
			p->in_shadow = 1;
			p->last_change = sh[k].last_change;
			p->max_days = sh[k].max_days;
			/* passwd's own field wins unless it defers to shadow */
			if (pw[i].pw == PW_SHADOWED)
				p->pw = sh[k].pw;
			break;
		}
	}
done:
	passwd_free(pw, npw);
	shadow_free(sh, nsh);
}

void
people_load(struct people *pp, const struct root *r, const struct policy *pol)
{
	char *pbuf = NULL, *sbuf = NULL;
	size_t plen = 0, slen = 0;
	enum file_status s;

	memset(pp, 0, sizeof(*pp));
	s = root_read_file(r, "/etc/passwd", ROOT_CAP_TABLE, &pbuf, &plen, &pp->passwd_err);
	if (s != FILE_OK) {
		if (s == FILE_ABSENT)
			err_set(&pp->passwd_err, "file_absent", "/etc/passwd does not exist");
		return;
	}
	struct mm_err se;
	err_clear(&se);
	s = root_read_file(r, "/etc/shadow", ROOT_CAP_TABLE, &sbuf, &slen, &se);
	if (s == FILE_ABSENT)
		err_set(&se, "file_absent", "/etc/shadow does not exist");
	people_from_buffers(pp, pbuf, plen, s == FILE_OK ? sbuf : NULL, slen, pol);
	if (s != FILE_OK)
		pp->shadow_err = se;
	free(pbuf);
	free(sbuf);
}

void
people_free(struct people *pp)
{
	for (size_t i = 0; i < pp->n; i++) {
		free(pp->v[i].name);
		free(pp->v[i].home);
	}
	free(pp->v);
	memset(pp, 0, sizeof(*pp));
}
