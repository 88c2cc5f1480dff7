/* analytics_bench — how long the dashboard's numbers take for one user with
 * many applications (issue 9: under 100 ms for 5,000). Fills a fresh store
 * (SQLite file in a temporary folder, or the PostgreSQL URL given) with N
 * applications and their timelines, plus another user's as noise, then times
 * analytics_load and the four figures over several runs.
 *
 *   analytics_bench [N [STORE_URL]]     (N defaults to 5000)
 *
 * With JT_BENCH_EMAIL set, the applications go to that existing user (so a
 * server on the same store can be timed over HTTP: bench/analytics.sh). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analytics/analytics.h"
#include "base/arena.h"
#include "base/text.h"
#include "store/store.h"

#define RUNS 15
#define T0   INT64_C(1767225600) /* 2026-01-01 */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static uint64_t rng = 88172645463325252u;
static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static int add_event(struct store *s, int64_t user, int64_t app, const char *kind, int64_t at, const char *from,
		     const char *to)
{
	struct app_event ev = { .app_id = app,
				.kind = (char *)kind,
				.at = at,
				.from_status = (char *)from,
				.to_status = (char *)to,
				.title = "",
				.body = "",
				.interview_kind = "",
				.with_whom = "" };
	return store_event_insert(s, user, &ev, at);
}

/* n applications over a year: each goes some way down the funnel, then
 * perhaps ends rejected, withdrawn or ghosted; a third get an interview. */
static int fill(struct store *s, int64_t user, long n)
{
	static const char *const sources[] = { "linkedin", "referral", "company site", "indeed", "" };
	int rc = store_tx_begin(s, user);
	for (long i = 0; rc == 0 && i < n; i++) {
		int64_t at = T0 + (int64_t)next(365) * 86400 + next(86400);
		struct application app = { .company = "Acme",
					   .position = "Engineer",
					   .location = "",
					   .url = "",
					   .source = (char *)sources[next(5)],
					   .salary_currency = "",
					   .salary_period = "",
					   .status = "saved",
					   .notes = "" };
		int furthest = (int)next(6);
		int end = furthest > 0 ? (int)next(4) : 0; /* 1 rejected, 2 withdrawn, 3 ghosted */
		const char *last = end ? status_names[5 + end] : status_names[furthest];
		app.status = (char *)last;
		if ((rc = store_app_insert(s, user, &app, at)))
			break;
		rc = add_event(s, user, app.id, "created", at, NULL, "saved");
		const char *from = "saved";
		for (int st = 1; rc == 0 && st <= furthest; st++) {
			at += (int64_t)(1 + next(10)) * 86400;
			rc = add_event(s, user, app.id, "status_change", at, from, status_names[st]);
			from = status_names[st];
		}
		if (rc == 0 && end)
			rc = add_event(s, user, app.id, "status_change", at + 86400 * 7, from, last);
		if (rc == 0 && next(3) == 0)
			rc = add_event(s, user, app.id, "interview", at + 86400 * 3, NULL, NULL);
		if (rc == 0 && next(2) == 0)
			rc = add_event(s, user, app.id, "note", at + 3600, NULL, NULL);
	}
	return store_tx_end(s, rc);
}

int main(int argc, char **argv)
{
	long n = 5000;
	if (argc > 1 && text_parse_long(argv[1], 1, 1000000, &n)) {
		fprintf(stderr, "usage: analytics_bench [N [STORE_URL]]\n");
		return 2;
	}
	char dir[] = "/tmp/jt-analytics-bench-XXXXXX", url[128];
	const char *store_url = argc > 2 ? argv[2] : NULL;
	if (!store_url) {
		if (!mkdtemp(dir))
			return 1;
		snprintf(url, sizeof(url), "sqlite:%s/bench.db", dir);
		store_url = url;
	}
	struct store *s;
	char err[256];
	if (store_open(store_url, &s, err, sizeof(err))) {
		fprintf(stderr, "analytics_bench: %s\n", err);
		return 1;
	}
	struct user me, other;
	char email[64];
	snprintf(email, sizeof(email), "bench%ld@example.com", (long)getpid());
	const char *given = getenv("JT_BENCH_EMAIL");
	int found = given && *given ? store_user_by_email(s, given, &me) : store_user_create(s, email, "x", T0, &me);
	snprintf(email, sizeof(email), "noise%ld@example.com", (long)getpid());
	if (found || store_user_create(s, email, "x", T0, &other) || fill(s, me.id, n) || fill(s, other.id, n)) {
		fprintf(stderr, "analytics_bench: filling the store failed\n");
		return 1;
	}
	double load[RUNS], total[RUNS], apps_ms[RUNS], hist_ms[RUNS], brief_ms[RUNS];
	struct arena a;
	arena_init(&a, 0);
	int64_t check = 0;
	for (int r = 0; r < RUNS; r++) {
		arena_reset(&a);
		/* The two store reads alone, to see where the time goes. */
		double r0 = now_ms();
		struct app_filter f = { .sort = APP_SORT_CREATED_ASC, .limit = STORE_LIST_MAX };
		struct application *apps;
		struct app_event *ev;
		size_t n_apps, n_ev;
		int64_t total_apps;
		if (store_app_list(s, me.id, &f, &a, &apps, &n_apps, &total_apps))
			return 1;
		double r1 = now_ms();
		if (store_event_history(s, me.id, &a, &ev, &n_ev))
			return 1;
		double r2 = now_ms();
		if (store_app_brief(s, me.id, &a, &apps, &n_apps))
			return 1;
		apps_ms[r] = r1 - r0;
		hist_ms[r] = r2 - r1;
		brief_ms[r] = now_ms() - r2;
		arena_reset(&a);
		double t0 = now_ms();
		struct analytics_data d;
		if (analytics_load(s, me.id, &a, &d))
			return 1;
		double t1 = now_ms();
		struct analytics_funnel fu;
		struct analytics_responses rs;
		struct analytics_week *w;
		size_t nw;
		struct analytics_pipeline p;
		analytics_funnel(&d, &fu);
		if (analytics_responses(&d, T0 + 400 * 86400, ANALYTICS_GHOST_DAYS, &a, &rs) ||
		    analytics_activity(&d, &a, &w, &nw))
			return 1;
		analytics_pipeline(&d, &p);
		load[r] = t1 - t0;
		total[r] = now_ms() - t0;
		check = fu.count[1] + rs.overall.responded + (int64_t)nw + p.total;
	}
	qsort(load, RUNS, sizeof(double), cmp_d);
	qsort(total, RUNS, sizeof(double), cmp_d);
	qsort(apps_ms, RUNS, sizeof(double), cmp_d);
	qsort(hist_ms, RUNS, sizeof(double), cmp_d);
	qsort(brief_ms, RUNS, sizeof(double), cmp_d);
	printf("store reads alone: applications (listing pages) median %.2f ms, (store_app_brief, what analytics "
	       "reads) %.2f ms, history median %.2f ms\n",
	       apps_ms[RUNS / 2], brief_ms[RUNS / 2], hist_ms[RUNS / 2]);
	printf("backend %s, %ld applications (and another user's %ld): load median %.2f ms, all four figures "
	       "median %.2f ms (min %.2f, max %.2f) over %d runs [check %lld]\n",
	       store_backend_name(s), n, n, load[RUNS / 2], total[RUNS / 2], total[0], total[RUNS - 1], RUNS,
	       (long long)check);
	arena_free(&a);
	store_close(s);
	if (argc <= 2) {
		char path[160];
		snprintf(path, sizeof(path), "%s/bench.db", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/bench.db-wal", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/bench.db-shm", dir);
		unlink(path);
		rmdir(dir);
	}
	return 0;
}
