/* /api/v1/applications — the tracker's applications as JSON. */
#include <stdio.h>
#include <string.h>

#include "base/json_out.h"
#include "base/text.h"
#include "tracker/application.h"
#include "tracker/status.h"
#include "tracker/service.h"
#include "web/api/row_version.h"
#include "web/api/serialize.h"
#include "web/app_query.h"
#include "web/handlers.h"
#include "web/response_cache.h"
#include "web/tracker_call.h"
#include "version.h"
#include "web/web.h"

/* One part of a listing's key: a separator, then s, preceded by its length
 * when counted (free text may hold the separator). */
static void key_text(struct buf *b, const char *s, int counted)
{
	buf_putc(b, '\x1f');
	if (counted) {
		json_out_int(b, (int64_t)strlen(s));
		buf_putc(b, ':');
	}
	buf_puts(b, s);
}

static void key_int(struct buf *b, int64_t v)
{
	buf_putc(b, '\x1f');
	json_out_int(b, v);
}

/* The listing's identity: every parameter that changes its content, in one
 * order. tag and q are free text (a separator byte is valid in them), so each
 * carries its length: two different queries can never spell the same key. */
static char *list_key(struct request *req, const struct app_query *q)
{
	/* Appended piece by piece: printf twice over (to size, then to write)
	 * cost more than copying a whole cached answer. */
	struct buf b;
	buf_init(&b, 1 << 20);
	buf_puts(&b, "apps");
	key_text(&b, q->filter.status ? q->filter.status : "", 0);
	key_text(&b, q->filter.tag ? q->filter.tag : "", 1);
	key_text(&b, q->filter.q ? q->filter.q : "", 1);
	key_text(&b, q->sort_name, 0);
	key_int(&b, q->page);
	key_int(&b, q->filter.limit);
	char *key = buf_failed(&b) ? NULL : arena_strndup(&req->arena, b.data, b.len);
	buf_free(&b);
	return key;
}

/* W/"<version>-<user>-<data_version>-<hash of key, 8 hex digits>" into
 * etag (at least ETAG_MAX bytes), written by hand for the reason above. */
#define ETAG_MAX 96
static void list_etag(char *etag, const struct request *req, uint32_t h)
{
	struct buf b;
	buf_init(&b, ETAG_MAX - 1);
	buf_puts(&b, "W/\"" JOBTRACK_VERSION "-");
	json_out_int(&b, req->user.id);
	buf_putc(&b, '-');
	json_out_int(&b, req->user.data_version);
	buf_putc(&b, '-');
	for (int shift = 28; shift >= 0; shift -= 4)
		buf_putc(&b, "0123456789abcdef"[(h >> shift) & 15]);
	buf_putc(&b, '"');
	size_t n = buf_failed(&b) || !b.data ? 0 : b.len; /* the bound keeps it under ETAG_MAX */
	if (n)
		memcpy(etag, b.data, n);
	etag[n] = '\0';
	buf_free(&b);
}

/* GET /api/v1/applications?status=&tag=&q=&sort=&page=&per_page=
 * Answers with an ETag that changes whenever the user's data does; a
 * matching If-None-Match gets 304, and a repeat request is served from the
 * response cache without touching the applications table. */
void api_apps_list(struct request *req)
{
	struct app_query q;
	const char *bad_field, *bad_msg;
	if (app_query_parse(req, &q, 50, &bad_field, &bad_msg)) {
		resp_error(req, 400, "bad_query", bad_msg, bad_field);
		return;
	}
	char *key = list_key(req, &q);
	uint32_t h = 2166136261u;
	for (const char *p = key ? key : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	char etag[ETAG_MAX];
	/* The version of jobtrack is part of it: an upgrade may change the JSON. */
	list_etag(etag, req, h);
	resp_header(req, "ETag", etag);
	resp_header(req, "Cache-Control", "private, no-cache");
	const char *inm = http_header(req, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0) {
		resp_text(req, 304, NULL, "", 0);
		return;
	}
	if (key && response_cache_get(req->user.id, req->user.data_version, key, &req->out)) {
		resp_json(req, 200);
		return;
	}
	struct application *items;
	size_t n;
	int64_t total;
	int rc = store_app_list(req->web->store, req->user.id, &q.filter, &req->arena, &items, &n, &total);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	struct buf *b = &req->out;
	/* An application is about half a kilobyte of JSON: room for the page at
	 * once instead of growing through reallocations (which copied ~8k
	 * instructions' worth per 50-row listing when they moved the buffer). */
	buf_reserve(b, n * 512 + 128);
	buf_puts(b, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		serialize_app(b, &items[i]);
	}
	buf_puts(b, "],\"total\":");
	json_out_int(b, total);
	buf_puts(b, ",\"page\":");
	json_out_int(b, q.page);
	buf_puts(b, ",\"per_page\":");
	json_out_int(b, q.filter.limit);
	buf_putc(b, '}');
	if (key && !buf_failed(b))
		response_cache_put(req->user.id, req->user.data_version, key, b->data, b->len);
	resp_json(req, 200);
}

static void answer_app(struct request *req, int status, const struct application *app)
{
	buf_reset(&req->out);
	serialize_app(&req->out, app);
	row_version_etag(req, app->version);
	resp_json(req, status);
}

/* POST /api/v1/applications */
void api_apps_create(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct tracker_call call = tracker_call_of(req);
	struct application app;
	struct field_errors errs = { .n = 0 };
	app_init(&app, (time_t)call.now);
	app_apply_json(&app, body, &req->arena, &errs);
	/* The service adds the whole-record rules' errors to the members' own. */
	int rc = tracker_app_create(&call, &app, &errs);
	if (rc == TRACKER_INVALID) {
		resp_field_errors(req, &errs);
		return;
	}
	if (rc) {
		row_version_error(req, rc);
		return;
	}
	char *loc = arena_printf(&req->arena, "/api/v1/applications/%lld", (long long)app.id);
	if (loc)
		resp_header(req, "Location", loc);
	answer_app(req, 201, &app);
}

/* GET /api/v1/applications/{id} — with ETag: "<version>" */
void api_apps_get(struct request *req)
{
	struct application app;
	int rc = store_app_get(req->web->store, req->user.id, req->params[0], &req->arena, &app);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	answer_app(req, 200, &app);
}

/* The application's current version, for a list in If-Match. */
static int app_version(struct request *req, int64_t *version)
{
	struct application app;
	int rc = store_app_get(req->web->store, req->user.id, req->params[0], &req->arena, &app);
	*version = rc ? 0 : app.version;
	return rc;
}

/* PATCH /api/v1/applications/{id} [If-Match: "<version>"]: only the members
 * sent change. */
void api_apps_patch(struct request *req)
{
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct tracker_call call = tracker_call_of(req);
	struct application values, app;
	struct field_errors errs = { .n = 0 };
	app_init(&values, (time_t)call.now);
	unsigned fields = app_apply_json(&values, body, &req->arena, &errs);
	int rc = tracker_app_patch(&call, req->params[0], &values, fields, row_version_expected(req, app_version), &app,
				   &errs);
	if (rc == TRACKER_INVALID)
		resp_field_errors(req, &errs);
	else if (rc)
		row_version_error(req, rc);
	else
		answer_app(req, 200, &app);
}

/* DELETE /api/v1/applications/{id} [If-Match: "<version>"] */
void api_apps_delete(struct request *req)
{
	struct tracker_call call = tracker_call_of(req);
	int rc = tracker_app_delete(&call, req->params[0], row_version_expected(req, app_version));
	if (rc) {
		row_version_error(req, rc);
		return;
	}
	resp_text(req, 204, NULL, "", 0);
}
