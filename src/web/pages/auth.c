/* Sign-up, log-in and log-out pages. */
#include <stdio.h>
#include <string.h>

#include "auth/account.h"
#include "web/handlers.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/throttle.h"
#include "web/view.h"
#include "web/web.h"

/* Only local paths may be a post-login destination (no open redirects).
 * Browsers drop tabs and newlines inside a URL and read '\' as '/', so
 * "/\t/evil.example" or "/\\evil.example" would leave the site: refuse any
 * control character or backslash anywhere, not just after the first '/'. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/')
		return "/board";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return "/board";
	return next;
}

/* GET / */
void page_home(struct request *req)
{
	session_identify(req);
	resp_redirect(req, req->auth == AUTH_SESSION ? "/board" : "/login");
}

static void render_login(struct request *req, int status, const char *email, const char *error)
{
	json_t *ctx = json_object();
	vm_set_str(ctx, "email", email);
	vm_set_str(ctx, "error", error);
	vm_set_str(ctx, "next", http_query(req, "next") ? http_query(req, "next") : http_form(req, "next"));
	/* Only a hint for the link: when the store cannot say, no link. */
	if (account_signup_open(req->web->store) > 0)
		json_object_set_new(ctx, "signup_open", json_true());
	view_render(req, status, "login", "Log in", ctx);
}

/* The log-in form again after the store failed: a busy or unreachable
 * store is 503 with Retry-After (the person only has to try again). */
static void login_store_failed(struct request *req, const char *email, int store_rc, const char *message)
{
	int status = session_store_status(req, store_rc);
	render_login(req, status, email, status == 503 ? SESSION_BUSY_MESSAGE : message);
}

/* GET /login */
void page_login(struct request *req)
{
	if (req->auth == AUTH_SESSION) {
		resp_redirect(req, safe_next(http_query(req, "next")));
		return;
	}
	render_login(req, 200, NULL, NULL);
}

/* POST /login: email, password, next */
void page_login_post(struct request *req)
{
	const char *email = http_form(req, "email");
	int64_t wait;
	int rc = throttle_login(req, email, &wait);
	if (rc) {
		login_store_failed(req, email, rc, "The server could not check your password; try again.");
		return;
	}
	if (wait) {
		char secs[24];
		snprintf(secs, sizeof(secs), "%lld", (long long)wait);
		resp_header(req, "Retry-After", secs);
		char *msg =
		    arena_printf(&req->arena, "Too many attempts: wait %lld seconds and try again.", (long long)wait);
		render_login(req, 429, email, msg);
		return;
	}
	struct user u;
	enum account_result r = account_login(req->web->store, email, http_form(req, "password"), &u);
	if (r == ACCOUNT_BAD_CREDENTIALS)
		throttle_login_failed(req, email);
	if (r == ACCOUNT_BAD_CREDENTIALS) {
		render_login(req, 401, email, "Wrong e-mail or password.");
		return;
	}
	if (r != ACCOUNT_OK) {
		login_store_failed(req, email, account_store_error(r),
				   "The server could not check your password; try again.");
		return;
	}
	rc = session_begin(req, &u);
	if (rc) {
		login_store_failed(req, email, rc, "The server could not start your session; try again.");
		return;
	}
	throttle_login_ok(req, &u);
	resp_redirect(req, safe_next(http_form(req, "next")));
}

static void render_signup(struct request *req, int status, const char *email, const char *error,
			  const struct field_errors *errs)
{
	int open = account_signup_open(req->web->store);
	if (open < 0) {
		/* Never shown as open while the store cannot say whether it is. */
		session_store_error(req, open, "The server could not tell whether sign-up is open; try again.");
		return;
	}
	json_t *ctx = json_object();
	if (!open)
		json_object_set_new(ctx, "closed", json_true());
	vm_set_str(ctx, "email", email);
	vm_set_str(ctx, "error", error);
	json_t *e = vm_errors(errs);
	if (e)
		json_object_set_new(ctx, "errors", e);
	if (status == 409)
		json_object_set_new(ctx, "email_exists", json_true());
	view_render(req, status, "signup", "Sign up", ctx);
}

/* After the store failed: a busy or unreachable store is 503 with
 * Retry-After (the store error page: the form needs the store too). */
static void signup_store_failed(struct request *req, const char *email, int store_rc)
{
	if (store_rc == STORE_BUSY)
		session_store_error(req, store_rc, NULL);
	else
		render_signup(req, 500, email, "The server could not create the account; try again.", NULL);
}

/* GET /signup */
void page_signup(struct request *req)
{
	render_signup(req, 200, NULL, NULL, NULL);
}

/* POST /signup: email, password */
void page_signup_post(struct request *req)
{
	const char *email = http_form(req, "email");
	int64_t wait;
	int rc = throttle_signup(req, &wait);
	if (rc) {
		signup_store_failed(req, email, rc);
		return;
	}
	if (wait) {
		render_signup(req, 429, email, "Too many sign-ups from your address: try again later.", NULL);
		return;
	}
	struct user u;
	struct field_errors errs = { .n = 0 };
	enum account_result r = account_signup(req->web->store, email, http_form(req, "password"), 0, &u, &errs);
	switch (r) {
	case ACCOUNT_OK:
		rc = session_begin(req, &u);
		if (rc) {
			render_signup(req, session_store_status(req, rc), email,
				      "Your account exists, but the session failed: log in.", NULL);
			return;
		}
		throttle_login_ok(req, &u);
		session_flash(req, "welcome");
		resp_redirect(req, "/board");
		return;
	case ACCOUNT_CLOSED:
		render_signup(req, 403, email, NULL, NULL);
		return;
	case ACCOUNT_EXISTS:
		render_signup(req, 409, email, NULL, &errs);
		return;
	case ACCOUNT_INVALID:
		render_signup(req, 422, email, NULL, &errs);
		return;
	default:
		signup_store_failed(req, email, account_store_error(r));
	}
}

/* POST /logout */
void page_logout(struct request *req)
{
	int rc = session_end(req);
	if (rc) {
		/* Clearing the cookie alone would leave a valid session behind. */
		int status = session_store_status(req, rc);
		session_page_error(req, status,
				   status == 503 ? "You are still signed in: the database is busy, so the log-out did "
						   "not happen. Try again in a moment."
						 : "You are still signed in: the log-out did not happen. Try again.");
		return;
	}
	session_flash(req, "logged_out");
	resp_redirect(req, "/login");
}
