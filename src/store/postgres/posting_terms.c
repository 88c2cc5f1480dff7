/* posting_terms.c — postings' cached scan terms (store.h), as in SQLite's
 * posting_terms.c: current while the taxonomy key and version match. The
 * bytes go in as a binary parameter and come back hex-escaped (results are
 * text), unescaped into the caller's arena. */
#include "store/postgres/pg.h"

#include <string.h>

static const char SQL_PUT[] =
    "INSERT INTO posting_terms(posting_id, taxonomy, version, terms, updated_at) "
    "SELECT id, $2, $3, $4, $5 FROM postings WHERE id = $1 "
    "ON CONFLICT (posting_id) DO UPDATE SET taxonomy = excluded.taxonomy, version = excluded.version, "
    "terms = excluded.terms, updated_at = excluded.updated_at";
static const char SQL_TODO[] = "SELECT p.id, p.version, p.title, p.description_text FROM postings p WHERE p.id IN ("
			       "SELECT q.id FROM postings q "
			       "WHERE q.closed_at IS NULL AND q.id > $2 AND NOT EXISTS (SELECT 1 FROM posting_terms t "
			       "WHERE t.taxonomy = $1 AND t.posting_id = q.id AND t.version = q.version) "
			       "ORDER BY q.id LIMIT $3) ORDER BY p.id";
static const char SQL_PAGE[] = "SELECT p.id, t.terms FROM postings p JOIN posting_terms t ON t.posting_id = p.id "
			       "WHERE p.closed_at IS NULL AND p.id > $2 AND t.posting_id > $2 AND t.taxonomy = $1 "
			       "AND t.version = p.version ORDER BY p.id LIMIT $3";
static const char SQL_COUNT[] =
    "SELECT count(*), count(t.posting_id) FROM postings p "
    "LEFT JOIN posting_terms t ON t.posting_id = p.id AND t.taxonomy = $1 AND t.version = p.version "
    "WHERE p.closed_at IS NULL";

static int terms_put(struct store *s, int64_t posting_id, int64_t version, const char *taxonomy, const void *data,
		     size_t len, int64_t now)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, posting_id);
	pg_param_text(&p, taxonomy);
	pg_param_int(&p, version);
	pg_param_bytes(&p, len ? data : "", len);
	pg_param_int(&p, now);
	return pg_exec_changed(c, SQL_PUT, &p);
}

static void read_todo(struct pg_row *r, void *item)
{
	struct posting_terms_todo *t = item;
	t->posting_id = pg_row_int(r);
	t->version = pg_row_int(r);
	t->title = pg_row_text(r);
	t->description_text = pg_row_text(r);
}

static void read_terms(struct pg_row *r, void *item)
{
	struct posting_terms *t = item;
	t->posting_id = pg_row_int(r);
	t->data = NULL;
	t->len = 0;
	size_t n = 0;
	unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r->res, r->row, r->col), &n);
	r->col++;
	if (!raw) {
		r->bad = 1;
		return;
	}
	void *copy = n ? arena_alloc_raw(r->a, n) : NULL;
	if (copy) {
		memcpy(copy, raw, n);
		t->data = copy;
		t->len = n;
	}
	PQfreemem(raw);
}

static int list(struct store *s, const char *sql, const char *taxonomy, int64_t after_id, int64_t limit,
		struct arena *a, size_t item_size, pg_read_fn read, void **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, taxonomy);
	pg_param_int(&p, after_id);
	pg_param_int(&p, limit);
	return pg_list(c, sql, &p, a, item_size, read, out, n);
}

static int terms_todo(struct store *s, const char *taxonomy, int64_t after_id, int64_t limit, struct arena *a,
		      struct posting_terms_todo **out, size_t *n)
{
	void *items = NULL;
	int rc = list(s, SQL_TODO, taxonomy, after_id, limit, a, sizeof(**out), read_todo, &items, n);
	*out = items;
	return rc;
}

static int terms_page(struct store *s, const char *taxonomy, int64_t after_id, int64_t limit, struct arena *a,
		      struct posting_terms **out, size_t *n)
{
	void *items = NULL;
	int rc = list(s, SQL_PAGE, taxonomy, after_id, limit, a, sizeof(**out), read_terms, &items, n);
	*out = items;
	return rc;
}

static int terms_count(struct store *s, const char *taxonomy, int64_t *open, int64_t *cached)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, taxonomy);
	PGresult *res = NULL;
	int rc = pg_exec(c, SQL_COUNT, &p, &res);
	if (rc)
		return rc;
	if (PQntuples(res) == 1) {
		pg_parse_int(PQgetvalue(res, 0, 0), open);
		pg_parse_int(PQgetvalue(res, 0, 1), cached);
	}
	PQclear(res);
	return 0;
}

const struct store_posting_terms_ops pg_posting_terms_ops = {
	.put = terms_put,
	.todo = terms_todo,
	.page = terms_page,
	.count = terms_count,
};
