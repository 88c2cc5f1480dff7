/* tokenize — the one word splitter of job search: postings are indexed and
 * queries are read with it, so a query word finds what the index holds.
 *
 * Rules (tests/unit/test_search_tokenize.c shows each):
 * - UTF-8 in; bytes that are not UTF-8 separate words. Latin letters are
 *   lower-cased and common accents folded ("Zürich" -> "zurich", "ß" ->
 *   "ss", "Œ" -> "oe"); Greek and Cyrillic are lower-cased; other letters
 *   (CJK, …) are kept as they are. Punctuation and symbols separate words.
 * - Technical tokens survive whole: "c++", "c#", "f#", ".net", "node.js",
 *   "asp.net", "ci/cd", "a/b", "tcp/ip", "r&d", "3.5". A '.' joins the
 *   letters on both sides (not a lower-case end and an upper-case start:
 *   "experience.We" is two words; a final '.' ends a sentence); '/' and '&'
 *   join short parts (up to 4 characters each: "frontend/backend" is two
 *   words); trailing "+"/"++" stay on letters ("5+" is "5"); '#' stays
 *   after one letter. '-', '\'', '_' always separate ("full-time" is
 *   "full" "time", as in FTS5 and PostgreSQL).
 * - With TOK_STEM, ordinary words (letters only) are stemmed with the
 *   Snowball English stemmer (libstemmer; the same algorithm PostgreSQL's
 *   'english' configuration uses); technical tokens and anything with a
 *   digit are not ("engineering" -> "engin", "node.js" stays).
 * - Terms are at most TOK_TERM_MAX bytes (longer ones are cut at a
 *   character boundary). Every term takes one position; nothing is
 *   dropped, so phrases match exactly.
 *
 * Ownership: a tokenizer owns its stemmer and a cache of stems (stemming is
 * the slow part; job text repeats a small vocabulary). Not thread-safe: one
 * per thread, or one behind a lock. */
#ifndef JT_SEARCH_TOKENIZE_H
#define JT_SEARCH_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOK_TERM_MAX 64

enum {
	TOK_STEM = 1u << 0, /* stem ordinary words */
};

struct token {
	const char *term; /* NUL-terminated, valid during the callback only */
	size_t len;
	uint32_t pos;      /* 0, 1, 2, … within this call */
	size_t start, end; /* the bytes of text it came from */
	bool technical;    /* kept whole for its punctuation or digits; never stemmed */
};

/* Returns 0 to go on, anything else to stop (tokenize returns it). */
typedef int (*token_fn)(void *ctx, const struct token *tok);

struct tokenizer;

/* NULL when out of memory or libstemmer has no English stemmer. */
struct tokenizer *tokenizer_new(void);
void tokenizer_free(struct tokenizer *t);

/* Calls fn for every term of text[0..len) in order; 0, or what fn returned. */
int tokenize(struct tokenizer *t, const char *text, size_t len, unsigned flags, token_fn fn, void *ctx);

/* text[0..len) as tokenize folds words (lower case, accents folded), every
 * run of other characters one space, none at the ends: "Zürich" ->
 * "zurich", "São-Paulo" -> "sao paulo". For values compared whole (the
 * city and company filters). Writes at most cap - 1 bytes and a NUL (cap >
 * 0; cut at a character boundary); returns the length. Needs no tokenizer:
 * any thread may call it. */
size_t tokenizer_fold(const char *text, size_t len, char *out, size_t cap);

/* The stem of one already folded ordinary word (as tokenize makes it):
 * writes at most cap bytes with a NUL to out; its length. */
size_t tokenizer_stem(struct tokenizer *t, const char *word, size_t len, char *out, size_t cap);

#endif
