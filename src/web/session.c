#include "web/session.h"

#include <stdio.h>
#include <string.h>

#include "auth/jwt.h"
#include "auth/token.h"
#include "base/text.h"
#include "base/log.h"
#include "web/route.h"
#include "web/view.h"
#include "web/web.h"

static int is_api(const struct request *req)
{
	return strncmp(req->path, "/api/", 5) == 0;
}

void session_set_cookie(struct request *req, const char *name, const char *value, long max_age)
{
	char *c = arena_printf(&req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%ld%s", name, value,
			       max_age, req->https ? "; Secure" : "");
	if (c)
		resp_header(req, "Set-Cookie", c);
}

static int cookie_token_ok(const char *v)
{
	size_t n = strlen(v);
	if (n < 20 || n >= TOKEN_TEXT_MAX)
		return 0;
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return 0;
	return 1;
}

static void set_csrf(struct request *req, const char *kind, const char *anchor)
{
	char msg[TOKEN_TEXT_MAX + 4];
	int n = snprintf(msg, sizeof(msg), "%s:%s", kind, anchor);
	token_mac(req->web->csrf_key, msg, (size_t)n, req->csrf);
}

/* A store lookup's answer as the caller's: no such row is a bad
 * credential; any other failure means nobody can tell right now. */
static int lookup_result(int store_rc)
{
	if (store_rc == 0)
		return SESSION_OK;
	return store_rc == STORE_NOTFOUND ? SESSION_BAD_CREDENTIAL : SESSION_UNAVAILABLE;
}

static int identify_bearer(struct request *req, const char *cred)
{
	struct web *w = req->web;
	int64_t now = (int64_t)time(NULL);
	int rc;
	if (strncmp(cred, "jt_", 3) == 0) {
		uint8_t hash[32];
		token_digest(cred, strlen(cred), hash);
		rc = lookup_result(store_token_user(w->store, hash, now, &req->user));
	} else {
		struct jwt_claims c;
		if (jwt_verify(w->jwt_key, cred, now, &c) != 0)
			return SESSION_BAD_CREDENTIAL;
		rc = lookup_result(store_user_by_id(w->store, c.sub, &req->user));
		if (rc == SESSION_OK && req->user.token_version != c.ver)
			rc = SESSION_BAD_CREDENTIAL;
	}
	if (rc == SESSION_OK)
		req->auth = AUTH_BEARER;
	return rc;
}

int session_identify(struct request *req)
{
	if (req->auth != AUTH_NONE || req->csrf[0])
		return 0;
	const char *authz = http_header(req, "Authorization");
	if (authz) {
		int rc =
		    strncasecmp(authz, "Bearer ", 7) != 0 ? SESSION_BAD_CREDENTIAL : identify_bearer(req, authz + 7);
		if (rc != SESSION_OK)
			memset(&req->user, 0, sizeof(req->user));
		return rc;
	}
	const char *cookie = http_cookie(req, SESSION_COOKIE);
	if (cookie && cookie_token_ok(cookie)) {
		token_digest(cookie, strlen(cookie), req->session_hash);
		int rc = lookup_result(
		    store_session_user(req->web->store, req->session_hash, (int64_t)time(NULL), &req->user));
		if (rc == SESSION_OK) {
			req->auth = AUTH_SESSION;
			set_csrf(req, "s", cookie);
			return SESSION_OK;
		}
		if (rc == SESSION_UNAVAILABLE) {
			/* Not "logged out": a database blip must not send people to log in. */
			memset(&req->user, 0, sizeof(req->user));
			return rc;
		}
	}
	if (is_api(req))
		return 0;
	/* Anonymous browser: CSRF hangs on the pre-session cookie, if it has one
	 * (session_csrf_anchor makes it when a page with a form is shown). */
	const char *pre = http_cookie(req, PRE_SESSION_COOKIE);
	if (pre && cookie_token_ok(pre))
		set_csrf(req, "p", pre);
	return 0;
}

void session_csrf_anchor(struct request *req)
{
	session_identify(req);
	if (req->csrf[0] || is_api(req))
		return;
	char fresh[TOKEN_TEXT_MAX];
	token_new("", fresh);
	session_set_cookie(req, PRE_SESSION_COOKIE, fresh, 60L * 60 * 24 * 30);
	set_csrf(req, "p", fresh);
}

static int is_write(const struct request *req)
{
	return req->method == HTTP_POST || req->method == HTTP_PUT || req->method == HTTP_PATCH ||
	       req->method == HTTP_DELETE;
}

int session_authorize(struct request *req)
{
	int who = session_identify(req);
	if (who == SESSION_UNAVAILABLE) {
		session_store_error(req, STORE_BUSY, NULL);
		return 0;
	}
	if (who != SESSION_OK) {
		resp_header(req, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
		resp_error(req, 401, "invalid_token", "The bearer token is invalid or expired: get a new one.", NULL);
		return 0;
	}
	enum auth_need need = req->route->auth;
	if (need == AUTH_PAGE && req->auth != AUTH_SESSION) {
		if (req->method == HTTP_GET) {
			const char *next = arena_printf(&req->arena, "/login?next=%s", req->path);
			resp_redirect(req, next ? next : "/login");
		} else {
			resp_redirect(req, "/login");
		}
		return 0;
	}
	if (need == AUTH_API && req->auth == AUTH_NONE) {
		resp_header(req, "WWW-Authenticate", "Bearer");
		resp_error(req, 401, "unauthenticated", "Sign in, or send Authorization: Bearer <token>.", NULL);
		return 0;
	}
	/* Writes riding on a cookie must prove they come from our own pages. */
	int cookie_write = is_write(req) && req->auth != AUTH_BEARER && (req->auth == AUTH_SESSION || !is_api(req));
	if (cookie_write) {
		const char *sent = http_header(req, "X-CSRF-Token");
		if (!sent)
			sent = http_form(req, "_csrf");
		if (!sent || !req->csrf[0] || !token_equal(sent, req->csrf)) {
			if (is_api(req))
				resp_error(req, 403, "csrf", "Missing or wrong CSRF token: send X-CSRF-Token.", NULL);
			else
				session_page_error(req, 403,
						   "This form has expired or came from another site. Go back, reload "
						   "the page and try again.");
			return 0;
		}
	}
	return 1;
}

int session_begin(struct request *req, const struct user *u)
{
	char tok[TOKEN_TEXT_MAX];
	token_new("", tok);
	uint8_t hash[32];
	token_digest(tok, strlen(tok), hash);
	long max_age = req->web->cfg->session_days * 86400L;
	const char *ua = http_header(req, "User-Agent");
	/* Kept for the "signed-in browsers" list: bounded, and cut back to whole
	 * UTF-8 characters so the list stays valid JSON and HTML. */
	char ua_short[200];
	snprintf(ua_short, sizeof(ua_short), "%s", ua ? ua : "");
	size_t ua_len = strlen(ua_short);
	while (ua_len && !text_utf8_valid(ua_short, ua_len))
		ua_short[--ua_len] = '\0';
	int rc = store_session_create(req->web->store, u->id, hash, (int64_t)time(NULL), (int64_t)time(NULL) + max_age,
				      ua_short, req->client_addr);
	if (rc)
		return rc;
	session_set_cookie(req, SESSION_COOKIE, tok, max_age);
	memcpy(req->session_hash, hash, 32);
	req->auth = AUTH_SESSION;
	req->user = *u;
	set_csrf(req, "s", tok);
	return 0;
}

int session_end(struct request *req)
{
	if (req->auth == AUTH_SESSION) {
		int rc = store_session_delete(req->web->store, req->session_hash);
		if (rc && rc != STORE_NOTFOUND)
			return rc;
	}
	session_set_cookie(req, SESSION_COOKIE, "", 0);
	req->auth = AUTH_NONE;
	return 0;
}

void session_flash(struct request *req, const char *code)
{
	session_set_cookie(req, FLASH_COOKIE, code, 60);
}

void session_page_error(struct request *req, int status, const char *message)
{
	if (is_api(req)) {
		resp_error(req, status,
			   status == 404   ? "not_found"
			   : status == 403 ? "forbidden"
					   : "error",
			   message, NULL);
		return;
	}
	json_t *ctx = json_pack("{s:i,s:s}", "status", status, "message", message);
	view_render(req, status, "error", status == 404 ? "Not found" : "Something went wrong", ctx);
}

int session_store_status(struct request *req, int rc)
{
	if (rc == STORE_BUSY) {
		resp_header(req, "Retry-After", "1");
		return 503;
	}
	return rc == STORE_NOTFOUND ? 404 : 500;
}

void session_store_error(struct request *req, int rc, const char *message)
{
	if (is_api(req)) {
		resp_store_error(req, rc);
		return;
	}
	int status = session_store_status(req, rc);
	session_page_error(req, status, status == 503 ? SESSION_BUSY_MESSAGE : message);
}
