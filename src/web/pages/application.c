/* One application: its page (details, edit form, timeline, contacts) and
 * the forms that change it. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "base/timefmt.h"
#include "tracker/application.h"
#include "tracker/contact.h"
#include "tracker/event.h"
#include "tracker/service.h"
#include "tracker/status.h"
#include "web/handlers.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/tracker_call.h"
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
	struct tracker_call call = tracker_call_of(req);
	struct application app;
	struct field_errors errs = { .n = 0 };
	app_init(&app, (time_t)call.now);
	app_apply_strings(&app, http_form_get, req, &req->arena, &errs);
	int rc = tracker_app_create(&call, &app, &errs);
	if (rc == TRACKER_INVALID) {
		render_new(req, 422, &app, &errs);
		return;
	}
	if (rc) {
		session_store_error(req, rc, "The application could not be saved; try again.");
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
	json_object_set_new(o, "version", json_integer(ev->version));
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

/* What a refused form brings back to the application page. */
struct show_state {
	/* the edit form: typed's `typed_fields` shown over the stored values */
	const struct application *typed;
	unsigned typed_fields;
	const struct field_errors *errs;
	const char *conflict; /* the edit form was stale: what changed meanwhile */
	/* a timeline form: the new entry's (edit_event_id 0) or that entry's */
	const struct field_errors *event_errs;
	int64_t edit_event_id;
	/* a contact form: the new contact's (edit_contact_id 0) or that contact's */
	const struct field_errors *contact_errs;
	int64_t edit_contact_id;
};

/* Renders the application page; st (may be NULL) carries a refused form back. */
static void render_show(struct request *req, int status, int64_t id, const struct show_state *st)
{
	static const struct show_state none = { 0 };
	if (!st)
		st = &none;
	const struct field_errors *errs = st->errs, *event_errs = st->event_errs, *contact_errs = st->contact_errs;
	int64_t edit_event_id = st->edit_event_id, edit_contact_id = st->edit_contact_id;
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
		session_store_error(req, rc,
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
		json_object_set_new(o, "version", json_integer(c->version));
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
	struct application shown = app;
	if (st->typed)
		app_copy_fields(&shown, st->typed, st->typed_fields);
	json_t *form = vm_form(&shown, errs, action, "Save changes", &req->arena);
	vm_form_typed(form, errs, http_form_get, req);
	/* The next save is judged against what is stored now. */
	json_object_set_new(form, "base", vm_form_base(&app, &req->arena));
	vm_set_str(form, "conflict", st->conflict);
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
	render_show(req, 200, req->params[0], NULL);
}

/* app_value_fn over the edit form's hidden base_* inputs. */
static const char *form_base_get(void *ctx, const char *name)
{
	struct request *req = ctx;
	char key[48];
	snprintf(key, sizeof(key), "base_%s", name);
	return http_form(req, key);
}

/* The version a form was rendered with (its hidden "version"), 0 when it has none. */
static int64_t form_version(struct request *req)
{
	long v;
	return text_parse_long(http_form(req, "version"), 1, LONG_MAX, &v) ? 0 : (int64_t)v;
}

/* "While you were editing, this application changed: Status is now
 * Interviewing (was Applied); Notes changed. …" — what changed between base
 * (what the form showed) and now, field by field. */
static char *conflict_message(const struct application *base, const struct application *now, unsigned changed,
			      struct arena *a)
{
	struct buf b;
	buf_init(&b, 8192);
	buf_puts(&b, "While you were editing, this application changed: ");
	int first = 1;
	for (unsigned bit = 1; bit & APP_F_ALL; bit <<= 1) {
		if (!(changed & bit))
			continue;
		buf_puts(&b, first ? "" : "; ");
		first = 0;
		const char *was = app_field_display(base, bit, a), *is = app_field_display(now, bit, a);
		if (!was || !is) {
			buf_printf(&b, "%s changed", app_field_label(bit));
			continue;
		}
		buf_printf(&b, "%s is now %s (was %s)", app_field_label(bit), *is ? is : "empty", *was ? was : "empty");
	}
	buf_puts(&b, ". Your edits are below — review them and save again.");
	char *out = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
	buf_free(&b);
	return out;
}

/* POST /applications/{id}: the edit form (version and base_* say what it was
 * rendered with). Only the fields the person changed are written; when the
 * application changed meanwhile, nothing is and the form comes back (409). */
void page_app_update(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	struct application typed, base, current;
	struct field_errors errs = { .n = 0 }, base_errs = { .n = 0 };
	app_init(&typed, (time_t)call.now);
	app_init(&base, (time_t)call.now);
	unsigned typed_fields = app_apply_strings(&typed, http_form_get, req, &req->arena, &errs);
	unsigned base_fields = app_apply_strings(&base, form_base_get, req, &req->arena, &base_errs);
	/* A form without (usable) base values is saved as it was sent. */
	int has_base = base_fields && !base_errs.n;
	unsigned changed = 0;
	int rc = tracker_app_save_form(&call, req->params[0], &typed, has_base ? &base : NULL,
				       has_base ? typed_fields & base_fields : typed_fields, form_version(req),
				       &current, &changed, &errs);
	/* The person's edits come back in the form: over what is stored now. */
	unsigned edits = has_base ? app_fields_differ(&base, &typed, typed_fields & base_fields) : typed_fields;
	struct show_state st = { .typed = &typed, .typed_fields = edits, .errs = &errs };
	if (rc == TRACKER_INVALID) {
		st.typed_fields = typed_fields;
		render_show(req, 422, req->params[0], &st);
		return;
	}
	if (rc == TRACKER_STALE) {
		st.conflict = conflict_message(&base, &current, changed, &req->arena);
		render_show(req, 409, req->params[0], &st);
		return;
	}
	if (rc) {
		session_store_error(req, rc,
				    rc == STORE_NOTFOUND ? "There is no such application."
							 : "The changes could not be saved; try again.");
		return;
	}
	session_flash(req, "app_updated");
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld", (long long)req->params[0]));
}

/* POST /applications/{id}/delete */
void page_app_delete(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_app_delete(&call, req->params[0], 0);
	if (rc) {
		session_store_error(req, rc, "There is no such application.");
		return;
	}
	session_flash(req, "app_deleted");
	resp_redirect(req, "/board");
}

/* Back to the application page, at anchor, with a toast. */
static void back_to_app(struct request *req, const char *flash, const char *anchor)
{
	session_flash(req, flash);
	resp_redirect(req, arena_printf(&req->arena, "/applications/%lld#%s", (long long)req->params[0], anchor));
}

/* POST /applications/{id}/events: kind, at, title, body, interview_kind, with_whom */
void page_event_create(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	/* An empty "when" means now: on the person's calendar for follow-ups. */
	struct app_event ev = { .app_id = req->params[0], .tz_offset_min = call.tz_offset_min };
	struct field_errors errs = { .n = 0 };
	event_from_strings(&ev, http_form_get, req, (time_t)call.now, &req->arena, &errs);
	if (errs.n) {
		render_show(req, 422, req->params[0], &(struct show_state){ .event_errs = &errs });
		return;
	}
	int rc = tracker_event_add(&call, &ev);
	if (rc) {
		session_store_error(req, rc, "There is no such application.");
		return;
	}
	back_to_app(req, "event_added", "timeline");
}

/* POST /applications/{id}/events/{event_id}: the timeline entry's edit form
 * (with the version it was rendered with) */
void page_event_update(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	struct app_event ev;
	struct field_errors errs = { .n = 0 };
	int rc = tracker_event_edit(&call, req->params[0], req->params[1], http_form_get, req, 0, form_version(req),
				    &ev, &errs);
	if (rc == TRACKER_STALE)
		field_errors_add(&errs, "version",
				 "While you were editing, this entry changed (it shows as it is now). Your version is "
				 "below — review it and save again.");
	if (rc == TRACKER_INVALID || rc == TRACKER_STALE) {
		struct show_state st = { .event_errs = &errs, .edit_event_id = req->params[1] };
		render_show(req, rc == TRACKER_STALE ? 409 : 422, req->params[0], &st);
		return;
	}
	if (rc) {
		/* History entries have no edit form: there is nothing to edit. */
		session_store_error(req, rc == TRACKER_HISTORY ? STORE_NOTFOUND : rc,
				    rc == TRACKER_HISTORY || rc == STORE_NOTFOUND
					? "There is no such timeline entry to edit."
					: "The entry could not be saved; try again.");
		return;
	}
	back_to_app(req, "event_updated", "timeline");
}

/* POST /applications/{id}/events/{event_id}/delete */
void page_event_delete(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_event_remove(&call, req->params[0], req->params[1], 0);
	if (rc == TRACKER_HISTORY) {
		session_page_error(req, 409, "Status changes are the application's history and stay on the timeline.");
		return;
	}
	if (rc) {
		session_store_error(req, rc, "There is no such timeline entry.");
		return;
	}
	back_to_app(req, "event_deleted", "timeline");
}

/* POST /applications/{id}/contacts: name, role, email, phone, url, notes */
void page_contact_create(struct request *req)
{
	struct contact c = { 0 };
	struct field_errors errs = { .n = 0 };
	contact_from_strings(&c, http_form_get, req, &req->arena, &errs);
	if (errs.n) {
		render_show(req, 422, req->params[0], &(struct show_state){ .contact_errs = &errs });
		return;
	}
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_contact_add(&call, &c, req->params[0]);
	if (rc) {
		session_store_error(req, rc, "There is no such application.");
		return;
	}
	back_to_app(req, "contact_added", "contacts");
}

/* POST /applications/{id}/contacts/link: contact_id — links an existing contact */
void page_contact_link(struct request *req)
{
	long contact_id;
	if (text_parse_long(http_form(req, "contact_id"), 1, LONG_MAX, &contact_id)) {
		session_page_error(req, 400, "Choose a contact from the list.");
		return;
	}
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_contact_link(&call, req->params[0], contact_id, NULL);
	if (rc) {
		session_store_error(req, rc, "There is no such application or contact.");
		return;
	}
	back_to_app(req, "contact_linked", "contacts");
}

/* POST /applications/{id}/contacts/{contact_id}: the contact's edit form.
 * Only a contact linked to this application: the page it returns to shows
 * (and, on a mistake, reopens) the form of its own contacts. */
void page_contact_update(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	struct contact c;
	struct field_errors errs = { .n = 0 };
	int rc = tracker_contact_edit(&call, req->params[1], req->params[0], http_form_get, req, form_version(req), &c,
				      &errs);
	if (rc == TRACKER_STALE)
		field_errors_add(
		    &errs, "version",
		    "While you were editing, this contact changed (it shows as it is now). Your version is "
		    "below — review it and save again.");
	if (rc == TRACKER_INVALID || rc == TRACKER_STALE) {
		struct show_state st = { .contact_errs = &errs, .edit_contact_id = req->params[1] };
		render_show(req, rc == TRACKER_STALE ? 409 : 422, req->params[0], &st);
		return;
	}
	if (rc) {
		session_store_error(req, rc,
				    rc == STORE_NOTFOUND ? "There is no such contact."
							 : "The contact could not be saved; try again.");
		return;
	}
	back_to_app(req, "contact_updated", "contacts");
}

/* POST /applications/{id}/contacts/{contact_id}/unlink */
void page_contact_unlink(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_contact_unlink(&call, req->params[0], req->params[1]);
	if (rc) {
		session_store_error(req, rc, "That contact is not on this application.");
		return;
	}
	back_to_app(req, "contact_removed", "contacts");
}
