/* table: the one list of checks. Ids, articles and titles here are the
 * single source for the report, the docs and the translations; a test
 * holds docs/checks.md and po/ to it. */
#include <string.h>
#include "checks/check.h"

extern const struct check_def check_account_password_set;
extern const struct check_def check_account_no_autologin;
extern const struct check_def check_account_no_guest;
extern const struct check_def check_account_password_quality;
extern const struct check_def check_account_password_max_age;
extern const struct check_def check_account_password_changed;
extern const struct check_def check_screen_lock;
extern const struct check_def check_media_removable_approved;
extern const struct check_def check_device_disk_encrypted;
extern const struct check_def check_browser_password_saving_off;
extern const struct check_def check_browser_no_saved_passwords;
extern const struct check_def check_p2p_absent;
extern const struct check_def check_antivirus_present;
extern const struct check_def check_antivirus_signatures_fresh;

const struct check_def *const check_table[] = {
	&check_account_password_set,
	&check_account_no_autologin,
	&check_account_no_guest,
	&check_account_password_quality,
	&check_account_password_max_age,
	&check_account_password_changed,
	&check_screen_lock,
	&check_media_removable_approved,
	&check_device_disk_encrypted,
	&check_browser_password_saving_off,
	&check_browser_no_saved_passwords,
	&check_p2p_absent,
	&check_antivirus_present,
	&check_antivirus_signatures_fresh,
};
const size_t check_table_len = sizeof(check_table) / sizeof(check_table[0]);

/* Reasons any check may give when platform/ could not read something. */
const struct check_msg check_common_msgs[] = {
	{ "file_symlink", N_("A file that must be read is a symbolic link; mamori does not follow links. ({detail})") },
	{ "file_not_regular", N_("A file that must be read is not a regular file (a FIFO, device or folder). ({detail})") },
	{ "file_too_large", N_("A file that must be read is larger than mamori reads. ({detail})") },
	{ "file_unreadable", N_("A file that must be read could not be read. ({detail})") },
	{ "file_absent", N_("A file that must be read does not exist. ({detail})") },
	{ "path_invalid", N_("A path could not be used. ({detail})") },
	{ "dir_too_large", N_("A folder holds more entries than mamori reads. ({detail})") },
	{ "parse_error", N_("A settings file could not be understood. ({detail})") },
	{ "include_loop", N_("Settings include each other in a loop. ({detail})") },
	{ "out_of_memory", N_("mamori ran out of memory. ({detail})") },
	{ NULL, NULL },
};

const struct check_def *
check_find(const char *id)
{
	for (size_t i = 0; i < check_table_len; i++)
		if (strcmp(check_table[i]->id, id) == 0)
			return check_table[i];
	return NULL;
}

const char *
check_msg_text(const struct check_def *c, const char *key)
{
	if (key == NULL)
		return NULL;
	if (c != NULL && c->msgs != NULL)
		for (const struct check_msg *m = c->msgs; m->key != NULL; m++)
			if (strcmp(m->key, key) == 0)
				return m->text;
	for (const struct check_msg *m = check_common_msgs; m->key != NULL; m++)
		if (strcmp(m->key, key) == 0)
			return m->text;
	return NULL;
}
