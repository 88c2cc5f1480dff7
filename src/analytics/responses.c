/* responses.c — response rate, time to first response and ghosted count of
 * the applied applications: overall, by source and by month applied. */
#include "analytics/analytics.h"

#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"

struct member {
	const char *key;
	const struct app_facts *f;
};

static int cmp_member(const void *x, const void *y)
{
	const struct member *a = x, *b = y;
	return strcmp(a->key, b->key);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* The figures of m[0..n); waits is scratch room for n values. */
static void group_of(const struct member *m, size_t n, int64_t now, int ghost_days, int64_t *waits,
		     struct analytics_responses_group *g)
{
	memset(g, 0, sizeof(*g));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		g->applied++;
		if (m[i].f->responded_at)
			waits[k++] = m[i].f->responded_at - m[i].f->applied_at;
		g->ghosted += analytics_is_ghosted(m[i].f, now, ghost_days);
	}
	g->responded = (int64_t)k;
	if (g->applied)
		g->rate = (double)g->responded / (double)g->applied;
	if (k) {
		qsort(waits, k, sizeof(*waits), cmp_i64);
		/* The middle one, or the mean of the two middle ones (rounded down). */
		g->median_seconds = k % 2 ? waits[k / 2] : waits[k / 2 - 1] + (waits[k / 2] - waits[k / 2 - 1]) / 2;
	}
}

/* Groups m[0..n) (sorted by key) into runs of one key. */
static int groups_of(struct member *m, size_t n, int64_t now, int ghost_days, int64_t *waits, struct arena *a,
		     struct analytics_responses_group **out, size_t *n_out)
{
	qsort(m, n, sizeof(*m), cmp_member);
	size_t runs = 0;
	for (size_t i = 0; i < n; i++)
		runs += i == 0 || strcmp(m[i].key, m[i - 1].key) != 0;
	struct analytics_responses_group *g = arena_alloc(a, (runs ? runs : 1) * sizeof(*g));
	if (!g)
		return STORE_ERROR;
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(m[j].key, m[i].key) == 0)
			j++;
		group_of(m + i, j - i, now, ghost_days, waits, &g[k]);
		g[k++].key = m[i].key;
		i = j;
	}
	*out = g;
	*n_out = k;
	return 0;
}

int analytics_responses(const struct analytics_data *d, int64_t now, int ghost_days, struct arena *a,
			struct analytics_responses *out)
{
	memset(out, 0, sizeof(*out));
	size_t cap = d->n ? d->n : 1;
	struct member *m = calloc(cap, sizeof(*m));
	int64_t *waits = calloc(cap, sizeof(*waits));
	int rc = m && waits ? 0 : STORE_ERROR;
	size_t n = 0;
	for (size_t i = 0; rc == 0 && i < d->n; i++)
		if (d->apps[i].applied_at)
			m[n++] = (struct member){ d->apps[i].source, &d->apps[i] };
	if (rc == 0) {
		group_of(m, n, now, ghost_days, waits, &out->overall);
		rc = groups_of(m, n, now, ghost_days, waits, a, &out->by_source, &out->n_sources);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char day[TIMEFMT_DATE_LEN];
		timefmt_date((time_t)m[i].f->applied_at, day);
		if (!(m[i].key = arena_strndup(a, day, 7)))
			rc = STORE_ERROR;
	}
	if (rc == 0)
		rc = groups_of(m, n, now, ghost_days, waits, a, &out->by_month, &out->n_months);
	free(m);
	free(waits);
	return rc;
}
