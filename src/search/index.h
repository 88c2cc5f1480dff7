/* index — job search's own in-process inverted index over postings.
 *
 * Why not SQLite FTS5 or PostgreSQL tsvector + GIN: both find every match
 * and score every one of them before taking the top 20, so a query of
 * common words ("engineer", "senior manager") costs time in proportion to
 * its matches: measured at 200,000 postings, FTS5 p99 108 ms and
 * PostgreSQL p99 1.1 s (issue 8). This index keeps, for every block of 128
 * postings of a term, an upper bound of the score any of them can reach,
 * and skips scoring a match whose bound cannot enter the current top k
 * (block-max pruning, as in block-max WAND / MaxScore). It is also the same
 * code on both store backends, so both give the same matches by
 * construction, and it holds what filters and facets need in a flat doc
 * table, so they cost no store round trip.
 *
 * Layout (no allocation per document: flat arrays and byte streams that
 * grow by doubling):
 * - doc table: one row per document number (dense, in order of addition):
 *   posting id, token counts per field, and the filter columns;
 * - dictionary: interned stemmed terms; per term three byte streams —
 *   document numbers (delta varints), per-field term counts (a byte, more
 *   only when needed), positions per field (delta varints, for phrases) —
 *   and a block table (last doc, stream offsets, score bounds per 16 over
 *   all fields and over the title, company and location alone);
 * - for frequent terms, the total and facet counts of their live documents.
 * Between compactions document numbers only grow: an updated posting's old
 * document is marked dead and the new one appended, so posting lists stay
 * sorted and appends are O(terms of the document). Dead documents keep
 * their postings until search_index_compact (search_index_stats: docs -
 * live_docs), which renumbers the live ones densely.
 *
 * Ranking: BM25F over title, company, location, description with weights
 * 3 / 2 / 1.5 / 1 (title counts most), k1 1.2, per-field b. Length
 * normalisation uses live averages; block bounds were computed with the
 * reference averages of the options and are scaled up when the live ones
 * are larger, so they stay upper bounds. A prefix's completions score as
 * one word (the IDF of them together; a completion 0.8 of the word itself).
 *
 * The total and the facet counts are over all matches, not a page; a
 * facet whose filter is set counts as if it were not (multi-select: the
 * workplace facet of workplace=remote still counts hybrid and on-site
 * matches of the rest of the search). A query
 * of one frequent word (in SEARCH_FACET_CACHE_DF documents and a sixteenth
 * of all) takes them from counts its term keeps as documents come and go
 * (exact; the writer pays: a removed document is looked up in each such
 * term), so it visits only the blocks whose bound can still enter the top
 * k. Any other query (filters by facet columns, several words) visits
 * every match once, cheaply (document numbers only).
 *
 * Threads: not thread-safe. One writer adds and removes; searches may run
 * at once with each other (they only read) under the caller's read lock,
 * never during a write. Each search gets its own scratch arena. */
#ifndef JT_SEARCH_INDEX_H
#define JT_SEARCH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "search/query.h"

struct arena;
struct tokenizer;

#define SEARCH_MAX_WINDOW   1000 /* offset + limit of a page */
#define SEARCH_FACET_TOP    20   /* country, city and company facets: the biggest this many */
#define SEARCH_MAX_SOURCES  32   /* distinct source adapter names (more share the last) */
#define SEARCH_PREFIX_TERMS 64   /* a prefix expands to at most this many (most frequent) terms */
#define SEARCH_NO_DAY       INT32_MIN

/* A posting as the index takes it (the caller's; copied, not kept). */
struct search_doc {
	int64_t posting_id;
	const char *title, *company, *location, *description; /* NULL: empty */
	int workplace;                                        /* enum workplace (scrape/posting.h) */
	const char *country;                                  /* ISO alpha-2 or NULL */
	const char *city;                                     /* locality or NULL */
	unsigned employment_types;                            /* enum employment_type bits */
	const char *const *sources;                           /* adapter names of its listings */
	size_t nsources;
	const char *date_posted;                 /* "YYYY-MM-DD" or NULL */
	double salary_year_min, salary_year_max; /* 0: not stated */
	const char *salary_currency;             /* ISO 4217 or NULL */
	bool closed;
	int64_t first_seen; /* unix seconds the scraper first saw it (saved searches' "new since") */
};

struct search_options {
	float avg_len[FIELD_COUNT]; /* reference averages (tokens); 0: defaults 4, 2, 3, 300 */
	/* Terms in at least this many documents (and a sixteenth of them all)
	 * keep their matches' total and facet counts up to date
	 * (0: SEARCH_FACET_CACHE_DF; UINT32_MAX: none). */
	uint32_t facet_cache_df;
};
#define SEARCH_FACET_CACHE_DF 16384

struct search_index;

struct search_index *search_index_new(const struct search_options *opt);
void search_index_free(struct search_index *ix);

/* Adds d, or replaces the document of the same posting id. 0, -ENOMEM,
 * or -EOVERFLOW (2^32 document numbers used: rebuild). t is the writer's. */
int search_index_put(struct search_index *ix, struct tokenizer *t, const struct search_doc *d);
/* Removes the posting's document; 0, or -ENOENT when it has none. */
int search_index_delete(struct search_index *ix, int64_t posting_id);
/* After a batch of puts: makes new terms findable by prefix queries, and
 * when the live average field lengths have drifted more than 1.5x from the
 * reference ones, recomputes every block's bound with them (a pass over all
 * postings: once the corpus is big, averages move slowly and this is
 * rare). The writer calls it; searches never change the index. */
int search_index_prepare(struct search_index *ix);

/* Drops the postings of dead documents (replaced or deleted) and numbers
 * the live ones densely again: the index then holds what a rebuild from the
 * live postings would (0, or -ENOMEM with nothing changed). Rewrites every
 * posting list in place: the writer calls it; search_index_prepare does
 * when at least SEARCH_COMPACT_DEAD documents, and a fifth of them all,
 * are dead. */
int search_index_compact(struct search_index *ix);
#define SEARCH_COMPACT_DEAD 1024

struct search_stats {
	uint64_t docs, live_docs, terms;
	uint64_t bytes_docs, bytes_postings, bytes_positions, bytes_blocks, bytes_dict, bytes_counts; /* memory held */
	uint64_t counted_terms; /* terms keeping their facet counts */
};
void search_index_stats(const struct search_index *ix, struct search_stats *out);

enum search_sort { SEARCH_SORT_RELEVANCE, SEARCH_SORT_DATE, SEARCH_SORT_SALARY };
enum search_closed { SEARCH_OPEN_ONLY, SEARCH_CLOSED_ONLY, SEARCH_OPEN_AND_CLOSED };

/* What one user hid (store_hidden_list): their postings and every posting
 * of their companies stay out of matches, totals and facets. The index is
 * every user's; this is checked per match, by bisection, so it costs a
 * search only what that user hid. */
struct search_exclude {
	const int64_t *posting_ids; /* any order */
	size_t nposting_ids;
	const char *const *companies; /* compared as the company filter compares */
	size_t ncompanies;
};

struct search_filter {
	unsigned workplaces;       /* bits 1u << enum workplace; 0: any */
	const char *country;       /* NULL: any */
	const char *city;          /* folded as query words ("zurich" finds "Zürich"); NULL: any */
	double min_salary;         /* yearly; a posting passes when its top (or only) figure reaches it; 0: none */
	const char *currency;      /* only salaries stated in it (with min_salary or alone); NULL: any */
	unsigned employment_types; /* passes when it has any of them; 0: any */
	int posted_within_days;    /* 0: any; else date_posted >= today - N (no date: excluded) */
	int32_t today;             /* days since 1970-01-01, for posted_within_days */
	const char *source;        /* adapter name; NULL: any */
	const char *company;       /* the whole name, folded as the city; NULL: any */
	enum search_closed closed;
	const struct search_exclude *exclude; /* NULL: nothing hidden */
	int64_t first_seen_after;             /* 0: any; else only postings first seen after it (unix seconds) */
};

/* The statistics relevance scores were computed with: the live documents
 * (IDF's N), the average field lengths, and per word of the query, in the
 * query's order, its document frequency (a prefix's completions' together;
 * SEARCH_DF_UNKNOWN: the word was in no document). They change as postings
 * come and go; a relevance cursor carries them, so every page after the
 * first scores as the first did. */
#define SEARCH_DF_UNKNOWN UINT32_MAX
struct search_weights {
	bool set;
	uint32_t docs;
	float avg_len[FIELD_COUNT];
	uint32_t nterms;
	uint32_t df[QUERY_MAX_TERMS];
};

/* Where a page starts: after the last hit of the previous one (sort key and
 * posting id), or an offset. The order is total: ties on the key go by
 * posting id, higher first. Sorted by relevance, the next page scores with
 * the weights of the page the cursor came from: a posting that matched
 * then and has not changed since is neither skipped nor shown twice,
 * whatever arrives between the pages (new ones take their place in that
 * order; a prefix that expands to other words then may differ). */
struct search_cursor {
	bool set;
	double key;
	int64_t posting_id;
	struct search_weights weights; /* relevance only; unset: score with today's */
};

struct search_request {
	const struct query *query; /* root NULL: every posting the filter passes */
	struct search_filter filter;
	enum search_sort sort;
	struct search_cursor after;
	int offset, limit; /* offset + limit <= SEARCH_MAX_WINDOW; limit <= 0 means 20 */
	bool facets;       /* count facets (over all matches) */
	/* Optional: called with every match the filter passes, in document
	 * order (new-since counts of saved searches, benchmarks' match sets). */
	void (*each)(void *ctx, int64_t posting_id);
	void *each_ctx;
};

struct search_hit {
	int64_t posting_id;
	double key; /* score, day or yearly salary: what the cursor takes */
	float score;
};

struct facet_count {
	/* In the index: valid until the next write. Companies come as first
	 * written in a posting ("OpenAI", not the folded "openai"). */
	const char *value;
	uint32_t count;
};

/* The salary facet's bands: matches whose yearly top (or only) figure
 * reaches each, as min_salary filters (cumulative). */
#define SEARCH_SALARY_BANDS 7
extern const double search_salary_bands[SEARCH_SALARY_BANDS]; /* 40,000 ... 200,000 */
/* The posted-within facet's days: matches posted_within_days of each would
 * pass (cumulative; "today" is the filter's). */
#define SEARCH_POSTED_BANDS 5
extern const int search_posted_bands[SEARCH_POSTED_BANDS]; /* 1, 3, 7, 14, 30 */

struct search_facets {
	uint32_t workplace[4];       /* by enum workplace (0: not known) */
	uint32_t employment_type[8]; /* by bit number of enum employment_type */
	uint32_t status[2];          /* open, closed */
	uint32_t salary[SEARCH_SALARY_BANDS];
	uint32_t salary_none; /* no salary stated */
	uint32_t posted_within[SEARCH_POSTED_BANDS];
	/* Biggest first, then by value; cities as first written, like companies. */
	struct facet_count *source, *country, *company, *city;
	size_t nsource, ncountry, ncompany, ncity;
};

struct search_result {
	uint64_t total; /* matches the filter passes, all pages */
	struct search_hit *hits;
	size_t nhits;
	struct search_cursor next; /* set when there may be a next page */
	struct search_facets facets;
	uint64_t scored; /* matches whose score was computed (the rest were pruned) */
};

/* Runs req; everything in *out lives in a (scratch for this search too).
 * 0, -EINVAL (bad window), -E2BIG (prefixes expand to more than 256
 * words in all), or -ENOMEM. */
int search_index_search(const struct search_index *ix, const struct search_request *req, struct arena *a,
			struct search_result *out);

/* Days since 1970-01-01 of "YYYY-MM-DD", or SEARCH_NO_DAY. */
int32_t search_day(const char *date);

#endif
