/* fetch_metrics — what every fetch engine in the process reports to
 * /metrics (base/metrics.h). Series are labelled by the source a request
 * names, never by URL or host, and the table of sources is bounded: past
 * SOURCE_SLOTS - 1 distinct names, and for names that are not short
 * lower-case words, requests count under source="other". */
#include "scrape/fetch_internal.h"

#include <pthread.h>
#include <string.h>

#include "base/metrics.h"

#define SOURCE_SLOTS    32 /* the last one is "other" */
#define SOURCE_NAME_MAX 32
#define RESULT_LABELS   (FETCH_ERROR_COUNT + 1) /* "not_modified" besides the errors */
#define NOT_MODIFIED    FETCH_ERROR_COUNT

static char source_names[SOURCE_SLOTS][SOURCE_NAME_MAX];
/* Names are written before the count that publishes them (release), and the
 * renderer reads them on another thread after loading the count (acquire). */
static atomic_uint n_sources;
static pthread_mutex_t sources_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static struct metric *requests, *retries, *duration;
static atomic_ullong *bytes, *hosts_blocked;

static const char *source_name(size_t slot)
{
	if (slot >= SOURCE_SLOTS - 1 || slot >= atomic_load_explicit(&n_sources, memory_order_acquire))
		return "other";
	return source_names[slot];
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

/* A label value that needs no escaping and says what it is. */
static bool plain_name(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (n + 1 >= SOURCE_NAME_MAX ||
		    !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return false;
	}
	return n > 0;
}

unsigned fetch_metrics_source(const char *label)
{
	pthread_once(&once, register_metrics);
	if (!label || !plain_name(label))
		return SOURCE_SLOTS - 1;
	unsigned n = atomic_load_explicit(&n_sources, memory_order_acquire);
	for (unsigned i = 0; i < n; i++)
		if (strcmp(source_names[i], label) == 0)
			return i;
	pthread_mutex_lock(&sources_mu);
	n = atomic_load_explicit(&n_sources, memory_order_relaxed);
	unsigned slot = SOURCE_SLOTS - 1;
	for (unsigned i = 0; i < n; i++)
		if (strcmp(source_names[i], label) == 0)
			slot = i;
	if (slot == SOURCE_SLOTS - 1 && n < SOURCE_SLOTS - 1) {
		memcpy(source_names[n], label, strlen(label) + 1);
		atomic_store_explicit(&n_sources, n + 1, memory_order_release);
		slot = n;
	}
	pthread_mutex_unlock(&sources_mu);
	return slot;
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
