/* kconfig: KDE's INI dialect (KConfig) — groups, nested groups, keys,
 * the [$i] immutability an administrator uses to lock settings, and the
 * cascade in which KDE reads a file from every configuration folder, least
 * specific first, each overriding the last unless what came before is
 * immutable. Parsed from buffers, so tests and fuzzers feed literal text.
 *
 * Rules verified in KDE Frameworks' kconfig (src/core/kconfigini.cpp
 * KConfigIniBackend::parseConfig and printableToString, kconfigdata.cpp
 * KEntryMap::setEntry, kconfig.cpp KConfigPrivate::parseConfigFiles,
 * kconfiggroup.cpp convertToQVariant); see kconfig.c for the details. */
#ifndef MAMORI_KCONFIG_H
#define MAMORI_KCONFIG_H

#include <stddef.h>
#include "common/err.h"

/* KConfig joins the parts of a nested group [A][B] with this byte. */
#define KCONFIG_GROUP_SEP	'\x1d'

struct kconfig_entry {
	char *group;		/* "Daemon"; nested parts joined by KCONFIG_GROUP_SEP;
				 * "<default>" for keys before any group */
	char *key;
	char *value;		/* unescaped; NULL when deleted with [$d] */
	int immutable;		/* [$i] on the key, its group or the file */
	int expand;		/* [$e]: KDE would expand $VARS; kept as written */
	size_t origin;		/* the caller's number for the file that set it */
	size_t line;		/* its line in that file */
};

struct kconfig_group {
	char *name;
	int immutable;		/* later files cannot change or add keys */
};

/* What KDE holds after reading one or more files of a cascade. */
struct kconfig {
	struct kconfig_entry *v;
	size_t n, cap;
	struct kconfig_group *g;
	size_t ng, gcap;
	int file_immutable;	/* a file said [$i] on a line of its own: KDE
				 * reads no later (more specific) file */
	size_t immutable_origin;/* which file, when file_immutable */
	size_t skipped;		/* lines KDE warns about and ignores, and
				 * entries for another language */
};

enum kconfig_flags {
	/* The person's own file (KDE reads it without ParseDefaults): the
	 * lines of a group an earlier file made immutable are skipped. */
	KCONFIG_LOCAL = 0,
	/* A system file KDE reads for defaults: such lines are still
	 * considered, though they change nothing immutable. */
	KCONFIG_DEFAULTS = 1,
};

void kconfig_init(struct kconfig *kc);

/* Reads one more file of the cascade, as KDE does: its entries override
 * what earlier files set unless the entry or its group is immutable. A
 * caller stops feeding files once kc->file_immutable is set. origin tags
 * the entries this file sets. Binary data (NUL or control bytes other
 * than tab, CR, LF) is refused before anything is read: -1 with reason
 * parse_error and the line, kc unchanged. Other -1s (out_of_memory, more
 * entries than a settings file holds, an escape that decodes to NUL)
 * leave kc consistent but half-read; free it. */
int kconfig_parse(struct kconfig *kc, const char *buf, size_t len, int flags,
    size_t origin, struct mm_err *e);

/* The entry of key in group (NULL if absent). A deleted entry is returned
 * with value NULL: KDE then uses the program's default. */
const struct kconfig_entry *kconfig_entry(const struct kconfig *kc, const char *group,
    const char *key);
/* Whether a person's own file could change key in group: 1 when the file,
 * the group or the entry is immutable. */
int kconfig_is_immutable(const struct kconfig *kc, const char *group, const char *key);

/* KConfigGroup::readEntry(key, bool): every value is true except "false",
 * "no", "off" and "0" in any case. NULL (absent, deleted) gives dflt. */
int kconfig_bool(const char *value, int dflt);
/* readEntry(key, int): a decimal integer in int's range, else dflt. */
long kconfig_int(const char *value, long dflt);
/* readEntry(key, double): a decimal number ("2.5", "-1", "1e1"), else
 * dflt. Infinities and NaN are not numbers here. */
double kconfig_double(const char *value, double dflt);

void kconfig_free(struct kconfig *kc);

#endif
