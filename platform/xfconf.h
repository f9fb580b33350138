/* xfconf: XFCE's settings store as xfconfd keeps it on disk — one XML file
 * per channel (xfce4/xfconf/xfce-perchannel-xml/CHANNEL.xml) in every
 * configuration folder — parsed from a buffer and merged the way xfconfd
 * merges the system copies and the person's own, with its administrator
 * locks (the locked="..." and unlocked="..." attributes of system files).
 *
 * What xfconfd does, verified in xfconf (xfconfd/xfconf-backend-perchannel-
 * xml.c: load_channel, merge_file, the start/end element handlers;
 * xfconfd/xfconf-locking-utils.c; common/xfconf-gvaluefuncs.c):
 *  - the files are found in XDG_CONFIG_HOME then XDG_CONFIG_DIRS; the
 *    system ones are merged from the least specific up, then the person's
 *    own, unless a system file locked the whole channel for them;
 *  - a file is read with GMarkup, element by element: <channel name=
 *    version=> (major version 1) holding <property name= type= value=>
 *    elements, nested to form paths like /lock/enabled, and <value>
 *    elements inside type="array". An unknown element or attribute, a
 *    missing name or type, an unknown type, a value that does not parse,
 *    or a lock attribute in the person's own file ends the reading of
 *    that file where it stands: what came before stays, the element at
 *    fault may already have cleared its property (a value that does not
 *    parse leaves the type's zero: false, 0);
 *  - locked="a;b;@group" (unlocked= for the contrary) in a system file
 *    locks a channel or property for the listed users and members of the
 *    listed groups (members as /etc/group lists them): the person's own
 *    file then cannot change it. xfconf has no other kiosk mechanism
 *    (libxfce4util's kioskrc is not consulted by xfconfd).
 * mamori reads the XML with libxml2 instead of GMarkup, and refuses what
 * GMarkup would not read the same: a file that is not UTF-8, not
 * well-formed, or that declares a DTD or entities (refused outright,
 * before parsing, so an entity bomb costs nothing). */
#ifndef MAMORI_XFCONF_H
#define MAMORI_XFCONF_H

#include <stddef.h>
#include "common/err.h"

/* One element event of a channel file, in document order. */
struct xfconf_attr {
	char *name;		/* "prefix:name" when namespaced */
	char *value;
};

struct xfconf_event {
	int end;		/* 0: start of element; 1: its end */
	char *name;		/* start only */
	struct xfconf_attr *attrs;
	size_t nattrs;
	long line;
};

struct xfconf_doc {
	struct xfconf_event *v;
	size_t n, cap;
};

/* Parses [buf, buf+len) into element events. -1 with reason parse_error
 * (and the line where libxml2 stopped) for a file that is not UTF-8, not
 * well-formed XML, declares a DOCTYPE or entities, nests deeper than 64
 * or holds more than 10000 elements; -1 with reason file_unreadable when
 * libxml2 (loaded at the first call) is not installed. Prints nothing. */
int xfconf_parse(const char *buf, size_t len, struct xfconf_doc *doc, struct mm_err *e);
void xfconf_doc_free(struct xfconf_doc *doc);

enum xfconf_type {
	XFCONF_UNSET = 0,
	XFCONF_STRING, XFCONF_BOOL, XFCONF_INT, XFCONF_UINT, XFCONF_INT64,
	XFCONF_UINT64, XFCONF_INT16, XFCONF_UINT16, XFCONF_CHAR, XFCONF_UCHAR,
	XFCONF_DOUBLE, XFCONF_FLOAT, XFCONF_ARRAY,
};

struct xfconf_value {
	enum xfconf_type type;	/* XFCONF_UNSET: no value here */
	long long i;		/* signed integer types */
	unsigned long long u;	/* unsigned integer types */
	double d;		/* double, float */
	int b;			/* bool */
	char *s;		/* string (may be NULL) */
	size_t origin;		/* the caller's number for the file that set it */
	long line;
};

struct xfconf_prop {
	char *path;		/* "/lock/enabled" */
	struct xfconf_value value;	/* from the person's own file */
	struct xfconf_value system;	/* from the system files */
	int locked;		/* the person's own file cannot change it */
};

/* A channel as xfconfd holds it for one person. */
struct xfconf_channel {
	struct xfconf_prop *v;
	size_t n, cap;
	int locked;		/* locked for the person: their file is not read */
	size_t lock_origin;
	size_t stopped;		/* files xfconfd stopped reading early */
	char stop_msg[256];	/* why, for the first of them */
};

/* Who the person is, for locked= lists: their login name, and whether
 * they are a member of a group (1 yes, 0 no, -1 could not be told, with
 * e filled). */
struct xfconf_who {
	const char *user;
	int (*in_group)(void *ctx, const char *group, struct mm_err *e);
	void *ctx;
};

void xfconf_channel_init(struct xfconf_channel *ch);
/* Merges one parsed file into ch, as xfconfd does: system files first
 * (least specific first), then the person's own (is_system 0), which
 * xfconfd skips when ch->locked — so does this. Returns 0 (an early stop
 * is counted in ch->stopped, not an error), or -1 with e: no memory, or
 * in_group could not tell. */
int xfconf_merge(struct xfconf_channel *ch, const struct xfconf_doc *doc, int is_system,
    size_t origin, const struct xfconf_who *who, struct mm_err *e);

const struct xfconf_prop *xfconf_lookup(const struct xfconf_channel *ch, const char *path);
/* What a program reading path gets: the person's value, else the
 * system's; NULL when neither. */
const struct xfconf_value *xfconf_get(const struct xfconf_channel *ch, const char *path);
/* xfconf_channel_get_bool: a value of type bool, else dflt. */
int xfconf_get_bool(const struct xfconf_channel *ch, const char *path, int dflt);
/* xfconf_channel_get_int: a value of type int (int16 and char too, which
 * reach a program as int over D-Bus), else dflt. */
long xfconf_get_int(const struct xfconf_channel *ch, const char *path, long dflt);
/* Whether the person cannot change path: channel or property locked. */
int xfconf_is_locked(const struct xfconf_channel *ch, const char *path);

void xfconf_channel_free(struct xfconf_channel *ch);

#endif
