#include "web/csv_io.h"

#include <stdio.h>

#include "tracker/service.h"
#include "web/tracker_call.h"
#include "web/web.h"

void csv_io_export(struct request *req)
{
	struct app_filter f = { .sort = APP_SORT_CREATED_ASC, .limit = 500 };
	csv_write_header(&req->out);
	for (;;) {
		struct application *items;
		size_t n;
		int64_t total;
		int rc = store_app_list(req->web->store, req->user.id, &f, &req->arena, &items, &n, &total);
		if (rc) {
			resp_store_error(req, rc);
			return;
		}
		for (size_t i = 0; i < n; i++)
			csv_write_app(&req->out, &items[i], &req->arena);
		f.offset += (int64_t)n;
		if (n == 0 || f.offset >= total)
			break;
	}
	resp_header(req, "Content-Disposition", "attachment; filename=\"jobtrack-applications.csv\"");
	req->status = 200;
	req->content_type = "text/csv; charset=utf-8";
	req->responded = 1;
}

int csv_io_import(struct request *req, const char *data, size_t len, struct csv_import *result, char *err,
		  size_t errlen)
{
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_import(&call, data, len, result, err, errlen);
	/* A row that no longer fits its application is the file's problem, like
	 * an unreadable one; anything else is the database's. */
	if (rc == 0)
		return 0;
	if (rc == TRACKER_UNUSABLE || rc == TRACKER_INVALID)
		return 1;
	return rc == STORE_BUSY ? STORE_BUSY : STORE_ERROR;
}
