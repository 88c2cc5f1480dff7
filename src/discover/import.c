/* import — "Add a job by URL"; see import.h. */
#include "discover/import.h"

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "base/arena.h"
#include "base/text.h"
#include "base/address.h"
#include "scrape/fetch.h"
#include "scrape/finish.h"
#include "scrape/ingest.h"
#include "scrape/robots.h"
#include "scrape/source.h"
#include "version.h"

#define ROBOTS_ORIGINS 4 /* distinct sites one import reads robots.txt of */

/* The ATS adapters whose careers URLs name one job on a board read through
 * an API; any other URL is a page read for its JSON-LD or microdata. */
static const char *const ats_adapters[] = { "greenhouse", "lever",    "ashby",          "workable",
					    "recruitee",  "personio", "smartrecruiters" };

/* One fetch's outcome, copied out of the engine's callback. */
struct got {
	enum fetch_error error;
	long status;
	const char *final_url, *content_type, *message;
	const char *body;
	size_t len;
};

struct imp {
	const struct tracker_call *c;
	const struct import_options *opt;
	struct import_result *out;
	struct arena *a;
	struct fetch *f;
	char ua[200];
	bool refused_address; /* the address check refused a connection */
	int requests;
	struct timespec started;
	struct {
		char origin[FETCH_HOST_MAX + 16];
		struct robots *r;
	} robots[ROBOTS_ORIGINS];
	size_t nrobots;
	struct got got;
};

static int fail(struct imp *m, enum import_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct imp *m, enum import_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->out->message, sizeof(m->out->message), fmt, ap);
	va_end(ap);
	m->out->status = st;
	return -1;
}

static bool address_ok(void *ctx, const struct sockaddr *sa, unsigned len)
{
	struct imp *m = ctx;
	if (m->opt->allow_private || address_is_public(sa, len))
		return true;
	m->refused_address = true;
	return false;
}

static void on_done(struct fetch *f, struct fetch_result *r, void *user)
{
	(void)f;
	struct imp *m = user;
	struct got *g = &m->got;
	g->error = r->error;
	g->status = r->status;
	g->final_url = arena_strdup(m->a, r->final_url ? r->final_url : r->url);
	g->content_type = r->content_type ? arena_strdup(m->a, r->content_type) : NULL;
	g->message = arena_strdup(m->a, r->message ? r->message : "");
	char *body = arena_alloc(m->a, r->len + 1);
	if (body) {
		memcpy(body, r->body, r->len);
		body[r->len] = '\0';
	}
	g->body = body ? body : "";
	g->len = body ? r->len : 0;
}

/* Fetches url now (one attempt) into m->got. 0, or -1 with out filled
 * when no request may be made. */
static int fetch_now(struct imp *m, const struct source_request *req, size_t max_body)
{
	if (m->requests >= IMPORT_REQUESTS_MAX)
		return fail(m, IMPORT_UNREACHABLE,
			    "Reading this posting needs more than %d requests; jobtrack stopped.", IMPORT_REQUESTS_MAX);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (long)(now.tv_sec - m->started.tv_sec) * 1000 + (now.tv_nsec - m->started.tv_nsec) / 1000000;
	if (ms > IMPORT_DEADLINE_MS)
		return fail(m, IMPORT_UNREACHABLE, "The site is too slow: reading this posting took over %d seconds.",
			    IMPORT_DEADLINE_MS / 1000);
	m->requests++;
	memset(&m->got, 0, sizeof(m->got));
	m->got.error = FETCH_CANCELLED;
	m->got.body = "";
	struct fetch_request fr = { .url = req->url,
				    .source = "import",
				    .kind = req->kind == REQUEST_HTML ? FETCH_HTML : FETCH_API,
				    .delay_ms = FETCH_NO_DELAY,
				    .method = req->method,
				    .body = req->body,
				    .body_len = req->body ? strlen(req->body) : 0,
				    .content_type = req->content_type,
				    .accept = req->accept,
				    .max_attempts = 1,
				    .max_body = max_body,
				    .done = on_done,
				    .user = m };
	if (fetch_add(m->f, &fr) != 0 || fetch_run(m->f) != 0)
		return fail(m, IMPORT_BAD_URL, "jobtrack cannot fetch %s: it is not an http(s) URL it can read.",
			    req->url);
	return 0;
}

/* Why the last fetch gave nothing usable, as the result: -1. */
static int fetch_failed(struct imp *m, const char *what, const char *url)
{
	const struct got *g = &m->got;
	if (m->refused_address)
		return fail(m, IMPORT_PRIVATE,
			    "%s leads to a private or loopback network address, which jobtrack does not fetch "
			    "(an admin can allow it with --import-private-addresses).",
			    url);
	switch (g->error) {
	case FETCH_TIMEOUT:
		return fail(m, IMPORT_UNREACHABLE, "The site did not answer %s within %d seconds; try again later.",
			    what, IMPORT_TIMEOUT_MS / 1000);
	case FETCH_TOO_LARGE:
		return fail(m, IMPORT_UNREACHABLE, "%s is larger than %u MiB; jobtrack does not read it.", what,
			    IMPORT_BODY_MAX >> 20);
	case FETCH_HTTP_ERROR:
		return fail(m, IMPORT_UNREACHABLE, "The site answered %s with HTTP status %ld%s.", what, g->status,
			    g->status == 404 || g->status == 410 ? ": the posting may have been taken down" : "");
	case FETCH_TOO_MANY_REDIRECTS:
		return fail(m, IMPORT_UNREACHABLE, "%s redirects too many times.", what);
	case FETCH_BAD_URL:
		return fail(m, IMPORT_UNREACHABLE, "%s redirects to an address that is not http(s).", what);
	default:
		return fail(m, IMPORT_UNREACHABLE, "jobtrack could not reach the site for %s: %s.", what,
			    g->message && *g->message ? g->message : fetch_error_name(g->error));
	}
}

/* Resolves the URL's host and refuses it when any address it has is not
 * public: a clear answer before any request (the engine's address check
 * still guards every connection, against DNS that changes its mind). */
static int check_host(struct imp *m, const char *url)
{
	if (m->opt->allow_private)
		return 0;
	/* The host between "://" and the port or path; an IPv6 literal
	 * without its brackets. (User info was refused before.) */
	const char *s = strstr(url, "://");
	s = s ? s + 3 : url;
	size_t n = strcspn(s, "/?#");
	const char *h = s;
	if (*s == '[') {
		const char *close = memchr(s, ']', n);
		h = s + 1;
		n = close ? (size_t)(close - h) : 0;
	} else {
		const char *colon = memchr(s, ':', n);
		if (colon)
			n = (size_t)(colon - s);
	}
	char host[256];
	if (n == 0 || n >= sizeof(host))
		return fail(m, IMPORT_BAD_URL, "The URL's host name is missing or too long.");
	memcpy(host, h, n);
	host[n] = '\0';
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res = NULL;
	int rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0)
		return fail(m, IMPORT_UNREACHABLE, "jobtrack cannot find the host %s (%s); check the URL.", host,
			    gai_strerror(rc));
	bool public = true;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
		if (!address_is_public(ai->ai_addr, (unsigned)ai->ai_addrlen))
	public = false;
	freeaddrinfo(res);
	if (!public)
		return fail(m, IMPORT_PRIVATE,
			    "%s is a private or loopback network address, which jobtrack does not fetch (an admin "
			    "can allow it with --import-private-addresses).",
			    host);
	return 0;
}

/* Whether robots.txt lets jobtrack fetch url: 0, or -1 with out filled. */
static int robots_allow(struct imp *m, const char *url)
{
	char origin[FETCH_HOST_MAX + 16], path[ROBOTS_PATH_MAX + 1];
	if (robots_url_split(url, origin, sizeof(origin), path, sizeof(path)) != 0)
		return fail(m, IMPORT_BAD_URL, "The URL is not one jobtrack can read (too long, or not http(s)).");
	struct robots *r = NULL;
	for (size_t i = 0; i < m->nrobots; i++)
		if (strcmp(m->robots[i].origin, origin) == 0)
			r = m->robots[i].r;
	if (!r) {
		if (m->nrobots == ROBOTS_ORIGINS)
			return fail(m, IMPORT_UNREACHABLE, "Reading this posting needs too many sites.");
		if (check_host(m, url))
			return -1;
		struct source_request req = { .url = arena_printf(m->a, "%s/robots.txt", origin),
					      .accept = "text/plain,*/*;q=0.5",
					      .kind = REQUEST_API };
		if (!req.url)
			return -ENOMEM;
		if (fetch_now(m, &req, ROBOTS_FETCH_MAX))
			return -1;
		const struct got *g = &m->got;
		bool answered = g->error == FETCH_OK || g->error == FETCH_HTTP_ERROR;
		if (!answered)
			return fetch_failed(m, "its robots.txt", url);
		if (robots_from_response((int)g->status, g->body, g->len, &r) != 0)
			return -ENOMEM;
		memcpy(m->robots[m->nrobots].origin, origin, sizeof(origin));
		m->robots[m->nrobots++].r = r;
	}
	if (robots_unreachable(r))
		return fail(m, IMPORT_UNREACHABLE,
			    "%s/robots.txt answered with HTTP status %d, so jobtrack may not read the site now; try "
			    "again later.",
			    origin, robots_http_status(r));
	struct robots_decision d;
	if (robots_check(r, m->ua, path, &d) != 0)
		return fail(m, IMPORT_BAD_URL, "The URL is too long.");
	if (!d.allowed)
		return fail(m, IMPORT_ROBOTS,
			    "%s/robots.txt does not allow jobtrack to fetch this page (line %u: \"%s\"). Add the job "
			    "by hand instead.",
			    origin, d.line, d.rule ? d.rule : "");
	return 0;
}

static bool is_ats(const struct source_adapter *ad)
{
	for (size_t i = 0; ad && i < sizeof(ats_adapters) / sizeof(ats_adapters[0]); i++)
		if (strcmp(ad->name, ats_adapters[i]) == 0)
			return true;
	return false;
}

/* Runs the adapter over url: its requests (and an ATS's follow-ups), every
 * posting finished into list. 0, or -1 with out filled. */
static int read_postings(struct imp *m, const struct source_adapter *ad, struct source_config *src,
			 struct posting_list *list)
{
	struct source_request_list queue = { 0 };
	char err[512] = "";
	if (ad->start(m->a, src, &queue, err, sizeof(err)) != 0 || queue.count == 0)
		return fail(m, IMPORT_BAD_URL, "jobtrack cannot read %s: %s", src->target, err);
	if (!is_ats(ad))
		queue.count = 1; /* the page alone: no crawl */
	for (size_t i = 0; i < queue.count; i++) {
		struct source_request req = queue.items[i];
		if (robots_allow(m, req.url) || fetch_now(m, &req, IMPORT_BODY_MAX))
			return -1;
		if (m->got.error != FETCH_OK)
			return fetch_failed(m, i == 0 ? "the page" : "a follow-up request", req.url);
		if (i == 0) {
			m->out->final_url = m->got.final_url;
			m->out->http_status = m->got.status;
			if (!is_ats(ad)) {
				page_facts_read(m->got.body, m->got.len, &m->out->facts);
				m->out->have_facts = true;
			}
		}
		struct source_response res = { .request = &queue.items[i],
					       .url = m->got.final_url,
					       .status = m->got.status,
					       .content_type = m->got.content_type,
					       .body = m->got.body,
					       .len = m->got.len };
		struct source_result sr = { 0 };
		if (ad->parse(m->a, src, &res, &sr, err, sizeof(err)) != 0) {
			if (!is_ats(ad))
				return 0; /* nothing readable: no posting, and the facts say what is there */
			return fail(m, IMPORT_UNREACHABLE, "The %s API's answer could not be read: %s", ad->label, err);
		}
		for (size_t k = 0; k < sr.postings.count; k++) {
			struct posting *p = &sr.postings.items[k];
			char why[256];
			if (posting_finish(m->a, p, why, sizeof(why)) != 0)
				continue;
			struct posting *kept = posting_list_add(m->a, list);
			if (!kept)
				return -ENOMEM;
			*kept = *p;
		}
		for (size_t k = 0; is_ats(ad) && k < sr.next.count; k++) {
			struct source_request *next = source_request_add(m->a, &queue);
			if (!next)
				return -ENOMEM;
			*next = sr.next.items[k];
		}
	}
	return 0;
}

/* The message for a page or board where none of the postings is the URL's. */
static int no_posting(struct imp *m, const struct source_adapter *ad, const char *target, size_t found)
{
	m->out->postings_found = found;
	if (is_ats(ad))
		return fail(m, IMPORT_NO_POSTING,
			    "The %s \"%s\" lists %zu posting%s, and none of them is the one this URL names: paste the "
			    "address of one job's own page.",
			    ad->label, target, found, found == 1 ? "" : "s");
	if (found > 1)
		return fail(m, IMPORT_NO_POSTING,
			    "This page lists %zu postings, and none of them is this page's own: open the job you want "
			    "and add the address of its own page.",
			    found);
	const struct page_facts *pf = &m->out->facts;
	return fail(m, IMPORT_NO_POSTING,
		    "No job posting was recognised on this page: it has no schema.org JobPosting (in JSON-LD or "
		    "microdata)%s. If it is a job page, add the job by hand; if it is a Greenhouse, Lever or Ashby "
		    "board, paste the address of one job on it.",
		    !pf->html           ? ", and does not look like an HTML page"
		    : pf->jsonld_blocks ? ", though it has other "
					  "structured data"
					: "");
}

/* Files the posting and makes the user's application. */
static int file_posting(struct imp *m, const struct posting *p)
{
	struct import_result *out = m->out;
	struct posting_ingest in;
	if (ingest_prepare(m->a, p, 0, m->c->now, &in))
		return -ENOMEM;
	int rc = store_posting_ingest(m->c->store, &in, &out->change, &out->posting_id);
	int created = 0;
	if (rc == 0)
		rc = tracker_app_save_posting(m->c, out->posting_id, &out->app, &created);
	if (rc) {
		out->rc = rc;
		return fail(m, IMPORT_STORE, "The posting could not be saved; try again.");
	}
	out->app_created = created != 0;
	out->status = IMPORT_OK;
	snprintf(out->message, sizeof(out->message), "%s", created ? "Saved to your applications." : "Already saved.");
	return 0;
}

static int run(struct imp *m, const char *url)
{
	if (check_host(m, url))
		return -1;
	const char *target = NULL;
	const struct source_adapter *ad = source_adapter_detect(m->a, url, &target);
	if (!is_ats(ad)) {
		ad = source_adapter_find("jsonld");
		target = url;
	}
	if (!ad)
		return -ENOMEM;
	m->out->adapter = ad->name;
	struct source_config src = { .name = "import",
				     .kind = ad->name,
				     .target = target,
				     .now = (time_t)m->c->now,
				     .max_pages = 2,
				     .base_url = is_ats(ad) ? m->opt->ats_base_url : NULL };
	if (source_run_begin(m->a, ad, &src) != 0)
		return -ENOMEM;
	struct posting_list list = { 0 };
	int rc = read_postings(m, ad, &src, &list);
	if (rc)
		return rc;
	int pick = import_pick(list.items, list.count, url, !is_ats(ad));
	if (pick < 0 && m->out->final_url)
		pick = import_pick(list.items, list.count, m->out->final_url, !is_ats(ad));
	if (pick < 0)
		return no_posting(m, ad, target, list.count);
	m->out->postings_found = list.count;
	return file_posting(m, &list.items[pick]);
}

/* A URL with user info ("https://user:secret@host/"): refused, so no
 * password is sent on, stored or shown. */
static bool has_user_info(const char *url)
{
	const char *s = strstr(url, "://");
	if (!s)
		return false;
	s += 3;
	return memchr(s, '@', strcspn(s, "/?#")) != NULL;
}

int import_url(const struct tracker_call *c, const char *url, const struct import_options *opt,
	       struct import_result *out)
{
	memset(out, 0, sizeof(*out));
	struct imp m = { .c = c, .opt = opt, .out = out, .a = c->arena };
	clock_gettime(CLOCK_MONOTONIC, &m.started);
	if (!url || !*url || strlen(url) > IMPORT_URL_MAX || !text_http_url(url) || has_user_info(url)) {
		fail(&m, IMPORT_BAD_URL,
		     "Paste the address of a job posting's page: an http:// or https:// URL of at most %d bytes, "
		     "without a user name or password in it.",
		     IMPORT_URL_MAX);
		return 0;
	}
	char key[64];
	int64_t count = 0, window_end = 0;
	snprintf(key, sizeof(key), "import:%lld", (long long)c->user_id);
	int rc = store_limit_hit(c->store, key, IMPORT_LIMIT, IMPORT_WINDOW_S, c->now, &count, &window_end);
	if (rc) {
		out->rc = rc;
		fail(&m, IMPORT_STORE, "The import could not start; try again.");
		return 0;
	}
	if (count > IMPORT_LIMIT) {
		fail(&m, IMPORT_TOO_MANY, "You added %d jobs by URL in the last %d minutes; try again in %lld minutes.",
		     IMPORT_LIMIT, IMPORT_WINDOW_S / 60, (long long)((window_end - c->now + 59) / 60));
		return 0;
	}
	if (opt && opt->user_agent)
		snprintf(m.ua, sizeof(m.ua), "%s", opt->user_agent);
	else
		snprintf(m.ua, sizeof(m.ua), FETCH_USER_AGENT_FMT, JOBTRACK_VERSION);
	static const struct import_options none = { 0 };
	m.opt = opt ? opt : &none;
	struct fetch_config cfg;
	fetch_config_defaults(&cfg);
	cfg.max_total = 1;
	cfg.max_attempts = 1;
	cfg.block_after = 1000; /* a person's one page: no host blocking */
	cfg.max_body = IMPORT_BODY_MAX;
	cfg.timeout_ms = IMPORT_TIMEOUT_MS;
	cfg.connect_timeout_ms = 5000;
	cfg.low_speed_s = 10;
	cfg.user_agent = m.ua;
	cfg.proxy = "";
	cfg.address_allowed = address_ok;
	cfg.address_ctx = &m;
	m.f = fetch_new(&cfg);
	if (!m.f)
		return -ENOMEM;
	rc = run(&m, url);
	fetch_free(m.f);
	for (size_t i = 0; i < m.nrobots; i++)
		robots_release(m.robots[i].r);
	return rc == -ENOMEM ? -ENOMEM : 0;
}

/* ---- which posting a URL names ------------------------------------------------- */

/* url's length without query, fragment and a final '/'. */
static size_t url_core_len(const char *url)
{
	size_t n = strcspn(url, "?#");
	while (n > 0 && url[n - 1] == '/')
		n--;
	return n;
}

/* Same page: scheme and host in any case (they come first and hold no
 * '/' past "://"), the path as written. */
static bool same_page(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	size_t na = url_core_len(a), nb = url_core_len(b);
	if (na != nb)
		return false;
	const char *pa = strstr(a, "://");
	size_t host_end = pa ? (size_t)(pa - a) + 3 + strcspn(pa + 3, "/") : 0;
	if (host_end > na)
		host_end = na;
	return strncasecmp(a, b, host_end) == 0 && memcmp(a + host_end, b + host_end, na - host_end) == 0;
}

/* Whether id is one whole path segment of url. */
static bool id_in_path(const char *url, const char *id)
{
	size_t idlen = id ? strlen(id) : 0;
	const char *s = strstr(url, "://");
	if (!idlen || !s)
		return false;
	s += 3;
	s += strcspn(s, "/?#");
	size_t end = strcspn(s, "?#");
	for (size_t i = 0; i < end;) {
		if (s[i] == '/') {
			i++;
			continue;
		}
		size_t seg = strcspn(s + i, "/?#");
		if (seg == idlen && memcmp(s + i, id, idlen) == 0)
			return true;
		i += seg;
	}
	return false;
}

int import_pick(const struct posting *list, size_t n, const char *url, bool single)
{
	for (size_t i = 0; i < n; i++)
		if (same_page(list[i].url, url) || same_page(list[i].apply_url, url))
			return (int)i;
	for (size_t i = 0; i < n; i++)
		if (id_in_path(url, list[i].external_id))
			return (int)i;
	return single && n == 1 ? 0 : -1;
}
