/* query — a recursive-descent parser over the query text (see query.h):
 *   or    := and (("OR" | "|" | "||") and)*
 *   and   := unary ("AND"? unary)*       up to ')' , an OR or the end
 *   unary := ('-' | "NOT") prim | prim
 *   prim  := '(' or ')' | [field ':' ['-']] ('"' words '"' | word ['*'])
 * Operator words are matched in any case. Depth is bounded, so the
 * recursion is too. */
#include "search/query.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "search/tokenize.h"

struct parser {
	struct tokenizer *tok;
	struct arena *a;
	const char *s;
	size_t len, i;
	size_t nterms;
	int depth;
	struct query_error *err;
};

static int fail(struct parser *p, size_t offset, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct parser *p, size_t offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	p->err->offset = offset;
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int oom(struct parser *p)
{
	fail(p, p->i, "out of memory");
	return -ENOMEM;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void skip_space(struct parser *p)
{
	while (p->i < p->len && is_space(p->s[p->i]))
		p->i++;
}

/* A word runs to whitespace, a parenthesis or a quote. */
static bool word_char(char c)
{
	return !is_space(c) && c != '(' && c != ')' && c != '"';
}

static size_t word_end(const struct parser *p, size_t i)
{
	while (i < p->len && word_char(p->s[i]))
		i++;
	return i;
}

/* Whether the word at p->i is the operator kw, in any case ("or", "Or"). */
static bool keyword_at(const struct parser *p, const char *kw)
{
	size_t n = strlen(kw);
	return p->len - p->i >= n && strncasecmp(p->s + p->i, kw, n) == 0 && word_end(p, p->i) == p->i + n;
}

/* The length of an OR at p->i ("OR", "or", or the "|" and "||" people
 * type from other search boxes), 0 when there is none. */
static size_t or_at(const struct parser *p)
{
	size_t end = word_end(p, p->i);
	if (keyword_at(p, "OR"))
		return 2;
	if ((end - p->i == 1 && p->s[p->i] == '|') || (end - p->i == 2 && memcmp(p->s + p->i, "||", 2) == 0))
		return end - p->i;
	return 0;
}

static struct qnode *node(struct parser *p, enum qnode_kind kind, size_t offset)
{
	struct qnode *n = arena_alloc(p->a, sizeof(*n));
	if (n) {
		n->kind = kind;
		n->offset = offset;
		n->fields = FIELDS_ALL;
	}
	return n;
}

struct words {
	struct parser *p;
	const char *terms[QUERY_MAX_PHRASE];
	size_t n;
	bool too_many, oom;
};

static int add_word(void *ctx, const struct token *tok)
{
	struct words *w = ctx;
	if (w->n == QUERY_MAX_PHRASE) {
		w->too_many = true;
		return 1;
	}
	w->terms[w->n] = arena_strndup(w->p->a, tok->term, tok->len);
	if (!w->terms[w->n]) {
		w->oom = true;
		return 1;
	}
	w->n++;
	return 0;
}

/* The leaf for text[start..end): *out NULL when it has no words. */
static int leaf(struct parser *p, size_t start, size_t end, bool prefix, unsigned fields, struct qnode **out)
{
	struct words w = { .p = p };
	*out = NULL;
	tokenize(p->tok, p->s + start, end - start, TOK_STEM, add_word, &w);
	if (w.oom)
		return oom(p);
	if (w.too_many)
		return fail(p, start, "a phrase may have at most %d words", QUERY_MAX_PHRASE);
	if (w.n == 0)
		return 0;
	if (prefix && w.n > 1)
		return fail(p, start, "a prefix (*) applies to one word");
	if (prefix && strlen(w.terms[0]) < QUERY_MIN_PREFIX)
		return fail(p, start, "a prefix (*) needs at least %d letters before the *", QUERY_MIN_PREFIX);
	p->nterms += w.n;
	if (p->nterms > QUERY_MAX_TERMS)
		return fail(p, start, "a query may have at most %d words", QUERY_MAX_TERMS);
	struct qnode *n = node(p, prefix ? Q_PREFIX : w.n == 1 ? Q_TERM : Q_PHRASE, start);
	if (!n || !(n->terms = arena_alloc(p->a, w.n * sizeof(*n->terms))))
		return oom(p);
	memcpy(n->terms, w.terms, w.n * sizeof(*n->terms));
	n->nterms = w.n;
	n->fields = fields;
	*out = n;
	return 0;
}

static int parse_or(struct parser *p, struct qnode **out);

/* A field name before ':' at the start of a word, or -1 when the word has
 * none; an unknown name is an error (*unknown set). */
static int field_prefix(struct parser *p, size_t *colon, bool *unknown)
{
	static const char *const names[] = { "title", "company", "location" };
	size_t j = p->i;
	*unknown = false;
	while (j < p->len && ((p->s[j] >= 'a' && p->s[j] <= 'z') || (p->s[j] >= 'A' && p->s[j] <= 'Z')))
		j++;
	if (j == p->i || j >= p->len || p->s[j] != ':')
		return -1;
	*colon = j;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k]) == j - p->i && strncasecmp(names[k], p->s + p->i, j - p->i) == 0)
			return (int)k;
	*unknown = true;
	return -1;
}

/* *neg set when a field's word is excluded in it (title:-rust). */
static int parse_primary(struct parser *p, struct qnode **out, bool *neg)
{
	size_t start = p->i;
	unsigned fields = FIELDS_ALL;
	*out = NULL;
	*neg = false;
	if (p->s[p->i] == '(') {
		if (++p->depth > QUERY_MAX_DEPTH)
			return fail(p, start, "parentheses may nest at most %d deep", QUERY_MAX_DEPTH);
		p->i++;
		int rc = parse_or(p, out);
		if (rc)
			return rc;
		skip_space(p);
		if (p->i >= p->len || p->s[p->i] != ')')
			return fail(p, start, "the parenthesis opened here is not closed");
		p->i++;
		p->depth--;
		return 0;
	}
	size_t colon;
	bool unknown;
	int f = field_prefix(p, &colon, &unknown);
	if (unknown)
		return fail(p, start, "unknown field \"%.*s\": use title:, company: or location:", (int)(colon - start),
			    p->s + start);
	if (f >= 0) {
		fields = 1u << f;
		p->i = colon + 1;
		if (p->i >= p->len || is_space(p->s[p->i]) || p->s[p->i] == ')')
			return fail(p, start, "%.*s: needs a word or a \"phrase\" right after it", (int)(colon - start),
				    p->s + start);
		if (p->s[p->i] == '-') { /* title:-rust: without rust in the title */
			p->i++;
			*neg = true;
			if (p->i >= p->len || is_space(p->s[p->i]) || p->s[p->i] == ')' || p->s[p->i] == '-')
				return fail(p, start, "%.*s:- needs a word or a \"phrase\" right after it",
					    (int)(colon - start), p->s + start);
		}
		if (p->s[p->i] == '(')
			return fail(p, start, "a field applies to one word or a \"phrase\", not to parentheses");
	}
	if (p->s[p->i] == '"') {
		size_t q = p->i++;
		while (p->i < p->len && p->s[p->i] != '"')
			p->i++;
		if (p->i >= p->len)
			return fail(p, q, "the quote opened here is not closed");
		size_t end = p->i++;
		return leaf(p, q + 1, end, false, fields, out);
	}
	size_t end = word_end(p, p->i);
	size_t wstart = p->i;
	p->i = end;
	bool prefix = end > wstart && p->s[end - 1] == '*';
	if (prefix)
		end--;
	for (size_t k = wstart; k < end; k++) {
		if (p->s[k] == '*')
			return fail(p, k, "* may only end a word (a prefix: dev*)");
		/* Other search languages' boosts and fuzziness: the tokenizer
		 * would read rust^2 as the phrase "rust 2" and find nothing. */
		if (p->s[k] == '^')
			return fail(p, k, "^ (a boost) is not supported: remove it and the number after it");
		if (p->s[k] == '~')
			return fail(p, k, "~ (fuzzy or proximity search) is not supported: remove it");
	}
	return leaf(p, wstart, end, prefix, fields, out);
}

static int push(struct parser *p, struct qnode *parent, struct qnode *kid, size_t *cap)
{
	if (parent->nkids == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		struct qnode **k = arena_alloc(p->a, ncap * sizeof(*k));
		if (!k)
			return oom(p);
		if (parent->nkids)
			memcpy(k, parent->kids, parent->nkids * sizeof(*k));
		parent->kids = k;
		*cap = ncap;
	}
	parent->kids[parent->nkids++] = kid;
	return 0;
}

static bool at_and_end(struct parser *p)
{
	skip_space(p);
	return p->i >= p->len || p->s[p->i] == ')' || or_at(p);
}

/* The AND that started at start is the whole query: it began at the start
 * (after blanks) and ends it, with no OR on either side. */
static bool whole_query(struct parser *p, size_t start)
{
	size_t b = 0;
	while (b < p->len && is_space(p->s[b]))
		b++;
	return b == start && p->i >= p->len;
}

/* *out NULL when the group had nothing to search for (all words dropped). */
static int parse_and(struct parser *p, struct qnode **out)
{
	size_t start = p->i, cap = 0;
	struct qnode *and = node(p, Q_AND, start);
	if (!and)
		return oom(p);
	size_t positives = 0, negatives = 0;
	while (!at_and_end(p)) {
		size_t at = p->i;
		if (keyword_at(p, "AND")) {
			p->i += 3;
			if (and->nkids == 0 || at_and_end(p) || keyword_at(p, "AND"))
				return fail(p, at, "AND needs something to search for on both sides");
			continue;
		}
		bool neg = false;
		if (keyword_at(p, "NOT")) {
			p->i += 3;
			if (at_and_end(p) || keyword_at(p, "AND") || keyword_at(p, "NOT") || p->s[p->i] == '-')
				return fail(p, at, "NOT needs a word or a \"phrase\" after it (NOT java, or -java)");
			neg = true;
		} else if (p->s[p->i] == '-') {
			p->i++;
			if (p->i >= p->len || is_space(p->s[p->i]) || p->s[p->i] == ')')
				continue; /* a lone dash is punctuation */
			neg = true;
		}
		struct qnode *kid = NULL;
		bool field_neg;
		int rc = parse_primary(p, &kid, &field_neg);
		if (rc)
			return rc;
		if (field_neg && neg)
			return fail(p, at, "exclude once: -title:rust or title:-rust, not both");
		neg = neg || field_neg;
		if (!kid)
			continue;
		if (neg) {
			struct qnode *n = node(p, Q_NOT, at);
			if (!n || !(n->kids = arena_alloc(p->a, sizeof(*n->kids))))
				return oom(p);
			n->kids[0] = kid;
			n->nkids = 1;
			kid = n;
			negatives++;
		} else {
			positives++;
		}
		if ((rc = push(p, and, kid, &cap)))
			return rc;
	}
	/* Only exclusions: the whole query means "every posting without them";
	 * inside parentheses or beside OR it would match nearly everything, so
	 * ask for a word there instead of guessing. */
	if (positives == 0 && negatives > 0 && (p->depth > 0 || !whole_query(p, start)))
		return fail(p, start,
			    "exclusions (-word) inside parentheses or beside OR need a word to search "
			    "for with them");
	*out = and->nkids == 0 ? NULL : and->nkids == 1 ? and->kids[0] : and;
	return 0;
}

static int parse_or(struct parser *p, struct qnode **out)
{
	size_t start = p->i, cap = 0;
	struct qnode * or = node(p, Q_OR, start);
	if (! or)
		return oom(p);
	*out = NULL;
	for (;;) {
		skip_space(p);
		size_t at = p->i;
		if (or_at(p))
			return fail(p, at, "OR needs something to search for on both sides");
		struct qnode *kid = NULL;
		int rc = parse_and(p, &kid);
		if (rc)
			return rc;
		if (kid && (rc = push(p, or, kid, &cap)))
			return rc;
		skip_space(p);
		size_t n = or_at(p);
		if (!n)
			break;
		size_t at_or = p->i;
		p->i += n;
		skip_space(p);
		if (p->i >= p->len || p->s[p->i] == ')')
			return fail(p, at_or, "OR needs something to search for on both sides");
	}
	*out = or->nkids == 0 ? NULL : or->nkids == 1 ? or->kids[0] : or ;
	return 0;
}

int query_parse(struct tokenizer *t, const char *text, size_t len, struct arena *a, struct query *out,
		struct query_error *err)
{
	struct parser p = { .tok = t, .a = a, .s = text, .len = len, .err = err };
	memset(out, 0, sizeof(*out));
	err->offset = 0;
	err->message[0] = '\0';
	if (len > QUERY_MAX_BYTES)
		return fail(&p, QUERY_MAX_BYTES, "a query may be at most %d bytes long", QUERY_MAX_BYTES);
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\0')
			return fail(&p, i, "the query contains a NUL byte");
	skip_space(&p);
	bool blank = p.i >= len;
	int rc = parse_or(&p, &out->root);
	if (rc)
		return rc;
	skip_space(&p);
	if (p.i < len) /* only a ')' stops the top level early */
		return fail(&p, p.i, "this ) has no ( before it");
	if (!out->root && !blank)
		return fail(&p, 0, "the query has no words to search for (only punctuation)");
	out->nterms = p.nterms;
	return 0;
}

static const char *const field_names[] = { "title", "company", "location", "description" };

static void describe(const struct qnode *n, struct buf *out)
{
	switch (n->kind) {
	case Q_TERM:
	case Q_PHRASE:
	case Q_PREFIX:
		if (n->fields != FIELDS_ALL)
			for (int f = 0; f < FIELD_COUNT; f++)
				if (n->fields & (1u << f))
					buf_printf(out, "%s:", field_names[f]);
		if (n->kind == Q_PHRASE)
			buf_putc(out, '"');
		for (size_t i = 0; i < n->nterms; i++)
			buf_printf(out, "%s%s", i ? " " : "", n->terms[i]);
		buf_puts(out, n->kind == Q_PHRASE ? "\"" : n->kind == Q_PREFIX ? "*" : "");
		break;
	case Q_NOT:
		buf_putc(out, '-');
		describe(n->kids[0], out);
		break;
	case Q_AND:
	case Q_OR:
		buf_puts(out, n->kind == Q_AND ? "(and" : "(or");
		for (size_t i = 0; i < n->nkids; i++) {
			buf_putc(out, ' ');
			describe(n->kids[i], out);
		}
		buf_putc(out, ')');
		break;
	}
}

bool query_scores(const struct query *q)
{
	const struct qnode *n = q->root;
	if (!n || n->kind == Q_NOT)
		return false;
	if (n->kind != Q_AND)
		return true;
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i]->kind != Q_NOT)
			return true;
	return false;
}

void query_describe(const struct query *q, struct buf *out)
{
	if (q->root)
		describe(q->root, out);
	else
		buf_puts(out, "(all)");
}
