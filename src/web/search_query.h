/* search_query — the postings search's query string read from a request
 * (search/params.h says what it holds), the same way by the API and the
 * postings page, and the JSON of a result's facets. */
#ifndef JT_WEB_SEARCH_QUERY_H
#define JT_WEB_SEARCH_QUERY_H

#include "search/params.h"
#include "web/http.h"

/* Fills p from the query string; q is parsed with svc (may be NULL: then q
 * is kept as text only and the caller answers 503). 0, or -1 with
 * p->bad_field and p->message for a 400. */
int search_query_parse(struct request *req, struct search_service *svc, int default_limit, struct search_params *p);
/* The hits' postings and their listings, in one store query rather than
 * one per hit: (*ps)[i] is hit i's (id 0 when it is gone). 0 or a store code. */
int search_hits_load(struct request *req, const struct search_result *res, struct store_posting **ps,
		     struct posting_source_group **ls);
/* The request's search as a saved search keeps it (search_params_canonical). */
int search_query_canonical(struct request *req, struct buf *out);
/* The cursor after a page ("i<key>_<id>"), in the request's arena; NULL at the end. */
char *search_cursor_format(struct request *req, const struct search_cursor *c);
/* "facets":{…} members of r, without the key. */
void search_facets_json(struct buf *b, const struct search_facets *f);

#endif
