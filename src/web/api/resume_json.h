/* resume_json — what the resume API (api/resumes.c) and the resume pages
 * share: a resume row as JSON, a service error as the API's error, and the
 * name an upload is kept under. */
#ifndef JT_WEB_API_RESUME_JSON_H
#define JT_WEB_API_RESUME_JSON_H

#include "base/buf.h"
#include "resume/service.h"
#include "web/http.h"

/* {"id","name","type","size","is_default","created_at","updated_at","file_url"
 * — and "}" when close, else the object is left open for more members. */
void resume_json_meta(struct buf *b, const struct store_resume *r, int close);
void resume_json_error(struct request *req, enum resume_svc_status st, const char *err);
/* given (a form's "name") or else the file's name without folders; NULL
 * when neither is usable (the service then names it "resume"). */
const char *resume_json_upload_name(const struct kv *file, const char *given);
/* Answers with the file: its type's Content-Type, as an attachment. */
void resume_json_send_file(struct request *req, const struct store_resume *meta, const unsigned char *data, size_t len);

#endif
