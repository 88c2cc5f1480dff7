/* Unit tests for the source adapters in src/scrape/sources/ that read
 * SmartRecruiters, Workable, Personio, Workday, RSS/Atom feeds, Hacker News,
 * LinkedIn's guest search and XPath-configured pages.
 *
 * Each adapter runs as the scrape driver would run it: start() gives the
 * first requests, every request is answered from a fixture file chosen by
 * its URL (and POST body), and parse() turns the answer into postings and
 * follow-up requests, which are answered in turn. Fixtures live in
 * tests/fixtures/sources/<adapter>/ (argv[1] names that folder).
 *
 * The last group runs every adapter that has one over its real recorded
 * payload (greenhouse, lever, ashby, recruitee, smartrecruiters, workday,
 * remotive, remoteok, hackernews, linkedin, rss) when the folder
 * JT_RECORDED_FIXTURES names exists, checking the fields a user sees, and
 * is skipped otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/timefmt.h"
#include "scrape/posting.h"
#include "scrape/source.h"

extern const struct source_adapter source_smartrecruiters, source_workable, source_personio, source_workday,
    source_hackernews, source_linkedin, source_rss, source_xpath;

#define NOW          ((time_t)1790424000) /* 2026-09-26T12:00:00Z */
#define MAX_REQUESTS 64

static const char *fixtures_dir = "tests/fixtures/sources";
static struct arena arena;

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

/* ---- the fixture driver ---------------------------------------------------- */

/* A request is answered by the first route whose url equals its URL and,
 * when body_has is set, whose POST body contains body_has. */
struct route {
	const char *url;
	const char *body_has;
	const char *file;
};

struct run {
	struct posting_list postings;
	int warnings;
	bool complete; /* some response said the listing was complete */
	size_t n_requests;
	struct source_request requests[MAX_REQUESTS]; /* every request made, in order */
};

static char *read_path(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *data = arena_alloc_raw(&arena, (size_t)n + 1);
	if (data && fread(data, 1, (size_t)n, f) != (size_t)n)
		data = NULL;
	fclose(f);
	if (data) {
		data[n] = '\0';
		*len = (size_t)n;
	}
	return data;
}

static char *read_fixture(const char *adapter, const char *file, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s/%s", fixtures_dir, adapter, file);
	char *data = read_path(path, len);
	if (!data)
		fail_msg("cannot read fixture %s", path);
	return data;
}

static const char *content_type_of(const char *file)
{
	const char *dot = strrchr(file, '.');
	if (dot && strcmp(dot, ".json") == 0)
		return "application/json";
	if (dot && strcmp(dot, ".html") == 0)
		return "text/html; charset=utf-8";
	return "application/xml";
}

static const struct route *route_for(const struct route *routes, size_t n, const struct source_request *req)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(routes[i].url, req->url) == 0 &&
		    (!routes[i].body_has || (req->body && strstr(req->body, routes[i].body_has))))
			return &routes[i];
	return NULL;
}

/* Answers one request with a fixture; returns parse()'s code, err filled. */
static int answer(const struct source_adapter *ad, const struct source_config *src, const struct source_request *req,
		  const char *file, struct source_result *out, char *err, size_t errlen)
{
	size_t len = 0;
	char *body = read_fixture(ad->name, file, &len);
	struct source_response res = {
		.request = req,
		.url = req->url,
		.status = 200,
		.content_type = content_type_of(file),
		.body = body,
		.len = len,
	};
	memset(out, 0, sizeof(*out));
	return ad->parse(&arena, src, &res, out, err, errlen);
}

/* Runs an adapter to the end over routed fixtures; fails on an unrouted request or an error. */
static void drive(const struct source_adapter *ad, const struct source_config *src, const struct route *routes,
		  size_t n_routes, struct run *run)
{
	memset(run, 0, sizeof(*run));
	struct source_request_list queue = { 0 };
	char err[512] = "";
	int rc = ad->start(&arena, src, &queue, err, sizeof(err));
	if (rc != 0)
		fail_msg("%s start failed: %s", ad->name, err);
	for (size_t qi = 0; qi < queue.count; qi++) {
		if (qi >= MAX_REQUESTS)
			fail_msg("%s asked for more than %d requests", ad->name, MAX_REQUESTS);
		struct source_request req = queue.items[qi];
		run->requests[run->n_requests++] = req;
		const struct route *r = route_for(routes, n_routes, &req);
		if (!r)
			fail_msg("%s: no fixture for %s %s %s", ad->name, req.method ? req.method : "GET", req.url,
				 req.body ? req.body : "");
		struct source_result out;
		rc = answer(ad, src, &req, r->file, &out, err, sizeof(err));
		if (rc != 0)
			fail_msg("%s failed on %s: %s", ad->name, r->file, err);
		for (size_t i = 0; i < out.postings.count; i++) {
			struct posting *p = posting_list_add(&arena, &run->postings);
			assert_non_null(p);
			*p = out.postings.items[i];
		}
		for (size_t i = 0; i < out.next.count; i++) {
			struct source_request *n = source_request_add(&arena, &queue);
			assert_non_null(n);
			*n = out.next.items[i];
		}
		run->warnings += out.warnings;
		run->complete = run->complete || out.complete_listing;
	}
}

static const struct posting *find(const struct run *run, const char *external_id)
{
	for (size_t i = 0; i < run->postings.count; i++)
		if (run->postings.items[i].external_id && strcmp(run->postings.items[i].external_id, external_id) == 0)
			return &run->postings.items[i];
	fail_msg("no posting with external id %s", external_id);
	return NULL;
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!haystack || !strstr(haystack, needle))
		fail_msg("\"%s\" does not contain \"%s\"", haystack ? haystack : "(null)", needle);
}

/* Every posting an adapter emits carries what the driver relies on; a
 * posting page and an apply link too, unless the source gives none. */
static void assert_well_formed(const struct run *run, const char *source)
{
	for (size_t i = 0; i < run->postings.count; i++) {
		const struct posting *p = &run->postings.items[i];
		assert_non_null(p->title);
		assert_true(p->title[0] != '\0');
		assert_non_null(p->external_id);
		assert_string_equal(p->source, source);
		if (strcmp(source, "rss") != 0) {
			assert_non_null(p->url);
			assert_non_null(p->apply_url);
		}
	}
}

static struct source_config config(const char *kind, const char *target)
{
	struct source_config src = { .name = kind, .kind = kind, .target = target, .now = NOW };
	return src;
}

static const char *detect(const struct source_adapter *ad, const char *url)
{
	const char *target = NULL;
	return ad->detect(&arena, url, &target) == 0 ? target : NULL;
}

/* Runs start() and expects it to refuse, with a message. */
static void assert_start_refused(const struct source_adapter *ad, const struct source_config *src)
{
	struct source_request_list out = { 0 };
	char err[512] = "";
	assert_true(ad->start(&arena, src, &out, err, sizeof(err)) < 0);
	assert_true(err[0] != '\0');
}

/* Parses one fixture as the answer to a request with step and url; expects an error with a message. */
static void assert_parse_refused(const struct source_adapter *ad, const struct source_config *src, const char *step,
				 const char *url, const char *file, const char *message_part)
{
	struct source_request req = { .url = url, .step = step };
	struct source_result out;
	char err[512] = "";
	assert_true(answer(ad, src, &req, file, &out, err, sizeof(err)) < 0);
	assert_contains(err, message_part);
}

static void date_days_ago(int days, char out[TIMEFMT_DATE_LEN])
{
	timefmt_date(NOW - (time_t)days * 86400, out);
}

/* ---- SmartRecruiters ------------------------------------------------------- */

#define SR_API "https://api.smartrecruiters.com/v1/companies/NorthwindGames/postings"

static const struct route sr_routes[] = {
	{ SR_API "?limit=100&offset=0", NULL, "list_0.json" },
	{ SR_API "?limit=100&offset=2", NULL, "list_2.json" },
	{ SR_API "/744000200000101", NULL, "detail_744000200000101.json" },
	{ SR_API "/744000200000102", NULL, "detail_744000200000102.json" },
	{ SR_API "/744000200000103", NULL, "detail_744000200000103.json" },
};

static void test_smartrecruiters_pages_and_details(void **state)
{
	(void)state;
	struct source_config src = config("smartrecruiters", "NorthwindGames");
	struct run run;
	drive(&source_smartrecruiters, &src, sr_routes, 5, &run);
	assert_int_equal(run.n_requests, 5); /* two list pages, three details */
	assert_string_equal(run.requests[0].step, "list");
	assert_string_equal(run.requests[1].step, "detail");
	assert_int_equal(run.postings.count, 3);
	assert_int_equal(run.warnings, 1); /* the string in the second page's content */
	assert_true(run.complete);
	assert_well_formed(&run, "smartrecruiters");

	const struct posting *sre = find(&run, "744000200000101");
	assert_string_equal(sre->title, "Ingénieur Fiabilité Plateforme (SRE)");
	assert_string_equal(sre->company, "Northwind Games");
	assert_string_equal(sre->location.raw, "Montreal, QC, Canada");
	assert_string_equal(sre->location.locality, "Montreal");
	assert_string_equal(sre->location.region, "QC");
	assert_string_equal(sre->location.country, "CA");   /* the API writes "ca" */
	assert_int_equal(sre->workplace, WORKPLACE_ONSITE); /* "Work flexibility: Office-based" */
	assert_int_equal(sre->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(sre->date_posted, "2026-09-24");
	assert_contains(sre->description_html, "<h3>Company Description</h3>");
	assert_contains(sre->description_html, "<b>open worlds</b> & live games");
	assert_contains(sre->description_html, "<h3>Qualifications</h3>");
	assert_null(strstr(sre->description_html, "Additional Information")); /* empty section left out */
	assert_contains(sre->apply_url, "?oga=true");
	assert_string_equal(
	    sre->url,
	    "https://jobs.smartrecruiters.com/NorthwindGames/744000200000101-ingenieur-fiabilite-plateforme-sre-");
	assert_false(sre->salary.present);

	const struct posting *intern = find(&run, "744000200000102");
	assert_int_equal(intern->workplace, WORKPLACE_HYBRID);
	assert_int_equal(intern->employment_types, EMPLOYMENT_INTERN);
	assert_string_equal(intern->location.country, "FR");
	assert_string_equal(intern->apply_url, intern->url); /* no applyUrl: the posting page */

	const struct posting *remote = find(&run, "744000200000103");
	assert_int_equal(remote->workplace, WORKPLACE_REMOTE);
	assert_string_equal(remote->location.country, "DE");
	assert_null(remote->description_html); /* jobAd without sections */
}

static void test_smartrecruiters_list_only_and_bounds(void **state)
{
	(void)state;
	struct source_config src = config("smartrecruiters", "NorthwindGames");
	src.options_json = "{\"details\": false}";
	struct run run;
	drive(&source_smartrecruiters, &src, sr_routes, 5, &run);
	assert_int_equal(run.n_requests, 2);
	assert_int_equal(run.postings.count, 3);
	const struct posting *p = find(&run, "744000200000102");
	assert_null(p->description_html);
	assert_string_equal(p->url, "https://jobs.smartrecruiters.com/NorthwindGames/744000200000102");

	/* One page allowed: the listing stops short and does not claim to be complete. */
	src.max_pages = 1;
	drive(&source_smartrecruiters, &src, sr_routes, 5, &run);
	assert_int_equal(run.n_requests, 1);
	assert_false(run.complete);
}

static void test_smartrecruiters_detect_and_errors(void **state)
{
	(void)state;
	assert_string_equal(detect(&source_smartrecruiters, "https://jobs.smartrecruiters.com/Ubisoft2"), "Ubisoft2");
	assert_string_equal(detect(&source_smartrecruiters,
				   "https://jobs.smartrecruiters.com/Ubisoft2/744000151912444-some-title?trid=1"),
			    "Ubisoft2");
	assert_string_equal(detect(&source_smartrecruiters, "https://careers.smartrecruiters.com/BoschGroup/"),
			    "BoschGroup");
	assert_string_equal(detect(&source_smartrecruiters,
				   "https://jobs.smartrecruiters.com/oneclick-ui/company/Acme1/publication/abc"),
			    "Acme1");
	assert_string_equal(
	    detect(&source_smartrecruiters, "https://api.smartrecruiters.com/v1/companies/Acme1/postings"), "Acme1");
	assert_null(detect(&source_smartrecruiters, "https://www.smartrecruiters.com/"));
	assert_null(detect(&source_smartrecruiters, "https://jobs.smartrecruiters.evil.example/Acme"));
	assert_null(detect(&source_smartrecruiters, "ftp://jobs.smartrecruiters.com/Acme"));

	struct source_config bad = config("smartrecruiters", "two words");
	assert_start_refused(&source_smartrecruiters, &bad);
	bad = config("smartrecruiters", "Acme");
	bad.options_json = "[1]";
	assert_start_refused(&source_smartrecruiters, &bad);

	struct source_config src = config("smartrecruiters", "NorthwindGames");
	assert_parse_refused(&source_smartrecruiters, &src, "list", SR_API, "detail_744000200000101.json", "content");
	assert_parse_refused(&source_smartrecruiters, &src, "detail", SR_API "/1", "list_0.json", "id");
}

/* ---- Workable ----------------------------------------------------------------- */

#define WK_API "https://apply.workable.com/api"

static const struct route wk_routes[] = {
	{ WK_API "/v3/accounts/acme-logistics/jobs", "WzE3NzgxNzYwMDAwMDAsNDEyMDAwMl0=", "list_2.json" },
	{ WK_API "/v3/accounts/acme-logistics/jobs", "\"query\":\"\"", "list_1.json" },
	{ WK_API "/v2/accounts/acme-logistics/jobs/8F2A1C0D3E", NULL, "detail_8F2A1C0D3E.json" },
	{ WK_API "/v2/accounts/acme-logistics/jobs/1B7E99AF02", NULL, "detail_1B7E99AF02.json" },
	{ WK_API "/v2/accounts/acme-logistics/jobs/C0FFEE1234", NULL, "detail_C0FFEE1234.json" },
	{ WK_API "/v1/widget/accounts/acme-logistics?details=true", NULL, "widget.json" },
};

static void test_workable_v3_pages_and_details(void **state)
{
	(void)state;
	struct source_config src = config("workable", "acme-logistics");
	struct run run;
	drive(&source_workable, &src, wk_routes, 6, &run);
	assert_int_equal(run.n_requests, 5);
	assert_string_equal(run.requests[0].method, "POST");
	assert_string_equal(run.requests[0].content_type, "application/json");
	assert_null(strstr(run.requests[0].body, "token"));
	assert_contains(run.requests[3].body, "\"token\":\"WzE3NzgxNzYwMDAwMDAsNDEyMDAwMl0=\"");
	assert_int_equal(run.postings.count, 3);
	assert_true(run.complete);
	assert_well_formed(&run, "workable");

	const struct posting *go = find(&run, "8F2A1C0D3E");
	assert_string_equal(go->title, "Backend Engineer (Go)");
	assert_string_equal(go->company, "Acme Logistics"); /* from the account slug */
	assert_string_equal(go->location.locality, "Athens");
	assert_string_equal(go->location.region, "Attica");
	assert_string_equal(go->location.country, "GR");
	assert_int_equal(go->workplace, WORKPLACE_HYBRID);
	assert_int_equal(go->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(go->date_posted, "2026-09-21");
	assert_contains(go->description_html, "2,000 carriers");
	assert_contains(go->description_html, "<h3>Requirements</h3>\n<ul><li>3+ years of Go");
	assert_contains(go->description_html, "<h3>Benefits</h3>");
	assert_string_equal(go->url, "https://apply.workable.com/acme-logistics/j/8F2A1C0D3E/");

	const struct posting *csm = find(&run, "1B7E99AF02");
	assert_int_equal(csm->workplace, WORKPLACE_REMOTE);
	assert_int_equal(csm->employment_types, EMPLOYMENT_CONTRACTOR);
	assert_string_equal(csm->location.country, "PT");
	assert_null(strstr(csm->description_html, "Requirements")); /* empty requirements left out */

	const struct posting *office = find(&run, "C0FFEE1234");
	assert_int_equal(office->workplace, WORKPLACE_ONSITE); /* "on_site" */
	assert_int_equal(office->employment_types, EMPLOYMENT_PART_TIME);
	assert_string_equal(office->location.raw, "Thessaloniki, Greece"); /* location as text */
}

static void test_workable_widget(void **state)
{
	(void)state;
	struct source_config src = config("workable", "acme-logistics");
	src.options_json = "{\"endpoint\": \"widget\"}";
	struct run run;
	drive(&source_workable, &src, wk_routes, 6, &run);
	assert_int_equal(run.n_requests, 1);
	assert_int_equal(run.postings.count, 2);
	assert_int_equal(run.warnings, 1); /* the job without a title */
	assert_true(run.complete);
	const struct posting *lead = find(&run, "AB12CD34EF");
	assert_string_equal(lead->company, "Acme Logistics");
	assert_string_equal(lead->location.locality, "Rotterdam");
	assert_string_equal(lead->location.region, "South Holland");
	assert_string_equal(lead->location.country, "NL");
	assert_int_equal(lead->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(lead->date_posted, "2026-09-01");
	assert_string_equal(lead->apply_url, "https://apply.workable.com/j/AB12CD34EF/apply");
	assert_string_equal(lead->description_html, "<p>Lead a team of twelve.</p>");
	const struct posting *remote = find(&run, "ZZ99YY88XX");
	assert_int_equal(remote->workplace, WORKPLACE_REMOTE);
	assert_string_equal(remote->location.country, "DE"); /* from locations[] */
	assert_int_equal(remote->employment_types, EMPLOYMENT_PART_TIME);

	/* The widget's shape is read whatever request it answers. */
	src.options_json = NULL;
	struct source_request req = { .url = WK_API "/v3/accounts/acme-logistics/jobs", .step = "list" };
	struct source_result out;
	char err[256];
	assert_int_equal(answer(&source_workable, &src, &req, "widget.json", &out, err, sizeof(err)), 0);
	assert_int_equal(out.postings.count, 2);
}

static void test_workable_detect_and_errors(void **state)
{
	(void)state;
	assert_string_equal(detect(&source_workable, "https://apply.workable.com/acme-logistics/"), "acme-logistics");
	assert_string_equal(detect(&source_workable, "https://apply.workable.com/acme-logistics/j/8F2A1C0D3E/"),
			    "acme-logistics");
	assert_string_equal(detect(&source_workable, "https://apply.workable.com/api/v3/accounts/acme/jobs"), "acme");
	assert_string_equal(detect(&source_workable, "https://apply.workable.com/api/v1/widget/accounts/acme"), "acme");
	assert_string_equal(detect(&source_workable, "https://acme.workable.com/"), "acme");
	assert_null(detect(&source_workable, "https://www.workable.com/pricing"));
	assert_null(detect(&source_workable, "https://jobs.workable.com/view/abc"));
	assert_null(detect(&source_workable, "https://apply.workable.com/j/8F2A1C0D3E"));

	struct source_config bad = config("workable", "acme");
	bad.options_json = "{\"endpoint\": \"v9\"}";
	assert_start_refused(&source_workable, &bad);
	bad = config("workable", "");
	assert_start_refused(&source_workable, &bad);

	struct source_config src = config("workable", "acme-logistics");
	assert_parse_refused(&source_workable, &src, "detail", WK_API "/v2/x", "list_1.json", "shortcode");
}

/* ---- Personio ----------------------------------------------------------------- */

static void test_personio_feed(void **state)
{
	(void)state;
	static const struct route routes[] = { { "https://kontor-labs.jobs.personio.de/xml?language=en", NULL,
						 "feed.xml" } };
	struct source_config src = config("personio", "kontor-labs");
	struct run run;
	drive(&source_personio, &src, routes, 1, &run);
	assert_int_equal(run.postings.count, 3);
	assert_int_equal(run.warnings, 1); /* the position without a name */
	assert_true(run.complete);
	assert_well_formed(&run, "personio");
	assert_contains(run.requests[0].accept, "xml");

	const struct posting *pm = find(&run, "1204518");
	assert_string_equal(pm->title, "Senior Product Manager (m/w/d) – Payments");
	assert_string_equal(pm->company, "Kontor Labs GmbH");
	assert_string_equal(pm->location.raw, "Berlin");
	assert_int_equal(pm->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(pm->date_posted, "2026-09-15");
	assert_contains(
	    pm->description_html,
	    "<h3>Your mission</h3>\n<p>You own the checkout from <strong>first click</strong> to settlement.</p>");
	assert_contains(pm->description_html, "<h3>Your profile</h3>\n<ul><li>5+ years");
	assert_string_equal(pm->url, "https://kontor-labs.jobs.personio.de/job/1204518");

	const struct posting *student = find(&run, "1204519");
	assert_string_equal(student->company, "Kontor Labs"); /* empty <subcompany/>: the slug */
	assert_int_equal(student->workplace, WORKPLACE_REMOTE);
	assert_true(student->employment_types & EMPLOYMENT_PART_TIME);
	assert_false(student->employment_types & EMPLOYMENT_FULL_TIME);
	assert_string_equal(student->date_posted, "2026-09-01"); /* date only */
	/* Escaped instead of CDATA: the same HTML once parsed; the escaped heading stays text. */
	assert_contains(
	    student->description_html,
	    "<h3>Deine Aufgaben &amp; Verantwortung</h3>\n<p>Du entwickelst unsere API in <em>Kotlin</em> weiter.</p>");
	assert_null(strstr(student->description_html, "Leer")); /* a section without a value */

	/* "permanent" with a part-time schedule is part time, not both. */
	assert_int_equal(find(&run, "1204520")->employment_types, EMPLOYMENT_PART_TIME);
}

static void test_personio_empty_hostile_and_wrong(void **state)
{
	(void)state;
	struct source_config src = config("personio", "kontor-labs");
	struct source_request req = { .url = "https://kontor-labs.jobs.personio.de/xml?language=en", .step = "feed" };
	struct source_result out;
	char err[512] = "";
	assert_int_equal(answer(&source_personio, &src, &req, "empty.xml", &out, err, sizeof(err)), 0);
	assert_int_equal(out.postings.count, 0);
	assert_true(out.complete_listing); /* no open positions is a listing too */

	/* An external DTD is neither fetched nor needed. */
	assert_int_equal(answer(&source_personio, &src, &req, "external.xml", &out, err, sizeof(err)), 0);
	assert_int_equal(out.postings.count, 1);
	assert_string_equal(out.postings.items[0].title, "Engineer & Tinkerer");

	assert_parse_refused(&source_personio, &src, "feed", req.url, "entities.xml", "entities");
	assert_parse_refused(&source_personio, &src, "feed", req.url, "redirected.html", "workzag-jobs");

	/* Another language and the .com host */
	src = config("personio", "acme.jobs.personio.com");
	src.options_json = "{\"language\": \"de\"}";
	struct source_request_list reqs = { 0 };
	assert_int_equal(source_personio.start(&arena, &src, &reqs, err, sizeof(err)), 0);
	assert_string_equal(reqs.items[0].url, "https://acme.jobs.personio.com/xml?language=de");
	src.base_url = "http://127.0.0.1:8099";
	reqs.count = 0;
	assert_int_equal(source_personio.start(&arena, &src, &reqs, err, sizeof(err)), 0);
	assert_string_equal(reqs.items[0].url, "http://127.0.0.1:8099/xml?language=de");

	assert_string_equal(detect(&source_personio, "https://kontor-labs.jobs.personio.de/"), "kontor-labs");
	assert_string_equal(detect(&source_personio, "https://kontor-labs.jobs.personio.de/job/1204518?language=en"),
			    "kontor-labs");
	assert_string_equal(detect(&source_personio, "https://acme.jobs.personio.com/"), "acme.jobs.personio.com");
	assert_null(detect(&source_personio, "https://www.personio.de/"));
	assert_null(detect(&source_personio, "https://jobs.personio.de/"));
}

/* ---- Workday ------------------------------------------------------------------ */

#define WD_CXS "https://contoso.wd5.myworkdayjobs.com/wday/cxs/contoso/External"

static const struct route wd_routes[] = {
	{ WD_CXS "/jobs", "\"offset\":0,", "list_0.json" },
	{ WD_CXS "/jobs", "\"offset\":20,", "list_20.json" },
	{ WD_CXS "/job/Vietnam-Hanoi/Director--Engineering---Platform-Reliability_JR2030001", NULL,
	  "detail_JR2030001.json" },
	{ WD_CXS "/job/Poland-Remote/Senior-System-Engineer--Solutions_JR2030002", NULL, "detail_JR2030002.json" },
	{ WD_CXS "/job/Israel-Tel-Aviv/Payroll-Specialist--Part-Time-_JR2030003", NULL, "detail_JR2030003.json" },
};

static void test_workday_pages_and_details(void **state)
{
	(void)state;
	struct source_config src = config("workday", "https://contoso.wd5.myworkdayjobs.com/en-US/External");
	struct run run;
	drive(&source_workday, &src, wd_routes, 5, &run);
	/* Page 2 says total 0; the first page's 23 still holds, and a third page is not asked for. */
	assert_int_equal(run.n_requests, 5);
	assert_string_equal(run.requests[1].step, "detail");
	assert_string_equal(run.requests[3].step, "list");
	assert_contains(run.requests[3].body, "\"offset\":20");
	assert_string_equal(run.requests[3].context, "23");
	assert_int_equal(run.postings.count, 3);
	assert_int_equal(run.warnings, 1); /* the list item without externalPath */
	assert_true(run.complete);
	assert_well_formed(&run, "workday");

	const struct posting *dir = find(&run, "JR2030001");
	assert_string_equal(dir->title, "Director, Engineering – Platform Reliability");
	assert_string_equal(dir->company, "Contoso Ltd.");
	assert_string_equal(dir->location.raw, "Vietnam, Hanoi");
	assert_string_equal(dir->location.country, "VN");
	assert_int_equal(dir->workplace, WORKPLACE_HYBRID); /* remoteType as an object */
	assert_int_equal(dir->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(dir->date_posted, "2026-08-12"); /* startDate beats "30+ Days Ago" */
	assert_contains(dir->description_html, "Lead four teams");
	assert_contains(dir->url, "/External/job/Vietnam-Hanoi/");

	const struct posting *sys = find(&run, "JR2030002");
	assert_int_equal(sys->workplace, WORKPLACE_REMOTE); /* remoteType as text */
	char want[TIMEFMT_DATE_LEN];
	date_days_ago(4, want);
	assert_string_equal(sys->date_posted, want); /* "Posted 4 Days Ago" */

	/* The id is the list's (first bullet field) even when the detail's jobReqId differs. */
	const struct posting *pay = find(&run, "JR2030003");
	assert_string_equal(pay->company, "Contoso"); /* no hiringOrganization: the tenant */
	assert_int_equal(pay->employment_types, EMPLOYMENT_PART_TIME);
	assert_string_equal(pay->location.country, "IL");
	assert_string_equal(pay->url, "https://contoso.wd5.myworkdayjobs.com/External/job/Israel-Tel-Aviv/"
				      "Payroll-Specialist--Part-Time-_JR2030003");
	date_days_ago(1, want);
	assert_string_equal(pay->date_posted, want);
}

static void test_workday_list_only(void **state)
{
	(void)state;
	struct source_config src = config("workday", "https://contoso.wd5.myworkdayjobs.com/External");
	src.options_json = "{\"details\": false, \"search\": \"engineer\"}";
	struct run run;
	drive(&source_workday, &src, wd_routes, 5, &run);
	assert_int_equal(run.n_requests, 2);
	assert_contains(run.requests[0].body, "\"searchText\":\"engineer\"");
	assert_int_equal(run.postings.count, 3);
	const struct posting *dir = find(&run, "JR2030001");
	assert_null(dir->location.raw);           /* "2 Locations" names no place */
	assert_true(dir->date_posted[0] != '\0'); /* "Posted 30+ Days Ago" */
	char limit[TIMEFMT_DATE_LEN];
	date_days_ago(29, limit);
	assert_true(strcmp(dir->date_posted, limit) < 0);
	assert_string_equal(find(&run, "JR2030002")->location.raw, "Poland - Remote");
	assert_string_equal(dir->url, "https://contoso.wd5.myworkdayjobs.com/External/job/Vietnam-Hanoi/"
				      "Director--Engineering---Platform-Reliability_JR2030001");
}

static void test_workday_detect_and_targets(void **state)
{
	(void)state;
	assert_string_equal(detect(&source_workday, "https://contoso.wd5.myworkdayjobs.com/en-US/External"),
			    "https://contoso.wd5.myworkdayjobs.com/External");
	assert_string_equal(detect(&source_workday, "https://contoso.wd1.myworkdayjobs.com/Careers/job/x/y_JR1?q=1"),
			    "https://contoso.wd1.myworkdayjobs.com/Careers");
	assert_string_equal(detect(&source_workday, "https://CONTOSO.wd3.myworkdayjobs.com/fr-FR/Jobs/"),
			    "https://contoso.wd3.myworkdayjobs.com/Jobs");
	assert_string_equal(
	    detect(&source_workday, "https://contoso.wd5.myworkdayjobs.com/wday/cxs/contoso/External/jobs"),
	    "https://contoso.wd5.myworkdayjobs.com/External");
	assert_string_equal(detect(&source_workday, "https://wd3.myworkdaysite.com/en-US/recruiting/fabrikam/Careers"),
			    "https://wd3.myworkdaysite.com/recruiting/fabrikam/Careers");
	assert_null(detect(&source_workday, "https://contoso.wd5.myworkdayjobs.com/"));
	assert_null(detect(&source_workday, "https://www.workday.com/en-us/homepage.html"));

	struct source_config src = config("workday", "https://wd3.myworkdaysite.com/recruiting/fabrikam/Careers");
	struct source_request_list reqs = { 0 };
	char err[256];
	assert_int_equal(source_workday.start(&arena, &src, &reqs, err, sizeof(err)), 0);
	assert_string_equal(reqs.items[0].url, "https://wd3.myworkdaysite.com/wday/cxs/fabrikam/Careers/jobs");
	src.base_url = "http://127.0.0.1:9000/";
	reqs.count = 0;
	assert_int_equal(source_workday.start(&arena, &src, &reqs, err, sizeof(err)), 0);
	assert_string_equal(reqs.items[0].url, "http://127.0.0.1:9000/wday/cxs/fabrikam/Careers/jobs");

	struct source_config bad = config("workday", "contoso");
	assert_start_refused(&source_workday, &bad);
}

/* ---- RSS and Atom --------------------------------------------------------- */

static void test_rss_we_work_remotely(void **state)
{
	(void)state;
	static const struct route routes[] = { { "https://weworkremotely.com/categories/remote-programming-jobs.rss",
						 NULL, "wwr.rss" } };
	struct source_config src = config("rss", "https://weworkremotely.com/categories/remote-programming-jobs.rss");
	struct run run;
	drive(&source_rss, &src, routes, 1, &run);
	assert_int_equal(run.postings.count, 3); /* the expired item is dropped */
	assert_int_equal(run.warnings, 1);       /* the item with neither title nor link */
	assert_true(run.complete);
	assert_well_formed(&run, "rss");
	for (size_t i = 0; i < run.postings.count; i++) {
		assert_int_equal(run.postings.items[i].workplace, WORKPLACE_REMOTE); /* a remote-only board */
		assert_null(strstr(run.postings.items[i].title, "Expired"));
	}

	const struct posting *rails =
	    find(&run, "https://weworkremotely.com/remote-jobs/lumen-health-senior-rails-engineer");
	assert_string_equal(rails->company, "Lumen Health");
	assert_string_equal(rails->title, "Senior Rails Engineer");
	assert_string_equal(rails->location.raw, "Anywhere in the World");
	assert_int_equal(rails->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(rails->date_posted, "2026-09-18");
	assert_string_equal(rails->valid_through, "2026-10-25");
	assert_true(strncmp(rails->description_html, "<p>", 3) == 0); /* unescaped once, trimmed */
	assert_contains(rails->description_html, "R&amp;D tooling");  /* what was escaped twice stays escaped once */
	assert_string_equal(rails->apply_url, rails->url);

	const struct posting *data =
	    find(&run, "https://weworkremotely.com/remote-jobs/brightline-data-data-engineer-pipelines");
	assert_string_equal(data->description_html,
			    "<p>Build pipelines with <code>dbt</code> &amp; Airflow.</p>"); /* CDATA */
	assert_int_equal(data->employment_types, EMPLOYMENT_CONTRACTOR);
	assert_string_equal(data->valid_through, "");

	const struct posting *ops = find(&run, "https://weworkremotely.com/remote-jobs/ops-generalist");
	assert_null(ops->company); /* no "Company: " in the title */
	assert_string_equal(ops->title, "Ops Generalist");
	assert_int_equal(ops->employment_types, EMPLOYMENT_PART_TIME);

	/* A configured company keeps titles whole. */
	src.company = "Lumen Health";
	drive(&source_rss, &src, routes, 1, &run);
	assert_string_equal(run.postings.items[0].title, "Lumen Health: Senior Rails Engineer");
}

static void test_rss_atom(void **state)
{
	(void)state;
	static const struct route routes[] = { { "https://careers.fabrikam.example/jobs.atom", NULL, "jobs.atom" } };
	struct source_config src = config("rss", "https://careers.fabrikam.example/jobs.atom");
	src.company = "Fabrikam";
	struct run run;
	drive(&source_rss, &src, routes, 1, &run);
	assert_int_equal(run.postings.count, 3);
	assert_well_formed(&run, "rss");

	const struct posting *sre = find(&run, "tag:fabrikam.example,2026:job-42");
	assert_string_equal(sre->url, "https://careers.fabrikam.example/jobs/sre-42"); /* rel="alternate" */
	assert_string_equal(sre->company, "Fabrikam");
	assert_string_equal(sre->description_html, "<p>Keep <b>everything</b> up.</p>");
	assert_string_equal(sre->date_posted, "2026-09-19"); /* published beats updated */
	assert_int_equal(sre->workplace, WORKPLACE_HYBRID);  /* from the title */
	assert_string_equal(sre->location.raw, "Lisbon, Portugal");

	const struct posting *writer = find(&run, "tag:fabrikam.example,2026:job-43");
	assert_string_equal(writer->url, "https://careers.fabrikam.example/jobs/writer-43");
	assert_contains(writer->description_html, "<em>docs</em>"); /* xhtml content */
	assert_string_equal(writer->date_posted, "2026-09-18");

	const struct posting *support = find(&run, "tag:fabrikam.example,2026:job-44");
	assert_null(support->url); /* an entry without a link has no page to point at */
	assert_string_equal(support->description_html, "Answer tickets &lt;fast&gt; &amp; well."); /* text, escaped */

	assert_parse_refused(&source_rss, &src, "feed", src.target, "not_a_feed.html", "not an RSS or Atom feed");
}

static void test_rss_detect_and_options(void **state)
{
	(void)state;
	assert_non_null(detect(&source_rss, "https://weworkremotely.com/categories/remote-programming-jobs.rss"));
	assert_non_null(detect(&source_rss, "https://example.com/careers/feed/"));
	assert_non_null(detect(&source_rss, "https://example.com/jobs/atom.xml"));
	assert_null(detect(&source_rss, "https://example.com/careers"));
	assert_null(detect(&source_rss, "https://example.com/rss.xml.html"));

	struct source_config bad = config("rss", "not a url");
	assert_start_refused(&source_rss, &bad);
	bad = config("rss", "https://example.com/jobs.rss");
	bad.options_json = "{\"workplace\": \"moon\"}";
	assert_start_refused(&source_rss, &bad);
}

/* ---- Hacker News ---------------------------------------------------------- */

#define HN_API "https://hn.algolia.com/api/v1"

static const struct route hn_routes[] = {
	{ HN_API "/search_by_date?tags=story,author_whoishiring&query=who%20is%20hiring&hitsPerPage=20", NULL,
	  "search.json" },
	{ HN_API "/items/49522897", NULL, "thread.json" },
};

static void test_hackernews_latest_thread(void **state)
{
	(void)state;
	struct source_config src = config("hackernews", NULL);
	struct run run;
	drive(&source_hackernews, &src, hn_routes, 2, &run);
	/* The newest "Who is hiring?", not the newer "Who wants to be hired?" or "Freelancer?". */
	assert_int_equal(run.n_requests, 2);
	assert_string_equal(run.requests[1].url, HN_API "/items/49522897");
	/* Six top-level comments with text; the reply, the null, the dead and the deleted ones are not postings. */
	assert_int_equal(run.postings.count, 6);
	assert_true(run.complete);
	assert_well_formed(&run, "hackernews");

	const struct posting *fj = find(&run, "49522903");
	assert_string_equal(fj->company, "Fjordsoft");
	assert_string_equal(fj->title, "Senior Product Engineer");
	assert_string_equal(fj->location.raw, "Remote (Europe)");
	assert_int_equal(fj->workplace, WORKPLACE_REMOTE);
	assert_int_equal(fj->employment_types, EMPLOYMENT_FULL_TIME);
	assert_true(fj->salary.present);
	assert_string_equal(fj->salary.currency, "EUR");
	assert_true(fj->salary.min >= 75000 && fj->salary.max <= 110000);
	assert_string_equal(fj->date_posted, "2026-09-01");
	assert_string_equal(fj->apply_url, "https://fjordsoft.example/careers"); /* &#x2F; decoded */
	assert_string_equal(fj->url, "https://news.ycombinator.com/item?id=49522903");
	assert_contains(fj->description_html, "<p>We index 300M+"); /* the comment HTML as given */

	const struct posting *quill = find(&run, "49522912");
	assert_string_equal(quill->company, "Quillmark");
	assert_string_equal(quill->title, "Fullstack SWE");
	assert_string_equal(quill->location.raw, "Remote, PT/ET hours preferred");
	assert_int_equal(quill->employment_types, EMPLOYMENT_FULL_TIME);
	assert_true(quill->salary.present);
	assert_string_equal(quill->salary.currency, "USD");
	assert_string_equal(quill->apply_url, "https://quillmark.example/");

	/* Location before title, and a remark that is neither. */
	const struct posting *oea = find(&run, "49522929");
	assert_string_equal(oea->company, "Open Leermiddelen / Neon");
	assert_string_equal(oea->title, "Senior/Lead Platform & DevOps Engineer, Senior Frontend Engineer");
	assert_string_equal(oea->location.raw, "Utrecht, The Netherlands");
	assert_int_equal(oea->workplace, WORKPLACE_HYBRID);
	assert_false(oea->salary.present);
	assert_string_equal(oea->apply_url, oea->url); /* no link: the comment on HN */

	/* Em dashes instead of bars, and a comment that opens with a paragraph. */
	const struct posting *robots = find(&run, "49522940");
	assert_string_equal(robots->company, "Tiny Robotics");
	assert_string_equal(robots->title, "Embedded Engineer");
	assert_string_equal(robots->location.raw, "Boston, MA");
	assert_int_equal(robots->workplace, WORKPLACE_ONSITE);

	/* No separators: the first line is the title and nothing is guessed. */
	const struct posting *plain = find(&run, "49522941");
	assert_null(plain->company);
	assert_string_equal(plain->title, "We are hiring engineers of all levels at Bramble, see our site.");

	/* Order varies: workplace, place, employment word, then the role. */
	const struct posting *kestrel = find(&run, "49522942");
	assert_string_equal(kestrel->title, "Flight Software Intern");
	assert_string_equal(kestrel->location.raw, "Toulouse, France");
	assert_int_equal(kestrel->employment_types, EMPLOYMENT_INTERN);
	assert_int_equal(kestrel->workplace, WORKPLACE_ONSITE);
}

static void test_hackernews_pinned_and_edges(void **state)
{
	(void)state;
	assert_string_equal(detect(&source_hackernews, "https://news.ycombinator.com/item?id=49522897"), "49522897");
	assert_null(detect(&source_hackernews, "https://news.ycombinator.com/item?id=abc"));
	assert_null(detect(&source_hackernews, "https://news.ycombinator.com/newest"));

	struct source_config src = config("hackernews", "https://news.ycombinator.com/item?id=49522897");
	struct run run;
	drive(&source_hackernews, &src, hn_routes, 2, &run);
	assert_int_equal(run.n_requests, 1); /* no search for a pinned thread */
	assert_int_equal(run.postings.count, 6);
	src = config("hackernews", "49522897");
	drive(&source_hackernews, &src, hn_routes, 2, &run);
	assert_int_equal(run.n_requests, 1);

	/* No "Who is hiring?" among the hits: nothing to follow, no error. */
	src = config("hackernews", NULL);
	struct source_request req = { .url = HN_API "/search_by_date", .step = "search" };
	struct source_result out;
	char err[256];
	assert_int_equal(answer(&source_hackernews, &src, &req, "search_none.json", &out, err, sizeof(err)), 0);
	assert_int_equal(out.next.count, 0);
	assert_int_equal(out.postings.count, 0);

	struct source_config bad = config("hackernews", "yesterday's thread");
	assert_start_refused(&source_hackernews, &bad);
	assert_parse_refused(&source_hackernews, &src, "thread", HN_API "/items/1", "search.json", "children");
}

/* ---- LinkedIn ------------------------------------------------------------- */

#define LI_SEARCH "https://www.linkedin.com/jobs-guest/jobs/api/seeMoreJobPostings/search?keywords=rust&location=Berlin"

static const struct route li_routes[] = {
	{ LI_SEARCH "&start=0", NULL, "page_0.html" },
	{ LI_SEARCH "&start=3", NULL, "page_3.html" },
	{ LI_SEARCH "&start=4", NULL, "page_4.html" },
	{ "https://www.linkedin.com/jobs-guest/jobs/api/jobPosting/4470000001", NULL, "detail_4470000001.html" },
	{ "https://www.linkedin.com/jobs-guest/jobs/api/jobPosting/4470000002", NULL, "detail_4470000002.html" },
	{ "https://www.linkedin.com/jobs-guest/jobs/api/jobPosting/4470000003", NULL, "detail_4470000001.html" },
};

static void test_linkedin_search_pages(void **state)
{
	(void)state;
	assert_true(source_linkedin.off_by_default);
	assert_contains(source_linkedin.terms, "User Agreement");
	assert_contains(source_linkedin.terms, "responsibility");

	struct source_config src =
	    config("linkedin", "https://www.linkedin.com/jobs/search?keywords=rust&location=Berlin&trk=x");
	struct run run;
	drive(&source_linkedin, &src, li_routes, 6, &run);
	/* start advances by the cards each page held (3, then 1) until a page holds none. */
	assert_int_equal(run.n_requests, 3);
	for (size_t i = 0; i < run.n_requests; i++) {
		assert_int_equal(run.requests[i].kind, REQUEST_HTML);
		assert_string_equal(run.requests[i].accept, "text/html");
	}
	assert_int_equal(run.postings.count, 3); /* the repeated card once */
	assert_false(run.complete);              /* a search is never a full listing */
	assert_well_formed(&run, "linkedin");

	const struct posting *rust = find(&run, "4470000001");
	assert_string_equal(rust->title, "Senior Rust Engineer - Matching Engine");
	assert_string_equal(rust->company, "Tidewater Exchange");
	assert_string_equal(rust->location.raw, "Berlin, Berlin, Germany");
	assert_string_equal(rust->location.country, "DE");
	assert_string_equal(rust->date_posted, "2026-09-22");
	assert_string_equal(rust->url, "https://www.linkedin.com/jobs/view/4470000001");

	const struct posting *staff = find(&run, "4470000002");
	assert_string_equal(staff->company, "Harbor & Pine");
	assert_int_equal(staff->workplace, WORKPLACE_REMOTE);  /* "(Remote)" in the title */
	assert_string_equal(staff->date_posted, "2026-09-26"); /* the --new date class */
	assert_true(staff->salary.present);
	assert_true(staff->salary.min == 140000 && staff->salary.max == 175000);
	assert_string_equal(staff->salary.currency, "USD");
}

static void test_linkedin_cap_details_and_detect(void **state)
{
	(void)state;
	struct source_config src = config("linkedin", "keywords=rust&location=Berlin");
	/* At start=998 three more cards reach the 1,000 the search answers: no next page. */
	struct source_request req = {
		.url = LI_SEARCH "&start=998", .step = "page", .page = 5, .context = "keywords=rust&location=Berlin"
	};
	struct source_result out;
	char err[256];
	assert_int_equal(answer(&source_linkedin, &src, &req, "page_0.html", &out, err, sizeof(err)), 0);
	assert_int_equal(out.postings.count, 2);
	assert_int_equal(out.next.count, 0);
	req.url = LI_SEARCH "&start=900";
	assert_int_equal(answer(&source_linkedin, &src, &req, "page_0.html", &out, err, sizeof(err)), 0);
	assert_int_equal(out.next.count, 1);
	assert_string_equal(out.next.items[0].url, LI_SEARCH "&start=903");

	src.options_json = "{\"details\": true}";
	struct run run;
	drive(&source_linkedin, &src, li_routes, 6, &run);
	assert_int_equal(run.n_requests, 6); /* three pages, three job pages */
	assert_int_equal(run.postings.count, 2);
	assert_int_equal(run.warnings, 1); /* the sign-in wall */
	const struct posting *rust = find(&run, "4470000001");
	assert_string_equal(rust->company, "Tidewater Exchange");
	assert_string_equal(rust->location.raw, "Berlin, Berlin, Germany");
	assert_int_equal(rust->employment_types, EMPLOYMENT_FULL_TIME);
	assert_contains(rust->description_html, "<p>We run a <strong>low-latency</strong> exchange.</p>");
	assert_string_equal(rust->apply_url, "https://jobs.tidewater.example/apply/991?source=linkedin");
	char want[TIMEFMT_DATE_LEN];
	date_days_ago(4, want);
	assert_string_equal(rust->date_posted, want);

	assert_string_equal(
	    detect(&source_linkedin,
		   "https://www.linkedin.com/jobs/search?keywords=rust%20dev&location=Berlin&trk=abc&position=1"),
	    "keywords=rust%20dev&location=Berlin");
	assert_string_equal(detect(&source_linkedin, "https://de.linkedin.com/jobs/search/?f_WT=2&keywords=go"),
			    "keywords=go&f_WT=2");
	assert_null(detect(&source_linkedin, "https://www.linkedin.com/jobs/view/4470000001"));
	assert_null(detect(&source_linkedin, "https://www.linkedin.com/jobs/search?trk=only"));
	struct source_config bad = config("linkedin", "trk=abc");
	assert_start_refused(&source_linkedin, &bad);
}

/* ---- XPath ----------------------------------------------------------------- */

static const char xpath_options[] = "{\"item\": \"//li[contains(@class,'opening')]\","
				    " \"title\": \".//h3\","
				    " \"url\": \".//h3/a/@href\","
				    " \"id\": \"@data-job-id\","
				    " \"location\": \".//*[@class='opening__place']\","
				    " \"employment_type\": \".//*[@class='opening__kind']\","
				    " \"salary\": \".//*[@class='opening__pay']\","
				    " \"date\": \".//time/@datetime\","
				    " \"description\": \".//div[@class='opening__summary']\","
				    " \"next\": \"//a[@rel='next']/@href\"}";

static void test_xpath_pages(void **state)
{
	(void)state;
	static const struct route routes[] = {
		{ "https://wingtip.example/careers", NULL, "page1.html" },
		{ "https://wingtip.example/careers?page=2", NULL, "page2.html" },
	};
	struct source_config src = config("xpath", "https://wingtip.example/careers");
	src.company = "Wingtip Toys";
	src.options_json = xpath_options;
	struct run run;
	drive(&source_xpath, &src, routes, 2, &run);
	assert_int_equal(run.n_requests, 2);
	assert_int_equal(run.requests[1].page, 1);
	assert_int_equal(run.postings.count, 3);
	assert_int_equal(run.warnings, 1); /* the opening with an empty title */
	assert_true(run.complete);         /* the last page has no next link */
	assert_well_formed(&run, "xpath");

	const struct posting *designer = find(&run, "wt-101");
	assert_string_equal(designer->title, "Senior Toy Designer");
	assert_string_equal(designer->company, "Wingtip Toys");
	assert_string_equal(designer->url, "https://wingtip.example/careers/wt-101-toy-designer");
	assert_string_equal(designer->location.raw, "Copenhagen, Denmark");
	assert_int_equal(designer->employment_types, EMPLOYMENT_FULL_TIME);
	assert_string_equal(designer->date_posted, "2026-09-14");
	assert_true(designer->salary.present);
	assert_string_equal(designer->salary.currency, "DKK");
	assert_contains(designer->description_html, "<p>Design toys children <em>keep</em>.</p>");

	const struct posting *support = find(&run, "wt-102");
	assert_string_equal(support->url, "https://wingtip.example/wt-102-support?ref=list"); /* relative link */
	assert_int_equal(support->workplace, WORKPLACE_REMOTE);
	assert_null(support->description_html);

	assert_string_equal(find(&run, "wt-103")->url, "https://jobs.wingtip.example/wt-103");

	/* Without an id selector the URL is the id; one page allowed stops before the second. */
	src.options_json = "{\"item\": \"//li[contains(@class,'opening')]\", \"title\": \".//h3\","
			   " \"url\": \".//a/@href\", \"next\": \"//a[@rel='next']/@href\"}";
	src.max_pages = 1;
	drive(&source_xpath, &src, routes, 2, &run);
	assert_int_equal(run.n_requests, 1);
	assert_false(run.complete);
	find(&run, "https://wingtip.example/careers/wt-101-toy-designer");
}

static void test_xpath_configuration_errors(void **state)
{
	(void)state;
	assert_null(source_xpath.detect);
	struct source_config src = config("xpath", "https://wingtip.example/careers");
	assert_start_refused(&source_xpath, &src); /* no options */
	src.options_json = "{\"item\": \"//li\"}";
	assert_start_refused(&source_xpath, &src); /* no title */
	src.options_json = "{\"item\": \"//li[\", \"title\": \".//h3\"}";
	struct source_request_list out = { 0 };
	char err[512] = "";
	assert_true(source_xpath.start(&arena, &src, &out, err, sizeof(err)) < 0);
	assert_contains(err, "\"item\" selector is not valid XPath");
	src.options_json = "{\"item\": \"//li\", \"title\": \".//h3\", \"date\": \"count(\"}";
	assert_start_refused(&source_xpath, &src); /* compiles in libxml2, fails when evaluated */
	src.options_json = "{\"item\": \"//li\", \"title\": \"no-such-function(.)\"}";
	assert_start_refused(&source_xpath, &src);
	src = config("xpath", "javascript:alert(1)");
	src.options_json = "{\"item\": \"//li\", \"title\": \".//h3\"}";
	assert_start_refused(&source_xpath, &src);
}

/* ---- the registry ---------------------------------------------------------- */

static void test_registry_finds_and_detects(void **state)
{
	(void)state;
	static const char *const names[] = { "smartrecruiters", "workable", "personio", "workday",
					     "hackernews",      "linkedin", "rss",      "xpath" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct source_adapter *ad = source_adapter_find(names[i]);
		assert_non_null(ad);
		assert_string_equal(ad->name, names[i]);
		assert_non_null(ad->label);
		assert_non_null(ad->target_help);
		assert_true(ad->off_by_default == (strcmp(names[i], "linkedin") == 0));
	}
	static const struct {
		const char *url, *adapter, *target;
	} cases[] = {
		{ "https://jobs.smartrecruiters.com/Ubisoft2", "smartrecruiters", "Ubisoft2" },
		{ "https://apply.workable.com/acme/", "workable", "acme" },
		{ "https://acme.jobs.personio.de/", "personio", "acme" },
		{ "https://acme.wd5.myworkdayjobs.com/en-US/External", "workday",
		  "https://acme.wd5.myworkdayjobs.com/External" },
		{ "https://news.ycombinator.com/item?id=49522897", "hackernews", "49522897" },
		{ "https://www.linkedin.com/jobs/search?keywords=go", "linkedin", "keywords=go" },
		{ "https://weworkremotely.com/remote-jobs.rss", "rss", "https://weworkremotely.com/remote-jobs.rss" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *target = NULL;
		const struct source_adapter *ad = source_adapter_detect(&arena, cases[i].url, &target);
		if (!ad || strcmp(ad->name, cases[i].adapter) != 0)
			fail_msg("%s detected as %s, not %s", cases[i].url, ad ? ad->name : "nothing",
				 cases[i].adapter);
		assert_string_equal(target, cases[i].target);
	}
}

/* ---- real recorded payloads (skipped when the folder is absent) ------------- */

static const char *recorded_dir(void)
{
	const char *dir = getenv("JT_RECORDED_FIXTURES");
	struct stat st;
	return dir && *dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? dir : NULL;
}

/* The postings an adapter finds in one recorded payload, as the answer to
 * a request with step and url; every one has a title and an id. An empty
 * result when the file is not there. */
static struct source_result recorded(const char *adapter, const struct source_config *src, const char *file,
				     const char *step, const char *url)
{
	const struct source_adapter *ad = source_adapter_find(adapter);
	assert_non_null(ad);
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", recorded_dir(), file);
	size_t len = 0;
	char *body = read_path(path, &len);
	struct source_result out;
	memset(&out, 0, sizeof(out));
	if (!body) {
		printf("    (%s is not there; nothing to check)\n", path);
		return out;
	}
	struct source_request *req = arena_alloc(&arena, sizeof(*req));
	assert_non_null(req);
	*req = (struct source_request){ .url = url, .step = step };
	struct source_response res = { .request = req,
				       .url = url,
				       .status = 200,
				       .content_type = content_type_of(file),
				       .body = body,
				       .len = len };
	char err[512] = "";
	if (ad->parse(&arena, src, &res, &out, err, sizeof(err)) != 0)
		fail_msg("%s on recorded %s: %s", adapter, file, err);
	if (out.postings.count == 0)
		fail_msg("%s found no postings in recorded %s", adapter, file);
	for (size_t i = 0; i < out.postings.count; i++) {
		const struct posting *p = &out.postings.items[i];
		if (!p->title || !p->title[0] || !p->external_id || strcmp(p->source, adapter) != 0)
			fail_msg("%s: posting %zu of recorded %s lacks a title, an id or its source", adapter, i, file);
	}
	printf("    %s: %zu postings from %s\n", adapter, out.postings.count, file);
	return out;
}

/* The recorded posting with this id (the file is there: recorded() found postings). */
static const struct posting *recorded_posting(const struct source_result *r, const char *external_id)
{
	struct run run = { .postings = r->postings };
	return find(&run, external_id);
}

static void assert_recorded_posting(const struct posting *p, const char *title, const char *company,
				    const char *apply_url, const char *date_posted)
{
	assert_string_equal(p->title, title);
	if (company)
		assert_string_equal(p->company, company);
	else
		assert_null(p->company);
	assert_string_equal(p->apply_url, apply_url);
	assert_string_equal(p->date_posted, date_posted);
}

static void assert_place(const struct posting *p, const char *locality, const char *country, enum workplace w)
{
	if (locality)
		assert_string_equal(p->location.locality, locality);
	assert_string_equal(p->location.country, country);
	assert_int_equal(p->workplace, w);
}

static void assert_salary(const struct posting *p, double min, double max, const char *currency,
			  enum salary_period period)
{
	assert_true(p->salary.present);
	if (p->salary.min != min || p->salary.max != max)
		fail_msg("salary %g-%g, want %g-%g", p->salary.min, p->salary.max, min, max);
	assert_string_equal(p->salary.currency, currency);
	assert_int_equal(p->salary.period, period);
}

static void test_recorded_ats_boards(void **state)
{
	(void)state;
	if (!recorded_dir())
		skip();
	struct source_config src = config("greenhouse", "vercel");
	struct source_result r = recorded("greenhouse", &src, "greenhouse.json", "list",
					  "https://boards-api.greenhouse.io/v1/boards/vercel/jobs?content=true");
	if (r.postings.count) {
		assert_int_equal(r.postings.count, 2);
		const struct posting *p = recorded_posting(&r, "6136160004");
		assert_recorded_posting(p, "Account Executive, Commercial", "Vercel",
					"https://job-boards.greenhouse.io/vercel/jobs/6136160004", "2026-08-06");
		assert_place(p, "London", "GB", WORKPLACE_HYBRID);
		assert_string_equal(p->location.raw, "Hybrid - London");
		assert_non_null(strstr(p->description_html, "&lt;h2&gt;About Vercel")); /* unescaped by finish */
	}

	src = config("lever", "spotify");
	r = recorded("lever", &src, "lever.json", "list", "https://api.lever.co/v0/postings/spotify?mode=json");
	if (r.postings.count) {
		const struct posting *p = recorded_posting(&r, "2193db3f-77c5-43b8-b030-8f92c9882bf1");
		assert_recorded_posting(p, "Android Engineer - Experience", "Spotify",
					"https://jobs.lever.co/spotify/2193db3f-77c5-43b8-b030-8f92c9882bf1/apply",
					"2026-06-23");
		assert_place(p, "London", "GB", WORKPLACE_HYBRID);
		assert_int_equal(p->employment_types, EMPLOYMENT_FULL_TIME); /* "Permanent" */
		p = recorded_posting(&r, "d87833d0-fb78-4794-b45d-3fe5c8274bc8");
		assert_place(p, "Ho Chi Minh", "VN", WORKPLACE_HYBRID);
		assert_int_equal(p->employment_types, EMPLOYMENT_TEMPORARY); /* "Short Term" */
		assert_true(r.complete_listing);
	}

	src = config("ashby", "linear");
	r = recorded("ashby", &src, "ashby.json", "list",
		     "https://api.ashbyhq.com/posting-api/job-board/linear?includeCompensation=true");
	if (r.postings.count) {
		const struct posting *p = recorded_posting(&r, "d3bc1ced-3ce4-4086-a050-555055dbb1ff");
		assert_recorded_posting(
		    p, "Senior / Staff Fullstack Engineer", "Linear",
		    "https://jobs.ashbyhq.com/linear/d3bc1ced-3ce4-4086-a050-555055dbb1ff/application", "2021-04-27");
		assert_place(p, NULL, "", WORKPLACE_REMOTE); /* "Europe", "European Union": no one country */
		assert_int_equal(p->employment_types, EMPLOYMENT_FULL_TIME);
		assert_false(p->salary.present); /* compensation not shown */
		assert_place(recorded_posting(&r, "cd5ae036-0223-427a-b038-ba16ef9dcb32"), NULL, "US",
			     WORKPLACE_REMOTE);
	}

	src = config("recruitee", "channable");
	r = recorded("recruitee", &src, "recruitee.json", "list", "https://channable.recruitee.com/api/offers/");
	if (r.postings.count) {
		const struct posting *p = &r.postings.items[0];
		assert_recorded_posting(p, "Customer Success Manager Benelux - Dutch speaking", "Channable",
					p->apply_url, "2026-09-18");
		assert_non_null(strstr(p->apply_url, "https://jobs.channable.com/o/customer-success"));
		assert_place(p, "Utrecht", "NL", WORKPLACE_HYBRID);
		assert_int_equal(p->employment_types, EMPLOYMENT_FULL_TIME);
		assert_salary(p, 3750, 5250, "EUR", SALARY_PERIOD_MONTH);
		assert_salary(&r.postings.items[1], 115000, 130000, "EUR", SALARY_PERIOD_YEAR);
	}

	src = config("smartrecruiters", "Ubisoft2");
	src.options_json = "{\"details\": false}";
	r = recorded("smartrecruiters", &src, "smartrecruiters.json", "list",
		     "https://api.smartrecruiters.com/v1/companies/Ubisoft2/postings?limit=100&offset=0");
	if (r.postings.count) {
		const struct posting *p = recorded_posting(&r, "744000151872065");
		assert_recorded_posting(p, "CRM Webmarketing Assistant", "Ubisoft",
					"https://jobs.smartrecruiters.com/Ubisoft2/744000151872065", "2026-09-25");
		assert_place(p, "Paris", "FR", WORKPLACE_ONSITE);
		assert_int_equal(p->employment_types, EMPLOYMENT_INTERN);
		assert_place(recorded_posting(&r, "744000151912444"), "Montreal", "CA", WORKPLACE_ONSITE);
	}

	src = config("workday", "https://example.wd5.myworkdayjobs.com/External");
	src.options_json = "{\"details\": false}";
	r = recorded("workday", &src, "workday.json", "list",
		     "https://example.wd5.myworkdayjobs.com/wday/cxs/example/External/jobs");
	if (r.postings.count) {
		const struct posting *p = recorded_posting(&r, "JR2026094");
		char four_days_ago[TIMEFMT_DATE_LEN];
		date_days_ago(4, four_days_ago);
		assert_recorded_posting(p, "Senior System Engineer, Solution Engineering", "Example",
					"https://example.wd5.myworkdayjobs.com/External/job/Poland-Remote/"
					"Senior-System-Engineer--Solution-Engineering_JR2026094",
					four_days_ago);
		assert_null(p->location.raw); /* "5 Locations" names none */
	}
}

static void test_recorded_feeds(void **state)
{
	(void)state;
	if (!recorded_dir())
		skip();
	struct source_config src = config("remotive", NULL);
	struct source_result r =
	    recorded("remotive", &src, "remotive.json", "list", "https://remotive.com/api/remote-jobs");
	if (r.postings.count) {
		const struct posting *p = recorded_posting(&r, "2091141");
		assert_recorded_posting(p, "Frontend Web Application Developer", "KoboToolbox",
					"https://remotive.com/remote-jobs/design/"
					"frontend-web-application-developer-2091141",
					"2026-09-18");
		assert_salary(p, 90000, 105000, "USD", SALARY_PERIOD_UNKNOWN);
		assert_place(p, NULL, "", WORKPLACE_REMOTE); /* five countries: no one country */
		p = recorded_posting(&r, "2091144");
		assert_place(p, NULL, "US", WORKPLACE_REMOTE);
		assert_int_equal(p->employment_types, EMPLOYMENT_PART_TIME);
		assert_false(p->salary.present); /* "" */
	}

	src = config("remoteok", NULL);
	r = recorded("remoteok", &src, "remoteok.json", "list", "https://remoteok.com/api");
	if (r.postings.count) {
		assert_int_equal(r.postings.count, 2); /* the legal notice is no posting */
		const struct posting *p = recorded_posting(&r, "1137431");
		assert_recorded_posting(p, "Danish Speaking Solutions Consultant Work Sofia Bulgaria",
					"Mercier Consultancy Group", p->apply_url, "2026-09-24");
		assert_non_null(strstr(p->apply_url, "https://remoteOK.com/remote-jobs/remote-danish-speaking"));
		assert_int_equal(p->workplace, WORKPLACE_REMOTE);
		assert_false(p->salary.present); /* 0 and 0: not known */
	}

	src = config("hackernews", "49522897");
	r = recorded("hackernews", &src, "hackernews.json", "thread", "https://hn.algolia.com/api/v1/items/49522897");
	if (r.postings.count) {
		const struct posting *p = recorded_posting(&r, "49522903");
		assert_recorded_posting(p, "Senior Product Engineer", "Modash.io", "https://modash.io", "2026-09-01");
		assert_int_equal(p->workplace, WORKPLACE_REMOTE);
		assert_int_equal(p->employment_types, EMPLOYMENT_FULL_TIME);
		assert_salary(p, 75000, 110000, "EUR", SALARY_PERIOD_UNKNOWN);
		assert_place(recorded_posting(&r, "49522929"), "Utrecht", "NL", WORKPLACE_HYBRID);
	}

	src = config("linkedin", "keywords=rust");
	r = recorded("linkedin", &src, "linkedin.html", "page",
		     "https://www.linkedin.com/jobs-guest/jobs/api/seeMoreJobPostings/search?keywords=rust&start=0");
	if (r.postings.count) {
		const struct posting *p = recorded_posting(&r, "4465923787");
		assert_recorded_posting(p, "Senior Software Engineer - Rust - Core Services", "Kraken",
					"https://www.linkedin.com/jobs/view/4465923787", "2026-09-15");
		assert_string_equal(p->location.country, "BR");
	}

	src = config("rss", "https://weworkremotely.com/categories/remote-programming-jobs.rss");
	r = recorded("rss", &src, "weworkremotely.rss", "feed", src.target);
	if (r.postings.count) {
		const struct posting *p = &r.postings.items[0];
		assert_recorded_posting(
		    p, "Solutions Architect -Spanish Speaking", "Fin",
		    "https://weworkremotely.com/remote-jobs/fin-solutions-architect-spanish-speaking", "2026-09-11");
		assert_int_equal(p->workplace, WORKPLACE_REMOTE); /* We Work Remotely */
		assert_string_equal(p->location.raw, "Anywhere in the World");
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		fixtures_dir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_smartrecruiters_pages_and_details, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smartrecruiters_list_only_and_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smartrecruiters_detect_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workable_v3_pages_and_details, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workable_widget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workable_detect_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_personio_feed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_personio_empty_hostile_and_wrong, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workday_pages_and_details, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workday_list_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workday_detect_and_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rss_we_work_remotely, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rss_atom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rss_detect_and_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hackernews_latest_thread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hackernews_pinned_and_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linkedin_search_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linkedin_cap_details_and_detect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xpath_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xpath_configuration_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry_finds_and_detects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recorded_ats_boards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recorded_feeds, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
