/* pwquality: the settings pam_pwquality and pam_cracklib check new
 * passwords with, read the way libpwquality reads them, and what those
 * settings guarantee about every password they accept.
 *
 * libpwquality (src/settings.c, pwquality_read_config) reads every
 * /etc/security/pwquality.conf.d/ *.conf in strcmp order FIRST and
 * /etc/security/pwquality.conf LAST, so the main file wins over conf.d;
 * pam_pwquality then applies its module arguments over the files. A line
 * libpwquality refuses (unknown key, bad number, line over 1022 bytes)
 * stops reading: the lines before it count, the rest of that file and every
 * later file do not. pam_cracklib reads no file at all. */
#ifndef MAMORI_PWQUALITY_H
#define MAMORI_PWQUALITY_H

#include <stddef.h>
#include "common/err.h"
#include "platform/root.h"

struct pwquality {
	int minlen;		/* minimum "size": characters plus credits */
	int dcredit, ucredit, lcredit, ocredit;	/* >0 credit, <0 required count */
	int minclass;		/* classes out of digits, upper, lower, other */
	int dictcheck;		/* cracklib's check, with its own 6-character floor */
	int enforcing;		/* 0: weak passwords only draw a warning */
	int cracklib;		/* pam_cracklib: the dictionary check always runs */
	char stop_path[256];	/* file of the line reading stopped at, or "" */
	size_t stop_line;	/* that line; 0 when every line was read */
};

/* What every password the settings accept has. */
struct pwquality_guarantee {
	long min_length;	/* no accepted password is shorter */
	int digits;		/* every accepted password holds a digit */
	int letters;		/* every accepted password holds a letter */
};

/* libpwquality's built-in defaults (minlen 8, no credits, no classes). */
void pwquality_defaults(struct pwquality *q);
/* pam_cracklib's built-in defaults (minlen 9, every credit 1). */
void pwquality_cracklib_defaults(struct pwquality *q);

/* Applies one pwquality.conf text over q. Returns 0 when every line was
 * applied, 1 when libpwquality stops at a line (*stop_line is set; lines
 * before it were applied), -1 with parse_error for binary content. */
int pwquality_parse(const char *buf, size_t len, struct pwquality *q,
    size_t *stop_line, struct mm_err *e);

/* Defaults, then conf.d, then the main file, as libpwquality does. Absent
 * files are fine; a file that exists but cannot be read safely is
 * FILE_BAD with the reason from root_read_file. */
enum file_status pwquality_load(const struct root *r, struct pwquality *q,
    struct mm_err *e);

/* One pam_pwquality module argument ("minlen=8", "enforce_for_root").
 * Returns 0 when applied or ignored by design, -1 when pam_pwquality would
 * refuse it (it only logs that and goes on). */
int pwquality_apply_arg(struct pwquality *q, const char *arg);
/* One pam_cracklib module argument, parsed as pam_cracklib parses it. */
void pwquality_cracklib_arg(struct pwquality *q, const char *arg);

/* The shortest password the settings accept and whether a digit and a
 * letter are unavoidable; the rules are spelled out in pwquality.c. */
void pwquality_guarantee(const struct pwquality *q, struct pwquality_guarantee *g);

#endif
