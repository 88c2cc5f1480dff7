/* ingest — the consumer that turns published postings into stored ones.
 *
 * Reads the postings topic (scrape/postings_topic.h) as the "ingest" group:
 * each posting gets its canonical key, SimHash, content hash and apply-link
 * rank (scrape/dedupe.h) and is filed with store_posting_ingest; a run's end
 * finishes the run record with the new/updated counts ingest saw for it and,
 * after a complete listing, marks the source's unseen listings missing.
 * Offsets are committed only after the store has the batch, so a crash
 * delivers the batch again — which changes nothing: a known listing comes
 * back UNCHANGED, and a run that is already finished is left alone.
 *
 * One ingest per group at a time (bus_consumer_open answers -EBUSY to a
 * second, in any process): `jobtrack serve` runs it as a task;
 * `jobtrack scrape` and `jobtrack ingest` drain the queue when no server
 * holds it. */
#ifndef JT_SCRAPE_INGEST_H
#define JT_SCRAPE_INGEST_H

#include <stdint.h>

#include "store/store.h"

struct arena;
struct bus;
struct ingest;

/* Listings a complete run did not see this many times in a row are closed. */
#define INGEST_MAX_MISSING 2

struct ingest_stats {
	long records;  /* bus records read */
	long postings; /* postings filed */
	long new, merged, updated, reopened, reposted, unchanged;
	long bad;    /* records that were not readable postings (skipped, logged) */
	long runs;   /* run records finished */
	long closed; /* listings closed by missing marks */
};

/* The store's ingest of posting p (scrape/posting.h, finished): canonical
 * key, SimHash, content hash and rank filled in; strings point into p and
 * a. seen_at <= 0 means now. 0, or -ENOMEM. For a posting filed outside the
 * bus ("Add a job by URL", discover/import.h), so it dedupes alike. */
struct posting;
int ingest_prepare(struct arena *a, const struct posting *p, int64_t source_id, int64_t seen_at,
		   struct posting_ingest *out);

/* Opens the consumer. 0 and *out, -EBUSY when another ingest holds the
 * group, or another negative errno with err filled. */
int ingest_open(struct store *s, struct bus *b, struct ingest **out, char *err, size_t errlen);
void ingest_close(struct ingest *g);

/* One poll (waiting up to timeout_ms for records), filed and committed.
 * 0 with *n records handled (0: none came), -ECANCELED after bus_shutdown,
 * or another negative errno (nothing committed: the records come again).
 * acc (may be NULL) accumulates what happened. */
int ingest_step(struct ingest *g, int timeout_ms, size_t *n, struct ingest_stats *acc);
/* Steps until the topic is empty. 0 or the first error. */
int ingest_drain(struct ingest *g, struct ingest_stats *acc);

/* Records published and not yet ingested, and the age of the oldest (s). */
int ingest_lag(struct bus *b, int64_t *pending, double *oldest_s);

#endif
