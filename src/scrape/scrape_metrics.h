/* scrape_metrics — the scrape driver's and ingest's series in the shared
 * metrics registry (base/metrics.h), for /metrics: pages, bytes, errors,
 * blocked requests, postings published and runs by adapter; postings
 * ingested by outcome; queue depth and ingest lag. Labelled by adapter name
 * (a fixed set), never by URL or configured source name. Registered on
 * first use; every call is lock-free after that. */
#ifndef JT_SCRAPE_SCRAPE_METRICS_H
#define JT_SCRAPE_SCRAPE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "scrape/fetch.h"
#include "store/store.h"

/* Registers every series (so /metrics shows them before the first run). */
void scrape_metrics_register(void);
/* One completed request of adapter's: a page and its bytes, or an error. */
void scrape_metrics_response(const char *adapter, enum fetch_error error, size_t bytes);
void scrape_metrics_published(const char *adapter, size_t n);
/* A run ended with status ("ok", "failed", "blocked", "cancelled"). */
void scrape_metrics_run(const char *adapter, const char *status);
/* One posting ingested with that outcome; a record ingest could not read. */
void scrape_metrics_ingested(enum posting_change change);
void scrape_metrics_ingest_bad_record(void);
/* The ingest group's depth (records not yet ingested) and the age of the oldest. */
void scrape_metrics_ingest_lag(int64_t depth, double oldest_s);

#endif
