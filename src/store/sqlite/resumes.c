/* A user's resumes: metadata rows (the files are in the blob store). The
 * rules on the default are in store.h; the partial unique index of
 * migration 8 makes a second default impossible, whatever a caller does. */
#include <stdint.h>
#include <string.h>

#include "store/sqlite/sqlite.h"

#define RESUME_COLS "id, name, type, size, blob_key, is_default, created_at, updated_at"

static const char SQL_LIST[] = "SELECT " RESUME_COLS " FROM resumes WHERE user_id = ?1 "
			       "ORDER BY is_default DESC, created_at DESC, id DESC";
static const char SQL_GET[] = "SELECT " RESUME_COLS " FROM resumes WHERE user_id = ?1 AND id = ?2";
static const char SQL_GET_DEFAULT[] = "SELECT " RESUME_COLS " FROM resumes WHERE user_id = ?1 AND is_default = 1";
static const char SQL_HAS_DEFAULT[] = "SELECT 1 FROM resumes WHERE user_id = ?1 AND is_default = 1";
static const char SQL_EXISTS[] = "SELECT is_default FROM resumes WHERE user_id = ?1 AND id = ?2";
static const char SQL_CLEAR_DEFAULT[] = "UPDATE resumes SET is_default = 0 WHERE user_id = ?1 AND is_default = 1";
static const char SQL_SET_DEFAULT[] =
    "UPDATE resumes SET is_default = 1, updated_at = ?3 WHERE user_id = ?1 AND id = ?2";
static const char SQL_NEWEST_DEFAULT[] = "UPDATE resumes SET is_default = 1 WHERE id = (SELECT id FROM resumes "
					 "WHERE user_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1)";
static const char SQL_INSERT[] = "INSERT INTO resumes(user_id, name, type, size, blob_key, is_default, created_at, "
				 "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
static const char SQL_RENAME[] = "UPDATE resumes SET name = ?3, updated_at = ?4 WHERE user_id = ?1 AND id = ?2";
static const char SQL_DELETE[] = "DELETE FROM resumes WHERE user_id = ?1 AND id = ?2";
static const char SQL_SET_FILE[] = "UPDATE resumes SET type = ?3, size = ?4, blob_key = ?5, updated_at = ?6 "
				   "WHERE user_id = ?1 AND id = ?2";

static void read_resume(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct store_resume *r = item;
	r->id = sqlite3_column_int64(st, 0);
	r->name = sq_text(st, 1, a);
	r->type = sq_text(st, 2, a);
	r->size = sqlite3_column_int64(st, 3);
	r->blob_key = sq_text(st, 4, a);
	r->is_default = sqlite3_column_int(st, 5);
	r->created_at = sqlite3_column_int64(st, 6);
	r->updated_at = sqlite3_column_int64(st, 7);
}

/* One row of a bound statement into out: 0, STORE_NOTFOUND or an error. */
static int read_one(struct sq_conn *c, sqlite3_stmt *st, struct arena *a, struct store_resume *out)
{
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		read_resume(st, a, out);
	sq_finish(st);
	if (step == SQLITE_ROW)
		return 0;
	return step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
}

/* The user's resume id: 1 default, 0 not, STORE_NOTFOUND, or an error. */
static int is_default(struct sq_conn *c, int64_t user_id, int64_t id)
{
	sqlite3_stmt *st = sq_prepare(c, SQL_EXISTS);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	int step = sqlite3_step(st);
	int rc = step == SQLITE_ROW    ? sqlite3_column_int(st, 0) != 0
		 : step == SQLITE_DONE ? STORE_NOTFOUND
				       : sq_error(c, step);
	sq_finish(st);
	return rc;
}

static int clear_default(struct sq_conn *c, int64_t user_id)
{
	sqlite3_stmt *st = sq_prepare(c, SQL_CLEAR_DEFAULT);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	return sq_run(c, st);
}

static int resume_insert(struct store *s, int64_t user_id, struct store_resume *r, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sqlite3_stmt *has = sq_prepare(c, SQL_HAS_DEFAULT);
	if (!has)
		return sq_tx_end(c, STORE_ERROR);
	sqlite3_bind_int64(has, 1, user_id);
	int step = sqlite3_step(has);
	sq_finish(has);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return sq_tx_end(c, sq_error(c, step));
	int make_default = r->is_default || step == SQLITE_DONE;
	if (make_default && step == SQLITE_ROW)
		rc = clear_default(c, user_id);
	sqlite3_stmt *st = rc ? NULL : sq_prepare(c, SQL_INSERT);
	if (!rc && !st)
		rc = STORE_ERROR;
	if (!rc) {
		sqlite3_bind_int64(st, 1, user_id);
		sq_bind_text(st, 2, r->name);
		sq_bind_text(st, 3, r->type);
		sqlite3_bind_int64(st, 4, r->size);
		sq_bind_text(st, 5, r->blob_key);
		sqlite3_bind_int(st, 6, make_default);
		sqlite3_bind_int64(st, 7, now);
		rc = sq_run(c, st);
	}
	if (!rc) {
		r->id = sqlite3_last_insert_rowid(c->db);
		r->is_default = make_default;
		r->created_at = r->updated_at = now;
	}
	return sq_tx_end(c, rc);
}

static int resume_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct store_resume *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_GET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	return read_one(c, st, a, out);
}

static int resume_get_default(struct store *s, int64_t user_id, struct arena *a, struct store_resume *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_GET_DEFAULT) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	return read_one(c, st, a, out);
}

static int resume_list(struct store *s, int64_t user_id, struct arena *a, struct store_resume **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_LIST) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	void *items = NULL;
	int rc = sq_list(c, st, a, sizeof(**out), INT64_MAX, read_resume, &items, n, NULL);
	*out = items;
	return rc;
}

static int resume_set_default(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	int d = is_default(c, user_id, id);
	if (d < 0 || d == 1)
		return sq_tx_end(c, d < 0 ? d : 0);
	rc = clear_default(c, user_id);
	sqlite3_stmt *st = rc ? NULL : sq_prepare(c, SQL_SET_DEFAULT);
	if (!rc && !st)
		rc = STORE_ERROR;
	if (!rc) {
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_int64(st, 2, id);
		sqlite3_bind_int64(st, 3, now);
		rc = sq_run_changed(c, st);
	}
	return sq_tx_end(c, rc);
}

static int resume_rename(struct store *s, int64_t user_id, int64_t id, const char *name, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_RENAME) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	sq_bind_text(st, 3, name);
	sqlite3_bind_int64(st, 4, now);
	return sq_run_changed(c, st);
}

static int resume_delete(struct store *s, int64_t user_id, int64_t id)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	int d = is_default(c, user_id, id);
	if (d < 0)
		return sq_tx_end(c, d);
	sqlite3_stmt *st = sq_prepare(c, SQL_DELETE);
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	rc = sq_run_changed(c, st);
	if (!rc && d == 1) {
		sqlite3_stmt *next = sq_prepare(c, SQL_NEWEST_DEFAULT);
		if (!next)
			return sq_tx_end(c, STORE_ERROR);
		sqlite3_bind_int64(next, 1, user_id);
		rc = sq_run(c, next);
	}
	return sq_tx_end(c, rc);
}

static int resume_set_file(struct store *s, int64_t user_id, int64_t id, const char *type, int64_t size,
			   const char *blob_key, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SET_FILE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	sq_bind_text(st, 3, type);
	sqlite3_bind_int64(st, 4, size);
	sq_bind_text(st, 5, blob_key);
	sqlite3_bind_int64(st, 6, now);
	return sq_run_changed(c, st);
}

const struct store_resume_ops sqlite_resume_ops = {
	.insert = resume_insert,
	.get = resume_get,
	.get_default = resume_get_default,
	.list = resume_list,
	.set_default = resume_set_default,
	.rename = resume_rename,
	.delete = resume_delete,
	.set_file = resume_set_file,
};
