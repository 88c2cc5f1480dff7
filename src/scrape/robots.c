/* robots — parsing a robots.txt into groups and deciding paths against
 * them; what a fetch's status means; where a URL's robots.txt lives.
 * The rules this follows are written in robots.h. */
#include "scrape/robots.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/text.h"

enum robots_mode {
	MODE_RULES,        /* a parsed body */
	MODE_ALLOW_ALL,    /* robots.txt unavailable */
	MODE_DISALLOW_ALL, /* robots.txt unreachable */
};

struct rule {
	const char *pattern; /* normalised (see normalise()), NUL-terminated */
	size_t pattern_len;
	const char *text; /* the line as written */
	unsigned line;
	bool allow;
};

struct agent {
	const char *value; /* the user-agent value as written */
	size_t token_len;  /* its product token: the leading [A-Za-z_-] octets of value */
	bool star;
};

/* A group is a run of user-agent lines and the lines that follow them up to
 * the next user-agent line that comes after a rule; so the agents and the
 * rules of one group are each contiguous in file order. */
struct group {
	size_t first_agent, n_agents;
	size_t first_rule, n_rules;
	double crawl_delay; /* seconds; negative when the group gives none */
};

struct robots {
	atomic_uint refs;
	enum robots_mode mode;
	int http_status;
	bool truncated;
	struct arena arena; /* every string */
	struct rule *rules;
	size_t n_rules, cap_rules;
	struct agent *agents;
	size_t n_agents, cap_agents;
	struct group *groups;
	size_t n_groups, cap_groups;
	const char **sitemaps;
	size_t n_sitemaps, cap_sitemaps;
};

/* ---- the object ---------------------------------------------------------- */

static struct robots *robots_new(enum robots_mode mode, int http_status)
{
	struct robots *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	atomic_init(&r->refs, 1);
	r->mode = mode;
	r->http_status = http_status;
	arena_init(&r->arena, 0);
	return r;
}

struct robots *robots_retain(struct robots *r)
{
	atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
	return r;
}

void robots_release(struct robots *r)
{
	if (!r || atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) != 1)
		return;
	arena_free(&r->arena);
	free(r->rules);
	free(r->agents);
	free(r->groups);
	free(r->sitemaps);
	free(r);
}

/* Makes room for one more item in a malloc'd array; 0 or -ENOMEM. */
static int grow(void **items, size_t *cap, size_t count, size_t size)
{
	if (count < *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 8;
	void *p = realloc(*items, n * size);
	if (!p)
		return -ENOMEM;
	*items = p;
	*cap = n;
	return 0;
}

/* ---- normalisation and matching ------------------------------------------ */

static bool is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_' || c == '~';
}

/* Writes s[0..n) into out (room for 3n octets) in the one form paths and
 * patterns are compared in: %XX of an unreserved character decoded, other
 * %XX with upper-case hex, a '%' that starts no %XX and every octet outside
 * printable ASCII encoded. '*' and '$' pass through (a pattern's operators,
 * a path's plain characters). Returns the length written. */
static size_t normalise(const char *s, size_t n, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int hi, lo;
		if (c == '%' && i + 2 < n && (hi = text_hex_digit((unsigned char)s[i + 1])) >= 0 &&
		    (lo = text_hex_digit((unsigned char)s[i + 2])) >= 0) {
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
			if (is_unreserved(c)) {
				out[o++] = (char)c;
				continue;
			}
		} else if (c != '%' && c > 0x20 && c < 0x7f) {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '%';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 15];
	}
	return o;
}

/* Whether a normalised pattern matches the start of path (all of it when
 * the pattern ends in '$'). '*' matches any run of octets. With '*' as the
 * only operator, taking each literal piece between stars at its leftmost
 * place is as good as any other choice, so one pass with memmem decides in
 * time linear in the path (a backtracking matcher could take path × pattern
 * steps on a hostile file). */
static bool pattern_matches(const char *p, size_t plen, const char *s, size_t slen)
{
	bool anchored = plen > 0 && p[plen - 1] == '$';
	if (anchored)
		plen--;
	const char *star = memchr(p, '*', plen);
	size_t len = star ? (size_t)(star - p) : plen;
	if (len > slen || memcmp(p, s, len) != 0)
		return false; /* the piece before the first star must start the path */
	if (!star)
		return !anchored || len == slen;
	size_t pi = len + 1, si = len;
	for (;;) {
		const char *next = memchr(p + pi, '*', plen - pi);
		len = next ? (size_t)(next - (p + pi)) : plen - pi;
		if (!next) /* the last piece: anywhere after si, or at the very end when anchored */
			return anchored ? len <= slen - si && memcmp(s + slen - len, p + pi, len) == 0
					: len == 0 || memmem(s + si, slen - si, p + pi, len) != NULL;
		if (len) {
			const char *at = memmem(s + si, slen - si, p + pi, len);
			if (!at)
				return false;
			si = (size_t)(at - s) + len;
		}
		pi += len + 1;
	}
}

/* ---- parsing --------------------------------------------------------------- */

enum key {
	KEY_UNKNOWN,
	KEY_USER_AGENT,
	KEY_ALLOW,
	KEY_DISALLOW,
	KEY_SITEMAP,
	KEY_CRAWL_DELAY,
};

/* Keys as written in the wild, misspellings the big crawlers accept included. */
static const struct {
	const char *name;
	enum key key;
} key_names[] = {
	{ "user-agent", KEY_USER_AGENT },   { "useragent", KEY_USER_AGENT },
	{ "user agent", KEY_USER_AGENT },   { "allow", KEY_ALLOW },
	{ "disallow", KEY_DISALLOW },       { "dissallow", KEY_DISALLOW },
	{ "dissalow", KEY_DISALLOW },       { "disalow", KEY_DISALLOW },
	{ "diasllow", KEY_DISALLOW },       { "disallaw", KEY_DISALLOW },
	{ "sitemap", KEY_SITEMAP },         { "site-map", KEY_SITEMAP },
	{ "crawl-delay", KEY_CRAWL_DELAY }, { "crawldelay", KEY_CRAWL_DELAY },
	{ "crawl delay", KEY_CRAWL_DELAY },
};

static enum key key_of(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (strlen(key_names[i].name) == n && strncasecmp(key_names[i].name, s, n) == 0)
			return key_names[i].key;
	return KEY_UNKNOWN;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static bool is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

/* The product token of a user-agent value or User-Agent string: its leading
 * run of letters, '-' and '_' (RFC 9309 §2.2.1). */
static size_t product_token_len(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_token_char(s[i]))
		i++;
	return i;
}

struct parser {
	struct robots *r;
	bool in_agents; /* the last group line was a user-agent line */
};

static struct group *current_group(struct parser *ps)
{
	return ps->r->n_groups ? &ps->r->groups[ps->r->n_groups - 1] : NULL;
}

static int add_agent(struct parser *ps, const char *value, size_t n)
{
	struct robots *r = ps->r;
	if (!ps->in_agents) {
		if (grow((void **)&r->groups, &r->cap_groups, r->n_groups, sizeof(*r->groups)))
			return -ENOMEM;
		r->groups[r->n_groups++] =
		    (struct group){ .first_agent = r->n_agents, .first_rule = r->n_rules, .crawl_delay = -1 };
		ps->in_agents = true;
	}
	if (grow((void **)&r->agents, &r->cap_agents, r->n_agents, sizeof(*r->agents)))
		return -ENOMEM;
	const char *copy = arena_strndup(&r->arena, value, n);
	if (!copy)
		return -ENOMEM;
	r->agents[r->n_agents++] = (struct agent){
		.value = copy,
		.token_len = product_token_len(value, n),
		.star = n > 0 && value[0] == '*' && (n == 1 || is_blank(value[1])),
	};
	current_group(ps)->n_agents++;
	return 0;
}

static int add_rule(struct parser *ps, bool allow, const char *value, size_t n, const char *text, size_t text_len,
		    unsigned line)
{
	struct robots *r = ps->r;
	struct group *g = current_group(ps);
	if (!g)
		return 0; /* a rule before any user-agent line belongs to no group */
	ps->in_agents = false;
	if (n == 0)
		return 0; /* "Disallow:" allows everything: a rule that matches nothing */
	/* A pattern is a path: "Disallow: private" means /private. */
	bool slash = value[0] != '/' && value[0] != '*';
	char *pattern = arena_alloc_raw(&r->arena, 3 * n + 2);
	if (!pattern)
		return -ENOMEM;
	size_t len = 0;
	if (slash)
		pattern[len++] = '/';
	len += normalise(value, n, pattern + len);
	pattern[len] = '\0';
	const char *copy = arena_strndup(&r->arena, text, text_len);
	if (!copy || grow((void **)&r->rules, &r->cap_rules, r->n_rules, sizeof(*r->rules)))
		return -ENOMEM;
	r->rules[r->n_rules++] =
	    (struct rule){ .pattern = pattern, .pattern_len = len, .text = copy, .line = line, .allow = allow };
	g->n_rules++;
	return 0;
}

/* Crawl-delay belongs to the current group but, as Google reads it, does
 * not end its user-agent lines; values that are not a plain number of
 * seconds (0 to a day) are ignored. */
static void set_crawl_delay(struct parser *ps, const char *value, size_t n)
{
	struct group *g = current_group(ps);
	char num[32];
	if (!g || n == 0 || n >= sizeof(num))
		return;
	memcpy(num, value, n);
	num[n] = '\0';
	char *end;
	double v = strtod(num, &end);
	if (*end != '\0' || !isfinite(v) || v < 0 || v > 86400)
		return;
	if (v > g->crawl_delay)
		g->crawl_delay = v;
}

static int add_sitemap(struct robots *r, const char *value, size_t n)
{
	n = strnlen(value, n); /* a NUL ends the URL: what follows is not part of it */
	if (n == 0)
		return 0;
	const char *copy = arena_strndup(&r->arena, value, n);
	if (!copy || grow((void **)&r->sitemaps, &r->cap_sitemaps, r->n_sitemaps, sizeof(*r->sitemaps)))
		return -ENOMEM;
	r->sitemaps[r->n_sitemaps++] = copy;
	return 0;
}

/* One line, without its line end. */
static int parse_line(struct parser *ps, const char *p, const char *end, unsigned line)
{
	const char *hash = memchr(p, '#', (size_t)(end - p));
	if (hash)
		end = hash;
	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (p == end)
		return 0;
	/* "key: value", or "key value" when the colon is missing */
	const char *sep = memchr(p, ':', (size_t)(end - p));
	if (!sep) {
		sep = p;
		while (sep < end && !is_blank(*sep))
			sep++;
		if (sep == end)
			return 0;
	}
	const char *key_end = sep;
	while (key_end > p && is_blank(key_end[-1]))
		key_end--;
	const char *value = sep + 1;
	while (value < end && is_blank(*value))
		value++;
	size_t n = (size_t)(end - value);
	switch (key_of(p, (size_t)(key_end - p))) {
	case KEY_USER_AGENT:
		return add_agent(ps, value, n);
	case KEY_ALLOW:
	case KEY_DISALLOW:
		return add_rule(ps, key_of(p, (size_t)(key_end - p)) == KEY_ALLOW, value, n, p, (size_t)(end - p),
				line);
	case KEY_SITEMAP:
		return add_sitemap(ps->r, value, n);
	case KEY_CRAWL_DELAY:
		set_crawl_delay(ps, value, n);
		return 0;
	case KEY_UNKNOWN:
		return 0;
	}
	return 0;
}

/* The length of the part of a long body that is parsed: the first
 * ROBOTS_MAX_BYTES without the line the cut falls in, which read alone
 * could say something else ("Allow: /" of "Allow: /public"). */
static size_t parsed_length(const char *body, size_t len)
{
	if (len <= ROBOTS_MAX_BYTES)
		return len;
	size_t n = ROBOTS_MAX_BYTES;
	if (body[n] == '\n' || body[n] == '\r')
		return n;
	while (n > 0 && body[n - 1] != '\n' && body[n - 1] != '\r')
		n--;
	return n;
}

int robots_parse(const char *body, size_t len, struct robots **out)
{
	struct robots *r = robots_new(MODE_RULES, 200);
	if (!r)
		return -ENOMEM;
	size_t n = body ? parsed_length(body, len) : 0;
	r->truncated = n < len;
	const char *p = body, *end = body + n;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	struct parser ps = { .r = r };
	unsigned line = 0;
	while (p < end) {
		const char *eol = p;
		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		if (parse_line(&ps, p, eol, ++line)) {
			robots_release(r);
			return -ENOMEM;
		}
		p = eol;
		if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
			p++; /* CRLF is one line end */
		if (p < end)
			p++;
	}
	*out = r;
	return 0;
}

int robots_from_response(int http_status, const char *body, size_t len, struct robots **out)
{
	if (http_status >= 200 && http_status < 300) {
		int rc = robots_parse(body, len, out);
		if (rc == 0)
			(*out)->http_status = http_status;
		return rc;
	}
	bool unavailable = http_status >= 300 && http_status < 500 && http_status != 429;
	*out = robots_new(unavailable ? MODE_ALLOW_ALL : MODE_DISALLOW_ALL, http_status);
	return *out ? 0 : -ENOMEM;
}

/* ---- deciding ---------------------------------------------------------- */

/* Which agents the groups are chosen by: those naming the product token,
 * or, when no group does, the "*" ones. */
struct agent_choice {
	const char *token;
	size_t token_len;
	bool named;
};

static struct agent_choice choose_agents(const struct robots *r, const char *agent)
{
	struct agent_choice c = { .token = agent ? agent : "" };
	while (is_blank(*c.token))
		c.token++;
	c.token_len = product_token_len(c.token, strlen(c.token));
	for (size_t i = 0; c.token_len && i < r->n_agents && !c.named; i++)
		c.named =
		    r->agents[i].token_len == c.token_len && strncasecmp(r->agents[i].value, c.token, c.token_len) == 0;
	return c;
}

/* The agent line by which group g applies, or NULL when it does not. */
static const struct agent *group_applies(const struct robots *r, const struct group *g, const struct agent_choice *c)
{
	for (size_t i = g->first_agent; i < g->first_agent + g->n_agents; i++) {
		const struct agent *a = &r->agents[i];
		if (c->named ? a->token_len == c->token_len && strncasecmp(a->value, c->token, c->token_len) == 0
			     : a->star)
			return a;
	}
	return NULL;
}

int robots_check(const struct robots *r, const char *agent, const char *path_and_query, struct robots_decision *d)
{
	*d = (struct robots_decision){ .allowed = true };
	const char *path = path_and_query ? path_and_query : "";
	size_t n = strcspn(path, "#");
	if (n > ROBOTS_PATH_MAX)
		return -EINVAL;
	char norm[3 * ROBOTS_PATH_MAX + 2];
	size_t len = 0;
	if (path[0] != '/')
		norm[len++] = '/';
	len += normalise(path, n, norm + len);

	const char *query = memchr(norm, '?', len);
	if ((query ? (size_t)(query - norm) : len) == 11 && memcmp(norm, "/robots.txt", 11) == 0) {
		d->reason = ROBOTS_SELF;
		return 0;
	}
	if (r->mode != MODE_RULES) {
		d->allowed = r->mode == MODE_ALLOW_ALL;
		d->reason = d->allowed ? ROBOTS_UNAVAILABLE : ROBOTS_UNREACHABLE;
		return 0;
	}

	struct agent_choice choice = choose_agents(r, agent);
	const struct rule *best = NULL;
	const struct agent *best_by = NULL;
	for (size_t gi = 0; gi < r->n_groups; gi++) {
		const struct group *g = &r->groups[gi];
		const struct agent *by = group_applies(r, g, &choice);
		if (!by)
			continue;
		if (!d->group)
			d->group = by->value;
		for (size_t i = g->first_rule; i < g->first_rule + g->n_rules; i++) {
			const struct rule *rule = &r->rules[i];
			if (best && (rule->pattern_len < best->pattern_len ||
				     (rule->pattern_len == best->pattern_len && (best->allow || !rule->allow))))
				continue; /* could not beat the best so far */
			if (pattern_matches(rule->pattern, rule->pattern_len, norm, len)) {
				best = rule;
				best_by = by;
			}
		}
	}
	if (!d->group) {
		d->reason = ROBOTS_NO_GROUP;
	} else if (!best) {
		d->reason = ROBOTS_NO_RULE;
	} else {
		d->reason = ROBOTS_RULE;
		d->allowed = best->allow;
		d->line = best->line;
		d->rule = best->text;
		d->group = best_by->value;
	}
	return 0;
}

int robots_crawl_delay(const struct robots *r, const char *agent, double *seconds)
{
	struct agent_choice choice = choose_agents(r, agent);
	double delay = -1;
	for (size_t gi = 0; gi < r->n_groups; gi++)
		if (r->groups[gi].crawl_delay > delay && group_applies(r, &r->groups[gi], &choice))
			delay = r->groups[gi].crawl_delay;
	if (delay < 0)
		return -ENOENT;
	*seconds = delay;
	return 0;
}

size_t robots_sitemap_count(const struct robots *r)
{
	return r->n_sitemaps;
}

const char *robots_sitemap(const struct robots *r, size_t i)
{
	return i < r->n_sitemaps ? r->sitemaps[i] : NULL;
}

int robots_http_status(const struct robots *r)
{
	return r->http_status;
}

bool robots_unreachable(const struct robots *r)
{
	return r->mode == MODE_DISALLOW_ALL;
}

bool robots_truncated(const struct robots *r)
{
	return r->truncated;
}

const char *robots_reason_name(enum robots_reason reason)
{
	switch (reason) {
	case ROBOTS_RULE:
		return "rule";
	case ROBOTS_NO_RULE:
		return "no_rule";
	case ROBOTS_NO_GROUP:
		return "no_group";
	case ROBOTS_SELF:
		return "robots_txt";
	case ROBOTS_UNAVAILABLE:
		return "unavailable";
	case ROBOTS_UNREACHABLE:
		return "unreachable";
	}
	return "unknown";
}

/* ---- URLs ------------------------------------------------------------------ */

int robots_url_split(const char *url, char *origin, size_t origin_len, char *path, size_t path_len)
{
	const char *scheme;
	const char *p;
	if (strncasecmp(url, "http://", 7) == 0) {
		scheme = "http";
		p = url + 7;
	} else if (strncasecmp(url, "https://", 8) == 0) {
		scheme = "https";
		p = url + 8;
	} else {
		return -EINVAL;
	}
	size_t auth_len = strcspn(p, "/?#");
	const char *auth_end = p + auth_len;
	for (const char *q = p; q < auth_end; q++) {
		if ((unsigned char)*q <= 0x20 || *q == 0x7f || *q == '\\')
			return -EINVAL;
		if (*q == '@')
			p = q + 1; /* user info goes */
	}
	const char *host = p, *host_end;
	if (*p == '[') {
		host_end = memchr(p, ']', (size_t)(auth_end - p));
		if (!host_end)
			return -EINVAL;
		host_end++;
	} else {
		host_end = memchr(p, ':', (size_t)(auth_end - p));
		if (!host_end)
			host_end = auth_end;
	}
	if (host_end == host || (host_end < auth_end && *host_end != ':'))
		return -EINVAL;
	long port = 0;
	if (host_end < auth_end) {
		const char *digits = host_end + 1;
		if (auth_end - digits > 5)
			return -EINVAL;
		for (const char *q = digits; q < auth_end; q++) {
			if (*q < '0' || *q > '9')
				return -EINVAL;
			port = port * 10 + (*q - '0');
		}
		if (auth_end > digits && (port < 1 || port > 65535))
			return -EINVAL;
	}
	if (port == (scheme[4] == 's' ? 443 : 80))
		port = 0;
	size_t host_len = (size_t)(host_end - host);
	int w = port ? snprintf(origin, origin_len, "%s://%.*s:%ld", scheme, (int)host_len, host, port)
		     : snprintf(origin, origin_len, "%s://%.*s", scheme, (int)host_len, host);
	if (w < 0 || (size_t)w >= origin_len)
		return -E2BIG;
	for (char *q = origin + strlen(scheme) + 3; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	size_t rest = strcspn(auth_end, "#");
	w = snprintf(path, path_len, "%s%.*s", *auth_end == '/' ? "" : "/", (int)rest, auth_end);
	if (w < 0 || (size_t)w >= path_len)
		return -E2BIG;
	return 0;
}
