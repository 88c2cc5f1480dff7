/* sources/sitemap — the <loc>s of a sitemap or sitemap index; see crawl.h.
 *
 * A byte scan rather than an XML parser: sitemaps are large (up to 50,000
 * URLs), flat and often slightly broken, and all a crawl wants is each
 * <loc>'s text and whether the root is <urlset> or <sitemapindex>. Element
 * names may carry a namespace prefix; a <loc> may hold CDATA; the five XML
 * entities and numeric references are decoded. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "scrape/sources/crawl.h"

#define LOC_MAX 4096

/* A gzip file inflated into a malloc'd buffer; NULL when it is not one. */
static char *gunzip(const char *body, size_t len, size_t *out_len)
{
	if (len < 18 || (unsigned char)body[0] != 0x1f || (unsigned char)body[1] != 0x8b)
		return NULL;
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return NULL;
	size_t cap = len * 4 < (1u << 20) ? (1u << 20) : len * 4, n = 0;
	char *out = NULL;
	int rc = Z_OK;
	z.next_in = (Bytef *)(uintptr_t)body;
	z.avail_in = (uInt)len;
	while (rc == Z_OK) {
		if (cap > SITEMAP_MAX_BYTES)
			cap = SITEMAP_MAX_BYTES;
		char *grown = realloc(out, cap + 1);
		if (!grown)
			break;
		out = grown;
		z.next_out = (Bytef *)out + n;
		z.avail_out = (uInt)(cap - n);
		rc = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
		if (rc == Z_OK && n == cap) {
			if (cap == SITEMAP_MAX_BYTES)
				break; /* keep what fits */
			cap *= 2;
		} else if (rc == Z_OK && z.avail_in == 0) {
			break;
		}
	}
	inflateEnd(&z);
	if (!out || n == 0) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

static size_t decode(const char *s, size_t len, char *out)
{
	static const struct {
		const char *name;
		char c;
	} named[] = { { "amp;", '&' }, { "quot;", '"' }, { "lt;", '<' }, { "gt;", '>' }, { "apos;", '\'' } };
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] == '&') {
			bool done = false;
			for (size_t k = 0; k < sizeof(named) / sizeof(named[0]) && !done; k++) {
				size_t nl = strlen(named[k].name);
				if (i + 1 + nl <= len && memcmp(s + i + 1, named[k].name, nl) == 0) {
					out[o++] = named[k].c;
					i += 1 + nl;
					done = true;
				}
			}
			if (done)
				continue;
		}
		out[o++] = s[i++];
	}
	return o;
}

/* The local name of the element at p (just after '<'): its start and length. */
static size_t local_name(const char *p, const char *end, const char **name)
{
	const char *s = p;
	while (p < end && (isalnum((unsigned char)*p) || *p == ':' || *p == '-' || *p == '_' || *p == '.'))
		p++;
	const char *colon = NULL;
	for (const char *c = s; c < p; c++)
		if (*c == ':')
			colon = c;
	*name = colon ? colon + 1 : s;
	return (size_t)(p - *name);
}

static enum sitemap_kind scan(const char *body, size_t len, sitemap_loc_fn fn, void *ctx)
{
	const char *p = body, *end = body + len;
	enum sitemap_kind kind = SITEMAP_NONE;
	char value[LOC_MAX + 1];
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt)
			break;
		p = lt + 1;
		if (p < end && (*p == '?' || *p == '!' || *p == '/')) {
			if ((size_t)(end - p) >= 3 && p[0] == '!' && p[1] == '-' && p[2] == '-') {
				const char *close = memmem(p, (size_t)(end - p), "-->", 3);
				p = close ? close + 3 : end;
			}
			continue;
		}
		const char *name;
		size_t n = local_name(p, end, &name);
		if (kind == SITEMAP_NONE) {
			if (n == 6 && strncasecmp(name, "urlset", 6) == 0)
				kind = SITEMAP_URLSET;
			else if (n == 12 && strncasecmp(name, "sitemapindex", 12) == 0)
				kind = SITEMAP_INDEX;
			else
				return SITEMAP_NONE; /* the root is something else: not a sitemap */
			continue;
		}
		if (n != 3 || strncasecmp(name, "loc", 3) != 0)
			continue;
		const char *gt = memchr(p, '>', (size_t)(end - p));
		if (!gt)
			break;
		const char *text = gt + 1, *text_end;
		while (text < end && isspace((unsigned char)*text))
			text++;
		bool cdata = (size_t)(end - text) >= 9 && memcmp(text, "<![CDATA[", 9) == 0;
		if (cdata) {
			text += 9;
			text_end = memmem(text, (size_t)(end - text), "]]>", 3);
		} else {
			text_end = memchr(text, '<', (size_t)(end - text));
		}
		if (!text_end)
			text_end = end;
		p = text_end;
		while (text_end > text && isspace((unsigned char)text_end[-1]))
			text_end--;
		size_t tlen = (size_t)(text_end - text);
		if (tlen == 0 || tlen > LOC_MAX)
			continue;
		size_t vlen = cdata ? (memcpy(value, text, tlen), tlen) : decode(text, tlen, value);
		value[vlen] = '\0';
		if (memchr(value, '\0', vlen))
			continue;
		if (fn(kind, value, vlen, ctx))
			break;
	}
	return kind;
}

enum sitemap_kind sitemap_read(const char *body, size_t len, sitemap_loc_fn fn, void *ctx)
{
	size_t plain_len;
	char *plain = gunzip(body, len, &plain_len);
	enum sitemap_kind kind = plain ? scan(plain, plain_len, fn, ctx) : scan(body, len, fn, ctx);
	free(plain);
	return kind;
}
