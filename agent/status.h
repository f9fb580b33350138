/* status: a person's status file in words, in the language i18n_init
 * chose — for the terminal (`mamori status`) and for the desktop
 * notification (agent/notify.c), so both say the same sentences: the
 * article's own words, what is wrong on this PC, and how to fix it. */
#ifndef MAMORI_STATUS_H
#define MAMORI_STATUS_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

/* The words of one paragraph of the policy ("15-3"), untranslated (the
 * msgid; Japanese in po/ja.po is the policy's own text), or NULL. */
const char *status_article_words(const char *paragraph);

/* 1 when an item is something the person must fix: a fail of a required
 * check (advisory and unknown items are shown by `mamori status` only). */
int status_item_is_problem(const json_t *item);
/* How many items of st are problems. */
size_t status_problem_count(const json_t *st);

/* "第15条(3) パスワードは…を満たす" — the article and the check's title. */
void status_item_heading(const json_t *item, char *out, size_t outlen);
/* "「パスワードは、英数混合8ヶタ以上とし…」" — the words of at most max of
 * the item's paragraphs, quoted. */
void status_item_quote(const json_t *item, int max, char *out, size_t outlen);
/* What is wrong and how to fix it (remediation "" when there is none). */
void status_item_texts(const json_t *item, char *what, size_t whatlen, char *fix,
    size_t fixlen);

/* The terminal view of one person's status. */
void status_print(FILE *out, const json_t *st);

/* The --lang of `mamori status` and `mamori notify`: NULL keeps the
 * session's language; ja or en is used from now on; anything else is
 * said on stderr and is -1 (a usage error). */
int status_lang_use(const char *lang);

/* `mamori status [--all] [--status-dir DIR] [--lang ja|en]`. */
int status_main(int argc, char **argv);

#endif
