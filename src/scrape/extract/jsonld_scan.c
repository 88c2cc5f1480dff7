/* jsonld_scan — finding <script type="application/ld+json"> in raw page
 * bytes without building a DOM. Only a "<" followed by "!" or by the first
 * letter of script or of an element with raw-text content (s t x i n) can
 * matter; 16 bytes at a time are tested for that pair (SSE2, with a plain
 * loop elsewhere), so the common tags (div, a, p, li, end tags) cost
 * nothing but the vector compare — a memchr per "<" would spend more on
 * the calls than on the bytes of a tag-dense page. What a browser would not read as markup
 * (comments, and the raw text of scripts, styles and the like) is skipped
 * the way a browser skips it, so a commented-out block or a string such as
 * "<script" inside JavaScript is not mistaken for one. */
#include "scrape/extract/jsonld.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

struct span {
	const char *p;
	size_t n;
};

static inline unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static inline int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static inline int is_candidate(unsigned char after_lt)
{
	unsigned char c = after_lt | 0x20;
	return after_lt == '!' || c == 's' || c == 't' || c == 'x' || c == 'i' || c == 'n';
}

/* What may follow the "<" the scanner looks for: the start of a tag it
 * acts on (is_candidate), or "/" for the end tag of the element it is in. */
enum after_lt { AFTER_CANDIDATE, AFTER_SLASH };

static inline int accepts(enum after_lt what, unsigned char c)
{
	return what == AFTER_SLASH ? c == '/' : is_candidate(c);
}

/* The next "<" at or after p that is followed by what, or NULL. */
static const char *next_lt(const char *p, const char *end, enum after_lt what)
{
#if defined(__SSE2__)
	const __m128i lt = _mm_set1_epi8('<'), case_bit = _mm_set1_epi8(0x20), bang = _mm_set1_epi8('!');
	const __m128i slash = _mm_set1_epi8('/'), s = _mm_set1_epi8('s'), t = _mm_set1_epi8('t');
	const __m128i x = _mm_set1_epi8('x'), i = _mm_set1_epi8('i'), n = _mm_set1_epi8('n');
	while (end - p >= 17) {
		__m128i here = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(here, lt));
		if (mask) {
			__m128i next = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
			__m128i hit;
			if (what == AFTER_SLASH) {
				hit = _mm_cmpeq_epi8(next, slash);
			} else {
				__m128i low = _mm_or_si128(next, case_bit);
				hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(low, s), _mm_cmpeq_epi8(low, t)),
						   _mm_or_si128(_mm_cmpeq_epi8(low, x), _mm_cmpeq_epi8(low, i)));
				hit =
				    _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(low, n), _mm_cmpeq_epi8(next, bang)));
			}
			mask &= (unsigned)_mm_movemask_epi8(hit);
			if (mask)
				return p + __builtin_ctz(mask);
		}
		p += 16;
	}
#endif
	for (; end - p >= 2; p++)
		if (*p == '<' && accepts(what, (unsigned char)p[1]))
			return p;
	return NULL;
}

/* Whether s (n bytes left) starts with the lower-case word w, case ignored. */
static int starts_ci(const char *s, size_t n, const char *w, size_t wn)
{
	if (n < wn)
		return 0;
	for (size_t i = 0; i < wn; i++)
		if (lower((unsigned char)s[i]) != (unsigned char)w[i])
			return 0;
	return 1;
}

/* A tag name ends at whitespace, "/" or ">" (or the end of the page). */
static int name_ends_at(const char *p, const char *end)
{
	return p >= end || is_space((unsigned char)*p) || *p == '/' || *p == '>';
}

/* The position after "</name" (followed by the end of a tag name) at or
 * after p, or end when the element runs to the end of the page. */
static const char *find_end_tag(const char *p, const char *end, const char *name, size_t n)
{
	while (p < end) {
		const char *lt = next_lt(p, end, AFTER_SLASH);
		if (!lt)
			return end;
		if (starts_ci(lt + 2, (size_t)(end - lt - 2), name, n) && name_ends_at(lt + 2 + n, end))
			return lt;
		p = lt + 1;
	}
	return end;
}

/* Past the comment opened at p ("<!--"): after "-->", or at once for the
 * abrupt "<!-->" and "<!--->", or end when it never closes. */
static const char *skip_comment(const char *p, const char *end)
{
	const char *q = p + 4;
	if (q < end && *q == '>')
		return q + 1;
	if (end - q >= 2 && q[0] == '-' && q[1] == '>')
		return q + 2;
	const char *close = memmem(q, (size_t)(end - q), "-->", 3);
	return close ? close + 3 : end;
}

/* Reads the attributes of a start tag from p (just after its name) to its
 * ">"; finds the first type attribute. Returns the position after ">", or
 * NULL when the page ends inside the tag. */
static const char *read_attributes(const char *p, const char *end, struct span *type, int *has_type)
{
	*has_type = 0;
	while (p < end) {
		while (p < end && (is_space((unsigned char)*p) || *p == '/'))
			p++;
		if (p >= end)
			return NULL;
		if (*p == '>')
			return p + 1;
		const char *name = p++; /* the first character may be anything, even "=" */
		while (p < end && !is_space((unsigned char)*p) && *p != '/' && *p != '>' && *p != '=')
			p++;
		size_t name_len = (size_t)(p - name);
		while (p < end && is_space((unsigned char)*p))
			p++;
		struct span value = { p, 0 };
		if (p < end && *p == '=') {
			p++;
			while (p < end && is_space((unsigned char)*p))
				p++;
			if (p < end && (*p == '"' || *p == '\'')) {
				const char *close = memchr(p + 1, *p, (size_t)(end - p - 1));
				if (!close)
					return NULL;
				value = (struct span){ p + 1, (size_t)(close - p - 1) };
				p = close + 1;
			} else {
				value.p = p;
				while (p < end && !is_space((unsigned char)*p) && *p != '>')
					p++;
				value.n = (size_t)(p - value.p);
			}
		}
		if (!*has_type && name_len == 4 && starts_ci(name, 4, "type", 4)) {
			*has_type = 1;
			*type = value;
		}
	}
	return NULL;
}

/* "application/ld+json", ignoring case, surrounding spaces and parameters. */
static int type_is_ld_json(struct span t)
{
	static const char want[] = "application/ld+json";
	const size_t wn = sizeof(want) - 1;
	const char *p = t.p, *end = t.p + t.n;
	while (p < end && is_space((unsigned char)*p))
		p++;
	const char *semi = memchr(p, ';', (size_t)(end - p));
	if (semi)
		end = semi;
	while (end > p && is_space((unsigned char)end[-1]))
		end--;
	return (size_t)(end - p) == wn && starts_ci(p, wn, want, wn);
}

/* Elements whose content is raw text to a browser: their content is skipped. */
static const struct {
	const char *name;
	size_t n;
} raw_text_elements[] = {
	{ "style", 5 },  { "textarea", 8 }, { "title", 5 },    { "xmp", 3 },
	{ "iframe", 6 }, { "noembed", 7 },  { "noframes", 8 },
};

unsigned jsonld_scan(const char *html, size_t len, jsonld_body_fn fn, void *ctx)
{
	const char *p = html, *end = html + len;
	unsigned found = 0;
	while (p < end) {
		const char *lt = next_lt(p, end, AFTER_CANDIDATE);
		if (!lt)
			break;
		const char *q = lt + 1;
		size_t left = (size_t)(end - q);
		unsigned char c = lower((unsigned char)*q);
		p = q;
		if (c == '!') {
			if (left >= 3 && q[1] == '-' && q[2] == '-')
				p = skip_comment(lt, end);
			continue;
		}
		if (c == 's' && starts_ci(q, left, "script", 6) && name_ends_at(q + 6, end)) {
			struct span type = { NULL, 0 };
			int has_type;
			const char *body = read_attributes(q + 6, end, &type, &has_type);
			if (!body)
				break;
			const char *close = find_end_tag(body, end, "script", 6);
			if (has_type && type_is_ld_json(type)) {
				found++;
				if (fn(body, (size_t)(close - body), ctx))
					break;
			}
			p = close;
			continue;
		}
		for (size_t i = 0; i < sizeof(raw_text_elements) / sizeof(raw_text_elements[0]); i++) {
			const char *name = raw_text_elements[i].name;
			size_t n = raw_text_elements[i].n;
			if ((unsigned char)name[0] == c && starts_ci(q, left, name, n) && name_ends_at(q + n, end)) {
				struct span ignored;
				int has_type;
				const char *content = read_attributes(q + n, end, &ignored, &has_type);
				p = content ? find_end_tag(content, end, name, n) : end;
				break;
			}
		}
	}
	return found;
}
