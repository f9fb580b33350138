/* fuzz_chromium_prefs: the JSON a browser profile is judged by. The first
 * byte picks the reader ('P' Preferences, 'L' Local State, 'M' a managed
 * policy file with Chromium's comments and trailing commas; and the two
 * Firefox JSON readers of platform/browsers.c, which have no fuzzer of
 * their own: 'J' logins.json counted as a stream, 'F' policies.json), the
 * rest is the file. Answers must be in range and consistent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "platform/browsers.h"
#include "platform/chromium_prefs.h"

static void
bool_ok(int v)
{
	if (v != CHROMIUM_UNSET && v != CHROMIUM_FALSE && v != CHROMIUM_TRUE)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum chromium_bool v;
	struct firefox_policy fp;
	struct mm_err e;
	char **names;
	size_t n, len;
	long count;
	char *b;
	int rc, which;

	if (size == 0)
		return 0;
	switch (data[0]) {
	case 'P': which = 0; break;
	case 'L': which = 1; break;
	case 'M': which = 2; break;
	case 'J': which = 3; break;
	case 'F': which = 4; break;
	default: which = data[0] % 5; break;
	}
	len = size - 1;
	if ((b = malloc(len ? len : 1)) == NULL)
		abort();
	memcpy(b, data + 1, len);
	e.reason = NULL;
	switch (which) {
	case 0:
		rc = chromium_prefs_saving(b, len, &v, &e);
		bool_ok(v);
		if (rc == -1 && (e.reason == NULL || v != CHROMIUM_UNSET))
			__builtin_trap();
		break;
	case 1:
		rc = chromium_local_state_profiles(b, len, &names, &n, &e);
		if (rc == -1 && (e.reason == NULL || names != NULL || n != 0))
			__builtin_trap();
		for (size_t i = 0; i < n; i++) {
			/* a folder name of the user data folder, sorted */
			if (names[i][0] == '\0' || strchr(names[i], '/') != NULL ||
			    strcmp(names[i], "..") == 0 || strcmp(names[i], ".") == 0)
				__builtin_trap();
			if (i > 0 && strcmp(names[i - 1], names[i]) > 0)
				__builtin_trap();
		}
		chromium_free_names(names, n);
		break;
	case 2:
		rc = chromium_policy_password_manager(b, len, &v, &e);
		bool_ok(v);
		if (rc == -1 && e.reason == NULL)
			__builtin_trap();
		break;
	case 3:
		rc = browsers_firefox_logins_count(b, len, &count, &e);
		/* a counted login takes more bytes than one */
		if (count < 0 || (size_t)count > len || (rc == -1 && (count != 0 || e.reason == NULL)))
			__builtin_trap();
		break;
	default:
		rc = browsers_firefox_policy_parse(b, len, &fp, &e);
		if (fp.password_manager_enabled < -1 || fp.password_manager_enabled > 1 ||
		    fp.offer_to_save < -1 || fp.offer_to_save > 1 ||
		    fp.offer_to_save_default < -1 || fp.offer_to_save_default > 1)
			__builtin_trap();
		if (rc == -1 && e.reason == NULL)
			__builtin_trap();
		break;
	}
	free(b);
	return 0;
}
