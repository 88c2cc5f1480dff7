/* Rendered sources end to end (scrape/run.h's render, scrape/browser.h's
 * browser_render_page): a career site on loopback (http_fixture.h) whose
 * listing page builds its postings and its links with JavaScript, crawled
 * into a real bus and the store under test with headless Chromium. Without
 * render nothing is found; with it every posting is stored once, the page's
 * own requests carry jobtrack's User-Agent, robots.txt is asked, and other
 * origins are never reached. A page that never finishes is killed at the
 * time limit and the run goes on; a pool of two never runs more than two
 * Chromium processes for three runs at once; a Chromium that is not there
 * fails the run with what to do. Skipped when /usr/bin/chromium is absent
 * (but for that last test). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bus/bus.h"
#include "children.h"
#include "http_fixture.h"
#include "scrape/browser.h"
#include "scrape/ingest.h"
#include "scrape/run.h"
#include "scrape_env.h"
#include "store_fixture.h"

#define RENDER_MS 30000 /* generous: the machine may be busy; a render takes 1–3 s */

static int other_port; /* the fixture's second port: another origin */
static char script_agent[512];

/* The listing: its postings (one in JSON-LD) and the links to three job
 * pages exist only once its script has fetched /careers/api/jobs.json. It
 * also tries another origin and a path robots.txt disallows. */
static const char listing_fmt[] =
    "<!doctype html><html><head><title>Careers</title></head><body><ul id=\"jobs\"></ul><script>\n"
    "fetch('/careers/api/jobs.json').then(function (r) { return r.json(); }).then(function (d) {\n"
    "  setTimeout(function () {\n"
    "    var ld = document.createElement('script');\n"
    "    ld.type = 'application/ld+json';\n"
    "    ld.textContent = JSON.stringify(d.featured);\n"
    "    document.head.appendChild(ld);\n"
    "    d.links.forEach(function (href) {\n"
    "      var li = document.createElement('li'), a = document.createElement('a');\n"
    "      a.href = href; a.textContent = href; li.appendChild(a);\n"
    "      document.getElementById('jobs').appendChild(li);\n"
    "    });\n"
    "  }, 800);\n"
    "});\n"
    "fetch('http://127.0.0.1:%d/steal').catch(function () {});\n"
    "fetch('/careers/private.json').catch(function () {});\n"
    "</script></body></html>\n";

static const char jobs_json[] =
    "{\"featured\":{\"@context\":\"https://schema.org\",\"@type\":\"JobPosting\",\"title\":\"Featured Role\","
    "\"description\":\"<p>The featured one</p>\",\"identifier\":\"featured\",\"hiringOrganization\":"
    "{\"name\":\"Acme\"},\"datePosted\":\"2026-01-02\"},"
    "\"links\":[\"/careers/jobs/1\",\"/careers/jobs/2\",\"/careers/jobs/3\"]}";

/* A job page: its JSON-LD is written by a timer. */
static const char job_fmt[] =
    "<!doctype html><html><head><title>Job</title></head><body><script>\n"
    "var d = {'@context': 'https://schema.org', '@type': 'JobPosting', title: 'Job %s',\n"
    "  description: '<p>Work %s</p>', identifier: 'job-%s', hiringOrganization: {name: 'Acme'},\n"
    "  datePosted: '2026-01-02'};\n"
    "setTimeout(function () {\n"
    "  var s = document.createElement('script'); s.type = 'application/ld+json';\n"
    "  s.textContent = JSON.stringify(d); document.head.appendChild(s);\n"
    "}, 300);\n"
    "</script></body></html>\n";

/* A slow job page: its data takes a second and a half to come. */
static const char slow_fmt[] = "<!doctype html><html><head></head><body><script>\n"
			       "fetch('/slow/data').then(function (r) { return r.json(); }).then(function (d) {\n"
			       "  d.title = 'Slow %s'; d.identifier = 'slow-%s';\n"
			       "  var s = document.createElement('script'); s.type = 'application/ld+json';\n"
			       "  s.textContent = JSON.stringify(d); document.head.appendChild(s);\n"
			       "});\n"
			       "</script></body></html>\n";

static const char slow_data[] = "{\"@context\":\"https://schema.org\",\"@type\":\"JobPosting\",\"description\":"
				"\"<p>Slow work</p>\",\"hiringOrganization\":{\"name\":\"Acme\"},"
				"\"datePosted\":\"2026-01-02\"}";

static atomic_int api_hits, steal_hits, private_hits, listing_hits, proxied_api_hits;

static void html(struct hf_conn *c, const char *body, size_t len)
{
	hf_respond(c, 200, "Content-Type: text/html; charset=utf-8\r\n", body, len);
}

static void handler(struct hf_conn *c, const struct hf_request *req, void *ctx)
{
	(void)ctx;
	const char *t = req->target;
	char body[4096];
	int n;
	if (req->port_index == 2) { /* a forward proxy: "GET http://127.0.0.1:PORT/path" */
		const char *path = strncmp(t, "http://", 7) == 0 ? strchr(t + 7, '/') : NULL;
		if (!path) {
			hf_respond(c, 400, "", "not a proxy request", 19);
			return;
		}
		if (strcmp(path, "/careers/api/jobs.json") == 0)
			atomic_fetch_add(&proxied_api_hits, 1);
		struct hf_request inner = *req;
		inner.port_index = 0;
		snprintf(inner.target, sizeof(inner.target), "%s", path);
		handler(c, &inner, ctx);
		return;
	}
	if (req->port_index == 1) {
		atomic_fetch_add(&steal_hits, 1);
		hf_respond(c, 200, "Content-Type: text/plain\r\nAccess-Control-Allow-Origin: *\r\n", "x", 1);
	} else if (strcmp(t, "/careers/") == 0) {
		atomic_fetch_add(&listing_hits, 1);
		n = snprintf(body, sizeof(body), listing_fmt, other_port);
		html(c, body, (size_t)n);
	} else if (strcmp(t, "/careers/api/jobs.json") == 0) {
		atomic_fetch_add(&api_hits, 1);
		hf_header(req, "User-Agent", script_agent, sizeof(script_agent));
		hf_respond(c, 200, "Content-Type: application/json\r\n", jobs_json, sizeof(jobs_json) - 1);
	} else if (strcmp(t, "/careers/private.json") == 0) {
		atomic_fetch_add(&private_hits, 1);
		hf_respond(c, 200, "Content-Type: application/json\r\n", "{}", 2);
	} else if (strncmp(t, "/careers/jobs/", 14) == 0 && strlen(t + 14) < 8) {
		n = snprintf(body, sizeof(body), job_fmt, t + 14, t + 14, t + 14);
		html(c, body, (size_t)n);
	} else if (strcmp(t, "/spin/") == 0) {
		static const char links[] = "<html><body><a href=\"/careers/jobs/1\">One</a> "
					    "<a href=\"/spin/forever\">Forever</a></body></html>";
		html(c, links, sizeof(links) - 1);
	} else if (strcmp(t, "/spin/forever") == 0) {
		static const char spin[] = "<html><body><p>loading</p><script>for (;;) {}</script></body></html>";
		html(c, spin, sizeof(spin) - 1);
	} else if (strcmp(t, "/slow/data") == 0) {
		hf_hold(c, 1500);
		hf_respond(c, 200, "Content-Type: application/json\r\n", slow_data, sizeof(slow_data) - 1);
	} else if (strncmp(t, "/slow/", 6) == 0 && strlen(t + 6) < 8) {
		n = snprintf(body, sizeof(body), slow_fmt, t + 6, t + 6);
		html(c, body, (size_t)n);
	} else {
		hf_respond(c, 404, "", "no", 2);
	}
}

/* robots.txt as the engine's hook sees it: /careers/private is disallowed. */
static int robots_hook(void *ctx, const char *url, const char *proxy, char *why, size_t whylen)
{
	(void)ctx;
	(void)proxy;
	if (strstr(url, "/careers/private")) {
		snprintf(why, whylen, "robots.txt disallows %s", url);
		return 0;
	}
	return 1;
}

struct fx {
	struct store_fixture sf;
	struct hf_server *hf;
	struct scrape_env env; /* its dir also holds the Chromium profiles */
	char base[64];
	int64_t source_id;
	struct fetch_config fetch;
	struct browser_pool *pool;
};

static int chromium_installed(void)
{
	return access(BROWSER_CHROMIUM, X_OK) == 0;
}

static int setup(void **state)
{
	signal(SIGPIPE, SIG_IGN);
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || store_fixture_make(&f->sf, NULL, 1))
		return -1;
	if (scrape_env_open(&f->env, "scrape_render"))
		return -1;
	f->hf = hf_start(3, handler, NULL);
	other_port = hf_port(f->hf, 1);
	snprintf(f->base, sizeof(f->base), "http://127.0.0.1:%d", hf_port(f->hf, 0));
	struct scrape_source src = {
		.name = "careers", .kind = "jsonld", .target = "x", .config = "{}", .schedule = "", .enabled = 1
	};
	if (store_source_insert(f->sf.s, &src, 1000))
		return -1;
	f->source_id = src.id;
	fetch_config_defaults(&f->fetch);
	f->fetch.timeout_ms = 5000;
	f->fetch.robots_allowed = robots_hook;
	struct browser_options bo = { .chromium = BROWSER_CHROMIUM, .max_concurrent = 2, .tmp_dir = f->env.dir };
	if (browser_pool_new(&bo, &f->pool))
		return -1;
	atomic_store(&api_hits, 0);
	atomic_store(&steal_hits, 0);
	atomic_store(&private_hits, 0);
	atomic_store(&listing_hits, 0);
	atomic_store(&proxied_api_hits, 0);
	script_agent[0] = '\0';
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	browser_pool_free(f->pool);
	hf_stop(f->hf);
	scrape_env_close(&f->env);
	store_fixture_destroy(&f->sf);
	free(f);
	return 0;
}

static struct scrape_job crawl_job(struct fx *f, char *target, size_t n, const char *path, bool render)
{
	snprintf(target, n, "%s%s", f->base, path);
	return (struct scrape_job){
		.src = { .name = "careers", .kind = "jsonld", .target = target, .options_json = "{\"crawl\":true}" },
		.source_id = f->source_id,
		.delay_ms = FETCH_NO_DELAY,
		.fetch = &f->fetch,
		.store = f->sf.s,
		.bus = f->env.bus,
		.render = render,
		.browser = f->pool,
		.render_timeout_ms = RENDER_MS,
	};
}

static void drain(struct fx *f)
{
	struct ingest *g;
	char err[256];
	assert_int_equal(ingest_open(f->sf.s, f->env.bus, &g, err, sizeof(err)), 0);
	struct ingest_stats st = { 0 };
	assert_int_equal(ingest_drain(g, &st), 0);
	ingest_close(g);
}

static int64_t postings(struct fx *f)
{
	struct posting_filter pf = { .include_closed = 1 };
	int64_t n = -1;
	assert_int_equal(store_posting_count(f->sf.s, &pf, &n), 0);
	return n;
}

static void test_javascript_built_listing_without_and_with_render(void **state)
{
	struct fx *f = *state;
	if (!chromium_installed())
		skip();
	char target[160];
	struct scrape_job job = crawl_job(f, target, sizeof(target), "/careers/", false);
	struct scrape_report rep;
	assert_int_equal(scrape_run(&job, &rep), 0);
	assert_int_equal(rep.counts.found, 0); /* as fetched, the page holds neither postings nor links */
	assert_int_equal(rep.counts.pages, 1);
	drain(f);
	assert_int_equal(postings(f), 0);
	assert_int_equal(atomic_load(&api_hits), 0);

	atomic_store(&listing_hits, 0);
	job = crawl_job(f, target, sizeof(target), "/careers/", true);
	assert_int_equal(scrape_run(&job, &rep), 0);
	if (strcmp(rep.status, "ok") != 0 || rep.counts.found != 4)
		fail_msg("status %s (%s), found %lld", rep.status, rep.message, (long long)rep.counts.found);
	assert_int_equal(rep.counts.pages, 4); /* the listing and the three pages its script linked */
	drain(f);
	assert_int_equal(postings(f), 4);
	assert_int_equal(atomic_load(&listing_hits), 1);    /* fetched once: Chromium got the fetched copy */
	assert_int_equal(atomic_load(&api_hits), 1);        /* the listing's script fetched its data … */
	assert_non_null(strstr(script_agent, "jobtrack/")); /* … as jobtrack */
	assert_int_equal(atomic_load(&private_hits), 0);    /* robots.txt said no */
	assert_int_equal(atomic_load(&steal_hits), 0);      /* other origins are never reached */

	/* again: the same four, stored once */
	assert_int_equal(scrape_run(&job, &rep), 0);
	assert_int_equal(rep.counts.found, 4);
	drain(f);
	assert_int_equal(postings(f), 4);
	assert_int_equal(children_alive(), 0);
}

/* A source with a proxy: the page's own requests go through it too. */
static void test_the_pages_requests_take_the_sources_proxy(void **state)
{
	struct fx *f = *state;
	if (!chromium_installed())
		skip();
	char target[160], proxy[64];
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", hf_port(f->hf, 2));
	struct scrape_job job = crawl_job(f, target, sizeof(target), "/careers/", true);
	job.proxy = proxy;
	struct scrape_report rep;
	assert_int_equal(scrape_run(&job, &rep), 0);
	if (rep.counts.found != 4)
		fail_msg("status %s (%s), found %lld", rep.status, rep.message, (long long)rep.counts.found);
	assert_int_equal(atomic_load(&proxied_api_hits), 1); /* the listing's script, through the proxy */
	assert_int_equal(atomic_load(&api_hits), 1);
	assert_int_equal(atomic_load(&steal_hits), 0);
}

static void test_a_page_that_never_finishes_fails_and_the_run_goes_on(void **state)
{
	struct fx *f = *state;
	if (!chromium_installed())
		skip();
	char target[160];
	struct scrape_job job = crawl_job(f, target, sizeof(target), "/spin/", true);
	job.render_timeout_ms = 3000;
	struct scrape_report rep;
	assert_int_equal(scrape_run(&job, &rep), 0);
	if (strcmp(rep.status, "partial") != 0)
		fail_msg("status %s (%s), found %lld", rep.status, rep.message, (long long)rep.counts.found);
	assert_int_equal(rep.counts.found, 1); /* job 1, rendered after the page that hung */
	assert_int_equal(rep.failed, 1);
	assert_non_null(strstr(rep.message, "/spin/forever did not finish within 3000 ms"));
	drain(f);
	assert_int_equal(postings(f), 1);
	assert_int_equal(children_alive(), 0);
}

static atomic_bool cancel_flag;

static void *cancel_soon(void *arg)
{
	(void)arg;
	usleep(1500 * 1000);
	atomic_store(&cancel_flag, true);
	return NULL;
}

/* A run cancelled while a page renders stops then, not at the page's limit. */
static void test_a_cancelled_run_does_not_wait_out_its_render(void **state)
{
	struct fx *f = *state;
	if (!chromium_installed())
		skip();
	char target[160];
	struct scrape_job job = crawl_job(f, target, sizeof(target), "/spin/forever", true);
	struct fetch_config cfg = f->fetch;
	atomic_store(&cancel_flag, false);
	cfg.cancel_flag = &cancel_flag;
	job.fetch = &cfg;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, cancel_soon, NULL), 0);
	int64_t t0 = hf_now_ms();
	struct scrape_report rep;
	assert_int_equal(scrape_run(&job, &rep), 0);
	int64_t took = hf_now_ms() - t0;
	pthread_join(t, NULL);
	assert_string_equal(rep.status, "cancelled");
	assert_true(took < RENDER_MS / 2); /* the page alone would have held it RENDER_MS */
	assert_int_equal(children_alive(), 0);
}

struct runner {
	struct fx *f;
	char target[160];
	struct scrape_report rep;
	int rc;
	atomic_bool *done;
};

static void *run_thread(void *arg)
{
	struct runner *r = arg;
	struct scrape_job job = {
		.src = { .name = "slow", .kind = "jsonld", .target = r->target },
		.delay_ms = FETCH_NO_DELAY,
		.fetch = &r->f->fetch,
		.render = true,
		.browser = r->f->pool,
		.render_timeout_ms = RENDER_MS,
	};
	r->rc = scrape_run(&job, &r->rep);
	atomic_store(r->done, true);
	return NULL;
}

static void test_the_pool_bounds_chromium_across_runs(void **state)
{
	struct fx *f = *state;
	if (!chromium_installed())
		skip();
	enum { N = 3 };
	struct runner runs[N];
	atomic_bool done[N];
	pthread_t threads[N];
	for (int i = 0; i < N; i++) {
		memset(&runs[i], 0, sizeof(runs[i]));
		atomic_init(&done[i], false);
		runs[i].f = f;
		runs[i].done = &done[i];
		snprintf(runs[i].target, sizeof(runs[i].target), "%s/slow/%d", f->base, i);
		assert_int_equal(pthread_create(&threads[i], NULL, run_thread, &runs[i]), 0);
	}
	int most = 0;
	for (int rounds = 0; rounds < 50 * 120; rounds++) {
		bool all = true;
		for (int i = 0; i < N; i++)
			all = all && atomic_load(&done[i]);
		if (all)
			break;
		int now = children_alive();
		most = now > most ? now : most;
		usleep(20000);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(runs[i].rc, 0);
		if (runs[i].rep.counts.found != 1)
			fail_msg("run %d: %s (%s)", i, runs[i].rep.status, runs[i].rep.message);
	}
	assert_int_equal(most, 2); /* three runs, two Chromium processes at once, never more */
	assert_int_equal(children_alive(), 0);
}

static void test_chromium_missing_is_a_clear_error(void **state)
{
	struct fx *f = *state;
	struct browser_options bo = { .chromium = "/nonexistent/chromium", .tmp_dir = f->env.dir };
	struct browser_pool *missing;
	assert_int_equal(browser_pool_new(&bo, &missing), 0);
	char target[160];
	struct scrape_job job = crawl_job(f, target, sizeof(target), "/careers/", true);
	job.browser = missing;
	hf_reset(f->hf);
	struct scrape_report rep;
	assert_int_equal(scrape_run(&job, &rep), 0);
	assert_string_equal(rep.status, "failed");
	assert_non_null(strstr(rep.message, "Chromium not found at /nonexistent/chromium"));
	assert_non_null(strstr(rep.message, "install"));
	assert_non_null(strstr(rep.message, "turn render off"));
	struct hf_counters hc;
	hf_counters(f->hf, &hc);
	assert_int_equal(hc.requests, 0); /* nothing fetched for a run that cannot render */
	drain(f);
	struct arena a;
	arena_init(&a, 0);
	struct scrape_run r;
	assert_int_equal(store_run_get(f->sf.s, rep.run_id, &a, &r), 0);
	assert_string_equal(r.status, "failed");
	assert_non_null(strstr(r.message, "turn render off"));
	arena_free(&a);
	browser_pool_free(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_chromium_missing_is_a_clear_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_javascript_built_listing_without_and_with_render, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_page_that_never_finishes_fails_and_the_run_goes_on, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_the_pool_bounds_chromium_across_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_cancelled_run_does_not_wait_out_its_render, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_pages_requests_take_the_sources_proxy, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
