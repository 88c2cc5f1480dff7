/* Connections (one per thread), the statement cache, transactions, and
 * opening and closing the SQLite store. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "store/listcache.h"
#include "store/rows.h"
#include "store/sqlite/sqlite.h"

static void conn_close(struct sq_conn *c)
{
	for (size_t i = 0; i < SQ_STMT_SLOTS; i++)
		sqlite3_finalize(c->cache[i].st);
	sqlite3_close(c->db);
	free(c);
}

/* Thread exit: the connection goes with its thread. Worker threads end
 * before the store closes (the server stops first), so owner is alive. */
static void conn_thread_exit(void *p)
{
	struct sq_conn *c = p;
	struct sq_store *s = c->owner;
	pthread_mutex_lock(&s->mu);
	for (struct sq_conn **pp = &s->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	pthread_mutex_unlock(&s->mu);
	conn_close(c);
}

/* sq_exec that logs only what is not "busy" (the caller retries those). */
static int sq_exec_quiet(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	int busy = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
	if (rc != SQLITE_OK && !busy)
		log_event(LOG_ERROR, "store.sql", "%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc == SQLITE_OK ? 0 : busy ? STORE_BUSY : STORE_ERROR;
}

int sq_exec(sqlite3 *db, const char *sql)
{
	int rc = sq_exec_quiet(db, sql);
	if (rc == STORE_BUSY)
		log_event(LOG_ERROR, "store.sql", "database is locked: %s", sql);
	return rc;
}

/* The database and the files SQLite keeps beside it hold password hashes
 * and everyone's data: owner-only, whatever the umask or the folder's mode.
 * SQLite gives its -wal and -shm files the database file's mode, so making
 * that one 0600 before SQLite opens it covers all three; the chmods below
 * also fix files an older jobtrack left behind. */
static int protect_files(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open database %s: %s", path, strerror(errno));
		return STORE_ERROR;
	}
	int rc = fchmod(fd, 0600);
	close(fd);
	if (rc) {
		snprintf(err, errlen, "cannot make database %s private (chmod 600): %s", path, strerror(errno));
		return STORE_ERROR;
	}
	static const char *const sidecars[] = { "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
		char p[4200];
		snprintf(p, sizeof(p), "%s%s", path, sidecars[i]);
		if (chmod(p, 0600) && errno != ENOENT) {
			snprintf(err, errlen, "cannot make %s private (chmod 600): %s", p, strerror(errno));
			return STORE_ERROR;
		}
	}
	return 0;
}

static int conn_open(const char *path, struct sq_conn **out, char *err, size_t errlen)
{
	struct sq_conn *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	int rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
			 c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		conn_close(c);
		return STORE_ERROR;
	}
	sqlite3_busy_timeout(c->db, (int)store_lock_timeout_ms());
	/* WAL lets readers run beside the writer; NORMAL sync is safe with WAL.
	 * Switching a new file to WAL answers "locked" at once, without the busy
	 * handler, while another process is doing the same: wait it out here. */
	int rc2 = STORE_BUSY;
	for (int tries = 0; rc2 == STORE_BUSY && tries < 500; tries++) {
		if (tries)
			nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
		rc2 = sq_exec_quiet(c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
					   "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
	}
	if (rc2) {
		snprintf(err, errlen, "cannot configure database %s: %s", path, sqlite3_errmsg(c->db));
		conn_close(c);
		return STORE_ERROR;
	}
	*out = c;
	return 0;
}

static void conn_adopt(struct sq_store *s, struct sq_conn *c)
{
	c->owner = s;
	pthread_setspecific(s->key, c);
	pthread_mutex_lock(&s->mu);
	c->next = s->conns;
	s->conns = c;
	pthread_mutex_unlock(&s->mu);
}

struct sq_conn *sq_conn(struct store *base)
{
	struct sq_store *s = (struct sq_store *)base;
	struct sq_conn *c = pthread_getspecific(s->key);
	if (c)
		return c;
	char err[512];
	if (conn_open(s->path, &c, err, sizeof(err))) {
		log_event(LOG_ERROR, "store.open", "%s", err);
		return NULL;
	}
	conn_adopt(s, c);
	return c;
}

sqlite3_stmt *sq_prepare(struct sq_conn *c, const char *sql)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 7;
	for (size_t i = 0; i < SQ_STMT_SLOTS; i++) {
		size_t slot = (h + i) % SQ_STMT_SLOTS;
		if (c->cache[slot].sql == sql)
			return c->cache[slot].st;
		if (c->cache[slot].sql)
			continue;
		sqlite3_stmt *st;
		if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
			log_event(LOG_ERROR, "store.prepare", "%s: %s", sqlite3_errmsg(c->db), sql);
			return NULL;
		}
		c->cache[slot].sql = sql;
		c->cache[slot].st = st;
		return st;
	}
	log_event(LOG_ERROR, "store.prepare", "statement cache full");
	return NULL;
}

int sq_error(struct sq_conn *c, int rc)
{
	switch (rc) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	case SQLITE_CONSTRAINT:
		if (sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_UNIQUE ||
		    sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
			return STORE_CONFLICT;
		/* fall through */
	default:
		log_event(LOG_ERROR, "store.step", "%s", sqlite3_errmsg(c->db));
		return STORE_ERROR;
	}
}

void sq_finish(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int sq_run(struct sq_conn *c, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	int out = rc == SQLITE_ROW ? 0 : sq_error(c, rc);
	sq_finish(st);
	return out;
}

int sq_run_changed(struct sq_conn *c, sqlite3_stmt *st)
{
	int rc = sq_run(c, st);
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		rc = STORE_NOTFOUND;
	return rc;
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

char *sq_text(sqlite3_stmt *st, int i, struct arena *a)
{
	/* Through the column's value: sqlite3_column_text and _bytes each
	 * find the column and enter and leave the connection's mutex again
	 * (half of a listing's row reading). An unprotected value is safe
	 * here: a connection is only ever used by its own thread. */
	sqlite3_value *v = sqlite3_column_value(st, i);
	const unsigned char *t = sqlite3_value_text(v);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_value_bytes(v));
}

int sq_list_end(struct sq_conn *c, sqlite3_stmt *st, int step, const void *items)
{
	sq_finish(st);
	return items ? sq_error(c, step) : STORE_ERROR;
}

int sq_list(struct sq_conn *c, sqlite3_stmt *st, struct arena *a, size_t item_size, int64_t max, sq_read_fn read,
	    void **out, size_t *n, int *more)
{
	size_t cap = max < 16 ? (size_t)(max > 0 ? max : 1) : 16, count = 0;
	char *items = arena_alloc(a, cap * item_size);
	int step = SQLITE_DONE;
	if (more)
		*more = 0;
	while (items && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if ((int64_t)count == max) {
			if (more)
				*more = 1;
			step = SQLITE_DONE;
			break;
		}
		if (!(items = rows_grow(a, items, count, &cap, item_size)))
			break;
		read(st, a, items + count++ * item_size);
	}
	*out = items;
	*n = count;
	return sq_list_end(c, st, step, items);
}

int sq_row_exists(struct sq_conn *c, const char *sql, int64_t id)
{
	sqlite3_stmt *st = sq_prepare(c, sql);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	sq_finish(st);
	return step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : sq_error(c, step);
}

int sq_stale_or_missing(struct sq_conn *c, const char *exists_sql, int64_t id)
{
	int found = sq_row_exists(c, exists_sql, id);
	return found == 1 ? STORE_STALE : found == 0 ? STORE_NOTFOUND : found;
}

/* ---- transactions ------------------------------------------------------- */

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

static const char SQL_BEGIN_READ[] = "BEGIN DEFERRED";

static int tx_begin_with(struct sq_conn *c, const char *begin_sql)
{
	if (c->tx_depth++ > 0)
		return 0;
	c->tx_doomed = 0;
	sqlite3_stmt *st = sq_prepare(c, begin_sql);
	int rc = st ? sq_run(c, st) : STORE_ERROR;
	if (rc)
		c->tx_depth = 0;
	return rc;
}

int sq_tx_begin(struct sq_conn *c)
{
	/* IMMEDIATE takes the write lock now: what the transaction reads stays
	 * true until it ends, in this process and every other. */
	return tx_begin_with(c, SQL_BEGIN);
}

int sq_tx_end(struct sq_conn *c, int rc)
{
	assert(c->tx_depth > 0);
	if (rc)
		c->tx_doomed = 1;
	if (--c->tx_depth > 0)
		return rc;
	if (c->tx_doomed) {
		sqlite3_stmt *rb = sq_prepare(c, SQL_ROLLBACK);
		if (rb)
			sq_run(c, rb);
		if (rc == 0)
			log_event(LOG_ERROR, "store.tx", "rolled back: a step inside the transaction failed");
		return rc ? rc : STORE_ERROR;
	}
	sqlite3_stmt *st = sq_prepare(c, SQL_COMMIT);
	int rc2 = st ? sq_run(c, st) : STORE_ERROR;
	if (rc2) {
		/* A failed COMMIT leaves the transaction open; close it. */
		sqlite3_stmt *rb = sq_prepare(c, SQL_ROLLBACK);
		if (rb)
			sq_run(c, rb);
	}
	return rc2;
}

static int tx_begin_op(struct store *s, int64_t user_id)
{
	(void)user_id; /* BEGIN IMMEDIATE already serialises every writer */
	struct sq_conn *c = sq_conn(s);
	return c ? sq_tx_begin(c) : STORE_ERROR;
}

/* A deferred transaction reads from one WAL snapshot, taken at its first
 * read, and lets writers go on meanwhile. */
int sq_tx_begin_read(struct sq_conn *c)
{
	return tx_begin_with(c, SQL_BEGIN_READ);
}

static int tx_begin_snapshot_op(struct store *s)
{
	struct sq_conn *c = sq_conn(s);
	return c ? sq_tx_begin_read(c) : STORE_ERROR;
}

static int tx_end_op(struct store *s, int rc)
{
	struct sq_conn *c = sq_conn(s);
	return c ? sq_tx_end(c, rc) : STORE_ERROR;
}

static const char SQL_PING[] = "SELECT 1";

static int ping(struct store *s)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_PING) : NULL;
	if (!st)
		return STORE_ERROR;
	int rc = sqlite3_step(st);
	sq_finish(st);
	return rc == SQLITE_ROW ? 0 : sq_error(c, rc);
}

/* ---- opening and closing ---------------------------------------------- */

static void close_store(struct store *base)
{
	struct sq_store *s = (struct sq_store *)base;
	pthread_setspecific(s->key, NULL);
	pthread_mutex_lock(&s->mu);
	struct sq_conn *c = s->conns;
	s->conns = NULL;
	pthread_mutex_unlock(&s->mu);
	while (c) {
		struct sq_conn *next = c->next;
		conn_close(c);
		c = next;
	}
	pthread_key_delete(s->key);
	pthread_mutex_destroy(&s->mu);
	list_cache_free(s->lists);
	free(s->path);
	free(s);
}

/* The file was opened for writing, or the store not opened at all. */
static int read_only(struct store *s)
{
	(void)s;
	return 0;
}

const struct store_core_ops sqlite_core_ops = {
	.close = close_store,
	.migrate = sq_migrate,
	.schema_version = sq_schema_version,
	.ping = ping,
	.read_only = read_only,
	.tx_begin = tx_begin_op,
	.tx_begin_snapshot = tx_begin_snapshot_op,
	.tx_end = tx_end_op,
	.copy_read = sq_copy_read,
	.copy_has_rows = sq_copy_has_rows,
	.copy_write = sq_copy_write,
	.copy_id_counter = sq_copy_id_counter,
	.copy_set_id_counter = sq_copy_set_id_counter,
};

static void configure_sqlite(void)
{
	/* Each connection lives on one thread, so SQLite's own per-connection
	 * mutexes and its global allocation statistics (one lock per malloc)
	 * are pure cost. Both must be set before SQLite initialises. */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int sqlite_store_open(const char *url, struct store **out, char *err, size_t errlen)
{
	const char *path = url + strlen("sqlite:");
	if (!*path) {
		snprintf(err, errlen, "the database URL \"sqlite:\" names no file: use sqlite:PATH");
		return STORE_ERROR;
	}
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	pthread_once(&configured, configure_sqlite);
	if (!sqlite3_threadsafe()) {
		snprintf(err, errlen, "this SQLite library was built without thread support");
		return STORE_ERROR;
	}
	if (protect_files(path, err, errlen))
		return STORE_ERROR;
	struct sq_store *s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	s->base = (struct store){ .backend = "sqlite",
				  .core = &sqlite_core_ops,
				  .settings = &sqlite_settings_ops,
				  .accounts = &sqlite_account_ops,
				  .apps = &sqlite_app_ops,
				  .events = &sqlite_event_ops,
				  .contacts = &sqlite_contact_ops,
				  .postings = &sqlite_posting_ops,
				  .posting_terms = &sqlite_posting_terms_ops,
				  .sources = &sqlite_source_ops,
				  .runs = &sqlite_run_ops,
				  .resumes = &sqlite_resume_ops,
				  .hidden = &sqlite_hidden_ops,
				  .notify = &sqlite_notify_ops,
				  .scans = &sqlite_scan_ops,
				  .saved_searches = &sqlite_saved_search_ops };
	pthread_mutex_init(&s->mu, NULL);
	pthread_key_create(&s->key, conn_thread_exit);
	s->lists = list_cache_new(); /* without it (out of memory), every listing reads the database */
	struct sq_conn *c;
	if (conn_open(s->path, &c, err, errlen)) {
		close_store(&s->base);
		return STORE_ERROR;
	}
	conn_adopt(s, c);
	*out = &s->base;
	return 0;
}
