/* scan/automaton — Aho–Corasick over token ids, with longest-leftmost
 * matching. Owned by the resume scanner: the matcher (matcher.h) compiles
 * the taxonomy's skills, job titles and seniority words, and the education
 * words, into automata that share one vocabulary.
 *
 * The vocabulary gives every distinct lower-case token of every pattern an
 * id; a text token outside it has id 0, which no edge carries, so unknown
 * words cost one hash probe. A pattern written with a leading '=' (the
 * taxonomy's case-sensitive form, "=Go") matches only tokens spelled exactly
 * so: the automaton runs on lower-case ids and each hit of such a pattern is
 * checked against the original bytes. */
#ifndef JT_SCAN_AUTOMATON_H
#define JT_SCAN_AUTOMATON_H

#include <stddef.h>
#include <stdint.h>

#include "scan/token.h"

struct arena;

/* Interned lower-case tokens. Memory: malloc'd, scan_vocab_free. */
struct scan_vocab {
	uint64_t *hash;
	uint32_t *id;
	const char **str; /* lower-case bytes (owned copies) by slot */
	uint32_t *len;
	size_t cap, count;
};

void scan_vocab_free(struct scan_vocab *v);
/* The id of s[0..n) (lower-case), adding it when add; 0 when absent (or out of memory). */
uint32_t scan_vocab_id(struct scan_vocab *v, const char *s, size_t n, uint64_t hash, int add);
/* Sets every token's id from the vocabulary (0 for unknown words). */
void scan_vocab_assign(const struct scan_vocab *v, struct scan_tokens *t);

struct ac_pattern {
	uint32_t ntok;
	int32_t value;
	uint32_t next; /* next pattern ending at the same node, + 1 (0 = none) */
	char *exact;   /* case-sensitive patterns: the tokens' bytes, NUL-separated; else NULL */
};

struct ac {
	/* nodes */
	uint32_t *fail, *out, *dict; /* out/dict: pattern index + 1, node index + 1 (0 = none) */
	size_t nodes, node_cap;
	/* edges: (node << 32 | symbol) -> child, open addressing */
	uint64_t *ekey;
	uint32_t *eval;
	size_t ecap, ecount;
	struct ac_pattern *pat;
	size_t npat, pat_cap;
	/* symbols any pattern uses, as bits: a text token outside them sends
	 * the automaton home without a table probe (most words, for the small
	 * automata, when the vocabulary is shared with a large one) */
	uint64_t *used;
	size_t used_words;
	uint32_t *root; /* the root's child for each symbol (used_words * 64 of them), 0 = none */
	int built;
};

struct ac_hit {
	uint32_t tok;  /* index of the first token (in the text's token array) */
	uint32_t ntok; /* tokens covered, seniority words skipped included */
	int32_t value;
};

int ac_init(struct ac *ac);
void ac_free(struct ac *ac);
/* Adds form (tokenized like text; a leading '=' makes it case-sensitive)
 * with value. 1 when added, 0 when the form has no token, -1 out of memory. */
int ac_add(struct ac *ac, struct scan_vocab *v, const char *form, int32_t value);
/* 1 when some pattern has form's tokens (ignoring case), 0 when none,
 * -1 out of memory. Before ac_build. */
int ac_has(const struct ac *ac, struct scan_vocab *v, const char *form);
/* Computes failure links; no ac_add after. 0 or -1. */
int ac_build(struct ac *ac);

/* Matches tokens t->v[sel[0..nsel)] (sel NULL: every token, nsel = t->n),
 * which must have their vocabulary ids. A pattern never spans a token with
 * TOK_BREAK after its first. Keeps the leftmost, then longest, matches that
 * do not overlap, in text order, in an arena array *out. Returns the number
 * of hits, or -1 when out of memory. */
long ac_match(const struct ac *ac, struct arena *a, const struct scan_tokens *t, const uint32_t *sel, size_t nsel,
	      struct ac_hit **out);

#endif
