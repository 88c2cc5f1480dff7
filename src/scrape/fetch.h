/* fetch — the scraper's HTTP engine: many transfers at once over one libcurl
 * multi handle, paced politely per host, retried with backoff, with
 * conditional requests against a cache and hard limits on what a server can
 * make us download.
 *
 * Use: fetch_new(), fetch_add() any number of requests (each with a
 * completion callback), then fetch_run() until it returns. Callbacks run
 * inside fetch_run() and may fetch_add() more requests (the crawler
 * pattern: a listing page queues its detail pages).
 *
 * Politeness is per host, where "host" means host:port of the request's URL
 * (fetch_host_key): at most per_host transfers at once (default 1), and
 * between the starts of two requests to one host at least the request's
 * delay (default 1 s for APIs, 5 s for HTML pages) plus up to half of it
 * again as jitter. A host that answers 403, 429 or 999 block_after times in
 * a row is blocked for block_for_s seconds: its requests then complete with
 * FETCH_BLOCKED without touching the network. Redirects are followed but do
 * not change the host a request is paced under.
 *
 * Retries: timeouts, connection errors, 5xx and 429 are retried up to
 * max_attempts times in all, after an exponential backoff with jitter, or
 * after the server's Retry-After when that is longer. A Retry-After above
 * retry_after_cap_s is not slept: the request fails with FETCH_HTTP_ERROR and
 * the host is blocked until the server's time (at most a week). While a host backs off no
 * other request is started on it.
 *
 * Threads: an engine belongs to the thread that calls fetch_run(); run one
 * engine per thread. fetch_cancel() is the only call safe from another
 * thread. The metrics the engines bump are process-wide and lock-free.
 */
#ifndef JT_SCRAPE_FETCH_H
#define JT_SCRAPE_FETCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct sockaddr;

#define FETCH_HOST_MAX 272 /* "host:port" + NUL: a 253-byte name, IPv6 brackets, a port */

enum fetch_error {
	FETCH_OK = 0,
	FETCH_TIMEOUT,            /* no complete answer in time (total time, connect or low-speed limit) */
	FETCH_TOO_LARGE,          /* the decoded body passed max_body; the transfer was aborted */
	FETCH_TOO_MANY_REDIRECTS, /* more than max_redirects, loops included */
	FETCH_BLOCKED,            /* the host is blocked (refusals in a row, or a Retry-After past the cap) */
	FETCH_DISALLOWED,         /* robots.txt (the robots_allowed hook) said no */
	FETCH_HTTP_ERROR,         /* the server answered with an error status (status says which) */
	FETCH_NETWORK,            /* connection refused or reset, DNS, TLS, a truncated body, … */
	FETCH_CANCELLED,          /* fetch_cancel() was called before the request completed */
	FETCH_BAD_URL,            /* the URL, or a redirect's target, is not an http(s) URL */
};
#define FETCH_ERROR_COUNT 10

/* "ok", "timeout", "too_large", … (the metrics' result label). */
const char *fetch_error_name(enum fetch_error e);

/* Which default delay paces a request; mirrors scrape/source.h's request_kind. */
enum fetch_kind {
	FETCH_API = 0, /* config.api_delay_ms */
	FETCH_HTML,    /* config.html_delay_ms */
};

/* A request's delay_ms that means "no delay at all" (benchmarks, tests). */
#define FETCH_NO_DELAY (-1)

struct fetch;

/* What a conditional request needs from the cache. Every pointer is
 * malloc()ed by the cache's lookup and free()d by the engine. */
struct fetch_cached {
	char *etag;          /* NULL when the response had none */
	char *last_modified; /* NULL when the response had none */
	char *body;          /* NUL-terminated */
	size_t len;
};

/* A store of responses by URL for conditional GETs (ETag / Last-Modified).
 * fetch_dir_cache is one implementation; the engine calls it from the thread
 * that runs it. */
struct fetch_cache {
	void *ctx;
	/* 0 and *out filled, -ENOENT when the URL has no entry, another negative
	 * code on failure (treated as no entry). */
	int (*lookup)(void *ctx, const char *url, struct fetch_cached *out);
	/* Keeps body for url under its validators (either may be NULL, not both).
	 * 0 or a negative code; a failure only costs a later full download. */
	int (*store)(void *ctx, const char *url, const char *etag, const char *last_modified, const char *body,
		     size_t len);
};

/* The robots.txt hook: 1 when url may be fetched through proxy (the
 * request's, else the config's: robots.txt is read the way the request will
 * go); 0 when not, with the reason in why; -EAGAIN when the answer is not known yet (robots.txt still being
 * fetched): the engine asks again a little later, for at most a minute, then
 * completes the request as FETCH_DISALLOWED. Any other negative value counts
 * as disallowed. Called once per request, just before its first attempt. */
typedef int fetch_robots_fn(void *ctx, const char *url, const char *proxy, char *why, size_t whylen);

struct fetch_config {
	unsigned max_total;              /* transfers at once over all hosts (16) */
	unsigned per_host;               /* transfers at once to one host (1) */
	unsigned api_delay_ms;           /* between requests to one host, FETCH_API (1000); 0 = none */
	unsigned html_delay_ms;          /* the same for FETCH_HTML (5000) */
	unsigned max_attempts;           /* attempts per request, the first included (3) */
	unsigned backoff_ms;             /* the first retry's backoff; doubles per retry (1000) */
	unsigned backoff_max_ms;         /* the longest backoff (60000) */
	unsigned retry_after_cap_s;      /* the longest Retry-After honoured by waiting (3600) */
	unsigned block_after;            /* 403/429/999 answers in a row that block a host (3) */
	unsigned block_for_s;            /* how long a host stays blocked (3600) */
	size_t max_body;                 /* bytes of decoded body (10 MiB) */
	unsigned max_redirects;          /* (5) */
	unsigned timeout_ms;             /* whole transfer, per attempt (30000) */
	unsigned connect_timeout_ms;     /* (10000) */
	unsigned low_speed_bytes;        /* abort below this many bytes a second … (100) */
	unsigned low_speed_s;            /* … sustained for this long (15) */
	unsigned max_hosts;              /* distinct hosts remembered; fetch_add fails past it (100000) */
	const char *user_agent;          /* copied; default FETCH_USER_AGENT */
	const char *proxy;               /* "http://…", "socks5h://…"; "" none; NULL: the *_proxy environment */
	const struct fetch_cache *cache; /* borrowed; NULL: no conditional requests */
	fetch_robots_fn *robots_allowed; /* NULL: no robots check */
	void *robots_ctx;
	/* Borrowed; when set, the loop also stops (as fetch_cancel) once it reads
	 * true, checked at least every 100 ms: a flag a signal handler may set. */
	const atomic_bool *cancel_flag;
	/* Optional: called on the loop's thread at least once a second while
	 * fetch_run runs, even when nothing answers (a run's heartbeat while it
	 * waits out a long delay). Not called after cancellation. */
	void (*tick)(void *ctx);
	void *tick_ctx;
	/* Optional: asked with the address of every connection just before it
	 * is opened (after DNS, for redirects too); false refuses it and the
	 * request fails FETCH_NETWORK. Keeps URLs people type off addresses
	 * they must not reach (base/address.h), whatever DNS answers. */
	bool (*address_allowed)(void *ctx, const struct sockaddr *addr, unsigned addrlen);
	void *address_ctx;
};

/* jobtrack/<version> with a URL where a site owner reads who we are. */
#define FETCH_USER_AGENT_FMT "jobtrack/%s (+https://github.com/jobtrack/jobtrack)"

/* The scraper's User-Agent from the settings (base/config.h): user_agent
 * when not empty, else "jobtrack/VERSION (+contact_url)" (NULL or "": the
 * default above). Into out; -E2BIG when it does not fit, else 0. */
int fetch_user_agent_make(char *out, size_t outlen, const char *user_agent, const char *contact_url);

/* Fills every field with its default (the values in parentheses above). */
void fetch_config_defaults(struct fetch_config *c);

/* The outcome of one request, valid only during its callback. */
struct fetch_result {
	enum fetch_error error;
	const char *message;   /* for people: "" on success, else what went wrong and where */
	long status;           /* the last HTTP status, 0 when no response came */
	bool from_cache;       /* a 304 answered: body is the cached copy (status stays 304) */
	const char *url;       /* as requested */
	const char *final_url; /* after redirects; the requested URL when none came */
	const char *host;      /* the politeness key (host:port) */
	const char *content_type, *etag, *last_modified, *retry_after; /* of the last response; NULL when absent */
	char *body;        /* NUL-terminated, never NULL; "" on errors without a body */
	size_t len;        /* body bytes (bodies may hold NULs and invalid UTF-8) */
	unsigned attempts; /* transfers made, 0 when none (blocked, disallowed, cancelled while queued) */
	double seconds;    /* from the first attempt's start to completion, backoff included */
};

/* Called once per request, from fetch_run(). r is valid until it returns;
 * fetch_result_take_body() keeps the body. May call fetch_add(). */
typedef void fetch_done_fn(struct fetch *f, struct fetch_result *r, void *user);

/* Hands r's body to the caller (free() it) and leaves r->body "". NULL when
 * out of memory. */
char *fetch_result_take_body(struct fetch_result *r, size_t *len);

struct fetch_request {
	const char *url;    /* http:// or https:// */
	const char *source; /* the metrics label: an adapter name ("greenhouse"); NULL = "other" */
	enum fetch_kind kind;
	/* 0: the config's delay for kind; > 0: this many ms; FETCH_NO_DELAY: none */
	int delay_ms;
	const char *method; /* "GET" (NULL) or "POST" */
	const char *body;   /* POST body (may hold NULs: body_len), or NULL */
	size_t body_len;
	const char *content_type;   /* of the body, or NULL */
	const char *accept;         /* Accept header, or NULL for none */
	const char *const *headers; /* more "Name: value" lines, NULL-terminated, or NULL */
	const char *proxy;          /* overrides the config's proxy for this request, or NULL */
	unsigned max_attempts;      /* 0: the config's */
	size_t max_body;            /* 0: the config's */
	fetch_done_fn *done;
	void *user;
};

/* A new engine with a copy of config (NULL: defaults). NULL on ENOMEM or
 * when libcurl cannot start. */
struct fetch *fetch_new(const struct fetch_config *config);
/* Frees the engine. Requests still pending are dropped without their
 * callbacks; to have them called with FETCH_CANCELLED, fetch_cancel() and
 * fetch_run() first. Not from a callback. */
void fetch_free(struct fetch *f);

/* Queues a request; every string is copied. 0, or -EINVAL (not an http(s)
 * URL, no callback, a method other than GET/POST), -ENOSPC (max_hosts
 * reached), -ECANCELED (the engine was cancelled), -ENOMEM. The callback is
 * called exactly once when 0 was returned, and never otherwise. */
int fetch_add(struct fetch *f, const struct fetch_request *req);

/* Runs the loop in the calling thread until no request is queued, waiting or
 * running, calling each request's callback as it completes. 0 when idle,
 * -ECANCELED when it stopped because of a cancel (every pending request was
 * completed with FETCH_CANCELLED), -ENOMEM/-EIO when libcurl failed. Not from
 * a callback. */
int fetch_run(struct fetch *f);
/* Stops the engine: fetch_run() completes every pending request with
 * FETCH_CANCELLED and returns; later fetch_add() fail. Safe from any thread. */
void fetch_cancel(struct fetch *f);

/* Counters per host and over the engine. */
struct fetch_stats {
	unsigned long long requests;     /* HTTP transfers started (attempts) */
	unsigned long long pages;        /* requests completed FETCH_OK (from_cache included) */
	unsigned long long not_modified; /* … of which answered from the cache after a 304 */
	unsigned long long bytes;        /* decoded body bytes received */
	unsigned long long errors;       /* requests completed with an error (blocked ones included) */
	unsigned long long blocked;      /* requests refused because their host was blocked */
	unsigned long long retries;      /* attempts after the first */
};

struct fetch_host_status {
	char host[FETCH_HOST_MAX];
	time_t blocked_until;          /* wall clock; 0 when not blocked */
	unsigned consecutive_failures; /* 403/429/999 answers in a row */
	unsigned queued, active;       /* requests waiting for the host, transfers running */
	struct fetch_stats stats;
};

/* The politeness key of url ("example.com:443") into out. 0, or -EINVAL. */
int fetch_host_key(const char *url, char out[FETCH_HOST_MAX]);
/* 0 and *out for a host the engine has seen, -ENOENT otherwise. */
int fetch_host_status(struct fetch *f, const char *host, struct fetch_host_status *out);
/* Calls fn for every host the engine has seen, in no particular order: the
 * caller persists blocked hosts from here (the store keeps them per source). */
void fetch_hosts_each(struct fetch *f, void (*fn)(const struct fetch_host_status *st, void *ctx), void *ctx);
/* Restores a host's persisted state before its requests are added: blocked
 * until blocked_until (wall clock; 0 or a past time: not blocked) with
 * consecutive_failures refusals counted. 0, -EINVAL, -ENOSPC, -ENOMEM. */
int fetch_host_restore(struct fetch *f, const char *host, time_t blocked_until, unsigned consecutive_failures);
/* Totals over every host. */
void fetch_stats(struct fetch *f, struct fetch_stats *out);

/* A fetch_cache on a local directory: one file per URL, named by a hash of
 * it, written to a temporary file and renamed into place, so readers (other
 * processes too) never see half an entry. Past max_bytes in all, the least
 * recently used entries are removed; an entry above a quarter of max_bytes
 * is not kept. Safe to share between threads and processes. */
struct fetch_dir_cache;

/* Opens (creating it, mode 0700) the directory. NULL with *err = -errno. */
struct fetch_dir_cache *fetch_dir_cache_open(const char *dir, size_t max_bytes, int *err);
void fetch_dir_cache_close(struct fetch_dir_cache *dc);
/* The cache interface over dc, valid while dc is open. */
struct fetch_cache fetch_dir_cache_interface(struct fetch_dir_cache *dc);

#endif
