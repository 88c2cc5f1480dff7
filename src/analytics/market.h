/* analytics/market — the job market as the scraped postings show it: which
 * skills are asked for and how that moves week by week, what salaries are
 * offered, which sources list how much and when, and how much is remote.
 *
 * Owns: a compact table of what each posting says (market.c: its day,
 * sources, workplace, yearly salary and the taxonomy's skills found in its
 * title and description) and the figures worked out from it
 * (market_figures.c). It holds no text, so a million postings take tens of
 * megabytes, and a figure is one pass over the table.
 *
 * Fed by the search service (search/service.h: search_service_start_fed):
 * every posting the search index applies, at its build and at every change
 * since, is put here too, so the store is read once for both and the two
 * agree on which postings exist. generation moves with every batch applied:
 * the web layer caches figures under it (instance-wide data, so not per
 * user), so they are worked out once per change of the postings, not per
 * request.
 *
 * The rules:
 * - A posting's day is its date_posted, or the UTC day it was first seen
 *   when the source gives none.
 * - Its salary is yearly (salary_year_*): the middle of the range, or the
 *   one end stated; none when neither is. Salaries are only compared within
 *   one currency.
 * - Skills: the taxonomy's (scan/taxonomy.h), each counted once per posting
 *   however often it is mentioned.
 * - Salaries, sources' open counts and the remote share are of open
 *   postings (the market now); skills by week and postings by day are of
 *   every posting of the period, open or since closed (the market then).
 *
 * Threads: puts come from the one feeding thread; figures may be asked for
 * from any number of threads at once (a read-write lock). */
#ifndef JT_ANALYTICS_MARKET_H
#define JT_ANALYTICS_MARKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

struct store_posting;
struct posting_source_group;
struct scan_matcher;
struct market;

#define MARKET_SOURCES_MAX    32 /* distinct adapter names (more share the last) */
#define MARKET_CURRENCIES_MAX 64 /* distinct currencies (more are left out of salaries) */
#define MARKET_WEEKS_MAX      104
#define MARKET_DAYS_MAX       366
#define MARKET_TOP_MAX        100
#define MARKET_BINS_MAX       50

/* A table matching skills with m (borrowed: must outlive the table; NULL
 * counts no skills). NULL when out of memory. */
struct market *market_new(const struct scan_matcher *m);
void market_free(struct market *mk);
/* Puts (or replaces) the facts of postings p[0..n), with their listings
 * (groups[i] for p[i]; groups may be NULL). 0 or -ENOMEM. */
int market_put(struct market *mk, const struct store_posting *p, const struct posting_source_group *groups, size_t n);
/* Changes with every market_put that changed anything. */
uint64_t market_generation(struct market *mk);
/* The number of postings in the table. */
size_t market_size(struct market *mk);

/* Most demanded skills over the weeks weeks (Monday to Sunday, UTC) ending
 * with the one holding day today (days since 1970-01-01). */
struct market_skill {
	const char *id, *name, *category; /* the taxonomy's; valid while the matcher lives */
	int64_t total;                    /* postings of the period mentioning it */
	int64_t *weekly;                  /* per week, oldest first */
};
struct market_skills {
	int32_t first_week; /* day number of the first Monday */
	int weeks;
	int64_t *postings; /* postings per week (what a share is of) */
	int64_t total;     /* postings of the period */
	struct market_skill *skills;
	size_t n; /* at most top: by total, most first, then by name */
};
int market_skills(struct market *mk, int32_t today, int weeks, int top, struct arena *a, struct market_skills *out);

/* Yearly salaries of open postings per currency. only: posting ids to keep
 * to (a search's matches, any order; NULL: every posting). */
struct market_salary_currency {
	char currency[4];
	int64_t count;
	double min, max, p10, p25, p50, p75, p90; /* nearest rank: the ceil(p/100 * count)-th smallest */
	double bin_width, bin_start;              /* bin k is [start + k*width, start + (k+1)*width) */
	int64_t *bins;
	int nbins;
};
struct market_salary {
	int64_t postings;                          /* open postings considered */
	int64_t with_salary;                       /* of those, with a salary */
	struct market_salary_currency *currencies; /* most salaries first, then by code */
	size_t n;
};
int market_salary(struct market *mk, const int64_t *only, size_t n_only, int bins, struct arena *a,
		  struct market_salary *out);

/* Postings per source: every posting counts under each adapter listing it. */
struct market_source {
	const char *source;
	int64_t postings, open;
};
/* Postings per day, for the days days ending with today. */
struct market_day {
	int32_t day;
	int64_t postings;
};
/* Open postings by workplace (enum workplace order: unknown, onsite, hybrid,
 * remote). */
struct market_remote {
	int64_t open;
	int64_t workplace[4];
};
struct market_volume {
	int64_t postings, open;
	struct market_source *sources; /* by open, most first, then by postings, then by name */
	size_t n_sources;
	struct market_day *days; /* oldest first */
	size_t n_days;
	struct market_remote remote;
};
int market_volume(struct market *mk, int32_t today, int days, struct arena *a, struct market_volume *out);

/* The bin width a histogram of [lo, hi] in about bins bins gets: the
 * smallest 1, 2, 2.5 or 5 times a power of ten that covers it. */
double market_bin_width(double lo, double hi, int bins);

#endif
