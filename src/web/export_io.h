/* export_io — spreadsheet downloads shared by the API and the pages: the
 * caller's applications as XLSX, and postings search results (the filters
 * of GET /api/v1/postings, web/search_query.h) as CSV or XLSX. */
#ifndef JT_WEB_EXPORT_IO_H
#define JT_WEB_EXPORT_IO_H

#include "export/table.h"
#include "web/http.h"

/* The most search results one export holds (a header says when there were more). */
#define EXPORT_SEARCH_MAX 10000

/* Every application of the user, oldest first, and answers. */
void export_io_apps(struct request *req, enum table_format format);
/* Every match of the search the query string describes (cursor, offset and
 * limit are ignored), up to EXPORT_SEARCH_MAX, in the search's order; sets
 * X-Total-Count (all matches) and X-Exported-Count. */
void export_io_postings(struct request *req, enum table_format format);

#endif
