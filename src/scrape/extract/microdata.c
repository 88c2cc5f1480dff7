/* microdata — itemscope/itemprop trees of libxml2's HTML parse as JSON in
 * JSON-LD's shape (the rules are in microdata.h). Walks are iterative
 * within an item; only nested items recurse, at most MICRODATA_DEPTH_MAX. */
#include "scrape/extract/microdata.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#include "base/buf.h"
#include "scrape/extract/jsonld.h"

bool microdata_present(const char *html, size_t len)
{
	static const char *const attr[] = { "itemtype", "itemType", "ITEMTYPE" };
	static const char *const type[] = { "JobPosting", "jobposting", "JOBPOSTING" };
	bool has_attr = false, has_type = false;
	for (size_t i = 0; i < 3 && !has_attr; i++)
		has_attr = memmem(html, len, attr[i], strlen(attr[i])) != NULL;
	for (size_t i = 0; i < 3 && has_attr && !has_type; i++)
		has_type = memmem(html, len, type[i], strlen(type[i])) != NULL;
	return has_attr && has_type;
}

static const char *attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (strcasecmp((const char *)a->name, name) == 0) {
			const xmlNode *t = a->children;
			return t && t->type == XML_TEXT_NODE && t->content ? (const char *)t->content : "";
		}
	return NULL;
}

static bool is_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, name) == 0;
}

static bool is_any(const xmlNode *n, const char *const *names)
{
	for (; *names; names++)
		if (is_element(n, *names))
			return true;
	return false;
}

/* The next node of a depth-first walk below root, skipping cur's children
 * when skip_children; NULL at the end. */
static const xmlNode *next_node(const xmlNode *cur, const xmlNode *root, bool skip_children)
{
	if (!skip_children && cur->children)
		return cur->children;
	while (cur && cur != root) {
		if (cur->next)
			return cur->next;
		cur = cur->parent;
	}
	return NULL;
}

/* The type name of a type URL: "https://schema.org/JobPosting" → "JobPosting". */
static json_t *type_name(const char *url, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++)
		if (url[i] == '/' || url[i] == '#' || url[i] == ':')
			start = i + 1;
	if (start == n)
		start = 0;
	return json_stringn(url + start, n - start);
}

/* Calls fn for each whitespace-separated token of s (itemtype, itemprop). */
static void each_token(const char *s, void (*fn)(const char *tok, size_t n, void *ctx), void *ctx)
{
	while (s && *s) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')
			s++;
		size_t n = strcspn(s, " \t\n\r\f");
		if (n)
			fn(s, n, ctx);
		s += n;
	}
}

static void add_type(const char *tok, size_t n, void *ctx)
{
	json_t *types = ctx;
	json_array_append_new(types, type_name(tok, n));
}

/* "@type": one name, or an array of names for several types. */
static json_t *item_type(const xmlNode *n)
{
	json_t *types = json_array();
	if (!types)
		return NULL;
	each_token(attr(n, "itemtype"), add_type, types);
	if (json_array_size(types) == 1) {
		json_t *one = json_incref(json_array_get(types, 0));
		json_decref(types);
		return one;
	}
	return types;
}

static void match_job_posting(const char *tok, size_t n, void *ctx)
{
	char type[256];
	if (n >= sizeof(type))
		return;
	memcpy(type, tok, n);
	type[n] = '\0';
	if (jsonld_type_matches(type, "JobPosting"))
		*(bool *)ctx = true;
}

static bool type_is_job_posting(const xmlNode *n)
{
	bool yes = false;
	each_token(attr(n, "itemtype"), match_job_posting, &yes);
	return yes;
}

/* Text of n and below (script and style left out), whitespace collapsed
 * and trimmed, at most MICRODATA_VALUE_MAX bytes. */
static json_t *text_value(const xmlNode *n)
{
	struct buf b;
	buf_init(&b, MICRODATA_VALUE_MAX);
	bool space = false;
	for (const xmlNode *c = n->children; c && !buf_failed(&b);) {
		bool skip = is_element(c, "script") || is_element(c, "style");
		if (c->type == XML_TEXT_NODE && c->content) {
			for (const char *s = (const char *)c->content; *s; s++) {
				if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
					space = b.len > 0;
					continue;
				}
				if (space)
					buf_putc(&b, ' ');
				space = false;
				buf_putc(&b, *s);
			}
		}
		c = next_node(c, n, skip);
	}
	/* Cut at the limit: back to a character boundary so the string stays UTF-8. */
	size_t len = b.len;
	while (buf_failed(&b) && len && ((unsigned char)b.data[len - 1] & 0xC0) == 0x80)
		len--;
	if (buf_failed(&b) && len && (unsigned char)b.data[len - 1] >= 0xC0)
		len--;
	json_t *v = json_stringn(b.data ? b.data : "", len);
	buf_free(&b);
	return v;
}

/* The children of n as HTML, written by libxml2 without added line breaks
 * (the sanitiser will read it again). */
static json_t *inner_html(const xmlNode *n)
{
	xmlOutputBufferPtr ob = xmlAllocOutputBuffer(NULL);
	if (!ob)
		return NULL;
	for (xmlNode *c = n->children; c && xmlOutputBufferGetSize(ob) < MICRODATA_VALUE_MAX; c = c->next)
		htmlNodeDumpFormatOutput(ob, n->doc, c, "UTF-8", 0);
	json_t *v = NULL;
	size_t size = xmlOutputBufferGetSize(ob);
	if (size <= MICRODATA_VALUE_MAX)
		v = json_stringn((const char *)xmlOutputBufferGetContent(ob), size);
	xmlOutputBufferClose(ob);
	return v;
}

static json_t *attr_value(const xmlNode *n, const char *name)
{
	const char *v = attr(n, name);
	return json_string(v ? v : "");
}

static json_t *build_item(const xmlNode *item, int depth);

/* The value of property element n, by the microdata rules. */
static json_t *property_value(const xmlNode *n, const char *prop, int depth)
{
	static const char *const src_elements[] = {
		"audio", "embed", "iframe", "img", "source", "track", "video", NULL
	};
	static const char *const href_elements[] = { "a", "area", "link", NULL };
	static const char *const value_elements[] = { "data", "meter", NULL };
	if (attr(n, "itemscope") && depth < MICRODATA_DEPTH_MAX)
		return build_item(n, depth + 1);
	if (is_element(n, "meta"))
		return attr_value(n, "content");
	if (is_any(n, src_elements))
		return attr_value(n, "src");
	if (is_any(n, href_elements))
		return attr_value(n, "href");
	if (is_element(n, "object"))
		return attr_value(n, "data");
	if (is_any(n, value_elements))
		return attr_value(n, "value");
	if (is_element(n, "time") && attr(n, "datetime"))
		return attr_value(n, "datetime");
	if (attr(n, "content"))
		return attr_value(n, "content");
	if (strcmp(prop, "description") == 0)
		return inner_html(n);
	return text_value(n);
}

/* Sets obj[name] = value, or turns an existing value into an array of all. */
static void add_property(json_t *obj, const char *name, json_t *value)
{
	json_t *old = json_object_get(obj, name);
	if (!old) {
		json_object_set_new(obj, name, value);
	} else if (json_is_array(old)) {
		json_array_append_new(old, value);
	} else {
		json_t *all = json_pack("[OO]", old, value);
		json_decref(value);
		if (all)
			json_object_set_new(obj, name, all);
	}
}

struct prop_ctx {
	json_t *obj;
	const xmlNode *el;
	int depth;
	json_t *value; /* computed once for all the element's names */
};

static void add_named(const char *tok, size_t n, void *ctx)
{
	struct prop_ctx *p = ctx;
	if (json_object_size(p->obj) >= MICRODATA_PROPS_MAX)
		return;
	char name[128];
	if (n >= sizeof(name))
		return;
	memcpy(name, tok, n);
	name[n] = '\0';
	/* "https://schema.org/title" names the same property as "title". */
	const char *last = strrchr(name, '/');
	const char *short_name = last && last[1] ? last + 1 : name;
	if (!p->value)
		p->value = property_value(p->el, short_name, p->depth);
	if (p->value && short_name[0] != '@') /* never overwrite @type from the page */
		add_property(p->obj, short_name, json_incref(p->value));
}

static json_t *build_item(const xmlNode *item, int depth)
{
	json_t *obj = json_object();
	if (!obj)
		return NULL;
	json_t *type = item_type(item);
	if (json_is_string(type) || json_array_size(type) != 0)
		json_object_set_new(obj, "@type", type);
	else
		json_decref(type);
	const char *id = attr(item, "itemid");
	if (id && *id)
		json_object_set_new(obj, "@id", json_string(id));
	for (const xmlNode *c = item->children; c;) {
		bool nested = false;
		if (c->type == XML_ELEMENT_NODE) {
			const char *props = attr(c, "itemprop");
			if (props) {
				struct prop_ctx p = { obj, c, depth, NULL };
				each_token(props, add_named, &p);
				json_decref(p.value);
			}
			nested = attr(c, "itemscope") != NULL; /* its properties are its own */
		}
		c = next_node(c, item, nested);
	}
	return obj;
}

int microdata_job_postings(const char *html, size_t len, json_t *out)
{
	if (!microdata_present(html, len))
		return 0;
	if (len > MICRODATA_PAGE_MAX)
		return -E2BIG;
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, NULL,
					HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					    HTML_PARSE_NONET | HTML_PARSE_COMPACT);
	if (!doc)
		return -EIO;
	int found = 0, rc = 0;
	const xmlNode *root = (const xmlNode *)doc;
	for (const xmlNode *c = doc->children; c && found < MICRODATA_ITEMS_MAX;) {
		bool posting = c->type == XML_ELEMENT_NODE && attr(c, "itemscope") && type_is_job_posting(c);
		if (posting) {
			json_t *item = build_item(c, 0);
			if (!item || json_array_append_new(out, item)) {
				rc = -ENOMEM;
				break;
			}
			found++;
		}
		c = next_node(c, root, posting);
	}
	xmlFreeDoc(doc);
	return rc ? rc : found;
}
