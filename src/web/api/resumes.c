/* /api/v1/resumes — a user's resume files: upload (multipart), list, one
 * resume's profile (sections, ATS facts and checks), its file, rename or
 * make default, delete. The work is src/resume/service.h's and
 * src/scan/service.h's; this file parses and renders. */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/json_out.h"
#include "base/text.h"
#include "resume/service.h"
#include "scan/service.h"
#include "web/api/resume_json.h"
#include "web/api/serialize.h"
#include "web/handlers.h"
#include "web/web.h"

static int available(struct request *req, int need_scanner)
{
	if (req->web->resumes && (!need_scanner || req->web->scans)) {
		if (req->web->scans)
			scan_service_prepare(req->web->scans); /* a scan is likely to follow */
		return 1;
	}
	resp_error(req, 503, "unavailable", "Resumes are not available on this server.", NULL);
	return 0;
}

void resume_json_error(struct request *req, enum resume_svc_status st, const char *err)
{
	if (st == RESUME_SVC_BUSY)
		resp_header(req, "Retry-After", "1");
	resp_error(req, resume_svc_http_status(st), resume_svc_code(st),
		   err && *err ? err : "The resume could not be handled.", NULL);
}

void resume_json_meta(struct buf *b, const struct store_resume *r, int close)
{
	buf_puts(b, "{\"id\":");
	json_out_int(b, r->id);
	JSON_OUT_KEY(b, "name");
	json_out_string(b, r->name);
	JSON_OUT_KEY(b, "type");
	json_out_string(b, r->type);
	JSON_OUT_KEY(b, "size");
	json_out_int(b, r->size);
	JSON_OUT_KEY(b, "is_default");
	json_out_bool(b, r->is_default);
	JSON_OUT_KEY(b, "created_at");
	serialize_time(b, r->created_at);
	JSON_OUT_KEY(b, "updated_at");
	serialize_time(b, r->updated_at);
	buf_printf(b, ",\"file_url\":\"/api/v1/resumes/%lld/file\"", (long long)r->id);
	if (close)
		buf_putc(b, '}');
}

/* The file's name as the user's name for the resume: its last path part. */
const char *resume_json_upload_name(const struct kv *file, const char *given)
{
	const char *name = given && *given ? given : file->filename;
	if (!name || !*name)
		return NULL;
	const char *slash = strrchr(name, '/'), *bslash = strrchr(name, '\\');
	if (slash || bslash)
		name = (slash > bslash ? slash : bslash) + 1;
	return *name && text_utf8_valid(name, strlen(name)) ? name : NULL;
}

static int truthy(const char *v)
{
	return v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0);
}

/* GET /api/v1/resumes — the default first, then newest first. */
void api_resumes_list(struct request *req)
{
	if (!available(req, 0))
		return;
	struct store_resume *items;
	size_t n;
	enum resume_svc_status st = resume_list(req->web->resumes, req->user.id, &req->arena, &items, &n);
	if (st != RESUME_SVC_OK) {
		resume_json_error(req, st, NULL);
		return;
	}
	buf_puts(&req->out, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&req->out, ',');
		resume_json_meta(&req->out, &items[i], 1);
	}
	buf_puts(&req->out, "]}");
	resp_json(req, 200);
}

/* The part named "file" of a multipart body; NULL when answered. */
static const struct kv *upload_file(struct request *req)
{
	const char *ct = http_header(req, "Content-Type");
	if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
		resp_error(req, 415, "unsupported_media_type",
			   "Send the resume as multipart/form-data with the file in a part named \"file\".", NULL);
		return NULL;
	}
	const struct kv *file = http_form_file(req, "file");
	if (!file)
		resp_error(req, 400, "missing_file", "Attach the resume file in a part named \"file\".", "file");
	return file;
}

static void upload_error(struct request *req, enum resume_svc_status st, const struct resume_doc *doc, const char *err)
{
	resp_error(req, resume_svc_http_status(st), doc->error_code ? doc->error_code : resume_svc_code(st), err,
		   "file");
}

/* POST /api/v1/resumes — multipart/form-data: file (PDF, DOCX, text or
 * Markdown, typed by content), name (optional), default (optional, "true"). */
void api_resumes_create(struct request *req)
{
	if (!available(req, 0))
		return;
	const struct kv *file = upload_file(req);
	if (!file)
		return;
	const char *name = resume_json_upload_name(file, http_form(req, "name"));
	struct resume_doc doc;
	char err[512];
	enum resume_svc_status st =
	    resume_upload(req->web->resumes, req->user.id, name, file->value, file->value_len,
			  truthy(http_form(req, "default")), (int64_t)time(NULL), &req->arena, &doc, err, sizeof(err));
	if (st != RESUME_SVC_OK) {
		upload_error(req, st, &doc, err);
		return;
	}
	resp_header(req, "Location", arena_printf(&req->arena, "/api/v1/resumes/%lld", (long long)doc.meta.id));
	resume_json_meta(&req->out, &doc.meta, 0);
	buf_printf(&req->out, ",\"words\":%zu,\"pages\":%d}", doc.text.facts.words, doc.text.facts.pages);
	resp_json(req, 201);
}

/* GET /api/v1/resumes/{id} — the row, and what was read: facts, sections,
 * titles, years, education, skills, ATS checks. */
void api_resumes_get(struct request *req)
{
	if (!available(req, 1))
		return;
	struct store_resume meta;
	char *profile, err[512];
	size_t len;
	enum resume_svc_status st = scan_service_profile(req->web->scans, req->user.id, req->params[0], time(NULL),
							 &req->arena, &meta, &profile, &len, err, sizeof(err));
	if (st != RESUME_SVC_OK) {
		resume_json_error(req, st, err);
		return;
	}
	resume_json_meta(&req->out, &meta, 0);
	buf_puts(&req->out, ",\"profile\":");
	buf_append(&req->out, profile, len);
	buf_putc(&req->out, '}');
	resp_json(req, 200);
}

static const char *content_type_of(const char *type)
{
	if (strcmp(type, "pdf") == 0)
		return "application/pdf";
	if (strcmp(type, "docx") == 0)
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	if (strcmp(type, "markdown") == 0)
		return "text/markdown; charset=utf-8";
	return "text/plain; charset=utf-8";
}

void resume_json_send_file(struct request *req, const struct store_resume *meta, const unsigned char *data, size_t len)
{
	/* The name in the header: ASCII letters, digits and a few marks only. */
	char safe[96];
	size_t k = 0;
	for (const char *p = meta->name; *p && k < sizeof(safe) - 1; p++) {
		unsigned char c = (unsigned char)*p;
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    (c && strchr(".-_ ", c));
		safe[k++] = plain ? (char)c : '_';
	}
	safe[k] = '\0';
	resp_header(req, "Content-Disposition", arena_printf(&req->arena, "attachment; filename=\"%s\"", safe));
	resp_text(req, 200, content_type_of(meta->type), (const char *)data, len);
}

/* GET /api/v1/resumes/{id}/file — the file as uploaded (owner only). */
void api_resumes_file(struct request *req)
{
	if (!available(req, 0))
		return;
	struct store_resume meta;
	unsigned char *data;
	size_t len;
	char err[512];
	enum resume_svc_status st = resume_file(req->web->resumes, req->user.id, req->params[0], &req->arena, &meta,
						&data, &len, err, sizeof(err));
	if (st != RESUME_SVC_OK)
		resume_json_error(req, st, err);
	else
		resume_json_send_file(req, &meta, data, len);
}

/* PUT /api/v1/resumes/{id}/file — multipart/form-data: file, an edited
 * version in place of the old; the resume keeps its id and scan history. */
void api_resumes_replace(struct request *req)
{
	if (!available(req, 0))
		return;
	const struct kv *file = upload_file(req);
	if (!file)
		return;
	struct resume_doc doc;
	char err[512];
	enum resume_svc_status st =
	    resume_replace(req->web->resumes, req->user.id, req->params[0], file->value, file->value_len,
			   (int64_t)time(NULL), &req->arena, &doc, err, sizeof(err));
	if (st != RESUME_SVC_OK) {
		upload_error(req, st, &doc, err);
		return;
	}
	resume_json_meta(&req->out, &doc.meta, 0);
	buf_printf(&req->out, ",\"words\":%zu,\"pages\":%d}", doc.text.facts.words, doc.text.facts.pages);
	resp_json(req, 200);
}

/* PATCH /api/v1/resumes/{id} {name?, default?: true} */
void api_resumes_patch(struct request *req)
{
	if (!available(req, 0))
		return;
	json_t *body = http_json_body(req);
	if (!body)
		return;
	json_t *name = json_object_get(body, "name"), *def = json_object_get(body, "default");
	if ((name && !json_is_string(name)) || (def && !json_is_boolean(def))) {
		resp_error(req, 422, "invalid", "name must be a string and default a boolean.",
			   name && !json_is_string(name) ? "name" : "default");
		return;
	}
	if (def && json_is_false(def)) {
		resp_error(req, 422, "invalid",
			   "A resume stops being the default when another becomes it: set default on that one.",
			   "default");
		return;
	}
	char err[256];
	enum resume_svc_status st =
	    resume_update(req->web->resumes, req->user.id, req->params[0], name ? json_string_value(name) : NULL,
			  def != NULL, (int64_t)time(NULL), err, sizeof(err));
	struct store_resume r;
	if (st == RESUME_SVC_OK &&
	    store_resume_get(req->web->store, req->user.id, req->params[0], &req->arena, &r) == STORE_OK) {
		resume_json_meta(&req->out, &r, 1);
		resp_json(req, 200);
		return;
	}
	resume_json_error(req, st == RESUME_SVC_OK ? RESUME_SVC_ERROR : st, err);
}

/* DELETE /api/v1/resumes/{id} — the file, its row and its scans. */
void api_resumes_delete(struct request *req)
{
	if (!available(req, 0))
		return;
	char err[256];
	enum resume_svc_status st = resume_remove(req->web->resumes, req->user.id, req->params[0], err, sizeof(err));
	if (st != RESUME_SVC_OK)
		resume_json_error(req, st, err);
	else
		resp_text(req, 204, NULL, "", 0);
}
