/* saved_searches.c — a user's saved searches (store.h: the rules). Writes
 * hold the user's lock like every other write of the user's data. */
#include "store/postgres/pg.h"

#include <string.h>

#define SAVED_COLS "id, user_id, name, query, alert, last_looked_at, last_alert_at, created_at, updated_at"
/* The period of an alert, seconds; the CHECK of migration 14 allows no other. */
#define PERIOD     "CASE alert WHEN 'daily' THEN 86400 ELSE 604800 END"

static void read_saved(struct pg_row *r, void *item)
{
	struct saved_search *ss = item;
	memset(ss, 0, sizeof(*ss));
	ss->id = pg_row_int(r);
	ss->user_id = pg_row_int(r);
	ss->name = pg_row_text(r);
	ss->query = pg_row_text(r);
	ss->alert = pg_row_text(r);
	ss->last_looked_at = pg_row_int(r);
	ss->last_alert_at = pg_row_int(r);
	ss->created_at = pg_row_int(r);
	ss->updated_at = pg_row_int(r);
}

static int saved_insert(struct store *s, int64_t user_id, struct saved_search *ss, int64_t now)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_text(&p, ss->name);
	pg_param_text(&p, ss->query);
	pg_param_text(&p, ss->alert);
	pg_param_int(&p, now);
	int64_t id = 0;
	int rc =
	    pg_user_write_int(s, user_id,
			      "INSERT INTO saved_searches(user_id, name, query, alert, last_looked_at, last_alert_at, "
			      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $5, $5) RETURNING id",
			      &p, &id);
	if (rc == 0) {
		ss->id = id;
		ss->user_id = user_id;
		ss->last_looked_at = ss->created_at = ss->updated_at = now;
		ss->last_alert_at = 0;
	}
	return rc;
}

static int saved_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct saved_search *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	return pg_get(c, "SELECT " SAVED_COLS " FROM saved_searches WHERE user_id = $1 AND id = $2", &p, a,
		      sizeof(*out), read_saved, out);
}

static int list_of(struct store *s, const char *sql, int64_t arg, struct arena *a, struct saved_search **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, arg);
	void *items;
	int rc = pg_list(c, sql, &p, a, sizeof(**out), read_saved, &items, n);
	if (rc == 0)
		*out = items;
	return rc;
}

static int saved_list(struct store *s, int64_t user_id, struct arena *a, struct saved_search **out, size_t *n)
{
	return list_of(s, "SELECT " SAVED_COLS " FROM saved_searches WHERE user_id = $1 ORDER BY name, id LIMIT 10000",
		       user_id, a, out, n);
}

static int saved_alerts_due(struct store *s, int64_t now, struct arena *a, struct saved_search **out, size_t *n)
{
	return list_of(s,
		       "SELECT " SAVED_COLS " FROM saved_searches WHERE alert <> 'none' AND "
		       "last_alert_at <= $1 - " PERIOD " ORDER BY id LIMIT 10000",
		       now, a, out, n);
}

static int saved_update(struct store *s, int64_t user_id, const struct saved_search *ss, int64_t now)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, ss->id);
	pg_param_text(&p, ss->name);
	pg_param_text(&p, ss->query);
	pg_param_text(&p, ss->alert);
	pg_param_int(&p, now);
	return pg_user_write(
	    s, user_id,
	    "UPDATE saved_searches SET name = $3, alert = $5, updated_at = $6, "
	    "last_alert_at = CASE WHEN alert = 'none' AND $5 <> 'none' THEN $6 ELSE last_alert_at END, "
	    "last_looked_at = CASE WHEN query = $4 THEN last_looked_at ELSE $6 END, query = $4 "
	    "WHERE user_id = $1 AND id = $2",
	    &p);
}

static int saved_delete(struct store *s, int64_t user_id, int64_t id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	return pg_user_write(s, user_id, "DELETE FROM saved_searches WHERE user_id = $1 AND id = $2", &p);
}

static int set_moment(struct store *s, const char *sql, int64_t user_id, int64_t id, int64_t at)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	pg_param_int(&p, at);
	return pg_user_write(s, user_id, sql, &p);
}

static int saved_looked(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	return set_moment(s, "UPDATE saved_searches SET last_looked_at = $3 WHERE user_id = $1 AND id = $2", user_id,
			  id, now);
}

static int saved_alerted(struct store *s, int64_t user_id, int64_t id, int64_t at)
{
	return set_moment(s, "UPDATE saved_searches SET last_alert_at = $3 WHERE user_id = $1 AND id = $2", user_id, id,
			  at);
}

const struct store_saved_search_ops pg_saved_search_ops = {
	.insert = saved_insert,
	.get = saved_get,
	.list = saved_list,
	.update = saved_update,
	.delete = saved_delete,
	.looked = saved_looked,
	.alerts_due = saved_alerts_due,
	.alerted = saved_alerted,
};
