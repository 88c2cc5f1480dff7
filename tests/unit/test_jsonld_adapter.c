/* Unit tests for the jsonld source adapter (src/scrape/sources/jsonld.c,
 * schema_*.c, crawl_*.c, sitemap.c) over fixture pages written for this
 * project (tests/fixtures/jsonld/): the JobPosting mapping of JSON-LD and
 * microdata, links and sitemaps, and a whole crawl of a small fixture site
 * served on loopback, driven through the fetch engine the way the scrape
 * driver drives an adapter. argv[1] is the fixture folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <pthread.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http_fixture.h"
#include "scrape/fetch.h"
#include "scrape/finish.h"
#include "scrape/source.h"
#include "scrape/sources/crawl.h"

static const char *fixture_dir;
static struct arena arena;

static char *read_fixture(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", fixture_dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
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

#define NOW ((time_t)1796558400) /* 2026-12-06 12:00 UTC */

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

/* One page's bytes through start + parse (+ finish), as `jobtrack extract` does. */
static struct source_result parse_body(const char *body, size_t len, const char *url, const char *options)
{
	const struct source_adapter *ad = source_adapter_find("jsonld");
	assert_non_null(ad);
	struct source_config src = { .name = "t", .kind = "jsonld", .target = url, .now = NOW, .options_json = options };
	assert_int_equal(source_run_begin(&arena, ad, &src), 0);
	struct source_request_list reqs = { 0 };
	char err[256] = "";
	assert_int_equal(ad->start(&arena, &src, &reqs, err, sizeof(err)), 0);
	struct source_response res = { .request = &reqs.items[0],
				       .url = url,
				       .status = 200,
				       .content_type = "text/html",
				       .body = body,
				       .len = len };
	struct source_result out = { 0 };
	assert_int_equal(ad->parse(&arena, &src, &res, &out, err, sizeof(err)), 0);
	for (size_t i = 0; i < out.postings.count; i++)
		assert_int_equal(posting_finish(&arena, &out.postings.items[i], err, sizeof(err)), 0);
	return out;
}

static struct source_result parse_page(const char *fixture, const char *url, const char *options)
{
	size_t len;
	const char *body = read_fixture(fixture, &len);
	assert_non_null(body);
	return parse_body(body, len, url, options);
}

static void test_graph_page(void **state)
{
	(void)state;
	struct source_result r =
	    parse_page("career_graph.html", "https://northwind.example/careers/backend?ref=x", NULL);
	assert_int_equal(r.postings.count, 1);
	const struct posting *p = &r.postings.items[0];
	assert_string_equal(p->title, "Senior Backend Engineer");
	assert_string_equal(p->company, "Northwind GmbH"); /* the @id reference, resolved */
	assert_string_equal(p->source, "jsonld");
	assert_string_equal(p->external_id, "northwind.example/NW-4711");
	assert_string_equal(p->url, "https://northwind.example/careers/backend-engineer");
	assert_string_equal(p->apply_url, p->url); /* directApply: the page itself */
	assert_string_equal(p->location.locality, "Berlin");
	assert_string_equal(p->location.region, "BE");
	assert_string_equal(p->location.country, "DE");
	assert_non_null(strstr(p->location.raw, "London"));
	assert_int_equal(p->employment_types, EMPLOYMENT_FULL_TIME | EMPLOYMENT_CONTRACTOR);
	assert_true(p->salary.present);
	assert_true(p->salary.min == 70000 && p->salary.max == 90000);
	assert_string_equal(p->salary.currency, "EUR");
	assert_int_equal(p->salary.period, SALARY_PERIOD_YEAR);
	assert_string_equal(p->date_posted, "2026-11-20");
	assert_string_equal(p->valid_through, "2027-01-31");
	/* Escaped HTML unescaped and sanitised by finish: the script is gone. */
	assert_non_null(strstr(p->description_html, "<b>APIs</b>"));
	assert_null(strstr(p->description_html, "script"));
	assert_null(strstr(p->description_html, "alert"));
	assert_int_equal(r.next.count, 0); /* not crawling */
	assert_true(r.complete_listing);
}

static const struct posting *by_title(const struct source_result *r, const char *title)
{
	for (size_t i = 0; i < r->postings.count; i++)
		if (strcmp(r->postings.items[i].title, title) == 0)
			return &r->postings.items[i];
	fail_msg("no posting %s", title);
	return NULL;
}

static void test_array_page(void **state)
{
	(void)state;
	struct source_result r = parse_page("listing_array.html", "https://fabrikam.example/jobs", NULL);
	assert_int_equal(r.postings.count, 2);
	const struct posting *w = by_title(&r, "Warehouse Associate");
	assert_string_equal(w->company, "Fabrikam");
	assert_string_equal(w->location.locality, "Austin");
	assert_string_equal(w->location.region, "TX");
	assert_string_equal(w->location.country, "US");
	assert_int_equal(w->employment_types, EMPLOYMENT_PART_TIME);
	assert_true(w->salary.min == 18.5 && w->salary.max == 18.5);
	assert_int_equal(w->salary.period, SALARY_PERIOD_HOUR);
	assert_string_equal(w->salary.currency, "USD");
	/* No identifier and no url of its own, on a page with two postings:
	 * the identity is a hash of the page and the title. */
	assert_memory_equal(w->external_id, "u:", 2);
	const struct posting *s = by_title(&r, "Remote Support Agent");
	assert_string_equal(s->external_id, "fabrikam.example/4242");
	assert_int_equal(s->workplace, WORKPLACE_REMOTE);
	assert_string_equal(s->location.country, "US");
	assert_int_equal(s->employment_types, EMPLOYMENT_FULL_TIME | EMPLOYMENT_TEMPORARY);
	assert_true(s->salary.min == 40000 && s->salary.max == 52000);
	assert_int_equal(s->salary.period, SALARY_PERIOD_YEAR);
	assert_string_not_equal(w->external_id, s->external_id);
}

static void test_microdata_and_none(void **state)
{
	(void)state;
	struct source_result r = parse_page("microdata.html", "https://contoso.example/jobs/da", NULL);
	assert_int_equal(r.postings.count, 1);
	const struct posting *p = &r.postings.items[0];
	assert_string_equal(p->title, "Data Analyst");
	assert_string_equal(p->company, "Contoso");
	assert_string_equal(p->location.locality, "Utrecht");
	assert_string_equal(p->location.country, "NL");
	assert_string_equal(p->date_posted, "2026-11-15");
	assert_string_equal(p->external_id, "contoso.example/DA-77");
	assert_non_null(strstr(p->description_html, "<em>data</em>"));

	r = parse_page("none.html", "https://contoso.example/about", NULL);
	assert_int_equal(r.postings.count, 0);
}

/* The one posting of a page, its location checked. */
static void expect_place(const char *page, const char *locality, const char *region, const char *country)
{
	struct source_result r = parse_body(page, strlen(page), "https://acme.example/jobs/1", NULL);
	if (r.postings.count != 1)
		fail_msg("%zu postings in %s", r.postings.count, page);
	const struct posting_location *l = &r.postings.items[0].location;
	if (strcmp(l->locality ? l->locality : "", locality) || strcmp(l->region ? l->region : "", region) ||
	    strcmp(l->country, country))
		fail_msg("page %s\nwant %s / %s / %s, got %s / %s / %s", page, locality, region, country,
			 l->locality ? l->locality : "-", l->region ? l->region : "-", l->country);
}

#define JSONLD_AT(address) \
	"<script type=\"application/ld+json\">{\"@type\":\"JobPosting\",\"title\":\"Engineer\",\"identifier\":\"E1\"," \
	"\"jobLocation\":{\"@type\":\"Place\",\"address\":{\"@type\":\"PostalAddress\"," address "}}}</script>"
#define MICRODATA_AT(address) \
	"<div itemscope itemtype=\"https://schema.org/JobPosting\"><h1 itemprop=\"title\">Engineer</h1>" \
	"<span itemprop=\"identifier\">E1</span><div itemprop=\"jobLocation\" itemscope " \
	"itemtype=\"https://schema.org/Place\"><div itemprop=\"address\" itemscope " \
	"itemtype=\"https://schema.org/PostalAddress\">" address "</div></div></div>"

/* A structured address without a country gets the one its region names,
 * as the text "Austin, TX" does; a country it states stays. */
static void test_structured_address_country(void **state)
{
	(void)state;
	expect_place(JSONLD_AT("\"addressLocality\":\"Austin\",\"addressRegion\":\"TX\""), "Austin", "TX", "US");
	expect_place(JSONLD_AT("\"addressLocality\":\"Toronto\",\"addressRegion\":\"ON\""), "Toronto", "ON", "CA");
	expect_place(JSONLD_AT("\"addressLocality\":\"Sydney\",\"addressRegion\":\"New South Wales\""), "Sydney",
		     "New South Wales", "AU");
	expect_place(JSONLD_AT("\"addressLocality\":\"Perth\",\"addressRegion\":\"WA\""), "Perth", "WA", "AU");
	expect_place(JSONLD_AT("\"addressRegion\":\"tx\""), "", "tx", "US");
	expect_place(JSONLD_AT("\"addressLocality\":\"Austin\",\"addressRegion\":\"TX\",\"addressCountry\":\"GB\""),
		     "Austin", "TX", "GB");
	expect_place(JSONLD_AT("\"addressLocality\":\"Munich\",\"addressRegion\":\"Bavaria\""), "Munich", "Bavaria",
		     "");
	expect_place(MICRODATA_AT("<span itemprop=\"addressLocality\">Austin</span>, "
				  "<span itemprop=\"addressRegion\">TX</span>"),
		     "Austin", "TX", "US");
	expect_place(MICRODATA_AT("<span itemprop=\"addressLocality\">Vancouver</span>, "
				  "<span itemprop=\"addressRegion\">BC</span>"),
		     "Vancouver", "BC", "CA");
	expect_place(MICRODATA_AT("<span itemprop=\"addressLocality\">Brisbane</span> "
				  "<meta itemprop=\"addressRegion\" content=\"QLD\">"),
		     "Brisbane", "QLD", "AU");
}

static void test_links_of_a_page(void **state)
{
	(void)state;
	/* Crawl mode without run state: links of this page only, normalised. */
	struct source_result r = parse_page("career_graph.html", "https://northwind.example/careers/backend",
					    "{\"crawl\":true,\"max_pages\":20}");
	const char *want[] = {
		"https://northwind.example/",
		"https://northwind.example/careers/",
		"https://northwind.example/careers/apply?id=4711&src=page",
	};
	bool seen[3] = { false };
	for (size_t i = 0; i < r.next.count; i++) {
		const char *u = r.next.items[i].url;
		assert_int_equal(r.next.items[i].kind, REQUEST_HTML);
		assert_string_equal(r.next.items[i].step, "page");
		bool known = false;
		for (size_t k = 0; k < 3; k++)
			if (strcmp(u, want[k]) == 0) {
				assert_false(seen[k]);
				seen[k] = known = true;
			}
		if (!known)
			fail_msg("unexpected link %s", u);
	}
	for (size_t k = 0; k < 3; k++)
		assert_true(seen[k]);
	/* The promising link (careers) comes before the home page. */
	assert_string_not_equal(r.next.items[0].url, "https://northwind.example/");
}

static void test_urls(void **state)
{
	(void)state;
	const char *base = "https://Jobs.Example.com:443/a/b?x=1";
	assert_string_equal(crawl_url_normalize(&arena, base, " ../c#frag ", 11), "https://jobs.example.com/c");
	assert_string_equal(crawl_url_normalize(&arena, base, "?page=2", 7), "https://jobs.example.com/a/b?page=2");
	assert_string_equal(crawl_url_normalize(&arena, base, "//cdn.example.com", 17), "https://cdn.example.com/");
	assert_string_equal(crawl_url_normalize(&arena, "http://h.example:80/", "/jobs/registered-nurse", 22),
			    "http://h.example/jobs/registered-nurse");
	assert_null(crawl_url_normalize(&arena, base, "mailto:x@y", 10));
	assert_null(crawl_url_normalize(&arena, base, "JavaScript:go()", 15));
	assert_null(crawl_url_normalize(&arena, base, "/logo.PNG", 9));
	assert_null(crawl_url_normalize(&arena, base, "/files/cv.pdf?dl=1", 18));
	assert_null(crawl_url_normalize(&arena, base, "/user/logout", 12));
	assert_null(crawl_url_normalize(&arena, base, "#top", 4));
	assert_null(crawl_url_normalize(&arena, base, "https://u:p@evil.example/", 25));
	char origin[300];
	assert_true(crawl_origin("HTTPS://Example.com:443/x", origin, sizeof(origin)));
	assert_string_equal(origin, "https://example.com");
	assert_true(crawl_same_site("https://example.com/jobs", "https://example.com"));
	assert_false(crawl_same_site("http://example.com/jobs", "https://example.com"));
	assert_false(crawl_same_site("https://example.com.evil.example/", "https://example.com"));
}

struct collected {
	char urls[16][256];
	size_t n;
};

static int collect(const char *href, size_t len, void *ctx)
{
	struct collected *c = ctx;
	if (c->n < 16)
		snprintf(c->urls[c->n++], sizeof(c->urls[0]), "%.*s", (int)len, href);
	return 0;
}

static void test_link_scan(void **state)
{
	(void)state;
	static const char page[] = "<A HREF=/one>1</A><a class=x href='two?a=1&amp;b=2'>"
				   "<script>var s = '<a href=\"/no\">';</script><a data-x=\">\" href=\"three\">"
				   "<!-- <a href=four> --><a href=five&#x2F;six rel=\"external nofollow\">"
				   "<area href=\"/map\"><abbr href=/not-a-link><base href=\"/b/\"><a href";
	struct collected c = { .n = 0 };
	const char *base = NULL;
	crawl_links(&arena, page, sizeof(page) - 1, &base, collect, &c);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.urls[0], "/one");
	assert_string_equal(c.urls[1], "two?a=1&b=2");
	assert_string_equal(c.urls[2], "three");
	assert_string_equal(c.urls[3], "/map");
	assert_string_equal(base, "/b/");
}

struct locs {
	char urls[8][256];
	size_t n;
	enum sitemap_kind kind;
};

static int on_loc(enum sitemap_kind kind, const char *loc, size_t len, void *ctx)
{
	struct locs *l = ctx;
	l->kind = kind;
	if (l->n < 8)
		snprintf(l->urls[l->n++], sizeof(l->urls[0]), "%.*s", (int)len, loc);
	return 0;
}

static void test_sitemaps(void **state)
{
	(void)state;
	size_t len;
	const char *body = read_fixture("sitemap.xml", &len);
	struct locs l = { .n = 0 };
	assert_int_equal(sitemap_read(body, len, on_loc, &l), SITEMAP_URLSET);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.urls[1], "http://HOST/jobs/data-analyst");
	assert_string_equal(l.urls[2], "http://HOST/jobs?page=2&sort=new");
	body = read_fixture("sitemap_index.xml", &len);
	l.n = 0;
	assert_int_equal(sitemap_read(body, len, on_loc, &l), SITEMAP_INDEX);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.kind, SITEMAP_INDEX);
	assert_int_equal(sitemap_read("<html><loc>x</loc></html>", 25, on_loc, &l), SITEMAP_NONE);
}

/* ---- a crawl of tests/fixtures/jsonld/site over loopback HTTP ------------ */

struct site {
	int port;
	unsigned long hits[32];
	char paths[32][128];
	size_t n_paths;
	pthread_mutex_t lock;
};

static const char *file_for(const char *target)
{
	static const struct {
		const char *path, *file;
	} map[] = {
		{ "/", "site/index.html" },
		{ "/about", "site/about.html" },
		{ "/jobs?page=2", "site/page2.html" },
		{ "/jobs?page=1", "site/index.html" },
		{ "/jobs/backend", "site/job_backend.html" },
		{ "/jobs/designer", "site/job_designer.html" },
		{ "/jobs/analyst", "site/job_analyst.html" },
		{ "/jobs/sitemap-only", "site/job_sitemap-only.html" },
		{ "/sitemap.xml", "site/sitemap.xml" },
		{ "/sitemap-jobs.xml", "site/sitemap-jobs.xml" },
		{ "/robots.txt", "site/robots.txt" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].path, target) == 0)
			return map[i].file;
	return NULL;
}

static void site_handler(struct hf_conn *c, const struct hf_request *req, void *ctx)
{
	struct site *s = ctx;
	pthread_mutex_lock(&s->lock);
	size_t i = 0;
	while (i < s->n_paths && strcmp(s->paths[i], req->target) != 0)
		i++;
	if (i == s->n_paths && i < 32)
		snprintf(s->paths[s->n_paths++], sizeof(s->paths[0]), "%.120s", req->target);
	if (i < 32)
		s->hits[i]++;
	pthread_mutex_unlock(&s->lock);
	const char *file = file_for(req->target);
	char path[1024];
	FILE *f = NULL;
	if (file) {
		snprintf(path, sizeof(path), "%s/%s", fixture_dir, file);
		f = fopen(path, "rb");
	}
	if (!f) {
		hf_respond(c, 404, "Content-Type: text/plain\r\n", "no", 2);
		return;
	}
	char raw[16384], body[20000];
	size_t n = fread(raw, 1, sizeof(raw) - 1, f);
	fclose(f);
	raw[n] = '\0';
	/* Sitemaps and robots.txt name absolute URLs: HOST is this server. */
	size_t o = 0;
	for (const char *p = raw; *p && o + 32 < sizeof(body);) {
		if (strncmp(p, "HOST", 4) == 0) {
			o += (size_t)snprintf(body + o, sizeof(body) - o, "127.0.0.1:%d", s->port);
			p += 4;
		} else {
			body[o++] = *p++;
		}
	}
	const char *type = strstr(file, ".xml")   ? "Content-Type: application/xml\r\n"
			   : strstr(file, ".txt") ? "Content-Type: text/plain\r\n"
						  : "Content-Type: text/html; charset=utf-8\r\n";
	hf_respond(c, 200, type, body, o);
}

struct driver {
	const struct source_adapter *ad;
	struct source_config *src;
	struct source_request *reqs[64];
	size_t n_reqs;
	struct posting_list postings;
	int errors;
};

static void queue(struct fetch *f, struct driver *d, struct source_request *r);

static void on_done(struct fetch *f, struct fetch_result *fr, void *user)
{
	struct source_request *r = user;
	struct driver *d = (struct driver *)r->context; /* the test keeps its driver here */
	struct source_response res = { .request = r,
				       .url = fr->final_url,
				       .status = fr->status,
				       .content_type = fr->content_type,
				       .body = fr->body,
				       .len = fr->len };
	struct source_result out = { 0 };
	char err[256];
	if (d->ad->parse(&arena, d->src, &res, &out, err, sizeof(err)) != 0) {
		d->errors++;
		return;
	}
	for (size_t i = 0; i < out.postings.count; i++) {
		if (posting_finish(&arena, &out.postings.items[i], err, sizeof(err)) != 0)
			continue;
		struct posting *p = posting_list_add(&arena, &d->postings);
		*p = out.postings.items[i];
	}
	for (size_t i = 0; i < out.next.count; i++)
		queue(f, d, &out.next.items[i]);
}

static void queue(struct fetch *f, struct driver *d, struct source_request *r)
{
	assert_true(d->n_reqs < 64);
	d->reqs[d->n_reqs++] = r;
	r->context = (const char *)d;
	struct fetch_request fr = { .url = r->url,
				    .source = "jsonld",
				    .kind = r->kind == REQUEST_HTML ? FETCH_HTML : FETCH_API,
				    .delay_ms = FETCH_NO_DELAY,
				    .accept = r->accept,
				    .done = on_done,
				    .user = r };
	assert_int_equal(fetch_add(f, &fr), 0);
}

static struct driver crawl(struct site *s, const char *options, bool with_state)
{
	struct hf_server *srv = hf_start(1, site_handler, s);
	assert_non_null(srv);
	s->port = hf_port(srv, 0);
	char *seed = arena_printf(&arena, "http://127.0.0.1:%d/", s->port);
	struct source_config *src = arena_alloc(&arena, sizeof(*src));
	*src = (struct source_config){
		.name = "t", .kind = "jsonld", .target = seed, .now = NOW, .options_json = options
	};
	struct driver d = { .ad = source_adapter_find("jsonld"), .src = src };
	if (with_state)
		assert_int_equal(source_run_begin(&arena, d.ad, src), 0);
	struct source_request_list first = { 0 };
	char err[256];
	assert_int_equal(d.ad->start(&arena, src, &first, err, sizeof(err)), 0);
	struct fetch_config cfg;
	fetch_config_defaults(&cfg);
	cfg.max_attempts = 1;
	struct fetch *f = fetch_new(&cfg);
	assert_non_null(f);
	for (size_t i = 0; i < first.count; i++)
		queue(f, &d, &first.items[i]);
	assert_int_equal(fetch_run(f), 0);
	fetch_free(f);
	hf_stop(srv);
	return d;
}

static bool has_title(const struct driver *d, const char *title)
{
	for (size_t i = 0; i < d->postings.count; i++)
		if (strcmp(d->postings.items[i].title, title) == 0)
			return true;
	return false;
}

static void test_crawl_site(void **state)
{
	(void)state;
	struct site s = { .n_paths = 0 };
	pthread_mutex_init(&s.lock, NULL);
	struct driver d = crawl(&s, "{\"crawl\":true,\"max_pages\":20}", true);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.postings.count, 3);
	assert_true(has_title(&d, "Backend Engineer"));
	assert_true(has_title(&d, "Product Designer"));
	assert_true(has_title(&d, "Data Analyst")); /* found on page 2 of the listing */
	for (size_t i = 0; i < s.n_paths; i++) {
		if (s.hits[i] != 1)
			fail_msg("%s fetched %lu times", s.paths[i], s.hits[i]);
		assert_null(strstr(s.paths[i], "logout"));
		assert_null(strstr(s.paths[i], "logo.svg"));
		assert_null(strstr(s.paths[i], "#"));
		assert_null(strstr(s.paths[i], "sitemap")); /* not asked for */
	}
	/* index, about, page 2, page 1 (a new URL for the index), three jobs. */
	assert_int_equal(s.n_paths, 7);

	/* The budget: two pages in all. */
	struct site s2 = { .n_paths = 0 };
	pthread_mutex_init(&s2.lock, NULL);
	d = crawl(&s2, "{\"crawl\":true,\"max_pages\":2}", true);
	assert_int_equal(s2.n_paths, 2);

	/* Sitemaps: the index, robots.txt's sitemap, and the page only it lists. */
	struct site s3 = { .n_paths = 0 };
	pthread_mutex_init(&s3.lock, NULL);
	d = crawl(&s3, "{\"crawl\":true,\"sitemap\":true,\"max_pages\":20}", true);
	assert_true(has_title(&d, "Night Auditor"));
	assert_int_equal(d.postings.count, 4);
	for (size_t i = 0; i < s3.n_paths; i++)
		if (s3.hits[i] != 1)
			fail_msg("%s fetched %lu times", s3.paths[i], s3.hits[i]);

	/* A driver that makes no run state: one level from the seed, still bounded. */
	struct site s4 = { .n_paths = 0 };
	pthread_mutex_init(&s4.lock, NULL);
	d = crawl(&s4, "{\"crawl\":true,\"max_pages\":20}", false);
	assert_true(has_title(&d, "Backend Engineer"));
	assert_false(has_title(&d, "Data Analyst")); /* two levels down */
	for (size_t i = 0; i < s4.n_paths; i++)
		assert_int_equal(s4.hits[i], 1);
}

static void test_detect_last(void **state)
{
	(void)state;
	const char *target = NULL;
	const struct source_adapter *ad = source_adapter_detect(&arena, "https://boards.greenhouse.io/vercel", &target);
	assert_non_null(ad);
	assert_string_equal(ad->name, "greenhouse");
	ad = source_adapter_detect(&arena, "https://www.example.com/careers", &target);
	assert_non_null(ad);
	assert_string_equal(ad->name, "jsonld");
	assert_string_equal(target, "https://www.example.com/careers");
	assert_null(source_adapter_detect(&arena, "ftp://example.com/", &target));
}

int main(int argc, char **argv)
{
	fixture_dir = argc > 1 ? argv[1] : "tests/fixtures/jsonld";
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_graph_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_array_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_microdata_and_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_structured_address_country, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links_of_a_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_urls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sitemaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crawl_site, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detect_last, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
