/* /saved-searches: a user's saved searches — list with new counts, save
 * from the postings page, rename, change the alert, delete, open (which
 * marks them looked at). Forms with CSRF; no JavaScript needed. */
#include "web/pages/saved_searches.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "search/saved.h"
#include "web/handlers.h"
#include "web/pages/view_model.h"
#include "web/search_query.h"
#include "web/session.h"
#include "web/view.h"
#include "web/tracker_call.h"
#include "web/web.h"

static const char *new_label(struct request *req, int64_t count)
{
	if (count < 0)
		return "new count not ready";
	return arena_printf(&req->arena, "%lld new", (long long)count);
}

/* The user's saved searches as view rows; NULL when the store failed. */
static json_t *rows_of(struct request *req, int with_forms)
{
	struct saved_call c = saved_call_of(req);
	struct saved_search *items;
	int64_t *counts;
	size_t n;
	if (saved_search_list(&c, &items, &counts, &n))
		return NULL;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(items[i].id));
		vm_set_str(o, "name", items[i].name);
		vm_set_str(o, "query", *items[i].query ? items[i].query : "(every open posting)");
		vm_set_str(o, "new_label", new_label(req, counts[i]));
		if (counts[i] > 0)
			json_object_set_new(o, "has_new", json_true());
		if (with_forms) {
			char key[32];
			snprintf(key, sizeof(key), "alert_%s", items[i].alert);
			json_object_set_new(o, key, json_true());
			if (strcmp(items[i].alert, "none"))
				vm_set_str(o, "alert_label", strcmp(items[i].alert, "daily") == 0 ? "daily" : "weekly");
		}
		json_array_append_new(rows, o);
	}
	return rows;
}

void saved_box_view(struct request *req, json_t *ctx, int offer_save)
{
	json_t *rows = rows_of(req, 0);
	if (!rows)
		return;
	json_t *box = json_object();
	if (json_array_size(rows))
		json_object_set_new(box, "has_saved", json_true());
	json_object_set_new(box, "saved", rows);
	if (offer_save) {
		struct buf q;
		buf_init(&q, STORE_SAVED_SEARCH_QUERY_MAX);
		if (search_query_canonical(req, &q) == 0 && q.len) {
			vm_set_str(box, "save_query", q.data);
			const char *name = http_query(req, "q");
			vm_set_str(box, "save_name", name && *name && strlen(name) <= 100 ? name : "My search");
		}
		buf_free(&q);
	}
	json_object_set_new(ctx, "saved_box", box);
}

static void render_list(struct request *req, int status, const char *error)
{
	json_t *rows = rows_of(req, 1);
	if (!rows) {
		session_store_error(req, STORE_ERROR, "Your saved searches could not be loaded; try again.");
		return;
	}
	json_t *ctx = json_object();
	if (json_array_size(rows))
		json_object_set_new(ctx, "has_saved", json_true());
	json_object_set_new(ctx, "saved", rows);
	vm_set_str(ctx, "error", error);
	json_object_set_new(ctx, "nav_postings", json_true());
	view_render(req, status, "saved_searches", "Saved searches", ctx);
}

/* The first field error as one sentence, or the message for rc. */
static const char *error_text(int rc, const struct field_errors *errs)
{
	if (rc == SAVED_INVALID && errs->n)
		return errs->items[0].message;
	if (rc == SAVED_FULL)
		return "You have 50 saved searches already; delete one first.";
	if (rc == STORE_CONFLICT)
		return "You have a saved search of that name already; choose another name.";
	return NULL;
}

/* GET /saved-searches */
void page_saved_list(struct request *req)
{
	render_list(req, 200, NULL);
}

/* POST /saved-searches (name, query, alert) — from the postings page */
void page_saved_create(struct request *req)
{
	struct saved_call c = saved_call_of(req);
	struct saved_input in = { http_form(req, "name"), http_form(req, "query"), http_form(req, "alert") };
	struct field_errors errs = { .n = 0 };
	struct saved_search ss;
	int rc = saved_search_create(&c, &in, &errs, &ss);
	const char *msg = error_text(rc, &errs);
	if (msg) {
		render_list(req, rc == STORE_CONFLICT || rc == SAVED_FULL ? 409 : 422, msg);
		return;
	}
	if (rc) {
		session_store_error(req, rc, "The search could not be saved; try again.");
		return;
	}
	session_flash(req, "search_saved");
	resp_redirect(req, "/saved-searches");
}

/* POST /saved-searches/{id} (name, alert) — rename, change the alert */
void page_saved_update(struct request *req)
{
	struct saved_call c = saved_call_of(req);
	struct saved_input in = { http_form(req, "name"), NULL, http_form(req, "alert") };
	struct field_errors errs = { .n = 0 };
	struct saved_search ss;
	int rc = saved_search_update(&c, req->params[0], &in, &errs, &ss);
	const char *msg = error_text(rc, &errs);
	if (msg) {
		render_list(req, rc == STORE_CONFLICT ? 409 : 422, msg);
		return;
	}
	if (rc) {
		session_store_error(req, rc, "There is no such saved search.");
		return;
	}
	session_flash(req, "search_updated");
	resp_redirect(req, "/saved-searches");
}

/* POST /saved-searches/{id}/delete */
void page_saved_delete(struct request *req)
{
	int rc = store_saved_search_delete(req->web->store, req->user.id, req->params[0]);
	if (rc) {
		session_store_error(req, rc, "There is no such saved search.");
		return;
	}
	session_flash(req, "search_deleted");
	resp_redirect(req, "/saved-searches");
}

/* GET /saved-searches/{id}/open — marks it looked at, shows its results */
void page_saved_open(struct request *req)
{
	struct saved_call c = saved_call_of(req);
	struct saved_search ss;
	int rc = saved_search_open(&c, req->params[0], &ss);
	if (rc) {
		session_store_error(req, rc, "There is no such saved search.");
		return;
	}
	resp_redirect(req, *ss.query ? arena_printf(&req->arena, "/postings?%s", ss.query) : "/postings");
}

/* The saved search an unsubscribe link names; answers 404 itself when the
 * token is not that search's (or it is gone) and returns -1. */
static int by_token(struct request *req, const char *token, struct saved_call *c, struct saved_search *ss)
{
	int rc = saved_search_by_token(c, req->web->unsubscribe_key, req->params[0], token, ss);
	if (rc == SAVED_INVALID)
		rc = STORE_NOTFOUND;
	if (rc) {
		session_store_error(req, rc, "This unsubscribe link is not valid (or its saved search was deleted).");
		return -1;
	}
	return 0;
}

static void render_unsubscribe(struct request *req, const struct saved_search *ss, const char *token, int done)
{
	json_t *ctx = json_object();
	vm_set_str(ctx, "name", ss->name);
	vm_set_str(ctx, "token", token);
	json_object_set_new(ctx, "id", json_integer(ss->id));
	if (done || strcmp(ss->alert, "none") == 0)
		json_object_set_new(ctx, "done", json_true());
	view_render(req, 200, "saved_unsubscribe", "Unsubscribe", ctx);
}

/* GET /saved-searches/{id}/unsubscribe?t=TOKEN — from a digest, signed in
 * or not: asks first (mail scanners open links; only the POST changes it) */
void page_saved_unsubscribe(struct request *req)
{
	struct saved_call c = saved_call_of(req);
	struct saved_search ss;
	const char *token = http_query(req, "t");
	if (by_token(req, token, &c, &ss) == 0)
		render_unsubscribe(req, &ss, token, 0);
}

/* POST /saved-searches/{id}/unsubscribe (t) — turns that alert off */
void page_saved_unsubscribe_post(struct request *req)
{
	struct saved_call c = saved_call_of(req);
	struct saved_search ss;
	const char *token = http_form(req, "t");
	if (by_token(req, token, &c, &ss))
		return;
	int rc = saved_search_unsubscribe(&c, &ss);
	if (rc)
		session_store_error(req, rc, "The alert could not be turned off; try again.");
	else
		render_unsubscribe(req, &ss, token, 1);
}
