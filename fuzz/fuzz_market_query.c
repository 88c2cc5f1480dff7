/* The dashboard's salary question (GET /dashboard and
 * /api/v1/analytics/market/salary?title=…&location=…): any bytes as the
 * title and location (split at the first NUL), made into the search
 * language by market_query_text and parsed as the endpoint does. A parse
 * either fails with a message (the endpoint's 400) or gives a tree whose
 * every leaf is kept to the title or location field and which holds no
 * NOT: nothing typed reaches another field or an operator. */
#include <stdlib.h>
#include <string.h>

#include "analytics/market_query.h"
#include "base/arena.h"
#include "base/buf.h"
#include "fuzz_support.h"
#include "search/query.h"
#include "search/tokenize.h"

static void check(const struct qnode *n)
{
	if (n->kind == Q_NOT || n->kind == Q_OR || n->kind == Q_PREFIX)
		abort();
	if (n->kind == Q_AND) {
		for (size_t i = 0; i < n->nkids; i++)
			check(n->kids[i]);
		return;
	}
	if (n->fields != 1u << FIELD_TITLE && n->fields != 1u << FIELD_LOCATION)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tokenizer *tok;
	if (!tok && !(tok = tokenizer_new()))
		abort();
	if (size > 4096)
		return 0;
	/* title NUL location, each NUL-terminated as a query string value is */
	char *copy = malloc(size + 2);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = copy[size + 1] = 0;
	size_t tlen = strlen(copy);
	const char *title = copy, *location = tlen < size ? copy + tlen + 1 : NULL;
	struct buf text;
	buf_init(&text, 1 << 16);
	market_query_text(title, location, &text);
	if (buf_failed(&text))
		abort();
	struct arena a;
	arena_init(&a, 0);
	struct query q;
	struct query_error err;
	if (query_parse(tok, text.data, text.len, &a, &q, &err) == 0) {
		if (q.root)
			check(q.root);
	} else if (!err.message[0]) {
		abort();
	}
	arena_free(&a);
	buf_free(&text);
	free(copy);
	return 0;
}
