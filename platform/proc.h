/* proc: the programs running on a machine, from /proc under the root —
 * each process's name (comm), the path of its program (the target of
 * /proc/PID/exe, read with readlinkat, never followed) and, for Windows
 * programs run by Wine only, the base name of argv[0]. Nothing else of a
 * command line is read, and nothing of it is kept. */
#ifndef MAMORI_PROC_H
#define MAMORI_PROC_H

#include <stddef.h>
#include "common/err.h"
#include "platform/root.h"

#define PROC_COMM_MAX 15	/* the kernel keeps 15 bytes of a name (TASK_COMM_LEN - 1) */

struct proc_entry {
	long pid;
	char comm[PROC_COMM_MAX + 1];	/* possibly cut at 15 bytes */
	char exe[512];			/* program path, "" when unreadable (kernel threads) */
	char wine_prog[256];		/* Wine: base name of argv[0] ("Winny.exe"), else "" */
};

struct proc_list {
	struct proc_entry *v;
	size_t n;
	int present;		/* 0: no /proc under the root (an image, not a live system) */
};

/* Reads /proc under the root: at most max processes (more is
 * FILE_BAD/dir_too_large). Processes that end while being read are
 * skipped. FILE_ABSENT when there is no /proc. */
enum file_status proc_list_load(const struct root *r, size_t max,
    struct proc_list *pl, struct mm_err *e);
void proc_list_free(struct proc_list *pl);

/* Whether a policy pattern names this process, and which of its names
 * matched (for evidence: a program name, never a path or arguments).
 * A pattern with a '/' is an fnmatch(3) glob over the program's path
 * (such as /opt/eset/eea/ followed by a star); any other is a case-insensitive glob over comm,
 * the program's base name and the Wine program name. A comm of 15 bytes
 * may be a longer name cut short, so it matches a pattern that some name
 * starting with those 15 bytes would match ("transmission-gt" matches
 * "transmission-gtk"). Returns the matched name or NULL. */
const char *proc_match(const struct proc_entry *p, const char *pattern);

/* Whether some name starting with prefix matches the glob pattern as
 * fnmatch(pattern, name, FNM_CASEFOLD) does in the current locale: the
 * test for a name the kernel cut short. A yes is always fnmatch's yes on
 * such a name; the work grows with |pattern| * |prefix|, never
 * exponentially. A pattern over 4096 bytes is only matched against the
 * prefix itself. */
int proc_glob_prefix_match(const char *pattern, const char *prefix);

/* The last part of a program path, Unix or Windows ("C:\\P2P\\Winny.exe"). */
const char *proc_base_name(const char *path);

#endif
