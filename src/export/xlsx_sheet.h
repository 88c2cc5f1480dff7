/* xlsx_sheet — table.h's XLSX writer over libxlsxwriter (internal to src/export). */
#ifndef JT_EXPORT_XLSX_SHEET_H
#define JT_EXPORT_XLSX_SHEET_H

#include "export/table.h"

struct xlsx_sheet;

/* A workbook with one worksheet and a bold header row, in a temporary file. */
int xlsx_sheet_begin(const char *sheet, const struct table_column *cols, size_t n_cols, struct xlsx_sheet **out,
		     char *err, size_t errlen);
/* Writes row number `row` (1 = the first after the header). */
int xlsx_sheet_row(struct xlsx_sheet *x, uint32_t row, const struct table_cell *cells);
/* Closes the workbook, appends the file's bytes to out, removes the file and
 * frees x. */
int xlsx_sheet_end(struct xlsx_sheet *x, struct buf *out, char *err, size_t errlen);
void xlsx_sheet_abort(struct xlsx_sheet *x);

#endif
