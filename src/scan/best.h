/* scan/best — "best matches": a user's resume ranked over every open
 * posting the search filters pass. The service a `jobtrack serve` process
 * shares between request threads; the CLI runs the same steps itself.
 *
 * Owns: a ranker (rank.h), and a thread that keeps the store's cache of
 * postings' terms filled: it loads the word weights first (from the newest
 * postings, then from every open posting; again when postings changed, at
 * most every BEST_IDF_REFRESH_S seconds, swapped in between fills), then every
 * poll_ms, when postings changed, reads the terms of open postings with
 * none current (new, rewritten, or read with another taxonomy) in pages,
 * so a posting is cached seconds after ingest, whichever process ingested
 * it. A ranking fills what the thread has not reached yet before it ranks.
 *
 * The resume's text comes through a callback (serve wires the resume vault
 * and extractor: the core library does not link MuPDF). Until the thread
 * has loaded the word weights, rankings get -EAGAIN (answer 503). */
#ifndef JT_SCAN_BEST_H
#define JT_SCAN_BEST_H

#include <stddef.h>
#include <stdint.h>

#include "scan/rank.h"
#include "search/index.h"
#include "search/service.h"

#define BEST_POLL_MS         5000
#define BEST_FULL_PASS_POLLS 60  /* a full check every 5 minutes at the default poll */
#define BEST_IDF_REFRESH_S   300 /* seconds between builds of the word weights, at most */

/* The text of user_id's resume id in a: 0, -ENOENT (no such resume of this
 * user), or another negative errno with err for people. */
typedef int (*best_resume_text_fn)(void *ctx, int64_t user_id, int64_t resume_id, struct arena *a, const char **text,
				   size_t *len, char *err, size_t errlen);

struct best_service;

/* Starts the thread, which loads the taxonomy (dir, kept by the caller
 * until stop; NULL: built-in; matcher, when not NULL, is used instead and
 * must outlive the service) and the word weights, then keeps the cache
 * filled. search may be NULL (then filtered rankings answer -ENOTSUP). 0,
 * or -1 with err. A taxonomy that fails to load is logged, and rankings
 * answer -EAGAIN. */
int best_service_start(struct store *store, struct search_service *search, const char *taxonomy_dir,
		       const struct scan_matcher *matcher, int poll_ms, best_resume_text_fn resume_text,
		       void *resume_ctx, struct best_service **out, char *err, size_t errlen);
/* Stops the thread and frees everything; NULL is fine. */
void best_service_stop(struct best_service *svc);

struct best_request {
	int64_t user_id, resume_id;
	const struct search_request *filter; /* NULL: every open posting */
	size_t limit;                        /* 1..SCAN_RANK_MAX */
	int now_month;                       /* dates_month_of(now), for "Present" */
};

struct best_result {
	const struct scan_ranker *ranker; /* for the report (taxonomy names) */
	struct scan_match *matches;
	struct store_posting *postings; /* matches[i]'s posting (id 0: gone meanwhile) */
	size_t n;
	uint64_t candidates; /* postings the filter passed (all open ones: the count ranked) */
	struct scan_rank_stats stats;
};

/* Ranks; everything in *out lives in a. 0, -EAGAIN (not ready), -ENOENT
 * (no such resume for this user), -ENOTSUP (a filter and no search
 * service), -EINVAL with err (the resume's text cannot be read), -ENOMEM,
 * or -EIO (the store). */
int best_service_rank(struct best_service *svc, const struct best_request *req, struct arena *a,
		      struct best_result *out, char *err, size_t errlen);

/* The steps both serve and the CLI take once they hold a resume's text:
 * the filter's matches (through search, when filter is set), the fill
 * (unless the caller has filled), the ranking. 0, or as best_service_rank. */
int best_rank_text(const struct scan_ranker *rk, struct store *store, struct search_service *search,
		   const struct search_request *filter, const char *text, size_t len, size_t limit, int now_month,
		   int filled, struct arena *a, struct best_result *out);

#endif
