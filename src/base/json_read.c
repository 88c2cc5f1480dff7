/* json_read — JSON read in one pass over the bytes into the same jansson
 * values json_loadb would build; see json_read.h. jansson's reader fetches
 * every byte through a callback and copies every string twice, which made
 * it four fifths of the cost of extracting a page's JSON-LD and most of the
 * cost of decoding a posting from the bus; this one finds the end of a
 * string 16 bytes at a time and copies it once.
 *
 * It is a fast path, not a second grammar: it accepts only what jansson
 * accepts, builds the values through the same calls in the same order (so
 * duplicate keys and key order come out the same), and for anything else
 * — every error, and the rare inputs it leaves alone: deep nesting, long
 * numbers, long escaped keys — it answers NULL and the caller asks
 * jansson, which then decides. The jsonld fuzz harness checks that
 * whatever it returns is what jansson returns. */
#include "base/json_read.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/text.h"

/* Nesting this deep is left to jansson (which allows 2048): the reader
 * recurses, and JSON-LD is a few levels deep. */
#define READ_DEPTH_MAX  64
/* An escaped key is decoded into a buffer on the stack of this size; a
 * longer one is left to jansson. */
#define READ_KEY_MAX    128
/* A number written longer than this is left to jansson. */
#define READ_NUMBER_MAX 64

struct reader {
	const char *p, *end;
	char *scratch; /* decoded strings with escapes: local, or malloc'd when longer */
	size_t cap;
	unsigned depth;
	char local[2048];
};

static inline int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'; /* jansson's four, not \f */
}

static inline int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline int is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && is_ws((unsigned char)*r->p))
		r->p++;
}

/* The first byte at or after p that ends a run of plain string bytes: a
 * quote, a backslash, a control character or a non-ASCII byte; or end. */
static const char *skip_plain(const char *p, const char *end)
{
#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* signed compare: bytes 0x80-0xFF are negative, so below space too */
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
					   _mm_cmplt_epi8(v, space));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		if (mask)
			return p + __builtin_ctz(mask);
		p += 16;
	}
#endif
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
			return p;
	}
	return end;
}

/* Length of the UTF-8 sequence at p (first byte >= 0x80) when jansson
 * accepts it (no overlong form, no surrogate, at most U+10FFFF), else 0. */
static size_t utf8_sequence(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t n;
	uint32_t v;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, v = c & 0x1Fu;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, v = c & 0x0Fu;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, v = c & 0x07u;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
		v = (v << 6) | (p[i] & 0x3Fu);
	}
	if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (n == 3 && v < 0x800) || (n == 4 && v < 0x10000))
		return 0;
	return n;
}

static int hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		int d = text_hex_digit((unsigned char)p[i]);
		if (d < 0)
			return -1;
		v = (v << 4) | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* Room for need bytes of decoded string in the scratch buffer. */
static int reserve(struct reader *r, size_t need)
{
	if (need <= r->cap)
		return 0;
	size_t cap = r->cap * 2 > need ? r->cap * 2 : need;
	char *grown = malloc(cap);
	if (!grown)
		return -1;
	memcpy(grown, r->scratch, r->cap);
	if (r->scratch != r->local)
		free(r->scratch);
	r->scratch = grown;
	r->cap = cap;
	return 0;
}

/* Decodes the escape at p ("\" and what follows) onto the scratch buffer at
 * *o; returns the position after it, or NULL where jansson would refuse it
 * (an unknown escape, a lone surrogate, \u0000). */
static const char *unescape(struct reader *r, const char *p, size_t *o)
{
	if (r->end - p < 2)
		return NULL;
	char c = p[1], out;
	switch (c) {
	case '"':
	case '\\':
	case '/':
		out = c;
		break;
	case 'b':
		out = '\b';
		break;
	case 'f':
		out = '\f';
		break;
	case 'n':
		out = '\n';
		break;
	case 'r':
		out = '\r';
		break;
	case 't':
		out = '\t';
		break;
	case 'u': {
		uint32_t cp, low;
		if (r->end - p < 6 || hex4(p + 2, &cp) || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
			return NULL;
		p += 6;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (r->end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &low) || low < 0xDC00 ||
			    low > 0xDFFF)
				return NULL;
			cp = ((cp - 0xD800) << 10) + (low - 0xDC00) + 0x10000;
			p += 6;
		}
		*o += text_utf8_put(cp, r->scratch + *o);
		return p;
	}
	default:
		return NULL;
	}
	r->scratch[(*o)++] = out;
	return p + 2;
}

/* The string whose opening quote is at r->p, decoded: *s points into the
 * body when it had no escape, else into the scratch buffer (valid until the
 * next string is read). -1 where jansson would refuse it. */
static int read_string(struct reader *r, const char **s, size_t *len)
{
	const char *start = ++r->p, *run = start, *p = start;
	size_t o = 0;
	int escaped = 0;
	for (;;) {
		p = skip_plain(p, r->end);
		if (p >= r->end)
			return -1;
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c >= 0x80) {
			size_t n = utf8_sequence((const unsigned char *)p, (const unsigned char *)r->end);
			if (!n)
				return -1;
			p += n;
			continue;
		}
		if (c < 0x20)
			return -1;
		/* A backslash: what came before it is copied, the escape decoded.
		 * A decoded escape is never longer than its source. */
		if (reserve(r, o + (size_t)(p - run) + 4))
			return -1;
		memcpy(r->scratch + o, run, (size_t)(p - run));
		o += (size_t)(p - run);
		p = unescape(r, p, &o);
		if (!p)
			return -1;
		run = p;
		escaped = 1;
	}
	if (escaped) {
		if (reserve(r, o + (size_t)(p - run)))
			return -1;
		memcpy(r->scratch + o, run, (size_t)(p - run));
		o += (size_t)(p - run);
		*s = r->scratch;
		*len = o;
	} else {
		*s = start;
		*len = (size_t)(p - start);
	}
	r->p = p + 1;
	return 0;
}

/* A number as jansson lexes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?,
 * an integer (json_int_t) unless it has a fraction or an exponent. */
static json_t *read_number(struct reader *r)
{
	const char *s = r->p, *p = s, *end = r->end;
	int real = 0;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
		if (p < end && is_digit((unsigned char)*p))
			return NULL;
	} else if (p < end && is_digit((unsigned char)*p)) {
		while (p < end && is_digit((unsigned char)*p))
			p++;
	} else {
		return NULL;
	}
	if (p < end && *p == '.') {
		p++;
		if (p >= end || !is_digit((unsigned char)*p))
			return NULL;
		while (p < end && is_digit((unsigned char)*p))
			p++;
		real = 1;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !is_digit((unsigned char)*p))
			return NULL;
		while (p < end && is_digit((unsigned char)*p))
			p++;
		real = 1;
	}
	size_t n = (size_t)(p - s);
	char text[READ_NUMBER_MAX];
	if (n >= sizeof(text))
		return NULL;
	memcpy(text, s, n);
	text[n] = '\0';
	char *stop;
	errno = 0;
	json_t *v;
	if (real) {
		double d = strtod(text, &stop);
		/* a stop short of the end: the locale's decimal point is not ".",
		 * which jansson translates; it may have this one */
		if (stop != text + n || (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL)))
			return NULL;
		v = json_real(d);
	} else {
		long long i = strtoll(text, &stop, 10);
		if (stop != text + n || errno == ERANGE)
			return NULL;
		v = json_integer((json_int_t)i);
	}
	if (v)
		r->p = p;
	return v;
}

/* After a member or element: 1 when a comma says another follows, 0 when
 * close ends the container, -1 for anything else. */
static int next_item(struct reader *r, char close)
{
	skip_ws(r);
	if (r->p < r->end && *r->p == ',') {
		r->p++;
		skip_ws(r);
		return 1;
	}
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return 0;
	}
	return -1;
}

/* true, false or null, as a whole word (jansson reads all the letters). */
static json_t *read_word(struct reader *r)
{
	static const struct {
		const char *w;
		size_t n;
	} words[] = { { "true", 4 }, { "false", 5 }, { "null", 4 } };
	size_t left = (size_t)(r->end - r->p);
	for (int i = 0; i < 3; i++) {
		size_t n = words[i].n;
		if (left >= n && memcmp(r->p, words[i].w, n) == 0 && (left == n || !is_alpha((unsigned char)r->p[n]))) {
			r->p += n;
			return i == 0 ? json_true() : i == 1 ? json_false() : json_null();
		}
	}
	return NULL;
}

static json_t *read_value(struct reader *r);

/* One "key": value member into object; -1 where jansson would refuse it. */
static int read_member(struct reader *r, json_t *object)
{
	const char *key;
	size_t key_len;
	char copy[READ_KEY_MAX];
	if (r->p >= r->end || *r->p != '"' || read_string(r, &key, &key_len))
		return -1;
	if (key == r->scratch) { /* the value's strings will reuse the scratch buffer */
		if (key_len > sizeof(copy))
			return -1;
		memcpy(copy, key, key_len);
		key = copy;
	}
	skip_ws(r);
	if (r->p >= r->end || *r->p != ':')
		return -1;
	r->p++;
	skip_ws(r);
	json_t *value = read_value(r);
	return value && json_object_setn_new_nocheck(object, key, key_len, value) == 0 ? 0 : -1;
}

/* One element onto array. */
static int read_element(struct reader *r, json_t *array)
{
	json_t *value = read_value(r);
	return value && json_array_append_new(array, value) == 0 ? 0 : -1;
}

/* The object or array opening at r->p, built as jansson builds it. */
static json_t *read_container(struct reader *r)
{
	int object = *r->p == '{';
	char close = object ? '}' : ']';
	json_t *v = object ? json_object() : json_array();
	if (!v)
		return NULL;
	r->p++;
	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return v;
	}
	for (;;) {
		int more = (object ? read_member(r, v) : read_element(r, v)) ? -1 : next_item(r, close);
		if (more < 0)
			break;
		if (!more)
			return v;
	}
	json_decref(v);
	return NULL;
}

/* The value at r->p (whitespace before it already skipped). */
static json_t *read_value(struct reader *r)
{
	if (r->p >= r->end)
		return NULL;
	unsigned char c = (unsigned char)*r->p;
	if (c == '"') {
		const char *s;
		size_t n;
		return read_string(r, &s, &n) ? NULL : json_stringn_nocheck(s, n);
	}
	if (c == '{' || c == '[') {
		if (r->depth >= READ_DEPTH_MAX)
			return NULL;
		r->depth++;
		json_t *v = read_container(r);
		r->depth--;
		return v;
	}
	if (c == '-' || is_digit(c))
		return read_number(r);
	return read_word(r);
}

json_t *json_read(const char *s, size_t n, size_t flags)
{
	if (flags & ~(size_t)(JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK))
		return NULL;
	struct reader r;
	r.p = s;
	r.end = s + n;
	r.scratch = r.local;
	r.cap = sizeof(r.local);
	r.depth = 0;
	skip_ws(&r);
	if (!(flags & JSON_DECODE_ANY) && (r.p >= r.end || (*r.p != '{' && *r.p != '[')))
		return NULL;
	json_t *v = read_value(&r);
	if (v && !(flags & JSON_DISABLE_EOF_CHECK)) {
		skip_ws(&r); /* jansson's end check: nothing but whitespace to the end */
		if (r.p != r.end) {
			json_decref(v);
			v = NULL;
		}
	}
	if (r.scratch != r.local)
		free(r.scratch);
	return v;
}

json_t *json_read_or_load(const char *s, size_t n, size_t flags, json_error_t *error)
{
	json_t *v = json_read(s, n, flags);
	return v ? v : json_loadb(s, n, flags, error);
}
