/* The store's contract for what exports need (store.h): calendar feed
 * tokens — one per user, kept only as a hash, replaced by a new one,
 * ended by delete — and restoring a backup's times, written against store.h alone, so it runs unchanged
 * on every backend (JT_TEST_STORE_URL picks one; see store_fixture.h).
 * Each test gets a fresh store with two users, alice and bob. */
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
	struct user alice, bob;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	*state = f;
	if (store_fixture_make(&f->sf, NULL, 1))
		return -1;
	f->s = f->sf.s;
	if (store_user_create(f->s, "alice@example.com", "hash-a", 1000, &f->alice) ||
	    store_user_create(f->s, "bob@example.com", "hash-b", 1000, &f->bob)) {
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
	store_fixture_destroy(&f->sf);
	free(f);
	return 0;
}

static void hash_of(uint8_t h[32], int seed)
{
	for (int i = 0; i < 32; i++)
		h[i] = (uint8_t)(seed * 31 + i);
}

static void test_feed_set_finds_its_user_and_nobody_else(void **state)
{
	struct fx *f = *state;
	uint8_t ha[32], hb[32], none[32];
	hash_of(ha, 1);
	hash_of(hb, 2);
	hash_of(none, 3);
	struct user u;
	int64_t at = 0;
	assert_int_equal(store_calendar_feed_get(f->s, f->alice.id, &at), STORE_NOTFOUND);
	assert_int_equal(store_calendar_feed_user(f->s, ha, &u), STORE_NOTFOUND);

	assert_int_equal(store_calendar_feed_set(f->s, f->alice.id, ha, 2000), STORE_OK);
	assert_int_equal(store_calendar_feed_set(f->s, f->bob.id, hb, 2001), STORE_OK);
	assert_int_equal(store_calendar_feed_get(f->s, f->alice.id, &at), STORE_OK);
	assert_int_equal(at, 2000);
	assert_int_equal(store_calendar_feed_user(f->s, ha, &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
	assert_string_equal(u.email, "alice@example.com");
	assert_int_equal(store_calendar_feed_user(f->s, hb, &u), STORE_OK);
	assert_int_equal(u.id, f->bob.id);
	assert_int_equal(store_calendar_feed_user(f->s, none, &u), STORE_NOTFOUND);
}

static void test_feed_set_again_replaces_the_old_token(void **state)
{
	struct fx *f = *state;
	uint8_t old[32], new[32];
	hash_of(old, 1);
	hash_of(new, 2);
	struct user u;
	int64_t at = 0;
	assert_int_equal(store_calendar_feed_set(f->s, f->alice.id, old, 2000), STORE_OK);
	assert_int_equal(store_calendar_feed_set(f->s, f->alice.id, new, 3000), STORE_OK);
	assert_int_equal(store_calendar_feed_user(f->s, old, &u), STORE_NOTFOUND);
	assert_int_equal(store_calendar_feed_user(f->s, new, &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
	assert_int_equal(store_calendar_feed_get(f->s, f->alice.id, &at), STORE_OK);
	assert_int_equal(at, 3000);
}

static void test_feed_delete_ends_only_that_users_feed(void **state)
{
	struct fx *f = *state;
	uint8_t ha[32], hb[32];
	hash_of(ha, 1);
	hash_of(hb, 2);
	struct user u;
	int64_t at;
	assert_int_equal(store_calendar_feed_set(f->s, f->alice.id, ha, 2000), STORE_OK);
	assert_int_equal(store_calendar_feed_set(f->s, f->bob.id, hb, 2000), STORE_OK);
	assert_int_equal(store_calendar_feed_delete(f->s, f->alice.id), STORE_OK);
	assert_int_equal(store_calendar_feed_user(f->s, ha, &u), STORE_NOTFOUND);
	assert_int_equal(store_calendar_feed_get(f->s, f->alice.id, &at), STORE_NOTFOUND);
	assert_int_equal(store_calendar_feed_delete(f->s, f->alice.id), STORE_NOTFOUND);
	assert_int_equal(store_calendar_feed_user(f->s, hb, &u), STORE_OK);
	assert_int_equal(u.id, f->bob.id);
}

static void test_feed_hash_is_unique_across_users(void **state)
{
	struct fx *f = *state;
	uint8_t h[32];
	hash_of(h, 1);
	assert_int_equal(store_calendar_feed_set(f->s, f->alice.id, h, 2000), STORE_OK);
	/* a colliding token (never in practice: 32 random bytes) must not hand
	 * alice's feed to bob, nor bob's to alice */
	assert_int_not_equal(store_calendar_feed_set(f->s, f->bob.id, h, 2001), STORE_OK);
	struct user u;
	assert_int_equal(store_calendar_feed_user(f->s, h, &u), STORE_OK);
	assert_int_equal(u.id, f->alice.id);
}

static void test_feed_set_rolls_back_with_its_transaction(void **state)
{
	struct fx *f = *state;
	uint8_t h[32];
	hash_of(h, 1);
	assert_int_equal(store_tx_begin(f->s, f->alice.id), STORE_OK);
	assert_int_equal(store_calendar_feed_set(f->s, f->alice.id, h, 2000), STORE_OK);
	assert_int_equal(store_tx_end(f->s, STORE_ERROR), STORE_ERROR);
	int64_t at;
	assert_int_equal(store_calendar_feed_get(f->s, f->alice.id, &at), STORE_NOTFOUND);
}

static void test_restore_times_sets_only_the_times(void **state)
{
	struct fx *f = *state;
	struct arena a;
	arena_init(&a, 0);
	struct application app = {
		.company = "Acme", .position = "Dev", .status = "applied", .salary_currency = "", .salary_period = ""
	};
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 5000), STORE_OK);
	struct contact ct = { .name = "Ann" };
	assert_int_equal(store_contact_insert(f->s, f->alice.id, &ct, 5000), STORE_OK);
	struct store_resume r = { .name = "cv.pdf", .type = "pdf", .size = 10, .blob_key = "resumes/x.bin" };
	assert_int_equal(store_resume_insert(f->s, f->alice.id, &r, 5000), STORE_OK);

	assert_int_equal(store_restore_times(f->s, f->alice.id, STORE_RESTORE_APP, app.id, 7000, 6000), STORE_OK);
	assert_int_equal(store_restore_times(f->s, f->alice.id, STORE_RESTORE_CONTACT, ct.id, 7100, 0), STORE_OK);
	assert_int_equal(store_restore_times(f->s, f->alice.id, STORE_RESTORE_RESUME, r.id, 7200, 0), STORE_OK);

	struct application got;
	assert_int_equal(store_app_get(f->s, f->alice.id, app.id, &a, &got), STORE_OK);
	assert_int_equal(got.created_at, 5000);
	assert_int_equal(got.updated_at, 7000);
	assert_int_equal(got.status_changed_at, 6000);
	assert_int_equal(got.version, 1);
	assert_string_equal(got.company, "Acme");
	struct contact gc;
	assert_int_equal(store_contact_get(f->s, f->alice.id, ct.id, &a, &gc), STORE_OK);
	assert_int_equal(gc.created_at, 5000);
	assert_int_equal(gc.updated_at, 7100);
	assert_int_equal(gc.version, 1);
	struct store_resume gr;
	assert_int_equal(store_resume_get(f->s, f->alice.id, r.id, &a, &gr), STORE_OK);
	assert_int_equal(gr.created_at, 5000);
	assert_int_equal(gr.updated_at, 7200);

	/* another user's rows are not found, and stay as they were */
	assert_int_equal(store_restore_times(f->s, f->bob.id, STORE_RESTORE_APP, app.id, 1, 1), STORE_NOTFOUND);
	assert_int_equal(store_restore_times(f->s, f->bob.id, STORE_RESTORE_CONTACT, ct.id, 1, 1), STORE_NOTFOUND);
	assert_int_equal(store_restore_times(f->s, f->bob.id, STORE_RESTORE_RESUME, r.id, 1, 1), STORE_NOTFOUND);
	assert_int_equal(store_restore_times(f->s, f->alice.id, STORE_RESTORE_APP, app.id + 1000, 1, 1),
			 STORE_NOTFOUND);
	assert_int_equal(store_app_get(f->s, f->alice.id, app.id, &a, &got), STORE_OK);
	assert_int_equal(got.updated_at, 7000);
	arena_free(&a);
}

static void test_restore_times_moves_data_version(void **state)
{
	struct fx *f = *state;
	struct application app = {
		.company = "Acme", .position = "Dev", .status = "saved", .salary_currency = "", .salary_period = ""
	};
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 5000), STORE_OK);
	struct user before, after;
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &before), STORE_OK);
	assert_int_equal(store_restore_times(f->s, f->alice.id, STORE_RESTORE_APP, app.id, 7000, 6000), STORE_OK);
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &after), STORE_OK);
	assert_true(after.data_version != before.data_version); /* caches see the change */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_feed_set_finds_its_user_and_nobody_else, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_set_again_replaces_the_old_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_delete_ends_only_that_users_feed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_hash_is_unique_across_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_set_rolls_back_with_its_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_times_sets_only_the_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_times_moves_data_version, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
