/* /api/v1/scans — resume scans: run one (a resume against a posting or a
 * pasted job description), the history, one scan, delete. The work is
 * src/scan/service.h's; this file parses and renders. */
#include <limits.h>
#include <time.h>

#include "base/text.h"
#include "scan/service.h"
#include "web/api/resume_json.h"
#include "web/handlers.h"
#include "web/web.h"

static int available(struct request *req)
{
	if (req->web->scans) {
		scan_service_prepare(req->web->scans); /* this or the next call scans */
		return 1;
	}
	resp_error(req, 503, "unavailable", "Resume scans are not available on this server.", NULL);
	return 0;
}

/* An optional positive id in the body: 1 ok (0 when absent), 0 answered. */
static int body_id(struct request *req, json_t *body, const char *key, int64_t *out)
{
	json_t *v = json_object_get(body, key);
	*out = 0;
	if (!v || json_is_null(v))
		return 1;
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		resp_error(req, 422, "invalid", arena_printf(&req->arena, "%s must be a positive integer id.", key),
			   key);
		return 0;
	}
	*out = json_integer_value(v);
	return 1;
}

static int body_text(struct request *req, json_t *body, const char *key, const char **out)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 1;
	if (!json_is_string(v)) {
		resp_error(req, 422, "invalid", arena_printf(&req->arena, "%s must be a string.", key), key);
		return 0;
	}
	*out = json_string_value(v);
	return 1;
}

/* The user's scan {id}: 1, or 0 answered (unavailable, 404, …). */
static int get_scan(struct request *req, struct store_scan *scan)
{
	if (!available(req))
		return 0;
	int rc = store_scan_get(req->web->store, req->user.id, req->params[0], &req->arena, scan);
	if (rc)
		resp_store_error(req, rc);
	return rc == 0;
}

/* A scan made: 201 with its Location, or the error. */
static void created(struct request *req, enum resume_svc_status st, const struct store_scan *scan, const char *err)
{
	if (st != RESUME_SVC_OK) {
		resume_json_error(req, st, err);
		return;
	}
	resp_header(req, "Location", arena_printf(&req->arena, "/api/v1/scans/%lld", (long long)scan->id));
	scan_service_render(&req->out, scan);
	resp_json(req, 201);
}

/* POST /api/v1/scans {resume_id?, posting_id | job_text, job_title?} —
 * resume_id absent: the default resume. */
void api_scans_create(struct request *req)
{
	if (!available(req))
		return;
	json_t *body = http_json_body(req);
	if (!body)
		return;
	struct scan_request rq = { 0 };
	if (!body_id(req, body, "resume_id", &rq.resume_id) || !body_id(req, body, "posting_id", &rq.posting_id) ||
	    !body_text(req, body, "job_text", &rq.job_text) || !body_text(req, body, "job_title", &rq.job_title))
		return;
	if (!rq.posting_id == !rq.job_text) {
		resp_error(req, 422, "invalid", "Give either posting_id or job_text (the job description), not both.",
			   rq.posting_id ? "job_text" : "posting_id");
		return;
	}
	struct store_scan scan;
	char err[512];
	enum resume_svc_status st = scan_service_run(req->web->scans, req->user.id, &rq, (int64_t)time(NULL),
						     &req->arena, &scan, err, sizeof(err));
	created(req, st, &scan, err);
}

/* POST /api/v1/scans/{id}/rerun — the same resume and job, scanned again. */
void api_scans_rerun(struct request *req)
{
	struct store_scan scan;
	char err[512];
	if (available(req))
		created(req,
			scan_service_rerun(req->web->scans, req->user.id, req->params[0], (int64_t)time(NULL),
					   &req->arena, &scan, err, sizeof(err)),
			&scan, err);
}

/* GET /api/v1/scans/{id}/marks — the resume and the job with the scan's
 * matched and missing terms located. */
void api_scans_marks(struct request *req)
{
	struct store_scan scan;
	if (!get_scan(req, &scan))
		return;
	struct scan_marks mk;
	char err[512];
	enum resume_svc_status st =
	    scan_service_marks(req->web->scans, req->user.id, &scan, &req->arena, &mk, err, sizeof(err));
	if (st != RESUME_SVC_OK) {
		resume_json_error(req, st, err);
		return;
	}
	scan_service_render_marks(&req->out, &mk);
	resp_json(req, 200);
}

/* An optional id query argument: 1 ok, 0 answered 400. */
static int query_id(struct request *req, const char *key, int64_t *out)
{
	const char *v = http_query(req, key);
	long n = 0;
	*out = 0;
	if (!v || !*v)
		return 1;
	if (text_parse_long(v, 1, LONG_MAX, &n) != 0) {
		resp_error(req, 400, "bad_query", arena_printf(&req->arena, "%s must be a positive integer id.", key),
			   key);
		return 0;
	}
	*out = n;
	return 1;
}

/* GET /api/v1/scans?resume_id=&posting_id=&limit= — newest first. */
void api_scans_list(struct request *req)
{
	if (!available(req))
		return;
	int64_t resume_id, posting_id, limit;
	if (!query_id(req, "resume_id", &resume_id) || !query_id(req, "posting_id", &posting_id) ||
	    !query_id(req, "limit", &limit))
		return;
	if (limit == 0)
		limit = 50;
	else if (limit > SCAN_HISTORY_MAX)
		limit = SCAN_HISTORY_MAX;
	struct store_scan *items;
	size_t n;
	int rc = store_scan_list(req->web->store, req->user.id, resume_id, posting_id, limit, &req->arena, &items, &n);
	if (rc) {
		resp_store_error(req, rc);
		return;
	}
	buf_puts(&req->out, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&req->out, ',');
		scan_service_render_brief(&req->out, &items[i]);
	}
	buf_puts(&req->out, "]}");
	resp_json(req, 200);
}

/* GET /api/v1/scans/{id} — as POST returned it. */
void api_scans_get(struct request *req)
{
	struct store_scan scan;
	if (!get_scan(req, &scan))
		return;
	scan_service_render(&req->out, &scan);
	resp_json(req, 200);
}

/* DELETE /api/v1/scans/{id} */
void api_scans_delete(struct request *req)
{
	if (!available(req))
		return;
	int rc = store_scan_delete(req->web->store, req->user.id, req->params[0]);
	if (rc)
		resp_store_error(req, rc);
	else
		resp_text(req, 204, NULL, "", 0);
}
