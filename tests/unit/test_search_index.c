/* Unit tests for src/search/index and snippet: matches of every query
 * construct on a small hand-built corpus, ranking where the right order is
 * known (title over description, BM25 length normalisation), every filter
 * and facet, updates and deletes, pagination by offset and by cursor in
 * each sort order, top-k pruning giving the same first page as scoring
 * everything (field queries by their own field's bounds), frequent words'
 * kept counts against counting every match, highlighted snippets, and
 * random queries over a random corpus (with updates and deletes) against
 * a brute-force evaluation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scrape/posting.h"
#include "search/index.h"
#include "search/query.h"
#include "search/snippet.h"
#include "search/tokenize.h"

struct fixture {
	struct tokenizer *tok;
	struct search_index *ix;
	struct arena a;
};

static const char *const src_greenhouse[] = { "greenhouse" };
static const char *const src_both[] = { "lever", "greenhouse" };

static const struct search_doc corpus[] = {
	{ .posting_id = 1,
	  .title = "Senior Rust Engineer",
	  .company = "Acme Corp",
	  .location = "Berlin, Germany",
	  .description = "Build backend services in Rust. Full-time, hybrid.",
	  .workplace = WORKPLACE_HYBRID,
	  .country = "DE",
	  .city = "Berlin",
	  .employment_types = EMPLOYMENT_FULL_TIME,
	  .sources = src_greenhouse,
	  .nsources = 1,
	  .date_posted = "2026-11-30",
	  .salary_year_min = 80000,
	  .salary_year_max = 100000,
	  .salary_currency = "EUR" },
	{ .posting_id = 2,
	  .title = "Backend Engineer",
	  .company = "Globex",
	  .location = "London, UK",
	  .description = "We use Go and some Rust for site reliability work. C++ a plus.",
	  .workplace = WORKPLACE_REMOTE,
	  .country = "GB",
	  .city = "London",
	  .employment_types = EMPLOYMENT_FULL_TIME | EMPLOYMENT_CONTRACTOR,
	  .sources = src_both,
	  .nsources = 2,
	  .date_posted = "2026-12-05",
	  .salary_year_min = 90000,
	  .salary_currency = "GBP" },
	{ .posting_id = 3,
	  .title = "Site Reliability Engineer",
	  .company = "Initech",
	  .location = "Remote",
	  .description = "On-call rotation, Kubernetes, CI/CD pipelines, node.js tooling.",
	  .workplace = WORKPLACE_REMOTE,
	  .country = "US",
	  .employment_types = EMPLOYMENT_CONTRACTOR,
	  .date_posted = "2026-10-01",
	  .salary_year_max = 150000,
	  .salary_currency = "USD" },
	{ .posting_id = 4,
	  .title = "Java Developer",
	  .company = "Acme Corp",
	  .location = "Munich, Germany",
	  .description = "Java and Kotlin on the JVM; reliability matters. Developers welcome.",
	  .workplace = WORKPLACE_ONSITE,
	  .country = "DE",
	  .city = "Munich",
	  .employment_types = EMPLOYMENT_PART_TIME,
	  .date_posted = "2026-12-01",
	  .closed = true },
	{ .posting_id = 5,
	  .title = "Office Manager",
	  .company = "Rustic Foods",
	  .location = "Paris, France",
	  .description = "Manage the office. No engineering.",
	  .country = "FR",
	  .city = "Paris",
	  .date_posted = "2026-12-06" },
};
#define NCORPUS (sizeof(corpus) / sizeof(corpus[0]))

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || !(f->tok = tokenizer_new()) || !(f->ix = search_index_new(NULL)))
		return -1;
	arena_init(&f->a, 0);
	for (size_t i = 0; i < NCORPUS; i++)
		if (search_index_put(f->ix, f->tok, &corpus[i]))
			return -1;
	if (search_index_prepare(f->ix))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	search_index_free(f->ix);
	tokenizer_free(f->tok);
	arena_free(&f->a);
	free(f);
	return 0;
}

static int run(struct fixture *f, const char *q, const struct search_request *base, struct search_result *res)
{
	static struct query query;
	struct query_error err;
	struct search_request req = base ? *base : (struct search_request){ .limit = 20 };
	if (!base)
		req.filter.closed = SEARCH_OPEN_AND_CLOSED;
	assert_int_equal(query_parse(f->tok, q, strlen(q), &f->a, &query, &err), 0);
	req.query = &query;
	return search_index_search(f->ix, &req, &f->a, res);
}

/* The posting ids of q's hits in order, as "1,3,2". */
static const char *ids(struct fixture *f, const char *q, const struct search_request *base)
{
	static char out[256];
	struct search_result res;
	assert_int_equal(run(f, q, base, &res), 0);
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < res.nhits; i++)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%lld", i ? "," : "",
				      (long long)res.hits[i].posting_id);
	assert_int_equal(res.total, res.nhits);
	return out;
}

static void test_matches(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(ids(f, "rust", NULL), "1,2");
	assert_string_equal(ids(f, "engineers", NULL),
			    "2,3,1,5"); /* "engineering" stems alike; 2's title is shortest */
	assert_string_equal(ids(f, "\"site reliability\"", NULL), "3,2");
	assert_string_equal(ids(f, "reliability -\"site reliability\"", NULL), "4");
	assert_string_equal(ids(f, "java OR kubernetes", NULL), "4,3");
	assert_string_equal(ids(f, "engineer -rust", NULL), "3,5");
	assert_string_equal(ids(f, "rust*", NULL), "1,5,2"); /* rustic too, below the word itself in a title */
	assert_string_equal(ids(f, "develop*", NULL), "4");
	assert_string_equal(ids(f, "title:rust", NULL), "1");
	assert_string_equal(ids(f, "company:acme", NULL), "4,1"); /* a tie: higher id first */
	assert_string_equal(ids(f, "location:germany engineer", NULL), "1");
	assert_string_equal(ids(f, "company:\"acme corp\" java", NULL), "4");
	assert_string_equal(ids(f, "c++", NULL), "2");
	assert_string_equal(ids(f, "ci/cd node.js", NULL), "3");
	assert_string_equal(ids(f, "full-time", NULL), "1");
	assert_string_equal(ids(f, "(go OR java) reliability", NULL), "4,2");
	assert_string_equal(ids(f, "nosuchword", NULL), "");
	assert_string_equal(ids(f, "rust nosuchword", NULL), "");
	assert_string_equal(ids(f, "rust OR nosuchword", NULL), "1,2");
	assert_string_equal(ids(f, "rust -nosuchword", NULL), "1,2");
	/* No text: everything, newest first. */
	assert_string_equal(ids(f, "", NULL), "5,2,4,1,3");
	/* Only exclusions: everything without them, newest first. */
	assert_string_equal(ids(f, "-rust", NULL), "5,4,3");
	assert_string_equal(ids(f, "-rust -java", NULL), "5,3");
	assert_string_equal(ids(f, "-nosuchword", NULL), "5,2,4,1,3");
}

static void test_ranking(void **state)
{
	struct fixture *f = *state;
	/* The title match first: 1 has rust in its title and description. */
	struct search_result res;
	assert_int_equal(run(f, "rust", NULL, &res), 0);
	assert_int_equal(res.hits[0].posting_id, 1);
	assert_true(res.hits[0].score > res.hits[1].score);
	assert_true(res.hits[1].score > 0);
	/* A word in a short title beats it in a long one. */
	struct fixture g = { .tok = f->tok };
	arena_init(&g.a, 0);
	g.ix = search_index_new(NULL);
	/* Equal ties go by posting id, so the ids run against the expected order. */
	struct search_doc a = { .posting_id = 10, .title = "Engineer", .description = "We build things with care." };
	struct search_doc b = { .posting_id = 11,
				.title = "Staff Platform Infrastructure Engineer",
				.description = "We build things with care." };
	struct search_doc c = { .posting_id = 12,
				.title = "Manager",
				.description = "engineer engineer and more words here to fill" };
	struct search_doc d = { .posting_id = 13,
				.title = "Manager",
				.description = "an engineer and more words to fill the space here" };
	assert_int_equal(search_index_put(g.ix, g.tok, &d), 0);
	assert_int_equal(search_index_put(g.ix, g.tok, &c), 0);
	assert_int_equal(search_index_put(g.ix, g.tok, &b), 0);
	assert_int_equal(search_index_put(g.ix, g.tok, &a), 0);
	assert_string_equal(ids(&g, "engineer", NULL), "10,11,12,13");
	search_index_free(g.ix);
	/* A prefix's completions score as one word: a rare completion
	 * ("rustacean") does not outrank the common word itself, and the exact
	 * word ranks above a completion in the same place. */
	g.ix = search_index_new(NULL);
	static const char *const titles[] = { "Rust Developer",  "Rust Engineer",  "Senior Rust Developer",
					      "Rust Lead",       "Java Developer", "Go Developer",
					      "Python Engineer", "Office Manager" };
	for (int i = 0; i < 8; i++) {
		struct search_doc x = { .posting_id = 20 + i, .title = titles[i], .description = "Join the team." };
		assert_int_equal(search_index_put(g.ix, g.tok, &x), 0);
	}
	struct search_doc rare = { .posting_id = 40, .title = "Rustacean Developer", .description = "Join the team." };
	assert_int_equal(search_index_put(g.ix, g.tok, &rare), 0);
	assert_int_equal(search_index_prepare(g.ix), 0);
	struct search_result res2;
	assert_int_equal(run(&g, "rust*", NULL, &res2), 0);
	assert_int_equal(res2.nhits, 5);
	assert_int_equal(res2.hits[4].posting_id, 40);            /* after every title with the word itself */
	assert_true(res2.hits[0].score < 2 * res2.hits[4].score); /* still a fair match, not a different scale */
	float rust_dev = 0;
	for (size_t i = 0; i < res2.nhits; i++)
		if (res2.hits[i].posting_id == 20)
			rust_dev = res2.hits[i].score;
	assert_true(rust_dev > res2.hits[4].score); /* "Rust Developer" over "Rustacean Developer" */
	search_index_free(g.ix);
	arena_free(&g.a);
}

static void test_filters(void **state)
{
	struct fixture *f = *state;
	struct search_request r = { .limit = 20 };
	assert_string_equal(ids(f, "", &r), "5,2,1,3"); /* open only by default: 4 is closed */
	r.filter.closed = SEARCH_CLOSED_ONLY;
	assert_string_equal(ids(f, "", &r), "4");
	r = (struct search_request){ .limit = 20 };
	r.filter.workplaces = 1u << WORKPLACE_REMOTE;
	assert_string_equal(ids(f, "engineer", &r), "2,3");
	r.filter.workplaces |= 1u << WORKPLACE_HYBRID;
	assert_string_equal(ids(f, "engineer", &r), "2,3,1");
	r = (struct search_request){ .limit = 20, .filter.country = "de", .filter.closed = SEARCH_OPEN_AND_CLOSED };
	assert_string_equal(ids(f, "", &r), "4,1");
	r.filter.city = "MUNICH";
	assert_string_equal(ids(f, "", &r), "4");
	r = (struct search_request){ .limit = 20, .filter.min_salary = 95000 };
	assert_string_equal(ids(f, "", &r), "1,3"); /* 2's only figure is 90000; 5 states none */
	r.filter.currency = "USD";
	assert_string_equal(ids(f, "", &r), "3");
	r.filter.currency = "CHF";
	assert_string_equal(ids(f, "", &r), "");
	r = (struct search_request){ .limit = 20, .filter.employment_types = EMPLOYMENT_CONTRACTOR };
	assert_string_equal(ids(f, "", &r), "2,3");
	r = (struct search_request){ .limit = 20,
				     .filter.posted_within_days = 3,
				     .filter.today = search_day("2026-12-06") };
	assert_string_equal(ids(f, "", &r), "5,2");
	r = (struct search_request){ .limit = 20, .filter.source = "greenhouse" };
	assert_string_equal(ids(f, "", &r), "2,1");
	r.filter.source = "lever";
	assert_string_equal(ids(f, "", &r), "2");
	r.filter.source = "workday";
	assert_string_equal(ids(f, "", &r), "");
	r = (struct search_request){ .limit = 20,
				     .filter.company = "ACME CORP",
				     .filter.closed = SEARCH_OPEN_AND_CLOSED };
	assert_string_equal(ids(f, "", &r), "4,1");
	/* the currency alone: salaries stated in it */
	r = (struct search_request){ .limit = 20, .filter.currency = "gbp" };
	assert_string_equal(ids(f, "", &r), "2");
	/* city and company fold accents and punctuation as the query's words do */
	struct fixture g = { .tok = f->tok };
	arena_init(&g.a, 0);
	g.ix = search_index_new(NULL);
	struct search_doc zh = {
		.posting_id = 20, .title = "Chef", .company = "Nestlé S.A.", .location = "Zürich", .city = "Zürich"
	};
	struct search_doc sp = { .posting_id = 21, .title = "Chef", .company = "Nestle", .city = "São-Paulo" };
	assert_int_equal(search_index_put(g.ix, g.tok, &zh), 0);
	assert_int_equal(search_index_put(g.ix, g.tok, &sp), 0);
	r = (struct search_request){ .limit = 20, .filter.city = "zurich" };
	assert_string_equal(ids(&g, "", &r), "20");
	assert_string_equal(ids(&g, "zurich", NULL), "20"); /* as the query finds it */
	r.filter.city = "ZÜRICH";
	assert_string_equal(ids(&g, "", &r), "20");
	r.filter.city = "sao paulo";
	assert_string_equal(ids(&g, "", &r), "21");
	r.filter.city = "--";
	assert_string_equal(ids(&g, "", &r), "");
	r = (struct search_request){ .limit = 20, .filter.company = "nestle s.a." };
	assert_string_equal(ids(&g, "", &r), "20");
	r.filter.company = "NESTLÉ";
	assert_string_equal(ids(&g, "", &r), "21");
	search_index_free(g.ix);
	arena_free(&g.a);
	assert_int_equal(search_day("1970-01-02"), 1);
	assert_int_equal(search_day("2000-03-01"), 11017);
	assert_int_equal(search_day("2026-13-01"), SEARCH_NO_DAY);
	assert_int_equal(search_day(NULL), SEARCH_NO_DAY);
}

static void test_facets(void **state)
{
	struct fixture *f = *state;
	struct search_request r = { .limit = 1, .facets = true, .filter.closed = SEARCH_OPEN_AND_CLOSED };
	struct search_result res;
	assert_int_equal(run(f, "engineer OR java", &r, &res), 0);
	assert_int_equal(res.total, 5); /* facets and total over all matches, not the page */
	assert_int_equal(res.nhits, 1);
	assert_int_equal(res.facets.workplace[WORKPLACE_REMOTE], 2);
	assert_int_equal(res.facets.workplace[WORKPLACE_HYBRID], 1);
	assert_int_equal(res.facets.workplace[WORKPLACE_ONSITE], 1);
	assert_int_equal(res.facets.workplace[WORKPLACE_UNKNOWN], 1);
	assert_int_equal(res.facets.employment_type[0], 2); /* FULL_TIME */
	assert_int_equal(res.facets.employment_type[2], 2); /* CONTRACTOR */
	assert_int_equal(res.facets.ncountry, 4);
	assert_string_equal(res.facets.country[0].value, "DE");
	assert_int_equal(res.facets.country[0].count, 2);
	assert_string_equal(res.facets.country[1].value, "FR");
	assert_int_equal(res.facets.ncompany, 4);
	assert_string_equal(res.facets.company[0].value, "Acme Corp"); /* as the postings write it */
	assert_int_equal(res.facets.company[0].count, 2);
	assert_int_equal(res.facets.nsource, 2);
	assert_string_equal(res.facets.source[0].value, "greenhouse");
	assert_int_equal(res.facets.source[0].count, 2);
	assert_string_equal(res.facets.source[1].value, "lever");
	/* Filtered: the counts follow, but the filter's own facet counts
	 * without it (multi-select: what choosing another value would find). */
	r.filter.workplaces = 1u << WORKPLACE_REMOTE;
	assert_int_equal(run(f, "engineer OR java", &r, &res), 0);
	assert_int_equal(res.total, 2);
	assert_int_equal(res.facets.workplace[WORKPLACE_REMOTE], 2);
	assert_int_equal(res.facets.workplace[WORKPLACE_HYBRID], 1);
	assert_int_equal(res.facets.workplace[WORKPLACE_ONSITE], 1);
	assert_int_equal(res.facets.ncountry, 2); /* the remote ones' countries */
	/* two facet filters: each facet counted with the other one applied */
	r.filter.country = "DE";
	assert_int_equal(run(f, "engineer OR java", &r, &res), 0);
	assert_int_equal(res.total, 0);
	assert_int_equal(res.facets.workplace[WORKPLACE_HYBRID], 1); /* 1: in DE, hybrid */
	assert_int_equal(res.facets.workplace[WORKPLACE_ONSITE], 1); /* 4: in DE, on-site */
	assert_int_equal(res.facets.workplace[WORKPLACE_REMOTE], 0);
	assert_int_equal(res.facets.ncountry, 2); /* the remote ones: GB and US */
	assert_int_equal(res.facets.nsource, 0);  /* sources: only of full matches */
	/* the status facet: open and closed of the rest of the search */
	r = (struct search_request){ .limit = 1, .facets = true }; /* open only */
	assert_int_equal(run(f, "engineer OR java", &r, &res), 0);
	assert_int_equal(res.total, 4);
	assert_int_equal(res.facets.status[0], 4);
	assert_int_equal(res.facets.status[1], 1); /* 4, the Java one, closed */
	r.filter.country = "DE";
	assert_int_equal(run(f, "engineer OR java", &r, &res), 0);
	assert_int_equal(res.facets.status[0], 1);
	assert_int_equal(res.facets.status[1], 1);
	r.filter.closed = SEARCH_CLOSED_ONLY;
	assert_int_equal(run(f, "", &r, &res), 0);
	assert_int_equal(res.total, 1);
	assert_int_equal(res.facets.status[0], 1); /* 1: open, in DE */
	assert_int_equal(res.facets.status[1], 1);
}

/* What one user hid leaves matches, totals and facets alike; another
 * search (another user's) is untouched. */
static void test_exclude(void **state)
{
	struct fixture *f = *state;
	struct search_request r = { .limit = 20, .facets = true, .filter.closed = SEARCH_OPEN_AND_CLOSED };
	struct search_result res;
	assert_int_equal(run(f, "engineer OR java", &r, &res), 0);
	assert_int_equal(res.total, 5);
	const int64_t hidden[] = { 3, 12345 }; /* an id the index does not know is harmless */
	const char *const companies[] = { "ACME corp", "Nobody Inc" };
	struct search_exclude ex = { .posting_ids = hidden, .nposting_ids = 2 };
	r.filter.exclude = &ex;
	assert_string_equal(ids(f, "engineer OR java", &r), "4,2,1,5");
	ex.companies = companies;
	ex.ncompanies = 2;
	assert_string_equal(ids(f, "engineer OR java", &r), "2,5");
	assert_int_equal(run(f, "engineer OR java", &r, &res), 0);
	assert_int_equal(res.total, 2);
	for (size_t i = 0; i < res.facets.ncompany; i++)
		assert_string_not_equal(res.facets.company[i].value, "Acme Corp");
	assert_string_equal(ids(f, "", &r), "5,2");
	r.filter.exclude = NULL;
	assert_string_equal(ids(f, "engineer OR java", &r), "4,2,3,1,5");
}

static void test_updates(void **state)
{
	struct fixture *f = *state;
	struct search_doc d = corpus[0];
	d.title = "Senior Python Engineer";
	d.description = "Django services.";
	assert_int_equal(search_index_put(f->ix, f->tok, &d), 0);
	assert_string_equal(ids(f, "rust", NULL), "2");
	assert_string_equal(ids(f, "python django", NULL), "1");
	assert_string_equal(ids(f, "engineer", NULL), "2,3,1,5");
	struct search_stats st;
	search_index_stats(f->ix, &st);
	assert_int_equal(st.docs, NCORPUS + 1);
	assert_int_equal(st.live_docs, NCORPUS);
	assert_int_equal(search_index_delete(f->ix, 1), 0);
	assert_int_equal(search_index_delete(f->ix, 1), -ENOENT);
	assert_int_equal(search_index_delete(f->ix, 999), -ENOENT);
	assert_string_equal(ids(f, "python", NULL), "");
	/* Back again after a delete. */
	assert_int_equal(search_index_put(f->ix, f->tok, &corpus[0]), 0);
	search_index_prepare(f->ix);
	assert_string_equal(ids(f, "rust", NULL), "1,2");
	search_index_stats(f->ix, &st);
	assert_int_equal(st.live_docs, NCORPUS);
}

/* A corpus big enough for several blocks per term: document i has "common"
 * (i % 7 + 1) times in a description of i % 13 + 3 words and in its title
 * when i < 100 (so the best matches are all in the first block), "rare"
 * when i % 97 == 0, a day and a salary from i. */
static struct search_index *big(struct tokenizer *tok, int n)
{
	struct search_index *ix = search_index_new(NULL);
	char text[512], date[16];
	for (int i = 0; i < n; i++) {
		size_t len = 0;
		int words = i % 13 + 3, common = i % 7 + 1;
		for (int w = 0; w < words; w++)
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s ",
						w < common                        ? "common"
						: (i % 97 == 0 && w == words - 1) ? "rare"
										  : "filler");
		snprintf(date, sizeof(date), "2026-%02d-%02d", i % 12 + 1, i % 28 + 1);
		struct search_doc d = { .posting_id = 1000 + i,
					.title = i < 100 ? "common lead" : "lead",
					.description = text,
					.date_posted = date,
					.salary_year_max = (i * 7919) % 100000,
					.workplace = i % 4 };
		if (search_index_put(ix, tok, &d))
			return NULL;
	}
	search_index_prepare(ix);
	return ix;
}

static void test_pruning_same_page(void **state)
{
	struct fixture *f = *state;
	struct fixture g = { .tok = f->tok };
	arena_init(&g.a, 0);
	assert_non_null(g.ix = big(f->tok, 900));
	struct search_result all, page;
	struct search_request r = { .limit = 1000 };
	assert_int_equal(run(&g, "common", &r, &all), 0);
	assert_int_equal(all.total, 900);
	assert_int_equal(all.scored, 900); /* a window past the matches scores all */
	r.limit = 10;
	assert_int_equal(run(&g, "common", &r, &page), 0);
	assert_int_equal(page.total, 900);
	assert_true(page.scored < 300); /* pruned */
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(page.hits[i].posting_id, all.hits[i].posting_id);
		assert_true(page.hits[i].score == all.hits[i].score);
	}
	/* Two words, and with a filter. */
	r = (struct search_request){ .limit = 1000, .filter.workplaces = 1u << 2 };
	assert_int_equal(run(&g, "common lead", &r, &all), 0);
	r.limit = 5;
	assert_int_equal(run(&g, "common lead", &r, &page), 0);
	assert_int_equal(page.total, all.total);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(page.hits[i].posting_id, all.hits[i].posting_id);
	search_index_free(g.ix);
	arena_free(&g.a);
}

/* A field query prunes by the bound of its own field: "manager" fills every
 * description, but only three titles in a hundred are the short "Manager"
 * that ranks first for title:manager; the other titles are long. */
static void test_pruning_field(void **state)
{
	struct fixture *f = *state;
	struct fixture g = { .tok = f->tok };
	arena_init(&g.a, 0);
	assert_non_null(g.ix = search_index_new(NULL));
	for (int i = 0; i < 900; i++) {
		struct search_doc d = { .posting_id = 1 + i,
					.title = i % 100 >= 3 ? "assistant to the regional manager of sales and service"
							      : "Manager",
					.description = "manager manager manager works with managers" };
		assert_int_equal(search_index_put(g.ix, f->tok, &d), 0);
	}
	search_index_prepare(g.ix);
	struct search_result all, page;
	struct search_request r = { .limit = 1000 };
	assert_int_equal(run(&g, "title:manager", &r, &all), 0);
	assert_int_equal(all.total, 900);
	r.limit = 3;
	assert_int_equal(run(&g, "title:manager", &r, &page), 0);
	assert_int_equal(page.total, 900);
	assert_true(page.scored < 300); /* the long titles' blocks of 16 are pruned */
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(page.hits[i].posting_id, all.hits[i].posting_id);
		assert_true((page.hits[i].posting_id - 1) % 100 < 3);
	}
	search_index_free(g.ix);
	arena_free(&g.a);
}

/* A word's kept counts against counting its matches: two indexes of the same
 * documents (added, replaced, closed, deleted, before and after the counts
 * exist), one keeping counts for words in 20 documents or more, one none;
 * every word gives the same total, facets and page in each closed mode,
 * with and without hidden postings and companies. */
#define CT_DOCS 500
static void ct_put(struct tokenizer *tok, struct search_index *const ix[2], int id, unsigned seed)
{
	static const char *const words[] = { "alpha", "beta", "gamma", "delta", "epsilon" };
	static const char *const companies[] = { "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark" };
	static const char *const countries[] = { "DE", "US", "GB", "FR" };
	static const char *const sources[] = { "lever", "greenhouse", "ashby" };
	static const char *const cities[] = { "Berlin", "Zürich", "zurich", "Paris" };
	static const char *const dates[] = { "2026-12-07", "2026-12-06", "2026-12-03",
					     "2026-11-25", "2026-11-10", "2025-01-01" };
	char text[128];
	size_t len = 0;
	for (unsigned w = 0; w < 1 + seed % 4; w++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s ", words[(seed / (w + 1) + w) % 5]);
	const char *src[2] = { sources[seed % 3], sources[(seed / 3) % 3] };
	char company[32];
	snprintf(company, sizeof(company), "%s%s", companies[(seed / 7) % 6], seed % 11 == 0 ? " New" : "");
	struct search_doc d = { .posting_id = id,
				.title = words[seed % 5],
				.company = company,
				.description = text,
				.workplace = (int)(seed % 4),
				.country = countries[(seed / 5) % 4],
				.employment_types = 1u + seed % 7,
				.sources = src,
				.nsources = 1 + seed % 2,
				.closed = seed % 9 == 0,
				.city = seed % 5 ? cities[(seed / 3) % 4] : NULL,
				.date_posted = seed % 6 ? dates[(seed / 11) % 6] : NULL,
				.salary_year_min = (double)(seed % 8) * 25000,
				.first_seen = 100000 + id };
	for (int k = 0; k < 2; k++)
		assert_int_equal(search_index_put(ix[k], tok, &d), 0);
}

static void ct_same(struct fixture *g, const struct search_request *r, const char *q)
{
	struct search_result res[2];
	for (int k = 0; k < 2; k++) {
		struct fixture h = { .tok = g[k].tok, .ix = g[k].ix, .a = g[k].a };
		assert_int_equal(run(&h, q, r, &res[k]), 0);
		g[k].a = h.a;
	}
	assert_int_equal(res[0].total, res[1].total);
	assert_int_equal(res[0].nhits, res[1].nhits);
	for (size_t i = 0; i < res[0].nhits; i++)
		assert_int_equal(res[0].hits[i].posting_id, res[1].hits[i].posting_id);
	const struct search_facets *x = &res[0].facets, *y = &res[1].facets;
	assert_memory_equal(x->workplace, y->workplace, sizeof(x->workplace));
	assert_memory_equal(x->employment_type, y->employment_type, sizeof(x->employment_type));
	assert_memory_equal(x->status, y->status, sizeof(x->status)); /* the kept counts' open and closed too */
	assert_memory_equal(x->salary, y->salary, sizeof(x->salary));
	assert_int_equal(x->salary_none, y->salary_none);
	assert_memory_equal(x->posted_within, y->posted_within, sizeof(x->posted_within));
	const struct facet_count *lx[4] = { x->source, x->country, x->company, x->city };
	const struct facet_count *ly[4] = { y->source, y->country, y->company, y->city };
	size_t nx[4] = { x->nsource, x->ncountry, x->ncompany, x->ncity };
	size_t ny[4] = { y->nsource, y->ncountry, y->ncompany, y->ncity };
	for (int k = 0; k < 4; k++) {
		assert_int_equal(nx[k], ny[k]);
		for (size_t i = 0; i < nx[k]; i++) {
			assert_string_equal(lx[k][i].value, ly[k][i].value);
			assert_int_equal(lx[k][i].count, ly[k][i].count);
		}
	}
}

static void test_kept_counts(void **state)
{
	struct fixture *f = *state;
	struct fixture g[2] = { { .tok = f->tok }, { .tok = f->tok } };
	struct search_options none = { .facet_cache_df = UINT32_MAX }, some = { .facet_cache_df = 20 };
	struct search_index *ix[2] = { search_index_new(&none), search_index_new(&some) };
	assert_non_null(ix[0]);
	assert_non_null(ix[1]);
	for (int k = 0; k < 2; k++) {
		g[k].ix = ix[k];
		arena_init(&g[k].a, 0);
	}
	for (int i = 0; i < CT_DOCS / 2; i++)
		ct_put(f->tok, ix, 1 + i, (unsigned)i * 2654435761u >> 8);
	for (int k = 0; k < 2; k++)
		assert_int_equal(search_index_prepare(ix[k]), 0);
	/* Counts now exist: more added, some replaced (other company, closed), some deleted. */
	for (int i = CT_DOCS / 2; i < CT_DOCS; i++)
		ct_put(f->tok, ix, 1 + i, (unsigned)i * 2654435761u >> 8);
	for (int i = 0; i < CT_DOCS; i += 7)
		ct_put(f->tok, ix, 1 + i, (unsigned)i * 40503u + 17);
	for (int i = 3; i < CT_DOCS; i += 13)
		for (int k = 0; k < 2; k++)
			assert_int_equal(search_index_delete(ix[k], 1 + i), 0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(search_index_prepare(ix[k]), 0);
	struct search_stats st[2];
	search_index_stats(ix[0], &st[0]);
	search_index_stats(ix[1], &st[1]);
	assert_int_equal(st[0].counted_terms, 0);
	assert_true(st[1].counted_terms >= 5);
	static const char *const queries[] = { "alpha", "beta", "gamma", "delta", "epsilon", "acme", "de" };
	const int64_t hidden_ids[] = { 5, 5, 8, 4, 99999, 12 };
	const char *const hidden_companies[] = { "globex" };
	struct search_exclude ex_ids = { .posting_ids = hidden_ids, .nposting_ids = 6 };
	struct search_exclude ex_both = {
		.posting_ids = hidden_ids, .nposting_ids = 6, .companies = hidden_companies, .ncompanies = 1
	};
	const struct search_exclude *excludes[] = { NULL, &ex_ids, &ex_both };
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++)
		for (int closed = 0; closed < 3; closed++)
			for (int e = 0; e < 3; e++)
				for (int sort = 0; sort < 2; sort++) {
					struct search_request r = { .limit = 10,
								    .facets = true,
								    .sort = sort ? SEARCH_SORT_DATE
										 : SEARCH_SORT_RELEVANCE };
					r.filter.closed = (enum search_closed)closed;
					r.filter.exclude = excludes[e];
					r.filter.today = search_day("2026-12-07") + (int32_t)(q % 3);
					ct_same(g, &r, queries[q]);
				}
	for (int k = 0; k < 2; k++) {
		search_index_free(ix[k]);
		arena_free(&g[k].a);
	}
}

/* Dead documents are dropped once enough of them pile up: an index whose
 * prepare compacts against one never prepared (so never compacted), after
 * many replacements and deletes, and again after more writes on top. */
static void test_compaction(void **state)
{
	struct fixture *f = *state;
	struct fixture g[2] = { { .tok = f->tok }, { .tok = f->tok } };
	struct search_index *ix[2] = { search_index_new(NULL), search_index_new(NULL) };
	assert_non_null(ix[0]);
	assert_non_null(ix[1]);
	for (int k = 0; k < 2; k++) {
		g[k].ix = ix[k];
		arena_init(&g[k].a, 0);
	}
	for (int i = 0; i < 1500; i++)
		ct_put(f->tok, ix, 1 + i, (unsigned)i * 2654435761u >> 8);
	for (int i = 0; i < 1500; i += 5)
		for (int j = i; j < i + 4; j++)
			ct_put(f->tok, ix, 1 + j, (unsigned)j * 40503u + 11);
	for (int i = 2; i < 1500; i += 15)
		for (int k = 0; k < 2; k++)
			assert_int_equal(search_index_delete(ix[k], 1 + i), 0);
	struct search_stats st;
	search_index_stats(ix[1], &st);
	uint64_t omega_doc = st.docs; /* the number "omega" is last seen at */
	struct search_doc od = { .posting_id = 5000, .title = "omega" };
	for (int k = 0; k < 2; k++)
		assert_int_equal(search_index_put(ix[k], f->tok, &od), 0);
	search_index_stats(ix[1], &st);
	assert_true(st.docs - st.live_docs >= SEARCH_COMPACT_DEAD);
	assert_int_equal(search_index_prepare(ix[1]), 0);
	search_index_stats(ix[1], &st);
	assert_int_equal(st.docs, st.live_docs); /* compacted */
	static const char *const queries[] = { "alpha",       "\"alpha beta\"", "title:gamma",    "del*",
					       "beta -delta", "alpha OR zeta",  "company:globex", "epsilon gamma" };
	for (int round = 0; round < 2; round++) {
		for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++)
			for (int closed = 0; closed < 3; closed += 2)
				for (int sort = 0; sort < 4; sort++) {
					struct search_request r = { .limit = 20,
								    .facets = true,
								    .sort = sort % 2 ? SEARCH_SORT_DATE
										     : SEARCH_SORT_RELEVANCE };
					r.filter.closed = (enum search_closed)closed;
					/* a saved search's "new since": by first seen, kept
					 * per document number, which compaction changes */
					if (sort >= 2)
						r.filter.first_seen_after = 100000 + 700;
					ct_same(g, &r, queries[q]);
				}
		/* More on top of the new numbering: new postings, replacements, a delete. */
		for (int i = 1400; i < 1700; i++)
			ct_put(f->tok, ix, 1 + i, (unsigned)i * 69069u + 5);
		for (int k = 0; k < 2; k++)
			assert_int_equal(search_index_delete(ix[k], 1 + 1401), 0);
	}
	/* A word last seen at an old number a new document now takes is still
	 * added to it (the writer's marks by number start over). */
	search_index_stats(ix[1], &st);
	for (uint64_t d = st.docs; d < omega_doc; d++)
		ct_put(f->tok, ix, 6000 + (int)d, (unsigned)d);
	od.posting_id = 5001;
	for (int k = 0; k < 2; k++)
		assert_int_equal(search_index_put(ix[k], f->tok, &od), 0);
	struct fixture h = g[1];
	struct search_result res;
	assert_int_equal(run(&h, "omega", NULL, &res), 0);
	assert_int_equal(res.total, 2);
	g[1].a = h.a;
	for (int k = 0; k < 2; k++) {
		search_index_free(ix[k]);
		arena_free(&g[k].a);
	}
}

static void test_pagination(void **state)
{
	struct fixture *f = *state;
	struct fixture g = { .tok = f->tok };
	arena_init(&g.a, 0);
	assert_non_null(g.ix = big(f->tok, 700));
	enum search_sort sorts[] = { SEARCH_SORT_RELEVANCE, SEARCH_SORT_DATE, SEARCH_SORT_SALARY };
	for (size_t s = 0; s < 3; s++) {
		struct search_result all, page;
		struct search_request r = { .limit = 1000, .sort = sorts[s] };
		assert_int_equal(run(&g, "lead", &r, &all), 0);
		assert_int_equal(all.nhits, 700);
		for (size_t i = 1; i < all.nhits; i++) /* a total order */
			assert_true(all.hits[i].key < all.hits[i - 1].key ||
				    (all.hits[i].key == all.hits[i - 1].key &&
				     all.hits[i].posting_id < all.hits[i - 1].posting_id));
		/* Pages by cursor and by offset walk the same order. */
		struct search_request c = { .limit = 33, .sort = sorts[s] };
		size_t at = 0;
		for (;;) {
			assert_int_equal(run(&g, "lead", &c, &page), 0);
			for (size_t i = 0; i < page.nhits; i++)
				assert_int_equal(page.hits[i].posting_id, all.hits[at + i].posting_id);
			struct search_result by_offset;
			struct search_request o = { .limit = 33, .offset = (int)at, .sort = sorts[s] };
			if (at + 33 <= SEARCH_MAX_WINDOW) {
				assert_int_equal(run(&g, "lead", &o, &by_offset), 0);
				assert_int_equal(by_offset.nhits, page.nhits);
				if (page.nhits)
					assert_int_equal(by_offset.hits[0].posting_id, page.hits[0].posting_id);
			}
			at += page.nhits;
			if (!page.next.set)
				break;
			c.after = page.next;
		}
		assert_int_equal(at, 700);
	}
	struct search_result res;
	struct search_request bad = { .limit = 20, .offset = SEARCH_MAX_WINDOW };
	assert_int_equal(run(&g, "lead", &bad, &res), -EINVAL);
	bad = (struct search_request){ .limit = SEARCH_MAX_WINDOW + 1 };
	assert_int_equal(run(&g, "lead", &bad, &res), -EINVAL);
	search_index_free(g.ix);
	arena_free(&g.a);
}

/* Postings arriving between pages move the weights (IDF, average
 * lengths); pages after the first score with the first's (the cursor
 * carries them), so every posting that matched then comes exactly once. */
static void put_mixed(struct fixture *g, int id, int rust, int go, int filler)
{
	char title[64], desc[2048];
	size_t n = 0;
	snprintf(title, sizeof(title), "%s Engineer %d", id % 3 ? "Backend" : "Rust", id);
	for (int i = 0; i < rust; i++)
		n += (size_t)snprintf(desc + n, sizeof(desc) - n, "rust ");
	for (int i = 0; i < go; i++)
		n += (size_t)snprintf(desc + n, sizeof(desc) - n, "go ");
	for (int i = 0; i < filler && n + 16 < sizeof(desc); i++)
		n += (size_t)snprintf(desc + n, sizeof(desc) - n, "words%d ", i % 7);
	struct search_doc d = { .posting_id = id, .title = title, .description = desc };
	assert_int_equal(search_index_put(g->ix, g->tok, &d), 0);
}

static void test_pages_keep_weights(void **state)
{
	struct fixture *f = *state;
	for (int keep = 1; keep >= 0; keep--) {
		struct fixture g = { .tok = f->tok };
		arena_init(&g.a, 0);
		g.ix = search_index_new(NULL);
		for (int id = 1; id <= 30; id++)
			put_mixed(&g, id, id % 4, (id * 7) % 5, (id * 13) % 40);
		assert_int_equal(search_index_prepare(g.ix), 0);
		int seen[200] = { 0 }, next_id = 100;
		struct search_request r = { .limit = 3, .sort = SEARCH_SORT_RELEVANCE };
		struct search_result page;
		bool moved = false;
		for (int pages = 0; pages < 40; pages++) {
			assert_int_equal(run(&g, "rust OR go", &r, &page), 0);
			for (size_t i = 0; i < page.nhits; i++)
				seen[page.hits[i].posting_id]++;
			if (!page.next.set)
				break;
			r.after = page.next;
			if (!keep)
				r.after.weights.set = false; /* as before: today's weights */
			/* arrivals: go only, long, many: go's IDF and the lengths move */
			for (int k = 0; k < 4 && next_id < 200; k++)
				put_mixed(&g, next_id++, 0, 3, 60);
			assert_int_equal(search_index_prepare(g.ix), 0);
		}
		int wrong = 0;
		for (int id = 1; id <= 30; id++)
			if (id % 4 || (id * 7) % 5) /* it matched on the first page's day */
				wrong += seen[id] != 1;
		for (int id = 100; id < 200; id++)
			wrong += seen[id] > 1;
		if (keep)
			assert_int_equal(wrong, 0);
		else
			moved = wrong > 0;
		if (!keep)
			assert_true(moved); /* the test can fail: without the weights, pages skip or repeat */
		search_index_free(g.ix);
		arena_free(&g.a);
	}
}

static const char *snippet(struct fixture *f, const char *q, const char *text, size_t words)
{
	static struct buf b;
	struct query query;
	struct query_error err;
	assert_int_equal(query_parse(f->tok, q, strlen(q), &f->a, &query, &err), 0);
	buf_free(&b);
	buf_init(&b, 1 << 16);
	assert_int_equal(search_snippet(f->tok, &query, text, words, &b), 0);
	return b.data ? b.data : "";
}

static void test_snippets(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(snippet(f, "rust engineers", "A Rust <engineer> & co.", 0),
			    "A <mark>Rust</mark> &lt;<mark>engineer</mark>&gt; &amp; co.");
	assert_string_equal(snippet(f, "kube* -java", "Java, kubernetes, Kubectl", 0),
			    "Java, <mark>kubernetes</mark>, <mark>Kubectl</mark>");
	/* The window with both words, with a little context before. */
	assert_string_equal(snippet(f, "go rust",
				    "one two three four five six seven eight nine ten go and rust here then more words",
				    6),
			    "\xe2\x80\xa6 eight nine ten <mark>go</mark> and <mark>rust</mark> \xe2\x80\xa6");
	assert_string_equal(snippet(f, "absent", "one two three", 2), "one two \xe2\x80\xa6");
	assert_string_equal(snippet(f, "x", "", 2), "");
}

/* ---- the index against a brute-force reading of the same documents ---- */

#define RV_WORDS  12
#define RV_DOCS   600
#define RV_FIELDW 14

static const char *const rv_vocab[RV_WORDS] = { "alpha", "beta", "gamma", "delta",  "epsilon", "zeta",
						"theta", "iota", "kappa", "lambda", "omega",   "sigma" };

static const char *const rv_countries[] = { NULL, "DE", "US", "GB", "FR" };
static const char *const rv_sources[] = { "lever", "greenhouse", "ashby" };
/* two spellings of one city: one facet value, as the filter folds them */
static const char *const rv_cities[] = { NULL, "Berlin", "Zürich", "zurich", "Paris" };
static int rv_city_key(int c)
{
	return c == 3 ? 2 : c;
}
#define RV_TODAY 20000

struct rv_doc {
	bool live;
	int workplace, country, city; /* enum workplace; index into rv_countries, rv_cities */
	float salary;                 /* yearly, 0: none */
	int32_t day;                  /* SEARCH_NO_DAY: none */
	unsigned employment, sources; /* bits: enum employment_type, rv_sources */
	int n[FIELD_COUNT];
	char term[FIELD_COUNT][RV_FIELDW][TOK_TERM_MAX + 1]; /* as the tokenizer makes them */
	char text[FIELD_COUNT][RV_FIELDW * 10];
};

static uint64_t rv_state = 42;
static unsigned rv(unsigned n)
{
	rv_state = rv_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(rv_state >> 33) % n;
}

struct rv_fill {
	struct rv_doc *d;
	int field;
};

static int rv_token(void *ctx, const struct token *tok)
{
	struct rv_fill *f = ctx;
	if (f->d->n[f->field] < RV_FIELDW)
		snprintf(f->d->term[f->field][f->d->n[f->field]++], TOK_TERM_MAX + 1, "%s", tok->term);
	return 0;
}

static void rv_make(struct tokenizer *tok, struct rv_doc *d)
{
	static const int max_words[FIELD_COUNT] = { 4, 2, 2, RV_FIELDW };
	memset(d, 0, sizeof(*d));
	d->live = true;
	for (int f = 0; f < FIELD_COUNT; f++) {
		int n = (int)rv((unsigned)max_words[f] + 1);
		size_t len = 0;
		for (int w = 0; w < n; w++)
			len += (size_t)snprintf(d->text[f] + len, sizeof(d->text[f]) - len, "%s%s", w ? " " : "",
						rv_vocab[rv(RV_WORDS)]);
		struct rv_fill fill = { d, f };
		tokenize(tok, d->text[f], len, TOK_STEM, rv_token, &fill);
	}
	d->workplace = (int)rv(4);
	d->country = (int)rv(5);
	d->employment = rv(16);
	d->sources = rv(8);
	d->city = (int)rv(5);
	d->salary = rv(4) ? (float)(rv(12) * 20000) : 0;
	d->day = rv(5) ? RV_TODAY + 2 - (int32_t)rv(40) : SEARCH_NO_DAY;
}

/* d as the index takes it (srcs: room for its sources' names). */
static struct search_doc rv_search_doc(const struct rv_doc *d, int64_t id, int64_t first_seen, const char **srcs,
				       char *date)
{
	size_t ns = 0;
	if (d->day != SEARCH_NO_DAY) {
		time_t t = (time_t)d->day * 86400;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, 16, "%Y-%m-%d", &tm);
	}
	for (unsigned s = 0; s < 3; s++)
		if (d->sources & (1u << s))
			srcs[ns++] = rv_sources[s];
	return (struct search_doc){ .posting_id = id,
				    .title = d->text[0],
				    .company = d->text[1],
				    .location = d->text[2],
				    .description = d->text[3],
				    .workplace = d->workplace,
				    .country = rv_countries[d->country],
				    .employment_types = d->employment,
				    .sources = srcs,
				    .nsources = ns,
				    .city = rv_cities[d->city],
				    .salary_year_min = d->salary,
				    .date_posted = d->day != SEARCH_NO_DAY ? date : NULL,
				    .first_seen = first_seen };
}

enum { RV_WP, RV_COUNTRY, RV_CITY, RV_SALARY, RV_DAY, RV_FILTERS };
static const double rv_salary_bands[SEARCH_SALARY_BANDS] = { 40000, 60000, 80000, 100000, 120000, 150000, 200000 };
static const int rv_posted_bands[SEARCH_POSTED_BANDS] = { 1, 3, 7, 14, 30 };

/* The facets of the matches (want[i]) counted one by one, against res's;
 * multi-select: the workplace facet over the matches of every filter but
 * the workplace one (want_x[RV_WP]), the others likewise. */
static void rv_check_facets(const char *text, const struct rv_doc *docs, const bool *want, bool (*want_x)[RV_FILTERS],
			    const struct search_facets *fa)
{
	uint32_t workplace[4] = { 0 }, employment[8] = { 0 }, country[5] = { 0 }, source[3] = { 0 }, city[5] = { 0 };
	uint32_t salary[SEARCH_SALARY_BANDS] = { 0 }, no_salary = 0, posted[SEARCH_POSTED_BANDS] = { 0 };
	for (int i = 0; i < RV_DOCS; i++) {
		workplace[docs[i].workplace] += want_x[i][RV_WP];
		country[docs[i].country] += want_x[i][RV_COUNTRY];
		city[rv_city_key(docs[i].city)] += want_x[i][RV_CITY];
		no_salary += want_x[i][RV_SALARY] && !docs[i].salary;
		for (int b = 0; b < SEARCH_SALARY_BANDS; b++)
			salary[b] += want_x[i][RV_SALARY] && docs[i].salary >= (float)rv_salary_bands[b];
		for (int b = 0; b < SEARCH_POSTED_BANDS; b++)
			posted[b] += want_x[i][RV_DAY] && docs[i].day != SEARCH_NO_DAY &&
				     docs[i].day >= RV_TODAY - rv_posted_bands[b];
		if (!want[i])
			continue;
		for (int e = 0; e < 8; e++)
			employment[e] += (docs[i].employment >> e) & 1;
		for (int s = 0; s < 3; s++)
			source[s] += (docs[i].sources >> s) & 1;
	}
	for (int k = 0; k < 4; k++)
		if (fa->workplace[k] != workplace[k])
			fail_msg("query %s: workplace %d counted %u, is %u", text, k, fa->workplace[k], workplace[k]);
	for (int k = 0; k < 8; k++)
		if (fa->employment_type[k] != employment[k])
			fail_msg("query %s: employment %d counted %u, is %u", text, k, fa->employment_type[k],
				 employment[k]);
	size_t nc = 0;
	for (int k = 1; k < 5; k++)
		nc += country[k] > 0;
	assert_int_equal(fa->ncountry, nc);
	for (size_t k = 0; k < fa->ncountry; k++)
		for (int c = 1; c < 5; c++)
			if (!strcmp(fa->country[k].value, rv_countries[c]) && fa->country[k].count != country[c])
				fail_msg("query %s: country %s counted %u, is %u", text, rv_countries[c],
					 fa->country[k].count, country[c]);
	size_t ns = 0;
	for (int k = 0; k < 3; k++)
		ns += source[k] > 0;
	assert_int_equal(fa->nsource, ns);
	for (size_t k = 0; k < fa->nsource; k++)
		for (int c = 0; c < 3; c++)
			if (!strcmp(fa->source[k].value, rv_sources[c]) && fa->source[k].count != source[c])
				fail_msg("query %s: source %s counted %u, is %u", text, rv_sources[c],
					 fa->source[k].count, source[c]);
	if (fa->salary_none != no_salary)
		fail_msg("query %s: no salary counted %u, is %u", text, fa->salary_none, no_salary);
	for (int b = 0; b < SEARCH_SALARY_BANDS; b++)
		if (fa->salary[b] != salary[b] || search_salary_bands[b] != rv_salary_bands[b])
			fail_msg("query %s: salary band %d counted %u, is %u", text, b, fa->salary[b], salary[b]);
	for (int b = 0; b < SEARCH_POSTED_BANDS; b++)
		if (fa->posted_within[b] != posted[b] || search_posted_bands[b] != rv_posted_bands[b])
			fail_msg("query %s: posted band %d counted %u, is %u", text, b, fa->posted_within[b],
				 posted[b]);
	size_t ncity = 0;
	for (int k = 1; k < 5; k++)
		ncity += city[k] > 0;
	assert_int_equal(fa->ncity, ncity);
	for (size_t k = 0; k < fa->ncity; k++) {
		int c = 1;
		while (c < 5 && strcmp(fa->city[k].value, rv_cities[c]))
			c++;
		assert_true(c < 5); /* either spelling of Zürich: the one first written */
		if (fa->city[k].count != city[rv_city_key(c)])
			fail_msg("query %s: city %s counted %u, is %u", text, rv_cities[c], fa->city[k].count,
				 city[rv_city_key(c)]);
	}
	/* companies: the biggest first, each counted exactly */
	for (size_t k = 0; k < fa->ncompany; k++) {
		uint32_t n = 0;
		for (int i = 0; i < RV_DOCS; i++)
			n += want[i] && !strcmp(docs[i].text[1], fa->company[k].value);
		if (fa->company[k].count != n)
			fail_msg("query %s: company %s counted %u, is %u", text, fa->company[k].value,
				 fa->company[k].count, n);
		assert_true(k == 0 || fa->company[k].count <= fa->company[k - 1].count);
	}
}

static bool rv_has(const struct rv_doc *d, int f, int from, const char *term, bool prefix)
{
	if (from < 0 || from >= d->n[f])
		return false;
	return prefix ? strncmp(d->term[f][from], term, strlen(term)) == 0 : strcmp(d->term[f][from], term) == 0;
}

static bool rv_eval(const struct qnode *q, const struct rv_doc *d)
{
	switch (q->kind) {
	case Q_TERM:
	case Q_PREFIX:
	case Q_PHRASE:
		for (int f = 0; f < FIELD_COUNT; f++) {
			if (!(q->fields & (1u << f)))
				continue;
			for (int p = 0; p < d->n[f]; p++) {
				size_t k = 0;
				while (k < q->nterms && rv_has(d, f, p + (int)k, q->terms[k], q->kind == Q_PREFIX))
					k++;
				if (k == q->nterms)
					return true;
			}
		}
		return false;
	case Q_AND:
		for (size_t i = 0; i < q->nkids; i++) {
			bool neg = q->kids[i]->kind == Q_NOT;
			if (rv_eval(neg ? q->kids[i]->kids[0] : q->kids[i], d) == neg)
				return false;
		}
		return true;
	case Q_OR:
		for (size_t i = 0; i < q->nkids; i++)
			if (rv_eval(q->kids[i], d))
				return true;
		return false;
	case Q_NOT: /* the whole query is one exclusion */
		return !rv_eval(q->kids[0], d);
	}
	return false;
}

static void rv_clause(char *out, size_t cap)
{
	static const char *const fields[] = { "title:", "company:", "location:" };
	const char *w = rv_vocab[rv(RV_WORDS)], *w2 = rv_vocab[rv(RV_WORDS)];
	switch (rv(7)) {
	case 0:
		snprintf(out, cap, "\"%s %s\"", w, w2);
		break;
	case 1:
		snprintf(out, cap, "%.*s*", 2 + (int)rv(3), w);
		break;
	case 2:
		snprintf(out, cap, "%s%s", fields[rv(3)], w);
		break;
	case 3:
		snprintf(out, cap, "(%s OR %s)", w, w2);
		break;
	case 4:
		snprintf(out, cap, "-%s", w);
		break;
	default:
		snprintf(out, cap, "%s", w);
	}
}

static void collect_id(void *ctx, int64_t id)
{
	bool *seen = ctx;
	assert_true(id >= 1 && id <= RV_DOCS);
	assert_false(seen[id - 1]);
	seen[id - 1] = true;
}

static void test_against_brute_force(void **state)
{
	struct fixture *f = *state;
	struct search_index *ix = search_index_new(NULL);
	static struct rv_doc docs[RV_DOCS];
	static int64_t first_seen[RV_DOCS]; /* in no particular order, as updates arrive */
	struct arena a;
	arena_init(&a, 0);
	for (int i = 0; i < RV_DOCS; i++) {
		rv_make(f->tok, &docs[i]);
		first_seen[i] = 1 + (int64_t)rv(1000);
		const char *srcs[3];
		char date[16];
		struct search_doc sd = rv_search_doc(&docs[i], i + 1, first_seen[i], srcs, date);
		assert_int_equal(search_index_put(ix, f->tok, &sd), 0);
	}
	/* Some replaced, some deleted. */
	for (int k = 0; k < RV_DOCS / 5; k++) {
		int i = (int)rv(RV_DOCS);
		if (rv(3) == 0) {
			int rc = search_index_delete(ix, i + 1);
			assert_int_equal(rc, docs[i].live ? 0 : -ENOENT);
			docs[i].live = false;
			continue;
		}
		rv_make(f->tok, &docs[i]);
		first_seen[i] = 1 + (int64_t)rv(1000);
		const char *srcs[3];
		char date[16];
		struct search_doc sd = rv_search_doc(&docs[i], i + 1, first_seen[i], srcs, date);
		assert_int_equal(search_index_put(ix, f->tok, &sd), 0);
	}
	search_index_prepare(ix);
	int checked = 0;
	for (int round = 0; round < 400; round++) {
		char text[256], clause[64];
		size_t len = 0;
		int n = 1 + (int)rv(3);
		for (int c = 0; c < n; c++) {
			rv_clause(clause, sizeof(clause));
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", c ? (rv(4) ? " " : " OR ") : "",
						clause);
		}
		struct query q;
		struct query_error err;
		if (query_parse(f->tok, text, len, &a, &q, &err))
			continue; /* exclusions beside OR, a prefix too short: refused, as they should be */
		bool seen[RV_DOCS] = { false }, want[RV_DOCS];
		static bool want_x[RV_DOCS][RV_FILTERS];
		/* half the rounds count only what was first seen after a moment;
		 * some filter by workplace or country */
		int64_t after = rv(2) ? (int64_t)rv(1000) : 0;
		unsigned workplaces = rv(3) ? 0 : 1u << rv(4);
		int country = rv(3) ? 0 : 1 + (int)rv(4);
		int city = rv(3) ? 0 : 1 + (int)rv(4);
		double min_salary = rv(3) ? 0 : rv_salary_bands[rv(SEARCH_SALARY_BANDS)] - 10000 * rv(2);
		int within = rv(3) ? 0 : 1 + (int)rv(30);
		struct search_request r = { .limit = 10, .query = &q, .facets = true };
		r.filter.first_seen_after = after;
		r.filter.workplaces = workplaces;
		r.filter.country = rv_countries[country];
		r.filter.city = rv_cities[city];
		r.filter.min_salary = min_salary;
		r.filter.posted_within_days = within;
		r.filter.today = RV_TODAY;
		struct search_result page, all, each;
		uint64_t expect = 0;
		for (int i = 0; i < RV_DOCS; i++) {
			bool base = docs[i].live && rv_eval(q.root, &docs[i]) && (!after || first_seen[i] > after);
			bool p[RV_FILTERS] = {
				!workplaces || workplaces & (1u << docs[i].workplace),
				!country || docs[i].country == country,
				!city || rv_city_key(docs[i].city) == rv_city_key(city),
				!min_salary || docs[i].salary >= (float)min_salary,
				!within || (docs[i].day != SEARCH_NO_DAY && docs[i].day >= RV_TODAY - within),
			};
			int misses = 0;
			for (int k = 0; k < RV_FILTERS; k++)
				misses += !p[k];
			want[i] = base && !misses;
			for (int k = 0; k < RV_FILTERS; k++)
				want_x[i][k] = base && (misses == 0 || (misses == 1 && !p[k]));
			expect += want[i];
		}
		/* facets and total as a search counts them, with every match
		 * visited for each too (another path through the index) */
		assert_int_equal(search_index_search(ix, &r, &a, &page), 0);
		assert_int_equal(page.total, expect);
		rv_check_facets(text, docs, want, want_x, &page.facets);
		r.each = collect_id;
		r.each_ctx = seen;
		assert_int_equal(search_index_search(ix, &r, &a, &each), 0);
		for (int i = 0; i < RV_DOCS; i++)
			if (want[i] != seen[i])
				fail_msg("query %s: posting %d %s", text, i + 1,
					 want[i] ? "missing" : "matched wrongly");
		assert_int_equal(each.total, expect);
		rv_check_facets(text, docs, want, want_x, &each.facets);
		/* The pruned first page is the first page of the fully scored list. */
		struct search_request r2 = { .limit = 1000, .query = &q };
		r2.filter = r.filter;
		assert_int_equal(search_index_search(ix, &r2, &a, &all), 0);
		/* only exclusions: nothing to score, by date (every one ranked) */
		assert_int_equal(all.scored, query_scores(&q) ? all.total : 0);
		for (size_t i = 0; i < page.nhits; i++)
			assert_int_equal(page.hits[i].posting_id, all.hits[i].posting_id);
		checked++;
	}
	assert_true(checked > 250);
	search_index_free(ix);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_matches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ranking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exclude, setup, teardown),
		cmocka_unit_test_setup_teardown(test_updates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pruning_same_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pruning_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kept_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pagination, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages_keep_weights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snippets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_against_brute_force, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
