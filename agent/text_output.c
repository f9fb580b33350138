/* text_output: the terminal view of a scan. */
#include <string.h>
#include "agent/text_output.h"
#include "common/i18n.h"
#include "common/render.h"
#include "common/utf8.h"

static const char *
verdict_label(enum verdict v)
{
	switch (v) {
	/* TRANSLATORS: a check's verdict, shown in a column; keep it short. */
	case V_PASS: return _("PASS");
	/* TRANSLATORS: a check's verdict: the PC breaks this rule. */
	case V_FAIL: return _("FAIL");
	/* TRANSLATORS: a check's verdict: the rule does not apply to this PC. */
	case V_NOT_APPLICABLE: return _("N/A");
	/* TRANSLATORS: a check's verdict: could not be determined. */
	default: return _("UNKNOWN");
	}
}

const char *
text_output_overall(enum overall o)
{
	switch (o) {
	/* TRANSLATORS: the PC's overall verdict, in a sentence. */
	case OVERALL_COMPLIANT: return _("compliant");
	case OVERALL_NONCOMPLIANT: return _("noncompliant");
	default: return _("undetermined");
	}
}

void
text_output_article(const char *article, char *out, size_t outlen)
{
	char copy[64], *tok, *save = NULL;
	size_t o = 0;

	snprintf(copy, sizeof(copy), "%s", article);
	out[0] = '\0';
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		char *dash = strchr(tok, '-');
		int n;

		if (dash != NULL)
			*dash = '\0';
		/* TRANSLATORS: %1$s is "" or the separator ", " before a
		 * further article, %2$s the article, %3$s its paragraph in the
		 * m@tsu net operating policy, e.g. "第15条(3)". */
		n = dash ? snprintf(out + o, outlen - o, _("%sArt. %s(%s)"), o ? ", " : "", tok, dash + 1)
		    : snprintf(out + o, outlen - o, _("%sArt. %s"), o ? ", " : "", tok);
		if (n < 0 || (size_t)n >= outlen - o)
			break;
		o += (size_t)n;
	}
}

static void
print_msg(FILE *out, const char *prefix, const struct check_def *c, const char *key,
    const struct finding *f)
{
	const char *tmpl = check_msg_text(c, key);
	char line[1024];

	if (tmpl == NULL)
		return;
	render_msg(_(tmpl), f->subject, f->evidence, line, sizeof(line));
	fprintf(out, "%s%s\n", prefix, line);
}

void
text_output_print(FILE *out, const struct scan *s)
{
	char art[96];

	fprintf(out, _("mamori scan of %s (%s), policy %s\n"),
	    s->device.hostname[0] ? s->device.hostname : "?",
	    s->device.os_name[0] ? s->device.os_name : "?", s->policy->id);
	for (size_t i = 0; i < s->n; i++) {
		const struct scan_item *it = &s->items[i];

		text_output_article(it->def->article, art, sizeof(art));
		utf8_pad(out, verdict_label(it->verdict), 9);
		utf8_pad(out, it->def->id, 29);
		fprintf(out, "%s  %s%s\n", art, _(it->def->title),
		    it->severity == SEV_ADVISORY ? _(" (advisory)") : "");
		for (size_t k = 0; k < it->result.n; k++) {
			const struct finding *f = &it->result.f[k];

			if (f->verdict != V_FAIL && f->verdict != V_UNKNOWN)
				continue;
			fprintf(out, "         - %s: %s\n", f->subject, verdict_label(f->verdict));
			print_msg(out, "           ", it->def, f->reason, f);
			if (f->remediation != NULL) {
				char prefix[64];
				snprintf(prefix, sizeof(prefix), "           %s ",
				    /* TRANSLATORS: prefix of the line that says
				     * how to fix it. */
				    _("Fix:"));
				print_msg(out, prefix, it->def, f->remediation, f);
			}
		}
	}
	switch (s->overall) {
	case OVERALL_COMPLIANT:
		fprintf(out, "%s\n", _("Result: compliant — this PC follows articles 15 and 16."));
		break;
	case OVERALL_NONCOMPLIANT:
		fprintf(out, "%s\n", _("Result: noncompliant — fix the items marked FAIL above."));
		break;
	default:
		fprintf(out, "%s\n", _("Result: undetermined — some required checks could not be completed (see UNKNOWN above)."));
		break;
	}
}
