/* Timeline entries: add, edit, remove, and what they do to the application
 * (its follow-up date, its "changed" time and version). */
#include "tracker/service.h"

#include <assert.h>
#include <string.h>

#include "tracker/event.h"
#include "tracker/follow_up.h"
#include "tracker/service_private.h"

/* How a timeline change moves the follow-up date. */
struct timeline_change {
	const struct app_event *before; /* the entry as it was, or NULL (added) */
	const struct app_event *after;  /* the entry as it is now, or NULL (removed) */
};

/* The times of app_id's follow-up entries other than entry `except`, read
 * after the change was written. */
static int other_follow_ups(const struct tracker_call *c, int64_t app_id, int64_t except, int64_t **out, size_t *n)
{
	struct app_event *events;
	size_t total;
	int rc = store_event_list(c->store, c->user_id, app_id, c->arena, &events, &total);
	if (rc)
		return rc;
	*out = arena_alloc(c->arena, (total ? total : 1) * sizeof(**out));
	if (!*out)
		return STORE_ERROR;
	*n = 0;
	for (size_t i = 0; i < total; i++)
		if (events[i].id != except && strcmp(events[i].kind, "follow_up") == 0)
			(*out)[(*n)++] = events[i].at;
	return 0;
}

/* Marks application app_id changed by its timeline, writing the follow-up
 * date the change leads to when it differs. One write either way, so the
 * application's version moves by one per change. */
static int timeline_changed(const struct tracker_call *c, int64_t app_id, struct timeline_change change)
{
	struct application app;
	int rc = store_app_get(c->store, c->user_id, app_id, c->arena, &app);
	if (rc)
		return rc;
	const char *date = app.follow_up_on;
	char withdrawn_day[TIMEFMT_DATE_LEN];
	if (change.before && strcmp(change.before->kind, "follow_up") == 0 && date) {
		int64_t *remaining;
		size_t n;
		rc = other_follow_ups(c, app_id, change.before->id, &remaining, &n);
		if (rc)
			return rc;
		date = follow_up_after_withdraw(date, change.before->at, remaining, n, c->tz_offset_min, c->now,
						withdrawn_day);
	}
	char day[TIMEFMT_DATE_LEN];
	if (change.after && strcmp(change.after->kind, "follow_up") == 0)
		date = follow_up_after_entry(date, change.after->at, change.after->tz_offset_min, c->now, day);
	int same = date == app.follow_up_on || (date && app.follow_up_on && strcmp(date, app.follow_up_on) == 0);
	if (same)
		return store_app_touch(c->store, c->user_id, app_id, c->now);
	app.follow_up_on = date ? arena_strdup(c->arena, date) : NULL;
	if (date && !app.follow_up_on)
		return STORE_ERROR;
	return store_app_update(c->store, c->user_id, &app, APP_F_FOLLOW_UP_ON, c->now);
}

int tracker_event_add(const struct tracker_call *c, struct app_event *ev)
{
	assert(c && ev && ev->kind);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	rc = store_event_insert(c->store, c->user_id, ev, c->now);
	if (rc == 0)
		rc = timeline_changed(c, ev->app_id, (struct timeline_change){ .after = ev });
	rc = store_tx_end(c->store, rc);
	if (rc)
		ev->id = 0;
	return rc;
}

/* Reads entry event_id inside the transaction: it must be one people may
 * change, at the version expected. */
static int read_editable(const struct tracker_call *c, int64_t app_id, int64_t event_id, int64_t expected_version,
			 struct app_event *ev)
{
	int rc = store_event_get(c->store, c->user_id, app_id, event_id, c->arena, ev);
	if (rc == 0 && !event_kind_editable(ev->kind))
		rc = TRACKER_HISTORY;
	if (rc == 0 && expected_version && ev->version != expected_version)
		rc = TRACKER_STALE;
	return rc;
}

int tracker_event_edit(const struct tracker_call *c, int64_t app_id, int64_t event_id, app_value_fn get, void *ctx,
		       int partial, int64_t expected_version, struct app_event *out, struct field_errors *errs)
{
	assert(c && get && out && errs);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	struct app_event before;
	rc = read_editable(c, app_id, event_id, expected_version, &before);
	if (rc == 0 || rc == TRACKER_STALE)
		*out = before;
	if (rc == 0) {
		out->tz_offset_min = c->tz_offset_min;
		event_edit(out, get, ctx, partial, (time_t)c->now, c->arena, errs);
		if (errs->n)
			rc = TRACKER_INVALID;
	}
	if (rc == 0)
		rc = store_event_update(c->store, c->user_id, out);
	if (rc == 0)
		rc = timeline_changed(c, app_id, (struct timeline_change){ .before = &before, .after = out });
	return store_tx_end(c->store, rc);
}

int tracker_event_remove(const struct tracker_call *c, int64_t app_id, int64_t event_id, int64_t expected_version)
{
	assert(c);
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	struct app_event before;
	rc = read_editable(c, app_id, event_id, expected_version, &before);
	if (rc == 0)
		rc = store_event_delete(c->store, c->user_id, app_id, event_id);
	if (rc == 0)
		rc = timeline_changed(c, app_id, (struct timeline_change){ .before = &before });
	return store_tx_end(c->store, rc);
}
