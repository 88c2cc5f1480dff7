#include "export/xlsx_sheet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/timefmt.h"

struct xlsx_sheet {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date, *time;
	const struct table_column *cols;
	size_t n_cols;
	char path[4096];
};

static const char *temp_dir(void)
{
	const char *d = getenv("TMPDIR");
	return d && *d ? d : "/tmp";
}

int xlsx_sheet_begin(const char *sheet, const struct table_column *cols, size_t n_cols, struct xlsx_sheet **out,
		     char *err, size_t errlen)
{
	struct xlsx_sheet *x = calloc(1, sizeof(*x));
	if (!x) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	x->cols = cols;
	x->n_cols = n_cols;
	int n = snprintf(x->path, sizeof(x->path), "%s/jobtrack-export-XXXXXX", temp_dir());
	int fd = n > 0 && (size_t)n < sizeof(x->path) ? mkstemp(x->path) : -1;
	if (fd < 0) {
		snprintf(err, errlen, "cannot make a temporary file in %s: %s", temp_dir(), strerror(errno));
		free(x);
		return -1;
	}
	close(fd);
	/* constant_memory: rows go to disk as they are written, so a big export
	 * does not grow the heap. */
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = (char *)temp_dir() };
	x->wb = workbook_new_opt(x->path, &opt);
	x->ws = x->wb ? workbook_add_worksheet(x->wb, sheet) : NULL;
	if (!x->ws) {
		snprintf(err, errlen, "cannot start the workbook");
		xlsx_sheet_abort(x);
		return -1;
	}
	lxw_format *bold = workbook_add_format(x->wb);
	format_set_bold(bold);
	x->date = workbook_add_format(x->wb);
	format_set_num_format(x->date, "yyyy-mm-dd");
	x->time = workbook_add_format(x->wb);
	format_set_num_format(x->time, "yyyy-mm-dd hh:mm:ss");
	for (size_t c = 0; c < n_cols; c++) {
		double w = cols[c].width > 0 ? cols[c].width : cols[c].type == TABLE_TIME ? 20 : 14;
		worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
		worksheet_write_string(x->ws, 0, (lxw_col_t)c, cols[c].name, bold);
	}
	worksheet_freeze_panes(x->ws, 1, 0);
	*out = x;
	return 0;
}

/* Text cut to Excel's limit on a UTF-8 character boundary. */
static lxw_error write_text(struct xlsx_sheet *x, uint32_t row, lxw_col_t col, const char *s)
{
	size_t len = strlen(s);
	if (len <= TABLE_TEXT_MAX)
		return worksheet_write_string(x->ws, row, col, s, NULL);
	size_t cut = TABLE_TEXT_MAX;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	char *copy = strndup(s, cut);
	if (!copy)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	lxw_error e = worksheet_write_string(x->ws, row, col, copy, NULL);
	free(copy);
	return e;
}

static lxw_error write_date(struct xlsx_sheet *x, uint32_t row, lxw_col_t col, const char *s)
{
	/* Dates are validated on the way in; anything else stays visible as text. */
	if (!timefmt_date_valid(s))
		return write_text(x, row, col, s);
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	lxw_datetime dt = { .year = y,
			    .month = (s[5] - '0') * 10 + (s[6] - '0'),
			    .day = (s[8] - '0') * 10 + (s[9] - '0') };
	if (y < 1900) /* before Excel's calendar */
		return write_text(x, row, col, s);
	return worksheet_write_datetime(x->ws, row, col, &dt, x->date);
}

static lxw_error write_time(struct xlsx_sheet *x, uint32_t row, lxw_col_t col, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 < 1900)
		return worksheet_write_number(x->ws, row, col, (double)t, NULL);
	lxw_datetime dt = { .year = tm.tm_year + 1900,
			    .month = tm.tm_mon + 1,
			    .day = tm.tm_mday,
			    .hour = tm.tm_hour,
			    .min = tm.tm_min,
			    .sec = tm.tm_sec };
	return worksheet_write_datetime(x->ws, row, col, &dt, x->time);
}

int xlsx_sheet_row(struct xlsx_sheet *x, uint32_t row, const struct table_cell *cells)
{
	for (size_t c = 0; c < x->n_cols; c++) {
		const struct table_cell *cell = &cells[c];
		lxw_col_t col = (lxw_col_t)c;
		lxw_error e = LXW_NO_ERROR;
		if (cell->empty)
			continue;
		switch (x->cols[c].type) {
		case TABLE_TEXT:
			if (cell->text && *cell->text)
				e = write_text(x, row, col, cell->text);
			break;
		case TABLE_NUMBER:
			e = worksheet_write_number(x->ws, row, col, cell->number, NULL);
			break;
		case TABLE_DATE:
			if (cell->text && *cell->text)
				e = write_date(x, row, col, cell->text);
			break;
		case TABLE_TIME:
			e = write_time(x, row, col, cell->time);
			break;
		}
		if (e != LXW_NO_ERROR)
			return -1;
	}
	return 0;
}

static int slurp(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_append(out, chunk, (size_t)n)) {
			n = -1;
			break;
		}
	close(fd);
	return n < 0 ? -1 : 0;
}

int xlsx_sheet_end(struct xlsx_sheet *x, struct buf *out, char *err, size_t errlen)
{
	lxw_error e = workbook_close(x->wb);
	x->wb = NULL;
	int rc = 0;
	if (e != LXW_NO_ERROR) {
		snprintf(err, errlen, "writing the workbook failed: %s", lxw_strerror(e));
		rc = -1;
	} else if (slurp(x->path, out)) {
		snprintf(err, errlen, "the workbook is too big to send");
		rc = -1;
	}
	xlsx_sheet_abort(x);
	return rc;
}

void xlsx_sheet_abort(struct xlsx_sheet *x)
{
	if (!x)
		return;
	if (x->wb)
		workbook_close(x->wb);
	unlink(x->path);
	free(x);
}
