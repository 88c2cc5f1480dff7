/* The postings pages: every user's list of scraped postings (newest first,
 * or searched: a GET form with filters, highlighted snippets and facet
 * counts, so the URL is the search and it works without JavaScript), one
 * posting with its sanitised description, and "Save to tracker". */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/timefmt.h"
#include "scrape/posting.h"
#include "scrape/sanitize.h"
#include "search/service.h"
#include "scrape/source.h"
#include "tracker/service.h"
#include "web/handlers.h"
#include "web/pages/saved_searches.h"
#include "web/pages/view_model.h"
#include "web/posting_query.h"
#include "web/search_query.h"
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
		/* false, not absent: the templates then leave the link out and
		 * show the text plain (absent, Mustache would find the posting's). */
		json_object_set_new(o, "url", url && *url ? json_string(url) : json_false());
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
	if (p->repost_count > 0) { /* store.h: the job put up again under a new id */
		char label[48], date[TIMEFMT_DATE_LEN];
		if (p->repost_count == 1)
			snprintf(label, sizeof(label), "Reposted");
		else
			snprintf(label, sizeof(label), "Reposted %lld times, last", (long long)p->repost_count);
		timefmt_date((time_t)p->reposted_at, date);
		vm_set_str(o, "reposted_label", label);
		vm_set_str(o, "reposted_on", date);
	}
	return o;
}

/* The search form's parameters, in form order (the facet links and the
 * pager rebuild the URL from them). */
static const char *const search_keys[] = { "q",          "workplace", "country",         "city",
					   "min_salary", "currency",  "employment_type", "posted_within_days",
					   "source",     "company",   "status",          "sort" };
#define NSEARCH_KEYS (sizeof(search_keys) / sizeof(search_keys[0]))

/* "/postings?k=v&…" with the current search's parameters but omit (NULL:
 * none), ending so that "k=v" can follow. */
static const char *search_url(struct request *req, const char *omit)
{
	struct buf b;
	buf_init(&b, 8192);
	buf_puts(&b, "/postings?");
	for (size_t i = 0; i < NSEARCH_KEYS; i++) {
		const char *v = http_query(req, search_keys[i]);
		if (!v || !*v || (omit && strcmp(omit, search_keys[i]) == 0))
			continue;
		buf_printf(&b, "%s=", search_keys[i]);
		vm_put_query_value(&b, v);
		buf_putc(&b, '&');
	}
	char *out = arena_strndup(&req->arena, b.data ? b.data : "/postings?", b.data ? b.len : 10);
	buf_free(&b);
	return out ? out : "/postings?";
}

/* One facet as [{label, count, url, selected}] for the sidebar; labels
 * NULL: the values are the labels. */
static json_t *facet_json(struct request *req, const char *key, const char *const *values, const char *const *labels,
			  const uint32_t *counts, size_t n)
{
	json_t *arr = json_array();
	const char *base = search_url(req, key);
	const char *current = http_query(req, key);
	for (size_t i = 0; i < n; i++) {
		if (!counts[i] || !values[i])
			continue;
		struct buf b;
		buf_init(&b, 8192);
		buf_printf(&b, "%s%s=", base, key);
		vm_put_query_value(&b, values[i]);
		json_t *o = json_object();
		vm_set_str(o, "label", labels ? labels[i] : values[i]);
		json_object_set_new(o, "count", json_integer(counts[i]));
		vm_set_str(o, "url", b.data ? arena_strndup(&req->arena, b.data, b.len) : NULL);
		if (current && strcasecmp(current, values[i]) == 0)
			json_object_set_new(o, "selected", json_true());
		buf_free(&b);
		json_array_append_new(arr, o);
	}
	return arr;
}

/* Sets key to arr, and has_<key> when it has any (Mustache cannot ask an array). */
static void set_facet(json_t *o, const char *key, json_t *arr)
{
	if (json_array_size(arr)) {
		char has[32];
		snprintf(has, sizeof(has), "has_%s", key);
		json_object_set_new(o, has, json_true());
	}
	json_object_set_new(o, key, arr);
}

static json_t *facets_view(struct request *req, const struct search_facets *f)
{
	json_t *o = json_object();
	const char *names[EMPLOYMENT_TYPE_COUNT > 4 ? EMPLOYMENT_TYPE_COUNT : 4];
	uint32_t counts[SEARCH_FACET_TOP > 8 ? SEARCH_FACET_TOP : 8];
	for (int w = 0; w < 4; w++) {
		names[w] = w ? workplace_name((enum workplace)w) : NULL;
		counts[w] = f->workplace[w];
	}
	set_facet(o, "workplace", facet_json(req, "workplace", names, NULL, counts, 4));
	for (int i = 0; i < EMPLOYMENT_TYPE_COUNT; i++) {
		names[i] = employment_type_name((enum employment_type)(1u << i));
		counts[i] = f->employment_type[i];
	}
	json_object_set_new(o, "employment_type",
			    facet_json(req, "employment_type", names, NULL, counts, EMPLOYMENT_TYPE_COUNT));
	const struct {
		const char *key;
		const struct facet_count *c;
		size_t n;
	} lists[] = { { "country", f->country, f->ncountry },
		      { "source", f->source, f->nsource },
		      { "company", f->company, f->ncompany },
		      { "city", f->city, f->ncity } };
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		const char *vals[SEARCH_FACET_TOP];
		size_t n = lists[l].n < SEARCH_FACET_TOP ? lists[l].n : SEARCH_FACET_TOP;
		for (size_t i = 0; i < n; i++) {
			vals[i] = lists[l].c[i].value;
			counts[i] = lists[l].c[i].count;
		}
		set_facet(o, lists[l].key, facet_json(req, lists[l].key, vals, NULL, counts, n));
	}
	/* Bands: the link sets the filter value, the label says it in words. */
	static const char *const salaries[SEARCH_SALARY_BANDS] = { "40000",  "60000",  "80000", "100000",
								   "120000", "150000", "200000" };
	static const char *const salary_labels[SEARCH_SALARY_BANDS] = { "40,000 or more",  "60,000 or more",
									"80,000 or more",  "100,000 or more",
									"120,000 or more", "150,000 or more",
									"200,000 or more" };
	set_facet(o, "min_salary",
		  facet_json(req, "min_salary", salaries, salary_labels, f->salary, SEARCH_SALARY_BANDS));
	if (f->salary_none)
		json_object_set_new(o, "no_salary", json_integer(f->salary_none));
	static const char *const days[SEARCH_POSTED_BANDS] = { "1", "3", "7", "14", "30" };
	static const char *const day_labels[SEARCH_POSTED_BANDS] = { "1 day", "3 days", "7 days", "14 days",
								     "30 days" };
	set_facet(o, "posted_within_days",
		  facet_json(req, "posted_within_days", days, day_labels, f->posted_within, SEARCH_POSTED_BANDS));
	static const char *const statuses[] = { "open", "closed" };
	set_facet(o, "status", facet_json(req, "status", statuses, NULL, f->status, 2));
	return o;
}

/* The form's current values, for the inputs and the selected options. */
static void form_values(struct request *req, json_t *ctx)
{
	json_object_set_new(ctx, "form", vm_query_form(req, search_keys, NSEARCH_KEYS));
	saved_box_view(req, ctx, 1);
}

/* GET /postings?q=&filters… — the search (search/service.h). browse: no
 * query nor filter, the plain list by date posted; while the index is still
 * being built it answers -EAGAIN, rendering nothing, for the store's list. */
static int page_postings_search(struct request *req, struct search_params *sp, json_t *ctx, bool browse)
{
	struct search_result res;
	int rc = search_service_search(req->web->search, &sp->req, &req->arena, &res);
	if (rc == -EAGAIN && browse)
		return rc;
	if (rc == -EAGAIN) {
		resp_header(req, "Retry-After", "1");
		vm_set_str(ctx, "search_error",
			   "Search is starting up (the index is still being built); try again in a moment.");
		json_object_set_new(ctx, "empty_search", json_true());
		json_object_set_new(ctx, "nav_postings", json_true());
		view_render(req, 503, "postings", "Postings", ctx);
		return 0;
	}
	if (rc) {
		vm_set_str(ctx, "search_error",
			   rc == -E2BIG ? "A prefix in the search matches too many words; make it longer."
					: "The search failed; try again.");
		json_object_set_new(ctx, "empty_search", json_true());
		json_object_set_new(ctx, "nav_postings", json_true());
		view_render(req, rc == -E2BIG ? 400 : 500, "postings", "Postings", ctx);
		return 0;
	}
	json_t *rows = json_array();
	time_t now = time(NULL);
	struct buf snip;
	buf_init(&snip, 64 * 1024);
	struct store_posting *ps = NULL;
	struct posting_source_group *lss = NULL;
	rc = search_hits_load(req, &res, &ps, &lss);
	for (size_t i = 0; rc == 0 && i < res.nhits; i++) {
		const struct store_posting p = ps[i];
		const struct posting_source *ls = lss[i].items;
		size_t n = lss[i].n;
		if (!p.id)
			continue;
		json_t *o = posting_summary(&p, now);
		json_object_set_new(o, "sources", sources_json(ls, n));
		json_object_set_new(o, "attribution", attribution_json(ls, n, p.url));
		buf_reset(&snip);
		/* Escaped HTML with <mark> only (search/snippet.h): rendered raw. */
		if (search_service_snippet(req->web->search, &sp->query, p.description_text, &snip) == 0 && snip.len)
			vm_set_str(o, "snippet_html", arena_strndup(&req->arena, snip.data, snip.len));
		json_array_append_new(rows, o);
	}
	buf_free(&snip);
	if (rc) {
		json_decref(rows);
		json_decref(ctx);
		session_store_error(req, rc, "The postings could not be loaded; try again.");
		return 0;
	}
	json_object_set_new(ctx, "items", rows);
	vm_set_str(ctx, "back_url", search_url(req, NULL)); /* hide buttons come back to this search */
	if (!browse)
		json_object_set_new(ctx, "searching", json_true());
	vm_set_str(ctx, "total_label",
		   arena_printf(&req->arena, "%llu %sposting%s", (unsigned long long)res.total,
				browse ? "" : "matching ", res.total == 1 ? "" : "s"));
	if (!res.total)
		json_object_set_new(ctx, browse ? "empty" : "empty_search", json_true());
	json_object_set_new(ctx, "facets", facets_view(req, &res.facets));
	char *cursor = search_cursor_format(req, &res.next);
	if (cursor && res.nhits) {
		struct buf b;
		buf_init(&b, 8192);
		buf_printf(&b, "%scursor=", search_url(req, NULL));
		vm_put_query_value(&b, cursor);
		buf_printf(&b, "&limit=%d", sp->req.limit);
		vm_set_str(ctx, "next_url", b.data ? arena_strndup(&req->arena, b.data, b.len) : NULL);
		buf_free(&b);
	}
	if (sp->req.after.set) {
		const char *first = search_url(req, NULL);
		vm_set_str(ctx, "first_url", arena_strndup(&req->arena, first, strlen(first) - 1));
	}
	json_object_set_new(ctx, "nav_postings", json_true());
	view_render(req, 200, "postings", "Postings", ctx);
	return 0;
}

/* GET /postings?cursor=&limit=, or with q and filters a search. */
void page_postings(struct request *req)
{
	struct search_params sp;
	json_t *sctx = json_object();
	form_values(req, sctx);
	if (search_query_parse(req, req->web->search, POSTINGS_PER_PAGE, &sp)) {
		vm_set_str(sctx, "search_error", sp.message);
		json_object_set_new(sctx, "empty_search", json_true());
		json_object_set_new(sctx, "searching", json_true());
		json_object_set_new(sctx, "nav_postings", json_true());
		view_render(req, 400, "postings", "Postings", sctx);
		return;
	}
	/* The select shows the order the page is in: with no word to rank by
	 * the default is by date (search/params.h), and says so; it stays the
	 * default, so words typed next rank by best match. */
	if (!sp.sort_given && sp.req.sort == SEARCH_SORT_DATE)
		json_object_set_new(sctx, "sort_default_date", json_true());
	if (sp.q || sp.any_filter) {
		page_postings_search(req, &sp, sctx, false);
		return;
	}
	/* No query: newest posted first, from the index (the store lists by
	 * when first seen), or the store's list while the index is built. */
	if (page_postings_search(req, &sp, sctx, true) == 0)
		return;
	json_decref(sctx);
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
	form_values(req, ctx);
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
	vm_set_str(ctx, "back_url", "/postings");
	vm_set_str(ctx, "total_label",
		   arena_printf(&req->arena, "%lld posting%s", (long long)total, total == 1 ? "" : "s"));
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
