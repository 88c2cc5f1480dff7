/* cli/scan_best — see scan_best.h. The filters go through the search's own
 * parser (web/search_query.h) and a search index built in this process, so
 * `--q`, `--workplace` … mean exactly what the API's and the postings
 * page's q=, workplace= … mean. */
#include "cli/scan_best.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/text.h"
#include "cli/cli.h"
#include "cli/scan_input.h"
#include "scan/best.h"
#include "scan/best_report.h"
#include "scan/dates.h"
#include "web/search_query.h"

#define BEST_DEFAULT_LIMIT 20
#define INDEX_WAIT_S       600 /* longest the search index may take to build */

/* The CLI's filter options and the search parameter each one is. */
static const char *const filter_opts[][2] = {
	{ "--q", "q" },
	{ "--workplace", "workplace" },
	{ "--country", "country" },
	{ "--city", "city" },
	{ "--min-salary", "min_salary" },
	{ "--currency", "currency" },
	{ "--employment-type", "employment_type" },
	{ "--posted-within-days", "posted_within_days" },
	{ "--source", "source" },
	{ "--company", "company" },
	{ "--limit", "limit" },
};
#define N_FILTERS (sizeof(filter_opts) / sizeof(filter_opts[0]))

struct best_args {
	const char *resume, *taxonomy;
	const char *values[N_FILTERS];
	int json, now_month, filtered;
	char **store_argv;
	int store_argc;
};

int scan_best_wanted(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--best") == 0)
			return 1;
	return 0;
}

static const char *param(void *ctx, const char *key)
{
	const struct best_args *a = ctx;
	for (size_t i = 0; i < N_FILTERS; i++)
		if (strcmp(filter_opts[i][1], key) == 0)
			return a->values[i];
	return NULL;
}

/* "--name VALUE" or "--name=VALUE": the value, advancing *i; NULL when arg
 * is not name. *missing is set when the value is absent. */
static const char *option(int argc, char **argv, int *i, const char *name, int *missing)
{
	size_t n = strlen(name);
	const char *arg = argv[*i];
	if (strncmp(arg, name, n) == 0 && arg[n] == '=')
		return arg + n + 1;
	if (strcmp(arg, name) != 0)
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

static int parse_args(int argc, char **argv, struct best_args *a)
{
	a->store_argv = calloc((size_t)argc + 1, sizeof(char *));
	if (!a->store_argv)
		return 1;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *v;
		int missing = 0, taken = 0;
		for (size_t k = 0; k < N_FILTERS && !taken && !missing; k++)
			if ((v = option(argc, argv, &i, filter_opts[k][0], &missing))) {
				a->values[k] = v;
				a->filtered |= strcmp(filter_opts[k][1], "limit") != 0;
				taken = 1;
			}
		if (!taken && !missing && (v = option(argc, argv, &i, "--taxonomy", &missing))) {
			a->taxonomy = v;
			taken = 1;
		}
		if (missing) {
			fprintf(stderr, "jobtrack: %s needs a value\n", arg);
			return 2;
		}
		if (taken || strcmp(arg, "--best") == 0)
			continue;
		if (strcmp(arg, "--json") == 0) {
			a->json = 1;
		} else if (strcmp(arg, "--job") == 0 || strcmp(arg, "--posting") == 0 ||
			   strcmp(arg, "--baseline") == 0 || strncmp(arg, "--job=", 6) == 0 ||
			   strncmp(arg, "--posting=", 10) == 0) {
			fprintf(stderr, "jobtrack: --best ranks every open posting: it takes no %s\n", arg);
			return 2;
		} else if (scan_other_arg(argc, argv, &i, &a->resume, a->store_argv, &a->store_argc)) {
			return 2;
		}
	}
	if (!a->resume) {
		fprintf(stderr, "jobtrack: scan --best needs a RESUME file (see: jobtrack scan --help)\n");
		return 2;
	}
	return 0;
}

static void fill_progress(void *ctx, size_t done, int64_t waiting)
{
	size_t *last = ctx;
	/* a line per thousand postings, and the last one */
	if (done / 1000 != *last / 1000 || (int64_t)done >= waiting)
		fprintf(stderr, "jobtrack: cached the scan terms of %zu of %lld postings\n", done, (long long)waiting);
	*last = done;
}

/* Builds the search index of the store in this process and waits for it. */
static int start_search(struct store *s, struct search_service **svc)
{
	if (search_service_start(s, SEARCH_SERVICE_POLL_MS, svc) != 0) {
		fprintf(stderr, "jobtrack: the search index could not start\n");
		return 1;
	}
	for (int waited = 0; !search_service_ready(*svc); waited++) {
		if (waited >= INDEX_WAIT_S * 20) {
			fprintf(stderr, "jobtrack: the search index took too long to build\n");
			return 1;
		}
		struct timespec ts = { 0, 50 * 1000000L };
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* The taxonomy `serve` uses too (with the user's extension in the data
 * directory), so the CLI ranks as the web page does. */
static int open_ranker(const char *taxonomy, const char *data_dir, struct store *s, struct scan_ranker *rk)
{
	char err[1024];
	struct taxonomy tax;
	int rc = cli_load_taxonomy(&tax, taxonomy, data_dir, NULL);
	if (rc)
		return rc;
	if (scan_ranker_adopt(rk, &tax, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: taxonomy: %s\n", err);
		return taxonomy ? 2 : 1;
	}
	if (scan_ranker_load_idf(rk, s, 0) != 0)
		fprintf(stderr, "jobtrack: reading the postings for word weights failed; using the defaults\n");
	return 0;
}

int scan_best_main(int argc, char **argv)
{
	struct best_args args = { .now_month = dates_month_of(time(NULL)) };
	int rc = parse_args(argc, argv, &args);
	struct config cfg;
	int have_cfg = 0, have_ranker = 0;
	struct store *store = NULL;
	struct search_service *search = NULL;
	struct scan_ranker rk;
	struct arena a;
	arena_init(&a, 0);
	const char *text;
	size_t len;
	if (rc)
		goto done;
	if ((rc = scan_read_resume(&a, args.resume, &text, &len)) != 0)
		goto done;
	if ((rc = cli_config(&cfg, args.store_argc, args.store_argv, NULL)) != 0)
		goto done;
	have_cfg = 1;
	if (cli_open_existing_store(&cfg, &store)) {
		rc = 1;
		goto done;
	}
	if ((rc = open_ranker(args.taxonomy, cfg.data_dir, store, &rk)) != 0)
		goto done;
	have_ranker = 1;
	if (args.filtered && (rc = start_search(store, &search)) != 0)
		goto done;
	struct search_params sp;
	if (search_params_parse(param, &args, &a, search, BEST_DEFAULT_LIMIT, &sp) != 0) {
		fprintf(stderr, "jobtrack: --%s: %s\n", sp.bad_field, sp.message);
		rc = 2;
		goto done;
	}
	size_t done = 0, last = 0;
	if (scan_terms_fill(&rk, store, 0, fill_progress, &last, &done) != 0) {
		fprintf(stderr, "jobtrack: caching the postings' scan terms failed\n");
		rc = 1;
		goto done;
	}
	struct best_result res;
	int r = best_rank_text(&rk, store, search, args.filtered ? &sp.req : NULL, text, len, (size_t)sp.req.limit,
			       args.now_month, 1, &a, &res);
	if (r) {
		fprintf(stderr, "jobtrack: ranking failed: %s\n",
			r == -ENOMEM ? "out of memory"
			: r == -EIO  ? "the store failed"
				     : strerror(-r));
		rc = 1;
		goto done;
	}
	res.stats.filled = done;
	struct buf out;
	buf_init(&out, 64u << 20);
	if (args.json)
		best_report_json(&out, &res);
	else
		best_report_text(&out, &res);
	rc = scan_write_report(&out);
done:
	search_service_stop(search);
	if (have_ranker)
		scan_ranker_free(&rk);
	if (store)
		store_close(store);
	if (have_cfg)
		config_free(&cfg);
	arena_free(&a);
	free(args.store_argv);
	return rc;
}

int scan_fill_main(int argc, char **argv)
{
	const char *taxonomy = NULL;
	char **store_argv = calloc((size_t)argc + 1, sizeof(char *));
	int store_argc = 0, rc = 0;
	if (!store_argv)
		return 1;
	for (int i = 0; i < argc; i++) {
		int missing = 0;
		const char *v = option(argc, argv, &i, "--taxonomy", &missing);
		if (missing) {
			fprintf(stderr, "jobtrack: --taxonomy needs a folder\n");
			free(store_argv);
			return 2;
		}
		if (v)
			taxonomy = v;
		else
			store_argv[store_argc++] = argv[i];
	}
	struct config cfg;
	struct store *store = NULL;
	if ((rc = cli_config(&cfg, store_argc, store_argv, NULL)) != 0) {
		free(store_argv);
		return rc;
	}
	struct scan_ranker rk;
	if (cli_open_existing_store(&cfg, &store))
		rc = 1;
	else if ((rc = open_ranker(taxonomy, cfg.data_dir, store, &rk)) == 0) {
		size_t done = 0, last = 0;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (scan_terms_fill(&rk, store, 0, fill_progress, &last, &done) != 0) {
			fprintf(stderr,
				"jobtrack: caching the postings' scan terms failed after %zu postings; "
				"run it again to go on\n",
				done);
			rc = 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		int64_t open = 0, cached = 0;
		store_posting_terms_count(store, rk.key, &open, &cached);
		printf("cached the scan terms of %zu postings in %.1f s; %lld of %lld open postings are cached "
		       "(taxonomy %s)\n",
		       done, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		       (long long)cached, (long long)open, rk.key);
		scan_ranker_free(&rk);
	}
	if (store)
		store_close(store);
	config_free(&cfg);
	free(store_argv);
	return rc;
}
