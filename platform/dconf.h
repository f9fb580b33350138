/* dconf: one person's desktop setting as their GNOME, MATE or Cinnamon
 * session reads it through GSettings and dconf — the value from the first
 * database of their dconf profile that has the key (a system database's
 * lock overriding their own), else the schema's default — and where that
 * value came from.
 *
 * What dconf does, verified in its source (GNOME/dconf engine/
 * dconf-engine-profile.c, dconf-engine-source*.c, dconf-engine.c
 * dconf_engine_read; bin/dconf-update.vala) and in GLib (gio/
 * gsettingsschema.c, gsettingsbackend.c g_settings_backend_read):
 *
 *  - the profile is the first of /run/dconf/user/UID, $DCONF_PROFILE,
 *    $XDG_RUNTIME_DIR/dconf/profile, /etc/dconf/profile/user,
 *    XDG_DATA_DIRS/dconf/profile/user; with none, the built-in
 *    "user-db:user". The environment of a session is not visible to a
 *    scan, so $DCONF_PROFILE is not consulted and $XDG_RUNTIME_DIR is
 *    taken as /run/user/UID, $XDG_CONFIG_HOME as ~/.config.
 *  - each profile line "user-db:NAME" (~/.config/dconf/NAME, writable),
 *    "system-db:NAME" (/etc/dconf/db/NAME), "file-db:PATH" (the file
 *    PATH) or "service-db:NAME" (held by the dconf service; mamori cannot
 *    read it and says so); '#' starts a comment, other lines are ignored.
 *  - `dconf update` compiles the files in /etc/dconf/db/NAME.d/locks/ into a ".locks"
 *    table of the database. A lock in any database after the first one
 *    wins: the value then comes from that database or a later one, never
 *    from the person's own. Without a lock, the first database that has
 *    the key decides.
 *  - GSettings ignores a stored value whose type is not the schema's and
 *    falls back to the schema default, which glib-compile-schemas stores
 *    per key as a tuple whose first member is the default. Schemas come
 *    from ~/.local/share/glib-2.0/schemas, then /usr/local/share and
 *    /usr/share (the first gschemas.compiled that holds the schema id).
 */
#ifndef MAMORI_DCONF_H
#define MAMORI_DCONF_H

#include <stddef.h>
#include "common/err.h"
#include "platform/accounts.h"
#include "platform/gvariant.h"
#include "platform/gvdb.h"
#include "platform/root.h"

#define DCONF_MAX_SOURCES	16
#define DCONF_MAX_SCHEMA_FILES	3
#define DCONF_CACHE_FILES	24

enum dconf_source_kind {
	DCONF_USER_DB,
	DCONF_SYSTEM_DB,
	DCONF_FILE_DB,
	DCONF_SERVICE_DB,
};

/* One database of the profile, read the first time a lookup needs it. */
struct dconf_source {
	enum dconf_source_kind kind;
	char path[1024];	/* under the root; empty for a service-db */
	char label[160];	/* for people: "~/.config/dconf/user", "/etc/dconf/db/local" */
	int loaded;		/* 1: read (or found absent) */
	int present;		/* 1: the file exists and is a sound database */
	char *buf;
	size_t len;
	int shared;		/* 1: buf belongs to a struct dconf_cache */
	struct gvdb values;
	int has_locks;
	struct gvdb locks;
};

struct dconf_schema_file {
	char *buf;
	size_t len;
	int shared;		/* 1: buf belongs to a struct dconf_cache */
	struct gvdb table;
	char label[160];
};

/* The machine's own dconf files — the profiles in /etc and /usr, the
 * system databases in /etc/dconf/db and the gschemas.compiled of
 * /usr/local/share and /usr/share — are the same for every person: a
 * check that reads many people's settings reads each of them once into a
 * cache and hands it to dconf_open_cached. It keeps each file's bytes, or
 * its absence or refusal with the error, as the first read found it, so
 * every person is judged on the same files. A person's own files (their
 * profile in /run, ~/.config/dconf, ~/.local/share/glib-2.0/schemas) and
 * file-db paths are never kept. One cache serves one root, for the length
 * of one check's run; files may change between runs. */
struct dconf_cache_file {
	char path[1024];
	size_t cap;		/* the size cap it was read with */
	enum file_status st;
	struct mm_err err;	/* what the read said, when st is not FILE_OK */
	char *buf;
	size_t len;
};

struct dconf_cache {
	const struct root *root;
	struct dconf_cache_file f[DCONF_CACHE_FILES];
	size_t n;
};

void dconf_cache_init(struct dconf_cache *c, const struct root *r);
void dconf_cache_free(struct dconf_cache *c);

struct dconf {
	const struct root *root;
	struct dconf_cache *cache;	/* NULL: every file is read afresh */
	char home[1024];
	char profile[160];	/* which profile decided, for evidence */
	struct dconf_source src[DCONF_MAX_SOURCES];
	size_t n;
	int schemas_loaded;
	struct dconf_schema_file schemas[DCONF_MAX_SCHEMA_FILES];
	size_t n_schemas;
};

/* A key's effective value. v points into struct dconf: valid until
 * dconf_close. */
struct dconf_value {
	struct gvariant v;
	int locked;		/* a system database locks the key */
	int is_default;		/* no database gives a usable value */
	char source[160];	/* database label or "schema default" */
};

/* Reads the person's dconf profile (not yet the databases). 0, or -1 with
 * err when the profile cannot be read. */
int dconf_open(struct dconf *d, const struct root *r, const struct person *p,
    struct mm_err *e);
/* As dconf_open, reading the machine's files through c (NULL: none);
 * c must outlive d. */
int dconf_open_cached(struct dconf *d, const struct root *r, const struct person *p,
    struct dconf_cache *c, struct mm_err *e);
void dconf_close(struct dconf *d);

/* The profile from a buffer (tests, fuzzing): fills d's sources as a
 * profile file with this text would. home is the person's home. */
int dconf_profile_parse(struct dconf *d, const char *buf, size_t len,
    const char *home, struct mm_err *e);

/* The value of key in schema (e.g. "org.gnome.desktop.session",
 * "idle-delay") for this person: the dconf path is the schema's path
 * plus the key. -1 with err when a database that must be consulted is
 * unreadable or corrupt, or the schema is not installed
 * (reason "schema_absent"). */
int dconf_read(struct dconf *d, const char *schema, const char *key,
    struct dconf_value *out, struct mm_err *e);

#endif
