/* metrics — a process-wide registry of counters, gauges and histograms that
 * any module (the web server, the scraper, the resume scanner) registers and
 * bumps, rendered as Prometheus text for GET /metrics.
 *
 * A metric is a family of series: one series for a plain counter, or
 * n_series numbered 0..n_series-1 whose labels a callback writes at render
 * time (so a family of route x status needs no strings until it is scraped).
 *
 * Registering is rare and takes a lock; registering a name that exists
 * returns the existing metric, so a module may register at every start.
 * Bumping and observing are lock-free (relaxed atomics). Metrics live for the
 * whole process. The families render in the order they were registered,
 * after jobtrack_build_info. */
#ifndef JT_BASE_METRICS_H
#define JT_BASE_METRICS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "base/buf.h"

struct metric;

/* Writes the labels of one series, without braces: method="GET",route="/x". */
typedef void metrics_label_fn(size_t series, struct buf *out, void *ctx);

/* A plain counter, always rendered (0 included). NULL when the registry is
 * full or `name` exists with another shape. */
atomic_ullong *metrics_counter(const char *name, const char *help);
/* A plain gauge, always rendered. NULL as above. */
atomic_llong *metrics_gauge(const char *name, const char *help);

/* A plain gauge of a fractional quantity (seconds), kept in thousandths:
 * store 1500 to show 1.500. NULL as above. */
atomic_llong *metrics_gauge_milli(const char *name, const char *help);

/* A counter with n_series labelled series; only series above 0 are rendered.
 * NULL when full, out of memory, or `name` exists with another shape. */
struct metric *metrics_counter_family(const char *name, const char *help, size_t n_series, metrics_label_fn *label,
				      void *ctx);
/* Adds one to a series of a counter family; a series past the end counts in the last. */
void metrics_count(struct metric *m, size_t series);
/* Adds n to a series of a counter family (bytes, batches). */
void metrics_add(struct metric *m, size_t series, unsigned long long n);

/* A histogram with the upper bounds le[0..n_le-1] (ascending; +Inf is
 * implied) and n_series labelled series (label may be NULL when n_series is
 * 1). Series that saw no observation are not rendered. The sum keeps
 * millionths, enough for seconds and bytes alike. NULL as above. */
struct metric *metrics_histogram(const char *name, const char *help, const double *le, size_t n_le, size_t n_series,
				 metrics_label_fn *label, void *ctx);
/* Records one value in a series (a series past the end counts in the last). */
void metrics_observe(struct metric *m, size_t series, double value);

/* Writes every metric in Prometheus text exposition format 0.0.4. */
void metrics_render(struct buf *out);

/* ---- bounded label values (metrics_labels.c) ------------------------------
 * Families labelled by names that come from configuration (a scrape
 * source's name) must still have a bounded number of series: a table of at
 * most cap values, each given a slot on first use and kept for the process's
 * life. Past cap, and for values that are not plain (letters, digits, '-',
 * '_', '.', ' '; 1 to METRICS_LABEL_MAX bytes: nothing to escape), callers
 * count under an overflow series. Safe from any thread; lookups of known
 * values take no lock. */
#define METRICS_LABEL_MAX 96

struct metrics_labels {
	pthread_mutex_t mu;
	atomic_uint n;
	unsigned cap;
	char (*values)[METRICS_LABEL_MAX + 1]; /* cap of them */
};
/* A static table over storage `char values[cap][METRICS_LABEL_MAX + 1]`. */
#define METRICS_LABELS_INIT(values_, cap_) \
	{ \
		PTHREAD_MUTEX_INITIALIZER, 0, (cap_), (values_) \
	}

/* value's slot, below cap; cap when it has none (table full, not plain). */
unsigned metrics_labels_slot(struct metrics_labels *t, const char *value);
/* The value of a slot, or NULL for one that holds none (overflow). */
const char *metrics_labels_value(struct metrics_labels *t, unsigned slot);

#endif
