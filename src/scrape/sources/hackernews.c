/* sources/hackernews — the monthly "Ask HN: Who is hiring?" thread, read
 * through the Algolia HN API.
 *
 * Without a target the adapter first asks search_by_date for stories by
 * whoishiring and follows the newest "Ask HN: Who is hiring?" one; a target
 * (a thread id, or its news.ycombinator.com/item?id=… URL) pins a thread.
 * GET /api/v1/items/{id} answers the whole tree; only top-level comments are
 * postings (replies are questions and answers about them). Each comment's
 * first line is the header hn_header.h reads; deleted, dead and empty
 * comments are skipped. The comment HTML is the description; the apply link
 * is the comment's first link, else the comment itself on HN.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scrape/normalize.h"
#include "scrape/sources/common.h"
#include "scrape/sources/hn_header.h"
#include "scrape/sources/markup.h"
#include "scrape/sources/emit.h"
#include "scrape/sources/urlparts.h"

#define HN_ORIGIN        "https://hn.algolia.com"
#define HN_ITEM_URL      "https://news.ycombinator.com/item?id=%s"
#define HN_THREAD_PREFIX "Ask HN: Who is hiring?"
#define HN_MAX_COMMENTS  5000
#define HN_MAX_HITS      1000

static bool all_digits(const char *s)
{
	if (!s || !*s || strlen(s) > 20)
		return false;
	for (const char *c = s; *c; c++)
		if (!isdigit((unsigned char)*c))
			return false;
	return true;
}

/* news.ycombinator.com/item?id=49522897 */
static int hn_detect(struct arena *a, const char *url, const char **target)
{
	struct url_parts u;
	if (url_parts_parse(a, url, &u) != 0 || strcmp(u.host, "news.ycombinator.com") != 0 ||
	    strcmp(u.path, "/item") != 0)
		return -ENOENT;
	const char *id = url_query_param(a, u.query, "id");
	if (!all_digits(id))
		return -ENOENT;
	*target = id;
	return 0;
}

static int add_thread_request(struct arena *a, const struct source_config *src, struct source_request_list *out,
			      const char *id)
{
	return src_get_json(a, out, src_url(a, src, HN_ORIGIN, "/api/v1/items/%s", id), "thread", id) ? 0 : -ENOMEM;
}

static int hn_start(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		    size_t errlen)
{
	const char *target = src->target && *src->target ? src->target : NULL;
	if (target && !all_digits(target) && hn_detect(a, target, &target) != 0) {
		snprintf(err, errlen, "the target must be empty (the latest thread), a thread id or its HN URL");
		return -EINVAL;
	}
	if (target)
		return add_thread_request(a, src, out, target);
	const char *url =
	    src_url(a, src, HN_ORIGIN, "/api/v1/search_by_date?tags=story,author_whoishiring&query=%s&hitsPerPage=20",
		    "who%20is%20hiring");
	return src_get_json(a, out, url, "search", NULL) ? 0 : -ENOMEM;
}

/* The newest hit titled "Ask HN: Who is hiring? (Month Year)". */
static int parse_search(struct arena *a, const struct source_config *src, json_t *root, struct source_result *out,
			char *err, size_t errlen)
{
	json_t *hits = json_object_get(root, "hits");
	if (!json_is_array(hits)) {
		snprintf(err, errlen, "not an HN search answer: no \"hits\" array");
		return -EINVAL;
	}
	const char *best = NULL;
	double best_time = -1;
	size_t i;
	json_t *hit;
	json_array_foreach (hits, i, hit) {
		if (i >= HN_MAX_HITS)
			break;
		const char *title = src_json_text(a, hit, "title");
		const char *id = src_json_text(a, hit, "objectID");
		double t = 0;
		src_json_number(hit, "created_at_i", &t);
		if (!title || strncasecmp(title, HN_THREAD_PREFIX, strlen(HN_THREAD_PREFIX)) != 0 || !all_digits(id))
			continue;
		if (!best || t > best_time) {
			best = id;
			best_time = t;
		}
	}
	if (!best) {
		out->warnings++; /* nothing to read this time; not the payload's fault */
		return 0;
	}
	return add_thread_request(a, src, &out->next, best);
}

static bool is_inline(const xmlNode *n)
{
	static const char *const names[] = { "a", "i", "b", "em", "strong", "code", "span", "u", "s" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (markup_is(n, names[i]))
			return true;
	return false;
}

/* The first line of a comment: its text up to the first paragraph break
 * (HN writes a bare <p> between paragraphs) or newline, entities decoded. */
static const char *first_line(struct arena *a, xmlNodePtr body)
{
	struct buf b;
	buf_init(&b, 4 * HN_HEADER_MAX);
	xmlNodePtr n = body ? body->children : NULL;
	for (; n && b.len < 2 * HN_HEADER_MAX; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content) {
			const char *t = (const char *)n->content;
			if (!b.len || strspn(b.data, " \t\r") == b.len)
				t += strspn(t, " \t\r\n"); /* newlines before the first words end nothing */
			size_t len = strcspn(t, "\n");
			buf_append(&b, t, len);
			if (t[len] == '\n')
				break;
		} else if (is_inline(n)) {
			const char *t = markup_text(a, n);
			if (t)
				buf_puts(&b, t);
		} else if (n->type == XML_ELEMENT_NODE) {
			break;
		}
	}
	const char *line = b.data && strspn(b.data, " \t\r") < b.len ? arena_strndup(a, b.data, b.len) : NULL;
	buf_free(&b);
	if (!line && n && n->type == XML_ELEMENT_NODE) { /* the comment opens with a paragraph */
		const char *t = markup_raw_text(a, n);
		line = t ? arena_strndup(a, t, strcspn(t, "\n")) : NULL;
	}
	return line;
}

/* The first http(s) link in the comment. */
static const char *first_link(struct arena *a, xmlDocPtr doc)
{
	xmlXPathContextPtr ctx = markup_xpath_context(doc);
	const char *href = NULL;
	xmlXPathObjectPtr obj = markup_xpath_eval(ctx, NULL, "//a[@href]");
	for (int i = 0; obj && obj->nodesetval && i < obj->nodesetval->nodeNr && !href; i++) {
		struct url_parts u;
		const char *h = markup_attr(a, obj->nodesetval->nodeTab[i], "href");
		if (h && url_parts_parse(a, h, &u) == 0)
			href = h;
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return href;
}

static int fill_comment(struct arena *a, const struct source_config *src, json_t *c, struct posting *p)
{
	const char *id = src_json_text(a, c, "id");
	const char *text = src_json_text(a, c, "text");
	if (!all_digits(id) || !text)
		return -EINVAL;
	char err[128];
	xmlDocPtr doc = markup_read_html(text, strlen(text), NULL, NULL, err, sizeof(err));
	if (!doc)
		return -EINVAL;
	struct hn_header h;
	xmlNodePtr body = markup_child(xmlDocGetRootElement(doc), "body");
	int rc = hn_header_parse(a, first_line(a, body), &h);
	const char *link = rc == 0 ? first_link(a, doc) : NULL;
	xmlFreeDoc(doc);
	if (rc != 0 || !h.title)
		return rc ? rc : -EINVAL;
	p->source = "hackernews";
	p->external_id = id;
	p->title = h.title;
	p->company = h.company;
	src_set_location(a, p, h.location);
	if (h.workplace != WORKPLACE_UNKNOWN)
		p->workplace = h.workplace;
	p->employment_types = h.employment_types;
	src_set_salary_text(p, h.salary, NULL);
	src_set_date(p, src_json_text(a, c, "created_at"), src->now);
	p->description_html = text;
	p->url = arena_printf(a, HN_ITEM_URL, id);
	p->apply_url = link ? link : p->url;
	return 0;
}

static int parse_thread(struct arena *a, const struct source_config *src, json_t *root, struct source_result *out,
			char *err, size_t errlen)
{
	json_t *children = json_object_get(root, "children");
	if (!json_is_object(root) || !json_is_array(children)) {
		snprintf(err, errlen, "not an HN thread: no \"children\" array");
		return -EINVAL;
	}
	size_t i;
	json_t *c;
	json_array_foreach (children, i, c) {
		if (i >= HN_MAX_COMMENTS)
			break;
		if (!json_is_object(c) || src_json_bool(c, "deleted", false) || src_json_bool(c, "dead", false))
			continue;
		if (!src_json_text(a, c, "text"))
			continue; /* deleted comments keep their place with text null */
		struct posting *p = posting_list_add(a, &out->postings);
		if (!p)
			return -ENOMEM;
		int rc = fill_comment(a, src, c, p);
		if (rc == -ENOMEM)
			return rc;
		if (rc != 0)
			src_drop_posting(out);
	}
	out->complete_listing = json_array_size(children) <= HN_MAX_COMMENTS;
	return 0;
}

static int hn_parse(struct arena *a, const struct source_config *src, const struct source_response *res,
		    struct source_result *out, char *err, size_t errlen)
{
	json_t *root = src_json_load(res->body, res->len, err, errlen);
	if (!root)
		return -EINVAL;
	const char *step = res->request && res->request->step ? res->request->step : "thread";
	int rc = strcmp(step, "search") == 0 ? parse_search(a, src, root, out, err, errlen)
					     : parse_thread(a, src, root, out, err, errlen);
	json_decref(root);
	return rc;
}

const struct source_adapter source_hackernews = {
	.name = "hackernews",
	.label = "Hacker News: Who is hiring?",
	.target_help = "empty for the latest thread, or a thread id / news.ycombinator.com/item?id=… URL",
	.detect = hn_detect,
	.start = hn_start,
	.parse = hn_parse,
};
