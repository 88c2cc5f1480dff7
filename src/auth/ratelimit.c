#include "auth/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define RL_SLOTS   4096
#define RL_KEY_MAX 128

struct rl_entry {
	char key[RL_KEY_MAX];
	int64_t window_start;
	unsigned count;
};

struct ratelimit {
	pthread_mutex_t mu;
	unsigned limit, window;
	struct rl_entry slots[RL_SLOTS];
};

struct ratelimit *ratelimit_new(unsigned limit, unsigned window_seconds)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl));
	if (!rl)
		return NULL;
	pthread_mutex_init(&rl->mu, NULL);
	rl->limit = limit;
	rl->window = window_seconds;
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Open addressing over 8 neighbouring slots; a miss evicts the stalest. */
static struct rl_entry *find_slot(struct ratelimit *rl, const char *key, int64_t now)
{
	uint32_t h = fnv1a(key);
	struct rl_entry *victim = NULL;
	for (unsigned i = 0; i < 8; i++) {
		struct rl_entry *e = &rl->slots[(h + i) % RL_SLOTS];
		if (e->key[0] && strncmp(e->key, key, RL_KEY_MAX - 1) == 0)
			return e;
		int stale = !e->key[0] || now - e->window_start >= rl->window;
		if (stale && !victim)
			victim = e;
	}
	if (!victim) {
		/* All neighbours are live: drop the one with the fewest attempts, so
		 * flooding other keys cannot wipe a key that is near its limit. */
		victim = &rl->slots[h % RL_SLOTS];
		for (unsigned i = 1; i < 8; i++) {
			struct rl_entry *e = &rl->slots[(h + i) % RL_SLOTS];
			if (e->count < victim->count ||
			    (e->count == victim->count && e->window_start < victim->window_start))
				victim = e;
		}
	}
	size_t n = strnlen(key, RL_KEY_MAX - 1);
	memcpy(victim->key, key, n);
	victim->key[n] = '\0';
	victim->window_start = now;
	victim->count = 0;
	return victim;
}

int64_t ratelimit_hit(struct ratelimit *rl, const char *key, int64_t now)
{
	pthread_mutex_lock(&rl->mu);
	struct rl_entry *e = find_slot(rl, key, now);
	if (now - e->window_start >= rl->window) {
		e->window_start = now;
		e->count = 0;
	}
	int64_t wait = 0;
	if (e->count >= rl->limit) {
		wait = e->window_start + rl->window - now;
		if (wait < 1)
			wait = 1;
	} else {
		e->count++;
	}
	pthread_mutex_unlock(&rl->mu);
	return wait;
}

void ratelimit_reset(struct ratelimit *rl, const char *key)
{
	pthread_mutex_lock(&rl->mu);
	uint32_t h = fnv1a(key);
	for (unsigned i = 0; i < 8; i++) {
		struct rl_entry *e = &rl->slots[(h + i) % RL_SLOTS];
		if (e->key[0] && strncmp(e->key, key, RL_KEY_MAX - 1) == 0)
			e->key[0] = '\0';
	}
	pthread_mutex_unlock(&rl->mu);
}
