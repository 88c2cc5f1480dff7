#include "tracker/csv.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/csv_read.h"
#include "base/text.h"
#include "tracker/application.h"

void csv_write_cell(struct buf *b, const char *s)
{
	if (!s)
		s = "";
	/* Formula guard: a cell a spreadsheet would run gets a leading apostrophe.
	 * Cells that already start with apostrophes before such a character get
	 * one more, so that import (which removes one) gives back the value. */
	const char *first = s;
	while (*first == '\'')
		first++;
	int guard = *first == '=' || *first == '+' || *first == '-' || *first == '@';
	int quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (guard)
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

void csv_write_header(struct buf *b)
{
	for (size_t i = 0; app_field_names[i]; i++) {
		if (i)
			buf_putc(b, ',');
		buf_puts(b, app_field_names[i]);
	}
	/* Last, so people see the data first; import uses it to update, not duplicate. */
	buf_puts(b, ",id\r\n");
}

void csv_write_app(struct buf *b, const struct application *app, struct arena *a)
{
	char min[24] = "", max[24] = "", prio[8];
	if (app->has_salary_min)
		snprintf(min, sizeof(min), "%lld", (long long)app->salary_min);
	if (app->has_salary_max)
		snprintf(max, sizeof(max), "%lld", (long long)app->salary_max);
	snprintf(prio, sizeof(prio), "%d", app->priority);
	const char *cells[] = { app->company,
				app->position,
				app->location,
				app->url,
				app->source,
				min,
				max,
				app->salary_currency,
				app->salary_period,
				app->status,
				prio,
				app_tags_joined(app, a),
				app->saved_on,
				app->applied_on,
				app->follow_up_on,
				app->notes };
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		if (i)
			buf_putc(b, ',');
		csv_write_cell(b, cells[i]);
	}
	if (app->id > 0)
		buf_printf(b, ",%lld", (long long)app->id);
	else
		buf_putc(b, ',');
	buf_puts(b, "\r\n");
}

/* ---- reading ---- */

/* Reads one field (csv_read.h), undoing export's formula guard: one
 * apostrophe off '…'=, '+, '-, '@. */
static int read_field(struct csv_reader *r, struct arena *a, char **out)
{
	char *s;
	int more = csv_read_field(r, a, &s);
	if (more < 0)
		return -1;
	if (s[0] == '\'') {
		const char *first = s;
		while (*first == '\'')
			first++;
		if (*first == '=' || *first == '+' || *first == '-' || *first == '@')
			s++;
	}
	*out = s;
	return more;
}

#define CSV_MAX_COLS 64

static int read_row(struct csv_reader *r, struct arena *a, char **cells, size_t *n)
{
	*n = 0;
	for (;;) {
		char *cell;
		int more = read_field(r, a, &cell);
		if (more < 0)
			return -1;
		if (*n < CSV_MAX_COLS)
			cells[(*n)++] = cell;
		if (!more)
			return 0;
	}
}

struct row_view {
	char **header;
	char **cells;
	size_t n_header, n_cells;
};

static const char *row_get(void *ctx, const char *name)
{
	struct row_view *v = ctx;
	for (size_t i = 0; i < v->n_header; i++)
		if (v->header[i] && strcmp(v->header[i], name) == 0)
			return i < v->n_cells ? v->cells[i] : "";
	return NULL;
}

/* Maps a header cell to a field name: exact names, plus the words other trackers use. */
static char *canonical_column(char *h, struct arena *a)
{
	static const char *const aliases[][2] = {
		{ "company name", "company" },
		{ "employer", "company" },
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
	while (*h && isspace((unsigned char)*h))
		h++;
	size_t len = strlen(h);
	while (len && isspace((unsigned char)h[len - 1]))
		len--;
	char *low = arena_strndup(a, h, len);
	if (!low)
		return NULL;
	for (char *p = low; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (size_t i = 0; app_field_names[i]; i++)
		if (strcmp(low, app_field_names[i]) == 0)
			return low;
	if (strcmp(low, "id") == 0)
		return low;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(low, aliases[i][0]) == 0)
			return (char *)aliases[i][1];
	return NULL;
}

int csv_parse_apps(const char *data, size_t len, time_t now, struct arena *a, struct csv_import *out, char *err,
		   size_t errlen)
{
	return csv_parse_apps_with(data, len, now, a, NULL, NULL, out, err, errlen);
}

/* 1 when the row's company or position (when present) matches the stored one, ignoring case. */
static int same_application(const struct application *stored, struct row_view *view)
{
	const char *company = row_get(view, "company");
	const char *position = row_get(view, "position");
	if (company && stored->company && strcasecmp(company, stored->company) == 0)
		return 1;
	if (position && stored->position && strcasecmp(position, stored->position) == 0)
		return 1;
	return 0;
}

int csv_parse_apps_with(const char *data, size_t len, time_t now, struct arena *a, csv_base_fn base, void *base_ctx,
			struct csv_import *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	/* A BOM is common from spreadsheet exports. */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (!text_utf8_valid(data, len)) {
		snprintf(err, errlen, "The file is not UTF-8 text (or contains NUL bytes): save it as CSV UTF-8.");
		return -1;
	}
	struct csv_reader r = { .p = data, .end = data + len, .line = 1 };
	char *header_raw[CSV_MAX_COLS], *header[CSV_MAX_COLS];
	size_t n_header;
	if (len == 0 || read_row(&r, a, header_raw, &n_header) < 0) {
		snprintf(err, errlen, "The file is empty or its first line is not a CSV header.");
		return -1;
	}
	int has_company = 0, has_position = 0;
	for (size_t i = 0; i < n_header; i++) {
		header[i] = canonical_column(header_raw[i], a);
		has_company |= header[i] && strcmp(header[i], "company") == 0;
		has_position |= header[i] && strcmp(header[i], "position") == 0;
	}
	if (!has_company || !has_position) {
		snprintf(err, errlen, "The header row needs at least the columns company and position.");
		return -1;
	}
	/* Ids are ours only in our own export's shape: its exact column names,
	 * with "id" last. Another tool's "ID" column is just another column. */
	int own_export = n_header > 2 && strcmp(header_raw[n_header - 1], "id") == 0;
	for (size_t i = 0; own_export && i < n_header - 1; i++)
		own_export = header[i] && strcmp(header_raw[i], header[i]) == 0;
	size_t cap = 64;
	out->apps = arena_alloc(a, cap * sizeof(*out->apps));
	out->fields = arena_alloc(a, cap * sizeof(*out->fields));
	size_t rcap = 16;
	out->rejects = arena_alloc(a, rcap * sizeof(*out->rejects));
	if (!out->apps || !out->fields || !out->rejects) {
		snprintf(err, errlen, "Out of memory.");
		return -1;
	}
	size_t rows = 0;
	while (r.p < r.end) {
		size_t line = r.line;
		char *cells[CSV_MAX_COLS];
		size_t n_cells;
		if (read_row(&r, a, cells, &n_cells) < 0) {
			snprintf(err, errlen, "Line %zu: a quoted cell is not closed properly; nothing was imported.",
				 line);
			return -1;
		}
		/* Blank lines, and rows of empty cells that spreadsheets append, are no rows. */
		int blank = 1;
		for (size_t i = 0; i < n_cells && blank; i++)
			blank = cells[i][0] == '\0';
		if (blank)
			continue;
		if (++rows > CSV_MAX_ROWS) {
			snprintf(err, errlen, "The file has more than %d rows: split it.", CSV_MAX_ROWS);
			return -1;
		}
		struct row_view view = { header, cells, n_header, n_cells };
		struct application app;
		struct field_errors errs = { .n = 0 };
		/* A row carrying the id of one of the user's applications updates it
		 * (its columns over the stored values); any other row is new. */
		const char *id_cell = row_get(&view, "id");
		long id = 0;
		if (id_cell && *id_cell &&
		    text_parse_long(id_cell, 1, INT64_MAX > LONG_MAX ? LONG_MAX : (long)INT64_MAX, &id))
			field_errors_add(&errs, "id",
					 "The id must be a whole number from an export, or empty for a new row.");
		int found = id > 0 && base && own_export ? base(base_ctx, id, a, &app) : 1;
		if (found < 0) {
			snprintf(err, errlen,
				 "Line %zu: the application with id %ld could not be read; nothing was imported. "
				 "Try again.",
				 line, id);
			return -1;
		}
		/* An id column from another tool (Notion, Airtable, …) also holds small
		 * numbers: honour the id only when the row still names that
		 * application by company or position, so such a file adds rows
		 * instead of overwriting yours. */
		if (found == 0 && !same_application(&app, &view))
			found = 1;
		if (found != 0) {
			app_init(&app, now);
			app.id = 0;
		}
		/* Two rows for one application: the later would silently undo the earlier. */
		for (size_t i = 0; app.id > 0 && i < out->n_apps; i++)
			if (out->apps[i].id == app.id) {
				field_errors_add(&errs, "id",
						 "Another row above has this id: keep one row per application.");
				break;
			}
		unsigned fields = app_apply_strings(&app, row_get, &view, a, &errs);
		app_validate(&app, now, a, &errs);
		if (n_cells > n_header)
			field_errors_add(&errs, "row", "This row has more cells than the header.");
		if (errs.n) {
			if (out->n_rejects == rcap) {
				struct csv_reject *bigger = arena_alloc(a, rcap * 2 * sizeof(*bigger));
				if (!bigger)
					return -1;
				memcpy(bigger, out->rejects, rcap * sizeof(*bigger));
				out->rejects = bigger;
				rcap *= 2;
			}
			const char *company = row_get(&view, "company");
			out->rejects[out->n_rejects++] =
			    (struct csv_reject){ line, errs.items[0].field, errs.items[0].message,
						 company && *company ? company : NULL };
			continue;
		}
		if (out->n_apps == cap) {
			struct application *bigger = arena_alloc(a, cap * 2 * sizeof(*bigger));
			unsigned *wider = arena_alloc(a, cap * 2 * sizeof(*wider));
			if (!bigger || !wider)
				return -1;
			memcpy(bigger, out->apps, cap * sizeof(*bigger));
			memcpy(wider, out->fields, cap * sizeof(*wider));
			out->apps = bigger;
			out->fields = wider;
			cap *= 2;
		}
		out->fields[out->n_apps] = fields;
		out->apps[out->n_apps++] = app;
		if (app.id > 0)
			out->n_updates++;
	}
	return 0;
}
