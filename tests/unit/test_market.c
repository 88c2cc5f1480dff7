/* Unit tests for the market view (analytics/market.h): a constructed set of
 * postings against figures worked out by hand in the comments, over the
 * test taxonomy (tests/fixtures/taxonomy, argv[1]); then the table fed by
 * the search service from a real store of the backend JT_TEST_STORE_URL
 * names, following an ingest and a rewrite. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scan_fixture.h"
#include "store_fixture.h"

#include "analytics/market.h"
#include "base/arena.h"
#include "search/service.h"
#include "store/store.h"

#define MON_MAR_2 20514           /* 2026-03-02, a Monday, in days since 1970-01-01 */
#define TODAY     (MON_MAR_2 + 9) /* Wednesday 2026-03-11 */
#define DAY       INT64_C(86400)

static struct posting_source one(const char *source)
{
	return (struct posting_source){ .source = source };
}

/* Five postings (p[i] has id i + 1):
 *   1 "Rust engineer"    Rust, PostgreSQL  2026-03-10 remote   EUR 100k-120k -> 110k  greenhouse
 *   2 "Python developer" Python, SQL, PostgreSQL (rewritten below without it)
 *                                          2026-03-03 onsite   EUR 90k (min only)     lever
 *   3 "Data analyst"     SQL, Python       no date, first seen 2026-03-11 hybrid
 *                                                              USD 60k-80k -> 70k     greenhouse + lever
 *   4 "Go developer"     Go, SQL           2026-02-20 remote   EUR 130k, closed       greenhouse
 *   5 "Rust developer"   Rust              2026-03-09 unknown  EUR 150k (max only)    jsonld */
static void fill(struct market *mk)
{
	static struct posting_source gh[1], lv[1], both[2], js[1];
	gh[0] = one("greenhouse");
	lv[0] = one("lever");
	both[0] = one("greenhouse");
	both[1] = one("lever");
	js[0] = one("jsonld");
	struct store_posting p[5] = {
		{ .id = 1,
		  .title = "Rust engineer",
		  .description_text = "We use Rust and PostgreSQL. Rust again.",
		  .date_posted = "2026-03-10",
		  .workplace = "remote",
		  .salary_year_min = 100000,
		  .salary_year_max = 120000,
		  .salary_currency = "EUR",
		  .first_seen = MON_MAR_2 * DAY },
		{ .id = 2,
		  .title = "Python developer",
		  .description_text = "Python, SQL and PostgreSQL.",
		  .date_posted = "2026-03-03",
		  .workplace = "onsite",
		  .salary_year_min = 90000,
		  .salary_currency = "EUR" },
		{ .id = 3,
		  .title = "Data analyst",
		  .description_text = "SQL and Python every day.",
		  .first_seen = (MON_MAR_2 + 9) * DAY + 12 * 3600,
		  .workplace = "hybrid",
		  .salary_year_min = 60000,
		  .salary_year_max = 80000,
		  .salary_currency = "USD" },
		{ .id = 4,
		  .title = "Go developer",
		  .description_text = "Go and SQL.",
		  .date_posted = "2026-02-20",
		  .workplace = "remote",
		  .salary_year_min = 130000,
		  .salary_currency = "EUR",
		  .closed_at = 1 },
		{ .id = 5,
		  .title = "Rust developer",
		  .description_text = "Systems work.",
		  .date_posted = "2026-03-09",
		  .salary_year_max = 150000,
		  .salary_currency = "EUR" },
	};
	struct posting_source_group g[5] = { { gh, 1 }, { lv, 1 }, { both, 2 }, { gh, 1 }, { js, 1 } };
	uint64_t gen = market_generation(mk);
	assert_int_equal(market_put(mk, p, g, 5), 0);
	assert_true(market_generation(mk) != gen);
	/* Posting 2 rewritten: PostgreSQL no longer mentioned. */
	p[1].description_text = "Python and SQL.";
	assert_int_equal(market_put(mk, &p[1], &g[1], 1), 0);
	assert_int_equal(market_size(mk), 5);
}

static void test_skills_by_week(void **state)
{
	(void)state;
	struct market *mk = market_new(&fixture_m);
	fill(mk);
	struct arena a;
	arena_init(&a, 0);
	struct market_skills s;
	/* Weeks of Mar 2 and Mar 9: posting 2 in the first; 1, 3, 5 in the
	 * second; 4 (Feb 20) is before. Python 2 (1+1), Rust 2 (0+2), SQL 2
	 * (1+1), PostgreSQL 1 (posting 1 only, since 2 was rewritten). Ties by
	 * name: Python, Rust, SQL. */
	assert_int_equal(market_skills(mk, TODAY, 2, 3, &a, &s), 0);
	assert_int_equal(s.first_week, MON_MAR_2);
	assert_int_equal(s.weeks, 2);
	assert_int_equal(s.postings[0], 1);
	assert_int_equal(s.postings[1], 3);
	assert_int_equal(s.total, 4);
	assert_int_equal(s.n, 3);
	const char *names[] = { "Python", "Rust", "SQL" };
	const int64_t weekly[3][2] = { { 1, 1 }, { 0, 2 }, { 1, 1 } };
	for (int i = 0; i < 3; i++) {
		assert_string_equal(s.skills[i].name, names[i]);
		assert_int_equal(s.skills[i].total, 2);
		assert_int_equal(s.skills[i].weekly[0], weekly[i][0]);
		assert_int_equal(s.skills[i].weekly[1], weekly[i][1]);
	}
	assert_int_equal(market_skills(mk, TODAY, 2, 10, &a, &s), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.skills[3].name, "PostgreSQL");
	assert_int_equal(s.skills[3].total, 1);
	/* Three weeks reach back to Feb 23: posting 4 (Feb 20) is still out;
	 * eight reach it, and Go appears. */
	assert_int_equal(market_skills(mk, TODAY, 3, 10, &a, &s), 0);
	assert_int_equal(s.total, 4);
	assert_int_equal(market_skills(mk, TODAY, 8, 10, &a, &s), 0);
	assert_int_equal(s.total, 5);
	assert_string_equal(s.skills[0].name, "SQL"); /* 2, 3 and 4 */
	assert_int_equal(s.skills[0].total, 3);
	arena_free(&a);
	market_free(mk);
}

static void test_salaries(void **state)
{
	(void)state;
	struct market *mk = market_new(&fixture_m);
	fill(mk);
	struct arena a;
	arena_init(&a, 0);
	struct market_salary s;
	/* Open: 1, 2, 3, 5. EUR 90k, 110k, 150k; USD 70k. Nearest rank of 3:
	 * p10 and p25 the 1st, p50 the 2nd, p75 and p90 the 3rd. Bins: 60k/10
	 * = 6k -> width 10k from 90k, 7 bins: 90k, 110k and 150k in 0, 2, 6.
	 * USD's one salary: 70k/10 -> width 10k, one bin. */
	assert_int_equal(market_salary(mk, NULL, 0, 10, &a, &s), 0);
	assert_int_equal(s.postings, 4);
	assert_int_equal(s.with_salary, 4);
	assert_int_equal(s.n, 2);
	const struct market_salary_currency *eur = &s.currencies[0], *usd = &s.currencies[1];
	assert_string_equal(eur->currency, "EUR");
	assert_int_equal(eur->count, 3);
	assert_true(eur->min == 90000 && eur->p10 == 90000 && eur->p25 == 90000 && eur->p50 == 110000);
	assert_true(eur->p75 == 150000 && eur->p90 == 150000 && eur->max == 150000);
	assert_true(eur->bin_width == 10000 && eur->bin_start == 90000);
	assert_int_equal(eur->nbins, 7);
	const int64_t bins[7] = { 1, 0, 1, 0, 0, 0, 1 };
	for (int k = 0; k < 7; k++)
		assert_int_equal(eur->bins[k], bins[k]);
	assert_string_equal(usd->currency, "USD");
	assert_int_equal(usd->count, 1);
	assert_true(usd->p50 == 70000 && usd->bin_width == 10000 && usd->bin_start == 70000);
	assert_int_equal(usd->nbins, 1);
	/* Kept to 1, 3 and 4 (closed: left out); one each, so by code. An
	 * unknown id is no posting. */
	const int64_t only[] = { 4, 3, 1, 99 };
	assert_int_equal(market_salary(mk, only, 4, 10, &a, &s), 0);
	assert_int_equal(s.postings, 2);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.currencies[0].currency, "EUR");
	assert_true(s.currencies[0].p50 == 110000);
	assert_string_equal(s.currencies[1].currency, "USD");
	assert_int_equal(market_salary(mk, only, 0, 10, &a, &s), 0);
	assert_int_equal(s.postings, 0);
	assert_int_equal(s.n, 0);
	arena_free(&a);
	market_free(mk);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* Percentiles by selection against a sort, over 1,001 salaries with many
 * repeats (a selection's worst case for a naive partition) and a few
 * outliers. */
static void test_percentiles_many(void **state)
{
	(void)state;
	enum { N = 1001 };
	struct market *mk = market_new(NULL);
	static struct store_posting p[N];
	static double sorted[N];
	for (int i = 0; i < N; i++) {
		double v = i % 7 == 0 ? 50000 : 40000 + (double)((i * 7919) % 97) * 1000;
		if (i % 250 == 1)
			v = 900000;
		p[i] = (struct store_posting){ .id = i + 1, .salary_year_min = v, .salary_currency = "GBP" };
		sorted[i] = v;
	}
	qsort(sorted, N, sizeof(sorted[0]), cmp_double);
	assert_int_equal(market_put(mk, p, NULL, N), 0);
	struct arena a;
	arena_init(&a, 0);
	struct market_salary s;
	assert_int_equal(market_salary(mk, NULL, 0, 10, &a, &s), 0);
	assert_int_equal(s.n, 1);
	const struct market_salary_currency *c = &s.currencies[0];
	assert_int_equal(c->count, N);
	/* nearest rank of 1,001: the 101st, 251st, 501st, 751st and 901st */
	assert_true(c->min == sorted[0] && c->max == sorted[N - 1]);
	assert_true(c->p10 == sorted[100] && c->p25 == sorted[250] && c->p50 == sorted[500]);
	assert_true(c->p75 == sorted[750] && c->p90 == sorted[900]);
	int64_t in_bins = 0;
	for (int k = 0; k < c->nbins; k++)
		in_bins += c->bins[k];
	assert_int_equal(in_bins, N);
	arena_free(&a);
	market_free(mk);
}

static void test_volume(void **state)
{
	(void)state;
	struct market *mk = market_new(&fixture_m);
	fill(mk);
	struct arena a;
	arena_init(&a, 0);
	struct market_volume v;
	/* Ten days, Mar 2 to Mar 11: postings on Mar 3, 9, 10 and 11. */
	assert_int_equal(market_volume(mk, TODAY, 10, &a, &v), 0);
	assert_int_equal(v.postings, 5);
	assert_int_equal(v.open, 4);
	assert_int_equal(v.n_days, 10);
	assert_int_equal(v.days[0].day, MON_MAR_2);
	const int64_t per_day[10] = { 0, 1, 0, 0, 0, 0, 0, 1, 1, 1 };
	for (int d = 0; d < 10; d++)
		assert_int_equal(v.days[d].postings, per_day[d]);
	/* greenhouse 1, 3, 4 (open 2); lever 2, 3 (open 2); jsonld 5. */
	assert_int_equal(v.n_sources, 3);
	assert_string_equal(v.sources[0].source, "greenhouse");
	assert_int_equal(v.sources[0].postings, 3);
	assert_int_equal(v.sources[0].open, 2);
	assert_string_equal(v.sources[1].source, "lever");
	assert_int_equal(v.sources[1].postings, 2);
	assert_string_equal(v.sources[2].source, "jsonld");
	/* Open by workplace: one each of unknown (5), onsite (2), hybrid (3), remote (1). */
	assert_int_equal(v.remote.open, 4);
	for (int w = 0; w < 4; w++)
		assert_int_equal(v.remote.workplace[w], 1);
	arena_free(&a);
	market_free(mk);
}

static void test_bin_width(void **state)
{
	(void)state;
	assert_true(market_bin_width(0, 95, 10) == 10);
	assert_true(market_bin_width(0, 24, 10) == 2.5);
	assert_true(market_bin_width(0, 1.5, 10) == 0.2);
	assert_true(market_bin_width(40000, 60000, 10) == 2000);
	assert_true(market_bin_width(5, 5, 10) == 0.5);
}

/* ---- fed from a real store ------------------------------------------------------ */

static int64_t ingest(struct store *s, const char *ext, const char *source, const char *desc, const char *hash)
{
	struct posting_ingest in = { 0 };
	char key[64];
	snprintf(key, sizeof(key), "acme|%s", ext);
	in.posting.canonical_key = key;
	in.posting.title = "Engineer";
	in.posting.company = "Acme";
	in.posting.description_text = desc;
	in.posting.workplace = "remote";
	in.posting.date_posted = "2026-03-10";
	in.source = source;
	in.external_id = ext;
	in.content_hash = hash;
	in.seen_at = MON_MAR_2 * DAY;
	in.source_rank = 5;
	in.max_distance = -1;
	enum posting_change ch;
	int64_t id = 0;
	assert_int_equal(store_posting_ingest(s, &in, &ch, &id), STORE_OK);
	return id;
}

static int feed(void *ctx, const struct store_posting *p, const struct posting_source_group *g, size_t n)
{
	return market_put(ctx, p, g, n);
}

/* The number of postings of the week of Mar 9 mentioning skill name, once
 * the table holds want postings (waits up to 10 s). */
static int64_t skill_count(struct search_service *svc, struct market *mk, size_t want, const char *name)
{
	for (int i = 0; i < 1000 && (!search_service_ready(svc) || market_size(mk) < want); i++) {
		search_service_poke(svc);
		usleep(10000);
	}
	assert_int_equal(market_size(mk), want);
	struct arena a;
	arena_init(&a, 0);
	struct market_skills s;
	assert_int_equal(market_skills(mk, TODAY, 1, 10, &a, &s), 0);
	int64_t n = 0;
	for (size_t k = 0; k < s.n; k++)
		if (strcmp(s.skills[k].name, name) == 0)
			n = s.skills[k].total;
	arena_free(&a);
	return n;
}

static void test_fed_by_the_search_service(void **state)
{
	(void)state;
	struct store_fixture sf;
	assert_int_equal(store_fixture_make(&sf, NULL, 1), 0);
	ingest(sf.s, "a", "greenhouse", "Rust services.", "h1");
	ingest(sf.s, "b", "lever", "Rust and Go.", "h2");
	struct market *mk = market_new(&fixture_m);
	struct search_feed fd = { feed, mk };
	struct search_service *svc;
	assert_int_equal(search_service_start_fed(sf.s, 50, &fd, &svc), 0);
	assert_int_equal(skill_count(svc, mk, 2, "Rust"), 2);
	/* A new posting and a rewrite of "b" (no Rust now) reach the table. */
	uint64_t gen = market_generation(mk);
	ingest(sf.s, "c", "jsonld", "We write Go.",
	       "h3"); /* not "Go only.": a sentence-start Go before a plain word is the verb */
	ingest(sf.s, "b", "lever", "Go and Python.", "h4");
	for (int i = 0; i < 1000 && market_generation(mk) == gen; i++)
		usleep(10000);
	int64_t rust = -1;
	for (int i = 0; i < 1000 && (rust = skill_count(svc, mk, 3, "Rust")) != 1; i++)
		usleep(10000);
	assert_int_equal(rust, 1);
	assert_int_equal(skill_count(svc, mk, 3, "Go"), 2);
	struct arena a;
	arena_init(&a, 0);
	struct market_volume v;
	assert_int_equal(market_volume(mk, TODAY, 7, &a, &v), 0);
	assert_int_equal(v.n_sources, 3);
	assert_int_equal(v.remote.workplace[3], 3);
	arena_free(&a);
	search_service_stop(svc);
	market_free(mk);
	store_fixture_destroy(&sf);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_market TAXONOMY_DIR\n");
		return 2;
	}
	scan_fixture_load(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skills_by_week),   cmocka_unit_test(test_salaries),
		cmocka_unit_test(test_percentiles_many), cmocka_unit_test(test_volume),
		cmocka_unit_test(test_bin_width),        cmocka_unit_test(test_fed_by_the_search_service),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	scan_fixture_free();
	return rc;
}
