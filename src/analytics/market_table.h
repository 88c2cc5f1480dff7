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

/* A count of postings (of a week, or of a skill and week): market_weeks.c. */
struct market_count {
	uint64_t key; /* 0: free */
	int64_t count;
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
	struct market_count *counts; /* by week, and by skill and week */
	size_t n_counts, counts_cap;
};

/* The day number of the Monday starting day's week (UTC). */
int32_t market_monday(int32_t day);
/* Counts row in (sign 1) or out (sign -1) of its week's counts: the
 * postings, and each of its skills. Under the write lock. 0 or -ENOMEM. */
int market_weeks_count(struct market *mk, const struct market_row *r, int sign);
/* Postings of the week starting monday (what 0), or of them those
 * mentioning skill s (what s + 1). Under the lock. */
int64_t market_weeks_get(const struct market *mk, uint32_t what, int32_t monday);

/* The row of posting id, or NULL. Under the lock. */
const struct market_row *market_row_of(const struct market *mk, int64_t id);

#endif
