/* applications.c — the user's applications and their tags. */
#include "store/postgres/pg.h"

#include <string.h>

#include "base/buf.h"
#include "store/listcache.h"
#include "store/listdelta.h"
#include "store/rows.h"

/* Tags come with the row: tag_list, the store's copy of the tag rows joined
 * by STORE_TAG_SEP (chr(31)) in their order; NULL when there are none. */
#define APP_COLS \
	"a.id, a.version, a.company, a.position, a.location, a.url, a.source, a.salary_min, a.salary_max, " \
	"a.salary_currency, a.salary_period, a.status, a.priority, NULLIF(a.tag_list, ''), " \
	"a.saved_on, a.applied_on, a.follow_up_on, a.notes, a.created_at, a.updated_at, a.status_changed_at, " \
	"a.posting_id, (SELECT p.closed_at FROM postings p WHERE p.id = a.posting_id)"

static void read_app(struct pg_row *r, void *item)
{
	struct application *app = item;
	memset(app, 0, sizeof(*app));
	app->id = pg_row_int(r);
	app->version = pg_row_int(r);
	app->company = pg_row_text(r);
	app->position = pg_row_text(r);
	app->location = pg_row_text(r);
	app->url = pg_row_text(r);
	app->source = pg_row_text(r);
	app->has_salary_min = !pg_row_is_null(r);
	app->salary_min = pg_row_int(r);
	app->has_salary_max = !pg_row_is_null(r);
	app->salary_max = pg_row_int(r);
	app->salary_currency = pg_row_text(r);
	app->salary_period = pg_row_text(r);
	app->status = pg_row_text(r);
	app->priority = (int)pg_row_int(r);
	pg_row_tags(r, &app->tags, &app->n_tags);
	app->saved_on = pg_row_text(r);
	app->applied_on = pg_row_text(r);
	app->follow_up_on = pg_row_text(r);
	app->notes = pg_row_text(r);
	app->created_at = pg_row_int(r);
	app->updated_at = pg_row_int(r);
	app->status_changed_at = pg_row_int(r);
	app->posting_id = pg_row_int(r);
	app->posting_closed_at = pg_row_int(r);
}

/* Appends the fifteen stored fields in the order APP_INSERT and APP_UPDATE
 * name them (company … notes); NULL optional text is stored as "". */
static void param_app_fields(struct pg_params *p, const struct application *app)
{
	pg_param_text(p, app->company);
	pg_param_text(p, app->position);
	pg_param_text(p, app->location ? app->location : "");
	pg_param_text(p, app->url ? app->url : "");
	pg_param_text(p, app->source ? app->source : "");
	if (app->has_salary_min)
		pg_param_int(p, app->salary_min);
	else
		pg_param_null(p);
	if (app->has_salary_max)
		pg_param_int(p, app->salary_max);
	else
		pg_param_null(p);
	pg_param_text(p, app->salary_currency ? app->salary_currency : "");
	pg_param_text(p, app->salary_period ? app->salary_period : "");
	pg_param_text(p, app->status);
	pg_param_int(p, app->priority);
	pg_param_text(p, app->saved_on);
	pg_param_text(p, app->applied_on);
	pg_param_text(p, app->follow_up_on);
	pg_param_text(p, app->notes ? app->notes : "");
}

/* The tag rows come from two text[] parameters, the tags and their keys in
 * order, in one statement however many there are (a row per tag was a round
 * trip per tag). id is the application's id in SQL, from a FROM item that
 * provides it (or "" when id is a parameter). */
#define TAGS_INSERT(id, from, tags, keys) \
	"INSERT INTO application_tags(application_id, position, tag, tag_key) " \
	"SELECT " id ", t.pos - 1, t.tag, t.tag_key FROM " from "unnest(" tags "::text[], " keys \
	"::text[]) WITH ORDINALITY AS t(tag, tag_key, pos)"

/* app's tags and their keys as text[] values (see TAGS_INSERT). */
struct tag_arrays {
	struct buf tags, keys;
};

static int tag_arrays_init(struct tag_arrays *t, const struct application *app)
{
	buf_init(&t->tags, 1 << 20);
	buf_init(&t->keys, 1 << 20);
	pg_array_init(&t->tags);
	pg_array_init(&t->keys);
	for (size_t i = 0; i < app->n_tags; i++) {
		char key[256];
		rows_tag_key(app->tags[i], key, sizeof(key));
		pg_array_add(&t->tags, app->tags[i]);
		pg_array_add(&t->keys, key);
	}
	return buf_failed(&t->tags) || buf_failed(&t->keys) ? STORE_ERROR : 0;
}

static void tag_arrays_free(struct tag_arrays *t)
{
	buf_free(&t->tags);
	buf_free(&t->keys);
}

/* Replaces the tag rows and tag_list of an existing application with app's.
 * The caller holds the transaction and has checked the row is the user's. */
static int replace_tags(struct pg_conn *c, const struct application *app)
{
	struct buf joined;
	struct tag_arrays t;
	buf_init(&joined, 1 << 16);
	int rc = tag_arrays_init(&t, app);
	if (rows_tags_join(app->tags, app->n_tags, &joined))
		rc = STORE_ERROR;
	struct pg_params list = { 0 };
	pg_param_int(&list, app->id);
	pg_param_text(&list, joined.data);
	if (rc == 0)
		rc = pg_exec_done(c, "UPDATE applications SET tag_list = $2 WHERE id = $1", &list);
	struct pg_params del = { 0 };
	pg_param_int(&del, app->id);
	if (rc == 0)
		rc = pg_exec_done(c, "DELETE FROM application_tags WHERE application_id = $1", &del);
	struct pg_params ins = { 0 };
	pg_param_int(&ins, app->id);
	pg_param_text(&ins, t.tags.data);
	pg_param_text(&ins, t.keys.data);
	if (rc == 0 && app->n_tags > 0)
		rc = pg_exec_done(c, TAGS_INSERT("$1", "", "$2", "$3"), &ins);
	buf_free(&joined);
	tag_arrays_free(&t);
	return rc;
}

/* STORE_NOTFOUND unless posting_id is 0 or a posting's. */
static int check_posting(struct pg_conn *c, int64_t posting_id)
{
	if (posting_id == 0)
		return 0;
	struct pg_params p = { 0 };
	pg_param_int(&p, posting_id);
	int64_t one;
	return pg_exec_int(c, "SELECT 1 FROM postings WHERE id = $1", &p, &one);
}

/* The row and its tag rows in one statement (one round trip): the tags'
 * INSERT reads the new id from the first. Their triggers fire at the end of
 * the statement and see both. $20 and $21 are the tags and keys. */
#define APP_INSERT_CTES \
	"WITH a AS (INSERT INTO applications(user_id, company, position, location, url, source, salary_min, " \
	"salary_max, salary_currency, salary_period, status, priority, saved_on, applied_on, " \
	"follow_up_on, notes, created_at, updated_at, status_changed_at, tag_list, posting_id) " \
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, " \
	"$17, $18, $19) RETURNING id), " \
	"tagged AS (" TAGS_INSERT("a.id", "a, ", "$20", "$21") ")"
static const char app_insert_sql[] = APP_INSERT_CTES " SELECT id FROM a";

/* app_insert_sql and the "created" timeline entry, as event_insert
 * (events.c) writes one, from the same statement: the entry's foreign key
 * check sees the new row, as the tags' does. */
static const char app_create_sql[] =
    APP_INSERT_CTES ", created AS (INSERT INTO events(user_id, application_id, kind, at, from_status, to_status, "
		    "title, body, interview_kind, with_whom, created_at) "
		    "SELECT $1, a.id, 'created', $17, NULL, $11, '', '', '', '', $17 FROM a) SELECT id FROM a";

/* Inserts app, with its "created" entry when with_created (store_app_create). */
static int insert_app(struct store *s, int64_t user_id, struct application *app, int64_t now, int with_created)
{
	struct buf joined;
	struct tag_arrays t;
	buf_init(&joined, 1 << 16);
	int rc = tag_arrays_init(&t, app);
	if (rows_tags_join(app->tags, app->n_tags, &joined))
		rc = STORE_ERROR;
	struct pg_conn *c = NULL;
	if (rc == 0)
		c = pg_conn_begin(s, user_id, &rc);
	if (!c) {
		buf_free(&joined);
		tag_arrays_free(&t);
		return rc;
	}
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	param_app_fields(&p, app);
	pg_param_int(&p, now);
	pg_param_text(&p, joined.data);
	if (app->posting_id)
		pg_param_int(&p, app->posting_id);
	else
		pg_param_null(&p);
	pg_param_text(&p, t.tags.data);
	pg_param_text(&p, t.keys.data);
	int64_t id = 0;
	rc = check_posting(c, app->posting_id);
	if (rc == 0)
		rc = pg_exec_int(c, with_created ? app_create_sql : app_insert_sql, &p, &id);
	buf_free(&joined);
	tag_arrays_free(&t);
	rc = pg_tx_end(c, rc);
	if (rc) {
		app->id = 0; /* rolled back: no such row */
		return rc;
	}
	app->id = id;
	app->version = 1;
	app->created_at = app->updated_at = app->status_changed_at = now;
	return 0;
}

static int app_insert(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	return insert_app(s, user_id, app, now, 0);
}

static int app_create(struct store *s, int64_t user_id, struct application *app, int64_t now)
{
	return insert_app(s, user_id, app, now, 1);
}

/* Each field is written only when its bit is in the mask ($3), so one
 * prepared statement serves every combination. $4..$18 are the fields in
 * param_app_fields' order, $19 status_changed_at, $20 now. */
static const char app_update_sql[] =
    "UPDATE applications SET "
    "company = CASE WHEN $3::int & 1 <> 0 THEN $4 ELSE company END, "
    "position = CASE WHEN $3::int & 2 <> 0 THEN $5 ELSE position END, "
    "location = CASE WHEN $3::int & 4 <> 0 THEN $6 ELSE location END, "
    "url = CASE WHEN $3::int & 8 <> 0 THEN $7 ELSE url END, "
    "source = CASE WHEN $3::int & 16 <> 0 THEN $8 ELSE source END, "
    "salary_min = CASE WHEN $3::int & 32 <> 0 THEN $9 ELSE salary_min END, "
    "salary_max = CASE WHEN $3::int & 64 <> 0 THEN $10 ELSE salary_max END, "
    "salary_currency = CASE WHEN $3::int & 128 <> 0 THEN $11 ELSE salary_currency END, "
    "salary_period = CASE WHEN $3::int & 256 <> 0 THEN $12 ELSE salary_period END, "
    "status = CASE WHEN $3::int & 512 <> 0 THEN $13 ELSE status END, "
    "status_changed_at = CASE WHEN $3::int & 512 <> 0 THEN $19 ELSE status_changed_at END, "
    "priority = CASE WHEN $3::int & 1024 <> 0 THEN $14 ELSE priority END, "
    "saved_on = CASE WHEN $3::int & 4096 <> 0 THEN $15 ELSE saved_on END, "
    "applied_on = CASE WHEN $3::int & 8192 <> 0 THEN $16 ELSE applied_on END, "
    "follow_up_on = CASE WHEN $3::int & 16384 <> 0 THEN $17 ELSE follow_up_on END, "
    "notes = CASE WHEN $3::int & 32768 <> 0 THEN $18 ELSE notes END, "
    "updated_at = $20, version = version + 1 "
    "WHERE user_id = $1 AND id = $2 RETURNING version, updated_at";

_Static_assert(APP_F_COMPANY == 1 && APP_F_SALARY_MIN == 32 && APP_F_STATUS == 512 && APP_F_TAGS == 2048 &&
		   APP_F_NOTES == 32768,
	       "app_update_sql spells out enum app_field_bit");

static int app_update(struct store *s, int64_t user_id, struct application *app, unsigned fields, int64_t now)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, app->id);
	pg_param_int(&p, fields);
	param_app_fields(&p, app);
	pg_param_int(&p, app->status_changed_at);
	pg_param_int(&p, now);
	PGresult *res;
	rc = pg_exec(c, app_update_sql, &p, &res);
	int64_t version = 0, updated_at = 0;
	if (rc == 0 && PQntuples(res) == 0) {
		rc = STORE_NOTFOUND;
	} else if (rc == 0) {
		struct pg_row r = pg_row_at(res, 0, NULL);
		version = pg_row_int(&r);
		updated_at = pg_row_int(&r);
		rc = r.bad ? STORE_ERROR : 0;
	}
	PQclear(res);
	if (rc == 0 && (fields & APP_F_TAGS))
		rc = replace_tags(c, app);
	rc = pg_tx_end(c, rc);
	if (rc == 0) {
		app->version = version;
		app->updated_at = updated_at;
	}
	return rc;
}

static int app_touch(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	pg_param_int(&p, now);
	return pg_user_write(
	    s, user_id, "UPDATE applications SET updated_at = $3, version = version + 1 WHERE user_id = $1 AND id = $2",
	    &p);
}

static int app_restore_times(struct store *s, int64_t user_id, enum store_restore_kind kind, int64_t id,
			     int64_t updated_at, int64_t status_changed_at)
{
	/* Written apart: one literal per element (clang warns of concatenation in an initialiser). */
	static const char app_sql[] = "UPDATE applications SET updated_at = $3, status_changed_at = $4 "
				      "WHERE user_id = $1 AND id = $2";
	static const char *const sql[] = {
		[STORE_RESTORE_APP] = app_sql,
		[STORE_RESTORE_CONTACT] = "UPDATE contacts SET updated_at = $3 WHERE user_id = $1 AND id = $2",
		[STORE_RESTORE_RESUME] = "UPDATE resumes SET updated_at = $3 WHERE user_id = $1 AND id = $2",
		[STORE_RESTORE_SAVED_SEARCH] = "UPDATE saved_searches SET updated_at = $3, last_looked_at = $4 "
					       "WHERE user_id = $1 AND id = $2",
	};
	if ((unsigned)kind > STORE_RESTORE_SAVED_SEARCH)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	pg_param_int(&p, updated_at);
	if (kind == STORE_RESTORE_APP || kind == STORE_RESTORE_SAVED_SEARCH)
		pg_param_int(&p, status_changed_at);
	return pg_user_write(s, user_id, sql[kind], &p);
}

static int app_set_posting(struct store *s, int64_t user_id, int64_t app_id, int64_t posting_id, int64_t now)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	rc = check_posting(c, posting_id);
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, app_id);
	if (posting_id)
		pg_param_int(&p, posting_id);
	else
		pg_param_null(&p);
	pg_param_int(&p, now);
	if (rc == 0)
		rc = pg_exec_changed(c,
				     "UPDATE applications SET posting_id = $3, updated_at = $4, version = version + 1 "
				     "WHERE user_id = $1 AND id = $2",
				     &p);
	return pg_tx_end(c, rc);
}

static int app_delete(struct store *s, int64_t user_id, int64_t id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	/* Tags, timeline and contact links go with it (ON DELETE CASCADE). */
	return pg_user_write(s, user_id, "DELETE FROM applications WHERE user_id = $1 AND id = $2", &p);
}

static int app_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct application *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	return pg_get(c, "SELECT " APP_COLS " FROM applications a WHERE a.user_id = $1 AND a.id = $2", &p, a,
		      sizeof(*out), read_app, out);
}

static int app_by_posting(struct store *s, int64_t user_id, int64_t posting_id, struct arena *a,
			  struct application *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, posting_id);
	return pg_get(c,
		      "SELECT " APP_COLS " FROM applications a WHERE a.user_id = $1 AND a.posting_id = $2 "
		      "ORDER BY a.id LIMIT 1",
		      &p, a, sizeof(*out), read_app, out);
}

static int app_count_by_status(struct store *s, int64_t user_id, const char *const *statuses, size_t n_statuses,
			       int64_t *counts)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	memset(counts, 0, n_statuses * sizeof(*counts));
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	PGresult *res;
	int rc = pg_exec(c, "SELECT status, count(*) FROM applications WHERE user_id = $1 GROUP BY status", &p, &res);
	for (int row = 0; rc == 0 && row < PQntuples(res); row++) {
		const char *status = PQgetvalue(res, row, 0);
		for (size_t i = 0; i < n_statuses; i++)
			if (strcmp(status, statuses[i]) == 0 && pg_parse_int(PQgetvalue(res, row, 1), &counts[i]))
				rc = STORE_ERROR;
	}
	PQclear(res);
	return rc;
}

static void read_brief(struct pg_row *r, void *item)
{
	struct application *app = item;
	memset(app, 0, sizeof(*app));
	app->id = pg_row_int(r);
	app->status = pg_row_text(r);
	app->source = pg_row_text(r);
	app->applied_on = pg_row_text(r);
	app->created_at = pg_row_int(r);
}

static int app_brief(struct store *s, int64_t user_id, struct arena *a, struct application **out, size_t *n)
{
	void *items;
	int rc = pg_user_list(s,
			      "SELECT id, status, source, applied_on, created_at FROM applications "
			      "WHERE user_id = $1 ORDER BY id",
			      user_id, a, sizeof(**out), read_brief, &items, n);
	if (rc == 0)
		*out = items;
	return rc;
}

/* ---- listing ---- */

/* Company order ignores ASCII case only, then compares bytes: lower() of
 * "C"-collated text is exactly SQLite's COLLATE NOCASE. */
static const char *const sort_sql[APP_SORT_COUNT] = {
	[APP_SORT_UPDATED_DESC] = "a.updated_at DESC, a.id DESC",
	[APP_SORT_UPDATED_ASC] = "a.updated_at ASC, a.id ASC",
	[APP_SORT_CREATED_DESC] = "a.created_at DESC, a.id DESC",
	[APP_SORT_CREATED_ASC] = "a.created_at ASC, a.id ASC",
	[APP_SORT_COMPANY_ASC] = "lower(a.company COLLATE \"C\") ASC, a.id ASC",
	[APP_SORT_COMPANY_DESC] = "lower(a.company COLLATE \"C\") DESC, a.id DESC",
	[APP_SORT_PRIORITY_DESC] = "a.priority DESC, a.updated_at DESC, a.id DESC",
	[APP_SORT_PRIORITY_ASC] = "a.priority ASC, a.updated_at DESC, a.id DESC",
	[APP_SORT_APPLIED_DESC] = "a.applied_on IS NULL, a.applied_on DESC, a.id DESC",
	[APP_SORT_APPLIED_ASC] = "a.applied_on IS NULL, a.applied_on ASC, a.id ASC",
};

enum { FILTER_STATUS = 1, FILTER_TAG = 2, FILTER_Q = 4, FILTER_VARIANTS = 8 };

/* Each variant (filters present × sort, or the count of a filter set) is
 * one statement, prepared on first use; these bytes' addresses are their keys. */
static const char list_keys[FILTER_VARIANTS][APP_SORT_COUNT + 1];

/* The query and its parameters for the filters in mask: $1 the user, then
 * one parameter per filter present, in the order status, tag, q. */
struct list_query {
	unsigned mask;
	struct pg_params p;
	struct buf sql;
	char tag_key[256];
	struct buf like;
};

static void where_clause(struct list_query *q)
{
	int n = 1;
	buf_puts(&q->sql, " FROM applications a WHERE a.user_id = $1");
	if (q->mask & FILTER_STATUS)
		buf_printf(&q->sql, " AND a.status = $%d", ++n);
	if (q->mask & FILTER_TAG)
		buf_printf(&q->sql,
			   " AND EXISTS (SELECT 1 FROM application_tags t WHERE t.application_id = a.id "
			   "AND t.tag_key = $%d)",
			   ++n);
	/* The pattern comes lower-cased (list_query_init). */
	if (q->mask & FILTER_Q)
		buf_printf(&q->sql,
			   " AND (lower(a.company) LIKE $%d ESCAPE '\\' OR lower(a.position) LIKE $%d ESCAPE '\\' "
			   "OR lower(a.location) LIKE $%d ESCAPE '\\' OR lower(a.notes) LIKE $%d ESCAPE '\\')",
			   n + 1, n + 1, n + 1, n + 1);
}

static int list_query_init(struct list_query *q, int64_t user_id, const struct app_filter *f)
{
	memset(q, 0, sizeof(*q));
	buf_init(&q->sql, 8192);
	buf_init(&q->like, 1 << 20);
	q->mask = (f->status ? FILTER_STATUS : 0) | (f->tag ? FILTER_TAG : 0) | (f->q && *f->q ? FILTER_Q : 0);
	pg_param_int(&q->p, user_id);
	if (q->mask & FILTER_STATUS)
		pg_param_text(&q->p, f->status);
	if (q->mask & FILTER_TAG) {
		rows_tag_key(f->tag, q->tag_key, sizeof(q->tag_key));
		pg_param_text(&q->p, q->tag_key);
	}
	if (q->mask & FILTER_Q) {
		if (rows_like_pattern(f->q, &q->like))
			return STORE_ERROR;
		/* SQLite's LIKE ignores ASCII case: so does lower() of "C" text. */
		for (char *p = q->like.data; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		pg_param_text(&q->p, q->like.data);
	}
	return 0;
}

static void list_query_free(struct list_query *q)
{
	buf_free(&q->sql);
	buf_free(&q->like);
}

/* How many rows match; the query's parameters are the filters only. */
static int count_matches(struct pg_conn *c, struct list_query *q, int64_t *total)
{
	buf_reset(&q->sql);
	buf_puts(&q->sql, "SELECT count(*)");
	where_clause(q);
	if (buf_failed(&q->sql))
		return STORE_ERROR;
	PGresult *res;
	int rc = pg_exec_keyed(c, &list_keys[q->mask][APP_SORT_COUNT], q->sql.data, &q->p, &res);
	if (rc == 0 && (PQntuples(res) != 1 || pg_parse_int(PQgetvalue(res, 0, 0), total)))
		rc = STORE_ERROR;
	PQclear(res);
	return rc;
}

/* Reads the page's rows into *out, and the user's data_version (the last
 * column) into *data_version (0 when there are no rows). */
static int read_page(struct pg_conn *c, const void *key, const char *sql, const struct pg_params *p, struct arena *a,
		     struct application **out, size_t *n, int64_t *data_version)
{
	PGresult *res;
	int rc = pg_exec_keyed(c, key, sql, p, &res);
	if (rc)
		return rc;
	int rows = PQntuples(res);
	struct application *items = arena_alloc_raw(a, (rows > 0 ? (size_t)rows : 1) * sizeof(*items));
	int bad = !items;
	*data_version = 0;
	for (int i = 0; !bad && i < rows; i++) {
		struct pg_row r = pg_row_at(res, i, a);
		read_app(&r, &items[i]);
		if (i == 0)
			*data_version = pg_row_int(&r);
		bad = r.bad;
	}
	PQclear(res);
	if (bad)
		return STORE_ERROR;
	*out = items;
	*n = (size_t)rows;
	return 0;
}

/* The statements bringing a remembered page up to date, one per filter
 * set; these bytes' addresses are their keys. */
static const char delta_keys[FILTER_VARIANTS];

/* Brings the remembered page of user_id and f up to date from the rows
 * written since it was read (store/listdelta.h), with how many rows match
 * now, in one statement and snapshot: 0 with the page (remembered again),
 * 1 when there is no such page or it cannot be brought up to date (the
 * caller reads it whole), or a store error. */
static int refresh_page(struct pg_store *ps, struct pg_conn *c, int64_t user_id, const struct app_filter *f,
			struct arena *a, struct application **out, size_t *n, int64_t *total)
{
	struct application *base;
	size_t n_base;
	int64_t base_version;
	if (!list_cache_get_base(ps->lists, user_id, f, a, &base, &n_base, &base_version))
		return 1;
	struct list_query q;
	int rc = list_query_init(&q, user_id, f);
	if (rc == 0) {
		/* The count's own alias a hides the outer one inside it. */
		buf_puts(&q.sql, "SELECT u.data_version, (SELECT count(*)");
		where_clause(&q);
		buf_printf(&q.sql,
			   "), " APP_COLS " FROM users u LEFT JOIN applications a ON a.user_id = u.id "
			   "AND a.changed_version > $%d WHERE u.id = $1",
			   q.p.n + 1);
		rc = buf_failed(&q.sql) ? STORE_ERROR : 0;
	}
	struct pg_params p = q.p; /* points into q.p's digits: q outlives it */
	pg_param_int(&p, base_version);
	PGresult *res = NULL;
	if (rc == 0)
		rc = pg_exec_keyed(c, &delta_keys[q.mask], q.sql.data, &p, &res);
	list_query_free(&q);
	if (rc)
		return rc;
	int rows = PQntuples(res);
	struct application *changed = arena_alloc_raw(a, (rows > 0 ? (size_t)rows : 1) * sizeof(*changed));
	int64_t version = 0, matching = -1;
	size_t m = 0;
	int bad = !changed;
	for (int i = 0; !bad && i < rows; i++) {
		struct pg_row r = pg_row_at(res, i, a);
		version = pg_row_int(&r);
		matching = pg_row_int(&r);
		if (pg_row_is_null(&r)) /* the join's empty side: nothing written since */
			break;
		read_app(&r, &changed[m++]);
		bad = r.bad;
	}
	PQclear(res);
	if (bad)
		return STORE_ERROR;
	if (rows == 0 || list_delta_apply(f, base, n_base, changed, m, matching, a, out, n))
		return 1;
	*total = (int64_t)*n;
	if (*n > 0)
		list_cache_put(ps->lists, user_id, version, f, *out, *n, *total);
	return 0;
}

/* The user's data_version as the database has it now. */
static int data_version_of(struct pg_conn *c, int64_t user_id, int64_t *out)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	return pg_exec_int(c, "SELECT data_version FROM users WHERE id = $1", &p, out);
}

static int app_list(struct store *s, int64_t user_id, const struct app_filter *f, struct arena *a,
		    struct application **out, size_t *n, int64_t *total)
{
	struct pg_store *ps = pg_store_of(s);
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	/* Inside a transaction the page must show its own uncommitted writes,
	 * and its data_version may yet be rolled back (and then reused): only
	 * listings outside one use the remembered pages. */
	int outside_tx = c->depth == 0;
	/* Its data_version, as the user cache knows it without asking, or as
	 * the database says when the cache does not answer (another process
	 * shares the database, cache.c): a remembered page at that number is
	 * the page. */
	struct user u;
	if (outside_tx && (pg_cache_user(ps, user_id, &u) || data_version_of(c, user_id, &u.data_version) == 0) &&
	    list_cache_get(ps->lists, user_id, u.data_version, f, a, out, n, total))
		return 0;
	if (outside_tx) {
		int refreshed = refresh_page(ps, c, user_id, f, a, out, n, total);
		if (refreshed <= 0)
			return refreshed;
	}
	enum app_sort sort = f->sort < APP_SORT_COUNT ? f->sort : APP_SORT_UPDATED_DESC;
	int64_t limit = rows_list_limit(f);             /* bounded: limit + 1 below cannot overflow */
	int64_t offset = f->offset > 0 ? f->offset : 0; /* SQLite reads a negative OFFSET as 0 */
	struct list_query q;
	int rc = list_query_init(&q, user_id, f);
	if (rc == 0) {
		/* The user's data_version comes in the same snapshot as the rows:
		 * what the page is remembered under (store/listcache.h). */
		buf_puts(&q.sql, "SELECT " APP_COLS ", (SELECT data_version FROM users WHERE id = $1)");
		where_clause(&q);
		buf_printf(&q.sql, " ORDER BY %s LIMIT $%d OFFSET $%d", sort_sql[sort], q.p.n + 1, q.p.n + 2);
		rc = buf_failed(&q.sql) ? STORE_ERROR : 0;
	}
	struct pg_params page = q.p; /* points into q.p's digits: q outlives it */
	/* One row past the page tells whether a count query is needed at all:
	 * most users' lists fit on one page, and then the rows are the total. */
	pg_param_int(&page, limit + 1);
	pg_param_int(&page, offset);
	struct application *items = NULL;
	size_t rows = 0;
	int64_t data_version = 0;
	if (rc == 0)
		rc = read_page(c, &list_keys[q.mask][sort], q.sql.data, &page, a, &items, &rows, &data_version);
	int more = rc == 0 && (int64_t)rows > limit;
	if (more)
		rows = (size_t)limit;
	*total = offset + (int64_t)rows;
	int counted = rc == 0 && (more || (rows == 0 && offset > 0));
	if (counted)
		rc = count_matches(c, &q, total);
	list_query_free(&q);
	if (rc)
		return rc;
	/* A total counted by a second statement may come from a later snapshot
	 * than the rows: such a page is not remembered. */
	if (outside_tx && rows > 0 && !counted)
		list_cache_put(ps->lists, user_id, data_version, f, items, rows, *total);
	*out = items;
	*n = rows;
	return 0;
}

const struct store_app_ops pg_app_ops = {
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
