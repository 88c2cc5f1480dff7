/* table — rows of typed cells written as CSV (RFC 4180) or as an Excel
 * workbook (XLSX, libxlsxwriter), for exporting applications and search
 * results in the formats spreadsheets open.
 *
 * Each column has a type, and the XLSX file keeps it: numbers are numbers,
 * dates and times are dates (with a date format), text is text. Text never
 * becomes a formula: in CSV a cell starting with = + - @ gets a leading
 * apostrophe (tracker/csv.h's guard, which its import strips); in XLSX every
 * text is written as a string cell, which spreadsheets never evaluate.
 *
 * Usage: table_begin(), table_row() for each row, table_end(); the whole
 * document lands in the caller's buffer. XLSX goes through a temporary file
 * (libxlsxwriter 1.1.4 writes files only), removed again by table_end(). */
#ifndef JT_EXPORT_TABLE_H
#define JT_EXPORT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

enum table_format { TABLE_CSV, TABLE_XLSX };

enum table_type {
	TABLE_TEXT,
	TABLE_NUMBER,
	TABLE_DATE, /* text "YYYY-MM-DD" */
	TABLE_TIME, /* seconds since 1970, shown in UTC */
};

struct table_column {
	const char *name; /* the header cell */
	enum table_type type;
	double width; /* XLSX column width in characters; 0: the default */
};

/* One cell, read according to its column's type. empty: a blank cell. */
struct table_cell {
	int empty;
	const char *text; /* TABLE_TEXT, TABLE_DATE (NULL: blank) */
	double number;    /* TABLE_NUMBER */
	int64_t time;     /* TABLE_TIME */
};

/* Cells from values: text (NULL or "" blank), a number (blank unless
 * present), a time (blank when <= 0). */
static inline struct table_cell table_text(const char *s)
{
	return (struct table_cell){ .empty = !s || !*s, .text = s };
}
static inline struct table_cell table_number(double v, int present)
{
	return (struct table_cell){ .empty = !present, .number = v };
}
static inline struct table_cell table_time(int64_t t)
{
	return (struct table_cell){ .empty = t <= 0, .time = t };
}

#define TABLE_MAX_ROWS 100000 /* a sheet holds a million; an export this big is a mistake */
#define TABLE_TEXT_MAX 32767  /* Excel's most characters in a cell (longer text is cut) */

struct table;

/* Starts a document of the columns (borrowed until table_end) written into
 * out. sheet names the XLSX worksheet. 0, or -1 (out of memory, or the
 * temporary file could not be made) with err set. */
int table_begin(enum table_format format, const char *sheet, const struct table_column *cols, size_t n_cols,
		struct buf *out, struct table **t, char *err, size_t errlen);
/* Appends one row of n_cols cells. 0, or -1 when the table is full
 * (TABLE_MAX_ROWS) or writing failed; table_end then reports it. */
int table_row(struct table *t, const struct table_cell *cells);
/* Finishes the document into out and frees t (also after an error). 0, or
 * -1 with err set (out then holds nothing useful). */
int table_end(struct table *t, char *err, size_t errlen);
/* Frees t without finishing (an error elsewhere). */
void table_abort(struct table *t);

/* The MIME type and file name extension of a format. */
const char *table_mime(enum table_format format);
const char *table_extension(enum table_format format);

#endif
