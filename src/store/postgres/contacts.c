/* contacts.c — the user's contacts and their links to applications. */
#include "store/postgres/pg.h"

#include <string.h>

#define CONTACT_COLS "c.id, c.version, c.name, c.role, c.email, c.phone, c.url, c.notes, c.created_at, c.updated_at"

static void read_contact(struct pg_row *r, void *item)
{
	struct contact *ct = item;
	memset(ct, 0, sizeof(*ct));
	ct->id = pg_row_int(r);
	ct->version = pg_row_int(r);
	ct->name = pg_row_text(r);
	ct->role = pg_row_text(r);
	ct->email = pg_row_text(r);
	ct->phone = pg_row_text(r);
	ct->url = pg_row_text(r);
	ct->notes = pg_row_text(r);
	ct->created_at = pg_row_int(r);
	ct->updated_at = pg_row_int(r);
}

/* By name ignoring ASCII case only, then bytes, then id (SQLite's NOCASE). */
static int contact_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct contact **out,
			size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	if (app_id > 0)
		pg_param_int(&p, app_id);
	const char *sql = app_id > 0 ? "SELECT " CONTACT_COLS " FROM contacts c JOIN application_contacts ac "
				       "ON ac.contact_id = c.id WHERE c.user_id = $1 AND ac.application_id = $2 "
				       "ORDER BY lower(c.name COLLATE \"C\"), c.id"
				     : "SELECT " CONTACT_COLS " FROM contacts c WHERE c.user_id = $1 "
				       "ORDER BY lower(c.name COLLATE \"C\"), c.id";
	void *items;
	int rc = pg_list(c, sql, &p, a, sizeof(**out), read_contact, &items, n);
	if (rc == 0)
		*out = items;
	return rc;
}

static int contact_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct contact *out)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	return pg_get(c, "SELECT " CONTACT_COLS " FROM contacts c WHERE c.user_id = $1 AND c.id = $2", &p, a,
		      sizeof(*out), read_contact, out);
}

/* Appends name … notes; NULL optional text is stored as "". */
static void param_contact_fields(struct pg_params *p, const struct contact *ct)
{
	pg_param_text(p, ct->name);
	pg_param_text(p, ct->role ? ct->role : "");
	pg_param_text(p, ct->email ? ct->email : "");
	pg_param_text(p, ct->phone ? ct->phone : "");
	pg_param_text(p, ct->url ? ct->url : "");
	pg_param_text(p, ct->notes ? ct->notes : "");
}

static int contact_insert(struct store *s, int64_t user_id, struct contact *ct, int64_t now)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	param_contact_fields(&p, ct);
	pg_param_int(&p, now);
	int64_t id = 0;
	int rc = pg_user_write_int(s, user_id,
				   "INSERT INTO contacts(user_id, name, role, email, phone, url, notes, created_at, "
				   "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
				   &p, &id);
	if (rc == 0) {
		ct->id = id;
		ct->version = 1;
		ct->created_at = ct->updated_at = now;
	}
	return rc;
}

static int contact_update(struct store *s, int64_t user_id, struct contact *ct, int64_t now)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, ct->id);
	param_contact_fields(&p, ct);
	pg_param_int(&p, now);
	int64_t version = 0;
	int rc = pg_user_write_int(s, user_id,
				   "UPDATE contacts SET name = $3, role = $4, email = $5, phone = $6, url = $7, "
				   "notes = $8, updated_at = $9, version = version + 1 "
				   "WHERE user_id = $1 AND id = $2 RETURNING version",
				   &p, &version);
	if (rc == 0) {
		ct->version = version;
		ct->updated_at = now;
	}
	return rc;
}

static int contact_delete(struct store *s, int64_t user_id, int64_t id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, id);
	return pg_user_write(s, user_id, "DELETE FROM contacts WHERE user_id = $1 AND id = $2", &p);
}

static int contact_link(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, app_id);
	pg_param_int(&p, contact_id);
	int rc;
	struct pg_conn *c = pg_conn_begin(s, user_id, &rc);
	if (!c)
		return rc;
	/* Inserts only when both rows are the user's; linking twice is no error. */
	static const char link_sql[] = "INSERT INTO application_contacts(application_id, contact_id) "
				       "SELECT a.id, ct.id FROM applications a, contacts ct WHERE a.user_id = $1 "
				       "AND ct.user_id = $1 AND a.id = $2 AND ct.id = $3 ON CONFLICT DO NOTHING";
	/* DO NOTHING hides whether anything matched: the link must exist now. */
	static const char linked_sql[] = "SELECT 1 FROM application_contacts ac JOIN applications a "
					 "ON a.id = ac.application_id "
					 "WHERE a.user_id = $1 AND ac.application_id = $2 AND ac.contact_id = $3";
	int64_t one;
	rc = pg_exec_done(c, link_sql, &p);
	if (rc == 0)
		rc = pg_exec_int(c, linked_sql, &p, &one);
	return pg_tx_end(c, rc);
}

static int contact_unlink(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	pg_param_int(&p, app_id);
	pg_param_int(&p, contact_id);
	return pg_user_write(s, user_id,
			     "DELETE FROM application_contacts WHERE application_id = $2 AND contact_id = $3 "
			     "AND application_id IN (SELECT id FROM applications WHERE user_id = $1)",
			     &p);
}

const struct store_contact_ops pg_contact_ops = {
	.list = contact_list,
	.get = contact_get,
	.insert = contact_insert,
	.update = contact_update,
	.delete = contact_delete,
	.link = contact_link,
	.unlink = contact_unlink,
};
