/* activity.c — applications saved and applied per week (Monday to Sunday,
 * UTC), empty weeks included so a chart's axis is even. */
#include "analytics/analytics.h"

#include <string.h>

#include "base/timefmt.h"

/* The day number (days since 1970-01-01) of the Monday starting t's week;
 * floor division, as dates before 1970 are negative. */
static int64_t week_of(int64_t t)
{
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t wd = ((day + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday: 0 = Monday */
	return day - wd;
}

int analytics_activity(const struct analytics_data *d, struct arena *a, struct analytics_week **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int64_t first = INT64_MAX, last = INT64_MIN;
	for (size_t i = 0; i < d->n; i++) {
		int64_t times[2] = { d->apps[i].created_at, d->apps[i].applied_at };
		for (int k = 0; k < 2; k++) {
			if (k == 1 && !times[k])
				continue;
			int64_t w = week_of(times[k]);
			first = w < first ? w : first;
			last = w > last ? w : last;
		}
	}
	if (first > last)
		return 0;
	if ((last - first) / 7 + 1 > ANALYTICS_WEEKS_MAX)
		first = last - (int64_t)(ANALYTICS_WEEKS_MAX - 1) * 7;
	size_t weeks = (size_t)((last - first) / 7 + 1);
	struct analytics_week *w = arena_alloc(a, weeks * sizeof(*w));
	if (!w)
		return STORE_ERROR;
	memset(w, 0, weeks * sizeof(*w));
	for (size_t k = 0; k < weeks; k++)
		timefmt_date((time_t)((first + (int64_t)k * 7) * 86400), w[k].start);
	for (size_t i = 0; i < d->n; i++) {
		int64_t c = week_of(d->apps[i].created_at);
		if (c >= first)
			w[(c - first) / 7].saved++;
		if (d->apps[i].applied_at) {
			int64_t p = week_of(d->apps[i].applied_at);
			if (p >= first)
				w[(p - first) / 7].applied++;
		}
	}
	*out = w;
	*n = weeks;
	return 0;
}
