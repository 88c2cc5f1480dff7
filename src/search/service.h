/* search/service — the one search index of a `jobtrack serve` process,
 * kept in step with the store.
 *
 * Owns: the index (search/index.h), the lock around it, a background thread
 * that builds it from every posting (open and closed) at start and then
 * polls the store for postings changed since its watermark
 * (store_posting_changed: (updated_at, id) of the last one applied), and
 * a small pool of tokenizers for request threads (a tokenizer is one
 * thread's at a time).
 *
 * It reads only through store.h, so it behaves the same on SQLite and
 * PostgreSQL. Searches share a read lock; the thread's writes take it
 * exclusively, one page of changes at a time, so a search waits at most one
 * page's worth of puts. Until the first build has finished, searches get
 * -EAGAIN (the API answers 503 with Retry-After): the server starts
 * listening at once however big the store is.
 *
 * A change stamped earlier than one already read but committed later (two
 * ingests racing) is caught by reading a slack window before the watermark
 * again (service.c: WATERMARK_SLACK); only a transaction slower than that
 * is seen at its posting's next change. */
#ifndef JT_SEARCH_SERVICE_H
#define JT_SEARCH_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "search/index.h"
#include "search/query.h"

struct arena;
struct buf;
struct store;
struct store_posting;
struct posting_source_group;
struct search_service;

#define SEARCH_SERVICE_POLL_MS 1000 /* how often the thread asks the store for changes */

/* Starts the thread (the build runs on it). 0 and *out, or a negative errno. */
int search_service_start(struct store *store, int poll_ms, struct search_service **out);

/* Something else kept in step with the postings the index applies (the
 * analytics' market table): called on the thread after every batch put into
 * the index, with the postings (description_text included) and their
 * listings (groups[i] for p[i]; groups may be NULL). Outside the index's
 * lock; its own locking is the feed's. An error is logged and the batch is
 * not fed again. */
struct search_feed {
	int (*put)(void *ctx, const struct store_posting *p, const struct posting_source_group *groups, size_t n);
	void *ctx;
};
/* search_service_start, feeding feed (may be NULL) from the first build on. */
int search_service_start_fed(struct store *store, int poll_ms, const struct search_feed *feed,
			     struct search_service **out);
/* Stops the thread and frees everything; NULL is fine. */
void search_service_stop(struct search_service *svc);
/* Whether the first build has finished. */
bool search_service_ready(struct search_service *svc);
/* Asks the thread to look for changes now (after an ingest in this process). */
void search_service_poke(struct search_service *svc);

/* Parses text (len bytes) into q in a. 0, or -EINVAL with err (the parser's
 * message), or -ENOMEM. */
int search_service_parse(struct search_service *svc, const char *text, size_t len, struct arena *a, struct query *q,
			 struct query_error *err);
/* Runs req under the read lock; facet values are copied into a, so the
 * result outlives the lock. 0, -EAGAIN (not ready yet), or what
 * search_index_search returns. */
int search_service_search(struct search_service *svc, const struct search_request *req, struct arena *a,
			  struct search_result *out);
/* Appends the highlighted snippet of text for q (escaped HTML, <mark> only). */
int search_service_snippet(struct search_service *svc, const struct query *q, const char *text, struct buf *out);

#endif
