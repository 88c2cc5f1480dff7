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
	int64_t since = (int64_t)applied > r->status_changed_at ? (int64_t)applied : r->status_changed_at;
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
