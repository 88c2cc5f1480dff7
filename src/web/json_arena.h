/* json_arena — lets jansson allocate from a request's arena.
 *
 * Building a page's template data makes thousands of small jansson values
 * that all die with the request; with malloc/free that was a third of the
 * board page's CPU time. While a thread has an arena set, jansson allocates
 * from it and frees become no-ops; the arena releases everything at once.
 * Each block carries a tag saying where it came from, so a value made
 * outside arena mode is still freed with free() whenever it dies. */
#ifndef JT_WEB_JSON_ARENA_H
#define JT_WEB_JSON_ARENA_H

#include "base/arena.h"

/* Installs the allocator; call once before any jansson use. */
void json_arena_install(void);
/* Routes this thread's jansson allocations to a (NULL: back to the heap). */
void json_arena_use(struct arena *a);

#endif
