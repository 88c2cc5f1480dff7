/* accounts.c — users, browser sessions and API tokens. */
#include "store/postgres/pg.h"

#include <string.h>

#define USER_COLS PG_USER_COLS

void pg_read_user(struct pg_row *r, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = pg_row_int(r);
	pg_row_text_to(r, u->email, sizeof(u->email));
	pg_row_text_to(r, u->password_hash, sizeof(u->password_hash));
	u->is_admin = (int)pg_row_int(r);
	u->token_version = pg_row_int(r);
	u->created_at = pg_row_int(r);
	u->data_version = pg_row_int(r);
}

/* Runs a statement that returns at most one user (USER_COLS first). */
static int one_user(struct pg_conn *c, const char *sql, const struct pg_params *p, struct user *out)
{
	PGresult *res;
	int rc = pg_exec(c, sql, p, &res);
	if (rc)
		return rc;
	if (PQntuples(res) == 0) {
		rc = STORE_NOTFOUND;
	} else {
		struct pg_row r = pg_row_at(res, 0, NULL);
		pg_read_user(&r, out);
		rc = r.bad ? STORE_ERROR : 0;
	}
	PQclear(res);
	return rc;
}

/* ---- users ---- */

/* Any number, as long as every process uses the same: "1st user". */
static const int64_t first_user_lock_key = 0x6a7431737475736bLL;

static int user_create(struct store *s, const char *email, const char *password_hash, int64_t now, struct user *out)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, 0, &rc);
	if (!c)
		return rc;
	/* Under READ COMMITTED two sign-ups would each see no users; queued on
	 * this lock, the second one's insert sees the first's row. */
	struct pg_params lock = { 0 };
	pg_param_int(&lock, first_user_lock_key);
	rc = pg_exec_done(c, "SELECT pg_advisory_xact_lock($1)", &lock);
	if (rc == 0) {
		struct pg_params p = { 0 };
		pg_param_text(&p, email);
		pg_param_text(&p, password_hash);
		pg_param_int(&p, now);
		rc = one_user(c,
			      "INSERT INTO users AS u (email, password_hash, is_admin, created_at, updated_at) "
			      "VALUES ($1, $2, (NOT EXISTS (SELECT 1 FROM users))::int, $3, $3) RETURNING " USER_COLS,
			      &p, out);
	}
	return pg_tx_end(c, rc);
}

static int user_by_email(struct store *s, const char *email, struct user *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, email);
	/* The unique index's expression, so the lookup uses it. */
	return one_user(
	    c, "SELECT " USER_COLS " FROM users u WHERE lower(u.email COLLATE \"C\") = lower($1 COLLATE \"C\")", &p,
	    out);
}

static int user_by_id(struct store *s, int64_t id, struct user *out)
{
	struct pg_store *ps = pg_store_of(s);
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	/* Inside a transaction, its own uncommitted writes must show: no cache. */
	int cached = c->depth == 0;
	if (cached && pg_cache_fresh(ps) && pg_cache_user(ps, id, out))
		return 0;
	uint64_t epoch = cached ? pg_cache_epoch(ps) : 0;
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	int rc = one_user(c, "SELECT " USER_COLS " FROM users u WHERE u.id = $1", &p, out);
	if (rc == 0)
		pg_cache_put_user(ps, epoch, out);
	return rc;
}

static int user_count(struct store *s, int64_t *count)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	return pg_exec_int(c, "SELECT count(*) FROM users", NULL, count);
}

static int user_each(struct store *s, void (*fn)(const struct user *u, void *ctx), void *ctx)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	PGresult *res;
	int rc = pg_exec(c, "SELECT " USER_COLS " FROM users u ORDER BY u.id", NULL, &res);
	for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
		struct user u;
		struct pg_row r = pg_row_at(res, i, NULL);
		pg_read_user(&r, &u);
		if (r.bad)
			rc = STORE_ERROR;
		else
			fn(&u, ctx);
	}
	PQclear(res);
	return rc;
}

/* Ends every session of the user but keep (NULL: all); no row changed is fine. */
static int end_other_sessions(struct pg_conn *c, int64_t user_id, const uint8_t keep[32])
{
	if (c->depth > 0)
		c->tx_ended_sessions = 1; /* the transaction's end forgets them */
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	if (keep)
		pg_param_bytes(&p, keep, 32);
	else
		pg_param_null(&p);
	return pg_exec_done(c, "DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2::bytea", &p);
}

static int user_set_password(struct store *s, int64_t id, const char *password_hash, const uint8_t keep[32],
			     int64_t now)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, id, &rc);
	if (!c)
		return rc;
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	pg_param_text(&p, password_hash);
	pg_param_int(&p, now);
	rc = pg_exec_changed(c,
			     "UPDATE users SET password_hash = $2, token_version = token_version + 1, "
			     "updated_at = $3 WHERE id = $1",
			     &p);
	if (rc == 0)
		rc = end_other_sessions(c, id, keep);
	return pg_tx_end(c, rc);
}

static int user_set_admin(struct store *s, int64_t id, int is_admin, int64_t now)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	pg_param_int(&p, is_admin ? 1 : 0);
	pg_param_int(&p, now);
	int rc = pg_exec_changed(c, "UPDATE users SET is_admin = $2, updated_at = $3 WHERE id = $1", &p);
	pg_cache_forget_user(pg_store_of(s), id);
	return rc;
}

/* ---- sessions ---- */

static int session_create(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now, int64_t expires_at,
			  const char *user_agent, const char *address)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, 0, &rc);
	if (!c)
		return rc;
	/* Sweeping expired sessions here keeps the table small without a timer. */
	struct pg_params gc = { 0 };
	pg_param_int(&gc, now);
	rc = pg_exec_done(c, "DELETE FROM sessions WHERE expires_at <= $1", &gc);
	if (rc == 0) {
		struct pg_params p = { 0 };
		pg_param_int(&p, user_id);
		pg_param_bytes(&p, hash, 32);
		pg_param_int(&p, now);
		pg_param_int(&p, expires_at);
		pg_param_text(&p, user_agent ? user_agent : "");
		pg_param_text(&p, address ? address : "");
		rc = pg_exec_done(
		    c,
		    "INSERT INTO sessions(user_id, token_hash, created_at, expires_at, user_agent, address) "
		    "VALUES ($1, $2, $3, $4, $5, $6)",
		    &p);
	}
	return pg_tx_end(c, rc);
}

static int session_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out)
{
	struct pg_store *ps = pg_store_of(s);
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	int cached = c->depth == 0; /* as in user_by_id */
	if (cached && pg_cache_fresh(ps) && pg_cache_session(ps, hash, now, out))
		return 0;
	uint64_t epoch = cached ? pg_cache_epoch(ps) : 0;
	struct pg_params p = { 0 };
	pg_param_bytes(&p, hash, 32);
	pg_param_int(&p, now);
	PGresult *res;
	int rc = pg_exec(c,
			 "SELECT " USER_COLS ", s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
			 "WHERE s.token_hash = $1 AND s.expires_at > $2",
			 &p, &res);
	if (rc)
		return rc;
	if (PQntuples(res) == 0) {
		rc = STORE_NOTFOUND;
	} else {
		struct pg_row r = pg_row_at(res, 0, NULL);
		pg_read_user(&r, out);
		int64_t expires_at = pg_row_int(&r);
		rc = r.bad ? STORE_ERROR : 0;
		if (rc == 0)
			pg_cache_put_session(ps, epoch, hash, expires_at, out);
	}
	PQclear(res);
	return rc;
}

static int session_delete(struct store *s, const uint8_t hash[32])
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_bytes(&p, hash, 32);
	int rc = pg_exec_done(c, "DELETE FROM sessions WHERE token_hash = $1", &p);
	pg_cache_forget_session(pg_store_of(s), hash);
	return rc;
}

static void read_session(struct pg_row *r, void *item)
{
	struct session_info *si = item;
	si->id = pg_row_int(r);
	si->created_at = pg_row_int(r);
	si->expires_at = pg_row_int(r);
	si->user_agent = pg_row_text(r);
	si->address = pg_row_text(r);
	si->current = (int)pg_row_int(r);
}

static int session_list(struct store *s, int64_t user_id, const uint8_t current[32], int64_t now, struct arena *a,
			struct session_info **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	if (current)
		pg_param_bytes(&p, current, 32);
	else
		pg_param_null(&p);
	pg_param_int(&p, now);
	void *items;
	int rc = pg_list(c,
			 "SELECT id, created_at, expires_at, user_agent, address, "
			 "(token_hash IS NOT DISTINCT FROM $2::bytea)::int FROM sessions "
			 "WHERE user_id = $1 AND expires_at > $3 ORDER BY created_at DESC, id DESC",
			 &p, a, sizeof(**out), read_session, &items, n);
	if (rc == 0)
		*out = items;
	return rc;
}

static int session_revoke(struct store *s, int64_t user_id, int64_t session_id)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, session_id);
	int rc = pg_exec_changed(c, "DELETE FROM sessions WHERE user_id = $1 AND id = $2", &p);
	pg_cache_forget_user(pg_store_of(s), user_id);
	return rc;
}

static int sessions_end_others(struct store *s, int64_t user_id, const uint8_t keep[32])
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	int rc = end_other_sessions(c, user_id, keep);
	pg_cache_forget_user(pg_store_of(s), user_id);
	return rc;
}

/* ---- API tokens ---- */

static int token_create(struct store *s, int64_t user_id, const char *name, const char *prefix, const uint8_t hash[32],
			int64_t now, int64_t *id)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_text(&p, name);
	pg_param_text(&p, prefix);
	pg_param_bytes(&p, hash, 32);
	pg_param_int(&p, now);
	return pg_exec_int(c,
			   "INSERT INTO api_tokens(user_id, name, prefix, token_hash, created_at) "
			   "VALUES ($1, $2, $3, $4, $5) RETURNING id",
			   &p, id);
}

static int token_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	/* The token's user is read here, but the rest of the request (its
	 * listing's data_version) reads the cache: a request's first lookup
	 * brings it up to date with other processes' changes (cache.c). */
	if (c->depth == 0)
		pg_cache_fresh(pg_store_of(s));
	struct pg_params p = { 0 };
	pg_param_bytes(&p, hash, 32);
	PGresult *res;
	int rc = pg_exec(c,
			 "SELECT " USER_COLS ", t.id, t.last_used_at FROM api_tokens t "
			 "JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
			 &p, &res);
	if (rc)
		return rc;
	int64_t token_id = 0, last_used = 0;
	if (PQntuples(res) == 0) {
		rc = STORE_NOTFOUND;
	} else {
		struct pg_row r = pg_row_at(res, 0, NULL);
		pg_read_user(&r, out);
		token_id = pg_row_int(&r);
		last_used = pg_row_int(&r);
		rc = r.bad ? STORE_ERROR : 0;
	}
	PQclear(res);
	/* Use is noted at minute granularity: a write per request would make
	 * every API call a write. The WHERE keeps racing requests to one write. */
	if (rc == 0 && now - last_used >= 60) {
		struct pg_params t = { 0 };
		pg_param_int(&t, token_id);
		pg_param_int(&t, now);
		pg_exec_done(c, "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND last_used_at <= $2 - 60",
			     &t);
	}
	return rc;
}

static void read_token(struct pg_row *r, void *item)
{
	struct api_token *t = item;
	t->id = pg_row_int(r);
	t->name = pg_row_text(r);
	t->prefix = pg_row_text(r);
	t->created_at = pg_row_int(r);
	t->last_used_at = pg_row_int(r);
}

static int token_list(struct store *s, int64_t user_id, struct arena *a, struct api_token **out, size_t *n)
{
	void *items;
	int rc = pg_user_list(s,
			      "SELECT id, name, prefix, created_at, last_used_at FROM api_tokens "
			      "WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id DESC",
			      user_id, a, sizeof(**out), read_token, &items, n);
	if (rc == 0)
		*out = items;
	return rc;
}

static int token_revoke(struct store *s, int64_t user_id, int64_t token_id, int64_t now)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, token_id);
	pg_param_int(&p, now);
	return pg_exec_changed(c,
			       "UPDATE api_tokens SET revoked_at = $3 WHERE user_id = $1 AND id = $2 "
			       "AND revoked_at IS NULL",
			       &p);
}

/* ---- calendar feed tokens ------------------------------------------------ */

static int calendar_feed_set(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_bytes(&p, hash, 32);
	pg_param_int(&p, now);
	return pg_exec_done(c,
			    "INSERT INTO calendar_feeds(user_id, token_hash, created_at) VALUES ($1, $2, $3) "
			    "ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, "
			    "created_at = excluded.created_at",
			    &p);
}

static int calendar_feed_get(struct store *s, int64_t user_id, int64_t *created_at)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	return pg_exec_int(c, "SELECT created_at FROM calendar_feeds WHERE user_id = $1", &p, created_at);
}

static int calendar_feed_user(struct store *s, const uint8_t hash[32], struct user *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_bytes(&p, hash, 32);
	return one_user(c,
			"SELECT " USER_COLS " FROM calendar_feeds f JOIN users u ON u.id = f.user_id "
			"WHERE f.token_hash = $1",
			&p, out);
}

static int calendar_feed_delete(struct store *s, int64_t user_id)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	return pg_exec_changed(c, "DELETE FROM calendar_feeds WHERE user_id = $1", &p);
}

const struct store_account_ops pg_account_ops = {
	.user_create = user_create,
	.user_by_email = user_by_email,
	.user_by_id = user_by_id,
	.user_count = user_count,
	.user_each = user_each,
	.user_set_password = user_set_password,
	.user_set_admin = user_set_admin,
	.session_create = session_create,
	.session_user = session_user,
	.session_delete = session_delete,
	.session_list = session_list,
	.session_revoke = session_revoke,
	.sessions_end_others = sessions_end_others,
	.token_create = token_create,
	.token_user = token_user,
	.token_list = token_list,
	.token_revoke = token_revoke,
	.calendar_feed_set = calendar_feed_set,
	.calendar_feed_get = calendar_feed_get,
	.calendar_feed_user = calendar_feed_user,
	.calendar_feed_delete = calendar_feed_delete,
};
