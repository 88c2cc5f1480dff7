/* The scrape driver (scrape/run.h) and ingest (scrape/ingest.h) end to end:
 * a Greenhouse board served by a loopback server (http_fixture.h) from the
 * project's fixture, scraped into a real embedded bus and blob directory,
 * ingested into the store under test; replaying the queue changes nothing;
 * failing sources are reported in their runs and lose nothing stored.
 * argv[1] is the fixture folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <stdatomic.h>
#include <zlib.h>

#include "base/metrics.h"
#include "blob/blob.h"
#include "bus/bus.h"
#include "fixture_site.h"
#include "http_fixture.h"
#include "scrape/ingest.h"
#include "scrape/postings_topic.h"
#include "scrape/run.h"
#include "scrape_env.h"
#include "store_fixture.h"

static const char *fixture_dir;
static char *board;
static size_t board_len;

static char *bomb; /* 20 MB of zeros, gzip-compressed */
static size_t bomb_len;
static atomic_int limited_hits, burst_hits;

static void make_bomb(void)
{
	size_t raw = 20u << 20;
	char *zeros = calloc(1, raw);
	bomb = malloc(raw / 100);
	z_stream z = { 0 };
	deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)zeros;
	z.avail_in = (unsigned)raw;
	z.next_out = (unsigned char *)bomb;
	z.avail_out = (unsigned)(raw / 100);
	deflate(&z, Z_FINISH);
	bomb_len = z.total_out;
	deflateEnd(&z);
	free(zeros);
}

static bool fault(struct hf_conn *c, const struct hf_request *req)
{
	const char *t = req->target;
	if (strstr(t, "/boards/slow/")) {
		hf_hold(c, 5000);
		hf_close_after(c, false);
	} else if (strstr(t, "/boards/limited/")) {
		if (atomic_fetch_add(&limited_hits, 1) == 0)
			hf_respond(c, 429, "Retry-After: 1\r\n", "slow down", 9);
		else
			hf_respond(c, 200, "Content-Type: application/json\r\n", board, board_len);
	} else if (strstr(t, "/boards/burst/")) {
		if (atomic_fetch_add(&burst_hits, 1) < 2)
			hf_respond(c, 502, "", "bad gateway", 11);
		else
			hf_respond(c, 200, "Content-Type: application/json\r\n", board, board_len);
	} else if (strstr(t, "/boards/truncated/")) {
		hf_printf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n");
		hf_write(c, board, board_len / 2);
		hf_close_after(c, false);
	} else if (strstr(t, "/boards/badutf8/")) {
		static const char body[] = "{\"jobs\":[{\"id\":7,\"title\":\"Bad \xff\xfe title\",\"absolute_url\":"
					   "\"https://x.test/7\",\"content\":\"caf\xc3 \xed\xa0\x80 ok\"},"
					   "{\"id\":8,\"title\":\"Good title\",\"absolute_url\":\"https://x.test/8\","
					   "\"content\":\"\xc0\xaf"
					   "desc\"}]}";
		hf_respond(c, 200, "Content-Type: application/json\r\n", body, sizeof(body) - 1);
	} else if (strstr(t, "/boards/bomb/")) {
		hf_respond(c, 200, "Content-Type: application/json\r\nContent-Encoding: gzip\r\n", bomb, bomb_len);
	} else if (strstr(t, "/boards/loop/")) {
		hf_respond(c, 302, "Location: /v1/boards/loop/jobs?content=true\r\n", "", 0);
	} else if (strstr(t, "/boards/huge/")) {
		static char chunk[65536];
		memset(chunk, ' ', sizeof(chunk));
		hf_printf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
			  50 << 20);
		for (int i = 0; i < (50 << 20) / 65536 && hf_write(c, chunk, sizeof(chunk)) == 0; i++)
			;
		hf_close_after(c, false);
	} else {
		return false;
	}
	return true;
}

#define BIG_JOBS 700

/* A small career site for the crawl: a listing linking three job pages,
 * the second of which the site refuses (403). */
static bool site(struct hf_conn *c, const struct hf_request *req)
{
	const char *t = req->target;
	if (strcmp(t, "/big/") == 0) {
		/* More links than the run hands the fetch engine at once. */
		static char body[BIG_JOBS * 40];
		size_t n = 0;
		for (int i = 1; i <= BIG_JOBS; i++)
			n += (size_t)snprintf(body + n, sizeof(body) - n, "<a href=\"/site/jobs/big%d\">J</a>\n", i);
		hf_respond(c, 200, "Content-Type: text/html\r\n", body, n);
	} else if (strcmp(t, "/site/") == 0) {
		static const char body[] =
		    "<html><body><a href=\"/site/jobs/1\">One</a> <a href=\"/site/jobs/2\">Two</a> "
		    "<a href=\"/site/jobs/3\">Three</a></body></html>";
		hf_respond(c, 200, "Content-Type: text/html\r\n", body, sizeof(body) - 1);
	} else if (strcmp(t, "/site/jobs/2") == 0) {
		hf_respond(c, 403, "", "go away", 7);
	} else if (strncmp(t, "/site/jobs/", 11) == 0) {
		char body[1024];
		int n =
		    snprintf(body, sizeof(body),
			     "<html><head><script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
			     "\"@type\":\"JobPosting\",\"title\":\"Job %s\",\"description\":\"<p>Work %s</p>\","
			     "\"hiringOrganization\":{\"name\":\"Acme\"},\"datePosted\":\"2026-01-02\"}</script>"
			     "</head><body>Job</body></html>",
			     t + 11, t + 11);
		hf_respond(c, 200, "Content-Type: text/html\r\n", body, (size_t)n);
	} else {
		return false;
	}
	return true;
}

static void handler(struct hf_conn *c, const struct hf_request *req, void *ctx)
{
	(void)ctx;
	if (fault(c, req) || site(c, req))
		return;
	if (strncmp(req->target, "/v1/boards/acme/", 16) == 0)
		hf_respond(c, 200, "Content-Type: application/json\r\n", board, board_len);
	else if (strncmp(req->target, "/v1/boards/broken/", 18) == 0)
		hf_respond(c, 200, "Content-Type: application/json\r\n", "{\"jobs\": [ {\"id\": ", 18);
	else if (strncmp(req->target, "/v1/boards/down/", 16) == 0)
		hf_respond(c, 503, "", "busy", 4);
	else
		hf_respond(c, 404, "", "no", 2);
}

/* robots.txt as the engine's hook sees it: /v1/boards/private/ is disallowed. */
static int robots_hook(void *ctx, const char *url, const char *proxy, char *why, size_t whylen)
{
	(void)ctx;
	(void)proxy;
	if (strstr(url, "/boards/private/")) {
		snprintf(why, whylen, "robots.txt disallows %s", url);
		return 0;
	}
	return 1;
}

struct fx {
	struct store_fixture sf;
	struct hf_server *hf;
	char base[64];
	struct scrape_env env;
	struct bus *bus;   /* env's */
	struct blob *blob; /* env's */
	int64_t source_id;
	struct fetch_config fetch;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || store_fixture_make(&f->sf, NULL, 1))
		return -1;
	if (scrape_env_open(&f->env, "scrape_run"))
		return -1;
	f->bus = f->env.bus;
	f->blob = f->env.blob;
	f->hf = hf_start(1, handler, NULL);
	snprintf(f->base, sizeof(f->base), "http://127.0.0.1:%d", hf_port(f->hf, 0));
	struct scrape_source src = {
		.name = "acme", .kind = "greenhouse", .target = "acme", .config = "{}", .schedule = "", .enabled = 1
	};
	if (store_source_insert(f->sf.s, &src, 1000))
		return -1;
	f->source_id = src.id;
	fetch_config_defaults(&f->fetch);
	f->fetch.max_attempts = 3;
	f->fetch.backoff_ms = 10;
	f->fetch.backoff_max_ms = 20;
	f->fetch.timeout_ms = 1500;
	f->fetch.max_body = 4u << 20;
	f->fetch.robots_allowed = robots_hook;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hf_stop(f->hf);
	scrape_env_close(&f->env);
	store_fixture_destroy(&f->sf);
	free(f);
	return 0;
}

static struct scrape_report scrape(struct fx *f, const char *target, int64_t source_id)
{
	struct scrape_job job = {
		.src = { .name = target, .kind = "greenhouse", .target = target, .base_url = f->base },
		.source_id = source_id,
		.delay_ms = FETCH_NO_DELAY,
		.fetch = &f->fetch,
		.store = f->sf.s,
		.bus = f->bus,
		.blob = f->blob,
	};
	struct scrape_report rep;
	assert_int_equal(scrape_run(&job, &rep), 0);
	return rep;
}

static struct ingest_stats drain(struct fx *f)
{
	struct ingest *g;
	char err[256];
	assert_int_equal(ingest_open(f->sf.s, f->bus, &g, err, sizeof(err)), 0);
	struct ingest_stats st = { 0 };
	assert_int_equal(ingest_drain(g, &st), 0);
	ingest_close(g);
	return st;
}

static int64_t postings(struct fx *f)
{
	struct posting_filter pf = { .include_closed = 1 };
	int64_t n = -1;
	assert_int_equal(store_posting_count(f->sf.s, &pf, &n), 0);
	return n;
}

static struct scrape_run run_record(struct fx *f, int64_t id, struct arena *a)
{
	struct scrape_run r;
	assert_int_equal(store_run_get(f->sf.s, id, a, &r), 0);
	return r;
}

/* The fixture board lists three jobs, one of them without a title (skipped).
 * Scrape, archive, publish, ingest: the run record ends with the counts. */
static void test_scrape_then_ingest(void **state)
{
	struct fx *f = *state;
	struct scrape_report rep = scrape(f, "acme", f->source_id);
	assert_string_equal(rep.status, "ok");
	assert_false(rep.partial);
	assert_true(rep.complete_listing);
	assert_int_equal(rep.counts.pages, 1);
	assert_int_equal(rep.counts.found, 2);
	assert_int_equal(rep.published, 2);
	assert_int_equal(rep.archived, 1);
	struct blob_list bl;
	assert_int_equal(blob_list(f->blob, "raw/source=acme/date=", NULL, 10, &bl), 0);
	assert_int_equal(bl.count, 1);
	assert_non_null(strstr(bl.keys[0], ".warc.gz"));
	/* The bundle reads back as the WARC record of the page, body and all. */
	struct buf warc;
	buf_init(&warc, 1u << 20);
	assert_int_equal(blob_get(f->blob, bl.keys[0], &warc), 0);
	static const char first[] = "WARC/1.1\r\nWARC-Type: response\r\n";
	assert_true(warc.len > 0 && strncmp(warc.data, first, sizeof(first) - 1) == 0);
	assert_non_null(strstr(warc.data, "\r\n\r\nHTTP/1.1 200 -\r\n"));
	assert_true(warc.len > 4 && memcmp(warc.data + warc.len - 4, "\r\n\r\n", 4) == 0);
	buf_free(&warc);
	blob_list_free(&bl);

	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(run_record(f, rep.run_id, &a).status, "running"); /* until ingest has it */
	struct ingest_stats st = drain(f);
	assert_int_equal(st.postings, 2);
	assert_int_equal(st.new, 2);
	assert_int_equal(st.runs, 1);
	assert_int_equal(postings(f), 2);
	struct scrape_run r = run_record(f, rep.run_id, &a);
	assert_string_equal(r.status, "ok");
	assert_int_equal(r.counts.found, 2);
	assert_int_equal(r.counts.new, 2);
	assert_int_equal(r.counts.pages, 1);

	/* Replaying the whole queue changes nothing. */
	struct bus_consumer *c;
	assert_int_equal(bus_consumer_open(f->bus, POSTINGS_TOPIC, INGEST_GROUP, &c), 0);
	assert_int_equal(bus_seek(c, 0), 0);
	assert_int_equal(bus_commit(c), 0);
	bus_consumer_close(c);
	st = drain(f);
	assert_int_equal(st.records, 3);
	assert_int_equal(st.unchanged, 2);
	assert_int_equal(st.new + st.updated + st.merged + st.runs, 0);
	assert_int_equal(postings(f), 2);
	struct scrape_run again = run_record(f, rep.run_id, &a);
	assert_int_equal(again.counts.new, 2);
	assert_int_equal(again.finished_at, r.finished_at);

	/* A second run sees the same board: nothing new. */
	rep = scrape(f, "acme", f->source_id);
	st = drain(f);
	assert_int_equal(st.unchanged, 2);
	r = run_record(f, rep.run_id, &a);
	assert_string_equal(r.status, "ok");
	assert_int_equal(r.counts.new, 0);
	arena_free(&a);
}

/* Sources that fail: reported in their runs, nothing already stored lost. */
static void test_failures_are_reported(void **state)
{
	struct fx *f = *state;
	scrape(f, "acme", 0);
	drain(f);
	assert_int_equal(postings(f), 2);
	struct arena a;
	arena_init(&a, 0);

	struct scrape_report rep = scrape(f, "down", 0);
	assert_string_equal(rep.status, "failed");
	assert_int_equal(rep.failed, 1);
	assert_true(rep.counts.errors >= 1);
	assert_non_null(strstr(rep.message, "503"));
	drain(f);
	struct scrape_run r = run_record(f, rep.run_id, &a);
	assert_string_equal(r.status, "failed");
	assert_true(r.counts.errors >= 1);

	rep = scrape(f, "broken", 0);
	assert_string_equal(rep.status, "failed");
	assert_int_equal(rep.parse_errors, 1);
	assert_false(rep.complete_listing);
	drain(f);
	assert_string_equal(run_record(f, rep.run_id, &a).status, "failed");
	assert_int_equal(postings(f), 2);
	arena_free(&a);
}

/* A misbehaving server: each failure ends its run with the failure
 * reported, nothing hangs, and what was ingested before stays. */
static void test_misbehaving_server(void **state)
{
	struct fx *f = *state;
	atomic_store(&limited_hits, 0);
	atomic_store(&burst_hits, 0);
	scrape(f, "acme", 0);
	drain(f);
	assert_int_equal(postings(f), 2);
	static const struct {
		const char *target, *status, *message;
	} cases[] = {
		{ "slow", "failed", "" },
		{ "limited", "ok", NULL }, /* 429 + Retry-After: waited, then answered */
		{ "burst", "ok", NULL },   /* two 502s, then the board */
		{ "truncated", "failed", "" },
		{ "badutf8", "failed", "not JSON" }, /* jansson refuses invalid UTF-8: reported */
		{ "bomb", "failed", "" },
		{ "loop", "failed", "" },
		{ "huge", "failed", "" },
		{ "private", "failed", "robots" },
	};
	struct arena a;
	arena_init(&a, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t t0 = hf_now_ms();
		struct scrape_report rep = scrape(f, cases[i].target, 0);
		if (strcmp(rep.status, cases[i].status) != 0)
			fail_msg("%s: status %s (%s), want %s", cases[i].target, rep.status, rep.message,
				 cases[i].status);
		assert_true(hf_now_ms() - t0 < 20000);
		if (cases[i].message) {
			assert_true(rep.counts.errors >= 1 || rep.disallowed == 1);
			assert_non_null(strstr(rep.message, cases[i].message));
		}
		drain(f);
		struct scrape_run r = run_record(f, rep.run_id, &a);
		assert_string_equal(r.status, cases[i].status);
		if (cases[i].message)
			assert_true(strlen(r.message) > 0);
		assert_true(postings(f) >= 2);
	}
	assert_int_equal(atomic_load(&limited_hits), 2);
	arena_free(&a);
}

/* A crawl that found postings while the site refused one page ends
 * "partial", and its record says the source blocked a request. */
static void test_partial_and_blocked_runs(void **state)
{
	struct fx *f = *state;
	char seed[128];
	snprintf(seed, sizeof(seed), "%s/site/", f->base);
	struct scrape_job job = {
		.src = { .name = "site", .kind = "jsonld", .target = seed, .options_json = "{\"crawl\":true}" },
		.source_id = f->source_id,
		.delay_ms = FETCH_NO_DELAY,
		.fetch = &f->fetch,
		.store = f->sf.s,
		.bus = f->bus,
	};
	struct scrape_report rep;
	assert_int_equal(scrape_run(&job, &rep), 0);
	if (strcmp(rep.status, "partial") != 0)
		fail_msg("status %s (%s), found %lld", rep.status, rep.message, (long long)rep.counts.found);
	assert_true(rep.partial);
	assert_int_equal(rep.counts.found, 2);
	assert_int_equal(rep.counts.blocked, 1);
	assert_false(rep.complete_listing);
	assert_non_null(strstr(rep.message, "partial"));
	drain(f);
	struct arena a;
	arena_init(&a, 0);
	struct scrape_run r = run_record(f, rep.run_id, &a);
	assert_string_equal(r.status, "partial");
	assert_int_equal(r.counts.blocked, 1);
	assert_int_equal(r.counts.found, 2);
	assert_int_equal(postings(f), 2);
	arena_free(&a);
}

/* A crawl whose listing links more pages than the fetch engine is handed at
 * once (the rest wait in the run's frontier): every one is fetched, once. */
static void test_a_long_frontier_is_crawled_whole(void **state)
{
	struct fx *f = *state;
	char seed[128];
	snprintf(seed, sizeof(seed), "%s/big/", f->base);
	struct scrape_job job = {
		.src = { .name = "big",
			 .kind = "jsonld",
			 .target = seed,
			 .options_json = "{\"crawl\":true,\"max_pages\":1000}" },
		.source_id = f->source_id,
		.delay_ms = FETCH_NO_DELAY,
		.fetch = &f->fetch,
		.store = f->sf.s,
		.bus = f->bus,
	};
	struct scrape_report rep;
	assert_int_equal(scrape_run(&job, &rep), 0);
	if (strcmp(rep.status, "ok") != 0)
		fail_msg("status %s (%s), found %lld", rep.status, rep.message, (long long)rep.counts.found);
	assert_int_equal(rep.counts.pages, BIG_JOBS + 1);
	assert_int_equal(rep.requests, BIG_JOBS + 1);
	assert_int_equal(rep.counts.found, BIG_JOBS);
	assert_int_equal(rep.published, BIG_JOBS);
	drain(f);
	assert_int_equal(postings(f), BIG_JOBS);
}

/* A run whose process was killed (kill -9) leaves its row "running" with a
 * fresh heartbeat: the next start on this host sees its process is gone,
 * records it crashed and runs, instead of waiting for the heartbeat to go
 * stale. A run whose process lives still keeps others out. */
static void test_a_killed_runs_source_is_free_at_once(void **state)
{
	struct fx *f = *state;
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct store *other;
		char err[256];
		struct arena ca;
		arena_init(&ca, 0);
		struct scrape_run r;
		if (store_open(f->sf.url, &other, err, sizeof(err)) ||
		    store_run_start(other, f->source_id, (int64_t)time(NULL), 0, &ca, &r))
			_exit(1);
		kill(getpid(), SIGKILL);
		_exit(2);
	}
	int status = 0;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	struct arena a;
	arena_init(&a, 0);
	struct scrape_run *runs;
	size_t n;
	assert_int_equal(store_run_list(f->sf.s, f->source_id, 10, &a, &runs, &n), 0);
	assert_int_equal(n, 1);
	int64_t dead = runs[0].id;
	assert_string_equal(runs[0].status, "running");

	struct scrape_report rep = scrape(f, "acme", f->source_id);
	assert_string_equal(rep.status, "ok");
	drain(f);
	struct scrape_run r = run_record(f, dead, &a);
	assert_string_equal(r.status, "crashed");
	char want[64];
	snprintf(want, sizeof(want), "pid %d on ", (int)child);
	if (!strstr(r.message, want) || !strstr(r.message, "is gone"))
		fail_msg("message: %s", r.message);

	/* This process's own running run (alive) still refuses a second one. */
	struct scrape_run mine;
	assert_int_equal(store_run_start(f->sf.s, f->source_id, (int64_t)time(NULL), 0, &a, &mine), 0);
	struct scrape_job job = {
		.src = { .name = "acme", .kind = "greenhouse", .target = "acme", .base_url = f->base },
		.source_id = f->source_id,
		.delay_ms = FETCH_NO_DELAY,
		.fetch = &f->fetch,
		.store = f->sf.s,
		.bus = f->bus,
	};
	assert_int_equal(scrape_run(&job, &rep), -EBUSY);
	arena_free(&a);
}

/* Without store and bus (a dry run) postings reach the callback only. */
static void count_posting(const struct posting *p, void *ctx)
{
	assert_non_null(p->title);
	(*(int *)ctx)++;
}

/* /metrics counts by configured source: two sources on one adapter are
 * two series, each with its adapter; a name that cannot be a plain label
 * value counts under source="other". */
static void test_metrics_are_by_source(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = { "acme-one", "acme-two", "acme-two", "not a label!" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct scrape_job job = {
			.src = { .name = names[i], .kind = "greenhouse", .target = "acme", .base_url = f->base },
			.delay_ms = FETCH_NO_DELAY,
			.fetch = &f->fetch,
		};
		struct scrape_report rep;
		assert_int_equal(scrape_run(&job, &rep), 0);
		assert_string_equal(rep.status, "ok");
	}
	struct buf b;
	buf_init(&b, 1u << 20);
	metrics_render(&b);
	buf_putc(&b, '\0');
	assert_non_null(strstr(b.data, "jobtrack_scrape_pages_total{source=\"acme-one\",adapter=\"greenhouse\"} 1\n"));
	assert_non_null(strstr(b.data, "jobtrack_scrape_pages_total{source=\"acme-two\",adapter=\"greenhouse\"} 2\n"));
	assert_non_null(strstr(b.data, "jobtrack_scrape_pages_total{source=\"other\",adapter=\"greenhouse\"} 1\n"));
	assert_non_null(
	    strstr(b.data, "jobtrack_scrape_runs_total{source=\"acme-two\",adapter=\"greenhouse\",status=\"ok\"} 2\n"));
	assert_non_null(strstr(b.data, "jobtrack_scrape_bytes_total{source=\"acme-one\",adapter=\"greenhouse\"} "));
	buf_free(&b);
}

static void test_dry_run_stores_nothing(void **state)
{
	struct fx *f = *state;
	int seen = 0;
	struct scrape_job job = {
		.src = { .name = "acme", .kind = "greenhouse", .target = "acme", .base_url = f->base },
		.delay_ms = FETCH_NO_DELAY,
		.fetch = &f->fetch,
		.posting = count_posting,
		.posting_ctx = &seen,
	};
	struct scrape_report rep;
	assert_int_equal(scrape_run(&job, &rep), 0);
	assert_string_equal(rep.status, "ok");
	assert_int_equal(seen, 2);
	assert_int_equal(rep.run_id, 0);
	assert_int_equal(rep.published, 0);
	int64_t pending;
	double oldest;
	assert_int_equal(ingest_lag(f->bus, &pending, &oldest), 0);
	assert_int_equal(pending, 0);
	assert_int_equal(postings(f), 0);
}

int main(int argc, char **argv)
{
	fixture_dir = argc > 1 ? argv[1] : "tests/fixtures/sources";
	board = fixture_read(fixture_dir, "greenhouse.json", &board_len);
	if (!board)
		return 1;
	make_bomb();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scrape_then_ingest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failures_are_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_and_blocked_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_long_frontier_is_crawled_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_killed_runs_source_is_free_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_stores_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metrics_are_by_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misbehaving_server, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(board);
	free(bomb);
	return rc;
}
