/* runs.c — scrape runs: one row per visit of a source (or seed crawl), with
 * its counters and heartbeat. Runs of one source never overlap: the partial
 * unique index scrape_runs_one_running allows one 'running' row per source,
 * so of two processes starting the same source at once, the second's insert
 * waits for the first to commit and then fails as a duplicate (CONFLICT). */
#include "store/postgres/pg.h"

#include <string.h>

#include "store/rows.h"

/* $2..$9 the counters (NULL keeps one), $10 now. */
#define SET_COUNTS \
	"pages = coalesce($2, pages), bytes = coalesce($3, bytes), found = coalesce($4, found), " \
	"new = coalesce($5, new), updated = coalesce($6, updated), closed = coalesce($7, closed), " \
	"errors = coalesce($8, errors), blocked = coalesce($9, blocked), heartbeat_at = $10"

static const char sql_running_of_source[] =
    "SELECT " ROWS_RUN_COLS " FROM scrape_runs WHERE source_id = $1 AND status = 'running'";

static void read_run(struct pg_row *r, void *item)
{
	struct scrape_run *run = item;
	memset(run, 0, sizeof(*run));
	run->id = pg_row_int(r);
	run->source_id = pg_row_int(r);
	run->started_at = pg_row_int(r);
	run->finished_at = pg_row_int(r);
	run->status = pg_row_text(r);
	run->counts.pages = pg_row_int(r);
	run->counts.bytes = pg_row_int(r);
	run->counts.found = pg_row_int(r);
	run->counts.new = pg_row_int(r);
	run->counts.updated = pg_row_int(r);
	run->counts.closed = pg_row_int(r);
	run->counts.errors = pg_row_int(r);
	run->message = pg_row_text(r);
	run->heartbeat_at = pg_row_int(r);
	run->counts.blocked = pg_row_int(r);
	run->owner_host = pg_row_text(r);
	run->owner_pid = pg_row_int(r);
}

/* Appends $2..$9 from counts, or NULLs (keep them) when counts is NULL. */
static void param_counts(struct pg_params *p, const struct run_counts *counts)
{
	if (!counts) {
		for (int i = 0; i < 8; i++)
			pg_param_null(p);
		return;
	}
	const int64_t v[] = { counts->pages,   counts->bytes,  counts->found,  counts->new,
			      counts->updated, counts->closed, counts->errors, counts->blocked };
	for (int i = 0; i < 8; i++)
		pg_param_int(p, v[i]);
}

/* The running run of source_id into *out: 0, or NOTFOUND when none. */
static int running_of(struct pg_conn *c, int64_t source_id, struct arena *a, struct scrape_run *out)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, source_id);
	return pg_get(c, sql_running_of_source, &p, a, sizeof(*out), read_run, out);
}

/* Inside start's transaction: NOTFOUND without the source, CONFLICT (and
 * *out) while a run of it is alive; a quiet one is marked crashed. */
static int clear_the_way(struct pg_conn *c, int64_t source_id, int64_t stale_before, struct arena *a,
			 struct scrape_run *out)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, source_id);
	int64_t one;
	int rc = pg_exec_int(c, "SELECT 1 FROM sources WHERE id = $1", &p, &one);
	if (rc)
		return rc;
	pg_param_int(&p, stale_before);
	pg_param_text(&p, ROWS_CRASHED_MESSAGE);
	rc = pg_exec_done(c,
			  "UPDATE scrape_runs SET status = 'crashed', finished_at = heartbeat_at, message = $3 "
			  "WHERE source_id = $1 AND status = 'running' AND heartbeat_at < $2",
			  &p);
	if (rc)
		return rc;
	rc = running_of(c, source_id, a, out);
	return rc == 0 ? STORE_CONFLICT : rc == STORE_NOTFOUND ? 0 : rc;
}

static int run_start(struct store *s, int64_t source_id, int64_t now, int64_t stale_before, const char *owner_host,
		     int64_t owner_pid, struct arena *a, struct scrape_run *out)
{
	memset(out, 0, sizeof(*out));
	int rc;
	struct pg_conn *c = pg_conn_begin(s, 0, &rc);
	if (!c)
		return rc;
	if (source_id)
		rc = clear_the_way(c, source_id, stale_before, a, out);
	int64_t id = 0;
	if (rc == 0) {
		struct pg_params p = { 0 };
		if (source_id)
			pg_param_int(&p, source_id);
		else
			pg_param_null(&p);
		pg_param_int(&p, now);
		pg_param_text(&p, owner_host);
		pg_param_int(&p, owner_pid);
		rc = pg_exec_int(c,
				 "INSERT INTO scrape_runs(source_id, started_at, status, heartbeat_at, owner_host, "
				 "owner_pid) VALUES ($1, $2, 'running', $2, $3, $4) RETURNING id",
				 &p, &id);
	}
	if (rc == 0 && source_id) {
		struct pg_params p = { 0 };
		pg_param_int(&p, source_id);
		pg_param_int(&p, id);
		rc = pg_exec_done(c, "UPDATE sources SET last_run_id = $2 WHERE id = $1", &p);
	}
	rc = pg_tx_end(c, rc);
	if (rc == STORE_CONFLICT && out->id == 0)
		running_of(c, source_id, a, out); /* lost the race: the winner's run, now committed */
	if (rc == 0)
		*out = rows_started_run(id, source_id, now, owner_host, owner_pid);
	return rc;
}

/* A write of a running run: its counters and heartbeat (and, finishing,
 * its status and message). STALE when it is no longer running. */
static int write_running(struct store *s, const char *sql, int64_t id, const struct run_counts *counts, int64_t now,
			 const char *status, const char *message)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	param_counts(&p, counts);
	pg_param_int(&p, now);
	if (status) {
		pg_param_text(&p, status);
		pg_param_text(&p, message);
	}
	int rc = pg_exec_changed(c, sql, &p);
	return rc == STORE_NOTFOUND ? pg_stale_or_missing(c, "SELECT 1 FROM scrape_runs WHERE id = $1", id) : rc;
}

static int run_progress(struct store *s, int64_t id, const struct run_counts *counts, int64_t now)
{
	return write_running(s, "UPDATE scrape_runs SET " SET_COUNTS " WHERE id = $1 AND status = 'running'", id,
			     counts, now, NULL, NULL);
}

static int run_finish(struct store *s, int64_t id, const char *status, const struct run_counts *counts,
		      const char *message, int64_t now)
{
	return write_running(s,
			     "UPDATE scrape_runs SET " SET_COUNTS ", status = $11, message = $12, finished_at = $10 "
			     "WHERE id = $1 AND status = 'running'",
			     id, counts, now, status, message);
}

static int run_get(struct store *s, int64_t id, struct arena *a, struct scrape_run *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	return pg_get(c, "SELECT " ROWS_RUN_COLS " FROM scrape_runs WHERE id = $1", &p, a, sizeof(*out), read_run, out);
}

static int run_list(struct store *s, int64_t source_id, int64_t limit, struct arena *a, struct scrape_run **out,
		    size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, rows_page_limit(limit));
	if (source_id)
		pg_param_int(&p, source_id);
	void *items;
	int rc =
	    pg_list(c,
		    source_id ? "SELECT " ROWS_RUN_COLS " FROM scrape_runs WHERE source_id = $2 "
				"ORDER BY started_at DESC, id DESC LIMIT $1"
			      : "SELECT " ROWS_RUN_COLS " FROM scrape_runs ORDER BY started_at DESC, id DESC LIMIT $1",
		    &p, a, sizeof(**out), read_run, &items, n);
	if (rc == 0)
		*out = items;
	return rc;
}

static int runs_mark_crashed(struct store *s, int64_t stale_before, int64_t *count)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, stale_before);
	pg_param_text(&p, ROWS_CRASHED_MESSAGE);
	PGresult *res;
	int rc = pg_exec(c,
			 "UPDATE scrape_runs SET status = 'crashed', finished_at = heartbeat_at, message = $2 "
			 "WHERE status = 'running' AND heartbeat_at < $1",
			 &p, &res);
	*count = 0;
	if (rc == 0 && pg_parse_int(PQcmdTuples(res), count))
		rc = STORE_ERROR;
	PQclear(res);
	return rc;
}

static int run_crash(struct store *s, int64_t id, const char *message)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	pg_param_text(&p, message);
	int rc = pg_exec_changed(c,
				 "UPDATE scrape_runs SET status = 'crashed', finished_at = heartbeat_at, message = $2 "
				 "WHERE id = $1 AND status = 'running'",
				 &p);
	return rc == STORE_NOTFOUND ? pg_stale_or_missing(c, "SELECT 1 FROM scrape_runs WHERE id = $1", id) : rc;
}

const struct store_run_ops pg_run_ops = {
	.start = run_start,
	.crash = run_crash,
	.progress = run_progress,
	.finish = run_finish,
	.get = run_get,
	.list = run_list,
	.mark_crashed = runs_mark_crashed,
};
