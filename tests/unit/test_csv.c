/* Unit tests for tracker/csv: export, import, and the round trip between them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "tracker/application.h"
#include "tracker/csv.h"

#define NOW ((time_t)1772625600) /* 2026-03-04T12:00:00Z */

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

static void show_rejects(const struct csv_import *imp)
{
	for (size_t i = 0; i < imp->n_rejects; i++)
		printf("    reject line %zu %s: %s\n", imp->rejects[i].line,
		       imp->rejects[i].field ? imp->rejects[i].field : "(row)", imp->rejects[i].message);
}

/* Parses text (NUL-terminated) and expects success. */
static struct csv_import parse_ok(const char *text)
{
	struct csv_import imp;
	char err[256] = "";
	int rc = csv_parse_apps(text, strlen(text), NOW, &arena, &imp, err, sizeof(err));
	if (rc != 0)
		fail_msg("csv_parse_apps failed: %s", err);
	return imp;
}

/* Parses len bytes and expects the whole file refused with a message. */
static void parse_fails(const char *data, size_t len, const char *want_in_message)
{
	struct csv_import imp;
	char err[256] = "";
	int rc = csv_parse_apps(data, len, NOW, &arena, &imp, err, sizeof(err));
	if (rc != -1)
		fail_msg("want -1, got %d (%zu apps, %zu rejects)", rc, imp.n_apps, imp.n_rejects);
	if (!err[0])
		fail_msg("no message");
	if (want_in_message && !strstr(err, want_in_message))
		fail_msg("message \"%s\" lacks \"%s\"", err, want_in_message);
}

static char *export(const struct application *apps, size_t n)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	csv_write_header(&b);
	for (size_t i = 0; i < n; i++)
		csv_write_app(&b, &apps[i], &arena);
	assert_int_equal(buf_failed(&b), 0);
	char *out = arena_strndup(&arena, b.data, b.len);
	buf_free(&b);
	return out;
}

/* Both NULL, or equal strings. */
static void expect_same_str(const char *what, const char *a, const char *b)
{
	if (!a || !b) {
		if (a != b)
			fail_msg("%s: \"%s\" vs \"%s\"", what, a ? a : "(null)", b ? b : "(null)");
		return;
	}
	if (strcmp(a, b))
		fail_msg("%s: \"%s\" vs \"%s\"", what, a, b);
}

static void expect_same(const struct application *a, const struct application *b)
{
	assert_string_equal(a->company, b->company);
	assert_string_equal(a->position, b->position);
	assert_string_equal(a->location, b->location);
	assert_string_equal(a->url, b->url);
	assert_string_equal(a->source, b->source);
	assert_int_equal(a->has_salary_min, b->has_salary_min);
	assert_int_equal(a->has_salary_max, b->has_salary_max);
	if (a->has_salary_min)
		assert_int_equal(a->salary_min, b->salary_min);
	if (a->has_salary_max)
		assert_int_equal(a->salary_max, b->salary_max);
	assert_string_equal(a->salary_currency, b->salary_currency);
	assert_string_equal(a->salary_period, b->salary_period);
	assert_string_equal(a->status, b->status);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->n_tags, b->n_tags);
	for (size_t i = 0; i < a->n_tags; i++)
		assert_string_equal(a->tags[i], b->tags[i]);
	expect_same_str("saved_on", a->saved_on, b->saved_on);
	expect_same_str("applied_on", a->applied_on, b->applied_on);
	expect_same_str("follow_up_on", a->follow_up_on, b->follow_up_on);
	assert_string_equal(a->notes, b->notes);
}

/* ---- export --------------------------------------------------------------- */

static void test_header_lists_every_field(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 4096);
	csv_write_header(&b);
	assert_string_equal(b.data, "company,position,location,url,source,salary_min,salary_max,salary_currency,"
				    "salary_period,status,priority,tags,saved_on,applied_on,follow_up_on,notes,id\r\n");
	buf_free(&b);
}

static void test_export_quotes_and_guards_cells(void **state)
{
	(void)state;
	char *tags[] = { "a", "b" };
	struct application app;
	app_init(&app, NOW);
	app.company = "Acme, Inc.";
	app.position = "Say \"hi\"";
	app.location = "=HYPERLINK(\"http://evil\")";
	app.source = "@import";
	app.notes = "-1+1\nsecond line";
	app.url = "+https://x";
	app.tags = tags;
	app.n_tags = 2;
	app.salary_min = 5;
	app.has_salary_min = 1;
	app.saved_on = "2026-01-01";
	struct buf b;
	buf_init(&b, 4096);
	csv_write_app(&b, &app, &arena);
	assert_string_equal(b.data, "\"Acme, Inc.\",\"Say \"\"hi\"\"\",\"'=HYPERLINK(\"\"http://evil\"\")\","
				    "\"'+https://x\",\"'@import\",5,,,,saved,0,\"a, b\",2026-01-01,,,"
				    "\"'-1+1\nsecond line\",\r\n");

	/* A stored application carries its id in the last column. */
	app.id = 42;
	buf_reset(&b);
	csv_write_app(&b, &app, &arena);
	assert_true(b.len > 5 && strcmp(b.data + b.len - 5, ",42\r\n") == 0);
	buf_free(&b);
}

/* ---- round trip ------------------------------------------------------------- */

static void test_round_trip_tricky_values(void **state)
{
	(void)state;
	char *tags0[] = { "=cmd", "c++", "remote work" };
	struct application apps[3];

	app_init(&apps[0], NOW);
	apps[0].company = "Acme, Inc.";
	apps[0].position = "Senior \"Rust\" Engineer";
	apps[0].location = "Zürich 🇨🇭 — 東京";
	apps[0].url = "https://example.com/jobs?id=1,2&x=y";
	apps[0].source = "=SUM(A1)";
	apps[0].salary_min = 100000;
	apps[0].has_salary_min = 1;
	apps[0].salary_max = 120000;
	apps[0].has_salary_max = 1;
	apps[0].salary_currency = "EUR";
	apps[0].salary_period = "year";
	apps[0].status = "interviewing";
	apps[0].priority = 3;
	apps[0].tags = tags0;
	apps[0].n_tags = 3;
	apps[0].saved_on = "2026-01-01";
	apps[0].applied_on = "2026-01-02";
	apps[0].follow_up_on = "2026-01-10";
	apps[0].notes = "line 1\nline 2\r\nline 3, with \"quotes\"\n=not a formula here\n\ttabbed";

	app_init(&apps[1], NOW);
	apps[1].company = "+44 Telecom";
	apps[1].position = "@handle";
	apps[1].location = "-";
	apps[1].notes = "- bullet one\n- bullet two";
	apps[1].status = "rejected";
	apps[1].saved_on = "2025-12-31";
	apps[1].applied_on = "2026-01-01";

	app_init(&apps[2], NOW);
	apps[2].company = "\"Quoted\"";
	apps[2].position = "Dev";
	apps[2].saved_on = "2026-02-01";

	char *csv = export(apps, 3);
	/* The formula cell went out guarded. */
	assert_non_null(strstr(csv, "\"'=SUM(A1)\""));

	struct csv_import imp = parse_ok(csv);
	show_rejects(&imp);
	assert_int_equal(imp.n_rejects, 0);
	assert_int_equal(imp.n_apps, 3);
	for (size_t i = 0; i < 3; i++) {
		printf("    app %zu\n", i);
		expect_same(&apps[i], &imp.apps[i]);
	}
}

static void test_round_trip_keeps_leading_apostrophes(void **state)
{
	(void)state;
	/* Import removes one apostrophe before = + - @, so export must add one to
	 * values that already start that way. */
	static const char *const values[] = { "'=quoted formula", "''=two", "'-)", "'@x", "'plain", "'", "it's" };
	struct application apps[7];
	for (size_t i = 0; i < 7; i++) {
		app_init(&apps[i], NOW);
		apps[i].company = (char *)values[i];
		apps[i].position = (char *)values[(i + 1) % 7];
		apps[i].saved_on = "2026-01-01";
	}
	char *csv = export(apps, 7);
	struct csv_import imp = parse_ok(csv);
	show_rejects(&imp);
	assert_int_equal(imp.n_apps, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_string_equal(imp.apps[i].company, values[i]);
		assert_string_equal(imp.apps[i].position, values[(i + 1) % 7]);
	}
}

/* ---- import: headers ---------------------------------------------------------- */

static void test_import_aliases_bom_and_unknown_columns(void **state)
{
	(void)state;
	struct csv_import imp = parse_ok("\xEF\xBB\xBF Company Name ,JOB TITLE,Stage,Date Applied,Link,Excitement,"
					 "Note,Currency,Follow Up,Unknown Column\r\n"
					 "Acme,Dev,Applied,2026-01-05,https://acme.example,4,hello,gbp,2026-02-01,"
					 "ignored\r\n");
	show_rejects(&imp);
	assert_int_equal(imp.n_apps, 1);
	const struct application *a = &imp.apps[0];
	assert_string_equal(a->company, "Acme");
	assert_string_equal(a->position, "Dev");
	assert_string_equal(a->status, "applied");
	assert_string_equal(a->applied_on, "2026-01-05");
	assert_string_equal(a->url, "https://acme.example");
	assert_int_equal(a->priority, 4);
	assert_string_equal(a->notes, "hello");
	assert_string_equal(a->salary_currency, "GBP");
	assert_string_equal(a->follow_up_on, "2026-02-01");
	assert_string_equal(a->saved_on, "2026-03-04"); /* filled in from now */
}

static void test_import_every_alias(void **state)
{
	(void)state;
	static const struct {
		const char *header, *field;
	} aliases[] = {
		{ "employer", "company" },
		{ "company name", "company" },
		{ "title", "position" },
		{ "job title", "position" },
		{ "role", "position" },
		{ "link", "url" },
		{ "job url", "url" },
		{ "posting url", "url" },
		{ "stage", "status" },
		{ "date applied", "applied_on" },
		{ "applied", "applied_on" },
		{ "follow up", "follow_up_on" },
		{ "currency", "salary_currency" },
		{ "excitement", "priority" },
		{ "note", "notes" },
	};
	static const struct {
		const char *field, *value;
	} values[] = {
		{ "company", "Co" },
		{ "position", "Pos" },
		{ "url", "https://x.example" },
		{ "status", "offer" },
		{ "applied_on", "2026-01-01" },
		{ "follow_up_on", "2026-01-02" },
		{ "salary_currency", "JPY" },
		{ "priority", "5" },
		{ "notes", "n" },
	};
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		const char *value = NULL;
		for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++)
			if (!strcmp(values[k].field, aliases[i].field))
				value = values[k].value;
		assert_non_null(value);
		/* Make sure company and position exist whatever the alias stands for. */
		char text[256];
		int is_company = !strcmp(aliases[i].field, "company");
		int is_position = !strcmp(aliases[i].field, "position");
		snprintf(text, sizeof(text), "%s%s%s\n%s%s%s\n", aliases[i].header, is_company ? "" : ",company",
			 is_position ? "" : ",position", value, is_company ? "" : ",Co", is_position ? "" : ",Pos");
		struct csv_import imp = parse_ok(text);
		if (imp.n_apps != 1) {
			show_rejects(&imp);
			fail_msg("alias \"%s\"", aliases[i].header);
		}
		const struct application *a = &imp.apps[0];
		const char *got = !strcmp(aliases[i].field, "company")           ? a->company
				  : !strcmp(aliases[i].field, "position")        ? a->position
				  : !strcmp(aliases[i].field, "url")             ? a->url
				  : !strcmp(aliases[i].field, "status")          ? a->status
				  : !strcmp(aliases[i].field, "applied_on")      ? a->applied_on
				  : !strcmp(aliases[i].field, "follow_up_on")    ? a->follow_up_on
				  : !strcmp(aliases[i].field, "salary_currency") ? a->salary_currency
				  : !strcmp(aliases[i].field, "notes")           ? a->notes
										 : NULL;
		if (!strcmp(aliases[i].field, "priority"))
			assert_int_equal(a->priority, 5);
		else if (!got || strcmp(got, value))
			fail_msg("alias \"%s\": %s = \"%s\", want \"%s\"", aliases[i].header, aliases[i].field,
				 got ? got : "(null)", value);
	}
}

static void test_import_needs_company_and_position_columns(void **state)
{
	(void)state;
	static const char *const files[] = {
		"name,position\nA,B\n",   "company,job\nA,B\n", "company\nA\n",
		"\n\ncompany,position\n", "companyposition\n",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		parse_fails(files[i], strlen(files[i]), "company and position");
	parse_fails("", 0, NULL);
	parse_fails("\xEF\xBB\xBF", 3, NULL);
}

static void test_import_header_only(void **state)
{
	(void)state;
	struct csv_import imp = parse_ok("company,position\r\n");
	assert_int_equal(imp.n_apps, 0);
	assert_int_equal(imp.n_rejects, 0);
	imp = parse_ok("company,position");
	assert_int_equal(imp.n_apps, 0);
}

/* ---- import: line endings, lines, rejects ----------------------------------------- */

static void test_import_crlf_lf_and_cr(void **state)
{
	(void)state;
	static const char *const files[] = {
		"company,position,notes\r\nAcme,Dev,\"a\r\nb\"\r\nBeta,Ops,x\r\n",
		"company,position,notes\nAcme,Dev,\"a\r\nb\"\nBeta,Ops,x\n",
		"company,position,notes\nAcme,Dev,\"a\r\nb\"\r\nBeta,Ops,x",
		"company,position,notes\rAcme,Dev,\"a\r\nb\"\rBeta,Ops,x\r",
		"company,position,notes\r\n\r\nAcme,Dev,\"a\r\nb\"\r\n\r\nBeta,Ops,x\r\n\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		printf("    file %zu\n", i);
		struct csv_import imp = parse_ok(files[i]);
		show_rejects(&imp);
		assert_int_equal(imp.n_rejects, 0);
		assert_int_equal(imp.n_apps, 2);
		assert_string_equal(imp.apps[0].company, "Acme");
		assert_string_equal(imp.apps[0].notes, "a\r\nb");
		assert_string_equal(imp.apps[1].company, "Beta");
		assert_string_equal(imp.apps[1].position, "Ops");
		assert_string_equal(imp.apps[1].notes, "x");
	}
}

static void test_import_rejects_rows_with_line_numbers(void **state)
{
	(void)state;
	struct csv_import imp = parse_ok("company,position,notes\n"          /* 1 */
					 "Acme,Dev,ok\n"                     /* 2 */
					 ",No company,x\n"                   /* 3: rejected */
					 "\"Multi\n"                         /* 4 */
					 "Line\",Dev,\"a\n"                  /* 5 */
					 "b\n"                               /* 6 */
					 "c\"\n"                             /* 7 */
					 "Beta,,x\n"                         /* 8: rejected */
					 "\n"                                /* 9: blank, skipped */
					 "Gamma,Dev,x,extra\n"               /* 10: rejected */
					 "\"Delta\",\"Dev\",\"\"\"q\"\"\"\n" /* 11 */
					 "Eps,Dev,\"x\r\n"                   /* 12: rejected */
					 "y\",status\r\n"                    /* 13 */
					 "Zeta,Dev,\"\"\n");                 /* 14 */
	show_rejects(&imp);
	assert_int_equal(imp.n_apps, 4);
	assert_string_equal(imp.apps[0].company, "Acme");
	assert_string_equal(imp.apps[1].company, "Multi Line"); /* single-line field */
	assert_string_equal(imp.apps[1].notes, "a\nb\nc");
	assert_string_equal(imp.apps[2].company, "Delta");
	assert_string_equal(imp.apps[2].notes, "\"q\"");
	assert_string_equal(imp.apps[3].company, "Zeta");

	assert_int_equal(imp.n_rejects, 4);
	assert_int_equal(imp.rejects[0].line, 3);
	assert_string_equal(imp.rejects[0].field, "company");
	assert_int_equal(imp.rejects[1].line, 8);
	assert_string_equal(imp.rejects[1].field, "position");
	assert_int_equal(imp.rejects[2].line, 10);
	assert_string_equal(imp.rejects[2].field, "row");
	assert_int_equal(imp.rejects[3].line, 12);
	assert_string_equal(imp.rejects[3].field, "row");
	for (size_t i = 0; i < imp.n_rejects; i++)
		assert_non_null(imp.rejects[i].message);
}

static void test_import_rejects_bad_values(void **state)
{
	(void)state;
	struct csv_import imp = parse_ok("company,position,status,salary_min,applied_on,url\n"
					 "A,Dev,hired,,,\n"
					 "B,Dev,saved,lots,,\n"
					 "C,Dev,saved,,2026-02-30,\n"
					 "D,Dev,saved,,,ftp://x\n"
					 "E,Dev,Saved,\"120,000\",2026-02-28,https://e.example\n");
	show_rejects(&imp);
	assert_int_equal(imp.n_rejects, 4);
	assert_string_equal(imp.rejects[0].field, "status");
	assert_string_equal(imp.rejects[1].field, "salary_min");
	assert_string_equal(imp.rejects[2].field, "applied_on");
	assert_string_equal(imp.rejects[3].field, "url");
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(imp.rejects[i].line, i + 2);
	assert_int_equal(imp.n_apps, 1);
	assert_string_equal(imp.apps[0].company, "E");
	assert_int_equal(imp.apps[0].salary_min, 120000);
}

static void test_import_short_rows_leave_fields_empty(void **state)
{
	(void)state;
	struct csv_import imp = parse_ok("company,position,location,notes\nAcme,Dev\n");
	assert_int_equal(imp.n_apps, 1);
	assert_string_equal(imp.apps[0].location, "");
	assert_string_equal(imp.apps[0].notes, "");
}

/* ---- import: broken files ----------------------------------------------------- */

static void test_import_unterminated_quote(void **state)
{
	(void)state;
	const char *f1 = "company,position\nAcme,Dev\nBeta,\"Ops\nGamma,Dev\n";
	parse_fails(f1, strlen(f1), "Line 3");
	const char *f2 = "\"company,position\nAcme,Dev\n";
	parse_fails(f2, strlen(f2), NULL);
	const char *f3 = "company,position\nAcme,\"Dev";
	parse_fails(f3, strlen(f3), NULL);
	/* Text after a closing quote is broken quoting too. */
	const char *f4 = "company,position\n\"Acme\"x,Dev\n";
	parse_fails(f4, strlen(f4), NULL);
}

static void test_import_not_utf8(void **state)
{
	(void)state;
	static const char *const files[] = {
		"company,position\nAcme,D\xffv\n",       /* invalid byte */
		"company,position\nAcme,Caf\xe9\n",      /* Latin-1 */
		"company,position\nAcme,\xc0\xafx\n",    /* overlong */
		"company,position\nAcme,\xed\xa0\x80\n", /* surrogate */
		"\xff\xfe"
		"c\0o\0", /* UTF-16 */
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		parse_fails(files[i], strlen(files[i]) + (i == 4 ? 2 : 0), "UTF-8");
	static const char nul[] = "company,position\nAc\0me,Dev\n";
	parse_fails(nul, sizeof(nul) - 1, "UTF-8");
}

static void test_import_row_limit(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1 << 22);
	buf_puts(&b, "company,position\n");
	for (int i = 0; i < CSV_MAX_ROWS; i++)
		buf_puts(&b, "Acme,Dev\n");
	struct csv_import imp;
	char err[256];
	assert_int_equal(csv_parse_apps(b.data, b.len, NOW, &arena, &imp, err, sizeof(err)), 0);
	assert_int_equal(imp.n_apps, CSV_MAX_ROWS);
	buf_puts(&b, "One,Toomany\n");
	assert_int_equal(buf_failed(&b), 0);
	parse_fails(b.data, b.len, "10000");
	buf_free(&b);
}

/* A csv_base_fn over one stored application (id 7) that can be told to fail. */
struct fake_store {
	int fail;
	int lookups;
};

static int fake_base(void *ctx, int64_t id, struct arena *a, struct application *out)
{
	struct fake_store *fs = ctx;
	(void)a;
	fs->lookups++;
	if (fs->fail)
		return -1;
	if (id != 7)
		return 1;
	app_init(out, NOW);
	out->id = 7;
	out->company = (char *)"Stored Co";
	out->position = (char *)"Dev";
	out->notes = (char *)"stored note";
	return 0;
}

static void test_import_updates_by_id_once_per_application(void **state)
{
	(void)state;
	struct fake_store fs = { 0, 0 };
	const char *text = "company,position,notes,id\r\n"
			   "Stored Co,Dev,first edit,7\r\n"
			   "Stored Co,Dev,second edit,7\r\n"
			   "Unknown Co,Dev,,8\r\n";
	struct csv_import imp;
	char err[256] = "";
	assert_int_equal(csv_parse_apps_with(text, strlen(text), NOW, &arena, fake_base, &fs, &imp, err, sizeof(err)),
			 0);
	show_rejects(&imp);
	assert_int_equal(imp.n_apps, 2);
	assert_int_equal(imp.n_updates, 1);
	assert_int_equal(imp.apps[0].id, 7);
	assert_string_equal(imp.apps[0].notes, "first edit");
	assert_int_equal(imp.apps[1].id, 0); /* not the caller's: a new row */
	/* The second row for id 7 would undo the first: refused, with its line. */
	assert_int_equal(imp.n_rejects, 1);
	assert_int_equal(imp.rejects[0].line, 3);
	assert_string_equal(imp.rejects[0].field, "id");
}

static void test_import_stops_when_a_lookup_fails(void **state)
{
	(void)state;
	/* A row that cannot be matched must not quietly become a duplicate. */
	struct fake_store fs = { 1, 0 };
	const char *text = "company,position,id\r\nStored Co,Dev,7\r\n";
	struct csv_import imp;
	char err[256] = "";
	assert_int_equal(csv_parse_apps_with(text, strlen(text), NOW, &arena, fake_base, &fs, &imp, err, sizeof(err)),
			 -1);
	assert_int_equal(fs.lookups, 1);
	assert_non_null(strstr(err, "nothing was imported"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_header_lists_every_field),
		T(test_export_quotes_and_guards_cells),
		T(test_round_trip_tricky_values),
		T(test_round_trip_keeps_leading_apostrophes),
		T(test_import_aliases_bom_and_unknown_columns),
		T(test_import_every_alias),
		T(test_import_needs_company_and_position_columns),
		T(test_import_header_only),
		T(test_import_crlf_lf_and_cr),
		T(test_import_rejects_rows_with_line_numbers),
		T(test_import_rejects_bad_values),
		T(test_import_short_rows_leave_fields_empty),
		T(test_import_unterminated_quote),
		T(test_import_not_utf8),
		T(test_import_row_limit),
		T(test_import_updates_by_id_once_per_application),
		T(test_import_stops_when_a_lookup_fails),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
