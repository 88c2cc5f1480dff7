/* robots_fetch — getting a robots.txt over HTTP with libcurl, for the
 * `jobtrack robots` command and for a robots cache used without the fetch
 * engine. What a status means is robots_from_response's business; this
 * only reports the final status and as much body as the caller's bound. */
#include "scrape/robots.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/curl_once.h"
#include "scrape/fetch.h"
#include "version.h"

#define CONNECT_TIMEOUT_MS 10000L
#define TIMEOUT_MS         30000L

struct sink {
	struct buf *body;
	bool full; /* the bound was reached: the transfer was ended on purpose */
};

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t len = size * n;
	size_t room = s->body->max - s->body->len;
	if (len > room) {
		buf_append(s->body, data, room);
		s->full = true;
		return 0; /* ends the transfer: the rest would not be parsed */
	}
	return buf_append(s->body, data, len) ? 0 : len;
}

int robots_fetch_curl(void *ctx, const char *robots_url, const char *proxy, struct buf *body, int *http_status)
{
	struct robots_fetch_curl_ctx *opt = ctx;
	char agent[128];
	snprintf(agent, sizeof(agent), FETCH_USER_AGENT_FMT, JOBTRACK_VERSION);
	char error[CURL_ERROR_SIZE] = "";
	*http_status = 0;
	if (opt)
		opt->error[0] = '\0';

	CURL *curl = curl_once() == 0 ? curl_easy_init() : NULL;
	if (!curl) {
		if (opt)
			snprintf(opt->error, sizeof(opt->error), "libcurl could not start");
		return -ENOMEM;
	}
	struct sink sink = { .body = body };
	curl_easy_setopt(curl, CURLOPT_URL, robots_url);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, opt && opt->user_agent ? opt->user_agent : agent);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, (long)ROBOTS_MAX_REDIRECTS);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
			 opt && opt->connect_timeout_ms > 0 ? opt->connect_timeout_ms : CONNECT_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, opt && opt->timeout_ms > 0 ? opt->timeout_ms : TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
	if (proxy) /* "" turns the environment's proxy off, as in the fetch engine */
		curl_easy_setopt(curl, CURLOPT_PROXY, proxy);

	CURLcode rc = curl_easy_perform(curl);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(curl);

	if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && sink.full) || rc == CURLE_TOO_MANY_REDIRECTS) {
		/* Too many redirects leaves the last 3xx as the status, which
		 * robots_from_response reads as "unavailable" (§2.3.1.2). */
		*http_status = (int)status;
		return 0;
	}
	if (opt)
		snprintf(opt->error, sizeof(opt->error), "%s", error[0] ? error : curl_easy_strerror(rc));
	return 0;
}
