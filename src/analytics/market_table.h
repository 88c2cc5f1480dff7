/* market_table — the inside of analytics/market.h's table, shared by
 * market.c (which fills it) and market_figures.c (which reads it). Nothing
 * else includes this. */
#ifndef JT_ANALYTICS_MARKET_TABLE_H
#define JT_ANALYTICS_MARKET_TABLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "analytics/market.h"

/* One posting's facts (40 bytes; its skills are pool[skills_at ..]). */
struct market_row {
	int64_t id;
	double salary;      /* yearly; 0: none */
	int32_t day;        /* days since 1970-01-01 */
	uint32_t sources;   /* bit i: listed by sources[i] */
	uint32_t skills_at; /* in pool */
	uint16_t n_skills;
	uint8_t workplace; /* enum workplace */
	uint8_t currency;  /* 1 + index in currencies; 0: no salary */
	bool closed;
};

struct market {
	const struct scan_matcher *matcher;
	pthread_rwlock_t lock; /* rows, slots, pool and names: figures share, puts exclusive */
	atomic_uint_fast64_t generation;
	struct market_row *rows;
	size_t n, rows_cap;
	uint32_t *slots; /* id -> 1 + row index, open addressing; cap a power of two */
	size_t cap;
	uint32_t *pool; /* skill indexes (the taxonomy's) */
	size_t pool_len, pool_cap, pool_garbage;
	char sources[MARKET_SOURCES_MAX][32];
	unsigned n_sources;
	char currencies[MARKET_CURRENCIES_MAX][4];
	unsigned n_currencies;
};

/* The row of posting id, or NULL. Under the lock. */
const struct market_row *market_row_of(const struct market *mk, int64_t id);

#endif
