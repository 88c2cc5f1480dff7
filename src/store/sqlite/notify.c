/* Reminders and automation: a user's settings, muted default reminders and
 * the record of each reminder sent (store.h, "reminders and automation"). */
#include <stdint.h>
#include <string.h>

#include "store/sqlite/sqlite.h"

static const char SQL_SETTINGS_GET[] = "SELECT follow_up_days, ghost_days, email, webhook_url, webhook_secret, "
				       "updated_at FROM notify_settings WHERE user_id = ?1";
static const char SQL_SETTINGS_SET[] =
    "INSERT INTO notify_settings(user_id, follow_up_days, ghost_days, email, webhook_url, webhook_secret, "
    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(user_id) DO UPDATE SET "
    "follow_up_days = excluded.follow_up_days, ghost_days = excluded.ghost_days, email = excluded.email, "
    "webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret, updated_at = excluded.updated_at";
static const char SQL_FOLLOW_UP_ROWS[] =
    "SELECT a.id, a.company, a.position, a.status, a.applied_on, a.follow_up_on, a.status_changed_at, a.created_at, "
    "EXISTS (SELECT 1 FROM reminder_mutes m WHERE m.application_id = a.id), "
    "EXISTS (SELECT 1 FROM events e WHERE e.application_id = a.id AND e.kind = 'status_change') FROM applications a "
    "WHERE a.user_id = ?1 AND (a.status = 'applied' OR a.follow_up_on IS NOT NULL) ORDER BY a.id";
static const char SQL_APP_OWNED[] = "SELECT 1 FROM applications WHERE user_id = ?1 AND id = ?2";
static const char SQL_MUTE[] = "INSERT INTO reminder_mutes(application_id, user_id) VALUES (?2, ?1) "
			       "ON CONFLICT(application_id) DO NOTHING";
static const char SQL_MUTED[] = "SELECT application_id FROM reminder_mutes WHERE user_id = ?1 ORDER BY application_id";
static const char SQL_UNMUTE[] = "DELETE FROM reminder_mutes WHERE user_id = ?1 AND application_id = ?2";

#define SEND_COLS \
	"id, application_id, due_on, channel, state, attempts, next_at, sent_at, created_at, updated_at, last_error"
/* A record there already comes back as it is (the update writes nothing new). */
static const char SQL_SEND_OPEN[] =
    "INSERT INTO reminder_sends(user_id, application_id, due_on, channel, state, next_at, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?5, ?5) ON CONFLICT(application_id, due_on, channel) "
    "DO UPDATE SET next_at = next_at RETURNING " SEND_COLS;
static const char SQL_SEND_RECORD[] =
    "UPDATE reminder_sends SET attempts = attempts + 1, state = ?3, last_error = ?4, next_at = ?5, "
    "sent_at = CASE WHEN ?3 = 'sent' THEN ?6 ELSE sent_at END, updated_at = ?6 "
    "WHERE user_id = ?1 AND id = ?2 AND state <> 'sent'";
static const char SQL_SEND_CLAIM[] = "UPDATE reminder_sends SET next_at = ?4 "
				     "WHERE user_id = ?1 AND id = ?2 AND state = 'pending' AND next_at <= ?3";
static const char SQL_SEND_EXISTS[] = "SELECT 1 FROM reminder_sends WHERE user_id = ?1 AND id = ?2";
static const char SQL_SEND_LIST[] = "SELECT " SEND_COLS " FROM reminder_sends WHERE user_id = ?1 "
				    "ORDER BY updated_at DESC, id DESC LIMIT ?2";

static int settings_get(struct store *s, int64_t user_id, struct arena *a, struct notify_settings *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SETTINGS_GET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	*out = (struct notify_settings){ .follow_up_days = STORE_NOTIFY_DEFAULT_FOLLOW_UP_DAYS,
					 .email = 1,
					 .webhook_url = "",
					 .webhook_secret = "" };
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->follow_up_days = sqlite3_column_int(st, 0);
		out->ghost_days = sqlite3_column_int(st, 1);
		out->email = sqlite3_column_int(st, 2);
		out->webhook_url = sq_text(st, 3, a);
		out->webhook_secret = sq_text(st, 4, a);
		out->updated_at = sqlite3_column_int64(st, 5);
	}
	sq_finish(st);
	if (step == SQLITE_ROW && (!out->webhook_url || !out->webhook_secret))
		return STORE_ERROR; /* out of memory */
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : sq_error(c, step);
}

static int settings_set(struct store *s, int64_t user_id, const struct notify_settings *in, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SETTINGS_SET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, in->follow_up_days);
	sqlite3_bind_int(st, 3, in->ghost_days);
	sqlite3_bind_int(st, 4, in->email ? 1 : 0);
	sq_bind_text(st, 5, in->webhook_url ? in->webhook_url : "");
	sq_bind_text(st, 6, in->webhook_secret ? in->webhook_secret : "");
	sqlite3_bind_int64(st, 7, now);
	return sq_run(c, st);
}

static void read_follow_up(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct follow_up_row *r = item;
	r->app_id = sqlite3_column_int64(st, 0);
	r->company = sq_text(st, 1, a);
	r->position = sq_text(st, 2, a);
	r->status = sq_text(st, 3, a);
	r->applied_on = sq_text(st, 4, a);
	r->follow_up_on = sq_text(st, 5, a);
	r->status_changed_at = sqlite3_column_int64(st, 6);
	r->created_at = sqlite3_column_int64(st, 7);
	r->muted = sqlite3_column_int(st, 8);
	r->status_changed = sqlite3_column_int(st, 9);
}

static int follow_up_rows(struct store *s, int64_t user_id, struct arena *a, struct follow_up_row **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_FOLLOW_UP_ROWS) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	void *items = NULL;
	int rc = sq_list(c, st, a, sizeof(**out), STORE_LIST_MAX, read_follow_up, &items, n, NULL);
	*out = items;
	return rc;
}

/* Begins a transaction in which application app_id is the user's: 0, or
 * STORE_NOTFOUND or an error with no transaction left open. */
static int begin_owned(struct sq_conn *c, int64_t user_id, int64_t app_id)
{
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sqlite3_stmt *st = sq_prepare(c, SQL_APP_OWNED);
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	int step = sqlite3_step(st);
	sq_finish(st);
	rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
	return rc ? sq_tx_end(c, rc) : 0;
}

static int follow_up_mute(struct store *s, int64_t user_id, int64_t app_id, int muted)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	int rc = begin_owned(c, user_id, app_id);
	if (rc)
		return rc;
	sqlite3_stmt *st = sq_prepare(c, muted ? SQL_MUTE : SQL_UNMUTE);
	if (!rc && !st)
		rc = STORE_ERROR;
	if (!rc) {
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_int64(st, 2, app_id);
		rc = sq_run(c, st);
	}
	return sq_tx_end(c, rc);
}

static void read_id(sqlite3_stmt *st, struct arena *a, void *item)
{
	(void)a;
	*(int64_t *)item = sqlite3_column_int64(st, 0);
}

static int follow_up_muted(struct store *s, int64_t user_id, struct arena *a, int64_t **app_ids, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_MUTED) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	void *items = NULL;
	int rc = sq_list(c, st, a, sizeof(**app_ids), INT64_MAX, read_id, &items, n, NULL);
	*app_ids = items;
	return rc;
}

static void read_send(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct reminder_send *r = item;
	r->id = sqlite3_column_int64(st, 0);
	r->app_id = sqlite3_column_int64(st, 1);
	r->due_on = sq_text(st, 2, a);
	r->channel = sq_text(st, 3, a);
	r->state = sq_text(st, 4, a);
	r->attempts = sqlite3_column_int(st, 5);
	r->next_at = sqlite3_column_int64(st, 6);
	r->sent_at = sqlite3_column_int64(st, 7);
	r->created_at = sqlite3_column_int64(st, 8);
	r->updated_at = sqlite3_column_int64(st, 9);
	r->last_error = sq_text(st, 10, a);
}

static int send_open(struct store *s, int64_t user_id, int64_t app_id, const char *due_on, const char *channel,
		     int64_t now, struct arena *a, struct reminder_send *out)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	int rc = begin_owned(c, user_id, app_id);
	if (rc)
		return rc;
	sqlite3_stmt *st = sq_prepare(c, SQL_SEND_OPEN);
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	sq_bind_text(st, 3, due_on);
	sq_bind_text(st, 4, channel);
	sqlite3_bind_int64(st, 5, now);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		read_send(st, a, out);
	sq_finish(st);
	rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_ERROR : sq_error(c, step);
	return sq_tx_end(c, rc);
}

/* After an update by id that changed nothing: STALE when the user's record
 * is there (not in the state asked for), else NOTFOUND. */
static int send_unchanged(struct sq_conn *c, int64_t user_id, int64_t id)
{
	sqlite3_stmt *ex = sq_prepare(c, SQL_SEND_EXISTS);
	if (!ex)
		return STORE_ERROR;
	sqlite3_bind_int64(ex, 1, user_id);
	sqlite3_bind_int64(ex, 2, id);
	int step = sqlite3_step(ex);
	sq_finish(ex);
	return step == SQLITE_ROW ? STORE_STALE : step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
}

static int send_claim(struct store *s, int64_t user_id, int64_t id, int64_t now, int64_t lease_until)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SEND_CLAIM) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, lease_until);
	int rc = sq_run(c, st);
	if (rc || sqlite3_changes(c->db))
		return rc;
	return send_unchanged(c, user_id, id);
}

static int send_record(struct store *s, int64_t user_id, int64_t id, const char *state, const char *error,
		       int64_t next_at, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SEND_RECORD) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	sq_bind_text(st, 3, state);
	sq_bind_text(st, 4, error ? error : "");
	sqlite3_bind_int64(st, 5, next_at);
	sqlite3_bind_int64(st, 6, now);
	int rc = sq_run(c, st);
	if (rc || sqlite3_changes(c->db))
		return rc;
	return send_unchanged(c, user_id, id); /* sent already, or not the user's */
}

static int send_list(struct store *s, int64_t user_id, int64_t limit, struct arena *a, struct reminder_send **out,
		     size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SEND_LIST) : NULL;
	if (!st)
		return STORE_ERROR;
	if (limit <= 0)
		limit = 50;
	if (limit > STORE_LIST_MAX)
		limit = STORE_LIST_MAX;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, limit);
	void *items = NULL;
	int rc = sq_list(c, st, a, sizeof(**out), limit, read_send, &items, n, NULL);
	*out = items;
	return rc;
}

const struct store_notify_ops sqlite_notify_ops = {
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
