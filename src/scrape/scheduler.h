/* scheduler — scheduled scrapes and ingest inside `jobtrack serve`.
 *
 * Owned by serve (src/cli/serve.c): created after the store, bus and blob
 * are open, started before the web server, stopped after it. It runs each
 * enabled source on its schedule on the background task runner
 * (base/tasks.h), never two runs of one source at once, and an ingest
 * consumer that turns published postings into stored ones. The web layer
 * (admin pages and API) reaches it through struct web's `scheduler` (NULL
 * when serve runs without one, e.g. in a read-only deployment: handlers then
 * answer 503 "the scheduler is not running in this process").
 *
 * Every function is safe from any thread.
 */
#ifndef JT_SCRAPE_SCHEDULER_H
#define JT_SCRAPE_SCHEDULER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scrape_scheduler;
struct store;
struct bus;
struct blob;

struct scrape_scheduler_options {
	struct store *store; /* borrowed, like the bus and blob store; outlive the scheduler */
	struct bus *bus;
	struct blob *blob;
	const char *sources_file; /* synced into the store at start; a missing file is no sources */
	int workers;              /* task threads (at least 2: ingest keeps one) */
	/* Sources with "render": the Chromium program (NULL: browser.h's
	 * default), how many render at once across all runs (0: 2), and each
	 * page's time limit (0: run.h's default). */
	const char *chromium;
	unsigned render_browsers;
	int render_timeout_ms;
	const char *user_agent; /* the scraper's, robots.txt fetches included (copied); NULL: the default */
};

/* Syncs the sources file into the store, files what is queued, marks runs
 * of dead processes crashed, and starts the task runner with a task per
 * source and the ingest consumer. 0 and *out, or a negative errno with err
 * filled (a bad sources file included). */
int scrape_scheduler_start(const struct scrape_scheduler_options *o, struct scrape_scheduler **out, char *err,
			   size_t errlen);
/* Cancels running scrapes (each ends "cancelled" with what it had), stops
 * ingest after its batch, waits for the tasks and frees everything. */
void scrape_scheduler_stop(struct scrape_scheduler *s);

/* A live run's progress, for the admin page's progress bar. */
struct scrape_progress {
	int64_t run_id;
	int64_t source_id;
	long requests_done;   /* responses handled so far */
	long requests_queued; /* still waiting (the total grows as listings paginate) */
	long pages, bytes, found, errors;
	bool running;
};

/* Queues a run of the source now (whatever its schedule or enabled state).
 * 0 and *run_id (0 when the run has been queued but not started yet), or
 * -ENOENT (no such source), -EBUSY (a run of it is in progress),
 * -ESHUTDOWN (the scheduler is stopping). */
int scrape_scheduler_run_now(struct scrape_scheduler *s, int64_t source_id, int64_t *run_id);

/* A source was added, edited, enabled/disabled or deleted: take its new
 * schedule from the store. */
void scrape_scheduler_reload(struct scrape_scheduler *s, int64_t source_id);

/* The progress of a run this process is executing: 0 and *out, or -ENOENT
 * (not running here; read the store's run record instead). */
int scrape_scheduler_progress(struct scrape_scheduler *s, int64_t run_id, struct scrape_progress *out);

/* Postings published but not yet ingested, and the age in seconds of the
 * oldest of them (for the health page and /metrics). */
void scrape_scheduler_ingest_lag(struct scrape_scheduler *s, int64_t *pending, double *oldest_s);

#endif
