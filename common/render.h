/* render: a message template with "{name}" holes, filled from a finding's
 * subject and evidence. Shared by the terminal, the notifier and tests so
 * that every reader of a report shows the same sentence. */
#ifndef MAMORI_RENDER_H
#define MAMORI_RENDER_H

#include <stddef.h>
#include <jansson.h>

/* Writes tmpl into out (always NUL-terminated, truncated to outlen) with
 * {subject} and {key} replaced; a hole with no value is left as written. */
void render_msg(const char *tmpl, const char *subject, const json_t *evidence,
    char *out, size_t outlen);

#endif
