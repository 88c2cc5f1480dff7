/* settings.c — instance settings and the shared attempt counters. */
#include "store/postgres/pg.h"

#include <stdio.h>

#include "store/rows.h"

static int setting_get(struct store *s, const char *key, char *value, size_t valuelen)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, key);
	PGresult *res;
	int rc = pg_exec(c, "SELECT value FROM settings WHERE key = $1", &p, &res);
	value[0] = '\0';
	if (rc == 0 && PQntuples(res) == 1)
		snprintf(value, valuelen, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

static int setting_set(struct store *s, const char *key, const char *value)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, key);
	pg_param_text(&p, value);
	return pg_exec_done(c,
			    "INSERT INTO settings(key, value) VALUES ($1, $2) "
			    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			    &p);
}

/* One statement, so processes racing on one key each count once. A window
 * that has ended starts afresh; within a window the count stops at
 * limit + 1 without writing (the WHERE of DO UPDATE), and the second branch
 * then reports limit + 1 and the stored window. $1 key, $2 now, $3 window,
 * $4 limit. */
static const char limit_hit_sql[] =
    "WITH hit AS (\n"
    "  INSERT INTO rate_limits AS r (key, window_start, count) VALUES ($1, $2, 1)\n"
    "  ON CONFLICT (key) DO UPDATE SET\n"
    "    window_start = CASE WHEN r.window_start + $3 <= $2 THEN $2 ELSE r.window_start END,\n"
    "    count = CASE WHEN r.window_start + $3 <= $2 THEN 1 ELSE r.count + 1 END\n"
    "  WHERE r.window_start + $3 <= $2 OR r.count <= $4\n"
    "  RETURNING count, window_start)\n"
    "SELECT count, window_start + $3 FROM hit\n"
    "UNION ALL\n"
    "SELECT $4 + 1, window_start + $3 FROM rate_limits WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM hit)";

static int limit_hit(struct store *s, const char *key, int64_t limit, int64_t window, int64_t now, int64_t *count,
		     int64_t *window_end)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, key);
	pg_param_int(&p, now);
	pg_param_int(&p, window);
	pg_param_int(&p, limit);
	PGresult *res;
	int rc = pg_exec(c, limit_hit_sql, &p, &res);
	if (rc)
		return rc;
	/* No row: the key was reset between the insert and the read; it was
	 * over the limit a moment ago. */
	*count = limit + 1;
	*window_end = now + window;
	if (PQntuples(res) == 1) {
		struct pg_row r = pg_row_at(res, 0, NULL);
		*count = pg_row_int(&r);
		*window_end = pg_row_int(&r);
		rc = r.bad ? STORE_ERROR : 0;
	}
	PQclear(res);
	/* A new window for this key is a good moment to drop the ended ones:
	 * keys are chosen by whoever knocks (addresses, e-mails), so the table
	 * must not keep them all. Only the key's own family: its callers share
	 * one window length (store.h). */
	if (rc == 0 && *count == 1) {
		char lo[128], hi[128];
		rows_limit_family(key, lo, hi, sizeof(lo));
		struct pg_params sweep = { 0 };
		pg_param_int(&sweep, now);
		pg_param_int(&sweep, window);
		pg_param_text(&sweep, lo);
		pg_param_text(&sweep, hi);
		rc = pg_exec_done(c, "DELETE FROM rate_limits WHERE key >= $3 AND key < $4 AND window_start + $2 <= $1",
				  &sweep);
	}
	return rc;
}

static int limit_peek(struct store *s, const char *key, int64_t window, int64_t now, int64_t *count)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, key);
	pg_param_int(&p, now);
	pg_param_int(&p, window);
	int rc = pg_exec_int(c, "SELECT count FROM rate_limits WHERE key = $1 AND window_start + $3 > $2", &p, count);
	if (rc == STORE_NOTFOUND) {
		*count = 0;
		rc = 0;
	}
	return rc;
}

static int limit_reset(struct store *s, const char *key)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, key);
	return pg_exec_done(c, "DELETE FROM rate_limits WHERE key = $1", &p);
}

static int login_address_add(struct store *s, int64_t user_id, const char *address, int64_t now, int64_t keep)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_text(&p, address);
	pg_param_int(&p, now);
	int rc =
	    pg_exec_done(c,
			 "INSERT INTO login_addresses AS a (user_id, address, last_ok) VALUES ($1, $2, $3) "
			 "ON CONFLICT (user_id, address) DO UPDATE SET last_ok = greatest(a.last_ok, excluded.last_ok)",
			 &p);
	if (rc)
		return rc;
	struct pg_params sweep = { 0 };
	pg_param_int(&sweep, now - keep);
	return pg_exec_done(c, "DELETE FROM login_addresses WHERE last_ok <= $1", &sweep);
}

static int login_address_known(struct store *s, int64_t user_id, const char *address, int64_t since, int *known)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_text(&p, address);
	pg_param_int(&p, since);
	int64_t one = 0;
	int rc = pg_exec_int(c, "SELECT 1 FROM login_addresses WHERE user_id = $1 AND address = $2 AND last_ok > $3",
			     &p, &one);
	*known = rc == 0;
	return rc == STORE_NOTFOUND ? 0 : rc;
}

const struct store_settings_ops pg_settings_ops = {
	.setting_get = setting_get,
	.setting_set = setting_set,
	.limit_hit = limit_hit,
	.limit_peek = limit_peek,
	.limit_reset = limit_reset,
	.login_address_add = login_address_add,
	.login_address_known = login_address_known,
};
