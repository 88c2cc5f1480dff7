/* values.c — statement parameters in, result columns out. */
#include "store/postgres/pg.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "store/rows.h"

static int next_param(struct pg_params *p)
{
	assert(p->n < PG_MAX_PARAMS);
	return p->n++;
}

void pg_param_int(struct pg_params *p, int64_t v)
{
	int i = next_param(p);
	snprintf(p->digits[i], sizeof(p->digits[i]), "%" PRId64, v);
	p->values[i] = p->digits[i];
}

void pg_param_text(struct pg_params *p, const char *s)
{
	p->values[next_param(p)] = s;
}

void pg_param_bytes(struct pg_params *p, const void *data, size_t len)
{
	assert(len <= INT32_MAX);
	int i = next_param(p);
	p->values[i] = data;
	p->lengths[i] = (int)len;
	p->formats[i] = 1;
}

void pg_param_null(struct pg_params *p)
{
	p->values[next_param(p)] = NULL;
}

void pg_param_double(struct pg_params *p, double v)
{
	int i = next_param(p);
	/* 17 significant digits round-trip any double; at most 24 bytes. */
	snprintf(p->digits[i], sizeof(p->digits[i]), "%.17g", v);
	p->values[i] = p->digits[i];
}

void pg_array_init(struct buf *out)
{
	buf_reset(out);
	buf_puts(out, "{}");
}

void pg_array_add(struct buf *out, const char *item)
{
	if (buf_failed(out) || out->len < 2)
		return;
	out->len--; /* the closing brace, put back below */
	if (out->len > 1)
		buf_putc(out, ',');
	buf_putc(out, '"');
	for (const char *p = item; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *p);
	}
	buf_puts(out, "\"}");
}

/* PostgreSQL prints integers as an optional '-' and plain digits, and a
 * listing reads a thousand of them: a loop over the digits instead of
 * strtoll (locale, base and whitespace handling, errno) per value. It
 * accepts exactly what strtoll would read whole without overflow, except
 * the leading spaces and '+' PostgreSQL never prints. */
int pg_parse_int(const char *s, int64_t *out)
{
	int neg = *s == '-';
	const char *p = s + neg;
	if (*p < '0' || *p > '9')
		return STORE_ERROR;
	uint64_t v = 0;
	/* The magnitude of INT64_MIN: the most a negative number may reach. */
	uint64_t max = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (max - d) / 10)
			return STORE_ERROR;
		v = v * 10 + d;
	}
	if (*p)
		return STORE_ERROR;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int pg_row_is_null(const struct pg_row *r)
{
	return PQgetisnull(r->res, r->row, r->col);
}

int64_t pg_row_int(struct pg_row *r)
{
	int col = r->col++;
	if (PQgetisnull(r->res, r->row, col))
		return 0;
	int64_t v = 0;
	if (pg_parse_int(PQgetvalue(r->res, r->row, col), &v))
		r->bad = 1;
	return v;
}

double pg_row_double(struct pg_row *r)
{
	int col = r->col++;
	if (PQgetisnull(r->res, r->row, col))
		return 0;
	const char *text = PQgetvalue(r->res, r->row, col);
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || end == text || *end)
		r->bad = 1;
	return v;
}

char *pg_row_text(struct pg_row *r)
{
	int col = r->col++;
	if (PQgetisnull(r->res, r->row, col))
		return NULL;
	char *s = arena_strndup(r->a, PQgetvalue(r->res, r->row, col), (size_t)PQgetlength(r->res, r->row, col));
	if (!s)
		r->bad = 1;
	return s;
}

void pg_row_tags(struct pg_row *r, char ***tags, size_t *n)
{
	int col = r->col++;
	*tags = NULL;
	*n = 0;
	if (PQgetisnull(r->res, r->row, col))
		return;
	size_t len = (size_t)PQgetlength(r->res, r->row, col);
	rows_tags_split(PQgetvalue(r->res, r->row, col), len, r->a, tags, n);
	if (len > 0 && !*tags)
		r->bad = 1;
}

void pg_row_text_to(struct pg_row *r, char *dst, size_t len)
{
	int col = r->col++;
	snprintf(dst, len, "%s", PQgetvalue(r->res, r->row, col));
}

int pg_list_keyed(struct pg_conn *c, const void *key, const char *sql, const struct pg_params *p, struct arena *a,
		  size_t item_size, pg_read_fn read, void **out, size_t *n)
{
	PGresult *res;
	int rc = pg_exec_keyed(c, key, sql, p, &res);
	if (rc)
		return rc;
	int rows = PQntuples(res);
	char *items = arena_alloc(a, (rows > 0 ? (size_t)rows : 1) * item_size);
	int bad = !items;
	for (int i = 0; !bad && i < rows; i++) {
		struct pg_row r = pg_row_at(res, i, a);
		read(&r, items + (size_t)i * item_size);
		bad = r.bad;
	}
	PQclear(res);
	if (bad)
		return STORE_ERROR;
	*out = items;
	*n = (size_t)rows;
	return 0;
}

int pg_list(struct pg_conn *c, const char *sql, const struct pg_params *p, struct arena *a, size_t item_size,
	    pg_read_fn read, void **out, size_t *n)
{
	return pg_list_keyed(c, sql, sql, p, a, item_size, read, out, n);
}

int pg_user_list(struct store *s, const char *sql, int64_t user_id, struct arena *a, size_t item_size, pg_read_fn read,
		 void **out, size_t *n)
{
	struct pg_conn *c = pg_conn(s);
	if (!c)
		return STORE_ERROR;
	struct pg_params p = { 0 };
	pg_param_int(&p, user_id);
	return pg_list(c, sql, &p, a, item_size, read, out, n);
}

int pg_get(struct pg_conn *c, const char *sql, const struct pg_params *p, struct arena *a, size_t item_size,
	   pg_read_fn read, void *item)
{
	void *items;
	size_t n;
	int rc = pg_list(c, sql, p, a, item_size, read, &items, &n);
	if (rc == 0 && n == 0)
		rc = STORE_NOTFOUND;
	if (rc == 0)
		memcpy(item, items, item_size);
	return rc;
}

int pg_exec_int(struct pg_conn *c, const char *sql, const struct pg_params *p, int64_t *value)
{
	PGresult *res;
	int rc = pg_exec(c, sql, p, &res);
	if (rc == 0 && PQntuples(res) == 0)
		rc = STORE_NOTFOUND;
	else if (rc == 0 && pg_parse_int(PQgetvalue(res, 0, 0), value))
		rc = STORE_ERROR;
	PQclear(res);
	return rc;
}

int pg_stale_or_missing(struct pg_conn *c, const char *exists_sql, int64_t id)
{
	struct pg_params p = { 0 };
	pg_param_int(&p, id);
	int64_t found;
	int rc = pg_exec_int(c, exists_sql, &p, &found);
	return rc == 0 ? STORE_STALE : rc;
}
