#include "web/source_health.h"

#include <string.h>

int source_health_load(struct store *s, int64_t source_id, struct arena *a, struct source_health *h)
{
	memset(h, 0, sizeof(*h));
	struct scrape_run *runs;
	size_t n;
	int rc = store_run_list(s, source_id, 50, a, &runs, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const char *st = runs[i].status ? runs[i].status : "";
		if (!h->last_run)
			h->last_run = &runs[i];
		if (!h->last_success && (strcmp(st, "ok") == 0 || strcmp(st, "partial") == 0))
			h->last_success = &runs[i];
		if (!h->last_error &&
		    (strcmp(st, "failed") == 0 || strcmp(st, "blocked") == 0 || strcmp(st, "crashed") == 0))
			h->last_error = &runs[i];
	}
	return 0;
}
