/* Timeline events of applications. */
#include <string.h>

#include "store/rows.h"
#include "store/sqlite/sqlite.h"

#define EVENT_COLS \
	"id, application_id, version, kind, at, from_status, to_status, title, body, interview_kind, with_whom, " \
	"created_at"

/* EVENT_COLS without the texts people write: analytics reads thousands. */
#define HISTORY_COLS "id, application_id, version, kind, at, from_status, to_status, NULL, NULL, NULL, NULL, created_at"

static const char SQL_EVENT_INSERT[] =
    "INSERT INTO events(user_id, application_id, kind, at, from_status, to_status, title, body, "
    "interview_kind, with_whom, created_at, version) "
    "SELECT ?1, a.id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1 FROM applications a "
    "WHERE a.user_id = ?1 AND a.id = ?2";
static const char SQL_EVENT_LIST[] = "SELECT " EVENT_COLS " FROM events WHERE user_id = ?1 AND application_id = ?2 "
				     "ORDER BY at DESC, id DESC";
static const char SQL_EVENT_GET[] =
    "SELECT " EVENT_COLS " FROM events WHERE user_id = ?1 AND application_id = ?2 AND id = ?3";
static const char SQL_EVENT_UPCOMING[] = "SELECT " EVENT_COLS " FROM events WHERE user_id = ?1 AND "
					 "kind = 'interview' AND at >= ?2 AND at < ?3 ORDER BY at, id LIMIT 100";
static const char SQL_EVENT_HISTORY[] =
    "SELECT " HISTORY_COLS " FROM events WHERE user_id = ?1 AND kind IN ('created', 'status_change', 'interview')";
static const char SQL_EVENT_HISTORY_COUNT[] =
    "SELECT count(*) FROM events WHERE user_id = ?1 AND kind IN ('created', 'status_change', 'interview')";
static const char SQL_EVENT_UPDATE[] =
    "UPDATE events SET kind = ?4, at = ?5, title = ?6, body = ?7, interview_kind = ?8, with_whom = ?9, "
    "version = version + 1 WHERE user_id = ?1 AND application_id = ?2 AND id = ?3 RETURNING version";
static const char SQL_EVENT_DELETE[] = "DELETE FROM events WHERE user_id = ?1 AND application_id = ?2 AND id = ?3";

/* Reads every row of an EVENT_COLS statement into an arena array with room
 * for cap rows to begin with (it grows, by copying, past that). */
static int read_events_cap(struct sq_conn *c, sqlite3_stmt *st, struct arena *a, size_t cap, struct app_event **out,
			   size_t *n)
{
	size_t count = 0;
	cap = cap ? cap : 16;
	struct app_event *items = arena_alloc(a, cap * sizeof(*items));
	int step = SQLITE_DONE;
	while (items && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(items = rows_grow(a, items, count, &cap, sizeof(*items))))
			break;
		struct app_event *e = &items[count++];
		memset(e, 0, sizeof(*e));
		e->id = sqlite3_column_int64(st, 0);
		e->app_id = sqlite3_column_int64(st, 1);
		e->version = sqlite3_column_int64(st, 2);
		e->kind = sq_text(st, 3, a);
		e->at = sqlite3_column_int64(st, 4);
		e->from_status = sq_text(st, 5, a);
		e->to_status = sq_text(st, 6, a);
		e->title = sq_text(st, 7, a);
		e->body = sq_text(st, 8, a);
		e->interview_kind = sq_text(st, 9, a);
		e->with_whom = sq_text(st, 10, a);
		e->created_at = sqlite3_column_int64(st, 11);
	}
	*out = items;
	*n = count;
	return sq_list_end(c, st, step, items);
}

static int read_events(struct sq_conn *c, sqlite3_stmt *st, struct arena *a, struct app_event **out, size_t *n)
{
	return read_events_cap(c, st, a, 16, out, n);
}

static int event_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct app_event **out,
		      size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_EVENT_LIST) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	return read_events(c, st, a, out, n);
}

static int event_get(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id, struct arena *a,
		     struct app_event *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_EVENT_GET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	sqlite3_bind_int64(st, 3, event_id);
	struct app_event *items;
	size_t n;
	int rc = read_events(c, st, a, &items, &n);
	if (rc == 0 && n == 0)
		return STORE_NOTFOUND;
	if (rc == 0)
		*out = items[0];
	return rc;
}

static int event_insert(struct store *s, int64_t user_id, struct app_event *ev, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_EVENT_INSERT) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, ev->app_id);
	sq_bind_text(st, 3, ev->kind);
	sqlite3_bind_int64(st, 4, ev->at);
	sq_bind_text(st, 5, ev->from_status);
	sq_bind_text(st, 6, ev->to_status);
	sq_bind_text(st, 7, ev->title ? ev->title : "");
	sq_bind_text(st, 8, ev->body ? ev->body : "");
	sq_bind_text(st, 9, ev->interview_kind ? ev->interview_kind : "");
	sq_bind_text(st, 10, ev->with_whom ? ev->with_whom : "");
	sqlite3_bind_int64(st, 11, now);
	/* The insert selects from the user's application: no row, no event. */
	int rc = sq_run_changed(c, st);
	if (rc == 0) {
		ev->id = sqlite3_last_insert_rowid(c->db);
		ev->version = 1;
		ev->created_at = now;
	}
	return rc;
}

static int event_update(struct store *s, int64_t user_id, struct app_event *ev)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_EVENT_UPDATE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, ev->app_id);
	sqlite3_bind_int64(st, 3, ev->id);
	sq_bind_text(st, 4, ev->kind);
	sqlite3_bind_int64(st, 5, ev->at);
	sq_bind_text(st, 6, ev->title ? ev->title : "");
	sq_bind_text(st, 7, ev->body ? ev->body : "");
	sq_bind_text(st, 8, ev->interview_kind ? ev->interview_kind : "");
	sq_bind_text(st, 9, ev->with_whom ? ev->with_whom : "");
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		ev->version = sqlite3_column_int64(st, 0);
	sq_finish(st);
	return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
}

static int event_delete(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_EVENT_DELETE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	sqlite3_bind_int64(st, 3, event_id);
	return sq_run_changed(c, st);
}

static int interviews_between(struct store *s, int64_t user_id, int64_t from, int64_t to, struct arena *a,
			      struct app_event **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_EVENT_UPCOMING) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	return read_events(c, st, a, out, n);
}

/* Counted first (from the index alone, a few ms for 20,000 rows), so the
 * rows go straight into one array: growing it by doubling copied megabytes
 * into fresh pages on every request. */
static int history(struct store *s, int64_t user_id, struct arena *a, struct app_event **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *cnt = c ? sq_prepare(c, SQL_EVENT_HISTORY_COUNT) : NULL;
	if (!cnt)
		return STORE_ERROR;
	sqlite3_bind_int64(cnt, 1, user_id);
	int step = sqlite3_step(cnt);
	int64_t rows = step == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : 0;
	sq_finish(cnt);
	if (step != SQLITE_ROW)
		return sq_error(c, step);
	sqlite3_stmt *st = sq_prepare(c, SQL_EVENT_HISTORY);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	/* A row or two written in between only makes the array grow once. */
	return read_events_cap(c, st, a, (size_t)rows + 1, out, n);
}

const struct store_event_ops sqlite_event_ops = {
	.list = event_list,
	.get = event_get,
	.insert = event_insert,
	.update = event_update,
	.delete = event_delete,
	.interviews_between = interviews_between,
	.history = history,
};
