/* idle_lock: what one desktop does for one person when they step away —
 * whether the session locks itself, and after how many seconds idle.
 * Each desktop's reader (dconf for GNOME/MATE/Cinnamon, kscreenlockerrc
 * for KDE, xfconf for XFCE) answers in this one shape, so the screen.lock
 * check can compare them with the policy without knowing where they live. */
#ifndef MAMORI_IDLE_LOCK_H
#define MAMORI_IDLE_LOCK_H

#include "common/err.h"
#include "platform/accounts.h"
#include "platform/root.h"

struct idle_lock {
	int locks;		/* 1: the session locks when idle */
	long lock_after_s;	/* seconds idle until it is locked (idle delay +
				 * lock delay); meaningful when locks */
	int locked_by_admin;	/* 1: an administrator's setting that the person cannot change decides */
	char source[160];	/* where the deciding value came from: a path or "default" */
};

/* Every reader has this shape: 0 when determined (out filled), -1 with
 * err when it could not be (unreadable, corrupt, symlinked file…). */
typedef int (*idle_lock_reader)(const struct root *r, const struct person *p,
    struct idle_lock *out, struct mm_err *e);

#endif
