/* Unit tests for the first source adapters (src/scrape/sources/): each runs
 * over a fixture payload written for this project (tests/fixtures/sources/,
 * shaped like the real APIs' answers) and must produce the normalised
 * postings a user would expect; plus URL detection, request building and
 * pagination. argv[1] is the fixture folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scrape/source.h"

static const char *fixture_dir;
static struct arena arena;

static char *read_fixture(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", fixture_dir, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *data = arena_alloc_raw(&arena, (size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return data;
}

/* 2026-12-06 12:00 UTC: the reference for relative dates. */
#define NOW ((time_t)1796558400)

static struct source_config config(const char *kind, const char *target)
{
	return (struct source_config){ .name = "test", .kind = kind, .target = target, .now = NOW };
}

/* Runs start, then parse on the fixture body, and returns the result. */
static struct source_result run(const char *kind, const char *target, const char *fixture, const char **first_url)
{
	const struct source_adapter *ad = source_adapter_find(kind);
	assert_non_null(ad);
	struct source_config src = config(kind, target);
	struct source_request_list reqs = { 0 };
	char err[256] = "";
	assert_int_equal(ad->start(&arena, &src, &reqs, err, sizeof(err)), 0);
	assert_int_equal(reqs.count, 1);
	if (first_url)
		*first_url = reqs.items[0].url;
	size_t len;
	const char *body = read_fixture(fixture, &len);
	struct source_response res = {
		.request = &reqs.items[0], .url = reqs.items[0].url, .status = 200, .body = body, .len = len
	};
	struct source_result out = { 0 };
	int rc = ad->parse(&arena, &src, &res, &out, err, sizeof(err));
	if (rc != 0)
		fail_msg("%s: %s", kind, err);
	return out;
}

static const struct posting *by_id(const struct source_result *r, const char *id)
{
	for (size_t i = 0; i < r->postings.count; i++)
		if (strcmp(r->postings.items[i].external_id, id) == 0)
			return &r->postings.items[i];
	fail_msg("no posting %s", id);
	return NULL;
}

static void test_greenhouse(void **state)
{
	(void)state;
	const char *url;
	struct source_result r = run("greenhouse", "northwind", "greenhouse.json", &url);
	assert_string_equal(
	    url, "https://boards-api.greenhouse.io/v1/boards/northwind/jobs?content=true&pay_transparency=true");
	assert_int_equal(r.postings.count, 2);
	assert_int_equal(r.warnings, 1); /* the job without a title */
	assert_true(r.complete_listing);
	const struct posting *p = by_id(&r, "7012345001");
	assert_string_equal(p->source, "greenhouse");
	assert_string_equal(p->title, "Senior Backend Engineer, Payments");
	assert_string_equal(p->company, "Northwind Trading");
	assert_int_equal(p->workplace, WORKPLACE_HYBRID);
	assert_string_equal(p->location.raw, "Hybrid - London");
	assert_string_equal(p->location.locality, "London");
	assert_string_equal(p->location.country, "GB");
	assert_int_equal(p->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(p->date_posted, "2026-11-02");
	assert_string_equal(p->valid_through, "2027-01-15");
	assert_non_null(strstr(p->description_html, "&lt;strong&gt;40,000")); /* unescaped later, centrally */
	assert_string_equal(p->url, "https://job-boards.greenhouse.io/northwind/jobs/7012345001");
	/* Pay zones in cents: the two in pounds spanned, the one in dollars left out. */
	assert_true(p->salary.present);
	assert_true(p->salary.min == 75000 && p->salary.max == 105000);
	assert_string_equal(p->salary.currency, "GBP");
	assert_int_equal(p->salary.period, SALARY_PERIOD_YEAR);
	const struct posting *q = by_id(&r, "7012345002");
	/* Cents as text, a reversed range, the period in the zone's title. */
	assert_true(q->salary.present);
	assert_true(q->salary.min == 45 && q->salary.max == 52);
	assert_string_equal(q->salary.currency, "EUR");
	assert_int_equal(q->salary.period, SALARY_PERIOD_HOUR);
	assert_int_equal(q->workplace, WORKPLACE_REMOTE);
	assert_string_equal(q->location.country, "DE");
	assert_string_equal(q->date_posted, "2026-11-25"); /* no first_published: updated_at */
	assert_int_equal(q->employment_types, 0);
	assert_string_equal(q->apply_url, "https://northwind.example/careers?gh_jid=7012345002");
}

static void test_greenhouse_rejects_other_payloads(void **state)
{
	(void)state;
	const struct source_adapter *ad = source_adapter_find("greenhouse");
	struct source_config src = config("greenhouse", "x");
	struct source_result out = { 0 };
	char err[256] = "";
	static const char *const bodies[] = { "<html>Not found</html>", "{\"status\":404}", "[1,2]", "" };
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct source_response res = { .status = 200, .body = bodies[i], .len = strlen(bodies[i]) };
		err[0] = '\0';
		assert_true(ad->parse(&arena, &src, &res, &out, err, sizeof(err)) < 0);
		assert_true(strlen(err) > 10);
	}
	assert_int_equal(out.postings.count, 0);
	src.target = "";
	struct source_request_list reqs = { 0 };
	assert_true(ad->start(&arena, &src, &reqs, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "board token"));
}

/* One job's detail payload, parsed as the answer to the list request with
 * no target (as `jobtrack extract --source ADAPTER FILE` hands it over):
 * one posting, and never a complete listing (a live run must not close
 * the board's other jobs on it). */
static const struct posting *one_job(const char *kind, const char *fixture)
{
	const struct source_adapter *ad = source_adapter_find(kind);
	assert_non_null(ad);
	struct source_config src = config(kind, NULL);
	size_t len;
	const char *body = read_fixture(fixture, &len);
	struct source_response res = { .status = 200, .body = body, .len = len };
	struct source_result *out = arena_alloc(&arena, sizeof(*out));
	assert_non_null(out);
	char err[256] = "";
	if (ad->parse(&arena, &src, &res, out, err, sizeof(err)) != 0)
		fail_msg("%s: %s", kind, err);
	assert_int_equal(out->postings.count, 1);
	assert_false(out->complete_listing);
	assert_int_equal(out->next.count, 0);
	return &out->postings.items[0];
}

static void test_single_job_payloads(void **state)
{
	(void)state;
	const struct posting *p = one_job("greenhouse", "detail/greenhouse.json");
	assert_string_equal(p->external_id, "7099000123");
	assert_string_equal(p->title, "Data Engineer, Risk");
	assert_string_equal(p->company, "Tailwind Freight");
	assert_int_equal(p->workplace, WORKPLACE_REMOTE);
	assert_string_equal(p->location.country, "PT");
	assert_int_equal(p->employment_types, EMPLOYMENT_CONTRACTOR);
	assert_string_equal(p->date_posted, "2026-11-21");
	p = one_job("lever", "detail/lever.json");
	assert_string_equal(p->external_id, "8a7b6c5d-1111-4ccc-9ddd-000000000042");
	assert_string_equal(p->title, "Site Reliability Engineer");
	assert_null(p->company); /* no site name to take it from */
	assert_string_equal(p->location.country, "DE");
	assert_string_equal(p->apply_url, "https://jobs.lever.co/wingtip/8a7b6c5d-1111-4ccc-9ddd-000000000042/apply");
	p = one_job("recruitee", "detail/recruitee.json");
	assert_string_equal(p->external_id, "3200042");
	assert_string_equal(p->company, "Litware");
	assert_int_equal(p->workplace, WORKPLACE_HYBRID);
	assert_true(p->salary.present);
	/* An object that is not a job is still refused, not read as one. */
	const struct source_adapter *gh = source_adapter_find("greenhouse");
	struct source_config src = config("greenhouse", "x");
	struct source_result out = { 0 };
	char err[256] = "";
	static const char body[] = "{\"id\":1}";
	struct source_response res = { .status = 200, .body = body, .len = strlen(body) };
	assert_true(gh->parse(&arena, &src, &res, &out, err, sizeof(err)) < 0);
}

static void test_lever(void **state)
{
	(void)state;
	const char *url;
	struct source_result r = run("lever", "fabrikam", "lever.json", &url);
	assert_string_equal(url, "https://api.lever.co/v0/postings/fabrikam?mode=json&skip=0&limit=100");
	assert_int_equal(r.postings.count, 2);
	assert_true(r.complete_listing); /* a short page is the last */
	assert_int_equal(r.next.count, 0);
	const struct posting *p = by_id(&r, "5f1c2d3e-0000-4aaa-8bbb-000000000001");
	assert_string_equal(p->title, "Android Engineer - Checkout");
	assert_string_equal(p->company, "Fabrikam");
	assert_int_equal(p->workplace, WORKPLACE_HYBRID);
	assert_string_equal(p->location.locality, "Stockholm");
	assert_string_equal(p->location.country, "SE");
	assert_true(p->employment_types & EMPLOYMENT_FULL_TIME);
	assert_string_equal(p->date_posted, "2026-11-03"); /* createdAt is epoch milliseconds */
	assert_true(p->salary.present);
	assert_true(p->salary.min == 55000 && p->salary.max == 70000);
	assert_string_equal(p->salary.currency, "SEK");
	assert_int_equal(p->salary.period, SALARY_PERIOD_MONTH);
	/* description, then each list as a heading and a real <ul>, then additional */
	const char *d = p->description_html;
	assert_non_null(strstr(d, "<h3>What you'll do</h3><ul><li>Ship Kotlin features weekly</li>"));
	assert_true(strstr(d, "30 million") < strstr(d, "Who you are"));
	assert_true(strstr(d, "Who you are") < strstr(d, "parental leave"));
	assert_string_equal(p->apply_url, "https://jobs.lever.co/fabrikam/5f1c2d3e-0000-4aaa-8bbb-000000000001/apply");
	const struct posting *q = by_id(&r, "5f1c2d3e-0000-4aaa-8bbb-000000000002");
	assert_int_equal(q->workplace, WORKPLACE_REMOTE);
	assert_int_equal(q->employment_types, EMPLOYMENT_PART_TIME);
	assert_string_equal(q->location.country, "US");
	assert_string_equal(q->apply_url, q->url); /* no applyUrl: the posting page */
}

static void test_lever_pages_and_eu(void **state)
{
	(void)state;
	const struct source_adapter *ad = source_adapter_find("lever");
	struct source_config src = config("lever", "eu:fabrikam");
	struct source_request_list reqs = { 0 };
	char err[256];
	assert_int_equal(ad->start(&arena, &src, &reqs, err, sizeof(err)), 0);
	assert_string_equal(reqs.items[0].url,
			    "https://api.eu.lever.co/v0/postings/fabrikam?mode=json&skip=0&limit=100");
	/* A full page asks for the next one and is not yet the complete listing. */
	struct buf body;
	buf_init(&body, 1 << 20);
	buf_putc(&body, '[');
	for (int i = 0; i < 100; i++)
		buf_printf(&body, "%s{\"id\":\"id-%d\",\"text\":\"Job %d\"}", i ? "," : "", i, i);
	buf_putc(&body, ']');
	struct source_response res = { .request = &reqs.items[0], .status = 200, .body = body.data, .len = body.len };
	struct source_result out = { 0 };
	assert_int_equal(ad->parse(&arena, &src, &res, &out, err, sizeof(err)), 0);
	assert_int_equal(out.postings.count, 100);
	assert_false(out.complete_listing);
	assert_int_equal(out.next.count, 1);
	assert_string_equal(out.next.items[0].url,
			    "https://api.eu.lever.co/v0/postings/fabrikam?mode=json&skip=100&limit=100");
	/* The page cap stops pagination without claiming completeness. */
	src.max_pages = 2;
	struct source_response res2 = res;
	res2.request = &out.next.items[0];
	struct source_result out2 = { 0 };
	assert_int_equal(ad->parse(&arena, &src, &res2, &out2, err, sizeof(err)), 0);
	assert_int_equal(out2.next.count, 0);
	assert_false(out2.complete_listing);
	buf_free(&body);
}

static void test_ashby(void **state)
{
	(void)state;
	struct source_result r = run("ashby", "contoso", "ashby.json", NULL);
	assert_int_equal(r.postings.count, 3); /* the unlisted job is not public */
	assert_int_equal(r.warnings, 0);
	const struct posting *p = by_id(&r, "a1b2c3d4-0000-4000-8000-000000000001");
	assert_string_equal(p->company, "Contoso");
	assert_int_equal(p->workplace, WORKPLACE_HYBRID);
	assert_string_equal(p->location.locality, "New York");
	assert_string_equal(p->location.country, "US");
	assert_int_equal(p->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(p->date_posted, "2026-10-30");
	assert_true(p->salary.present); /* the Salary component, not the equity one */
	assert_true(p->salary.min == 190000 && p->salary.max == 230000);
	assert_string_equal(p->salary.currency, "USD");
	assert_int_equal(p->salary.period, SALARY_PERIOD_YEAR);
	const struct posting *q = by_id(&r, "a1b2c3d4-0000-4000-8000-000000000003");
	assert_int_equal(q->workplace, WORKPLACE_REMOTE);
	assert_int_equal(q->employment_types, EMPLOYMENT_CONTRACTOR);
	assert_string_equal(q->location.country, ""); /* "European Union" is not a country */
	assert_false(q->salary.present);
	assert_string_equal(q->apply_url, q->url);
	/* A postal address with a region and no country: the region's. */
	const struct posting *t = by_id(&r, "a1b2c3d4-0000-4000-8000-000000000004");
	assert_string_equal(t->location.locality, "Toronto");
	assert_string_equal(t->location.region, "ON");
	assert_string_equal(t->location.country, "CA");
	assert_int_equal(t->workplace, WORKPLACE_ONSITE);
}

static void test_recruitee(void **state)
{
	(void)state;
	const char *url;
	struct source_result r = run("recruitee", "tailspin", "recruitee.json", &url);
	assert_string_equal(url, "https://tailspin.recruitee.com/api/offers/");
	assert_int_equal(r.postings.count, 2); /* the draft is not published */
	const struct posting *p = by_id(&r, "3100001");
	assert_int_equal(p->workplace, WORKPLACE_HYBRID);
	assert_string_equal(p->location.locality, "Utrecht");
	assert_string_equal(p->location.country, "NL");
	assert_true(p->employment_types & EMPLOYMENT_PART_TIME);
	assert_true(p->salary.present);
	assert_true(p->salary.min == 1800 && p->salary.max == 2400); /* "1.800": a thousands separator */
	assert_string_equal(p->salary.currency, "EUR");
	assert_int_equal(p->salary.period, SALARY_PERIOD_MONTH);
	assert_string_equal(p->date_posted, "2026-11-18");
	assert_string_equal(p->valid_through, "2027-02-01");
	assert_non_null(strstr(p->description_html, "campagnes"));
	assert_non_null(strstr(p->description_html, "<li>Student</li>"));
	const struct posting *q = by_id(&r, "3100003");
	assert_int_equal(q->workplace, WORKPLACE_ONSITE);
	assert_false(q->salary.present); /* null amounts */
	assert_int_equal(q->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(q->location.country, "BE");
}

static void test_remotive(void **state)
{
	(void)state;
	const char *url;
	struct source_result r = run("remotive", "", "remotive.json", &url);
	assert_string_equal(url, "https://remotive.com/api/remote-jobs");
	assert_int_equal(r.postings.count, 2);
	const struct posting *p = by_id(&r, "2200001");
	assert_int_equal(p->workplace, WORKPLACE_REMOTE);
	assert_int_equal(p->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(p->date_posted, "2026-11-28");
	assert_true(p->salary.present);
	assert_true(p->salary.min == 80000 && p->salary.max == 95000);
	assert_string_equal(p->salary.currency, "EUR");
	const struct posting *q = by_id(&r, "2200002");
	assert_int_equal(q->workplace, WORKPLACE_REMOTE);
	assert_false(q->salary.present);
	assert_int_equal(q->employment_types, 0);
	const struct source_adapter *ad = source_adapter_find("remotive");
	assert_true(ad->min_interval_s >= 6 * 3600); /* at most four fetches a day */
	assert_non_null(ad->attribution);
}

static void test_remoteok(void **state)
{
	(void)state;
	struct source_result r = run("remoteok", NULL, "remoteok.json", NULL);
	assert_int_equal(r.postings.count, 2); /* not the legal notice */
	const struct posting *p = by_id(&r, "1300001");
	assert_string_equal(p->title, "Senior Go Developer");
	assert_string_equal(p->company, "Adatum");
	assert_int_equal(p->workplace, WORKPLACE_REMOTE);
	assert_string_equal(p->date_posted, "2026-11-28");
	assert_true(p->salary.present && p->salary.min == 120000 && p->salary.max == 160000);
	assert_string_equal(p->salary.currency, "USD");
	assert_int_equal(p->salary.period, SALARY_PERIOD_YEAR);
	const struct posting *q = by_id(&r, "1300002"); /* a numeric id */
	assert_false(q->salary.present);                /* 0 means not stated */
	assert_string_equal(q->apply_url, q->url);
	assert_string_equal(q->date_posted, "2026-11-27");
}

static void test_detect(void **state)
{
	(void)state;
	static const struct {
		const char *url, *adapter, *target;
	} cases[] = {
		{ "https://boards.greenhouse.io/vercel", "greenhouse", "vercel" },
		{ "https://job-boards.greenhouse.io/vercel/jobs/6136160004?gh_src=x", "greenhouse", "vercel" },
		{ "https://boards.greenhouse.io/embed/job_board?for=acme&b=https://acme.com", "greenhouse", "acme" },
		{ "https://jobs.lever.co/spotify/2193db3f-77c5", "lever", "spotify" },
		{ "https://jobs.eu.lever.co/mistral", "lever", "eu:mistral" },
		{ "https://jobs.ashbyhq.com/linear/d3bc1ced", "ashby", "linear" },
		{ "https://channable.recruitee.com/o/customer-success", "recruitee", "channable" },
		/* Any other page: the schema.org adapter, last of all, reads it. */
		{ "https://example.com/careers", "jsonld", "https://example.com/careers" },
		{ "https://recruitee.com/", "jsonld", "https://recruitee.com/" },
		{ "ftp://example.com/careers", NULL, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *target = NULL;
		const struct source_adapter *ad = source_adapter_detect(&arena, cases[i].url, &target);
		if (!cases[i].adapter) {
			if (ad)
				fail_msg("%s detected as %s", cases[i].url, ad->name);
			continue;
		}
		if (!ad)
			fail_msg("%s not detected", cases[i].url);
		assert_string_equal(ad->name, cases[i].adapter);
		assert_string_equal(target, cases[i].target);
	}
}

static void test_base_url_and_escaping(void **state)
{
	(void)state;
	const struct source_adapter *ad = source_adapter_find("greenhouse");
	struct source_config src = config("greenhouse", "a b/../c");
	src.base_url = "http://127.0.0.1:8999/";
	struct source_request_list reqs = { 0 };
	char err[256];
	assert_int_equal(ad->start(&arena, &src, &reqs, err, sizeof(err)), 0);
	/* A target can never leave its path segment. */
	assert_string_equal(reqs.items[0].url,
			    "http://127.0.0.1:8999/v1/boards/a%20b%2F..%2Fc/jobs?content=true&pay_transparency=true");
}

static int setup(void **state)
{
	(void)state;
	arena_init(&arena, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

int main(int argc, char **argv)
{
	fixture_dir = argc > 1 ? argv[1] : "tests/fixtures/sources";
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_greenhouse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_greenhouse_rejects_other_payloads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_job_payloads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lever, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lever_pages_and_eu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ashby, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recruitee, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remotive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remoteok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_url_and_escaping, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
