/* render: "{name}" substitution; see render.h. */
#include <stdio.h>
#include <string.h>
#include "common/render.h"

static size_t
put(char *out, size_t o, size_t outlen, const char *s, size_t n)
{
	for (size_t i = 0; i < n && o + 1 < outlen; i++)
		out[o++] = s[i];
	return o;
}

void
render_msg(const char *tmpl, const char *subject, const json_t *evidence,
    char *out, size_t outlen)
{
	size_t o = 0;

	if (outlen == 0)
		return;
	for (const char *p = tmpl; *p; p++) {
		const char *end;
		char name[64], num[32];
		const char *val = NULL;
		json_t *v;

		if (*p != '{' || (end = strchr(p, '}')) == NULL ||
		    (size_t)(end - p - 1) >= sizeof(name) || end == p + 1) {
			o = put(out, o, outlen, p, 1);
			continue;
		}
		memcpy(name, p + 1, (size_t)(end - p - 1));
		name[end - p - 1] = '\0';
		if (strcmp(name, "subject") == 0)
			val = subject;
		else if (evidence && (v = json_object_get(evidence, name)) != NULL) {
			if (json_is_string(v))
				val = json_string_value(v);
			else if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
				val = num;
			} else if (json_is_boolean(v))
				val = json_is_true(v) ? "true" : "false";
		}
		if (val == NULL) {
			o = put(out, o, outlen, p, 1);
			continue;
		}
		o = put(out, o, outlen, val, strlen(val));
		p = end;
	}
	out[o] = '\0';
}
