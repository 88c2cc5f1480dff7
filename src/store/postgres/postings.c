/* postings.c — canonical postings and their listings: ingest's upsert,
 * closing what complete runs stopped seeing, listing and reading.
 * Instance-wide rows.
 *
 * Concurrency (READ COMMITTED, many processes): an ingest first takes a
 * transaction-scoped advisory lock on its (source, external_id), then reads
 * that listing FOR UPDATE; only when it is unknown does it take a second
 * lock on the canonical key and look for duplicates. So two ingests of one
 * listing, or of two listings of one job, queue, and the second sees what
 * the first committed. Row locks are always taken listing first, posting
 * second, by ingest and mark_missing alike. */
#include "store/postgres/pg.h"

#include <limits.h>
#include <string.h>

#include "store/rows.h"

/* $1..$23 the content in param_content's order. */
#define CONTENT_COLUMNS \
	"canonical_key, simhash, title, company, location_raw, locality, region, country, workplace, " \
	"employment_types, salary_min, salary_max, salary_currency, salary_period, salary_year_min, " \
	"salary_year_max, date_posted, valid_through, description_html, description_text, apply_url, url, " \
	"source_rank"

/* $24 the time. */
static const char sql_posting_insert[] =
    "INSERT INTO postings(" CONTENT_COLUMNS ", first_seen, last_seen, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
    "$22, $23, $24, $24, $24, $24) RETURNING id";
/* Rewrites the fields from a listing; a sighting also reopens. $24 the
 * time, $25 the id. */
static const char sql_posting_content[] =
    "UPDATE postings SET canonical_key = $1, simhash = $2, title = $3, company = $4, location_raw = $5, "
    "locality = $6, region = $7, country = $8, workplace = $9, employment_types = $10, salary_min = $11, "
    "salary_max = $12, salary_currency = $13, salary_period = $14, salary_year_min = $15, salary_year_max = $16, "
    "date_posted = $17, valid_through = $18, description_html = $19, description_text = $20, apply_url = $21, "
    "url = $22, source_rank = $23, last_seen = GREATEST(last_seen, $24), closed_at = NULL, "
    "updated_at = GREATEST(updated_at, $24), version = version + 1 WHERE id = $25";
static const char sql_posting_seen[] =
    "UPDATE postings SET last_seen = GREATEST(last_seen, $2), closed_at = NULL, "
    "updated_at = CASE WHEN closed_at IS NULL THEN updated_at ELSE GREATEST(updated_at, $2) END, "
    "version = CASE WHEN closed_at IS NULL THEN version ELSE version + 1 END WHERE id = $1";
/* The rank its fields came from, whether it is closed, the best rank among
 * its open listings other than $2; the posting row locked. */
static const char sql_posting_state[] =
    "SELECT p.source_rank, p.closed_at IS NOT NULL, (SELECT min(r.source_rank) FROM posting_sources r "
    "WHERE r.posting_id = p.id AND r.closed_at IS NULL AND r.id <> $2) FROM postings p WHERE p.id = $1 "
    "FOR NO KEY UPDATE OF p";
/* The postings of a key open or closed since $4, open ones first, each
 * with whether it has a listing from adapter $2 (rows_choose_candidate). */
static const char sql_candidates[] =
    "SELECT p.id, p.simhash, p.first_seen, (SELECT min(r.source_rank) FROM posting_sources r "
    "WHERE r.posting_id = p.id AND r.closed_at IS NULL), p.closed_at IS NOT NULL, "
    "EXISTS (SELECT 1 FROM posting_sources r WHERE r.posting_id = p.id AND r.source = $2) FROM postings p "
    "WHERE p.canonical_key = $1 AND (p.closed_at IS NULL OR p.closed_at >= $4) "
    "ORDER BY p.closed_at IS NOT NULL, p.id LIMIT $3";
/* A repost (store.h): $1 the posting, $2 the time, $3 the new date_posted. */
static const char sql_posting_reposted[] =
    "UPDATE postings SET last_seen = GREATEST(last_seen, $2), closed_at = NULL, "
    "reposted_at = GREATEST(coalesce(reposted_at, 0), $2), repost_count = repost_count + 1, "
    "date_posted = coalesce($3, date_posted), updated_at = GREATEST(updated_at, $2), version = version + 1 "
    "WHERE id = $1";

static const char sql_listing_find[] = "SELECT id, posting_id, content_hash, closed_at IS NOT NULL "
				       "FROM posting_sources WHERE source = $1 AND external_id = $2 FOR UPDATE";
static const char sql_listing_seen[] =
    "UPDATE posting_sources SET last_seen = GREATEST(last_seen, $2), missing_runs = 0, closed_at = NULL, "
    "source_id = coalesce($3, source_id), url = $4, apply_url = $5, content_hash = $6, source_rank = $7 "
    "WHERE id = $1";
static const char sql_listing_insert[] =
    "INSERT INTO posting_sources(posting_id, source, external_id, source_id, url, apply_url, content_hash, "
    "source_rank, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)";

/* $1 source, $2 run start, $3 runs to close at, $4 now. */
static const char sql_listings_missed[] =
    "UPDATE posting_sources SET missing_runs = missing_runs + 1, "
    "closed_at = CASE WHEN missing_runs + 1 >= $3 THEN $4::bigint END "
    "WHERE source_id = $1 AND closed_at IS NULL AND last_seen < $2 RETURNING closed_at IS NOT NULL";
#define POSTINGS_WITH_CLOSED_LISTINGS \
	"closed_at IS NULL AND id IN (SELECT posting_id FROM posting_sources WHERE source_id = $1 " \
	"AND closed_at IS NOT NULL)"
/* Locks them first, in id order: an ingest that added a listing to one
 * meanwhile has committed by the time the close below reads. */
static const char sql_postings_lock[] =
    "SELECT id FROM postings WHERE " POSTINGS_WITH_CLOSED_LISTINGS " ORDER BY id FOR NO KEY UPDATE";
static const char sql_postings_orphaned_close[] =
    "UPDATE postings SET closed_at = $2, updated_at = GREATEST(updated_at, $2), version = version + 1 "
    "WHERE " POSTINGS_WITH_CLOSED_LISTINGS " AND NOT EXISTS (SELECT 1 FROM posting_sources r "
    "WHERE r.posting_id = postings.id AND r.closed_at IS NULL)";

#define LIST_HEAD  "SELECT " ROWS_POSTING_LIST_COLS " FROM postings p WHERE "
#define LIST_OPEN  "p.closed_at IS NULL"
#define LIST_AFTER "(p.first_seen, p.id) < ($2, $3)"
#define LIST_ORDER " ORDER BY p.first_seen DESC, p.id DESC LIMIT $1"
static const char sql_list_all[] = LIST_HEAD "TRUE" LIST_ORDER;
static const char sql_list_all_after[] = LIST_HEAD LIST_AFTER LIST_ORDER;
static const char sql_list_open[] = LIST_HEAD LIST_OPEN LIST_ORDER;
static const char sql_list_open_after[] = LIST_HEAD LIST_OPEN " AND " LIST_AFTER LIST_ORDER;

static void param_id_or_null(struct pg_params *p, int64_t id)
{
	if (id)
		pg_param_int(p, id);
	else
		pg_param_null(p);
}

static void param_amount(struct pg_params *p, double v)
{
	if (v != 0)
		pg_param_double(p, v);
	else
		pg_param_null(p);
}

/* Appends $1..$23 (when p is empty): the content in CONTENT_COLUMNS' order. */
static void param_content(struct pg_params *p, const struct posting_ingest *in)
{
	const struct store_posting *f = &in->posting;
	pg_param_text(p, f->canonical_key);
	pg_param_int(p, (int64_t)f->simhash);
	pg_param_text(p, f->title);
	pg_param_text(p, f->company);
	pg_param_text(p, f->location_raw);
	pg_param_text(p, f->locality);
	pg_param_text(p, f->region);
	pg_param_text(p, f->country);
	pg_param_text(p, f->workplace);
	pg_param_int(p, f->employment_types);
	param_amount(p, f->salary_min);
	param_amount(p, f->salary_max);
	pg_param_text(p, f->salary_currency);
	pg_param_text(p, f->salary_period);
	param_amount(p, f->salary_year_min);
	param_amount(p, f->salary_year_max);
	pg_param_text(p, f->date_posted);
	pg_param_text(p, f->valid_through);
	pg_param_text(p, f->description_html);
	pg_param_text(p, f->description_text);
	pg_param_text(p, f->apply_url);
	pg_param_text(p, f->url);
	pg_param_int(p, in->source_rank);
}

static void read_posting(struct pg_row *r, void *item)
{
	struct store_posting *p = item;
	memset(p, 0, sizeof(*p));
	p->id = pg_row_int(r);
	p->version = pg_row_int(r);
	p->canonical_key = pg_row_text(r);
	p->simhash = (uint64_t)pg_row_int(r);
	p->title = pg_row_text(r);
	p->company = pg_row_text(r);
	p->location_raw = pg_row_text(r);
	p->locality = pg_row_text(r);
	p->region = pg_row_text(r);
	p->country = pg_row_text(r);
	p->workplace = pg_row_text(r);
	p->employment_types = (unsigned)pg_row_int(r);
	p->salary_min = pg_row_double(r);
	p->salary_max = pg_row_double(r);
	p->salary_currency = pg_row_text(r);
	p->salary_period = pg_row_text(r);
	p->salary_year_min = pg_row_double(r);
	p->salary_year_max = pg_row_double(r);
	p->date_posted = pg_row_text(r);
	p->valid_through = pg_row_text(r);
	p->description_html = pg_row_text(r);
	p->description_text = pg_row_text(r);
	p->apply_url = pg_row_text(r);
	p->url = pg_row_text(r);
	p->source_rank = (int)pg_row_int(r);
	p->first_seen = pg_row_int(r);
	p->last_seen = pg_row_int(r);
	p->closed_at = pg_row_int(r);
	p->created_at = pg_row_int(r);
	p->updated_at = pg_row_int(r);
	p->reposted_at = pg_row_int(r);
	p->repost_count = pg_row_int(r);
}

static void read_listing(struct pg_row *r, void *item)
{
	struct posting_source *l = item;
	memset(l, 0, sizeof(*l));
	l->id = pg_row_int(r);
	l->posting_id = pg_row_int(r);
	l->source = pg_row_text(r);
	l->external_id = pg_row_text(r);
	l->source_id = pg_row_int(r);
	l->url = pg_row_text(r);
	l->apply_url = pg_row_text(r);
	l->content_hash = pg_row_text(r);
	l->source_rank = (int)pg_row_int(r);
	l->first_seen = pg_row_int(r);
	l->last_seen = pg_row_int(r);
	l->missing_runs = (int)pg_row_int(r);
	l->closed_at = pg_row_int(r);
}

/* ---- ingest --------------------------------------------------------------- */

/* A 64-bit lock key for what: FNV-1a of kind, a and b with separators. */
static int64_t lock_key(char kind, const char *a, const char *b)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[] = { a, "\x1f", b ? b : "" };
	h = (h ^ (unsigned char)kind) * 0x100000001b3ULL;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
			h = (h ^ *p) * 0x100000001b3ULL;
	return (int64_t)h;
}

/* Held until the transaction ends; waits while another holds it. */
static int lock(struct pg_conn *c, int64_t key)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, key);
	return pg_exec_done(c, "SELECT pg_advisory_xact_lock($1)", &p);
}

/* Rewrites the posting's fields from in, or only notes the sighting. */
static int posting_write(struct pg_conn *c, const struct posting_ingest *in, int64_t posting_id, int take_content)
{
	struct pg_params p = { 0 };
	if (!take_content) {
		pg_param_int(&p, posting_id);
		pg_param_int(&p, in->seen_at);
		return pg_exec_done(c, sql_posting_seen, &p);
	}
	param_content(&p, in);
	pg_param_int(&p, in->seen_at);
	pg_param_int(&p, posting_id);
	return pg_exec_done(c, sql_posting_content, &p);
}

/* A sighting of a listing the store knows (its row locked). */
static int ingest_known(struct pg_conn *c, const struct posting_ingest *in, int64_t listing_id, int64_t posting_id,
			int changed, int listing_closed, enum posting_change *change)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, posting_id);
	pg_param_int(&p, listing_id);
	PGresult *res;
	int rc = pg_exec(c, sql_posting_state, &p, &res);
	if (rc)
		return rc;
	int rank = 0, posting_closed = 0, has_other = 0, best_other = 0;
	if (PQntuples(res) == 1) {
		struct pg_row r = pg_row_at(res, 0, NULL);
		rank = (int)pg_row_int(&r);
		posting_closed = PQgetvalue(res, 0, r.col++)[0] == 't';
		has_other = !pg_row_is_null(&r);
		best_other = (int)pg_row_int(&r);
		rc = r.bad ? STORE_ERROR : 0;
	} else {
		rc = STORE_ERROR; /* the foreign key promises the posting */
	}
	PQclear(res);
	if (rc)
		return rc;
	struct pg_params seen = { 0 };
	pg_param_int(&seen, listing_id);
	pg_param_int(&seen, in->seen_at);
	param_id_or_null(&seen, in->source_id);
	pg_param_text(&seen, in->posting.url);
	pg_param_text(&seen, in->posting.apply_url);
	pg_param_text(&seen, in->content_hash);
	pg_param_int(&seen, in->source_rank);
	rc = pg_exec_done(c, sql_listing_seen, &seen);
	if (rc == 0)
		rc = posting_write(c, in, posting_id,
				   rows_takes_content(in->source_rank, rank, has_other, best_other, changed));
	*change = rows_sighting_change(listing_closed, posting_closed, changed);
	return rc;
}

static int find_candidates(struct pg_conn *c, const struct posting_ingest *in, struct posting_candidate *out, size_t *n)
{
	struct pg_params p = { 0 };
	pg_param_text(&p, in->posting.canonical_key);
	pg_param_text(&p, in->source);
	pg_param_int(&p, STORE_POSTING_CANDIDATES_MAX);
	pg_param_int(&p, in->seen_at - STORE_REPOST_WINDOW);
	PGresult *res;
	int rc = pg_exec(c, sql_candidates, &p, &res);
	if (rc)
		return rc;
	*n = 0;
	for (int i = 0; rc == 0 && i < PQntuples(res) && *n < STORE_POSTING_CANDIDATES_MAX; i++) {
		struct pg_row r = pg_row_at(res, i, NULL);
		struct posting_candidate *k = &out[(*n)++];
		memset(k, 0, sizeof(*k));
		k->id = pg_row_int(&r);
		k->simhash = (uint64_t)pg_row_int(&r);
		k->first_seen = pg_row_int(&r);
		k->source_rank = pg_row_is_null(&r) ? INT_MAX : (int)pg_row_int(&r);
		k->closed = PQgetvalue(res, i, r.col++)[0] == 't';
		k->same_source = PQgetvalue(res, i, r.col++)[0] == 't';
		rc = r.bad ? STORE_ERROR : 0;
	}
	PQclear(res);
	return rc;
}

static int insert_listing(struct pg_conn *c, const struct posting_ingest *in, int64_t posting_id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, posting_id);
	pg_param_text(&p, in->source);
	pg_param_text(&p, in->external_id);
	param_id_or_null(&p, in->source_id);
	pg_param_text(&p, in->posting.url);
	pg_param_text(&p, in->posting.apply_url);
	pg_param_text(&p, in->content_hash);
	pg_param_int(&p, in->source_rank);
	pg_param_int(&p, in->seen_at);
	return pg_exec_done(c, sql_listing_insert, &p);
}

/* A listing the store has not seen: merged into a near duplicate, a repost
 * of one, or new.
 * The canonical key's lock keeps a racing listing of the same job out. */
static int ingest_unknown(struct pg_conn *c, const struct posting_ingest *in, enum posting_change *change,
			  int64_t *posting_id)
{
	int rc = lock(c, lock_key('k', in->posting.canonical_key, NULL));
	struct posting_candidate cands[STORE_POSTING_CANDIDATES_MAX];
	size_t n = 0;
	if (rc == 0)
		rc = find_candidates(c, in, cands, &n);
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
		if (rc == 0) {
			struct pg_params r = { 0 };
			pg_param_int(&r, *posting_id);
			pg_param_int(&r, in->seen_at);
			pg_param_text(&r, in->posting.date_posted);
			rc = pg_exec_done(c, sql_posting_reposted, &r);
		}
		return rc;
	}
	struct pg_params p = { 0 };
	param_content(&p, in);
	pg_param_int(&p, in->seen_at);
	rc = pg_exec_int(c, sql_posting_insert, &p, posting_id);
	*change = POSTING_NEW;
	return rc ? rc : insert_listing(c, in, *posting_id);
}

static int posting_ingest(struct store *s, const struct posting_ingest *in, enum posting_change *change,
			  int64_t *posting_id)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, 0, &rc);
	if (!c)
		return rc;
	rc = lock(c, lock_key('l', in->source, in->external_id));
	struct pg_params p = { 0 };
	pg_param_text(&p, in->source);
	pg_param_text(&p, in->external_id);
	PGresult *res = NULL;
	if (rc == 0)
		rc = pg_exec(c, sql_listing_find, &p, &res);
	if (rc == 0 && PQntuples(res) == 1) {
		struct pg_row r = pg_row_at(res, 0, NULL);
		int64_t listing_id = pg_row_int(&r);
		*posting_id = pg_row_int(&r);
		int changed = strcmp(PQgetvalue(res, 0, r.col++), in->content_hash) != 0;
		int closed = PQgetvalue(res, 0, r.col++)[0] == 't';
		rc = r.bad ? STORE_ERROR : ingest_known(c, in, listing_id, *posting_id, changed, closed, change);
	} else if (rc == 0) {
		rc = ingest_unknown(c, in, change, posting_id);
	}
	PQclear(res);
	rc = pg_tx_end(c, rc);
	/* A posting reopened moved the data_version of users with applications
	 * saved from it (migration 16's trigger), in a transaction that names
	 * no user: forget what the cache holds (pg.h, cache.c). */
	if (rc == 0 && (*change == POSTING_REOPENED || *change == POSTING_REPOSTED))
		pg_cache_forget_all((struct pg_store *)s);
	return rc;
}

/* ---- closing what runs stopped seeing ------------------------------------ */

static int mark_missing(struct store *s, int64_t source_id, int64_t run_started_at, int max_missing, int64_t now,
			struct missing_counts *out)
{
	memset(out, 0, sizeof(*out));
	int rc;
	struct pg_conn *c = pg_conn_begin(s, 0, &rc);
	if (!c)
		return rc;
	struct pg_params p = { 0 };
	pg_param_int(&p, source_id);
	pg_param_int(&p, run_started_at);
	pg_param_int(&p, max_missing);
	pg_param_int(&p, now);
	PGresult *res;
	rc = pg_exec(c, sql_listings_missed, &p, &res);
	if (rc == 0) {
		out->missed = PQntuples(res);
		for (int i = 0; i < PQntuples(res); i++)
			out->closed += PQgetvalue(res, i, 0)[0] == 't';
		PQclear(res);
	}
	struct pg_params of_source = { 0 }, close = { 0 };
	pg_param_int(&of_source, source_id);
	pg_param_int(&close, source_id);
	pg_param_int(&close, now);
	if (rc == 0 && out->closed > 0) {
		rc = pg_exec_done(c, sql_postings_lock, &of_source);
		if (rc == 0)
			rc = pg_exec(c, sql_postings_orphaned_close, &close, &res);
		if (rc == 0) {
			if (pg_parse_int(PQcmdTuples(res), &out->postings_closed))
				rc = STORE_ERROR;
			PQclear(res);
		}
	}
	rc = pg_tx_end(c, rc);
	if (rc == 0 && out->postings_closed > 0)
		pg_cache_forget_all((struct pg_store *)s); /* as in posting_ingest */
	return rc;
}

/* ---- reading ------------------------------------------------------------- */

static int posting_list(struct store *s, const struct posting_filter *f, struct arena *a, struct store_posting **out,
			size_t *n, struct posting_cursor *next)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	int after = f->after.id != 0;
	const char *sql = f->include_closed ? (after ? sql_list_all_after : sql_list_all)
					    : (after ? sql_list_open_after : sql_list_open);
	int64_t limit = rows_page_limit(f->limit);
	struct pg_params p = { 0 };
	pg_param_int(&p, limit + 1); /* one more tells whether a next page exists */
	if (after) {
		pg_param_int(&p, f->after.first_seen);
		pg_param_int(&p, f->after.id);
	}
	void *items = NULL;
	size_t rows = 0;
	int rc = pg_list(c, sql, &p, a, sizeof(**out), read_posting, &items, &rows);
	if (rc)
		return rc;
	int more = (int64_t)rows > limit;
	*out = items;
	*n = more ? (size_t)limit : rows;
	*next = rows_next_cursor(*out, *n, more);
	return 0;
}

static int posting_count(struct store *s, const struct posting_filter *f, int64_t *count)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, f->include_closed != 0);
	return pg_exec_int(c, "SELECT count(*) FROM postings WHERE $1::int <> 0 OR closed_at IS NULL", &p, count);
}

static int posting_changed(struct store *s, int64_t since, int64_t after_id, int64_t limit, struct arena *a,
			   struct store_posting **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, limit);
	pg_param_int(&p, since);
	pg_param_int(&p, after_id);
	void *items = NULL;
	int rc = pg_list(c,
			 "SELECT " ROWS_POSTING_COLS_HEAD "NULL, p.description_text" ROWS_POSTING_COLS_TAIL
			 " FROM postings p WHERE (p.updated_at, p.id) > ($2, $3) ORDER BY p.updated_at, p.id LIMIT $1",
			 &p, a, sizeof(**out), read_posting, &items, n);
	*out = items;
	return rc;
}

static int read_listings(struct pg_conn *c, int64_t posting_id, struct arena *a, struct posting_source **out, size_t *n)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, posting_id);
	void *items = NULL;
	int rc = pg_list(c,
			 "SELECT " ROWS_POSTING_SOURCE_COLS
			 " FROM posting_sources WHERE posting_id = $1 ORDER BY source_rank, id",
			 &p, a, sizeof(**out), read_listing, &items, n);
	*out = items;
	return rc;
}

static int posting_get(struct store *s, int64_t id, struct arena *a, struct store_posting *out,
		       struct posting_source **sources, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	int rc = pg_get(c, "SELECT " ROWS_POSTING_COLS " FROM postings p WHERE p.id = $1", &p, a, sizeof(*out),
			read_posting, out);
	/* Listings are only ever added to a posting, so reading them after it
	 * (outside one snapshot) can only show one that came meanwhile. */
	return rc ? rc : read_listings(c, id, a, sources, n);
}

static int posting_sources(struct store *s, int64_t posting_id, struct arena *a, struct posting_source **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	return c ? read_listings(c, posting_id, a, out, n) : STORE_ERROR;
}

/* Rows of sql ($1: the ids as a bigint[] literal, $2: max) into an arena array. */
static int list_by_ids(struct store *s, const char *sql, const int64_t *ids, size_t n, int64_t max, struct arena *a,
		       size_t size, pg_read_fn read, void **out, size_t *n_out)
{
	struct pg_conn *c = pg_conn(s);
	char *list = rows_id_list(a, ids, n, '{', '}');
	if (!c || !list)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, list);
	pg_param_int(&p, max);
	return pg_list(c, sql, &p, a, size, read, out, n_out);
}

static int posting_sources_of(struct store *s, const int64_t *ids, size_t n, struct arena *a,
			      struct posting_source **out, size_t *n_out)
{
	void *items = NULL;
	int rc =
	    list_by_ids(s,
			"SELECT " ROWS_POSTING_SOURCE_COLS " FROM posting_sources WHERE posting_id = ANY($1::bigint[])"
			" ORDER BY posting_id, source_rank, id LIMIT $2",
			ids, n, STORE_LIST_MAX, a, sizeof(**out), read_listing, &items, n_out);
	*out = items;
	return rc;
}

static int posting_get_many(struct store *s, const int64_t *ids, size_t n, struct arena *a, struct store_posting **out,
			    size_t *n_out)
{
	void *items = NULL;
	int rc =
	    list_by_ids(s,
			"SELECT " ROWS_POSTING_COLS " FROM postings p WHERE p.id = ANY($1::bigint[]) ORDER BY p.id "
			"LIMIT $2",
			ids, n, STORE_SOURCES_OF_MAX, a, sizeof(**out), read_posting, &items, n_out);
	*out = items;
	return rc;
}

const struct store_posting_ops pg_posting_ops = {
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
