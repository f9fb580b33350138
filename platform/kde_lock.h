/* kde_lock: whether KDE Plasma locks a person's session when idle, from
 * kscreenlockerrc under /etc/xdg and ~/.config with KConfig's cascade and
 * its [$i] immutability (the administrator's lock). */
#ifndef MAMORI_KDE_LOCK_H
#define MAMORI_KDE_LOCK_H

#include "platform/idle_lock.h"

/* An idle_lock_reader. 0 with out filled (no files at all is KDE's
 * defaults: locks after 5 minutes); -1 with err when a file that counts
 * could not be read or parsed (file_symlink, file_not_regular,
 * parse_error…). */
int idle_lock_kde(const struct root *r, const struct person *p, struct idle_lock *out, struct mm_err *e);

#endif
