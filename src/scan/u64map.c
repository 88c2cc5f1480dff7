/* scan/u64map — open addressing with linear probing (see u64map.h). */
#include "scan/u64map.h"

#include <stdlib.h>

void u64map_free(struct u64map *m)
{
	free(m->key);
	free(m->val);
	m->key = NULL;
	m->val = NULL;
	m->cap = m->n = 0;
}

static int rehash(struct u64map *x, size_t cap)
{
	uint64_t *k = calloc(cap, sizeof(*k));
	uint32_t *v = calloc(cap, sizeof(*v));
	if (!k || !v) {
		free(k);
		free(v);
		return -1;
	}
	for (size_t i = 0; i < x->cap; i++) {
		if (!x->key[i])
			continue;
		size_t j = (size_t)x->key[i] & (cap - 1);
		while (k[j])
			j = (j + 1) & (cap - 1);
		k[j] = x->key[i];
		v[j] = x->val[i];
	}
	free(x->key);
	free(x->val);
	x->key = k;
	x->val = v;
	x->cap = cap;
	return 0;
}

long u64map_get(const struct u64map *x, uint64_t key)
{
	if (!x->cap)
		return -1;
	for (size_t j = (size_t)key & (x->cap - 1); x->key[j]; j = (j + 1) & (x->cap - 1))
		if (x->key[j] == key)
			return (long)x->val[j];
	return -1;
}

static int grow(struct u64map *x)
{
	return rehash(x, x->cap ? x->cap * 2 : 8192);
}

int u64map_put(struct u64map *x, uint64_t key, uint32_t val)
{
	if ((x->n + 1) * 2 > x->cap && grow(x) != 0)
		return -1;
	size_t j = (size_t)key & (x->cap - 1);
	while (x->key[j] && x->key[j] != key)
		j = (j + 1) & (x->cap - 1);
	if (!x->key[j]) {
		x->key[j] = key;
		x->val[j] = val;
		x->n++;
	}
	return 0;
}
