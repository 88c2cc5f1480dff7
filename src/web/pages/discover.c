/* The discovery pages: "Add a job by URL" (a form, and the confirm page
 * the bookmarklet opens), and hiding postings and companies from the
 * postings list (buttons on the list and the posting page; the settings
 * page lists them with "Unhide"). Every write is a POST form with the
 * session's CSRF token, so nothing here needs JavaScript, and no other site
 * can make a signed-in browser import or hide anything. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "discover/hidden.h"
#include "discover/import.h"
#include "search/service.h"
#include "web/discover_call.h"
#include "web/handlers.h"
#include "web/pages/discover.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/tracker_call.h"
#include "web/view.h"
#include "web/web.h"

#define BACK_MAX 4096

/* The bookmarklet: opens this server's confirm page for the page the
 * person is reading, in a new tab. The origin is the one the browser used
 * to reach this page (a Host of letters, digits, '.', '-', ':' and IPv6
 * brackets; anything else falls back to a relative link, which then only
 * works from this server's own pages). */
static const char *bookmarklet(struct request *req)
{
	const char *host = http_header(req, "Host");
	bool ok = host && *host && strlen(host) < 256;
	for (const char *p = host; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		     *p == '-' || *p == ':' || *p == '[' || *p == ']';
	return arena_printf(&req->arena,
			    "javascript:(function(){window.open('%s%s%s/postings/import?url='+encodeURIComponent("
			    "location.href),'_blank','noopener');})();",
			    ok ? (req->https ? "https://" : "http://") : "", ok ? host : "", "");
}

static void render_import(struct request *req, int status, const char *url, const struct import_result *r)
{
	json_t *ctx = json_object();
	vm_set_str(ctx, "url", url);
	vm_set_str(ctx, "bookmarklet", bookmarklet(req));
	if (url && *url && !r)
		json_object_set_new(ctx, "confirm", json_true());
	if (r && r->status != IMPORT_OK) {
		vm_set_str(ctx, "import_error", r->message);
		if (r->status == IMPORT_NO_POSTING && r->have_facts) {
			const struct page_facts *f = &r->facts;
			json_t *found = json_array();
			if (f->title[0])
				json_array_append_new(found, json_sprintf("Page title: “%s”", f->title));
			json_array_append_new(found, json_sprintf("JSON-LD blocks: %u", f->jsonld_blocks));
			for (size_t i = 0; i < f->ntypes; i++)
				json_array_append_new(found, json_sprintf("Structured data of type %s", f->types[i]));
			json_array_append_new(
			    found, json_string(f->microdata ? "Microdata: yes, but no JobPosting" : "Microdata: none"));
			if (r->postings_found)
				json_array_append_new(found, json_sprintf("Postings listed: %zu", r->postings_found));
			json_object_set_new(ctx, "found", found);
		}
	}
	json_object_set_new(ctx, "nav_postings", json_true());
	view_render(req, status, "import", "Add a job by URL", ctx);
}

/* GET /postings/import[?url=] — the form; with url (the bookmarklet's) a
 * confirm page: nothing is fetched until the person presses the button. */
void page_import(struct request *req)
{
	const char *url = http_query(req, "url");
	if (url && (strlen(url) > IMPORT_URL_MAX || !text_utf8_valid(url, strlen(url))))
		url = NULL;
	render_import(req, 200, url, NULL);
}

/* POST /postings/import: url — to the application on success; the form
 * again, saying why, otherwise. */
void page_import_post(struct request *req)
{
	const char *url = http_form(req, "url");
	struct tracker_call call = tracker_call_of(req);
	struct import_options opt = import_options_of(req);
	struct import_result r;
	if (import_url(&call, url ? url : "", &opt, &r)) {
		session_page_error(req, 500, "Out of memory; try again.");
		return;
	}
	const char *code;
	int status = import_http_status(&r, &code);
	if (code) {
		if (r.status == IMPORT_TOO_MANY)
			resp_header(req, "Retry-After", "600");
		render_import(req, status, url, &r);
		return;
	}
	search_service_poke(req->web->search);
	session_flash(req, r.app_created ? "posting_imported" : "posting_saved");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld", (long long)r.app.id));
}

/* Where a hide button's form came from: a postings page of this server,
 * else the list. */
static const char *back_to(struct request *req)
{
	const char *back = http_form(req, "back");
	if (!back || strncmp(back, "/postings", 9) != 0 || strlen(back) > BACK_MAX || text_has_control(back) ||
	    strstr(back, "//") || strchr(back, '\\'))
		return "/postings";
	return back;
}

static void answer_hide(struct request *req, int rc, const char *flash)
{
	if (rc == STORE_CONFLICT) {
		session_page_error(req, 409,
				   "You have hidden as many postings or companies as jobtrack keeps; unhide "
				   "some in Settings first.");
		return;
	}
	if (rc == -EINVAL) {
		session_page_error(req, 422, "This posting names no company to hide.");
		return;
	}
	if (rc) {
		session_store_error(req, rc, "There is no such posting.");
		return;
	}
	session_flash(req, flash);
	resp_redirect(req, back_to(req));
}

/* POST /postings/{id}/hide */
void page_posting_hide(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	answer_hide(req, hidden_posting_hide(&call, req->params[0]), "posting_hidden");
}

/* POST /postings/{id}/hide-company — every posting of its company. */
void page_posting_hide_company(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	answer_hide(req, hidden_company_block_of(&call, req->params[0], NULL), "company_hidden");
}

static void answer_unhide(struct request *req, int rc)
{
	if (rc && rc != STORE_NOTFOUND) {
		session_store_error(req, rc, "That could not be shown again; try again.");
		return;
	}
	session_flash(req, "unhidden"); /* not hidden (any more) is what was asked */
	resp_redirect(req, "/settings#hidden");
}

/* POST /settings/hidden/postings/{id}/unhide */
void page_hidden_posting_unhide(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	answer_unhide(req, hidden_posting_unhide(&call, req->params[0]));
}

/* POST /settings/hidden/companies/unhide: company */
void page_hidden_company_unhide(struct request *req)
{
	const char *company = http_form(req, "company");
	struct tracker_call call = tracker_call_of(req);
	answer_unhide(req, hidden_company_unblock(&call, company ? company : ""));
}

int discover_hidden_view(struct request *req, json_t *ctx)
{
	struct tracker_call call = tracker_call_of(req);
	struct store_hidden h;
	int rc = hidden_list(&call, &h);
	if (rc)
		return rc;
	json_t *ps = json_array(), *cs = json_array();
	for (size_t i = 0; i < h.npostings; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(h.postings[i].posting_id));
		vm_set_str(o, "title",
			   h.postings[i].title && *h.postings[i].title ? h.postings[i].title : "Untitled position");
		/* Set even when absent: Mustache would find an outer one. */
		json_object_set_new(o, "company",
				    h.postings[i].company ? json_string(h.postings[i].company) : json_false());
		json_array_append_new(ps, o);
	}
	for (size_t i = 0; i < h.ncompanies; i++) {
		json_t *o = json_object();
		vm_set_str(o, "company", h.companies[i].company);
		json_array_append_new(cs, o);
	}
	if (h.npostings)
		json_object_set_new(ctx, "has_hidden_postings", json_true());
	if (h.ncompanies)
		json_object_set_new(ctx, "has_hidden_companies", json_true());
	if (h.npostings || h.ncompanies)
		json_object_set_new(ctx, "has_hidden", json_true());
	json_object_set_new(ctx, "hidden_postings", ps);
	json_object_set_new(ctx, "hidden_companies", cs);
	return 0;
}
