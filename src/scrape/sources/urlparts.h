/* sources/urlparts — taking apart the URLs adapters meet: careers URLs an
 * admin pastes (detect), links inside pages, and request URLs a test or
 * self-hosted deployment moves to another origin (source_config.base_url).
 * Only http and https URLs are accepted. Strings live in the arena passed in.
 */
#ifndef JT_SCRAPE_SOURCES_URLPARTS_H
#define JT_SCRAPE_SOURCES_URLPARTS_H

#include <stdbool.h>

#include "scrape/source.h"

struct arena;

struct url_parts {
	const char *scheme; /* "http" or "https", lower case */
	const char *host;   /* lower case, without port or user info */
	const char *port;   /* digits, or NULL */
	const char *path;   /* as written (percent-encoded), "/" when empty */
	const char *query;  /* after '?', without the fragment; NULL when none */
};

/* 0 and *out, or -EINVAL for anything but an absolute http(s) URL with a host. */
int url_parts_parse(struct arena *a, const char *url, struct url_parts *out);

/* true when the host is domain or a subdomain of it ("jobs.example.com" is example.com). */
bool url_host_is(const struct url_parts *u, const char *domain);

/* The n-th (from 0) non-empty path segment, percent-decoded; NULL when there
 * is none or it decodes to something holding a NUL or a '/'. */
const char *url_path_segment(struct arena *a, const struct url_parts *u, int n);

/* A query parameter's value, percent-decoded ('+' is a space); NULL when absent. */
const char *url_query_param(struct arena *a, const char *query, const char *name);

/* href resolved against base ("/jobs/2", "?page=3", "//cdn…"); NULL unless the
 * result is an http(s) URL. */
const char *url_resolve(struct arena *a, const char *base, const char *href);

/* url with its scheme://host[:port] replaced by src->base_url when that is
 * set (tests, self-hosted mirrors); url itself otherwise. */
const char *url_rebase(struct arena *a, const struct source_config *src, const char *url);

#endif
