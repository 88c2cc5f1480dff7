#include "scan/scan_metrics.h"

#include <stdatomic.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/metrics.h"

/* A resume takes milliseconds; scoring one posting, microseconds. */
static const double scan_le[] = { 0.00001, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5 };
static const char *const stage_names[SCAN_STAGE_COUNT] = { "resume", "score" };
static _Atomic(struct metric *) scan_seconds;

static void stage_label(size_t series, struct buf *out, void *ctx)
{
	(void)ctx;
	buf_printf(out, "stage=\"%s\"", series < SCAN_STAGE_COUNT ? stage_names[series] : "other");
}

void scan_metrics_register(void)
{
	atomic_store(&scan_seconds,
		     metrics_histogram("jobtrack_scan_seconds",
				       "Time the resume scanner took, by stage (resume: reading one resume; "
				       "score: scoring it against one posting), seconds.",
				       scan_le, sizeof(scan_le) / sizeof(scan_le[0]), SCAN_STAGE_COUNT, stage_label,
				       NULL));
}

void scan_metrics_observe(enum scan_stage stage, const struct timespec *since)
{
	struct metric *m = atomic_load_explicit(&scan_seconds, memory_order_relaxed);
	if (!m) {
		scan_metrics_register();
		m = atomic_load(&scan_seconds);
		if (!m)
			return;
	}
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double s = (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
	metrics_observe(m, (size_t)stage, s < 0 ? 0 : s);
}
