/* posting_query — the postings listing's query string (limit, cursor,
 * include_closed), read the same way by the API and the postings page. */
#ifndef JT_WEB_POSTING_QUERY_H
#define JT_WEB_POSTING_QUERY_H

#include "store/store.h"
#include "web/http.h"

#define POSTING_QUERY_LIMIT_MAX 200

/* Fills f from the query. 0, or -1 with the offending parameter and a
 * message for a 400. Empty parameters count as absent. */
int posting_query_parse(struct request *req, int64_t default_limit, struct posting_filter *f, const char **bad_field,
			const char **bad_msg);
/* The cursor's text ("<first_seen>_<id>"), in the request's arena; NULL for
 * the end (id 0). */
char *posting_cursor_format(struct request *req, const struct posting_cursor *c);
/* The listings of a page of postings in one store query: (*groups)[i] are
 * items[i]'s. A store status. */
int posting_page_sources(struct store *s, const struct store_posting *items, size_t n, struct arena *a,
			 struct posting_source_group **groups);

#endif
