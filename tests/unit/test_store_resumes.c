/* The store's contract for resumes (store.h, "resumes"): several per user,
 * one default, every call scoped to its user — written against store.h
 * alone, so it runs unchanged on every backend (JT_TEST_STORE_URL picks
 * one; see store_fixture.h). Each test gets a fresh store with two users,
 * alice and bob. */
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
	arena_free(&f->a);
	free(f);
	return 0;
}

static int64_t add(struct fx *f, int64_t user_id, const char *name, int is_default, int64_t now)
{
	char key[128];
	snprintf(key, sizeof(key), "resumes/user=%lld/%s-%lld.bin", (long long)user_id, name, (long long)now);
	struct store_resume r = { .name = name, .type = "pdf", .size = 1234, .blob_key = key, .is_default = is_default };
	assert_int_equal(store_resume_insert(f->s, user_id, &r, now), STORE_OK);
	assert_true(r.id > 0);
	assert_int_equal(r.created_at, now);
	return r.id;
}

static int64_t default_id(struct fx *f, int64_t user_id)
{
	struct store_resume r;
	int rc = store_resume_default(f->s, user_id, &f->a, &r);
	if (rc == STORE_NOTFOUND)
		return 0;
	assert_int_equal(rc, STORE_OK);
	assert_true(r.is_default);
	return r.id;
}

/* How many of the user's resumes say they are the default. */
static size_t defaults(struct fx *f, int64_t user_id, size_t *n)
{
	struct store_resume *list;
	assert_int_equal(store_resume_list(f->s, user_id, &f->a, &list, n), STORE_OK);
	size_t d = 0;
	for (size_t i = 0; i < *n; i++)
		d += list[i].is_default != 0;
	return d;
}

static void test_first_is_default_and_listing(void **state)
{
	struct fx *f = *state;
	int64_t uid = f->alice.id;
	assert_int_equal(default_id(f, uid), 0);
	int64_t a = add(f, uid, "nurse.pdf", 0, 2000);
	int64_t b = add(f, uid, "nurse-v2.pdf", 0, 3000);
	int64_t c = add(f, uid, "nurse-short.docx", 0, 4000);
	assert_int_equal(default_id(f, uid), a);
	struct store_resume r;
	assert_int_equal(store_resume_get(f->s, uid, b, &f->a, &r), STORE_OK);
	assert_int_equal(r.id, b);
	assert_string_equal(r.name, "nurse-v2.pdf");
	assert_string_equal(r.type, "pdf");
	assert_int_equal(r.size, 1234);
	assert_string_equal(r.blob_key, "resumes/user=1/nurse-v2.pdf-3000.bin");
	assert_false(r.is_default);
	assert_int_equal(r.created_at, 3000);
	assert_int_equal(r.updated_at, 3000);
	/* The default first, then newest first. */
	struct store_resume *list;
	size_t n;
	assert_int_equal(store_resume_list(f->s, uid, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, a);
	assert_int_equal(list[1].id, c);
	assert_int_equal(list[2].id, b);
	/* Bob has none. */
	assert_int_equal(store_resume_list(f->s, f->bob.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
}

static void test_one_default(void **state)
{
	struct fx *f = *state;
	int64_t uid = f->alice.id;
	int64_t a = add(f, uid, "a.pdf", 0, 2000);
	int64_t b = add(f, uid, "b.pdf", 1, 3000); /* asked to be the default */
	size_t n;
	assert_int_equal(default_id(f, uid), b);
	assert_int_equal(defaults(f, uid, &n), 1);
	assert_int_equal(store_resume_set_default(f->s, uid, a, 5000), STORE_OK);
	assert_int_equal(default_id(f, uid), a);
	assert_int_equal(defaults(f, uid, &n), 1);
	/* Again: nothing changes, no error. */
	assert_int_equal(store_resume_set_default(f->s, uid, a, 6000), STORE_OK);
	assert_int_equal(default_id(f, uid), a);
	assert_int_equal(defaults(f, uid, &n), 1);
	assert_int_equal(n, 2);
	/* An unknown id changes nothing. */
	assert_int_equal(store_resume_set_default(f->s, uid, b + 100, 7000), STORE_NOTFOUND);
	assert_int_equal(default_id(f, uid), a);
}

static void test_delete_moves_default(void **state)
{
	struct fx *f = *state;
	int64_t uid = f->alice.id;
	int64_t a = add(f, uid, "a.pdf", 0, 2000);
	int64_t b = add(f, uid, "b.pdf", 0, 4000);
	int64_t c = add(f, uid, "c.pdf", 0, 3000);
	/* Deleting one that is not the default leaves the default. */
	assert_int_equal(store_resume_delete(f->s, uid, c), STORE_OK);
	assert_int_equal(default_id(f, uid), a);
	c = add(f, uid, "c.pdf", 0, 3000);
	/* The default goes: the newest remaining (b, created at 4000) follows. */
	assert_int_equal(store_resume_delete(f->s, uid, a), STORE_OK);
	assert_int_equal(default_id(f, uid), b);
	struct store_resume r;
	assert_int_equal(store_resume_get(f->s, uid, a, &f->a, &r), STORE_NOTFOUND);
	assert_int_equal(store_resume_delete(f->s, uid, a), STORE_NOTFOUND);
	assert_int_equal(store_resume_delete(f->s, uid, b), STORE_OK);
	assert_int_equal(default_id(f, uid), c);
	assert_int_equal(store_resume_delete(f->s, uid, c), STORE_OK);
	assert_int_equal(default_id(f, uid), 0);
	/* Ids are not reused. */
	int64_t d = add(f, uid, "d.pdf", 0, 5000);
	assert_true(d > c);
	assert_int_equal(default_id(f, uid), d);
}

/* Another user's resume is STORE_NOTFOUND to every call, and stays as it was. */
static void test_scoped_to_owner(void **state)
{
	struct fx *f = *state;
	int64_t mine = add(f, f->alice.id, "alice.pdf", 0, 2000);
	int64_t theirs = add(f, f->bob.id, "bob.pdf", 0, 2500);
	struct store_resume r;
	assert_int_equal(store_resume_get(f->s, f->bob.id, mine, &f->a, &r), STORE_NOTFOUND);
	assert_int_equal(store_resume_rename(f->s, f->bob.id, mine, "stolen", 3000), STORE_NOTFOUND);
	assert_int_equal(store_resume_set_default(f->s, f->bob.id, mine, 3000), STORE_NOTFOUND);
	assert_int_equal(store_resume_delete(f->s, f->bob.id, mine), STORE_NOTFOUND);
	assert_int_equal(default_id(f, f->bob.id), theirs);
	assert_int_equal(store_resume_get(f->s, f->alice.id, mine, &f->a, &r), STORE_OK);
	assert_string_equal(r.name, "alice.pdf");
	assert_true(r.is_default);
	struct store_resume *list;
	size_t n;
	assert_int_equal(store_resume_list(f->s, f->bob.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, theirs);
}

static void test_rename_and_unique_blob(void **state)
{
	struct fx *f = *state;
	int64_t uid = f->alice.id;
	int64_t a = add(f, uid, "a.pdf", 0, 2000);
	assert_int_equal(store_resume_rename(f->s, uid, a, "Nurse \xE2\x80\x94 2026", 2600), STORE_OK);
	struct store_resume r;
	assert_int_equal(store_resume_get(f->s, uid, a, &f->a, &r), STORE_OK);
	assert_string_equal(r.name, "Nurse \xE2\x80\x94 2026");
	assert_int_equal(r.updated_at, 2600);
	assert_int_equal(r.created_at, 2000);
	/* Two rows never share a file. */
	struct store_resume dup = { .name = "x", .type = "pdf", .size = 1, .blob_key = r.blob_key };
	assert_int_equal(store_resume_insert(f->s, f->bob.id, &dup, 3000), STORE_CONFLICT);
	struct store_resume *list;
	size_t n;
	assert_int_equal(store_resume_list(f->s, f->bob.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/* A replaced file: type, size and key change, the rest stays; scoped. */
static void test_set_file(void **state)
{
	struct fx *f = *state;
	int64_t a = add(f, f->alice.id, "a.pdf", 0, 2000);
	assert_int_equal(store_resume_set_file(f->s, f->alice.id, a, "docx", 4321, "resumes/user=1/new.bin", 3000),
			 STORE_OK);
	struct store_resume r;
	assert_int_equal(store_resume_get(f->s, f->alice.id, a, &f->a, &r), STORE_OK);
	assert_string_equal(r.type, "docx");
	assert_int_equal(r.size, 4321);
	assert_string_equal(r.blob_key, "resumes/user=1/new.bin");
	assert_string_equal(r.name, "a.pdf");
	assert_true(r.is_default);
	assert_int_equal(r.created_at, 2000);
	assert_int_equal(r.updated_at, 3000);
	assert_int_equal(store_resume_set_file(f->s, f->bob.id, a, "text", 1, "resumes/user=2/x.bin", 3100),
			 STORE_NOTFOUND);
	assert_int_equal(store_resume_set_file(f->s, f->alice.id, a + 1000, "text", 1, "k", 3100), STORE_NOTFOUND);
	assert_int_equal(store_resume_get(f->s, f->alice.id, a, &f->a, &r), STORE_OK);
	assert_string_equal(r.type, "docx");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_is_default_and_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_moves_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scoped_to_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_and_unique_blob, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
