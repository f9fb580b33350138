/* fuzz_xfconf: XFCE channel XML through libxml2 and xfconfd's merge, as a
 * system file and then as a person's own, with the invariants xfce_lock
 * relies on: refusals carry a reason, a property locked by the system
 * keeps its value against the person's file, lookups answer consistently.
 * Nothing may reach stderr (libxml2 is silenced), and an entity bomb must
 * cost nothing (it is refused before parsing). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/xfconf.h"

/* Membership decided by the group's name, so runs are repeatable. */
static int
in_group(void *ctx, const char *group, struct mm_err *e)
{
	(void)ctx;
	if (strcmp(group, "unreadable") == 0) {
		err_set(e, "file_unreadable", "no /etc/group");
		return -1;
	}
	return strlen(group) % 2 == 0;
}

static void
check_shape(const struct xfconf_channel *ch)
{
	for (size_t i = 0; i < ch->n; i++) {
		const struct xfconf_prop *p = &ch->v[i];
		const struct xfconf_value *v;

		if (p->path[0] != '/' || xfconf_lookup(ch, p->path) != p)
			__builtin_trap();
		v = xfconf_get(ch, p->path);
		if (v != NULL && v != &p->value && v != &p->system)
			__builtin_trap();
		if (v != NULL && (v->type <= XFCONF_UNSET || v->type > XFCONF_ARRAY))
			__builtin_trap();
		if (xfconf_get_bool(ch, p->path, 2) == 2 && v != NULL && v->type == XFCONF_BOOL)
			__builtin_trap();
		if (p->locked && !xfconf_is_locked(ch, p->path))
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct xfconf_who who = { "alice", in_group, NULL };
	struct xfconf_doc doc;
	struct xfconf_channel ch;
	struct mm_err e;
	char *b = malloc(size ? size : 1);

	if (b == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	err_clear(&e);
	if (xfconf_parse(b, size, &doc, &e) == 0) {
		/* Starts and ends pair up. */
		size_t open = 0;

		for (size_t i = 0; i < doc.n; i++) {
			if (doc.v[i].end) {
				if (open == 0)
					__builtin_trap();
				open--;
			} else {
				if (doc.v[i].name == NULL)
					__builtin_trap();
				open++;
			}
		}
		if (open != 0)
			__builtin_trap();
		xfconf_channel_init(&ch);
		if (xfconf_merge(&ch, &doc, 1, 0, &who, &e) == 0) {
			size_t n0 = ch.n;
			int *locked = calloc(n0 ? n0 : 1, sizeof(*locked));
			struct xfconf_value *sys = calloc(n0 ? n0 : 1, sizeof(*sys));

			if (locked == NULL || sys == NULL)
				abort();
			check_shape(&ch);
			for (size_t i = 0; i < n0; i++) {
				locked[i] = xfconf_is_locked(&ch, ch.v[i].path);
				sys[i] = ch.v[i].system;
			}
			/* The same text as the person's own file. */
			if (xfconf_merge(&ch, &doc, 0, 1, &who, &e) == 0) {
				check_shape(&ch);
				for (size_t i = 0; i < n0; i++) {
					const struct xfconf_value *v = xfconf_get(&ch, ch.v[i].path);

					/* A locked property keeps its system value. */
					if (locked[i] && (ch.v[i].value.type != XFCONF_UNSET ||
					    (sys[i].type != XFCONF_UNSET && v != &ch.v[i].system)))
						__builtin_trap();
				}
			} else if (e.reason == NULL)
				__builtin_trap();
			free(locked);
			free(sys);
		} else if (e.reason == NULL)
			__builtin_trap();
		xfconf_channel_free(&ch);
		xfconf_doc_free(&doc);
	} else if (e.reason == NULL || doc.n != 0)
		__builtin_trap();
	free(b);
	return 0;
}
