/* scrape_metrics — see scrape_metrics.h. */
#include "scrape/scrape_metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/metrics.h"
#include "scrape/source.h"

/* Series by configured source: SOURCE_SLOTS named ones, keyed "NAME ADAPTER",
 * then one overflow series per adapter (source="other") for sources past
 * the bound or with names that are not plain. */
#define SOURCE_SLOTS 64

static char source_values[SOURCE_SLOTS][METRICS_LABEL_MAX + 1];
static struct metrics_labels sources = METRICS_LABELS_INIT(source_values, SOURCE_SLOTS);
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct metric *pages, *bytes, *errors, *blocked, *published, *runs, *ingested;
static atomic_ullong *bad_records;
static atomic_llong *depth, *lag_ms;
static size_t n_adapters;

static const char *const run_statuses[] = { "ok", "partial", "failed", "blocked", "cancelled" };
#define N_STATUS (sizeof(run_statuses) / sizeof(run_statuses[0]))
/* By enum posting_change. */
static const char *const changes[] = {
	[POSTING_UNCHANGED] = "unchanged", [POSTING_UPDATED] = "updated",   [POSTING_NEW] = "new",
	[POSTING_MERGED] = "merged",       [POSTING_REOPENED] = "reopened", [POSTING_REPOSTED] = "reposted",
};
#define N_CHANGE (sizeof(changes) / sizeof(changes[0]))

static size_t adapter_index(const char *name)
{
	size_t n;
	const struct source_adapter *const *all = source_adapters(&n);
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(all[i]->name, name) == 0)
			return i;
	return n;
}

/* The series of a source of adapter's. */
static size_t series_of(const char *source, const char *adapter)
{
	char key[2 * METRICS_LABEL_MAX];
	int w = snprintf(key, sizeof(key), "%s %s", source ? source : "", adapter ? adapter : "other");
	unsigned slot = w > 0 && (size_t)w < sizeof(key) && source && !strchr(source, ' ')
			    ? metrics_labels_slot(&sources, key)
			    : SOURCE_SLOTS;
	return slot < SOURCE_SLOTS ? slot : SOURCE_SLOTS + adapter_index(adapter);
}

static void label_source(size_t series, struct buf *out, void *ctx)
{
	(void)ctx;
	const char *key = series < SOURCE_SLOTS ? metrics_labels_value(&sources, (unsigned)series) : NULL;
	const char *space = key ? strchr(key, ' ') : NULL;
	if (space) {
		buf_printf(out, "source=\"%.*s\",adapter=\"%s\"", (int)(space - key), key, space + 1);
		return;
	}
	size_t n, i = series >= SOURCE_SLOTS ? series - SOURCE_SLOTS : n_adapters;
	const struct source_adapter *const *all = source_adapters(&n);
	buf_printf(out, "source=\"other\",adapter=\"%s\"", i < n ? all[i]->name : "other");
}

static void label_source_status(size_t series, struct buf *out, void *ctx)
{
	label_source(series / N_STATUS, out, ctx);
	buf_printf(out, ",status=\"%s\"", run_statuses[series % N_STATUS]);
}

static void label_change(size_t series, struct buf *out, void *ctx)
{
	(void)ctx;
	buf_printf(out, "change=\"%s\"", changes[series < N_CHANGE ? series : 0]);
}

static void register_all(void)
{
	source_adapters(&n_adapters);
	size_t ns = SOURCE_SLOTS + n_adapters + 1;
	pages = metrics_counter_family("jobtrack_scrape_pages_total", "Pages (responses) scraped, by source.", ns,
				       label_source, NULL);
	bytes = metrics_counter_family("jobtrack_scrape_bytes_total", "Body bytes scraped, by source.", ns,
				       label_source, NULL);
	errors =
	    metrics_counter_family("jobtrack_scrape_errors_total",
				   "Scrape requests that failed (after retries), by source.", ns, label_source, NULL);
	blocked = metrics_counter_family("jobtrack_scrape_blocked_total",
					 "Scrape requests refused because their host was blocked, by source.", ns,
					 label_source, NULL);
	published = metrics_counter_family("jobtrack_scrape_postings_published_total",
					   "Postings published on the bus, by source.", ns, label_source, NULL);
	runs = metrics_counter_family("jobtrack_scrape_runs_total", "Scrape runs ended, by source and status.",
				      ns * N_STATUS, label_source_status, NULL);
	ingested = metrics_counter_family("jobtrack_ingest_postings_total", "Postings ingested, by outcome.", N_CHANGE,
					  label_change, NULL);
	bad_records = metrics_counter("jobtrack_ingest_bad_records_total",
				      "Bus records ingest could not read (skipped and logged).");
	depth = metrics_gauge("jobtrack_ingest_queue_depth", "Postings-topic records not yet ingested.");
	lag_ms = metrics_gauge_milli("jobtrack_ingest_lag_seconds",
				     "Age of the oldest postings-topic record not yet ingested, seconds.");
}

void scrape_metrics_register(void)
{
	pthread_once(&once, register_all);
}

static void count_n(struct metric *m, size_t series, size_t n)
{
	if (m)
		metrics_add(m, series, n);
}

void scrape_metrics_response(const char *source, const char *adapter, enum fetch_error error, size_t n_bytes)
{
	scrape_metrics_register();
	size_t i = series_of(source, adapter);
	if (error == FETCH_OK) {
		if (pages)
			metrics_count(pages, i);
		count_n(bytes, i, n_bytes);
	} else if (error != FETCH_CANCELLED) {
		if (errors)
			metrics_count(errors, i);
		if (error == FETCH_BLOCKED && blocked)
			metrics_count(blocked, i);
	}
}

void scrape_metrics_published(const char *source, const char *adapter, size_t n)
{
	scrape_metrics_register();
	count_n(published, series_of(source, adapter), n);
}

void scrape_metrics_run(const char *source, const char *adapter, const char *status)
{
	scrape_metrics_register();
	size_t s = 0;
	while (s < N_STATUS && strcmp(run_statuses[s], status ? status : "") != 0)
		s++;
	if (s < N_STATUS && runs)
		metrics_count(runs, series_of(source, adapter) * N_STATUS + s);
}

void scrape_metrics_ingested(enum posting_change change)
{
	scrape_metrics_register();
	size_t s = (size_t)change < N_CHANGE ? (size_t)change : 0;
	if (ingested)
		metrics_count(ingested, s);
}

void scrape_metrics_ingest_bad_record(void)
{
	scrape_metrics_register();
	if (bad_records)
		atomic_fetch_add_explicit(bad_records, 1, memory_order_relaxed);
}

void scrape_metrics_ingest_lag(int64_t d, double oldest_s)
{
	scrape_metrics_register();
	if (depth)
		atomic_store_explicit(depth, d, memory_order_relaxed);
	if (lag_ms)
		atomic_store_explicit(lag_ms, (long long)(oldest_s * 1000), memory_order_relaxed);
}
