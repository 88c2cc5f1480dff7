/* /api/v1/applications — the tracker's applications as JSON. */
#include <string.h>

#include "base/text.h"
#include "tracker/application.h"
#include "tracker/status.h"
#include "web/api/serialize.h"
#include "web/app_query.h"
#include "web/handlers.h"
#include "web/web.h"

/* GET /api/v1/applications?status=&tag=&q=&sort=&page=&per_page= */
void api_apps_list(struct request *req)
{
	struct app_query q;
	const char *bad_field, *bad_msg;
	if (app_query_parse(req, &q, 50, &bad_field, &bad_msg)) {
		resp_error(req, 400, "bad_query", bad_msg, bad_field);
		return;
	}
	struct application *items;
	size_t n;
	int64_t total;
	int rc = store_app_list(req->web->store, req->user.id, &q.filter, &req->arena, &items, &n, &total);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	struct buf *b = &req->out;
	buf_puts(b, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		serialize_app(b, &items[i]);
	}
	buf_printf(b, "],\"total\":%lld,\"page\":%lld,\"per_page\":%lld}", (long long)total, (long long)q.page,
		   (long long)q.filter.limit);
	resp_json(req, 200);
}

static void answer_app(struct request *req, int status, const struct application *app)
{
	buf_reset(&req->out);
	serialize_app(&req->out, app);
	resp_json(req, status);
}

/* POST /api/v1/applications */
void api_apps_create(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	time_t now = time(NULL);
	struct application app;
	struct field_errors errs = {.n = 0};
	app_init(&app, now);
	app_apply_json(&app, body, &req->arena, &errs);
	app_validate(&app, now, &req->arena, &errs);
	if (errs.n) {
		resp_field_errors(req, &errs);
		return;
	}
	int rc = store_app_create(req->web->store, req->user.id, &app, (int64_t)now);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	char *loc = arena_printf(&req->arena, "/api/v1/applications/%lld", (long long)app.id);
	if (loc)
		resp_header(req, "Location", loc);
	answer_app(req, 201, &app);
}

/* GET /api/v1/applications/{id} */
void api_apps_get(struct request *req)
{
	struct application app;
	int rc = store_app_get(req->web->store, req->user.id, req->params[0], &req->arena, &app);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	answer_app(req, 200, &app);
}

/* PATCH /api/v1/applications/{id}: only the members sent change. */
void api_apps_patch(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct application app;
	int rc = store_app_get(req->web->store, req->user.id, req->params[0], &req->arena, &app);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	time_t now = time(NULL);
	struct field_errors errs = {.n = 0};
	app_apply_json(&app, body, &req->arena, &errs);
	app_validate(&app, now, &req->arena, &errs);
	if (errs.n) {
		resp_field_errors(req, &errs);
		return;
	}
	rc = store_app_update(req->web->store, req->user.id, &app, (int64_t)now);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	answer_app(req, 200, &app);
}

/* DELETE /api/v1/applications/{id} */
void api_apps_delete(struct request *req)
{
	int rc = store_app_delete(req->web->store, req->user.id, req->params[0]);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	resp_text(req, 204, NULL, "", 0);
}
