#include "notify/webhook.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "base/address.h"
#include "base/curl_once.h"

#define URL_MAX 2048

int webhook_url_check(const char *url, char *err, size_t errlen)
{
	if (!url || !*url || strlen(url) > URL_MAX) {
		snprintf(err, errlen, "Give a webhook URL of at most %d characters, such as https://example.com/hook.",
			 URL_MAX);
		return -1;
	}
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *password = NULL;
	int bad = !u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
		  curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
		  curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK;
	if (!bad && (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		snprintf(err, errlen, "The webhook URL must start with https:// (or http://).");
		bad = 2;
	} else if (!bad && (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
			    curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK)) {
		snprintf(err, errlen,
			 "Leave the user name and password out of the webhook URL: the signature "
			 "tells the receiver the request is yours.");
		bad = 2;
	} else if (bad == 1) {
		snprintf(err, errlen, "That is not a URL: give one such as https://example.com/hook.");
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(password);
	curl_url_cleanup(u);
	return bad ? -1 : 0;
}

void webhook_signature(const char *secret, int64_t timestamp, const char *body, size_t len, char out[WEBHOOK_SIG_LEN])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char ts[24];
	int n = snprintf(ts, sizeof(ts), "%lld.", (long long)timestamp);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (unsigned long long)n);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, (unsigned long long)len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, WEBHOOK_SIG_LEN - 7, mac, sizeof(mac));
}

/* The URL's host and port resolved to one address the request may use,
 * as a CURLOPT_RESOLVE entry ("host:port:address"), so that the address
 * checked is the address connected to (no second lookup to rebind). */
static int pin_address(const char *url, bool allow_private, char *entry, size_t entrylen, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;
	int rc = -1;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		snprintf(err, errlen, "the webhook URL cannot be read");
		goto out;
	}
	/* An IPv6 literal comes in brackets. */
	char name[256];
	size_t hl = strlen(host);
	if (hl >= sizeof(name)) {
		snprintf(err, errlen, "the webhook's host name is too long");
		goto out;
	}
	if (hl > 2 && host[0] == '[' && host[hl - 1] == ']')
		snprintf(name, sizeof(name), "%.*s", (int)(hl - 2), host + 1);
	else
		snprintf(name, sizeof(name), "%s", host);
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res = NULL;
	int gai = getaddrinfo(name, port, &hints, &res);
	if (gai || !res) {
		snprintf(err, errlen, "the webhook's host %s was not found (%s)", name, gai_strerror(gai));
		goto out;
	}
	char text[INET6_ADDRSTRLEN] = "";
	const struct addrinfo *use = NULL;
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		const void *in = ai->ai_family == AF_INET
				     ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
				     : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		inet_ntop(ai->ai_family, in, text, sizeof(text));
		if (!allow_private && !address_is_public(ai->ai_addr, (unsigned)ai->ai_addrlen)) {
			/* Any private answer refuses the whole host: which one a
			 * connection would use is not ours to choose. */
			snprintf(err, errlen,
				 "the webhook's address %s is private or loopback; the administrator has not allowed "
				 "webhooks to reach such addresses",
				 text);
			use = NULL;
			break;
		}
		if (!use)
			use = ai;
	}
	if (use) {
		const void *in = use->ai_family == AF_INET
				     ? (const void *)&((struct sockaddr_in *)use->ai_addr)->sin_addr
				     : (const void *)&((struct sockaddr_in6 *)use->ai_addr)->sin6_addr;
		inet_ntop(use->ai_family, in, text, sizeof(text));
		int n = use->ai_family == AF_INET6 ? snprintf(entry, entrylen, "%s:%s:[%s]", host, port, text)
						   : snprintf(entry, entrylen, "%s:%s:%s", host, port, text);
		rc = n > 0 && (size_t)n < entrylen ? 0 : -1;
	}
	freeaddrinfo(res);
out:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *ctx)
{
	(void)ptr;
	(void)ctx;
	return size * nmemb;
}

/* One try: 0 on 2xx, 1 worth retrying, -1 final. */
static int try_once(const struct webhook_request *r, const char *resolve, long *status, char *err, size_t errlen)
{
	CURL *h = curl_once() == 0 ? curl_easy_init() : NULL;
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	char sig[WEBHOOK_SIG_LEN], line[256];
	webhook_signature(r->secret, r->timestamp, r->body, r->len, sig);
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	snprintf(line, sizeof(line), "X-Jobtrack-Event: %s", r->event);
	headers = curl_slist_append(headers, line);
	snprintf(line, sizeof(line), "X-Jobtrack-Delivery: %s", r->delivery);
	headers = curl_slist_append(headers, line);
	snprintf(line, sizeof(line), "X-Jobtrack-Timestamp: %lld", (long long)r->timestamp);
	headers = curl_slist_append(headers, line);
	snprintf(line, sizeof(line), "X-Jobtrack-Signature: %s", sig);
	headers = curl_slist_append(headers, line);
	headers = curl_slist_append(headers, "Expect:");
	struct curl_slist *pin = curl_slist_append(NULL, resolve);
	curl_easy_setopt(h, CURLOPT_URL, r->url);
	curl_easy_setopt(h, CURLOPT_RESOLVE, pin);
	curl_easy_setopt(h, CURLOPT_PROXY, ""); /* a proxy would connect elsewhere than the address checked */
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, r->timeout_ms);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, r->body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->len);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "jobtrack-webhook/1");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	CURLcode cc = curl_easy_perform(h);
	*status = 0;
	int rc;
	if (cc != CURLE_OK) {
		if (cc == CURLE_OPERATION_TIMEDOUT)
			snprintf(err, errlen, "no answer within %ld ms", r->timeout_ms);
		else
			snprintf(err, errlen, "%s", curl_easy_strerror(cc));
		rc = 1;
	} else {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
		if (*status >= 200 && *status < 300) {
			rc = 0;
		} else {
			snprintf(err, errlen, "the receiver answered HTTP %ld", *status);
			rc = *status == 408 || *status == 429 || *status >= 500 ? 1 : -1;
		}
	}
	curl_slist_free_all(headers);
	curl_slist_free_all(pin);
	curl_easy_cleanup(h);
	return rc;
}

static bool plain_sleep(void *ctx, int ms)
{
	(void)ctx;
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
	return false;
}

int webhook_deliver(const struct webhook_request *r, long *http_status, char *err, size_t errlen)
{
	long status = 0;
	char resolve[512];
	int rc = pin_address(r->url, r->allow_private, resolve, sizeof(resolve), err, errlen);
	if (rc == 0) {
		long wait = r->backoff_ms;
		rc = 1;
		for (int i = 0; rc == 1 && i < (r->tries > 0 ? r->tries : 1); i++) {
			if (i) {
				bool (*nap)(void *, int) = r->sleep ? r->sleep : plain_sleep;
				if (nap(r->sleep_ctx, (int)wait))
					break;
				wait *= 2;
			}
			rc = try_once(r, resolve, &status, err, errlen);
		}
		rc = rc == 0 ? 0 : -1;
	}
	if (http_status)
		*http_status = status;
	return rc;
}
