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
	if (account_signup_open(req->web->store))
		json_object_set_new(ctx, "signup_open", json_true());
	view_render(req, status, "login", "Log in", ctx);
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
	if (throttle_login(req, email, &wait)) {
		render_login(req, 503, email, "The server is busy; try again in a moment.");
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
	if (r != ACCOUNT_OK) {
		render_login(req, r == ACCOUNT_ERROR ? 500 : 401, email,
			     r == ACCOUNT_ERROR ? "The server could not check your password; try again."
						: "Wrong e-mail or password.");
		return;
	}
	throttle_login_ok(req, email);
	if (session_begin(req, &u)) {
		render_login(req, 500, email, "The server could not start your session; try again.");
		return;
	}
	resp_redirect(req, safe_next(http_form(req, "next")));
}

static void render_signup(struct request *req, int status, const char *email, const char *error,
			  const struct field_errors *errs)
{
	json_t *ctx = json_object();
	if (!account_signup_open(req->web->store))
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
	if (throttle_signup(req, &wait)) {
		render_signup(req, 503, email, "The server is busy; try again in a moment.", NULL);
		return;
	}
	if (wait) {
		render_signup(req, 429, email, "Too many sign-ups from your address: try again later.", NULL);
		return;
	}
	struct user u;
	struct field_errors errs = { .n = 0 };
	switch (account_signup(req->web->store, email, http_form(req, "password"), 0, &u, &errs)) {
	case ACCOUNT_OK:
		if (session_begin(req, &u)) {
			render_signup(req, 500, email, "Your account exists, but the session failed: log in.", NULL);
			return;
		}
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
		render_signup(req, 500, email, "The server could not create the account; try again.", NULL);
	}
}

/* POST /logout */
void page_logout(struct request *req)
{
	session_end(req);
	session_flash(req, "logged_out");
	resp_redirect(req, "/login");
}
