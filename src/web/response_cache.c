#include "web/response_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS    512
#define CACHE_KEY_MAX  512
#define CACHE_BODY_MAX (256u * 1024)

struct entry {
	int64_t user_id, version;
	char key[CACHE_KEY_MAX];
	char *body;
	size_t len;
	uint64_t stamp; /* insertion order, for eviction */
};

static struct entry slots[CACHE_SLOTS];
static size_t bytes_held;
static size_t bytes_max = 16u * 1024 * 1024;
static uint64_t clock_now;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static uint32_t slot_of(int64_t user_id, const char *key)
{
	uint32_t h = 2166136261u ^ (uint32_t)user_id;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h % CACHE_SLOTS;
}

static void drop(struct entry *e)
{
	bytes_held -= e->len;
	free(e->body);
	memset(e, 0, sizeof(*e));
}

int response_cache_get(int64_t user_id, int64_t version, const char *key, struct buf *out)
{
	if (strlen(key) >= CACHE_KEY_MAX)
		return 0;
	int hit = 0;
	pthread_mutex_lock(&mu);
	struct entry *e = &slots[slot_of(user_id, key)];
	if (e->body && e->user_id == user_id && e->version == version && strcmp(e->key, key) == 0)
		hit = buf_append(out, e->body, e->len) == 0;
	pthread_mutex_unlock(&mu);
	return hit;
}

void response_cache_put(int64_t user_id, int64_t version, const char *key, const char *body, size_t len)
{
	size_t klen = strlen(key);
	if (klen >= CACHE_KEY_MAX || len > CACHE_BODY_MAX || len > bytes_max)
		return;
	char *copy = malloc(len);
	if (!copy)
		return;
	memcpy(copy, body, len);
	pthread_mutex_lock(&mu);
	struct entry *e = &slots[slot_of(user_id, key)];
	if (e->body)
		drop(e);
	/* Over the byte budget: evict the oldest entries until the new one fits. */
	while (bytes_held + len > bytes_max) {
		struct entry *oldest = NULL;
		for (size_t i = 0; i < CACHE_SLOTS; i++)
			if (slots[i].body && (!oldest || slots[i].stamp < oldest->stamp))
				oldest = &slots[i];
		if (!oldest)
			break;
		drop(oldest);
	}
	e->user_id = user_id;
	e->version = version;
	memcpy(e->key, key, klen + 1);
	e->body = copy;
	e->len = len;
	e->stamp = ++clock_now;
	bytes_held += len;
	pthread_mutex_unlock(&mu);
}

void response_cache_set_budget(size_t bytes)
{
	pthread_mutex_lock(&mu);
	bytes_max = bytes;
	pthread_mutex_unlock(&mu);
}

void response_cache_clear(void)
{
	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (slots[i].body)
			drop(&slots[i]);
	pthread_mutex_unlock(&mu);
}
