/* The store's contract for the scraper's data — postings and their
 * listings, configured sources, scrape runs, and applications linked to a
 * posting — written against store.h alone, so it runs unchanged on every
 * backend (JT_TEST_STORE_URL picks one; see store_fixture.h).
 *
 * Each test gets a fresh store with one user, alice. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/log.h"
#include "store/store.h"
#include "store_fixture.h"

/* ---- fixture ------------------------------------------------------------ */

struct fx {
	struct store_fixture sf;
	struct store_fixture extra; /* store_copy's source */
	struct store *s;
	struct arena a;
	struct user alice;
};

/* An opened store without users (store_copy's destination). */
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
	if (store_user_create(f->s, "alice@example.com", "hash-a", 1000, &f->alice)) {
		fprintf(stderr, "setup: creating alice failed\n");
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
	store_fixture_destroy(&f->extra);
	arena_free(&f->a);
	free(f);
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

#define HIGH_BIT_HASH 0xF0F0F0F0F0F0F0F0ULL /* above INT64_MAX: must come back as it went */

/* A listing of key with only the required fields and a title. */
static void listing(struct posting_ingest *in, const char *source, const char *external_id, const char *key,
		    uint64_t simhash, const char *content_hash, int64_t seen_at)
{
	memset(in, 0, sizeof(*in));
	in->posting.canonical_key = key;
	in->posting.simhash = simhash;
	in->posting.title = "Engineer";
	in->posting.company = "Acme";
	in->source = source;
	in->external_id = external_id;
	in->content_hash = content_hash;
	in->seen_at = seen_at;
	in->source_rank = 5;
	in->max_distance = 3;
}

static int64_t ingest_expect(struct fx *f, const struct posting_ingest *in, enum posting_change want)
{
	enum posting_change got = (enum posting_change) - 1;
	int64_t id = 0;
	assert_int_equal(store_posting_ingest(f->s, in, &got, &id), STORE_OK);
	if (got != want)
		fail_msg("ingest of %s/%s: change %d, expected %d", in->source, in->external_id, got, want);
	assert_true(id > 0);
	return id;
}

static struct store_posting get_posting(struct fx *f, int64_t id, struct posting_source **listings, size_t *n)
{
	struct store_posting p;
	assert_int_equal(store_posting_get(f->s, id, &f->a, &p, listings, n), STORE_OK);
	return p;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

#define EXPECT_STR(got, want) \
	do { \
		if (!same_str((got), (want))) \
			fail_msg("%s: \"%s\", expected \"%s\"", #got, (got) ? (got) : "(null)", \
				 (want) ? (want) : "(null)"); \
	} while (0)

static void app_blank(struct application *app, const char *company)
{
	memset(app, 0, sizeof(*app));
	app->company = (char *)company;
	app->position = "Engineer";
	app->location = app->url = app->source = app->salary_currency = app->salary_period = app->notes = "";
	app->status = "saved";
}

static int64_t add_source(struct fx *f, const char *name, int64_t now)
{
	struct scrape_source src = { .name = name, .kind = "greenhouse", .target = "acme", .enabled = 1 };
	assert_int_equal(store_source_insert(f->s, &src, now), STORE_OK);
	assert_true(src.id > 0);
	return src.id;
}

/* ---- ingest --------------------------------------------------------------- */

static void test_ingest_new_keeps_every_field(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "acme", 10);
	struct posting_ingest in;
	listing(&in, "greenhouse", "123", "acme|engineer|berlin", HIGH_BIT_HASH, "h1", 5000);
	struct store_posting *p = &in.posting;
	p->title = "Senior Engineer (Remote) – Zürich";
	p->company = "Acme GmbH";
	p->location_raw = "Hybrid - Berlin";
	p->locality = "Berlin";
	p->region = NULL;
	p->country = "DE";
	p->workplace = "hybrid";
	p->employment_types = 1u | 4u;
	p->salary_min = 42.5;
	p->salary_max = 0; /* open end */
	p->salary_currency = "EUR";
	p->salary_period = "HOUR";
	p->salary_year_min = 88400;
	p->date_posted = "2026-09-01";
	p->valid_through = NULL;
	p->description_html = "<p>Build \"things\"</p>";
	p->description_text = "Build \"things\"\nwell";
	p->apply_url = "https://boards.greenhouse.io/acme/jobs/123/apply";
	p->url = "https://boards.greenhouse.io/acme/jobs/123";
	in.source_id = src;
	in.source_rank = 0;
	int64_t id = ingest_expect(f, &in, POSTING_NEW);

	struct posting_source *ls;
	size_t n;
	struct store_posting got = get_posting(f, id, &ls, &n);
	assert_int_equal(got.id, id);
	assert_int_equal(got.version, 1);
	EXPECT_STR(got.canonical_key, "acme|engineer|berlin");
	assert_true(got.simhash == HIGH_BIT_HASH);
	EXPECT_STR(got.title, p->title);
	EXPECT_STR(got.company, "Acme GmbH");
	EXPECT_STR(got.location_raw, "Hybrid - Berlin");
	EXPECT_STR(got.locality, "Berlin");
	EXPECT_STR(got.region, NULL);
	EXPECT_STR(got.country, "DE");
	EXPECT_STR(got.workplace, "hybrid");
	assert_int_equal(got.employment_types, 5);
	assert_true(got.salary_min == 42.5);
	assert_true(got.salary_max == 0);
	EXPECT_STR(got.salary_currency, "EUR");
	EXPECT_STR(got.salary_period, "HOUR");
	assert_true(got.salary_year_min == 88400);
	assert_true(got.salary_year_max == 0);
	EXPECT_STR(got.date_posted, "2026-09-01");
	EXPECT_STR(got.valid_through, NULL);
	EXPECT_STR(got.description_html, p->description_html);
	EXPECT_STR(got.description_text, p->description_text);
	EXPECT_STR(got.apply_url, p->apply_url);
	EXPECT_STR(got.url, p->url);
	assert_int_equal(got.source_rank, 0);
	assert_int_equal(got.first_seen, 5000);
	assert_int_equal(got.last_seen, 5000);
	assert_int_equal(got.closed_at, 0);
	assert_int_equal(got.created_at, 5000);
	assert_int_equal(got.updated_at, 5000);

	assert_int_equal(n, 1);
	assert_true(ls[0].id > 0);
	assert_int_equal(ls[0].posting_id, id);
	EXPECT_STR(ls[0].source, "greenhouse");
	EXPECT_STR(ls[0].external_id, "123");
	assert_int_equal(ls[0].source_id, src);
	EXPECT_STR(ls[0].url, p->url);
	EXPECT_STR(ls[0].apply_url, p->apply_url);
	EXPECT_STR(ls[0].content_hash, "h1");
	assert_int_equal(ls[0].source_rank, 0);
	assert_int_equal(ls[0].first_seen, 5000);
	assert_int_equal(ls[0].last_seen, 5000);
	assert_int_equal(ls[0].missing_runs, 0);
	assert_int_equal(ls[0].closed_at, 0);

	struct store_posting missing;
	assert_int_equal(store_posting_get(f->s, id + 1000, &f->a, &missing, NULL, NULL), STORE_NOTFOUND);
}

static void test_same_content_again_is_unchanged_but_seen(void **state)
{
	struct fx *f = *state;
	struct posting_ingest in;
	listing(&in, "lever", "a-1", "k", 1, "h1", 100);
	int64_t id = ingest_expect(f, &in, POSTING_NEW);
	in.seen_at = 200;
	assert_int_equal(ingest_expect(f, &in, POSTING_UNCHANGED), id);
	struct posting_source *ls;
	size_t n;
	struct store_posting p = get_posting(f, id, &ls, &n);
	assert_int_equal(p.version, 1);
	assert_int_equal(p.updated_at, 100);
	assert_int_equal(p.last_seen, 200);
	assert_int_equal(ls[0].last_seen, 200);
	assert_int_equal(ls[0].first_seen, 100);
	/* A sighting from the past (an old message replayed) moves nothing back. */
	in.seen_at = 150;
	ingest_expect(f, &in, POSTING_UNCHANGED);
	p = get_posting(f, id, &ls, &n);
	assert_int_equal(p.last_seen, 200);
	assert_int_equal(ls[0].last_seen, 200);
}

static void test_changed_content_rewrites_the_posting(void **state)
{
	struct fx *f = *state;
	struct posting_ingest in;
	listing(&in, "lever", "a-1", "acme|engineer|", 1, "h1", 100);
	in.posting.salary_min = 50000;
	int64_t id = ingest_expect(f, &in, POSTING_NEW);
	in.content_hash = "h2";
	in.posting.title = "Staff Engineer";
	in.posting.canonical_key = "acme|staff engineer|";
	in.posting.salary_min = 0;
	in.posting.apply_url = "https://jobs.lever.co/acme/a-1/apply";
	in.seen_at = 300;
	assert_int_equal(ingest_expect(f, &in, POSTING_UPDATED), id);
	struct posting_source *ls;
	size_t n;
	struct store_posting p = get_posting(f, id, &ls, &n);
	assert_int_equal(p.version, 2);
	assert_int_equal(p.updated_at, 300);
	assert_int_equal(p.first_seen, 100);
	EXPECT_STR(p.title, "Staff Engineer");
	EXPECT_STR(p.canonical_key, "acme|staff engineer|");
	assert_true(p.salary_min == 0);
	EXPECT_STR(p.apply_url, "https://jobs.lever.co/acme/a-1/apply");
	EXPECT_STR(ls[0].content_hash, "h2");
	EXPECT_STR(ls[0].apply_url, "https://jobs.lever.co/acme/a-1/apply");
}

static void test_near_duplicates_merge_and_others_do_not(void **state)
{
	struct fx *f = *state;
	struct posting_ingest in;
	listing(&in, "greenhouse", "1", "acme|engineer|berlin", 0xFF00, "h", 100);
	int64_t id = ingest_expect(f, &in, POSTING_NEW);
	/* 3 bits apart, max_distance 3: the same job from another source. */
	listing(&in, "jsonld", "https://acme.example/jobs/1", "acme|engineer|berlin", 0xFF07, "h", 110);
	assert_int_equal(ingest_expect(f, &in, POSTING_MERGED), id);
	/* 4 bits apart: a different description under the same key. */
	listing(&in, "indeed", "x9", "acme|engineer|berlin", 0xFF0F, "h", 120);
	int64_t other = ingest_expect(f, &in, POSTING_NEW);
	assert_true(other != id);
	/* The same description under another key is another job. */
	listing(&in, "indeed", "x10", "acme|engineer|paris", 0xFF00, "h", 130);
	assert_true(ingest_expect(f, &in, POSTING_NEW) != id);
	/* max_distance < 0 never merges, even an identical hash. */
	listing(&in, "workday", "w1", "acme|engineer|berlin", 0xFF00, "h", 140);
	in.max_distance = -1;
	assert_true(ingest_expect(f, &in, POSTING_NEW) != id);

	struct posting_source *ls;
	size_t n;
	struct store_posting p = get_posting(f, id, &ls, &n);
	assert_int_equal(n, 2);
	assert_int_equal(p.last_seen, 110);
	assert_int_equal(p.version, 1); /* an equal rank keeps the first listing's fields */
	int64_t count;
	struct posting_filter all = { .include_closed = 1 };
	assert_int_equal(store_posting_count(f->s, &all, &count), STORE_OK);
	assert_int_equal(count, 4);
}

static void test_a_postings_listings_alone(void **state)
{
	struct fx *f = *state;
	struct posting_ingest in;
	listing(&in, "greenhouse", "1", "acme|engineer|berlin", 0xFF00, "h", 100);
	in.source_rank = 7;
	int64_t id = ingest_expect(f, &in, POSTING_NEW);
	listing(&in, "jsonld", "https://acme.example/jobs/1", "acme|engineer|berlin", 0xFF01, "h", 110);
	in.source_rank = 2;
	in.posting.url = "https://acme.example/jobs/1";
	assert_int_equal(ingest_expect(f, &in, POSTING_MERGED), id);

	struct posting_source *via_get, *alone;
	size_t n_get, n;
	get_posting(f, id, &via_get, &n_get);
	assert_int_equal(store_posting_sources(f->s, id, &f->a, &alone, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(n_get, 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(alone[i].id, via_get[i].id);
		assert_int_equal(alone[i].posting_id, id);
		EXPECT_STR(alone[i].source, via_get[i].source);
		EXPECT_STR(alone[i].url, via_get[i].url);
	}
	/* Best rank first. */
	EXPECT_STR(alone[0].source, "jsonld");
	EXPECT_STR(alone[0].url, "https://acme.example/jobs/1");
	/* An unknown posting has none. */
	assert_int_equal(store_posting_sources(f->s, id + 1000, &f->a, &alone, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/* The listings of a page of postings in one call: each posting's group is
 * what store_posting_sources gives it alone, whatever order the ids are in. */
static void test_listings_of_several_postings_at_once(void **state)
{
	struct fx *f = *state;
	struct posting_ingest in;
	listing(&in, "greenhouse", "1", "acme|engineer|berlin", 0xFF00, "h", 100);
	in.source_rank = 7;
	int64_t a = ingest_expect(f, &in, POSTING_NEW);
	listing(&in, "jsonld", "https://acme.example/jobs/1", "acme|engineer|berlin", 0xFF01, "h", 110);
	in.source_rank = 2;
	assert_int_equal(ingest_expect(f, &in, POSTING_MERGED), a);
	listing(&in, "lever", "x-9", "globex|designer|paris", 0x1234, "h", 120);
	int64_t b = ingest_expect(f, &in, POSTING_NEW);
	listing(&in, "lever", "x-10", "initech|tester|rome", 0xABCD0000, "h", 130);
	int64_t c = ingest_expect(f, &in, POSTING_NEW);

	int64_t ids[] = { c, a + b + c + 1000, a, b, a };
	struct posting_source_group *g;
	assert_int_equal(store_posting_sources_of(f->s, ids, 5, &f->a, &g), STORE_OK);
	size_t want_n[] = { 1, 0, 2, 1, 2 };
	for (size_t i = 0; i < 5; i++) {
		if (g[i].n != want_n[i])
			fail_msg("ids[%zu]: %zu listings, expected %zu", i, g[i].n, want_n[i]);
		if (!g[i].n)
			continue;
		struct posting_source *alone;
		size_t n;
		assert_int_equal(store_posting_sources(f->s, ids[i], &f->a, &alone, &n), STORE_OK);
		assert_int_equal(n, g[i].n);
		for (size_t k = 0; k < n; k++) {
			assert_int_equal(g[i].items[k].id, alone[k].id);
			assert_int_equal(g[i].items[k].posting_id, ids[i]);
			assert_int_equal(g[i].items[k].source_rank, alone[k].source_rank);
			EXPECT_STR(g[i].items[k].source, alone[k].source);
			EXPECT_STR(g[i].items[k].external_id, alone[k].external_id);
			assert_int_equal(g[i].items[k].first_seen, alone[k].first_seen);
		}
	}
	/* Best rank first within a posting. */
	EXPECT_STR(g[2].items[0].source, "jsonld");
	EXPECT_STR(g[2].items[1].source, "greenhouse");
	EXPECT_STR(g[3].items[0].external_id, "x-9");
	/* None asked, none given; too many asked is refused. */
	assert_int_equal(store_posting_sources_of(f->s, ids, 0, &f->a, &g), STORE_OK);
	static int64_t many[STORE_SOURCES_OF_MAX + 1];
	assert_int_equal(store_posting_sources_of(f->s, many, STORE_SOURCES_OF_MAX + 1, &f->a, &g), STORE_ERROR);
	for (size_t i = 0; i < STORE_SOURCES_OF_MAX; i++)
		many[i] = (int64_t)i + 1;
	assert_int_equal(store_posting_sources_of(f->s, many, STORE_SOURCES_OF_MAX, &f->a, &g), STORE_OK);
	assert_int_equal(g[a - 1].n, 2);
}

static void test_one_adapter_listing_two_texts_makes_two_postings(void **state)
{
	struct fx *f = *state;
	struct posting_ingest in;
	listing(&in, "greenhouse", "1", "acme|engineer|berlin", 0x0F, "h", 100);
	int64_t a = ingest_expect(f, &in, POSTING_NEW);
	/* Both listed at once, texts 4 bits apart (max_distance 3): two openings. */
	listing(&in, "greenhouse", "2", "acme|engineer|berlin", 0xFF, "h", 100);
	int64_t b = ingest_expect(f, &in, POSTING_NEW);
	assert_true(a != b);
	/* A third source merges into the one its text is near. */
	listing(&in, "jsonld", "u", "acme|engineer|berlin", 0xFE, "h", 100);
	assert_int_equal(ingest_expect(f, &in, POSTING_MERGED), b);
	struct store_posting p = get_posting(f, a, NULL, NULL);
	assert_int_equal(p.repost_count, 0);
	assert_int_equal(p.reposted_at, 0);
}

/* The same text under a new id while the old one is still up (a bump):
 * one job, reposted — not a second opening. */
static void test_one_adapter_relisting_the_same_text_is_a_repost(void **state)
{
	struct fx *f = *state;
	struct posting_ingest in;
	listing(&in, "greenhouse", "1", "acme|engineer|berlin", 7, "h", 100);
	in.posting.date_posted = "2026-01-05";
	int64_t a = ingest_expect(f, &in, POSTING_NEW);
	listing(&in, "greenhouse", "2", "acme|engineer|berlin", 7 ^ 4, "h2", 200);
	in.posting.date_posted = "2026-02-01";
	in.posting.title = "Engineer (bumped)";
	assert_int_equal(ingest_expect(f, &in, POSTING_REPOSTED), a);
	struct posting_source *ls;
	size_t n;
	struct store_posting p = get_posting(f, a, &ls, &n);
	assert_int_equal(n, 2);
	assert_int_equal(ls[0].closed_at, 0);
	assert_int_equal(ls[1].closed_at, 0);
	assert_int_equal(p.closed_at, 0);
	assert_int_equal(p.first_seen, 100);
	assert_int_equal(p.last_seen, 200);
	assert_int_equal(p.repost_count, 1);
	assert_int_equal(p.reposted_at, 200);
	assert_int_equal(p.updated_at, 200);
	EXPECT_STR(p.date_posted, "2026-02-01");
	EXPECT_STR(p.title, "Engineer (bumped)"); /* an equal rank: the newer text */
	/* Delivered again: a known listing, nothing counted twice. */
	assert_int_equal(ingest_expect(f, &in, POSTING_UNCHANGED), a);
	/* A worse-ranked repost leaves the fields but for its stated date. */
	listing(&in, "greenhouse", "3", "acme|engineer|berlin", 7, "h", 300);
	in.source_rank = 9;
	in.posting.title = "Worse";
	in.posting.date_posted = "2026-03-01";
	assert_int_equal(ingest_expect(f, &in, POSTING_REPOSTED), a);
	p = get_posting(f, a, NULL, NULL);
	assert_int_equal(p.repost_count, 2);
	assert_int_equal(p.reposted_at, 300);
	EXPECT_STR(p.date_posted, "2026-03-01");
	EXPECT_STR(p.title, "Engineer (bumped)");
	int64_t count;
	struct posting_filter all = { .include_closed = 1 };
	assert_int_equal(store_posting_count(f->s, &all, &count), STORE_OK);
	assert_int_equal(count, 1);
}

/* Taken down, put up again under a new id: the same posting, reopened,
 * with everything users hung on it. */
static void test_a_job_put_up_again_under_a_new_id_is_a_repost(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "acme", 10);
	struct posting_ingest in;
	listing(&in, "greenhouse", "1", "k", 0x100, "h", 100);
	in.source_id = src;
	in.posting.date_posted = "2026-01-05";
	int64_t id = ingest_expect(f, &in, POSTING_NEW);
	struct application app, got;
	app_blank(&app, "Acme");
	app.posting_id = id;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 150), STORE_OK);
	assert_int_equal(store_posting_hide(f->s, f->alice.id, id, 160), STORE_OK);

	struct missing_counts mc;
	assert_int_equal(store_posting_mark_missing(f->s, src, 200, 1, 250, &mc), STORE_OK);
	assert_int_equal(mc.postings_closed, 1);
	assert_int_equal(store_app_get(f->s, f->alice.id, app.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.posting_closed_at, 250);
	struct user u;
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &u), STORE_OK);
	int64_t dv = u.data_version;

	/* Days later, a new id, the description near (1 bit apart). */
	int64_t at = 250 + 10 * 86400;
	listing(&in, "greenhouse", "2", "k", 0x101, "h2", at);
	in.source_id = src;
	in.posting.date_posted = "2026-01-20";
	assert_int_equal(ingest_expect(f, &in, POSTING_REPOSTED), id);
	struct posting_source *ls;
	size_t n;
	struct store_posting p = get_posting(f, id, &ls, &n);
	assert_int_equal(p.closed_at, 0);
	assert_int_equal(p.first_seen, 100);
	assert_int_equal(p.repost_count, 1);
	assert_int_equal(p.reposted_at, at);
	assert_int_equal(p.updated_at, at);
	EXPECT_STR(p.date_posted, "2026-01-20");
	assert_int_equal(n, 2);
	/* The tracker's "posting closed" flag clears, and its cache knows. */
	assert_int_equal(store_app_get(f->s, f->alice.id, app.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.posting_id, id);
	assert_int_equal(got.posting_closed_at, 0);
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &u), STORE_OK);
	assert_true(u.data_version != dv);
	struct store_hidden h;
	assert_int_equal(store_hidden_list(f->s, f->alice.id, &f->a, &h), STORE_OK);
	assert_int_equal(h.npostings, 1);
	assert_int_equal(h.postings[0].posting_id, id);
	/* The search index's feed sees it reopened. */
	struct store_posting *ch;
	size_t nch;
	assert_int_equal(store_posting_changed(f->s, at - 1, 0, 10, &f->a, &ch, &nch), STORE_OK);
	assert_int_equal(nch, 1);
	assert_int_equal(ch[0].id, id);
	assert_int_equal(ch[0].closed_at, 0);
	assert_int_equal(ch[0].repost_count, 1);
	/* Another source's listing of it, later closed, reposts it too. */
	assert_int_equal(store_posting_mark_missing(f->s, src, at + 1, 1, at + 2, &mc), STORE_OK);
	assert_int_equal(mc.postings_closed, 1);
	listing(&in, "lever", "x", "k", 0x100, "h", at + 3);
	assert_int_equal(ingest_expect(f, &in, POSTING_REPOSTED), id);
	p = get_posting(f, id, NULL, NULL);
	assert_int_equal(p.repost_count, 2);
	assert_int_equal(p.closed_at, 0);
}

static void test_too_late_or_too_different_is_no_repost(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "acme", 10);
	struct posting_ingest in;
	const char *keys[] = { "k", "late", "edge" };
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		listing(&in, "greenhouse", keys[i], keys[i], 0x100, "h", 100);
		in.source_id = src;
		ids[i] = ingest_expect(f, &in, POSTING_NEW);
	}
	struct missing_counts mc;
	assert_int_equal(store_posting_mark_missing(f->s, src, 200, 1, 250, &mc), STORE_OK);
	assert_int_equal(mc.postings_closed, 3);
	/* Another text under the key (4 bits apart, max_distance 3): another job. */
	listing(&in, "greenhouse", "k2", "k", 0x10F, "h", 300);
	assert_true(ingest_expect(f, &in, POSTING_NEW) != ids[0]);
	/* A second past the window: another hiring round, a new posting. */
	listing(&in, "greenhouse", "late2", "late", 0x100, "h", 250 + STORE_REPOST_WINDOW + 1);
	assert_true(ingest_expect(f, &in, POSTING_NEW) != ids[1]);
	/* The window's last second still reposts. */
	listing(&in, "greenhouse", "edge2", "edge", 0x100, "h", 250 + STORE_REPOST_WINDOW);
	assert_int_equal(ingest_expect(f, &in, POSTING_REPOSTED), ids[2]);
	/* max_distance < 0 never reposts either. */
	listing(&in, "greenhouse", "k3", "k", 0x100, "h", 400);
	in.max_distance = -1;
	assert_true(ingest_expect(f, &in, POSTING_NEW) != ids[0]);
	struct store_posting p = get_posting(f, ids[0], NULL, NULL);
	assert_int_equal(p.repost_count, 0);
	assert_int_equal(p.closed_at, 250);
}

/* ---- closing and reopening -------------------------------------------------- */

static void test_the_best_ranked_listing_gives_the_fields(void **state)
{
	struct fx *f = *state;
	struct posting_ingest agg, ats;
	listing(&agg, "indeed", "i-1", "acme|engineer|berlin", 1, "agg-1", 100);
	agg.source_rank = 10;
	agg.posting.apply_url = "https://indeed.example/apply/i-1";
	agg.posting.title = "Engineer (via Indeed)";
	int64_t id = ingest_expect(f, &agg, POSTING_NEW);

	listing(&ats, "greenhouse", "g-1", "acme|engineer|berlin", 1, "ats-1", 200);
	ats.source_rank = 0;
	ats.posting.apply_url = "https://boards.greenhouse.io/acme/jobs/g-1";
	assert_int_equal(ingest_expect(f, &ats, POSTING_MERGED), id);
	struct store_posting p = get_posting(f, id, NULL, NULL);
	EXPECT_STR(p.apply_url, "https://boards.greenhouse.io/acme/jobs/g-1");
	EXPECT_STR(p.title, "Engineer");
	assert_int_equal(p.source_rank, 0);
	assert_int_equal(p.version, 2);
	assert_int_equal(p.updated_at, 200);

	/* The aggregator's change is its listing's, not the posting's. */
	agg.content_hash = "agg-2";
	agg.posting.title = "Changed at the aggregator";
	agg.seen_at = 300;
	assert_int_equal(ingest_expect(f, &agg, POSTING_UPDATED), id);
	p = get_posting(f, id, NULL, NULL);
	EXPECT_STR(p.title, "Engineer");
	assert_int_equal(p.version, 2);
	assert_int_equal(p.last_seen, 300);

	/* A worse-ranked newcomer never takes over. */
	struct posting_ingest other;
	listing(&other, "jsonld", "j-1", "acme|engineer|berlin", 1, "j", 400);
	other.source_rank = 20;
	other.posting.apply_url = "https://elsewhere.example/j-1";
	assert_int_equal(ingest_expect(f, &other, POSTING_MERGED), id);
	p = get_posting(f, id, NULL, NULL);
	EXPECT_STR(p.apply_url, "https://boards.greenhouse.io/acme/jobs/g-1");
	assert_int_equal(p.version, 2);

	/* The API shows every listing, best rank first. */
	struct posting_source *ls;
	size_t n;
	get_posting(f, id, &ls, &n);
	assert_int_equal(n, 3);
	EXPECT_STR(ls[0].source, "greenhouse");
	EXPECT_STR(ls[1].source, "indeed");
	EXPECT_STR(ls[2].source, "jsonld");
	EXPECT_STR(ls[1].apply_url, "https://indeed.example/apply/i-1");
}

struct picked {
	size_t n; /* of the first call */
	int distances[8];
	int64_t ids[8];
	int answer; /* index to return, or -1 */
	int calls;
	int64_t last_ids[8]; /* of the last call */
	size_t last_n;
};

static int pick_fn(const struct posting_candidate *c, size_t n, void *ctx)
{
	struct picked *p = ctx;
	p->last_n = n;
	for (size_t i = 0; i < n && i < 8; i++)
		p->last_ids[i] = c[i].id;
	if (p->calls++)
		return p->answer;
	p->n = n;
	for (size_t i = 0; i < n && i < 8; i++) {
		p->distances[i] = c[i].distance;
		p->ids[i] = c[i].id;
	}
	return p->answer;
}

static void test_a_pick_callback_chooses_among_candidates(void **state)
{
	struct fx *f = *state;
	struct posting_ingest in;
	listing(&in, "a", "1", "k", 0x0, "h", 100);
	int64_t first = ingest_expect(f, &in, POSTING_NEW);
	listing(&in, "a", "2", "k", 0xFFFF, "h", 101);
	int64_t second = ingest_expect(f, &in, POSTING_NEW);

	struct picked picked = { .answer = 1 };
	listing(&in, "b", "1", "k", 0x1, "h", 102);
	in.pick = pick_fn;
	in.pick_ctx = &picked;
	assert_int_equal(ingest_expect(f, &in, POSTING_MERGED), second);
	assert_int_equal(picked.n, 2);
	assert_int_equal(picked.ids[0], first); /* oldest first */
	assert_int_equal(picked.ids[1], second);
	assert_int_equal(picked.distances[0], 1);
	assert_int_equal(picked.distances[1], 15);

	/* The merge pick sees only postings without a listing from this
	 * adapter; declined, a second pick sees the repost candidates. */
	picked = (struct picked){ .answer = -1 };
	listing(&in, "b", "2", "k", 0x0, "h", 103);
	in.pick = pick_fn;
	in.pick_ctx = &picked;
	ingest_expect(f, &in, POSTING_NEW);
	assert_int_equal(picked.calls, 2);
	assert_int_equal(picked.n, 1);
	assert_int_equal(picked.ids[0], first);
	assert_int_equal(picked.last_n, 1);
	assert_int_equal(picked.last_ids[0], second);
}

/* ---- closing and reopening -------------------------------------------------- */

static void test_listings_close_after_n_missed_runs_and_come_back(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "acme", 10);
	struct posting_ingest kept, gone;
	listing(&kept, "greenhouse", "1", "k1", 1, "h", 100);
	kept.source_id = src;
	listing(&gone, "greenhouse", "2", "k2", 2, "h", 100);
	gone.source_id = src;
	int64_t kept_id = ingest_expect(f, &kept, POSTING_NEW);
	int64_t gone_id = ingest_expect(f, &gone, POSTING_NEW);

	/* Run 2 (started at 200) sees only the first. */
	kept.seen_at = 210;
	ingest_expect(f, &kept, POSTING_UNCHANGED);
	struct missing_counts mc;
	assert_int_equal(store_posting_mark_missing(f->s, src, 200, 2, 250, &mc), STORE_OK);
	assert_int_equal(mc.missed, 1);
	assert_int_equal(mc.closed, 0);
	assert_int_equal(mc.postings_closed, 0);
	struct posting_source *ls;
	size_t n;
	struct store_posting p = get_posting(f, gone_id, &ls, &n);
	assert_int_equal(ls[0].missing_runs, 1);
	assert_int_equal(ls[0].closed_at, 0);
	assert_int_equal(p.closed_at, 0);

	/* Run 3 (started at 300) misses it again: closed, with its posting. */
	kept.seen_at = 310;
	ingest_expect(f, &kept, POSTING_UNCHANGED);
	assert_int_equal(store_posting_mark_missing(f->s, src, 300, 2, 350, &mc), STORE_OK);
	assert_int_equal(mc.missed, 1);
	assert_int_equal(mc.closed, 1);
	assert_int_equal(mc.postings_closed, 1);
	p = get_posting(f, gone_id, &ls, &n);
	assert_int_equal(ls[0].missing_runs, 2);
	assert_int_equal(ls[0].closed_at, 350);
	assert_int_equal(p.closed_at, 350);
	assert_int_equal(p.version, 2);
	assert_int_equal(p.updated_at, 350);
	p = get_posting(f, kept_id, &ls, &n);
	assert_int_equal(p.closed_at, 0);
	assert_int_equal(ls[0].missing_runs, 0);

	/* Nothing left open to miss: a later run counts nothing. */
	assert_int_equal(store_posting_mark_missing(f->s, src, 400, 2, 450, &mc), STORE_OK);
	assert_int_equal(mc.closed, 0);

	/* Listed again (a repost): reopened, listing and posting. */
	gone.seen_at = 500;
	assert_int_equal(ingest_expect(f, &gone, POSTING_REOPENED), gone_id);
	p = get_posting(f, gone_id, &ls, &n);
	assert_int_equal(p.closed_at, 0);
	assert_int_equal(p.version, 3);
	assert_int_equal(ls[0].closed_at, 0);
	assert_int_equal(ls[0].missing_runs, 0);
	assert_int_equal(ls[0].last_seen, 500);
}

static void test_a_posting_closes_only_with_its_last_listing(void **state)
{
	struct fx *f = *state;
	int64_t a = add_source(f, "board-a", 10), b = add_source(f, "board-b", 10);
	struct posting_ingest la, lb;
	listing(&la, "greenhouse", "1", "k", 1, "h", 100);
	la.source_id = a;
	listing(&lb, "jsonld", "u1", "k", 1, "h", 100);
	lb.source_id = b;
	int64_t id = ingest_expect(f, &la, POSTING_NEW);
	assert_int_equal(ingest_expect(f, &lb, POSTING_MERGED), id);

	struct missing_counts mc;
	assert_int_equal(store_posting_mark_missing(f->s, a, 200, 1, 250, &mc), STORE_OK);
	assert_int_equal(mc.closed, 1);
	assert_int_equal(mc.postings_closed, 0);
	struct store_posting p = get_posting(f, id, NULL, NULL);
	assert_int_equal(p.closed_at, 0);

	assert_int_equal(store_posting_mark_missing(f->s, b, 300, 1, 350, &mc), STORE_OK);
	assert_int_equal(mc.closed, 1);
	assert_int_equal(mc.postings_closed, 1);
	p = get_posting(f, id, NULL, NULL);
	assert_int_equal(p.closed_at, 350);

	/* Other sources' listings are never touched by a source's run. */
	int64_t c = add_source(f, "board-c", 10);
	assert_int_equal(store_posting_mark_missing(f->s, c, 1000, 1, 1000, &mc), STORE_OK);
	assert_int_equal(mc.missed, 0);

	/* A closed posting is no merge candidate, but the same job listed anew
	 * soon after is its repost (see the repost tests). */
	struct posting_ingest lc;
	listing(&lc, "lever", "x", "k", 1, "h", 400);
	assert_int_equal(ingest_expect(f, &lc, POSTING_REPOSTED), id);
}

/* ---- changed since a watermark (the search index keeps in step) ----------- */

static void test_changed_postings_come_in_update_order_after_a_watermark(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "board-a", 10);
	struct posting_ingest l1, l2, l3;
	listing(&l1, "greenhouse", "1", "k1", 1, "h1", 100);
	l1.posting.description_text = "first text";
	l1.posting.description_html = "<p>first text</p>";
	l1.source_id = src;
	listing(&l2, "greenhouse", "2", "k2", 0xFFFFFFFF00000000ULL, "h2", 200);
	listing(&l3, "greenhouse", "3", "k3", 0x00FFFF0000FFFF00ULL, "h3", 200);
	int64_t id1 = ingest_expect(f, &l1, POSTING_NEW);
	int64_t id2 = ingest_expect(f, &l2, POSTING_NEW);
	int64_t id3 = ingest_expect(f, &l3, POSTING_NEW);

	struct store_posting *items;
	size_t n;
	assert_int_equal(store_posting_changed(f->s, 0, 0, 0, &f->a, &items, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(items[0].id, id1);
	assert_int_equal(items[1].id, id2); /* equal updated_at: by id */
	assert_int_equal(items[2].id, id3);
	EXPECT_STR(items[0].description_text, "first text");
	assert_null(items[0].description_html);
	assert_int_equal(items[0].updated_at, 100);

	/* Pages by (updated_at, id): after id2 at 200 only id3 is left. */
	assert_int_equal(store_posting_changed(f->s, 200, id2, 0, &f->a, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, id3);
	assert_int_equal(store_posting_changed(f->s, 0, 0, 1, &f->a, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, id1);

	/* A rewrite and a close move a posting past the watermark, closed ones included. */
	l1.content_hash = "h1b";
	l1.posting.title = "Senior Engineer";
	l1.seen_at = 300;
	ingest_expect(f, &l1, POSTING_UPDATED);
	assert_int_equal(store_posting_changed(f->s, 200, id3, 0, &f->a, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, id1);
	EXPECT_STR(items[0].title, "Senior Engineer");
	struct missing_counts mc;
	assert_int_equal(store_posting_mark_missing(f->s, src, 400, 1, 450, &mc), STORE_OK);
	assert_int_equal(mc.postings_closed, 1);
	assert_int_equal(store_posting_changed(f->s, 300, id1, 0, &f->a, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, id1);
	assert_int_equal(items[0].closed_at, 450);
	assert_int_equal(store_posting_changed(f->s, 450, id1, 0, &f->a, &items, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/* ---- listing -------------------------------------------------------------- */

/* Lists every page of f and writes the ids in order into ids (at most max). */
static size_t all_pages(struct fx *f, struct posting_filter flt, int64_t *ids, size_t max, size_t *pages)
{
	size_t got = 0;
	*pages = 0;
	for (;;) {
		struct store_posting *items;
		size_t n;
		struct posting_cursor next;
		assert_int_equal(store_posting_list(f->s, &flt, &f->a, &items, &n, &next), STORE_OK);
		(*pages)++;
		assert_true((int64_t)n <= flt.limit);
		for (size_t i = 0; i < n; i++) {
			assert_null(items[i].description_html); /* listings leave descriptions out */
			assert_non_null(items[i].title);
			if (got < max)
				ids[got] = items[i].id;
			got++;
		}
		if (next.id == 0)
			return got;
		assert_int_equal(n, flt.limit);
		flt.after = next;
		assert_true(*pages < 100);
	}
}

static void test_listing_is_newest_first_in_stable_pages(void **state)
{
	struct fx *f = *state;
	/* first_seen: 100, 300, 300, 300, 200, 400, 500 — ties break by id. */
	static const int64_t seen[] = { 100, 300, 300, 300, 200, 400, 500 };
	int64_t ids[7];
	struct posting_ingest in;
	char ext[16], key[16];
	for (int i = 0; i < 7; i++) {
		snprintf(ext, sizeof(ext), "e%d", i);
		snprintf(key, sizeof(key), "k%d", i);
		listing(&in, "s", ext, key, 0, "h", seen[i]);
		in.posting.description_html = "<p>long</p>";
		ids[i] = ingest_expect(f, &in, POSTING_NEW);
	}
	const int64_t want[] = { ids[6], ids[5], ids[3], ids[2], ids[1], ids[4], ids[0] };
	int64_t got[16];
	size_t pages;
	struct posting_filter flt = { .limit = 3 };
	assert_int_equal(all_pages(f, flt, got, 16, &pages), 7);
	assert_int_equal(pages, 3);
	for (int i = 0; i < 7; i++)
		assert_int_equal(got[i], want[i]);

	/* A page boundary inside a tie, and a posting ingested between pages:
	 * the next page neither repeats nor skips anything. */
	struct store_posting *items;
	size_t n;
	struct posting_cursor next;
	flt.limit = 3;
	assert_int_equal(store_posting_list(f->s, &flt, &f->a, &items, &n, &next), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(next.id, ids[3]);
	listing(&in, "s", "late", "late", 0, "h", 600);
	ingest_expect(f, &in, POSTING_NEW);
	flt.after = next;
	flt.limit = 2;
	assert_int_equal(store_posting_list(f->s, &flt, &f->a, &items, &n, &next), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].id, ids[2]);
	assert_int_equal(items[1].id, ids[1]);

	/* Closed postings are left out unless asked for, in lists and counts. */
	int64_t src = add_source(f, "src", 1);
	listing(&in, "s2", "c", "closed-key", 0, "h", 700);
	in.source_id = src;
	int64_t closed = ingest_expect(f, &in, POSTING_NEW);
	struct missing_counts mc;
	assert_int_equal(store_posting_mark_missing(f->s, src, 800, 1, 800, &mc), STORE_OK);
	assert_int_equal(mc.postings_closed, 1);
	int64_t count;
	struct posting_filter open = { .limit = 100 }, all = { .limit = 100, .include_closed = 1 };
	assert_int_equal(store_posting_count(f->s, &open, &count), STORE_OK);
	assert_int_equal(count, 8);
	assert_int_equal(store_posting_count(f->s, &all, &count), STORE_OK);
	assert_int_equal(count, 9);
	assert_int_equal(store_posting_list(f->s, &open, &f->a, &items, &n, &next), STORE_OK);
	assert_int_equal(n, 8);
	assert_int_equal(next.id, 0);
	for (size_t i = 0; i < n; i++)
		assert_true(items[i].id != closed);
	assert_int_equal(store_posting_list(f->s, &all, &f->a, &items, &n, &next), STORE_OK);
	assert_int_equal(n, 9);
	assert_int_equal(items[0].id, closed);
	assert_int_equal(items[0].closed_at, 800);

	/* The default page is 50. */
	struct posting_filter dflt = { .include_closed = 1 };
	for (int i = 0; i < 50; i++) {
		snprintf(ext, sizeof(ext), "more%d", i);
		listing(&in, "s", ext, ext, 0, "h", 1000 + i);
		ingest_expect(f, &in, POSTING_NEW);
	}
	assert_int_equal(store_posting_list(f->s, &dflt, &f->a, &items, &n, &next), STORE_OK);
	assert_int_equal(n, 50);
	assert_true(next.id != 0);
}

/* ---- concurrency ------------------------------------------------------------- */

struct ingester {
	struct store *s;
	const char *source, *external_id;
	int rounds;
	int failures;
	int news;
};

static void *ingest_main(void *p)
{
	struct ingester *g = p;
	for (int i = 0; i < g->rounds; i++) {
		struct posting_ingest in;
		listing(&in, g->source, g->external_id, "acme|engineer|berlin", 0xABC, i % 2 ? "h1" : "h2", 1000 + i);
		enum posting_change change;
		int rc;
		/* Deadlocks between processes are BUSY, and callers retry. */
		for (int tries = 0; (rc = store_posting_ingest(g->s, &in, &change, NULL)) == STORE_BUSY && tries < 20;
		     tries++)
			;
		if (rc)
			g->failures++;
		else if (change == POSTING_NEW)
			g->news++;
	}
	return NULL;
}

static void test_racing_ingests_make_one_posting(void **state)
{
	struct fx *f = *state;
	enum { THREADS = 6, ROUNDS = 15 };
	/* Two threads per listing, three sources of the same job. */
	static const char *const sources[] = { "greenhouse", "jsonld", "indeed" };
	pthread_t th[THREADS];
	struct ingester g[THREADS];
	for (int i = 0; i < THREADS; i++) {
		g[i] = (struct ingester){ .s = f->s, .source = sources[i % 3], .external_id = "42", .rounds = ROUNDS };
		assert_int_equal(pthread_create(&th[i], NULL, ingest_main, &g[i]), 0);
	}
	int news = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(g[i].failures, 0);
		news += g[i].news;
	}
	assert_int_equal(news, 1);
	int64_t count;
	struct posting_filter all = { .include_closed = 1 };
	assert_int_equal(store_posting_count(f->s, &all, &count), STORE_OK);
	assert_int_equal(count, 1);
	struct store_posting *items;
	size_t n;
	struct posting_cursor next;
	assert_int_equal(store_posting_list(f->s, &all, &f->a, &items, &n, &next), STORE_OK);
	struct posting_source *ls;
	get_posting(f, items[0].id, &ls, &n);
	assert_int_equal(n, 3);
}

/* ---- sources --------------------------------------------------------------- */

static void test_sources_crud_with_versions(void **state)
{
	struct fx *f = *state;
	struct scrape_source src = { .name = "acme-greenhouse",
				     .kind = "greenhouse",
				     .target = "acme",
				     .config = "{\"delay_ms\":500}",
				     .schedule = "every 6h",
				     .enabled = 1 };
	assert_int_equal(store_source_insert(f->s, &src, 100), STORE_OK);
	assert_int_equal(src.version, 1);
	struct scrape_source got;
	assert_int_equal(store_source_get(f->s, src.id, &f->a, &got), STORE_OK);
	EXPECT_STR(got.name, "acme-greenhouse");
	EXPECT_STR(got.kind, "greenhouse");
	EXPECT_STR(got.target, "acme");
	EXPECT_STR(got.config, "{\"delay_ms\":500}");
	EXPECT_STR(got.schedule, "every 6h");
	assert_int_equal(got.enabled, 1);
	assert_int_equal(got.version, 1);
	assert_int_equal(got.created_at, 100);
	assert_int_equal(got.updated_at, 100);
	assert_int_equal(got.blocked_until, 0);
	assert_int_equal(got.last_run_id, 0);

	/* Defaults for what was left out; names are unique. */
	struct scrape_source bare = { .name = "bare", .kind = "jsonld" };
	assert_int_equal(store_source_insert(f->s, &bare, 110), STORE_OK);
	assert_int_equal(store_source_get(f->s, bare.id, &f->a, &got), STORE_OK);
	EXPECT_STR(got.config, "{}");
	EXPECT_STR(got.target, "");
	EXPECT_STR(got.schedule, "");
	assert_int_equal(got.enabled, 0);
	struct scrape_source dup = { .name = "bare", .kind = "lever" };
	assert_int_equal(store_source_insert(f->s, &dup, 120), STORE_CONFLICT);
	assert_int_equal(store_source_by_name(f->s, "bare", &f->a, &got), STORE_OK);
	assert_int_equal(got.id, bare.id);
	assert_int_equal(store_source_by_name(f->s, "nope", &f->a, &got), STORE_NOTFOUND);

	/* Listed by name. */
	struct scrape_source early = { .name = "Zeta", .kind = "x" }; /* "Z" sorts before "a" in bytes */
	assert_int_equal(store_source_insert(f->s, &early, 130), STORE_OK);
	struct scrape_source *list;
	size_t n;
	assert_int_equal(store_source_list(f->s, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 3);
	EXPECT_STR(list[0].name, "Zeta");
	EXPECT_STR(list[1].name, "acme-greenhouse");
	EXPECT_STR(list[2].name, "bare");

	/* Updates check the version when asked; a stale one changes nothing. */
	src.schedule = "every 1h";
	assert_int_equal(store_source_update(f->s, &src, 1, 200), STORE_OK);
	assert_int_equal(src.version, 2);
	assert_int_equal(src.updated_at, 200);
	src.schedule = "stale edit";
	assert_int_equal(store_source_update(f->s, &src, 1, 210), STORE_STALE);
	assert_int_equal(store_source_get(f->s, src.id, &f->a, &got), STORE_OK);
	EXPECT_STR(got.schedule, "every 1h");
	assert_int_equal(got.version, 2);
	src.schedule = "unchecked";
	assert_int_equal(store_source_update(f->s, &src, 0, 220), STORE_OK);
	assert_int_equal(src.version, 3);
	src.name = "bare";
	assert_int_equal(store_source_update(f->s, &src, 3, 230), STORE_CONFLICT);
	src.name = "acme";
	src.id = 999999;
	assert_int_equal(store_source_update(f->s, &src, 0, 230), STORE_NOTFOUND);

	/* The scraper's own marks are not administrators' edits. */
	assert_int_equal(store_source_set_blocked(f->s, bare.id, 5000), STORE_OK);
	assert_int_equal(store_source_get(f->s, bare.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.blocked_until, 5000);
	assert_int_equal(got.version, 1);
	assert_int_equal(store_source_set_blocked(f->s, 999999, 1), STORE_NOTFOUND);

	/* Deleting checks the version too; ids are never reused. */
	assert_int_equal(store_source_delete(f->s, early.id, 7), STORE_STALE);
	assert_int_equal(store_source_delete(f->s, early.id, 1), STORE_OK);
	assert_int_equal(store_source_delete(f->s, early.id, 0), STORE_NOTFOUND);
	struct scrape_source after = { .name = "after", .kind = "x" };
	assert_int_equal(store_source_insert(f->s, &after, 300), STORE_OK);
	assert_true(after.id > early.id);
}

static void test_deleting_a_source_takes_its_runs_and_keeps_its_postings(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "acme", 10);
	struct scrape_run run;
	assert_int_equal(store_run_start(f->s, src, 100, 0, &f->a, &run), STORE_OK);
	struct posting_ingest in;
	listing(&in, "greenhouse", "1", "k", 1, "h", 110);
	in.source_id = src;
	int64_t id = ingest_expect(f, &in, POSTING_NEW);
	assert_int_equal(store_source_delete(f->s, src, 0), STORE_OK);
	assert_int_equal(store_run_get(f->s, run.id, &f->a, &run), STORE_NOTFOUND);
	struct posting_source *ls;
	size_t n;
	get_posting(f, id, &ls, &n);
	assert_int_equal(n, 1);
	assert_int_equal(ls[0].source_id, 0);
}

/* ---- runs ------------------------------------------------------------------ */

static void test_runs_start_progress_finish(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "acme", 10);
	struct scrape_run run, got;
	assert_int_equal(store_run_start(f->s, src, 100, 40, &f->a, &run), STORE_OK);
	assert_true(run.id > 0);
	assert_int_equal(run.source_id, src);
	EXPECT_STR(run.status, "running");
	assert_int_equal(run.started_at, 100);
	assert_int_equal(run.heartbeat_at, 100);
	struct scrape_source s;
	assert_int_equal(store_source_get(f->s, src, &f->a, &s), STORE_OK);
	assert_int_equal(s.last_run_id, run.id);
	assert_int_equal(s.version, 1);

	struct run_counts c = { .pages = 3, .bytes = 12345, .found = 20, .new = 5, .updated = 2, .errors = 1 };
	assert_int_equal(store_run_progress(f->s, run.id, &c, 130), STORE_OK);
	assert_int_equal(store_run_get(f->s, run.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.heartbeat_at, 130);
	assert_int_equal(got.counts.bytes, 12345);
	assert_int_equal(got.counts.new, 5);
	assert_int_equal(got.finished_at, 0);

	c.closed = 4;
	c.pages = 9;
	assert_int_equal(store_run_finish(f->s, run.id, "ok", &c, "done", 160), STORE_OK);
	assert_int_equal(store_run_get(f->s, run.id, &f->a, &got), STORE_OK);
	EXPECT_STR(got.status, "ok");
	EXPECT_STR(got.message, "done");
	assert_int_equal(got.finished_at, 160);
	assert_int_equal(got.counts.pages, 9);
	assert_int_equal(got.counts.closed, 4);
	assert_int_equal(got.counts.found, 20);
	assert_int_equal(got.counts.errors, 1);

	/* A finished run takes no more writes. */
	assert_int_equal(store_run_progress(f->s, run.id, &c, 170), STORE_STALE);
	assert_int_equal(store_run_finish(f->s, run.id, "failed", NULL, NULL, 170), STORE_STALE);
	assert_int_equal(store_run_progress(f->s, run.id + 100, &c, 170), STORE_NOTFOUND);
	assert_int_equal(store_run_get(f->s, run.id + 100, &f->a, &got), STORE_NOTFOUND);

	/* Finishing without counters keeps them. */
	struct scrape_run second;
	assert_int_equal(store_run_start(f->s, src, 200, 160, &f->a, &second), STORE_OK);
	assert_int_equal(store_run_progress(f->s, second.id, &c, 210), STORE_OK);
	assert_int_equal(store_run_finish(f->s, second.id, "blocked", NULL, NULL, 220), STORE_OK);
	assert_int_equal(store_run_get(f->s, second.id, &f->a, &got), STORE_OK);
	EXPECT_STR(got.status, "blocked");
	EXPECT_STR(got.message, "");
	assert_int_equal(got.counts.pages, 9);

	assert_int_equal(store_run_start(f->s, 999999, 300, 0, &f->a, &got), STORE_NOTFOUND);
}

/* A run that found postings while some requests failed ends "partial"; how
 * many requests the source blocked is kept with any status, and a start
 * records which process runs it. */
static void test_runs_partial_and_blocked(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "acme", 10);
	struct scrape_run run, got;
	assert_int_equal(store_run_start(f->s, src, 100, 40, &f->a, &run), STORE_OK);
	assert_int_equal(run.counts.blocked, 0);
	struct run_counts c = { .pages = 4, .found = 12, .errors = 3, .blocked = 2 };
	assert_int_equal(store_run_progress(f->s, run.id, &c, 110), STORE_OK);
	assert_int_equal(store_run_get(f->s, run.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.counts.blocked, 2);
	c.blocked = 3;
	assert_int_equal(store_run_finish(f->s, run.id, "partial", &c, "partial: 3 of 7 requests failed", 120),
			 STORE_OK);
	assert_int_equal(store_run_get(f->s, run.id, &f->a, &got), STORE_OK);
	EXPECT_STR(got.status, "partial");
	assert_int_equal(got.counts.blocked, 3);
	assert_int_equal(got.counts.errors, 3);
	assert_int_equal(got.counts.found, 12);

	/* Finishing without counters keeps blocked too; listed runs carry it. */
	struct scrape_run second;
	assert_int_equal(store_run_start(f->s, src, 200, 160, &f->a, &second), STORE_OK);
	struct run_counts b = { .errors = 5, .blocked = 5 };
	assert_int_equal(store_run_progress(f->s, second.id, &b, 210), STORE_OK);
	assert_int_equal(store_run_finish(f->s, second.id, "blocked", NULL, NULL, 220), STORE_OK);
	struct scrape_run *runs;
	size_t n;
	assert_int_equal(store_run_list(f->s, src, 10, &f->a, &runs, &n), STORE_OK);
	assert_int_equal(n, 2);
	EXPECT_STR(runs[0].status, "blocked");
	assert_int_equal(runs[0].counts.blocked, 5);
	EXPECT_STR(runs[1].status, "partial");
	assert_int_equal(runs[1].counts.blocked, 3);
}

/* A run records the process that started it; store_run_crash ends a
 * running one whose process is known to be gone, whatever its heartbeat. */
static void test_runs_record_their_owner_and_crash_on_demand(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "acme", 10);
	char host_buf[256] = "";
	assert_int_equal(gethostname(host_buf, sizeof(host_buf) - 1), 0);
	const char *host = host_buf;
	EXPECT_STR(store_run_owner_host(), host);

	/* Started by another process, which then dies without a word. */
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct store *other;
		char err[256];
		struct arena a;
		arena_init(&a, 0);
		struct scrape_run r;
		int ok = store_open(f->sf.url, &other, err, sizeof(err)) == 0 &&
			 store_run_start(other, src, 100, 40, &a, &r) == STORE_OK;
		_exit(ok ? 0 : 1); /* no finish, no close: as if killed */
	}
	int status = 0;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	struct scrape_run *runs, run, got;
	size_t n;
	assert_int_equal(store_run_list(f->s, src, 10, &f->a, &runs, &n), STORE_OK);
	assert_int_equal(n, 1);
	EXPECT_STR(runs[0].status, "running");
	EXPECT_STR(runs[0].owner_host, host);
	assert_int_equal(runs[0].owner_pid, child);
	/* Its heartbeat is fresh: a start is refused, and says whose run it is. */
	assert_int_equal(store_run_start(f->s, src, 110, 40, &f->a, &run), STORE_CONFLICT);
	assert_int_equal(run.id, runs[0].id);
	assert_int_equal(run.owner_pid, child);

	assert_int_equal(store_run_crash(f->s, run.id, "its process is gone"), STORE_OK);
	assert_int_equal(store_run_get(f->s, run.id, &f->a, &got), STORE_OK);
	EXPECT_STR(got.status, "crashed");
	EXPECT_STR(got.message, "its process is gone");
	assert_int_equal(got.finished_at, 100); /* its last heartbeat */
	assert_int_equal(store_run_crash(f->s, run.id, NULL), STORE_STALE);
	assert_int_equal(store_run_crash(f->s, run.id + 1000, NULL), STORE_NOTFOUND);

	/* The way is clear, and the new run is this process's. */
	assert_int_equal(store_run_start(f->s, src, 120, 40, &f->a, &run), STORE_OK);
	EXPECT_STR(run.owner_host, host);
	assert_int_equal(run.owner_pid, getpid());
	assert_int_equal(store_run_get(f->s, run.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.owner_pid, getpid());
	EXPECT_STR(got.owner_host, host);
}

static void test_runs_of_one_source_never_overlap(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "acme", 10), other = add_source(f, "other", 10);
	struct scrape_run a, b, got;
	assert_int_equal(store_run_start(f->s, src, 100, 0, &f->a, &a), STORE_OK);
	/* Heartbeat at 100 is fresh for anything stale before 100. */
	assert_int_equal(store_run_start(f->s, src, 150, 100, &f->a, &b), STORE_CONFLICT);
	assert_int_equal(b.id, a.id);
	/* Another source, and seed crawls, are not held up. */
	assert_int_equal(store_run_start(f->s, other, 150, 100, &f->a, &got), STORE_OK);
	struct scrape_run seed1, seed2;
	assert_int_equal(store_run_start(f->s, 0, 150, 100, &f->a, &seed1), STORE_OK);
	assert_int_equal(store_run_start(f->s, 0, 151, 100, &f->a, &seed2), STORE_OK);
	assert_int_equal(seed1.source_id, 0);
	assert_true(seed2.id != seed1.id);

	/* A heartbeat keeps it alive; silence past the limit makes it crashed. */
	struct run_counts c = { .pages = 1 };
	assert_int_equal(store_run_progress(f->s, a.id, &c, 180), STORE_OK);
	assert_int_equal(store_run_start(f->s, src, 200, 150, &f->a, &b), STORE_CONFLICT);
	assert_int_equal(store_run_start(f->s, src, 300, 181, &f->a, &b), STORE_OK);
	assert_true(b.id != a.id);
	assert_int_equal(store_run_get(f->s, a.id, &f->a, &got), STORE_OK);
	EXPECT_STR(got.status, "crashed");
	assert_int_equal(got.finished_at, 180);
	assert_true(strlen(got.message) > 0);
	/* The crashed run's process learns it on its next write. */
	assert_int_equal(store_run_progress(f->s, a.id, &c, 310), STORE_STALE);
}

static void test_runs_listed_newest_first_and_crashed_at_start_up(void **state)
{
	struct fx *f = *state;
	int64_t src = add_source(f, "acme", 10), other = add_source(f, "other", 10);
	int64_t ids[5];
	for (int i = 0; i < 5; i++) {
		struct scrape_run r;
		assert_int_equal(store_run_start(f->s, src, 100 + i * 10, 0, &f->a, &r), STORE_OK);
		ids[i] = r.id;
		if (i < 4)
			assert_int_equal(store_run_finish(f->s, r.id, "ok", NULL, NULL, 105 + i * 10), STORE_OK);
	}
	struct scrape_run o, seed;
	assert_int_equal(store_run_start(f->s, other, 500, 0, &f->a, &o), STORE_OK);
	assert_int_equal(store_run_start(f->s, 0, 400, 0, &f->a, &seed), STORE_OK);

	struct scrape_run *list;
	size_t n;
	assert_int_equal(store_run_list(f->s, src, 3, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, ids[4]);
	assert_int_equal(list[1].id, ids[3]);
	assert_int_equal(list[2].id, ids[2]);
	assert_int_equal(store_run_list(f->s, 0, 0, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 7);
	assert_int_equal(list[0].id, o.id);
	assert_int_equal(list[1].id, seed.id);

	/* Start-up: what has not beaten since 450 is dead (ids[4] at 140, seed
	 * at 400); the other source's run beat at 500. */
	int64_t crashed = -1;
	assert_int_equal(store_runs_mark_crashed(f->s, 450, &crashed), STORE_OK);
	assert_int_equal(crashed, 2);
	struct scrape_run got;
	assert_int_equal(store_run_get(f->s, ids[4], &f->a, &got), STORE_OK);
	EXPECT_STR(got.status, "crashed");
	assert_int_equal(store_run_get(f->s, seed.id, &f->a, &got), STORE_OK);
	EXPECT_STR(got.status, "crashed");
	assert_int_equal(store_run_get(f->s, o.id, &f->a, &got), STORE_OK);
	EXPECT_STR(got.status, "running");
	assert_int_equal(store_run_get(f->s, ids[0], &f->a, &got), STORE_OK);
	EXPECT_STR(got.status, "ok");
}

enum { STARTERS = 6, START_ROUNDS = 8 };

struct starter {
	struct store *s;
	const int64_t *sources; /* one per round */
	pthread_barrier_t *go;
	int started[START_ROUNDS];
	int failed;
};

static void *start_main(void *p)
{
	struct starter *g = p;
	struct arena a;
	arena_init(&a, 0);
	/* Connect first, so that the starts below really meet. */
	if (store_ping(g->s))
		g->failed++;
	for (int round = 0; round < START_ROUNDS; round++) {
		pthread_barrier_wait(g->go);
		struct scrape_run r;
		int rc = store_run_start(g->s, g->sources[round], 100, 50, &a, &r);
		if (rc == STORE_OK)
			g->started[round]++;
		else if (rc != STORE_CONFLICT && rc != STORE_BUSY)
			g->failed++;
	}
	arena_free(&a);
	return NULL;
}

static void test_racing_starts_of_one_source_start_one_run(void **state)
{
	struct fx *f = *state;
	int64_t sources[START_ROUNDS];
	for (int i = 0; i < START_ROUNDS; i++) {
		char name[16];
		snprintf(name, sizeof(name), "board-%d", i);
		sources[i] = add_source(f, name, 10);
	}
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, STARTERS);
	pthread_t th[STARTERS];
	struct starter g[STARTERS];
	for (int i = 0; i < STARTERS; i++) {
		g[i] = (struct starter){ .s = f->s, .sources = sources, .go = &go };
		assert_int_equal(pthread_create(&th[i], NULL, start_main, &g[i]), 0);
	}
	for (int i = 0; i < STARTERS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (int round = 0; round < START_ROUNDS; round++) {
		int started = 0;
		for (int i = 0; i < STARTERS; i++) {
			assert_int_equal(g[i].failed, 0);
			started += g[i].started[round];
		}
		if (started != 1)
			fail_msg("round %d: %d runs started at once", round, started);
		struct scrape_run *list;
		size_t n;
		assert_int_equal(store_run_list(f->s, sources[round], 0, &f->a, &list, &n), STORE_OK);
		assert_int_equal(n, 1);
	}
}

/* ---- applications saved from a posting -------------------------------------- */

static void test_an_application_links_to_its_posting(void **state)
{
	struct fx *f = *state;
	struct posting_ingest in;
	listing(&in, "greenhouse", "1", "k", 1, "h", 100);
	int64_t posting = ingest_expect(f, &in, POSTING_NEW);
	listing(&in, "greenhouse", "2", "k2", 1, "h", 100);
	int64_t posting2 = ingest_expect(f, &in, POSTING_NEW);

	struct application app, got;
	app_blank(&app, "Acme");
	app.posting_id = posting;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 200), STORE_OK);
	assert_int_equal(store_app_get(f->s, f->alice.id, app.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.posting_id, posting);
	struct app_filter all = { 0 };
	struct application *items;
	size_t n;
	int64_t total;
	assert_int_equal(store_app_list(f->s, f->alice.id, &all, &f->a, &items, &n, &total), STORE_OK);
	assert_int_equal(items[0].posting_id, posting);

	app_blank(&app, "Nowhere");
	app.posting_id = posting2 + 1000;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 210), STORE_NOTFOUND);
	app_blank(&app, "Unlinked");
	assert_int_equal(store_app_insert(f->s, f->alice.id, &app, 210), STORE_OK);
	assert_int_equal(store_app_get(f->s, f->alice.id, app.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.posting_id, 0);

	struct user u;
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &u), STORE_OK);
	int64_t dv = u.data_version;
	assert_int_equal(store_app_set_posting(f->s, f->alice.id, app.id, posting2, 300), STORE_OK);
	assert_int_equal(store_app_get(f->s, f->alice.id, app.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.posting_id, posting2);
	assert_int_equal(got.version, 2);
	assert_int_equal(got.updated_at, 300);
	assert_int_equal(store_user_by_id(f->s, f->alice.id, &u), STORE_OK);
	assert_true(u.data_version != dv);
	assert_int_equal(store_app_set_posting(f->s, f->alice.id, app.id, 0, 310), STORE_OK);
	assert_int_equal(store_app_get(f->s, f->alice.id, app.id, &f->a, &got), STORE_OK);
	assert_int_equal(got.posting_id, 0);
	assert_int_equal(store_app_set_posting(f->s, f->alice.id, app.id, posting2 + 1000, 320), STORE_NOTFOUND);

	/* Another user's application is not there for this one. */
	struct user bob;
	assert_int_equal(store_user_create(f->s, "bob@example.com", "h", 400, &bob), STORE_OK);
	assert_int_equal(store_app_set_posting(f->s, bob.id, app.id, posting, 410), STORE_NOTFOUND);
}

static void test_an_application_is_found_by_its_posting(void **state)
{
	struct fx *f = *state;
	struct posting_ingest in;
	listing(&in, "greenhouse", "1", "k", 1, "h", 100);
	int64_t posting = ingest_expect(f, &in, POSTING_NEW);
	listing(&in, "greenhouse", "2", "k2", 1, "h", 100);
	int64_t posting2 = ingest_expect(f, &in, POSTING_NEW);
	struct application got;
	assert_int_equal(store_app_by_posting(f->s, f->alice.id, posting, &f->a, &got), STORE_NOTFOUND);

	struct application first, second, other;
	app_blank(&first, "First");
	first.posting_id = posting;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &first, 200), STORE_OK);
	app_blank(&second, "Second");
	second.posting_id = posting;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &second, 210), STORE_OK);
	app_blank(&other, "Other");
	other.posting_id = posting2;
	assert_int_equal(store_app_insert(f->s, f->alice.id, &other, 220), STORE_OK);

	/* The oldest of the posting's, with every field. */
	assert_int_equal(store_app_by_posting(f->s, f->alice.id, posting, &f->a, &got), STORE_OK);
	assert_int_equal(got.id, first.id);
	assert_string_equal(got.company, "First");
	assert_int_equal(got.posting_id, posting);
	assert_int_equal(store_app_by_posting(f->s, f->alice.id, posting2, &f->a, &got), STORE_OK);
	assert_int_equal(got.id, other.id);

	/* Another user's applications are not there for this one. */
	struct user bob;
	assert_int_equal(store_user_create(f->s, "bob@example.com", "h", 400, &bob), STORE_OK);
	assert_int_equal(store_app_by_posting(f->s, bob.id, posting, &f->a, &got), STORE_NOTFOUND);
	/* Unlinked, it is not found by the posting any more. */
	assert_int_equal(store_app_set_posting(f->s, f->alice.id, other.id, 0, 500), STORE_OK);
	assert_int_equal(store_app_by_posting(f->s, f->alice.id, posting2, &f->a, &got), STORE_NOTFOUND);
}

/* ---- store_copy ------------------------------------------------------------ */

static void same_posting(const struct store_posting *a, const struct store_posting *b)
{
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->version, b->version);
	EXPECT_STR(a->canonical_key, b->canonical_key);
	assert_true(a->simhash == b->simhash);
	EXPECT_STR(a->title, b->title);
	EXPECT_STR(a->company, b->company);
	EXPECT_STR(a->location_raw, b->location_raw);
	EXPECT_STR(a->country, b->country);
	EXPECT_STR(a->workplace, b->workplace);
	assert_int_equal(a->employment_types, b->employment_types);
	assert_true(a->salary_min == b->salary_min);
	assert_true(a->salary_max == b->salary_max);
	assert_true(a->salary_year_min == b->salary_year_min);
	EXPECT_STR(a->salary_currency, b->salary_currency);
	EXPECT_STR(a->date_posted, b->date_posted);
	EXPECT_STR(a->description_html, b->description_html);
	EXPECT_STR(a->apply_url, b->apply_url);
	assert_int_equal(a->source_rank, b->source_rank);
	assert_int_equal(a->first_seen, b->first_seen);
	assert_int_equal(a->last_seen, b->last_seen);
	assert_int_equal(a->closed_at, b->closed_at);
	assert_int_equal(a->created_at, b->created_at);
	assert_int_equal(a->updated_at, b->updated_at);
	assert_int_equal(a->reposted_at, b->reposted_at);
	assert_int_equal(a->repost_count, b->repost_count);
}

static void test_copy_moves_the_scrapers_rows(void **state)
{
	struct fx *f = *state; /* f->s: the empty destination, of the backend under test */
	assert_int_equal(store_fixture_make(&f->extra, "sqlite", 1), 0);
	struct store *src = f->extra.s;
	struct user u;
	assert_int_equal(store_user_create(src, "alice@example.com", "h", 1, &u), STORE_OK);
	struct scrape_source board = { .name = "acme", .kind = "greenhouse", .config = "{\"a\":1}", .enabled = 1 };
	assert_int_equal(store_source_insert(src, &board, 10), STORE_OK);
	struct scrape_source gone = { .name = "gone", .kind = "x" };
	assert_int_equal(store_source_insert(src, &gone, 11), STORE_OK);
	assert_int_equal(store_source_delete(src, gone.id, 0), STORE_OK);
	struct arena *a = &f->a;
	struct scrape_run run;
	assert_int_equal(store_run_start(src, board.id, 20, 0, a, &run), STORE_OK);
	struct run_counts c = { .pages = 2, .new = 1 };
	assert_int_equal(store_run_finish(src, run.id, "ok", &c, "fine", 30), STORE_OK);
	assert_int_equal(store_run_start(src, board.id, 40, 0, a, &run), STORE_OK);

	struct posting_ingest in;
	listing(&in, "greenhouse", "1", "acme|engineer|", HIGH_BIT_HASH, "h", 25);
	in.source_id = board.id;
	in.posting.salary_min = 42.5;
	in.posting.salary_max = 0.1;
	in.posting.salary_year_min = 88400;
	in.posting.salary_currency = "USD";
	in.posting.description_html = "<p>é</p>";
	in.posting.country = "US";
	in.posting.workplace = "remote";
	in.posting.employment_types = 3;
	in.posting.date_posted = "2026-01-02";
	enum posting_change change;
	int64_t p1;
	assert_int_equal(store_posting_ingest(src, &in, &change, &p1), STORE_OK);
	listing(&in, "jsonld", "u", "acme|engineer|", HIGH_BIT_HASH, "h", 26);
	in.source_rank = 0;
	assert_int_equal(store_posting_ingest(src, &in, &change, NULL), STORE_OK);
	listing(&in, "greenhouse", "2", "other", 0, "h", 27);
	in.source_id = board.id;
	int64_t p2;
	assert_int_equal(store_posting_ingest(src, &in, &change, &p2), STORE_OK);
	struct missing_counts mc;
	/* Both greenhouse listings close; p1 stays open by its jsonld one. */
	assert_int_equal(store_posting_mark_missing(src, board.id, 28, 1, 29, &mc), STORE_OK);
	assert_int_equal(mc.closed, 2);
	assert_int_equal(mc.postings_closed, 1);
	/* p2 put up again under a new id: its repost fields come along too. */
	listing(&in, "greenhouse", "3", "other", 0, "h", 35);
	assert_int_equal(store_posting_ingest(src, &in, &change, NULL), STORE_OK);
	assert_int_equal(change, POSTING_REPOSTED);
	struct application app;
	app_blank(&app, "Acme");
	app.posting_id = p1;
	assert_int_equal(store_app_insert(src, u.id, &app, 50), STORE_OK);

	char err[256] = "";
	int rc = store_copy(src, f->s, NULL, NULL, err, sizeof(err));
	if (rc)
		fail_msg("store_copy: %d: %s", rc, err);

	struct posting_filter all = { .include_closed = 1 };
	struct store_posting *sp, *dp;
	size_t sn, dn;
	struct posting_cursor next;
	assert_int_equal(store_posting_list(src, &all, a, &sp, &sn, &next), STORE_OK);
	assert_int_equal(store_posting_list(f->s, &all, a, &dp, &dn, &next), STORE_OK);
	assert_int_equal(dn, sn);
	assert_int_equal(sn, 2);
	for (size_t i = 0; i < sn; i++) {
		struct store_posting sfull, dfull;
		struct posting_source *sl, *dl;
		size_t sln, dln;
		assert_int_equal(store_posting_get(src, sp[i].id, a, &sfull, &sl, &sln), STORE_OK);
		assert_int_equal(store_posting_get(f->s, sp[i].id, a, &dfull, &dl, &dln), STORE_OK);
		same_posting(&sfull, &dfull);
		assert_int_equal(dln, sln);
		for (size_t k = 0; k < sln; k++) {
			assert_int_equal(dl[k].id, sl[k].id);
			EXPECT_STR(dl[k].source, sl[k].source);
			EXPECT_STR(dl[k].external_id, sl[k].external_id);
			assert_int_equal(dl[k].source_id, sl[k].source_id);
			assert_int_equal(dl[k].missing_runs, sl[k].missing_runs);
			assert_int_equal(dl[k].closed_at, sl[k].closed_at);
		}
	}
	struct scrape_source got;
	assert_int_equal(store_source_get(f->s, board.id, a, &got), STORE_OK);
	EXPECT_STR(got.config, "{\"a\":1}");
	assert_int_equal(got.last_run_id, run.id);
	struct scrape_run *sr, *dr;
	assert_int_equal(store_run_list(src, 0, 0, a, &sr, &sn), STORE_OK);
	assert_int_equal(store_run_list(f->s, 0, 0, a, &dr, &dn), STORE_OK);
	assert_int_equal(dn, sn);
	for (size_t i = 0; i < sn; i++) {
		assert_int_equal(dr[i].id, sr[i].id);
		EXPECT_STR(dr[i].status, sr[i].status);
		EXPECT_STR(dr[i].message, sr[i].message);
		assert_int_equal(dr[i].counts.pages, sr[i].counts.pages);
		assert_int_equal(dr[i].finished_at, sr[i].finished_at);
	}
	struct application got_app;
	assert_int_equal(store_app_get(f->s, u.id, app.id, a, &got_app), STORE_OK);
	assert_int_equal(got_app.posting_id, p1);

	/* The running run is still the one running; counters came along. */
	struct scrape_run clash;
	assert_int_equal(store_run_start(f->s, board.id, 45, 0, a, &clash), STORE_CONFLICT);
	struct scrape_source later = { .name = "later", .kind = "x" };
	assert_int_equal(store_source_insert(f->s, &later, 60), STORE_OK);
	assert_true(later.id > gone.id);
	listing(&in, "lever", "new", "new", 0, "h", 70);
	int64_t p3;
	assert_int_equal(store_posting_ingest(f->s, &in, &change, &p3), STORE_OK);
	assert_true(p3 > p2);
}

/* ---- main ------------------------------------------------------------------------------ */

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	log_set_level(LOG_WARN); /* migrations log at info on every fresh database */
	const char *backend = store_fixture_backend();
	if (!backend) {
		fprintf(stderr, "JT_TEST_STORE_URL must be unset, \"sqlite\" or a postgres:// URL\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		T(test_ingest_new_keeps_every_field),
		T(test_same_content_again_is_unchanged_but_seen),
		T(test_changed_content_rewrites_the_posting),
		T(test_near_duplicates_merge_and_others_do_not),
		T(test_a_postings_listings_alone),
		T(test_listings_of_several_postings_at_once),
		T(test_one_adapter_listing_two_texts_makes_two_postings),
		T(test_one_adapter_relisting_the_same_text_is_a_repost),
		T(test_a_job_put_up_again_under_a_new_id_is_a_repost),
		T(test_too_late_or_too_different_is_no_repost),
		T(test_the_best_ranked_listing_gives_the_fields),
		T(test_a_pick_callback_chooses_among_candidates),
		T(test_listings_close_after_n_missed_runs_and_come_back),
		T(test_a_posting_closes_only_with_its_last_listing),
		T(test_changed_postings_come_in_update_order_after_a_watermark),
		T(test_listing_is_newest_first_in_stable_pages),
		T(test_racing_ingests_make_one_posting),
		T(test_sources_crud_with_versions),
		T(test_deleting_a_source_takes_its_runs_and_keeps_its_postings),
		T(test_runs_start_progress_finish),
		T(test_runs_partial_and_blocked),
		T(test_runs_record_their_owner_and_crash_on_demand),
		T(test_runs_of_one_source_never_overlap),
		T(test_runs_listed_newest_first_and_crashed_at_start_up),
		T(test_racing_starts_of_one_source_start_one_run),
		T(test_an_application_links_to_its_posting),
		T(test_an_application_is_found_by_its_posting),
		cmocka_unit_test_setup_teardown(test_copy_moves_the_scrapers_rows, setup_bare, teardown),
	};
	char name[48];
	snprintf(name, sizeof(name), "store_postings (%s)", backend);
	return cmocka_run_group_tests_name(name, tests, NULL, NULL);
}
