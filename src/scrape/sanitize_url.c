/* sanitize_url — which link targets a sanitised description may keep
 * (the rules are in sanitize.h). Browsers strip tabs and newlines from a
 * URL and trim it before reading its scheme, so we do the same first:
 * otherwise "jav&#x09;ascript:" would pass as a relative URL. */
#include "scrape/sanitize.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

static bool is_scheme_char(unsigned char c, bool first)
{
	bool alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	if (first)
		return alpha;
	return alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

/* What follows "scheme:" must look like for each scheme we link to. */
static bool rest_allowed(const char *scheme, size_t scheme_len, const char *rest, size_t n)
{
	if ((scheme_len == 4 && strncasecmp(scheme, "http", 4) == 0) ||
	    (scheme_len == 5 && strncasecmp(scheme, "https", 5) == 0))
		/* "//" and a host: "http:/path" or "http:path" would resolve
		 * against our own origin, "https:///x" has no host. */
		return n > 2 && rest[0] == '/' && rest[1] == '/' && rest[2] != '/' && rest[2] != '\\';
	if (scheme_len == 6 && strncasecmp(scheme, "mailto", 6) == 0)
		return n > 0;
	return false;
}

int sanitize_url(const char *url, size_t len, char *out, size_t cap)
{
	while (len && (unsigned char)url[0] <= 0x20) {
		url++;
		len--;
	}
	while (len && (unsigned char)url[len - 1] <= 0x20)
		len--;
	if (len == 0 || len > SANITIZE_URL_MAX)
		return -EINVAL;

	/* Tabs and newlines go; any other control character refuses the URL. */
	char clean[SANITIZE_URL_MAX];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c < 0x20 || c == 0x7F)
			return -EINVAL;
		clean[n++] = (char)c;
	}

	size_t colon = 0;
	while (colon < n && is_scheme_char((unsigned char)clean[colon], colon == 0))
		colon++;
	if (colon == 0 || colon >= n || clean[colon] != ':')
		return -EINVAL; /* relative, protocol-relative, or no scheme we can read */
	if (!rest_allowed(clean, colon, clean + colon + 1, n - colon - 1))
		return -EINVAL;

	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = clean[i];
		if (i < colon && c >= 'A' && c <= 'Z')
			c = (char)(c + ('a' - 'A'));
		const char *piece = c == ' ' ? "%20" : &c;
		size_t piece_len = c == ' ' ? 3 : 1;
		if (o + piece_len >= cap)
			return -E2BIG;
		memcpy(out + o, piece, piece_len);
		o += piece_len;
	}
	out[o] = '\0';
	return 0;
}
