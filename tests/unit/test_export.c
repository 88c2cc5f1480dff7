/* Unit tests for src/export: typed tables as CSV and XLSX. The XLSX file is
 * opened again with libzip and its worksheet XML read, so the types, the
 * header row and the formula guard are checked in what Excel would load.
 * Also the iCalendar writer (escaping, folding) and backup_check's refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "backup/backup.h"
#include "export/ical.h"
#include "export/rows.h"
#include "export/table.h"

static const struct table_column cols[] = {
	{ "name", TABLE_TEXT, 0 },
	{ "amount", TABLE_NUMBER, 0 },
	{ "day", TABLE_DATE, 0 },
	{ "at", TABLE_TIME, 0 },
};

static void write_rows(enum table_format f, struct buf *out)
{
	struct table *t;
	char err[256];
	assert_int_equal(table_begin(f, "Test", cols, 4, out, &t, err, sizeof(err)), 0);
	struct table_cell r1[] = { table_text("=1+1"), table_number(90000.5, 1), table_text("2026-01-15"),
				   table_time(1768478400) /* 2026-01-15T12:00:00Z */ };
	struct table_cell r2[] = { table_text("@SUM(A1)"), table_number(0, 0), table_text(NULL), table_time(0) };
	struct table_cell r3[] = { table_text("plain, \"quoted\""), table_number(-3, 1), table_text("2026-12-31"),
				   table_time(0) };
	assert_int_equal(table_row(t, r1), 0);
	assert_int_equal(table_row(t, r2), 0);
	assert_int_equal(table_row(t, r3), 0);
	assert_int_equal(table_end(t, err, sizeof(err)), 0);
}

static void csv_types_and_guard(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1 << 20);
	write_rows(TABLE_CSV, &b);
	assert_string_equal(b.data, "name,amount,day,at\r\n"
				    "\"'=1+1\",90000.5,2026-01-15,2026-01-15T12:00:00Z\r\n"
				    "\"'@SUM(A1)\",,,\r\n"
				    "\"plain, \"\"quoted\"\"\",-3,2026-12-31,\r\n");
	buf_free(&b);
}

/* The named part of the zip in b, NUL-terminated (free it). */
static char *zip_part(const struct buf *b, const char *name)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &ze);
	assert_non_null(src);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	zip_stat_t st;
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
	char *text = calloc(1, st.size + 1);
	zip_file_t *f = zip_fopen(z, name, 0);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	zip_close(z);
	return text;
}

static void xlsx_types_and_guard(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 16 << 20);
	write_rows(TABLE_XLSX, &b);
	assert_true(b.len > 100);
	assert_memory_equal(b.data, "PK", 2);
	char *sheet = zip_part(&b, "xl/worksheets/sheet1.xml");
	/* no cell is a formula, whatever its text */
	assert_null(strstr(sheet, "<f>"));
	assert_null(strstr(sheet, "<f "));
	/* the header row, and text as strings */
	assert_non_null(strstr(sheet, "<t>name</t>"));
	assert_non_null(strstr(sheet, "<t>=1+1</t>"));
	assert_non_null(strstr(sheet, "<t>@SUM(A1)</t>"));
	/* numbers as numbers, dates as date serials (46037 = 2026-01-15) with a style */
	assert_non_null(strstr(sheet, "<v>90000.5</v>"));
	assert_non_null(strstr(sheet, "<v>-3</v>"));
	char *day = strstr(sheet, "r=\"C2\"");
	assert_non_null(day);
	assert_non_null(strstr(day, "<v>46037</v>"));
	assert_non_null(strstr(sheet, "<v>46037.5</v>"));
	/* a blank stays blank: row 3 has only its text */
	assert_null(strstr(sheet, "r=\"B3\""));
	free(sheet);
	char *styles = zip_part(&b, "xl/styles.xml");
	assert_non_null(strstr(styles, "yyyy-mm-dd"));
	free(styles);
	buf_free(&b);
}

static void app_row_types(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	char *tags[] = { "remote", "rust" };
	struct application app = { .id = 7,
				   .company = "Acme",
				   .position = "-SELECT",
				   .has_salary_min = 1,
				   .salary_min = 50000,
				   .priority = 3,
				   .tags = tags,
				   .n_tags = 2,
				   .applied_on = "2026-02-01",
				   .created_at = 1768478400 };
	struct table_cell c[EXPORT_APP_COLUMNS];
	export_app_cells(&app, &a, c);
	assert_string_equal(export_app_columns[0].name, "company");
	assert_string_equal(export_app_columns[EXPORT_APP_COLUMNS - 1].name, "id");
	assert_int_equal(export_app_columns[5].type, TABLE_NUMBER);
	assert_false(c[5].empty);
	assert_true(c[6].empty); /* no maximum */
	assert_true(c[2].empty); /* no location */
	assert_string_equal(c[11].text, "remote, rust");
	assert_int_equal(export_app_columns[13].type, TABLE_DATE);
	assert_string_equal(c[13].text, "2026-02-01");
	assert_true(c[17].empty); /* updated_at 0 */
	assert_int_equal((int)c[18].number, 7);
	arena_free(&a);
}

static void table_is_bounded(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 64 << 20);
	struct table *t;
	char err[256];
	static const struct table_column one[] = { { "n", TABLE_NUMBER, 0 } };
	assert_int_equal(table_begin(TABLE_CSV, "N", one, 1, &b, &t, err, sizeof(err)), 0);
	struct table_cell c = table_number(1, 1);
	int rc = 0;
	for (int i = 0; i <= TABLE_MAX_ROWS && rc == 0; i++)
		rc = table_row(t, &c);
	assert_int_equal(rc, -1);
	assert_int_equal(table_end(t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "rows"));
	buf_free(&b);
}

static void ical_escapes_and_folds(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1 << 20);
	ical_text(&b, "SUMMARY", "a\\b;c,d\ne\r\nf\x01g");
	assert_string_equal(b.data, "SUMMARY:a\\\\b\\;c\\,d\\ne\\nfg\r\n");
	buf_reset(&b);
	ical_text(&b, "SUMMARY", "");
	assert_int_equal(b.len, 0);
	/* 80 two-octet characters: lines of at most 75 octets, never splitting one */
	char text[161];
	for (int i = 0; i < 80; i++)
		memcpy(text + 2 * i, "\xc3\xa9", 2);
	text[160] = 0;
	ical_text(&b, "DESCRIPTION", text);
	size_t content = 0, lines = 0;
	for (char *line = b.data, *end; (end = strstr(line, "\r\n")); line = end + 2, lines++) {
		size_t len = (size_t)(end - line);
		assert_true(len <= ICAL_LINE_MAX);
		if (line != b.data)
			assert_int_equal(line[0], ' ');
		/* every physical line starts on a character boundary */
		assert_true(((unsigned char)line[line == b.data ? 0 : 1] & 0xC0) != 0x80);
		content += len - (line == b.data ? strlen("DESCRIPTION:") : 1);
	}
	assert_int_equal(content, 160);
	assert_int_equal(lines, 3);
	buf_reset(&b);
	ical_time(&b, "DTSTART", 1768478400);
	assert_string_equal(b.data, "DTSTART:20260115T120000Z\r\n");
	buf_reset(&b);
	assert_int_equal(ical_date(&b, "DTEND", "2026-12-31", 1), 0);
	assert_string_equal(b.data, "DTEND;VALUE=DATE:20270101\r\n");
	assert_int_equal(ical_date(&b, "DTEND", "2026-02-30", 0), -1);
	buf_free(&b);
}

/* backup_check: what a backup may not be, each refusal naming its place. */
static void backup_refusals_name_their_place(void **state)
{
	(void)state;
	static const struct {
		const char *doc, *starts;
		int files;
	} cases[] = {
		{ "{\"format\":\"jobtrack-backup\",\"version\":1,\"contacts\":[],\"applications\":[]}", NULL, 0 },
		{ "{\"format\":\"jobtrack-backup\",\"format\":\"x\"}", "not JSON", 0 },
		{ "[1]", "not a jobtrack backup", 0 },
		{ "{\"format\":\"jobtrack-backup\",\"version\":3,\"contacts\":[],\"applications\":[]}", "version:", 0 },
		{ "{\"format\":\"jobtrack-backup\",\"version\":1,\"contacts\":{},\"applications\":[]}",
		  "contacts, applications", 0 },
		{ "{\"format\":\"jobtrack-backup\",\"version\":1,\"applications\":[],\"contacts\":["
		  "{\"id\":1,\"name\":\"A\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:"
		  "00Z\"},"
		  "{\"id\":1,\"name\":\"B\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:"
		  "00Z\"}]}",
		  "contacts[1].id: 1 appears twice", 0 },
		{ "{\"format\":\"jobtrack-backup\",\"version\":1,\"contacts\":[],\"applications\":[],\"resumes\":["
		  "{\"id\":1,\"name\":\"cv\",\"content_base64\":\"QQ==\",\"created_at\":\"2026-01-01T00:00:00Z\","
		  "\"updated_at\":\"2026-01-01T00:00:00Z\"}]}",
		  "resumes: this server cannot store resume files", 0 },
		{ "{\"format\":\"jobtrack-backup\",\"version\":1,\"contacts\":[],\"applications\":[],\"resumes\":["
		  "{\"id\":1,\"name\":\"cv\",\"content_base64\":\"!!\",\"created_at\":\"2026-01-01T00:00:00Z\","
		  "\"updated_at\":\"2026-01-01T00:00:00Z\"}]}",
		  "resumes[0].content_base64: not base64", 1 },
		{ "{\"format\":\"jobtrack-backup\",\"version\":1,\"contacts\":[],\"resumes\":[],\"applications\":["
		  "{\"id\":4,\"company\":\"A\",\"position\":\"B\",\"created_at\":\"2026-01-01T00:00:00Z\","
		  "\"updated_at\":\"2026-01-01T00:00:00Z\",\"status_changed_at\":\"2026-01-01T00:00:00Z\","
		  "\"events\":[{\"id\":1,\"kind\":\"note\",\"at\":\"2026-01-01T00:00:00Z\",\"created_at\":"
		  "\"2026-01-01T00:00:00Z\",\"to_status\":\"applied\"}]}]}",
		  "applications[0].events[0].to_status: only a status change has one", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[512];
		int rc = backup_check(cases[i].doc, strlen(cases[i].doc), cases[i].files, 1764979200, err, sizeof(err));
		if (!cases[i].starts) {
			assert_int_equal(rc, 0);
			continue;
		}
		assert_int_equal(rc, BACKUP_INVALID);
		if (strncmp(err, cases[i].starts, strlen(cases[i].starts)) != 0)
			fail_msg("case %zu: \"%s\" does not start with \"%s\"", i, err, cases[i].starts);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_types_and_guard),    cmocka_unit_test(xlsx_types_and_guard),
		cmocka_unit_test(app_row_types),          cmocka_unit_test(table_is_bounded),
		cmocka_unit_test(ical_escapes_and_folds), cmocka_unit_test(backup_refusals_name_their_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
