/* fixture_site — a site of fixture files served on loopback (http_fixture.h
 * underneath), for suites that drive adapters through the real fetch engine:
 * each request target (path and query, and for a POST a piece of its body)
 * is answered with one file of the suite's fixture folder, robots.txt
 * allows everything unless routed, and every request is logged so a test
 * can check that pages and detail requests reached the server. A target
 * no route answers gets a 404 and is counted as unrouted. */
#ifndef JT_TESTS_FIXTURE_SITE_H
#define JT_TESTS_FIXTURE_SITE_H

#include <stddef.h>

struct fixture_route {
	const char *target;   /* the request target exactly: "/v1/boards/acme/jobs?content=true" */
	const char *body_has; /* NULL, or text the request body must contain (the pages of a POST list) */
	const char *file;     /* under the site's folder */
	const char *body;     /* answered instead of a file when file is NULL */
	int status;           /* 0: 200 */
};

struct fixture_site;

/* Serves routes[0..n) (which must outlive the site) from files under dir.
 * NULL when no port could be opened. */
struct fixture_site *fixture_site_start(const char *dir, const struct fixture_route *routes, size_t n);
/* "http://127.0.0.1:PORT": the base_url that sends a source's requests here. */
const char *fixture_site_base(const struct fixture_site *s);
/* Requests whose target starts with prefix ("" for all; robots.txt counts). */
size_t fixture_site_hits(struct fixture_site *s, const char *prefix);
/* Requests no route answered; their targets go to stderr when any. */
size_t fixture_site_unrouted(struct fixture_site *s);
void fixture_site_stop(struct fixture_site *s);

/* dir/file whole, malloc'd and NUL-terminated, *len its length; NULL when
 * it cannot be read. */
char *fixture_read(const char *dir, const char *file, size_t *len);

#endif
