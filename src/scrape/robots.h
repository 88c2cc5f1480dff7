/* robots — robots.txt as RFC 9309 defines it: parsing a body into groups,
 * deciding whether an agent may fetch a path, what a fetch's HTTP status
 * means when there is no body to parse, and a per-host cache the fetch
 * engine asks before every request.
 *
 * Parsing (robots.c) is lenient the way the big crawlers are: a UTF-8 BOM,
 * LF / CRLF / CR line ends, comments, a missing space after the colon, a
 * missing colon ("Disallow /x"), common misspellings of the keys and unknown
 * lines are all accepted; only the first ROBOTS_MAX_BYTES are read (RFC 9309
 * §2.5 asks for at least 500 KiB), without the line the cut falls in.
 *
 * Matching: the caller's agent is reduced to its product token ("jobtrack"
 * of "jobtrack/0.1 (+https://…)") and compared without regard to case with
 * each user-agent line's token; every group naming it applies, merged; when
 * none does, the "*" groups apply; when there are none, nothing is
 * disallowed. Among the rules of those groups the longest matching pattern
 * (in octets, after normalisation) decides, and Allow wins a tie. Patterns
 * may use "*" (any run of octets) and a final "$" (end of the path). Paths
 * and patterns are compared after percent-encoding normalisation: %XX of an
 * unreserved character (A-Z a-z 0-9 - . _ ~) is decoded, other %XX get
 * upper-case hex, octets outside printable ASCII are %XX-encoded. The path
 * includes the query. /robots.txt is always allowed.
 *
 * Ownership: a struct robots is immutable once made and reference counted,
 * so one parse can serve many threads; every string a decision or accessor
 * returns is borrowed from it and lives as long as the caller's reference.
 */
#ifndef JT_SCRAPE_ROBOTS_H
#define JT_SCRAPE_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct buf;

/* How much of a robots.txt is parsed. */
#define ROBOTS_MAX_BYTES     (500u * 1024u)
/* How much a fetcher keeps: one octet more, so the parser can tell that the
 * body was cut and whether its last line was whole. */
#define ROBOTS_FETCH_MAX     (ROBOTS_MAX_BYTES + 1u)
/* The longest path-and-query robots_check accepts (octets, before normalisation). */
#define ROBOTS_PATH_MAX      8192u
/* Redirects followed when fetching a robots.txt (RFC 9309 §2.3.1.2). */
#define ROBOTS_MAX_REDIRECTS 5

struct robots;

enum robots_reason {
	ROBOTS_RULE,        /* a rule matched: decision.line and .rule say which */
	ROBOTS_NO_RULE,     /* the agent's groups have no rule matching the path: allowed */
	ROBOTS_NO_GROUP,    /* no group names the agent and there is no "*" group: allowed */
	ROBOTS_SELF,        /* the path is /robots.txt itself: always allowed */
	ROBOTS_UNAVAILABLE, /* robots.txt answered 4xx or redirected too often: everything allowed */
	ROBOTS_UNREACHABLE, /* 5xx, 429 or no answer at all: everything disallowed */
};

struct robots_decision {
	bool allowed;
	enum robots_reason reason;
	unsigned line;     /* the deciding rule's line (1-based); 0 when no rule decided */
	const char *rule;  /* that line as written, without comment or outer space; NULL when none */
	const char *group; /* the user-agent value that chose the group ("jobtrack", "*"); NULL when none */
};

/* Parses a robots.txt body (any bytes; only the first ROBOTS_MAX_BYTES are
 * read). *out holds one reference. 0, or -ENOMEM. */
int robots_parse(const char *body, size_t len, struct robots **out);

/* The robots of a fetch of /robots.txt that ended with http_status (after
 * following up to ROBOTS_MAX_REDIRECTS redirects; 0 when there was no
 * answer: DNS, connection, TLS, timeout): 2xx parses body; a 3xx left over
 * (too many redirects) and 4xx allow everything; 429, 5xx, 0 and anything
 * else disallow everything (RFC 9309 §2.3.1.3–4; 429 is a request to slow
 * down, so it is not taken as permission). 0, or -ENOMEM. */
int robots_from_response(int http_status, const char *body, size_t len, struct robots **out);

/* Another reference to r; returns r. */
struct robots *robots_retain(struct robots *r);
/* Drops a reference; the last one frees r. NULL is ignored. */
void robots_release(struct robots *r);

/* Decides whether agent (a User-Agent string or just its product token) may
 * fetch path_and_query ("/jobs?page=2"; "" means "/"; a "#fragment" is
 * ignored). 0 and *d filled, or -EINVAL when the path is longer than
 * ROBOTS_PATH_MAX (the caller should not fetch it). */
int robots_check(const struct robots *r, const char *agent, const char *path_and_query, struct robots_decision *d);

/* The Crawl-delay (seconds) of the groups robots_check would pick for
 * agent: the largest when several give one. 0 and *seconds, or -ENOENT. */
int robots_crawl_delay(const struct robots *r, const char *agent, double *seconds);

/* The Sitemap: URLs, in file order (they belong to no group). */
size_t robots_sitemap_count(const struct robots *r);
const char *robots_sitemap(const struct robots *r, size_t i);

/* The HTTP status r was made from (robots_parse: 200). */
int robots_http_status(const struct robots *r);
/* True for the robots of an unreachable robots.txt (everything disallowed). */
bool robots_unreachable(const struct robots *r);
/* True when the body was longer than ROBOTS_MAX_BYTES and was cut. */
bool robots_truncated(const struct robots *r);

/* "rule", "no_rule", "no_group", "robots_txt", "unavailable", "unreachable". */
const char *robots_reason_name(enum robots_reason reason);

/* Splits an absolute http(s) URL into the origin whose robots.txt governs
 * it — "https://example.com", "http://[::1]:8080": scheme and host in lower
 * case, user info and a default port left out — and its path with the query
 * ("/jobs?page=2"; "/" when empty; the fragment dropped). 0, -EINVAL for
 * anything else, -E2BIG when an output does not fit. */
int robots_url_split(const char *url, char *origin, size_t origin_len, char *path, size_t path_len);

/* ---- the per-host cache (robots_cache.c) ---------------------------------- */

/* Fetches robots_url ("https://host/robots.txt"), following up to
 * ROBOTS_MAX_REDIRECTS redirects, into body (its bound is ROBOTS_FETCH_MAX:
 * a fetcher may stop there and still report success), through proxy
 * ("http://…", "socks5h://…"; "" none; NULL: the fetcher's default, e.g. the
 * *_proxy environment), as the requests it governs will go. Sets
 * *http_status to the final status, 0 when no answer came. Returns 0; a
 * negative return is taken as "no answer". Called without any lock held,
 * from the thread that asked the cache. */
typedef int robots_fetch_fn(void *ctx, const char *robots_url, const char *proxy, struct buf *body, int *http_status);

struct robots_cache_options {
	size_t max_entries;     /* hosts remembered; the least recently used goes first. 0: 1024 */
	long ttl_seconds;       /* how long an answer is kept (RFC 9309 §2.4: at most a day). 0: 86400 */
	long error_ttl_seconds; /* how soon an unreachable robots.txt is asked again. 0: 600 */
	robots_fetch_fn *fetch;
	void *fetch_ctx;
	time_t (*now)(void *ctx); /* the clock; NULL: time(). Tests pass their own. */
	void *now_ctx;
	void (*fetch_ctx_free)(void *fetch_ctx); /* called by robots_cache_free; NULL: fetch_ctx is borrowed */
};

struct robots_cache;

/* 0 and *out, -EINVAL (no fetch function), or -ENOMEM. Thread-safe to use
 * from any number of threads once made. */
int robots_cache_new(const struct robots_cache_options *opt, struct robots_cache **out);
/* Frees the cache; no thread may be using it. References handed out stay valid. */
void robots_cache_free(struct robots_cache *c);

/* The robots of origin ("https://example.com", as robots_url_split writes
 * it): the cached one while fresh, otherwise fetched now. Only one thread
 * fetches a given origin at a time; others asking for it wait for that
 * answer. When a fetch finds the host unreachable but a robots.txt read
 * from it is cached, that copy is used until the error TTL passes (§2.4).
 * *out is a reference to robots_release(). 0, or -ENOMEM / -EINVAL. */
int robots_cache_get(struct robots_cache *c, const char *origin, struct robots **out);
/* The same for the robots.txt as seen through proxy (robots_fetch_fn says
 * what it means): a host may answer a proxy otherwise, and behind a required
 * proxy a direct fetch finds nothing, so each proxy has its own entries. */
int robots_cache_get_via(struct robots_cache *c, const char *origin, const char *proxy, struct robots **out);

/* robots_cache_get for url's origin, then robots_check of its path:
 * 1 allowed, 0 disallowed, or a negative error (a bad URL: -EINVAL). */
int robots_cache_allows(struct robots_cache *c, const char *url, const char *agent);
int robots_cache_allows_via(struct robots_cache *c, const char *url, const char *agent, const char *proxy);

/* Hosts currently cached (for tests and metrics). */
size_t robots_cache_size(struct robots_cache *c);

/* ---- fetching with libcurl (robots_fetch.c) ------------------------------- */

/* What robots_fetch_curl is given as ctx (NULL: every default). */
struct robots_fetch_curl_ctx {
	const char *user_agent;  /* NULL: FETCH_USER_AGENT_FMT with this version */
	long connect_timeout_ms; /* 0: 10 s */
	long timeout_ms;         /* the whole transfer; 0: 30 s */
	/* Out: why no answer came (*http_status 0), "" otherwise. Written on
	 * every call, so a context shared by threads must leave it unread. */
	char error[256];
};

/* A robots_fetch_fn over libcurl: a GET with those settings (and proxy), http and https
 * only (redirects too), up to ROBOTS_MAX_REDIRECTS redirects, compressed
 * bodies decoded, at most body's bound kept (a longer body ends the
 * transfer and counts as received). libcurl initialises on the first (base/curl_once.h). */
int robots_fetch_curl(void *ctx, const char *robots_url, const char *proxy, struct buf *body, int *http_status);

#endif
