/* csv_io — CSV export and import of the caller's applications, shared by
 * the API and the pages. */
#ifndef JT_WEB_CSV_IO_H
#define JT_WEB_CSV_IO_H

#include "tracker/csv.h"
#include "web/http.h"

/* Writes every application of the user as CSV into req->out and answers. */
void csv_io_export(struct request *req);
/* Parses and stores data. Accepted rows go in one transaction. Returns 0;
 * 1 when the file is unusable; or, when the database failed, STORE_BUSY
 * (busy or unreachable: worth a retry) or STORE_ERROR. err is set and
 * nothing is stored whenever it is not 0. */
int csv_io_import(struct request *req, const char *data, size_t len, struct csv_import *result, char *err,
		  size_t errlen);

#endif
