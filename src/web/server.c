/* server — libmicrohttpd glue: accepts connections on a worker thread pool,
 * streams request bodies into the request under per-kind limits, runs the
 * route's handler once the body is complete, and sends what it produced.
 *
 * Keep-alive: MHD closes a connection whose response was queued on the very
 * first callback of a request, so every response is queued from a later
 * callback — even for GETs without a body. */
#include "web/web.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <libxml/parser.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth/token.h"
#include "base/log.h"
#include "base/metrics.h"
#include "scan/scan_metrics.h"
#include "web/access_log.h"
#include "web/assets.h"
#include "web/json_arena.h"
#include "web/length_check.h"
#include "web/response_cache.h"
#include "web/route.h"
#include "web/session.h"
#include "web/template.h"
#include "web/view.h"

/* Requests begun and not yet completed, so a stop can wait for them. */
static atomic_long in_flight;

/* ---- HTTP metrics: requests by route and status, latency by route ---------- */

static const int tracked_status[] = { 200, 201, 204, 301, 302, 303, 304, 400, 401, 403,
				      404, 405, 409, 413, 415, 422, 429, 431, 500, 503 };
#define N_STATUS (sizeof(tracked_status) / sizeof(tracked_status[0]))

static const double latency_le[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };

static atomic_llong *open_connections;
static struct metric *requests_total;   /* series: route * (N_STATUS + 1) + status index */
static struct metric *request_duration; /* series: route; n_routes is the unmatched one */

static void route_labels(size_t route, struct buf *out)
{
	static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER" };
	if (route < n_routes)
		buf_printf(out, "method=\"%s\",route=\"%s\"", methods[routes[route].method], routes[route].pattern);
	else
		buf_puts(out, "method=\"ANY\",route=\"unmatched\"");
}

static void duration_labels(size_t series, struct buf *out, void *ctx)
{
	(void)ctx;
	route_labels(series, out);
}

static void request_labels(size_t series, struct buf *out, void *ctx)
{
	(void)ctx;
	size_t status = series % (N_STATUS + 1);
	route_labels(series / (N_STATUS + 1), out);
	if (status < N_STATUS)
		buf_printf(out, ",status=\"%d\"", tracked_status[status]);
	else
		buf_puts(out, ",status=\"other\"");
}

/* Registered on every start; the registry hands back the same metrics. */
static void http_metrics_register(void)
{
	open_connections = metrics_gauge("jobtrack_http_open_connections", "Connections open now.");
	requests_total =
	    metrics_counter_family("jobtrack_http_requests_total", "Requests answered, by route and status.",
				   (n_routes + 1) * (N_STATUS + 1), request_labels, NULL);
	request_duration = metrics_histogram(
	    "jobtrack_http_request_duration_seconds", "Time from request to response, by route.", latency_le,
	    sizeof(latency_le) / sizeof(latency_le[0]), n_routes + 1, duration_labels, NULL);
}

static void http_metrics_observe(const struct route *route, int status, double seconds)
{
	size_t r = route ? route_index(route) : n_routes;
	size_t s = N_STATUS;
	for (size_t i = 0; i < N_STATUS; i++)
		if (tracked_status[i] == status)
			s = i;
	if (requests_total)
		metrics_count(requests_total, r * (N_STATUS + 1) + s);
	if (request_duration)
		metrics_observe(request_duration, r, seconds);
}

static enum http_method parse_method(const char *m)
{
	static const struct {
		const char *name;
		enum http_method m;
	} names[] = { { "GET", HTTP_GET }, { "HEAD", HTTP_HEAD },   { "POST", HTTP_POST },
		      { "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH }, { "DELETE", HTTP_DELETE } };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(m, names[i].name) == 0)
			return names[i].m;
	return HTTP_OTHER;
}

static size_t body_limit(const struct web *w, enum body_kind kind)
{
	switch (kind) {
	case BODY_JSON:
		return (size_t)w->cfg->max_json_body;
	case BODY_FORM:
		return (size_t)w->cfg->max_form_body;
	case BODY_UPLOAD:
		return (size_t)w->cfg->max_upload;
	default:
		return 0;
	}
}

static int is_trusted_proxy(const struct web *w, const char *addr)
{
	for (int i = 0; i < w->n_proxies; i++)
		if (strcmp(w->proxies[i], addr) == 0)
			return 1;
	return 0;
}

/* The client's address and scheme, believing X-Forwarded-* only from our proxies. */
static void resolve_client(struct request *req)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char addr[INET6_ADDRSTRLEN] = "unknown";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof(addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof(addr));
	}
	req->client_addr = arena_strdup(&req->arena, addr);
	req->https = req->web->tls;
	if (!is_trusted_proxy(req->web, addr))
		return;
	const char *xff = http_header(req, "X-Forwarded-For");
	if (xff && *xff) {
		/* Walk from the right: the first hop that is not one of our proxies is the client. */
		char *copy = arena_strdup(&req->arena, xff);
		char *end = copy + strlen(copy);
		while (end > copy) {
			char *comma = end;
			while (comma > copy && comma[-1] != ',')
				comma--;
			char *s = comma;
			while (*s == ' ')
				s++;
			char *e = end;
			while (e > s && e[-1] == ' ')
				e--;
			*e = '\0';
			if (*s && !is_trusted_proxy(req->web, s)) {
				req->client_addr = s;
				break;
			}
			end = comma > copy ? comma - 1 : copy;
		}
	}
	const char *proto = http_header(req, "X-Forwarded-Proto");
	if (proto)
		req->https = strcmp(proto, "https") == 0;
}

static enum MHD_Result post_iterator(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
				     const char *content_type, const char *transfer_encoding, const char *data,
				     uint64_t off, size_t size)
{
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	struct request *req = cls;
	size_t limit = body_limit(req->web, req->body_kind);
	if (req->form_bytes + size + strlen(key) > limit) {
		req->body_too_large = 1;
		return MHD_NO;
	}
	req->form_bytes += size + strlen(key);
	return http_form_add(req, key, filename, data, off, size) ? MHD_NO : MHD_YES;
}

static int is_form_content(const char *ct)
{
	return ct && (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0 ||
		      strncasecmp(ct, "multipart/form-data", 19) == 0);
}

static struct request *request_new(struct web *w, struct MHD_Connection *conn, const char *url, const char *method)
{
	struct request *req = calloc(1, sizeof(*req));
	if (!req)
		return NULL;
	req->web = w;
	req->conn = conn;
	clock_gettime(CLOCK_MONOTONIC, &req->started);
	arena_init(&req->arena, 0);
	req->method = parse_method(method);
	req->method_name = arena_strdup(&req->arena, method);
	req->path = arena_strdup(&req->arena, url);
	access_log_new_id(req->id, sizeof(req->id));
	buf_init(&req->out, 64u << 20);
	req->status = 200;
	resolve_client(req);
	atomic_fetch_add(&in_flight, 1);
	return req;
}

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	/* "Name: value\r\n" on the wire; query arguments "&key=value" in the request line. */
	*(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* Size of the request line and headers as sent (near enough: MHD has parsed them). */
static size_t request_head_size(struct MHD_Connection *conn, const char *url, const char *method)
{
	size_t n = strlen(method) + strlen(url) + 12; /* " ", " HTTP/1.1\r\n" */
	MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header_size, &n);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_header_size, &n);
	return n;
}

/* Request smuggling: a proxy in front of us and this server must agree on
 * where a request's body ends, or bytes one of them took for a body become a
 * second request for the other. MHD picks one reading of a message whose
 * framing is ambiguous (Transfer-Encoding and Content-Length together, two
 * different Content-Lengths) and waits forever on a transfer coding it does
 * not know; we refuse all of these before any body byte is read. */
struct framing {
	int n_transfer_encoding;
	int n_content_length;
	const char *transfer_encoding;
	const char *content_length;
	int content_lengths_differ;
	int bad_name; /* a name that is not a token: "Transfer-Encoding : chunked" */
	int folded;   /* a line continued on the next (obs-fold) */
};

/* RFC 9110 5.1: a field name is a token. MHD 0.9.75 keeps the space in
 * "Transfer-Encoding : chunked" as part of the name, so a proxy that trims
 * it and we would read different framings. */
static int is_token(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
			return 0;
	return 1;
}

/* MHD parses the head in place, so a value normally starts right after its
 * name's NUL (the colon) and optional blanks. MHD 0.9.75 reads a line that
 * starts with a blank (obs-fold, RFC 9112 5.2) by gluing it onto the
 * previous line's *name* in a copy elsewhere ("Transfer-Encoding:\r\n
 * chunked" becomes the name "Transfer-Encodingchunked"); such a name is no
 * longer followed by its value. */
static int follows_name(const char *key, const char *value)
{
	size_t klen = strlen(key);
	uintptr_t k = (uintptr_t)key, v = (uintptr_t)value;
	if (v <= k + klen || v - (k + klen) > 4096)
		return 0;
	for (const char *p = key + klen + 1; p < value; p++)
		if (*p != ' ' && *p != '\t')
			return 0;
	return 1;
}

static enum MHD_Result note_framing_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct framing *f = cls;
	if (!value)
		value = "";
	if (!is_token(key))
		f->bad_name = 1;
	else if (!follows_name(key, value))
		f->folded = 1;
	if (strcasecmp(key, "Transfer-Encoding") == 0) {
		f->n_transfer_encoding++;
		f->transfer_encoding = value;
	} else if (strcasecmp(key, "Content-Length") == 0) {
		if (f->content_length && strcmp(f->content_length, value) != 0)
			f->content_lengths_differ = 1;
		f->n_content_length++;
		f->content_length = value;
	}
	return MHD_YES;
}

/* NULL when the body's framing is unambiguous, else why it is not. Only
 * "chunked", alone and once, is a transfer coding we read (we decode no
 * compression); a repeated Content-Length must repeat the same value. */
static const char *framing_error(struct MHD_Connection *conn)
{
	struct framing f = { 0 };
	MHD_get_connection_values(conn, MHD_HEADER_KIND, note_framing_header, &f);
	if (f.bad_name)
		return "A header name holds a character HTTP does not allow (no blank before the colon).";
	if (f.folded)
		return "A header line continues on the next line (obs-fold): send each header on one line.";
	if (f.n_transfer_encoding && f.n_content_length)
		return "Send either Content-Length or Transfer-Encoding, not both.";
	if (f.n_transfer_encoding > 1 || (f.n_transfer_encoding && strcasecmp(f.transfer_encoding, "chunked") != 0))
		return "The only transfer coding this server reads is Transfer-Encoding: chunked.";
	if (f.content_lengths_differ)
		return "The request has several different Content-Length values.";
	return NULL;
}

/* Form fields must be UTF-8 text: answers 400 and returns 0 otherwise. */
static int form_text_valid(struct request *req)
{
	if (http_form_text_valid(req))
		return 1;
	static const char msg[] = "The form holds text that is not valid UTF-8: send its fields as UTF-8.";
	if (strncmp(req->path, "/api/", 5) == 0)
		resp_error(req, 400, "bad_utf8", msg, NULL);
	else
		session_page_error(req, 400, msg);
	return 0;
}

/* Runs the matched route (or answers 404/405/413/…) once the body is in. */
static void dispatch(struct request *req)
{
	if (req->headers_too_large) {
		resp_error(req, 431, "headers_too_large",
			   "The request line and headers are larger than this server accepts.", NULL);
		return;
	}
	/* An unknown path or method is that, whatever body came with it. */
	if (!req->route) {
		int known = 0;
		int64_t p[4];
		size_t n;
		route_match(req->method, req->path, p, &n, &known);
		if (known) {
			char allow[64];
			route_allowed(req->path, allow, sizeof(allow));
			resp_header(req, "Allow", allow);
			const char *accept = http_header(req, "Accept");
			if (strncmp(req->path, "/api/", 5) == 0 || !accept || !strstr(accept, "text/html")) {
				resp_error(req, 405, "method_not_allowed", "This URL does not accept that method.",
					   NULL);
			} else {
				/* Typically a reload of a form's result page: say where to go. */
				session_identify(req);
				session_page_error(req, 405,
						   "This address only receives form submissions. Go back to the page "
						   "with the form, or to your board.");
			}
			return;
		}
		if (!req->body_too_large && assets_serve(req))
			return;
		session_identify(req);
		if (strncmp(req->path, "/api/", 5) == 0)
			resp_error(req, 404, "not_found", "No such API endpoint: see /api/v1/openapi.json.", NULL);
		else
			session_page_error(req, 404, "There is nothing at this address.");
		return;
	}
	if (req->body_too_large) {
		/* Say the limit: for an upload, it is what the file must fit in. */
		char msg[200];
		snprintf(msg, sizeof(msg), "The request body is larger than this server accepts: %zu bytes at most%s.",
			 body_limit(req->web, req->body_kind),
			 req->body_kind == BODY_UPLOAD ? " for an upload, the file with its form fields" : "");
		resp_error(req, 413, "body_too_large", msg, NULL);
		return;
	}
	if (req->body_bad) {
		resp_error(req, 400, "bad_body", "The request body could not be read: check its Content-Type.", NULL);
		return;
	}
	if (session_authorize(req) && form_text_valid(req))
		req->route->handler(req);
	if (!req->responded)
		resp_error(req, 500, "internal", "The server did not produce a response.", NULL);
	if (buf_failed(&req->out)) {
		/* A body past the response bound was cut short: never send a truncated
		 * 200, and drop headers (Content-Disposition, ETag) that described it. */
		req->headers = NULL;
		buf_free(&req->out);
		buf_init(&req->out, 4096);
		resp_error(req, 500, "response_too_large",
			   "The answer is larger than this server sends in one response: narrow it (filters, pages).",
			   NULL);
	}
}

/* Whether the route's auth rule lets this caller in, judged from the headers
 * alone on the first callback: a body that will be refused anyway is then
 * dropped unread instead of buffered and parsed for an anonymous client.
 * session_authorize still gives the answer (401, or the log-in redirect). */
static int caller_admitted(struct request *req)
{
	if (!req->route || req->route->auth == AUTH_PUBLIC)
		return 1;
	int who = session_identify(req);
	if (who == SESSION_UNAVAILABLE)
		return 1; /* session_authorize answers 503; the body is small or bounded anyway */
	if (who != SESSION_OK)
		return 0;
	if (req->route->auth == AUTH_PAGE)
		return req->auth == AUTH_SESSION;
	return req->auth != AUTH_NONE;
}

static const char *const csp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

static enum MHD_Result send_response(struct request *req)
{
	size_t len;
	char *body = buf_detach(&req->out, &len);
	if (!body)
		return MHD_NO;
	/* For HEAD, MHD sends the headers of the full response (Content-Length
	 * included) and leaves the body out. */
	req->bytes_sent = req->method == HTTP_HEAD ? 0 : len;
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	if (req->content_type)
		MHD_add_response_header(resp, "Content-Type", req->content_type);
	MHD_add_response_header(resp, "X-Request-Id", req->id);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (req->web->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
	int has_cache = 0;
	for (struct header *h = req->headers; h; h = h->next) {
		MHD_add_response_header(resp, h->name, h->value);
		if (strcasecmp(h->name, "Cache-Control") == 0)
			has_cache = 1;
	}
	if (!has_cache)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	enum MHD_Result r = MHD_queue_response(req->conn, (unsigned)req->status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)version;
	struct web *w = cls;
	struct request *req = *con_cls;
	if (!req) {
		req = request_new(w, conn, url, method);
		if (!req)
			return MHD_NO;
		*con_cls = req;
		const char *bad_framing = framing_error(conn);
		if (bad_framing) {
			/* Answered now, before any body byte is read, and the connection
			 * closed after it: nothing that follows can be taken as a request. */
			resp_error(req, 400, "bad_framing", bad_framing, NULL);
			resp_header(req, "Connection", "close");
			return send_response(req);
		}
		int known;
		req->route = route_match(req->method, req->path, req->params, &req->n_params, &known);
		req->body_kind = req->route ? req->route->body : BODY_NONE;
		req->headers_too_large = request_head_size(conn, url, method) > (size_t)w->cfg->max_header;
		const char *cl = http_header(req, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > (req->body_kind == BODY_NONE ? 0 : body_limit(w, req->body_kind)))
			req->body_too_large = strtoull(cl, NULL, 10) > 0;
		if (req->body_kind != BODY_NONE && !req->headers_too_large && !caller_admitted(req))
			req->body_ignored = 1;
		if (req->body_kind != BODY_NONE && !req->headers_too_large && !req->body_ignored) {
			buf_init(&req->body, body_limit(w, req->body_kind));
			/* JSON routes keep the raw bytes, so a form body is answered 415, not parsed. */
			if (req->body_kind != BODY_JSON && is_form_content(http_header(req, "Content-Type"))) {
				req->post = MHD_create_post_processor(conn, 16 * 1024, post_iterator, req);
				if (!req->post)
					req->body_bad = 1;
			}
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* The idle timeout alone lets a client trickle a body forever: bound
		 * the whole request's time too, and hang up on one that overruns. */
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - req->started.tv_sec > w->cfg->request_timeout)
			return MHD_NO;
		/* Read and drop what we will refuse anyway, so the answer can still be sent. */
		if (req->headers_too_large || req->body_ignored) {
			/* dropped: the answer is 431, or the route's 401 / log-in redirect */
		} else if (!req->body_too_large && !req->body_bad && req->body_kind != BODY_NONE) {
			if (req->post) {
				if (MHD_post_process(req->post, upload_data, *upload_data_size) != MHD_YES &&
				    !req->body_too_large)
					req->body_bad = 1;
			} else if (buf_append(&req->body, upload_data, *upload_data_size)) {
				req->body_too_large = 1;
			}
		} else if (req->body_kind == BODY_NONE) {
			req->body_too_large = 1;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->responded)
		return MHD_YES;
	json_arena_use(&req->arena);
	dispatch(req);
	json_arena_use(NULL);
	return send_response(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct request *req = *con_cls;
	if (!req)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double seconds =
	    (double)(now.tv_sec - req->started.tv_sec) + (double)(now.tv_nsec - req->started.tv_nsec) / 1e9;
	http_metrics_observe(req->route, req->status, seconds);
	access_log_write(req, seconds);
	if (req->post)
		MHD_destroy_post_processor(req->post);
	json_decref(req->json);
	buf_free(&req->body);
	buf_free(&req->out);
	arena_free(&req->arena);
	free(req);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

/* A new plain-HTTP connection: looks at what arrived (without taking it)
 * and answers a Content-Length libmicrohttpd would refuse itself, once (see
 * length_check.h). Shutting the sending side makes MHD's own answer fail
 * instead of following ours; it still reads and drops the request. The
 * listener defers accept until data arrives, so the head is usually here;
 * one that is not yet whole is left to MHD. */
static void refuse_unreadable_length(struct web *w, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci)
		return;
	size_t cap = (size_t)w->cfg->max_header + 1024;
	char *head = malloc(cap);
	if (!head)
		return;
	ssize_t n = recv(ci->connect_fd, head, cap, MSG_PEEK | MSG_DONTWAIT);
	int status = n > 0 ? length_check_head(head, (size_t)n) : 0;
	free(head);
	if (!status)
		return;
	static const char bad[] = "{\"error\":{\"code\":\"bad_framing\",\"message\":\"Content-Length must be one "
				  "number of bytes.\",\"field\":null}}";
	static const char big[] = "{\"error\":{\"code\":\"body_too_large\",\"message\":\"The request body is larger "
				  "than this server accepts.\",\"field\":null}}";
	const char *body = status == 413 ? big : bad;
	char reply[512];
	int len = snprintf(reply, sizeof(reply),
			   "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
			   "Connection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n%s",
			   status == 413 ? "413 Content Too Large" : "400 Bad Request", strlen(body), body);
	if (send(ci->connect_fd, reply, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_event(LOG_WARN, "http.framing", "could not answer a bad Content-Length: %s", strerror(errno));
	shutdown(ci->connect_fd, SHUT_WR);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct web *w = cls;
	(void)socket_context;
	if (open_connections)
		atomic_fetch_add(open_connections, toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
	if (toe == MHD_CONNECTION_NOTIFY_STARTED && !w->tls)
		refuse_unreadable_length(w, conn);
}

static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	struct buf b;
	buf_init(&b, 1 << 20);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	if (buf_failed(&b)) {
		snprintf(err, errlen, "%s is too large for a PEM file", path);
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof(host))
		goto bad;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || colon[1] == '\0')
		goto bad;
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			goto bad;
		return 0;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
		goto bad;
	return 0;
bad:
	snprintf(err, errlen, "cannot parse listen address \"%s\": use HOST:PORT such as 127.0.0.1:8080 or [::1]:8080",
		 listen);
	return -1;
}

static void parse_proxies(struct web *w, const char *list)
{
	const char *p = list;
	while (*p && w->n_proxies < WEB_MAX_PROXIES) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ", ");
		if (n && n < sizeof(w->proxies[0])) {
			memcpy(w->proxies[w->n_proxies], p, n);
			w->proxies[w->n_proxies][n] = '\0';
			w->n_proxies++;
		}
		p += n;
	}
}

/* GnuTLS's defaults still accept TLS 1.0 and 1.1, whose handshakes rest on
 * MD5 and SHA-1 and which browsers have dropped: offer 1.2 and 1.3 only.
 * Within 1.2, only forward-secret key exchange (no static RSA, whose
 * recorded traffic the key decrypts later) and AEAD ciphers (no CBC with
 * HMAC-SHA1, the Lucky13 family): what browsers of the last decade offer. */
static const char tls_priorities[] = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-RSA:-CIPHER-ALL:+AES-256-GCM:"
				     "+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD";

int web_start(struct web *w, const struct config *cfg, struct store *store, const uint8_t *secret, size_t secret_len,
	      char *err, size_t errlen)
{
	struct scrape_scheduler *scheduler = w->scheduler; /* the fields serve sets beforehand */
	struct search_service *search = w->search;
	const struct scan_matcher *matcher = w->matcher;
	struct resume_service *resumes = w->resumes;
	struct scan_service *scans = w->scans;
	const struct backup_files *backup_files = w->backup_files;
	struct best_service *best = w->best;
	struct market *market = w->market;
	memset(w, 0, sizeof(*w));
	w->scheduler = scheduler;
	w->search = search;
	w->matcher = matcher;
	w->resumes = resumes;
	w->scans = scans;
	w->backup_files = backup_files;
	w->best = best;
	w->market = market;
	w->cfg = cfg;
	w->store = store;
	/* Posting pages sanitise descriptions on worker threads (scrape/sanitize.h):
	 * libxml2 must be set up before any thread uses it. Repeat calls are no-ops. */
	xmlInitParser();
	token_derive_key(secret, secret_len, "jwt", w->jwt_key);
	token_derive_key(secret, secret_len, "csrf", w->csrf_key);
	token_derive_key(secret, secret_len, "device", w->device_key);
	token_derive_key(secret, secret_len, "unsubscribe", w->unsubscribe_key);
	parse_proxies(w, cfg->trusted_proxies);
	http_metrics_register();
	scan_metrics_register(); /* described on /metrics before the first scan */
	response_cache_set_budget((size_t)cfg->response_cache_mb << 20);

	struct sockaddr_storage ss;
	if (parse_listen(cfg->listen, &ss, err, errlen)) {
		web_stop(w);
		return -1;
	}
	unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	/* MHD_USE_ITC: MHD_quiesce_daemon needs it with an internal thread pool. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	char *cert = NULL, *key = NULL;
	if (*cfg->tls_cert) {
		cert = read_file(cfg->tls_cert, err, errlen);
		key = cert ? read_file(cfg->tls_key, err, errlen) : NULL;
		if (!key) {
			free(cert);
			web_stop(w);
			return -1;
		}
		flags |= MHD_USE_TLS;
		w->tls = 1;
	}
	struct MHD_OptionItem tls_opts[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, key },
		{ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)tls_priorities },
		{ MHD_OPTION_END, 0, NULL },
	};
	w->daemon =
	    MHD_start_daemon(flags, 0, NULL, NULL, on_request, w, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			     (size_t)cfg->max_header + 16 * 1024, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->request_timeout, MHD_OPTION_NOTIFY_COMPLETED,
			     on_completed, w, MHD_OPTION_NOTIFY_CONNECTION, on_connection, w, MHD_OPTION_ARRAY,
			     w->tls ? tls_opts : tls_opts + 3, MHD_OPTION_END);
	if (!w->daemon) {
		free(cert);
		free(key);
		snprintf(err, errlen, "cannot listen on %s: %s (is another program using the port?)", cfg->listen,
			 errno ? strerror(errno) : "libmicrohttpd refused the settings");
		web_stop(w);
		return -1;
	}
	/* Accept a connection once its first bytes are in, so that
	 * refuse_unreadable_length sees the head; one that sends nothing for a
	 * second is accepted anyway and meets the request timeout. */
	const union MHD_DaemonInfo *lfd = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_LISTEN_FD);
	int defer = 1;
	if (!w->tls && lfd && setsockopt(lfd->listen_fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer)))
		log_event(LOG_WARN, "http.listen", "TCP_DEFER_ACCEPT: %s", strerror(errno));
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT);
	w->port = di ? di->port : 0;
	/* libmicrohttpd keeps pointers to the PEM strings for the daemon's life. */
	w->tls_cert_pem = cert;
	w->tls_key_pem = key;
	return 0;
}

void web_stop(struct web *w)
{
	if (w->daemon) {
		/* Quiesce first: no new connections while in-flight requests finish.
		 * Wait for them (a stuck client is cut off by the request timeout). */
		MHD_socket listen_fd = MHD_quiesce_daemon(w->daemon);
		/* Quiesced, the listening socket is ours, but MHD's threads may still
		 * hold it until they stop, so it is closed only after that. Shutting
		 * it down now refuses new connections instead of queueing them. */
		if (listen_fd != MHD_INVALID_SOCKET)
			shutdown(listen_fd, SHUT_RDWR);
		struct timespec tick = { 0, 10 * 1000 * 1000 };
		long waited = 0, limit = (w->cfg->request_timeout + 1) * 100;
		long pending = atomic_load(&in_flight);
		if (pending > 0)
			log_event(LOG_INFO, "serve.drain", "waiting for %ld request(s) in flight", pending);
		while (atomic_load(&in_flight) > 0 && waited++ < limit)
			nanosleep(&tick, NULL);
		MHD_stop_daemon(w->daemon);
		if (listen_fd != MHD_INVALID_SOCKET)
			close(listen_fd);
		w->daemon = NULL;
	}
	free(w->tls_cert_pem);
	free(w->tls_key_pem);
	w->tls_cert_pem = w->tls_key_pem = NULL;
	templates_free(w->tpl);
	w->tpl = NULL;
	templates_unload();
	response_cache_clear();
}
