/* scan/words — general-word helpers for keyword extraction: stop words,
 * the words every posting uses (which say nothing about a job: "experience",
 * "team", "ability"), and a light suffix stemmer so "manage", "managed" and
 * "management" meet. Owned by the resume scanner. Skills never go through
 * the stemmer: they are matched by the taxonomy's own forms. */
#ifndef JT_SCAN_WORDS_H
#define JT_SCAN_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* 1 when the lower-case word s[0..n) is a stop word. */
int words_is_stop(const char *s, size_t n);
/* 1 when it is a word of every posting (not worth a keyword). */
int words_is_generic(const char *s, size_t n);
/* Both at once: WORD_STOP and/or WORD_GENERIC bits (0: neither). */
enum { WORD_STOP = 1, WORD_GENERIC = 2 };
int words_class(const char *s, size_t n);
/* The hash of the word's stem (s lower-case). */
uint64_t words_stem_hash(const char *s, size_t n);

#endif
