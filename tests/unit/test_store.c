/* The store's contract suite: every guarantee and function of store/store.h,
 * written against store.h alone, so that it runs unchanged on every backend.
 *
 * JT_TEST_STORE_URL picks the backend (see store_fixture.h): unset means a
 * fresh SQLite file per test, a postgres:// URL a fresh database per test on
 * that server. scripts/test.sh runs this suite once per backend. Details only
 * one backend has (SQLite's migrations and file modes) are in
 * test_store_sqlite.c; the rules above the store (timeline entries for status
 * changes, follow-up dates) are the tracker service's, in
 * test_tracker_service.c.
 *
 * Each test gets a fresh store and two users: alice (created first, so admin)
 * and bob.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/log.h"
#include "store/store.h"
#include "store_fixture.h"

/* ---- fixture ------------------------------------------------------------ */

struct fx {
	struct store_fixture sf;
	struct store_fixture extra; /* a second store some tests make (store_copy's source) */
	struct store *s;
	struct arena a;
	struct user alice, bob;
};

static int fx_alloc(void **state, int open)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	arena_init(&f->a, 0);
	*state = f;
	if (store_fixture_make(&f->sf, NULL, open))
		return -1;
	f->s = f->sf.s;
	return 0;
}

/* A fresh, empty database: nothing opened (f->s NULL), f->sf.url to open. */
static int setup_unopened(void **state)
{
	return fx_alloc(state, 0);
}

/* An opened store without users. */
static int setup_bare(void **state)
{
	return fx_alloc(state, 1);
}

/* An opened store with users alice (first, admin) and bob. */
static int setup(void **state)
{
	if (fx_alloc(state, 1))
		return -1;
	struct fx *f = *state;
	if (store_user_create(f->s, "alice@example.com", "hash-a", 1000, &f->alice) ||
	    store_user_create(f->s, "bob@example.com", "hash-b", 1001, &f->bob)) {
		fprintf(stderr, "setup: creating users failed\n");
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	f->sf.s = f->s;
	store_fixture_destroy(&f->sf);
	store_fixture_destroy(&f->extra);
	arena_free(&f->a);
	free(f);
	return 0;
}

/* Closes and reopens the store on the same database. */
static void reopen(struct fx *f)
{
	store_close(f->s);
	f->s = NULL;
	char err[256] = "";
	if (store_open(f->sf.url, &f->s, err, sizeof(err)))
		fail_msg("reopening %s: %s", f->sf.url, err);
}

static void hash_of(uint8_t h[32], unsigned char seed)
{
	for (int i = 0; i < 32; i++)
		h[i] = (uint8_t)(seed + i * 7);
}

/* An application with every text field set ("" where empty), status
 * "saved", no tags, salary or dates. */
static void app_blank(struct application *app, const char *company)
{
	memset(app, 0, sizeof(*app));
	app->company = (char *)company;
	app->position = "Engineer";
	app->location = "";
	app->url = "";
	app->source = "";
	app->salary_currency = "";
	app->salary_period = "";
	app->status = "saved";
	app->notes = "";
}

static int64_t add_app(struct fx *f, int64_t user, const char *company, int64_t now)
{
	struct application app;
	app_blank(&app, company);
	assert_int_equal(store_app_insert(f->s, user, &app, now), STORE_OK);
	assert_true(app.id > 0);
	return app.id;
}

static struct application get_app(struct fx *f, int64_t user, int64_t id)
{
	struct application app;
	assert_int_equal(store_app_get(f->s, user, id, &f->a, &app), STORE_OK);
	return app;
}

static void event_blank(struct app_event *ev, int64_t app_id, const char *kind, int64_t at)
{
	memset(ev, 0, sizeof(*ev));
	ev->app_id = app_id;
	ev->kind = (char *)kind;
	ev->at = at;
	ev->title = "";
	ev->body = "";
	ev->interview_kind = "";
	ev->with_whom = "";
}

static int64_t add_event(struct fx *f, int64_t user, int64_t app_id, const char *kind, int64_t at)
{
	struct app_event ev;
	event_blank(&ev, app_id, kind, at);
	assert_int_equal(store_event_insert(f->s, user, &ev, at), STORE_OK);
	assert_true(ev.id > 0);
	return ev.id;
}

static void contact_blank(struct contact *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	c->name = (char *)name;
	c->role = c->email = c->phone = c->url = c->notes = "";
}

static int64_t add_contact(struct fx *f, int64_t user, const char *name, int64_t now)
{
	struct contact c;
	contact_blank(&c, name);
	assert_int_equal(store_contact_insert(f->s, user, &c, now), STORE_OK);
	assert_true(c.id > 0);
	return c.id;
}

static int64_t list_total(struct fx *f, int64_t user, const struct app_filter *flt)
{
	struct application *items;
	size_t n;
	int64_t total = -1;
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
	int same = n == n_want;
	for (size_t i = 0; same && i < n; i++)
		same = strcmp(items[i].company, want[i]) == 0;
	if (!same) {
		for (size_t i = 0; i < n; i++)
			printf("    got[%zu] = %s\n", i, items[i].company);
		for (size_t i = 0; i < n_want; i++)
			printf("    want[%zu] = %s\n", i, want[i]);
		fail_msg("listed %zu applications, want %zu, in that order", n, n_want);
	}
}

static int64_t data_version(struct fx *f, int64_t user)
{
	struct user u;
	assert_int_equal(store_user_by_id(f->s, user, &u), STORE_OK);
	return u.data_version;
}

/* Expects the user's data version to have moved on since *last; remembers it. */
static void expect_bumped(struct fx *f, int64_t user, int64_t *last, const char *what)
{
	int64_t v = data_version(f, user);
	if (v == *last)
		fail_msg("%s did not change the data version (%lld)", what, (long long)v);
	*last = v;
}

static void expect_unchanged(struct fx *f, int64_t user, int64_t last, const char *what)
{
	int64_t v = data_version(f, user);
	if (v != last)
		fail_msg("%s changed the data version (%lld -> %lld)", what, (long long)last, (long long)v);
}

/* ---- opening, schema ------------------------------------------------------ */

static void test_backend_name_is_the_configured_one(void **state)
{
	struct fx *f = *state;
	assert_string_equal(store_backend_name(f->s), f->sf.backend);
	assert_int_equal(store_ping(f->s), STORE_OK);
}

static void test_schema_is_current_and_migrating_again_is_a_no_op(void **state)
{
	struct fx *f = *state;
	int v = -1, latest = -1;
	assert_int_equal(store_schema_version(f->s, &v, &latest), STORE_OK);
	assert_true(latest >= 6);
	assert_int_equal(v, latest);
	int from = -1, to = -1;
	assert_int_equal(store_migrate(f->s, &from, &to), STORE_OK);
	assert_int_equal(from, latest);
	assert_int_equal(to, latest);
	reopen(f);
	assert_int_equal(store_schema_version(f->s, &v, &latest), STORE_OK);
	assert_int_equal(v, latest);
}

static void test_open_nomigrate_then_migrate(void **state)
{
	struct fx *f = *state;
	char err[256] = "";
	assert_int_equal(store_open_nomigrate(f->sf.url, &f->s, err, sizeof(err)), STORE_OK);
	assert_string_equal(store_backend_name(f->s), f->sf.backend);
	int v = -1, latest = -1;
	assert_int_equal(store_schema_version(f->s, &v, &latest), STORE_OK);
	assert_int_equal(v, 0);
	assert_true(latest >= 6);
	int from = -1, to = -1;
	assert_int_equal(store_migrate(f->s, &from, &to), STORE_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, latest);
	assert_int_equal(store_schema_version(f->s, &v, &latest), STORE_OK);
	assert_int_equal(v, latest);
	struct user u;
	assert_int_equal(store_user_create(f->s, "x@example.com", "h", 5, &u), STORE_OK);
	assert_int_equal(store_ping(f->s), STORE_OK);
}

/* Two stores migrating the same fresh database at once both end up current. */
struct migrator {
	const char *url;
	int rc, to;
};

static void *migrate_main(void *p)
{
	struct migrator *m = p;
	struct store *s = NULL;
	char err[256];
	m->rc = store_open_nomigrate(m->url, &s, err, sizeof(err));
	int from;
	if (!m->rc)
		m->rc = store_migrate(s, &from, &m->to);
	store_close(s);
	return NULL;
}

static void test_concurrent_migrations_are_safe(void **state)
{
	struct fx *f = *state;
	enum { N = 3 };
	pthread_t th[N];
	struct migrator m[N];
	for (int i = 0; i < N; i++) {
		m[i] = (struct migrator){ .url = f->sf.url, .rc = -99 };
		assert_int_equal(pthread_create(&th[i], NULL, migrate_main, &m[i]), 0);
	}
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	char err[256] = "";
	assert_int_equal(store_open(f->sf.url, &f->s, err, sizeof(err)), STORE_OK);
	int v, latest;
	assert_int_equal(store_schema_version(f->s, &v, &latest), STORE_OK);
	for (int i = 0; i < N; i++) {
		assert_int_equal(m[i].rc, STORE_OK);
		assert_int_equal(m[i].to, latest);
	}
	assert_int_equal(v, latest);
}

static void test_reopen_keeps_data(void **state)
{
	struct fx *f = *state;
	int64_t id = add_app(f, f->alice.id, "Acme", 2000);
	reopen(f);
	int64_t count = 0;
	assert_int_equal(store_user_count(f->s, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_string_equal(get_app(f, f->alice.id, id).company, "Acme");
}

static void test_open_rejects_unknown_urls(void **state)
{
	(void)state;
	static const char *const bad[] = { "mysql://h/db", "", "/tmp/x.db", "sqlite", "http://example.com/" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct store *s = (struct store *)&s;
		char err[256] = "";
		assert_int_not_equal(store_open(bad[i], &s, err, sizeof(err)), STORE_OK);
		assert_null(s);
		if (!err[0])
			fail_msg("no message for \"%s\"", bad[i]);
	}
}

/* ---- settings, rate limits -------------------------------------------------- */

static void test_settings_get_set(void **state)
{
	struct fx *f = *state;
	char v[32] = "junk";
	assert_int_equal(store_setting_get(f->s, "signup_open", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "");
	assert_int_equal(store_setting_set(f->s, "signup_open", "0"), STORE_OK);
	assert_int_equal(store_setting_set(f->s, "other", "x"), STORE_OK);
	assert_int_equal(store_setting_get(f->s, "signup_open", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "0");
	assert_int_equal(store_setting_set(f->s, "signup_open", "1"), STORE_OK);
	reopen(f);
	assert_int_equal(store_setting_get(f->s, "signup_open", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "1");
	assert_int_equal(store_setting_get(f->s, "other", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "x");
}

static void test_limit_counts_within_a_window_and_caps(void **state)
{
	struct fx *f = *state;
	const int64_t limit = 3, window = 600, t0 = 100000;
	int64_t count = -1, end = -1, end0 = -1;
	assert_int_equal(store_limit_peek(f->s, "ip:1", window, t0, &count), STORE_OK);
	assert_int_equal(count, 0);
	for (int64_t i = 1; i <= limit; i++) {
		assert_int_equal(store_limit_hit(f->s, "ip:1", limit, window, t0 + i, &count, &end), STORE_OK);
		assert_int_equal(count, i);
		if (i == 1)
			end0 = end;
		assert_int_equal(end, end0); /* one window, one end */
	}
	assert_true(end0 > t0 && end0 <= t0 + 1 + window);
	/* Past the limit the count stays at limit + 1. */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(store_limit_hit(f->s, "ip:1", limit, window, t0 + 10 + i, &count, &end), STORE_OK);
		assert_int_equal(count, limit + 1);
		assert_int_equal(end, end0);
	}
	assert_int_equal(store_limit_peek(f->s, "ip:1", window, t0 + 20, &count), STORE_OK);
	assert_int_equal(count, limit + 1);
	/* Keys are counted apart. */
	assert_int_equal(store_limit_hit(f->s, "ip:2", limit, window, t0 + 20, &count, &end), STORE_OK);
	assert_int_equal(count, 1);
	assert_int_equal(store_limit_peek(f->s, "nobody", window, t0 + 20, &count), STORE_OK);
	assert_int_equal(count, 0);

	/* The last second of the window still counts; when it closes, a new one starts. */
	assert_int_equal(store_limit_peek(f->s, "ip:1", window, end0 - 1, &count), STORE_OK);
	assert_int_equal(count, limit + 1);
	assert_int_equal(store_limit_peek(f->s, "ip:1", window, end0, &count), STORE_OK);
	assert_int_equal(count, 0);
	assert_int_equal(store_limit_hit(f->s, "ip:1", limit, window, end0 + 5, &count, &end), STORE_OK);
	assert_int_equal(count, 1);
	assert_true(end > end0 && end <= end0 + 5 + window);
	/* ip:2 is still in its own window. */
	assert_int_equal(store_limit_peek(f->s, "ip:2", window, t0 + 21, &count), STORE_OK);
	assert_int_equal(count, 1);
}

static void test_limit_reset_forgets_a_key(void **state)
{
	struct fx *f = *state;
	int64_t count, end;
	for (int i = 0; i < 4; i++)
		assert_int_equal(store_limit_hit(f->s, "acct:a", 10, 300, 5000 + i, &count, &end), STORE_OK);
	assert_int_equal(store_limit_hit(f->s, "acct:b", 10, 300, 5000, &count, &end), STORE_OK);
	assert_int_equal(store_limit_reset(f->s, "acct:a"), STORE_OK);
	assert_int_equal(store_limit_peek(f->s, "acct:a", 300, 5010, &count), STORE_OK);
	assert_int_equal(count, 0);
	assert_int_equal(store_limit_hit(f->s, "acct:a", 10, 300, 5011, &count, &end), STORE_OK);
	assert_int_equal(count, 1);
	assert_int_equal(end, 5011 + 300);
	assert_int_equal(store_limit_peek(f->s, "acct:b", 300, 5011, &count), STORE_OK);
	assert_int_equal(count, 1);
	/* Resetting an unknown key is fine. */
	assert_int_equal(store_limit_reset(f->s, "acct:none"), STORE_OK);
}

/* A family's new window sweeps ended rows of that family only: a shorter
 * window elsewhere (the imports' 600 s) must not cut the log-in counters'
 * longer one short, and a family's own ended rows do go. */
static void test_limit_sweeps_only_its_own_family(void **state)
{
	struct fx *f = *state;
	int64_t count, end;
	assert_int_equal(store_limit_hit(f->s, "login:a|1.2.3.4", 10, 900, 1000, &count, &end), STORE_OK);
	assert_int_equal(store_limit_hit(f->s, "login:a|1.2.3.4", 10, 900, 1001, &count, &end), STORE_OK);
	assert_int_equal(store_limit_hit(f->s, "import:1", 10, 100, 1000, &count, &end), STORE_OK);
	/* A new import window at 1500: the log-in row is 500 s into its 900. */
	assert_int_equal(store_limit_hit(f->s, "import:2", 10, 100, 1500, &count, &end), STORE_OK);
	assert_int_equal(count, 1);
	assert_int_equal(store_limit_peek(f->s, "login:a|1.2.3.4", 900, 1500, &count), STORE_OK);
	assert_int_equal(count, 2);
	/* import:1's window ended: its family's sweep took it (peek with a
	 * longer window would still see a row that was kept). */
	assert_int_equal(store_limit_peek(f->s, "import:1", 1000000, 1500, &count), STORE_OK);
	assert_int_equal(count, 0);
	/* And the log-in family sweeps its own when its time comes. */
	assert_int_equal(store_limit_hit(f->s, "login:b|5.6.7.8", 10, 900, 2000, &count, &end), STORE_OK);
	assert_int_equal(store_limit_peek(f->s, "login:a|1.2.3.4", 1000000, 2000, &count), STORE_OK);
	assert_int_equal(count, 0);
}

/* Log-in addresses: known per user and address until keep has passed
 * since the last log-in from there; a later write sweeps older rows. */
static void test_login_addresses_are_remembered_for_a_while(void **state)
{
	struct fx *f = *state;
	const int64_t keep = 1000, t0 = 50000;
	int known = -1;
	assert_int_equal(store_login_address_known(f->s, f->alice.id, "10.0.0.1", t0 - keep, &known), STORE_OK);
	assert_int_equal(known, 0);
	assert_int_equal(store_login_address_add(f->s, f->alice.id, "10.0.0.1", t0, keep), STORE_OK);
	assert_int_equal(store_login_address_known(f->s, f->alice.id, "10.0.0.1", t0 - keep, &known), STORE_OK);
	assert_int_equal(known, 1);
	/* Per user and per address. */
	assert_int_equal(store_login_address_known(f->s, f->bob.id, "10.0.0.1", t0 - keep, &known), STORE_OK);
	assert_int_equal(known, 0);
	assert_int_equal(store_login_address_known(f->s, f->alice.id, "10.0.0.2", t0 - keep, &known), STORE_OK);
	assert_int_equal(known, 0);
	/* Known while the last log-in is after since. */
	assert_int_equal(store_login_address_known(f->s, f->alice.id, "10.0.0.1", t0 - 1, &known), STORE_OK);
	assert_int_equal(known, 1);
	assert_int_equal(store_login_address_known(f->s, f->alice.id, "10.0.0.1", t0, &known), STORE_OK);
	assert_int_equal(known, 0);
	/* A later log-in moves it on; an older one (a slow process) does not move it back. */
	assert_int_equal(store_login_address_add(f->s, f->alice.id, "10.0.0.1", t0 + 500, keep), STORE_OK);
	assert_int_equal(store_login_address_add(f->s, f->alice.id, "10.0.0.1", t0 + 100, keep), STORE_OK);
	assert_int_equal(store_login_address_known(f->s, f->alice.id, "10.0.0.1", t0 + 499, &known), STORE_OK);
	assert_int_equal(known, 1);
	/* A write keep later sweeps it: asking with an old since finds nothing left. */
	assert_int_equal(store_login_address_add(f->s, f->bob.id, "10.0.0.9", t0 + 500 + keep, keep), STORE_OK);
	assert_int_equal(store_login_address_known(f->s, f->alice.id, "10.0.0.1", 0, &known), STORE_OK);
	assert_int_equal(known, 0);
	assert_int_equal(store_login_address_known(f->s, f->bob.id, "10.0.0.9", 0, &known), STORE_OK);
	assert_int_equal(known, 1);
}

/* Counters are shared: hits from many threads (and a second store on the
 * same database, as another process would have) all count. */
struct hitter {
	struct store *s;
	int n, failures;
	int64_t max_seen;
};

static void *hitter_main(void *p)
{
	struct hitter *h = p;
	for (int i = 0; i < h->n; i++) {
		int64_t count, end;
		if (store_limit_hit(h->s, "shared", 1000, 3600, 7000, &count, &end))
			h->failures++;
		else if (count > h->max_seen)
			h->max_seen = count;
	}
	return NULL;
}

static void test_limit_counts_are_shared(void **state)
{
	struct fx *f = *state;
	struct store *other = NULL;
	char err[256] = "";
	assert_int_equal(store_open(f->sf.url, &other, err, sizeof(err)), STORE_OK);
	enum { THREADS = 4, EACH = 20 };
	pthread_t th[THREADS];
	struct hitter h[THREADS];
	for (int i = 0; i < THREADS; i++) {
		h[i] = (struct hitter){ .s = i % 2 ? other : f->s, .n = EACH };
		assert_int_equal(pthread_create(&th[i], NULL, hitter_main, &h[i]), 0);
	}
	int64_t max_seen = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(h[i].failures, 0);
		if (h[i].max_seen > max_seen)
			max_seen = h[i].max_seen;
	}
	int64_t count = 0;
	assert_int_equal(store_limit_peek(other, "shared", 3600, 7001, &count), STORE_OK);
	store_close(other);
	assert_int_equal(count, THREADS * EACH);
	assert_int_equal(max_seen, THREADS * EACH);
}

/* ---- users ----------------------------------------------------------------- */

static void collect_ids(const struct user *u, void *ctx)
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
	assert_int_equal(f->alice.created_at, 1000);
	assert_int_equal(f->bob.created_at, 1001);

	int64_t count = 0;
	assert_int_equal(store_user_count(f->s, &count), STORE_OK);
	assert_int_equal(count, 2);
	struct user c;
	assert_int_equal(store_user_create(f->s, "carol@example.com", "hash-c", 1002, &c), STORE_OK);
	assert_false(c.is_admin);
	int64_t ids[8] = { 0 };
	assert_int_equal(store_user_each(f->s, collect_ids, ids), STORE_OK);
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[1], f->alice.id);
	assert_int_equal(ids[2], f->bob.id);
	assert_int_equal(ids[3], c.id);

	/* Once there are users, removing admin from all of them does not make the
	 * next one admin: only the first user ever is. */
	struct user u;
	assert_int_equal(store_user_set_admin(f->s, f->bob.id, 1, 2000), STORE_OK);
	assert_int_equal(store_user_by_id(f->s, f->bob.id, &u), STORE_OK);
	assert_true(u.is_admin);
	assert_int_equal(store_user_set_admin(f->s, f->alice.id, 0, 2001), STORE_OK);
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &u), STORE_OK);
	assert_false(u.is_admin);
	assert_string_equal(u.password_hash, "hash-a");
	assert_int_equal(store_user_set_admin(f->s, f->bob.id, 0, 2002), STORE_OK);
	assert_int_equal(store_user_create(f->s, "dave@example.com", "h", 2003, &u), STORE_OK);
	assert_false(u.is_admin);
}

struct signup {
	struct store *s;
	char email[64];
	int rc;
	struct user u;
};

static void *signup_main(void *p)
{
	struct signup *g = p;
	g->rc = store_user_create(g->s, g->email, "h", 3000, &g->u);
	return NULL;
}

static void test_racing_first_sign_ups_make_one_admin(void **state)
{
	struct fx *f = *state;
	struct store *other = NULL;
	char err[256] = "";
	assert_int_equal(store_open(f->sf.url, &other, err, sizeof(err)), STORE_OK);
	enum { N = 6 };
	pthread_t th[N];
	struct signup g[N];
	for (int i = 0; i < N; i++) {
		g[i] = (struct signup){ .s = i % 2 ? other : f->s, .rc = -99 };
		snprintf(g[i].email, sizeof(g[i].email), "racer%d@example.com", i);
		assert_int_equal(pthread_create(&th[i], NULL, signup_main, &g[i]), 0);
	}
	int admins = 0;
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(g[i].rc, STORE_OK);
		admins += g[i].u.is_admin != 0;
	}
	store_close(other);
	assert_int_equal(admins, 1);
	int64_t count = 0;
	assert_int_equal(store_user_count(f->s, &count), STORE_OK);
	assert_int_equal(count, N);
	/* What the store kept agrees with what the callers were told. */
	for (int i = 0; i < N; i++) {
		struct user u;
		assert_int_equal(store_user_by_id(f->s, g[i].u.id, &u), STORE_OK);
		assert_int_equal(u.is_admin != 0, g[i].u.is_admin != 0);
	}
}

static void test_email_is_unique_ignoring_case(void **state)
{
	struct fx *f = *state;
	struct user u;
	assert_int_equal(store_user_create(f->s, "ALICE@Example.COM", "h", 5, &u), STORE_CONFLICT);
	assert_int_equal(store_user_create(f->s, "bob@example.com", "h", 5, &u), STORE_CONFLICT);
	int64_t count = 0;
	assert_int_equal(store_user_count(f->s, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_int_equal(store_user_by_email(f->s, "Alice@EXAMPLE.com", &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
	assert_string_equal(u.email, "alice@example.com"); /* as it was given */
	assert_int_equal(store_user_create(f->s, "Mixed@Case.Example", "h", 5, &u), STORE_OK);
	assert_string_equal(u.email, "Mixed@Case.Example");
	assert_int_equal(store_user_by_email(f->s, "mixed@case.example", &u), STORE_OK);
	assert_string_equal(u.email, "Mixed@Case.Example");
	/* Only ASCII case is ignored: a different non-ASCII letter is another address. */
	assert_int_equal(store_user_create(f->s, "\xc3\xa9lodie@example.com", "h", 5, &u), STORE_OK); /* élodie */
	assert_int_equal(store_user_create(f->s, "\xc3\x89LODIE@example.com", "h", 5, &u), STORE_OK); /* ÉLODIE */
	assert_int_equal(store_user_create(f->s, "\xc3\xa9LODIE@EXAMPLE.COM", "h", 5, &u), STORE_CONFLICT);
}

static void test_user_lookups_not_found(void **state)
{
	struct fx *f = *state;
	struct user u;
	assert_int_equal(store_user_by_email(f->s, "nobody@example.com", &u), STORE_NOTFOUND);
	assert_int_equal(store_user_by_id(f->s, 999999, &u), STORE_NOTFOUND);
	assert_int_equal(store_user_set_password(f->s, 999999, "h", NULL, 10), STORE_NOTFOUND);
	assert_int_equal(store_user_set_admin(f->s, 999999, 1, 10), STORE_NOTFOUND);
}

/* ---- sessions -------------------------------------------------------------- */

static void test_sessions_lookup_expiry_delete(void **state)
{
	struct fx *f = *state;
	const int64_t now = 1700000000;
	uint8_t h[32], other[32];
	hash_of(h, 1);
	hash_of(other, 2);
	assert_int_equal(store_session_create(f->s, f->alice.id, h, now, now + 100, "UA", "127.0.0.1"), STORE_OK);
	struct user u;
	assert_int_equal(store_session_user(f->s, h, now, &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
	assert_string_equal(u.email, "alice@example.com");
	assert_int_equal(u.token_version, f->alice.token_version);
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
	uint8_t old[32], live[32], fresh[32];
	hash_of(old, 3);
	hash_of(live, 4);
	hash_of(fresh, 5);
	assert_int_equal(store_session_create(f->s, f->alice.id, old, 100, 200, "", ""), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->alice.id, live, 100, 5000, "", ""), STORE_OK);
	/* Creating a session at 1000 sweeps the one that ended at 200, so asking
	 * about it "as of 150" (when it was live) finds nothing any more. */
	assert_int_equal(store_session_create(f->s, f->bob.id, fresh, 1000, 5000, "", ""), STORE_OK);
	struct user u;
	assert_int_equal(store_session_user(f->s, old, 150, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_user(f->s, live, 150, &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
	assert_int_equal(store_session_user(f->s, fresh, 1000, &u), STORE_OK);
	assert_int_equal(u.id, f->bob.id);
}

static void test_session_list_and_revoke(void **state)
{
	struct fx *f = *state;
	const int64_t now = 50000;
	uint8_t a1[32], a2[32], a3[32], b1[32];
	hash_of(a1, 11);
	hash_of(a2, 12);
	hash_of(a3, 13);
	hash_of(b1, 14);
	assert_int_equal(store_session_create(f->s, f->alice.id, a1, now - 300, now + 1000, "Firefox", "10.0.0.1"),
			 STORE_OK);
	assert_int_equal(store_session_create(f->s, f->alice.id, a2, now - 200, now + 1000, "Chromium", "::1"),
			 STORE_OK);
	/* Live when made, over by `now`. */
	assert_int_equal(store_session_create(f->s, f->alice.id, a3, now - 100, now - 10, "Old", ""), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->bob.id, b1, now - 100, now + 1000, "Bob's", ""), STORE_OK);

	struct session_info *list;
	size_t n = 99;
	assert_int_equal(store_session_list(f->s, f->alice.id, a1, now, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	/* Newest first; `current` marks the caller's. */
	assert_int_equal(list[0].created_at, now - 200);
	assert_int_equal(list[0].expires_at, now + 1000);
	assert_string_equal(list[0].user_agent, "Chromium");
	assert_string_equal(list[0].address, "::1");
	assert_false(list[0].current);
	assert_string_equal(list[1].user_agent, "Firefox");
	assert_string_equal(list[1].address, "10.0.0.1");
	assert_true(list[1].current);
	int64_t id_a1 = list[1].id, id_a2 = list[0].id;
	assert_true(id_a1 > 0 && id_a2 > 0 && id_a1 != id_a2);
	assert_int_equal(store_session_list(f->s, f->alice.id, NULL, now, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_false(list[0].current || list[1].current);
	/* Another user's session is not "current" for alice even if passed. */
	assert_int_equal(store_session_list(f->s, f->alice.id, b1, now, &f->a, &list, &n), STORE_OK);
	assert_false(list[0].current || list[1].current);

	/* Bob cannot end alice's session. */
	assert_int_equal(store_session_revoke(f->s, f->bob.id, id_a2), STORE_NOTFOUND);
	struct user u;
	assert_int_equal(store_session_user(f->s, a2, now, &u), STORE_OK);
	assert_int_equal(store_session_revoke(f->s, f->alice.id, id_a2), STORE_OK);
	assert_int_equal(store_session_user(f->s, a2, now, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_revoke(f->s, f->alice.id, id_a2), STORE_NOTFOUND);
	assert_int_equal(store_session_list(f->s, f->alice.id, a1, now, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, id_a1);
	assert_int_equal(store_session_list(f->s, f->bob.id, b1, now, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_true(list[0].current);
}

static void test_sessions_end_others(void **state)
{
	struct fx *f = *state;
	const int64_t now = 60000;
	uint8_t keep[32], other[32], third[32], bobs[32];
	hash_of(keep, 21);
	hash_of(other, 22);
	hash_of(third, 23);
	hash_of(bobs, 24);
	assert_int_equal(store_session_create(f->s, f->alice.id, keep, now, now + 100, "", ""), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->alice.id, other, now, now + 100, "", ""), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->alice.id, third, now, now + 100, "", ""), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->bob.id, bobs, now, now + 100, "", ""), STORE_OK);
	assert_int_equal(store_sessions_end_others(f->s, f->alice.id, keep), STORE_OK);
	struct user u;
	assert_int_equal(store_session_user(f->s, keep, now, &u), STORE_OK);
	assert_int_equal(store_session_user(f->s, other, now, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_user(f->s, third, now, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_user(f->s, bobs, now, &u), STORE_OK);
	assert_int_equal(store_sessions_end_others(f->s, f->alice.id, NULL), STORE_OK);
	assert_int_equal(store_session_user(f->s, keep, now, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_user(f->s, bobs, now, &u), STORE_OK);
}

static void test_set_password_bumps_version_and_ends_other_sessions(void **state)
{
	struct fx *f = *state;
	const int64_t now = 70000;
	uint8_t keep[32], other[32], bobs[32];
	hash_of(keep, 31);
	hash_of(other, 32);
	hash_of(bobs, 33);
	assert_int_equal(store_session_create(f->s, f->alice.id, keep, now, now + 1000, "", ""), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->alice.id, other, now, now + 1000, "", ""), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->bob.id, bobs, now, now + 1000, "", ""), STORE_OK);

	assert_int_equal(store_user_set_password(f->s, f->alice.id, "new-hash", keep, now + 1), STORE_OK);
	struct user u;
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &u), STORE_OK);
	assert_string_equal(u.password_hash, "new-hash");
	assert_int_equal(u.token_version, f->alice.token_version + 1);
	assert_int_equal(store_session_user(f->s, keep, now, &u), STORE_OK);
	assert_int_equal(u.token_version, f->alice.token_version + 1);
	assert_int_equal(store_session_user(f->s, other, now, &u), STORE_NOTFOUND);
	assert_int_equal(store_session_user(f->s, bobs, now, &u), STORE_OK);
	assert_int_equal(u.id, f->bob.id);
	assert_int_equal(u.token_version, f->bob.token_version);

	assert_int_equal(store_user_set_password(f->s, f->alice.id, "newer-hash", NULL, now + 2), STORE_OK);
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
	hash_of(h1, 41);
	hash_of(h2, 42);
	hash_of(hb, 43);
	hash_of(unknown, 44);
	int64_t t1 = 0, t2 = 0, tb = 0;
	assert_int_equal(store_token_create(f->s, f->alice.id, "laptop", "jt_abc", h1, 1000, &t1), STORE_OK);
	assert_int_equal(store_token_create(f->s, f->alice.id, "ci", "jt_def", h2, 1001, &t2), STORE_OK);
	assert_int_equal(store_token_create(f->s, f->bob.id, "bob's", "jt_ghi", hb, 1002, &tb), STORE_OK);
	assert_true(t1 > 0 && t2 > t1 && tb > t2);
	int64_t dup = 0;
	assert_int_equal(store_token_create(f->s, f->bob.id, "dup", "jt_x", h1, 1003, &dup), STORE_CONFLICT);

	struct user u;
	assert_int_equal(store_token_user(f->s, h1, 2000, &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
	assert_string_equal(u.email, "alice@example.com");
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
	assert_string_equal(list[1].name, "laptop");
	assert_int_equal(list[1].last_used_at, 2000);

	/* Bob cannot revoke alice's token; alice can, once. */
	assert_int_equal(store_token_revoke(f->s, f->bob.id, t1, 2001), STORE_NOTFOUND);
	assert_int_equal(store_token_user(f->s, h1, 2001, &u), STORE_OK);
	assert_int_equal(store_token_revoke(f->s, f->alice.id, t1, 2002), STORE_OK);
	assert_int_equal(store_token_revoke(f->s, f->alice.id, t1, 2003), STORE_NOTFOUND);
	assert_int_equal(store_token_user(f->s, h1, 2004, &u), STORE_NOTFOUND);
	assert_int_equal(store_token_list(f->s, f->alice.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, t2);
	assert_int_equal(store_token_list(f->s, f->bob.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, tb);
}

static void test_token_use_is_noted_once_a_minute(void **state)
{
	struct fx *f = *state;
	uint8_t h[32];
	hash_of(h, 50);
	int64_t id;
	assert_int_equal(store_token_create(f->s, f->alice.id, "t", "jt_", h, 100, &id), STORE_OK);
	struct user u;
	struct api_token *list;
	size_t n;
	static const struct {
		int64_t use, noted;
	} steps[] = { { 1000, 1000 }, { 1059, 1000 }, { 1060, 1060 }, { 1061, 1060 }, { 2000, 2000 } };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		assert_int_equal(store_token_user(f->s, h, steps[i].use, &u), STORE_OK);
		assert_int_equal(store_token_list(f->s, f->alice.id, &f->a, &list, &n), STORE_OK);
		assert_int_equal(n, 1);
		assert_int_equal(list[0].last_used_at, steps[i].noted);
	}
}

/* ---- applications ---------------------------------------------------------- */

static void test_app_insert_get_round_trip(void **state)
{
	struct fx *f = *state;
	char *tags[] = { "rust", "Remote", "c" };
	struct application app;
	app_blank(&app, "Ünïcode GmbH");
	app.position = "Senior \"Rust\" Engineer";
	app.location = "Z\xc3\xbcrich, CH";
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
	app.notes = "line one\nline two 100% _sure_ 'quoted' \\ back";
	app.version = 77;     /* ignored on insert */
	app.created_at = 123; /* ditto */
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 5000), STORE_OK);
	assert_true(app.id > 0);
	assert_int_equal(app.version, 1);
	assert_int_equal(app.created_at, 5000);
	assert_int_equal(app.updated_at, 5000);
	assert_int_equal(app.status_changed_at, 5000);

	struct application got = get_app(f, f->alice.id, app.id);
	assert_int_equal(got.id, app.id);
	assert_int_equal(got.version, 1);
	assert_string_equal(got.company, "Ünïcode GmbH");
	assert_string_equal(got.position, "Senior \"Rust\" Engineer");
	assert_string_equal(got.location, "Z\xc3\xbcrich, CH");
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
	assert_string_equal(got.tags[1], "Remote"); /* kept as given, in order */
	assert_string_equal(got.tags[2], "c");
	assert_string_equal(got.saved_on, "2026-01-02");
	assert_string_equal(got.applied_on, "2026-01-03");
	assert_null(got.follow_up_on);
	assert_string_equal(got.notes, "line one\nline two 100% _sure_ 'quoted' \\ back");
	assert_int_equal(got.created_at, 5000);
	assert_int_equal(got.updated_at, 5000);
	assert_int_equal(got.status_changed_at, 5000);

	/* The store adds nothing of its own: no timeline entry for a new row. */
	struct app_event *ev;
	size_t n = 99;
	assert_int_equal(store_event_list(f->s, f->alice.id, app.id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/* Creating is the row and its "created" entry together, written as the
 * timeline's own insert writes one; a create that fails leaves neither. */
static void test_app_create_adds_its_created_entry(void **state)
{
	struct fx *f = *state;
	char *tags[] = { "remote", "c" };
	struct application app;
	app_blank(&app, "Created GmbH");
	app.status = "applied";
	app.tags = tags;
	app.n_tags = 2;
	assert_int_equal(store_app_create(f->s, f->alice.id, &app, 6000), STORE_OK);
	assert_true(app.id > 0);
	assert_int_equal(app.version, 1);
	assert_int_equal(app.created_at, 6000);
	struct application got = get_app(f, f->alice.id, app.id);
	assert_string_equal(got.company, "Created GmbH");
	assert_int_equal(got.n_tags, 2);
	assert_string_equal(got.tags[1], "c");

	struct app_event *ev;
	size_t n = 0;
	assert_int_equal(store_event_list(f->s, f->alice.id, app.id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].kind, "created");
	assert_int_equal(ev[0].app_id, app.id);
	assert_int_equal(ev[0].at, 6000);
	assert_int_equal(ev[0].created_at, 6000);
	assert_int_equal(ev[0].version, 1);
	assert_null(ev[0].from_status);
	assert_string_equal(ev[0].to_status, "applied");
	/* The same entry store_event_insert writes, field for field. */
	struct application other;
	app_blank(&other, "Inserted GmbH");
	other.status = "applied";
	assert_int_equal(store_app_insert(f->s, f->alice.id, &other, 6000), STORE_OK);
	struct app_event created = { .app_id = other.id, .kind = "created", .at = 6000, .to_status = "applied" };
	assert_int_equal(store_event_insert(f->s, f->alice.id, &created, 6000), STORE_OK);
	struct app_event *ev2;
	assert_int_equal(store_event_list(f->s, f->alice.id, other.id, &f->a, &ev2, &n), STORE_OK);
	assert_int_equal(n, 1);
	const char *want[] = { ev2[0].title, ev2[0].body, ev2[0].interview_kind, ev2[0].with_whom };
	const char *have[] = { ev[0].title, ev[0].body, ev[0].interview_kind, ev[0].with_whom };
	for (size_t i = 0; i < 4; i++) {
		assert_true((want[i] == NULL) == (have[i] == NULL));
		if (want[i])
			assert_string_equal(have[i], want[i]);
	}

	/* A posting that does not exist: neither the row nor an entry. */
	struct application *items;
	int64_t before, after;
	size_t rows;
	struct app_filter all = { .limit = 100 };
	assert_int_equal(store_app_list(f->s, f->alice.id, &all, &f->a, &items, &rows, &before), STORE_OK);
	struct application bad;
	app_blank(&bad, "Nowhere Ltd");
	bad.posting_id = 987654321;
	assert_int_equal(store_app_create(f->s, f->alice.id, &bad, 7000), STORE_NOTFOUND);
	assert_int_equal(bad.id, 0);
	assert_int_equal(store_app_list(f->s, f->alice.id, &all, &f->a, &items, &rows, &after), STORE_OK);
	assert_int_equal(after, before);
}

static void test_app_without_optional_fields(void **state)
{
	struct fx *f = *state;
	struct application app;
	app_blank(&app, "Acme");
	int64_t big = INT64_C(9000000000);
	app.salary_max = big; /* only the maximum, and past 32 bits */
	app.has_salary_max = 1;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 10), STORE_OK);
	struct application got = get_app(f, f->alice.id, app.id);
	assert_string_equal(got.location, "");
	assert_string_equal(got.url, "");
	assert_string_equal(got.notes, "");
	assert_string_equal(got.salary_currency, "");
	assert_string_equal(got.salary_period, "");
	assert_false(got.has_salary_min);
	assert_true(got.has_salary_max);
	assert_int_equal(got.salary_max, big);
	assert_int_equal(got.n_tags, 0);
	assert_int_equal(got.priority, 0);
	assert_null(got.saved_on);
	assert_null(got.applied_on);
	assert_null(got.follow_up_on);
}

/* Fills every field of app with values unlike app_blank's. */
static void app_all_changed(struct application *app, char **tags)
{
	app->company = "New Co";
	app->position = "New Position";
	app->location = "New Location";
	app->url = "https://new.example/";
	app->source = "new source";
	app->salary_min = 111;
	app->has_salary_min = 1;
	app->salary_max = 222;
	app->has_salary_max = 1;
	app->salary_currency = "EUR";
	app->salary_period = "month";
	app->status = "interviewing";
	app->status_changed_at = 4242;
	app->priority = 5;
	app->tags = tags;
	app->n_tags = 2;
	app->saved_on = "2026-02-01";
	app->applied_on = "2026-02-02";
	app->follow_up_on = "2026-02-03";
	app->notes = "new notes";
}

/* Checks each field of got: the new value where its bit is in mask, the
 * original (app_blank("Old Co"), inserted at 100) elsewhere. */
static void expect_fields(const struct application *got, unsigned mask)
{
#define WANT_STR(bit, field, new, old) assert_string_equal(got->field, (mask & (bit)) ? (new) : (old))
	WANT_STR(APP_F_COMPANY, company, "New Co", "Old Co");
	WANT_STR(APP_F_POSITION, position, "New Position", "Engineer");
	WANT_STR(APP_F_LOCATION, location, "New Location", "");
	WANT_STR(APP_F_URL, url, "https://new.example/", "");
	WANT_STR(APP_F_SOURCE, source, "new source", "");
	WANT_STR(APP_F_SALARY_CURRENCY, salary_currency, "EUR", "");
	WANT_STR(APP_F_SALARY_PERIOD, salary_period, "month", "");
	WANT_STR(APP_F_STATUS, status, "interviewing", "saved");
	WANT_STR(APP_F_NOTES, notes, "new notes", "");
#undef WANT_STR
	assert_int_equal(got->has_salary_min, (mask & APP_F_SALARY_MIN) != 0);
	if (mask & APP_F_SALARY_MIN)
		assert_int_equal(got->salary_min, 111);
	assert_int_equal(got->has_salary_max, (mask & APP_F_SALARY_MAX) != 0);
	if (mask & APP_F_SALARY_MAX)
		assert_int_equal(got->salary_max, 222);
	assert_int_equal(got->status_changed_at, (mask & APP_F_STATUS) ? 4242 : 100);
	assert_int_equal(got->priority, (mask & APP_F_PRIORITY) ? 5 : 0);
	if (mask & APP_F_TAGS) {
		assert_int_equal(got->n_tags, 2);
		assert_string_equal(got->tags[0], "zeta");
		assert_string_equal(got->tags[1], "Alpha");
	} else {
		assert_int_equal(got->n_tags, 1);
		assert_string_equal(got->tags[0], "old");
	}
#define WANT_DATE(bit, field, new) \
	do { \
		if (mask & (bit)) \
			assert_string_equal(got->field, new); \
		else \
			assert_null(got->field); \
	} while (0)
	WANT_DATE(APP_F_SAVED_ON, saved_on, "2026-02-01");
	WANT_DATE(APP_F_APPLIED_ON, applied_on, "2026-02-02");
	WANT_DATE(APP_F_FOLLOW_UP_ON, follow_up_on, "2026-02-03");
#undef WANT_DATE
	assert_int_equal(got->created_at, 100);
}

static void test_app_update_writes_only_the_named_fields(void **state)
{
	struct fx *f = *state;
	char *old_tags[] = { "old" };
	char *new_tags[] = { "zeta", "Alpha" };
	for (unsigned bit = 1; bit < APP_F_ALL; bit <<= 1) {
		struct application app;
		app_blank(&app, "Old Co");
		app.tags = old_tags;
		app.n_tags = 1;
		assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 100), STORE_OK);
		int64_t id = app.id;
		app_all_changed(&app, new_tags);
		app.version = 999;
		assert_int_equal(store_app_update(f->s, f->alice.id, &app, bit, 200), STORE_OK);
		assert_int_equal(app.id, id);
		assert_int_equal(app.version, 2);
		assert_int_equal(app.updated_at, 200);
		struct application got = get_app(f, f->alice.id, id);
		assert_int_equal(got.version, 2);
		assert_int_equal(got.updated_at, 200);
		expect_fields(&got, bit);
	}
	/* All at once; then a second update adds one more to the version. */
	struct application app;
	app_blank(&app, "Old Co");
	app.tags = old_tags;
	app.n_tags = 1;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 100), STORE_OK);
	app_all_changed(&app, new_tags);
	assert_int_equal(store_app_update(f->s, f->alice.id, &app, APP_F_ALL, 300), STORE_OK);
	struct application got = get_app(f, f->alice.id, app.id);
	expect_fields(&got, APP_F_ALL);
	assert_int_equal(got.version, 2);
	/* Clearing: no salary, no dates, no tags. */
	app.has_salary_min = app.has_salary_max = 0;
	app.saved_on = app.applied_on = app.follow_up_on = NULL;
	app.n_tags = 0;
	app.tags = NULL;
	assert_int_equal(store_app_update(f->s, f->alice.id, &app,
					  APP_F_SALARY_MIN | APP_F_SALARY_MAX | APP_F_SAVED_ON | APP_F_APPLIED_ON |
					      APP_F_FOLLOW_UP_ON | APP_F_TAGS,
					  400),
			 STORE_OK);
	got = get_app(f, f->alice.id, app.id);
	assert_int_equal(got.version, 3);
	assert_false(got.has_salary_min || got.has_salary_max);
	assert_null(got.saved_on);
	assert_null(got.applied_on);
	assert_null(got.follow_up_on);
	assert_int_equal(got.n_tags, 0);
	assert_string_equal(got.company, "New Co");
}

/* Two writers of different fields, each from a stale copy, keep both changes. */
static void test_app_updates_of_different_fields_do_not_undo_each_other(void **state)
{
	struct fx *f = *state;
	int64_t id = add_app(f, f->alice.id, "Acme", 100);
	struct application one = get_app(f, f->alice.id, id), two = get_app(f, f->alice.id, id);
	one.notes = "from the first";
	assert_int_equal(store_app_update(f->s, f->alice.id, &one, APP_F_NOTES, 200), STORE_OK);
	two.priority = 3;
	assert_int_equal(store_app_update(f->s, f->alice.id, &two, APP_F_PRIORITY, 300), STORE_OK);
	assert_int_equal(two.version, 3);
	struct application got = get_app(f, f->alice.id, id);
	assert_string_equal(got.notes, "from the first");
	assert_int_equal(got.priority, 3);
	assert_int_equal(got.version, 3);
}

static void test_app_touch(void **state)
{
	struct fx *f = *state;
	int64_t id = add_app(f, f->alice.id, "Acme", 100);
	assert_int_equal(store_app_touch(f->s, f->alice.id, id, 150), STORE_OK);
	struct application got = get_app(f, f->alice.id, id);
	assert_int_equal(got.version, 2);
	assert_int_equal(got.updated_at, 150);
	assert_int_equal(got.created_at, 100);
	assert_int_equal(got.status_changed_at, 100);
	assert_string_equal(got.company, "Acme");
	assert_int_equal(store_app_touch(f->s, f->alice.id, id, 160), STORE_OK);
	assert_int_equal(get_app(f, f->alice.id, id).version, 3);
	assert_int_equal(store_app_touch(f->s, f->bob.id, id, 170), STORE_NOTFOUND);
	assert_int_equal(store_app_touch(f->s, f->alice.id, 999999, 170), STORE_NOTFOUND);
	got = get_app(f, f->alice.id, id);
	assert_int_equal(got.version, 3);
	assert_int_equal(got.updated_at, 160);
}

static void test_app_delete_takes_tags_timeline_and_links(void **state)
{
	struct fx *f = *state;
	char *tags[] = { "gone" };
	struct application app;
	app_blank(&app, "Doomed");
	app.tags = tags;
	app.n_tags = 1;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 100), STORE_OK);
	int64_t keep = add_app(f, f->alice.id, "Kept", 100);
	int64_t ev = add_event(f, f->alice.id, app.id, "note", 200);
	int64_t c = add_contact(f, f->alice.id, "Rita", 100);
	assert_int_equal(store_contact_link(f->s, f->alice.id, app.id, c), STORE_OK);
	assert_int_equal(store_contact_link(f->s, f->alice.id, keep, c), STORE_OK);

	assert_int_equal(store_app_delete(f->s, f->bob.id, app.id), STORE_NOTFOUND);
	assert_int_equal(store_app_delete(f->s, f->alice.id, app.id), STORE_OK);
	struct application got;
	assert_int_equal(store_app_get(f->s, f->alice.id, app.id, &f->a, &got), STORE_NOTFOUND);
	assert_int_equal(store_app_delete(f->s, f->alice.id, app.id), STORE_NOTFOUND);
	struct app_event e;
	assert_int_equal(store_event_get(f->s, f->alice.id, app.id, ev, &f->a, &e), STORE_NOTFOUND);
	struct app_event *evs;
	size_t n = 99;
	assert_int_equal(store_event_list(f->s, f->alice.id, app.id, &f->a, &evs, &n), STORE_OK);
	assert_int_equal(n, 0);
	struct app_filter by_tag = { .tag = "gone" };
	assert_int_equal(list_total(f, f->alice.id, &by_tag), 0);
	/* The contact stays, linked to the other application only. */
	struct contact *cs;
	assert_int_equal(store_contact_list(f->s, f->alice.id, 0, &f->a, &cs, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app.id, &f->a, &cs, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_contact_list(f->s, f->alice.id, keep, &f->a, &cs, &n), STORE_OK);
	assert_int_equal(n, 1);
}

/* Every call given another user's row answers NOTFOUND (or an empty list),
 * exactly as for a row that does not exist, and changes nothing. */
static void test_every_call_is_scoped_to_its_user(void **state)
{
	struct fx *f = *state;
	const int64_t B = f->bob.id;
	int64_t app = add_app(f, f->alice.id, "Alice Co", 1000);
	int64_t iv = add_event(f, f->alice.id, app, "interview", 5000);
	int64_t c = add_contact(f, f->alice.id, "Ada", 1000);
	assert_int_equal(store_contact_link(f->s, f->alice.id, app, c), STORE_OK);
	int64_t bob_app = add_app(f, B, "Bob Co", 1000);
	int64_t bob_c = add_contact(f, B, "Bea", 1000);
	uint8_t h[32];
	hash_of(h, 60);
	int64_t tok;
	assert_int_equal(store_token_create(f->s, f->alice.id, "t", "jt_", h, 1000, &tok), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->alice.id, h, 1000, 9000, "", ""), STORE_OK);
	struct session_info *sl;
	size_t n;
	assert_int_equal(store_session_list(f->s, f->alice.id, NULL, 1000, &f->a, &sl, &n), STORE_OK);
	assert_int_equal(n, 1);
	int64_t sess = sl[0].id;
	int64_t va = data_version(f, f->alice.id);

	struct application a;
	assert_int_equal(store_app_get(f->s, B, app, &f->a, &a), STORE_NOTFOUND);
	app_blank(&a, "Takeover");
	a.id = app;
	assert_int_equal(store_app_update(f->s, B, &a, APP_F_ALL, 2000), STORE_NOTFOUND);
	assert_int_equal(store_app_touch(f->s, B, app, 2000), STORE_NOTFOUND);
	assert_int_equal(store_app_delete(f->s, B, app), STORE_NOTFOUND);
	struct app_filter all = { 0 };
	assert_int_equal(list_total(f, B, &all), 1);
	static const char *const st[] = { "saved" };
	int64_t counts[1];
	assert_int_equal(store_app_count_by_status(f->s, B, st, 1, counts), STORE_OK);
	assert_int_equal(counts[0], 1);

	struct app_event e, *evs;
	assert_int_equal(store_event_list(f->s, B, app, &f->a, &evs, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_event_get(f->s, B, app, iv, &f->a, &e), STORE_NOTFOUND);
	/* ...also through an application of bob's own. */
	assert_int_equal(store_event_get(f->s, B, bob_app, iv, &f->a, &e), STORE_NOTFOUND);
	event_blank(&e, app, "note", 3000);
	assert_int_equal(store_event_insert(f->s, B, &e, 3000), STORE_NOTFOUND);
	event_blank(&e, app, "note", 3000);
	e.id = iv;
	assert_int_equal(store_event_update(f->s, B, &e), STORE_NOTFOUND);
	e.app_id = bob_app;
	assert_int_equal(store_event_update(f->s, B, &e), STORE_NOTFOUND);
	assert_int_equal(store_event_delete(f->s, B, app, iv), STORE_NOTFOUND);
	assert_int_equal(store_event_delete(f->s, B, bob_app, iv), STORE_NOTFOUND);
	assert_int_equal(store_interviews_between(f->s, B, 0, 100000, &f->a, &evs, &n), STORE_OK);
	assert_int_equal(n, 0);

	struct contact ct, *cs;
	assert_int_equal(store_contact_get(f->s, B, c, &f->a, &ct), STORE_NOTFOUND);
	contact_blank(&ct, "Hijacked");
	ct.id = c;
	assert_int_equal(store_contact_update(f->s, B, &ct, 4000), STORE_NOTFOUND);
	assert_int_equal(store_contact_delete(f->s, B, c), STORE_NOTFOUND);
	assert_int_equal(store_contact_list(f->s, B, app, &f->a, &cs, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_contact_list(f->s, B, 0, &f->a, &cs, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cs[0].id, bob_c);
	assert_int_equal(store_contact_link(f->s, B, app, bob_c), STORE_NOTFOUND);
	assert_int_equal(store_contact_link(f->s, B, bob_app, c), STORE_NOTFOUND);
	assert_int_equal(store_contact_link(f->s, f->alice.id, app, bob_c), STORE_NOTFOUND);
	assert_int_equal(store_contact_link(f->s, f->alice.id, bob_app, c), STORE_NOTFOUND);
	assert_int_equal(store_contact_unlink(f->s, B, app, c), STORE_NOTFOUND);

	assert_int_equal(store_session_revoke(f->s, B, sess), STORE_NOTFOUND);
	assert_int_equal(store_token_revoke(f->s, B, tok, 5000), STORE_NOTFOUND);
	struct api_token *tl;
	assert_int_equal(store_token_list(f->s, B, &f->a, &tl, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_session_list(f->s, B, h, 1000, &f->a, &sl, &n), STORE_OK);
	assert_int_equal(n, 0);

	/* Alice's rows are as they were. */
	expect_unchanged(f, f->alice.id, va, "another user's failed writes");
	a = get_app(f, f->alice.id, app);
	assert_string_equal(a.company, "Alice Co");
	assert_int_equal(a.version, 1);
	assert_int_equal(a.updated_at, 1000);
	assert_int_equal(store_event_get(f->s, f->alice.id, app, iv, &f->a, &e), STORE_OK);
	assert_int_equal(e.version, 1);
	assert_string_equal(e.kind, "interview");
	assert_int_equal(store_contact_get(f->s, f->alice.id, c, &f->a, &ct), STORE_OK);
	assert_string_equal(ct.name, "Ada");
	assert_int_equal(ct.version, 1);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app, &f->a, &cs, &n), STORE_OK);
	assert_int_equal(n, 1);
	struct user u;
	assert_int_equal(store_token_user(f->s, h, 6000, &u), STORE_OK);
	assert_int_equal(store_session_user(f->s, h, 6000, &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
}

/* ---- listing ------------------------------------------------------------------ */

static int64_t add_listed(struct fx *f, const char *company, const char *status, char **tags, size_t n_tags,
			  const char *notes)
{
	struct application app;
	app_blank(&app, company);
	app.status = (char *)status;
	app.tags = tags;
	app.n_tags = n_tags;
	app.notes = (char *)notes;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 1000), STORE_OK);
	return app.id;
}

/* ASCII case is ignored, everything else compares as bytes (UTF-8 order),
 * then id: the same on every backend, whatever its collation. */
static void test_company_order_ignores_ascii_case_only(void **state)
{
	struct fx *f = *state;
	add_listed(f, "z", "saved", NULL, 0, "");
	add_listed(f, "\xc3\x89", "saved", NULL, 0, ""); /* É */
	add_listed(f, "B", "saved", NULL, 0, "");
	add_listed(f, "a", "saved", NULL, 0, "");
	add_listed(f, "\xc3\xa9", "saved", NULL, 0, ""); /* é */
	add_listed(f, "_x", "saved", NULL, 0, "");       /* '_' is 0x5f: between 'Z' and 'a' */
	add_listed(f, "b", "saved", NULL, 0, "");        /* the same key as "B": then by id */
	struct app_filter flt = { .sort = APP_SORT_COMPANY_ASC };
	/* Letters compare as lower case (as SQLite's NOCASE and lower() do), so
	 * "_x" comes first (bytewise it would follow "B"); É (c3 89) and é (c3 a9)
	 * are not folded and follow every ASCII letter. */
	static const char *const asc[] = { "_x", "a", "B", "b", "z", "\xc3\x89", "\xc3\xa9" };
	expect_companies(f, f->alice.id, &flt, asc, 7);
	flt.sort = APP_SORT_COMPANY_DESC;
	struct application *items;
	size_t n;
	int64_t total;
	assert_int_equal(store_app_list(f->s, f->alice.id, &flt, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 7);
	static const char *const desc[] = { "\xc3\xa9", "\xc3\x89", "z", NULL, NULL, "a", "_x" };
	for (size_t i = 0; i < n; i++)
		if (desc[i])
			assert_string_equal(items[i].company, desc[i]);
	/* "B" and "b" tie: both in the middle. */
	assert_true(strcasecmp(items[3].company, "b") == 0 && strcasecmp(items[4].company, "b") == 0);
}

/* Tags travel to the database however a backend batches them (PostgreSQL:
 * as text[] values): quotes, backslashes, commas, braces, spaces and the
 * word NULL must come back as written, in order, and be found as tags. */
static void expect_tags(struct fx *f, int64_t id, char *const *want, size_t n)
{
	struct application got = get_app(f, f->alice.id, id);
	assert_int_equal(got.n_tags, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(got.tags[i], want[i]);
}

/* Integers come back exactly at both ends of their range (PostgreSQL
 * sends them as text, which the backend parses itself). */
static void test_integers_round_trip_at_their_extremes(void **state)
{
	struct fx *f = *state;
	struct application app;
	app_blank(&app, "Extremes");
	app.has_salary_min = app.has_salary_max = 1;
	app.salary_min = INT64_MIN;
	app.salary_max = INT64_MAX;
	app.priority = -7;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 1000), STORE_OK);
	struct application got = get_app(f, f->alice.id, app.id);
	assert_true(got.salary_min == INT64_MIN);
	assert_true(got.salary_max == INT64_MAX);
	assert_int_equal(got.priority, -7);
	assert_int_equal(got.created_at, 1000);
}

static void test_tags_with_quotes_commas_and_braces_round_trip(void **state)
{
	struct fx *f = *state;
	char *tags[] = { "say \"hi\"", "back\\slash", "a,b", "{x}", " padded ", "NULL" };
	int64_t id = add_listed(f, "Odd tags", "saved", tags, 6, "");
	expect_tags(f, id, tags, 6);
	struct app_filter flt = { .tag = "a,b", .sort = APP_SORT_COMPANY_ASC };
	static const char *const want[] = { "Odd tags" };
	expect_companies(f, f->alice.id, &flt, want, 1);
	flt.tag = "NULL";
	expect_companies(f, f->alice.id, &flt, want, 1);

	char *other[] = { "{y}", "\\", "\"" };
	struct application app = get_app(f, f->alice.id, id);
	app.tags = other;
	app.n_tags = 3;
	assert_int_equal(store_app_update(f->s, f->alice.id, &app, APP_F_TAGS, 200), STORE_OK);
	expect_tags(f, id, other, 3);
	flt.tag = "a,b";
	expect_companies(f, f->alice.id, &flt, NULL, 0);
	flt.tag = "{y}";
	expect_companies(f, f->alice.id, &flt, want, 1);
	app.n_tags = 0;
	assert_int_equal(store_app_update(f->s, f->alice.id, &app, APP_F_TAGS, 300), STORE_OK);
	expect_tags(f, id, NULL, 0);
}

static void test_tags_filter_matches_a_whole_tag_ignoring_ascii_case(void **state)
{
	struct fx *f = *state;
	char *t1[] = { "c" }, *t2[] = { "cpp" }, *t3[] = { "objective-c", "c++" }, *t4[] = { "go", "C", "rust" };
	char *t5[] = { "Remote" }, *t6[] = { "\xc3\xa9t\xc3\xa9" }; /* été */
	char *t7[] = { "100%" }, *t8[] = { "a_b" };
	add_listed(f, "C only", "saved", t1, 1, "");
	add_listed(f, "Cpp", "saved", t2, 1, "");
	add_listed(f, "ObjC", "saved", t3, 2, "");
	add_listed(f, "Polyglot", "saved", t4, 3, "");
	add_listed(f, "No tags", "saved", NULL, 0, "c");
	add_listed(f, "Remote Co", "saved", t5, 1, "");
	add_listed(f, "Summer", "saved", t6, 1, "");
	add_listed(f, "Percent", "saved", t7, 1, "");
	add_listed(f, "Under", "saved", t8, 1, "");
	add_app(f, f->bob.id, "Bob's", 1);

	struct app_filter flt = { .tag = "c", .sort = APP_SORT_COMPANY_ASC };
	static const char *const want_c[] = { "C only", "Polyglot" };
	expect_companies(f, f->alice.id, &flt, want_c, 2);
	flt.tag = "C";
	expect_companies(f, f->alice.id, &flt, want_c, 2);
	flt.tag = "cpp";
	static const char *const want_cpp[] = { "Cpp" };
	expect_companies(f, f->alice.id, &flt, want_cpp, 1);
	flt.tag = "c++";
	static const char *const want_cxx[] = { "ObjC" };
	expect_companies(f, f->alice.id, &flt, want_cxx, 1);
	flt.tag = "RUST";
	static const char *const want_rust[] = { "Polyglot" };
	expect_companies(f, f->alice.id, &flt, want_rust, 1);
	flt.tag = "remote";
	static const char *const want_remote[] = { "Remote Co" };
	expect_companies(f, f->alice.id, &flt, want_remote, 1);
	flt.tag = "\xc3\xa9t\xc3\xa9";
	static const char *const want_ete[] = { "Summer" };
	expect_companies(f, f->alice.id, &flt, want_ete, 1);
	/* Non-ASCII letters are not folded. */
	flt.tag = "\xc3\x89T\xc3\x89"; /* ÉTÉ */
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
	/* Pattern characters are plain characters. */
	flt.tag = "100%";
	static const char *const want_pct[] = { "Percent" };
	expect_companies(f, f->alice.id, &flt, want_pct, 1);
	flt.tag = "1%";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
	flt.tag = "a_b";
	static const char *const want_us[] = { "Under" };
	expect_companies(f, f->alice.id, &flt, want_us, 1);
	flt.tag = "a%b";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
	flt.tag = "axb";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
	/* Parts of tags, and nothing, match nothing. */
	flt.tag = "objective";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
	flt.tag = "";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
	/* Bob's tags are his. */
	flt.tag = "c";
	assert_int_equal(list_total(f, f->bob.id, &flt), 0);
}

static void test_query_is_a_literal_substring(void **state)
{
	struct fx *f = *state;
	add_listed(f, "100% Remote", "saved", NULL, 0, "");
	add_listed(f, "1000 Remote", "saved", NULL, 0, "");
	add_listed(f, "snake_case Inc", "saved", NULL, 0, "");
	add_listed(f, "snakeXcase Inc", "saved", NULL, 0, "");
	add_listed(f, "Back\\slash", "saved", NULL, 0, "");
	add_listed(f, "Quiet", "saved", NULL, 0, "has a NEEDLE inside");
	struct application app;
	app_blank(&app, "Somewhere");
	app.location = "Lisbon";
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 1000), STORE_OK);
	app_blank(&app, "Titled");
	app.position = "Chief Wizard";
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 1000), STORE_OK);
	add_app(f, f->bob.id, "100% Bob", 1);

	struct app_filter flt = { .q = "100%", .sort = APP_SORT_COMPANY_ASC };
	static const char *const want_pct[] = { "100% Remote" };
	expect_companies(f, f->alice.id, &flt, want_pct, 1);
	flt.q = "%";
	expect_companies(f, f->alice.id, &flt, want_pct, 1);
	flt.q = "e_c";
	static const char *const want_us[] = { "snake_case Inc" };
	expect_companies(f, f->alice.id, &flt, want_us, 1);
	flt.q = "_";
	expect_companies(f, f->alice.id, &flt, want_us, 1);
	flt.q = "k\\s";
	static const char *const want_bs[] = { "Back\\slash" };
	expect_companies(f, f->alice.id, &flt, want_bs, 1);
	flt.q = "[a-z]";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
	/* Notes, location and position are searched too, ignoring ASCII case. */
	flt.q = "needle";
	static const char *const want_notes[] = { "Quiet" };
	expect_companies(f, f->alice.id, &flt, want_notes, 1);
	flt.q = "lisb";
	static const char *const want_loc[] = { "Somewhere" };
	expect_companies(f, f->alice.id, &flt, want_loc, 1);
	flt.q = "WIZARD";
	static const char *const want_pos[] = { "Titled" };
	expect_companies(f, f->alice.id, &flt, want_pos, 1);
	flt.q = "REMOTE";
	static const char *const want_remote[] = { "100% Remote", "1000 Remote" };
	expect_companies(f, f->alice.id, &flt, want_remote, 2);
	/* An empty query is no filter. */
	flt.q = "";
	assert_int_equal(list_total(f, f->alice.id, &flt), 8);
	flt.q = "no such thing";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
}

static void test_filters_combine(void **state)
{
	struct fx *f = *state;
	char *remote[] = { "remote" };
	add_listed(f, "Alpha", "applied", remote, 1, "");
	add_listed(f, "Beta", "applied", NULL, 0, "");
	add_listed(f, "Alpine", "saved", remote, 1, "");
	add_listed(f, "Gamma", "applied", remote, 1, "");
	struct app_filter flt = { .status = "applied", .sort = APP_SORT_COMPANY_ASC };
	static const char *const applied[] = { "Alpha", "Beta", "Gamma" };
	expect_companies(f, f->alice.id, &flt, applied, 3);
	flt.status = "offer";
	assert_int_equal(list_total(f, f->alice.id, &flt), 0);
	flt = (struct app_filter){ .status = "applied", .tag = "remote", .q = "alp" };
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
static void test_every_sort(void **state)
{
	struct fx *f = *state;
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
		app_blank(&app, rows[i].company);
		app.priority = rows[i].priority;
		app.applied_on = (char *)rows[i].applied_on;
		assert_int_equal(store_app_insert(f->s, f->alice.id, &app, rows[i].created), STORE_OK);
		if (i == 0)
			first = app.id;
	}
	assert_int_equal(store_app_touch(f->s, f->alice.id, first, 500), STORE_OK);
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
		assert_int_equal(total, 4);
		for (size_t i = 0; i < n; i++)
			if (strcmp(items[i].company, want[s][i]))
				fail_msg("sort %d, row %zu: %s, want %s", s, i, items[i].company, want[s][i]);
	}
}

static void test_pagination_and_totals(void **state)
{
	struct fx *f = *state;
	int64_t ids[7];
	for (int i = 0; i < 7; i++) {
		char name[16];
		snprintf(name, sizeof(name), "Co %d", i);
		struct application app;
		app_blank(&app, arena_strdup(&f->a, name));
		assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 100 + i), STORE_OK);
		ids[i] = app.id;
	}
	add_app(f, f->bob.id, "Bob's", 1);

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

	struct application *items;
	size_t n = 99;
	int64_t total = 0;
	/* Past the end: nothing, but the total is still known. */
	struct app_filter past = { .limit = 3, .offset = 50 };
	assert_int_equal(store_app_list(f->s, f->alice.id, &past, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 7);
	struct app_filter exact = { .limit = 7 };
	assert_int_equal(store_app_list(f->s, f->alice.id, &exact, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 7);
	exact.limit = 6;
	assert_int_equal(store_app_list(f->s, f->alice.id, &exact, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 6);
	assert_int_equal(total, 7);
	/* Totals follow the filters. */
	struct app_filter filtered = { .q = "Co 3", .limit = 1 };
	assert_int_equal(store_app_list(f->s, f->alice.id, &filtered, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(total, 1);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, ids[3]);
	/* A listing carries the whole row: tags and all. */
	assert_string_equal(items[0].position, "Engineer");
	assert_int_equal(items[0].version, 1);
}

static void test_default_page_is_50_and_limits_are_capped(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_tx_begin(f->s, f->alice.id), STORE_OK);
	for (int i = 0; i < 55; i++)
		add_app(f, f->alice.id, "Many", 100 + i);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	struct application *items;
	size_t n;
	int64_t total;
	struct app_filter flt = { 0 };
	assert_int_equal(store_app_list(f->s, f->alice.id, &flt, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 50);
	assert_int_equal(total, 55);
	flt.limit = -5;
	assert_int_equal(store_app_list(f->s, f->alice.id, &flt, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 50);
	flt.limit = STORE_LIST_MAX * 100;
	assert_int_equal(store_app_list(f->s, f->alice.id, &flt, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 55);
}

static void test_count_by_status(void **state)
{
	struct fx *f = *state;
	add_listed(f, "A", "saved", NULL, 0, "");
	add_listed(f, "B", "saved", NULL, 0, "");
	add_listed(f, "C", "applied", NULL, 0, "");
	int64_t d = add_listed(f, "D", "offer", NULL, 0, "");
	for (int i = 0; i < 5; i++)
		add_app(f, f->bob.id, "Bob", 1);
	static const char *const statuses[] = { "saved", "applied", "interviewing", "offer", "rejected" };
	int64_t counts[5];
	memset(counts, 0xff, sizeof(counts));
	assert_int_equal(store_app_count_by_status(f->s, f->alice.id, statuses, 5, counts), STORE_OK);
	static const int64_t want[] = { 2, 1, 0, 1, 0 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(counts[i], want[i]);
	/* Only the statuses asked for, in the order asked. */
	static const char *const some[] = { "offer", "saved" };
	int64_t two[2];
	assert_int_equal(store_app_count_by_status(f->s, f->bob.id, some, 2, two), STORE_OK);
	assert_int_equal(two[0], 0);
	assert_int_equal(two[1], 5);
	/* Counts follow updates and deletes. */
	struct application app = get_app(f, f->alice.id, d);
	app.status = "saved";
	assert_int_equal(store_app_update(f->s, f->alice.id, &app, APP_F_STATUS, 2000), STORE_OK);
	assert_int_equal(store_app_count_by_status(f->s, f->alice.id, some, 2, two), STORE_OK);
	assert_int_equal(two[0], 0);
	assert_int_equal(two[1], 3);
	assert_int_equal(store_app_delete(f->s, f->alice.id, d), STORE_OK);
	assert_int_equal(store_app_count_by_status(f->s, f->alice.id, some, 2, two), STORE_OK);
	assert_int_equal(two[1], 2);
}

/* ---- timeline events ------------------------------------------------------------ */

static void test_events_insert_get_list_update_delete(void **state)
{
	struct fx *f = *state;
	int64_t app_id = add_app(f, f->alice.id, "Acme", 1000);
	struct app_event note;
	event_blank(&note, app_id, "note", 2000);
	note.title = "Called";
	note.body = "went well";
	note.tz_offset_min = 120;
	assert_int_equal(store_event_insert(f->s, f->alice.id, &note, 2100), STORE_OK);
	assert_true(note.id > 0);
	assert_int_equal(note.version, 1);
	assert_int_equal(note.created_at, 2100);
	struct app_event iv;
	event_blank(&iv, app_id, "interview", 9000);
	iv.interview_kind = "onsite";
	iv.with_whom = "Ada";
	assert_int_equal(store_event_insert(f->s, f->alice.id, &iv, 2500), STORE_OK);
	struct app_event sc;
	event_blank(&sc, app_id, "status_change", 2000); /* the same `at` as the note */
	sc.from_status = "saved";
	sc.to_status = "applied";
	assert_int_equal(store_event_insert(f->s, f->alice.id, &sc, 2600), STORE_OK);

	struct app_event *ev;
	size_t n;
	assert_int_equal(store_event_list(f->s, f->alice.id, app_id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 3);
	/* Newest first by `at`, then by id. */
	assert_int_equal(ev[0].id, iv.id);
	assert_int_equal(ev[1].id, sc.id);
	assert_int_equal(ev[2].id, note.id);
	assert_int_equal(ev[0].app_id, app_id);
	assert_string_equal(ev[0].kind, "interview");
	assert_string_equal(ev[0].interview_kind, "onsite");
	assert_string_equal(ev[0].with_whom, "Ada");
	assert_string_equal(ev[0].title, "");
	assert_null(ev[0].from_status);
	assert_null(ev[0].to_status);
	assert_string_equal(ev[1].from_status, "saved");
	assert_string_equal(ev[1].to_status, "applied");
	assert_string_equal(ev[2].title, "Called");
	assert_string_equal(ev[2].body, "went well");
	assert_int_equal(ev[2].at, 2000);
	assert_int_equal(ev[2].created_at, 2100);
	assert_int_equal(ev[2].version, 1);

	struct app_event got;
	assert_int_equal(store_event_get(f->s, f->alice.id, app_id, note.id, &f->a, &got), STORE_OK);
	assert_string_equal(got.body, "went well");
	/* An event is found through its own application only. */
	int64_t other = add_app(f, f->alice.id, "Other", 1000);
	assert_int_equal(store_event_get(f->s, f->alice.id, other, note.id, &f->a, &got), STORE_NOTFOUND);

	/* Update rewrites kind, at, title, body, interview_kind, with_whom. */
	struct app_event up;
	event_blank(&up, app_id, "interview", 7000);
	up.id = note.id;
	up.title = "Now an interview";
	up.body = "b";
	up.interview_kind = "video";
	up.with_whom = "Grace";
	assert_int_equal(store_event_update(f->s, f->alice.id, &up), STORE_OK);
	assert_int_equal(up.version, 2);
	assert_int_equal(store_event_get(f->s, f->alice.id, app_id, note.id, &f->a, &got), STORE_OK);
	assert_string_equal(got.kind, "interview");
	assert_int_equal(got.at, 7000);
	assert_string_equal(got.title, "Now an interview");
	assert_string_equal(got.body, "b");
	assert_string_equal(got.interview_kind, "video");
	assert_string_equal(got.with_whom, "Grace");
	assert_int_equal(got.created_at, 2100);
	assert_int_equal(got.version, 2);
	assert_int_equal(store_event_update(f->s, f->alice.id, &up), STORE_OK);
	assert_int_equal(up.version, 3);
	/* Through another application, or for a missing one: not found. */
	up.app_id = other;
	assert_int_equal(store_event_update(f->s, f->alice.id, &up), STORE_NOTFOUND);
	up.app_id = app_id;
	up.id = 999999;
	assert_int_equal(store_event_update(f->s, f->alice.id, &up), STORE_NOTFOUND);

	assert_int_equal(store_event_delete(f->s, f->alice.id, other, note.id), STORE_NOTFOUND);
	assert_int_equal(store_event_delete(f->s, f->alice.id, app_id, note.id), STORE_OK);
	assert_int_equal(store_event_delete(f->s, f->alice.id, app_id, note.id), STORE_NOTFOUND);
	assert_int_equal(store_event_list(f->s, f->alice.id, app_id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 2);

	struct app_event orphan;
	event_blank(&orphan, 999999, "note", 1);
	assert_int_equal(store_event_insert(f->s, f->alice.id, &orphan, 1), STORE_NOTFOUND);
	/* Writing the timeline leaves the application's row alone: touching it is
	 * the caller's choice (store_app_touch). */
	struct application app = get_app(f, f->alice.id, app_id);
	assert_int_equal(app.version, 1);
	assert_int_equal(app.updated_at, 1000);
}

static void test_event_list_is_not_paged(void **state)
{
	struct fx *f = *state;
	int64_t app_id = add_app(f, f->alice.id, "Acme", 1);
	assert_int_equal(store_tx_begin(f->s, f->alice.id), STORE_OK);
	for (int i = 0; i < 120; i++)
		add_event(f, f->alice.id, app_id, "note", 100 + i % 7);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	struct app_event *ev;
	size_t n;
	assert_int_equal(store_event_list(f->s, f->alice.id, app_id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 120);
	for (size_t i = 1; i < n; i++)
		assert_true(ev[i - 1].at > ev[i].at || (ev[i - 1].at == ev[i].at && ev[i - 1].id > ev[i].id));
}

static void test_interviews_between(void **state)
{
	struct fx *f = *state;
	int64_t a1 = add_app(f, f->alice.id, "One", 1);
	int64_t a2 = add_app(f, f->alice.id, "Two", 1);
	int64_t b1 = add_app(f, f->bob.id, "Bob", 1);
	int64_t early = add_event(f, f->alice.id, a1, "interview", 1000); /* == from: in */
	int64_t mid = add_event(f, f->alice.id, a2, "interview", 1500);
	add_event(f, f->alice.id, a1, "interview", 2000); /* == to: out */
	add_event(f, f->alice.id, a1, "interview", 999);
	add_event(f, f->alice.id, a1, "note", 1200);
	add_event(f, f->alice.id, a1, "follow_up", 1300);
	add_event(f, f->bob.id, b1, "interview", 1400);
	int64_t late = add_event(f, f->alice.id, a1, "interview", 1999);
	struct app_event *ev;
	size_t n;
	assert_int_equal(store_interviews_between(f->s, f->alice.id, 1000, 2000, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(ev[0].id, early);
	assert_int_equal(ev[1].id, mid);
	assert_int_equal(ev[1].app_id, a2);
	assert_int_equal(ev[2].id, late);
	assert_string_equal(ev[0].kind, "interview");

	/* At most 100, the soonest. */
	assert_int_equal(store_tx_begin(f->s, f->alice.id), STORE_OK);
	for (int i = 0; i < 110; i++)
		add_event(f, f->alice.id, a2, "interview", 5000 + i);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	assert_int_equal(store_interviews_between(f->s, f->alice.id, 5000, 6000, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 100);
	assert_int_equal(ev[0].at, 5000);
	assert_int_equal(ev[99].at, 5099);
}

/* The batched history analytics reads: the user's status records and
 * interviews only (in no particular order: compared as a set of ids). */
static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

static void test_event_history(void **state)
{
	struct fx *f = *state;
	int64_t a1 = add_app(f, f->alice.id, "One", 1);
	int64_t a2 = add_app(f, f->alice.id, "Two", 1);
	int64_t b1 = add_app(f, f->bob.id, "Bob", 1);
	int64_t want[5];
	want[0] = add_event(f, f->alice.id, a2, "status_change", 300);
	want[1] = add_event(f, f->alice.id, a1, "created", 100);
	want[2] = add_event(f, f->alice.id, a1, "interview", 100);
	add_event(f, f->alice.id, a1, "note", 150);
	add_event(f, f->alice.id, a1, "follow_up", 160);
	want[3] = add_event(f, f->alice.id, a2, "created", 200);
	want[4] = add_event(f, f->alice.id, a1, "status_change", 50);
	int64_t bobs = add_event(f, f->bob.id, b1, "created", 10);
	struct app_event *ev;
	size_t n;
	assert_int_equal(store_event_history(f->s, f->alice.id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 5);
	int64_t got[5];
	for (size_t i = 0; i < n; i++) {
		got[i] = ev[i].id;
		assert_true(ev[i].app_id == a1 || ev[i].app_id == a2);
		if (ev[i].id == want[4]) { /* every column is read */
			assert_int_equal(ev[i].app_id, a1);
			assert_string_equal(ev[i].kind, "status_change");
			assert_int_equal(ev[i].at, 50);
			assert_int_equal(ev[i].created_at, 50);
			assert_null(ev[i].title);
		}
	}
	qsort(got, 5, sizeof(*got), cmp_i64);
	qsort(want, 5, sizeof(*want), cmp_i64);
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(store_event_history(f->s, f->bob.id, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].id, bobs);
	assert_string_equal(ev[0].kind, "created");
	int64_t nobody = f->bob.id + 1000;
	assert_int_equal(store_event_history(f->s, nobody, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/* What analytics reads of every application: the five columns, by id, the
 * user's only; the rest left empty. */
static void test_app_brief(void **state)
{
	struct fx *f = *state;
	struct application app;
	app_blank(&app, "Acme");
	app.status = "applied";
	app.source = "referral";
	app.applied_on = "2026-03-04";
	app.notes = "long notes the figures never read";
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 700), STORE_OK);
	int64_t second = add_app(f, f->alice.id, "Second", 800);
	add_app(f, f->bob.id, "Bob", 900);
	struct application *got;
	size_t n;
	assert_int_equal(store_app_brief(f->s, f->alice.id, &f->a, &got, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_true(got[0].id < got[1].id);
	assert_int_equal(got[0].id, app.id);
	assert_string_equal(got[0].status, "applied");
	assert_string_equal(got[0].source, "referral");
	assert_string_equal(got[0].applied_on, "2026-03-04");
	assert_int_equal(got[0].created_at, 700);
	assert_null(got[0].company);
	assert_null(got[0].notes);
	assert_int_equal(got[1].id, second);
	assert_string_equal(got[1].status, "saved");
	assert_null(got[1].applied_on);
	assert_int_equal(got[1].created_at, 800);
	assert_int_equal(store_app_brief(f->s, f->bob.id + 1000, &f->a, &got, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/* ---- contacts ------------------------------------------------------------------ */

static void test_contacts_insert_get_update_delete(void **state)
{
	struct fx *f = *state;
	struct contact c;
	contact_blank(&c, "Zed");
	c.role = "Recruiter";
	c.email = "zed@example.com";
	c.url = "https://zed.example/";
	c.notes = "met at a fair";
	assert_int_equal(store_contact_insert(f->s, f->alice.id, &c, 100), STORE_OK);
	assert_true(c.id > 0);
	assert_int_equal(c.version, 1);
	assert_int_equal(c.created_at, 100);
	assert_int_equal(c.updated_at, 100);
	struct contact got;
	assert_int_equal(store_contact_get(f->s, f->alice.id, c.id, &f->a, &got), STORE_OK);
	assert_string_equal(got.name, "Zed");
	assert_string_equal(got.role, "Recruiter");
	assert_string_equal(got.email, "zed@example.com");
	assert_string_equal(got.phone, "");
	assert_string_equal(got.url, "https://zed.example/");
	assert_string_equal(got.notes, "met at a fair");
	assert_int_equal(got.version, 1);

	contact_blank(&c, "Zed Shaw"); /* every text field is rewritten */
	c.id = got.id;
	c.phone = "+1 555";
	assert_int_equal(store_contact_update(f->s, f->alice.id, &c, 300), STORE_OK);
	assert_int_equal(store_contact_get(f->s, f->alice.id, c.id, &f->a, &got), STORE_OK);
	assert_string_equal(got.name, "Zed Shaw");
	assert_string_equal(got.phone, "+1 555");
	assert_string_equal(got.role, "");
	assert_string_equal(got.notes, "");
	assert_int_equal(got.created_at, 100);
	assert_int_equal(got.updated_at, 300);
	assert_int_equal(got.version, 2);
	assert_int_equal(store_contact_update(f->s, f->alice.id, &c, 400), STORE_OK);
	assert_int_equal(store_contact_get(f->s, f->alice.id, c.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.version, 3);

	assert_int_equal(store_contact_delete(f->s, f->alice.id, c.id), STORE_OK);
	assert_int_equal(store_contact_delete(f->s, f->alice.id, c.id), STORE_NOTFOUND);
	assert_int_equal(store_contact_get(f->s, f->alice.id, c.id, &f->a, &got), STORE_NOTFOUND);
	c.id = 999999;
	assert_int_equal(store_contact_update(f->s, f->alice.id, &c, 500), STORE_NOTFOUND);
}

static void test_contacts_listed_by_name(void **state)
{
	struct fx *f = *state;
	add_contact(f, f->alice.id, "z", 1);
	add_contact(f, f->alice.id, "\xc3\x89", 1); /* É */
	add_contact(f, f->alice.id, "B", 1);
	add_contact(f, f->alice.id, "a", 1);
	add_contact(f, f->alice.id, "_x", 1);
	add_contact(f, f->bob.id, "Bob's", 1);
	struct contact *list;
	size_t n;
	assert_int_equal(store_contact_list(f->s, f->alice.id, 0, &f->a, &list, &n), STORE_OK);
	static const char *const want[] = { "_x", "a", "B", "z", "\xc3\x89" };
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(list[i].name, want[i]);
}

static void test_contacts_link_and_unlink(void **state)
{
	struct fx *f = *state;
	int64_t app1 = add_app(f, f->alice.id, "One", 1);
	int64_t app2 = add_app(f, f->alice.id, "Two", 1);
	int64_t ada = add_contact(f, f->alice.id, "Ada", 1);
	int64_t bea = add_contact(f, f->alice.id, "bea", 1);
	struct contact *list;
	size_t n;
	assert_int_equal(store_contact_list(f->s, f->alice.id, app1, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_contact_link(f->s, f->alice.id, app1, bea), STORE_OK);
	assert_int_equal(store_contact_link(f->s, f->alice.id, app1, ada), STORE_OK);
	assert_int_equal(store_contact_link(f->s, f->alice.id, app1, ada), STORE_OK); /* twice is fine */
	assert_int_equal(store_contact_link(f->s, f->alice.id, app2, ada), STORE_OK);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app1, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, ada); /* by name */
	assert_int_equal(list[1].id, bea);
	assert_string_equal(list[1].name, "bea");
	assert_int_equal(store_contact_link(f->s, f->alice.id, 999999, ada), STORE_NOTFOUND);
	assert_int_equal(store_contact_link(f->s, f->alice.id, app1, 999999), STORE_NOTFOUND);

	assert_int_equal(store_contact_unlink(f->s, f->alice.id, app1, ada), STORE_OK);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app1, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, bea);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app2, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	/* Deleting a contact removes its links; the application stays. */
	assert_int_equal(store_contact_delete(f->s, f->alice.id, ada), STORE_OK);
	assert_int_equal(store_contact_list(f->s, f->alice.id, app2, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_string_equal(get_app(f, f->alice.id, app2).company, "Two");
}

/* ---- row versions, ids --------------------------------------------------------------- */

static void test_ids_are_never_reused(void **state)
{
	struct fx *f = *state;
	int64_t app1 = add_app(f, f->alice.id, "Keep", 10);
	int64_t app2 = add_app(f, f->alice.id, "Gone", 10);
	int64_t ev1 = add_event(f, f->alice.id, app1, "note", 10);
	int64_t ev2 = add_event(f, f->alice.id, app1, "note", 11);
	int64_t c1 = add_contact(f, f->alice.id, "Keep", 10);
	int64_t c2 = add_contact(f, f->alice.id, "Gone", 10);
	assert_int_equal(store_app_delete(f->s, f->alice.id, app2), STORE_OK);
	assert_int_equal(store_event_delete(f->s, f->alice.id, app1, ev2), STORE_OK);
	assert_int_equal(store_contact_delete(f->s, f->alice.id, c2), STORE_OK);
	assert_true(add_app(f, f->alice.id, "New", 20) > app2);
	assert_true(add_event(f, f->alice.id, app1, "note", 20) > ev2);
	assert_true(add_contact(f, f->alice.id, "New", 20) > c2);
	/* Also across a reopen, and for another user. */
	int64_t app3 = add_app(f, f->alice.id, "Gone too", 30);
	assert_int_equal(store_app_delete(f->s, f->alice.id, app3), STORE_OK);
	reopen(f);
	assert_true(add_app(f, f->bob.id, "Bob's", 40) > app3);
	(void)ev1;
	(void)c1;
}

static void test_session_and_token_ids_are_never_reused(void **state)
{
	struct fx *f = *state;
	uint8_t h1[32], h2[32], h3[32];
	memset(h1, 0x11, 32);
	memset(h2, 0x22, 32);
	memset(h3, 0x33, 32);
	assert_int_equal(store_session_create(f->s, f->alice.id, h1, 100, 1000000, "", ""), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->alice.id, h2, 100, 1000000, "", ""), STORE_OK);
	struct session_info *ss;
	size_t n;
	assert_int_equal(store_session_list(f->s, f->alice.id, NULL, 100, &f->a, &ss, &n), STORE_OK);
	assert_int_equal(n, 2);
	int64_t newest = ss[0].id > ss[1].id ? ss[0].id : ss[1].id;
	assert_int_equal(store_session_revoke(f->s, f->alice.id, newest), STORE_OK);
	assert_int_equal(store_session_create(f->s, f->alice.id, h3, 100, 1000000, "", ""), STORE_OK);
	assert_int_equal(store_session_list(f->s, f->alice.id, h3, 100, &f->a, &ss, &n), STORE_OK);
	for (size_t i = 0; i < n; i++)
		if (ss[i].current)
			assert_true(ss[i].id > newest);
	int64_t t1, t2, t3;
	assert_int_equal(store_token_create(f->s, f->alice.id, "a", "jt_a", h1, 100, &t1), STORE_OK);
	assert_int_equal(store_token_create(f->s, f->alice.id, "b", "jt_b", h2, 100, &t2), STORE_OK);
	assert_int_equal(store_token_revoke(f->s, f->alice.id, t2, 110), STORE_OK);
	reopen(f);
	assert_int_equal(store_token_create(f->s, f->alice.id, "c", "jt_c", h3, 120, &t3), STORE_OK);
	assert_true(t3 > t2);
	(void)t1;
}

/* A snapshot transaction reads one moment: a write committed meanwhile by
 * another store (another process) is not seen until it ends. */
static void test_snapshot_transaction_sees_one_moment(void **state)
{
	struct fx *f = *state;
	int64_t id = add_app(f, f->alice.id, "Before", 10);
	struct store *other;
	char err[256] = "";
	assert_int_equal(store_open(f->sf.url, &other, err, sizeof(err)), STORE_OK);
	assert_int_equal(store_tx_begin_snapshot(f->s), STORE_OK);
	struct app_filter all = { .sort = APP_SORT_CREATED_ASC };
	assert_int_equal(list_total(f, f->alice.id, &all), 1);
	struct application app;
	app_blank(&app, "During");
	assert_int_equal(store_app_insert(other, f->alice.id, &app, 20), STORE_OK);
	assert_int_equal(store_app_delete(other, f->alice.id, id), STORE_OK);
	assert_int_equal(list_total(f, f->alice.id, &all), 1);
	assert_int_equal(store_app_get(f->s, f->alice.id, id, &f->a, &app), STORE_OK);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	assert_int_equal(store_app_get(f->s, f->alice.id, id, &f->a, &app), STORE_NOTFOUND);
	assert_int_equal(list_total(f, f->alice.id, &all), 1);
	store_close(other);
}

static void test_listing_tags_match_their_applications_across_pages(void **state)
{
	struct fx *f = *state;
	enum { N = 75 };
	int64_t ids[N];
	char names[N][3][16];
	for (int i = 0; i < N; i++) {
		struct application app;
		app_blank(&app, "Tagged");
		char *tags[3];
		int k = i % 4; /* 0..3 tags, so some applications have none */
		for (int t = 0; t < k; t++) {
			snprintf(names[i][t], sizeof(names[i][t]), "t%d-%d", i, t);
			tags[t] = names[i][t];
		}
		app.tags = tags;
		app.n_tags = (size_t)k;
		assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 100 + i), STORE_OK);
		ids[i] = app.id;
	}
	for (int64_t limit = 10; limit <= 100; limit += 90) {
		struct app_filter flt = { .sort = APP_SORT_UPDATED_DESC, .limit = limit };
		for (flt.offset = 0; flt.offset < N; flt.offset += limit) {
			struct application *items;
			size_t n;
			int64_t total;
			assert_int_equal(store_app_list(f->s, f->alice.id, &flt, &f->a, &items, &n, &total), STORE_OK);
			for (size_t j = 0; j < n; j++) {
				int i = 0;
				while (i < N && ids[i] != items[j].id)
					i++;
				assert_true(i < N);
				assert_int_equal(items[j].n_tags, (size_t)(i % 4));
				for (size_t t = 0; t < items[j].n_tags; t++)
					assert_string_equal(items[j].tags[t], names[i][t]);
			}
		}
	}
}

static void test_negative_offset_lists_from_the_start(void **state)
{
	struct fx *f = *state;
	add_app(f, f->alice.id, "One", 10);
	add_app(f, f->alice.id, "Two", 11);
	struct app_filter flt = { .sort = APP_SORT_CREATED_ASC, .offset = -5 };
	struct application *items;
	size_t n;
	int64_t total;
	assert_int_equal(store_app_list(f->s, f->alice.id, &flt, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	assert_string_equal(items[0].company, "One");
}

/* What one store changes, another store on the same database (another
 * process, with caches of its own) sees at once: users, sessions, data. */
static void test_another_store_sees_changes_at_once(void **state)
{
	struct fx *f = *state;
	struct store *other;
	char err[256] = "";
	assert_int_equal(store_open(f->sf.url, &other, err, sizeof(err)), STORE_OK);
	uint8_t h[32];
	memset(h, 0x44, 32);
	assert_int_equal(store_session_create(f->s, f->alice.id, h, 100, INT64_C(1) << 40, "", ""), STORE_OK);
	uint8_t th[32];
	memset(th, 0x45, 32);
	int64_t token_id;
	assert_int_equal(store_token_create(f->s, f->alice.id, "script", "jt_abc", th, 100, &token_id), STORE_OK);
	struct user u;
	struct application *items;
	size_t n;
	int64_t total;
	const struct app_filter all = { 0 };
	/* The other store's first lookup right after each change (as a
	 * request's would be) shows it, and so does the listing after it: no
	 * window while a notification is on its way (PostgreSQL's cache.c), by
	 * id (a JWT), in a session or by a personal token. */
	for (int round = 0; round < 200; round++) {
		/* Read through the other store (filling its caches), change through this one. */
		assert_int_equal(store_user_by_id(other, f->alice.id, &u), STORE_OK);
		assert_int_equal(store_session_user(other, h, 200, &u), STORE_OK);
		assert_int_equal(store_app_list(other, f->alice.id, &all, &f->a, &items, &n, &total), STORE_OK);
		int64_t before = u.data_version;
		add_app(f, f->alice.id, "Change", 300 + round);
		if (round % 3 == 0)
			assert_int_equal(store_user_by_id(other, f->alice.id, &u), STORE_OK);
		else if (round % 3 == 1)
			assert_int_equal(store_session_user(other, h, 200, &u), STORE_OK);
		else
			assert_int_equal(store_token_user(other, th, 200, &u), STORE_OK);
		assert_int_not_equal(u.data_version, before);
		assert_int_equal(store_app_list(other, f->alice.id, &all, &f->a, &items, &n, &total), STORE_OK);
		assert_int_equal(total, round + 1);
		arena_reset(&f->a);
	}
	assert_int_equal(store_user_set_admin(f->s, f->alice.id, 0, 400), STORE_OK);
	assert_int_equal(store_user_by_id(other, f->alice.id, &u), STORE_OK);
	assert_int_equal(u.is_admin, 0);
	assert_int_equal(store_session_delete(f->s, h), STORE_OK);
	assert_int_equal(store_session_user(other, h, 200, &u), STORE_NOTFOUND);
	store_close(other);
}

/* A page as one string: the total, then everything a listing shows that
 * may change a row's place or its text, through store s. */
static const char *page_text(struct store *s, struct arena *a, int64_t user, const struct app_filter *flt)
{
	struct application *items;
	size_t n;
	int64_t total;
	assert_int_equal(store_app_list(s, user, flt, a, &items, &n, &total), STORE_OK);
	char *out = arena_printf(a, "%lld:", (long long)total);
	for (size_t i = 0; i < n; i++) {
		const struct application *p = &items[i];
		out = arena_printf(a, "%s %lld/%s/%lld/%s/%d/%s/%lld/%lld/%lld/%zu", out, (long long)p->id, p->company,
				   (long long)p->version, p->status, p->priority, p->applied_on ? p->applied_on : "-",
				   (long long)p->updated_at, (long long)p->created_at, (long long)p->posting_closed_at,
				   p->n_tags);
		for (size_t t = 0; t < p->n_tags; t++)
			out = arena_printf(a, "%s/%s", out, p->tags[t]);
	}
	return out;
}

/* The page as the database holds it now, read in a snapshot transaction
 * (where nothing a backend remembers may answer). */
static const char *page_truth(struct fx *f, int64_t user, const struct app_filter *flt)
{
	assert_int_equal(store_tx_begin_snapshot(f->s), STORE_OK);
	const char *t = page_text(f->s, &f->a, user, flt);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	return t;
}

/* Waits until other knows user's data_version is no longer before. */
static void await_version_change(struct store *other, int64_t user, int64_t before)
{
	struct user u;
	assert_int_equal(store_user_by_id(other, user, &u), STORE_OK);
	for (int i = 0; i < 20000 && u.data_version == before; i++) {
		usleep(50);
		assert_int_equal(store_user_by_id(other, user, &u), STORE_OK);
	}
	assert_int_not_equal(u.data_version, before);
}

/* Listing the same page again, in this store or another one (another
 * process), shows every change once the user's data_version shows it: a
 * backend may remember pages, but never past a change. A listing inside a
 * transaction shows its own writes, and a rolled-back write never shows. */
static void test_repeated_listings_show_every_change(void **state)
{
	struct fx *f = *state;
	const int64_t A = f->alice.id;
	struct store *other;
	char err[256] = "";
	assert_int_equal(store_open(f->sf.url, &other, err, sizeof(err)), STORE_OK);
	const struct app_filter filters[] = { { 0 },
					      { .status = "saved" },
					      { .sort = APP_SORT_COMPANY_ASC, .limit = 2 } };
	const size_t n_filters = sizeof(filters) / sizeof(filters[0]);
	int64_t one = add_app(f, A, "One", 100);
	add_app(f, A, "Two", 100);
	for (int round = 0; round < 7; round++) {
		for (int twice = 0; twice < 2; twice++) /* the second read may come from what the first left */
			for (size_t i = 0; i < n_filters; i++) {
				assert_string_equal(page_text(f->s, &f->a, A, &filters[i]),
						    page_truth(f, A, &filters[i]));
				assert_string_equal(page_text(other, &f->a, A, &filters[i]),
						    page_truth(f, A, &filters[i]));
			}
		struct user u;
		assert_int_equal(store_user_by_id(other, A, &u), STORE_OK);
		int64_t before = u.data_version;
		struct application app = get_app(f, A, one);
		if (round == 0) {
			add_app(f, A, "Three", 200);
		} else if (round == 1) {
			app.company = "Uno";
			assert_int_equal(store_app_update(f->s, A, &app, APP_F_COMPANY, 300), STORE_OK);
		} else if (round == 2) {
			app.status = "applied";
			assert_int_equal(store_app_update(f->s, A, &app, APP_F_STATUS, 400), STORE_OK);
		} else if (round == 3) {
			char *tags[] = { "remote", "c" };
			app.tags = tags;
			app.n_tags = 2;
			assert_int_equal(store_app_update(f->s, A, &app, APP_F_TAGS, 500), STORE_OK);
		} else if (round == 4) {
			assert_int_equal(store_app_touch(f->s, A, one, 600), STORE_OK);
		} else if (round == 5) {
			assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
			add_app(f, A, "Ghost", 700);
			for (size_t i = 0; i < n_filters; i++)
				page_text(f->s, &f->a, A, &filters[i]);
			assert_non_null(strstr(page_text(f->s, &f->a, A, &filters[0]), "Ghost"));
			assert_int_equal(store_tx_end(f->s, STORE_ERROR), STORE_ERROR);
			add_app(f, A, "Four", 700); /* commits what the rolled-back write would have been */
		} else {
			assert_int_equal(store_app_delete(f->s, A, one), STORE_OK);
		}
		/* This store shows it at once; the other once it knows the new data_version, and then exactly. */
		for (size_t i = 0; i < n_filters; i++)
			assert_string_equal(page_text(f->s, &f->a, A, &filters[i]), page_truth(f, A, &filters[i]));
		await_version_change(other, A, before);
		for (size_t i = 0; i < n_filters; i++)
			assert_string_equal(page_text(other, &f->a, A, &filters[i]), page_truth(f, A, &filters[i]));
	}
	assert_null(strstr(page_truth(f, A, &filters[0]), "Ghost"));
	store_close(other);
}

static int64_t add_app_as(struct fx *f, int64_t user, const char *company, const char *status, int priority,
			  const char *applied_on, const char *tag, int64_t now)
{
	struct application app;
	app_blank(&app, company);
	app.status = (char *)status;
	app.priority = priority;
	app.applied_on = (char *)applied_on;
	char *tags[] = { (char *)tag };
	app.tags = tag ? tags : NULL;
	app.n_tags = tag ? 1 : 0;
	assert_int_equal(store_app_insert(f->s, user, &app, now), STORE_OK);
	return app.id;
}

/* One posting that source *src (inserted here) lists, as *in describes it
 * (for listing it again); returns the posting's id. */
static int64_t add_listed_posting(struct fx *f, struct scrape_source *src, struct posting_ingest *in)
{
	*src = (struct scrape_source){ .name = "acme", .kind = "greenhouse", .target = "acme", .enabled = 1 };
	assert_int_equal(store_source_insert(f->s, src, 10), STORE_OK);
	*in = (struct posting_ingest){
		.posting = { .canonical_key = "acme|engineer|", .title = "Engineer", .company = "Acme" },
		.source = "greenhouse",
		.external_id = "1",
		.source_id = src->id,
		.content_hash = "h1",
		.source_rank = 5,
		.seen_at = 100,
		.max_distance = 3
	};
	enum posting_change change;
	int64_t posting_id;
	assert_int_equal(store_posting_ingest(f->s, in, &change, &posting_id), STORE_OK);
	return posting_id;
}

struct closing {
	struct store *s;
	int64_t source_id, now;
	int rc;
	struct missing_counts counts;
};

static void *close_unlisted(void *arg)
{
	struct closing *c = arg;
	c->rc = store_posting_mark_missing(c->s, c->source_id, c->now, 1, c->now, &c->counts);
	return NULL;
}

/* A posting closing (the scraper, another connection) while a user's
 * transaction edits an application saved from it: both finish, in turn.
 * Every writer takes the user's row before the user's data, the closing's
 * triggers too; taking them the other way round deadlocked. */
static void test_a_posting_closing_during_a_user_transaction_waits_its_turn(void **state)
{
	struct fx *f = *state;
	const int64_t A = f->alice.id;
	struct scrape_source src;
	struct posting_ingest in;
	int64_t posting_id = add_listed_posting(f, &src, &in);
	int64_t app_id = add_app(f, A, "Acme", 110);
	assert_int_equal(store_app_set_posting(f->s, A, app_id, posting_id, 120), STORE_OK);
	struct store *other;
	char err[256] = "";
	assert_int_equal(store_open(f->sf.url, &other, err, sizeof(err)), STORE_OK);

	assert_int_equal(store_tx_begin(f->s, A), STORE_OK); /* holds alice */
	struct closing closing = { .s = other, .source_id = src.id, .now = 500, .rc = -1 };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, close_unlisted, &closing), 0);
	usleep(300 * 1000); /* the closing is now waiting for alice */
	struct application app = get_app(f, A, app_id);
	app.notes = "edited while the posting closed";
	assert_int_equal(store_app_update(f->s, A, &app, APP_F_NOTES, 510), STORE_OK);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(closing.rc, STORE_OK);
	assert_int_equal(closing.counts.postings_closed, 1);
	app = get_app(f, A, app_id);
	assert_string_equal(app.notes, "edited while the posting closed");
	assert_int_equal(app.posting_closed_at, 500);
	store_close(other);
}

/* A page another process remembers is brought up to date after every kind
 * of change (on PostgreSQL from the rows written since, store/listdelta.h),
 * and then equals a fresh read in every order and filter: rows moving in
 * each order, into and out of a filter, a posting closing and reopening, a
 * change that is no row's (a timeline entry), deletions, a rolled-back
 * write, and pages that cannot be brought up to date (a text search, a
 * page that is not the whole list). */
static void test_remembered_pages_follow_every_change_in_every_order(void **state)
{
	struct fx *f = *state;
	const int64_t A = f->alice.id;
	struct store *other;
	char err[256] = "";
	assert_int_equal(store_open(f->sf.url, &other, err, sizeof(err)), STORE_OK);
	struct app_filter filters[APP_SORT_COUNT + 6];
	size_t n_filters = 0;
	for (int sort = 0; sort < APP_SORT_COUNT; sort++)
		filters[n_filters++] = (struct app_filter){ .sort = (enum app_sort)sort };
	filters[n_filters++] = (struct app_filter){ .status = "applied", .sort = APP_SORT_COMPANY_ASC };
	filters[n_filters++] = (struct app_filter){ .tag = "REMOTE", .sort = APP_SORT_APPLIED_DESC };
	filters[n_filters++] = (struct app_filter){ .status = "saved", .tag = "remote" };
	filters[n_filters++] = (struct app_filter){ .q = "co" };
	filters[n_filters++] = (struct app_filter){ .limit = 3, .sort = APP_SORT_PRIORITY_DESC };
	filters[n_filters++] = (struct app_filter){ .limit = 2, .offset = 2 };

	struct scrape_source src;
	struct posting_ingest in;
	enum posting_change change;
	int64_t posting_id = add_listed_posting(f, &src, &in);

	int64_t acme = add_app_as(f, A, "acme", "applied", 3, "2026-03-01", "Remote", 100);
	int64_t beta = add_app_as(f, A, "Beta Co", "saved", 1, NULL, "remote", 110);
	int64_t gamma = add_app_as(f, A, "gamma", "applied", 3, "2026-02-01", NULL, 110);
	add_app_as(f, A, "Delta", "saved", 0, NULL, "onsite", 120);
	add_app_as(f, A, "ACME", "interviewing", 5, "2026-03-01", "remote", 130);
	assert_int_equal(store_app_set_posting(f->s, A, gamma, posting_id, 140), STORE_OK);

	for (int round = 0; round < 13; round++) {
		for (size_t i = 0; i < n_filters; i++) /* other remembers every page as it is now */
			assert_string_equal(page_text(other, &f->a, A, &filters[i]), page_truth(f, A, &filters[i]));
		struct user u;
		assert_int_equal(store_user_by_id(other, A, &u), STORE_OK);
		struct application app = get_app(f, A, beta);
		char *tags[] = { "Remote", "c" };
		int64_t now = 1000 + round * 10;
		struct app_event ev;
		switch (round) {
		case 0: /* moves in company order, out of nothing */
			app.company = "zeta";
			assert_int_equal(store_app_update(f->s, A, &app, APP_F_COMPANY, now), STORE_OK);
			break;
		case 1: /* into the "applied" filter, and a date that moves it in applied order */
			app.status = "applied";
			app.status_changed_at = now;
			app.applied_on = "2026-04-01";
			assert_int_equal(store_app_update(f->s, A, &app, APP_F_STATUS | APP_F_APPLIED_ON, now),
					 STORE_OK);
			break;
		case 2: /* priority order, and out of the tag filter */
			app.priority = 5;
			app.n_tags = 0;
			assert_int_equal(store_app_update(f->s, A, &app, APP_F_PRIORITY | APP_F_TAGS, now), STORE_OK);
			break;
		case 3: /* back into the tag filter under another case */
			app.tags = tags;
			app.n_tags = 2;
			assert_int_equal(store_app_update(f->s, A, &app, APP_F_TAGS, now), STORE_OK);
			break;
		case 4: /* a change that is no listed row's */
			event_blank(&ev, acme, "note", now);
			assert_int_equal(store_event_insert(f->s, A, &ev, now), STORE_OK);
			break;
		case 5: { /* the posting behind gamma closes */
			struct missing_counts mc;
			assert_int_equal(store_posting_mark_missing(f->s, src.id, now, 1, now, &mc), STORE_OK);
			assert_int_equal(mc.postings_closed, 1);
			break;
		}
		case 6: /* ...and reopens */
			in.seen_at = now;
			assert_int_equal(store_posting_ingest(f->s, &in, &change, &posting_id), STORE_OK);
			break;
		case 7:
			add_app_as(f, A, "Epsilon", "applied", 2, "2026-01-15", "REMOTE", now);
			break;
		case 8:
			assert_int_equal(store_app_touch(f->s, A, acme, now), STORE_OK);
			break;
		case 9:
			assert_int_equal(store_app_delete(f->s, A, acme), STORE_OK);
			break;
		case 10: /* one row gone and one new: as many rows as before */
			assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
			assert_int_equal(store_app_delete(f->s, A, gamma), STORE_OK);
			add_app_as(f, A, "Gamma II", "applied", 3, "2026-02-01", NULL, now);
			assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
			break;
		case 11: /* rolled back, then a committed write */
			assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
			add_app_as(f, A, "Ghost", "saved", 1, NULL, "remote", now);
			assert_int_equal(store_tx_end(f->s, STORE_ERROR), STORE_ERROR);
			app.notes = "after the ghost";
			assert_int_equal(store_app_update(f->s, A, &app, APP_F_NOTES, now), STORE_OK);
			break;
		default: /* several rows in one transaction */
			assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
			add_app_as(f, A, "aardvark", "saved", 0, NULL, "remote", now);
			app.status = "offer";
			assert_int_equal(store_app_update(f->s, A, &app, APP_F_STATUS, now), STORE_OK);
			assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
			break;
		}
		await_version_change(other, A, u.data_version);
		for (size_t i = 0; i < n_filters; i++) {
			const char *want = page_truth(f, A, &filters[i]);
			assert_string_equal(page_text(other, &f->a, A, &filters[i]), want);
			assert_string_equal(page_text(other, &f->a, A, &filters[i]),
					    want); /* and from what that left */
		}
	}
	assert_null(strstr(page_truth(f, A, &filters[0]), "Ghost"));
	store_close(other);
}

/* ---- data_version ------------------------------------------------------------------ */

/* Every read the store offers on the user's data, for checking that reads
 * leave the data version alone. */
static void read_everything(struct fx *f, int64_t user, int64_t app_id, int64_t contact_id)
{
	struct app_filter flt = { .tag = "x", .q = "a", .sort = APP_SORT_COMPANY_ASC };
	struct application *items, app;
	struct app_event *ev, e;
	struct contact *cs, c;
	size_t n;
	int64_t total, counts[1];
	static const char *const st[] = { "saved" };
	assert_int_equal(store_app_list(f->s, user, &flt, &f->a, &items, &n, &total), STORE_OK);
	store_app_get(f->s, user, app_id, &f->a, &app);
	assert_int_equal(store_app_count_by_status(f->s, user, st, 1, counts), STORE_OK);
	assert_int_equal(store_event_list(f->s, user, app_id, &f->a, &ev, &n), STORE_OK);
	if (n)
		store_event_get(f->s, user, app_id, ev[0].id, &f->a, &e);
	assert_int_equal(store_interviews_between(f->s, user, 0, INT64_C(1) << 40, &f->a, &ev, &n), STORE_OK);
	assert_int_equal(store_contact_list(f->s, user, 0, &f->a, &cs, &n), STORE_OK);
	assert_int_equal(store_contact_list(f->s, user, app_id, &f->a, &cs, &n), STORE_OK);
	store_contact_get(f->s, user, contact_id, &f->a, &c);
}

static void test_data_version_follows_every_change(void **state)
{
	struct fx *f = *state;
	const int64_t A = f->alice.id;
	int64_t va = data_version(f, A), vb = data_version(f, f->bob.id);

	char *tags[] = { "x", "y" };
	struct application app;
	app_blank(&app, "Acme");
	app.tags = tags;
	app.n_tags = 2;
	assert_int_equal(store_app_insert(f->s, A, &app, 100), STORE_OK);
	int64_t id = app.id;
	expect_bumped(f, A, &va, "inserting an application");
	expect_unchanged(f, f->bob.id, vb, "alice's insert, for bob");
	read_everything(f, A, id, 0);
	expect_unchanged(f, A, va, "reading");

	app.company = "Acme Corp";
	assert_int_equal(store_app_update(f->s, A, &app, APP_F_COMPANY, 200), STORE_OK);
	expect_bumped(f, A, &va, "updating an application's company");
	tags[0] = "z";
	assert_int_equal(store_app_update(f->s, A, &app, APP_F_TAGS, 210), STORE_OK);
	expect_bumped(f, A, &va, "changing an application's tags");
	assert_int_equal(store_app_touch(f->s, A, id, 220), STORE_OK);
	expect_bumped(f, A, &va, "touching an application");

	struct app_event ev;
	event_blank(&ev, id, "note", 300);
	assert_int_equal(store_event_insert(f->s, A, &ev, 300), STORE_OK);
	expect_bumped(f, A, &va, "adding a timeline entry");
	ev.body = "edited";
	assert_int_equal(store_event_update(f->s, A, &ev), STORE_OK);
	expect_bumped(f, A, &va, "editing a timeline entry");

	struct contact c;
	contact_blank(&c, "Ada");
	assert_int_equal(store_contact_insert(f->s, A, &c, 400), STORE_OK);
	expect_bumped(f, A, &va, "adding a contact");
	read_everything(f, A, id, c.id);
	expect_unchanged(f, A, va, "reading");
	c.role = "CTO";
	assert_int_equal(store_contact_update(f->s, A, &c, 410), STORE_OK);
	expect_bumped(f, A, &va, "updating a contact");
	assert_int_equal(store_contact_link(f->s, A, id, c.id), STORE_OK);
	expect_bumped(f, A, &va, "linking a contact");
	assert_int_equal(store_contact_unlink(f->s, A, id, c.id), STORE_OK);
	expect_bumped(f, A, &va, "unlinking a contact");

	/* Failed writes leave it alone. */
	app.id = 999999;
	assert_int_equal(store_app_update(f->s, A, &app, APP_F_ALL, 500), STORE_NOTFOUND);
	assert_int_equal(store_app_delete(f->s, A, 999999), STORE_NOTFOUND);
	assert_int_equal(store_event_delete(f->s, A, id, 999999), STORE_NOTFOUND);
	assert_int_equal(store_contact_delete(f->s, A, 999999), STORE_NOTFOUND);
	expect_unchanged(f, A, va, "writes that found nothing");

	/* Session, token, setting and limit writes are not tracker data. */
	uint8_t h[32];
	hash_of(h, 70);
	assert_int_equal(store_session_create(f->s, A, h, 600, 9000, "", ""), STORE_OK);
	int64_t tid;
	assert_int_equal(store_token_create(f->s, A, "t", "jt_", h, 600, &tid), STORE_OK);
	struct user u;
	assert_int_equal(store_session_user(f->s, h, 600, &u), STORE_OK);
	assert_int_equal(u.data_version, va); /* the lookups carry it too */
	assert_int_equal(store_token_user(f->s, h, 600, &u), STORE_OK);
	assert_int_equal(u.data_version, va);

	assert_int_equal(store_event_delete(f->s, A, id, ev.id), STORE_OK);
	expect_bumped(f, A, &va, "deleting a timeline entry");
	assert_int_equal(store_contact_link(f->s, A, id, c.id), STORE_OK);
	expect_bumped(f, A, &va, "linking again");
	assert_int_equal(store_contact_delete(f->s, A, c.id), STORE_OK);
	expect_bumped(f, A, &va, "deleting a linked contact");
	assert_int_equal(store_app_delete(f->s, A, id), STORE_OK);
	expect_bumped(f, A, &va, "deleting an application");
	expect_unchanged(f, f->bob.id, vb, "all of alice's changes, for bob");
}

/* Inside a transaction the change is seen at once; undone, it is as if it
 * never happened. */
static void test_data_version_moves_inside_the_transaction(void **state)
{
	struct fx *f = *state;
	const int64_t A = f->alice.id;
	int64_t va = data_version(f, A);
	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	int64_t id = add_app(f, A, "Inside", 100);
	assert_int_not_equal(data_version(f, A), va);
	assert_int_equal(store_tx_end(f->s, STORE_ERROR), STORE_ERROR);
	expect_unchanged(f, A, va, "a rolled-back insert");
	struct application app;
	assert_int_equal(store_app_get(f->s, A, id, &f->a, &app), STORE_NOTFOUND);
}

/* However many writes a transaction makes, it moves the data version (how
 * far is the backend's business), and the next transaction moves it again:
 * nothing of one transaction's bookkeeping is left for the next. A
 * transaction that only reads leaves it alone. */
static void test_data_version_moves_in_every_writing_transaction(void **state)
{
	struct fx *f = *state;
	const int64_t A = f->alice.id, B = f->bob.id;
	int64_t va = data_version(f, A), vb = data_version(f, B);
	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	int64_t id = add_app(f, A, "Several", 100);
	assert_int_not_equal(data_version(f, A), va);
	add_event(f, A, id, "note", 110);
	assert_int_equal(store_app_touch(f->s, A, id, 120), STORE_OK);
	assert_int_not_equal(data_version(f, A), va);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	expect_bumped(f, A, &va, "a transaction of three writes");
	expect_unchanged(f, B, vb, "alice's transaction, for bob");

	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	assert_int_equal(store_app_touch(f->s, A, id, 130), STORE_OK);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	expect_bumped(f, A, &va, "the next transaction");
	assert_int_equal(store_app_touch(f->s, A, id, 140), STORE_OK);
	expect_bumped(f, A, &va, "a write of its own after it");

	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	read_everything(f, A, id, 0);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	expect_unchanged(f, A, va, "a transaction that only read");

	/* Two users' data in one transaction: each one's version moves. */
	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	assert_int_equal(store_app_touch(f->s, A, id, 150), STORE_OK);
	add_app(f, B, "Bob's", 150);
	assert_int_equal(store_app_touch(f->s, A, id, 160), STORE_OK);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	expect_bumped(f, A, &va, "alice's part of a shared transaction");
	expect_bumped(f, B, &vb, "bob's part of a shared transaction");
}

/* ---- transactions -------------------------------------------------------------------- */

static void test_transaction_commits_and_reads_its_own_writes(void **state)
{
	struct fx *f = *state;
	const int64_t A = f->alice.id;
	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	int64_t one = add_app(f, A, "One", 100);
	assert_string_equal(get_app(f, A, one).company, "One");
	int64_t ev = add_event(f, A, one, "note", 100);
	assert_int_equal(store_app_touch(f->s, A, one, 110), STORE_OK);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	assert_int_equal(get_app(f, A, one).version, 2);
	struct app_event e;
	assert_int_equal(store_event_get(f->s, A, one, ev, &f->a, &e), STORE_OK);
	/* user_id 0: a transaction that serialises with nobody in particular. */
	assert_int_equal(store_tx_begin(f->s, 0), STORE_OK);
	assert_int_equal(store_setting_set(f->s, "k", "v"), STORE_OK);
	add_app(f, f->bob.id, "Bob's", 100);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	struct app_filter all = { 0 };
	assert_int_equal(list_total(f, f->bob.id, &all), 1);
}

static void test_nested_transactions_join_and_an_inner_failure_undoes_all(void **state)
{
	struct fx *f = *state;
	const int64_t A = f->alice.id;
	struct app_filter all = { 0 };

	/* Inner commit, outer commit: both kept, and only then. */
	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	add_app(f, A, "Outer", 100);
	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	add_app(f, A, "Inner", 100);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	assert_int_equal(list_total(f, A, &all), 2);

	/* An inner failure undoes the outer work too, whatever the outer says. */
	int64_t va = data_version(f, A);
	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	int64_t outer = add_app(f, A, "Outer 2", 200);
	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	add_app(f, A, "Inner 2", 200);
	assert_int_equal(store_tx_end(f->s, STORE_CONFLICT), STORE_CONFLICT);
	store_tx_end(f->s, 0);
	assert_int_equal(list_total(f, A, &all), 2);
	struct application app;
	assert_int_equal(store_app_get(f->s, A, outer, &f->a, &app), STORE_NOTFOUND);
	expect_unchanged(f, A, va, "an undone transaction");

	/* The connection is usable afterwards, in and out of transactions. */
	add_app(f, A, "After", 300);
	assert_int_equal(store_tx_begin(f->s, A), STORE_OK);
	add_app(f, A, "After 2", 300);
	assert_int_equal(store_tx_end(f->s, 0), STORE_OK);
	assert_int_equal(list_total(f, A, &all), 4);
}

/* Read-check-write of one application from many threads, half of them on a
 * second store of the same database (as another process would be): inside
 * store_tx_begin(s, user) no increment is lost. */
struct incrementer {
	struct store *s;
	int64_t user, app_id;
	int n, failures;
};

static void *increment_main(void *p)
{
	struct incrementer *w = p;
	for (int i = 0; i < w->n; i++) {
		struct arena a;
		arena_init(&a, 0);
		int rc = store_tx_begin(w->s, w->user);
		if (rc == STORE_OK) {
			struct application app;
			rc = store_app_get(w->s, w->user, w->app_id, &a, &app);
			if (rc == STORE_OK) {
				usleep(200); /* widen the window a lost update needs */
				app.salary_min++;
				app.has_salary_min = 1;
				rc = store_app_update(w->s, w->user, &app, APP_F_SALARY_MIN, 1000 + i);
			}
			rc = store_tx_end(w->s, rc);
		}
		if (rc)
			w->failures++;
		arena_free(&a);
	}
	return NULL;
}

static void test_read_check_write_in_a_user_transaction_loses_no_update(void **state)
{
	struct fx *f = *state;
	struct application app;
	app_blank(&app, "Counter");
	app.has_salary_min = 1;
	app.salary_min = 0;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 1), STORE_OK);
	struct store *other = NULL;
	char err[256] = "";
	assert_int_equal(store_open(f->sf.url, &other, err, sizeof(err)), STORE_OK);
	enum { THREADS = 4, EACH = 25 };
	pthread_t th[THREADS];
	struct incrementer w[THREADS];
	for (int i = 0; i < THREADS; i++) {
		w[i] =
		    (struct incrementer){ .s = i % 2 ? other : f->s, .user = f->alice.id, .app_id = app.id, .n = EACH };
		assert_int_equal(pthread_create(&th[i], NULL, increment_main, &w[i]), 0);
	}
	int failures = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		failures += w[i].failures;
	}
	store_close(other);
	assert_int_equal(failures, 0);
	struct application got = get_app(f, f->alice.id, app.id);
	assert_int_equal(got.salary_min, THREADS * EACH);
	assert_int_equal(got.version, 1 + THREADS * EACH);
}

/* ---- many threads ------------------------------------------------------------------- */

struct worker {
	struct store *s;
	int64_t user;
	int n, failures;
};

static void *worker_main(void *p)
{
	struct worker *w = p;
	for (int i = 0; i < w->n; i++) {
		struct arena a;
		arena_init(&a, 0);
		struct application app, got;
		app_blank(&app, "Threaded");
		if (store_app_insert(w->s, w->user, &app, 1000 + i) || store_app_get(w->s, w->user, app.id, &a, &got) ||
		    got.id != app.id)
			w->failures++;
		struct app_event ev;
		event_blank(&ev, app.id, "note", 1000 + i);
		if (store_event_insert(w->s, w->user, &ev, 1000 + i) ||
		    store_app_touch(w->s, w->user, app.id, 2000 + i))
			w->failures++;
		arena_free(&a);
	}
	return NULL;
}

static void test_many_threads_share_a_store(void **state)
{
	struct fx *f = *state;
	enum { THREADS = 6, EACH = 15 };
	pthread_t th[THREADS];
	struct worker w[THREADS];
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .s = f->s, .user = i % 2 ? f->alice.id : f->bob.id, .n = EACH };
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	struct app_filter all = { 0 };
	assert_int_equal(list_total(f, f->alice.id, &all), THREADS / 2 * EACH);
	assert_int_equal(list_total(f, f->bob.id, &all), THREADS / 2 * EACH);
	assert_int_equal(store_ping(f->s), STORE_OK);
}

/* ---- store_copy ----------------------------------------------------------------------- */

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

#define SAME_INT(x, y, what) \
	do { \
		if ((x) != (y)) \
			fail_msg("%s: %lld in the copy, %lld in the source", what, (long long)(y), (long long)(x)); \
	} while (0)
#define SAME_STR(x, y, what) \
	do { \
		if (!same_str((x), (y))) \
			fail_msg("%s: \"%s\" in the copy, \"%s\" in the source", what, (y) ? (y) : "(null)", \
				 (x) ? (x) : "(null)"); \
	} while (0)

static void same_app(const struct application *a, const struct application *b)
{
	SAME_INT(a->id, b->id, "application id");
	SAME_INT(a->version, b->version, "application version");
	SAME_STR(a->company, b->company, "company");
	SAME_STR(a->position, b->position, "position");
	SAME_STR(a->location, b->location, "location");
	SAME_STR(a->url, b->url, "url");
	SAME_STR(a->source, b->source, "source");
	SAME_INT(a->has_salary_min, b->has_salary_min, "has_salary_min");
	SAME_INT(a->has_salary_max, b->has_salary_max, "has_salary_max");
	if (a->has_salary_min)
		SAME_INT(a->salary_min, b->salary_min, "salary_min");
	if (a->has_salary_max)
		SAME_INT(a->salary_max, b->salary_max, "salary_max");
	SAME_STR(a->salary_currency, b->salary_currency, "salary_currency");
	SAME_STR(a->salary_period, b->salary_period, "salary_period");
	SAME_STR(a->status, b->status, "status");
	SAME_INT(a->priority, b->priority, "priority");
	SAME_INT(a->n_tags, b->n_tags, "number of tags");
	for (size_t i = 0; i < a->n_tags; i++)
		SAME_STR(a->tags[i], b->tags[i], "tag");
	SAME_STR(a->saved_on, b->saved_on, "saved_on");
	SAME_STR(a->applied_on, b->applied_on, "applied_on");
	SAME_STR(a->follow_up_on, b->follow_up_on, "follow_up_on");
	SAME_STR(a->notes, b->notes, "notes");
	SAME_INT(a->created_at, b->created_at, "created_at");
	SAME_INT(a->updated_at, b->updated_at, "updated_at");
	SAME_INT(a->status_changed_at, b->status_changed_at, "status_changed_at");
}

static void same_event(const struct app_event *a, const struct app_event *b)
{
	SAME_INT(a->id, b->id, "event id");
	SAME_INT(a->app_id, b->app_id, "event app_id");
	SAME_INT(a->version, b->version, "event version");
	SAME_STR(a->kind, b->kind, "event kind");
	SAME_INT(a->at, b->at, "event at");
	SAME_STR(a->from_status, b->from_status, "from_status");
	SAME_STR(a->to_status, b->to_status, "to_status");
	SAME_STR(a->title, b->title, "event title");
	SAME_STR(a->body, b->body, "event body");
	SAME_STR(a->interview_kind, b->interview_kind, "interview_kind");
	SAME_STR(a->with_whom, b->with_whom, "with_whom");
	SAME_INT(a->created_at, b->created_at, "event created_at");
}

static void same_contact(const struct contact *a, const struct contact *b)
{
	SAME_INT(a->id, b->id, "contact id");
	SAME_INT(a->version, b->version, "contact version");
	SAME_STR(a->name, b->name, "contact name");
	SAME_STR(a->role, b->role, "contact role");
	SAME_STR(a->email, b->email, "contact email");
	SAME_STR(a->phone, b->phone, "contact phone");
	SAME_STR(a->url, b->url, "contact url");
	SAME_STR(a->notes, b->notes, "contact notes");
	SAME_INT(a->created_at, b->created_at, "contact created_at");
	SAME_INT(a->updated_at, b->updated_at, "contact updated_at");
}

struct user_list {
	struct user u[8];
	int n;
};

static void collect_user(const struct user *u, void *ctx)
{
	struct user_list *l = ctx;
	if (l->n < 8)
		l->u[l->n] = *u;
	l->n++;
}

struct copied {
	char tables[32][32];
	int64_t rows[32];
	int n;
};

static void note_table(const char *table, int64_t rows, void *ctx)
{
	struct copied *c = ctx;
	if (c->n < 32) {
		snprintf(c->tables[c->n], sizeof(c->tables[0]), "%s", table);
		c->rows[c->n] = rows;
	}
	c->n++;
}

static int64_t copied_rows(const struct copied *c, const char *table)
{
	for (int i = 0; i < c->n && i < 32; i++)
		if (strcmp(c->tables[i], table) == 0)
			return c->rows[i];
	fail_msg("store_copy reported no table \"%s\"", table);
	return -1;
}

/* What the copy test puts into the source store. */
struct populated {
	int64_t users[3];
	int64_t max_app, max_event, max_contact; /* the highest ids ever handed out */
	uint8_t session_hash[3][32], token_hash[2][32];
};

static void populate(struct store *s, struct arena *a, struct populated *p)
{
	struct user u;
	static const char *const emails[] = { "alice@example.com", "Bob@Example.com", "carol@example.com" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_user_create(s, emails[i], "hash", 1000 + i, &u), STORE_OK);
		p->users[i] = u.id;
	}
	const int64_t A = p->users[0], B = p->users[1];
	assert_int_equal(store_user_set_admin(s, B, 1, 1100), STORE_OK);
	assert_int_equal(store_user_set_password(s, p->users[2], "new-hash", NULL, 1101), STORE_OK);
	assert_int_equal(store_setting_set(s, "signup_open", "0"), STORE_OK);
	int64_t count, end;
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_limit_hit(s, "login:alice", 10, 600, 1200 + i, &count, &end), STORE_OK);

	char *tags1[] = { "remote", "C", "\xc3\xa9t\xc3\xa9" }, *tags2[] = { "onsite" };
	struct application app;
	app_blank(&app, "Über GmbH");
	app.position = "Dev";
	app.location = "Berlin";
	app.url = "https://x.example/1";
	app.source = "referral";
	app.salary_min = 50000;
	app.has_salary_min = 1;
	app.salary_currency = "EUR";
	app.salary_period = "year";
	app.status = "applied";
	app.priority = 3;
	app.tags = tags1;
	app.n_tags = 3;
	app.saved_on = "2026-01-01";
	app.applied_on = "2026-01-02";
	app.notes = "multi\nline";
	assert_int_equal(store_app_insert(s, A, &app, 2000), STORE_OK);
	int64_t a1 = app.id;
	app.status = "interviewing";
	app.status_changed_at = 2100;
	app.follow_up_on = "2026-03-01";
	assert_int_equal(store_app_update(s, A, &app, APP_F_STATUS | APP_F_FOLLOW_UP_ON, 2100), STORE_OK);
	app_blank(&app, "Plain");
	app.tags = tags2;
	app.n_tags = 1;
	assert_int_equal(store_app_insert(s, A, &app, 2200), STORE_OK);
	int64_t a2 = app.id;
	app_blank(&app, "Bob's");
	app.has_salary_max = 1;
	app.salary_max = 90;
	assert_int_equal(store_app_insert(s, B, &app, 2300), STORE_OK);
	int64_t b1 = app.id;
	app_blank(&app, "Deleted, highest id");
	assert_int_equal(store_app_insert(s, A, &app, 2400), STORE_OK);
	p->max_app = app.id;

	struct app_event ev;
	event_blank(&ev, a1, "status_change", 2100);
	ev.from_status = "saved";
	ev.to_status = "applied";
	assert_int_equal(store_event_insert(s, A, &ev, 2100), STORE_OK);
	event_blank(&ev, a1, "interview", 5000);
	ev.interview_kind = "video";
	ev.with_whom = "Grace";
	ev.title = "Round 1";
	assert_int_equal(store_event_insert(s, A, &ev, 2150), STORE_OK);
	ev.at = 5100;
	assert_int_equal(store_event_update(s, A, &ev), STORE_OK); /* version 2 */
	event_blank(&ev, b1, "note", 2350);
	ev.body = "bob's note";
	assert_int_equal(store_event_insert(s, B, &ev, 2350), STORE_OK);
	event_blank(&ev, a2, "note", 2500);
	assert_int_equal(store_event_insert(s, A, &ev, 2500), STORE_OK);
	p->max_event = ev.id;
	assert_int_equal(store_event_delete(s, A, a2, ev.id), STORE_OK);

	struct contact c;
	contact_blank(&c, "Rita");
	c.email = "rita@example.com";
	assert_int_equal(store_contact_insert(s, A, &c, 2600), STORE_OK);
	c.role = "Recruiter";
	assert_int_equal(store_contact_update(s, A, &c, 2610), STORE_OK);
	assert_int_equal(store_contact_link(s, A, a1, c.id), STORE_OK);
	assert_int_equal(store_contact_link(s, A, a2, c.id), STORE_OK);
	contact_blank(&c, "Bea");
	assert_int_equal(store_contact_insert(s, B, &c, 2620), STORE_OK);
	assert_int_equal(store_contact_link(s, B, b1, c.id), STORE_OK);
	contact_blank(&c, "Gone");
	assert_int_equal(store_contact_insert(s, A, &c, 2630), STORE_OK);
	p->max_contact = c.id;
	assert_int_equal(store_contact_delete(s, A, c.id), STORE_OK);
	assert_int_equal(store_app_delete(s, A, p->max_app), STORE_OK);
	assert_int_equal(store_app_touch(s, A, a2, 2700), STORE_OK);

	for (int i = 0; i < 3; i++)
		hash_of(p->session_hash[i], (unsigned char)(100 + i));
	assert_int_equal(store_session_create(s, A, p->session_hash[0], 3000, 90000, "UA 1", "10.0.0.1"), STORE_OK);
	assert_int_equal(store_session_create(s, A, p->session_hash[1], 3001, 90000, "UA 2", "::1"), STORE_OK);
	assert_int_equal(store_session_create(s, B, p->session_hash[2], 3002, 90000, "", ""), STORE_OK);
	hash_of(p->token_hash[0], 110);
	hash_of(p->token_hash[1], 111);
	int64_t t1, t2;
	assert_int_equal(store_token_create(s, A, "laptop", "jt_aaa", p->token_hash[0], 3100, &t1), STORE_OK);
	assert_int_equal(store_token_create(s, A, "old", "jt_bbb", p->token_hash[1], 3101, &t2), STORE_OK);
	assert_int_equal(store_token_user(s, p->token_hash[0], 3200, &u), STORE_OK);
	assert_int_equal(store_token_revoke(s, A, t2, 3300), STORE_OK);
	(void)a;
}

/* Everything the API can read of one user, compared between src and dst. */
static void same_user_data(struct store *src, struct store *dst, int64_t user, const struct populated *p,
			   struct arena *a)
{
	struct app_filter all = { .sort = APP_SORT_CREATED_ASC, .limit = 1000 };
	struct application *sa, *da;
	size_t sn, dn;
	int64_t st, dt;
	assert_int_equal(store_app_list(src, user, &all, a, &sa, &sn, &st), STORE_OK);
	assert_int_equal(store_app_list(dst, user, &all, a, &da, &dn, &dt), STORE_OK);
	assert_int_equal(dn, sn);
	assert_int_equal(dt, st);
	for (size_t i = 0; i < sn; i++) {
		same_app(&sa[i], &da[i]);
		struct app_event *se, *de;
		size_t sen, den;
		assert_int_equal(store_event_list(src, user, sa[i].id, a, &se, &sen), STORE_OK);
		assert_int_equal(store_event_list(dst, user, sa[i].id, a, &de, &den), STORE_OK);
		assert_int_equal(den, sen);
		for (size_t j = 0; j < sen; j++)
			same_event(&se[j], &de[j]);
		struct contact *sc, *dc;
		size_t scn, dcn;
		assert_int_equal(store_contact_list(src, user, sa[i].id, a, &sc, &scn), STORE_OK);
		assert_int_equal(store_contact_list(dst, user, sa[i].id, a, &dc, &dcn), STORE_OK);
		assert_int_equal(dcn, scn);
		for (size_t j = 0; j < scn; j++)
			same_contact(&sc[j], &dc[j]);
	}
	struct contact *sc, *dc;
	size_t scn, dcn;
	assert_int_equal(store_contact_list(src, user, 0, a, &sc, &scn), STORE_OK);
	assert_int_equal(store_contact_list(dst, user, 0, a, &dc, &dcn), STORE_OK);
	assert_int_equal(dcn, scn);
	for (size_t j = 0; j < scn; j++)
		same_contact(&sc[j], &dc[j]);

	struct session_info *ss, *ds;
	assert_int_equal(store_session_list(src, user, p->session_hash[0], 4000, a, &ss, &sn), STORE_OK);
	assert_int_equal(store_session_list(dst, user, p->session_hash[0], 4000, a, &ds, &dn), STORE_OK);
	assert_int_equal(dn, sn);
	for (size_t i = 0; i < sn; i++) {
		SAME_INT(ss[i].id, ds[i].id, "session id");
		SAME_INT(ss[i].created_at, ds[i].created_at, "session created_at");
		SAME_INT(ss[i].expires_at, ds[i].expires_at, "session expires_at");
		SAME_STR(ss[i].user_agent, ds[i].user_agent, "session user_agent");
		SAME_STR(ss[i].address, ds[i].address, "session address");
		SAME_INT(ss[i].current, ds[i].current, "current session");
	}
	struct api_token *stk, *dtk;
	assert_int_equal(store_token_list(src, user, a, &stk, &sn), STORE_OK);
	assert_int_equal(store_token_list(dst, user, a, &dtk, &dn), STORE_OK);
	assert_int_equal(dn, sn);
	for (size_t i = 0; i < sn; i++) {
		SAME_INT(stk[i].id, dtk[i].id, "token id");
		SAME_STR(stk[i].name, dtk[i].name, "token name");
		SAME_STR(stk[i].prefix, dtk[i].prefix, "token prefix");
		SAME_INT(stk[i].created_at, dtk[i].created_at, "token created_at");
		SAME_INT(stk[i].last_used_at, dtk[i].last_used_at, "token last_used_at");
	}
}

static void test_copy_moves_every_row(void **state)
{
	struct fx *f = *state; /* f->s: the empty destination, of the backend under test */
	assert_int_equal(store_fixture_make(&f->extra, "sqlite", 1), 0);
	struct store *src = f->extra.s;
	struct populated p;
	populate(src, &f->a, &p);

	struct copied copied = { 0 };
	char err[256] = "";
	int rc = store_copy(src, f->s, note_table, &copied, err, sizeof(err));
	if (rc)
		fail_msg("store_copy: %d: %s", rc, err);
	assert_int_equal(copied_rows(&copied, "users"), 3);
	assert_int_equal(copied_rows(&copied, "applications"), 3);

	int sv, sl, dv, dl;
	assert_int_equal(store_schema_version(src, &sv, &sl), STORE_OK);
	assert_int_equal(store_schema_version(f->s, &dv, &dl), STORE_OK);
	assert_int_equal(dv, sv);

	struct user_list su = { 0 }, du = { 0 };
	assert_int_equal(store_user_each(src, collect_user, &su), STORE_OK);
	assert_int_equal(store_user_each(f->s, collect_user, &du), STORE_OK);
	assert_int_equal(du.n, su.n);
	assert_int_equal(su.n, 3);
	for (int i = 0; i < su.n; i++) {
		SAME_INT(su.u[i].id, du.u[i].id, "user id");
		SAME_STR(su.u[i].email, du.u[i].email, "user email");
		SAME_STR(su.u[i].password_hash, du.u[i].password_hash, "password hash");
		SAME_INT(su.u[i].is_admin, du.u[i].is_admin, "is_admin");
		SAME_INT(su.u[i].token_version, du.u[i].token_version, "token_version");
		SAME_INT(su.u[i].created_at, du.u[i].created_at, "user created_at");
		/* Caches key on data_version: the copy's may have moved on while its
		 * rows went in, but never back to a value the source already had
		 * for other data. */
		if (du.u[i].data_version < su.u[i].data_version)
			fail_msg("data_version went back in the copy: %lld, was %lld", (long long)du.u[i].data_version,
				 (long long)su.u[i].data_version);
		same_user_data(src, f->s, su.u[i].id, &p, &f->a);
	}
	char sv_set[16], dv_set[16];
	assert_int_equal(store_setting_get(src, "signup_open", sv_set, sizeof(sv_set)), STORE_OK);
	assert_int_equal(store_setting_get(f->s, "signup_open", dv_set, sizeof(dv_set)), STORE_OK);
	assert_string_equal(dv_set, sv_set);
	/* Rate-limit counters are not compared: they are throttling state that
	 * lapses within minutes, and store_copy leaves them behind. */

	/* Sessions and tokens work by their hashes; e-mails are found ignoring case. */
	struct user u;
	assert_int_equal(store_session_user(f->s, p.session_hash[2], 4000, &u), STORE_OK);
	assert_int_equal(u.id, p.users[1]);
	assert_int_equal(store_token_user(f->s, p.token_hash[0], 3210, &u), STORE_OK);
	assert_int_equal(u.id, p.users[0]);
	assert_int_equal(store_token_user(f->s, p.token_hash[1], 3210, &u), STORE_NOTFOUND);
	assert_int_equal(store_user_by_email(f->s, "bob@example.com", &u), STORE_OK);
	assert_int_equal(u.id, p.users[1]);
	assert_int_equal(store_user_create(f->s, "ALICE@example.com", "h", 5000, &u), STORE_CONFLICT);

	/* The id counters came along: deleted ids are not handed out again. */
	const int64_t A = p.users[0];
	int64_t app = add_app(f, A, "After the copy", 6000);
	assert_true(app > p.max_app);
	assert_true(add_event(f, A, app, "note", 6000) > p.max_event);
	assert_true(add_contact(f, A, "After", 6000) > p.max_contact);
	assert_int_equal(store_user_create(f->s, "new@example.com", "h", 6000, &u), STORE_OK);
	assert_true(u.id > p.users[2]);
	assert_false(u.is_admin);
}

static void test_copy_refuses_a_store_that_has_users(void **state)
{
	struct fx *f = *state; /* alice and bob exist in the destination */
	assert_int_equal(store_fixture_make(&f->extra, "sqlite", 1), 0);
	struct store *src = f->extra.s;
	struct user u;
	assert_int_equal(store_user_create(src, "someone@example.com", "h", 1, &u), STORE_OK);
	add_app(f, f->alice.id, "Existing", 10);
	char err[256] = "";
	assert_int_not_equal(store_copy(src, f->s, NULL, NULL, err, sizeof(err)), STORE_OK);
	assert_true(err[0] != '\0');
	int64_t count = 0;
	assert_int_equal(store_user_count(f->s, &count), STORE_OK);
	assert_int_equal(count, 2);
	assert_int_equal(store_user_by_email(f->s, "someone@example.com", &u), STORE_NOTFOUND);
	struct app_filter all = { 0 };
	assert_int_equal(list_total(f, f->alice.id, &all), 1);
}

/* ---- main ------------------------------------------------------------------------------ */

#define T(fn)          cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define T_BARE(fn)     cmocka_unit_test_setup_teardown(fn, setup_bare, teardown)
#define T_UNOPENED(fn) cmocka_unit_test_setup_teardown(fn, setup_unopened, teardown)

int main(void)
{
	log_set_level(LOG_WARN); /* migrations log at info on every fresh database */
	const char *backend = store_fixture_backend();
	if (!backend) {
		fprintf(stderr, "JT_TEST_STORE_URL must be unset, \"sqlite\" or a postgres:// URL\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		T(test_backend_name_is_the_configured_one),
		T(test_schema_is_current_and_migrating_again_is_a_no_op),
		T_UNOPENED(test_open_nomigrate_then_migrate),
		T_UNOPENED(test_concurrent_migrations_are_safe),
		T(test_reopen_keeps_data),
		cmocka_unit_test(test_open_rejects_unknown_urls),
		T(test_settings_get_set),
		T(test_limit_counts_within_a_window_and_caps),
		T(test_limit_reset_forgets_a_key),
		T(test_limit_sweeps_only_its_own_family),
		T(test_login_addresses_are_remembered_for_a_while),
		T(test_limit_counts_are_shared),
		T(test_first_user_is_admin),
		T_BARE(test_racing_first_sign_ups_make_one_admin),
		T(test_email_is_unique_ignoring_case),
		T(test_user_lookups_not_found),
		T(test_sessions_lookup_expiry_delete),
		T(test_session_create_sweeps_expired_sessions),
		T(test_session_list_and_revoke),
		T(test_sessions_end_others),
		T(test_set_password_bumps_version_and_ends_other_sessions),
		T(test_tokens_lookup_list_revoke),
		T(test_token_use_is_noted_once_a_minute),
		T(test_app_insert_get_round_trip),
		T(test_app_create_adds_its_created_entry),
		T(test_app_without_optional_fields),
		T(test_app_update_writes_only_the_named_fields),
		T(test_app_updates_of_different_fields_do_not_undo_each_other),
		T(test_app_touch),
		T(test_app_delete_takes_tags_timeline_and_links),
		T(test_every_call_is_scoped_to_its_user),
		T(test_company_order_ignores_ascii_case_only),
		T(test_tags_filter_matches_a_whole_tag_ignoring_ascii_case),
		T(test_tags_with_quotes_commas_and_braces_round_trip),
		T(test_integers_round_trip_at_their_extremes),
		T(test_query_is_a_literal_substring),
		T(test_filters_combine),
		T(test_every_sort),
		T(test_pagination_and_totals),
		T(test_default_page_is_50_and_limits_are_capped),
		T(test_count_by_status),
		T(test_events_insert_get_list_update_delete),
		T(test_event_list_is_not_paged),
		T(test_interviews_between),
		T(test_event_history),
		T(test_app_brief),
		T(test_contacts_insert_get_update_delete),
		T(test_contacts_listed_by_name),
		T(test_contacts_link_and_unlink),
		T(test_ids_are_never_reused),
		T(test_session_and_token_ids_are_never_reused),
		T(test_snapshot_transaction_sees_one_moment),
		T(test_negative_offset_lists_from_the_start),
		T(test_listing_tags_match_their_applications_across_pages),
		T(test_another_store_sees_changes_at_once),
		T(test_repeated_listings_show_every_change),
		T(test_remembered_pages_follow_every_change_in_every_order),
		T(test_a_posting_closing_during_a_user_transaction_waits_its_turn),
		T(test_data_version_follows_every_change),
		T(test_data_version_moves_inside_the_transaction),
		T(test_data_version_moves_in_every_writing_transaction),
		T(test_transaction_commits_and_reads_its_own_writes),
		T(test_nested_transactions_join_and_an_inner_failure_undoes_all),
		T(test_read_check_write_in_a_user_transaction_loses_no_update),
		T_BARE(test_copy_moves_every_row),
		T(test_copy_refuses_a_store_that_has_users),
		T(test_many_threads_share_a_store),
	};
	char name[32];
	snprintf(name, sizeof(name), "store (%s)", backend);
	return cmocka_run_group_tests_name(name, tests, NULL, NULL);
}
