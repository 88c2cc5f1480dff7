/* The reminder forms: one application's follow-up reminder, and the
 * user's reminder settings (the section of the settings page). */
#include <string.h>

#include "notify/follow_ups.h"
#include "notify/settings.h"
#include "web/handlers.h"
#include "web/session.h"
#include "web/tracker_call.h"
#include "web/web.h"

/* POST /applications/{id}/follow-up: due_on (YYYY-MM-DD), or clear=1 for no
 * reminder at all (no date, and no default reminder after applying). */
void page_app_follow_up(struct request *req)
{
	const char *clear = http_form(req, "clear");
	const char *due_on = clear && strcmp(clear, "1") == 0 ? NULL : http_form(req, "due_on");
	if (!(clear && strcmp(clear, "1") == 0) && (!due_on || !*due_on)) {
		session_page_error(req, 422, "Pick a date for the reminder, or choose \"No reminder\".");
		return;
	}
	struct tracker_call call = tracker_call_of(req);
	struct field_errors errs = { .n = 0 };
	int rc = follow_up_set(&call, req->params[0], due_on, NULL, &errs);
	if (rc == TRACKER_INVALID) {
		session_page_error(req, 422, errs.items[0].message);
		return;
	}
	if (rc) {
		session_store_error(req, rc,
				    rc == STORE_NOTFOUND ? "That application does not exist."
							 : "The reminder could not be saved; try again.");
		return;
	}
	session_flash(req, due_on ? "reminder_set" : "reminder_off");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld", (long long)req->params[0]));
}

static const char *form_value(void *ctx, const char *name)
{
	return http_form(ctx, name);
}

/* POST /settings/reminders: follow_up_days, ghost_days, email (checkbox),
 * webhook_url, webhook_secret, rotate_secret (checkbox). */
void page_settings_reminders(struct request *req)
{
	struct notify_settings s;
	int rc = store_notify_settings_get(req->web->store, req->user.id, &req->arena, &s);
	if (rc) {
		session_store_error(req, rc, "The reminder settings could not be loaded; try again.");
		return;
	}
	/* An unticked checkbox sends nothing: off. */
	s.email = 0;
	struct field_errors errs = { .n = 0 };
	notify_settings_apply(&s, form_value, req, &req->arena, &errs);
	if (errs.n) {
		page_settings_render_reminders(req, 422, &errs);
		return;
	}
	rc = store_notify_settings_set(req->web->store, req->user.id, &s, (int64_t)time(NULL));
	if (rc) {
		session_store_error(req, rc, "The reminder settings could not be saved; try again.");
		return;
	}
	session_flash(req, "reminders_saved");
	resp_redirect(req, "/settings#reminders");
}
