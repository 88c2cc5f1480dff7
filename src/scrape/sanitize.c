/* sanitize — the allowlist walk over libxml2's HTML tree, with our own
 * serialiser for the HTML and the plain text (the rules are in
 * sanitize.h). libxml2 only parses: nothing it writes reaches the output,
 * so every byte of escaping is ours. */
#include "scrape/sanitize.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "base/arena.h"
#include "base/buf.h"

/* Our own "<body>" in front keeps libxml2 from wrapping leading text in an
 * implied <p>; the walk unwraps html and body like any unknown element. */
static const char body_prefix[] = "<body>";

/* Room kept past SANITIZE_HTML_MAX for the end tags of open elements. */
#define HTML_CLOSE_RESERVE ((size_t)SANITIZE_DEPTH_MAX * 16)
/* Text is escaped into the output this many bytes at a time, so that a
 * huge text node stops near the limit instead of past it. */
#define HTML_TEXT_CHUNK    1024
/* The most an escaped byte grows to ("&quot;"). */
#define ESCAPE_GROWTH      6

/* What an element contributes to the plain text. */
enum text_role {
	TEXT_INLINE, /* nothing of its own */
	TEXT_BLOCK,  /* a blank line before and after (p, headings, table, …) */
	TEXT_LINE,   /* a line break before and after (div, tr, dt, dd, …) */
	TEXT_LIST,   /* ul, ol: a block, or a line inside another list */
	TEXT_ITEM,   /* li: a line starting with "- " */
	TEXT_CELL,   /* th, td: a space between cells */
	TEXT_BREAK,  /* br: one line break more */
	TEXT_PRE,    /* pre: a block whose whitespace is kept */
};

struct element_rule {
	const char *name; /* as libxml2 writes it, lower case; the table is sorted by it */
	const char *out;  /* the element written, or NULL to unwrap (children kept) */
	bool drop;        /* drop the element with everything inside */
	enum text_role role;
};

/* clang-format off */
#define KEEP(n, r) { n, n, false, r }
#define RENAME(n, o, r) { n, o, false, r }
#define UNWRAP(n, r) { n, NULL, false, r }
#define DROP(n) { n, NULL, true, TEXT_INLINE }
/* Void elements have no content, so what libxml2 hangs under one (it
 * takes "<embed>z" as embed containing z) is the page's text: unwrap. */
#define VOID(n) { n, NULL, false, TEXT_INLINE }
/* clang-format on */

static const struct element_rule rules[] = {
	KEEP("a", TEXT_INLINE),
	RENAME("address", "div", TEXT_LINE),
	DROP("applet"),
	VOID("area"),
	RENAME("article", "div", TEXT_LINE),
	RENAME("aside", "div", TEXT_LINE),
	DROP("audio"),
	KEEP("b", TEXT_INLINE),
	VOID("base"),
	KEEP("blockquote", TEXT_BLOCK),
	KEEP("br", TEXT_BREAK),
	DROP("button"),
	DROP("canvas"),
	UNWRAP("caption", TEXT_LINE),
	RENAME("center", "div", TEXT_LINE),
	RENAME("cite", "i", TEXT_INLINE),
	KEEP("code", TEXT_INLINE),
	VOID("col"),
	DROP("colgroup"),
	DROP("datalist"),
	KEEP("dd", TEXT_LINE),
	RENAME("del", "s", TEXT_INLINE),
	RENAME("details", "div", TEXT_LINE),
	RENAME("dfn", "i", TEXT_INLINE),
	KEEP("div", TEXT_LINE),
	KEEP("dl", TEXT_BLOCK),
	KEEP("dt", TEXT_LINE),
	KEEP("em", TEXT_INLINE),
	VOID("embed"),
	RENAME("figcaption", "div", TEXT_LINE),
	RENAME("figure", "div", TEXT_LINE),
	RENAME("footer", "div", TEXT_LINE),
	DROP("form"),
	DROP("frame"),
	DROP("frameset"),
	RENAME("h1", "h3", TEXT_BLOCK),
	RENAME("h2", "h3", TEXT_BLOCK),
	KEEP("h3", TEXT_BLOCK),
	KEEP("h4", TEXT_BLOCK),
	KEEP("h5", TEXT_BLOCK),
	KEEP("h6", TEXT_BLOCK),
	DROP("head"),
	RENAME("header", "div", TEXT_LINE),
	RENAME("hgroup", "div", TEXT_LINE),
	KEEP("hr", TEXT_BLOCK),
	KEEP("i", TEXT_INLINE),
	DROP("iframe"),
	VOID("img"),
	VOID("input"),
	RENAME("ins", "u", TEXT_INLINE),
	RENAME("kbd", "code", TEXT_INLINE),
	KEEP("li", TEXT_ITEM),
	VOID("link"),
	RENAME("main", "div", TEXT_LINE),
	DROP("map"),
	DROP("math"),
	VOID("meta"),
	RENAME("nav", "div", TEXT_LINE),
	DROP("noembed"),
	DROP("noframes"),
	DROP("noscript"),
	DROP("object"),
	KEEP("ol", TEXT_LIST),
	DROP("optgroup"),
	DROP("option"),
	KEEP("p", TEXT_BLOCK),
	VOID("param"),
	DROP("picture"),
	KEEP("pre", TEXT_PRE),
	KEEP("s", TEXT_INLINE),
	RENAME("samp", "code", TEXT_INLINE),
	DROP("script"),
	RENAME("section", "div", TEXT_LINE),
	DROP("select"),
	VOID("source"),
	UNWRAP("span", TEXT_INLINE),
	RENAME("strike", "s", TEXT_INLINE),
	KEEP("strong", TEXT_INLINE),
	DROP("style"),
	KEEP("sub", TEXT_INLINE),
	RENAME("summary", "div", TEXT_LINE),
	KEEP("sup", TEXT_INLINE),
	DROP("svg"),
	KEEP("table", TEXT_BLOCK),
	KEEP("tbody", TEXT_INLINE),
	KEEP("td", TEXT_CELL),
	DROP("template"),
	DROP("textarea"),
	RENAME("tfoot", "tbody", TEXT_INLINE),
	KEEP("th", TEXT_CELL),
	KEEP("thead", TEXT_INLINE),
	DROP("title"),
	KEEP("tr", TEXT_LINE),
	VOID("track"),
	RENAME("tt", "code", TEXT_INLINE),
	KEEP("u", TEXT_INLINE),
	KEEP("ul", TEXT_LIST),
	RENAME("var", "i", TEXT_INLINE),
	DROP("video"),
};

static const struct element_rule unknown_rule = UNWRAP("", TEXT_INLINE);

static int rule_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct element_rule *)elem)->name);
}

static const struct element_rule *rule_for(const xmlNode *n)
{
	const struct element_rule *r =
	    bsearch(n->name, rules, sizeof(rules) / sizeof(rules[0]), sizeof(rules[0]), rule_cmp);
	return r ? r : &unknown_rule;
}

/* ---- plain text ------------------------------------------------------------ */

struct text_out {
	struct buf b;
	int pending; /* line breaks owed before the next word: 0, 1 or 2 */
	bool space;  /* a space owed before the next word */
	bool bullet; /* "- " owed before the next word */
	int bullet_indent;
};

static void text_want_breaks(struct text_out *t, int n)
{
	if (t->bullet && n > 1)
		n = 1; /* a block opening a list item stays on the bullet's line */
	if (t->pending < n)
		t->pending = n;
	t->space = false;
}

/* Writes what is owed before visible text: breaks or a space, then a bullet. */
static void text_flush(struct text_out *t)
{
	if (t->b.len) {
		if (t->pending)
			buf_append(&t->b, "\n\n", (size_t)t->pending);
		else if (t->space)
			buf_putc(&t->b, ' ');
	}
	if (t->bullet) {
		for (int i = 0; i < t->bullet_indent; i++)
			buf_append(&t->b, "  ", 2);
		buf_append(&t->b, "- ", 2);
	}
	t->pending = 0;
	t->space = false;
	t->bullet = false;
}

/* Length of the whitespace at s (ASCII, or U+00A0 as C2 A0), 0 if none. */
static size_t space_at(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
		return 1;
	if (c == 0xC2 && n > 1 && (unsigned char)s[1] == 0xA0)
		return 2;
	return 0;
}

/* Collapses whitespace; each word goes in whole or not at all, so a text cut
 * at the limit ends at a word boundary. */
static void text_words(struct text_out *t, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && !buf_failed(&t->b)) {
		size_t sp = space_at(s + i, n - i);
		if (sp) {
			t->space = true;
			i += sp;
			continue;
		}
		size_t start = i;
		while (i < n && !space_at(s + i, n - i))
			i++;
		size_t before = t->b.len;
		text_flush(t);
		if (buf_append(&t->b, s + start, i - start) && t->b.data) {
			t->b.len = before; /* no separator without its word */
			t->b.data[before] = '\0';
		}
	}
}

/* Inside pre every line is kept as written (carriage returns dropped). */
static void text_lines(struct text_out *t, const char *s, size_t n)
{
	text_flush(t);
	while (n && !buf_failed(&t->b)) {
		const char *nl = memchr(s, '\n', n);
		size_t line = nl ? (size_t)(nl - s) + 1 : n;
		size_t keep = line;
		if (keep >= 2 && s[keep - 2] == '\r' && s[keep - 1] == '\n') {
			buf_append(&t->b, s, keep - 2);
			buf_putc(&t->b, '\n');
		} else {
			buf_append(&t->b, s, keep);
		}
		s += line;
		n -= line;
	}
}

/* ---- the walk -------------------------------------------------------------- */

struct open_element {
	const xmlNode *node;
	const char *name;
};

struct walk {
	struct buf html;
	struct text_out text;
	struct open_element open[SANITIZE_DEPTH_MAX];
	int n_open;
	int list_depth, pre_depth;
	bool html_full; /* SANITIZE_HTML_MAX reached: only end tags from now on */
};

static const char *attr_value(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (strcasecmp((const char *)a->name, name) == 0) {
			/* The HTML parser stores a value as one text node (none when empty). */
			if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
				return (const char *)a->children->content;
			return "";
		}
	return NULL;
}

/* colspan / rowspan: a whole number 1–1000, possibly with spaces around. */
static long span_value(const char *v)
{
	if (!v)
		return 0;
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	long n = 0;
	int digits = 0;
	for (; *v >= '0' && *v <= '9'; v++) {
		if (++digits > 4)
			return 0;
		n = n * 10 + (*v - '0');
	}
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	return (*v == '\0' && n >= 1 && n <= 1000) ? n : 0;
}

/* The start tag of a kept element with its permitted attributes; false
 * when the element is to be unwrapped instead (an a without a usable href). */
static bool write_start_tag(struct walk *w, const xmlNode *n, const char *out)
{
	char url[3 * SANITIZE_URL_MAX + 1];
	size_t url_len = 0;
	if (strcmp(out, "a") == 0) {
		const char *href = attr_value(n, "href");
		if (!href || sanitize_url(href, strlen(href), url, sizeof(url)) != 0)
			return false;
		url_len = strlen(url);
	}
	if (w->html.len + ESCAPE_GROWTH * url_len + 96 > SANITIZE_HTML_MAX) {
		w->html_full = true;
		return false;
	}
	buf_putc(&w->html, '<');
	buf_puts(&w->html, out);
	if (url_len) {
		buf_puts(&w->html, " href=\"");
		buf_put_html(&w->html, url, url_len);
		buf_puts(&w->html, "\" rel=\"nofollow noopener noreferrer\"");
	} else if (strcmp(out, "td") == 0 || strcmp(out, "th") == 0) {
		long colspan = span_value(attr_value(n, "colspan"));
		long rowspan = span_value(attr_value(n, "rowspan"));
		if (colspan)
			buf_printf(&w->html, " colspan=\"%ld\"", colspan);
		if (rowspan)
			buf_printf(&w->html, " rowspan=\"%ld\"", rowspan);
	}
	buf_putc(&w->html, '>');
	return true;
}

static void html_text(struct walk *w, const char *s, size_t n)
{
	while (n && !w->html_full) {
		size_t chunk = n < HTML_TEXT_CHUNK ? n : HTML_TEXT_CHUNK;
		while (chunk < n && chunk > 1 && ((unsigned char)s[chunk] & 0xC0) == 0x80)
			chunk--; /* end the chunk on a character boundary */
		if (w->html.len + ESCAPE_GROWTH * chunk > SANITIZE_HTML_MAX) {
			w->html_full = true;
			return;
		}
		buf_put_html(&w->html, s, chunk);
		s += chunk;
		n -= chunk;
	}
}

static void text_node(struct walk *w, const xmlNode *n)
{
	const char *s = (const char *)n->content;
	size_t len = s ? strlen(s) : 0;
	if (!len)
		return;
	html_text(w, s, len);
	if (w->pre_depth)
		text_lines(&w->text, s, len);
	else
		text_words(&w->text, s, len);
}

static void role_enter(struct walk *w, enum text_role role)
{
	struct text_out *t = &w->text;
	switch (role) {
	case TEXT_INLINE:
		break;
	case TEXT_BLOCK:
		text_want_breaks(t, 2);
		break;
	case TEXT_LINE:
		text_want_breaks(t, 1);
		break;
	case TEXT_LIST:
		text_want_breaks(t, w->list_depth ? 1 : 2);
		w->list_depth++;
		break;
	case TEXT_ITEM:
		text_want_breaks(t, 1);
		t->bullet = true;
		t->bullet_indent = w->list_depth > 1 ? w->list_depth - 1 : 0;
		break;
	case TEXT_CELL:
		t->space = true;
		break;
	case TEXT_BREAK:
		t->pending = t->pending < 2 ? t->pending + 1 : 2;
		t->space = false;
		break;
	case TEXT_PRE:
		text_want_breaks(t, 2);
		w->pre_depth++;
		break;
	}
}

static void role_leave(struct walk *w, enum text_role role)
{
	struct text_out *t = &w->text;
	switch (role) {
	case TEXT_INLINE:
	case TEXT_BREAK:
		break;
	case TEXT_BLOCK:
		text_want_breaks(t, 2);
		break;
	case TEXT_LINE:
	case TEXT_ITEM:
		t->bullet = false; /* an empty item writes no bullet */
		text_want_breaks(t, 1);
		break;
	case TEXT_LIST:
		w->list_depth--;
		text_want_breaks(t, w->list_depth ? 1 : 2);
		break;
	case TEXT_CELL:
		t->space = true;
		break;
	case TEXT_PRE:
		w->pre_depth--;
		text_want_breaks(t, 2);
		break;
	}
}

/* Visits a node on the way down; true when its children are to be visited. */
static bool node_enter(struct walk *w, const xmlNode *n)
{
	if (n->type == XML_TEXT_NODE) {
		text_node(w, n);
		return false;
	}
	if (n->type != XML_ELEMENT_NODE)
		return false; /* comments, processing instructions, CDATA, doctype */
	const struct element_rule *r = rule_for(n);
	if (r->drop)
		return false;
	role_enter(w, r->role);
	if (r->out && !w->html_full && w->n_open < SANITIZE_DEPTH_MAX && write_start_tag(w, n, r->out)) {
		bool is_void = strcmp(r->out, "br") == 0 || strcmp(r->out, "hr") == 0;
		if (!is_void)
			w->open[w->n_open++] = (struct open_element){ n, r->out };
	}
	return true;
}

/* Visits an element on the way up, after its children. */
static void node_leave(struct walk *w, const xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE)
		return;
	const struct element_rule *r = rule_for(n);
	if (r->drop)
		return;
	if (w->n_open && w->open[w->n_open - 1].node == n) {
		const char *name = w->open[--w->n_open].name;
		buf_append(&w->html, "</", 2);
		buf_puts(&w->html, name);
		buf_putc(&w->html, '>');
	}
	role_leave(w, r->role);
}

/* Depth first without recursion: libxml2 builds trees 256 deep, and the
 * walk should not care how deep they are. */
static void walk_tree(struct walk *w, const xmlDoc *doc)
{
	const xmlNode *cur = doc->children;
	while (cur) {
		if (node_enter(w, cur) && cur->children) {
			cur = cur->children;
			continue;
		}
		node_leave(w, cur);
		for (;;) {
			if (cur->next) {
				cur = cur->next;
				break;
			}
			cur = cur->parent;
			if (!cur || cur == (const xmlNode *)doc) {
				cur = NULL;
				break;
			}
			node_leave(w, cur);
		}
	}
	assert(w->n_open == 0);
}

/* ---- input ----------------------------------------------------------------- */

static const char replacement_char[] = "\xEF\xBF\xBD";

/* Length of the well-formed UTF-8 sequence at s (no overlongs, surrogates
 * or code points past U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/* Copies the input as the parser should see it: valid UTF-8, NUL and bad
 * bytes as U+FFFD, no control characters but tab, newline and return
 * (a form feed becomes a space). */
static void clean_input(struct buf *out, const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0;
	while (i < len && !buf_failed(out)) {
		size_t run = i;
		while (run < len && s[run] >= 0x20 && s[run] < 0x7F)
			run++;
		buf_append(out, s + i, run - i);
		i = run;
		if (i >= len)
			break;
		unsigned char c = s[i];
		if (c >= 0x80) {
			size_t seq = utf8_seq(s + i, len - i);
			if (seq) {
				buf_append(out, s + i, seq);
				i += seq;
				continue;
			}
			buf_puts(out, replacement_char);
		} else if (c == 0) {
			buf_puts(out, replacement_char);
		} else if (c == '\t' || c == '\n' || c == '\r') {
			buf_putc(out, (char)c);
		} else if (c == '\f') {
			buf_putc(out, ' ');
		}
		i++;
	}
}

/* The longest prefix of at most max bytes that does not split a character. */
static size_t cut_at_char(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t n = max;
	for (int back = 0; back < 3 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; back++)
		n--;
	return n;
}

static const char *arena_copy(struct arena *a, const struct buf *b)
{
	return arena_strndup(a, b->data ? b->data : "", b->len);
}

int sanitize_html(struct arena *a, const char *html, size_t len, struct sanitized *out)
{
	memset(out, 0, sizeof(*out));
	size_t cut = cut_at_char(html, len, SANITIZE_INPUT_MAX);
	out->truncated = cut < len;
	len = cut;

	const char *src = html;
	for (int round = 0; round < SANITIZE_UNESCAPE_ROUNDS && sanitize_looks_escaped(src, len); round++) {
		src = sanitize_unescape_entities(a, src, len, &len);
		if (!src)
			return -ENOMEM;
		out->unescaped = true;
	}

	struct buf input;
	buf_init(&input, sizeof(body_prefix) + 3 * SANITIZE_INPUT_MAX);
	buf_append(&input, body_prefix, sizeof(body_prefix) - 1);
	clean_input(&input, src, len);
	if (buf_failed(&input)) {
		buf_free(&input);
		return -ENOMEM;
	}

	struct walk w = { .n_open = 0 };
	buf_init(&w.html, SANITIZE_HTML_MAX + HTML_CLOSE_RESERVE);
	buf_init(&w.text.b, SANITIZE_TEXT_MAX);
	int rc = 0;
	if (input.len > sizeof(body_prefix) - 1) {
		htmlDocPtr doc = htmlReadMemory(input.data, (int)input.len, NULL, "UTF-8",
						HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
						    HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC);
		if (doc) {
			walk_tree(&w, doc);
			xmlFreeDoc(doc);
		} else {
			rc = -EIO;
		}
	}
	buf_free(&input);

	if (!rc && (buf_failed(&w.html) == -ENOMEM || buf_failed(&w.text.b) == -ENOMEM))
		rc = -ENOMEM;
	assert(buf_failed(&w.html) != -E2BIG); /* the soft limit keeps the reserve for end tags */
	if (!rc) {
		out->truncated |= w.html_full || buf_failed(&w.text.b) == -E2BIG;
		out->html = arena_copy(a, &w.html);
		out->html_len = w.html.len;
		out->text = arena_copy(a, &w.text.b);
		out->text_len = w.text.b.len;
		if (!out->html || !out->text)
			rc = -ENOMEM;
	}
	buf_free(&w.html);
	buf_free(&w.text.b);
	return rc;
}
