/* sources/xpath — any careers page, read with XPath selectors the admin
 * writes in the source's options, for sites no other adapter knows.
 *
 *   {"item": "//li[contains(@class,'job')]",      one node per posting (required)
 *    "title": ".//h3",                             relative to the item (required)
 *    "company": "…", "location": "…", "url": ".//a/@href", "description": "…",
 *    "date": "…", "salary": "…", "employment_type": "…", "workplace": "…",
 *    "id": "…",                                    external id (default: the url)
 *    "next": "//a[@rel='next']/@href"}             next page, from the document
 *
 * A field selector may pick an element (its text; for "description" its
 * inner HTML), an attribute, or compute a string. Links are resolved against
 * the page's address. Pages are parsed with libxml2's HTML parser, without
 * network access; expressions are checked when the run starts and bounded
 * in the steps they may take.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"
#include "scrape/sources/emit.h"
#include "scrape/sources/markup.h"
#include "scrape/sources/options.h"
#include "scrape/sources/urlparts.h"

#define XP_DEFAULT_PAGES 10
#define XP_MAX_ITEMS     2000

/* The options, by the name the admin writes them under. */
enum field {
	F_ITEM,
	F_TITLE,
	F_COMPANY,
	F_LOCATION,
	F_URL,
	F_DESCRIPTION,
	F_DATE,
	F_SALARY,
	F_EMPLOYMENT,
	F_WORKPLACE,
	F_ID,
	F_NEXT,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
	[F_ITEM] = "item",           [F_TITLE] = "title",   [F_COMPANY] = "company",
	[F_LOCATION] = "location",   [F_URL] = "url",       [F_DESCRIPTION] = "description",
	[F_DATE] = "date",           [F_SALARY] = "salary", [F_EMPLOYMENT] = "employment_type",
	[F_WORKPLACE] = "workplace", [F_ID] = "id",         [F_NEXT] = "next",
};

struct selectors {
	const char *expr[F_COUNT]; /* NULL where the options have none */
};

/* Reads and checks the selectors: item and title are required, all must compile. */
static int read_selectors(struct arena *a, const struct source_config *src, struct selectors *s, char *err,
			  size_t errlen)
{
	for (int f = 0; f < F_COUNT; f++)
		s->expr[f] = src_option_text(a, src, field_names[f]);
	if (!s->expr[F_ITEM] || !s->expr[F_TITLE]) {
		snprintf(err, errlen, "the XPath source needs options \"item\" and \"title\" (XPath selectors)");
		return -EINVAL;
	}
	for (int f = 0; f < F_COUNT; f++)
		if (s->expr[f] && !markup_xpath_valid(s->expr[f])) {
			snprintf(err, errlen, "the \"%s\" selector is not valid XPath: %.200s", field_names[f],
				 s->expr[f]);
			return -EINVAL;
		}
	return 0;
}

static int xp_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		    size_t errlen)
{
	struct url_parts u;
	if (url_parts_parse(a, src->target, &u) != 0) {
		snprintf(err, errlen, "the target must be the careers page's http(s) URL");
		return -EINVAL;
	}
	int rc = src_options_check(src, err, errlen);
	if (rc)
		return rc;
	struct selectors s;
	rc = read_selectors(a, src, &s, err, errlen);
	if (rc)
		return rc;
	struct source_request *r = src_get(a, out, url_rebase(a, src, src->target), REQUEST_HTML, "page");
	if (!r)
		return -ENOMEM;
	r->accept = "text/html";
	return 0;
}

/* A description: an element's inner HTML; text of anything else, as HTML. */
static const char *description_of(struct arena *a, xmlDocPtr doc, xmlXPathContextPtr ctx, xmlNodePtr item,
				  const char *expr)
{
	xmlNodePtr node = markup_xpath_node(ctx, item, expr);
	if (node && node->type == XML_ELEMENT_NODE)
		return markup_inner_html(a, doc, node);
	return markup_escape(a, markup_xpath_text(a, ctx, item, expr));
}

static int fill_item(struct arena *a, const struct source_config *src, const struct selectors *s, xmlDocPtr doc,
		     xmlXPathContextPtr ctx, xmlNodePtr item, const char *base, struct posting *p)
{
	p->title = markup_xpath_text(a, ctx, item, s->expr[F_TITLE]);
	if (!p->title)
		return -EINVAL;
	p->source = "xpath";
	p->url = url_resolve(a, base, markup_xpath_text(a, ctx, item, s->expr[F_URL]));
	p->external_id = markup_xpath_text(a, ctx, item, s->expr[F_ID]);
	if (!p->external_id)
		p->external_id = p->url;
	if (!p->external_id)
		return -EINVAL;
	p->apply_url = p->url;
	p->company = markup_xpath_text(a, ctx, item, s->expr[F_COMPANY]);
	if (!p->company)
		p->company = src->company;
	src_set_location(a, p, markup_xpath_text(a, ctx, item, s->expr[F_LOCATION]));
	enum workplace w = workplace_parse(markup_xpath_text(a, ctx, item, s->expr[F_WORKPLACE]));
	if (w == WORKPLACE_UNKNOWN)
		w = workplace_scan(p->title);
	if (w != WORKPLACE_UNKNOWN)
		p->workplace = w;
	p->employment_types = employment_parse(markup_xpath_text(a, ctx, item, s->expr[F_EMPLOYMENT]));
	src_set_date(p, markup_xpath_text(a, ctx, item, s->expr[F_DATE]), src->now);
	src_set_salary_text(p, markup_xpath_text(a, ctx, item, s->expr[F_SALARY]), NULL);
	if (s->expr[F_DESCRIPTION])
		p->description_html = description_of(a, doc, ctx, item, s->expr[F_DESCRIPTION]);
	return 0;
}

static int xp_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
		    struct source_result *out, char *err, size_t errlen)
{
	struct selectors s;
	int rc = read_selectors(a, src, &s, err, errlen);
	if (rc)
		return rc;
	const char *base = res->url ? res->url : res->request ? res->request->url : src->target;
	xmlDocPtr doc = markup_read_html(res->body, res->len, res->content_type, base, err, errlen);
	if (!doc)
		return -EINVAL;
	xmlXPathContextPtr ctx = markup_xpath_context(doc);
	xmlXPathObjectPtr items = markup_xpath_eval(ctx, NULL, s.expr[F_ITEM]);
	int n = items && items->nodesetval ? items->nodesetval->nodeNr : 0;
	for (int i = 0; i < n && i < XP_MAX_ITEMS && rc == 0; i++) {
		struct posting *p = posting_list_add(a, &out->postings);
		if (!p)
			rc = -ENOMEM;
		else if (fill_item(a, src, &s, doc, ctx, items->nodesetval->nodeTab[i], base, p) != 0)
			src_drop_posting(out);
	}
	const char *next =
	    s.expr[F_NEXT] ? url_rebase(a, src, url_resolve(a, base, markup_xpath_text(a, ctx, NULL, s.expr[F_NEXT])))
			   : NULL;
	xmlXPathFreeObject(items);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	if (rc)
		return rc;
	long page = res->request ? res->request->page : 0;
	bool more = next && strcmp(next, base) != 0 && (!res->request || strcmp(next, res->request->url) != 0);
	if (!more) {
		out->complete_listing = n <= XP_MAX_ITEMS;
	} else if (page + 1 < src_page_limit(src, XP_DEFAULT_PAGES)) {
		struct source_request *r = src_get(a, &out->next, next, REQUEST_HTML, "page");
		if (!r)
			return -ENOMEM;
		r->accept = "text/html";
		r->page = page + 1;
	}
	return 0;
}

static const struct source_option xpath_options[] = {
	{ "item", SOURCE_OPTION_TEXT },
	{ "title", SOURCE_OPTION_TEXT },
	{ "company", SOURCE_OPTION_TEXT },
	{ "location", SOURCE_OPTION_TEXT },
	{ "url", SOURCE_OPTION_TEXT },
	{ "description", SOURCE_OPTION_TEXT },
	{ "date", SOURCE_OPTION_TEXT },
	{ "salary", SOURCE_OPTION_TEXT },
	{ "employment_type", SOURCE_OPTION_TEXT },
	{ "workplace", SOURCE_OPTION_TEXT },
	{ "id", SOURCE_OPTION_TEXT },
	{ "next", SOURCE_OPTION_TEXT },
	{ NULL, SOURCE_OPTION_BOOL },
};

const struct source_adapter source_xpath = {
	.name = "xpath",
	.label = "Any careers page (XPath selectors)",
	.options = xpath_options,
	.target_help = "the careers page URL; selectors go in the options, e.g. {\"item\": \"//li[@class='job']\", "
		       "\"title\": \".//h3\", \"url\": \".//a/@href\"}",
	.start = xp_start,
	.parse = xp_parse,
};
