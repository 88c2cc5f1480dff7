#include "notify/follow_ups.h"

#include <stdlib.h>
#include <string.h>

static int is_closed(const char *status)
{
	return strcmp(status, "accepted") == 0 || strcmp(status, "rejected") == 0 || strcmp(status, "withdrawn") == 0;
}

const char *follow_up_due_on(const struct follow_up_row *r, int follow_up_days, char day[TIMEFMT_DATE_LEN])
{
	if (r->follow_up_on && *r->follow_up_on)
		return r->status && is_closed(r->status) ? NULL : r->follow_up_on;
	if (!r->status || strcmp(r->status, "applied") != 0 || r->muted || follow_up_days <= 0 || !r->applied_on)
		return NULL;
	time_t applied;
	if (timefmt_parse(r->applied_on, &applied))
		return NULL;
	timefmt_date(applied + (time_t)follow_up_days * 86400, day);
	return day;
}

int follow_up_should_ghost(const struct follow_up_row *r, int ghost_days, int64_t now)
{
	if (ghost_days <= 0 || !r->status || strcmp(r->status, "applied") != 0 || !r->applied_on)
		return 0;
	time_t applied;
	if (timefmt_parse(r->applied_on, &applied))
		return 0;
	/* Counted from applying; once the status changed (moved back from
	 * "ghosted", say), from then. An application entered as "applied" (by
	 * hand or by import) still counts from applied_on. Whether it changed is
	 * asked of the timeline, not of status_changed_at == created_at: both
	 * are in seconds, and a ghosting undone within the second of creating
	 * the application looked unchanged and was ghosted again. */
	int64_t since = (int64_t)applied;
	if (r->status_changed && r->status_changed_at > since)
		since = r->status_changed_at;
	return now - since >= (int64_t)ghost_days * 86400;
}

static int by_due(const void *x, const void *y)
{
	const struct follow_up_due *a = x, *b = y;
	int d = strcmp(a->due_on, b->due_on);
	if (d)
		return d;
	return (a->app_id > b->app_id) - (a->app_id < b->app_id);
}

int follow_ups_due(struct store *s, int64_t user_id, const char *until, int64_t now, struct arena *a,
		   struct follow_up_due **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct notify_settings set;
	struct follow_up_row *rows;
	size_t n_rows;
	int rc = store_notify_settings_get(s, user_id, a, &set);
	if (rc == 0)
		rc = store_follow_up_rows(s, user_id, a, &rows, &n_rows);
	if (rc)
		return rc;
	struct follow_up_due *due = n_rows ? arena_alloc(a, n_rows * sizeof(*due)) : NULL;
	if (n_rows && !due)
		return STORE_ERROR;
	char today[TIMEFMT_DATE_LEN];
	timefmt_date((time_t)now, today);
	size_t k = 0;
	for (size_t i = 0; i < n_rows; i++) {
		char day[TIMEFMT_DATE_LEN];
		const char *on = follow_up_due_on(&rows[i], set.follow_up_days, day);
		if (!on || (until && strcmp(on, until) > 0))
			continue;
		char *copy = arena_strdup(a, on);
		if (!copy)
			return STORE_ERROR;
		due[k++] = (struct follow_up_due){ .app_id = rows[i].app_id,
						   .company = rows[i].company,
						   .position = rows[i].position,
						   .status = rows[i].status,
						   .due_on = copy,
						   .is_default = on == day,
						   .overdue = strcmp(copy, today) < 0 };
	}
	if (k > 1)
		qsort(due, k, sizeof(*due), by_due);
	*out = due;
	*n = k;
	return 0;
}

int follow_up_set(const struct tracker_call *c, int64_t app_id, const char *due_on, struct application *out,
		  struct field_errors *errs)
{
	if (due_on && !timefmt_date_valid(due_on)) {
		field_errors_add(errs, "due_on", "Give a date as YYYY-MM-DD, such as 2026-03-14.");
		return TRACKER_INVALID;
	}
	struct application values = { .follow_up_on = (char *)due_on }, got;
	int rc = store_tx_begin(c->store, c->user_id);
	if (rc)
		return rc;
	rc = tracker_app_patch(c, app_id, &values, APP_F_FOLLOW_UP_ON, 0, out ? out : &got, errs);
	if (rc == 0)
		rc = store_follow_up_mute(c->store, c->user_id, app_id, due_on == NULL);
	return store_tx_end(c->store, rc);
}

static int send_by_app(const void *x, const void *y)
{
	const struct reminder_send *a = x, *b = y;
	return (a->app_id > b->app_id) - (a->app_id < b->app_id);
}

int follow_ups_report(struct store *s, int64_t user_id, const char *until, int64_t now, struct arena *a,
		      struct follow_up_report **out, size_t *n)
{
	struct follow_up_due *due;
	struct reminder_send *sends;
	size_t n_due, n_sends;
	int rc = follow_ups_due(s, user_id, until, now, a, &due, &n_due);
	if (rc == 0)
		rc = store_reminder_send_list(s, user_id, STORE_LIST_MAX, a, &sends, &n_sends);
	if (rc)
		return rc;
	struct follow_up_report *r = n_due ? arena_alloc(a, n_due * sizeof(*r)) : NULL;
	if (n_due && !r)
		return STORE_ERROR;
	/* By application, so that each follow-up finds its records by halving. */
	if (n_sends > 1)
		qsort(sends, n_sends, sizeof(*sends), send_by_app);
	for (size_t i = 0; i < n_due; i++) {
		r[i] = (struct follow_up_report){ .due = due[i] };
		size_t lo = 0, hi = n_sends;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (sends[mid].app_id < due[i].app_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t j = lo; j < n_sends && sends[j].app_id == due[i].app_id; j++) {
			if (strcmp(sends[j].due_on, due[i].due_on) != 0)
				continue;
			if (strcmp(sends[j].channel, "webhook") == 0)
				r[i].webhook = &sends[j];
			else
				r[i].email = &sends[j];
		}
	}
	*out = r;
	*n = n_due;
	return 0;
}
