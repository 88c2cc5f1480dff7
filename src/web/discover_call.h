/* discover_call — what the API and the pages share about "Add a job by
 * URL" (discover/import.h): the instance's import options, and how an
 * outcome answers over HTTP. */
#ifndef JT_WEB_DISCOVER_CALL_H
#define JT_WEB_DISCOVER_CALL_H

#include "discover/import.h"
#include "web/http.h"

/* The import options of this server (--import-private-addresses). */
struct import_options import_options_of(struct request *req);

/* The HTTP status of an outcome and its error code ("no_posting", …; NULL
 * for IMPORT_OK): 201 made / 200 saved before, 422 bad URL, private
 * address, robots.txt or no posting, 502 unreachable, 429, 503/500 store. */
int import_http_status(const struct import_result *r, const char **code);

/* {"title":…,"json_ld_blocks":N,"json_ld_types":[…],"microdata":b,"html":b,
 * "postings_found":N,"adapter":…,"final_url":…,"http_status":N}: what the
 * fetched page showed, for a 422 no_posting. */
void import_found_json(struct buf *b, const struct import_result *r);

#endif
