/* hidden.c — what a user hid: postings and companies (store.h, "hidden
 * postings and blocked companies"). Writes run in a transaction holding
 * the user's lock (pg_conn_begin), so the per-user bound holds however
 * many requests come at once. */
#include "store/postgres/pg.h"

#include <string.h>

/* The write of hide and block, in a transaction holding the user's lock:
 * nothing when exists_sql (on key) finds the row (0), CONFLICT when the
 * user has STORE_HIDDEN_MAX rows (count_sql on $1), else insert_sql. */
static int add_bounded(struct store *s, int64_t user_id, const char *exists_sql, const struct pg_params *key,
		       const char *count_sql, const char *insert_sql, const struct pg_params *row)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	int64_t n = 0;
	rc = pg_exec_int(c, exists_sql, key, &n);
	if (rc != STORE_NOTFOUND)
		return pg_tx_end(c, rc); /* there already (0), or an error */
	struct pg_params u = { 0 };
	pg_param_int(&u, user_id);
	rc = pg_exec_int(c, count_sql, &u, &n);
	if (rc == 0 && n >= STORE_HIDDEN_MAX)
		rc = STORE_CONFLICT;
	if (rc == 0)
		rc = pg_exec_done(c, insert_sql, row);
	return pg_tx_end(c, rc);
}

static int hide(struct store *s, int64_t user_id, int64_t posting_id, int64_t now)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	/* Postings are never deleted: one that exists now still will at the insert. */
	struct pg_params id = { 0 };
	pg_param_int(&id, posting_id);
	int64_t v = 0;
	int rc = pg_exec_int(c, "SELECT 1 FROM postings WHERE id = $1", &id, &v);
	if (rc)
		return rc;
	struct pg_params key = { 0 }, row = { 0 };
	pg_param_int(&key, user_id);
	pg_param_int(&key, posting_id);
	pg_param_int(&row, user_id);
	pg_param_int(&row, posting_id);
	pg_param_int(&row, now);
	return add_bounded(s, user_id, "SELECT 1 FROM hidden_postings WHERE user_id = $1 AND posting_id = $2", &key,
			   "SELECT count(*) FROM hidden_postings WHERE user_id = $1",
			   "INSERT INTO hidden_postings(user_id, posting_id, created_at) VALUES ($1, $2, $3)", &row);
}

static int unhide(struct store *s, int64_t user_id, int64_t posting_id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, posting_id);
	return pg_user_write(s, user_id, "DELETE FROM hidden_postings WHERE user_id = $1 AND posting_id = $2", &p);
}

static int block(struct store *s, int64_t user_id, const char *company_key, const char *company, int64_t now)
{
	struct pg_params key = { 0 }, row = { 0 };
	pg_param_int(&key, user_id);
	pg_param_text(&key, company_key);
	pg_param_int(&row, user_id);
	pg_param_text(&row, company_key);
	pg_param_text(&row, company);
	pg_param_int(&row, now);
	return add_bounded(
	    s, user_id, "SELECT 1 FROM blocked_companies WHERE user_id = $1 AND company_key = $2", &key,
	    "SELECT count(*) FROM blocked_companies WHERE user_id = $1",
	    "INSERT INTO blocked_companies(user_id, company_key, company, created_at) VALUES ($1, $2, $3, "
	    "$4)",
	    &row);
}

static int unblock(struct store *s, int64_t user_id, const char *company_key)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_text(&p, company_key);
	return pg_user_write(s, user_id, "DELETE FROM blocked_companies WHERE user_id = $1 AND company_key = $2", &p);
}

static void read_hidden_posting(struct pg_row *r, void *item)
{
	struct hidden_posting *h = item;
	h->posting_id = pg_row_int(r);
	h->title = pg_row_text(r);
	h->company = pg_row_text(r);
	h->created_at = pg_row_int(r);
}

static void read_blocked_company(struct pg_row *r, void *item)
{
	struct blocked_company *b = item;
	b->company_key = pg_row_text(r);
	b->company = pg_row_text(r);
	b->created_at = pg_row_int(r);
}

static int list(struct store *s, int64_t user_id, struct arena *a, struct store_hidden *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, STORE_HIDDEN_MAX);
	void *items = NULL;
	int rc = pg_list(c,
			 "SELECT h.posting_id, p.title, p.company, h.created_at FROM hidden_postings h "
			 "LEFT JOIN postings p ON p.id = h.posting_id WHERE h.user_id = $1 "
			 "ORDER BY h.posting_id LIMIT $2",
			 &p, a, sizeof(*out->postings), read_hidden_posting, &items, &out->npostings);
	out->postings = items;
	if (rc)
		return rc;
	/* COLLATE "C": by bytes, as SQLite orders the keys. */
	rc = pg_list(c,
		     "SELECT company_key, company, created_at FROM blocked_companies WHERE user_id = $1 "
		     "ORDER BY company_key COLLATE \"C\" LIMIT $2",
		     &p, a, sizeof(*out->companies), read_blocked_company, &items, &out->ncompanies);
	out->companies = items;
	return rc;
}

static int by_listing(struct store *s, const char *source, const char *external_id, int64_t *posting_id)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, source);
	pg_param_text(&p, external_id);
	return pg_exec_int(c, "SELECT posting_id FROM posting_sources WHERE source = $1 AND external_id = $2", &p,
			   posting_id);
}

const struct store_hidden_ops pg_hidden_ops = {
	.hide = hide,
	.unhide = unhide,
	.block = block,
	.unblock = unblock,
	.list = list,
	.by_listing = by_listing,
};
