/* The "Follow-ups due" section's data. */
#include "web/pages/follow_ups.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/timefmt.h"
#include "notify/follow_ups.h"
#include "web/pages/view_model.h"
#include "web/view.h"
#include "web/web.h"

static json_t *delivery_view(const char *channel, const struct reminder_send *r)
{
	json_t *o = json_object();
	vm_set_str(o, "channel", channel);
	const char *label = strcmp(r->state, "sent") == 0     ? "sent"
			    : strcmp(r->state, "failed") == 0 ? "failed, given up"
			    : r->attempts                     ? "failed, will retry"
							      : "waiting";
	vm_set_str(o, "state_label", label);
	if (r->last_error && *r->last_error && strcmp(r->state, "sent") != 0) {
		json_object_set_new(o, "failed", json_true());
		vm_set_str(o, "error", r->last_error);
	}
	return o;
}

json_t *vm_follow_ups(struct request *req)
{
	time_t now = time(NULL);
	time_t local = now + (time_t)view_tz_offset(req) * 60;
	char until[TIMEFMT_DATE_LEN], today[TIMEFMT_DATE_LEN];
	timefmt_date(local + FOLLOW_UPS_AHEAD_DAYS * 86400, until);
	timefmt_date(local, today);
	struct follow_up_report *items;
	size_t n;
	int rc = follow_ups_report(req->web->store, req->user.id, until, (int64_t)now, &req->arena, &items, &n);
	if (rc) {
		log_event(LOG_WARN, "follow_ups.load", "follow-ups of user %lld could not be read (%d)",
			  (long long)req->user.id, rc);
		return NULL;
	}
	if (!n)
		return NULL;
	json_t *arr = json_array();
	for (size_t i = 0; i < n && i < FOLLOW_UPS_SHOWN; i++) {
		const struct follow_up_due *d = &items[i].due;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(d->app_id));
		vm_set_str(o, "company", d->company);
		vm_set_str(o, "position", d->position);
		vm_set_str(o, "due_on", d->due_on);
		int cmp = strcmp(d->due_on, today);
		char label[48];
		snprintf(label, sizeof(label), "%s %s",
			 cmp < 0    ? "Overdue since"
			 : cmp == 0 ? "Due today,"
				    : "Due",
			 d->due_on);
		vm_set_str(o, "due_label", label);
		if (cmp <= 0)
			json_object_set_new(o, "due", json_true());
		if (d->is_default)
			json_object_set_new(o, "is_default", json_true());
		json_t *ds = json_array();
		if (items[i].webhook)
			json_array_append_new(ds, delivery_view("Webhook", items[i].webhook));
		if (items[i].email)
			json_array_append_new(ds, delivery_view("E-mail", items[i].email));
		json_object_set_new(o, "deliveries", ds);
		json_array_append_new(arr, o);
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "items", arr);
	char count[64];
	snprintf(count, sizeof(count), "%zu within a week", n);
	vm_set_str(ctx, "count_label", count);
	if (n > FOLLOW_UPS_SHOWN)
		json_object_set_new(ctx, "more", json_integer((json_int_t)(n - FOLLOW_UPS_SHOWN)));
	return ctx;
}
