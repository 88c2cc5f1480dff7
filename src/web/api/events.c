/* /api/v1/applications/{id}/events — an application's timeline. */
#include <string.h>

#include "tracker/event.h"
#include "tracker/legacy.h"
#include "web/api/serialize.h"
#include "web/handlers.h"
#include "web/web.h"

/* GET /api/v1/applications/{id}/events (newest first) */
void api_events_list(struct request *req)
{
	struct application app;
	int rc = store_app_get(req->web->store, req->user.id, req->params[0], &req->arena, &app);
	struct app_event *items = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = store_event_list(req->web->store, req->user.id, req->params[0], &req->arena, &items, &n);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	buf_puts(&req->out, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&req->out, ',');
		serialize_event(&req->out, &items[i]);
	}
	buf_puts(&req->out, "]}");
	resp_json(req, 200);
}

/* POST /api/v1/applications/{id}/events {kind, at, title, body, interview_kind, with_whom} */
void api_events_create(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	time_t now = time(NULL);
	struct app_event ev = { .app_id = req->params[0] };
	struct field_errors errs = { .n = 0 };
	event_from_json(&ev, body, now, &req->arena, &errs);
	if (errs.n) {
		resp_field_errors(req, &errs);
		return;
	}
	int rc = store_event_create(req->web->store, req->user.id, &ev, (int64_t)now);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	serialize_event(&req->out, &ev);
	resp_json(req, 201);
}

/* PATCH /api/v1/applications/{id}/events/{event_id}: only the members sent change. */
void api_events_patch(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct app_event ev;
	int rc = store_event_get(req->web->store, req->user.id, req->params[0], req->params[1], &req->arena, &ev);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	if (!event_kind_editable(ev.kind)) {
		resp_error(
		    req, 409, "not_editable",
		    "Status changes and the \"created\" entry are the application's history and cannot be edited.",
		    NULL);
		return;
	}
	time_t now = time(NULL);
	struct field_errors errs = { .n = 0 };
	event_patch_json(&ev, body, now, &req->arena, &errs);
	if (errs.n) {
		resp_field_errors(req, &errs);
		return;
	}
	rc = store_event_edit(req->web->store, req->user.id, &ev, (int64_t)now);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	serialize_event(&req->out, &ev);
	resp_json(req, 200);
}

/* DELETE /api/v1/applications/{id}/events/{event_id} */
void api_events_delete(struct request *req)
{
	struct app_event ev;
	int found = store_event_get(req->web->store, req->user.id, req->params[0], req->params[1], &req->arena, &ev);
	if (found == 0 && !event_kind_editable(ev.kind)) {
		resp_error(
		    req, 409, "not_editable",
		    "Status changes and the \"created\" entry are the application's history and cannot be removed.",
		    NULL);
		return;
	}
	int rc = store_event_remove(req->web->store, req->user.id, req->params[0], req->params[1]);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	resp_text(req, 204, NULL, "", 0);
}
