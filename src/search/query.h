/* query — the search box's language, parsed into a tree the index runs.
 *
 *   rust backend          both words (AND is implied; "AND" may be written)
 *   rust OR go            either (binds looser than AND; "|" too)
 *   "site reliability"    a phrase: the words next to each other, in order
 *   -java  NOT java       without it (also -"phrase" and -(…)); a query of
 *                         only exclusions is every posting without them
 *   dev*                  any word starting so (at least 2 characters)
 *   title:rust  company:"acme corp"  location:berlin
 *                         only in that field; title:-rust: not in it
 *   (rust OR go) remote   parentheses group
 *
 * AND, OR and NOT are operators in any case ("rust or go"): people type
 * them so far more often than they search for the word itself, which a
 * phrase still finds ("or"). Other languages' boosts (rust^2) and fuzziness
 * (rust~) are refused with a message rather than read as other words.
 *
 * Words go through the tokenizer with stemming, as the index's text does:
 * a word that is several tokens ("full-time", "m/w/d" aside) is a phrase of
 * them, one that is none ("&") is dropped. A prefix is stemmed too ("developer*"
 * finds "developers" and "development"), as PostgreSQL does.
 *
 * A malformed query gets a message for a person and the byte offset it is
 * about; nothing a user types crashes it or is silently read as something
 * else. Bounds: QUERY_MAX_BYTES of text, QUERY_MAX_TERMS words,
 * QUERY_MAX_DEPTH nested parentheses.
 *
 * Ownership: the tree and its strings live in the caller's arena. */
#ifndef JT_SEARCH_QUERY_H
#define JT_SEARCH_QUERY_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct tokenizer;

#define QUERY_MAX_BYTES     1024
#define QUERY_MAX_TERMS     32
#define QUERY_MAX_DEPTH     8
#define QUERY_MAX_PHRASE    16
#define QUERY_MIN_PREFIX    2
#define QUERY_ERROR_MESSAGE 200

/* The fields of a posting, in index order; a leaf's fields are a mask. */
enum search_field { FIELD_TITLE, FIELD_COMPANY, FIELD_LOCATION, FIELD_DESCRIPTION, FIELD_COUNT };
#define FIELDS_ALL ((1u << FIELD_COUNT) - 1)

enum qnode_kind {
	Q_TERM,   /* terms[0] */
	Q_PHRASE, /* terms[0..nterms) at consecutive positions in one field */
	Q_PREFIX, /* any term starting with terms[0] */
	Q_AND,    /* every kid; Q_NOT kids exclude */
	Q_OR,     /* any kid */
	Q_NOT,    /* kids[0] (only inside a Q_AND: one with a positive kid, or the
		   * whole query's) */
};

struct qnode {
	enum qnode_kind kind;
	unsigned fields; /* leaves: a mask of 1u << enum search_field */
	const char **terms;
	size_t nterms;
	struct qnode **kids;
	size_t nkids;
	size_t offset; /* where it starts in the query text */
};

struct query {
	struct qnode *root; /* NULL: the query had no text (every posting matches) */
	size_t nterms;      /* words in all leaves */
};

struct query_error {
	size_t offset; /* byte offset in the query text */
	char message[QUERY_ERROR_MESSAGE];
};

/* 0 and *out, or -EINVAL with *err filled (-ENOMEM: out of memory, err
 * says so too). text need not be NUL-terminated. */
int query_parse(struct tokenizer *t, const char *text, size_t len, struct arena *a, struct query *out,
		struct query_error *err);

/* Whether the query has a word that scores (not only exclusions): without
 * one there is nothing to rank by relevance. */
bool query_scores(const struct query *q);

/* The tree as text, for tests and logs:
 * (and (or t:rust go) "full time" -java dev* title:rust). */
void query_describe(const struct query *q, struct buf *out);

#endif
