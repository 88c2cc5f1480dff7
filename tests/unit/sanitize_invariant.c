/* sanitize_invariant — see the header: the output of sanitize_html checked
 * by a tokenizer and by a second parse, against lists kept here on purpose
 * (not the sanitiser's table), so that a mistake in one shows in the other. */
#include "sanitize_invariant.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "base/text.h"
#include "scrape/sanitize.h"

static const char *const allowed_elements[] = {
	"p",     "br",    "ul", "ol", "li", "strong", "b",          "em",  "i",    "u",   "s",
	"sub",   "sup",   "h3", "h4", "h5", "h6",     "blockquote", "pre", "code", "hr",  "table",
	"thead", "tbody", "tr", "th", "td", "dl",     "dt",         "dd",  "a",    "div",
};
static const char rel_value[] = "nofollow noopener noreferrer";

static bool element_allowed(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(allowed_elements) / sizeof(allowed_elements[0]); i++)
		if (strlen(allowed_elements[i]) == n && memcmp(allowed_elements[i], name, n) == 0)
			return true;
	return false;
}

static bool is_cell(const char *name)
{
	return strcmp(name, "td") == 0 || strcmp(name, "th") == 0;
}

static bool span_ok(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > 4 || v[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return strtol(v, NULL, 10) <= 1000;
}

static bool href_ok(const char *v)
{
	char clean[3 * SANITIZE_URL_MAX + 1];
	return sanitize_url(v, strlen(v), clean, sizeof(clean)) == 0 && strcmp(clean, v) == 0;
}

static int fail(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* Length of the escape at s ("&amp;" …), 0 when s does not start one. */
static size_t escape_len(const char *s, size_t n)
{
	static const char *const escapes[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	for (size_t i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		size_t el = strlen(escapes[i]);
		if (n >= el && memcmp(s, escapes[i], el) == 0)
			return el;
	}
	return 0;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* The tokenizer's view: one tag at html[*pos] ('<'), advanced past it. */
static int lex_tag(const char *html, size_t len, size_t *pos, char *why, size_t cap)
{
	size_t i = *pos + 1;
	bool end = i < len && html[i] == '/';
	if (end)
		i++;
	size_t name = i;
	while (i < len && is_name_char(html[i]))
		i++;
	size_t name_len = i - name;
	if (!name_len || !element_allowed(html + name, name_len))
		return fail(why, cap, "offset %zu: tag <%.*s> not allowed", *pos, (int)(name_len + 1), html + name);
	char el[16];
	snprintf(el, sizeof(el), "%.*s", (int)name_len, html + name);
	while (!end && i < len && html[i] == ' ') {
		size_t an = ++i;
		while (i < len && is_name_char(html[i]))
			i++;
		char attr[16];
		snprintf(attr, sizeof(attr), "%.*s", (int)(i - an), html + an);
		bool ok = (strcmp(el, "a") == 0 && (strcmp(attr, "href") == 0 || strcmp(attr, "rel") == 0)) ||
			  (is_cell(el) && (strcmp(attr, "colspan") == 0 || strcmp(attr, "rowspan") == 0));
		if (!ok)
			return fail(why, cap, "offset %zu: attribute %s on <%s>", an, attr, el);
		if (len - i < 2 || html[i] != '=' || html[i + 1] != '"')
			return fail(why, cap, "offset %zu: attribute %s not written =\"…\"", i, attr);
		i += 2;
		while (i < len && html[i] != '"') {
			if (html[i] == '<' || html[i] == '>' || html[i] == '\'')
				return fail(why, cap, "offset %zu: raw %c in an attribute", i, html[i]);
			if (html[i] == '&') {
				size_t e = escape_len(html + i, len - i);
				if (!e)
					return fail(why, cap, "offset %zu: bare & in an attribute", i);
				i += e;
			} else {
				i++;
			}
		}
		if (i >= len)
			return fail(why, cap, "unterminated attribute %s", attr);
		i++;
	}
	if (i >= len || html[i] != '>')
		return fail(why, cap, "offset %zu: tag <%s> not closed by >", i, el);
	*pos = i + 1;
	return 0;
}

static int lex_check(const char *html, size_t len, char *why, size_t cap)
{
	for (size_t i = 0; i < len;) {
		char c = html[i];
		if (c == '<') {
			if (lex_tag(html, len, &i, why, cap))
				return -1;
		} else if (c == '&') {
			size_t e = escape_len(html + i, len - i);
			if (!e)
				return fail(why, cap, "offset %zu: bare & in text", i);
			i += e;
		} else if (c == '>' || c == '"' || c == '\'') {
			return fail(why, cap, "offset %zu: raw %c in text", i, c);
		} else {
			i++;
		}
	}
	return 0;
}

static int tree_check(const xmlNode *n, int depth, char *why, size_t cap)
{
	if (depth > 300)
		return fail(why, cap, "tree deeper than libxml2 builds");
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_DTD_NODE)
			continue;
		if (n->type != XML_ELEMENT_NODE)
			return fail(why, cap, "node of type %d", (int)n->type);
		const char *name = (const char *)n->name;
		bool wrapper = depth <= 1 && (strcmp(name, "html") == 0 || strcmp(name, "body") == 0);
		if (!wrapper && !element_allowed(name, strlen(name)))
			return fail(why, cap, "element <%s> in the reparsed tree", name);
		for (const xmlAttr *a = n->properties; a; a = a->next) {
			const char *an = (const char *)a->name;
			const char *v = a->children && a->children->content ? (const char *)a->children->content : "";
			bool ok =
			    (strcmp(name, "a") == 0 && strcmp(an, "href") == 0 && href_ok(v)) ||
			    (strcmp(name, "a") == 0 && strcmp(an, "rel") == 0 && strcmp(v, rel_value) == 0) ||
			    (is_cell(name) && (strcmp(an, "colspan") == 0 || strcmp(an, "rowspan") == 0) && span_ok(v));
			if (!ok)
				return fail(why, cap, "attribute %s=\"%.80s\" on <%s> in the reparsed tree", an, v,
					    name);
		}
		if (tree_check(n->children, depth + 1, why, cap))
			return -1;
	}
	return 0;
}

int sanitize_invariant(const char *html, size_t len, char *why, size_t why_cap)
{
	if (!text_utf8_valid(html, len))
		return fail(why, why_cap, "output is not valid UTF-8");
	if (lex_check(html, len, why, why_cap))
		return -1;
	size_t n = len + 6;
	char *doc_text = malloc(n + 1);
	if (!doc_text)
		return fail(why, why_cap, "out of memory");
	memcpy(doc_text, "<body>", 6);
	memcpy(doc_text + 6, html, len);
	doc_text[n] = '\0';
	htmlDocPtr doc = htmlReadMemory(doc_text, (int)n, NULL, "UTF-8",
					HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					    HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
	free(doc_text);
	if (!doc)
		return fail(why, why_cap, "libxml2 could not parse the output");
	int rc = tree_check(doc->children, 0, why, why_cap);
	xmlFreeDoc(doc);
	return rc;
}
