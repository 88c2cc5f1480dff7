/* The calendar feed from the browser: the settings page's section (on or
 * off, since when), turning it on or making a new address (shown once, on
 * its own page: only its hash is kept), and turning it off. */
#include <string.h>
#include <time.h>

#include "base/timefmt.h"
#include "web/handlers.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/view.h"
#include "web/web.h"

void page_settings_calendar_ctx(struct request *req, json_t *ctx)
{
	int64_t at;
	json_t *cal = json_object();
	if (store_calendar_feed_get(req->web->store, req->user.id, &at) == 0) {
		char rel[48], iso[TIMEFMT_ISO_LEN];
		timefmt_relative((time_t)at, time(NULL), rel, sizeof(rel));
		timefmt_iso((time_t)at, iso);
		json_object_set_new(cal, "active", json_true());
		vm_set_str(cal, "created_rel", rel);
		vm_set_str(cal, "created_iso", iso);
	}
	json_object_set_new(ctx, "calendar", cal);
}

/* POST /settings/calendar — a new address; any earlier one stops working. */
void page_settings_calendar_create(struct request *req)
{
	char path[CALENDAR_PATH_MAX];
	int rc = api_calendar_feed_issue(req, path);
	if (rc) {
		session_store_error(req, rc, "The calendar feed could not be made; try again.");
		return;
	}
	const char *host = http_header(req, "Host");
	json_t *ctx = json_object();
	vm_set_str(ctx, "feed_path", path);
	if (host && *host && !strpbrk(host, "/\\ \"<>")) {
		const char *scheme = req->https ? "https" : "http";
		vm_set_str(ctx, "feed_url", arena_printf(&req->arena, "%s://%s%s", scheme, host, path));
		vm_set_str(ctx, "webcal_url", arena_printf(&req->arena, "webcal://%s%s", host, path));
	}
	resp_header(req, "Cache-Control", "no-store");
	view_render(req, 201, "calendar_feed", "Calendar feed", ctx);
}

/* POST /settings/calendar/revoke */
void page_settings_calendar_revoke(struct request *req)
{
	int rc = store_calendar_feed_delete(req->web->store, req->user.id);
	if (rc && rc != STORE_NOTFOUND) {
		session_store_error(req, rc, "The calendar feed could not be turned off; try again.");
		return;
	}
	session_flash(req, "calendar_revoked");
	resp_redirect(req, "/settings#calendar");
}
