/* xfce_lock: whether XFCE locks a person's session when idle, from
 * xfce4-screensaver's xfconf channel (the person's copy under ~/.config,
 * else the system's under /etc/xdg). */
#ifndef MAMORI_XFCE_LOCK_H
#define MAMORI_XFCE_LOCK_H

#include "platform/idle_lock.h"

/* An idle_lock_reader. 0 with out filled; -1 with err when a channel file
 * that counts could not be read or parsed (file_symlink, file_not_regular,
 * parse_error…). */
int idle_lock_xfce(const struct root *r, const struct person *p, struct idle_lock *out, struct mm_err *e);

#endif
