/* The admin's sources pages: every configured source with its health, the
 * add form (a pasted careers URL, or kind and target), enabling, running
 * now, and one source's edit form with its run history. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "base/timefmt.h"
#include "scrape/scheduler.h"
#include "scrape/source.h"
#include "scrape/source_service.h"
#include "web/handlers.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/source_health.h"
#include "web/view.h"
#include "web/web.h"

static int not_admin(struct request *req)
{
	if (req->user.is_admin)
		return 0;
	session_page_error(req, 403, "Only an admin can manage sources.");
	return 1;
}

static void set_time(json_t *o, const char *key, int64_t t, time_t now)
{
	if (!t)
		return;
	char rel[48], iso[TIMEFMT_ISO_LEN], k[64];
	timefmt_relative((time_t)t, now, rel, sizeof(rel));
	timefmt_iso((time_t)t, iso);
	snprintf(k, sizeof(k), "%s_rel", key);
	vm_set_str(o, k, rel);
	snprintf(k, sizeof(k), "%s_iso", key);
	vm_set_str(o, k, iso);
}

static json_t *run_json(struct request *req, const struct scrape_run *r, time_t now)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	vm_set_str(o, "status", r->status);
	/* Always set: Mustache would find the page's own message. */
	json_object_set_new(o, "message", r->message && *r->message ? json_string(r->message) : json_false());
	set_time(o, "started", r->started_at, now);
	set_time(o, "finished", r->finished_at, now);
	json_object_set_new(o, "pages", json_integer(r->counts.pages));
	json_object_set_new(o, "found", json_integer(r->counts.found));
	json_object_set_new(o, "new", json_integer(r->counts.new));
	json_object_set_new(o, "updated", json_integer(r->counts.updated));
	json_object_set_new(o, "errors", json_integer(r->counts.errors));
	json_object_set_new(o, "blocked", json_boolean(r->counts.blocked > 0));
	json_object_set_new(o, "blocked_requests", json_integer(r->counts.blocked));
	int running = strcmp(r->status, "running") == 0;
	json_object_set_new(o, "running", json_boolean(running));
	struct scrape_progress pr;
	if (running && req->web->scheduler && scrape_scheduler_progress(req->web->scheduler, r->id, &pr) == 0) {
		json_object_set_new(o, "requests_done", json_integer(pr.requests_done));
		json_object_set_new(o, "requests_total", json_integer(pr.requests_done + pr.requests_queued));
	}
	return o;
}

static json_t *source_json(struct request *req, const struct scrape_source *src, const struct source_health *h,
			   time_t now)
{
	const struct source_adapter *ad = source_adapter_find(src->kind);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(src->id));
	json_object_set_new(o, "version", json_integer(src->version));
	vm_set_str(o, "name", src->name);
	vm_set_str(o, "kind", src->kind);
	vm_set_str(o, "kind_label", ad ? ad->label : src->kind);
	vm_set_str(o, "target", src->target);
	json_object_set_new(o, "schedule", json_string(src->schedule ? src->schedule : ""));
	json_object_set_new(o, "has_schedule", json_boolean(src->schedule && *src->schedule));
	json_object_set_new(o, "config", json_string(src->config ? src->config : "{}"));
	json_object_set_new(o, "enabled", json_boolean(src->enabled));
	json_object_set_new(o, "managed_by_file", json_boolean(source_service_managed(src)));
	json_object_set_new(o, "jsonld", json_boolean(src->kind && strcmp(src->kind, "jsonld") == 0));
	json_object_set_new(o, "crawl", json_boolean(source_service_crawls(src)));
	json_object_set_new(o, "render", json_boolean(source_service_renders(src)));
	json_object_set_new(o, "off_by_default", json_boolean(ad && ad->off_by_default));
	vm_set_str(o, "terms", ad ? ad->terms : NULL);
	if (src->blocked_until > (int64_t)now) {
		json_object_set_new(o, "blocked", json_true());
		set_time(o, "blocked_until", src->blocked_until, now);
	}
	json_object_set_new(o, "last_success", h->last_success ? run_json(req, h->last_success, now) : json_false());
	json_object_set_new(o, "last_error", h->last_error ? run_json(req, h->last_error, now) : json_false());
	json_object_set_new(o, "running", json_boolean(h->last_run && strcmp(h->last_run->status, "running") == 0));
	if (h->last_success)
		json_object_set_new(o, "postings_found", json_integer(h->last_success->counts.found));
	return o;
}

static json_t *kind_options(const char *selected)
{
	size_t n;
	const struct source_adapter *const *all = source_adapters(&n);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s}", "value", all[i]->name, "label", all[i]->label);
		vm_set_str(o, "help", all[i]->target_help);
		if (all[i]->off_by_default)
			json_object_set_new(o, "off_by_default", json_true());
		if (selected && strcmp(selected, all[i]->name) == 0)
			json_object_set_new(o, "selected", json_true());
		json_array_append_new(arr, o);
	}
	return arr;
}

static struct source_service service(struct request *req)
{
	return (struct source_service){ .store = req->web->store, .scheduler = req->web->scheduler };
}

/* The form's fields as a source_input. Checkboxes: absent is off. */
static void form_input(struct request *req, struct source_input *in)
{
	memset(in, 0, sizeof(*in));
	in->name = http_form(req, "name");
	in->kind = http_form(req, "kind");
	in->target = http_form(req, "target");
	in->url = http_form(req, "url");
	in->schedule = http_form(req, "schedule");
	in->config = http_form(req, "config");
	if (in->kind && !*in->kind)
		in->kind = NULL;
	if (in->target && !*in->target)
		in->target = NULL;
	in->has_enabled = 1;
	in->enabled = http_form(req, "enabled") != NULL;
	in->acknowledge_terms = http_form(req, "acknowledge_terms") != NULL;
	/* The crawl checkbox counts only where the form showed it. */
	in->has_crawl = http_form(req, "crawl_shown") != NULL;
	in->crawl = http_form(req, "crawl") != NULL;
	in->has_render = http_form(req, "render_shown") != NULL;
	in->render = http_form(req, "render") != NULL;
}

static void render_list(struct request *req, int status, json_t *errors, const char *url_error)
{
	struct scrape_source *items;
	size_t n;
	int rc = store_source_list(req->web->store, &req->arena, &items, &n);
	time_t now = time(NULL);
	json_t *rows = json_array();
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct source_health h;
		rc = source_health_load(req->web->store, items[i].id, &req->arena, &h);
		if (rc == 0)
			json_array_append_new(rows, source_json(req, &items[i], &h, now));
	}
	if (rc) {
		json_decref(rows);
		json_decref(errors);
		session_store_error(req, rc, "The sources could not be loaded; try again.");
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "sources", rows);
	if (!n)
		json_object_set_new(ctx, "empty", json_true());
	const char *kind = status == 200 ? NULL : http_form(req, "kind");
	json_object_set_new(ctx, "kinds", kind_options(kind));
	if (status != 200) {
		json_t *typed = json_object();
		const char *keys[] = { "name", "target", "url", "schedule" };
		for (int i = 0; i < 4; i++)
			vm_set_str(typed, keys[i], http_form(req, keys[i]));
		if (http_form(req, "crawl"))
			json_object_set_new(typed, "crawl", json_true());
		if (http_form(req, "render"))
			json_object_set_new(typed, "render", json_true());
		json_object_set_new(ctx, "typed", typed);
	}
	if (errors)
		json_object_set_new(ctx, "errors", errors);
	vm_set_str(ctx, "url_error", url_error);
	if (!req->web->scheduler)
		json_object_set_new(ctx, "no_scheduler", json_true());
	json_object_set_new(ctx, "nav_sources", json_true());
	view_render(req, status, "sources", "Sources", ctx);
}

/* GET /admin/sources */
void page_sources(struct request *req)
{
	if (not_admin(req))
		return;
	render_list(req, 200, NULL, NULL);
}

static const char *unknown_url_message =
    "No kind of source recognises this URL. Paste a job board's or careers page's http(s) address (such as "
    "https://boards.greenhouse.io/acme), or choose a kind and enter its target.";

/* POST /admin/sources: url, or kind + target; name, schedule, enabled, acknowledge_terms */
void page_source_create(struct request *req)
{
	if (not_admin(req))
		return;
	struct source_input in;
	form_input(req, &in);
	struct scrape_source src;
	struct field_errors errs = { .n = 0 };
	struct source_service svc = service(req);
	int rc = source_service_create(&svc, &req->arena, &in, (int64_t)time(NULL), &src, &errs);
	if (rc == SOURCE_SERVICE_UNKNOWN_URL) {
		render_list(req, 422, NULL, unknown_url_message);
		return;
	}
	if (rc == SOURCE_SERVICE_NAME_TAKEN) {
		field_errors_add(&errs, "name", "Another source has this name: choose another.");
		rc = SOURCE_SERVICE_INVALID;
	}
	if (rc == SOURCE_SERVICE_INVALID) {
		render_list(req, 422, vm_errors(&errs), NULL);
		return;
	}
	if (rc) {
		session_store_error(req, rc, "The source could not be added; try again.");
		return;
	}
	session_flash(req, "source_added");
	resp_redirect(req, "/admin/sources");
}

static void render_source(struct request *req, int status, const struct scrape_source *src, json_t *errors,
			  const char *message)
{
	struct scrape_run *runs;
	size_t n;
	struct source_health h;
	int rc = store_run_list(req->web->store, src->id, 50, &req->arena, &runs, &n);
	if (rc == 0)
		rc = source_health_load(req->web->store, src->id, &req->arena, &h);
	if (rc) {
		json_decref(errors);
		session_store_error(req, rc, "The source could not be loaded; try again.");
		return;
	}
	time_t now = time(NULL);
	json_t *ctx = json_object();
	json_object_set_new(ctx, "source", source_json(req, src, &h, now));
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, run_json(req, &runs[i], now));
	json_object_set_new(ctx, "runs", arr);
	if (n)
		json_object_set_new(ctx, "has_runs", json_true());
	json_object_set_new(ctx, "kinds", kind_options(src->kind));
	if (errors)
		json_object_set_new(ctx, "errors", errors);
	vm_set_str(ctx, "message", message);
	if (!req->web->scheduler)
		json_object_set_new(ctx, "no_scheduler", json_true());
	json_object_set_new(ctx, "nav_sources", json_true());
	view_render(req, status, "source", src->name, ctx);
}

static int load(struct request *req, struct scrape_source *src)
{
	int rc = store_source_get(req->web->store, req->params[0], &req->arena, src);
	if (rc)
		session_store_error(req, rc, "There is no such source.");
	return rc;
}

/* GET /admin/sources/{id} */
void page_source(struct request *req)
{
	struct scrape_source src;
	if (not_admin(req) || load(req, &src))
		return;
	render_source(req, 200, &src, NULL, NULL);
}

/* The version the form was rendered with: 0 (unchecked) when absent. */
static int64_t form_version(struct request *req)
{
	const char *v = http_form(req, "version");
	long n;
	return v && text_parse_long(v, 1, 1L << 62, &n) == 0 ? (int64_t)n : 0;
}

static const char managed_message[] = "This source comes from the sources file (sources.conf): change it there. "
				      "The file is read again whenever jobtrack serve or jobtrack scrape starts.";

/* Applies the edit in to source {id} unless it changed since the form
 * was rendered, and answers: back to the source, or the form again. */
static void save(struct request *req, const struct source_input *in)
{
	struct scrape_source src;
	struct field_errors errs = { .n = 0 };
	struct source_service svc = service(req);
	int rc = source_service_update(&svc, &req->arena, req->params[0], form_version(req), in, (int64_t)time(NULL),
				       &src, &errs);
	if (rc == SOURCE_SERVICE_INVALID) {
		render_source(req, 422, &src, vm_errors(&errs), NULL);
		return;
	}
	if (rc == STORE_STALE || rc == SOURCE_SERVICE_NAME_TAKEN || rc == SOURCE_SERVICE_MANAGED) {
		struct scrape_source current;
		if (load(req, &current))
			return;
		render_source(req, 409, &current, NULL,
			      rc == STORE_STALE ? "Someone changed this source while you were editing it: here it is "
						  "now. Make your change again."
			      : rc == SOURCE_SERVICE_MANAGED ? managed_message
							     : "Another source has this name: choose another.");
		return;
	}
	if (rc) {
		session_store_error(req, rc,
				    rc == STORE_NOTFOUND ? "There is no such source."
							 : "The source could not be saved; try again.");
		return;
	}
	session_flash(req, "source_saved");
	resp_redirect(req, arena_printf(&req->arena, "/admin/sources/%lld", (long long)src.id));
}

/* POST /admin/sources/{id}: the edit form (version, name, kind, target,
 * schedule, config, enabled, acknowledge_terms). */
void page_source_update(struct request *req)
{
	if (not_admin(req))
		return;
	struct source_input in;
	form_input(req, &in);
	in.url = NULL;
	save(req, &in);
}

/* POST /admin/sources/{id}/enabled: enabled=1 (absent: off), version, acknowledge_terms */
void page_source_enable(struct request *req)
{
	if (not_admin(req))
		return;
	struct source_input in = { .has_enabled = 1, .enabled = http_form(req, "enabled") != NULL };
	in.acknowledge_terms = http_form(req, "acknowledge_terms") != NULL;
	save(req, &in);
}

/* POST /admin/sources/{id}/run */
void page_source_run(struct request *req)
{
	struct scrape_source src;
	if (not_admin(req) || load(req, &src))
		return;
	if (!req->web->scheduler) {
		render_source(req, 503, &src, NULL,
			      "The scheduler is not running in this process, so nothing can run now.");
		return;
	}
	int64_t run_id = 0;
	int rc = scrape_scheduler_run_now(req->web->scheduler, src.id, &run_id);
	if (rc) {
		render_source(req, rc == -EBUSY ? 409 : 503, &src, NULL,
			      rc == -EBUSY ? "A run of this source is in progress: wait for it to end."
					   : "The scheduler is stopping: try again once it has restarted.");
		return;
	}
	session_flash(req, "source_run");
	resp_redirect(req, arena_printf(&req->arena, "/admin/sources/%lld#runs", (long long)src.id));
}

/* POST /admin/sources/{id}/delete: version */
void page_source_delete(struct request *req)
{
	if (not_admin(req))
		return;
	struct source_service svc = service(req);
	int rc = source_service_delete(&svc, &req->arena, req->params[0], form_version(req));
	if (rc == STORE_STALE || rc == SOURCE_SERVICE_MANAGED) {
		struct scrape_source current;
		if (load(req, &current) == 0)
			render_source(req, 409, &current, NULL,
				      rc == SOURCE_SERVICE_MANAGED
					  ? managed_message
					  : "Someone changed this source meanwhile: check it, then remove it again.");
		return;
	}
	if (rc) {
		session_store_error(req, rc, "There is no such source.");
		return;
	}
	session_flash(req, "source_deleted");
	resp_redirect(req, "/admin/sources");
}
