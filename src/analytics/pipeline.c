/* pipeline.c — where the user's applications stand now. */
#include "analytics/analytics.h"

#include <string.h>

void analytics_pipeline(const struct analytics_data *d, struct analytics_pipeline *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < d->n; i++) {
		int st = status_index(d->apps[i].status);
		if (st >= 0)
			out->count[st]++;
		out->total++;
	}
}
