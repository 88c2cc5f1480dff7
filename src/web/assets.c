#include "web/assets.h"

#include <stdio.h>
#include <string.h>

#include "web/http.h"

const struct asset *assets_find(const char *name)
{
	for (size_t i = 0; i < n_assets; i++)
		if (strcmp(assets[i].name, name) == 0)
			return &assets[i];
	return NULL;
}

int assets_serve(struct request *req)
{
	if ((req->method != HTTP_GET && req->method != HTTP_HEAD) || strncmp(req->path, "/static/", 8) != 0)
		return 0;
	const struct asset *a = assets_find(req->path + 1);
	if (!a)
		return 0;
	char etag[24];
	snprintf(etag, sizeof(etag), "\"%s\"", a->etag);
	resp_header(req, "ETag", etag);
	const char *v = http_query(req, "v");
	/* A versioned URL never changes content, so browsers may keep it for a year. */
	resp_header(req, "Cache-Control",
		    v && strcmp(v, a->etag) == 0 ? "public, max-age=31536000, immutable" : "public, max-age=300");
	const char *inm = http_header(req, "If-None-Match");
	if (inm && strstr(inm, etag)) {
		resp_text(req, 304, NULL, "", 0);
		return 1;
	}
	resp_text(req, 200, a->content_type, (const char *)a->data, a->len);
	return 1;
}

void assets_url(const char *name, char *out, size_t outlen)
{
	const struct asset *a = assets_find(name);
	snprintf(out, outlen, "/%s?v=%s", name, a ? a->etag : "0");
}
