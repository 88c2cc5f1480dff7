/* matches_call — "best matches" of a user's resume (scan/best.h) for a
 * request: the resume id from the path, the search's filters from the
 * query string (web/search_query.h, as /api/v1/postings reads them), the
 * signed-in user, and what each failure means for people. Shared by the
 * API (api/matches.c) and the page (pages/matches.c). */
#ifndef JT_WEB_MATCHES_CALL_H
#define JT_WEB_MATCHES_CALL_H

#include "scan/best.h"
#include "web/http.h"
#include "web/search_query.h"

#define MATCHES_DEFAULT_LIMIT 20

struct matches_failure {
	int status;          /* 400, 404, 422, 500, 503 */
	const char *code;    /* "bad_query", "not_found", … */
	const char *message; /* a sentence for people */
	const char *field;   /* the query parameter at fault, or NULL */
};

/* 0 and *out (in the request's arena), or -1 and *why. sp gets the parsed
 * parameters either way (for a form's values). */
int matches_call(struct request *req, struct search_params *sp, struct best_result *out, struct matches_failure *why);

#endif
