/* media.removable_approved (article 16-9): removable storage attached to
 * the PC is on the facility's approved list. Taking information out needs
 * the administrator's approval; the list in the policy is that approval,
 * device by device (vendor, product and, where given, serial). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "checks/check.h"
#include "common/utf8.h"
#include "platform/removable.h"

static const struct check_msg msgs[] = {
	{ "none_attached", N_("No removable storage is attached.") },
	{ "approved", N_("This device is approved as \"{label}\".") },
	{ "not_approved", N_("Removable storage {vendor} {model} ({vendor_id}:{product_id}) is attached but not on the approved list.") },
	{ "unidentified", N_("Removable storage is attached, but the PC does not say which device it is, so its approval cannot be checked.") },
	{ "no_device_information", N_("The PC's list of attached devices could not be read. ({detail})") },
	{ "remove_device", N_("Remove this device. To use it for work, ask the MCS administrator for approval first (article 16-9): they add it to the approved list.") },
	{ NULL, NULL },
};

static const struct approved_device *
find_approved(const struct policy *p, const struct removable_dev *d)
{
	for (size_t i = 0; i < p->removable.n; i++) {
		const struct approved_device *a = &p->removable.v[i];

		if (strcasecmp(a->vendor_id, d->vendor_id) != 0 ||
		    strcasecmp(a->product_id, d->product_id) != 0)
			continue;
		/* An entry without a serial approves the model; with one,
		 * only that very device. */
		if (a->serial[0] != '\0' && strcmp(a->serial, d->serial) != 0)
			continue;
		return a;
	}
	return NULL;
}

static void
run(const struct scan_ctx *ctx, struct check_result *r)
{
	struct removable_dev *devs;
	struct mm_err e;
	size_t n;

	err_clear(&e);
	if (removable_list(ctx->root, &devs, &n, &e) == -1) {
		result_add_error(r, "system", &e);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct removable_dev *d = &devs[i];
		const struct approved_device *a;
		json_t *ev = json_object();

		/* Strings from the device itself: made valid UTF-8, never markup. */
		json_object_set_new(ev, "device", utf8_json_string(d->name));
		json_object_set_new(ev, "bus", utf8_json_string(d->bus));
		json_object_set_new(ev, "vendor_id", utf8_json_string(d->vendor_id));
		json_object_set_new(ev, "product_id", utf8_json_string(d->product_id));
		json_object_set_new(ev, "vendor", utf8_json_string(d->vendor));
		json_object_set_new(ev, "model", utf8_json_string(d->model));
		if (d->serial[0])
			json_object_set_new(ev, "serial", utf8_json_string(d->serial));
		if (!d->identified) {
			result_add(r, d->name, V_UNKNOWN, "unidentified", "remove_device", ev);
			continue;
		}
		a = find_approved(ctx->policy, d);
		if (a != NULL) {
			json_object_set_new(ev, "label", json_string(a->label));
			result_add(r, d->name, V_PASS, "approved", NULL, ev);
		} else
			result_add(r, d->name, V_FAIL, "not_approved", "remove_device", ev);
	}
	if (n == 0)
		result_add(r, "system", V_PASS, "none_attached", NULL, NULL);
	free(devs);
}

const struct check_def check_media_removable_approved = {
	"media.removable_approved", "16-9",
	N_("Only approved removable storage is attached"),
	run, msgs,
};
