/* fetch_metrics — what every fetch engine in the process reports to
 * /metrics (base/metrics.h). Series are labelled by the source a request
 * names, never by URL or host, and the table of sources is bounded: past
 * SOURCE_SLOTS - 1 distinct names, and for names that are not plain
 * (base/metrics.h), requests count under source="other". */
#include "scrape/fetch_internal.h"

#include <pthread.h>
#include <string.h>

#include "base/metrics.h"

#define SOURCE_SLOTS  32                      /* the last one is "other" */
#define RESULT_LABELS (FETCH_ERROR_COUNT + 1) /* "not_modified" besides the errors */
#define NOT_MODIFIED  FETCH_ERROR_COUNT

static char source_values[SOURCE_SLOTS - 1][METRICS_LABEL_MAX + 1];
static struct metrics_labels sources = METRICS_LABELS_INIT(source_values, SOURCE_SLOTS - 1);
static pthread_once_t once = PTHREAD_ONCE_INIT;

static struct metric *requests, *retries, *duration;
static atomic_ullong *bytes, *hosts_blocked;

static const char *source_name(size_t slot)
{
	const char *v = metrics_labels_value(&sources, (unsigned)slot);
	return v ? v : "other";
}

static const char *result_name(size_t r)
{
	return r == NOT_MODIFIED ? "not_modified" : fetch_error_name((enum fetch_error)r);
}

static void label_source_result(size_t series, struct buf *out, void *ctx)
{
	(void)ctx;
	buf_printf(out, "source=\"%s\",result=\"%s\"", source_name(series / RESULT_LABELS),
		   result_name(series % RESULT_LABELS));
}

static void label_source(size_t series, struct buf *out, void *ctx)
{
	(void)ctx;
	buf_printf(out, "source=\"%s\"", source_name(series));
}

static void register_metrics(void)
{
	static const double seconds[] = { 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60 };
	requests = metrics_counter_family("jobtrack_fetch_requests_total",
					  "Fetches completed, by source and result (after retries).",
					  SOURCE_SLOTS * RESULT_LABELS, label_source_result, NULL);
	retries = metrics_counter_family("jobtrack_fetch_retries_total", "Fetch attempts after the first, by source.",
					 SOURCE_SLOTS, label_source, NULL);
	duration = metrics_histogram("jobtrack_fetch_duration_seconds",
				     "Time from a fetch's first attempt to its completion, by source.", seconds,
				     sizeof(seconds) / sizeof(seconds[0]), SOURCE_SLOTS, label_source, NULL);
	bytes = metrics_counter("jobtrack_fetch_bytes_total", "Decoded response body bytes received.");
	hosts_blocked =
	    metrics_counter("jobtrack_fetch_hosts_blocked_total",
			    "Times a host was blocked for refusing us (403/429/999) or a long Retry-After.");
}

unsigned fetch_metrics_source(const char *label)
{
	pthread_once(&once, register_metrics);
	return metrics_labels_slot(&sources, label); /* SOURCE_SLOTS - 1, "other", when it has none */
}

void fetch_metrics_completed(unsigned slot, const struct fetch_result *r)
{
	size_t result = r->from_cache ? NOT_MODIFIED : (size_t)r->error;
	if (requests)
		metrics_count(requests, (size_t)slot * RESULT_LABELS + result);
	if (duration && r->attempts)
		metrics_observe(duration, slot, r->seconds);
}

void fetch_metrics_retry(unsigned slot)
{
	if (retries)
		metrics_count(retries, slot);
}

void fetch_metrics_bytes(size_t n)
{
	if (bytes)
		atomic_fetch_add_explicit(bytes, n, memory_order_relaxed);
}

void fetch_metrics_host_blocked(void)
{
	if (hosts_blocked)
		atomic_fetch_add_explicit(hosts_blocked, 1, memory_order_relaxed);
}
