/* The postings pages: every user's list of scraped postings, one posting
 * with its sanitised description, and "Save to tracker". */
#include <ctype.h>
#include <string.h>

#include "base/timefmt.h"
#include "scrape/sanitize.h"
#include "scrape/source.h"
#include "tracker/service.h"
#include "web/handlers.h"
#include "web/pages/view_model.h"
#include "web/posting_query.h"
#include "web/session.h"
#include "web/tracker_call.h"
#include "web/view.h"
#include "web/web.h"

#define POSTINGS_PER_PAGE 25

/* "90,000–120,000 EUR / year", as the tracker writes salaries. */
static void salary_text(const struct store_posting *p, char *out, size_t outlen)
{
	char period[8] = "";
	if (p->salary_period) {
		size_t i = 0;
		for (; p->salary_period[i] && i + 1 < sizeof(period); i++)
			period[i] = (char)tolower((unsigned char)p->salary_period[i]);
		period[i] = '\0';
	}
	struct application app = {
		.has_salary_min =
		    p->salary_min > 0 &&
		    p->salary_min<1e15, .salary_min = (int64_t)p->salary_min, .has_salary_max = p->salary_max> 0 &&
		    p->salary_max < 1e15,
		.salary_max = (int64_t)p->salary_max,
		.salary_currency = (char *)p->salary_currency,
		.salary_period = period,
	};
	vm_salary(&app, out, outlen);
}

static json_t *sources_json(const struct posting_source *ls, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct source_adapter *ad = source_adapter_find(ls[i].source);
		json_t *o = json_object();
		vm_set_str(o, "label", ad ? ad->label : ls[i].source);
		/* Set even when absent: Mustache would find the posting's own. */
		json_object_set_new(o, "url", ls[i].url ? json_string(ls[i].url) : json_false());
		json_object_set_new(o, "closed", json_boolean(ls[i].closed_at != 0));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* The credits feeds' terms require, linking back to their listing. */
static json_t *attribution_json(const struct posting_source *ls, size_t n, const char *fallback_url)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct source_adapter *ad = source_adapter_find(ls[i].source);
		if (!ad || !ad->attribution)
			continue;
		json_t *o = json_object();
		vm_set_str(o, "text", ad->attribution);
		const char *url = ls[i].url ? ls[i].url : fallback_url;
		json_object_set_new(o, "url", url ? json_string(url) : json_false());
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *posting_summary(const struct store_posting *p, time_t now)
{
	json_t *o = json_object();
	char salary[128], rel[48], iso[TIMEFMT_ISO_LEN];
	json_object_set_new(o, "id", json_integer(p->id));
	vm_set_str(o, "title", p->title && *p->title ? p->title : "Untitled position");
	vm_set_str(o, "company", p->company);
	vm_set_str(o, "location", p->location_raw);
	salary_text(p, salary, sizeof(salary));
	vm_set_str(o, "salary", salary);
	vm_set_str(o, "date_posted", p->date_posted);
	timefmt_relative((time_t)p->first_seen, now, rel, sizeof(rel));
	timefmt_iso((time_t)p->first_seen, iso);
	vm_set_str(o, "found_rel", rel);
	vm_set_str(o, "found_iso", iso);
	if (p->closed_at)
		json_object_set_new(o, "closed", json_true());
	return o;
}

/* GET /postings?cursor=&limit= */
void page_postings(struct request *req)
{
	struct posting_filter f;
	const char *bad_field, *bad_msg;
	if (posting_query_parse(req, POSTINGS_PER_PAGE, &f, &bad_field, &bad_msg)) {
		session_page_error(req, 400, bad_msg);
		return;
	}
	struct store *s = req->web->store;
	struct store_posting *items;
	size_t n;
	struct posting_cursor next;
	int64_t total = 0;
	int rc = store_posting_list(s, &f, &req->arena, &items, &n, &next);
	if (rc == 0)
		rc = store_posting_count(s, &f, &total);
	json_t *ctx = json_object();
	json_t *rows = json_array();
	time_t now = time(NULL);
	struct posting_source_group *ls = NULL;
	if (rc == 0)
		rc = posting_page_sources(s, items, n, &req->arena, &ls);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		json_t *o = posting_summary(&items[i], now);
		json_object_set_new(o, "sources", sources_json(ls[i].items, ls[i].n));
		json_object_set_new(o, "attribution", attribution_json(ls[i].items, ls[i].n, items[i].url));
		json_array_append_new(rows, o);
	}
	if (rc) {
		json_decref(rows);
		json_decref(ctx);
		session_store_error(req, rc, "The postings could not be loaded; try again.");
		return;
	}
	json_object_set_new(ctx, "items", rows);
	vm_set_count(ctx, "total_label", total, NULL);
	if (!total)
		json_object_set_new(ctx, "empty", json_true());
	char *cursor = posting_cursor_format(req, &next);
	if (cursor && n)
		vm_set_str(ctx, "next_url",
			   arena_printf(&req->arena, "/postings?cursor=%s&limit=%lld", cursor, (long long)f.limit));
	if (f.after.id)
		vm_set_str(ctx, "first_url", "/postings");
	json_object_set_new(ctx, "nav_postings", json_true());
	view_render(req, 200, "postings", "Postings", ctx);
}

/* GET /postings/{id} */
void page_posting(struct request *req)
{
	struct store_posting p;
	struct posting_source *ls;
	size_t n;
	int rc = store_posting_get(req->web->store, req->params[0], &req->arena, &p, &ls, &n);
	if (rc) {
		session_store_error(req, rc, "There is no such posting.");
		return;
	}
	json_t *ctx = json_object();
	json_t *o = posting_summary(&p, time(NULL));
	/* Ingest sanitised it; the page does again rather than trust the store. */
	struct sanitized san = { .html = "" };
	if (p.description_html && sanitize_html(&req->arena, p.description_html, strlen(p.description_html), &san))
		san.html = "";
	vm_set_str(o, "description_html", san.html);
	vm_set_str(o, "valid_through", p.valid_through);
	vm_set_str(o, "url", p.url);
	vm_set_str(o, "apply_url", p.apply_url);
	vm_set_str(o, "workplace", p.workplace);
	if (p.closed_at) {
		char date[TIMEFMT_DATE_LEN];
		timefmt_date((time_t)p.closed_at, date);
		vm_set_str(o, "closed_on", date);
	}
	json_object_set_new(o, "sources", sources_json(ls, n));
	json_t *attr = attribution_json(ls, n, p.url);
	if (json_array_size(attr))
		json_object_set_new(o, "has_attribution", json_true());
	json_object_set_new(o, "attribution", attr);
	json_object_set_new(ctx, "posting", o);
	struct application saved;
	if (store_app_by_posting(req->web->store, req->user.id, p.id, &req->arena, &saved) == 0)
		json_object_set_new(ctx, "saved_app_id", json_integer(saved.id));
	json_object_set_new(ctx, "nav_postings", json_true());
	view_render(req, 200, "posting", p.title && *p.title ? p.title : "Posting", ctx);
}

/* POST /postings/{id}/save — to the application (made now, or before). */
void page_posting_save(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	struct application app;
	int created;
	int rc = tracker_app_save_posting(&call, req->params[0], &app, &created);
	if (rc) {
		session_store_error(req, rc, "There is no such posting.");
		return;
	}
	if (created)
		session_flash(req, "posting_saved");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld", (long long)app.id));
}
