/* /api/v1/postings — the instance's scraped postings, for every signed-in
 * user, and "save to tracker". */
#include <stdio.h>
#include <string.h>

#include "base/json_out.h"
#include "scrape/sanitize.h"
#include "web/api/row_version.h"
#include "web/api/scrape_json.h"
#include "web/api/serialize.h"
#include "web/handlers.h"
#include "web/posting_query.h"
#include "web/tracker_call.h"
#include "web/web.h"

/* GET /api/v1/postings?limit=&cursor=&include_closed= — newest first. */
void api_postings_list(struct request *req)
{
	struct posting_filter f;
	const char *bad_field, *bad_msg;
	if (posting_query_parse(req, 50, &f, &bad_field, &bad_msg)) {
		resp_error(req, 400, "bad_query", bad_msg, bad_field);
		return;
	}
	struct store *s = req->web->store;
	struct store_posting *items;
	size_t n;
	struct posting_cursor next;
	int64_t total;
	int rc = store_posting_list(s, &f, &req->arena, &items, &n, &next);
	if (rc == 0)
		rc = store_posting_count(s, &f, &total);
	struct posting_source_group *ls = NULL;
	if (rc == 0)
		rc = posting_page_sources(s, items, n, &req->arena, &ls);
	struct buf *b = &req->out;
	buf_puts(b, "{\"items\":[");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (i)
			buf_putc(b, ',');
		scrape_json_posting(b, &items[i], ls[i].items, ls[i].n, NULL);
	}
	if (rc) {
		buf_reset(b);
		resp_store_error(req, rc);
		return;
	}
	buf_printf(b, "],\"total\":%lld,\"limit\":%lld", (long long)total, (long long)f.limit);
	JSON_OUT_KEY(b, "next_cursor");
	json_out_string(b, posting_cursor_format(req, &next));
	buf_putc(b, '}');
	resp_header(req, "Cache-Control", "private, no-cache");
	resp_json(req, 200);
}

/* GET /api/v1/postings/{id} — with its sanitised description and every listing. */
void api_postings_get(struct request *req)
{
	struct store_posting p;
	struct posting_source *ls;
	size_t n;
	int rc = store_posting_get(req->web->store, req->params[0], &req->arena, &p, &ls, &n);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	/* Ingest sanitised it already; the store is not trusted to hold only
	 * what ingest wrote, so the page and the API sanitise again. */
	struct sanitized san = { .html = "" };
	if (p.description_html && sanitize_html(&req->arena, p.description_html, strlen(p.description_html), &san))
		san.html = "";
	scrape_json_posting(&req->out, &p, ls, n, san.html);
	row_version_etag(req, p.version);
	resp_json(req, 200);
}

/* POST /api/v1/postings/{id}/save — the caller's application for the
 * posting: 201 when made now, 200 when it was saved before. */
void api_postings_save(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	struct application app;
	int created;
	int rc = tracker_app_save_posting(&call, req->params[0], &app, &created);
	if (rc) {
		row_version_error(req, rc);
		return;
	}
	char *loc = arena_printf(&req->arena, "/api/v1/applications/%lld", (long long)app.id);
	if (loc)
		resp_header(req, "Location", loc);
	buf_reset(&req->out);
	serialize_app(&req->out, &app);
	row_version_etag(req, app.version);
	resp_json(req, created ? 201 : 200);
}
