/* pg.h — the PostgreSQL backend's internals (src/store/postgres/ only).
 *
 * One libpq connection per thread, opened on first use (conn.c). Every
 * statement is prepared once per connection under a name, planned once
 * (generic plans: plan_cache_mode is set on connect) and run with
 * PQexecPrepared, or several in one round trip (pg_exec_pipeline); every
 * value travels as a bound parameter. A connection the
 * server dropped (a restart) is reset and the statement retried once, but
 * only outside a transaction: inside one, the work is lost and the caller
 * gets STORE_BUSY.
 *
 * Values are exchanged as text (integers as decimal digits, bytea hashes in
 * binary), so integers read back are parsed and checked (values.c).
 *
 * Ownership: a PGresult handed out by pg_exec() belongs to the caller, who
 * PQclear()s it; strings read from it are copied into the caller's arena. */
#ifndef JT_STORE_POSTGRES_PG_H
#define JT_STORE_POSTGRES_PG_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "store/backend.h"

struct pg_conn;
struct pg_cache;
struct list_cache;

struct pg_store {
	struct store base; /* first: store.c holds a struct store * */
	char *url;         /* as given; handed to libpq, never logged (it may hold a password) */
	char where[160];   /* "host=… port=… db=…" for messages: no password */
	pthread_key_t key; /* this thread's struct pg_conn */
	pthread_mutex_t mu;
	struct pg_conn *conns;    /* every open connection, so close can reach them */
	struct pg_cache *cache;   /* users and sessions known in this process (cache.c) */
	struct list_cache *lists; /* pages of applications known in this process (store/listcache.h) */
	int read_only;            /* the database refuses writes (atomic; see pg_session_read_only) */
};

struct pg_conn {
	PGconn *db;
	struct pg_store *owner;
	struct pg_conn *next;
	int depth;                   /* nested tx_begin()s not yet ended */
	int doomed_rc;               /* first failure inside the transaction: the outermost end rolls back */
	int64_t tx_users[4];         /* users whose data the transaction locked: re-read at commit */
	int n_tx_users;              /* how many; past the array's size, every user is forgotten */
	int tx_ended_sessions;       /* the transaction ended sessions of its users: forget those */
	int be_pid;                  /* the server process serving db (0: none); written under owner->mu */
	int64_t reconnect_failed_at; /* monotonic seconds of the last failed reconnect (0: none) */
	int reset_due;               /* the database refused a write: a new session at the next chance */
	int64_t reset_at;            /* monotonic seconds of the last such reset (0: none) */
	char last_error[256];        /* the server's message for the last failed statement */
	/* Statements prepared on this session: statement "jtN" is prepared[N].
	 * Keys are addresses (of the SQL text, or of a variant's slot), so a
	 * lookup is a scan of pointers, never a string compare. */
	const void **prepared;
	size_t n_prepared, cap_prepared;
};

static inline struct pg_store *pg_store_of(struct store *s)
{
	return (struct pg_store *)s;
}

/* ---- connections (conn.c) ---- */

/* Connects (the URL may override the timeouts and keepalives chosen
 * here); the PGconn even when it failed, NULL only when out of memory. */
PGconn *pg_connect(const char *url);
/* This thread's connection, opened on first use; NULL when out of memory
 * (a connection the server refused is returned, and reset on use). */
struct pg_conn *pg_conn(struct store *s);
/* Creates the thread key; closes every thread's connection (open.c's close). */
void pg_conn_init_key(struct pg_store *ps);
void pg_conns_close(struct pg_store *ps);
/* 1 when the session takes no writes (default_transaction_read_only on,
 * or a hot standby), from what the server reported: no round trip. */
int pg_session_read_only(const PGconn *db);
/* While the store is read-only, gives this thread's connection a new
 * session (at most once a second), so it learns whether it still is. */
void pg_refresh_read_only(struct pg_conn *c);
/* Copies a libpq message as one line, without its trailing newline. */
void pg_one_line(const char *msg, char *out, size_t outlen);

/* Runs sql, prepared once per connection under key (key == sql for fixed
 * statements). On success *res holds the rows (the caller PQclear()s it);
 * on failure *res is NULL and the error is mapped and logged. */
struct pg_params;
int pg_exec_keyed(struct pg_conn *c, const void *key, const char *sql, const struct pg_params *p, PGresult **res);
int pg_exec(struct pg_conn *c, const char *sql, const struct pg_params *p, PGresult **res);
/* pg_exec for a statement whose rows (if any) are not needed. */
int pg_exec_done(struct pg_conn *c, const char *sql, const struct pg_params *p);
/* pg_exec_done for a write aimed at one of the user's rows: no row changed
 * means there is no such row for this user (STORE_NOTFOUND). */
int pg_exec_changed(struct pg_conn *c, const char *sql, const struct pg_params *p);
/* Runs fixed statements (each prepared under its SQL text) in one round
 * trip, for statements whose rows are not needed: libpq's pipeline mode.
 * 0, or the first one's failure (the server skips the rest after it). */
#define PG_MAX_PIPELINE 4
struct pg_stmt {
	const char *sql;
	const struct pg_params *p;
};
int pg_exec_pipeline(struct pg_conn *c, const struct pg_stmt *stmts, size_t n);
/* The same, keeping each statement's result in keep[i] (the caller
 * PQclear()s them) when all succeeded; all NULL otherwise. */
int pg_exec_pipeline_keep(struct pg_conn *c, const struct pg_stmt *stmts, size_t n, PGresult **keep);
/* 1 when pid is the server process of one of this store's connections. */
int pg_own_backend(struct pg_store *ps, int pid);
/* Runs a script of several statements without parameters (migrations only:
 * constant text from the program). */
int pg_exec_script(struct pg_conn *c, const char *sql);

/* ---- transactions (tx.c) ---- */

/* See store_tx_begin/store_tx_end in store.h. user_id > 0 locks that user's
 * row first, so every write to one user's data queues on the same lock. A
 * begin that fails has undone itself and needs no end; an end with nothing
 * open is logged and returns rc (STORE_ERROR for 0) instead of crashing. */
int pg_tx_begin(struct pg_conn *c, int64_t user_id);
int pg_tx_end(struct pg_conn *c, int rc);
/* The same on this thread's connection: store_core_ops' tx_begin/tx_end. */
int pg_store_tx_begin(struct store *s, int64_t user_id);
int pg_store_tx_end(struct store *s, int rc);
int pg_store_tx_begin_snapshot(struct store *s);
/* This thread's connection with pg_tx_begin(user_id) done; NULL with *rc
 * set when either failed (then no pg_tx_end is due). */
struct pg_conn *pg_conn_begin(struct store *s, int64_t user_id, int *rc);
/* One write of the user's tracker data in a transaction that holds the
 * user's lock, like every other write of it: pg_exec_changed, or
 * pg_exec_int for a statement that returns a value (an id, a version). */
int pg_user_write(struct store *s, int64_t user_id, const char *sql, const struct pg_params *p);
int pg_user_write_int(struct store *s, int64_t user_id, const char *sql, const struct pg_params *p, int64_t *value);

/* ---- parameters and results (values.c) ---- */

#define PG_MAX_PARAMS 32

struct pg_params {
	int n;
	const char *values[PG_MAX_PARAMS];
	int lengths[PG_MAX_PARAMS];
	int formats[PG_MAX_PARAMS];
	char digits[PG_MAX_PARAMS][32]; /* number parameters' text */
};

/* Appends $n+1. Strings are borrowed until the statement ran; NULL is SQL NULL. */
void pg_param_int(struct pg_params *p, int64_t v);
void pg_param_text(struct pg_params *p, const char *s);
void pg_param_bytes(struct pg_params *p, const void *data, size_t len); /* binary: bytea */
void pg_param_null(struct pg_params *p);
/* A double precision value in text that reads back exactly. */
void pg_param_double(struct pg_params *p, double v);

/* Reads a result row's columns left to right. A value that is not what the
 * column promises (or an arena that ran out) sets bad; check it once at the
 * end. */
struct pg_row {
	const PGresult *res;
	int row, col;
	struct arena *a;
	int bad;
};

static inline struct pg_row pg_row_at(const PGresult *res, int row, struct arena *a)
{
	return (struct pg_row){ .res = res, .row = row, .a = a };
}

int pg_row_is_null(const struct pg_row *r); /* the next column's */
int64_t pg_row_int(struct pg_row *r);       /* SQL NULL reads as 0 */
double pg_row_double(struct pg_row *r);     /* SQL NULL reads as 0 */
char *pg_row_text(struct pg_row *r);        /* a copy in r->a; NULL for SQL NULL */
void pg_row_text_to(struct pg_row *r, char *dst, size_t len);
/* Tags joined with STORE_TAG_SEP (store/rows.h), split into r->a. */
void pg_row_tags(struct pg_row *r, char ***tags, size_t *n);

/* A text[] parameter's value, built element by element: out is reset to
 * "{}" by pg_array_init and each element is added double-quoted (" and \
 * escaped), so any text reads back as it was. */
struct buf;
void pg_array_init(struct buf *out);
void pg_array_add(struct buf *out, const char *item);

/* Parses a whole decimal int64; 0 or STORE_ERROR. */
int pg_parse_int(const char *s, int64_t *out);

/* Runs sql and reads every row into an arena array (*out, *n) of items of
 * item_size bytes, read() filling in one from the row. The array is
 * allocated even for no rows. */
typedef void (*pg_read_fn)(struct pg_row *r, void *item);
int pg_list(struct pg_conn *c, const char *sql, const struct pg_params *p, struct arena *a, size_t item_size,
	    pg_read_fn read, void **out, size_t *n);
int pg_list_keyed(struct pg_conn *c, const void *key, const char *sql, const struct pg_params *p, struct arena *a,
		  size_t item_size, pg_read_fn read, void **out, size_t *n);
/* Runs sql and reads the first column of its first row (a count, or what
 * RETURNING gave); STORE_NOTFOUND when there is no row. */
int pg_exec_int(struct pg_conn *c, const char *sql, const struct pg_params *p, int64_t *value);
/* After a write by id that changed nothing: STORE_STALE when exists_sql
 * (a SELECT of $1 = id) finds the row, else STORE_NOTFOUND. */
int pg_stale_or_missing(struct pg_conn *c, const char *exists_sql, int64_t id);
/* pg_list of sql with $1 = user_id, on the store's connection, into *out. */
int pg_user_list(struct store *s, const char *sql, int64_t user_id, struct arena *a, size_t item_size, pg_read_fn read,
		 void **out, size_t *n);
/* pg_list for one row into *item: STORE_NOTFOUND when there is none. */
int pg_get(struct pg_conn *c, const char *sql, const struct pg_params *p, struct arena *a, size_t item_size,
	   pg_read_fn read, void *item);

/* ---- users (accounts.c) ---- */

/* The columns pg_read_user reads, for a FROM item named u. */
#define PG_USER_COLS "u.id, u.email, u.password_hash, u.is_admin, u.token_version, u.created_at, u.data_version"
/* Reads PG_USER_COLS from the row's current column on. */
void pg_read_user(struct pg_row *r, struct user *u);

/* ---- the user and session cache (cache.c) ---- */

/* Starts listening for changes (a thread with its own connection). */
int pg_cache_start(struct pg_store *ps);
void pg_cache_stop(struct pg_store *ps);
/* The cache's epoch before a lookup in the database, to hand to a put after
 * it: a put whose epoch has moved (something changed meanwhile) is dropped.
 * 0 while the cache is not live. */
uint64_t pg_cache_epoch(struct pg_store *ps);
/* 1 when what the cache holds may answer a request that begins now: the
 * cache is live and this process is alone on the database, or it has made
 * sure that every change committed by others so far has reached it (one
 * round trip, shared by the requests that wait for it: cache.c). A
 * request's first lookup asks this; the lookups after it in the same
 * request use the cache as it is. */
int pg_cache_fresh(struct pg_store *ps);
/* 1 and *out filled when the user (or the live session's user) is known. */
int pg_cache_user(struct pg_store *ps, int64_t id, struct user *out);
int pg_cache_session(struct pg_store *ps, const uint8_t hash[32], int64_t now, struct user *out);
void pg_cache_put_user(struct pg_store *ps, uint64_t epoch, const struct user *u);
void pg_cache_put_session(struct pg_store *ps, uint64_t epoch, const uint8_t hash[32], int64_t expires_at,
			  const struct user *u);
/* After this process changed them (other processes' changes arrive as
 * notifications; this process's own are not applied, see cache.c). */
void pg_cache_forget_user(struct pg_store *ps, int64_t user_id);
/* After a commit that held u's row lock: u is the row as the transaction
 * left it, read before COMMIT, and epoch pg_cache_epoch() from before that
 * read. Remembered when nothing was forgotten meanwhile, else forgotten. */
void pg_cache_commit_user(struct pg_store *ps, uint64_t epoch, const struct user *u);
void pg_cache_forget_session(struct pg_store *ps, const uint8_t hash[32]);
void pg_cache_forget_all(struct pg_store *ps);

/* ---- migrations (migrations.c, migrate.c) ---- */

const char *pg_migration(int version);
int pg_migrations_latest(void);
int pg_migrate(struct store *s, int *from, int *to);
int pg_schema_version(struct store *s, int *version, int *latest);

/* ---- store_copy (copy.c) ---- */

int pg_copy_read(struct store *s, const struct copy_table *t, int (*row)(const struct copy_value *values, void *ctx),
		 void *ctx);
int pg_copy_write(struct store *s, const struct copy_table *t, const struct copy_value *values);
int pg_copy_has_rows(struct store *s, const struct copy_table *t, int *has);
int pg_copy_id_counter(struct store *s, const struct copy_table *t, int64_t *value);
int pg_copy_set_id_counter(struct store *s, const struct copy_table *t, int64_t value);

/* ---- the operation groups, one per concern file ---- */

extern const struct store_settings_ops pg_settings_ops; /* settings.c */
extern const struct store_account_ops pg_account_ops;   /* accounts.c */
extern const struct store_app_ops pg_app_ops;           /* applications.c */
extern const struct store_event_ops pg_event_ops;       /* events.c */
extern const struct store_contact_ops pg_contact_ops;   /* contacts.c */
extern const struct store_posting_ops pg_posting_ops;   /* postings.c */
extern const struct store_source_ops pg_source_ops;     /* sources.c */
extern const struct store_run_ops pg_run_ops;           /* runs.c */
extern const struct store_resume_ops pg_resume_ops;     /* resumes.c */
extern const struct store_hidden_ops pg_hidden_ops;     /* hidden.c */
extern const struct store_notify_ops pg_notify_ops;     /* notify.c */
extern const struct store_scan_ops pg_scan_ops;         /* scans.c */

/* postings' cached scan terms (posting_terms.c) */
extern const struct store_posting_terms_ops pg_posting_terms_ops;
extern const struct store_settings_ops pg_settings_ops;         /* settings.c */
extern const struct store_account_ops pg_account_ops;           /* accounts.c */
extern const struct store_app_ops pg_app_ops;                   /* applications.c */
extern const struct store_event_ops pg_event_ops;               /* events.c */
extern const struct store_contact_ops pg_contact_ops;           /* contacts.c */
extern const struct store_posting_ops pg_posting_ops;           /* postings.c */
extern const struct store_source_ops pg_source_ops;             /* sources.c */
extern const struct store_run_ops pg_run_ops;                   /* runs.c */
extern const struct store_resume_ops pg_resume_ops;             /* resumes.c */
extern const struct store_saved_search_ops pg_saved_search_ops; /* saved_searches.c */

#endif
