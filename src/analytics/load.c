/* load.c — reading a user's applications and their history for analytics:
 * two reads of only the columns the figures need (store_app_brief, by id,
 * and store_event_history), whatever the number of applications. */
#include "analytics/analytics.h"

#include <stdlib.h>
#include <string.h>

/* Oldest first (at, then id): the order facts reads. */
static int cmp_event(const void *x, const void *y)
{
	const struct app_event *a = x, *b = y;
	if (a->at != b->at)
		return (a->at > b->at) - (a->at < b->at);
	return (a->id > b->id) - (a->id < b->id);
}

/* The index of id in apps[0..n) (sorted by id), or n. */
static size_t find_app(const struct application *apps, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (apps[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && apps[lo].id == id ? lo : n;
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
	struct app_event *runs = malloc((n_ev ? n_ev : 1) * sizeof(*runs));
	if (!facts || !start || !of || !runs) {
		free(start);
		free(of);
		free(runs);
		return STORE_ERROR;
	}
	for (size_t i = 0; i < n_ev; i++) {
		of[i] = find_app(apps, n, ev[i].app_id); /* n: written after the applications were read */
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
		if (to - from > 1)
			qsort(runs + from, to - from, sizeof(*runs), cmp_event);
		analytics_facts(&apps[i], runs + from, to - from, &facts[i]);
	}
	free(start);
	free(of);
	free(runs);
	out->apps = facts;
	out->n = n;
	return 0;
}
