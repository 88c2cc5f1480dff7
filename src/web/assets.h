/* assets — templates and static files compiled into the binary
 * (tools/embed_assets.py writes the table at build time). */
#ifndef JT_WEB_ASSETS_H
#define JT_WEB_ASSETS_H

#include <stddef.h>

struct request;

struct asset {
	const char *name;          /* "static/app.css", "templates/board.mustache" */
	const unsigned char *data; /* NUL-terminated for convenience; len excludes it */
	size_t len;
	const char *etag; /* content hash, 16 hex digits */
	const char *content_type;
};

extern const struct asset assets[];
extern const size_t n_assets;

const struct asset *assets_find(const char *name);
/* Answers GET /static/NAME (with ETag, 304s and long caching for versioned
 * URLs) and returns 1; returns 0 when the path is not a static asset. */
int assets_serve(struct request *req);
/* "/static/app.css?v=ETAG" — a URL that changes whenever the file does. */
void assets_url(const char *name, char *out, size_t outlen);

#endif
