/* tx.c — nested transactions on a thread's connection.
 *
 * Only the outermost begin and end talk to the server; inner ones count.
 * Any failure inside dooms the whole transaction: PostgreSQL refuses every
 * later statement of it anyway, and the outermost end rolls back. */
#include "store/postgres/pg.h"

#include <string.h>

#include "base/log.h"

/* Every write to one user's data takes this row lock first. The data_version
 * triggers update the same row anyway; taking it up front keeps the lock
 * order the same for everyone (users row, then the data), so two writers of
 * one user queue instead of deadlocking. */
#define LOCK_USER_SQL "SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE"

static int lock_user(struct pg_conn *c, int64_t user_id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	return pg_exec_done(c, LOCK_USER_SQL, &p);
}

/* Notes a user whose data this transaction may change, to forget at commit.
 * 1 when the user was noted before: its row is locked already. */
static int note_user(struct pg_conn *c, int64_t user_id)
{
	if (user_id <= 0)
		return 0;
	for (int i = 0; i < c->n_tx_users && i < 4; i++)
		if (c->tx_users[i] == user_id)
			return 1;
	if (c->n_tx_users < 4)
		c->tx_users[c->n_tx_users] = user_id;
	c->n_tx_users++;
	return 0;
}

int pg_tx_begin(struct pg_conn *c, int64_t user_id)
{
	if (c->depth > 0) {
		c->depth++;
		/* A row lock lasts to the end of the transaction: taking it again
		 * (the service's transaction around the store's own, as in creating
		 * an application with its timeline entry) would only cost a round
		 * trip each time. */
		int locked = note_user(c, user_id);
		int rc = user_id > 0 && !locked ? lock_user(c, user_id) : 0;
		if (rc) {
			/* A failed begin is not ended by its caller. */
			c->depth--;
			if (!c->doomed_rc)
				c->doomed_rc = rc;
		}
		return rc;
	}
	/* Runs at depth 0, so a connection dropped since the last call is
	 * reset and BEGIN retried. BEGIN and the user's lock go in one round
	 * trip (every write of a user's data starts with both). */
	int rc;
	if (user_id > 0) {
		struct pg_params p = { 0 };
		pg_param_int(&p, user_id);
		const struct pg_stmt begin_and_lock[] = { { "BEGIN", NULL }, { LOCK_USER_SQL, &p } };
		rc = pg_exec_pipeline(c, begin_and_lock, 2);
	} else {
		rc = pg_exec_done(c, "BEGIN", NULL);
	}
	/* BEGIN may have worked and the lock not: the transaction is open. */
	if (rc && PQtransactionStatus(c->db) != PQTRANS_INERROR && PQtransactionStatus(c->db) != PQTRANS_INTRANS)
		return rc;
	c->depth = 1;
	c->doomed_rc = 0;
	c->n_tx_users = 0;
	c->tx_ended_sessions = 0;
	note_user(c, user_id);
	if (rc)
		return pg_tx_end(c, rc);
	return 0;
}

/* A user row as the transaction leaves it, read in COMMIT's round trip. */
#define USER_ROW_SQL "SELECT " PG_USER_COLS " FROM users u WHERE u.id = $1"

/* After a commit: what the transaction changed is known before anyone is
 * told it is done, so this process reads its own writes (others learn by
 * notification). The rows read just before COMMIT are remembered, every
 * other user it locked forgotten. */
static void update_cache(struct pg_conn *c, uint64_t epoch, PGresult *const *rows, int n_rows)
{
	struct pg_store *ps = c->owner;
	if (c->n_tx_users > 4) {
		pg_cache_forget_all(ps);
		return;
	}
	for (int i = 0; i < c->n_tx_users; i++) {
		if (i < n_rows && PQntuples(rows[i]) == 1) {
			struct user u;
			struct pg_row r = pg_row_at(rows[i], 0, NULL);
			pg_read_user(&r, &u);
			if (!r.bad && u.id == c->tx_users[i]) {
				pg_cache_commit_user(ps, epoch, &u);
				continue;
			}
		}
		pg_cache_forget_user(ps, c->tx_users[i]);
	}
}

/* COMMIT, in one round trip with a read of each user row the transaction
 * locked (up to three; with more, or when it ended sessions, those are
 * forgotten instead), then the cache told. */
static int commit(struct pg_conn *c)
{
	int n = c->n_tx_users <= PG_MAX_PIPELINE - 1 && !c->tx_ended_sessions && c->owner->cache ? c->n_tx_users : 0;
	struct pg_params p[PG_MAX_PIPELINE - 1];
	struct pg_stmt stmts[PG_MAX_PIPELINE];
	PGresult *res[PG_MAX_PIPELINE];
	for (int i = 0; i < n; i++) {
		p[i] = (struct pg_params){ 0 };
		pg_param_int(&p[i], c->tx_users[i]);
		stmts[i] = (struct pg_stmt){ USER_ROW_SQL, &p[i] };
	}
	stmts[n] = (struct pg_stmt){ "COMMIT", NULL };
	/* Before the read: a change of these users that this process hears of
	 * from now on makes the rows read here suspect (cache.c). */
	uint64_t epoch = pg_cache_epoch(c->owner);
	int rc;
	if (n > 0) {
		rc = pg_exec_pipeline_keep(c, stmts, (size_t)n + 1, res);
	} else {
		rc = pg_exec(c, "COMMIT", NULL, &res[0]);
	}
	if (rc == 0 && strcmp(PQcmdStatus(res[n]), "COMMIT") != 0) {
		log_event(LOG_ERROR, "store.pg", "COMMIT rolled back");
		rc = STORE_ERROR;
	}
	/* A read that failed made the server skip the COMMIT after it: the
	 * transaction is still open, and nothing of it is kept. */
	if (rc && PQstatus(c->db) == CONNECTION_OK &&
	    (PQtransactionStatus(c->db) == PQTRANS_INERROR || PQtransactionStatus(c->db) == PQTRANS_INTRANS))
		pg_exec_done(c, "ROLLBACK", NULL);
	if (rc == 0)
		update_cache(c, epoch, res, n);
	/* A connection lost during COMMIT may have committed all the same. */
	for (int i = 0; rc && i < c->n_tx_users && i < 4; i++)
		pg_cache_forget_user(c->owner, c->tx_users[i]);
	for (int i = 0; i <= n; i++)
		PQclear(res[i]); /* NULL after a failure: nothing to free */
	return rc;
}

/* The outermost end, still at depth 1: a dropped connection is not reset
 * here, since a new session would commit nothing. */
static int finish(struct pg_conn *c, int rc)
{
	if (rc) {
		/* On a dropped connection the server has rolled back already. */
		if (PQstatus(c->db) == CONNECTION_OK)
			pg_exec_done(c, "ROLLBACK", NULL);
		return rc;
	}
	if (PQtransactionStatus(c->db) == PQTRANS_INERROR) {
		/* A failure nobody passed on: COMMIT would quietly roll back. */
		log_event(LOG_ERROR, "store.pg", "a statement of the transaction failed: rolled back");
		pg_exec_done(c, "ROLLBACK", NULL);
		return STORE_ERROR;
	}
	return commit(c);
}

int pg_tx_end(struct pg_conn *c, int rc)
{
	if (c->depth == 0) {
		/* An end after a begin that failed (which has undone itself):
		 * nothing is open, and crashing a server over it helps nobody. */
		log_event(LOG_WARN, "store.pg", "transaction end without a transaction");
		return rc ? rc : STORE_ERROR;
	}
	if (rc && !c->doomed_rc)
		c->doomed_rc = rc;
	if (c->depth > 1) {
		c->depth--;
		return rc;
	}
	rc = finish(c, rc ? rc : c->doomed_rc);
	c->depth = 0;
	c->doomed_rc = 0;
	c->n_tx_users = 0;
	c->tx_ended_sessions = 0;
	return rc;
}

int pg_store_tx_begin(struct store *s, int64_t user_id)
{
	struct pg_conn *c = pg_conn(s);
	return c ? pg_tx_begin(c, user_id) : STORE_ERROR;
}

int pg_store_tx_begin_snapshot(struct store *s)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	if (c->depth > 0) { /* joins: the outer transaction decides what it sees */
		c->depth++;
		return 0;
	}
	int rc = pg_exec_done(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL);
	if (rc)
		return rc;
	c->depth = 1;
	c->doomed_rc = 0;
	c->n_tx_users = 0;
	c->tx_ended_sessions = 0;
	return 0;
}

int pg_store_tx_end(struct store *s, int rc)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	return pg_tx_end(c, rc);
}

struct pg_conn *pg_conn_begin(struct store *s, int64_t user_id, int *rc)
{
	struct pg_conn *c = pg_conn(s);
	*rc = c ? pg_tx_begin(c, user_id) : STORE_ERROR;
	return *rc ? NULL : c;
}

int pg_user_write(struct store *s, int64_t user_id, const char *sql, const struct pg_params *p)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	return pg_tx_end(c, pg_exec_changed(c, sql, p));
}

int pg_user_write_int(struct store *s, int64_t user_id, const char *sql, const struct pg_params *p, int64_t *value)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	return pg_tx_end(c, pg_exec_int(c, sql, p, value));
}
