/* scan/u64map — a map from 64-bit hashes (never 0) to 32-bit indexes,
 * open addressing, for the taxonomy's form and id lookups. Memory:
 * malloc'd, u64map_free. */
#ifndef JT_SCAN_U64MAP_H
#define JT_SCAN_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map {
	uint64_t *key; /* 0 = free slot */
	uint32_t *val;
	size_t cap, n;
};

void u64map_free(struct u64map *m);
/* The value stored for key, or -1. */
long u64map_get(const struct u64map *m, uint64_t key);
/* Stores key -> val unless key is there already (the first value stays).
 * 0, or -1 out of memory. */
int u64map_put(struct u64map *m, uint64_t key, uint32_t val);

#endif
