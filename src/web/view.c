#include "web/view.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/text.h"
#include "web/assets.h"
#include "web/session.h"
#include "web/template.h"
#include "web/web.h"

static char css_url[96], js_url[96];

int templates_load(struct tpl_set **out, char *err, size_t errlen)
{
	struct tpl_set *set = tpl_set_new();
	if (!set) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n_assets; i++) {
		const char *name = assets[i].name;
		const char *ext = strrchr(name, '.');
		if (strncmp(name, "templates/", 10) != 0 || !ext || strcmp(ext, ".mustache") != 0)
			continue;
		char short_name[64];
		snprintf(short_name, sizeof(short_name), "%.*s", (int)(ext - name - 10), name + 10);
		char terr[256];
		if (tpl_set_add(set, short_name, (const char *)assets[i].data, assets[i].len, terr, sizeof(terr))) {
			snprintf(err, errlen, "template %s: %s", name, terr);
			tpl_set_free(set);
			return -1;
		}
	}
	assets_url("static/app.css", css_url, sizeof(css_url));
	assets_url("static/app.js", js_url, sizeof(js_url));
	*out = set;
	return 0;
}

void templates_free(struct tpl_set *set)
{
	tpl_set_free(set);
}

/* serve's templates, compiled by the first page (half a millisecond)
 * instead of at start: an idle server keeps none of their 0.45 MiB. */
static _Atomic(struct tpl_set *) compiled;
static atomic_bool compile_failed;
static pthread_mutex_t compile_mu = PTHREAD_MUTEX_INITIALIZER;

static const struct tpl_set *templates_of(const struct web *w)
{
	if (w->tpl) /* compiled by the caller (tests) */
		return w->tpl;
	struct tpl_set *set = atomic_load_explicit(&compiled, memory_order_acquire);
	if (set || atomic_load(&compile_failed))
		return set;
	pthread_mutex_lock(&compile_mu);
	set = atomic_load_explicit(&compiled, memory_order_relaxed);
	if (!set && !atomic_load(&compile_failed)) {
		char err[512] = "out of memory";
		if (templates_load(&set, err, sizeof(err)) == 0)
			atomic_store_explicit(&compiled, set, memory_order_release);
		else {
			log_event(LOG_ERROR, "view.templates", "%s", err);
			atomic_store(&compile_failed, true);
		}
	}
	pthread_mutex_unlock(&compile_mu);
	return set;
}

void templates_unload(void)
{
	tpl_set_free(atomic_exchange(&compiled, NULL));
	atomic_store(&compile_failed, false);
}

/* Flash messages travel as codes, never as text, so a cookie can't inject words. */
static const char *const flashes[][3] = {
	{ "app_created", "success", "Application added." },
	{ "app_updated", "success", "Changes saved." },
	{ "app_deleted", "success", "Application deleted." },
	{ "moved", "success", "Status updated." },
	{ "event_added", "success", "Added to the timeline." },
	{ "event_deleted", "success", "Removed from the timeline." },
	{ "event_updated", "success", "Timeline entry saved." },
	{ "contact_added", "success", "Contact added." },
	{ "contact_removed", "success", "Contact removed from this application." },
	{ "contact_linked", "success", "Contact linked." },
	{ "contact_updated", "success", "Contact saved." },
	{ "password_changed", "success",
	  "Password changed. Other browsers were signed out; personal API tokens keep working until you revoke "
	  "them below." },
	{ "token_revoked", "success", "Token revoked." },
	{ "calendar_revoked", "success", "Calendar feed turned off: its address no longer works." },
	{ "session_revoked", "success", "That browser is signed out." },
	{ "sessions_revoked", "success", "Every other browser is signed out." },
	{ "signup_opened", "success", "Sign-up is open to anyone who can reach this server." },
	{ "signup_closed", "success", "Sign-up is closed: only the CLI can add users now." },
	{ "logged_out", "success", "You are signed out." },
	{ "welcome", "success", "Welcome to jobtrack." },
	{ "posting_saved", "success", "Saved to your tracker." },
	{ "posting_imported", "success", "Job added: it is saved to your tracker." },
	{ "posting_hidden", "success", "Posting hidden. Settings lists what you hid." },
	{ "company_hidden", "success",
	  "Company hidden: none of its postings show up for you. Settings lists what you hid." },
	{ "unhidden", "success", "Shown again in your postings." },
	{ "search_saved", "success", "Search saved. Its count of new postings is on the postings page and the board." },
	{ "search_updated", "success", "Saved search changed." },
	{ "search_deleted", "success", "Saved search deleted." },
	{ "source_added", "success", "Source added." },
	{ "source_saved", "success", "Source saved." },
	{ "source_deleted", "success", "Source removed; its postings stay." },
	{ "source_run", "success", "Run started." },
	{ "reminder_set", "success", "Follow-up reminder set." },
	{ "reminder_off", "success", "No reminder for this application." },
	{ "reminders_saved", "success", "Reminder settings saved." },
	{ "resume_uploaded", "success", "Resume uploaded." },
	{ "resume_replaced", "success", "File replaced: scan again to see what changed." },
	{ "resume_default", "success", "That resume is your default now." },
	{ "resume_deleted", "success", "Resume deleted, with its scans." },
	{ "scan_deleted", "success", "Scan deleted from the history." },
};

static void add_flash(struct request *req, json_t *ctx)
{
	const char *code = http_cookie(req, FLASH_COOKIE);
	if (!code)
		return;
	for (size_t i = 0; i < sizeof(flashes) / sizeof(flashes[0]); i++)
		if (strcmp(code, flashes[i][0]) == 0) {
			json_object_set_new(ctx, "flash",
					    json_pack("{s:s,s:s}", "kind", flashes[i][1], "message", flashes[i][2]));
			break;
		}
	char *clear = arena_printf(&req->arena, "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0", FLASH_COOKIE);
	if (clear)
		resp_header(req, "Set-Cookie", clear);
}

int view_tz_offset(struct request *req)
{
	long minutes;
	const char *v = http_cookie(req, "jt_tzo");
	/* Real offsets run from UTC-12:00 to UTC+14:00. */
	if (!v || text_parse_long(v, -12 * 60, 14 * 60, &minutes))
		return 0;
	return (int)minutes;
}

void view_render(struct request *req, int status, const char *tpl, const char *title, json_t *ctx)
{
	const struct tpl_set *set = templates_of(req->web); /* before css_url and js_url */
	if (!ctx)
		ctx = json_object();
	if (!ctx) {
		resp_text(req, 500, "text/plain; charset=utf-8", "out of memory\n", 14);
		return;
	}
	session_csrf_anchor(req);
	/* Not "title": records (timeline entries) have titles of their own, and
	 * Mustache would print the page's wherever one is missing. */
	json_object_set_new(ctx, "page_title", json_string(title));
	json_object_set_new(ctx, "csrf", json_string(req->csrf));
	json_object_set_new(ctx, "css_url", json_string(css_url));
	json_object_set_new(ctx, "js_url", json_string(js_url));
	if (req->auth == AUTH_SESSION)
		json_object_set_new(ctx, "user",
				    json_pack("{s:s,s:b}", "email", req->user.email, "is_admin", req->user.is_admin));
	add_flash(req, ctx);
	buf_reset(&req->out);
	/* Pages are tens of kilobytes: reserve what this page took last time
	 * instead of growing through a dozen reallocations. */
	static _Atomic size_t last_size = 16384;
	size_t hint = last_size;
	/* Only a hint: past the buffer's bound it would fail every later page
	 * (the error is sticky, and last_size only changes on success). */
	if (buf_reserve(&req->out, hint + hint / 8))
		buf_reset(&req->out);
	int rc = set ? tpl_render(set, tpl, ctx, &req->out) : -1;
	json_decref(ctx);
	if (rc) {
		log_event(LOG_ERROR, "view.render", "template %s failed: %d", tpl, rc);
		resp_text(req, 500, "text/plain; charset=utf-8", "The page could not be rendered.\n", 32);
		return;
	}
	if (req->out.len > last_size || req->out.len < last_size / 2)
		last_size = req->out.len;
	req->status = status;
	req->content_type = "text/html; charset=utf-8";
	req->responded = 1;
}
