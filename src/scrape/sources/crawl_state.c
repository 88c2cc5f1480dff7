/* sources/crawl_state — the set of URLs one crawl has requested, and its
 * budgets; see crawl.h. An open-addressing table of 64-bit hashes with the
 * URL kept beside each (so a hash collision never hides a page), grown at
 * half full; everything lives in the run's arena, so nothing is freed. */
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/sources/crawl.h"

#define SITES_MAX 4

struct slot {
	uint64_t hash;
	const char *url;
};

struct crawl_state {
	struct arena *arena;
	struct slot *slots;
	size_t cap, used;
	long pages, sitemaps;
	char sites[SITES_MAX][300];
	size_t n_sites;
};

static uint64_t hash_of(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h | 1; /* 0 marks an empty slot */
}

struct crawl_state *crawl_state_new(struct arena *run_arena)
{
	struct crawl_state *s = arena_alloc(run_arena, sizeof(*s));
	if (!s)
		return NULL;
	s->arena = run_arena;
	s->cap = 256;
	s->slots = arena_alloc(run_arena, s->cap * sizeof(*s->slots));
	return s->slots ? s : NULL;
}

static bool grow(struct crawl_state *s)
{
	size_t cap = s->cap * 2;
	struct slot *slots = arena_alloc(s->arena, cap * sizeof(*slots));
	if (!slots)
		return false;
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slots[i].hash)
			continue;
		size_t j = s->slots[i].hash & (cap - 1);
		while (slots[j].hash)
			j = (j + 1) & (cap - 1);
		slots[j] = s->slots[i];
	}
	s->slots = slots;
	s->cap = cap;
	return true;
}

bool crawl_state_first_visit(struct crawl_state *s, const char *url)
{
	if (!s || !url)
		return false;
	uint64_t h = hash_of(url);
	size_t j = h & (s->cap - 1);
	for (; s->slots[j].hash; j = (j + 1) & (s->cap - 1))
		if (s->slots[j].hash == h && strcmp(s->slots[j].url, url) == 0)
			return false;
	const char *copy = arena_strdup(s->arena, url);
	if (!copy)
		return false; /* out of memory: treat as seen, so the crawl ends rather than loops */
	s->slots[j] = (struct slot){ h, copy };
	if (++s->used * 2 > s->cap)
		(void)grow(s); /* failing to grow only makes probes longer */
	return true;
}

long *crawl_state_pages(struct crawl_state *s)
{
	return &s->pages;
}

long *crawl_state_sitemaps(struct crawl_state *s)
{
	return &s->sitemaps;
}

bool crawl_state_site_ok(struct crawl_state *s, const char *url)
{
	for (size_t i = 0; i < s->n_sites; i++)
		if (crawl_same_site(url, s->sites[i]))
			return true;
	return false;
}

void crawl_state_add_site(struct crawl_state *s, const char *url)
{
	char origin[300];
	if (s->n_sites == SITES_MAX || !crawl_origin(url, origin, sizeof(origin)) || crawl_state_site_ok(s, url))
		return;
	memcpy(s->sites[s->n_sites++], origin, sizeof(origin));
}
