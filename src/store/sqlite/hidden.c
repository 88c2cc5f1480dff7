/* What a user hid: postings and companies (store.h, "hidden postings and
 * blocked companies"). Each write checks and inserts in one transaction,
 * so the per-user bound holds however many requests come at once. */
#include <stdint.h>

#include "store/sqlite/sqlite.h"

static const char SQL_POSTING_HIDDEN[] = "SELECT 1 FROM hidden_postings WHERE user_id = ?1 AND posting_id = ?2";
static const char SQL_POSTING_EXISTS[] = "SELECT 1 FROM postings WHERE id = ?1";
static const char SQL_POSTINGS_COUNT[] = "SELECT count(*) FROM hidden_postings WHERE user_id = ?1";
static const char SQL_HIDE[] = "INSERT INTO hidden_postings(user_id, posting_id, created_at) VALUES (?1, ?2, ?3)";
static const char SQL_UNHIDE[] = "DELETE FROM hidden_postings WHERE user_id = ?1 AND posting_id = ?2";
static const char SQL_COMPANY_BLOCKED[] = "SELECT 1 FROM blocked_companies WHERE user_id = ?1 AND company_key = ?2";
static const char SQL_COMPANIES_COUNT[] = "SELECT count(*) FROM blocked_companies WHERE user_id = ?1";
static const char SQL_BLOCK[] =
    "INSERT INTO blocked_companies(user_id, company_key, company, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_UNBLOCK[] = "DELETE FROM blocked_companies WHERE user_id = ?1 AND company_key = ?2";
static const char SQL_LIST_POSTINGS[] = "SELECT h.posting_id, p.title, p.company, h.created_at FROM hidden_postings h "
					"LEFT JOIN postings p ON p.id = h.posting_id WHERE h.user_id = ?1 "
					"ORDER BY h.posting_id";
static const char SQL_BY_LISTING[] = "SELECT posting_id FROM posting_sources WHERE source = ?1 AND external_id = ?2";
static const char SQL_LIST_COMPANIES[] = "SELECT company_key, company, created_at FROM blocked_companies "
					 "WHERE user_id = ?1 ORDER BY company_key";

/* The first column of sql's first row on ?1 = key: 0 and *out,
 * STORE_NOTFOUND without a row, or an error. */
static int query_int(struct sq_conn *c, const char *sql, int64_t key, int64_t *out)
{
	sqlite3_stmt *st = sq_prepare(c, sql);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, key);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sq_finish(st);
	return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
}

/* The write of hide and block, in one transaction: nothing when exists
 * finds the row (0), CONFLICT when the user has STORE_HIDDEN_MAX rows
 * (count_sql on ?1), else the insert. exists and insert come bound. */
static int add_bounded(struct sq_conn *c, int64_t user_id, sqlite3_stmt *exists, const char *count_sql,
		       sqlite3_stmt *insert)
{
	int rc = sq_tx_begin(c);
	if (rc) {
		sq_finish(exists);
		sq_finish(insert);
		return rc;
	}
	int step = sqlite3_step(exists);
	sq_finish(exists);
	if (step != SQLITE_DONE)
		rc = step == SQLITE_ROW ? 1 : sq_error(c, step); /* 1: there already */
	int64_t n = 0;
	if (rc == 0)
		rc = query_int(c, count_sql, user_id, &n);
	if (rc == 0 && n >= STORE_HIDDEN_MAX)
		rc = STORE_CONFLICT;
	if (rc == 0)
		return sq_tx_end(c, sq_run(c, insert));
	sq_finish(insert);
	if (rc == 1)
		rc = 0;
	return sq_tx_end(c, rc);
}

static int hide(struct store *s, int64_t user_id, int64_t posting_id, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	/* Postings are never deleted: one that exists now still will at the insert. */
	int64_t v = 0;
	int rc = query_int(c, SQL_POSTING_EXISTS, posting_id, &v);
	sqlite3_stmt *exists = rc ? NULL : sq_prepare(c, SQL_POSTING_HIDDEN);
	sqlite3_stmt *insert = exists ? sq_prepare(c, SQL_HIDE) : NULL;
	if (!insert)
		return rc ? rc : STORE_ERROR;
	sqlite3_bind_int64(exists, 1, user_id);
	sqlite3_bind_int64(exists, 2, posting_id);
	sqlite3_bind_int64(insert, 1, user_id);
	sqlite3_bind_int64(insert, 2, posting_id);
	sqlite3_bind_int64(insert, 3, now);
	return add_bounded(c, user_id, exists, SQL_POSTINGS_COUNT, insert);
}

static int unhide(struct store *s, int64_t user_id, int64_t posting_id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_UNHIDE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, posting_id);
	return sq_run_changed(c, st);
}

static int block(struct store *s, int64_t user_id, const char *company_key, const char *company, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *exists = c ? sq_prepare(c, SQL_COMPANY_BLOCKED) : NULL;
	sqlite3_stmt *insert = exists ? sq_prepare(c, SQL_BLOCK) : NULL;
	if (!insert)
		return STORE_ERROR;
	sqlite3_bind_int64(exists, 1, user_id);
	sq_bind_text(exists, 2, company_key);
	sqlite3_bind_int64(insert, 1, user_id);
	sq_bind_text(insert, 2, company_key);
	sq_bind_text(insert, 3, company);
	sqlite3_bind_int64(insert, 4, now);
	return add_bounded(c, user_id, exists, SQL_COMPANIES_COUNT, insert);
}

static int unblock(struct store *s, int64_t user_id, const char *company_key)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_UNBLOCK) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sq_bind_text(st, 2, company_key);
	return sq_run_changed(c, st);
}

static void read_hidden_posting(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct hidden_posting *h = item;
	h->posting_id = sqlite3_column_int64(st, 0);
	h->title = sq_text(st, 1, a);
	h->company = sq_text(st, 2, a);
	h->created_at = sqlite3_column_int64(st, 3);
}

static void read_blocked_company(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct blocked_company *b = item;
	b->company_key = sq_text(st, 0, a);
	b->company = sq_text(st, 1, a);
	b->created_at = sqlite3_column_int64(st, 2);
}

static int list(struct store *s, int64_t user_id, struct arena *a, struct store_hidden *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_LIST_POSTINGS) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	void *items = NULL;
	int rc = sq_list(c, st, a, sizeof(*out->postings), STORE_HIDDEN_MAX, read_hidden_posting, &items,
			 &out->npostings, NULL);
	out->postings = items;
	if (rc)
		return rc;
	st = sq_prepare(c, SQL_LIST_COMPANIES);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	rc = sq_list(c, st, a, sizeof(*out->companies), STORE_HIDDEN_MAX, read_blocked_company, &items,
		     &out->ncompanies, NULL);
	out->companies = items;
	return rc;
}

static int by_listing(struct store *s, const char *source, const char *external_id, int64_t *posting_id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_BY_LISTING) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, external_id, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*posting_id = sqlite3_column_int64(st, 0);
	sq_finish(st);
	return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
}

const struct store_hidden_ops sqlite_hidden_ops = {
	.hide = hide,
	.unhide = unhide,
	.block = block,
	.unblock = unblock,
	.list = list,
	.by_listing = by_listing,
};
