/* chromium_prefs: the JSON files of Chromium-family browsers (Chrome,
 * Chromium, Edge, Brave) that say whether passwords are saved — a
 * profile's Preferences, the user data folder's Local State, and the
 * enterprise policy files — read from a buffer with a size cap. */
#ifndef MAMORI_CHROMIUM_PREFS_H
#define MAMORI_CHROMIUM_PREFS_H

#include <stddef.h>
#include "common/err.h"

/* Preferences grows with use (it can reach several MiB); a file over this
 * is refused rather than parsed. */
#define CHROMIUM_PREFS_CAP	(16u << 20)

/* A setting that may be absent. */
enum chromium_bool {
	CHROMIUM_UNSET = -1,
	CHROMIUM_FALSE = 0,
	CHROMIUM_TRUE = 1,
};

/* From a profile's Preferences: whether the browser offers to save
 * passwords. credentials_enable_service is the setting; the older
 * profile.password_manager_enabled only counts when it is absent. A value
 * of the wrong type is as if absent (the browser ignores it too).
 * Returns 0, or -1 with parse_error when the text is not a JSON object. */
int chromium_prefs_saving(const char *buf, size_t len, enum chromium_bool *out,
    struct mm_err *e);

/* From Local State: the profile folder names listed in
 * profile.info_cache ("Default", "Profile 1", …), sorted. Names that could
 * not be a folder of the user data folder ("", ".", "..", with '/') are
 * dropped. Free with chromium_free_names. Returns 0 or -1 (parse_error). */
int chromium_local_state_profiles(const char *buf, size_t len, char ***names,
    size_t *n, struct mm_err *e);
void chromium_free_names(char **names, size_t n);

/* From one enterprise policy file (managed or recommended): the value of
 * PasswordManagerEnabled. The file is read the way the browser reads it:
 * comments and trailing commas are allowed. Returns 0, or -1 with
 * parse_error when it is not a JSON object even so. */
int chromium_policy_password_manager(const char *buf, size_t len,
    enum chromium_bool *out, struct mm_err *e);

#endif
