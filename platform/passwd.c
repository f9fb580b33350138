/* passwd: /etc/passwd and /etc/shadow, one entry per well-formed line. */
#include <stdlib.h>
#include <string.h>
#include "platform/passwd.h"
#include "platform/text.h"

static enum pw_state
classify(const char *s, size_t n, int in_passwd)
{
	if (n == 0)
		return PW_EMPTY;
	if (in_passwd && n == 1 && s[0] == 'x')
		return PW_SHADOWED;
	if (s[0] == '!' || s[0] == '*')
		return PW_LOCKED;
	return PW_SET;
}

static int
grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 32;
	void *nv = realloc(*v, nc * size);
	if (nv == NULL)
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}

int
passwd_parse(const char *buf, size_t len, struct passwd_entry **out, size_t *n,
    size_t *malformed, struct mm_err *e)
{
	struct passwd_entry *v = NULL;
	size_t cnt = 0, cap = 0, pos = 0, ll;
	const char *line;

	*out = NULL;
	*n = 0;
	*malformed = 0;
	if (memchr(buf, '\0', len) != NULL) {
		err_set(e, "parse_error", "passwd holds binary data (a NUL byte)");
		return -1;
	}
	while (text_next_line(buf, len, &pos, &line, &ll)) {
		const char *f[8];
		size_t fl[8];
		long uid, gid;

		if (ll == 0 || line[0] == '#' || line[0] == '+' || line[0] == '-')
			continue;
		if (text_split(line, ll, ':', f, fl, 8) != 7 || fl[0] == 0 ||
		    text_parse_long(f[2], fl[2], 0, &uid) == -1 ||
		    text_parse_long(f[3], fl[3], 0, &gid) == -1) {
			(*malformed)++;
			continue;
		}
		if (grow((void **)&v, &cap, cnt, sizeof(*v)) == -1)
			goto oom;
		v[cnt].name = text_dup(f[0], fl[0]);
		v[cnt].home = text_dup(f[5], fl[5]);
		v[cnt].shell = text_dup(f[6], fl[6]);
		v[cnt].uid = uid;
		v[cnt].gid = gid;
		v[cnt].pw = classify(f[1], fl[1], 1);
		cnt++;
		if (!v[cnt - 1].name || !v[cnt - 1].home || !v[cnt - 1].shell)
			goto oom;
	}
	*out = v;
	*n = cnt;
	return 0;
oom:
	passwd_free(v, cnt);
	err_set(e, "out_of_memory", "out of memory reading passwd");
	return -1;
}

void
passwd_free(struct passwd_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].home);
		free(v[i].shell);
	}
	free(v);
}

static int
opt_long(const char *s, size_t n, long *out)
{
	if (n == 0) {
		*out = -1;
		return 0;
	}
	return text_parse_long(s, n, 0, out);
}

int
shadow_parse(const char *buf, size_t len, struct shadow_entry **out, size_t *n,
    size_t *malformed, struct mm_err *e)
{
	struct shadow_entry *v = NULL;
	size_t cnt = 0, cap = 0, pos = 0, ll;
	const char *line;

	*out = NULL;
	*n = 0;
	*malformed = 0;
	if (memchr(buf, '\0', len) != NULL) {
		err_set(e, "parse_error", "shadow holds binary data (a NUL byte)");
		return -1;
	}
	while (text_next_line(buf, len, &pos, &line, &ll)) {
		const char *f[10];
		size_t fl[10];
		long last, max;

		if (ll == 0 || line[0] == '#' || line[0] == '+' || line[0] == '-')
			continue;
		if (text_split(line, ll, ':', f, fl, 9) != 9 || fl[0] == 0 ||
		    opt_long(f[2], fl[2], &last) == -1 ||
		    opt_long(f[4], fl[4], &max) == -1) {
			(*malformed)++;
			continue;
		}
		if (grow((void **)&v, &cap, cnt, sizeof(*v)) == -1)
			goto oom;
		v[cnt].name = text_dup(f[0], fl[0]);
		v[cnt].pw = classify(f[1], fl[1], 0);
		v[cnt].last_change = last;
		v[cnt].max_days = max;
		cnt++;
		if (v[cnt - 1].name == NULL)
			goto oom;
	}
	*out = v;
	*n = cnt;
	return 0;
oom:
	shadow_free(v, cnt);
	err_set(e, "out_of_memory", "out of memory reading shadow");
	return -1;
}

void
shadow_free(struct shadow_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}
