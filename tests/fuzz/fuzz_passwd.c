/* fuzz_passwd: /etc/passwd and /etc/shadow parsing and the join into
 * persons under the default policy. The input is passwd text, then
 * optionally a line "%%" and shadow text; without "%%" the same bytes are
 * also tried as shadow, and shadow as unreadable (NULL). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "agent/scan.h"
#include "platform/accounts.h"
#include "platform/passwd.h"

static struct policy pol;

/* An exact-size heap copy, so that a read past len is caught by ASan. */
static char *
copy(const uint8_t *d, size_t n)
{
	char *b = malloc(n ? n : 1);

	if (b == NULL)
		abort();
	if (n)
		memcpy(b, d, n);
	return b;
}

static void
check_people(const struct people *pp)
{
	/* Who counts as a person is the policy's rule, whatever the input. */
	for (size_t i = 0; i < pp->n; i++) {
		const struct person *p = &pp->v[i];
		if (p->name == NULL || p->home == NULL || p->name[0] == '\0')
			__builtin_trap();
		if (p->uid == 0 ? !pol.accounts.include_root :
		    (p->uid < pol.accounts.min_uid || p->uid > pol.accounts.max_uid))
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const uint8_t *sep = NULL;
	size_t plen = size, slen = 0;
	struct passwd_entry *pw;
	struct shadow_entry *sh;
	struct people pp;
	size_t n, bad;
	char *pb, *sb;

	if (!ready) {
		struct policy_known k = scan_known_checks();
		struct mm_err e;
		if (policy_load_buf(&pol, NULL, 0, NULL, &k, &e) != 0)
			abort();
		ready = 1;
	}
	for (size_t i = 0; i + 3 <= size; i++)
		if (memcmp(data + i, "%%\n", 3) == 0 && (i == 0 || data[i - 1] == '\n')) {
			sep = data + i;
			break;
		}
	if (sep != NULL) {
		plen = (size_t)(sep - data);
		slen = size - plen - 3;
	}
	pb = copy(data, plen);
	sb = sep ? copy(sep + 3, slen) : copy(data, size);
	if (sep == NULL)
		slen = size;

	if (passwd_parse(pb, plen, &pw, &n, &bad, NULL) == 0) {
		for (size_t i = 0; i < n; i++)
			if (pw[i].name[0] == '\0' || strchr(pw[i].name, ':') != NULL)
				__builtin_trap();
		passwd_free(pw, n);
	}
	if (shadow_parse(sb, slen, &sh, &n, &bad, NULL) == 0)
		shadow_free(sh, n);

	people_from_buffers(&pp, pb, plen, sb, slen, &pol);
	check_people(&pp);
	people_free(&pp);
	if (sep == NULL) {
		people_from_buffers(&pp, pb, plen, NULL, 0, &pol);
		check_people(&pp);
		people_free(&pp);
	}
	free(pb);
	free(sb);
	return 0;
}
