/* snippet — the highlighted excerpt of a posting's description shown under
 * a search hit: the stretch of the text with the most distinct query words,
 * as escaped HTML with each matching word in <mark>…</mark>.
 *
 * A word matches as the index matched it (the same tokenizer and stems;
 * prefixes by their start), so "engineers" is marked for "engineering".
 * Words under an exclusion are not marked. Pure: the text is the caller's
 * (the index keeps no descriptions; the store has them). */
#ifndef JT_SEARCH_SNIPPET_H
#define JT_SEARCH_SNIPPET_H

#include <stddef.h>

struct buf;
struct query;
struct tokenizer;

#define SNIPPET_WORDS_DEFAULT 30
#define SNIPPET_TEXT_MAX      (256u * 1024) /* longer text is cut before tokenizing */

/* Appends the snippet of text (words: how many words it shows; 0 means
 * SNIPPET_WORDS_DEFAULT) to out: "… some <mark>rust</mark> text …". With no
 * match it is the text's start. 0, or the buffer's error. */
int search_snippet(struct tokenizer *t, const struct query *q, const char *text, size_t words, struct buf *out);

#endif
