/* spool: the durable queue of signed reports; see spool.h and
 * docs/protocol.md ("Spool") for the file format and the drop counting. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "agent/spool.h"

#define DROPPED_NAME "dropped"
#define NAME_DIGITS 20

struct listed {
	uint64_t seq;
	uint64_t size;
};

static void
entry_name(uint64_t seq, char out[NAME_DIGITS + 1])
{
	snprintf(out, NAME_DIGITS + 1, "%020" PRIu64, seq);
}

/* Strict decimal: digits only, no sign, no overflow. */
static int
parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 20)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned d;
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* A spool entry's file name: exactly 20 digits. */
static int
name_sequence(const char *name, uint64_t *seq)
{
	return strlen(name) == NAME_DIGITS ? parse_u64(name, NAME_DIGITS, seq) : -1;
}

int
spool_open(struct spool *sp, int statefd, uint64_t max_reports, uint64_t max_bytes,
    struct mm_err *e)
{
	struct dirent *de;
	DIR *d;
	int fd;

	sp->statefd = statefd;
	sp->max_reports = max_reports;
	sp->max_bytes = max_bytes;
	if (mkdirat(statefd, SPOOL_DIR, 0700) == 0) {
		fsync(statefd);	/* the folder entry itself must be durable */
	} else if (errno != EEXIST) {
		err_set(e, "state_unwritable", "cannot create the spool folder: %s",
		    strerror(errno));
		return -1;
	}
	sp->dirfd = openat(statefd, SPOOL_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sp->dirfd == -1) {
		err_set(e, "state_unsafe", "cannot open the spool folder: %s%s", strerror(errno),
		    errno == ELOOP || errno == ENOTDIR ? " (it must be a folder, not a symlink)" : "");
		return -1;
	}
	/* A crash between creating and renaming leaves NAME.tmp: never a
	 * report (it was not complete), so it goes. The lock is held, so no
	 * live writer owns it. */
	fd = openat(sp->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd != -1 && (d = fdopendir(fd)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			size_t n = strlen(de->d_name);
			if (n > 4 && strcmp(de->d_name + n - 4, ".tmp") == 0)
				unlinkat(sp->dirfd, de->d_name, 0);
		}
		closedir(d);
	} else if (fd != -1) {
		close(fd);
	}
	return 0;
}

void
spool_close(struct spool *sp)
{
	if (sp->dirfd != -1)
		close(sp->dirfd);
	sp->dirfd = -1;
}

static int
cmp_listed(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Every entry with its size on disk, oldest first. */
static int
list_entries(const struct spool *sp, struct listed **out, size_t *n, struct mm_err *e)
{
	struct listed *v = NULL;
	size_t cap = 0, cnt = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	*out = NULL;
	*n = 0;
	fd = openat(sp->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		err_set(e, "state_unreadable", "cannot list the spool: %s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat sb;
		uint64_t seq;

		if (name_sequence(de->d_name, &seq) == -1)
			continue;
		if (fstatat(sp->dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == -1)
			continue;
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct listed *nv = realloc(v, nc * sizeof(*nv));
			if (nv == NULL) {
				free(v);
				closedir(d);
				err_set(e, "out_of_memory", "out of memory");
				return -1;
			}
			v = nv;
			cap = nc;
		}
		v[cnt].seq = seq;
		v[cnt].size = (uint64_t)sb.st_size;
		cnt++;
	}
	closedir(d);
	if (cnt > 0)
		qsort(v, cnt, sizeof(*v), cmp_listed);
	*out = v;
	*n = cnt;
	return 0;
}

int
spool_list(const struct spool *sp, uint64_t **seqs, size_t *n, uint64_t *bytes,
    struct mm_err *e)
{
	struct listed *v;
	size_t cnt;

	*seqs = NULL;
	if (bytes != NULL)
		*bytes = 0;
	if (list_entries(sp, &v, &cnt, e) == -1)
		return -1;
	*seqs = malloc((cnt ? cnt : 1) * sizeof(**seqs));
	if (*seqs == NULL) {
		free(v);
		err_set(e, "out_of_memory", "out of memory");
		return -1;
	}
	for (size_t i = 0; i < cnt; i++) {
		(*seqs)[i] = v[i].seq;
		if (bytes != NULL)
			*bytes += v[i].size;
	}
	*n = cnt;
	free(v);
	return 0;
}

int
spool_max_sequence(const struct spool *sp, uint64_t *seq, struct mm_err *e)
{
	struct listed *v;
	size_t cnt;

	*seq = 0;
	if (list_entries(sp, &v, &cnt, e) == -1)
		return -1;
	if (cnt > 0)
		*seq = v[cnt - 1].seq;
	free(v);
	return 0;
}

/* The header line: "mamori-spool/1 sequence=N device=ID dropped=N
 * length=N signature=B64\n". *hlen: its length with the newline. */
static int
parse_header(const char *buf, size_t len, struct spool_entry *en, uint64_t *body_len,
    size_t *hlen)
{
	static const char *const keys[] = { "sequence=", "device=", "dropped=", "length=",
	    "signature=" };
	const char *nl = memchr(buf, '\n', len < SPOOL_HEADER_MAX ? len : SPOOL_HEADER_MAX);
	const char *p = buf, *end;
	size_t ml = strlen(SPOOL_MAGIC);

	if (nl == NULL)
		return -1;
	end = nl;
	if ((size_t)(end - p) < ml + 1 || memcmp(p, SPOOL_MAGIC, ml) != 0 || p[ml] != ' ')
		return -1;
	p += ml + 1;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t kl = strlen(keys[k]);
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *ve = sp != NULL ? sp : end;
		size_t vl;

		if (k + 1 < sizeof(keys) / sizeof(keys[0]) ? sp == NULL : sp != NULL)
			return -1;	/* exactly five fields */
		if ((size_t)(ve - p) < kl || memcmp(p, keys[k], kl) != 0)
			return -1;
		p += kl;
		vl = (size_t)(ve - p);
		switch (k) {
		case 0:
			if (parse_u64(p, vl, &en->sequence) == -1 || en->sequence == 0)
				return -1;
			break;
		case 1:
			if (vl == 0 || vl > STATE_DEVICE_ID_MAX)
				return -1;
			memcpy(en->device_id, p, vl);
			en->device_id[vl] = '\0';
			if (!state_device_id_valid(en->device_id))
				return -1;
			break;
		case 2:
			if (parse_u64(p, vl, &en->dropped) == -1)
				return -1;
			break;
		case 3:
			if (parse_u64(p, vl, body_len) == -1)
				return -1;
			break;
		case 4:
			if (vl != SIGN_SIG_B64_LEN)
				return -1;
			for (size_t i = 0; i < vl; i++) {
				char c = p[i];
				if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '='))
					return -1;
			}
			memcpy(en->signature, p, vl);
			en->signature[vl] = '\0';
			break;
		}
		p = ve + (sp != NULL);
	}
	*hlen = (size_t)(nl - buf) + 1;
	return 0;
}

int
spool_entry_parse(const char *buf, size_t len, struct spool_entry *en, struct mm_err *e)
{
	uint64_t body_len;
	size_t hlen;

	memset(en, 0, sizeof(*en));
	if (parse_header(buf, len, en, &body_len, &hlen) == -1) {
		err_set(e, "spool_corrupt", "the header line is damaged");
		return -1;
	}
	/* A length that disagrees with the file is a truncated or appended
	 * file: the signature could not hold either. */
	if (body_len != len - hlen || body_len == 0 || body_len > SPOOL_BODY_MAX ||
	    buf[hlen] != '{') {
		err_set(e, "spool_corrupt", "the report is %zu bytes where the header says %" PRIu64,
		    len - hlen, body_len);
		return -1;
	}
	en->body = malloc((size_t)body_len + 1);
	if (en->body == NULL) {
		err_set(e, "out_of_memory", "out of memory");
		return -1;
	}
	memcpy(en->body, buf + hlen, (size_t)body_len);
	en->body[body_len] = '\0';
	en->body_len = (size_t)body_len;
	return 0;
}

void
spool_entry_free(struct spool_entry *en)
{
	free(en->body);
	en->body = NULL;
	en->body_len = 0;
}

int
spool_read(const struct spool *sp, uint64_t seq, const char *pub_b64,
    struct spool_entry *en, struct mm_err *e)
{
	char name[NAME_DIGITS + 1], *buf;
	size_t len;
	int rc;

	memset(en, 0, sizeof(*en));
	entry_name(seq, name);
	rc = state_read_at(sp->dirfd, name, SPOOL_HEADER_MAX + SPOOL_BODY_MAX, &buf, &len, e);
	if (rc == 1) {
		err_set(e, "spool_absent", "spooled report %s is gone", name);
		return -1;
	}
	if (rc == -1) {
		/* A symlink, a folder, a FIFO, a huge file where a report should
		 * be is damage; a failing disk or memory is not the report's. */
		char why[sizeof(e->msg)];
		int damage = strcmp(e->reason, "file_unreadable") != 0 &&
		    strcmp(e->reason, "out_of_memory") != 0;
		snprintf(why, sizeof(why), "%s", e->msg);
		err_set(e, damage ? "spool_corrupt" : "spool_unreadable", "spooled report %s: %s",
		    name, why);
		return -1;
	}
	rc = spool_entry_parse(buf, len, en, e);
	free(buf);
	if (rc == -1 && strcmp(e->reason, "out_of_memory") == 0)
		return -1;
	if (rc == -1) {
		char why[sizeof(e->msg)];
		snprintf(why, sizeof(why), "%s", e->msg);
		err_set(e, "spool_corrupt", "spooled report %s is damaged: %s", name, why);
		return -1;
	}
	if (en->sequence != seq) {
		spool_entry_free(en);
		err_set(e, "spool_corrupt", "spooled report %s says it is sequence %" PRIu64,
		    name, en->sequence);
		return -1;
	}
	if (pub_b64 != NULL && pub_b64[0] != '\0' &&
	    sign_verify(pub_b64, en->body, en->body_len, en->signature, NULL) == -1) {
		spool_entry_free(en);
		err_set(e, "spool_corrupt", "spooled report %s: its signature does not verify "
		    "with this device's key (altered on disk, or from an earlier enrollment)", name);
		return -1;
	}
	return 0;
}

/* The "dropped" field of the entry's header; 0 when it cannot be read
 * (such an entry will be dropped and counted when its turn comes). */
static uint64_t
header_dropped(const struct spool *sp, uint64_t seq)
{
	char name[NAME_DIGITS + 1], buf[SPOOL_HEADER_MAX];
	struct spool_entry en;
	uint64_t body_len;
	size_t hlen;
	ssize_t r;
	int fd;

	entry_name(seq, name);
	fd = openat(sp->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return 0;
	do
		r = read(fd, buf, sizeof(buf));
	while (r == -1 && errno == EINTR);
	close(fd);
	memset(&en, 0, sizeof(en));
	if (r <= 0 || parse_header(buf, (size_t)r, &en, &body_len, &hlen) == -1)
		return 0;
	return en.dropped;
}

int
spool_dropped_unacked(const struct spool *sp, uint64_t *n, struct mm_err *e)
{
	return state_counter_get(sp->statefd, DROPPED_NAME, n, e);
}

int
spool_dropped_pending(const struct spool *sp, uint64_t *n, struct mm_err *e)
{
	struct listed *v;
	uint64_t unacked, carried = 0;
	size_t cnt;

	*n = 0;
	if (state_counter_get(sp->statefd, DROPPED_NAME, &unacked, e) == -1 ||
	    list_entries(sp, &v, &cnt, e) == -1)
		return -1;
	for (size_t i = 0; i < cnt; i++)
		carried += header_dropped(sp, v[i].seq);
	free(v);
	*n = unacked > carried ? unacked - carried : 0;
	return 0;
}

static int
remove_entry(struct spool *sp, uint64_t seq, struct mm_err *e)
{
	char name[NAME_DIGITS + 1];

	entry_name(seq, name);
	if (unlinkat(sp->dirfd, name, 0) == -1 && errno != ENOENT) {
		char aside[NAME_DIGITS + 16];
		/* Something planted under a report's name (a folder): out of
		 * the way, so that it cannot stop the reports behind it. */
		snprintf(aside, sizeof(aside), "%s.damaged", name);
		if (unlinkat(sp->dirfd, name, AT_REMOVEDIR) == -1 &&
		    renameat(sp->dirfd, name, sp->dirfd, aside) == -1) {
			err_set(e, "write_failed", "cannot remove spooled report %s: %s", name,
			    strerror(errno));
			return -1;
		}
	}
	/* Make the removal durable: a report that came back after a power
	 * cut would be sent again (harmless, but counted as dropped). */
	fsync(sp->dirfd);
	return 0;
}

int
spool_drop(struct spool *sp, uint64_t seq, struct mm_err *e)
{
	uint64_t unacked;

	/* Count first: a crash between the two over-counts by one, where
	 * the other order could lose the count of a lost report. */
	if (state_counter_get(sp->statefd, DROPPED_NAME, &unacked, e) == -1 ||
	    state_counter_set(sp->statefd, DROPPED_NAME, unacked + 1, e) == -1)
		return -1;
	return remove_entry(sp, seq, e);
}

int
spool_delivered(struct spool *sp, const struct spool_entry *en, struct mm_err *e)
{
	uint64_t unacked;

	if (remove_entry(sp, en->sequence, e) == -1)
		return -1;
	if (en->dropped == 0)
		return 0;
	/* Only now is the collector told: subtract what this report carried
	 * (drops since it was built stay counted for the next one). */
	if (state_counter_get(sp->statefd, DROPPED_NAME, &unacked, e) == -1)
		return -1;
	return state_counter_set(sp->statefd, DROPPED_NAME,
	    unacked > en->dropped ? unacked - en->dropped : 0, e);
}

int
spool_put(struct spool *sp, const struct spool_entry *en, size_t *evicted, struct mm_err *e)
{
	char name[NAME_DIGITS + 1], header[SPOOL_HEADER_MAX];
	struct state_buf b[2];
	struct listed *v;
	uint64_t bytes = 0, size;
	size_t cnt, i = 0;
	struct stat sb;
	int hl;

	*evicted = 0;
	if (en->sequence == 0 || !state_device_id_valid(en->device_id) ||
	    strlen(en->signature) != SIGN_SIG_B64_LEN || en->body_len == 0 ||
	    en->body_len > SPOOL_BODY_MAX) {
		err_set(e, "spool_invalid", "refusing to spool a report without sequence, "
		    "device, signature or body");
		return -1;
	}
	hl = snprintf(header, sizeof(header), "%s sequence=%" PRIu64 " device=%s dropped=%"
	    PRIu64 " length=%zu signature=%s\n", SPOOL_MAGIC, en->sequence, en->device_id,
	    en->dropped, en->body_len, en->signature);
	if (hl < 0 || (size_t)hl >= sizeof(header)) {
		err_set(e, "spool_invalid", "spool header too long");
		return -1;
	}
	size = (uint64_t)hl + en->body_len;
	if (sp->max_bytes != 0 && size > sp->max_bytes) {
		err_set(e, "spool_too_small", "the report (%" PRIu64 " bytes) is larger than the "
		    "whole spool (policy spool.max_bytes = %" PRIu64 ")", size, sp->max_bytes);
		return -1;
	}
	entry_name(en->sequence, name);
	/* A sequence is never reused: an existing entry is never overwritten. */
	if (fstatat(sp->dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		err_set(e, "spool_conflict", "a report with sequence %" PRIu64 " is already "
		    "spooled; refusing to overwrite it", en->sequence);
		return -1;
	}
	if (list_entries(sp, &v, &cnt, e) == -1)
		return -1;
	for (size_t k = 0; k < cnt; k++)
		bytes += v[k].size;
	while (i < cnt && ((sp->max_reports != 0 && cnt - i + 1 > sp->max_reports) ||
	    (sp->max_bytes != 0 && bytes + size > sp->max_bytes))) {
		if (spool_drop(sp, v[i].seq, e) == -1) {
			free(v);
			return -1;
		}
		bytes -= v[i].size;
		i++;
		(*evicted)++;
	}
	free(v);
	b[0].p = header;
	b[0].len = (size_t)hl;
	b[1].p = en->body;
	b[1].len = en->body_len;
	return state_write_at(sp->dirfd, name, b, 2, 0600, e);
}
