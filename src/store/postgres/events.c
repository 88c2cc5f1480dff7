/* events.c — applications' timelines. */
#include "store/postgres/pg.h"

#include <string.h>

#define EVENT_COLS \
	"id, application_id, version, kind, at, from_status, to_status, title, body, interview_kind, with_whom, " \
	"created_at"

static void read_event(struct pg_row *r, void *item)
{
	struct app_event *e = item;
	memset(e, 0, sizeof(*e));
	e->id = pg_row_int(r);
	e->app_id = pg_row_int(r);
	e->version = pg_row_int(r);
	e->kind = pg_row_text(r);
	e->at = pg_row_int(r);
	e->from_status = pg_row_text(r);
	e->to_status = pg_row_text(r);
	e->title = pg_row_text(r);
	e->body = pg_row_text(r);
	e->interview_kind = pg_row_text(r);
	e->with_whom = pg_row_text(r);
	e->created_at = pg_row_int(r);
}

/* Runs an EVENT_COLS query into an arena array. */
static int list_events(struct store *s, const char *sql, const struct pg_params *p, struct arena *a,
		       struct app_event **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	void *items;
	int rc = pg_list(c, sql, p, a, sizeof(**out), read_event, &items, n);
	if (rc == 0)
		*out = items;
	return rc;
}

static int event_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct app_event **out,
		      size_t *n)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, app_id);
	return list_events(s,
			   "SELECT " EVENT_COLS " FROM events WHERE user_id = $1 AND application_id = $2 "
			   "ORDER BY at DESC, id DESC",
			   &p, a, out, n);
}

static int event_get(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id, struct arena *a,
		     struct app_event *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, app_id);
	pg_param_int(&p, event_id);
	return pg_get(c, "SELECT " EVENT_COLS " FROM events WHERE user_id = $1 AND application_id = $2 AND id = $3", &p,
		      a, sizeof(*out), read_event, out);
}

/* Appends title, body, interview_kind and with_whom; NULL is stored as "". */
static void param_event_text(struct pg_params *p, const struct app_event *ev)
{
	pg_param_text(p, ev->title ? ev->title : "");
	pg_param_text(p, ev->body ? ev->body : "");
	pg_param_text(p, ev->interview_kind ? ev->interview_kind : "");
	pg_param_text(p, ev->with_whom ? ev->with_whom : "");
}

static int event_insert(struct store *s, int64_t user_id, struct app_event *ev, int64_t now)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, ev->app_id);
	pg_param_text(&p, ev->kind);
	pg_param_int(&p, ev->at);
	pg_param_text(&p, ev->from_status);
	pg_param_text(&p, ev->to_status);
	param_event_text(&p, ev);
	pg_param_int(&p, now);
	int64_t id = 0;
	/* Selecting the application makes "not this user's" insert nothing. */
	int rc = pg_user_write_int(
	    s, user_id,
	    "INSERT INTO events(user_id, application_id, kind, at, from_status, to_status, title, body, "
	    "interview_kind, with_whom, created_at) "
	    "SELECT $1, a.id, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM applications a "
	    "WHERE a.user_id = $1 AND a.id = $2 RETURNING id",
	    &p, &id);
	if (rc == 0) {
		ev->id = id;
		ev->version = 1;
		ev->created_at = now;
	}
	return rc;
}

static int event_update(struct store *s, int64_t user_id, struct app_event *ev)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, ev->app_id);
	pg_param_int(&p, ev->id);
	pg_param_text(&p, ev->kind);
	pg_param_int(&p, ev->at);
	param_event_text(&p, ev);
	int64_t version = 0;
	int rc = pg_user_write_int(s, user_id,
				   "UPDATE events SET kind = $4, at = $5, title = $6, body = $7, interview_kind = $8, "
				   "with_whom = $9, version = version + 1 "
				   "WHERE user_id = $1 AND application_id = $2 AND id = $3 RETURNING version",
				   &p, &version);
	if (rc == 0)
		ev->version = version;
	return rc;
}

static int event_delete(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, app_id);
	pg_param_int(&p, event_id);
	return pg_user_write(s, user_id, "DELETE FROM events WHERE user_id = $1 AND application_id = $2 AND id = $3",
			     &p);
}

static int interviews_between(struct store *s, int64_t user_id, int64_t from, int64_t to, struct arena *a,
			      struct app_event **out, size_t *n)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, from);
	pg_param_int(&p, to);
	return list_events(s,
			   "SELECT " EVENT_COLS " FROM events WHERE user_id = $1 AND kind = 'interview' "
			   "AND at >= $2 AND at < $3 ORDER BY at, id LIMIT 100",
			   &p, a, out, n);
}

static int history(struct store *s, int64_t user_id, struct arena *a, struct app_event **out, size_t *n)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	return list_events(
	    s,
	    "SELECT id, application_id, version, kind, at, from_status, to_status, NULL, NULL, NULL, NULL, "
	    "created_at FROM events WHERE user_id = $1 "
	    "AND kind IN ('created', 'status_change', 'interview')",
	    &p, a, out, n);
}

const struct store_event_ops pg_event_ops = {
	.list = event_list,
	.get = event_get,
	.insert = event_insert,
	.update = event_update,
	.delete = event_delete,
	.interviews_between = interviews_between,
	.history = history,
};
