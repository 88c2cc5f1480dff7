/* response_cache — remembers recent JSON bodies of a user's listings, keyed
 * by the user, the user's data version and the canonical query.
 *
 * The data version comes from the store and changes with every write to the
 * user's data (database triggers), so an entry can never be served after the
 * data it shows has changed — also when several server processes share one
 * database. Bounded in entries and bytes; the oldest entries go first.
 * Thread-safe. */
#ifndef JT_WEB_RESPONSE_CACHE_H
#define JT_WEB_RESPONSE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Appends the cached body to out and returns 1, or returns 0 on a miss. */
int response_cache_get(int64_t user_id, int64_t version, const char *key, struct buf *out);
/* Stores a copy of body (skipped when too large to be worth keeping). */
void response_cache_put(int64_t user_id, int64_t version, const char *key, const char *body, size_t len);
/* Sets the memory budget (0 turns caching off). Call before serving. */
void response_cache_set_budget(size_t bytes);
/* Frees everything (at shutdown). */
void response_cache_clear(void);

#endif
