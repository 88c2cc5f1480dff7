/* run — the scrape driver; see run.h. */
#include "scrape/run.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "blob/blob.h"
#include "bus/bus.h"
#include "scrape/browser.h"
#include "scrape/finish.h"
#include "scrape/postings_topic.h"
#include "scrape/robots.h"
#include "scrape/scrape_metrics.h"
#include "version.h"

#define HEARTBEAT_MS       2000
#define MAX_POSTINGS_BATCH (48u << 20) /* below BUS_BATCH_MAX, with room for framing */

struct pending;

struct run_ctx {
	const struct scrape_job *job;
	const struct source_adapter *ad;
	struct source_config src;
	struct fetch *f;
	struct arena arena; /* requests of the run */
	struct scrape_report *rep;
	struct scrape_progress prog;
	/* Requests already made this run: FNV-1a hashes, open addressing. */
	uint64_t *seen;
	size_t seen_cap, seen_n;
	long in_flight, max_requests;
	/* The frontier: requests queued beyond FRONTIER_SUBMITTED (oldest
	 * first), not yet handed to the fetch engine, and how many it holds. */
	struct pending *frontier_head, *frontier_tail;
	long submitted;
	struct pending *live; /* every request not yet finished, to free at the end */
	bool publish_failed, complete_seen, stale;
	int64_t last_beat_ms;
	unsigned long seq;
	/* Postings waiting to be published, and raw responses waiting to be
	 * archived: each fsync costs milliseconds, so both go out in batches
	 * (many pages' postings in one durable bus batch, many responses in one
	 * archive object) rather than one per page. */
	struct buf pub_keys, pub_payloads;
	size_t *pub_koff, *pub_poff, pub_n, pub_cap;
	int64_t pub_first_ms;
	struct blob_gz_writer *warc; /* the archive bundle, compressed as it grows */
	struct buf warc_head;        /* one record's headers, reused */
	long warc_n;
	char date[11];
	char blob_prefix[128];
	/* Rendering (job->render): the pool, and what the page's own requests
	 * carry and ask (the engine's User-Agent and robots check). */
	struct browser_pool *browser, *own_browser;
	struct fetch_config cfg;
	char user_agent[256];
};

/* A request from its queueing until its response is handled, its strings
 * after it in the same block: freed then, so a crawl holds only the
 * requests it has yet to make, not all it ever made. */
struct pending {
	struct run_ctx *rc;
	struct source_request req;
	struct pending *next;                  /* in the frontier */
	struct pending *live_prev, *live_next; /* in rc->live */
	char text[];
};

/* Requests handed to the fetch engine at once; the rest wait in the
 * frontier as the compact records already in the run's arena. The engine
 * copies each request it holds (a job of a few hundred bytes with its own
 * strings), and a crawl's listings announce thousands of pages long before
 * they are fetched: all 6,000 held there cost about 1 MiB of the crawl's
 * peak. A few hundred keep every connection and host busy. */
#define FRONTIER_SUBMITTED 256

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull;
}

/* true when the request is new to this run (and remembers it). */
static bool first_time(struct run_ctx *rc, const struct source_request *r)
{
	uint64_t h = fnv(fnv(fnv(14695981039346656037ull, r->method ? r->method : "GET"), r->url), r->body);
	if (h == 0)
		h = 1;
	if (rc->seen_n * 2 >= rc->seen_cap) {
		size_t cap = rc->seen_cap ? rc->seen_cap * 2 : 1024;
		uint64_t *t = calloc(cap, sizeof(*t));
		if (!t)
			return true; /* without memory to remember, fetching twice is the lesser harm */
		for (size_t i = 0; i < rc->seen_cap; i++)
			if (rc->seen[i])
				for (size_t j = rc->seen[i] & (cap - 1);; j = (j + 1) & (cap - 1))
					if (!t[j]) {
						t[j] = rc->seen[i];
						break;
					}
		free(rc->seen);
		rc->seen = t;
		rc->seen_cap = cap;
	}
	for (size_t j = h & (rc->seen_cap - 1);; j = (j + 1) & (rc->seen_cap - 1)) {
		if (rc->seen[j] == h)
			return false;
		if (!rc->seen[j]) {
			rc->seen[j] = h;
			rc->seen_n++;
			return true;
		}
	}
}

static void note_error(struct run_ctx *rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_error(struct run_ctx *rc, const char *fmt, ...)
{
	char line[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_event(LOG_WARN, "scrape.error", "%s: %s", rc->src.name, line);
	char *m = rc->rep->message;
	size_t used = strlen(m), room = sizeof(rc->rep->message);
	if (used + 8 >= room)
		return;
	snprintf(m + used, room - used, "%s%s", used ? "; " : "", line);
}

static void fetch_done(struct fetch *f, struct fetch_result *r, void *user);
static void feed(struct run_ctx *rc);
static void submit(struct run_ctx *rc, struct pending *p);

/* Copies s (if any) to *at, moving *at past it. */
static const char *copy_or_null(char **at, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *copy = memcpy(*at, s, n);
	*at += n;
	return copy;
}

static size_t len_or_zero(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* A copy of the adapter's request, in rc->live. */
static struct pending *pending_new(struct run_ctx *rc, const struct source_request *r)
{
	size_t text = len_or_zero(r->url) + len_or_zero(r->method) + len_or_zero(r->body) +
		      len_or_zero(r->content_type) + len_or_zero(r->accept) + len_or_zero(r->step) +
		      len_or_zero(r->context);
	struct pending *p = malloc(sizeof(*p) + text);
	if (!p)
		return NULL;
	char *at = p->text;
	p->rc = rc;
	p->req = *r;
	p->req.url = copy_or_null(&at, r->url);
	p->req.method = copy_or_null(&at, r->method);
	p->req.body = copy_or_null(&at, r->body);
	p->req.content_type = copy_or_null(&at, r->content_type);
	p->req.accept = copy_or_null(&at, r->accept);
	p->req.step = copy_or_null(&at, r->step);
	p->req.context = copy_or_null(&at, r->context);
	p->next = NULL;
	p->live_prev = NULL;
	p->live_next = rc->live;
	if (rc->live)
		rc->live->live_prev = p;
	rc->live = p;
	return p;
}

static void pending_free(struct pending *p)
{
	struct pending **from = p->live_prev ? &p->live_prev->live_next : &p->rc->live;
	*from = p->live_next;
	if (p->live_next)
		p->live_next->live_prev = p->live_prev;
	free(p);
}

/* Queues a request of the adapter's (its strings copied). */
static void enqueue(struct run_ctx *rc, const struct source_request *r)
{
	if (!r->url || !first_time(rc, r))
		return;
	if (rc->rep->requests >= rc->max_requests) {
		rc->rep->skipped++;
		return;
	}
	struct pending *p = pending_new(rc, r);
	if (!p) {
		note_error(rc, "out of memory queueing %s", r->url);
		rc->rep->failed++;
		return;
	}
	rc->rep->requests++;
	rc->in_flight++;
	if (rc->submitted >= FRONTIER_SUBMITTED || rc->frontier_head) { /* oldest first */
		if (rc->frontier_tail)
			rc->frontier_tail->next = p;
		else
			rc->frontier_head = p;
		rc->frontier_tail = p;
		return;
	}
	submit(rc, p);
}

/* Hands a queued request to the fetch engine; one it refuses is counted
 * as not made. */
static void submit(struct run_ctx *rc, struct pending *p)
{
	const struct source_request *r = &p->req;
	struct fetch_request fr = {
		.url = p->req.url,
		.source = rc->ad->name,
		.kind = r->kind == REQUEST_HTML ? FETCH_HTML : FETCH_API,
		.delay_ms = rc->job->delay_ms,
		.method = p->req.method,
		.body = p->req.body,
		.body_len = p->req.body ? strlen(p->req.body) : 0,
		.content_type = p->req.content_type,
		.accept = p->req.accept,
		.proxy = rc->job->proxy,
		.done = fetch_done,
		.user = p,
	};
	int err = fetch_add(rc->f, &fr);
	if (err) {
		rc->rep->requests--;
		rc->in_flight--;
		if (err != -ECANCELED) {
			note_error(rc, "cannot fetch %s (%s)", r->url, strerror(-err));
			rc->rep->failed++;
			rc->rep->counts.errors++;
		}
		pending_free(p);
		return;
	}
	rc->submitted++;
}

/* Tops the engine up from the frontier as its requests finish. */
static void feed(struct run_ctx *rc)
{
	while (rc->submitted < FRONTIER_SUBMITTED && rc->frontier_head) {
		struct pending *p = rc->frontier_head;
		rc->frontier_head = p->next;
		if (!rc->frontier_head)
			rc->frontier_tail = NULL;
		submit(rc, p);
	}
}

#define PUB_MAX_RECORDS  1000
#define PUB_MAX_MS       1000
/* Bytes of postings held for one batch: with descriptions of a few KB, a
 * thousand postings held 4-8 MiB here and as much again in the bus's write
 * buffer. 256 KiB (about fifty postings per fsync) took 1.2 MiB off the
 * crawl's peak RSS against 1 MiB, at the same pages/s (BENCHMARKS.md). */
#define PUB_MAX_BYTES    (256u << 10)
#define WARC_MAX_BYTES   (2u << 20) /* uncompressed; about a tenth of it is held */
/* zlib level of the archive: on the benchmark's pages level 2 compresses
 * 2 MiB bundles to 9.4 % at 260 MB/s, the default 6 to 6.3 % at 145 MB/s,
 * and the archive was then the largest CPU cost of a crawl (29 % of it). */
#define WARC_GZIP_LEVEL  2
#define WARC_MAX_RECORDS 200

/* Writes the archive bundle: raw/source=NAME/date=DAY/STARTED-RUN-SEQ.warc.gz,
 * WARC/1.1 response records (readable by warcio, wget's tools, Spark). A
 * failure costs only the archive copy: the run goes on. */
static void archive_flush(struct run_ctx *rc)
{
	if (!rc->warc_n)
		return;
	char key[BLOB_KEY_MAX];
	snprintf(key, sizeof(key), "%s/%lld-%lld-%lu.warc.gz", rc->blob_prefix, (long long)rc->rep->started_at,
		 (long long)rc->rep->run_id, ++rc->seq);
	int err = rc->warc ? blob_gz_writer_put(rc->warc, rc->job->blob, key) : -ENOMEM;
	if (err)
		log_event(LOG_WARN, "scrape.archive", "%s: cannot archive %ld responses as %s: %s", rc->src.name,
			  rc->warc_n, key, strerror(-err));
	else
		rc->rep->archived += rc->warc_n;
	rc->warc_n = 0;
}

static void archive(struct run_ctx *rc, const struct fetch_result *r)
{
	if (!rc->job->blob || r->from_cache)
		return;
	char date[32], head[512];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	int hl = snprintf(head, sizeof(head), "HTTP/1.1 %ld -\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
			  r->status == 304 ? 200 : r->status,
			  r->content_type ? r->content_type : "application/octet-stream", r->len);
	if (hl < 0 || (size_t)hl >= sizeof(head))
		return;
	if (!rc->warc && !(rc->warc = blob_gz_writer_new(WARC_GZIP_LEVEL)))
		return;
	buf_reset(&rc->warc_head);
	buf_printf(&rc->warc_head,
		   "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:jobtrack:run:%lld:%ld>\r\n"
		   "WARC-Date: %s\r\nWARC-Target-URI: %s\r\nContent-Type: application/http;msgtype=response\r\n"
		   "Content-Length: %zu\r\n\r\n",
		   (long long)rc->rep->run_id, rc->rep->counts.pages, date, r->final_url ? r->final_url : r->url,
		   (size_t)hl + r->len);
	buf_append(&rc->warc_head, head, (size_t)hl);
	if (buf_failed(&rc->warc_head))
		return; /* a URL too long for the headers: this record only is not archived */
	/* A failure here spoils the bundle: flushing it then logs the loss. */
	int err = blob_gz_writer_add(rc->warc, rc->warc_head.data, rc->warc_head.len);
	err = err ? err : blob_gz_writer_add(rc->warc, r->body, r->len);
	err = err ? err : blob_gz_writer_add(rc->warc, "\r\n\r\n", 4);
	rc->warc_n++;
	if (err || blob_gz_writer_size(rc->warc) >= WARC_MAX_BYTES || rc->warc_n >= WARC_MAX_RECORDS)
		archive_flush(rc);
}

/* Publishes what is pending in one durable batch. */
static void publish_flush(struct run_ctx *rc)
{
	size_t n = rc->pub_n;
	if (!n || rc->publish_failed)
		return;
	struct bus_message *msgs = calloc(n, sizeof(*msgs));
	int err = -ENOMEM;
	if (msgs && !buf_failed(&rc->pub_keys) && !buf_failed(&rc->pub_payloads)) {
		for (size_t i = 0; i < n; i++)
			msgs[i] = (struct bus_message){ .key = rc->pub_keys.data + rc->pub_koff[i],
							.key_len = rc->pub_koff[i + 1] - rc->pub_koff[i],
							.payload = rc->pub_payloads.data + rc->pub_poff[i],
							.len = rc->pub_poff[i + 1] - rc->pub_poff[i] };
		err = bus_publish_batch(rc->job->bus, POSTINGS_TOPIC, msgs, n, NULL);
	}
	free(msgs);
	if (err) {
		note_error(rc, "the bus refused %zu postings (%s): stopping the run", n, strerror(-err));
		rc->publish_failed = true;
		fetch_cancel(rc->f);
	} else {
		rc->rep->published += (long)n;
		scrape_metrics_published(rc->src.name, rc->ad->name, n);
	}
	buf_reset(&rc->pub_keys);
	buf_reset(&rc->pub_payloads);
	rc->pub_n = 0;
}

/* Queues the page's finished postings for the next batch. */
static void publish(struct run_ctx *rc, struct posting_list *list)
{
	for (size_t i = 0; i < list->count && !rc->publish_failed; i++) {
		if (rc->pub_n + 2 > rc->pub_cap) {
			size_t cap = rc->pub_cap ? rc->pub_cap * 2 : 256;
			size_t *k = realloc(rc->pub_koff, cap * sizeof(*k));
			if (k)
				rc->pub_koff = k;
			size_t *p = k ? realloc(rc->pub_poff, cap * sizeof(*p)) : NULL;
			if (p)
				rc->pub_poff = p;
			if (!k || !p) {
				note_error(rc, "out of memory publishing postings: stopping the run");
				rc->publish_failed = true;
				fetch_cancel(rc->f);
				return;
			}
			rc->pub_cap = cap;
		}
		if (rc->pub_n == 0)
			rc->pub_first_ms = now_ms();
		size_t before_p = rc->pub_payloads.len;
		rc->pub_koff[rc->pub_n] = rc->pub_keys.len;
		rc->pub_poff[rc->pub_n] = before_p;
		topic_posting_key(&rc->pub_keys, &list->items[i]);
		topic_posting_encode(&rc->pub_payloads, rc->rep->run_id, rc->job->source_id, rc->rep->started_at,
				     &list->items[i]);
		rc->pub_n++;
		rc->pub_koff[rc->pub_n] = rc->pub_keys.len;
		rc->pub_poff[rc->pub_n] = rc->pub_payloads.len;
		if (rc->pub_payloads.len + BUS_RECORD_FRAMING * (rc->pub_n + 1) + rc->pub_keys.len >=
		    MAX_POSTINGS_BATCH)
			publish_flush(rc);
	}
	if (rc->pub_n >= PUB_MAX_RECORDS || rc->pub_payloads.len + rc->pub_keys.len >= PUB_MAX_BYTES ||
	    (rc->pub_n && now_ms() - rc->pub_first_ms >= PUB_MAX_MS))
		publish_flush(rc);
}

/* Writes the counters and heartbeat_at, at most every HEARTBEAT_MS unless forced. */
static void heartbeat(struct run_ctx *rc, bool force)
{
	struct scrape_report *rep = rc->rep;
	int64_t t = now_ms();
	if (!rc->job->store || rep->run_id == 0 || rc->stale || (!force && t - rc->last_beat_ms < HEARTBEAT_MS))
		return;
	rc->last_beat_ms = t;
	if (store_run_progress(rc->job->store, rep->run_id, &rep->counts, t / 1000) == STORE_STALE) {
		/* Someone marked this run crashed (it looked dead): stop, as it asks. */
		note_error(rc, "the run was marked crashed by another process: stopping");
		rc->stale = true;
		fetch_cancel(rc->f);
	}
}

static void report_progress(struct run_ctx *rc, bool force)
{
	struct scrape_report *rep = rc->rep;
	rc->prog = (struct scrape_progress){
		.run_id = rep->run_id,
		.source_id = rc->job->source_id,
		.requests_done = rep->requests - rc->in_flight,
		.requests_queued = rc->in_flight,
		.pages = rep->counts.pages,
		.bytes = rep->counts.bytes,
		.found = rep->counts.found,
		.errors = rep->counts.errors,
		.running = true,
	};
	if (rc->job->progress)
		rc->job->progress(&rc->prog, rc->job->progress_ctx);
	heartbeat(rc, force);
}

/* The fetch loop's tick: the run's heartbeat goes on while it only waits
 * (a long per-host delay, a Retry-After), so a quiet heartbeat means a
 * dead process, not a patient one. */
static void tick(void *ctx)
{
	heartbeat(ctx, false);
}

/* Renders an HTML answer (the archive keeps it as fetched) and points res
 * at the DOM; an answer that is not HTML is left as it is. false when the
 * render failed: the page counts as a failed request, and the run goes on. */
static bool render(struct run_ctx *rc, struct source_response *res, struct buf *dom)
{
	if (res->content_type && !strstr(res->content_type, "html"))
		return true;
	struct browser_page page = {
		.url = res->url,
		.html = res->body,
		.len = res->len,
		.content_type = res->content_type,
		.user_agent = rc->user_agent,
		.proxy = rc->job->proxy ? rc->job->proxy : rc->cfg.proxy,
		.allowed = rc->cfg.robots_allowed,
		.allowed_ctx = rc->cfg.robots_ctx,
		.timeout_ms = rc->job->render_timeout_ms > 0 ? rc->job->render_timeout_ms : SCRAPE_RENDER_TIMEOUT_MS,
		.cancel = rc->cfg.cancel_flag,
	};
	char err[400];
	int err_rc = browser_render_page(rc->browser, &page, dom, err, sizeof(err));
	if (err_rc == -ECANCELED) {
		fetch_cancel(rc->f);
		return false;
	}
	if (err_rc) {
		rc->rep->failed++;
		rc->rep->counts.errors++;
		note_error(rc, "rendering: %s", err);
		return false;
	}
	res->body = dom->data;
	res->len = dom->len;
	res->content_type = "text/html; charset=utf-8"; /* what Chromium serialises */
	return true;
}

static void handle_result(struct fetch_result *r, struct pending *p)
{
	struct run_ctx *rc = p->rc;
	struct scrape_report *rep = rc->rep;
	rc->in_flight--;
	scrape_metrics_response(rc->src.name, rc->ad->name, r->error, r->len);
	if (r->error == FETCH_DISALLOWED) {
		/* robots.txt said no: not a failure of the site (a crawler meets such
		 * links all the time), and no transfer, so no part of the budget. The
		 * count is reported; a run that could fetch nothing at all fails. */
		rep->disallowed++;
		rep->requests--;
		if (rep->disallowed == 1)
			note_error(rc, "%s", r->message && *r->message ? r->message : "disallowed by robots.txt");
		report_progress(rc, false);
		return;
	}
	if (r->error != FETCH_OK) {
		if (r->error != FETCH_CANCELLED) {
			rep->failed++;
			rep->counts.errors++;
			if (r->error == FETCH_BLOCKED)
				rep->blocked++;
			/* The source blocked us: the refusals themselves, and what the
			 * engine then held back from the blocked host. */
			if (r->error == FETCH_BLOCKED || r->status == 403 || r->status == 429 || r->status == 999)
				rep->counts.blocked++;
			note_error(rc, "%s", r->message && *r->message ? r->message : fetch_error_name(r->error));
		}
		report_progress(rc, false);
		return;
	}
	rep->counts.pages++;
	rep->counts.bytes += (int64_t)r->len;
	archive(rc, r);

	struct arena a;
	arena_init(&a, 0);
	struct source_response res = {
		.request = &p->req,
		.url = r->final_url,
		.status = r->status == 304 ? 200 : r->status,
		.content_type = r->content_type,
		.body = r->body,
		.len = r->len,
	};
	struct buf dom;
	buf_init(&dom, BROWSER_DOM_MAX);
	if (rc->browser && p->req.kind == REQUEST_HTML && !render(rc, &res, &dom)) {
		buf_free(&dom);
		arena_free(&a);
		report_progress(rc, false);
		return;
	}
	struct source_result out = { 0 };
	char err[300] = "";
	int prc = rc->ad->parse(&a, &rc->src, &res, &out, err, sizeof(err));
	if (prc) {
		rep->parse_errors++;
		rep->counts.errors++;
		note_error(rc, "%s: %s", r->url, *err ? err : "the payload could not be read");
	} else {
		rep->warnings += out.warnings;
		if (out.complete_listing)
			rc->complete_seen = true;
		struct posting_list kept = { 0 };
		for (size_t i = 0; i < out.postings.count; i++) {
			struct posting *pst = &out.postings.items[i];
			char why[200];
			int frc = posting_finish(&a, pst, why, sizeof(why));
			if (frc) {
				rep->rejected++;
				log_event(LOG_DEBUG, "scrape.rejected", "%s: %s: %s", rc->src.name, r->url, why);
				continue;
			}
			if (!pst->source)
				pst->source = rc->ad->name;
			struct posting *k = posting_list_add(&a, &kept);
			if (!k)
				break;
			*k = *pst;
			if (rc->job->posting)
				rc->job->posting(k, rc->job->posting_ctx);
		}
		rep->counts.found += (int64_t)kept.count;
		if (rc->job->bus && !rc->publish_failed)
			publish(rc, &kept);
		if (!rc->publish_failed && !rc->stale)
			for (size_t i = 0; i < out.next.count; i++)
				enqueue(rc, &out.next.items[i]);
	}
	buf_free(&dom);
	arena_free(&a);
	report_progress(rc, false);
}

/* One request of the engine's finished: its result, then the frontier
 * refills what the engine holds. */
static void fetch_done(struct fetch *f, struct fetch_result *r, void *user)
{
	(void)f;
	struct pending *p = user;
	struct run_ctx *rc = p->rc;
	rc->submitted--;
	handle_result(r, p);
	pending_free(p);
	feed(rc);
}

/* "raw/source=NAME/date=DAY", with any byte a blob key refuses made '_'. */
static void make_blob_prefix(struct run_ctx *rc)
{
	char name[65];
	snprintf(name, sizeof(name), "%s", rc->src.name ? rc->src.name : rc->ad->name);
	for (char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '_' || *c == '.'))
			*c = '_';
	snprintf(rc->blob_prefix, sizeof(rc->blob_prefix), "raw/source=%s/date=%s", name, rc->date);
}

static void persist_blocked(const struct fetch_host_status *st, void *ctx)
{
	int64_t *until = ctx;
	if (st->blocked_until > *until)
		*until = st->blocked_until;
}

/* The run's outcome from its counters. */
static void settle(struct run_ctx *rc, int run_rc)
{
	struct scrape_report *rep = rc->rep;
	bool cancelled = run_rc == -ECANCELED && !rc->publish_failed && !rc->stale;
	if (rc->publish_failed || rc->stale || (run_rc && run_rc != -ECANCELED))
		rep->status = "failed";
	else if (cancelled)
		rep->status = "cancelled";
	else if (rep->parse_errors > 0 && rep->parse_errors == rep->counts.pages)
		rep->status = "failed"; /* every answer was unreadable */
	else if (rep->counts.pages == 0 && (rep->failed > 0 || rep->disallowed > 0))
		rep->status = rep->blocked > 0 && rep->blocked == rep->failed ? "blocked" : "failed";
	else
		rep->status = "ok";
	rep->partial = strcmp(rep->status, "ok") == 0 && (rep->failed || rep->parse_errors || rep->skipped);
	/* Some of it failed: with postings found that is a partial run (its
	 * listing may be short, so nothing is marked missing); with none, the
	 * postings it should have found are what failed. */
	if (rep->partial) {
		rep->status = rep->counts.found > 0 ? "partial" : "failed";
		rep->partial = rep->counts.found > 0;
	}
	rep->complete_listing = rc->complete_seen && strcmp(rep->status, "ok") == 0;
	if (rep->disallowed > 1) {
		char line[96];
		snprintf(line, sizeof(line), "%ld requests in all were disallowed by robots.txt", rep->disallowed);
		note_error(rc, "%s", line);
	}
	if (rep->skipped) {
		char line[160];
		snprintf(line, sizeof(line), "%ld requests past the bound of %ld were not made", rep->skipped,
			 rc->max_requests);
		note_error(rc, "%s", line);
	}
	if (rep->partial && !strstr(rep->message, "partial")) {
		char head[96];
		snprintf(head, sizeof(head), "partial: %ld of %ld requests failed", rep->failed + rep->parse_errors,
			 rep->requests);
		size_t hl = strlen(head), ml = strlen(rep->message);
		if (ml && hl + 2 < sizeof(rep->message)) {
			if (ml + hl + 2 >= sizeof(rep->message))
				ml = sizeof(rep->message) - hl - 3;
			memmove(rep->message + hl + 2, rep->message, ml);
			rep->message[hl + 2 + ml] = '\0';
			memcpy(rep->message, head, hl);
			memcpy(rep->message + hl, "; ", 2);
		} else if (!ml) {
			memcpy(rep->message, head, hl + 1);
		}
	}
}

/* Publishes the run's end for ingest to finish the record; when that cannot
 * be published, finishes the record here (no missing marks then). */
static void end_run(struct run_ctx *rc)
{
	const struct scrape_job *job = rc->job;
	struct scrape_report *rep = rc->rep;
	if (!job->store || rep->run_id == 0)
		return;
	int64_t now = now_ms() / 1000;
	store_run_progress(job->store, rep->run_id, &rep->counts, now);
	if (job->source_id > 0) {
		int64_t until = 0;
		fetch_hosts_each(rc->f, persist_blocked, &until);
		if (until > now)
			store_source_set_blocked(job->store, job->source_id, until);
	}
	struct topic_record end = {
		.type = TOPIC_RUN_END,
		.run_id = rep->run_id,
		.source_id = job->source_id,
		.started_at = rep->started_at,
		.status = rep->status,
		.message = rep->message,
		.complete = rep->complete_listing,
		.counts = rep->counts,
	};
	struct buf b;
	buf_init(&b, 64 * 1024);
	topic_run_end_encode(&b, &end);
	char key[32];
	int klen = snprintf(key, sizeof(key), "run:%lld", (long long)rep->run_id);
	int err =
	    buf_failed(&b) ? -ENOMEM : bus_publish(job->bus, POSTINGS_TOPIC, key, (size_t)klen, b.data, b.len, NULL);
	buf_free(&b);
	if (err) {
		log_event(LOG_ERROR, "scrape.run_end", "%s: cannot publish the end of run %lld (%s): finishing it here",
			  rc->src.name, (long long)rep->run_id, strerror(-err));
		bool fine = strcmp(rep->status, "ok") == 0 || strcmp(rep->status, "partial") == 0;
		store_run_finish(job->store, rep->run_id, fine ? "failed" : rep->status, &rep->counts, rep->message,
				 now);
	}
}

/* Its own process is never gone; another of another user answers EPERM: alive. */
bool scrape_run_owner_gone(const struct scrape_run *r)
{
	if (r->owner_pid <= 0 || r->owner_pid > INT_MAX || (pid_t)r->owner_pid == getpid() || !r->owner_host ||
	    !*r->owner_host || strcmp(r->owner_host, store_run_owner_host()) != 0)
		return false;
	return kill((pid_t)r->owner_pid, 0) == -1 && errno == ESRCH;
}

/* The browser pool of a run that renders, and Chromium checked before
 * anything is fetched: a missing one fails the run with what to do. */
static int render_setup(struct run_ctx *rc)
{
	rc->browser = rc->job->browser;
	if (!rc->browser && browser_pool_new(NULL, &rc->own_browser) == 0)
		rc->browser = rc->own_browser;
	if (!rc->browser) {
		note_error(rc, "out of memory starting the browser pool");
		return -ENOMEM;
	}
	if (rc->cfg.user_agent)
		snprintf(rc->user_agent, sizeof(rc->user_agent), "%s", rc->cfg.user_agent);
	else
		snprintf(rc->user_agent, sizeof(rc->user_agent), FETCH_USER_AGENT_FMT, JOBTRACK_VERSION);
	char err[400];
	int err_rc = browser_pool_check(rc->browser, err, sizeof(err));
	if (err_rc) {
		note_error(rc, "this source renders its pages (render = true): %s", err);
		rc->rep->counts.errors++;
	}
	return err_rc;
}

static int start_record(struct run_ctx *rc)
{
	const struct scrape_job *job = rc->job;
	struct scrape_report *rep = rc->rep;
	if (!job->store)
		return 0;
	struct arena a;
	arena_init(&a, 0);
	struct scrape_run run;
	int rc_store = store_run_start(job->store, job->source_id, rep->started_at,
				       rep->started_at - SCRAPE_RUN_STALE_S, &a, &run);
	if (rc_store == STORE_CONFLICT && scrape_run_owner_gone(&run)) {
		char *why =
		    arena_printf(&a, "its process (pid %lld on %s) is gone", (long long)run.owner_pid, run.owner_host);
		int crash = store_run_crash(job->store, run.id, why);
		if (crash == 0)
			log_event(LOG_WARN, "scrape.crashed", "%s: run %lld marked crashed: %s", rc->src.name,
				  (long long)run.id, why ? why : "its process is gone");
		if (crash == 0 || crash == STORE_STALE) /* crashed now, or it ended meanwhile */
			rc_store = store_run_start(job->store, job->source_id, rep->started_at,
						   rep->started_at - SCRAPE_RUN_STALE_S, &a, &run);
	}
	if (rc_store == 0)
		rep->run_id = run.id;
	arena_free(&a);
	if (rc_store == STORE_CONFLICT)
		return -EBUSY;
	if (rc_store == STORE_NOTFOUND)
		return -ENOENT;
	return rc_store ? -EIO : 0;
}

int scrape_run(const struct scrape_job *job, struct scrape_report *out)
{
	memset(out, 0, sizeof(*out));
	out->status = "failed";
	if (job->store && !job->bus)
		return -EINVAL;
	struct run_ctx rc = { .job = job, .rep = out, .src = job->src };
	rc.ad = source_adapter_find(job->src.kind ? job->src.kind : "");
	if (!rc.ad) {
		snprintf(out->message, sizeof(out->message), "no adapter called \"%s\"",
			 job->src.kind ? job->src.kind : "");
		return -ENOENT;
	}
	if (!rc.src.name)
		rc.src.name = rc.ad->name;
	time_t t0 = rc.src.now ? rc.src.now : time(NULL);
	rc.src.now = t0;
	out->started_at = (int64_t)time(NULL);
	struct tm tm;
	gmtime_r(&(time_t){ (time_t)out->started_at }, &tm);
	strftime(rc.date, sizeof(rc.date), "%Y-%m-%d", &tm);
	make_blob_prefix(&rc);
	rc.max_requests = job->max_requests > 0 ? job->max_requests : SCRAPE_RUN_MAX_REQUESTS;

	int err = start_record(&rc);
	if (err) {
		snprintf(out->message, sizeof(out->message),
			 err == -EBUSY ? "a run of this source is already going on" : "cannot record the run (%s)",
			 strerror(-err));
		return err;
	}
	arena_init(&rc.arena, 0);
	buf_init(&rc.pub_keys, MAX_POSTINGS_BATCH);
	buf_init(&rc.pub_payloads, MAX_POSTINGS_BATCH);
	buf_init(&rc.warc_head, 64u << 10);
	struct fetch_config cfg;
	if (job->fetch)
		cfg = *job->fetch;
	else
		fetch_config_defaults(&cfg);
	if (job->per_host)
		cfg.per_host = job->per_host;
	if (cfg.max_total < cfg.per_host)
		cfg.max_total = cfg.per_host;
	cfg.tick = tick;
	cfg.tick_ctx = &rc;
	rc.cfg = cfg;
	rc.f = fetch_new(&cfg);
	int run_rc = 0;
	if (!rc.f) {
		note_error(&rc, "the fetch engine could not start");
		run_rc = -ENOMEM;
		goto done;
	}
	if (job->render && (run_rc = render_setup(&rc)))
		goto done;
	struct source_request_list first = { 0 };
	char why[300] = "";
	/* The adapter's per-run state (the crawler's visited set and budget), in
	 * the run's arena so it lives as long as the run. */
	if (source_run_begin(&rc.arena, rc.ad, &rc.src)) {
		note_error(&rc, "out of memory starting the source");
		run_rc = -ENOMEM;
		goto done;
	}
	int src_rc = rc.ad->start(&rc.arena, &rc.src, &first, why, sizeof(why));
	if (src_rc) {
		note_error(&rc, "%s", *why ? why : "the source could not start");
		out->counts.errors++;
		run_rc = src_rc;
		goto done;
	}
	for (size_t i = 0; i < first.count; i++)
		enqueue(&rc, &first.items[i]);
	report_progress(&rc, true);
	run_rc = fetch_run(rc.f);
	if (job->bus)
		publish_flush(&rc);
done:
	if (job->blob)
		archive_flush(&rc);
	settle(&rc, run_rc);
	if (rc.f)
		end_run(&rc);
	else if (job->store && out->run_id)
		store_run_finish(job->store, out->run_id, "failed", &out->counts, out->message, now_ms() / 1000);
	scrape_metrics_run(rc.src.name, rc.ad->name, out->status);
	rc.prog.running = false;
	if (job->progress) {
		rc.prog.requests_done = out->requests;
		rc.prog.requests_queued = 0;
		job->progress(&rc.prog, job->progress_ctx);
	}
	fetch_free(rc.f);
	if (rc.browser) /* no Chromium waits, idle, for a next page between runs */
		browser_pool_trim(rc.browser);
	browser_pool_free(rc.own_browser);
	while (rc.live) /* a cancelled run's requests never made */
		pending_free(rc.live);
	free(rc.seen);
	free(rc.pub_koff);
	free(rc.pub_poff);
	buf_free(&rc.pub_keys);
	buf_free(&rc.pub_payloads);
	blob_gz_writer_free(rc.warc);
	buf_free(&rc.warc_head);
	arena_free(&rc.arena);
	log_event(LOG_INFO, "scrape.run", "%s: %s, %lld pages, %lld bytes, %lld postings, %lld errors, %lld blocked",
		  rc.src.name, out->status, (long long)out->counts.pages, (long long)out->counts.bytes,
		  (long long)out->counts.found, (long long)out->counts.errors, (long long)out->counts.blocked);
	return 0;
}

/* The robots fetcher's settings, with its own copy of the User-Agent. */
struct robots_curl {
	struct robots_fetch_curl_ctx ctx;
	char user_agent[];
};

struct robots_cache *scrape_robots_cache_new(const char *user_agent)
{
	size_t n = user_agent ? strlen(user_agent) + 1 : 0;
	struct robots_curl *rc = calloc(1, sizeof(*rc) + n);
	if (!rc)
		return NULL;
	if (user_agent)
		rc->ctx.user_agent = memcpy(rc->user_agent, user_agent, n);
	struct robots_cache_options opt = { .fetch = robots_fetch_curl, .fetch_ctx = rc, .fetch_ctx_free = free };
	struct robots_cache *c = NULL;
	if (robots_cache_new(&opt, &c)) {
		free(rc);
		return NULL;
	}
	return c;
}

/* Asks synchronously: the first request to a host waits for its robots.txt
 * (one fetch per host per day, shared by every run in the process). */
int scrape_robots_hook(void *ctx, const char *url, const char *proxy, char *why, size_t whylen)
{
	int rc = robots_cache_allows_via(ctx, url, "jobtrack", proxy);
	if (rc == 1)
		return 1;
	snprintf(why, whylen, "%s: robots.txt %s", url, rc == 0 ? "disallows it" : "cannot be read");
	return 0;
}
