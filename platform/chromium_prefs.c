/* chromium_prefs: jansson over Chromium's JSON files; see chromium_prefs.h. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "platform/chromium_prefs.h"

static json_t *
load_object(const char *buf, size_t len, const char *what, struct mm_err *e)
{
	json_error_t je;
	json_t *root;

	if (len > CHROMIUM_PREFS_CAP) {
		err_set(e, "file_too_large", "%s is %zu bytes, more than the %u read",
		    what, len, CHROMIUM_PREFS_CAP);
		return NULL;
	}
	root = json_loadb(buf, len, 0, &je);
	if (root == NULL) {
		err_set(e, "parse_error", "%s is not valid JSON (line %d: %s)", what,
		    je.line, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		err_set(e, "parse_error", "%s does not hold a JSON object", what);
		return NULL;
	}
	return root;
}

static enum chromium_bool
get_bool(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_boolean(v))
		return CHROMIUM_UNSET;
	return json_is_true(v) ? CHROMIUM_TRUE : CHROMIUM_FALSE;
}

int
chromium_prefs_saving(const char *buf, size_t len, enum chromium_bool *out,
    struct mm_err *e)
{
	json_t *root;

	*out = CHROMIUM_UNSET;
	if ((root = load_object(buf, len, "Preferences", e)) == NULL)
		return -1;
	*out = get_bool(root, "credentials_enable_service");
	if (*out == CHROMIUM_UNSET)
		*out = get_bool(json_object_get(root, "profile"), "password_manager_enabled");
	json_decref(root);
	return 0;
}

void
chromium_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A name the user data folder can hold as a direct child. */
static int
folder_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 256 && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 &&
	    strchr(s, '/') == NULL;
}

int
chromium_local_state_profiles(const char *buf, size_t len, char ***names,
    size_t *n, struct mm_err *e)
{
	json_t *root, *cache, *v;
	const char *key;
	char **out;
	size_t cnt = 0;

	*names = NULL;
	*n = 0;
	if ((root = load_object(buf, len, "Local State", e)) == NULL)
		return -1;
	cache = json_object_get(json_object_get(root, "profile"), "info_cache");
	if (!json_is_object(cache) || json_object_size(cache) == 0) {
		json_decref(root);
		return 0;
	}
	out = calloc(json_object_size(cache), sizeof(*out));
	if (out == NULL)
		goto oom;
	json_object_foreach(cache, key, v) {
		if (!folder_name_ok(key))
			continue;
		if ((out[cnt] = strdup(key)) == NULL) {
			chromium_free_names(out, cnt);
			goto oom;
		}
		cnt++;
	}
	json_decref(root);
	if (cnt > 1)
		qsort(out, cnt, sizeof(*out), cmp_names);
	if (cnt == 0) {
		free(out);
		out = NULL;
	}
	*names = out;
	*n = cnt;
	return 0;
oom:
	json_decref(root);
	err_set(e, "out_of_memory", "out of memory reading Local State");
	return -1;
}

/* Skips a JSON string starting at s[i] == '"'; returns the index after it. */
static size_t
skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n && s[i] != '"'; i++)
		if (s[i] == '\\' && i + 1 < n)
			i++;
	return i < n ? i + 1 : n;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Chromium reads policy files with comments and trailing commas allowed
 * (JSON_PARSE_CHROMIUM_EXTENSIONS | JSON_ALLOW_TRAILING_COMMAS). jansson
 * does not, so both are blanked out first — comments in one pass, then
 * commas before a closing bracket — outside strings, keeping every other
 * byte where it was so that error lines still match the file. */
static void
relax_json(char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		if (s[i] == '"')
			i = skip_string(s, n, i);
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
	i = 0;
	while (i < n) {
		if (s[i] == '"') {
			i = skip_string(s, n, i);
			continue;
		}
		if (s[i] == ',') {
			for (j = i + 1; j < n && is_space(s[j]); j++)
				;
			if (j < n && (s[j] == '}' || s[j] == ']'))
				s[i] = ' ';
		}
		i++;
	}
}

int
chromium_policy_password_manager(const char *buf, size_t len,
    enum chromium_bool *out, struct mm_err *e)
{
	json_t *root;
	char *copy;

	*out = CHROMIUM_UNSET;
	if (len > CHROMIUM_PREFS_CAP) {
		err_set(e, "file_too_large", "a policy file is %zu bytes, more than the %u read",
		    len, CHROMIUM_PREFS_CAP);
		return -1;
	}
	if ((copy = malloc(len + 1)) == NULL) {
		err_set(e, "out_of_memory", "out of memory reading a policy file");
		return -1;
	}
	memcpy(copy, buf, len);
	copy[len] = '\0';
	relax_json(copy, len);
	root = load_object(copy, len, "the policy file", e);
	free(copy);
	if (root == NULL)
		return -1;
	*out = get_bool(root, "PasswordManagerEnabled");
	json_decref(root);
	return 0;
}
