/* dconf_lock: whether a GNOME, MATE or Cinnamon session locks itself when
 * its person steps away, read from their dconf settings (see dconf.h) and
 * answered in the shape every desktop reader shares (idle_lock.h). */
#ifndef MAMORI_DCONF_LOCK_H
#define MAMORI_DCONF_LOCK_H

#include "platform/dconf.h"
#include "platform/idle_lock.h"

int idle_lock_gnome(const struct root *r, const struct person *p,
    struct idle_lock *out, struct mm_err *e);
int idle_lock_mate(const struct root *r, const struct person *p,
    struct idle_lock *out, struct mm_err *e);
int idle_lock_cinnamon(const struct root *r, const struct person *p,
    struct idle_lock *out, struct mm_err *e);

/* The same, reading the machine's dconf files through c (see dconf.h), for
 * a check that reads them for many people; c NULL reads them afresh. */
typedef int (*dconf_lock_reader)(struct dconf_cache *c, const struct root *r,
    const struct person *p, struct idle_lock *out, struct mm_err *e);

int dconf_lock_gnome(struct dconf_cache *c, const struct root *r,
    const struct person *p, struct idle_lock *out, struct mm_err *e);
int dconf_lock_mate(struct dconf_cache *c, const struct root *r,
    const struct person *p, struct idle_lock *out, struct mm_err *e);
int dconf_lock_cinnamon(struct dconf_cache *c, const struct root *r,
    const struct person *p, struct idle_lock *out, struct mm_err *e);

#endif
