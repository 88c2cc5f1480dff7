/* market_figures.c — the market's figures (analytics/market.h), each one
 * pass over the table under its read lock. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/market_table.h"
#include "scan/matcher.h"
#include "scrape/posting.h"

static void *zalloc(struct arena *a, size_t n, size_t size)
{
	void *p = arena_alloc(a, n * size + 1);
	if (p)
		memset(p, 0, n * size + 1);
	return p;
}

/* ---- skills by week ------------------------------------------------------------ */

struct ranked {
	size_t skill;
	int64_t total;
	const char *name;
};

static int cmp_ranked(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return strcmp(a->name, b->name);
}

int market_skills(struct market *mk, int32_t today, int weeks, int top, struct arena *a, struct market_skills *out)
{
	memset(out, 0, sizeof(*out));
	/* Not compiled yet: no posting has been counted, so no skill has a count. */
	const struct taxonomy *tax = mk->matcher && matcher_built(mk->matcher) ? mk->matcher->tax : NULL;
	size_t n_tax = tax ? tax->n_skills : 0;
	out->weeks = weeks;
	out->first_week = market_monday(today) - (weeks - 1) * 7;
	out->postings = zalloc(a, (size_t)weeks, sizeof(int64_t));
	int64_t *counts = zalloc(a, n_tax * (size_t)weeks, sizeof(int64_t));
	struct ranked *rank = zalloc(a, n_tax, sizeof(*rank));
	if (!out->postings || !counts || !rank)
		return -ENOMEM;
	/* The counts are kept per week as rows come and go (market_weeks.c). */
	pthread_rwlock_rdlock(&mk->lock);
	for (int w = 0; w < weeks; w++) {
		int32_t day = out->first_week + w * 7;
		out->postings[w] = market_weeks_get(mk, 0, day);
		for (size_t s = 0; s < n_tax; s++)
			counts[s * (size_t)weeks + (size_t)w] = market_weeks_get(mk, (uint32_t)s + 1, day);
	}
	pthread_rwlock_unlock(&mk->lock);
	for (int w = 0; w < weeks; w++)
		out->total += out->postings[w];
	size_t nr = 0;
	for (size_t s = 0; s < n_tax; s++) {
		int64_t total = 0;
		for (int w = 0; w < weeks; w++)
			total += counts[s * (size_t)weeks + (size_t)w];
		if (total)
			rank[nr++] = (struct ranked){ s, total, tax->skills[s].name };
	}
	qsort(rank, nr, sizeof(*rank), cmp_ranked);
	out->n = nr < (size_t)top ? nr : (size_t)top;
	out->skills = zalloc(a, out->n, sizeof(*out->skills));
	if (!out->skills)
		return -ENOMEM;
	for (size_t i = 0; i < out->n; i++) {
		const struct tax_skill *sk = &tax->skills[rank[i].skill];
		out->skills[i] = (struct market_skill){
			.id = sk->id,
			.name = sk->name,
			.category = sk->category < tax->n_categories ? tax->categories[sk->category].name : "",
			.total = rank[i].total,
			.weekly = counts + rank[i].skill * (size_t)weeks,
		};
	}
	return 0;
}

/* ---- salaries ---------------------------------------------------------------------- */

double market_bin_width(double lo, double hi, int bins)
{
	double raw = (hi - lo) / (bins > 0 ? bins : 1);
	if (!(raw > 0))
		raw = (hi > 0 ? hi : 1) / (bins > 0 ? bins : 1);
	double p = pow(10, floor(log10(raw)));
	static const double steps[] = { 1, 2, 2.5, 5, 10 };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] * p >= raw)
			return steps[i] * p;
	return 10 * p;
}

/* Puts the k-th smallest of v[lo..hi) at v[k], smaller ones before it and
 * larger after (quickselect). The pivot is drawn at random (a fixed
 * sequence): scraped salaries are outside data, and a pivot rule they could
 * line up against would make this quadratic. */
static void select_kth(double *v, size_t lo, size_t hi, size_t k, uint64_t *rng)
{
	while (hi - lo > 1) {
		*rng ^= *rng << 13;
		*rng ^= *rng >> 7;
		*rng ^= *rng << 17;
		double pivot = v[lo + *rng % (hi - lo)];
		/* Three ways: [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot. */
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			double x = v[i];
			if (x < pivot) {
				v[i++] = v[lt];
				v[lt++] = x;
			} else if (x > pivot) {
				v[i] = v[--gt];
				v[gt] = x;
			} else {
				i++;
			}
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return;
	}
}

static int fill_currency(struct market_salary_currency *c, double *v, int bins, struct arena *a)
{
	/* Percentiles by selection, in rank order, each in what the last left
	 * to its right: linear time, where sorting a million salaries was the
	 * figure's whole cost. */
	static const int ps[] = { 10, 25, 50, 75, 90 };
	double *out[] = { &c->p10, &c->p25, &c->p50, &c->p75, &c->p90 };
	uint64_t rng = 0x9E3779B97F4A7C15ULL;
	size_t from = 0, n = (size_t)c->count;
	c->min = c->max = v[0];
	for (size_t i = 1; i < n; i++) {
		c->min = v[i] < c->min ? v[i] : c->min;
		c->max = v[i] > c->max ? v[i] : c->max;
	}
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		/* nearest rank: the ceil(p/100 * n)-th smallest */
		size_t rank = ((size_t)ps[i] * n + 99) / 100, k = rank ? rank - 1 : 0;
		if (k >= from) {
			select_kth(v, from, n, k, &rng);
			from = k;
		}
		*out[i] = v[k];
	}
	c->bin_width = market_bin_width(c->min, c->max, bins);
	c->bin_start = floor(c->min / c->bin_width) * c->bin_width;
	c->nbins = (int)floor((c->max - c->bin_start) / c->bin_width) + 1;
	if (c->nbins > MARKET_BINS_MAX + 1)
		c->nbins = MARKET_BINS_MAX + 1;
	c->bins = zalloc(a, (size_t)c->nbins, sizeof(int64_t));
	if (!c->bins)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int64_t k = (int64_t)floor((v[i] - c->bin_start) / c->bin_width);
		c->bins[k < 0 ? 0 : k >= c->nbins ? c->nbins - 1 : k]++;
	}
	return 0;
}

static int cmp_currency(const void *x, const void *y)
{
	const struct market_salary_currency *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->currency, b->currency);
}

/* Counts the row in, or (values set) files its salary. */
static void tally(struct market_salary *out, const struct market_row *row, int64_t *fill, double **values)
{
	if (!row || row->closed)
		return;
	if (!values) {
		out->postings++;
		if (row->currency)
			out->with_salary++;
	}
	if (!row->currency)
		return;
	int c = row->currency - 1;
	if (values)
		values[c][fill[c]] = row->salary;
	fill[c]++;
}

int market_salary(struct market *mk, const int64_t *only, size_t n_only, int bins, struct arena *a,
		  struct market_salary *out)
{
	memset(out, 0, sizeof(*out));
	int64_t count[MARKET_CURRENCIES_MAX] = { 0 }, fill[MARKET_CURRENCIES_MAX] = { 0 };
	double *values[MARKET_CURRENCIES_MAX] = { 0 };
	char codes[MARKET_CURRENCIES_MAX][4];
	int rc = 0;
	pthread_rwlock_rdlock(&mk->lock);
	unsigned nc = mk->n_currencies;
	memcpy(codes, mk->currencies, sizeof(codes));
	/* Two passes: count per currency, then copy into arrays of that size. */
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		for (size_t i = 0; i < (only ? n_only : mk->n); i++)
			tally(out, only ? market_row_of(mk, only[i]) : &mk->rows[i], pass ? fill : count,
			      pass ? values : NULL);
		for (unsigned c = 0; pass == 0 && c < nc; c++)
			if (count[c] && !(values[c] = arena_alloc(a, (size_t)count[c] * sizeof(double))))
				rc = -ENOMEM;
	}
	pthread_rwlock_unlock(&mk->lock);
	if (rc)
		return rc;
	out->currencies = zalloc(a, nc, sizeof(*out->currencies));
	if (!out->currencies)
		return -ENOMEM;
	for (unsigned c = 0; c < nc; c++) {
		if (!count[c])
			continue;
		struct market_salary_currency *cur = &out->currencies[out->n++];
		memcpy(cur->currency, codes[c], 4);
		cur->count = count[c];
		if (fill_currency(cur, values[c], bins, a))
			return -ENOMEM;
	}
	qsort(out->currencies, out->n, sizeof(*out->currencies), cmp_currency);
	return 0;
}

/* ---- sources, days, workplaces ------------------------------------------------------- */

static int cmp_source(const void *x, const void *y)
{
	const struct market_source *a = x, *b = y;
	if (a->open != b->open)
		return a->open > b->open ? -1 : 1;
	if (a->postings != b->postings)
		return a->postings > b->postings ? -1 : 1;
	return strcmp(a->source, b->source);
}

int market_volume(struct market *mk, int32_t today, int days, struct arena *a, struct market_volume *out)
{
	memset(out, 0, sizeof(*out));
	int64_t per_source[MARKET_SOURCES_MAX][2] = { { 0 } };
	out->days = zalloc(a, (size_t)days, sizeof(*out->days));
	out->sources = zalloc(a, MARKET_SOURCES_MAX, sizeof(*out->sources));
	if (!out->days || !out->sources)
		return -ENOMEM;
	int32_t first = today - days + 1;
	out->n_days = (size_t)days;
	for (int d = 0; d < days; d++)
		out->days[d].day = first + d;
	pthread_rwlock_rdlock(&mk->lock);
	for (size_t r = 0; r < mk->n; r++) {
		const struct market_row *row = &mk->rows[r];
		out->postings++;
		if (!row->closed) {
			out->open++;
			out->remote.workplace[row->workplace & 3]++;
		}
		if (row->day >= first && row->day <= today)
			out->days[row->day - first].postings++;
		for (uint32_t bits = row->sources; bits; bits &= bits - 1) {
			int s = __builtin_ctz(bits);
			per_source[s][0]++;
			per_source[s][1] += !row->closed;
		}
	}
	for (unsigned s = 0; s < mk->n_sources; s++) {
		const char *name = arena_strdup(a, mk->sources[s]);
		if (!name)
			break;
		out->sources[out->n_sources++] =
		    (struct market_source){ .source = name, .postings = per_source[s][0], .open = per_source[s][1] };
	}
	pthread_rwlock_unlock(&mk->lock);
	out->remote.open = out->open;
	qsort(out->sources, out->n_sources, sizeof(*out->sources), cmp_source);
	return 0;
}
