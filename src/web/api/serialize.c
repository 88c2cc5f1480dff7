#include "web/api/serialize.h"

#include "base/json_out.h"
#include "base/timefmt.h"

void serialize_time(struct buf *b, int64_t t)
{
	if (!t) {
		buf_puts(b, "null");
		return;
	}
	char iso[TIMEFMT_ISO_LEN];
	timefmt_iso((time_t)t, iso);
	json_out_string(b, iso);
}

static void str_or_null(struct buf *b, const char *key, const char *v)
{
	json_out_key(b, key, 0);
	json_out_string(b, v && *v ? v : NULL);
}

void serialize_app(struct buf *b, const struct application *app)
{
	buf_puts(b, "{\"id\":");
	json_out_int(b, app->id);
	json_out_key(b, "company", 0);
	json_out_string(b, app->company);
	json_out_key(b, "position", 0);
	json_out_string(b, app->position);
	json_out_key(b, "location", 0);
	json_out_string(b, app->location);
	json_out_key(b, "url", 0);
	json_out_string(b, app->url);
	json_out_key(b, "source", 0);
	json_out_string(b, app->source);
	json_out_key(b, "salary_min", 0);
	json_out_int_or_null(b, app->salary_min, !app->has_salary_min);
	json_out_key(b, "salary_max", 0);
	json_out_int_or_null(b, app->salary_max, !app->has_salary_max);
	str_or_null(b, "salary_currency", app->salary_currency);
	str_or_null(b, "salary_period", app->salary_period);
	json_out_key(b, "status", 0);
	json_out_string(b, app->status);
	json_out_key(b, "priority", 0);
	json_out_int(b, app->priority);
	buf_puts(b, ",\"tags\":[");
	for (size_t i = 0; i < app->n_tags; i++) {
		if (i)
			buf_putc(b, ',');
		json_out_string(b, app->tags[i]);
	}
	buf_putc(b, ']');
	str_or_null(b, "saved_on", app->saved_on);
	str_or_null(b, "applied_on", app->applied_on);
	str_or_null(b, "follow_up_on", app->follow_up_on);
	json_out_key(b, "notes", 0);
	json_out_string(b, app->notes);
	json_out_key(b, "created_at", 0);
	serialize_time(b, app->created_at);
	json_out_key(b, "updated_at", 0);
	serialize_time(b, app->updated_at);
	json_out_key(b, "status_changed_at", 0);
	serialize_time(b, app->status_changed_at);
	buf_putc(b, '}');
}

void serialize_event(struct buf *b, const struct app_event *ev)
{
	buf_puts(b, "{\"id\":");
	json_out_int(b, ev->id);
	json_out_key(b, "application_id", 0);
	json_out_int(b, ev->app_id);
	json_out_key(b, "kind", 0);
	json_out_string(b, ev->kind);
	json_out_key(b, "at", 0);
	serialize_time(b, ev->at);
	str_or_null(b, "from_status", ev->from_status);
	str_or_null(b, "to_status", ev->to_status);
	json_out_key(b, "title", 0);
	json_out_string(b, ev->title ? ev->title : "");
	json_out_key(b, "body", 0);
	json_out_string(b, ev->body ? ev->body : "");
	json_out_key(b, "interview_kind", 0);
	json_out_string(b, ev->interview_kind ? ev->interview_kind : "");
	json_out_key(b, "with_whom", 0);
	json_out_string(b, ev->with_whom ? ev->with_whom : "");
	json_out_key(b, "created_at", 0);
	serialize_time(b, ev->created_at);
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
	json_out_key(b, "created_at", 0);
	serialize_time(b, c->created_at);
	json_out_key(b, "updated_at", 0);
	serialize_time(b, c->updated_at);
	buf_putc(b, '}');
}

void serialize_user(struct buf *b, const struct user *u)
{
	buf_puts(b, "{\"id\":");
	json_out_int(b, u->id);
	json_out_key(b, "email", 0);
	json_out_string(b, u->email);
	json_out_key(b, "is_admin", 0);
	json_out_bool(b, u->is_admin);
	json_out_key(b, "created_at", 0);
	serialize_time(b, u->created_at);
	buf_putc(b, '}');
}
