/* tokenize — see tokenize.h for the rules. One pass over the bytes: each
 * character is decoded and classified (word character with its folded
 * bytes, joining punctuation, or separator); a token is a run of word
 * characters and the punctuation the rules let join them. */
#include "search/tokenize.h"

#include "base/text.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

/* Stems cached: job text has a small vocabulary, and the Snowball stemmer
 * costs far more than a hash lookup. Past the cap words are stemmed
 * uncached. */
#define STEM_CACHE_MIN  (1u << 12)
#define STEM_CACHE_MAX  (1u << 20)
#define STEM_STRING_MAX (64u << 20)

struct stem_slot {
	uint32_t hash;
	uint32_t key; /* offset into strings; 0 = empty slot */
	uint16_t key_len, stem_len;
	uint32_t stem;
};

struct tokenizer {
	struct sb_stemmer *stemmer;
	struct stem_slot *slots;
	uint32_t cap, used;
	char *strings;
	size_t strings_len, strings_cap;
};

enum ch_kind { CH_SEP, CH_WORD, CH_PUNCT, CH_IGNORE };

struct ch {
	enum ch_kind kind;
	char ascii;        /* CH_PUNCT: which */
	bool upper, lower; /* ASCII case in the text, for the '.' rule */
	bool digit, plain; /* plain: an ASCII letter after folding */
	uint8_t fold_len;
	char fold[8];
	size_t end; /* byte after it */
};

/* Latin-1 Supplement and Latin Extended-A folded to ASCII, by ranges. */
static const struct {
	uint16_t first, last;
	const char *to;
} latin_folds[] = {
	{ 0xC0, 0xC5, "a" },   { 0xC6, 0xC6, "ae" },   { 0xC7, 0xC7, "c" },   { 0xC8, 0xCB, "e" },
	{ 0xCC, 0xCF, "i" },   { 0xD0, 0xD0, "d" },    { 0xD1, 0xD1, "n" },   { 0xD2, 0xD6, "o" },
	{ 0xD8, 0xD8, "o" },   { 0xD9, 0xDC, "u" },    { 0xDD, 0xDD, "y" },   { 0xDE, 0xDE, "th" },
	{ 0xDF, 0xDF, "ss" },  { 0xE0, 0xE5, "a" },    { 0xE6, 0xE6, "ae" },  { 0xE7, 0xE7, "c" },
	{ 0xE8, 0xEB, "e" },   { 0xEC, 0xEF, "i" },    { 0xF0, 0xF0, "d" },   { 0xF1, 0xF1, "n" },
	{ 0xF2, 0xF6, "o" },   { 0xF8, 0xF8, "o" },    { 0xF9, 0xFC, "u" },   { 0xFD, 0xFD, "y" },
	{ 0xFE, 0xFE, "th" },  { 0xFF, 0xFF, "y" },    { 0x100, 0x105, "a" }, { 0x106, 0x10D, "c" },
	{ 0x10E, 0x111, "d" }, { 0x112, 0x11B, "e" },  { 0x11C, 0x123, "g" }, { 0x124, 0x127, "h" },
	{ 0x128, 0x131, "i" }, { 0x132, 0x133, "ij" }, { 0x134, 0x135, "j" }, { 0x136, 0x138, "k" },
	{ 0x139, 0x142, "l" }, { 0x143, 0x14B, "n" },  { 0x14C, 0x151, "o" }, { 0x152, 0x153, "oe" },
	{ 0x154, 0x159, "r" }, { 0x15A, 0x161, "s" },  { 0x162, 0x167, "t" }, { 0x168, 0x173, "u" },
	{ 0x174, 0x175, "w" }, { 0x176, 0x178, "y" },  { 0x179, 0x17E, "z" }, { 0x17F, 0x17F, "s" },
};

/* Punctuation and symbol blocks beyond Latin-1 that separate words. */
static bool is_separator_cp(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
	       (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) || cp >= 0xFFF0 ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF);
}

/* The code point at s[i..len), or -1 (one byte consumed) when the bytes
 * there are not UTF-8 (overlong forms and surrogates included). */
static int32_t utf8_get(const unsigned char *s, size_t len, size_t i, size_t *end)
{
	unsigned c = s[i];
	size_t n;
	uint32_t cp, min;
	if (c < 0x80) {
		*end = i + 1;
		return (int32_t)c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
		cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		*end = i + 1;
		return -1;
	}
	if (len - i - 1 < n) {
		*end = i + 1;
		return -1;
	}
	for (size_t k = 1; k <= n; k++) {
		unsigned cc = s[i + k];
		if ((cc & 0xC0) != 0x80) {
			*end = i + 1;
			return -1;
		}
		cp = (cp << 6) | (cc & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*end = i + 1;
		return -1;
	}
	*end = i + 1 + n;
	return (int32_t)cp;
}

static void classify(const unsigned char *s, size_t len, size_t i, struct ch *c)
{
	c->upper = c->lower = c->digit = c->plain = false;
	c->fold_len = 0;
	unsigned b = s[i];
	if (b < 0x80) {
		c->end = i + 1;
		if (b >= 'a' && b <= 'z') {
			c->kind = CH_WORD;
			c->lower = c->plain = true;
			c->fold[0] = (char)b;
			c->fold_len = 1;
		} else if (b >= 'A' && b <= 'Z') {
			c->kind = CH_WORD;
			c->upper = c->plain = true;
			c->fold[0] = (char)(b + 32);
			c->fold_len = 1;
		} else if (b >= '0' && b <= '9') {
			c->kind = CH_WORD;
			c->digit = true;
			c->fold[0] = (char)b;
			c->fold_len = 1;
		} else if (b == '.' || b == '/' || b == '&' || b == '+' || b == '#') {
			c->kind = CH_PUNCT;
			c->ascii = (char)b;
		} else {
			c->kind = CH_SEP;
		}
		return;
	}
	int32_t cp = utf8_get(s, len, i, &c->end);
	if (cp < 0 || is_separator_cp((uint32_t)cp)) {
		c->kind = CH_SEP;
		return;
	}
	if (cp >= 0x300 && cp <= 0x36F) { /* combining accents: the base letter is enough */
		c->kind = CH_IGNORE;
		return;
	}
	c->kind = CH_WORD;
	if (cp <= 0x17F) {
		for (size_t k = 0; k < sizeof(latin_folds) / sizeof(latin_folds[0]); k++)
			if (cp >= latin_folds[k].first && cp <= latin_folds[k].last) {
				c->fold_len = (uint8_t)strlen(latin_folds[k].to);
				memcpy(c->fold, latin_folds[k].to, c->fold_len);
				c->plain = true;
				return;
			}
	}
	uint32_t lower = (uint32_t)cp;
	if ((cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) || (cp >= 0x410 && cp <= 0x42F))
		lower = (uint32_t)cp + 0x20;
	else if (cp >= 0x400 && cp <= 0x40F)
		lower = (uint32_t)cp + 0x50;
	c->fold_len = (uint8_t)text_utf8_put(lower, c->fold);
}

size_t tokenizer_fold(const char *text, size_t len, char *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = 0;
	bool gap = false;
	struct ch c;
	for (size_t i = 0; i < len; i = c.end) {
		classify(s, len, i, &c);
		if (c.kind == CH_IGNORE)
			continue;
		if (c.kind != CH_WORD) {
			gap = n > 0;
			continue;
		}
		if (n + gap + c.fold_len + 1 > cap)
			break;
		if (gap)
			out[n++] = ' ';
		gap = false;
		memcpy(out + n, c.fold, c.fold_len);
		n += c.fold_len;
	}
	out[n] = '\0';
	return n;
}

struct tokenizer *tokenizer_new(void)
{
	struct tokenizer *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->stemmer = sb_stemmer_new("english", NULL);
	t->cap = STEM_CACHE_MIN;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	t->strings_cap = 1u << 16;
	t->strings = malloc(t->strings_cap);
	if (!t->stemmer || !t->slots || !t->strings) {
		tokenizer_free(t);
		return NULL;
	}
	t->strings_len = 1; /* offset 0 means "empty" */
	return t;
}

void tokenizer_free(struct tokenizer *t)
{
	if (!t)
		return;
	if (t->stemmer)
		sb_stemmer_delete(t->stemmer);
	free(t->slots);
	free(t->strings);
	free(t);
}

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h ? h : 1;
}

static size_t stem_uncached(struct tokenizer *t, const char *word, size_t len, char *out, size_t cap)
{
	const sb_symbol *r = sb_stemmer_stem(t->stemmer, (const sb_symbol *)word, (int)len);
	size_t n = r ? (size_t)sb_stemmer_length(t->stemmer) : len;
	const char *src = r ? (const char *)r : word;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, src, n);
	out[n] = '\0';
	return n;
}

static int stem_cache_grow(struct tokenizer *t)
{
	uint32_t cap = t->cap * 2;
	struct stem_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (uint32_t i = 0; i < t->cap; i++) {
		if (!t->slots[i].key)
			continue;
		uint32_t j = t->slots[i].hash & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

static int strings_reserve(struct tokenizer *t, size_t more)
{
	if (t->strings_len + more <= t->strings_cap)
		return 0;
	if (t->strings_len + more > STEM_STRING_MAX)
		return -1;
	size_t cap = t->strings_cap * 2;
	while (cap < t->strings_len + more)
		cap *= 2;
	char *s = realloc(t->strings, cap);
	if (!s)
		return -1;
	t->strings = s;
	t->strings_cap = cap;
	return 0;
}

size_t tokenizer_stem(struct tokenizer *t, const char *word, size_t len, char *out, size_t cap)
{
	if (cap == 0)
		return 0;
	uint32_t h = hash_bytes(word, len);
	uint32_t j = h & (t->cap - 1);
	while (t->slots[j].key) {
		struct stem_slot *sl = &t->slots[j];
		if (sl->hash == h && sl->key_len == len && memcmp(t->strings + sl->key, word, len) == 0) {
			size_t n = sl->stem_len < cap ? sl->stem_len : cap - 1;
			memcpy(out, t->strings + sl->stem, n);
			out[n] = '\0';
			return n;
		}
		j = (j + 1) & (t->cap - 1);
	}
	size_t n = stem_uncached(t, word, len, out, cap);
	/* Cached only while the table has room (at most half full). */
	if ((t->used + 1) * 2 > t->cap && (t->cap >= STEM_CACHE_MAX || stem_cache_grow(t) < 0))
		return n;
	if (len > UINT16_MAX || strings_reserve(t, len + n) < 0)
		return n;
	j = h & (t->cap - 1);
	while (t->slots[j].key)
		j = (j + 1) & (t->cap - 1);
	struct stem_slot *sl = &t->slots[j];
	sl->hash = h;
	sl->key = (uint32_t)t->strings_len;
	sl->key_len = (uint16_t)len;
	memcpy(t->strings + t->strings_len, word, len);
	t->strings_len += len;
	sl->stem = (uint32_t)t->strings_len;
	sl->stem_len = (uint16_t)n;
	memcpy(t->strings + t->strings_len, out, n);
	t->strings_len += n;
	t->used++;
	return n;
}

/* How many word characters follow from i, counting up to limit + 1. */
static size_t word_run(const unsigned char *s, size_t len, size_t i, size_t limit)
{
	size_t n = 0;
	struct ch c;
	while (i < len && n <= limit) {
		classify(s, len, i, &c);
		if (c.kind == CH_IGNORE) {
			i = c.end;
			continue;
		}
		if (c.kind != CH_WORD)
			break;
		n++;
		i = c.end;
	}
	return n;
}

int tokenize(struct tokenizer *t, const char *text, size_t len, unsigned flags, token_fn fn, void *ctx)
{
	const unsigned char *s = (const unsigned char *)text;
	char term[TOK_TERM_MAX + 8], stem[TOK_TERM_MAX + 8];
	uint32_t pos = 0;
	size_t i = 0, last_end = SIZE_MAX;
	struct ch c, n;
	while (i < len) {
		classify(s, len, i, &c);
		size_t start = i;
		size_t tl = 0, seg = 0, chars = 0;
		bool technical = false, plain = true, truncated = false, lower_prev = false;
		if (c.kind == CH_PUNCT && c.ascii == '.' && c.end < len && i != last_end) {
			classify(s, len, c.end, &n);
			if (n.kind != CH_WORD || n.digit) { /* ".net" yes, ".5" is "5" */
				i = c.end;
				continue;
			}
			term[tl++] = '.';
			technical = true;
			i = c.end;
		} else if (c.kind != CH_WORD) {
			i = c.end;
			continue;
		}
		while (i < len) {
			classify(s, len, i, &c);
			if (c.kind == CH_IGNORE) {
				i = c.end;
				continue;
			}
			if (c.kind == CH_WORD) {
				if (!truncated && tl + c.fold_len <= TOK_TERM_MAX) {
					memcpy(term + tl, c.fold, c.fold_len);
					tl += c.fold_len;
				} else {
					truncated = true;
				}
				if (c.digit)
					technical = true;
				if (!c.plain)
					plain = false;
				lower_prev = c.lower;
				seg++;
				chars++;
				i = c.end;
				continue;
			}
			if (c.kind != CH_PUNCT || tl == 0)
				break;
			bool next_word = false;
			if (c.end < len) {
				classify(s, len, c.end, &n);
				next_word = n.kind == CH_WORD;
			}
			if (c.ascii == '.') {
				if (!next_word || (lower_prev && n.upper))
					break;
			} else if (c.ascii == '/' || c.ascii == '&') {
				if (!next_word || seg > 4 || word_run(s, len, c.end, 4) > 4)
					break;
			} else if (c.ascii == '+') {
				bool letters = plain;
				for (size_t k = 0; k < tl; k++)
					if (term[k] < 'a' || term[k] > 'z')
						letters = false;
				if (!letters)
					break; /* "5+" is "5"; "node.js+" is "node.js" */
				size_t j = i, pluses = 0;
				while (j < len && s[j] == '+' && pluses < 2) {
					j++;
					pluses++;
				}
				if (j < len) {
					classify(s, len, j, &n);
					if (n.kind == CH_WORD)
						break; /* "a+b" is two words */
				}
				if (!truncated && tl + pluses <= TOK_TERM_MAX) {
					memset(term + tl, '+', pluses);
					tl += pluses;
				}
				technical = true;
				i = j;
				break;
			} else { /* '#' after one letter: c#, f# */
				if (chars != 1 || next_word || !plain || technical)
					break;
				term[tl++] = '#';
				technical = true;
				i = c.end;
				break;
			}
			if (!truncated && tl + 1 <= TOK_TERM_MAX)
				term[tl++] = c.ascii;
			technical = true;
			seg = 0;
			i = c.end;
		}
		term[tl] = '\0';
		last_end = i;
		struct token tok = {
			.term = term, .len = tl, .pos = pos++, .start = start, .end = i, .technical = technical
		};
		if ((flags & TOK_STEM) && !technical && plain) {
			tok.len = tokenizer_stem(t, term, tl, stem, sizeof(stem));
			tok.term = stem;
		}
		int rc = fn(ctx, &tok);
		if (rc)
			return rc;
	}
	return 0;
}
