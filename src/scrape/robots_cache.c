/* robots_cache — each host's robots.txt, fetched once and kept for a day,
 * shared by every fetcher thread (robots.h says what callers see).
 *
 * One mutex guards the table; fetches run outside it. An entry being
 * fetched is marked so, and other threads that want the same host wait on
 * the condition variable instead of fetching it again. */
#include "scrape/robots.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#define DEFAULT_MAX_ENTRIES 1024
#define DEFAULT_TTL         (24 * 3600)
#define DEFAULT_ERROR_TTL   600
/* How long a robots.txt read from a host stands in while the host is
 * unreachable (RFC 9309 §2.3.1.4 speaks of 30 days). */
#define STALE_LIMIT         (30L * 24 * 3600)

struct entry {
	char *key;             /* origin, or "origin proxy" when fetched through one */
	struct robots *robots; /* NULL until the first fetch ends */
	time_t fetched_at;     /* when robots was fetched */
	time_t expires;
	bool fetching;
	uint64_t last_used; /* the cache's use counter, for eviction */
	struct entry *next; /* in its bucket */
};

struct robots_cache {
	pthread_mutex_t lock;
	pthread_cond_t fetched;
	struct robots_cache_options opt;
	struct entry **buckets;
	size_t n_buckets; /* a power of two */
	size_t count;
	uint64_t uses;
};

static time_t cache_now(const struct robots_cache *c)
{
	return c->opt.now ? c->opt.now(c->opt.now_ctx) : time(NULL);
}

static size_t bucket_of(const struct robots_cache *c, const char *origin)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)origin; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)h & (c->n_buckets - 1);
}

int robots_cache_new(const struct robots_cache_options *opt, struct robots_cache **out)
{
	if (!opt || !opt->fetch)
		return -EINVAL;
	struct robots_cache *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->opt = *opt;
	if (!c->opt.max_entries)
		c->opt.max_entries = DEFAULT_MAX_ENTRIES;
	if (c->opt.ttl_seconds <= 0)
		c->opt.ttl_seconds = DEFAULT_TTL;
	if (c->opt.error_ttl_seconds <= 0)
		c->opt.error_ttl_seconds = DEFAULT_ERROR_TTL;
	c->n_buckets = 16;
	while (c->n_buckets < c->opt.max_entries && c->n_buckets < ((size_t)1 << 20))
		c->n_buckets *= 2;
	c->buckets = calloc(c->n_buckets, sizeof(*c->buckets));
	if (!c->buckets) {
		free(c);
		return -ENOMEM;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->fetched, NULL);
	*out = c;
	return 0;
}

static void entry_free(struct entry *e)
{
	robots_release(e->robots);
	free(e->key);
	free(e);
}

void robots_cache_free(struct robots_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_buckets; i++) {
		for (struct entry *e = c->buckets[i], *next; e; e = next) {
			assert(!e->fetching);
			next = e->next;
			entry_free(e);
		}
	}
	free(c->buckets);
	pthread_cond_destroy(&c->fetched);
	pthread_mutex_destroy(&c->lock);
	if (c->opt.fetch_ctx_free)
		c->opt.fetch_ctx_free(c->opt.fetch_ctx);
	free(c);
}

size_t robots_cache_size(struct robots_cache *c)
{
	pthread_mutex_lock(&c->lock);
	size_t n = c->count;
	pthread_mutex_unlock(&c->lock);
	return n;
}

static struct entry *find(struct robots_cache *c, const char *key)
{
	for (struct entry *e = c->buckets[bucket_of(c, key)]; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

/* Drops the least recently used entry that no thread is fetching; false
 * when every entry is being fetched. Called with the lock held. */
static bool evict_one(struct robots_cache *c)
{
	struct entry **victim = NULL;
	for (size_t i = 0; i < c->n_buckets; i++)
		for (struct entry **link = &c->buckets[i]; *link; link = &(*link)->next)
			if (!(*link)->fetching && (!victim || (*link)->last_used < (*victim)->last_used))
				victim = link;
	if (!victim)
		return false;
	struct entry *e = *victim;
	*victim = e->next;
	entry_free(e);
	c->count--;
	return true;
}

/* A new entry for key, or NULL when out of memory or when the table is
 * full of fetches in flight (the caller then fetches without caching). */
static struct entry *insert(struct robots_cache *c, const char *key)
{
	if (c->count >= c->opt.max_entries && !evict_one(c))
		return NULL;
	struct entry *e = calloc(1, sizeof(*e));
	if (!e || !(e->key = strdup(key))) {
		free(e);
		return NULL;
	}
	size_t b = bucket_of(c, key);
	e->next = c->buckets[b];
	c->buckets[b] = e;
	c->count++;
	return e;
}

/* Fetches origin's robots.txt and makes its robots; NULL when out of memory. */
static struct robots *fetch(struct robots_cache *c, const char *origin, const char *proxy)
{
	char url[1024];
	int w = snprintf(url, sizeof(url), "%s/robots.txt", origin);
	struct buf body;
	buf_init(&body, ROBOTS_FETCH_MAX);
	int status = 0;
	if (w < 0 || (size_t)w >= sizeof(url) || c->opt.fetch(c->opt.fetch_ctx, url, proxy, &body, &status) < 0)
		status = 0;
	struct robots *r = NULL;
	if (robots_from_response(status, body.data, body.len, &r))
		r = NULL;
	buf_free(&body);
	return r;
}

/* Puts a fresh fetch's result into e and returns the robots to use. A host
 * that has become unreachable keeps its last robots.txt for a while. */
static struct robots *store_result(struct robots_cache *c, struct entry *e, struct robots *fresh, time_t now)
{
	if (robots_unreachable(fresh) && e->robots && !robots_unreachable(e->robots) &&
	    robots_http_status(e->robots) / 100 == 2 && now - e->fetched_at < STALE_LIMIT) {
		robots_release(fresh);
		e->expires = now + c->opt.error_ttl_seconds;
		return e->robots;
	}
	robots_release(e->robots);
	e->robots = fresh;
	e->fetched_at = now;
	e->expires = now + (robots_unreachable(fresh) ? c->opt.error_ttl_seconds : c->opt.ttl_seconds);
	return fresh;
}

int robots_cache_get(struct robots_cache *c, const char *origin, struct robots **out)
{
	return robots_cache_get_via(c, origin, NULL, out);
}

int robots_cache_get_via(struct robots_cache *c, const char *origin, const char *proxy, struct robots **out)
{
	if (!origin || !*origin || strchr(origin, ' '))
		return -EINVAL;
	char key[1024];
	int w = snprintf(key, sizeof(key), "%s%s%s", origin, proxy ? " " : "", proxy ? proxy : "");
	if (w < 0 || (size_t)w >= sizeof(key))
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	struct entry *e;
	for (;;) {
		e = find(c, key);
		if (e && e->robots && !e->fetching && cache_now(c) < e->expires) {
			e->last_used = ++c->uses;
			*out = robots_retain(e->robots);
			pthread_mutex_unlock(&c->lock);
			return 0;
		}
		if (!e || !e->fetching)
			break;
		pthread_cond_wait(&c->fetched, &c->lock); /* another thread is fetching it */
	}
	if (!e)
		e = insert(c, key);
	if (e) {
		e->fetching = true;
		e->last_used = ++c->uses;
	}
	pthread_mutex_unlock(&c->lock);

	struct robots *fresh = fetch(c, origin, proxy);

	if (!e) {
		*out = fresh;
		return fresh ? 0 : -ENOMEM;
	}
	pthread_mutex_lock(&c->lock);
	e->fetching = false;
	struct robots *use = fresh ? store_result(c, e, fresh, cache_now(c)) : NULL;
	if (use)
		*out = robots_retain(use);
	pthread_cond_broadcast(&c->fetched);
	pthread_mutex_unlock(&c->lock);
	return use ? 0 : -ENOMEM;
}

int robots_cache_allows(struct robots_cache *c, const char *url, const char *agent)
{
	return robots_cache_allows_via(c, url, agent, NULL);
}

int robots_cache_allows_via(struct robots_cache *c, const char *url, const char *agent, const char *proxy)
{
	char origin[512], path[ROBOTS_PATH_MAX + 2];
	if (robots_url_split(url, origin, sizeof(origin), path, sizeof(path)))
		return -EINVAL;
	struct robots *r;
	int rc = robots_cache_get_via(c, origin, proxy, &r);
	if (rc)
		return rc;
	struct robots_decision d;
	rc = robots_check(r, agent, path, &d);
	robots_release(r);
	return rc ? rc : d.allowed;
}
