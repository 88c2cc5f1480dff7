/* page_facts — what a page shows; see page_facts.h. */
#include "discover/page_facts.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "scrape/extract/jsonld.h"

/* The first occurrence of needle (lower-case ASCII) in h[0..n), ignoring
 * letter case; NULL when none. Linear: the next place of each case of the
 * first byte is remembered until passed, so memchr never rescans. */
static const char *find_ci(const char *h, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	char lower = needle[0], upper = lower >= 'a' && lower <= 'z' ? (char)(lower - 32) : lower;
	const char *end = h + n;
	const char *lo = memchr(h, lower, n), *up = upper != lower ? memchr(h, upper, n) : NULL;
	while (lo || up) {
		const char *c = lo && (!up || lo < up) ? lo : up;
		if (c + m > end)
			return NULL;
		if (strncasecmp(c, needle, m) == 0)
			return c;
		const char *p = c + 1;
		if (c == lo)
			lo = memchr(p, lower, (size_t)(end - p));
		else
			up = memchr(p, upper, (size_t)(end - p));
	}
	return NULL;
}

/* Copies s[0..n) into out (room for max + 1) as valid UTF-8 without control
 * characters, runs of white space as one space, trimmed, cut before a
 * character that would not fit. */
static void clean_copy(const char *s, size_t n, char *out, size_t max)
{
	size_t o = 0;
	bool space = false;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == ' ') {
			space = o > 0;
			i++;
			continue;
		}
		size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
		bool valid = len && i + len <= n && text_utf8_valid(s + i, len);
		if (!valid)
			len = 1;
		if (o + (space ? 1 : 0) + len > max)
			break;
		if (space)
			out[o++] = ' ';
		space = false;
		if (valid)
			memcpy(out + o, s + i, len);
		else
			out[o] = '?';
		o += len;
		i += len;
	}
	out[o] = '\0';
}

static void add_type(struct page_facts *f, const char *type)
{
	static const char *const prefixes[] = { "https://schema.org/", "http://schema.org/", "https://www.schema.org/",
						"http://www.schema.org/", "schema:" };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncasecmp(type, prefixes[i], strlen(prefixes[i])) == 0) {
			type += strlen(prefixes[i]);
			break;
		}
	char clean[PAGE_FACTS_TYPE_MAX + 1];
	clean_copy(type, strlen(type), clean, PAGE_FACTS_TYPE_MAX);
	if (!clean[0])
		return;
	for (size_t i = 0; i < f->ntypes; i++)
		if (strcmp(f->types[i], clean) == 0)
			return;
	if (f->ntypes < PAGE_FACTS_TYPES)
		memcpy(f->types[f->ntypes++], clean, sizeof(clean));
}

/* The @type of v, of its elements when it is an array, and of its @graph's
 * nodes: the top level only, one step into @graph (bounded by the block). */
static void collect_types(struct page_facts *f, json_t *v, int depth)
{
	if (depth > 2)
		return;
	size_t i;
	json_t *e;
	if (json_is_array(v)) {
		json_array_foreach (v, i, e)
			collect_types(f, e, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	json_t *t = json_object_get(v, "@type");
	if (json_is_string(t))
		add_type(f, json_string_value(t));
	json_array_foreach (t, i, e)
		if (json_is_string(e))
			add_type(f, json_string_value(e));
	json_t *graph = json_object_get(v, "@graph");
	if (graph)
		collect_types(f, graph, depth + 1);
}

static int on_block(const char *body, size_t len, void *ctx)
{
	struct page_facts *f = ctx;
	f->jsonld_blocks++;
	json_t *v = len <= JSONLD_BODY_MAX ? jsonld_parse_body(body, len, NULL) : NULL;
	if (!v) {
		f->jsonld_unread++;
		return 0;
	}
	collect_types(f, v, 0);
	json_decref(v);
	return 0;
}

void page_facts_read(const char *body, size_t len, struct page_facts *out)
{
	memset(out, 0, sizeof(*out));
	if (!body)
		return;
	out->html = find_ci(body, len, "<html") || find_ci(body, len, "<!doctype html") ||
		    find_ci(body, len, "<body") || find_ci(body, len, "<title");
	const char *t = find_ci(body, len, "<title");
	if (t) {
		const char *end = body + len;
		const char *gt = memchr(t, '>', (size_t)(end - t));
		const char *close = gt ? find_ci(gt + 1, (size_t)(end - gt - 1), "</title") : NULL;
		if (gt)
			clean_copy(gt + 1, (size_t)((close ? close : end) - gt - 1), out->title, PAGE_FACTS_TITLE_MAX);
	}
	jsonld_scan(body, len, on_block, out);
	out->microdata = find_ci(body, len, "itemscope") || find_ci(body, len, "itemtype");
}
