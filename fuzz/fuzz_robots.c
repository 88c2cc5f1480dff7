/* robots.txt as a crawled host serves it, and the URL paths the crawler
 * asks about (scrape/robots.c). The input is three parts: the agent (first
 * line), the path (second line) and the robots.txt body (the rest).
 * Checks: robots_check answers every path within ROBOTS_PATH_MAX and refuses
 * longer ones; a decision is consistent (a rule decided ⇔ it has a line
 * within the file and a text); /robots.txt is always allowed; the decision
 * does not change when the path's unreserved characters are percent-encoded
 * or the agent's case changes; robots_url_split's outputs are well formed. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "fuzz_support.h"
#include "scrape/robots.h"

static const char *next_line(const char **p, const char *end, struct arena *a)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *stop = nl ? nl : end;
	char *s = arena_strndup(a, *p, (size_t)(stop - *p));
	*p = nl ? nl + 1 : end;
	return s;
}

static unsigned count_lines(const char *s, size_t n)
{
	unsigned lines = 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
			lines++;
	return lines;
}

static bool same(const struct robots_decision *a, const struct robots_decision *b)
{
	return a->allowed == b->allowed && a->reason == b->reason && a->line == b->line;
}

/* The path with every unreserved letter and digit written as %XX (upper
 * or lower case hex by position), which must decide the same. */
static char *encode_unreserved(struct arena *a, const char *path)
{
	static const char upper[] = "0123456789ABCDEF", lower[] = "0123456789abcdef";
	size_t n = strcspn(path, "#");
	char *out = arena_alloc_raw(a, 3 * n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c == '%' && i + 2 < n && isxdigit((unsigned char)path[i + 1]) &&
		    isxdigit((unsigned char)path[i + 2])) {
			memcpy(out + o, path + i, 3); /* an escape already: left as it is */
			o += 3;
			i += 2;
		} else if (c < 0x80 && isalnum(c)) {
			const char *hex = i % 2 ? lower : upper;
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	const char *p = (const char *)data, *end = p + size;
	const char *agent = next_line(&p, end, &a);
	const char *path = next_line(&p, end, &a);
	if (!agent || !path)
		goto out;
	size_t body_len = (size_t)(end - p);

	struct robots *r;
	int status = size ? (data[0] % 4 == 0 ? 200 : data[0] % 4 == 1 ? 404 : data[0] % 4 == 2 ? 503 : 200) : 200;
	if (robots_from_response(status, p, body_len, &r))
		abort(); /* only out of memory may fail */

	struct robots_decision d;
	int rc = robots_check(r, agent, path, &d);
	if ((strcspn(path, "#") > ROBOTS_PATH_MAX) != (rc == -EINVAL) || (rc && rc != -EINVAL))
		abort();
	if (rc == 0) {
		if ((d.reason == ROBOTS_RULE) != (d.line != 0) || (d.line != 0) != (d.rule != NULL))
			abort();
		if (d.line > count_lines(p, body_len))
			abort();
		if ((d.reason == ROBOTS_RULE || d.reason == ROBOTS_NO_RULE) != (d.group != NULL))
			abort();
		if (d.reason != ROBOTS_RULE && d.reason != ROBOTS_UNREACHABLE && !d.allowed)
			abort();
		struct robots_decision again;
		if (robots_check(r, agent, path, &again) || !same(&d, &again))
			abort();
		char *encoded = encode_unreserved(&a, path);
		if (encoded && strlen(encoded) <= ROBOTS_PATH_MAX &&
		    (robots_check(r, agent, encoded, &again) || !same(&d, &again)))
			abort();
		char *shouted = arena_strdup(&a, agent);
		for (char *c = shouted; c && *c; c++)
			*c = (char)toupper((unsigned char)*c);
		if (shouted && (robots_check(r, shouted, path, &again) || !same(&d, &again)))
			abort();
	}
	if (robots_check(r, agent, "/robots.txt", &d) || !d.allowed || d.reason != ROBOTS_SELF)
		abort();
	double delay;
	if (robots_crawl_delay(r, agent, &delay) == 0 && !(delay >= 0 && delay <= 86400))
		abort();
	for (size_t i = 0; i < robots_sitemap_count(r); i++)
		if (!robots_sitemap(r, i) || !robots_sitemap(r, i)[0])
			abort();
	robots_release(r);

	/* The path line read as a URL. */
	char origin[256], split[ROBOTS_PATH_MAX + 2];
	if (robots_url_split(path, origin, sizeof(origin), split, sizeof(split)) == 0) {
		if (strncmp(origin, "http", 4) != 0 || split[0] != '/' || strchr(split, '#'))
			abort();
		for (const char *c = origin; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				abort();
	}
out:
	arena_free(&a);
	return 0;
}
