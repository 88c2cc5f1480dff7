/* The administrators' sources service (scrape/source_service.h) on its own,
 * over a real store: the rules the admin API and pages share, whatever the
 * handler in front of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "scrape/source_service.h"
#include "store_fixture.h"

struct fx {
	struct store_fixture sf;
	struct source_service svc;
	struct arena a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || store_fixture_make(&f->sf, NULL, 1))
		return -1;
	f->svc = (struct source_service){ .store = f->sf.s };
	arena_init(&f->a, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_fixture_destroy(&f->sf);
	arena_free(&f->a);
	free(f);
	return 0;
}

static void expect_field(const struct field_errors *errs, const char *field, const char *part)
{
	const char *msg = field_errors_get(errs, field);
	if (!msg || !strstr(msg, part))
		fail_msg("%s: \"%s\", wanted \"%s\"", field, msg ? msg : "(none)", part);
}

static void test_create_detects_names_and_enables(void **state)
{
	struct fx *f = *state;
	struct source_input in = { .url = "https://boards.greenhouse.io/acme" };
	struct scrape_source src;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(source_service_create(&f->svc, &f->a, &in, 100, &src, &errs), 0);
	assert_string_equal(src.kind, "greenhouse");
	assert_string_equal(src.target, "acme");
	assert_string_equal(src.name, "greenhouse-acme");
	assert_int_equal(src.enabled, 1);
	assert_true(src.id > 0);
	assert_int_equal(source_service_create(&f->svc, &f->a, &in, 100, &src, &errs), SOURCE_SERVICE_NAME_TAKEN);
	struct source_input ftp = { .url = "ftp://example.com/jobs" };
	assert_int_equal(source_service_create(&f->svc, &f->a, &ftp, 100, &src, &errs), SOURCE_SERVICE_UNKNOWN_URL);
}

static void test_config_keys_are_the_kinds_and_the_scrapers(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *kind, *config, *part;
	} bad[] = {
		{ "jsonld", "{\"crawll\": true}", "unknown key \"crawll\" for jsonld (its keys: crawl, sitemap" },
		{ "greenhouse", "{\"details\": true}", "unknown key \"details\" for greenhouse (its keys: company" },
		{ "workday", "{\"details\": \"maybe\"}", "\"details\" must be true or false" },
		{ "jsonld", "{\"delay\": -2}", "\"delay\" must be a number from 0 to 3600" },
		{ "jsonld", "{\"proxy\": \"proxy:3128\"}", "\"proxy\" must be a URL" },
		{ "jsonld", "{\"managed_by\": \"file\"}", "the sources file's mark" },
		{ "jsonld", "[1]", "Must be a JSON object" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct source_input in = { .kind = bad[i].kind,
					   .target = "https://example.com/",
					   .config = bad[i].config };
		struct scrape_source src;
		struct field_errors errs = { .n = 0 };
		assert_int_equal(source_service_create(&f->svc, &f->a, &in, 100, &src, &errs), SOURCE_SERVICE_INVALID);
		expect_field(&errs, "config", bad[i].part);
	}
	struct source_input ok = { .kind = "xpath",
				   .target = "https://example.com/",
				   .config = "{\"item\": \"//li\", \"title\": \"./a\", \"delay\": 2}" };
	struct scrape_source src;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(source_service_create(&f->svc, &f->a, &ok, 100, &src, &errs), 0);
}

static void test_the_crawl_switch_is_a_careers_pages(void **state)
{
	struct fx *f = *state;
	struct source_input in = { .url = "https://example.com/careers", .has_crawl = 1, .crawl = 1 };
	struct scrape_source src;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(source_service_create(&f->svc, &f->a, &in, 100, &src, &errs), 0);
	assert_string_equal(src.kind, "jsonld");
	assert_string_equal(src.config, "{\"crawl\":true}");
	assert_true(source_service_crawls(&src));
	struct source_input off = { .has_crawl = 1, .crawl = 0, .config = "{\"crawl\": true, \"delay\": 3}" };
	assert_int_equal(source_service_update(&f->svc, &f->a, src.id, src.version, &off, 110, &src, &errs), 0);
	assert_string_equal(src.config, "{\"delay\":3}");
	assert_false(source_service_crawls(&src));
	/* Another kind has no such switch: it changes nothing there. */
	struct source_input gh = { .kind = "greenhouse", .target = "acme", .has_crawl = 1, .crawl = 1 };
	assert_int_equal(source_service_create(&f->svc, &f->a, &gh, 100, &src, &errs), 0);
	assert_string_equal(src.config, "{}");
}

static void test_sources_from_the_file_are_read_only(void **state)
{
	struct fx *f = *state;
	struct scrape_source file = { .name = "from-file",
				      .kind = "greenhouse",
				      .target = "acme",
				      .config = "{\"managed_by\":\"file\"}",
				      .schedule = "every 6h",
				      .enabled = 1 };
	assert_int_equal(store_source_insert(f->sf.s, &file, 100), 0);
	assert_true(source_service_managed(&file));
	struct source_input in = { .schedule = "every 12h" };
	struct scrape_source out;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(source_service_update(&f->svc, &f->a, file.id, 0, &in, 110, &out, &errs),
			 SOURCE_SERVICE_MANAGED);
	assert_int_equal(source_service_delete(&f->svc, &f->a, file.id, 0), SOURCE_SERVICE_MANAGED);
	struct scrape_source now;
	assert_int_equal(store_source_get(f->sf.s, file.id, &f->a, &now), 0);
	assert_string_equal(now.schedule, "every 6h");
	assert_int_equal(now.version, 1);
}

static void test_edits_check_versions_and_terms(void **state)
{
	struct fx *f = *state;
	struct source_input in = { .url = "https://www.linkedin.com/jobs/search?keywords=rust",
				   .has_enabled = 1,
				   .enabled = 1 };
	struct scrape_source src;
	struct field_errors errs = { .n = 0 };
	assert_int_equal(source_service_create(&f->svc, &f->a, &in, 100, &src, &errs), SOURCE_SERVICE_INVALID);
	expect_field(&errs, "acknowledge_terms", "LinkedIn");
	in.enabled = 0;
	errs.n = 0;
	assert_int_equal(source_service_create(&f->svc, &f->a, &in, 100, &src, &errs), 0);
	int64_t v1 = src.version;
	struct source_input on = { .has_enabled = 1, .enabled = 1, .acknowledge_terms = 1 };
	assert_int_equal(source_service_update(&f->svc, &f->a, src.id, v1, &on, 110, &src, &errs), 0);
	assert_int_equal(src.version, v1 + 1);
	/* An edit made against the old version is refused, and shows the source now. */
	struct source_input later = { .schedule = "every 12h" };
	assert_int_equal(source_service_update(&f->svc, &f->a, src.id, v1, &later, 120, &src, &errs), STORE_STALE);
	assert_int_equal(src.version, v1 + 1);
	assert_int_equal(src.enabled, 1);
	assert_int_equal(source_service_update(&f->svc, &f->a, src.id + 100, 0, &later, 120, &src, &errs),
			 STORE_NOTFOUND);
	assert_int_equal(source_service_delete(&f->svc, &f->a, src.id, v1), STORE_STALE);
	assert_int_equal(source_service_delete(&f->svc, &f->a, src.id, v1 + 1), 0);
	assert_int_equal(source_service_delete(&f->svc, &f->a, src.id, 0), STORE_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_detects_names_and_enables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_keys_are_the_kinds_and_the_scrapers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_crawl_switch_is_a_careers_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sources_from_the_file_are_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edits_check_versions_and_terms, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
