#include "base/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK_MIN 4096
#define ARENA_CHUNK_MAX (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

void arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->used_total = 0;
	a->limit = limit;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used_total = 0;
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *keep = a->head;
	if (!keep)
		return;
	struct arena_chunk *c = keep->next;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	keep->next = NULL;
	keep->used = 0;
	a->used_total = 0;
}

void *arena_alloc_raw(struct arena *a, size_t size)
{
	size_t rounded = (size + 15) & ~(size_t)15;
	if (rounded < size)
		return NULL;
	if (a->limit && (rounded > a->limit || a->used_total > a->limit - rounded))
		return NULL;
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < rounded) {
		size_t want = rounded > ARENA_CHUNK_MIN ? rounded : ARENA_CHUNK_MIN;
		/* Grow chunks with use so big requests need few mallocs, but stay
		 * under malloc's mmap threshold: fresh mappings page-fault on every
		 * request, while heap chunks are reused warm. */
		if (c && c->size * 2 > want && c->size * 2 <= ARENA_CHUNK_MAX)
			want = c->size * 2;
		c = malloc(sizeof(*c) + want);
		if (!c)
			return NULL;
		c->size = want;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += rounded;
	a->used_total += rounded;
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = arena_alloc_raw(a, size);
	if (p)
		memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_raw(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, copy;
	va_start(ap, fmt);
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	char *p = n >= 0 ? arena_alloc_raw(a, (size_t)n + 1) : NULL;
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
