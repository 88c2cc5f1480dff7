/* analytics — the numbers of a user's dashboard, worked out from their
 * applications and timelines (read through store.h, never SQL of its own).
 *
 * Owns: what an application's history says (facts.c), reading a user's
 * data in two queries (load.c), and the figures: funnel.c, responses.c,
 * activity.c, pipeline.c. Rendering them is web/api/analytics.c's.
 *
 * The rules, judged from the timeline the tracker keeps (tracker/service.h
 * records a "created" entry with the first status and a "status_change"
 * entry for every move; people add "interview" entries):
 * - Funnel stages are saved → applied → screening → interviewing → offer →
 *   accepted (status.h order). An application counts at every stage up to
 *   the furthest its history (or current status) reached: one that went
 *   straight from applied to interviewing still passed screening. Every
 *   application counts as saved (it was tracked). Rejected and ghosted
 *   imply it was applied; withdrawn implies nothing.
 * - Applied at: the first status entry past saved that is not withdrawn;
 *   but when the application's applied_on date is an earlier day than that
 *   entry's (logged after the fact), midnight UTC of that date.
 *   An application with no such entry but an applied_on date uses the date.
 * - A response: a status entry to screening, interviewing, offer, accepted
 *   or rejected, or an interview entry (at the earlier of its time and when
 *   it was written: an interview planned ahead was agreed before), at or
 *   after the applied time. The first one is the first response.
 * - Ghosted: applied, no response, not withdrawn, and either marked ghosted
 *   or applied at least ghost_days days ago. The tracker has no follow-up
 *   period setting, so the default is two weeks (ANALYTICS_GHOST_DAYS). */
#ifndef JT_ANALYTICS_ANALYTICS_H
#define JT_ANALYTICS_ANALYTICS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"
#include "tracker/status.h"

#define ANALYTICS_STAGES     6 /* saved … accepted: status_names[0..6) */
#define ANALYTICS_GHOST_DAYS 14
#define ANALYTICS_GHOST_MAX  365
#define ANALYTICS_WEEKS_MAX  520 /* activity keeps the latest ten years */

/* What one application's history says. */
struct app_facts {
	const char *status; /* current status */
	const char *source; /* "" when unknown */
	int furthest;       /* furthest funnel stage reached, 0..ANALYTICS_STAGES-1 */
	int64_t created_at;
	int64_t applied_at;   /* 0: never applied */
	int64_t responded_at; /* first response; 0: none */
};

struct analytics_data {
	struct app_facts *apps;
	size_t n;
};

/* The facts of app from its timeline entries hist[0..n), oldest first
 * (other kinds than created, status_change and interview are ignored). */
void analytics_facts(const struct application *app, const struct app_event *hist, size_t n, struct app_facts *out);
/* Reads every application of the user and their history (two store reads,
 * whatever the number of applications) into facts allocated from a. */
int analytics_load(struct store *s, int64_t user_id, struct arena *a, struct analytics_data *out);

/* 1 when the application counts as ghosted at now. */
int analytics_is_ghosted(const struct app_facts *f, int64_t now, int ghost_days);

struct analytics_funnel {
	int64_t count[ANALYTICS_STAGES];
	/* rate[i]: count[i + 1] / count[i]; has_rate[i] 0 when count[i] is 0. */
	double rate[ANALYTICS_STAGES - 1];
	int has_rate[ANALYTICS_STAGES - 1];
};
void analytics_funnel(const struct analytics_data *d, struct analytics_funnel *out);

/* Response figures of a group of applied applications. */
struct analytics_responses_group {
	const char *key; /* source or "YYYY-MM" of the applied time; NULL overall */
	int64_t applied, responded, ghosted;
	double rate;            /* responded / applied; valid when applied > 0 */
	int64_t median_seconds; /* to the first response; valid when responded > 0 */
};
struct analytics_responses {
	struct analytics_responses_group overall;
	struct analytics_responses_group *by_source; /* by key, "" (unknown) first */
	size_t n_sources;
	struct analytics_responses_group *by_month; /* oldest first */
	size_t n_months;
};
int analytics_responses(const struct analytics_data *d, int64_t now, int ghost_days, struct arena *a,
			struct analytics_responses *out);

/* Applications saved (created) and applied per week, weeks starting on
 * Monday (UTC), from the first week with either to the last, empty weeks
 * included; at most ANALYTICS_WEEKS_MAX, the latest. */
struct analytics_week {
	char start[11]; /* "YYYY-MM-DD", a Monday */
	int64_t saved, applied;
};
int analytics_activity(const struct analytics_data *d, struct arena *a, struct analytics_week **out, size_t *n);

/* The current pipeline: applications per status (status_names order). */
struct analytics_pipeline {
	int64_t count[STATUS_COUNT];
	int64_t total;
};
void analytics_pipeline(const struct analytics_data *d, struct analytics_pipeline *out);

#endif
