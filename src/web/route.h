/* route — the route table and its matcher. routes.c holds the table itself:
 * read it to see every URL the server answers. */
#ifndef JT_WEB_ROUTE_H
#define JT_WEB_ROUTE_H

#include "web/http.h"

typedef void (*handler_fn)(struct request *req);

struct route {
	enum http_method method;
	const char *pattern; /* "/api/v1/applications/{id}": {name} matches a positive integer */
	handler_fn handler;
	enum auth_need auth;
	enum body_kind body;
};

extern const struct route routes[];
extern const size_t n_routes;

/* Finds the route for method + path and fills params. Returns NULL and sets
 * *path_known when the path exists under another method (so: 405, not 404). */
const struct route *route_match(enum http_method method, const char *path, int64_t *params, size_t *n_params,
				int *path_known);
/* Writes the methods path accepts, e.g. "GET, HEAD, POST", for a 405's Allow header. */
void route_allowed(const char *path, char *out, size_t outlen);
/* Index of r in routes[] (for metrics). */
size_t route_index(const struct route *r);

#endif
