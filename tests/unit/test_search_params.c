/* search/params: the postings search read from a stored query string (a
 * saved search's), and the canonical form saved searches keep. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scrape/posting.h"
#include "search/params.h"

static int parse(struct arena *a, const char *qs, struct search_params *p)
{
	return search_params_from_string(qs, a, NULL, 20, p);
}

static void test_from_string(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct search_params p;
	assert_int_equal(parse(&a,
			       "q=rust+%22site%20reliability%22&workplace=remote,hybrid&country=DE&min_salary=80000"
			       "&posted_within_days=7&limit=5&status=all",
			       &p),
			 0);
	assert_string_equal(p.q, "rust \"site reliability\"");
	assert_int_equal(p.req.filter.workplaces, (1u << WORKPLACE_REMOTE) | (1u << WORKPLACE_HYBRID));
	assert_string_equal(p.req.filter.country, "DE");
	assert_true(p.req.filter.min_salary == 80000);
	assert_int_equal(p.req.filter.posted_within_days, 7);
	assert_int_equal(p.req.filter.closed, SEARCH_OPEN_AND_CLOSED);
	assert_int_equal(p.req.limit, 5);
	assert_true(p.any_filter);
	/* empty: every open posting, newest first */
	assert_int_equal(parse(&a, "", &p), 0);
	assert_null(p.q);
	assert_false(p.any_filter);
	assert_int_equal(p.req.sort, SEARCH_SORT_DATE);
	/* the first of a repeated key counts, as in a URL */
	assert_int_equal(parse(&a, "country=FR&country=DE&&=x&flag", &p), 0);
	assert_string_equal(p.req.filter.country, "FR");
	arena_free(&a);
}

static void test_refusals(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct search_params p;
	static const char *const bad[][2] = {
		{ "q=%zz", "query" },
		{ "q=%4", "query" },
		{ "q=%00", "query" },
		{ "q=%ff%fe", "query" },
		{ "workplace=moon", "workplace" },
		{ "limit=0", "limit" },
		{ "min_salary=-5", "min_salary" },
		{ "sort=random", "sort" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&a, bad[i][0], &p), -1);
		assert_string_equal(p.bad_field, bad[i][1]);
		assert_true(p.message[0] != '\0');
	}
	char many[400] = "";
	for (int i = 0; i < SEARCH_PARAMS_MAX_PAIRS + 1; i++)
		memcpy(many + 4 * i, "a=1&", 5);
	assert_int_equal(parse(&a, many, &p), -1);
	char big[SEARCH_PARAMS_MAX_STRING + 8];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "q=", 2);
	assert_int_equal(parse(&a, big, &p), -1);
	arena_free(&a);
}

static void canonical(const char *qs, const char *want)
{
	struct arena a;
	arena_init(&a, 0);
	struct buf b;
	buf_init(&b, 8192);
	assert_int_equal(search_params_canonical_string(qs, &a, &b), 0);
	assert_string_equal(b.data ? b.data : "", want);
	buf_free(&b);
	arena_free(&a);
}

static void test_canonical(void **state)
{
	(void)state;
	/* fixed order, paging dropped, empty values dropped, values escaped */
	canonical("limit=5&workplace=remote&cursor=i1_2&offset=3&q=rust+engineer&city=",
		  "q=rust%20engineer&workplace=remote");
	canonical("q=c%2B%2B&company=Acme+%26+Co&city=M%C3%BCnchen",
		  "q=c%2B%2B&city=M%C3%BCnchen&company=Acme%20%26%20Co");
	canonical("sort=date&status=all&unknown=1", "status=all&sort=date");
	canonical("", "");
	/* its own canonical form */
	canonical("q=c%2B%2B&city=M%C3%BCnchen&company=Acme%20%26%20Co",
		  "q=c%2B%2B&city=M%C3%BCnchen&company=Acme%20%26%20Co");
}

/* A relevance cursor keeps its weights through its text, exactly; a
 * malformed or out-of-range one is refused. */
static void test_cursor_text(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct search_cursor c = { .set = true, .key = 3.1415926f, .posting_id = 42 };
	c.weights = (struct search_weights){ .set = true,
					     .docs = 12345,
					     .avg_len = { 4.25f, 1.9999999f, 3, 301.123f },
					     .nterms = 3,
					     .df = { 17, SEARCH_DF_UNKNOWN, 0 } };
	char text[SEARCH_CURSOR_MAX], qs[SEARCH_CURSOR_MAX + 16];
	search_cursor_text(&c, text);
	snprintf(qs, sizeof(qs), "q=rust&cursor=%s", text);
	struct search_params p;
	assert_int_equal(parse(&a, qs, &p), 0);
	assert_true(p.req.after.set);
	assert_true(p.req.after.key == c.key);
	assert_int_equal(p.req.after.posting_id, 42);
	assert_true(p.req.after.weights.set);
	assert_int_equal(p.req.after.weights.docs, 12345);
	assert_memory_equal(p.req.after.weights.avg_len, c.weights.avg_len, sizeof(c.weights.avg_len));
	assert_int_equal(p.req.after.weights.nterms, 3);
	assert_memory_equal(p.req.after.weights.df, c.weights.df, 3 * sizeof(uint32_t));
	/* without weights (date and salary sorts) as before */
	assert_int_equal(parse(&a, "cursor=i19000_7", &p), 0);
	assert_false(p.req.after.weights.set);
	static const char *const bad[] = { "cursor=i1_2~",
					   "cursor=i1_2~5",
					   "cursor=i1_2~5,1,2,3",
					   "cursor=i1_2~5,1,2,3,nan",
					   "cursor=i1_2~-5,1,2,3,4",
					   "cursor=i1_2~5,1,2,3,4,x",
					   "cursor=i1_2~5,1,2,3,4,99999999999",
					   "cursor=i1_2~5,1,2,3,1e12",
					   "cursor=i1~5,1,2,3,4" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&a, bad[i], &p), -1);
		assert_string_equal(p.bad_field, "cursor");
	}
	char many[SEARCH_CURSOR_MAX * 2] = "cursor=i1_2~5,1,2,3,4";
	size_t len = strlen(many);
	for (int i = 0; i <= QUERY_MAX_TERMS; i++)
		len += (size_t)snprintf(many + len, sizeof(many) - len, ",1");
	assert_int_equal(parse(&a, many, &p), -1);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_string),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_cursor_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
