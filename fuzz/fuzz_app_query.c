/* The listing's query string (GET /api/v1/applications, /list):
 * app_query_parse over arguments decoded as libmicrohttpd hands them over. */
#include <stdlib.h>

#include "fuzz_support.h"
#include "web/app_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	struct fuzz_request fr = { .headers.n = 0 };
	fuzz_kv_split(data, size, &a, &fr.query);
	struct request req;
	fuzz_request_init(&req, &fr);
	struct app_query q;
	const char *field = NULL, *message = NULL;
	if (app_query_parse(&req, &q, 50, &field, &message) == 0) {
		if (q.page < 1 || q.filter.limit < 1 || q.filter.limit > 200 || q.filter.offset < 0 || !q.sort_name)
			abort();
	} else if (!field || !message) {
		abort();
	}
	arena_free(&a);
	return 0;
}
