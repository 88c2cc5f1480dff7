#include "base/metrics.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

enum metric_kind { KIND_COUNTER, KIND_GAUGE, KIND_GAUGE_MILLI, KIND_COUNTER_FAMILY, KIND_HISTOGRAM };

struct metric {
	const char *name, *help; /* static strings: the registry keeps the pointers */
	enum metric_kind kind;
	size_t n_series;
	metrics_label_fn *label;
	void *ctx;
	atomic_ullong counter; /* KIND_COUNTER */
	atomic_llong gauge;    /* KIND_GAUGE; KIND_GAUGE_MILLI in thousandths */
	/* KIND_COUNTER_FAMILY: one count per series. KIND_HISTOGRAM: per series,
	 * n_le + 1 bucket counts (not cumulative; the last is +Inf), then the sum
	 * in millionths. */
	atomic_ullong *values;
	const double *le;
	size_t n_le;
};

#define MAX_METRICS 64
static struct metric registry[MAX_METRICS];
static size_t n_registered;
static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;

/* The registered metric called name, or a new slot for it; NULL when it
 * exists with another kind or the registry is full. Called with the lock held. */
static struct metric *find_or_add(const char *name, const char *help, enum metric_kind kind, int *created)
{
	*created = 0;
	for (size_t i = 0; i < n_registered; i++)
		if (strcmp(registry[i].name, name) == 0)
			return registry[i].kind == kind ? &registry[i] : NULL;
	if (n_registered == MAX_METRICS)
		return NULL;
	struct metric *m = &registry[n_registered];
	m->name = name;
	m->help = help;
	m->kind = kind;
	m->n_series = 1;
	*created = 1;
	return m;
}

/* Registers a metric of a single unlabelled series. */
static struct metric *add_single(const char *name, const char *help, enum metric_kind kind)
{
	pthread_mutex_lock(&registry_mu);
	int created;
	struct metric *m = find_or_add(name, help, kind, &created);
	if (m && created)
		n_registered++;
	pthread_mutex_unlock(&registry_mu);
	return m;
}

atomic_ullong *metrics_counter(const char *name, const char *help)
{
	struct metric *m = add_single(name, help, KIND_COUNTER);
	return m ? &m->counter : NULL;
}

atomic_llong *metrics_gauge(const char *name, const char *help)
{
	struct metric *m = add_single(name, help, KIND_GAUGE);
	return m ? &m->gauge : NULL;
}

atomic_llong *metrics_gauge_milli(const char *name, const char *help)
{
	struct metric *m = add_single(name, help, KIND_GAUGE_MILLI);
	return m ? &m->gauge : NULL;
}

/* Registers a family of n_series, each with `stride` values; le is a
 * histogram's bounds (NULL otherwise). Filled in completely before it is
 * counted, so a render never sees half a family. */
static struct metric *add_family(const char *name, const char *help, enum metric_kind kind, size_t n_series,
				 size_t stride, const double *le, size_t n_le, metrics_label_fn *label, void *ctx)
{
	assert(n_series > 0);
	pthread_mutex_lock(&registry_mu);
	int created;
	struct metric *m = find_or_add(name, help, kind, &created);
	if (m && created) {
		m->values = calloc(n_series * stride, sizeof(*m->values));
		if (m->values) {
			m->n_series = n_series;
			m->label = label;
			m->ctx = ctx;
			m->le = le;
			m->n_le = n_le;
			n_registered++;
		} else {
			m = NULL;
		}
	}
	pthread_mutex_unlock(&registry_mu);
	return m;
}

struct metric *metrics_counter_family(const char *name, const char *help, size_t n_series, metrics_label_fn *label,
				      void *ctx)
{
	return add_family(name, help, KIND_COUNTER_FAMILY, n_series, 1, NULL, 0, label, ctx);
}

void metrics_count(struct metric *m, size_t series)
{
	assert(m->kind == KIND_COUNTER_FAMILY);
	if (series >= m->n_series)
		series = m->n_series - 1;
	atomic_fetch_add_explicit(&m->values[series], 1, memory_order_relaxed);
}

void metrics_add(struct metric *m, size_t series, unsigned long long n)
{
	assert(m->kind == KIND_COUNTER_FAMILY);
	if (series >= m->n_series)
		series = m->n_series - 1;
	atomic_fetch_add_explicit(&m->values[series], n, memory_order_relaxed);
}

struct metric *metrics_histogram(const char *name, const char *help, const double *le, size_t n_le, size_t n_series,
				 metrics_label_fn *label, void *ctx)
{
	assert(n_series == 1 || label);
	return add_family(name, help, KIND_HISTOGRAM, n_series, n_le + 2, le, n_le, label, ctx);
}

void metrics_observe(struct metric *m, size_t series, double value)
{
	assert(m->kind == KIND_HISTOGRAM);
	if (series >= m->n_series)
		series = m->n_series - 1;
	atomic_ullong *v = &m->values[series * (m->n_le + 2)];
	size_t b = m->n_le;
	for (size_t i = 0; i < m->n_le; i++)
		if (value <= m->le[i]) {
			b = i;
			break;
		}
	atomic_fetch_add_explicit(&v[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&v[m->n_le + 1], (unsigned long long)(value * 1e6), memory_order_relaxed);
}

static void render_header(struct buf *out, const struct metric *m, const char *type)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help, m->name, type);
}

/* The series' labels, or "" for an unlabelled one. */
static const char *series_labels(const struct metric *m, size_t series, struct buf *labels)
{
	buf_reset(labels);
	if (!m->label)
		return "";
	m->label(series, labels, m->ctx);
	return labels->data ? labels->data : "";
}

static void render_counter_family(struct buf *out, const struct metric *m, struct buf *labels)
{
	render_header(out, m, "counter");
	for (size_t s = 0; s < m->n_series; s++) {
		unsigned long long v = atomic_load_explicit(&m->values[s], memory_order_relaxed);
		if (v)
			buf_printf(out, "%s{%s} %llu\n", m->name, series_labels(m, s, labels), v);
	}
}

static void render_histogram(struct buf *out, const struct metric *m, struct buf *labels)
{
	render_header(out, m, "histogram");
	for (size_t s = 0; s < m->n_series; s++) {
		const atomic_ullong *v = &m->values[s * (m->n_le + 2)];
		unsigned long long total = 0;
		for (size_t b = 0; b <= m->n_le; b++)
			total += atomic_load_explicit(&v[b], memory_order_relaxed);
		if (!total)
			continue;
		const char *l = series_labels(m, s, labels);
		const char *sep = *l ? "," : "";
		unsigned long long cum = 0;
		for (size_t b = 0; b <= m->n_le; b++) {
			cum += atomic_load_explicit(&v[b], memory_order_relaxed);
			buf_printf(out, "%s_bucket{%s%sle=\"", m->name, l, sep);
			if (b < m->n_le)
				buf_printf(out, "%g", m->le[b]);
			else
				buf_puts(out, "+Inf");
			buf_printf(out, "\"} %llu\n", cum);
		}
		double sum = (double)atomic_load_explicit(&v[m->n_le + 1], memory_order_relaxed) / 1e6;
		if (*l) {
			buf_printf(out, "%s_sum{%s} %.6f\n", m->name, l, sum);
			buf_printf(out, "%s_count{%s} %llu\n", m->name, l, cum);
		} else {
			buf_printf(out, "%s_sum %.6f\n%s_count %llu\n", m->name, sum, m->name, cum);
		}
	}
}

void metrics_render(struct buf *out)
{
	buf_puts(out, "# HELP jobtrack_build_info Build information.\n# TYPE jobtrack_build_info gauge\n");
	buf_printf(out, "jobtrack_build_info{version=\"%s\"} 1\n", JOBTRACK_VERSION);
	struct buf labels;
	buf_init(&labels, 4096);
	pthread_mutex_lock(&registry_mu);
	for (size_t i = 0; i < n_registered; i++) {
		const struct metric *m = &registry[i];
		switch (m->kind) {
		case KIND_COUNTER:
			render_header(out, m, "counter");
			buf_printf(out, "%s %llu\n", m->name, atomic_load(&m->counter));
			break;
		case KIND_GAUGE:
			render_header(out, m, "gauge");
			buf_printf(out, "%s %lld\n", m->name, (long long)atomic_load(&m->gauge));
			break;
		case KIND_GAUGE_MILLI: {
			long long v = (long long)atomic_load(&m->gauge);
			render_header(out, m, "gauge");
			buf_printf(out, "%s %s%lld.%03lld\n", m->name, v < 0 ? "-" : "", llabs(v) / 1000,
				   llabs(v) % 1000);
			break;
		}
		case KIND_COUNTER_FAMILY:
			render_counter_family(out, m, &labels);
			break;
		case KIND_HISTOGRAM:
			render_histogram(out, m, &labels);
			break;
		}
	}
	pthread_mutex_unlock(&registry_mu);
	buf_free(&labels);
}
