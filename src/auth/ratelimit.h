/* ratelimit — fixed-window attempt counters keyed by strings (an e-mail, an
 * address), kept in memory. Bounded: when the table is full the oldest
 * windows are dropped first. Thread-safe. */
#ifndef JT_AUTH_RATELIMIT_H
#define JT_AUTH_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

struct ratelimit *ratelimit_new(unsigned limit, unsigned window_seconds);
void ratelimit_free(struct ratelimit *rl);
/* Counts one attempt for key at `now`. Returns 0 when allowed, or the
 * seconds until the window ends when the key is over its limit. */
int64_t ratelimit_hit(struct ratelimit *rl, const char *key, int64_t now);
/* Forgets key (after a successful log-in the account starts afresh). */
void ratelimit_reset(struct ratelimit *rl, const char *key);

#endif
