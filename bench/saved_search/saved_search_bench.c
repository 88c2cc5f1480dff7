/* The "new since you last looked" counts of saved searches (issue 8): one
 * user with 20 saved searches over a generated corpus (bench/search/corpus.h),
 * each last looked at 1 to 14 days ago, the postings first seen in order
 * over 120 days. Counted the way jobtrack does (search/saved.c: the stored
 * query string parsed by search/params.c, the index with its first_seen
 * filter, a total without a page) and the way one would with a plain SQLite
 * FTS5 table and a first_seen column (count(*) of MATCH joined to the
 * metadata). Prints the time for all 20 counts (what the board and the
 * postings page pay per view): p50 / p99 over the rounds, and whether both
 * count the same. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "../search/corpus.h"
#include "search/index.h"
#include "search/params.h"
#include "search/query.h"
#include "search/tokenize.h"
#include "scrape/posting.h"

#define TODAY "2026-03-04"
#define DAY   86400

/* A saved search: the query string jobtrack stores, and the same as an
 * FTS5 expression plus SQL over the metadata table. */
struct saved {
	const char *query, *fts5, *sql;
	int looked_days_ago;
};

static const struct saved searches[] = {
	{ "q=engineer&workplace=remote", "engineer", "workplace = 3", 1 },
	{ "q=software%20engineer", "software engineer", NULL, 2 },
	{ "q=%22machine%20learning%22", "\"machine learning\"", NULL, 3 },
	{ "q=python%20OR%20java&workplace=remote", "python OR java", "workplace = 3", 1 },
	{ "q=registered%20nurse&country=US", "registered nurse", "country = 'US'", 7 },
	{ "q=manager&country=DE", "manager", "country = 'DE'", 2 },
	{ "q=developer%20-java", "developer NOT java", NULL, 5 },
	{ "q=data&min_salary=100000", "data", "salary_top >= 100000", 4 },
	{ "q=kubernetes%20terraform", "kubernetes terraform", NULL, 14 },
	{ "q=title%3Anurse", "title:nurse", NULL, 3 },
	{ "q=truck%20driver&country=US", "truck driver", "country = 'US'", 6 },
	{ "q=teacher", "teacher", NULL, 1 },
	{ "q=sales%20OR%20marketing&workplace=hybrid", "sales OR marketing", "workplace = 2", 2 },
	{ "q=accountant", "accountant", NULL, 10 },
	{ "q=warehouse%20forklift", "warehouse forklift", NULL, 7 },
	{ "q=electrician&country=GB", "electrician", "country = 'GB'", 3 },
	{ "q=%22project%20manager%22&min_salary=80000", "\"project manager\"", "salary_top >= 80000", 5 },
	{ "q=paralegal%20litigation", "paralegal litigation", NULL, 14 },
	{ "q=barista", "barista", NULL, 1 },
	{ "workplace=remote&country=DE", NULL, "workplace = 3 AND country = 'DE'", 2 },
};
#define NS (sizeof(searches) / sizeof(searches[0]))

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* This thread's CPU time: the machine is shared, so wall time has other
 * processes' turns in it; CPU time is the counts' own cost. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void pct(double *v, size_t n, double *p50, double *p99)
{
	qsort(v, n, sizeof(*v), cmp_double);
	*p50 = v[n / 2];
	size_t i99 = (size_t)ceil(n * 0.99);
	*p99 = v[i99 ? i99 - 1 : 0];
}

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

/* The count jobtrack makes (saved_search_count_new without the service's lock). */
static int64_t ours_count(const struct search_index *ix, struct tokenizer *tok, const struct saved *s, int64_t since)
{
	struct arena a;
	arena_init(&a, 0);
	struct search_params p;
	int64_t n = -1;
	if (search_params_from_string(s->query, &a, NULL, 1, &p) == 0) {
		struct query_error err;
		if (!p.q || query_parse(tok, p.q, strlen(p.q), &a, &p.query, &err) == 0) {
			p.req.query = &p.query;
			p.req.filter.first_seen_after = since;
			p.req.facets = false;
			p.req.limit = 1;
			struct search_result res;
			if (search_index_search(ix, &p.req, &a, &res) == 0)
				n = (int64_t)res.total;
		}
	}
	arena_free(&a);
	return n;
}

static int64_t fts5_count(sqlite3_stmt *st, int64_t since)
{
	sqlite3_bind_int64(st, 1, since);
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

int main(int argc, char **argv)
{
	size_t docs = 200000;
	long rounds = 30;
	const char *dir = "/tmp";
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--docs"))
			docs = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--rounds"))
			rounds = strtol(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--dir"))
			dir = argv[i + 1];
	}
	struct corpus c;
	if (corpus_generate(&c, docs, 42, TODAY))
		return 1;
	const int64_t today = (int64_t)search_day(TODAY) * DAY, start = today - 120 * DAY;
	int64_t *first_seen = malloc(c.n * sizeof(*first_seen));
	for (size_t i = 0; i < c.n; i++)
		first_seen[i] = start + (int64_t)((double)i * 120 * DAY / (double)c.n);

	struct tokenizer *tok = tokenizer_new();
	struct search_index *ix = search_index_new(NULL);
	double t0 = now_ms();
	for (size_t i = 0; i < c.n; i++) {
		const struct gen_posting *p = &c.items[i];
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
					.salary_currency = p->currency,
					.first_seen = first_seen[i] };
		if (search_index_put(ix, tok, &d))
			return 1;
	}
	search_index_prepare(ix);
	printf("ours:  index of %zu postings built in %.1f s\n", c.n, (now_ms() - t0) / 1e3);

	char path[512];
	snprintf(path, sizeof(path), "%s/saved_search_bench.db", dir);
	unlink(path);
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die_sqlite(db, "open");
	exec_sql(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; "
		     "PRAGMA mmap_size = 4294967296");
	t0 = now_ms();
	exec_sql(db, "CREATE VIRTUAL TABLE p USING fts5(title, company, location, description, "
		     "tokenize = 'porter unicode61 remove_diacritics 2')");
	exec_sql(db, "CREATE TABLE meta (id INTEGER PRIMARY KEY, workplace INT, country TEXT, salary_top REAL, "
		     "first_seen INT)");
	exec_sql(db, "BEGIN");
	sqlite3_stmt *ins, *meta;
	if (sqlite3_prepare_v2(db, "INSERT INTO p(rowid, title, company, location, description) VALUES (?,?,?,?,?)", -1,
			       &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO meta VALUES (?,?,?,?,?)", -1, &meta, NULL) != SQLITE_OK)
		die_sqlite(db, "prepare");
	for (size_t i = 0; i < c.n; i++) {
		const struct gen_posting *p = &c.items[i];
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
		sqlite3_bind_double(meta, 4, p->salary_max > 0 ? p->salary_max : p->salary_min);
		sqlite3_bind_int64(meta, 5, first_seen[i]);
		if (sqlite3_step(meta) != SQLITE_DONE)
			die_sqlite(db, "insert meta");
		sqlite3_reset(meta);
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(meta);
	exec_sql(db, "COMMIT");
	/* what one would add for "new since": an index on the moment */
	exec_sql(db, "CREATE INDEX meta_first_seen ON meta(first_seen)");
	exec_sql(db, "ANALYZE");
	printf("fts5:  table of %zu postings built in %.1f s\n", c.n, (now_ms() - t0) / 1e3);

	sqlite3_stmt *st[NS];
	int64_t since[NS];
	for (size_t i = 0; i < NS; i++) {
		char sql[512];
		const struct saved *s = &searches[i];
		if (s->fts5)
			snprintf(sql, sizeof(sql),
				 "SELECT count(*) FROM p JOIN meta ON meta.id = p.rowid WHERE p MATCH '%s' AND "
				 "meta.first_seen > ?1%s%s",
				 s->fts5, s->sql ? " AND " : "", s->sql ? s->sql : "");
		else
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM meta WHERE first_seen > ?1 AND %s", s->sql);
		if (sqlite3_prepare_v2(db, sql, -1, &st[i], NULL) != SQLITE_OK)
			die_sqlite(db, sql);
		since[i] = today - (int64_t)s->looked_days_ago * DAY;
	}

	double *ours_ms = malloc((size_t)rounds * sizeof(double)), *fts_ms = malloc((size_t)rounds * sizeof(double));
	double *ours_cpu = malloc((size_t)rounds * sizeof(double)), *fts_cpu = malloc((size_t)rounds * sizeof(double));
	int64_t ours_n[NS], fts_n[NS];
	double ours_each[NS] = { 0 }, fts_each[NS] = { 0 };
	for (long r = 0; r < rounds; r++) {
		double s = now_ms(), cs = cpu_ms();
		for (size_t i = 0; i < NS; i++) {
			double e = now_ms();
			ours_n[i] = ours_count(ix, tok, &searches[i], since[i]);
			ours_each[i] += now_ms() - e;
		}
		ours_ms[r] = now_ms() - s;
		ours_cpu[r] = cpu_ms() - cs;
		s = now_ms();
		cs = cpu_ms();
		for (size_t i = 0; i < NS; i++) {
			double e = now_ms();
			fts_n[i] = fts5_count(st[i], since[i]);
			fts_each[i] += now_ms() - e;
		}
		fts_ms[r] = now_ms() - s;
		fts_cpu[r] = cpu_ms() - cs;
	}
	int same = 0;
	for (size_t i = 0; i < NS; i++) {
		same += ours_n[i] == fts_n[i];
		printf("  %-46s looked %2d d ago: new %6lld (fts5 %6lld)  ours %7.3f ms  fts5 %8.3f ms\n",
		       searches[i].query, searches[i].looked_days_ago, (long long)ours_n[i], (long long)fts_n[i],
		       ours_each[i] / (double)rounds, fts_each[i] / (double)rounds);
	}
	double p50, p99, f50, f99;
	pct(ours_ms, (size_t)rounds, &p50, &p99);
	pct(fts_ms, (size_t)rounds, &f50, &f99);
	printf("all %zu counts of one user, %ld rounds:\n", NS, rounds);
	printf("  ours  p50 %8.2f ms  p99 %8.2f ms  (wall)\n", p50, p99);
	printf("  fts5  p50 %8.2f ms  p99 %8.2f ms  (wall)\n", f50, f99);
	pct(ours_cpu, (size_t)rounds, &p50, &p99);
	pct(fts_cpu, (size_t)rounds, &f50, &f99);
	printf("  ours  p50 %8.2f ms  p99 %8.2f ms  (cpu)\n", p50, p99);
	printf("  fts5  p50 %8.2f ms  p99 %8.2f ms  (cpu)\n", f50, f99);
	printf("  the same count for %d of %zu searches\n", same, NS);
	for (size_t i = 0; i < NS; i++)
		sqlite3_finalize(st[i]);
	sqlite3_close(db);
	unlink(path);
	search_index_free(ix);
	tokenizer_free(tok);
	corpus_free(&c);
	free(first_seen);
	free(ours_ms);
	free(ours_cpu);
	free(fts_cpu);
	free(fts_ms);
	return 0;
}
