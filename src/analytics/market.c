/* market.c — the table of what each posting says (analytics/market.h):
 * flat rows, an id -> row hash, the skills of every row in one pool, and
 * the interned source and currency names. Figures are market_figures.c's. */
#include "analytics/market_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scan/matcher.h"
#include "scrape/posting.h"
#include "search/index.h"
#include "store/store.h"

#define SKILLS_PER_POSTING 64 /* a posting naming more keeps the first found */

struct market *market_new(const struct scan_matcher *m)
{
	struct market *mk = calloc(1, sizeof(*mk));
	if (!mk)
		return NULL;
	mk->matcher = m;
	pthread_rwlock_init(&mk->lock, NULL);
	return mk;
}

void market_free(struct market *mk)
{
	if (!mk)
		return;
	pthread_rwlock_destroy(&mk->lock);
	free(mk->rows);
	free(mk->slots);
	free(mk->pool);
	free(mk->counts);
	free(mk);
}

uint64_t market_generation(struct market *mk)
{
	return atomic_load_explicit(&mk->generation, memory_order_acquire);
}

size_t market_size(struct market *mk)
{
	pthread_rwlock_rdlock(&mk->lock);
	size_t n = mk->n;
	pthread_rwlock_unlock(&mk->lock);
	return n;
}

/* ---- the id -> row hash (slot value: row index + 1; 0 is free) ------------- */

static size_t slot_of(const struct market *mk, const uint32_t *slots, size_t cap, int64_t id)
{
	size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 17) & (cap - 1);
	while (slots[i] && mk->rows[slots[i] - 1].id != id)
		i = (i + 1) & (cap - 1);
	return i;
}

const struct market_row *market_row_of(const struct market *mk, int64_t id)
{
	if (!mk->cap)
		return NULL;
	uint32_t v = mk->slots[slot_of(mk, mk->slots, mk->cap, id)];
	return v ? &mk->rows[v - 1] : NULL;
}

static int grow_slots(struct market *mk)
{
	size_t cap = mk->cap ? mk->cap * 2 : 1024;
	uint32_t *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t r = 0; r < mk->n; r++)
		slots[slot_of(mk, slots, cap, mk->rows[r].id)] = (uint32_t)(r + 1);
	free(mk->slots);
	mk->slots = slots;
	mk->cap = cap;
	return 0;
}

/* ---- the skills pool ---------------------------------------------------------- */

/* Copies every row's skills to a new pool, leaving out what replaced rows
 * left behind. */
static int compact_pool(struct market *mk, size_t extra)
{
	size_t cap = (mk->pool_len - mk->pool_garbage + extra) * 2 + 1024;
	uint32_t *pool = malloc(cap * sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	size_t len = 0;
	for (size_t r = 0; r < mk->n; r++) {
		struct market_row *row = &mk->rows[r];
		if (row->n_skills)
			memcpy(pool + len, mk->pool + row->skills_at, row->n_skills * sizeof(*pool));
		row->skills_at = (uint32_t)len;
		len += row->n_skills;
	}
	free(mk->pool);
	mk->pool = pool;
	mk->pool_len = len;
	mk->pool_cap = cap;
	mk->pool_garbage = 0;
	return 0;
}

static int pool_reserve(struct market *mk, size_t extra)
{
	if (mk->pool_len + extra <= mk->pool_cap)
		return 0;
	if (mk->pool_garbage > mk->pool_len / 2)
		return compact_pool(mk, extra);
	size_t cap = mk->pool_cap ? mk->pool_cap * 2 : 4096;
	while (cap < mk->pool_len + extra)
		cap *= 2;
	if (cap > UINT32_MAX)
		return compact_pool(mk, extra);
	uint32_t *pool = realloc(mk->pool, cap * sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	mk->pool = pool;
	mk->pool_cap = cap;
	return 0;
}

/* ---- interned names ------------------------------------------------------------- */

static unsigned source_bit(struct market *mk, const char *name)
{
	for (unsigned i = 0; i < mk->n_sources; i++)
		if (strcmp(mk->sources[i], name) == 0)
			return i;
	if (mk->n_sources == MARKET_SOURCES_MAX)
		return MARKET_SOURCES_MAX - 1;
	snprintf(mk->sources[mk->n_sources], sizeof(mk->sources[0]), "%s", name);
	return mk->n_sources++;
}

/* 1 + the currency's index, or 0 when none (or no room for another). */
static uint8_t currency_code(struct market *mk, const char *code)
{
	if (!code || strlen(code) != 3)
		return 0;
	for (unsigned i = 0; i < mk->n_currencies; i++)
		if (memcmp(mk->currencies[i], code, 3) == 0)
			return (uint8_t)(i + 1);
	if (mk->n_currencies == MARKET_CURRENCIES_MAX)
		return 0;
	memcpy(mk->currencies[mk->n_currencies], code, 4);
	return (uint8_t)(++mk->n_currencies);
}

/* ---- putting postings ----------------------------------------------------------- */

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

/* The distinct skills of the posting's title and description into out
 * (sorted), their number, or -1 out of memory. */
static int skills_of(const struct scan_matcher *m, const struct store_posting *p, struct arena *a,
		     uint32_t out[SKILLS_PER_POSTING])
{
	if (!m)
		return 0;
	const char *title = p->title ? p->title : "", *desc = p->description_text ? p->description_text : "";
	char *text = arena_printf(a, "%s\n%s", title, desc);
	struct scan_doc doc;
	if (!text || scan_doc_init(a, m, text, strlen(text), &doc) != 0)
		return -1;
	int n = 0;
	for (size_t i = 0; i < doc.n_skills && n < SKILLS_PER_POSTING; i++)
		if (doc.skills[i].value >= 0)
			out[n++] = (uint32_t)doc.skills[i].value;
	qsort(out, (size_t)n, sizeof(*out), cmp_u32);
	int k = 0;
	for (int i = 0; i < n; i++)
		if (k == 0 || out[k - 1] != out[i])
			out[k++] = out[i];
	return k;
}

static double yearly(const struct store_posting *p)
{
	double lo = p->salary_year_min > 0 ? p->salary_year_min : 0,
	       hi = p->salary_year_max > 0 ? p->salary_year_max : 0;
	if (lo && hi)
		return (lo + hi) / 2;
	return lo ? lo : hi;
}

/* Everything of one posting but its skills, which the caller has. */
static void fill_row(struct market *mk, struct market_row *r, const struct store_posting *p,
		     const struct posting_source_group *g)
{
	r->id = p->id;
	int32_t day = search_day(p->date_posted);
	r->day = day != SEARCH_NO_DAY ? day : (int32_t)(p->first_seen / 86400);
	enum workplace w = WORKPLACE_UNKNOWN;
	if (p->workplace && workplace_from_name(p->workplace, &w))
		w = WORKPLACE_UNKNOWN;
	r->workplace = (uint8_t)w;
	r->closed = p->closed_at != 0;
	r->salary = yearly(p);
	r->currency = r->salary > 0 ? currency_code(mk, p->salary_currency) : 0;
	r->sources = 0;
	for (size_t i = 0; g && i < g->n; i++)
		if (g->items[i].source)
			r->sources |= 1u << source_bit(mk, g->items[i].source);
}

static int put_one(struct market *mk, const struct store_posting *p, const struct posting_source_group *g,
		   const uint32_t *skills, int n_skills)
{
	if ((mk->n + 1) * 2 > mk->cap && grow_slots(mk))
		return -ENOMEM;
	size_t slot = slot_of(mk, mk->slots, mk->cap, p->id);
	struct market_row *r;
	if (mk->slots[slot]) {
		r = &mk->rows[mk->slots[slot] - 1];
		if (market_weeks_count(mk, r, -1))
			return -ENOMEM;
		mk->pool_garbage += r->n_skills;
	} else {
		if (mk->n == mk->rows_cap) {
			size_t cap = mk->rows_cap ? mk->rows_cap * 2 : 1024;
			struct market_row *rows = realloc(mk->rows, cap * sizeof(*rows));
			if (!rows)
				return -ENOMEM;
			mk->rows = rows;
			mk->rows_cap = cap;
		}
		r = &mk->rows[mk->n];
		memset(r, 0, sizeof(*r));
		mk->slots[slot] = (uint32_t)(++mk->n);
	}
	r->n_skills = 0;
	r->id = p->id; /* before a compaction, which walks every row */
	if (pool_reserve(mk, (size_t)n_skills))
		return -ENOMEM;
	r->skills_at = (uint32_t)mk->pool_len;
	if (n_skills) /* the pool is NULL until a posting has a skill */
		memcpy(mk->pool + mk->pool_len, skills, (size_t)n_skills * sizeof(*skills));
	mk->pool_len += (size_t)n_skills;
	r->n_skills = (uint16_t)n_skills;
	fill_row(mk, r, p, g);
	return market_weeks_count(mk, r, 1);
}

int market_put(struct market *mk, const struct store_posting *p, const struct posting_source_group *groups, size_t n)
{
	if (n == 0)
		return 0;
	/* The matching is the work, and needs no lock: done first, for the
	 * whole batch, so figures wait only for the copying. */
	uint32_t *skills = malloc(n * SKILLS_PER_POSTING * sizeof(*skills));
	int *counts = malloc(n * sizeof(*counts));
	struct arena a;
	arena_init(&a, 0);
	int rc = skills && counts ? 0 : -ENOMEM;
	/* serve's taxonomy is compiled by the first posting to count */
	char err[512];
	const struct scan_matcher *m = mk->matcher;
	if (m && matcher_ready(m, err, sizeof(err)) != 0)
		m = NULL; /* logged by its loader: postings count without skills */
	for (size_t i = 0; i < n && rc == 0; i++) {
		counts[i] = skills_of(m, &p[i], &a, skills + i * SKILLS_PER_POSTING);
		if (counts[i] < 0)
			rc = -ENOMEM;
		arena_reset(&a);
	}
	arena_free(&a);
	if (rc == 0) {
		pthread_rwlock_wrlock(&mk->lock);
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = put_one(mk, &p[i], groups ? &groups[i] : NULL, skills + i * SKILLS_PER_POSTING, counts[i]);
		pthread_rwlock_unlock(&mk->lock);
		atomic_fetch_add_explicit(&mk->generation, 1, memory_order_release);
	}
	free(skills);
	free(counts);
	return rc;
}
