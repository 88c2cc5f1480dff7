/* scrape_metrics — the scrape driver's and ingest's series in the shared
 * metrics registry (base/metrics.h), for /metrics: pages, bytes, errors,
 * blocked requests, postings published and runs by source; postings
 * ingested by outcome; queue depth and ingest lag. Labelled by the
 * configured source's name and its adapter (source="acme-jobs",
 * adapter="greenhouse"), never by URL; the first 64 sources get series of
 * their own, later ones (and names that are not plain) count under
 * source="other" with their adapter. Registered on first use; lock-free
 * once a source has its series. */
#ifndef JT_SCRAPE_SCRAPE_METRICS_H
#define JT_SCRAPE_SCRAPE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "scrape/fetch.h"
#include "store/store.h"

/* Registers every series (so /metrics shows them before the first run). */
void scrape_metrics_register(void);
/* One completed request of source's (of that adapter): a page and its bytes, or an error. */
void scrape_metrics_response(const char *source, const char *adapter, enum fetch_error error, size_t bytes);
void scrape_metrics_published(const char *source, const char *adapter, size_t n);
/* A run ended with status ("ok", "partial", "failed", "blocked", "cancelled"). */
void scrape_metrics_run(const char *source, const char *adapter, const char *status);
/* One posting ingested with that outcome; a record ingest could not read. */
void scrape_metrics_ingested(enum posting_change change);
void scrape_metrics_ingest_bad_record(void);
/* The ingest group's depth (records not yet ingested) and the age of the oldest. */
void scrape_metrics_ingest_lag(int64_t depth, double oldest_s);

#endif
