#include "web/route.h"

#include <stdio.h>
#include <string.h>

/* Matches one pattern; segments compare literally except {x}, which takes
 * 1–18 digits without a leading zero. */
static int match_pattern(const char *pattern, const char *path, int64_t *params, size_t *n)
{
	const char *p = pattern, *s = path;
	size_t k = 0;
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (!close || k == 4)
				return 0;
			int64_t v = 0;
			size_t digits = 0;
			/* Count a 19th digit (to refuse it) but never multiply it in: that would overflow. */
			while (*s >= '0' && *s <= '9' && digits < 19) {
				if (digits < 18)
					v = v * 10 + (*s - '0');
				s++;
				digits++;
			}
			if (digits == 0 || digits > 18 || (digits > 1 && s[-(long)digits] == '0') || v == 0)
				return 0;
			params[k++] = v;
			p = close + 1;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*p || *s)
		return 0;
	*n = k;
	return 1;
}

const struct route *route_match(enum http_method method, const char *path, int64_t *params, size_t *n_params,
				int *path_known)
{
	*path_known = 0;
	for (size_t i = 0; i < n_routes; i++) {
		size_t n = 0;
		int64_t tmp[4];
		if (!match_pattern(routes[i].pattern, path, tmp, &n))
			continue;
		int same = routes[i].method == method || (method == HTTP_HEAD && routes[i].method == HTTP_GET);
		if (!same) {
			*path_known = 1;
			continue;
		}
		memcpy(params, tmp, sizeof(tmp));
		*n_params = n;
		return &routes[i];
	}
	return NULL;
}

void route_allowed(const char *path, char *out, size_t outlen)
{
	static const char *const names[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER" };
	int seen[HTTP_OTHER + 1] = { 0 };
	for (size_t i = 0; i < n_routes; i++) {
		int64_t tmp[4];
		size_t n = 0;
		if (match_pattern(routes[i].pattern, path, tmp, &n)) {
			seen[routes[i].method] = 1;
			if (routes[i].method == HTTP_GET)
				seen[HTTP_HEAD] = 1;
		}
	}
	size_t len = 0;
	out[0] = '\0';
	for (int m = 0; m < HTTP_OTHER && len < outlen; m++)
		if (seen[m])
			len += (size_t)snprintf(out + len, outlen - len, "%s%s", len ? ", " : "", names[m]);
}

size_t route_index(const struct route *r)
{
	return (size_t)(r - routes);
}
