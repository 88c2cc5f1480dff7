/* sources/crawl_url — which links a crawl follows, and in what spelling;
 * see crawl.h. Resolution is libxml2's (xmlBuildURI, RFC 3986 with dot
 * segments removed); the rest is a few byte checks, because this runs for
 * every link of every page. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <libxml/uri.h>

#include "base/arena.h"
#include "scrape/sources/crawl.h"

#define URL_MAX 2048

/* Extensions of files that are not pages (compared in lower case). */
static const char *const assets[] = {
	"css", "js",   "mjs",   "json", "xml",  "rss", "atom", "png",  "jpg", "jpeg", "gif", "webp", "svg",
	"ico", "bmp",  "avif",  "tif",  "tiff", "pdf", "doc",  "docx", "xls", "xlsx", "ppt", "pptx", "odt",
	"zip", "gz",   "tgz",   "rar",  "7z",   "tar", "mp3",  "mp4",  "m4a", "webm", "mov", "avi",  "wav",
	"ogg", "woff", "woff2", "ttf",  "otf",  "eot", "exe",  "dmg",  "apk", "ics",  "vcf", "txt",  "csv",
};

/* Words in a path or query that mean an account, a cart or a share button:
 * following them logs out a session, fills a cart or opens another site. */
static const char *const avoid[] = {
	"logout",  "log-out",     "log_out", "signout",     "sign-out", "login",     "log-in",      "signin",
	"sign-in", "signup",      "sign-up", "/register",   "/cart",    "checkout",  "wp-admin",    "wp-login",
	"/feed",   "replytocom=", "share=",  "action=edit", "/print/",  "/calendar", "add-to-cart",
};

static bool ieq_prefix(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_asset(const char *path, size_t len)
{
	const char *seg = path;
	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			seg = path + i + 1;
	const char *dot = NULL;
	for (const char *c = seg; c < path + len; c++)
		if (*c == '.')
			dot = c;
	if (!dot)
		return false;
	size_t n = (size_t)(path + len - dot - 1);
	for (size_t i = 0; i < sizeof(assets) / sizeof(assets[0]); i++)
		if (strlen(assets[i]) == n && strncasecmp(dot + 1, assets[i], n) == 0)
			return true;
	return false;
}

static bool has_avoided_word(const char *s)
{
	char low[URL_MAX + 1];
	size_t n = 0;
	for (; s[n] && n < URL_MAX; n++)
		low[n] = (char)tolower((unsigned char)s[n]);
	low[n] = '\0';
	/* A word counts where no letter follows it: "/register" is avoided,
	 * "/jobs/registered-nurse" is not. */
	for (size_t i = 0; i < sizeof(avoid) / sizeof(avoid[0]); i++) {
		size_t wl = strlen(avoid[i]);
		for (const char *hit = strstr(low, avoid[i]); hit; hit = strstr(hit + 1, avoid[i]))
			if (!isalpha((unsigned char)hit[wl]))
				return true;
	}
	return false;
}

/* Writes url's origin into out; *rest points at what follows it. */
static bool split_origin(const char *url, char *out, size_t outlen, const char **rest)
{
	size_t slen;
	bool https;
	if (ieq_prefix(url, "http://")) {
		slen = 7;
		https = false;
	} else if (ieq_prefix(url, "https://")) {
		slen = 8;
		https = true;
	} else {
		return false;
	}
	const char *auth = url + slen;
	size_t alen = strcspn(auth, "/?#");
	if (alen == 0 || memchr(auth, '@', alen))
		return false; /* no host, or user info (never a link a site means us to follow) */
	size_t hlen = alen;
	/* A port after the host (and after "]" for IPv6 literals). */
	const char *close = memchr(auth, ']', alen);
	const char *colon = memchr(close ? close : auth, ':', alen - (size_t)((close ? close : auth) - auth));
	const char *port = NULL;
	if (colon) {
		hlen = (size_t)(colon - auth);
		port = colon + 1;
		size_t plen = alen - hlen - 1;
		if ((plen == 2 && !https && strncmp(port, "80", 2) == 0) ||
		    (plen == 3 && https && strncmp(port, "443", 3) == 0) || plen == 0)
			port = NULL;
	}
	if (hlen == 0 || slen + alen + 1 > outlen)
		return false;
	size_t o = 0;
	for (size_t i = 0; i < slen + hlen; i++)
		out[o++] = (char)tolower((unsigned char)url[i]);
	if (port) {
		size_t plen = alen - hlen - 1;
		for (size_t i = 0; i < plen; i++)
			if (!isdigit((unsigned char)port[i]))
				return false;
		out[o++] = ':';
		memcpy(out + o, port, plen);
		o += plen;
	}
	out[o] = '\0';
	*rest = auth + alen;
	return true;
}

bool crawl_origin(const char *url, char *out, size_t outlen)
{
	const char *rest;
	return url && split_origin(url, out, outlen, &rest);
}

bool crawl_same_site(const char *url, const char *site)
{
	char origin[300];
	return crawl_origin(url, origin, sizeof(origin)) && strcmp(origin, site) == 0;
}

const char *crawl_url_normalize(struct arena *a, const char *base, const char *href, size_t href_len)
{
	while (href_len && isspace((unsigned char)*href)) {
		href++;
		href_len--;
	}
	while (href_len && isspace((unsigned char)href[href_len - 1]))
		href_len--;
	if (href_len == 0 || href_len > URL_MAX || href[0] == '#' || memchr(href, '\0', href_len))
		return NULL;
	/* A scheme other than http(s) ("mailto:", "javascript:", "tel:"). */
	size_t lead = 0;
	while (lead < href_len &&
	       (isalnum((unsigned char)href[lead]) || href[lead] == '+' || href[lead] == '-' || href[lead] == '.'))
		lead++;
	if (lead < href_len && href[lead] == ':' && lead > 0 && !(lead == 4 && strncasecmp(href, "http", 4) == 0) &&
	    !(lead == 5 && strncasecmp(href, "https", 5) == 0))
		return NULL;
	char text[URL_MAX + 1];
	memcpy(text, href, href_len);
	text[href_len] = '\0';
	xmlChar *built = xmlBuildURI((const xmlChar *)text, (const xmlChar *)(base ? base : ""));
	if (!built)
		return NULL;
	const char *out = NULL;
	char origin[300];
	const char *rest;
	if (split_origin((const char *)built, origin, sizeof(origin), &rest)) {
		size_t rlen = strcspn(rest, "#");
		size_t plen = strcspn(rest, "?#");
		if (!is_asset(rest, plen) && !has_avoided_word(rest) && strlen(origin) + rlen + 1 <= URL_MAX)
			out = arena_printf(a, "%s%s%.*s", origin, plen == 0 ? "/" : "", (int)rlen, rest);
	}
	xmlFree(built);
	return out;
}

bool crawl_url_promising(const char *url)
{
	static const char *const words[] = { "job",     "career",   "position", "opening", "vacanc",
					     "stellen", "karriere", "emploi",   "page=",   "/p/" };
	char low[URL_MAX + 1];
	size_t n = 0;
	for (; url[n] && n < URL_MAX; n++)
		low[n] = (char)tolower((unsigned char)url[n]);
	low[n] = '\0';
	const char *path = strstr(low, "://");
	path = path ? path + 3 + strcspn(path + 3, "/") : low;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(path, words[i]))
			return true;
	return false;
}
