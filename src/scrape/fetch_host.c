/* fetch_host — the hosts an engine has talked to and the politeness state
 * of each: its queue of waiting requests, when the next request may start
 * (delay, backoff), refusals in a row and whether it is blocked. A host is
 * host:port, so two servers on one machine are paced separately. */
#include "scrape/fetch_internal.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timefmt.h"

#define MAX_BLOCK_S (7L * 86400) /* the longest a server's Retry-After may block a host */

int fetch_host_key(const char *url, char out[FETCH_HOST_MAX])
{
	CURLU *u = curl_url();
	if (!u)
		return -ENOMEM;
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = -EINVAL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
		goto out;
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
		goto out;
	size_t hl = strlen(host), pl = strlen(port);
	if (hl == 0 || hl + 1 + pl + 1 > FETCH_HOST_MAX)
		goto out;
	for (size_t i = 0; i < hl; i++) /* DNS names are case-insensitive; one host, one key */
		out[i] = (char)tolower((unsigned char)host[i]);
	out[hl] = ':';
	memcpy(out + hl + 1, port, pl + 1);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

/* FNV-1a: keys are short and chosen by the caller's URLs, not an attacker
 * who could aim for one bucket faster than max_hosts bounds the table. */
static size_t key_hash(const char *key)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)h;
}

struct fetch_host *fetch_host_find(struct fetch *f, const char *key)
{
	if (!f->n_buckets)
		return NULL;
	for (struct fetch_host *h = f->buckets[key_hash(key) % f->n_buckets]; h; h = h->hash_next)
		if (strcmp(h->key, key) == 0)
			return h;
	return NULL;
}

/* Doubles the table once it holds two hosts a bucket. */
static int grow_table(struct fetch *f)
{
	size_t n = f->n_buckets ? f->n_buckets * 2 : 64;
	struct fetch_host **b = calloc(n, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < f->n_buckets; i++) {
		struct fetch_host *h = f->buckets[i];
		while (h) {
			struct fetch_host *next = h->hash_next;
			size_t k = key_hash(h->key) % n;
			h->hash_next = b[k];
			b[k] = h;
			h = next;
		}
	}
	free(f->buckets);
	f->buckets = b;
	f->n_buckets = n;
	return 0;
}

struct fetch_host *fetch_host_get(struct fetch *f, const char *key, int *err)
{
	struct fetch_host *h = fetch_host_find(f, key);
	if (h)
		return h;
	if (f->n_hosts >= f->cfg.max_hosts) {
		*err = -ENOSPC;
		return NULL;
	}
	if (f->n_hosts >= f->n_buckets * 2 && grow_table(f) < 0) {
		*err = -ENOMEM;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		*err = -ENOMEM;
		return NULL;
	}
	size_t kl = strlen(key);
	assert(kl < sizeof(h->key));
	memcpy(h->key, key, kl + 1);
	size_t k = key_hash(key) % f->n_buckets;
	h->hash_next = f->buckets[k];
	f->buckets[k] = h;
	f->n_hosts++;
	return h;
}

void fetch_hosts_free(struct fetch *f)
{
	for (size_t i = 0; i < f->n_buckets; i++) {
		struct fetch_host *h = f->buckets[i];
		while (h) {
			struct fetch_host *next = h->hash_next;
			assert(!h->queue.head); /* the engine drains queues first */
			free(h);
			h = next;
		}
	}
	free(f->buckets);
	f->buckets = NULL;
	f->n_buckets = f->n_hosts = 0;
}

/* ---- the round robin over hosts with queued jobs ---- */

static void wait_append(struct fetch *f, struct fetch_host *h)
{
	assert(!h->waiting);
	h->waiting = true;
	f->n_waiting++;
	h->wait_next = NULL;
	if (f->wait_tail)
		f->wait_tail->wait_next = h;
	else
		f->wait_head = h;
	f->wait_tail = h;
}

struct fetch_host *fetch_host_next_waiting(struct fetch *f)
{
	struct fetch_host *h = f->wait_head;
	if (!h)
		return NULL;
	f->wait_head = h->wait_next;
	if (!f->wait_head)
		f->wait_tail = NULL;
	h->wait_next = NULL;
	h->waiting = false;
	f->n_waiting--;
	return h;
}

void fetch_host_requeue_waiting(struct fetch *f, struct fetch_host *h)
{
	if (h->queued && !h->waiting)
		wait_append(f, h);
}

void fetch_host_enqueue(struct fetch *f, struct fetch_job *j, bool front)
{
	struct fetch_host *h = j->host;
	if (front)
		fetch_jobs_push_front(&h->queue, j);
	else
		fetch_jobs_push_back(&h->queue, j);
	h->queued++;
	f->queued++;
	if (!h->waiting)
		wait_append(f, h);
}

struct fetch_job *fetch_host_dequeue(struct fetch *f, struct fetch_host *h)
{
	struct fetch_job *j = fetch_jobs_pop(&h->queue);
	if (!j)
		return NULL;
	assert(h->queued > 0 && f->queued > 0);
	h->queued--;
	f->queued--;
	if (!j->text) {
		j->text = calloc(1, sizeof(*j->text));
		j->text_owned = j->text != NULL;
		if (!j->text)
			j->text = &f->spare_text;
	}
	return j;
}

/* ---- pacing and blocking ---- */

bool fetch_host_is_blocked(struct fetch_host *h, time_t now)
{
	if (!h->blocked_until)
		return false;
	if (now < h->blocked_until)
		return true;
	/* The cool-down is over: the host starts again from a clean slate. */
	h->blocked_until = 0;
	h->consecutive_failures = 0;
	return false;
}

void fetch_host_started(struct fetch *f, struct fetch_host *h, const struct fetch_job *j, int64_t now_ms)
{
	int64_t delay;
	if (j->delay_ms > 0)
		delay = j->delay_ms;
	else if (j->delay_ms == FETCH_NO_DELAY)
		delay = 0;
	else
		delay = j->kind == FETCH_HTML ? f->cfg.html_delay_ms : f->cfg.api_delay_ms;
	int64_t next = now_ms + fetch_jitter(f, delay);
	if (next > h->next_start_ms)
		h->next_start_ms = next;
	h->active++;
}

void fetch_host_back_off(struct fetch_host *h, int64_t now_ms, int64_t wait_ms)
{
	if (now_ms + wait_ms > h->next_start_ms)
		h->next_start_ms = now_ms + wait_ms;
}

void fetch_host_block(struct fetch_host *h, time_t until, const char *why)
{
	time_t now = time(NULL);
	if (until > now + MAX_BLOCK_S)
		until = now + MAX_BLOCK_S;
	if (until <= h->blocked_until)
		return;
	bool was_blocked = h->blocked_until > now;
	h->blocked_until = until;
	if (was_blocked)
		return;
	fetch_metrics_host_blocked();
	char when[TIMEFMT_ISO_LEN];
	timefmt_iso(until, when);
	log_event(LOG_WARN, "fetch_host_blocked", "%s blocked until %s: %s", h->key, when, why);
}

bool fetch_host_answered(struct fetch *f, struct fetch_host *h, long status)
{
	if (status != 403 && status != 429 && status != 999) {
		h->consecutive_failures = 0;
		return false;
	}
	h->consecutive_failures++;
	if (h->consecutive_failures < f->cfg.block_after || h->blocked_until > time(NULL))
		return false;
	char why[64];
	snprintf(why, sizeof(why), "%u refusals in a row (the last %ld)", h->consecutive_failures, status);
	fetch_host_block(h, time(NULL) + (time_t)f->cfg.block_for_s, why);
	return true;
}

/* ---- what the caller sees ---- */

static void fill_status(const struct fetch_host *h, struct fetch_host_status *out)
{
	memcpy(out->host, h->key, sizeof(out->host));
	out->blocked_until = h->blocked_until > time(NULL) ? h->blocked_until : 0;
	out->consecutive_failures = h->consecutive_failures;
	out->queued = h->queued;
	out->active = h->active;
	out->stats = h->stats;
}

int fetch_host_status(struct fetch *f, const char *host, struct fetch_host_status *out)
{
	const struct fetch_host *h = fetch_host_find(f, host);
	if (!h)
		return -ENOENT;
	fill_status(h, out);
	return 0;
}

void fetch_hosts_each(struct fetch *f, void (*fn)(const struct fetch_host_status *st, void *ctx), void *ctx)
{
	struct fetch_host_status st;
	for (size_t i = 0; i < f->n_buckets; i++)
		for (const struct fetch_host *h = f->buckets[i]; h; h = h->hash_next) {
			fill_status(h, &st);
			fn(&st, ctx);
		}
}

int fetch_host_restore(struct fetch *f, const char *host, time_t blocked_until, unsigned consecutive_failures)
{
	size_t len = strnlen(host, FETCH_HOST_MAX);
	if (len == 0 || len == FETCH_HOST_MAX || !strchr(host, ':'))
		return -EINVAL;
	int err = 0;
	struct fetch_host *h = fetch_host_get(f, host, &err);
	if (!h)
		return err;
	h->consecutive_failures = consecutive_failures;
	h->blocked_until = blocked_until > time(NULL) ? blocked_until : 0;
	return 0;
}
