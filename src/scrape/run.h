/* run — the scrape driver: one run of one source, from the adapter's first
 * requests to the last follow-up.
 *
 *   adapter start → requests → fetch engine (politeness, robots, retries,
 *   limits: scrape/fetch.h) → raw responses archived in the blob store as
 *   WARC bundles, raw/source=NAME/date=YYYY-MM-DD/STARTED-RUN-SEQ.warc.gz
 *   (up to 200 responses or 2 MiB each) → adapter parse → postings
 *   finished (scrape/finish.h) and published on the bus in durable batches
 *   (up to 256 postings or 1 s of pages each: an fsync per page would
 *   bound a crawl at a few hundred pages a second) (scrape/postings_topic.h)
 *   → follow-up requests, until none is left or the page bound is reached.
 *   A crash loses at most the unpublished batch of a run that then never
 *   finishes: its pages are fetched again next time.
 *
 * The run is recorded in the store (store_run_start, heartbeats with the
 * counters as it goes). Its end is published on the bus after its postings;
 * ingest (scrape/ingest.h) finishes the run record once it has stored them,
 * adding what changed, and only then — when the adapter saw a complete
 * listing and no request of the run failed — marks the postings the source
 * no longer lists as missing. Without a bus (a dry run) nothing is written
 * anywhere and the run's postings go to the caller's posting callback.
 *
 * The driver never fetches one request (method, URL, body) twice in a run,
 * so a crawling adapter may return every link it sees.
 *
 * Threads: a run uses one fetch engine on the calling thread; runs of
 * different sources may go on at once on different threads. */
#ifndef JT_SCRAPE_RUN_H
#define JT_SCRAPE_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "scrape/fetch.h"
#include "scrape/scheduler.h"
#include "scrape/source.h"
#include "store/store.h"

struct bus;
struct blob;
struct browser_pool;

/* A run's heartbeat older than this marks it crashed (another run of its
 * source may then start). A running run beats every 2 s, waiting or not
 * (the fetch loop's tick); a run whose process is gone from this host is
 * marked crashed at once, whatever its heartbeat says. */
#define SCRAPE_RUN_STALE_S       120
/* The bound on requests of one run when neither the source nor the caller
 * gives one. */
#define SCRAPE_RUN_MAX_REQUESTS  100000
/* A rendered page's time limit when the job gives none; well below
 * SCRAPE_RUN_STALE_S, since the heartbeat waits while a page renders. */
#define SCRAPE_RENDER_TIMEOUT_MS 20000

struct scrape_job {
	struct source_config src; /* what to scrape; src.now 0 means time(NULL) */
	int64_t source_id;        /* the configured source; 0: an ad-hoc crawl (--seed) */
	/* Politeness overrides (the engine's defaults otherwise). */
	int delay_ms;      /* 0: the engine's; > 0 ms; FETCH_NO_DELAY: none */
	unsigned per_host; /* transfers at once to one host; 0: the engine's (1) */
	const char *proxy; /* NULL: the engine's */
	long max_requests; /* 0: SCRAPE_RUN_MAX_REQUESTS */
	/* The source's "render": its HTML pages, once fetched as above, are
	 * rendered in headless Chromium (scrape/browser.h: browser_render_page)
	 * and the DOM its scripts leave is what the adapter reads, links
	 * included. Robots.txt, API requests and non-HTML answers are not
	 * rendered. A render runs on the run's thread, holding the fetch loop
	 * (a few seconds; runs of other sources go on); browser bounds how many
	 * render at once across runs (NULL: a pool of the run's own).
	 * render_timeout_ms: per page (0: SCRAPE_RENDER_TIMEOUT_MS). */
	bool render;
	struct browser_pool *browser;
	int render_timeout_ms;
	/* The base engine configuration: user agent, cache, robots hook, cancel
	 * flag, limits. NULL: defaults. Copied; per_host and proxy above win. */
	const struct fetch_config *fetch;
	/* Where things go. All NULL: a dry run. store without bus is refused. */
	struct store *store;
	struct bus *bus;
	struct blob *blob; /* NULL: no raw archive */
	/* Called after every response (and once at the start), on the run's
	 * thread. run_id in it is 0 for a dry run. */
	void (*progress)(const struct scrape_progress *p, void *ctx);
	void *progress_ctx;
	/* Called with each finished posting (valid during the call), dry or not. */
	void (*posting)(const struct posting *p, void *ctx);
	void *posting_ctx;
};

struct scrape_report {
	int64_t run_id;     /* 0 for a dry run */
	int64_t started_at; /* Unix seconds */
	/* "ok", "partial" (some requests failed, but postings were found: the
	 * message says which failed), "failed" (nothing useful came back, or
	 * the bus refused the postings), "blocked" (every failure was a block),
	 * "cancelled". counts.blocked > 0: the source blocked some requests,
	 * whatever the status. */
	const char *status;
	bool partial;             /* status is "partial" */
	bool complete_listing;    /* the adapter saw the whole listing and nothing failed */
	struct run_counts counts; /* pages, bytes, found, errors */
	/* disallowed: refused by robots.txt (not failures, not requests: a
	 * crawler meets such links all the time; a run that fetched nothing fails).
	 * skipped: past the request bound. */
	long requests, failed, blocked, disallowed, skipped;
	long parse_errors, warnings, rejected; /* rejected: postings finish refused */
	long published;                        /* postings on the bus */
	long archived;                         /* raw responses in the blob store */
	char message[512];
};

/* Runs the job to its end. 0 with *out filled, whatever the run's status;
 * -EBUSY when a run of the source is already going on (in any process);
 * -ENOENT for an unknown adapter or source; -EINVAL for a job that makes
 * no sense (store without bus); other negative codes when the store or the
 * engine could not start. */
int scrape_run(const struct scrape_job *job, struct scrape_report *out);

/* A running run's owner was a process of this host that no longer exists
 * (killed, say, with kill -9): the run will never end by itself. A pid
 * reused since looks alive; then the heartbeat decides, as it does for
 * runs of other hosts. */
bool scrape_run_owner_gone(const struct scrape_run *r);

#endif

/* The robots.txt check every scrape uses: a robots cache (scrape/robots.h)
 * fetching with libcurl as user_agent (copied; NULL: FETCH_USER_AGENT_FMT;
 * libcurl initialises on the first fetch, base/curl_once.h), and the fetch
 * engine's hook over it (ctx: the cache), which reads robots.txt through the
 * request's proxy and matches the "jobtrack" groups whatever the User-Agent says. */
struct robots_cache;
struct robots_cache *scrape_robots_cache_new(const char *user_agent);
int scrape_robots_hook(void *ctx, const char *url, const char *proxy, char *why, size_t whylen);
