/* The search service (search/service.h) over a real store of the backend
 * JT_TEST_STORE_URL names: searches answer -EAGAIN until the first build,
 * the build finds what the store held, later ingests, rewrites and closes
 * reach the index by the watermark, and searches running on other threads
 * while the index is written always see a consistent index (run under
 * ASan/UBSan by scripts/test.sh). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/log.h"
#include "search/service.h"
#include "store/store.h"
#include "store_fixture.h"

struct fx {
	struct store_fixture sf;
	struct store *s;
	struct search_service *svc;
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
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	search_service_stop(f->svc);
	store_fixture_destroy(&f->sf);
	free(f);
	return 0;
}

static int64_t ingest(struct fx *f, const char *ext, const char *title, const char *hash, int64_t seen)
{
	struct posting_ingest in = { 0 };
	char key[64];
	snprintf(key, sizeof(key), "acme|%s", ext);
	in.posting.canonical_key = key;
	in.posting.title = title;
	in.posting.company = "Acme";
	in.posting.description_text = "Build reliable backend services.";
	in.posting.workplace = "remote";
	in.source = "greenhouse";
	in.external_id = ext;
	in.content_hash = hash;
	in.seen_at = seen;
	in.source_rank = 5;
	in.max_distance = -1;
	enum posting_change ch;
	int64_t id = 0;
	assert_int_equal(store_posting_ingest(f->s, &in, &ch, &id), STORE_OK);
	return id;
}

/* Total matches of text (open postings), or -1 while not ready. */
static int64_t count(struct search_service *svc, const char *text, enum search_closed closed)
{
	struct arena a;
	arena_init(&a, 0);
	struct query q;
	struct query_error err;
	int64_t total = -1;
	if (search_service_parse(svc, text, strlen(text), &a, &q, &err) == 0) {
		struct search_request req = { .query = &q, .limit = 5, .facets = true };
		req.filter.closed = closed;
		struct search_result res;
		int rc = search_service_search(svc, &req, &a, &res);
		if (rc == 0)
			total = (int64_t)res.total;
		else
			assert_int_equal(rc, -EAGAIN);
	}
	arena_free(&a);
	return total;
}

/* Waits (up to 10 s) until count(text) is want. */
static void expect_count(struct fx *f, const char *text, enum search_closed closed, int64_t want)
{
	int64_t got = -2;
	for (int i = 0; i < 1000; i++) {
		search_service_poke(f->svc);
		if ((got = count(f->svc, text, closed)) == want)
			return;
		usleep(10000);
	}
	fail_msg("\"%s\": %lld matches, expected %lld", text, (long long)got, (long long)want);
}

static void test_builds_then_follows_the_store(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 30; i++) {
		char ext[16], title[48];
		snprintf(ext, sizeof(ext), "e%d", i);
		snprintf(title, sizeof(title), i % 3 ? "Rust Engineer %d" : "Go Developer %d", i);
		ingest(f, ext, title, "h1", 100 + i);
	}
	assert_int_equal(search_service_start(f->s, 20, &f->svc), 0);
	expect_count(f, "rust", SEARCH_OPEN_ONLY, 20);
	expect_count(f, "developer", SEARCH_OPEN_ONLY, 10);
	assert_true(search_service_ready(f->svc));

	/* New, rewritten (older updated_at than now is fine: it is after the watermark) */
	ingest(f, "e100", "Rust Wizard", "h1", 1000);
	ingest(f, "e0", "Rust Engineer 0", "h2", 1001); /* was "Go Developer 0" */
	expect_count(f, "rust", SEARCH_OPEN_ONLY, 22);
	expect_count(f, "developer", SEARCH_OPEN_ONLY, 9);

	/* A closed posting leaves the open results and stays findable as closed. */
	struct scrape_source src = { .name = "b", .kind = "greenhouse", .target = "acme", .enabled = 1 };
	assert_int_equal(store_source_insert(f->s, &src, 10), STORE_OK);
	struct posting_ingest in = { 0 };
	in.posting.canonical_key = "acme|closing";
	in.posting.title = "Rust Closer";
	in.source = "greenhouse";
	in.external_id = "closing";
	in.source_id = src.id;
	in.content_hash = "h";
	in.seen_at = 1100;
	in.max_distance = -1;
	enum posting_change ch;
	assert_int_equal(store_posting_ingest(f->s, &in, &ch, NULL), STORE_OK);
	expect_count(f, "closer", SEARCH_OPEN_ONLY, 1);
	struct missing_counts mc;
	assert_int_equal(store_posting_mark_missing(f->s, src.id, 1200, 1, 1300, &mc), STORE_OK);
	assert_int_equal(mc.postings_closed, 1);
	expect_count(f, "closer", SEARCH_OPEN_ONLY, 0);
	expect_count(f, "closer", SEARCH_CLOSED_ONLY, 1);

	/* A change stamped before the watermark (a transaction that committed
	 * late) is still caught within the slack window. */
	ingest(f, "late", "Late Rust Hire", "h1", 1250);
	expect_count(f, "late", SEARCH_OPEN_ONLY, 1);
	expect_count(f, "rust", SEARCH_OPEN_ONLY, 23);
}

struct searcher {
	struct search_service *svc;
	atomic_bool *stop;
	long searches;
	int bad;
};

static void *search_loop(void *arg)
{
	struct searcher *s = arg;
	while (!atomic_load(s->stop)) {
		bool was_ready = search_service_ready(s->svc); /* before: it may become ready meanwhile */
		int64_t n = count(s->svc, "rust OR engineer*", SEARCH_OPEN_ONLY);
		if (n < 0 && was_ready)
			s->bad++;
		s->searches++;
	}
	return NULL;
}

static void test_searches_run_while_the_index_is_written(void **state)
{
	struct fx *f = *state;
	assert_int_equal(search_service_start(f->s, 5, &f->svc), 0);
	atomic_bool stop = false;
	struct searcher s[2] = { { f->svc, &stop, 0, 0 }, { f->svc, &stop, 0, 0 } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, search_loop, &s[i]), 0);
	for (int i = 0; i < 300; i++) {
		char ext[16], title[48];
		snprintf(ext, sizeof(ext), "c%d", i % 100);
		snprintf(title, sizeof(title), "Rust Engineer %d", i);
		char hash[16];
		snprintf(hash, sizeof(hash), "h%d", i);
		ingest(f, ext, title, hash, 100 + i);
		if (i % 50 == 0)
			search_service_poke(f->svc);
	}
	expect_count(f, "rust", SEARCH_OPEN_ONLY, 100);
	atomic_store(&stop, true);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(s[i].bad, 0);
		assert_true(s[i].searches > 0);
	}
}

int main(void)
{
	log_set_level(LOG_WARN);
	if (!store_fixture_backend()) {
		fprintf(stderr, "JT_TEST_STORE_URL must be unset, \"sqlite\" or a postgres:// URL\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_builds_then_follows_the_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_searches_run_while_the_index_is_written, setup, teardown),
	};
	return cmocka_run_group_tests_name("search_service", tests, NULL, NULL);
}
