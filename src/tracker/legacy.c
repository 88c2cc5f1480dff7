/* TEMPORARY: see legacy.h. */
#include "tracker/legacy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"

static int insert_created(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	struct app_event ev = { .app_id = app->id, .kind = "created", .at = now, .to_status = app->status };
	return store_event_insert(s, user_id, &ev, now);
}

int store_app_create(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	int rc = store_tx_begin(s, user_id);
	if (rc)
		return rc;
	rc = store_app_insert(s, user_id, app, now);
	if (rc == 0)
		rc = insert_created(s, user_id, app, now);
	return store_tx_end(s, rc);
}

static int update_locked(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	struct arena a;
	arena_init(&a, 0);
	struct application old;
	int rc = store_app_get(s, user_id, app->id, &a, &old);
	char old_status[32] = "";
	if (rc == 0)
		snprintf(old_status, sizeof(old_status), "%s", old.status);
	arena_free(&a);
	int changed = rc == 0 && strcmp(old_status, app->status) != 0;
	if (changed)
		app->status_changed_at = now;
	if (rc == 0)
		rc =
		    store_app_update(s, user_id, app, changed ? APP_F_ALL : (APP_F_ALL & ~(unsigned)APP_F_STATUS), now);
	if (rc == 0 && changed) {
		struct app_event ev = { .app_id = app->id,
					.kind = "status_change",
					.at = now,
					.from_status = old_status,
					.to_status = app->status };
		rc = store_event_insert(s, user_id, &ev, now);
	}
	return rc;
}

int store_app_update_all(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	int rc = store_tx_begin(s, user_id);
	if (rc)
		return rc;
	return store_tx_end(s, update_locked(s, user_id, app, now));
}

int store_app_import(struct store *s, int64_t user_id, struct application *apps, size_t n, int64_t now)
{
	/* Which rows are inserts, so a rolled-back import leaves no ids behind. */
	unsigned char *fresh = n ? malloc(n) : NULL;
	if (n && !fresh)
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++)
		fresh[i] = apps[i].id <= 0;
	int rc = store_tx_begin(s, user_id);
	int began = rc == 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!fresh[i]) {
			rc = update_locked(s, user_id, &apps[i], now);
		} else {
			rc = store_app_insert(s, user_id, &apps[i], now);
			if (rc == 0)
				rc = insert_created(s, user_id, &apps[i], now);
		}
	}
	if (began)
		rc = store_tx_end(s, rc);
	for (size_t i = 0; rc && i < n; i++)
		if (fresh[i])
			apps[i].id = 0;
	free(fresh);
	return rc;
}

/* A follow-up planned for today or later becomes the next follow-up unless
 * an earlier one is still ahead; one in the past settles any date due by then. */
static int follow_up_from_event(struct store *s, int64_t user_id, const struct app_event *ev, int64_t now)
{
	if (strcmp(ev->kind, "follow_up") != 0)
		return 0;
	char day[TIMEFMT_DATE_LEN], today[TIMEFMT_DATE_LEN];
	int64_t shift = (int64_t)ev->tz_offset_min * 60;
	timefmt_date((time_t)(ev->at + shift), day);
	timefmt_date((time_t)(now + shift), today);
	struct arena a;
	arena_init(&a, 0);
	struct application app;
	int rc = store_app_get(s, user_id, ev->app_id, &a, &app);
	if (rc == 0) {
		char *cur = app.follow_up_on, *next = cur;
		if (strcmp(day, today) >= 0)
			next = (!cur || strcmp(cur, today) < 0 || strcmp(cur, day) > 0) ? day : cur;
		else if (cur && strcmp(cur, day) <= 0)
			next = NULL;
		if (next != cur) {
			app.follow_up_on = next;
			rc = store_app_update(s, user_id, &app, APP_F_FOLLOW_UP_ON, now);
		}
	}
	arena_free(&a);
	return rc;
}

static int follow_up_withdraw(struct store *s, int64_t user_id, int64_t app_id, const char *kind, int64_t at,
			      int64_t now)
{
	if (strcmp(kind, "follow_up") != 0)
		return 0;
	char first[TIMEFMT_DATE_LEN], last[TIMEFMT_DATE_LEN];
	timefmt_date((time_t)(at - 14 * 3600), first);
	timefmt_date((time_t)(at + 14 * 3600), last);
	struct arena a;
	arena_init(&a, 0);
	struct application app;
	int rc = store_app_get(s, user_id, app_id, &a, &app);
	if (rc == 0 && app.follow_up_on && strcmp(app.follow_up_on, first) >= 0 &&
	    strcmp(app.follow_up_on, last) <= 0) {
		app.follow_up_on = NULL;
		rc = store_app_update(s, user_id, &app, APP_F_FOLLOW_UP_ON, now);
	}
	arena_free(&a);
	return rc;
}

int store_event_create(struct store *s, int64_t user_id, struct app_event *ev, int64_t now)
{
	int rc = store_tx_begin(s, user_id);
	if (rc)
		return rc;
	rc = store_app_touch(s, user_id, ev->app_id, now);
	if (rc == 0)
		rc = store_event_insert(s, user_id, ev, now);
	if (rc == 0)
		rc = follow_up_from_event(s, user_id, ev, now);
	return store_tx_end(s, rc);
}

int store_event_edit(struct store *s, int64_t user_id, struct app_event *ev, int64_t now)
{
	int rc = store_tx_begin(s, user_id);
	if (rc)
		return rc;
	struct arena a;
	arena_init(&a, 0);
	struct app_event old;
	rc = store_event_get(s, user_id, ev->app_id, ev->id, &a, &old);
	if (rc == 0 && strcmp(old.kind, "note") && strcmp(old.kind, "interview") && strcmp(old.kind, "follow_up"))
		rc = STORE_NOTFOUND;
	if (rc == 0)
		rc = store_event_update(s, user_id, ev);
	if (rc == 0)
		rc = store_app_touch(s, user_id, ev->app_id, now);
	if (rc == 0)
		rc = follow_up_withdraw(s, user_id, ev->app_id, old.kind, old.at, now);
	if (rc == 0)
		rc = follow_up_from_event(s, user_id, ev, now);
	arena_free(&a);
	return store_tx_end(s, rc);
}

int store_event_remove(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id)
{
	int rc = store_tx_begin(s, user_id);
	if (rc)
		return rc;
	struct arena a;
	arena_init(&a, 0);
	struct app_event old;
	rc = store_event_get(s, user_id, app_id, event_id, &a, &old);
	if (rc == 0)
		rc = store_event_delete(s, user_id, app_id, event_id);
	if (rc == 0)
		rc = follow_up_withdraw(s, user_id, app_id, old.kind, old.at, (int64_t)time(NULL));
	arena_free(&a);
	return store_tx_end(s, rc);
}

int store_contact_create(struct store *s, int64_t user_id, struct contact *c, int64_t link_app_id, int64_t now)
{
	int rc = store_tx_begin(s, user_id);
	if (rc)
		return rc;
	rc = store_contact_insert(s, user_id, c, now);
	if (rc == 0 && link_app_id > 0)
		rc = store_contact_link(s, user_id, link_app_id, c->id);
	return store_tx_end(s, rc);
}
