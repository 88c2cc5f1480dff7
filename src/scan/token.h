/* scan/token — the scanner's tokenizer: text into word tokens that keep the
 * punctuation a skill name needs (`C++`, `C#`, `.NET`, `node.js`, `R&D`).
 * Owned by the resume scanner (src/scan/); the taxonomy, the matcher, JD term
 * extraction and resume analysis all tokenize through here, so a pattern and
 * the text it is matched against are always cut the same way.
 *
 * Rules: a token is a run of letters and digits (any non-ASCII letter
 * counts; Unicode punctuation, symbols and private-use icon glyphs do not).
 * Inside a token, '.' and '&' are kept between two letters or digits
 * ("node.js", "3.5", "ph.d", "r&d"); a leading '.' before a letter is kept
 * (".net"); a run of '+' or one '#' right after a token ends it and belongs
 * to it ("c++", "c#", "a+"). A possessive "'s" is dropped ("bachelor's" is
 * "bachelor"). Hyphens and slashes split tokens without breaking a phrase
 * ("front-end" = "front end", "ci/cd"); other punctuation breaks phrases:
 * a multi-word pattern never matches across a comma, a full stop or a line. */
#ifndef JT_SCAN_TOKEN_H
#define JT_SCAN_TOKEN_H

#include <stddef.h>
#include <stdint.h>

struct arena;

enum {
	TOK_BREAK = 1u << 0,      /* punctuation or a line end before it: a phrase cannot span it */
	TOK_LINE_START = 1u << 1, /* first token of its line */
	TOK_SENT_START = 1u << 2, /* first of a line or after . ! ? */
	TOK_UPPER = 1u << 3,      /* starts with an ASCII capital */
	TOK_DIGIT = 1u << 4,      /* all digits */
};

struct scan_token {
	uint32_t start, len; /* bytes of the original text (the possessive "'s" not included) */
	uint32_t line;       /* 0-based line number */
	uint32_t id;         /* vocabulary id (scan_vocab_assign), 0 = not in any pattern */
	uint64_t hash;       /* of the lower-case form */
	uint8_t flags;
};

struct scan_tokens {
	const char *text;  /* the original text */
	const char *lower; /* the same bytes with ASCII letters lower-cased */
	size_t text_len;
	struct scan_token *v;
	size_t n;
	uint32_t lines; /* number of lines */
};

/* Tokenizes text[0..len) into out (arrays in the arena). 0, or -1 when out
 * of memory. */
int scan_tokenize(struct arena *a, const char *text, size_t len, struct scan_tokens *out);

/* FNV-1a of s[0..n): the hash tokens carry. */
static inline uint64_t scan_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Combines token hashes into an n-gram's hash (order matters). */
static inline uint64_t scan_hash_join(uint64_t h, uint64_t next)
{
	return (h ^ (next + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2))) * 1099511628211ull;
}

/* The lower-case bytes of token i. */
static inline const char *scan_tok_lower(const struct scan_tokens *t, size_t i)
{
	return t->lower + t->v[i].start;
}

#endif
