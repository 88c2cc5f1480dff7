/* scans.c — a user's resume scans: the history rows (store.h, "resume
 * scans"). The insert runs under the user's lock and checks the resume is
 * the user's in the same transaction. */
#include "store/postgres/pg.h"

#include <string.h>

#define SCAN_COLS "id, resume_id, posting_id, job_key, job_title, score_tenths, created_at"

static void read_scan(struct pg_row *r, void *item)
{
	struct store_scan *sc = item;
	memset(sc, 0, sizeof(*sc));
	sc->id = pg_row_int(r);
	sc->resume_id = pg_row_int(r);
	sc->posting_id = pg_row_int(r);
	sc->job_key = pg_row_text(r);
	sc->job_title = pg_row_text(r);
	sc->score_tenths = (int)pg_row_int(r);
	sc->created_at = pg_row_int(r);
	sc->result = pg_row_text(r);
}

static int scan_insert(struct store *s, int64_t user_id, struct store_scan *scan, int64_t now)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	struct pg_params own = { 0 };
	pg_param_int(&own, user_id);
	pg_param_int(&own, scan->resume_id);
	int64_t one = 0;
	rc = pg_exec_int(c, "SELECT 1 FROM resumes WHERE user_id = $1 AND id = $2", &own, &one);
	int64_t id = 0;
	if (rc == 0) {
		struct pg_params p = { 0 };
		pg_param_int(&p, user_id);
		pg_param_int(&p, scan->resume_id);
		if (scan->posting_id > 0)
			pg_param_int(&p, scan->posting_id);
		else
			pg_param_null(&p);
		pg_param_text(&p, scan->job_key);
		pg_param_text(&p, scan->job_title ? scan->job_title : "");
		pg_param_int(&p, scan->score_tenths);
		pg_param_text(&p, scan->result);
		pg_param_int(&p, now);
		rc = pg_exec_int(c,
				 "INSERT INTO scans(user_id, resume_id, posting_id, job_key, job_title, score_tenths, "
				 "result, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
				 &p, &id);
	}
	rc = pg_tx_end(c, rc);
	if (rc == 0) {
		scan->id = id;
		scan->created_at = now;
	}
	return rc;
}

static int scan_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct store_scan *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	return pg_get(c, "SELECT " SCAN_COLS ", result FROM scans WHERE user_id = $1 AND id = $2", &p, a, sizeof(*out),
		      read_scan, out);
}

static int scan_list(struct store *s, int64_t user_id, int64_t resume_id, int64_t posting_id, int64_t limit,
		     struct arena *a, struct store_scan **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, resume_id);
	pg_param_int(&p, posting_id);
	pg_param_int(&p, limit);
	void *items;
	int rc =
	    pg_list(c,
		    "SELECT " SCAN_COLS ", NULL FROM scans WHERE user_id = $1 "
		    "AND ($2::bigint = 0 OR resume_id = $2::bigint) AND ($3::bigint = 0 OR posting_id = $3::bigint) "
		    "ORDER BY id DESC LIMIT $4",
		    &p, a, sizeof(**out), read_scan, &items, n);
	if (rc == 0)
		*out = items;
	return rc;
}

static int scan_previous(struct store *s, int64_t user_id, int64_t resume_id, const char *job_key, int64_t before_id,
			 struct arena *a, struct store_scan *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, resume_id);
	pg_param_text(&p, job_key);
	pg_param_int(&p, before_id);
	return pg_get(c,
		      "SELECT " SCAN_COLS ", result FROM scans WHERE user_id = $1 AND resume_id = $2 "
		      "AND job_key = $3 AND id < $4 ORDER BY id DESC LIMIT 1",
		      &p, a, sizeof(*out), read_scan, out);
}

static int scan_delete(struct store *s, int64_t user_id, int64_t id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	return pg_user_write(s, user_id, "DELETE FROM scans WHERE user_id = $1 AND id = $2", &p);
}

const struct store_scan_ops pg_scan_ops = {
	.insert = scan_insert,
	.get = scan_get,
	.list = scan_list,
	.previous = scan_previous,
	.delete = scan_delete,
};
