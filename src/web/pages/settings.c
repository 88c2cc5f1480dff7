/* Settings: password, personal API tokens, sign-up (admins), CSV; the
 * calendar feed section is pages/calendar.c's. */
#include <stdio.h>
#include <string.h>

#include "auth/account.h"
#include "base/timefmt.h"
#include "notify/settings.h"
#include "tracker/input.h"
#include "web/handlers.h"
#include "web/pages/discover.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/throttle.h"
#include "web/view.h"
#include "web/web.h"

/* The reminders section: the saved settings, or what was typed with errs. */
static void reminders_view(struct request *req, json_t *ctx, const struct field_errors *errs)
{
	struct notify_settings s;
	if (store_notify_settings_get(req->web->store, req->user.id, &req->arena, &s))
		return;
	json_t *r = json_object();
	const char *fields[] = { "follow_up_days", "ghost_days", "webhook_url" };
	if (errs) {
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			vm_set_str(r, fields[i], http_form(req, fields[i]));
		json_t *e = vm_errors(errs);
		if (e)
			json_object_set_new(r, "errors", e);
	} else {
		json_object_set_new(r, "follow_up_days", json_integer(s.follow_up_days));
		json_object_set_new(r, "ghost_days", json_integer(s.ghost_days));
		vm_set_str(r, "webhook_url", s.webhook_url);
	}
	if (errs ? http_form(req, "email") != NULL : s.email)
		json_object_set_new(r, "email", json_true());
	vm_set_str(r, "webhook_secret", s.webhook_secret);
	if (!req->web->cfg->smtp_url || !*req->web->cfg->smtp_url)
		json_object_set_new(r, "mail_off", json_true());
	json_object_set_new(ctx, "reminders", r);
}

static void render_with(struct request *req, int status, const struct field_errors *pw_errs, const char *new_token,
			const char *token_error, const struct field_errors *reminder_errs);

static void render(struct request *req, int status, const struct field_errors *pw_errs, const char *new_token,
		   const char *token_error)
{
	render_with(req, status, pw_errs, new_token, token_error, NULL);
}

void page_settings_render_reminders(struct request *req, int status, const struct field_errors *errs)
{
	render_with(req, status, NULL, NULL, NULL, errs);
}

static void render_with(struct request *req, int status, const struct field_errors *pw_errs, const char *new_token,
			const char *token_error, const struct field_errors *reminder_errs)
{
	int signup_open = req->user.is_admin ? account_signup_open(req->web->store) : 0;
	struct api_token *tokens = NULL;
	size_t n = 0;
	int rc =
	    signup_open < 0 ? signup_open : store_token_list(req->web->store, req->user.id, &req->arena, &tokens, &n);
	if (rc) {
		session_store_error(req, rc, "Settings could not be loaded; try again.");
		return;
	}
	time_t now = time(NULL);
	json_t *ctx = json_object();
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_object();
		char rel[48];
		json_object_set_new(t, "id", json_integer(tokens[i].id));
		vm_set_str(t, "name", tokens[i].name);
		vm_set_str(t, "prefix", tokens[i].prefix);
		timefmt_relative((time_t)tokens[i].created_at, now, rel, sizeof(rel));
		vm_set_str(t, "created_rel", rel);
		if (tokens[i].last_used_at) {
			timefmt_relative((time_t)tokens[i].last_used_at, now, rel, sizeof(rel));
			vm_set_str(t, "last_used_rel", rel);
		}
		json_array_append_new(arr, t);
	}
	json_object_set_new(ctx, "tokens", arr);
	if (n)
		json_object_set_new(ctx, "has_tokens", json_true());

	struct session_info *sessions = NULL;
	size_t n_sessions = 0;
	if (store_session_list(req->web->store, req->user.id, req->session_hash, (int64_t)now, &req->arena, &sessions,
			       &n_sessions) == 0) {
		json_t *ss = json_array();
		for (size_t i = 0; i < n_sessions; i++) {
			json_t *o = json_object();
			char rel[48], iso[TIMEFMT_ISO_LEN], device[96];
			json_object_set_new(o, "id", json_integer(sessions[i].id));
			timefmt_relative((time_t)sessions[i].created_at, now, rel, sizeof(rel));
			timefmt_iso((time_t)sessions[i].created_at, iso);
			vm_set_str(o, "created_rel", rel);
			vm_set_str(o, "created_iso", iso);
			vm_device(sessions[i].user_agent, device, sizeof(device));
			vm_set_str(o, "device", device);
			vm_set_str(o, "address", sessions[i].address);
			if (sessions[i].current)
				json_object_set_new(o, "current", json_true());
			json_array_append_new(ss, o);
		}
		json_object_set_new(ctx, "sessions", ss);
		if (n_sessions > 1)
			json_object_set_new(ctx, "other_sessions", json_true());
	}
	page_settings_calendar_ctx(req, ctx);
	vm_set_str(ctx, "new_token", new_token);
	vm_set_str(ctx, "token_error", token_error);
	json_t *e = vm_errors(pw_errs);
	if (e)
		json_object_set_new(ctx, "password_errors", e);
	if (req->user.is_admin)
		json_object_set_new(ctx, "admin", json_pack("{s:b}", "signup_open", signup_open));
	(void)discover_hidden_view(req, ctx); /* the section says "nothing hidden" when it cannot be read */
	reminders_view(req, ctx, reminder_errs);
	json_object_set_new(ctx, "nav_settings", json_true());
	view_render(req, status, "settings", "Settings", ctx);
}

/* GET /settings */
void page_settings(struct request *req)
{
	render(req, 200, NULL, NULL, NULL);
}

/* POST /settings/password: current_password, new_password — ends every
 * session, this one included, and starts this browser a new one: whoever
 * held the old cookie is signed out with everyone else. */
void page_settings_password(struct request *req)
{
	int64_t wait;
	int rc = throttle_password_check(req, &wait);
	if (rc) {
		session_store_error(req, rc, "The password could not be changed; try again.");
		return;
	}
	if (wait) {
		struct field_errors errs = { .n = 0 };
		char *msg = arena_printf(&req->arena, "Too many wrong passwords: wait %lld seconds and try again.",
					 (long long)wait);
		field_errors_add(&errs, "current_password",
				 msg ? msg : "Too many wrong passwords: wait and try again.");
		char secs[24];
		snprintf(secs, sizeof(secs), "%lld", (long long)wait);
		resp_header(req, "Retry-After", secs);
		render(req, 429, &errs, NULL, NULL);
		return;
	}
	struct field_errors errs = { .n = 0 };
	const char *current = http_form(req, "current_password");
	enum account_result r = account_change_password(req->web->store, &req->user, current ? current : "",
							http_form(req, "new_password"), NULL, &errs);
	if (field_errors_get(&errs, "current_password"))
		throttle_password_failed(req);
	if (r == ACCOUNT_INVALID) {
		render(req, 422, &errs, NULL, NULL);
		return;
	}
	if (r != ACCOUNT_OK) {
		session_store_error(req, account_store_error(r), "The password could not be changed; try again.");
		return;
	}
	throttle_password_ok(req);
	if (session_begin(req, &req->user)) {
		/* Every session has ended: the new password works on the log-in page. */
		session_flash(req, "password_changed");
		resp_redirect(req, "/login");
		return;
	}
	session_flash(req, "password_changed");
	resp_redirect(req, "/settings");
}

/* POST /settings/tokens: name — shows the new secret once, on this response. */
void page_settings_token_create(struct request *req)
{
	struct field_errors errs = { .n = 0 };
	char *name = NULL;
	const char *raw = http_form(req, "name");
	if (!raw || input_text(raw, "name", 100, 0, &req->arena, &errs, &name) || !*name) {
		render(req, 422, NULL, NULL,
		       "Give the token a name of at most 100 characters, such as \"laptop script\".");
		return;
	}
	char secret[64];
	int64_t id;
	int rc = api_token_issue(req, name, secret, &id);
	if (rc) {
		session_store_error(req, rc, "The token could not be created; try again.");
		return;
	}
	render(req, 201, NULL, secret, NULL);
}

/* POST /settings/tokens/{id}/revoke */
void page_settings_token_revoke(struct request *req)
{
	int rc = store_token_revoke(req->web->store, req->user.id, req->params[0], (int64_t)time(NULL));
	if (rc) {
		session_store_error(req, rc,
				    rc == STORE_NOTFOUND ? "There is no such token."
							 : "The token could not be revoked; try again.");
		return;
	}
	session_flash(req, "token_revoked");
	resp_redirect(req, "/settings");
}

/* POST /settings/sessions/{id}/revoke */
void page_settings_session_revoke(struct request *req)
{
	int rc = store_session_revoke(req->web->store, req->user.id, req->params[0]);
	if (rc) {
		session_store_error(req, rc,
				    rc == STORE_NOTFOUND ? "There is no such session."
							 : "The session could not be ended; try again.");
		return;
	}
	session_flash(req, "session_revoked");
	resp_redirect(req, "/settings#sessions");
}

/* POST /settings/sessions/revoke-others */
void page_settings_sessions_revoke_others(struct request *req)
{
	int rc = store_sessions_end_others(req->web->store, req->user.id, req->session_hash);
	if (rc) {
		session_store_error(req, rc, "The other sessions could not be ended; try again.");
		return;
	}
	session_flash(req, "sessions_revoked");
	resp_redirect(req, "/settings#sessions");
}

/* POST /settings/signup: signup_open=1 opens, absent closes (admins only) */
void page_settings_signup(struct request *req)
{
	if (!req->user.is_admin) {
		session_page_error(req, 403, "Only an admin can change who may sign up.");
		return;
	}
	const char *v = http_form(req, "signup_open");
	int open = v && strcmp(v, "1") == 0;
	int rc = account_set_signup_open(req->web->store, open);
	if (rc) {
		session_store_error(req, rc, "The setting could not be saved; try again.");
		return;
	}
	session_flash(req, open ? "signup_opened" : "signup_closed");
	resp_redirect(req, "/settings");
}
