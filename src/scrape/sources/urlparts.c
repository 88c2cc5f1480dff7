/* sources/urlparts — URL pieces for adapters; see urlparts.h. */
#include "scrape/sources/urlparts.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>

#include "base/arena.h"

static char *lower_copy(struct arena *a, const char *s, size_t n)
{
	char *out = arena_strndup(a, s, n);
	for (char *c = out; c && *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return out;
}

int url_parts_parse(struct arena *a, const char *url, struct url_parts *out)
{
	memset(out, 0, sizeof(*out));
	if (!url)
		return -EINVAL;
	while (isspace((unsigned char)*url))
		url++;
	const char *p;
	if (strncasecmp(url, "https://", 8) == 0) {
		out->scheme = "https";
		p = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		out->scheme = "http";
		p = url + 7;
	} else {
		return -EINVAL;
	}
	size_t auth = strcspn(p, "/?#");
	const char *at = memchr(p, '@', auth);
	const char *host = at ? at + 1 : p;
	size_t hostlen = (size_t)(p + auth - host);
	const char *colon = memchr(host, ':', hostlen);
	if (colon) {
		const char *port = colon + 1;
		size_t portlen = (size_t)(host + hostlen - port);
		for (size_t i = 0; i < portlen; i++)
			if (!isdigit((unsigned char)port[i]))
				return -EINVAL;
		if (portlen)
			out->port = arena_strndup(a, port, portlen);
		hostlen = (size_t)(colon - host);
	}
	if (hostlen == 0)
		return -EINVAL;
	for (size_t i = 0; i < hostlen; i++)
		if (!isalnum((unsigned char)host[i]) && host[i] != '-' && host[i] != '.' && host[i] != '_')
			return -EINVAL;
	out->host = lower_copy(a, host, hostlen);
	p += auth;
	size_t pathlen = strcspn(p, "?#");
	out->path = pathlen ? arena_strndup(a, p, pathlen) : "/";
	p += pathlen;
	if (*p == '?') {
		p++;
		out->query = arena_strndup(a, p, strcspn(p, "#"));
		if (!out->query)
			return -ENOMEM;
	}
	if (!out->host || !out->path)
		return -ENOMEM;
	return 0;
}

bool url_host_is(const struct url_parts *u, const char *domain)
{
	size_t h = strlen(u->host), d = strlen(domain);
	if (h == d)
		return strcasecmp(u->host, domain) == 0;
	return h > d && u->host[h - d - 1] == '.' && strcasecmp(u->host + h - d, domain) == 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s[0..n); NULL when it would hold a NUL byte. */
static const char *decode(struct arena *a, const char *s, size_t n, bool plus_is_space)
{
	char *out = arena_alloc_raw(a, n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0')
			return NULL;
		out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

const char *url_path_segment(struct arena *a, const struct url_parts *u, int n)
{
	const char *p = u->path;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return NULL;
		size_t len = strcspn(p, "/");
		if (n-- == 0) {
			const char *seg = decode(a, p, len, false);
			return seg && !strchr(seg, '/') ? seg : NULL;
		}
		p += len;
	}
}

const char *url_query_param(struct arena *a, const char *query, const char *name)
{
	size_t nlen = strlen(name);
	for (const char *p = query; p && *p;) {
		size_t len = strcspn(p, "&;");
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=')
			return decode(a, p + nlen + 1, len - nlen - 1, true);
		if (len == nlen && strncmp(p, name, nlen) == 0)
			return "";
		p += len;
		if (*p)
			p++;
	}
	return NULL;
}

const char *url_resolve(struct arena *a, const char *base, const char *href)
{
	if (!href || !*href)
		return NULL;
	xmlChar *built = xmlBuildURI((const xmlChar *)href, (const xmlChar *)(base ? base : ""));
	if (!built)
		return NULL;
	struct url_parts u;
	const char *out = NULL;
	if (url_parts_parse(a, (const char *)built, &u) == 0)
		out = arena_strdup(a, (const char *)built);
	xmlFree(built);
	return out;
}

const char *url_rebase(struct arena *a, const struct source_config *src, const char *url)
{
	if (!url || !src->base_url || !*src->base_url)
		return url;
	const char *p = strstr(url, "://");
	if (!p)
		return url;
	p += 3;
	p += strcspn(p, "/?#");
	size_t blen = strlen(src->base_url);
	while (blen && src->base_url[blen - 1] == '/')
		blen--;
	return arena_printf(a, "%.*s%s", (int)blen, src->base_url, p);
}
