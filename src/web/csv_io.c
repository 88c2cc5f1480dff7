#include "tracker/legacy.h"
#include "web/csv_io.h"

#include <stdio.h>

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

/* csv_base_fn over the caller's own applications. */
static int own_app(void *ctx, int64_t id, struct arena *a, struct application *out)
{
	struct request *req = ctx;
	int rc = store_app_get(req->web->store, req->user.id, id, a, out);
	return rc == 0 ? 0 : rc == STORE_NOTFOUND ? 1 : -1;
}

int csv_io_import(struct request *req, const char *data, size_t len, struct csv_import *result, char *err,
		  size_t errlen)
{
	time_t now = time(NULL);
	if (csv_parse_apps_with(data, len, now, &req->arena, own_app, req, result, err, errlen))
		return -1;
	if (result->n_apps &&
	    store_app_import(req->web->store, req->user.id, result->apps, result->n_apps, (int64_t)now)) {
		snprintf(err, errlen, "The database could not store the rows; nothing was imported. Try again.");
		return -2;
	}
	return 0;
}
