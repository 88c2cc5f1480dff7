/* jsonld_repair — reading the JSON that pages actually put in their ld+json
 * blocks. jansson goes first, on the body as it is; only when it refuses, or
 * when another value follows the one it read ("{…}{…}", which it would
 * accept as the first alone), is the body rewritten once by a single pass
 * that fixes what hand-written and templated JSON-LD gets wrong (see
 * jsonld_parse_body in jsonld.h), and parsed again. Every step is linear,
 * so no input can make this slow. */
#include "scrape/extract/jsonld.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/json_read.h"
#include "scrape/sanitize.h"

static inline int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static inline int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static int has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t pn = strlen(prefix);
	return n >= pn && memcmp(s, prefix, pn) == 0;
}

static int has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t sn = strlen(suffix);
	return n >= sn && memcmp(s + n - sn, suffix, sn) == 0;
}

/* Trims whitespace and a BOM, then the wrappers pages put around the JSON:
 * HTML comment markers and CDATA sections, however they are commented. */
static void strip_wrappers(const char **s, size_t *n)
{
	static const char *const openers[] = { "<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA[" };
	static const char *const closers[] = { "-->", "//]]>", "/*]]>*/", "]]>", "//-->" };
	for (int round = 0; round < 8; round++) {
		int changed = 0;
		while (*n && is_ws((unsigned char)**s)) {
			(*s)++;
			(*n)--;
		}
		if (has_prefix(*s, *n, "\xEF\xBB\xBF")) {
			*s += 3;
			*n -= 3;
			changed = 1;
		}
		while (*n && is_ws((unsigned char)(*s)[*n - 1]))
			(*n)--;
		for (size_t i = 0; i < sizeof(openers) / sizeof(openers[0]); i++)
			if (has_prefix(*s, *n, openers[i])) {
				*s += strlen(openers[i]);
				*n -= strlen(openers[i]);
				changed = 1;
			}
		for (size_t i = 0; i < sizeof(closers) / sizeof(closers[0]); i++)
			if (has_suffix(*s, *n, closers[i])) {
				*n -= strlen(closers[i]);
				changed = 1;
			}
		if (!changed)
			return;
	}
}

/* The body being repaired. Lookaheads from many quotes and commas could
 * each search to the same far-away comment end (or to the end of the body)
 * — quadratic on a string of quotes each followed by an unclosed block
 * comment — so the last search for each is remembered:
 * nothing lies between its start and what it found. */
struct body {
	const char *s;
	size_t n;
	struct found {
		size_t from, at; /* at == n: none */
	} block_end, line_end;
};

static size_t find_from(struct body *b, struct found *f, size_t from, const char *needle, size_t len)
{
	if (f->from <= from && from <= f->at)
		return f->at;
	const char *p = from < b->n ? memmem(b->s + from, b->n - from, needle, len) : NULL;
	f->from = from;
	f->at = p ? (size_t)(p - b->s) : b->n;
	return f->at;
}

/* Past a JS comment (line or block) starting at s[i], or i when there is none. */
static size_t skip_js_comment(struct body *b, size_t i)
{
	if (i + 1 >= b->n || b->s[i] != '/')
		return i;
	if (b->s[i + 1] == '/')
		return find_from(b, &b->line_end, i + 2, "\n", 1);
	if (b->s[i + 1] == '*') {
		size_t close = find_from(b, &b->block_end, i + 2, "*/", 2);
		return close < b->n ? close + 2 : b->n;
	}
	return i;
}

static size_t skip_ws_and_comments(struct body *b, size_t i)
{
	for (;;) {
		while (i < b->n && is_ws((unsigned char)b->s[i]))
			i++;
		size_t after = skip_js_comment(b, i);
		if (after == i)
			return i;
		i = after;
	}
}

/* Can the quote before s[i] end a string? Yes when what follows is what may
 * follow a string in JSON: ":", "}", "]", the end, or "," and then the
 * start of another member or element. Otherwise it is a quote the author
 * forgot to escape ("He said "hi" to …"). */
static int quote_can_close(struct body *b, size_t i)
{
	const char *s = b->s;
	size_t n = b->n;
	i = skip_ws_and_comments(b, i);
	if (i >= n || s[i] == ':' || s[i] == '}' || s[i] == ']')
		return 1;
	if (s[i] != ',')
		return 0;
	i = skip_ws_and_comments(b, i + 1);
	if (i >= n)
		return 1;
	unsigned char c = (unsigned char)s[i];
	return c == '"' || c == '\'' || c == '{' || c == '[' || c == '}' || c == ']' || c == '-' ||
	       (c >= '0' && c <= '9') || has_prefix(s + i, n - i, "true") || has_prefix(s + i, n - i, "false") ||
	       has_prefix(s + i, n - i, "null");
}

/* Appends one character of string content, escaped as JSON needs. */
static size_t put_string_char(char *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	const char *esc = c == '"'    ? "\\\""
			  : c == '\\' ? "\\\\"
			  : c == '\n' ? "\\n"
			  : c == '\r' ? "\\r"
			  : c == '\t' ? "\\t"
				      : NULL;
	if (esc) {
		memcpy(o, esc, 2);
		return 2;
	}
	if (c < 0x20) {
		memcpy(o, "\\u00", 4);
		o[4] = hex[c >> 4];
		o[5] = hex[c & 15];
		return 6;
	}
	o[0] = (char)c;
	return 1;
}

static inline int is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

/* A word outside strings as JSON spells it: Python's True, False and None
 * and JavaScript's undefined become true, false and null; any other word
 * (true, a number's exponent, garbage) is copied as it is. */
static const char *json_word(const char *w, size_t n)
{
	static const struct {
		const char *from, *to;
	} words[] = { { "True", "true" }, { "False", "false" }, { "None", "null" }, { "undefined", "null" } };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (n == strlen(words[i].from) && memcmp(w, words[i].from, n) == 0)
			return words[i].to;
	return NULL;
}

/* Where the value that starts s (past whitespace) ends, read as valid JSON
 * (strings in double quotes, brackets balanced), and whether another object
 * or array follows it, past whitespace and a "," or ";" between values. */
static int another_value_follows(const char *s, size_t n)
{
	size_t i = 0, depth = 0;
	while (i < n && is_ws((unsigned char)s[i]))
		i++;
	if (i == n || (s[i] != '{' && s[i] != '['))
		return 0;
	for (int in_string = 0; i < n; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) {
			break;
		}
	}
	for (i++; i < n && (is_ws((unsigned char)s[i]) || s[i] == ',' || s[i] == ';'); i++)
		;
	return i < n && (s[i] == '{' || s[i] == '[');
}

/* Whether the comma at s[i] is followed (past whitespace and comments) by a closing bracket. */
static int comma_is_trailing(struct body *b, size_t i)
{
	i = skip_ws_and_comments(b, i + 1);
	return i >= b->n || b->s[i] == '}' || b->s[i] == ']';
}

char *jsonld_repair(const char *s, size_t n, size_t *out_len)
{
	/* A byte becomes at most 6 (a control character as \u00XX); a word at
	 * most 4 ("None" → "null"); the closers added at the end take one each,
	 * plus a closing quote; the values of a concatenation a comma each, and
	 * the brackets of the array they are put in. */
	char *out = malloc(6 * n + JSONLD_REPAIR_DEPTH_MAX + JSONLD_VALUES_MAX + 4);
	if (!out)
		return NULL;
	struct body b = { s, n, { SIZE_MAX, 0 }, { SIZE_MAX, 0 } };
	char stack[JSONLD_REPAIR_DEPTH_MAX];
	size_t depth = 0, o = 0, i = 0, values = 1;
	/* in_string: the quote that opened it ('"', or '\'' for a string in
	 * single quotes, which is written out in double quotes), else 0. */
	int in_string = 0, started = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (in_string) {
			if (c == '\\' && i + 1 < n) {
				unsigned char d = (unsigned char)s[i + 1];
				if (d && strchr("\"\\/bfnrt", d)) {
					out[o++] = '\\';
					out[o++] = (char)d;
				} else if (d == 'u' && i + 5 < n && is_hex((unsigned char)s[i + 2]) &&
					   is_hex((unsigned char)s[i + 3]) && is_hex((unsigned char)s[i + 4]) &&
					   is_hex((unsigned char)s[i + 5])) {
					memcpy(out + o, s + i, 6);
					o += 6;
					i += 4;
				} else if (d != '\n' && d != '\r') {      /* a JS line continuation disappears */
					o += put_string_char(out + o, d); /* "\'" is "'", as in JavaScript */
				}
				i += 2;
			} else if (c == '\\') {
				i++; /* a backslash at the very end */
			} else if (c == in_string) {
				if (quote_can_close(&b, i + 1)) {
					out[o++] = '"';
					in_string = 0;
				} else {
					o += put_string_char(out + o, c);
				}
				i++;
			} else {
				o += put_string_char(out + o, c);
				i++;
			}
			continue;
		}
		size_t after = skip_js_comment(&b, i);
		if (after != i) {
			out[o++] = ' ';
			i = after;
			continue;
		}
		if (c == '"' || c == '\'') {
			in_string = c;
			out[o++] = '"';
		} else if (is_word(c)) {
			size_t w = i;
			while (i < n && is_word((unsigned char)s[i]))
				i++;
			const char *as = json_word(s + w, i - w);
			size_t len = as ? strlen(as) : i - w;
			memcpy(out + o, as ? as : s + w, len);
			o += len;
			continue;
		} else if (c == '{' || c == '[') {
			if (depth == JSONLD_REPAIR_DEPTH_MAX) {
				free(out);
				return NULL;
			}
			stack[depth++] = c == '{' ? '}' : ']';
			started = 1;
			out[o++] = (char)c;
		} else if (c == '}' || c == ']') {
			/* A closer that matches an open bracket closes everything
			 * opened after it; one that matches nothing is dropped. */
			size_t match = depth;
			while (match > 0 && stack[match - 1] != c)
				match--;
			if (match > 0) {
				while (depth >= match)
					out[o++] = stack[--depth];
				if (depth == 0 && started) {
					/* The value is complete. Another object or array after it
					 * ("{…}{…}", "{…},{…}") is one more value of the body: they
					 * become the elements of one array. Anything else ("}" too
					 * many, ";") is not JSON. */
					size_t next = skip_ws_and_comments(&b, i + 1);
					while (next < n && (s[next] == ',' || s[next] == ';'))
						next = skip_ws_and_comments(&b, next + 1);
					if (next >= n || (s[next] != '{' && s[next] != '[') ||
					    values == JSONLD_VALUES_MAX)
						break;
					out[o++] = ',';
					values++;
					i = next;
					continue;
				}
			}
		} else if (c == ',' && comma_is_trailing(&b, i)) {
			/* dropped */
		} else if (c < 0x20 && !is_ws(c)) {
			/* never valid outside a string (and a NUL would end the copy) */
		} else {
			out[o++] = (char)c;
		}
		i++;
	}
	if (in_string)
		out[o++] = '"';
	while (o && (is_ws((unsigned char)out[o - 1]) || out[o - 1] == ','))
		o--;
	while (depth)
		out[o++] = stack[--depth];
	if (values > 1) {
		memmove(out + 1, out, o);
		out[0] = '[';
		o++;
		out[o++] = ']';
	}
	out[o] = '\0';
	if (out_len)
		*out_len = o;
	return out;
}

/* The fast reader first; jansson decides whatever it leaves (every error). */
static json_t *parse(const char *s, size_t n)
{
	return json_read_or_load(s, n, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, NULL);
}

static json_t *repair_and_parse(const char *s, size_t n)
{
	size_t len;
	char *fixed = jsonld_repair(s, n, &len);
	if (!fixed)
		return NULL;
	json_t *v = parse(fixed, len);
	free(fixed);
	return v;
}

/* A body written with &quot; for its quotes (an HTML-escaping template):
 * no real quote, and an escaped one early on. */
static int quotes_are_escaped(const char *s, size_t n)
{
	if (memchr(s, '"', n))
		return 0;
	size_t head = n < 64 ? n : 64;
	return memmem(s, head, "&quot;", 6) != NULL;
}

/* The body as it is when jansson reads all of it; else repaired (which also
 * gathers concatenated values into an array); else, when even that fails,
 * the first value jansson could read. */
static json_t *parse_lenient(const char *s, size_t n, bool *repaired)
{
	json_t *v = parse(s, n);
	if (v && !another_value_follows(s, n))
		return v;
	json_t *fixed = repair_and_parse(s, n);
	if (!fixed)
		return v;
	*repaired = true;
	json_decref(v);
	return fixed;
}

json_t *jsonld_parse_body(const char *body, size_t len, bool *repaired)
{
	bool fixed = false;
	strip_wrappers(&body, &len);
	json_t *v = len ? parse_lenient(body, len, &fixed) : NULL;
	if (len && !v && quotes_are_escaped(body, len)) {
		struct arena a;
		arena_init(&a, 0);
		size_t n;
		const char *decoded = sanitize_unescape_entities(&a, body, len, &n);
		if (decoded)
			v = parse_lenient(decoded, n, &fixed);
		fixed = true;
		arena_free(&a);
	}
	if (repaired)
		*repaired = fixed || (len && !v);
	return v;
}
