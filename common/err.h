/* err: an error that travels from where it happened to the person who must act.
 * A stable reason key for machines (reports, catalogs) and a sentence for people. */
#ifndef MAMORI_ERR_H
#define MAMORI_ERR_H

struct mm_err {
	const char *reason;	/* stable key, e.g. "file_symlink"; never NULL after err_set */
	char msg[512];		/* what happened and, where possible, what to do */
};

void err_clear(struct mm_err *e);
/* Sets reason and a printf-style message. e may be NULL. */
void err_set(struct mm_err *e, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
