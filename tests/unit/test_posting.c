/* Unit tests for src/scrape/posting: the wire names and the JSON shape of a
 * normalised posting, which is also the bus message format — so a posting
 * must survive to_json → from_json with nothing lost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scrape/posting.h"

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(workplace_name(WORKPLACE_HYBRID), "hybrid");
	assert_null(workplace_name(WORKPLACE_UNKNOWN));
	enum workplace w;
	assert_int_equal(workplace_from_name("remote", &w), 0);
	assert_int_equal(w, WORKPLACE_REMOTE);
	assert_true(workplace_from_name("Remote", &w) < 0); /* wire names are exact */
	assert_true(workplace_from_name(NULL, &w) < 0);
	assert_string_equal(employment_type_name(EMPLOYMENT_PER_DIEM), "PER_DIEM");
	assert_null(employment_type_name(EMPLOYMENT_FULL_TIME | EMPLOYMENT_INTERN));
	const char *names[] = { "INTERN", "bogus", "CONTRACTOR", NULL };
	assert_int_equal(employment_types_from_names(names, 4), EMPLOYMENT_INTERN | EMPLOYMENT_CONTRACTOR);
	enum salary_period per;
	assert_int_equal(salary_period_from_name("WEEK", &per), 0);
	assert_int_equal(per, SALARY_PERIOD_WEEK);
	assert_string_equal(salary_period_name(SALARY_PERIOD_HOUR), "HOUR");
}

static void test_json_round_trip(void **state)
{
	(void)state;
	struct posting p = {
		.title = "Senior \"Go\" Engineer",
		.company = "Acme ÅB",
		.location = { .raw = "Hybrid - Malmö", .locality = "Malmö", .region = "Skåne", .country = "SE" },
		.workplace = WORKPLACE_HYBRID,
		.employment_types = EMPLOYMENT_FULL_TIME | EMPLOYMENT_CONTRACTOR,
		.salary = { .present = true, .min = 42.5, .max = 60, .currency = "SEK", .period = SALARY_PERIOD_HOUR },
		.date_posted = "2026-11-02",
		.valid_through = "2027-01-31",
		.description_html = "<p>Line\nbreak &amp; <b>bold</b></p>",
		.description_text = "Line\nbreak & bold",
		.apply_url = "https://example.com/apply?a=1&b=2",
		.url = "https://example.com/jobs/1",
		.source = "lever",
		.external_id = "abc-1",
	};
	struct buf b;
	buf_init(&b, 1 << 16);
	posting_to_json(&p, &b);
	assert_int_equal(buf_failed(&b), 0);
	json_error_t je;
	json_t *obj = json_loads(b.data, 0, &je);
	assert_non_null(obj);
	assert_string_equal(json_string_value(json_object_get(obj, "workplace")), "hybrid");
	assert_int_equal(json_array_size(json_object_get(obj, "employment_type")), 2);
	assert_true(json_real_value(json_object_get(json_object_get(obj, "salary"), "min")) == 42.5);

	struct arena a;
	arena_init(&a, 0);
	struct posting back;
	assert_int_equal(posting_from_json(&a, obj, &back), 0);
	struct buf b2;
	buf_init(&b2, 1 << 16);
	posting_to_json(&back, &b2);
	assert_string_equal(b.data, b2.data);
	assert_string_equal(back.location.country, "SE");
	assert_int_equal(back.salary.period, SALARY_PERIOD_HOUR);
	json_decref(obj);
	buf_free(&b);
	buf_free(&b2);
	arena_free(&a);
}

static void test_unknowns_are_null(void **state)
{
	(void)state;
	struct posting p = { .title = "T", .source = "rss", .external_id = "1" };
	struct buf b;
	buf_init(&b, 1 << 16);
	posting_to_json(&p, &b);
	json_t *obj = json_loads(b.data, 0, NULL);
	assert_non_null(obj);
	assert_true(json_is_null(json_object_get(obj, "salary")));
	assert_true(json_is_null(json_object_get(obj, "workplace")));
	assert_true(json_is_null(json_object_get(obj, "date_posted")));
	assert_true(json_is_null(json_object_get(json_object_get(obj, "location"), "country")));
	assert_int_equal(json_array_size(json_object_get(obj, "employment_type")), 0);
	/* Wrongly typed values from a bad message are left unset, not trusted. */
	json_t *bad = json_pack("{s:i, s:s, s:{s:s}, s:[i]}", "title", 5, "date_posted", "2026-11-02-and-more",
				"salary", "min", "lots", "employment_type", 3);
	struct arena a;
	arena_init(&a, 0);
	struct posting q;
	assert_int_equal(posting_from_json(&a, bad, &q), 0);
	assert_null(q.title);
	assert_string_equal(q.date_posted, "");
	assert_true(q.salary.present && q.salary.min == 0);
	assert_int_equal(q.employment_types, 0);
	json_t *arr = json_array();
	assert_true(posting_from_json(&a, arr, &q) < 0);
	json_decref(arr);
	json_decref(bad);
	json_decref(obj);
	buf_free(&b);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_unknowns_are_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
