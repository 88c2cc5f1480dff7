/* load.c — reading a user's applications and their history for analytics:
 * two reads of only the columns the figures need (store_app_brief, by id,
 * and store_event_history), whatever the number of applications. */
#include "analytics/analytics.h"

#include <stdlib.h>
#include <string.h>

/* Whether a comes after b: oldest first (at, then id), the order facts reads. */
static int later(const struct app_event *a, const struct app_event *b)
{
	return a->at != b->at ? a->at > b->at : a->id > b->id;
}

/* A run is an application's few entries (4.4 on average): insertion sort. */
static void sort_run(struct app_event *ev, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct app_event e = ev[i];
		size_t j = i;
		for (; j > 0 && later(&ev[j - 1], &e); j--)
			ev[j] = ev[j - 1];
		ev[j] = e;
	}
}

/* The index of id in ids[0..n) (ascending), or n. */
static size_t find_app(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ids[lo] == id ? lo : n;
}

int analytics_load(struct store *s, int64_t user_id, struct arena *a, struct analytics_data *out)
{
	out->apps = NULL;
	out->n = 0;
	struct application *apps;
	size_t n;
	int rc = store_app_brief(s, user_id, a, &apps, &n);
	if (rc)
		return rc;
	struct app_event *ev;
	size_t n_ev;
	rc = store_event_history(s, user_id, a, &ev, &n_ev);
	if (rc)
		return rc;
	/* The history grouped by application without sorting it whole (22,000
	 * entries of 100 bytes: the sort's copying cost more than the figures):
	 * counted per application, then placed, then each run of a few entries
	 * sorted by time. */
	struct app_facts *facts = arena_alloc(a, (n ? n : 1) * sizeof(*facts));
	size_t *start = calloc(n + 1, sizeof(*start));
	size_t *of = malloc((n_ev ? n_ev : 1) * sizeof(*of));
	/* The ids alone (40 KB for 5,000) for the lookups: not a cache line per probe. */
	int64_t *ids = malloc((n ? n : 1) * sizeof(*ids));
	struct app_event *runs = malloc((n_ev ? n_ev : 1) * sizeof(*runs));
	if (!facts || !start || !of || !ids || !runs) {
		free(ids);
		free(start);
		free(of);
		free(runs);
		return STORE_ERROR;
	}
	for (size_t i = 0; i < n; i++)
		ids[i] = apps[i].id;
	for (size_t i = 0; i < n_ev; i++) {
		of[i] = find_app(ids, n, ev[i].app_id); /* n: written after the applications were read */
		if (of[i] < n)
			start[of[i] + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	for (size_t i = 0; i < n_ev; i++)
		if (of[i] < n)
			runs[start[of[i]]++] = ev[i];
	/* Placing moved each start[i] to the end of run i. */
	for (size_t i = 0; i < n; i++) {
		size_t from = i ? start[i - 1] : 0, to = start[i];
		sort_run(runs + from, to - from);
		analytics_facts(&apps[i], runs + from, to - from, &facts[i]);
	}
	free(ids);
	free(start);
	free(of);
	free(runs);
	out->apps = facts;
	out->n = n;
	return 0;
}
