/* sources/markup — libxml2 reading for adapters; see markup.h. */
#include "scrape/sources/markup.h"

#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/xpathInternals.h>

#include "base/arena.h"
#include "base/buf.h"

/* Evaluation steps one XPath expression may take: generous for any real
 * selector over a real page, small enough that a pathological one ends. */
#define XPATH_OP_LIMIT 20000000ul

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
	xmlInitParser();
}

/* libxml2 reports through callbacks; adapters report through err instead. */
static void silent_error(void *ctx, const xmlError *error)
{
	(void)ctx;
	(void)error;
}

static void describe_error(const xmlError *e, const char *what, char *err, size_t errlen)
{
	if (e && e->message) {
		size_t n = strlen(e->message);
		while (n && (e->message[n - 1] == '\n' || e->message[n - 1] == ' '))
			n--;
		snprintf(err, errlen, "the response is not %s: %.*s (line %d)", what, (int)(n > 200 ? 200 : n),
			 e->message, e->line);
	} else {
		snprintf(err, errlen, "the response is not %s", what);
	}
}

xmlDocPtr markup_read_xml(const char *body, size_t len, char *err, size_t errlen)
{
	pthread_once(&init_once, init_libxml);
	if (!body || len == 0) {
		snprintf(err, errlen, "the response is empty, not XML");
		return NULL;
	}
	if (len > INT_MAX) {
		snprintf(err, errlen, "the response is too large to read as XML");
		return NULL;
	}
	/* No feed needs entities of its own; refusing them is simpler and safer
	 * than trusting every path of the parser not to expand them. */
	if (memmem(body, len, "<!ENTITY", 8)) {
		snprintf(err, errlen, "the XML declares entities, which are not read");
		return NULL;
	}
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		snprintf(err, errlen, "out of memory reading XML");
		return NULL;
	}
	ctxt->sax->serror = (xmlStructuredErrorFunc)silent_error;
	int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_RECOVER | XML_PARSE_NOCDATA;
	xmlDocPtr doc = xmlCtxtReadMemory(ctxt, body, (int)len, NULL, NULL, options);
	if (!doc || !xmlDocGetRootElement(doc)) {
		describe_error(&ctxt->lastError, "XML", err, errlen);
		if (doc)
			xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* The charset= of a Content-Type, when it is a plausible encoding name. */
static void charset_of(const char *content_type, char out[48])
{
	out[0] = '\0';
	const char *p = content_type ? strcasestr(content_type, "charset=") : NULL;
	if (!p)
		return;
	p += 8;
	if (*p == '"')
		p++;
	size_t n = 0;
	while (n < 47 && (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_'))
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

xmlDocPtr markup_read_html(const char *body, size_t len, const char *content_type, const char *url, char *err,
			   size_t errlen)
{
	pthread_once(&init_once, init_libxml);
	if (!body || len == 0) {
		snprintf(err, errlen, "the response is empty, not HTML");
		return NULL;
	}
	if (len > INT_MAX) {
		snprintf(err, errlen, "the response is too large to read as HTML");
		return NULL;
	}
	char charset[48];
	charset_of(content_type, charset);
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	if (!ctxt) {
		snprintf(err, errlen, "out of memory reading HTML");
		return NULL;
	}
	ctxt->sax->serror = (xmlStructuredErrorFunc)silent_error;
	int options =
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_COMPACT;
	htmlDocPtr doc = htmlCtxtReadMemory(ctxt, body, (int)len, url, charset[0] ? charset : "UTF-8", options);
	if (!doc && charset[0]) { /* an encoding libxml2 does not know: try UTF-8 */
		htmlCtxtReset(ctxt);
		doc = htmlCtxtReadMemory(ctxt, body, (int)len, url, "UTF-8", options);
	}
	if (!doc || !xmlDocGetRootElement(doc)) {
		describe_error(&ctxt->lastError, "HTML", err, errlen);
		if (doc)
			xmlFreeDoc(doc);
		doc = NULL;
	}
	htmlFreeParserCtxt(ctxt);
	return doc;
}

static const char *local_name(const xmlNode *node)
{
	return (const char *)node->name;
}

bool markup_is(const xmlNode *node, const char *name)
{
	return node && node->type == XML_ELEMENT_NODE && node->name && strcasecmp(local_name(node), name) == 0;
}

xmlNodePtr markup_child(const xmlNode *parent, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (markup_is(c, name))
			return c;
	return NULL;
}

xmlNodePtr markup_next(const xmlNode *node, const char *name)
{
	for (xmlNodePtr c = node ? node->next : NULL; c; c = c->next)
		if (markup_is(c, name))
			return c;
	return NULL;
}

/* Text accumulated up to MARKUP_TEXT_MAX, optionally with white space collapsed. */
struct text_acc {
	struct buf b;
	bool collapse;
	bool pending_space;
	bool full;
};

static bool is_space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Appends s[0..n) without passing the bound; cuts at a UTF-8 boundary. */
static void acc_raw(struct text_acc *t, const char *s, size_t n)
{
	if (t->full)
		return;
	size_t room = MARKUP_TEXT_MAX - t->b.len;
	if (n > room) {
		n = room;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		t->full = true;
	}
	buf_append(&t->b, s, n);
}

static void acc_text(struct text_acc *t, const char *s)
{
	if (!t->collapse) {
		acc_raw(t, s, strlen(s));
		return;
	}
	while (*s && !t->full) {
		/* U+00A0 (no-break space) counts as white space in titles and places. */
		if (is_space_byte((unsigned char)*s) || ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)) {
			t->pending_space = true;
			s += ((unsigned char)*s == 0xC2) ? 2 : 1;
			continue;
		}
		size_t run = 0;
		while (s[run] && !is_space_byte((unsigned char)s[run]) &&
		       !((unsigned char)s[run] == 0xC2 && (unsigned char)s[run + 1] == 0xA0))
			run++;
		if (t->pending_space && t->b.len)
			acc_raw(t, " ", 1);
		t->pending_space = false;
		acc_raw(t, s, run);
		s += run;
	}
}

/* Elements after which words must not run together in collapsed text. */
static bool separates_words(const xmlNode *n)
{
	static const char *const names[] = { "br", "p",  "div", "li", "tr", "td", "th", "h1",      "h2",     "h3",
					     "h4", "h5", "h6",  "ul", "ol", "dd", "dt", "section", "article" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (markup_is(n, names[i]))
			return true;
	return false;
}

/* Walks root's subtree without recursion, taking text and CDATA only:
 * entity references, comments and processing instructions add nothing. */
static void collect(struct text_acc *t, const xmlNode *root)
{
	if (root->type == XML_TEXT_NODE || root->type == XML_CDATA_SECTION_NODE) {
		if (root->content)
			acc_text(t, (const char *)root->content);
		return;
	}
	const xmlNode *n = root->children;
	while (n && !t->full) {
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content)
			acc_text(t, (const char *)n->content);
		if (t->collapse && separates_words(n))
			t->pending_space = true;
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n != root && !n->next) {
			n = n->parent;
			if (n && t->collapse && separates_words(n))
				t->pending_space = true;
		}
		if (!n || n == root)
			break;
		n = n->next;
	}
}

static const char *acc_finish(struct arena *a, struct text_acc *t)
{
	const char *s = t->b.data ? t->b.data : "";
	size_t n = t->b.len;
	if (!t->collapse) {
		while (n && is_space_byte((unsigned char)*s)) {
			s++;
			n--;
		}
		while (n && is_space_byte((unsigned char)s[n - 1]))
			n--;
	}
	const char *out = n && !buf_failed(&t->b) ? arena_strndup(a, s, n) : NULL;
	buf_free(&t->b);
	return out;
}

static const char *node_text(struct arena *a, const xmlNode *node, bool collapse)
{
	if (!node)
		return NULL;
	struct text_acc t = { .collapse = collapse };
	buf_init(&t.b, MARKUP_TEXT_MAX + 8);
	collect(&t, node);
	return acc_finish(a, &t);
}

const char *markup_text(struct arena *a, const xmlNode *node)
{
	return node_text(a, node, true);
}

const char *markup_raw_text(struct arena *a, const xmlNode *node)
{
	return node_text(a, node, false);
}

const char *markup_child_text(struct arena *a, const xmlNode *parent, const char *name)
{
	return markup_text(a, markup_child(parent, name));
}

const char *markup_child_raw(struct arena *a, const xmlNode *parent, const char *name)
{
	return markup_raw_text(a, markup_child(parent, name));
}

static const char *collapse_string(struct arena *a, const char *s)
{
	struct text_acc t = { .collapse = true };
	buf_init(&t.b, MARKUP_TEXT_MAX + 8);
	acc_text(&t, s ? s : "");
	return acc_finish(a, &t);
}

const char *markup_attr(struct arena *a, const xmlNode *node, const char *name)
{
	if (!node || node->type != XML_ELEMENT_NODE)
		return NULL;
	for (xmlAttrPtr at = node->properties; at; at = at->next)
		if (at->name && strcasecmp((const char *)at->name, name) == 0)
			return markup_text(a, (const xmlNode *)at);
	return NULL;
}

bool markup_has_class(const xmlNode *node, const char *cls)
{
	if (!node || node->type != XML_ELEMENT_NODE)
		return false;
	xmlChar *v = xmlGetProp(node, (const xmlChar *)"class");
	if (!v)
		return false;
	size_t n = strlen(cls);
	bool found = false;
	for (const char *p = (const char *)v; *p && !found;) {
		while (*p && is_space_byte((unsigned char)*p))
			p++;
		size_t w = 0;
		while (p[w] && !is_space_byte((unsigned char)p[w]))
			w++;
		found = w == n && memcmp(p, cls, n) == 0;
		p += w;
	}
	xmlFree(v);
	return found;
}

const char *markup_inner_html(struct arena *a, xmlDocPtr doc, const xmlNode *node)
{
	if (!node)
		return NULL;
	xmlBufferPtr xb = xmlBufferCreate();
	if (!xb)
		return NULL;
	bool html = doc && doc->type == XML_HTML_DOCUMENT_NODE;
	for (xmlNodePtr c = node->children; c; c = c->next) {
		if (html)
			htmlNodeDump(xb, doc, c);
		else
			xmlNodeDump(xb, doc, c, 0, 0);
		if ((size_t)xmlBufferLength(xb) > MARKUP_TEXT_MAX)
			break;
	}
	const char *s = (const char *)xmlBufferContent(xb);
	size_t n = (size_t)xmlBufferLength(xb);
	if (n > MARKUP_TEXT_MAX) { /* cut, at a character boundary; the sanitiser closes what is left open */
		n = MARKUP_TEXT_MAX;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	while (n && is_space_byte((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && is_space_byte((unsigned char)s[n - 1]))
		n--;
	const char *out = n ? arena_strndup(a, s, n) : NULL;
	xmlBufferFree(xb);
	return out;
}

const char *markup_escape(struct arena *a, const char *text)
{
	if (!text)
		return NULL;
	struct buf b;
	buf_init(&b, 4 * MARKUP_TEXT_MAX);
	buf_put_html(&b, text, strlen(text));
	const char *out = !buf_failed(&b) && b.data ? arena_strndup(a, b.data, b.len) : NULL;
	buf_free(&b);
	return out;
}

xmlXPathContextPtr markup_xpath_context(xmlDocPtr doc)
{
	pthread_once(&init_once, init_libxml);
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	if (!ctx)
		return NULL;
	ctx->opLimit = XPATH_OP_LIMIT;
	ctx->error = (xmlStructuredErrorFunc)silent_error;
	return ctx;
}

xmlXPathObjectPtr markup_xpath_eval(xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr)
{
	if (!ctx || !expr || !*expr)
		return NULL;
	ctx->opCount = 0;
	if (!node)
		node = (xmlNodePtr)ctx->doc;
	return xmlXPathNodeEval(node, (const xmlChar *)expr, ctx);
}

xmlNodePtr markup_xpath_node(xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr obj = markup_xpath_eval(ctx, node, expr);
	xmlNodePtr found = NULL;
	if (obj && obj->type == XPATH_NODESET && obj->nodesetval && obj->nodesetval->nodeNr > 0)
		found = obj->nodesetval->nodeTab[0];
	xmlXPathFreeObject(obj);
	return found;
}

const char *markup_xpath_text(struct arena *a, xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr obj = markup_xpath_eval(ctx, node, expr);
	if (!obj)
		return NULL;
	const char *out = NULL;
	switch (obj->type) {
	case XPATH_NODESET:
		if (obj->nodesetval && obj->nodesetval->nodeNr > 0 &&
		    obj->nodesetval->nodeTab[0]->type != XML_NAMESPACE_DECL)
			out = markup_text(a, obj->nodesetval->nodeTab[0]);
		break;
	case XPATH_STRING:
		out = collapse_string(a, (const char *)obj->stringval);
		break;
	case XPATH_NUMBER:
	case XPATH_BOOLEAN: {
		xmlChar *s = xmlXPathCastToString(obj);
		out = collapse_string(a, (const char *)s);
		xmlFree(s);
		break;
	}
	default:
		break;
	}
	xmlXPathFreeObject(obj);
	return out;
}

/* Compiling is not enough: libxml2 compiles some broken expressions
 * ("count(") and unknown functions, and only evaluation reports them. */
bool markup_xpath_valid(const char *expr)
{
	if (!expr || !*expr)
		return false;
	pthread_once(&init_once, init_libxml);
	xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr root = doc ? xmlNewDocNode(doc, NULL, (const xmlChar *)"html", NULL) : NULL;
	if (!root) {
		xmlFreeDoc(doc);
		return false;
	}
	xmlDocSetRootElement(doc, root);
	xmlXPathContextPtr ctx = markup_xpath_context(doc);
	xmlXPathCompExprPtr comp = ctx ? xmlXPathCtxtCompile(ctx, (const xmlChar *)expr) : NULL;
	xmlXPathObjectPtr obj = NULL;
	if (comp) {
		ctx->node = root;
		obj = xmlXPathCompiledEval(comp, ctx);
	}
	bool ok = obj != NULL;
	xmlXPathFreeObject(obj);
	xmlXPathFreeCompExpr(comp);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return ok;
}
