/* spool: signed reports waiting for the collector, one file per report in
 * STATE/spool/, named by the report's sequence as 20 zero-padded digits,
 * so that name order is sending order. A report is written durably
 * (temporary file, fsync, rename, fsync of the folder) before any attempt
 * to send it, and removed only when the collector has it. The spool is
 * bounded by count and bytes (policy "spool"): when full, the oldest
 * report is dropped and counted; the count travels in a later report's
 * "spool": {"dropped": N} (docs/protocol.md, "Spool").
 *
 * Every call expects the state folder's lock (state_lock) to be held. */
#ifndef MAMORI_SPOOL_H
#define MAMORI_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include "agent/state.h"
#include "common/err.h"
#include "common/sign.h"

#define SPOOL_DIR "spool"
#define SPOOL_MAGIC "mamori-spool/1"
#define SPOOL_HEADER_MAX 512
#define SPOOL_BODY_MAX (256u << 20)

struct spool {
	int dirfd;		/* STATE/spool */
	int statefd;		/* STATE, where the "dropped" counter lives */
	uint64_t max_reports;	/* 0 = no bound (a spool only read, e.g. `mamori upload`) */
	uint64_t max_bytes;
};

/* One spooled report. */
struct spool_entry {
	uint64_t sequence;
	uint64_t dropped;	/* the "spool.dropped" the report carries */
	char device_id[STATE_DEVICE_ID_MAX + 1];
	char signature[SIGN_SIG_B64_LEN + 1];
	char *body;		/* the exact signed bytes; heap, see spool_entry_free */
	size_t body_len;
};

/* Opens (creating, 0700) STATE/spool and removes the temporary files a
 * crashed writer left there. */
int spool_open(struct spool *sp, int statefd, uint64_t max_reports, uint64_t max_bytes,
    struct mm_err *e);
void spool_close(struct spool *sp);

/* The spooled sequences, oldest first (free *seqs), and their total bytes. */
int spool_list(const struct spool *sp, uint64_t **seqs, size_t *n, uint64_t *bytes,
    struct mm_err *e);
/* The highest spooled sequence, 0 when empty. */
int spool_max_sequence(const struct spool *sp, uint64_t *seq, struct mm_err *e);

/* Drops not yet carried by any spooled report: what the next report's
 * spool.dropped must say. */
int spool_dropped_pending(const struct spool *sp, uint64_t *n, struct mm_err *e);
/* Drops the collector has not yet been told of (the persisted counter). */
int spool_dropped_unacked(const struct spool *sp, uint64_t *n, struct mm_err *e);

/* Makes room (dropping and counting the oldest while the spool is full),
 * then writes en durably. *evicted: how many were dropped for it. A
 * report larger than the whole spool is refused (reason spool_too_small). */
int spool_put(struct spool *sp, const struct spool_entry *en, size_t *evicted,
    struct mm_err *e);

/* Reads the report with that sequence. A damaged file (wrong header,
 * wrong length, a sequence other than its name, not a regular file, or,
 * when pub_b64 is given, a signature that does not verify) is -1 with
 * reason "spool_corrupt"; an I/O error "spool_unreadable", no memory
 * "out_of_memory", a file that is gone "spool_absent". */
int spool_read(const struct spool *sp, uint64_t seq, const char *pub_b64,
    struct spool_entry *en, struct mm_err *e);
/* Parses one entry's bytes (the body is copied). */
int spool_entry_parse(const char *buf, size_t len, struct spool_entry *en,
    struct mm_err *e);
void spool_entry_free(struct spool_entry *en);

/* The collector has the report: removes it, then subtracts the drops it
 * carried from the counter. */
int spool_delivered(struct spool *sp, const struct spool_entry *en, struct mm_err *e);
/* The report can never be delivered (the collector holds a newer one, the
 * file is damaged, it belongs to an earlier enrollment): counts it as
 * dropped, then removes it. */
int spool_drop(struct spool *sp, uint64_t seq, struct mm_err *e);

#endif
