/* i18n: gettext for user-facing text. Japanese first: the catalogs in po/
 * translate the English msgids; N_() marks text that is translated later,
 * where it is shown (the check table, messages). */
#ifndef MAMORI_I18N_H
#define MAMORI_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Sets up the "mamori" text domain. lang is "ja", "en" or NULL (from the
 * environment: LC_ALL, LC_MESSAGES, LANG). Output is always UTF-8.
 * Finds the catalogs next to the program when run from the build tree. */
void i18n_init(const char *lang);
/* "ja" or "en": the language text is being shown in. */
const char *i18n_lang(void);

#endif
