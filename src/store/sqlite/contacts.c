/* Contacts and their links to applications. */
#include <string.h>

#include "store/rows.h"
#include "store/sqlite/sqlite.h"

#define CONTACT_COLS "c.id, c.version, c.name, c.role, c.email, c.phone, c.url, c.notes, c.created_at, c.updated_at"

static const char SQL_CONTACT_LIST_ALL[] = "SELECT " CONTACT_COLS " FROM contacts c WHERE c.user_id = ?1 "
					   "ORDER BY c.name COLLATE NOCASE, c.id";
static const char SQL_CONTACT_LIST_APP[] =
    "SELECT " CONTACT_COLS " FROM contacts c JOIN application_contacts ac ON ac.contact_id = c.id "
    "WHERE c.user_id = ?1 AND ac.application_id = ?2 ORDER BY c.name COLLATE NOCASE, c.id";
static const char SQL_CONTACT_GET[] = "SELECT " CONTACT_COLS " FROM contacts c WHERE c.user_id = ?1 AND c.id = ?2";
static const char SQL_CONTACT_INSERT[] =
    "INSERT INTO contacts(user_id, name, role, email, phone, url, notes, created_at, updated_at, version) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, 1)";
static const char SQL_CONTACT_UPDATE[] =
    "UPDATE contacts SET name = ?3, role = ?4, email = ?5, phone = ?6, url = ?7, notes = ?8, updated_at = ?9, "
    "version = version + 1 WHERE user_id = ?1 AND id = ?2 RETURNING version";
static const char SQL_CONTACT_DELETE[] = "DELETE FROM contacts WHERE user_id = ?1 AND id = ?2";
static const char SQL_CONTACT_LINK[] = "INSERT OR IGNORE INTO application_contacts(application_id, contact_id) "
				       "SELECT a.id, c.id FROM applications a, contacts c WHERE a.user_id = ?1 "
				       "AND c.user_id = ?1 AND a.id = ?2 AND c.id = ?3";
static const char SQL_CONTACT_LINKED[] =
    "SELECT 1 FROM application_contacts ac JOIN applications a ON a.id = ac.application_id "
    "WHERE a.user_id = ?1 AND ac.application_id = ?2 AND ac.contact_id = ?3";
static const char SQL_CONTACT_UNLINK[] = "DELETE FROM application_contacts WHERE application_id = ?2 AND "
					 "contact_id = ?3 AND application_id IN "
					 "(SELECT id FROM applications WHERE user_id = ?1)";

static void read_contact(sqlite3_stmt *st, struct arena *a, struct contact *ct)
{
	ct->id = sqlite3_column_int64(st, 0);
	ct->version = sqlite3_column_int64(st, 1);
	ct->name = sq_text(st, 2, a);
	ct->role = sq_text(st, 3, a);
	ct->email = sq_text(st, 4, a);
	ct->phone = sq_text(st, 5, a);
	ct->url = sq_text(st, 6, a);
	ct->notes = sq_text(st, 7, a);
	ct->created_at = sqlite3_column_int64(st, 8);
	ct->updated_at = sqlite3_column_int64(st, 9);
}

static int contact_list(struct store *s, int64_t user_id, int64_t app_id, struct arena *a, struct contact **out,
			size_t *n)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, app_id > 0 ? SQL_CONTACT_LIST_APP : SQL_CONTACT_LIST_ALL) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	if (app_id > 0)
		sqlite3_bind_int64(st, 2, app_id);
	size_t cap = 16, count = 0;
	struct contact *items = arena_alloc(a, cap * sizeof(*items));
	int step = SQLITE_DONE;
	while (items && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(items = rows_grow(a, items, count, &cap, sizeof(*items))))
			break;
		read_contact(st, a, &items[count++]);
	}
	*out = items;
	*n = count;
	return sq_list_end(c, st, step, items);
}

static int contact_get(struct store *s, int64_t user_id, int64_t id, struct arena *a, struct contact *out)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_CONTACT_GET) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_contact(st, a, out);
	sq_finish(st);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, rc);
}

static void bind_contact(sqlite3_stmt *st, int first, const struct contact *ct)
{
	sq_bind_text(st, first, ct->name ? ct->name : "");
	sq_bind_text(st, first + 1, ct->role ? ct->role : "");
	sq_bind_text(st, first + 2, ct->email ? ct->email : "");
	sq_bind_text(st, first + 3, ct->phone ? ct->phone : "");
	sq_bind_text(st, first + 4, ct->url ? ct->url : "");
	sq_bind_text(st, first + 5, ct->notes ? ct->notes : "");
}

static int contact_insert(struct store *s, int64_t user_id, struct contact *ct, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_CONTACT_INSERT) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	bind_contact(st, 2, ct);
	sqlite3_bind_int64(st, 8, now);
	int rc = sq_run(c, st);
	if (rc == 0) {
		ct->id = sqlite3_last_insert_rowid(c->db);
		ct->version = 1;
		ct->created_at = ct->updated_at = now;
	}
	return rc;
}

static int contact_update(struct store *s, int64_t user_id, struct contact *ct, int64_t now)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_CONTACT_UPDATE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, ct->id);
	bind_contact(st, 3, ct);
	sqlite3_bind_int64(st, 9, now);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		ct->version = sqlite3_column_int64(st, 0);
		ct->updated_at = now;
	}
	sq_finish(st);
	return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
}

static int contact_delete(struct store *s, int64_t user_id, int64_t id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_CONTACT_DELETE) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	return sq_run_changed(c, st);
}

static int contact_link(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *link = c ? sq_prepare(c, SQL_CONTACT_LINK) : NULL;
	sqlite3_stmt *check = c ? sq_prepare(c, SQL_CONTACT_LINKED) : NULL;
	if (!link || !check)
		return STORE_ERROR;
	int rc = sq_tx_begin(c);
	if (rc)
		return rc;
	sqlite3_bind_int64(link, 1, user_id);
	sqlite3_bind_int64(link, 2, app_id);
	sqlite3_bind_int64(link, 3, contact_id);
	rc = sq_run(c, link);
	if (rc == 0) {
		/* INSERT OR IGNORE hides whether both rows were this user's: check. */
		sqlite3_bind_int64(check, 1, user_id);
		sqlite3_bind_int64(check, 2, app_id);
		sqlite3_bind_int64(check, 3, contact_id);
		int step = sqlite3_step(check);
		sq_finish(check);
		rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? STORE_NOTFOUND : sq_error(c, step);
	}
	return sq_tx_end(c, rc);
}

static int contact_unlink(struct store *s, int64_t user_id, int64_t app_id, int64_t contact_id)
{
	struct sq_conn *c = sq_conn(s);
	sqlite3_stmt *st = c ? sq_prepare(c, SQL_CONTACT_UNLINK) : NULL;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, app_id);
	sqlite3_bind_int64(st, 3, contact_id);
	return sq_run_changed(c, st);
}

const struct store_contact_ops sqlite_contact_ops = {
	.list = contact_list,
	.get = contact_get,
	.insert = contact_insert,
	.update = contact_update,
	.delete = contact_delete,
	.link = contact_link,
	.unlink = contact_unlink,
};
