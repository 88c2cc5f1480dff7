#include "export/table.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/timefmt.h"
#include "export/xlsx_sheet.h"
#include "tracker/csv.h"

struct table {
	enum table_format format;
	const struct table_column *cols;
	size_t n_cols;
	struct buf *out;
	struct xlsx_sheet *xlsx;
	uint32_t rows;
	int failed; /* 1: full; -1: a write failed */
};

static void csv_line(struct table *t, const struct table_cell *cells)
{
	struct buf *b = t->out;
	for (size_t c = 0; c < t->n_cols; c++) {
		const struct table_cell *cell = &cells[c];
		if (c)
			buf_putc(b, ',');
		if (cell->empty)
			continue;
		switch (t->cols[c].type) {
		case TABLE_TEXT:
		case TABLE_DATE:
			csv_write_cell(b, cell->text);
			break;
		case TABLE_NUMBER:
			buf_printf(b, "%.15g", cell->number);
			break;
		case TABLE_TIME: {
			char iso[TIMEFMT_ISO_LEN];
			timefmt_iso((time_t)cell->time, iso);
			buf_puts(b, iso);
			break;
		}
		}
	}
	buf_puts(b, "\r\n");
}

int table_begin(enum table_format format, const char *sheet, const struct table_column *cols, size_t n_cols,
		struct buf *out, struct table **tp, char *err, size_t errlen)
{
	struct table *t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*t = (struct table){ .format = format, .cols = cols, .n_cols = n_cols, .out = out };
	if (format == TABLE_XLSX) {
		if (xlsx_sheet_begin(sheet, cols, n_cols, &t->xlsx, err, errlen)) {
			free(t);
			return -1;
		}
	} else {
		for (size_t c = 0; c < n_cols; c++) {
			if (c)
				buf_putc(out, ',');
			csv_write_cell(out, cols[c].name);
		}
		buf_puts(out, "\r\n");
	}
	*tp = t;
	return 0;
}

int table_row(struct table *t, const struct table_cell *cells)
{
	if (t->failed)
		return -1;
	if (t->rows >= TABLE_MAX_ROWS) {
		t->failed = 1;
		return -1;
	}
	t->rows++;
	if (t->format == TABLE_CSV)
		csv_line(t, cells);
	if (t->format == TABLE_CSV ? buf_failed(t->out) : xlsx_sheet_row(t->xlsx, t->rows, cells))
		t->failed = -1;
	return t->failed ? -1 : 0;
}

int table_end(struct table *t, char *err, size_t errlen)
{
	int rc = 0;
	if (t->failed > 0) {
		snprintf(err, errlen, "more than %d rows: narrow the selection", TABLE_MAX_ROWS);
		rc = -1;
	} else if (t->failed) {
		snprintf(err, errlen, "writing the export failed (out of memory?)");
		rc = -1;
	}
	if (t->format == TABLE_XLSX) {
		if (rc)
			xlsx_sheet_abort(t->xlsx);
		else
			rc = xlsx_sheet_end(t->xlsx, t->out, err, errlen);
	} else if (rc == 0 && buf_failed(t->out)) {
		snprintf(err, errlen, "the export is too big to send");
		rc = -1;
	}
	free(t);
	return rc;
}

void table_abort(struct table *t)
{
	if (!t)
		return;
	if (t->format == TABLE_XLSX)
		xlsx_sheet_abort(t->xlsx);
	free(t);
}

const char *table_mime(enum table_format format)
{
	return format == TABLE_XLSX ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
				    : "text/csv; charset=utf-8";
}

const char *table_extension(enum table_format format)
{
	return format == TABLE_XLSX ? "xlsx" : "csv";
}
