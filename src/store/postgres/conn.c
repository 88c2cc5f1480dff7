/* conn.c — one libpq connection per thread; statements prepared once per
 * connection; errors mapped to enum store_err; a connection the server
 * dropped is reset and the statement retried once. */
#include "store/postgres/pg.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"

static void notice_to_log(void *arg, const char *message)
{
	(void)arg;
	if (!log_enabled(LOG_DEBUG))
		return;
	char line[512];
	pg_one_line(message, line, sizeof(line));
	log_event(LOG_DEBUG, "store.pg", "notice: %s", line);
}

/* Connects with the URL; returns the PGconn even when it failed (callers
 * look at PQstatus), NULL only when libpq is out of memory. */
PGconn *pg_connect(const char *url)
{
	/* Keywords before dbname are defaults the URL may override: a dead
	 * host must not stall a request for the kernel's TCP timeout, and a
	 * silently dead peer (a half-open TCP connection) is found out by the
	 * keepalives within about half a minute.
	 *
	 * Every statement is prepared once per connection and run many times,
	 * and the store's statements find their rows through the same index
	 * whatever the parameter values (a user's rows, one id, one key).
	 * PostgreSQL would still plan the first five runs of each afresh, and
	 * keep planning on every run whenever a custom plan looks cheaper (for
	 * a listing: a sequential scan and a sort of a small table), which was
	 * a quarter of the server's time per uncached listing. A generic plan
	 * is made once per statement and connection, and reused.
	 *
	 * A statement waiting for a lock held elsewhere (a row another session
	 * locked, LOCK TABLE, a long ALTER) gives up after lock_timeout with
	 * 55P03, and one running past statement_timeout is cancelled with
	 * 57014: both answer STORE_BUSY (503, try again) as SQLite does after
	 * its busy timeout, instead of holding an HTTP worker until the lock
	 * goes (every worker stuck so, even /healthz waited). Migrations and
	 * store_copy lift both for their own transactions (SET LOCAL). (A URL
	 * that sets options= of its own replaces these defaults.) */
	static const char *const keys[] = { "connect_timeout",
					    "application_name",
					    "client_encoding",
					    "keepalives",
					    "keepalives_idle",
					    "keepalives_interval",
					    "keepalives_count",
					    "tcp_user_timeout",
					    "options",
					    "dbname",
					    NULL };
	char options[160];
	snprintf(options, sizeof(options),
		 "-c plan_cache_mode=force_generic_plan -c lock_timeout=%ld -c statement_timeout=%ld",
		 store_lock_timeout_ms(), store_statement_timeout_ms());
	const char *values[] = { "10", "jobtrack", "UTF8", "1", "10", "5", "3", "30000", options, url, NULL };
	PGconn *db = PQconnectdbParams(keys, values, 1);
	/* NOTICEs ("relation … already exists, skipping" when migrators race)
	 * are for a developer, not the operator's terminal. */
	if (db)
		PQsetNoticeProcessor(db, notice_to_log, NULL);
	return db;
}

int pg_session_read_only(const PGconn *db)
{
	/* Reported by the server at connect and whenever they change
	 * (PostgreSQL 14 on): reading them costs no round trip. */
	const char *ro = PQparameterStatus(db, "default_transaction_read_only");
	const char *standby = PQparameterStatus(db, "in_hot_standby");
	return (ro && strcmp(ro, "on") == 0) || (standby && strcmp(standby, "on") == 0);
}

/* The store's read-only state, told once when it changes. */
static void set_read_only(struct pg_store *ps, int on)
{
	if (__atomic_exchange_n(&ps->read_only, on, __ATOMIC_RELAXED) == on)
		return;
	if (on)
		log_event(LOG_WARN, "store.pg",
			  "the database (%s) refuses writes (a standby, or default_transaction_read_only): writes "
			  "answer 503 until it takes them again",
			  ps->where);
	else
		log_event(LOG_INFO, "store.pg", "the database (%s) takes writes again", ps->where);
}

/* What a newly (re)connected session reports is the database's current
 * state: a standby promoted, or read-only switched off, clears it. */
static void note_session(struct pg_conn *c)
{
	if (PQstatus(c->db) == CONNECTION_OK)
		set_read_only(c->owner, pg_session_read_only(c->db));
}

static void conn_free(struct pg_conn *c)
{
	PQfinish(c->db);
	free(c->prepared);
	free(c);
}

/* Thread exit: the connection goes with its thread. Worker threads end
 * before the store is closed (the server stops first), so owner is alive. */
static void conn_thread_exit(void *p)
{
	struct pg_conn *c = p;
	struct pg_store *ps = c->owner;
	pthread_mutex_lock(&ps->mu);
	for (struct pg_conn **pp = &ps->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	pthread_mutex_unlock(&ps->mu);
	conn_free(c);
}

struct pg_conn *pg_conn(struct store *s)
{
	struct pg_store *ps = pg_store_of(s);
	struct pg_conn *c = pthread_getspecific(ps->key);
	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->db = pg_connect(ps->url))) {
		free(c);
		log_event(LOG_ERROR, "store.pg", "out of memory opening a connection");
		return NULL;
	}
	c->owner = ps;
	pthread_setspecific(ps->key, c);
	pthread_mutex_lock(&ps->mu);
	c->be_pid = PQbackendPID(c->db);
	c->next = ps->conns;
	ps->conns = c;
	pthread_mutex_unlock(&ps->mu);
	note_session(c);
	return c;
}

int pg_own_backend(struct pg_store *ps, int pid)
{
	int own = 0;
	pthread_mutex_lock(&ps->mu);
	for (const struct pg_conn *c = ps->conns; c && !own; c = c->next)
		own = pid != 0 && c->be_pid == pid;
	pthread_mutex_unlock(&ps->mu);
	return own;
}

void pg_conns_close(struct pg_store *ps)
{
	pthread_setspecific(ps->key, NULL);
	pthread_mutex_lock(&ps->mu);
	struct pg_conn *c = ps->conns;
	ps->conns = NULL;
	pthread_mutex_unlock(&ps->mu);
	while (c) {
		struct pg_conn *next = c->next;
		conn_free(c);
		c = next;
	}
}

void pg_conn_init_key(struct pg_store *ps)
{
	pthread_key_create(&ps->key, conn_thread_exit);
}

/* libpq's messages end in a newline and may span lines; a log line is one line. */
void pg_one_line(const char *msg, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", msg ? msg : "");
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	for (size_t n = strlen(out); n > 0 && out[n - 1] == ' '; n--)
		out[n - 1] = '\0';
}

/* SQLSTATEs that mean "try again later" rather than "this is wrong". */
static int state_is_busy(const char *state)
{
	static const char *const busy[] = {
		"57P01", /* admin shutdown (a restart) */
		"57P02", /* crash shutdown */
		"57P03", /* cannot connect now (starting up) */
		"40P01", /* deadlock detected */
		"40001", /* serialization failure */
		"55P03", /* lock not available: lock_timeout passed */
		"57014", /* query cancelled: statement_timeout passed */
		"25006", /* read-only transaction: a standby, or read-only on */
	};
	if (!state)
		return 0;
	if (strncmp(state, "08", 2) == 0) /* connection exceptions */
		return 1;
	for (size_t i = 0; i < sizeof(busy) / sizeof(busy[0]); i++)
		if (strcmp(state, busy[i]) == 0)
			return 1;
	return 0;
}

/* Maps a result (NULL when libpq could not even make one) to 0 or an error,
 * logging what is not a normal outcome. sql names the statement in the log. */
static int result_rc(struct pg_conn *c, const PGresult *res, const char *sql)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
		return 0;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	char msg[512];
	const char *raw = res ? PQresultErrorMessage(res) : "";
	pg_one_line(raw && *raw ? raw : PQerrorMessage(c->db), msg, sizeof(msg));
	/* Kept for callers that report it (store_copy); the primary message
	 * and constraint only: a DETAIL may quote a row's values. */
	snprintf(c->last_error, sizeof(c->last_error), "%.180s%s%.40s (SQLSTATE %s)", primary ? primary : msg,
		 constraint ? " on " : "", constraint ? constraint : "", state ? state : "none");
	if (state && strcmp(state, "23505") == 0)
		return STORE_CONFLICT;
	if (state && strcmp(state, "25006") == 0) {
		/* The session may be one from before the database went read-only
		 * (or back): a new one learns its current default. */
		c->reset_due = 1;
		set_read_only(c->owner, 1);
	}
	if (state_is_busy(state) || PQstatus(c->db) == CONNECTION_BAD) {
		log_event(LOG_WARN, "store.pg", "%s (SQLSTATE %s) in: %.80s", msg, state ? state : "none", sql);
		return STORE_BUSY;
	}
	log_event(LOG_ERROR, "store.pg", "%s (SQLSTATE %s) in: %.80s", msg, state ? state : "none", sql);
	return STORE_ERROR;
}

/* The index key was prepared under on this session, or -1. */
static int prepared_index(const struct pg_conn *c, const void *key)
{
	for (size_t i = 0; i < c->n_prepared; i++)
		if (c->prepared[i] == key)
			return (int)i;
	return -1;
}

static int prepare(struct pg_conn *c, const void *key, const char *sql, int *index)
{
	if (c->n_prepared == c->cap_prepared) {
		size_t cap = c->cap_prepared ? c->cap_prepared * 2 : 64;
		const void **bigger = realloc(c->prepared, cap * sizeof(*bigger));
		if (!bigger)
			return STORE_ERROR;
		c->prepared = bigger;
		c->cap_prepared = cap;
	}
	char name[24];
	snprintf(name, sizeof(name), "jt%zu", c->n_prepared);
	PGresult *res = PQprepare(c->db, name, sql, 0, NULL);
	int rc = result_rc(c, res, sql);
	PQclear(res);
	if (rc == 0) {
		*index = (int)c->n_prepared;
		c->prepared[c->n_prepared++] = key;
	}
	return rc;
}

static int run_once(struct pg_conn *c, const void *key, const char *sql, const struct pg_params *p, PGresult **out)
{
	int index = prepared_index(c, key);
	if (index < 0) {
		int rc = prepare(c, key, sql, &index);
		if (rc)
			return rc;
	}
	char name[24];
	snprintf(name, sizeof(name), "jt%d", index);
	PGresult *res = PQexecPrepared(c->db, name, p ? p->n : 0, p ? p->values : NULL, p ? p->lengths : NULL,
				       p ? p->formats : NULL, 0);
	int rc = result_rc(c, res, sql);
	if (rc)
		PQclear(res);
	else
		*out = res;
	return rc;
}

/* A new session: the server forgot this one's prepared statements. While
 * the database stays away, one attempt a second per connection: every
 * request in between gets STORE_BUSY at once instead of waiting out a
 * connect timeout each. */
static int reconnect(struct pg_conn *c)
{
	assert(c->depth == 0);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (c->reconnect_failed_at && now.tv_sec - c->reconnect_failed_at < 1)
		return STORE_BUSY;
	PQreset(c->db);
	pthread_mutex_lock(&c->owner->mu);
	c->be_pid = PQbackendPID(c->db); /* 0 while it is down */
	pthread_mutex_unlock(&c->owner->mu);
	c->n_prepared = 0;
	if (PQpipelineStatus(c->db) != PQ_PIPELINE_OFF)
		PQexitPipelineMode(c->db);
	if (PQstatus(c->db) != CONNECTION_OK) {
		char msg[512];
		pg_one_line(PQerrorMessage(c->db), msg, sizeof(msg));
		log_event(LOG_WARN, "store.pg", "cannot reconnect to PostgreSQL (%s): %s", c->owner->where, msg);
		c->reconnect_failed_at = now.tv_sec ? now.tv_sec : 1;
		return STORE_BUSY;
	}
	c->reconnect_failed_at = 0;
	note_session(c);
	log_event(LOG_INFO, "store.pg", "reconnected to PostgreSQL (%s)", c->owner->where);
	return 0;
}

/* A session that saw the database refuse a write, at most once a second:
 * a new one, so it takes writes as soon as the database does again. */
static void reset_if_due(struct pg_conn *c)
{
	if (!c->reset_due || c->depth > 0)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (c->reset_at && now.tv_sec - c->reset_at < 1)
		return;
	c->reset_due = 0;
	c->reset_at = now.tv_sec ? now.tv_sec : 1;
	reconnect(c);
}

void pg_refresh_read_only(struct pg_conn *c)
{
	if (__atomic_load_n(&c->owner->read_only, __ATOMIC_RELAXED)) {
		c->reset_due = 1;
		reset_if_due(c);
	}
}

/* Whether running sql twice does no harm: reads, and opening a transaction. */
static int repeatable(const char *sql)
{
	return strncmp(sql, "SELECT ", 7) == 0 || strcmp(sql, "BEGIN") == 0 || strncmp(sql, "BEGIN ISOLATION", 15) == 0;
}

int pg_exec_keyed(struct pg_conn *c, const void *key, const char *sql, const struct pg_params *p, PGresult **res)
{
	*res = NULL;
	reset_if_due(c);
	for (int attempt = 0;; attempt++) {
		/* Inside a transaction a new session would run the rest of it
		 * outside one: the transaction is lost, and so is this call. */
		if (PQstatus(c->db) == CONNECTION_BAD && (c->depth > 0 || reconnect(c)))
			return STORE_BUSY;
		int rc = run_once(c, key, sql, p, res);
		/* Only a read is tried again: a write may have committed before the
		 * connection went, and doing it twice is worse than a 503. */
		if (rc != STORE_BUSY || attempt > 0 || c->depth > 0 || PQstatus(c->db) != CONNECTION_BAD ||
		    !repeatable(sql))
			return rc;
	}
}

int pg_exec(struct pg_conn *c, const char *sql, const struct pg_params *p, PGresult **res)
{
	return pg_exec_keyed(c, sql, sql, p, res);
}

int pg_exec_done(struct pg_conn *c, const char *sql, const struct pg_params *p)
{
	PGresult *res;
	int rc = pg_exec(c, sql, p, &res);
	PQclear(res);
	return rc;
}

int pg_exec_changed(struct pg_conn *c, const char *sql, const struct pg_params *p)
{
	PGresult *res;
	int rc = pg_exec(c, sql, p, &res);
	if (rc == 0 && strcmp(PQcmdTuples(res), "0") == 0)
		rc = STORE_NOTFOUND;
	PQclear(res);
	return rc;
}

int pg_exec_script(struct pg_conn *c, const char *sql)
{
	reset_if_due(c);
	if (PQstatus(c->db) == CONNECTION_BAD && (c->depth > 0 || reconnect(c)))
		return STORE_BUSY;
	PGresult *res = PQexec(c->db, sql);
	int rc = result_rc(c, res, sql);
	PQclear(res);
	return rc;
}

/* Sends every statement, then one Sync, and reads the answers: one round
 * trip. Once one fails the server skips the rest (PGRES_PIPELINE_ABORTED).
 * keep (or NULL) receives each statement's result when all succeeded. */
static int pipeline_once(struct pg_conn *c, const struct pg_stmt *stmts, size_t n, PGresult **keep)
{
	int index[PG_MAX_PIPELINE];
	for (size_t i = 0; i < n; i++) {
		index[i] = prepared_index(c, stmts[i].sql);
		int rc = index[i] < 0 ? prepare(c, stmts[i].sql, stmts[i].sql, &index[i]) : 0;
		if (rc)
			return rc;
	}
	if (!PQenterPipelineMode(c->db))
		return result_rc(c, NULL, stmts[0].sql);
	int rc = 0;
	size_t sent = 0;
	for (; sent < n; sent++) {
		const struct pg_params *p = stmts[sent].p;
		char name[24];
		snprintf(name, sizeof(name), "jt%d", index[sent]);
		if (!PQsendQueryPrepared(c->db, name, p ? p->n : 0, p ? p->values : NULL, p ? p->lengths : NULL,
					 p ? p->formats : NULL, 0))
			break;
	}
	int synced = sent == n && PQpipelineSync(c->db);
	if (!synced)
		rc = result_rc(c, NULL, stmts[sent < n ? sent : 0].sql);
	/* Each statement answers with its result (PGRES_PIPELINE_ABORTED after
	 * an earlier failure) and a NULL, the Sync with PGRES_PIPELINE_SYNC; all
	 * are read, failed or not, so the connection is ready for what comes
	 * next. A lost connection answers NULL early. */
	for (size_t i = 0; synced && i < n; i++) {
		PGresult *res = PQgetResult(c->db);
		if (!res) {
			rc = rc ? rc : result_rc(c, NULL, stmts[i].sql);
			synced = 0;
			break;
		}
		int r = PQresultStatus(res) == PGRES_PIPELINE_ABORTED ? STORE_ERROR : result_rc(c, res, stmts[i].sql);
		rc = rc ? rc : r;
		if (keep)
			keep[i] = res;
		else
			PQclear(res);
		PQclear(PQgetResult(c->db));
	}
	if (synced) {
		PGresult *res = PQgetResult(c->db);
		if (PQresultStatus(res) != PGRES_PIPELINE_SYNC)
			rc = rc ? rc : result_rc(c, NULL, "pipeline sync");
		PQclear(res);
	}
	if (!PQexitPipelineMode(c->db) && PQstatus(c->db) == CONNECTION_OK) {
		char msg[512];
		pg_one_line(PQerrorMessage(c->db), msg, sizeof(msg));
		log_event(LOG_ERROR, "store.pg", "cannot leave pipeline mode: %s", msg);
		rc = rc ? rc : STORE_ERROR;
	}
	for (size_t i = 0; rc && keep && i < n; i++) {
		PQclear(keep[i]);
		keep[i] = NULL;
	}
	return rc;
}

int pg_exec_pipeline_keep(struct pg_conn *c, const struct pg_stmt *stmts, size_t n, PGresult **keep)
{
	assert(n > 0 && n <= PG_MAX_PIPELINE);
	for (size_t i = 0; keep && i < n; i++)
		keep[i] = NULL;
	reset_if_due(c);
	for (int attempt = 0;; attempt++) {
		if (PQstatus(c->db) == CONNECTION_BAD && (c->depth > 0 || reconnect(c)))
			return STORE_BUSY;
		int rc = pipeline_once(c, stmts, n, keep);
		int again = rc == STORE_BUSY && attempt == 0 && c->depth == 0 && PQstatus(c->db) == CONNECTION_BAD;
		for (size_t i = 0; again && i < n; i++)
			again = repeatable(stmts[i].sql);
		if (!again)
			return rc;
	}
}

int pg_exec_pipeline(struct pg_conn *c, const struct pg_stmt *stmts, size_t n)
{
	return pg_exec_pipeline_keep(c, stmts, n, NULL);
}
