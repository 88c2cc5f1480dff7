/* What only the SQLite backend has: its migrations from old files, its
 * schema_migrations and user_version bookkeeping, and its file modes. The
 * behaviour every backend shares is in test_store.c (the contract suite).
 *
 * Each test gets a fresh SQLite file (store_fixture with "sqlite", whatever
 * JT_TEST_STORE_URL says) and reads or prepares it with sqlite3 directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/arena.h"
#include "base/log.h"
#include "store/sqlite/sqlite.h"
#include "store/store.h"
#include "store_fixture.h"

struct fx {
	struct store_fixture sf;
	struct arena a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	arena_init(&f->a, 0);
	*state = f;
	return store_fixture_make(&f->sf, "sqlite", 0);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	store_fixture_destroy(&f->sf);
	arena_free(&f->a);
	free(f);
	return 0;
}

static void open_store(struct fx *f)
{
	char err[256] = "";
	if (store_open(f->sf.url, &f->sf.s, err, sizeof(err)))
		fail_msg("store_open: %s", err);
}

/* Runs a one-value integer query straight on the file. */
static int64_t sql_int(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_open_v2(f->sf.path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		fail_msg("cannot open %s", f->sf.path);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_exec(struct fx *f, const char *sql)
{
	sqlite3 *db;
	if (sqlite3_open_v2(f->sf.path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		fail_msg("cannot open %s", f->sf.path);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s", msg ? msg : "sqlite3_exec failed");
	sqlite3_close(db);
}

/* Leaves the file at schema version v, as jobtrack of that time left it. */
static void schema_at(struct fx *f, int v)
{
	sql_exec(f, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);");
	for (int i = 1; i <= v; i++) {
		const char *m = sqlite_migration(i);
		assert_non_null(m);
		sql_exec(f, m);
		char sql[160];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO schema_migrations VALUES (%d, datetime('now')); PRAGMA user_version = %d;", i, i);
		sql_exec(f, sql);
	}
}

static void test_migrations_are_recorded(void **state)
{
	struct fx *f = *state;
	open_store(f);
	int v = -1, latest = -1;
	assert_int_equal(store_schema_version(f->sf.s, &v, &latest), STORE_OK);
	assert_int_equal(latest, sqlite_migrations_latest());
	assert_int_equal(v, latest);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_migrations"), latest);
	assert_int_equal(sql_int(f, "SELECT max(version) FROM schema_migrations"), latest);
	assert_int_equal(sql_int(f, "PRAGMA user_version"), latest);
	/* Opening again applies nothing twice. */
	store_close(f->sf.s);
	f->sf.s = NULL;
	open_store(f);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_migrations"), latest);
}

/* A version-1 file with data goes through every migration, 6's split of
 * ",a,b," tag strings into rows included, and keeps every row. */
static void test_version_1_file_with_data_upgrades(void **state)
{
	struct fx *f = *state;
	schema_at(f, 1);
	sql_exec(f, "INSERT INTO users(id, email, password_hash, is_admin, created_at, updated_at) "
		    "VALUES (1, 'old@example.com', 'h', 1, 10, 10), (2, 'two@example.com', 'h', 0, 11, 11);"
		    "INSERT INTO applications(id, user_id, company, position, status, tags, created_at, updated_at, "
		    "status_changed_at) VALUES "
		    "(5, 1, 'Old Co', 'Dev', 'applied', ',remote,C++,x y,', 10, 12, 11),"
		    "(6, 1, 'No Tags', 'Dev', 'saved', '', 10, 10, 10),"
		    "(9, 2, 'Two''s', 'Dev', 'saved', ',solo,', 10, 10, 10);"
		    "INSERT INTO events(id, user_id, application_id, kind, at, title, created_at) "
		    "VALUES (7, 1, 5, 'note', 10, 'kept', 10);"
		    "INSERT INTO contacts(id, user_id, name, created_at, updated_at) VALUES (3, 1, 'Rita', 10, 10);"
		    "INSERT INTO application_contacts(application_id, contact_id) VALUES (5, 3);");
	open_store(f);
	struct store *s = f->sf.s;
	int v, latest;
	assert_int_equal(store_schema_version(s, &v, &latest), STORE_OK);
	assert_int_equal(v, latest);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_migrations"), latest);

	struct application app;
	assert_int_equal(store_app_get(s, 1, 5, &f->a, &app), STORE_OK);
	assert_string_equal(app.company, "Old Co");
	assert_int_equal(app.version, 1);
	assert_int_equal(app.created_at, 10);
	assert_int_equal(app.updated_at, 12);
	assert_int_equal(app.status_changed_at, 11);
	assert_int_equal(app.n_tags, 3);
	assert_string_equal(app.tags[0], "remote");
	assert_string_equal(app.tags[1], "C++");
	assert_string_equal(app.tags[2], "x y");
	assert_int_equal(store_app_get(s, 1, 6, &f->a, &app), STORE_OK);
	assert_int_equal(app.n_tags, 0);
	assert_int_equal(store_app_get(s, 2, 9, &f->a, &app), STORE_OK);
	assert_int_equal(app.n_tags, 1);
	assert_string_equal(app.tags[0], "solo");
	/* The split tags filter like new ones, ignoring ASCII case. */
	struct app_filter flt = { .tag = "c++" };
	struct application *items;
	size_t n;
	int64_t total;
	assert_int_equal(store_app_list(s, 1, &flt, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(total, 1);
	assert_int_equal(items[0].id, 5);

	struct app_event ev;
	assert_int_equal(store_event_get(s, 1, 5, 7, &f->a, &ev), STORE_OK);
	assert_string_equal(ev.title, "kept");
	assert_int_equal(ev.version, 1);
	struct contact *cts;
	assert_int_equal(store_contact_list(s, 1, 5, &f->a, &cts, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(cts[0].name, "Rita");
	assert_int_equal(cts[0].version, 1);

	/* The data version triggers work on the upgraded tables. */
	struct user u;
	assert_int_equal(store_user_by_id(s, 1, &u), STORE_OK);
	int64_t before = u.data_version;
	app.id = 5;
	app.tags = NULL;
	app.n_tags = 0;
	assert_int_equal(store_app_update(s, 1, &app, APP_F_TAGS, 20), STORE_OK);
	assert_int_equal(store_user_by_id(s, 1, &u), STORE_OK);
	assert_true(u.data_version != before);
	/* Deleting still cascades (migration 3 rebuilt the tables). */
	assert_int_equal(store_app_delete(s, 1, 5), STORE_OK);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM events WHERE application_id = 5"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM application_contacts"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM application_tags WHERE application_id = 5"), 0);
	/* Ids are not reused after the upgrade either. */
	struct application fresh = { .company = "New",
				     .position = "P",
				     .location = "",
				     .url = "",
				     .source = "",
				     .salary_currency = "",
				     .salary_period = "",
				     .status = "saved",
				     .notes = "" };
	assert_int_equal(store_app_insert(s, 2, &fresh, 30), STORE_OK);
	assert_true(fresh.id > 9);
}

/* Rows left dangling by an old tool (a sqlite3 shell has foreign keys off)
 * are not the migrations' doing: they block neither opening nor upgrading,
 * and nothing is thrown away on the way. */
static void test_old_dangling_rows_do_not_block_open(void **state)
{
	struct fx *f = *state;
	schema_at(f, 2);
	sql_exec(f, "INSERT INTO users(id, email, password_hash, created_at, updated_at) "
		    "VALUES (1, 'a@example.com', 'h', 10, 10);"
		    "INSERT INTO applications(id, user_id, company, position, status, created_at, updated_at, "
		    "status_changed_at) VALUES (5, 1, 'Kept Co', 'Dev', 'saved', 10, 10, 10);"
		    "INSERT INTO events(id, user_id, application_id, kind, at, created_at) "
		    "VALUES (8, 1, 999, 'note', 10, 10);");
	open_store(f);
	int v, latest;
	assert_int_equal(store_schema_version(f->sf.s, &v, &latest), STORE_OK);
	assert_int_equal(v, latest);
	struct application app;
	assert_int_equal(store_app_get(f->sf.s, 1, 5, &f->a, &app), STORE_OK);
	assert_string_equal(app.company, "Kept Co");
	assert_int_equal(sql_int(f, "SELECT count(*) FROM events WHERE id = 8"), 1);
	/* ...and a current file with such rows opens too. */
	store_close(f->sf.s);
	f->sf.s = NULL;
	open_store(f);
	assert_int_equal(store_ping(f->sf.s), STORE_OK);
}

static void test_open_refuses_a_newer_schema(void **state)
{
	struct fx *f = *state;
	sql_exec(f, "PRAGMA user_version = 999;");
	char err[256] = "";
	struct store *s = NULL;
	assert_int_equal(store_open(f->sf.url, &s, err, sizeof(err)), STORE_ERROR);
	assert_null(s);
	assert_true(err[0] != '\0');
	assert_int_equal(sql_int(f, "PRAGMA user_version"), 999);
}

static void expect_mode(const char *path, mode_t want)
{
	struct stat st;
	if (stat(path, &st))
		fail_msg("%s does not exist", path);
	if ((st.st_mode & 0777) != want)
		fail_msg("%s has mode %03o, want %03o", path, (unsigned)(st.st_mode & 0777), (unsigned)want);
}

/* The database and its -wal and -shm files hold password hashes and
 * everyone's data: owner-only, whatever the umask. */
static void test_files_are_private_whatever_the_umask(void **state)
{
	struct fx *f = *state;
	mode_t old = umask(0);
	open_store(f);
	umask(old);
	struct user u;
	assert_int_equal(store_user_create(f->sf.s, "a@example.com", "h", 1, &u), STORE_OK);
	char p[200];
	expect_mode(f->sf.path, 0600);
	snprintf(p, sizeof(p), "%s-wal", f->sf.path);
	expect_mode(p, 0600);
	snprintf(p, sizeof(p), "%s-shm", f->sf.path);
	expect_mode(p, 0600);
	/* Also for a file that existed with a looser mode. */
	store_close(f->sf.s);
	f->sf.s = NULL;
	assert_int_equal(chmod(f->sf.path, 0644), 0);
	old = umask(0);
	open_store(f);
	umask(old);
	expect_mode(f->sf.path, 0600);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	log_set_level(LOG_ERROR); /* the upgrades log what they do */
	const struct CMUnitTest tests[] = {
		T(test_migrations_are_recorded),
		T(test_version_1_file_with_data_upgrades),
		T(test_old_dangling_rows_do_not_block_open),
		T(test_open_refuses_a_newer_schema),
		T(test_files_are_private_whatever_the_umask),
	};
	return cmocka_run_group_tests_name("store_sqlite", tests, NULL, NULL);
}
