/* listcache.c — pages of users' applications remembered in this process
 * (see listcache.h for when a backend may answer from them). */
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "base/arena.h"
#include "store/listcache.h"
#include "store/rows.h"

#define LIST_SLOTS     64
#define LIST_ENTRY_MAX (512 * 1024)
#define LIST_TOTAL_MAX (4 * 1024 * 1024)

/* What makes two listings the same page. */
struct list_key {
	int64_t user_id;
	const char *status, *tag, *q; /* NULL when absent; q "" counts as absent */
	int sort;
	int64_t limit, offset;
};

struct list_entry {
	int valid;
	struct list_key key; /* strings in arena */
	int64_t data_version;
	struct application *items;
	size_t n;
	int64_t total;
	struct arena arena; /* everything above that points somewhere */
};

struct list_cache {
	pthread_mutex_t mu;
	size_t bytes; /* arenas' used_total together */
	struct list_entry slots[LIST_SLOTS];
};

static struct list_key key_of(int64_t user_id, const struct app_filter *f)
{
	return (struct list_key){ .user_id = user_id,
				  .status = f->status,
				  .tag = f->tag,
				  .q = f->q && *f->q ? f->q : NULL,
				  .sort = f->sort < APP_SORT_COUNT ? (int)f->sort : APP_SORT_UPDATED_DESC,
				  .limit = rows_list_limit(f),
				  .offset = f->offset > 0 ? f->offset : 0 };
}

static int same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int same_key(const struct list_key *a, const struct list_key *b)
{
	return a->user_id == b->user_id && a->sort == b->sort && a->limit == b->limit && a->offset == b->offset &&
	       same_text(a->status, b->status) && same_text(a->tag, b->tag) && same_text(a->q, b->q);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

static uint64_t mix_text(uint64_t h, const char *s)
{
	if (!s)
		return mix(h, 1);
	for (; *s; s++)
		h = mix(h, (unsigned char)*s);
	return h;
}

static size_t slot_of(const struct list_key *k)
{
	uint64_t h = mix(mix(mix(0, (uint64_t)k->user_id), (uint64_t)k->sort), (uint64_t)k->limit);
	h = mix(h, (uint64_t)k->offset);
	h = mix_text(mix_text(mix_text(h, k->status), k->tag), k->q);
	return (size_t)(h % LIST_SLOTS);
}

/* A copy of s in a (NULL stays NULL); sets *bad when a is out of room. */
static char *copy_text(struct arena *a, const char *s, int *bad)
{
	if (!s)
		return NULL;
	char *d = arena_strdup(a, s);
	if (!d)
		*bad = 1;
	return d;
}

/* A deep copy of items[0..n) in a; NULL when a is out of room. */
static struct application *copy_apps(struct arena *a, const struct application *items, size_t n)
{
	struct application *out = arena_alloc_raw(a, (n ? n : 1) * sizeof(*out));
	if (!out)
		return NULL;
	int bad = 0;
	for (size_t i = 0; i < n && !bad; i++) {
		const struct application *s = &items[i];
		struct application *d = &out[i];
		*d = *s;
		d->company = copy_text(a, s->company, &bad);
		d->position = copy_text(a, s->position, &bad);
		d->location = copy_text(a, s->location, &bad);
		d->url = copy_text(a, s->url, &bad);
		d->source = copy_text(a, s->source, &bad);
		d->salary_currency = copy_text(a, s->salary_currency, &bad);
		d->salary_period = copy_text(a, s->salary_period, &bad);
		d->status = copy_text(a, s->status, &bad);
		d->saved_on = copy_text(a, s->saved_on, &bad);
		d->applied_on = copy_text(a, s->applied_on, &bad);
		d->follow_up_on = copy_text(a, s->follow_up_on, &bad);
		d->notes = copy_text(a, s->notes, &bad);
		d->tags = NULL;
		if (s->n_tags) {
			d->tags = arena_alloc_raw(a, s->n_tags * sizeof(*d->tags));
			bad |= !d->tags;
			for (size_t t = 0; t < s->n_tags && !bad; t++)
				d->tags[t] = copy_text(a, s->tags[t], &bad);
		}
	}
	return bad ? NULL : out;
}

struct list_cache *list_cache_new(void)
{
	struct list_cache *lc = calloc(1, sizeof(*lc));
	if (!lc)
		return NULL;
	pthread_mutex_init(&lc->mu, NULL);
	for (size_t i = 0; i < LIST_SLOTS; i++)
		arena_init(&lc->slots[i].arena, LIST_ENTRY_MAX);
	return lc;
}

void list_cache_free(struct list_cache *lc)
{
	if (!lc)
		return;
	for (size_t i = 0; i < LIST_SLOTS; i++)
		arena_free(&lc->slots[i].arena);
	pthread_mutex_destroy(&lc->mu);
	free(lc);
}

int list_cache_get(struct list_cache *lc, int64_t user_id, int64_t data_version, const struct app_filter *f,
		   struct arena *a, struct application **out, size_t *n, int64_t *total)
{
	if (!lc)
		return 0;
	struct list_key k = key_of(user_id, f);
	pthread_mutex_lock(&lc->mu);
	struct list_entry *e = &lc->slots[slot_of(&k)];
	int hit = e->valid && e->data_version == data_version && same_key(&e->key, &k);
	if (hit) {
		*out = copy_apps(a, e->items, e->n);
		*n = e->n;
		*total = e->total;
		hit = *out != NULL; /* the caller's arena is full: let the database answer (and fail alike) */
	}
	pthread_mutex_unlock(&lc->mu);
	return hit;
}

void list_cache_put(struct list_cache *lc, int64_t user_id, int64_t data_version, const struct app_filter *f,
		    const struct application *items, size_t n, int64_t total)
{
	if (!lc)
		return;
	struct list_key k = key_of(user_id, f);
	pthread_mutex_lock(&lc->mu);
	struct list_entry *e = &lc->slots[slot_of(&k)];
	/* Never replace a page with an older one (a slow reader finishing after
	 * a newer read of the same page). */
	if (!(e->valid && same_key(&e->key, &k) && e->data_version > data_version)) {
		lc->bytes -= e->arena.used_total;
		arena_free(&e->arena);
		arena_init(&e->arena, LIST_ENTRY_MAX);
		e->valid = 0;
		int bad = 0;
		e->key = k;
		e->key.status = copy_text(&e->arena, k.status, &bad);
		e->key.tag = copy_text(&e->arena, k.tag, &bad);
		e->key.q = copy_text(&e->arena, k.q, &bad);
		e->items = bad ? NULL : copy_apps(&e->arena, items, n);
		if (e->items && lc->bytes + e->arena.used_total <= LIST_TOTAL_MAX) {
			e->data_version = data_version;
			e->n = n;
			e->total = total;
			e->valid = 1;
			lc->bytes += e->arena.used_total;
		} else {
			arena_free(&e->arena); /* too big for the budget: not remembered */
			arena_init(&e->arena, LIST_ENTRY_MAX);
		}
	}
	pthread_mutex_unlock(&lc->mu);
}
