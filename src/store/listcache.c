/* listcache.c — pages of users' applications remembered in this process
 * (see listcache.h for when a backend may answer from them). */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "store/listcache.h"
#include "store/listdelta.h"
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

/* A remembered page is one block: the applications, then their tag
 * arrays, then every string, with pointers into the block itself, so that
 * handing out a copy is one memcpy and a pass moving the pointers (a copy
 * string by string cost a tenth of a whole listing). */
struct list_entry {
	int valid;
	struct list_key key; /* its strings in keytext */
	char *keytext;
	int64_t data_version;
	char *block; /* n struct application first */
	size_t size, n;
	int64_t total;
};

struct list_cache {
	pthread_mutex_t mu;
	size_t bytes; /* the blocks' sizes together */
	struct list_entry slots[LIST_SLOTS];
};

/* The fields of struct application that point at text. */
static const size_t text_fields[] = {
	offsetof(struct application, company),       offsetof(struct application, position),
	offsetof(struct application, location),      offsetof(struct application, url),
	offsetof(struct application, source),        offsetof(struct application, salary_currency),
	offsetof(struct application, salary_period), offsetof(struct application, status),
	offsetof(struct application, saved_on),      offsetof(struct application, applied_on),
	offsetof(struct application, follow_up_on),  offsetof(struct application, notes),
};
#define N_TEXT_FIELDS (sizeof(text_fields) / sizeof(text_fields[0]))

static char **text_field(struct application *app, size_t i)
{
	return (char **)(void *)((char *)app + text_fields[i]);
}

static size_t text_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies len bytes of s (its NUL included) to *at and moves *at past them;
 * NULL stays NULL. */
static char *put_len(char **at, const char *s, size_t len)
{
	if (!s)
		return NULL;
	char *d = memcpy(*at, s, len);
	*at += len;
	return d;
}

/* Copies s to *at and moves *at past it; NULL stays NULL. */
static char *put_text(char **at, const char *s)
{
	return put_len(at, s, text_size(s));
}

/* s's size (text_size), noted in lens[*i] for the copying pass. */
static size_t note_len(const char *s, size_t *lens, size_t *i)
{
	return lens[(*i)++] = text_size(s);
}

/* items[0..n) packed into one malloc'd block (see struct list_entry);
 * NULL when out of memory or larger than LIST_ENTRY_MAX. Each string's
 * length is measured once, by the sizing pass. */
static char *pack(const struct application *items, size_t n, size_t *size)
{
	size_t n_strings = 0;
	for (size_t i = 0; i < n; i++)
		n_strings += N_TEXT_FIELDS + items[i].n_tags;
	size_t *lens = malloc((n_strings ? n_strings : 1) * sizeof(*lens)), k = 0;
	if (!lens)
		return NULL;
	size_t total = n * sizeof(struct application);
	for (size_t i = 0; i < n && total <= LIST_ENTRY_MAX; i++) {
		struct application *app = (struct application *)&items[i];
		total += app->n_tags * sizeof(char *);
		for (size_t f = 0; f < N_TEXT_FIELDS; f++)
			total += note_len(*text_field(app, f), lens, &k);
		for (size_t t = 0; t < app->n_tags; t++)
			total += note_len(app->tags[t], lens, &k);
	}
	char *block = total <= LIST_ENTRY_MAX ? malloc(total ? total : 1) : NULL;
	if (!block) {
		free(lens);
		return NULL;
	}
	struct application *out = (struct application *)(void *)block;
	char *at = block + n * sizeof(*out);
	for (size_t i = 0; i < n; i++) { /* the tag arrays first: pointers stay aligned */
		out[i] = items[i];
		out[i].tags = NULL;
		if (items[i].n_tags) {
			out[i].tags = (char **)(void *)at;
			at += items[i].n_tags * sizeof(char *);
		}
	}
	k = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t f = 0; f < N_TEXT_FIELDS; f++, k++)
			*text_field(&out[i], f) = put_len(&at, *text_field(&out[i], f), lens[k]);
		for (size_t t = 0; t < items[i].n_tags; t++, k++)
			out[i].tags[t] = put_len(&at, items[i].tags[t], lens[k]);
	}
	free(lens);
	*size = total;
	return block;
}

/* A copy of e's block in a, its pointers moved into the copy. */
static struct application *unpack(const struct list_entry *e, struct arena *a)
{
	char *dst = arena_alloc_raw(a, e->size ? e->size : 1);
	if (!dst)
		return NULL;
	memcpy(dst, e->block, e->size);
	struct application *out = (struct application *)(void *)dst;
	for (size_t i = 0; i < e->n; i++) {
		for (size_t f = 0; f < N_TEXT_FIELDS; f++) {
			char **field = text_field(&out[i], f);
			if (*field)
				*field = dst + (*field - e->block);
		}
		if (out[i].tags) {
			out[i].tags = (char **)(void *)(dst + ((char *)out[i].tags - e->block));
			for (size_t t = 0; t < out[i].n_tags; t++)
				out[i].tags[t] = dst + (out[i].tags[t] - e->block);
		}
	}
	return out;
}

/* k's strings copied into one allocation (*text), k pointing at them. */
static int keep_key(struct list_key *k, char **text)
{
	size_t ls = text_size(k->status), lt = text_size(k->tag), lq = text_size(k->q);
	char *at = *text = malloc(ls + lt + lq + 1);
	if (!at)
		return -1;
	k->status = put_text(&at, k->status);
	k->tag = put_text(&at, k->tag);
	k->q = put_text(&at, k->q);
	return 0;
}

static void entry_clear(struct list_cache *lc, struct list_entry *e)
{
	lc->bytes -= e->valid ? e->size : 0;
	free(e->block);
	free(e->keytext);
	memset(e, 0, sizeof(*e));
}

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

struct list_cache *list_cache_new(void)
{
	struct list_cache *lc = calloc(1, sizeof(*lc));
	if (!lc)
		return NULL;
	pthread_mutex_init(&lc->mu, NULL);
	return lc;
}

void list_cache_free(struct list_cache *lc)
{
	if (!lc)
		return;
	for (size_t i = 0; i < LIST_SLOTS; i++)
		entry_clear(lc, &lc->slots[i]);
	pthread_mutex_destroy(&lc->mu);
	free(lc);
}

/* A copy (in a) of the page for user_id and f: the one remembered at
 * version, or with version ANY_VERSION one that holds every row that
 * matched, whatever its version. Its total and version into *total and
 * *version. */
#define ANY_VERSION (-1)
static int copy_out(struct list_cache *lc, int64_t user_id, const struct app_filter *f, int64_t version,
		    struct arena *a, struct application **out, size_t *n, int64_t *total, int64_t *at_version)
{
	if (!lc)
		return 0;
	struct list_key k = key_of(user_id, f);
	pthread_mutex_lock(&lc->mu);
	struct list_entry *e = &lc->slots[slot_of(&k)];
	int hit =
	    e->valid && same_key(&e->key, &k) &&
	    (version == ANY_VERSION ? e->key.offset == 0 && e->total == (int64_t)e->n : e->data_version == version);
	if (hit) {
		*out = unpack(e, a);
		*n = e->n;
		*total = e->total;
		*at_version = e->data_version;
		hit = *out != NULL; /* the caller's arena is full: let the database answer (and fail alike) */
	}
	pthread_mutex_unlock(&lc->mu);
	return hit;
}

int list_cache_get(struct list_cache *lc, int64_t user_id, int64_t data_version, const struct app_filter *f,
		   struct arena *a, struct application **out, size_t *n, int64_t *total)
{
	int64_t at;
	return copy_out(lc, user_id, f, data_version, a, out, n, total, &at);
}

int list_cache_get_base(struct list_cache *lc, int64_t user_id, const struct app_filter *f, struct arena *a,
			struct application **out, size_t *n, int64_t *data_version)
{
	int64_t total;
	return list_delta_supports(f) && copy_out(lc, user_id, f, ANY_VERSION, a, out, n, &total, data_version);
}

void list_cache_put(struct list_cache *lc, int64_t user_id, int64_t data_version, const struct app_filter *f,
		    const struct application *items, size_t n, int64_t total)
{
	if (!lc)
		return;
	struct list_key k = key_of(user_id, f);
	size_t size = 0;
	char *block = pack(items, n, &size), *keytext = NULL; /* outside the lock */
	if (!block || keep_key(&k, &keytext)) {
		free(block);
		return;
	}
	pthread_mutex_lock(&lc->mu);
	struct list_entry *e = &lc->slots[slot_of(&k)];
	/* Never an older page over a newer one of the same key (a slow reader
	 * finishing after a newer read), and never past the budget. */
	int older = e->valid && same_key(&e->key, &k) && e->data_version > data_version;
	if (!older && lc->bytes - (e->valid ? e->size : 0) + size <= LIST_TOTAL_MAX) {
		entry_clear(lc, e);
		*e = (struct list_entry){ .valid = 1,
					  .key = k,
					  .keytext = keytext,
					  .data_version = data_version,
					  .block = block,
					  .size = size,
					  .n = n,
					  .total = total };
		lc->bytes += size;
		block = keytext = NULL;
	}
	pthread_mutex_unlock(&lc->mu);
	free(block);
	free(keytext);
}
