/* fuzz_pam: PAM service file parsing, and the dispatch walk over the
 * rules it yields (as one flat password stack, substacks one level down). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/pam.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char name[] = "/etc/pam.d/fuzz";
	static char *files[] = { name };
	struct pam_file f;
	struct pam_stack s;
	struct pam_walk w;
	struct mm_err e;
	enum pam_role *roles;
	int level = 0;

	if (pam_parse((const char *)data, size, &f, &e) != 0) {
		if (e.reason == NULL)
			__builtin_trap();
		return 0;
	}
	memset(&s, 0, sizeof(s));
	s.v = calloc(f.n + 1, sizeof(*s.v));
	roles = calloc(f.n + 1, sizeof(*roles));
	if (s.v == NULL || roles == NULL)
		abort();
	s.files = files;
	s.nfiles = 1;
	for (size_t i = 0; i < f.n; i++) {
		const struct pam_line *l = &f.v[i];
		struct pam_entry *en = &s.v[s.n++];

		if (l->lineno == 0 || (l->module == NULL && l->argc > 0))
			__builtin_trap();
		for (int c = 0; c < PAM_NRET; c++)
			if (l->ctl == PAM_CTL_ACTIONS && l->actions[c] < PAM_ACT_RESET)
				__builtin_trap();
		en->level = level;
		memcpy(en->actions, l->actions, sizeof(en->actions));
		/* libpam's module name: base name, last extension cut. */
		if (l->module != NULL) {
			const char *base = strrchr(l->module, '/');
			char *dot;
			if ((en->module = strdup(base ? base + 1 : l->module)) == NULL)
				abort();
			if ((dot = strrchr(en->module, '.')) != NULL)
				*dot = '\0';
		}
		en->argv = l->argv;
		en->argc = l->argc;
		if (l->ctl == PAM_CTL_SUBSTACK) {
			en->kind = PAM_ENTRY_SUBSTACK;
			if (level < PAM_MAX_DEPTH)
				level++;
		} else if (l->ctl != PAM_CTL_ACTIONS || l->module == NULL)
			en->kind = PAM_ENTRY_MUST_FAIL;
		roles[i] = pam_role_of(en);
	}
	if (pam_walk(&s, roles, &w, &e) == 0) {
		for (size_t i = 0; i < w.n; i++)
			if (w.w[i].writer >= s.n || roles[w.w[i].writer] != PAM_ROLE_WRITER)
				__builtin_trap();
		pam_walk_free(&w);
	} else if (e.reason == NULL)
		__builtin_trap();
	for (size_t i = 0; i < s.n; i++)
		free(s.v[i].module);
	free(roles);
	free(s.v);
	pam_file_free(&f);
	return 0;
}
