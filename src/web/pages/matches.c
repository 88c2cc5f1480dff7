/* GET /resumes/{id}/matches — the open postings that best match one of the
 * signed-in user's resumes, best first: score (in words and a meter),
 * title, company, place, and the top matched and missing skills; a GET form
 * with the search's filters, so the URL is the ranking and it works
 * without JavaScript. The Resumes page links here. */
#include <stdio.h>
#include <string.h>

#include "scan/best_report.h"
#include "web/handlers.h"
#include "web/matches_call.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/view.h"
#include "web/web.h"

static const char *const filter_keys[] = { "q",          "workplace",       "country",
					   "min_salary", "employment_type", "posted_within_days",
					   "company",    "source",          "limit" };
#define NFILTER_KEYS (sizeof(filter_keys) / sizeof(filter_keys[0]))

static json_t *skills_view(const struct scan_result *res, int matched)
{
	const char *names[BEST_SKILLS_SHOWN];
	size_t n = scan_match_skills(res, matched, names, BEST_SKILLS_SHOWN);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(names[i]));
	return arr;
}

static json_t *items_view(const struct best_result *r)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const struct scan_match *m = &r->matches[i];
		const struct store_posting *p = &r->postings[i];
		json_t *o = json_object();
		char score[16];
		snprintf(score, sizeof(score), "%.0f", m->score);
		json_object_set_new(o, "posting_id", json_integer(m->posting_id));
		vm_set_str(o, "score", score);
		vm_set_str(o, "title",
			   p->title && *p->title ? p->title
			   : m->jd.title[0]      ? m->jd.title
						 : "Untitled position");
		vm_set_str(o, "company", p->company);
		vm_set_str(o, "location", p->location_raw);
		json_t *matched = skills_view(&m->res, 1), *missing = skills_view(&m->res, 0);
		json_object_set_new(o, "has_matched", json_boolean(json_array_size(matched) > 0));
		json_object_set_new(o, "has_missing", json_boolean(json_array_size(missing) > 0));
		json_object_set_new(o, "matched", matched);
		json_object_set_new(o, "missing", missing);
		json_array_append_new(rows, o);
	}
	return rows;
}

void page_resume_matches(struct request *req)
{
	struct store_resume meta;
	int rc = store_resume_get(req->web->store, req->user.id, req->params[0], &req->arena, &meta);
	if (rc == STORE_NOTFOUND) {
		session_page_error(req, 404, "There is no such resume.");
		return;
	}
	if (rc) {
		session_store_error(req, rc, "The resume could not be loaded; try again.");
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "resume_id", json_integer(meta.id));
	vm_set_str(ctx, "resume_name", meta.name);
	json_object_set_new(ctx, "form", vm_query_form(req, filter_keys, NFILTER_KEYS));
	struct search_params sp;
	struct best_result res;
	struct matches_failure why;
	int status = 200;
	if (matches_call(req, &sp, &res, &why)) {
		status = why.status;
		if (status == 503)
			resp_header(req, "Retry-After", "1");
		vm_set_str(ctx, "error", why.message);
	} else {
		vm_set_str(ctx, "total_label",
			   arena_printf(&req->arena, "The %zu best of %llu open posting%s%s, by match score", res.n,
					(unsigned long long)res.candidates, res.candidates == 1 ? "" : "s",
					sp.q || sp.any_filter ? " passing the filters" : ""));
		json_object_set_new(ctx, "items", items_view(&res));
		json_object_set_new(ctx, res.n ? "has_items" : "empty", json_true());
	}
	if (sp.q || sp.any_filter)
		json_object_set_new(ctx, "filtered", json_true());
	view_render(req, status, "matches", "Best matches", ctx);
}
