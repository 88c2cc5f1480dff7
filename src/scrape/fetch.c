/* fetch — the engine's loop: requests are queued per host, started when
 * their host's pacing and the global limit allow, completed or retried as
 * their transfers end, and handed to their callbacks. See fetch.h for the
 * rules; fetch_internal.h lists where each part lives. */
#include "scrape/fetch.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/curl_once.h"
#include "base/log.h"
#include "base/text.h"
#include "base/timefmt.h"
#include "scrape/fetch_internal.h"
#include "scrape/retry_after.h"
#include "version.h"

#define MAX_EXTRA_HEADERS  64
#define ROBOTS_RECHECK_MS  100   /* how soon a hook that said "ask later" is asked again */
#define ROBOTS_WAIT_MAX_MS 60000 /* … and for how long */
#define POLL_MAX_MS        1000  /* the loop wakes at least this often */
#define POLL_FLAG_MS       100   /* … and this often when it watches a cancel flag */

static char empty_body[1];

const char *fetch_error_name(enum fetch_error e)
{
	static const char *const names[FETCH_ERROR_COUNT] = {
		"ok",         "timeout",    "too_large", "too_many_redirects", "blocked",
		"disallowed", "http_error", "network",   "cancelled",          "bad_url",
	};
	return (unsigned)e < FETCH_ERROR_COUNT ? names[e] : "unknown";
}

int fetch_user_agent_make(char *out, size_t outlen, const char *user_agent, const char *contact_url)
{
	int w = user_agent && *user_agent ? snprintf(out, outlen, "%s", user_agent)
		: contact_url && *contact_url
		    ? snprintf(out, outlen, "jobtrack/%s (+%s)", JOBTRACK_VERSION, contact_url)
		    : snprintf(out, outlen, FETCH_USER_AGENT_FMT, JOBTRACK_VERSION);
	return w < 0 || (size_t)w >= outlen ? -E2BIG : 0;
}

void fetch_config_defaults(struct fetch_config *c)
{
	*c = (struct fetch_config){
		.max_total = 16,
		.per_host = 1,
		.api_delay_ms = 1000,
		.html_delay_ms = 5000,
		.max_attempts = 3,
		.backoff_ms = 1000,
		.backoff_max_ms = 60000,
		.retry_after_cap_s = 3600,
		.block_after = 3,
		.block_for_s = 3600,
		.max_body = 10u << 20,
		.max_redirects = 5,
		.timeout_ms = 30000,
		.connect_timeout_ms = 10000,
		.low_speed_bytes = 100,
		.low_speed_s = 15,
		.max_hosts = 100000,
	};
}

void fetch_jobs_push_back(struct fetch_job_list *l, struct fetch_job *j)
{
	j->next = NULL;
	if (l->tail)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
}

void fetch_jobs_push_front(struct fetch_job_list *l, struct fetch_job *j)
{
	j->next = l->head;
	l->head = j;
	if (!l->tail)
		l->tail = j;
}

struct fetch_job *fetch_jobs_pop(struct fetch_job_list *l)
{
	struct fetch_job *j = l->head;
	if (!j)
		return NULL;
	l->head = j->next;
	if (!l->head)
		l->tail = NULL;
	j->next = NULL;
	return j;
}

int64_t fetch_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t fetch_jitter(struct fetch *f, int64_t ms)
{
	/* xorshift64*: jitter needs spread, not secrecy. */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	double u = (double)((f->rng * 2685821657736338717ULL) >> 11) / (double)(1ULL << 53);
	return ms + (int64_t)(u * (double)ms * 0.5);
}

struct fetch *fetch_new(const struct fetch_config *config)
{
	curl_once();
	fetch_metrics_source(NULL); /* registers the metrics, so /metrics lists them from the start */

	struct fetch *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	if (config)
		f->cfg = *config;
	else
		fetch_config_defaults(&f->cfg);
	/* Zeros that would stall the engine or let nothing through. */
	if (!f->cfg.max_total)
		f->cfg.max_total = 16;
	if (!f->cfg.per_host)
		f->cfg.per_host = 1;
	if (!f->cfg.max_attempts)
		f->cfg.max_attempts = 1;
	if (!f->cfg.max_body)
		f->cfg.max_body = 10u << 20;
	if (!f->cfg.max_hosts)
		f->cfg.max_hosts = 100000;
	if (!f->cfg.block_after)
		f->cfg.block_after = 1;
	char ua[128];
	snprintf(ua, sizeof(ua), FETCH_USER_AGENT_FMT, JOBTRACK_VERSION);
	f->user_agent = strdup(f->cfg.user_agent ? f->cfg.user_agent : ua);
	f->proxy = f->cfg.proxy ? strdup(f->cfg.proxy) : NULL;
	f->cfg.user_agent = f->cfg.proxy = NULL; /* the copies above are the ones used */
	f->multi = curl_multi_init();
	f->easy_pool = calloc(f->cfg.max_total, sizeof(*f->easy_pool));
	f->rng = (uint64_t)fetch_now_ms() * 0x9E3779B97F4A7C15ULL ^ (uint64_t)(uintptr_t)f ^ (uint64_t)getpid();
	if (!f->rng)
		f->rng = 1;
	if (!f->user_agent || (config && config->proxy && !f->proxy) || !f->multi || !f->easy_pool) {
		fetch_free(f);
		return NULL;
	}
	/* Our own pacing decides what runs; libcurl only keeps connections for reuse. */
	curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)f->cfg.max_total * 2);
	return f;
}

static void job_free(struct fetch_job *j)
{
	free(j->url);
	free(j->source_label);
	free(j->body);
	free(j->content_type);
	free(j->accept);
	free(j->proxy);
	for (char **h = j->headers; h && *h; h++)
		free(*h);
	free(j->headers);
	free(j->final_url);
	free(j->cached.etag);
	free(j->cached.last_modified);
	free(j->cached.body);
	buf_free(&j->body_buf);
	if (j->text_owned)
		free(j->text);
	free(j);
}

static void running_unlink(struct fetch *f, struct fetch_job *j)
{
	if (j->run_prev)
		j->run_prev->run_next = j->run_next;
	else
		f->running_head = j->run_next;
	if (j->run_next)
		j->run_next->run_prev = j->run_prev;
	j->run_prev = j->run_next = NULL;
	j->host->active--;
	f->running--;
}

void fetch_free(struct fetch *f)
{
	if (!f)
		return;
	assert(!f->in_run);
	struct fetch_job *j;
	while ((j = f->running_head)) {
		curl_multi_remove_handle(f->multi, j->easy);
		running_unlink(f, j);
		fetch_transfer_release(f, j);
		job_free(j);
	}
	struct fetch_host *h;
	while ((h = fetch_host_next_waiting(f)))
		while ((j = fetch_host_dequeue(f, h)))
			job_free(j);
	while ((j = fetch_jobs_pop(&f->done)))
		job_free(j);
	for (size_t i = 0; i < f->n_pool; i++)
		curl_easy_cleanup(f->easy_pool[i]);
	free(f->easy_pool);
	if (f->multi)
		curl_multi_cleanup(f->multi);
	fetch_hosts_free(f);
	free(f->user_agent);
	free(f->proxy);
	free(f);
}

/* ---- queueing ---- */

static int copy_str(const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

static int copy_headers(const char *const *headers, char ***out)
{
	*out = NULL;
	if (!headers)
		return 0;
	size_t n = 0;
	while (headers[n]) {
		/* A line break in a header would smuggle in another header. */
		if (n == MAX_EXTRA_HEADERS || strpbrk(headers[n], "\r\n") || !strchr(headers[n], ':'))
			return -EINVAL;
		n++;
	}
	char **copy = calloc(n + 1, sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	*out = copy;
	for (size_t i = 0; i < n; i++)
		if (!(copy[i] = strdup(headers[i])))
			return -ENOMEM;
	return 0;
}

static bool header_value_ok(const char *v)
{
	return !v || !strpbrk(v, "\r\n");
}

static int copy_request(struct fetch_job *j, const struct fetch_request *req)
{
	int rc = 0;
	rc = rc ? rc : copy_str(req->url, &j->url);
	rc = rc ? rc : copy_str(req->source, &j->source_label);
	rc = rc ? rc : copy_str(req->content_type, &j->content_type);
	rc = rc ? rc : copy_str(req->accept, &j->accept);
	rc = rc ? rc : copy_str(req->proxy, &j->proxy);
	rc = rc ? rc : copy_headers(req->headers, &j->headers);
	if (!rc && req->body) {
		j->body = malloc(req->body_len + 1);
		if (!j->body)
			return -ENOMEM;
		memcpy(j->body, req->body, req->body_len);
		j->body[req->body_len] = '\0';
		j->body_len = req->body_len;
	}
	return rc;
}

int fetch_add(struct fetch *f, const struct fetch_request *req)
{
	if (atomic_load(&f->cancelled))
		return -ECANCELED;
	if (!req->url || !req->done || !text_http_url(req->url) || !header_value_ok(req->content_type) ||
	    !header_value_ok(req->accept))
		return -EINVAL;
	bool post = false;
	if (req->method && strcmp(req->method, "POST") == 0)
		post = true;
	else if (req->method && strcmp(req->method, "GET") != 0)
		return -EINVAL;
	char key[FETCH_HOST_MAX];
	if (fetch_host_key(req->url, key) < 0)
		return -EINVAL;
	int err = 0;
	struct fetch_host *h = fetch_host_get(f, key, &err);
	if (!h)
		return err;
	struct fetch_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	int rc = copy_request(j, req);
	if (rc < 0) {
		job_free(j);
		return rc;
	}
	j->host = h;
	j->post = post;
	j->kind = req->kind;
	j->delay_ms = req->delay_ms;
	j->max_attempts = req->max_attempts ? req->max_attempts : f->cfg.max_attempts;
	j->max_body = req->max_body ? req->max_body : f->cfg.max_body;
	j->source_slot = fetch_metrics_source(req->source);
	j->done = req->done;
	j->user = req->user;
	buf_init(&j->body_buf, j->max_body);
	fetch_host_enqueue(f, j, false);
	return 0;
}

/* ---- completion ---- */

static void add_stat(struct fetch *f, struct fetch_host *h, size_t offset, unsigned long long n)
{
	*(unsigned long long *)((char *)&h->stats + offset) += n;
	*(unsigned long long *)((char *)&f->totals + offset) += n;
}
#define STAT(f, h, field, n) add_stat(f, h, offsetof(struct fetch_stats, field), n)

/* Keeps a fresh answer's body under its validators for the next conditional request. */
static void store_in_cache(struct fetch *f, struct fetch_job *j)
{
	const struct fetch_cache *c = f->cfg.cache;
	const struct fetch_result *r = &j->result;
	if (!c || j->post || r->error != FETCH_OK || r->from_cache || r->status != 200 ||
	    (!r->etag && !r->last_modified))
		return;
	int rc = c->store(c->ctx, j->url, r->etag, r->last_modified, r->body, r->len);
	if (rc < 0)
		log_event(LOG_DEBUG, "fetch_cache_store", "%s: %s", j->url, strerror(-rc));
}

/* The job is over: fill in what the result still lacks, count it, and hand
 * it to the done list (callbacks run outside dispatch and completion). */
static void complete(struct fetch *f, struct fetch_job *j)
{
	struct fetch_result *r = &j->result;
	struct fetch_host *h = j->host;
	r->message = j->text->message;
	r->url = j->url;
	r->final_url = j->final_url ? j->final_url : j->url;
	r->host = h->key;
	r->attempts = j->attempts;
	r->seconds = j->first_start_ms ? (double)(fetch_now_ms() - j->first_start_ms) / 1000.0 : 0;
	if (r->from_cache) {
		r->body = j->cached.body ? j->cached.body : empty_body;
		r->len = j->cached.body ? j->cached.len : 0;
	} else {
		r->body = j->body_buf.data ? j->body_buf.data : empty_body;
		r->len = j->body_buf.data ? j->body_buf.len : 0;
	}
	if (r->error == FETCH_OK) {
		STAT(f, h, pages, 1);
		if (r->from_cache)
			STAT(f, h, not_modified, 1);
		store_in_cache(f, j);
	} else {
		STAT(f, h, errors, 1);
		if (r->error == FETCH_BLOCKED)
			STAT(f, h, blocked, 1);
	}
	fetch_metrics_completed(j->source_slot, r);
	fetch_jobs_push_back(&f->done, j);
}

static void complete_with(struct fetch *f, struct fetch_job *j, enum fetch_error e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void complete_with(struct fetch *f, struct fetch_job *j, enum fetch_error e, const char *fmt, ...)
{
	j->result.error = e;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->text->message, sizeof(j->text->message), fmt, ap);
	va_end(ap);
	complete(f, j);
}

static void run_callbacks(struct fetch *f)
{
	struct fetch_job *j;
	while ((j = fetch_jobs_pop(&f->done))) {
		j->done(f, &j->result, j->user);
		job_free(j);
	}
}

char *fetch_result_take_body(struct fetch_result *r, size_t *len)
{
	struct fetch_job *j = (struct fetch_job *)((char *)r - offsetof(struct fetch_job, result));
	char *body;
	if (r->body == j->body_buf.data && r->body != empty_body) {
		body = buf_detach(&j->body_buf, NULL);
	} else if (r->body == j->cached.body && r->body) {
		body = j->cached.body;
		j->cached.body = NULL;
	} else {
		body = strdup(r->body);
	}
	if (!body)
		return NULL;
	if (len)
		*len = r->len;
	r->body = empty_body;
	r->len = 0;
	return body;
}

static void block_message(struct fetch_job *j, const char *why)
{
	char when[TIMEFMT_ISO_LEN];
	timefmt_iso(j->host->blocked_until, when);
	snprintf(j->text->message, sizeof(j->text->message), "%s: host %s is blocked until %s (%s)", j->url,
		 j->host->key, when, why);
}

/* ---- retries ---- */

/* How long to wait before attempt n + 1 after n failed ones. */
static int64_t backoff_ms(struct fetch *f, unsigned attempts)
{
	int64_t wait = f->cfg.backoff_ms;
	for (unsigned i = 1; i < attempts && wait < f->cfg.backoff_max_ms; i++)
		wait *= 2;
	if (wait > f->cfg.backoff_max_ms)
		wait = f->cfg.backoff_max_ms;
	return fetch_jitter(f, wait);
}

/* After a failure worth retrying: backs the host off and requeues the job
 * at its host's head. false when the job should complete as it is. */
static bool retry(struct fetch *f, struct fetch_job *j, int64_t now)
{
	struct fetch_host *h = j->host;
	struct fetch_result *r = &j->result;
	int64_t wait = backoff_ms(f, j->attempts);
	long after;
	if (r->retry_after && (r->status == 429 || r->status >= 500) &&
	    retry_after_parse(r->retry_after, time(NULL), &after) == 0) {
		if (after > (long)f->cfg.retry_after_cap_s) {
			char why[96];
			snprintf(why, sizeof(why), "Retry-After %ld s past the %u s cap", after,
				 f->cfg.retry_after_cap_s);
			fetch_host_block(h, time(NULL) + after, why);
			snprintf(j->text->message, sizeof(j->text->message),
				 "%s: HTTP %ld with Retry-After %ld s, past the %u s cap: not waiting; host %s blocked",
				 j->url, r->status, after, f->cfg.retry_after_cap_s, h->key);
			return false;
		}
		if (after * 1000 > wait)
			wait = after * 1000;
	}
	/* Even when this job gives up, the host's next request waits. */
	fetch_host_back_off(h, now, wait);
	if (j->attempts >= j->max_attempts || fetch_host_is_blocked(h, time(NULL)) || atomic_load(&f->cancelled))
		return false;
	STAT(f, h, retries, 1);
	fetch_metrics_retry(j->source_slot);
	buf_reset(&j->body_buf);
	j->too_large = false;
	memset(&j->result, 0, sizeof(j->result));
	fetch_host_enqueue(f, j, true);
	return true;
}

static void transfer_done(struct fetch *f, CURL *e, CURLcode code)
{
	struct fetch_job *j = NULL;
	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&j);
	assert(j && j->easy == e);
	curl_multi_remove_handle(f->multi, e);
	running_unlink(f, j);
	size_t received = j->body_buf.len; /* counted even when a failure drops the body */
	bool retryable = fetch_transfer_finish(j, code);
	fetch_transfer_release(f, j);
	struct fetch_host *h = j->host;
	STAT(f, h, bytes, received);
	fetch_metrics_bytes(received);
	if (j->result.status && fetch_host_answered(f, h, j->result.status)) {
		size_t n = strlen(j->text->message);
		snprintf(j->text->message + n, sizeof(j->text->message) - n,
			 "; host blocked after %u refusals in a row", h->consecutive_failures);
	}
	if (retryable && retry(f, j, fetch_now_ms()))
		return;
	complete(f, j);
}

static int collect_completions(struct fetch *f)
{
	int n = 0, left;
	CURLMsg *m;
	while ((m = curl_multi_info_read(f->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		transfer_done(f, m->easy_handle, m->data.result);
		n++;
	}
	return n;
}

/* ---- dispatch ---- */

static int start(struct fetch *f, struct fetch_job *j, int64_t now)
{
	int rc = fetch_transfer_prepare(f, j);
	if (rc < 0)
		return rc;
	if (curl_multi_add_handle(f->multi, j->easy) != CURLM_OK) {
		fetch_transfer_release(f, j);
		return -ENOMEM;
	}
	if (!j->first_start_ms)
		j->first_start_ms = now;
	j->attempts++;
	struct fetch_host *h = j->host;
	STAT(f, h, requests, 1);
	fetch_host_started(f, h, j, now);
	j->run_prev = NULL;
	j->run_next = f->running_head;
	if (f->running_head)
		f->running_head->run_prev = j;
	f->running_head = j;
	f->running++;
	return 0;
}

/* Asks the robots hook about j once. true when j may go on; otherwise j
 * has been completed or put back to be asked again. */
static bool robots_allow(struct fetch *f, struct fetch_job *j, int64_t now, int64_t *wake)
{
	if (j->robots_checked || !f->cfg.robots_allowed)
		return true;
	char why[256] = "";
	int rc = f->cfg.robots_allowed(f->cfg.robots_ctx, j->url, j->proxy ? j->proxy : f->proxy, why, sizeof(why));
	if (rc > 0) {
		j->robots_checked = true;
		return true;
	}
	if (rc == -EAGAIN) {
		if (!j->robots_wait_since_ms)
			j->robots_wait_since_ms = now;
		if (now - j->robots_wait_since_ms < ROBOTS_WAIT_MAX_MS) {
			j->not_before_ms = now + ROBOTS_RECHECK_MS;
			if (j->not_before_ms < *wake)
				*wake = j->not_before_ms;
			fetch_host_enqueue(f, j, false);
			return false;
		}
		complete_with(f, j, FETCH_DISALLOWED, "%s: robots.txt still unknown after %d s", j->url,
			      ROBOTS_WAIT_MAX_MS / 1000);
		return false;
	}
	complete_with(f, j, FETCH_DISALLOWED, "%s: disallowed by robots.txt%s%s", j->url, why[0] ? ": " : "", why);
	return false;
}

/* Starts what h's pacing allows; lowers *wake to when h could start more. */
static void dispatch_host(struct fetch *f, struct fetch_host *h, int64_t now, time_t wall, int64_t *wake)
{
	if (fetch_host_is_blocked(h, wall)) {
		struct fetch_job *j;
		while ((j = fetch_host_dequeue(f, h))) {
			j->result.error = FETCH_BLOCKED;
			block_message(j, "it refused us or asked us to stay away");
			complete(f, j);
		}
		return;
	}
	/* Each job is looked at once a pass: those the robots hook puts back go behind the others. */
	for (unsigned tries = h->queued; tries > 0 && h->queue.head; tries--) {
		if (h->active >= f->cfg.per_host || f->running >= f->cfg.max_total)
			return; /* a completion wakes the loop */
		if (now < h->next_start_ms) {
			if (h->next_start_ms < *wake)
				*wake = h->next_start_ms;
			return;
		}
		struct fetch_job *j = fetch_host_dequeue(f, h);
		if (j->not_before_ms > now) {
			if (j->not_before_ms < *wake)
				*wake = j->not_before_ms;
			fetch_host_enqueue(f, j, false);
			continue;
		}
		if (!robots_allow(f, j, now, wake))
			continue;
		int rc = start(f, j, now);
		if (rc < 0)
			complete_with(f, j, FETCH_NETWORK, "%s: could not start the transfer: %s", j->url,
				      strerror(-rc));
	}
}

/* One round over the hosts with queued jobs, in turn. Returns when the
 * loop must look again at the latest (INT64_MAX: only a completion can
 * change anything). */
static int64_t dispatch(struct fetch *f)
{
	int64_t now = fetch_now_ms(), wake = INT64_MAX;
	time_t wall = time(NULL);
	for (size_t n = f->n_waiting; n > 0 && f->running < f->cfg.max_total; n--) {
		struct fetch_host *h = fetch_host_next_waiting(f);
		if (!h)
			break;
		dispatch_host(f, h, now, wall, &wake);
		fetch_host_requeue_waiting(f, h);
	}
	return wake;
}

/* ---- the loop ---- */

static bool cancel_requested(struct fetch *f)
{
	return atomic_load(&f->cancelled) || (f->cfg.cancel_flag && atomic_load(f->cfg.cancel_flag));
}

/* Completes every pending job with e: on cancel, and when libcurl fails. */
static void abandon_all(struct fetch *f, enum fetch_error e, const char *why)
{
	while (f->running_head) {
		struct fetch_job *j = f->running_head;
		curl_multi_remove_handle(f->multi, j->easy);
		running_unlink(f, j);
		fetch_transfer_release(f, j);
		buf_reset(&j->body_buf);
		complete_with(f, j, e, "%s: %s", j->url, why);
	}
	struct fetch_host *h;
	while ((h = fetch_host_next_waiting(f))) {
		struct fetch_job *j;
		while ((j = fetch_host_dequeue(f, h)))
			complete_with(f, j, e, "%s: %s", j->url, why);
	}
}

int fetch_run(struct fetch *f)
{
	assert(!f->in_run);
	f->in_run = true;
	int rc = 0;
	for (;;) {
		if (cancel_requested(f)) {
			atomic_store(&f->cancelled, true); /* later fetch_add fail, whichever flag said so */
			abandon_all(f, FETCH_CANCELLED, "cancelled");
			run_callbacks(f);
			rc = -ECANCELED;
			break;
		}
		if (f->cfg.tick)
			f->cfg.tick(f->cfg.tick_ctx);
		int64_t wake = dispatch(f);
		if (f->done.head) { /* blocked or disallowed right away; their callbacks may queue more */
			run_callbacks(f);
			continue;
		}
		if (!f->running && !f->queued)
			break;
		int still;
		CURLMcode mc = curl_multi_perform(f->multi, &still);
		if (mc == CURLM_OK && collect_completions(f) > 0) {
			run_callbacks(f);
			continue;
		}
		int64_t timeout = wake == INT64_MAX ? POLL_MAX_MS : wake - fetch_now_ms();
		if (timeout > POLL_MAX_MS)
			timeout = POLL_MAX_MS;
		if (f->cfg.cancel_flag && timeout > POLL_FLAG_MS)
			timeout = POLL_FLAG_MS;
		if (mc == CURLM_OK && timeout > 0)
			mc = curl_multi_poll(f->multi, NULL, 0, (int)timeout, NULL);
		if (mc != CURLM_OK) {
			log_event(LOG_ERROR, "fetch_loop", "libcurl: %s", curl_multi_strerror(mc));
			abandon_all(f, FETCH_NETWORK, curl_multi_strerror(mc));
			run_callbacks(f);
			rc = mc == CURLM_OUT_OF_MEMORY ? -ENOMEM : -EIO;
			break;
		}
	}
	f->in_run = false;
	return rc;
}

void fetch_cancel(struct fetch *f)
{
	atomic_store(&f->cancelled, true);
	curl_multi_wakeup(f->multi);
}

void fetch_stats(struct fetch *f, struct fetch_stats *out)
{
	*out = f->totals;
}
