/* sanitize_entities — decoding character references once, and telling
 * entity-escaped HTML ("&lt;p&gt;", as Greenhouse and many JSON-LD blocks
 * send descriptions) from HTML (see sanitize.h). */
#include "scrape/sanitize.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "base/arena.h"
#include "base/text.h"

/* Longest entity name of HTML 4 is 8 bytes ("thetasym"); longer is unknown. */
#define ENTITY_NAME_MAX 8

static int is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int is_alnum(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/* Length of the escaped "<" at s (after any number of "amp;" layers, the
 * '&' already matched at s[-1]), or 0 when s does not start one. */
static size_t escaped_lt_len(const char *s, size_t n)
{
	size_t i = 0;
	while (n - i >= 4 && strncasecmp(s + i, "amp;", 4) == 0)
		i += 4;
	static const char *const forms[] = { "lt;", "#60;", "#x3c;" };
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		size_t fl = strlen(forms[f]);
		if (n - i >= fl && strncasecmp(s + i, forms[f], fl) == 0)
			return i + fl;
	}
	return 0;
}

int sanitize_looks_escaped(const char *s, size_t len)
{
	int escaped = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '<' && i + 1 < len) {
			unsigned char c = (unsigned char)s[i + 1];
			if (is_alpha(c) || c == '/' || c == '!')
				return 0; /* a real tag: this is HTML, whatever else it holds */
		} else if (s[i] == '&' && !escaped) {
			size_t lt = escaped_lt_len(s + i + 1, len - i - 1);
			size_t next = i + 1 + lt;
			if (lt && next < len && (is_alpha((unsigned char)s[next]) || s[next] == '/'))
				escaped = 1;
		}
	}
	return escaped;
}

/* Windows-1252 for references to U+0080–U+009F, as HTML5 reads them:
 * "&#146;" is the apostrophe such pages mean. 0 leaves the C1 control. */
static const uint16_t cp1252[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* A numeric reference after "&#": its code point and length, or 0. */
static size_t numeric_ref(const char *s, size_t n, uint32_t *cp)
{
	size_t i = 0;
	int hex = n > 0 && (s[0] == 'x' || s[0] == 'X');
	if (hex)
		i++;
	uint32_t v = 0;
	size_t digits = 0;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		if (v <= 0x10FFFF) /* past it the value only needs to stay "too big" */
			v = v * (hex ? 16 : 10) + d;
		digits++;
	}
	if (!digits)
		return 0;
	if (i < n && s[i] == ';')
		i++;
	if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		v = 0xFFFD;
	else if (v >= 0x80 && v <= 0x9F && cp1252[v - 0x80])
		v = cp1252[v - 0x80];
	*cp = v;
	return i;
}

/* A named reference after "&" (with its ';'): its code point and length, or 0. */
static size_t named_ref(const char *s, size_t n, uint32_t *cp)
{
	char name[ENTITY_NAME_MAX + 1];
	size_t i = 0;
	while (i < n && i < ENTITY_NAME_MAX && is_alnum((unsigned char)s[i])) {
		name[i] = s[i];
		i++;
	}
	if (!i || i >= n || s[i] != ';')
		return 0;
	name[i] = '\0';
	const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
	if (e) {
		*cp = e->value;
		return i + 1;
	}
	/* HTML5 also knows the upper-case forms of the ASCII ones. */
	static const struct {
		const char *name;
		char c;
	} upper[] = {
		{ "AMP", '&' },
		{ "LT", '<' },
		{ "GT", '>' },
		{ "QUOT", '"' },
	};
	for (size_t u = 0; u < sizeof(upper) / sizeof(upper[0]); u++)
		if (strcmp(name, upper[u].name) == 0) {
			*cp = (unsigned char)upper[u].c;
			return i + 1;
		}
	return 0;
}

char *sanitize_unescape_entities(struct arena *a, const char *s, size_t len, size_t *out_len)
{
	/* A reference is never shorter than what it decodes to (4 bytes of
	 * UTF-8 need "&#x10000" at least), so len bytes always suffice. */
	char *out = arena_alloc_raw(a, len + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t run = amp ? (size_t)(amp - (s + i)) : len - i;
		memcpy(out + o, s + i, run);
		o += run;
		i += run;
		if (i >= len)
			break;
		uint32_t cp = 0;
		size_t used = 0;
		if (i + 1 < len && s[i + 1] == '#')
			used = numeric_ref(s + i + 2, len - i - 2, &cp);
		else
			used = named_ref(s + i + 1, len - i - 1, &cp);
		if (!used) {
			out[o++] = '&';
			i++;
			continue;
		}
		size_t ref_len = used + (s[i + 1] == '#' ? 2 : 1);
		char enc[4];
		size_t n = text_utf8_put(cp, enc);
		if (n > ref_len) { /* cannot happen (see above); keep the reference rather than overflow */
			out[o++] = '&';
			i++;
			continue;
		}
		memcpy(out + o, enc, n);
		o += n;
		i += ref_len;
	}
	out[o] = '\0';
	if (out_len)
		*out_len = o;
	return out;
}
