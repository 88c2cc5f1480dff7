/* jobtrack extract — the normalised postings one page or payload holds, for
 * debugging a source: reads a file (or standard input), or fetches a URL
 * through the fetch engine (robots.txt respected), runs an adapter over it
 * (scrape/source.h), passes every posting through scrape/finish.c and prints
 * them as a JSON array in the normalised shape (posting_to_json). */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "cli/cli.h"
#include "scrape/browser.h"
#include "scrape/fetch.h"
#include "scrape/finish.h"
#include "scrape/robots.h"
#include "scrape/run.h"
#include "scrape/source.h"
#include "version.h"

#define EXTRACT_INPUT_MAX (16u << 20) /* bytes of a file or page read */
#define EXTRACT_REQUESTS  25          /* requests one URL may lead to (an ATS list and its pages) */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: jobtrack extract [--source ADAPTER] [--base-url URL] [--render] [--json] FILE|URL|-\n\n"
		"Prints the job postings one page or payload holds, as a JSON array of postings in the\n"
		"normalised shape (title, company, location, workplace, employment_type, salary, dates,\n"
		"description_html/_text, apply_url, url, source, external_id), after the same cleaning\n"
		"every scraped posting gets. For debugging a source.\n\n"
		"  FILE           a saved page or payload: a board's list, or one job's detail (as an\n"
		"                 ATS's API answers it); \"-\" reads standard input\n"
		"  URL            an http(s) URL, fetched now (robots.txt respected, User-Agent\n"
		"                 jobtrack/%s); an ATS careers URL (Greenhouse, Lever, …) is read\n"
		"                 through that ATS's API, following its pages\n\n"
		"options:\n"
		"  --source NAME  the adapter to read it with (jsonld, greenhouse, lever, ashby, …);\n"
		"                 default: detected from the URL, else jsonld (schema.org JobPosting\n"
		"                 in JSON-LD or microdata), which also reads a bare JSON-LD file\n"
		"  --base-url URL the address a FILE was saved from: relative links resolve against it\n"
		"                 and it is the postings' page when they name none (Workday: the\n"
		"                 careers site's URL, which its payloads need)\n"
		"  --render       with a URL: render the fetched page in headless Chromium first (for\n"
		"                 pages whose postings JavaScript builds; $JOBTRACK_CHROMIUM or\n"
		"                 /usr/bin/chromium)\n"
		"  --json         print the array on one line, and no summary on standard error\n\n"
		"exit status: 0 postings found, 1 none found (or the fetch failed), 2 usage error\n",
		JOBTRACK_VERSION);
}

struct extract_args {
	const char *input, *source, *base_url;
	bool json, render;
};

static int parse_args(int argc, char **argv, struct extract_args *a)
{
	*a = (struct extract_args){ .input = NULL };
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char **value = strcmp(arg, "--source") == 0     ? &a->source
				     : strcmp(arg, "--base-url") == 0 ? &a->base_url
								      : NULL;
		if (value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "jobtrack: %s needs a value\n", arg);
				return 2;
			}
			*value = argv[++i];
		} else if (strncmp(arg, "--source=", 9) == 0) {
			a->source = arg + 9;
		} else if (strncmp(arg, "--base-url=", 11) == 0) {
			a->base_url = arg + 11;
		} else if (strcmp(arg, "--json") == 0) {
			a->json = true;
		} else if (strcmp(arg, "--render") == 0) {
			a->render = true;
		} else if (strncmp(arg, "--", 2) == 0) {
			fprintf(stderr, "jobtrack: unknown option \"%s\" (see: jobtrack extract --help)\n", arg);
			return 2;
		} else if (a->input) {
			fprintf(stderr, "jobtrack: extract takes one FILE or URL, not \"%s\" too\n", arg);
			return 2;
		} else {
			a->input = arg;
		}
	}
	if (!a->input) {
		fprintf(stderr, "jobtrack: extract needs a FILE, URL or - (see: jobtrack extract --help)\n");
		return 2;
	}
	if (a->source && !source_adapter_find(a->source)) {
		fprintf(stderr, "jobtrack: no adapter is called \"%s\"; adapters:", a->source);
		size_t n;
		const struct source_adapter *const *all = source_adapters(&n);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%s %s", i ? "," : "", all[i]->name);
		fprintf(stderr, "\n");
		return 2;
	}
	if (a->render && strncmp(a->input, "http://", 7) != 0 && strncmp(a->input, "https://", 8) != 0) {
		fprintf(stderr, "jobtrack: --render goes with a URL (the page is fetched, then rendered)\n");
		return 2;
	}
	if (a->base_url && strncmp(a->base_url, "http://", 7) != 0 && strncmp(a->base_url, "https://", 8) != 0) {
		fprintf(stderr, "jobtrack: --base-url must be an http(s) URL\n");
		return 2;
	}
	return 0;
}

static bool is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

static int read_input(const char *path, struct buf *body)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "jobtrack: cannot read %s: %s\n", path, strerror(errno));
		return 2;
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(body, chunk, n))
			break;
	int failed = ferror(f);
	if (f != stdin)
		fclose(f);
	if (buf_failed(body)) {
		fprintf(stderr, "jobtrack: %s is larger than %u MiB\n", path, EXTRACT_INPUT_MAX >> 20);
		return 2;
	}
	if (failed) {
		fprintf(stderr, "jobtrack: cannot read %s\n", path);
		return 2;
	}
	return 0;
}

/* What one run collects, from a file or from fetched responses. */
struct run {
	struct arena *a;
	const struct source_adapter *ad;
	struct source_config src;
	struct posting_list postings;
	int requests, failed, refused, warnings;
	struct fetch *fetch;
	const char *user_agent;
	struct robots_cache *robots;
	struct browser_pool *browser; /* --render */
};

/* A request in flight: the adapter's request as it made it (its context
 * comes back with the response) and the run it belongs to. */
struct pending {
	struct run *run;
	struct source_request req;
};

static void add_request(struct run *r, const struct source_request *req);
static int robots_hook(void *ctx, const char *url, const char *proxy, char *why, size_t whylen);

/* Reads one response into r: 0, or the adapter's error (err filled, and
 * nothing taken). */
static int take_quietly(struct run *r, const struct source_response *res, char *err, size_t errlen)
{
	struct source_result out = { 0 };
	int rc = r->ad->parse(r->a, &r->src, res, &out, err, errlen);
	if (rc != 0)
		return rc;
	r->warnings += out.warnings;
	for (size_t i = 0; i < out.postings.count; i++) {
		struct posting *p = &out.postings.items[i];
		char why[256];
		if (posting_finish(r->a, p, why, sizeof(why)) != 0) {
			r->refused++;
			continue;
		}
		struct posting *kept = posting_list_add(r->a, &r->postings);
		if (kept)
			*kept = *p;
	}
	/* A page read once: the jsonld crawl's links are not followed here
	 * (that is `jobtrack scrape --seed`); an ATS's pages and details are. */
	for (size_t i = 0; r->fetch && i < out.next.count; i++)
		if (strcmp(r->ad->name, "jsonld") != 0)
			add_request(r, &out.next.items[i]);
	return 0;
}

static void take(struct run *r, const struct source_response *res)
{
	char err[512] = "";
	if (take_quietly(r, res, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: %s: %s\n", res->url ? res->url : "input", err);
		r->failed++;
	}
}

static void on_fetched(struct fetch *f, struct fetch_result *fr, void *user)
{
	(void)f;
	struct pending *pd = user;
	struct run *r = pd->run;
	if (fr->error != FETCH_OK) {
		fprintf(stderr, "jobtrack: %s: %s\n", fr->url,
			fr->message[0] ? fr->message : fetch_error_name(fr->error));
		r->failed++;
		return;
	}
	struct source_response res = { .request = &pd->req,
				       .url = fr->final_url,
				       .status = fr->status,
				       .content_type = fr->content_type,
				       .body = fr->body,
				       .len = fr->len };
	struct buf dom;
	buf_init(&dom, BROWSER_DOM_MAX);
	if (r->browser && pd->req.kind == REQUEST_HTML && !(fr->content_type && !strstr(fr->content_type, "html"))) {
		struct browser_page page = { .url = fr->final_url,
					     .html = fr->body,
					     .len = fr->len,
					     .content_type = fr->content_type,
					     .user_agent = r->user_agent,
					     .allowed = robots_hook,
					     .allowed_ctx = r,
					     .timeout_ms = SCRAPE_RENDER_TIMEOUT_MS };
		char err[400];
		if (browser_render_page(r->browser, &page, &dom, err, sizeof(err))) {
			fprintf(stderr, "jobtrack: %s\n", err);
			r->failed++;
			buf_free(&dom);
			return;
		}
		res.body = dom.data;
		res.len = dom.len;
		res.content_type = "text/html; charset=utf-8";
	}
	take(r, &res);
	buf_free(&dom);
}

static void add_request(struct run *r, const struct source_request *req)
{
	if (r->requests >= EXTRACT_REQUESTS) {
		r->warnings++;
		return;
	}
	struct pending *pd = arena_alloc(r->a, sizeof(*pd));
	if (!pd)
		return;
	pd->run = r;
	pd->req = *req;
	struct fetch_request fr = { .url = req->url,
				    .source = r->ad->name,
				    .kind = req->kind == REQUEST_HTML ? FETCH_HTML : FETCH_API,
				    .method = req->method,
				    .body = req->body,
				    .body_len = req->body ? strlen(req->body) : 0,
				    .content_type = req->content_type,
				    .accept = req->accept,
				    .done = on_fetched,
				    .user = pd };
	if (fetch_add(r->fetch, &fr) == 0)
		r->requests++;
	else
		r->failed++;
}

static int robots_hook(void *ctx, const char *url, const char *proxy, char *why, size_t whylen)
{
	struct run *r = ctx;
	int rc = robots_cache_allows_via(r->robots, url, "jobtrack", proxy);
	if (rc == 0)
		snprintf(why, whylen, "robots.txt does not allow jobtrack to fetch it");
	return rc;
}

/* Fetches the adapter's first requests (and an ATS's follow-ups). 0, or 1. */
static int run_url(struct run *r)
{
	struct source_request_list first = { 0 };
	char err[512] = "";
	if (r->ad->start(r->a, &r->src, &first, err, sizeof(err)) != 0) {
		fprintf(stderr, "jobtrack: %s: %s\n", r->ad->name, err);
		return 2;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "jobtrack: libcurl failed to initialise\n");
		return 1;
	}
	/* The User-Agent every scraper fetch sends, as configured (the config
	 * file, JOBTRACK_SCRAPE_USER_AGENT / JOBTRACK_SCRAPE_CONTACT_URL). */
	char ua[320];
	struct config settings;
	if (cli_config(&settings, 0, NULL, NULL))
		return 2;
	int too_long = fetch_user_agent_make(ua, sizeof(ua), settings.scrape_user_agent, settings.scrape_contact_url);
	config_free(&settings);
	if (too_long) {
		fprintf(stderr, "jobtrack: the configured scrape User-Agent is too long (at most %zu bytes)\n",
			sizeof(ua) - 1);
		return 2;
	}
	r->user_agent = ua;
	struct robots_fetch_curl_ctx rf = { .user_agent = ua };
	struct robots_cache_options ro = { .fetch = robots_fetch_curl, .fetch_ctx = &rf };
	struct fetch_config cfg;
	fetch_config_defaults(&cfg);
	cfg.user_agent = ua;
	cfg.robots_allowed = robots_hook;
	cfg.robots_ctx = r;
	int rc = 1;
	if (robots_cache_new(&ro, &r->robots) == 0 && (r->fetch = fetch_new(&cfg)) != NULL) {
		for (size_t i = 0; i < first.count; i++)
			add_request(r, &first.items[i]);
		rc = fetch_run(r->fetch) == 0 ? 0 : 1;
		fetch_free(r->fetch);
		r->fetch = NULL;
	} else {
		fprintf(stderr, "jobtrack: out of memory\n");
	}
	if (r->robots)
		robots_cache_free(r->robots);
	curl_global_cleanup();
	return rc;
}

/* A file's body handed to the adapter as the answer to its first request
 * (a board's list) and, when that finds no posting, as the answer to one of
 * its detail requests (one job's payload, saved while debugging a source):
 * the adapters that fetch details read step "detail"; the others recognise
 * a single job in their list reading. Only when neither reading finds one
 * is the first reading's error reported. */
static int run_file(struct run *r, const struct buf *body, const char *page_url)
{
	struct source_request_list first = { 0 };
	char err[512] = "", detail_err[512] = "";
	struct source_request fallback = { .url = page_url, .method = "GET", .step = NULL };
	const struct source_request *req = &fallback;
	if (r->src.target && r->ad->start(r->a, &r->src, &first, err, sizeof(err)) == 0 && first.count > 0)
		req = &first.items[0];
	struct source_response res = {
		.request = req, .url = page_url, .status = 200, .body = body->data ? body->data : "", .len = body->len
	};
	err[0] = '\0';
	int rc = take_quietly(r, &res, err, sizeof(err));
	if (r->postings.count == 0 && r->refused == 0) {
		struct source_request detail = { .url = page_url ? page_url : "", .method = "GET", .step = "detail" };
		res.request = &detail;
		if (take_quietly(r, &res, detail_err, sizeof(detail_err)) == 0 && r->postings.count > 0)
			rc = 0;
	}
	if (rc != 0 && r->postings.count == 0) {
		fprintf(stderr, "jobtrack: input: %s\n", err);
		r->failed++;
	}
	return 0;
}

static void print_postings(const struct run *r, bool compact)
{
	struct buf out;
	buf_init(&out, 256u << 20);
	buf_putc(&out, '[');
	for (size_t i = 0; i < r->postings.count; i++) {
		if (i)
			buf_putc(&out, ',');
		if (!compact)
			buf_putc(&out, '\n');
		posting_to_json(&r->postings.items[i], &out);
	}
	buf_puts(&out, compact || r->postings.count == 0 ? "]\n" : "\n]\n");
	if (buf_failed(&out))
		fprintf(stderr, "jobtrack: the postings do not fit in memory\n");
	else
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
}

/* An ATS adapter that knows the URL, to suggest when the page has no JSON-LD. */
static const char *ats_hint(struct arena *a, const char *input)
{
	const char *target;
	const struct source_adapter *ad = is_url(input) ? source_adapter_detect(a, input, &target) : NULL;
	return ad && strcmp(ad->name, "jsonld") != 0 ? ad->name : "greenhouse, lever, ashby, workday, …";
}

/* What a FILE is read as: the adapter's target taken from --base-url by its
 * detect() (a board token, a company), never the URL itself, which no ATS
 * adapter reads as a target; NULL when unknown, which every adapter copes
 * with. Its list items are its postings: the details an adapter would fetch
 * for them are not fetched from a file. */
static void file_source(struct arena *a, const struct source_adapter *ad, const char *base_url,
			struct source_config *src)
{
	const char *target = NULL;
	if (base_url && ad->detect && ad->detect(a, base_url, &target) != 0)
		target = NULL;
	src->target = target;
	for (const struct source_option *o = ad->options; o && o->key; o++)
		if (strcmp(o->key, "details") == 0)
			src->options_json = "{\"details\": false}";
}

int cmd_extract(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	struct extract_args args;
	int rc = parse_args(argc, argv, &args);
	if (rc)
		return rc;
	struct arena a;
	arena_init(&a, 0);
	struct run r = { .a = &a };
	r.src = (struct source_config){ .name = "extract", .now = time(NULL) };
	const char *target = NULL;
	bool url = is_url(args.input);
	if (url) {
		const struct source_adapter *detected = source_adapter_detect(&a, args.input, &target);
		r.ad = args.source ? source_adapter_find(args.source) : detected;
		if (r.ad != detected || !target)
			target = args.input;
	} else {
		r.ad = source_adapter_find(args.source ? args.source : "jsonld");
	}
	r.src.kind = r.ad->name;
	r.src.target = target;
	if (!url)
		file_source(&a, r.ad, args.base_url, &r.src);
	if (source_run_begin(&a, r.ad, &r.src) != 0) {
		fprintf(stderr, "jobtrack: out of memory\n");
		arena_free(&a);
		return 1;
	}
	if (url && args.render) {
		char err[400];
		if (browser_pool_new(NULL, &r.browser) || browser_pool_check(r.browser, err, sizeof(err))) {
			fprintf(stderr, "jobtrack: %s\n", r.browser ? err : "out of memory");
			browser_pool_free(r.browser);
			arena_free(&a);
			return 1;
		}
	}
	if (url) {
		rc = run_url(&r);
		browser_pool_free(r.browser);
	} else {
		struct buf body;
		buf_init(&body, EXTRACT_INPUT_MAX);
		rc = read_input(args.input, &body);
		if (rc == 0)
			rc = run_file(&r, &body, args.base_url);
		buf_free(&body);
	}
	if (rc == 2) {
		arena_free(&a);
		return 2;
	}
	print_postings(&r, args.json);
	if (!args.json)
		fprintf(stderr, "%zu posting%s (%s)%s\n", r.postings.count, r.postings.count == 1 ? "" : "s",
			r.ad->name, r.refused ? ", some refused (no title or identity)" : "");
	int status = r.postings.count > 0 ? 0 : 1;
	if (status == 1 && r.failed == 0) {
		if (strcmp(r.ad->name, "jsonld") == 0)
			fprintf(stderr,
				"jobtrack: no schema.org JobPosting found in %s; if this is an ATS board, try --source "
				"%s\n",
				strcmp(args.input, "-") == 0 ? "standard input" : args.input, ats_hint(&a, args.input));
		else
			fprintf(stderr, "jobtrack: the %s adapter found no postings in %s\n", r.ad->name,
				strcmp(args.input, "-") == 0 ? "standard input" : args.input);
	}
	arena_free(&a);
	return status;
}
