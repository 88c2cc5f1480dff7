/* params — the postings search as a query string: the API's and the
 * postings page's URL parameters, and what a saved search keeps.
 *
 *   q, workplace=remote|hybrid|onsite (several: comma-separated), country,
 *   city, min_salary (yearly), currency (alone too), employment_type=FULL_TIME,…,
 *   posted_within_days, source, company, status=open|closed|all,
 *   sort=relevance|date|salary, cursor (next_cursor of a page) or offset,
 *   limit (1–200).
 *
 * Empty parameters count as absent. The parameters come through a lookup
 * function, so a request's URL (web/search_query.h) and a stored string
 * (search_params_from_string) are read by the same code. */
#ifndef JT_SEARCH_PARAMS_H
#define JT_SEARCH_PARAMS_H

#include <stdbool.h>

#include "search/index.h"
#include "search/service.h"

struct arena;
struct buf;

#define SEARCH_QUERY_LIMIT_MAX   200
#define SEARCH_PARAMS_MAX_STRING 2048 /* a stored query string, bytes */
#define SEARCH_PARAMS_MAX_PAIRS  32

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

/* The value of parameter key (the first one when repeated), or NULL. */
typedef const char *search_param_fn(void *ctx, const char *key);

/* Fills p from the parameters get returns; q is parsed with svc into a
 * (svc may be NULL: then q is kept as text only and the caller answers
 * 503). 0, or -1 with p->bad_field and p->message for a 400. */
int search_params_parse(search_param_fn *get, void *ctx, struct arena *a, struct search_service *svc, int default_limit,
			struct search_params *p);
/* The same from a query string ("q=rust&workplace=remote", percent-encoded,
 * '+' a space), decoded into a. -1 with p->bad_field "query" when qs is
 * longer than SEARCH_PARAMS_MAX_STRING, has more than
 * SEARCH_PARAMS_MAX_PAIRS pairs, a bad escape or text that is not UTF-8. */
int search_params_from_string(const char *qs, struct arena *a, struct search_service *svc, int default_limit,
			      struct search_params *p);

/* A next_cursor as text: "i" KEY "_" POSTING_ID, and for relevance the
 * weights (index.h) after '~': DOCS "," 4 average lengths "," the words'
 * document frequencies. At most SEARCH_CURSOR_MAX bytes with the NUL. */
#define SEARCH_CURSOR_MAX 640
void search_cursor_text(const struct search_cursor *c, char out[SEARCH_CURSOR_MAX]);

/* Appends the parameters a saved search keeps (the filters, q and sort; not
 * cursor, offset or limit), non-empty ones only, in a fixed order and
 * percent-encoded, as a query string: two searches that select the same
 * postings come out the same. 0 or buf's error. */
int search_params_canonical(search_param_fn *get, void *ctx, struct buf *out);
/* The same from a query string; -EINVAL when qs cannot be split as above. */
int search_params_canonical_string(const char *qs, struct arena *a, struct buf *out);

#endif
