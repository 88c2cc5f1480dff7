/* Unit tests for src/base/metrics: the registry any module bumps, and the
 * Prometheus text it renders. The registry is process-wide, so each test uses
 * names of its own and looks only at its own lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/metrics.h"

static char *render(struct buf *b)
{
	buf_init(b, 1 << 20);
	metrics_render(b);
	assert_int_equal(buf_failed(b), 0);
	return b->data;
}

static void test_build_info_comes_first(void **state)
{
	(void)state;
	struct buf b;
	const char *text = render(&b);
	assert_true(strncmp(text, "# HELP jobtrack_build_info Build information.\n", 46) == 0);
	buf_free(&b);
}

static void test_counter_and_gauge(void **state)
{
	(void)state;
	atomic_ullong *c = metrics_counter("t_jobs_total", "Jobs done.");
	assert_non_null(c);
	assert_ptr_equal(metrics_counter("t_jobs_total", "again"), c); /* registering twice finds it */
	assert_null(metrics_gauge("t_jobs_total", "another shape"));
	atomic_llong *g = metrics_gauge("t_queue", "Jobs waiting.");
	assert_non_null(g);
	struct buf b;
	assert_non_null(
	    strstr(render(&b), "# HELP t_jobs_total Jobs done.\n# TYPE t_jobs_total counter\nt_jobs_total 0\n"));
	buf_free(&b);
	atomic_fetch_add(c, 3);
	atomic_fetch_add(g, -2);
	const char *text = render(&b);
	assert_non_null(strstr(text, "\nt_jobs_total 3\n"));
	assert_non_null(strstr(text, "# TYPE t_queue gauge\nt_queue -2\n"));
	/* Families render in the order they were registered. */
	assert_true(strstr(text, "t_jobs_total 3") < strstr(text, "t_queue -2"));
	buf_free(&b);
}

static void test_gauge_in_thousandths(void **state)
{
	(void)state;
	atomic_llong *g = metrics_gauge_milli("t_lag_seconds", "Lag.");
	assert_non_null(g);
	assert_null(metrics_gauge("t_lag_seconds", "another shape"));
	struct buf b;
	assert_non_null(strstr(render(&b), "# TYPE t_lag_seconds gauge\nt_lag_seconds 0.000\n"));
	buf_free(&b);
	atomic_store(g, 1500);
	assert_non_null(strstr(render(&b), "\nt_lag_seconds 1.500\n"));
	buf_free(&b);
	atomic_store(g, -42);
	assert_non_null(strstr(render(&b), "\nt_lag_seconds -0.042\n"));
	buf_free(&b);
}

static void kind_label(size_t series, struct buf *out, void *ctx)
{
	const char *const *names = ctx;
	buf_printf(out, "kind=\"%s\"", names[series]);
}

static void test_counter_family_shows_only_counted_series(void **state)
{
	(void)state;
	static const char *const kinds[] = { "board", "resume", "other" };
	struct metric *m = metrics_counter_family("t_scans_total", "Scans.", 3, kind_label, (void *)kinds);
	assert_non_null(m);
	metrics_count(m, 1);
	metrics_count(m, 1);
	metrics_count(m, 99); /* past the end: the last series */
	struct buf b;
	const char *text = render(&b);
	assert_null(strstr(text, "t_scans_total{kind=\"board\"}"));
	assert_non_null(strstr(text, "t_scans_total{kind=\"resume\"} 2\n"));
	assert_non_null(strstr(text, "t_scans_total{kind=\"other\"} 1\n"));
	buf_free(&b);
}

/* Label values from configuration get slots up to the bound, the same
 * value the same slot; past it, or when a value would need escaping, the
 * caller's overflow. */
static void test_label_tables_are_bounded(void **state)
{
	(void)state;
	static char values[3][METRICS_LABEL_MAX + 1];
	static struct metrics_labels t = METRICS_LABELS_INIT(values, 3);
	assert_int_equal(metrics_labels_slot(&t, "acme-jobs"), 0);
	assert_int_equal(metrics_labels_slot(&t, "Globex.EU greenhouse"), 1);
	assert_int_equal(metrics_labels_slot(&t, "acme-jobs"), 0);
	assert_int_equal(metrics_labels_slot(&t, "quote\"d"), 3);
	assert_int_equal(metrics_labels_slot(&t, "new\nline"), 3);
	assert_int_equal(metrics_labels_slot(&t, ""), 3);
	assert_int_equal(metrics_labels_slot(&t, NULL), 3);
	char long_name[METRICS_LABEL_MAX + 2];
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(metrics_labels_slot(&t, long_name), 3);
	assert_int_equal(metrics_labels_slot(&t, "third"), 2);
	assert_int_equal(metrics_labels_slot(&t, "fourth"), 3); /* full */
	assert_string_equal(metrics_labels_value(&t, 1), "Globex.EU greenhouse");
	assert_null(metrics_labels_value(&t, 3));
}

static void test_unlabelled_histogram(void **state)
{
	(void)state;
	static const double le[] = { 0.1, 1 };
	struct metric *h = metrics_histogram("t_fetch_seconds", "Fetch time.", le, 2, 1, NULL, NULL);
	assert_non_null(h);
	struct buf b;
	assert_null(strstr(render(&b), "t_fetch_seconds_count")); /* nothing observed yet */
	buf_free(&b);
	metrics_observe(h, 0, 0.05);
	metrics_observe(h, 0, 0.5);
	metrics_observe(h, 0, 7);
	assert_non_null(strstr(render(&b), "# TYPE t_fetch_seconds histogram\n"
					   "t_fetch_seconds_bucket{le=\"0.1\"} 1\n"
					   "t_fetch_seconds_bucket{le=\"1\"} 2\n"
					   "t_fetch_seconds_bucket{le=\"+Inf\"} 3\n"
					   "t_fetch_seconds_sum 7.550000\n"
					   "t_fetch_seconds_count 3\n"));
	buf_free(&b);
}

static void test_labelled_histogram(void **state)
{
	(void)state;
	static const char *const kinds[] = { "board", "resume" };
	static const double le[] = { 1 };
	struct metric *h = metrics_histogram("t_size_bytes", "Sizes.", le, 1, 2, kind_label, (void *)kinds);
	metrics_observe(h, 1, 2);
	struct buf b;
	const char *text = render(&b);
	assert_non_null(strstr(text, "t_size_bytes_bucket{kind=\"resume\",le=\"1\"} 0\n"
				     "t_size_bytes_bucket{kind=\"resume\",le=\"+Inf\"} 1\n"
				     "t_size_bytes_sum{kind=\"resume\"} 2.000000\n"
				     "t_size_bytes_count{kind=\"resume\"} 1\n"));
	assert_null(strstr(text, "kind=\"board\""));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_info_comes_first),
		cmocka_unit_test(test_counter_and_gauge),
		cmocka_unit_test(test_gauge_in_thousandths),
		cmocka_unit_test(test_counter_family_shows_only_counted_series),
		cmocka_unit_test(test_label_tables_are_bounded),
		cmocka_unit_test(test_unlabelled_histogram),
		cmocka_unit_test(test_labelled_histogram),
	};
	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
