/* Scrape runs: one row per visit of a source (or seed crawl), with its
 * counters and heartbeat. Runs of one source never overlap: the partial
 * unique index scrape_runs_one_running allows one 'running' row per source,
 * and a start that finds one whose heartbeat went quiet marks it crashed. */
#include <string.h>

#include "store/rows.h"
#include "store/sqlite/sqlite.h"

static const char SQL_SOURCE_EXISTS[] = "SELECT 1 FROM sources WHERE id = ?1";
static const char SQL_CRASH_STALE_OF_SOURCE[] =
    "UPDATE scrape_runs SET status = 'crashed', finished_at = heartbeat_at, message = ?3 "
    "WHERE source_id = ?1 AND status = 'running' AND heartbeat_at < ?2";
static const char SQL_RUNNING_OF_SOURCE[] =
    "SELECT " ROWS_RUN_COLS " FROM scrape_runs WHERE source_id = ?1 AND status = 'running'";
static const char SQL_INSERT[] = "INSERT INTO scrape_runs(source_id, started_at, status, heartbeat_at, owner_host, "
				 "owner_pid) VALUES (?1, ?2, 'running', ?2, ?3, ?4)";
static const char SQL_CRASH_ONE[] = "UPDATE scrape_runs SET status = 'crashed', finished_at = heartbeat_at, "
				    "message = ?2 WHERE id = ?1 AND status = 'running'";
static const char SQL_SOURCE_LAST_RUN[] = "UPDATE sources SET last_run_id = ?2 WHERE id = ?1";
/* ?2..?9 the counters (NULL keeps one), ?10 now. */
#define SET_COUNTS \
	"pages = coalesce(?2, pages), bytes = coalesce(?3, bytes), found = coalesce(?4, found), " \
	"new = coalesce(?5, new), updated = coalesce(?6, updated), closed = coalesce(?7, closed), " \
	"errors = coalesce(?8, errors), blocked = coalesce(?9, blocked), heartbeat_at = ?10"
static const char SQL_PROGRESS[] = "UPDATE scrape_runs SET " SET_COUNTS " WHERE id = ?1 AND status = 'running'";
static const char SQL_FINISH[] = "UPDATE scrape_runs SET " SET_COUNTS ", status = ?11, message = ?12, "
				 "finished_at = ?10 WHERE id = ?1 AND status = 'running'";
static const char SQL_EXISTS[] = "SELECT 1 FROM scrape_runs WHERE id = ?1";
static const char SQL_GET[] = "SELECT " ROWS_RUN_COLS " FROM scrape_runs WHERE id = ?1";
static const char SQL_LIST_SOURCE[] = "SELECT " ROWS_RUN_COLS " FROM scrape_runs WHERE source_id = ?1 "
				      "ORDER BY started_at DESC, id DESC LIMIT ?2";
/* ?1 (the source) is left out: bound, unused. */
static const char SQL_LIST_ALL[] =
    "SELECT " ROWS_RUN_COLS " FROM scrape_runs ORDER BY started_at DESC, id DESC LIMIT ?2";
static const char SQL_CRASH_STALE[] =
    "UPDATE scrape_runs SET status = 'crashed', finished_at = heartbeat_at, message = ?2 "
    "WHERE status = 'running' AND heartbeat_at < ?1";

static void read_run(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct scrape_run *r = item;
	memset(r, 0, sizeof(*r));
	int i = 0;
	r->id = sqlite3_column_int64(st, i++);
	r->source_id = sqlite3_column_int64(st, i++);
	r->started_at = sqlite3_column_int64(st, i++);
	r->finished_at = sqlite3_column_int64(st, i++);
	r->status = sq_text(st, i++, a);
	r->counts.pages = sqlite3_column_int64(st, i++);
	r->counts.bytes = sqlite3_column_int64(st, i++);
	r->counts.found = sqlite3_column_int64(st, i++);
	r->counts.new = sqlite3_column_int64(st, i++);
	r->counts.updated = sqlite3_column_int64(st, i++);
	r->counts.closed = sqlite3_column_int64(st, i++);
	r->counts.errors = sqlite3_column_int64(st, i++);
	r->message = sq_text(st, i++, a);
	r->heartbeat_at = sqlite3_column_int64(st, i++);
	r->counts.blocked = sqlite3_column_int64(st, i++);
	r->owner_host = sq_text(st, i++, a);
	r->owner_pid = sqlite3_column_int64(st, i++);
}

/* Binds ?2..?9 from counts, or NULLs (keep them) when counts is NULL. */
static void bind_counts(sqlite3_stmt *st, const struct run_counts *counts)
{
	if (!counts) {
		for (int i = 2; i <= 9; i++)
			sqlite3_bind_null(st, i);
		return;
	}
	const int64_t v[] = { counts->pages,   counts->bytes,  counts->found,  counts->new,
			      counts->updated, counts->closed, counts->errors, counts->blocked };
	for (int i = 0; i < 8; i++)
		sqlite3_bind_int64(st, 2 + i, v[i]);
}

/* One row by id (?1) into out; NOTFOUND when there is none. */
static int run_one(struct sq_conn *c, const char *sql, int64_t id, struct arena *a, struct scrape_run *out)
{
	sqlite3_stmt *st = sq_prepare(c, sql);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		read_run(st, a, out);
	sq_finish(st);
	return step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
}

/* Inside start's transaction: NOTFOUND without the source, CONFLICT (and
 * *out) while a run of it is alive; a quiet one is marked crashed. */
static int clear_the_way(struct sq_conn *c, int64_t source_id, int64_t stale_before, struct arena *a,
			 struct scrape_run *out)
{
	int found = sq_row_exists(c, SQL_SOURCE_EXISTS, source_id);
	if (found != 1)
		return found == 0 ? STORE_NOTFOUND : found;
	sqlite3_stmt *crash = sq_prepare(c, SQL_CRASH_STALE_OF_SOURCE);
	if (!crash)
		return STORE_ERROR;
	sqlite3_bind_int64(crash, 1, source_id);
	sqlite3_bind_int64(crash, 2, stale_before);
	sq_bind_text(crash, 3, ROWS_CRASHED_MESSAGE);
	int rc = sq_run(c, crash);
	if (rc)
		return rc;
	rc = run_one(c, SQL_RUNNING_OF_SOURCE, source_id, a, out);
	return rc == 0 ? STORE_CONFLICT : rc == STORE_NOTFOUND ? 0 : rc;
}

static int run_start(struct store *s, int64_t source_id, int64_t now, int64_t stale_before, const char *owner_host,
		     int64_t owner_pid, struct arena *a, struct scrape_run *out)
{
	memset(out, 0, sizeof(*out));
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *ins = c ? sq_prepare(c, SQL_INSERT) : NULL;
	sqlite3_stmt *last = c ? sq_prepare(c, SQL_SOURCE_LAST_RUN) : NULL;
	if (!ins || !last)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	if (source_id)
		rc = clear_the_way(c, source_id, stale_before, a, out);
	if (rc == 0) {
		if (source_id)
			sqlite3_bind_int64(ins, 1, source_id);
		else
			sqlite3_bind_null(ins, 1);
		sqlite3_bind_int64(ins, 2, now);
		sq_bind_text(ins, 3, owner_host);
		sqlite3_bind_int64(ins, 4, owner_pid);
		rc = sq_run(c, ins);
	}
	int64_t id = rc == 0 ? sqlite3_last_insert_rowid(c->db) : 0;
	if (rc == 0 && source_id) {
		sqlite3_bind_int64(last, 1, source_id);
		sqlite3_bind_int64(last, 2, id);
		rc = sq_run(c, last);
	}
	rc = sq_tx_end(c, rc);
	if (rc == 0)
		*out = rows_started_run(id, source_id, now, owner_host, owner_pid);
	return rc;
}

/* A write of a running run: its counters and heartbeat (and, finishing,
 * its status and message). STALE when it is no longer running. */
static int write_running(struct store *s, const char *sql, int64_t id, const struct run_counts *counts, int64_t now,
			 const char *status, const char *message)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	bind_counts(st, counts);
	sqlite3_bind_int64(st, 10, now);
	if (status) {
		sq_bind_text(st, 11, status);
		sq_bind_text(st, 12, message);
	}
	int rc = sq_run_changed(c, st);
	return rc == STORE_NOTFOUND ? sq_stale_or_missing(c, SQL_EXISTS, id) : rc;
}

static int run_progress(struct store *s, int64_t id, const struct run_counts *counts, int64_t now)
{
	return write_running(s, SQL_PROGRESS, id, counts, now, NULL, NULL);
}

static int run_finish(struct store *s, int64_t id, const char *status, const struct run_counts *counts,
		      const char *message, int64_t now)
{
	return write_running(s, SQL_FINISH, id, counts, now, status, message);
}

static int run_get(struct store *s, int64_t id, struct arena *a, struct scrape_run *out)
{
	struct sq_conn *c = sq_conn(s);
	return c ? run_one(c, SQL_GET, id, a, out) : STORE_ERROR;
}

static int run_list(struct store *s, int64_t source_id, int64_t limit, struct arena *a, struct scrape_run **out,
		    size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, source_id ? SQL_LIST_SOURCE : SQL_LIST_ALL) : NULL;
	if (!st)
		return STORE_ERROR;
	limit = rows_page_limit(limit);
	sqlite3_bind_int64(st, 1, source_id);
	sqlite3_bind_int64(st, 2, limit);
	void *items;
	int rc = sq_list(c, st, a, sizeof(**out), limit, read_run, &items, n, NULL);
	*out = items;
	return rc;
}

static int runs_mark_crashed(struct store *s, int64_t stale_before, int64_t *count)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_CRASH_STALE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, stale_before);
	sq_bind_text(st, 2, ROWS_CRASHED_MESSAGE);
	int rc = sq_run(c, st);
	*count = rc == 0 ? sqlite3_changes(c->db) : 0;
	return rc;
}

static int run_crash(struct store *s, int64_t id, const char *message)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_CRASH_ONE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, message);
	int rc = sq_run_changed(c, st);
	return rc == STORE_NOTFOUND ? sq_stale_or_missing(c, SQL_EXISTS, id) : rc;
}

const struct store_run_ops sqlite_run_ops = {
	.start = run_start,
	.crash = run_crash,
	.progress = run_progress,
	.finish = run_finish,
	.get = run_get,
	.list = run_list,
	.mark_crashed = runs_mark_crashed,
};
