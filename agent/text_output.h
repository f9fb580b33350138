/* text_output: a scan for a person at a terminal — one line per check, and
 * for each failing or unknown finding the reason and the fix, in the
 * language chosen by i18n_init. */
#ifndef MAMORI_TEXT_OUTPUT_H
#define MAMORI_TEXT_OUTPUT_H

#include <stdio.h>
#include "agent/scan.h"

void text_output_print(FILE *out, const struct scan *s);
/* "第15条(3)" / "Art. 15(3)" for "15-3"; several articles joined. */
void text_output_article(const char *article, char *out, size_t outlen);

/* The overall verdict in the reader's language ("適合" / "compliant"). */
const char *text_output_overall(enum overall o);

#endif
