/* lex — the small text readers every normaliser shares: Unicode spaces and
 * dashes, word boundaries, phrase matching and folding names into lookup
 * keys. Internal to src/scrape/normalize/.
 *
 * Everything here is byte-oriented and locale-independent: ASCII letters are
 * folded by hand (never tolower(), whose answer depends on the locale), and
 * UTF-8 is decoded just far enough to tell a letter from a symbol. Invalid
 * UTF-8 is read one byte at a time as a symbol, never past the NUL.
 */
#ifndef JT_SCRAPE_NORMALIZE_LEX_H
#define JT_SCRAPE_NORMALIZE_LEX_H

#include <stdbool.h>
#include <stddef.h>

/* Upper bound on the text any normaliser looks at: the first LEX_MAX_TEXT
 * bytes of a salary, date or location line are all there is to read. */
#define LEX_MAX_TEXT 1024

/* The code point at s and its length in bytes (1 for an invalid byte, whose
 * code point is then U+FFFD); 0 bytes at the NUL. */
size_t lex_decode(const char *s, unsigned *cp);

/* Bytes of one space at s: ASCII blanks, NBSP, U+2000–U+200A (thin, figure,
 * en spaces…), U+202F, U+205F, U+3000; 0 when s is not a space. */
size_t lex_space_len(const char *s);
const char *lex_skip_spaces(const char *s);

/* Bytes of one range dash at s: '-', '~', U+2010–U+2015 (hyphens, en and em
 * dashes), U+2212 (minus), U+301C (wave dash); 0 when none. */
size_t lex_dash_len(const char *s);

/* True when a letter or digit starts at s (ASCII, or a non-ASCII letter:
 * anything but Latin-1 symbols, general punctuation, currency and other
 * symbol blocks, CJK punctuation). */
bool lex_word_char_at(const char *s);

/* True when p (inside the string that begins at start) does not continue a
 * word: p is the start, or the character before p is not a word character. */
bool lex_boundary_before(const char *start, const char *p);

static inline char lex_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static inline bool lex_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool lex_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Matches phrase (lower case) at s, ignoring ASCII case. In the phrase a
 * ' ' matches one or more spaces, '-' or '_' in s, and a '/' may have spaces
 * on either side. A phrase ending in a word character must end at a word
 * boundary in s. Returns the bytes of s matched, 0 when it does not match. */
size_t lex_phrase_at(const char *s, const char *phrase);

/* Finds the longest phrase of a NULL-terminated table at s (see
 * lex_phrase_at); its index goes to *index. Returns the bytes matched, 0
 * when none matches. */
size_t lex_longest_phrase_at(const char *s, const char *const *phrases, size_t count, size_t *index);

/* Folds n bytes of s into a lookup key in out[cap]: ASCII lower case, Latin
 * accents dropped ("México" → "mexico", "Łódź" → "lodz"), '.' and
 * apostrophes removed ("U.S." → "us", "Côte d'Ivoire" → "cote divoire"),
 * '&' read as "and", other punctuation and spaces collapsed to one space,
 * trimmed. Other scripts are kept as they are. With split_camel a
 * lower-case letter or digit followed by an upper-case one gets a space
 * between ("FullTime" → "full time"). Returns the key's length; 0 when it is
 * empty or does not fit (out is then ""). */
size_t lex_fold(const char *s, size_t n, bool split_camel, char *out, size_t cap);

/* True when the folded key holds the phrase (as lex_phrase_at reads it) at a
 * word start. */
bool lex_key_has(const char *key, const char *phrase);

#endif
