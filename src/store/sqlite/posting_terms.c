/* Postings' cached scan terms (store.h): one row per posting, current while
 * its taxonomy key and version match the posting's. Which rows are current
 * is read from the open postings' (id, version) index (migration 13), not
 * from their wide rows: the planner does not always pick it by itself. */
#include <stdint.h>
#include <string.h>

#include "store/sqlite/sqlite.h"

static const char SQL_PUT[] =
    "INSERT INTO posting_terms(posting_id, taxonomy, version, terms, updated_at) "
    "SELECT id, ?2, ?3, ?4, ?5 FROM postings WHERE id = ?1 "
    "ON CONFLICT(posting_id) DO UPDATE SET taxonomy = excluded.taxonomy, version = excluded.version, "
    "terms = excluded.terms, updated_at = excluded.updated_at";
static const char SQL_TODO[] = "SELECT p.id, p.version, p.title, p.description_text FROM postings p WHERE p.id IN ("
			       "SELECT q.id FROM postings q INDEXED BY postings_open_version "
			       "WHERE q.closed_at IS NULL AND q.id > ?2 AND NOT EXISTS (SELECT 1 FROM posting_terms t "
			       "WHERE t.taxonomy = ?1 AND t.posting_id = q.id AND t.version = q.version) "
			       "ORDER BY q.id LIMIT ?3) ORDER BY p.id";
static const char SQL_PAGE[] =
    "SELECT p.id, t.terms FROM postings p INDEXED BY postings_open_version JOIN posting_terms t ON t.posting_id = p.id "
    "WHERE p.closed_at IS NULL AND p.id > ?2 AND t.posting_id > ?2 AND t.taxonomy = ?1 "
    "AND t.version = p.version ORDER BY p.id LIMIT ?3";
static const char SQL_COUNT[] =
    "SELECT count(*), count(t.posting_id) FROM postings p INDEXED BY postings_open_version "
    "LEFT JOIN posting_terms t ON t.posting_id = p.id AND t.taxonomy = ?1 AND t.version = p.version "
    "WHERE p.closed_at IS NULL";

static int terms_put(struct store *s, int64_t posting_id, int64_t version, const char *taxonomy, const void *data,
		     size_t len, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_PUT) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, posting_id);
	sq_bind_text(st, 2, taxonomy);
	sqlite3_bind_int64(st, 3, version);
	sqlite3_bind_blob64(st, 4, len ? data : "", len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	int rc = sq_run_changed(c, st);
	return rc;
}

static void read_todo(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct posting_terms_todo *t = item;
	t->posting_id = sqlite3_column_int64(st, 0);
	t->version = sqlite3_column_int64(st, 1);
	t->title = sq_text(st, 2, a);
	t->description_text = sq_text(st, 3, a);
}

static void read_terms(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct posting_terms *t = item;
	t->posting_id = sqlite3_column_int64(st, 0);
	const void *blob = sqlite3_column_blob(st, 1);
	int n = sqlite3_column_bytes(st, 1);
	void *copy = n > 0 ? arena_alloc_raw(a, (size_t)n) : NULL;
	if (copy)
		memcpy(copy, blob, (size_t)n);
	t->data = copy;
	t->len = copy ? (size_t)n : 0;
}

static int list(struct store *s, const char *sql, const char *taxonomy, int64_t after_id, int64_t limit,
		struct arena *a, size_t item_size, sq_read_fn read, void **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, taxonomy);
	sqlite3_bind_int64(st, 2, after_id);
	sqlite3_bind_int64(st, 3, limit);
	return sq_list(c, st, a, item_size, limit, read, out, n, NULL);
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
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_COUNT) : NULL;
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, taxonomy);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*open = sqlite3_column_int64(st, 0);
		*cached = sqlite3_column_int64(st, 1);
	}
	sq_finish(st);
	return sq_error(c, step);
}

const struct store_posting_terms_ops sqlite_posting_terms_ops = {
	.put = terms_put,
	.todo = terms_todo,
	.page = terms_page,
	.count = terms_count,
};
