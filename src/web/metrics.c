#include "web/metrics.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web/route.h"
#include "version.h"

static const int tracked_status[] = { 200, 201, 204, 301, 302, 303, 304, 400, 401, 403,
				      404, 405, 409, 413, 415, 422, 429, 431, 500, 503 };
#define N_STATUS     (sizeof(tracked_status) / sizeof(tracked_status[0]))
#define STATUS_OTHER N_STATUS

static const double bucket_le[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };
#define N_BUCKETS (sizeof(bucket_le) / sizeof(bucket_le[0]))

struct route_stats {
	atomic_ullong by_status[N_STATUS + 1];
	atomic_ullong buckets[N_BUCKETS + 1]; /* last = +Inf */
	atomic_ullong sum_us;
};

static struct route_stats *stats; /* n_routes + 1 (unmatched) */
static size_t stats_n;
static atomic_llong open_connections;

#define MAX_COUNTERS 64
static struct {
	const char *name, *help;
	atomic_ullong value;
} counters[MAX_COUNTERS];
static size_t n_counters;
static pthread_mutex_t counters_mu = PTHREAD_MUTEX_INITIALIZER;

void metrics_init(size_t n)
{
	if (stats)
		return;
	stats = calloc(n + 1, sizeof(*stats));
	stats_n = stats ? n + 1 : 0;
}

void metrics_http_observe(size_t route, int status, double seconds)
{
	if (!stats)
		return;
	struct route_stats *r = &stats[route < stats_n - 1 ? route : stats_n - 1];
	size_t si = STATUS_OTHER;
	for (size_t i = 0; i < N_STATUS; i++)
		if (tracked_status[i] == status)
			si = i;
	atomic_fetch_add_explicit(&r->by_status[si], 1, memory_order_relaxed);
	size_t b = N_BUCKETS;
	for (size_t i = 0; i < N_BUCKETS; i++)
		if (seconds <= bucket_le[i]) {
			b = i;
			break;
		}
	atomic_fetch_add_explicit(&r->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->sum_us, (unsigned long long)(seconds * 1e6), memory_order_relaxed);
}

void metrics_connections_add(int delta)
{
	atomic_fetch_add(&open_connections, delta);
}

atomic_ullong *metrics_counter(const char *name, const char *help)
{
	pthread_mutex_lock(&counters_mu);
	atomic_ullong *found = NULL;
	for (size_t i = 0; i < n_counters && !found; i++)
		if (strcmp(counters[i].name, name) == 0)
			found = &counters[i].value;
	if (!found && n_counters < MAX_COUNTERS) {
		counters[n_counters].name = name;
		counters[n_counters].help = help;
		found = &counters[n_counters++].value;
	}
	pthread_mutex_unlock(&counters_mu);
	return found;
}

static const char *route_label(size_t i)
{
	return i < n_routes ? routes[i].pattern : "unmatched";
}

static const char *method_label(size_t i)
{
	static const char *const names[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER" };
	return i < n_routes ? names[routes[i].method] : "ANY";
}

void metrics_render(struct buf *out)
{
	buf_puts(out, "# HELP jobtrack_build_info Build information.\n# TYPE jobtrack_build_info gauge\n");
	buf_printf(out, "jobtrack_build_info{version=\"%s\"} 1\n", JOBTRACK_VERSION);
	buf_puts(out, "# HELP jobtrack_http_open_connections Connections open now.\n"
		      "# TYPE jobtrack_http_open_connections gauge\n");
	buf_printf(out, "jobtrack_http_open_connections %lld\n", (long long)atomic_load(&open_connections));

	buf_puts(out, "# HELP jobtrack_http_requests_total Requests answered, by route and status.\n"
		      "# TYPE jobtrack_http_requests_total counter\n");
	for (size_t r = 0; r < stats_n; r++)
		for (size_t s = 0; s <= N_STATUS; s++) {
			unsigned long long v = atomic_load_explicit(&stats[r].by_status[s], memory_order_relaxed);
			if (!v)
				continue;
			buf_printf(out, "jobtrack_http_requests_total{method=\"%s\",route=\"%s\",status=\"",
				   method_label(r), route_label(r));
			if (s < N_STATUS)
				buf_printf(out, "%d", tracked_status[s]);
			else
				buf_puts(out, "other");
			buf_printf(out, "\"} %llu\n", v);
		}

	buf_puts(out, "# HELP jobtrack_http_request_duration_seconds Time from request to response, by route.\n"
		      "# TYPE jobtrack_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r < stats_n; r++) {
		unsigned long long cum = 0;
		unsigned long long total = 0;
		for (size_t b = 0; b <= N_BUCKETS; b++)
			total += atomic_load_explicit(&stats[r].buckets[b], memory_order_relaxed);
		if (!total)
			continue;
		for (size_t b = 0; b <= N_BUCKETS; b++) {
			cum += atomic_load_explicit(&stats[r].buckets[b], memory_order_relaxed);
			buf_printf(out,
				   "jobtrack_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"",
				   method_label(r), route_label(r));
			if (b < N_BUCKETS)
				buf_printf(out, "%g", bucket_le[b]);
			else
				buf_puts(out, "+Inf");
			buf_printf(out, "\"} %llu\n", cum);
		}
		buf_printf(out, "jobtrack_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n",
			   method_label(r), route_label(r),
			   (double)atomic_load_explicit(&stats[r].sum_us, memory_order_relaxed) / 1e6);
		buf_printf(out, "jobtrack_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
			   method_label(r), route_label(r), cum);
	}

	pthread_mutex_lock(&counters_mu);
	for (size_t i = 0; i < n_counters; i++)
		buf_printf(out, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", counters[i].name, counters[i].help,
			   counters[i].name, counters[i].name, atomic_load(&counters[i].value));
	pthread_mutex_unlock(&counters_mu);
}
