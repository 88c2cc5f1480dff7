/* sources/emit — follow-up requests of JSON APIs; see emit.h. */
#include "scrape/sources/emit.h"

#include <errno.h>
#include <stdlib.h>

#include "base/arena.h"
#include "scrape/sources/common.h"

struct source_request *src_get_json(struct arena *a, struct source_request_list *out, const char *url, const char *step,
				    const char *context)
{
	struct source_request *r = src_get(a, out, url, REQUEST_API, step);
	if (r) {
		r->accept = "application/json";
		r->context = context;
	}
	return r;
}

int src_post_json(struct arena *a, struct source_request_list *out, const char *url, json_t *body, const char *step,
		  long page, const char *context)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	const char *copy = text ? arena_strdup(a, text) : NULL;
	/* json_dumps allocates with jansson's allocator, which the binary replaces
	 * (web/json_arena.c tags every block): free() would be handed a pointer
	 * malloc never returned. */
	json_free_t free_fn = NULL;
	json_get_alloc_funcs(NULL, &free_fn);
	if (text)
		(free_fn ? free_fn : free)(text);
	struct source_request *r = copy ? src_get(a, out, url, REQUEST_API, step) : NULL;
	if (!r)
		return -ENOMEM;
	r->method = "POST";
	r->body = copy;
	r->content_type = "application/json";
	r->accept = "application/json";
	r->page = page;
	r->context = context;
	return 0;
}
