/* /api/v1/saved-searches: a user's saved searches with their "new since
 * you last looked" counts (search/saved.h has the rules). */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "base/json_out.h"
#include "base/text.h"
#include "search/saved.h"
#include "web/api/scrape_json.h"
#include "web/api/serialize.h"
#include "web/handlers.h"
#include "web/tracker_call.h"
#include "web/web.h"

static void serialize_saved(struct buf *b, const struct saved_search *ss, int64_t new_count)
{
	buf_puts(b, "{\"id\":");
	json_out_int(b, ss->id);
	JSON_OUT_KEY(b, "name");
	json_out_string(b, ss->name);
	JSON_OUT_KEY(b, "query");
	json_out_string(b, ss->query);
	JSON_OUT_KEY(b, "alert");
	json_out_string(b, ss->alert);
	JSON_OUT_KEY(b, "new_count");
	json_out_int_or_null(b, new_count, new_count < 0);
	JSON_OUT_KEY(b, "last_looked_at");
	serialize_time(b, ss->last_looked_at);
	JSON_OUT_KEY(b, "last_alert_at");
	if (ss->last_alert_at)
		serialize_time(b, ss->last_alert_at);
	else
		buf_puts(b, "null");
	JSON_OUT_KEY(b, "created_at");
	serialize_time(b, ss->created_at);
	JSON_OUT_KEY(b, "updated_at");
	serialize_time(b, ss->updated_at);
	buf_putc(b, '}');
}

/* A saved_err or store error as the API's error shape. */
static void answer_error(struct request *req, int rc, const struct field_errors *errs)
{
	if (rc == SAVED_INVALID)
		resp_field_errors(req, errs);
	else if (rc == SAVED_FULL)
		resp_error(req, 409, "too_many", "You have 50 saved searches already; delete one first.", NULL);
	else if (rc == STORE_CONFLICT)
		resp_error(req, 409, "name_taken", "You have a saved search of that name already.", "name");
	else if (rc == SAVED_NO_INDEX) {
		resp_header(req, "Retry-After", "1");
		resp_error(req, 503, "search_starting", "The search index is still being built; try again shortly.",
			   NULL);
	} else
		resp_store_error(req, rc);
}

static void answer_one(struct request *req, int status, const struct saved_call *c, const struct saved_search *ss)
{
	int64_t count = -1;
	if (saved_search_count_new(c, ss, ss->last_looked_at, &count))
		count = -1;
	buf_reset(&req->out);
	serialize_saved(&req->out, ss, count);
	resp_json(req, status);
}

/* Reads {name, query, alert} members: a member of another type is a field
 * error; absent ones stay NULL. */
static int input_of(json_t *body, struct saved_input *in, struct field_errors *errs)
{
	static const char *const keys[] = { "name", "query", "alert" };
	const char **dst[] = { &in->name, &in->query, &in->alert };
	for (size_t i = 0; i < 3; i++) {
		json_t *v = json_object_get(body, keys[i]);
		if (!v)
			continue;
		if (!json_is_string(v))
			field_errors_add(errs, keys[i], "must be a string");
		else
			*dst[i] = json_string_value(v);
	}
	return errs->n ? SAVED_INVALID : 0;
}

/* GET /api/v1/saved-searches — the user's, by name, with new counts */
void api_saved_list(struct request *req)
{
	struct saved_call c = saved_call_of(req);
	struct saved_search *items;
	int64_t *counts;
	size_t n;
	int rc = saved_search_list(&c, &items, &counts, &n);
	if (rc) {
		answer_error(req, rc, NULL);
		return;
	}
	buf_puts(&req->out, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&req->out, ',');
		serialize_saved(&req->out, &items[i], counts[i]);
	}
	buf_puts(&req->out, "]}");
	resp_header(req, "Cache-Control", "private, no-cache");
	resp_json(req, 200);
}

/* Creates (id 0) or updates saved search id from the JSON body. */
static void write_saved(struct request *req, int64_t id)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct saved_input in = { 0 };
	struct field_errors errs = { .n = 0 };
	struct saved_call c = saved_call_of(req);
	struct saved_search ss;
	int rc = input_of(body, &in, &errs);
	if (rc == 0)
		rc = id ? saved_search_update(&c, id, &in, &errs, &ss) : saved_search_create(&c, &in, &errs, &ss);
	if (rc)
		answer_error(req, rc, &errs);
	else
		answer_one(req, id ? 200 : 201, &c, &ss);
}

/* POST /api/v1/saved-searches {name, query, alert} */
void api_saved_create(struct request *req)
{
	write_saved(req, 0);
}

/* GET /api/v1/saved-searches/{id} */
void api_saved_get(struct request *req)
{
	struct saved_call c = saved_call_of(req);
	struct saved_search ss;
	int rc = store_saved_search_get(c.store, c.user_id, req->params[0], c.arena, &ss);
	if (rc)
		answer_error(req, rc, NULL);
	else
		answer_one(req, 200, &c, &ss);
}

/* PATCH /api/v1/saved-searches/{id} {name?, query?, alert?} */
void api_saved_patch(struct request *req)
{
	write_saved(req, req->params[0]);
}

/* DELETE /api/v1/saved-searches/{id} */
void api_saved_delete(struct request *req)
{
	int rc = store_saved_search_delete(req->web->store, req->user.id, req->params[0]);
	if (rc)
		answer_error(req, rc, NULL);
	else
		resp_text(req, 204, NULL, "", 0);
}

/* POST /api/v1/saved-searches/{id}/looked — "I have seen them": the new count starts again from now */
void api_saved_looked(struct request *req)
{
	struct saved_call c = saved_call_of(req);
	struct saved_search ss;
	int rc = saved_search_open(&c, req->params[0], &ss);
	if (rc)
		answer_error(req, rc, NULL);
	else
		answer_one(req, 200, &c, &ss);
}

/* GET /api/v1/saved-searches/{id}/new?limit= — the postings first seen
 * since the user last looked, newest first (does not mark it looked at) */
void api_saved_new(struct request *req)
{
	struct saved_call c = saved_call_of(req);
	struct saved_search ss;
	long limit = 50;
	const char *l = http_query(req, "limit");
	if (l && *l && text_parse_long(l, 1, 200, &limit)) {
		resp_error(req, 400, "bad_query", "limit must be a whole number from 1 to 200.", "limit");
		return;
	}
	int rc = store_saved_search_get(c.store, c.user_id, req->params[0], c.arena, &ss);
	struct search_hit *hits = NULL;
	size_t n = 0;
	int64_t total = 0;
	if (rc == 0)
		rc = saved_search_list_new(&c, &ss, ss.last_looked_at, (int)limit, &hits, &n, &total);
	if (rc) {
		answer_error(req, rc, NULL);
		return;
	}
	struct buf *b = &req->out;
	buf_puts(b, "{\"items\":[");
	size_t written = 0;
	for (size_t i = 0; i < n; i++) {
		struct store_posting p;
		struct posting_source *ls;
		size_t nls;
		if (store_posting_get(c.store, hits[i].posting_id, c.arena, &p, &ls, &nls))
			continue;                               /* gone since the index saw it */
		p.description_html = p.description_text = NULL; /* the listing shape */
		if (written++)
			buf_putc(b, ',');
		scrape_json_posting(b, &p, ls, nls, NULL);
	}
	buf_printf(b, "],\"total\":%lld", (long long)total);
	JSON_OUT_KEY(b, "since");
	serialize_time(b, ss.last_looked_at);
	buf_putc(b, '}');
	resp_header(req, "Cache-Control", "private, no-cache");
	resp_json(req, 200);
}
