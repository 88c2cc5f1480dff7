/* One application: its page (details, edit form, timeline, contacts) and
 * the forms that change it. */
#include <string.h>

#include <limits.h>

#include "base/text.h"
#include "base/timefmt.h"
#include "tracker/application.h"
#include "tracker/contact.h"
#include "tracker/event.h"
#include "tracker/status.h"
#include "tracker/legacy.h"
#include "web/handlers.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/view.h"
#include "web/web.h"

static void render_new(struct request *req, int status, const struct application *app, const struct field_errors *errs)
{
	json_t *ctx = json_object();
	json_t *form = vm_form(app, errs, "/applications", "Add application", &req->arena);
	vm_form_typed(form, errs, http_form_get, req);
	json_object_set_new(ctx, "form", form);
	view_render(req, status, "app_new", "Add application", ctx);
}

/* GET /applications/new */
void page_app_new(struct request *req)
{
	struct application app;
	time_t now = time(NULL);
	app_init(&app, now);
	const char *status = http_query(req, "status");
	if (status_index(status) >= 0)
		app.status = (char *)status;
	render_new(req, 200, &app, NULL);
}

/* POST /applications */
void page_app_create(struct request *req)
{
	time_t now = time(NULL);
	struct application app;
	struct field_errors errs = { .n = 0 };
	app_init(&app, now);
	app_apply_strings(&app, http_form_get, req, &req->arena, &errs);
	app_validate(&app, now, &req->arena, &errs);
	if (errs.n) {
		render_new(req, 422, &app, &errs);
		return;
	}
	if (store_app_create(req->web->store, req->user.id, &app, (int64_t)now)) {
		session_page_error(req, 500, "The application could not be saved; try again.");
		return;
	}
	session_flash(req, "app_created");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld", (long long)app.id));
}

/* [{value,label,selected}] over the kinds people add. */
static json_t *event_kind_options(const char *selected)
{
	json_t *kinds = json_array();
	for (const char *const *k = event_user_kinds; *k; k++) {
		json_t *o = json_pack("{s:s,s:s}", "value", *k, "label", event_kind_label(*k));
		if (selected && strcmp(selected, *k) == 0)
			json_object_set_new(o, "selected", json_true());
		json_array_append_new(kinds, o);
	}
	return kinds;
}

static json_t *event_view(const struct app_event *ev, time_t now)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(ev->id));
	vm_set_str(o, "kind", ev->kind);
	vm_set_str(o, "kind_label", event_kind_label(ev->kind));
	char iso[TIMEFMT_ISO_LEN], rel[48], disp[64];
	timefmt_iso((time_t)ev->at, iso);
	timefmt_relative((time_t)ev->at, now, rel, sizeof(rel));
	timefmt_display((time_t)ev->at, disp, sizeof(disp));
	vm_set_str(o, "at_iso", iso);
	vm_set_str(o, "at_rel", rel);
	vm_set_str(o, "at_display", disp);
	if (strcmp(ev->kind, "status_change") == 0) {
		json_object_set_new(o, "is_status_change", json_true());
		vm_set_str(o, "from_label", status_label(ev->from_status));
		vm_set_str(o, "to_label", status_label(ev->to_status));
	}
	if (strcmp(ev->kind, "interview") == 0)
		json_object_set_new(o, "is_interview", json_true());
	if (strcmp(ev->kind, "note") == 0)
		json_object_set_new(o, "is_note", json_true());
	if (strcmp(ev->kind, "follow_up") == 0)
		json_object_set_new(o, "is_follow_up", json_true());
	if (strcmp(ev->kind, "created") == 0)
		json_object_set_new(o, "is_created", json_true());
	if (ev->at > (int64_t)now)
		json_object_set_new(o, "is_upcoming", json_true());
	if (ev->title && *ev->title)
		vm_set_str(o, "title", ev->title);
	else if (strcmp(ev->kind, "created") == 0 && ev->to_status)
		json_object_set_new(o, "title", json_sprintf("as %s", status_label(ev->to_status)));
	vm_set_str(o, "body", ev->body);
	vm_set_str(o, "interview_kind", ev->interview_kind);
	vm_set_str(o, "with_whom", ev->with_whom);
	if (event_kind_editable(ev->kind)) {
		/* The edit form's values: the stored time in UTC, which app.js shows
		 * as the browser's local time (data-utc). */
		json_object_set_new(o, "editable", json_true());
		json_t *edit = json_object();
		json_object_set_new(edit, "kinds", event_kind_options(ev->kind));
		char at[TIMEFMT_ISO_LEN];
		timefmt_iso((time_t)ev->at, at);
		at[16] = '\0'; /* "YYYY-MM-DDTHH:MM", what datetime-local takes */
		vm_set_str(edit, "at", at);
		json_object_set_new(edit, "utc", json_true());
		vm_set_str(edit, "title", ev->title);
		vm_set_str(edit, "body", ev->body);
		vm_set_str(edit, "interview_kind", ev->interview_kind);
		vm_set_str(edit, "with_whom", ev->with_whom);
		json_object_set_new(o, "edit", edit);
	}
	return o;
}

/* Renders the application page; form_app/errs carry a rejected edit back. */
static void render_show(struct request *req, int status, int64_t id, const struct application *form_app,
			const struct field_errors *errs, const struct field_errors *event_errs,
			const struct field_errors *contact_errs, int64_t edit_event_id, int64_t edit_contact_id)
{
	static const char *const contact_fields[] = { "name", "role", "email", "phone", "url", "notes", NULL };
	struct application app;
	int rc = store_app_get(req->web->store, req->user.id, id, &req->arena, &app);
	struct app_event *events = NULL;
	struct contact *contacts = NULL;
	size_t n_events = 0, n_contacts = 0;
	if (rc == 0)
		rc = store_event_list(req->web->store, req->user.id, id, &req->arena, &events, &n_events);
	if (rc == 0)
		rc = store_contact_list(req->web->store, req->user.id, id, &req->arena, &contacts, &n_contacts);
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500,
				   rc == STORE_NOTFOUND ? "There is no such application." : "It could not be loaded.");
		return;
	}
	time_t now = time(NULL);
	json_t *v = vm_app_summary(&app, now, view_tz_offset(req));
	vm_set_str(v, "url", app.url);
	vm_set_str(v, "source", app.source);
	vm_set_str(v, "saved_on", app.saved_on);
	vm_set_str(v, "follow_up_on", app.follow_up_on);
	vm_set_str(v, "notes", app.notes);
	char iso[TIMEFMT_ISO_LEN];
	timefmt_iso((time_t)app.created_at, iso);
	vm_set_str(v, "created_iso", iso);

	json_t *evs = json_array();
	for (size_t i = 0; i < n_events; i++)
		json_array_append_new(evs, event_view(&events[i], now));
	json_t *cts = json_array();
	for (size_t i = 0; i < n_contacts; i++) {
		const struct contact *c = &contacts[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(c->id));
		vm_set_str(o, "name", c->name);
		vm_set_str(o, "role", c->role);
		vm_set_str(o, "email", c->email);
		vm_set_str(o, "phone", c->phone);
		vm_set_str(o, "url", c->url);
		vm_set_str(o, "notes", c->notes);
		/* The edit form's values: stored, or what was typed when it was refused. */
		if (edit_contact_id == c->id && contact_errs) {
			json_object_set_new(o, "edit", vm_typed(contact_fields, http_form_get, req));
			json_object_set_new(o, "edit_errors", vm_errors(contact_errs));
			json_object_set_new(o, "edit_open", json_true());
		} else {
			json_object_set_new(o, "edit", json_deep_copy(o));
		}
		json_array_append_new(cts, o);
	}
	/* The user's other contacts, to link one that already exists. */
	json_t *other_contacts = NULL;
	struct contact *everyone = NULL;
	size_t n_everyone = 0;
	if (store_contact_list(req->web->store, req->user.id, 0, &req->arena, &everyone, &n_everyone) == 0) {
		json_t *others = json_array();
		for (size_t i = 0; i < n_everyone; i++) {
			int linked = 0;
			for (size_t j = 0; j < n_contacts && !linked; j++)
				linked = contacts[j].id == everyone[i].id;
			if (linked)
				continue;
			json_t *o = json_object();
			json_object_set_new(o, "id", json_integer(everyone[i].id));
			vm_set_str(o, "name", everyone[i].name);
			vm_set_str(o, "role", everyone[i].role);
			json_array_append_new(others, o);
		}
		other_contacts = others;
	}
	json_t *kinds = event_kind_options(event_errs && !edit_event_id ? http_form(req, "kind") : NULL);

	json_t *ctx = json_object();
	if (other_contacts && json_array_size(other_contacts))
		json_object_set_new(ctx, "has_other_contacts", json_true());
	if (other_contacts)
		json_object_set_new(ctx, "other_contacts", other_contacts);
	json_object_set_new(ctx, "app", v);
	json_object_set_new(ctx, "events", evs);
	json_object_set_new(ctx, "contacts", cts);
	json_object_set_new(ctx, "event_kinds", kinds);
	json_object_set_new(ctx, "status_options", vm_status_options(app.status));
	char *action = arena_printf(&req->arena, "/applications/%lld", (long long)id);
	json_t *form = vm_form(form_app ? form_app : &app, errs, action, "Save changes", &req->arena);
	vm_form_typed(form, errs, http_form_get, req);
	json_object_set_new(ctx, "form", form);
	/* A rejected timeline or contact form comes back open, as it was typed. */
	static const char *const event_fields[] = { "kind", "at", "title", "body", "interview_kind", "with_whom", NULL };
	json_t *ee = vm_errors(event_errs);
	if (ee && edit_event_id) {
		/* A rejected edit: that entry's form opens again with what was typed. */
		for (size_t i = 0; i < json_array_size(evs); i++) {
			json_t *ev = json_array_get(evs, i);
			if (json_integer_value(json_object_get(ev, "id")) != edit_event_id)
				continue;
			json_t *typed = vm_typed(event_fields, http_form_get, req);
			json_object_del(typed, "kind");
			json_object_set_new(typed, "kinds", event_kind_options(http_form(req, "kind")));
			json_object_set_new(ev, "edit", typed);
			json_object_set_new(ev, "edit_errors", json_incref(ee));
			json_object_set_new(ev, "edit_open", json_true());
		}
		json_decref(ee);
	} else if (ee) {
		json_object_set_new(ctx, "event_errors", ee);
		json_object_set_new(ctx, "event_form", vm_typed(event_fields, http_form_get, req));
	}
	json_t *ce = edit_contact_id ? NULL : vm_errors(contact_errs);
	if (ce) {
		json_object_set_new(ctx, "contact_errors", ce);
		json_object_set_new(ctx, "contact_form", vm_typed(contact_fields, http_form_get, req));
	}
	char *title = arena_printf(&req->arena, "%s at %s", app.position, app.company);
	view_render(req, status, "application", title ? title : "Application", ctx);
}

/* GET /applications/{id} */
void page_app_show(struct request *req)
{
	render_show(req, 200, req->params[0], NULL, NULL, NULL, NULL, 0, 0);
}

/* POST /applications/{id}: the edit form */
void page_app_update(struct request *req)
{
	struct application app;
	int rc = store_app_get(req->web->store, req->user.id, req->params[0], &req->arena, &app);
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "There is no such application.");
		return;
	}
	time_t now = time(NULL);
	struct field_errors errs = { .n = 0 };
	app_apply_strings(&app, http_form_get, req, &req->arena, &errs);
	app_validate(&app, now, &req->arena, &errs);
	if (errs.n) {
		render_show(req, 422, req->params[0], &app, &errs, NULL, NULL, 0, 0);
		return;
	}
	if (store_app_update_all(req->web->store, req->user.id, &app, (int64_t)now)) {
		session_page_error(req, 500, "The changes could not be saved; try again.");
		return;
	}
	session_flash(req, "app_updated");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld", (long long)app.id));
}

/* POST /applications/{id}/delete */
void page_app_delete(struct request *req)
{
	int rc = store_app_delete(req->web->store, req->user.id, req->params[0]);
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "There is no such application.");
		return;
	}
	session_flash(req, "app_deleted");
	resp_redirect(req, "/board");
}

/* POST /applications/{id}/events: kind, at, title, body, interview_kind, with_whom */
void page_event_create(struct request *req)
{
	time_t now = time(NULL);
	/* An empty "when" means now: on the person's calendar for follow-ups. */
	struct app_event ev = { .app_id = req->params[0], .tz_offset_min = view_tz_offset(req) };
	struct field_errors errs = { .n = 0 };
	event_from_strings(&ev, http_form_get, req, now, &req->arena, &errs);
	if (errs.n) {
		render_show(req, 422, req->params[0], NULL, NULL, &errs, NULL, 0, 0);
		return;
	}
	int rc = store_event_create(req->web->store, req->user.id, &ev, (int64_t)now);
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "There is no such application.");
		return;
	}
	session_flash(req, "event_added");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld#timeline", (long long)req->params[0]));
}

/* POST /applications/{id}/events/{event_id}: the timeline entry's edit form */
void page_event_update(struct request *req)
{
	struct app_event ev;
	int rc = store_event_get(req->web->store, req->user.id, req->params[0], req->params[1], &req->arena, &ev);
	if (rc == 0 && !event_kind_editable(ev.kind))
		rc = STORE_NOTFOUND;
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "There is no such timeline entry to edit.");
		return;
	}
	time_t now = time(NULL);
	struct field_errors errs = { .n = 0 };
	ev.tz_offset_min = view_tz_offset(req);
	event_from_strings(&ev, http_form_get, req, now, &req->arena, &errs);
	if (errs.n) {
		render_show(req, 422, req->params[0], NULL, NULL, &errs, NULL, req->params[1], 0);
		return;
	}
	rc = store_event_edit(req->web->store, req->user.id, &ev, (int64_t)now);
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "The entry could not be saved; try again.");
		return;
	}
	session_flash(req, "event_updated");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld#timeline", (long long)req->params[0]));
}

/* POST /applications/{id}/events/{event_id}/delete */
void page_event_delete(struct request *req)
{
	struct app_event ev;
	if (store_event_get(req->web->store, req->user.id, req->params[0], req->params[1], &req->arena, &ev) == 0 &&
	    !event_kind_editable(ev.kind)) {
		session_page_error(req, 409, "Status changes are the application's history and stay on the timeline.");
		return;
	}
	int rc = store_event_remove(req->web->store, req->user.id, req->params[0], req->params[1]);
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "There is no such timeline entry.");
		return;
	}
	session_flash(req, "event_deleted");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld#timeline", (long long)req->params[0]));
}

/* POST /applications/{id}/contacts: name, role, email, phone, url, notes */
void page_contact_create(struct request *req)
{
	struct contact c = { 0 };
	struct field_errors errs = { .n = 0 };
	contact_from_strings(&c, http_form_get, req, &req->arena, &errs);
	if (errs.n) {
		render_show(req, 422, req->params[0], NULL, NULL, NULL, &errs, 0, 0);
		return;
	}
	int rc = store_contact_create(req->web->store, req->user.id, &c, req->params[0], (int64_t)time(NULL));
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "There is no such application.");
		return;
	}
	session_flash(req, "contact_added");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld#contacts", (long long)req->params[0]));
}

/* POST /applications/{id}/contacts/link: contact_id — links an existing contact */
void page_contact_link(struct request *req)
{
	long contact_id;
	if (text_parse_long(http_form(req, "contact_id"), 1, LONG_MAX, &contact_id)) {
		session_page_error(req, 400, "Choose a contact from the list.");
		return;
	}
	int rc = store_contact_link(req->web->store, req->user.id, req->params[0], contact_id);
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "There is no such application or contact.");
		return;
	}
	session_flash(req, "contact_linked");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld#contacts", (long long)req->params[0]));
}

/* POST /applications/{id}/contacts/{contact_id}: the contact's edit form */
void page_contact_update(struct request *req)
{
	/* Only a contact linked to this application: the page it returns to
	 * shows (and, on a mistake, reopens) the form of its own contacts. */
	struct contact c, *linked = NULL;
	size_t n_linked = 0;
	int rc = store_contact_list(req->web->store, req->user.id, req->params[0], &req->arena, &linked, &n_linked);
	size_t i = 0;
	while (rc == 0 && i < n_linked && linked[i].id != req->params[1])
		i++;
	if (rc == 0 && i == n_linked)
		rc = STORE_NOTFOUND;
	if (rc == 0)
		c = linked[i];
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "There is no such contact.");
		return;
	}
	struct field_errors errs = { .n = 0 };
	contact_from_strings(&c, http_form_get, req, &req->arena, &errs);
	if (errs.n) {
		render_show(req, 422, req->params[0], NULL, NULL, NULL, &errs, 0, req->params[1]);
		return;
	}
	rc = store_contact_update(req->web->store, req->user.id, &c, (int64_t)time(NULL));
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "The contact could not be saved; try again.");
		return;
	}
	session_flash(req, "contact_updated");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld#contacts", (long long)req->params[0]));
}

/* POST /applications/{id}/contacts/{contact_id}/unlink */
void page_contact_unlink(struct request *req)
{
	int rc = store_contact_unlink(req->web->store, req->user.id, req->params[0], req->params[1]);
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "That contact is not on this application.");
		return;
	}
	session_flash(req, "contact_removed");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld#contacts", (long long)req->params[0]));
}
