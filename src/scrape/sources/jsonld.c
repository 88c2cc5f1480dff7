/* sources/jsonld — schema.org JobPostings in any HTML page (JSON-LD, else
 * microdata), and the crawl of a career site for them.
 *
 * Target: a page URL. Options (all optional):
 *   {"crawl": true,        follow same-site links (and sitemaps) from the target
 *    "max_pages": 50,      pages a crawl requests, the target included
 *                          (source_config.max_pages wins when set)
 *    "sitemap": true}      also read /sitemap.xml and robots.txt's Sitemap: lines
 * Without "crawl" the target alone is read (a careers page listing its
 * postings in JSON-LD, or one posting's page).
 *
 * Requests carry step "page" (an HTML page, REQUEST_HTML), "sitemap" or
 * "robots"; page is the link depth. The crawl keeps its set of requested
 * URLs and its budget in the run state (source_run_begin, crawl_state.c).
 * A driver that makes no run state still gets a bounded crawl: links are
 * then followed from the target's page only (depth 1), de-duplicated within
 * that page, up to max_pages.
 *
 * Links are found by a byte scan (crawl_links.c) and the JSON-LD by another
 * (scrape/extract/jsonld_scan.c); libxml2 builds a tree only for a page
 * whose bytes show microdata of a JobPosting. The mapping to struct posting
 * is schema_*.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/extract/jsonld.h"
#include "scrape/extract/microdata.h"
#include "scrape/robots.h"
#include "scrape/sources/common.h"
#include "scrape/sources/crawl.h"
#include "scrape/sources/emit.h"
#include "scrape/sources/options.h"
#include "scrape/sources/schema.h"
#include "scrape/sources/urlparts.h"

#define JL_DEFAULT_PAGES 50
#define JL_MAX_SITEMAPS  20
#define JL_MAX_POSTINGS  500 /* per page */

struct jl_options {
	bool crawl, sitemap;
	long max_pages;
};

static void read_options(struct arena *a, const struct source_config *src, struct jl_options *o)
{
	o->crawl = src_option_bool(src, "crawl", false);
	o->sitemap = src_option_bool(src, "sitemap", false);
	const char *mp = src_option_text(a, src, "max_pages");
	char *end = NULL;
	long n = mp ? strtol(mp, &end, 10) : 0;
	if (!mp || *end || n <= 0)
		n = JL_DEFAULT_PAGES;
	o->max_pages = src_page_limit(src, n);
}

static int detect(struct arena *a, const char *url, const char **target)
{
	struct url_parts u;
	if (url_parts_parse(a, url, &u) != 0)
		return -ENOENT;
	*target = arena_strdup(a, url);
	return *target ? 0 : -ENOMEM;
}

static void *run_state_new(struct arena *run_arena, const struct source_config *src)
{
	(void)src;
	return crawl_state_new(run_arena);
}

static struct source_request *add_request(struct arena *a, struct source_request_list *out, const char *url,
					  const char *step, long depth)
{
	bool page = strcmp(step, "page") == 0;
	struct source_request *r = src_get(a, out, url, page ? REQUEST_HTML : REQUEST_API, step);
	if (r) {
		r->accept = page                           ? "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
			    : strcmp(step, "sitemap") == 0 ? "application/xml,text/xml;q=0.9,*/*;q=0.5"
							   : "text/plain,*/*;q=0.5";
		r->page = depth;
	}
	return r;
}

static bool looks_like_sitemap(const char *url)
{
	size_t n = strcspn(url, "?#");
	return (n > 4 && strncasecmp(url + n - 4, ".xml", 4) == 0) ||
	       (n > 7 && strncasecmp(url + n - 7, ".xml.gz", 7) == 0);
}

static int jl_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		    size_t errlen)
{
	struct url_parts u;
	if (!src->target || url_parts_parse(a, src->target, &u) != 0) {
		snprintf(err, errlen, "the target must be a page's http(s) URL");
		return -EINVAL;
	}
	int rc = src_options_check(src, err, errlen);
	if (rc)
		return rc;
	struct jl_options o;
	read_options(a, src, &o);
	const char *target = url_rebase(a, src, src->target);
	const char *seed = crawl_url_normalize(a, NULL, target, strlen(target));
	if (!seed)
		seed = target; /* a sitemap or a page the crawl would not follow to: asked for, so read */
	struct crawl_state *st = src->run_state;
	if (st) {
		crawl_state_add_site(st, seed);
		(void)crawl_state_first_visit(st, seed);
	}
	bool sitemap_target = looks_like_sitemap(seed);
	if (!add_request(a, out, seed, sitemap_target ? "sitemap" : "page", 0))
		return -ENOMEM;
	if (st)
		++*(sitemap_target ? crawl_state_sitemaps(st) : crawl_state_pages(st));
	if (o.crawl && o.sitemap) {
		char origin[300];
		if (!crawl_origin(seed, origin, sizeof(origin)))
			return 0;
		const char *robots = arena_printf(a, "%s/robots.txt", origin);
		const char *map = arena_printf(a, "%s/sitemap.xml", origin);
		if (!robots || !map || !add_request(a, out, robots, "robots", 0))
			return -ENOMEM;
		if (!st || crawl_state_first_visit(st, map)) {
			if (!add_request(a, out, map, "sitemap", 0))
				return -ENOMEM;
			if (st)
				++*crawl_state_sitemaps(st);
		}
	}
	return 0;
}

/* ---- postings ------------------------------------------------------------ */

static int map_postings(struct arena *a, const struct source_config *src, const char *page_url, json_t *list,
			struct source_result *out)
{
	struct schema_page page = {
		.url = page_url, .company = src->company, .now = src->now, .postings = json_array_size(list)
	};
	size_t i;
	json_t *obj;
	json_array_foreach (list, i, obj) {
		if (i >= JL_MAX_POSTINGS) {
			out->warnings++;
			break;
		}
		struct posting *p = posting_list_add(a, &out->postings);
		if (!p)
			return -ENOMEM;
		int rc = schema_posting(a, &page, obj, p);
		if (rc == -ENOMEM)
			return rc;
		if (rc != 0 || !p->external_id)
			src_drop_posting(out);
	}
	return 0;
}

/* A body that is JSON itself (an ld+json file, a payload pasted in) rather
 * than a page: read it as one script's body. */
static bool is_json_body(const char *body, size_t len)
{
	size_t i = 0;
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
		i++;
	return i < len && (body[i] == '{' || body[i] == '[');
}

static int page_postings(struct arena *a, const struct source_config *src, const char *page_url,
			 const struct source_response *res, struct source_result *out)
{
	json_t *list;
	if (is_json_body(res->body, res->len)) {
		static const char open[] = "<script type=\"application/ld+json\">", close[] = "</script>";
		size_t n = sizeof(open) - 1 + res->len + sizeof(close) - 1;
		char *page = arena_alloc_raw(a, n + 1);
		if (!page)
			return -ENOMEM;
		memcpy(page, open, sizeof(open) - 1);
		memcpy(page + sizeof(open) - 1, res->body, res->len);
		memcpy(page + sizeof(open) - 1 + res->len, close, sizeof(close));
		list = jsonld_job_postings(page, n, NULL);
	} else {
		list = jsonld_job_postings(res->body, res->len, NULL);
	}
	if (!list)
		return -ENOMEM;
	/* Microdata only when the JSON-LD has none: a page with both describes
	 * the same posting twice. */
	if (json_array_size(list) == 0 && microdata_present(res->body, res->len)) {
		int rc = microdata_job_postings(res->body, res->len, list);
		if (rc < 0 && rc != -ENOMEM)
			out->warnings++;
	}
	int rc = map_postings(a, src, page_url, list, out);
	json_decref(list);
	return rc;
}

/* ---- links --------------------------------------------------------------- */

struct link_walk {
	struct arena *a;
	const char *base;
	struct crawl_state *run;  /* the run's seen set, or NULL */
	struct crawl_state *page; /* this page's, when there is no run state */
	const char *site;         /* without run state: the origin links must share */
	const char **promising, **other;
	size_t n_promising, n_other, cap;
};

static int on_link(const char *href, size_t len, void *ctx)
{
	struct link_walk *w = ctx;
	const char *url = crawl_url_normalize(w->a, w->base, href, len);
	if (!url)
		return 0;
	if (w->run ? !crawl_state_site_ok(w->run, url) : !crawl_same_site(url, w->site))
		return 0;
	if (!crawl_state_first_visit(w->run ? w->run : w->page, url))
		return 0;
	bool hot = crawl_url_promising(url);
	if ((hot ? w->n_promising : w->n_other) == w->cap)
		return 1; /* a page with thousands of links: the first are enough */
	if (hot)
		w->promising[w->n_promising++] = url;
	else
		w->other[w->n_other++] = url;
	return 0;
}

static int follow_links(struct arena *a, const struct source_config *src, const struct jl_options *o,
			const char *page_url, const struct source_response *res, struct source_result *out)
{
	struct crawl_state *st = src->run_state;
	long depth = res->request ? res->request->page : 0;
	long used = st ? *crawl_state_pages(st) : 1;
	if (!st && depth > 0)
		return 0; /* no run state: one level only, so the crawl stays bounded */
	long budget = o->max_pages - used;
	if (budget <= 0)
		return 0;
	struct link_walk w = { .a = a, .run = st, .cap = (size_t)(budget < 1000 ? budget : 1000) };
	char site[300];
	if (!st) {
		if (!crawl_origin(page_url, site, sizeof(site)) || !(w.page = crawl_state_new(a)))
			return crawl_origin(page_url, site, sizeof(site)) ? -ENOMEM : 0;
		w.site = site;
		(void)crawl_state_first_visit(w.page, page_url); /* a link back to the page itself */
	}
	w.promising = arena_alloc_raw(a, w.cap * sizeof(*w.promising));
	w.other = arena_alloc_raw(a, w.cap * sizeof(*w.other));
	if (!w.promising || !w.other)
		return -ENOMEM;
	const char *base_href = NULL;
	/* The <base href> is read by the same scan; links before it are rare and
	 * resolved against the page itself. */
	w.base = page_url;
	if (memmem(res->body, res->len, "<base", 5) || memmem(res->body, res->len, "<BASE", 5))
		(void)crawl_links(a, res->body, res->len, &base_href, NULL, NULL);
	if (base_href) {
		const char *b = url_resolve(a, page_url, base_href);
		if (b)
			w.base = b;
	}
	(void)crawl_links(a, res->body, res->len, NULL, on_link, &w);
	for (size_t i = 0; i < w.n_promising + w.n_other && budget > 0; i++, budget--) {
		const char *url = i < w.n_promising ? w.promising[i] : w.other[i - w.n_promising];
		if (!add_request(a, &out->next, url, "page", depth + 1))
			return -ENOMEM;
		if (st)
			++*crawl_state_pages(st);
	}
	return 0;
}

/* ---- sitemaps and robots.txt --------------------------------------------- */

struct map_walk {
	struct arena *a;
	const struct source_config *src;
	const struct jl_options *o;
	struct source_result *out;
	int rc;
};

static int on_loc(enum sitemap_kind kind, const char *loc, size_t len, void *ctx)
{
	struct map_walk *m = ctx;
	struct crawl_state *st = m->src->run_state;
	if (!st)
		return 1; /* without run state nothing bounds a sitemap crawl */
	if (kind == SITEMAP_INDEX) {
		if (*crawl_state_sitemaps(st) >= JL_MAX_SITEMAPS)
			return 1;
		char copy[4097];
		if (len >= sizeof(copy))
			return 0;
		memcpy(copy, loc, len);
		copy[len] = '\0';
		const char *url = url_resolve(m->a, NULL, copy);
		if (url && crawl_state_first_visit(st, url)) {
			if (!add_request(m->a, &m->out->next, url, "sitemap", 0)) {
				m->rc = -ENOMEM;
				return 1;
			}
			++*crawl_state_sitemaps(st);
		}
		return 0;
	}
	if (*crawl_state_pages(st) >= m->o->max_pages)
		return 1;
	const char *url = crawl_url_normalize(m->a, NULL, loc, len);
	if (url && crawl_state_site_ok(st, url) && crawl_state_first_visit(st, url)) {
		if (!add_request(m->a, &m->out->next, url, "page", 1)) {
			m->rc = -ENOMEM;
			return 1;
		}
		++*crawl_state_pages(st);
	}
	return 0;
}

static int parse_sitemap(struct arena *a, const struct source_config *src, const struct jl_options *o,
			 const struct source_response *res, struct source_result *out)
{
	struct map_walk m = { .a = a, .src = src, .o = o, .out = out };
	if (sitemap_read(res->body, res->len, on_loc, &m) == SITEMAP_NONE)
		out->warnings++;
	return m.rc;
}

static int parse_robots(struct arena *a, const struct source_config *src, const struct source_response *res,
			struct source_result *out)
{
	struct crawl_state *st = src->run_state;
	struct robots *r;
	if (!st || robots_parse(res->body, res->len, &r) != 0)
		return 0;
	int rc = 0;
	for (size_t i = 0; i < robots_sitemap_count(r) && rc == 0; i++) {
		const char *url = url_resolve(a, NULL, robots_sitemap(r, i));
		if (!url || *crawl_state_sitemaps(st) >= JL_MAX_SITEMAPS || !crawl_state_first_visit(st, url))
			continue;
		if (!add_request(a, &out->next, url, "sitemap", 0))
			rc = -ENOMEM;
		else
			++*crawl_state_sitemaps(st);
	}
	robots_release(r);
	return rc;
}

static int jl_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
		    struct source_result *out, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	struct jl_options o;
	read_options(a, src, &o);
	const char *step = res->request && res->request->step ? res->request->step : "page";
	if (res->status >= 400 || !res->body)
		return 0; /* a missing page or sitemap is not an error of the source */
	if (strcmp(step, "robots") == 0)
		return parse_robots(a, src, res, out);
	if (strcmp(step, "sitemap") == 0)
		return parse_sitemap(a, src, &o, res, out);
	const char *page_url = res->url ? res->url : res->request ? res->request->url : src->target;
	struct crawl_state *st = src->run_state;
	if (st && page_url) {
		if (!res->request || res->request->page == 0)
			crawl_state_add_site(st, page_url); /* the target redirected: its new home is the site too */
		(void)crawl_state_first_visit(st, page_url);
	}
	int rc = page_postings(a, src, page_url, res, out);
	if (rc == 0 && o.crawl && page_url)
		rc = follow_links(a, src, &o, page_url, res, out);
	if (!o.crawl)
		out->complete_listing = true; /* one page read whole is the whole source */
	return rc;
}

static const struct source_option jsonld_options[] = {
	{ "crawl", SOURCE_OPTION_BOOL },
	{ "sitemap", SOURCE_OPTION_BOOL },
	{ NULL, SOURCE_OPTION_BOOL },
};

const struct source_adapter source_jsonld = {
	.name = "jsonld",
	.label = "Any careers page (schema.org JobPosting, JSON-LD or microdata)",
	.options = jsonld_options,
	.target_help = "a page URL, e.g. https://example.com/careers; options {\"crawl\": true, \"max_pages\": 50, "
		       "\"sitemap\": true} crawl the site from it",
	.detect = detect,
	.start = jl_start,
	.parse = jl_parse,
	.run_state_new = run_state_new,
};
