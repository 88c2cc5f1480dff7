/* search_bench — job search's engine against a plain SQLite FTS5 table
 * ranked by bm25() and PostgreSQL tsvector + GIN ranked by ts_rank, on the
 * same generated corpus (corpus.h) and the same fixed mix of queries, in
 * one run (issue 8's benchmark; bench/search.sh runs it, BENCHMARKS.md has
 * the figures). For each engine: build time, size, p50 / p99 latency of the
 * first page (20 hits) in process; and for each query whether the three
 * return the same set of matches.
 *
 *   search_bench --docs N [--pg URL] [--dir DIR] [--rounds R] [--sql-rounds R]
 *                [--ours-only [--churn N]] [--no-snippets]
 *   search_bench --print-queries   (the mix as GET /api/v1/postings query strings)
 *
 * Ours answers with the total and facets over all matches and the page's
 * highlighted snippets; FTS5 and PostgreSQL answer the page's ids only
 * (what they do for total and facets would be more queries on top). */
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "corpus.h"
#include "scrape/posting.h"
#include "search/index.h"
#include "search/query.h"
#include "search/snippet.h"
#include "search/tokenize.h"

#define TODAY "2026-12-06"
#define PAGE  20

struct bq {
	const char *ours, *fts5, *pg;
	int workplace; /* enum workplace, 0 any */
	const char *country;
	double min_salary;
	unsigned employment;
	int within_days;
	const char *note; /* a known difference in tokenisation, explained */
};

/* The mix: common and rare words, phrases, OR, exclusion, prefixes, field
 * queries, with and without filters. */
static const struct bq queries[] = {
	{ .ours = "engineer", .fts5 = "engineer", .pg = "engineer" },
	{ .ours = "experience", .fts5 = "experience", .pg = "experience" },
	{ .ours = "team", .fts5 = "team", .pg = "team" },
	{ .ours = "software engineer", .fts5 = "software engineer", .pg = "software & engineer" },
	{ .ours = "senior manager", .fts5 = "senior manager", .pg = "senior & manager" },
	{ .ours = "\"project manager\"", .fts5 = "\"project manager\"", .pg = "project <-> manager" },
	{ .ours = "\"machine learning\"", .fts5 = "\"machine learning\"", .pg = "machine <-> learning" },
	{ .ours = "\"customer service\" representative",
	  .fts5 = "\"customer service\" representative",
	  .pg = "(customer <-> service) & representative" },
	{ .ours = "registered nurse", .fts5 = "registered nurse", .pg = "registered & nurse" },
	{ .ours = "nurse icu", .fts5 = "nurse icu", .pg = "nurse & icu" },
	{ .ours = "python OR java", .fts5 = "python OR java", .pg = "python | java" },
	{ .ours = "sales OR marketing", .fts5 = "sales OR marketing", .pg = "sales | marketing" },
	{ .ours = "developer -java", .fts5 = "developer NOT java", .pg = "developer & !java" },
	{ .ours = "teacher -substitute", .fts5 = "teacher NOT substitute", .pg = "teacher & !substitute" },
	{ .ours = "manag*", .fts5 = "manag*", .pg = "manag:*" },
	{ .ours = "kube*", .fts5 = "kube*", .pg = "kube:*" },
	{ .ours = "title:engineer", .fts5 = "title:engineer", .pg = "engineer:A" },
	{ .ours = "title:nurse", .fts5 = "title:nurse", .pg = "nurse:A" },
	{ .ours = "company:health", .fts5 = "company:health", .pg = "health:B" },
	{ .ours = "location:berlin", .fts5 = "location:berlin", .pg = "berlin:C" },
	{ .ours = "warehouse forklift", .fts5 = "warehouse forklift", .pg = "warehouse & forklift" },
	{ .ours = "truck driver", .fts5 = "truck driver", .pg = "truck & driver" },
	{ .ours = "kubernetes terraform", .fts5 = "kubernetes terraform", .pg = "kubernetes & terraform" },
	{ .ours = "accountant reconciliations",
	  .fts5 = "accountant reconciliations",
	  .pg = "accountant & reconciliations" },
	{ .ours = "electrician", .fts5 = "electrician", .pg = "electrician" },
	{ .ours = "barista espresso", .fts5 = "barista espresso", .pg = "barista & espresso" },
	{ .ours = "data", .fts5 = "data", .pg = "data" },
	{ .ours = "customers", .fts5 = "customers", .pg = "customers" },
	{ .ours = "benefits insurance", .fts5 = "benefits insurance", .pg = "benefits & insurance" },
	{ .ours = "paralegal litigation", .fts5 = "paralegal litigation", .pg = "paralegal & litigation" },
	{ .ours = "engineer", .fts5 = "engineer", .pg = "engineer", .workplace = WORKPLACE_REMOTE },
	{ .ours = "manager", .fts5 = "manager", .pg = "manager", .country = "DE" },
	{ .ours = "nurse", .fts5 = "nurse", .pg = "nurse", .min_salary = 80000 },
	{ .ours = "developer", .fts5 = "developer", .pg = "developer", .within_days = 7 },
	{ .ours = "sales", .fts5 = "sales", .pg = "sales", .employment = EMPLOYMENT_FULL_TIME },
	{ .ours = "team", .fts5 = "team", .pg = "team", .workplace = WORKPLACE_HYBRID, .country = "US" },
	{ .ours = "python", .fts5 = "python", .pg = "python", .min_salary = 120000, .workplace = WORKPLACE_REMOTE },
	{ .ours = "teacher", .fts5 = "teacher", .pg = "teacher", .within_days = 30, .country = "GB" },
	{ .ours = "c++", .fts5 = "\"c\"", .pg = "c", .note = "FTS5 and PostgreSQL read c++ as c" },
	{ .ours = "node.js",
	  .fts5 = "\"node js\"",
	  .pg = "node.js",
	  .note = "FTS5 reads node.js as the phrase node js; PostgreSQL keeps it whole as a file name" },
};
#define NQ (sizeof(queries) / sizeof(queries[0]))

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* This thread's CPU time: the machine is shared, so wall time has other
 * processes' turns in it; CPU time is the engine's own cost. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = 0;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kib = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kib;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

struct samples {
	double *v;
	size_t n, cap;
};

static void sample(struct samples *s, double ms)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	s->v[s->n++] = ms;
}

static void pct(struct samples *s, double *p50, double *p99, double *max)
{
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	*p50 = s->n ? s->v[s->n / 2] : 0;
	size_t i99 = (size_t)ceil(s->n * 0.99);
	*p99 = s->n ? s->v[i99 ? i99 - 1 : 0] : 0;
	*max = s->n ? s->v[s->n - 1] : 0;
}

struct ids {
	int64_t *v;
	size_t n, cap;
};

static void add_id(void *ctx, int64_t id)
{
	struct ids *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4096;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	s->v[s->n++] = id;
}

/* |a \ b| of two sorted sets */
static size_t only_in(const struct ids *a, const struct ids *b)
{
	size_t i = 0, j = 0, n = 0;
	while (i < a->n) {
		if (j >= b->n || a->v[i] < b->v[j]) {
			n++;
			i++;
		} else if (a->v[i] == b->v[j]) {
			i++;
			j++;
		} else {
			j++;
		}
	}
	return n;
}

/* ---- ours -------------------------------------------------------------------- */

static void fill_request(const struct bq *q, struct search_request *r)
{
	memset(r, 0, sizeof(*r));
	r->limit = PAGE;
	r->facets = true;
	if (q->workplace)
		r->filter.workplaces = 1u << q->workplace;
	r->filter.country = q->country;
	r->filter.min_salary = q->min_salary;
	r->filter.employment_types = q->employment;
	r->filter.posted_within_days = q->within_days;
	r->filter.today = search_day(TODAY);
}

static bool with_snippets = true;

static int ours_page(struct search_index *ix, struct tokenizer *tok, const struct corpus *c, const struct bq *q,
		     struct ids *all, uint64_t *scored, uint64_t *total)
{
	struct arena a;
	arena_init(&a, 0);
	struct query query;
	struct query_error err;
	int rc = query_parse(tok, q->ours, strlen(q->ours), &a, &query, &err);
	if (rc) {
		fprintf(stderr, "query %s: %s\n", q->ours, err.message);
		arena_free(&a);
		return rc;
	}
	struct search_request r;
	fill_request(q, &r);
	r.query = &query;
	if (all) {
		r.each = add_id;
		r.each_ctx = all;
	}
	struct search_result res;
	if ((rc = search_index_search(ix, &r, &a, &res)) == 0) {
		struct buf b;
		buf_init(&b, 1 << 20);
		for (size_t i = 0; with_snippets && i < res.nhits; i++) {
			buf_reset(&b);
			search_snippet(tok, &query, c->items[res.hits[i].posting_id - 1].description, 0, &b);
		}
		buf_free(&b);
		if (scored)
			*scored = res.scored;
		if (total)
			*total = res.total;
	}
	arena_free(&a);
	return rc;
}

/* ---- SQLite FTS5 ---------------------------------------------------------------- */

static void die_sqlite(sqlite3 *db, const char *what)
{
	fprintf(stderr, "sqlite: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void exec_sql(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "sqlite: %s: %s\n", sql, msg ? msg : "?");
		exit(1);
	}
}

static unsigned top_salary(const struct gen_posting *p)
{
	return (unsigned)(p->salary_max > 0 ? p->salary_max : p->salary_min);
}

static double fts5_build(sqlite3 *db, const struct corpus *c)
{
	double t0 = now_ms();
	exec_sql(db, "CREATE VIRTUAL TABLE p USING fts5(title, company, location, description, "
		     "tokenize = 'porter unicode61 remove_diacritics 2')");
	exec_sql(db, "CREATE TABLE m.meta (id INTEGER PRIMARY KEY, workplace INT, country TEXT, salary_top REAL, "
		     "emp INT, day INT)");
	exec_sql(db, "BEGIN");
	sqlite3_stmt *ins, *meta;
	if (sqlite3_prepare_v2(db, "INSERT INTO p(rowid, title, company, location, description) VALUES (?,?,?,?,?)", -1,
			       &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO m.meta VALUES (?,?,?,?,?,?)", -1, &meta, NULL) != SQLITE_OK)
		die_sqlite(db, "prepare insert");
	for (size_t i = 0; i < c->n; i++) {
		const struct gen_posting *p = &c->items[i];
		sqlite3_bind_int64(ins, 1, p->id);
		sqlite3_bind_text(ins, 2, p->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, p->company, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, p->location, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, p->description, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die_sqlite(db, "insert");
		sqlite3_reset(ins);
		sqlite3_bind_int64(meta, 1, p->id);
		sqlite3_bind_int(meta, 2, p->workplace);
		sqlite3_bind_text(meta, 3, p->country, -1, SQLITE_STATIC);
		sqlite3_bind_double(meta, 4, top_salary(p));
		sqlite3_bind_int(meta, 5, (int)p->employment_types);
		sqlite3_bind_int(meta, 6, search_day(p->date_posted));
		if (sqlite3_step(meta) != SQLITE_DONE)
			die_sqlite(db, "insert meta");
		sqlite3_reset(meta);
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(meta);
	exec_sql(db, "COMMIT");
	return now_ms() - t0;
}

/* The WHERE part for q's filters over columns of alias t (FTS5: m, PG: the table). */
static void filter_sql(const struct bq *q, struct buf *b, const char *t)
{
	if (q->workplace)
		buf_printf(b, " AND %sworkplace = %d", t, q->workplace);
	if (q->country)
		buf_printf(b, " AND %scountry = '%s'", t, q->country);
	if (q->min_salary > 0)
		buf_printf(b, " AND %ssalary_top >= %.0f", t, q->min_salary);
	if (q->employment)
		buf_printf(b, " AND (%semp & %u) != 0", t, q->employment);
	if (q->within_days)
		buf_printf(b, " AND %sday >= %d", t, search_day(TODAY) - q->within_days);
}

static bool has_filter(const struct bq *q)
{
	return q->workplace || q->country || q->min_salary > 0 || q->employment || q->within_days;
}

static sqlite3_stmt *fts5_prepare(sqlite3 *db, const struct bq *q, bool page)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_printf(&b, "SELECT p.rowid FROM p%s WHERE p MATCH ?1",
		   has_filter(q) ? " JOIN m.meta m ON m.id = p.rowid" : "");
	filter_sql(q, &b, "m.");
	if (page)
		buf_printf(&b, " ORDER BY bm25(p, 3.0, 2.0, 1.5, 1.0), p.rowid DESC LIMIT %d", PAGE);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, b.data, -1, &st, NULL) != SQLITE_OK)
		die_sqlite(db, b.data);
	sqlite3_bind_text(st, 1, q->fts5, -1, SQLITE_STATIC);
	buf_free(&b);
	return st;
}

static void fts5_run(sqlite3_stmt *st, struct ids *out)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (out)
			add_id(out, sqlite3_column_int64(st, 0));
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "fts5 query failed: %d\n", rc);
		exit(1);
	}
	sqlite3_reset(st);
}

/* ---- PostgreSQL ------------------------------------------------------------------ */

static PGresult *pg_must(PGconn *pg, PGresult *r, const char *what)
{
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_COPY_IN) {
		fprintf(stderr, "postgres: %s: %s\n", what, PQerrorMessage(pg));
		exit(1);
	}
	return r;
}

static void pg_exec(PGconn *pg, const char *sql)
{
	PQclear(pg_must(pg, PQexec(pg, sql), sql));
}

static void copy_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_puts(b, "\\\\");
		else if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s == '\t')
			buf_puts(b, "\\t");
		else if (*s == '\r')
			buf_puts(b, "\\r");
		else
			buf_putc(b, *s);
	}
}

static double pg_build(PGconn *pg, const struct corpus *c, double *copy_ms)
{
	pg_exec(pg, "DROP TABLE IF EXISTS postings");
	pg_exec(pg, "CREATE TABLE postings (id bigint PRIMARY KEY, title text, company text, location text, "
		    "description text, workplace int, country text, salary_top float8, emp int, day int, "
		    "tsv tsvector GENERATED ALWAYS AS ("
		    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
		    "setweight(to_tsvector('english', coalesce(company, '')), 'B') || "
		    "setweight(to_tsvector('english', coalesce(location, '')), 'C') || "
		    "setweight(to_tsvector('english', coalesce(description, '')), 'D')) STORED)");
	double t0 = now_ms();
	PQclear(pg_must(pg,
			PQexec(pg, "COPY postings (id, title, company, location, description, workplace, country, "
				   "salary_top, emp, day) FROM STDIN"),
			"copy"));
	struct buf b;
	buf_init(&b, 64u << 20);
	for (size_t i = 0; i < c->n; i++) {
		const struct gen_posting *p = &c->items[i];
		buf_printf(&b, "%lld\t", (long long)p->id);
		copy_text(&b, p->title);
		buf_putc(&b, '\t');
		copy_text(&b, p->company);
		buf_putc(&b, '\t');
		copy_text(&b, p->location);
		buf_putc(&b, '\t');
		copy_text(&b, p->description);
		buf_printf(&b, "\t%d\t%s\t%u\t%u\t%d\n", p->workplace, p->country, top_salary(p), p->employment_types,
			   search_day(p->date_posted));
		if (b.len > (8u << 20) || i + 1 == c->n) {
			if (PQputCopyData(pg, b.data, (int)b.len) != 1) {
				fprintf(stderr, "postgres: copy: %s\n", PQerrorMessage(pg));
				exit(1);
			}
			buf_reset(&b);
		}
	}
	buf_free(&b);
	if (PQputCopyEnd(pg, NULL) != 1)
		exit(1);
	PQclear(pg_must(pg, PQgetResult(pg), "copy end"));
	*copy_ms = now_ms() - t0;
	pg_exec(pg, "CREATE INDEX postings_tsv ON postings USING gin (tsv)");
	pg_exec(pg, "VACUUM ANALYZE postings");
	return now_ms() - t0;
}

static char *pg_sql(const struct bq *q, bool page)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "SELECT id FROM postings WHERE tsv @@ to_tsquery('english', $1)");
	filter_sql(q, &b, "");
	if (page)
		buf_printf(&b, " ORDER BY ts_rank(tsv, to_tsquery('english', $1)) DESC, id DESC LIMIT %d", PAGE);
	return b.data;
}

static void pg_run(PGconn *pg, const char *name, const struct bq *q, struct ids *out)
{
	const char *params[1] = { q->pg };
	PGresult *r = pg_must(pg, PQexecPrepared(pg, name, 1, params, NULL, NULL, 0), name);
	if (out)
		for (int i = 0; i < PQntuples(r); i++)
			add_id(out, strtoll(PQgetvalue(r, i, 0), NULL, 10));
	PQclear(r);
}

/* Adds (or replaces) the generated posting p in ours; 0 or -1 (said). */
static int put_item(struct search_index *ix, struct tokenizer *tok, const struct gen_posting *p)
{
	const char *srcs[2] = { p->source, p->source2 };
	struct search_doc d = { .posting_id = p->id,
				.title = p->title,
				.company = p->company,
				.location = p->location,
				.description = p->description,
				.workplace = p->workplace,
				.country = p->country,
				.city = p->city,
				.employment_types = p->employment_types,
				.sources = srcs,
				.nsources = p->source2 ? 2 : 1,
				.date_posted = p->date_posted,
				.salary_year_min = p->salary_min,
				.salary_year_max = p->salary_max,
				.salary_currency = p->currency };
	if (search_index_put(ix, tok, &d)) {
		fprintf(stderr, "index: put failed\n");
		return -1;
	}
	return 0;
}

/* --churn N: the writer's side of updates. N postings are written again
 * (each leaves a dead document and is looked up in every term keeping
 * counts), then prepare compacts when enough are dead; every query must
 * still give the same total. */
static int churn(struct search_index *ix, struct tokenizer *tok, const struct corpus *c, long n)
{
	uint64_t before[NQ];
	for (size_t i = 0; i < NQ; i++)
		if (ours_page(ix, tok, c, &queries[i], NULL, NULL, &before[i]))
			return -1;
	double t0 = now_ms(), c0 = cpu_ms();
	size_t step = c->n / (size_t)n ? c->n / (size_t)n : 1;
	long done = 0;
	for (size_t i = 0; i < c->n && done < n; i += step, done++)
		if (put_item(ix, tok, &c->items[i]))
			return -1;
	double put_cpu = cpu_ms() - c0, put_ms = now_ms() - t0;
	struct search_stats st;
	search_index_stats(ix, &st);
	uint64_t dead = st.docs - st.live_docs;
	t0 = now_ms();
	c0 = cpu_ms();
	if (search_index_prepare(ix))
		return -1;
	double prep_cpu = cpu_ms() - c0, prep_ms = now_ms() - t0;
	search_index_stats(ix, &st);
	size_t same = 0;
	for (size_t i = 0; i < NQ; i++) {
		uint64_t total = 0;
		if (ours_page(ix, tok, c, &queries[i], NULL, NULL, &total))
			return -1;
		same += total == before[i];
	}
	printf("churn: %ld postings written again in %.0f ms (cpu %.0f; %.1f us each); %llu dead, then prepare "
	       "%.0f ms (cpu %.0f) leaves %llu dead; same totals in %zu of %zu queries\n",
	       done, put_ms, put_cpu, put_cpu * 1e3 / (double)(done ? done : 1), (unsigned long long)dead, prep_ms,
	       prep_cpu, (unsigned long long)(st.docs - st.live_docs), same, NQ);
	return same == NQ ? 0 : -1;
}

/* ---- main --------------------------------------------------------------------- */

/* The mix as the query strings of GET /api/v1/postings, one a line, for
 * bench/search_http.sh: the same queries and filters over HTTP. */
static void url_put(struct buf *b, const char *key, const char *v)
{
	buf_printf(b, "%s%s=", b->len ? "&" : "", key);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (isalnum(*p) || strchr("-._~", *p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
}

static void print_queries(void)
{
	struct buf b;
	buf_init(&b, 4096);
	for (size_t i = 0; i < NQ; i++) {
		const struct bq *q = &queries[i];
		char num[32];
		buf_reset(&b);
		url_put(&b, "q", q->ours);
		if (q->workplace)
			url_put(&b, "workplace", workplace_name((enum workplace)q->workplace));
		if (q->country)
			url_put(&b, "country", q->country);
		if (q->min_salary > 0) {
			snprintf(num, sizeof(num), "%.0f", q->min_salary);
			url_put(&b, "min_salary", num);
		}
		for (unsigned t = 1; t && t <= q->employment; t <<= 1)
			if (q->employment & t)
				url_put(&b, "employment_type", employment_type_name((enum employment_type)t));
		if (q->within_days) {
			snprintf(num, sizeof(num), "%d", q->within_days);
			url_put(&b, "posted_within_days", num);
		}
		printf("%.*s\n", (int)b.len, b.data);
	}
	buf_free(&b);
}

static void usage(void)
{
	fprintf(stderr, "usage: search_bench --docs N [--pg URL] [--dir DIR] [--rounds R] [--sql-rounds R] "
			"[--ours-only [--churn N]] [--no-snippets] | --print-queries\n");
	exit(2);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows as it happens, into a file too */
	long docs = 200000, rounds = 30, sql_rounds = 3, churn_n = 0;
	bool ours_only = false;
	const char *pg_url = NULL, *dir = "/tmp";
	for (int i = 1; i < argc; i++) {
		char *end = NULL;
		if (!strcmp(argv[i], "--docs") && i + 1 < argc)
			docs = strtol(argv[++i], &end, 10);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = strtol(argv[++i], &end, 10);
		else if (!strcmp(argv[i], "--sql-rounds") && i + 1 < argc)
			sql_rounds = strtol(argv[++i], &end, 10);
		else if (!strcmp(argv[i], "--pg") && i + 1 < argc)
			pg_url = argv[++i];
		else if (!strcmp(argv[i], "--ours-only"))
			ours_only = true;
		else if (!strcmp(argv[i], "--churn") && i + 1 < argc)
			churn_n = strtol(argv[++i], &end, 10);
		else if (!strcmp(argv[i], "--print-queries")) {
			print_queries();
			return 0;
		} else if (!strcmp(argv[i], "--no-snippets"))
			with_snippets = false;
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else
			usage();
		if (end && *end)
			usage();
	}
	if (docs < 1 || rounds < 1 || sql_rounds < 1)
		usage();

	struct corpus c;
	double t0 = now_ms();
	if (corpus_generate(&c, (size_t)docs, 8, TODAY)) {
		fprintf(stderr, "out of memory generating the corpus\n");
		return 1;
	}
	size_t desc_bytes = 0;
	for (size_t i = 0; i < c.n; i++)
		desc_bytes += strlen(c.items[i].description);
	printf("corpus: %zu postings, %.0f MiB of text, descriptions %.0f bytes on average (generated in %.1f s)\n",
	       c.n, c.text_len / 1048576.0, (double)desc_bytes / c.n, (now_ms() - t0) / 1e3);

	/* ours */
	struct tokenizer *tok = tokenizer_new();
	struct search_index *ix = search_index_new(NULL);
	if (!tok || !ix)
		return 1;
	long rss0 = rss_kib();
	t0 = now_ms();
	double c0 = cpu_ms();
	for (size_t i = 0; i < c.n; i++)
		if (put_item(ix, tok, &c.items[i]))
			return 1;
	double put_ms = now_ms() - t0;
	search_index_prepare(ix);
	double ours_build = now_ms() - t0, ours_cpu = cpu_ms() - c0;
	long rss1 = rss_kib();
	struct search_stats st;
	search_index_stats(ix, &st);
	uint64_t held =
	    st.bytes_docs + st.bytes_postings + st.bytes_positions + st.bytes_blocks + st.bytes_dict + st.bytes_counts;
	printf("ours:  build %.1f s, cpu %.1f s (adding %.1f s, prepare %.1f s); %llu terms; memory %.0f MiB (docs "
	       "%.0f, postings "
	       "%.0f, positions %.0f, blocks %.0f, dictionary %.0f, counts of %llu terms %.1f; RSS +%.0f MiB)\n",
	       ours_build / 1e3, ours_cpu / 1e3, put_ms / 1e3, (ours_build - put_ms) / 1e3,
	       (unsigned long long)st.terms, held / 1048576.0, st.bytes_docs / 1048576.0, st.bytes_postings / 1048576.0,
	       st.bytes_positions / 1048576.0, st.bytes_blocks / 1048576.0, st.bytes_dict / 1048576.0,
	       (unsigned long long)st.counted_terms, st.bytes_counts / 1048576.0, (rss1 - rss0) / 1024.0);

	if (ours_only) {
		struct samples so = { 0 }, soc = { 0 };
		for (long r = 0; r < rounds; r++)
			for (size_t i = 0; i < NQ; i++) {
				uint64_t scored = 0, total = 0;
				double s = now_ms(), cs = cpu_ms();
				ours_page(ix, tok, &c, &queries[i], NULL, &scored, &total);
				double ms = now_ms() - s, cms = cpu_ms() - cs;
				sample(&so, ms);
				sample(&soc, cms);
				if (r == rounds - 1)
					printf("  %-36s %8.2f ms (cpu %6.2f)  scored %llu of %llu\n", queries[i].ours,
					       ms, cms, (unsigned long long)scored, (unsigned long long)total);
			}
		double p50, p99, mx;
		pct(&so, &p50, &p99, &mx);
		printf("  ours  p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  (%zu runs)\n", p50, p99, mx, so.n);
		pct(&soc, &p50, &p99, &mx);
		printf("  ours cpu p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms\n", p50, p99, mx);
		return churn_n > 0 && churn(ix, tok, &c, churn_n) ? 1 : 0;
	}

	/* FTS5 */
	char fts_path[512], meta_path[512];
	snprintf(fts_path, sizeof(fts_path), "%s/search_bench_fts5.db", dir);
	snprintf(meta_path, sizeof(meta_path), "%s/search_bench_meta.db", dir);
	unlink(fts_path);
	unlink(meta_path);
	sqlite3 *db;
	if (sqlite3_open(fts_path, &db) != SQLITE_OK)
		die_sqlite(db, "open");
	exec_sql(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; "
		     "PRAGMA mmap_size = 4294967296");
	char attach[600];
	snprintf(attach, sizeof(attach), "ATTACH '%s' AS m", meta_path);
	exec_sql(db, attach);
	c0 = cpu_ms();
	double fts_build = fts5_build(db, &c), fts_cpu = cpu_ms() - c0;
	sqlite3_int64 pages = 0, page_size = 0;
	sqlite3_stmt *ps;
	sqlite3_prepare_v2(
	    db, "SELECT (SELECT page_count FROM pragma_page_count), (SELECT page_size FROM pragma_page_size)", -1, &ps,
	    NULL);
	if (sqlite3_step(ps) == SQLITE_ROW) {
		pages = sqlite3_column_int64(ps, 0);
		page_size = sqlite3_column_int64(ps, 1);
	}
	sqlite3_finalize(ps);
	printf("fts5:  build %.1f s, cpu %.1f s; file %.0f MiB (the FTS5 table with its text; filter columns apart)\n",
	       fts_build / 1e3, fts_cpu / 1e3, (double)(pages * page_size) / 1048576.0);

	/* PostgreSQL */
	PGconn *pg = NULL;
	if (pg_url) {
		pg = PQconnectdb(pg_url);
		if (PQstatus(pg) != CONNECTION_OK) {
			fprintf(stderr, "postgres: %s\n", PQerrorMessage(pg));
			return 1;
		}
		PQclear(PQexec(pg, "SET client_min_messages = warning"));
		double copy_ms;
		double pg_b = pg_build(pg, &c, &copy_ms);
		PGresult *r = pg_must(pg,
				      PQexec(pg, "SELECT pg_total_relation_size('postings'), "
						 "pg_relation_size('postings_tsv')"),
				      "size");
		printf("pg:    build %.1f s (COPY with tsvector %.1f s, GIN index and ANALYZE %.1f s); table %.0f MiB, "
		       "GIN %.0f MiB\n",
		       pg_b / 1e3, copy_ms / 1e3, (pg_b - copy_ms) / 1e3, strtod(PQgetvalue(r, 0, 0), NULL) / 1048576.0,
		       strtod(PQgetvalue(r, 0, 1), NULL) / 1048576.0);
		PQclear(r);
		for (size_t i = 0; i < NQ; i++) {
			char name[32];
			char *sql = pg_sql(&queries[i], true);
			snprintf(name, sizeof(name), "page%zu", i);
			PQclear(pg_must(pg, PQprepare(pg, name, sql, 1, NULL), sql));
			free(sql);
			sql = pg_sql(&queries[i], false);
			snprintf(name, sizeof(name), "all%zu", i);
			PQclear(pg_must(pg, PQprepare(pg, name, sql, 1, NULL), sql));
			free(sql);
		}
	}

	/* The same matches? */
	printf("\n%-38s %9s %9s %9s  %s\n", "query (filters)", "ours", "fts5", "pg", "same matches");
	size_t agree_fts = 0, agree_pg = 0;
	for (size_t i = 0; i < NQ; i++) {
		const struct bq *q = &queries[i];
		struct ids a = { 0 }, b = { 0 }, p = { 0 };
		uint64_t scored = 0, total = 0;
		if (ours_page(ix, tok, &c, q, &a, &scored, &total))
			return 1;
		sqlite3_stmt *stq = fts5_prepare(db, q, false);
		fts5_run(stq, &b);
		sqlite3_finalize(stq);
		if (pg) {
			char name[32];
			snprintf(name, sizeof(name), "all%zu", i);
			pg_run(pg, name, q, &p);
		}
		qsort(a.v, a.n, sizeof(*a.v), cmp_i64);
		qsort(b.v, b.n, sizeof(*b.v), cmp_i64);
		qsort(p.v, p.n, sizeof(*p.v), cmp_i64);
		size_t fa = only_in(&a, &b), fb = only_in(&b, &a), pa = only_in(&a, &p), pb = only_in(&p, &a);
		agree_fts += !fa && !fb;
		agree_pg += pg && !pa && !pb;
		char label[64];
		snprintf(label, sizeof(label), "%s%s", q->ours, has_filter(q) ? " (+filter)" : "");
		char pgn[24] = "-";
		if (pg)
			snprintf(pgn, sizeof(pgn), "%zu", p.n);
		printf("%-38s %9zu %9zu %9s  fts5 %s, pg %s; scored %llu of %llu%s%s\n", label, a.n, b.n, pgn,
		       !fa && !fb ? "yes" : "NO",
		       !pg          ? "-"
		       : !pa && !pb ? "yes"
				    : "NO",
		       (unsigned long long)scored, (unsigned long long)total, q->note ? " — " : "",
		       q->note ? q->note : "");
		if (fa || fb)
			printf("%38s only ours %zu, only fts5 %zu\n", "", fa, fb);
		if (pg && (pa || pb))
			printf("%38s only ours %zu, only pg %zu\n", "", pa, pb);
		free(a.v);
		free(b.v);
		free(p.v);
	}
	printf("same matches: fts5 %zu of %zu queries, pg %zu of %zu\n", agree_fts, NQ, agree_pg, pg ? NQ : 0);

	/* Latency of the first page. */
	struct samples so = { 0 }, sf = { 0 }, sp = { 0 }, soc = { 0 }, sfc = { 0 };
	for (size_t i = 0; i < NQ; i++) /* warm-up */
		ours_page(ix, tok, &c, &queries[i], NULL, NULL, NULL);
	for (long r = 0; r < rounds; r++)
		for (size_t i = 0; i < NQ; i++) {
			double s = now_ms(), cs = cpu_ms();
			ours_page(ix, tok, &c, &queries[i], NULL, NULL, NULL);
			sample(&so, now_ms() - s);
			sample(&soc, cpu_ms() - cs);
		}
	sqlite3_stmt *pst[NQ];
	for (size_t i = 0; i < NQ; i++) {
		pst[i] = fts5_prepare(db, &queries[i], true);
		fts5_run(pst[i], NULL);
	}
	for (long r = 0; r < sql_rounds; r++)
		for (size_t i = 0; i < NQ; i++) {
			double s = now_ms(), cs = cpu_ms();
			fts5_run(pst[i], NULL);
			sample(&sf, now_ms() - s);
			sample(&sfc, cpu_ms() - cs);
		}
	for (size_t i = 0; i < NQ; i++)
		sqlite3_finalize(pst[i]);
	if (pg) {
		for (size_t i = 0; i < NQ; i++) {
			char name[32];
			snprintf(name, sizeof(name), "page%zu", i);
			pg_run(pg, name, &queries[i], NULL);
		}
		for (long r = 0; r < sql_rounds; r++)
			for (size_t i = 0; i < NQ; i++) {
				char name[32];
				snprintf(name, sizeof(name), "page%zu", i);
				double s = now_ms();
				pg_run(pg, name, &queries[i], NULL);
				sample(&sp, now_ms() - s);
			}
	}
	double p50, p99, mx;
	printf("\nfirst page (%d hits), %zu queries in the mix, warm:\n", PAGE, NQ);
	pct(&so, &p50, &p99, &mx);
	printf("  ours  p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  (%zu runs; with total, facets and snippets)\n", p50,
	       p99, mx, so.n);
	double ours_p99 = p99;
	pct(&soc, &p50, &p99, &mx);
	printf("  ours  cpu p50 %5.2f ms  p99 %8.2f ms  max %8.2f ms\n", p50, p99, mx);
	pct(&sf, &p50, &p99, &mx);
	printf("  fts5  p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  (%zu runs; ids only)\n", p50, p99, mx, sf.n);
	pct(&sfc, &p50, &p99, &mx);
	printf("  fts5  cpu p50 %5.2f ms  p99 %8.2f ms  max %8.2f ms\n", p50, p99, mx);
	if (pg) {
		pct(&sp, &p50, &p99, &mx);
		printf("  pg    p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  (%zu runs; ids only, over a unix socket)\n",
		       p50, p99, mx, sp.n);
		printf("  p99 ratio pg / ours: %.0fx\n", p99 / (ours_p99 > 0 ? ours_p99 : 1e-3));
	}
	sqlite3_close(db);
	unlink(fts_path);
	unlink(meta_path);
	if (pg) {
		pg_exec(pg, "DROP TABLE postings");
		PQfinish(pg);
	}
	search_index_free(ix);
	tokenizer_free(tok);
	corpus_free(&c);
	free(so.v);
	free(sf.v);
	free(sp.v);
	free(soc.v);
	free(sfc.v);
	return 0;
}
