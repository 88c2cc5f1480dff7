/* Users, browser sessions, personal API tokens and calendar feed tokens. */
#include <stdio.h>
#include <string.h>

#include "store/rows.h"
#include "store/sqlite/sqlite.h"

#define USER_COLS "u.id, u.email, u.password_hash, u.is_admin, u.token_version, u.created_at, u.data_version"

/* The first user becomes admin: decided by the insert itself, which runs
 * under the write lock, so two racing sign-ups cannot both see no users. */
static const char SQL_USER_INSERT[] = "INSERT INTO users(email, password_hash, is_admin, created_at, updated_at) "
				      "VALUES (?1, ?2, NOT EXISTS (SELECT 1 FROM users), ?3, ?3)";
static const char SQL_USER_BY_EMAIL[] = "SELECT " USER_COLS " FROM users u WHERE u.email = ?1";
static const char SQL_USER_BY_ID[] = "SELECT " USER_COLS " FROM users u WHERE u.id = ?1";
static const char SQL_USER_COUNT[] = "SELECT count(*) FROM users";
static const char SQL_USER_ALL[] = "SELECT " USER_COLS " FROM users u ORDER BY u.id";
static const char SQL_USER_SET_PASSWORD[] = "UPDATE users SET password_hash = ?2, token_version = token_version + 1, "
					    "updated_at = ?3 WHERE id = ?1";
static const char SQL_USER_SET_ADMIN[] = "UPDATE users SET is_admin = ?2, updated_at = ?3 WHERE id = ?1";
static const char SQL_SESSIONS_END_OTHERS[] = "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2";
static const char SQL_SESSION_INSERT[] =
    "INSERT INTO sessions(user_id, token_hash, created_at, expires_at, user_agent, address) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_SESSION_USER[] = "SELECT " USER_COLS " FROM sessions s JOIN users u ON u.id = s.user_id "
				       "WHERE s.token_hash = ?1 AND s.expires_at > ?2";
static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE token_hash = ?1";
static const char SQL_SESSION_LIST[] =
    "SELECT id, created_at, expires_at, user_agent, address, token_hash IS ?2 FROM sessions "
    "WHERE user_id = ?1 AND expires_at > ?3 ORDER BY created_at DESC, id DESC";
static const char SQL_SESSION_REVOKE[] = "DELETE FROM sessions WHERE user_id = ?1 AND id = ?2";
static const char SQL_SESSIONS_EXPIRED[] = "DELETE FROM sessions WHERE expires_at <= ?1";
static const char SQL_TOKEN_INSERT[] = "INSERT INTO api_tokens(user_id, name, prefix, token_hash, created_at) "
				       "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_TOKEN_USER[] =
    "SELECT " USER_COLS ", t.id, t.last_used_at FROM api_tokens t "
    "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1 AND t.revoked_at IS NULL";
static const char SQL_TOKEN_TOUCH[] = "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1";
static const char SQL_TOKEN_LIST[] = "SELECT id, name, prefix, created_at, last_used_at FROM api_tokens "
				     "WHERE user_id = ?1 AND revoked_at IS NULL ORDER BY id DESC";
static const char SQL_TOKEN_REVOKE[] = "UPDATE api_tokens SET revoked_at = ?3 WHERE user_id = ?1 AND id = ?2 "
				       "AND revoked_at IS NULL";

static void read_user(sqlite3_stmt *st, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	const char *email = (const char *)sqlite3_column_text(st, 1);
	const char *hash = (const char *)sqlite3_column_text(st, 2);
	snprintf(u->email, sizeof(u->email), "%s", email ? email : "");
	snprintf(u->password_hash, sizeof(u->password_hash), "%s", hash ? hash : "");
	u->is_admin = sqlite3_column_int(st, 3);
	u->token_version = sqlite3_column_int64(st, 4);
	u->created_at = sqlite3_column_int64(st, 5);
	u->data_version = sqlite3_column_int64(st, 6);
}

/* Steps a statement expected to return at most one user. */
static int one_user(struct sq_conn *c, sqlite3_stmt *st, struct user *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_user(st, out);
	sq_finish(st);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, rc);
}

static void bind_hash_or_null(sqlite3_stmt *st, int i, const uint8_t hash[32])
{
	if (hash)
		sqlite3_bind_blob(st, i, hash, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int user_by_id(struct store *s, int64_t id, struct user *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_USER_BY_ID) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return one_user(c, st, out);
}

static int user_create(struct store *s, const char *email, const char *password_hash, int64_t now, struct user *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_USER_INSERT) : NULL;
	if (!st)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sq_bind_text(st, 1, email);
	sq_bind_text(st, 2, password_hash);
	sqlite3_bind_int64(st, 3, now);
	rc = sq_run(c, st);
	if (rc == 0)
		rc = user_by_id(s, sqlite3_last_insert_rowid(c->db), out);
	return sq_tx_end(c, rc);
}

static int user_by_email(struct store *s, const char *email, struct user *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_USER_BY_EMAIL) : NULL;
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, email);
	return one_user(c, st, out);
}

static int user_count(struct store *s, int64_t *count)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_USER_COUNT) : NULL;
	if (!st)
		return STORE_ERROR;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	sq_finish(st);
	return sq_error(c, rc);
}

static int user_each(struct store *s, void (*fn)(const struct user *u, void *ctx), void *ctx)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_USER_ALL) : NULL;
	if (!st)
		return STORE_ERROR;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct user u;
		read_user(st, &u);
		fn(&u, ctx);
	}
	sq_finish(st);
	return sq_error(c, rc);
}

static int user_set_password(struct store *s, int64_t id, const char *password_hash, const uint8_t keep[32],
			     int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *up = c ? sq_prepare(c, SQL_USER_SET_PASSWORD) : NULL;
	sqlite3_stmt *del = c ? sq_prepare(c, SQL_SESSIONS_END_OTHERS) : NULL;
	if (!up || !del)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sqlite3_bind_int64(up, 1, id);
	sq_bind_text(up, 2, password_hash);
	sqlite3_bind_int64(up, 3, now);
	rc = sq_run_changed(c, up);
	if (rc == 0) {
		sqlite3_bind_int64(del, 1, id);
		bind_hash_or_null(del, 2, keep);
		rc = sq_run(c, del);
	}
	return sq_tx_end(c, rc);
}

static int user_set_admin(struct store *s, int64_t id, int is_admin, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_USER_SET_ADMIN) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, is_admin ? 1 : 0);
	sqlite3_bind_int64(st, 3, now);
	return sq_run_changed(c, st);
}

/* ---- sessions ---------------------------------------------------------- */

static int session_create(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now, int64_t expires_at,
			  const char *user_agent, const char *address)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SESSION_INSERT) : NULL;
	sqlite3_stmt *gc = c ? sq_prepare(c, SQL_SESSIONS_EXPIRED) : NULL;
	if (!st || !gc)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	/* Sweeping expired sessions here keeps the table small without a timer. */
	sqlite3_bind_int64(gc, 1, now);
	rc = sq_run(c, gc);
	if (rc == 0) {
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, now);
		sqlite3_bind_int64(st, 4, expires_at);
		sq_bind_text(st, 5, user_agent ? user_agent : "");
		sq_bind_text(st, 6, address ? address : "");
		rc = sq_run(c, st);
	}
	return sq_tx_end(c, rc);
}

static int session_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SESSION_USER) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return one_user(c, st, out);
}

static int session_delete(struct store *s, const uint8_t hash[32])
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SESSION_DELETE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	return sq_run(c, st);
}

static int session_list(struct store *s, int64_t user_id, const uint8_t current[32], int64_t now, struct arena *a,
			struct session_info **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SESSION_LIST) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	bind_hash_or_null(st, 2, current);
	sqlite3_bind_int64(st, 3, now);
	size_t cap = 8, count = 0;
	struct session_info *items = arena_alloc(a, cap * sizeof(*items));
	int step = SQLITE_DONE;
	while (items && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(items = rows_grow(a, items, count, &cap, sizeof(*items))))
			break;
		struct session_info *si = &items[count++];
		si->id = sqlite3_column_int64(st, 0);
		si->created_at = sqlite3_column_int64(st, 1);
		si->expires_at = sqlite3_column_int64(st, 2);
		si->user_agent = sq_text(st, 3, a);
		si->address = sq_text(st, 4, a);
		si->current = sqlite3_column_int(st, 5);
	}
	*out = items;
	*n = count;
	return sq_list_end(c, st, step, items);
}

static int session_revoke(struct store *s, int64_t user_id, int64_t session_id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SESSION_REVOKE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, session_id);
	return sq_run_changed(c, st);
}

static int sessions_end_others(struct store *s, int64_t user_id, const uint8_t keep[32])
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SESSIONS_END_OTHERS) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	bind_hash_or_null(st, 2, keep);
	return sq_run(c, st);
}

/* ---- personal API tokens ------------------------------------------------ */

static int token_create(struct store *s, int64_t user_id, const char *name, const char *prefix, const uint8_t hash[32],
			int64_t now, int64_t *id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_TOKEN_INSERT) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sq_bind_text(st, 2, name);
	sq_bind_text(st, 3, prefix);
	sqlite3_bind_blob(st, 4, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	int rc = sq_run(c, st);
	if (rc == 0)
		*id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int token_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_TOKEN_USER) : NULL;
	sqlite3_stmt *touch = c ? sq_prepare(c, SQL_TOKEN_TOUCH) : NULL;
	if (!st || !touch)
		return STORE_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int64_t token_id = 0, last_used = 0;
	if (rc == SQLITE_ROW) {
		read_user(st, out);
		token_id = sqlite3_column_int64(st, 7);
		last_used = sqlite3_column_int64(st, 8);
	}
	sq_finish(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, rc);
	/* Record use at minute granularity: a write per request would serialise readers. */
	if (now - last_used >= 60) {
		sqlite3_bind_int64(touch, 1, token_id);
		sqlite3_bind_int64(touch, 2, now);
		sq_run(c, touch);
	}
	return 0;
}

static int token_list(struct store *s, int64_t user_id, struct arena *a, struct api_token **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_TOKEN_LIST) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	size_t cap = 8, count = 0;
	struct api_token *items = arena_alloc(a, cap * sizeof(*items));
	int step = SQLITE_DONE;
	while (items && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(items = rows_grow(a, items, count, &cap, sizeof(*items))))
			break;
		struct api_token *t = &items[count++];
		t->id = sqlite3_column_int64(st, 0);
		t->name = sq_text(st, 1, a);
		t->prefix = sq_text(st, 2, a);
		t->created_at = sqlite3_column_int64(st, 3);
		t->last_used_at = sqlite3_column_int64(st, 4);
	}
	*out = items;
	*n = count;
	return sq_list_end(c, st, step, items);
}

static int token_revoke(struct store *s, int64_t user_id, int64_t token_id, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_TOKEN_REVOKE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, token_id);
	sqlite3_bind_int64(st, 3, now);
	return sq_run_changed(c, st);
}

/* ---- calendar feed tokens ------------------------------------------------ */

static const char SQL_FEED_SET[] = "INSERT INTO calendar_feeds(user_id, token_hash, created_at) VALUES(?1, ?2, ?3) "
				   "ON CONFLICT(user_id) DO UPDATE SET token_hash = excluded.token_hash, "
				   "created_at = excluded.created_at";
static const char SQL_FEED_GET[] = "SELECT created_at FROM calendar_feeds WHERE user_id = ?1";
static const char SQL_FEED_USER[] = "SELECT " USER_COLS " FROM calendar_feeds f JOIN users u ON u.id = f.user_id "
				    "WHERE f.token_hash = ?1";
static const char SQL_FEED_DELETE[] = "DELETE FROM calendar_feeds WHERE user_id = ?1";

static int calendar_feed_set(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_FEED_SET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	return sq_run(c, st);
}

static int calendar_feed_get(struct store *s, int64_t user_id, int64_t *created_at)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_FEED_GET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*created_at = sqlite3_column_int64(st, 0);
	sq_finish(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, rc);
}

static int calendar_feed_user(struct store *s, const uint8_t hash[32], struct user *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_FEED_USER) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	return one_user(c, st, out);
}

static int calendar_feed_delete(struct store *s, int64_t user_id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_FEED_DELETE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	return sq_run_changed(c, st);
}

const struct store_account_ops sqlite_account_ops = {
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
