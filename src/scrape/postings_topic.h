/* postings_topic — the records the scrape driver (scrape/run.c) publishes on
 * the bus and ingest (scrape/ingest.c) consumes: their one definition, so
 * that both sides agree on it.
 *
 * Topic "postings", JSON payloads:
 *   {"type":"posting","run_id":N,"source_id":N,"seen_at":T,"posting":{…}}
 *       one finished posting (the normalised shape of posting_to_json)
 *   {"type":"run_end","run_id":N,"source_id":N,"started_at":T,"status":"ok",
 *    "message":"…","complete":true,"counts":{"pages":N,"bytes":N,"found":N,"errors":N}}
 *       the end of a run, after all its postings: ingest finishes the run
 *       record (adding the new/updated counts it saw) and, when the listing
 *       was complete, marks the source's unseen listings missing.
 * Keys: "SOURCE:EXTERNAL_ID" for postings (one listing keeps its order on a
 * partitioned bus), "run:N" for run ends. Times are Unix seconds. A run_id
 * of 0 means no run record (a run without a store). */
#ifndef JT_SCRAPE_POSTINGS_TOPIC_H
#define JT_SCRAPE_POSTINGS_TOPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "scrape/posting.h"
#include "store/store.h"

#define POSTINGS_TOPIC "postings"
#define INGEST_GROUP   "ingest"

enum topic_record_type { TOPIC_POSTING, TOPIC_RUN_END };

struct topic_record {
	enum topic_record_type type;
	int64_t run_id, source_id;
	int64_t seen_at;        /* TOPIC_POSTING */
	struct posting posting; /* TOPIC_POSTING */
	/* TOPIC_RUN_END */
	int64_t started_at;
	const char *status, *message;
	bool complete;
	struct run_counts counts; /* pages, bytes, found, errors */
};

/* Appends the payload of a posting record / a run end to out (sticky errors). */
void topic_posting_encode(struct buf *out, int64_t run_id, int64_t source_id, int64_t seen_at, const struct posting *p);
void topic_run_end_encode(struct buf *out, const struct topic_record *r);
/* The record key into out. */
void topic_posting_key(struct buf *out, const struct posting *p);

/* Reads a payload; strings go into the arena. 0, or -EINVAL when it is not
 * a record of this topic (ingest skips and logs it), -ENOMEM. */
int topic_decode(struct arena *a, const void *payload, size_t len, struct topic_record *out);

#endif
