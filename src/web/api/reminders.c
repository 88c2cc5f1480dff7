/* /api/v1/reminders — follow-ups due with how their reminders went, the
 * user's reminder settings, and one application's follow-up date. */
#include <stdio.h>
#include <string.h>

#include "base/json_out.h"
#include "base/text.h"
#include "base/timefmt.h"
#include "notify/follow_ups.h"
#include "notify/settings.h"
#include "web/api/row_version.h"
#include "web/api/serialize.h"
#include "web/handlers.h"
#include "web/tracker_call.h"
#include "web/web.h"

#define REMINDER_DAYS_DEFAULT 7

static void put_send(struct buf *b, const struct reminder_send *r)
{
	if (!r) {
		buf_puts(b, "null");
		return;
	}
	buf_puts(b, "{\"state\":");
	json_out_string(b, r->state);
	JSON_OUT_KEY(b, "attempts");
	json_out_int(b, r->attempts);
	JSON_OUT_KEY(b, "last_error");
	json_out_string(b, r->last_error && *r->last_error ? r->last_error : NULL);
	JSON_OUT_KEY(b, "sent_at");
	serialize_time(b, r->sent_at);
	JSON_OUT_KEY(b, "next_attempt_at");
	serialize_time(b, strcmp(r->state, "pending") == 0 ? r->next_at : 0);
	buf_putc(b, '}');
}

/* GET /api/v1/reminders?days=N — follow-ups due within N days (default 7),
 * overdue ones included, soonest first, each with its reminders' state. */
void api_reminders_list(struct request *req)
{
	long days = REMINDER_DAYS_DEFAULT;
	const char *d = http_query(req, "days");
	if (d && text_parse_long(d, 0, 365, &days)) {
		resp_error(req, 400, "bad_query", "days must be a whole number from 0 to 365.", "days");
		return;
	}
	time_t now = time(NULL);
	char until[TIMEFMT_DATE_LEN];
	timefmt_date(now + (time_t)days * 86400, until);
	struct follow_up_report *items;
	size_t n;
	int rc = follow_ups_report(req->web->store, req->user.id, until, (int64_t)now, &req->arena, &items, &n);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	struct buf *b = &req->out;
	buf_puts(b, "{\"until\":");
	json_out_string(b, until);
	buf_puts(b, ",\"items\":[");
	for (size_t i = 0; i < n; i++) {
		const struct follow_up_due *f = &items[i].due;
		if (i)
			buf_putc(b, ',');
		buf_puts(b, "{\"application_id\":");
		json_out_int(b, f->app_id);
		JSON_OUT_KEY(b, "company");
		json_out_string(b, f->company);
		JSON_OUT_KEY(b, "position");
		json_out_string(b, f->position);
		JSON_OUT_KEY(b, "status");
		json_out_string(b, f->status);
		JSON_OUT_KEY(b, "due_on");
		json_out_string(b, f->due_on);
		JSON_OUT_KEY(b, "is_default");
		json_out_bool(b, f->is_default);
		JSON_OUT_KEY(b, "overdue");
		json_out_bool(b, f->overdue);
		buf_puts(b, ",\"reminders\":{\"webhook\":");
		put_send(b, items[i].webhook);
		buf_puts(b, ",\"email\":");
		put_send(b, items[i].email);
		buf_puts(b, "}}");
	}
	buf_puts(b, "]}");
	resp_header(req, "Cache-Control", "private, no-cache");
	resp_json(req, 200);
}

static void answer_settings(struct request *req, const struct notify_settings *s)
{
	struct buf *b = &req->out;
	buf_reset(b);
	buf_puts(b, "{\"follow_up_days\":");
	json_out_int(b, s->follow_up_days);
	JSON_OUT_KEY(b, "ghost_days");
	json_out_int(b, s->ghost_days);
	JSON_OUT_KEY(b, "email");
	json_out_bool(b, s->email);
	JSON_OUT_KEY(b, "webhook_url");
	json_out_string(b, s->webhook_url && *s->webhook_url ? s->webhook_url : NULL);
	JSON_OUT_KEY(b, "webhook_secret");
	json_out_string(b, s->webhook_secret && *s->webhook_secret ? s->webhook_secret : NULL);
	JSON_OUT_KEY(b, "updated_at");
	serialize_time(b, s->updated_at);
	buf_putc(b, '}');
	resp_header(req, "Cache-Control", "private, no-store");
	resp_json(req, 200);
}

/* GET /api/v1/reminders/settings */
void api_reminder_settings_get(struct request *req)
{
	struct notify_settings s;
	int rc = store_notify_settings_get(req->web->store, req->user.id, &req->arena, &s);
	if (rc)
		resp_store_error(req, rc);
	else
		answer_settings(req, &s);
}

/* PUT /api/v1/reminders/settings {follow_up_days, ghost_days, email,
 * webhook_url, webhook_secret, rotate_secret} — members left out keep their
 * values; webhook_url null removes the webhook. */
void api_reminder_settings_put(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	if (!json_is_object(body)) {
		resp_error(req, 400, "bad_json", "Send a JSON object.", NULL);
		return;
	}
	struct notify_settings s;
	int rc = store_notify_settings_get(req->web->store, req->user.id, &req->arena, &s);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	struct field_errors errs = { .n = 0 };
	notify_settings_apply_json(&s, body, &req->arena, &errs);
	if (errs.n) {
		resp_field_errors(req, &errs);
		return;
	}
	rc = store_notify_settings_set(req->web->store, req->user.id, &s, (int64_t)time(NULL));
	if (rc == 0)
		rc = store_notify_settings_get(req->web->store, req->user.id, &req->arena, &s);
	if (rc)
		resp_store_error(req, rc);
	else
		answer_settings(req, &s);
}

static void set_follow_up(struct request *req, const char *due_on)
{
	struct tracker_call call = tracker_call_of(req);
	struct field_errors errs = { .n = 0 };
	struct application app;
	int rc = follow_up_set(&call, req->params[0], due_on, &app, &errs);
	if (rc == TRACKER_INVALID) {
		resp_field_errors(req, &errs);
		return;
	}
	if (rc) {
		row_version_error(req, rc);
		return;
	}
	buf_reset(&req->out);
	serialize_app(&req->out, &app);
	row_version_etag(req, app.version);
	resp_json(req, 200);
}

/* PUT /api/v1/applications/{id}/follow-up {"due_on": "YYYY-MM-DD"} */
void api_app_follow_up_put(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	const json_t *d = json_object_get(body, "due_on");
	if (!json_is_string(d) || json_object_size(body) != 1) {
		resp_error(req, 422, "invalid", "Send {\"due_on\": \"YYYY-MM-DD\"}; DELETE turns the reminder off.",
			   "due_on");
		return;
	}
	set_follow_up(req, json_string_value(d));
}

/* DELETE /api/v1/applications/{id}/follow-up — no follow-up date, and no
 * default reminder for it either. */
void api_app_follow_up_delete(struct request *req)
{
	set_follow_up(req, NULL);
}
