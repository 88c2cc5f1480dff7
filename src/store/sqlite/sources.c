/* Configured sources: the boards and sites administrators have the scraper
 * visit. Instance-wide rows. */
#include <string.h>

#include "store/rows.h"
#include "store/sqlite/sqlite.h"

static const char SQL_INSERT[] =
    "INSERT INTO sources(name, kind, target, config, schedule, enabled, created_at, updated_at, version, "
    "blocked_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1, 0)";
static const char SQL_GET[] = "SELECT " ROWS_SOURCE_COLS " FROM sources WHERE id = ?1";
static const char SQL_BY_NAME[] = "SELECT " ROWS_SOURCE_COLS " FROM sources WHERE name = ?1";
static const char SQL_LIST[] = "SELECT " ROWS_SOURCE_COLS " FROM sources ORDER BY name, id";
/* ?8 now, ?9 the expected version (0: any), ?10 the id. */
static const char SQL_UPDATE[] =
    "UPDATE sources SET name = ?1, kind = ?2, target = ?3, config = ?4, schedule = ?5, enabled = ?6, "
    "updated_at = ?8, version = version + 1 WHERE id = ?10 AND (?9 = 0 OR version = ?9) RETURNING version";
static const char SQL_DELETE[] = "DELETE FROM sources WHERE id = ?1 AND (?2 = 0 OR version = ?2)";
static const char SQL_EXISTS[] = "SELECT 1 FROM sources WHERE id = ?1";
static const char SQL_SET_BLOCKED[] = "UPDATE sources SET blocked_until = ?2 WHERE id = ?1";

static void read_source(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct scrape_source *src = item;
	memset(src, 0, sizeof(*src));
	int i = 0;
	src->id = sqlite3_column_int64(st, i++);
	src->version = sqlite3_column_int64(st, i++);
	src->name = sq_text(st, i++, a);
	src->kind = sq_text(st, i++, a);
	src->target = sq_text(st, i++, a);
	src->config = sq_text(st, i++, a);
	src->schedule = sq_text(st, i++, a);
	src->enabled = sqlite3_column_int(st, i++);
	src->created_at = sqlite3_column_int64(st, i++);
	src->updated_at = sqlite3_column_int64(st, i++);
	src->blocked_until = sqlite3_column_int64(st, i++);
	src->last_run_id = sqlite3_column_int64(st, i++);
}

/* Binds ?1..?6, the fields an administrator edits. */
static void bind_fields(sqlite3_stmt *st, const struct scrape_source *src)
{
	sq_bind_text(st, 1, src->name); /* NULL fails NOT NULL, as it should */
	sq_bind_text(st, 2, src->kind);
	sq_bind_text(st, 3, src->target ? src->target : "");
	sq_bind_text(st, 4, src->config ? src->config : "{}");
	sq_bind_text(st, 5, src->schedule ? src->schedule : "");
	sqlite3_bind_int(st, 6, src->enabled != 0);
}

static int source_insert(struct store *s, struct scrape_source *src, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_INSERT) : NULL;
	if (!st)
		return STORE_ERROR;
	bind_fields(st, src);
	sqlite3_bind_int64(st, 7, now);
	int rc = sq_run(c, st);
	if (rc == 0) {
		src->id = sqlite3_last_insert_rowid(c->db);
		src->version = 1;
		src->created_at = src->updated_at = now;
		src->blocked_until = src->last_run_id = 0;
	}
	return rc;
}

/* One source by the statement's ?1 (an id or a name). */
static int source_one(struct store *s, const char *sql, int64_t id, const char *name, struct arena *a,
		      struct scrape_source *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	if (name)
		sq_bind_text(st, 1, name);
	else
		sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		read_source(st, a, out);
	sq_finish(st);
	return step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
}

static int source_get(struct store *s, int64_t id, struct arena *a, struct scrape_source *out)
{
	return source_one(s, SQL_GET, id, NULL, a, out);
}

static int source_by_name(struct store *s, const char *name, struct arena *a, struct scrape_source *out)
{
	return source_one(s, SQL_BY_NAME, 0, name, a, out);
}

static int source_list(struct store *s, struct arena *a, struct scrape_source **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_LIST) : NULL;
	if (!st)
		return STORE_ERROR;
	void *items;
	int rc = sq_list(c, st, a, sizeof(**out), STORE_LIST_MAX, read_source, &items, n, NULL);
	*out = items;
	return rc;
}

static int source_update(struct store *s, struct scrape_source *src, int64_t expected_version, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_UPDATE) : NULL;
	if (!st)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	bind_fields(st, src);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, expected_version);
	sqlite3_bind_int64(st, 10, src->id);
	int step = sqlite3_step(st);
	int64_t version = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq_finish(st);
	rc = step == SQLITE_ROW    ? 0
	     : step == SQLITE_DONE ? sq_stale_or_missing(c, SQL_EXISTS, src->id)
				   : sq_error(c, step);
	rc = sq_tx_end(c, rc);
	if (rc == 0) {
		src->version = version;
		src->updated_at = now;
	}
	return rc;
}

static int source_delete(struct store *s, int64_t id, int64_t expected_version)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_DELETE) : NULL;
	if (!st)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, expected_version);
	rc = sq_run_changed(c, st);
	if (rc == STORE_NOTFOUND)
		rc = sq_stale_or_missing(c, SQL_EXISTS, id);
	return sq_tx_end(c, rc);
}

static int source_set_blocked(struct store *s, int64_t id, int64_t blocked_until)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_SET_BLOCKED) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, blocked_until);
	return sq_run_changed(c, st);
}

const struct store_source_ops sqlite_source_ops = {
	.insert = source_insert,
	.get = source_get,
	.by_name = source_by_name,
	.list = source_list,
	.update = source_update,
	.delete = source_delete,
	.set_blocked = source_set_blocked,
};
