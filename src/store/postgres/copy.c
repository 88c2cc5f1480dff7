/* copy.c — store_copy's row access, generic over store_copy_tables.
 *
 * Table and column names come from the program's own table list, never from
 * a user; they are still checked to be plain lower-case identifiers before
 * they are put into SQL. Values always travel as parameters. */
#include "store/postgres/pg.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"

/* PostgreSQL's type oids (catalog/pg_type.h, stable across versions). */
enum { OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23 };

static int plain_names(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == ',' || *s == ' '))
			return 0;
	return 1;
}

/* 1 when "id" is one of the table's columns. */
static int has_id_column(const struct copy_table *t)
{
	const char *p = t->columns;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ", ");
		if (len == 2 && strncmp(p, "id", 2) == 0)
			return 1;
		p += len;
	}
	return 0;
}

static int check_table(const struct copy_table *t)
{
	if (plain_names(t->name) && plain_names(t->columns) && t->n_columns > 0 && t->n_columns <= COPY_MAX_COLUMNS)
		return 0;
	log_event(LOG_ERROR, "store.copy", "table %s: names or columns not usable", t->name);
	return STORE_ERROR;
}

/* Fills values from one row; bytea arrives hex-escaped and is unescaped
 * into blobs[] (PQfreemem them). */
static int read_values(const PGresult *res, int row, struct copy_value *values, unsigned char **blobs)
{
	for (int i = 0; i < PQnfields(res); i++) {
		struct copy_value *v = &values[i];
		memset(v, 0, sizeof(*v));
		const char *text = PQgetvalue(res, row, i);
		Oid type = PQftype(res, i);
		if (PQgetisnull(res, row, i)) {
			v->type = COPY_NULL;
		} else if (type == OID_INT8 || type == OID_INT4 || type == OID_INT2) {
			v->type = COPY_INT;
			if (pg_parse_int(text, &v->i))
				return STORE_ERROR;
		} else if (type == OID_BYTEA) {
			v->type = COPY_BLOB;
			blobs[i] = PQunescapeBytea((const unsigned char *)text, &v->len);
			if (!blobs[i])
				return STORE_ERROR;
			v->text = (const char *)blobs[i];
		} else {
			v->type = COPY_TEXT;
			v->text = text;
			v->len = (size_t)PQgetlength(res, row, i);
		}
	}
	return 0;
}

int pg_copy_read(struct store *s, const struct copy_table *t, int (*row)(const struct copy_value *values, void *ctx),
		 void *ctx)
{
	struct pg_conn *c = pg_conn(s);
	if (!c || check_table(t))
		return STORE_ERROR;
	/* A whole table in one statement: as long as it takes (store_copy
	 * reads inside its snapshot transaction, which SET LOCAL ends with). */
	int rc = c->depth > 0 ? pg_exec_done(c, "SET LOCAL statement_timeout = 0", NULL) : 0;
	struct buf sql;
	buf_init(&sql, 4096);
	buf_printf(&sql, "SELECT %s FROM %s%s", t->columns, t->name, has_id_column(t) ? " ORDER BY id" : "");
	PGresult *res = NULL;
	if (rc == 0)
		rc = buf_failed(&sql) ? STORE_ERROR : pg_exec_keyed(c, &t->name, sql.data, NULL, &res);
	buf_free(&sql);
	if (rc == 0 && PQnfields(res) != t->n_columns)
		rc = STORE_ERROR;
	for (int r = 0; rc == 0 && r < PQntuples(res); r++) {
		struct copy_value values[COPY_MAX_COLUMNS];
		unsigned char *blobs[COPY_MAX_COLUMNS] = { 0 };
		rc = read_values(res, r, values, blobs);
		if (rc == 0)
			rc = row(values, ctx);
		for (int i = 0; i < t->n_columns; i++)
			PQfreemem(blobs[i]);
	}
	PQclear(res);
	return rc;
}

int pg_copy_write(struct store *s, const struct copy_table *t, const struct copy_value *values)
{
	struct pg_conn *c = pg_conn(s);
	if (!c || check_table(t))
		return STORE_ERROR;
	struct buf sql;
	buf_init(&sql, 4096);
	buf_printf(&sql, "INSERT INTO %s (%s) VALUES (", t->name, t->columns);
	for (int i = 0; i < t->n_columns; i++)
		buf_printf(&sql, "%s$%d", i ? ", " : "", i + 1);
	buf_putc(&sql, ')');
	/* Text goes as text (NUL-terminated copies): SQLite may hold digits in
	 * a text value, and the column's type decides. */
	char *texts[COPY_MAX_COLUMNS] = { 0 };
	struct pg_params p = { 0 };
	int rc = buf_failed(&sql) ? STORE_ERROR : 0;
	for (int i = 0; rc == 0 && i < t->n_columns; i++) {
		const struct copy_value *v = &values[i];
		if (v->type == COPY_NULL) {
			pg_param_null(&p);
		} else if (v->type == COPY_INT) {
			pg_param_int(&p, v->i);
		} else if (v->type == COPY_BLOB) {
			pg_param_bytes(&p, v->text, v->len);
		} else if ((texts[i] = strndup(v->text, v->len))) {
			pg_param_text(&p, texts[i]);
		} else {
			rc = STORE_ERROR;
		}
	}
	PGresult *res = NULL;
	if (rc == 0 && (rc = pg_exec_keyed(c, &t->columns, sql.data, &p, &res)) != 0)
		log_event(LOG_ERROR, "store.copy", "writing a row of %s failed: %s", t->name, c->last_error);
	PQclear(res);
	buf_free(&sql);
	for (int i = 0; i < t->n_columns; i++)
		free(texts[i]);
	return rc;
}

int pg_copy_has_rows(struct store *s, const struct copy_table *t, int *has)
{
	struct pg_conn *c = pg_conn(s);
	*has = 0;
	if (!c || check_table(t))
		return STORE_ERROR;
	struct buf sql;
	buf_init(&sql, 256);
	buf_printf(&sql, "SELECT 1 FROM %s LIMIT 1", t->name);
	PGresult *res = NULL;
	int rc = buf_failed(&sql) ? STORE_ERROR : pg_exec_keyed(c, &t->n_columns, sql.data, NULL, &res);
	if (rc == 0)
		*has = PQntuples(res) > 0;
	PQclear(res);
	buf_free(&sql);
	return rc;
}

int pg_copy_id_counter(struct store *s, const struct copy_table *t, int64_t *value)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, t->name);
	/* NULL until the sequence handed out its first id. */
	return pg_exec_int(c, "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass), 0)",
			   &p, value);
}

int pg_copy_set_id_counter(struct store *s, const struct copy_table *t, int64_t value)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_text(&p, t->name);
	pg_param_int(&p, value);
	/* Never backwards, as on SQLite; the next id is the counter + 1, and a
	 * counter of 0 (is_called false) makes the next id 1. */
	return pg_exec_done(c,
			    "WITH seq AS (SELECT pg_get_serial_sequence($1, 'id')::regclass AS id), "
			    "counter AS (SELECT id, GREATEST($2::bigint, COALESCE(pg_sequence_last_value(id), 0)) AS v "
			    "FROM seq) "
			    "SELECT setval(id, GREATEST(v, 1), v > 0) FROM counter",
			    &p);
}
