/* notify.c — reminders and automation: a user's settings, muted default
 * reminders and the record of each reminder sent (store.h, "reminders and
 * automation"). Writes hold the user's lock (pg_conn_begin), like every
 * other write of the user's data. */
#include "store/postgres/pg.h"

#include <string.h>

#define SEND_COLS \
	"id, application_id, due_on, channel, state, attempts, next_at, sent_at, created_at, updated_at, last_error"

static void read_settings(struct pg_row *r, void *item)
{
	struct notify_settings *o = item;
	o->follow_up_days = (int)pg_row_int(r);
	o->ghost_days = (int)pg_row_int(r);
	o->email = (int)pg_row_int(r);
	o->webhook_url = pg_row_text(r);
	o->webhook_secret = pg_row_text(r);
	o->updated_at = pg_row_int(r);
}

static int settings_get(struct store *s, int64_t user_id, struct arena *a, struct notify_settings *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	int rc = pg_get(c,
			"SELECT follow_up_days, ghost_days, email, webhook_url, webhook_secret, updated_at "
			"FROM notify_settings WHERE user_id = $1",
			&p, a, sizeof(*out), read_settings, out);
	if (rc == STORE_NOTFOUND) {
		*out = (struct notify_settings){ .follow_up_days = STORE_NOTIFY_DEFAULT_FOLLOW_UP_DAYS,
						 .email = 1,
						 .webhook_url = "",
						 .webhook_secret = "" };
		rc = 0;
	}
	return rc;
}

static int settings_set(struct store *s, int64_t user_id, const struct notify_settings *in, int64_t now)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, in->follow_up_days);
	pg_param_int(&p, in->ghost_days);
	pg_param_int(&p, in->email ? 1 : 0);
	pg_param_text(&p, in->webhook_url ? in->webhook_url : "");
	pg_param_text(&p, in->webhook_secret ? in->webhook_secret : "");
	pg_param_int(&p, now);
	return pg_user_write(s, user_id,
			     "INSERT INTO notify_settings(user_id, follow_up_days, ghost_days, email, webhook_url, "
			     "webhook_secret, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
			     "ON CONFLICT (user_id) DO UPDATE SET follow_up_days = excluded.follow_up_days, "
			     "ghost_days = excluded.ghost_days, email = excluded.email, "
			     "webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret, "
			     "updated_at = excluded.updated_at",
			     &p);
}

static void read_follow_up(struct pg_row *r, void *item)
{
	struct follow_up_row *o = item;
	o->app_id = pg_row_int(r);
	o->company = pg_row_text(r);
	o->position = pg_row_text(r);
	o->status = pg_row_text(r);
	o->applied_on = pg_row_text(r);
	o->follow_up_on = pg_row_text(r);
	o->status_changed_at = pg_row_int(r);
	o->created_at = pg_row_int(r);
	o->muted = (int)pg_row_int(r);
	o->status_changed = (int)pg_row_int(r);
}

static int follow_up_rows(struct store *s, int64_t user_id, struct arena *a, struct follow_up_row **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, STORE_LIST_MAX);
	void *items = NULL;
	int rc = pg_list(c,
			 "SELECT a.id, a.company, a.position, a.status, a.applied_on, a.follow_up_on, "
			 "a.status_changed_at, a.created_at, "
			 "CASE WHEN EXISTS (SELECT 1 FROM reminder_mutes m WHERE m.application_id = a.id) "
			 "THEN 1 ELSE 0 END, "
			 "CASE WHEN EXISTS (SELECT 1 FROM events e WHERE e.application_id = a.id "
			 "AND e.kind = 'status_change') THEN 1 ELSE 0 END FROM applications a "
			 "WHERE a.user_id = $1 AND (a.status = 'applied' OR a.follow_up_on IS NOT NULL) "
			 "ORDER BY a.id LIMIT $2",
			 &p, a, sizeof(**out), read_follow_up, &items, n);
	*out = items;
	return rc;
}

static void read_id(struct pg_row *r, void *item)
{
	*(int64_t *)item = pg_row_int(r);
}

static int follow_up_muted(struct store *s, int64_t user_id, struct arena *a, int64_t **app_ids, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	void *items = NULL;
	int rc = pg_list(c, "SELECT application_id FROM reminder_mutes WHERE user_id = $1 ORDER BY application_id", &p,
			 a, sizeof(**app_ids), read_id, &items, n);
	*app_ids = items;
	return rc;
}

/* 0 when application app_id is the user's, STORE_NOTFOUND, or an error. */
static int app_owned(struct pg_conn *c, int64_t user_id, int64_t app_id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, app_id);
	int64_t one;
	return pg_exec_int(c, "SELECT 1 FROM applications WHERE user_id = $1 AND id = $2", &p, &one);
}

static int follow_up_mute(struct store *s, int64_t user_id, int64_t app_id, int muted)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	rc = app_owned(c, user_id, app_id);
	if (rc == 0) {
		struct pg_params p = { 0 };
		pg_param_int(&p, user_id);
		pg_param_int(&p, app_id);
		rc = pg_exec_done(c,
				  muted ? "INSERT INTO reminder_mutes(application_id, user_id) VALUES ($2, $1) "
					  "ON CONFLICT (application_id) DO NOTHING"
					: "DELETE FROM reminder_mutes WHERE user_id = $1 AND application_id = $2",
				  &p);
	}
	return pg_tx_end(c, rc);
}

static void read_send(struct pg_row *r, void *item)
{
	struct reminder_send *o = item;
	o->id = pg_row_int(r);
	o->app_id = pg_row_int(r);
	o->due_on = pg_row_text(r);
	o->channel = pg_row_text(r);
	o->state = pg_row_text(r);
	o->attempts = (int)pg_row_int(r);
	o->next_at = pg_row_int(r);
	o->sent_at = pg_row_int(r);
	o->created_at = pg_row_int(r);
	o->updated_at = pg_row_int(r);
	o->last_error = pg_row_text(r);
}

static int send_open(struct store *s, int64_t user_id, int64_t app_id, const char *due_on, const char *channel,
		     int64_t now, struct arena *a, struct reminder_send *out)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	rc = app_owned(c, user_id, app_id);
	if (rc == 0) {
		/* A record there already comes back as it is. */
		struct pg_params p = { 0 };
		pg_param_int(&p, user_id);
		pg_param_int(&p, app_id);
		pg_param_text(&p, due_on);
		pg_param_text(&p, channel);
		pg_param_int(&p, now);
		rc =
		    pg_get(c,
			   "INSERT INTO reminder_sends AS r (user_id, application_id, due_on, channel, state, next_at, "
			   "created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', $5, $5, $5) "
			   "ON CONFLICT (application_id, due_on, channel) DO UPDATE SET next_at = r.next_at "
			   "RETURNING " SEND_COLS,
			   &p, a, sizeof(*out), read_send, out);
		if (rc == STORE_NOTFOUND)
			rc = STORE_ERROR;
	}
	return pg_tx_end(c, rc);
}

/* An update of the user's record id by sql ($1 user, $2 id, then p's own),
 * in the user's transaction: STALE when it changed nothing but the record
 * is there, NOTFOUND when it is not. */
static int send_update(struct store *s, int64_t user_id, int64_t id, const char *sql, struct pg_params *p)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	rc = pg_exec_changed(c, sql, p);
	if (rc == STORE_NOTFOUND) {
		struct pg_params q = { 0 };
		pg_param_int(&q, user_id);
		pg_param_int(&q, id);
		int64_t one;
		rc = pg_exec_int(c, "SELECT 1 FROM reminder_sends WHERE user_id = $1 AND id = $2", &q, &one);
		if (rc == 0)
			rc = STORE_STALE;
	}
	return pg_tx_end(c, rc);
}

static int send_claim(struct store *s, int64_t user_id, int64_t id, int64_t now, int64_t lease_until)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	pg_param_int(&p, now);
	pg_param_int(&p, lease_until);
	return send_update(s, user_id, id,
			   "UPDATE reminder_sends SET next_at = $4 "
			   "WHERE user_id = $1 AND id = $2 AND state = 'pending' AND next_at <= $3",
			   &p);
}

static int send_record(struct store *s, int64_t user_id, int64_t id, const char *state, const char *error,
		       int64_t next_at, int64_t now)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	pg_param_text(&p, state);
	pg_param_text(&p, error ? error : "");
	pg_param_int(&p, next_at);
	pg_param_int(&p, now);
	return send_update(s, user_id, id,
			   "UPDATE reminder_sends SET attempts = attempts + 1, state = $3, last_error = $4, "
			   "next_at = $5, sent_at = CASE WHEN $3 = 'sent' THEN $6 ELSE sent_at END, updated_at = $6 "
			   "WHERE user_id = $1 AND id = $2 AND state <> 'sent'",
			   &p);
}

static int send_list(struct store *s, int64_t user_id, int64_t limit, struct arena *a, struct reminder_send **out,
		     size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	if (limit <= 0)
		limit = 50;
	if (limit > STORE_LIST_MAX)
		limit = STORE_LIST_MAX;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, limit);
	void *items = NULL;
	int rc = pg_list(c,
			 "SELECT " SEND_COLS " FROM reminder_sends WHERE user_id = $1 "
			 "ORDER BY updated_at DESC, id DESC LIMIT $2",
			 &p, a, sizeof(**out), read_send, &items, n);
	*out = items;
	return rc;
}

const struct store_notify_ops pg_notify_ops = {
	.settings_get = settings_get,
	.settings_set = settings_set,
	.follow_up_rows = follow_up_rows,
	.follow_up_mute = follow_up_mute,
	.follow_up_muted = follow_up_muted,
	.send_open = send_open,
	.send_claim = send_claim,
	.send_record = send_record,
	.send_list = send_list,
};
