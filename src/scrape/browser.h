/* browser — rendering pages whose job postings JavaScript builds, with
 * Debian's headless Chromium, for sources whose HTML is empty until scripts
 * run.
 *
 * Each render is one Chromium process (`--headless=new --dump-dom`) in a
 * fresh profile directory that is removed afterwards, started in its own
 * process group so that the whole group (renderer, zygote, GPU process) can
 * be killed when the time limit passes. Chromium runs JavaScript for up to
 * the pool's virtual-time budget (timers are fast-forwarded, network waits
 * are not), then prints the DOM, which is captured up to dom_out's bound.
 * `--no-sandbox` is passed only when running as root, where Chromium's
 * sandbox cannot start.
 *
 * A pool bounds how many Chromium processes run at once (each takes a few
 * hundred MB); further renders wait for a free slot. Thread-safe.
 */
#ifndef JT_SCRAPE_BROWSER_H
#define JT_SCRAPE_BROWSER_H

#include <stdatomic.h>
#include <stddef.h>

struct buf;

/* A sensible bound for a rendered page's DOM (callers init dom_out with it). */
#define BROWSER_DOM_MAX  (10u << 20)
/* Where Debian installs Chromium. */
#define BROWSER_CHROMIUM "/usr/bin/chromium"

struct browser_options {
	const char *chromium;       /* the program; NULL: $JOBTRACK_CHROMIUM, else BROWSER_CHROMIUM */
	unsigned max_concurrent;    /* renders at once; 0: 2 */
	const char *user_agent;     /* NULL: "Mozilla/5.0 (compatible; jobtrack/VERSION)" */
	int virtual_time_budget_ms; /* page time scripts get; 0: 5000 */
	const char *tmp_dir;        /* where profiles go; NULL: $TMPDIR, else /tmp */
};

struct browser_pool;

/* 0 and *out, or -ENOMEM. The strings of opt are copied. */
int browser_pool_new(const struct browser_options *opt, struct browser_pool **out);
/* Frees the pool; no render may be running. */
void browser_pool_free(struct browser_pool *pool);

/* Renders url (http or https) and appends its DOM, as Chromium serialises
 * it after scripts ran, to dom_out. Waits for a free slot first (without a
 * time limit); timeout_ms bounds the render itself, after which Chromium's
 * process group is killed. Returns 0, or with err filled:
 *   -EINVAL     url is not an http(s) URL, or timeout_ms <= 0
 *   -ENOENT     Chromium is not installed where the options say
 *   -ETIMEDOUT  the page did not finish within timeout_ms
 *   -E2BIG      the DOM is larger than dom_out's bound (what fit is kept)
 *   -EIO        Chromium failed (exit status and its last words in err)
 *   -ENOMEM, or another negative errno when a process or pipe could not be made. */
int browser_render(struct browser_pool *pool, const char *url, int timeout_ms, struct buf *dom_out, char *err,
		   size_t errlen);

/* A page jobtrack already fetched (politely: robots.txt, per-host delay,
 * its User-Agent), to be rendered as if Chromium had loaded it from url. */
struct browser_page {
	const char *url;  /* where it came from (after redirects): its origin and base URL */
	const char *html; /* the body as fetched */
	size_t len;
	const char *content_type; /* as fetched (its charset counts); NULL: text/html */
	const char *user_agent;   /* what the page's own requests send; NULL: the pool's */
	const char *proxy;        /* theirs, as the page's fetch had it: "" none, NULL the *_proxy environment */
	/* Asked before each request of the page's scripts (robots.txt): 1
	 * allows it; NULL allows every same-origin request. */
	int (*allowed)(void *ctx, const char *url, const char *proxy, char *why, size_t whylen);
	void *allowed_ctx;
	int timeout_ms; /* the whole render, slot wait excluded */
	/* Borrowed, may be NULL: once it reads true the render stops with
	 * -ECANCELED (a run being cancelled does not wait out its page). */
	const atomic_bool *cancel;
};

/* Renders a fetched page in a fresh Chromium driven over its DevTools pipe
 * (browser_page.c): the document request is answered with page->html, so
 * the page is not fetched a second time; requests of its scripts and
 * frames to the same origin go out (with user_agent, when allowed, at most
 * BROWSER_PAGE_REQUESTS of them), every other request (other origins,
 * images, fonts, media, style sheets) is refused. Scripts run for up to the
 * pool's virtual-time budget; then the DOM is appended to dom_out. Returns
 * as browser_render does. */
#define BROWSER_PAGE_REQUESTS 50
int browser_render_page(struct browser_pool *pool, const struct browser_page *page, struct buf *dom_out, char *err,
			size_t errlen);

/* Ends the Chromium processes browser_render_page keeps idle between
 * renders (a run calls it when it ends; browser_pool_free does too). */
void browser_pool_trim(struct browser_pool *pool);

/* 0 when the pool's Chromium is there to run; else -ENOENT with err saying
 * what to do (install it, point the setting at it, or turn render off). */
int browser_pool_check(const struct browser_pool *pool, char *err, size_t errlen);

#endif
