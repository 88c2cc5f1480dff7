/* sources.c — configured sources: the boards and sites administrators have
 * the scraper visit. Instance-wide rows. */
#include "store/postgres/pg.h"

#include <string.h>

#include "store/rows.h"

static const char sql_exists[] = "SELECT 1 FROM sources WHERE id = $1";

static void read_source(struct pg_row *r, void *item)
{
	struct scrape_source *src = item;
	memset(src, 0, sizeof(*src));
	src->id = pg_row_int(r);
	src->version = pg_row_int(r);
	src->name = pg_row_text(r);
	src->kind = pg_row_text(r);
	src->target = pg_row_text(r);
	src->config = pg_row_text(r);
	src->schedule = pg_row_text(r);
	src->enabled = (int)pg_row_int(r);
	src->created_at = pg_row_int(r);
	src->updated_at = pg_row_int(r);
	src->blocked_until = pg_row_int(r);
	src->last_run_id = pg_row_int(r);
}

/* Appends the six fields an administrator edits, as $n+1..$n+6. */
static void param_fields(struct pg_params *p, const struct scrape_source *src)
{
	pg_param_text(p, src->name); /* NULL fails NOT NULL, as it should */
	pg_param_text(p, src->kind);
	pg_param_text(p, src->target ? src->target : "");
	pg_param_text(p, src->config ? src->config : "{}");
	pg_param_text(p, src->schedule ? src->schedule : "");
	pg_param_int(p, src->enabled != 0);
}

static int source_insert(struct store *s, struct scrape_source *src, int64_t now)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	param_fields(&p, src);
	pg_param_int(&p, now);
	int64_t id = 0;
	int rc =
	    pg_exec_int(c,
			"INSERT INTO sources(name, kind, target, config, schedule, enabled, created_at, updated_at) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
			&p, &id);
	if (rc == 0) {
		src->id = id;
		src->version = 1;
		src->created_at = src->updated_at = now;
		src->blocked_until = src->last_run_id = 0;
	}
	return rc;
}

static int source_get(struct store *s, int64_t id, struct arena *a, struct scrape_source *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	return pg_get(c, "SELECT " ROWS_SOURCE_COLS " FROM sources WHERE id = $1", &p, a, sizeof(*out), read_source,
		      out);
}

static int source_by_name(struct store *s, const char *name, struct arena *a, struct scrape_source *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, name);
	return pg_get(c, "SELECT " ROWS_SOURCE_COLS " FROM sources WHERE name = $1", &p, a, sizeof(*out), read_source,
		      out);
}

static int source_list(struct store *s, struct arena *a, struct scrape_source **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, STORE_LIST_MAX);
	void *items;
	int rc = pg_list(c, "SELECT " ROWS_SOURCE_COLS " FROM sources ORDER BY name, id LIMIT $1", &p, a, sizeof(**out),
			 read_source, &items, n);
	if (rc == 0)
		*out = items;
	return rc;
}

static int source_update(struct store *s, struct scrape_source *src, int64_t expected_version, int64_t now)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, 0, &rc);
	if (!c)
		return rc;
	struct pg_params p = { 0 };
	param_fields(&p, src);
	pg_param_int(&p, now);
	pg_param_int(&p, expected_version);
	pg_param_int(&p, src->id);
	int64_t version = 0;
	rc = pg_exec_int(
	    c,
	    "UPDATE sources SET name = $1, kind = $2, target = $3, config = $4, schedule = $5, enabled = $6, "
	    "updated_at = $7, version = version + 1 WHERE id = $9 AND ($8::bigint = 0 OR version = $8) "
	    "RETURNING version",
	    &p, &version);
	if (rc == STORE_NOTFOUND)
		rc = pg_stale_or_missing(c, sql_exists, src->id);
	rc = pg_tx_end(c, rc);
	if (rc == 0) {
		src->version = version;
		src->updated_at = now;
	}
	return rc;
}

static int source_delete(struct store *s, int64_t id, int64_t expected_version)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, 0, &rc);
	if (!c)
		return rc;
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	pg_param_int(&p, expected_version);
	/* Its runs go with it; its listings stay, found by no source. */
	rc = pg_exec_changed(c, "DELETE FROM sources WHERE id = $1 AND ($2::bigint = 0 OR version = $2)", &p);
	if (rc == STORE_NOTFOUND)
		rc = pg_stale_or_missing(c, sql_exists, id);
	return pg_tx_end(c, rc);
}

static int source_set_blocked(struct store *s, int64_t id, int64_t blocked_until)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	pg_param_int(&p, blocked_until);
	return pg_exec_changed(c, "UPDATE sources SET blocked_until = $2 WHERE id = $1", &p);
}

const struct store_source_ops pg_source_ops = {
	.insert = source_insert,
	.get = source_get,
	.by_name = source_by_name,
	.list = source_list,
	.update = source_update,
	.delete = source_delete,
	.set_blocked = source_set_blocked,
};
