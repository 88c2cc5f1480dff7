#include "web/api/serialize.h"

#include "base/json_out.h"
#include "base/timefmt.h"

void serialize_time(struct buf *b, int64_t t)
{
	if (!t) {
		buf_puts(b, "null");
		return;
	}
	/* A record's created/updated/changed times are often the same second:
	 * remember the last one formatted on this thread. */
	static _Thread_local int64_t last_t;
	static _Thread_local char last_iso[TIMEFMT_ISO_LEN + 2];
	if (t != last_t) {
		last_iso[0] = '"';
		timefmt_iso((time_t)t, last_iso + 1);
		last_iso[TIMEFMT_ISO_LEN] = '"';
		last_t = t;
	}
	buf_append(b, last_iso, TIMEFMT_ISO_LEN + 1);
}

/* Optional text: null rather than "" when absent. */
#define STR_OR_NULL(b, key, v) \
	do { \
		const char *v_ = (v); \
		JSON_OUT_KEY(b, key); \
		json_out_string(b, v_ &&*v_ ? v_ : NULL); \
	} while (0)

void serialize_app(struct buf *b, const struct application *app)
{
	buf_puts(b, "{\"id\":");
	json_out_int(b, app->id);
	JSON_OUT_KEY(b, "company");
	json_out_string(b, app->company);
	JSON_OUT_KEY(b, "position");
	json_out_string(b, app->position);
	JSON_OUT_KEY(b, "location");
	json_out_string(b, app->location);
	JSON_OUT_KEY(b, "url");
	json_out_string(b, app->url);
	JSON_OUT_KEY(b, "source");
	json_out_string(b, app->source);
	JSON_OUT_KEY(b, "salary_min");
	json_out_int_or_null(b, app->salary_min, !app->has_salary_min);
	JSON_OUT_KEY(b, "salary_max");
	json_out_int_or_null(b, app->salary_max, !app->has_salary_max);
	STR_OR_NULL(b, "salary_currency", app->salary_currency);
	STR_OR_NULL(b, "salary_period", app->salary_period);
	JSON_OUT_KEY(b, "status");
	json_out_string(b, app->status);
	JSON_OUT_KEY(b, "priority");
	json_out_int(b, app->priority);
	buf_puts(b, ",\"tags\":[");
	for (size_t i = 0; i < app->n_tags; i++) {
		if (i)
			buf_putc(b, ',');
		json_out_string(b, app->tags[i]);
	}
	buf_putc(b, ']');
	STR_OR_NULL(b, "saved_on", app->saved_on);
	STR_OR_NULL(b, "applied_on", app->applied_on);
	STR_OR_NULL(b, "follow_up_on", app->follow_up_on);
	JSON_OUT_KEY(b, "posting_id");
	json_out_int_or_null(b, app->posting_id, !app->posting_id);
	JSON_OUT_KEY(b, "posting_closed");
	json_out_bool(b, app->posting_closed_at != 0);
	JSON_OUT_KEY(b, "posting_closed_at");
	serialize_time(b, app->posting_closed_at);
	JSON_OUT_KEY(b, "notes");
	json_out_string(b, app->notes);
	JSON_OUT_KEY(b, "created_at");
	serialize_time(b, app->created_at);
	JSON_OUT_KEY(b, "updated_at");
	serialize_time(b, app->updated_at);
	JSON_OUT_KEY(b, "status_changed_at");
	serialize_time(b, app->status_changed_at);
	JSON_OUT_KEY(b, "version");
	json_out_int(b, app->version);
	buf_putc(b, '}');
}

void serialize_event(struct buf *b, const struct app_event *ev)
{
	buf_puts(b, "{\"id\":");
	json_out_int(b, ev->id);
	JSON_OUT_KEY(b, "application_id");
	json_out_int(b, ev->app_id);
	JSON_OUT_KEY(b, "kind");
	json_out_string(b, ev->kind);
	JSON_OUT_KEY(b, "at");
	serialize_time(b, ev->at);
	STR_OR_NULL(b, "from_status", ev->from_status);
	STR_OR_NULL(b, "to_status", ev->to_status);
	JSON_OUT_KEY(b, "title");
	json_out_string(b, ev->title ? ev->title : "");
	JSON_OUT_KEY(b, "body");
	json_out_string(b, ev->body ? ev->body : "");
	JSON_OUT_KEY(b, "interview_kind");
	json_out_string(b, ev->interview_kind ? ev->interview_kind : "");
	JSON_OUT_KEY(b, "with_whom");
	json_out_string(b, ev->with_whom ? ev->with_whom : "");
	JSON_OUT_KEY(b, "created_at");
	serialize_time(b, ev->created_at);
	JSON_OUT_KEY(b, "version");
	json_out_int(b, ev->version);
	buf_putc(b, '}');
}

void serialize_contact(struct buf *b, const struct contact *c)
{
	buf_puts(b, "{\"id\":");
	json_out_int(b, c->id);
	const char *fields[][2] = { { "name", c->name },   { "role", c->role }, { "email", c->email },
				    { "phone", c->phone }, { "url", c->url },   { "notes", c->notes } };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_out_key(b, fields[i][0], 0);
		json_out_string(b, fields[i][1] ? fields[i][1] : "");
	}
	JSON_OUT_KEY(b, "created_at");
	serialize_time(b, c->created_at);
	JSON_OUT_KEY(b, "updated_at");
	serialize_time(b, c->updated_at);
	JSON_OUT_KEY(b, "version");
	json_out_int(b, c->version);
	buf_putc(b, '}');
}

void serialize_user(struct buf *b, const struct user *u)
{
	buf_puts(b, "{\"id\":");
	json_out_int(b, u->id);
	JSON_OUT_KEY(b, "email");
	json_out_string(b, u->email);
	JSON_OUT_KEY(b, "is_admin");
	json_out_bool(b, u->is_admin);
	JSON_OUT_KEY(b, "created_at");
	serialize_time(b, u->created_at);
	buf_putc(b, '}');
}
