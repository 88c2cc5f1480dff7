/* Applications and their tags. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/listcache.h"
#include "store/rows.h"
#include "store/sqlite/sqlite.h"

/* Tags come back with the row: tag_list, the store's copy of the tag rows
 * joined by STORE_TAG_SEP in their order. The linked posting's closed_at
 * comes by a join (APP_FROM): a subquery per row opened a cursor on
 * postings for every row, linked or not. */
#define APP_COLS \
	"a.id, a.version, a.company, a.position, a.location, a.url, a.source, a.salary_min, a.salary_max, " \
	"a.salary_currency, a.salary_period, a.status, a.priority, a.tag_list, " \
	"a.saved_on, a.applied_on, a.follow_up_on, a.notes, a.created_at, a.updated_at, a.status_changed_at, " \
	"a.posting_id, p.closed_at"
#define APP_FROM " FROM applications a LEFT JOIN postings p ON p.id = a.posting_id"

static const char SQL_APP_GET[] = "SELECT " APP_COLS APP_FROM " WHERE a.user_id = ?1 AND a.id = ?2";
static const char SQL_APP_BY_POSTING[] =
    "SELECT " APP_COLS APP_FROM " WHERE a.user_id = ?1 AND a.posting_id = ?2 ORDER BY a.id LIMIT 1";
/* ?2..?16 the fields in bind_fields' order, ?17 now. */
static const char SQL_APP_INSERT[] =
    "INSERT INTO applications(user_id, company, position, location, url, source, salary_min, salary_max, "
    "salary_currency, salary_period, status, priority, saved_on, applied_on, follow_up_on, notes, created_at, "
    "updated_at, status_changed_at, version, tag_list, posting_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17, ?17, 1, ?18, ?19)";
/* ?17 now, ?18 status_changed_at, ?19 the field mask (enum app_field_bit), ?20 id. */
static const char SQL_APP_UPDATE[] = "UPDATE applications SET "
				     "company = CASE WHEN ?19 & 1 THEN ?2 ELSE company END, "
				     "position = CASE WHEN ?19 & 2 THEN ?3 ELSE position END, "
				     "location = CASE WHEN ?19 & 4 THEN ?4 ELSE location END, "
				     "url = CASE WHEN ?19 & 8 THEN ?5 ELSE url END, "
				     "source = CASE WHEN ?19 & 16 THEN ?6 ELSE source END, "
				     "salary_min = CASE WHEN ?19 & 32 THEN ?7 ELSE salary_min END, "
				     "salary_max = CASE WHEN ?19 & 64 THEN ?8 ELSE salary_max END, "
				     "salary_currency = CASE WHEN ?19 & 128 THEN ?9 ELSE salary_currency END, "
				     "salary_period = CASE WHEN ?19 & 256 THEN ?10 ELSE salary_period END, "
				     "status = CASE WHEN ?19 & 512 THEN ?11 ELSE status END, "
				     "status_changed_at = CASE WHEN ?19 & 512 THEN ?18 ELSE status_changed_at END, "
				     "priority = CASE WHEN ?19 & 1024 THEN ?12 ELSE priority END, "
				     "saved_on = CASE WHEN ?19 & 4096 THEN ?13 ELSE saved_on END, "
				     "applied_on = CASE WHEN ?19 & 8192 THEN ?14 ELSE applied_on END, "
				     "follow_up_on = CASE WHEN ?19 & 16384 THEN ?15 ELSE follow_up_on END, "
				     "notes = CASE WHEN ?19 & 32768 THEN ?16 ELSE notes END, "
				     "updated_at = ?17, version = version + 1 "
				     "WHERE user_id = ?1 AND id = ?20 RETURNING version";
static const char SQL_APP_TOUCH[] = "UPDATE applications SET updated_at = ?3, version = version + 1 "
				    "WHERE user_id = ?1 AND id = ?2";
static const char SQL_APP_SET_POSTING[] = "UPDATE applications SET posting_id = ?3, updated_at = ?4, "
					  "version = version + 1 WHERE user_id = ?1 AND id = ?2";
static const char SQL_POSTING_EXISTS[] = "SELECT 1 FROM postings WHERE id = ?1";
static const char SQL_APP_DELETE[] = "DELETE FROM applications WHERE user_id = ?1 AND id = ?2";
static const char SQL_APP_BRIEF[] =
    "SELECT id, status, source, applied_on, created_at FROM applications WHERE user_id = ?1 ORDER BY id";
static const char SQL_APP_COUNT_STATUS[] =
    "SELECT status, count(*) FROM applications WHERE user_id = ?1 GROUP BY status";
static const char SQL_TAGS_CLEAR[] = "DELETE FROM application_tags WHERE application_id = ?1";
static const char SQL_TAG_LIST_SET[] = "UPDATE applications SET tag_list = ?2 WHERE id = ?1";
static const char SQL_TAG_INSERT[] =
    "INSERT INTO application_tags(application_id, position, tag, tag_key) VALUES (?1, ?2, ?3, ?4)";

_Static_assert(APP_F_COMPANY == 1 && APP_F_STATUS == 512 && APP_F_PRIORITY == 1024 && APP_F_NOTES == 32768,
	       "SQL_APP_UPDATE spells the field bits out");

static void read_app(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct application *app = item;
	memset(app, 0, sizeof(*app));
	app->id = sqlite3_column_int64(st, 0);
	app->version = sqlite3_column_int64(st, 1);
	app->company = sq_text(st, 2, a);
	app->position = sq_text(st, 3, a);
	app->location = sq_text(st, 4, a);
	app->url = sq_text(st, 5, a);
	app->source = sq_text(st, 6, a);
	app->has_salary_min = sqlite3_column_type(st, 7) != SQLITE_NULL;
	app->salary_min = sqlite3_column_int64(st, 7);
	app->has_salary_max = sqlite3_column_type(st, 8) != SQLITE_NULL;
	app->salary_max = sqlite3_column_int64(st, 8);
	app->salary_currency = sq_text(st, 9, a);
	app->salary_period = sq_text(st, 10, a);
	app->status = sq_text(st, 11, a);
	app->priority = sqlite3_column_int(st, 12);
	rows_tags_split((const char *)sqlite3_column_text(st, 13), (size_t)sqlite3_column_bytes(st, 13), a, &app->tags,
			&app->n_tags);
	app->saved_on = sq_text(st, 14, a);
	app->applied_on = sq_text(st, 15, a);
	app->follow_up_on = sq_text(st, 16, a);
	app->notes = sq_text(st, 17, a);
	app->created_at = sqlite3_column_int64(st, 18);
	app->updated_at = sqlite3_column_int64(st, 19);
	app->status_changed_at = sqlite3_column_int64(st, 20);
	app->posting_id = sqlite3_column_int64(st, 21);
	app->posting_closed_at = sqlite3_column_int64(st, 22);
}

static void bind_int_or_null(sqlite3_stmt *st, int i, int has, int64_t v)
{
	if (has)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* Binds ?2..?16 in the column order SQL_APP_INSERT and SQL_APP_UPDATE share. */
static void bind_fields(sqlite3_stmt *st, const struct application *app)
{
	sq_bind_text(st, 2, app->company); /* NULL fails NOT NULL, as it should */
	sq_bind_text(st, 3, app->position);
	sq_bind_text(st, 4, app->location ? app->location : "");
	sq_bind_text(st, 5, app->url ? app->url : "");
	sq_bind_text(st, 6, app->source ? app->source : "");
	bind_int_or_null(st, 7, app->has_salary_min, app->salary_min);
	bind_int_or_null(st, 8, app->has_salary_max, app->salary_max);
	sq_bind_text(st, 9, app->salary_currency ? app->salary_currency : "");
	sq_bind_text(st, 10, app->salary_period ? app->salary_period : "");
	sq_bind_text(st, 11, app->status);
	sqlite3_bind_int(st, 12, app->priority);
	sq_bind_text(st, 13, app->saved_on);
	sq_bind_text(st, 14, app->applied_on);
	sq_bind_text(st, 15, app->follow_up_on);
	sq_bind_text(st, 16, app->notes ? app->notes : "");
}

/* Replaces the application's tags with app's, in order; inside a transaction. */
/* Inserts app's tag rows; fresh says the application has none yet (just
 * inserted, tag_list written with it), else they and tag_list are replaced. */
static int write_tags(struct sq_conn *c, const struct application *app, int fresh)
{
	sqlite3_stmt *ins = sq_prepare(c, SQL_TAG_INSERT);
	if (!ins)
		return STORE_ERROR;
	int rc = 0;
	if (!fresh) {
		sqlite3_stmt *list = sq_prepare(c, SQL_TAG_LIST_SET);
		sqlite3_stmt *clear = sq_prepare(c, SQL_TAGS_CLEAR);
		struct buf joined;
		buf_init(&joined, 1 << 16);
		if (!list || !clear || rows_tags_join(app->tags, app->n_tags, &joined)) {
			buf_free(&joined);
			return STORE_ERROR;
		}
		sqlite3_bind_int64(list, 1, app->id);
		sqlite3_bind_text(list, 2, joined.data, (int)joined.len, SQLITE_STATIC);
		rc = sq_run(c, list);
		buf_free(&joined);
		sqlite3_bind_int64(clear, 1, app->id);
		if (rc == 0)
			rc = sq_run(c, clear);
	}
	for (size_t i = 0; rc == 0 && i < app->n_tags; i++) {
		char key[256];
		rows_tag_key(app->tags[i], key, sizeof(key));
		sqlite3_bind_int64(ins, 1, app->id);
		sqlite3_bind_int64(ins, 2, (int64_t)i);
		sq_bind_text(ins, 3, app->tags[i]);
		sq_bind_text(ins, 4, key);
		rc = sq_run(c, ins);
	}
	return rc;
}

/* STORE_NOTFOUND unless posting_id is 0 or a posting's. */
static int check_posting(struct sq_conn *c, int64_t posting_id)
{
	int found = posting_id ? sq_row_exists(c, SQL_POSTING_EXISTS, posting_id) : 1;
	return found == 1 ? 0 : found == 0 ? STORE_NOTFOUND : found;
}

static int app_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct application *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_APP_GET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_app(st, a, out);
	sq_finish(st);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, rc);
}

static int app_by_posting(struct store *s, int64_t user_id, int64_t posting_id, struct arena *a,
			  struct application *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_APP_BY_POSTING) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, posting_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_app(st, a, out);
	sq_finish(st);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, rc);
}

static int app_insert(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_APP_INSERT) : NULL;
	if (!st)
		return STORE_ERROR;
	struct buf joined;
	buf_init(&joined, 1 << 16);
	if (rows_tags_join(app->tags, app->n_tags, &joined)) {
		buf_free(&joined);
		return STORE_ERROR;
	}
	int rc = sq_tx_begin(c);
	if (rc) {
		buf_free(&joined);
		return rc;
	}
	sqlite3_bind_int64(st, 1, user_id);
	bind_fields(st, app);
	sqlite3_bind_int64(st, 17, now);
	sqlite3_bind_text(st, 18, joined.data, (int)joined.len, SQLITE_STATIC);
	bind_int_or_null(st, 19, app->posting_id != 0, app->posting_id);
	rc = check_posting(c, app->posting_id);
	if (rc == 0)
		rc = sq_run(c, st);
	else
		sq_finish(st);
	buf_free(&joined);
	if (rc == 0) {
		app->id = sqlite3_last_insert_rowid(c->db);
		app->version = 1;
		app->created_at = app->updated_at = app->status_changed_at = now;
		rc = write_tags(c, app, 1);
	}
	rc = sq_tx_end(c, rc);
	if (rc)
		app->id = 0;
	return rc;
}

/* The row and its "created" entry in one transaction: the entry is
 * written by the timeline's own insert, so both backends' entries agree. */
static int app_create(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	int rc = c ? sq_tx_begin(c) : STORE_ERROR;
	if (rc)
		return rc;
	rc = app_insert(s, user_id, app, now);
	struct app_event created = { .app_id = app->id, .kind = "created", .at = now, .to_status = app->status };
	if (rc == 0)
		rc = sqlite_event_ops.insert(s, user_id, &created, now);
	rc = sq_tx_end(c, rc);
	if (rc)
		app->id = 0; /* rolled back: no such row */
	return rc;
}

static int app_update(struct store *s, int64_t user_id, struct application *app, unsigned fields, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_APP_UPDATE) : NULL;
	if (!st)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, user_id);
	bind_fields(st, app);
	sqlite3_bind_int64(st, 17, now);
	sqlite3_bind_int64(st, 18, app->status_changed_at);
	sqlite3_bind_int64(st, 19, (int64_t)fields);
	sqlite3_bind_int64(st, 20, app->id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		app->version = sqlite3_column_int64(st, 0);
		app->updated_at = now;
	}
	sq_finish(st);
	rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
	if (rc == 0 && (fields & APP_F_TAGS))
		rc = write_tags(c, app, 0);
	return sq_tx_end(c, rc);
}

static int app_touch(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_APP_TOUCH) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, now);
	return sq_run_changed(c, st);
}

static int app_restore_times(struct store *s, int64_t user_id, enum store_restore_kind kind, int64_t id,
			     int64_t updated_at, int64_t status_changed_at)
{
	/* Written apart: one literal per element (clang warns of concatenation in an initialiser). */
	static const char app_sql[] = "UPDATE applications SET updated_at = ?3, status_changed_at = ?4 "
				      "WHERE user_id = ?1 AND id = ?2";
	static const char *const sql[] = {
		[STORE_RESTORE_APP] = app_sql,
		[STORE_RESTORE_CONTACT] = "UPDATE contacts SET updated_at = ?3 WHERE user_id = ?1 AND id = ?2",
		[STORE_RESTORE_RESUME] = "UPDATE resumes SET updated_at = ?3 WHERE user_id = ?1 AND id = ?2",
		[STORE_RESTORE_SAVED_SEARCH] = "UPDATE saved_searches SET updated_at = ?3, last_looked_at = ?4 "
					       "WHERE user_id = ?1 AND id = ?2",
	};
	if ((unsigned)kind > STORE_RESTORE_SAVED_SEARCH)
		return STORE_ERROR;
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, sql[kind]) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, updated_at);
	if (kind == STORE_RESTORE_APP || kind == STORE_RESTORE_SAVED_SEARCH)
		sqlite3_bind_int64(st, 4, status_changed_at);
	return sq_run_changed(c, st);
}

static int app_set_posting(struct store *s, int64_t user_id, int64_t app_id, int64_t posting_id, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_APP_SET_POSTING) : NULL;
	if (!st)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	rc = check_posting(c, posting_id);
	if (rc == 0) {
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_int64(st, 2, app_id);
		bind_int_or_null(st, 3, posting_id != 0, posting_id);
		sqlite3_bind_int64(st, 4, now);
		rc = sq_run_changed(c, st);
	}
	return sq_tx_end(c, rc);
}

static int app_delete(struct store *s, int64_t user_id, int64_t id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_APP_DELETE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	return sq_run_changed(c, st);
}

static int app_count_by_status(struct store *s, int64_t user_id, const char *const *statuses, size_t n_statuses,
			       int64_t *counts)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_APP_COUNT_STATUS) : NULL;
	if (!st)
		return STORE_ERROR;
	memset(counts, 0, n_statuses * sizeof(*counts));
	sqlite3_bind_int64(st, 1, user_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		for (size_t i = 0; i < n_statuses; i++)
			if (status && strcmp(status, statuses[i]) == 0)
				counts[i] = sqlite3_column_int64(st, 1);
	}
	sq_finish(st);
	return sq_error(c, rc);
}

static void read_brief(sqlite3_stmt *st, struct arena *a, void *item)
{
	struct application *app = item;
	memset(app, 0, sizeof(*app));
	app->id = sqlite3_column_int64(st, 0);
	app->status = sq_text(st, 1, a);
	app->source = sq_text(st, 2, a);
	app->applied_on = sq_text(st, 3, a);
	app->created_at = sqlite3_column_int64(st, 4);
}

static int app_brief(struct store *s, int64_t user_id, struct arena *a, struct application **out, size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_APP_BRIEF) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	void *items = NULL;
	int rc = sq_list(c, st, a, sizeof(**out), INT64_MAX, read_brief, &items, n, NULL);
	*out = items;
	return rc;
}

/* ---- listing ------------------------------------------------------------- */

/* Which filters a listing has: each combination, with each sort, is its own
 * statement, built once per process (the statement cache keys on the text's
 * address) and prepared once per connection. */
enum { F_STATUS = 1, F_TAG = 2, F_TEXT = 4, N_MASKS = 8 };

static const char *const sort_sql[APP_SORT_COUNT] = {
	[APP_SORT_UPDATED_DESC] = "a.updated_at DESC, a.id DESC",
	[APP_SORT_UPDATED_ASC] = "a.updated_at ASC, a.id ASC",
	[APP_SORT_CREATED_DESC] = "a.created_at DESC, a.id DESC",
	[APP_SORT_CREATED_ASC] = "a.created_at ASC, a.id ASC",
	[APP_SORT_COMPANY_ASC] = "a.company COLLATE NOCASE ASC, a.id ASC",
	[APP_SORT_COMPANY_DESC] = "a.company COLLATE NOCASE DESC, a.id DESC",
	[APP_SORT_PRIORITY_DESC] = "a.priority DESC, a.updated_at DESC, a.id DESC",
	[APP_SORT_PRIORITY_ASC] = "a.priority ASC, a.updated_at DESC, a.id DESC",
	[APP_SORT_APPLIED_DESC] = "a.applied_on IS NULL, a.applied_on DESC, a.id DESC",
	[APP_SORT_APPLIED_ASC] = "a.applied_on IS NULL, a.applied_on ASC, a.id ASC",
};

static char *list_sql[N_MASKS][APP_SORT_COUNT];
static char *count_sql[N_MASKS];
static int list_sql_failed;

/* Parameters are fixed: ?1 user, ?2 status, ?3 tag key, ?4 LIKE pattern,
 * ?5 limit, ?6 offset. */
static void list_where(struct buf *b, unsigned mask, int rows)
{
	buf_puts(b, rows ? APP_FROM : " FROM applications a");
	buf_puts(b, " WHERE a.user_id = ?1");
	if (mask & F_STATUS)
		buf_puts(b, " AND a.status = ?2");
	if (mask & F_TAG)
		buf_puts(b, " AND EXISTS (SELECT 1 FROM application_tags t WHERE t.application_id = a.id "
			    "AND t.tag_key = ?3)");
	if (mask & F_TEXT)
		buf_puts(b, " AND (a.company LIKE ?4 ESCAPE '\\' OR a.position LIKE ?4 ESCAPE '\\' "
			    "OR a.location LIKE ?4 ESCAPE '\\' OR a.notes LIKE ?4 ESCAPE '\\')");
}

static char *build_sql(unsigned mask, int sort)
{
	struct buf b;
	buf_init(&b, 8192);
	buf_puts(&b, sort < 0 ? "SELECT count(*)" : "SELECT " APP_COLS);
	list_where(&b, mask, sort >= 0);
	if (sort >= 0) {
		buf_puts(&b, " ORDER BY ");
		buf_puts(&b, sort_sql[sort]);
		buf_puts(&b, " LIMIT ?5 OFFSET ?6");
	}
	if (buf_failed(&b)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static void build_list_sql(void)
{
	for (unsigned m = 0; m < N_MASKS; m++) {
		for (int s = 0; s < APP_SORT_COUNT; s++)
			if (!(list_sql[m][s] = build_sql(m, s)))
				list_sql_failed = 1;
		if (!(count_sql[m] = build_sql(m, -1)))
			list_sql_failed = 1;
	}
}

static void bind_filter(sqlite3_stmt *st, int64_t user_id, const struct app_filter *f, unsigned mask,
			const char *tag_key, const struct buf *like)
{
	sqlite3_bind_int64(st, 1, user_id);
	if (mask & F_STATUS)
		sq_bind_text(st, 2, f->status);
	if (mask & F_TAG)
		sq_bind_text(st, 3, tag_key);
	if (mask & F_TEXT)
		sqlite3_bind_text(st, 4, like->data, (int)like->len, SQLITE_STATIC);
}

static int count_matches(struct sq_conn *c, unsigned mask, int64_t user_id, const struct app_filter *f,
			 const char *tag_key, const struct buf *like, int64_t *total)
{
	sqlite3_stmt *cnt = sq_prepare(c, count_sql[mask]);
	if (!cnt)
		return STORE_ERROR;
	bind_filter(cnt, user_id, f, mask, tag_key, like);
	int step = sqlite3_step(cnt);
	if (step == SQLITE_ROW)
		*total = sqlite3_column_int64(cnt, 0);
	sq_finish(cnt);
	return sq_error(c, step);
}

/* The user's data_version now; -1 when there is no such user or the read
 * failed (then nothing is remembered or answered from memory). */
static const char SQL_DATA_VERSION[] = "SELECT data_version FROM users WHERE id = ?1";

static int64_t data_version_of(struct sq_conn *c, int64_t user_id)
{
	sqlite3_stmt *st = sq_prepare(c, SQL_DATA_VERSION);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sq_finish(st);
	return v;
}

static int app_list(struct store *s, int64_t user_id, const struct app_filter *f, struct arena *a,
		    struct application **out, size_t *n, int64_t *total)
{
	static pthread_once_t built = PTHREAD_ONCE_INIT;
	pthread_once(&built, build_list_sql);
	struct sq_conn *c = sq_conn(s);
	if (!c || list_sql_failed)
		return STORE_ERROR;
	/* A remembered page answers while the data_version it was read at is
	 * still the user's (one indexed read instead of the page's rows); not
	 * inside a transaction (see store/listcache.h). */
	struct list_cache *lists = c->tx_depth == 0 ? c->owner->lists : NULL;
	int64_t version = lists ? data_version_of(c, user_id) : -1;
	if (version >= 0 && list_cache_get(lists, user_id, version, f, a, out, n, total))
		return 0;
	unsigned mask = (f->status ? F_STATUS : 0u) | (f->tag ? F_TAG : 0u) | (f->q && *f->q ? F_TEXT : 0u);
	enum app_sort sort = f->sort < APP_SORT_COUNT ? f->sort : APP_SORT_UPDATED_DESC;
	char tag_key[256] = "";
	if (f->tag)
		rows_tag_key(f->tag, tag_key, sizeof(tag_key));
	struct buf like;
	buf_init(&like, 4096);
	if ((mask & F_TEXT) && rows_like_pattern(f->q, &like)) {
		buf_free(&like);
		return STORE_ERROR;
	}
	sqlite3_stmt *st = sq_prepare(c, list_sql[mask][sort]);
	if (!st) {
		buf_free(&like);
		return STORE_ERROR;
	}
	int64_t limit = rows_list_limit(f);
	bind_filter(st, user_id, f, mask, tag_key, &like);
	/* One row past the page tells whether a count query is needed at all:
	 * most users' lists fit on one page, and then the rows are the total. */
	sqlite3_bind_int64(st, 5, limit + 1);
	sqlite3_bind_int64(st, 6, f->offset);
	void *items;
	size_t count;
	int more;
	int rc = sq_list(c, st, a, sizeof(struct application), limit, read_app, &items, &count, &more);
	*total = f->offset + (int64_t)count;
	int counted = rc == 0 && (more || (count == 0 && f->offset > 0));
	if (counted)
		rc = count_matches(c, mask, user_id, f, tag_key, &like, total);
	buf_free(&like);
	/* The rows were read between two reads of the data_version: when both
	 * give the same number nothing was committed in between (every write
	 * moves it, and it never moves back), so the rows are that version's. */
	if (rc == 0 && version >= 0 && count > 0 && !counted && data_version_of(c, user_id) == version)
		list_cache_put(lists, user_id, version, f, items, count, *total);
	*out = items;
	*n = count;
	return rc;
}

const struct store_app_ops sqlite_app_ops = {
	.list = app_list,
	.get = app_get,
	.insert = app_insert,
	.create = app_create,
	.update = app_update,
	.touch = app_touch,
	.restore_times = app_restore_times,
	.delete = app_delete,
	.count_by_status = app_count_by_status,
	.brief = app_brief,
	.set_posting = app_set_posting,
	.by_posting = app_by_posting,
};
