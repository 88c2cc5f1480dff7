/* sources/emit — what a parse() writes into its source_result besides
 * postings it fills itself: follow-up requests of JSON APIs (a detail GET
 * that remembers which posting it is for, a JSON POST for Workable's and
 * Workday's list pages) and the dropping of a posting that could not be
 * filled. Everything lives in the arena passed in. */
#ifndef JT_SCRAPE_SOURCES_EMIT_H
#define JT_SCRAPE_SOURCES_EMIT_H

#include <jansson.h>

#include "scrape/source.h"

struct arena;

/* GET url accepting JSON, with step and context (the posting's id) set.
 * NULL on ENOMEM (also when url is NULL, i.e. building it failed). */
struct source_request *src_get_json(struct arena *a, struct source_request_list *out, const char *url, const char *step,
				    const char *context);

/* POST body (serialised compactly; the reference is taken, even on failure)
 * to url as application/json, accepting JSON. 0 or -ENOMEM. */
int src_post_json(struct arena *a, struct source_request_list *out, const char *url, json_t *body, const char *step,
		  long page, const char *context);

/* Takes back the posting posting_list_add just gave out, because the item
 * could not be read, and counts it in out->warnings. */
static inline void src_drop_posting(struct source_result *out)
{
	out->postings.count--;
	out->warnings++;
}

#endif
