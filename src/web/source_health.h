/* source_health — what a source's recent runs say about it (last run, last
 * success, last error), for the admin API and pages alike. */
#ifndef JT_WEB_SOURCE_HEALTH_H
#define JT_WEB_SOURCE_HEALTH_H

#include "base/arena.h"
#include "store/store.h"
#include "web/api/scrape_json.h"

/* Reads the source's newest runs (up to 50 back) into *h. */
int source_health_load(struct store *s, int64_t source_id, struct arena *a, struct source_health *h);

#endif
