/* mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL…] - FSTYPE SOURCE SUPEROPTS". */
#include <stdio.h>
#include <string.h>
#include "platform/mountinfo.h"
#include "platform/text.h"

/* Copies a field, decoding the kernel's \ooo escapes. */
static void
unescape(char *dst, size_t n, const char *src, size_t sl)
{
	size_t o = 0;

	for (size_t i = 0; i < sl && o + 1 < n; i++) {
		if (src[i] == '\\' && i + 3 < sl && src[i + 1] >= '0' && src[i + 1] <= '3' &&
		    src[i + 2] >= '0' && src[i + 2] <= '7' && src[i + 3] >= '0' && src[i + 3] <= '7') {
			dst[o++] = (char)((src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 + (src[i + 3] - '0'));
			i += 3;
		} else
			dst[o++] = src[i];
	}
	dst[o] = '\0';
}

static int
covers(const char *mp, const char *path)
{
	size_t l = strlen(mp);

	if (strcmp(mp, "/") == 0)
		return 1;
	return strncmp(mp, path, l) == 0 && (path[l] == '\0' || path[l] == '/');
}

int
mountinfo_find(const char *buf, size_t len, const char *path, struct mount_entry *out,
    struct mm_err *e)
{
	size_t pos = 0, ll, best = 0, lineno = 0;
	const char *line;
	int found = 0;

	while (text_next_line(buf, len, &pos, &line, &ll)) {
		const char *f[64];
		size_t fl[64], nf, dash;
		struct mount_entry m;
		char num[32], *colon;
		long maj, mnr;

		lineno++;
		if (ll == 0)
			continue;
		if (!text_is_clean(line, ll)) {
			err_set(e, "parse_error", "mountinfo line %zu holds binary data", lineno);
			return -1;
		}
		nf = text_split(line, ll, ' ', f, fl, 63);
		if (nf > 63)
			nf = 63;
		for (dash = 6; dash < nf; dash++)
			if (fl[dash] == 1 && f[dash][0] == '-')
				break;
		if (nf < 10 || dash + 2 >= nf || fl[2] >= sizeof(num)) {
			err_set(e, "parse_error", "mountinfo line %zu is not in the kernel's format", lineno);
			return -1;
		}
		memcpy(num, f[2], fl[2]);
		num[fl[2]] = '\0';
		colon = strchr(num, ':');
		if (colon == NULL || text_parse_long(num, (size_t)(colon - num), 0, &maj) == -1 ||
		    text_parse_long(colon + 1, strlen(colon + 1), 0, &mnr) == -1 ||
		    maj > 0xfffff || mnr > 0xfffff) {
			err_set(e, "parse_error", "mountinfo line %zu has a bad device number", lineno);
			return -1;
		}
		m.major = (unsigned)maj;
		m.minor = (unsigned)mnr;
		unescape(m.mountpoint, sizeof(m.mountpoint), f[4], fl[4]);
		unescape(m.fstype, sizeof(m.fstype), f[dash + 1], fl[dash + 1]);
		unescape(m.source, sizeof(m.source), f[dash + 2], fl[dash + 2]);
		if (!covers(m.mountpoint, path))
			continue;
		if (!found || strlen(m.mountpoint) >= best) {
			best = strlen(m.mountpoint);
			*out = m;
			found = 1;
		}
	}
	if (!found)
		err_set(e, "parse_error", "mountinfo names no filesystem for %s", path);
	return found ? 0 : -1;
}
