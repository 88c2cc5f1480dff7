/* The SQLite backend of the store: WAL, foreign keys, a busy timeout, one
 * connection per thread, and every statement prepared once per connection
 * and reused. */
#include "store/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "store/migrations.h"

/* Every fixed statement, prepared lazily per connection. */
#define APP_COLS \
	"id, company, position, location, url, source, salary_min, salary_max, salary_currency, " \
	"salary_period, status, priority, tags, saved_on, applied_on, follow_up_on, notes, " \
	"created_at, updated_at, status_changed_at"
#define USER_COLS "u.id, u.email, u.password_hash, u.is_admin, u.token_version, u.created_at, u.data_version"
#define EVENT_COLS \
	"id, application_id, kind, at, from_status, to_status, title, body, interview_kind, " \
	"with_whom, created_at"
#define CONTACT_COLS "c.id, c.name, c.role, c.email, c.phone, c.url, c.notes, c.created_at, c.updated_at"

#define STATEMENTS(X) \
	X(BEGIN, "BEGIN IMMEDIATE") \
	X(COMMIT, "COMMIT") \
	X(ROLLBACK, "ROLLBACK") \
	X(PING, "SELECT 1") \
	X(SETTING_GET, "SELECT value FROM settings WHERE key = ?1") \
	X(SETTING_SET, "INSERT INTO settings(key, value) VALUES (?1, ?2) " \
		       "ON CONFLICT(key) DO UPDATE SET value = excluded.value") \
	X(USER_INSERT, "INSERT INTO users(email, password_hash, is_admin, created_at, updated_at) " \
		       "VALUES (?1, ?2, NOT EXISTS (SELECT 1 FROM users), ?3, ?3)") \
	X(USER_BY_EMAIL, "SELECT " USER_COLS " FROM users u WHERE u.email = ?1") \
	X(USER_BY_ID, "SELECT " USER_COLS " FROM users u WHERE u.id = ?1") \
	X(USER_COUNT, "SELECT count(*) FROM users") \
	X(USER_ALL, "SELECT " USER_COLS " FROM users u ORDER BY u.id") \
	X(USER_SET_PASSWORD, "UPDATE users SET password_hash = ?2, token_version = token_version + 1, " \
			     "updated_at = ?3 WHERE id = ?1") \
	X(USER_SET_ADMIN, "UPDATE users SET is_admin = ?2, updated_at = ?3 WHERE id = ?1") \
	X(SESSIONS_END_OTHERS, "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2") \
	X(SESSION_INSERT, "INSERT INTO sessions(user_id, token_hash, created_at, expires_at, user_agent, address) " \
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)") \
	X(SESSION_USER, "SELECT " USER_COLS " FROM sessions s JOIN users u ON u.id = s.user_id " \
			"WHERE s.token_hash = ?1 AND s.expires_at > ?2") \
	X(SESSION_DELETE, "DELETE FROM sessions WHERE token_hash = ?1") \
	X(SESSION_LIST, "SELECT id, created_at, expires_at, user_agent, address, token_hash IS ?2 FROM sessions " \
			"WHERE user_id = ?1 AND expires_at > ?3 ORDER BY created_at DESC, id DESC") \
	X(SESSION_REVOKE, "DELETE FROM sessions WHERE user_id = ?1 AND id = ?2") \
	X(SESSIONS_EXPIRED, "DELETE FROM sessions WHERE expires_at <= ?1") \
	X(TOKEN_INSERT, "INSERT INTO api_tokens(user_id, name, prefix, token_hash, created_at) " \
			"VALUES (?1, ?2, ?3, ?4, ?5)") \
	X(TOKEN_USER, "SELECT " USER_COLS ", t.id, t.last_used_at FROM api_tokens t " \
		      "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1 AND t.revoked_at IS NULL") \
	X(TOKEN_TOUCH, "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1") \
	X(TOKEN_LIST, "SELECT id, name, prefix, created_at, last_used_at FROM api_tokens " \
		      "WHERE user_id = ?1 AND revoked_at IS NULL ORDER BY id DESC") \
	X(TOKEN_REVOKE, "UPDATE api_tokens SET revoked_at = ?3 WHERE user_id = ?1 AND id = ?2 " \
			"AND revoked_at IS NULL") \
	X(APP_GET, "SELECT " APP_COLS " FROM applications WHERE user_id = ?1 AND id = ?2") \
	X(APP_STATUS, "SELECT status FROM applications WHERE user_id = ?1 AND id = ?2") \
	X(APP_INSERT, "INSERT INTO applications(user_id, company, position, location, url, source, " \
		      "salary_min, salary_max, salary_currency, salary_period, status, priority, tags, " \
		      "saved_on, applied_on, follow_up_on, notes, created_at, updated_at, status_changed_at) " \
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, " \
		      "?18, ?18, ?18)") \
	X(APP_UPDATE, "UPDATE applications SET company = ?2, position = ?3, location = ?4, url = ?5, " \
		      "source = ?6, salary_min = ?7, salary_max = ?8, salary_currency = ?9, " \
		      "salary_period = ?10, status = ?11, priority = ?12, tags = ?13, saved_on = ?14, " \
		      "applied_on = ?15, follow_up_on = ?16, notes = ?17, updated_at = ?18, " \
		      "status_changed_at = CASE WHEN status = ?11 THEN status_changed_at ELSE ?18 END " \
		      "WHERE user_id = ?1 AND id = ?19") \
	X(APP_DELETE, "DELETE FROM applications WHERE user_id = ?1 AND id = ?2") \
	X(APP_COUNT_STATUS, "SELECT status, count(*) FROM applications WHERE user_id = ?1 GROUP BY status") \
	X(APP_TOUCH, "UPDATE applications SET updated_at = ?3 WHERE user_id = ?1 AND id = ?2") \
	/* ?3 the entry's day, ?4 today: a planned follow-up becomes the next one unless an \
	 * earlier one is still ahead; one in the past settles any date due by then. */ \
	X(APP_FOLLOW_UP, "UPDATE applications SET follow_up_on = CASE WHEN ?3 >= ?4 THEN " \
			 "(CASE WHEN follow_up_on IS NULL OR follow_up_on < ?4 OR follow_up_on > ?3 THEN ?3 " \
			 "ELSE follow_up_on END) " \
			 "WHEN follow_up_on <= ?3 THEN NULL ELSE follow_up_on END WHERE user_id = ?1 AND id = ?2") \
	X(EVENT_INSERT, "INSERT INTO events(user_id, application_id, kind, at, from_status, to_status, " \
			"title, body, interview_kind, with_whom, created_at) " \
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)") \
	X(EVENT_LIST, "SELECT " EVENT_COLS " FROM events WHERE user_id = ?1 AND application_id = ?2 " \
		      "ORDER BY at DESC, id DESC") \
	X(EVENT_UPCOMING, "SELECT " EVENT_COLS " FROM events WHERE user_id = ?1 AND kind = 'interview' " \
			  "AND at >= ?2 AND at < ?3 ORDER BY at, id LIMIT 100") \
	X(EVENT_GET, "SELECT " EVENT_COLS " FROM events WHERE user_id = ?1 AND application_id = ?2 AND id = ?3") \
	X(EVENT_UPDATE, "UPDATE events SET kind = ?4, at = ?5, title = ?6, body = ?7, interview_kind = ?8, " \
			"with_whom = ?9 WHERE user_id = ?1 AND application_id = ?2 AND id = ?3 " \
			"AND kind IN ('note', 'interview', 'follow_up')") \
	X(EVENT_DELETE, "DELETE FROM events WHERE user_id = ?1 AND application_id = ?2 AND id = ?3") \
	X(EVENT_KIND_AT, "SELECT kind, at FROM events WHERE user_id = ?1 AND application_id = ?2 AND id = ?3") \
	X(APP_FOLLOW_UP_UNSET, "UPDATE applications SET follow_up_on = NULL " \
			       "WHERE user_id = ?1 AND id = ?2 AND follow_up_on BETWEEN ?3 AND ?4") \
	X(CONTACT_LIST_ALL, "SELECT " CONTACT_COLS " FROM contacts c WHERE c.user_id = ?1 " \
			    "ORDER BY c.name COLLATE NOCASE, c.id") \
	X(CONTACT_LIST_APP, "SELECT " CONTACT_COLS " FROM contacts c JOIN application_contacts ac " \
			    "ON ac.contact_id = c.id WHERE c.user_id = ?1 AND ac.application_id = ?2 " \
			    "ORDER BY c.name COLLATE NOCASE, c.id") \
	X(CONTACT_GET, "SELECT " CONTACT_COLS " FROM contacts c WHERE c.user_id = ?1 AND c.id = ?2") \
	X(CONTACT_INSERT, "INSERT INTO contacts(user_id, name, role, email, phone, url, notes, created_at, " \
			  "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)") \
	X(CONTACT_UPDATE, "UPDATE contacts SET name = ?3, role = ?4, email = ?5, phone = ?6, url = ?7, " \
			  "notes = ?8, updated_at = ?9 WHERE user_id = ?1 AND id = ?2") \
	X(CONTACT_DELETE, "DELETE FROM contacts WHERE user_id = ?1 AND id = ?2") \
	X(CONTACT_LINK, "INSERT OR IGNORE INTO application_contacts(application_id, contact_id) " \
			"SELECT a.id, c.id FROM applications a, contacts c WHERE a.user_id = ?1 " \
			"AND c.user_id = ?1 AND a.id = ?2 AND c.id = ?3") \
	X(CONTACT_LINKED, "SELECT 1 FROM application_contacts ac JOIN applications a " \
			  "ON a.id = ac.application_id WHERE a.user_id = ?1 AND ac.application_id = ?2 " \
			  "AND ac.contact_id = ?3") \
	X(CONTACT_UNLINK, "DELETE FROM application_contacts WHERE application_id = ?2 AND contact_id = ?3 " \
			  "AND application_id IN (SELECT id FROM applications WHERE user_id = ?1)")

#define ENUM_ENTRY(name, sql) ST_##name,
enum stmt_id { STATEMENTS(ENUM_ENTRY) ST_COUNT };
#define SQL_ENTRY(name, sql) sql,
static const char *const stmt_sql[] = { STATEMENTS(SQL_ENTRY) };

/* List queries vary by which filters are present and the sort; each
 * combination gets its own cached statement. */
#define LIST_FILTER_BITS 3
#define LIST_VARIANTS    ((1 << LIST_FILTER_BITS) * APP_SORT_COUNT)

struct conn {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	sqlite3_stmt *list_st[LIST_VARIANTS];
	sqlite3_stmt *count_st[1 << LIST_FILTER_BITS];
	struct conn *next;
	struct store *owner;
};

struct store {
	char *path;
	pthread_key_t key;
	pthread_mutex_t mu;
	struct conn *conns; /* every open connection, so close can reach them */
};

static void conn_close(struct conn *c)
{
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(c->st[i]);
	for (int i = 0; i < LIST_VARIANTS; i++)
		sqlite3_finalize(c->list_st[i]);
	for (int i = 0; i < (1 << LIST_FILTER_BITS); i++)
		sqlite3_finalize(c->count_st[i]);
	sqlite3_close(c->db);
	free(c);
}

/* Thread exit: the connection goes with its thread. Worker threads end
 * before store_close() (the server stops first), so owner is still alive. */
static void conn_thread_exit(void *p)
{
	struct conn *c = p;
	struct store *s = c->owner;
	pthread_mutex_lock(&s->mu);
	for (struct conn **pp = &s->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	pthread_mutex_unlock(&s->mu);
	conn_close(c);
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		log_event(LOG_ERROR, "store.sql", "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return STORE_ERROR;
	}
	return 0;
}

static int conn_open(const char *path, struct conn **out, char *err, size_t errlen)
{
	struct conn *c = calloc(1, sizeof(*c));
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
	sqlite3_busy_timeout(c->db, 5000);
	/* WAL lets readers run beside the writer; NORMAL sync is safe with WAL. */
	if (exec_sql(c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;")) {
		snprintf(err, errlen, "cannot configure database %s: %s", path, sqlite3_errmsg(c->db));
		conn_close(c);
		return STORE_ERROR;
	}
	*out = c;
	return 0;
}

static struct conn *conn_get(struct store *s)
{
	struct conn *c = pthread_getspecific(s->key);
	if (c)
		return c;
	char err[512];
	if (conn_open(s->path, &c, err, sizeof(err))) {
		log_event(LOG_ERROR, "store.open", "%s", err);
		return NULL;
	}
	c->owner = s;
	pthread_setspecific(s->key, c);
	pthread_mutex_lock(&s->mu);
	c->next = s->conns;
	s->conns = c;
	pthread_mutex_unlock(&s->mu);
	return c;
}

static sqlite3_stmt *prep(struct conn *c, enum stmt_id id)
{
	if (!c->st[id]) {
		int rc = sqlite3_prepare_v3(c->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &c->st[id], NULL);
		if (rc != SQLITE_OK) {
			log_event(LOG_ERROR, "store.prepare", "%s: %s", sqlite3_errmsg(c->db), stmt_sql[id]);
			return NULL;
		}
	}
	return c->st[id];
}

static int map_rc(struct conn *c, int rc)
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

/* Runs a statement that returns no rows, then resets it. */
static int step_done(struct conn *c, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	int out = rc == SQLITE_ROW ? 0 : map_rc(c, rc);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return out;
}

/* step_done for a write aimed at one of the user's rows: no row changed
 * means there was no such row for this user. */
static int step_changed(struct conn *c, sqlite3_stmt *st)
{
	int rc = step_done(c, st);
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		rc = STORE_NOTFOUND;
	return rc;
}

/* Ends a listing: hands over the arena array, or reports why it stopped. */
#define LIST_DONE(c, st, step, items, count, out, n) \
	do { \
		finish(st); \
		if (!(items)) \
			return STORE_ERROR; \
		*(out) = (items); \
		*(n) = (count); \
		return map_rc((c), (step)); \
	} while (0)

static void finish(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static char *col_text(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

/* Doubles an arena array of *cap items of size bytes; NULL when out of memory. */
static void *grow_items(struct arena *a, void *items, size_t *cap, size_t size)
{
	void *bigger = arena_alloc(a, *cap * 2 * size);
	if (bigger)
		memcpy(bigger, items, *cap * size);
	*cap *= 2;
	return bigger;
}

static int tx_begin(struct conn *c)
{
	sqlite3_stmt *st = prep(c, ST_BEGIN);
	return st ? step_done(c, st) : STORE_ERROR;
}

static int tx_end(struct conn *c, int rc)
{
	sqlite3_stmt *st = prep(c, rc == 0 ? ST_COMMIT : ST_ROLLBACK);
	int rc2 = st ? step_done(c, st) : STORE_ERROR;
	if (rc == 0 && rc2 != 0) {
		/* A failed COMMIT leaves the transaction open; close it. */
		sqlite3_stmt *rb = prep(c, ST_ROLLBACK);
		if (rb)
			step_done(c, rb);
	}
	return rc ? rc : rc2;
}

#define CONN_OR_FAIL(c, s) \
	struct conn *c = conn_get(s); \
	if (!c) \
	return STORE_ERROR

#define PREP_OR_FAIL(st, c, id) \
	sqlite3_stmt *st = prep(c, id); \
	if (!st) \
	return STORE_ERROR

/* ---- opening, migrations ---------------------------------------------- */

static int parse_url(const char *url, const char **path, char *err, size_t errlen)
{
	if (strncmp(url, "sqlite:", 7) == 0 && url[7]) {
		*path = url + 7;
		return 0;
	}
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
		snprintf(err, errlen, "the PostgreSQL store is not built yet; use sqlite:PATH for now");
	else
		snprintf(err, errlen, "unsupported database URL \"%s\": expected sqlite:PATH", url);
	return STORE_ERROR;
}

static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int open_common(const char *url, int migrate, struct store **out, char *err, size_t errlen)
{
	const char *path;
	if (parse_url(url, &path, err, errlen))
		return STORE_ERROR;
	/* Each connection lives on one thread, so SQLite's own per-connection
	 * mutexes and its global allocation statistics (one lock per malloc)
	 * are pure cost. Both must be set before SQLite initialises. */
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	pthread_once(&configured, configure_sqlite);
	if (!sqlite3_threadsafe()) {
		snprintf(err, errlen, "this SQLite library was built without thread support");
		return STORE_ERROR;
	}
	struct store *s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_key_create(&s->key, conn_thread_exit);
	struct conn *c;
	if (conn_open(s->path, &c, err, errlen)) {
		store_close(s);
		return STORE_ERROR;
	}
	c->owner = s;
	pthread_setspecific(s->key, c);
	s->conns = c;
	if (migrate) {
		int from, to;
		if (store_migrate(s, &from, &to)) {
			snprintf(err, errlen, "database migration failed (see log)");
			store_close(s);
			return STORE_ERROR;
		}
		if (from != to)
			log_event(LOG_INFO, "store.migrate", "schema migrated from version %d to %d", from, to);
	}
	*out = s;
	return 0;
}

int store_open(const char *url, struct store **out, char *err, size_t errlen)
{
	return open_common(url, 1, out, err, errlen);
}

int store_open_nomigrate(const char *url, struct store **out, char *err, size_t errlen)
{
	return open_common(url, 0, out, err, errlen);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	pthread_setspecific(s->key, NULL);
	pthread_mutex_lock(&s->mu);
	struct conn *c = s->conns;
	s->conns = NULL;
	pthread_mutex_unlock(&s->mu);
	while (c) {
		struct conn *next = c->next;
		conn_close(c);
		c = next;
	}
	pthread_key_delete(s->key);
	pthread_mutex_destroy(&s->mu);
	free(s->path);
	free(s);
}

static int user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return STORE_ERROR;
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : STORE_ERROR;
	if (rc == 0)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int store_schema_version(struct store *s, int *version, int *latest)
{
	CONN_OR_FAIL(c, s);
	*latest = migrations_sqlite_latest();
	return user_version(c->db, version);
}

/* How many rows refer to a missing row (PRAGMA foreign_key_check), or -1. */
static long foreign_key_violations(struct conn *c)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
		return -1;
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		n++;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : -1;
}

/* The migration transaction itself; *from gets the version found. */
static int migrate_locked(struct conn *c, int *from)
{
	int v;
	if (exec_sql(c->db, "BEGIN IMMEDIATE"))
		return STORE_ERROR;
	/* Read the version inside the write lock so two processes cannot both migrate. */
	if (user_version(c->db, &v)) {
		exec_sql(c->db, "ROLLBACK");
		return STORE_ERROR;
	}
	*from = v;
	int latest = migrations_sqlite_latest();
	if (v > latest) {
		exec_sql(c->db, "ROLLBACK");
		log_event(LOG_ERROR, "store.migrate",
			  "database schema version %d is newer than this program knows (%d): upgrade jobtrack", v,
			  latest);
		return STORE_ERROR;
	}
	int rc = exec_sql(c->db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
				 "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
	/* Only a migration that runs is checked, and only for references it
	 * broke: rows left dangling earlier (say by a sqlite3 shell, where
	 * foreign keys are off) must not stop every later start or upgrade. */
	long dangling = 0;
	if (rc == 0 && v < latest) {
		dangling = foreign_key_violations(c);
		if (dangling < 0)
			rc = STORE_ERROR;
		else if (dangling > 0)
			log_event(LOG_WARN, "store.migrate",
				  "%ld rows refer to rows that no longer exist (PRAGMA foreign_key_check)", dangling);
	}
	for (int next = v + 1; rc == 0 && next <= latest; next++) {
		rc = exec_sql(c->db, migrations_sqlite(next));
		char sql[160];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO schema_migrations(version, applied_at) VALUES (%d, datetime('now'));"
			 "PRAGMA user_version = %d;",
			 next, next);
		if (rc == 0)
			rc = exec_sql(c->db, sql);
	}
	if (rc == 0 && v < latest) {
		long after = foreign_key_violations(c);
		if (after < 0 || after > dangling) {
			log_event(LOG_ERROR, "store.migrate",
				  "a migration left rows with dangling references: rolled back");
			rc = STORE_ERROR;
		}
	}
	if (rc) {
		exec_sql(c->db, "ROLLBACK");
		return rc;
	}
	if (exec_sql(c->db, "COMMIT"))
		return STORE_ERROR;
	return 0;
}

int store_migrate(struct store *s, int *from, int *to)
{
	CONN_OR_FAIL(c, s);
	int v;
	/* Rebuilding a table (new, copy, drop old, rename) must not cascade the
	 * drop into the tables that refer to it: SQLite's documented way is to
	 * switch foreign keys off around the transaction and check them before
	 * committing. The pragma is a no-op inside a transaction, hence here. */
	if (exec_sql(c->db, "PRAGMA foreign_keys=OFF"))
		return STORE_ERROR;
	int rc = migrate_locked(c, &v);
	/* This connection stays in use: it must not go on without foreign keys
	 * (deletes would stop cascading). */
	if (exec_sql(c->db, "PRAGMA foreign_keys=ON") && rc == 0)
		rc = STORE_ERROR;
	if (rc)
		return rc;
	*from = v;
	*to = migrations_sqlite_latest();
	return 0;
}

int store_ping(struct store *s)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_PING);
	int rc = sqlite3_step(st);
	finish(st);
	return rc == SQLITE_ROW ? 0 : map_rc(c, rc);
}

/* ---- settings ------------------------------------------------------------ */

int store_setting_get(struct store *s, const char *key, char *value, size_t valuelen)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_SETTING_GET);
	bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	value[0] = '\0';
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		snprintf(value, valuelen, "%s", v ? v : "");
	}
	finish(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : map_rc(c, rc);
}

int store_setting_set(struct store *s, const char *key, const char *value)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_SETTING_SET);
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return step_done(c, st);
}

/* ---- users ----------------------------------------------------------------- */

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
static int one_user(struct conn *c, sqlite3_stmt *st, struct user *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_user(st, out);
	finish(st);
	if (rc == SQLITE_DONE)
		return STORE_NOTFOUND;
	return map_rc(c, rc);
}

int store_user_create(struct store *s, const char *email, const char *password_hash, struct user *out)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_USER_INSERT);
	int rc = tx_begin(c);
	if (rc)
		return rc;
	bind_text(st, 1, email);
	bind_text(st, 2, password_hash);
	sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
	rc = step_done(c, st);
	int64_t id = sqlite3_last_insert_rowid(c->db);
	rc = tx_end(c, rc);
	if (rc)
		return rc;
	return store_user_by_id(s, id, out);
}

int store_user_by_email(struct store *s, const char *email, struct user *out)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_USER_BY_EMAIL);
	bind_text(st, 1, email);
	return one_user(c, st, out);
}

int store_user_by_id(struct store *s, int64_t id, struct user *out)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_USER_BY_ID);
	sqlite3_bind_int64(st, 1, id);
	return one_user(c, st, out);
}

int store_user_count(struct store *s, int64_t *count)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_USER_COUNT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	finish(st);
	return map_rc(c, rc);
}

int store_user_each(struct store *s, void (*fn)(const struct user *u, void *ctx), void *ctx)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_USER_ALL);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct user u;
		read_user(st, &u);
		fn(&u, ctx);
	}
	finish(st);
	return map_rc(c, rc);
}

int store_user_set_password(struct store *s, int64_t id, const char *password_hash, const uint8_t keep_session[32])
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(up, c, ST_USER_SET_PASSWORD);
	PREP_OR_FAIL(del, c, ST_SESSIONS_END_OTHERS);
	int rc = tx_begin(c);
	if (rc)
		return rc;
	sqlite3_bind_int64(up, 1, id);
	bind_text(up, 2, password_hash);
	sqlite3_bind_int64(up, 3, (int64_t)time(NULL));
	rc = step_done(c, up);
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		rc = STORE_NOTFOUND;
	if (rc == 0) {
		sqlite3_bind_int64(del, 1, id);
		if (keep_session)
			sqlite3_bind_blob(del, 2, keep_session, 32, SQLITE_STATIC);
		else
			sqlite3_bind_null(del, 2);
		rc = step_done(c, del);
	}
	return tx_end(c, rc);
}

int store_user_set_admin(struct store *s, int64_t id, int is_admin)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_USER_SET_ADMIN);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, is_admin ? 1 : 0);
	sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
	return step_changed(c, st);
}

/* ---- sessions and tokens ----------------------------------------------------- */

int store_session_create(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t expires_at,
			 const char *user_agent, const char *address)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_SESSION_INSERT);
	PREP_OR_FAIL(gc, c, ST_SESSIONS_EXPIRED);
	int64_t now = (int64_t)time(NULL);
	int rc = tx_begin(c);
	if (rc)
		return rc;
	/* Sweeping expired sessions here keeps the table small without a timer. */
	sqlite3_bind_int64(gc, 1, now);
	rc = step_done(c, gc);
	if (rc == 0) {
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, now);
		sqlite3_bind_int64(st, 4, expires_at);
		bind_text(st, 5, user_agent ? user_agent : "");
		bind_text(st, 6, address ? address : "");
		rc = step_done(c, st);
	}
	return tx_end(c, rc);
}

int store_session_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_SESSION_USER);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return one_user(c, st, out);
}

int store_session_delete(struct store *s, const uint8_t hash[32])
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_SESSION_DELETE);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	return step_done(c, st);
}

int store_session_list(struct store *s, int64_t user_id, const uint8_t current[32], int64_t now, struct arena *a,
		       struct session_info **out, size_t *n)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_SESSION_LIST);
	sqlite3_bind_int64(st, 1, user_id);
	if (current)
		sqlite3_bind_blob(st, 2, current, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, now);
	size_t cap = 8, count = 0;
	struct session_info *items = arena_alloc(a, cap * sizeof(*items));
	int rc = SQLITE_DONE;
	while (items && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap && !(items = grow_items(a, items, &cap, sizeof(*items))))
			break;
		struct session_info *si = &items[count++];
		si->id = sqlite3_column_int64(st, 0);
		si->created_at = sqlite3_column_int64(st, 1);
		si->expires_at = sqlite3_column_int64(st, 2);
		si->user_agent = col_text(st, 3, a);
		si->address = col_text(st, 4, a);
		si->current = sqlite3_column_int(st, 5);
	}
	LIST_DONE(c, st, rc, items, count, out, n);
}

int store_session_revoke(struct store *s, int64_t user_id, int64_t session_id)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_SESSION_REVOKE);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, session_id);
	return step_changed(c, st);
}

int store_sessions_end_others(struct store *s, int64_t user_id, const uint8_t keep[32])
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_SESSIONS_END_OTHERS);
	sqlite3_bind_int64(st, 1, user_id);
	if (keep)
		sqlite3_bind_blob(st, 2, keep, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	return step_done(c, st);
}

int store_token_create(struct store *s, int64_t user_id, const char *name, const char *prefix, const uint8_t hash[32],
		       int64_t now, int64_t *id)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_TOKEN_INSERT);
	sqlite3_bind_int64(st, 1, user_id);
	bind_text(st, 2, name);
	bind_text(st, 3, prefix);
	sqlite3_bind_blob(st, 4, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	int rc = step_done(c, st);
	if (rc == 0)
		*id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

int store_token_user(struct store *s, const uint8_t hash[32], int64_t now, struct user *out)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_TOKEN_USER);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int64_t token_id = 0, last_used = 0;
	if (rc == SQLITE_ROW) {
		read_user(st, out);
		token_id = sqlite3_column_int64(st, 7);
		last_used = sqlite3_column_int64(st, 8);
	}
	finish(st);
	if (rc == SQLITE_DONE)
		return STORE_NOTFOUND;
	if (rc != SQLITE_ROW)
		return map_rc(c, rc);
	/* Record use at minute granularity: a write per request would serialise readers. */
	if (now - last_used >= 60) {
		PREP_OR_FAIL(touch, c, ST_TOKEN_TOUCH);
		sqlite3_bind_int64(touch, 1, token_id);
		sqlite3_bind_int64(touch, 2, now);
		step_done(c, touch);
	}
	return 0;
}

int store_token_list(struct store *s, int64_t user_id, struct arena *a, struct api_token **out, size_t *n)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_TOKEN_LIST);
	sqlite3_bind_int64(st, 1, user_id);
	size_t cap = 8, count = 0;
	struct api_token *items = arena_alloc(a, cap * sizeof(*items));
	int rc;
	while (items && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap && !(items = grow_items(a, items, &cap, sizeof(*items))))
			break;
		struct api_token *t = &items[count++];
		t->id = sqlite3_column_int64(st, 0);
		t->name = col_text(st, 1, a);
		t->prefix = col_text(st, 2, a);
		t->created_at = sqlite3_column_int64(st, 3);
		t->last_used_at = sqlite3_column_int64(st, 4);
	}
	LIST_DONE(c, st, rc, items, count, out, n);
}

int store_token_revoke(struct store *s, int64_t user_id, int64_t token_id)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_TOKEN_REVOKE);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, token_id);
	sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
	return step_changed(c, st);
}

/* ---- applications ------------------------------------------------------------ */

/* Tags are stored as ",a,b," so a single tag matches with instr(tags, ',a,'). */
static char *tags_join(char **tags, size_t n, struct buf *b)
{
	buf_reset(b);
	buf_putc(b, ',');
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, tags[i]);
		buf_putc(b, ',');
	}
	if (n == 0)
		buf_reset(b), buf_puts(b, "");
	return buf_failed(b) ? NULL : b->data;
}

static void tags_split(const char *joined, struct arena *a, char ***tags, size_t *n)
{
	*tags = NULL;
	*n = 0;
	if (!joined || !*joined)
		return;
	size_t count = 0;
	for (const char *p = joined; *p; p++)
		if (*p == ',')
			count++;
	if (count < 2)
		return;
	char **out = arena_alloc(a, (count - 1) * sizeof(char *));
	if (!out)
		return;
	const char *start = joined + 1;
	size_t k = 0;
	for (const char *p = start; *p && k < count - 1; p++) {
		if (*p == ',') {
			out[k++] = arena_strndup(a, start, (size_t)(p - start));
			start = p + 1;
		}
	}
	*tags = out;
	*n = k;
}

static void read_app(sqlite3_stmt *st, struct arena *a, struct application *app)
{
	memset(app, 0, sizeof(*app));
	app->id = sqlite3_column_int64(st, 0);
	app->company = col_text(st, 1, a);
	app->position = col_text(st, 2, a);
	app->location = col_text(st, 3, a);
	app->url = col_text(st, 4, a);
	app->source = col_text(st, 5, a);
	app->has_salary_min = sqlite3_column_type(st, 6) != SQLITE_NULL;
	app->salary_min = sqlite3_column_int64(st, 6);
	app->has_salary_max = sqlite3_column_type(st, 7) != SQLITE_NULL;
	app->salary_max = sqlite3_column_int64(st, 7);
	app->salary_currency = col_text(st, 8, a);
	app->salary_period = col_text(st, 9, a);
	app->status = col_text(st, 10, a);
	app->priority = sqlite3_column_int(st, 11);
	tags_split((const char *)sqlite3_column_text(st, 12), a, &app->tags, &app->n_tags);
	app->saved_on = col_text(st, 13, a);
	app->applied_on = col_text(st, 14, a);
	app->follow_up_on = col_text(st, 15, a);
	app->notes = col_text(st, 16, a);
	app->created_at = sqlite3_column_int64(st, 17);
	app->updated_at = sqlite3_column_int64(st, 18);
	app->status_changed_at = sqlite3_column_int64(st, 19);
}

/* Binds ?2..?17 in the column order APP_INSERT and APP_UPDATE share. */
static int bind_app_fields(sqlite3_stmt *st, const struct application *app, struct buf *tagbuf)
{
	bind_text(st, 2, app->company);
	bind_text(st, 3, app->position);
	bind_text(st, 4, app->location ? app->location : "");
	bind_text(st, 5, app->url ? app->url : "");
	bind_text(st, 6, app->source ? app->source : "");
	if (app->has_salary_min)
		sqlite3_bind_int64(st, 7, app->salary_min);
	else
		sqlite3_bind_null(st, 7);
	if (app->has_salary_max)
		sqlite3_bind_int64(st, 8, app->salary_max);
	else
		sqlite3_bind_null(st, 8);
	bind_text(st, 9, app->salary_currency ? app->salary_currency : "");
	bind_text(st, 10, app->salary_period ? app->salary_period : "");
	bind_text(st, 11, app->status);
	sqlite3_bind_int(st, 12, app->priority);
	const char *tags = tags_join(app->tags, app->n_tags, tagbuf);
	if (!tags)
		return STORE_ERROR;
	sqlite3_bind_text(st, 13, tags, -1, SQLITE_TRANSIENT);
	bind_text(st, 14, app->saved_on);
	bind_text(st, 15, app->applied_on);
	bind_text(st, 16, app->follow_up_on);
	bind_text(st, 17, app->notes ? app->notes : "");
	return 0;
}

static int insert_event(struct conn *c, int64_t user_id, const struct app_event *ev, int64_t now, int64_t *id)
{
	PREP_OR_FAIL(st, c, ST_EVENT_INSERT);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, ev->app_id);
	bind_text(st, 3, ev->kind);
	sqlite3_bind_int64(st, 4, ev->at);
	bind_text(st, 5, ev->from_status);
	bind_text(st, 6, ev->to_status);
	bind_text(st, 7, ev->title ? ev->title : "");
	bind_text(st, 8, ev->body ? ev->body : "");
	bind_text(st, 9, ev->interview_kind ? ev->interview_kind : "");
	bind_text(st, 10, ev->with_whom ? ev->with_whom : "");
	sqlite3_bind_int64(st, 11, now);
	int rc = step_done(c, st);
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

/* Inserts one application and its "created" event; the caller holds the transaction. */
static int insert_app(struct conn *c, int64_t user_id, struct application *app, int64_t now, struct buf *tagbuf)
{
	PREP_OR_FAIL(st, c, ST_APP_INSERT);
	sqlite3_bind_int64(st, 1, user_id);
	int rc = bind_app_fields(st, app, tagbuf);
	if (rc) {
		finish(st);
		return rc;
	}
	sqlite3_bind_int64(st, 18, now);
	rc = step_done(c, st);
	if (rc)
		return rc;
	app->id = sqlite3_last_insert_rowid(c->db);
	app->created_at = app->updated_at = app->status_changed_at = now;
	struct app_event ev = { .app_id = app->id, .kind = "created", .at = now, .to_status = app->status };
	return insert_event(c, user_id, &ev, now, NULL);
}

int store_app_create(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	CONN_OR_FAIL(c, s);
	struct buf tagbuf;
	buf_init(&tagbuf, 1 << 16);
	int rc = tx_begin(c);
	if (rc == 0)
		rc = tx_end(c, insert_app(c, user_id, app, now, &tagbuf));
	buf_free(&tagbuf);
	return rc;
}

/* Replaces an application's fields and records a status change; the caller
 * holds the transaction. */
static int update_app(struct conn *c, int64_t user_id, struct application *app, int64_t now, struct buf *tagbuf)
{
	PREP_OR_FAIL(get, c, ST_APP_STATUS);
	PREP_OR_FAIL(up, c, ST_APP_UPDATE);
	char old_status[32] = "";
	sqlite3_bind_int64(get, 1, user_id);
	sqlite3_bind_int64(get, 2, app->id);
	int step = sqlite3_step(get);
	if (step == SQLITE_ROW)
		snprintf(old_status, sizeof(old_status), "%s", (const char *)sqlite3_column_text(get, 0));
	finish(get);
	int rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : map_rc(c, step);
	if (rc == 0) {
		sqlite3_bind_int64(up, 1, user_id);
		rc = bind_app_fields(up, app, tagbuf);
		sqlite3_bind_int64(up, 18, now);
		sqlite3_bind_int64(up, 19, app->id);
		rc = rc ? (finish(up), rc) : step_done(c, up);
	}
	if (rc == 0 && strcmp(old_status, app->status) != 0) {
		struct app_event ev = { .app_id = app->id,
					.kind = "status_change",
					.at = now,
					.from_status = old_status,
					.to_status = app->status };
		rc = insert_event(c, user_id, &ev, now, NULL);
		app->status_changed_at = now;
	}
	app->updated_at = now;
	return rc;
}

int store_app_import(struct store *s, int64_t user_id, struct application *apps, size_t n, int64_t now)
{
	CONN_OR_FAIL(c, s);
	/* Which rows are inserts, so a rolled-back import leaves no ids behind. */
	unsigned char *fresh = n ? malloc(n) : NULL;
	if (n && !fresh)
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++)
		fresh[i] = apps[i].id <= 0;
	struct buf tagbuf;
	buf_init(&tagbuf, 1 << 16);
	int rc = tx_begin(c);
	if (rc == 0) {
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = fresh[i] ? insert_app(c, user_id, &apps[i], now, &tagbuf)
				      : update_app(c, user_id, &apps[i], now, &tagbuf);
		rc = tx_end(c, rc);
	}
	for (size_t i = 0; rc && i < n; i++)
		if (fresh[i])
			apps[i].id = 0;
	free(fresh);
	buf_free(&tagbuf);
	return rc;
}

int store_app_update(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	CONN_OR_FAIL(c, s);
	struct buf tagbuf;
	buf_init(&tagbuf, 1 << 16);
	int rc = tx_begin(c);
	if (rc == 0)
		rc = tx_end(c, update_app(c, user_id, app, now, &tagbuf));
	buf_free(&tagbuf);
	return rc;
}

int store_app_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct application *out)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_APP_GET);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_app(st, a, out);
	finish(st);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : map_rc(c, rc);
}

int store_app_delete(struct store *s, int64_t user_id, int64_t id)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_APP_DELETE);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	return step_changed(c, st);
}

static const char *const sort_sql[APP_SORT_COUNT] = {
	[APP_SORT_UPDATED_DESC] = "updated_at DESC, id DESC",
	[APP_SORT_UPDATED_ASC] = "updated_at ASC, id ASC",
	[APP_SORT_CREATED_DESC] = "created_at DESC, id DESC",
	[APP_SORT_CREATED_ASC] = "created_at ASC, id ASC",
	[APP_SORT_COMPANY_ASC] = "company COLLATE NOCASE ASC, id ASC",
	[APP_SORT_COMPANY_DESC] = "company COLLATE NOCASE DESC, id DESC",
	[APP_SORT_PRIORITY_DESC] = "priority DESC, updated_at DESC, id DESC",
	[APP_SORT_PRIORITY_ASC] = "priority ASC, updated_at DESC, id DESC",
	[APP_SORT_APPLIED_DESC] = "applied_on IS NULL, applied_on DESC, id DESC",
	[APP_SORT_APPLIED_ASC] = "applied_on IS NULL, applied_on ASC, id ASC",
};

/* WHERE clause for the filters present in mask; parameters are fixed:
 * ?1 user, ?2 status, ?3 tag, ?4 LIKE pattern, ?5 limit, ?6 offset. */
static void list_where(struct buf *b, unsigned mask)
{
	buf_puts(b, " FROM applications WHERE user_id = ?1");
	if (mask & 1)
		buf_puts(b, " AND status = ?2");
	if (mask & 2)
		buf_puts(b, " AND instr(lower(tags), ',' || lower(?3) || ',') > 0"); /* Remote = remote */
	if (mask & 4)
		buf_puts(b, " AND (company LIKE ?4 ESCAPE '\\' OR position LIKE ?4 ESCAPE '\\' "
			    "OR location LIKE ?4 ESCAPE '\\' OR notes LIKE ?4 ESCAPE '\\')");
}

static sqlite3_stmt *list_stmt(struct conn *c, unsigned mask, enum app_sort sort, int count)
{
	sqlite3_stmt **slot = count ? &c->count_st[mask] : &c->list_st[mask * APP_SORT_COUNT + sort];
	if (*slot)
		return *slot;
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, count ? "SELECT count(*)" : "SELECT " APP_COLS);
	list_where(&b, mask);
	if (!count) {
		buf_puts(&b, " ORDER BY ");
		buf_puts(&b, sort_sql[sort]);
		buf_puts(&b, " LIMIT ?5 OFFSET ?6");
	}
	if (!buf_failed(&b) &&
	    sqlite3_prepare_v3(c->db, b.data, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK) {
		log_event(LOG_ERROR, "store.prepare", "%s", sqlite3_errmsg(c->db));
		*slot = NULL;
	}
	buf_free(&b);
	return *slot;
}

static void bind_filter(sqlite3_stmt *st, int64_t user_id, const struct app_filter *f, unsigned mask, struct buf *like)
{
	sqlite3_bind_int64(st, 1, user_id);
	if (mask & 1)
		bind_text(st, 2, f->status);
	if (mask & 2)
		bind_text(st, 3, f->tag);
	if (mask & 4)
		sqlite3_bind_text(st, 4, like->data, (int)like->len, SQLITE_STATIC);
}

int store_app_list(struct store *s, int64_t user_id, const struct app_filter *f, struct arena *a,
		   struct application **out, size_t *n, int64_t *total)
{
	CONN_OR_FAIL(c, s);
	unsigned mask = (f->status ? 1u : 0) | (f->tag ? 2u : 0) | (f->q && *f->q ? 4u : 0);
	enum app_sort sort = f->sort < APP_SORT_COUNT ? f->sort : APP_SORT_UPDATED_DESC;
	struct buf like;
	buf_init(&like, 4096);
	if (mask & 4) {
		/* Substring match: the user's % and _ are literal, not wildcards. */
		buf_putc(&like, '%');
		for (const char *p = f->q; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				buf_putc(&like, '\\');
			buf_putc(&like, *p);
		}
		buf_putc(&like, '%');
		if (buf_failed(&like)) {
			buf_free(&like);
			return STORE_ERROR;
		}
	}
	sqlite3_stmt *st = list_stmt(c, mask, sort, 0);
	if (!st) {
		buf_free(&like);
		return STORE_ERROR;
	}
	/* Bounded so limit + 1 below cannot overflow and no page is absurd. */
	int64_t limit = f->limit > 0 ? (f->limit < STORE_LIST_MAX ? f->limit : STORE_LIST_MAX) : 50;
	size_t cap = limit < 64 ? (size_t)limit : 64, count = 0;
	struct application *items = arena_alloc(a, cap * sizeof(*items));
	*total = 0;
	bind_filter(st, user_id, f, mask, &like);
	/* One row past the page tells whether a count query is needed at all:
	 * most users' lists fit on one page, and then the rows are the total. */
	sqlite3_bind_int64(st, 5, limit + 1);
	sqlite3_bind_int64(st, 6, f->offset);
	int step = SQLITE_DONE;
	int more = 0;
	while (items && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if ((int64_t)count == limit) {
			more = 1;
			step = SQLITE_DONE;
			break;
		}
		if (count == cap && !(items = grow_items(a, items, &cap, sizeof(*items))))
			break;
		read_app(st, a, &items[count++]);
	}
	finish(st);
	int rc = items ? map_rc(c, step) : STORE_ERROR;
	*total = f->offset + (int64_t)count;
	if (rc == 0 && (more || (count == 0 && f->offset > 0))) {
		sqlite3_stmt *cnt = list_stmt(c, mask, sort, 1);
		if (!cnt) {
			rc = STORE_ERROR;
		} else {
			bind_filter(cnt, user_id, f, mask, &like);
			step = sqlite3_step(cnt);
			if (step == SQLITE_ROW)
				*total = sqlite3_column_int64(cnt, 0);
			finish(cnt);
			rc = step == SQLITE_ROW ? 0 : map_rc(c, step);
		}
	}
	buf_free(&like);
	*out = items;
	*n = count;
	return rc;
}

int store_app_count_by_status(struct store *s, int64_t user_id, const char *const *statuses, size_t n_statuses,
			      int64_t *counts)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_APP_COUNT_STATUS);
	memset(counts, 0, n_statuses * sizeof(*counts));
	sqlite3_bind_int64(st, 1, user_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		for (size_t i = 0; i < n_statuses; i++)
			if (status && strcmp(status, statuses[i]) == 0)
				counts[i] = sqlite3_column_int64(st, 1);
	}
	finish(st);
	return map_rc(c, rc);
}

/* ---- events ------------------------------------------------------------------ */

/* Reads every row of an EVENT_COLS statement into an arena array. */
static int read_events(struct conn *c, sqlite3_stmt *st, struct arena *a, struct app_event **out, size_t *n)
{
	size_t cap = 16, count = 0;
	struct app_event *items = arena_alloc(a, cap * sizeof(*items));
	int rc = SQLITE_DONE;
	while (items && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap && !(items = grow_items(a, items, &cap, sizeof(*items))))
			break;
		struct app_event *e = &items[count++];
		e->id = sqlite3_column_int64(st, 0);
		e->app_id = sqlite3_column_int64(st, 1);
		e->kind = col_text(st, 2, a);
		e->at = sqlite3_column_int64(st, 3);
		e->from_status = col_text(st, 4, a);
		e->to_status = col_text(st, 5, a);
		e->title = col_text(st, 6, a);
		e->body = col_text(st, 7, a);
		e->interview_kind = col_text(st, 8, a);
		e->with_whom = col_text(st, 9, a);
		e->created_at = sqlite3_column_int64(st, 10);
	}
	LIST_DONE(c, st, rc, items, count, out, n);
}

int store_event_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct app_event **out,
		     size_t *n)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_EVENT_LIST);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	return read_events(c, st, a, out, n);
}

int store_interviews_between(struct store *s, int64_t user_id, int64_t from, int64_t to, struct arena *a,
			     struct app_event **out, size_t *n)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_EVENT_UPCOMING);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	return read_events(c, st, a, out, n);
}

/* A follow-up planned for today or later becomes the application's next
 * follow-up date; one logged in the past settles any date due by then. The
 * caller holds the transaction. */
static int follow_up_from_event(struct conn *c, int64_t user_id, const struct app_event *ev, int64_t now)
{
	if (strcmp(ev->kind, "follow_up") != 0)
		return 0;
	PREP_OR_FAIL(fu, c, ST_APP_FOLLOW_UP);
	/* The writer's calendar: a follow-up at 21:00 in New York is that day's,
	 * not the next UTC day's. */
	char day[TIMEFMT_DATE_LEN], today[TIMEFMT_DATE_LEN];
	int64_t shift = (int64_t)ev->tz_offset_min * 60;
	timefmt_date((time_t)(ev->at + shift), day);
	timefmt_date((time_t)(now + shift), today);
	sqlite3_bind_int64(fu, 1, user_id);
	sqlite3_bind_int64(fu, 2, ev->app_id);
	sqlite3_bind_text(fu, 3, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(fu, 4, today, -1, SQLITE_TRANSIENT);
	return step_done(c, fu);
}

/* Reads a timeline entry's kind (into kind[32]) and time; the caller holds
 * the transaction. */
static int event_kind_at(struct conn *c, int64_t user_id, int64_t app_id, int64_t event_id, char kind[32], int64_t *at)
{
	PREP_OR_FAIL(st, c, ST_EVENT_KIND_AT);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	sqlite3_bind_int64(st, 3, event_id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		snprintf(kind, 32, "%s", k ? k : "");
		*at = sqlite3_column_int64(st, 1);
	}
	finish(st);
	return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : map_rc(c, step);
}

/* A follow-up entry that is moved, turned into something else or removed
 * takes back the follow-up date it set (when the application still has
 * it); the caller holds the transaction. */
static int follow_up_withdraw(struct conn *c, int64_t user_id, int64_t app_id, const char *kind, int64_t at)
{
	if (strcmp(kind, "follow_up") != 0)
		return 0;
	PREP_OR_FAIL(st, c, ST_APP_FOLLOW_UP_UNSET);
	/* The day it set depended on its writer's time zone, which is not stored:
	 * any date within the span of time zones around it is that day. */
	char first[TIMEFMT_DATE_LEN], last[TIMEFMT_DATE_LEN];
	timefmt_date((time_t)(at - 14 * 3600), first);
	timefmt_date((time_t)(at + 14 * 3600), last);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	sqlite3_bind_text(st, 3, first, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, last, -1, SQLITE_TRANSIENT);
	return step_done(c, st);
}

int store_event_create(struct store *s, int64_t user_id, struct app_event *ev, int64_t now)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(touch, c, ST_APP_TOUCH);
	int rc = tx_begin(c);
	if (rc)
		return rc;
	/* Touching the application proves it is this user's before the insert. */
	sqlite3_bind_int64(touch, 1, user_id);
	sqlite3_bind_int64(touch, 2, ev->app_id);
	sqlite3_bind_int64(touch, 3, now);
	rc = step_done(c, touch);
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		rc = STORE_NOTFOUND;
	if (rc == 0)
		rc = insert_event(c, user_id, ev, now, &ev->id);
	if (rc == 0)
		rc = follow_up_from_event(c, user_id, ev, now);
	ev->created_at = now;
	return tx_end(c, rc);
}

int store_event_get(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id, struct arena *a,
		    struct app_event *out)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_EVENT_GET);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	sqlite3_bind_int64(st, 3, event_id);
	struct app_event *items;
	size_t n;
	int rc = read_events(c, st, a, &items, &n);
	if (rc == 0 && n == 0)
		return STORE_NOTFOUND;
	if (rc == 0)
		*out = items[0];
	return rc;
}

int store_event_update(struct store *s, int64_t user_id, struct app_event *ev, int64_t now)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(up, c, ST_EVENT_UPDATE);
	PREP_OR_FAIL(touch, c, ST_APP_TOUCH);
	int rc = tx_begin(c);
	if (rc)
		return rc;
	char old_kind[32];
	int64_t old_at;
	rc = event_kind_at(c, user_id, ev->app_id, ev->id, old_kind, &old_at);
	if (rc)
		return tx_end(c, rc);
	sqlite3_bind_int64(up, 1, user_id);
	sqlite3_bind_int64(up, 2, ev->app_id);
	sqlite3_bind_int64(up, 3, ev->id);
	bind_text(up, 4, ev->kind);
	sqlite3_bind_int64(up, 5, ev->at);
	bind_text(up, 6, ev->title ? ev->title : "");
	bind_text(up, 7, ev->body ? ev->body : "");
	bind_text(up, 8, ev->interview_kind ? ev->interview_kind : "");
	bind_text(up, 9, ev->with_whom ? ev->with_whom : "");
	rc = step_done(c, up);
	/* Status changes and "created" are history, not editable: they match no row. */
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		rc = STORE_NOTFOUND;
	if (rc == 0) {
		sqlite3_bind_int64(touch, 1, user_id);
		sqlite3_bind_int64(touch, 2, ev->app_id);
		sqlite3_bind_int64(touch, 3, now);
		rc = step_done(c, touch);
	}
	if (rc == 0)
		rc = follow_up_withdraw(c, user_id, ev->app_id, old_kind, old_at);
	if (rc == 0)
		rc = follow_up_from_event(c, user_id, ev, now);
	return tx_end(c, rc);
}

int store_event_delete(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_EVENT_DELETE);
	int rc = tx_begin(c);
	if (rc)
		return rc;
	char kind[32];
	int64_t at;
	rc = event_kind_at(c, user_id, app_id, event_id, kind, &at);
	if (rc == 0) {
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_int64(st, 2, app_id);
		sqlite3_bind_int64(st, 3, event_id);
		rc = step_changed(c, st);
	}
	if (rc == 0)
		rc = follow_up_withdraw(c, user_id, app_id, kind, at);
	return tx_end(c, rc);
}

/* ---- contacts ---------------------------------------------------------------- */

static void read_contact(sqlite3_stmt *st, struct arena *a, struct contact *ct)
{
	ct->id = sqlite3_column_int64(st, 0);
	ct->name = col_text(st, 1, a);
	ct->role = col_text(st, 2, a);
	ct->email = col_text(st, 3, a);
	ct->phone = col_text(st, 4, a);
	ct->url = col_text(st, 5, a);
	ct->notes = col_text(st, 6, a);
	ct->created_at = sqlite3_column_int64(st, 7);
	ct->updated_at = sqlite3_column_int64(st, 8);
}

int store_contact_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct contact **out,
		       size_t *n)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, app_id > 0 ? ST_CONTACT_LIST_APP : ST_CONTACT_LIST_ALL);
	sqlite3_bind_int64(st, 1, user_id);
	if (app_id > 0)
		sqlite3_bind_int64(st, 2, app_id);
	size_t cap = 16, count = 0;
	struct contact *items = arena_alloc(a, cap * sizeof(*items));
	int rc = SQLITE_DONE;
	while (items && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap && !(items = grow_items(a, items, &cap, sizeof(*items))))
			break;
		read_contact(st, a, &items[count++]);
	}
	LIST_DONE(c, st, rc, items, count, out, n);
}

int store_contact_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct contact *out)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_CONTACT_GET);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_contact(st, a, out);
	finish(st);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : map_rc(c, rc);
}

static void bind_contact(sqlite3_stmt *st, int first, const struct contact *ct)
{
	bind_text(st, first, ct->name);
	bind_text(st, first + 1, ct->role ? ct->role : "");
	bind_text(st, first + 2, ct->email ? ct->email : "");
	bind_text(st, first + 3, ct->phone ? ct->phone : "");
	bind_text(st, first + 4, ct->url ? ct->url : "");
	bind_text(st, first + 5, ct->notes ? ct->notes : "");
}

static int link_contact(struct conn *c, int64_t user_id, int64_t app_id, int64_t contact_id)
{
	PREP_OR_FAIL(link, c, ST_CONTACT_LINK);
	PREP_OR_FAIL(check, c, ST_CONTACT_LINKED);
	sqlite3_bind_int64(link, 1, user_id);
	sqlite3_bind_int64(link, 2, app_id);
	sqlite3_bind_int64(link, 3, contact_id);
	int rc = step_done(c, link);
	if (rc)
		return rc;
	/* INSERT OR IGNORE hides whether both rows were this user's: check. */
	sqlite3_bind_int64(check, 1, user_id);
	sqlite3_bind_int64(check, 2, app_id);
	sqlite3_bind_int64(check, 3, contact_id);
	int step = sqlite3_step(check);
	finish(check);
	return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : map_rc(c, step);
}

int store_contact_create(struct store *s, int64_t user_id, struct contact *ct, int64_t link_app_id, int64_t now)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_CONTACT_INSERT);
	int rc = tx_begin(c);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, user_id);
	bind_contact(st, 2, ct);
	sqlite3_bind_int64(st, 8, now);
	rc = step_done(c, st);
	if (rc == 0) {
		ct->id = sqlite3_last_insert_rowid(c->db);
		ct->created_at = ct->updated_at = now;
		if (link_app_id > 0)
			rc = link_contact(c, user_id, link_app_id, ct->id);
	}
	return tx_end(c, rc);
}

int store_contact_update(struct store *s, int64_t user_id, struct contact *ct, int64_t now)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_CONTACT_UPDATE);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, ct->id);
	bind_contact(st, 3, ct);
	sqlite3_bind_int64(st, 9, now);
	int rc = step_changed(c, st);
	if (rc == 0)
		ct->updated_at = now;
	return rc;
}

int store_contact_delete(struct store *s, int64_t user_id, int64_t id)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_CONTACT_DELETE);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	return step_changed(c, st);
}

int store_contact_link(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id)
{
	CONN_OR_FAIL(c, s);
	int rc = tx_begin(c);
	if (rc)
		return rc;
	return tx_end(c, link_contact(c, user_id, app_id, contact_id));
}

int store_contact_unlink(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id)
{
	CONN_OR_FAIL(c, s);
	PREP_OR_FAIL(st, c, ST_CONTACT_UNLINK);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	sqlite3_bind_int64(st, 3, contact_id);
	return step_changed(c, st);
}
