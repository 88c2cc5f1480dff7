/* webhook — delivers one JSON event to a user's webhook URL, signed, with a
 * time-out and a few tries, never to an address the server alone can reach
 * (base/address.h) unless the administrator allows it.
 *
 * What the receiver gets: POST with Content-Type application/json and
 *   X-Jobtrack-Event:     the event's name ("follow_up.due")
 *   X-Jobtrack-Delivery:  an id that stays the same over retries of one event
 *   X-Jobtrack-Timestamp: Unix seconds when signed
 *   X-Jobtrack-Signature: "sha256=" + hex HMAC-SHA256(secret, timestamp "." body)
 * A receiver recomputes the signature with its copy of the secret, compares
 * in constant time and refuses old timestamps (replays). Any 2xx answer is
 * delivery; redirects are not followed (they could lead anywhere). */
#ifndef JT_NOTIFY_WEBHOOK_H
#define JT_NOTIFY_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_SIG_LEN 72 /* "sha256=" + 64 hex + NUL */

struct webhook_request {
	const char *url;
	const char *secret;
	const char *event;    /* X-Jobtrack-Event */
	const char *delivery; /* X-Jobtrack-Delivery */
	const char *body;
	size_t len;
	int64_t timestamp;
	bool allow_private; /* the administrator lets webhooks reach private and loopback addresses */
	long timeout_ms;    /* per try, connecting included */
	int tries;          /* at most this many tries in this call (>= 1) */
	long backoff_ms;    /* the wait before the second try; doubles for each later one */
	/* Waits ms milliseconds between tries; returns true when the caller
	 * is stopping (no more tries). NULL: a plain sleep. */
	bool (*sleep)(void *ctx, int ms);
	void *sleep_ctx;
};

/* Checks a URL a user gives: http or https, a host, no user name or
 * password, at most 2048 bytes. 0, or -1 with a sentence in err. */
int webhook_url_check(const char *url, char *err, size_t errlen);
/* The X-Jobtrack-Signature value for body signed at timestamp. */
void webhook_signature(const char *secret, int64_t timestamp, const char *body, size_t len, char out[WEBHOOK_SIG_LEN]);
/* Delivers r: 0 once a try got a 2xx answer; -1 with the last failure in err
 * ("HTTP 500", "timed out after 5 s", "the address 10.0.0.1 is private …").
 * *http_status (may be NULL) gets the last status (0: none). Retries
 * network failures, 408, 429 and 5xx; other answers are final. */
int webhook_deliver(const struct webhook_request *r, long *http_status, char *err, size_t errlen);

#endif
