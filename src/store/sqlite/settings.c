/* Instance settings and the shared attempt counters (rate limits). */
#include <stdio.h>

#include "store/rows.h"
#include "store/sqlite/sqlite.h"

static const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE key = ?1";
static const char SQL_SETTING_SET[] = "INSERT INTO settings(key, value) VALUES (?1, ?2) "
				      "ON CONFLICT(key) DO UPDATE SET value = excluded.value";

static int setting_get(struct store *s, const char *key, char *value, size_t valuelen)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SETTING_GET) : NULL;
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	value[0] = '\0';
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		snprintf(value, valuelen, "%s", v ? v : "");
	}
	sq_finish(st);
	return sq_error(c, rc);
}

static int setting_set(struct store *s, const char *key, const char *value)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SETTING_SET) : NULL;
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, key);
	sq_bind_text(st, 2, value);
	return sq_run(c, st);
}

/* ?1 key, ?2 now, ?3 window, ?4 limit. A window that has ended starts
 * afresh; past limit + 1 the row is left alone (no write per refused try). */
static const char SQL_LIMIT_HIT[] = "INSERT INTO rate_limits(key, window_start, count) VALUES (?1, ?2, 1) "
				    "ON CONFLICT(key) DO UPDATE SET "
				    "count = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE count + 1 END, "
				    "window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END "
				    "WHERE window_start + ?3 <= ?2 OR count <= ?4 "
				    "RETURNING window_start, count";
static const char SQL_LIMIT_GET[] = "SELECT window_start, count FROM rate_limits WHERE key = ?1";
static const char SQL_LIMIT_SWEEP[] =
    "DELETE FROM rate_limits WHERE key >= ?3 AND key < ?4 AND window_start + ?2 <= ?1";
static const char SQL_LIMIT_RESET[] = "DELETE FROM rate_limits WHERE key = ?1";

static int limit_hit(struct store *s, const char *key, int64_t limit, int64_t window, int64_t now, int64_t *count,
		     int64_t *window_end)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *hit = c ? sq_prepare(c, SQL_LIMIT_HIT) : NULL;
	sqlite3_stmt *get = c ? sq_prepare(c, SQL_LIMIT_GET) : NULL;
	sqlite3_stmt *sweep = c ? sq_prepare(c, SQL_LIMIT_SWEEP) : NULL;
	if (!hit || !get || !sweep)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sq_bind_text(hit, 1, key);
	sqlite3_bind_int64(hit, 2, now);
	sqlite3_bind_int64(hit, 3, window);
	sqlite3_bind_int64(hit, 4, limit);
	int step = sqlite3_step(hit);
	if (step == SQLITE_ROW) {
		*window_end = sqlite3_column_int64(hit, 0) + window;
		*count = sqlite3_column_int64(hit, 1);
		/* A new window for this key is a good moment to drop ended ones. */
		int fresh = *count == 1;
		sq_finish(hit);
		if (fresh) {
			char lo[128], hi[128];
			rows_limit_family(key, lo, hi, sizeof(lo));
			sqlite3_bind_int64(sweep, 1, now);
			sqlite3_bind_int64(sweep, 2, window);
			sq_bind_text(sweep, 3, lo);
			sq_bind_text(sweep, 4, hi);
			rc = sq_run(c, sweep);
		}
	} else {
		sq_finish(hit);
		rc = sq_error(c, step);
		if (rc == 0) { /* over the limit: nothing written, read what is there */
			sq_bind_text(get, 1, key);
			step = sqlite3_step(get);
			if (step == SQLITE_ROW) {
				*window_end = sqlite3_column_int64(get, 0) + window;
				*count = sqlite3_column_int64(get, 1);
			}
			sq_finish(get);
			rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_ERROR : sq_error(c, step);
		}
	}
	return sq_tx_end(c, rc);
}

static int limit_peek(struct store *s, const char *key, int64_t window, int64_t now, int64_t *count)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *get = c ? sq_prepare(c, SQL_LIMIT_GET) : NULL;
	if (!get)
		return STORE_ERROR;
	sq_bind_text(get, 1, key);
	int step = sqlite3_step(get);
	*count = 0;
	if (step == SQLITE_ROW && sqlite3_column_int64(get, 0) + window > now)
		*count = sqlite3_column_int64(get, 1);
	sq_finish(get);
	return sq_error(c, step);
}

static int limit_reset(struct store *s, const char *key)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_LIMIT_RESET) : NULL;
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, key);
	return sq_run(c, st);
}

/* ?1 user, ?2 address, ?3 now. */
static const char SQL_ADDRESS_ADD[] =
    "INSERT INTO login_addresses(user_id, address, last_ok) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(user_id, address) DO UPDATE SET last_ok = max(last_ok, excluded.last_ok)";
static const char SQL_ADDRESS_SWEEP[] = "DELETE FROM login_addresses WHERE last_ok <= ?1";
static const char SQL_ADDRESS_KNOWN[] =
    "SELECT 1 FROM login_addresses WHERE user_id = ?1 AND address = ?2 AND last_ok > ?3";

static int login_address_add(struct store *s, int64_t user_id, const char *address, int64_t now, int64_t keep)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *add = c ? sq_prepare(c, SQL_ADDRESS_ADD) : NULL;
	sqlite3_stmt *sweep = c ? sq_prepare(c, SQL_ADDRESS_SWEEP) : NULL;
	if (!add || !sweep)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sqlite3_bind_int64(add, 1, user_id);
	sq_bind_text(add, 2, address);
	sqlite3_bind_int64(add, 3, now);
	rc = sq_run(c, add);
	if (rc == 0) {
		sqlite3_bind_int64(sweep, 1, now - keep);
		rc = sq_run(c, sweep);
	}
	return sq_tx_end(c, rc);
}

static int login_address_known(struct store *s, int64_t user_id, const char *address, int64_t since, int *known)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_ADDRESS_KNOWN) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sq_bind_text(st, 2, address);
	sqlite3_bind_int64(st, 3, since);
	int step = sqlite3_step(st);
	*known = step == SQLITE_ROW;
	sq_finish(st);
	return sq_error(c, step);
}

const struct store_settings_ops sqlite_settings_ops = {
	.setting_get = setting_get,
	.setting_set = setting_set,
	.limit_hit = limit_hit,
	.limit_peek = limit_peek,
	.limit_reset = limit_reset,
	.login_address_add = login_address_add,
	.login_address_known = login_address_known,
};
