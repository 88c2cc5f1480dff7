/* snippet — see snippet.h. The text is tokenized once into (byte span,
 * matched query word) pairs; a window of the asked length slides over them
 * keeping per-word counts, and the best window is written out. */
#include "search/snippet.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "search/query.h"
#include "search/tokenize.h"

#define SNIPPET_TERMS 64

struct wanted {
	const char *term[SNIPPET_TERMS];
	bool prefix[SNIPPET_TERMS];
	size_t n;
};

static void collect(const struct qnode *n, struct wanted *w)
{
	switch (n->kind) {
	case Q_TERM:
	case Q_PHRASE:
	case Q_PREFIX:
		for (size_t i = 0; i < n->nterms && w->n < SNIPPET_TERMS; i++) {
			w->prefix[w->n] = n->kind == Q_PREFIX;
			w->term[w->n++] = n->terms[i];
		}
		break;
	case Q_AND:
	case Q_OR:
		for (size_t i = 0; i < n->nkids; i++)
			collect(n->kids[i], w);
		break;
	case Q_NOT:
		break;
	}
}

struct span {
	uint32_t start, end;
	int8_t word; /* index in wanted, -1 for none */
};

struct spans {
	const struct wanted *w;
	struct span *v;
	size_t n, cap;
};

static int add_span(void *ctx, const struct token *tok)
{
	struct spans *s = ctx;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct span *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return 1;
		s->v = v;
		s->cap = cap;
	}
	struct span *sp = &s->v[s->n++];
	sp->start = (uint32_t)tok->start;
	sp->end = (uint32_t)tok->end;
	sp->word = -1;
	for (size_t i = 0; i < s->w->n; i++) {
		size_t len = strlen(s->w->term[i]);
		if (s->w->prefix[i] ? tok->len >= len && memcmp(tok->term, s->w->term[i], len) == 0
				    : tok->len == len && memcmp(tok->term, s->w->term[i], len) == 0) {
			sp->word = (int8_t)i;
			break;
		}
	}
	return 0;
}

int search_snippet(struct tokenizer *t, const struct query *q, const char *text, size_t words, struct buf *out)
{
	struct wanted w = { .n = 0 };
	if (q && q->root)
		collect(q->root, &w);
	if (!words)
		words = SNIPPET_WORDS_DEFAULT;
	size_t len = text ? strlen(text) : 0;
	if (len > SNIPPET_TEXT_MAX)
		len = SNIPPET_TEXT_MAX;
	struct spans s = { .w = &w };
	tokenize(t, text ? text : "", len, TOK_STEM, add_span, &s);
	if (s.n == 0) {
		free(s.v);
		return buf_failed(out);
	}
	/* The window [best, best + words) with the most distinct words, then the most matches. */
	uint32_t count[SNIPPET_TERMS] = { 0 };
	size_t distinct = 0, matches = 0, best = 0, best_distinct = 0, best_matches = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.v[i].word >= 0) {
			matches++;
			if (count[s.v[i].word]++ == 0)
				distinct++;
		}
		if (i >= words && s.v[i - words].word >= 0) {
			matches--;
			if (--count[s.v[i - words].word] == 0)
				distinct--;
		}
		if (distinct > best_distinct || (distinct == best_distinct && matches > best_matches)) {
			best_distinct = distinct;
			best_matches = matches;
			best = i + 1 > words ? i + 1 - words : 0;
		}
	}
	/* Start the window at its first match's sentence-ish neighbourhood: a
	 * few words of context before it. */
	size_t first = best;
	while (first < s.n && first < best + words && s.v[first].word < 0)
		first++;
	if (first < s.n && first > best + 3) {
		best = first - 3;
	}
	size_t end = best + words < s.n ? best + words : s.n;
	if (best > 0)
		buf_puts(out, "\xe2\x80\xa6 ");
	size_t at = s.v[best].start;
	for (size_t i = best; i < end; i++) {
		if (s.v[i].word < 0)
			continue;
		buf_put_html(out, text + at, s.v[i].start - at);
		buf_puts(out, "<mark>");
		buf_put_html(out, text + s.v[i].start, s.v[i].end - s.v[i].start);
		buf_puts(out, "</mark>");
		at = s.v[i].end;
	}
	/* The last word's end, or the text's when the window reaches it ("co."). */
	buf_put_html(out, text + at, (end == s.n ? len : s.v[end - 1].end) - at);
	if (end < s.n)
		buf_puts(out, " \xe2\x80\xa6");
	free(s.v);
	return buf_failed(out);
}
