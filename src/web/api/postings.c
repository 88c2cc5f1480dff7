/* /api/v1/postings — the instance's scraped postings, for every signed-in
 * user: the newest-first listing and ranked search with filters and facets
 * (both from the index, search/service.h), one posting, and "save to
 * tracker". */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/json_out.h"
#include "scrape/sanitize.h"
#include "web/api/row_version.h"
#include "web/api/scrape_json.h"
#include "web/api/serialize.h"
#include "web/handlers.h"
#include "web/posting_query.h"
#include "web/search_query.h"
#include "web/server_timing.h"
#include "web/tracker_call.h"
#include "web/web.h"

/* One hit: the posting's listing shape plus its score and snippet. */
static int write_hit(struct request *req, const struct search_params *sp, const struct search_hit *h,
		     struct store_posting p, const struct posting_source_group *ls, struct buf *b)
{
	int rc;
	const char *text = p.description_text;
	p.description_html = p.description_text = NULL; /* the listing shape */
	size_t start = b->len;
	scrape_json_posting(b, &p, ls->items, ls->n, NULL);
	if (b->error || b->len == start || b->data[b->len - 1] != '}')
		return STORE_ERROR;
	b->len--; /* reopen the object for score and snippet */
	buf_printf(b, ",\"score\":%.6g", (double)h->score);
	JSON_OUT_KEY(b, "snippet");
	struct buf snip;
	buf_init(&snip, 64 * 1024);
	rc = search_service_snippet(req->web->search, &sp->query, text, &snip);
	json_out_stringn(b, snip.data ? snip.data : "", snip.len);
	buf_free(&snip);
	buf_putc(b, '}');
	return rc ? STORE_ERROR : 0;
}

/* GET /api/v1/postings?q=&filters… — ranked search in the index. With no
 * query nor filter too: every listing then has the one order (newest
 * posted first, search/params.h) and honours offset and cursor alike,
 * whether or not the caller hid something (web/search_query.c). With a
 * Server-Timing header: search (the query read and the index), store (the
 * page's postings read), render (JSON and snippets). */
void api_postings_list(struct request *req)
{
	struct server_timing timing;
	server_timing_start(&timing);
	struct search_params sp;
	struct search_service *svc = req->web->search;
	if (search_query_parse(req, svc, 50, &sp)) {
		resp_error(req, 400, "bad_query", sp.message, sp.bad_field);
		return;
	}
	const char *cur = http_query(req, "cursor");
	if (cur && *cur && cur[0] != 'i') {
		resp_error(req, 400, "bad_query", "cursor must be a next_cursor value from an earlier page.", "cursor");
		return;
	}
	struct search_result res;
	int rc = search_service_search(svc, &sp.req, &req->arena, &res);
	if (rc == -EAGAIN || !svc) {
		resp_header(req, "Retry-After", "1");
		resp_error(req, 503, "search_starting", "The search index is still being built; try again shortly.",
			   NULL);
		return;
	}
	if (rc == -E2BIG) {
		resp_error(req, 400, "bad_query", "A prefix in the search matches too many words; make it longer.",
			   "q");
		return;
	}
	if (rc) {
		resp_error(req, 500, "search_failed", "The search failed.", NULL);
		return;
	}
	server_timing_mark(&timing, "search");
	struct store_posting *ps = NULL;
	struct posting_source_group *ls = NULL;
	rc = search_hits_load(req, &res, &ps, &ls);
	server_timing_mark(&timing, "store");
	struct buf *b = &req->out;
	buf_puts(b, "{\"items\":[");
	size_t written = 0;
	for (size_t i = 0; rc == 0 && i < res.nhits; i++) {
		if (!ps[i].id) /* postings are never deleted; tolerate a racing reset all the same */
			continue;
		if (written)
			buf_putc(b, ',');
		rc = write_hit(req, &sp, &res.hits[i], ps[i], &ls[i], b);
		written++;
	}
	if (rc) {
		buf_reset(b);
		resp_store_error(req, rc);
		return;
	}
	buf_printf(b, "],\"total\":%llu,\"limit\":%d", (unsigned long long)res.total, sp.req.limit);
	JSON_OUT_KEY(b, "next_cursor");
	json_out_string(b, search_cursor_format(req, &res.next));
	JSON_OUT_KEY(b, "facets");
	search_facets_json(b, &res.facets);
	buf_putc(b, '}');
	server_timing_mark(&timing, "render");
	server_timing_header(req, &timing);
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
