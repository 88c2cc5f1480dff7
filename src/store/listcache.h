/* listcache — pages of users' applications remembered in this process, so
 * that listing one again while nothing changed costs the database no work
 * (the web layer's response cache keeps whole responses; this keeps the rows
 * beneath them, for when that cache is off or full, or another page renders
 * the same rows: the API listing and the board).
 *
 * A page is remembered with the user's data_version as it was when the rows
 * were read (the same snapshot), and a backend answers from it only when it
 * knows the user's data_version is still that number: every change of what
 * a listing shows moves it (store.h; a posting closing moves its linked
 * users'), and it never moves back, so an equal number means equal rows.
 * How a backend knows the current number without work is its own affair
 * (PostgreSQL: the user cache kept true by NOTIFY; SQLite: one indexed read
 * in-process). Never inside a transaction: its pages show uncommitted
 * writes, under a data_version that a rollback may hand to other rows.
 *
 * Bounded: 64 entries chosen by a hash of the user and the filter (a newer
 * page replaces whatever shared its slot), each at most 512 KiB, 4 MiB
 * together. Thread-safe. */
#ifndef JT_STORE_LISTCACHE_H
#define JT_STORE_LISTCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

struct list_cache;

/* NULL when out of memory (a backend then simply has none). */
struct list_cache *list_cache_new(void);
void list_cache_free(struct list_cache *lc);
/* 1 with a copy of the page in a (and its total) when the page for user_id
 * and f is remembered at data_version, else 0. */
int list_cache_get(struct list_cache *lc, int64_t user_id, int64_t data_version, const struct app_filter *f,
		   struct arena *a, struct application **out, size_t *n, int64_t *total);
/* 1 with a copy of the page for user_id and f (in a) and the data_version
 * it was read at, whatever that was, when it holds every row that matched
 * (read from offset 0, and no more rows matched than it holds) and f is one
 * store/listdelta.h can bring up to date; else 0. */
int list_cache_get_base(struct list_cache *lc, int64_t user_id, const struct app_filter *f, struct arena *a,
			struct application **out, size_t *n, int64_t *data_version);
/* Remembers a page read with the user's data_version in the same snapshot
 * (never an older page over a newer one of the same key). */
void list_cache_put(struct list_cache *lc, int64_t user_id, int64_t data_version, const struct app_filter *f,
		    const struct application *items, size_t n, int64_t total);

#endif
