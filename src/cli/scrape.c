/* jobtrack scrape — run configured sources now, or crawl a career site from
 * one URL (--seed); and jobtrack ingest — file what is queued on the bus.
 * The work is scrape/run.h's and scrape/ingest.h's; this file reads flags,
 * shows progress and prints the summary. */
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/json_out.h"
#include "base/log.h"
#include "blob/blob.h"
#include "bus/bus.h"
#include "cli/cli.h"
#include "scrape/browser.h"
#include "scrape/ingest.h"
#include "scrape/robots.h"
#include "scrape/run.h"
#include "scrape/source_settings.h"
#include "scrape/sources_file.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: jobtrack scrape [--source NAME] [--dry-run] [--json] [--sources FILE] [options]\n"
		"       jobtrack scrape --seed URL [--max-pages N] [--concurrency N] [--delay SECONDS] [--render]\n"
		"                       [--json]\n\n"
		"Runs the configured sources now (all enabled ones, or the one named), or crawls a career\n"
		"site from one listing URL with no configuration (--seed: links within the site are\n"
		"followed and schema.org JobPostings extracted wherever found). Raw responses are archived\n"
		"in the blob store, postings go through the queue into the database, and each run is\n"
		"recorded with its counts. A progress bar shows on a terminal; a summary at the end.\n\n"
		"options:\n"
		"  --source NAME      only this source (enabled or not)\n"
		"  --sources FILE     the sources file (default DATA_DIR/sources.conf); synced into the\n"
		"                     database first, as `jobtrack serve` does\n"
		"  --dry-run          fetch and extract, but store, archive and queue nothing; with --json\n"
		"                     the postings found are printed too\n"
		"  --json             print one JSON object instead of the summary\n"
		"  --seed URL         crawl from URL (adapter jsonld with crawling on)\n"
		"  --max-pages N      pages a --seed crawl may fetch (default 1000)\n"
		"  --concurrency N    requests at once to the site (default 1)\n"
		"  --delay SECONDS    between requests to one host (default: 1 s for APIs, 5 s for pages;\n"
		"                     0 turns the delay off: only for sites you run yourself)\n"
		"  --render           render HTML pages in headless Chromium first, for sites whose postings\n"
		"                     JavaScript builds (as a source's render = true; see --chromium,\n"
		"                     --render-browsers, --render-timeout)\n\n"
		"exit status: 0 every run ok or partial (some requests failed, postings found),\n"
		"             1 a run failed or was blocked, 2 usage error\n\n");
	config_print_flags(out);
}

static void ingest_usage(FILE *out)
{
	fprintf(out, "usage: jobtrack ingest [--json] [options]\n\n"
		     "Files every posting waiting in the queue into the database (what a running\n"
		     "`jobtrack serve` does on its own), then exits.\n\n");
	config_print_flags(out);
}

struct scrape_args {
	const char *source, *sources_file, *seed;
	bool dry_run, json, render;
	long max_pages, concurrency;
	double delay; /* < 0: not given */
	char **rest;  /* the config flags */
	int n_rest;
};

static int parse_long(const char *flag, const char *v, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi) {
		fprintf(stderr, "jobtrack: %s must be a whole number from %ld to %ld, not \"%s\"\n", flag, lo, hi, v);
		return 2;
	}
	*out = n;
	return 0;
}

static int parse_args(int argc, char **argv, struct scrape_args *a)
{
	*a = (struct scrape_args){ .delay = -1 };
	a->rest = calloc((size_t)argc + 1, sizeof(char *));
	if (!a->rest)
		return 1;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		bool takes = strcmp(arg, "--source") == 0 || strcmp(arg, "--sources") == 0 ||
			     strcmp(arg, "--seed") == 0 || strcmp(arg, "--max-pages") == 0 ||
			     strcmp(arg, "--concurrency") == 0 || strcmp(arg, "--delay") == 0;
		if (strcmp(arg, "--dry-run") == 0) {
			a->dry_run = true;
			continue;
		}
		if (strcmp(arg, "--json") == 0) {
			a->json = true;
			continue;
		}
		if (strcmp(arg, "--render") == 0) {
			a->render = true;
			continue;
		}
		if (!takes) {
			a->rest[a->n_rest++] = argv[i];
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "jobtrack: %s needs a value (see: jobtrack scrape --help)\n", arg);
			return 2;
		}
		const char *v = argv[++i];
		int rc = 0;
		if (strcmp(arg, "--source") == 0)
			a->source = v;
		else if (strcmp(arg, "--sources") == 0)
			a->sources_file = v;
		else if (strcmp(arg, "--seed") == 0)
			a->seed = v;
		else if (strcmp(arg, "--max-pages") == 0)
			rc = parse_long(arg, v, 1, 1000000, &a->max_pages);
		else if (strcmp(arg, "--concurrency") == 0)
			rc = parse_long(arg, v, 1, 256, &a->concurrency);
		else {
			char *end;
			a->delay = strtod(v, &end);
			if (end == v || *end || !isfinite(a->delay) || a->delay < 0 || a->delay > 3600) {
				fprintf(stderr, "jobtrack: --delay must be seconds from 0 to 3600, not \"%s\"\n", v);
				rc = 2;
			}
		}
		if (rc)
			return rc;
	}
	if (a->seed && a->source) {
		fprintf(stderr, "jobtrack: --seed crawls one URL without configuration; it cannot go with --source\n");
		return 2;
	}
	if (!a->seed && (a->max_pages || a->concurrency)) {
		fprintf(stderr, "jobtrack: --max-pages and --concurrency go with --seed; configured sources take "
				"max_pages from their configuration\n");
		return 2;
	}
	if (a->seed && strncmp(a->seed, "http://", 7) != 0 && strncmp(a->seed, "https://", 8) != 0) {
		fprintf(stderr, "jobtrack: --seed needs an http:// or https:// URL, not \"%s\"\n", a->seed);
		return 2;
	}
	return 0;
}

/* ---- progress on a terminal ---- */

struct progress_ui {
	bool on;
	const char *name;
	int64_t last_ms;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void show_progress(const struct scrape_progress *p, void *ctx)
{
	struct progress_ui *ui = ctx;
	if (!ui->on)
		return;
	int64_t t = mono_ms();
	if (p->running && t - ui->last_ms < 100)
		return;
	ui->last_ms = t;
	long total = p->requests_done + p->requests_queued;
	int width = 24, filled = total ? (int)(width * p->requests_done / total) : 0;
	char bar[32];
	for (int i = 0; i < width; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[width] = '\0';
	fprintf(stderr, "\r\033[K%-20.20s [%s] %ld/%ld requests, %ld postings, %ld errors", ui->name, bar,
		p->requests_done, total, p->found, p->errors);
	if (!p->running)
		fputc('\n', stderr);
	fflush(stderr);
}

/* ---- the runs ---- */

struct run_line {
	const char *name;
	struct scrape_report rep;
	int rc; /* scrape_run's return */
};

struct target {
	int64_t id;
	const char *name, *kind, *target, *config;
	bool enabled;
};

static void print_posting_json(const struct posting *p, void *ctx)
{
	struct buf *b = ctx;
	if (b->len > 1)
		buf_putc(b, ',');
	posting_to_json(p, b);
}

struct env {
	struct config cfg;
	struct store *store;
	struct bus *bus;
	struct blob *blob;
	struct robots_cache *robots;
	struct fetch_config fetch;
	struct browser_pool *browser;
	char user_agent[320];
};

static atomic_bool stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&stop_flag, true);
}

static int run_one(struct env *e, const struct scrape_args *a, const struct target *t, struct run_line *line,
		   struct buf *dry_postings, struct arena *ar)
{
	struct source_settings st;
	char err[300];
	line->name = t->name;
	if (source_settings_parse(ar, t->config, &st, err, sizeof(err))) {
		snprintf(line->rep.message, sizeof(line->rep.message), "%s", err);
		line->rep.status = "failed";
		line->rc = -EINVAL;
		return 0;
	}
	struct progress_ui ui = { .on = !a->json && isatty(2), .name = t->name };
	struct scrape_job job = {
		.src = { .name = t->name,
			 .kind = t->kind,
			 .target = t->target,
			 .company = st.company,
			 .options_json = st.options_json,
			 .base_url = st.base_url,
			 .max_pages = st.max_pages },
		.source_id = t->id,
		.delay_ms = st.delay < 0    ? 0
			    : st.delay == 0 ? FETCH_NO_DELAY
					    : (int)(st.delay * 1000),
		.per_host = st.concurrency > 0 ? (unsigned)st.concurrency : 0,
		.proxy = st.proxy,
		.render = st.render || a->render,
		.browser = e->browser,
		.render_timeout_ms = (int)e->cfg.render_timeout * 1000,
		.fetch = &e->fetch,
		.progress = show_progress,
		.progress_ctx = &ui,
	};
	if (a->seed) {
		job.src.options_json = arena_printf(ar, "{\"crawl\":true,\"max_pages\":%ld}", a->max_pages);
		job.src.max_pages = a->max_pages;
		job.max_requests = a->max_pages;
		job.per_host = (unsigned)a->concurrency;
		job.delay_ms = a->delay < 0 ? 0 : a->delay == 0 ? FETCH_NO_DELAY : (int)(a->delay * 1000);
	}
	if (!a->dry_run) {
		job.store = e->store;
		job.bus = e->bus;
		job.blob = e->blob;
	} else if (a->json) {
		job.posting = print_posting_json;
		job.posting_ctx = dry_postings;
	}
	line->rc = scrape_run(&job, &line->rep);
	if (line->rc == -ENOENT && !source_adapter_find(t->kind))
		snprintf(line->rep.message, sizeof(line->rep.message),
			 "this build has no \"%s\" adapter (see the admin page's list of kinds)", t->kind);
	return 0;
}

static const char *human_bytes(char *out, size_t n, int64_t b)
{
	if (b >= 10 * 1024 * 1024)
		snprintf(out, n, "%lld MiB", (long long)(b >> 20));
	else if (b >= 10 * 1024)
		snprintf(out, n, "%lld KiB", (long long)(b >> 10));
	else
		snprintf(out, n, "%lld B", (long long)b);
	return out;
}

static void print_ingest_json(struct buf *b, const struct ingest_stats *st)
{
	buf_puts(b, "{\"records\":");
	json_out_int(b, st->records);
	JSON_OUT_KEY(b, "postings");
	json_out_int(b, st->postings);
	JSON_OUT_KEY(b, "new");
	json_out_int(b, st->new + st->merged);
	JSON_OUT_KEY(b, "updated");
	json_out_int(b, st->updated + st->reopened);
	JSON_OUT_KEY(b, "reposted");
	json_out_int(b, st->reposted);
	JSON_OUT_KEY(b, "unchanged");
	json_out_int(b, st->unchanged);
	JSON_OUT_KEY(b, "closed");
	json_out_int(b, st->closed);
	JSON_OUT_KEY(b, "runs_finished");
	json_out_int(b, st->runs);
	buf_putc(b, '}');
}

/* The summary's last line; reposts (store.h) are neither new nor mere updates. */
static void print_ingest_line(const struct ingest_stats *st)
{
	printf("ingested %ld postings: %ld new, %ld updated, %ld reposted, %ld unchanged, %ld closed\n", st->postings,
	       st->new + st->merged, st->updated + st->reopened, st->reposted, st->unchanged, st->closed);
}

static void summary(const struct scrape_args *a, struct run_line *lines, size_t n, const struct ingest_stats *ist,
		    int ingest_rc, int64_t queued, struct buf *dry)
{
	if (a->json) {
		struct buf b;
		buf_init(&b, 256u << 20);
		buf_puts(&b, "{\"dry_run\":");
		json_out_bool(&b, a->dry_run);
		JSON_OUT_KEY(&b, "runs");
		buf_putc(&b, '[');
		for (size_t i = 0; i < n; i++) {
			const struct scrape_report *r = &lines[i].rep;
			buf_puts(&b, i ? ",{\"source\":" : "{\"source\":");
			json_out_string(&b, lines[i].name);
			JSON_OUT_KEY(&b, "run_id");
			json_out_int_or_null(&b, r->run_id, r->run_id == 0);
			JSON_OUT_KEY(&b, "status");
			json_out_string(&b, lines[i].rc == -EBUSY ? "busy" : r->status);
			JSON_OUT_KEY(&b, "partial");
			json_out_bool(&b, r->partial);
			JSON_OUT_KEY(&b, "complete_listing");
			json_out_bool(&b, r->complete_listing);
			JSON_OUT_KEY(&b, "requests");
			json_out_int(&b, r->requests);
			JSON_OUT_KEY(&b, "pages");
			json_out_int(&b, r->counts.pages);
			JSON_OUT_KEY(&b, "bytes");
			json_out_int(&b, r->counts.bytes);
			JSON_OUT_KEY(&b, "found");
			json_out_int(&b, r->counts.found);
			JSON_OUT_KEY(&b, "errors");
			json_out_int(&b, r->counts.errors);
			JSON_OUT_KEY(&b, "blocked");
			json_out_int(&b, r->counts.blocked);
			JSON_OUT_KEY(&b, "disallowed");
			json_out_int(&b, r->disallowed);
			JSON_OUT_KEY(&b, "message");
			json_out_string(&b, r->message);
			buf_putc(&b, '}');
		}
		buf_putc(&b, ']');
		JSON_OUT_KEY(&b, "ingest");
		if (a->dry_run || ingest_rc)
			buf_puts(&b, "null");
		else
			print_ingest_json(&b, ist);
		JSON_OUT_KEY(&b, "queued");
		json_out_int(&b, queued);
		if (a->dry_run) {
			JSON_OUT_KEY(&b, "postings");
			buf_append(&b, dry->data, dry->len);
			buf_putc(&b, ']');
		}
		buf_puts(&b, "}\n");
		if (buf_failed(&b))
			fprintf(stderr, "jobtrack: the JSON report is too large\n");
		else
			fwrite(b.data, 1, b.len, stdout);
		buf_free(&b);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct scrape_report *r = &lines[i].rep;
		char bytes[32];
		printf("%-24s %-9s %5lld pages %9s %6lld postings %4lld errors%s%s\n", lines[i].name,
		       lines[i].rc == -EBUSY ? "busy" : r->status, (long long)r->counts.pages,
		       human_bytes(bytes, sizeof(bytes), r->counts.bytes), (long long)r->counts.found,
		       (long long)r->counts.errors, *r->message ? "  " : "", r->message);
	}
	if (a->dry_run)
		printf("dry run: nothing was stored\n");
	else if (ingest_rc == -EBUSY)
		printf("%lld records queued: the running server is ingesting them\n", (long long)queued);
	else if (ingest_rc)
		printf("ingest failed (%s): %lld records stay queued; run `jobtrack ingest` to retry\n",
		       strerror(-ingest_rc), (long long)queued);
	else
		print_ingest_line(ist);
}

static int open_env(struct env *e, char **argv, int argc, bool dry_run)
{
	if (cli_config(&e->cfg, argc, argv, NULL))
		return 2;
	int level = log_level_parse(e->cfg.log_level);
	log_set_level(level < 0 ? LOG_WARN : level == LOG_INFO ? LOG_WARN : (enum log_level)level);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "jobtrack: libcurl failed to initialise\n");
		return 1;
	}
	if (cli_open_store(&e->cfg, &e->store))
		return 1;
	char err[512];
	if (!dry_run) {
		if (bus_open(e->cfg.bus_url, e->cfg.data_dir, &e->bus, err, sizeof(err))) {
			fprintf(stderr, "jobtrack: %s\n", err);
			return 1;
		}
		if (blob_open(e->cfg.blob_url, e->cfg.data_dir, &e->blob, err, sizeof(err))) {
			fprintf(stderr, "jobtrack: %s\n", err);
			return 1;
		}
	}
	fetch_user_agent_make(e->user_agent, sizeof(e->user_agent), e->cfg.scrape_user_agent,
			      e->cfg.scrape_contact_url);
	e->robots = scrape_robots_cache_new(e->user_agent);
	fetch_config_defaults(&e->fetch);
	e->fetch.user_agent = e->user_agent;
	e->fetch.robots_allowed = e->robots ? scrape_robots_hook : NULL;
	e->fetch.robots_ctx = e->robots;
	e->fetch.cancel_flag = &stop_flag;
	struct browser_options bo = { .chromium = e->cfg.chromium, .max_concurrent = (unsigned)e->cfg.render_browsers };
	if (browser_pool_new(&bo, &e->browser)) {
		fprintf(stderr, "jobtrack: out of memory\n");
		return 1;
	}
	return 0;
}

static void close_env(struct env *e)
{
	if (e->robots)
		robots_cache_free(e->robots);
	browser_pool_free(e->browser);
	blob_close(e->blob);
	bus_close(e->bus);
	store_close(e->store);
	config_free(&e->cfg);
	curl_global_cleanup();
}

/* The sources to run: from the store after syncing the file into it (a dry
 * run writes nothing: the file's sections then stand in for their rows). */
static int pick_targets(struct env *e, const struct scrape_args *a, struct arena *ar, struct target **out, size_t *n)
{
	char path[4096], err[1024];
	snprintf(path, sizeof(path), "%s", a->sources_file ? a->sources_file : "");
	if (!*path)
		snprintf(path, sizeof(path), "%s/sources.conf", e->cfg.data_dir);
	struct source_specs specs = { 0 };
	if (sources_file_load(ar, path, &specs, err, sizeof(err))) {
		fprintf(stderr, "jobtrack: %s\n", err);
		return 1;
	}
	if (!a->dry_run) {
		struct source_sync_report sr;
		if (source_settings_sync(e->store, &specs, (int64_t)time(NULL), &sr, err, sizeof(err))) {
			fprintf(stderr, "jobtrack: %s\n", err);
			return 1;
		}
	}
	struct scrape_source *all = NULL;
	size_t n_all = 0;
	if (store_source_list(e->store, ar, &all, &n_all)) {
		fprintf(stderr, "jobtrack: cannot read the sources from the database\n");
		return 1;
	}
	struct target *t = arena_alloc(ar, (n_all + specs.count + 1) * sizeof(*t));
	if (!t)
		return 1;
	size_t k = 0;
	for (size_t i = 0; i < specs.count && a->dry_run; i++) {
		const struct source_spec *sp = &specs.items[i];
		if ((a->source && strcmp(a->source, sp->name) != 0) || (!a->source && !sp->enabled))
			continue;
		t[k++] = (struct target){ .name = sp->name,
					  .kind = sp->kind,
					  .target = sp->target,
					  .config = source_settings_spec_config(ar, sp),
					  .enabled = sp->enabled };
	}
	for (size_t i = 0; i < n_all; i++) {
		bool dup = false;
		for (size_t j = 0; j < k && !dup; j++)
			dup = strcmp(t[j].name, all[i].name) == 0;
		if (dup || (a->source && strcmp(a->source, all[i].name) != 0) || (!a->source && !all[i].enabled))
			continue;
		t[k++] = (struct target){ .id = a->dry_run ? 0 : all[i].id,
					  .name = all[i].name,
					  .kind = all[i].kind,
					  .target = all[i].target,
					  .config = all[i].config,
					  .enabled = all[i].enabled };
	}
	if (k == 0) {
		if (a->source)
			fprintf(stderr,
				"jobtrack: no source called \"%s\": add it to %s or on the admin page "
				"(`jobtrack scrape --help`)\n",
				a->source, path);
		else
			fprintf(stderr,
				"jobtrack: no enabled sources: add a [source NAME] section to %s (see README), or "
				"crawl a site with `jobtrack scrape --seed URL`\n",
				path);
		return 1;
	}
	/* A source named on the command line runs enabled or not; one whose
	 * terms forbid scraping needs them accepted, as enabling it does. */
	struct source_settings st;
	if (a->source && !t[0].enabled &&
	    (source_settings_parse(ar, t[0].config, &st, err, sizeof(err)) || !st.accept_terms) &&
	    source_settings_terms_refusal(t[0].kind, t[0].name, err, sizeof(err))) {
		fprintf(stderr, "jobtrack: source \"%s\": %s%s\n", t[0].name, err,
			st.managed_by_file ? ""
					   : " (It is not in the sources file: enable it on the admin page instead.)");
		return 1;
	}
	*out = t;
	*n = k;
	return 0;
}

/* "seed-example.com" for a --seed crawl's blob folder and report. */
static const char *seed_name(struct arena *ar, const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t len = strcspn(h, "/:?#");
	return arena_printf(ar, "seed-%.*s", (int)(len > 100 ? 100 : len), h);
}

int cmd_scrape(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	struct scrape_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc) {
		free(a.rest);
		return rc;
	}
	if (a.seed && !a.max_pages)
		a.max_pages = 1000;
	if (a.seed && !a.concurrency)
		a.concurrency = 1;
	struct env e = { .store = NULL };
	rc = open_env(&e, a.rest, a.n_rest, a.dry_run);
	if (rc) {
		if (rc == 1)
			close_env(&e);
		free(a.rest);
		return rc;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	struct arena ar;
	arena_init(&ar, 0);
	struct target *targets = NULL;
	size_t n = 0;
	if (a.seed) {
		targets = arena_alloc(&ar, sizeof(*targets));
		*targets = (struct target){ .name = seed_name(&ar, a.seed), .kind = "jsonld", .target = a.seed };
		n = 1;
	} else if ((rc = pick_targets(&e, &a, &ar, &targets, &n))) {
		arena_free(&ar);
		close_env(&e);
		free(a.rest);
		return rc;
	}
	struct run_line *lines = arena_alloc(&ar, n * sizeof(*lines));
	struct buf dry;
	buf_init(&dry, 200u << 20);
	buf_putc(&dry, '[');
	bool bad = false;
	for (size_t i = 0; i < n && !atomic_load(&stop_flag); i++) {
		run_one(&e, &a, &targets[i], &lines[i], &dry, &ar);
		if (lines[i].rc == -EBUSY)
			snprintf(lines[i].rep.message, sizeof(lines[i].rep.message),
				 "a run of this source is already going on (in `jobtrack serve`?): skipped");
		bad |= lines[i].rc != 0 ||
		       (strcmp(lines[i].rep.status, "ok") != 0 && strcmp(lines[i].rep.status, "partial") != 0);
	}
	struct ingest_stats ist = { 0 };
	int ingest_rc = 0;
	int64_t queued = 0;
	if (!a.dry_run) {
		struct ingest *g;
		char err[256];
		ingest_rc = ingest_open(e.store, e.bus, &g, err, sizeof(err));
		if (ingest_rc == 0) {
			ingest_rc = ingest_drain(g, &ist);
			ingest_close(g);
		}
		double oldest;
		ingest_lag(e.bus, &queued, &oldest);
		if (ingest_rc && ingest_rc != -EBUSY)
			bad = true;
	}
	summary(&a, lines, n, &ist, ingest_rc, queued, &dry);
	buf_free(&dry);
	arena_free(&ar);
	close_env(&e);
	free(a.rest);
	return bad ? 1 : 0;
}

int cmd_ingest(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		ingest_usage(stdout);
		return 0;
	}
	bool json = false;
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	int n_rest = 0;
	if (!rest)
		return 1;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else
			rest[n_rest++] = argv[i];
	}
	struct env e = { .store = NULL };
	int rc = open_env(&e, rest, n_rest, false);
	free(rest);
	if (rc) {
		if (rc == 1)
			close_env(&e);
		return rc;
	}
	struct ingest *g;
	char err[256];
	struct ingest_stats st = { 0 };
	rc = ingest_open(e.store, e.bus, &g, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "jobtrack: %s\n", err);
		close_env(&e);
		return 1;
	}
	rc = ingest_drain(g, &st);
	ingest_close(g);
	if (rc)
		fprintf(stderr, "jobtrack: ingest stopped: %s (what was not filed stays queued)\n", strerror(-rc));
	if (json) {
		struct buf b;
		buf_init(&b, 4096);
		print_ingest_json(&b, &st);
		buf_putc(&b, '\n');
		fwrite(b.data, 1, b.len, stdout);
		buf_free(&b);
	} else {
		print_ingest_line(&st);
	}
	close_env(&e);
	return rc ? 1 : 0;
}
