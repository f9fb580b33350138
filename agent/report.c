/* report: struct scan → JSON. Account names become keyed pseudonyms here,
 * at the border, when the policy says so; the scan itself keeps real names
 * for the person at the PC. */
#include <stdio.h>
#include <string.h>
#include "agent/report.h"
#include "common/sha256.h"
#include "common/utf8.h"

#ifndef MAMORI_VERSION
#define MAMORI_VERSION "0.0.0"
#endif

void
report_time(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
is_person(const struct scan *s, const char *name)
{
	for (size_t i = 0; i < s->people.n; i++)
		if (strcmp(s->people.v[i].name, name) == 0)
			return 1;
	return 0;
}

/* HMAC-SHA256 keyed with the raw machine-id, which the report does not
 * carry: stable per device, so history lines up, yet not reversible by
 * trying a list of common names at the association. */
static void
pseudonym(const struct scan *s, const char *name, char out[24])
{
	unsigned char md[SHA256_LEN];

	hmac_sha256(s->device.machine_secret, strlen(s->device.machine_secret),
	    name, strlen(name), md);
	strcpy(out, "u-");
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 + 2 * i, 3, "%02x", md[i]);
}

static json_t *
finding_json(const struct scan *s, const struct finding *f)
{
	char pseudo[24];
	const char *subject = f->subject;

	if (s->policy->privacy.account_names == NAMES_HASHED && is_person(s, subject)) {
		pseudonym(s, subject, pseudo);
		subject = pseudo;
	}
	return json_pack("{s:o, s:s, s:s?, s:O, s:s?}",
	    "subject", utf8_json_string(subject),
	    "verdict", verdict_name(f->verdict),
	    "reason", f->reason,
	    "evidence", f->evidence,
	    "remediation", f->remediation);
}

json_t *
report_build(const struct scan *s)
{
	json_t *checks = json_array(), *rep;
	size_t counts[4] = { 0, 0, 0, 0 };
	char when[32];

	for (size_t i = 0; i < s->n; i++) {
		const struct scan_item *it = &s->items[i];
		json_t *fs = json_array();

		for (size_t k = 0; k < it->result.n; k++)
			json_array_append_new(fs, finding_json(s, &it->result.f[k]));
		json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:s, s:o}",
		    "id", it->def->id,
		    "article", it->def->article,
		    "severity", severity_name(it->severity),
		    "verdict", verdict_name(it->verdict),
		    "findings", fs));
		counts[it->verdict]++;
	}
	report_time(s->at, when);
	rep = json_pack("{s:s, s:{s:s, s:s}, s:{s:o, s:{s:o, s:o, s:o}, s:o}, s:s, "
	    "s:{s:s, s:s}, s:s, s:{s:I, s:I, s:I, s:I}, s:o}",
	    "schema", REPORT_SCHEMA,
	    "agent", "name", "mamori", "version", MAMORI_VERSION,
	    "device", "hostname", utf8_json_string(s->device.hostname),
	    "os", "id", utf8_json_string(s->device.os_id),
	    "version", utf8_json_string(s->device.os_version),
	    "name", utf8_json_string(s->device.os_name),
	    "machine_id", utf8_json_string(s->device.machine_id),
	    "generated_at", when,
	    "policy", "id", s->policy->id, "sha256", s->policy->sha256,
	    "verdict", overall_name(s->overall),
	    "summary", "pass", (json_int_t)counts[V_PASS], "fail", (json_int_t)counts[V_FAIL],
	    "not_applicable", (json_int_t)counts[V_NOT_APPLICABLE],
	    "unknown", (json_int_t)counts[V_UNKNOWN],
	    "checks", checks);
	return rep;
}
