/* keyfile: INI-style settings files — GLib key files (GDM, LightDM) and
 * SDDM's own INI reader — parsed from a buffer, overlaid in the order a
 * program reads them, and read back with each program's idea of a boolean.
 *
 * Why dialects: the three display managers read "the same" format three
 * ways, and a check must see what the program sees (verified in upstream
 * sources, see keyfile.c). */
#ifndef MAMORI_KEYFILE_H
#define MAMORI_KEYFILE_H

#include <stddef.h>
#include "common/err.h"
#include "platform/root.h"

struct keyfile_entry {
	char *key;
	char *value;		/* GLib rules: leading blanks dropped, trailing kept */
	size_t origin;		/* which source set it: keyfile_merge's origin */
};

struct keyfile_group {
	char *name;		/* "" for keys before any [group] */
	struct keyfile_entry *v;
	size_t n, cap;
};

struct keyfile {
	struct keyfile_group *g;	/* in order of first appearance */
	size_t n, cap;
	size_t skipped;		/* lines that were neither group, key nor comment */
	size_t rejected_line;	/* KEYFILE_GLIB: first line GLib refuses; 0 none */
};

enum keyfile_flags {
	/* Lenient INI: '#' and ';' comment lines, keys before any group
	 * belong to group "", lines of no known shape are skipped. */
	KEYFILE_DEFAULT = 0,
	/* GKeyFile (g_key_file_load_from_data): only '#' starts a comment; a
	 * key before the first group, a line of no known shape, an empty or
	 * malformed key or group name stops parsing there, as GLib does —
	 * what came before stays, rejected_line says where it stopped. */
	KEYFILE_GLIB = 1,
	/* SDDM's ConfigBase::loadInternal: '#' anywhere starts a comment and
	 * values are trimmed on both ends. */
	KEYFILE_SDDM = 2,
};

/* Parses [buf, buf+len). Binary data (NUL or control bytes other than tab,
 * CR, LF) is refused: -1 with reason parse_error and the line number. A
 * key repeated in a group keeps its first position and its last value; a
 * group repeated in the file is one group. */
int keyfile_parse(const char *buf, size_t len, int flags, struct keyfile *out,
    struct mm_err *e);

/* Reads the regular file rel under the root (no symlinks, FIFOs or files
 * over ROOT_CAP_CONFIG) and parses it; messages name the path. */
enum file_status keyfile_load(const struct root *r, const char *rel, int flags,
    struct keyfile *out, struct mm_err *e);

/* Overlays src onto dst, as a program reading several files in turn: each
 * key of src replaces or joins dst's, tagged with origin. 0 or -1 (no
 * memory). */
int keyfile_merge(struct keyfile *dst, const struct keyfile *src, size_t origin,
    struct mm_err *e);
/* The same for one group of src, stored under dst_group (LightDM files
 * [SeatDefaults] under [Seat:*]). */
int keyfile_merge_group(struct keyfile *dst, const char *dst_group,
    const struct keyfile_group *src, size_t origin, struct mm_err *e);

const struct keyfile_group *keyfile_group(const struct keyfile *kf, const char *name);
const struct keyfile_entry *keyfile_entry(const struct keyfile *kf, const char *group,
    const char *key);
/* The raw value, or NULL when the group or key is absent. */
const char *keyfile_get(const struct keyfile *kf, const char *group, const char *key);

/* What "true" means to each reader. */
enum keyfile_bool_dialect {
	/* g_key_file_get_boolean: exactly "true"/"1" or "false"/"0", trailing
	 * whitespace ignored, case-sensitive; anything else is an error. */
	KEYFILE_BOOL_GLIB = 0,
	/* gdm_settings_parse_value_as_boolean: "true"/"false" in any case,
	 * "1"/"0", no whitespace; anything else is an error (GDM then keeps
	 * its default, false). */
	KEYFILE_BOOL_GDM,
	/* LightDM config_get_boolean: trailing whitespace chomped, then only
	 * the exact "true" is true; anything else is false, never an error. */
	KEYFILE_BOOL_LIGHTDM,
	/* SDDM operator>>(bool): trimmed, "true" in any case is true, anything
	 * else false. */
	KEYFILE_BOOL_SDDM,
};

/* 1 true, 0 false, -1 not a boolean for that reader. */
int keyfile_bool(const char *value, enum keyfile_bool_dialect d);

void keyfile_free(struct keyfile *kf);

#endif
