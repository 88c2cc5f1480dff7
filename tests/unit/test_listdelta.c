/* test_listdelta — store_app_list's filters and orders in C (the pieces
 * that bring a remembered page up to date; the store suite checks them
 * against real statements on both backends). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "store/listdelta.h"

static struct application row(int64_t id, const char *company, int priority, const char *applied_on, int64_t updated_at)
{
	return (struct application){ .id = id,
				     .company = (char *)company,
				     .status = "saved",
				     .priority = priority,
				     .applied_on = (char *)applied_on,
				     .updated_at = updated_at,
				     .created_at = id };
}

static void test_company_order_folds_ascii_case_only_and_ties_go_by_id(void **state)
{
	(void)state;
	struct application a = row(1, "acme", 0, NULL, 0), b = row(2, "ACME", 0, NULL, 0),
			   c = row(3, "Acmf", 0, NULL, 0), d = row(4, "acm", 0, NULL, 0),
			   e = row(5, "\xc3\x89toile", 0, NULL, 0), z = row(6, "zeta", 0, NULL, 0);
	assert_true(list_delta_order(APP_SORT_COMPANY_ASC, &a, &b) < 0); /* equal names: by id */
	assert_true(list_delta_order(APP_SORT_COMPANY_DESC, &a, &b) > 0);
	assert_true(list_delta_order(APP_SORT_COMPANY_ASC, &b, &c) < 0);
	assert_true(list_delta_order(APP_SORT_COMPANY_ASC, &d, &a) < 0); /* a prefix first */
	assert_true(list_delta_order(APP_SORT_COMPANY_ASC, &z, &e) < 0); /* bytes: 0xc3 after 'z' */
	assert_int_equal(list_delta_order(APP_SORT_COMPANY_ASC, &a, &a), 0);
}

static void test_applied_order_puts_undated_rows_last_both_ways(void **state)
{
	(void)state;
	struct application dated = row(1, "a", 0, "2026-03-01", 0), later = row(2, "a", 0, "2026-04-01", 0),
			   none = row(3, "a", 0, NULL, 0), none2 = row(4, "a", 0, NULL, 0);
	assert_true(list_delta_order(APP_SORT_APPLIED_DESC, &later, &dated) < 0);
	assert_true(list_delta_order(APP_SORT_APPLIED_DESC, &dated, &none) < 0);
	assert_true(list_delta_order(APP_SORT_APPLIED_ASC, &dated, &later) < 0);
	assert_true(list_delta_order(APP_SORT_APPLIED_ASC, &later, &none) < 0);
	assert_true(list_delta_order(APP_SORT_APPLIED_DESC, &none2, &none) < 0); /* then id, descending */
	assert_true(list_delta_order(APP_SORT_APPLIED_ASC, &none, &none2) < 0);
}

static void test_priority_orders_break_ties_by_newest_change(void **state)
{
	(void)state;
	struct application hi = row(1, "a", 5, NULL, 10), lo = row(2, "a", 1, NULL, 20),
			   lo_new = row(3, "a", 1, NULL, 30);
	assert_true(list_delta_order(APP_SORT_PRIORITY_DESC, &hi, &lo) < 0);
	assert_true(list_delta_order(APP_SORT_PRIORITY_ASC, &lo, &hi) < 0);
	assert_true(list_delta_order(APP_SORT_PRIORITY_ASC, &lo_new, &lo) < 0); /* updated_at descending in both */
	assert_true(list_delta_order(APP_SORT_PRIORITY_DESC, &lo_new, &lo) < 0);
	assert_true(list_delta_order(APP_SORT_UPDATED_ASC, &hi, &lo) < 0);
	assert_true(list_delta_order(APP_SORT_UPDATED_DESC, &hi, &lo) > 0);
	assert_true(list_delta_order(APP_SORT_COUNT, &hi, &lo) > 0); /* unknown: as updated, newest first */
}

static void test_tag_filter_ignores_ascii_case(void **state)
{
	(void)state;
	char *tags[] = { "Go", "Remote" };
	struct application a = row(1, "a", 0, NULL, 0);
	a.tags = tags;
	a.n_tags = 2;
	assert_true(list_delta_matches(&(struct app_filter){ .tag = "REMOTE" }, &a));
	assert_false(list_delta_matches(&(struct app_filter){ .tag = "remot" }, &a));
	assert_false(list_delta_matches(&(struct app_filter){ .tag = "go", .status = "applied" }, &a));
	assert_true(list_delta_matches(&(struct app_filter){ .tag = "go", .status = "saved" }, &a));
	assert_false(list_delta_supports(&(struct app_filter){ .q = "acme" }));
	assert_true(list_delta_supports(&(struct app_filter){ .q = "" }));
}

static void test_apply_moves_changed_rows_and_refuses_what_it_cannot_know(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1 << 16);
	struct app_filter f = { .sort = APP_SORT_UPDATED_DESC };
	struct application base[] = { row(3, "c", 0, NULL, 30), row(2, "b", 0, NULL, 20), row(1, "a", 0, NULL, 10) };
	struct application changed[] = { row(1, "a2", 0, NULL, 40), row(4, "d", 0, NULL, 35) };
	struct application *out;
	size_t n;
	assert_int_equal(list_delta_apply(&f, base, 3, changed, 2, 4, &a, &out, &n), 0);
	assert_int_equal(n, 4);
	int64_t want[] = { 1, 4, 3, 2 };
	for (size_t i = 0; i < n; i++)
		assert_int_equal(out[i].id, want[i]);
	assert_string_equal(out[0].company, "a2");
	/* Fewer rows match than the base and the changes hold: one was deleted. */
	assert_int_equal(list_delta_apply(&f, base, 3, changed, 2, 3, &a, &out, &n), -1);
	/* More than a page. */
	struct app_filter small = { .limit = 3 };
	assert_int_equal(list_delta_apply(&small, base, 3, changed, 2, 4, &a, &out, &n), -1);
	/* A row leaving the filter. */
	struct app_filter applied = { .status = "applied" };
	struct application in[] = { row(5, "e", 0, NULL, 50) }, left = row(5, "e", 0, NULL, 60);
	in[0].status = "applied";
	assert_int_equal(list_delta_apply(&applied, in, 1, &left, 1, 0, &a, &out, &n), 0);
	assert_int_equal(n, 0);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_company_order_folds_ascii_case_only_and_ties_go_by_id),
		cmocka_unit_test(test_applied_order_puts_undated_rows_last_both_ways),
		cmocka_unit_test(test_priority_orders_break_ties_by_newest_change),
		cmocka_unit_test(test_tag_filter_ignores_ascii_case),
		cmocka_unit_test(test_apply_moves_changed_rows_and_refuses_what_it_cannot_know),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
