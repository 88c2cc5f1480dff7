/* sources/markup — reading XML feeds and HTML pages with libxml2 for the
 * adapters that take markup (Personio, RSS/Atom, LinkedIn, Hacker News
 * comment HTML, the XPath adapter), in the one safe way:
 *
 *  - never the network (XML_PARSE_NONET / HTML_PARSE_NONET), never an
 *    external DTD, and never entity substitution (XML_PARSE_NOENT is not
 *    set): a feed that declares entities of its own is refused before it is
 *    parsed, and text is collected from text and CDATA nodes only, so an
 *    entity reference never expands into anything;
 *  - text comes out trimmed and bounded (MARKUP_TEXT_MAX), copied into the
 *    caller's arena; documents are the caller's to free (xmlFreeDoc).
 */
#ifndef JT_SCRAPE_SOURCES_MARKUP_H
#define JT_SCRAPE_SOURCES_MARKUP_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Longest text one call returns; longer text is cut at a UTF-8 boundary. */
#define MARKUP_TEXT_MAX (1u << 20)

/* An XML payload (recovering from small errors, as feeds in the wild need).
 * NULL with err filled when it cannot be read or declares entities. */
xmlDocPtr markup_read_xml(const char *body, size_t len, char *err, size_t errlen);

/* An HTML page or fragment. charset_hint is the response's Content-Type
 * (its charset= is used) or NULL, which means UTF-8; url is the document's
 * address (for base-relative links) or NULL. NULL with err filled on failure. */
xmlDocPtr markup_read_html(const char *body, size_t len, const char *content_type, const char *url, char *err,
			   size_t errlen);

/* true when node is an element whose local name is name (ASCII case-insensitive,
 * any namespace: feeds mix prefixes freely). */
bool markup_is(const xmlNode *node, const char *name);
/* The first child element named name, or NULL. */
xmlNodePtr markup_child(const xmlNode *parent, const char *name);
/* The next sibling element after node named name, or NULL. */
xmlNodePtr markup_next(const xmlNode *node, const char *name);

/* The text of node and its descendants with runs of white space collapsed to
 * one space, trimmed: for titles, names, places. NULL when empty. */
const char *markup_text(struct arena *a, const xmlNode *node);
/* The same text kept as written (only trimmed): for HTML carried inside XML
 * (CDATA or escaped), which the caller uses as markup. NULL when empty. */
const char *markup_raw_text(struct arena *a, const xmlNode *node);
/* markup_text / markup_raw_text of the first child element named name. */
const char *markup_child_text(struct arena *a, const xmlNode *parent, const char *name);
const char *markup_child_raw(struct arena *a, const xmlNode *parent, const char *name);
/* An attribute's value, trimmed; NULL when absent or empty. */
const char *markup_attr(struct arena *a, const xmlNode *node, const char *name);

/* The HTML of node's children ("inner HTML"), NULL when empty. */
const char *markup_inner_html(struct arena *a, xmlDocPtr doc, const xmlNode *node);

/* Plain text as HTML text (& < > " ' escaped), for headings adapters build. */
const char *markup_escape(struct arena *a, const char *text);

/* An XPath context over doc with a bound on evaluation steps; NULL on ENOMEM.
 * Free with xmlXPathFreeContext. */
xmlXPathContextPtr markup_xpath_context(xmlDocPtr doc);
/* Evaluates expr with node as the context node (NULL: the document);
 * NULL when the expression is invalid or evaluation fails. */
xmlXPathObjectPtr markup_xpath_eval(xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr);
/* The first node expr selects, or NULL. */
xmlNodePtr markup_xpath_node(xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr);
/* The string value of what expr selects: the first node's text (an
 * attribute's value), or a string/number/boolean result; collapsed and
 * trimmed. NULL when nothing or empty. */
const char *markup_xpath_text(struct arena *a, xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr);
/* true when expr compiles (for checking configuration up front). */
bool markup_xpath_valid(const char *expr);

/* true when node's class attribute holds the class name cls as a whole word. */
bool markup_has_class(const xmlNode *node, const char *cls);

#endif
