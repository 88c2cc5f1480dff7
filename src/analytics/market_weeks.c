/* market_weeks.c — postings per week, and per skill and week, kept up to
 * date as rows come and go (analytics/market_table.h), so the skills
 * figure reads a few thousand counts instead of walking a million rows and
 * their skills. A hash of (what, week) -> count, open addressing; entries
 * stay when their count falls to 0 (a week or skill seen once is likely
 * to be seen again). */
#include <errno.h>
#include <stdlib.h>

#include "analytics/market_table.h"

/* what: 0 for postings, 1 + skill index for a skill. week: its Monday's
 * day number; Mondays are 4 apart from multiples of 7 (1970-01-05 was one). */
static uint64_t key_of(uint32_t what, int32_t monday)
{
	return (uint64_t)what << 32 | (uint32_t)((monday - 4) / 7);
}

/* A key's home slot: every bit of the key mixed into the low ones (a
 * plain multiply would leave a week's thousands of skills, which differ
 * only in the high half, on a handful of slots). */
static size_t slot_of(const struct market_count *slots, size_t cap, uint64_t key)
{
	uint64_t h = key;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	size_t i = (size_t)h & (cap - 1);
	while (slots[i].key && slots[i].key != key)
		i = (i + 1) & (cap - 1);
	return i;
}

static int add(struct market *mk, uint64_t key, int64_t delta)
{
	key |= 1ULL << 63; /* never 0, the free slot's mark */
	if ((mk->n_counts + 1) * 2 > mk->counts_cap) {
		size_t cap = mk->counts_cap ? mk->counts_cap * 2 : 4096;
		struct market_count *slots = calloc(cap, sizeof(*slots));
		if (!slots)
			return -ENOMEM;
		for (size_t i = 0; i < mk->counts_cap; i++)
			if (mk->counts[i].key)
				slots[slot_of(slots, cap, mk->counts[i].key)] = mk->counts[i];
		free(mk->counts);
		mk->counts = slots;
		mk->counts_cap = cap;
	}
	struct market_count *e = &mk->counts[slot_of(mk->counts, mk->counts_cap, key)];
	if (!e->key) {
		e->key = key;
		mk->n_counts++;
	}
	e->count += delta;
	return 0;
}

int32_t market_monday(int32_t day)
{
	return day - ((day + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday */
}

int market_weeks_count(struct market *mk, const struct market_row *r, int sign)
{
	int32_t monday = market_monday(r->day);
	int rc = add(mk, key_of(0, monday), sign);
	for (uint16_t k = 0; k < r->n_skills && rc == 0; k++)
		rc = add(mk, key_of(mk->pool[r->skills_at + k] + 1, monday), sign);
	return rc;
}

int64_t market_weeks_get(const struct market *mk, uint32_t what, int32_t monday)
{
	if (!mk->counts_cap)
		return 0;
	uint64_t key = key_of(what, monday) | 1ULL << 63;
	const struct market_count *e = &mk->counts[slot_of(mk->counts, mk->counts_cap, key)];
	return e->key ? e->count : 0;
}
