/* /api/v1/postings/import and /api/v1/hidden — "Add a job by URL", and the
 * postings and companies a user hid from their search results. Handlers
 * parse, call discover/, and answer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/json_out.h"
#include "discover/hidden.h"
#include "discover/import.h"
#include "search/service.h"
#include "web/api/scrape_json.h"
#include "web/api/serialize.h"
#include "web/discover_call.h"
#include "web/handlers.h"
#include "web/tracker_call.h"
#include "web/web.h"

static const char *const change_names[] = {
	[POSTING_UNCHANGED] = "unchanged", [POSTING_UPDATED] = "updated",   [POSTING_NEW] = "new",
	[POSTING_MERGED] = "merged",       [POSTING_REOPENED] = "reopened", [POSTING_REPOSTED] = "reposted",
};

/* POST /api/v1/postings/import {url} — 201 {posting, application, change}
 * when the application was made now, 200 when it existed; errors say why
 * (a 422 no_posting also says what the page showed, under "found"). */
void api_postings_import(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	json_t *url = json_object_get(body, "url");
	if (!json_is_string(url)) {
		resp_error(req, 422, "invalid_url", "url must be the address of a job posting's page.", "url");
		return;
	}
	struct tracker_call call = tracker_call_of(req);
	struct import_options opt = import_options_of(req);
	struct import_result r;
	if (import_url(&call, json_string_value(url), &opt, &r)) {
		resp_error(req, 500, "internal", "Out of memory.", NULL);
		return;
	}
	const char *code;
	int status = import_http_status(&r, &code);
	struct buf *b = &req->out;
	buf_reset(b);
	if (code) {
		if (r.status == IMPORT_TOO_MANY)
			resp_header(req, "Retry-After", "600");
		buf_puts(b, "{\"error\":{\"code\":");
		json_out_string(b, code);
		buf_puts(b, ",\"message\":");
		json_out_string(b, r.message);
		buf_puts(b, ",\"field\":\"url\"");
		if (r.status == IMPORT_NO_POSTING) {
			buf_puts(b, ",\"found\":");
			import_found_json(b, &r);
		}
		buf_puts(b, "}}");
		resp_json(req, status);
		return;
	}
	search_service_poke(req->web->search);
	struct store_posting p;
	struct posting_source *ls;
	size_t n;
	int rc = store_posting_get(req->web->store, r.posting_id, &req->arena, &p, &ls, &n);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	buf_puts(b, "{\"posting\":");
	p.description_html = p.description_text = NULL; /* the listing shape; GET /postings/{id} has the rest */
	scrape_json_posting(b, &p, ls, n, NULL);
	buf_puts(b, ",\"application\":");
	serialize_app(b, &r.app);
	buf_puts(b, ",\"change\":");
	json_out_string(b, change_names[r.change]);
	buf_puts(b, ",\"adapter\":");
	json_out_string(b, r.adapter);
	buf_putc(b, '}');
	char *loc = arena_printf(&req->arena, "/api/v1/applications/%lld", (long long)r.app.id);
	if (loc)
		resp_header(req, "Location", loc);
	resp_json(req, status);
}

/* GET /api/v1/hidden — {postings:[{posting_id,title,company,hidden_at}],
 * companies:[{company,hidden_at}]} */
void api_hidden_list(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	struct store_hidden h;
	int rc = hidden_list(&call, &h);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	struct buf *b = &req->out;
	buf_puts(b, "{\"postings\":[");
	for (size_t i = 0; i < h.npostings; i++) {
		buf_printf(b, "%s{\"posting_id\":%lld,\"title\":", i ? "," : "", (long long)h.postings[i].posting_id);
		json_out_string(b, h.postings[i].title);
		buf_puts(b, ",\"company\":");
		json_out_string(b, h.postings[i].company);
		buf_printf(b, ",\"hidden_at\":%lld}", (long long)h.postings[i].created_at);
	}
	buf_puts(b, "],\"companies\":[");
	for (size_t i = 0; i < h.ncompanies; i++) {
		buf_puts(b, i ? ",{\"company\":" : "{\"company\":");
		json_out_string(b, h.companies[i].company);
		buf_printf(b, ",\"hidden_at\":%lld}", (long long)h.companies[i].created_at);
	}
	buf_puts(b, "]}");
	resp_header(req, "Cache-Control", "private, no-cache");
	resp_json(req, 200);
}

static void answer_write(struct request *req, int rc, const char *what)
{
	if (rc == -EINVAL) {
		resp_error(req, 422, "invalid", what, "company");
	} else if (rc == STORE_CONFLICT) {
		resp_error(req, 409, "too_many_hidden",
			   arena_printf(&req->arena, "You may hide at most %d postings and %d companies; unhide some.",
					STORE_HIDDEN_MAX, STORE_HIDDEN_MAX),
			   NULL);
	} else if (rc) {
		resp_store_error(req, rc);
	} else {
		resp_text(req, 204, NULL, "", 0);
	}
}

/* POST /api/v1/hidden/postings {posting_id} — 204 (hidden again is fine). */
void api_hidden_posting_add(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	json_t *id = json_object_get(body, "posting_id");
	if (!json_is_integer(id) || json_integer_value(id) <= 0) {
		resp_error(req, 422, "invalid", "posting_id must be a posting's id.", "posting_id");
		return;
	}
	struct tracker_call call = tracker_call_of(req);
	answer_write(req, hidden_posting_hide(&call, json_integer_value(id)), "");
}

/* DELETE /api/v1/hidden/postings/{id} — 204, or 404 when it was not hidden. */
void api_hidden_posting_remove(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	answer_write(req, hidden_posting_unhide(&call, req->params[0]), "");
}

/* POST /api/v1/hidden/companies {company} — 204. */
void api_hidden_company_add(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	json_t *company = json_object_get(body, "company");
	struct tracker_call call = tracker_call_of(req);
	answer_write(req, json_is_string(company) ? hidden_company_block(&call, json_string_value(company)) : -EINVAL,
		     "company must be a company's name (1 to 200 bytes).");
}

/* DELETE /api/v1/hidden/companies?company=NAME — 204, or 404. */
void api_hidden_company_remove(struct request *req)
{
	const char *company = http_query(req, "company");
	struct tracker_call call = tracker_call_of(req);
	answer_write(req, hidden_company_unblock(&call, company ? company : ""), "");
}
