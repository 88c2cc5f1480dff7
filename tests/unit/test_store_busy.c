/* A busy or read-only database, on every backend: a statement waiting for a
 * lock held elsewhere gives up after the lock timeout with STORE_BUSY (so
 * the web answers 503 + Retry-After instead of holding a worker), on
 * PostgreSQL a statement past the statement timeout too, and a read-only
 * database (a standby) answers writes with STORE_BUSY and says so in
 * store_read_only. store_copy refuses a target with rows in any table, and a
 * copy write that fails leaves the database's message in the log.
 *
 * The timeouts are set short (LOCK_MS) for the whole suite, so a wait that
 * is not bounded shows up as a suite running into meson's timeout. */
#include <fcntl.h>
#include <libpq-fe.h>
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

#include "base/arena.h"
#include "store/backend.h"
#include "store/store.h"
#include "store_fixture.h"

#define LOCK_MS 300

struct fx {
	struct store_fixture sf;
	struct store_fixture extra; /* store_copy's source */
	struct store *s;
	struct arena a;
	struct user alice;
};

/* An opened store without users (store_copy's target). */
static int setup_bare(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	arena_init(&f->a, 0);
	*state = f;
	if (store_fixture_make(&f->sf, NULL, 1))
		return -1;
	f->s = f->sf.s;
	return 0;
}

/* The same with alice. */
static int setup(void **state)
{
	if (setup_bare(state))
		return -1;
	struct fx *f = *state;
	return store_user_create(f->s, "alice@example.com", "hash-a", 1000, &f->alice) ? -1 : 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	store_fixture_destroy(&f->sf);
	store_fixture_destroy(&f->extra);
	arena_free(&f->a);
	free(f);
	return 0;
}

static int is_postgres(const struct fx *f)
{
	return strcmp(f->sf.backend, "postgres") == 0;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int insert_app(struct store *s, int64_t user, const char *company)
{
	struct application app;
	memset(&app, 0, sizeof(app));
	app.company = (char *)company;
	app.position = "Engineer";
	app.location = app.url = app.source = app.salary_currency = app.salary_period = app.notes = "";
	app.status = "saved";
	return store_app_insert(s, user, &app, 2000);
}

/* A second store on the same database: another connection, as another
 * process would have. */
static struct store *second_store(const struct fx *f)
{
	struct store *s = NULL;
	char err[512];
	if (store_open_nomigrate(f->sf.url, &s, err, sizeof(err)))
		fail_msg("opening a second store: %s", err);
	return s;
}

/* A libpq session of the test's own on the fixture's database (PostgreSQL). */
static PGconn *raw_session(const char *url)
{
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connecting: %s", PQerrorMessage(c));
	return c;
}

static void raw_exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
}

/* ---- lock and statement timeouts ------------------------------------------------------ */

/* The user's row locked by another connection (a writer of the same user,
 * psql's SELECT … FOR UPDATE): a write for that user waits the lock timeout,
 * not until the lock goes, and answers busy; once it goes, writes work. */
static void test_a_write_behind_a_held_lock_answers_busy_after_the_lock_timeout(void **state)
{
	struct fx *f = *state;
	struct store *other = second_store(f);
	assert_int_equal(store_tx_begin(other, f->alice.id), STORE_OK);
	double t0 = now_seconds();
	assert_int_equal(insert_app(f->s, f->alice.id, "Blocked"), STORE_BUSY);
	double waited = now_seconds() - t0;
	if (waited < LOCK_MS / 1000.0 * 0.8 || waited > 3.0)
		fail_msg("the write waited %.2f s for a lock timeout of %d ms", waited, LOCK_MS);
	assert_int_equal(store_tx_end(other, 0), STORE_OK);
	assert_int_equal(insert_app(f->s, f->alice.id, "After"), STORE_OK);
	store_close(other);
}

/* LOCK TABLE … ACCESS EXCLUSIVE (PostgreSQL; a long ALTER does the same):
 * reads of that table give up after the lock timeout, the health check's
 * round trip is not held up at all. SQLite readers never wait for a writer
 * (WAL): the same read works while another connection writes. */
static void test_a_read_behind_a_table_lock_answers_busy_and_ping_answers_at_once(void **state)
{
	struct fx *f = *state;
	struct application *apps;
	size_t n;
	assert_int_equal(insert_app(f->s, f->alice.id, "Readable"), STORE_OK);
	if (!is_postgres(f)) {
		struct store *other = second_store(f);
		assert_int_equal(store_tx_begin(other, f->alice.id), STORE_OK);
		assert_int_equal(store_app_list_all(f->s, f->alice.id, &f->a, &apps, &n), STORE_OK);
		assert_int_equal(n, 1);
		assert_int_equal(store_ping(f->s), STORE_OK);
		assert_int_equal(store_tx_end(other, 0), STORE_OK);
		store_close(other);
		return;
	}
	PGconn *locker = raw_session(f->sf.url);
	raw_exec(locker, "BEGIN");
	raw_exec(locker, "LOCK TABLE applications IN ACCESS EXCLUSIVE MODE");
	double t0 = now_seconds();
	assert_int_equal(store_ping(f->s), STORE_OK);
	assert_true(now_seconds() - t0 < 0.2);
	t0 = now_seconds();
	assert_int_equal(store_app_list_all(f->s, f->alice.id, &f->a, &apps, &n), STORE_BUSY);
	assert_true(now_seconds() - t0 < 3.0);
	raw_exec(locker, "ROLLBACK");
	PQfinish(locker);
	assert_int_equal(store_app_list_all(f->s, f->alice.id, &f->a, &apps, &n), STORE_OK);
	assert_int_equal(n, 1);
}

/* A statement running past the statement timeout is cancelled (57014) and
 * answers busy: here a read that would wait for a table lock far longer
 * than the statement may run (PostgreSQL only: SQLite has no such limit). */
static void test_a_statement_past_the_statement_timeout_answers_busy(void **state)
{
	struct fx *f = *state;
	if (!is_postgres(f))
		skip();
	store_set_timeouts(30000, LOCK_MS); /* for connections made from now on */
	struct store *slow = second_store(f);
	store_set_timeouts(LOCK_MS, STORE_STATEMENT_TIMEOUT_MS);
	PGconn *locker = raw_session(f->sf.url);
	raw_exec(locker, "BEGIN");
	raw_exec(locker, "LOCK TABLE applications IN ACCESS EXCLUSIVE MODE");
	struct application *apps;
	size_t n;
	double t0 = now_seconds();
	assert_int_equal(store_app_list_all(slow, f->alice.id, &f->a, &apps, &n), STORE_BUSY);
	double waited = now_seconds() - t0;
	if (waited > 5.0)
		fail_msg("the read ran %.2f s past a statement timeout of %d ms", waited, LOCK_MS);
	raw_exec(locker, "ROLLBACK");
	PQfinish(locker);
	assert_int_equal(store_app_list_all(slow, f->alice.id, &f->a, &apps, &n), STORE_OK);
	store_close(slow);
}

/* ---- a read-only database ------------------------------------------------------------- */

static void set_read_only(const struct fx *f, int on)
{
	PGconn *admin = raw_session(f->sf.admin_url);
	char sql[256];
	snprintf(sql, sizeof(sql), "ALTER DATABASE %s SET default_transaction_read_only = %s", f->sf.dbname,
		 on ? "on" : "off");
	raw_exec(admin, sql);
	PQfinish(admin);
}

/* As after failing over to a standby (or default_transaction_read_only
 * set): writes answer busy, never an internal error; store_read_only says
 * so, from what the server reported (no round trip); a connection from
 * before learns it from the first write refused; once the database takes
 * writes again, the health check's ping finds out and writes work. */
static void test_a_read_only_database_answers_writes_busy_and_says_so(void **state)
{
	struct fx *f = *state;
	if (!is_postgres(f))
		skip(); /* a SQLite file is opened for writing or not at all */
	assert_int_equal(store_read_only(f->s), 0);
	set_read_only(f, 1);
	/* A store connecting now knows at once. */
	struct store *fresh = second_store(f);
	assert_int_equal(store_read_only(fresh), 1);
	assert_int_equal(insert_app(fresh, f->alice.id, "Refused"), STORE_BUSY);
	struct application *apps;
	size_t n;
	assert_int_equal(store_app_list_all(fresh, f->alice.id, &f->a, &apps, &n), STORE_OK);
	assert_int_equal(store_ping(fresh), STORE_OK);
	assert_int_equal(store_read_only(fresh), 1);
	/* The first store's session is from before: it learns when its
	 * session is replaced (a failover ends every session). */
	assert_int_equal(store_read_only(f->s), 0);
	PGconn *admin = raw_session(f->sf.admin_url);
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s' AND pid <> "
		 "pg_backend_pid()",
		 f->sf.dbname);
	raw_exec(admin, sql);
	PQfinish(admin);
	int rc = STORE_BUSY;
	for (int i = 0; i < 3 && rc == STORE_BUSY; i++)
		rc = insert_app(f->s, f->alice.id, "Refused too");
	assert_int_equal(rc, STORE_BUSY);
	assert_int_equal(store_read_only(f->s), 1);
	set_read_only(f, 0);
	sleep(1); /* sessions are renewed at most once a second */
	assert_int_equal(store_ping(fresh), STORE_OK);
	assert_int_equal(store_read_only(fresh), 0);
	assert_int_equal(insert_app(fresh, f->alice.id, "Accepted"), STORE_OK);
	assert_int_equal(insert_app(f->s, f->alice.id, "Accepted too"), STORE_OK);
	assert_int_equal(store_app_list_all(f->s, f->alice.id, &f->a, &apps, &n), STORE_OK);
	assert_int_equal(n, 2);
	store_close(fresh);
}

/* ---- store_copy into a database that is not empty ------------------------------------- */

static struct store *copy_source(struct fx *f)
{
	assert_int_equal(store_fixture_make(&f->extra, "sqlite", 1), 0);
	struct user u;
	assert_int_equal(store_user_create(f->extra.s, "source@example.com", "h", 1, &u), STORE_OK);
	return f->extra.s;
}

/* The target has no users but one posting (or one setting): the copy is
 * refused before anything is written, naming the table and what to do. */
static void test_copy_refuses_a_target_with_rows_in_any_table_and_names_it(void **state)
{
	struct fx *f = *state;
	struct store *src = copy_source(f);
	struct posting_ingest in;
	memset(&in, 0, sizeof(in));
	in.posting.canonical_key = "acme|engineer";
	in.posting.title = "Engineer";
	in.posting.company = "Acme";
	in.source = "file";
	in.external_id = "1";
	in.content_hash = "h1";
	in.seen_at = 1000;
	in.source_rank = 5;
	in.max_distance = 3;
	enum posting_change change;
	int64_t id;
	assert_int_equal(store_posting_ingest(f->s, &in, &change, &id), STORE_OK);
	char err[512] = "";
	assert_int_equal(store_copy(src, f->s, NULL, NULL, err, sizeof(err)), STORE_CONFLICT);
	if (!strstr(err, "postings table has rows") || !strstr(err, "empty"))
		fail_msg("the message does not name the table and what to do: %s", err);
	int64_t users = -1;
	assert_int_equal(store_user_count(f->s, &users), STORE_OK);
	assert_int_equal(users, 0);
}

static void test_copy_refuses_a_target_with_a_setting(void **state)
{
	struct fx *f = *state;
	struct store *src = copy_source(f);
	assert_int_equal(store_setting_set(f->s, "signup_open", "0"), STORE_OK);
	char err[512] = "";
	assert_int_equal(store_copy(src, f->s, NULL, NULL, err, sizeof(err)), STORE_CONFLICT);
	if (!strstr(err, "settings table has rows"))
		fail_msg("the message does not name the table: %s", err);
}

/* What the log (stderr) gets while fn runs. */
static void capture_stderr(void (*fn)(struct fx *), struct fx *f, char *out, size_t outlen)
{
	char path[] = "/tmp/jt-busy-log-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	fn(f);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	ssize_t n = pread(fd, out, outlen - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
}

static void write_setting_twice(struct fx *f)
{
	const struct copy_table *settings = &store_copy_tables[0];
	assert_string_equal(settings->name, "settings");
	struct copy_value row[2] = { { .type = COPY_TEXT, .text = "copied_key", .len = 10 },
				     { .type = COPY_TEXT, .text = "v", .len = 1 } };
	assert_int_equal(f->s->core->copy_write(f->s, settings, row), STORE_OK);
	assert_int_equal(f->s->core->copy_write(f->s, settings, row), STORE_CONFLICT);
}

/* A copy write the database refuses (here a duplicate key, which the
 * store answers as a conflict without logging elsewhere) is logged with
 * the database's own message and the table, for `migrate --copy-to`'s
 * "see the log". */
static void test_a_failed_copy_write_logs_the_database_message(void **state)
{
	struct fx *f = *state;
	char log[8192];
	capture_stderr(write_setting_twice, f, log, sizeof(log));
	if (!strstr(log, "writing a row of settings failed") ||
	    !(strstr(log, "duplicate key") || strstr(log, "UNIQUE constraint failed")))
		fail_msg("the log does not say what the database refused:\n%s", log);
}

int main(void)
{
	if (!store_fixture_backend()) {
		fprintf(stderr, "JT_TEST_STORE_URL must be unset, sqlite, or a postgres:// URL\n");
		return 1;
	}
	store_set_timeouts(LOCK_MS, STORE_STATEMENT_TIMEOUT_MS);
#define T(fn)      cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define T_BARE(fn) cmocka_unit_test_setup_teardown(fn, setup_bare, teardown)
	const struct CMUnitTest tests[] = {
		T(test_a_write_behind_a_held_lock_answers_busy_after_the_lock_timeout),
		T(test_a_read_behind_a_table_lock_answers_busy_and_ping_answers_at_once),
		T(test_a_statement_past_the_statement_timeout_answers_busy),
		T(test_a_read_only_database_answers_writes_busy_and_says_so),
		T_BARE(test_copy_refuses_a_target_with_rows_in_any_table_and_names_it),
		T_BARE(test_copy_refuses_a_target_with_a_setting),
		T_BARE(test_a_failed_copy_write_logs_the_database_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
