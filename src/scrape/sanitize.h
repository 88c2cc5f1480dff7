/* sanitize — turning an untrusted HTML fragment (a posting's description
 * from a page or an API) into HTML that is safe to place in our pages
 * unescaped ({{{description_html}}}), and into its plain text.
 *
 * The fragment is parsed with libxml2's HTML parser (recovering, never
 * touching the network, the charset fixed to UTF-8) and the tree is written
 * out again by our own serialiser, which knows only an allowlist:
 *
 *   kept, without attributes: p br ul ol li strong b em i u s sub sup
 *     h3 h4 h5 h6 blockquote pre code hr table thead tbody tr th td dl dt dd div
 *   renamed: h1 h2 → h3 (a posting must not outrank the page's own headings);
 *     section article header footer main aside nav figure figcaption address
 *     center details summary hgroup → div (block structure survives);
 *     strike del → s; ins → u; tt kbd samp → code; cite dfn var → i; tfoot → tbody
 *   a: kept with href when the URL is absolute http, https or mailto (see
 *     below), always with rel="nofollow noopener noreferrer" and no target;
 *     an a without such an href is unwrapped
 *   th, td: colspan and rowspan when they are whole numbers 1–1000
 *   span and every other element we do not know: unwrapped (the element
 *     goes, its children stay) — a span without attributes means nothing
 *   dropped with everything inside: script style iframe frame frameset
 *     object applet svg math template noscript noframes noembed form
 *     button select option optgroup textarea datalist head title audio
 *     video canvas map picture colgroup
 *   void elements, which have no content, are removed and anything the
 *     parser hung under them kept as text: img input embed source track
 *     area col param base link meta
 *   comments, processing instructions, CDATA and doctype nodes: dropped.
 *
 * Every text node and attribute value is escaped on output (& < > " '), and
 * no element whose content a browser reads as raw text is ever written, so
 * a browser's HTML5 parser cannot read the output differently from ours.
 *
 * URLs: leading and trailing spaces and control characters are trimmed and
 * tabs and newlines inside removed (as browsers do, which is what defeats
 * "jav&#x09;ascript:"); the scheme must then be http or https followed by
 * "://" and a host, or mailto: followed by something, compared without
 * regard to case. Relative and protocol-relative ("//host") URLs are
 * refused: the fragment's base is unknown and a relative link would point
 * into our own site. Remaining spaces are written as %20; a URL that still
 * holds a control character is refused.
 *
 * Limits: the input is cut at SANITIZE_INPUT_MAX bytes (at a character
 * boundary; the parser recovers from a cut tag); elements nest at most
 * SANITIZE_DEPTH_MAX deep in the output (deeper ones are unwrapped); the
 * HTML stops at SANITIZE_HTML_MAX bytes (plus the end tags of the elements
 * still open, which are always written) and the text at SANITIZE_TEXT_MAX,
 * after a whole word. Invalid UTF-8 and NUL bytes become U+FFFD, a form
 * feed a space, and other control characters except tab, newline and
 * carriage return are removed before parsing, so both outputs are valid
 * UTF-8.
 *
 * libxml2 must have been initialised (xmlInitParser) before threads use
 * these functions: whatever starts the scraper's threads calls it once
 * first (the same holds for scrape/extract/microdata.h).
 */
#ifndef JT_SCRAPE_SANITIZE_H
#define JT_SCRAPE_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

#define SANITIZE_INPUT_MAX (512u * 1024u)
#define SANITIZE_HTML_MAX  (512u * 1024u)
#define SANITIZE_TEXT_MAX  (128u * 1024u)
#define SANITIZE_DEPTH_MAX 64

struct sanitized {
	const char *html; /* NUL-terminated, in the arena; "" for an empty result */
	size_t html_len;
	const char *text; /* plain text: blocks as paragraphs, li as "- ", whitespace collapsed */
	size_t text_len;
	bool truncated; /* input, HTML or text was cut at a limit */
	bool unescaped; /* the input was entity-escaped HTML and was decoded first */
};

/* Sanitises html[0..len) (need not be NUL-terminated) into *out, whose
 * strings live in the arena. When the input has no real tags but escaped
 * ones (sanitize_looks_escaped) it is decoded first, once or twice, as many
 * times as it was escaped (at most SANITIZE_UNESCAPE_ROUNDS).
 * Returns 0, -ENOMEM, or -EIO when libxml2 could not build a tree at all. */
int sanitize_html(struct arena *a, const char *html, size_t len, struct sanitized *out);

#define SANITIZE_UNESCAPE_ROUNDS 3

/* The detection rule for entity-escaped HTML: 1 when s[0..len) holds no
 * real tag ("<" then a letter, "/" or "!") but does hold an escaped one
 * ("&lt;", "&#60;" or "&#x3c;", possibly itself escaped as "&amp;lt;" any
 * number of times, then a letter or "/"), else 0. */
int sanitize_looks_escaped(const char *s, size_t len);

/* Decodes the character references in s[0..len) once: named ones of HTML 4
 * and &apos; (with their semicolon), numeric ones (decimal or hex, the
 * semicolon optional). A reference to 0, a surrogate or past U+10FFFF
 * becomes U+FFFD; an unknown or malformed one is kept as it is. The result
 * is NUL-terminated in the arena, never longer than the input; *out_len
 * (may be NULL) gets its length. NULL when out of memory. */
char *sanitize_unescape_entities(struct arena *a, const char *s, size_t len, size_t *out_len);

#define SANITIZE_URL_MAX 2048

/* Cleans url[0..len) by the rules above into out (NUL-terminated, at most
 * cap bytes with the NUL; 3 × len + 1 always suffices): 0 when the URL may
 * be linked to, -EINVAL when it is refused (scheme, relative, control
 * characters, longer than SANITIZE_URL_MAX), -E2BIG when out is too small.
 * A cleaned URL cleans to itself. Also for apply and posting URLs. */
int sanitize_url(const char *url, size_t len, char *out, size_t cap);

#endif
