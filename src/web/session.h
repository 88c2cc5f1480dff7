/* session — who is calling, whether they may, and browser sessions.
 *
 * Browsers hold an opaque token in the HttpOnly cookie jt_session; the
 * server keeps only its SHA-256. API clients send `Authorization: Bearer`
 * with either a JWT from POST /api/v1/auth/token or a personal token
 * ("jt_…") made in settings.
 *
 * CSRF: a browser's token is an HMAC of its session cookie (or, before
 * log-in, of the jt_pre cookie), so it needs no storage; every form carries
 * it as _csrf and app.js sends it as X-CSRF-Token. Bearer requests carry no
 * ambient credentials and need none. */
#ifndef JT_WEB_SESSION_H
#define JT_WEB_SESSION_H

#include "web/http.h"

#define SESSION_COOKIE     "jt_session"
#define PRE_SESSION_COOKIE "jt_pre"
#define FLASH_COOKIE       "jt_flash"
/* The log-in throttle's known-client cookie (auth/device.h, web/throttle.h). */
#define DEVICE_COOKIE      "jt_device"

enum session_result {
	SESSION_OK = 0,              /* identified, or anonymous */
	SESSION_BAD_CREDENTIAL = -1, /* a Bearer credential was sent but is invalid: 401 */
	SESSION_UNAVAILABLE = -2,    /* the store could not say who it is (busy, down): 503, never "logged out" */
};

/* Fills req->auth, req->user and req->csrf from the request's credentials.
 * Safe to call twice. Returns an enum session_result. */
int session_identify(struct request *req);
/* Makes sure an anonymous browser has a CSRF token for the forms of the
 * page being rendered, setting the pre-session cookie it hangs on. */
void session_csrf_anchor(struct request *req);
/* Applies the route's auth rule and the CSRF rule; answers and returns 0
 * when the request may not proceed, else returns 1. */
int session_authorize(struct request *req);
/* Starts a browser session for u: stores it and sets the cookie. */
int session_begin(struct request *req, const struct user *u);
/* Ends the caller's browser session and clears the cookie. 0, or the
 * store's error when it could not end the session: the session is then still
 * valid, so the cookie is left alone and the caller must say so. */
int session_end(struct request *req);
/* Sets a cookie: Path=/, HttpOnly, SameSite=Lax, Secure over HTTPS, for
 * max_age seconds (0 deletes it). value must be cookie-safe text. */
void session_set_cookie(struct request *req, const char *name, const char *value, long max_age);
/* Sets a one-shot message code shown as a toast on the next page. */
void session_flash(struct request *req, const char *code);
/* An HTML error page (or JSON for /api/ paths). */
void session_page_error(struct request *req, int status, const char *message);
/* What a page answers for a failed store result (STORE_*), the one place
 * that decides it: 503 with Retry-After when the store is busy (the person
 * only has to try again), 404 for STORE_NOTFOUND, else 500. Pages that
 * re-render their own form with the status use this; the rest use
 * session_store_error. */
int session_store_status(struct request *req, int rc);
#define SESSION_BUSY_MESSAGE "The database is busy: try again in a moment."
/* The error page for a store result: session_store_status, with message
 * (or SESSION_BUSY_MESSAGE when busy). */
void session_store_error(struct request *req, int rc, const char *message);

#endif
