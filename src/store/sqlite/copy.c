/* The copy operations (store_copy) over SQLite tables. The table and column
 * names come from store_copy_tables, never from input. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "store/sqlite/sqlite.h"

/* INSERT statements per table, built once so the statement cache (keyed on
 * the text's address) can keep them. */
#define MAX_TABLES 32
static char *insert_sql[MAX_TABLES];
static pthread_once_t insert_built = PTHREAD_ONCE_INIT;

static void build_inserts(void)
{
	for (size_t i = 0; i < store_copy_n_tables && i < MAX_TABLES; i++) {
		const struct copy_table *t = &store_copy_tables[i];
		struct buf b;
		buf_init(&b, 4096);
		buf_printf(&b, "INSERT INTO %s(%s) VALUES (", t->name, t->columns);
		for (int k = 1; k <= t->n_columns; k++)
			buf_printf(&b, "%s?%d", k > 1 ? ", " : "", k);
		buf_putc(&b, ')');
		insert_sql[i] = buf_failed(&b) ? NULL : buf_detach(&b, NULL);
		buf_free(&b);
	}
}

static const char *insert_for(const struct copy_table *t)
{
	pthread_once(&insert_built, build_inserts);
	size_t i = (size_t)(t - store_copy_tables);
	return i < store_copy_n_tables && i < MAX_TABLES ? insert_sql[i] : NULL;
}

int sq_copy_read(struct store *s, const struct copy_table *t, int (*row)(const struct copy_value *values, void *ctx),
		 void *ctx)
{
	struct sq_conn *c = sq_conn(s);
	if (!c || t->n_columns > COPY_MAX_COLUMNS)
		return STORE_ERROR;
	char sql[1024];
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s ORDER BY rowid", t->columns, t->name);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_event(LOG_ERROR, "store.copy", "%s: %s", sqlite3_errmsg(c->db), sql);
		return STORE_ERROR;
	}
	struct copy_value v[COPY_MAX_COLUMNS];
	int step, rc = 0;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < t->n_columns; i++) {
			memset(&v[i], 0, sizeof(v[i]));
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				v[i].type = COPY_NULL;
				break;
			case SQLITE_INTEGER:
				v[i].type = COPY_INT;
				v[i].i = sqlite3_column_int64(st, i);
				break;
			case SQLITE_BLOB:
				v[i].type = COPY_BLOB;
				v[i].text = sqlite3_column_blob(st, i);
				v[i].len = (size_t)sqlite3_column_bytes(st, i);
				break;
			default:
				v[i].type = COPY_TEXT;
				v[i].text = (const char *)sqlite3_column_text(st, i);
				v[i].len = (size_t)sqlite3_column_bytes(st, i);
				break;
			}
		}
		rc = row(v, ctx);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sq_error(c, step);
	sqlite3_finalize(st);
	return rc;
}

int sq_copy_write(struct store *s, const struct copy_table *t, const struct copy_value *values)
{
	struct sq_conn *c = sq_conn(s);
	const char *sql = insert_for(t);
	sqlite3_stmt *st = c && sql ? sq_prepare(c, sql) : NULL;
	if (!st)
		return STORE_ERROR;
	for (int i = 0; i < t->n_columns; i++) {
		const struct copy_value *v = &values[i];
		switch (v->type) {
		case COPY_NULL:
			sqlite3_bind_null(st, i + 1);
			break;
		case COPY_INT:
			sqlite3_bind_int64(st, i + 1, v->i);
			break;
		case COPY_BLOB:
			sqlite3_bind_blob(st, i + 1, v->text, (int)v->len, SQLITE_STATIC);
			break;
		case COPY_TEXT:
			sqlite3_bind_text(st, i + 1, v->text, (int)v->len, SQLITE_STATIC);
			break;
		}
	}
	int rc = sq_run(c, st);
	if (rc) /* a conflict is not logged by sq_run: the copy's caller needs to know */
		log_event(LOG_ERROR, "store.copy", "writing a row of %s failed: %s", t->name, sqlite3_errmsg(c->db));
	return rc;
}

int sq_copy_has_rows(struct store *s, const struct copy_table *t, int *has)
{
	struct sq_conn *c = sq_conn(s);
	*has = 0;
	if (!c)
		return STORE_ERROR;
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s LIMIT 1", t->name);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_event(LOG_ERROR, "store.copy", "%s: %s", sqlite3_errmsg(c->db), sql);
		return STORE_ERROR;
	}
	int step = sqlite3_step(st);
	*has = step == SQLITE_ROW;
	int rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : sq_error(c, step);
	sqlite3_finalize(st);
	return rc;
}

/* One integer from a statement built from trusted names; 0 when no row. */
static int one_int(struct sq_conn *c, const char *sql, const char *bind, int64_t *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_event(LOG_ERROR, "store.copy", "%s: %s", sqlite3_errmsg(c->db), sql);
		return STORE_ERROR;
	}
	if (bind)
		sqlite3_bind_text(st, 1, bind, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	*out = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	int rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : sq_error(c, step);
	sqlite3_finalize(st);
	return rc;
}

/* AUTOINCREMENT tables remember their highest id in sqlite_sequence (ids
 * are never reused); the others hand out max(id) + 1. */
int sq_copy_id_counter(struct store *s, const struct copy_table *t, int64_t *value)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	int64_t seq = 0, max = 0;
	int rc = one_int(c, "SELECT seq FROM sqlite_sequence WHERE name = ?1", t->name, &seq);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) FROM %s", t->name);
	if (rc == 0)
		rc = one_int(c, sql, NULL, &max);
	*value = seq > max ? seq : max;
	return rc;
}

int sq_copy_set_id_counter(struct store *s, const struct copy_table *t, int64_t value)
{
	struct sq_conn *c = sq_conn(s);
	if (!c)
		return STORE_ERROR;
	int64_t autoinc = 0;
	int rc = one_int(c, "SELECT count(*) FROM sqlite_master WHERE name = ?1 AND sql LIKE '%AUTOINCREMENT%'",
			 t->name, &autoinc);
	if (rc || !autoinc)
		return rc;
	sqlite3_stmt *st;
	const char *sql = "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1";
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
			return STORE_ERROR;
		sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, value);
		int step = sqlite3_step(st);
		rc = step == SQLITE_DONE ? 0 : sq_error(c, step);
		int changed = sqlite3_changes(c->db);
		sqlite3_finalize(st);
		if (changed)
			break;
		/* No row yet (an empty table never had one): make it. */
		sql = "INSERT INTO sqlite_sequence(name, seq) VALUES (?1, ?2)";
	}
	return rc;
}
