/* metrics — counters and histograms for GET /metrics (Prometheus text).
 *
 * HTTP metrics are built in (requests by route and status, latency by route,
 * open connections). Other modules register plain counters with
 * metrics_counter(), which returns a handle to bump without locks. */
#ifndef JT_WEB_METRICS_H
#define JT_WEB_METRICS_H

#include <stdatomic.h>
#include <stddef.h>

#include "base/buf.h"

/* Sizes the per-route tables; call once before serving. */
void metrics_init(size_t n_routes);
/* route = (size_t)-1 for requests that matched no route. */
void metrics_http_observe(size_t route, int status, double seconds);
void metrics_connections_add(int delta);

/* Registers (or finds) a counter named `name` (a Prometheus metric name). */
atomic_ullong *metrics_counter(const char *name, const char *help);

/* Writes every metric in Prometheus text exposition format 0.0.4. */
void metrics_render(struct buf *out);

#endif
