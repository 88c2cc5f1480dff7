/* sources/crawl_links — the links of a page by a byte scan; see crawl.h.
 *
 * Building a libxml2 tree of a 30 KB page costs far more than finding its
 * few dozen hrefs, and a crawl reads every page it fetches; so the scan
 * jumps from '<' to '<' with memchr and only looks closely at <a>, <area>
 * and <base>. It does what a browser's tokenizer does where it matters:
 * comments are skipped, the raw text of script, style and similar elements
 * is not read for tags, attribute values may be double-, single- or not
 * quoted, and character references in a value are decoded. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/sources/crawl.h"

#define HREF_MAX 4096

static const char *const raw_text[] = { "script", "style",   "textarea", "title",    "xmp",
					"iframe", "noembed", "noframes", "plaintext" };

struct attrs {
	const char *href, *rel;
	size_t href_len, rel_len;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Reads attributes from p up to the tag's '>' (or end); returns where the tag ends. */
static const char *read_attrs(const char *p, const char *end, struct attrs *at)
{
	while (p < end) {
		while (p < end && (is_space(*p) || *p == '/'))
			p++;
		if (p >= end || *p == '>')
			return p;
		const char *name = p;
		while (p < end && !is_space(*p) && *p != '=' && *p != '>' && *p != '/')
			p++;
		size_t nlen = (size_t)(p - name);
		while (p < end && is_space(*p))
			p++;
		const char *val = NULL;
		size_t vlen = 0;
		if (p < end && *p == '=') {
			p++;
			while (p < end && is_space(*p))
				p++;
			if (p < end && (*p == '"' || *p == '\'')) {
				const char *close = memchr(p + 1, *p, (size_t)(end - p - 1));
				val = p + 1;
				vlen = (size_t)((close ? close : end) - val);
				p = close ? close + 1 : end;
			} else {
				val = p;
				while (p < end && !is_space(*p) && *p != '>')
					p++;
				vlen = (size_t)(p - val);
			}
		}
		/* The first of a repeated attribute counts, as in a browser. */
		if (nlen == 4 && strncasecmp(name, "href", 4) == 0 && !at->href && val) {
			at->href = val;
			at->href_len = vlen;
		} else if (nlen == 3 && strncasecmp(name, "rel", 3) == 0 && !at->rel && val) {
			at->rel = val;
			at->rel_len = vlen;
		}
	}
	return p;
}

static void put_utf8(char *out, size_t *o, uint32_t cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xC0 | (cp >> 6));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xE0 | (cp >> 12));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[(*o)++] = (char)(0xF0 | (cp >> 18));
		out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* Decodes the character references URLs carry (&amp; &quot; &lt; &gt;
 * &apos; &#N; &#xH;) into out (at least len + 1 bytes; a reference never
 * grows). Others stay as written. Returns the length. */
static size_t decode(const char *s, size_t len, char *out)
{
	static const struct {
		const char *name;
		char c;
	} named[] = { { "amp", '&' }, { "quot", '"' }, { "lt", '<' }, { "gt", '>' }, { "apos", '\'' } };
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] != '&') {
			out[o++] = s[i++];
			continue;
		}
		size_t j = i + 1;
		if (j < len && s[j] == '#') {
			bool hex = j + 1 < len && (s[j + 1] == 'x' || s[j + 1] == 'X');
			size_t k = j + 1 + (hex ? 1 : 0);
			uint32_t cp = 0;
			size_t digits = 0;
			while (k < len && digits < 8 &&
			       (hex ? isxdigit((unsigned char)s[k]) : isdigit((unsigned char)s[k]))) {
				int d = isdigit((unsigned char)s[k]) ? s[k] - '0'
								     : (tolower((unsigned char)s[k]) - 'a' + 10);
				cp = cp * (hex ? 16 : 10) + (uint32_t)d;
				k++;
				digits++;
			}
			if (digits && k - i >= 4) { /* "&#N;" is at least as long as its UTF-8 */
				put_utf8(out, &o, cp);
				i = k + (k < len && s[k] == ';' ? 1 : 0);
				continue;
			}
		} else {
			bool done = false;
			for (size_t n = 0; n < sizeof(named) / sizeof(named[0]) && !done; n++) {
				size_t nl = strlen(named[n].name);
				if (j + nl <= len && strncmp(s + j, named[n].name, nl) == 0) {
					out[o++] = named[n].c;
					i = j + nl + (j + nl < len && s[j + nl] == ';' ? 1 : 0);
					done = true;
				}
			}
			if (done)
				continue;
		}
		out[o++] = s[i++];
	}
	out[o] = '\0';
	return o;
}

static bool rel_nofollow(const struct attrs *at)
{
	for (size_t i = 0; at->rel && i + 8 <= at->rel_len; i++)
		if (strncasecmp(at->rel + i, "nofollow", 8) == 0)
			return true;
	return false;
}

/* Where the raw text of element name ends: after its "</name", or end. */
static const char *skip_raw(const char *p, const char *end, const char *name, size_t nlen)
{
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt)
			return end;
		if ((size_t)(end - lt) > nlen + 1 && lt[1] == '/' && strncasecmp(lt + 2, name, nlen) == 0 &&
		    (lt + 2 + nlen == end || !isalnum((unsigned char)lt[2 + nlen])))
			return lt + 2 + nlen;
		p = lt + 1;
	}
	return end;
}

size_t crawl_links(struct arena *a, const char *html, size_t len, const char **base_href, crawl_link_fn fn, void *ctx)
{
	const char *p = html, *end = html + len;
	size_t n = 0;
	char value[HREF_MAX + 1];
	if (base_href)
		*base_href = NULL;
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt)
			break;
		p = lt + 1;
		if (p < end && *p == '!') {
			if ((size_t)(end - p) >= 3 && p[1] == '-' && p[2] == '-') {
				const char *close = memmem(p + 3, (size_t)(end - p - 3), "-->", 3);
				p = close ? close + 3 : end;
			}
			continue;
		}
		if (p >= end || !isalpha((unsigned char)*p))
			continue;
		const char *name = p;
		while (p < end && isalnum((unsigned char)*p))
			p++;
		size_t nlen = (size_t)(p - name);
		bool anchor = (nlen == 1 && (*name | 32) == 'a') || (nlen == 4 && strncasecmp(name, "area", 4) == 0);
		bool base = nlen == 4 && strncasecmp(name, "base", 4) == 0;
		if (anchor || base) {
			struct attrs at = { 0 };
			p = read_attrs(p, end, &at);
			if (!at.href || at.href_len > HREF_MAX)
				continue;
			size_t vlen = decode(at.href, at.href_len, value);
			if (base) {
				if (base_href && !*base_href)
					*base_href = arena_strndup(a, value, vlen);
			} else if (fn && !rel_nofollow(&at)) {
				n++;
				if (fn(value, vlen, ctx))
					break;
			}
			continue;
		}
		for (size_t i = 0; i < sizeof(raw_text) / sizeof(raw_text[0]); i++)
			if (strlen(raw_text[i]) == nlen && strncasecmp(name, raw_text[i], nlen) == 0) {
				struct attrs at = { 0 };
				p = read_attrs(p, end, &at);
				p = skip_raw(p, end, raw_text[i], nlen);
				break;
			}
	}
	return n;
}
