/* sources/linkedin — LinkedIn's public ("guest") job search, the HTML
 * fragment of <li> cards that www.linkedin.com/jobs-guest/jobs/api/
 * seeMoreJobPostings/search answers.
 *
 * Off by default: LinkedIn's User Agreement forbids automated access, so an
 * admin has to turn it on knowingly (see `terms`). Requests are plain: the
 * fetch engine's own User-Agent and an Accept header, never headers that
 * pretend to be a browser, and the HTML pace of the fetch engine.
 *
 * The target is a search: the query of a linkedin.com/jobs/search URL
 * ("keywords=rust&location=Berlin") or that URL itself. Pages are read by
 * advancing `start` by the number of cards each page held, until a page
 * holds none or start reaches 1000 (where the guest search stops answering).
 * Cards give title, company, place, date and sometimes pay; {"details": true}
 * also fetches each job's guest page (description, employment type, the
 * employer's apply link) and emits the posting from there. A search is never
 * a complete listing: results shift between pages and are capped, so a job
 * missing from one run has not necessarily closed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"
#include "scrape/sources/emit.h"
#include "scrape/sources/markup.h"
#include "scrape/sources/options.h"
#include "scrape/sources/urlparts.h"

#define LI_ORIGIN        "https://www.linkedin.com"
#define LI_SEARCH_PATH   "/jobs-guest/jobs/api/seeMoreJobPostings/search"
#define LI_DETAIL_PATH   "/jobs-guest/jobs/api/jobPosting/"
#define LI_JOB_URL       "https://www.linkedin.com/jobs/view/%s"
#define LI_MAX_START     1000
#define LI_DEFAULT_PAGES 40 /* 25 cards a page: the 1,000 the search answers */
#define LI_MAX_CARDS     500

/* XPath for "an element whose class list holds c". */
#define HAS_CLASS(c) "contains(concat(' ', normalize-space(@class), ' '), ' " c " ')"

static const char LI_TERMS[] =
    "LinkedIn's User Agreement forbids scraping and other automated access to LinkedIn without its "
    "permission, and its robots.txt says the same. This adapter reads the public guest job search only, "
    "slowly and without disguising itself. The admin who enables it takes responsibility for doing so.";

/* The search parameters kept from a pasted URL; tracking ones are dropped. */
static const char *const search_params[] = { "keywords", "location", "geoId", "distance", "f_WT",  "f_JT",
					     "f_E",      "f_TPR",    "f_C",   "f_AL",     "sortBy" };

/* "keywords=rust%20engineer&location=Berlin" from a query, keeping search parameters only. */
static const char *search_query(struct arena *a, const char *query)
{
	struct buf b;
	buf_init(&b, 4096);
	for (size_t i = 0; i < sizeof(search_params) / sizeof(search_params[0]); i++) {
		const char *v = url_query_param(a, query, search_params[i]);
		if (!v || !*v)
			continue;
		buf_printf(&b, "%s%s=%s", b.len ? "&" : "", search_params[i], src_url_escape(a, v));
	}
	const char *out = b.len && !buf_failed(&b) ? arena_strndup(a, b.data, b.len) : NULL;
	buf_free(&b);
	return out;
}

/* www.linkedin.com/jobs/search?keywords=…, de.linkedin.com/jobs/search/?… */
static int li_detect(struct arena *a, const char *url, const char **target)
{
	struct url_parts u;
	if (url_parts_parse(a, url, &u) != 0 || !url_host_is(&u, "linkedin.com"))
		return -ENOENT;
	const char *s0 = url_path_segment(a, &u, 0), *s1 = url_path_segment(a, &u, 1);
	if (!s0 || !s1 || strcmp(s0, "jobs") != 0 || strcmp(s1, "search") != 0)
		return -ENOENT;
	const char *q = search_query(a, u.query);
	if (!q)
		return -ENOENT;
	*target = q;
	return 0;
}

static const char *target_query(struct arena *a, const char *target)
{
	struct url_parts u;
	if (!target)
		return NULL;
	if (url_parts_parse(a, target, &u) == 0)
		return search_query(a, u.query);
	return search_query(a, target[0] == '?' ? target + 1 : target);
}

static int add_page_request(struct arena *a, const struct source_config *src, struct source_request_list *out,
			    const char *query, long start, long page)
{
	const char *url = src_url(a, src, LI_ORIGIN, LI_SEARCH_PATH "?%s&start=%ld", query, start);
	struct source_request *r = src_get(a, out, url, REQUEST_HTML, "page");
	if (!r)
		return -ENOMEM;
	r->accept = "text/html";
	r->page = page;
	r->context = query;
	return 0;
}

static int li_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		    size_t errlen)
{
	const char *query = target_query(a, src->target);
	if (!query || (!strstr(query, "keywords=") && !strstr(query, "location=") && !strstr(query, "f_C="))) {
		snprintf(err, errlen,
			 "the target must be a LinkedIn job search: keywords=…&location=… or a "
			 "linkedin.com/jobs/search URL");
		return -EINVAL;
	}
	int rc = src_options_check(src, err, errlen);
	if (rc)
		return rc;
	return add_page_request(a, src, out, query, 0, 0);
}

/* The job id of a card: data-entity-urn="urn:li:jobPosting:4465923787". */
static const char *card_id(struct arena *a, xmlNodePtr card)
{
	const char *urn = markup_attr(a, card, "data-entity-urn");
	const char *p = urn ? strstr(urn, "urn:li:jobPosting:") : NULL;
	if (!p)
		return NULL;
	p += strlen("urn:li:jobPosting:");
	size_t n = strspn(p, "0123456789");
	return n && n < 24 && p[n] == '\0' ? arena_strndup(a, p, n) : NULL;
}

static int fill_card(struct arena *a, const struct source_config *src, xmlXPathContextPtr ctx, xmlNodePtr card,
		     const char *id, struct posting *p)
{
	p->title = markup_xpath_text(a, ctx, card, ".//*[" HAS_CLASS("base-search-card__title") "]");
	if (!p->title)
		p->title = markup_xpath_text(a, ctx, card, ".//*[" HAS_CLASS("sr-only") "]");
	if (!p->title)
		return -EINVAL;
	p->source = "linkedin";
	p->external_id = id;
	p->company = markup_xpath_text(a, ctx, card, ".//*[" HAS_CLASS("base-search-card__subtitle") "]");
	src_set_location(a, p, markup_xpath_text(a, ctx, card, ".//*[" HAS_CLASS("job-search-card__location") "]"));
	enum workplace in_title = workplace_scan(p->title);
	if (in_title != WORKPLACE_UNKNOWN)
		p->workplace = in_title;
	src_set_date(p, markup_xpath_text(a, ctx, card, ".//time/@datetime"), src->now);
	src_set_salary_text(p, markup_xpath_text(a, ctx, card, ".//*[" HAS_CLASS("job-search-card__salary-info") "]"),
			    NULL);
	p->url = arena_printf(a, LI_JOB_URL, id);
	p->apply_url = p->url;
	return 0;
}

/* The offset the answered request asked for. */
static long request_start(struct arena *a, const struct source_response *res)
{
	struct url_parts u;
	long start = 0;
	if (res->request && url_parts_parse(a, res->request->url, &u) == 0) {
		const char *s = url_query_param(a, u.query, "start");
		if (s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 9)
			start = strtol(s, NULL, 10);
	}
	return start;
}

static bool seen_before(const char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return true;
	return false;
}

static bool blank(const char *body, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)body[i]))
			return false;
	return true;
}

static int parse_page(struct arena *a, const struct source_config *src, const struct source_response *res,
		      struct source_result *out, char *err, size_t errlen)
{
	/* A page past the last answers an empty body: no cards, the end. */
	if (!res->body || blank(res->body, res->len))
		return 0;
	xmlDocPtr doc = markup_read_html(res->body, res->len, res->content_type, res->url, err, errlen);
	if (!doc)
		return -EINVAL;
	xmlXPathContextPtr ctx = markup_xpath_context(doc);
	xmlXPathObjectPtr cards = markup_xpath_eval(ctx, NULL, "//*[contains(@data-entity-urn, 'urn:li:jobPosting:')]");
	int n = cards && cards->nodesetval ? cards->nodesetval->nodeNr : 0;
	bool details = src_option_bool(src, "details", false);
	const char *ids[LI_MAX_CARDS];
	size_t kept = 0;
	int rc = 0;
	for (int i = 0; i < n && kept < LI_MAX_CARDS && rc == 0; i++) {
		xmlNodePtr card = cards->nodesetval->nodeTab[i];
		const char *id = card_id(a, card);
		if (!id) {
			out->warnings++;
			continue;
		}
		if (seen_before(ids, kept, id))
			continue;
		ids[kept++] = id;
		if (details) {
			const char *url = src_url(a, src, LI_ORIGIN, LI_DETAIL_PATH "%s", id);
			struct source_request *r = src_get(a, &out->next, url, REQUEST_HTML, "detail");
			if (!r)
				rc = -ENOMEM;
			else {
				r->accept = "text/html";
				r->context = id;
			}
			continue;
		}
		struct posting *p = posting_list_add(a, &out->postings);
		if (!p)
			rc = -ENOMEM;
		else if (fill_card(a, src, ctx, card, id, p) != 0)
			src_drop_posting(out);
	}
	xmlXPathFreeObject(cards);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	long page = res->request ? res->request->page : 0;
	long next = request_start(a, res) + n;
	const char *query =
	    res->request && res->request->context ? res->request->context : target_query(a, src->target);
	if (rc == 0 && n > 0 && next < LI_MAX_START && page + 1 < src_page_limit(src, LI_DEFAULT_PAGES) && query)
		rc = add_page_request(a, src, &out->next, query, next, page + 1);
	return rc;
}

/* code#applyUrl holds, inside a comment, LinkedIn's redirect whose url= is the employer's page. */
static const char *employer_apply_url(struct arena *a, xmlXPathContextPtr ctx)
{
	xmlNodePtr code = markup_xpath_node(ctx, NULL, "//code[@id='applyUrl']");
	for (xmlNodePtr c = code ? code->children : NULL; c; c = c->next) {
		if (c->type != XML_COMMENT_NODE || !c->content)
			continue;
		char *raw = arena_strdup(a, (const char *)c->content);
		if (!raw)
			return NULL;
		char *start = raw + strspn(raw, " \t\r\n\"");
		start[strcspn(start, "\"")] = '\0';
		struct url_parts u;
		if (url_parts_parse(a, start, &u) != 0)
			return NULL;
		const char *target = url_query_param(a, u.query, "url");
		struct url_parts t;
		return target && url_parts_parse(a, target, &t) == 0 ? target : start;
	}
	return NULL;
}

/* "Employment type" → the criteria value beside it. */
static const char *criterion(struct arena *a, xmlXPathContextPtr ctx, const char *name)
{
	char expr[512];
	snprintf(expr, sizeof(expr),
		 "//*[" HAS_CLASS(
		     "description__job-criteria-subheader") " and normalize-space(.)='%s']"
							    "/following-sibling::*[" HAS_CLASS(
								"description__job-criteria-text--criteria") "][1]",
		 name);
	return markup_xpath_text(a, ctx, NULL, expr);
}

static int parse_detail(struct arena *a, const struct source_config *src, const struct source_response *res,
			struct source_result *out, char *err, size_t errlen)
{
	const char *id = res->request ? res->request->context : NULL;
	if (!id) {
		snprintf(err, errlen, "a LinkedIn job page answered a request that named no job");
		return -EINVAL;
	}
	xmlDocPtr doc = markup_read_html(res->body, res->len, res->content_type, res->url, err, errlen);
	if (!doc)
		return -EINVAL;
	xmlXPathContextPtr ctx = markup_xpath_context(doc);
	struct posting *p = posting_list_add(a, &out->postings);
	int rc = p ? 0 : -ENOMEM;
	if (p) {
		p->title = markup_xpath_text(a, ctx, NULL, "//*[" HAS_CLASS("top-card-layout__title") "]");
		p->source = "linkedin";
		p->external_id = id;
		p->company = markup_xpath_text(a, ctx, NULL, "//*[" HAS_CLASS("topcard__org-name-link") "]");
		src_set_location(a, p,
				 markup_xpath_text(a, ctx, NULL, "//*[" HAS_CLASS("topcard__flavor--bullet") "][1]"));
		if (p->title && workplace_scan(p->title) != WORKPLACE_UNKNOWN)
			p->workplace = workplace_scan(p->title);
		p->employment_types = employment_parse(criterion(a, ctx, "Employment type"));
		src_set_date(p, markup_xpath_text(a, ctx, NULL, "//*[" HAS_CLASS("posted-time-ago__text") "]"),
			     src->now);
		src_set_salary_text(p, markup_xpath_text(a, ctx, NULL, "//*[" HAS_CLASS("salary") "]"), NULL);
		p->description_html = markup_inner_html(
		    a, doc, markup_xpath_node(ctx, NULL, "//div[contains(@class, 'show-more-less-html__markup')]"));
		p->url = arena_printf(a, LI_JOB_URL, id);
		const char *employer = employer_apply_url(a, ctx);
		p->apply_url = employer ? employer : p->url;
		if (!p->title) /* a sign-in wall or an empty page, not a job */
			src_drop_posting(out);
	}
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return rc;
}

static int li_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
		    struct source_result *out, char *err, size_t errlen)
{
	const char *step = res->request && res->request->step ? res->request->step : "page";
	if (strcmp(step, "detail") == 0)
		return parse_detail(a, src, res, out, err, errlen);
	return parse_page(a, src, res, out, err, errlen);
}

static const struct source_option linkedin_options[] = {
	{ "details", SOURCE_OPTION_BOOL },
	{ NULL, SOURCE_OPTION_BOOL },
};

const struct source_adapter source_linkedin = {
	.name = "linkedin",
	.label = "LinkedIn job search (guest)",
	.options = linkedin_options,
	.target_help = "a search: keywords=…&location=… or a linkedin.com/jobs/search URL",
	.off_by_default = true,
	.terms = LI_TERMS,
	.detect = li_detect,
	.start = li_start,
	.parse = li_parse,
};
