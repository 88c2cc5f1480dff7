/* A user's resume scans: the history rows (store.h, "resume scans"). */
#include <stdint.h>
#include <string.h>

#include "store/sqlite/sqlite.h"

#define SCAN_COLS "id, resume_id, posting_id, job_key, job_title, score_tenths, created_at"

static const char SQL_INSERT[] = "INSERT INTO scans(user_id, resume_id, posting_id, job_key, job_title, "
				 "score_tenths, result, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_RESUME_OWNED[] = "SELECT 1 FROM resumes WHERE user_id = ?1 AND id = ?2";
static const char SQL_GET[] = "SELECT " SCAN_COLS ", result FROM scans WHERE user_id = ?1 AND id = ?2";
static const char SQL_LIST[] = "SELECT " SCAN_COLS ", NULL FROM scans WHERE user_id = ?1 "
			       "AND (?2 = 0 OR resume_id = ?2) AND (?3 = 0 OR posting_id = ?3) "
			       "ORDER BY id DESC LIMIT ?4";
static const char SQL_PREVIOUS[] = "SELECT " SCAN_COLS ", result FROM scans WHERE user_id = ?1 AND resume_id = ?2 "
				   "AND job_key = ?3 AND id < ?4 ORDER BY id DESC LIMIT 1";
static const char SQL_DELETE[] = "DELETE FROM scans WHERE user_id = ?1 AND id = ?2";

static void read_scan(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct store_scan *r = item;
	r->id = sqlite3_column_int64(st, 0);
	r->resume_id = sqlite3_column_int64(st, 1);
	r->posting_id = sqlite3_column_int64(st, 2);
	r->job_key = sq_text(st, 3, a);
	r->job_title = sq_text(st, 4, a);
	r->score_tenths = sqlite3_column_int(st, 5);
	r->created_at = sqlite3_column_int64(st, 6);
	r->result = sqlite3_column_type(st, 7) == SQLITE_NULL ? NULL : sq_text(st, 7, a);
}

static int read_one(struct sq_conn *c, sqlite3_stmt *st, struct arena *a, struct store_scan *out)
{
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		read_scan(st, a, out);
	sq_finish(st);
	if (step == SQLITE_ROW)
		return 0;
	return step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
}

static int scan_insert(struct store *s, int64_t user_id, struct store_scan *scan, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	/* Another user's resume is not found, as everywhere in the store. */
	sqlite3_stmt *own = sq_prepare(c, SQL_RESUME_OWNED);
	if (!own)
		return sq_tx_end(c, STORE_ERROR);
	sqlite3_bind_int64(own, 1, user_id);
	sqlite3_bind_int64(own, 2, scan->resume_id);
	int step = sqlite3_step(own);
	sq_finish(own);
	if (step != SQLITE_ROW)
		return sq_tx_end(c, step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step));
	sqlite3_stmt *st = sq_prepare(c, SQL_INSERT);
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, scan->resume_id);
	if (scan->posting_id > 0)
		sqlite3_bind_int64(st, 3, scan->posting_id);
	else
		sqlite3_bind_null(st, 3);
	sq_bind_text(st, 4, scan->job_key);
	sq_bind_text(st, 5, scan->job_title ? scan->job_title : "");
	sqlite3_bind_int(st, 6, scan->score_tenths);
	sq_bind_text(st, 7, scan->result);
	sqlite3_bind_int64(st, 8, now);
	rc = sq_run(c, st);
	if (!rc) {
		scan->id = sqlite3_last_insert_rowid(c->db);
		scan->created_at = now;
	}
	return sq_tx_end(c, rc);
}

static int scan_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct store_scan *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_GET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	return read_one(c, st, a, out);
}

static int scan_list(struct store *s, int64_t user_id, int64_t resume_id, int64_t posting_id, int64_t limit,
		     struct arena *a, struct store_scan **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_LIST) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, resume_id);
	sqlite3_bind_int64(st, 3, posting_id);
	sqlite3_bind_int64(st, 4, limit);
	void *items = NULL;
	int rc = sq_list(c, st, a, sizeof(**out), limit, read_scan, &items, n, NULL);
	*out = items;
	return rc;
}

static int scan_previous(struct store *s, int64_t user_id, int64_t resume_id, const char *job_key, int64_t before_id,
			 struct arena *a, struct store_scan *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_PREVIOUS) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, resume_id);
	sq_bind_text(st, 3, job_key);
	sqlite3_bind_int64(st, 4, before_id);
	return read_one(c, st, a, out);
}

static int scan_delete(struct store *s, int64_t user_id, int64_t id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_DELETE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	return sq_run_changed(c, st);
}

const struct store_scan_ops sqlite_scan_ops = {
	.insert = scan_insert,
	.get = scan_get,
	.list = scan_list,
	.previous = scan_previous,
	.delete = scan_delete,
};
