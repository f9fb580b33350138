/* fuzz_chromium_prefs: the JSON a browser profile is judged by. The first
 * byte picks the reader ('P' Preferences, 'L' Local State, 'M' a managed
 * policy file with Chromium's comments and trailing commas; and the two
 * Firefox JSON readers of platform/browsers.c, which have no fuzzer of
 * their own: 'J' logins.json counted as a stream, 'F' policies.json), the
 * rest is the file. Answers must be in range and consistent.
 *
 * The three Chromium readers are a streaming scanner that must accept
 * exactly what jansson accepts and find the same values: each answer is
 * held to the jansson reading the module used before (ref_* below), so a
 * difference in acceptance, in a value or in the names is a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "platform/browsers.h"
#include "platform/chromium_prefs.h"

/* ---- the jansson reading, as chromium_prefs.c did it ---- */

static json_t *
ref_load(const char *buf, size_t len)
{
	json_t *root = json_loadb(buf, len, 0, NULL);

	if (root != NULL && !json_is_object(root)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static enum chromium_bool
ref_bool(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_boolean(v))
		return CHROMIUM_UNSET;
	return json_is_true(v) ? CHROMIUM_TRUE : CHROMIUM_FALSE;
}

static int
ref_prefs(const char *buf, size_t len, enum chromium_bool *out)
{
	json_t *root = ref_load(buf, len);

	*out = CHROMIUM_UNSET;
	if (root == NULL)
		return -1;
	*out = ref_bool(root, "credentials_enable_service");
	if (*out == CHROMIUM_UNSET)
		*out = ref_bool(json_object_get(root, "profile"), "password_manager_enabled");
	json_decref(root);
	return 0;
}

/* The names of Local State as jansson sees them: 1 if names[0..n) are
 * exactly the usable keys of profile.info_cache. */
static int
ref_names_match(const char *buf, size_t len, int rc, char **names, size_t n)
{
	json_t *root = ref_load(buf, len), *cache, *v;
	const char *key;
	size_t want = 0;
	int ok = 1;

	if (root == NULL)
		return rc == -1;
	if (rc == -1) {
		json_decref(root);
		return 0;
	}
	cache = json_object_get(json_object_get(root, "profile"), "info_cache");
	if (json_is_object(cache)) {
		json_object_foreach(cache, key, v) {
			size_t l = strlen(key), i;

			if (l == 0 || l >= 256 || strcmp(key, ".") == 0 ||
			    strcmp(key, "..") == 0 || strchr(key, '/') != NULL)
				continue;
			want++;
			for (i = 0; i < n && strcmp(names[i], key) != 0; i++)
				;
			if (i == n)
				ok = 0;
		}
	}
	json_decref(root);
	return ok && want == n;
}

/* Chromium's comments and trailing commas blanked out, as relax_json in
 * chromium_prefs.c does (the part the scanner did not replace). */
static size_t
ref_skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n && s[i] != '"'; i++)
		if (s[i] == '\\' && i + 1 < n)
			i++;
	return i < n ? i + 1 : n;
}

static void
ref_relax(char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		if (s[i] == '"')
			i = ref_skip_string(s, n, i);
		else if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
			while (i < n && s[i] != '\n')
				s[i++] = ' ';
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			s[i] = s[i + 1] = ' ';
			i += 2;
			while (i < n && !(s[i] == '*' && i + 1 < n && s[i + 1] == '/')) {
				if (s[i] != '\n')
					s[i] = ' ';
				i++;
			}
			if (i < n) {
				s[i] = s[i + 1] = ' ';
				i += 2;
			}
		} else
			i++;
	}
	for (i = 0; i < n;) {
		if (s[i] == '"') {
			i = ref_skip_string(s, n, i);
			continue;
		}
		if (s[i] == ',') {
			for (j = i + 1; j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' ||
			    s[j] == '\r'); j++)
				;
			if (j < n && (s[j] == '}' || s[j] == ']'))
				s[i] = ' ';
		}
		i++;
	}
}

static int
ref_policy(const char *buf, size_t len, enum chromium_bool *out)
{
	char *copy = malloc(len + 1);
	json_t *root;

	if (copy == NULL)
		abort();
	memcpy(copy, buf, len);
	copy[len] = '\0';
	ref_relax(copy, len);
	root = ref_load(copy, len);
	free(copy);
	*out = CHROMIUM_UNSET;
	if (root == NULL)
		return -1;
	*out = ref_bool(root, "PasswordManagerEnabled");
	json_decref(root);
	return 0;
}

static void
bool_ok(int v)
{
	if (v != CHROMIUM_UNSET && v != CHROMIUM_FALSE && v != CHROMIUM_TRUE)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum chromium_bool v, rv;
	struct firefox_policy fp;
	struct mm_err e;
	char **names;
	size_t n, len;
	long count;
	char *b;
	int rc, rrc, which;

	if (size == 0 || size - 1 > CHROMIUM_PREFS_CAP)
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
		/* the same acceptance and the same value as jansson */
		rrc = ref_prefs(b, len, &rv);
		if (rc != rrc || v != rv)
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
			/* sorted, each name once */
			if (i > 0 && strcmp(names[i - 1], names[i]) >= 0)
				__builtin_trap();
		}
		if (!ref_names_match(b, len, rc, names, n))
			__builtin_trap();
		chromium_free_names(names, n);
		break;
	case 2:
		rc = chromium_policy_password_manager(b, len, &v, &e);
		bool_ok(v);
		if (rc == -1 && e.reason == NULL)
			__builtin_trap();
		rrc = ref_policy(b, len, &rv);
		if (rc != rrc || v != rv)
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
