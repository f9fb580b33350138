/* i18n: choosing the language and finding the catalogs. gettext ignores
 * LANGUAGE in the "C" locale, and a clinic PC may not have ja_JP.UTF-8
 * generated; so when the wanted locale is missing we run in C.UTF-8 and
 * name the language through LANGUAGE, which gettext then honours. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common/i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/share/locale"
#endif

static char current[8] = "en";

static const char *
env_lang(void)
{
	const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v != NULL && *v != '\0')
			return strncmp(v, "ja", 2) == 0 ? "ja" : "en";
	}
	return "en";
}

/* Catalogs next to the binary (build/locale) win over the installed ones,
 * so a freshly built tree speaks Japanese before `make install`. */
static const char *
locale_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 8);
	char *slash;

	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash != NULL) {
			strcpy(slash + 1, "locale");
			if (access(buf, R_OK | X_OK) == 0)
				return buf;
		}
	}
	return LOCALEDIR;
}

void
i18n_init(const char *lang)
{
	char dir[4096];
	const char *want = lang ? lang : env_lang();

	if (setlocale(LC_ALL, "") == NULL)
		setlocale(LC_ALL, "C.UTF-8");
	snprintf(current, sizeof(current), "%s", strcmp(want, "ja") == 0 ? "ja" : "en");
	if (lang != NULL || strcmp(current, "ja") == 0) {
		const char *m = setlocale(LC_MESSAGES, NULL);
		if (m == NULL || strcmp(m, "C") == 0 || strcmp(m, "POSIX") == 0)
			setlocale(LC_MESSAGES, "C.UTF-8");
		setenv("LANGUAGE", current, 1);
	}
	bindtextdomain("mamori", locale_dir(dir, sizeof(dir)));
	bind_textdomain_codeset("mamori", "UTF-8");
	textdomain("mamori");
}

const char *
i18n_lang(void)
{
	return current;
}
