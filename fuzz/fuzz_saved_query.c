/* A saved search's query string (POST /api/v1/saved-searches {"query":…},
 * the postings page's "Save this search" form): search_params_from_string
 * over any bytes. It either fails naming a field with a message, or
 * succeeds with a request inside the documented bounds; then its canonical
 * form (search_params_canonical_string) is made of URL-safe characters
 * only, parses again, and is its own canonical form. */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "fuzz_support.h"
#include "search/params.h"

static void canonical_of(const char *qs, struct arena *a, struct buf *out)
{
	buf_init(out, 64 * 1024);
	if (search_params_canonical_string(qs, a, out))
		abort(); /* it parsed, so it splits */
	for (size_t i = 0; i < out->len; i++) {
		char c = out->data[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("-_.~,%=&", c)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *qs = malloc(size + 1);
	if (!qs)
		return 0;
	memcpy(qs, data, size);
	qs[size] = '\0';
	struct arena a;
	arena_init(&a, 0);
	struct search_params p;
	if (search_params_from_string(qs, &a, NULL, 20, &p)) {
		if (!p.bad_field || !p.message[0])
			abort();
	} else {
		if (p.req.limit < 1 || p.req.limit > SEARCH_QUERY_LIMIT_MAX || p.req.offset < 0 ||
		    p.req.offset + p.req.limit > SEARCH_MAX_WINDOW)
			abort();
		struct buf once, twice;
		canonical_of(qs, &a, &once);
		const char *c1 = once.data ? once.data : "";
		if (strlen(c1) <= SEARCH_PARAMS_MAX_STRING) {
			struct search_params again;
			if (search_params_from_string(c1, &a, NULL, 20, &again))
				abort();
			canonical_of(c1, &a, &twice);
			if (strcmp(c1, twice.data ? twice.data : ""))
				abort();
			buf_free(&twice);
		}
		buf_free(&once);
	}
	arena_free(&a);
	free(qs);
	return 0;
}
