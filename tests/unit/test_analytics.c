/* Unit tests for the dashboard's numbers (src/analytics/): a constructed
 * history written through the tracker's service, on whichever backend
 * JT_TEST_STORE_URL names (store_fixture.h), against values worked out by
 * hand in the comments. Bob's data is there to prove it is never counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store_fixture.h"

#include "analytics/analytics.h"
#include "base/arena.h"
#include "store/store.h"
#include "tracker/application.h"
#include "tracker/service.h"

#define DAY 86400
#define T0  (INT64_C(1772409600) + 9 * 3600) /* Monday 2026-03-02T09:00:00Z */
#define NOW (T0 + 40 * DAY)

struct fx {
	struct store_fixture sf;
	struct store *s;
	struct arena a;
	int64_t alice, bob;
};

static int64_t make_user(struct fx *f, const char *email)
{
	struct user u;
	return store_user_create(f->s, email, "hash", T0, &u) ? 0 : u.id;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || store_fixture_make(&f->sf, NULL, 1)) {
		free(f);
		return -1;
	}
	f->s = f->sf.s;
	arena_init(&f->a, 0);
	f->alice = make_user(f, "alice@example.com");
	f->bob = make_user(f, "bob@example.com");
	if (!f->alice || !f->bob)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_fixture_destroy(&f->sf);
	arena_free(&f->a);
	free(f);
	return 0;
}

static struct tracker_call call_at(struct fx *f, int64_t user, int64_t now)
{
	return (struct tracker_call){ .store = f->s, .user_id = user, .now = now, .arena = &f->a };
}

static int64_t create(struct fx *f, int64_t user, int64_t at, const char *status, const char *source)
{
	struct tracker_call c = call_at(f, user, at);
	struct application app;
	struct field_errors errs = { .n = 0 };
	app_init(&app, (time_t)at);
	app.company = "Acme";
	app.position = "Engineer";
	app.status = (char *)status;
	app.source = (char *)source;
	assert_int_equal(tracker_app_create(&c, &app, &errs), 0);
	return app.id;
}

static void move(struct fx *f, int64_t user, int64_t id, int64_t at, const char *status)
{
	struct tracker_call c = call_at(f, user, at);
	struct application out;
	int moved = 0;
	assert_int_equal(tracker_app_set_status(&c, id, status, 0, &out, &moved), 0);
	assert_true(moved);
}

/* Alice's nine applications (days after T0; "→" a status change):
 *   A linkedin  saved 0 → applied 1 → screening 3 → interviewing 10 → offer 20 → accepted 25
 *   B linkedin  saved 0 → applied 2 → rejected 9
 *   C referral  created applied 1 → interviewing 5 → rejected 12
 *   D referral  saved 2 → applied 8                      (no answer: ghosted at day 40)
 *   E (none)    saved 8 → applied 8; interview entry written day 9 for day 30
 *   F linkedin  saved 3 → withdrawn 4                    (never applied)
 *   G referral  saved 0 → applied 35                     (5 days: not ghosted yet)
 *   H linkedin  saved 1 → applied 33 → ghosted 38        (marked ghosted)
 *   I linkedin  saved 0 → applied 1 → withdrawn 20       (withdrawn: not ghosted)
 * Bob has one application that reached offer, which must count nowhere. */
static void build_history(struct fx *f)
{
	int64_t u = f->alice;
	int64_t a = create(f, u, T0, "saved", "linkedin");
	move(f, u, a, T0 + 1 * DAY, "applied");
	move(f, u, a, T0 + 3 * DAY, "screening");
	move(f, u, a, T0 + 10 * DAY, "interviewing");
	move(f, u, a, T0 + 20 * DAY, "offer");
	move(f, u, a, T0 + 25 * DAY, "accepted");
	int64_t b = create(f, u, T0, "saved", "linkedin");
	move(f, u, b, T0 + 2 * DAY, "applied");
	move(f, u, b, T0 + 9 * DAY, "rejected");
	int64_t c = create(f, u, T0 + 1 * DAY, "applied", "referral");
	move(f, u, c, T0 + 5 * DAY, "interviewing");
	move(f, u, c, T0 + 12 * DAY, "rejected");
	int64_t d = create(f, u, T0 + 2 * DAY, "saved", "referral");
	move(f, u, d, T0 + 8 * DAY, "applied");
	int64_t e = create(f, u, T0 + 8 * DAY, "saved", "");
	move(f, u, e, T0 + 8 * DAY, "applied");
	struct tracker_call ce = call_at(f, u, T0 + 9 * DAY);
	struct app_event iv = { .app_id = e,
				.kind = "interview",
				.at = T0 + 30 * DAY,
				.title = "Phone",
				.body = "",
				.interview_kind = "",
				.with_whom = "" };
	assert_int_equal(tracker_event_add(&ce, &iv), 0);
	int64_t fa = create(f, u, T0 + 3 * DAY, "saved", "linkedin");
	move(f, u, fa, T0 + 4 * DAY, "withdrawn");
	int64_t g = create(f, u, T0, "saved", "referral");
	move(f, u, g, T0 + 35 * DAY, "applied");
	int64_t h = create(f, u, T0 + 1 * DAY, "saved", "linkedin");
	move(f, u, h, T0 + 33 * DAY, "applied");
	move(f, u, h, T0 + 38 * DAY, "ghosted");
	int64_t i = create(f, u, T0, "saved", "linkedin");
	move(f, u, i, T0 + 1 * DAY, "applied");
	move(f, u, i, T0 + 20 * DAY, "withdrawn");

	int64_t bob = create(f, f->bob, T0, "applied", "linkedin");
	move(f, f->bob, bob, T0 + 1 * DAY, "screening");
	move(f, f->bob, bob, T0 + 2 * DAY, "offer");
}

static void load(struct fx *f, int64_t user, struct analytics_data *d)
{
	assert_int_equal(analytics_load(f->s, user, &f->a, d), 0);
}

static void test_funnel(void **state)
{
	struct fx *f = *state;
	build_history(f);
	struct analytics_data d;
	load(f, f->alice, &d);
	assert_int_equal(d.n, 9);
	struct analytics_funnel fu;
	analytics_funnel(&d, &fu);
	/* Furthest: A accepted, C interviewing (screening skipped still counts),
	 * B rejected and H ghosted → applied, F never applied. */
	const int64_t want[ANALYTICS_STAGES] = { 9, 8, 2, 2, 1, 1 };
	for (int s = 0; s < ANALYTICS_STAGES; s++)
		assert_int_equal(fu.count[s], want[s]);
	const double rates[] = { 8.0 / 9.0, 0.25, 1.0, 0.5, 1.0 };
	for (int s = 0; s + 1 < ANALYTICS_STAGES; s++) {
		assert_true(fu.has_rate[s]);
		assert_true(fu.rate[s] > rates[s] - 1e-9 && fu.rate[s] < rates[s] + 1e-9);
	}
}

static void check_group(const struct analytics_responses_group *g, const char *key, int64_t applied, int64_t responded,
			int64_t ghosted, int64_t median)
{
	if (key)
		assert_string_equal(g->key, key);
	else
		assert_null(g->key);
	assert_int_equal(g->applied, applied);
	assert_int_equal(g->responded, responded);
	assert_int_equal(g->ghosted, ghosted);
	double rate = (double)responded / (double)applied;
	assert_true(g->rate > rate - 1e-9 && g->rate < rate + 1e-9);
	if (responded)
		assert_int_equal(g->median_seconds, median);
}

static void test_responses(void **state)
{
	struct fx *f = *state;
	build_history(f);
	struct analytics_data d;
	load(f, f->alice, &d);
	struct analytics_responses r;
	assert_int_equal(analytics_responses(&d, NOW, ANALYTICS_GHOST_DAYS, &f->a, &r), 0);
	/* Applied: A B C D E G H I. First answers after: A 2 days (screening),
	 * B 7 (rejected), C 4 (interviewing), E 1 (the interview entry, written
	 * before its date). Median of 1, 2, 4, 7 days: 3 days. Ghosted: D (32
	 * days unanswered) and H (marked); G is 5 days in, I withdrew. */
	check_group(&r.overall, NULL, 8, 4, 2, 3 * DAY);
	assert_int_equal(r.n_sources, 3);
	check_group(&r.by_source[0], "", 1, 1, 0, 1 * DAY);
	check_group(&r.by_source[1], "linkedin", 4, 2, 1, 2 * DAY + 5 * DAY / 2); /* A, B, H, I */
	check_group(&r.by_source[2], "referral", 3, 1, 1, 4 * DAY);               /* C, D, G */
	assert_int_equal(r.n_months, 2);
	check_group(&r.by_month[0], "2026-03", 6, 4, 1, 3 * DAY); /* A B C D E I */
	check_group(&r.by_month[1], "2026-04", 2, 0, 1, 0);       /* G (Apr 6), H (Apr 4) */

	/* The period is the caller's: after 4 days G counts too, after 40 D does not. */
	assert_int_equal(analytics_responses(&d, NOW, 4, &f->a, &r), 0);
	assert_int_equal(r.overall.ghosted, 3);
	assert_int_equal(analytics_responses(&d, NOW, 40, &f->a, &r), 0);
	assert_int_equal(r.overall.ghosted, 1);
}

static void test_activity(void **state)
{
	struct fx *f = *state;
	build_history(f);
	struct analytics_data d;
	load(f, f->alice, &d);
	struct analytics_week *w;
	size_t n;
	assert_int_equal(analytics_activity(&d, &f->a, &w, &n), 0);
	/* Saved by creation week; applied by applied week (H day 33, G day 35). */
	const char *starts[] = { "2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06" };
	const int64_t saved[] = { 8, 1, 0, 0, 0, 0 }, applied[] = { 4, 2, 0, 0, 1, 1 };
	assert_int_equal(n, 6);
	for (size_t k = 0; k < n; k++) {
		assert_string_equal(w[k].start, starts[k]);
		assert_int_equal(w[k].saved, saved[k]);
		assert_int_equal(w[k].applied, applied[k]);
	}
}

static void test_pipeline(void **state)
{
	struct fx *f = *state;
	build_history(f);
	struct analytics_data d;
	load(f, f->alice, &d);
	struct analytics_pipeline p;
	analytics_pipeline(&d, &p);
	/* saved applied screening interviewing offer accepted rejected withdrawn ghosted */
	const int64_t want[STATUS_COUNT] = { 0, 3, 0, 0, 0, 1, 2, 2, 1 };
	for (int s = 0; s < STATUS_COUNT; s++)
		assert_int_equal(p.count[s], want[s]);
	assert_int_equal(p.total, 9);

	/* Bob sees only his own. */
	load(f, f->bob, &d);
	analytics_pipeline(&d, &p);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.count[4], 1);
	struct analytics_funnel fu;
	analytics_funnel(&d, &fu);
	assert_int_equal(fu.count[2], 1);
	assert_int_equal(fu.count[3], 1); /* reached offer: passed interviewing */
	assert_int_equal(fu.count[5], 0);
}

static void test_empty(void **state)
{
	struct fx *f = *state;
	struct analytics_data d;
	load(f, f->alice, &d);
	assert_int_equal(d.n, 0);
	struct analytics_funnel fu;
	analytics_funnel(&d, &fu);
	assert_int_equal(fu.count[0], 0);
	assert_false(fu.has_rate[0]);
	struct analytics_responses r;
	assert_int_equal(analytics_responses(&d, NOW, ANALYTICS_GHOST_DAYS, &f->a, &r), 0);
	assert_int_equal(r.overall.applied, 0);
	assert_int_equal(r.n_sources, 0);
	struct analytics_week *w;
	size_t n;
	assert_int_equal(analytics_activity(&d, &f->a, &w, &n), 0);
	assert_int_equal(n, 0);
}

/* The history rules on entries made by hand: an application recorded
 * straight as interviewing (or as applied) dates its applying from an
 * earlier applied_on. */
static void test_facts_skipped_applied(void **state)
{
	(void)state;
	struct application app = {
		.status = "interviewing", .source = "site", .applied_on = "2026-03-02", .created_at = T0 + 2 * DAY
	};
	struct app_event hist[] = {
		{ .kind = "created", .at = T0 + 2 * DAY, .to_status = "interviewing" },
		{ .kind = "note", .at = T0 + 3 * DAY },
	};
	struct app_facts fa;
	analytics_facts(&app, hist, 2, &fa);
	assert_int_equal(fa.furthest, 3);
	assert_int_equal(fa.applied_at, T0 - 9 * 3600); /* midnight UTC of applied_on */
	assert_int_equal(fa.responded_at, T0 + 2 * DAY);
	/* applied_on the same day (as the tracker fills it in): the entry's time. */
	app.applied_on = "2026-03-04";
	analytics_facts(&app, hist, 2, &fa);
	assert_int_equal(fa.applied_at, T0 + 2 * DAY);
	assert_int_equal(fa.responded_at, T0 + 2 * DAY);
	struct application late = { .status = "applied", .source = "", .applied_on = "2026-02-27", .created_at = T0 };
	struct app_event lh[] = {
		{ .kind = "created", .at = T0, .to_status = "applied" },
		{ .kind = "status_change", .at = T0 + DAY, .from_status = "applied", .to_status = "screening" }
	};
	analytics_facts(&late, lh, 2, &fa);
	assert_int_equal(fa.applied_at, T0 - 9 * 3600 - 3 * DAY);
	assert_int_equal(fa.responded_at, T0 + DAY);
	assert_int_equal(fa.furthest, 2);
	/* Withdrawn straight from saved: never applied, never ghosted. */
	struct application w = { .status = "withdrawn", .source = "", .created_at = T0 };
	struct app_event wh[] = {
		{ .kind = "created", .at = T0, .to_status = "saved" },
		{ .kind = "status_change", .at = T0 + DAY, .from_status = "saved", .to_status = "withdrawn" }
	};
	analytics_facts(&w, wh, 2, &fa);
	assert_int_equal(fa.furthest, 0);
	assert_int_equal(fa.applied_at, 0);
	assert_false(analytics_is_ghosted(&fa, NOW, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_funnel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_responses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_activity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipeline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test(test_facts_skipped_applied),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
