/* The saved-searches box the postings page and the board show: the user's
 * saved searches with their "new since you last looked" counts, and on the
 * postings page a "Save this search" form for the search on screen. */
#ifndef JT_WEB_PAGES_SAVED_SEARCHES_H
#define JT_WEB_PAGES_SAVED_SEARCHES_H

#include <jansson.h>

#include "web/http.h"

/* Sets ctx.saved_box; with offer_save, the request's search (when it has
 * one) becomes the form's query. A store that fails leaves the box out. */
void saved_box_view(struct request *req, json_t *ctx, int offer_save);

#endif
