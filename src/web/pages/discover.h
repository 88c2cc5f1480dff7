/* pages/discover — what other pages show of discovery: the settings
 * page's list of hidden postings and companies. */
#ifndef JT_WEB_PAGES_DISCOVER_H
#define JT_WEB_PAGES_DISCOVER_H

#include <jansson.h>

#include "web/http.h"

/* Sets hidden_postings, hidden_companies and their has_* flags on ctx.
 * 0, or a store code (ctx then has none of them). */
int discover_hidden_view(struct request *req, json_t *ctx);

#endif
