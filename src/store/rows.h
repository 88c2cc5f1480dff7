/* rows — small pieces both backends use to turn rows into results and
 * filters into parameters (store-internal). */
#ifndef JT_STORE_ROWS_H
#define JT_STORE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "store/store.h"

/* Separates tags where a backend returns them as one string. Tags are
 * validated text without control characters, so it cannot occur in one. */
#define STORE_TAG_SEP '\x1f'

/* Makes room for one more item in an arena array of *cap items of size
 * bytes holding count: doubles it when full. Returns the (maybe moved)
 * array, or NULL when out of memory. */
void *rows_grow(struct arena *a, void *items, size_t count, size_t *cap, size_t size);

/* The tag as the filter compares it: ASCII letters lower-cased, the rest as
 * is (so "Remote" and "remote" are one tag). Writes at most outlen bytes. */
void rows_tag_key(const char *tag, char *out, size_t outlen);

/* A LIKE pattern that finds q as a literal substring: %, _ and \ escaped
 * with \ (the statements say ESCAPE '\'). 0, or -1 when out of memory. */
int rows_like_pattern(const char *q, struct buf *out);

/* The range [lo, hi) of rate-limit keys in key's family (store_limit_hit):
 * lo is key up to and including its first ':' (all of it when it has none),
 * hi the same with its last byte one higher. lo and hi hold len bytes. */
void rows_limit_family(const char *key, char *lo, char *hi, size_t len);

/* The page size a filter asks for: 50 when unset, at most STORE_LIST_MAX. */
int64_t rows_list_limit(const struct app_filter *f);

/* Joins tags with STORE_TAG_SEP into out (reset first): the text of the
 * applications.tag_list column. 0, or -1 when out of memory. */
int rows_tags_join(char *const *tags, size_t n, struct buf *out);

/* Splits tags joined with STORE_TAG_SEP into an arena array. */
void rows_tags_split(const char *joined, size_t len, struct arena *a, char ***tags, size_t *n);

/* ---- postings, sources, runs ---- */

/* The columns both backends read, in the order their readers take them.
 * A listing selects NULL for the two descriptions. */
#define ROWS_POSTING_COLS_HEAD \
	"p.id, p.version, p.canonical_key, p.simhash, p.title, p.company, p.location_raw, p.locality, p.region, " \
	"p.country, p.workplace, p.employment_types, p.salary_min, p.salary_max, p.salary_currency, " \
	"p.salary_period, p.salary_year_min, p.salary_year_max, p.date_posted, p.valid_through, "
#define ROWS_POSTING_COLS_TAIL \
	", p.apply_url, p.url, p.source_rank, p.first_seen, p.last_seen, p.closed_at, p.created_at, p.updated_at, " \
	"p.reposted_at, p.repost_count"
#define ROWS_POSTING_COLS      ROWS_POSTING_COLS_HEAD "p.description_html, p.description_text" ROWS_POSTING_COLS_TAIL
#define ROWS_POSTING_LIST_COLS ROWS_POSTING_COLS_HEAD "NULL, NULL" ROWS_POSTING_COLS_TAIL
#define ROWS_POSTING_SOURCE_COLS \
	"id, posting_id, source, external_id, source_id, url, apply_url, content_hash, source_rank, first_seen, " \
	"last_seen, missing_runs, closed_at"
#define ROWS_SOURCE_COLS \
	"id, version, name, kind, target, config, schedule, enabled, created_at, updated_at, blocked_until, " \
	"last_run_id"
#define ROWS_RUN_COLS \
	"id, source_id, started_at, finished_at, status, pages, bytes, found, new, updated, closed, errors, " \
	"message, heartbeat_at, blocked, owner_host, owner_pid"

/* What a run marked crashed says about itself. */
#define ROWS_CRASHED_MESSAGE "the process running it stopped sending heartbeats"

/* ids as one literal for a statement parameter: "[1,2]" (open '[', close
 * ']': SQLite's json_each) or "{1,2}" (PostgreSQL's bigint[]). NULL when
 * out of memory. */
char *rows_id_list(struct arena *a, const int64_t *ids, size_t n, char open, char close);

/* The run store_run_start has just inserted. */
struct scrape_run rows_started_run(int64_t id, int64_t source_id, int64_t now, const char *owner_host,
				   int64_t owner_pid);

/* Where the page after items[0..n) starts: after its last posting when
 * more rows followed, else {0, 0} (no next page). */
struct posting_cursor rows_next_cursor(const struct store_posting *items, size_t n, int more);

/* A page size: 50 when limit <= 0, at most STORE_LIST_MAX. */
int64_t rows_page_limit(int64_t limit);

/* The number of bits in which a and b differ. */
int rows_hamming(uint64_t a, uint64_t b);

/* Fills in each candidate's distance to in's simhash and chooses one, by
 * in->pick when given, else the nearest within in->max_distance (the oldest
 * among equals). Its index, or -1 for none. */
int rows_pick_candidate(const struct posting_ingest *in, struct posting_candidate *c, size_t n);

/* What an unknown listing joins (store.h): a merge candidate (open, no
 * listing from its adapter) chosen by rows_pick_candidate is MERGED; else a
 * repost candidate (the others) chosen alike is REPOSTED. Its index in c,
 * with *change; -1 for a new posting. */
int rows_choose_candidate(const struct posting_ingest *in, struct posting_candidate *c, size_t n,
			  enum posting_change *change);

/* Whether a sighting of a known listing rewrites its posting's fields: when
 * no other open listing of the posting ranks better (best_other_rank, or
 * has_other 0 when there is none) and the listing changed, or its fields
 * are not the posting's yet (posting_rank, the rank they came from, differs). */
int rows_takes_content(int rank, int posting_rank, int has_other, int best_other_rank, int changed);

/* What a sighting of a known listing was: REOPENED when it or its posting
 * was closed, else UPDATED when its content changed, else UNCHANGED. */
enum posting_change rows_sighting_change(int row_was_closed, int posting_was_closed, int changed);

#endif
