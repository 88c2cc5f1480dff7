/* funnel.c — how many applications reached each stage, and the share that
 * went on from one stage to the next. */
#include "analytics/analytics.h"

#include <string.h>

void analytics_funnel(const struct analytics_data *d, struct analytics_funnel *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < d->n; i++)
		for (int s = 0; s <= d->apps[i].furthest && s < ANALYTICS_STAGES; s++)
			out->count[s]++;
	for (int s = 0; s + 1 < ANALYTICS_STAGES; s++) {
		out->has_rate[s] = out->count[s] > 0;
		if (out->has_rate[s])
			out->rate[s] = (double)out->count[s + 1] / (double)out->count[s];
	}
}
