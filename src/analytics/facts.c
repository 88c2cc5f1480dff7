/* facts.c — what one application's timeline says: how far it went in the
 * funnel, when it was applied and first answered (rules in analytics.h). */
#include "analytics/analytics.h"

#include <string.h>

#include "base/timefmt.h"

enum {
	ST_SAVED,
	ST_APPLIED,
	ST_SCREENING,
	ST_INTERVIEWING,
	ST_OFFER,
	ST_ACCEPTED,
	ST_REJECTED,
	ST_WITHDRAWN,
	ST_GHOSTED
};

/* The funnel stage a status implies, or -1 (withdrawn, unknown). */
static int stage_of(int st)
{
	if (st >= 0 && st < ANALYTICS_STAGES)
		return st;
	if (st == ST_REJECTED || st == ST_GHOSTED)
		return ST_APPLIED;
	return -1;
}

/* A status that means the employer answered. */
static int is_response_status(int st)
{
	return (st >= ST_SCREENING && st <= ST_ACCEPTED) || st == ST_REJECTED;
}

static int is_status_entry(const struct app_event *e)
{
	return e->kind && (strcmp(e->kind, "created") == 0 || strcmp(e->kind, "status_change") == 0);
}

static int64_t applied_on_time(const struct application *app)
{
	time_t t;
	if (app->applied_on && timefmt_parse(app->applied_on, &t) == 0)
		return (int64_t)t;
	return 0;
}

static void note_stage(struct app_facts *out, int st)
{
	int stage = stage_of(st);
	if (stage > out->furthest)
		out->furthest = stage;
}

void analytics_facts(const struct application *app, const struct app_event *hist, size_t n, struct app_facts *out)
{
	memset(out, 0, sizeof(*out));
	out->status = app->status;
	out->source = app->source ? app->source : "";
	out->created_at = app->created_at;
	note_stage(out, status_index(app->status));
	int64_t applied_on = applied_on_time(app);
	if (applied_on)
		note_stage(out, ST_APPLIED);

	/* The applied time first: responses are judged against it. */
	for (size_t i = 0; i < n; i++) {
		const struct app_event *e = &hist[i];
		if (!is_status_entry(e))
			continue;
		int to = status_index(e->to_status);
		note_stage(out, to);
		note_stage(out, status_index(e->from_status));
		if (out->applied_at || to < ST_APPLIED || to == ST_WITHDRAWN)
			continue;
		out->applied_at = e->at;
		/* An applied_on on an earlier day is the person saying when (an
		 * application logged after the fact); the tracker fills in the day
		 * of the move itself, which says nothing more than the entry. */
		if (applied_on && applied_on + 86400 <= e->at)
			out->applied_at = applied_on;
	}
	if (!out->applied_at && applied_on)
		out->applied_at = applied_on;
	if (!out->applied_at)
		return;

	for (size_t i = 0; i < n; i++) {
		const struct app_event *e = &hist[i];
		int64_t t;
		if (is_status_entry(e) && is_response_status(status_index(e->to_status)))
			t = e->at;
		else if (e->kind && strcmp(e->kind, "interview") == 0)
			t = e->created_at && e->created_at < e->at ? e->created_at : e->at;
		else
			continue;
		if (t >= out->applied_at && (!out->responded_at || t < out->responded_at))
			out->responded_at = t;
	}
}

int analytics_is_ghosted(const struct app_facts *f, int64_t now, int ghost_days)
{
	if (!f->applied_at || f->responded_at || status_index(f->status) == ST_WITHDRAWN)
		return 0;
	return status_index(f->status) == ST_GHOSTED || now - f->applied_at >= (int64_t)ghost_days * 86400;
}
