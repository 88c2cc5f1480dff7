/* Every source adapter through the real scrape driver (scrape/run.h) and
 * fetch engine, against the project's fixtures served on loopback
 * (fixture_site.h): the adapter's requests — list pages, POST pages, detail
 * requests, feed and page URLs — go out over HTTP with robots.txt asked
 * first, and the postings come back finished (normalised and sanitised) as
 * a dry run hands them over. Each test checks that every page and detail
 * request reached the server and nothing else was asked for.
 * argv[1] is the fixture folder (tests/fixtures). */
#include <curl/curl.h>
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
#include "fixture_site.h"
#include "scrape/robots.h"
#include "scrape/run.h"

#define NOW ((time_t)1790424000) /* 2026-09-26T12:00:00Z */

static const char *fixtures = "tests/fixtures";
static struct robots_cache *robots;
static struct arena arena; /* the postings the tests keep, for the whole run */

/* ---- one run -------------------------------------------------------------- */

struct scraped {
	struct posting_list postings;
	struct scrape_report report;
};

static const char *keep_text(const char *s)
{
	return s ? arena_strdup(&arena, s) : NULL;
}

/* The driver's postings live for the call: the fields the tests read are copied. */
static void keep(const struct posting *p, void *ctx)
{
	struct scraped *out = ctx;
	struct posting *k = posting_list_add(&arena, &out->postings);
	assert_non_null(k);
	*k = *p;
	k->title = keep_text(p->title);
	k->company = keep_text(p->company);
	k->location.raw = keep_text(p->location.raw);
	k->location.locality = keep_text(p->location.locality);
	k->location.region = keep_text(p->location.region);
	k->description_html = keep_text(p->description_html);
	k->description_text = keep_text(p->description_text);
	k->apply_url = keep_text(p->apply_url);
	k->url = keep_text(p->url);
	k->source = keep_text(p->source);
	k->external_id = keep_text(p->external_id);
}

/* A dry run of one source whose API (or pages) the site serves. */
static struct scraped scrape(struct fixture_site *site, const char *kind, const char *target, const char *options)
{
	struct fetch_config fc;
	fetch_config_defaults(&fc);
	fc.robots_allowed = scrape_robots_hook;
	fc.robots_ctx = robots;
	fc.timeout_ms = 10000;
	fc.max_attempts = 1;
	struct scraped out;
	memset(&out, 0, sizeof(out));
	struct scrape_job job = {
		.src = { .name = kind,
			 .kind = kind,
			 .target = target,
			 .options_json = options,
			 .base_url = fixture_site_base(site),
			 .now = NOW },
		.delay_ms = FETCH_NO_DELAY,
		.fetch = &fc,
		.posting = keep,
		.posting_ctx = &out,
	};
	assert_int_equal(scrape_run(&job, &out.report), 0);
	if (strcmp(out.report.status, "ok") != 0)
		fail_msg("%s: the run is %s: %s", kind, out.report.status, out.report.message);
	assert_int_equal(out.report.failed, 0);
	assert_int_equal(out.report.parse_errors, 0);
	assert_int_equal(fixture_site_unrouted(site), 0);
	assert_true(fixture_site_hits(site, "/robots.txt") >= 1); /* asked before the first request */
	return out;
}

static const struct posting *find(const struct scraped *s, const char *external_id)
{
	for (size_t i = 0; i < s->postings.count; i++)
		if (s->postings.items[i].external_id && strcmp(s->postings.items[i].external_id, external_id) == 0)
			return &s->postings.items[i];
	fail_msg("no posting %s", external_id);
	return NULL;
}

/* What every finished posting carries: its source, an id, a title, a page,
 * an apply link, and a description only as sanitised HTML with its text. */
static void assert_finished(const struct scraped *s, const char *source, size_t count)
{
	if (s->postings.count != count)
		fail_msg("%s: %zu postings, want %zu", source, s->postings.count, count);
	assert_int_equal(s->report.published, 0); /* a dry run */
	for (size_t i = 0; i < s->postings.count; i++) {
		const struct posting *p = &s->postings.items[i];
		assert_string_equal(p->source, source);
		assert_non_null(p->external_id);
		assert_true(p->title && p->title[0]);
		if (strcmp(source, "xpath") != 0 && strcmp(source, "rss") != 0) {
			assert_non_null(p->url);
			assert_non_null(p->apply_url);
		}
		if (p->description_html) {
			assert_null(strstr(p->description_html, "<script"));
			assert_null(strstr(p->description_html, "&lt;")); /* entity-escaped HTML was unescaped */
			assert_non_null(p->description_text);
		}
	}
}

static void assert_hits(struct fixture_site *site, const char *target, size_t n)
{
	size_t got = fixture_site_hits(site, target);
	if (got != n)
		fail_msg("%zu requests to %s, want %zu", got, target, n);
}

static struct fixture_site *serve(const struct fixture_route *routes, size_t n)
{
	struct fixture_site *site = fixture_site_start(fixtures, routes, n);
	assert_non_null(site);
	return site;
}

#define SERVE(routes) serve(routes, sizeof(routes) / sizeof(routes[0]))

/* ---- the ATS boards ----------------------------------------------------- */

static void test_greenhouse(void **state)
{
	(void)state;
	static const struct fixture_route routes[] = {
		{ "/v1/boards/northwind/jobs?content=true&pay_transparency=true", NULL, "sources/greenhouse.json", NULL,
		  0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "greenhouse", "northwind", NULL);
	assert_finished(&s, "greenhouse", 2);
	assert_int_equal(s.report.warnings, 1); /* the job without a title */
	assert_true(s.report.complete_listing);
	const struct posting *p = find(&s, "7012345001");
	assert_string_equal(p->location.country, "GB");
	assert_int_equal(p->workplace, WORKPLACE_HYBRID);
	assert_true(p->salary.present && p->salary.min == 75000 && p->salary.max == 105000);
	assert_string_equal(p->salary.currency, "GBP");
	assert_non_null(strstr(p->description_html, "<strong>40,000</strong>"));
	assert_hits(site, "/v1/", 1);
	fixture_site_stop(site);
}

/* A full page of 100 postings, so Lever is asked for the next. */
static const char *lever_full_page(void)
{
	struct buf b;
	buf_init(&b, 1u << 20);
	buf_putc(&b, '[');
	for (int i = 0; i < 100; i++)
		buf_printf(&b,
			   "%s{\"id\":\"page1-%03d\",\"text\":\"Engineer %d\",\"createdAt\":1790000000000,"
			   "\"categories\":{\"location\":\"Austin, TX\",\"commitment\":\"Full-time\"},"
			   "\"hostedUrl\":\"https://jobs.lever.co/acme/page1-%03d\"}",
			   i ? "," : "", i, i, i);
	buf_putc(&b, ']');
	const char *page = buf_failed(&b) ? NULL : arena_strndup(&arena, b.data, b.len);
	buf_free(&b);
	assert_non_null(page);
	return page;
}

static void test_lever_pages_and_eu_host(void **state)
{
	(void)state;
	/* The EU host is the one the start request names without a base_url … */
	const struct source_adapter *ad = source_adapter_find("lever");
	struct source_config eu = { .name = "eu", .kind = "lever", .target = "eu:acme", .now = NOW };
	struct source_request_list first = { 0 };
	char err[256];
	assert_int_equal(ad->start(&arena, &eu, &first, err, sizeof(err)), 0);
	assert_string_equal(first.items[0].url, "https://api.eu.lever.co/v0/postings/acme?mode=json&skip=0&limit=100");

	/* … and through base_url, a full first page leads to the second. */
	struct fixture_route routes[] = {
		{ "/v0/postings/acme?mode=json&skip=0&limit=100", NULL, NULL, lever_full_page(), 0 },
		{ "/v0/postings/acme?mode=json&skip=100&limit=100", NULL, "sources/lever.json", NULL, 0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "lever", "eu:acme", NULL);
	assert_finished(&s, "lever", 102);
	assert_true(s.report.complete_listing); /* the second page was short */
	assert_hits(site, "/v0/postings/acme?mode=json&skip=0&", 1);
	assert_hits(site, "/v0/postings/acme?mode=json&skip=100&", 1);
	const struct posting *p = find(&s, "page1-042");
	assert_string_equal(p->company, "Acme"); /* the site's name, "eu:" aside */
	assert_string_equal(p->location.country, "US");
	assert_string_equal(p->date_posted, "2026-09-21"); /* createdAt 1790000000000 ms */
	fixture_site_stop(site);
}

static void test_ashby_and_recruitee(void **state)
{
	(void)state;
	static const struct fixture_route routes[] = {
		{ "/posting-api/job-board/linear?includeCompensation=true", NULL, "sources/ashby.json", NULL, 0 },
		{ "/api/offers/", NULL, "sources/recruitee.json", NULL, 0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "ashby", "linear", NULL);
	assert_true(s.postings.count >= 2);
	assert_finished(&s, "ashby", s.postings.count);
	assert_hits(site, "/posting-api/", 1);
	bool salaried = false;
	for (size_t i = 0; i < s.postings.count; i++)
		salaried |= s.postings.items[i].salary.present;
	assert_true(salaried);

	s = scrape(site, "recruitee", "channable", NULL);
	assert_true(s.postings.count >= 1);
	assert_finished(&s, "recruitee", s.postings.count);
	assert_hits(site, "/api/offers/", 1);
	fixture_site_stop(site);
}

static void test_smartrecruiters_pages_and_details(void **state)
{
	(void)state;
#define SR "/v1/companies/NorthwindGames/postings"
	static const struct fixture_route routes[] = {
		{ SR "?limit=100&offset=0", NULL, "sources/smartrecruiters/list_0.json", NULL, 0 },
		{ SR "?limit=100&offset=2", NULL, "sources/smartrecruiters/list_2.json", NULL, 0 },
		{ SR "/744000200000101", NULL, "sources/smartrecruiters/detail_744000200000101.json", NULL, 0 },
		{ SR "/744000200000102", NULL, "sources/smartrecruiters/detail_744000200000102.json", NULL, 0 },
		{ SR "/744000200000103", NULL, "sources/smartrecruiters/detail_744000200000103.json", NULL, 0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "smartrecruiters", "NorthwindGames", NULL);
	assert_finished(&s, "smartrecruiters", 3);
	assert_hits(site, SR "?", 2); /* two list pages */
	assert_hits(site, SR "/", 3); /* a detail for each listed posting */
	assert_true(s.report.complete_listing);
	const struct posting *p = find(&s, "744000200000101");
	assert_string_equal(p->location.country, "CA");
	assert_non_null(strstr(p->description_html, "<h3>Company Description</h3>"));
#undef SR
	fixture_site_stop(site);
}

static void test_workable_pages_and_details(void **state)
{
	(void)state;
#define WK     "/api/v3/accounts/acme-logistics/jobs"
#define WK_JOB "/api/v2/accounts/acme-logistics/jobs/"
	static const struct fixture_route routes[] = {
		{ WK, "WzE3NzgxNzYwMDAwMDAsNDEyMDAwMl0=", "sources/workable/list_2.json", NULL, 0 },
		{ WK, "\"query\":\"\"", "sources/workable/list_1.json", NULL, 0 },
		{ WK_JOB "8F2A1C0D3E", NULL, "sources/workable/detail_8F2A1C0D3E.json", NULL, 0 },
		{ WK_JOB "1B7E99AF02", NULL, "sources/workable/detail_1B7E99AF02.json", NULL, 0 },
		{ WK_JOB "C0FFEE1234", NULL, "sources/workable/detail_C0FFEE1234.json", NULL, 0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "workable", "acme-logistics", NULL);
	assert_finished(&s, "workable", 3);
	assert_hits(site, WK, 2);     /* the first page, then the one its token names (POSTs) */
	assert_hits(site, WK_JOB, 3); /* the details */
	assert_true(s.report.complete_listing);
#undef WK
#undef WK_JOB
	fixture_site_stop(site);
}

static void test_workday_pages_and_details(void **state)
{
	(void)state;
#define WD "/wday/cxs/contoso/External"
	static const struct fixture_route routes[] = {
		{ WD "/jobs", "\"offset\":0,", "sources/workday/list_0.json", NULL, 0 },
		{ WD "/jobs", "\"offset\":20,", "sources/workday/list_20.json", NULL, 0 },
		{ WD "/job/Vietnam-Hanoi/Director--Engineering---Platform-Reliability_JR2030001", NULL,
		  "sources/workday/detail_JR2030001.json", NULL, 0 },
		{ WD "/job/Poland-Remote/Senior-System-Engineer--Solutions_JR2030002", NULL,
		  "sources/workday/detail_JR2030002.json", NULL, 0 },
		{ WD "/job/Israel-Tel-Aviv/Payroll-Specialist--Part-Time-_JR2030003", NULL,
		  "sources/workday/detail_JR2030003.json", NULL, 0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "workday", "https://contoso.wd5.myworkdayjobs.com/en-US/External", NULL);
	assert_finished(&s, "workday", 3);
	assert_hits(site, WD "/jobs", 2); /* two POSTed list pages */
	assert_hits(site, WD "/job/", 3); /* a detail request for each posting */
	assert_true(s.report.complete_listing);
	const struct posting *p = find(&s, "JR2030002");
	assert_int_equal(p->workplace, WORKPLACE_REMOTE);
#undef WD
	fixture_site_stop(site);
}

static void test_personio_feed(void **state)
{
	(void)state;
	static const struct fixture_route routes[] = {
		{ "/xml?language=en", NULL, "sources/personio/feed.xml", NULL, 0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "personio", "kontor-labs", NULL);
	assert_finished(&s, "personio", 3);
	assert_hits(site, "/xml", 1);
	for (size_t i = 0; i < s.postings.count; i++)
		assert_non_null(strstr(s.postings.items[i].url, "https://kontor-labs.jobs.personio.de/job/"));
	fixture_site_stop(site);
}

/* ---- feeds, threads, searches and pages ---------------------------------- */

static void test_feeds(void **state)
{
	(void)state;
	static const struct fixture_route routes[] = {
		{ "/categories/remote-programming-jobs.rss", NULL, "sources/rss/wwr.rss", NULL, 0 },
		{ "/jobs.atom", NULL, "sources/rss/jobs.atom", NULL, 0 },
		{ "/api/remote-jobs", NULL, "sources/remotive.json", NULL, 0 },
		{ "/api", NULL, "sources/remoteok.json", NULL, 0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s =
	    scrape(site, "rss", "https://weworkremotely.com/categories/remote-programming-jobs.rss", NULL);
	assert_finished(&s, "rss", 3);
	for (size_t i = 0; i < s.postings.count; i++)
		assert_int_equal(s.postings.items[i].workplace, WORKPLACE_REMOTE);
	s = scrape(site, "rss", "https://careers.fabrikam.example/jobs.atom", NULL);
	assert_finished(&s, "rss", 3);
	assert_hits(site, "/categories/", 1);
	assert_hits(site, "/jobs.atom", 1);

	s = scrape(site, "remotive", NULL, NULL);
	assert_true(s.postings.count >= 1);
	assert_finished(&s, "remotive", s.postings.count);
	s = scrape(site, "remoteok", NULL, NULL);
	assert_true(s.postings.count >= 1);
	assert_finished(&s, "remoteok", s.postings.count);
	for (size_t i = 0; i < s.postings.count; i++)
		assert_int_equal(s.postings.items[i].workplace, WORKPLACE_REMOTE);
	assert_hits(site, "/api/remote-jobs", 1);
	assert_hits(site, "/api", 2); /* Remotive's and Remote OK's */
	fixture_site_stop(site);
}

static void test_hackernews_search_then_thread(void **state)
{
	(void)state;
	static const struct fixture_route routes[] = {
		{ "/api/v1/search_by_date?tags=story,author_whoishiring&query=who%20is%20hiring&hitsPerPage=20", NULL,
		  "sources/hackernews/search.json", NULL, 0 },
		{ "/api/v1/items/49522897", NULL, "sources/hackernews/thread.json", NULL, 0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "hackernews", NULL, NULL);
	assert_true(s.postings.count >= 3);
	assert_finished(&s, "hackernews", s.postings.count);
	assert_hits(site, "/api/v1/search_by_date", 1);
	assert_hits(site, "/api/v1/items/49522897", 1);
	fixture_site_stop(site);
}

static void test_linkedin_pages_and_details(void **state)
{
	(void)state;
#define LI     "/jobs-guest/jobs/api/seeMoreJobPostings/search?keywords=rust&location=Berlin"
#define LI_JOB "/jobs-guest/jobs/api/jobPosting/"
	static const struct fixture_route routes[] = {
		{ LI "&start=0", NULL, "sources/linkedin/page_0.html", NULL, 0 },
		{ LI "&start=3", NULL, "sources/linkedin/page_3.html", NULL, 0 },
		{ LI "&start=4", NULL, "sources/linkedin/page_4.html", NULL, 0 },
		{ LI_JOB "4470000001", NULL, "sources/linkedin/detail_4470000001.html", NULL, 0 },
		{ LI_JOB "4470000002", NULL, "sources/linkedin/detail_4470000002.html", NULL, 0 },
		{ LI_JOB "4470000003", NULL, "sources/linkedin/detail_4470000001.html", NULL, 0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "linkedin", "keywords=rust&location=Berlin", "{\"details\": true}");
	assert_finished(&s, "linkedin", 2);
	assert_int_equal(s.report.warnings, 1); /* the sign-in wall */
	assert_hits(site, LI, 3);               /* start advances by the cards each page held */
	assert_hits(site, LI_JOB, 3);
	assert_string_equal(find(&s, "4470000001")->location.country, "DE");
#undef LI
#undef LI_JOB
	fixture_site_stop(site);
}

static void test_xpath_pages(void **state)
{
	(void)state;
	static const struct fixture_route routes[] = {
		{ "/careers", NULL, "sources/xpath/page1.html", NULL, 0 },
		{ "/careers?page=2", NULL, "sources/xpath/page2.html", NULL, 0 },
	};
	static const char options[] = "{\"item\": \"//li[contains(@class,'opening')]\", \"title\": \".//h3\","
				      " \"url\": \".//h3/a/@href\", \"id\": \"@data-job-id\","
				      " \"location\": \".//*[@class='opening__place']\","
				      " \"salary\": \".//*[@class='opening__pay']\","
				      " \"description\": \".//div[@class='opening__summary']\","
				      " \"next\": \"//a[@rel='next']/@href\"}";
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "xpath", "https://wingtip.example/careers", options);
	assert_finished(&s, "xpath", 3);
	assert_hits(site, "/careers", 2); /* the next link followed */
	assert_hits(site, "/careers?page=2", 1);
	assert_true(s.report.complete_listing);
	fixture_site_stop(site);
}

static void test_jsonld_page(void **state)
{
	(void)state;
	static const struct fixture_route routes[] = {
		{ "/careers/backend", NULL, "jsonld/career_graph.html", NULL, 0 },
	};
	struct fixture_site *site = SERVE(routes);
	struct scraped s = scrape(site, "jsonld", "https://northwind.example/careers/backend", NULL);
	assert_finished(&s, "jsonld", 1);
	const struct posting *p = &s.postings.items[0];
	assert_string_equal(p->company, "Northwind GmbH");
	assert_string_equal(p->location.country, "DE");
	assert_hits(site, "/careers/backend", 1);
	fixture_site_stop(site);
}

/* Every adapter has its test above: a new adapter needs one. */
static void test_every_adapter_is_driven(void **state)
{
	(void)state;
	static const char *const driven[] = { "greenhouse", "lever",      "ashby",    "recruitee", "smartrecruiters",
					      "workable",   "personio",   "workday",  "rss",       "remotive",
					      "remoteok",   "hackernews", "linkedin", "xpath",     "jsonld" };
	size_t n;
	const struct source_adapter *const *all = source_adapters(&n);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t j = 0; j < sizeof(driven) / sizeof(driven[0]); j++)
			found |= strcmp(all[i]->name, driven[j]) == 0;
		if (!found)
			fail_msg("the %s adapter is not driven through the fetch engine here", all[i]->name);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		fixtures = argv[1];
	curl_global_init(CURL_GLOBAL_DEFAULT);
	robots = scrape_robots_cache_new(NULL);
	if (!robots)
		return 1;
	arena_init(&arena, 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greenhouse),
		cmocka_unit_test(test_lever_pages_and_eu_host),
		cmocka_unit_test(test_ashby_and_recruitee),
		cmocka_unit_test(test_smartrecruiters_pages_and_details),
		cmocka_unit_test(test_workable_pages_and_details),
		cmocka_unit_test(test_workday_pages_and_details),
		cmocka_unit_test(test_personio_feed),
		cmocka_unit_test(test_feeds),
		cmocka_unit_test(test_hackernews_search_then_thread),
		cmocka_unit_test(test_linkedin_pages_and_details),
		cmocka_unit_test(test_xpath_pages),
		cmocka_unit_test(test_jsonld_page),
		cmocka_unit_test(test_every_adapter_is_driven),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&arena);
	robots_cache_free(robots);
	curl_global_cleanup();
	return rc;
}
