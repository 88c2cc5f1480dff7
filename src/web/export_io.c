#include "web/export_io.h"

#include <errno.h>
#include <stdio.h>

#include "export/rows.h"
#include "search/service.h"
#include "web/search_query.h"
#include "web/web.h"

/* Answers with the document in req->out as the download jobtrack-NAME.EXT. */
static void answer_download(struct request *req, enum table_format format, const char *name)
{
	char *cd = arena_printf(&req->arena, "attachment; filename=\"jobtrack-%s.%s\"", name, table_extension(format));
	if (cd)
		resp_header(req, "Content-Disposition", cd);
	resp_header(req, "Cache-Control", "private, no-store");
	req->status = 200;
	req->content_type = table_mime(format);
	req->responded = 1;
}

static void export_failed(struct request *req, const char *err)
{
	buf_reset(&req->out);
	resp_error(req, 500, "export_failed", err, NULL);
}

void export_io_apps(struct request *req, enum table_format format)
{
	struct table *t;
	char err[256];
	struct buf *out = &req->out;
	if (table_begin(format, "Applications", export_app_columns, EXPORT_APP_COLUMNS, out, &t, err, sizeof(err))) {
		export_failed(req, err);
		return;
	}
	struct app_filter f = { .sort = APP_SORT_CREATED_ASC, .limit = 500 };
	struct arena page;
	arena_init(&page, 0);
	int rc = 0;
	for (;;) {
		struct application *items;
		size_t n;
		int64_t total;
		arena_reset(&page);
		rc = store_app_list(req->web->store, req->user.id, &f, &page, &items, &n, &total);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			struct table_cell cells[EXPORT_APP_COLUMNS];
			export_app_cells(&items[i], &page, cells);
			table_row(t, cells);
		}
		f.offset += (int64_t)n;
		if (rc || n == 0 || f.offset >= total)
			break;
	}
	arena_free(&page);
	if (rc) {
		table_abort(t);
		buf_reset(out);
		resp_store_error(req, rc);
		return;
	}
	if (table_end(t, err, sizeof(err))) {
		export_failed(req, err);
		return;
	}
	answer_download(req, format, "applications");
}

/* Runs the search page by page into t; *total gets every match's count.
 * Returns the search's status (a negative errno); a store failure reading
 * a posting stops it with *store_rc set. */
static int search_into(struct request *req, struct search_params *sp, struct table *t, uint64_t *total, size_t *written,
		       int *store_rc)
{
	struct search_request *sr = &sp->req;
	sr->facets = false;
	sr->offset = 0;
	sr->limit = SEARCH_QUERY_LIMIT_MAX;
	sr->after = (struct search_cursor){ 0 };
	struct arena page;
	arena_init(&page, 0);
	int rc = 0;
	*written = 0;
	while (*written < EXPORT_SEARCH_MAX) {
		struct search_result res;
		arena_reset(&page);
		rc = search_service_search(req->web->search, sr, &page, &res);
		if (rc)
			break;
		*total = res.total;
		for (size_t i = 0; i < res.nhits && *written < EXPORT_SEARCH_MAX; i++) {
			struct store_posting p;
			int src = store_posting_get(req->web->store, res.hits[i].posting_id, &page, &p, NULL, NULL);
			if (src == STORE_NOTFOUND)
				continue;
			if (src) {
				*store_rc = src;
				goto out;
			}
			struct table_cell cells[EXPORT_POSTING_COLUMNS];
			export_posting_cells(&p, &page, cells);
			table_row(t, cells);
			(*written)++;
		}
		if (!res.next.set || res.nhits == 0)
			break;
		sr->after = res.next;
	}
out:
	arena_free(&page);
	return rc;
}

void export_io_postings(struct request *req, enum table_format format)
{
	struct search_params sp;
	struct search_service *svc = req->web->search;
	if (search_query_parse(req, svc, SEARCH_QUERY_LIMIT_MAX, &sp)) {
		resp_error(req, 400, "bad_query", sp.message, sp.bad_field);
		return;
	}
	if (!svc) {
		resp_header(req, "Retry-After", "1");
		resp_error(req, 503, "search_starting", "The search index is still being built; try again shortly.",
			   NULL);
		return;
	}
	struct table *t;
	char err[256];
	if (table_begin(format, "Postings", export_posting_columns, EXPORT_POSTING_COLUMNS, &req->out, &t, err,
			sizeof(err))) {
		export_failed(req, err);
		return;
	}
	uint64_t total = 0;
	size_t written = 0;
	int store_rc = 0;
	int rc = search_into(req, &sp, t, &total, &written, &store_rc);
	if (rc || store_rc) {
		table_abort(t);
		buf_reset(&req->out);
		if (rc == -EAGAIN) {
			resp_header(req, "Retry-After", "1");
			resp_error(req, 503, "search_starting",
				   "The search index is still being built; try again shortly.", NULL);
		} else if (rc == -E2BIG) {
			resp_error(req, 400, "bad_query",
				   "A prefix in the search matches too many words; make it longer.", "q");
		} else if (store_rc) {
			resp_store_error(req, store_rc);
		} else {
			resp_error(req, 500, "search_failed", "The search failed.", NULL);
		}
		return;
	}
	if (table_end(t, err, sizeof(err))) {
		export_failed(req, err);
		return;
	}
	char n[48];
	snprintf(n, sizeof(n), "%llu", (unsigned long long)total);
	resp_header(req, "X-Total-Count", n);
	snprintf(n, sizeof(n), "%zu", written);
	resp_header(req, "X-Exported-Count", n);
	answer_download(req, format, "postings");
}
