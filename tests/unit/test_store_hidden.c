/* The store's contract for what a user hides (store.h, "hidden postings and
 * blocked companies") and for reading several postings at once
 * (store_posting_get_many) — written against store.h alone, so it runs
 * unchanged on every backend (JT_TEST_STORE_URL picks one; see
 * store_fixture.h). Each test gets a fresh store with two users, alice and
 * bob, and three postings. */
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
	int64_t posting[3];
};

static int64_t ingest(struct fx *f, const char *id, const char *title, const char *company, int64_t seen_at)
{
	struct posting_ingest in;
	memset(&in, 0, sizeof(in));
	char key[128];
	snprintf(key, sizeof(key), "%s|%s|", company, title);
	in.posting.canonical_key = key;
	in.posting.title = title;
	in.posting.company = company;
	in.posting.description_text = "Write software.";
	in.source = "jsonld";
	in.external_id = id;
	in.content_hash = id;
	in.seen_at = seen_at;
	in.source_rank = 5;
	in.max_distance = -1;
	enum posting_change change;
	int64_t pid = 0;
	if (store_posting_ingest(f->s, &in, &change, &pid))
		return 0;
	return pid;
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
	    store_user_create(f->s, "bob@example.com", "hash-b", 1000, &f->bob)) {
		fprintf(stderr, "setup: creating users failed\n");
		return -1;
	}
	f->posting[0] = ingest(f, "p1", "Engineer", "Acme Corp", 1000);
	f->posting[1] = ingest(f, "p2", "Designer", "Globex", 1001);
	f->posting[2] = ingest(f, "p3", "Writer", "Initech", 1002);
	return f->posting[0] && f->posting[1] && f->posting[2] ? 0 : -1;
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

static struct store_hidden hidden_of(struct fx *f, int64_t user_id)
{
	struct store_hidden h;
	assert_int_equal(store_hidden_list(f->s, user_id, &f->a, &h), STORE_OK);
	return h;
}

static void test_hide_and_unhide_posting(void **state)
{
	struct fx *f = *state;
	int64_t uid = f->alice.id;
	assert_int_equal(store_posting_hide(f->s, uid, f->posting[2], 2000), STORE_OK);
	assert_int_equal(store_posting_hide(f->s, uid, f->posting[0], 2001), STORE_OK);
	assert_int_equal(store_posting_hide(f->s, uid, f->posting[0], 2002), STORE_OK); /* again: fine */
	struct store_hidden h = hidden_of(f, uid);
	assert_int_equal(h.npostings, 2);
	assert_int_equal(h.ncompanies, 0);
	/* By posting id, with the posting's title and company for showing. */
	assert_int_equal(h.postings[0].posting_id, f->posting[0]);
	assert_string_equal(h.postings[0].title, "Engineer");
	assert_string_equal(h.postings[0].company, "Acme Corp");
	assert_int_equal(h.postings[0].created_at, 2001);
	assert_int_equal(h.postings[1].posting_id, f->posting[2]);
	assert_int_equal(store_posting_unhide(f->s, uid, f->posting[0]), STORE_OK);
	assert_int_equal(store_posting_unhide(f->s, uid, f->posting[0]), STORE_NOTFOUND);
	h = hidden_of(f, uid);
	assert_int_equal(h.npostings, 1);
	assert_int_equal(h.postings[0].posting_id, f->posting[2]);
}

static void test_hide_unknown_posting(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_posting_hide(f->s, f->alice.id, f->posting[2] + 1000, 2000), STORE_NOTFOUND);
	assert_int_equal(hidden_of(f, f->alice.id).npostings, 0);
}

static void test_block_company_by_key(void **state)
{
	struct fx *f = *state;
	int64_t uid = f->alice.id;
	assert_int_equal(store_company_block(f->s, uid, "  Acme Corp ", 3000), STORE_OK);
	/* The same company written otherwise is the same block; the first name stays. */
	assert_int_equal(store_company_block(f->s, uid, "ACME CORP", 3001), STORE_OK);
	assert_int_equal(store_company_block(f->s, uid, "Globex", 3002), STORE_OK);
	struct store_hidden h = hidden_of(f, uid);
	assert_int_equal(h.ncompanies, 2);
	assert_string_equal(h.companies[0].company_key, "acme corp");
	assert_string_equal(h.companies[0].company, "  Acme Corp ");
	assert_int_equal(h.companies[0].created_at, 3000);
	assert_string_equal(h.companies[1].company_key, "globex");
	assert_int_equal(store_company_unblock(f->s, uid, "acme CORP"), STORE_OK);
	assert_int_equal(store_company_unblock(f->s, uid, "acme corp"), STORE_NOTFOUND);
	assert_int_equal(store_company_unblock(f->s, uid, ""), STORE_NOTFOUND);
	assert_int_equal(store_company_block(f->s, uid, "   ", 3003), STORE_ERROR);
	h = hidden_of(f, uid);
	assert_int_equal(h.ncompanies, 1);
	assert_string_equal(h.companies[0].company, "Globex");
}

static void test_company_key(void **state)
{
	(void)state;
	char key[STORE_COMPANY_KEY_MAX + 1];
	assert_int_equal(store_company_key("\tÉcole Nord ", key), 0);
	assert_string_equal(key, "École nord"); /* ASCII folds; other bytes stay as they are */
	char long_name[STORE_COMPANY_KEY_MAX + 2];
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(store_company_key(long_name, key), -1);
	long_name[STORE_COMPANY_KEY_MAX] = '\0';
	assert_int_equal(store_company_key(long_name, key), 0);
	assert_int_equal(store_company_key(NULL, key), -1);
}

static void test_scoped_to_user(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_posting_hide(f->s, f->alice.id, f->posting[1], 2000), STORE_OK);
	assert_int_equal(store_company_block(f->s, f->alice.id, "Initech", 2000), STORE_OK);
	struct store_hidden h = hidden_of(f, f->bob.id);
	assert_int_equal(h.npostings, 0);
	assert_int_equal(h.ncompanies, 0);
	/* Bob cannot undo alice's. */
	assert_int_equal(store_posting_unhide(f->s, f->bob.id, f->posting[1]), STORE_NOTFOUND);
	assert_int_equal(store_company_unblock(f->s, f->bob.id, "Initech"), STORE_NOTFOUND);
	h = hidden_of(f, f->alice.id);
	assert_int_equal(h.npostings, 1);
	assert_int_equal(h.ncompanies, 1);
}

/* A listing (source, external id) finds its posting: how a backup's hidden
 * posting is found on another instance. */
static void test_posting_by_listing(void **state)
{
	struct fx *f = *state;
	int64_t id = -1;
	assert_int_equal(store_posting_by_listing(f->s, "jsonld", "p2", &id), STORE_OK);
	assert_int_equal(id, f->posting[1]);
	assert_int_equal(store_posting_by_listing(f->s, "jsonld", "p9", &id), STORE_NOTFOUND);
	assert_int_equal(id, 0);
	assert_int_equal(store_posting_by_listing(f->s, "greenhouse", "p2", &id), STORE_NOTFOUND);
	assert_int_equal(store_posting_by_listing(f->s, "jsonld", "P2", &id), STORE_NOTFOUND);
}

static void test_get_many(void **state)
{
	struct fx *f = *state;
	/* Any order, an unknown id, and one twice. */
	int64_t ids[] = { f->posting[2], 999999, f->posting[0], f->posting[2] };
	struct store_posting *ps;
	struct posting_source_group *ls;
	assert_int_equal(store_posting_get_many(f->s, ids, 4, &f->a, &ps, &ls), STORE_OK);
	assert_int_equal(ps[0].id, f->posting[2]);
	assert_string_equal(ps[0].title, "Writer");
	assert_string_equal(ps[0].description_text, "Write software.");
	assert_int_equal(ps[1].id, 0);
	assert_int_equal(ls[1].n, 0);
	assert_int_equal(ps[2].id, f->posting[0]);
	assert_string_equal(ps[2].company, "Acme Corp");
	assert_int_equal(ps[3].id, f->posting[2]);
	assert_int_equal(ls[0].n, 1);
	assert_string_equal(ls[0].items[0].external_id, "p3");
	assert_int_equal(ls[2].n, 1);
	assert_string_equal(ls[2].items[0].external_id, "p1");
	/* The same fields as one at a time. */
	struct store_posting one;
	assert_int_equal(store_posting_get(f->s, f->posting[0], &f->a, &one, NULL, NULL), STORE_OK);
	assert_int_equal(one.version, ps[2].version);
	assert_int_equal(one.first_seen, ps[2].first_seen);
	assert_int_equal(store_posting_get_many(f->s, ids, 0, &f->a, &ps, NULL), STORE_OK);
	static int64_t many[STORE_SOURCES_OF_MAX + 1];
	assert_int_equal(store_posting_get_many(f->s, many, STORE_SOURCES_OF_MAX + 1, &f->a, &ps, NULL), STORE_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hide_and_unhide_posting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hide_unknown_posting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_company_by_key, setup, teardown),
		cmocka_unit_test(test_company_key),
		cmocka_unit_test_setup_teardown(test_scoped_to_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posting_by_listing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
