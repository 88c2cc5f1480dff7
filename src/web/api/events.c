/* /api/v1/applications/{id}/events — an application's timeline. */
#include <string.h>

#include "tracker/event.h"
#include "tracker/input.h"
#include "tracker/service.h"
#include "web/api/row_version.h"
#include "web/api/serialize.h"
#include "web/handlers.h"
#include "web/tracker_call.h"
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

static void answer_event(struct request *req, int status, const struct app_event *ev)
{
	buf_reset(&req->out);
	serialize_event(&req->out, ev);
	row_version_etag(req, ev->version);
	resp_json(req, status);
}

/* GET /api/v1/applications/{id}/events/{event_id} — with ETag: "<version>" */
void api_events_get(struct request *req)
{
	struct app_event ev;
	int rc = store_event_get(req->web->store, req->user.id, req->params[0], req->params[1], &req->arena, &ev);
	if (rc)
		resp_store_error(req, rc);
	else
		answer_event(req, 200, &ev);
}

/* POST /api/v1/applications/{id}/events {kind, at, title, body, interview_kind, with_whom} */
void api_events_create(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct tracker_call call = tracker_call_of(req);
	struct app_event ev = { .app_id = req->params[0], .tz_offset_min = call.tz_offset_min };
	struct field_errors errs = { .n = 0 };
	event_from_json(&ev, body, (time_t)call.now, &req->arena, &errs);
	if (errs.n) {
		resp_field_errors(req, &errs);
		return;
	}
	int rc = tracker_event_add(&call, &ev);
	if (rc)
		row_version_error(req, rc);
	else
		answer_event(req, 201, &ev);
}

/* The event's current version, for a list in If-Match. */
static int event_version(struct request *req, int64_t *version)
{
	struct app_event ev;
	int rc = store_event_get(req->web->store, req->user.id, req->params[0], req->params[1], &req->arena, &ev);
	*version = rc ? 0 : ev.version;
	return rc;
}

/* PATCH /api/v1/applications/{id}/events/{event_id} [If-Match]: only the
 * members sent change. */
void api_events_patch(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct field_errors errs = { .n = 0 };
	event_check_json(body, &req->arena, &errs);
	if (errs.n) {
		resp_field_errors(req, &errs);
		return;
	}
	struct tracker_call call = tracker_call_of(req);
	struct app_event ev;
	int rc = tracker_event_edit(&call, req->params[0], req->params[1], input_json_get, body, 1,
				    row_version_expected(req, event_version), &ev, &errs);
	if (rc == TRACKER_INVALID)
		resp_field_errors(req, &errs);
	else if (rc)
		row_version_error(req, rc);
	else
		answer_event(req, 200, &ev);
}

/* DELETE /api/v1/applications/{id}/events/{event_id} [If-Match] */
void api_events_delete(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_event_remove(&call, req->params[0], req->params[1], row_version_expected(req, event_version));
	if (rc)
		row_version_error(req, rc);
	else
		resp_text(req, 204, NULL, "", 0);
}
