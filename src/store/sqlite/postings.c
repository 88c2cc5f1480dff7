/* Canonical postings and their listings: ingest's upsert, closing what
 * complete runs stopped seeing, listing and reading. Instance-wide rows.
 *
 * Every write runs in a BEGIN IMMEDIATE transaction, which already
 * serialises it with every other writer in every process: two ingests of
 * one listing cannot both find it missing. */
#include <limits.h>
#include <string.h>

#include "store/rows.h"
#include "store/sqlite/sqlite.h"

/* ?1..?23 the content in bind_content's order, ?24 the time, ?25 the id. */
#define CONTENT_COLUMNS \
	"canonical_key, simhash, title, company, location_raw, locality, region, country, workplace, " \
	"employment_types, salary_min, salary_max, salary_currency, salary_period, salary_year_min, " \
	"salary_year_max, date_posted, valid_through, description_html, description_text, apply_url, url, " \
	"source_rank"

static const char SQL_POSTING_INSERT[] =
    "INSERT INTO postings(" CONTENT_COLUMNS ", first_seen, last_seen, created_at, updated_at, version) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
    "?22, ?23, ?24, ?24, ?24, ?24, 1)";
/* Rewrites the fields from a listing; a sighting also reopens. */
static const char SQL_POSTING_CONTENT[] =
    "UPDATE postings SET canonical_key = ?1, simhash = ?2, title = ?3, company = ?4, location_raw = ?5, "
    "locality = ?6, region = ?7, country = ?8, workplace = ?9, employment_types = ?10, salary_min = ?11, "
    "salary_max = ?12, salary_currency = ?13, salary_period = ?14, salary_year_min = ?15, salary_year_max = ?16, "
    "date_posted = ?17, valid_through = ?18, description_html = ?19, description_text = ?20, apply_url = ?21, "
    "url = ?22, source_rank = ?23, last_seen = max(last_seen, ?24), closed_at = NULL, "
    "updated_at = max(updated_at, ?24), version = version + 1 WHERE id = ?25";
/* A sighting that leaves the fields: last_seen, and reopening a closed one. */
static const char SQL_POSTING_SEEN[] =
    "UPDATE postings SET last_seen = max(last_seen, ?2), closed_at = NULL, "
    "updated_at = CASE WHEN closed_at IS NULL THEN updated_at ELSE max(updated_at, ?2) END, "
    "version = version + (closed_at IS NOT NULL) WHERE id = ?1";
/* The rank its fields came from, whether it is closed, and the best rank
 * among its open listings other than ?2. */
static const char SQL_POSTING_STATE[] =
    "SELECT p.source_rank, p.closed_at IS NOT NULL, (SELECT min(r.source_rank) FROM posting_sources r "
    "WHERE r.posting_id = p.id AND r.closed_at IS NULL AND r.id <> ?2) FROM postings p WHERE p.id = ?1";
/* The postings of a key open or closed since ?4, open ones first, each
 * with whether it has a listing from adapter ?2 (rows_choose_candidate). */
static const char SQL_CANDIDATES[] =
    "SELECT p.id, p.simhash, p.first_seen, (SELECT min(r.source_rank) FROM posting_sources r "
    "WHERE r.posting_id = p.id AND r.closed_at IS NULL), p.closed_at IS NOT NULL, "
    "EXISTS (SELECT 1 FROM posting_sources r WHERE r.posting_id = p.id AND r.source = ?2) FROM postings p "
    "WHERE p.canonical_key = ?1 AND (p.closed_at IS NULL OR p.closed_at >= ?4) "
    "ORDER BY p.closed_at IS NOT NULL, p.id LIMIT ?3";
/* A repost (store.h): ?1 the posting, ?2 the time, ?3 the new date_posted. */
static const char SQL_POSTING_REPOSTED[] =
    "UPDATE postings SET last_seen = max(last_seen, ?2), closed_at = NULL, "
    "reposted_at = max(coalesce(reposted_at, 0), ?2), repost_count = repost_count + 1, "
    "date_posted = coalesce(?3, date_posted), updated_at = max(updated_at, ?2), version = version + 1 "
    "WHERE id = ?1";

static const char SQL_LISTING_FIND[] = "SELECT id, posting_id, content_hash, closed_at IS NOT NULL "
				       "FROM posting_sources WHERE source = ?1 AND external_id = ?2";
static const char SQL_LISTING_SEEN[] =
    "UPDATE posting_sources SET last_seen = max(last_seen, ?2), missing_runs = 0, closed_at = NULL, "
    "source_id = coalesce(?3, source_id), url = ?4, apply_url = ?5, content_hash = ?6, source_rank = ?7 "
    "WHERE id = ?1";
static const char SQL_LISTING_INSERT[] =
    "INSERT INTO posting_sources(posting_id, source, external_id, source_id, url, apply_url, content_hash, "
    "source_rank, first_seen, last_seen, missing_runs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 0)";

static const char SQL_LISTINGS_MISSED[] =
    "UPDATE posting_sources SET missing_runs = missing_runs + 1, "
    "closed_at = CASE WHEN missing_runs + 1 >= ?3 THEN ?4 END "
    "WHERE source_id = ?1 AND closed_at IS NULL AND last_seen < ?2 RETURNING closed_at IS NOT NULL";
static const char SQL_POSTINGS_ORPHANED_CLOSE[] =
    "UPDATE postings SET closed_at = ?2, updated_at = max(updated_at, ?2), version = version + 1 "
    "WHERE closed_at IS NULL AND id IN (SELECT posting_id FROM posting_sources WHERE source_id = ?1 "
    "AND closed_at IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM posting_sources r WHERE r.posting_id = postings.id "
    "AND r.closed_at IS NULL)";

/* Listing: ?1 the page size + 1, ?2 and ?3 the cursor. */
#define LIST_HEAD  "SELECT " ROWS_POSTING_LIST_COLS " FROM postings p WHERE "
#define LIST_OPEN  "p.closed_at IS NULL"
#define LIST_AFTER "(p.first_seen, p.id) < (?2, ?3)"
#define LIST_ORDER " ORDER BY p.first_seen DESC, p.id DESC LIMIT ?1"
static const char SQL_LIST_ALL[] = LIST_HEAD "1" LIST_ORDER;
static const char SQL_LIST_ALL_AFTER[] = LIST_HEAD LIST_AFTER LIST_ORDER;
static const char SQL_LIST_OPEN[] = LIST_HEAD LIST_OPEN LIST_ORDER;
static const char SQL_LIST_OPEN_AFTER[] = LIST_HEAD LIST_OPEN " AND " LIST_AFTER LIST_ORDER;
/* Changed since a watermark: ?1 the page size, ?2 and ?3 the watermark. */
static const char SQL_CHANGED[] = "SELECT " ROWS_POSTING_COLS_HEAD "NULL, p.description_text" ROWS_POSTING_COLS_TAIL
				  " FROM postings p WHERE (p.updated_at, p.id) > (?2, ?3) "
				  "ORDER BY p.updated_at, p.id LIMIT ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM postings WHERE ?1 OR closed_at IS NULL";
static const char SQL_GET[] = "SELECT " ROWS_POSTING_COLS " FROM postings p WHERE p.id = ?1";
static const char SQL_GET_LISTINGS[] =
    "SELECT " ROWS_POSTING_SOURCE_COLS " FROM posting_sources WHERE posting_id = ?1 ORDER BY source_rank, id";
static const char SQL_GET_MANY[] = "SELECT " ROWS_POSTING_COLS " FROM postings p WHERE p.id IN "
				   "(SELECT value FROM json_each(?1)) ORDER BY p.id";
/* The ids come as one JSON array: one statement, cached, for any count. */
static const char SQL_LISTINGS_OF[] = "SELECT " ROWS_POSTING_SOURCE_COLS " FROM posting_sources WHERE posting_id IN "
				      "(SELECT value FROM json_each(?1)) ORDER BY posting_id, source_rank, id";

static void bind_amount(sqlite3_stmt *st, int i, double v)
{
	if (v != 0)
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static double column_amount(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : sqlite3_column_double(st, i);
}

static void bind_id_or_null(sqlite3_stmt *st, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

/* Binds ?1..?23: the content columns in CONTENT_COLUMNS' order. */
static void bind_content(sqlite3_stmt *st, const struct posting_ingest *in)
{
	const struct store_posting *p = &in->posting;
	sq_bind_text(st, 1, p->canonical_key);
	sqlite3_bind_int64(st, 2, (int64_t)p->simhash);
	sq_bind_text(st, 3, p->title);
	sq_bind_text(st, 4, p->company);
	sq_bind_text(st, 5, p->location_raw);
	sq_bind_text(st, 6, p->locality);
	sq_bind_text(st, 7, p->region);
	sq_bind_text(st, 8, p->country);
	sq_bind_text(st, 9, p->workplace);
	sqlite3_bind_int64(st, 10, p->employment_types);
	bind_amount(st, 11, p->salary_min);
	bind_amount(st, 12, p->salary_max);
	sq_bind_text(st, 13, p->salary_currency);
	sq_bind_text(st, 14, p->salary_period);
	bind_amount(st, 15, p->salary_year_min);
	bind_amount(st, 16, p->salary_year_max);
	sq_bind_text(st, 17, p->date_posted);
	sq_bind_text(st, 18, p->valid_through);
	sq_bind_text(st, 19, p->description_html);
	sq_bind_text(st, 20, p->description_text);
	sq_bind_text(st, 21, p->apply_url);
	sq_bind_text(st, 22, p->url);
	sqlite3_bind_int(st, 23, in->source_rank);
}

/* Reads a row of ROWS_POSTING_COLS (or _LIST_COLS). */
static void read_posting(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct store_posting *p = item;
	memset(p, 0, sizeof(*p));
	int i = 0;
	p->id = sqlite3_column_int64(st, i++);
	p->version = sqlite3_column_int64(st, i++);
	p->canonical_key = sq_text(st, i++, a);
	p->simhash = (uint64_t)sqlite3_column_int64(st, i++);
	p->title = sq_text(st, i++, a);
	p->company = sq_text(st, i++, a);
	p->location_raw = sq_text(st, i++, a);
	p->locality = sq_text(st, i++, a);
	p->region = sq_text(st, i++, a);
	p->country = sq_text(st, i++, a);
	p->workplace = sq_text(st, i++, a);
	p->employment_types = (unsigned)sqlite3_column_int64(st, i++);
	p->salary_min = column_amount(st, i++);
	p->salary_max = column_amount(st, i++);
	p->salary_currency = sq_text(st, i++, a);
	p->salary_period = sq_text(st, i++, a);
	p->salary_year_min = column_amount(st, i++);
	p->salary_year_max = column_amount(st, i++);
	p->date_posted = sq_text(st, i++, a);
	p->valid_through = sq_text(st, i++, a);
	p->description_html = sq_text(st, i++, a);
	p->description_text = sq_text(st, i++, a);
	p->apply_url = sq_text(st, i++, a);
	p->url = sq_text(st, i++, a);
	p->source_rank = sqlite3_column_int(st, i++);
	p->first_seen = sqlite3_column_int64(st, i++);
	p->last_seen = sqlite3_column_int64(st, i++);
	p->closed_at = sqlite3_column_int64(st, i++);
	p->created_at = sqlite3_column_int64(st, i++);
	p->updated_at = sqlite3_column_int64(st, i++);
	p->reposted_at = sqlite3_column_int64(st, i++);
	p->repost_count = sqlite3_column_int64(st, i++);
}

static void read_listing(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct posting_source *r = item;
	memset(r, 0, sizeof(*r));
	int i = 0;
	r->id = sqlite3_column_int64(st, i++);
	r->posting_id = sqlite3_column_int64(st, i++);
	r->source = sq_text(st, i++, a);
	r->external_id = sq_text(st, i++, a);
	r->source_id = sqlite3_column_int64(st, i++);
	r->url = sq_text(st, i++, a);
	r->apply_url = sq_text(st, i++, a);
	r->content_hash = sq_text(st, i++, a);
	r->source_rank = sqlite3_column_int(st, i++);
	r->first_seen = sqlite3_column_int64(st, i++);
	r->last_seen = sqlite3_column_int64(st, i++);
	r->missing_runs = sqlite3_column_int(st, i++);
	r->closed_at = sqlite3_column_int64(st, i++);
}

/* ---- ingest --------------------------------------------------------------- */

/* Rewrites the posting's fields from in, or only notes the sighting. */
static int posting_write(struct sq_conn *c, const struct posting_ingest *in, int64_t posting_id, int take_content)
{
	sqlite3_stmt *st = sq_prepare(c, take_content ? SQL_POSTING_CONTENT : SQL_POSTING_SEEN);
	if (!st)
		return STORE_ERROR;
	if (take_content) {
		bind_content(st, in);
		sqlite3_bind_int64(st, 24, in->seen_at);
		sqlite3_bind_int64(st, 25, posting_id);
	} else {
		sqlite3_bind_int64(st, 1, posting_id);
		sqlite3_bind_int64(st, 2, in->seen_at);
	}
	return sq_run(c, st);
}

/* The posting's rank, whether it is closed, and the best rank of its open
 * listings but except_listing (*has_other 0 when there is none). */
static int posting_state(struct sq_conn *c, int64_t posting_id, int64_t except_listing, int *rank, int *closed,
			 int *has_other, int *best_other)
{
	sqlite3_stmt *st = sq_prepare(c, SQL_POSTING_STATE);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, posting_id);
	sqlite3_bind_int64(st, 2, except_listing);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*rank = sqlite3_column_int(st, 0);
		*closed = sqlite3_column_int(st, 1);
		*has_other = sqlite3_column_type(st, 2) != SQLITE_NULL;
		*best_other = sqlite3_column_int(st, 2);
	}
	sq_finish(st);
	return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_ERROR : sq_error(c, step);
}

/* A sighting of a listing the store knows. */
static int ingest_known(struct sq_conn *c, const struct posting_ingest *in, int64_t listing_id, int64_t posting_id,
			int changed, int listing_closed, enum posting_change *change)
{
	int rank = 0, posting_closed = 0, has_other = 0, best_other = 0;
	int rc = posting_state(c, posting_id, listing_id, &rank, &posting_closed, &has_other, &best_other);
	sqlite3_stmt *st = rc ? NULL : sq_prepare(c, SQL_LISTING_SEEN);
	if (!st)
		return rc ? rc : STORE_ERROR;
	sqlite3_bind_int64(st, 1, listing_id);
	sqlite3_bind_int64(st, 2, in->seen_at);
	bind_id_or_null(st, 3, in->source_id);
	sq_bind_text(st, 4, in->posting.url);
	sq_bind_text(st, 5, in->posting.apply_url);
	sq_bind_text(st, 6, in->content_hash);
	sqlite3_bind_int(st, 7, in->source_rank);
	rc = sq_run(c, st);
	if (rc == 0)
		rc = posting_write(c, in, posting_id,
				   rows_takes_content(in->source_rank, rank, has_other, best_other, changed));
	*change = rows_sighting_change(listing_closed, posting_closed, changed);
	return rc;
}

/* The open postings in->posting's canonical key could be a duplicate of. */
static int find_candidates(struct sq_conn *c, const struct posting_ingest *in, struct posting_candidate *out, size_t *n)
{
	sqlite3_stmt *st = sq_prepare(c, SQL_CANDIDATES);
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, in->posting.canonical_key);
	sq_bind_text(st, 2, in->source);
	sqlite3_bind_int(st, 3, STORE_POSTING_CANDIDATES_MAX);
	sqlite3_bind_int64(st, 4, in->seen_at - STORE_REPOST_WINDOW);
	int step;
	*n = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < STORE_POSTING_CANDIDATES_MAX) {
		struct posting_candidate *k = &out[(*n)++];
		memset(k, 0, sizeof(*k));
		k->id = sqlite3_column_int64(st, 0);
		k->simhash = (uint64_t)sqlite3_column_int64(st, 1);
		k->first_seen = sqlite3_column_int64(st, 2);
		k->source_rank = sqlite3_column_type(st, 3) == SQLITE_NULL ? INT_MAX : sqlite3_column_int(st, 3);
		k->closed = sqlite3_column_int(st, 4);
		k->same_source = sqlite3_column_int(st, 5);
	}
	sq_finish(st);
	return sq_error(c, step);
}

static int insert_listing(struct sq_conn *c, const struct posting_ingest *in, int64_t posting_id)
{
	sqlite3_stmt *st = sq_prepare(c, SQL_LISTING_INSERT);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, posting_id);
	sq_bind_text(st, 2, in->source);
	sq_bind_text(st, 3, in->external_id);
	bind_id_or_null(st, 4, in->source_id);
	sq_bind_text(st, 5, in->posting.url);
	sq_bind_text(st, 6, in->posting.apply_url);
	sq_bind_text(st, 7, in->content_hash);
	sqlite3_bind_int(st, 8, in->source_rank);
	sqlite3_bind_int64(st, 9, in->seen_at);
	return sq_run(c, st);
}

/* Marks the posting reposted (store.h), reopening it. */
static int posting_reposted(struct sq_conn *c, const struct posting_ingest *in, int64_t posting_id)
{
	sqlite3_stmt *st = sq_prepare(c, SQL_POSTING_REPOSTED);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, posting_id);
	sqlite3_bind_int64(st, 2, in->seen_at);
	sq_bind_text(st, 3, in->posting.date_posted);
	return sq_run(c, st);
}

/* A listing the store has not seen: merged into a near duplicate, a repost
 * of one, or new. */
static int ingest_unknown(struct sq_conn *c, const struct posting_ingest *in, enum posting_change *change,
			  int64_t *posting_id)
{
	struct posting_candidate cands[STORE_POSTING_CANDIDATES_MAX];
	size_t n;
	int rc = find_candidates(c, in, cands, &n);
	if (rc)
		return rc;
	int chosen = rows_choose_candidate(in, cands, n, change);
	if (chosen >= 0) {
		*posting_id = cands[chosen].id;
		rc = insert_listing(c, in, *posting_id);
		if (*change == POSTING_MERGED) {
			/* a strictly better-ranked listing's fields become the posting's */
			return rc ? rc : posting_write(c, in, *posting_id, in->source_rank < cands[chosen].source_rank);
		}
		/* a repost's fields replace an equal or worse-ranked open listing's */
		if (rc == 0 && in->source_rank <= cands[chosen].source_rank)
			rc = posting_write(c, in, *posting_id, 1);
		return rc ? rc : posting_reposted(c, in, *posting_id);
	}
	sqlite3_stmt *st = sq_prepare(c, SQL_POSTING_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_content(st, in);
	sqlite3_bind_int64(st, 24, in->seen_at);
	rc = sq_run(c, st);
	if (rc)
		return rc;
	*posting_id = sqlite3_last_insert_rowid(c->db);
	*change = POSTING_NEW;
	return insert_listing(c, in, *posting_id);
}

static int posting_ingest(struct store *s, const struct posting_ingest *in, enum posting_change *change,
			  int64_t *posting_id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *find = c ? sq_prepare(c, SQL_LISTING_FIND) : NULL;
	if (!find)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sq_bind_text(find, 1, in->source);
	sq_bind_text(find, 2, in->external_id);
	int step = sqlite3_step(find);
	if (step == SQLITE_ROW) {
		int64_t listing_id = sqlite3_column_int64(find, 0);
		*posting_id = sqlite3_column_int64(find, 1);
		const char *hash = (const char *)sqlite3_column_text(find, 2);
		int changed = !hash || strcmp(hash, in->content_hash) != 0;
		int closed = sqlite3_column_int(find, 3);
		sq_finish(find);
		rc = ingest_known(c, in, listing_id, *posting_id, changed, closed, change);
	} else {
		sq_finish(find);
		rc = step == SQLITE_DONE ? ingest_unknown(c, in, change, posting_id) : sq_error(c, step);
	}
	return sq_tx_end(c, rc);
}

/* ---- closing what runs stopped seeing ------------------------------------ */

static int mark_missing(struct store *s, int64_t source_id, int64_t run_started_at, int max_missing, int64_t now,
			struct missing_counts *out)
{
	memset(out, 0, sizeof(*out));
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *missed = c ? sq_prepare(c, SQL_LISTINGS_MISSED) : NULL;
	sqlite3_stmt *orphaned = c ? sq_prepare(c, SQL_POSTINGS_ORPHANED_CLOSE) : NULL;
	if (!missed || !orphaned)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sqlite3_bind_int64(missed, 1, source_id);
	sqlite3_bind_int64(missed, 2, run_started_at);
	sqlite3_bind_int(missed, 3, max_missing);
	sqlite3_bind_int64(missed, 4, now);
	int step;
	while ((step = sqlite3_step(missed)) == SQLITE_ROW) {
		out->missed++;
		out->closed += sqlite3_column_int(missed, 0);
	}
	sq_finish(missed);
	rc = sq_error(c, step);
	if (rc == 0 && out->closed > 0) {
		sqlite3_bind_int64(orphaned, 1, source_id);
		sqlite3_bind_int64(orphaned, 2, now);
		rc = sq_run(c, orphaned);
		out->postings_closed = rc == 0 ? sqlite3_changes(c->db) : 0;
	}
	return sq_tx_end(c, rc);
}

/* ---- reading ------------------------------------------------------------- */

static int posting_list(struct store *s, const struct posting_filter *f, struct arena *a, struct store_posting **out,
			size_t *n, struct posting_cursor *next)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	int after = f->after.id != 0;
	const char *sql = f->include_closed ? (after ? SQL_LIST_ALL_AFTER : SQL_LIST_ALL)
					    : (after ? SQL_LIST_OPEN_AFTER : SQL_LIST_OPEN);
	sqlite3_stmt *st = sq_prepare(c, sql);
	if (!st)
		return STORE_ERROR;
	int64_t limit = rows_page_limit(f->limit);
	sqlite3_bind_int64(st, 1, limit + 1); /* one more tells whether a next page exists */
	if (after) {
		sqlite3_bind_int64(st, 2, f->after.first_seen);
		sqlite3_bind_int64(st, 3, f->after.id);
	}
	void *items;
	int more;
	int rc = sq_list(c, st, a, sizeof(**out), limit, read_posting, &items, n, &more);
	*out = items;
	*next = rows_next_cursor(*out, *n, rc == 0 && more);
	return rc;
}

static int posting_count(struct store *s, const struct posting_filter *f, int64_t *count)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_COUNT) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, f->include_closed != 0);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	sq_finish(st);
	return sq_error(c, step);
}

static int posting_changed(struct store *s, int64_t since, int64_t after_id, int64_t limit, struct arena *a,
			   struct store_posting **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_CHANGED) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, limit);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, after_id);
	void *items = NULL;
	int rc = sq_list(c, st, a, sizeof(**out), limit, read_posting, &items, n, NULL);
	*out = items;
	return rc;
}

static int read_listings(struct sq_conn *c, int64_t posting_id, struct arena *a, struct posting_source **out, size_t *n)
{
	sqlite3_stmt *listings = sq_prepare(c, SQL_GET_LISTINGS);
	if (!listings)
		return STORE_ERROR;
	sqlite3_bind_int64(listings, 1, posting_id);
	void *items = NULL;
	int rc = sq_list(c, listings, a, sizeof(**out), STORE_LIST_MAX, read_listing, &items, n, NULL);
	*out = items;
	return rc;
}

static int posting_get(struct store *s, int64_t id, struct arena *a, struct store_posting *out,
		       struct posting_source **sources, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_GET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		read_posting(st, a, out);
	sq_finish(st);
	/* Listings are only ever added to a posting, so reading them after it
	 * (outside one snapshot) can only show one that came meanwhile. */
	int rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
	return rc ? rc : read_listings(c, id, a, sources, n);
}

static int posting_sources(struct store *s, int64_t posting_id, struct arena *a, struct posting_source **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	return c ? read_listings(c, posting_id, a, out, n) : STORE_ERROR;
}

/* Rows of sql (?1: a JSON array of ids) into an arena array, at most max. */
static int list_by_ids(struct store *s, const char *sql, const int64_t *ids, size_t n, struct arena *a, size_t size,
		       int64_t max, sq_read_fn read, void **out, size_t *n_out)
{
	struct sq_conn *c = sq_conn(s);
	char *list = rows_id_list(a, ids, n, '[', ']');
	sqlite3_stmt *st = c && list ? sq_prepare(c, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
	return sq_list(c, st, a, size, max, read, out, n_out, NULL);
}

static int posting_sources_of(struct store *s, const int64_t *ids, size_t n, struct arena *a,
			      struct posting_source **out, size_t *n_out)
{
	void *items = NULL;
	int rc = list_by_ids(s, SQL_LISTINGS_OF, ids, n, a, sizeof(**out), STORE_LIST_MAX, read_listing, &items, n_out);
	*out = items;
	return rc;
}

static int posting_get_many(struct store *s, const int64_t *ids, size_t n, struct arena *a, struct store_posting **out,
			    size_t *n_out)
{
	void *items = NULL;
	int rc =
	    list_by_ids(s, SQL_GET_MANY, ids, n, a, sizeof(**out), STORE_SOURCES_OF_MAX, read_posting, &items, n_out);
	*out = items;
	return rc;
}

const struct store_posting_ops sqlite_posting_ops = {
	.ingest = posting_ingest,
	.mark_missing = mark_missing,
	.list = posting_list,
	.count = posting_count,
	.changed = posting_changed,
	.get = posting_get,
	.sources = posting_sources,
	.sources_of = posting_sources_of,
	.get_many = posting_get_many,
};
