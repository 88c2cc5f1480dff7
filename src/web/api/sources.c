/* /api/v1/admin/sources and /api/v1/admin/runs — configured sources and
 * their scrape runs, for administrators only. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/json_out.h"
#include "scrape/scheduler.h"
#include "scrape/source_service.h"
#include "tracker/service.h"
#include "web/api/row_version.h"
#include "web/api/scrape_json.h"
#include "web/handlers.h"
#include "web/source_health.h"
#include "web/web.h"

/* json_dumps's text comes from jansson's allocator (a request's arena while
 * one is in use: web/json_arena.h), so it goes back the same way. */
static void json_text_free(char *text)
{
	json_free_t release;
	json_get_alloc_funcs(NULL, &release);
	if (text)
		release(text);
}

static int forbidden(struct request *req)
{
	if (req->user.is_admin)
		return 0;
	resp_error(req, 403, "forbidden", "Only an admin can manage sources.", NULL);
	return 1;
}

static void answer_source(struct request *req, int status, const struct scrape_source *src)
{
	struct source_health h;
	int rc = source_health_load(req->web->store, src->id, &req->arena, &h);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	buf_reset(&req->out);
	scrape_json_source(&req->out, src, &h, (int64_t)time(NULL));
	row_version_etag(req, src->version);
	resp_json(req, status);
}

/* A JSON body as a source_input: known members of the right types only. */
static int read_input(struct request *req, json_t *body, struct source_input *in)
{
	memset(in, 0, sizeof(*in));
	const char *key;
	json_t *v;
	json_object_foreach (body, key, v) {
		const char **str = strcmp(key, "name") == 0       ? &in->name
				   : strcmp(key, "kind") == 0     ? &in->kind
				   : strcmp(key, "target") == 0   ? &in->target
				   : strcmp(key, "url") == 0      ? &in->url
				   : strcmp(key, "schedule") == 0 ? &in->schedule
								  : NULL;
		if (str) {
			if (!json_is_string(v) && !json_is_null(v)) {
				resp_error(req, 422, "invalid", "Must be a string.", key);
				return -1;
			}
			*str = json_is_string(v) ? json_string_value(v) : "";
		} else if (strcmp(key, "enabled") == 0 || strcmp(key, "acknowledge_terms") == 0) {
			if (!json_is_boolean(v)) {
				resp_error(req, 422, "invalid", "Must be true or false.", key);
				return -1;
			}
			if (key[0] == 'e') {
				in->has_enabled = 1;
				in->enabled = json_is_true(v);
			} else {
				in->acknowledge_terms = json_is_true(v);
			}
		} else if (strcmp(key, "config") == 0) {
			if (!json_is_object(v)) {
				resp_error(req, 422, "invalid", "Must be a JSON object, such as {\"delay\": 2}.", key);
				return -1;
			}
			char *text = json_dumps(v, JSON_COMPACT);
			in->config = text ? arena_strdup(&req->arena, text) : NULL;
			json_text_free(text);
			if (!in->config) {
				resp_error(req, 500, "internal", "Out of memory.", NULL);
				return -1;
			}
		} else {
			resp_error(req, 422, "invalid", "Unknown member.", key);
			return -1;
		}
	}
	return 0;
}

static struct source_service service(struct request *req)
{
	return (struct source_service){ .store = req->web->store, .scheduler = req->web->scheduler };
}

static void name_taken(struct request *req)
{
	resp_error(req, 409, "name_taken", "Another source has this name: choose another.", "name");
}

/* Answers what the service refused. */
static void refuse(struct request *req, int rc, const struct field_errors *errs)
{
	if (rc == SOURCE_SERVICE_UNKNOWN_URL)
		resp_error(req, 400, "unrecognised_url",
			   "No kind of source recognises this URL. Paste a job board's or careers page's http(s) "
			   "address (such as "
			   "https://boards.greenhouse.io/acme), or give kind and target instead.",
			   "url");
	else if (rc == SOURCE_SERVICE_INVALID)
		resp_field_errors(req, errs);
	else if (rc == SOURCE_SERVICE_NAME_TAKEN)
		name_taken(req);
	else if (rc == SOURCE_SERVICE_MANAGED)
		resp_error(req, 409, "managed_by_file",
			   "This source comes from the sources file (sources.conf): change it there. The file is read "
			   "again whenever jobtrack serve or jobtrack scrape starts.",
			   NULL);
	else if (rc == STORE_STALE)
		row_version_error(req, TRACKER_STALE);
	else
		resp_store_error(req, rc);
}

/* GET /api/v1/admin/sources */
void api_sources_list(struct request *req)
{
	if (forbidden(req))
		return;
	struct scrape_source *items;
	size_t n;
	int rc = store_source_list(req->web->store, &req->arena, &items, &n);
	struct buf *b = &req->out;
	int64_t now = (int64_t)time(NULL);
	buf_puts(b, "{\"items\":[");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct source_health h;
		rc = source_health_load(req->web->store, items[i].id, &req->arena, &h);
		if (rc)
			break;
		if (i)
			buf_putc(b, ',');
		scrape_json_source(b, &items[i], &h, now);
	}
	if (rc) {
		buf_reset(b);
		resp_store_error(req, rc);
		return;
	}
	buf_puts(b, "]}");
	resp_json(req, 200);
}

/* POST /api/v1/admin/sources {kind, target, …} or {url, …} */
void api_sources_create(struct request *req)
{
	if (forbidden(req))
		return;
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct source_input in;
	if (read_input(req, body, &in))
		return;
	struct scrape_source src;
	struct field_errors errs = { .n = 0 };
	struct source_service svc = service(req);
	int rc = source_service_create(&svc, &req->arena, &in, (int64_t)time(NULL), &src, &errs);
	if (rc) {
		refuse(req, rc, &errs);
		return;
	}
	char *loc = arena_printf(&req->arena, "/api/v1/admin/sources/%lld", (long long)src.id);
	if (loc)
		resp_header(req, "Location", loc);
	answer_source(req, 201, &src);
}

/* GET /api/v1/admin/sources/{id} */
void api_sources_get(struct request *req)
{
	if (forbidden(req))
		return;
	struct scrape_source src;
	int rc = store_source_get(req->web->store, req->params[0], &req->arena, &src);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	answer_source(req, 200, &src);
}

/* The source's current version, for a list in If-Match. */
static int source_version(struct request *req, int64_t *version)
{
	struct scrape_source src;
	int rc = store_source_get(req->web->store, req->params[0], &req->arena, &src);
	*version = rc ? 0 : src.version;
	return rc;
}

/* PATCH /api/v1/admin/sources/{id} [If-Match] — only the members sent change. */
void api_sources_patch(struct request *req)
{
	if (forbidden(req))
		return;
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct source_input in;
	if (read_input(req, body, &in))
		return;
	struct scrape_source src;
	struct field_errors errs = { .n = 0 };
	struct source_service svc = service(req);
	int rc = source_service_update(&svc, &req->arena, req->params[0], row_version_expected(req, source_version),
				       &in, (int64_t)time(NULL), &src, &errs);
	if (rc) {
		refuse(req, rc, &errs);
		return;
	}
	answer_source(req, 200, &src);
}

/* DELETE /api/v1/admin/sources/{id} [If-Match] */
void api_sources_delete(struct request *req)
{
	if (forbidden(req))
		return;
	struct source_service svc = service(req);
	int rc = source_service_delete(&svc, &req->arena, req->params[0], row_version_expected(req, source_version));
	if (rc) {
		refuse(req, rc, NULL);
		return;
	}
	resp_text(req, 204, NULL, "", 0);
}

/* POST /api/v1/admin/sources/{id}/run — 202 {run_id} (null while queued). */
void api_sources_run(struct request *req)
{
	if (forbidden(req))
		return;
	struct scrape_source src;
	int rc = store_source_get(req->web->store, req->params[0], &req->arena, &src);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	if (!req->web->scheduler) {
		resp_error(req, 503, "no_scheduler",
			   "The scheduler is not running in this process, so nothing can run now. Start jobtrack "
			   "serve with its scheduler, or run `jobtrack scrape` by hand.",
			   NULL);
		return;
	}
	int64_t run_id = 0;
	rc = scrape_scheduler_run_now(req->web->scheduler, src.id, &run_id);
	if (rc == -EBUSY) {
		resp_error(req, 409, "running", "A run of this source is in progress: wait for it to end.", NULL);
		return;
	}
	if (rc == -ENOENT) {
		resp_error(req, 404, "not_found", "There is no such source.", NULL);
		return;
	}
	if (rc) {
		resp_error(req, 503, "no_scheduler", "The scheduler is stopping: try again once it has restarted.",
			   NULL);
		return;
	}
	buf_puts(&req->out, "{\"run_id\":");
	json_out_int_or_null(&req->out, run_id, run_id == 0);
	buf_putc(&req->out, '}');
	resp_json(req, 202);
}

/* A run with the scheduler's live view of it, when this process runs it. */
static void put_run(struct request *req, const struct scrape_run *r)
{
	struct scrape_progress progress;
	int live = req->web->scheduler && strcmp(r->status, "running") == 0 &&
		   scrape_scheduler_progress(req->web->scheduler, r->id, &progress) == 0;
	scrape_json_run(&req->out, r, live ? &progress : NULL);
}

/* GET /api/v1/admin/sources/{id}/runs?limit= — newest first. */
void api_sources_runs(struct request *req)
{
	if (forbidden(req))
		return;
	struct scrape_source src;
	int rc = store_source_get(req->web->store, req->params[0], &req->arena, &src);
	struct scrape_run *runs = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = store_run_list(req->web->store, src.id, 50, &req->arena, &runs, &n);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	buf_puts(&req->out, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&req->out, ',');
		put_run(req, &runs[i]);
	}
	buf_puts(&req->out, "]}");
	resp_json(req, 200);
}

/* GET /api/v1/admin/runs/{id} */
void api_runs_get(struct request *req)
{
	if (forbidden(req))
		return;
	struct scrape_run r;
	int rc = store_run_get(req->web->store, req->params[0], &req->arena, &r);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	put_run(req, &r);
	resp_header(req, "Cache-Control", "no-store");
	resp_json(req, 200);
}
