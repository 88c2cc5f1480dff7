#include "export/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/ical.h"
#include "version.h"

static int by_id(const void *a, const void *b)
{
	const struct application *x = *(const struct application *const *)a;
	const struct application *y = *(const struct application *const *)b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every application of the user, and an index of them by id. */
static int load_apps(struct store *s, int64_t user_id, struct arena *a, struct application ***index, size_t *n_out)
{
	struct application *apps;
	size_t n;
	int rc = store_app_list_all(s, user_id, a, &apps, &n);
	if (rc)
		return rc;
	struct application **all = arena_alloc(a, (n + 1) * sizeof(*all));
	if (!all)
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++)
		all[i] = &apps[i];
	if (n)
		qsort(all, n, sizeof(*all), by_id);
	*index = all;
	*n_out = n;
	return 0;
}

static const struct application *find_app(struct application **index, size_t n, int64_t id)
{
	struct application key = { .id = id }, *k = &key;
	struct application **hit = n ? bsearch(&k, index, n, sizeof(*index), by_id) : NULL;
	return hit ? *hit : NULL;
}

/* "Company — Position", or whichever is known. */
static const char *app_label(const struct application *app, struct arena *a)
{
	if (!app)
		return "an application";
	const char *c = app->company ? app->company : "", *p = app->position ? app->position : "";
	if (*c && *p)
		return arena_printf(a, "%s \xe2\x80\x94 %s", c, p);
	return *c ? c : *p ? p : "an application";
}

static void write_interview(struct buf *out, const struct app_event *ev, const struct application *app, struct arena *a)
{
	char uid[64], seq[24];
	snprintf(uid, sizeof(uid), "interview-%lld@jobtrack", (long long)ev->id);
	snprintf(seq, sizeof(seq), "%lld", (long long)(ev->version > 0 ? ev->version - 1 : 0));
	buf_puts(out, "BEGIN:VEVENT\r\n");
	ical_raw(out, "UID", uid);
	ical_time(out, "DTSTAMP", ev->created_at);
	ical_time(out, "DTSTART", ev->at);
	ical_raw(out, "DURATION", "PT1H");
	ical_raw(out, "SEQUENCE", seq);
	const char *kind = ev->interview_kind && *ev->interview_kind ? ev->interview_kind : NULL;
	ical_text(out, "SUMMARY",
		  kind ? arena_printf(a, "Interview (%s): %s", kind, app_label(app, a))
		       : arena_printf(a, "Interview: %s", app_label(app, a)));
	struct buf d;
	buf_init(&d, 1 << 20);
	if (ev->title && *ev->title)
		buf_printf(&d, "%s\n", ev->title);
	if (ev->with_whom && *ev->with_whom)
		buf_printf(&d, "With: %s\n", ev->with_whom);
	if (ev->body && *ev->body)
		buf_printf(&d, "%s\n", ev->body);
	if (app && app->url && *app->url)
		buf_printf(&d, "Posting: %s\n", app->url);
	if (d.len && !buf_failed(&d)) {
		d.data[--d.len] = 0; /* the last newline */
		ical_text(out, "DESCRIPTION", d.data);
	}
	buf_free(&d);
	if (app)
		ical_text(out, "LOCATION", app->location);
	ical_raw(out, "STATUS", "CONFIRMED");
	buf_puts(out, "END:VEVENT\r\n");
}

static void write_follow_up(struct buf *out, const struct application *app, struct arena *a)
{
	char uid[64], seq[24];
	snprintf(uid, sizeof(uid), "follow-up-%lld@jobtrack", (long long)app->id);
	snprintf(seq, sizeof(seq), "%lld", (long long)(app->version > 0 ? app->version - 1 : 0));
	struct buf ev;
	buf_init(&ev, 1 << 20);
	buf_puts(&ev, "BEGIN:VEVENT\r\n");
	ical_raw(&ev, "UID", uid);
	ical_time(&ev, "DTSTAMP", app->updated_at);
	int bad = ical_date(&ev, "DTSTART", app->follow_up_on, 0) || ical_date(&ev, "DTEND", app->follow_up_on, 1);
	ical_raw(&ev, "SEQUENCE", seq);
	ical_text(&ev, "SUMMARY", arena_printf(a, "Follow up: %s", app_label(app, a)));
	ical_text(&ev, "DESCRIPTION", app->status ? arena_printf(a, "Status: %s", app->status) : NULL);
	ical_raw(&ev, "TRANSP", "TRANSPARENT");
	buf_puts(&ev, "END:VEVENT\r\n");
	/* A date the store should never hold is left out rather than sent broken. */
	if (!bad && !buf_failed(&ev))
		buf_append(out, ev.data, ev.len);
	buf_free(&ev);
}

int calendar_feed_write(struct store *s, int64_t user_id, int64_t now, struct arena *a, struct buf *out)
{
	struct application **apps;
	size_t n_apps;
	int rc = load_apps(s, user_id, a, &apps, &n_apps);
	struct app_event *ivs = NULL;
	size_t n_ivs = 0;
	if (rc == 0)
		rc = store_interviews_between(s, user_id, now - CALENDAR_PAST_DAYS * 86400LL,
					      now + CALENDAR_FUTURE_DAYS * 86400LL, a, &ivs, &n_ivs);
	if (rc)
		return rc;
	buf_puts(out, "BEGIN:VCALENDAR\r\n");
	ical_raw(out, "VERSION", "2.0");
	ical_raw(out, "PRODID", "-//jobtrack//jobtrack " JOBTRACK_VERSION "//EN");
	ical_raw(out, "CALSCALE", "GREGORIAN");
	ical_text(out, "X-WR-CALNAME", "jobtrack: interviews and follow-ups");
	ical_raw(out, "REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
	ical_raw(out, "X-PUBLISHED-TTL", "PT1H");
	for (size_t i = 0; i < n_ivs; i++)
		write_interview(out, &ivs[i], find_app(apps, n_apps, ivs[i].app_id), a);
	for (size_t i = 0; i < n_apps; i++)
		if (apps[i]->follow_up_on && *apps[i]->follow_up_on)
			write_follow_up(out, apps[i], a);
	buf_puts(out, "END:VCALENDAR\r\n");
	return buf_failed(out) ? STORE_ERROR : 0;
}
