/* Unit tests for src/scrape/fetch*: the scraper's HTTP engine against a
 * misbehaving server on loopback ports (http_fixture.h): slow, refusing,
 * throttling, truncating, redirecting in circles, sending bombs. Each test
 * reads like a rule the engine keeps. Delays are tens of milliseconds so the
 * suite stays within seconds. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/metrics.h"
#include "http_fixture.h"
#include "scrape/fetch.h"
#include "scrape/retry_after.h"

#define N_PORTS 6

static struct hf_server *server;

/* ---- the server's behaviours, by path ---- */

/* Hits per request target, for answers that change over time. */
static pthread_mutex_t hits_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char target[128];
	int n;
} hits[128];
static char last_user_agent[256];
static char last_if_none_match[256];

static int hit(const char *target)
{
	pthread_mutex_lock(&hits_mu);
	int n = 0;
	for (size_t i = 0; i < 128; i++) {
		if (hits[i].target[0] == '\0') {
			/* Targets are counted by their first 127 bytes; the tests use short ones. */
			snprintf(hits[i].target, sizeof(hits[i].target), "%.127s", target);
		} else if (strcmp(hits[i].target, target) != 0) {
			continue;
		}
		n = ++hits[i].n;
		break;
	}
	pthread_mutex_unlock(&hits_mu);
	return n;
}

static int hits_of(const char *target)
{
	pthread_mutex_lock(&hits_mu);
	int n = 0;
	for (size_t i = 0; i < 128 && hits[i].target[0]; i++)
		if (strcmp(hits[i].target, target) == 0)
			n = hits[i].n;
	pthread_mutex_unlock(&hits_mu);
	return n;
}

static bool path_is(const struct hf_request *req, const char *path)
{
	size_t n = strlen(path);
	return strncmp(req->target, path, n) == 0 && (req->target[n] == '\0' || req->target[n] == '?');
}

/* Deflates zeros into a gzip stream until 1 GiB of them or the client leaves:
 * a few KB on the wire per 10 MB it expands to. */
static void send_gzip_bomb(struct hf_conn *c)
{
	static const unsigned char zeros[65536];
	static _Thread_local unsigned char out[65536];
	hf_printf(c,
		  "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n");
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	for (size_t total = 0; total <= (1u << 30) && hf_running(c); total += sizeof(zeros)) {
		bool last = total == (1u << 30);
		z.next_in = (unsigned char *)zeros;
		z.avail_in = last ? 0 : sizeof(zeros);
		int flush = last ? Z_FINISH : (total % (1u << 20)) == 0 ? Z_SYNC_FLUSH : Z_NO_FLUSH;
		do {
			z.next_out = out;
			z.avail_out = sizeof(out);
			deflate(&z, flush);
			size_t have = sizeof(out) - z.avail_out;
			if (have && hf_write(c, out, have) < 0)
				goto done;
		} while (z.avail_out == 0);
	}
done:
	deflateEnd(&z);
	hf_close_after(c, false);
}

/* 50 MB of 'x', with its length declared or delimited by closing. */
static void send_big(struct hf_conn *c, bool declared)
{
	static const size_t size = 50u << 20;
	static _Thread_local char chunk[65536];
	memset(chunk, 'x', sizeof(chunk));
	if (declared)
		hf_printf(c, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", size);
	else
		hf_printf(c, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
	for (size_t sent = 0; sent < size && hf_running(c); sent += sizeof(chunk))
		if (hf_write(c, chunk, sizeof(chunk)) < 0)
			break;
	hf_close_after(c, false);
}

static void handle(struct hf_conn *c, const struct hf_request *req, void *ctx)
{
	(void)ctx;
	char v[256], body[2048];
	if (strncmp(req->target, "http://", 7) == 0) { /* we are someone's proxy */
		int n = snprintf(body, sizeof(body), "proxied %s", req->target);
		hf_respond(c, 200, "", body, (size_t)n);
	} else if (path_is(req, "/ok")) {
		pthread_mutex_lock(&hits_mu);
		if (!hf_header(req, "User-Agent", last_user_agent, sizeof(last_user_agent)))
			last_user_agent[0] = '\0';
		pthread_mutex_unlock(&hits_mu);
		hf_respond(c, 200, "Content-Type: text/plain; charset=utf-8\r\n", "hello", 5);
	} else if (path_is(req, "/hold")) {
		if (hf_hold(c, hf_query_long(req, "ms", 100)))
			hf_respond(c, 200, "", "held", 4);
	} else if (path_is(req, "/drip")) {
		hf_printf(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
		for (int i = 0; i < 1000 && hf_hold(c, 50); i++)
			if (hf_write(c, "x", 1) < 0)
				break;
	} else if (path_is(req, "/status")) {
		long code = hf_query_long(req, "code", 500);
		int n = snprintf(body, sizeof(body), "status %ld", code);
		hf_respond(c, (int)code, "", body, (size_t)n);
	} else if (path_is(req, "/ra")) { /* 429 with Retry-After for the first n hits */
		if (hit(req->target) <= hf_query_long(req, "n", 1)) {
			snprintf(v, sizeof(v), "Retry-After: %ld\r\n", hf_query_long(req, "s", 1));
			hf_respond(c, 429, v, "slow down", 9);
		} else {
			hf_respond(c, 200, "", "after", 5);
		}
	} else if (path_is(req, "/flaky")) { /* an error status for the first `fail` hits */
		if (hit(req->target) <= hf_query_long(req, "fail", 2))
			hf_respond(c, (int)hf_query_long(req, "code", 503), "", "down", 4);
		else
			hf_respond(c, 200, "", "recovered", 9);
	} else if (path_is(req, "/truncated")) {
		hf_printf(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
		hf_close_after(c, false);
	} else if (path_is(req, "/binary")) {
		hf_respond(c, 200, "Content-Type: text/html; charset=utf-8\r\n",
			   "\xff\xfe\x00\xc3\x28"
			   "abc",
			   8);
	} else if (path_is(req, "/deflate")) {
		unsigned char z[256];
		uLongf zl = sizeof(z);
		static const char text[] = "<p>decoded from deflate</p>";
		compress2(z, &zl, (const unsigned char *)text, sizeof(text) - 1, 9); /* HTTP "deflate" is zlib format */
		hf_respond(c, 200, "Content-Encoding: deflate\r\n", z, zl);
	} else if (path_is(req, "/bomb")) {
		send_gzip_bomb(c);
	} else if (path_is(req, "/big")) {
		send_big(c, hf_query_long(req, "declared", 1) != 0);
	} else if (path_is(req, "/loop")) {
		hf_respond(c, 302, "Location: /loop\r\n", "", 0);
	} else if (path_is(req, "/toftp")) {
		hf_respond(c, 302, "Location: ftp://127.0.0.1/file\r\n", "", 0);
	} else if (path_is(req, "/tofile")) {
		hf_respond(c, 302, "Location: file:///etc/passwd\r\n", "", 0);
	} else if (path_is(req, "/etag")) {
		hit(req->target);
		bool conditional = hf_header(req, "If-None-Match", v, sizeof(v));
		pthread_mutex_lock(&hits_mu);
		snprintf(last_if_none_match, sizeof(last_if_none_match), "%s", conditional ? v : "");
		pthread_mutex_unlock(&hits_mu);
		if (conditional && strcmp(v, "\"v1\"") == 0)
			hf_respond(c, 304, "ETag: \"v1\"\r\n", "", 0);
		else
			hf_respond(c, 200, "ETag: \"v1\"\r\nContent-Type: application/json\r\n", "{\"v\":1}", 7);
	} else if (path_is(req, "/lastmod")) {
		static const char lm[] = "Wed, 21 Oct 2026 07:28:00 GMT";
		if (hf_header(req, "If-Modified-Since", v, sizeof(v)) && strcmp(v, lm) == 0)
			hf_respond(c, 304, "", "", 0);
		else
			hf_respond(c, 200, "Last-Modified: Wed, 21 Oct 2026 07:28:00 GMT\r\n", "page v1", 7);
	} else if (path_is(req, "/post")) {
		char ct[128] = "", x[64] = "";
		hf_header(req, "Content-Type", ct, sizeof(ct));
		hf_header(req, "X-Test", x, sizeof(x));
		int n = snprintf(body, sizeof(body), "%s ct=%s x=%s body=%.*s", req->method, ct, x, (int)req->body_len,
				 req->body);
		hf_respond(c, 200, "", body, (size_t)n);
	} else if (path_is(req, "/reset")) {
		hf_close_after(c, true);
	} else if (path_is(req, "/twocl")) { /* the longer first or last */
		if (hf_query_long(req, "longer_first", 0))
			hf_printf(c, "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nContent-Length: 5\r\n\r\nhello");
		else
			hf_printf(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 12\r\n\r\nhello");
		hf_close_after(c, false);
	} else {
		hf_respond(c, 404, "", "no such path", 12);
	}
}

/* ---- the client side ---- */

struct captured {
	int calls;
	enum fetch_error error;
	long status;
	bool from_cache;
	unsigned attempts;
	double seconds;
	char message[512];
	char content_type[128];
	char final_url[256];
	char host[FETCH_HOST_MAX];
	char *body;
	size_t len;
};

static void capture(struct fetch *f, struct fetch_result *r, void *user)
{
	(void)f;
	struct captured *c = user;
	c->calls++;
	c->error = r->error;
	c->status = r->status;
	c->from_cache = r->from_cache;
	c->attempts = r->attempts;
	c->seconds = r->seconds;
	snprintf(c->message, sizeof(c->message), "%s", r->message);
	snprintf(c->content_type, sizeof(c->content_type), "%s", r->content_type ? r->content_type : "");
	snprintf(c->final_url, sizeof(c->final_url), "%s", r->final_url);
	snprintf(c->host, sizeof(c->host), "%s", r->host);
	assert_non_null(r->body);
	assert_int_equal(r->body[r->len], '\0');
	free(c->body);
	c->body = fetch_result_take_body(r, &c->len);
	assert_non_null(c->body);
	assert_string_equal(r->body, ""); /* taken */
}

static void captured_free(struct captured *c)
{
	free(c->body);
	memset(c, 0, sizeof(*c));
}

/* Fast settings: no pacing, quick backoff, short timeouts. */
static struct fetch_config quick_config(void)
{
	struct fetch_config cfg;
	fetch_config_defaults(&cfg);
	cfg.api_delay_ms = cfg.html_delay_ms = 0;
	cfg.backoff_ms = 20;
	cfg.backoff_max_ms = 100;
	cfg.timeout_ms = 5000;
	cfg.connect_timeout_ms = 2000;
	return cfg;
}

static void url_of(char *out, size_t outlen, int port_index, const char *path)
{
	snprintf(out, outlen, "http://127.0.0.1:%d%s", hf_port(server, port_index), path);
}

static struct fetch_request request_to(char *url, size_t urllen, int port_index, const char *path, struct captured *c)
{
	url_of(url, urllen, port_index, path);
	return (struct fetch_request){
		.url = url, .source = "fetchtest", .delay_ms = FETCH_NO_DELAY, .done = capture, .user = c
	};
}

static void add_or_fail(struct fetch *f, const struct fetch_request *req)
{
	assert_int_equal(fetch_add(f, req), 0);
}

/* One request through an engine with cfg; the result in *c. */
static void fetch_one(const struct fetch_config *cfg, int port_index, const char *path, struct captured *c)
{
	struct fetch *f = fetch_new(cfg);
	assert_non_null(f);
	char url[256];
	struct fetch_request req = request_to(url, sizeof(url), port_index, path, c);
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(c->calls, 1);
	fetch_free(f);
}

/* Several requests queued at once: n of them to path, on ports
 * port .. port + n_ports - 1 in turn, paced by the config's delay for kind. */
struct many {
	int n, port, n_ports;
	const char *path;
	enum fetch_kind kind;
};

static void add_many(struct fetch *f, struct many m, struct captured *c)
{
	for (int i = 0; i < m.n; i++) {
		char url[256];
		struct fetch_request req =
		    request_to(url, sizeof(url), m.port + i % (m.n_ports ? m.n_ports : 1), m.path, &c[i]);
		req.delay_ms = 0;
		req.kind = m.kind;
		add_or_fail(f, &req);
	}
}

static void captured_free_all(struct captured *c, int n)
{
	for (int i = 0; i < n; i++)
		captured_free(&c[i]);
}

static int setup(void **state)
{
	(void)state;
	pthread_mutex_lock(&hits_mu);
	memset(hits, 0, sizeof(hits));
	pthread_mutex_unlock(&hits_mu);
	hf_reset(server);
	return 0;
}

/* ---- plain requests ---- */

static void test_a_page_arrives_with_its_metadata(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/ok", &c);
	assert_int_equal(c.error, FETCH_OK);
	assert_int_equal(c.status, 200);
	assert_string_equal(c.body, "hello");
	assert_int_equal(c.len, 5);
	assert_string_equal(c.content_type, "text/plain; charset=utf-8");
	assert_int_equal(c.attempts, 1);
	assert_false(c.from_cache);
	assert_string_equal(c.message, "");
	char want[64];
	snprintf(want, sizeof(want), "127.0.0.1:%d", hf_port(server, 0));
	assert_string_equal(c.host, want);
	/* The User-Agent names us and where to read who we are. */
	assert_non_null(strstr(last_user_agent, "jobtrack/0.1.0"));
	assert_non_null(strstr(last_user_agent, "+https://"));
	captured_free(&c);
}

/* The address check sees every connection and can refuse it before a
 * byte is sent (base/address.h relies on it). */
struct address_seen {
	int calls;
	bool allow;
	int family;
};

static bool check_address(void *ctx, const struct sockaddr *addr, unsigned len)
{
	struct address_seen *s = ctx;
	s->calls++;
	s->family = len >= sizeof(sa_family_t) ? addr->sa_family : -1;
	return s->allow;
}

static void test_the_address_check_can_refuse_a_connection(void **state)
{
	(void)state;
	struct address_seen seen = { .allow = false };
	struct fetch_config cfg = quick_config();
	cfg.address_allowed = check_address;
	cfg.address_ctx = &seen;
	cfg.max_attempts = 1;
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/ok", &c);
	assert_int_equal(c.error, FETCH_NETWORK);
	assert_true(seen.calls >= 1);
	assert_int_equal(seen.family, AF_INET);
	struct hf_counters n;
	hf_counters(server, &n);
	assert_int_equal(n.requests, 0);
	captured_free(&c);
	/* Allowed: the request goes through as without a check. */
	seen = (struct address_seen){ .allow = true };
	struct captured ok = { 0 };
	fetch_one(&cfg, 0, "/ok", &ok);
	assert_int_equal(ok.error, FETCH_OK);
	assert_string_equal(ok.body, "hello");
	assert_true(seen.calls >= 1);
	captured_free(&ok);
}

static void test_invalid_utf8_passes_through_as_bytes(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/binary", &c);
	assert_int_equal(c.error, FETCH_OK);
	assert_int_equal(c.len, 8);
	assert_memory_equal(c.body,
			    "\xff\xfe\x00\xc3\x28"
			    "abc",
			    8);
	captured_free(&c);
}

static void test_a_compressed_body_arrives_decoded(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/deflate", &c);
	assert_int_equal(c.error, FETCH_OK);
	assert_string_equal(c.body, "<p>decoded from deflate</p>");
	captured_free(&c);
}

static void test_post_sends_body_and_headers(void **state)
{
	(void)state;
	struct fetch *f = fetch_new(NULL);
	struct captured c = { 0 };
	char url[256];
	struct fetch_request req = request_to(url, sizeof(url), 0, "/post", &c);
	static const char *const extra[] = { "X-Test: yes", NULL };
	req.method = "POST";
	req.body = "{\"limit\":20,\"offset\":0}";
	req.body_len = strlen(req.body);
	req.content_type = "application/json";
	req.headers = extra;
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(c.error, FETCH_OK);
	assert_string_equal(c.body, "POST ct=application/json x=yes body={\"limit\":20,\"offset\":0}");
	fetch_free(f);
	captured_free(&c);
}

struct robots_state {
	int calls, later_calls;
	char proxy[64]; /* what the last call was told; "(none)" for NULL */
};

static int robots_hook(void *ctx, const char *url, const char *proxy, char *why, size_t whylen);

/* robots.txt is asked about through the request's proxy too: behind a
 * required proxy a direct fetch of it finds nothing. */
static void test_a_request_may_go_through_a_proxy(void **state)
{
	(void)state;
	struct robots_state rs = { 0 };
	struct fetch_config cfg = quick_config();
	cfg.proxy = "http://config-proxy.invalid:1";
	cfg.robots_allowed = robots_hook;
	cfg.robots_ctx = &rs;
	struct fetch *f = fetch_new(&cfg);
	struct captured c = { 0 };
	char proxy[64];
	url_of(proxy, sizeof(proxy), 1, "");
	struct fetch_request req = { .url = "http://jobs.example.invalid/list?page=2",
				     .proxy = proxy,
				     .delay_ms = FETCH_NO_DELAY,
				     .done = capture,
				     .user = &c };
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(c.error, FETCH_OK);
	assert_string_equal(c.body, "proxied http://jobs.example.invalid/list?page=2");
	assert_int_equal(rs.calls, 1);
	assert_string_equal(rs.proxy, proxy);
	fetch_free(f);
	captured_free(&c);
}

static void test_bad_requests_are_refused_at_the_door(void **state)
{
	(void)state;
	struct fetch *f = fetch_new(NULL);
	struct captured c = { 0 };
	struct fetch_request req = { .url = "ftp://example.com/x", .done = capture, .user = &c };
	assert_int_equal(fetch_add(f, &req), -EINVAL);
	req.url = "not a url";
	assert_int_equal(fetch_add(f, &req), -EINVAL);
	req.url = "http://example.com/\r\nX: y";
	assert_int_equal(fetch_add(f, &req), -EINVAL);
	req.url = "https://example.com/";
	req.method = "PUT";
	assert_int_equal(fetch_add(f, &req), -EINVAL);
	req.method = NULL;
	static const char *const smuggled[] = { "X-A: 1\r\nX-B: 2", NULL };
	req.headers = smuggled;
	assert_int_equal(fetch_add(f, &req), -EINVAL);
	req.headers = NULL;
	req.content_type = "text/plain\nX-B: 2";
	assert_int_equal(fetch_add(f, &req), -EINVAL);
	req.content_type = NULL;
	req.done = NULL;
	assert_int_equal(fetch_add(f, &req), -EINVAL);
	/* Nothing was queued, so nothing is called back. */
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(c.calls, 0);
	fetch_free(f);
}

static void test_the_host_table_is_bounded(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.max_hosts = 2;
	struct fetch *f = fetch_new(&cfg);
	struct captured c = { 0 };
	struct fetch_request req = { .url = "http://a.example/", .done = capture, .user = &c };
	assert_int_equal(fetch_add(f, &req), 0);
	req.url = "http://b.example/";
	assert_int_equal(fetch_add(f, &req), 0);
	req.url = "http://a.example/again";
	assert_int_equal(fetch_add(f, &req), 0); /* a host it knows */
	req.url = "http://c.example/";
	assert_int_equal(fetch_add(f, &req), -ENOSPC);
	/* Freed with requests pending: no callback runs (ASan sees no leak). */
	fetch_free(f);
	assert_int_equal(c.calls, 0);
}

static void test_host_keys_are_host_and_port(void **state)
{
	(void)state;
	char key[FETCH_HOST_MAX];
	assert_int_equal(fetch_host_key("https://Boards.Greenhouse.io/vercel", key), 0);
	assert_string_equal(key, "boards.greenhouse.io:443");
	assert_int_equal(fetch_host_key("http://127.0.0.2:8080/x", key), 0);
	assert_string_equal(key, "127.0.0.2:8080");
	assert_int_equal(fetch_host_key("http://example.com/", key), 0);
	assert_string_equal(key, "example.com:80");
	assert_int_equal(fetch_host_key("http://[::1]:9/", key), 0);
	assert_string_equal(key, "[::1]:9");
	assert_int_equal(fetch_host_key("gopher://example.com/", key), -EINVAL);
}

/* ---- slow servers ---- */

static void test_a_slow_drip_times_out(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.timeout_ms = 300;
	cfg.max_attempts = 1;
	struct captured c = { 0 };
	int64_t t0 = hf_now_ms();
	fetch_one(&cfg, 0, "/drip", &c);
	int64_t took = hf_now_ms() - t0;
	assert_int_equal(c.error, FETCH_TIMEOUT);
	assert_int_equal(c.len, 0); /* half a body is no body */
	assert_true(took >= 280 && took < 2000);
	captured_free(&c);
}

static void test_a_transfer_below_the_low_speed_limit_is_abandoned(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.timeout_ms = 20000;
	cfg.low_speed_bytes = 1000; /* the drip sends 20 bytes a second */
	cfg.low_speed_s = 1;
	cfg.max_attempts = 1;
	struct captured c = { 0 };
	int64_t t0 = hf_now_ms();
	fetch_one(&cfg, 0, "/drip", &c);
	assert_int_equal(c.error, FETCH_TIMEOUT);
	assert_true(hf_now_ms() - t0 < 5000);
	captured_free(&c);
}

/* ---- retries ---- */

static void test_429_with_retry_after_waits_that_long(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/ra?n=1&s=1", &c);
	assert_int_equal(c.error, FETCH_OK);
	assert_string_equal(c.body, "after");
	assert_int_equal(c.attempts, 2);
	int64_t t[4];
	assert_int_equal(hf_arrivals(server, "/ra", t, 4), 2);
	/* The backoff alone is 20-30 ms; the server asked for a second. */
	assert_true(t[1] - t[0] >= 950);
	assert_true(t[1] - t[0] < 2500);
	assert_true(c.seconds >= 0.95);
	captured_free(&c);
}

static void test_5xx_bursts_are_retried_until_success(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct fetch *f = fetch_new(&cfg);
	struct captured c = { 0 };
	char url[256];
	struct fetch_request req = request_to(url, sizeof(url), 0, "/flaky?fail=2&code=503", &c);
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(c.error, FETCH_OK);
	assert_string_equal(c.body, "recovered");
	assert_int_equal(c.attempts, 3);
	struct fetch_stats st;
	fetch_stats(f, &st);
	assert_int_equal(st.retries, 2);
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.pages, 1);
	assert_int_equal(st.errors, 0);
	/* Exponential: the second wait is about twice the first. */
	int64_t t[4];
	assert_int_equal(hf_arrivals(server, "/flaky", t, 4), 3);
	assert_true(t[1] - t[0] >= 18);
	assert_true(t[2] - t[1] >= 38);
	fetch_free(f);
	captured_free(&c);
}

static void test_5xx_forever_gives_up_after_max_attempts(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.max_attempts = 4;
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/status?code=500", &c);
	assert_int_equal(c.error, FETCH_HTTP_ERROR);
	assert_int_equal(c.status, 500);
	assert_int_equal(c.attempts, 4);
	assert_string_equal(c.body, "status 500"); /* the error page, for the log */
	assert_non_null(strstr(c.message, "HTTP 500"));
	struct hf_counters n;
	hf_counters(server, &n);
	assert_int_equal(n.requests, 4);
	captured_free(&c);
}

static void test_404_is_not_retried(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/status?code=404", &c);
	assert_int_equal(c.error, FETCH_HTTP_ERROR);
	assert_int_equal(c.status, 404);
	assert_int_equal(c.attempts, 1);
	captured_free(&c);
}

static void test_retry_after_past_the_cap_gives_up_and_blocks_the_host(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.retry_after_cap_s = 60;
	struct fetch *f = fetch_new(&cfg);
	struct captured c = { 0 }, later = { 0 };
	char url[256], url2[256];
	struct fetch_request req = request_to(url, sizeof(url), 3, "/ra?n=9&s=7200", &c);
	add_or_fail(f, &req);
	int64_t t0 = hf_now_ms();
	assert_int_equal(fetch_run(f), 0);
	assert_true(hf_now_ms() - t0 < 1000); /* not two hours */
	assert_int_equal(c.error, FETCH_HTTP_ERROR);
	assert_int_equal(c.status, 429);
	assert_int_equal(c.attempts, 1);
	assert_non_null(strstr(c.message, "cap"));
	struct fetch_host_status hs;
	assert_int_equal(fetch_host_status(f, c.host, &hs), 0);
	assert_true(hs.blocked_until > time(NULL) + 7000);
	/* The server's wish holds for the host's other requests too. */
	struct fetch_request req2 = request_to(url2, sizeof(url2), 3, "/ok", &later);
	add_or_fail(f, &req2);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(later.error, FETCH_BLOCKED);
	assert_int_equal(later.attempts, 0);
	assert_int_equal(hits_of("/ok"), 0);
	fetch_free(f);
	captured_free(&c);
	captured_free(&later);
}

/* While one host backs off, its next request waits; others are not held up. */
static struct fetch_request queued_on_completion;
static void queue_next(struct fetch *f, struct fetch_result *r, void *user)
{
	capture(f, r, user);
	add_or_fail(f, &queued_on_completion);
}

static void test_a_host_backing_off_gets_no_other_request(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.per_host = 4;
	struct fetch *f = fetch_new(&cfg);
	struct captured throttled = { 0 }, other = { 0 }, same = { 0 };
	char u1[256], u2[256], u3[256];
	struct fetch_request a = request_to(u1, sizeof(u1), 0, "/ra?n=1&s=1", &throttled);
	struct fetch_request b = request_to(u2, sizeof(u2), 1, "/hold?ms=200", &other);
	b.done = queue_next; /* queues c while a's host waits out its Retry-After */
	queued_on_completion = request_to(u3, sizeof(u3), 0, "/ok?late", &same);
	add_or_fail(f, &a);
	add_or_fail(f, &b);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(throttled.error, FETCH_OK);
	assert_int_equal(other.error, FETCH_OK);
	assert_int_equal(same.error, FETCH_OK);
	int64_t ra[2], late[1], hold[1];
	assert_int_equal(hf_arrivals(server, "/ra", ra, 2), 2);
	assert_int_equal(hf_arrivals(server, "/ok?late", late, 1), 1);
	assert_int_equal(hf_arrivals(server, "/hold", hold, 1), 1);
	assert_true(hold[0] - ra[0] < 150);  /* the other host went ahead */
	assert_true(late[0] - ra[0] >= 950); /* the throttled host's next request waited */
	fetch_free(f);
	captured_free(&throttled);
	captured_free(&other);
	captured_free(&same);
}

/* ---- broken answers ---- */

static void test_a_truncated_body_is_an_error(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.max_attempts = 2;
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/truncated", &c);
	assert_int_equal(c.error, FETCH_NETWORK);
	assert_int_equal(c.attempts, 2); /* a connection that died may live next time */
	assert_int_equal(c.len, 0);
	captured_free(&c);
}

static void test_a_reset_connection_is_an_error(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.max_attempts = 2;
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/reset", &c);
	assert_int_equal(c.error, FETCH_NETWORK);
	assert_int_equal(c.attempts, 2);
	captured_free(&c);
}

static void test_two_content_lengths_are_not_a_success(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.max_attempts = 1;
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/twocl", &c);
	assert_int_equal(c.error, FETCH_NETWORK);
	assert_non_null(strstr(c.message, "conflicting Content-Length"));
	assert_int_equal(c.len, 0);
	captured_free(&c);
	fetch_one(&cfg, 0, "/twocl?longer_first=1", &c);
	assert_int_equal(c.error, FETCH_NETWORK);
	assert_int_equal(c.len, 0);
	captured_free(&c);
}

static void test_a_refused_connection_is_retried_then_reported(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct fetch *f = fetch_new(&cfg);
	struct captured c = { 0 };
	/* A port nobody listens on: bind one, note it, close it. */
	struct hf_server *gone = hf_start(1, handle, NULL);
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", hf_port(gone, 0));
	hf_stop(gone);
	struct fetch_request req = { .url = url, .delay_ms = FETCH_NO_DELAY, .done = capture, .user = &c };
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(c.error, FETCH_NETWORK);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.attempts, 3);
	assert_non_null(strstr(c.message, url));
	fetch_free(f);
	captured_free(&c);
}

/* ---- limits ---- */

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void test_a_gzip_bomb_stops_at_max_body(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct captured c = { 0 };
	long rss0 = peak_rss_kb();
	int64_t t0 = hf_now_ms();
	struct fetch *f = fetch_new(&cfg);
	char url[256];
	struct fetch_request req = request_to(url, sizeof(url), 0, "/bomb", &c);
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	int64_t took = hf_now_ms() - t0;
	struct fetch_stats st;
	fetch_stats(f, &st);
	fetch_free(f);
	/* What was decoded up to the limit is counted, though the body is dropped. */
	assert_true(st.bytes > (9u << 20) && st.bytes <= (10u << 20));
	assert_int_equal(c.error, FETCH_TOO_LARGE);
	assert_int_equal(c.attempts, 1);
	assert_int_equal(c.len, 0);
	assert_non_null(strstr(c.message, "larger than 10485760"));
	struct hf_counters n;
	hf_counters(server, &n);
	/* 10 MiB of zeros is about 10 KB of gzip; the server got to send little more. */
	assert_true(n.bytes_sent < (4u << 20));
	assert_true(took < 5000);
	/* Memory grew by the body limit at most, not by the gigabyte. */
	assert_true(peak_rss_kb() - rss0 < 200 * 1024);
	fprintf(stderr, "# gzip bomb: refused after %lld ms, %llu bytes on the wire\n", (long long)took, n.bytes_sent);
	captured_free(&c);
}

static void test_a_declared_50mb_body_is_refused_before_reading_it(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/big?declared=1", &c);
	assert_int_equal(c.error, FETCH_TOO_LARGE);
	captured_free(&c);
}

static void test_an_undeclared_50mb_body_is_cut_at_max_body(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct captured c = { 0 };
	long rss0 = peak_rss_kb();
	int64_t t0 = hf_now_ms();
	fetch_one(&cfg, 0, "/big?declared=0", &c);
	assert_int_equal(c.error, FETCH_TOO_LARGE);
	assert_true(hf_now_ms() - t0 < 5000);
	struct hf_counters n;
	hf_counters(server, &n);
	assert_true(n.bytes_sent < (20u << 20)); /* the rest was never sent */
	assert_true(peak_rss_kb() - rss0 < 100 * 1024);
	captured_free(&c);
}

static void test_a_per_request_body_limit_overrides_the_config(void **state)
{
	(void)state;
	struct fetch *f = fetch_new(NULL);
	struct captured c = { 0 };
	char url[256];
	struct fetch_request req = request_to(url, sizeof(url), 0, "/ok", &c);
	req.max_body = 4; /* "hello" is 5 */
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(c.error, FETCH_TOO_LARGE);
	fetch_free(f);
	captured_free(&c);
}

static void test_a_redirect_loop_fails_cleanly(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/loop", &c);
	assert_int_equal(c.error, FETCH_TOO_MANY_REDIRECTS);
	assert_int_equal(c.attempts, 1);
	int64_t t[16];
	assert_int_equal(hf_arrivals(server, "/loop", t, 16), 6); /* the first and five redirects */
	captured_free(&c);
}

static void test_a_redirect_to_another_scheme_is_refused(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct captured c = { 0 };
	fetch_one(&cfg, 0, "/toftp", &c);
	assert_int_equal(c.error, FETCH_BAD_URL);
	captured_free(&c);
	fetch_one(&cfg, 0, "/tofile", &c);
	assert_int_equal(c.error, FETCH_BAD_URL);
	assert_int_equal(c.attempts, 1);
	captured_free(&c);
}

/* ---- blocked hosts ---- */

static void test_a_host_refusing_three_times_is_blocked(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.block_after = 3;
	cfg.block_for_s = 600;
	struct fetch *f = fetch_new(&cfg);
	struct captured c[5] = { 0 };
	add_many(f, (struct many){ .n = 5, .port = 2, .path = "/status?code=403" }, c);
	assert_int_equal(fetch_run(f), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(c[i].error, FETCH_HTTP_ERROR);
		assert_int_equal(c[i].status, 403);
	}
	assert_non_null(strstr(c[2].message, "blocked"));
	for (int i = 3; i < 5; i++) {
		assert_int_equal(c[i].error, FETCH_BLOCKED);
		assert_int_equal(c[i].attempts, 0);
		assert_non_null(strstr(c[i].message, "blocked until"));
	}
	struct hf_counters n;
	hf_counters(server, &n);
	assert_int_equal(n.requests, 3); /* not hammered */

	struct fetch_host_status hs;
	assert_int_equal(fetch_host_status(f, c[0].host, &hs), 0);
	time_t now = time(NULL);
	assert_true(hs.blocked_until >= now + 595 && hs.blocked_until <= now + 600);
	assert_int_equal(hs.consecutive_failures, 3);
	assert_int_equal(hs.stats.blocked, 2);
	assert_int_equal(hs.stats.errors, 5);
	struct fetch_stats st;
	fetch_stats(f, &st);
	assert_int_equal(st.blocked, 2);
	assert_int_equal(fetch_host_status(f, "nowhere:1", &hs), -ENOENT);
	fetch_free(f);
	captured_free_all(c, 5);
}

static void test_a_success_resets_the_refusal_count(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.block_after = 2;
	struct fetch *f = fetch_new(&cfg);
	struct captured c[4] = { 0 };
	for (int i = 0; i < 4; i++) /* refused, fine, refused, fine */
		add_many(f, (struct many){ .n = 1, .port = 2, .path = i % 2 ? "/ok" : "/status?code=403" }, &c[i]);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(c[3].error, FETCH_OK);
	struct fetch_host_status hs;
	assert_int_equal(fetch_host_status(f, c[0].host, &hs), 0);
	assert_int_equal(hs.blocked_until, 0);
	assert_int_equal(hs.consecutive_failures, 0);
	fetch_free(f);
	captured_free_all(c, 4);
}

struct seen_hosts {
	int n, blocked;
};
static void count_host(const struct fetch_host_status *st, void *ctx)
{
	struct seen_hosts *s = ctx;
	s->n++;
	if (st->blocked_until)
		s->blocked++;
}

static void test_blocked_state_can_be_persisted_and_restored(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct fetch *f = fetch_new(&cfg);
	char key[FETCH_HOST_MAX], url[256];
	url_of(url, sizeof(url), 4, "/ok");
	assert_int_equal(fetch_host_key(url, key), 0);
	assert_int_equal(fetch_host_restore(f, key, time(NULL) + 60, 3), 0);
	assert_int_equal(fetch_host_restore(f, "no port", time(NULL) + 60, 3), -EINVAL);
	struct seen_hosts seen = { 0 };
	fetch_hosts_each(f, count_host, &seen);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.blocked, 1);
	struct captured c = { 0 };
	struct fetch_request req = request_to(url, sizeof(url), 4, "/ok", &c);
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(c.error, FETCH_BLOCKED);
	assert_int_equal(hits_of("/ok"), 0);
	struct hf_counters n;
	hf_counters(server, &n);
	assert_int_equal(n.requests, 0);
	captured_free(&c);
	/* A block that ended while we were away is no block. */
	assert_int_equal(fetch_host_restore(f, key, time(NULL) - 5, 3), 0);
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(c.error, FETCH_OK);
	fetch_free(f);
	captured_free(&c);
}

/* ---- pacing ---- */

static void test_one_transfer_at_a_time_per_host(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.per_host = 1;
	struct fetch *f = fetch_new(&cfg);
	struct captured c[5] = { 0 };
	add_many(f, (struct many){ .n = 5, .path = "/hold?ms=60" }, c);
	int64_t t0 = hf_now_ms();
	assert_int_equal(fetch_run(f), 0);
	assert_true(hf_now_ms() - t0 >= 5 * 60);
	struct hf_counters n;
	hf_counters(server, &n);
	assert_int_equal(n.max_in_flight_port[0], 1);
	assert_int_equal(n.requests, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(c[i].error, FETCH_OK);
	fetch_free(f);
	captured_free_all(c, 5);
}

static void test_per_host_limit_is_what_the_config_says(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.per_host = 3;
	struct fetch *f = fetch_new(&cfg);
	struct captured c[6] = { 0 };
	add_many(f, (struct many){ .n = 6, .path = "/hold?ms=150" }, c);
	assert_int_equal(fetch_run(f), 0);
	struct hf_counters n;
	hf_counters(server, &n);
	assert_int_equal(n.max_in_flight_port[0], 3);
	fetch_free(f);
	captured_free_all(c, 6);
}

static void test_requests_to_one_host_keep_the_minimum_delay(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.api_delay_ms = 120;
	struct fetch *f = fetch_new(&cfg);
	struct captured c[5] = { 0 };
	add_many(f, (struct many){ .n = 4, .path = "/ok?paced" }, c);
	add_many(f, (struct many){ .n = 1, .port = 1, .path = "/ok?elsewhere" }, &c[4]);
	assert_int_equal(fetch_run(f), 0);
	int64_t t[4], e[1];
	assert_int_equal(hf_arrivals(server, "/ok?paced", t, 4), 4);
	assert_int_equal(hf_arrivals(server, "/ok?elsewhere", e, 1), 1);
	for (int i = 1; i < 4; i++) {
		assert_true(t[i] - t[i - 1] >= 118); /* the minimum … */
		/* … plus at most half of it, plus scheduling (generous: CI machines are loaded) */
		assert_true(t[i] - t[i - 1] <= 180 + 250);
	}
	assert_true(e[0] < t[1]); /* another host is not held up behind this one's delay */
	fetch_free(f);
	captured_free_all(c, 5);
}

struct ticks {
	int n;
	int64_t first, last;
};

static void count_tick(void *ctx)
{
	struct ticks *t = ctx;
	int64_t now = hf_now_ms();
	if (!t->n++)
		t->first = now;
	t->last = now;
}

/* The tick goes on while the engine only waits out a delay, at least once a
 * second (a scrape run's heartbeat rides on it). */
static void test_the_tick_runs_while_the_engine_waits(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.api_delay_ms = 2600;
	struct ticks t = { 0 };
	cfg.tick = count_tick;
	cfg.tick_ctx = &t;
	struct fetch *f = fetch_new(&cfg);
	struct captured c[2] = { 0 };
	add_many(f, (struct many){ .n = 2, .path = "/ok?ticked" }, c);
	int64_t t0 = hf_now_ms();
	assert_int_equal(fetch_run(f), 0);
	int64_t took = hf_now_ms() - t0;
	assert_true(took >= 2500);
	/* Once a second at least over the wait (the delay has up to half again of jitter). */
	if (t.n < (int)(took / 1000))
		fail_msg("%d ticks in %lld ms", t.n, (long long)took);
	assert_true(t.first - t0 < 100);
	assert_true(t0 + took - t.last < 1100);
	fetch_free(f);
	captured_free_all(c, 2);
}

static void test_html_pages_get_the_longer_delay(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.api_delay_ms = 10;
	cfg.html_delay_ms = 200;
	struct fetch *f = fetch_new(&cfg);
	struct captured c[2] = { 0 };
	add_many(f, (struct many){ .n = 2, .path = "/ok?page", .kind = FETCH_HTML }, c);
	assert_int_equal(fetch_run(f), 0);
	int64_t t[2];
	assert_int_equal(hf_arrivals(server, "/ok?page", t, 2), 2);
	assert_true(t[1] - t[0] >= 198);
	fetch_free(f);
	captured_free_all(c, 2);
}

static void test_the_global_limit_holds_across_hosts(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.max_total = 3;
	cfg.per_host = 2;
	struct fetch *f = fetch_new(&cfg);
	struct captured c[12] = { 0 };
	add_many(f, (struct many){ .n = 12, .n_ports = 4, .path = "/hold?ms=100" }, c);
	int64_t t0 = hf_now_ms();
	assert_int_equal(fetch_run(f), 0);
	int64_t took = hf_now_ms() - t0;
	struct hf_counters n;
	hf_counters(server, &n);
	assert_int_equal(n.max_in_flight, 3);
	for (int p = 0; p < 4; p++)
		assert_true(n.max_in_flight_port[p] <= 2);
	assert_true(took >= 4 * 100); /* 12 requests, 3 at a time */
	for (int i = 0; i < 12; i++)
		assert_int_equal(c[i].error, FETCH_OK);
	fetch_free(f);
	captured_free_all(c, 12);
}

/* ---- conditional requests ---- */

static char cache_dir[64];

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	char path[512];
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	closedir(d);
	rmdir(dir);
}

/* Entries (names not starting with '.') when prefix is NULL, else names starting with prefix. */
static size_t count_files(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (prefix ? strncmp(de->d_name, prefix, strlen(prefix)) == 0 : de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void test_a_304_answers_from_the_cache(void **state)
{
	(void)state;
	snprintf(cache_dir, sizeof(cache_dir), "/tmp/jt-fetch-XXXXXX");
	assert_non_null(mkdtemp(cache_dir));
	int err;
	struct fetch_dir_cache *dc = fetch_dir_cache_open(cache_dir, 1 << 20, &err);
	assert_non_null(dc);
	struct fetch_cache cache = fetch_dir_cache_interface(dc);
	struct fetch_config cfg = quick_config();
	cfg.cache = &cache;

	struct captured first = { 0 }, second = { 0 };
	fetch_one(&cfg, 0, "/etag", &first);
	assert_int_equal(first.error, FETCH_OK);
	assert_int_equal(first.status, 200);
	assert_false(first.from_cache);
	assert_string_equal(last_if_none_match, "");

	struct fetch *f = fetch_new(&cfg);
	char url[256];
	struct fetch_request req = request_to(url, sizeof(url), 0, "/etag", &second);
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(second.error, FETCH_OK);
	assert_int_equal(second.status, 304);
	assert_true(second.from_cache);
	assert_string_equal(second.body, "{\"v\":1}");
	assert_string_equal(last_if_none_match, "\"v1\"");
	assert_int_equal(hits_of("/etag"), 2);
	struct fetch_stats st;
	fetch_stats(f, &st);
	assert_int_equal(st.not_modified, 1);
	assert_int_equal(st.pages, 1);
	fetch_free(f);
	captured_free(&first);
	captured_free(&second);

	/* Last-Modified alone works the same way. */
	fetch_one(&cfg, 0, "/lastmod", &first);
	assert_false(first.from_cache);
	fetch_one(&cfg, 0, "/lastmod", &second);
	assert_true(second.from_cache);
	assert_string_equal(second.body, "page v1");
	captured_free(&first);
	captured_free(&second);

	assert_int_equal(count_files(cache_dir, NULL), 2);
	assert_int_equal(count_files(cache_dir, ".tmp."), 0);
	fetch_dir_cache_close(dc);
	remove_dir(cache_dir);
}

static void test_the_directory_cache_stays_within_its_size(void **state)
{
	(void)state;
	snprintf(cache_dir, sizeof(cache_dir), "/tmp/jt-fetch-XXXXXX");
	assert_non_null(mkdtemp(cache_dir));
	int err;
	struct fetch_dir_cache *dc = fetch_dir_cache_open(cache_dir, 8192, &err);
	assert_non_null(dc);
	struct fetch_cache cache = fetch_dir_cache_interface(dc);
	char body[400], url[64];
	memset(body, 'b', sizeof(body));
	for (int i = 0; i < 60; i++) {
		snprintf(url, sizeof(url), "https://example.com/job/%d", i);
		assert_int_equal(cache.store(cache.ctx, url, "\"e\"", NULL, body, sizeof(body)), 0);
	}
	/* Sixty entries of ~450 bytes do not fit in 8 KB: the oldest went. */
	size_t files = count_files(cache_dir, NULL);
	assert_true(files >= 10 && files <= 8192 / 400);
	struct fetch_cached got;
	assert_int_equal(cache.lookup(cache.ctx, "https://example.com/job/0", &got), -ENOENT);
	assert_int_equal(cache.lookup(cache.ctx, "https://example.com/job/59", &got), 0);
	assert_string_equal(got.etag, "\"e\"");
	assert_null(got.last_modified);
	assert_int_equal(got.len, sizeof(body));
	free(got.etag);
	free(got.body);
	/* One entry above a quarter of the budget is not kept at all. */
	char big[4000] = { 0 };
	assert_int_equal(cache.store(cache.ctx, "https://example.com/big", "\"x\"", NULL, big, sizeof(big)), -EFBIG);
	assert_int_equal(cache.store(cache.ctx, "https://example.com/none", NULL, NULL, "b", 1), -EINVAL);
	fetch_dir_cache_close(dc);

	/* A damaged entry reads as a miss, never as a body. */
	DIR *d = opendir(cache_dir);
	struct dirent *de;
	char path[512];
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", cache_dir, de->d_name);
			FILE *fp = fopen(path, "r+");
			fputs("jtfc 1\n9 9 9 999999\n", fp);
			fclose(fp);
		}
	closedir(d);
	dc = fetch_dir_cache_open(cache_dir, 8192, &err);
	cache = fetch_dir_cache_interface(dc);
	assert_true(cache.lookup(cache.ctx, "https://example.com/job/59", &got) < 0);
	fetch_dir_cache_close(dc);
	remove_dir(cache_dir);
}

/* ---- robots ---- */

static int robots_hook(void *ctx, const char *url, const char *proxy, char *why, size_t whylen)
{
	struct robots_state *s = ctx;
	s->calls++;
	snprintf(s->proxy, sizeof(s->proxy), "%s", proxy ? proxy : "(none)");
	if (strstr(url, "/private")) {
		snprintf(why, whylen, "Disallow: /private");
		return 0;
	}
	if (strstr(url, "later") && ++s->later_calls < 3)
		return -EAGAIN; /* robots.txt still on its way */
	return 1;
}

static void test_the_robots_hook_decides_before_any_request(void **state)
{
	(void)state;
	struct robots_state rs = { 0 };
	struct fetch_config cfg = quick_config();
	cfg.robots_allowed = robots_hook;
	cfg.robots_ctx = &rs;
	struct fetch *f = fetch_new(&cfg);
	struct captured denied = { 0 }, allowed = { 0 }, later = { 0 };
	char u1[256], u2[256], u3[256];
	struct fetch_request r1 = request_to(u1, sizeof(u1), 0, "/private/jobs", &denied);
	struct fetch_request r2 = request_to(u2, sizeof(u2), 0, "/ok", &allowed);
	struct fetch_request r3 = request_to(u3, sizeof(u3), 1, "/ok?later", &later);
	add_or_fail(f, &r1);
	add_or_fail(f, &r2);
	add_or_fail(f, &r3);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(denied.error, FETCH_DISALLOWED);
	assert_int_equal(denied.attempts, 0);
	assert_non_null(strstr(denied.message, "Disallow: /private"));
	assert_int_equal(allowed.error, FETCH_OK);
	assert_int_equal(later.error, FETCH_OK);
	assert_int_equal(rs.later_calls, 3);
	int64_t t[1];
	assert_int_equal(hf_arrivals(server, "/private", t, 1), 0);
	fetch_free(f);
	captured_free(&denied);
	captured_free(&allowed);
	captured_free(&later);
}

/* ---- the crawler pattern and cancellation ---- */

struct crawl {
	struct captured pages[4];
	char urls[4][256];
	int n;
};

static void crawl_page(struct fetch *f, struct fetch_result *r, void *user)
{
	struct crawl *cr = user;
	int i = cr->n++;
	capture(f, r, &cr->pages[i]);
	if (i == 0) /* the listing names three detail pages */
		for (int k = 1; k <= 3; k++) {
			char path[32];
			snprintf(path, sizeof(path), "/ok?detail=%d", k);
			struct fetch_request req = request_to(cr->urls[k], sizeof(cr->urls[k]), 0, path, NULL);
			req.done = crawl_page;
			req.user = cr;
			add_or_fail(f, &req);
		}
}

static void test_a_callback_may_queue_more_requests(void **state)
{
	(void)state;
	struct crawl cr = { 0 };
	struct fetch *f = fetch_new(NULL);
	struct fetch_request req = request_to(cr.urls[0], sizeof(cr.urls[0]), 0, "/ok?listing", NULL);
	req.done = crawl_page;
	req.user = &cr;
	add_or_fail(f, &req);
	assert_int_equal(fetch_run(f), 0);
	assert_int_equal(cr.n, 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(cr.pages[i].error, FETCH_OK);
		captured_free(&cr.pages[i]);
	}
	fetch_free(f);
}

static void *cancel_soon(void *arg)
{
	struct timespec t = { 0, 150 * 1000000 };
	nanosleep(&t, NULL);
	fetch_cancel(arg);
	return NULL;
}

static void test_cancel_stops_the_loop_and_completes_everything(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	cfg.per_host = 2;
	struct fetch *f = fetch_new(&cfg);
	struct captured c[4] = { 0 };
	add_many(f, (struct many){ .n = 4, .path = "/hold?ms=3000" }, c);
	pthread_t t;
	pthread_create(&t, NULL, cancel_soon, f);
	int64_t t0 = hf_now_ms();
	assert_int_equal(fetch_run(f), -ECANCELED);
	assert_true(hf_now_ms() - t0 < 1000);
	pthread_join(t, NULL);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(c[i].calls, 1);
		assert_int_equal(c[i].error, FETCH_CANCELLED);
	}
	captured_free_all(c, 4);
	char url[256];
	struct fetch_request again = request_to(url, sizeof(url), 0, "/ok", &c[0]);
	assert_int_equal(fetch_add(f, &again), -ECANCELED);
	fetch_free(f);
}

static atomic_bool stop_flag;
static void *raise_flag_soon(void *arg)
{
	(void)arg;
	struct timespec t = { 0, 100 * 1000000 };
	nanosleep(&t, NULL);
	atomic_store(&stop_flag, true);
	return NULL;
}

static void test_a_cancel_flag_stops_the_loop_too(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	atomic_store(&stop_flag, false);
	cfg.cancel_flag = &stop_flag;
	struct fetch *f = fetch_new(&cfg);
	struct captured c = { 0 };
	char url[256];
	struct fetch_request req = request_to(url, sizeof(url), 0, "/hold?ms=3000", &c);
	add_or_fail(f, &req);
	pthread_t t;
	pthread_create(&t, NULL, raise_flag_soon, NULL);
	int64_t t0 = hf_now_ms();
	assert_int_equal(fetch_run(f), -ECANCELED);
	assert_true(hf_now_ms() - t0 < 1000);
	pthread_join(t, NULL);
	assert_int_equal(c.error, FETCH_CANCELLED);
	fetch_free(f);
	captured_free(&c);
}

/* ---- metrics ---- */

static void test_metrics_count_by_source_and_result(void **state)
{
	(void)state;
	struct fetch_config cfg = quick_config();
	struct fetch *f = fetch_new(&cfg);
	struct captured a = { 0 }, b = { 0 };
	char u1[256], u2[256];
	struct fetch_request r1 = request_to(u1, sizeof(u1), 0, "/ok", &a);
	r1.source = "metricsrc";
	struct fetch_request r2 = request_to(u2, sizeof(u2), 0, "/status?code=404", &b);
	r2.source = "Not A Label\"}"; /* counted, but under "other" */
	add_or_fail(f, &r1);
	add_or_fail(f, &r2);
	assert_int_equal(fetch_run(f), 0);
	struct buf out;
	buf_init(&out, 1 << 20);
	metrics_render(&out);
	assert_non_null(strstr(out.data, "jobtrack_fetch_requests_total{source=\"metricsrc\",result=\"ok\"} 1\n"));
	assert_non_null(strstr(out.data, "jobtrack_fetch_requests_total{source=\"other\",result=\"http_error\"}"));
	assert_null(strstr(out.data, "Not A Label"));
	assert_non_null(strstr(out.data, "jobtrack_fetch_duration_seconds_count{source=\"metricsrc\"} 1\n"));
	assert_non_null(strstr(out.data, "# TYPE jobtrack_fetch_bytes_total counter"));
	buf_free(&out);
	fetch_free(f);
	captured_free(&a);
	captured_free(&b);
}

/* ---- Retry-After values ---- */

static void test_retry_after_reads_both_forms(void **state)
{
	(void)state;
	long s;
	time_t now = 1792567680; /* Wed, 21 Oct 2026 07:28:00 GMT */
	assert_int_equal(retry_after_parse("120", now, &s), 0);
	assert_int_equal(s, 120);
	assert_int_equal(retry_after_parse("  0 ", now, &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(retry_after_parse("Wed, 21 Oct 2026 07:30:00 GMT", now, &s), 0);
	assert_int_equal(s, 120);
	assert_int_equal(retry_after_parse("Wednesday, 21-Oct-26 07:29:00 GMT", now, &s), 0); /* RFC 850 */
	assert_int_equal(s, 60);
	assert_int_equal(retry_after_parse("Wed Oct 21 07:28:30 2026", now, &s), 0); /* asctime */
	assert_int_equal(s, 30);
	assert_int_equal(retry_after_parse("Tue, 20 Oct 2026 07:28:00 GMT", now, &s), 0); /* the past */
	assert_int_equal(s, 0);
	assert_int_equal(retry_after_parse("99999999999999999999999", now, &s), 0); /* clamped, not wrapped */
	assert_int_equal(s, RETRY_AFTER_MAX_S);
	assert_int_equal(retry_after_parse("-5", now, &s), -EINVAL);
	assert_int_equal(retry_after_parse("1.5", now, &s), -EINVAL);
	assert_int_equal(retry_after_parse("", now, &s), -EINVAL);
	assert_int_equal(retry_after_parse("soon", now, &s), -EINVAL);
	assert_int_equal(retry_after_parse("12 parsecs", now, &s), -EINVAL);
}

/* ---- throughput ---- */

static void count_ok(struct fetch *f, struct fetch_result *r, void *user)
{
	(void)f;
	if (r->error == FETCH_OK)
		(*(int *)user)++;
}

/* Requests to one host with pacing off, 16 at once, 2000 answered at
 * once and 800 answered after 10 ms each: figures for the report, and a
 * check that sixteen transfers really overlap. */
static void run_batch(const char *path, int n, int64_t *took, struct hf_counters *seen)
{
	struct fetch_config cfg = quick_config();
	cfg.max_total = 16;
	cfg.per_host = 16;
	struct fetch *f = fetch_new(&cfg);
	int ok = 0;
	char url[256];
	url_of(url, sizeof(url), 5, path);
	for (int i = 0; i < n; i++) {
		struct fetch_request req = {
			.url = url, .source = "bench", .delay_ms = FETCH_NO_DELAY, .done = count_ok, .user = &ok
		};
		add_or_fail(f, &req);
	}
	hf_reset(server);
	int64_t t0 = hf_now_ms();
	assert_int_equal(fetch_run(f), 0);
	*took = hf_now_ms() - t0;
	if (*took == 0)
		*took = 1;
	assert_int_equal(ok, n);
	hf_counters(server, seen);
	fprintf(stderr, "# throughput %s: %d requests in %lld ms = %.0f req/s over %lu connections, %u at once\n", path,
		n, (long long)*took, n * 1000.0 / (double)*took, seen->connections, seen->max_in_flight);
	fetch_free(f);
}

static void test_throughput_with_delays_off(void **state)
{
	(void)state;
	int64_t took;
	struct hf_counters seen;
	run_batch("/ok", 2000, &took, &seen);
	assert_true(seen.connections <= 16);
	run_batch("/hold?ms=10", 800, &took, &seen);
	assert_true(seen.max_in_flight <= 16 && seen.max_in_flight >= 8);
	assert_true(took < 800 * 10 / 4); /* far from one at a time */
}

static int group_setup(void **state)
{
	(void)state;
	/* A proxy from the environment would carry our loopback requests away. */
	static const char *const vars[] = { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
					    "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY" };
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	server = hf_start(N_PORTS, handle, NULL);
	return server ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	hf_stop(server);
	return 0;
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_page_arrives_with_its_metadata),
		T(test_the_address_check_can_refuse_a_connection),
		T(test_invalid_utf8_passes_through_as_bytes),
		T(test_a_compressed_body_arrives_decoded),
		T(test_post_sends_body_and_headers),
		T(test_a_request_may_go_through_a_proxy),
		T(test_bad_requests_are_refused_at_the_door),
		T(test_the_host_table_is_bounded),
		T(test_host_keys_are_host_and_port),
		T(test_a_slow_drip_times_out),
		T(test_a_transfer_below_the_low_speed_limit_is_abandoned),
		T(test_429_with_retry_after_waits_that_long),
		T(test_5xx_bursts_are_retried_until_success),
		T(test_5xx_forever_gives_up_after_max_attempts),
		T(test_404_is_not_retried),
		T(test_retry_after_past_the_cap_gives_up_and_blocks_the_host),
		T(test_a_host_backing_off_gets_no_other_request),
		T(test_a_truncated_body_is_an_error),
		T(test_a_reset_connection_is_an_error),
		T(test_two_content_lengths_are_not_a_success),
		T(test_a_refused_connection_is_retried_then_reported),
		T(test_a_gzip_bomb_stops_at_max_body),
		T(test_a_declared_50mb_body_is_refused_before_reading_it),
		T(test_an_undeclared_50mb_body_is_cut_at_max_body),
		T(test_a_per_request_body_limit_overrides_the_config),
		T(test_a_redirect_loop_fails_cleanly),
		T(test_a_redirect_to_another_scheme_is_refused),
		T(test_a_host_refusing_three_times_is_blocked),
		T(test_a_success_resets_the_refusal_count),
		T(test_blocked_state_can_be_persisted_and_restored),
		T(test_one_transfer_at_a_time_per_host),
		T(test_per_host_limit_is_what_the_config_says),
		T(test_requests_to_one_host_keep_the_minimum_delay),
		T(test_the_tick_runs_while_the_engine_waits),
		T(test_html_pages_get_the_longer_delay),
		T(test_the_global_limit_holds_across_hosts),
		T(test_a_304_answers_from_the_cache),
		T(test_the_directory_cache_stays_within_its_size),
		T(test_the_robots_hook_decides_before_any_request),
		T(test_a_callback_may_queue_more_requests),
		T(test_cancel_stops_the_loop_and_completes_everything),
		T(test_a_cancel_flag_stops_the_loop_too),
		T(test_metrics_count_by_source_and_result),
		T(test_retry_after_reads_both_forms),
		T(test_throughput_with_delays_off),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
