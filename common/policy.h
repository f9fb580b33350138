/* policy: the rules a device is held to, loaded from JSON. The built-in
 * default (policy/default.json, compiled in) is read first; a policy file
 * then overrides any part of it. Unknown keys and wrong types are errors
 * with a line and column, never ignored. */
#ifndef MAMORI_POLICY_H
#define MAMORI_POLICY_H

#include <stddef.h>
#include "common/err.h"

enum severity {
	SEV_REQUIRED = 0,	/* a fail makes the device noncompliant */
	SEV_ADVISORY,		/* a fail only warns */
	SEV_OFF,		/* not run, not reported */
};

enum name_mode {
	NAMES_PLAIN = 0,	/* account names as they are */
	NAMES_HASHED,		/* keyed hash: the association sees a stable pseudonym */
};

#define POLICY_MAX_CHECKS 32

struct strlist {
	char **v;
	size_t n;
};

/* One file-sharing program (article 16-2). Patterns are fnmatch(3) globs,
 * matched case-insensitively against a file or process name only. */
struct p2p_entry {
	char name[64];
	struct strlist packages;	/* dpkg / rpm names */
	struct strlist flatpaks;	/* application ids */
	struct strlist snaps;		/* snap names */
	struct strlist files;		/* executable / AppImage / .exe names */
	struct strlist processes;	/* comm or exe base names */
};

enum av_freshness {
	AV_FRESH_CLAMAV = 0,	/* from the ClamAV databases' own headers */
	AV_FRESH_NONE,		/* not readable: the verdict is unknown */
};

/* One antivirus product (article 16-3). */
struct av_product {
	char name[64];
	struct strlist packages;
	struct strlist paths;		/* install paths that prove it is there */
	struct strlist processes;	/* its engine, running */
	enum av_freshness freshness;	/* how its signatures' age is read */
};

/* One removable storage device the facility approved (article 16-9). */
struct approved_device {
	char vendor_id[8];	/* 4 hex digits, as in sysfs idVendor */
	char product_id[8];
	char serial[128];
	char label[128];	/* what the facility calls it: "事務用USB 1" */
};

struct policy {
	char id[64];
	char sha256[65];	/* hex of the policy file's exact bytes */
	struct {
		char id[48];
		enum severity severity;
	} checks[POLICY_MAX_CHECKS];
	size_t n_checks;
	struct {
		long min_uid, max_uid;
		int include_root;
		struct strlist non_login_shells;
	} accounts;
	struct {
		long max_age_days;
		long min_length;
		int require_letters, require_digits;
	} password;
	struct {
		enum name_mode account_names;
	} privacy;
	struct {
		long max_idle_minutes;
	} screen_lock;
	struct {
		struct p2p_entry *v;
		size_t n;
		long walk_max_depth;	/* bounds of the walks through home folders */
		long walk_max_entries;
	} p2p;
	struct {
		long max_signature_age_days;
		struct av_product *v;
		size_t n;
	} antivirus;
	struct {
		struct approved_device *v;
		size_t n;
	} removable;
	struct {
		long max_reports;	/* signed reports kept while the collector is away */
		long max_bytes;
	} spool;
	struct {
		long interval_minutes;	/* mamori daemon: scan and report this often */
		long splay_minutes;	/* plus a random 0..splay, so PCs spread out */
	} daemon;
};

/* The known check ids: a policy naming another is refused. */
struct policy_known {
	const char *const *ids;
	size_t n;
};

/* Loads the default, then the file at path over it (path may be NULL).
 * On error, e->msg reads "FILE:LINE:COL: what is wrong; what was expected". */
int policy_load(struct policy *p, const char *path, const struct policy_known *k,
    struct mm_err *e);
/* The same from bytes (tests, fuzzing); name is used in messages. */
int policy_load_buf(struct policy *p, const char *buf, size_t len, const char *name,
    const struct policy_known *k, struct mm_err *e);
void policy_free(struct policy *p);

/* Severity of a check; a check the policy does not name is required. */
enum severity policy_severity(const struct policy *p, const char *check_id);
const char *severity_name(enum severity s);

/* The built-in default policy's bytes (policy/default.json). */
extern const char policy_default_json[];
extern const size_t policy_default_json_len;

#endif
