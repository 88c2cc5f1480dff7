/* /api/v1/auth, /api/v1/me, /api/v1/tokens, /api/v1/admin — accounts over the API. */
#include <string.h>

#include "auth/account.h"
#include "auth/jwt.h"
#include "auth/token.h"
#include "base/json_out.h"
#include "tracker/input.h"
#include "web/api/serialize.h"
#include "web/handlers.h"
#include "web/session.h"
#include "web/throttle.h"
#include "web/web.h"

static const char *str_member(json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Only `allowed` string members may appear. Answers 422 and returns -1 otherwise. */
static int check_members(struct request *req, json_t *body, const char *const *allowed)
{
	struct field_errors errs = { .n = 0 };
	input_json_strings(body, allowed, &req->arena, &errs);
	if (errs.n) {
		resp_field_errors(req, &errs);
		return -1;
	}
	return 0;
}

/* Answers 503 (the store failed) or 429 (wait > 0) and returns -1 when a
 * throttle check refused; 0 when the attempt may go ahead. */
static int refused(struct request *req, int rc, int64_t wait)
{
	if (rc) {
		resp_store_error(req, rc);
		return -1;
	}
	if (wait) {
		throttle_refuse(req, wait);
		return -1;
	}
	return 0;
}

/* POST /api/v1/auth/signup {email, password} → 201 {user} */
void api_signup(struct request *req)
{
	static const char *const allowed[] = { "email", "password", NULL };
	json_t *body = http_json_body(req);
	if (!body || check_members(req, body, allowed))
		return;
	int64_t wait;
	int rc = throttle_signup(req, &wait);
	if (refused(req, rc, wait))
		return;
	struct user u;
	struct field_errors errs = { .n = 0 };
	enum account_result r =
	    account_signup(req->web->store, str_member(body, "email"), str_member(body, "password"), 0, &u, &errs);
	switch (r) {
	case ACCOUNT_OK:
		buf_puts(&req->out, "{\"user\":");
		serialize_user(&req->out, &u);
		buf_putc(&req->out, '}');
		resp_json(req, 201);
		return;
	case ACCOUNT_CLOSED:
		resp_error(req, 403, "signup_closed", "Sign-up is closed on this server: ask its admin for an account.",
			   NULL);
		return;
	case ACCOUNT_EXISTS:
		resp_error(req, 409, "email_taken", errs.items[0].message, "email");
		return;
	case ACCOUNT_INVALID:
		resp_field_errors(req, &errs);
		return;
	default:
		resp_store_error(req, account_store_error(r));
	}
}

/* POST /api/v1/auth/token {email, password} → {token, token_type, expires_in, expires_at} */
void api_token(struct request *req)
{
	static const char *const allowed[] = { "email", "password", NULL };
	json_t *body = http_json_body(req);
	if (!body || check_members(req, body, allowed))
		return;
	const char *email = str_member(body, "email");
	int64_t wait;
	int rc = throttle_login(req, email, &wait);
	if (refused(req, rc, wait))
		return;
	struct user u;
	enum account_result r = account_login(req->web->store, email, str_member(body, "password"), &u);
	if (r == ACCOUNT_BAD_CREDENTIALS)
		throttle_login_failed(req, email);
	if (r == ACCOUNT_BAD_CREDENTIALS) {
		resp_error(req, 401, "bad_credentials", "Wrong e-mail or password.", NULL);
		return;
	}
	if (r != ACCOUNT_OK) {
		resp_store_error(req, account_store_error(r));
		return;
	}
	throttle_login_ok(req, &u);
	int64_t now = (int64_t)time(NULL);
	struct jwt_claims c = { .sub = u.id, .ver = u.token_version, .iat = now, .exp = now + req->web->cfg->jwt_ttl };
	char jwt[JWT_MAX];
	if (jwt_sign(req->web->jwt_key, &c, jwt, sizeof(jwt))) {
		resp_store_error(req, STORE_ERROR);
		return;
	}
	buf_puts(&req->out, "{\"token\":");
	json_out_string(&req->out, jwt);
	buf_printf(&req->out, ",\"token_type\":\"Bearer\",\"expires_in\":%ld,\"expires_at\":", req->web->cfg->jwt_ttl);
	serialize_time(&req->out, c.exp);
	buf_puts(&req->out, "}");
	resp_json(req, 200);
}

/* GET /api/v1/me */
void api_me(struct request *req)
{
	serialize_user(&req->out, &req->user);
	resp_json(req, 200);
}

/* POST /api/v1/me/password {current_password, new_password}: ends every
 * session and old JWTs. A browser session gets a new session cookie (and
 * its new CSRF token in X-CSRF-Token), so a stolen old cookie dies too. */
void api_me_password(struct request *req)
{
	static const char *const allowed[] = { "current_password", "new_password", NULL };
	json_t *body = http_json_body(req);
	if (!body || check_members(req, body, allowed))
		return;
	int64_t wait;
	int rc = throttle_password_check(req, &wait);
	if (refused(req, rc, wait))
		return;
	struct field_errors errs = { .n = 0 };
	const char *current = str_member(body, "current_password");
	enum account_result r = account_change_password(req->web->store, &req->user, current ? current : "",
							str_member(body, "new_password"), NULL, &errs);
	if (field_errors_get(&errs, "current_password"))
		throttle_password_failed(req);
	if (r == ACCOUNT_INVALID) {
		resp_field_errors(req, &errs);
		return;
	}
	if (r != ACCOUNT_OK) {
		resp_store_error(req, account_store_error(r));
		return;
	}
	throttle_password_ok(req);
	if (req->auth == AUTH_SESSION) {
		if (session_begin(req, &req->user)) {
			/* The password changed and every session ended: the browser logs in anew. */
			resp_store_error(req, STORE_ERROR);
			return;
		}
		resp_header(req, "X-CSRF-Token", req->csrf);
	}
	resp_text(req, 204, NULL, "", 0);
}

/* GET /api/v1/tokens */
void api_tokens_list(struct request *req)
{
	struct api_token *items;
	size_t n;
	int rc = store_token_list(req->web->store, req->user.id, &req->arena, &items, &n);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	buf_puts(&req->out, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		buf_printf(&req->out, "%s{\"id\":%lld,\"name\":", i ? "," : "", (long long)items[i].id);
		json_out_string(&req->out, items[i].name);
		json_out_key(&req->out, "prefix", 0);
		json_out_string(&req->out, items[i].prefix);
		json_out_key(&req->out, "created_at", 0);
		serialize_time(&req->out, items[i].created_at);
		json_out_key(&req->out, "last_used_at", 0);
		serialize_time(&req->out, items[i].last_used_at);
		buf_putc(&req->out, '}');
	}
	buf_puts(&req->out, "]}");
	resp_json(req, 200);
}

/* Makes a personal token; the secret is returned once and never again. */
int api_token_issue(struct request *req, const char *name, char secret[TOKEN_TEXT_MAX], int64_t *id)
{
	token_new("jt_", secret);
	uint8_t hash[32];
	token_digest(secret, strlen(secret), hash);
	char prefix[12];
	snprintf(prefix, sizeof(prefix), "%.10s", secret);
	return store_token_create(req->web->store, req->user.id, name, prefix, hash, (int64_t)time(NULL), id);
}

/* POST /api/v1/tokens {name} → 201 {id, name, token} */
void api_tokens_create(struct request *req)
{
	static const char *const allowed[] = { "name", NULL };
	json_t *body = http_json_body(req);
	if (!body || check_members(req, body, allowed))
		return;
	struct field_errors errs = { .n = 0 };
	char *name = NULL;
	const char *raw = str_member(body, "name");
	if (!raw || input_text(raw, "name", 100, 0, &req->arena, &errs, &name) || !*name) {
		field_errors_add(&errs, "name", "Give the token a name, such as \"laptop script\".");
		resp_field_errors(req, &errs);
		return;
	}
	char secret[TOKEN_TEXT_MAX];
	int64_t id;
	int rc = api_token_issue(req, name, secret, &id);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	buf_printf(&req->out, "{\"id\":%lld,\"name\":", (long long)id);
	json_out_string(&req->out, name);
	json_out_key(&req->out, "token", 0);
	json_out_string(&req->out, secret);
	buf_putc(&req->out, '}');
	resp_json(req, 201);
}

/* DELETE /api/v1/tokens/{id} */
void api_tokens_revoke(struct request *req)
{
	int rc = store_token_revoke(req->web->store, req->user.id, req->params[0], (int64_t)time(NULL));
	if (rc)
		resp_store_error(req, rc);
	else
		resp_text(req, 204, NULL, "", 0);
}

/* GET /api/v1/sessions: the user's signed-in browsers ("current" is the caller's). */
void api_sessions_list(struct request *req)
{
	struct session_info *items;
	size_t n;
	int rc = store_session_list(req->web->store, req->user.id, req->auth == AUTH_SESSION ? req->session_hash : NULL,
				    (int64_t)time(NULL), &req->arena, &items, &n);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	buf_puts(&req->out, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		buf_printf(&req->out, "%s{\"id\":%lld,\"created_at\":", i ? "," : "", (long long)items[i].id);
		serialize_time(&req->out, items[i].created_at);
		json_out_key(&req->out, "expires_at", 0);
		serialize_time(&req->out, items[i].expires_at);
		json_out_key(&req->out, "user_agent", 0);
		json_out_string(&req->out, items[i].user_agent);
		json_out_key(&req->out, "address", 0);
		json_out_string(&req->out, items[i].address);
		json_out_key(&req->out, "current", 0);
		json_out_bool(&req->out, items[i].current);
		buf_putc(&req->out, '}');
	}
	buf_puts(&req->out, "]}");
	resp_json(req, 200);
}

/* DELETE /api/v1/sessions/{id}: signs that browser out. */
void api_sessions_revoke(struct request *req)
{
	int rc = store_session_revoke(req->web->store, req->user.id, req->params[0]);
	if (rc)
		resp_store_error(req, rc);
	else
		resp_text(req, 204, NULL, "", 0);
}

static int require_admin(struct request *req)
{
	if (req->user.is_admin)
		return 1;
	resp_error(req, 403, "forbidden", "Only an admin can do this.", NULL);
	return 0;
}

static void answer_settings(struct request *req)
{
	int open = account_signup_open(req->web->store);
	if (open < 0) {
		resp_store_error(req, open);
		return;
	}
	buf_reset(&req->out);
	buf_printf(&req->out, "{\"signup_open\":%s}", open ? "true" : "false");
	resp_json(req, 200);
}

/* GET /api/v1/admin/settings */
void api_admin_settings_get(struct request *req)
{
	if (require_admin(req))
		answer_settings(req);
}

/* PATCH /api/v1/admin/settings {signup_open: bool} */
void api_admin_settings_patch(struct request *req)
{
	if (!require_admin(req))
		return;
	json_t *body = http_json_body(req);
	if (!body)
		return;
	const char *key;
	json_t *val;
	json_object_foreach (body, key, val) {
		if (strcmp(key, "signup_open") != 0) {
			resp_error(req, 422, "invalid", "Unknown setting.", key);
			return;
		}
		if (!json_is_boolean(val)) {
			resp_error(req, 422, "invalid", "signup_open must be true or false.", key);
			return;
		}
	}
	json_t *open = json_object_get(body, "signup_open");
	int rc = open ? account_set_signup_open(req->web->store, json_is_true(open)) : 0;
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	answer_settings(req);
}
