/* Unit tests for tracker input validation: applications (JSON and string
 * sources), whole-record rules, timeline events and contacts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/arena.h"
#include "base/timefmt.h"
#include "tracker/application.h"
#include "tracker/contact.h"
#include "tracker/event.h"
#include "tracker/field_errors.h"
#include "tracker/status.h"
#include "web/http.h"

/* 2026-03-04T12:00:00Z: a fixed "now" so dates filled in from today are known. */
#define NOW   ((time_t)1772625600)
#define TODAY "2026-03-04"

/* ---- helpers ------------------------------------------------------------ */

static struct arena arena;

static int setup(void **state)
{
	(void)state;
	arena_init(&arena, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, 0, &jerr);
	if (!v)
		fail_msg("bad test JSON: %s: %s", jerr.text, text);
	return v;
}

/* A key/value source for app_apply_strings & co: {"name", "value", ..., NULL}. */
static const char *kv_get(void *ctx, const char *name)
{
	const char *const *kv = ctx;
	for (size_t i = 0; kv[i]; i += 2)
		if (strcmp(kv[i], name) == 0)
			return kv[i + 1];
	return NULL;
}

/* Applies JSON text to a fresh application; the JSON is freed before returning
 * (every string the application keeps must have been copied to the arena). */
static void apply_json(struct application *app, const char *text, struct field_errors *errs)
{
	json_t *obj = parse(text);
	app_apply_json(app, obj, &arena, errs);
	json_decref(obj);
}

static void fresh(struct application *app, struct field_errors *errs)
{
	app_init(app, NOW);
	memset(errs, 0, sizeof(*errs));
}

static void show_errors(const struct field_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		printf("    %s: %s\n", errs->items[i].field, errs->items[i].message);
}

/* Checks that errs holds exactly one error, on field. */
static void expect_only_error(const struct field_errors *errs, const char *field)
{
	if (errs->n != 1 || !field_errors_get(errs, field)) {
		show_errors(errs);
		fail_msg("want exactly one error, on \"%s\"", field);
	}
}

static void expect_no_errors(const struct field_errors *errs)
{
	if (errs->n) {
		show_errors(errs);
		fail_msg("want no errors");
	}
}

/* Applies one string field and expects it rejected. */
static void expect_string_rejected(const char *field, const char *value)
{
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	const char *kv[] = { field, value, NULL };
	app_apply_strings(&app, kv_get, kv, &arena, &errs);
	if (errs.n != 1 || !field_errors_get(&errs, field)) {
		show_errors(&errs);
		fail_msg("%s = \"%s\" should be rejected", field, value);
	}
}

/* Applies one JSON member and expects it rejected. */
static void expect_json_rejected(const char *text, const char *field)
{
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	apply_json(&app, text, &errs);
	if (errs.n != 1 || !field_errors_get(&errs, field)) {
		show_errors(&errs);
		fail_msg("%s should be rejected on \"%s\"", text, field);
	}
}

/* ---- field_errors, status ------------------------------------------------- */

static void test_field_errors_keep_the_first_per_field(void **state)
{
	(void)state;
	struct field_errors errs = { .n = 0 };
	field_errors_add(&errs, "a", "first");
	field_errors_add(&errs, "a", "second");
	field_errors_add(&errs, "b", "other");
	assert_int_equal(errs.n, 2);
	assert_string_equal(field_errors_get(&errs, "a"), "first");
	assert_string_equal(field_errors_get(&errs, "b"), "other");
	assert_null(field_errors_get(&errs, "c"));
	/* Bounded: extra errors are dropped, not written past the end. */
	char names[FIELD_ERRORS_MAX + 5][8];
	for (int i = 0; i < FIELD_ERRORS_MAX + 5; i++) {
		snprintf(names[i], sizeof(names[i]), "f%d", i);
		field_errors_add(&errs, names[i], "x");
	}
	assert_int_equal(errs.n, FIELD_ERRORS_MAX);
}

static void test_status_names_and_labels(void **state)
{
	(void)state;
	assert_int_equal(status_index("saved"), 0);
	assert_int_equal(status_index("applied"), 1);
	assert_int_equal(status_index("ghosted"), STATUS_COUNT - 1);
	assert_int_equal(status_index("Applied"), -1);
	assert_int_equal(status_index(""), -1);
	assert_int_equal(status_index(NULL), -1);
	assert_string_equal(status_label("interviewing"), "Interviewing");
	assert_string_equal(status_label("mystery"), "mystery");
	for (int i = 0; i < STATUS_COUNT; i++)
		assert_int_equal(status_index(status_names[i]), i);
}

/* ---- app_init, app_apply_json ----------------------------------------------- */

static void test_app_init_is_an_empty_saved_application(void **state)
{
	(void)state;
	struct application app;
	app_init(&app, NOW);
	assert_string_equal(app.company, "");
	assert_string_equal(app.position, "");
	assert_string_equal(app.notes, "");
	assert_string_equal(app.status, "saved");
	assert_int_equal(app.priority, 0);
	assert_int_equal(app.n_tags, 0);
	assert_false(app.has_salary_min);
	assert_null(app.saved_on);
	assert_null(app.applied_on);
}

static void test_json_full_object(void **state)
{
	(void)state;
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	apply_json(&app,
		   "{\"company\": \"  Acme  \", \"position\": \"Dev\\nOps\", \"location\": \"Berlin\","
		   " \"url\": \"https://acme.example/jobs/1\", \"source\": \"LinkedIn\","
		   " \"salary_min\": 60000, \"salary_max\": 80000, \"salary_currency\": \"eur\","
		   " \"salary_period\": \"year\", \"status\": \"applied\", \"priority\": 5,"
		   " \"tags\": [\"remote\", \" rust \", \"remote\", \"\"], \"saved_on\": \"2026-01-01\","
		   " \"applied_on\": \"2026-01-02\", \"follow_up_on\": \"2026-02-29\", \"notes\": \" a\\nb \"}",
		   &errs);
	/* 2026 is not a leap year. */
	expect_only_error(&errs, "follow_up_on");
	assert_string_equal(app.company, "Acme");
	assert_string_equal(app.position, "Dev Ops"); /* single-line fields lose newlines */
	assert_string_equal(app.location, "Berlin");
	assert_string_equal(app.url, "https://acme.example/jobs/1");
	assert_string_equal(app.source, "LinkedIn");
	assert_true(app.has_salary_min && app.has_salary_max);
	assert_int_equal(app.salary_min, 60000);
	assert_int_equal(app.salary_max, 80000);
	assert_string_equal(app.salary_currency, "EUR");
	assert_string_equal(app.salary_period, "year");
	assert_string_equal(app.status, "applied");
	assert_int_equal(app.priority, 5);
	assert_int_equal(app.n_tags, 2);
	assert_string_equal(app.tags[0], "remote");
	assert_string_equal(app.tags[1], "rust");
	assert_string_equal(app.saved_on, "2026-01-01");
	assert_string_equal(app.applied_on, "2026-01-02");
	assert_null(app.follow_up_on);
	assert_string_equal(app.notes, "a\nb"); /* notes keep inner newlines */
}

static void test_json_unknown_field_is_an_error(void **state)
{
	(void)state;
	expect_json_rejected("{\"company\": \"Acme\", \"compnay\": \"typo\"}", "compnay");
	/* Read-only fields from a GET may be sent back. */
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	apply_json(&app, "{\"id\": 7, \"created_at\": 1, \"updated_at\": 2, \"status_changed_at\": 3}", &errs);
	expect_no_errors(&errs);
	assert_int_equal(app.id, 0);
}

static void test_json_wrong_types(void **state)
{
	(void)state;
	expect_json_rejected("{\"company\": 5}", "company");
	expect_json_rejected("{\"company\": [\"Acme\"]}", "company");
	expect_json_rejected("{\"notes\": true}", "notes");
	expect_json_rejected("{\"salary_min\": \"120000\"}", "salary_min");
	expect_json_rejected("{\"salary_min\": 1.5}", "salary_min");
	expect_json_rejected("{\"salary_max\": -1}", "salary_max");
	expect_json_rejected("{\"salary_max\": 1000000001}", "salary_max");
	expect_json_rejected("{\"priority\": \"3\"}", "priority");
	expect_json_rejected("{\"priority\": 6}", "priority");
	expect_json_rejected("{\"priority\": -1}", "priority");
	expect_json_rejected("{\"tags\": \"a, b\"}", "tags");
	expect_json_rejected("{\"tags\": [\"a\", 1]}", "tags");
	expect_json_rejected("{\"tags\": {\"a\": 1}}", "tags");
	expect_json_rejected("{\"status\": \"hired\"}", "status");
	expect_json_rejected("{\"applied_on\": 20260101}", "applied_on");

	/* Every offender gets its own error. */
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	apply_json(&app, "{\"company\": 1, \"position\": 2, \"nope\": 3}", &errs);
	assert_int_equal(errs.n, 3);
	assert_non_null(field_errors_get(&errs, "company"));
	assert_non_null(field_errors_get(&errs, "position"));
	assert_non_null(field_errors_get(&errs, "nope"));
}

static void test_json_null_clears_optional_fields(void **state)
{
	(void)state;
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	apply_json(&app,
		   "{\"location\": \"Berlin\", \"salary_min\": 5, \"tags\": [\"x\"], \"priority\": 3,"
		   " \"applied_on\": \"2026-01-01\", \"salary_currency\": \"USD\"}",
		   &errs);
	expect_no_errors(&errs);
	apply_json(&app,
		   "{\"location\": null, \"salary_min\": null, \"tags\": null, \"priority\": null,"
		   " \"applied_on\": null, \"salary_currency\": null, \"url\": null, \"notes\": null}",
		   &errs);
	expect_no_errors(&errs);
	assert_string_equal(app.location, "");
	assert_false(app.has_salary_min);
	assert_int_equal(app.n_tags, 0);
	assert_int_equal(app.priority, 0);
	assert_null(app.applied_on);
	assert_string_equal(app.salary_currency, "");
	assert_string_equal(app.url, "");
	assert_string_equal(app.notes, "");
}

static void test_json_null_required_field_is_rejected(void **state)
{
	(void)state;
	expect_json_rejected("{\"company\": null}", "company");
	expect_json_rejected("{\"position\": null}", "position");
	expect_json_rejected("{\"status\": null}", "status");
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	apply_json(&app, "{\"company\": \"Acme\"}", &errs);
	apply_json(&app, "{\"company\": null}", &errs);
	/* The stored value is left alone. */
	assert_string_equal(app.company, "Acme");
}

static void test_json_tags_rules(void **state)
{
	(void)state;
	expect_json_rejected("{\"tags\": [\"a,b\"]}", "tags");
	expect_json_rejected("{\"tags\": [\"12345678901234567890123456789012345678901\"]}", "tags");

	struct application app;
	struct field_errors errs;
	/* 40 characters is the limit, counted in characters, not bytes. */
	fresh(&app, &errs);
	apply_json(&app,
		   "{\"tags\": [\"1234567890123456789012345678901234567890\","
		   " \"éééééééééééééééééééééééééééééééééééééééé\"]}",
		   &errs);
	expect_no_errors(&errs);
	assert_int_equal(app.n_tags, 2);

	/* 20 distinct tags pass; 21 do not. */
	char text[1024] = "{\"tags\": [";
	size_t len = strlen(text);
	for (int i = 0; i < 21; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s\"t%d\"", i ? ", " : "", i);
	snprintf(text + len, sizeof(text) - len, "]}");
	expect_json_rejected(text, "tags");
	char *last = strstr(text, ", \"t20\"");
	assert_non_null(last);
	memmove(last, "]}", 3);
	fresh(&app, &errs);
	apply_json(&app, text, &errs);
	expect_no_errors(&errs);
	assert_int_equal(app.n_tags, 20);

	/* Duplicates are removed before counting. */
	len = (size_t)snprintf(text, sizeof(text), "{\"tags\": [");
	for (int i = 0; i < 30; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s\"t%d\"", i ? ", " : "", i % 10);
	snprintf(text + len, sizeof(text) - len, "]}");
	fresh(&app, &errs);
	apply_json(&app, text, &errs);
	expect_no_errors(&errs);
	assert_int_equal(app.n_tags, 10);
	for (int i = 0; i < 10; i++) {
		char want[8];
		snprintf(want, sizeof(want), "t%d", i);
		assert_string_equal(app.tags[i], want);
	}

	/* An empty array clears. */
	apply_json(&app, "{\"tags\": []}", &errs);
	expect_no_errors(&errs);
	assert_int_equal(app.n_tags, 0);
}

/* ---- app_apply_strings ---------------------------------------------------- */

static void test_strings_full_form(void **state)
{
	(void)state;
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	const char *kv[] = { "company",
			     " Acme\tInc ",
			     "position",
			     "Dev",
			     "salary_min",
			     "120,000",
			     "salary_max",
			     "150 000",
			     "salary_currency",
			     " usd ",
			     "status",
			     "Interviewing",
			     "priority",
			     "2",
			     "tags",
			     "remote, rust ,, remote",
			     "applied_on",
			     "2024-02-29",
			     "unknown_field",
			     "ignored",
			     NULL };
	app_apply_strings(&app, kv_get, (void *)kv, &arena, &errs);
	expect_no_errors(&errs);
	assert_string_equal(app.company, "Acme Inc");
	assert_int_equal(app.salary_min, 120000);
	assert_int_equal(app.salary_max, 150000);
	assert_true(app.has_salary_min && app.has_salary_max);
	assert_string_equal(app.salary_currency, "USD");
	assert_string_equal(app.status, "interviewing");
	assert_int_equal(app.priority, 2);
	assert_int_equal(app.n_tags, 2);
	assert_string_equal(app.tags[0], "remote");
	assert_string_equal(app.tags[1], "rust");
	assert_string_equal(app.applied_on, "2024-02-29");
	/* Fields the source does not have are left alone. */
	assert_string_equal(app.location, "");
}

static void test_strings_empty_clears_optional(void **state)
{
	(void)state;
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	const char *set[] = { "salary_min", "5", "applied_on", "2026-01-01", "tags", "a", "priority", "4", NULL };
	app_apply_strings(&app, kv_get, (void *)set, &arena, &errs);
	const char *clear[] = { "salary_min", "", "applied_on", "", "tags", " ", "priority", "", "url", "", NULL };
	app_apply_strings(&app, kv_get, (void *)clear, &arena, &errs);
	expect_no_errors(&errs);
	assert_false(app.has_salary_min);
	assert_null(app.applied_on);
	assert_int_equal(app.n_tags, 0);
	assert_int_equal(app.priority, 0);
	assert_string_equal(app.url, "");
}

static void test_strings_money(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int64_t want;
	} ok[] = {
		{ "0", 0 },        { "95000", 95000 }, { "120,000", 120000 },           { "1 000 000", 1000000 },
		{ "1_000", 1000 }, { " 42 ", 42 },     { "1,000,000,000", 1000000000 },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct application app;
		struct field_errors errs;
		fresh(&app, &errs);
		const char *kv[] = { "salary_min", ok[i].in, NULL };
		app_apply_strings(&app, kv_get, (void *)kv, &arena, &errs);
		expect_no_errors(&errs);
		assert_true(app.has_salary_min);
		assert_int_equal(app.salary_min, ok[i].want);
	}
	expect_string_rejected("salary_min", "12k");
	expect_string_rejected("salary_min", "$100");
	expect_string_rejected("salary_min", "-5");
	expect_string_rejected("salary_min", "1.5");
	expect_string_rejected("salary_min", "1000000001");
	expect_string_rejected("salary_max", "lots");
	expect_string_rejected("salary_max", ",");
}

static void test_strings_money_rejects_long_garbage(void **state)
{
	(void)state;
	/* 32 zeros, then text that is not a number: must be refused, not read as 0. */
	expect_string_rejected("salary_min", "00000000000000000000000000000000 not a number");
	/* Long but well-formed input must not lose digits either. */
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	const char *kv[] = { "salary_min", "0000000000000000000000000000000000000012", NULL };
	app_apply_strings(&app, kv_get, (void *)kv, &arena, &errs);
	if (errs.n == 0) {
		assert_true(app.has_salary_min);
		assert_int_equal(app.salary_min, 12);
	}
}

static void test_strings_currency_period_priority(void **state)
{
	(void)state;
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	const char *kv[] = { "salary_currency", "chf", "salary_period", "hour", "priority", "0", NULL };
	app_apply_strings(&app, kv_get, (void *)kv, &arena, &errs);
	expect_no_errors(&errs);
	assert_string_equal(app.salary_currency, "CHF");
	assert_string_equal(app.salary_period, "hour");
	expect_string_rejected("salary_currency", "US");
	expect_string_rejected("salary_currency", "USDX");
	expect_string_rejected("salary_currency", "U$D");
	expect_string_rejected("salary_currency", "€");
	expect_string_rejected("salary_period", "week");
	expect_string_rejected("priority", "6");
	expect_string_rejected("priority", "high");
	expect_string_rejected("priority", "1.0");
}

static void test_strings_dates(void **state)
{
	(void)state;
	expect_string_rejected("applied_on", "2026-02-30");
	expect_string_rejected("applied_on", "2026-13-01");
	expect_string_rejected("applied_on", "2026/01/01");
	expect_string_rejected("applied_on", "01-02-2026");
	expect_string_rejected("saved_on", "2026-01-01T10:00");
	expect_string_rejected("follow_up_on", "tomorrow");
	expect_string_rejected("follow_up_on", "2026-1-1");
}

static void test_strings_urls(void **state)
{
	(void)state;
	expect_string_rejected("url", "example.com/jobs");
	expect_string_rejected("url", "ftp://example.com/file");
	expect_string_rejected("url", "javascript:alert(1)");
	expect_string_rejected("url", "https://");
	expect_string_rejected("url", "https:///path");
	expect_string_rejected("url", "https://exa mple.com");
	expect_string_rejected("url", "https://example.com/\"><script>");
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	const char *kv[] = { "url", " http://example.com/a?b=c#d ", NULL };
	app_apply_strings(&app, kv_get, (void *)kv, &arena, &errs);
	expect_no_errors(&errs);
	assert_string_equal(app.url, "http://example.com/a?b=c#d");
}

static void test_strings_status_is_case_insensitive(void **state)
{
	(void)state;
	static const char *const inputs[] = { "APPLIED", "Applied", " applied " };
	for (size_t i = 0; i < 3; i++) {
		struct application app;
		struct field_errors errs;
		fresh(&app, &errs);
		const char *kv[] = { "status", inputs[i], NULL };
		app_apply_strings(&app, kv_get, (void *)kv, &arena, &errs);
		expect_no_errors(&errs);
		assert_string_equal(app.status, "applied");
	}
	expect_string_rejected("status", "hired");

	/* An empty status (a blank CSV cell) keeps what the record had. */
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	app.status = (char *)"offer";
	const char *kv[] = { "status", "", NULL };
	app_apply_strings(&app, kv_get, (void *)kv, &arena, &errs);
	expect_no_errors(&errs);
	assert_string_equal(app.status, "offer");
}

static void test_strings_text_limits(void **state)
{
	(void)state;
	char long_name[402];
	memset(long_name, 'x', 201);
	long_name[201] = '\0';
	expect_string_rejected("company", long_name);
	expect_string_rejected("company", "bad \xff utf-8");
	expect_string_rejected("tags", "a, 12345678901234567890123456789012345678901");
	/* 200 two-byte characters are 200 characters. */
	for (int i = 0; i < 200; i++)
		memcpy(long_name + 2 * i, "é", 2);
	long_name[400] = '\0';
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	const char *kv[] = { "company", long_name, NULL };
	app_apply_strings(&app, kv_get, (void *)kv, &arena, &errs);
	expect_no_errors(&errs);
}

/* ---- app_validate --------------------------------------------------------- */

static void valid_base(struct application *app, struct field_errors *errs)
{
	fresh(app, errs);
	app->company = "Acme";
	app->position = "Dev";
}

static void test_validate_requires_company_and_position(void **state)
{
	(void)state;
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	app_validate(&app, NOW, &arena, &errs);
	assert_int_equal(errs.n, 2);
	assert_non_null(field_errors_get(&errs, "company"));
	assert_non_null(field_errors_get(&errs, "position"));

	valid_base(&app, &errs);
	app_validate(&app, NOW, &arena, &errs);
	expect_no_errors(&errs);
}

static void test_validate_salary_range(void **state)
{
	(void)state;
	struct application app;
	struct field_errors errs;
	valid_base(&app, &errs);
	app.salary_min = 100;
	app.salary_max = 99;
	app.has_salary_min = app.has_salary_max = 1;
	app_validate(&app, NOW, &arena, &errs);
	expect_only_error(&errs, "salary_max");

	valid_base(&app, &errs);
	app.salary_min = app.salary_max = 100;
	app.has_salary_min = app.has_salary_max = 1;
	app_validate(&app, NOW, &arena, &errs);
	expect_no_errors(&errs);

	/* Only one end given: nothing to compare. */
	valid_base(&app, &errs);
	app.salary_min = 100;
	app.salary_max = 0;
	app.has_salary_min = 1;
	app_validate(&app, NOW, &arena, &errs);
	expect_no_errors(&errs);
}

static void test_validate_fills_dates(void **state)
{
	(void)state;
	struct application app;
	struct field_errors errs;

	valid_base(&app, &errs);
	app_validate(&app, NOW, &arena, &errs);
	expect_no_errors(&errs);
	assert_string_equal(app.saved_on, TODAY);
	assert_null(app.applied_on); /* still only saved */

	static const char *const past_saved[] = { "applied",  "screening", "interviewing", "offer",
						  "accepted", "rejected",  "ghosted" };
	for (size_t i = 0; i < sizeof(past_saved) / sizeof(past_saved[0]); i++) {
		valid_base(&app, &errs);
		app.status = (char *)past_saved[i];
		app_validate(&app, NOW, &arena, &errs);
		expect_no_errors(&errs);
		assert_non_null(app.applied_on);
		assert_string_equal(app.applied_on, TODAY);
	}

	/* Withdrawing is the one later status that need not follow an application
	 * (a saved job can be withdrawn from), so no date is made up for it. */
	valid_base(&app, &errs);
	app.status = "withdrawn";
	app_validate(&app, NOW, &arena, &errs);
	expect_no_errors(&errs);
	assert_null(app.applied_on);

	/* Dates given are kept. */
	valid_base(&app, &errs);
	app.status = "offer";
	app.saved_on = "2025-12-01";
	app.applied_on = "2025-12-02";
	app_validate(&app, NOW, &arena, &errs);
	assert_string_equal(app.saved_on, "2025-12-01");
	assert_string_equal(app.applied_on, "2025-12-02");
}

static void test_tags_joined(void **state)
{
	(void)state;
	char *tags[] = { "a", "b c", "d" };
	struct application app;
	app_init(&app, NOW);
	assert_string_equal(app_tags_joined(&app, &arena), "");
	app.tags = tags;
	app.n_tags = 3;
	assert_string_equal(app_tags_joined(&app, &arena), "a, b c, d");
}

static void test_field_names_cover_the_json_fields(void **state)
{
	(void)state;
	/* Every exported name is accepted by the JSON reader. */
	for (size_t i = 0; app_field_names[i]; i++) {
		struct application app;
		struct field_errors errs;
		fresh(&app, &errs);
		json_t *obj = json_pack("{s:n}", app_field_names[i]);
		app_apply_json(&app, obj, &arena, &errs);
		json_decref(obj);
		const char *err = field_errors_get(&errs, app_field_names[i]);
		if (err && strcmp(err, "This field is required."))
			fail_msg("%s: %s", app_field_names[i], err);
	}
}

/* ---- events --------------------------------------------------------------- */

static void event_json(struct app_event *ev, const char *text, struct field_errors *errs)
{
	memset(ev, 0, sizeof(*ev));
	memset(errs, 0, sizeof(*errs));
	json_t *obj = parse(text);
	event_from_json(ev, obj, NOW, &arena, errs);
	json_decref(obj);
}

static void test_event_kinds(void **state)
{
	(void)state;
	struct app_event ev;
	struct field_errors errs;
	event_json(&ev, "{\"kind\": \"note\", \"body\": \"hello\"}", &errs);
	expect_no_errors(&errs);
	assert_string_equal(ev.kind, "note");
	assert_string_equal(ev.body, "hello");
	assert_string_equal(ev.title, "");
	assert_int_equal(ev.at, NOW); /* defaults to now */

	event_json(&ev, "{\"kind\": \"follow_up\", \"title\": \"ping them\"}", &errs);
	expect_no_errors(&errs);
	assert_string_equal(ev.kind, "follow_up");

	/* The store records these itself; users cannot. */
	event_json(&ev, "{\"kind\": \"created\", \"body\": \"x\"}", &errs);
	expect_only_error(&errs, "kind");
	event_json(&ev, "{\"kind\": \"status_change\", \"body\": \"x\"}", &errs);
	expect_only_error(&errs, "kind");
	event_json(&ev, "{\"kind\": \"Note\", \"body\": \"x\"}", &errs);
	expect_only_error(&errs, "kind");
	event_json(&ev, "{\"body\": \"x\"}", &errs);
	expect_only_error(&errs, "kind");
	event_json(&ev, "{\"kind\": 1, \"body\": \"x\"}", &errs);
	expect_only_error(&errs, "kind");

	assert_string_equal(event_kind_label("follow_up"), "Follow-up");
	assert_string_equal(event_kind_label("status_change"), "Status changed");
	assert_string_equal(event_kind_label("other"), "other");
}

static void test_event_at_parsing(void **state)
{
	(void)state;
	struct app_event ev;
	struct field_errors errs;
	event_json(&ev, "{\"kind\": \"interview\", \"at\": \"2026-12-01T14:30\"}", &errs);
	expect_no_errors(&errs);
	assert_int_equal(ev.at, 1796135400); /* 2026-12-01T14:30:00Z */
	event_json(&ev, "{\"kind\": \"interview\", \"at\": \"2026-12-01T14:30:00+01:00\"}", &errs);
	expect_no_errors(&errs);
	assert_int_equal(ev.at, 1796135400 - 3600);
	event_json(&ev, "{\"kind\": \"interview\", \"at\": \"2026-12-01\"}", &errs);
	expect_no_errors(&errs);
	assert_int_equal(ev.at, 1796083200);

	event_json(&ev, "{\"kind\": \"note\", \"body\": \"x\", \"at\": \"next tuesday\"}", &errs);
	expect_only_error(&errs, "at");
	event_json(&ev, "{\"kind\": \"note\", \"body\": \"x\", \"at\": \"2026-02-30T10:00\"}", &errs);
	expect_only_error(&errs, "at");
	event_json(&ev, "{\"kind\": \"note\", \"body\": \"x\", \"at\": 1796135400}", &errs);
	expect_only_error(&errs, "at");
}

static void test_event_interview_requires_at(void **state)
{
	(void)state;
	struct app_event ev;
	struct field_errors errs;
	event_json(&ev, "{\"kind\": \"interview\", \"with_whom\": \"Ada\"}", &errs);
	expect_only_error(&errs, "at");
	event_json(&ev, "{\"kind\": \"interview\", \"at\": \"\"}", &errs);
	expect_only_error(&errs, "at");
	event_json(&ev, "{\"kind\": \"interview\", \"at\": null}", &errs);
	expect_only_error(&errs, "at");
	/* A note may leave it out. */
	event_json(&ev, "{\"kind\": \"note\", \"body\": \"x\", \"at\": null}", &errs);
	expect_no_errors(&errs);
	assert_int_equal(ev.at, NOW);
}

static void test_event_note_requires_text(void **state)
{
	(void)state;
	struct app_event ev;
	struct field_errors errs;
	event_json(&ev, "{\"kind\": \"note\"}", &errs);
	expect_only_error(&errs, "body");
	event_json(&ev, "{\"kind\": \"note\", \"title\": \"  \", \"body\": \"\\n\\t \"}", &errs);
	expect_only_error(&errs, "body");
	event_json(&ev, "{\"kind\": \"note\", \"title\": \"Just a title\"}", &errs);
	expect_no_errors(&errs);
	assert_string_equal(ev.title, "Just a title");
	assert_string_equal(ev.body, "");
}

static void test_event_fields_and_types(void **state)
{
	(void)state;
	struct app_event ev;
	struct field_errors errs;
	event_json(&ev, "{\"kind\": \"note\", \"body\": \"x\", \"mood\": \"great\"}", &errs);
	expect_only_error(&errs, "mood");
	event_json(&ev, "{\"kind\": \"note\", \"body\": \"x\", \"title\": 5}", &errs);
	expect_only_error(&errs, "title");
	event_json(&ev,
		   "{\"kind\": \"interview\", \"at\": \"2026-12-01T10:00Z\", \"title\": \"Round\\n2\","
		   " \"body\": \" line 1\\nline 2 \", \"interview_kind\": \"video\", \"with_whom\": \"Grace\"}",
		   &errs);
	expect_no_errors(&errs);
	assert_string_equal(ev.title, "Round 2");
	assert_string_equal(ev.body, "line 1\nline 2");
	assert_string_equal(ev.interview_kind, "video");
	assert_string_equal(ev.with_whom, "Grace");

	char text[400];
	char title[202];
	memset(title, 't', 201);
	title[201] = '\0';
	snprintf(text, sizeof(text), "{\"kind\": \"note\", \"body\": \"b\", \"title\": \"%s\"}", title);
	event_json(&ev, text, &errs);
	expect_only_error(&errs, "title");
}

static void test_event_from_strings(void **state)
{
	(void)state;
	struct app_event ev = { 0 };
	struct field_errors errs = { .n = 0 };
	const char *kv[] = { "kind", "interview", "at", "2026-12-01 09:15", "with_whom", "Linus", NULL };
	event_from_strings(&ev, kv_get, (void *)kv, NOW, &arena, &errs);
	expect_no_errors(&errs);
	assert_string_equal(ev.kind, "interview");
	assert_int_equal(ev.at, 1796116500); /* 2026-12-01T09:15:00Z */
	assert_string_equal(ev.with_whom, "Linus");

	memset(&errs, 0, sizeof(errs));
	const char *bad[] = { "kind", "meeting", "at", "soon", NULL };
	event_from_strings(&ev, kv_get, (void *)bad, NOW, &arena, &errs);
	assert_non_null(field_errors_get(&errs, "kind"));
	assert_non_null(field_errors_get(&errs, "at"));

	memset(&errs, 0, sizeof(errs));
	const char *bad_utf8[] = { "kind", "note", "body", "\xc0\xaf", NULL };
	event_from_strings(&ev, kv_get, (void *)bad_utf8, NOW, &arena, &errs);
	assert_non_null(field_errors_get(&errs, "body"));
}

/* ---- contacts ------------------------------------------------------------- */

static void contact_json(struct contact *ct, const char *text, struct field_errors *errs)
{
	memset(ct, 0, sizeof(*ct));
	memset(errs, 0, sizeof(*errs));
	json_t *obj = parse(text);
	contact_from_json(ct, obj, &arena, errs);
	json_decref(obj);
}

static void test_contact_valid(void **state)
{
	(void)state;
	struct contact ct;
	struct field_errors errs;
	contact_json(&ct,
		     "{\"name\": \" Ada Lovelace \", \"role\": \"CTO\", \"email\": \"ada@example.com\","
		     " \"phone\": \"+44 20 0000\", \"url\": \"https://linkedin.example/ada\", \"notes\": \"a\\nb\"}",
		     &errs);
	expect_no_errors(&errs);
	assert_string_equal(ct.name, "Ada Lovelace");
	assert_string_equal(ct.role, "CTO");
	assert_string_equal(ct.email, "ada@example.com");
	assert_string_equal(ct.phone, "+44 20 0000");
	assert_string_equal(ct.url, "https://linkedin.example/ada");
	assert_string_equal(ct.notes, "a\nb");

	/* Only the name is required; the rest default to "". */
	contact_json(&ct, "{\"name\": \"Bob\"}", &errs);
	expect_no_errors(&errs);
	assert_string_equal(ct.email, "");
	assert_string_equal(ct.url, "");
	contact_json(&ct, "{\"name\": \"Bob\", \"email\": null, \"url\": \"\"}", &errs);
	expect_no_errors(&errs);
}

static void test_contact_rejects(void **state)
{
	(void)state;
	struct contact ct;
	struct field_errors errs;
	contact_json(&ct, "{\"role\": \"CTO\"}", &errs);
	expect_only_error(&errs, "name");
	contact_json(&ct, "{\"name\": \"  \"}", &errs);
	expect_only_error(&errs, "name");

	static const char *const bad_emails[] = { "ada",          "ada@",     "@example.com",     "ada@example",
						  "ada@example.", "ada@.com", "a da@example.com", "ada@ex@ample.com",
						  "<ada@x.com>" };
	for (size_t i = 0; i < sizeof(bad_emails) / sizeof(bad_emails[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "{\"name\": \"A\", \"email\": \"%s\"}", bad_emails[i]);
		contact_json(&ct, text, &errs);
		if (errs.n != 1 || !field_errors_get(&errs, "email"))
			fail_msg("email \"%s\" should be rejected", bad_emails[i]);
	}
	static const char *const bad_urls[] = { "linkedin.com/in/ada", "javascript:alert(1)", "mailto:ada@x.com",
						"https://", "http://a b" };
	for (size_t i = 0; i < sizeof(bad_urls) / sizeof(bad_urls[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "{\"name\": \"A\", \"url\": \"%s\"}", bad_urls[i]);
		contact_json(&ct, text, &errs);
		if (errs.n != 1 || !field_errors_get(&errs, "url"))
			fail_msg("url \"%s\" should be rejected", bad_urls[i]);
	}
	contact_json(&ct, "{\"name\": \"A\", \"twitter\": \"@a\"}", &errs);
	expect_only_error(&errs, "twitter");
	contact_json(&ct, "{\"name\": \"A\", \"phone\": 5550000}", &errs);
	expect_only_error(&errs, "phone");
}

static void test_contact_partial_update_from_strings(void **state)
{
	(void)state;
	struct contact ct = { .name = "Ada", .email = "ada@example.com", .role = "CTO" };
	struct field_errors errs = { .n = 0 };
	const char *kv[] = { "role", "CEO", "email", "", NULL };
	contact_from_strings(&ct, kv_get, (void *)kv, &arena, &errs);
	expect_no_errors(&errs);
	assert_string_equal(ct.name, "Ada");
	assert_string_equal(ct.role, "CEO");
	assert_string_equal(ct.email, "");
	assert_string_equal(ct.phone, "");
}

/* ---- errors as the API sends them ------------------------------------------- */

/* The store reads tags back joined with U+001F, so "a\x1fb" would come back
 * as two tags; no single-line field may hold a control character at all.
 * Line breaks and tabs are folded to spaces, as before. */
static void test_control_characters_are_refused(void **state)
{
	(void)state;
	expect_json_rejected("{\"tags\": [\"a\\u001fb\"]}", "tags");
	expect_json_rejected("{\"tags\": [\"bell\\u0007\"]}", "tags");
	expect_json_rejected("{\"tags\": [\"del\\u007f\"]}", "tags");
	expect_string_rejected("tags", "remote, a\x1f"
				       "b");
	static const char *const single_line[] = { "company", "position", "location", "source" };
	for (size_t i = 0; i < sizeof(single_line) / sizeof(single_line[0]); i++) {
		expect_string_rejected(single_line[i], "Ac\x1fme");
		expect_string_rejected(single_line[i], "Ac\x7fme");
		expect_string_rejected(single_line[i], "Ac\x1bme");
	}
	struct application app;
	struct field_errors errs;
	fresh(&app, &errs);
	const char *kv[] = { "company", "Ac\tme\r\nInc", "tags", "a\tb", NULL };
	app_apply_strings(&app, kv_get, (void *)kv, &arena, &errs);
	expect_no_errors(&errs);
	assert_string_equal(app.company, "Ac me  Inc");
	assert_string_equal(app.tags[0], "a b");

	fresh(&app, &errs);
	apply_json(&app, "{\"company\": \"x\\u001fy\"}", &errs);
	expect_only_error(&errs, "company");
	assert_non_null(strstr(field_errors_get(&errs, "company"), "control characters"));

	struct app_event ev;
	static const char *const event_fields[] = { "title", "interview_kind", "with_whom" };
	for (size_t i = 0; i < sizeof(event_fields) / sizeof(event_fields[0]); i++) {
		char text[160];
		snprintf(text, sizeof(text), "{\"kind\": \"note\", \"body\": \"b\", \"%s\": \"x\\u001fy\"}",
			 event_fields[i]);
		event_json(&ev, text, &errs);
		expect_only_error(&errs, event_fields[i]);
		assert_non_null(strstr(field_errors_get(&errs, event_fields[i]), "control characters"));
	}
	event_json(&ev, "{\"kind\": \"note\", \"body\": \"multi\\nline\"}", &errs);
	expect_no_errors(&errs);

	struct contact ct;
	static const char *const contact_fields[] = { "name", "role", "email", "phone", "url" };
	for (size_t i = 0; i < sizeof(contact_fields) / sizeof(contact_fields[0]); i++) {
		char text[160];
		snprintf(text, sizeof(text), "{\"name\": \"Ada\", \"%s\": \"x\\u007fy\"}", contact_fields[i]);
		contact_json(&ct, text, &errs);
		if (!field_errors_get(&errs, contact_fields[i]))
			fail_msg("contact %s with DEL should be rejected", contact_fields[i]);
	}
}

/* The 422 body built from the errors of a hostile JSON object must itself be
 * valid JSON naming each offending field exactly as it was sent. */
static void test_field_errors_serialise_to_valid_json(void **state)
{
	(void)state;
	static const char *const hostile[] = {
		"{\"a\\\"b\": 1}",                    /* a quote */
		"{\"x\\\":1,\\\"y\": 1}",             /* an attempt to add members */
		"{\"</script><script>alert(1)\": 1}", /* markup */
		"{\"back\\\\slash\": 1}",
		"{\"ctl\\u0001\\n\": 1}",
	};
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		json_t *obj = parse(hostile[i]);
		const char *key = json_object_iter_key(json_object_iter(obj));
		struct application app;
		struct field_errors errs;
		fresh(&app, &errs);
		app_apply_json(&app, obj, &arena, &errs);
		assert_int_equal(errs.n, 1);

		struct request req;
		memset(&req, 0, sizeof(req));
		arena_init(&req.arena, 0);
		buf_init(&req.out, 1 << 16);
		resp_field_errors(&req, &errs);
		json_error_t jerr;
		json_t *body = json_loadb(req.out.data, req.out.len, 0, &jerr);
		int ok = body && json_object_size(json_object_get(json_object_get(body, "error"), "fields")) == 1 &&
			 json_object_get(json_object_get(json_object_get(body, "error"), "fields"), key);
		if (!ok)
			printf("    input %s\n    body  %s\n", hostile[i], req.out.data);
		json_decref(body);
		buf_free(&req.out);
		arena_free(&req.arena);
		json_decref(obj);
		assert_true(ok);
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_field_errors_keep_the_first_per_field),
		T(test_status_names_and_labels),
		T(test_app_init_is_an_empty_saved_application),
		T(test_json_full_object),
		T(test_json_unknown_field_is_an_error),
		T(test_json_wrong_types),
		T(test_json_null_clears_optional_fields),
		T(test_json_null_required_field_is_rejected),
		T(test_json_tags_rules),
		T(test_strings_full_form),
		T(test_strings_empty_clears_optional),
		T(test_strings_money),
		T(test_strings_money_rejects_long_garbage),
		T(test_strings_currency_period_priority),
		T(test_strings_dates),
		T(test_strings_urls),
		T(test_strings_status_is_case_insensitive),
		T(test_strings_text_limits),
		T(test_control_characters_are_refused),
		T(test_validate_requires_company_and_position),
		T(test_validate_salary_range),
		T(test_validate_fills_dates),
		T(test_tags_joined),
		T(test_field_names_cover_the_json_fields),
		T(test_event_kinds),
		T(test_event_at_parsing),
		T(test_event_interview_requires_at),
		T(test_event_note_requires_text),
		T(test_event_fields_and_types),
		T(test_event_from_strings),
		T(test_contact_valid),
		T(test_contact_rejects),
		T(test_contact_partial_update_from_strings),
		T(test_field_errors_serialise_to_valid_json),
	};
	return cmocka_run_group_tests_name("validation", tests, NULL, NULL);
}
