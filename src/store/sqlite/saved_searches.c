/* A user's saved searches (store.h: the rules). */
#include <stdint.h>

#include "store/sqlite/sqlite.h"

#define SAVED_COLS "id, user_id, name, query, alert, last_looked_at, last_alert_at, created_at, updated_at"
/* The period of an alert, seconds; the CHECK of migration 14 allows no other. */
#define PERIOD     "CASE alert WHEN 'daily' THEN 86400 ELSE 604800 END"

static const char SQL_INSERT[] = "INSERT INTO saved_searches(user_id, name, query, alert, last_looked_at, "
				 "last_alert_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?5, ?5)";
static const char SQL_GET[] = "SELECT " SAVED_COLS " FROM saved_searches WHERE user_id = ?1 AND id = ?2";
static const char SQL_LIST[] = "SELECT " SAVED_COLS " FROM saved_searches WHERE user_id = ?1 ORDER BY name, id";
static const char SQL_UPDATE[] =
    "UPDATE saved_searches SET name = ?3, alert = ?5, updated_at = ?6, "
    "last_alert_at = CASE WHEN alert = 'none' AND ?5 <> 'none' THEN ?6 ELSE last_alert_at END, "
    "last_looked_at = CASE WHEN query = ?4 THEN last_looked_at ELSE ?6 END, query = ?4 WHERE user_id = ?1 AND id = ?2";
static const char SQL_DELETE[] = "DELETE FROM saved_searches WHERE user_id = ?1 AND id = ?2";
static const char SQL_LOOKED[] = "UPDATE saved_searches SET last_looked_at = ?3 WHERE user_id = ?1 AND id = ?2";
static const char SQL_DUE[] = "SELECT " SAVED_COLS " FROM saved_searches WHERE alert <> 'none' AND "
			      "last_alert_at <= ?1 - " PERIOD " ORDER BY id";
static const char SQL_ALERTED[] = "UPDATE saved_searches SET last_alert_at = ?3 WHERE user_id = ?1 AND id = ?2";

static void read_saved(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct saved_search *ss = item;
	ss->id = sqlite3_column_int64(st, 0);
	ss->user_id = sqlite3_column_int64(st, 1);
	ss->name = sq_text(st, 2, a);
	ss->query = sq_text(st, 3, a);
	ss->alert = sq_text(st, 4, a);
	ss->last_looked_at = sqlite3_column_int64(st, 5);
	ss->last_alert_at = sqlite3_column_int64(st, 6);
	ss->created_at = sqlite3_column_int64(st, 7);
	ss->updated_at = sqlite3_column_int64(st, 8);
}

static int saved_insert(struct store *s, int64_t user_id, struct saved_search *ss, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_INSERT) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sq_bind_text(st, 2, ss->name);
	sq_bind_text(st, 3, ss->query);
	sq_bind_text(st, 4, ss->alert);
	sqlite3_bind_int64(st, 5, now);
	int rc = sq_run(c, st);
	if (rc == 0) {
		ss->id = sqlite3_last_insert_rowid(c->db);
		ss->user_id = user_id;
		ss->last_looked_at = ss->created_at = ss->updated_at = now;
		ss->last_alert_at = 0;
	}
	return rc;
}

static int saved_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct saved_search *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_GET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		read_saved(st, a, out);
	sq_finish(st);
	if (step == SQLITE_ROW)
		return 0;
	return step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
}

static int saved_list(struct store *s, int64_t user_id, struct arena *a, struct saved_search **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_LIST) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	void *items = NULL;
	int rc = sq_list(c, st, a, sizeof(**out), STORE_LIST_MAX, read_saved, &items, n, NULL);
	*out = items;
	return rc;
}

static int saved_update(struct store *s, int64_t user_id, const struct saved_search *ss, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_UPDATE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, ss->id);
	sq_bind_text(st, 3, ss->name);
	sq_bind_text(st, 4, ss->query);
	sq_bind_text(st, 5, ss->alert);
	sqlite3_bind_int64(st, 6, now);
	return sq_run_changed(c, st);
}

/* One statement of (user_id, id[, value]) that must change a row. */
static int write_one(struct store *s, const char *sql, int64_t user_id, int64_t id, int64_t value, int has_value)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	if (has_value)
		sqlite3_bind_int64(st, 3, value);
	return sq_run_changed(c, st);
}

static int saved_delete(struct store *s, int64_t user_id, int64_t id)
{
	return write_one(s, SQL_DELETE, user_id, id, 0, 0);
}

static int saved_looked(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	return write_one(s, SQL_LOOKED, user_id, id, now, 1);
}

static int saved_alerted(struct store *s, int64_t user_id, int64_t id, int64_t at)
{
	return write_one(s, SQL_ALERTED, user_id, id, at, 1);
}

static int saved_alerts_due(struct store *s, int64_t now, struct arena *a, struct saved_search **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_DUE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	void *items = NULL;
	int rc = sq_list(c, st, a, sizeof(**out), STORE_LIST_MAX, read_saved, &items, n, NULL);
	*out = items;
	return rc;
}

const struct store_saved_search_ops sqlite_saved_search_ops = {
	.insert = saved_insert,
	.get = saved_get,
	.list = saved_list,
	.update = saved_update,
	.delete = saved_delete,
	.looked = saved_looked,
	.alerts_due = saved_alerts_due,
	.alerted = saved_alerted,
};
