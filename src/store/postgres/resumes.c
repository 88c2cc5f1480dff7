/* resumes.c — a user's resumes: metadata rows (the files are in the blob
 * store). The rules on the default are in store.h; writes run in a
 * transaction holding the user's lock (pg_conn_begin), so two uploads at
 * once cannot both become the first, default, resume. */
#include "store/postgres/pg.h"

#include <string.h>

#define RESUME_COLS "id, name, type, size, blob_key, is_default, created_at, updated_at"

static void read_resume(struct pg_row *r, void *item)
{
	struct store_resume *res = item;
	memset(res, 0, sizeof(*res));
	res->id = pg_row_int(r);
	res->name = pg_row_text(r);
	res->type = pg_row_text(r);
	res->size = pg_row_int(r);
	res->blob_key = pg_row_text(r);
	res->is_default = (int)pg_row_int(r);
	res->created_at = pg_row_int(r);
	res->updated_at = pg_row_int(r);
}

static int resume_insert(struct store *s, int64_t user_id, struct store_resume *r, int64_t now)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	struct pg_params u = { 0 };
	pg_param_int(&u, user_id);
	int64_t one = 0;
	rc = pg_exec_int(c, "SELECT 1 FROM resumes WHERE user_id = $1 AND is_default = 1", &u, &one);
	int had_default = rc == 0;
	if (rc == STORE_NOTFOUND)
		rc = 0;
	int make_default = r->is_default || !had_default;
	if (rc == 0 && make_default && had_default)
		rc = pg_exec_done(c, "UPDATE resumes SET is_default = 0 WHERE user_id = $1 AND is_default = 1", &u);
	int64_t id = 0;
	if (rc == 0) {
		struct pg_params p = { 0 };
		pg_param_int(&p, user_id);
		pg_param_text(&p, r->name);
		pg_param_text(&p, r->type);
		pg_param_int(&p, r->size);
		pg_param_text(&p, r->blob_key);
		pg_param_int(&p, make_default);
		pg_param_int(&p, now);
		rc = pg_exec_int(c,
				 "INSERT INTO resumes(user_id, name, type, size, blob_key, is_default, created_at, "
				 "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
				 &p, &id);
	}
	rc = pg_tx_end(c, rc);
	if (rc == 0) {
		r->id = id;
		r->is_default = make_default;
		r->created_at = r->updated_at = now;
	}
	return rc;
}

static int resume_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct store_resume *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	return pg_get(c, "SELECT " RESUME_COLS " FROM resumes WHERE user_id = $1 AND id = $2", &p, a, sizeof(*out),
		      read_resume, out);
}

static int resume_get_default(struct store *s, int64_t user_id, struct arena *a, struct store_resume *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	return pg_get(c, "SELECT " RESUME_COLS " FROM resumes WHERE user_id = $1 AND is_default = 1", &p, a,
		      sizeof(*out), read_resume, out);
}

static int resume_list(struct store *s, int64_t user_id, struct arena *a, struct store_resume **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	void *items;
	int rc = pg_list(c,
			 "SELECT " RESUME_COLS " FROM resumes WHERE user_id = $1 "
			 "ORDER BY is_default DESC, created_at DESC, id DESC",
			 &p, a, sizeof(**out), read_resume, &items, n);
	if (rc == 0)
		*out = items;
	return rc;
}

/* 1 when the user's resume id is the default, 0 when not, or an error
 * (STORE_NOTFOUND when it is not the user's). */
static int is_default(struct pg_conn *c, int64_t user_id, int64_t id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	int64_t d = 0;
	int rc = pg_exec_int(c, "SELECT is_default FROM resumes WHERE user_id = $1 AND id = $2", &p, &d);
	return rc ? rc : d != 0;
}

static int resume_set_default(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	int d = is_default(c, user_id, id);
	if (d < 0 || d == 1)
		return pg_tx_end(c, d < 0 ? d : 0);
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	pg_param_int(&p, now);
	/* Two statements: a unique index is checked row by row, so one UPDATE
	 * that sets the new default and clears the old could meet both. */
	struct pg_params u = { 0 };
	pg_param_int(&u, user_id);
	rc = pg_exec_done(c, "UPDATE resumes SET is_default = 0 WHERE user_id = $1 AND is_default = 1", &u);
	if (rc == 0)
		rc = pg_exec_changed(
		    c, "UPDATE resumes SET is_default = 1, updated_at = $3 WHERE user_id = $1 AND id = $2", &p);
	return pg_tx_end(c, rc);
}

static int resume_rename(struct store *s, int64_t user_id, int64_t id, const char *name, int64_t now)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	pg_param_text(&p, name);
	pg_param_int(&p, now);
	return pg_user_write(s, user_id, "UPDATE resumes SET name = $3, updated_at = $4 WHERE user_id = $1 AND id = $2",
			     &p);
}

static int resume_delete(struct store *s, int64_t user_id, int64_t id)
{
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	int d = is_default(c, user_id, id);
	if (d < 0)
		return pg_tx_end(c, d);
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	rc = pg_exec_changed(c, "DELETE FROM resumes WHERE user_id = $1 AND id = $2", &p);
	if (rc == 0 && d == 1) {
		struct pg_params u = { 0 };
		pg_param_int(&u, user_id);
		rc = pg_exec_done(c,
				  "UPDATE resumes SET is_default = 1 WHERE id = (SELECT id FROM resumes "
				  "WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1)",
				  &u);
	}
	return pg_tx_end(c, rc);
}

static int resume_set_file(struct store *s, int64_t user_id, int64_t id, const char *type, int64_t size,
			   const char *blob_key, int64_t now)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	pg_param_text(&p, type);
	pg_param_int(&p, size);
	pg_param_text(&p, blob_key);
	pg_param_int(&p, now);
	return pg_user_write(s, user_id,
			     "UPDATE resumes SET type = $3, size = $4, blob_key = $5, updated_at = $6 "
			     "WHERE user_id = $1 AND id = $2",
			     &p);
}

const struct store_resume_ops pg_resume_ops = {
	.insert = resume_insert,
	.get = resume_get,
	.get_default = resume_get_default,
	.list = resume_list,
	.set_default = resume_set_default,
	.rename = resume_rename,
	.delete = resume_delete,
	.set_file = resume_set_file,
};
