/* search_query — the postings search's query string (q and the filters,
 * sort, cursor/offset, limit), read the same way by the API and the
 * postings page, and the JSON of a result's facets.
 *
 *   q, workplace=remote|hybrid|onsite (several: comma-separated), country,
 *   city, min_salary (yearly), currency, employment_type=FULL_TIME,…,
 *   posted_within_days, source, company, status=open|closed|all,
 *   sort=relevance|date|salary, cursor (next_cursor of a page) or offset,
 *   limit (1–200).
 *
 * Empty parameters count as absent. */
#ifndef JT_WEB_SEARCH_QUERY_H
#define JT_WEB_SEARCH_QUERY_H

#include <stdbool.h>

#include "search/index.h"
#include "search/service.h"
#include "web/http.h"

#define SEARCH_QUERY_LIMIT_MAX 200

struct search_params {
	struct search_request req;
	struct query query;
	const char *q;     /* the text, NULL when absent */
	bool any_filter;   /* a filter or sort was given (the store's listing cannot answer) */
	bool sort_given;   /* sort= was given */
	bool closed_given; /* status= or include_closed= was given */
	int default_limit; /* limit when absent */
	char message[QUERY_ERROR_MESSAGE + 64];
	const char *bad_field;
};

/* Fills p from the query string; q is parsed with svc (may be NULL: then q
 * is kept as text only and the caller answers 503). 0, or -1 with
 * p->bad_field and p->message for a 400. */
int search_query_parse(struct request *req, struct search_service *svc, int default_limit, struct search_params *p);
/* The hits' postings and their listings, in one store query rather than
 * one per hit: (*ps)[i] is hit i's (id 0 when it is gone). 0 or a store code. */
int search_hits_load(struct request *req, const struct search_result *res, struct store_posting **ps,
		     struct posting_source_group **ls);
/* The same from any source of parameters (the CLI's options): get returns
 * a parameter's value or NULL; the parsed query lives in a. */
typedef const char *(*search_param_fn)(void *ctx, const char *key);
int search_query_parse_from(search_param_fn get, void *ctx, struct arena *a, struct search_service *svc,
			    int default_limit, struct search_params *p);
/* The cursor after a page ("i<key>_<id>"), in the request's arena; NULL at the end. */
char *search_cursor_format(struct request *req, const struct search_cursor *c);
/* "facets":{…} members of r, without the key. */
void search_facets_json(struct buf *b, const struct search_facets *f);

#endif
