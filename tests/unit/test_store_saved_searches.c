/* The store's contract for saved searches (store.h, "saved searches"):
 * per user, names unique per user, the two moments (looked at, alerted)
 * and the digest task's view of what is due across users — written against
 * store.h alone, so it runs unchanged on every backend (JT_TEST_STORE_URL
 * picks one; see store_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "store/store.h"
#include "store_fixture.h"

struct fx {
	struct store_fixture sf;
	struct store *s;
	struct arena a;
	struct user alice, bob;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	arena_init(&f->a, 0);
	*state = f;
	if (store_fixture_make(&f->sf, NULL, 1))
		return -1;
	f->s = f->sf.s;
	if (store_user_create(f->s, "alice@example.com", "hash-a", 1000, &f->alice) ||
	    store_user_create(f->s, "bob@example.com", "hash-b", 1000, &f->bob))
		return -1;
	return 0;
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

static int64_t add(struct fx *f, int64_t user_id, const char *name, const char *query, const char *alert, int64_t now)
{
	struct saved_search ss = { .name = name, .query = query, .alert = alert };
	assert_int_equal(store_saved_search_insert(f->s, user_id, &ss, now), STORE_OK);
	assert_true(ss.id > 0);
	assert_int_equal(ss.last_looked_at, now);
	assert_int_equal(ss.last_alert_at, 0);
	return ss.id;
}

static void test_crud(void **state)
{
	struct fx *f = *state;
	int64_t rust = add(f, f->alice.id, "Rust remote", "q=rust&workplace=remote", "daily", 2000);
	int64_t go = add(f, f->alice.id, "Go", "q=go", "none", 2001);
	struct saved_search got;
	assert_int_equal(store_saved_search_get(f->s, f->alice.id, rust, &f->a, &got), STORE_OK);
	assert_string_equal(got.name, "Rust remote");
	assert_string_equal(got.query, "q=rust&workplace=remote");
	assert_string_equal(got.alert, "daily");
	assert_int_equal(got.user_id, f->alice.id);
	assert_int_equal(got.created_at, 2000);

	struct saved_search *list;
	size_t n;
	assert_int_equal(store_saved_search_list(f->s, f->alice.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, go); /* by name */
	assert_int_equal(list[1].id, rust);

	/* a rename keeps the moment looked at; a new query starts it afresh */
	got.name = "Rust, remote";
	assert_int_equal(store_saved_search_update(f->s, f->alice.id, &got, 3000), STORE_OK);
	assert_int_equal(store_saved_search_get(f->s, f->alice.id, rust, &f->a, &got), STORE_OK);
	assert_string_equal(got.name, "Rust, remote");
	assert_int_equal(got.last_looked_at, 2000);
	assert_int_equal(got.updated_at, 3000);
	got.query = "q=rust";
	got.alert = "weekly";
	assert_int_equal(store_saved_search_update(f->s, f->alice.id, &got, 3100), STORE_OK);
	assert_int_equal(store_saved_search_get(f->s, f->alice.id, rust, &f->a, &got), STORE_OK);
	assert_int_equal(got.last_looked_at, 3100);
	assert_string_equal(got.alert, "weekly");

	assert_int_equal(store_saved_search_looked(f->s, f->alice.id, rust, 4000), STORE_OK);
	assert_int_equal(store_saved_search_get(f->s, f->alice.id, rust, &f->a, &got), STORE_OK);
	assert_int_equal(got.last_looked_at, 4000);

	assert_int_equal(store_saved_search_delete(f->s, f->alice.id, go), STORE_OK);
	assert_int_equal(store_saved_search_get(f->s, f->alice.id, go, &f->a, &got), STORE_NOTFOUND);
	assert_int_equal(store_saved_search_delete(f->s, f->alice.id, go), STORE_NOTFOUND);
	assert_int_equal(store_saved_search_list(f->s, f->alice.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
}

static void test_names_unique_per_user(void **state)
{
	struct fx *f = *state;
	int64_t a = add(f, f->alice.id, "Rust", "q=rust", "none", 2000);
	struct saved_search dup = { .name = "Rust", .query = "q=other", .alert = "none" };
	assert_int_equal(store_saved_search_insert(f->s, f->alice.id, &dup, 2001), STORE_CONFLICT);
	add(f, f->bob.id, "Rust", "q=rust", "none", 2002); /* another user may */
	int64_t b = add(f, f->alice.id, "Go", "q=go", "none", 2003);
	struct saved_search ren = { .id = b, .name = "Rust", .query = "q=go", .alert = "none" };
	assert_int_equal(store_saved_search_update(f->s, f->alice.id, &ren, 2004), STORE_CONFLICT);
	(void)a;
}

static void test_users_are_isolated(void **state)
{
	struct fx *f = *state;
	int64_t mine = add(f, f->alice.id, "Rust", "q=rust", "daily", 2000);
	struct saved_search got;
	assert_int_equal(store_saved_search_get(f->s, f->bob.id, mine, &f->a, &got), STORE_NOTFOUND);
	struct saved_search upd = { .id = mine, .name = "Mine now", .query = "q=x", .alert = "none" };
	assert_int_equal(store_saved_search_update(f->s, f->bob.id, &upd, 2001), STORE_NOTFOUND);
	assert_int_equal(store_saved_search_looked(f->s, f->bob.id, mine, 2001), STORE_NOTFOUND);
	assert_int_equal(store_saved_search_alerted(f->s, f->bob.id, mine, 2001), STORE_NOTFOUND);
	assert_int_equal(store_saved_search_delete(f->s, f->bob.id, mine), STORE_NOTFOUND);
	struct saved_search *list;
	size_t n;
	assert_int_equal(store_saved_search_list(f->s, f->bob.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_saved_search_get(f->s, f->alice.id, mine, &f->a, &got), STORE_OK);
	assert_string_equal(got.name, "Rust");
	assert_int_equal(got.last_looked_at, 2000);
}

/* A backup's restore puts updated_at and last_looked_at back (and only
 * those), for the user's own saved search alone. */
static void test_restore_times(void **state)
{
	struct fx *f = *state;
	int64_t id = add(f, f->alice.id, "Rust", "q=rust", "weekly", 5000);
	assert_int_equal(store_restore_times(f->s, f->alice.id, STORE_RESTORE_SAVED_SEARCH, id, 4000, 4500), STORE_OK);
	assert_int_equal(store_restore_times(f->s, f->bob.id, STORE_RESTORE_SAVED_SEARCH, id, 1, 1), STORE_NOTFOUND);
	struct saved_search got;
	assert_int_equal(store_saved_search_get(f->s, f->alice.id, id, &f->a, &got), STORE_OK);
	assert_int_equal(got.created_at, 5000);
	assert_int_equal(got.updated_at, 4000);
	assert_int_equal(got.last_looked_at, 4500);
	assert_int_equal(got.last_alert_at, 0);
	assert_string_equal(got.alert, "weekly");
}

static size_t due(struct fx *f, int64_t now, int64_t *ids)
{
	struct saved_search *list;
	size_t n;
	assert_int_equal(store_saved_search_alerts_due(f->s, now, &f->a, &list, &n), STORE_OK);
	for (size_t i = 0; i < n; i++)
		ids[i] = list[i].id;
	return n;
}

static void test_alerts_due(void **state)
{
	struct fx *f = *state;
	const int64_t t0 = 1772625600, day = STORE_SAVED_SEARCH_DAY;
	int64_t daily = add(f, f->alice.id, "Daily", "q=a", "daily", t0);
	int64_t weekly = add(f, f->bob.id, "Weekly", "q=b", "weekly", t0);
	add(f, f->alice.id, "Off", "q=c", "none", t0);
	int64_t ids[8];
	/* never sent: due at once, across users, by id; "none" never */
	assert_int_equal(due(f, t0, ids), 2);
	assert_int_equal(ids[0], daily);
	assert_int_equal(ids[1], weekly);
	assert_int_equal(store_saved_search_alerted(f->s, f->alice.id, daily, t0), STORE_OK);
	assert_int_equal(store_saved_search_alerted(f->s, f->bob.id, weekly, t0), STORE_OK);
	assert_int_equal(due(f, t0 + day - 1, ids), 0);
	assert_int_equal(due(f, t0 + day, ids), 1);
	assert_int_equal(ids[0], daily);
	assert_int_equal(due(f, t0 + 7 * day - 1, ids), 1);
	assert_int_equal(due(f, t0 + 7 * day, ids), 2);
	/* turning an alert on starts its period then: not due at once */
	int64_t off = add(f, f->alice.id, "Later", "q=d", "none", t0);
	struct saved_search on = { .id = off, .name = "Later", .query = "q=d", .alert = "daily" };
	assert_int_equal(store_saved_search_update(f->s, f->alice.id, &on, t0 + 8 * day), STORE_OK);
	struct saved_search got;
	assert_int_equal(store_saved_search_get(f->s, f->alice.id, off, &f->a, &got), STORE_OK);
	assert_int_equal(got.last_alert_at, t0 + 8 * day);
	assert_int_equal(due(f, t0 + 8 * day, ids), 2); /* daily and weekly, not "Later" */
	assert_int_equal(due(f, t0 + 9 * day, ids), 3);
	/* a rename keeps the period */
	on.name = "Later, renamed";
	assert_int_equal(store_saved_search_update(f->s, f->alice.id, &on, t0 + 9 * day), STORE_OK);
	assert_int_equal(store_saved_search_get(f->s, f->alice.id, off, &f->a, &got), STORE_OK);
	assert_int_equal(got.last_alert_at, t0 + 8 * day);
	assert_int_equal(store_saved_search_delete(f->s, f->alice.id, off), STORE_OK);
	/* a deleted saved search is no longer due */
	assert_int_equal(store_saved_search_delete(f->s, f->bob.id, weekly), STORE_OK);
	assert_int_equal(due(f, t0 + 7 * day, ids), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_crud, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_unique_per_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users_are_isolated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alerts_due, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_times, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
