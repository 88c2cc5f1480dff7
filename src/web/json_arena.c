#include "web/json_arena.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

/* 16 bytes keep the payload as aligned as malloc's. */
struct block_tag {
	uint64_t magic;
	uint64_t unused;
};

#define FROM_HEAP  0x6a742d68656170ULL /* "jt-heap" */
#define FROM_ARENA 0x6a742d6172656eULL /* "jt-aren" */

static _Thread_local struct arena *current;

static void *tagged_malloc(size_t n)
{
	struct block_tag *t;
	if (current) {
		t = arena_alloc_raw(current, sizeof(*t) + n); /* jansson initialises what it uses */
		if (!t)
			return NULL;
		t->magic = FROM_ARENA;
	} else {
		t = malloc(sizeof(*t) + n);
		if (!t)
			return NULL;
		t->magic = FROM_HEAP;
	}
	return t + 1;
}

static void tagged_free(void *p)
{
	if (!p)
		return;
	struct block_tag *t = (struct block_tag *)p - 1;
	if (t->magic == FROM_HEAP) {
		t->magic = 0;
		free(t);
	}
}

void json_arena_install(void)
{
	json_set_alloc_funcs(tagged_malloc, tagged_free);
}

void json_arena_use(struct arena *a)
{
	current = a;
}
