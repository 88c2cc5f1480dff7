/* rows — what an export of applications or of postings holds: the columns
 * (names, types) and one record's cells, for table.h. */
#ifndef JT_EXPORT_ROWS_H
#define JT_EXPORT_ROWS_H

#include "base/arena.h"
#include "export/table.h"
#include "store/store.h"

/* Applications: the CSV export's columns (same names, same order, id last)
 * after created_at and updated_at. */
#define EXPORT_APP_COLUMNS 19
extern const struct table_column export_app_columns[EXPORT_APP_COLUMNS];
/* Fills cells[EXPORT_APP_COLUMNS]; strings borrowed from app or made in a. */
void export_app_cells(const struct application *app, struct arena *a, struct table_cell *cells);

/* Postings (search results): the listing's fields, no description. */
#define EXPORT_POSTING_COLUMNS 22
extern const struct table_column export_posting_columns[EXPORT_POSTING_COLUMNS];
void export_posting_cells(const struct store_posting *p, struct arena *a, struct table_cell *cells);

#endif
