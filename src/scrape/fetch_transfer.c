/* fetch_transfer — one attempt of a request as a libcurl easy handle: the
 * options that keep a hostile server within bounds (protocols, redirects,
 * time, body size after decoding), the conditional headers from the cache,
 * and afterwards what the answer or the CURLcode means for the request. */
#include "scrape/fetch_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BODY_RESERVE_MAX (1u << 20)

/* Decoded bytes arrive here (curl inflates gzip/deflate/br first), so the
 * limit holds for what a small compressed body expands to. */
static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	struct fetch_job *j = ud;
	size_t len = size * n;
	if (len > j->max_body - j->body_buf.len) {
		j->too_large = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	/* The first chunk: room for the announced length at once, rather than
	 * a realloc and copy as each chunk arrives (only a start for a
	 * compressed body; and no more than 1 MiB on a server's word). */
	curl_off_t announced;
	if (!j->body_buf.cap &&
	    curl_easy_getinfo(j->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced) == CURLE_OK &&
	    announced > (curl_off_t)len && announced <= (curl_off_t)BODY_RESERVE_MAX &&
	    (size_t)announced <= j->max_body)
		buf_reserve(&j->body_buf, (size_t)announced);
	if (buf_append(&j->body_buf, data, len) < 0)
		return 0;
	return len;
}

static int add_header(struct curl_slist **list, const char *name, const char *value)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "%s: %s", name, value);
	if (n < 0 || (size_t)n >= sizeof(line))
		return 0; /* a validator this long is not worth a conditional request */
	struct curl_slist *l = curl_slist_append(*list, line);
	if (!l)
		return -ENOMEM;
	*list = l;
	return 0;
}

/* The request's own headers, then the validators of a cached copy. */
static int build_headers(struct fetch_job *j)
{
	struct curl_slist *list = NULL;
	int rc = 0;
	if (j->content_type)
		rc |= add_header(&list, "Content-Type", j->content_type);
	if (j->accept)
		rc |= add_header(&list, "Accept", j->accept);
	if (j->post) /* no 100-continue round trip before a JSON body */
		rc |= add_header(&list, "Expect", "");
	for (char **h = j->headers; h && *h && rc == 0; h++) {
		struct curl_slist *l = curl_slist_append(list, *h);
		if (!l)
			rc = -ENOMEM;
		else
			list = l;
	}
	if (j->have_cached && j->cached.etag)
		rc |= add_header(&list, "If-None-Match", j->cached.etag);
	if (j->have_cached && j->cached.last_modified)
		rc |= add_header(&list, "If-Modified-Since", j->cached.last_modified);
	if (rc) {
		curl_slist_free_all(list);
		return -ENOMEM;
	}
	j->req_headers = list;
	return 0;
}

static void look_up_cache(struct fetch *f, struct fetch_job *j)
{
	j->cache_checked = true;
	const struct fetch_cache *c = f->cfg.cache;
	if (!c || j->post)
		return;
	memset(&j->cached, 0, sizeof(j->cached));
	if (c->lookup(c->ctx, j->url, &j->cached) == 0 && (j->cached.etag || j->cached.last_modified)) {
		j->have_cached = true;
		return;
	}
	free(j->cached.etag);
	free(j->cached.last_modified);
	free(j->cached.body);
	memset(&j->cached, 0, sizeof(j->cached));
}

/* CURLOPT_OPENSOCKETFUNCTION: the config's address check, then the socket
 * libcurl would have opened. */
static curl_socket_t open_checked(void *ctx, curlsocktype purpose, struct curl_sockaddr *addr)
{
	(void)purpose;
	struct fetch *f = ctx;
	if (!f->cfg.address_allowed(f->cfg.address_ctx, &addr->addr, (unsigned)addr->addrlen))
		return CURL_SOCKET_BAD;
	return socket(addr->family, addr->socktype, addr->protocol);
}

int fetch_transfer_prepare(struct fetch *f, struct fetch_job *j)
{
	if (!j->cache_checked)
		look_up_cache(f, j);
	if (build_headers(j) < 0)
		return -ENOMEM;
	CURL *e = f->n_pool ? f->easy_pool[--f->n_pool] : curl_easy_init();
	if (!e) {
		curl_slist_free_all(j->req_headers);
		j->req_headers = NULL;
		return -ENOMEM;
	}
	const char *proxy = j->proxy ? j->proxy : f->proxy;
	CURLcode c = CURLE_OK;
	c |= curl_easy_setopt(e, CURLOPT_URL, j->url);
	c |= curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	c |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	c |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	c |= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	c |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	c |= curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)f->cfg.max_redirects);
	c |= curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding this libcurl decodes */
	c |= curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	c |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)f->cfg.timeout_ms);
	c |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)f->cfg.connect_timeout_ms);
	c |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, (long)f->cfg.low_speed_bytes);
	c |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)f->cfg.low_speed_s);
	/* A declared length past the limit fails before any body is read. */
	c |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->max_body);
	c |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	c |= curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	c |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->text->curl_error);
	c |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->req_headers);
	if (proxy)
		c |= curl_easy_setopt(e, CURLOPT_PROXY, proxy);
	if (f->cfg.address_allowed) {
		c |= curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_checked);
		c |= curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, f);
	}
	if (j->post) {
		c |= curl_easy_setopt(e, CURLOPT_POST, 1L);
		c |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)j->body_len);
		c |= curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body ? j->body : "");
	}
	j->text->curl_error[0] = '\0';
	j->easy = e;
	if (c != CURLE_OK) { /* an option this libcurl does not know, or ENOMEM */
		fetch_transfer_release(f, j);
		return -EINVAL;
	}
	return 0;
}

void fetch_transfer_release(struct fetch *f, struct fetch_job *j)
{
	curl_slist_free_all(j->req_headers);
	j->req_headers = NULL;
	if (!j->easy)
		return;
	if (f->n_pool < f->cfg.max_total) {
		curl_easy_reset(j->easy);
		f->easy_pool[f->n_pool++] = j->easy;
	} else {
		curl_easy_cleanup(j->easy);
	}
	j->easy = NULL;
}

/* Copies the last response's header name into out; "" when absent or too long. */
static void copy_header(CURL *e, const char *name, char *out, size_t outlen)
{
	struct curl_header *h;
	out[0] = '\0';
	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return;
	size_t len = strlen(h->value);
	if (len < outlen)
		memcpy(out, h->value, len + 1);
}

/* Two Content-Lengths that disagree: RFC 9112 §6.3 calls the framing
 * unrecoverable, and libcurl would quietly believe the last one. */
static bool conflicting_lengths(CURL *e)
{
	struct curl_header *h;
	if (curl_easy_header(e, "Content-Length", 0, CURLH_HEADER, -1, &h) != CURLHE_OK || h->amount < 2)
		return false;
	char first[32];
	if (strlen(h->value) >= sizeof(first))
		return true;
	memcpy(first, h->value, strlen(h->value) + 1);
	size_t amount = h->amount;
	for (size_t i = 1; i < amount; i++)
		if (curl_easy_header(e, "Content-Length", i, CURLH_HEADER, -1, &h) == CURLHE_OK &&
		    strcmp(h->value, first) != 0)
			return true;
	return false;
}

static const char *or_null(const char *s)
{
	return s[0] ? s : NULL;
}

/* Connection-level failures that another try may not meet. */
static bool transient(CURLcode code)
{
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

static bool finish_transport_error(struct fetch_job *j, CURLcode code)
{
	struct fetch_result *r = &j->result;
	const char *detail = j->text->curl_error[0] ? j->text->curl_error : curl_easy_strerror(code);
	bool retry = false;
	if (j->too_large || code == CURLE_FILESIZE_EXCEEDED) {
		r->error = FETCH_TOO_LARGE;
		snprintf(j->text->message, sizeof(j->text->message), "%s: body larger than %zu bytes", j->url,
			 j->max_body);
	} else if (code == CURLE_OPERATION_TIMEDOUT) {
		r->error = FETCH_TIMEOUT;
		retry = true;
		snprintf(j->text->message, sizeof(j->text->message), "%s: timed out (%s)", j->url, detail);
	} else if (code == CURLE_TOO_MANY_REDIRECTS) {
		r->error = FETCH_TOO_MANY_REDIRECTS;
		snprintf(j->text->message, sizeof(j->text->message), "%s: %s", j->url, detail);
	} else if (code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT) {
		r->error = FETCH_BAD_URL;
		snprintf(j->text->message, sizeof(j->text->message), "%s: refused to follow (%s)", j->url, detail);
	} else {
		r->error = FETCH_NETWORK;
		retry = transient(code);
		snprintf(j->text->message, sizeof(j->text->message), "%s: %s", j->url, detail);
	}
	buf_reset(&j->body_buf); /* half a body is no body */
	return retry;
}

bool fetch_transfer_finish(struct fetch_job *j, CURLcode code)
{
	struct fetch_result *r = &j->result;
	CURL *e = j->easy;
	long status = 0;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	const char *effective = NULL;
	free(j->final_url);
	j->final_url = NULL;
	if (curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective)
		j->final_url = strdup(effective); /* NULL on ENOMEM: the requested URL stands in */
	const char *ct = NULL;
	j->text->content_type_value[0] = '\0';
	if (curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct &&
	    strlen(ct) < sizeof(j->text->content_type_value))
		memcpy(j->text->content_type_value, ct, strlen(ct) + 1);
	copy_header(e, "ETag", j->text->etag, sizeof(j->text->etag));
	copy_header(e, "Last-Modified", j->text->last_modified, sizeof(j->text->last_modified));
	copy_header(e, "Retry-After", j->text->retry_after, sizeof(j->text->retry_after));
	r->content_type = or_null(j->text->content_type_value);
	r->etag = or_null(j->text->etag);
	r->last_modified = or_null(j->text->last_modified);
	r->retry_after = or_null(j->text->retry_after);
	r->from_cache = false;
	j->text->message[0] = '\0';

	if (status && conflicting_lengths(e)) {
		r->error = FETCH_NETWORK;
		snprintf(j->text->message, sizeof(j->text->message), "%s: conflicting Content-Length headers", j->url);
		buf_reset(&j->body_buf);
		return false;
	}
	if (code != CURLE_OK)
		return finish_transport_error(j, code);
	if (status >= 200 && status < 300) {
		r->error = FETCH_OK;
		return false;
	}
	if (status == 304 && j->have_cached) {
		r->error = FETCH_OK;
		r->from_cache = true;
		return false;
	}
	r->error = FETCH_HTTP_ERROR;
	snprintf(j->text->message, sizeof(j->text->message), "%s: HTTP %ld", j->url, status);
	/* Overload and outages pass; 501 (not implemented) does not. */
	return status == 429 || (status >= 500 && status <= 599 && status != 501);
}
