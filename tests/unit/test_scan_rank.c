/* Unit and contract tests for ranking a resume over the store's postings:
 * the terms codec (a round trip scores the same; damaged bytes are refused),
 * the store's cache of postings' terms (store_posting_terms_*: current only
 * while the taxonomy key and the posting's version match, open postings
 * only) on the backend JT_TEST_STORE_URL names (PostgreSQL too in
 * scripts/test.sh), the fill, and the ranking order on a small hand-built
 * corpus: an accountant's resume must rank the staff accountant posting
 * over the financial analyst one over the nurse one, and a filter (ids)
 * keeps only what it passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scan/best.h"
#include "scan/rank.h"
#include "scan/terms_codec.h"
#include "scan_fixture.h"
#include "store_fixture.h"

static const char *tax_dir;

static const char POSTING_A[] = "Staff Accountant\n\nRequirements\n"
				"- 3+ years of experience with general ledger and account reconciliations\n"
				"- GAAP, month-end close and accounts payable\n- QuickBooks and SAP\n"
				"- Bachelor's degree in accounting\n\nNice to have\n- CPA\n";
static const char POSTING_B[] = "Financial Analyst\n\nRequirements\n- Budgeting and forecasting models\n"
				"- Financial reporting to leadership\n- GAAP knowledge\n- SAP\n";
static const char POSTING_C[] = "Registered Nurse\n\nRequirements\n- Patient care on a busy ward\n"
				"- BLS and ACLS\n- Medication administration\n- Epic EHR\n";
static const char RESUME[] = "Jane Doe\nStaff Accountant\njane@example.com\n\nExperience\n"
			     "Staff Accountant, Acme — Jan 2018 – Dec 2024\n"
			     "- Owned the general ledger, bank reconciliation and month-end close under GAAP\n"
			     "- Ran accounts payable in QuickBooks and SAP\n\nEducation\n"
			     "B.S. Accounting, 2014 – 2018\n\nSkills\nGAAP, QuickBooks, SAP, Excel, CPA\n";

static int64_t ingest(struct store *s, const char *ext, const char *title, const char *text, const char *hash,
		      int64_t at)
{
	struct posting_ingest in = { 0 };
	char key[64];
	snprintf(key, sizeof(key), "acme|%s|berlin", ext);
	in.posting.canonical_key = key;
	in.posting.title = title;
	in.posting.company = "Acme";
	in.posting.description_text = text;
	in.posting.description_html = text;
	in.source = "test";
	in.external_id = ext;
	in.content_hash = hash;
	in.seen_at = at;
	in.source_rank = 5;
	in.max_distance = -1;
	enum posting_change ch;
	int64_t id = 0;
	assert_int_equal(store_posting_ingest(s, &in, &ch, &id), STORE_OK);
	return id;
}

static void test_codec_round_trip(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct idf_table idf;
	idf_init(&idf);
	struct jd_terms jd, back;
	struct resume_info r;
	assert_int_equal(jd_extract(&a, &fixture_m, &idf, NULL, POSTING_A, strlen(POSTING_A), &jd), 0);
	assert_int_equal(resume_analyse(&a, &fixture_m, RESUME, strlen(RESUME), 2025 * 12, &r), 0);
	assert_true(jd.n_skills >= 6);
	assert_int_equal(jd.years, 3); /* the service test tells the texts apart by it */
	struct buf b;
	buf_init(&b, 1 << 20);
	terms_encode(&b, &jd);
	assert_false(buf_failed(&b));
	assert_int_equal(terms_decode(&a, b.data, b.len, fixture_tax.n_skills, fixture_tax.n_titles, &back), 0);
	assert_string_equal(back.title, jd.title);
	assert_int_equal(back.occupation, jd.occupation);
	assert_int_equal(back.n_skills, jd.n_skills);
	assert_int_equal(back.n_keywords, jd.n_keywords);
	assert_int_equal(back.years, jd.years);
	assert_int_equal(back.edu_level, jd.edu_level);
	struct scan_result x, y;
	assert_int_equal(scan_score(&a, &fixture_m, &jd, &r, 1, &x), 0);
	assert_int_equal(scan_score(&a, &fixture_m, &back, &r, 1, &y), 0);
	assert_true(x.score == y.score);
	assert_int_equal(x.n_terms, y.n_terms);
	for (int p = 0; p < SC_PARTS; p++)
		assert_true(x.parts[p].points == y.parts[p].points);

	/* Every truncation is refused, and so are indices past the taxonomy. */
	for (size_t cut = 0; cut < b.len; cut++)
		assert_int_equal(terms_decode(&a, b.data, cut, fixture_tax.n_skills, fixture_tax.n_titles, &back), -1);
	assert_int_equal(terms_decode(&a, b.data, b.len, 1, fixture_tax.n_titles, &back), -1);
	assert_int_equal(terms_decode(&a, b.data, b.len, fixture_tax.n_skills, 0, &back), -1);
	b.data[3] = 99; /* another format */
	assert_int_equal(terms_decode(&a, b.data, b.len, fixture_tax.n_skills, fixture_tax.n_titles, &back), -1);
	buf_free(&b);

	/* The key names the taxonomy: one form more is another key. */
	char k1[40], k2[40];
	scan_terms_key(&fixture_tax, k1, sizeof(k1));
	const char *saved = fixture_tax.skills[0].forms[0];
	fixture_tax.skills[0].forms[0] = "something else";
	scan_terms_key(&fixture_tax, k2, sizeof(k2));
	fixture_tax.skills[0].forms[0] = saved;
	assert_string_not_equal(k1, k2);
	idf_free(&idf);
	arena_free(&a);
}

static void test_store_contract(void **state)
{
	(void)state;
	struct store_fixture fx;
	assert_int_equal(store_fixture_make(&fx, NULL, 1), 0);
	struct arena a;
	arena_init(&a, 0);
	int64_t p1 = ingest(fx.s, "1", "Staff Accountant", POSTING_A, "h1", 1000);
	int64_t p2 = ingest(fx.s, "2", "Registered Nurse", POSTING_C, "h2", 1001);
	struct posting_terms_todo *todo;
	struct posting_terms *rows;
	size_t n;
	int64_t open, cached;
	assert_int_equal(store_posting_terms_count(fx.s, "k1", &open, &cached), STORE_OK);
	assert_int_equal(open, 2);
	assert_int_equal(cached, 0);
	assert_int_equal(store_posting_terms_todo(fx.s, "k1", 0, 10, &a, &todo, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_true(todo[0].posting_id == p1 && todo[1].posting_id == p2);
	assert_string_equal(todo[0].title, "Staff Accountant");
	assert_string_equal(todo[1].description_text, POSTING_C);
	/* pages continue after an id */
	assert_int_equal(store_posting_terms_todo(fx.s, "k1", p1, 10, &a, &todo, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_true(todo[0].posting_id == p2);

	/* bytes with a NUL and high bytes come back as they went in */
	const unsigned char bytes[] = { 'J', 0, 0xff, 0x80, '\\', 'x', 7 };
	assert_int_equal(store_posting_terms_put(fx.s, p1, todo[0].version ? 1 : 1, "k1", bytes, sizeof(bytes), 5),
			 STORE_OK);
	assert_int_equal(store_posting_terms_put(fx.s, 999999, 1, "k1", bytes, sizeof(bytes), 5), STORE_NOTFOUND);
	assert_int_equal(store_posting_terms_page(fx.s, "k1", 0, 10, &a, &rows, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_true(rows[0].posting_id == p1);
	assert_int_equal(rows[0].len, sizeof(bytes));
	assert_memory_equal(rows[0].data, bytes, sizeof(bytes));
	assert_int_equal(store_posting_terms_todo(fx.s, "k1", 0, 10, &a, &todo, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_true(todo[0].posting_id == p2);
	assert_int_equal(store_posting_terms_count(fx.s, "k1", &open, &cached), STORE_OK);
	assert_int_equal(cached, 1);
	/* another taxonomy's key: stale */
	assert_int_equal(store_posting_terms_page(fx.s, "k2", 0, 10, &a, &rows, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_posting_terms_todo(fx.s, "k2", 0, 10, &a, &todo, &n), STORE_OK);
	assert_int_equal(n, 2);

	/* Replacing the row; then the posting's text changes: its version
	 * moves and the row is stale until written again. */
	assert_int_equal(store_posting_terms_put(fx.s, p1, 1, "k1", "new", 3, 6), STORE_OK);
	assert_int_equal(store_posting_terms_page(fx.s, "k1", 0, 10, &a, &rows, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_memory_equal(rows[0].data, "new", 3);
	ingest(fx.s, "1", "Staff Accountant", "Staff Accountant\nNow with IFRS too.\n", "h1b", 2000);
	assert_int_equal(store_posting_terms_page(fx.s, "k1", 0, 10, &a, &rows, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_posting_terms_todo(fx.s, "k1", 0, 10, &a, &todo, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_true(todo[0].posting_id == p1 && todo[0].version > 1);
	assert_string_equal(todo[0].description_text, "Staff Accountant\nNow with IFRS too.\n");
	assert_int_equal(store_posting_terms_put(fx.s, p1, todo[0].version, "k1", "v2", 2, 7), STORE_OK);
	assert_int_equal(store_posting_terms_page(fx.s, "k1", 0, 10, &a, &rows, &n), STORE_OK);
	assert_int_equal(n, 1);

	/* A closed posting is neither waiting nor ranked. */
	struct scrape_source src = { .name = "board", .kind = "greenhouse", .target = "acme", .enabled = 1 };
	assert_int_equal(store_source_insert(fx.s, &src, 10), STORE_OK);
	struct posting_ingest in = { 0 };
	in.posting.canonical_key = "acme|closing|berlin";
	in.posting.title = "Closing soon";
	in.posting.description_text = "text";
	in.source = "greenhouse";
	in.source_id = src.id;
	in.external_id = "c1";
	in.content_hash = "hc";
	in.seen_at = 3000;
	in.source_rank = 5;
	in.max_distance = -1;
	enum posting_change ch;
	int64_t p3;
	assert_int_equal(store_posting_ingest(fx.s, &in, &ch, &p3), STORE_OK);
	assert_int_equal(store_posting_terms_put(fx.s, p3, 1, "k1", "c", 1, 8), STORE_OK);
	assert_int_equal(store_posting_terms_page(fx.s, "k1", 0, 10, &a, &rows, &n), STORE_OK);
	assert_int_equal(n, 2);
	/* pages: after an id, and at most limit rows */
	assert_int_equal(store_posting_terms_page(fx.s, "k1", p1, 10, &a, &rows, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_true(rows[0].posting_id == p3);
	assert_int_equal(store_posting_terms_page(fx.s, "k1", 0, 1, &a, &rows, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_true(rows[0].posting_id == p1);
	struct missing_counts mc;
	assert_int_equal(store_posting_mark_missing(fx.s, src.id, 4000, 1, 4001, &mc), STORE_OK);
	assert_int_equal(mc.postings_closed, 1);
	assert_int_equal(store_posting_terms_page(fx.s, "k1", 0, 10, &a, &rows, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_true(rows[0].posting_id == p1);
	assert_int_equal(store_posting_terms_count(fx.s, "k1", &open, &cached), STORE_OK);
	assert_int_equal(open, 2);
	assert_int_equal(cached, 1);
	arena_free(&a);
	store_fixture_destroy(&fx);
}

static void count_progress(void *ctx, size_t done, int64_t waiting)
{
	size_t *calls = ctx;
	assert_true(done >= 1);
	assert_int_equal(waiting, 3);
	(*calls)++;
}

static void test_fill_and_rank(void **state)
{
	(void)state;
	struct store_fixture fx;
	assert_int_equal(store_fixture_make(&fx, NULL, 1), 0);
	struct scan_ranker rk;
	char err[256];
	assert_int_equal(scan_ranker_init(&rk, tax_dir, err, sizeof(err)), 0);
	/* C first, A last: the order comes from the score, not the ids */
	int64_t c = ingest(fx.s, "c", "Registered Nurse", POSTING_C, "hc", 1000);
	int64_t b = ingest(fx.s, "b", "Financial Analyst", POSTING_B, "hb", 1001);
	int64_t a_id = ingest(fx.s, "a", "Staff Accountant", POSTING_A, "ha", 1002);
	assert_int_equal(scan_ranker_load_idf(&rk, fx.s, SCAN_RANK_IDF_DOCS), 0);

	size_t done = 0, calls = 0;
	assert_int_equal(scan_terms_fill(&rk, fx.s, 2, count_progress, &calls, &done), 0);
	assert_int_equal(done, 2); /* bounded */
	assert_int_equal(calls, 1);
	int64_t open, cached;
	assert_int_equal(store_posting_terms_count(fx.s, rk.key, &open, &cached), STORE_OK);
	assert_int_equal(cached, 2);

	struct arena a;
	arena_init(&a, 0);
	struct resume_info r;
	assert_int_equal(resume_analyse(&a, rk.m, RESUME, strlen(RESUME), 2025 * 12, &r), 0);
	struct scan_rank_request req = { .resume = &r, .limit = 10 };
	struct scan_match *m;
	size_t n;
	struct scan_rank_stats st;
	assert_int_equal(scan_rank(&rk, fx.s, &req, &a, &m, &n, &st), 0);
	assert_int_equal(st.filled, 1); /* the one the bounded fill left */
	assert_int_equal(st.scored, 3);
	assert_int_equal(n, 3);
	assert_true(m[0].posting_id == a_id);
	assert_true(m[1].posting_id == b);
	assert_true(m[2].posting_id == c);
	assert_true(m[0].score > m[1].score && m[1].score > m[2].score);
	/* the full breakdown of each, as a single scan gives it */
	struct jd_terms jd;
	struct scan_result single;
	assert_int_equal(jd_extract(&a, rk.m, &rk.idf, "Staff Accountant", POSTING_A, strlen(POSTING_A), &jd), 0);
	assert_int_equal(scan_score(&a, rk.m, &jd, &r, 1, &single), 0);
	assert_true(single.score == m[0].score);
	const char *names[8];
	size_t got = scan_match_skills(&m[0].res, 1, names, 8);
	assert_true(got >= 4);
	size_t miss = scan_match_skills(&m[2].res, 0, names, 8);
	assert_true(miss >= 3); /* the nurse's skills */

	/* Only what a filter passes (sorted ids), and the limit. */
	int64_t only[2] = { c < b ? c : b, c < b ? b : c };
	req.only = only;
	req.n_only = 2;
	req.restrict_ids = 1;
	req.limit = 1;
	assert_int_equal(scan_rank(&rk, fx.s, &req, &a, &m, &n, &st), 0);
	assert_int_equal(st.filled, 0);
	assert_int_equal(n, 1);
	assert_true(m[0].posting_id == b);
	req.n_only = 0;
	assert_int_equal(scan_rank(&rk, fx.s, &req, &a, &m, &n, &st), 0);
	assert_int_equal(n, 0);

	/* A damaged cached row is skipped, not trusted. */
	assert_int_equal(store_posting_terms_put(fx.s, c, 1, rk.key, "JTT\001garbage", 11, 9), STORE_OK);
	req.restrict_ids = 0;
	req.limit = 10;
	assert_int_equal(scan_rank(&rk, fx.s, &req, &a, &m, &n, &st), 0);
	assert_int_equal(st.undecodable, 1);
	assert_int_equal(n, 2);
	arena_free(&a);
	scan_ranker_free(&rk);
	store_fixture_destroy(&fx);
}

/* The resume of user 1 is RESUME; anyone else has none. */
static int stub_text(void *ctx, int64_t user_id, int64_t resume_id, struct arena *a, const char **text, size_t *len,
		     char *err, size_t errlen)
{
	(void)ctx;
	(void)a;
	(void)err;
	(void)errlen;
	if (user_id != 1 || resume_id != 7)
		return -ENOENT;
	*text = RESUME;
	*len = strlen(RESUME);
	return 0;
}

static int64_t cached_now(struct store *s, const char *key)
{
	int64_t open, cached;
	assert_int_equal(store_posting_terms_count(s, key, &open, &cached), STORE_OK);
	return cached;
}

static void wait_cached(struct store *s, const char *key, int64_t want)
{
	for (int i = 0; i < 400 && cached_now(s, key) != want; i++) {
		struct timespec ts = { 0, 25 * 1000000L };
		nanosleep(&ts, NULL);
	}
	assert_int_equal(cached_now(s, key), want);
}

static void test_service_keeps_cache(void **state)
{
	(void)state;
	struct store_fixture fx;
	assert_int_equal(store_fixture_make(&fx, NULL, 1), 0);
	char err[256], key[40];
	scan_terms_key(&fixture_tax, key, sizeof(key));
	struct best_service *svc;
	assert_int_equal(best_service_start(fx.s, NULL, tax_dir, NULL, 50, stub_text, NULL, &svc, err, sizeof(err)), 0);
	/* a posting ingested while it runs is cached without a ranking (its
	 * updated_at is now: the thread's watermark sees it) */
	int64_t now = (int64_t)time(NULL);
	int64_t a_id = ingest(fx.s, "a", "Staff Accountant", POSTING_A, "ha", now);
	wait_cached(fx.s, key, 1);
	/* its text changes: stale, then cached again */
	ingest(fx.s, "a", "Staff Accountant", POSTING_B, "ha2", now + 1);
	struct arena a;
	arena_init(&a, 0);
	struct posting_terms *rows;
	size_t n;
	for (int i = 0; i < 400; i++) {
		assert_int_equal(store_posting_terms_page(fx.s, key, 0, 10, &a, &rows, &n), STORE_OK);
		struct jd_terms jd;
		if (n == 1 &&
		    terms_decode(&a, rows[0].data, rows[0].len, fixture_tax.n_skills, fixture_tax.n_titles, &jd) == 0 &&
		    jd.years == 0)
			break; /* POSTING_B asks for no years; POSTING_A asks for 3 */
		struct timespec ts = { 0, 25 * 1000000L };
		nanosleep(&ts, NULL);
	}
	struct jd_terms jd;
	assert_int_equal(n, 1);
	assert_int_equal(terms_decode(&a, rows[0].data, rows[0].len, fixture_tax.n_skills, fixture_tax.n_titles, &jd),
			 0);
	assert_int_equal(jd.years, 0);

	/* Ranking through the service: the owner's resume, nobody else's. */
	struct best_request req = { .user_id = 1, .resume_id = 7, .limit = 5, .now_month = 2025 * 12 };
	struct best_result res;
	int rc;
	for (int i = 0; i < 400 && (rc = best_service_rank(svc, &req, &a, &res, err, sizeof(err))) == -EAGAIN; i++) {
		struct timespec ts = { 0, 25 * 1000000L };
		nanosleep(&ts, NULL);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(res.n, 1);
	assert_true(res.matches[0].posting_id == a_id);
	assert_string_equal(res.postings[0].title, "Staff Accountant");
	req.user_id = 2;
	assert_int_equal(best_service_rank(svc, &req, &a, &res, err, sizeof(err)), -ENOENT);
	req.user_id = 1;
	struct search_request filter = { 0 };
	req.filter = &filter; /* no search service here */
	assert_int_equal(best_service_rank(svc, &req, &a, &res, err, sizeof(err)), -ENOTSUP);
	best_service_stop(svc);
	arena_free(&a);
	store_fixture_destroy(&fx);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_scan_rank TAXONOMY_DIR\n");
		return 2;
	}
	tax_dir = argv[1];
	scan_fixture_load(tax_dir);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codec_round_trip),
		cmocka_unit_test(test_store_contract),
		cmocka_unit_test(test_fill_and_rank),
		cmocka_unit_test(test_service_keeps_cache),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	scan_fixture_free();
	return rc;
}
