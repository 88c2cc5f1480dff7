/* The resume pages: /resumes (upload, list, make default, delete,
 * download; links to each resume's best matches), /scans/new (a resume
 * against a posting or a pasted job description), /scans/{id} (the score,
 * its breakdown, matched and missing skills, the ATS checks, and the
 * history of the same resume and job with each change; the resume's and
 * the job's text with the matched and missing terms marked; run again,
 * delete). The work is
 * src/resume/service.h's and src/scan/service.h's. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/text.h"
#include "base/timefmt.h"
#include "scan/service.h"
#include "web/api/resume_json.h"
#include "web/handlers.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/view.h"
#include "web/web.h"

#define PAGE_HISTORY 20

/* The status for a resume service result; a busy store goes through
 * session_store_status (503 with Retry-After) like every page's. */
static int resume_status(struct request *req, enum resume_svc_status st)
{
	return st == RESUME_SVC_BUSY ? session_store_status(req, STORE_BUSY) : resume_svc_http_status(st);
}

static int available(struct request *req)
{
	if (req->web->resumes && req->web->scans) {
		scan_service_prepare(req->web->scans); /* a scan is likely to follow */
		return 1;
	}
	session_page_error(req, 503, "Resumes and scans are not available on this server.");
	return 0;
}

static void size_text(int64_t size, char *out, size_t outlen)
{
	if (size >= 1024 * 1024)
		snprintf(out, outlen, "%.1f MB", (double)size / (1024.0 * 1024.0));
	else if (size >= 1024)
		snprintf(out, outlen, "%lld KB", (long long)((size + 1023) / 1024));
	else
		snprintf(out, outlen, "%lld bytes", (long long)size);
}

static const char *type_label(const char *type)
{
	return strcmp(type, "pdf") == 0        ? "PDF"
	       : strcmp(type, "docx") == 0     ? "Word (DOCX)"
	       : strcmp(type, "markdown") == 0 ? "Markdown"
					       : "Plain text";
}

static json_t *resumes_json(const struct store_resume *items, size_t n, int64_t selected)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct store_resume *r = &items[i];
		char size[32], date[TIMEFMT_DATE_LEN];
		size_text(r->size, size, sizeof(size));
		timefmt_date((time_t)r->created_at, date);
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)r->id, "name", r->name, "type",
				      type_label(r->type), "size", size, "uploaded", date);
		if (r->is_default)
			json_object_set_new(o, "is_default", json_true());
		if (selected ? r->id == selected : r->is_default)
			json_object_set_new(o, "selected", json_true());
		json_array_append_new(arr, o);
	}
	return arr;
}

/* The history rows of items (all, or those of job_key only), each with the
 * change from the one before it of the same resume and job. */
static json_t *history_json(const struct store_scan *items, size_t n, const char *job_key, int64_t current)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct store_scan *s = &items[i];
		if (job_key && strcmp(s->job_key, job_key) != 0)
			continue;
		char when[TIMEFMT_ISO_LEN], score[16];
		timefmt_iso((time_t)s->created_at, when);
		snprintf(score, sizeof(score), "%d.%d", s->score_tenths / 10, s->score_tenths % 10);
		char when_text[64];
		timefmt_display((time_t)s->created_at, when_text, sizeof(when_text));
		json_t *o =
		    json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)s->id, "when", when, "when_text", when_text,
			      "score", score, "job_title", s->job_title[0] ? s->job_title : "Untitled job");
		for (size_t k = i + 1; k < n; k++) {
			const struct store_scan *p = &items[k];
			if (p->resume_id != s->resume_id || strcmp(p->job_key, s->job_key) != 0)
				continue;
			int d = s->score_tenths - p->score_tenths;
			char change[24];
			snprintf(change, sizeof(change), "%s%d.%d",
				 d > 0   ? "+"
				 : d < 0 ? "−"
					 : "±",
				 (d < 0 ? -d : d) / 10, (d < 0 ? -d : d) % 10);
			json_object_set_new(o, "change", json_string(change));
			break;
		}
		if (s->id == current)
			json_object_set_new(o, "current", json_true());
		json_array_append_new(arr, o);
	}
	return arr;
}

/* Each ATS check's state in words, for people (never colour alone). */
static void label_ats(json_t *checks)
{
	size_t i;
	json_t *v;
	json_array_foreach (checks, i, v) {
		const char *st = json_string_value(json_object_get(v, "status"));
		json_object_set_new(v, "status_label",
				    json_string(st && strcmp(st, "pass") == 0   ? "Pass"
						: st && strcmp(st, "warn") == 0 ? "Warning"
										: "Fail"));
	}
}

static void render_resumes(struct request *req, int status, const char *error)
{
	struct store_resume *items;
	size_t n;
	enum resume_svc_status st = resume_list(req->web->resumes, req->user.id, &req->arena, &items, &n);
	if (st != RESUME_SVC_OK) {
		session_store_error(req, st == RESUME_SVC_BUSY ? STORE_BUSY : STORE_ERROR,
				    "Your resumes could not be read.");
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "resumes", resumes_json(items, n, 0));
	if (n)
		json_object_set_new(ctx, "has_resumes", json_true());
	vm_set_str(ctx, "upload_error", error);
	struct store_scan *scans;
	size_t ns;
	if (store_scan_list(req->web->store, req->user.id, 0, 0, PAGE_HISTORY, &req->arena, &scans, &ns) == STORE_OK &&
	    ns) {
		json_object_set_new(ctx, "history", history_json(scans, ns, NULL, 0));
		json_object_set_new(ctx, "has_history", json_true());
	}
	char limit[32];
	size_text((int64_t)req->web->resumes->vault.max_bytes, limit, sizeof(limit));
	vm_set_str(ctx, "max_size", limit);
	json_object_set_new(ctx, "nav_resumes", json_true());
	view_render(req, status, "resumes", "Resumes", ctx);
}

/* GET /resumes */
void page_resumes(struct request *req)
{
	if (available(req))
		render_resumes(req, 200, NULL);
}

/* GET /resumes/{id} — what was read from the resume, and its ATS checks. */
void page_resume(struct request *req)
{
	if (!available(req))
		return;
	struct store_resume meta;
	char *profile, err[512];
	size_t len;
	enum resume_svc_status st = scan_service_profile(req->web->scans, req->user.id, req->params[0], time(NULL),
							 &req->arena, &meta, &profile, &len, err, sizeof(err));
	json_t *p = st == RESUME_SVC_OK ? json_loadb(profile, len, 0, NULL) : NULL;
	if (!json_is_object(p)) {
		json_decref(p);
		session_page_error(req, st == RESUME_SVC_OK ? 500 : resume_status(req, st),
				   st == RESUME_SVC_NOTFOUND ? "There is no such resume." : err);
		return;
	}
	label_ats(json_object_get(p, "ats"));
	json_t *ctx = json_object();
	json_t *one = resumes_json(&meta, 1, 0);
	json_object_set(ctx, "resume", json_array_get(one, 0));
	json_decref(one);
	json_object_set_new(ctx, "profile", p);
	json_object_set_new(ctx, "nav_resumes", json_true());
	view_render(req, 200, "resume", meta.name, ctx);
}

/* After an upload: back to the list with flash, or the list again with why not. */
static void upload_done(struct request *req, enum resume_svc_status st, const char *failed, const char *err,
			const char *flash)
{
	if (st != RESUME_SVC_OK) {
		render_resumes(req, resume_status(req, st), arena_printf(&req->arena, "%s: %s.", failed, err));
		return;
	}
	session_flash(req, flash);
	resp_redirect(req, "/resumes");
}

/* POST /resumes — multipart: file, name (optional), default (checkbox). */
void page_resume_upload(struct request *req)
{
	if (!available(req))
		return;
	const struct kv *file = http_form_file(req, "file");
	if (!file || !file->value_len) {
		render_resumes(req, 400, "Choose a resume file to upload (PDF, Word DOCX, plain text or Markdown).");
		return;
	}
	struct resume_doc doc;
	char err[512];
	const char *def = http_form(req, "default");
	enum resume_svc_status st = resume_upload(
	    req->web->resumes, req->user.id, resume_json_upload_name(file, http_form(req, "name")), file->value,
	    file->value_len, def && *def, (int64_t)time(NULL), &req->arena, &doc, err, sizeof(err));
	upload_done(req, st, "That file was not uploaded", err, "resume_uploaded");
}

/* POST /resumes/{id}/file — multipart: file, an edited version. */
void page_resume_replace(struct request *req)
{
	if (!available(req))
		return;
	const struct kv *file = http_form_file(req, "file");
	if (!file || !file->value_len) {
		render_resumes(req, 400, "Choose the edited resume file to upload.");
		return;
	}
	struct resume_doc doc;
	char err[512];
	enum resume_svc_status st =
	    resume_replace(req->web->resumes, req->user.id, req->params[0], file->value, file->value_len,
			   (int64_t)time(NULL), &req->arena, &doc, err, sizeof(err));
	upload_done(req, st, "The file was not replaced", err, "resume_replaced");
}

/* GET /resumes/{id}/file */
void page_resume_file(struct request *req)
{
	if (!available(req))
		return;
	struct store_resume meta;
	unsigned char *data;
	size_t len;
	char err[512];
	enum resume_svc_status st = resume_file(req->web->resumes, req->user.id, req->params[0], &req->arena, &meta,
						&data, &len, err, sizeof(err));
	if (st != RESUME_SVC_OK)
		session_page_error(req, resume_status(req, st), err);
	else
		resume_json_send_file(req, &meta, data, len);
}

/* POST /resumes/{id}/default */
void page_resume_default(struct request *req)
{
	if (!available(req))
		return;
	char err[256];
	enum resume_svc_status st = resume_update(req->web->resumes, req->user.id, req->params[0], NULL, 1,
						  (int64_t)time(NULL), err, sizeof(err));
	if (st != RESUME_SVC_OK) {
		session_page_error(req, resume_status(req, st), "There is no such resume.");
		return;
	}
	session_flash(req, "resume_default");
	resp_redirect(req, "/resumes");
}

/* POST /resumes/{id}/delete */
void page_resume_delete(struct request *req)
{
	if (!available(req))
		return;
	char err[256];
	enum resume_svc_status st = resume_remove(req->web->resumes, req->user.id, req->params[0], err, sizeof(err));
	if (st != RESUME_SVC_OK) {
		session_page_error(req, resume_status(req, st), "There is no such resume.");
		return;
	}
	session_flash(req, "resume_deleted");
	resp_redirect(req, "/resumes");
}

static int64_t arg_id(const char *v)
{
	long n;
	return v && text_parse_long(v, 1, LONG_MAX, &n) == 0 ? n : 0;
}

static void render_scan_new(struct request *req, int status, int64_t resume_id, int64_t posting_id,
			    const char *job_title, const char *job_text, const char *error)
{
	struct store_resume *items;
	size_t n;
	enum resume_svc_status st = resume_list(req->web->resumes, req->user.id, &req->arena, &items, &n);
	if (st != RESUME_SVC_OK) {
		session_store_error(req, st == RESUME_SVC_BUSY ? STORE_BUSY : STORE_ERROR,
				    "Your resumes could not be read.");
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "resumes", resumes_json(items, n, resume_id));
	if (n)
		json_object_set_new(ctx, "has_resumes", json_true());
	if (posting_id) {
		struct store_posting p;
		if (store_posting_get(req->web->store, posting_id, &req->arena, &p, NULL, NULL) == STORE_OK)
			json_object_set_new(ctx, "posting",
					    json_pack("{s:I,s:s,s:s}", "id", (json_int_t)p.id, "title",
						      p.title ? p.title : "", "company", p.company ? p.company : ""));
	}
	vm_set_str(ctx, "job_title", job_title);
	vm_set_str(ctx, "job_text", job_text);
	vm_set_str(ctx, "error", error);
	json_object_set_new(ctx, "nav_resumes", json_true());
	view_render(req, status, "scan_new", "Scan a resume", ctx);
}

/* GET /scans/new?posting_id=&resume_id= */
void page_scan_new(struct request *req)
{
	if (available(req))
		render_scan_new(req, 200, arg_id(http_query(req, "resume_id")), arg_id(http_query(req, "posting_id")),
				NULL, NULL, NULL);
}

/* POST /scans — resume_id (optional: the default), posting_id or job_text, job_title. */
void page_scan_create(struct request *req)
{
	if (!available(req))
		return;
	struct scan_request rq = { .resume_id = arg_id(http_form(req, "resume_id")),
				   .posting_id = arg_id(http_form(req, "posting_id")),
				   .job_text = http_form(req, "job_text"),
				   .job_title = http_form(req, "job_title") };
	if (rq.posting_id)
		rq.job_text = NULL;
	struct store_scan scan;
	char err[512];
	enum resume_svc_status st = scan_service_run(req->web->scans, req->user.id, &rq, (int64_t)time(NULL),
						     &req->arena, &scan, err, sizeof(err));
	if (st != RESUME_SVC_OK) {
		render_scan_new(req, resume_status(req, st), rq.resume_id, rq.posting_id, rq.job_title, rq.job_text,
				arena_printf(&req->arena, "The scan could not run: %s.", err));
		return;
	}
	resp_redirect(req, arena_printf(&req->arena, "/scans/%lld", (long long)scan.id));
}

static const char *part_label(const char *name)
{
	static const char *const labels[][2] = {
		{ "hard_skills", "Hard skills" }, { "soft_skills", "Soft skills" },
		{ "keywords", "Other keywords" }, { "job_title", "Job title" },
		{ "education", "Education" },     { "experience", "Years of experience" },
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(name, labels[i][0]) == 0)
			return labels[i][1];
	return name;
}

/* The scan's JSON made ready for the template: labels, and terms split
 * into skills and keywords. */
static void prepare_scan(json_t *s)
{
	size_t i;
	json_t *v;
	json_array_foreach (json_object_get(s, "breakdown"), i, v) {
		json_object_set_new(v, "label", json_string(part_label(json_string_value(json_object_get(v, "name")))));
		/* One decimal, as the API and the CLI show them (they add up so). */
		static const char *const nums[][2] = { { "max_points", "max_points_text" },
						       { "points", "points_text" },
						       { "lost", "lost_text" } };
		for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++) {
			char text[32];
			snprintf(text, sizeof(text), "%.1f", json_number_value(json_object_get(v, nums[k][0])));
			json_object_set_new(v, nums[k][1], json_string(text));
		}
	}
	static const char *const lists[][3] = { { "matched", "matched_skills", "matched_keywords" },
						{ "missing", "missing_skills", "missing_keywords" } };
	for (size_t l = 0; l < 2; l++) {
		json_t *skills = json_array(), *keywords = json_array();
		json_array_foreach (json_object_get(s, lists[l][0]), i, v) {
			const char *type = json_string_value(json_object_get(v, "type"));
			const char *need = json_string_value(json_object_get(v, "need"));
			if (need && (strcmp(need, "required") == 0 || strcmp(need, "preferred") == 0))
				json_object_set_new(v, "need_label", json_string(need));
			json_array_append(type && strcmp(type, "keyword") == 0 ? keywords : skills, v);
		}
		json_object_set_new(s, lists[l][1], skills);
		json_object_set_new(s, lists[l][2], keywords);
	}
	label_ats(json_object_get(s, "ats"));
	/* A stored posting, or a pasted text kept with the scan (older scans kept none). */
	if (json_integer_value(json_object_get(s, "posting_id")) > 0 || json_is_string(json_object_get(s, "job_text")))
		json_object_set_new(s, "can_rerun", json_true());
	if (json_array_size(json_object_get(s, "suggestions")))
		json_object_set_new(s, "has_suggestions", json_true());
	json_t *delta = json_object_get(s, "delta");
	if (json_is_object(delta)) {
		double change = json_number_value(json_object_get(delta, "score_change"));
		char text[32];
		snprintf(text, sizeof(text), "%s%.1f",
			 change > 0   ? "+"
			 : change < 0 ? "−"
				      : "±",
			 change < 0 ? -change : change);
		json_object_set_new(delta, "change_text", json_string(text));
		if (json_array_size(json_object_get(delta, "newly_matched")))
			json_object_set_new(delta, "has_new", json_true());
		if (json_array_size(json_object_get(delta, "no_longer_matched")))
			json_object_set_new(delta, "has_lost", json_true());
	}
}

/* One segment: its text, and which of plain, matched, missing it is (all
 * three set, so a section never falls back to the scan's own "matched"). */
static json_t *segment(const char *text, size_t len, const char *term, int kind)
{
	return json_pack("{s:s%,s:s?,s:b,s:b,s:b}", "text", text, len, "term", term, "plain", kind == 0, "matched",
			 kind == 1, "missing", kind == 2);
}

/* The text cut into segments for the template: plain, or marked as a
 * matched or missing term (the template escapes each). */
static json_t *marked_json(const struct scan_marked *m, const struct scan_marks *mk)
{
	json_t *segs = json_array();
	size_t at = 0;
	for (size_t i = 0; i <= m->n; i++) {
		size_t start = i < m->n ? m->spans[i].start : m->len;
		if (start > at)
			json_array_append_new(segs, segment(m->text + at, start - at, NULL, 0));
		if (i == m->n)
			break;
		const struct hl_term *t = &mk->terms[m->spans[i].term];
		json_array_append_new(segs, segment(m->text + start, m->spans[i].len, t->name, t->matched ? 1 : 2));
		at = start + m->spans[i].len;
	}
	return segs;
}

/* The scan's resume and job with the terms marked, into s (nothing when
 * the resume can no longer be read: the rest of the scan still shows). */
static void add_marks(struct request *req, const struct store_scan *scan, json_t *s)
{
	struct scan_marks mk;
	char err[512];
	if (scan_service_marks(req->web->scans, req->user.id, scan, &req->arena, &mk, err, sizeof(err)) !=
	    RESUME_SVC_OK)
		return;
	json_object_set_new(s, "resume_marked", marked_json(&mk.resume, &mk));
	json_object_set_new(s, "has_resume_marked", json_true());
	if (mk.resume_changed)
		json_object_set_new(s, "resume_changed", json_true());
	if (mk.job.text && mk.job.len) {
		json_object_set_new(s, "job_marked", marked_json(&mk.job, &mk));
		json_object_set_new(s, "has_job_marked", json_true());
	}
}

/* GET /scans/{id} */
void page_scan(struct request *req)
{
	if (!available(req))
		return;
	struct store_scan scan;
	int rc = store_scan_get(req->web->store, req->user.id, req->params[0], &req->arena, &scan);
	if (rc) {
		session_store_error(req, rc, "There is no such scan.");
		return;
	}
	json_t *s = json_loads(scan.result, 0, NULL);
	if (!json_is_object(s)) {
		json_decref(s);
		session_page_error(req, 500, "This scan could not be read.");
		return;
	}
	prepare_scan(s);
	add_marks(req, &scan, s);
	json_object_set_new(s, "id", json_integer((json_int_t)scan.id));
	char score[16];
	snprintf(score, sizeof(score), "%d.%d", scan.score_tenths / 10, scan.score_tenths % 10);
	json_object_set_new(s, "score_text", json_string(score));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "scan", s);
	struct store_scan *items;
	size_t n;
	if (store_scan_list(req->web->store, req->user.id, scan.resume_id, scan.posting_id, SCAN_HISTORY_MAX,
			    &req->arena, &items, &n) == STORE_OK) {
		json_t *h = history_json(items, n, scan.job_key, scan.id);
		if (json_array_size(h) > 1)
			json_object_set_new(ctx, "has_history", json_true());
		json_object_set_new(ctx, "history", h);
	}
	json_object_set_new(ctx, "nav_resumes", json_true());
	const char *title = scan.job_title[0] ? arena_printf(&req->arena, "Scan: %s", scan.job_title) : "Scan";
	view_render(req, 200, "scan", title, ctx);
}

/* POST /scans/{id}/rerun — the same resume and job again (a pasted job
 * description is kept with its scan). */
void page_scan_rerun(struct request *req)
{
	if (!available(req))
		return;
	struct store_scan scan;
	char err[512];
	enum resume_svc_status st = scan_service_rerun(req->web->scans, req->user.id, req->params[0],
						       (int64_t)time(NULL), &req->arena, &scan, err, sizeof(err));
	if (st != RESUME_SVC_OK) {
		session_page_error(req, resume_status(req, st),
				   arena_printf(&req->arena, "The scan could not run again: %s.", err));
		return;
	}
	resp_redirect(req, arena_printf(&req->arena, "/scans/%lld", (long long)scan.id));
}

/* POST /scans/{id}/delete */
void page_scan_delete(struct request *req)
{
	if (!available(req))
		return;
	int rc = store_scan_delete(req->web->store, req->user.id, req->params[0]);
	if (rc) {
		session_store_error(req, rc, "There is no such scan.");
		return;
	}
	session_flash(req, "scan_deleted");
	resp_redirect(req, "/resumes");
}
