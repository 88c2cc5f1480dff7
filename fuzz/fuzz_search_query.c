/* The search box's text (GET /api/v1/postings?q=…, the search page):
 * query_parse over any bytes. A parse either succeeds with a tree whose
 * shape query.h promises (leaves have words, NOT only inside an AND with a
 * positive kid or at the top, where the whole query may be exclusions,
 * bounded words) or fails with a message and an offset
 * inside the text; the tree also prints (query_describe). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "fuzz_support.h"
#include "search/query.h"
#include "search/tokenize.h"

/* top: the whole query, which may be only exclusions (a NOT, or an AND of
 * NOTs); anywhere else an AND needs a positive kid. */
static size_t check(const struct qnode *n, int depth, bool top)
{
	size_t words = 0;
	if (depth > 2 * QUERY_MAX_DEPTH + 4)
		abort();
	switch (n->kind) {
	case Q_TERM:
	case Q_PREFIX:
		if (n->nterms != 1 || !n->terms[0][0] || n->nkids)
			abort();
		return 1;
	case Q_PHRASE:
		if (n->nterms < 2 || n->nterms > QUERY_MAX_PHRASE)
			abort();
		return n->nterms;
	case Q_NOT:
		if (!top || n->nkids != 1) /* otherwise only as an AND's kid, checked there */
			abort();
		return check(n->kids[0], depth + 1, false);
	case Q_AND:
	case Q_OR: {
		size_t positive = 0;
		if (n->nkids < 2)
			abort();
		for (size_t i = 0; i < n->nkids; i++) {
			const struct qnode *k = n->kids[i];
			if (k->kind == Q_NOT) {
				if (n->kind != Q_AND || k->nkids != 1)
					abort();
				k = k->kids[0];
			} else {
				positive++;
			}
			words += check(k, depth + 1, false);
		}
		if (!positive && !(top && n->kind == Q_AND))
			abort();
		return words;
	}
	}
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tokenizer *tok;
	if (!tok && !(tok = tokenizer_new()))
		abort();
	struct arena a;
	arena_init(&a, 0);
	struct query q;
	struct query_error err;
	int rc = query_parse(tok, (const char *)data, size, &a, &q, &err);
	if (rc == 0) {
		if (q.root && check(q.root, 0, true) != q.nterms)
			abort();
		if (q.nterms > QUERY_MAX_TERMS)
			abort();
		struct buf b;
		buf_init(&b, 1 << 20);
		query_describe(&q, &b);
		if (buf_failed(&b))
			abort();
		buf_free(&b);
	} else if (!err.message[0] || err.offset > size) {
		abort();
	}
	arena_free(&a);
	return 0;
}
