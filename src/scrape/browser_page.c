/* browser_page — rendering a page jobtrack fetched, in a headless Chromium
 * driven over its DevTools pipe (--remote-debugging-pipe: NUL-separated
 * JSON messages, Chromium reading descriptor 3 and writing 4); browser.h
 * says what callers see.
 *
 * Why jobtrack fetches the page and Chromium only renders it, rather than
 * Chromium loading the URL itself: the page request then goes through the
 * fetch engine like every other one — robots.txt, the per-host delay and
 * concurrency, retries, Retry-After and blocks, the User-Agent, the raw
 * archive — with no second implementation of any of that, and the page is
 * fetched once. Chromium gets the fetched body through the Fetch domain
 * (the document request is answered from it), so the page keeps its real
 * origin and base URL and its scripts' relative requests work. What those
 * scripts load themselves (their JSON API, their bundles) still goes out
 * from Chromium: it is kept to the page's origin (other hosts do not even
 * resolve), asked of robots.txt, capped at BROWSER_PAGE_REQUESTS a page,
 * sent with jobtrack's User-Agent and cut off by the render's time limit.
 * Images, fonts, media and style sheets are never loaded: the DOM does not
 * need them. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json_out.h"
#include "base/text.h"
#include "scrape/browser.h"
#include "scrape/browser_internal.h"

/* A message from Chromium: the DOM comes JSON-escaped, so up to twice its
 * bound, with room for the envelope. */
#define IN_MAX  (2 * BROWSER_DOM_MAX + (1u << 20))
/* A command to Chromium: the page, base64-encoded, is the largest. */
#define OUT_MAX (2 * BROWSER_DOM_MAX + (1u << 20))

struct cdp {
	int wr, rd; /* our ends of its descriptors 3 and 4 */
	struct buf in, out;
	long next_id;
	char session[128];
	int64_t deadline;
	const atomic_bool *cancel; /* the page's: set, the render stops */
};

/* Reads what Chromium wrote, waiting up to wait_ms. 0, -EPIPE (it closed
 * the pipe: exited), -E2BIG, or -ENOMEM. */
static int fill(struct cdp *c, int wait_ms)
{
	struct pollfd pfd = { .fd = c->rd, .events = POLLIN };
	if (poll(&pfd, 1, wait_ms) <= 0)
		return 0;
	char chunk[65536];
	for (;;) {
		ssize_t n = read(c->rd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 0; /* EAGAIN */
		if (n == 0)
			return -EPIPE;
		int rc = buf_append(&c->in, chunk, (size_t)n);
		if (rc)
			return rc;
	}
}

static int left_ms(const struct cdp *c)
{
	int64_t left = c->deadline - browser_now_ms();
	return left <= 0 ? 0 : left > 100 ? 100 : (int)left;
}

/* Sends the command in c->out (with its NUL), reading meanwhile so that
 * neither side blocks on a full pipe. */
static int send_out(struct cdp *c)
{
	if (buf_putc(&c->out, '\0'))
		return -E2BIG;
	size_t done = 0;
	while (done < c->out.len) {
		if (browser_now_ms() >= c->deadline)
			return -ETIMEDOUT;
		ssize_t n = write(c->wr, c->out.data + done, c->out.len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -EPIPE;
		struct pollfd pfd[2] = { { .fd = c->wr, .events = POLLOUT }, { .fd = c->rd, .events = POLLIN } };
		if (poll(pfd, 2, left_ms(c)) > 0 && pfd[1].revents) {
			int rc = fill(c, 0);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Starts a command: {"id":N,"method":M[,"sessionId":S],"params": — the
 * caller appends the params object and calls finish. */
static long begin(struct cdp *c, const char *method, bool in_session)
{
	buf_reset(&c->out);
	long id = ++c->next_id;
	buf_printf(&c->out, "{\"id\":%ld,\"method\":", id);
	json_out_string(&c->out, method);
	if (in_session) {
		buf_puts(&c->out, ",\"sessionId\":");
		json_out_string(&c->out, c->session);
	}
	buf_puts(&c->out, ",\"params\":");
	return id;
}

static int finish(struct cdp *c)
{
	buf_putc(&c->out, '}');
	return buf_failed(&c->out) ? -E2BIG : send_out(c);
}

/* A command whose params are given as JSON text. */
static int call(struct cdp *c, const char *method, bool in_session, const char *params, long *id)
{
	*id = begin(c, method, in_session);
	buf_puts(&c->out, params);
	return finish(c);
}

/* The next message, parsed. 0 and *msg, or -ETIMEDOUT, -EPIPE, -E2BIG,
 * -ENOMEM, -EPROTO (not JSON). */
static int next_msg(struct cdp *c, json_t **msg)
{
	for (;;) {
		char *end = c->in.len ? memchr(c->in.data, '\0', c->in.len) : NULL;
		if (end) {
			size_t n = (size_t)(end - c->in.data);
			*msg = json_loadb(c->in.data, n, 0, NULL);
			memmove(c->in.data, end + 1, c->in.len - n - 1);
			c->in.len -= n + 1;
			return *msg ? 0 : -EPROTO;
		}
		if (browser_now_ms() >= c->deadline)
			return -ETIMEDOUT;
		if (c->cancel && atomic_load(c->cancel))
			return -ECANCELED;
		int rc = fill(c, left_ms(c));
		if (rc)
			return rc;
	}
}

/* Waits for the answer to command id (events meanwhile are dropped: the
 * commands waited for come before the page loads, and after its DOM is
 * taken). 0 and *result (the caller decrefs *msg), or a negative errno
 * with err filled when Chromium answered with an error. */
static int wait_for(struct cdp *c, long id, json_t **msg, json_t **result, char *err, size_t errlen)
{
	for (;;) {
		int rc = next_msg(c, msg);
		if (rc)
			return rc;
		json_t *got = json_object_get(*msg, "id");
		if (json_is_integer(got) && json_integer_value(got) == id) {
			json_t *e = json_object_get(*msg, "error");
			if (e) {
				snprintf(err, errlen, "Chromium refused a command: %s",
					 json_string_value(json_object_get(e, "message"))
					     ? json_string_value(json_object_get(e, "message"))
					     : "no reason given");
				json_decref(*msg);
				*msg = NULL;
				return -EIO;
			}
			*result = json_object_get(*msg, "result");
			return 0;
		}
		json_decref(*msg);
	}
}

/* ---- the page's requests -------------------------------------------------- */

struct page_run {
	struct browser_pool *pool;
	const struct browser_page *page;
	char context[128]; /* the page's browser context: its own cookies and storage */
	struct buf *dom;
	char origin[1024]; /* scheme://host[:port] of the page */
	int requests;      /* of its scripts, let through */
	bool document_done;
};

/* "scheme://host[:port]" of url, or "" when it has none. */
static void origin_of(const char *url, char *out, size_t n)
{
	const char *host = strstr(url, "://");
	size_t len = host ? (size_t)(host + 3 - url) + strcspn(host + 3, "/?#") : 0;
	snprintf(out, n, "%.*s", (int)(len < n ? len : 0), url);
	for (char *c = out; *c; c++) /* as Chromium writes them */
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
}

static bool same_origin(const struct page_run *pr, const char *url)
{
	size_t n = strlen(pr->origin);
	return n && strncmp(url, pr->origin, n) == 0 && (url[n] == '\0' || strchr("/?#", url[n]));
}

/* What the page's scripts may load: code and data, not decoration. */
static bool wanted_type(const char *type)
{
	static const char *const types[] = { "Document", "Script", "XHR", "Fetch", "EventSource" };
	for (size_t i = 0; type && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}

/* Answers the document request with the fetched page. */
static int fulfil_document(struct cdp *c, const struct page_run *pr, const char *request_id)
{
	const struct browser_page *pg = pr->page;
	begin(c, "Fetch.fulfillRequest", true);
	buf_puts(&c->out, "{\"requestId\":");
	json_out_string(&c->out, request_id);
	buf_puts(&c->out, ",\"responseCode\":200,\"responseHeaders\":[{\"name\":\"Content-Type\",\"value\":");
	json_out_string(&c->out, pg->content_type && *pg->content_type ? pg->content_type : "text/html");
	buf_puts(&c->out, "}],\"body\":\"");
	size_t b64_len = sodium_base64_ENCODED_LEN(pg->len, sodium_base64_VARIANT_ORIGINAL);
	if (b64_len > OUT_MAX || buf_reserve(&c->out, b64_len + 8))
		return -E2BIG;
	sodium_bin2base64(c->out.data + c->out.len, b64_len, (const unsigned char *)(pg->html ? pg->html : ""), pg->len,
			  sodium_base64_VARIANT_ORIGINAL);
	c->out.len += b64_len - 1;
	buf_puts(&c->out, "\"}");
	return finish(c);
}

/* One paused request: the document gets the fetched page; a request of
 * the page's own goes out when it is wanted, of its origin, allowed and
 * within the cap; anything else is refused. */
static int on_paused(struct cdp *c, struct page_run *pr, json_t *params)
{
	const char *id = json_string_value(json_object_get(params, "requestId"));
	const char *url = json_string_value(json_object_get(json_object_get(params, "request"), "url"));
	const char *type = json_string_value(json_object_get(params, "resourceType"));
	if (!id || !url)
		return 0;
	long ignored;
	char p[200];
	if (!pr->document_done && type && strcmp(type, "Document") == 0) {
		pr->document_done = true;
		/* Virtual time from here: timers fast-forward, pending requests hold it. */
		snprintf(p, sizeof(p), "{\"policy\":\"pauseIfNetworkFetchesPending\",\"budget\":%d}",
			 pr->pool->budget_ms);
		int rc = call(c, "Emulation.setVirtualTimePolicy", true, p, &ignored);
		return rc ? rc : fulfil_document(c, pr, id);
	}
	char why[300];
	bool go = pr->document_done && wanted_type(type) && same_origin(pr, url) &&
		  pr->requests < BROWSER_PAGE_REQUESTS &&
		  (!pr->page->allowed ||
		   pr->page->allowed(pr->page->allowed_ctx, url, pr->page->proxy, why, sizeof(why)) == 1);
	begin(c, go ? "Fetch.continueRequest" : "Fetch.failRequest", true);
	buf_puts(&c->out, "{\"requestId\":");
	json_out_string(&c->out, id);
	buf_puts(&c->out, go ? "}" : ",\"errorReason\":\"BlockedByClient\"}");
	pr->requests += go;
	return finish(c);
}

/* ---- one render ----------------------------------------------------------- */

/* Runs the page until the virtual-time budget is spent. */
static int load(struct cdp *c, struct page_run *pr, char *err, size_t errlen)
{
	json_t *msg = NULL, *res;
	long id;
	char p[2048];
	int rc = call(c, "Target.createBrowserContext", false, "{\"disposeOnDetach\":true}", &id);
	if (rc || (rc = wait_for(c, id, &msg, &res, err, errlen)))
		return rc;
	const char *ctx = json_string_value(json_object_get(res, "browserContextId"));
	snprintf(pr->context, sizeof(pr->context), "%s", ctx ? ctx : "");
	json_decref(msg);
	snprintf(p, sizeof(p), "{\"url\":\"about:blank\",\"browserContextId\":\"%.120s\"}", pr->context);
	if ((rc = call(c, "Target.createTarget", false, p, &id)) || (rc = wait_for(c, id, &msg, &res, err, errlen)))
		return rc;
	snprintf(p, sizeof(p), "{\"targetId\":\"%.200s\",\"flatten\":true}",
		 json_string_value(json_object_get(res, "targetId"))
		     ? json_string_value(json_object_get(res, "targetId"))
		     : "");
	json_decref(msg);
	if ((rc = call(c, "Target.attachToTarget", false, p, &id)) || (rc = wait_for(c, id, &msg, &res, err, errlen)))
		return rc;
	const char *sid = json_string_value(json_object_get(res, "sessionId"));
	snprintf(c->session, sizeof(c->session), "%s", sid ? sid : "");
	json_decref(msg);
	if ((rc = call(c, "Fetch.enable", true, "{\"patterns\":[{\"urlPattern\":\"*\"}]}", &id)) ||
	    (rc = wait_for(c, id, &msg, &res, err, errlen)))
		return rc;
	json_decref(msg);
	if (pr->page->user_agent) { /* the process is shared by pages of other runs: the agent is the page's */
		begin(c, "Emulation.setUserAgentOverride", true);
		buf_puts(&c->out, "{\"userAgent\":");
		json_out_string(&c->out, pr->page->user_agent);
		buf_putc(&c->out, '}');
		if ((rc = finish(c)))
			return rc;
	}
	long nav = begin(c, "Page.navigate", true);
	buf_puts(&c->out, "{\"url\":");
	json_out_string(&c->out, pr->page->url);
	buf_putc(&c->out, '}');
	if ((rc = finish(c)))
		return rc;
	for (;;) {
		if ((rc = next_msg(c, &msg)))
			return rc;
		const char *method = json_string_value(json_object_get(msg, "method"));
		const char *from = json_string_value(json_object_get(msg, "sessionId"));
		if (method && from && strcmp(from, c->session) != 0)
			method = NULL; /* a page of an earlier render, being closed */
		json_t *got = json_object_get(msg, "id");
		const char *failed =
		    json_integer_value(got) == nav
			? json_string_value(json_object_get(json_object_get(msg, "result"), "errorText"))
			: NULL;
		if (failed && *failed) {
			snprintf(err, errlen, "Chromium could not load %s: %s", pr->page->url, failed);
			rc = -EIO;
		} else if (method && strcmp(method, "Fetch.requestPaused") == 0) {
			rc = on_paused(c, pr, json_object_get(msg, "params"));
		} else if (method && strcmp(method, "Emulation.virtualTimeBudgetExpired") == 0) {
			json_decref(msg);
			return 0;
		} else if (method && (strcmp(method, "Inspector.targetCrashed") == 0 ||
				      strcmp(method, "Target.targetCrashed") == 0)) {
			snprintf(err, errlen, "the page crashed Chromium's renderer: %s", pr->page->url);
			rc = -EIO;
		}
		json_decref(msg);
		if (rc)
			return rc;
	}
}

/* Takes the DOM as the page's scripts left it. */
static int take_dom(struct cdp *c, struct page_run *pr, char *err, size_t errlen)
{
	json_t *msg = NULL, *res;
	long id;
	char p[200];
	int rc = call(c, "Runtime.evaluate", true,
		      "{\"expression\":\"document.documentElement.outerHTML\",\"returnByValue\":true}", &id);
	if (rc || (rc = wait_for(c, id, &msg, &res, err, errlen)))
		return rc;
	json_t *v = json_object_get(json_object_get(res, "result"), "value");
	if (!json_is_string(v)) {
		snprintf(err, errlen, "Chromium gave no DOM for %s", pr->page->url);
		rc = -EIO;
	} else if (json_string_length(v) > pr->dom->max - pr->dom->len) {
		buf_append(pr->dom, json_string_value(v), pr->dom->max - pr->dom->len);
		snprintf(err, errlen, "the DOM of %s is larger than %zu bytes", pr->page->url, pr->dom->max);
		rc = -E2BIG;
	} else {
		rc = buf_append(pr->dom, json_string_value(v), json_string_length(v));
	}
	json_decref(msg);
	if (rc == 0) { /* closes the page and forgets its cookies: the process may render the next */
		snprintf(p, sizeof(p), "{\"browserContextId\":\"%.120s\"}", pr->context);
		if ((rc = call(c, "Target.disposeBrowserContext", false, p, &id)) == 0 &&
		    (rc = wait_for(c, id, &msg, &res, err, errlen)) == 0)
			json_decref(msg);
	}
	return rc;
}

/* ---- the processes kept between renders ------------------------------------ */

/* One Chromium on its DevTools pipe. A process renders pages of one host
 * (--host-resolver-rules names it) and proxy, one page at a time, each in a browser
 * context of its own; it is kept for the next page of that host until the
 * run trims the pool, and ended at once when a render fails or after
 * PROC_RENDERS pages (a long-lived browser grows). */
#define PROC_RENDERS 200
#define START_MS     30000

struct browser_proc {
	struct browser_proc *next;
	pid_t pid;
	struct cdp c;
	int renders;
	char rules[1200];    /* its --host-resolver-rules, "" for an IPv6 literal host */
	char proxy_arg[700]; /* its proxy flag */
	char origin[1024];
	char dir[4096], log_path[4200];
};

/* A pipe end moved to a descriptor of 10 or more (close-on-exec), so that
 * the child's dup2s onto 3 and 4 cannot overwrite one another. */
static int high_fd(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	close(fd);
	return h;
}

/* The host of url ("host" of "scheme://user@host:port/…") as a length at
 * *h; 0 for a host the rules cannot name (an IPv6 literal, odd bytes). */
static size_t rule_host(const char *url, const char **h)
{
	const char *s = strstr(url, "://");
	s = s ? s + 3 : url;
	const char *at = memchr(s, '@', strcspn(s, "/?#"));
	*h = at ? at + 1 : s;
	size_t len = strcspn(*h, ":/?#");
	if (!len || (*h)[0] == '[')
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = (*h)[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '-'))
			return 0;
	}
	return len;
}

/* The proxy's host, IP literal or not (the rules map those too). */
static size_t proxy_host(const char *proxy, const char **h)
{
	const char *s = strstr(proxy, "://");
	s = s ? s + 3 : proxy;
	const char *at = memchr(s, '@', strcspn(s, "/?#"));
	*h = at ? at + 1 : s;
	size_t len = **h == '[' ? strcspn(*h, "]") + 1 : strcspn(*h, ":/?#");
	for (size_t i = 0; i < len; i++)
		if (strchr(", \t", (*h)[i]))
			return 0;
	return len;
}

/* The process flags a page needs, which a process it reuses must share:
 * --host-resolver-rules, so that no host but the page's (and its proxy's)
 * resolves — IP literals included, the rules map them too — and what the
 * Fetch domain does not see (WebSockets, prefetches) cannot reach others
 * either (empty for an IPv6 literal: the Fetch domain alone holds those);
 * and the source's proxy, so that the page's own
 * requests leave as its fetch did. */
static void page_flags(const char *origin, const char *proxy, char *rules, size_t rn, char *proxy_arg, size_t pn)
{
	const char *h, *ph;
	size_t len = rule_host(origin, &h), plen = proxy && *proxy ? proxy_host(proxy, &ph) : 0;
	rules[0] = '\0';
	if (len)
		snprintf(rules, rn, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE %.*s%s%.*s", (int)len, h,
			 plen ? ", EXCLUDE " : "", (int)plen, plen ? ph : "");
	if (!proxy) {
		snprintf(proxy_arg, pn, "--no-pings"); /* no flag: the *_proxy environment, as the engine */
		return;
	}
	if (!*proxy) {
		snprintf(proxy_arg, pn, "--no-proxy-server");
		return;
	}
	/* Chromium's names: socks5 resolves through the proxy already. */
	const char *rest = strstr(proxy, "://");
	const char *scheme = strncmp(proxy, "socks5", 6) == 0   ? "socks5"
			     : strncmp(proxy, "socks4", 6) == 0 ? "socks4"
			     : strncmp(proxy, "https", 5) == 0  ? "https"
								: "http";
	snprintf(proxy_arg, pn, "--proxy-server=%s://%.*s", scheme, (int)strcspn(rest ? rest + 3 : proxy, "/?#"),
		 rest ? rest + 3 : proxy);
}

/* What Chromium said last, from its log. */
static void last_words(const struct browser_proc *b, char *said, size_t n)
{
	char tail[2048];
	said[0] = '\0';
	FILE *f = fopen(b->log_path, "re");
	if (!f)
		return;
	fseek(f, -(long)sizeof(tail), SEEK_END);
	size_t len = fread(tail, 1, sizeof(tail), f);
	fclose(f);
	browser_last_line(tail, len, said, n);
}

/* Kills it (its whole group), reaps it, removes its profile. */
static void proc_end(struct browser_proc *b)
{
	if (!b)
		return;
	if (b->pid > 0) {
		browser_kill_group(b->pid);
		int status;
		while (waitpid(b->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (b->c.wr >= 0)
		close(b->c.wr);
	if (b->c.rd >= 0)
		close(b->c.rd);
	buf_free(&b->c.in);
	buf_free(&b->c.out);
	browser_profile_remove(b->dir);
	free(b);
}

static int proc_start(struct browser_pool *p, const char *rules, const char *proxy_arg, const char *origin,
		      struct browser_proc **out, char *err, size_t errlen)
{
	struct browser_proc *b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->c.wr = b->c.rd = -1;
	buf_init(&b->c.in, IN_MAX);
	buf_init(&b->c.out, OUT_MAX);
	snprintf(b->rules, sizeof(b->rules), "%s", rules);
	snprintf(b->proxy_arg, sizeof(b->proxy_arg), "%s", proxy_arg);
	snprintf(b->origin, sizeof(b->origin), "%s", origin);
	int rc = browser_profile_new(p, b->dir, sizeof(b->dir), err, errlen);
	if (rc) {
		free(b);
		return rc;
	}
	snprintf(b->log_path, sizeof(b->log_path), "%s/chromium.log", b->dir);
	int to[2] = { -1, -1 }, from[2] = { -1, -1 };
	if (pipe2(to, O_CLOEXEC) || pipe2(from, O_CLOEXEC))
		rc = -errno;
	for (int i = 0; i < 2; i++) {
		to[i] = to[i] >= 0 ? high_fd(to[i]) : -1;
		from[i] = from[i] >= 0 ? high_fd(from[i]) : -1;
	}
	/* With a proxy, loopback goes through it too, as the engine's requests do
	 * (Chromium otherwise sends 127.0.0.1 and localhost direct). */
	const char *bypass =
	    strncmp(proxy_arg, "--proxy-server=", 15) == 0 ? "--proxy-bypass-list=<-loopback>" : "--no-pings";
	const char *const extra[] = { "--remote-debugging-pipe",     proxy_arg,     bypass,
				      *rules ? rules : "--no-pings", "about:blank", NULL };
	struct browser_spawn sp = { .dir = b->dir,
				    .extra = extra,
				    .out_fd = -1,
				    .err_fd = -1,
				    .err_path = b->log_path,
				    .cdp_in = to[0],
				    .cdp_out = from[1] };
	if (rc == 0 && (to[0] < 0 || to[1] < 0 || from[0] < 0 || from[1] < 0))
		rc = -EMFILE;
	if (rc == 0)
		rc = browser_spawn(p, &sp, &b->pid);
	if (to[0] >= 0)
		close(to[0]);
	if (from[1] >= 0)
		close(from[1]);
	b->c.wr = to[1];
	b->c.rd = from[0];
	if (rc) {
		snprintf(err, errlen, "cannot start Chromium: %s", strerror(-rc));
		proc_end(b);
		return rc;
	}
	fcntl(b->c.wr, F_SETFL, O_NONBLOCK);
	fcntl(b->c.rd, F_SETFL, O_NONBLOCK);
	/* Ready when it answers: starting takes a second or more on a busy
	 * machine, which is not the page's time. */
	b->c.deadline = browser_now_ms() + START_MS;
	json_t *msg = NULL, *res;
	long id;
	if ((rc = call(&b->c, "Browser.getVersion", false, "{}", &id)) == 0 &&
	    (rc = wait_for(&b->c, id, &msg, &res, err, errlen)) == 0) {
		json_decref(msg);
		*out = b;
		return 0;
	}
	char said[300];
	last_words(b, said, sizeof(said));
	snprintf(err, errlen, "Chromium did not start%s: %s", rc == -ETIMEDOUT ? " within 30 s" : "", said);
	proc_end(b);
	return -EIO;
}

/* An idle process for origin's host (and proxy), or a new one; an idle
 * process of another is ended first when the pool is at its bound. */
/* One process fewer exists: wakes a proc_take waiting for room (slot_free
 * is shared with slot waiters, which check their own condition again). */
static void instance_gone(struct browser_pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->instances--;
	pthread_cond_broadcast(&p->slot_free);
	pthread_mutex_unlock(&p->lock);
}

static int proc_take(struct browser_pool *p, const char *origin, const char *proxy, struct browser_proc **out,
		     char *err, size_t errlen)
{
	char rules[1200], proxy_arg[700];
	page_flags(origin, proxy, rules, sizeof(rules), proxy_arg, sizeof(proxy_arg));
	struct browser_proc *evict = NULL;
	pthread_mutex_lock(&p->lock);
	/* A new process starts only while fewer than max exist: an idle one of
	 * another origin is ended to make room (its count passes to the new
	 * one), and one still dying (proc_give, trim) is waited for, so that
	 * the bound holds at every moment, not only between renders. */
	for (;;) {
		for (struct browser_proc **at = &p->idle; *at; at = &(*at)->next)
			if (strcmp((*at)->rules, rules) == 0 && strcmp((*at)->proxy_arg, proxy_arg) == 0 &&
			    (*rules || strcmp((*at)->origin, origin) == 0)) {
				*out = *at;
				*at = (*at)->next;
				pthread_mutex_unlock(&p->lock);
				return 0;
			}
		if (p->instances < p->max) {
			p->instances++;
			break;
		}
		if (p->idle) {
			evict = p->idle;
			p->idle = evict->next;
			break;
		}
		pthread_cond_wait(&p->slot_free, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	proc_end(evict);
	int rc = proc_start(p, rules, proxy_arg, origin, out, err, errlen);
	if (rc) {
		instance_gone(p);
	}
	return rc;
}

/* Keeps a process that rendered well for the next page; ends one that did
 * not. A process counts in instances until it is gone, so that a new one
 * never starts beside one still dying. */
static void proc_give(struct browser_pool *p, struct browser_proc *b, bool healthy)
{
	pthread_mutex_lock(&p->lock);
	if (healthy && ++b->renders < PROC_RENDERS) {
		b->next = p->idle;
		p->idle = b;
		pthread_mutex_unlock(&p->lock);
		return;
	}
	pthread_mutex_unlock(&p->lock);
	proc_end(b);
	instance_gone(p);
}

void browser_pool_trim(struct browser_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	struct browser_proc *list = p->idle;
	p->idle = NULL;
	pthread_mutex_unlock(&p->lock);
	while (list) {
		struct browser_proc *next = list->next;
		proc_end(list);
		instance_gone(p);
		list = next;
	}
}

int browser_render_page(struct browser_pool *p, const struct browser_page *page, struct buf *dom_out, char *err,
			size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	if (!page || !page->url || !text_http_url(page->url) || page->timeout_ms <= 0 || (!page->html && page->len)) {
		snprintf(err, errlen, "not an http(s) page or no time limit: %s",
			 page && page->url ? page->url : "(null)");
		return -EINVAL;
	}
	struct page_run pr = { .pool = p, .page = page, .dom = dom_out };
	origin_of(page->url, pr.origin, sizeof(pr.origin));
	int rc = browser_pool_check(p, err, errlen);
	if (rc)
		return rc;
	browser_slot_take(p);
	int64_t t0 = browser_now_ms();
	struct browser_proc *b = NULL;
	size_t dom_start = dom_out->len;
	rc = proc_take(p, pr.origin, page->proxy, &b, err, errlen);
	if (rc == 0) {
		b->c.deadline = browser_now_ms() + page->timeout_ms;
		b->c.cancel = page->cancel;
		rc = load(&b->c, &pr, err, errlen);
		if (rc == 0)
			rc = take_dom(&b->c, &pr, err, errlen);
		if (rc == -ETIMEDOUT) {
			snprintf(err, errlen, "%s did not finish within %d ms; killed", page->url, page->timeout_ms);
		} else if (rc == -EPIPE || rc == -EPROTO) {
			char said[300];
			last_words(b, said, sizeof(said));
			snprintf(err, errlen, "Chromium stopped while rendering %s: %s", page->url, said);
			rc = -EIO;
		} else if (rc == -E2BIG && !*err) {
			snprintf(err, errlen, "%s is too large to render", page->url);
		} else if (rc == -ECANCELED) {
			snprintf(err, errlen, "rendering %s was cancelled", page->url);
		}
		b->c.cancel = NULL;
		proc_give(p, b, rc == 0);
	}
	if (rc && rc != -E2BIG && dom_out->data) { /* no half page */
		dom_out->len = dom_start;
		dom_out->data[dom_start] = '\0';
	}
	browser_count(p, rc, t0);
	browser_slot_give(p);
	return rc;
}
