/* The store's contract for resume scans (store.h, "resume scans"): the
 * user's history, the scan before a re-scan, deletion with the resume,
 * every call scoped to its user — written against store.h alone, so it
 * runs unchanged on every backend (JT_TEST_STORE_URL picks one). */
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
	int64_t alice_resume, alice_resume2, bob_resume, posting;
};

static int64_t add_resume(struct fx *f, int64_t user_id, const char *name)
{
	char key[128];
	snprintf(key, sizeof(key), "resumes/user=%lld/%s.bin", (long long)user_id, name);
	struct store_resume r = { .name = name, .type = "text", .size = 10, .blob_key = key };
	assert_int_equal(store_resume_insert(f->s, user_id, &r, 1000), STORE_OK);
	return r.id;
}

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
	f->alice_resume = add_resume(f, f->alice.id, "alice");
	f->alice_resume2 = add_resume(f, f->alice.id, "alice2");
	f->bob_resume = add_resume(f, f->bob.id, "bob");
	struct posting_ingest in;
	memset(&in, 0, sizeof(in));
	in.posting.canonical_key = "acme|nurse";
	in.posting.title = "Nurse";
	in.posting.company = "Acme";
	in.source = "test";
	in.external_id = "1";
	in.content_hash = "h1";
	in.seen_at = 1000;
	in.source_rank = 5;
	in.max_distance = 3;
	enum posting_change ch;
	if (store_posting_ingest(f->s, &in, &ch, &f->posting))
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

static int64_t add_scan(struct fx *f, int64_t user_id, int64_t resume_id, int64_t posting_id, const char *key,
			int tenths, int64_t now)
{
	char result[64];
	snprintf(result, sizeof(result), "{\"score\":%d.%d}", tenths / 10, tenths % 10);
	struct store_scan sc = { .resume_id = resume_id,
				 .posting_id = posting_id,
				 .job_key = key,
				 .job_title = "Nurse",
				 .score_tenths = tenths,
				 .result = result };
	assert_int_equal(store_scan_insert(f->s, user_id, &sc, now), STORE_OK);
	assert_true(sc.id > 0);
	assert_int_equal(sc.created_at, now);
	return sc.id;
}

/* A scan reads back whole; the history is newest first and filters. */
static void test_insert_get_list(void **state)
{
	struct fx *f = *state;
	char key[32];
	snprintf(key, sizeof(key), "posting:%lld", (long long)f->posting);
	int64_t a = add_scan(f, f->alice.id, f->alice_resume, f->posting, key, 615, 2000);
	int64_t b = add_scan(f, f->alice.id, f->alice_resume, 0, "text:abc", 402, 2100);
	int64_t c = add_scan(f, f->alice.id, f->alice_resume2, f->posting, key, 880, 2200);
	struct store_scan sc;
	assert_int_equal(store_scan_get(f->s, f->alice.id, a, &f->a, &sc), STORE_OK);
	assert_int_equal(sc.resume_id, f->alice_resume);
	assert_int_equal(sc.posting_id, f->posting);
	assert_string_equal(sc.job_key, key);
	assert_string_equal(sc.job_title, "Nurse");
	assert_int_equal(sc.score_tenths, 615);
	assert_string_equal(sc.result, "{\"score\":61.5}");
	assert_int_equal(store_scan_get(f->s, f->alice.id, b, &f->a, &sc), STORE_OK);
	assert_int_equal(sc.posting_id, 0);

	struct store_scan *list;
	size_t n;
	assert_int_equal(store_scan_list(f->s, f->alice.id, 0, 0, 50, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, c);
	assert_int_equal(list[1].id, b);
	assert_int_equal(list[2].id, a);
	assert_null(list[0].result);
	assert_int_equal(store_scan_list(f->s, f->alice.id, f->alice_resume, 0, 50, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_scan_list(f->s, f->alice.id, 0, f->posting, 50, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, c);
	assert_int_equal(store_scan_list(f->s, f->alice.id, f->alice_resume, f->posting, 50, &f->a, &list, &n),
			 STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, a);
	assert_int_equal(store_scan_list(f->s, f->alice.id, 0, 0, 2, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
}

/* previous: the newest earlier scan of the same resume and job only. */
static void test_previous(void **state)
{
	struct fx *f = *state;
	int64_t a = add_scan(f, f->alice.id, f->alice_resume, 0, "text:abc", 400, 2000);
	add_scan(f, f->alice.id, f->alice_resume, 0, "text:other", 500, 2050);
	add_scan(f, f->alice.id, f->alice_resume2, 0, "text:abc", 600, 2070);
	int64_t b = add_scan(f, f->alice.id, f->alice_resume, 0, "text:abc", 450, 2100);
	int64_t c = add_scan(f, f->alice.id, f->alice_resume, 0, "text:abc", 470, 2200);
	struct store_scan sc;
	assert_int_equal(store_scan_previous(f->s, f->alice.id, f->alice_resume, "text:abc", c, &f->a, &sc), STORE_OK);
	assert_int_equal(sc.id, b);
	assert_string_equal(sc.result, "{\"score\":45.0}");
	assert_int_equal(store_scan_previous(f->s, f->alice.id, f->alice_resume, "text:abc", b, &f->a, &sc), STORE_OK);
	assert_int_equal(sc.id, a);
	assert_int_equal(store_scan_previous(f->s, f->alice.id, f->alice_resume, "text:abc", a, &f->a, &sc),
			 STORE_NOTFOUND);
	assert_int_equal(store_scan_previous(f->s, f->alice.id, f->alice_resume, "text:abc", INT64_MAX, &f->a, &sc),
			 STORE_OK);
	assert_int_equal(sc.id, c);
	assert_int_equal(store_scan_previous(f->s, f->bob.id, f->alice_resume, "text:abc", INT64_MAX, &f->a, &sc),
			 STORE_NOTFOUND);
}

/* Another user's scans and resumes are not found; their rows stay. */
static void test_scoped_to_owner(void **state)
{
	struct fx *f = *state;
	int64_t a = add_scan(f, f->alice.id, f->alice_resume, 0, "text:abc", 400, 2000);
	struct store_scan sc = { .resume_id = f->alice_resume, .job_key = "text:x", .job_title = "", .result = "{}" };
	assert_int_equal(store_scan_insert(f->s, f->bob.id, &sc, 2100), STORE_NOTFOUND);
	assert_int_equal(store_scan_get(f->s, f->bob.id, a, &f->a, &sc), STORE_NOTFOUND);
	assert_int_equal(store_scan_delete(f->s, f->bob.id, a), STORE_NOTFOUND);
	struct store_scan *list;
	size_t n;
	assert_int_equal(store_scan_list(f->s, f->bob.id, 0, 0, 50, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_scan_list(f->s, f->bob.id, f->alice_resume, 0, 50, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_scan_get(f->s, f->alice.id, a, &f->a, &sc), STORE_OK);
}

/* Deleting a scan, and a resume taking its scans with it. */
static void test_delete(void **state)
{
	struct fx *f = *state;
	int64_t a = add_scan(f, f->alice.id, f->alice_resume, 0, "text:abc", 400, 2000);
	int64_t b = add_scan(f, f->alice.id, f->alice_resume2, 0, "text:abc", 400, 2000);
	int64_t c = add_scan(f, f->alice.id, f->alice_resume2, 0, "text:abc", 400, 2000);
	struct store_scan sc;
	assert_int_equal(store_scan_delete(f->s, f->alice.id, a), STORE_OK);
	assert_int_equal(store_scan_get(f->s, f->alice.id, a, &f->a, &sc), STORE_NOTFOUND);
	assert_int_equal(store_scan_delete(f->s, f->alice.id, a), STORE_NOTFOUND);
	assert_int_equal(store_resume_delete(f->s, f->alice.id, f->alice_resume2), STORE_OK);
	assert_int_equal(store_scan_get(f->s, f->alice.id, b, &f->a, &sc), STORE_NOTFOUND);
	assert_int_equal(store_scan_get(f->s, f->alice.id, c, &f->a, &sc), STORE_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_insert_get_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_previous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scoped_to_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
