/* render: "{name}" substitution; see render.h. */
#include <stdio.h>
#include <string.h>
#include "common/render.h"

/* Appends n bytes while they fit. Once one byte does not, nothing more is
 * added (the output stays a prefix of the full text) and *cut is set. */
static size_t
put(char *out, size_t o, size_t outlen, const char *s, size_t n, int *cut)
{
	for (size_t i = 0; i < n; i++) {
		if (o + 1 >= outlen) {
			*cut = 1;
			break;
		}
		out[o++] = s[i];
	}
	return o;
}

/* The length of out[0, o) without a multi-byte character cut in half at
 * its end: a notification or report must not carry a broken character. */
static size_t
drop_partial_char(const char *out, size_t o)
{
	size_t k = o, need;
	unsigned char lead;

	while (k > 0 && o - k < 3 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
		k--;
	if (k == 0)
		return o;
	lead = (unsigned char)out[k - 1];
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	return o - (k - 1) < need ? k - 1 : o;
}

void
render_msg(const char *tmpl, const char *subject, const json_t *evidence,
    char *out, size_t outlen)
{
	size_t o = 0;
	int cut = 0;

	if (outlen == 0)
		return;
	for (const char *p = tmpl; *p && !cut; p++) {
		const char *end;
		char name[64], num[32];
		const char *val = NULL;
		json_t *v;

		if (*p != '{' || (end = strchr(p, '}')) == NULL ||
		    (size_t)(end - p - 1) >= sizeof(name) || end == p + 1) {
			o = put(out, o, outlen, p, 1, &cut);
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
			o = put(out, o, outlen, p, 1, &cut);
			continue;
		}
		o = put(out, o, outlen, val, strlen(val), &cut);
		p = end;
	}
	if (cut)
		o = drop_partial_char(out, o);
	out[o] = '\0';
}
