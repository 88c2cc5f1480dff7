/* /api/v1/contacts and /api/v1/applications/{id}/contacts. */
#include "tracker/contact.h"
#include "tracker/input.h"
#include "tracker/service.h"
#include "web/api/row_version.h"
#include "web/api/serialize.h"
#include "web/handlers.h"
#include "web/tracker_call.h"
#include "web/web.h"

static void answer_list(struct request *req, int64_t app_id)
{
	struct contact *items;
	size_t n;
	int rc = store_contact_list(req->web->store, req->user.id, app_id, &req->arena, &items, &n);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	buf_puts(&req->out, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&req->out, ',');
		serialize_contact(&req->out, &items[i]);
	}
	buf_puts(&req->out, "]}");
	resp_json(req, 200);
}

static void answer_contact(struct request *req, int status, const struct contact *c)
{
	buf_reset(&req->out);
	serialize_contact(&req->out, c);
	row_version_etag(req, c->version);
	resp_json(req, status);
}

/* Creates a contact from the body, linking it to link_app_id when > 0. */
static void create(struct request *req, json_t *body, int64_t link_app_id)
{
	struct contact c = { 0 };
	struct field_errors errs = { .n = 0 };
	contact_from_json(&c, body, &req->arena, &errs);
	if (errs.n) {
		resp_field_errors(req, &errs);
		return;
	}
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_contact_add(&call, &c, link_app_id);
	if (rc)
		row_version_error(req, rc);
	else
		answer_contact(req, 201, &c);
}

/* GET /api/v1/contacts */
void api_contacts_list(struct request *req)
{
	answer_list(req, 0);
}

/* POST /api/v1/contacts {name, role, email, phone, url, notes} */
void api_contacts_create(struct request *req)
{
	json_t *body = http_json_body(req);
	if (body)
		create(req, body, 0);
}

/* GET /api/v1/contacts/{id} — with ETag: "<version>" */
void api_contacts_get(struct request *req)
{
	struct contact c;
	int rc = store_contact_get(req->web->store, req->user.id, req->params[0], &req->arena, &c);
	if (rc)
		resp_store_error(req, rc);
	else
		answer_contact(req, 200, &c);
}

/* The contact's current version, for a list in If-Match. */
static int contact_version(struct request *req, int64_t *version)
{
	struct contact c;
	int rc = store_contact_get(req->web->store, req->user.id, req->params[0], &req->arena, &c);
	*version = rc ? 0 : c.version;
	return rc;
}

/* PATCH /api/v1/contacts/{id} [If-Match]: only the members sent change. */
void api_contacts_patch(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct field_errors errs = { .n = 0 };
	contact_check_json(body, &req->arena, &errs);
	if (errs.n) {
		resp_field_errors(req, &errs);
		return;
	}
	struct tracker_call call = tracker_call_of(req);
	struct contact c;
	int rc = tracker_contact_edit(&call, req->params[0], 0, input_json_get, body,
				      row_version_expected(req, contact_version), &c, &errs);
	if (rc == TRACKER_INVALID)
		resp_field_errors(req, &errs);
	else if (rc)
		row_version_error(req, rc);
	else
		answer_contact(req, 200, &c);
}

/* DELETE /api/v1/contacts/{id} [If-Match] */
void api_contacts_delete(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_contact_delete(&call, req->params[0], row_version_expected(req, contact_version));
	if (rc)
		row_version_error(req, rc);
	else
		resp_text(req, 204, NULL, "", 0);
}

/* GET /api/v1/applications/{id}/contacts */
void api_app_contacts_list(struct request *req)
{
	struct application app;
	int rc = store_app_get(req->web->store, req->user.id, req->params[0], &req->arena, &app);
	if (rc)
		resp_store_error(req, rc);
	else
		answer_list(req, req->params[0]);
}

/* POST /api/v1/applications/{id}/contacts: {"contact_id": N} links an
 * existing contact; any other body creates a contact and links it. */
void api_app_contacts_add(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	json_t *cid = json_object_get(body, "contact_id");
	if (!cid) {
		create(req, body, req->params[0]);
		return;
	}
	if (!json_is_integer(cid) || json_integer_value(cid) <= 0 || json_object_size(body) != 1) {
		resp_error(req, 400, "invalid", "Send {\"contact_id\": N} alone to link an existing contact.",
			   "contact_id");
		return;
	}
	struct tracker_call call = tracker_call_of(req);
	struct contact c;
	int rc = tracker_contact_link(&call, req->params[0], json_integer_value(cid), &c);
	if (rc)
		row_version_error(req, rc);
	else
		answer_contact(req, 201, &c);
}

/* DELETE /api/v1/applications/{id}/contacts/{contact_id}: unlinks only. */
void api_app_contacts_remove(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_contact_unlink(&call, req->params[0], req->params[1]);
	if (rc)
		row_version_error(req, rc);
	else
		resp_text(req, 204, NULL, "", 0);
}
