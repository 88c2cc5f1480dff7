/* scrape_json — the JSON shapes of postings, configured sources and scrape
 * runs (the API's Posting, PostingDetail, Source and Run schemas in
 * static/openapi.json: change both together). */
#ifndef JT_WEB_API_SCRAPE_JSON_H
#define JT_WEB_API_SCRAPE_JSON_H

#include "base/buf.h"
#include "scrape/scheduler.h"
#include "store/store.h"

/* A posting in the normalised shape (posting_json_members) with its id,
 * version, times and listings. description_html (already sanitised by the
 * caller) and description_text are written only when description_html is
 * not NULL: the detail shape. */
void scrape_json_posting(struct buf *b, const struct store_posting *p, const struct posting_source *sources,
			 size_t n_sources, const char *description_html);
/* What a source's runs say about its health. */
struct source_health {
	const struct scrape_run *last_run;     /* NULL: never ran */
	const struct scrape_run *last_success; /* NULL: never ran well */
	const struct scrape_run *last_error;   /* the newest failed/blocked/crashed run, or NULL */
};
void scrape_json_source(struct buf *b, const struct scrape_source *src, const struct source_health *h, int64_t now);
/* A run; progress (NULL: none) is the scheduler's live view of it. */
void scrape_json_run(struct buf *b, const struct scrape_run *r, const struct scrape_progress *progress);

#endif
