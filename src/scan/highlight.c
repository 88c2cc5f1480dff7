/* scan/highlight — see highlight.h. */
#include "scan/highlight.h"

#include <stdlib.h>
#include <string.h>

#include "scan/words.h"

#define KEYWORD_TOKENS 3 /* jd.h's keywords are 1–3-word phrases */

/* The stems' n-gram hash of tokens [i, i+n) (as resume.c counts them), or 0
 * when a phrase break falls inside. */
static uint64_t gram_key(const struct scan_tokens *t, size_t i, size_t n)
{
	uint64_t key = 0;
	for (size_t k = i; k < i + n; k++) {
		if (k > i && (t->v[k].flags & TOK_BREAK))
			return 0;
		uint64_t stem = words_stem_hash(scan_tok_lower(t, k), t->v[k].len) | 1;
		key = k == i ? stem : scan_hash_join(key, stem);
	}
	return key;
}

/* Marks tokens [tok, tok+ntok) as term's span unless one is taken. */
static void take(const struct scan_tokens *t, uint8_t *used, uint32_t tok, uint32_t ntok, uint32_t term,
		 struct hl_span *spans, size_t *n)
{
	if (!ntok || tok + ntok > t->n)
		return;
	for (uint32_t k = tok; k < tok + ntok; k++)
		if (used[k])
			return;
	memset(used + tok, 1, ntok);
	const struct scan_token *last = &t->v[tok + ntok - 1];
	spans[(*n)++] = (struct hl_span){ .start = t->v[tok].start,
					  .len = last->start + last->len - t->v[tok].start,
					  .term = term };
}

static int by_start(const void *a, const void *b)
{
	const struct hl_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

int scan_highlight(struct arena *a, const struct scan_matcher *m, const char *text, size_t len,
		   const struct hl_term *terms, size_t n, struct hl_span **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	struct scan_doc doc;
	if (scan_doc_init(a, m, text, len, &doc) != 0)
		return -1;
	const struct scan_tokens *t = &doc.toks;
	uint8_t *used = arena_alloc(a, t->n + 1);
	struct hl_span *spans = arena_alloc_raw(a, (t->n + 1) * sizeof(*spans));
	/* Each keyword's key and length in tokens (0: none to look for). */
	uint64_t *keys = arena_alloc(a, (n + 1) * sizeof(*keys));
	uint8_t *ntoks = arena_alloc(a, n + 1);
	if (!used || !spans || !keys || !ntoks)
		return -1;
	for (size_t k = 0; k < n; k++) {
		if (!terms[k].keyword || !terms[k].name)
			continue;
		struct scan_tokens kt;
		if (scan_tokenize(a, terms[k].name, strlen(terms[k].name), &kt) != 0)
			return -1;
		if (kt.n >= 1 && kt.n <= KEYWORD_TOKENS && (keys[k] = gram_key(&kt, 0, kt.n)) != 0)
			ntoks[k] = (uint8_t)kt.n;
	}
	size_t ns = 0;
	/* Skills first, as the matcher found them. */
	for (size_t i = 0; i < doc.n_skills; i++) {
		const char *name = m->tax->skills[doc.skills[i].value].name;
		for (size_t k = 0; k < n; k++) {
			if (!terms[k].keyword && terms[k].name && strcmp(terms[k].name, name) == 0) {
				take(t, used, doc.skills[i].tok, doc.skills[i].ntok, (uint32_t)k, spans, &ns);
				break;
			}
		}
	}
	/* Then keywords, the longest phrase at each token. */
	for (size_t i = 0; i < t->n; i++) {
		for (size_t len_tok = KEYWORD_TOKENS; len_tok >= 1; len_tok--) {
			if (i + len_tok > t->n)
				continue;
			uint64_t key = 0;
			int found = 0;
			for (size_t k = 0; k < n && !found; k++) {
				if (ntoks[k] != len_tok)
					continue;
				if (!key && !(key = gram_key(t, i, len_tok)))
					break;
				if (keys[k] == key) {
					take(t, used, (uint32_t)i, (uint32_t)len_tok, (uint32_t)k, spans, &ns);
					found = 1;
				}
			}
			if (found)
				break;
		}
	}
	qsort(spans, ns, sizeof(*spans), by_start);
	*out = spans;
	*nout = ns;
	return 0;
}
