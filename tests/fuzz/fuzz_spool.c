/* fuzz_spool: a spooled report as a crash, a full disk or a careless
 * administrator may leave it in STATE/spool/ — read back by the agent that
 * must send it (docs/protocol.md, "Spool"). The input is one spool file.
 * It is parsed from memory, then put into a scratch state folder under its
 * sequence's name (or 1) and read the way `mamori upload` reads it: listed,
 * its header's drop count summed, then read and its signature verified
 * with the device's key.
 *
 * Invariants: an accepted entry has a sequence, a device id the agent
 * accepts, an 88-character signature and a body of exactly the length the
 * header says, starting with '{'; written back in the writer's format it
 * reads back the same. Read from the folder, the entry is the one parsed
 * from memory, or refused as spool_corrupt (a signature that does not
 * verify, a sequence other than its name); pending drops never exceed the
 * counter. */
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "scratch.h"
#include "agent/spool.h"
#include "agent/state.h"
#include "common/sign.h"

/* The device key of the seeds (RFC 8032's first test key), so that a
 * seed's signature verifies. */
static const char pub_b64[] = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
static struct state st;
static struct spool sp;

static void
cleanup(void)
{
	spool_close(&sp);
	state_close(&st);
	scratch_remove();
}

static void
init(void)
{
	struct mm_err e;
	int fd;

	scratch_make("fuzz_spool");
	atexit(cleanup);
	if (state_open(&st, scratch, 0, &e) != 0 || spool_open(&sp, st.dirfd, 0, 0, &e) != 0)
		abort();
	/* Five drops the collector has not been told of. */
	fd = openat(st.dirfd, "dropped", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1 || write(fd, "5\n", 2) != 2 || close(fd) != 0)
		abort();
}

static int
sig_chars(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '+' || *s == '/' || *s == '='))
			return 0;
	return 1;
}

static void
accepted(const struct spool_entry *en, size_t len)
{
	struct spool_entry again;
	struct mm_err e;
	char *txt;
	int hl;

	if (en->sequence == 0 || !state_device_id_valid(en->device_id) ||
	    strlen(en->signature) != SIGN_SIG_B64_LEN || !sig_chars(en->signature) ||
	    en->body == NULL || en->body_len == 0 || en->body_len >= len ||
	    en->body[0] != '{' || en->body[en->body_len] != '\0')
		__builtin_trap();
	/* spool_put's format. */
	if ((txt = malloc(SPOOL_HEADER_MAX + en->body_len)) == NULL)
		abort();
	hl = snprintf(txt, SPOOL_HEADER_MAX, "%s sequence=%" PRIu64 " device=%s dropped=%"
	    PRIu64 " length=%zu signature=%s\n", SPOOL_MAGIC, en->sequence, en->device_id,
	    en->dropped, en->body_len, en->signature);
	if (hl <= 0 || hl >= SPOOL_HEADER_MAX)
		__builtin_trap();
	memcpy(txt + hl, en->body, en->body_len);
	if (spool_entry_parse(txt, (size_t)hl + en->body_len, &again, &e) != 0 ||
	    again.sequence != en->sequence || again.dropped != en->dropped ||
	    strcmp(again.device_id, en->device_id) != 0 ||
	    strcmp(again.signature, en->signature) != 0 || again.body_len != en->body_len ||
	    memcmp(again.body, en->body, en->body_len) != 0)
		__builtin_trap();
	spool_entry_free(&again);
	free(txt);
}

static void
from_folder(const uint8_t *data, size_t size, const struct spool_entry *parsed, int ok)
{
	char name[32];
	uint64_t seq = ok ? parsed->sequence : 1, *seqs, bytes, max, pending;
	struct spool_entry en;
	struct mm_err e;
	size_t n;
	int fd, rc;

	snprintf(name, sizeof(name), "%020" PRIu64, seq);
	fd = openat(sp.dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) != 0)
		abort();

	if (spool_list(&sp, &seqs, &n, &bytes, &e) != 0 || n != 1 || seqs[0] != seq ||
	    bytes != size)
		__builtin_trap();
	free(seqs);
	if (spool_max_sequence(&sp, &max, &e) != 0 || max != seq)
		__builtin_trap();
	if (spool_dropped_pending(&sp, &pending, &e) != 0 || pending > 5 ||
	    (ok && parsed->dropped <= 5 && pending != 5 - parsed->dropped))
		__builtin_trap();

	err_clear(&e);
	rc = spool_read(&sp, seq, pub_b64, &en, &e);
	if (rc == 0) {
		if (!ok || en.sequence != parsed->sequence || en.dropped != parsed->dropped ||
		    strcmp(en.device_id, parsed->device_id) != 0 ||
		    strcmp(en.signature, parsed->signature) != 0 ||
		    en.body_len != parsed->body_len ||
		    memcmp(en.body, parsed->body, en.body_len) != 0 ||
		    sign_verify(pub_b64, en.body, en.body_len, en.signature, NULL) != 0)
			__builtin_trap();
		spool_entry_free(&en);
	} else if (e.reason == NULL || strcmp(e.reason, "spool_corrupt") != 0 ||
	    en.body != NULL) {
		__builtin_trap();
	}
	/* Without a key to check against, what parsed is read. */
	err_clear(&e);
	rc = spool_read(&sp, seq, NULL, &en, &e);
	if ((rc == 0) != ok)
		__builtin_trap();
	if (rc == 0)
		spool_entry_free(&en);
	if (unlinkat(sp.dirfd, name, 0) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spool_entry en;
	struct mm_err e;
	char *b;
	int ok;

	if (scratch[0] == '\0')
		init();
	if ((b = malloc(size ? size : 1)) == NULL)
		abort();
	if (size)
		memcpy(b, data, size);
	err_clear(&e);
	ok = spool_entry_parse(b, size, &en, &e) == 0;
	if (ok)
		accepted(&en, size);
	else if (e.reason == NULL || strcmp(e.reason, "spool_corrupt") != 0 || en.body != NULL)
		__builtin_trap();
	from_folder(data, size, &en, ok);
	if (ok)
		spool_entry_free(&en);
	free(b);
	return 0;
}
