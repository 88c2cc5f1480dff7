/* load.c — reading a user's applications and their history for analytics:
 * pages of the listing and one history read, so 5,000 applications cost a
 * handful of queries, not one per application. */
#include "analytics/analytics.h"

#include <stdlib.h>
#include <string.h>

struct by_id {
	int64_t id;
	size_t index;
};

static int cmp_by_id(const void *x, const void *y)
{
	const struct by_id *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

/* By application, then oldest first (at, then id): the order facts reads. */
static int cmp_event(const void *x, const void *y)
{
	const struct app_event *a = x, *b = y;
	if (a->app_id != b->app_id)
		return (a->app_id > b->app_id) - (a->app_id < b->app_id);
	if (a->at != b->at)
		return (a->at > b->at) - (a->at < b->at);
	return (a->id > b->id) - (a->id < b->id);
}

int analytics_load(struct store *s, int64_t user_id, struct arena *a, struct analytics_data *out)
{
	out->apps = NULL;
	out->n = 0;
	struct application *apps;
	size_t n;
	int rc = store_app_list_all(s, user_id, a, &apps, &n);
	if (rc)
		return rc;
	struct app_event *ev;
	size_t n_ev;
	rc = store_event_history(s, user_id, a, &ev, &n_ev);
	if (rc)
		return rc;
	struct app_facts *facts = arena_alloc(a, (n ? n : 1) * sizeof(*facts));
	struct by_id *ids = malloc((n ? n : 1) * sizeof(*ids));
	if (!facts || !ids) {
		free(ids);
		return STORE_ERROR;
	}
	for (size_t i = 0; i < n; i++) {
		ids[i] = (struct by_id){ apps[i].id, i };
		analytics_facts(&apps[i], NULL, 0, &facts[i]);
	}
	qsort(ids, n, sizeof(*ids), cmp_by_id);
	qsort(ev, n_ev, sizeof(*ev), cmp_event);
	/* One run of the sorted history per application. */
	for (size_t i = 0; i < n_ev;) {
		size_t j = i;
		while (j < n_ev && ev[j].app_id == ev[i].app_id)
			j++;
		struct by_id key = { ev[i].app_id, 0 };
		const struct by_id *hit = bsearch(&key, ids, n, sizeof(*ids), cmp_by_id);
		if (hit) /* else written after the listing: left out */
			analytics_facts(&apps[hit->index], ev + i, j - i, &facts[hit->index]);
		i = j;
	}
	free(ids);
	out->apps = facts;
	out->n = n;
	return 0;
}
