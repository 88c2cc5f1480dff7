/* arena — a region allocator for work with one lifetime (one request, one
 * render). Allocations are never freed one by one: arena_free() releases them
 * all. Not thread-safe: an arena belongs to one thread at a time. */
#ifndef JT_BASE_ARENA_H
#define JT_BASE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used_total; /* bytes handed out, for limits and metrics */
	size_t limit;      /* 0 = unbounded; otherwise allocations past it fail */
};

void arena_init(struct arena *a, size_t limit);
void arena_free(struct arena *a);
/* Frees everything but the newest chunk, which is kept (emptied) for the
 * next round: for loops that fill and drop an arena per item. */
void arena_reset(struct arena *a);

/* Zeroed, 16-byte aligned memory owned by the arena; NULL when out of memory or past the limit. */
void *arena_alloc(struct arena *a, size_t size);
/* The same, not zeroed: for callers that write every byte themselves. */
void *arena_alloc_raw(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
