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
#include "scrape/posting_store.h"

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

/* A posting as ingest stores it, read back for the API, is written the same
 * by the one writer; the list form leaves the descriptions out. */
static void test_a_stored_posting_reads_back_the_same(void **state)
{
	(void)state;
	struct posting p = {
		.title = "Data Engineer",
		.company = "Acme",
		.location = { .raw = "Berlin, DE", .locality = "Berlin", .region = "Berlin", .country = "DE" },
		.workplace = WORKPLACE_REMOTE,
		.employment_types = EMPLOYMENT_PART_TIME,
		.salary = { .present = true, .min = 60000, .max = 0, .currency = "EUR", .period = SALARY_PERIOD_YEAR },
		.date_posted = "2026-10-01",
		.description_html = "<p>Hi</p>",
		.description_text = "Hi",
		.apply_url = "https://acme.example/apply/7",
		.url = "https://acme.example/jobs/7",
		.source = "greenhouse",
		.external_id = "7",
	};
	/* The columns ingest (scrape/ingest.c) writes from it. */
	struct store_posting sp = {
		.title = p.title,
		.company = p.company,
		.location_raw = p.location.raw,
		.locality = p.location.locality,
		.region = p.location.region,
		.country = p.location.country,
		.workplace = workplace_name(p.workplace),
		.employment_types = p.employment_types,
		.salary_min = p.salary.min,
		.salary_max = p.salary.max,
		.salary_currency = p.salary.currency,
		.salary_period = salary_period_name(p.salary.period),
		.date_posted = p.date_posted,
		.description_html = p.description_html,
		.description_text = p.description_text,
		.apply_url = p.apply_url,
		.url = p.url,
		.source_rank = 3,
	};
	struct posting_source listings[] = {
		{ .source = "jsonld", .external_id = "acme.example/7", .source_rank = 1, .closed_at = 99 },
		{ .source = "greenhouse", .external_id = "7", .source_rank = 3 },
	};
	const struct posting_source *best = posting_store_best_listing(&sp, listings, 2);
	assert_ptr_equal(best, &listings[1]); /* the open listing whose fields these are */
	struct posting back;
	posting_from_store(&sp, best, &back);
	struct buf want, got;
	buf_init(&want, 1 << 16);
	buf_init(&got, 1 << 16);
	posting_to_json(&p, &want);
	posting_to_json(&back, &got);
	assert_string_equal(got.data, want.data);

	/* The list form: the same members but the descriptions. */
	buf_reset(&got);
	buf_putc(&got, '{');
	posting_json_members(&back, 0, &got);
	buf_putc(&got, '}');
	json_t *obj = json_loads(got.data, 0, NULL);
	assert_non_null(obj);
	assert_null(json_object_get(obj, "description_html"));
	assert_null(json_object_get(obj, "description_text"));
	assert_int_equal(json_object_size(obj), 12);
	assert_true(json_is_null(json_object_get(json_object_get(obj, "salary"), "max")));
	json_decref(obj);

	/* No salary stored: null, not an empty object. */
	sp.salary_min = sp.salary_max = 0;
	sp.salary_currency = sp.salary_period = NULL;
	posting_from_store(&sp, NULL, &back);
	assert_false(back.salary.present);
	assert_null(back.source);
	buf_free(&want);
	buf_free(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_unknowns_are_null),
		cmocka_unit_test(test_a_stored_posting_reads_back_the_same),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
