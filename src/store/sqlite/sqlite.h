/* sqlite — the embedded backend of the store (store-internal).
 *
 * One file per concern: conn.c (connections, statements, transactions),
 * migrate.c + migrations.c (the schema), settings.c (settings, rate limits),
 * accounts.c (users, sessions, tokens), applications.c, events.c,
 * contacts.c, postings.c, sources.c, runs.c (the scraper's), copy.c. Each fills in its group of operations (store/backend.h).
 *
 * WAL, foreign keys, a busy timeout; one connection per thread, and every
 * statement prepared once per connection and reused. */
#ifndef JT_STORE_SQLITE_SQLITE_H
#define JT_STORE_SQLITE_SQLITE_H

#include <pthread.h>
#include <sqlite3.h>

#include "store/backend.h"

struct list_cache;

#define SQ_STMT_SLOTS 512 /* per-connection statement cache (open addressing) */

struct sq_conn {
	sqlite3 *db;
	struct {
		const char *sql; /* the statement's text; its address is the key */
		sqlite3_stmt *st;
	} cache[SQ_STMT_SLOTS];
	int tx_depth;  /* nested store_tx_begin calls on this connection */
	int tx_doomed; /* an inner step failed: the outermost end rolls back */
	struct sq_conn *next;
	struct sq_store *owner;
};

struct sq_store {
	struct store base; /* first: store.c sees only this */
	char *path;
	pthread_key_t key;
	pthread_mutex_t mu;
	struct sq_conn *conns;    /* every open connection, so close can reach them */
	struct list_cache *lists; /* pages of applications (store/listcache.h); NULL: none */
};

extern const struct store_core_ops sqlite_core_ops;
extern const struct store_settings_ops sqlite_settings_ops;
extern const struct store_account_ops sqlite_account_ops;
extern const struct store_app_ops sqlite_app_ops;
extern const struct store_event_ops sqlite_event_ops;
extern const struct store_contact_ops sqlite_contact_ops;
extern const struct store_posting_ops sqlite_posting_ops;
extern const struct store_source_ops sqlite_source_ops;
extern const struct store_run_ops sqlite_run_ops;
extern const struct store_resume_ops sqlite_resume_ops;
extern const struct store_hidden_ops sqlite_hidden_ops;
extern const struct store_notify_ops sqlite_notify_ops;
extern const struct store_scan_ops sqlite_scan_ops;
extern const struct store_saved_search_ops sqlite_saved_search_ops;

/* ---- conn.c ---- */

/* This thread's connection, opened on first use; NULL (logged) on failure. */
struct sq_conn *sq_conn(struct store *s);
/* The statement for sql (a string with static lifetime: its address is the
 * cache key), prepared on first use; NULL (logged) on failure. */
sqlite3_stmt *sq_prepare(struct sq_conn *c, const char *sql);
/* Runs SQL text without parameters (pragmas, migrations); 0 or an error, logged. */
int sq_exec(sqlite3 *db, const char *sql);
/* Maps a SQLite result code to a store error (0 for OK/ROW/DONE). */
int sq_error(struct sq_conn *c, int rc);
/* Steps a statement that returns no rows, then resets it: 0 or an error. */
int sq_run(struct sq_conn *c, sqlite3_stmt *st);
/* sq_run for a write aimed at one of the user's rows: no row changed is
 * STORE_NOTFOUND. */
int sq_run_changed(struct sq_conn *c, sqlite3_stmt *st);
/* Resets a statement and clears its bindings. */
void sq_finish(sqlite3_stmt *st);
/* Binds text (NULL binds NULL). The text must outlive the step. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *s);
/* The column's text copied into a, or NULL for SQL NULL. */
char *sq_text(sqlite3_stmt *st, int i, struct arena *a);
/* After the steps of a listing: 0 when it ran to the end, or why not. */
int sq_list_end(struct sq_conn *c, sqlite3_stmt *st, int step, const void *items);
/* Steps a bound statement, reading up to max rows (each by read()) into an
 * arena array of items of item_size bytes, allocated even for no rows;
 * *more (may be NULL) is set when a row past max was there. Resets st. */
typedef void (*sq_read_fn)(sqlite3_stmt *st, struct arena *a, void *item);
int sq_list(struct sq_conn *c, sqlite3_stmt *st, struct arena *a, size_t item_size, int64_t max, sq_read_fn read,
	    void **out, size_t *n, int *more);
/* Whether sql (a SELECT of ?1 = id) finds a row: 1 or 0, or an error. */
int sq_row_exists(struct sq_conn *c, const char *sql, int64_t id);
/* After a write by id that changed nothing: STORE_STALE when exists_sql
 * finds the row (it was not in the state the write asked for), else
 * STORE_NOTFOUND. */
int sq_stale_or_missing(struct sq_conn *c, const char *exists_sql, int64_t id);
/* Transactions on this connection (nesting: see store_tx_begin). */
int sq_tx_begin(struct sq_conn *c);
/* A read-only transaction over one snapshot (joins an open one). */
int sq_tx_begin_read(struct sq_conn *c);
int sq_tx_end(struct sq_conn *c, int rc);

/* ---- migrate.c / migrations.c ---- */

const char *sqlite_migration(int version); /* SQL from version-1 to version, or NULL */
int sqlite_migrations_latest(void);
int sq_migrate(struct store *s, int *from, int *to);
int sq_schema_version(struct store *s, int *version, int *latest);

/* ---- copy.c ---- */

int sq_copy_read(struct store *s, const struct copy_table *t, int (*row)(const struct copy_value *values, void *ctx),
		 void *ctx);
int sq_copy_write(struct store *s, const struct copy_table *t, const struct copy_value *values);
int sq_copy_has_rows(struct store *s, const struct copy_table *t, int *has);
int sq_copy_id_counter(struct store *s, const struct copy_table *t, int64_t *value);
int sq_copy_set_id_counter(struct store *s, const struct copy_table *t, int64_t value);

/* postings' cached scan terms (posting_terms.c) */
extern const struct store_posting_terms_ops sqlite_posting_terms_ops;

#endif
