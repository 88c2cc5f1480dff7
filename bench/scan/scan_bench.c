/* scan_bench — the resume scanner's ranking benchmark: one resume against
 * N generated postings (default 10,000), the top 50 with full breakdowns.
 *
 *   build/bench/scan/scan_bench [--postings N] [--taxonomy DIR] [--runs R] [--threads T]
 *                               [--store URL]
 *
 * Postings are generated deterministically (a fixed-seed xorshift) from the
 * taxonomy's own titles and skills plus filler sentences, ~2.5 KB of text
 * each, in a realistic shape (about, responsibilities, requirements, nice to
 * have, benefits). Two ways, best of R runs each:
 *   end to end: every posting's text analysed (JD terms) and scored, its
 *               memory dropped at once; then the top 50 analysed again and
 *               scored with full breakdowns, rendered as JSON
 *   cached:     the postings' terms already extracted (what a store could
 *               keep per posting): score all, then the top 50 in full
 * With --store URL (a fresh SQLite or PostgreSQL store; bench/scan.sh makes
 * one), the way `serve` and `jobtrack scan --best` rank instead: the
 * postings are ingested into the store, their terms cached there
 * (scan_terms_fill: the one-time cost at ingest), and then ranked through
 * scan/best.h, reading the cached terms from the store: cold (the first
 * ranking on a freshly opened store) and warm (best of R). Each ranking
 * first checks for postings with no current terms (none are left: the
 * check is what the API pays on every ranking). */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/text.h"
#include "store/store.h"
#include "scan/best.h"
#include "scan/best_report.h"
#include "scan/jd.h"
#include "scan/report.h"
#include "scan/resume.h"
#include "scan/score.h"

#define TOP 50

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t pick(size_t n)
{
	return n ? (size_t)(next() % n) : 0;
}

static const char *const filler[] = {
	"you will work closely with our customers and partners to deliver reliable results",
	"we value ownership, curiosity and clear written communication across the company",
	"the team supports daily operations and plans improvements for the coming quarter",
	"help us build processes that scale as the organisation grows across regions",
	"collaborate with colleagues in operations, finance and product on shared goals",
	"maintain accurate documentation and report progress to the leadership team",
	"take part in reviews, planning sessions and the weekly all-hands meeting",
	"our offices are in Berlin, Lisbon and Toronto, with flexible remote options",
	"you care about quality and keep learning new methods and standards",
	"identify risks early, propose solutions and follow them through to completion",
};
static const char *const benefits[] = { "health, dental and vision insurance", "a 401k plan with matching",
					"paid parental leave", "a learning budget", "flexible hours" };
static const char *const degrees[] = { "Bachelor's degree in a related field", "Master's degree preferred",
				       "High school diploma or equivalent", "Associate degree or equivalent" };

/* One posting of occupation occ into b. */
static void make_posting(struct buf *b, const struct taxonomy *t, size_t occ, char *title, size_t title_cap)
{
	const struct tax_title *ti = &t->titles[occ];
	static const char *const levels[] = { "", "Senior ", "Junior ", "Lead ", "" };
	const char *form = ti->forms[pick(ti->nforms)];
	if (form[0] == '=')
		form++;
	snprintf(title, title_cap, "%s%s", levels[pick(5)], form);
	/* skills of the occupation's field, and a few from anywhere */
	size_t cand[4096], nc = 0;
	for (size_t i = 0; i < t->n_skills && nc < 4096; i++)
		if (t->skills[i].category == ti->category)
			cand[nc++] = i;
	buf_reset(b);
	buf_printf(b, "%s\n\nAbout us\n", title);
	for (int i = 0; i < 3; i++)
		buf_printf(b, "%s. ", filler[pick(10)]);
	buf_puts(b, "\n\nResponsibilities\n");
	for (int i = 0; i < 6; i++) {
		size_t s = nc ? cand[pick(nc)] : pick(t->n_skills);
		buf_printf(b, "- %s, using %s\n", filler[pick(10)], t->skills[s].name);
	}
	buf_printf(b, "\nRequirements\n- %zu+ years of experience as a %s\n", 1 + pick(8), form);
	for (int i = 0; i < 6; i++) {
		size_t s1 = nc ? cand[pick(nc)] : pick(t->n_skills), s2 = nc ? cand[pick(nc)] : pick(t->n_skills);
		buf_printf(b, "- Strong %s and %s; %s\n", t->skills[s1].name, t->skills[s2].name, filler[pick(10)]);
	}
	buf_printf(b, "- %s\n- Excellent communication and teamwork\n\nNice to have\n", degrees[pick(4)]);
	for (int i = 0; i < 3; i++)
		buf_printf(b, "- %s\n", t->skills[pick(t->n_skills)].name);
	buf_puts(b, "\nBenefits\n");
	for (int i = 0; i < 3; i++)
		buf_printf(b, "- %s\n", benefits[pick(5)]);
}

static const char resume[] =
    "Jane Doe\nSenior Software Engineer\njane@example.com | +1 555 123 4567 | linkedin.com/in/jane\n\n"
    "## Summary\nBackend engineer with nine years building payment services in Go, Python and PostgreSQL.\n\n"
    "## Experience\nSenior Software Engineer, Acme Corp — Jan 2019 – Present\n"
    "- Cut API latency by 40% moving hot paths from Python to Go\n"
    "- Ran Kubernetes clusters on AWS serving 2M requests a day\n- Mentored 4 engineers\n"
    "Software Developer, Beta Ltd — 03/2015 - 06/2019\n- Built REST APIs in Java with Spring Boot and MySQL\n"
    "- Wrote CI/CD pipelines with Jenkins and Terraform\n\n## Education\nB.S. Computer Science, 2011 - 2015\n\n"
    "## Skills\nGo, Python, Java, C, C++, PostgreSQL, Docker, Kubernetes, AWS, Git, teamwork, communication\n";

struct posting_text {
	char *title, *text;
	size_t len;
};

struct work {
	const struct scan_matcher *m;
	const struct idf_table *idf;
	const struct resume_info *r;
	const struct posting_text *p;
	size_t from, to;
	struct arena *arenas; /* one per posting: its terms live there */
	struct jd_terms *jd;
	double *score;
	int phase; /* 0 analyse and score (end to end), 1 score cached terms, 2 extract terms into the cache */
};

static void *run_work(void *arg)
{
	struct work *w = arg;
	/* One arena for a posting's terms and one for scratch, emptied between
	 * postings (arena_reset keeps their memory). */
	struct arena a, scratch;
	arena_init(&a, 0);
	arena_init(&scratch, 0);
	for (size_t i = w->from; i < w->to; i++) {
		arena_reset(&a);
		arena_reset(&scratch);
		struct jd_terms local;
		struct jd_terms *jd = w->phase == 0 ? &local : &w->jd[i];
		if (w->phase == 0 &&
		    jd_extract_scratch(&a, &scratch, w->m, w->idf, w->p[i].title, w->p[i].text, w->p[i].len, jd))
			abort();
		if (w->phase == 2) {
			arena_free(&w->arenas[i]);
			arena_init(&w->arenas[i], 0);
			if (jd_extract(&w->arenas[i], w->m, w->idf, w->p[i].title, w->p[i].text, w->p[i].len, jd))
				abort();
		} else {
			struct scan_result res;
			if (scan_score(&a, w->m, jd, w->r, 0, &res))
				abort();
			w->score[i] = res.score;
		}
	}
	arena_free(&a);
	arena_free(&scratch);
	return NULL;
}

/* CPU time of the process: the machine is shared, and wall time there
 * measures the neighbours as much as the scanner (both are printed). */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void run_phase(struct work *base, size_t n, int threads, int phase)
{
	pthread_t tid[16];
	struct work w[16];
	for (int k = 0; k < threads; k++) {
		w[k] = *base;
		w[k].phase = phase;
		w[k].from = n * (size_t)k / (size_t)threads;
		w[k].to = n * (size_t)(k + 1) / (size_t)threads;
		if (threads == 1)
			run_work(&w[k]);
		else
			pthread_create(&tid[k], NULL, run_work, &w[k]);
	}
	for (int k = 0; threads > 1 && k < threads; k++)
		pthread_join(tid[k], NULL);
}

static const double *sort_scores;
static int by_score(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	if (sort_scores[a] != sort_scores[b])
		return sort_scores[a] > sort_scores[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* --store: ingest, fill the cache, rank through the store (see the top). */
static int store_mode(const char *url, const char *tax_dir, const struct posting_text *p, long n, long runs)
{
	char err[512];
	struct store *s;
	if (store_open(url, &s, err, sizeof(err))) {
		fprintf(stderr, "scan_bench: %s\n", err);
		return 1;
	}
	double w0 = now_ms();
	int rc = 0;
	for (long i = 0; i < n && rc == 0; i += 1000) {
		/* a thousand to a transaction, as a busy ingest would batch them */
		rc = store_tx_begin(s, 0);
		for (long k = i; k < n && k < i + 1000 && rc == 0; k++) {
			char key[64], id[32], hash[32];
			snprintf(key, sizeof(key), "bench|%ld", k);
			snprintf(id, sizeof(id), "%ld", k);
			snprintf(hash, sizeof(hash), "h%ld", k);
			struct posting_ingest in = { 0 };
			in.posting.canonical_key = key;
			in.posting.title = p[k].title;
			in.posting.company = "Bench Corp";
			in.posting.description_text = p[k].text;
			in.posting.description_html = p[k].text;
			in.source = "bench";
			in.external_id = id;
			in.content_hash = hash;
			in.seen_at = 1000 + k;
			in.source_rank = 5;
			in.max_distance = -1;
			enum posting_change ch;
			rc = store_posting_ingest(s, &in, &ch, NULL);
		}
		rc = store_tx_end(s, rc);
	}
	double t_ingest = now_ms() - w0;
	struct scan_ranker rk;
	if (rc || scan_ranker_init(&rk, tax_dir, err, sizeof(err))) {
		fprintf(stderr, "scan_bench: %s\n", rc ? "ingest failed" : err);
		return 1;
	}
	w0 = now_ms();
	if (scan_ranker_load_idf(&rk, s, SCAN_RANK_IDF_DOCS) != 0)
		fprintf(stderr, "scan_bench: word weights from the store failed\n");
	double t_idf = now_ms() - w0;
	/* the full build the servers run in the background, then rank with */
	w0 = now_ms();
	if (scan_ranker_load_idf(&rk, s, 0) != 0)
		fprintf(stderr, "scan_bench: word weights from every posting failed\n");
	double t_idf_all = now_ms() - w0;
	w0 = now_ms();
	double c0 = cpu_ms();
	size_t filled;
	if (scan_terms_fill(&rk, s, 0, NULL, NULL, &filled) != 0) {
		fprintf(stderr, "scan_bench: filling the cache failed\n");
		return 1;
	}
	double t_fill = now_ms() - w0, c_fill = cpu_ms() - c0;
	store_close(s);
	if (store_open(url, &s, err, sizeof(err))) {
		fprintf(stderr, "scan_bench: %s\n", err);
		return 1;
	}
	double cold = 0, cold_cpu = 0, warm = 1e18, warm_cpu = 1e18;
	size_t out_bytes = 0;
	for (long run = 0; run <= runs; run++) {
		struct arena a;
		arena_init(&a, 0);
		struct best_result res;
		double r0 = now_ms(), rc0 = cpu_ms();
		if (best_rank_text(&rk, s, NULL, NULL, resume, strlen(resume), TOP, 2026 * 12 + 11, 0, &a, &res) != 0) {
			fprintf(stderr, "scan_bench: ranking failed\n");
			return 1;
		}
		struct buf out;
		buf_init(&out, 64u << 20);
		best_report_json(&out, &res);
		double r1 = now_ms() - r0, rc1 = cpu_ms() - rc0;
		out_bytes = out.len;
		buf_free(&out);
		if (run == 0) {
			cold = r1;
			cold_cpu = rc1;
		} else if (r1 < warm) {
			warm = r1;
			warm_cpu = rc1;
		}
		if (res.stats.scored != (size_t)n)
			fprintf(stderr, "scan_bench: ranked %zu of %ld\n", res.stats.scored, n);
		arena_free(&a);
	}
	printf("store: %s\n", strncmp(url, "postgres", 8) == 0 ? "PostgreSQL" : "SQLite");
	printf("ingest %ld postings:              %8.0f ms\n", n, t_ingest);
	printf("word weights (2,000 postings):   %8.0f ms\n", t_idf);
	printf("word weights (every posting):    %8.0f ms\n", t_idf_all);
	printf("cache the terms of all (once):   %8.0f ms  (CPU %.0f ms; %.0f us a posting)\n", t_fill, c_fill,
	       t_fill * 1000 / (double)n);
	printf("rank all, top %d in full + JSON (%zu KB), wall time; CPU in brackets:\n", TOP, out_bytes / 1024);
	printf("  cold (store just opened)       %8.1f ms  [%.1f ms]\n", cold, cold_cpu);
	printf("  warm (best of %ld)              %8.1f ms  [%.1f ms]\n", runs, warm, warm_cpu);
	scan_ranker_free(&rk);
	store_close(s);
	return 0;
}

int main(int argc, char **argv)
{
	long n = 10000, runs = 5, threads = 1;
	const char *tax_dir = NULL, *store_url = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--store") == 0) {
			store_url = argv[i + 1];
			continue;
		}
		if (strcmp(argv[i], "--postings") == 0 && text_parse_long(argv[i + 1], 1, 1000000, &n) == 0)
			continue;
		if (strcmp(argv[i], "--runs") == 0 && text_parse_long(argv[i + 1], 1, 100, &runs) == 0)
			continue;
		if (strcmp(argv[i], "--threads") == 0 && text_parse_long(argv[i + 1], 1, 16, &threads) == 0)
			continue;
		if (strcmp(argv[i], "--taxonomy") == 0) {
			tax_dir = argv[i + 1];
			continue;
		}
		fprintf(stderr,
			"usage: scan_bench [--postings N] [--taxonomy DIR] [--runs R] [--threads T] [--store URL]\n");
		return 2;
	}
	/* Keep freed heap: a ranker analyses and drops one posting after another,
	 * and giving the top of the heap back to the kernel each time makes
	 * every posting page-fault afresh. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	char err[512];
	struct taxonomy tax;
	struct scan_matcher m;
	if ((tax_dir ? taxonomy_load_dir(&tax, tax_dir, err, sizeof(err))
		     : taxonomy_load_builtin(&tax, err, sizeof(err))) ||
	    matcher_build(&m, &tax, err, sizeof(err))) {
		fprintf(stderr, "scan_bench: %s\n", err);
		return 1;
	}
	if (tax.n_titles == 0 || tax.n_skills == 0) {
		fprintf(stderr, "scan_bench: the taxonomy has no titles or skills\n");
		return 1;
	}
	struct posting_text *p = calloc((size_t)n, sizeof(*p));
	struct buf b;
	buf_init(&b, 1 << 20);
	size_t bytes = 0;
	for (long i = 0; i < n; i++) {
		char title[256];
		make_posting(&b, &tax, pick(tax.n_titles), title, sizeof(title));
		p[i].title = strdup(title);
		p[i].text = strdup(b.data);
		p[i].len = b.len;
		bytes += b.len;
	}
	buf_free(&b);
	if (store_url) {
		int rc = store_mode(store_url, tax_dir, p, n, runs);
		for (long i = 0; i < n; i++) {
			free(p[i].title);
			free(p[i].text);
		}
		free(p);
		matcher_free(&m);
		taxonomy_free(&tax);
		return rc;
	}
	struct idf_table idf;
	idf_init(&idf);
	struct arena ra;
	arena_init(&ra, 0);
	struct resume_info r;
	int now = 2026 * 12 + 11;
	double t0 = cpu_ms();
	if (resume_analyse(&ra, &m, resume, strlen(resume), now, &r))
		return 1;
	double t_resume = cpu_ms() - t0;

	struct arena *arenas = calloc((size_t)n, sizeof(*arenas));
	struct jd_terms *jd = calloc((size_t)n, sizeof(*jd));
	double *score = calloc((size_t)n, sizeof(*score));
	size_t *order = malloc((size_t)n * sizeof(*order));
	struct work base = { .m = &m, .idf = &idf, .r = &r, .p = p, .arenas = arenas, .jd = jd, .score = score };
	run_phase(&base, (size_t)n, (int)threads, 2); /* the cache, for the second way */
	double best[4] = { 1e18, 1e18, 1e18, 1e18 }, wall[2] = { 1e18, 1e18 };
	size_t out_bytes = 0;
	double top_score = 0, fifty = 0;
	for (long run = 0; run < runs; run++) {
		for (int cached = 0; cached < 2; cached++) {
			double w0 = now_ms(), a0 = cpu_ms();
			run_phase(&base, (size_t)n, (int)threads, cached ? 1 : 0);
			for (long i = 0; i < n; i++)
				order[i] = (size_t)i;
			sort_scores = score;
			qsort(order, (size_t)n, sizeof(*order), by_score);
			double a1 = cpu_ms();
			struct buf out;
			buf_init(&out, 64u << 20);
			buf_putc(&out, '[');
			for (size_t k = 0; k < TOP && k < (size_t)n; k++) {
				struct arena a;
				arena_init(&a, 0);
				struct jd_terms fresh;
				const struct jd_terms *jt = &jd[order[k]];
				if (!cached) {
					const struct posting_text *pt = &p[order[k]];
					if (jd_extract(&a, &m, &idf, pt->title, pt->text, pt->len, &fresh))
						abort();
					jt = &fresh;
				}
				struct scan_result res;
				if (scan_score(&a, &m, jt, &r, 1, &res))
					abort();
				if (k)
					buf_putc(&out, ',');
				report_json(&out, &m, jt, &r, &res);
				arena_free(&a);
			}
			buf_putc(&out, ']');
			double a2 = cpu_ms(), w2 = now_ms();
			if (w2 - w0 < wall[cached])
				wall[cached] = w2 - w0;
			out_bytes = out.len;
			buf_free(&out);
			top_score = score[order[0]];
			fifty = score[order[n > TOP ? TOP - 1 : n - 1]];
			if (a1 - a0 < best[cached * 2])
				best[cached * 2] = a1 - a0;
			if (a2 - a1 < best[cached * 2 + 1])
				best[cached * 2 + 1] = a2 - a1;
		}
	}
	printf("taxonomy: %s (%zu skills, %zu occupations)\n", tax.origin, tax.n_skills, tax.n_titles);
	printf("postings: %ld generated, %.1f KB of text each on average; threads %ld; best of %ld runs\n", n,
	       bytes / 1024.0 / n, threads, runs);
	printf("(CPU time of the process; wall time in brackets: the machine is shared)\n");
	printf("resume analysis:                 %8.2f ms\n", t_resume);
	printf("end to end: analyse+score all   %8.1f ms  (%.1f us a posting)\n", best[0], best[0] * 1000 / n);
	printf("            top %d in full       %8.1f ms  (%zu KB of JSON)\n", TOP, best[1], out_bytes / 1024);
	printf("            total               %8.1f ms  [wall %.1f ms]\n", best[0] + best[1], wall[0]);
	printf("cached terms: score all         %8.1f ms  (%.2f us a posting)\n", best[2], best[2] * 1000 / n);
	printf("            top %d in full       %8.1f ms\n", TOP, best[3]);
	printf("            total               %8.1f ms  [wall %.1f ms]\n", best[2] + best[3], wall[1]);
	printf("scores: best %.1f, 50th %.1f\n", top_score, fifty);
	for (long i = 0; i < n; i++) {
		arena_free(&arenas[i]);
		free(p[i].title);
		free(p[i].text);
	}
	free(arenas);
	free(jd);
	free(score);
	free(order);
	free(p);
	arena_free(&ra);
	idf_free(&idf);
	matcher_free(&m);
	taxonomy_free(&tax);
	return 0;
}
