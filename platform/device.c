/* device: host name, os-release and machine-id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "common/sha256.h"
#include "platform/device.h"
#include "platform/text.h"

int
osrelease_get(const char *buf, size_t len, const char *key, char *out, size_t outlen)
{
	size_t pos = 0, ll, kl = strlen(key);
	const char *line;

	while (text_next_line(buf, len, &pos, &line, &ll)) {
		size_t o = 0;

		if (ll <= kl || memcmp(line, key, kl) != 0 || line[kl] != '=')
			continue;
		line += kl + 1;
		ll -= kl + 1;
		if (ll >= 2 && (line[0] == '"' || line[0] == '\'') && line[ll - 1] == line[0]) {
			line++;
			ll -= 2;
		}
		for (size_t i = 0; i < ll && o + 1 < outlen; i++) {
			if (line[i] == '\\' && i + 1 < ll)
				i++;
			/* Keep only printable text: this ends up on a dashboard. */
			if ((unsigned char)line[i] >= 0x20 && line[i] != 0x7f)
				out[o++] = line[i];
		}
		out[o] = '\0';
		return 0;
	}
	return -1;
}

static void
first_line(const struct root *r, const char *path, char *out, size_t outlen)
{
	char *buf;
	const char *line;
	size_t len, ll, pos = 0, o = 0;

	out[0] = '\0';
	if (root_read_file(r, path, 4096, &buf, &len, NULL) != FILE_OK)
		return;
	while (o == 0 && text_next_line(buf, len, &pos, &line, &ll)) {
		/* hostname(5): lines starting with '#' are comments */
		text_trim(&line, &ll);
		if (ll > 0 && line[0] == '#')
			continue;
		for (size_t i = 0; i < ll && o + 1 < outlen; i++)
			if ((unsigned char)line[i] > 0x20 && line[i] != 0x7f)
				out[o++] = line[i];
	}
	out[o] = '\0';
	free(buf);
}

void
device_public_id(const char *machine_secret, char out[33])
{
	static const char app[] = "mamori.device/1";
	unsigned char md[SHA256_LEN];

	out[0] = '\0';
	if (machine_secret[0] == '\0')
		return;
	hmac_sha256(machine_secret, strlen(machine_secret), app, sizeof(app) - 1, md);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void
device_read(struct device_facts *d, const struct root *r, int live)
{
	char *buf;
	size_t len;

	memset(d, 0, sizeof(*d));
	first_line(r, "/etc/hostname", d->hostname, sizeof(d->hostname));
	if (d->hostname[0] == '\0' && live) {
		struct utsname u;
		if (uname(&u) == 0)
			snprintf(d->hostname, sizeof(d->hostname), "%s", u.nodename);
	}
	first_line(r, "/etc/machine-id", d->machine_secret, sizeof(d->machine_secret));
	device_public_id(d->machine_secret, d->machine_id);
	/* /etc/os-release is a symlink on most systems; the file it names is
	 * the one the specification says to read next. */
	if (root_read_file(r, "/etc/os-release", 65536, &buf, &len, NULL) != FILE_OK &&
	    root_read_file(r, "/usr/lib/os-release", 65536, &buf, &len, NULL) != FILE_OK)
		return;
	osrelease_get(buf, len, "ID", d->os_id, sizeof(d->os_id));
	osrelease_get(buf, len, "VERSION_ID", d->os_version, sizeof(d->os_version));
	osrelease_get(buf, len, "PRETTY_NAME", d->os_name, sizeof(d->os_name));
	free(buf);
}
