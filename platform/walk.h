/* walk: a bounded walk of a directory tree under the root, for checks that
 * look for files by name in folders a user controls (home folders, Wine
 * prefixes). Symbolic links are reported, never followed; the walk stays
 * on the filesystem it started on; depth, entries and time are bounded,
 * and a walk that hit a bound says so, so that a search that was not
 * finished is never taken for one that found nothing. A folder on another
 * filesystem (a mount point inside the searched place) is such a bound:
 * it is not entered, and the walk says so (WALK_OTHER_FS). */
#ifndef MAMORI_WALK_H
#define MAMORI_WALK_H

#include <stddef.h>
#include "common/err.h"
#include "platform/root.h"

struct walk_limits {
	long max_depth;		/* entries of the start are depth 1; a folder at
				 * max_depth is reported but not entered */
	long max_entries;	/* names looked at, over the whole walk */
	long max_ms;		/* wall-clock time for the whole walk */
};

/* Why a walk did not see everything. WALK_COMPLETE: it did. */
enum walk_stop {
	WALK_COMPLETE = 0,
	WALK_DEPTH,		/* a non-empty folder lay deeper than max_depth */
	WALK_ENTRIES,		/* more names than max_entries */
	WALK_TIME,		/* max_ms ran out */
	WALK_UNREADABLE,	/* a folder could not be opened */
	WALK_STOPPED,		/* the visitor asked to stop */
	WALK_OTHER_FS,		/* a folder on another filesystem was not entered */
};

struct walk_result {
	size_t entries;		/* names looked at */
	size_t dirs;		/* folders entered, the start included */
	size_t links;		/* symbolic links seen (never followed) */
	size_t other_fs;	/* folders on another filesystem, not entered;
				 * any makes stop at least WALK_OTHER_FS */
	size_t unreadable;	/* folders that could not be opened */
	enum walk_stop stop;	/* the first bound that was hit */
};

/* Called for every name met. dir is the folder holding it, relative to
 * the start ("" for the start itself), name the entry, kind 'f' regular
 * file, 'd' folder, 'l' symbolic link, 'o' anything else. A nonzero
 * return ends the walk (stop = WALK_STOPPED). */
typedef int (*walk_visit_fn)(void *arg, const char *dir, const char *name,
    char kind);

/* Walks the folder rel under the root. FILE_ABSENT if it does not exist;
 * FILE_BAD (with e) if it cannot be opened as a folder — a symbolic link
 * on the way is refused like everywhere else. FILE_OK otherwise, with
 * res->stop saying whether the walk saw everything. Depth, unreadable
 * folders and other filesystems cut only their branch; entries, time and
 * the visitor end the whole walk. */
enum file_status walk_tree(const struct root *r, const char *rel,
    const struct walk_limits *lim, walk_visit_fn visit, void *arg,
    struct walk_result *res, struct mm_err *e);

/* For a caller about to walk several places inside one folder (a home
 * folder's Downloads, .local/share/wineprefixes…): absent[i] = 1 when
 * places[i], a path relative to the folder rel, surely does not exist —
 * a part of it is missing from a folder reached from rel part by part,
 * with no symbolic link followed — so that walk_tree of it would return
 * FILE_ABSENT. 0 means "walk it and see": it is there, or a link, a file,
 * an unreadable folder or an odd path lies on the way, which walk_tree
 * judges and reports as ever. rel is opened once (as walk_tree opens
 * it); when that fails every absent[i] is 0. */
void walk_absent_places(const struct root *r, const char *rel,
    const char *const *places, size_t n, unsigned char *absent);

/* "complete", "depth", "entries", "time", "unreadable", "stopped",
 * "skipped_mounts". */
const char *walk_stop_name(enum walk_stop s);

#endif
