/* The If-Match header of PATCH and DELETE (row_version_expected): the
 * input is the header's value; a listed row is at version 2. */
#include <stdlib.h>

#include "fuzz_support.h"
#include "web/api/row_version.h"

static int current(struct request *req, int64_t *version)
{
	(void)req;
	*version = 2;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	struct fuzz_request fr = { .headers.n = 1 };
	fr.headers.items[0].key = "If-Match";
	fr.headers.items[0].value = fuzz_str(&a, data, size);
	struct request req;
	fuzz_request_init(&req, &fr);
	if (fr.headers.items[0].value && row_version_expected(&req, current) < -1)
		abort();
	arena_free(&a);
	return 0;
}
