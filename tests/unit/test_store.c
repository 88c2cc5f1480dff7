/* Unit tests for store (the SQLite backend).
 *
 * Each test gets a fresh database file in its own temporary directory (every
 * thread opens its own connection, so an in-memory database would not be
 * shared) and two users: alice (created first, so admin) and bob. Checks that
 * need to see rows the API does not expose (schema_migrations, events of an
 * import that must not exist) read the file directly with sqlite3.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/arena.h"
#include "base/log.h"
#include "store/sqlite/sqlite.h"
#include "store/store.h"
#include "tracker/application.h"
#include "tracker/legacy.h"
#include "tracker/status.h"

/* ---- fixture ------------------------------------------------------------ */

struct fx {
	char dir[64];
	char path[128];
	char url[160];
	struct store *s;
	struct arena a;
	struct user alice, bob;
};

static void make_temp_db(struct fx *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/jt-store-XXXXXX");
	if (!mkdtemp(f->dir))
		fail_msg("mkdtemp failed");
	snprintf(f->path, sizeof(f->path), "%s/jobtrack.db", f->dir);
	snprintf(f->url, sizeof(f->url), "sqlite:%s", f->path);
}

static void remove_temp_db(struct fx *f)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char p[160];
		snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
		unlink(p);
	}
	rmdir(f->dir);
}

/* A fresh, empty database file; no store opened. */
static int setup_empty(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	make_temp_db(f);
	arena_init(&f->a, 0);
	*state = f;
	return 0;
}

/* An opened store with users alice (first, admin) and bob. */
static int setup(void **state)
{
	if (setup_empty(state))
		return -1;
	struct fx *f = *state;
	char err[256];
	if (store_open(f->url, &f->s, err, sizeof(err))) {
		fprintf(stderr, "store_open: %s\n", err);
		return -1;
	}
	if (store_user_create(f->s, "alice@example.com", "hash-a", 1000, &f->alice) ||
	    store_user_create(f->s, "bob@example.com", "hash-b", 1000, &f->bob))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_free(&f->a);
	store_close(f->s);
	remove_temp_db(f);
	free(f);
	return 0;
}

/* Runs a one-value integer query straight on the file. */
static int64_t sql_int(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		fail_msg("cannot open %s", f->path);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

static void sql_exec(struct fx *f, const char *sql)
{
	sqlite3 *db;
	if (sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		fail_msg("cannot open %s", f->path);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(rc, SQLITE_OK);
}

static void hash_of(uint8_t h[32], unsigned char seed)
{
	memset(h, seed, 32);
}

/* An application with only the required fields and status "saved". */
static void new_app(struct application *app, const char *company, const char *position)
{
	app_init(app, 0);
	app->company = (char *)company;
	app->position = (char *)position;
}

static int64_t create_app(struct fx *f, int64_t user, const char *company, int64_t now)
{
	struct application app;
	new_app(&app, company, "Engineer");
	assert_int_equal(store_app_create(f->s, user, &app, now), STORE_OK);
	assert_true(app.id > 0);
	return app.id;
}

static struct application get_app(struct fx *f, int64_t user, int64_t id)
{
	struct application app;
	assert_int_equal(store_app_get(f->s, user, id, &f->a, &app), STORE_OK);
	return app;
}

static int64_t list_total(struct fx *f, int64_t user, const struct app_filter *flt)
{
	struct application *items;
	size_t n;
	int64_t total;
	assert_int_equal(store_app_list(f->s, user, flt, &f->a, &items, &n, &total), STORE_OK);
	return total;
}

/* Lists with flt and checks the companies come back in exactly this order. */
static void expect_companies(struct fx *f, int64_t user, const struct app_filter *flt, const char *const *want,
			     size_t n_want)
{
	struct application *items;
	size_t n;
	int64_t total;
	assert_int_equal(store_app_list(f->s, user, flt, &f->a, &items, &n, &total), STORE_OK);
	if (n != n_want) {
		for (size_t i = 0; i < n; i++)
			printf("    got[%zu] = %s\n", i, items[i].company);
		fail_msg("listed %zu applications, want %zu", n, n_want);
	}
	for (size_t i = 0; i < n; i++)
		assert_string_equal(items[i].company, want[i]);
}

/* ---- opening and migrations ---------------------------------------------- */

static void test_migrations_run_once_and_record_version(void **state)
{
	struct fx *f = *state;
	int v = -1, latest = -1;
	assert_int_equal(store_schema_version(f->s, &v, &latest), STORE_OK);
	assert_true(latest >= 1);
	assert_int_equal(v, latest);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_migrations"), latest);
	assert_int_equal(sql_int(f, "SELECT max(version) FROM schema_migrations"), latest);

	/* Migrating an up-to-date store is a no-op. */
	int from = -1, to = -1;
	assert_int_equal(store_migrate(f->s, &from, &to), STORE_OK);
	assert_int_equal(from, latest);
	assert_int_equal(to, latest);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_migrations"), latest);
}

static void test_reopen_is_idempotent_and_keeps_data(void **state)
{
	struct fx *f = *state;
	int64_t id = create_app(f, f->alice.id, "Acme", 1000);
	int latest, v;
	assert_int_equal(store_schema_version(f->s, &v, &latest), STORE_OK);
	store_close(f->s);
	f->s = NULL;

	char err[256] = "";
	assert_int_equal(store_open(f->url, &f->s, err, sizeof(err)), STORE_OK);
	assert_int_equal(store_schema_version(f->s, &v, &latest), STORE_OK);
	assert_int_equal(v, latest);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_migrations"), latest);
	int64_t count = 0;
	assert_int_equal(store_user_count(f->s, &count), STORE_OK);
	assert_int_equal(count, 2);
	struct application app = get_app(f, f->alice.id, id);
	assert_string_equal(app.company, "Acme");
}

static void test_open_nomigrate_then_migrate(void **state)
{
	struct fx *f = *state;
	char err[256] = "";
	assert_int_equal(store_open_nomigrate(f->url, &f->s, err, sizeof(err)), STORE_OK);
	int v = -1, latest = -1;
	assert_int_equal(store_schema_version(f->s, &v, &latest), STORE_OK);
	assert_int_equal(v, 0);
	int from = -1, to = -1;
	assert_int_equal(store_migrate(f->s, &from, &to), STORE_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, latest);
	assert_int_equal(store_schema_version(f->s, &v, &latest), STORE_OK);
	assert_int_equal(v, latest);
	assert_int_equal(store_ping(f->s), STORE_OK);
}

static void test_upgrade_keeps_existing_data(void **state)
{
	struct fx *f = *state;
	int latest = sqlite_migrations_latest();
	if (latest < 2)
		skip();
	/* A database left at version 1 by an older jobtrack, with data in it. */
	sql_exec(f, sqlite_migration(1));
	sql_exec(f, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);"
		    "INSERT INTO schema_migrations VALUES (1, datetime('now'));");
	sql_exec(f, "PRAGMA user_version = 1;");
	sql_exec(f, "INSERT INTO users(id, email, password_hash, is_admin, created_at, updated_at) "
		    "VALUES (1, 'old@example.com', 'h', 1, 10, 10);"
		    "INSERT INTO applications(id, user_id, company, position, status, tags, created_at, updated_at, "
		    "status_changed_at) VALUES (5, 1, 'Old Co', 'Dev', 'applied', ',x,', 10, 10, 10);"
		    "INSERT INTO events(id, user_id, application_id, kind, at, created_at) "
		    "VALUES (7, 1, 5, 'created', 10, 10);"
		    "INSERT INTO contacts(id, user_id, name, created_at, updated_at) VALUES (3, 1, 'Rita', 10, 10);"
		    "INSERT INTO application_contacts(application_id, contact_id) VALUES (5, 3);");

	char err[256] = "";
	assert_int_equal(store_open(f->url, &f->s, err, sizeof(err)), STORE_OK);
	int v, l;
	assert_int_equal(store_schema_version(f->s, &v, &l), STORE_OK);
	assert_int_equal(v, latest);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_migrations"), latest);
	struct application app = get_app(f, 1, 5);
	assert_string_equal(app.company, "Old Co");
	assert_int_equal(app.n_tags, 1);
	assert_string_equal(app.tags[0], "x");
	struct user u;
	assert_int_equal(store_user_by_email(f->s, "old@example.com", &u), STORE_OK);
	int64_t before = u.data_version;
	create_app(f, 1, "New Co", 20);
	assert_int_equal(store_user_by_id(f->s, 1, &u), STORE_OK);
	assert_true(u.data_version != before);

	/* Rebuilt tables (migration 3) kept their rows and the links between them. */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM events WHERE application_id = 5"), 1);
	struct contact *cts;
	size_t n;
	assert_int_equal(store_contact_list(f->s, 1, 5, &f->a, &cts, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(cts[0].name, "Rita");
	/* Deleting the application still cascades to its events and links. */
	assert_int_equal(store_app_delete(f->s, 1, 5), STORE_OK);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM events WHERE application_id = 5"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM application_contacts"), 0);
}

/* Rows left dangling before (a sqlite3 shell has foreign keys off) are not
 * the migration's doing: they must not stop the server from starting. */
static void test_old_dangling_rows_do_not_block_open(void **state)
{
	struct fx *f = *state;
	char err[256] = "";
	assert_int_equal(store_open(f->url, &f->s, err, sizeof(err)), STORE_OK);
	store_close(f->s);
	f->s = NULL;
	sql_exec(f, "INSERT INTO users(id, email, password_hash, created_at, updated_at) "
		    "VALUES (1, 'a@example.com', 'h', 10, 10);"
		    "INSERT INTO events(user_id, application_id, kind, at, created_at) "
		    "VALUES (1, 999, 'note', 10, 10);");
	assert_int_equal(store_open(f->url, &f->s, err, sizeof(err)), STORE_OK);
	assert_int_equal(store_ping(f->s), STORE_OK);
}

static void test_upgrade_keeps_going_past_old_dangling_rows(void **state)
{
	struct fx *f = *state;
	int latest = sqlite_migrations_latest();
	if (latest < 3)
		skip();
	sql_exec(f, sqlite_migration(1));
	sql_exec(f, sqlite_migration(2));
	sql_exec(f, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);"
		    "INSERT INTO schema_migrations VALUES (1, datetime('now')), (2, datetime('now'));"
		    "PRAGMA user_version = 2;"
		    "INSERT INTO users(id, email, password_hash, created_at, updated_at) "
		    "VALUES (1, 'a@example.com', 'h', 10, 10);"
		    "INSERT INTO applications(id, user_id, company, position, status, created_at, updated_at, "
		    "status_changed_at) VALUES (5, 1, 'Kept Co', 'Dev', 'saved', 10, 10, 10);"
		    "INSERT INTO events(id, user_id, application_id, kind, at, created_at) "
		    "VALUES (8, 1, 999, 'note', 10, 10);");
	char err[256] = "";
	assert_int_equal(store_open(f->url, &f->s, err, sizeof(err)), STORE_OK);
	int v, l;
	assert_int_equal(store_schema_version(f->s, &v, &l), STORE_OK);
	assert_int_equal(v, latest);
	assert_string_equal(get_app(f, 1, 5).company, "Kept Co");
	/* Nothing is thrown away on the way. */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM events WHERE id = 8"), 1);
}

static void test_ids_are_never_reused(void **state)
{
	struct fx *f = *state;
	int64_t first = create_app(f, f->alice.id, "Gone Co", 10);
	assert_int_equal(store_app_delete(f->s, f->alice.id, first), STORE_OK);
	int64_t second = create_app(f, f->alice.id, "New Co", 20);
	assert_true(second > first);
}

static void test_open_refuses_newer_schema(void **state)
{
	struct fx *f = *state;
	sql_exec(f, "PRAGMA user_version = 999;");
	char err[256] = "";
	assert_int_equal(store_open(f->url, &f->s, err, sizeof(err)), STORE_ERROR);
	assert_null(f->s);
	assert_true(err[0] != '\0');
}

static void test_open_rejects_unknown_urls(void **state)
{
	struct fx *f = *state;
	char err[256] = "";
	assert_int_equal(store_open("postgres://u@h/db", &f->s, err, sizeof(err)), STORE_ERROR);
	assert_non_null(strstr(err, "PostgreSQL"));
	err[0] = '\0';
	assert_int_equal(store_open("mysql://h/db", &f->s, err, sizeof(err)), STORE_ERROR);
	assert_non_null(strstr(err, "sqlite:PATH"));
	assert_int_equal(store_open("sqlite:", &f->s, err, sizeof(err)), STORE_ERROR);
	assert_int_equal(store_open("/tmp/x.db", &f->s, err, sizeof(err)), STORE_ERROR);
	assert_null(f->s);
}

/* ---- settings and users ---------------------------------------------------- */

static void test_settings_get_set(void **state)
{
	struct fx *f = *state;
	char v[32] = "junk";
	assert_int_equal(store_setting_get(f->s, "signup_open", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "");
	assert_int_equal(store_setting_set(f->s, "signup_open", "0"), STORE_OK);
	assert_int_equal(store_setting_get(f->s, "signup_open", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "0");
	assert_int_equal(store_setting_set(f->s, "signup_open", "1"), STORE_OK);
	assert_int_equal(store_setting_get(f->s, "signup_open", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "1");
}

static void count_users(const struct user *u, void *ctx)
{
	int64_t *ids = ctx;
	ids[ids[0] + 1] = u->id;
	ids[0]++;
}

static void test_first_user_is_admin(void **state)
{
	struct fx *f = *state;
	assert_true(f->alice.is_admin);
	assert_false(f->bob.is_admin);
	assert_true(f->alice.id > 0 && f->bob.id > f->alice.id);
	assert_string_equal(f->alice.email, "alice@example.com");
	assert_string_equal(f->alice.password_hash, "hash-a");
	assert_int_equal(f->alice.token_version, 1);
	assert_true(f->alice.created_at > 0);

	int64_t count = 0;
	assert_int_equal(store_user_count(f->s, &count), STORE_OK);
	assert_int_equal(count, 2);
	int64_t ids[4] = { 0 };
	assert_int_equal(store_user_each(f->s, count_users, ids), STORE_OK);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], f->alice.id);
	assert_int_equal(ids[2], f->bob.id);

	struct user u;
	assert_int_equal(store_user_set_admin(f->s, f->bob.id, 1, 0), STORE_OK);
	assert_int_equal(store_user_by_id(f->s, f->bob.id, &u), STORE_OK);
	assert_true(u.is_admin);
	assert_int_equal(store_user_set_admin(f->s, f->alice.id, 0, 0), STORE_OK);
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &u), STORE_OK);
	assert_false(u.is_admin);
}

static void test_user_email_is_unique_case_insensitively(void **state)
{
	struct fx *f = *state;
	struct user u;
	assert_int_equal(store_user_create(f->s, "ALICE@Example.COM", "h", 1000, &u), STORE_CONFLICT);
	assert_int_equal(store_user_create(f->s, "bob@example.com", "h", 1000, &u), STORE_CONFLICT);
	int64_t count = 0;
	assert_int_equal(store_user_count(f->s, &count), STORE_OK);
	assert_int_equal(count, 2);

	assert_int_equal(store_user_by_email(f->s, "Alice@EXAMPLE.com", &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
	assert_string_equal(u.email, "alice@example.com");

	/* A third user is not admin. */
	assert_int_equal(store_user_create(f->s, "carol@example.com", "h", 1000, &u), STORE_OK);
	assert_false(u.is_admin);
}

static void test_user_lookups_not_found(void **state)
{
	struct fx *f = *state;
	struct user u;
	assert_int_equal(store_user_by_email(f->s, "nobody@example.com", &u), STORE_NOTFOUND);
	assert_int_equal(store_user_by_id(f->s, 999999, &u), STORE_NOTFOUND);
	assert_int_equal(store_user_set_password(f->s, 999999, "h", NULL, 0), STORE_NOTFOUND);
	assert_int_equal(store_user_set_admin(f->s, 999999, 1, 0), STORE_NOTFOUND);
}

/* ---- sessions ------------------------------------------------------------ */

static void test_sessions_lookup_expiry_delete(void **state)
{
	struct fx *f = *state;
	int64_t now = (int64_t)time(NULL);
	uint8_t h[32], other[32];
	hash_of(h, 1);
	hash_of(other, 2);
	assert_int_equal(store_session_create(f->s, f->alice.id, h, 0, now + 100, "UA", "127.0.0.1"), STORE_OK);

	struct user u;
	assert_int_equal(store_session_user(f->s, h, now, &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
	assert_string_equal(u.email, "alice@example.com");
	assert_int_equal(store_session_user(f->s, h, now + 99, &u), STORE_OK);
	/* Expired at exactly expires_at. */
	assert_int_equal(store_session_user(f->s, h, now + 100, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_user(f->s, other, now, &u), STORE_NOTFOUND);

	assert_int_equal(store_session_delete(f->s, h), STORE_OK);
	assert_int_equal(store_session_user(f->s, h, now, &u), STORE_NOTFOUND);
}

static void test_session_create_sweeps_expired_sessions(void **state)
{
	struct fx *f = *state;
	int64_t now = (int64_t)time(NULL);
	uint8_t old[32], fresh[32];
	hash_of(old, 3);
	hash_of(fresh, 4);
	assert_int_equal(store_session_create(f->s, f->alice.id, old, now, now - 10, NULL, NULL), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->bob.id, fresh, now, now + 1000, NULL, NULL), STORE_OK);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM sessions"), 1);
	struct user u;
	assert_int_equal(store_session_user(f->s, fresh, now, &u), STORE_OK);
	assert_int_equal(u.id, f->bob.id);
}

static void test_set_password_bumps_version_and_ends_other_sessions(void **state)
{
	struct fx *f = *state;
	int64_t now = (int64_t)time(NULL);
	uint8_t keep[32], other[32], bobs[32];
	hash_of(keep, 10);
	hash_of(other, 11);
	hash_of(bobs, 12);
	assert_int_equal(store_session_create(f->s, f->alice.id, keep, 0, now + 1000, NULL, NULL), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->alice.id, other, 0, now + 1000, NULL, NULL), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->bob.id, bobs, 0, now + 1000, NULL, NULL), STORE_OK);

	assert_int_equal(store_user_set_password(f->s, f->alice.id, "new-hash", keep, 0), STORE_OK);
	struct user u;
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &u), STORE_OK);
	assert_string_equal(u.password_hash, "new-hash");
	assert_int_equal(u.token_version, f->alice.token_version + 1);
	assert_int_equal(store_session_user(f->s, keep, now, &u), STORE_OK);
	assert_int_equal(u.token_version, f->alice.token_version + 1);
	assert_int_equal(store_session_user(f->s, other, now, &u), STORE_NOTFOUND);
	/* Other users keep their sessions. */
	assert_int_equal(store_session_user(f->s, bobs, now, &u), STORE_OK);
	assert_int_equal(u.id, f->bob.id);

	/* NULL keeps none. */
	assert_int_equal(store_user_set_password(f->s, f->alice.id, "newer-hash", NULL, 0), STORE_OK);
	assert_int_equal(store_session_user(f->s, keep, now, &u), STORE_NOTFOUND);
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &u), STORE_OK);
	assert_int_equal(u.token_version, f->alice.token_version + 2);
	assert_int_equal(store_session_user(f->s, bobs, now, &u), STORE_OK);
}

/* ---- API tokens ------------------------------------------------------------ */

static void test_tokens_lookup_list_revoke(void **state)
{
	struct fx *f = *state;
	uint8_t h1[32], h2[32], hb[32], unknown[32];
	hash_of(h1, 21);
	hash_of(h2, 22);
	hash_of(hb, 23);
	hash_of(unknown, 24);
	int64_t t1 = 0, t2 = 0, tb = 0;
	assert_int_equal(store_token_create(f->s, f->alice.id, "laptop", "jt_abc", h1, 1000, &t1), STORE_OK);
	assert_int_equal(store_token_create(f->s, f->alice.id, "ci", "jt_def", h2, 1001, &t2), STORE_OK);
	assert_int_equal(store_token_create(f->s, f->bob.id, "bob's", "jt_ghi", hb, 1002, &tb), STORE_OK);
	assert_true(t1 > 0 && t2 > t1 && tb > t2);
	/* The same digest cannot be stored twice. */
	int64_t dup = 0;
	assert_int_equal(store_token_create(f->s, f->bob.id, "dup", "jt_x", h1, 1003, &dup), STORE_CONFLICT);

	struct user u;
	assert_int_equal(store_token_user(f->s, h1, 2000, &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
	assert_int_equal(store_token_user(f->s, hb, 2000, &u), STORE_OK);
	assert_int_equal(u.id, f->bob.id);
	assert_int_equal(store_token_user(f->s, unknown, 2000, &u), STORE_NOTFOUND);

	struct api_token *list;
	size_t n;
	assert_int_equal(store_token_list(f->s, f->alice.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, t2); /* newest first */
	assert_string_equal(list[0].name, "ci");
	assert_string_equal(list[0].prefix, "jt_def");
	assert_int_equal(list[0].created_at, 1001);
	assert_int_equal(list[0].last_used_at, 0);
	assert_int_equal(list[1].id, t1);
	assert_int_equal(list[1].last_used_at, 2000);

	/* Bob cannot revoke Alice's token; Alice can, once. */
	assert_int_equal(store_token_revoke(f->s, f->bob.id, t1, 0), STORE_NOTFOUND);
	assert_int_equal(store_token_user(f->s, h1, 2001, &u), STORE_OK);
	assert_int_equal(store_token_revoke(f->s, f->alice.id, t1, 0), STORE_OK);
	assert_int_equal(store_token_revoke(f->s, f->alice.id, t1, 0), STORE_NOTFOUND);
	assert_int_equal(store_token_user(f->s, h1, 2002, &u), STORE_NOTFOUND);
	assert_int_equal(store_token_list(f->s, f->alice.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, t2);
	assert_int_equal(store_token_list(f->s, f->bob.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, tb);
}

static void test_token_use_is_noted_per_minute(void **state)
{
	struct fx *f = *state;
	uint8_t h[32];
	hash_of(h, 30);
	int64_t id;
	assert_int_equal(store_token_create(f->s, f->alice.id, "t", "jt_", h, 100, &id), STORE_OK);
	struct user u;
	struct api_token *list;
	size_t n;
	assert_int_equal(store_token_user(f->s, h, 1000, &u), STORE_OK);
	assert_int_equal(store_token_list(f->s, f->alice.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(list[0].last_used_at, 1000);
	assert_int_equal(store_token_user(f->s, h, 1059, &u), STORE_OK);
	assert_int_equal(store_token_list(f->s, f->alice.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(list[0].last_used_at, 1000);
	assert_int_equal(store_token_user(f->s, h, 1060, &u), STORE_OK);
	assert_int_equal(store_token_list(f->s, f->alice.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(list[0].last_used_at, 1060);
}

/* ---- applications ---------------------------------------------------------- */

static void test_app_create_get_round_trip(void **state)
{
	struct fx *f = *state;
	char *tags[] = { "rust", "remote", "c" };
	struct application app;
	new_app(&app, "Ünïcode GmbH", "Senior \"Rust\" Engineer");
	app.location = "Zürich, CH";
	app.url = "https://example.com/jobs/1?a=1&b=2";
	app.source = "referral";
	app.salary_min = 120000;
	app.has_salary_min = 1;
	app.salary_max = 150000;
	app.has_salary_max = 1;
	app.salary_currency = "CHF";
	app.salary_period = "year";
	app.status = "applied";
	app.priority = 4;
	app.tags = tags;
	app.n_tags = 3;
	app.saved_on = "2026-01-02";
	app.applied_on = "2026-01-03";
	app.follow_up_on = NULL;
	app.notes = "line one\nline two 100% _sure_";
	assert_int_equal(store_app_create(f->s, f->alice.id, &app, 5000), STORE_OK);
	assert_true(app.id > 0);
	assert_int_equal(app.created_at, 5000);
	assert_int_equal(app.updated_at, 5000);
	assert_int_equal(app.status_changed_at, 5000);

	struct application got = get_app(f, f->alice.id, app.id);
	assert_int_equal(got.id, app.id);
	assert_string_equal(got.company, "Ünïcode GmbH");
	assert_string_equal(got.position, "Senior \"Rust\" Engineer");
	assert_string_equal(got.location, "Zürich, CH");
	assert_string_equal(got.url, "https://example.com/jobs/1?a=1&b=2");
	assert_string_equal(got.source, "referral");
	assert_true(got.has_salary_min && got.has_salary_max);
	assert_int_equal(got.salary_min, 120000);
	assert_int_equal(got.salary_max, 150000);
	assert_string_equal(got.salary_currency, "CHF");
	assert_string_equal(got.salary_period, "year");
	assert_string_equal(got.status, "applied");
	assert_int_equal(got.priority, 4);
	assert_int_equal(got.n_tags, 3);
	assert_string_equal(got.tags[0], "rust");
	assert_string_equal(got.tags[1], "remote");
	assert_string_equal(got.tags[2], "c");
	assert_string_equal(got.saved_on, "2026-01-02");
	assert_string_equal(got.applied_on, "2026-01-03");
	assert_null(got.follow_up_on);
	assert_string_equal(got.notes, "line one\nline two 100% _sure_");
	assert_int_equal(got.created_at, 5000);
	assert_int_equal(got.updated_at, 5000);
	assert_int_equal(got.status_changed_at, 5000);

	/* Its timeline starts with one "created" event. */
	struct app_event *ev;
	size_t n;
	assert_int_equal(store_event_list(f->s, f->alice.id, app.id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].kind, "created");
	assert_int_equal(ev[0].at, 5000);
	assert_null(ev[0].from_status);
	assert_string_equal(ev[0].to_status, "applied");
}

static void test_app_without_optional_fields(void **state)
{
	struct fx *f = *state;
	struct application app;
	new_app(&app, "Acme", "Dev");
	app.location = app.url = app.source = app.notes = NULL;
	app.salary_currency = app.salary_period = NULL;
	assert_int_equal(store_app_create(f->s, f->alice.id, &app, 10), STORE_OK);
	struct application got = get_app(f, f->alice.id, app.id);
	assert_string_equal(got.location, "");
	assert_string_equal(got.url, "");
	assert_string_equal(got.notes, "");
	assert_string_equal(got.salary_currency, "");
	assert_false(got.has_salary_min);
	assert_false(got.has_salary_max);
	assert_int_equal(got.n_tags, 0);
	assert_null(got.saved_on);
	assert_null(got.applied_on);
}

static void test_app_update_replaces_every_field(void **state)
{
	struct fx *f = *state;
	char *tags[] = { "a", "b" };
	struct application app;
	new_app(&app, "Acme", "Dev");
	app.tags = tags;
	app.n_tags = 2;
	app.salary_min = 1;
	app.has_salary_min = 1;
	app.notes = "old notes";
	assert_int_equal(store_app_create(f->s, f->alice.id, &app, 100), STORE_OK);

	struct application up = get_app(f, f->alice.id, app.id);
	up.company = "Acme Corp";
	up.position = "Lead";
	up.tags = NULL;
	up.n_tags = 0;
	up.has_salary_min = 0;
	up.notes = "";
	up.follow_up_on = "2026-05-01";
	assert_int_equal(store_app_update_all(f->s, f->alice.id, &up, 200), STORE_OK);
	assert_int_equal(up.updated_at, 200);

	struct application got = get_app(f, f->alice.id, app.id);
	assert_string_equal(got.company, "Acme Corp");
	assert_string_equal(got.position, "Lead");
	assert_int_equal(got.n_tags, 0);
	assert_false(got.has_salary_min);
	assert_string_equal(got.notes, "");
	assert_string_equal(got.follow_up_on, "2026-05-01");
	assert_int_equal(got.created_at, 100);
	assert_int_equal(got.updated_at, 200);
	/* The status did not change, so neither did status_changed_at. */
	assert_int_equal(got.status_changed_at, 100);
}

static void test_app_status_change_records_one_event(void **state)
{
	struct fx *f = *state;
	int64_t id = create_app(f, f->alice.id, "Acme", 1000);

	struct application app = get_app(f, f->alice.id, id);
	app.status = "interviewing";
	assert_int_equal(store_app_update_all(f->s, f->alice.id, &app, 2000), STORE_OK);
	assert_int_equal(app.status_changed_at, 2000);

	struct app_event *ev;
	size_t n;
	assert_int_equal(store_event_list(f->s, f->alice.id, id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ev[0].kind, "status_change"); /* newest first */
	assert_string_equal(ev[0].from_status, "saved");
	assert_string_equal(ev[0].to_status, "interviewing");
	assert_int_equal(ev[0].at, 2000);
	assert_int_equal(ev[0].app_id, id);
	assert_string_equal(ev[1].kind, "created");

	/* An update that keeps the status adds no event. */
	app = get_app(f, f->alice.id, id);
	app.position = "Staff Engineer";
	assert_int_equal(store_app_update_all(f->s, f->alice.id, &app, 3000), STORE_OK);
	assert_int_equal(store_event_list(f->s, f->alice.id, id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 2);
	struct application got = get_app(f, f->alice.id, id);
	assert_int_equal(got.status_changed_at, 2000);
	assert_int_equal(got.updated_at, 3000);

	/* The "from" is the stored status, not what the caller believes. */
	app = get_app(f, f->alice.id, id);
	app.status = "offer";
	assert_int_equal(store_app_update_all(f->s, f->alice.id, &app, 4000), STORE_OK);
	assert_int_equal(store_event_list(f->s, f->alice.id, id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(ev[0].from_status, "interviewing");
	assert_string_equal(ev[0].to_status, "offer");
	assert_int_equal(sql_int(f, "SELECT count(*) FROM events WHERE kind = 'status_change'"), 2);
}

static void test_app_rows_are_scoped_to_their_user(void **state)
{
	struct fx *f = *state;
	int64_t id = create_app(f, f->alice.id, "Alice Co", 1000);
	struct application app;

	assert_int_equal(store_app_get(f->s, f->bob.id, id, &f->a, &app), STORE_NOTFOUND);

	new_app(&app, "Bob's takeover", "Hacker");
	app.id = id;
	app.status = "rejected";
	assert_int_equal(store_app_update_all(f->s, f->bob.id, &app, 2000), STORE_NOTFOUND);
	assert_int_equal(store_app_delete(f->s, f->bob.id, id), STORE_NOTFOUND);

	struct app_filter all = { 0 };
	assert_int_equal(list_total(f, f->bob.id, &all), 0);

	struct application got = get_app(f, f->alice.id, id);
	assert_string_equal(got.company, "Alice Co");
	assert_string_equal(got.position, "Engineer");
	assert_string_equal(got.status, "saved");
	assert_int_equal(got.updated_at, 1000);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM events"), 1);

	assert_int_equal(store_app_delete(f->s, f->alice.id, id), STORE_OK);
	assert_int_equal(store_app_get(f->s, f->alice.id, id, &f->a, &app), STORE_NOTFOUND);
	assert_int_equal(store_app_delete(f->s, f->alice.id, id), STORE_NOTFOUND);
	/* Its events went with it. */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM events"), 0);
	assert_int_equal(store_app_get(f->s, f->alice.id, 999999, &f->a, &app), STORE_NOTFOUND);
	app.id = 999999;
	assert_int_equal(store_app_update_all(f->s, f->alice.id, &app, 1), STORE_NOTFOUND);
}

static void add_app(struct fx *f, const char *company, const char *status, char **tags, size_t n_tags,
		    const char *notes)
{
	struct application app;
	new_app(&app, company, "Engineer");
	app.status = (char *)status;
	app.tags = tags;
	app.n_tags = n_tags;
	app.notes = (char *)notes;
	assert_int_equal(store_app_create(f->s, f->alice.id, &app, 1000), STORE_OK);
}

static void test_list_filters_by_status(void **state)
{
	struct fx *f = *state;
	add_app(f, "A", "saved", NULL, 0, "");
	add_app(f, "B", "applied", NULL, 0, "");
	add_app(f, "C", "applied", NULL, 0, "");
	create_app(f, f->bob.id, "Bob's", 1000);
	struct app_filter flt = { .status = "applied", .sort = APP_SORT_COMPANY_ASC };
	static const char *const want[] = { "B", "C" };
	expect_companies(f, f->alice.id, &flt, want, 2);
	assert_int_equal(list_total(f, f->alice.id, &flt), 2);
	flt.status = "offer";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
	flt.status = NULL;
	assert_int_equal(list_total(f, f->alice.id, &flt), 3);
}

static void test_list_tag_filter_matches_whole_tags(void **state)
{
	struct fx *f = *state;
	char *t1[] = { "c" }, *t2[] = { "cpp" }, *t3[] = { "objective-c", "c++" }, *t4[] = { "go", "c", "rust" };
	add_app(f, "C only", "saved", t1, 1, "");
	add_app(f, "Cpp", "saved", t2, 1, "");
	add_app(f, "ObjC", "saved", t3, 2, "");
	add_app(f, "Polyglot", "saved", t4, 3, "");
	add_app(f, "No tags", "saved", NULL, 0, "c");

	struct app_filter flt = { .tag = "c", .sort = APP_SORT_COMPANY_ASC };
	static const char *const want_c[] = { "C only", "Polyglot" };
	expect_companies(f, f->alice.id, &flt, want_c, 2);
	flt.tag = "cpp";
	static const char *const want_cpp[] = { "Cpp" };
	expect_companies(f, f->alice.id, &flt, want_cpp, 1);
	flt.tag = "c++";
	static const char *const want_cxx[] = { "ObjC" };
	expect_companies(f, f->alice.id, &flt, want_cxx, 1);
	flt.tag = "rust";
	static const char *const want_rust[] = { "Polyglot" };
	expect_companies(f, f->alice.id, &flt, want_rust, 1);
	flt.tag = "objective";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
	flt.tag = "";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
}

static void test_list_query_is_a_literal_substring(void **state)
{
	struct fx *f = *state;
	add_app(f, "100% Remote", "saved", NULL, 0, "");
	add_app(f, "1000 Remote", "saved", NULL, 0, "");
	add_app(f, "snake_case Inc", "saved", NULL, 0, "");
	add_app(f, "snakeXcase Inc", "saved", NULL, 0, "");
	add_app(f, "Back\\slash", "saved", NULL, 0, "");
	add_app(f, "Quiet", "saved", NULL, 0, "has a NEEDLE inside");

	struct app_filter flt = { .q = "100%", .sort = APP_SORT_COMPANY_ASC };
	static const char *const want_pct[] = { "100% Remote" };
	expect_companies(f, f->alice.id, &flt, want_pct, 1);
	flt.q = "e_c";
	static const char *const want_us[] = { "snake_case Inc" };
	expect_companies(f, f->alice.id, &flt, want_us, 1);
	flt.q = "k\\s";
	static const char *const want_bs[] = { "Back\\slash" };
	expect_companies(f, f->alice.id, &flt, want_bs, 1);
	flt.q = "%";
	expect_companies(f, f->alice.id, &flt, want_pct, 1);
	/* Case-insensitive, and notes are searched too. */
	flt.q = "needle";
	static const char *const want_notes[] = { "Quiet" };
	expect_companies(f, f->alice.id, &flt, want_notes, 1);
	flt.q = "REMOTE";
	static const char *const want_remote[] = { "100% Remote", "1000 Remote" };
	expect_companies(f, f->alice.id, &flt, want_remote, 2);
	/* Position is searched (every row is an "Engineer"). */
	flt.q = "engineer";
	assert_int_equal(list_total(f, f->alice.id, &flt), 6);
	/* An empty query is no filter. */
	flt.q = "";
	assert_int_equal(list_total(f, f->alice.id, &flt), 6);
	flt.q = "no such thing";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
}

static void test_list_searches_location(void **state)
{
	struct fx *f = *state;
	struct application app;
	new_app(&app, "Somewhere", "Dev");
	app.location = "Lisbon";
	assert_int_equal(store_app_create(f->s, f->alice.id, &app, 1), STORE_OK);
	add_app(f, "Elsewhere", "saved", NULL, 0, "");
	struct app_filter flt = { .q = "lisb" };
	static const char *const want[] = { "Somewhere" };
	expect_companies(f, f->alice.id, &flt, want, 1);
}

static void test_list_combines_filters(void **state)
{
	struct fx *f = *state;
	char *remote[] = { "remote" };
	add_app(f, "Alpha", "applied", remote, 1, "");
	add_app(f, "Beta", "applied", NULL, 0, "");
	add_app(f, "Alpine", "saved", remote, 1, "");
	add_app(f, "Gamma", "applied", remote, 1, "");
	struct app_filter flt = { .status = "applied", .tag = "remote", .q = "alp" };
	static const char *const want[] = { "Alpha" };
	expect_companies(f, f->alice.id, &flt, want, 1);
	assert_int_equal(list_total(f, f->alice.id, &flt), 1);
}

/* Four applications whose every sort key differs:
 *   company  created updated priority applied_on
 *   banana   100     500     1        2026-01-05
 *   Apple    200     200     3        (none)
 *   cherry   300     300     3        2026-01-01
 *   date     400     400     0        2026-02-01 */
static void make_sortable(struct fx *f)
{
	static const struct {
		const char *company;
		int64_t created;
		int priority;
		const char *applied_on;
	} rows[] = {
		{ "banana", 100, 1, "2026-01-05" },
		{ "Apple", 200, 3, NULL },
		{ "cherry", 300, 3, "2026-01-01" },
		{ "date", 400, 0, "2026-02-01" },
	};
	int64_t first = 0;
	for (size_t i = 0; i < 4; i++) {
		struct application app;
		new_app(&app, rows[i].company, "Dev");
		app.priority = rows[i].priority;
		app.applied_on = (char *)rows[i].applied_on;
		if (rows[i].applied_on)
			app.status = "applied";
		assert_int_equal(store_app_create(f->s, f->alice.id, &app, rows[i].created), STORE_OK);
		if (i == 0)
			first = app.id;
	}
	struct application app = get_app(f, f->alice.id, first);
	app.notes = "touched";
	assert_int_equal(store_app_update_all(f->s, f->alice.id, &app, 500), STORE_OK);
}

static void test_list_every_sort(void **state)
{
	struct fx *f = *state;
	make_sortable(f);
	static const char *const want[APP_SORT_COUNT][4] = {
		[APP_SORT_UPDATED_DESC] = { "banana", "date", "cherry", "Apple" },
		[APP_SORT_UPDATED_ASC] = { "Apple", "cherry", "date", "banana" },
		[APP_SORT_CREATED_DESC] = { "date", "cherry", "Apple", "banana" },
		[APP_SORT_CREATED_ASC] = { "banana", "Apple", "cherry", "date" },
		[APP_SORT_COMPANY_ASC] = { "Apple", "banana", "cherry", "date" },
		[APP_SORT_COMPANY_DESC] = { "date", "cherry", "banana", "Apple" },
		[APP_SORT_PRIORITY_DESC] = { "cherry", "Apple", "banana", "date" },
		[APP_SORT_PRIORITY_ASC] = { "date", "banana", "cherry", "Apple" },
		/* Applications never applied to come last either way. */
		[APP_SORT_APPLIED_DESC] = { "date", "banana", "cherry", "Apple" },
		[APP_SORT_APPLIED_ASC] = { "cherry", "banana", "date", "Apple" },
	};
	for (int s = 0; s < APP_SORT_COUNT; s++) {
		struct app_filter flt = { .sort = (enum app_sort)s };
		struct application *items;
		size_t n;
		int64_t total;
		assert_int_equal(store_app_list(f->s, f->alice.id, &flt, &f->a, &items, &n, &total), STORE_OK);
		assert_int_equal(n, 4);
		for (size_t i = 0; i < n; i++)
			if (strcmp(items[i].company, want[s][i]))
				fail_msg("sort %d, row %zu: %s, want %s", s, i, items[i].company, want[s][i]);
	}
	/* An out-of-range sort falls back to the default (updated, newest first). */
	struct app_filter bad = { .sort = (enum app_sort)(APP_SORT_COUNT + 3) };
	expect_companies(f, f->alice.id, &bad, want[APP_SORT_UPDATED_DESC], 4);
}

static void test_list_pagination(void **state)
{
	struct fx *f = *state;
	int64_t ids[7];
	for (int i = 0; i < 7; i++) {
		char name[16];
		snprintf(name, sizeof(name), "Co %d", i);
		struct application app;
		new_app(&app, arena_strdup(&f->a, name), "Dev");
		assert_int_equal(store_app_create(f->s, f->alice.id, &app, 100 + i), STORE_OK);
		ids[i] = app.id;
	}
	create_app(f, f->bob.id, "Bob's", 1);

	int seen[7] = { 0 };
	for (int64_t offset = 0; offset < 9; offset += 3) {
		struct app_filter flt = { .sort = APP_SORT_CREATED_ASC, .limit = 3, .offset = offset };
		struct application *items;
		size_t n;
		int64_t total;
		assert_int_equal(store_app_list(f->s, f->alice.id, &flt, &f->a, &items, &n, &total), STORE_OK);
		assert_int_equal(total, 7);
		assert_int_equal(n, offset == 6 ? 1 : 3);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(items[i].id, ids[offset + (int64_t)i]);
			seen[offset + (int64_t)i]++;
		}
	}
	for (int i = 0; i < 7; i++)
		assert_int_equal(seen[i], 1);

	/* Past the end: nothing, but the total is still known. */
	struct app_filter past = { .limit = 3, .offset = 50 };
	struct application *items;
	size_t n = 99;
	int64_t total = 0;
	assert_int_equal(store_app_list(f->s, f->alice.id, &past, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 7);

	/* A page that ends exactly at the last row, and one that ends just before it. */
	struct app_filter exact = { .limit = 7 };
	assert_int_equal(store_app_list(f->s, f->alice.id, &exact, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 7);
	assert_int_equal(total, 7);
	exact.limit = 6;
	assert_int_equal(store_app_list(f->s, f->alice.id, &exact, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 6);
	assert_int_equal(total, 7);
	exact.offset = 6;
	assert_int_equal(store_app_list(f->s, f->alice.id, &exact, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 7);

	/* No limit means the default page (50). */
	struct app_filter nolimit = { 0 };
	assert_int_equal(store_app_list(f->s, f->alice.id, &nolimit, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 7);
	/* Totals follow the filters. */
	struct app_filter filtered = { .q = "Co 3", .limit = 1 };
	assert_int_equal(store_app_list(f->s, f->alice.id, &filtered, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(total, 1);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, ids[3]);
}

static void test_import_is_all_or_nothing(void **state)
{
	struct fx *f = *state;
	struct application apps[3];
	new_app(&apps[0], "First", "Dev");
	new_app(&apps[1], NULL, "Dev"); /* company is NOT NULL: the insert fails */
	new_app(&apps[2], "Third", "Dev");
	assert_int_not_equal(store_app_import(f->s, f->alice.id, apps, 3, 1000), STORE_OK);

	struct app_filter all = { 0 };
	assert_int_equal(list_total(f, f->alice.id, &all), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM applications"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM events"), 0);

	/* The store is usable afterwards (no transaction left open). */
	apps[1].company = "Second";
	assert_int_equal(store_app_import(f->s, f->alice.id, apps, 3, 2000), STORE_OK);
	assert_int_equal(list_total(f, f->alice.id, &all), 3);
	for (int i = 0; i < 3; i++) {
		assert_true(apps[i].id > 0);
		assert_int_equal(apps[i].created_at, 2000);
		struct app_event *ev;
		size_t n;
		assert_int_equal(store_event_list(f->s, f->alice.id, apps[i].id, &f->a, &ev, &n), STORE_OK);
		assert_int_equal(n, 1);
		assert_string_equal(ev[0].kind, "created");
	}
	assert_int_equal(list_total(f, f->bob.id, &all), 0);
	/* An empty import is fine. */
	assert_int_equal(store_app_import(f->s, f->alice.id, apps, 0, 3000), STORE_OK);
}

/* ---- events ---------------------------------------------------------------- */

static void test_events_create_list_delete_scoped(void **state)
{
	struct fx *f = *state;
	int64_t app_id = create_app(f, f->alice.id, "Acme", 1000);

	struct app_event note = { .app_id = app_id, .kind = "note", .at = 2000, .title = "Called", .body = "went well" };
	assert_int_equal(store_event_create(f->s, f->alice.id, &note, 2000), STORE_OK);
	assert_true(note.id > 0);
	assert_int_equal(note.created_at, 2000);
	struct app_event iv = {
		.app_id = app_id, .kind = "interview", .at = 9000, .interview_kind = "onsite", .with_whom = "Ada"
	};
	assert_int_equal(store_event_create(f->s, f->alice.id, &iv, 2500), STORE_OK);

	/* Adding to the timeline touches the application. */
	struct application got = get_app(f, f->alice.id, app_id);
	assert_int_equal(got.updated_at, 2500);

	struct app_event *ev;
	size_t n;
	assert_int_equal(store_event_list(f->s, f->alice.id, app_id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(ev[0].id, iv.id); /* by `at`, newest first */
	assert_string_equal(ev[0].interview_kind, "onsite");
	assert_string_equal(ev[0].with_whom, "Ada");
	assert_string_equal(ev[0].title, "");
	assert_int_equal(ev[1].id, note.id);
	assert_string_equal(ev[1].title, "Called");
	assert_string_equal(ev[1].body, "went well");
	assert_null(ev[1].from_status);
	assert_string_equal(ev[2].kind, "created");

	/* Bob sees, adds and deletes nothing on Alice's application. */
	struct app_event bobs = { .app_id = app_id, .kind = "note", .at = 3000, .body = "mine now" };
	assert_int_equal(store_event_create(f->s, f->bob.id, &bobs, 3000), STORE_NOTFOUND);
	assert_int_equal(store_event_list(f->s, f->bob.id, app_id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_event_remove(f->s, f->bob.id, app_id, note.id), STORE_NOTFOUND);
	got = get_app(f, f->alice.id, app_id);
	assert_int_equal(got.updated_at, 2500);

	/* An event is deleted through its own application only. */
	int64_t other = create_app(f, f->alice.id, "Other", 1000);
	assert_int_equal(store_event_remove(f->s, f->alice.id, other, note.id), STORE_NOTFOUND);
	assert_int_equal(store_event_remove(f->s, f->alice.id, app_id, note.id), STORE_OK);
	assert_int_equal(store_event_remove(f->s, f->alice.id, app_id, note.id), STORE_NOTFOUND);
	assert_int_equal(store_event_list(f->s, f->alice.id, app_id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 2);

	struct app_event orphan = { .app_id = 999999, .kind = "note", .at = 1, .body = "x" };
	assert_int_equal(store_event_create(f->s, f->alice.id, &orphan, 1), STORE_NOTFOUND);
}

/* A planned follow-up sets the application's follow-up date; moving it into
 * the past, turning it into a note or removing it takes that date back. */
static void test_follow_up_entries_take_back_their_date(void **state)
{
	struct fx *f = *state;
	const int64_t now = 1772625600; /* 2026-03-04T12:00:00Z */
	const int64_t day = 86400;
	int64_t app_id = create_app(f, f->alice.id, "Follow Co", now);
	struct app_event fu = { .app_id = app_id, .kind = "follow_up", .at = now + 6 * day, .title = "Ping" };
	assert_int_equal(store_event_create(f->s, f->alice.id, &fu, now), STORE_OK);
	assert_string_equal(get_app(f, f->alice.id, app_id).follow_up_on, "2026-03-10");

	/* Rescheduled: the date moves with it. */
	fu.at = now + 8 * day;
	assert_int_equal(store_event_edit(f->s, f->alice.id, &fu, now), STORE_OK);
	assert_string_equal(get_app(f, f->alice.id, app_id).follow_up_on, "2026-03-12");

	/* It happened yesterday after all: no reminder is left for the 12th. */
	fu.at = now - day;
	assert_int_equal(store_event_edit(f->s, f->alice.id, &fu, now), STORE_OK);
	assert_null(get_app(f, f->alice.id, app_id).follow_up_on);

	/* Planned again, then made a note: the date goes. */
	fu.at = now + 2 * day;
	assert_int_equal(store_event_edit(f->s, f->alice.id, &fu, now), STORE_OK);
	assert_string_equal(get_app(f, f->alice.id, app_id).follow_up_on, "2026-03-06");
	fu.kind = "note";
	assert_int_equal(store_event_edit(f->s, f->alice.id, &fu, now), STORE_OK);
	assert_null(get_app(f, f->alice.id, app_id).follow_up_on);

	/* A planned follow-up removed takes its date along... */
	struct app_event fu2 = { .app_id = app_id, .kind = "follow_up", .at = now + 3 * day };
	assert_int_equal(store_event_create(f->s, f->alice.id, &fu2, now), STORE_OK);
	assert_string_equal(get_app(f, f->alice.id, app_id).follow_up_on, "2026-03-07");
	assert_int_equal(store_event_remove(f->s, f->bob.id, app_id, fu2.id), STORE_NOTFOUND);
	assert_string_equal(get_app(f, f->alice.id, app_id).follow_up_on, "2026-03-07");
	assert_int_equal(store_event_remove(f->s, f->alice.id, app_id, fu2.id), STORE_OK);
	assert_null(get_app(f, f->alice.id, app_id).follow_up_on);

	/* ...but not a date set by hand for another day. */
	struct app_event fu3 = { .app_id = app_id, .kind = "follow_up", .at = now + 3 * day };
	assert_int_equal(store_event_create(f->s, f->alice.id, &fu3, now), STORE_OK);
	struct application app = get_app(f, f->alice.id, app_id);
	app.follow_up_on = "2026-03-20";
	assert_int_equal(store_app_update_all(f->s, f->alice.id, &app, now), STORE_OK);
	assert_int_equal(store_event_remove(f->s, f->alice.id, app_id, fu3.id), STORE_OK);
	assert_string_equal(get_app(f, f->alice.id, app_id).follow_up_on, "2026-03-20");
}

static void test_event_list_grows_past_first_page(void **state)
{
	struct fx *f = *state;
	int64_t app_id = create_app(f, f->alice.id, "Acme", 1);
	for (int i = 0; i < 40; i++) {
		struct app_event ev = { .app_id = app_id, .kind = "note", .at = 100 + i, .body = "n" };
		assert_int_equal(store_event_create(f->s, f->alice.id, &ev, 100 + i), STORE_OK);
	}
	struct app_event *ev;
	size_t n;
	assert_int_equal(store_event_list(f->s, f->alice.id, app_id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 41);
	for (size_t i = 1; i < n; i++)
		assert_true(ev[i - 1].at >= ev[i].at);
}

/* ---- contacts -------------------------------------------------------------- */

static void test_contacts_crud_scoped(void **state)
{
	struct fx *f = *state;
	struct contact c = { .name = "Zed", .role = "Recruiter", .email = "zed@example.com" };
	assert_int_equal(store_contact_create(f->s, f->alice.id, &c, 0, 100), STORE_OK);
	assert_true(c.id > 0);
	struct contact c2 = { .name = "amy" };
	assert_int_equal(store_contact_create(f->s, f->alice.id, &c2, 0, 100), STORE_OK);

	struct contact *list;
	size_t n;
	assert_int_equal(store_contact_list(f->s, f->alice.id, 0, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "amy"); /* by name, ignoring case */
	assert_string_equal(list[1].name, "Zed");
	assert_string_equal(list[1].role, "Recruiter");
	assert_string_equal(list[1].phone, "");
	assert_int_equal(store_contact_list(f->s, f->bob.id, 0, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);

	struct contact got;
	assert_int_equal(store_contact_get(f->s, f->bob.id, c.id, &f->a, &got), STORE_NOTFOUND);
	struct contact evil = { .id = c.id, .name = "Hijacked" };
	assert_int_equal(store_contact_update(f->s, f->bob.id, &evil, 200), STORE_NOTFOUND);
	assert_int_equal(store_contact_delete(f->s, f->bob.id, c.id), STORE_NOTFOUND);
	assert_int_equal(store_contact_get(f->s, f->alice.id, c.id, &f->a, &got), STORE_OK);
	assert_string_equal(got.name, "Zed");
	assert_int_equal(got.updated_at, 100);

	c.name = "Zed Shaw";
	c.phone = "+1 555";
	assert_int_equal(store_contact_update(f->s, f->alice.id, &c, 300), STORE_OK);
	assert_int_equal(store_contact_get(f->s, f->alice.id, c.id, &f->a, &got), STORE_OK);
	assert_string_equal(got.name, "Zed Shaw");
	assert_string_equal(got.phone, "+1 555");
	assert_int_equal(got.created_at, 100);
	assert_int_equal(got.updated_at, 300);

	assert_int_equal(store_contact_delete(f->s, f->alice.id, c.id), STORE_OK);
	assert_int_equal(store_contact_delete(f->s, f->alice.id, c.id), STORE_NOTFOUND);
	assert_int_equal(store_contact_get(f->s, f->alice.id, c.id, &f->a, &got), STORE_NOTFOUND);
}

static void test_contacts_link_unlink_scoped(void **state)
{
	struct fx *f = *state;
	int64_t app_a = create_app(f, f->alice.id, "Alice Co", 1);
	int64_t app_a2 = create_app(f, f->alice.id, "Alice Two", 1);
	int64_t app_b = create_app(f, f->bob.id, "Bob Co", 1);

	/* Created and linked in one go. */
	struct contact ca = { .name = "Ada" };
	assert_int_equal(store_contact_create(f->s, f->alice.id, &ca, app_a, 10), STORE_OK);
	struct contact cb = { .name = "Bea" };
	assert_int_equal(store_contact_create(f->s, f->bob.id, &cb, app_b, 10), STORE_OK);

	struct contact *list;
	size_t n;
	assert_int_equal(store_contact_list(f->s, f->alice.id, app_a, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, ca.id);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app_a2, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);

	/* Cross-user links fail either way round and leave nothing behind. */
	assert_int_equal(store_contact_link(f->s, f->alice.id, app_a, cb.id), STORE_NOTFOUND);
	assert_int_equal(store_contact_link(f->s, f->bob.id, app_a, cb.id), STORE_NOTFOUND);
	assert_int_equal(store_contact_link(f->s, f->bob.id, app_b, ca.id), STORE_NOTFOUND);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app_a, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_contact_list(f->s, f->bob.id, app_a, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM application_contacts"), 2);

	/* Creating a contact linked to someone else's application creates nothing. */
	struct contact sneaky = { .name = "Sneaky" };
	assert_int_equal(store_contact_create(f->s, f->bob.id, &sneaky, app_a, 10), STORE_NOTFOUND);
	assert_int_equal(store_contact_list(f->s, f->bob.id, 0, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "Bea");

	/* Linking is idempotent. */
	assert_int_equal(store_contact_link(f->s, f->alice.id, app_a2, ca.id), STORE_OK);
	assert_int_equal(store_contact_link(f->s, f->alice.id, app_a2, ca.id), STORE_OK);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app_a2, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);

	/* Unlinking: only the owner, only once. */
	assert_int_equal(store_contact_unlink(f->s, f->bob.id, app_a, ca.id), STORE_NOTFOUND);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app_a, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_contact_unlink(f->s, f->alice.id, app_a, ca.id), STORE_OK);
	assert_int_equal(store_contact_unlink(f->s, f->alice.id, app_a, ca.id), STORE_NOTFOUND);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app_a, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	/* The contact itself stays. */
	assert_int_equal(store_contact_list(f->s, f->alice.id, 0, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);

	/* Deleting the application or the contact removes their links. */
	assert_int_equal(store_app_delete(f->s, f->alice.id, app_a2), STORE_OK);
	assert_int_equal(store_contact_delete(f->s, f->bob.id, cb.id), STORE_OK);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM application_contacts"), 0);
}

/* ---- counts ---------------------------------------------------------------- */

static void test_count_by_status(void **state)
{
	struct fx *f = *state;
	add_app(f, "A", "saved", NULL, 0, "");
	add_app(f, "B", "saved", NULL, 0, "");
	add_app(f, "C", "applied", NULL, 0, "");
	add_app(f, "D", "offer", NULL, 0, "");
	for (int i = 0; i < 5; i++)
		create_app(f, f->bob.id, "Bob", 1);

	int64_t counts[STATUS_COUNT];
	memset(counts, 0xff, sizeof(counts));
	assert_int_equal(store_app_count_by_status(f->s, f->alice.id, status_names, STATUS_COUNT, counts), STORE_OK);
	for (int i = 0; i < STATUS_COUNT; i++) {
		int64_t want = !strcmp(status_names[i], "saved")     ? 2
			       : !strcmp(status_names[i], "applied") ? 1
			       : !strcmp(status_names[i], "offer")   ? 1
								     : 0;
		assert_int_equal(counts[i], want);
	}

	/* Only the statuses asked for, in the order asked. */
	static const char *const some[] = { "offer", "saved" };
	int64_t two[2];
	assert_int_equal(store_app_count_by_status(f->s, f->bob.id, some, 2, two), STORE_OK);
	assert_int_equal(two[0], 0);
	assert_int_equal(two[1], 5);
}

/* ---- data version ------------------------------------------------------------- */

static int64_t data_version(struct fx *f, int64_t user)
{
	struct user u;
	assert_int_equal(store_user_by_id(f->s, user, &u), STORE_OK);
	return u.data_version;
}

/* Expects v to have moved on since *last, and remembers it. */
static void expect_bumped(struct fx *f, int64_t user, int64_t *last, const char *what)
{
	int64_t v = data_version(f, user);
	if (v == *last)
		fail_msg("%s did not change the data version (%lld)", what, (long long)v);
	*last = v;
}

static void test_data_version_follows_every_change(void **state)
{
	struct fx *f = *state;
	int64_t va = data_version(f, f->alice.id), vb = data_version(f, f->bob.id);

	int64_t id = create_app(f, f->alice.id, "Acme", 100);
	expect_bumped(f, f->alice.id, &va, "creating an application");
	assert_int_equal(data_version(f, f->bob.id), vb);

	/* Reads change nothing. */
	struct app_filter all = { 0 };
	list_total(f, f->alice.id, &all);
	get_app(f, f->alice.id, id);
	assert_int_equal(data_version(f, f->alice.id), va);

	struct application app = get_app(f, f->alice.id, id);
	app.status = "applied";
	assert_int_equal(store_app_update_all(f->s, f->alice.id, &app, 200), STORE_OK);
	expect_bumped(f, f->alice.id, &va, "updating an application");

	struct app_event ev = { .app_id = id, .kind = "note", .at = 300, .body = "x" };
	assert_int_equal(store_event_create(f->s, f->alice.id, &ev, 300), STORE_OK);
	expect_bumped(f, f->alice.id, &va, "adding an event");
	ev.body = "edited";
	assert_int_equal(store_event_edit(f->s, f->alice.id, &ev, 310), STORE_OK);
	expect_bumped(f, f->alice.id, &va, "editing an event");
	/* The trigger itself (migration 5), whichever statement writes the row. */
	char sql[96];
	snprintf(sql, sizeof(sql), "UPDATE events SET title = 'by hand' WHERE id = %lld", (long long)ev.id);
	sql_exec(f, sql);
	expect_bumped(f, f->alice.id, &va, "an UPDATE of events");
	assert_int_equal(store_event_remove(f->s, f->alice.id, id, ev.id), STORE_OK);
	expect_bumped(f, f->alice.id, &va, "deleting an event");

	struct contact c = { .name = "Ada" };
	assert_int_equal(store_contact_create(f->s, f->alice.id, &c, 0, 400), STORE_OK);
	expect_bumped(f, f->alice.id, &va, "creating a contact");
	assert_int_equal(store_contact_link(f->s, f->alice.id, id, c.id), STORE_OK);
	expect_bumped(f, f->alice.id, &va, "linking a contact");
	assert_int_equal(store_contact_unlink(f->s, f->alice.id, id, c.id), STORE_OK);
	expect_bumped(f, f->alice.id, &va, "unlinking a contact");
	c.role = "CTO";
	assert_int_equal(store_contact_update(f->s, f->alice.id, &c, 500), STORE_OK);
	expect_bumped(f, f->alice.id, &va, "updating a contact");

	/* Failed or foreign writes leave it alone. */
	app.id = id;
	assert_int_equal(store_app_update_all(f->s, f->bob.id, &app, 600), STORE_NOTFOUND);
	assert_int_equal(store_app_delete(f->s, f->bob.id, id), STORE_NOTFOUND);
	struct application bad[2];
	new_app(&bad[0], "Fine", "Dev");
	new_app(&bad[1], NULL, "Dev");
	assert_int_not_equal(store_app_import(f->s, f->alice.id, bad, 2, 700), STORE_OK);
	assert_int_equal(data_version(f, f->alice.id), va);
	assert_int_equal(data_version(f, f->bob.id), vb);

	assert_int_equal(store_contact_delete(f->s, f->alice.id, c.id), STORE_OK);
	expect_bumped(f, f->alice.id, &va, "deleting a contact");
	assert_int_equal(store_app_delete(f->s, f->alice.id, id), STORE_OK);
	expect_bumped(f, f->alice.id, &va, "deleting an application");
	assert_int_equal(data_version(f, f->bob.id), vb);

	/* The session and token lookups carry it too. */
	uint8_t h[32];
	hash_of(h, 77);
	int64_t now = (int64_t)time(NULL);
	assert_int_equal(store_session_create(f->s, f->alice.id, h, 0, now + 100, NULL, NULL), STORE_OK);
	struct user u;
	assert_int_equal(store_session_user(f->s, h, now, &u), STORE_OK);
	assert_int_equal(u.data_version, va);
	int64_t tid;
	assert_int_equal(store_token_create(f->s, f->alice.id, "t", "jt_", h, now, &tid), STORE_OK);
	assert_int_equal(store_token_user(f->s, h, now, &u), STORE_OK);
	assert_int_equal(u.data_version, va);
	assert_int_equal(u.token_version, 1);
}

/* ---- threads --------------------------------------------------------------- */

struct worker {
	struct store *s;
	int64_t user;
	int n, failures;
};

static void *worker_main(void *p)
{
	struct worker *w = p;
	for (int i = 0; i < w->n; i++) {
		struct application app;
		new_app(&app, "Threaded", "Dev");
		if (store_app_create(w->s, w->user, &app, 1000 + i))
			w->failures++;
		struct arena a;
		arena_init(&a, 0);
		struct application got;
		if (store_app_get(w->s, w->user, app.id, &a, &got))
			w->failures++;
		arena_free(&a);
	}
	return NULL;
}

static void test_many_threads_share_a_store(void **state)
{
	struct fx *f = *state;
	enum { THREADS = 4, EACH = 15 };
	pthread_t th[THREADS];
	struct worker w[THREADS];
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .s = f->s, .user = f->alice.id, .n = EACH };
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	struct app_filter all = { 0 };
	assert_int_equal(list_total(f, f->alice.id, &all), THREADS * EACH);
	assert_int_equal(store_ping(f->s), STORE_OK);
}

#define T(fn)       cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define T_EMPTY(fn) cmocka_unit_test_setup_teardown(fn, setup_empty, teardown)

int main(void)
{
	log_set_level(LOG_WARN); /* migrations log at info on every fresh database */
	const struct CMUnitTest tests[] = {
		T(test_migrations_run_once_and_record_version),
		T(test_reopen_is_idempotent_and_keeps_data),
		T_EMPTY(test_open_nomigrate_then_migrate),
		T_EMPTY(test_upgrade_keeps_existing_data),
		T_EMPTY(test_old_dangling_rows_do_not_block_open),
		T_EMPTY(test_upgrade_keeps_going_past_old_dangling_rows),
		T_EMPTY(test_open_refuses_newer_schema),
		T_EMPTY(test_open_rejects_unknown_urls),
		T(test_settings_get_set),
		T(test_first_user_is_admin),
		T(test_user_email_is_unique_case_insensitively),
		T(test_user_lookups_not_found),
		T(test_sessions_lookup_expiry_delete),
		T(test_session_create_sweeps_expired_sessions),
		T(test_set_password_bumps_version_and_ends_other_sessions),
		T(test_tokens_lookup_list_revoke),
		T(test_token_use_is_noted_per_minute),
		T(test_app_create_get_round_trip),
		T(test_app_without_optional_fields),
		T(test_app_update_replaces_every_field),
		T(test_app_status_change_records_one_event),
		T(test_app_rows_are_scoped_to_their_user),
		T(test_list_filters_by_status),
		T(test_list_tag_filter_matches_whole_tags),
		T(test_list_query_is_a_literal_substring),
		T(test_list_searches_location),
		T(test_list_combines_filters),
		T(test_list_every_sort),
		T(test_list_pagination),
		T(test_import_is_all_or_nothing),
		T(test_ids_are_never_reused),
		T(test_events_create_list_delete_scoped),
		T(test_event_list_grows_past_first_page),
		T(test_follow_up_entries_take_back_their_date),
		T(test_contacts_crud_scoped),
		T(test_contacts_link_unlink_scoped),
		T(test_count_by_status),
		T(test_data_version_follows_every_change),
		T(test_many_threads_share_a_store),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
