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
	note_user(c, user_id);
	if (rc)
		return pg_tx_end(c, rc);
	return 0;
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
	PGresult *res;
	rc = pg_exec(c, "COMMIT", NULL, &res);
	if (rc == 0 && strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		log_event(LOG_ERROR, "store.pg", "COMMIT rolled back");
		rc = STORE_ERROR;
	}
	PQclear(res);
	return rc;
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
	/* Forget what the transaction changed before anyone is told it is done,
	 * so this process reads its own writes (others learn by notification). */
	if (rc == 0 && c->n_tx_users > 4)
		pg_cache_forget_all(c->owner);
	for (int i = 0; rc == 0 && i < c->n_tx_users && i < 4; i++)
		pg_cache_forget_user(c->owner, c->tx_users[i]);
	c->depth = 0;
	c->doomed_rc = 0;
	c->n_tx_users = 0;
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
